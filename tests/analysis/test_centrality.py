"""Centrality on hand-checked graphs; weight is strength and distance = 1/weight.

Betweenness and closeness are checked on both backends (igraph, the default, and networkx): the
hand-computed values are exact on either.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.centrality import betweenness, closeness, degree, eigenvector, strength, with_distance
from tsunagari.analysis.errors import BackendError
from tsunagari.analysis.fast_backend import BACKENDS

each_backend = pytest.mark.parametrize("backend", BACKENDS)


def triangle(ac_weight: float) -> nx.Graph:
    g = nx.Graph()
    g.add_edge("a", "b", weight=1.0)
    g.add_edge("b", "c", weight=1.0)
    g.add_edge("a", "c", weight=ac_weight)
    return g


@each_backend
def test_betweenness_uses_inverse_weight_as_distance(backend):
    # a–c is a weak tie (weight 0.25 → distance 4): the shortest a..c route is a–b–c (distance 2),
    # so b lies on the only shortest path of the one pair not involving it: normalized betweenness 1.
    assert betweenness(triangle(0.25), backend=backend)["b"] == 1.0
    # a strong a–c tie (weight 4 → distance 0.25) is itself the shortest path: b brokers nothing.
    assert betweenness(triangle(4.0), backend=backend)["b"] == 0.0
    # Had weight been used as a length, the weak tie would be the short one and b would score 0:
    assert nx.betweenness_centrality(triangle(0.25), weight="weight")["b"] == 0.0
    # hop counts ignore weights: all three pairs are adjacent
    assert betweenness(triangle(0.25), weight=None, backend=backend)["b"] == 0.0


@each_backend
def test_betweenness_normalization_on_star(backend):
    # Centre of a 4-leaf star lies on all C(4,2) = 6 leaf pairs: 6 / ((5-1)(5-2)/2) = 1.
    values = betweenness(nx.star_graph(4), backend=backend)
    assert values[0] == 1.0
    assert all(values[i] == 0.0 for i in range(1, 5))


@each_backend
def test_directed_betweenness(backend):
    # a → b → c: b is on the one directed path of (n-1)(n-2) = 2 ordered pairs → 0.5.
    assert betweenness(nx.DiGraph([("a", "b"), ("b", "c")]), backend=backend)["b"] == 0.5


@each_backend
def test_closeness_with_distance(backend):
    # Path a–b–c with weights 2 → distances 0.5. b: reaches 2 nodes at total distance 1 → 2/1 = 2.
    # a: reaches 2 at total 0.5 + 1.0 = 1.5 → 2/1.5.
    g = nx.Graph()
    g.add_edge("a", "b", weight=2.0)
    g.add_edge("b", "c", weight=2.0)
    values = closeness(g, backend=backend)
    assert_allclose([values["a"], values["b"]], [2 / 1.5, 2.0])
    assert closeness(g, weight=None, backend=backend)["b"] == 1.0


@each_backend
def test_closeness_disconnected_and_directed(backend):
    # Wasserman–Faust: a in a 2-node component of a 4-node graph: (1/3)·(1/1).
    g = nx.Graph([("a", "b")])
    g.add_nodes_from(["c", "d"])
    values = closeness(g, weight=None, backend=backend)
    assert_allclose(values["a"], 1 / 3)
    assert values["c"] == 0.0
    # outward distances on a directed path a → b → c: a reaches 2 at 1 + 2 → (2/2)(2/3); c reaches none.
    d = closeness(nx.DiGraph([("a", "b"), ("b", "c")]), weight=None, backend=backend)
    assert_allclose(d["a"], 2 / 3)
    assert d["c"] == 0.0


def test_degree_and_strength():
    g = triangle(0.25)
    assert degree(g) == {"a": 2, "b": 2, "c": 2}
    assert strength(g) == {"a": 1.25, "b": 2.0, "c": 1.25}


def test_eigenvector_star_and_disconnected():
    # star with 4 leaves: centre 1/√2, each leaf 1/√8
    values = eigenvector(nx.star_graph(4), weight=None)
    assert_allclose(values[0], 1 / math.sqrt(2))
    assert_allclose(values[1], 1 / math.sqrt(8))
    # triangle (λ = 2) plus a separate edge (λ = 1): per-component unit vectors 1/√3 and 1/√2,
    # scaled by λ/λmax (1 and 1/2), then the whole vector normalized by √(1 + 1/4).
    g = nx.complete_graph(["a", "b", "c"])
    g.add_edge("x", "y")
    g.add_node("z")
    values = eigenvector(g, weight=None)
    assert_allclose(values["a"], (1 / math.sqrt(3)) / math.sqrt(1.25))
    assert_allclose(values["x"], (0.5 / math.sqrt(2)) / math.sqrt(1.25))
    assert values["z"] == 0.0
    assert_allclose(sum(v * v for v in values.values()), 1.0)


def test_eigenvector_order_independent():
    edges = [("a", "b", 2.0), ("b", "c", 1.0), ("c", "d", 1.0), ("d", "a", 0.5), ("x", "y", 1.0)]
    g1, g2 = nx.Graph(), nx.Graph()
    g1.add_weighted_edges_from(edges)
    g2.add_weighted_edges_from(reversed(edges))
    assert eigenvector(g1) == eigenvector(g2)
    assert betweenness(g1) == betweenness(g2)
    assert closeness(g1) == closeness(g2)


def test_nonpositive_weight_is_rejected():
    g = nx.Graph()
    g.add_edge("a", "b", weight=0.0)
    with pytest.raises(ValueError, match="weight"):
        with_distance(g)


@pytest.mark.parametrize("measure", [betweenness, closeness, eigenvector, degree, strength])
def test_multigraph_rejected(measure):
    with pytest.raises(nx.NetworkXNotImplemented):
        measure(nx.MultiGraph([("a", "b"), ("a", "b")]))


def test_backends_agree_on_order_and_values():
    # A 4-cycle with unequal weights plus a pendant: no equal-length ties, so the backends agree
    # to rounding (weighted ties are the one documented difference, see centrality.betweenness).
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 2.0), ("b", "c", 1.0), ("c", "d", 0.5), ("d", "a", 0.25), ("d", "e", 1.0)])
    for measure in (betweenness, closeness):
        for weight in ("weight", None):
            fast, slow = measure(g, weight=weight), measure(g, weight=weight, backend="networkx")
            assert list(fast) == list(slow)
            assert_allclose(list(fast.values()), list(slow.values()), rtol=0, atol=1e-12)


@pytest.mark.parametrize("measure", [betweenness, closeness])
def test_unknown_backend_rejected(measure):
    with pytest.raises(BackendError, match="`backend`.*'rustworkx'"):
        measure(nx.path_graph(3), backend="rustworkx")
