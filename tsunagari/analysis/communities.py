"""Communities of the actor network (Louvain or Leiden, seeded) compared with formal sectors.

Where the clusters that the ties actually form cut across official silos, the network has
re-organised itself around problems rather than departments; where they coincide with sectors,
the silos persist. Agreement is summarised by the adjusted Rand index [3]_ and normalized mutual
information [4]_ (1 = communities are exactly the sectors, about 0 = unrelated) and shown as a
crosstab.

References
----------
.. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of
   communities in large networks. *Journal of Statistical Mechanics*, P10008.
.. [2] Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
   well-connected communities. *Scientific Reports*, 9, 5233.
.. [3] Hubert, L., & Arabie, P. (1985). Comparing partitions. *Journal of Classification*, 2(1),
   193–218.
.. [4] Danon, L., Díaz-Guilera, A., Duch, J., & Arenas, A. (2005). Comparing community structure
   identification. *Journal of Statistical Mechanics*, P09008.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd

from tsunagari.analysis.errors import AnalysisError

__all__ = ["METHODS", "communities", "modularity", "adjusted_rand_index", "normalized_mutual_information",
           "sector_crosstab"]

METHODS: tuple[str, ...] = ("louvain", "leiden")


def _label(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    return {node: index for index, group in enumerate(ordered, start=1) for node in group}


def _already_ordered(graph: nx.Graph) -> bool:
    """Whether ``graph`` is what :func:`communities` copies it into: a simple undirected graph, nodes and
    each node's neighbours sorted, no self-loop, every ``weight`` a float (Louvain reads only ``weight``)."""
    if graph.is_directed() or graph.is_multigraph():
        return False
    nodes = list(graph)
    if nodes != sorted(nodes):
        return False
    for node, neighbours in graph._adj.items():
        others = list(neighbours)
        if node in neighbours or others != sorted(others):
            return False
        if not all(type(data.get("weight")) is float for data in neighbours.values()):
            return False
    return True


def communities(graph: nx.Graph, *, method: str = "louvain", seed: int = 0, weight: str | None = "weight",
                resolution: float = 1.0) -> dict[str, int]:
    """Community id (1 = largest) of every node, by modularity optimisation.

    Parameters
    ----------
    method
        ``louvain`` (networkx, Blondel et al. 2008) or ``leiden`` (leidenalg, Traag et al. 2019).
    seed
        Seed of the algorithm's random node order: same seed and graph, same communities.
    weight
        Edge attribute used as tie strength, or None.
    resolution
        Modularity resolution (1.0 = standard modularity; ``louvain`` only).

    Returns
    -------
    dict
        node → community id; ids are numbered by decreasing size, ties broken by the smallest
        member, so they do not depend on the algorithm's internal numbering. Isolates form their
        own communities.

    Raises
    ------
    AnalysisError
        If ``method`` is unknown.

    Examples
    --------
    Two triangles joined by one tie (barbell) split into the two triangles:

    >>> c = communities(nx.barbell_graph(3, 0), seed=1)
    >>> c[0] == c[1] == c[2] != c[3] == c[4] == c[5]
    True
    """
    if method not in METHODS:
        raise AnalysisError("analysis.option", name="method", allowed=list(METHODS), value=repr(method))
    g = graph.to_undirected() if graph.is_directed() else graph
    if weight == "weight" and _already_ordered(g):
        ordered = g  # what the copy below would be, order and weights included (the actor network)
    else:
        ordered = nx.Graph()
        ordered.add_nodes_from(sorted(g))
        ordered.add_edges_from(sorted((u, v, {"weight": float(d.get(weight, 1.0)) if weight else 1.0})
                                      for u, v, d in g.edges(data=True) if u != v))
    if ordered.number_of_edges() == 0:
        return _label([[n] for n in ordered])
    if method == "louvain":
        found = nx.community.louvain_communities(ordered, weight="weight", resolution=resolution, seed=seed)
        return _label(found)
    import igraph
    import leidenalg

    nodes = list(ordered)
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in ordered.edges()])
    ig.es["weight"] = [d["weight"] for _, _, d in ordered.edges(data=True)]
    partition = leidenalg.find_partition(ig, leidenalg.ModularityVertexPartition, weights="weight", seed=seed)
    return _label([[nodes[i] for i in part] for part in partition])


