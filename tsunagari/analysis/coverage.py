"""Coverage cube (district × pillar × domain), gap levels and needs between systems left unaddressed.

Modelling rules (also in ``docs/analysis-coverage.md``):

Reach
    A resource (program, agency, residents' group, council) is *anchored* at the districts it is
    ``LOCATED_IN`` or ``SERVES``. It reaches an anchor district, every sub-area below it (a resource
    serving a 地区 reaches its 小学校区) and every enclosing area above it up to, not including, the
    city level (a resource inside a 小学校区 is inside its 地区 too). A resource with no anchor, or
    anchored at a 市域 (layer level 1) district, is *city-wide*: it reaches every district, counted
    apart (``city_wide_*`` columns) so that "covered only from the city centre" shows.
Pillar, domain, need
    Programs have a ``pillar``, ``domains`` and the domain of their ``article`` (第1号イ → 高齢).
    Actors get the pillars, domains and needs of the programs they ``OPERATES``; the extra rules
    in ``coverage_rules.toml`` (council level → pillar, residents' groups → 地域づくり) are data, not
    code. 全世代 counts for each of the four domains. Needs come from ``ADDRESSES`` ties.
Units and providers
    An aggregate node counts ``count`` units (地域包括支援センター ×12 is 12 units, not one point of
    failure). Gap levels count *provider* units: actors, plus programs that no actor in the data
    operates (a program and its operator are one provider, not two).
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

import networkx as nx
import pandas as pd

from tsunagari.analysis.errors import CoverageInputError
from tsunagari.analysis.na_reasons import missing_denominator, zero_denominator
from tsunagari.graph.vocabulary import vocabulary

__all__ = [
    "CoverageInputError",
    "CoverageRules",
    "coverage_rules",
    "PER_UNITS",
    "RESOURCE_KINDS",
    "GAP_LEVELS",
    "district_table",
    "resolve_district",
    "resource_profile",
    "resource_reach",
    "coverage_cube",
    "gap_cells",
    "unaddressed_needs",
]

RESOURCE_KINDS = ("Program", "Agency", "ResidentGroup", "Council")
_KIND_COLUMN = {"Program": "programs", "Agency": "agencies", "ResidentGroup": "resident_groups",
                "Council": "councils"}
# denominator → (scale, name used in column names): units per 10,000 residents, per 1,000 aged 65+ ...
PER_UNITS: dict[str, tuple[int, str]] = {"population": (10_000, "10k"), "elderly": (1_000, "1k"),
                                         "children": (1_000, "1k")}
GAP_LEVELS = ("none", "thin", "covered")
ANY_DOMAIN = "全体"
_REACH_ORDER = {"own": 0, "descendant": 1, "ancestor": 2, "city": 3}


@dataclass(frozen=True)
class CoverageRules:
    """Pillar rules from ``coverage_rules.toml``, as Japanese labels.

    Attributes
    ----------
    council_level_pillars
        Council level label → pillar labels a council of that level counts toward.
    resident_group_pillars
        Pillar labels of a residents' group that operates no program.
    all_domains
        Domain label that counts for every domain (全世代).
    """

    council_level_pillars: dict[str, tuple[str, ...]]
    resident_group_pillars: tuple[str, ...]
    all_domains: str


@cache
def coverage_rules() -> CoverageRules:
    """The rules of ``coverage_rules.toml`` with vocabulary codes turned into stored labels.

    Examples
    --------
    >>> coverage_rules().council_level_pillars["個別支援"]
    ('多機関協働',)
    """
    raw = tomllib.loads(resources.files("tsunagari.analysis").joinpath("coverage_rules.toml").read_text("utf-8"))
    pillars, levels = vocabulary("pillars"), vocabulary("council_levels")
    return CoverageRules(
        council_level_pillars={levels.by_code(level).ja: tuple(pillars.by_code(p).ja for p in codes)
                               for level, codes in raw["council_level_pillars"].items()},
        resident_group_pillars=tuple(pillars.by_code(p).ja for p in raw["resident_group_default"]["pillars"]),
        all_domains=vocabulary("domains").by_code(raw["all_domains"]["domain"]).ja,
    )


def _layer_level(layer: object) -> int | None:
    term = vocabulary("layers").lookup(str(layer)) if layer else None
    return int(str(term.extra["level"])) if term else None


def _int_or_na(value: object) -> object:
    return pd.NA if value is None or value == "" else value


def district_table(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """The districts of ``graph`` with their place in the district tree.

    Returns
    -------
    pandas.DataFrame
        One row per district: ``uid``, ``district_id``, ``district`` (name), ``name_en``, ``layer``,
        ``level`` (1 city-wide, 2 area, 3 neighbourhood; Int64), ``parent_uid`` (enclosing district,
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
    columns = ["uid", "district_id", "district", "name_en", "layer", "level", "parent_uid", "city_level",
               "top_local", "ancestors", "descendants", "population", "households", "elderly", "children",
               "association_rate"]
    uids = [n for n, d in graph.nodes(data=True) if d.get("kind") == "District"]
    parent: dict[str, str] = {}
    for u, v, d in graph.edges(data=True):
        if d.get("kind") == "PART_OF" and u in uids and graph.nodes[v].get("kind") == "District":
            parent[u] = v
    city = {u for u in uids if _layer_level(graph.nodes[u].get("layer")) == 1}

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
            "layer": d.get("layer"), "level": _layer_level(d.get("layer")), "parent_uid": parent.get(u, ""),
            "city_level": u in city, "top_local": u not in city and not ancestor_map[u],
            "ancestors": ancestor_map[u], "descendants": sorted(descendants[u]),
            **{c: _int_or_na(d.get(c)) for c in ("population", "households", "elderly", "children")},
            "association_rate": _int_or_na(d.get("association_rate")),
        })
    frame = pd.DataFrame(rows, columns=columns)
    frame["level"] = frame["level"].astype("Int64")
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


