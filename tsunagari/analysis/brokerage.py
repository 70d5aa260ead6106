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
    O(Σ_b indeg(b)·outdeg(b)) time.
    """
    directed = graph if graph.is_directed() else graph.to_directed()
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
