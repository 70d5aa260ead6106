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


def _contacts(graph: nx.Graph, node: str) -> set[str]:
    neighbours = set(graph.successors(node)) | set(graph.predecessors(node)) if graph.is_directed() else set(graph[node])
    neighbours.discard(node)
    return neighbours


def _tie(graph: nx.Graph, u: str, v: str, weight: str | None) -> float:
    if not graph.has_edge(u, v):
        return 0.0
    return 1.0 if weight is None else float(graph[u][v].get(weight, 1.0))
