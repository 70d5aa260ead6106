"""Checks across the packages of one load: one package per municipality and fiscal year."""

from __future__ import annotations

from collections.abc import Sequence

from tsunagari.graph.records import DataPackage, Issue

__all__ = ["duplicate_municipalities"]


def duplicate_municipalities(packages: Sequence[DataPackage]) -> list[Issue]:
    """An error for each package whose municipality and fiscal year an earlier package of the same load has.

    A load replaces each (municipality, fiscal year) snapshot by its package, so two packages with one
    code and one year would store only one of them (and a large load failed with "duplicated primary
    key"). Two years of one municipality in one load are fine.

    Examples
    --------
    >>> a = DataPackage("99999", {}, (), (), path="a")
    >>> [i.code for i in duplicate_municipalities([a, DataPackage("99999", {}, (), (), path="b")])]
    ['duplicate_municipality']
    """
    first: dict[str, str] = {}
    issues = []
    for package in packages:
        key = package.snapshot
        if key in first:
            issues.append(Issue(
                package.path, None, "code", "duplicate_municipality",
                f"団体コード {package.code}・同じ年度のパッケージが2つあります（{first[key]} と {package.path}）。"
                "1回の読み込みには市町村・年度ごとに1つだけ指定してください。",
                f"Two packages have the municipality code {package.code} and the same fiscal year ({first[key]} and "
                f"{package.path}). Give one package per municipality and year in a load."))
        else:
            first[key] = package.path
    return issues
