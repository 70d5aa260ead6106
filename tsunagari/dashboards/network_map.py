"""The interactive network map: filter, lay out, limit and render a municipality graph as pyvis HTML.

Everything here is pure (no Streamlit) so it is unit-tested directly; the Network page only
wires widgets to these functions. The map is drawn from precomputed, seeded positions with
physics switched off, so it never jumps between reruns and stays responsive; above
``max_nodes`` nodes it refuses to draw and :func:`limit_graph` says what to hide.

The HTML is self-contained (vis-network inlined, no CDN), so it works offline in a city hall
network, and is returned as ``str`` for the caller to write as UTF-8.
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import math
import random
import re
import threading
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import networkx as nx

from tsunagari.dashboards.citations import citation, document_titles
from tsunagari.dashboards.errors import MapOptionError, MapTooLargeError
from tsunagari.dashboards.i18n import format_number, kind_label, t, term, tie_label
from tsunagari.dashboards.name_reading import name_reading
from tsunagari.dashboards.palette import (CATEGORY_COUNT, KIND_COLORS, KIND_SHAPES, MORE_COMMUNITIES, NEUTRAL,
                                          NO_COMMUNITY, RESIDENTS_SECTOR, TIE_COLORS, UNSECTORED_COLORS,
                                          category_colors, community_colors, sector_color)
from tsunagari.graph.vocabulary import vocabulary

__all__ = [
    "MAX_MAP_NODES",
    "COLOR_MODES",
    "MapLimit",
    "map_nodes",
    "filter_graph",
    "layout_positions",
    "limit_graph",
    "render_network_html",
]

MAX_MAP_NODES = 1500  # vis-network stays fluid up to about this many nodes without physics
COLOR_MODES = ("sector", "community", "kind")
_STRUCTURAL_TIES = {"SERVES", "LOCATED_IN", "PART_OF"}
_DIRECTED_TIES = {t.code for t in vocabulary("tie_kinds") if t.extra.get("directed", True)}
_BASE_SIZE = {"District": 16, "Agency": 14, "Council": 18, "ResidentGroup": 12, "Program": 12, "Need": 14,
              "Municipality": 20}
_LABEL_CHARS = 16


@dataclass(frozen=True)
class MapLimit:
    """What :func:`limit_graph` kept and hid.

    Attributes
    ----------
    shown
        Number of nodes kept.
    hidden
        Number of nodes hidden.
    hidden_by_kind
        Hidden nodes per node kind code.
    """

    shown: int
    hidden: int
    hidden_by_kind: dict[str, int] = field(default_factory=dict)

    def describe(self, lang: str = "ja") -> str:
        """``機関・部署 120、事業 30`` — the hidden counts by kind, for the notice shown to users."""
        return t("text.separator", lang).join(f"{kind_label(k, lang)} {format_number(v)}" for k, v in sorted(
            self.hidden_by_kind.items(), key=lambda kv: -kv[1]))


def map_nodes(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph`` without the Municipality root node (every district already hangs from it).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("1", kind="Municipality"); g.add_node("1:a", kind="District")
    >>> list(map_nodes(g))
    ['1:a']
    """
    roots = [n for n, kind in graph.nodes(data="kind") if kind == "Municipality"]
    shown = graph.copy()  # a copy less the roots: same order of nodes and ties, a third of a filtered view's copy
    shown.remove_nodes_from(roots)
    return shown


def _district_closure(graph: nx.MultiDiGraph, selected: Collection[str]) -> set[str]:
    """Selected district uids and every district below them (PART_OF children)."""
    closure = set(selected)
    frontier = list(selected)
    while frontier:
        uid = frontier.pop()
        for child, _, data in graph.in_edges(uid, data=True):
            if data.get("kind") == "PART_OF" and graph.nodes[child].get("kind") == "District" and child not in closure:
                closure.add(child)
                frontier.append(child)
    return closure


