"""One subcommand of ``tsunagari``: its name, help, argument set-up and the function that runs it."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tsunagari.dashboards.i18n import STRINGS, t
from tsunagari.settings import Settings
from tsunagari.text_safety import terminal_safe

__all__ = ["Command", "EXIT_OK", "EXIT_FAILURE", "EXIT_INVALID", "write_line", "add_municipality", "add_year",
           "text_langs",
           "arg_help", "help_language", "argparse_in", "command_help", "command_examples", "progress"]

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


@dataclass(frozen=True)
class Command:
    """A subcommand: ``run(args, settings)`` returns the exit code."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Settings], int]


_HELP = {"lang": "ja"}  # the language help is built in; set by help_language() while the parser is built


@contextlib.contextmanager
def help_language(lang: str) -> Iterator[None]:
    """Build help texts (:func:`arg_help`) in ``lang`` (``ja``, ``en`` or ``both``) inside the block."""
    before = _HELP["lang"]
    _HELP["lang"] = lang
    try:
        yield
    finally:
        _HELP["lang"] = before


def arg_help(key: str, **values: object) -> str:
    """The help text ``cli.<key>`` of the catalogue in the language being built (``%`` escaped for argparse)."""
    return t(f"cli.{key}", _HELP["lang"], **values).replace("%", "%%")


# argparse's own words ("usage:", "options", its error messages) in Japanese: argparse looks its
# gettext function up at call time, so it can be swapped while a Japanese run parses.
_ARGPARSE_JA = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "optional arguments": "オプション",
    "show this help message and exit": "このヘルプを表示して終了する",
    "show program's version number and exit": "バージョンを表示して終了する",
    "the following arguments are required: %s": "次の引数が必要です: %s",
    "unrecognized arguments: %s": "認識できない引数があります: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "選べない値です: %(value)r（選べる値: %(choices)s）",
    "argument %(argument_name)s: %(message)s": "引数 %(argument_name)s: %(message)s",
    "expected one argument": "値を1つ指定してください",
    "invalid %(type)s value: %(value)r": "%(type)s として読めない値です: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "あいまいなオプションです: %(option)s は %(matches)s のどれか",
    "not allowed with argument %s": "引数 %s とは同時に使えません",
    "expected at least one argument": "値を1つ以上指定してください",
}


@contextlib.contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """argparse's own messages in Japanese inside the block when ``lang`` is ``ja`` or ``both``."""
    if lang == "en":
        yield
        return
    original = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: _ARGPARSE_JA.get(text, original(text))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def command_help(name: str, fallback: str) -> str:
    """The one-line help of subcommand ``name`` in the language being built (``fallback`` if uncatalogued)."""
    return arg_help(f"command.{name}") if f"cli.command.{name}" in STRINGS else fallback


def command_examples(name: str) -> str | None:
    """The examples block shown under ``tsunagari NAME --help``, if the catalogue has one."""
    return t(f"cli.examples.{name}", "en" if _HELP["lang"] == "en" else "ja") \
        if f"cli.examples.{name}" in STRINGS else None


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
    """The ``MUNICIPALITY`` argument and ``--year`` shared by the commands that read one municipality."""
    parser.add_argument("municipality", metavar="MUNICIPALITY", help=arg_help("arg.municipality"))
    add_year(parser)


def add_year(parser: argparse.ArgumentParser, key: str = "arg.year") -> None:
    """``--year``: the fiscal year of the snapshot to read (default: the latest; ``unknown``: the year-unknown one)."""
    parser.add_argument("--year", metavar="YEAR", default=None, help=arg_help(key))


def text_langs(lang: str) -> tuple[str, ...]:
    """The languages a text report is printed in: ``both`` → Japanese, then English."""
    return ("ja", "en") if lang == "both" else (lang,)
