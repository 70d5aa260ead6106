"""Residents' base by district: 自治会・町内会加入率 (neighbourhood-association membership) and residents' groups.

Shown next to coverage: a district where few households join the 町会 and few residents' groups
are active has a thin base for 地域づくり and for noticing people in need early.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from tsunagari.analysis._memo import per_graph
from tsunagari.analysis.coverage import coverage_cube, district_table, resource_reach
from tsunagari.analysis.na_reasons import missing_denominator, zero_denominator

__all__ = ["resident_base"]


@per_graph
def resident_base(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Residents'-base indicators of every district below the city level.

    Returns
    -------
    pandas.DataFrame
        One row per district, weakest first: ``district_id``, ``district``, ``layer``,
        ``association_rate`` (自治会・町内会加入率, %, Float64, NA when the data has none), ``rate_rank``
        (1 = lowest rate within the layer, Int64), ``weakest`` (bool: lowest rate of its layer, when
        two or more districts of the layer have a rate),
        ``resident_group_units`` (units of residents' groups reaching the district locally),
        ``groups_per_10k`` (those per 10,000 residents, Float64), ``na_reason`` (code of why
        ``groups_per_10k`` is NA, see :mod:`tsunagari.analysis.na_reasons`), and from the coverage cube over the four domains:
        ``none_cells`` and ``thin_cells`` (pillar × domain cells without a provider / with one).

    Examples
    --------
    >>> resident_base(nx.MultiDiGraph()).empty
    True
    """
    columns = ["district_id", "district", "layer", "association_rate", "rate_rank", "weakest",
               "resident_group_units", "groups_per_10k", "na_reason", "none_cells", "thin_cells"]
    table = district_table(graph)
    table = table[~table["city_level"]].copy()
    if table.empty:
        return pd.DataFrame(columns=columns)
    reach = resource_reach(graph)
    groups = reach[(reach["kind"] == "ResidentGroup") & (reach["reach"] != "city")]
    units = groups.groupby("district_uid")["units"].sum()
    cube = coverage_cube(graph)
    cube = cube[cube["domain_type"] == "domain"]
    none_cells = cube[cube["level"] == "none"].groupby("district_id").size()
    thin_cells = cube[cube["level"] == "thin"].groupby("district_id").size()
    table["resident_group_units"] = [int(units.get(u, 0)) for u in table["uid"]]
    table["rate_rank"] = table.groupby("layer")["association_rate"].rank(method="min").astype("Int64")
    lowest = table.groupby("layer")["association_rate"].transform("min")
    rated = table.groupby("layer")["association_rate"].transform("count")  # the lowest of one is no finding
    table["weakest"] = ((table["association_rate"] == lowest) & (rated >= 2)).fillna(False).astype(bool)
    rates, reasons = [], []
    for row in table.itertuples(index=False):
        if row.population is pd.NA or row.population == 0:
            rates.append(pd.NA)
            reasons.append(missing_denominator("population") if row.population is pd.NA
                           else zero_denominator("population"))
        else:
            rates.append(row.resident_group_units / row.population * 10_000)
            reasons.append("")
    table["groups_per_10k"] = pd.array(rates, dtype="Float64")
    table["na_reason"] = reasons
    table["none_cells"] = [int(none_cells.get(d, 0)) for d in table["district_id"]]
    table["thin_cells"] = [int(thin_cells.get(d, 0)) for d in table["district_id"]]
    table = table.sort_values(["association_rate", "district_id"], na_position="last", kind="stable")
    return table[columns].reset_index(drop=True)
