"""The pure map functions: filtering, stable layout, limiting, safe HTML."""

from __future__ import annotations

import html
import json
import re

import networkx as nx
import pytest

from tsunagari.dashboards.errors import MapOptionError, MapTooLargeError
from tsunagari.dashboards.network_map import filter_graph, layout_positions, limit_graph, render_network_html
from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.settings import Settings

EVIL = "<script>alert('x')</script>\"`${1}`&amp;"


@pytest.fixture(scope="module")
def mini_graph(tmp_path_factory) -> nx.MultiDiGraph:
    from tests.dashboards.conftest import MINI

    url = f"embedded://{tmp_path_factory.mktemp('map') / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        store.load_package(read_package(MINI))
        return store.read_graph("99999")


def test_layout_is_seeded_and_stable(mini_graph):
    first = layout_positions(mini_graph, seed=3)
    assert first == layout_positions(mini_graph, seed=3)
    assert first != layout_positions(mini_graph, seed=4)
    assert set(first) == set(mini_graph)


def test_render_is_deterministic_and_positions_fixed(mini_graph):
    positions = layout_positions(mini_graph, seed=0)
    page = render_network_html(mini_graph, positions=positions)
    assert page == render_network_html(mini_graph, positions=positions)
    drawn = {node["id"]: (node["x"], node["y"]) for node in json.loads(
        re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S).group(1))}
    assert drawn == {uid: positions[uid] for uid in drawn}, "every node must be drawn at its given position"
    assert "99999:hub" in drawn
    assert '"physics": {"enabled": false}' in page.replace("'", '"')
    # self-contained: no CDN script or stylesheet
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', page)
    assert "重層的支援推進担当課" in page  # Japanese kept as characters (written as UTF-8 by callers)


def test_filters(mini_graph):
    # the North district keeps its own agency and residents' group and the city-wide hub; South-only nodes go
    north = filter_graph(mini_graph, districts={"99999:north"})
    assert {"99999:north", "99999:houkatsu", "99999:chokai_n", "99999:hub"} <= set(north)
    assert "99999:south" not in north
    agencies = filter_graph(mini_graph, kinds={"Agency"})
    assert {d["kind"] for _, d in agencies.nodes(data=True)} == {"Agency"}
    members = filter_graph(mini_graph, tie_kinds={"MEMBER_OF"})
    assert {d["kind"] for *_, d in members.edges(data=True)} == {"MEMBER_OF"}
    elderly = filter_graph(mini_graph, domains={"障がい"})
    assert "99999:houkatsu" not in elderly  # 高齢 only
    assert "99999:hub" in elderly  # 全世代 matches every domain
    with pytest.raises(MapOptionError, match="Agancy"):
        filter_graph(mini_graph, kinds={"Agancy"})


def test_filtered_nodes_keep_the_graphs_order(mini_graph):
    # the order decides which of equally ranked nodes the map names; a set's order changed with
    # PYTHONHASHSEED, i.e. between server processes
    for kept in (filter_graph(mini_graph), filter_graph(mini_graph, kinds={"Agency", "District"}),
                 filter_graph(mini_graph, districts={"99999:south"})):
        assert list(kept) == [n for n in mini_graph if n in kept]
        assert list(kept.edges(keys=True)) == [e for e in mini_graph.edges(keys=True) if e in kept.edges(keys=True)]


def test_limit_reports_hidden_nodes(mini_graph):
    kept, report = limit_graph(mini_graph, max_nodes=5)
    assert kept.number_of_nodes() == 5
    assert report.hidden == mini_graph.number_of_nodes() - 5
    assert sum(report.hidden_by_kind.values()) == report.hidden
    with pytest.raises(MapTooLargeError, match="max_nodes"):
        render_network_html(mini_graph, max_nodes=3)


def test_hostile_names_are_escaped():
    g = nx.MultiDiGraph()
    g.add_node("1:a", kind="Agency", id="a", name=EVIL, sector="福祉", source=EVIL)
    g.add_node("1:b", kind="Council", id="b", name="会議</script><script>alert(2)</script>")
    g.add_edge("1:a", "1:b", kind="MEMBER_OF", role="委員", basis=EVIL)
    page = render_network_html(g, focus="1:a")
    assert "<script>alert" not in page
    assert "</script><script>alert(2)" not in page
    # the tooltip carries the escaped name, shown as the original text by the browser
    assert html.escape(EVIL).replace("&", "\\u0026").replace("<", "\\u003c") in page  # in the vis.js data
    # the search list is filled in the page from the names' JSON (escaped for a script), never as HTML
    assert json.dumps(EVIL, ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c").replace(
        ">", "\\u003e") + ', "1:a"]' in page
    assert "<option" not in page


def test_bad_options():
    g = nx.MultiDiGraph()
    g.add_node("1:a", kind="Agency", name="a")
    with pytest.raises(MapOptionError, match="color_by"):
        render_network_html(g, color_by="rainbow")
    with pytest.raises(MapOptionError, match="communities"):
        render_network_html(g, color_by="community")
    with pytest.raises(MapOptionError, match="focus"):
        render_network_html(g, focus="1:zz")


def test_large_graph_stays_within_budget():
    # 2,000 agencies in a ring: the page limits to 1,500 and the layout is still seeded
    g = nx.MultiDiGraph()
    for i in range(2000):
        g.add_node(f"1:{i}", kind="Agency", name=f"機関{i}", sector="福祉")
        g.add_edge(f"1:{i}", f"1:{(i + 1) % 2000}", kind="REFERS_TO")
    kept, report = limit_graph(g, max_nodes=1500)
    assert report.hidden == 500 and report.hidden_by_kind == {"Agency": 500}
    page = render_network_html(kept, positions={u: (0.0, float(i)) for i, u in enumerate(kept)})
    assert page.count('"shape": "dot"') == 1500
