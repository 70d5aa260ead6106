"""概要 Overview: the municipality at a glance, from :func:`tsunagari.analysis.summary.summarize`."""

from __future__ import annotations

__all__ = ["render", "overview_figures", "OVERVIEW_CHART_WIDTH"]

OVERVIEW_CHART_WIDTH = 4.6  # inches: a half-width column (482 px in a 1,440 px window) at 96 px an inch

from collections import Counter


def overview_figures(summary, lang: str) -> dict:
    """Bar charts of agencies by sector and programs by pillar (matplotlib figures)."""
    from tsunagari.dashboards.i18n import t, term
    from tsunagari.dashboards.static_export import bar_figure

    figures = {}
    if not summary.sectors.empty:
        figures["sectors"] = bar_figure([term("sectors", s, lang) for s in summary.sectors["sector"]],
                                        summary.sectors["count"].tolist(), title=t("overview.by_sector", lang),
                                        width=OVERVIEW_CHART_WIDTH)
    if not summary.pillars.empty:
        figures["pillars"] = bar_figure([term("pillars", p, lang) for p in summary.pillars["pillar"]],
                                        summary.pillars["count"].tolist(), title=t("overview.by_pillar", lang),
                                        color="#009E73", width=OVERVIEW_CHART_WIDTH)
    return figures


def render() -> None:
    """Draw the page."""
    import streamlit as st

    from tsunagari.dashboards.citations import citation, document_titles
    from tsunagari.dashboards.i18n import format_number, format_percent, kind_label, t, term, tie_label
    from tsunagari.dashboards.session import load_graph, load_summary
    from tsunagari.dashboards.widgets import md_text, page_start, show_figure, show_table

    lang, sel = page_start("page.overview")
    summary = load_summary(sel.code, sel.content_hash)
    m = summary.municipality
    counts = dict(zip(summary.kinds["kind"], summary.kinds["count"]))
    if m.get("prefecture"):
        st.caption(f"{md_text(m['prefecture'])} · {md_text(m.get('code'))}"
                   + (f" · {t('overview.as_of', lang)} {md_text(m['as_of'])}" if m.get("as_of") else ""))
    cards = [("overview.population", m.get("population")), ("overview.actors", counts.get("Agency", 0)),
             ("overview.councils", counts.get("Council", 0)), ("overview.programs", counts.get("Program", 0)),
             ("overview.districts", counts.get("District", 0)),
             ("overview.resident_groups", counts.get("ResidentGroup", 0)), ("overview.needs", counts.get("Need", 0))]
    for column, (key, value) in zip(st.columns(len(cards)), cards):
        column.metric(t(key, lang), format_number(value, lang))

    def figure(name: str):
        return lambda: overview_figures(summary, lang)[name]

    left, right = st.columns(2)
    with left:
        st.subheader(t("overview.by_sector", lang))
        if not summary.sectors.empty:
            show_figure(figure("sectors"), cache_key=(sel.content_hash, "sectors", lang),
                        name=f"{sel.info.slug}-sectors", key="fig-sectors", lang=lang)
        st.dataframe(summary.sectors.assign(sector=[term("sectors", s, lang) for s in summary.sectors["sector"]])
                     .rename(columns={"sector": t("col.sector", lang), "count": t("col.count", lang)}),
                     hide_index=True, key="table-sectors")
    with right:
        st.subheader(t("overview.by_pillar", lang))
        if not summary.pillars.empty:
            show_figure(figure("pillars"), cache_key=(sel.content_hash, "pillars", lang),
                        name=f"{sel.info.slug}-pillars", key="fig-pillars", lang=lang)
        st.dataframe(summary.pillars.assign(pillar=[term("pillars", p, lang) for p in summary.pillars["pillar"]])
                     .rename(columns={"pillar": t("col.pillar", lang), "count": t("col.count", lang)}),
                     hide_index=True, key="table-pillars")

    left, right = st.columns(2)
    with left:
        st.subheader(t("overview.by_kind", lang))
        st.dataframe(summary.kinds.assign(kind=[kind_label(k, lang) for k in summary.kinds["kind"]])
                     [["kind", "count"]].rename(columns={"kind": t("col.kind", lang), "count": t("col.count", lang)}),
                     hide_index=True, key="table-kinds")
    with right:
        st.subheader(t("overview.ties", lang))
        st.dataframe(summary.ties.assign(kind=[tie_label(k, lang) for k in summary.ties["kind"]])
                     .rename(columns={"kind": t("col.tie_kind", lang), "count": t("col.count", lang)}),
                     hide_index=True, key="table-ties")

    st.subheader(t("overview.district_table", lang))
    districts = summary.districts.copy()
    names = dict(zip(districts["id"], districts["name"]))
    shown = districts.assign(
        layer=[term("layers", v, lang) for v in districts["layer"]],
        parent=[names.get(v, v) if isinstance(v, str) and v else "—" for v in districts["parent"]],
        population=[format_number(v, lang) for v in districts["population"]],
        households=[format_number(v, lang) for v in districts["households"]],
        elderly=[format_number(v, lang) for v in districts["elderly"]],
        children=[format_number(v, lang) for v in districts["children"]],
        association_rate=[format_percent(v, lang) for v in districts["association_rate"]],
    )
    show_table(shown, lang, key="table-districts")

    st.subheader(t("overview.sources", lang))
    graph = load_graph(sel.code, sel.content_hash)
    titles = document_titles(m.get("documents"))
    if m.get("source"):
        st.markdown(f"- {md_text(citation(m['source'], titles, lang))}")
    # Each cited place once, by the document's title (a cell may cite several, joined by ";").
    sources = Counter(citation(part, titles, lang) for _, d in graph.nodes(data=True)
                      if d.get("source") and d.get("kind") != "Municipality"
                      for part in str(d["source"]).split(";") if part.strip())
    if sources:
        import pandas as pd

        ordered = sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))
        st.dataframe(pd.DataFrame({t("col.source", lang): [k for k, _ in ordered],
                                   t("col.count", lang): [v for _, v in ordered]}),
                     hide_index=True, key="table-sources")

if __name__ == "__main__":
    render()
