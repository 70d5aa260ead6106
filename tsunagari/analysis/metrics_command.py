"""``tsunagari metrics MUNICIPALITY --out DIR --format csv|parquet|graphml|gexf|json``.

Computes every network measure (:func:`tsunagari.analysis.metrics.compute_metrics`), writes them
with :func:`tsunagari.analysis.export.export_metrics`, and prints the top bridging actors.
Exit codes: 0 written, 2 invalid input (unknown municipality, format, tie kind or group), 1 other
failure (store unavailable, cannot write).
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from tsunagari.analysis.communities import METHODS
from tsunagari.analysis.errors import AnalysisError
from tsunagari.analysis.export import FORMATS, export_metrics
from tsunagari.analysis.metrics import MetricsOptions, compute_metrics
from tsunagari.analysis.network import AFFILIATION_KINDS, DEFAULT_TIE_KINDS, GROUPINGS, NetworkOptions
from tsunagari.cli import register_command
from tsunagari.graph.open import open_store
from tsunagari.graph.vocabulary import vocabulary
from tsunagari.settings import Settings

__all__ = ["format_ranking", "parse_kinds"]

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


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


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("municipality", metavar="MUNICIPALITY", help="code, slug or name (28202, amagasaki, 尼崎市)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder / 出力フォルダ")
    parser.add_argument("--format", default="csv", choices=FORMATS, help="file format (default csv)")
    parser.add_argument("--group", default="sector", choices=GROUPINGS,
                        help="groups for brokerage and E-I index (default sector)")
    parser.add_argument("--ties", default=",".join(DEFAULT_TIE_KINDS), metavar="KINDS",
                        help="direct tie kinds, comma-separated (default: %(default)s)")
    parser.add_argument("--affiliations", default=",".join(AFFILIATION_KINDS), metavar="KINDS",
                        help="shared affiliations inducing ties: Council,Program or none (default: %(default)s)")
    parser.add_argument("--communities", default="louvain", choices=METHODS, help="community method")
    parser.add_argument("--seed", type=int, default=0, help="seed of communities and permutation test")
    parser.add_argument("--permutations", type=int, default=1000, help="E-I permutation test size")
    parser.add_argument("--top", type=int, default=10, help="rows of the printed ranking")


def format_ranking(nodes: pd.DataFrame, *, top: int = 10, lang: str = "ja") -> str:
    """Plain-text top-``top`` bridging actors by betweenness, with brokerage and loss impact.

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["A課"], "sector": ["福祉"], "betweenness": [0.5],
    ...     "brokerage_cross_group": [3], "pairs_lost_share": [0.25], "aggregate": [False],
    ...     "betweenness_rank": [1], "brokerage_rank": [1], "loss_rank": [1]})
    >>> print(format_ranking(frame, lang="en"))
    Top actors by betweenness (weighted, distance = 1/weight)
      1. A課 [Welfare]  betweenness 0.500  cross-group brokerage 3 (#1)  pairs lost if removed 25.0% (#1)
    """
    en = lang == "en"
    lines = ["Top actors by betweenness (weighted, distance = 1/weight)" if en else
             "媒介中心性の上位（重み付き、距離 = 1/重み）"]
    sectors = vocabulary("sectors")
    for row in nodes.sort_values("betweenness_rank").head(top).itertuples(index=False):
        sector = sectors.translate(row.sector, "en") if en else row.sector
        mark = (" (aggregate)" if en else "（集約）") if row.aggregate else ""
        if en:
            lines.append(f"  {row.betweenness_rank}. {row.name}{mark} [{sector}]  betweenness {row.betweenness:.3f}"
                         f"  cross-group brokerage {row.brokerage_cross_group} (#{row.brokerage_rank})"
                         f"  pairs lost if removed {row.pairs_lost_share:.1%} (#{row.loss_rank})")
        else:
            lines.append(f"  {row.betweenness_rank}. {row.name}{mark} [{sector}]  媒介中心性 {row.betweenness:.3f}"
                         f"  分野間の仲介 {row.brokerage_cross_group}（{row.brokerage_rank}位）"
                         f"  失われた場合に途切れる組 {row.pairs_lost_share:.1%}（{row.loss_rank}位）")
    return "\n".join(lines)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    lang = args.lang or settings.lang
    try:
        options = MetricsOptions(
            network=NetworkOptions(tie_kinds=parse_kinds(args.ties), affiliations=parse_kinds(args.affiliations)),
            group=args.group, community_method=args.communities, seed=args.seed, permutations=args.permutations)
    except AnalysisError as err:
        sys.stderr.write(f"{err}\n")
        return EXIT_INVALID
    with open_store(settings) as store:
        graph = store.read_graph(args.municipality)
    result = compute_metrics(graph, options=options)
    try:
        paths = export_metrics(result, args.out, fmt=args.format)
    except OSError as err:
        sys.stderr.write(f"書き込めません / cannot write `{args.out}`: {err}\n")
        return EXIT_FAILURE
    m = graph.graph
    sys.stdout.write(f"{m.get('name_en') if lang == 'en' and m.get('name_en') else m.get('name')} ({m.get('code')})\n")
    sys.stdout.write(format_ranking(result.nodes, top=args.top, lang="en" if lang == "en" else "ja") + "\n")
    for path in paths:
        sys.stdout.write(f"{path}\n")
    return EXIT_OK


register_command("metrics", "network measures and reproducible export / ネットワーク指標の計算と出力",
                 _configure, _run)
