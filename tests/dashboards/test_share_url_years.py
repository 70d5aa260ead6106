"""A shareable URL names the fiscal year too (?year=2023) when the municipality holds several years."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import tsunagari as tg
from tests.conftest import MINI, TOWN_FY2023, TOWN_FY2024
from tests.dashboards.conftest import clear_dashboard_caches
from tsunagari.dashboards.i18n import t
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"


@pytest.fixture(scope="module")
def years_store(tmp_path_factory):
    url = f"embedded://{tmp_path_factory.mktemp('url-years') / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        store.load_packages([tg.read_package(p) for p in (TOWN_FY2023, TOWN_FY2024, MINI)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TSUNAGARI_STORE", url)
        patch.delenv("TSUNAGARI_LANG", raising=False)
        clear_dashboard_caches()
        yield url
        clear_dashboard_caches()


def _open(params):
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def test_url_opens_the_fiscal_year_it_names_and_follows_the_selector(years_store):
    at = _open({"city": "midori", "page": "overview"})
    assert at.session_state["fiscal-year"] == 2024 and at.query_params["year"] == "2024"  # latest by default
    at = _open({"city": "midori", "page": "overview", "year": "2023"})
    assert at.session_state["fiscal-year"] == 2023 and at.query_params["year"] == "2023"
    selector = next(s for s in at.sidebar.selectbox if s.label == t("app.fiscal_year", "ja"))
    selector.set_value(2024).run()
    assert at.query_params["year"] == "2024"
    # a municipality of one year has no year in its URL
    at.sidebar.selectbox[0].set_value("99999").run()
    assert "year" not in at.query_params and at.query_params["city"] == "99999"
