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
from tsunagari.dashboards.cli.command import EXIT_FAILURE, EXIT_INVALID, EXIT_OK, Command
from tsunagari.dashboards.cli.dashboard import DASHBOARD
from tsunagari.dashboards.cli.import_commands import IMPORT
from tsunagari.dashboards.cli.report import REPORT
from tsunagari.dashboards.cli.store_commands import LIST, LOAD, SUMMARY
from tsunagari.errors import TsunagariError
from tsunagari.graph.errors import MunicipalityNotFoundError, StoreURLError
from tsunagari.loaders.errors import DataPackageError, PackageNotFoundError
from tsunagari.loaders.importers.errors import ImportSourceError
from tsunagari.messages import message
from tsunagari.settings import Settings

__all__ = ["COMMANDS", "main", "build_parser"]

COMMANDS: tuple[Command, ...] = (LOAD, IMPORT, LIST, SUMMARY, METRICS, GAPS, INEQUALITY, DASHBOARD, REPORT)
"""Every subcommand, in the order ``tsunagari --help`` lists them."""

# Errors of the user's input (exit 2); any other TsunagariError is a failure to do the work (exit 1).
_INVALID_INPUT = (MunicipalityNotFoundError, StoreURLError, DataPackageError, PackageNotFoundError, AnalysisError,
                  ImportSourceError)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(prog="tsunagari", description="Tsunagari つながり: 重層的支援体制の連携ネットワーク分析")
    parser.add_argument("--version", action="version", version=f"tsunagari {__version__}")
    parser.add_argument("--store", help="store URL (default: TSUNAGARI_STORE or embedded:// under the user data dir)")
    parser.add_argument("--lang", choices=("ja", "en", "both"), default=None, help="message language")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.configure(sub.add_parser(command.name, help=command.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_INVALID if exit_.code not in (0, None) else EXIT_OK
    settings = Settings.from_env(store_url=args.store)
    lang = args.lang or settings.lang
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
