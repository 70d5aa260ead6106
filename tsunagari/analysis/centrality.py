"""Centrality of actors: degree, strength, betweenness, closeness, eigenvector.

Weighted path measures treat a tie's ``weight`` as strength and use ``distance = 1 / weight`` as
its length, so that strong ties are short (Newman 2001 [1]_, Opsahl et al. 2010 [2]_). Results are
keyed by node and computed on a node-sorted copy, so they do not depend on insertion order.

Betweenness and closeness run on igraph by default (:mod:`tsunagari.analysis.fast_backend`, the
same definitions and normalization as networkx, in C); ``backend="networkx"`` runs networkx's
implementation instead, for cross-checks. Hop-count results are identical; weighted results agree to
floating-point rounding except at ties of equal-length paths (see :func:`betweenness`).

References
----------
.. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths, weighted
   networks, and centrality. *Physical Review E*, 64(1), 016132.
.. [2] Opsahl, T., Agneessens, F., & Skvoretz, J. (2010). Node centrality in weighted networks:
   Generalizing degree and shortest paths. *Social Networks*, 32(3), 245–251.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import networkx as nx
from networkx.utils import not_implemented_for
import numpy as np

from tsunagari.analysis._memo import per_graph
from tsunagari.analysis import fast_backend
from tsunagari.analysis.errors import EdgeLengthError
from tsunagari.analysis.fast_backend import Backend, check_backend

__all__ = ["with_distance", "degree", "strength", "betweenness", "sampled_betweenness", "closeness", "eigenvector"]


@per_graph
def _sorted_copy(graph: nx.Graph) -> nx.Graph:
    copy = graph.__class__()
    copy.add_nodes_from(sorted(graph.nodes))
    copy.add_edges_from(sorted((u, v, dict(d)) for u, v, d in graph.edges(data=True)))
    return copy


def _is_sorted(graph: nx.Graph) -> bool:
    """Whether the nodes of ``graph``, and each node's neighbours (successors), come in sorted order."""
    nodes = list(graph)
    if nodes != sorted(nodes):
        return False
    for neighbours in graph._adj.values():  # the plain dicts behind graph.adj (views cost a call per item)
        others = list(neighbours)
        if others != sorted(others):
            return False
    return True


def _canonical_edges(graph: nx.Graph) -> list[tuple]:
    """The edges of ``graph`` in the order :func:`_sorted_copy`'s ``edges()`` yields them, without the copy.

    The copy adds the nodes sorted and the edges as ``sorted(graph.edges())`` (oriented as ``graph``
    yields them); a DiGraph copy then yields them in that order, an undirected one node by node in
    sorted order, each node's neighbours in the order their edges were added, skipping nodes already
    passed. igraph's results depend on the edge order in the last bits, so the same order gives the
    same numbers as the copy did.
    """
    if _is_sorted(graph):
        # nodes and every node's neighbours already in order (the actor networks): the copy would
        # yield the edges exactly as the graph does
        return list(graph.edges())
    pairs = sorted(graph.edges())
    if graph.is_directed():
        return pairs
    adjacency: dict = {node: [] for node in sorted(graph)}
    for u, v in pairs:
        adjacency[u].append(v)
        if u != v:
            adjacency[v].append(u)
    seen: set = set()
    edges: list[tuple] = []
    for node, neighbours in adjacency.items():
        edges.extend((node, other) for other in neighbours if other not in seen)
        seen.add(node)
    return edges


@per_graph
def _igraph_of(graph: nx.Graph, weight: str | None):
    """``(igraph graph, sorted nodes, lengths 1/weight or None)``, as igraph of :func:`with_distance`'s copy.

    Same vertices, edges, order and lengths as converting the node-sorted copy, so igraph returns
    the same numbers, bit for bit; built from ``graph`` directly (no networkx copy).

    Raises
    ------
    EdgeLengthError
        If a weight is not a positive finite number.
    """
    import igraph

    nodes = sorted(graph)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = graph._adj
    directed = graph.is_directed()
    if _is_sorted(graph):
        # the copy yields each node's ties in order, those to nodes not yet passed (v >= u) if undirected
        pairs = [(i, index[v]) for i, (u, ties) in enumerate(adjacency.items()) for v in ties if directed or v >= u]
        values = ([data.get(weight, 1.0) for u, ties in adjacency.items() for v, data in ties.items()
                   if directed or v >= u] if weight else [])
    else:
        edges = _canonical_edges(graph)
        pairs = [(index[u], index[v]) for u, v in edges]
        values = [adjacency[u][v].get(weight, 1.0) for u, v in edges] if weight else []
    lengths = None
    if weight:
        if not all(type(w) is float and 0 < w < math.inf for w in values):  # else: find the bad one
            for (i, j), w in zip(pairs, values):
                if not (isinstance(w, (int, float)) and math.isfinite(w) and w > 0):
                    raise EdgeLengthError("analysis.edge_length", u=repr(nodes[i]), v=repr(nodes[j]),
                                          weight=weight, value=repr(w))
        lengths = [1.0 / w for w in values]
    converted = igraph.Graph(n=len(nodes), edges=pairs, directed=directed)
    return converted, nodes, lengths


