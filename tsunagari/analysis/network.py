"""The actor network: who is tied to whom, directly or through shared councils and programs.

Every measure in :mod:`tsunagari.analysis` works on the graphs built here, so the choice of ties
(which tie kinds count, which affiliations induce ties, how ties are weighted) is made once and
recorded with every export.

* **Actors** are ``Agency`` and ``ResidentGroup`` nodes. Aggregate nodes (``aggregate=True``, one
  node standing for several sites, e.g. 地域包括支援センター ×5) are actors too; they keep their
  ``aggregate`` flag so that tables can mark them.
* **Direct ties** are the graph's ties between two actors of the kinds in ``tie_kinds``
  (default: all of them: collaboration, referral, commissioning, operation, membership and the
  organisational hierarchy ``PART_OF``).
* **Shared-affiliation ties** join two actors that sit on the same council (``MEMBER_OF`` the
  council, or its ``convener``) or operate the same program (``OPERATES``, which includes the
  responsible section). Each affiliation with *n* ≥ 2 actors adds ``1/(n-1)`` to the tie of each
  pair of its actors (Newman's collaboration weight [1]_): a 3-member case meeting binds its members
  more strongly than a 40-member city-wide council.
* **Weight** of a tie = sum of the ``weight`` of the direct ties between the pair (each tie counts
  its ``weight`` attribute, default 1.0) + the shared-affiliation weight. Measures that need a
  length use ``distance = 1 / weight`` (stronger tie = shorter).

References
----------
.. [1] Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths, weighted
   networks, and centrality. *Physical Review E*, 64(1), 016132.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from dataclasses import dataclass

import networkx as nx

from tsunagari.analysis.errors import UnknownGroupError, UnknownTieKindError
from tsunagari.graph._gc import paused_collection
from tsunagari.graph.vocabulary import vocabulary

__all__ = [
    "ACTOR_KINDS",
    "ACTOR_TIE_KINDS",
    "DEFAULT_TIE_KINDS",
    "AFFILIATION_KINDS",
    "SYMMETRIC_TIE_KINDS",
    "GROUPINGS",
    "NetworkOptions",
    "actor_network",
    "actor_digraph",
    "two_mode_network",
    "actor_groups",
]

ACTOR_KINDS: tuple[str, ...] = ("Agency", "ResidentGroup")
"""Node kinds that are actors of the network."""

ACTOR_TIE_KINDS: tuple[str, ...] = (
    "COLLABORATES_WITH", "AGREEMENT", "REFERS_TO", "COMMISSIONED_BY", "OPERATES", "MEMBER_OF", "PART_OF")
"""Tie kinds that can join two actors directly (``AGREEMENT``: a signed 協定 between two parties)."""

DEFAULT_TIE_KINDS: tuple[str, ...] = ACTOR_TIE_KINDS
"""Direct tie kinds used by default: all of them, the organisational hierarchy ``PART_OF`` included
(a 社協 branch tied to the rest only as part of its 社協 is linked, not cut off). Leave it out with
``NetworkOptions(tie_kinds=...)`` or ``tsunagari metrics --ties`` to see collaboration alone."""

AFFILIATION_KINDS: tuple[str, ...] = ("Council", "Program")
"""Node kinds whose shared membership induces ties between actors."""

SYMMETRIC_TIE_KINDS: frozenset[str] = frozenset(
    t.code for t in vocabulary("tie_kinds") if not t.extra.get("directed", True))
"""Tie kinds that run both ways in the directed view: those the vocabulary marks ``directed = false``
(the one truth of tie direction, also used by the maps and the generated data-format docs)."""

GROUPINGS: tuple[str, ...] = ("sector", "domain", "layer", "kind")
"""Node attributes usable as groups for brokerage, E-I index and participation."""

RESIDENTS_SECTOR = "住民"  # sectors vocabulary label given to residents' groups
CITY_LAYER = "市域"  # layers vocabulary label of an actor with no district (city-wide)
NO_DOMAIN = "指定なし"  # domain group of an actor with no target domain


@dataclass(frozen=True)
class NetworkOptions:
    """How the actor network is built (recorded in every export's manifest).

    Attributes
    ----------
    tie_kinds
        Direct tie kinds included (subset of :data:`ACTOR_TIE_KINDS`).
    affiliations
        Node kinds whose shared membership induces ties (subset of :data:`AFFILIATION_KINDS`;
        empty for direct ties only).
    """

    tie_kinds: tuple[str, ...] = DEFAULT_TIE_KINDS
    affiliations: tuple[str, ...] = AFFILIATION_KINDS

    def __post_init__(self) -> None:
        bad = sorted(set(self.tie_kinds) - set(ACTOR_TIE_KINDS))
        if bad:
            raise UnknownTieKindError("analysis.unknown_kinds", name="tie_kinds", bad=bad, allowed=list(ACTOR_TIE_KINDS))
        bad = sorted(set(self.affiliations) - set(AFFILIATION_KINDS))
        if bad:
            raise UnknownTieKindError("analysis.unknown_kinds", name="affiliations", bad=bad,
                                      allowed=[*AFFILIATION_KINDS, "none"])
        object.__setattr__(self, "tie_kinds", tuple(sorted(set(self.tie_kinds))))
        object.__setattr__(self, "affiliations", tuple(sorted(set(self.affiliations))))


def _actor_attributes(graph: nx.MultiDiGraph, uid: str, data: dict) -> dict:
    municipality = data.get("municipality")
    district = data.get("district")
    layer = CITY_LAYER
    if district:
        district_data = graph._node.get(f"{municipality}:{district}", {})  # graph.nodes.get, without the view
        layer = district_data.get("layer") or CITY_LAYER
    domains = sorted(data.get("domains") or [])
    sector = data.get("sector") or (RESIDENTS_SECTOR if data["kind"] == "ResidentGroup" else "その他")
    return {
        "id": data.get("id", uid),
        "name": data.get("name", uid),
        "kind": data["kind"],
        "type": data.get("type") or "",
        "sector": sector,
        "district": district or "",
        "layer": layer,
        "domains": domains,
        "domain": ";".join(domains) if domains else NO_DOMAIN,
        "aggregate": bool(data.get("aggregate", False)),
        "count": int(data.get("count") or 1),
    }


def _actors(graph: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, d in graph.nodes(data=True) if d.get("kind") in ACTOR_KINDS)


def _memberships(graph: nx.MultiDiGraph, affiliations: Iterable[str]) -> dict[str, list[str]]:
    """Affiliation uid → sorted actor uids (council members and convener; program operators)."""
    wanted = set(affiliations)
    members: dict[str, set[str]] = defaultdict(set)
    kinds = nx.get_node_attributes(graph, "kind")
    for u, v, data in _edges(graph):
        if kinds.get(u) not in ACTOR_KINDS:
            continue
        target = kinds.get(v)
        if target == "Council" and "Council" in wanted and data.get("kind") == "MEMBER_OF":
            members[v].add(u)
        elif target == "Program" and "Program" in wanted and data.get("kind") == "OPERATES":
            members[v].add(u)
    return _with_conveners(graph, wanted, kinds, members)


def _with_conveners(graph: nx.MultiDiGraph, wanted: set[str], kinds: dict, members: dict[str, set[str]]) -> dict[
        str, list[str]]:
    """:func:`_memberships` from the members found on the ties: conveners added, members sorted."""
    if "Council" in wanted:
        for node, data in graph.nodes(data=True):
            if data.get("kind") == "Council" and data.get("convener"):
                convener = f"{data.get('municipality')}:{data['convener']}"
                if kinds.get(convener) in ACTOR_KINDS:
                    members[node].add(convener)
    return {a: sorted(m) for a, m in sorted(members.items())}


def _edges(graph: nx.Graph):
    """``graph.edges(data=True)``, in its order, read from the graph's dicts (the view costs a call per edge)."""
    if graph.is_multigraph():
        return ((u, v, data) for u, neighbours in graph._adj.items() for v, keys in neighbours.items()
                for data in keys.values())
    return graph.edges(data=True)


_DIRECT, _SHARED, _KINDS, _COUNCILS, _PROGRAMS = range(5)  # the fields of a pair's entry in _collect
_COUNT_OF = {"Council": _COUNCILS, "Program": _PROGRAMS}


def _collect(graph: nx.MultiDiGraph, options: NetworkOptions, *, directed: bool) -> dict[tuple[str, str], list]:
    """Pair → ``[direct weight, shared weight, direct kinds, shared councils, shared programs]``.

    One pass over the ties finds the direct ties and the affiliations' members (what
    :func:`_memberships` finds); the sums run in the order they always did (ties in the graph's order,
    then affiliations and members sorted), so the weights are the same to the last bit.
    """
    kinds = nx.get_node_attributes(graph, "kind")
    weights: dict[tuple[str, str], list] = {}
    wanted = options.tie_kinds
    affiliations = set(options.affiliations)
    councils, programs = "Council" in affiliations, "Program" in affiliations
    members: dict[str, set[str]] = defaultdict(set)
    for u, v, data in _edges(graph):
        if kinds.get(u) not in ACTOR_KINDS:
            continue
        kind = data.get("kind")
        target = kinds.get(v)
        if target == "Council":
            if councils and kind == "MEMBER_OF":
                members[v].add(u)
        elif target == "Program":
            if programs and kind == "OPERATES":
                members[v].add(u)
        if u == v or kind not in wanted or target not in ACTOR_KINDS:
            continue
        weight = data.get("weight")
        weight = 1.0 if weight is None else float(weight)
        arcs = ((u, v), (v, u)) if directed and kind in SYMMETRIC_TIE_KINDS else ((u, v),)
        for a, b in arcs:
            key = (a, b) if directed or a < b else (b, a)
            entry = weights.get(key)
            if entry is None:
                entry = weights[key] = [0.0, 0.0, set(), 0, 0]
            entry[_DIRECT] += weight
            entry[_KINDS].add(kind)
    for affiliation, group in _with_conveners(graph, affiliations, kinds, members).items():
        if len(group) < 2:
            continue
        share = 1.0 / (len(group) - 1)
        count = _COUNT_OF[kinds[affiliation]]
        # group is sorted: each pair comes as (a, b) with a < b, the undirected key
        for pair in combinations(group, 2):  # quadratic in a council's size
            for key in (pair, pair[::-1]) if directed else (pair,):
                found = weights.get(key)
                if found is None:
                    found = weights[key] = [0.0, 0.0, set(), 0, 0]
                found[_SHARED] += share
                found[count] += 1
    return weights


def _joined(kinds: set[str]) -> str:
    """``";".join(sorted(kinds))`` (most ties have one kind or none: no sort for those)."""
    if len(kinds) > 1:
        return ";".join(sorted(kinds))
    return next(iter(kinds)) if kinds else ""


def _build(graph: nx.MultiDiGraph, options: NetworkOptions, *, directed: bool) -> nx.Graph:
    result: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    result.graph.update({k: v for k, v in graph.graph.items() if v is not None})
    result.graph["tie_kinds"] = ";".join(options.tie_kinds)
    result.graph["affiliations"] = ";".join(options.affiliations)
    nodes = graph._node
    result.add_nodes_from((uid, _actor_attributes(graph, uid, nodes[uid])) for uid in _actors(graph))
    # the edges as add_edges_from((u, v, data)) adds them: both ends are actors (nodes already), each
    # pair once, so each edge is new and its data dict is stored as made
    succ = result._adj
    pred = result._pred if directed else succ
    for (u, v), entry in sorted(_collect(graph, options, directed=directed).items()):
        direct, shared, kinds, councils, programs = entry
        weight = direct + shared
        if weight <= 0:
            continue
        data = {"weight": weight, "distance": 1.0 / weight, "direct": direct, "shared": shared,
                "kinds": _joined(kinds), "shared_councils": councils, "shared_programs": programs}
        if u in succ and v in succ and v not in succ[u]:
            succ[u][v] = data
            pred[v][u] = data
        else:  # not expected (see above); add_edge keeps add_edges_from's meaning
            result.add_edge(u, v, **data)
    nx._clear_cache(result)
    return result


def _build_paused(graph: nx.MultiDiGraph, options: NetworkOptions, *, directed: bool) -> nx.Graph:
    """:func:`_build` with the cyclic garbage collector paused (a dict per pair and per tie, all kept)."""
    with paused_collection():
        return _build(graph, options, directed=directed)


def actor_network(graph: nx.MultiDiGraph, *, options: NetworkOptions | None = None) -> nx.Graph:
    """Undirected weighted actor network of a municipality graph.

    Parameters
    ----------
    graph
        What :meth:`GraphStore.read_graph` returns.
    options
        Tie kinds and affiliations to include (default :class:`NetworkOptions`).

    Returns
    -------
    networkx.Graph
        Nodes: actor uids (sorted) with ``id``, ``name``, ``kind``, ``type``, ``sector``
        (residents' groups: 住民), ``district``, ``layer`` (of the district; 市域 when none),
        ``domains`` (list), ``domain`` (``;``-joined, 指定なし when none), ``aggregate``, ``count``.
        Edges: ``weight`` (direct + shared, see module notes), ``distance`` (``1/weight``),
        ``direct``, ``shared``, ``kinds`` (``;``-joined direct tie kinds), ``shared_councils``,
        ``shared_programs`` (numbers of shared affiliations).

    Examples
    --------
    Two agencies on one 3-member council, one of which also collaborates with the third:

    >>> g = nx.MultiDiGraph()
    >>> for n, k in [("a", "Agency"), ("b", "Agency"), ("c", "Agency"), ("m", "Council")]:
    ...     g.add_node(n, kind=k, id=n, name=n)
    >>> for n in "abc":
    ...     _ = g.add_edge(n, "m", kind="MEMBER_OF", weight=1.0)
    >>> _ = g.add_edge("a", "b", kind="COLLABORATES_WITH", weight=2.0)
    >>> net = actor_network(g)
    >>> net["a"]["b"]["weight"], net["b"]["c"]["weight"]  # 2 + 1/2, and 1/(3-1)
    (2.5, 0.5)

    Notes
    -----
    Linear in the number of ties plus the sum over affiliations of ``n**2``.
    """
    return _build_paused(graph, options or NetworkOptions(), directed=False)


def actor_digraph(graph: nx.MultiDiGraph, *, options: NetworkOptions | None = None) -> nx.DiGraph:
    """Directed weighted actor network: referrals and commissioning keep their direction.

    Same nodes and edge attributes as :func:`actor_network`. A tie ``u → v`` of a kind not in
    :data:`SYMMETRIC_TIE_KINDS` (``REFERS_TO``, ``COMMISSIONED_BY``, ``OPERATES``, ``MEMBER_OF``,
    ``PART_OF``) gives the arc ``u → v`` only; collaboration and shared affiliations give arcs both
    ways.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", kind="Agency"); g.add_node("b", kind="Agency")
    >>> _ = g.add_edge("a", "b", kind="REFERS_TO")
    >>> sorted(actor_digraph(g).edges())
    [('a', 'b')]
    """
    return _build_paused(graph, options or NetworkOptions(), directed=True)


def two_mode_network(graph: nx.MultiDiGraph, *, options: NetworkOptions | None = None,
                     include_direct: bool = False) -> nx.Graph:
    """Two-mode (actor × council/program) network: affiliations analyzed as nodes.

    Actors carry ``bipartite=0`` and the attributes of :func:`actor_network`; councils and
    programs carry ``bipartite=1``, ``kind``, ``id``, ``name`` and ``sector`` set to their kind's
    Japanese label (会議体 / 事業) so that group measures can run. Each membership gives an edge of
    weight 1. With ``include_direct`` the direct actor–actor ties of :func:`actor_network` (without
    shared-affiliation weight) are added too, giving a mixed network.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", kind="Agency"); g.add_node("m", kind="Council")
    >>> _ = g.add_edge("a", "m", kind="MEMBER_OF")
    >>> sorted(two_mode_network(g).nodes(data="bipartite"))
    [('a', 0), ('m', 1)]
    """
    options = options or NetworkOptions()
    result = nx.Graph()
    result.graph.update({k: v for k, v in graph.graph.items() if v is not None})
    result.graph["tie_kinds"] = ";".join(options.tie_kinds) if include_direct else ""
    result.graph["affiliations"] = ";".join(options.affiliations)
    labels = {"Council": "会議体", "Program": "事業"}
    for uid in _actors(graph):
        result.add_node(uid, bipartite=0, **_actor_attributes(graph, uid, graph.nodes[uid]))
    memberships = _memberships(graph, options.affiliations)
    for affiliation in sorted(memberships):
        data = graph.nodes[affiliation]
        result.add_node(affiliation, bipartite=1, id=data.get("id", affiliation),
                        name=data.get("name", affiliation), kind=data["kind"], type="",
                        sector=labels[data["kind"]], district=data.get("district") or "",
                        layer=data.get("layer") or CITY_LAYER, domains=sorted(data.get("domains") or []),
                        domain=";".join(sorted(data.get("domains") or [])) or NO_DOMAIN,
                        aggregate=bool(data.get("aggregate", False)), count=int(data.get("count") or 1))
        for member in memberships[affiliation]:
            result.add_edge(member, affiliation, weight=1.0, distance=1.0, direct=0.0, shared=1.0,
                            kinds="MEMBER_OF" if data["kind"] == "Council" else "OPERATES",
                            shared_councils=0, shared_programs=0)
    if include_direct:
        direct = _build(graph, NetworkOptions(tie_kinds=options.tie_kinds, affiliations=()), directed=False)
        for u, v, data in sorted(direct.edges(data=True)):
            result.add_edge(u, v, **data)
    return result


def actor_groups(network: nx.Graph, group: str) -> dict[str, str]:
    """Group label of every node of ``network`` for grouping ``group`` (one of :data:`GROUPINGS`).

    Raises
    ------
    UnknownGroupError
        If ``group`` is not one of :data:`GROUPINGS`.

    Examples
    --------
    >>> g = nx.Graph(); g.add_node("a", sector="福祉")
    >>> actor_groups(g, "sector")
    {'a': '福祉'}
    """
    if group not in GROUPINGS:
        raise UnknownGroupError("analysis.option", name="group", allowed=list(GROUPINGS), value=repr(group))
    return {n: str(network.nodes[n].get(group, "")) for n in sorted(network)}
