"""``tsunagari gaps``, ``inequality`` and ``metrics``: the analyses on the terminal and as files.

``--format table`` (default) prints a planner's view; ``csv`` prints one table (``--table``);
``json`` prints every table as ``{name: [records]}``. ``metrics`` writes every network measure
with :func:`tsunagari.analysis.export.export_metrics` and prints the top bridging actors.
"""

from __future__ import annotations

import argparse
from pathlib import Path
import json
import sys

import pandas as pd

from tsunagari.analysis.communities import METHODS
from tsunagari.analysis.coverage import PER_UNITS
from tsunagari.analysis.export import FORMATS, export_metrics
from tsunagari.analysis.gaps import coverage_gaps
from tsunagari.analysis.inequality import district_inequality
from tsunagari.analysis.metrics import MetricsOptions, compute_metrics
from tsunagari.analysis.network import AFFILIATION_KINDS, DEFAULT_TIE_KINDS, GROUPINGS, NetworkOptions
from tsunagari.dashboards.cli.command import (arg_help, EXIT_FAILURE, EXIT_INVALID, EXIT_OK, Command, add_municipality,
                                              add_year, progress, text_langs, write_line)
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.text.gaps import format_gaps
from tsunagari.dashboards.text.inequality import format_inequality
from tsunagari.dashboards.text.ranking import format_ranking
from tsunagari.graph.open import open_store
from tsunagari.messages import message
from tsunagari.settings import Settings

__all__ = ["GAPS", "INEQUALITY", "METRICS", "frames_to_json", "parse_kinds", "GAPS_TABLES", "INEQUALITY_TABLES"]

GAPS_TABLES = ("cube", "needs", "councils", "sectors", "residents", "base")
INEQUALITY_TABLES = ("districts", "indices", "lorenz", "theil", "base")


def frames_to_json(frames: dict[str, pd.DataFrame]) -> str:
    """``{name: [records]}`` of ``frames`` (NA as null, Japanese unescaped).

    Examples
    --------
    >>> frames_to_json({"t": pd.DataFrame({"a": [1, None]})})
    '{"t": [{"a": 1.0}, {"a": null}]}'
    """
    return json.dumps({name: json.loads(frame.to_json(orient="records", force_ascii=False))
                       for name, frame in frames.items()}, ensure_ascii=False)


def parse_kinds(text: str) -> tuple[str, ...]:
    """Comma-separated kinds; ``none`` or empty for none.

    Examples
    --------
    >>> parse_kinds("REFERS_TO, COLLABORATES_WITH")
    ('REFERS_TO', 'COLLABORATES_WITH')
    >>> parse_kinds("none")
    ()
    """
    if text.strip().lower() in ("", "none"):
        return ()
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _configure_output(parser: argparse.ArgumentParser, tables: tuple[str, ...], default: str) -> None:
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help=arg_help("arg.output.format"))
    parser.add_argument("--table", choices=tables, default=default, help=arg_help("arg.output.table", default=default))


def _configure_gaps(parser: argparse.ArgumentParser) -> None:
    add_municipality(parser)
    parser.add_argument("--district", metavar="D", help=arg_help("arg.gaps.district"))
    parser.add_argument("--per", choices=tuple(PER_UNITS), help=arg_help("arg.gaps.per"))
    _configure_output(parser, GAPS_TABLES, "cube")