@per_graph
def with_distance(graph: nx.Graph, *, weight: str = "weight", distance: str = "distance") -> nx.Graph:
    """Node-sorted copy of ``graph`` whose edges carry ``distance = 1 / weight``.

    Raises
    ------
    ValueError
        If an edge weight is not a positive finite number.

    Examples
    --------
    >>> g = nx.Graph(); g.add_edge("a", "b", weight=4.0)
    >>> with_distance(g)["a"]["b"]["distance"]
    0.25
    """
    copy = _sorted_copy(graph)
    for u, v, data in copy.edges(data=True):
        w = data.get(weight, 1.0)
        if not (isinstance(w, (int, float)) and math.isfinite(w) and w > 0):
            raise EdgeLengthError("analysis.edge_length", u=repr(u), v=repr(v), weight=weight, value=repr(w))
        data[distance] = 1.0 / w
    return copy


@not_implemented_for("multigraph")
def degree(graph: nx.Graph) -> dict[str, float]:
    """Degree: number of distinct neighbours (ties of any weight count once).

    Examples
    --------
    >>> degree(nx.path_graph(["a", "b", "c"]))
    {'a': 1, 'b': 2, 'c': 1}
    """
    view = graph.degree()
    return {n: view[n] for n in sorted(graph)}


@not_implemented_for("multigraph")
def strength(graph: nx.Graph, *, weight: str = "weight") -> dict[str, float]:
    """Strength (weighted degree): sum of the weights of a node's ties (Opsahl et al. 2010).

    Examples
    --------
    >>> g = nx.Graph(); g.add_edge("a", "b", weight=2.0); g.add_edge("b", "c", weight=0.5)
    >>> strength(g)
    {'a': 2.0, 'b': 2.5, 'c': 0.5}
    """
    view = graph.degree(weight=weight)  # one view, not one per node: the same sums
    return {n: float(view[n]) for n in sorted(graph)}


@not_implemented_for("multigraph")
def betweenness(graph: nx.Graph, *, weight: str | None = "weight",
                backend: Backend = "igraph") -> dict[str, float]:
    """Normalized betweenness; with ``weight`` the path length is ``1 / weight`` (distance).

    Freeman's betweenness (Brandes' algorithm), normalized by ``(n-1)(n-2)/2`` for undirected and
    ``(n-1)(n-2)`` for directed graphs, so values lie in [0, 1].

    Parameters
    ----------
    weight
        Edge attribute holding tie strength, or None for hop counts.
    backend
        ``igraph`` (default; :func:`tsunagari.analysis.fast_backend.betweenness`) or ``networkx``
        (``networkx.betweenness_centrality``), for cross-checks.

    Raises
    ------
    ValueError
        If an edge weight is not a positive finite number.
    BackendError
        If ``backend`` is not ``igraph`` or ``networkx``.

    Examples
    --------
    The centre of a 3-node path lies on the only path between the ends:

    >>> betweenness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> betweenness(nx.path_graph(["a", "b", "c"]), backend="networkx")
    {'a': 0.0, 'b': 1.0, 'c': 0.0}

    Notes
    -----
    O(nm + n² log n) time with weights (Brandes 2001). The two backends give identical hop-count
    results. With weights, igraph compares path lengths with a relative tolerance of 1e-10, so two
    paths of mathematically equal length whose floating-point sums differ in the last bit (e.g.
    ``1/3 + 1/6`` and ``1/2``) are both shortest; networkx keeps only the one whose sum happens to
    be smaller. Weighted values can therefore differ between the backends at such ties (measured:
    none on the Amagasaki sample, 2e-5 on the benchmark's synthetic 858-actor city, at most 7e-3
    over 1,741 synthetic municipalities; see ``docs/performance.md``); igraph's count is the
    mathematically exact one.

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
       *Sociometry*, 40(1), 35–41.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
       Mathematical Sociology*, 25(2), 163–177.
    """
    check_backend(backend)
    return dict(_betweenness(graph, weight, backend))


