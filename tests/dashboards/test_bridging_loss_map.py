"""The Bridging page's "without this actor" map agrees with the analysis's loss impact."""

from __future__ import annotations

import networkx as nx

from tsunagari.analysis.metrics import compute_metrics
from tsunagari.dashboards.session import session_store
from tsunagari.dashboards.loss_map import without_actor


def test_cut_off_exactly_when_pairs_are_lost(dashboard_store):
    _, codes = dashboard_store
    checked = 0
    for code in codes:
        with session_store() as store:
            graph = store.read_graph(code)
        result = compute_metrics(graph)
        nodes = result.nodes.set_index("uid")
        for actor in result.network:
            _, groups = without_actor(result.network, actor)
            cut_off = [n for n, g in groups.items() if g == 1]
            assert bool(cut_off) == (nodes.loc[actor, "pairs_lost"] > 0), (code, actor, cut_off)
            # Nodes cut off were reachable from the actor before; nodes apart already were not.
            own = nx.node_connected_component(result.network, actor)
            assert all((n in own) == (g != 2) for n, g in groups.items()), (code, actor)
            checked += 1
    assert checked > 100
