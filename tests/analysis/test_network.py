"""Actor network construction: direct ties, Newman-weighted shared affiliations, views, determinism."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from numpy.testing import assert_allclose

from tsunagari.analysis.errors import UnknownGroupError, UnknownTieKindError
from tsunagari.analysis.network import (
    NetworkOptions,
    actor_digraph,
    actor_groups,
    actor_network,
    two_mode_network,
)
from tsunagari.loaders.validate import read_package


def make_graph(nodes, edges, *, shuffle_seed=None) -> nx.MultiDiGraph:
    """A read_graph-like MultiDiGraph; with ``shuffle_seed`` nodes and edges are inserted in random order."""
    nodes, edges = list(nodes), list(edges)
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        rng.shuffle(nodes)
        rng.shuffle(edges)
    g = nx.MultiDiGraph()
    for uid, attrs in nodes:
        g.add_node(uid, **{"id": uid, "name": uid, **attrs})
    for u, v, attrs in edges:
        g.add_edge(u, v, **attrs)
    return g



def test_mini_weights_by_hand(mini_graph):
    net = actor_network(mini_graph)
    # 施策間連携会議 has 3 actor members (hub 座長 + convener, housing, shakyo): each pair gets 1/(3-1).
    # hub REFERS_TO shakyo (weight 1) on top of the shared council: 1 + 1/2.
    # probation COLLABORATES_WITH hub with weight 2.
    # p_houkatsu is operated by houkatsu (OPERATES) and hub (responsible): 1/(2-1) = 1.
    expected = {
        ("99999:housing", "99999:hub"): 0.5,
        ("99999:housing", "99999:shakyo"): 0.5,
        ("99999:hub", "99999:shakyo"): 1.5,
        ("99999:hub", "99999:probation"): 2.0,
        ("99999:houkatsu", "99999:hub"): 1.0,
    }
    got = {tuple(sorted((u, v))): d["weight"] for u, v, d in net.edges(data=True)}
    assert got == expected
    for u, v, d in net.edges(data=True):
        assert d["distance"] == pytest.approx(1.0 / d["weight"])
    assert net["99999:hub"]["99999:shakyo"]["kinds"] == "REFERS_TO"
    assert net["99999:hub"]["99999:shakyo"]["shared_councils"] == 1
    # the residents' group has no tie but is still an actor, with the residents' sector
    assert net.degree("99999:chokai_n") == 0
    assert net.nodes["99999:chokai_n"]["sector"] == "住民"
    assert net.nodes["99999:chokai_n"]["layer"] == "地区"
    assert net.nodes["99999:houkatsu"]["aggregate"] is True
    assert net.nodes["99999:hub"]["layer"] == "市域"
    assert {d["kind"] for _, d in net.nodes(data=True)} == {"Agency", "ResidentGroup"}


def test_tie_kinds_are_a_parameter(mini_graph):
    only_referrals = actor_network(mini_graph, options=NetworkOptions(tie_kinds=("REFERS_TO",), affiliations=()))
    assert sorted(only_referrals.edges()) == [("99999:hub", "99999:shakyo")]
    councils_only = actor_network(mini_graph, options=NetworkOptions(tie_kinds=(), affiliations=("Council",)))
    assert sorted(tuple(sorted(e)) for e in councils_only.edges()) == [
        ("99999:housing", "99999:hub"), ("99999:housing", "99999:shakyo"), ("99999:hub", "99999:shakyo")]


def test_directed_view_keeps_referral_direction(mini_graph):
    directed = actor_digraph(mini_graph, options=NetworkOptions(affiliations=()))
    # referral hub → shakyo one way; collaboration probation ↔ hub both ways
    assert sorted(directed.edges()) == [
        ("99999:hub", "99999:probation"), ("99999:hub", "99999:shakyo"), ("99999:probation", "99999:hub")]


def test_newman_weight_sums_over_affiliations():
    # a and b share a 2-member council (1/(2-1) = 1) and a 4-member council (1/(4-1) = 1/3).
    nodes = [(n, {"kind": "Agency", "sector": "福祉"}) for n in "abcd"] + [
        ("m1", {"kind": "Council"}), ("m2", {"kind": "Council"})]
    edges = [("a", "m1", {"kind": "MEMBER_OF"}), ("b", "m1", {"kind": "MEMBER_OF"})] + [
        (n, "m2", {"kind": "MEMBER_OF"}) for n in "abcd"]
    net = actor_network(make_graph(nodes, edges))
    assert_allclose(net["a"]["b"]["weight"], 1 + 1 / 3)
    assert net["a"]["b"]["shared_councils"] == 2
    assert_allclose(net["a"]["c"]["weight"], 1 / 3)


def test_convener_counts_as_council_member():
    # d convenes the council without a MEMBER_OF tie: the council has 3 actors a, b, d.
    nodes = [("x:a", {"kind": "Agency", "municipality": "x"}), ("x:b", {"kind": "Agency", "municipality": "x"}),
             ("x:d", {"kind": "Agency", "municipality": "x"}),
             ("x:m", {"kind": "Council", "convener": "d", "municipality": "x"})]
    edges = [("x:a", "x:m", {"kind": "MEMBER_OF"}), ("x:b", "x:m", {"kind": "MEMBER_OF"})]
    net = actor_network(make_graph(nodes, edges))
    assert_allclose(net["x:a"]["x:d"]["weight"], 0.5)


def test_two_mode_network(mini_graph):
    two = two_mode_network(mini_graph)
    assert two.nodes["99999:renkei"]["bipartite"] == 1
    assert two.nodes["99999:hub"]["bipartite"] == 0
    assert sorted(two.neighbors("99999:renkei")) == ["99999:housing", "99999:hub", "99999:shakyo"]
    assert sorted(two.neighbors("99999:p_houkatsu")) == ["99999:houkatsu", "99999:hub"]
    assert nx.is_bipartite(two)
    mixed = two_mode_network(mini_graph, include_direct=True)
    assert mixed.has_edge("99999:hub", "99999:probation")


def test_unknown_kinds_are_rejected():
    with pytest.raises(UnknownTieKindError, match="SERVES"):
        NetworkOptions(tie_kinds=("SERVES",))
    with pytest.raises(UnknownTieKindError, match="Need"):
        NetworkOptions(affiliations=("Need",))
    with pytest.raises(UnknownGroupError, match="colour"):
        actor_groups(nx.Graph(), "colour")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_insertion_order_does_not_matter(mini_graph, seed):
    nodes = list(mini_graph.nodes(data=True))
    edges = [(u, v, d) for u, v, d in mini_graph.edges(data=True)]
    shuffled = make_graph(nodes, edges, shuffle_seed=seed)
    shuffled.graph.update(mini_graph.graph)
    for build in (actor_network, actor_digraph, two_mode_network):
        a, b = build(mini_graph), build(shuffled)
        assert list(a.nodes(data=True)) == list(b.nodes(data=True))
        assert list(a.edges(data=True)) == list(b.edges(data=True))
