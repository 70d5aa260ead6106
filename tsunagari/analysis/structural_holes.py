"""Structural holes: Burt's constraint and effective size.

An actor whose contacts are not tied to each other spans structural holes: it is the one who can
pass information between otherwise separate parts of the network (Burt 1992 [1]_).

References
----------
.. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard
   University Press.
.. [2] Borgatti, S. P. (1997). Structural holes: Unpacking Burt's redundancy measures.
   *Connections*, 20(1), 35–38.
"""

from __future__ import annotations

import networkx as nx
from networkx.utils import not_implemented_for


__all__ = ["constraint", "effective_size"]


@not_implemented_for("multigraph")
def constraint(graph: nx.Graph, *, weight: str | None = "weight") -> dict[str, float]:
    """Burt's constraint ``c_i = Σ_j (p_ij + Σ_q p_iq p_qj)²`` over the contacts ``j`` of ``i``.

    ``p_ij`` is the share of ``i``'s tie strength invested in ``j`` (weights of ties to ``j``
    divided by the sum of ``i``'s tie weights). Low constraint = many non-redundant contacts.
    Ranges from about ``1/n`` (a star's centre with ``n`` unconnected contacts) up to 1.125 in a
    triangle and higher; NaN for an isolate (Burt 1992, ch. 2).

    Examples
    --------
    Centre of a 3-leaf star: three contacts, each ``p = 1/3``, none tied to each other:

    >>> round(constraint(nx.star_graph(3), weight=None)[0], 6)
    0.333333
    """
    if graph.number_of_nodes() == 0:
        return {}
    # networkx's own formula (nx.constraint with SciPy installed, as this package requires):
    # M = mutual weights a_ij + a_ji over their row sums, c_i = Σ_{j: M_ij > 0} (M_ij + (M @ M)_ij)²,
    # NaN where the row sum less twice the diagonal is 0. networkx takes M @ M of the dense n × n
    # matrix (O(n³): 1,000 actors about 10⁹ operations) on a node-sorted copy; sparse products over
    # the ties give the same numbers to rounding (tested to 1e-12).
    import numpy as np
    from scipy.sparse import csr_array

    nodes = sorted(graph)
    n = len(nodes)
    r, c, a = _arcs(graph, nodes, weight)
    mutual = csr_array((np.concatenate([a, a]), (np.concatenate([r, c]), np.concatenate([c, r]))), shape=(n, n))
    mutual.eliminate_zeros()  # as networkx's sum P + Pᵀ: a tie of weight 0 is no contact
    totals = np.asarray(mutual.sum(axis=1)).ravel()
    shares = mutual.copy()
    with np.errstate(divide="ignore"):  # as networkx: stored entries times the row's reciprocal
        shares.data *= (1.0 / totals)[np.repeat(np.arange(n), np.diff(shares.indptr))]
    mask = csr_array(shares > 0).astype(float)
    terms = csr_array(shares.multiply(mask) + (shares @ shares).multiply(mask))
    values_array = np.asarray(terms.multiply(terms).sum(axis=1)).ravel()
    isolated = totals - 2 * shares.diagonal() == 0
    return {node: float("nan") if alone else float(value)
            for node, value, alone in zip(nodes, values_array, isolated)}


def _arcs(graph: nx.Graph, nodes: list, weight: str | None):
    """Row, column and weight arrays of the ties, in ``graph.edges()`` order; an undirected tie gives
    ``(i, j)`` then ``(j, i)`` (a loop once).

    The arrays constraint was always built from (so the sparse sums run in the same order, bit for bit),
    read from the graph's own dicts: the edge view and six appends per tie were most of its time.
    """
    import numpy as np

    index = {node: i for i, node in enumerate(nodes)}
    adjacency = graph._adj
    directed = graph.is_directed()
    seen: set = set()
    ends: list[int] = []
    arcs: list = []
    for u, neighbours in adjacency.items():  # EdgeView's order: an undirected tie from the first end met
        i = index[u]
        for v, data in neighbours.items():
            if directed or v not in seen:
                ends.append(i)
                ends.append(index[v])
                arcs.append(data.get(weight, 1) if weight is not None else 1)
        if not directed:
            seen.add(u)
    pairs = np.array(ends, dtype=np.int64).reshape(-1, 2)
    first, second = pairs[:, 0], pairs[:, 1]
    weights = np.array(arcs, dtype=float)
    if directed:
        return first, second, weights
    rows = np.column_stack([first, second]).ravel()
    columns = np.column_stack([second, first]).ravel()
    doubled = np.repeat(weights, 2)
    keep = np.ones(len(rows), dtype=bool)
    keep[1::2] = first != second  # a loop is one arc
    return rows[keep], columns[keep], doubled[keep]


