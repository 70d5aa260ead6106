"""``tsunagari diff`` and ``export-years``: what changed between two fiscal years, and every year as files.

``diff MUNICIPALITY YEAR_A YEAR_B`` compares two snapshots (:func:`tsunagari.analysis.change.municipality_change`):
``--format table`` (default) prints the changes, ``csv`` one table (``--table``), ``json`` every table.
``export-years MUNICIPALITY --out DIR`` writes the dynamic GEXF and the long CSVs
(:func:`tsunagari.analysis.export_years.export_years`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tsunagari.analysis.change import CHANGE_TABLES, municipality_change
from tsunagari.analysis.coverage import PER_UNITS
from tsunagari.analysis.export_years import export_years
from tsunagari.dashboards.cli.analysis_commands import frames_to_json
from tsunagari.dashboards.cli.command import (EXIT_FAILURE, EXIT_INVALID, EXIT_OK, Command, arg_help, progress,
                                              text_langs, write_line)
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.text.change import format_change
from tsunagari.graph.open import open_store
from tsunagari.messages import message
from tsunagari.settings import Settings

__all__ = ["DIFF", "EXPORT_YEARS"]


def _configure_diff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("municipality", metavar="MUNICIPALITY", help=arg_help("arg.municipality"))
    parser.add_argument("year_a", metavar="YEAR_A", help=arg_help("arg.diff.year_a"))
    parser.add_argument("year_b", metavar="YEAR_B", help=arg_help("arg.diff.year_b"))
    parser.add_argument("--per", choices=(*PER_UNITS, "units"), default="population",
                        help=arg_help("arg.inequality.per"))
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help=arg_help("arg.output.format"))
    parser.add_argument("--table", choices=CHANGE_TABLES, default="summary",
                        help=arg_help("arg.output.table", default="summary"))


def _run_diff(args: argparse.Namespace, settings: Settings) -> int:
    per = None if args.per == "units" else args.per
    with open_store(settings, read_only=True) as store:
        before = store.read_graph(args.municipality, args.year_a)
        after = store.read_graph(args.municipality, args.year_b)
    result = municipality_change(before, after, per=per)
    if args.format == "json":
        write_line(frames_to_json(result.tables()))
    elif args.format == "csv":
        write_line(result.tables()[args.table].to_csv(index=False))
    else:
        write_line("\n\n".join(format_change(result, lang=one) for one in text_langs(args.lang or settings.lang)))
    return EXIT_OK


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("municipality", metavar="MUNICIPALITY", help=arg_help("arg.municipality"))
    parser.add_argument("--out", required=True, metavar="DIR", help=arg_help("arg.export_years.out"))


def _run_export(args: argparse.Namespace, settings: Settings) -> int:
    lang = args.lang or settings.lang
    one = lang if lang in ("ja", "en") else "both"
    out = Path(args.out).expanduser()
    if out.exists() and not out.is_dir():
        sys.stderr.write(t("cli.metrics.not_a_folder", one, path=out) + "\n")
        return EXIT_INVALID
    if out.is_dir() and any(out.iterdir()):  # the manifest lists what this run wrote, nothing else
        sys.stderr.write(t("cli.metrics.folder_not_empty", one, path=out, count=sum(1 for _ in out.iterdir())) + "\n")
        return EXIT_INVALID
    progress("cli.progress.read", lang, municipality=args.municipality)
    with open_store(settings, read_only=True) as store:
        graphs = store.read_years(args.municipality)
    progress("cli.progress.metrics", lang)
    try:
        paths = export_years(graphs, out)
    except OSError as err:
        sys.stderr.write(message("cli.cannot_write", "ja" if lang == "ja" else "en", path=args.out, detail=err) + "\n")
        return EXIT_FAILURE
    for path in paths:
        write_line(str(path))
    return EXIT_OK


DIFF = Command("diff", "what changed between two fiscal years / 経年変化", _configure_diff, _run_diff)
EXPORT_YEARS = Command("export-years", "every fiscal year as a dynamic GEXF and long CSVs / 全年度の書き出し",
                       _configure_export, _run_export)
