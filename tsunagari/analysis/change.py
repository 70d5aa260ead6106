"""What changed in a municipality between two fiscal years: actors, ties, coverage, brokers, loss impact, inequality.

:func:`municipality_change` compares two graphs of one municipality (two snapshots a store holds, e.g.
FY2023 and FY2024; :meth:`GraphStore.read_years`) and returns a
:class:`~tsunagari.analysis.results.ChangeResult`. Nodes are matched by their package id (``id``), which
is how a municipality names the same organisation in two years; ties by kind, ends and role. Coverage,
betweenness, loss impact and inequality are computed for each year by the same functions the other
pages use (:func:`~tsunagari.analysis.gaps.coverage_gaps`, :func:`~tsunagari.analysis.metrics.compute_metrics`,
:func:`~tsunagari.analysis.inequality.district_inequality`) and compared cell by cell, actor by actor and
index by index. The tables and their columns are described in ``docs/fiscal-years.md``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pandas as pd

from tsunagari.analysis.errors import AnalysisError
from tsunagari.analysis.gaps import coverage_gaps
from tsunagari.analysis.inequality import district_inequality
from tsunagari.analysis.metrics import MetricsOptions, MetricsResult, compute_metrics
from tsunagari.analysis.provision import provisions
from tsunagari.analysis.results import ChangeResult, GapsResult, InequalityResult
from tsunagari.graph.vocabulary import vocabulary

__all__ = ["municipality_change", "CHANGE_TABLES", "COVERAGE_CHANGES", "SUMMARY_ITEMS"]

CHANGE_TABLES = ("about", "summary", "actors", "ties", "coverage", "brokers", "loss", "inequality", "districts")
"""The tables of a :class:`ChangeResult`, in order."""

COVERAGE_CHANGES = ("gap_closed", "gap_opened", "thinned", "strengthened", "providers")
"""Values of ``coverage.change``: × became △/○/◎; △/○/◎ became ×; two or more units became one; one became
two or more; the same level with other provider units (another number of units or local units, or other
providers holding the same number)."""

SUMMARY_ITEMS = ("actors_added", "actors_removed", "ties_added", "ties_removed", "ties_reweighted",
                 "cells_gap_closed", "cells_gap_opened", "cells_thinned", "cells_strengthened", "cells_providers",
                 "brokers_rank_changed", "loss_changed", "indices_changed")
"""Rows of ``summary``, in order."""

_NOT_COMPARED = ("Municipality", "District")
_NODE_COLUMNS = ("id", "name", "kind", "type", "sector", "district")
_LOSS_FIELDS = ("cutpoint", "pairs_lost", "pairs_lost_share", "isolated_after", "components_after")


def _nodes_by_id(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    return {str(d.get("id")): {"uid": n, **d} for n, d in graph.nodes(data=True)
            if d.get("kind") not in _NOT_COMPARED and d.get("id") is not None}


def _node_id(graph: nx.MultiDiGraph, uid: str) -> str:
    data = graph.nodes[uid]
    return str(data.get("id") if data.get("id") is not None else uid)


def _actors(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> pd.DataFrame:
    a, b = _nodes_by_id(before), _nodes_by_id(after)
    rows = []
    for change, source, ids in (("added", b, sorted(set(b) - set(a))), ("removed", a, sorted(set(a) - set(b)))):
        for node_id in ids:
            data = source[node_id]
            district = data.get("district")
            rows.append({"change": change, **{c: data.get(c) for c in _NODE_COLUMNS}, "district": district})
    frame = pd.DataFrame(rows, columns=["change", *_NODE_COLUMNS])
    return frame.sort_values(["change", "kind", "id"], kind="stable").reset_index(drop=True)


def _undirected_kinds() -> set[str]:
    return {t.code for t in vocabulary("tie_kinds") if not t.extra.get("directed", True)}


def _tie_table(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """Ties keyed by (kind, from id, to id, role); undirected kinds with their ends in sorted order."""
    undirected = _undirected_kinds()
    ties: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for u, v, data in graph.edges(data=True):
        kind = str(data.get("kind"))
        ends = (_node_id(graph, u), _node_id(graph, v))
        names = (graph.nodes[u].get("name"), graph.nodes[v].get("name"))
        if kind in undirected and ends[1] < ends[0]:
            ends, names = (ends[1], ends[0]), (names[1], names[0])
        key = (kind, ends[0], ends[1], str(data.get("role") or ""))
        entry = ties.setdefault(key, {"names": names, "weight": None, "count": 0})
        entry["count"] += 1
        weight = data.get("weight")
        if weight is not None:
            entry["weight"] = (entry["weight"] or 0) + weight
    return ties


def _ties(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> pd.DataFrame:
    a, b = _tie_table(before), _tie_table(after)
    rows = []
    for key in sorted(set(a) | set(b)):
        kind, from_id, to_id, role = key
        old, new = a.get(key), b.get(key)
        if old is None:
            change = "added"
        elif new is None:
            change = "removed"
        elif old["weight"] != new["weight"] or old["count"] != new["count"]:
            change = "reweighted"
        else:
            continue
        names = (new or old)["names"]  # type: ignore[index]
        rows.append({"change": change, "kind": kind, "from_id": from_id, "from_name": names[0], "to_id": to_id,
                     "to_name": names[1], "role": role or None,
                     "weight_before": old["weight"] if old else None, "weight_after": new["weight"] if new else None})
    columns = ["change", "kind", "from_id", "from_name", "to_id", "to_name", "role", "weight_before", "weight_after"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("weight_before", "weight_after"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Float64")
    order = {"added": 0, "removed": 1, "reweighted": 2}
    return frame.sort_values(["change", "kind", "from_id", "to_id"], key=lambda s: s.map(order) if s.name == "change"
                             else s, kind="stable").reset_index(drop=True)


def _provider_ids(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], frozenset[str]]:
    """The package ids of the providers of each cube cell, keyed (district id, pillar, domain/need/全体)."""
    cells: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    table = provisions(graph)
    for district_id, pillar, cell, provider in zip(table["district_id"], table["pillar"], table["cell"],
                                                   table["provider_id"]):
        cells[(str(district_id), str(pillar), str(cell))].add(str(provider))
    return {cell: frozenset(ids) for cell, ids in cells.items()}


def _coverage(before: GapsResult, after: GapsResult,
              providers: tuple[dict[tuple[str, str, str], frozenset[str]],
                               dict[tuple[str, str, str], frozenset[str]]] | None = None) -> pd.DataFrame:
    """Cells of the districts held in both years whose level, provider units or local units changed.

    With ``providers`` (the provider ids of each cell in each year), also the cells where other providers hold
    the same number of units: a contract moved from one operator to another leaves a △ cell △, with another
    single point of failure."""
    key = ["district_id", "pillar", "domain"]
    keep = [*key, "district", "domain_type", "level", "providers", "local_providers"]
    a = before.cube[keep].set_index(key)
    b = after.cube[keep].set_index(key)
    # A district held in one year only (merged, split, first drawn) has no cells to compare: its town-wide
    # provisions would otherwise read as gaps opened or closed there. The districts table shows it.
    both = set(before.cube["district_id"]) & set(after.cube["district_id"])
    rows = []
    for cell in a.index.union(b.index, sort=False):
        if cell[0] not in both:
            continue
        old = a.loc[cell] if cell in a.index else None
        new = b.loc[cell] if cell in b.index else None
        level_a = old["level"] if old is not None else "none"
        level_b = new["level"] if new is not None else "none"
        units_a = int(old["providers"]) if old is not None else 0
        units_b = int(new["providers"]) if new is not None else 0
        local_a = int(old["local_providers"]) if old is not None else 0
        local_b = int(new["local_providers"]) if new is not None else 0
        ids = (str(cell[0]), str(cell[1]), str(cell[2]))
        same_providers = providers is None or (providers[0].get(ids, frozenset())
                                               == providers[1].get(ids, frozenset()))
        if (level_a, units_a, local_a) == (level_b, units_b, local_b) and same_providers:
            continue
        if level_a == "none":
            change = "gap_closed"
        elif level_b == "none":
            change = "gap_opened"
        elif level_a == "covered" and level_b == "thin":
            change = "thinned"
        elif level_a == "thin" and level_b == "covered":
            change = "strengthened"
        else:
            change = "providers"
        source: Any = new if new is not None else old
        rows.append({"change": change, "district_id": cell[0], "district": source["district"], "pillar": cell[1],
                     "domain": cell[2], "domain_type": source["domain_type"], "level_before": level_a,
                     "level_after": level_b, "providers_before": units_a, "providers_after": units_b,
                     "local_providers_before": local_a, "local_providers_after": local_b})
    columns = ["change", "district_id", "district", "pillar", "domain", "domain_type", "level_before", "level_after",
               "providers_before", "providers_after", "local_providers_before", "local_providers_after"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns[-4:]:
        frame[column] = frame[column].astype("int64")
    return frame


def _metric_rows(result: MetricsResult) -> dict[str, dict[str, Any]]:
    return {str(row["id"]): row for row in result.nodes.to_dict("records")}


def _na(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _brokers(before: MetricsResult, after: MetricsResult) -> pd.DataFrame:
    a, b = _metric_rows(before), _metric_rows(after)
    rows = []
    for actor in sorted(set(a) | set(b)):
        old, new = a.get(actor), b.get(actor)
        rank_a = None if old is None or _na(old.get("betweenness_rank")) else int(old["betweenness_rank"])
        rank_b = None if new is None or _na(new.get("betweenness_rank")) else int(new["betweenness_rank"])
        if rank_a == rank_b:
            continue
        if all(row is None or _na(row.get("betweenness")) or float(row["betweenness"]) == 0 for row in (old, new)):
            continue  # no broker in either year: its rank only follows the order of the zeros (by uid)
        if old is None:
            change = "added"
        elif new is None:
            change = "removed"
        else:
            change = "rose" if rank_b < rank_a else "fell"  # type: ignore[operator]
        source = new if new is not None else old
        rows.append({"change": change, "id": actor, "name": source["name"], "kind": source["kind"],  # type: ignore[index]
                     "sector": source.get("sector"),  # type: ignore[union-attr]
                     "betweenness_before": None if old is None else float(old["betweenness"]),
                     "betweenness_after": None if new is None else float(new["betweenness"]),
                     "rank_before": rank_a, "rank_after": rank_b,
                     "rank_change": None if rank_a is None or rank_b is None else rank_a - rank_b})
    columns = ["change", "id", "name", "kind", "sector", "betweenness_before", "betweenness_after", "rank_before",
               "rank_after", "rank_change"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("betweenness_before", "betweenness_after"):
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    for column in ("rank_before", "rank_after", "rank_change"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame.sort_values(["rank_after", "rank_before"], na_position="last", kind="stable").reset_index(drop=True)


def _loss_values(row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None:  # an actor absent in that year: no cut point, nothing lost by its absence
        return {"cutpoint": False, "pairs_lost": 0, "pairs_lost_share": 0.0, "isolated_after": 0,
                "components_after": None}
    return {"cutpoint": bool(row["cutpoint"]), "pairs_lost": int(row["pairs_lost"]),
            "pairs_lost_share": None if _na(row["pairs_lost_share"]) else round(float(row["pairs_lost_share"]), 12),
            "isolated_after": int(row["isolated_after"]),
            "components_after": None if _na(row["components_after"]) else int(row["components_after"])}


def _loss(before: MetricsResult, after: MetricsResult) -> pd.DataFrame:
    a, b = _metric_rows(before), _metric_rows(after)
    rows = []
    for actor in sorted(set(a) | set(b)):
        old, new = _loss_values(a.get(actor)), _loss_values(b.get(actor))
        compared = ("cutpoint", "pairs_lost", "pairs_lost_share", "isolated_after")
        if all(old[f] == new[f] for f in compared):
            continue
        if not old["cutpoint"] and new["cutpoint"]:
            change = "became_cutpoint"
        elif old["cutpoint"] and not new["cutpoint"]:
            change = "no_longer_cutpoint"
        else:
            change = "more_lost" if new["pairs_lost"] > old["pairs_lost"] else "less_lost"
        source = b.get(actor) or a.get(actor)
        rows.append({"change": change, "id": actor, "name": source["name"], "kind": source["kind"],  # type: ignore[index]
                     **{f"{f}_before": old[f] for f in _LOSS_FIELDS[:4]},
                     **{f"{f}_after": new[f] for f in _LOSS_FIELDS[:4]}})
    columns = ["change", "id", "name", "kind", *(f"{f}_{w}" for w in ("before", "after") for f in _LOSS_FIELDS[:4])]
    frame = pd.DataFrame(rows, columns=columns)
    for when in ("before", "after"):
        frame[f"cutpoint_{when}"] = frame[f"cutpoint_{when}"].astype(bool)
        frame[f"pairs_lost_{when}"] = frame[f"pairs_lost_{when}"].astype("int64")
        frame[f"isolated_after_{when}"] = frame[f"isolated_after_{when}"].astype("int64")
        frame[f"pairs_lost_share_{when}"] = pd.to_numeric(frame[f"pairs_lost_share_{when}"]).astype("Float64")
    return frame


def _inequality(before: InequalityResult, after: InequalityResult) -> pd.DataFrame:
    def indices(result: InequalityResult) -> dict[str, dict[str, Any]]:
        code = result.indices["scope"].iloc[0] if len(result.indices) else None
        frame = result.indices[result.indices["scope"] == code]
        return {str(r["index"]): r for r in frame.to_dict("records")}

    a, b = indices(before), indices(after)
    rows = []
    for index in list(dict.fromkeys([*a, *b])):
        old, new = a.get(index, {}), b.get(index, {})
        value_a = None if _na(old.get("value")) else float(old["value"])
        value_b = None if _na(new.get("value")) else float(new["value"])
        rows.append({"index": index, "per": (new or old).get("per"), "value_before": value_a, "value_after": value_b,
                     "change": None if value_a is None or value_b is None else value_b - value_a,
                     "na_reason_before": old.get("na_reason") or None, "na_reason_after": new.get("na_reason") or None,
                     "insufficient_base_before": bool(old.get("insufficient_base", False)),
                     "insufficient_base_after": bool(new.get("insufficient_base", False)),
                     "reference": (new or old).get("reference")})
    columns = ["index", "per", "value_before", "value_after", "change", "na_reason_before", "na_reason_after",
               "insufficient_base_before", "insufficient_base_after", "reference"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("value_before", "value_after", "change"):
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    return frame


def _districts(before: InequalityResult, after: InequalityResult) -> pd.DataFrame:
    keep = ["district_id", "district", "units", "value"]
    a = {r["district_id"]: r for r in before.districts[keep].to_dict("records")}
    b = {r["district_id"]: r for r in after.districts[keep].to_dict("records")}
    rows = []
    for district in list(dict.fromkeys([*a, *b])):
        old, new = a.get(district), b.get(district)
        value_a = None if old is None or _na(old["value"]) else float(old["value"])
        value_b = None if new is None or _na(new["value"]) else float(new["value"])
        rows.append({"district_id": district, "district": (new or old)["district"],  # type: ignore[index]
                     "units_before": None if old is None else int(old["units"]),
                     "units_after": None if new is None else int(new["units"]),
                     "value_before": value_a, "value_after": value_b,
                     "change": None if value_a is None or value_b is None else value_b - value_a})
    frame = pd.DataFrame(rows, columns=["district_id", "district", "units_before", "units_after", "value_before",
                                        "value_after", "change"])
    for column in ("units_before", "units_after"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("value_before", "value_after", "change"):
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    return frame


def _about(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> pd.DataFrame:
    frame = pd.DataFrame([{
        "municipality": after.graph.get("code"), "name": after.graph.get("name"),
        "fiscal_year_before": before.graph.get("fiscal_year"), "fiscal_year_after": after.graph.get("fiscal_year"),
        "content_hash_before": before.graph.get("content_hash"), "content_hash_after": after.graph.get("content_hash"),
    }])
    for column in ("fiscal_year_before", "fiscal_year_after"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame


def _summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    def count(name: str, change: str | Iterable[str] | None = None) -> int:
        frame = tables[name]
        if change is None:
            return len(frame)
        wanted = [change] if isinstance(change, str) else list(change)
        return int(frame["change"].isin(wanted).sum())

    counts = {
        "actors_added": count("actors", "added"), "actors_removed": count("actors", "removed"),
        "ties_added": count("ties", "added"), "ties_removed": count("ties", "removed"),
        "ties_reweighted": count("ties", "reweighted"),
        **{f"cells_{c}": count("coverage", c) for c in COVERAGE_CHANGES},
        "brokers_rank_changed": count("brokers"), "loss_changed": count("loss"),
        "indices_changed": int((tables["inequality"]["change"].fillna(0) != 0).sum()
                               + (tables["inequality"]["value_before"].isna()
                                  != tables["inequality"]["value_after"].isna()).sum()),
    }
    return pd.DataFrame({"item": list(SUMMARY_ITEMS), "count": [counts[i] for i in SUMMARY_ITEMS]})


def municipality_change(
    before: nx.MultiDiGraph,
    after: nx.MultiDiGraph,
    *,
    per: str | None = "population",
    options: MetricsOptions | None = None,
    metrics: tuple[MetricsResult, MetricsResult] | None = None,
    gaps: tuple[GapsResult, GapsResult] | None = None,
    inequality: tuple[InequalityResult, InequalityResult] | None = None,
) -> ChangeResult:
    """What changed in one municipality from snapshot ``before`` to snapshot ``after``.

    Parameters
    ----------
    before, after
        Two graphs of the same municipality (what :meth:`GraphStore.read_graph` returns for two fiscal
        years), normally the older first.
    per
        The inequality figure compared: ``"population"`` (per 10,000 residents), ``"elderly"``,
        ``"children"`` or ``None`` (resource units), as :func:`~tsunagari.analysis.inequality.district_inequality`.
    options
        The network options for betweenness and loss impact (default :class:`MetricsOptions`).
    metrics, gaps, inequality
        Results already computed for ``(before, after)`` with these options (a cache); computed when ``None``.

    Returns
    -------
    ChangeResult
        The tables ``about``, ``summary``, ``actors``, ``ties``, ``coverage``, ``brokers``, ``loss``,
        ``inequality`` and ``districts`` (``docs/fiscal-years.md``). Betweenness is the weighted
        betweenness of :mod:`tsunagari.analysis.centrality` (Brandes 2001; distance = 1/weight); ``rank`` 1 is
        the highest. Gini (1912) and Theil T (1967) as in :mod:`tsunagari.analysis.inequality`.

    Raises
    ------
    AnalysisError
        If the two graphs are of different municipalities.

    Examples
    --------
    >>> a = nx.MultiDiGraph(code="99999"); a.add_node("99999:x", kind="Agency", id="x", name="X", sector="福祉")
    >>> b = a.copy(); b.add_node("99999:y", kind="Agency", id="y", name="Y", sector="教育")
    >>> municipality_change(a, b, per=None).actors[["change", "id"]].values.tolist()
    [['added', 'y']]
    """
    code_a, code_b = before.graph.get("code"), after.graph.get("code")
    if code_a != code_b:
        raise AnalysisError("analysis.change_municipality", before=code_a, after=code_b)
    options = options or MetricsOptions()
    metrics = metrics or (compute_metrics(before, options=options), compute_metrics(after, options=options))
    gaps = gaps or (coverage_gaps(before), coverage_gaps(after))
    inequality = inequality or (district_inequality(before, per=per), district_inequality(after, per=per))
    tables = {
        "actors": _actors(before, after),
        "ties": _ties(before, after),
        "coverage": _coverage(*gaps, providers=(_provider_ids(before), _provider_ids(after))),
        "brokers": _brokers(*metrics),
        "loss": _loss(*metrics),
        "inequality": _inequality(*inequality),
        "districts": _districts(*inequality),
    }
    return ChangeResult(about=_about(before, after), summary=_summary(tables), **tables)