def filter_graph(
    graph: nx.MultiDiGraph,
    *,
    kinds: Collection[str] | None = None,
    tie_kinds: Collection[str] | None = None,
    districts: Collection[str] | None = None,
    pillars: Collection[str] | None = None,
    domains: Collection[str] | None = None,
) -> nx.MultiDiGraph:
    """The part of ``graph`` that matches the map filters (``None`` means no filter).

    Parameters
    ----------
    graph
        A municipality graph as :meth:`GraphStore.read_graph` returns it.
    kinds
        Node kind codes to keep (``Agency``, ``Council`` ...). The Municipality node is always dropped.
    tie_kinds
        Tie kind codes to keep (``MEMBER_OF`` ...).
    districts
        District uids. Keeps those districts and the districts below them, nodes whose
        ``district`` is one of them or that serve / are located in one of them, and city-wide
        nodes (no district at all), so the city-wide hub stays on the map.
    pillars
        Pillar labels (stored Japanese): programs of other pillars are dropped; other kinds stay.
    domains
        Domain labels: nodes with ``domains`` are kept when they share one (``全世代`` always
        matches); nodes without ``domains`` stay.

    Returns
    -------
    nx.MultiDiGraph
        A copy; edges whose ends were dropped are gone.

    Raises
    ------
    MapOptionError
        If a kind or tie kind code is not in the vocabulary.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("1:p", kind="Program", pillar="参加支援"); g.add_node("1:q", kind="Program", pillar="地域づくり")
    >>> sorted(filter_graph(g, pillars={"参加支援"}))
    ['1:p']
    """
    known_kinds = {k.code for k in vocabulary("node_kinds")}
    known_ties = {k.code for k in vocabulary("tie_kinds")}
    for given, known, name in ((kinds, known_kinds, "kinds"), (tie_kinds, known_ties, "tie_kinds")):
        unknown = sorted(set(given or ()) - known)
        if unknown:
            raise MapOptionError("dashboard.map_unknown_codes", name=name, unknown=unknown, known=sorted(known))
    keep: set[str] = set()
    district_uids: set[str] | None = None
    local_districts: set[str] = set()
    if districts is not None:
        district_uids = _district_closure(graph, districts)
        local_districts = {graph.nodes[u].get("id") for u in district_uids if u in graph}
    all_domains = vocabulary("domains").by_code("all").ja
    for uid, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind == "Municipality" or (kinds is not None and kind not in kinds):
            continue
        if pillars is not None and kind == "Program" and data.get("pillar") not in pillars:
            continue
        if domains is not None and data.get("domains"):
            node_domains = set(data["domains"])
            if all_domains not in node_domains and not node_domains & set(domains):
                continue
        if district_uids is not None:
            if kind == "District":
                if uid not in district_uids:
                    continue
            else:
                places = {v for _, v, d in graph.out_edges(uid, data=True)
                          if d.get("kind") in ("SERVES", "LOCATED_IN")}
                local = data.get("district")
                if (local or places) and local not in local_districts and not places & district_uids:
                    continue
        keep.add(uid)
    sub = nx.MultiDiGraph()
    sub.graph.update(graph.graph)
    # in the graph's order, not the set's: which of equally ranked nodes the map names must not
    # depend on string hashing (it differed between server processes)
    sub.add_nodes_from((n, data) for n, data in graph.nodes(data=True) if n in keep)
    sub.add_edges_from(
        (u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)
        if u in keep and v in keep and (tie_kinds is None or d.get("kind") in tie_kinds))
    return sub


def layout_positions(graph: nx.MultiDiGraph, *, seed: int = 0, spread: float = 90.0) -> dict[str, tuple[float, float]]:
    """Seeded force-directed positions of every node, in screen pixels.

    Computed once on the whole municipality and reused for every filtered view, so nodes keep
    their place when filters change. Uses the Fruchterman–Reingold spring layout [1]_ on the
    undirected simple graph (tie weights summed; igraph's implementation), then scales to about ``spread`` pixels per
    √node so the map's density does not depend on its size.

    Parameters
    ----------
    graph
        The graph to lay out.
    seed
        Seed of the initial random placement (same seed, same graph → same positions).
    spread
        Pixels per √(number of nodes) of the layout's half-width.

    Returns
    -------
    dict
        uid → (x, y) in pixels, centred on 0.

    Notes
    -----
    igraph's Fruchterman–Reingold in C, with its grid approximation of the repulsion for groups of
    100 nodes or more (O(iterations × n) instead of O(iterations × n²)): about 0.2 s for 2,000 nodes.
    The random start comes from ``random.Random(seed)``, handed to igraph for this call only.

    References
    ----------
    .. [1] Fruchterman, T. M. J., & Reingold, E. M. (1991). Graph drawing by force-directed
       placement. Software: Practice and Experience, 21(11), 1129–1164.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> layout_positions(g, seed=1) == layout_positions(g, seed=1)
    True
    """
    if spread <= 0:
        raise MapOptionError("dashboard.positive", name="spread", value=spread)
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        weight = float(data.get("weight") or 1.0)
        # structural ties (district membership) pull less than working ties
        weight *= 0.3 if data.get("kind") in _STRUCTURAL_TIES else 1.0
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    n = simple.number_of_nodes()
    if n == 0:
        return {}
    # Each connected group is laid out on its own: the largest in the centre, the other groups of
    # 3+ nodes side by side below it, then pairs and isolated nodes in rows (a spring layout of
    # the whole graph would push them to the far edges and shrink everything else).
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    positions: dict[str, tuple[float, float]] = {}
    bottom = 0.0
    left = None
    row_height = 0.0
    for index, component in enumerate(c for c in components if len(c) >= 3):
        nodes = sorted(component)
        m = len(nodes)
        raw = _force_layout(simple, nodes, seed=seed)
        scale = spread * math.sqrt(m)
        placed = {str(u): (float(x) * scale, float(y) * scale) for u, (x, y) in raw.items()}
        if index == 0:
            positions.update(placed)
            bottom = max(y for _, y in placed.values()) + 1.5 * spread
            left = min(x for x, _ in placed.values())
            continue
        xs = [x for x, _ in placed.values()]
        ys = [y for _, y in placed.values()]
        shift_x = (left if left is not None else 0.0) - min(xs)
        shift_y = bottom - min(ys)
        positions.update({u: (x + shift_x, y + shift_y) for u, (x, y) in placed.items()})
        left = max(xs) + shift_x + 1.5 * spread
        row_height = max(row_height, max(ys) - min(ys))
    bottom += row_height + (1.5 * spread if row_height else 0.0)
    loose = [u for c in components if len(c) < 3 for u in sorted(c)]
    if loose:
        per_row = max(4, int(math.sqrt(len(loose)) * 2))
        step = spread * 1.2
        for index, u in enumerate(loose):
            row, column = divmod(index, per_row)
            positions[str(u)] = ((column - (per_row - 1) / 2) * step, bottom + row * step)
    positions = {u: (round(x), round(y)) for u, (x, y) in positions.items()}  # whole pixels: a smaller page
    return positions


