"""The in-map search box, driven in headless Chromium: any part of a name, or of its reading (よみ).

A planner types what they remember — 社会福祉協議会 for 阪南市社会福祉協議会, しゃかいふくし or
シャカイフクシ or half-width ｼｬｶｲﾌｸｼ — and the map selects the organisation; a name that is not there
marks the box instead of failing silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import tsunagari as tg
from tsunagari.dashboards.name_reading import name_reading
from tsunagari.dashboards.network_map import render_network_html

CHROMIUM = Path("/usr/bin/chromium")
HANNAN = Path(__file__).resolve().parents[2] / "data_samples" / "hannan"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium "
                                                     "(apt-get install -y chromium chromium-driver)"),
]


@pytest.fixture(scope="module")
def map_page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install -e '.[test]')")
    graph = tg.package_graph(tg.read_package(HANNAN))
    ids = {data["name"]: node for node, data in graph.nodes(data=True)}
    path = tmp_path_factory.mktemp("map-search") / "map.html"
    path.write_text(render_network_html(graph, lang="ja"), encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-tsunagari-nodes]")
        yield page, ids
        browser.close()


def _search(page, query: str) -> tuple[list[str], bool]:
    """Type ``query`` and press Enter: the selected nodes, and whether the box is marked "not found"."""
    box = page.locator("#tsunagari-search")
    box.fill(query)
    box.press("Enter")
    selected = page.evaluate("network.getSelectedNodes()")
    missing = page.evaluate("document.getElementById('tsunagari-search').classList.contains('missing')")
    page.evaluate("network.unselectAll()")
    return selected, missing


def test_the_sample_name_has_its_reading():
    assert name_reading("阪南市社会福祉協議会") == "はんなんししゃかいふくしきょうぎかい"


@pytest.mark.parametrize("query", ["阪南市社会福祉協議会", "社会福祉協議会", "はんなんししゃかい", "しゃかいふくしきょう",
                                   "シャカイフクシキョウ", "ｼｬｶｲﾌｸｼｷｮｳ", "ﾊﾝﾅﾝｼｼｬｶｲ"])
def test_a_part_of_the_name_or_of_its_reading_finds_the_council(map_page, query):
    page, ids = map_page
    assert _search(page, query) == ([ids["阪南市社会福祉協議会"]], False), query


def test_a_whole_name_wins_over_a_start_and_a_start_over_a_part(map_page):
    page, ids = map_page
    # 支援会議 is a name and a part of 個別支援会議 and 重層的支援会議: typed in full, it is itself.
    assert _search(page, "支援会議") == ([ids["支援会議"]], False)
    # しゃかいふくし starts the reading of 社会福祉法人（市内） and is inside 阪南市社会福祉協議会's.
    assert _search(page, "しゃかいふくし") == ([ids["社会福祉法人（市内）"]], False)


def test_a_name_that_is_not_there_marks_the_box(map_page):
    page, _ = map_page
    assert _search(page, "存在しない機関") == ([], True)
