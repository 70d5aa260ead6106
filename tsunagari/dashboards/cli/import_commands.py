"""``tsunagari import hsds`` and ``tsunagari import opendata``: existing data → a data-package folder to review.

Nothing is written to the store: the folder is reviewed (and edited) by the user, then loaded
with ``tsunagari load``. Exit 0 when the package is written and loads (what could not be mapped is
listed in its ``_mapping_todo.csv``); 2 for an input that cannot be read or recognised, or a
written folder that does not load (e.g. after an invalid edit kept by a re-import).
"""

from __future__ import annotations

import argparse
import sys

from tsunagari.dashboards.cli.command import EXIT_INVALID, EXIT_OK, Command, arg_help, text_langs, write_line
from tsunagari.dashboards.i18n import t
from tsunagari.settings import Settings

__all__ = ["IMPORT", "report_lines"]


def report_lines(result, folder: str, lang: str) -> tuple[list[str], list[str]]:
    """The lines of an import report in ``lang``: (standard output, standard error)."""
    from tsunagari.loaders.errors import format_issues
    from tsunagari.loaders.importers import TODO_FILE

    out: list[str] = []
    err = [f"{t('import.notice', lang)}: {n.en if lang == 'en' else n.ja}" for n in result.notices]
    if result.issues:
        err.append(t("import.invalid", lang, folder=folder))
        err.append(format_issues(result.issues, lang))
        return out, err
    counts = result.package.counts_by_label() if result.package else {}
    out.append(t("import.written", lang, folder=folder,
                 counts=", ".join(f"{k} {v}" for k, v in counts.items() if k != "Municipality")))
    out.append(t("import.todo", lang, count=len(result.todo), file=f"{folder}/{TODO_FILE}") if result.todo
               else t("import.no_todo", lang))
    return out, err


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from tsunagari.loaders.importers import import_hsds, import_opendata, write_package

    if args.source == "hsds":
        result = import_hsds(args.path, code=args.code, mapping=args.mapping)
    else:
        result = import_opendata(args.files, code=args.code, districts=args.districts, as_of=args.as_of)
    result = write_package(result, args.out)
    for lang in text_langs(args.lang or settings.lang):
        out, err = report_lines(result, args.out, lang)
        for line in err:
            sys.stderr.write(line + "\n")
        for line in out:
            write_line(line)
    return EXIT_INVALID if result.issues else EXIT_OK


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
    hsds = sub.add_parser("hsds", help=arg_help("command.import.hsds"))
    hsds.add_argument("path", metavar="PATH", help=arg_help("arg.import.path"))
    hsds.add_argument("--mapping", metavar="CSV", help=arg_help("arg.import.mapping"))
    opendata = sub.add_parser("opendata", help=arg_help("command.import.opendata"))
    opendata.add_argument("files", nargs="+", metavar="FILE", help=arg_help("arg.import.files"))
    opendata.add_argument("--districts", metavar="CSV", help=arg_help("arg.import.districts"))
    opendata.add_argument("--as-of", dest="as_of", metavar="DATE", help=arg_help("arg.import.as_of"))
    for each in (hsds, opendata):
        each.add_argument("--code", required=True, help=arg_help("arg.import.code"))
        each.add_argument("--out", required=True, metavar="FOLDER", help=arg_help("arg.import.out"))
        # --lang after the source, as after any subcommand (SUPPRESS: absent, the earlier value stays)
        each.add_argument("--lang", choices=("ja", "en", "both"), default=argparse.SUPPRESS, help=arg_help("arg.lang"))


IMPORT = Command("import", "existing data → a data package to review / 既存データの取り込み", _configure, _run)