_LAYOUT_ITERATIONS = 300
_GRID_FROM = 100  # groups of this many nodes or more use the grid approximation of the repulsion
_IGRAPH_RANDOM = threading.Lock()  # igraph's random generator is process-wide: one seeded layout at a time


def _force_layout(simple: nx.Graph, nodes: list, *, seed: int) -> dict:
    """Fruchterman–Reingold positions of ``nodes`` (sorted) of ``simple``, rescaled to [-1, 1] as networkx does."""
    import igraph

    index = {u: i for i, u in enumerate(nodes)}
    edges = sorted((min(index[u], index[v]), max(index[u], index[v]), float(d["weight"]))
                   for u, v, d in simple.subgraph(nodes).edges(data=True))
    graph = igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            layout = graph.layout_fruchterman_reingold(weights=[w for *_, w in edges], niter=_LAYOUT_ITERATIONS,
                                                       grid="grid" if len(nodes) >= _GRID_FROM else "nogrid")
        finally:
            igraph.set_random_number_generator(random)
    coords = [tuple(c) for c in layout.coords]
    cx = sum(x for x, _ in coords) / len(coords)
    cy = sum(y for _, y in coords) / len(coords)
    extent = max(max(abs(x - cx), abs(y - cy)) for x, y in coords) or 1.0
    return {u: ((x - cx) / extent, (y - cy) / extent) for u, (x, y) in zip(nodes, coords)}


def limit_graph(
    graph: nx.MultiDiGraph,
    *,
    max_nodes: int = MAX_MAP_NODES,
    scores: Mapping[str, float] | None = None,
) -> tuple[nx.MultiDiGraph, MapLimit]:
    """Keep at most ``max_nodes`` nodes, hiding the lowest-scored ones, and report what was hidden.

    Parameters
    ----------
    graph
        The (filtered) graph.
    max_nodes
        Largest number of nodes to keep (≥ 1).
    scores
        Ranking of nodes (e.g. a centrality from the analysis); nodes without a score and ties
        are ranked by number of ties, then by uid so the choice is deterministic.

    Returns
    -------
    (graph, MapLimit)
        The kept subgraph (``graph`` itself when nothing is hidden) and the report.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("a", "c")])
    >>> nx.set_node_attributes(g, "Agency", "kind")
    >>> kept, report = limit_graph(g, max_nodes=1)
    >>> list(kept), report.hidden, report.hidden_by_kind
    (['a'], 2, {'Agency': 2})
    """
    if max_nodes < 1:
        raise MapOptionError("analysis.at_least", name="max_nodes", minimum=1, value=max_nodes)
    n = graph.number_of_nodes()
    if n <= max_nodes:
        return graph, MapLimit(n, 0, {})
    scores = scores or {}
    degree = dict(graph.degree())
    ranked = sorted(graph.nodes, key=lambda u: (-float(scores.get(u, 0.0) or 0.0), -degree[u], str(u)))
    kept = set(ranked[:max_nodes])
    hidden = Counter(graph.nodes[u].get("kind", "?") for u in ranked[max_nodes:])
    return graph.subgraph(kept).copy(), MapLimit(len(kept), n - len(kept), dict(hidden))


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[:_LABEL_CHARS - 1] + "…"


def _tooltip(uid: str, data: Mapping[str, object], lang: str, size_value: float | None, size_label: str | None,
             community: int | None, titles: Mapping[str, str] | None = None) -> str:
    """Tooltip HTML with every value escaped (names may hold ``<script>``, quotes, backticks)."""
    esc = html.escape
    kind = str(data.get("kind", ""))
    rows = [f"<b>{esc(str(data.get('name', uid)))}</b>", esc(kind_label(kind, lang)) if kind else ""]
    fields = (("type", "agency_types" if kind == "Agency" else "resident_group_types"),
              ("sector", "sectors"),
              ("pillar", "pillars"),
              ("article", None),
              ("level", "council_levels"),
              ("layer", "layers"),
              ("operation", "operations"),
              ("district", None),
              ("count", None),
              ("meetings_per_year", None),
              ("population", None),
              ("association_rate", None),
              ("purpose", None),
              ("features", None),
              ("targets", None),
              ("source", None))
    for key, vocab in fields:
        value = data.get(key)
        if value in (None, "", []):
            continue
        if vocab:
            shown = term(vocab, value, lang)
        elif key == "source":
            shown = citation(value, titles or {}, lang)  # the document's title, not its file name
        elif isinstance(value, float | int) and not isinstance(value, bool):
            shown = format_number(value, lang, digits=1 if isinstance(value, float) and not value.is_integer() else 0)
        else:
            shown = str(value)
        rows.append(f"{esc(t(f'map.field.{key}', lang))}: {esc(shown)}")
    if data.get("domains"):
        rows.append(f"{esc(t('map.field.domains', lang))}: " + esc(", ".join(term("domains", str(d), lang) for d in data["domains"])))  # type: ignore[attr-defined]
    if size_value is not None and size_label:
        rows.append(f"{esc(size_label)}: {esc(format_number(size_value, lang, digits=3))}")
    if community is not None:
        rows.append(esc(t("map.community", lang, n=community)))
    return "<br>".join(r for r in rows if r)


