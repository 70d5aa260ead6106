"""橋渡し on a municipality over the map's node cap: the map is capped with a message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.generate import generate_package
from tests.dashboards.conftest import clear_dashboard_caches
from tsunagari.analysis.metrics import compute_metrics
from tsunagari.dashboards.i18n import format_number
from tsunagari.dashboards.network_map import MAX_MAP_NODES
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"


@pytest.fixture(scope="module")
def large_store(tmp_path_factory):
    url = f"embedded://{tmp_path_factory.mktemp('large') / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        code = store.load_package(generate_package(0, actors=2100)).code
        graph = store.read_graph(code)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TSUNAGARI_STORE", url)
        patch.delenv("TSUNAGARI_LANG", raising=False)
        clear_dashboard_caches()
        yield code, graph
        clear_dashboard_caches()


def test_bridging_page_caps_the_map_of_a_large_city(large_store):
    code, graph = large_store
    result = compute_metrics(graph)
    actors = result.network.number_of_nodes()
    assert actors - 1 > MAX_MAP_NODES  # the map of the network without one actor is still over the cap
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.session_state["municipality"] = code
    at.switch_page("views/bridging.py").run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    hidden = actors - 1 - MAX_MAP_NODES
    assert any(f"{format_number(hidden)} 件を表示していません" in w for w in warnings), warnings
