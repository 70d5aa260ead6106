"""カバー状況 Coverage gaps: district × pillar × domain, needs unaddressed, council composition.

Every figure comes from :func:`tsunagari.analysis.gaps.coverage_gaps` (coverage cube,
unaddressed needs, council silos, absent sectors, residents' base).
"""

from __future__ import annotations

__all__ = ["render", "NEED_COLUMNS", "COUNCIL_COLUMNS", "SECTOR_COLUMNS", "RESIDENT_COLUMNS"]

# The reader's columns of each table: the name first (internal ids such as need_dv or
# council_chifuku_chonai are left to the downloads), the deciding status right after it, and in the
# council table first of all (the table is half the page wide).
NEED_COLUMNS = ("need", "status", "programs", "agencies", "councils", "resident_groups", "others", "addressed_by")
COUNCIL_COLUMNS = ("status", "council", "non_welfare_sectors", "members", "welfare_members", "non_welfare_members",
                   "level", "category", "multi_agency", "layer")
SECTOR_COLUMNS = ("sector", "status", "actors", "councils")
RESIDENT_COLUMNS = ("district", "weakest", "association_rate", "rate_rank", "resident_group_units", "groups_per_10k",
                    "none_cells", "thin_cells", "layer", "na_reason")

def _columns(frame, columns):
    """``frame``'s ``columns`` that it has, in that order."""
    return frame[[c for c in columns if c in frame.columns]]


def render() -> None:
    """Draw the page."""
    from typing import cast

    import streamlit as st
    from matplotlib.figure import Figure

    from tsunagari.analysis.coverage import ANY_DOMAIN, gap_cells
    from tsunagari.dashboards.base_text import base_lines
    from tsunagari.dashboards.coverage_cells import gap_counts, level_symbols, level_texts
    from tsunagari.dashboards.i18n import format_number, t, term
    from tsunagari.dashboards.reader_frames import (councils_for_reader, needs_for_reader, residents_for_reader,
                                                    sectors_for_reader)
    from tsunagari.dashboards.district_map import gap_map
    from tsunagari.dashboards.session import load_gaps, load_graph
    from tsunagari.dashboards.static_export import heatmap_figure
    from tsunagari.dashboards.table_labels import yes_no
    from tsunagari.dashboards.widgets import (download_frame, measure_help, metric_help,
                                              page_start, show_figure, show_table)
    from tsunagari.graph.vocabulary import vocabulary

    lang, sel = page_start("page.coverage")
    measure_help("coverage", lang)
    with st.spinner(t("app.computing", lang)):  # shown only when it takes a while (not cached yet)
        result = load_gaps(sel.code, sel.content_hash)
    cube = result.cube
    if len(result.base):
        lines = base_lines(result.base.iloc[0], lang)
        (st.warning if bool(result.base.iloc[0]["insufficient"]) else st.caption)("\n\n".join(lines))
    if cube.empty:
        st.info(t("coverage.no_districts", lang))
    else:
        domains = list(dict.fromkeys(cube["domain"]))
        default = domains.index(ANY_DOMAIN) if ANY_DOMAIN in domains else 0

        def domain_label(d: str) -> str:
            if d == ANY_DOMAIN:
                return t("coverage.any_domain", lang)
            return term("needs" if vocabulary("needs").lookup(d) and not vocabulary("domains").lookup(d) else "domains",
                        d, lang)

        domain = st.selectbox(t("coverage.domain", lang), domains, index=default, key="coverage-domain",
                              format_func=domain_label)
        counts = gap_counts(cube, domain)
        columns = st.columns(3)
        level = metric_help("coverage_level", lang)
        columns[0].metric(t("coverage.none_cells", lang), format_number(counts["none"]), help=level)
        columns[1].metric(t("coverage.thin_cells", lang), format_number(counts["thin"]), help=level)
        columns[2].metric(t("coverage.city_only_cells", lang), format_number(counts["city_only"]), help=level)

        graph = load_graph(sel.code, sel.content_hash)
        st.subheader(t("map.gaps_title_domain", lang, domain=domain_label(domain)))
        # a cube with districts always has a map; it counts what the 空白 card counts, district by district
        show_figure(lambda: cast(Figure, gap_map(graph, cube, domain=domain, domain_label=domain_label(domain),
                                                 lang=lang)),
                    cache_key=(sel.content_hash, "gap-map", lang, domain),
                    name=f"{sel.info.slug}-gap-map", key="fig-gap-map", lang=lang)
        cells = cube[cube["domain"] == domain].copy()
        pillar_order = vocabulary("pillars").labels()
        district_order = list(dict.fromkeys(cells["district"]))
        providers = cells.pivot_table(index="district", columns="pillar", values="providers", aggfunc="sum",
                                      sort=False).reindex(index=district_order, columns=pillar_order)
        providers.columns = [term("pillars", p, lang) for p in providers.columns]
        title = t("coverage.heatmap", lang, domain=domain_label(domain))
        show_figure(lambda: heatmap_figure(providers, title=title,
                                           colorbar_label=t("col.providers", lang)),
                    cache_key=(sel.content_hash, "coverage", lang, domain),
                    name=f"{sel.info.slug}-coverage", key="fig-coverage", lang=lang)
        cells["symbol"] = level_symbols(cells)
        levels = cells.pivot_table(index="district", columns="pillar", values="symbol", aggfunc="first",
                                   sort=False).reindex(index=district_order, columns=pillar_order)
        levels.columns = [term("pillars", p, lang) for p in levels.columns]
        levels.index.name = t("col.district", lang)
        st.caption(t("coverage.levels", lang))
        st.dataframe(levels, key="coverage-levels")

        st.subheader(t("coverage.gap_list", lang))
        gaps = gap_cells(cube)
        gaps = gaps[gaps["domain_type"] != "any"]
        shown = gaps[["district", "pillar", "domain", "providers", "local_providers", "city_wide_providers",
                      "level", "city_only"]].assign(pillar=lambda f: [term("pillars", p, lang) for p in f["pillar"]],
                                                    domain=lambda f: [domain_label(d) for d in f["domain"]],
                                                    level=level_texts(gaps, lang),
                                                    city_only=lambda f: [yes_no(v, lang) for v in f["city_only"]])
        show_table(shown, lang, key="coverage-gaps")
        download_frame(gaps, name=f"{sel.info.slug}-gaps", key="dl-gaps")

    st.subheader(t("coverage.needs", lang))
    needs = result.needs
    unaddressed = needs[needs["status"] == "unaddressed"]
    st.metric(t("coverage.unaddressed", lang), format_number(len(unaddressed)))
    show_table(_columns(needs_for_reader(needs, lang), NEED_COLUMNS), lang, key="coverage-needs",
               keys={"status": "col.need_status"})

    left, right = st.columns(2)
    with left:
        st.subheader(t("coverage.councils", lang))
        show_table(_columns(councils_for_reader(result.councils, lang), COUNCIL_COLUMNS), lang, key="coverage-councils",
                   keys={"level": "col.council_level", "status": "col.council_status"})
    with right:
        st.subheader(t("coverage.sectors", lang))
        show_table(_columns(sectors_for_reader(result.sectors, lang), SECTOR_COLUMNS), lang, key="coverage-sectors",
                   keys={"status": "col.sector_status"})
    st.subheader(t("coverage.residents", lang))
    show_table(_columns(residents_for_reader(result.residents, lang), RESIDENT_COLUMNS), lang,
               key="coverage-residents")


if __name__ == "__main__":
    render()