def _node_color(data: Mapping[str, object], color_by: str, community: int | None,
                community_palette: Mapping[int, str], *, isolates_apart: bool = True) -> tuple[str, str]:
    """(colour, legend key) of a node.

    Colouring by community, the key is the community id as the analysis numbers it (from 1),
    ``isolated`` for an actor alone in its community when ``isolates_apart``, ``more`` for the
    communities past the palette and ``none`` for a node that is no actor.
    """
    kind = str(data.get("kind"))
    if color_by == "community":
        if community is None:
            return NO_COMMUNITY, "none"
        color = community_palette.get(community, NEUTRAL)
        if isolates_apart and color == NEUTRAL:
            return color, "isolated"
        if color == MORE_COMMUNITIES:
            return color, "more"
        return color, str(community)
    if color_by == "sector":
        if kind == "Agency":
            sector = data.get("sector")
            return sector_color(sector), str(sector or "—")  # type: ignore[arg-type]
        if kind == "ResidentGroup":
            return sector_color(RESIDENTS_SECTOR), RESIDENTS_SECTOR
        return UNSECTORED_COLORS.get(kind, NEUTRAL), f"kind:{kind}"
    return KIND_COLORS.get(kind, NEUTRAL), f"kind:{kind}"


_OVERLAY = """
<style>
  body {{ margin: 0; font-family: "IPAexGothic", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; }}
  /* The legend sits beside the map, never over it. */
  .card {{ display: flex; align-items: flex-start; }}
  .card > #mynetwork {{ flex: 1 1 auto; min-width: 0; }}
  #tsunagari-legend {{ position: static; flex: 0 0 230px; margin-left: 8px;
    max-height: {legend_height}px; overflow: auto; background: #ffffff; border: 1px solid #bbb; border-radius: 6px;
    padding: 6px 10px; font-size: 12px; line-height: 1.5; }}
  #tsunagari-legend summary {{ font-weight: bold; cursor: pointer; }}
  #tsunagari-legend .sw {{ display: inline-block; width: 12px; height: 12px; border-radius: 2px;
    border: 1px solid #666; vertical-align: middle; margin-right: 4px; }}
  #tsunagari-legend .ln {{ display: inline-block; width: 22px; height: 0; vertical-align: middle;
    margin-right: 4px; border-top: 3px solid #444; }}
  #tsunagari-search {{ position: absolute; top: 8px; left: 8px; z-index: 10; font-size: 13px;
    padding: 4px 6px; width: 220px; border: 1px solid #999; border-radius: 4px; }}
  #tsunagari-tip {{ position: absolute; display: none; z-index: 20; background: #fffff0;
    border: 1px solid #888; border-radius: 4px; padding: 6px 8px; font-size: 12px; max-width: 320px;
    pointer-events: none; box-shadow: 1px 1px 4px rgba(0,0,0,0.2); }}
  #tsunagari-notice {{ position: absolute; bottom: 8px; left: 8px; z-index: 10; font-size: 12px;
    background: rgba(255,248,220,0.95); border: 1px solid #d9b600; border-radius: 4px; padding: 4px 8px; }}
  .card {{ position: relative; }}
  #tsunagari-search.missing {{ border-color: #d55e00; background: #fff3ee; }}
  #mynetwork {{ float: none !important; }}
</style>
<input id="tsunagari-search" list="tsunagari-names" placeholder="{search_placeholder}" aria-label="{search_placeholder}">
<datalist id="tsunagari-names"></datalist>
<details id="tsunagari-legend" open><summary>{legend_title}</summary>{legend}</details>
<div id="tsunagari-tip"></div>
{notice}
<script type="text/javascript">
tsunagariVisReady(function () {{
  var card = document.querySelector(".card") || document.body;
  ["tsunagari-search", "tsunagari-legend", "tsunagari-tip", "tsunagari-notice"].forEach(function (id) {{
    var el = document.getElementById(id); if (el) {{ card.appendChild(el); }}
  }});
  var tip = document.getElementById("tsunagari-tip");
  var named = {by_name};  // [name, node id] pairs, sorted by name
  var byName = {{}};
  var names = document.getElementById("tsunagari-names");  // the search list, from the pairs (not sent twice)
  named.forEach(function (pair) {{
    byName[pair[0]] = pair[1];
    var option = document.createElement("option"); option.value = pair[0]; names.appendChild(option);
  }});
  // Nodes take their colours from their group; the neighbourhood highlight restores a node's own
  // colour, so give it the group's.
  var groupColors = {group_colors};
  if (typeof nodeColors === "object" && nodeColors !== null) {{
    nodes.forEach(function (n) {{ if (!n.color && groupColors[n.group]) {{ nodeColors[n.id] = groupColors[n.group]; }} }});
  }}
  function focusNode(id) {{
    if (!nodes.get(id)) {{ return; }}
    network.selectNodes([id]);
    if (typeof neighbourhoodHighlight === "function") {{ neighbourhoodHighlight({{nodes: [id]}}); }}
    network.focus(id, {{scale: 1.3, animation: false}});
  }}
  network.on("hoverNode", function (p) {{
    var n = nodes.get(p.node);
    if (!n || !n.tip) {{ return; }}
    tip.innerHTML = n.tip;  // built from html.escape()d values only
    tip.style.left = (p.pointer.DOM.x + 14) + "px";
    tip.style.top = (p.pointer.DOM.y + 14) + "px";
    tip.style.display = "block";
  }});
  network.on("blurNode", function () {{ tip.style.display = "none"; }});
  network.on("dragStart", function () {{ tip.style.display = "none"; }});
  network.on("doubleClick", function (p) {{ if (p.nodes.length) {{ focusNode(p.nodes[0]); }} }});
  // Search by any part of the name or of its reading; kana folded (カタカナ = ひらがな), full-width = half-width, case-blind.
  function fold(text) {{
    return String(text).normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g,
      function (c) {{ return String.fromCharCode(c.charCodeAt(0) - 0x60); }});
  }}
  // Readings (よみ, hiragana) of names with kanji: しゃかいふくし finds 社会福祉協議会. Names match first.
  var readings = {readings};  // one per pair of named, in its order ("" where a name has no kanji)
  var folded = named.map(function (pair) {{ return [fold(pair[0]), pair[0]]; }});
  named.forEach(function (pair, i) {{ if (readings[i]) {{ folded.push([fold(readings[i]), pair[0]]); }} }});
  function find(query) {{
    var q = fold(query).trim(); if (!q) {{ return undefined; }}
    var exact = folded.filter(function (p) {{ return p[0] === q; }});
    var start = folded.filter(function (p) {{ return p[0].indexOf(q) === 0; }});
    var part = folded.filter(function (p) {{ return p[0].indexOf(q) >= 0; }});
    var hit = exact[0] || start[0] || part[0];
    return hit ? byName[hit[1]] : null;
  }}
  var search = document.getElementById("tsunagari-search");
  function runSearch() {{
    var id = find(search.value);
    search.classList.toggle("missing", id === null);
    search.title = id === null ? {not_found} : "";
    if (id !== null && id !== undefined) {{ focusNode(id); }}
  }}
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", function (e) {{ if (e.key === "Enter") {{ runSearch(); }} }});

  // Names at every zoom: the most central first, each at 13 px on screen, skipped where it would
  // overlap a name already placed or fall outside the view (level of detail).
  var ranked = {ranked};
  var shortNames = {short_names};
  var pending = false;
  function relabel() {{
    pending = false;
    var scale = network.getScale();
    var size = 13 / Math.max(scale, 0.05);
    var canvas = document.getElementById("mynetwork").getBoundingClientRect();
    var boxes = [], updates = [];
    var positions = network.getPositions(ranked);
    ranked.forEach(function (id) {{
      var label = shortNames[id] || " ";
      var p = positions[id]; if (!p) {{ return; }}
      var dom = network.canvasToDOM(p);
      var width = 0;
      for (var i = 0; i < label.length; i++) {{ width += label.charCodeAt(i) > 0x2e80 ? 13 : 7.5; }}
      var box = [dom.x - width / 2 - 2, dom.y + 6, dom.x + width / 2 + 2, dom.y + 24];
      var inside = box[2] > 0 && box[0] < canvas.width && box[3] > 0 && box[1] < canvas.height;
      var free = inside && boxes.every(function (b) {{
        return box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3];
      }});
      if (free) {{ boxes.push(box); }}
      updates.push({{id: id, label: free ? label : " ", font: {{size: size}}}});
    }});
    nodes.update(updates);
    document.body.setAttribute("data-tsunagari-labels", String(boxes.length));
  }}
  function schedule() {{ if (!pending) {{ pending = true; window.requestAnimationFrame(relabel); }} }}
  network.on("zoom", schedule);
  network.on("dragEnd", schedule);
  network.once("afterDrawing", schedule);
  var focus = {focus};
  if (focus !== null) {{ focusNode(focus); }}
  document.body.setAttribute("data-tsunagari-nodes", String(nodes.length));
}});
</script>
"""


