"""Council composition: the silo check (councils with no member from outside welfare, sectors absent).

A member of a council is a node with a ``MEMBER_OF`` tie to it (agency, residents' group or
another council). A council's convener counts as a member when no tie lists it. Whether a sector
is inside the welfare silo comes from the ``welfare`` flag of the ``sectors`` vocabulary (福祉 and
社会福祉協議会 are welfare; 住まい, 教育, 司法・更生保護, 雇用・就労, 産業・経済, 住民 ... are not);
residents' groups belong to the sector 住民.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import pandas as pd

from tsunagari.analysis.provision import is_multi_agency_council
from tsunagari.graph.vocabulary import vocabulary

__all__ = ["council_members", "council_silos", "absent_sectors"]

_RESIDENTS_SECTOR = "住民"


def _sector(data: dict) -> str:
    if data.get("kind") == "ResidentGroup":
        return _RESIDENTS_SECTOR
    return data.get("sector") or ""


def _is_welfare(sector: str) -> bool:
    term = vocabulary("sectors").lookup(sector) if sector else None
    return bool(term and term.extra.get("welfare"))


def council_members(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Every (council, member) pair with the member's sector and role.

    Returns
    -------
    pandas.DataFrame
        Columns ``council_uid``, ``council``, ``member_uid``, ``member``, ``member_kind``, ``sector``
        (label; 住民 for residents' groups, empty for a member council), ``welfare`` (bool, from the
        vocabulary), ``role`` (座長, 事務局 ...; 事務局 for a convener without a tie).

    Examples
    --------
    >>> council_members(nx.MultiDiGraph()).empty
    True
    """
    rows = []
    for uid, d in graph.nodes(data=True):
        if d.get("kind") != "Council":
            continue
        seen = set()
        for u, _, e in graph.in_edges(uid, data=True):
            if e.get("kind") != "MEMBER_OF" or u in seen:
                continue
            seen.add(u)
            m = graph.nodes[u]
            rows.append({"council_uid": uid, "council": d.get("name"), "member_uid": u, "member": m.get("name"),
                         "member_kind": m.get("kind"), "sector": _sector(m), "welfare": _is_welfare(_sector(m)),
                         "role": e.get("role", "")})
        convener = f"{d.get('municipality')}:{d.get('convener')}" if d.get("convener") else None
        if convener and convener in graph and convener not in seen:
            m = graph.nodes[convener]
            rows.append({"council_uid": uid, "council": d.get("name"), "member_uid": convener,
                         "member": m.get("name"), "member_kind": m.get("kind"), "sector": _sector(m),
                         "welfare": _is_welfare(_sector(m)), "role": "事務局"})
    frame = pd.DataFrame(rows, columns=["council_uid", "council", "member_uid", "member", "member_kind", "sector",
                                        "welfare", "role"])
    frame["welfare"] = frame["welfare"].astype(bool)
    return frame


def council_silos(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Per council: members inside and outside welfare, and whether it is a welfare silo.

    Returns
    -------
    pandas.DataFrame
        One row per council: ``council_id``, ``council``, ``level``, ``category`` (its legal basis:
        重層的支援会議, 支援会議, 地域ケア会議 …; empty when the data gives none), ``multi_agency`` (bool:
        it counts toward 多機関協働, :func:`~tsunagari.analysis.provision.is_multi_agency_council`),
        ``layer``, ``members`` (members
        with a sector), ``welfare_members``, ``non_welfare_members``, ``non_welfare_sectors`` (list
        of labels), ``status``: ``no_members`` (no member listed: composition unknown), ``silo``
        (every member is in welfare) or ``mixed``. Silos first.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("1:c", kind="Council", id="c", name="会議", municipality="1")
    >>> g.add_node("1:a", kind="Agency", id="a", name="課", sector="福祉")
    >>> _ = g.add_edge("1:a", "1:c", kind="MEMBER_OF")
    >>> council_silos(g)["status"].tolist()
    ['silo']
    """
    members = council_members(graph)
    rows = []
    for uid, d in graph.nodes(data=True):
        if d.get("kind") != "Council":
            continue
        mine = members[(members["council_uid"] == uid) & (members["sector"] != "")]
        outside = mine[~mine["welfare"]]
        sector_order = vocabulary("sectors").labels()
        sectors = sorted(set(outside["sector"]), key=lambda s: sector_order.index(s) if s in sector_order else 99)
        status = "no_members" if mine.empty else ("silo" if outside.empty else "mixed")
        rows.append({"council_id": d.get("id"), "council": d.get("name"), "level": d.get("level", ""),
                     "category": d.get("category") or "", "multi_agency": is_multi_agency_council(d),
                     "layer": d.get("layer", ""), "members": len(mine), "welfare_members": int(mine["welfare"].sum()),
                     "non_welfare_members": len(outside), "non_welfare_sectors": sectors, "status": status})
    order = {"silo": 0, "no_members": 1, "mixed": 2}
    frame = pd.DataFrame(rows, columns=["council_id", "council", "level", "category", "multi_agency", "layer",
                                        "members", "welfare_members",
                                        "non_welfare_members", "non_welfare_sectors", "status"])
    return frame.sort_values(["status", "council_id"], key=lambda s: s.map(order) if s.name == "status" else s,
                             kind="stable").reset_index(drop=True)


def absent_sectors(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Sectors outside welfare that sit on no council: who is missing from the table.

    Returns
    -------
    pandas.DataFrame
        One row per non-welfare sector of the vocabulary (その他 excluded): ``sector`` (label),
        ``sector_en``, ``actors`` (agencies, or residents' groups for 住民, in the data),
        ``councils`` (councils with a member of that sector), ``status``: ``not_on_any_council``
        (actors exist but none sits on a council), ``absent_from_data`` (no actor of that sector
        recorded) or ``on_councils``. Gaps first.

    Examples
    --------
    >>> absent_sectors(nx.MultiDiGraph())["status"].unique().tolist()
    ['absent_from_data']
    """
    members = council_members(graph)
    actors: dict[str, int] = defaultdict(int)
    for _, d in graph.nodes(data=True):
        if d.get("kind") in ("Agency", "ResidentGroup"):
            actors[_sector(d)] += 1
    rows = []
    for term in vocabulary("sectors"):
        if term.extra.get("welfare") or term.code == "other":
            continue
        councils = members.loc[members["sector"] == term.ja, "council_uid"].nunique()
        status = ("on_councils" if councils else "not_on_any_council" if actors[term.ja] else "absent_from_data")
        rows.append({"sector": term.ja, "sector_en": term.en, "actors": actors[term.ja], "councils": int(councils),
                     "status": status})
    order = {"not_on_any_council": 0, "absent_from_data": 1, "on_councils": 2}
    frame = pd.DataFrame(rows, columns=["sector", "sector_en", "actors", "councils", "status"])
    return frame.sort_values("status", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
