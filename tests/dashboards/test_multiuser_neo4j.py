"""Many dashboard sessions at once against Neo4j, while another municipality is being loaded.

The dashboard shares one pooled Neo4j store per server (``session._shared_store``). Several
``AppTest`` sessions run in threads, each going through the pages of its own municipality, while a
writer reloads another one (alternating two versions) and one more session watches that one. No
session may raise, each page must name its session's municipality and show its figures, and the
session watching the reloaded municipality must see one version or the other, never a mix.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.concurrent_apptest import concurrent_sessions
from tests.neo4j_support import neo4j_marks, neo4j_settings, wipe_neo4j
from tsunagari.analysis.summary import summarize
from tsunagari.dashboards.i18n import format_number, t
from tsunagari.graph.conversion import package_graph
from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.samples import sample_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "graph"))
from bulk_package import bulk_package  # noqa: E402

pytestmark = [*neo4j_marks]

APP = Path(__file__).resolve().parents[2] / "tsunagari" / "dashboards" / "app.py"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
PAGES = ("overview", "network", "coverage", "bridging", "inequality", "data", "overview")
RELOADED = "99990"
SIZES = {"a": 300, "b": 700}


@pytest.fixture
def neo4j_dashboard(monkeypatch):
    """The Neo4j test server holding テスト市, 芦屋市, 阪南市 and the municipality that gets reloaded."""
    wipe_neo4j()
    packages = [read_package(MINI), read_package(sample_path("ashiya")), read_package(sample_path("hannan"))]
    with open_store(neo4j_settings()) as store:
        store.load_packages([*packages, bulk_package(RELOADED, SIZES["a"], version="a")])
    monkeypatch.setenv("TSUNAGARI_STORE", neo4j_settings().store_url)
    monkeypatch.delenv("TSUNAGARI_LANG", raising=False)
    yield {p.code: p for p in packages}
    wipe_neo4j()


def _session(code: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.session_state["lang"] = "ja"
    at.session_state["municipality"] = code
    return at


def _shown(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_concurrent_sessions_while_a_load_runs(neo4j_dashboard):
    packages = neo4j_dashboard
    expected = {code: summarize(package_graph(p)) for code, p in packages.items()}
    failures: list[str] = []
    seen_reloaded: list[str] = []
    loading = threading.Event()
    done = threading.Event()
    loads: list[str] = []
    running = {"now": 0, "most": 0}
    count = threading.Lock()

    def run(at: AppTest, page: str | None = None) -> AppTest:
        with count:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        try:
            return (at.switch_page(f"views/{page}.py") if page else at).run()
        finally:
            with count:
                running["now"] -= 1

    def writer():
        version = "a"
        with open_store(neo4j_settings()) as store:
            loading.set()
            while not done.is_set():
                version = "b" if version == "a" else "a"
                store.load_package(bulk_package(RELOADED, SIZES[version], version=version), batch_size=100)
                loads.append(version)

    def reader(code: str, rounds: int):
        try:
            loading.wait(60)
            at = run(_session(code))
            name = packages[code].municipality["name"]
            counts = dict(zip(expected[code].kinds["kind"], expected[code].kinds["count"]))
            for _ in range(rounds):
                for page in PAGES:
                    run(at, page)
                    if at.exception:
                        failures.append(f"{code} {page}: {at.exception}")
                        return
                    title = at.title[0].value
                    if page != "data" and not title.endswith(f" — {name}"):
                        failures.append(f"{code} {page}: title {title!r}")
                    if page == "overview" and _shown(at)[t("overview.actors", "ja")] != format_number(
                            counts.get("Agency", 0)):
                        failures.append(f"{code}: actors {_shown(at)}")
                if at.session_state["municipality"] != code:
                    failures.append(f"{code}: switched to {at.session_state['municipality']}")
        except BaseException as err:  # noqa: BLE001 (reported below)
            failures.append(f"{code}: {type(err).__name__}: {err}")

    def watcher(rounds: int):
        try:
            loading.wait(60)
            at = run(_session(RELOADED))
            for _ in range(rounds):
                run(at, "overview")
                if at.exception:
                    failures.append(f"{RELOADED}: {at.exception}")
                    return
                actors = _shown(at)[t("overview.actors", "ja")]
                version = next((v for v, n in SIZES.items() if format_number(n) == actors), None)
                if version is None:
                    failures.append(f"{RELOADED}: {actors} agencies is neither version")
                seen_reloaded.append(version or "?")
        except BaseException as err:  # noqa: BLE001
            failures.append(f"{RELOADED}: {type(err).__name__}: {err}")

    load = threading.Thread(target=writer)
    readers = [threading.Thread(target=reader, args=(code, 2)) for code in packages]
    readers.append(threading.Thread(target=reader, args=("99999", 2)))  # two sessions on the same municipality
    readers.append(threading.Thread(target=watcher, args=(8,)))
    with concurrent_sessions():
        load.start()
        for thread in readers:
            thread.start()
        for thread in readers:
            thread.join(900)
        done.set()
        load.join(300)
    assert not any(thread.is_alive() for thread in readers), "a session hung"
    assert not failures, failures
    assert len(seen_reloaded) == 8
    assert running["most"] >= 3, running  # the sessions did run at the same time
    assert len(loads) >= 2, loads  # and the municipality was replaced while they ran
    from tsunagari.dashboards import session

    with session.session_store() as first, session.session_store() as second:
        assert first is second  # one pooled store for every session (a cache_resource per settings)
    print(f"{running['most']} sessions at once, {len(loads)} loads, the watcher saw {seen_reloaded}")

