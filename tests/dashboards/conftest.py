"""Stores with the mini package and every committed sample, shared by the dashboard tests.

``dashboard_store`` is one embedded store for the whole session. ``app_store`` is the same
content on each store kind, embedded and the Neo4j test server (the ``neo4j`` parameter carries
the ``neo4j`` marker and is skipped without ``TSUNAGARI_NEO4J_URI``, see ``tests/neo4j_support.py``);
it is module-scoped, so a module's tests share one loaded store per kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.neo4j_support import neo4j_param, neo4j_settings, wipe_neo4j
from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.samples import SAMPLES, sample_path
from tsunagari.settings import Settings

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"
APP_STORE_KINDS = ["embedded", neo4j_param()]


def available_packages() -> list[Path]:
    """The mini fixture and the samples present in this checkout."""
    paths = [MINI]
    for slug in SAMPLES:
        try:
            paths.append(sample_path(slug))
        except FileNotFoundError:
            continue
    return paths


def load_available(settings: Settings) -> list[str]:
    """Load every available package into the store of ``settings``; returns their codes in order."""
    with open_store(settings) as store:
        return [store.load_package(read_package(path)).code for path in available_packages()]


def build_store(folder: Path) -> tuple[str, list[str]]:
    """Load every available package into a new embedded store at ``folder``; returns (url, codes)."""
    url = f"embedded://{folder}"
    return url, load_available(Settings(store_url=url))


def clear_dashboard_caches() -> None:
    """Forget the dashboard's cached graphs and results (keyed on code and content hash, not on the store).

    The same package has the same content hash in every store, so a test that moves the dashboard
    to another store must clear them, or the pages would show what the previous store gave.
    """
    import streamlit as st

    from tsunagari.dashboards.map_view import clear_map_views

    st.cache_data.clear()
    clear_map_views()


@pytest.fixture(scope="session")
def dashboard_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    """(URL, municipality codes) of the session's dashboard store, exported as ``TSUNAGARI_STORE``."""
    url, codes = build_store(tmp_path_factory.mktemp("dashboard") / "store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TSUNAGARI_STORE", url)
        patch.delenv("TSUNAGARI_LANG", raising=False)
        yield url, codes


@dataclass(frozen=True)
class AppStore:
    """The store the dashboard shows in a test: its kind, URL and the municipalities loaded."""

    kind: str
    url: str
    codes: list[str]


@pytest.fixture(scope="module", params=APP_STORE_KINDS)
def app_store(request) -> AppStore:
    """The mini package and the samples, on the embedded store and on the Neo4j test server.

    Exported as ``TSUNAGARI_STORE`` for the module's tests (the dashboard reads it at session start);
    the dashboard's caches are cleared on the way in and out.
    """
    if request.param == "embedded":
        url, codes = request.getfixturevalue("dashboard_store")
        clear_dashboard_caches()
        yield AppStore("embedded", url, codes)
        clear_dashboard_caches()
        return
    wipe_neo4j()
    settings = neo4j_settings()
    codes = load_available(settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TSUNAGARI_STORE", settings.store_url)
        patch.delenv("TSUNAGARI_LANG", raising=False)
        clear_dashboard_caches()
        try:
            yield AppStore("neo4j", settings.store_url, codes)
        finally:
            clear_dashboard_caches()
    wipe_neo4j()
