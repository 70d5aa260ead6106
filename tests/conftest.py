"""Shared fixtures: the tiny hand-made package and a fresh embedded store per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def mini_path() -> Path:
    """The hand-made 7-table package テスト市 (99999)."""
    return MINI


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
