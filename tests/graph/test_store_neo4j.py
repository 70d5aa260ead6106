"""Neo4j store: the same round trip as the embedded store, against a real server.

Runs when ``TSUNAGARI_NEO4J_URI`` is set (and ``TSUNAGARI_NEO4J_USER`` / ``TSUNAGARI_NEO4J_PASSWORD``),
e.g. against ``docker run -p 7687:7687 -e NEO4J_AUTH=neo4j/secretpass neo4j:5``.
"""

from __future__ import annotations

import os

import networkx as nx
import pytest

from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.settings import Settings

from .test_store_embedded import expected_graph

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not os.environ.get("TSUNAGARI_NEO4J_URI"), reason="TSUNAGARI_NEO4J_URI not set"),
]


@pytest.fixture
def neo4j_store():
    settings = Settings.from_env(store_url=os.environ["TSUNAGARI_NEO4J_URI"])
    with open_store(settings) as store:
        yield store
        for info in store.list_municipalities():
            if info.code == "99999":
                store.delete_municipality("99999")


def test_neo4j_round_trip_idempotent_and_atomic(neo4j_store, mini_path, monkeypatch):
    package = read_package(mini_path)
    assert not neo4j_store.load_package(package).unchanged
    graph = neo4j_store.read_graph("99999")
    expected = expected_graph(package)
    assert dict(graph.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(graph.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
    assert neo4j_store.load_package(package).unchanged

    from tsunagari.graph import cypher

    monkeypatch.setattr(cypher, "upsert_ties", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    changed = type(package)(package.code, {**package.municipality, "note": "changed"}, package.nodes,
                            package.ties, package.path)
    with pytest.raises(RuntimeError, match="boom"):
        neo4j_store.load_package(changed)
    assert nx.utils.graphs_equal(graph, neo4j_store.read_graph("99999"))
