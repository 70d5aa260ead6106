"""Whole-network measures: size, density, components, centralization, paths, clustering, assortativity.

References
----------
.. [1] Freeman, L. C. (1978). Centrality in social networks: Conceptual clarification. *Social
   Networks*, 1(3), 215–239.
.. [2] Watts, D. J., & Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks.
   *Nature*, 393(6684), 440–442.
.. [3] Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E*, 67(2), 026126.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx

from tsunagari.analysis import fast_backend
from tsunagari.analysis._memo import per_graph
from tsunagari.analysis.centrality import betweenness
from tsunagari.analysis.errors import EdgeLengthError
from tsunagari.analysis.fast_backend import Backend, check_backend

__all__ = ["degree_centralization", "betweenness_centralization", "whole_network_measures"]


@per_graph  # asked three times per whole_network_measures (it, and both centralizations)
def _is_simple_and_sorted(graph: nx.Graph) -> bool:
    """Whether ``graph`` already is what :func:`_simple` makes of it: an undirected graph without
    self-loops whose nodes, and each node's neighbours, come in sorted order (as the actor network's)."""
    if graph.is_directed() or graph.is_multigraph():
        return False
    nodes = list(graph)
    if nodes != sorted(nodes):
        return False
    for node, neighbours in graph.adj.items():
        others = list(neighbours)
        if node in neighbours or others != sorted(others):
            return False
    return True


def _simple(graph: nx.Graph) -> nx.Graph:
    if _is_simple_and_sorted(graph):
        return graph  # the copy below would have the same nodes, ties and order
    g = nx.Graph()
    g.add_nodes_from(sorted(graph))
    g.add_edges_from(sorted((u, v, dict(d)) for u, v, d in graph.edges(data=True) if u != v))
    return g


def degree_centralization(graph: nx.Graph) -> float:
    """Freeman's degree centralization ``Σ (d_max − d_i) / ((n−1)(n−2))``; 1 for a star, 0 for a
    regular graph; NaN below 3 nodes.

    Examples
    --------
    >>> degree_centralization(nx.star_graph(4))
    1.0
    >>> degree_centralization(nx.cycle_graph(5))
    0.0
    """
    g = _simple(graph)
    n = g.number_of_nodes()
    if n < 3:
        return math.nan
    degrees = [d for _, d in g.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def betweenness_centralization(graph: nx.Graph, *, backend: Backend = "igraph") -> float:
    """Freeman's betweenness centralization on hop counts: ``Σ (b_max − b_i) / (n−1)`` with ``b``
    the normalized betweenness; 1 for a star, 0 for a cycle; NaN below 3 nodes.

    ``backend`` (``igraph`` or ``networkx``) is passed to
    :func:`tsunagari.analysis.centrality.betweenness`; hop counts give identical results.

    Examples
    --------
    >>> betweenness_centralization(nx.star_graph(4))
    1.0
    """
    g = _simple(graph)
    n = g.number_of_nodes()
    if n < 3:
        return math.nan
    values = list(betweenness(g, weight=None, backend=backend).values())
    top = max(values)
    return sum(top - b for b in values) / (n - 1)


def _clustering_counts(graph: nx.Graph) -> tuple[list[int], list[int]]:
    """Per node (in ``graph``'s order) of a simple undirected graph: twice its triangles, and its degree.

    The counts networkx's clustering and transitivity are built from (``_triangles_and_degree_iter``),
    computed as ``((A @ A) ∘ A) · 1`` on the sparse adjacency matrix; integers, so exact.
    """
    import numpy as np
    from scipy.sparse import csr_array

    nodes = list(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    columns = np.concatenate([pairs[:, 1], pairs[:, 0]])
    adjacency = csr_array((np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(n, n))
    twice = np.asarray((adjacency @ adjacency).multiply(adjacency).sum(axis=1)).ravel()
    degrees = np.asarray(adjacency.sum(axis=1)).ravel()
    return [int(t) for t in twice], [int(d) for d in degrees]


def _average_clustering(twice: list[int], degrees: list[int]) -> float:
    # networkx's average_clustering: the mean of t / (d (d - 1)) over the nodes in order (0 without triangles)
    values = [0 if t == 0 else t / (d * (d - 1)) for t, d in zip(twice, degrees)]
    return sum(values) / len(values)


def _transitivity(twice: list[int], degrees: list[int]) -> float:
    # networkx's transitivity: Σ t / Σ d (d - 1), 0 without triangles
    triangles = sum(twice)
    return 0 if triangles == 0 else triangles / sum(d * (d - 1) for d in degrees)


def _component_paths(graph: nx.Graph, component: set):
    """``lengths(weight)``: igraph's mean shortest path over the ordered pairs of ``component`` of the sorted
    simple ``graph``, hops (``None``) or lengths ``1 / weight``; the numbers of
    :func:`fast_backend.average_shortest_path_length` on ``graph.subgraph(component).copy()``."""
    import igraph

    nodes = [u for u in graph if u in component]
    index = {u: i for i, u in enumerate(nodes)}
    adjacency = graph._adj
    ties = [(u, v, data) for u in nodes for v, data in adjacency[u].items() if v > u]  # the copy's edge order
    converted = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v, _ in ties])

    def lengths(weight: str | None) -> float:
        values = None
        if weight is not None:
            values = [1.0 / float(data.get(weight, 1.0)) for _, _, data in ties]
            for (u, v, _), value in zip(ties, values):
                if not value > 0 or math.isinf(value):
                    raise EdgeLengthError("analysis.edge_length", u=repr(u), v=repr(v), weight=weight,
                                          value=repr(value))
        return float(converted.average_path_length(directed=False, weights=values))

    return lengths


def _average_shortest_path_length(graph: nx.Graph, *, weight: str | None, backend: Backend) -> float:
    if backend == "igraph":
        return fast_backend.average_shortest_path_length(graph, weight=weight)
    return nx.average_shortest_path_length(graph, weight=weight)


def _attribute_assortativity(graph: nx.Graph, groups: Mapping[str, str]) -> float:
    """Newman's (2003) categorical assortativity ``r = (Σ e_ii − Σ a_i²) / (1 − Σ a_i²)``, unweighted.

    Same value as ``networkx.attribute_assortativity_coefficient`` on an undirected graph, but every
    sum is ``math.fsum`` so the result is identical whatever the node order or hash seed.
    """
    edges = [(groups[u], groups[v]) for u, v in graph.edges() if u != v]
    if not edges:
        return math.nan
    total = 2 * len(edges)  # each undirected edge counts in both directions of the mixing matrix
    same = sum(2 for a, b in edges if a == b) / total
    ends: dict[str, int] = {}
    for a, b in edges:
        ends[a] = ends.get(a, 0) + 1
        ends[b] = ends.get(b, 0) + 1
    expected = math.fsum((count / total) ** 2 for count in ends.values())
    return (same - expected) / (1 - expected) if expected < 1 else math.nan


def whole_network_measures(graph: nx.Graph, groups: Mapping[str, str] | None = None, *,
                           backend: Backend = "igraph") -> dict[str, float]:
    """Whole-network measures of an (undirected view of the) actor network.

    Parameters
    ----------
    graph
        The actor network.
    groups
        Node → group, for ``group_assortativity``.
    backend
        ``igraph`` (default) or ``networkx``: implementation of the betweenness centralization and
        the mean path lengths (:mod:`tsunagari.analysis.fast_backend` or networkx). Hop-count values
        are identical; the weighted mean path length agrees to floating-point rounding.

    Returns
    -------
    dict
        ``nodes``, ``ties`` (distinct tied pairs), ``density`` (ties / n(n−1)/2), ``components``,
        ``largest_component`` (nodes), ``largest_component_share``, ``isolates``,
        ``degree_centralization``, ``betweenness_centralization`` (Freeman 1978, hop counts),
        ``average_path_length`` (hops, mean over connected pairs of the largest component),
        ``average_path_length_weighted`` (same with distance ``1/weight``),
        ``average_clustering`` (Watts & Strogatz 1998, unweighted; isolates count 0),
        ``transitivity`` (share of closed two-paths), and with ``groups``
        ``group_assortativity`` (Newman 2003 attribute assortativity of the groups; NaN when
        undefined). Undefined values are NaN.

    Raises
    ------
    BackendError
        If ``backend`` is not ``igraph`` or ``networkx``.

    Examples
    --------
    >>> m = whole_network_measures(nx.path_graph(["a", "b", "c"]))
    >>> m["density"], m["average_path_length"], m["transitivity"]
    (0.6666666666666666, 1.3333333333333333, 0.0)
    """
    check_backend(backend)
    g = _simple(graph)
    n = g.number_of_nodes()
    m = g.number_of_edges()
    components = sorted(nx.connected_components(g), key=lambda c: (-len(c), sorted(c)[0]))
    largest = (g.subgraph(components[0]) if g is graph and backend == "igraph" else g.subgraph(components[0]).copy()
               ) if components else nx.Graph()  # a view suffices where only its size is read (below)
    result: dict[str, float] = {
        "nodes": n,
        "ties": m,
        "density": nx.density(g) if n > 1 else math.nan,
        "components": len(components),
        "largest_component": largest.number_of_nodes(),
        "largest_component_share": largest.number_of_nodes() / n if n else math.nan,
        "isolates": nx.number_of_isolates(g),
        "degree_centralization": degree_centralization(g),
        "betweenness_centralization": betweenness_centralization(g, backend=backend),
        "average_path_length": math.nan,
        "average_path_length_weighted": math.nan,
        "average_clustering": math.nan,
        "transitivity": 0.0,
    }
    if n:
        twice, degrees = _clustering_counts(g)
        result["average_clustering"] = _average_clustering(twice, degrees)
        result["transitivity"] = float(_transitivity(twice, degrees))
    if largest.number_of_nodes() > 1 and backend == "igraph" and g is graph:
        # a sorted simple graph (the actor network): its largest component straight to igraph, in the
        # order the copy above gives, without the copy and the connectivity check of a component
        lengths_by = _component_paths(g, components[0])
        result["average_path_length"] = lengths_by(None)
        result["average_path_length_weighted"] = lengths_by("weight")
    elif largest.number_of_nodes() > 1:
        result["average_path_length"] = _average_shortest_path_length(largest, weight=None, backend=backend)
        for _, _, data in largest.edges(data=True):
            data["_distance"] = 1.0 / float(data.get("weight", 1.0))
        result["average_path_length_weighted"] = _average_shortest_path_length(
            largest, weight="_distance", backend=backend)
    if groups is not None:
        result["group_assortativity"] = math.nan
        if m > 0 and len(set(groups[v] for v in g)) > 1:
            result["group_assortativity"] = _attribute_assortativity(g, groups)
    return result
