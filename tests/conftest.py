"""Shared fixtures: the tiny hand-made package, its graph with no database, and a fresh store per test.

Analysis tests take graphs from :func:`package_graph_of` (the database-free path of the public
API); store tests take the ``store`` fixture.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

import tsunagari as tg
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

MINI = Path(__file__).parent / "fixtures" / "mini"
TOWN = Path(__file__).parent / "fixtures" / "town"
TOWN_FY2023 = Path(__file__).parent / "fixtures" / "town_fy2023"
"""緑町 as in FY2023 (令和5年度): the town with its fiscal year; tests/fixtures/town_fy2024/README.md."""
TOWN_FY2024 = Path(__file__).parent / "fixtures" / "town_fy2024"
"""緑町 in FY2024 (R6) with the four planted changes of its README."""
TOWN_C_FY2022 = Path(__file__).parent / "fixtures" / "town_c_fy2022"
"""川辺町 (99903) in FY2022 (令和4年度), the reviewer-built pair for `tsunagari diff`."""
TOWN_C_FY2023 = Path(__file__).parent / "fixtures" / "town_c_fy2023"
"""川辺町 in FY2023 (R5) with the fourteen planted changes of its README and the diff worked out by hand."""


@cache
def _graph(path: str) -> nx.MultiDiGraph:
    return tg.package_graph(tg.read_package(path))


def package_graph_of(path: str | Path) -> nx.MultiDiGraph:
    """A fresh copy of the graph of the package at ``path``, read and converted once per session."""
    return _graph(str(path)).copy()


@pytest.fixture
def mini_path() -> Path:
    """The hand-made 7-table package テスト市 (99999)."""
    return MINI


@pytest.fixture
def mini_graph() -> nx.MultiDiGraph:
    """The mini package as a graph, with no store."""
    return package_graph_of(MINI)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini package, for tests that corrupt it."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """URL of an empty embedded store in the test's temporary folder."""
    return f"embedded://{tmp_path / 'store'}"


@pytest.fixture
def store(store_url: str):
    """An open, empty embedded store."""
    with open_store(Settings(store_url=store_url)) as opened:
        yield opened