@not_implemented_for("multigraph")
def effective_size(graph: nx.Graph, *, weight: str | None = "weight") -> dict[str, float]:
    """Burt's effective size: number of contacts minus their redundancy.

    ``Σ_j [1 − Σ_{q≠i,j} p_iq m_jq]`` over the contacts ``j`` of ``i`` (Burt 1992, ch. 2), where
    ``p_iq`` is the share of ``i``'s tie strength invested in ``q`` and ``m_jq`` is ``j``'s tie to
    ``q`` divided by ``j``'s own strongest tie (tie strength = ``a_jq + a_qj``). Without weights this
    equals ``n − 2t/n`` (``t`` ties among the ``n`` contacts, Borgatti 1997). Unitless (a number of
    contacts). NaN for an isolate. Computed the same whatever is installed.

    Examples
    --------
    In a triangle each node has 2 contacts that know each other: ``2 − 2·1/2 = 1``.

    >>> effective_size(nx.complete_graph(3), weight=None)[0]
    1.0
    """
    if graph.number_of_nodes() == 0:
        return {}
    if not graph.is_directed():
        fast = _effective_size_undirected(graph, weight)
        if fast is not None:
            return fast
    # Burt's per-node formula, written out rather than nx.effective_size: networkx 3.6's vectorised
    # path (taken whenever SciPy is installed) divides by the wrong contact's strongest tie on
    # weighted graphs (open upstream PR #8906), so its answer depended on the environment.
    def mutual(u: str, v: str) -> float:
        return _tie(graph, u, v, weight) + (_tie(graph, v, u, weight) if graph.is_directed() else 0.0)

    contacts = {n: _contacts(graph, n) for n in graph}
    # Every tie strength a node needs, looked up once; sums run over the contacts in sorted order,
    # so the last bits no longer depend on the process's string hashing (set order) as they did.
    ties = {n: {q: mutual(n, q) for q in sorted(contacts[n])} for n in graph}
    strongest = {n: max(ties[n].values(), default=0.0) for n in graph}
    values = {}
    for n in sorted(graph):
        if not contacts[n]:
            values[n] = float("nan")
            continue
        own = ties[n]
        total = sum(own.values())
        size = 0.0
        for j in own:
            theirs, top = ties[j], strongest[j]
            redundancy = sum(own[q] / total * (theirs[q] / top if top else 0.0)
                             for q in own if q != j and q in theirs)
            size += 1.0 - redundancy
        values[n] = size
    return values


def _sequential_sums(values, starts, counts):
    """Sum of ``values[starts[g] : starts[g] + counts[g]]`` for each group ``g``, added left to right from 0.0.

    Python's ``sum`` of floats (CPython 3.11) adds one term after the other; so does this, one term
    position at a time across all groups, so each group's sum is that ``sum`` bit for bit
    (``numpy.add.reduceat`` may add pairwise and differ in the last bit).
    """
    import numpy as np

    order = np.argsort(-counts, kind="stable")  # longest groups first: position k is a prefix
    ordered_starts, ordered_counts = starts[order], counts[order]
    acc = np.zeros(len(counts))
    for k in range(int(ordered_counts[0]) if len(counts) else 0):
        live = int(np.searchsorted(-ordered_counts, -k, side="left"))  # groups with more than k terms
        acc[:live] += values[ordered_starts[:live] + k]
    out = np.empty(len(counts))
    out[order] = acc
    return out


