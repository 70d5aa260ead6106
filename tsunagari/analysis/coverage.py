"""Coverage cube (district × pillar × domain), gap levels and needs between systems left unaddressed.

The cube counts the provisions of :mod:`tsunagari.analysis.provision` (who provides which pillar for
which domain or need, where); districts and reach are in :mod:`tsunagari.analysis.districts`. The
rules, with a worked example, are in ``docs/analysis-coverage.md``.

Levels
    ``none``: no provider; ``thin``: a single provider unit (a single point of failure);
    ``covered``: two or more units. ``city_only``: providers exist but none is local.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import pandas as pd

from tsunagari.analysis._memo import per_graph
from tsunagari.analysis.districts import PER_UNITS, district_table, resolve_district, resource_reach, units_of
from tsunagari.analysis.errors import CoverageInputError
from tsunagari.analysis.na_reasons import missing_denominator, zero_denominator
from tsunagari.analysis.provision import ANY_DOMAIN, RESOURCE_KINDS, CoverageRules, coverage_rules, provisions
from tsunagari.graph.vocabulary import vocabulary

__all__ = [
    "CoverageInputError",
    "CoverageRules",
    "coverage_rules",
    "PER_UNITS",
    "RESOURCE_KINDS",
    "GAP_LEVELS",
    "ANY_DOMAIN",
    "district_table",
    "resolve_district",
    "resource_reach",
    "coverage_cube",
    "gap_cells",
    "unaddressed_needs",
]

GAP_LEVELS = ("none", "thin", "covered")
_KIND_COLUMN = {"Program": "programs", "Agency": "agencies", "ResidentGroup": "resident_groups",
                "Council": "councils"}


@per_graph
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
        (``"need"``) and ``全体`` (``"any"``: every provision of the pillar, with or without a domain).
        Counted from :func:`~tsunagari.analysis.provision.provisions`, each provider once per cell
        (local if any of its provisions there is local). Columns ``municipality``, ``district_id``,
        ``district``, ``layer``, ``pillar``, ``domain``, ``domain_type``, ``programs`` (units of the
        programs delivered in the cell), ``agencies``, ``resident_groups``, ``councils`` (provider
        units of each kind; a program with no known operator counts under ``programs`` and as its
        own provider), ``local_providers``, ``city_wide_providers``, ``providers`` (provider units),
        ``provider_nodes`` (distinct provider nodes), ``overseers`` (distinct 所管課 overseeing the
        programs delivered there without delivering them: oversight, not provision), ``level``
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
        wanted = resolve_district(graph, district)
        if wanted not in set(local["uid"]):  # a 市域 district (第1層) is the whole municipality, not a row
            known = ", ".join(f"{r.district_id} ({r.district})" for r in local.itertuples(index=False)) or "none"
            raise CoverageInputError("analysis.city_district", district=district,
                                     municipality=graph.graph.get("name", "?"), known=known)
        local = local[local["uid"] == wanted]
    pillars = vocabulary("pillars").labels()
    domains = [t.ja for t in vocabulary("domains") if t.ja != coverage_rules().all_domains]
    order = [t.ja for t in vocabulary("needs")]
    needs = sorted({d.get("name") for _, d in graph.nodes(data=True) if d.get("kind") == "Need" and d.get("name")},
                   key=lambda n: order.index(n) if n in order else len(order))
    axis = [(d, "domain") for d in domains] + [(n, "need") for n in needs] + [(ANY_DOMAIN, "any")]
    # cell → provider uid → local?, and the programs and overseers seen there
    providers: dict[tuple[str, str, str], dict[str, bool]] = defaultdict(dict)
    programs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    overseers: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    table_of = provisions(graph)
    # Plain lists, not itertuples: iterating Arrow-backed string columns one value at a time was half
    # of this function (same values: ``tolist`` gives the same str, int, bool and NaN).
    for district_uid, pillar, cell, provider_uid, local_, via_uid, provider_kind, overseer_uid in zip(*(
            table_of[c].tolist() for c in ("district_uid", "pillar", "cell", "provider_uid", "local", "via_uid",
                                           "provider_kind", "overseer_uid"))):
        key = (district_uid, pillar, cell)
        providers[key][provider_uid] = providers[key].get(provider_uid, False) or bool(local_)
        if via_uid:
            programs[key].add(via_uid)
        elif provider_kind == "Program":
            programs[key].add(provider_uid)
        if overseer_uid:
            overseers[key].add(overseer_uid)
    nodes = graph.nodes
    rows = []
    for d in local.itertuples(index=False):
        for pillar in pillars:
            for domain, domain_type in axis:
                key = (d.uid, pillar, domain)
                here = providers.get(key, {})
                units = {uid: units_of(nodes[uid]) for uid in here}
                by_kind: dict[str, int] = defaultdict(int)
                for uid, n in units.items():
                    if nodes[uid].get("kind") != "Program":
                        by_kind[_KIND_COLUMN[nodes[uid]["kind"]]] += n
                local_units = sum(n for uid, n in units.items() if here[uid])
                city_units = sum(n for uid, n in units.items() if not here[uid])
                total = local_units + city_units
                row = {"municipality": graph.graph.get("code"), "district_id": d.district_id,
                       "district": d.district, "layer": d.layer, "pillar": pillar, "domain": domain,
                       "domain_type": domain_type,
                       "programs": sum(units_of(nodes[p]) for p in programs.get(key, ())),
                       "agencies": by_kind["agencies"], "resident_groups": by_kind["resident_groups"],
                       "councils": by_kind["councils"], "local_providers": local_units,
                       "city_wide_providers": city_units, "providers": total, "provider_nodes": len(here),
                       "overseers": len(overseers.get(key, set()) - set(here)),
                       "level": GAP_LEVELS[min(total, 2)], "city_only": total > 0 and local_units == 0}
                if per is not None:
                    scale, _ = PER_UNITS[per]
                    denominator = getattr(d, per)
                    missing = denominator is pd.NA or denominator == 0
                    row.update({
                        "denominator": denominator,
                        "rate": pd.NA if missing else local_units / denominator * scale,
                        "rate_unit": f"per {scale:,} {per}",
                        "na_reason": (missing_denominator(per) if denominator is pd.NA
                                      else zero_denominator(per) if missing else ""),
                    })
                rows.append(row)
    columns = ["municipality", "district_id", "district", "layer", "pillar", "domain", "domain_type", "programs",
               "agencies", "resident_groups", "councils", "local_providers", "city_wide_providers", "providers",
               "provider_nodes", "overseers", "level", "city_only"]
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
    """Needs between systems (制度の狭間) and whether anyone addresses them, and how.

    A need is *addressed* when a program, an agency, a council or a residents' group ADDRESSES it:
    exactly when some cell of the coverage cube for that need has a provider (the provision rules
    place a need addressed outside any program under a pillar), so the grid and this table agree.

    Parameters
    ----------
    include_vocabulary
        Also list the needs of the vocabulary that the data does not record at all
        (``status="not_recorded"``).

    Returns
    -------
    pandas.DataFrame
        One row per need: ``need_id`` (empty for not recorded), ``need`` (label), ``need_en``,
        ``programs``, ``agencies``, ``councils``, ``resident_groups`` (numbers of nodes of each kind
        with an ``ADDRESSES`` tie to it), ``others`` (councils + residents' groups), ``addressed_by``
        (``;``-joined kinds that address it: ``program``, ``agency``, ``council``, ``resident_group``)
        and ``status``: ``unaddressed``, ``addressed`` or ``not_recorded``. Unaddressed first.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("1:h", kind="Need", id="h", name="ひきこもり")
    >>> unaddressed_needs(g)["status"].tolist()
    ['unaddressed']
    """
    needs_vocab = vocabulary("needs")
    names = {"Program": "program", "Agency": "agency", "Council": "council", "ResidentGroup": "resident_group"}
    rows = []
    for uid, d in graph.nodes(data=True):
        if d.get("kind") != "Need":
            continue
        by_kind: dict[str, int] = defaultdict(int)
        for u, _, e in graph.in_edges(uid, data=True):
            if e.get("kind") == "ADDRESSES":
                by_kind[graph.nodes[u].get("kind", "")] += 1
        addressed_by = ";".join(name for kind, name in names.items() if by_kind[kind])
        rows.append({"need_id": d.get("id"), "need": d.get("name"),
                     "need_en": needs_vocab.translate(d.get("name", ""), "en"),
                     "programs": by_kind["Program"], "agencies": by_kind["Agency"],
                     "councils": by_kind["Council"], "resident_groups": by_kind["ResidentGroup"],
                     "others": by_kind["ResidentGroup"] + by_kind["Council"], "addressed_by": addressed_by,
                     "status": "addressed" if addressed_by else "unaddressed"})
    if include_vocabulary:
        present = {r["need"] for r in rows}
        rows += [{"need_id": "", "need": t.ja, "need_en": t.en, "programs": 0, "agencies": 0, "councils": 0,
                  "resident_groups": 0, "others": 0, "addressed_by": "", "status": "not_recorded"}
                 for t in needs_vocab if t.ja not in present]
    order = {"unaddressed": 0, "addressed": 1, "not_recorded": 2}
    frame = pd.DataFrame(rows, columns=["need_id", "need", "need_en", "programs", "agencies", "councils",
                                        "resident_groups", "others", "addressed_by", "status"])
    return frame.sort_values("status", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
