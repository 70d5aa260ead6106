"""``tsunagari template``: write the blank Excel template (様式) for entering a data package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tsunagari.dashboards.cli.command import EXIT_FAILURE, EXIT_INVALID, EXIT_OK, Command, arg_help, write_line
from tsunagari.dashboards.i18n import t
from tsunagari.messages import message
from tsunagari.settings import Settings

__all__ = ["TEMPLATE"]


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE", help=arg_help("arg.template.out"))


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from tsunagari.dashboards.template import write_template

    lang = args.lang if args.lang in ("ja", "en") else "ja"
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".xlsx" or out.is_dir() or not out.parent.resolve().is_dir():
        sys.stderr.write(message("cli.template_path", lang, path=str(out)) + "\n")
        return EXIT_INVALID
    try:
        write_template(out, lang)
    except OSError as err:
        sys.stderr.write(message("cli.cannot_write", lang, path=str(out), detail=err) + "\n")
        return EXIT_FAILURE
    write_line(t("cli.template.written", lang, path=str(out)))
    return EXIT_OK


TEMPLATE = Command("template", "write the blank Excel template", _configure, _run)