def modularity(graph: nx.Graph, community: Mapping[str, object], *, weight: str | None = "weight") -> float:
    """Newman–Girvan modularity Q of a partition of an undirected graph (dimensionless, −½ … 1).

    ``Q = Σ_c [ L_c / m − (d_c / 2m)² ]`` with ``m`` the total edge weight, ``L_c`` the weight inside
    community ``c`` and ``d_c`` its total weighted degree. Sums use ``math.fsum`` (exactly rounded),
    so the value does not depend on node order or ``PYTHONHASHSEED``, unlike a plain float sum
    over sets. NaN for a graph without edges.

    Examples
    --------
    Two triangles joined by one edge, split into the triangles: Q = 6/7 − 2·(7/14)² = 5/14.

    >>> g = nx.barbell_graph(3, 0)
    >>> round(modularity(g, {0: "a", 1: "a", 2: "a", 3: "b", 4: "b", 5: "b"}), 6)
    0.357143

    References
    ----------
    .. [1] Newman, M. E. J., & Girvan, M. (2004). Finding and evaluating community structure in
       networks. *Physical Review E*, 69, 026113.
    """
    edges = [(u, v, float(d.get(weight, 1.0)) if weight else 1.0) for u, v, d in graph.edges(data=True)]
    m = math.fsum(w for _, _, w in edges)
    if not edges or m == 0:
        return math.nan
    inside: dict[object, list[float]] = {}
    degree: dict[object, list[float]] = {}
    for u, v, w in edges:
        if community[u] == community[v]:
            inside.setdefault(community[u], []).append(w)
        degree.setdefault(community[u], []).append(w)
        degree.setdefault(community[v], []).append(w)
    terms = [math.fsum(inside.get(c, [])) / m for c in degree]
    terms += [-(math.fsum(d) / (2 * m)) ** 2 for d in degree.values()]
    return math.fsum(terms)


def _contingency(a: Mapping[str, object], b: Mapping[str, object]) -> tuple[Counter, Counter, Counter, int]:
    nodes = sorted(a)
    joint = Counter((a[n], b[n]) for n in nodes)
    return joint, Counter(a[n] for n in nodes), Counter(b[n] for n in nodes), len(nodes)


def adjusted_rand_index(a: Mapping[str, object], b: Mapping[str, object]) -> float:
    """Adjusted Rand index of two partitions of the same nodes (Hubert & Arabie 1985).

    1 for identical partitions, about 0 for independent ones (can be negative); 1.0 when both put
    every node in one group.

    Examples
    --------
    >>> adjusted_rand_index({"a": 1, "b": 1, "c": 2, "d": 2}, {"a": "X", "b": "X", "c": "Y", "d": "Y"})
    1.0
    >>> round(adjusted_rand_index({"a": 1, "b": 1, "c": 2, "d": 2}, {"a": "X", "b": "Y", "c": "X", "d": "Y"}), 12)
    -0.5
    """
    joint, left, right, n = _contingency(a, b)

    def pairs(x: int) -> float:
        return x * (x - 1) / 2

    index = sum(pairs(c) for c in joint.values())
    sum_a = sum(pairs(c) for c in left.values())
    sum_b = sum(pairs(c) for c in right.values())
    expected = sum_a * sum_b / pairs(n) if n > 1 else 0.0
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def normalized_mutual_information(a: Mapping[str, object], b: Mapping[str, object]) -> float:
    """Mutual information of two partitions divided by the mean of their entropies.

    ``NMI = 2 I(A;B) / (H(A) + H(B))`` (Danon et al. 2005); 1 for identical partitions, 0 for
    independent ones; 1.0 when both entropies are 0.

    Examples
    --------
    >>> normalized_mutual_information({"a": 1, "b": 1, "c": 2, "d": 2}, {"a": "X", "b": "Y", "c": "X", "d": "Y"})
    0.0
    """
    joint, left, right, n = _contingency(a, b)
    if n == 0:
        return math.nan
    h_a = -sum(c / n * math.log(c / n) for c in left.values())
    h_b = -sum(c / n * math.log(c / n) for c in right.values())
    if h_a + h_b == 0:
        return 1.0
    mutual = sum(c / n * math.log(c * n / (left[x] * right[y])) for (x, y), c in joint.items())
    return max(0.0, 2 * mutual / (h_a + h_b))


def sector_crosstab(community: Mapping[str, int], sector: Mapping[str, str]) -> pd.DataFrame:
    """Actors per community (rows) and sector (columns).

    Examples
    --------
    >>> sector_crosstab({"a": 1, "b": 1, "c": 2}, {"a": "福祉", "b": "住まい", "c": "福祉"}).loc[1].tolist()
    [1, 1]
    """
    nodes = sorted(community)
    frame = pd.crosstab(pd.Series([community[n] for n in nodes], name="community"),
                        pd.Series([sector[n] for n in nodes], name="sector"))
    return frame.sort_index().sort_index(axis=1)
