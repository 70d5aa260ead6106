"""Provisions: who provides which pillar, for which domain or need, where — the facts the coverage grid counts.

A **provision** is (provider, pillar, cell, area), where a cell is one of the four domains, a need
between systems, or 全体 (any). The rules, also in ``docs/analysis-coverage.md``:

Programs are the primary provisions
    A program gives its pillar × its own domains (plus its article's domain; 全世代 = all four), the
    needs it ADDRESSES, and 全体 — nothing else: an actor running two programs does not get the pillar
    of one crossed with the domains of the other.
Providers of a program
    The actors with an explicit OPERATES tie to it (ties.csv). The 所管課 (``programs.responsible``)
    oversees and is not a provider — unless the program is 直営 and names no other operator, when the
    section runs it itself. A program no actor operates is its own provider (unknown operator).
Area of a program
    The districts the program SERVES; if none, each provider's own service area (agencies'
    ``serves``, residents' groups' and councils' ``district``); if none, the whole municipality.
Actors without programs
    A residents' group that operates no program provides 地域づくり (``coverage_rules.toml``) for its
    ``domains`` (empty: its type's default from the vocabulary, e.g. 子ども食堂 → 子ども; else only
    全体). A multi-agency council — category 重層的支援会議 or 支援会議 (法第106条の6), or marked
    ``multi_agency`` by the package — provides 多機関協働 (第5号・第6号) for 全体 only; a council under
    one law (地域ケア会議, ケース会議, 自立支援協議会 …) provides no pillar, whatever its level.
    An agency that operates no program provides nothing.
Needs addressed directly
    A need an actor ADDRESSES itself goes under the pillar ``coverage_rules.toml`` gives its kind
    (agency → 包括的相談支援, multi-agency council → 多機関協働, other council → 包括的相談支援,
    residents' group → 地域づくり), so a need handled only in a council counts as addressed, and the
    grid and the needs table agree.
Units
    An aggregate node counts ``count`` units (地域包括支援センター ×12 is 12 units, not one point of failure).
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

import networkx as nx
import pandas as pd

from tsunagari.analysis._memo import per_graph
from tsunagari.analysis.districts import DIRECT as _DIRECT
from tsunagari.analysis.districts import RESPONSIBLE_BASIS as _RESPONSIBLE_BASIS
from tsunagari.analysis.districts import district_reach, district_table, service_anchors, units_of
from tsunagari.graph.vocabulary import vocabulary

__all__ = ["CoverageRules", "coverage_rules", "is_multi_agency_council", "ANY_DOMAIN", "RESOURCE_KINDS", "resource_domains", "provisions",
           "PROVISION_COLUMNS"]

ANY_DOMAIN = "全体"
RESOURCE_KINDS = ("Program", "Agency", "ResidentGroup", "Council")
PROVISION_COLUMNS = ["provider_uid", "provider_id", "provider", "provider_kind", "units", "via_uid", "via",
                     "overseer_uid", "pillar", "cell", "cell_type", "basis", "district_uid", "district_id",
                     "reach", "local"]


@dataclass(frozen=True)
class CoverageRules:
    """Pillar rules from ``coverage_rules.toml``, as Japanese labels.

    Attributes
    ----------
    multi_agency_council_pillars
        Pillar labels a multi-agency council provides (for 全体): see :func:`is_multi_agency_council`.
    resident_group_pillars
        Pillar labels of a residents' group that operates no program.
    direct_need_pillars
        Node kind → pillar label under which a need it ADDRESSES itself is counted.
    all_domains
        Domain label that counts for every domain (全世代).
    """

    multi_agency_council_pillars: tuple[str, ...]
    resident_group_pillars: tuple[str, ...]
    direct_need_pillars: dict[str, str]
    all_domains: str


@cache
def coverage_rules() -> CoverageRules:
    """The rules of ``coverage_rules.toml`` with vocabulary codes turned into stored labels.

    Examples
    --------
    >>> coverage_rules().multi_agency_council_pillars
    ('多機関協働',)
    >>> coverage_rules().direct_need_pillars["Council"], coverage_rules().direct_need_pillars["OtherCouncil"]
    ('多機関協働', '包括的相談支援')
    """
    raw = tomllib.loads(resources.files("tsunagari.analysis").joinpath("coverage_rules.toml").read_text("utf-8"))
    pillars = vocabulary("pillars")
    return CoverageRules(
        multi_agency_council_pillars=tuple(pillars.by_code(p).ja for p in raw["multi_agency_councils"]["pillars"]),
        resident_group_pillars=tuple(pillars.by_code(p).ja for p in raw["resident_group_default"]["pillars"]),
        direct_need_pillars={kind: pillars.by_code(code).ja for kind, code in raw["direct_need_pillars"].items()},
        all_domains=vocabulary("domains").by_code(raw["all_domains"]["domain"]).ja,
    )


def is_multi_agency_council(data: dict) -> bool:
    """Whether a council counts as a mechanism of 多機関協働事業 (art. 106-4(2) items 5–6).

    True when its ``category`` is one the vocabulary marks ``multi_agency`` (重層的支援会議, 支援会議)
    or the package marks it ``multi_agency = true``; a council under one law (地域ケア会議, ケース会議)
    counts only in the second way, whatever its level.

    Examples
    --------
    >>> is_multi_agency_council({"kind": "Council", "category": "支援会議"})
    True
    >>> is_multi_agency_council({"kind": "Council", "category": "地域ケア会議", "level": "個別支援"})
    False
    >>> is_multi_agency_council({"kind": "Council", "category": "地域ケア会議", "multi_agency": True})
    True
    """
    if data.get("multi_agency"):
        return True
    term = vocabulary("council_categories").lookup(str(data.get("category") or "")) if data.get("category") else None
    return bool(term and term.extra.get("multi_agency"))


def _specific_domains() -> list[str]:
    return [t.ja for t in vocabulary("domains") if t.ja != coverage_rules().all_domains]


def resource_domains(data: dict) -> list[str]:
    """The four-domain labels a node counts for: its ``domains`` (programs: plus the article's
    domain; residents' groups with none: their type's default), 全世代 expanded to all four.

    Examples
    --------
    >>> resource_domains({"kind": "ResidentGroup", "type": "子ども食堂"})
    ['子ども']
    >>> resource_domains({"kind": "Agency", "domains": ["全世代"]})
    ['高齢', '障がい', '子ども', '生活困窮']
    """
    domains = set(data.get("domains") or [])
    kind = data.get("kind")
    if kind == "Program":
        cited = data.get("articles") or ([data["article"]] if data.get("article") else [])  # older stores: one
        for article in cited:
            term = vocabulary("articles").lookup(str(article))
            if term and term.extra.get("domain"):
                domains.add(str(term.extra["domain"]))
    if kind == "ResidentGroup" and not domains and data.get("type"):
        term = vocabulary("resident_group_types").lookup(str(data["type"]))
        defaults = term.extra.get("domains", ()) if term else ()
        domains |= {str(x) for x in defaults} if isinstance(defaults, list | tuple) else set()
    specific = _specific_domains()
    if coverage_rules().all_domains in domains:
        return specific
    return [d for d in specific if d in domains]


def _needs(graph: nx.MultiDiGraph, uid: str) -> list[str]:
    return sorted({graph.nodes[v].get("name") for _, v, e in graph.out_edges(uid, data=True)
                   if e.get("kind") == "ADDRESSES" and graph.nodes[v].get("kind") == "Need"
                   and graph.nodes[v].get("name")})


@per_graph
def provisions(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Every provision of ``graph``, one row per (provider, via, pillar, cell, district reached).

    Returns
    -------
    pandas.DataFrame
        Columns ``provider_uid``, ``provider_id``, ``provider`` (name), ``provider_kind``, ``units``
        (the provider's units), ``via_uid`` / ``via`` (the program delivered, empty for a provision of
        the actor itself), ``overseer_uid`` (the program's 所管課 when it is not a provider, else
        empty), ``pillar``, ``cell`` (a domain, a need or 全体), ``cell_type`` (``domain``, ``need``,
        ``any``), ``basis`` (``program``, ``resident_group_rule``, ``multi_agency_council``,
        ``direct_need``), ``district_uid``, ``district_id``, ``reach`` (``own``, ``descendant``,
        ``ancestor``: local; ``city``: city-wide) and ``local`` (bool). City-level districts are
        not rows. Empty when the municipality has no district below the city level.

    Examples
    --------
    >>> provisions(nx.MultiDiGraph()).empty
    True
    """
    rules = coverage_rules()
    table = district_table(graph)
    ids = dict(zip(table["uid"], table["district_id"]))
    reach = district_reach(table)
    nodes = graph.nodes
    explicit: dict[str, list[str]] = defaultdict(list)  # program → operators (explicit OPERATES ties)
    responsible: dict[str, str] = {}
    operates_any: set[str] = set()
    for u, v, e in graph.edges(data=True):
        if e.get("kind") != "OPERATES" or nodes[v].get("kind") != "Program" or nodes[u].get("kind") == "Program":
            continue
        if e.get("basis") == _RESPONSIBLE_BASIS and not e.get("operation"):
            responsible[v] = u
        else:
            explicit[v].append(u)
            operates_any.add(u)
    rows: list[dict] = []

    def add(provider: str, via: str, overseer: str, pillar: str, cells: list[tuple[str, str]], basis: str,
            anchors: set[str]) -> None:
        p = nodes[provider]
        for district_uid, how in reach(anchors).items():
            for cell, cell_type in cells:
                rows.append({"provider_uid": provider, "provider_id": p.get("id"), "provider": p.get("name"),
                             "provider_kind": p.get("kind"), "units": units_of(p), "via_uid": via,
                             "via": nodes[via].get("name") if via else "", "overseer_uid": overseer,
                             "pillar": pillar, "cell": cell, "cell_type": cell_type, "basis": basis,
                             "district_uid": district_uid, "district_id": ids[district_uid], "reach": how,
                             "local": how != "city"})

    for uid, d in graph.nodes(data=True):
        kind = d.get("kind")
        if kind == "Program" and d.get("pillar"):
            cells = ([(x, "domain") for x in resource_domains(d)] + [(n, "need") for n in _needs(graph, uid)]
                     + [(ANY_DOMAIN, "any")])
            providers = sorted(explicit.get(uid, []))
            overseer = responsible.get(uid, "")
            if not providers and overseer and d.get("operation") == _DIRECT:
                providers, overseer = [overseer], ""  # a 直営 program with no other operator: the section runs it
            own_area = service_anchors(graph, uid)
            for provider in providers or [uid]:
                area = own_area or (service_anchors(graph, provider) if provider != uid else set())
                add(provider, uid if provider != uid else "", overseer if overseer not in providers else "",
                    str(d["pillar"]), cells, "program", area)
        elif kind == "ResidentGroup" and uid not in operates_any:
            cells = [(x, "domain") for x in resource_domains(d)] + [(ANY_DOMAIN, "any")]
            for pillar in rules.resident_group_pillars:
                add(uid, "", "", pillar, cells, "resident_group_rule", service_anchors(graph, uid))
        elif kind == "Council" and is_multi_agency_council(d):
            for pillar in rules.multi_agency_council_pillars:
                add(uid, "", "", pillar, [(ANY_DOMAIN, "any")], "multi_agency_council", service_anchors(graph, uid))
        rule_kind = "OtherCouncil" if kind == "Council" and not is_multi_agency_council(d) else str(kind)
        if rule_kind in rules.direct_need_pillars:
            needs = _needs(graph, uid)
            if needs:
                add(uid, "", "", rules.direct_need_pillars[rule_kind], [(n, "need") for n in needs], "direct_need",
                    service_anchors(graph, uid))
    frame = pd.DataFrame(rows, columns=PROVISION_COLUMNS)
    frame["local"] = frame["local"].astype(bool)
    frame["units"] = frame["units"].astype(int)
    return frame