@functools.lru_cache(maxsize=2)
def _template_environment(folder: str):
    """One Jinja environment per template folder, so pyvis's page template is compiled once per process
    (a new ``Network`` makes its own environment, and compiling the template took 40-60 ms per map)."""
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(folder))


_VIS_SCRIPT = re.compile(r"<script>(/\*\*\s*\n\s*\* vis-network\n.*?)</script>", re.S)


@functools.lru_cache(maxsize=4)
def _vis_loader(code: str) -> str:
    """vis-network as a gzip-compressed, base64 script decompressed by the browser, then run.

    468 KB of minified script become 165 KB; the browser (``DecompressionStream``: Chromium/Edge 80,
    Firefox 113, Safari 16.4) inflates it in a few milliseconds. What needs vis waits for it
    (``tsunagariVisReady``), in the order it asks.
    """
    packed = base64.b64encode(gzip.compress(code.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")
    return ('<script type="text/javascript">\n'
            "var tsunagariVis = (function () {\n"
            f'  var bytes = Uint8Array.from(atob("{packed}"), function (c) {{ return c.charCodeAt(0); }});\n'
            '  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));\n'
            "  return new Response(stream).text().then(function (code) { (0, eval)(code); });\n"
            "})();\n"
            "function tsunagariVisReady(run) { tsunagariVis.then(run); }\n"
            "</script>")


def _compress_vis(page: str) -> str:
    """The page with pyvis's inlined vis-network compressed (:func:`_vis_loader`), drawn once it has run."""
    found = _VIS_SCRIPT.search(page)
    if found is None:  # another pyvis template: vis as it is, what needs it runs at once
        return page.replace("</head>", '<script type="text/javascript">function tsunagariVisReady(run) { run(); }'
                                       "</script></head>", 1)
    page = page[:found.start()] + _vis_loader(found.group(1)) + page[found.end():]
    return re.sub(r"(?m)^(\s*)drawGraph\(\);\s*$", r"\1tsunagariVisReady(drawGraph);", page, count=1)


_EDGE_ROWS = """<script type="text/javascript">
function tsunagariEdges(rows, kinds, ids) {
  return rows.map(function (r) {
    var k = kinds[r[2]];
    var e = {from: ids[r[0]], to: ids[r[1]], color: k.color, title: r[3] ? k.label + " (" + r[3] + ")" : k.label};
    if (r.length > 4) { e.width = r[4]; }
    if (k.dashes) { e.dashes = true; }
    if (k.arrows) { e.arrows = "to"; }
    return e;
  });
}
</script>
"""


def _json_for_script(value: object) -> str:
    # json.dumps escaping <, >, & so no value can close the <script> element
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_network_html(
    graph: nx.MultiDiGraph,
    *,
    positions: Mapping[str, tuple[float, float]] | None = None,
    lang: str = "ja",
    color_by: str = "sector",
    communities: Mapping[str, int] | None = None,
    community_names: Mapping[int, str] | None = None,
    sizes: Mapping[str, float] | None = None,
    size_label: str | None = None,
    focus: str | None = None,
    notice: str | None = None,
    max_nodes: int = MAX_MAP_NODES,
    height_px: int = 720,
    seed: int = 0,
) -> str:
    """Interactive pyvis map of ``graph`` as one self-contained HTML document.

    Shape shows the node kind, colour the sector (agencies; other kinds by kind) or the
    community, size a centrality given in ``sizes``. Hovering shows the details in ``lang``;
    clicking highlights a node's neighbours; double-click or the search box zooms to a node.

    Parameters
    ----------
    graph
        Nodes with ``kind`` and ``name`` (as :meth:`GraphStore.read_graph` gives); the
        Municipality node is left out.
    positions
        uid → (x, y) pixels, normally :func:`layout_positions` of the whole municipality so the
        map is stable across filters; missing nodes are laid out with ``seed``.
    lang
        ``"ja"`` or ``"en"`` for tooltips, legend and labels of kinds and sectors.
    color_by
        ``"sector"``, ``"community"`` (needs ``communities``) or ``"kind"``.
    communities
        uid → community id, numbered from 1 as the analysis (``compute_metrics``) and its exports
        do; the legend and tooltips show the same numbers. Actors alone in their community (no
        tie) are one grey legend entry, not a community each.
    community_names
        Legend labels of groups chosen by the caller (id → label); then every id gets its own
        colour and none is set apart as isolated.
    sizes
        uid → measure value (≥ 0); node area grows with the value. ``None``: size by kind.
    size_label
        Name of the measure, shown in tooltips.
    focus
        uid of a node to select and zoom to when the map opens.
    notice
        A message shown on the map (e.g. what :func:`limit_graph` hid).
    max_nodes
        Refuse to draw more nodes than this.
    height_px
        Height of the map in pixels.
    seed
        Seed of the layout of nodes missing from ``positions``.

    Returns
    -------
    str
        The HTML page; write it with ``encoding="utf-8"``.

    Raises
    ------
    MapOptionError
        For an unknown ``color_by``, ``community`` colouring without ``communities``, or a
        ``focus`` not in the graph.
    MapTooLargeError
        If the graph has more than ``max_nodes`` nodes (call :func:`limit_graph` first).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("1:a", kind="Agency", name="<script>x</script>", sector="福祉")
    >>> page = render_network_html(g)
    >>> "<script>x</script>" in page, "\\\\u003cscript\\\\u003ex\\\\u003c/script\\\\u003e" in page  # JSON for a script
    (False, True)
    """
    from pyvis.network import Network

    if color_by not in COLOR_MODES:
        raise MapOptionError("analysis.option", name="color_by", allowed=list(COLOR_MODES), value=repr(color_by))
    if color_by == "community" and communities is None:
        raise MapOptionError("dashboard.map_needs_communities")
    titles = document_titles(graph.graph.get("documents"))
    if any(kind == "Municipality" for _, kind in graph.nodes(data="kind")):
        graph = map_nodes(graph)  # (a copy; read only below, so a graph without the root is used as it is)
    if graph.number_of_nodes() > max_nodes:
        raise MapTooLargeError("dashboard.map_too_large", nodes=graph.number_of_nodes(), max_nodes=max_nodes)
    if focus is not None and focus not in graph:
        raise MapOptionError("dashboard.map_focus_missing", focus=repr(focus))
    positions = dict(positions or {})
    missing = [u for u in graph if u not in positions]
    if missing:
        positions.update(layout_positions(graph.subgraph(missing), seed=seed))

    if community_names:  # groups named by the caller (the bridging page): a colour each, none set apart
        ids = sorted(set((communities or {}).values()))
        community_palette = dict(zip(ids, category_colors(len(ids))))
    else:
        community_palette = community_colors(communities or {})
    isolates = sum(1 for u in graph if communities and communities.get(u) is not None
                   and not community_names and community_palette.get(communities[u]) == NEUTRAL)
    max_size = max((float(v) for u, v in (sizes or {}).items() if u in graph and v is not None), default=0.0)
    label_all = graph.number_of_nodes() <= 400
    ranked = sorted(graph.nodes, key=lambda u: -float((sizes or {}).get(u) or graph.degree(u)))
    labelled = set(ranked if label_all else ranked[: max(40, len(ranked) // 7)])

    net = Network(height=f"{height_px}px", width="100%", directed=True, cdn_resources="in_line",
                  neighborhood_highlight=True)
    net.templateEnv = _template_environment(net.template_dir)  # pyvis compiled its template on every page
    # Nodes and edges are written here, not through pyvis: what every node shares (font, border,
    # physics) is set once in the options, and the JSON keeps Japanese as characters, so the page
    # stays under 1 MB for a full map (per-node settings and \uXXXX escapes made it 3 MB).
    node_list: list[dict[str, object]] = []
    edge_list: list[list[object]] = []
    tie_kinds: dict[str, dict[str, object]] = {}
    legend_colors: dict[str, str] = {}
    groups: dict[str, str] = {}  # colour → vis group (a node names its group, not its colours)
    kinds_present: list[str] = []
    short_names: dict[str, str] = {}
    for uid in sorted(graph.nodes):
        data = graph.nodes[uid]
        kind = str(data.get("kind", "Agency"))
        if kind not in kinds_present:
            kinds_present.append(kind)
        community = communities.get(uid) if communities else None
        color, legend_key = _node_color(data, color_by, community, community_palette,
                                        isolates_apart=not community_names)
        legend_colors.setdefault(legend_key, color)
        value = (sizes or {}).get(uid)
        if sizes is not None and max_size > 0:
            size = 8 + 32 * math.sqrt(max(float(value or 0.0), 0.0) / max_size)
        else:
            size = _BASE_SIZE.get(kind, 12)
        name = str(data.get("name", data.get("id", uid)))
        if data.get("aggregate") and data.get("count"):
            name = f"{name} ×{data['count']}"
        x, y = positions[uid]
        short_names[uid] = _short(name)
        node_list.append({
            "id": uid, "label": _short(name) if uid in labelled else " ", "shape": KIND_SHAPES.get(kind, "dot"),
            "group": groups.setdefault(color, f"c{len(groups)}"), "size": round(size, 1), "x": x, "y": y,
            "tip": _tooltip(uid, data, lang, value, size_label, community, titles)})
    position = {str(node["id"]): i for i, node in enumerate(node_list)}
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("kind")))):
        kind = str(data.get("kind"))
        weight = float(data.get("weight") or 1.0)
        label = tie_label(kind, lang) if kind in TIE_COLORS else kind
        extra = [term("roles", data["role"], lang)] if data.get("role") else []
        if data.get("basis") and not str(data["basis"]).startswith(("agencies.", "programs.", "councils.",
                                                                     "districts.", "resident_groups.")):
            extra.append(str(data["basis"]))
        # One row per edge: [from, to (indices into the node list), tie kind (index into `tie_kinds`),
        # what the title adds, width];
        # the page expands it (`tsunagariEdges`), the colour, dashes, arrow and label coming once per kind.
        if kind not in tie_kinds:
            tie_kinds[kind] = {"label": label, "color": TIE_COLORS.get(kind, NEUTRAL),
                               "dashes": kind in _STRUCTURAL_TIES, "arrows": kind in _DIRECTED_TIES}
        row: list[object] = [position[u], position[v], list(tie_kinds).index(kind)]
        width = round(min(1 + math.log2(weight) if weight >= 1 else 1, 6), 2)
        if extra or width != 1:
            row.append(", ".join(extra))
        if width != 1:
            row.append(width)
        edge_list.append(row)
    group_colors = {name: {"background": color, "border": "#333333",
                           "highlight": {"background": color, "border": "#000000"}} for color, name in groups.items()}
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                        "keyboard": {"enabled": True}, "multiselect": False, "hideEdgesOnDrag": True},
        "edges": {"smooth": False, "color": {"opacity": 0.8}, "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}}},
        "groups": {name: {"color": colors} for name, colors in group_colors.items()},
        "nodes": {"physics": False, "borderWidth": 1,
                  "color": {"border": "#333333", "highlight": {"border": "#000000"}},
                  "font": {"size": 13, "face": "IPAexGothic, Noto Sans CJK JP, sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}},
    }))
    page = net.generate_html()
    # The inlined vis-network stylesheet carries 200 KB of data: URIs for the navigation and
    # editing buttons, which this map switches off.
    page = re.sub(r"url\(\s*[\"']?data:[^)]*\)", "none", page)
    page = page.replace("nodes = new vis.DataSet([]);", f"nodes = new vis.DataSet({_json_for_script(node_list)});", 1)
    page = page.replace("edges = new vis.DataSet([]);",
                        f"edges = new vis.DataSet(tsunagariEdges({_json_for_script(edge_list)}, "
                        f"{_json_for_script(list(tie_kinds.values()))}, nodes.getIds()));", 1)
    page = page.replace("</head>", _EDGE_ROWS + "</head>", 1)
    page = _compress_vis(page)

    # Offline and uncluttered: drop pyvis's CDN bootstrap links and empty headings.
    page = re.sub(r'<link\s+href="https://cdn\.jsdelivr\.net/npm/bootstrap[^>]*/>', "", page)
    page = re.sub(r'<script\s+src="https://cdn\.jsdelivr\.net/npm/bootstrap[^>]*>\s*</script>', "", page)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    page = page.replace("<html>", f'<html lang="{"en" if lang == "en" else "ja"}">', 1)

    legend_parts = [f"<div><i>{html.escape(t('network.legend_shapes', lang))}</i></div>"]
    glyph = {"dot": "●", "diamond": "◆", "triangle": "▲", "square": "■", "star": "★", "hexagon": "⬢"}
    for kind in [k.code for k in vocabulary("node_kinds") if k.code in kinds_present]:
        legend_parts.append(f"<div>{glyph.get(KIND_SHAPES.get(kind, 'dot'), '●')} "
                            f"{html.escape(kind_label(kind, lang))}</div>")
    what = t(f"network.color.{color_by}", lang)
    legend_parts.append(f"<div style='margin-top:4px'><i>{html.escape(t('network.legend_colors', lang, what=what))}"
                        "</i></div>")
    for key, color in sorted(legend_colors.items(), key=lambda kv: (kv[0].startswith("kind:"), _legend_order(kv[0]))):
        if key.startswith("kind:"):
            text = kind_label(key[5:], lang)
        elif color_by == "sector":
            text = term("sectors", key, lang) if key != "—" else "—"
        elif key == "isolated":
            text = t("map.isolated_legend", lang, n=format_number(isolates, lang))
        elif key == "more":
            text = t("map.more_communities", lang, n=CATEGORY_COUNT + 1)
        elif key == "none":
            text = t("map.no_community", lang)
        elif community_names and key.isdigit() and int(key) in community_names:
            text = community_names[int(key)]
        else:
            text = t("map.community_legend", lang, n=key) if key != "—" else "—"
        legend_parts.append(f"<div><span class='sw' style='background:{color}'></span>{html.escape(text)}</div>")
    ties_present = sorted({str(d.get("kind")) for _, _, d in graph.edges(data=True)},
                          key=lambda k: list(TIE_COLORS).index(k) if k in TIE_COLORS else 99)
    if ties_present:
        legend_parts.append(f"<div style='margin-top:4px'><i>{html.escape(t('network.tie_kinds', lang))}</i></div>")
        for kind in ties_present:
            style = "dashed" if kind in _STRUCTURAL_TIES else "solid"
            label = tie_label(kind, lang) if kind in TIE_COLORS else kind
            legend_parts.append(f"<div><span class='ln' style='border-top:3px {style} "
                                f"{TIE_COLORS.get(kind, NEUTRAL)}'></span>{html.escape(label)}</div>")
    names = sorted({str(graph.nodes[u].get("name", u)): u for u in graph}.items())
    overlay = _OVERLAY.format(
        search_placeholder=html.escape(t("network.in_map_search", lang), quote=True),
        legend_title=html.escape(t("network.legend", lang)),
        legend_height=max(height_px - 40, 120),
        legend="".join(legend_parts),
        notice=f'<div id="tsunagari-notice">{html.escape(notice)}</div>' if notice else "",
        by_name=_json_for_script([list(pair) for pair in names]),
        readings=_json_for_script([name_reading(name) for name, _ in names]),
        group_colors=_json_for_script(group_colors),
        focus=_json_for_script(focus),
        ranked=_json_for_script(ranked[:_LABEL_CANDIDATES]),
        short_names=_json_for_script({u: short_names[u] for u in ranked[:_LABEL_CANDIDATES]}),
        not_found=_json_for_script(t("network.search_not_found", lang)),
    )
    return page.replace("</body>", overlay + "\n</body>", 1)


_LABEL_CANDIDATES = 400  # nodes, most central first, that the page may name (the rest only on hover)


def _legend_order(key: str) -> tuple[int, str]:
    labels = vocabulary("sectors").labels("ja")
    if key in labels:
        return labels.index(key), key
    if key.isdigit():
        return int(key), key
    return 999 + ("more", "isolated", "none").index(key) if key in ("more", "isolated", "none") else 999, key
