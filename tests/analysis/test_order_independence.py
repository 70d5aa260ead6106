"""Modularity and group assortativity equal networkx's values and do not depend on node order."""

from __future__ import annotations

import random

import networkx as nx
from numpy.testing import assert_allclose

from tsunagari.analysis.communities import modularity
from tsunagari.analysis.whole_network import whole_network_measures


def _shuffled(graph: nx.Graph, seed: int) -> nx.Graph:
    nodes, edges = list(graph.nodes(data=True)), list(graph.edges(data=True))
    rng = random.Random(seed)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    out = nx.Graph()
    out.add_nodes_from(nodes)
    out.add_edges_from(edges)
    return out


def test_modularity_equals_networkx_and_is_order_free():
    graph = nx.relabel_nodes(nx.les_miserables_graph(), {n: f"n{n}" for n in nx.les_miserables_graph()})
    partition = nx.community.louvain_communities(graph, weight="weight", seed=1)
    community = {v: i for i, part in enumerate(partition) for v in part}
    value = modularity(graph, community)
    assert_allclose(value, nx.community.modularity(graph, partition, weight="weight"), rtol=1e-12)
    assert all(modularity(_shuffled(graph, s), community) == value for s in range(5))


def test_group_assortativity_equals_networkx_and_is_order_free():
    graph = nx.karate_club_graph()
    groups = {v: d["club"] for v, d in graph.nodes(data=True)}
    value = whole_network_measures(graph, groups)["group_assortativity"]
    assert_allclose(value, nx.attribute_assortativity_coefficient(graph, "club"), rtol=1e-12)
    assert all(whole_network_measures(_shuffled(graph, s), groups)["group_assortativity"] == value
               for s in range(5))
