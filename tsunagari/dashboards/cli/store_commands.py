"""``tsunagari load``, ``list`` and ``summary``: fill the store, see what it holds, count one municipality."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from tsunagari.dashboards.cli.command import EXIT_INVALID, EXIT_OK, Command, add_municipality, text_langs, write_line
from tsunagari.graph.open import open_store
from tsunagari.loaders.errors import DataPackageError, PackageNotFoundError, format_issues
from tsunagari.messages import message
from tsunagari.settings import Settings

__all__ = ["LOAD", "LIST", "SUMMARY"]


def _bilingual(key: str, lang: str | None, **params: object) -> str:
    # `load` speaks both languages unless --lang is given (its errors may reach anyone).
    if lang in ("ja", "en"):
        return message(key, lang, **params)
    return message(key, "ja", **params) + " / " + message(key, "en", **params)


def _run_load(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from tsunagari.loaders.batch import duplicate_municipalities
    from tsunagari.loaders.validate import read_package

    lang = args.lang
    packages = []
    failed = False
    for path in args.paths:
        try:
            packages.append(read_package(path, progress=_reading_progress(lang)))
        except DataPackageError as err:
            failed = True
            issues = format_issues(err.issues, lang or "both")
            sys.stderr.write(f"{_bilingual('loader.cannot_load', lang, path=path)}\n{issues}\n")
        except PackageNotFoundError as err:
            failed = True
            sys.stderr.write(f"{err.message(lang or 'both')}\n")
    duplicates = duplicate_municipalities(packages)
    if duplicates:
        failed = True
        sys.stderr.write(format_issues(duplicates, lang or "both") + "\n")
    if failed:
        sys.stderr.write(_bilingual("loader.store_unchanged", lang) + "\n")
        return EXIT_INVALID
    total = sum(len(p.nodes) + len(p.ties) for p in packages)
    with open_store(settings) as store, tqdm(total=total, desc="読み込み / loading", unit="件",
                                             disable=total < 5000, file=sys.stderr) as bar:
        reports = store.load_packages(packages, progress=bar.update)  # one transaction: all or none
    for package, report in zip(packages, reports):
        status = "変更なし / unchanged" if report.unchanged else "読み込み完了 / loaded"
        write_line(f"{report.name} ({report.code}): {status}")
        for label, count in report.node_counts.items():
            write_line(f"  {label}: {count}")
        write_line(f"  ties: {sum(report.tie_counts.values())} " + ", ".join(
            f"{k}={v}" for k, v in report.tie_counts.items()))
        for warning in package.warnings:
            sys.stderr.write("警告 / warning: " + warning.format(lang or "both") + "\n")
    return EXIT_OK


def _reading_progress(lang: str | None) -> Callable[[str, int], None]:
    """A ``progress(file, rows)`` that prints one line to stderr per 50,000 rows of a large table."""
    def progress(file: str, rows: int) -> None:
        sys.stderr.write(f"{_bilingual('loader.reading', lang)}: {file} {rows:,} {_bilingual('loader.rows', lang)}\n")
        sys.stderr.flush()
    return progress


def _run_list(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings, read_only=True) as store:
        rows = store.list_municipalities()
    if not rows:
        write_line("ストアに市町村はありません。`tsunagari load PATH` で読み込んでください。/ "
                   "The store holds no municipality; load one with `tsunagari load PATH`.")
    for info in rows:
        write_line(f"{info.code}\t{info.slug}\t{info.name}\t{info.name_en or ''}\t{info.prefecture or ''}")
    return EXIT_OK


def _run_summary(args: argparse.Namespace, settings: Settings) -> int:
    from tsunagari.analysis.summary import summarize
    from tsunagari.dashboards.text.summary import format_summary

    with open_store(settings, read_only=True) as store:
        graph = store.read_graph(args.municipality)
    summary = summarize(graph)
    write_line("\n\n".join(format_summary(summary, lang=lang) for lang in text_langs(args.lang or settings.lang)))
    return EXIT_OK


def _configure_load(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="package folder, .zip or .xlsx")


LOAD = Command("load", "load data packages into the store / データを読み込む", _configure_load, _run_load)
LIST = Command("list", "list municipalities in the store / 市町村の一覧", lambda parser: None, _run_list)
SUMMARY = Command("summary", "counts by kind, sector, pillar, district / 概要", add_municipality, _run_summary)
