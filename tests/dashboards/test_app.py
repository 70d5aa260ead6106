"""Every page through ``AppTest`` on every loaded municipality, in both languages, on both stores.

The figures a page shows must equal what the analysis functions return for the same graph. Every
test runs on the embedded store and on the Neo4j test server (``app_store``, one loaded store per
kind shared by the module; the Neo4j run is skipped without ``TSUNAGARI_NEO4J_URI``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tsunagari.analysis.gaps import coverage_gaps
from tsunagari.analysis.inequality import district_inequality
from tsunagari.analysis.metrics import compute_metrics
from tsunagari.analysis.summary import summarize
from tsunagari.dashboards.i18n import format_number, t
from tsunagari.dashboards.widgets import md_text
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
PAGES = ("overview", "network", "coverage", "bridging", "inequality", "change", "data")


@pytest.fixture(scope="module")
def graphs(app_store):
    # The settings the app builds at session start (outside a script run, st.session_state is one
    # process-wide dict that would keep the previous module's store).
    with open_store(Settings.from_env(), read_only=True) as store:
        assert store.url == app_store.url
        return {code: store.read_graph(code) for code in app_store.codes}


def _app(code: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["lang"] = lang
    at.session_state["municipality"] = code
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# What each page showed on the store that ran first (embedded), by (code, page, lang), for the next.
SHOWN: dict[tuple[str, str, str], tuple] = {}


def _shown(at: AppTest, lang: str) -> tuple:
    """Everything the page's main area shows, as text: headings, captions, notices, metrics, tables.

    The load history is left out (its times are those of each store's own load).
    """
    main = at.main
    texts = tuple((kind, e.value) for kind in ("title", "header", "subheader", "caption", "markdown", "info",
                                               "warning", "success", "error")
                  for e in getattr(main, kind))
    metrics = tuple((m.label, m.value) for m in main.metric)
    history = t("col.loaded_at", lang)
    tables = tuple(d.value.to_csv() for d in main.dataframe if history not in d.value.columns)
    return texts, metrics, tables


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_on_every_municipality(app_store, graphs, lang):
    for code in app_store.codes:
        at = _app(code, lang)
        manifest = graphs[code].graph
        name = (manifest.get("name_en") or manifest["name"]) if lang == "en" else manifest["name"]
        for page in PAGES:
            at.switch_page(f"views/{page}.py").run()
            assert not at.exception, (code, page, lang, at.exception)
            # the Data page serves every municipality (upload, delete), so its title names none
            expected = t(f"page.{page}", lang) + ("" if page == "data" else f" — {md_text(name)}")
            assert at.title[0].value == expected, (code, page)
            shown = _shown(at, lang)
            if app_store.kind == "embedded":
                SHOWN[code, page, lang] = shown
            elif (code, page, lang) in SHOWN:  # the embedded store ran first in this session
                assert shown == SHOWN[code, page, lang], (code, page, lang)
        assert at.session_state["municipality"] == code
        # the sidebar names the store this run reads: the one under test
        assert any(md_text(app_store.url) in c.value for c in at.sidebar.caption), app_store


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_overview_figures_equal_summary(graphs, lang):
    for code, graph in graphs.items():
        summary = summarize(graph)
        counts = dict(zip(summary.kinds["kind"], summary.kinds["count"]))
        shown = _metrics(_app(code, lang))
        assert shown[t("overview.actors", lang)] == format_number(counts.get("Agency", 0))
        assert shown[t("overview.councils", lang)] == format_number(counts.get("Council", 0))
        assert shown[t("overview.programs", lang)] == format_number(counts.get("Program", 0))
        assert shown[t("overview.population", lang)] == format_number(summary.municipality.get("population"))


def test_network_page_filters_and_search(graphs):
    code = "99999"
    at = _app(code, "ja").switch_page("views/network.py").run()
    assert not at.exception
    full = at.session_state["map-last-nodes"]
    assert full == sum(1 for _, d in graphs[code].nodes(data=True) if d["kind"] != "Municipality")
    at.multiselect(key="map-kinds").set_value(["Agency"]).run()
    assert at.session_state["map-last-nodes"] == sum(1 for _, d in graphs[code].nodes(data=True)
                                                     if d["kind"] == "Agency")
    at.selectbox(key="map-focus").set_value("99999:hub").run()
    at.radio(key="map-color").set_value("community").run()
    at.selectbox(key="map-size").set_value("betweenness").run()
    assert not at.exception
    assert not at.warning  # 5 agencies: nothing hidden
    # Switching the language keeps every map option (widget keys do not depend on the language).
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.multiselect(key="map-kinds").value == ["Agency"]
    assert (at.radio(key="map-color").value, at.selectbox(key="map-size").value) == ("community", "betweenness")
    assert at.selectbox(key="map-focus").value == "99999:hub"
    assert at.radio(key="map-color").label == t("network.color_by", "en")
    # テスト市 has 11 nodes besides the municipality: a limit of 10 hides one and says so
    limited = _app(code, "ja").switch_page("views/network.py").run()
    limited.number_input(key="map-max").set_value(10).run()
    assert limited.session_state["map-last-nodes"] == 10
    assert any("1" in w.value for w in limited.warning)


def test_coverage_figures_equal_analysis(graphs):
    for code, graph in graphs.items():
        tables = coverage_gaps(graph)
        at = _app(code, "ja").switch_page("views/coverage.py").run()
        shown = _metrics(at)
        needs = tables.needs
        assert shown[t("coverage.unaddressed", "ja")] == format_number((needs["status"] == "unaddressed").sum())
        cube = tables.cube
        if cube.empty:
            continue
        cells = cube[cube["domain"] == "全体"]
        assert shown[t("coverage.none_cells", "ja")] == format_number((cells["level"] == "none").sum())
        assert shown[t("coverage.thin_cells", "ja")] == format_number((cells["level"] == "thin").sum())


def test_bridging_figures_equal_metrics(graphs):
    for code, graph in graphs.items():
        result = compute_metrics(graph)
        whole = dict(zip(result.graph["measure"], result.graph["value"]))
        at = _app(code, "en").switch_page("views/bridging.py").run()
        shown = _metrics(at)
        assert shown[t("bridging.cutpoints", "en")] == format_number(whole["cutpoints"])
        assert shown[t("bridging.bridges", "en")] == format_number(whole["bridges"])
        # isolates are not counted as a community each
        assert shown[t("bridging.communities", "en")] == format_number(whole["communities_of_two_or_more"])
        if result.nodes.empty:
            continue
        ranking = at.dataframe[0].value
        expected = result.nodes.sort_values("betweenness_rank")["name"].tolist()
        assert ranking[t("col.name", "en")].tolist() == expected
        worst = result.nodes.sort_values(["loss_rank", "uid"]).iloc[0]
        assert shown[t("bridging.pairs_lost", "en")] == format_number(worst["pairs_lost"])


def test_inequality_figures_equal_analysis(graphs):
    for code, graph in graphs.items():
        at = _app(code, "ja").switch_page("views/inequality.py").run()
        frames = district_inequality(graph, per="population")
        if frames.districts.empty:
            continue
        indices = frames.indices.set_index("index")
        shown = _metrics(at)
        assert shown[t("inequality.gini", "ja")] == format_number(indices.loc["gini", "value"], digits=3)
        assert shown[t("inequality.theil_t", "ja")] == format_number(indices.loc["theil_t", "value"], digits=3)
        at.radio(key="inequality-per").set_value("none").run()
        raw = district_inequality(graph, per=None).indices.set_index("index")
        assert _metrics(at)[t("inequality.gini", "ja")] == format_number(raw.loc["gini", "value"], digits=3)


def test_data_page_shows_load_report(app_store, graphs):
    for code in app_store.codes:
        at = _app(code, "ja").switch_page("views/data.py").run()
        assert not at.exception
        assert any(graphs[code].graph["content_hash"] in c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_data_page_offers_the_meeting_paper(graphs, lang):
    from tsunagari.dashboards.session import load_council_report

    code = next(c for c in graphs if graphs[c].graph.get("name") == "尼崎市")
    at = _app(code, lang).switch_page("views/data.py").run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert t("data.council_report_button", lang) in labels
    paper = load_council_report(code, graphs[code].graph["content_hash"], lang).decode("utf-8")
    assert paper.startswith("<!DOCTYPE html>") and f'lang="{lang}"' in paper
    assert "重層的支援推進担当課" in paper  # the top bridging actor is named in the paper
    # and as the A4 PDF with page numbers (issue 16: the paper as a PDF on the Data page too)
    assert t("data.council_report_pdf_button", lang) in labels
    from tsunagari.dashboards.session import load_council_report_pdf

    pdf = load_council_report_pdf(code, graphs[code].graph["content_hash"], lang)
    assert pdf.startswith(b"%PDF")
