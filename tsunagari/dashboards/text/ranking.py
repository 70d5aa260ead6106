"""The printed ranking of ``tsunagari metrics``: top bridging actors with brokerage and loss impact."""

from __future__ import annotations

import pandas as pd

from tsunagari.graph.vocabulary import vocabulary

__all__ = ["format_ranking"]


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
