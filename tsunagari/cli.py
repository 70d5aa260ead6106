"""The ``tsunagari`` command line.

Exit codes: 0 success, 2 invalid input (bad data package, unknown municipality, bad arguments),
1 any other failure (store unavailable ...).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tsunagari import __version__
from tsunagari.graph.errors import MunicipalityNotFoundError, StoreError, StoreURLError
from tsunagari.graph.open import open_store
from tsunagari.loaders.errors import DataPackageError, PackageNotFoundError, format_issues
from tsunagari.settings import Settings

__all__ = ["main", "build_parser", "register_command"]

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2

# Modules that register further subcommands (each next to what it computes).
PLUGIN_MODULES = (
    "tsunagari.analysis.metrics_command",  # tsunagari metrics
    "tsunagari.analysis.gaps_command",  # tsunagari gaps / inequality
    "tsunagari.dashboards.dashboard_command",  # tsunagari dashboard
    "tsunagari.dashboards.report_command",  # tsunagari report
)

# name → (help, configure parser, run); other modules add commands with register_command.
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None],
                           Callable[[argparse.Namespace, Settings], int]]] = {}


def register_command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None],
                     run: Callable[[argparse.Namespace, Settings], int]) -> None:
    """Add a subcommand ``name`` (used by the analysis and dashboard modules)."""
    _COMMANDS[name] = (help, configure, run)


def _print(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _run_load(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from tsunagari.loaders.validate import read_package

    packages = []
    failed = False
    for path in args.paths:
        try:
            packages.append(read_package(path))
        except DataPackageError as err:
            failed = True
            issues = format_issues(err.issues, args.lang or "both")
            sys.stderr.write(f"{path}: 読み込めません / cannot load\n{issues}\n")
        except PackageNotFoundError as err:
            failed = True
            sys.stderr.write(f"{err}\n")
    if failed:
        sys.stderr.write("ストアは変更していません。/ The store was not changed.\n")
        return EXIT_INVALID
    total = sum(len(p.nodes) + len(p.ties) for p in packages)
    with open_store(settings) as store, tqdm(total=total, desc="読み込み / loading", unit="件",
                                             disable=total < 5000, file=sys.stderr) as bar:
        reports = store.load_packages(packages, progress=bar.update)  # one transaction: all or none
    for package, report in zip(packages, reports):
        status = "変更なし / unchanged" if report.unchanged else "読み込み完了 / loaded"
        _print(f"{report.name} ({report.code}): {status}")
        for label, count in report.node_counts.items():
            _print(f"  {label}: {count}")
        _print(f"  ties: {sum(report.tie_counts.values())} " + ", ".join(
            f"{k}={v}" for k, v in report.tie_counts.items()))
        for warning in package.warnings:
            sys.stderr.write("警告 / warning: " + warning.format(args.lang or "both") + "\n")
    return EXIT_OK


def _run_list(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings, read_only=False) as store:
        rows = store.list_municipalities()
    if not rows:
        _print("ストアに市町村はありません。`tsunagari load PATH` で読み込んでください。/ "
               "The store holds no municipality; load one with `tsunagari load PATH`.")
    for info in rows:
        _print(f"{info.code}\t{info.slug}\t{info.name}\t{info.name_en or ''}\t{info.prefecture or ''}")
    return EXIT_OK


def _run_summary(args: argparse.Namespace, settings: Settings) -> int:
    from tsunagari.analysis.summary import format_summary, summarize

    with open_store(settings) as store:
        graph = store.read_graph(args.municipality)
    _print(format_summary(summarize(graph), lang=args.lang or settings.lang))
    return EXIT_OK


def _configure_load(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="package folder, .zip or .xlsx")


def _configure_municipality(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("municipality", metavar="MUNICIPALITY", help="code, slug or name (28202, amagasaki, 尼崎市)")


register_command("load", "load data packages into the store / データを読み込む", _configure_load, _run_load)
register_command("list", "list municipalities in the store / 市町村の一覧", lambda p: None, _run_list)
register_command("summary", "counts by kind, sector, pillar, district / 概要", _configure_municipality, _run_summary)


def _load_plugins() -> None:
    # Commands defined next to what they compute; a missing optional module must not break `load`.
    import importlib

    for module in PLUGIN_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    _load_plugins()
    parser = argparse.ArgumentParser(prog="tsunagari", description="Tsunagari つながり: 重層的支援体制の連携ネットワーク分析")
    parser.add_argument("--version", action="version", version=f"tsunagari {__version__}")
    parser.add_argument("--store", help="store URL (default: TSUNAGARI_STORE or embedded:// under the user data dir)")
    parser.add_argument("--lang", choices=("ja", "en", "both"), default=None, help="message language")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, configure, _) in _COMMANDS.items():
        configure(sub.add_parser(name, help=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_INVALID if exit_.code not in (0, None) else EXIT_OK
    settings = Settings.from_env(store_url=args.store)
    try:
        return _COMMANDS[args.command][2](args, settings)
    except (MunicipalityNotFoundError, StoreURLError) as err:
        sys.stderr.write(f"{err}\n")
        return EXIT_INVALID
    except DataPackageError as err:
        sys.stderr.write(f"{err}\n")
        return EXIT_INVALID
    except StoreError as err:
        sys.stderr.write(f"{err}\n")
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())
