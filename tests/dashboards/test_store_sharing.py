"""The dashboard and the CLI share an embedded store: a load runs while the dashboard is open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.store_holder import store_held_by_another_process
from tsunagari.dashboards.i18n import t
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


@pytest.fixture
def empty_store(tmp_path, monkeypatch) -> str:
    url = f"embedded://{tmp_path / 'store'}"
    open_store(Settings(store_url=url)).close()
    monkeypatch.setenv("TSUNAGARI_STORE", url)
    monkeypatch.delenv("TSUNAGARI_LANG", raising=False)
    return url


def test_cli_load_while_the_dashboard_is_open(empty_store):
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, at.exception
    assert t("app.empty_store", "ja") in [info.value for info in at.info]
    # A separate process (another planner's terminal) loads while this dashboard session lives on.
    load = subprocess.run([sys.executable, "-m", "tsunagari.cli", "--store", empty_store, "load", str(MINI)],
                          capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="municipality").value == "99999"


def test_busy_store_shows_a_message_not_a_traceback(empty_store):
    with store_held_by_another_process(empty_store[len("embedded://"):]):
        at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("app.store_busy", "ja")]
