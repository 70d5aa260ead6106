"""Participation coefficient and within-module degree (Guimerà & Amaral 2005).

The participation coefficient ``P_i = 1 − Σ_s (k_is / k_i)²`` is 0 when all of ``i``'s ties stay in
one module (a community or a formal sector) and approaches 1 when they spread evenly over many
modules [1]_; ``k_is`` is the (weighted) number of ``i``'s ties to module ``s``. The within-module
degree z-score tells how well connected ``i`` is inside its own module.

References
----------
.. [1] Guimerà, R., & Amaral, L. A. N. (2005). Functional cartography of complex metabolic
   networks. *Nature*, 433(7028), 895–900.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import networkx as nx

__all__ = ["participation_coefficient", "within_module_degree", "participation_and_within_module_degree"]


def _module_degrees(graph: nx.Graph, modules: Mapping[str, Hashable], weight: str | None) -> dict[str, dict[str, float]]:
    g = graph.to_undirected() if graph.is_directed() else graph
    result: dict[str, dict[str, float]] = {n: {} for n in g}
    for u, v, data in g.edges(data=True):
        if u == v:
            continue
        w = float(data.get(weight, 1.0)) if weight else 1.0
        result[u][modules[v]] = result[u].get(modules[v], 0.0) + w  # type: ignore[call-overload, index]
        result[v][modules[u]] = result[v].get(modules[u], 0.0) + w  # type: ignore[call-overload, index]
    return result


def participation_coefficient(graph: nx.Graph, modules: Mapping[str, Hashable], *,
                              weight: str | None = None) -> dict[str, float]:
    """``P_i = 1 − Σ_s (k_is/k_i)²`` for every node (NaN for an isolate).

    Parameters
    ----------
    modules
        Module of every node: a community id or a formal sector.
    weight
        Edge attribute for weighted degrees, or None (default) to count ties.

    Examples
    --------
    ``b`` has one tie into each of two modules: ``1 − (1/2)² − (1/2)² = 0.5``.

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> participation_coefficient(g, {"a": "X", "b": "X", "c": "Y"})["b"]
    0.5
    """
    return _participation(_module_degrees(graph, modules, weight))


def _participation(degrees: dict[str, dict[str, float]]) -> dict[str, float]:
    result = {}
    for node in sorted(degrees):
        total = sum(degrees[node].values())
        result[node] = (1.0 - sum((k / total) ** 2 for k in degrees[node].values())) if total > 0 else math.nan
    return result


def within_module_degree(graph: nx.Graph, modules: Mapping[str, Hashable], *,
                         weight: str | None = None) -> dict[str, float]:
    """Within-module degree z-score ``(k_i,s_i − mean) / sd`` over the nodes of ``i``'s module.

    0 when the module's members all have the same internal degree (sd = 0, population sd).

    Examples
    --------
    Star centre vs. leaves, all in one module: internal degrees 3,1,1,1 (mean 1.5, sd √0.75).

    >>> round(within_module_degree(nx.star_graph(3), dict.fromkeys(range(4), "X"))[0], 4)
    1.7321
    """
    return _within_module_degree(_module_degrees(graph, modules, weight), modules)


def _within_module_degree(degrees: dict[str, dict[str, float]], modules: Mapping[str, Hashable]) -> dict[str, float]:
    internal = {n: degrees[n].get(modules[n], 0.0) for n in degrees}  # type: ignore[call-overload]
    # each module's mean and sd once (the same peers in the same order as computing them per node)
    members: dict = {}
    for m in internal:
        members.setdefault(modules[m], []).append(internal[m])
    moments = {}
    for module, peers in members.items():
        mean = sum(peers) / len(peers)
        moments[module] = (mean, math.sqrt(sum((x - mean) ** 2 for x in peers) / len(peers)))
    result = {}
    for node in sorted(internal):
        mean, sd = moments[modules[node]]
        result[node] = (internal[node] - mean) / sd if sd > 0 else 0.0
    return result


def participation_and_within_module_degree(graph: nx.Graph, modules: Mapping[str, Hashable], *,
                                           weight: str | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """:func:`participation_coefficient` and :func:`within_module_degree` of the same modules, from one
    pass over the ties (both start from each node's weighted degree into each module).

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> p, z = participation_and_within_module_degree(g, {"a": "X", "b": "X", "c": "Y"})
    >>> p == participation_coefficient(g, {"a": "X", "b": "X", "c": "Y"}), z["a"]
    (True, 0.0)
    """
    degrees = _module_degrees(graph, modules, weight)
    return _participation(degrees), _within_module_degree(degrees, modules)
