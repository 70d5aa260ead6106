"""Brokerage roles by group (Gould & Fernandez 1989), with expected counts and z-scores.

A broker ``b`` sits on a directed two-path ``a → b → c`` (``a ≠ c``) with no direct tie
``a → c``. Given a grouping ``G`` of the nodes (sector, domain, layer ...), the two-path is one of
five roles, each defined here by its group pattern (UCINET's definitions [2]_, which are Gould &
Fernandez's [1]_; the labels of representative and gatekeeper are swapped in some software's
documentation, so trust the pattern, not the name):

============== ============================== ===================================================
role           pattern                        meaning
============== ============================== ===================================================
coordinator    G(a) = G(b) = G(c)             brokers inside its own group
itinerant      G(a) = G(c) ≠ G(b)             outsider brokering for another group ("consultant")
representative G(a) = G(b) ≠ G(c)             carries its group's flow out to another group
gatekeeper     G(a) ≠ G(b) = G(c)             lets an outside flow into its own group
liaison        G(a), G(b), G(c) all different brokers between two groups it does not belong to
============== ============================== ===================================================

Expected counts and z-scores follow R ``sna::brokerage`` [3]_: under a Bernoulli graph with the
observed density ``d`` (arcs / ``n(n-1)``), each ordered pair ``(a, c)`` around ``b`` forms an open
two-path with probability ``p = d²(1-d)``, so the expected count of a role is ``p`` times the number
of ordered ``(a, c)`` pairs with that role's group pattern, e.g. ``(n_b-1)(n_b-2)`` for
coordinator (``n_b`` the size of ``b``'s group, ``n`` all nodes). The variance is sna's:
``E(1-p)`` plus a covariance term ``c · d³(1-d)³`` for two-paths sharing an end, e.g.
``c = 2(n_b-1)(n_b-2)(n_b-3)`` for coordinator (all terms in ``_covariance_terms``), and
``z = (observed − expected) / sd``. These are the per-node ("nli") moments of sna 2.x's
``brokerage``; its representative/gatekeeper moments are equal, so its label swap does not matter here.

References
----------
.. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A formal approach to
   brokerage in transaction networks. *Sociological Methodology*, 19, 89–126.
.. [2] Borgatti, S. P., Everett, M. G., & Freeman, L. C. (2002). *UCINET for Windows: Software
   for Social Network Analysis* (Network > Ego Networks > Brokerage roles). Analytic Technologies.
.. [3] Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical Software*,
   24(6), 1–51 (function ``brokerage``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx
from networkx.utils import not_implemented_for
import pandas as pd

__all__ = ["ROLES", "brokerage_roles", "brokerage_role"]

ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
"""Brokerage roles in the column order of :func:`brokerage_roles`."""


def brokerage_role(group_a: str, group_b: str, group_c: str) -> str:
    """Role of broker ``b`` on the two-path ``a → b → c`` given the three groups.

    Examples
    --------
    >>> brokerage_role("福祉", "住まい", "住まい")
    'gatekeeper'
    >>> brokerage_role("福祉", "福祉", "住まい")
    'representative'
    >>> brokerage_role("福祉", "住まい", "福祉")
    'itinerant'
    """
    if group_a == group_b == group_c:
        return "coordinator"
    if group_a == group_c:
        return "itinerant"
    if group_a == group_b:
        return "representative"
    if group_b == group_c:
        return "gatekeeper"
    return "liaison"


def _pair_counts(sizes: Mapping[str, int], own: str, n: int) -> dict[str, int]:
    """Ordered (a, c) pairs around a broker of group ``own`` with each role's pattern."""
    nb = sizes[own]
    others = [size for group, size in sizes.items() if group != own]
    return {
        "coordinator": (nb - 1) * (nb - 2),
        "itinerant": sum(k * (k - 1) for k in others),
        "representative": (nb - 1) * (n - nb),
        "gatekeeper": (nb - 1) * (n - nb),
        "liaison": (n - nb) ** 2 - sum(k * k for k in others),
        "total": (n - 1) * (n - 2) if n > 2 else 0,
    }


def _covariance_terms(sizes: Mapping[str, int], own: str, n: int) -> dict[str, float]:
    """The covariance part of each role's variance, before the factor ``d³(1-d)³`` (sna [3]_).

    Two-paths through the same broker that share an end are not independent; sna adds
    ``2·(triples sharing an end)`` for each role (4× for liaison, whose ends come from two groups).
    """
    nb = sizes[own]
    others = [size for group, size in sizes.items() if group != own]
    brokering_out = (nb - 1) * math.comb(n - nb, 2) + (n - nb) * math.comb(nb - 1, 2)
    return {
        "coordinator": 2 * (nb - 1) * (nb - 2) * (nb - 3),
        "itinerant": 2 * sum(k * (k - 1) * (k - 2) for k in others),
        "representative": 2 * brokering_out,
        "gatekeeper": 2 * brokering_out,
        "liaison": 4 * sum(k * math.comb(n - k - nb, 2) for k in others),
        "total": 2 * (n - 1) * (n - 2) * (n - 3),
    }


