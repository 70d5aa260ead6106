"""How much a district comparison rests on: the information base of a gaps or inequality result.

A district figure counts only resources with a service area inside the municipality; resources
that serve the whole municipality reach every district alike and are left out. When few districts
have a figure, or few resources are local, or most resources have no area, an index describes
almost nothing — and must say so. The thresholds (documented in ``docs/analysis-coverage.md``):

* fewer than :data:`MIN_DISTRICTS` districts with a figure → ``few_districts``;
* fewer than :data:`MIN_LOCAL_UNITS_PER_DISTRICT` local units per compared district on average →
  ``few_local_units``;
* more than :data:`MAX_CITY_WIDE_SHARE` of all resource units serving the whole municipality →
  ``mostly_city_wide``.

Any of them flags the base ``insufficient``; the reasons are codes (catalogue keys ``base.<code>``).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from tsunagari.analysis._memo import per_graph
from tsunagari.analysis.districts import resource_reach, units_of
from tsunagari.analysis.provision import RESOURCE_KINDS

__all__ = ["MIN_DISTRICTS", "MIN_LOCAL_UNITS_PER_DISTRICT", "MAX_CITY_WIDE_SHARE", "BASE_COLUMNS", "base_frame",
           "resource_units", "information_base"]

MIN_DISTRICTS = 3
MIN_LOCAL_UNITS_PER_DISTRICT = 2.0
MAX_CITY_WIDE_SHARE = 0.8
BASE_COLUMNS = ["scope", "municipality_name", "districts", "districts_with_value", "local_units",
                "resource_units", "city_wide_units", "city_wide_share", "insufficient", "reasons"]


@per_graph
def resource_units(graph: nx.MultiDiGraph) -> tuple[int, int]:
    """(units of every resource, units of those serving the whole municipality) of ``graph``."""
    reach = resource_reach(graph)
    city = set(reach.loc[reach["reach"] == "city", "uid"].tolist())  # (tolist: not one Arrow value at a time)
    reached = set(reach["uid"].tolist())  # built once: a resource reaching no district at all counts as city-wide
    total = city_wide = 0
    for uid, d in graph.nodes(data=True):
        if d.get("kind") in RESOURCE_KINDS:
            total += units_of(d)
            city_wide += units_of(d) if uid in city or uid not in reached else 0
    return total, city_wide


def information_base(scope: str, name: str, *, districts: int, districts_with_value: int, local_units: int,
                     resource_units: int, city_wide_units: int) -> dict:
    """One row of :data:`BASE_COLUMNS`: the figures and whether they are enough to compare districts.

    Examples
    --------
    >>> row = information_base("1", "x", districts=5, districts_with_value=5, local_units=2,
    ...                        resource_units=213, city_wide_units=211)
    >>> row["insufficient"], row["reasons"]
    (True, 'few_local_units;mostly_city_wide')
    """
    reasons = []
    if districts_with_value < MIN_DISTRICTS:
        reasons.append("few_districts")
    if districts_with_value and local_units / districts_with_value < MIN_LOCAL_UNITS_PER_DISTRICT:
        reasons.append("few_local_units")
    share = city_wide_units / resource_units if resource_units else float("nan")
    if resource_units and share > MAX_CITY_WIDE_SHARE:
        reasons.append("mostly_city_wide")
    return {"scope": scope, "municipality_name": name, "districts": districts,
            "districts_with_value": districts_with_value, "local_units": local_units,
            "resource_units": resource_units, "city_wide_units": city_wide_units, "city_wide_share": share,
            "insufficient": bool(reasons), "reasons": ";".join(reasons)}


def base_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of :func:`information_base` as a frame with typed columns."""
    frame = pd.DataFrame(rows, columns=BASE_COLUMNS)
    frame["insufficient"] = frame["insufficient"].astype(bool)
    return frame