@per_graph
def _betweenness(graph: nx.Graph, weight: str | None, backend: Backend) -> dict[str, float]:
    if backend == "igraph":
        # igraph on the graph in the node-sorted copy's order (the numbers of fast_backend.betweenness
        # on with_distance's copy, bit for bit), without making the copy
        if graph.number_of_nodes() == 0:
            return {}
        converted, nodes, lengths = _igraph_of(graph, weight)
        scale = fast_backend.normalization(graph.number_of_nodes(), directed=graph.is_directed(), normalized=True)
        values = converted.betweenness(directed=graph.is_directed(), weights=lengths)
        return {n: float(value * scale) for n, value in zip(nodes, values)}
    g = with_distance(graph, weight=weight) if weight else _sorted_copy(graph)
    found = nx.betweenness_centrality(g, normalized=True, weight="distance" if weight else None)
    return {n: float(found[n]) for n in sorted(g)}


@not_implemented_for("multigraph")
def closeness(graph: nx.Graph, *, weight: str | None = "weight",
              backend: Backend = "igraph") -> dict[str, float]:
    """Closeness (Wasserman–Faust variant for disconnected graphs); lengths ``1 / weight``.

    ``(r / (n-1)) · (r / Σ d)`` where ``r`` is the number of nodes a node reaches and ``Σ d`` the
    sum of distances to them; 0 for an isolate. On directed graphs, outward distances are used.

    Parameters
    ----------
    weight
        Edge attribute holding tie strength, or None for hop counts.
    backend
        ``igraph`` (default; :func:`tsunagari.analysis.fast_backend.closeness`) or ``networkx``
        (``networkx.closeness_centrality``); same numbers to floating-point rounding.

    Raises
    ------
    ValueError
        If an edge weight is not a positive finite number.
    BackendError
        If ``backend`` is not ``igraph`` or ``networkx``.

    Examples
    --------
    >>> closeness(nx.path_graph(["a", "b", "c"]))["b"]
    1.0
    >>> closeness(nx.path_graph(["a", "b", "c"]), backend="networkx")["b"]
    1.0

    Notes
    -----
    One shortest-path search per node: O(nm + n² log n) with weights.

    References
    ----------
    .. [1] Wasserman, S., & Faust, K. (1994). *Social Network Analysis: Methods and
       Applications*. Cambridge University Press, pp. 200–201.
    """
    check_backend(backend)
    if backend == "igraph" and not graph.is_directed():
        # the node-sorted copy's order, without the copy (see betweenness)
        n = graph.number_of_nodes()
        if n <= 1:
            return dict.fromkeys(sorted(graph), 0.0)
        converted, nodes, lengths = _igraph_of(graph, weight)
        found = converted.closeness(mode="all", weights=lengths, normalized=True)
        # the nodes a node reaches in an undirected graph: the rest of its component
        membership = converted.connected_components().membership
        sizes = Counter(membership)
        reach = [sizes[component] - 1 for component in membership]
        return {node: float(0.0 if r == 0 or math.isnan(c) else c * r / (n - 1))
                for node, c, r in zip(nodes, found, reach)}
    g = with_distance(graph, weight=weight) if weight else _sorted_copy(graph)
    if g.is_directed():
        g = g.reverse(copy=True)  # both backends use incoming distance; we report outgoing
    length = "distance" if weight else None
    if backend == "igraph":
        values = fast_backend.closeness(g, distance=length)
    else:
        values = nx.closeness_centrality(g, distance=length, wf_improved=True)
    return {n: float(values[n]) for n in sorted(g)}


@not_implemented_for("multigraph")
def eigenvector(graph: nx.Graph, *, weight: str | None = "weight") -> dict[str, float]:
    """Eigenvector centrality (Bonacich 1972), Euclidean-normalized, of an undirected graph.

    Computed per connected component and scaled by the component's leading eigenvalue relative
    to the largest one, so that a disconnected network gets a well-defined, order-independent
    answer (components with a smaller leading eigenvalue get proportionally smaller scores; the
    whole vector has unit norm). Isolates get 0.

    Examples
    --------
    In a star the centre scores ``1/√2`` and each of the ``k`` leaves ``1/√(2k)``:

    >>> round(eigenvector(nx.star_graph(4))[0], 6)
    0.707107

    References
    ----------
    .. [1] Bonacich, P. (1972). Factoring and weighting approaches to status scores and clique
       identification. *Journal of Mathematical Sociology*, 2(1), 113–120.
    """
    g = graph.to_undirected() if graph.is_directed() else graph
    scores = {n: 0.0 for n in sorted(g)}
    parts = []
    # components in the order of their first node, nodes sorted: the result does not depend on insertion order
    with _one_blas_thread():
        for component in sorted(nx.connected_components(g), key=min):
            if len(component) < 2:
                continue
            nodes = sorted(component)
            value, vector = _leading_eigenpair(g, nodes, weight or None)
            parts.append((value, nodes, vector / np.linalg.norm(vector)))
    if parts:
        top = max(p[0] for p in parts)
        total = math.sqrt(sum((p[0] / top) ** 2 for p in parts))
        for value, nodes, vector in parts:
            for node, x in zip(nodes, vector, strict=True):
                scores[node] = float(x * value / top / total)
    return scores


