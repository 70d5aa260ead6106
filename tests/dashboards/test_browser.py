"""End to end: the real app on localhost driven by headless Chromium (Debian ``chromium``).

Opens every page, checks that real content renders (the pyvis map's canvas included) and saves
screenshots to ``test-artifacts/screenshots/``. Installs nothing: ``.ci/run`` installs
``chromium`` (and ``fonts-ipaexfont`` so Japanese renders) with apt.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.dashboards.conftest import build_store
from tsunagari.dashboards.cli.dashboard import streamlit_command

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = {"overview": "概要", "network": "ネットワーク", "coverage": "カバー状況", "bridging": "橋渡し",
         "inequality": "地域格差", "data": "データ"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium "
                                                     "(apt-get install -y chromium chromium-driver)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package (pip install -e '.[test]')")
    url, _ = build_store(tmp_path_factory.mktemp("browser") / "store")
    port = _free_port()
    env = dict(os.environ, TSUNAGARI_STORE=url, TSUNAGARI_LANG="ja", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    log = tmp_path_factory.mktemp("browser-log") / "streamlit.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(streamlit_command(port=port, address="127.0.0.1", headless=True), env=env,
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# An element each page shows last, once its script has finished.
LAST = {"overview": "[data-testid='stDataFrame']", "network": "iframe", "coverage": "[data-testid='stDataFrame']",
        "bridging": "iframe", "inequality": "[data-testid='stImage']", "data": "[data-testid='stDownloadButton']"}


def _wait_idle(page, last: str | None = None) -> None:
    """Wait until the script run is over: content present and no "running" indicator for 1.5 s."""
    page.wait_for_selector("h1", timeout=60_000)
    if last:
        page.wait_for_selector(last, timeout=90_000)
    quiet = 0
    deadline = time.monotonic() + 90
    while quiet < 3 and time.monotonic() < deadline:
        running = page.locator("[data-testid='stStatusWidget'], [data-testid='stSkeleton']").count()
        quiet = quiet + 1 if running == 0 else 0
        page.wait_for_timeout(500)


def test_every_page_renders_in_chromium(app_url):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="ja-JP")
            page.on("pageerror", lambda error: errors.append(str(error)))
            outside: list[str] = []  # every request the pages make that is not to the app itself (offline use)
            page.on("request", lambda request: outside.append(request.url)
                    if not request.url.startswith((app_url, "data:", "blob:", "about:")) else None)
            for path, title in PAGES.items():
                # the first (default) page lives at the root URL: "/overview" would be "Page not found"
                page.goto(f"{app_url}/{'' if path == 'overview' else path}", wait_until="domcontentloaded")
                _wait_idle(page, LAST[path])
                heading = page.locator("h1").first.inner_text()
                assert heading.startswith(title), (path, heading)
                assert page.locator("[data-testid='stException']").count() == 0, (path, page.content()[:2000])
                assert page.get_by_text("Page not found").count() == 0, path
                if path == "network":
                    frame = page.frame_locator("iframe").first
                    frame.locator("canvas").first.wait_for(timeout=30_000)
                    box = frame.locator("canvas").first.bounding_box()
                    assert box and box["width"] > 400 and box["height"] > 400
                    frame.locator("#tsunagari-legend").wait_for()
                    nodes = frame.locator("body").get_attribute("data-tsunagari-nodes")
                    assert nodes and int(nodes) > 0
                    page.wait_for_timeout(800)
                    # Names at first sight: the most central actors labelled at the initial zoom, none overlapping.
                    labels = frame.locator("body").get_attribute("data-tsunagari-labels")
                    assert labels and int(labels) >= 10, labels
                    legend = frame.locator("#tsunagari-legend").bounding_box()
                    assert legend and box and legend["x"] >= box["x"] + box["width"] - 1  # beside the map, not over it
                if path in ("overview", "inequality", "coverage"):
                    assert page.locator("[data-testid='stImage'] img, [data-testid='stMetric']").count() > 0
                    # Charts at their own size (their 10 pt text is 10 pt on screen), never shrunk to a column.
                    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')]"
                                           ".every(i => i.complete && i.naturalWidth > 0)", timeout=30_000)
                    sizes = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')]"
                                          ".map(i => [i.naturalWidth, i.clientWidth])")
                    assert sizes and all(shown >= natural - 1 for natural, shown in sizes), (path, sizes)
                # Download buttons show their whole label (not "P." in a narrow column).
                cut = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stDownloadButton\"] button')]"
                                    ".filter(b => b.scrollWidth > b.clientWidth + 1).map(b => b.innerText)")
                assert not cut, (path, cut)
                page.screenshot(path=str(SHOTS / f"{path}-ja.png"), full_page=path != "network")
            # A shared URL opens its city and page, and the URL follows what is shown.
            page.goto(f"{app_url}/?city=amagasaki&page=bridging", wait_until="domcontentloaded")
            _wait_idle(page, LAST["bridging"])
            assert page.locator("h1").first.inner_text().startswith("橋渡し — 尼崎市")
            assert "city=28202" in page.url and "page=bridging" in page.url, page.url
            # English switch from the sidebar
            page.goto(f"{app_url}/network", wait_until="domcontentloaded")
            _wait_idle(page)
            page.get_by_text("English", exact=True).click()
            page.wait_for_function("() => document.querySelector('h1') && "
                                   "document.querySelector('h1').innerText.startsWith('Network map')", timeout=60_000)
            _wait_idle(page)
            page.frame_locator("iframe").first.locator("canvas").first.wait_for(timeout=30_000)
            page.wait_for_timeout(2000)
            page.screenshot(path=str(SHOTS / "network-en.png"))
            assert not outside, outside  # e.g. the favicon from fonts.gstatic.com
        finally:
            browser.close()
    assert not errors, errors
