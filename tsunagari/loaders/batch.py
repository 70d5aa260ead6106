"""Checks across the packages of one load: one package per municipality."""

from __future__ import annotations

from collections.abc import Sequence

from tsunagari.graph.records import DataPackage, Issue

__all__ = ["duplicate_municipalities"]


def duplicate_municipalities(packages: Sequence[DataPackage]) -> list[Issue]:
    """An error for each package whose municipality code an earlier package of the same load has.

    A load replaces each municipality by its package, so two packages with one code would store
    only one of them (and a large load failed with "duplicated primary key").

    Examples
    --------
    >>> a = DataPackage("99999", {}, (), (), path="a")
    >>> [i.code for i in duplicate_municipalities([a, DataPackage("99999", {}, (), (), path="b")])]
    ['duplicate_municipality']
    """
    first: dict[str, str] = {}
    issues = []
    for package in packages:
        if package.code in first:
            issues.append(Issue(
                package.path, None, "code", "duplicate_municipality",
                f"団体コード {package.code} のパッケージが2つあります（{first[package.code]} と {package.path}）。"
                "1回の読み込みには市町村ごとに1つだけ指定してください。",
                f"Two packages have the municipality code {package.code} ({first[package.code]} and "
                f"{package.path}). Give one package per municipality in a load."))
        else:
            first[package.code] = package.path
    return issues
