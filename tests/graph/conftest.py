"""``any_store``: every store test runs on the embedded store and on a real Neo4j server.

The ``neo4j`` parameter carries the ``neo4j`` marker and is skipped when ``TSUNAGARI_NEO4J_URI``
is not set (``tests/neo4j_support.py``). Each Neo4j test starts from an empty database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.neo4j_support import neo4j_param, neo4j_settings, wipe_neo4j
from tsunagari.graph.open import open_store
from tsunagari.graph.store import GraphStore
from tsunagari.settings import Settings

STORE_KINDS = ["embedded", neo4j_param()]


@dataclass(frozen=True)
class StoreUnderTest:
    """Which store a parametrised test runs on, and how to open (another handle on) it."""

    kind: str
    settings: Settings

    def open(self, **kwargs) -> GraphStore:
        """A new handle on the same store (for the embedded store, only after the first is closed)."""
        return open_store(self.settings, **kwargs)


@pytest.fixture(params=STORE_KINDS)
def store_under_test(request, tmp_path) -> StoreUnderTest:
    """The kind and settings of an empty store: embedded in ``tmp_path``, or the emptied Neo4j server."""
    if request.param == "neo4j":
        wipe_neo4j()
        return StoreUnderTest("neo4j", neo4j_settings())
    return StoreUnderTest("embedded", Settings(store_url=f"embedded://{tmp_path / 'store'}"))


@pytest.fixture
def any_store(store_under_test: StoreUnderTest):
    """An open, empty store of each kind (``embedded``, ``neo4j``)."""
    with store_under_test.open() as opened:
        yield opened
