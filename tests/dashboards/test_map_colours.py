"""Map colours: one distinct colour per legend entry, communities numbered from 1 as the exports, isolates apart."""

from __future__ import annotations

import html
import re
from collections import Counter

import networkx as nx
import pytest

from tsunagari.analysis.export import export_metrics
from tsunagari.analysis.metrics import compute_metrics
from tsunagari.dashboards.network_map import render_network_html
from tsunagari.dashboards.palette import NEUTRAL, community_colors, sector_color
from tsunagari.dashboards.static_export import figure_bytes, network_figure
from tsunagari.graph.open import open_store
from tsunagari.graph.vocabulary import vocabulary
from tsunagari.loaders.validate import read_package
from tsunagari.samples import sample_path
from tsunagari.settings import Settings

_ENTRY = re.compile(r"<div><span class='sw' style='background:(#[0-9A-Fa-f]{6})'></span>([^<]*)</div>")


def legend(page: str) -> list[tuple[str, str]]:
    """(colour, text) of every colour entry of the map's legend."""
    return [(c.upper(), html.unescape(text)) for c, text in _ENTRY.findall(page)]


def every_kind_and_sector() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i, sector in enumerate(vocabulary("sectors").labels("ja")):
        g.add_node(f"1:a{i}", kind="Agency", name=f"機関{i}", sector=sector)
    g.add_node("1:nosector", kind="Agency", name="領域なし")
    for kind in ("Council", "ResidentGroup", "Program", "Need", "District"):
        g.add_node(f"1:{kind}", kind=kind, name=kind)
    return g


@pytest.mark.parametrize("color_by", ["sector", "kind"])
def test_every_legend_entry_has_its_own_colour(color_by):
    entries = legend(render_network_html(every_kind_and_sector(), color_by=color_by))
    colours = [c for c, _ in entries]
    assert len(entries) == (16 + 1 + 4 if color_by == "sector" else 6), entries  # 住民 holds the residents' groups
    assert len(set(colours)) == len(colours), Counter(colours).most_common(3)


def test_the_pairs_that_collided_are_apart():
    from tsunagari.dashboards.i18n import kind_label

    entries = dict((text, c) for c, text in legend(render_network_html(every_kind_and_sector(), color_by="sector")))
    council, program, need = (kind_label(k, "ja") for k in ("Council", "Program", "Need"))
    for a, b in ((council, "住民"), ("住民", "生涯学習・文化"), (program, "警察・消防・防災"), (need, "行政管理・財政")):
        assert entries[a] != entries[b], (a, b)


@pytest.fixture(scope="module")
def amagasaki(tmp_path_factory):
    url = f"embedded://{tmp_path_factory.mktemp('colours') / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        code = store.load_package(read_package(sample_path("amagasaki"))).code
        graph = store.read_graph(code)
    return graph, compute_metrics(graph)


def test_communities_numbered_from_1_as_the_export_and_isolates_one_entry(amagasaki, tmp_path):
    graph, result = amagasaki
    export_metrics(result, tmp_path / "out", fmt="csv")
    import pandas as pd

    exported = pd.read_csv(tmp_path / "out" / "nodes.csv", encoding="utf-8-sig")
    communities = dict(zip(exported["uid"], exported["community"].astype(int)))
    assert communities == dict(zip(result.nodes["uid"], result.nodes["community"]))
    sizes = Counter(communities.values())
    groups = sorted(c for c, n in sizes.items() if n > 1)
    isolated = sum(1 for n in sizes.values() if n == 1)
    assert min(communities.values()) == 1 and isolated > 0  # the sample has actors with no tie
    whole = dict(zip(result.graph["measure"], result.graph["value"]))
    assert whole["communities_of_two_or_more"] == len(groups) == whole["communities"] - isolated
    assert isolated == whole["isolates"]
    page = render_network_html(graph, color_by="community", communities=communities)
    entries = legend(page)
    texts = [text for _, text in entries]
    numbered = [int(m.group(1)) for m in (re.fullmatch(r"まとまり (\d+)", x) for x in texts) if m]
    assert numbered == groups[:16]  # from 1, in the analysis's numbers, no isolate among them
    assert f"つながりのない主体（{isolated}）" in texts
    assert len({c for c, _ in entries}) == len(entries)
    # a node's tooltip names the community the export gives it
    uid = next(u for u, c in communities.items() if c == groups[-1])
    tip = re.search(r'"id": ?"' + re.escape(uid) + r'"[^}]*"tip": ?"([^"]*)"', page)
    assert tip and f"まとまり: {groups[-1]}" in tip.group(1)


def test_static_map_has_the_same_community_legend(amagasaki):
    graph, result = amagasaki
    communities = dict(zip(result.nodes["uid"], result.nodes["community"]))
    from tsunagari.dashboards.network_map import layout_positions

    figure = network_figure(graph, positions=layout_positions(graph), color_by="community", communities=communities)
    texts = [t.get_text() for legend in figure.axes[0].findobj(lambda a: a.__class__.__name__ == "Legend")
             for t in legend.get_texts()]
    assert "まとまり 1" in texts and any(x.startswith("つながりのない主体") for x in texts), texts
    assert "まとまり 0" not in texts


def test_community_colours_set_isolates_apart():
    assert community_colors({"a": 1, "b": 1, "c": 2, "d": 3}) == {1: "#0072B2", 2: NEUTRAL, 3: NEUTRAL}


def test_static_map_names_the_central_actors_without_overlap(amagasaki):
    graph, result = amagasaki
    from tsunagari.dashboards.network_map import layout_positions, map_nodes

    shown = map_nodes(graph)
    sizes = dict(zip(result.nodes["uid"], result.nodes["betweenness"]))
    figure = network_figure(shown, positions=layout_positions(shown), sizes=sizes, label_limit=40)
    figure_bytes(figure, "png", dpi=100)  # as saved: the extents of the final layout
    renderer = figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in figure.axes[0].texts]
    assert len(boxes) >= 15, len(boxes)
    overlapping = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    assert not overlapping, overlapping
    top = result.nodes.sort_values("betweenness_rank").iloc[0]
    assert any(text.get_text().startswith(str(top["name"])[:17]) for text in figure.axes[0].texts)


def test_network_page_offers_the_map_as_png_svg_and_pdf(dashboard_store):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tsunagari.dashboards.i18n import t

    app = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=300)
    at.query_params["page"] = "network"
    at.run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert [t(f"export.map_{f}", "ja") for f in ("png", "svg", "pdf")] == labels[:3], labels
    graph = every_kind_and_sector()
    pdf = figure_bytes(network_figure(graph, positions={u: (i, i % 3) for i, u in enumerate(graph)}), "pdf")
    assert pdf.startswith(b"%PDF")
