"""The actor network built from the graph's dicts in one pass equals the one the old two-pass code built.

``_collect`` now finds direct ties and affiliation members in one pass over the graph's own dicts and keeps
each pair as a list; ``_build`` fills the result's dicts directly. The old code is kept below, verbatim but
renamed, as the reference: same nodes, edges, attributes, their order and every weight to the last bit, on
the four samples, synthetic municipalities and odd graphs (parallel ties, loops, missing and integer
weights, ties to non-actors, conveners), undirected and directed, for several options.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import package_graph_of
from tsunagari.analysis.network import (
    ACTOR_KINDS,
    SYMMETRIC_TIE_KINDS,
    NetworkOptions,
    _actor_attributes,
    _actors,
    _memberships,
    actor_digraph,
    actor_network,
    two_mode_network,
)
from tsunagari.graph.conversion import package_graph
from tsunagari.samples import sample_path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate_package  # noqa: E402

SAMPLES = ("amagasaki", "ashiya", "hannan", "takashima")
OPTIONS = (NetworkOptions(), NetworkOptions(affiliations=()), NetworkOptions(affiliations=("Council",)),
           NetworkOptions(tie_kinds=("COLLABORATES_WITH", "REFERS_TO"), affiliations=("Program",)))


# -- the code this replaced (tsunagari/analysis/network.py before the one-pass build) -----------------

def _old_memberships(graph: nx.MultiDiGraph, affiliations: Iterable[str]) -> dict[str, list[str]]:
    """Affiliation uid → sorted actor uids (council members and convener; program operators)."""
    wanted = set(affiliations)
    members: dict[str, set[str]] = defaultdict(set)
    kinds = nx.get_node_attributes(graph, "kind")
    for u, v, data in graph.edges(data=True):
        if kinds.get(u) not in ACTOR_KINDS:
            continue
        target = kinds.get(v)
        if target == "Council" and "Council" in wanted and data.get("kind") == "MEMBER_OF":
            members[v].add(u)
        elif target == "Program" and "Program" in wanted and data.get("kind") == "OPERATES":
            members[v].add(u)
    if "Council" in wanted:
        for node, data in graph.nodes(data=True):
            if data.get("kind") == "Council" and data.get("convener"):
                convener = f"{data.get('municipality')}:{data['convener']}"
                if kinds.get(convener) in ACTOR_KINDS:
                    members[node].add(convener)
    return {a: sorted(m) for a, m in sorted(members.items())}


def _old_collect(graph: nx.MultiDiGraph, options: NetworkOptions, *, directed: bool):
    kinds = nx.get_node_attributes(graph, "kind")
    weights: dict[tuple[str, str], dict] = {}

    def pair(u: str, v: str) -> dict:
        key = (u, v) if directed or u < v else (v, u)
        entry = weights.get(key)
        if entry is None:
            entry = weights[key] = {"direct": 0.0, "shared": 0.0, "kinds": set(), "Council": 0, "Program": 0}
        return entry

    for u, v, data in graph.edges(data=True):
        kind = data.get("kind")
        if u == v or kind not in options.tie_kinds:
            continue
        if kinds.get(u) not in ACTOR_KINDS or kinds.get(v) not in ACTOR_KINDS:
            continue
        weight = float(data.get("weight", 1.0) if data.get("weight") is not None else 1.0)
        arcs = [(u, v), (v, u)] if directed and kind in SYMMETRIC_TIE_KINDS else [(u, v)]
        for a, b in arcs:
            entry = pair(a, b)
            entry["direct"] += weight
            entry["kinds"].add(kind)
    for affiliation, members in _old_memberships(graph, options.affiliations).items():
        if len(members) < 2:
            continue
        share = 1.0 / (len(members) - 1)
        kind = kinds[affiliation]
        for i, a in enumerate(members):
            for b in members[i + 1:]:  # members are sorted: a < b, the undirected key
                for key in ((a, b), (b, a)) if directed else ((a, b),):
                    found = weights.get(key)  # pair(), inlined: this loop is quadratic in a council's size
                    if found is None:
                        found = weights[key] = {"direct": 0.0, "shared": 0.0, "kinds": set(), "Council": 0,
                                                "Program": 0}
                    found["shared"] += share
                    found[kind] += 1
    return weights


def _old_build(graph: nx.MultiDiGraph, options: NetworkOptions, *, directed: bool) -> nx.Graph:
    result: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    result.graph.update({k: v for k, v in graph.graph.items() if v is not None})
    result.graph["tie_kinds"] = ";".join(options.tie_kinds)
    result.graph["affiliations"] = ";".join(options.affiliations)
    result.add_nodes_from((uid, _actor_attributes(graph, uid, graph.nodes[uid])) for uid in _actors(graph))
    edges = []
    for (u, v), entry in sorted(_old_collect(graph, options, directed=directed).items()):
        weight = entry["direct"] + entry["shared"]
        if weight <= 0:
            continue
        edges.append((u, v, {"weight": weight, "distance": 1.0 / weight, "direct": entry["direct"],
                             "shared": entry["shared"], "kinds": ";".join(sorted(entry["kinds"])),
                             "shared_councils": entry["Council"], "shared_programs": entry["Program"]}))
    result.add_edges_from(edges)
    return result




# -- the comparisons ---------------------------------------------------------------------------------

def layout(graph: nx.Graph) -> str:
    """Nodes, adjacency and edges with their attributes, in order, as text (``repr``: 1 is not 1.0)."""
    predecessors = [(u, list(graph._pred[u])) for u in graph] if graph.is_directed() else None
    return repr((type(graph).__name__, list(graph.graph.items()), list(graph.nodes(data=True)),
                 [(u, list(graph._adj[u])) for u in graph], predecessors,
                 [(u, v, list(d.items())) for u, v, d in graph.edges(data=True)]))


def _same_as_old(graph: nx.MultiDiGraph) -> None:
    for options in OPTIONS:
        assert layout(actor_network(graph, options=options)) == layout(_old_build(graph, options, directed=False))
        assert layout(actor_digraph(graph, options=options)) == layout(_old_build(graph, options, directed=True))
        assert _memberships(graph, options.affiliations) == _old_memberships(graph, options.affiliations)


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_networks_are_the_old_networks(sample):
    _same_as_old(package_graph_of(sample_path(sample)))


@pytest.mark.parametrize("index", range(6))
def test_synthetic_networks_are_the_old_networks(index):
    _same_as_old(package_graph(generate_package(index)))


def test_two_mode_network_with_direct_ties_is_unchanged():
    graph = package_graph_of(sample_path("amagasaki"))
    mixed = two_mode_network(graph, include_direct=True)
    direct = _old_build(graph, NetworkOptions(affiliations=()), directed=False)
    for u, v, data in sorted(direct.edges(data=True)):
        assert mixed[u][v] == data


@pytest.mark.parametrize("trial", range(30))
def test_odd_graphs_are_the_old_networks(trial):
    rng = random.Random(trial)
    g = nx.MultiDiGraph()
    kinds = ["Agency", "ResidentGroup", "Council", "Program", "District", "Need"]
    nodes = [f"9:{chr(97 + i)}{i}" for i in range(18)]
    rng.shuffle(nodes)  # insertion order not sorted
    for uid in nodes:
        kind = rng.choice(kinds)
        data = {"kind": kind, "municipality": "9", "id": uid[2:], "name": uid.upper()}
        if kind == "Council" and rng.random() < 0.5:
            data["convener"] = rng.choice(nodes)[2:]
        if rng.random() < 0.3:
            data["domains"] = rng.sample(["高齢", "障害", "子ども"], 2)
        g.add_node(uid, **data)
    tie_kinds = ["COLLABORATES_WITH", "AGREEMENT", "REFERS_TO", "COMMISSIONED_BY", "OPERATES", "MEMBER_OF",
                 "PART_OF", "SERVES", "ADDRESSES"]
    for i in range(60):
        u, v = rng.choice(nodes), rng.choice(nodes + nodes[:2])  # some loops, parallel ties
        attrs = {"kind": rng.choice(tie_kinds)}
        pick = rng.random()
        if pick < 0.2:
            attrs["weight"] = None
        elif pick < 0.4:
            attrs["weight"] = rng.choice([1, 2, 3])  # integers
        elif pick < 0.8:
            attrs["weight"] = rng.choice([0.1, 1 / 3, 0.5, 2.5, rng.random()])
        g.add_edge(u, v, key=f"t{i}", **attrs)
    _same_as_old(g)
