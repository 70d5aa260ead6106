"""Betweenness, closeness and loss impact on igraph: networkx's numbers, tens of times faster.

Betweenness is the one measure of the actor network whose cost grows faster than its size
(Brandes' algorithm runs one shortest-path search per node). networkx runs it in Python; this
module hands the same graph to igraph's C implementation and returns networkx's dictionary, with
networkx's normalization. It is the default backend of :mod:`tsunagari.analysis.centrality`,
:mod:`~tsunagari.analysis.cutpoints`, :mod:`~tsunagari.analysis.whole_network` and
:func:`tsunagari.analysis.metrics.compute_metrics`; each takes ``backend="networkx"`` to run the
networkx implementation instead (for cross-checks). Above a component size threshold,
:func:`sampled_betweenness` estimates the betweenness of large components from ``k`` seeded pivots
drawn in each and reports the estimation error next to each figure.

Numbers equal networkx's to floating-point rounding (tested on the fixture and sample packages).
One documented difference: when two weighted shortest paths have mathematically equal lengths
whose floating-point sums differ in the last bits (e.g. ``1/3 + 1/6`` vs ``1/2``), networkx keeps
only the path whose sum happens to be smaller while igraph counts both as shortest (it compares
lengths with a relative tolerance of 1e-10). igraph's count is the exact one; the difference is
confined to such ties. Hop-count results are identical.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import pandas as pd
from networkx.utils import not_implemented_for

from tsunagari.analysis._loss_frame import loss_frame
from tsunagari.analysis._memo import per_graph
from tsunagari.analysis.errors import BackendError, EdgeLengthError, SampleSizeError

# EdgeLengthError and SampleSizeError live in tsunagari.analysis.errors; re-exported here.
__all__ = ["BACKENDS", "Backend", "EdgeLengthError", "SampleSizeError", "SampledBetweenness",
           "average_shortest_path_length", "betweenness", "check_backend", "closeness", "loss_impact",
           "normalization",
           "sampled_betweenness", "SAMPLE_THRESHOLD"]

Backend = Literal["igraph", "networkx"]
"""Implementation of the path measures: ``igraph`` (default, this module) or ``networkx``."""

BACKENDS: tuple[str, ...] = ("igraph", "networkx")

SAMPLE_THRESHOLD = 5_000
"""Actors in one connected component above which callers are advised to sample (exact igraph time ≈ 10 s
on 2 cores). Components are what counts: a merged graph of many municipalities is as cheap, exactly,
as its municipalities one by one."""


def check_backend(backend: str) -> Backend:
    """Return ``backend`` if it is one of :data:`BACKENDS`.

    Raises
    ------
    BackendError
        If it is not.

    Examples
    --------
    >>> check_backend("networkx")
    'networkx'
    """
    if backend not in BACKENDS:
        raise BackendError("analysis.option", name="backend", allowed=list(BACKENDS), value=repr(backend))
    return backend  # type: ignore[return-value]


@per_graph
def _to_igraph(network: nx.Graph, weight: str | None):
    import igraph

    nodes = list(network)
    index = {node: i for i, node in enumerate(nodes)}
    edges = []
    weights = []
    for u, v, data in network.edges(data=True):
        edges.append((index[u], index[v]))
        if weight is not None:
            value = data.get(weight, 1.0)
            if value is None or not value > 0 or math.isinf(value):
                raise EdgeLengthError("analysis.edge_length", u=repr(u), v=repr(v), weight=weight, value=repr(value))
            weights.append(float(value))
    graph = igraph.Graph(n=len(nodes), edges=edges, directed=network.is_directed())
    return graph, nodes, (weights if weight is not None else None)


def normalization(n: int, *, directed: bool, normalized: bool) -> float:
    """Factor turning igraph's raw betweenness of an ``n``-node graph into networkx's (normalized) scale.

    Examples
    --------
    >>> normalization(4, directed=False, normalized=True)
    0.3333333333333333
    """
    # igraph counts each unordered pair once on undirected graphs, as networkx does after halving.
    if normalized:
        return 1.0 / ((n - 1) * (n - 2)) * (1.0 if directed else 2.0) if n > 2 else 1.0
    return 1.0


@not_implemented_for("multigraph")
def betweenness(network: nx.Graph, *, weight: str | None = None, normalized: bool = True) -> dict:
    """Exact betweenness centrality of every node, computed by igraph.

    Same definition, normalization and result type as ``networkx.betweenness_centrality(network,
    weight=weight, normalized=normalized)`` (endpoints excluded).

    Parameters
    ----------
    network
        Graph or DiGraph (no parallel edges).
    weight
        Edge attribute holding the length of an edge (e.g. ``"distance"`` of the actor network);
        ``None`` counts hops.
    normalized
        Divide by the number of node pairs not including the node, ``(n-1)(n-2)`` (directed) or
        ``(n-1)(n-2)/2`` (undirected).

    Returns
    -------
    dict
        Node → betweenness (a share of shortest paths, 0–1, when normalized).

    Raises
    ------
    EdgeLengthError
        If an edge length is missing, zero, negative or infinite.

    Examples
    --------
    The middle of a 3-node path lies on the only path between the ends:

    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}

    Notes
    -----
    Brandes' algorithm in C: O(nm) unweighted, O(nm + n² log n) weighted, one thread.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
       *Sociometry*, 40(1), 35–41.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
       Mathematical Sociology*, 25(2), 163–177.
    .. [3] Csárdi, G., & Nepusz, T. (2006). The igraph software package for complex network
       research. *InterJournal, Complex Systems*, 1695.
    """
    n = network.number_of_nodes()
    if n == 0:
        return {}
    graph, nodes, weights = _to_igraph(network, weight)
    values = graph.betweenness(directed=network.is_directed(), weights=weights)
    scale = normalization(n, directed=network.is_directed(), normalized=normalized)
    return {node: value * scale for node, value in zip(nodes, values)}


@not_implemented_for("multigraph")
def closeness(network: nx.Graph, *, distance: str | None = None) -> dict:
    """Closeness centrality, Wasserman–Faust variant, computed by igraph.

    Same numbers as ``networkx.closeness_centrality(network, distance=distance, wf_improved=True)``:
    ``(r / (n-1)) · (r / Σ d)`` with ``r`` the nodes that reach the node (incoming distances on a
    DiGraph, as networkx) and ``Σ d`` their total distance; 0 for a node nothing reaches.

    Parameters
    ----------
    network
        Graph or DiGraph.
    distance
        Edge attribute holding the length of an edge; ``None`` counts hops.

    Returns
    -------
    dict
        Node → closeness (0–1).

    Examples
    --------
    >>> closeness(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}

    Notes
    -----
    One shortest-path search per node in C: O(nm + n² log n) with lengths.

    References
    ----------
    .. [1] Wasserman, S., & Faust, K. (1994). *Social Network Analysis: Methods and
       Applications*. Cambridge University Press, pp. 200–201.
    """
    n = network.number_of_nodes()
    if n <= 1:
        return dict.fromkeys(network, 0.0)
    graph, nodes, weights = _to_igraph(network, distance)
    mode = "in" if network.is_directed() else "all"
    values = graph.closeness(mode=mode, weights=weights, normalized=True)
    reach = [size - 1 for size in graph.neighborhood_size(order=n, mode=mode)]
    return {node: 0.0 if r == 0 or math.isnan(c) else c * r / (n - 1)
            for node, c, r in zip(nodes, values, reach)}


def average_shortest_path_length(network: nx.Graph, *, weight: str | None = None) -> float:
    """Mean shortest-path length over ordered pairs of a connected graph, computed by igraph.

    Same value as ``networkx.average_shortest_path_length(network, weight=weight)``.

    Parameters
    ----------
    network
        A connected Graph, or a strongly connected DiGraph.
    weight
        Edge attribute holding the length of an edge; ``None`` counts hops.

    Raises
    ------
    networkx.NetworkXError
        If ``network`` is not connected (networkx's own check and message).
    networkx.NetworkXPointlessConcept
        If ``network`` has no nodes.

    Examples
    --------
    >>> average_shortest_path_length(nx.path_graph(4))
    1.6666666666666667

    Notes
    -----
    One shortest-path search per node in C.
    """
    n = network.number_of_nodes()
    if n == 0:
        raise nx.NetworkXPointlessConcept("null graph has no paths")
    if n == 1:
        return 0.0
    connected = nx.is_strongly_connected(network) if network.is_directed() else nx.is_connected(network)
    if not connected:
        raise nx.NetworkXError("Graph is not strongly connected." if network.is_directed() else "Graph is not connected.")
    graph, _, weights = _to_igraph(network, weight)
    return float(graph.average_path_length(directed=network.is_directed(), weights=weights))


def loss_impact(graph: nx.Graph) -> pd.DataFrame:
    """Damage done by removing each actor: the frame of ``tsunagari.analysis.cutpoints.loss_impact``.

    Same columns, values, dtypes and ranking (``cutpoint``, ``bridges``, ``components_after``,
    ``pairs_lost``, ``pairs_lost_share``, ``isolated_after``, ``loss_rank``), with the component
    search after each removal replaced by the block-cut tree. Direction and parallel ties are ignored,
    as there.

    Examples
    --------
    Removing the centre of a 3-leaf star leaves 3 isolated leaves and loses all 3 of their pairs:

    >>> row = loss_impact(nx.star_graph(3)).loc[0]
    >>> int(row.components_after), int(row.pairs_lost), float(row.pairs_lost_share), int(row.isolated_after)
    (3, 3, 1.0, 3)

    Notes
    -----
    O(n + m): igraph's biconnected components (in C) give the block-cut tree, from which the pieces
    left by removing each cut point follow (integer sizes, the same counts as a component search
    after each removal); other nodes disconnect nobody, so their row follows from the degrees.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a social network.
       *Computational and Mathematical Organization Theory*, 12(1), 21–34.
    .. [2] Hopcroft, J., & Tarjan, R. (1973). Algorithm 447: Efficient algorithms for graph
       manipulation. *Communications of the ACM*, 16(6), 372–378.
    """
    import igraph
    import numpy as np

    nodes = sorted(graph)
    n = len(nodes)
    if n == 0:
        return loss_frame([])
    index = {node: i for i, node in enumerate(nodes)}
    if type(graph) is nx.Graph:  # each tie once already; no order matters below (counts only)
        edges = [(index[u], index[v]) for u, v in graph.edges() if u != v]
    else:
        edges = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v})
    g = igraph.Graph(n=n, edges=edges)
    ends = np.array(edges, dtype=np.int64).reshape(-1, 2)
    degree = np.bincount(ends.ravel(), minlength=n)
    membership = np.array(g.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(membership)
    components = len(sizes)
    total = int((sizes * (sizes - 1) // 2).sum())
    bridge_ends = ends[g.bridges()] if edges else np.zeros((0, 2), dtype=np.int64)
    bridge_count = np.bincount(bridge_ends.ravel(), minlength=n)
    # neighbours of degree 1 (left isolated by the removal), counted over both ends of each tie
    isolated = (np.bincount(ends[:, 0], weights=degree[ends[:, 1]] == 1, minlength=n)
                + np.bincount(ends[:, 1], weights=degree[ends[:, 0]] == 1, minlength=n)).astype(np.int64)
    pieces = _pieces_after_removal(g, ends, sizes, membership)
    before = total - (sizes[membership] - 1)
    # not a cut point: the rest of its component stays connected, nothing is lost
    count = np.full(n, components, dtype=np.int64) - (degree == 0)
    lost = np.zeros(n, dtype=np.int64)
    for i, parts in pieces.items():
        s = int(sizes[membership[i]])
        count[i] = components - 1 + len(parts)
        lost[i] = int(before[i]) - (total - s * (s - 1) // 2 + sum(p * (p - 1) // 2 for p in parts))
    rows = {"node": nodes, "cutpoint": [i in pieces for i in range(n)], "bridges": bridge_count.tolist(),
            "components_after": count.tolist(), "pairs_lost": lost.tolist(),
            "pairs_lost_share": [x / b if b > 0 else 0.0 for x, b in zip(lost.tolist(), before.tolist())],
            "isolated_after": isolated.tolist()}
    return loss_frame(rows)


def _pieces_after_removal(g, ends, sizes, membership) -> dict[int, list[int]]:
    """Cut point → sizes of the pieces its component falls into without it (Hopcroft & Tarjan 1973).

    ``ends``: the edges of ``g`` as an (m, 2) array in edge-id order. From the block-cut tree of
    igraph's biconnected components: a tree node per cut point (weight 1)
    and per block (weight: its vertices that are no cut point). Removing a cut point leaves one piece
    per tree neighbour: the weight of that neighbour's side. Integer sizes, so exact.
    """
    import igraph
    import numpy as np

    # igraph's own call, without the VertexCover it wraps it in: each block as a spanning tree's edges
    trees, cuts = igraph.GraphBase.biconnected_components(g, True)
    if not cuts:
        return {}
    n = g.vcount()
    lengths = [len(tree) for tree in trees]
    edge_ids = np.fromiter((e for tree in trees for e in tree), dtype=np.int64, count=sum(lengths))
    block_of_edge = np.repeat(np.arange(len(trees), dtype=np.int64), lengths)
    pairs = np.unique(np.concatenate([block_of_edge * n + ends[edge_ids, 0], block_of_edge * n + ends[edge_ids, 1]]))
    block_of, vertex = pairs // n, pairs % n  # (block, vertex) once for each vertex of each block
    is_cut = np.zeros(n, dtype=bool)
    is_cut[cuts] = True
    inside = is_cut[vertex]
    non_cut = np.bincount(block_of[~inside], minlength=len(trees))
    # tree nodes: vertices 0..n-1 (only cut points used), blocks n..n+B-1
    weight: dict[int, int] = {v: 1 for v in cuts}
    neighbours: dict[int, list[int]] = {v: [] for v in cuts}
    for b in range(len(trees)):
        weight[n + b] = int(non_cut[b])
        neighbours[n + b] = []
    for b, v in zip((block_of[inside] + n).tolist(), vertex[inside].tolist()):
        neighbours[b].append(v)
        neighbours[v].append(b)
    below: dict[int, int] = {}
    parent: dict[int, int] = {}
    for root in cuts:
        if root in below:
            continue
        parent[root] = -1
        order, stack = [], [root]
        while stack:  # iterative DFS: preorder, then sizes bottom-up
            x = stack.pop()
            order.append(x)
            for y in neighbours[x]:
                if y != parent[x]:
                    parent[y] = x
                    stack.append(y)
        for x in reversed(order):
            below[x] = weight[x] + sum(below[y] for y in neighbours[x] if y != parent[x])
    pieces = {}
    for v in sorted(cuts):
        s = int(sizes[membership[v]])
        parts = [below[y] for y in neighbours[v] if y != parent[v]]
        if parent[v] != -1:
            parts.append(s - below[v])
        pieces[v] = parts
    return pieces


def _loss_impact_by_removal(graph: nx.Graph) -> pd.DataFrame:
    """:func:`loss_impact` with one component search per removed cut point (the former path, kept to
    check the block-cut tree against)."""
    import igraph

    nodes = sorted(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v})
    g = igraph.Graph(n=len(nodes), edges=edges)
    cuts = set(g.articulation_points()) if nodes else set()
    bridge_count = [0] * len(nodes)
    for edge in g.bridges() if nodes else []:
        a, b = g.es[edge].tuple
        bridge_count[a] += 1
        bridge_count[b] += 1
    membership = g.connected_components().membership if nodes else []
    sizes: dict[int, int] = {}
    for component in membership:
        sizes[component] = sizes.get(component, 0) + 1
    total = sum(size * (size - 1) // 2 for size in sizes.values())
    degree = g.degree()
    rows = []
    for i, node in enumerate(nodes):
        before = total - (sizes[membership[i]] - 1)
        if i in cuts:
            h = g.copy()
            h.delete_vertices([i])
            components = h.connected_components()
            count = len(components)
            lost = before - sum(len(c) * (len(c) - 1) // 2 for c in components)
        else:  # not a cut point: the rest of its component stays connected, nothing is lost
            count = len(sizes) - (1 if degree[i] == 0 else 0)
            lost = 0
        isolated = sum(1 for j in g.neighbors(i) if degree[j] == 1)
        rows.append({"node": node, "cutpoint": i in cuts, "bridges": bridge_count[i],
                     "components_after": count, "pairs_lost": lost,
                     "pairs_lost_share": lost / before if before > 0 else 0.0, "isolated_after": isolated})
    return loss_frame(rows)


@dataclass(frozen=True)
class SampledBetweenness:
    """Estimated betweenness with its standard error, per node.

    Attributes
    ----------
    values
        Node → estimated betweenness (same scale as :func:`betweenness`).
    standard_error
        Node → standard error of the estimate (batch means over the pivots).
    pivots
        Number of pivots (source nodes) used.
    """

    values: dict
    standard_error: dict
    pivots: int

    @property
    def max_standard_error(self) -> float:
        """Largest standard error over the nodes (the figure to print next to the estimate)."""
        return max(self.standard_error.values(), default=0.0)


@not_implemented_for("multigraph")
def sampled_betweenness(network: nx.Graph, *, k: int, seed: int, weight: str | None = None,
                        normalized: bool = True, batches: int = 10) -> SampledBetweenness:
    """Betweenness estimated from ``k`` pivots per large component, with its standard error.

    Shortest paths never leave a connected component, so each component is worked out on its own:
    one of at most ``k`` nodes exactly (every node a source, standard error 0), a larger one from
    ``k`` of its own nodes drawn without replacement as pivots. Each pivot ``s`` contributes its
    dependencies ``δ_s(v)``; the estimate for a node of an ``n_c``-node component is
    ``n_c/k · Σ δ_s(v)`` (halved on undirected graphs), unbiased for the exact betweenness [1]_. The
    pivots of a component are split into ``batches`` groups; the standard error is the spread of
    the group estimates over ``sqrt(batches)``, times the finite-population correction
    ``sqrt(1 - k/n_c)``. Normalization is the whole graph's, as for :func:`betweenness`.

    (Drawing the pivots from the whole graph instead, as this function did before, left most
    components of a merged national graph without a pivot: their actors were estimated as 0 and
    the error bound exceeded the largest true value.)

    Parameters
    ----------
    network
        Graph or DiGraph (components: weakly connected ones).
    k
        Pivots per component larger than ``k`` nodes, ``1 ≤ k ≤ n``.
    seed
        Seed of the pivot draws (one ``random.Random(seed)`` over the components in node order).
    weight, normalized
        As for :func:`betweenness`.
    batches
        Number of pivot groups for the standard error (at least 2; capped at ``k``).

    Returns
    -------
    SampledBetweenness
        ``pivots`` is the number of source nodes used over all components.

    Raises
    ------
    SampleSizeError
        If ``k`` is out of range or ``batches`` < 2.

    Examples
    --------
    With every node as a pivot the estimate is exact and its error 0:

    >>> result = sampled_betweenness(nx.path_graph(4), k=4, seed=1)
    >>> [round(result.values[v], 3) for v in range(4)], result.max_standard_error
    ([0.0, 0.667, 0.667, 0.0], 0.0)

    Notes
    -----
    One igraph call for the small components together, ``batches`` per large one, each over its
    ``k/batches`` sources: O(k·m_c) per large component unweighted.

    References
    ----------
    .. [1] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
       *International Journal of Bifurcation and Chaos*, 17(7), 2303–2318.
    """
    n = network.number_of_nodes()
    if not 1 <= k <= n:
        raise SampleSizeError("analysis.between", name="k", low=1, high=n, value=k)
    if batches < 2:
        raise SampleSizeError("analysis.at_least", name="batches", minimum=2, value=batches)
    shared, nodes, weights = _to_igraph(network, weight)
    graph = shared.copy()  # the converted graph is shared with other measures: attributes go on a copy
    if weights is not None:
        graph.es["length"] = weights
    length = "length" if weights is not None else None
    directed = network.is_directed()
    scale = normalization(n, directed=directed, normalized=normalized)
    membership = graph.connected_components(mode="weak").membership
    members: dict[int, list[int]] = {}
    for vertex, component in enumerate(membership):
        members.setdefault(component, []).append(vertex)
    components = sorted(members.values(), key=lambda c: c[0])
    values = [0.0] * n
    errors = [0.0] * n
    small = sorted(v for c in components if len(c) <= k for v in c)  # induced_subgraph keeps this order
    pivots = len(small)
    if small:
        sub = graph.induced_subgraph(small)
        for vertex, value in zip(small, sub.betweenness(directed=directed, weights=length)):
            values[vertex] = value * scale
    rng = random.Random(seed)
    for component in (c for c in components if len(c) > k):
        size = len(component)
        sub = graph.induced_subgraph(component)
        chosen = rng.sample(range(size), k)
        pivots += k
        groups = [chosen[i::batches] for i in range(min(batches, k))]
        sums = [0.0] * size
        group_estimates = []
        for group in groups:
            raw = sub.betweenness(directed=directed, weights=length, sources=group)
            # On undirected graphs igraph halves the subset sum Σ_{s∈group} δ_s(v), as networkx halves
            # the full sum: with every node a source it returns exactly the full betweenness.
            group_estimates.append([value * size / len(group) * scale for value in raw])
            sums = [a + b for a, b in zip(sums, raw)]
        g = len(groups)
        correction = math.sqrt(max(0.0, 1.0 - k / size))
        for i, vertex in enumerate(component):
            values[vertex] = sums[i] * size / k * scale
            column = [estimate[i] for estimate in group_estimates]
            mean = sum(column) / g
            spread = math.sqrt(sum((x - mean) ** 2 for x in column) / (g - 1))
            errors[vertex] = spread / math.sqrt(g) * correction
    return SampledBetweenness(dict(zip(nodes, values)), dict(zip(nodes, errors)), pivots)
