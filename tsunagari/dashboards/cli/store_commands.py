"""``tsunagari load``, ``list`` and ``summary``: fill the store, see what it holds, count one municipality."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from tsunagari.dashboards.cli.command import EXIT_INVALID, EXIT_OK, Command, add_municipality, arg_help, text_langs, \
    write_line
from tsunagari.dashboards.i18n import kind_label, t, tie_label
from tsunagari.graph.fiscal_year import format_fiscal_year
from tsunagari.graph.open import open_store
from tsunagari.loaders.errors import DataPackageError, PackageNotFoundError, format_issues
from tsunagari.messages import message
from tsunagari.settings import Settings

__all__ = ["LOAD", "LIST", "SUMMARY", "DELETE"]


def _bilingual(key: str, lang: str | None, **params: object) -> str:
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
            issues = format_issues(err.issues, lang)
            sys.stderr.write(f"{_bilingual('loader.cannot_load', lang, path=path)}\n{issues}\n")
        except PackageNotFoundError as err:
            failed = True
            sys.stderr.write(f"{err.message(lang)}\n")
    duplicates = duplicate_municipalities(packages)
    if duplicates:
        failed = True
        sys.stderr.write(format_issues(duplicates, lang) + "\n")
    if failed:
        sys.stderr.write(_bilingual("loader.store_unchanged", lang) + "\n")
        return EXIT_INVALID
    total = sum(len(p.nodes) + len(p.ties) for p in packages)
    with open_store(settings) as store, tqdm(total=total, desc=t("cli.load.progress", lang), unit="件",
                                             disable=total < 5000, file=sys.stderr) as bar:
        reports = store.load_packages(packages, progress=bar.update)  # one transaction: all or none
    for package, report in zip(packages, reports):
        write_line(t("cli.load.unchanged" if report.unchanged else "cli.load.loaded", lang, name=report.name,
                     code=report.code))
        write_line(t("cli.load.year", lang, year=format_fiscal_year(report.fiscal_year, _one(lang))))
        for label, count in report.node_counts.items():
            write_line(t("cli.load.node_line", lang, kind=kind_label(label, lang), count=count))
        write_line(t("cli.load.tie_line", lang, total=sum(report.tie_counts.values()),
                     kinds=", ".join(f"{tie_label(k, lang)} {v}" for k, v in report.tie_counts.items())))
        for warning in package.warnings:
            sys.stderr.write(t("cli.load.warning", lang, text=warning.format(lang)) + "\n")
    return EXIT_OK


def _reading_progress(lang: str | None) -> Callable[[str, int], None]:
    """A ``progress(file, rows)`` that prints one line to stderr per 50,000 rows of a large table."""
    def progress(file: str, rows: int) -> None:
        sys.stderr.write(f"{_bilingual('loader.reading', lang)}: {file} {rows:,} {_bilingual('loader.rows', lang)}\n")
        sys.stderr.flush()
    return progress


def _one(lang: str | None) -> str:
    return "en" if lang == "en" else "ja"


def _run_list(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings, read_only=True) as store:
        rows = store.list_municipalities()
    if not rows:
        write_line(t("cli.list.empty", args.lang))
    for info in rows:  # the last column: every fiscal year held, oldest first
        years = ",".join("unknown" if y is None else str(y) for y in info.years)
        write_line(f"{info.code}\t{info.slug}\t{info.name}\t{info.name_en or ''}\t{info.prefecture or ''}\t{years}")
    return EXIT_OK


def _run_delete(args: argparse.Namespace, settings: Settings) -> int:
    lang = args.lang
    with open_store(settings) as store:
        code = store.resolve(args.municipality)
        info = next(m for m in store.list_municipalities() if m.code == code)
        what = info.code
        if args.year is not None:  # only that snapshot; without --year every year goes
            _, year = store.resolve_year(code, args.year)
            what = f"{info.code}, {format_fiscal_year(year, _one(lang))}"
        if not args.yes:
            if not sys.stdin.isatty():
                sys.stderr.write(t("cli.delete.needs_yes", lang) + "\n")
                return EXIT_INVALID
            answer = input(t("cli.delete.confirm", lang, name=info.name, code=what))
            if answer.strip().lower() not in ("y", "yes", "はい"):
                write_line(t("cli.delete.cancelled", lang))
                return EXIT_OK
        store.delete_municipality(info.code, year=args.year)
    write_line(t("cli.delete.done", lang, name=info.name, code=what))
    return EXIT_OK


def _configure_delete(parser: argparse.ArgumentParser) -> None:
    add_municipality(parser)
    parser.add_argument("--yes", "-y", action="store_true", help=arg_help("arg.delete.yes"))


def _run_summary(args: argparse.Namespace, settings: Settings) -> int:
    from tsunagari.analysis.summary import summarize
    from tsunagari.dashboards.text.summary import format_summary

    with open_store(settings, read_only=True) as store:
        graph = store.read_graph(args.municipality, args.year)
    summary = summarize(graph)
    write_line("\n\n".join(format_summary(summary, lang=lang) for lang in text_langs(args.lang or settings.lang)))
    return EXIT_OK


def _configure_load(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=arg_help("arg.load.paths"))


DELETE = Command("delete", "delete a municipality from the store", _configure_delete, _run_delete)
LOAD = Command("load", "load data packages into the store / データを読み込む", _configure_load, _run_load)
LIST = Command("list", "list municipalities in the store / 市町村の一覧", lambda parser: None, _run_list)
SUMMARY = Command("summary", "counts by kind, sector, pillar, district / 概要", add_municipality, _run_summary)
