"""One subcommand of ``tsunagari``: its name, help, argument set-up and the function that runs it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from tsunagari.settings import Settings
from tsunagari.text_safety import terminal_safe

__all__ = ["Command", "EXIT_OK", "EXIT_FAILURE", "EXIT_INVALID", "write_line", "add_municipality", "text_langs",
           "progress"]

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


@dataclass(frozen=True)
class Command:
    """A subcommand: ``run(args, settings)`` returns the exit code."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Settings], int]


def write_line(text: str = "") -> None:
    """Print ``text`` to standard output with exactly one final newline; control characters escaped."""
    text = terminal_safe(text)
    sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))


def progress(key: str, lang: str, **values: object) -> None:
    """Say on standard error which long step is running (``cli.progress.*`` messages), when a person watches.

    Only on a terminal: redirected or captured standard error (scripts, tests) stays as it was.
    """
    import sys

    from tsunagari.messages import message

    if sys.stderr.isatty():
        sys.stderr.write(message(key, "en" if lang == "en" else "ja", **values) + "\n")
        sys.stderr.flush()


def add_municipality(parser: argparse.ArgumentParser) -> None:
    """The ``MUNICIPALITY`` argument shared by the commands that read one municipality."""
    parser.add_argument("municipality", metavar="MUNICIPALITY", help="code, slug or name (28202, amagasaki, 尼崎市)")


def text_langs(lang: str) -> tuple[str, ...]:
    """The languages a text report is printed in: ``both`` → Japanese, then English."""
    return ("ja", "en") if lang == "both" else (lang,)