def _effective_size_undirected(graph: nx.Graph, weight: str | None) -> dict[str, float] | None:
    """:func:`effective_size` of an undirected graph with sparse matrices, bit for bit the per-node loop.

    The loop's redundancy of contact ``j`` to node ``n`` is ``Σ_q p_nq · m_jq`` added left to right
    over ``n``'s contacts ``q`` in sorted order. SciPy's sparse product ``P @ Mᵀ`` (SMMP, Bank &
    Douglas 1993) accumulates each entry ``(n, j)`` over the stored entries of ``P``'s row ``n`` in
    their stored order, starting from 0: with the rows stored sorted, the same products added in the
    same order (terms of untied ``q`` are absent or +0.0, which leave a sum unchanged). ``None`` (use
    the loop) without SciPy, or when a weight is negative or not finite or a node's ties sum to zero,
    where the loop's Python semantics (``ZeroDivisionError``, NaN in ``max``) would matter.
    """
    import numpy as np

    try:
        from scipy.sparse import csr_array
    except ImportError:  # the loop needs no SciPy, and gives the same numbers
        return None

    nodes = sorted(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    # every tie both ways (arcs), read from the adjacency dicts; a self-loop is no contact
    adjacency = graph._adj
    rows = np.repeat(np.arange(n, dtype=np.int64),
                     [len(adjacency[u]) - (u in adjacency[u]) for u in nodes])
    cols = np.array([index[v] for u in nodes for v in adjacency[u] if v != u], dtype=np.int64)
    if weight is None:
        arcs = np.ones(len(cols))
    else:
        arcs = np.array([float(data.get(weight, 1.0)) for u in nodes for v, data in adjacency[u].items() if v != u],
                        dtype=float)
    arcs = arcs + 0.0  # mutual(u, v) = tie + 0.0 on an undirected graph
    if len(arcs) and not (np.isfinite(arcs).all() and (arcs >= 0).all()):
        return None
    order = np.lexsort((cols, rows))  # each node's contacts in sorted order, as the loop visits them
    rows, cols, arcs = rows[order], cols[order], arcs[order]
    degree = np.bincount(rows, minlength=n).astype(np.int64)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(degree, out=ptr[1:])
    has = degree > 0
    total = _sequential_sums(arcs, ptr[:-1], degree)  # Σ_q a_nq in the contacts' order
    if (total[has] == 0).any():
        return None
    top = np.zeros(n)
    if len(arcs):
        top[has] = np.maximum.reduceat(arcs, ptr[:-1][has])  # max is exact whatever the order
    share = arcs / total[rows]  # p_nq on arc (n, q)
    top_of_row = top[rows]
    scaled = np.divide(arcs, top_of_row, out=np.zeros_like(arcs), where=top_of_row != 0)  # m_jq on arc (j, q)
    p = csr_array((share, cols, ptr), shape=(n, n))
    m_transposed = csr_array((scaled, cols, ptr), shape=(n, n)).T.tocsr()  # (q, j) → m_jq
    product = (p @ m_transposed).tocoo()
    keys = product.row.astype(np.int64) * n + product.col
    sort = np.argsort(keys, kind="stable")
    keys, values = keys[sort], product.data[sort]
    wanted = rows * n + cols
    where = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    redundancy = np.zeros(len(arcs))
    if len(keys):
        hit = keys[where] == wanted
        redundancy[hit] = values[where[hit]]
    sizes = _sequential_sums(1.0 - redundancy, ptr[:-1], degree)  # size = 0.0; size += 1 − redundancy
    return {node: float(size) if contact else float("nan") for node, size, contact in zip(nodes, sizes, has)}


def _contacts(graph: nx.Graph, node: str) -> set[str]:
    neighbours = set(graph.successors(node)) | set(graph.predecessors(node)) if graph.is_directed() else set(graph[node])
    neighbours.discard(node)
    return neighbours


def _tie(graph: nx.Graph, u: str, v: str, weight: str | None) -> float:
    if not graph.has_edge(u, v):
        return 0.0
    return 1.0 if weight is None else float(graph[u][v].get(weight, 1.0))
