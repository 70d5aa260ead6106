"""The loss-impact table shared by both backends of ``loss_impact`` (networkx and igraph)."""

from __future__ import annotations

import pandas as pd

__all__ = ["loss_frame"]


def loss_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of per-node removal effects → the typed frame indexed by node, with ``loss_rank``.

    Rank 1 is the largest share of reachable pairs lost; ties go to more actors isolated, more
    pairs lost, then node id, so the order is total and reproducible.
    """
    frame = pd.DataFrame(rows, columns=["node", "cutpoint", "bridges", "components_after", "pairs_lost",
                                        "pairs_lost_share", "isolated_after"])
    order = frame.sort_values(["pairs_lost_share", "isolated_after", "pairs_lost", "node"],
                              ascending=[False, False, False, True], kind="mergesort")
    frame["loss_rank"] = 0
    frame.loc[order.index, "loss_rank"] = range(1, len(frame) + 1)
    return frame.set_index("node").astype({"cutpoint": bool, "bridges": "int64", "components_after": "int64",
                                           "pairs_lost": "int64", "isolated_after": "int64",
                                           "pairs_lost_share": "float64", "loss_rank": "int64"})
