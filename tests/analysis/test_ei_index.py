"""Krackhardt & Stern (1988) E-I index (E − I)/(E + I): hand-computed examples and the permutation test."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.ei_index import ei_by_group, ei_by_node, ei_index, ei_permutation_test

# Two groups: X = {a, b, c}, Y = {d, e}. Ties: a–b, b–c, a–c (internal X), d–e (internal Y),
# c–d, b–e (external). E = 2, I = 4 → EI = (2 − 4)/6 = −1/3.
EDGES = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("c", "d"), ("b", "e")]
GROUPS = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y"}


def test_whole_network():
    assert_allclose(ei_index(nx.Graph(EDGES), GROUPS), -1 / 3)


def test_direction_and_duplicates_ignored():
    # referrals both ways between c and d are still one tie
    g = nx.DiGraph(EDGES)
    g.add_edge("d", "c")
    assert_allclose(ei_index(g, GROUPS), -1 / 3)


def test_weighted():
    # weights: external ties weigh 2 each → E = 4, I = 4 → 0
    g = nx.Graph()
    for u, v in EDGES:
        g.add_edge(u, v, weight=2.0 if GROUPS[u] != GROUPS[v] else 1.0)
    assert_allclose(ei_index(g, GROUPS, weight="weight"), 0.0)


def test_by_group():
    # X: E = 2 (c–d, b–e), I = 3 → −1/5. Y: E = 2, I = 1 → 1/3.
    frame = ei_by_group(nx.Graph(EDGES), GROUPS).set_index("group")
    assert_allclose(frame.loc["X", "ei"], -1 / 5)
    assert_allclose(frame.loc["Y", "ei"], 1 / 3)
    assert frame.loc["X", "size"] == 3


def test_by_node():
    # a: 2 internal, 0 external → −1; b: internal a, c; external e → (1 − 2)/3; d: internal e, external c → 0.
    values = ei_by_node(nx.Graph(EDGES), GROUPS)
    assert_allclose([values["a"], values["b"], values["d"]], [-1.0, -1 / 3, 0.0])
    g = nx.Graph(EDGES)
    g.add_node("z")
    assert math.isnan(ei_by_node(g, {**GROUPS, "z": "X"})["z"])


def test_permutation_of_complete_graph_is_constant():
    # In K4 with two groups of 2, every relabelling gives E = 4, I = 2 → 1/3, so both p-values are 1.
    g = nx.complete_graph(["a", "b", "c", "d"])
    result = ei_permutation_test(g, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, permutations=50, seed=3)
    assert_allclose([result.observed, result.expected], [1 / 3, 1 / 3])
    assert result.p_greater == 1.0 and result.p_less == 1.0


def test_permutation_detects_silos():
    # Two separate triangles, each one group: EI = −1. Of the C(6,3) = 20 equally likely relabellings
    # only 2 keep both triangles pure, so P(EI ≤ −1) = 0.1.
    g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")])
    groups = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y", "f": "Y"}
    result = ei_permutation_test(g, groups, permutations=4000, seed=7)
    assert result.observed == -1.0
    assert 0.08 < result.p_less < 0.12
    assert result.p_greater == 1.0
    again = ei_permutation_test(g, groups, permutations=4000, seed=7)
    assert again == result


def test_permutations_must_be_positive():
    with pytest.raises(ValueError, match="permutations"):
        ei_permutation_test(nx.Graph(EDGES), GROUPS, permutations=0)


def test_permutation_mean_matches_the_exact_expectation():
    # Shuffling labels (sizes kept) makes each tie internal with probability
    # P = Σ n_g(n_g − 1) / (n(n − 1)) = (3·2 + 2·1)/(5·4) = 0.4, so E[EI] = 1 − 2P = 0.2 (binary ties).
    # 20,000 permutations put the mean within ~0.003 (one standard error) of it.
    result = ei_permutation_test(nx.Graph(EDGES), GROUPS, permutations=20_000, seed=11)
    assert result.expected == pytest.approx(0.2, abs=0.015)
