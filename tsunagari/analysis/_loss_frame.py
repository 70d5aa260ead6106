"""The loss-impact table shared by both backends of ``loss_impact`` (networkx and igraph)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["loss_frame"]

_COLUMNS = ("node", "cutpoint", "bridges", "components_after", "pairs_lost", "pairs_lost_share", "isolated_after")


def loss_frame(rows: list[dict] | dict[str, list]) -> pd.DataFrame:
    """Rows of per-node removal effects (or the same as columns) → the typed frame indexed by node, with ``loss_rank``.

    Rank 1 is the largest share of reachable pairs lost; ties go to more actors isolated, more
    pairs lost, then node id, so the order is total and reproducible.
    """
    if isinstance(rows, dict):
        columns = {c: list(rows[c]) for c in _COLUMNS}
    else:
        columns = {c: [row[c] for row in rows] for c in _COLUMNS}
    nodes = columns["node"]
    n = len(nodes)
    share = np.array(columns["pairs_lost_share"], dtype="float64")
    if n == 0 or np.isnan(share).any() or len(set(nodes)) != n:
        return _pandas_frame(rows)
    try:
        by_name = sorted(range(n), key=nodes.__getitem__)
    except TypeError:  # node ids of mixed types: let pandas order them
        return _pandas_frame(rows)
    isolated = np.array(columns["isolated_after"], dtype="int64")
    lost = np.array(columns["pairs_lost"], dtype="int64")
    by_node = np.empty(n, dtype="int64")
    by_node[by_name] = np.arange(n)
    # the order of the sort below: share, isolated, pairs lost descending, then node (distinct, so total)
    order = np.lexsort((by_node, -lost, -isolated, -share))
    rank = np.empty(n, dtype="int64")
    rank[order] = np.arange(1, n + 1)
    # the frame the pandas path below builds, with the columns made in their final dtypes
    frame = pd.DataFrame({
        "node": nodes,
        "cutpoint": np.array(columns["cutpoint"], dtype=bool),
        "bridges": np.array(columns["bridges"], dtype="int64"),
        "components_after": np.array(columns["components_after"], dtype="int64"),
        "pairs_lost": lost,
        "pairs_lost_share": share,
        "isolated_after": isolated,
        "loss_rank": rank,
    })
    return frame.set_index("node")


def _pandas_frame(rows: list[dict] | dict[str, list]) -> pd.DataFrame:
    # the general path (and the former one): pandas infers, sorts and casts
    frame = pd.DataFrame(rows, columns=list(_COLUMNS))
    order = frame.sort_values(["pairs_lost_share", "isolated_after", "pairs_lost", "node"],
                              ascending=[False, False, False, True], kind="mergesort")
    frame["loss_rank"] = 0
    frame.loc[order.index, "loss_rank"] = range(1, len(frame) + 1)
    return frame.set_index("node").astype({"cutpoint": bool, "bridges": "int64", "components_after": "int64",
                                           "pairs_lost": "int64", "isolated_after": "int64",
                                           "pairs_lost_share": "float64", "loss_rank": "int64"})
