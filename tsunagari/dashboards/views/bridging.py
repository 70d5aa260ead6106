"""橋渡し Bridging: actors ranked by betweenness with brokerage roles, and a what-if removal.

Measures come from :func:`tsunagari.analysis.metrics.compute_metrics` (betweenness, structural
holes, Gould–Fernandez brokerage roles, cut points and the loss impact of each actor).
"""

from __future__ import annotations

__all__ = ["render", "RANK_COLUMNS", "CARDS"]

CARDS = ("cutpoints", "bridges", "communities_of_two_or_more", "ei_index", "density")  # whole-network cards

RANK_COLUMNS = ("betweenness_rank", "name", "kind", "sector", "betweenness", "brokerage_cross_group",
                "brokerage_coordinator", "brokerage_itinerant", "brokerage_representative", "brokerage_gatekeeper",
                "brokerage_liaison", "constraint", "effective_size", "cutpoint", "pairs_lost", "community")


def render() -> None:
    """Draw the page."""
    import streamlit as st

    from tsunagari.dashboards.i18n import format_number, format_percent, kind_label, t, term
    from tsunagari.dashboards.loss_map import without_actor
    from tsunagari.dashboards.network_map import MAX_MAP_NODES, limit_graph, render_network_html
    from tsunagari.dashboards.session import load_layout, load_metrics
    from tsunagari.dashboards.table_labels import yes_no
    from tsunagari.dashboards.widgets import (download_frame, md_t, md_text, measure_help,
                                              metric_help, page_start, show_html, show_table)

    lang, sel = page_start("page.bridging")
    measure_help("bridging", lang)
    with st.spinner(t("app.computing", lang)):  # shown only when it takes a while (not cached yet)
        result = load_metrics(sel.code, sel.content_hash)
    nodes = result.nodes
    whole = dict(zip(result.graph["measure"], result.graph["value"]))
    columns = st.columns(5)
    columns[0].metric(t("bridging.cutpoints", lang), format_number(whole.get("cutpoints")),
                      help=metric_help("cutpoint", lang))
    columns[1].metric(t("bridging.bridges", lang), format_number(whole.get("bridges")), help=metric_help("bridges", lang))
    columns[2].metric(t("bridging.communities", lang), format_number(whole.get("communities_of_two_or_more")),
                      help=metric_help("community", lang))
    columns[3].metric(t("bridging.ei", lang), format_number(whole.get("ei_index"), digits=3),
                      help=metric_help("ei_index", lang))
    columns[4].metric(t("bridging.density", lang), format_number(whole.get("density"), digits=3),
                      help=metric_help("density", lang))
    if nodes.empty:
        st.info(t("bridging.no_actors", lang))
        return

    st.subheader(t("bridging.ranking", lang))
    ranking = nodes.sort_values("betweenness_rank")[list(RANK_COLUMNS)].copy()
    ranking["kind"] = [kind_label(k, lang) for k in ranking["kind"]]
    ranking["sector"] = [term("sectors", s, lang) for s in ranking["sector"]]
    ranking["cutpoint"] = [yes_no(v, lang) for v in ranking["cutpoint"]]
    show_table(ranking, lang, key="bridging-ranking",
               formats={"betweenness": "%.3f", "constraint": "%.3f", "effective_size": "%.2f"})
    download_frame(nodes, name=f"{sel.info.slug}-node-metrics", key="dl-bridging")

    st.subheader(t("bridging.whatif", lang))
    ordered = nodes.sort_values(["loss_rank", "uid"])
    names = dict(zip(ordered["uid"], ordered["name"]))
    actor = st.selectbox(t("bridging.actor", lang), list(names), key="whatif-actor",
                         format_func=lambda u: str(names[u]))
    row = nodes.set_index("uid").loc[actor]
    after = st.columns(4)
    loss = metric_help("loss_impact", lang)
    after[0].metric(t("bridging.components_after", lang), format_number(row["components_after"]), help=loss)
    after[1].metric(t("bridging.pairs_lost", lang), format_number(row["pairs_lost"]), help=loss)
    after[2].metric(t("bridging.pairs_lost_share", lang), format_percent(100 * float(row["pairs_lost_share"])),
                      help=loss)
    after[3].metric(t("bridging.isolated_after", lang), format_number(row["isolated_after"]), help=loss)
    graph, groups = without_actor(result.network, actor, shared_label=t("bridging.shared_tie", lang))
    cut_off = [str(graph.nodes[u].get("name", u)) for u, g in groups.items() if g == 1]
    if cut_off:
        st.warning(md_t("bridging.cut_off", lang, names="、".join(cut_off) if lang == "ja" else ", ".join(cut_off)))
    else:
        st.success(t("bridging.none_cut_off", lang))
    if graph.number_of_nodes():
        # Too many actors for a fluid map (as on the network page): keep those the loss cuts off, then
        # the most central; say how many are hidden. Never the renderer's MapTooLargeError.
        betweenness = {u: float(v) for u, v in zip(nodes["uid"], nodes["betweenness"]) if v == v}
        scores = {u: betweenness.get(u, 0.0) + (2.0 if groups.get(u) == 1 else 0.0) for u in graph}
        shown, limit = limit_graph(graph, max_nodes=MAX_MAP_NODES, scores=scores)
        notice = None
        if limit.hidden:
            notice = t("bridging.hidden", lang, hidden=format_number(limit.hidden, lang), detail=limit.describe(lang))
            st.warning(md_text(notice))
        page = render_network_html(shown, positions=load_layout(sel.code, sel.content_hash), lang=lang,
                                   color_by="community", communities={u: groups[u] + 1 for u in shown},
                                   height_px=520, notice=notice,
                                   community_names={1: t("bridging.main_group", lang),
                                                    2: t("bridging.cut_group", lang),
                                                    3: t("bridging.apart_group", lang)})
        show_html(page, height=540)

if __name__ == "__main__":
    render()
