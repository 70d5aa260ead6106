"""Coverage gaps of one municipality in one call: the cube, unaddressed needs, council silos,
absent sectors and the residents' base (:class:`~tsunagari.analysis.results.GapsResult`)."""

from __future__ import annotations

import networkx as nx

from tsunagari.analysis._memo import shared_tables
from tsunagari.analysis.council_composition import absent_sectors, council_silos
from tsunagari.analysis.coverage import coverage_cube, district_table, resolve_district, unaddressed_needs
from tsunagari.analysis.information_base import base_frame, information_base, resource_units
from tsunagari.analysis.provision import provisions
from tsunagari.analysis.resident_base import resident_base
from tsunagari.analysis.results import GapsResult

__all__ = ["coverage_gaps"]


@shared_tables()
def coverage_gaps(graph: nx.MultiDiGraph, *, district: str | None = None, per: str | None = None) -> GapsResult:
    """Every gap table of ``graph`` (see :class:`GapsResult`); ``district`` narrows the cube and residents.

    ``per`` adds per-capita rates of local providers to the cube (``population``, ``elderly``, ``children``).

    Raises
    ------
    CoverageInputError
        If ``district`` or ``per`` names nothing in the municipality.

    Examples
    --------
    >>> sorted(coverage_gaps(nx.MultiDiGraph()).tables())
    ['base', 'councils', 'cube', 'needs', 'residents', 'sectors']
    """
    residents = resident_base(graph)
    if district is not None:
        wanted = graph.nodes[resolve_district(graph, district)]["id"]
        residents = residents[residents["district_id"] == wanted]
    # Called as resident_base calls it when neither is given: the shared tables are keyed on the
    # arguments as written, and `district=None, per=None` built the same cube a second time.
    cube = coverage_cube(graph) if district is None and per is None else coverage_cube(graph, district=district, per=per)
    found = provisions(graph)
    local = found[found["local"]].drop_duplicates("provider_uid")
    total, city_wide = resource_units(graph)
    # The base describes the municipality's districts, not the one `district` shows; with `per`,
    # only districts with a non-zero denominator have a figure.
    rows = district_table(graph)
    rows = rows[~rows["city_level"]]
    with_value = len(rows) if per is None else int((rows[per].notna() & (rows[per].fillna(0) > 0)).sum())
    base = information_base(str(graph.graph.get("code")), str(graph.graph.get("name", "")),
                            districts=len(rows), districts_with_value=with_value,
                            local_units=int(local["units"].sum()), resource_units=total, city_wide_units=city_wide)
    return GapsResult(
        cube=cube,
        needs=unaddressed_needs(graph, include_vocabulary=True),
        councils=council_silos(graph),
        sectors=absent_sectors(graph),
        residents=residents,
        base=base_frame([base]),
    )
