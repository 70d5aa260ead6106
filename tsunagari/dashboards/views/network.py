"""ネットワーク Network map: the interactive pyvis map with filters, search, and static export."""

from __future__ import annotations

__all__ = ["render", "SIZE_MEASURES"]

# Centralities offered for node size: column of the metrics node table → (ja, en).
SIZE_MEASURES = {
    "degree_centrality": ("次数中心性", "Degree centrality"),
    "betweenness": ("媒介中心性", "Betweenness"),
    "closeness": ("近接中心性", "Closeness"),
    "eigenvector": ("固有ベクトル中心性", "Eigenvector centrality"),
    "effective_size": ("実効サイズ（構造的空隙）", "Effective size (structural holes)"),
    "brokerage_cross_group": ("仲介（分野をまたぐ）", "Brokerage across groups"),
}


def render() -> None:
    """Draw the page."""
    import streamlit as st

    from tsunagari.dashboards.i18n import kind_label, t, term, tie_label
    from tsunagari.dashboards.map_view import MapFilters, map_choices, map_page, map_subgraph
    from tsunagari.dashboards.network_map import MAX_MAP_NODES
    from tsunagari.dashboards.session import load_layout
    from tsunagari.dashboards.static_export import FORMATS, figure_bytes, network_figure
    from tsunagari.dashboards.widgets import download_row, measure_help, page_start, show_html

    lang, sel = page_start("page.network")
    measure_help("network", lang)
    # Each step of the map is kept per view in the server's memory (map_view): a view seen before,
    # in any tab, costs no copy of the graph and no render.
    choices = map_choices(sel.code, sel.content_hash)

    controls = st.columns([2, 2, 3, 1])
    color_by = controls[0].radio(t("network.color_by", lang), ["sector", "community", "kind"], key="map-color",
                                 format_func=lambda c: t(f"network.color.{c}", lang), horizontal=True)
    size_options = ["none", *SIZE_MEASURES]
    size_by = controls[1].selectbox(t("network.size_by", lang), size_options, key="map-size",
                                    format_func=lambda m: t("network.size.none", lang) if m == "none"
                                    else SIZE_MEASURES[m][lang == "en"])
    max_nodes = controls[3].number_input(t("network.max_nodes", lang), min_value=10, max_value=MAX_MAP_NODES,
                                         value=MAX_MAP_NODES, step=50, key="map-max")

    choose = t("ui.choose", lang)  # Streamlit's own placeholder is English ("Choose options")
    with st.expander(t("network.filter", lang), expanded=False):
        columns = st.columns(2)
        kinds = columns[0].multiselect(t("network.kinds", lang), list(choices.kinds), default=list(choices.kinds),
                                       key="map-kinds", placeholder=choose, format_func=lambda k: kind_label(k, lang))
        tie_kinds = columns[1].multiselect(t("network.tie_kinds", lang), list(choices.tie_kinds),
                                           default=list(choices.tie_kinds), key="map-ties", placeholder=choose,
                                           format_func=lambda k: tie_label(k, lang))
        columns = st.columns(3)  # type: ignore[assignment]
        names = dict(choices.districts)
        chosen_districts = columns[0].multiselect(t("network.districts", lang), list(names), key="map-districts", placeholder=choose,
                                                  format_func=lambda u: names[u])
        chosen_pillars = columns[1].multiselect(t("network.pillars", lang), list(choices.pillars), key="map-pillars",
                                                placeholder=choose, format_func=lambda p: term("pillars", p, lang))
        chosen_domains = columns[2].multiselect(t("network.domains", lang), list(choices.domains), key="map-domains",  # type: ignore[misc]
                                                placeholder=choose, format_func=lambda d: term("domains", d, lang))
    filters = MapFilters(kinds=tuple(kinds), tie_kinds=tuple(tie_kinds),
                         districts=tuple(chosen_districts) or None, pillars=tuple(chosen_pillars) or None,
                         domains=tuple(chosen_domains) or None)
    size_measure = None if size_by == "none" else size_by
    size_label = None if size_measure is None else SIZE_MEASURES[size_measure][lang == "en"]
    with st.spinner(t("network.computing", lang)):  # shown only when it takes a while (not cached yet)
        view = map_subgraph(sel.code, sel.content_hash, filters, int(max_nodes), size_measure)
    shown, limit, node_names = view.shown, view.limit, view.names
    focus = controls[2].selectbox(t("network.search", lang), view.focus_options, key="map-focus",
                                  format_func=lambda u: node_names.get(u, t("network.search_none", lang)))
    if shown.number_of_nodes() == 0:
        st.warning(t("network.empty", lang))
        return
    notice = None
    if limit.hidden:
        notice = t("network.hidden", lang, hidden=limit.hidden, detail=limit.describe(lang))
        st.warning(notice)
    st.caption(t("network.shown", lang, nodes=shown.number_of_nodes(), edges=shown.number_of_edges())
               + " · " + t("network.help", lang))
    with st.spinner(t("network.computing", lang)):
        page = map_page(sel.code, sel.content_hash, filters, int(max_nodes), size_measure, size_label, lang,
                        color_by, focus or None, notice)
    show_html(page, height=740)
    st.session_state["map-last-nodes"] = shown.number_of_nodes()

    st.subheader(t("export.title", lang))
    def figure():
        return network_figure(shown, positions=load_layout(sel.code, sel.content_hash), lang=lang, color_by=color_by,
                              communities=view.communities if color_by == "community" else None, sizes=view.sizes,
                              title=f"{sel.info.name if lang == 'ja' else (sel.info.name_en or sel.info.name)}")

    row = download_row()
    for fmt in ("png", "svg", "pdf"):
        row.download_button(t(f"export.map_{fmt}", lang), data=lambda fmt=fmt: figure_bytes(figure(), fmt),  # type: ignore[misc]
                            file_name=f"{sel.info.slug}-network.{fmt}", mime=FORMATS[fmt], key=f"map-{fmt}",
                            icon=":material/download:", on_click="ignore", width="content")
    row.download_button("HTML", data=lambda: page.encode("utf-8"), file_name=f"{sel.info.slug}-network.html",
                        mime="text/html", key="map-html", icon=":material/download:", on_click="ignore", width="content")


if __name__ == "__main__":
    render()
