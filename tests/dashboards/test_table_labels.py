"""Tables on screen speak the reader's language; downloads keep the raw analysis frames.

Every page of every loaded municipality runs through ``AppTest`` in Japanese and English; each
``st.dataframe`` it shows must have headers from the ``col.*`` strings of that language (or
vocabulary labels) and no raw code in its cells.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tsunagari.analysis.coverage import gap_cells
from tsunagari.analysis.gaps import coverage_gaps
from tsunagari.analysis.inequality import district_inequality
from tsunagari.analysis.metrics import compute_metrics
from tsunagari.analysis.na_reasons import NA_REASON_CODES
from tsunagari.dashboards.i18n import na_reason_text
from tsunagari.dashboards import widgets
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.i18n import index_label
from tsunagari.dashboards.table_labels import column_labels, label_columns
from tsunagari.graph.vocabulary import vocabulary

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
PAGES = ("overview", "coverage", "bridging", "inequality", "data")
TAKASHIMA = "25212"

# Codes of the analysis frames that must never reach the screen as they are.
RAW_CODES = (set(NA_REASON_CODES) | {"gini", "gini_corrected", "theil_t", "cv", "max_min_ratio"}
             | {"unaddressed", "addressed", "not_recorded", "silo", "mixed", "no_members", "not_on_any_council",
                "absent_from_data", "on_councils", "covered", "thin", "none"})


@pytest.fixture(scope="module")
def graphs(dashboard_store):
    url, codes = dashboard_store
    from tsunagari.dashboards.session import session_store

    with session_store() as store:
        assert store.url == url
        return {code: store.read_graph(code) for code in codes}


def _page(code: str, lang: str, page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["lang"] = lang
    at.session_state["municipality"] = code
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, (code, page, lang, at.exception)
    return at


def _headers(frame: pd.DataFrame) -> list[str]:
    names = [str(c) for c in frame.columns]
    return names + ([str(frame.index.name)] if frame.index.name is not None else [])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_table_has_headers_and_cells_in_the_language(dashboard_store, lang):
    _, codes = dashboard_store
    allowed = column_labels(lang) | set(vocabulary("pillars").labels(lang))  # pillars head the coverage grid
    other = "en" if lang == "ja" else "ja"
    only_other = column_labels(other) - column_labels(lang)
    shown = 0
    for code in codes:
        for page in PAGES:
            at = _page(code, lang, page)
            for element in at.dataframe:
                frame = element.value
                shown += 1
                where = (code, page, lang, _headers(frame))
                assert set(_headers(frame)) <= allowed, where
                assert not set(_headers(frame)) & only_other, where
                assert not any(h.isascii() and "_" in h for h in _headers(frame)), where
                assert not any(pd.api.types.is_bool_dtype(frame[c]) for c in frame.columns), where
                for column in frame.columns:
                    cells = {v for v in frame[column].tolist() if isinstance(v, str)}
                    assert not cells & RAW_CODES, (*where, column, cells & RAW_CODES)
                    if frame[column].dtype == object:  # text columns show a missing value as —, not None
                        assert not any(v is None for v in frame[column].tolist()), (*where, column)
    assert shown >= 15 * len(codes)


def test_takashima_inequality_reasons_are_text(dashboard_store, graphs):
    frames = district_inequality(graphs[TAKASHIMA], per="population")
    for lang in ("ja", "en"):
        at = _page(TAKASHIMA, lang, "inequality")
        indices, districts = (e.value for e in at.dataframe)
        reasons = districts[t("col.na_reason_population", lang)].tolist()
        assert reasons == [na_reason_text(c, lang) for c in frames.districts["na_reason_population"]]
        mine = frames.indices[frames.indices["scope"] == TAKASHIMA]
        assert indices[t("col.na_reason", lang)].tolist() == [na_reason_text(c, lang) for c in mine["na_reason"]]
        assert indices[t("col.index", lang)].tolist() == [index_label(i, lang) for i in mine["index"]]
    assert set(reasons) == {na_reason_text("no_population_figure", "en")}
    ja = _page(TAKASHIMA, "ja", "inequality").dataframe[1].value
    assert set(ja["値がない理由（人口）"]) == {"この地区の人口の数値がない"}
    assert set(ja["比較に含む"]) == {"いいえ"}


def test_downloads_keep_the_raw_frames(dashboard_store, graphs, monkeypatch):
    downloads: dict[str, pd.DataFrame] = {}

    def record(frame: pd.DataFrame, *, name: str, key: str, label: str | None = None) -> None:
        downloads[key] = frame.copy()

    monkeypatch.setattr(widgets, "download_frame", record)  # the pages import it when they run
    for code, graph in graphs.items():
        for lang in ("ja", "en"):
            downloads.clear()
            for page in ("coverage", "bridging", "inequality"):
                _page(code, lang, page)
            cube = coverage_gaps(graph).cube
            if not cube.empty:
                gaps = gap_cells(cube)
                pd.testing.assert_frame_equal(downloads["dl-gaps"], gaps[gaps["domain_type"] != "any"])
            nodes = compute_metrics(graph).nodes
            if not nodes.empty:
                pd.testing.assert_frame_equal(downloads["dl-bridging"], nodes)
            districts = district_inequality(graph, per="population").districts
            if not districts.empty:
                pd.testing.assert_frame_equal(downloads["dl-ineq"], districts)
                assert "na_reason_population" in downloads["dl-ineq"].columns


def test_label_columns_fails_loudly_and_leaves_the_frame_alone():
    frame = pd.DataFrame({"district": ["北地区"], "level": ["none"]})
    shown = label_columns(frame, "ja", keys={"level": "col.level"})
    assert shown.columns.tolist() == ["地区", "充足状況"]
    assert frame.columns.tolist() == ["district", "level"]
    with pytest.raises(KeyError, match="brand_new_measure"):
        label_columns(frame.assign(brand_new_measure=1), "ja")
    with pytest.raises(ValueError, match="share a header"):
        label_columns(frame, "ja", keys={"level": "col.district"})
