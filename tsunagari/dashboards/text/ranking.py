"""The printed ranking of ``tsunagari metrics``: top bridging actors with brokerage and loss impact."""

from __future__ import annotations

import pandas as pd

from tsunagari.dashboards.i18n import t, term

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
    lines = [t("text.ranking.title", lang)]
    for row in nodes.sort_values("betweenness_rank").head(top).itertuples(index=False):
        lines.append(t("text.ranking.line", lang, rank=row.betweenness_rank, name=row.name,
                       mark=t("text.ranking.aggregate", lang) if row.aggregate else "",
                       sector=term("sectors", row.sector, lang), betweenness=row.betweenness,
                       brokerage=row.brokerage_cross_group, brokerage_rank=row.brokerage_rank,
                       lost=row.pairs_lost_share, loss_rank=row.loss_rank))
    return "\n".join(lines)
