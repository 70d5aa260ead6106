"""地域格差 Inequality: resources per district (raw and per capita), Lorenz curve, Gini and Theil.

Every figure comes from :func:`tsunagari.analysis.inequality.district_inequality`.
"""

from __future__ import annotations

__all__ = ["render", "PER_OPTIONS", "BAR_WIDTH", "LORENZ_SIZE"]

# Figure sizes in inches for the two columns (580 and 384 px in a 1,440 px window, at 96 px an inch).
BAR_WIDTH = 5.9
LORENZ_SIZE = 3.9

PER_OPTIONS = ("population", "elderly", "children", "none")


def render() -> None:
    """Draw the page."""
    from typing import cast

    import streamlit as st
    from matplotlib.figure import Figure

    from tsunagari.dashboards.base_text import base_lines
    from tsunagari.dashboards.i18n import STRINGS, format_number, t, term
    from tsunagari.dashboards.district_map import rate_map
    from tsunagari.dashboards.session import load_graph, load_inequality
    from tsunagari.dashboards.static_export import bar_figure, lorenz_figure
    from tsunagari.dashboards.i18n import index_label
    from tsunagari.dashboards.table_labels import reason_texts, yes_no
    from tsunagari.dashboards.widgets import (download_frame, md_t, measure_help,
                                              metric_help, page_start, show_figure, show_table)

    lang, sel = page_start("page.inequality")
    measure_help("inequality", lang)
    per = st.radio(t("inequality.per", lang), PER_OPTIONS, key="inequality-per", horizontal=True,
                   format_func=lambda p: t(f"inequality.per.{p}", lang))
    with st.spinner(t("app.computing", lang)):  # shown only when it takes a while (not cached yet)
        frames = load_inequality(sel.code, sel.content_hash, per=None if per == "none" else per)
    districts = frames.districts
    if districts.empty:
        st.info(t("inequality.no_districts", lang))
        return
    indices = frames.indices
    mine = indices[indices["scope"] == sel.code].set_index("index")
    columns = st.columns(3)
    columns[0].metric(t("inequality.gini", lang), format_number(mine.loc["gini", "value"], digits=3),
                      help=metric_help("gini", lang))
    columns[1].metric(t("inequality.theil_t", lang), format_number(mine.loc["theil_t", "value"], digits=3),
                      help=metric_help("theil_t", lang))
    columns[2].metric(index_label("cv", lang), format_number(mine.loc["cv", "value"], digits=3),
                      help=metric_help("cv", lang))
    excluded = districts.loc[~districts["included"], "district"].astype(str).tolist()
    if excluded:
        st.caption(md_t("inequality.excluded", lang, names=t("text.separator", lang).join(excluded)))
    base = frames.base[frames.base["scope"] == sel.code]
    if len(base):
        lines = base_lines(base.iloc[0], lang)
        (st.warning if bool(base.iloc[0]["insufficient"]) else st.caption)("\n\n".join(lines))

    left, right = st.columns([3, 2])
    with left:
        st.subheader(t("inequality.bars", lang))
        label = t(f"inequality.per.{per}", lang)
        names = districts["district"].astype(str).tolist()
        units = districts["units"].astype(float).tolist()
        show_figure(lambda: bar_figure(names, units, title=t("inequality.per.none", lang), color="#0072B2",
                                           width=BAR_WIDTH),
                    cache_key=(sel.content_hash, "districts-raw", lang), name=f"{sel.info.slug}-districts-raw",
                    key="fig-ineq-raw", lang=lang)
        if per != "none":
            values = districts["value"].to_numpy(dtype=float, na_value=float("nan")).tolist()
            show_figure(lambda: bar_figure(names, values, title=label, color="#D55E00", value_format="{:,.2f}",
                                           missing_label=t("inequality.no_value", lang), width=BAR_WIDTH),
                        cache_key=(sel.content_hash, "districts", per, lang),
                        name=f"{sel.info.slug}-districts-{per}", key="fig-ineq-rate", lang=lang)
        graph = load_graph(sel.code, sel.content_hash)
        show_figure(lambda: cast(Figure, rate_map(graph, districts, per=None if per == "none" else per, lang=lang)),
                    cache_key=(sel.content_hash, "rate-map", per, lang), name=f"{sel.info.slug}-district-map-{per}",
                    key="fig-rate-map", lang=lang)
    with right:
        st.subheader(t("inequality.lorenz", lang))
        lorenz = frames.lorenz
        mine_lorenz = lorenz[lorenz["scope"] == sel.code]
        curves = {label if per != "none" else t("inequality.per.none", lang):
                  (mine_lorenz["population_share"].tolist(), mine_lorenz["value_share"].tolist())}
        show_figure(lambda: lorenz_figure(curves, title=t("inequality.lorenz", lang),
                                          xlabel=t("inequality.lorenz_x", lang), ylabel=t("inequality.lorenz_y", lang),
                                          size=LORENZ_SIZE),
                    cache_key=(sel.content_hash, "lorenz", per, lang), name=f"{sel.info.slug}-lorenz",
                    key="fig-lorenz", lang=lang)
        st.subheader(t("inequality.indices", lang))
        shown = mine.reset_index()[["index", "value", "n", "na_reason", "reference"]]
        # Citations read the same in both languages; a plain definition is given in the reader's.
        references = [t(f"inequality.definition.{i}", lang) if f"inequality.definition.{i}" in STRINGS else r
                      for i, r in zip(shown["index"], shown["reference"])]
        shown = shown.assign(index=[index_label(i, lang) for i in shown["index"]],
                             na_reason=reason_texts(shown["na_reason"], lang), reference=references)
        show_table(shown, lang, key="inequality-indices", formats={"value": "%.3f"})
    reasons = [c for c in districts.columns if c.startswith("na_reason_")]
    districts_shown = districts.assign(
        layer=[term("layers", v, lang) for v in districts["layer"]],
        included=[yes_no(v, lang) for v in districts["included"]],
        **{c: reason_texts(districts[c], lang) for c in reasons})
    show_table(districts_shown, lang, key="inequality-districts", keys={"value": "col.compared_value"},
               formats={c: "%.2f" for c in ("per_10k_population", "per_1k_elderly", "per_1k_children",
                                            *(("value",) if per != "none" else ()))})
    download_frame(districts, name=f"{sel.info.slug}-district-resources", key="dl-ineq")


if __name__ == "__main__":
    render()
