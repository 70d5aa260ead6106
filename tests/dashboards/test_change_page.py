"""The 経年変化 page and the sidebar's fiscal-year selector, through AppTest on an embedded store holding
town_fy2023 and town_fy2024 (every planted change of tests/fixtures/town_fy2024/README.md) and the one-year
mini package; the before/after maps share one layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import tsunagari as tg
from tests.conftest import MINI, TOWN_FY2023, TOWN_FY2024
from tests.dashboards.conftest import clear_dashboard_caches
from tsunagari.analysis.change import municipality_change
from tsunagari.dashboards.i18n import t
from tsunagari.dashboards.network_map import map_nodes, render_network_html
from tsunagari.dashboards.text.change import display_tables
from tsunagari.dashboards.views.change import default_pair, shared_positions
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"


@pytest.fixture(scope="module")
def years_store(tmp_path_factory):
    url = f"embedded://{tmp_path_factory.mktemp('years') / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        store.load_packages([tg.read_package(p) for p in (TOWN_FY2023, TOWN_FY2024, MINI)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TSUNAGARI_STORE", url)
        patch.delenv("TSUNAGARI_LANG", raising=False)
        clear_dashboard_caches()
        yield url
        clear_dashboard_caches()


@pytest.fixture(scope="module")
def graphs():
    return tg.package_graph(tg.read_package(TOWN_FY2023)), tg.package_graph(tg.read_package(TOWN_FY2024))


def _app(code: str, lang: str = "ja", year=None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["lang"] = lang
    at.session_state["municipality"] = code
    if year is not None:
        at.session_state["fiscal-year"] = year
    at.run()
    assert not at.exception, at.exception
    return at


def _years() -> dict[str, int | None]:
    """Content hash → fiscal year of every snapshot in the store under test."""
    with open_store(Settings.from_env(), read_only=True) as store:
        return {s.content_hash: s.fiscal_year for s in store.list_snapshots()}


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_sidebar_offers_the_years_latest_first_and_the_pages_read_the_chosen_one(years_store):
    at = _app("99901")
    year = at.sidebar.selectbox(key="fiscal-year")
    assert year.options == ["2024年度（令和6年度）", "2023年度（令和5年度）"] and year.value == 2024
    programs = t("overview.programs", "ja")
    assert _metrics(at)[programs] == "9"  # FY2024: the 移動販売 program has ended
    year.set_value(2023).run()
    assert not at.exception and _metrics(at)[programs] == "10"
    assert [s.key for s in _app("99999").sidebar.selectbox] == ["municipality"]  # one year only: no year selector


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_change_page_shows_every_planted_change(years_store, graphs, lang):
    at = _app("99901", lang).switch_page("views/change.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith(t("page.change", lang))
    snapshots = _years()
    pair = [snapshots[at.selectbox(key=k).value] for k in ("change-before", "change-after")]
    assert pair == [2023, 2024]  # the latest and the year before it
    shown = _metrics(at)
    assert shown[t("change.metric.actors", lang)] == "+1 / −1"
    assert shown[t("change.metric.ties", lang)] == "+2 / −2"
    assert shown[t("change.metric.gaps_closed", lang)] == "1" and shown[t("change.metric.gaps_opened", lang)] == "1"
    expected = display_tables(municipality_change(*graphs), lang)
    frames = [d.value for d in at.main.dataframe]
    assert len(frames) == 7  # actors, ties, coverage, brokers, loss, inequality, districts
    for frame, (name, table) in zip(frames, expected.items()):
        assert frame.shape == table.shape, name
        assert frame.astype(str).values.tolist() == table.astype(str).values.tolist(), name
    coverage = frames[2].astype(str).values.tolist()
    closed = t("change.gap_closed", lang)
    assert [closed, "東谷地区"] == coverage[0][:2] and coverage[0][4:] == ["×", "△", "0", "1"]
    assert frames[4].astype(str).values.tolist()[0][1] == "教育委員会 学校教育課"


def test_the_pair_shown_first_is_the_selected_year_and_the_one_before(years_store):
    at = _app("99901", year=2023).switch_page("views/change.py").run()  # the oldest: compared with the next
    assert not at.exception
    labels = [at.selectbox(key="change-before").value, at.selectbox(key="change-after").value]
    snapshots = _years()
    assert [snapshots[h] for h in labels] == [2023, 2024]
    at.selectbox(key="change-after").set_value(labels[0]).run()
    assert [w.value for w in at.warning] == [t("change.same_year", "ja")]
    assert default_pair(["a", "b"], "b") == ("a", "b")


def test_a_municipality_with_one_year_says_what_to_load(years_store):
    at = _app("99999").switch_page("views/change.py").run()
    assert not at.exception and not at.main.dataframe
    assert "1つの年度" in at.info[0].value and "年度不明" in at.info[0].value


def test_the_before_and_after_maps_keep_unchanged_actors_in_place(graphs):
    before, after = graphs
    positions = shared_positions(before, after)
    pages = [render_network_html(map_nodes(g), positions=positions) for g in (before, after)]

    def place(page: str, uid: str) -> tuple[int, int] | None:
        found = re.search(r'"id": "' + re.escape(uid) + r'".*?"x": (-?\d+), "y": (-?\d+)', page)
        return (int(found.group(1)), int(found.group(2))) if found else None

    both = set(map_nodes(before)) & set(map_nodes(after))
    assert len(both) == 51  # 53 nodes a year less the municipality, less the one each year lacks
    for uid in both:
        assert place(pages[0], uid) == place(pages[1], uid) is not None, uid
    assert place(pages[0], "99901:r_kodomo_higashi") is None and place(pages[1], "99901:r_kodomo_higashi")
    assert place(pages[1], "99901:p_idou_hanbai") is None and place(pages[0], "99901:p_idou_hanbai")


def test_the_load_history_names_the_year_of_each_write(years_store):
    from tsunagari.dashboards.views.data import history_frame

    with open_store(Settings.from_env(), read_only=True) as store:
        entries = store.load_log("99901")
    frame = history_frame(entries, "ja")
    assert frame["年度"].tolist() == ["2024年度（令和6年度）", "2023年度（令和5年度）"]  # newest first
    from tsunagari.graph.store import LoadLogEntry

    deleted = LoadLogEntry("99901", "delete", "2026-01-02T03:04:05.000001+00:00", "cli", None, "緑町")
    assert history_frame([deleted], "en")["Fiscal year"].tolist() == ["—"]  # every year deleted


def test_an_upload_of_another_year_shows_that_year(tmp_path, monkeypatch):
    import io
    import zipfile

    from tsunagari.dashboards.access import EDITOR_KEY, hash_password

    url = f"embedded://{tmp_path / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        store.load_packages([tg.read_package(TOWN_FY2024)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(TOWN_FY2023.glob("*.csv")):
            archive.write(path, path.name)
    monkeypatch.setenv("TSUNAGARI_STORE", url)
    clear_dashboard_caches()
    try:
        at = AppTest.from_file(str(APP), default_timeout=180)
        at.secrets = {"tsunagari": {"editor_password_hash": hash_password("pw", n=2**12)}}
        at.session_state["lang"] = "ja"
        at.session_state[EDITOR_KEY] = "editor"
        at.run()
        assert [s.key for s in at.sidebar.selectbox] == ["municipality"]  # one year so far
        at.switch_page("views/data.py").run()
        at.file_uploader(key="upload-file").set_value(("fy2023.zip", buffer.getvalue(), "application/zip"))
        at.button[next(i for i, b in enumerate(at.button) if b.label == t("data.upload_button", "ja"))].click()
        at.run()
        assert not at.exception, at.exception
        assert at.sidebar.selectbox(key="fiscal-year").value == 2023  # the year just loaded is shown
        assert at.sidebar.selectbox(key="fiscal-year").options == ["2024年度（令和6年度）", "2023年度（令和5年度）"]
    finally:
        clear_dashboard_caches()


def test_a_shared_url_names_the_year_and_follows_the_sidebar(years_store):
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.query_params.update({"city": "99901", "page": "change", "year": "2023"})
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="fiscal-year").value == 2023 and at.query_params["year"] == "2023"
    at.sidebar.selectbox(key="fiscal-year").set_value(2024).run()
    assert at.query_params["year"] == "2024"
    at.sidebar.selectbox(key="municipality").set_value("99999").run()  # one year only: no year in the URL
    assert "year" not in at.query_params
    missing = AppTest.from_file(str(APP), default_timeout=180)
    missing.query_params.update({"city": "99901", "year": "2019"})
    missing.run()
    assert not missing.exception and missing.sidebar.selectbox(key="fiscal-year").value == 2024  # not held: latest
    assert missing.query_params["year"] == "2024"
