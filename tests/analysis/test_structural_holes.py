"""Burt's constraint and effective size on hand-checked graphs."""

from __future__ import annotations

import math

import networkx as nx
from numpy.testing import assert_allclose

from tsunagari.analysis.structural_holes import constraint, effective_size


def test_star():
    # Centre: 3 contacts with p = 1/3, not tied to each other: Σ (1/3)² = 1/3; effective size 3.
    # Leaf: one contact with p = 1: constraint 1; effective size 1.
    g = nx.star_graph(3)
    c, e = constraint(g, weight=None), effective_size(g, weight=None)
    assert_allclose([c[0], c[1]], [1 / 3, 1.0])
    assert_allclose([e[0], e[1]], [3.0, 1.0])


def test_triangle():
    # Each node: p = 1/2 to both contacts, indirect 1/2·1/2: (1/2 + 1/4)² · 2 = 1.125; size 2 − 2·1/2 = 1.
    g = nx.complete_graph(3)
    assert_allclose(constraint(g, weight=None)[0], 1.125)
    assert_allclose(effective_size(g, weight=None)[0], 1.0)


def test_weighted_constraint():
    # a–b weight 3, a–c weight 1, b and c not tied: p_ab = 3/4, p_ac = 1/4 → 9/16 + 1/16 = 0.625.
    g = nx.Graph()
    g.add_edge("a", "b", weight=3.0)
    g.add_edge("a", "c", weight=1.0)
    assert_allclose(constraint(g)["a"], 0.625)
    # no redundancy among a's contacts: effective size = 2
    assert_allclose(effective_size(g)["a"], 2.0)


def test_isolate_is_nan():
    g = nx.Graph([("a", "b")])
    g.add_node("z")
    assert math.isnan(constraint(g)["z"])
    assert math.isnan(effective_size(g)["z"])
