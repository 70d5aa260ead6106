"""The ``tsunagari`` command line: an explicit table of subcommands, settings built once here.

Exit codes: 0 success, 2 invalid input (bad data package, unknown municipality, district or
option, bad arguments, unsupported store URL), 1 any other failure (store unavailable ...). Every
error reaches the user as a message in the chosen language, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tsunagari.version import __version__
from tsunagari.analysis.errors import AnalysisError
from tsunagari.dashboards.cli.analysis_commands import GAPS, INEQUALITY, METRICS
from tsunagari.dashboards.cli.change_commands import DIFF, EXPORT_YEARS
from tsunagari.dashboards.cli.command import EXIT_FAILURE, EXIT_INVALID, EXIT_OK, Command, arg_help, \
    argparse_in, command_examples, command_help, help_language
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.cli.dashboard import DASHBOARD
from tsunagari.dashboards.cli.import_commands import IMPORT
from tsunagari.dashboards.cli.report import REPORT
from tsunagari.dashboards.cli.store_commands import DELETE, LIST, LOAD, SUMMARY
from tsunagari.dashboards.cli.template import TEMPLATE
from tsunagari.errors import TsunagariError
from tsunagari.graph.errors import MunicipalityNotFoundError, StoreURLError
from tsunagari.graph.fiscal_year import FiscalYearError
from tsunagari.loaders.errors import DataPackageError, PackageNotFoundError
from tsunagari.loaders.importers.errors import ImportSourceError
from tsunagari.messages import message
from tsunagari.settings import Settings

__all__ = ["COMMANDS", "main", "build_parser", "requested_language"]

COMMANDS: tuple[Command, ...] = (LOAD, IMPORT, LIST, SUMMARY, METRICS, GAPS, INEQUALITY, DIFF, EXPORT_YEARS, DASHBOARD,
                                 REPORT, DELETE, TEMPLATE)
"""Every subcommand, in the order ``tsunagari --help`` lists them."""

# Errors of the user's input (exit 2); any other TsunagariError is a failure to do the work (exit 1).
_INVALID_INPUT = (MunicipalityNotFoundError, StoreURLError, DataPackageError, PackageNotFoundError, AnalysisError,
                  ImportSourceError, FiscalYearError)


def _common_options(lang: str) -> argparse.ArgumentParser:
    # --store and --lang are accepted before and after the subcommand; after it they win (SUPPRESS
    # leaves the value given before the subcommand in place when they are absent).
    common = argparse.ArgumentParser(add_help=False)
    with help_language(lang):
        common.add_argument("--store", default=argparse.SUPPRESS, help=arg_help("arg.store"))
        common.add_argument("--lang", choices=("ja", "en", "both"), default=argparse.SUPPRESS,
                            help=arg_help("arg.lang"))
    return common


def requested_language(argv: Sequence[str], default: str = "ja") -> str:
    """The ``--lang`` value anywhere in ``argv`` (the last one wins), else ``default``.

    Needed before parsing, to build the help and argparse's messages in the run's one language.

    Examples
    --------
    >>> requested_language(["summary", "amagasaki", "--lang", "en"]), requested_language(["--lang=both", "list"])
    ('en', 'both')
    >>> requested_language(["list"], "ja")
    'ja'
    """
    lang = default
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in ("ja", "en", "both") else default


def build_parser(lang: str = "ja") -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`COMMANDS`, its help in ``lang``."""
    formatter = argparse.RawDescriptionHelpFormatter
    with help_language(lang):
        parser = argparse.ArgumentParser(prog="tsunagari", description=arg_help("description"),
                                         epilog=t("cli.epilog", "en" if lang == "en" else "ja"),
                                         formatter_class=formatter)
        parser.add_argument("--version", action="version", version=f"tsunagari {__version__}",
                            help=arg_help("arg.version"))
        parser.add_argument("--store", help=arg_help("arg.store"))
        parser.add_argument("--lang", choices=("ja", "en", "both"), default=None, help=arg_help("arg.lang"))
        common = _common_options(lang)
        sub = parser.add_subparsers(dest="command", required=True, title=arg_help("commands"), metavar="COMMAND")
        for command in COMMANDS:
            help_text = command_help(command.name, command.help)
            command.configure(sub.add_parser(command.name, help=help_text, description=help_text,
                                             epilog=command_examples(command.name), parents=[common],
                                             formatter_class=formatter))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = requested_language(argv, Settings.from_env().lang)
    with argparse_in(lang):
        parser = build_parser(lang)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:
            return EXIT_INVALID if exit_.code not in (0, None) else EXIT_OK
    settings = Settings.from_env(store_url=args.store, lang=args.lang)
    lang = args.lang = settings.lang  # one language per run: the chosen one, else TSUNAGARI_LANG, else ja
    command = next(c for c in COMMANDS if c.name == args.command)
    try:
        return command.run(args, settings)
    except TsunagariError as err:
        sys.stderr.write(f"{err.message(lang)}\n")
        return EXIT_INVALID if isinstance(err, _INVALID_INPUT) else EXIT_FAILURE
    except Exception as err:  # a bug or an engine failure: a message, never a traceback (TSUNAGARI_DEBUG=1 shows it)
        if os.environ.get("TSUNAGARI_DEBUG"):
            raise
        sys.stderr.write(message("cli.unexpected", "en" if lang == "en" else "ja", error=type(err).__name__,
                                 detail=str(err)[:500]) + "\n")
        return EXIT_FAILURE
