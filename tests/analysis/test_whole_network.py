"""Whole-network measures on hand-checked graphs, on both backends (igraph and networkx)."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.fast_backend import BACKENDS

from tsunagari.analysis.whole_network import (
    betweenness_centralization,
    degree_centralization,
    whole_network_measures,
)

each_backend = pytest.mark.parametrize("backend", BACKENDS)


@each_backend
def test_star(backend):
    # 4-leaf star: 4 ties of 10 pairs; path lengths 4 × 1 + 6 × 2 over 10 pairs = 1.6; no triangle.
    m = whole_network_measures(nx.star_graph(4), {0: "X", 1: "Y", 2: "Y", 3: "Y", 4: "Y"}, backend=backend)
    assert_allclose([m["density"], m["average_path_length"], m["transitivity"], m["average_clustering"]],
                    [0.4, 1.6, 0.0, 0.0])
    assert (m["nodes"], m["ties"], m["components"], m["isolates"]) == (5, 4, 1, 0)
    assert m["degree_centralization"] == 1.0 and m["betweenness_centralization"] == 1.0
    # every tie joins X to Y: perfectly disassortative
    assert_allclose(m["group_assortativity"], -1.0)


@each_backend
def test_centralization_of_regular_graphs_is_zero(backend):
    assert degree_centralization(nx.cycle_graph(6)) == 0.0
    assert_allclose(betweenness_centralization(nx.cycle_graph(6), backend=backend), 0.0, atol=1e-12)
    assert math.isnan(degree_centralization(nx.path_graph(2)))


@each_backend
def test_components_and_weighted_paths(backend):
    # a–b (weight 2 → distance 0.5), b–c (weight 1), plus isolate z.
    g = nx.Graph()
    g.add_edge("a", "b", weight=2.0)
    g.add_edge("b", "c", weight=1.0)
    g.add_node("z")
    m = whole_network_measures(g, backend=backend)
    assert (m["components"], m["largest_component"], m["isolates"]) == (2, 3, 1)
    assert_allclose(m["largest_component_share"], 0.75)
    # hops: (1 + 1 + 2)/3; distances: (0.5 + 1 + 1.5)/3
    assert_allclose([m["average_path_length"], m["average_path_length_weighted"]], [4 / 3, 1.0])
    assert "group_assortativity" not in m
    # one group only: assortativity undefined
    assert math.isnan(whole_network_measures(g, dict.fromkeys(g, "X"))["group_assortativity"])
