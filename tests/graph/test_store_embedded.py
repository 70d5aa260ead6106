"""Embedded store only: the bulk ``COPY`` path writes the same graph as the shared Cypher.

Everything both stores promise is in ``test_store.py`` (parametrised over embedded and Neo4j).
"""

from __future__ import annotations

import networkx as nx

from tests.graph.test_store import expected_graph  # noqa: F401 (tests/loaders/test_properties.py imports it here)
from tsunagari.loaders.validate import read_package


def test_bulk_copy_path_writes_the_same_graph(store_url, tmp_path, mini_path, monkeypatch):
    """Above BULK_THRESHOLD the embedded store writes with COPY; the graph read back is identical."""
    from tsunagari.graph import store_embedded
    from tsunagari.graph.open import open_store
    from tsunagari.settings import Settings

    package = read_package(mini_path)
    with open_store(Settings(store_url=store_url)) as store:
        store.load_package(package)
        by_cypher = store.read_graph("99999")
    monkeypatch.setattr(store_embedded, "BULK_THRESHOLD", 0)
    with open_store(Settings(store_url=f"embedded://{tmp_path / 'bulk'}", bulk_threshold=0)) as store:
        store.load_package(package)
        by_copy = store.read_graph("99999")
        assert nx.utils.graphs_equal(by_cypher, by_copy)
        assert dict(by_copy.nodes(data=True)) == dict(by_cypher.nodes(data=True))
        assert sorted(by_copy.edges(keys=True, data=True)) == sorted(by_cypher.edges(keys=True, data=True))
        assert [e.action for e in store.load_log("99999")] == ["load"]
