"""Coverage tables read by name (no internal id first or at all), the deciding status first; sources cited by title."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tsunagari.analysis.gaps import coverage_gaps
from tsunagari.dashboards.citations import citation, document_titles
from tsunagari.dashboards.council_report import build_report
from tsunagari.dashboards.i18n import t
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
AMAGASAKI = "28202"


@pytest.fixture(scope="module")
def amagasaki(dashboard_store):
    url, codes = dashboard_store
    assert AMAGASAKI in codes
    with open_store(Settings(store_url=url), read_only=True) as store:
        return store.read_graph(AMAGASAKI)


def _page(page: str, lang: str = "ja") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.session_state["lang"] = lang
    at.query_params.update({"city": AMAGASAKI, "page": page})
    at.run()
    assert not at.exception, at.exception
    return at


def test_coverage_tables_start_with_names_and_show_no_internal_id(amagasaki):
    result = coverage_gaps(amagasaki)
    ids = {i for i in set(result.needs["need_id"]) | set(result.councils["council_id"]) | set(result.residents["district_id"]) if i}
    assert "need_dv" in ids and "council_chifuku_chonai" in ids
    at = _page("coverage")
    tables = {tuple(d.value.columns)[0]: d.value for d in at.dataframe if len(d.value.columns)}
    assert t("col.need", "ja") in tables  # the needs table starts with the need's name
    assert t("col.council_status", "ja") in tables  # the councils table with the deciding status
    councils = tables[t("col.council_status", "ja")]
    assert councils.columns[1] == t("col.council", "ja")
    assert set(councils.iloc[:, 0]) <= {t(f"status.{s}", "ja") for s in ("silo", "mixed", "no_members")}
    for frame in (d.value for d in at.dataframe):
        cells = {str(v) for v in frame.to_numpy().ravel()} | {str(v) for v in frame.index}
        assert not cells & ids, (list(frame.columns), sorted(cells & ids)[:5])


def test_the_papers_council_table_leads_with_the_status(amagasaki):
    page = build_report(amagasaki)
    table = page[page.index('id="table-councils"'):]
    first = table[table.index("<th"):table.index("</th>")]
    assert first.endswith(t("col.council_status", "ja"))


def test_sources_are_cited_by_document_title(amagasaki):
    titles = document_titles(amagasaki.graph["documents"])
    assert titles["000_3e15e575296e7296.txt"].startswith("連携・協働のプロセス")
    at = _page("overview")
    sources = next(d.value for d in at.dataframe if t("col.source", "ja") in d.value.columns)[t("col.source", "ja")]
    assert len(sources) > 5
    assert not [s for s in sources if ".txt" in s], [s for s in sources if ".txt" in s][:3]
    assert any(s.startswith("『連携・協働のプロセス") for s in sources)
    cover = build_report(amagasaki)
    cover = cover[:cover.index('id="table-meta"') + 3000]
    assert "『連携・協働のプロセス" in cover and "000_3e15e575296e7296.txt" not in cover


def test_a_document_without_a_title_keeps_its_place_first_and_its_file_after():
    assert citation("999_ab.txt 表3", {}) == "表3（999_ab.txt）"
    assert citation("999_ab.txt 表3", {}, "en") == "表3 (999_ab.txt)"
    assert citation("999_ab.txt 表3", {"999_ab.txt": "報告書"}) == "『報告書』表3"
