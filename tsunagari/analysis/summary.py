"""At-a-glance counts of a municipality: nodes by kind, actors by sector, programs by pillar, districts.

The same frames feed ``tsunagari summary``, the dashboard's overview page and reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from tsunagari.analysis.districts import district_tier
from tsunagari.graph.vocabulary import vocabulary

__all__ = ["MunicipalitySummary", "summarize"]


@dataclass(frozen=True)
class MunicipalitySummary:
    """Summary frames of one municipality.

    Attributes
    ----------
    municipality
        Manifest fields (code, name, population ...).
    kinds
        Columns ``kind`` (node label), ``kind_ja``, ``count``: nodes per kind (aggregate nodes count once).
    sectors
        Columns ``sector``, ``count``: agencies per sector.
    pillars
        Columns ``pillar``, ``count``: programs per pillar, in the order of the five pillars.
    districts
        One row per district: ``id``, ``name``, ``layer``, ``tier`` (第1層/第2層/第3層: its own, else
        its area type's default), ``parent``, ``population``, ``households``,
        ``elderly``, ``children``, ``association_rate`` (missing values are NA, never estimated),
        ``resources`` (agencies, councils, groups and programs located in or serving it directly).
    ties
        Columns ``kind``, ``count``: ties per relationship kind.
    """

    municipality: dict
    kinds: pd.DataFrame
    sectors: pd.DataFrame
    pillars: pd.DataFrame
    districts: pd.DataFrame
    ties: pd.DataFrame


def _counter_frame(counter: Counter, column: str, order: list[str] | None = None) -> pd.DataFrame:
    keys = [k for k in (order or []) if k in counter] + sorted(k for k in counter if k not in (order or []))
    return pd.DataFrame({column: keys, "count": [counter[k] for k in keys]}, columns=[column, "count"])


def summarize(graph: nx.MultiDiGraph) -> MunicipalitySummary:
    """Counts by kind, sector, pillar and tie kind, and the district table, of ``graph``.

    ``graph`` is what :meth:`GraphStore.read_graph` returns.
    """
    nodes = graph.nodes(data=True)
    kinds = Counter(d["kind"] for _, d in nodes if d["kind"] != "Municipality")
    kind_vocab = vocabulary("node_kinds")
    kinds_frame = _counter_frame(kinds, "kind", [t.code for t in kind_vocab])
    kinds_frame.insert(1, "kind_ja", [kind_vocab.by_code(k).ja for k in kinds_frame["kind"]])
    sectors = Counter(d.get("sector") for _, d in nodes if d["kind"] == "Agency")
    pillars = Counter(d.get("pillar") for _, d in nodes if d["kind"] == "Program")
    district_columns = ["id", "name", "layer", "tier", "parent", "population", "households", "elderly", "children",
                        "association_rate"]
    tiers = vocabulary("tiers")

    def tier_label(d: dict) -> str | None:  # the district's own tier, else its area type's default
        tier = district_tier(d)
        return tiers.by_code(str(tier)).ja if tier else None

    districts = pd.DataFrame(
        [{**{c: d.get(c) for c in district_columns}, "tier": tier_label(d)}
         for _, d in nodes if d["kind"] == "District"],
        columns=district_columns,
    )
    # Resources placed in each district (LOCATED_IN / SERVES ties straight to it).
    placed = Counter(
        graph.nodes[v].get("id") for u, v, d in graph.edges(data=True)
        if d["kind"] in ("LOCATED_IN", "SERVES") and graph.nodes[v]["kind"] == "District")
    districts["resources"] = [placed.get(i, 0) for i in districts["id"]]
    for column in ("population", "households", "elderly", "children"):
        districts[column] = districts[column].astype("Int64")
    districts["association_rate"] = districts["association_rate"].astype("Float64")
    ties = Counter(d["kind"] for _, _, d in graph.edges(data=True))
    return MunicipalitySummary(
        municipality=dict(graph.graph),
        kinds=kinds_frame,
        sectors=_counter_frame(sectors, "sector", vocabulary("sectors").labels()),
        pillars=_counter_frame(pillars, "pillar", vocabulary("pillars").labels()),
        districts=districts,
        ties=_counter_frame(ties, "kind", [t.code for t in vocabulary("tie_kinds")]),
    )
