"""Gould–Fernandez brokerage: a hand-derived example, role definitions, sna-style expectations.

Role patterns follow Gould & Fernandez (1989, Sociological Methodology 19: 89–126) as implemented in
UCINET: coordinator A→A→A, itinerant (consultant) A→B→A, representative A→A→B, gatekeeper A→B→B,
liaison A→B→C; a two-path a→b→c counts only if a≠c and there is no a→c tie.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.brokerage import ROLES, brokerage_role, brokerage_roles

GROUPS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
ARCS = [("a1", "a2"), ("a2", "a3"), ("a2", "b1"), ("a1", "b1"), ("b1", "a1"), ("b1", "b2"), ("b2", "c1"),
        ("c1", "a1")]


def test_role_patterns():
    assert brokerage_role("X", "X", "X") == "coordinator"
    assert brokerage_role("X", "Y", "X") == "itinerant"
    assert brokerage_role("X", "X", "Y") == "representative"
    assert brokerage_role("X", "Y", "Y") == "gatekeeper"
    assert brokerage_role("X", "Y", "Z") == "liaison"


def test_hand_derived_counts():
    # Every open two-path, by broker (derived by hand):
    #   a1: in {b1, c1}, out {a2, b1}: b1→a1→a2 B,A,A gatekeeper; c1→a1→a2 C,A,A gatekeeper;
    #       c1→a1→b1 C,A,B liaison; b1→a1→b1 is not a two-path (a = c).
    #   a2: in {a1}, out {a3, b1}: a1→a2→a3 A,A,A coordinator; a1→a2→b1 is closed by a1→b1.
    #   b1: in {a1, a2}, out {a1, b2}: a2→b1→a1 A,B,A itinerant; a2→b1→b2 gatekeeper; a1→b1→b2 gatekeeper.
    #   b2: b1→b2→c1 B,B,C representative.     c1: b2→c1→a1 B,C,A liaison.     a3: no out-tie.
    roles = brokerage_roles(nx.DiGraph(ARCS), GROUPS)
    expected = {
        "a1": {"gatekeeper": 2, "liaison": 1},
        "a2": {"coordinator": 1},
        "a3": {},
        "b1": {"itinerant": 1, "gatekeeper": 2},
        "b2": {"representative": 1},
        "c1": {"liaison": 1},
    }
    for node, counts in expected.items():
        for role in ROLES:
            assert roles.loc[node, role] == counts.get(role, 0), (node, role)
        assert roles.loc[node, "total"] == sum(counts.values())
    assert list(roles.index) == sorted(GROUPS)


def test_expected_counts_and_z_follow_sna():
    # n = 6, 8 arcs: density d = 8/30; p = d²(1−d). a1's group A has 3 nodes, so the ordered (a, c)
    # pairs around a1 are: coordinator 2·1 = 2, itinerant (B: 2·1, C: 1·0) = 2, representative and
    # gatekeeper 2·3 = 6, liaison 3² − (2² + 1²) = 4; total 5·4 = 20.
    roles = brokerage_roles(nx.DiGraph(ARCS), GROUPS)
    d = 8 / 30
    p = d * d * (1 - d)
    pairs = {"coordinator": 2, "itinerant": 2, "representative": 6, "gatekeeper": 6, "liaison": 4, "total": 20}
    # Variance as in sna's brokerage (Butts, sna/R/models.R): E(1−p) + c·d³(1−d)³ with, for a1
    # (n_b = 3, other groups of 2 and 1, N = 6):
    #   coordinator 2·2·1·0 = 0; itinerant 2·(2·1·0 + 1·0·(−1)) = 0;
    #   representative/gatekeeper 2·((n_b−1)·C(N−n_b, 2) + (N−n_b)·C(n_b−1, 2)) = 2·(2·3 + 3·1) = 18;
    #   liaison 4·(2·C(6−2−3, 2) + 1·C(6−1−3, 2)) = 4·(0 + 1) = 4; total 2·5·4·3 = 120.
    covariance = {"coordinator": 0, "itinerant": 0, "representative": 18, "gatekeeper": 18, "liaison": 4,
                  "total": 120}
    q = (d * (1 - d)) ** 3
    for role, count in pairs.items():
        assert_allclose(roles.loc["a1", f"{role}_expected"], count * p)
        observed = roles.loc["a1", role]
        sd = math.sqrt(count * p * (1 - p) + covariance[role] * q)
        assert_allclose(roles.loc["a1", f"{role}_z"], (observed - count * p) / sd)
    # c1 is alone in group C: no coordinator pairs, so its coordinator z is undefined
    assert roles.loc["c1", "coordinator_expected"] == 0.0
    assert math.isnan(roles.loc["c1", "coordinator_z"])


def test_undirected_graph_is_read_as_symmetric():
    # a – b – c with groups X, Y, X: b brokers a→b→c and c→b→a, both itinerant.
    roles = brokerage_roles(nx.path_graph(["a", "b", "c"]), {"a": "X", "b": "Y", "c": "X"})
    assert roles.loc["b", "itinerant"] == 2
    assert roles.loc["b", "total"] == 2


def test_closed_triad_has_no_broker():
    roles = brokerage_roles(nx.complete_graph(3, create_using=nx.DiGraph), {0: "X", 1: "Y", 2: "Z"})
    assert roles["total"].sum() == 0


def test_missing_group_raises():
    with pytest.raises(KeyError, match="c"):
        brokerage_roles(nx.DiGraph([("a", "b"), ("b", "c")]), {"a": "X", "b": "Y"})


def test_order_independent():
    g1, g2 = nx.DiGraph(ARCS), nx.DiGraph(list(reversed(ARCS)))
    assert brokerage_roles(g1, GROUPS).equals(brokerage_roles(g2, GROUPS))
