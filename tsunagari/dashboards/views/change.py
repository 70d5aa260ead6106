"""経年変化 Change over the years: what changed between two fiscal years, as tables and before/after maps.

Every figure comes from :func:`tsunagari.analysis.change.municipality_change` (the same as ``tsunagari diff``).
The two maps share one layout, computed once on the union of both years' graphs, so an actor present in
both years stands in the same place on both maps; added actors appear only on the right, removed ones only
on the left.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

__all__ = ["render", "shared_positions", "default_pair"]


def default_pair(hashes: list[str], selected: str) -> tuple[str, str]:
    """The (before, after) snapshot hashes shown first: the selected year and the one before it.

    ``hashes`` are the municipality's snapshots oldest first; when the selected one is the oldest it is the
    *before* of the next.

    >>> default_pair(["a", "b", "c"], "c"), default_pair(["a", "b", "c"], "a")
    (('b', 'c'), ('a', 'b'))
    """
    index = hashes.index(selected) if selected in hashes else len(hashes) - 1
    if index == 0:
        return hashes[0], hashes[1]
    return hashes[index - 1], hashes[index]


def shared_positions(before: nx.MultiDiGraph, after: nx.MultiDiGraph, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Map positions for both years from one layout of their union (unchanged actors keep their place)."""
    from tsunagari.dashboards.network_map import layout_positions, map_nodes

    union = nx.compose(map_nodes(before), map_nodes(after))
    return layout_positions(union, seed=seed)


def render() -> None:
    """Draw the page."""
    import streamlit as st

    from tsunagari.dashboards.i18n import t
    from tsunagari.dashboards.network_map import map_nodes, render_network_html
    from tsunagari.dashboards.session import load_change, load_graph, municipality_snapshots
    from tsunagari.dashboards.text.change import display_tables
    from tsunagari.dashboards.widgets import download_frame, md_t, measure_help, page_start, show_html, show_table
    from tsunagari.graph.fiscal_year import format_fiscal_year

    lang, sel = page_start("page.change")
    measure_help("change", lang)
    snapshots = municipality_snapshots(sel.code)
    if len(snapshots) < 2:
        st.info(md_t("change.one_year", lang, year=format_fiscal_year(sel.fiscal_year, lang)))
        return
    hashes = [s.content_hash for s in snapshots]
    labels = {s.content_hash: format_fiscal_year(s.fiscal_year, lang) for s in snapshots}
    first_before, first_after = default_pair(hashes, sel.content_hash)
    columns = st.columns(2)
    before = columns[0].selectbox(t("change.before", lang), hashes, index=hashes.index(first_before),
                                  key="change-before", format_func=labels.__getitem__)
    after = columns[1].selectbox(t("change.after", lang), hashes, index=hashes.index(first_after),
                                 key="change-after", format_func=labels.__getitem__)
    if before == after:
        st.warning(t("change.same_year", lang))
        return
    with st.spinner(t("network.computing", lang)):
        result = load_change(sel.code, before, after)
    st.caption(md_t("change.caption", lang, before=labels[before], after=labels[after]))

    counts = dict(zip(result.summary["item"], result.summary["count"]))
    metrics = st.columns(4)
    metrics[0].metric(t("change.metric.actors", lang), f"+{counts['actors_added']} / −{counts['actors_removed']}")
    metrics[1].metric(t("change.metric.ties", lang), f"+{counts['ties_added']} / −{counts['ties_removed']}")
    metrics[2].metric(t("change.metric.gaps_closed", lang), counts["cells_gap_closed"])
    metrics[3].metric(t("change.metric.gaps_opened", lang), counts["cells_gap_opened"])

    shown = display_tables(result, lang)
    slug = sel.info.slug
    name = f"{slug}-{labels[before]}-{labels[after]}".replace(" ", "")
    sections: tuple[tuple[str, dict[str, str]], ...] = (
                ("actors", {}), ("ties", {"weight_before": "%.1f", "weight_after": "%.1f"}), ("coverage", {}),
                ("brokers", {"betweenness_before": "%.3f", "betweenness_after": "%.3f"}),
                ("loss", {"pairs_lost_share_before": "%.3f", "pairs_lost_share_after": "%.3f"}),
                ("inequality", {"value_before": "%.3f", "value_after": "%.3f", "change": "%+.3f"}),
                ("districts", {"value_before": "%.2f", "value_after": "%.2f", "change": "%+.2f"}))
    for table, formats in sections:
        st.subheader(t(f"text.change.{table}" if table != "districts" else "change.districts", lang))
        frame = shown[table]
        if frame.empty:
            st.caption(t("text.change.none", lang))
            continue
        keys = {"change": "col.value_change"} if table in ("inequality", "districts") else {"change": "col.change"}
        show_table(frame, lang, key=f"change-{table}", keys=keys, formats=formats)
        download_frame(result.tables()[table], name=f"{name}-{table}", key=f"change-{table}-download")

    st.subheader(t("change.maps", lang))
    st.caption(t("change.maps_help", lang))
    graph_before, graph_after = load_graph(sel.code, before), load_graph(sel.code, after)
    positions = shared_positions(graph_before, graph_after)
    left, right = st.columns(2)
    for column, graph, key in ((left, graph_before, before), (right, graph_after, after)):
        with column:
            st.markdown(f"**{labels[key]}**")
            show_html(render_network_html(map_nodes(graph), positions=positions, lang=lang, height_px=520),
                      height=540)


if __name__ == "__main__":
    render()