def _units(data: dict) -> int:
    count = data.get("count")
    return int(count) if isinstance(count, int | float) and count and count > 0 else 1


def resource_profile(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Pillars, domains and needs of every resource, with how each was derived.

    Returns
    -------
    pandas.DataFrame
        One row per program, agency, residents' group and council: ``uid``, ``id``, ``kind``,
        ``name``, ``sector``, ``units`` (``count`` of an aggregate node, else 1), ``provider`` (bool:
        an actor, or a program no actor operates), ``pillars`` (list of pillar labels),
        ``pillar_basis`` (``program``: own pillar; ``operates``: through operated programs;
        ``rule``: from ``coverage_rules.toml``; ``""``: none), ``domains`` (list of the four
        domain labels, 全世代 expanded) and ``needs`` (list of need labels).

    Examples
    --------
    >>> resource_profile(nx.MultiDiGraph()).empty
    True
    """
    rules = coverage_rules()
    articles = vocabulary("articles")
    specific = [t.ja for t in vocabulary("domains") if t.ja != rules.all_domains]

    def expand(domains: set[str]) -> list[str]:
        return specific if rules.all_domains in domains else [d for d in specific if d in domains]

    own: dict[str, dict] = {}
    for uid, d in graph.nodes(data=True):
        if d.get("kind") not in RESOURCE_KINDS:
            continue
        domains = set(d.get("domains") or [])
        if d.get("kind") == "Program" and d.get("article"):
            term = articles.lookup(d["article"])
            if term and term.extra.get("domain"):
                domains.add(str(term.extra["domain"]))
        needs = {graph.nodes[v].get("name") for _, v, e in graph.out_edges(uid, data=True)
                 if e.get("kind") == "ADDRESSES" and graph.nodes[v].get("kind") == "Need"}
        own[uid] = {"pillars": {d["pillar"]} if d.get("kind") == "Program" and d.get("pillar") else set(),
                    "domains": domains, "needs": {n for n in needs if n}}
    operated: dict[str, set[str]] = defaultdict(set)
    operators: dict[str, set[str]] = defaultdict(set)
    for u, v, e in graph.edges(data=True):
        if (e.get("kind") == "OPERATES" and graph.nodes[v].get("kind") == "Program"
                and graph.nodes[u].get("kind") in RESOURCE_KINDS and graph.nodes[u].get("kind") != "Program"):
            operated[u].add(v)
            operators[v].add(u)
    rows = []
    pillar_order = vocabulary("pillars").labels()
    for uid, base in own.items():
        d = graph.nodes[uid]
        kind = d["kind"]
        pillars, domains, needs = set(base["pillars"]), set(base["domains"]), set(base["needs"])
        basis = "program" if pillars else ""
        for program in operated.get(uid, ()):
            pillars |= own[program]["pillars"]
            domains |= own[program]["domains"]
            needs |= own[program]["needs"]
        if pillars and not basis:
            basis = "operates"
        extra: tuple[str, ...] = ()
        if kind == "Council":
            extra = rules.council_level_pillars.get(d.get("level", ""), ())
        elif kind == "ResidentGroup" and not pillars:
            extra = rules.resident_group_pillars
        if set(extra) - pillars:
            basis = basis + "+rule" if basis else "rule"
        pillars |= set(extra)
        rows.append({
            "uid": uid, "id": d.get("id"), "kind": kind, "name": d.get("name"),
            "sector": d.get("sector") or ("住民" if kind == "ResidentGroup" else ""), "units": _units(d),
            "provider": kind != "Program" or not operators.get(uid),
            "pillars": [p for p in pillar_order if p in pillars], "pillar_basis": basis,
            "domains": expand(domains), "needs": sorted(needs),
        })
    return pd.DataFrame(rows, columns=["uid", "id", "kind", "name", "sector", "units", "provider", "pillars",
                                       "pillar_basis", "domains", "needs"])


def resource_reach(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Which districts each resource reaches, and how (see the module notes).

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
    local = table[~table["city_level"]]
    city = set(table.loc[table["city_level"], "uid"])
    info = {r.uid: r for r in local.itertuples(index=False)}
    rows = []
    for uid, d in graph.nodes(data=True):
        if d.get("kind") not in RESOURCE_KINDS:
            continue
        anchors = {v for _, v, e in graph.out_edges(uid, data=True)
                   if e.get("kind") in ("SERVES", "LOCATED_IN") and graph.nodes[v].get("kind") == "District"}
        best: dict[str, str] = {}

        def offer(district_uid: str, how: str) -> None:
            if district_uid not in best or _REACH_ORDER[how] < _REACH_ORDER[best[district_uid]]:
                best[district_uid] = how

        local_anchors = anchors - city
        if not local_anchors or anchors & city:
            for district_uid in info:
                offer(district_uid, "city")
        for anchor in local_anchors:
            offer(anchor, "own")
            for below in info[anchor].descendants:
                offer(below, "ancestor")  # the resource sits in an ancestor of `below`
            for above in info[anchor].ancestors:
                offer(above, "descendant")  # the resource sits in a descendant of `above`
        for district_uid, how in best.items():
            rows.append({"uid": uid, "kind": d["kind"], "name": d.get("name"), "units": _units(d),
                         "district_uid": district_uid, "district_id": info[district_uid].district_id,
                         "reach": how})
    return pd.DataFrame(rows, columns=columns)


def coverage_cube(graph: nx.MultiDiGraph, *, district: str | None = None, per: str | None = None) -> pd.DataFrame:
    """Resources reaching each district, by pillar × domain (and need), with gap levels.

    Parameters
    ----------
    graph
        What :meth:`GraphStore.read_graph` returns.
    district
        Only this district (id, name or English name).
    per
        Add need-weighted rates of local providers: ``"population"`` (per 10,000 residents),
        ``"elderly"`` (per 1,000 aged 65+) or ``"children"`` (per 1,000 under 18).

    Returns
    -------
    pandas.DataFrame
        One row per district × pillar (the five, in article order) × domain, where the domain axis
        is the four domains (``domain_type="domain"``), each need present in the data
        (``"need"``) and ``全体`` (``"any"``: every resource of the pillar, with or without a domain).
        Columns ``municipality``, ``district_id``, ``district``, ``layer``, ``pillar``, ``domain``,
        ``domain_type``, ``programs``, ``agencies``, ``resident_groups``, ``councils`` (units of each
        kind reaching the cell, local and city-wide), ``local_providers``, ``city_wide_providers``,
        ``providers`` (provider units), ``provider_nodes`` (distinct provider nodes), ``level``
        (``none``: no provider; ``thin``: a single provider unit, a single point of failure;
        ``covered``: two or more) and ``city_only`` (bool: providers exist but all are city-wide).
        With ``per``: ``denominator`` (Int64), ``rate`` (Float64 local providers per ``rate_unit``,
        NA when the denominator is missing or 0), ``rate_unit`` and ``na_reason``
        (reason code, see :mod:`tsunagari.analysis.na_reasons`).

    Raises
    ------
    CoverageInputError
        If ``district`` names no district or ``per`` is not a known denominator.

    Examples
    --------
    >>> coverage_cube(nx.MultiDiGraph()).empty
    True

    Notes
    -----
    O(R · P · D) for R reach rows, P pillars and D domain values.
    """
    if per is not None and per not in PER_UNITS:
        raise CoverageInputError("analysis.option", name="per", allowed=list(PER_UNITS), value=repr(per))
    table = district_table(graph)
    local = table[~table["city_level"]]
    if district is not None:
        local = local[local["uid"] == resolve_district(graph, district)]
    pillars = vocabulary("pillars").labels()
    domains = [t.ja for t in vocabulary("domains") if t.ja != coverage_rules().all_domains]
    needs = sorted({d.get("name") for _, d in graph.nodes(data=True) if d.get("kind") == "Need" and d.get("name")},
                   key=lambda n: [t.ja for t in vocabulary("needs")].index(n) if vocabulary("needs").lookup(n) else 99)
    axis = [(d, "domain") for d in domains] + [(n, "need") for n in needs] + [(ANY_DOMAIN, "any")]
    profile = {r.uid: r for r in resource_profile(graph).itertuples(index=False)}
    reach = resource_reach(graph)
    counts: dict[tuple[str, str, str], dict] = defaultdict(lambda: {
        "programs": 0, "agencies": 0, "resident_groups": 0, "councils": 0, "local_providers": 0,
        "city_wide_providers": 0, "nodes": set()})
    for row in reach.itertuples(index=False):
        p = profile[row.uid]
        cells = list(p.domains) + list(p.needs) + [ANY_DOMAIN]
        for pillar in p.pillars:
            for cell in cells:
                c = counts[(row.district_uid, pillar, cell)]
                c[_KIND_COLUMN[row.kind]] += row.units
                if p.provider:
                    c["city_wide_providers" if row.reach == "city" else "local_providers"] += row.units
                    c["nodes"].add(row.uid)
    rows = []
    for d in local.itertuples(index=False):
        for pillar in pillars:
            for domain, domain_type in axis:
                c = counts.get((d.uid, pillar, domain)) or counts.default_factory()  # type: ignore[attr-defined]
                providers = c["local_providers"] + c["city_wide_providers"]
                row = {"municipality": graph.graph.get("code"), "district_id": d.district_id,
                       "district": d.district, "layer": d.layer, "pillar": pillar, "domain": domain,
                       "domain_type": domain_type,
                       **{k: c[k] for k in ("programs", "agencies", "resident_groups", "councils",
                                            "local_providers", "city_wide_providers")},
                       "providers": providers, "provider_nodes": len(c["nodes"]),
                       "level": GAP_LEVELS[min(providers, 2)],
                       "city_only": providers > 0 and c["local_providers"] == 0}
                if per is not None:
                    scale, scale_name = PER_UNITS[per]
                    denominator = getattr(d, per)
                    missing = denominator is pd.NA or denominator == 0
                    row.update({
                        "denominator": denominator,
                        "rate": pd.NA if missing else c["local_providers"] / denominator * scale,
                        "rate_unit": f"per {scale:,} {per}",
                        "na_reason": (missing_denominator(per) if denominator is pd.NA
                                      else zero_denominator(per) if missing else ""),
                    })
                rows.append(row)
    columns = ["municipality", "district_id", "district", "layer", "pillar", "domain", "domain_type", "programs",
               "agencies", "resident_groups", "councils", "local_providers", "city_wide_providers", "providers",
               "provider_nodes", "level", "city_only"]
    if per is not None:
        columns += ["denominator", "rate", "rate_unit", "na_reason"]
    frame = pd.DataFrame(rows, columns=columns)
    if per is not None:
        frame["denominator"] = frame["denominator"].astype("Int64")
        frame["rate"] = frame["rate"].astype("Float64")
    frame["city_only"] = frame["city_only"].astype(bool)
    return frame


def gap_cells(cube: pd.DataFrame, *, include_city_only: bool = True) -> pd.DataFrame:
    """The rows of a :func:`coverage_cube` that need attention.

    Keeps cells at level ``none`` or ``thin`` and, with ``include_city_only``, covered cells
    reached only from the city centre. Same columns as the cube.

    Examples
    --------
    >>> cube = pd.DataFrame({"level": ["none", "covered", "covered"], "city_only": [False, False, True]})
    >>> gap_cells(cube).index.tolist()
    [0, 2]
    """
    mask = cube["level"] != "covered"
    if include_city_only:
        mask |= cube["city_only"].astype(bool)
    return cube[mask]


def unaddressed_needs(graph: nx.MultiDiGraph, *, include_vocabulary: bool = False) -> pd.DataFrame:
    """Needs between systems (制度の狭間) that no program or agency addresses.

    Parameters
    ----------
    include_vocabulary
        Also list the needs of the vocabulary that the data does not record at all
        (``status="not_recorded"``).

    Returns
    -------
    pandas.DataFrame
        One row per need: ``need_id`` (empty for not recorded), ``need`` (label), ``need_en``,
        ``programs``, ``agencies``, ``others`` (residents' groups and councils) — numbers of nodes
        with an ``ADDRESSES`` tie to it — and ``status``: ``unaddressed`` (no program or agency),
        ``addressed`` or ``not_recorded``. Unaddressed first.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("1:h", kind="Need", id="h", name="ひきこもり")
    >>> unaddressed_needs(g)["status"].tolist()
    ['unaddressed']
    """
    needs_vocab = vocabulary("needs")
    rows = []
    for uid, d in graph.nodes(data=True):
        if d.get("kind") != "Need":
            continue
        by_kind: dict[str, int] = defaultdict(int)
        for u, _, e in graph.in_edges(uid, data=True):
            if e.get("kind") == "ADDRESSES":
                by_kind[graph.nodes[u].get("kind", "")] += 1
        others = by_kind["ResidentGroup"] + by_kind["Council"]
        rows.append({"need_id": d.get("id"), "need": d.get("name"),
                     "need_en": needs_vocab.translate(d.get("name", ""), "en"),
                     "programs": by_kind["Program"], "agencies": by_kind["Agency"], "others": others,
                     "status": "addressed" if by_kind["Program"] + by_kind["Agency"] else "unaddressed"})
    if include_vocabulary:
        present = {r["need"] for r in rows}
        rows += [{"need_id": "", "need": t.ja, "need_en": t.en, "programs": 0, "agencies": 0, "others": 0,
                  "status": "not_recorded"} for t in needs_vocab if t.ja not in present]
    order = {"unaddressed": 0, "addressed": 1, "not_recorded": 2}
    frame = pd.DataFrame(rows, columns=["need_id", "need", "need_en", "programs", "agencies", "others", "status"])
    return frame.sort_values("status", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