@not_implemented_for("multigraph")
def brokerage_roles(graph: nx.Graph, groups: Mapping[str, str]) -> pd.DataFrame:
    """Gould–Fernandez brokerage counts, expected counts and z-scores for every node.

    Parameters
    ----------
    graph
        Directed network (an undirected one is read as symmetric: each edge gives arcs both ways).
        Weights are ignored: a tie either exists or not.
    groups
        Group label of every node (e.g. from :func:`tsunagari.analysis.network.actor_groups`).

    Returns
    -------
    pandas.DataFrame
        Indexed by node (sorted). For each role ``r`` in :data:`ROLES` and ``total``: ``r``
        (observed count of open two-paths brokered), ``r_expected`` and ``r_z``. z is NaN when
        the expected variance is 0 (e.g. no other group exists).

    Raises
    ------
    KeyError
        If a node has no group in ``groups``.

    Examples
    --------
    ``a → b → c`` with ``a`` in group X and ``b``, ``c`` in group Y: ``b`` is a gatekeeper once.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> roles = brokerage_roles(g, {"a": "X", "b": "Y", "c": "Y"})
    >>> int(roles.loc["b", "gatekeeper"]), int(roles.loc["b", "total"])
    (1, 1)

    Notes
    -----
    Counts from sparse matrix products (integers, the same as enumerating the two-paths, which is
    O(Σ_b indeg(b)·outdeg(b))); expected counts and z-scores vectorised per broker group.
    """
    directed = graph if graph.is_directed() else graph.to_directed()
    nodes = sorted(directed)
    missing = [n for n in nodes if n not in groups]
    if missing:
        raise KeyError(f"`groups` has no group for nodes {missing[:5]}.")
    if not nodes:
        return _brokerage_roles_by_loop(directed, groups)
    import numpy as np

    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    arcs_list = [(index[u], index[v]) for u, v in directed.edges() if u != v]
    arcs = len(arcs_list)
    density = arcs / (n * (n - 1)) if n > 1 else 0.0
    p = density * density * (1.0 - density)
    sizes: dict[str, int] = {}
    for node in nodes:
        sizes[groups[node]] = sizes.get(groups[node], 0) + 1
    counts = _role_counts(n, np.array(arcs_list, dtype=np.int64).reshape(-1, 2),
                          [groups[node] for node in nodes])
    counts["total"] = sum(counts[role] for role in ROLES)
    # expected counts and variances depend on the broker's group only: the per-row expressions, once per group
    spread = (density * (1.0 - density)) ** 3
    moments: dict[str, dict[str, tuple[float, float]]] = {}
    for group in sizes:
        pairs, covariances = _pair_counts(sizes, group, n), _covariance_terms(sizes, group, n)
        moments[group] = {}
        for role in (*ROLES, "total"):
            expected = p * pairs[role]
            moments[group][role] = (expected, expected * (1.0 - p) + covariances[role] * spread)
    own = [groups[node] for node in nodes]
    columns: dict[str, np.ndarray] = {role: counts[role] for role in (*ROLES, "total")}
    for role in (*ROLES, "total"):
        columns[f"{role}_expected"] = np.array([moments[g][role][0] for g in own], dtype=float)
    for role in (*ROLES, "total"):
        means = columns[f"{role}_expected"]
        variance = np.array([moments[g][role][1] for g in own], dtype=float)
        positive = variance > 0
        z = np.full(n, math.nan)
        # (count − expected) / √variance element by element, as the scalar expression (IEEE sqrt is exact-rounded)
        z[positive] = (counts[role][positive] - means[positive]) / np.sqrt(variance[positive])
        columns[f"{role}_z"] = z
    return pd.DataFrame(columns, index=pd.Index(nodes, name="node"))


