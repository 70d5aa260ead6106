"""The network page's map, computed once per view and kept in the server's memory.

A view is what the page's controls choose: filters, node limit, size measure, colouring, focus,
language. Each step is kept with ``st.cache_resource`` (one shared object, no copy per run), keyed
on the municipality's content hash and the controls, so returning to a view, or another browser
tab asking for it, costs no graph copy and no page render: the warm page's script ran in 0.4–0.7 s
(copying the 3,602-node graph twice, filtering, limiting and rendering 1 MB of HTML), now in a
fraction of that. The objects returned are shared between sessions: read them, never change them.

The cached functions call the session's loaders (:func:`~tsunagari.dashboards.session.load_graph`,
``load_layout``, ``load_metrics``) only when a view is new, so a warm run does not unpickle the
graph or the metrics either.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import streamlit as st

from tsunagari.dashboards.network_map import MapLimit

__all__ = ["MapChoices", "MapFilters", "MapSubgraph", "map_choices", "map_subgraph", "map_page", "clear_map_views"]


@dataclass(frozen=True)
class MapChoices:
    """What the map's filters offer for one municipality: the kinds, ties, districts, pillars and domains present.

    Attributes
    ----------
    kinds, tie_kinds
        Node and tie kind codes present, in the vocabulary's order.
    districts
        ``(uid, name)`` of the districts, by district id.
    pillars, domains
        Pillar and domain labels (stored Japanese) present, in the vocabulary's order.
    """

    kinds: tuple[str, ...]
    tie_kinds: tuple[str, ...]
    districts: tuple[tuple[str, str], ...]
    pillars: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass(frozen=True)
class MapFilters:
    """The filters chosen (hashable; ``None``: no filter), as :func:`tsunagari.dashboards.network_map.filter_graph` takes them."""

    kinds: tuple[str, ...]
    tie_kinds: tuple[str, ...]
    districts: tuple[str, ...] | None = None
    pillars: tuple[str, ...] | None = None
    domains: tuple[str, ...] | None = None


@dataclass(frozen=True)
class MapSubgraph:
    """The part of the map a view shows, and what it needs to draw it.

    Attributes
    ----------
    shown
        The filtered, limited graph (shared: read only).
    limit
        What :func:`~tsunagari.dashboards.network_map.limit_graph` hid.
    sizes
        uid → value of the size measure (``None`` when nodes are sized by kind).
    communities
        uid → community id of the metrics table.
    focus_options
        ``""`` then the shown nodes' uids, by name: the options of the search box.
    names
        uid → name of the shown nodes.
    """

    shown: nx.MultiDiGraph
    limit: MapLimit
    sizes: dict[str, float] | None
    communities: dict[str, int]
    focus_options: tuple[str, ...]
    names: dict[str, str]


@st.cache_resource(show_spinner=False, max_entries=8)
def _map_graph(code: str, content_hash: str) -> nx.MultiDiGraph:
    """The municipality graph without its Municipality root, as :func:`~tsunagari.dashboards.network_map.map_nodes`
    gives it (shared: read only)."""
    from tsunagari.dashboards.session import load_graph

    graph = load_graph(code, content_hash)  # this call's own copy (st.cache_data): the root is removed in place
    graph.remove_nodes_from([n for n, kind in graph.nodes(data="kind") if kind == "Municipality"])
    return graph


@st.cache_resource(show_spinner=False, max_entries=8)
def map_choices(code: str, content_hash: str) -> MapChoices:
    """The kinds, ties, districts, pillars and domains present in the municipality's map."""
    from tsunagari.graph.vocabulary import vocabulary

    full = _map_graph(code, content_hash)
    node_kinds = {d.get("kind") for _, d in full.nodes(data=True)}
    tie_kinds = {d.get("kind") for *_, d in full.edges(data=True)}
    node_pillars = {d.get("pillar") for _, d in full.nodes(data=True)}
    node_domains = {x for _, d in full.nodes(data=True) for x in (d.get("domains") or [])}
    districts = sorted(((u, d) for u, d in full.nodes(data=True) if d.get("kind") == "District"),
                       key=lambda ud: str(ud[1].get("id")))
    return MapChoices(
        kinds=tuple(k.code for k in vocabulary("node_kinds") if k.code in node_kinds),
        tie_kinds=tuple(k.code for k in vocabulary("tie_kinds") if k.code in tie_kinds),
        districts=tuple((u, str(d.get("name"))) for u, d in districts),
        pillars=tuple(p for p in vocabulary("pillars").labels() if p in node_pillars),
        domains=tuple(d.ja for d in vocabulary("domains") if d.ja in node_domains))


@st.cache_resource(show_spinner=False, max_entries=32)
def map_subgraph(code: str, content_hash: str, filters: MapFilters, max_nodes: int,
                 size_by: str | None) -> MapSubgraph:
    """The graph a view shows: the map filtered by ``filters``, then limited to ``max_nodes`` by ``size_by``.

    ``size_by`` is a column of the metrics node table (``None``: nodes ranked by their ties only).
    """
    from tsunagari.dashboards.network_map import filter_graph, limit_graph
    from tsunagari.dashboards.session import load_metrics

    metrics = load_metrics(code, content_hash).nodes
    full = _map_graph(code, content_hash)
    choices = map_choices(code, content_hash)
    everything = MapFilters(kinds=choices.kinds, tie_kinds=choices.tie_kinds)
    if filters == everything:  # every kind and tie present, no other filter: the map as it is, not a copy of it
        filtered = full
    else:
        filtered = filter_graph(full, kinds=filters.kinds, tie_kinds=filters.tie_kinds, districts=filters.districts,
                                pillars=filters.pillars, domains=filters.domains)
    sizes = None
    if size_by is not None:
        sizes = {u: float(v) for u, v in zip(metrics["uid"], metrics[size_by]) if v == v}
    communities = {u: int(c) for u, c in zip(metrics["uid"], metrics["community"])}
    shown, limit = limit_graph(filtered, max_nodes=max_nodes, scores=sizes)
    names = {u: str(d.get("name", u)) for u, d in shown.nodes(data=True)}
    return MapSubgraph(shown, limit, sizes, communities, ("", *sorted(names, key=lambda u: names[u])), names)


@st.cache_resource(show_spinner=False, max_entries=32)
def map_page(code: str, content_hash: str, filters: MapFilters, max_nodes: int, size_by: str | None,
             size_label: str | None, lang: str, color_by: str, focus: str | None, notice: str | None) -> str:
    """The map's HTML page for a view (:func:`~tsunagari.dashboards.network_map.render_network_html`)."""
    from tsunagari.dashboards.network_map import render_network_html
    from tsunagari.dashboards.session import load_layout

    view = map_subgraph(code, content_hash, filters, max_nodes, size_by)
    return render_network_html(view.shown, positions=load_layout(code, content_hash), lang=lang, color_by=color_by,
                               communities=view.communities if color_by == "community" else None,
                               sizes=view.sizes, size_label=size_label, focus=focus, notice=notice)


def clear_map_views() -> None:
    """Forget every kept view (tests that move the dashboard to another store call it)."""
    for cached in (_map_graph, map_choices, map_subgraph, map_page):
        cached.clear()
