"""The network page's kept views (``map_view``): the same page as drawing it anew, drawn once per view.

Each view's HTML is compared, character for character, with the page the map functions draw from
the store's graph without any cache (``map_nodes``, ``filter_graph``, ``limit_graph``,
``render_network_html`` at ``layout_positions`` of the whole municipality, sized and coloured by a
fresh ``compute_metrics``), after other views have run, so a kept graph changed by a later view
would show.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tsunagari.analysis.metrics import MetricsOptions, compute_metrics
from tsunagari.dashboards import network_map, widgets
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.network_map import filter_graph, layout_positions, limit_graph, map_nodes, render_network_html
from tsunagari.dashboards.views.network import SIZE_MEASURES
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
CODE = "99999"  # テスト市 of tests/fixtures/mini: 11 nodes besides the municipality


@pytest.fixture()
def drawn(monkeypatch, app_store):
    """``(pages shown in the iframe, calls of render_network_html)`` of the network page, caches emptied first."""
    from tests.dashboards.conftest import clear_dashboard_caches

    clear_dashboard_caches()
    pages: list[str] = []
    renders: list[int] = []
    render = network_map.render_network_html

    def counted(*args, **kwargs):
        renders.append(1)
        return render(*args, **kwargs)

    monkeypatch.setattr(widgets, "show_html", lambda page, *, height: pages.append(page))
    monkeypatch.setattr(network_map, "render_network_html", counted)
    yield pages, renders
    clear_dashboard_caches()


@pytest.fixture(scope="module")
def graph(app_store):
    with open_store(Settings.from_env(), read_only=True) as store:
        return store.read_graph(CODE)


def _network_page(lang: str = "ja") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["lang"] = lang
    at.session_state["municipality"] = CODE
    at.run()
    at.switch_page("views/network.py").run()
    assert not at.exception, at.exception
    return at


def test_each_view_is_the_page_drawn_anew(drawn, graph):
    pages, _ = drawn
    at = _network_page()
    at.multiselect(key="map-kinds").set_value(["Agency"]).run()
    at.radio(key="map-color").set_value("community").run()
    at.selectbox(key="map-size").set_value("betweenness").run()
    at.selectbox(key="map-focus").set_value(f"{CODE}:hub").run()
    at.number_input(key="map-max").set_value(10).run()  # 5 agencies: nothing hidden
    at.multiselect(key="map-kinds").set_value([]).run()  # nothing to draw: a warning, no page
    assert not at.exception, at.exception
    assert len(pages) == 6  # the first view, then one page per change that draws one
    agencies = ["Agency"]
    expected = [
        _fresh_page(graph),
        _fresh_page(graph, kinds=agencies),
        _fresh_page(graph, kinds=agencies, color_by="community"),
        _fresh_page(graph, kinds=agencies, color_by="community", size_by="betweenness"),
        _fresh_page(graph, kinds=agencies, color_by="community", size_by="betweenness", focus=f"{CODE}:hub"),
        _fresh_page(graph, kinds=agencies, color_by="community", size_by="betweenness", focus=f"{CODE}:hub",
                    max_nodes=10),
    ]
    for i, (page, want) in enumerate(zip(pages, expected)):
        assert page == want, f"view {i}: the kept page differs from the page drawn anew"
    assert [w.value for w in at.warning] == [t("network.empty", "ja")]  # the empty map says so


def test_a_view_seen_before_is_not_drawn_again(drawn, graph):
    pages, renders = drawn
    at = _network_page()
    assert len(renders) == 1
    at.radio(key="map-color").set_value("community").run()
    assert len(renders) == 2
    at.radio(key="map-color").set_value("sector").run()  # back to the first view
    assert len(renders) == 2, "a view seen before was rendered again"
    other = _network_page()  # another session (a new browser tab) asking for the same view
    assert not other.exception
    assert len(renders) == 2, "another session's same view was rendered again"
    assert pages[0] == pages[2] == pages[3]
    # a limit that hides one of the 11 nodes is a new view: drawn, with the notice, then kept too
    other.number_input(key="map-max").set_value(10).run()
    assert len(renders) == 3 and any("1" in w.value for w in other.warning)
    assert pages[-1] == _fresh_page(graph, max_nodes=10)


def test_english_view_is_its_own_page(drawn, graph):
    pages, renders = drawn
    _network_page("ja")
    _network_page("en")
    assert len(renders) == 2
    assert pages == [_fresh_page(graph), _fresh_page(graph, lang="en")]


def _fresh_page(graph, *, kinds=None, max_nodes=1500, size_by=None, color_by="sector", focus=None,
                lang="ja") -> str:
    settings = Settings.from_env()
    full = map_nodes(graph)
    metrics = compute_metrics(graph, options=MetricsOptions(sample_threshold=settings.sample_threshold)).nodes
    kinds_present = [k for k in dict.fromkeys(d["kind"] for _, d in full.nodes(data=True))]
    ties_present = list(dict.fromkeys(d["kind"] for *_, d in full.edges(data=True)))
    filtered = filter_graph(full, kinds=kinds if kinds is not None else kinds_present, tie_kinds=ties_present)
    sizes = None if size_by is None else {u: float(v) for u, v in zip(metrics["uid"], metrics[size_by]) if v == v}
    shown, limit = limit_graph(filtered, max_nodes=max_nodes, scores=sizes)
    notice = None
    if limit.hidden:
        notice = t("network.hidden", lang, hidden=limit.hidden, detail=limit.describe(lang))
    communities = {u: int(c) for u, c in zip(metrics["uid"], metrics["community"])}
    return render_network_html(shown, positions=layout_positions(full, seed=settings.layout_seed), lang=lang,
                               color_by=color_by, communities=communities if color_by == "community" else None,
                               sizes=sizes, size_label=None if size_by is None else SIZE_MEASURES[size_by][lang == "en"],
                               focus=focus, notice=notice)
