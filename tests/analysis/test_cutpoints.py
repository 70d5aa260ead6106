"""Articulation points, bridges and loss impact, by hand, on both backends (igraph and networkx)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.cutpoints import articulation_points, bridges, loss_impact
from tsunagari.analysis.fast_backend import BACKENDS

each_backend = pytest.mark.parametrize("backend", BACKENDS)


@each_backend
def test_barbell(backend):
    # The (3, 0) barbell graph has two triangles {0,1,2} and {3,4,5} joined by the single edge 2–3.
    g = nx.barbell_graph(3, 0)
    assert articulation_points(g) == [2, 3]
    assert bridges(g) == [(2, 3)]
    impact = loss_impact(g, backend=backend)
    # Removing 2 leaves {0,1} and {3,4,5}: of the C(5,2) = 10 pairs among the others, 1 + 3 = 4 remain.
    row = impact.loc[2]
    assert (row.components_after, row.pairs_lost, row.isolated_after) == (2, 6, 0)
    assert_allclose(row.pairs_lost_share, 0.6)
    assert bool(row.cutpoint) and row.bridges == 1
    # Removing 0 costs nothing.
    assert impact.loc[0, "pairs_lost"] == 0 and impact.loc[0, "components_after"] == 1
    # 2 and 3 tie on every criterion; the node order breaks the tie.
    assert impact.sort_values("loss_rank").index.tolist()[:2] == [2, 3]


@each_backend
def test_path_isolates_and_ranking(backend):
    # a–b–c–d: removing b isolates a and leaves c–d: pairs among {a,c,d} before 3, after 1 → lost 2.
    g = nx.path_graph(["a", "b", "c", "d"])
    impact = loss_impact(g, backend=backend)
    assert impact.loc["b", "isolated_after"] == 1
    assert impact.loc["b", "pairs_lost"] == 2
    assert_allclose(impact.loc["b", "pairs_lost_share"], 2 / 3)
    assert impact.loc["a", "pairs_lost"] == 0
    assert impact["loss_rank"].to_dict() == {"a": 3, "b": 1, "c": 2, "d": 4}
    assert bridges(g) == [("a", "b"), ("b", "c"), ("c", "d")]


@each_backend
def test_separate_components_and_directed_input(backend):
    # A referral a → b plus an unrelated isolate z: removing a isolates b; z's pairs never existed.
    g = nx.DiGraph([("a", "b")])
    g.add_node("z")
    impact = loss_impact(g, backend=backend)
    assert impact.loc["a", "isolated_after"] == 1
    assert impact.loc["a", "pairs_lost"] == 0  # b has no other partner to lose
    assert impact.loc["a", "pairs_lost_share"] == 0.0
    assert impact.loc["z", "components_after"] == 1


def test_backends_give_the_same_frame():
    # Two cut points, a bridge, a pendant, a separate pair and an isolate: every row kind at once.
    g = nx.barbell_graph(4, 2)
    g.add_edges_from([(0, "p"), ("x", "y")])
    g.add_node("z")
    g = nx.relabel_nodes(g, str)
    pd.testing.assert_frame_equal(loss_impact(g), loss_impact(g, backend="networkx"))
