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


def _sorted(graph: nx.Graph) -> nx.Graph:
    copy = graph.__class__()
    copy.add_nodes_from(sorted(graph.nodes))
    copy.add_edges_from(sorted((u, v, dict(d)) for u, v, d in graph.edges(data=True)))
    return copy


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
    values = nx.constraint(_sorted(graph), weight=weight)
    return {n: float(values[n]) for n in sorted(graph)}


@not_implemented_for("multigraph")
def effective_size(graph: nx.Graph, *, weight: str | None = "weight") -> dict[str, float]:
    """Burt's effective size: number of contacts minus their redundancy.

    ``n_i − Σ_j Σ_q p_iq m_jq`` with ``m_jq`` = ``j``'s tie to ``q`` relative to ``j``'s strongest
    tie; without weights this equals ``n − 2t/n`` (``t`` ties among the ``n`` contacts, Borgatti
    1997). NaN for an isolate.

    Examples
    --------
    In a triangle each node has 2 contacts that know each other: ``2 − 2·1/2 = 1``.

    >>> effective_size(nx.complete_graph(3), weight=None)[0]
    1.0
    """
    if graph.number_of_nodes() == 0:
        return {}
    values = nx.effective_size(_sorted(graph), weight=weight)
    return {n: float(values[n]) for n in sorted(graph)}
