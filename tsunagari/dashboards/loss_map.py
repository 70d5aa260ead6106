"""What the Bridging page draws when one actor is taken away: the network left and who is cut off."""

from __future__ import annotations

import networkx as nx

__all__ = ["without_actor"]


def without_actor(network: nx.Graph, actor: str, *, shared_label: str = "shared") -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """The actor network without ``actor``, as a map graph, and which nodes its loss cuts off.

    Returns the remaining network (edges labelled with their first direct tie kind, else
    ``shared_label`` for ties through a shared council or program) and uid → group:
    0 for the largest piece left of ``actor``'s own component, 1 for the other pieces of that
    component (cut off by the loss), 2 for nodes that were in another component already (not
    reachable before either, so not the loss's doing). So some node is 1 exactly when the
    analysis's :func:`tsunagari.analysis.cutpoints.loss_impact` gives ``pairs_lost`` > 0; the loss
    figures themselves come from there.

    Examples
    --------
    The centre of a path a–b–c–d holds it together; e–f was apart all along:

    >>> net = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("e", "f")])
    >>> _, groups = without_actor(net, "b")
    >>> groups
    {'a': 1, 'c': 0, 'd': 0, 'e': 2, 'f': 2}
    """
    if actor not in network:
        raise KeyError(f"`actor` {actor!r} is not in the actor network.")
    own = nx.node_connected_component(network, actor) - {actor}
    rest = network.subgraph([n for n in network if n != actor])
    pieces = sorted(nx.connected_components(rest.subgraph(own)), key=lambda c: (-len(c), min(c)))
    main = pieces[0] if pieces else set()
    groups = {n: (0 if n in main else 1) if n in own else 2 for n in sorted(rest)}
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(rest.nodes(data=True))
    for u, v, data in rest.edges(data=True):
        kinds = [k for k in str(data.get("kinds") or "").split(";") if k]
        graph.add_edge(u, v, kind=kinds[0] if kinds else shared_label, weight=float(data.get("weight") or 1.0))
    return graph, groups