_BLAS: Any = None  # threadpoolctl's controller once looked up; False without threadpoolctl
_BLAS_LOCK = threading.Lock()
_BLAS_USERS = 0  # eigenvector calls inside the limit (threads of a dashboard server may overlap)
_BLAS_LIMITER: Any = None


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Context in which OpenBLAS (NumPy's and SciPy's) runs on one thread, if threadpoolctl is installed.

    The components' eigenproblems are small (most below 64 actors): OpenBLAS wakes its worker threads
    for each and they spin, so on two cores the threads cost several times the solve (measured:
    eigenvector of synthetic municipalities 0–99 0.55 CPU s with the default threads, 0.17 with one).
    The same LAPACK and ARPACK routines run, and give the same numbers (tested on the samples and
    synthetic municipalities against the golden). The limit is process-wide: the first of overlapping
    calls sets it and the last one out restores the original thread counts.
    """
    global _BLAS, _BLAS_USERS, _BLAS_LIMITER
    with _BLAS_LOCK:
        if _BLAS is None:
            try:
                threadpoolctl = importlib.import_module("threadpoolctl")
            except ImportError:  # optional: without it, the default threads (same numbers, more CPU)
                _BLAS = False
            else:
                import scipy.sparse.linalg  # noqa: F401  (SciPy's OpenBLAS loaded, so the controller sees it)

                _BLAS = threadpoolctl.ThreadpoolController()
        if _BLAS is not False:
            if _BLAS_USERS == 0:
                _BLAS_LIMITER = _BLAS.limit(limits=1, user_api="blas")
            _BLAS_USERS += 1
    try:
        yield
    finally:
        if _BLAS is not False:
            with _BLAS_LOCK:
                _BLAS_USERS -= 1
                if _BLAS_USERS == 0:
                    _BLAS_LIMITER.restore_original_limits()
                    _BLAS_LIMITER = None


_DENSE_EIGEN_MAX = 64  # components up to this size: numpy's dense solver; larger: sparse Lanczos


def _leading_eigenpair(graph: nx.Graph, nodes: list, weight: str | None) -> tuple[float, np.ndarray]:
    """Largest eigenvalue of the adjacency matrix of ``nodes`` and its eigenvector, made non-negative.

    Small components use the dense ``numpy.linalg.eigh`` (O(n³)); larger ones ``scipy.sparse.linalg.eigsh``
    (implicitly restarted Lanczos, O(m) per iteration) to machine precision (``tol=0``) from a fixed
    all-ones start, so the result is deterministic and agrees with the dense one to rounding (tested
    to 1e-12).
    """
    # the adjacency matrix of the component, read from the graph's own dicts: the matrices networkx's
    # to_numpy_array / to_scipy_sparse_array build for `nodelist=nodes` (entry by entry the same),
    # without the subgraph view they go through (most of the time of this function)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = graph._adj
    rows, columns, entries = [], [], []
    for i, u in enumerate(nodes):
        for v, data in adjacency[u].items():
            j = index.get(v)
            if j is not None:
                rows.append(i)
                columns.append(j)
                entries.append(data.get(weight, 1) if weight is not None else 1)
    n = len(nodes)
    if n <= _DENSE_EIGEN_MAX:
        matrix = np.zeros((n, n))
        matrix[rows, columns] = entries
        values, vectors = np.linalg.eigh(matrix)
        return float(values[-1]), np.abs(vectors[:, -1])
    from scipy.sparse import coo_array
    from scipy.sparse.linalg import eigsh

    sparse = coo_array((np.array(entries, dtype=float), (rows, columns)), shape=(n, n)).asformat("csr")
    values, vectors = eigsh(sparse, k=1, which="LA", tol=0, v0=np.ones(n))
    return float(values[0]), np.abs(vectors[:, 0])


def sampled_betweenness(graph: nx.Graph, *, k: int, seed: int, weight: str | None = "weight"):
    """Betweenness estimated from ``k`` seeded pivots per large component, with its standard error per node.

    Same scale and distance convention (``1 / weight``) as :func:`betweenness`; used by
    :func:`tsunagari.analysis.metrics.compute_metrics` for networks with a component above
    :data:`tsunagari.analysis.fast_backend.SAMPLE_THRESHOLD` actors; components of at most ``k``
    actors are exact. Returns
    :class:`tsunagari.analysis.fast_backend.SampledBetweenness`.

    References
    ----------
    .. [1] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
       *International Journal of Bifurcation and Chaos*, 17(7), 2303–2318.
    """
    g = with_distance(graph, weight=weight) if weight else _sorted_copy(graph)
    return fast_backend.sampled_betweenness(g, k=min(k, g.number_of_nodes()), seed=seed,
                                            weight="distance" if weight else None)
