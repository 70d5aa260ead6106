"""Districts: the district tree of a municipality and how far a resource's service area reaches in it.

Reach
    A resource (program, agency, residents' group, council) is *anchored* at the districts it
    ``SERVES``. It reaches an anchor district, every sub-area below it (a resource serving a 地区
    reaches its 小学校区) and every enclosing area above it up to, not including, the city level (a
    resource inside a 小学校区 is inside its 地区 too). A resource with no anchor, or anchored at a
    市域 (layer level 1) district, is *city-wide*: it reaches every district, counted apart so that
    "covered only from the city centre" shows. ``LOCATED_IN`` (an agency's office) is location only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import networkx as nx
import pandas as pd

from tsunagari.analysis._memo import per_graph
from tsunagari.analysis.errors import CoverageInputError
from tsunagari.graph.vocabulary import vocabulary

__all__ = ["PER_UNITS", "district_table", "district_tier", "resolve_district", "resource_reach", "reach_from",
           "district_reach", "service_anchors", "program_providers", "units_of", "LOCAL_REACH"]

# denominator → (scale, name used in column names): units per 10,000 residents, per 1,000 aged 65+ ...
PER_UNITS: dict[str, tuple[int, str]] = {"population": (10_000, "10k"), "elderly": (1_000, "1k"),
                                         "children": (1_000, "1k")}
_REACH_ORDER = {"own": 0, "descendant": 1, "ancestor": 2, "city": 3}
LOCAL_REACH = frozenset({"own", "descendant", "ancestor"})
"""Reach kinds that count as local to a district (everything but ``city``)."""


_RESOURCE_KINDS = ("Program", "Agency", "ResidentGroup", "Council")
DIRECT = "直営"
RESPONSIBLE_BASIS = "programs.responsible"  # basis of the OPERATES tie implied by a program's 所管課


def district_tier(data: dict) -> int | None:
    """Tier (1, 2 or 3: 第1層/第2層/第3層) of a district: its own ``tier``, else its area type's default.

    Examples
    --------
    >>> district_tier({"layer": "日常生活圏域", "tier": "第3層"}), district_tier({"layer": "日常生活圏域"})
    (3, 2)
    """
    tier = vocabulary("tiers").lookup(str(data["tier"])) if data.get("tier") else None
    if tier is not None:
        return int(tier.code)
    layer = vocabulary("layers").lookup(str(data["layer"])) if data.get("layer") else None
    return int(str(layer.extra["default_tier"])) if layer else None


def _is_city_wide(data: dict) -> bool:
    # 第1層 is the whole municipality (the loader refuses a 市域 district at another tier).
    return district_tier(data) == 1


def _int_or_na(value: object) -> object:
    return pd.NA if value is None or value == "" else value


@per_graph
def district_table(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """The districts of ``graph`` with their place in the district tree.

    Returns
    -------
    pandas.DataFrame
        One row per district: ``uid``, ``district_id``, ``district`` (name), ``name_en``, ``layer``,
        ``tier`` (1, 2 or 3 for 第1層/第2層/第3層, the district's own or its area type's default; Int64),
        ``parent_uid`` (enclosing district,
        empty when directly under the municipality), ``city_level`` (bool: a 市域 district),
        ``top_local`` (bool: the highest districts below the city level), ``ancestors`` and
        ``descendants`` (lists of uids, excluding city-level districts), ``population``,
        ``households``, ``elderly``, ``children`` (Int64, NA when missing) and
        ``association_rate`` (Float64, %).

    Examples
    --------
    >>> district_table(nx.MultiDiGraph()).empty
    True
    """
    columns = ["uid", "district_id", "district", "name_en", "layer", "tier", "parent_uid", "city_level",
               "top_local", "ancestors", "descendants", "population", "households", "elderly", "children",
               "association_rate"]
    uids = [n for n, d in graph.nodes(data=True) if d.get("kind") == "District"]
    parent: dict[str, str] = {}
    for u, v, d in graph.edges(data=True):
        if d.get("kind") == "PART_OF" and u in uids and graph.nodes[v].get("kind") == "District":
            parent[u] = v
    city = {u for u in uids if _is_city_wide(graph.nodes[u])}

    def ancestors(uid: str) -> list[str]:
        chain, seen = [], {uid}
        while uid in parent and parent[uid] not in seen:
            uid = parent[uid]
            seen.add(uid)
            if uid not in city:
                chain.append(uid)
        return chain

    ancestor_map = {u: ancestors(u) for u in uids}
    descendants: dict[str, list[str]] = defaultdict(list)
    for u, chain in ancestor_map.items():
        for a in chain:
            descendants[a].append(u)
    rows = []
    for u in uids:
        d = graph.nodes[u]
        rows.append({
            "uid": u, "district_id": d.get("id"), "district": d.get("name"), "name_en": d.get("name_en", ""),
            "layer": d.get("layer"), "tier": district_tier(d), "parent_uid": parent.get(u, ""),
            "city_level": u in city, "top_local": u not in city and not ancestor_map[u],
            "ancestors": ancestor_map[u], "descendants": sorted(descendants[u]),
            **{c: _int_or_na(d.get(c)) for c in ("population", "households", "elderly", "children")},
            "association_rate": _int_or_na(d.get("association_rate")),
        })
    frame = pd.DataFrame(rows, columns=columns)
    frame["tier"] = frame["tier"].astype("Int64")
    for column in ("population", "households", "elderly", "children"):
        frame[column] = frame[column].astype("Int64")
    frame["association_rate"] = frame["association_rate"].astype("Float64")
    frame["city_level"] = frame["city_level"].astype(bool)
    frame["top_local"] = frame["top_local"].astype(bool)
    return frame.sort_values("district_id", kind="stable").reset_index(drop=True)


def resolve_district(graph: nx.MultiDiGraph, district: str) -> str:
    """The uid of the district whose id, name or English name is ``district``.

    Raises
    ------
    CoverageInputError
        If no district matches; the message lists the known districts.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("1:n", kind="District", id="n", name="北地区")
    >>> resolve_district(g, "北地区")
    '1:n'
    """
    table = district_table(graph)
    for row in table.itertuples(index=False):
        if district in (row.district_id, row.district, row.name_en, row.uid):
            return row.uid
    known = ", ".join(f"{r.district_id} ({r.district})" for r in table.itertuples(index=False)) or "none"
    raise CoverageInputError("analysis.unknown_district", district=district,
                             municipality=graph.graph.get("name", "?"), known=known)


def units_of(data: dict) -> int:
    """Units a node stands for: ``count`` of an aggregate node (地域包括支援センター ×12 = 12), else 1."""
    count = data.get("count")
    return int(count) if isinstance(count, int | float) and count and count > 0 else 1


def service_anchors(graph: nx.MultiDiGraph, uid: str) -> set[str]:
    """The districts ``uid`` SERVES (its service area; empty = the whole municipality)."""
    return {v for _, v, e in graph.out_edges(uid, data=True)
            if e.get("kind") == "SERVES" and graph.nodes[v].get("kind") == "District"}


def program_providers(graph: nx.MultiDiGraph, uid: str) -> tuple[list[str], str]:
    """(providers, overseer) of program ``uid`` (``docs/analysis-coverage.md``, Provisions rule 2).

    Providers are the actors with an explicit ``OPERATES`` tie to it (sorted uids); the overseer is its
    所管課 (``programs.responsible``) when that is not a provider, else ``""``. A 直営 program with no
    other operator is run by its 所管課. No provider at all: ``[]`` (the program is its own provider).
    """
    providers: list[str] = []
    responsible = ""
    for u, _, e in graph.in_edges(uid, data=True):
        if e.get("kind") != "OPERATES" or graph.nodes[u].get("kind") == "Program":
            continue
        if e.get("basis") == RESPONSIBLE_BASIS and not e.get("operation"):
            responsible = u
        else:
            providers.append(u)
    providers = sorted(providers)
    if not providers and responsible and graph.nodes[uid].get("operation") == DIRECT:
        return [responsible], ""
    return providers, responsible if responsible not in providers else ""


def reach_from(anchors: Iterable[str], table: pd.DataFrame) -> dict[str, str]:
    """District uid → how a service area anchored at ``anchors`` reaches it (``own``, ``descendant``,
    ``ancestor`` or ``city``), over the non-city districts of :func:`district_table` ``table``.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("1:a", kind="District", id="a", layer="地区")
    >>> reach_from([], district_table(g)), reach_from(["1:a"], district_table(g))
    ({'1:a': 'city'}, {'1:a': 'own'})
    """
    return district_reach(table)(anchors)


def district_reach(table: pd.DataFrame) -> Callable[[Iterable[str]], dict[str, str]]:
    """:func:`reach_from` over ``table`` as a function of the anchors, the table read once.

    For the many resources of one municipality: the district tree is indexed once and each
    distinct set of anchors is worked out once (a new dict is returned every call).

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("1:a", kind="District", id="a", layer="地区")
    >>> reach = district_reach(district_table(g))
    >>> reach([]), reach(["1:a"])
    ({'1:a': 'city'}, {'1:a': 'own'})
    """
    local = table[~table["city_level"]]
    city = set(table.loc[table["city_level"], "uid"])
    info = {uid: (list(below), list(above)) for uid, below, above
            in zip(local["uid"], local["descendants"], local["ancestors"])}
    known: dict[frozenset[str], dict[str, str]] = {}

    def reach(anchors: Iterable[str]) -> dict[str, str]:
        key = frozenset(anchors)
        if key not in known:
            known[key] = _reach(key, info, city)
        return dict(known[key])

    return reach


def _reach(anchors: frozenset[str], info: dict[str, tuple[list[str], list[str]]], city: set[str]) -> dict[str, str]:
    best: dict[str, str] = {}

    def offer(district_uid: str, how: str) -> None:
        if district_uid not in best or _REACH_ORDER[how] < _REACH_ORDER[best[district_uid]]:
            best[district_uid] = how

    local_anchors = (anchors - city) & set(info)
    if not local_anchors or anchors & city:
        for district_uid in info:
            offer(district_uid, "city")
    for anchor in local_anchors:
        offer(anchor, "own")
        below, above = info[anchor]
        for district_uid in below:
            offer(district_uid, "ancestor")  # the resource sits in an ancestor of `below`
        for district_uid in above:
            offer(district_uid, "descendant")  # the resource sits in a descendant of `above`
    return best


@per_graph
def resource_reach(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Which districts each resource's service area reaches, and how (see the module notes).

    The service area is the districts a resource ``SERVES`` (``district`` of programs, councils and
    residents' groups, ``serves`` of agencies, SERVES ties); an agency's ``LOCATED_IN`` is where its
    office is and reaches nothing. No service area: the whole municipality (``city``) — except a
    program, which then reaches where its providers (:func:`program_providers`) serve, each the
    closest way (``docs/data-format.md``, ``programs.district``; the same rule as its provisions).

    Returns
    -------
    pandas.DataFrame
        One row per (resource, district reached), city-level districts excluded: ``uid``, ``kind``,
        ``name``, ``units``, ``district_uid``, ``district_id``, ``reach`` (``own``: anchored there;
        ``descendant``: anchored in one of its sub-areas; ``ancestor``: anchored in an enclosing
        area below the city; ``city``: city-wide). A resource reaching a district in several ways
        keeps the closest (own, descendant, ancestor, city in that order).

    Examples
    --------
    >>> resource_reach(nx.MultiDiGraph()).empty
    True
    """
    columns = ["uid", "kind", "name", "units", "district_uid", "district_id", "reach"]
    table = district_table(graph)
    ids = dict(zip(table["uid"], table["district_id"]))
    reach = district_reach(table)
    rows = []
    for uid, d in graph.nodes(data=True):
        if d.get("kind") not in _RESOURCE_KINDS:
            continue
        anchors = service_anchors(graph, uid)
        providers = program_providers(graph, uid)[0] if d["kind"] == "Program" and not anchors else []
        reached = reach(anchors) if not providers else {}
        for provider in providers:  # a program with no area of its own: where its providers serve
            for district_uid, how in reach(service_anchors(graph, provider)).items():
                if district_uid not in reached or _REACH_ORDER[how] < _REACH_ORDER[reached[district_uid]]:
                    reached[district_uid] = how
        for district_uid, how in reached.items():
            rows.append({"uid": uid, "kind": d["kind"], "name": d.get("name"), "units": units_of(d),
                         "district_uid": district_uid, "district_id": ids[district_uid],
                         "reach": how})
    return pd.DataFrame(rows, columns=columns)
