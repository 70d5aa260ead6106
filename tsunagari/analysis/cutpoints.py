"""Cut points and loss impact: what breaks if an agency is lost.

An articulation point (cut point) is an actor whose removal disconnects parts of the network; a
bridge is a tie whose removal does. For each actor, :func:`loss_impact` removes it and measures
the damage: the number of components left, the share of previously connected pairs (among the
other actors) that can no longer reach each other — Borgatti's fragmentation increase [1]_ — and
the actors left with no tie at all. :func:`loss_impact` runs its component searches on igraph by
default (:func:`tsunagari.analysis.fast_backend.loss_impact`); ``backend="networkx"`` runs the
networkx implementation, which gives the same frame.

References
----------
.. [1] Borgatti, S. P. (2006). Identifying sets of key players in a social network.
   *Computational & Mathematical Organization Theory*, 12(1), 21–34.
.. [2] Hopcroft, J., & Tarjan, R. (1973). Algorithm 447: Efficient algorithms for graph
   manipulation. *Communications of the ACM*, 16(6), 372–378.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from tsunagari.analysis._memo import per_graph
from tsunagari.analysis._loss_frame import loss_frame
from tsunagari.analysis import fast_backend
from tsunagari.analysis.fast_backend import Backend, check_backend

__all__ = ["articulation_points", "bridges", "loss_impact"]


@per_graph
def _undirected(graph: nx.Graph) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(sorted(graph))
    g.add_edges_from(sorted((u, v) if u < v else (v, u) for u, v in graph.edges() if u != v))
    return g


@per_graph
def _undirected_igraph(graph: nx.Graph):
    """igraph graph of the undirected view (no self-loops, parallel ties once) and its sorted nodes."""
    import igraph

    nodes = sorted(graph)
    index = {node: i for i, node in enumerate(nodes)}
    if not graph.is_directed() and not graph.is_multigraph():
        # each tie once already; cut points and bridges do not depend on the ties' order (both are
        # returned sorted by name), so neither set nor sort is needed
        edges = [(index[u], index[v]) for u, neighbours in graph._adj.items() for v in neighbours if u < v]
    else:
        edges = sorted({(index[u], index[v]) if index[u] < index[v] else (index[v], index[u])
                        for u, v in graph.edges() if u != v})
    return igraph.Graph(n=len(nodes), edges=edges), nodes


def articulation_points(graph: nx.Graph) -> list[str]:
    """Sorted cut points of the (undirected view of the) network.

    Examples
    --------
    >>> articulation_points(nx.path_graph(["a", "b", "c"]))
    ['b']
    """
    converted, nodes = _undirected_igraph(graph)
    return sorted(nodes[i] for i in converted.articulation_points())


def bridges(graph: nx.Graph) -> list[tuple[str, str]]:
    """Sorted bridges ``(u, v)`` with ``u < v`` of the (undirected view of the) network.

    Examples
    --------
    Two triangles joined by one tie (barbell): that tie is the only bridge.

    >>> bridges(nx.barbell_graph(3, 0))
    [(2, 3)]
    """
    converted, nodes = _undirected_igraph(graph)
    return sorted(tuple(sorted((nodes[converted.es[e].source], nodes[converted.es[e].target])))
                  for e in converted.bridges())


def _reachable_pairs(graph: nx.Graph) -> int:
    return sum(len(c) * (len(c) - 1) // 2 for c in nx.connected_components(graph))


def loss_impact(graph: nx.Graph, *, backend: Backend = "igraph") -> pd.DataFrame:
    """Damage done by removing each actor, ranked worst first.

    Parameters
    ----------
    graph
        The network (direction and parallel ties are ignored).
    backend
        ``igraph`` (default; :func:`tsunagari.analysis.fast_backend.loss_impact`) or ``networkx``;
        both return the same frame (integer counts, so no rounding difference).

    Returns
    -------
    pandas.DataFrame
        Indexed by node, columns ``cutpoint`` (bool), ``bridges`` (bridges incident to the node),
        ``components_after`` (components among the other nodes once it is removed),
        ``pairs_lost`` (pairs of other nodes connected before and disconnected after),
        ``pairs_lost_share`` (``pairs_lost`` / pairs of other nodes connected before; 0 when none
        were), ``isolated_after`` (other nodes with ties before and none after), ``loss_rank``
        (1 = worst; ordered by ``pairs_lost_share``, ``isolated_after``, ``pairs_lost``, then node).

    Raises
    ------
    BackendError
        If ``backend`` is not ``igraph`` or ``networkx``.

    Examples
    --------
    Removing the centre of a 3-leaf star leaves 3 isolated leaves and loses all 3 of their pairs:

    >>> impact = loss_impact(nx.star_graph(3))
    >>> row = impact.loc[0]
    >>> int(row.components_after), int(row.pairs_lost), float(row.pairs_lost_share), int(row.isolated_after)
    (3, 3, 1.0, 3)
    >>> loss_impact(nx.star_graph(3), backend="networkx").equals(impact)
    True

    Notes
    -----
    networkx: O(n·(n + m)) time, one component search per removed node. igraph: one component
    search per cut point, in C; the other rows follow from the degrees.
    """
    if check_backend(backend) == "igraph":
        return fast_backend.loss_impact(graph)
    g = _undirected(graph)
    cuts = set(nx.articulation_points(g))
    bridge_count = dict.fromkeys(g, 0)
    for u, v in nx.bridges(g):
        bridge_count[u] += 1
        bridge_count[v] += 1
    component_of = {}
    for component in nx.connected_components(g):
        for node in component:
            component_of[node] = len(component)
    total = _reachable_pairs(g)
    rows = []
    for node in sorted(g):
        before = total - (component_of[node] - 1)
        h = g.copy()
        neighbours = list(h.neighbors(node))
        h.remove_node(node)
        after = _reachable_pairs(h)
        lost = before - after
        isolated = sum(1 for n in neighbours if h.degree(n) == 0)
        rows.append({"node": node, "cutpoint": node in cuts, "bridges": bridge_count[node],
                     "components_after": nx.number_connected_components(h), "pairs_lost": lost,
                     "pairs_lost_share": lost / before if before > 0 else 0.0, "isolated_after": isolated})
    return loss_frame(rows)