def _role_counts(n: int, arcs, group_of: list) -> dict:
    """Open two-paths ``a → b → c`` (``a ≠ c``, no arc ``a → c``) through each broker ``b``, by role.

    Integer counts from sparse products instead of enumerating the two-paths: for each broker, the
    ordered (predecessor, successor) pairs with a group pattern (from group counts), less the pairs
    with ``a = c`` (mutual ties) and the closed ones (``a → c``: entries of ``A Aᵀ`` masked by
    ``Aᵀ``). The patterns G(a) = G(b), G(c) = G(b), both, and G(a) = G(c) give the five roles.
    ``arcs``: (m, 2) array of distinct arcs without self-loops, ``group_of``: the group of each node.
    """
    import numpy as np
    from scipy.sparse import csr_array

    codes_of: dict = {}
    codes = np.array([codes_of.setdefault(g, len(codes_of)) for g in group_of], dtype=np.int64)
    src, dst = arcs[:, 0], arcs[:, 1]
    same = codes[src] == codes[dst]

    def matrix(rows, cols):
        return csr_array((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n, n))

    a = matrix(src, dst)  # a[x, y] = 1: arc x → y
    a_t = matrix(dst, src)
    a_same = matrix(src[same], dst[same])  # arcs inside a group
    a_same_t = matrix(dst[same], src[same])

    def row_sums(m) -> np.ndarray:
        return np.asarray(m.sum(axis=1)).ravel().astype(np.int64)

    out_degree, in_degree = row_sums(a), row_sums(a_t)
    onehot = csr_array((np.ones(n, dtype=np.int64), (np.arange(n), codes)), shape=(n, len(codes_of)))
    preds = (a_t @ onehot).toarray()  # [b, g]: predecessors of b in group g
    succs = (a @ onehot).toarray()
    preds_own, succs_own = preds[np.arange(n), codes], succs[np.arange(n), codes]
    mutual = row_sums(a.multiply(a_t))  # x with b → x and x → b: the pairs a = c
    mutual_own = row_sums(a_same.multiply(a_same_t))
    co = a @ a_t  # [b, a] = Σ_c a[b, c] a[a, c]
    every = in_degree * out_degree - mutual - row_sums(a_t.multiply(co))
    a_like_b = preds_own * out_degree - mutual_own - row_sums(a_same_t.multiply(co))
    co_same = a_same @ a_t  # successors c of b in b's group
    c_like_b = in_degree * succs_own - mutual_own - row_sums(a_t.multiply(co_same))
    both = preds_own * succs_own - mutual_own - row_sums(a_same_t.multiply(co_same))
    a_like_c = (preds * succs).sum(axis=1) - mutual - row_sums(a_t.multiply(a @ a_same_t))
    coordinator = both
    itinerant = a_like_c - both
    representative = a_like_b - both
    gatekeeper = c_like_b - both
    liaison = every - coordinator - itinerant - representative - gatekeeper
    return {"coordinator": coordinator, "itinerant": itinerant, "representative": representative,
            "gatekeeper": gatekeeper, "liaison": liaison}


def _brokerage_roles_by_loop(directed: nx.DiGraph, groups: Mapping[str, str]) -> pd.DataFrame:
    """:func:`brokerage_roles` by enumerating every two-path (the former path, kept to check against)."""
    nodes = sorted(directed)
    missing = [n for n in nodes if n not in groups]
    if missing:
        raise KeyError(f"`groups` has no group for nodes {missing[:5]}.")
    n = len(nodes)
    arcs = sum(1 for u, v in directed.edges() if u != v)
    density = arcs / (n * (n - 1)) if n > 1 else 0.0
    p = density * density * (1.0 - density)
    sizes: dict[str, int] = {}
    for node in nodes:
        sizes[groups[node]] = sizes.get(groups[node], 0) + 1
    rows = []
    successors = {u: {c for c in directed.successors(u) if c != u} for u in nodes}
    moments: dict[str, tuple[dict[str, int], dict[str, float]]] = {}  # per broker group: pairs, covariances
    for b in nodes:
        gb = groups[b]
        coordinator = itinerant = representative = gatekeeper = liaison = 0
        ends = [(c, groups[c]) for c in successors[b]]
        for a in directed.predecessors(b):
            if a == b:
                continue
            ga = groups[a]
            reached = successors[a]
            for c, gc in ends:
                if c == a or c in reached:
                    continue
                # brokerage_role(ga, gb, gc), written out
                if ga == gc:
                    if ga == gb:
                        coordinator += 1
                    else:
                        itinerant += 1
                elif ga == gb:
                    representative += 1
                elif gb == gc:
                    gatekeeper += 1
                else:
                    liaison += 1
        counts = {"coordinator": coordinator, "itinerant": itinerant, "representative": representative,
                  "gatekeeper": gatekeeper, "liaison": liaison}
        if gb not in moments:
            moments[gb] = (_pair_counts(sizes, gb, n), _covariance_terms(sizes, gb, n))
        pairs, covariances = moments[gb]
        row: dict[str, float] = {}
        for role in ROLES:
            row[role] = counts[role]
        row["total"] = sum(counts.values())
        for role in (*ROLES, "total"):
            expected = p * pairs[role]
            variance = expected * (1.0 - p) + covariances[role] * (density * (1.0 - density)) ** 3
            row[f"{role}_expected"] = expected
            row[f"{role}_z"] = (row[role] - expected) / math.sqrt(variance) if variance > 0 else math.nan
        rows.append(row)
    columns = [*ROLES, "total", *(f"{r}_expected" for r in (*ROLES, "total")),
               *(f"{r}_z" for r in (*ROLES, "total"))]
    frame = pd.DataFrame(rows, index=pd.Index(nodes, name="node"), columns=columns)
    for column in (*ROLES, "total"):
        frame[column] = frame[column].astype("int64")
    return frame