def _configure_inequality(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("municipality", metavar="MUNICIPALITY", nargs="+",
                        help=arg_help("arg.inequality.municipality"))
    parser.add_argument("--per", choices=(*PER_UNITS, "units"), default="population",
                        help=arg_help("arg.inequality.per"))
    parser.add_argument("--layer", help=arg_help("arg.inequality.layer"))
    add_year(parser)
    _configure_output(parser, INEQUALITY_TABLES, "districts")


def _emit(tables: dict[str, pd.DataFrame], args: argparse.Namespace, text, lang: str) -> None:
    if args.format == "json":
        write_line(frames_to_json(tables))
    elif args.format == "csv":
        write_line(tables[args.table].to_csv(index=False))
    else:
        write_line("\n\n".join(text(one) for one in text_langs(lang)))


def _run_gaps(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings, read_only=True) as store:
        graph = store.read_graph(args.municipality, args.year)
    gaps = coverage_gaps(graph, district=args.district, per=args.per)
    _emit(gaps.tables(), args, lambda lang: format_gaps(graph, gaps, lang=lang), args.lang or settings.lang)
    return EXIT_OK


def _run_inequality(args: argparse.Namespace, settings: Settings) -> int:
    per = None if args.per == "units" else args.per
    with open_store(settings, read_only=True) as store:
        graphs = [store.read_graph(m, args.year) for m in dict.fromkeys(args.municipality)]
    result = district_inequality(graphs, per=per, layer=args.layer)
    _emit(result.tables(), args, lambda lang: format_inequality(result, per=per, lang=lang),
          args.lang or settings.lang)
    return EXIT_OK


def _configure_metrics(parser: argparse.ArgumentParser) -> None:
    add_municipality(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help=arg_help("arg.metrics.out"))
    parser.add_argument("--format", default="csv", choices=FORMATS, help=arg_help("arg.metrics.format"))
    parser.add_argument("--group", default="sector", choices=GROUPINGS,
                        help=arg_help("arg.metrics.group"))
    parser.add_argument("--ties", default=",".join(DEFAULT_TIE_KINDS), metavar="KINDS",
                        help=arg_help("arg.metrics.ties", default=",".join(DEFAULT_TIE_KINDS)))
    parser.add_argument("--affiliations", default=",".join(AFFILIATION_KINDS), metavar="KINDS",
                        help=arg_help("arg.metrics.affiliations", default=",".join(AFFILIATION_KINDS)))
    parser.add_argument("--communities", default="louvain", choices=METHODS, help=arg_help("arg.metrics.communities"))
    parser.add_argument("--seed", type=int, default=0, help=arg_help("arg.metrics.seed"))
    parser.add_argument("--permutations", type=int, default=1000, help=arg_help("arg.metrics.permutations"))
    parser.add_argument("--top", type=int, default=10, help=arg_help("arg.metrics.top"))


def _run_metrics(args: argparse.Namespace, settings: Settings) -> int:
    lang = args.lang or settings.lang
    out = Path(args.out).expanduser()
    # The manifest lists what this run wrote: files already in the folder would sit beside it unlisted.
    if out.exists() and not out.is_dir():
        sys.stderr.write(t("cli.metrics.not_a_folder", lang if lang in ("ja", "en") else "both", path=out) + "\n")
        return EXIT_INVALID
    if out.is_dir() and any(out.iterdir()):
        sys.stderr.write(t("cli.metrics.folder_not_empty", lang if lang in ("ja", "en") else "both", path=out,
                           count=sum(1 for _ in out.iterdir())) + "\n")
        return EXIT_INVALID
    options = MetricsOptions(
        network=NetworkOptions(tie_kinds=parse_kinds(args.ties), affiliations=parse_kinds(args.affiliations)),
        group=args.group, community_method=args.communities, seed=args.seed, permutations=args.permutations,
        sample_threshold=settings.sample_threshold)
    progress("cli.progress.read", lang, municipality=args.municipality)
    with open_store(settings, read_only=True) as store:
        graph = store.read_graph(args.municipality, args.year)
    progress("cli.progress.metrics", lang)
    result = compute_metrics(graph, options=options)
    try:
        paths = export_metrics(result, args.out, fmt=args.format)
    except OSError as err:
        sys.stderr.write(message("cli.cannot_write", "ja" if lang == "ja" else "en", path=args.out, detail=err)
                         + "\n")
        return EXIT_FAILURE
    m = graph.graph
    for one in text_langs(lang):
        write_line(f"{m.get('name_en') if one == 'en' and m.get('name_en') else m.get('name')} ({m.get('code')})")
        write_line(format_ranking(result.nodes, top=args.top, lang=one))
    for path in paths:
        write_line(f"{path}")
    return EXIT_OK


GAPS = Command("gaps", "coverage gaps by district, pillar and domain / カバー状況と空白", _configure_gaps, _run_gaps)
INEQUALITY = Command("inequality", "resource inequality between districts / 地区間の資源格差", _configure_inequality,
                     _run_inequality)
METRICS = Command("metrics", "network measures and reproducible export / ネットワーク指標の計算と出力",
                  _configure_metrics, _run_metrics)
