"""Embedded store: load → read back equals the input; loads are idempotent and all-or-nothing."""

from __future__ import annotations

import networkx as nx
import pytest

from tsunagari.graph.errors import MunicipalityNotFoundError
from tsunagari.graph.records import DataPackage
from tsunagari.loaders.validate import read_package


def expected_graph(package: DataPackage) -> nx.MultiDiGraph:
    """The graph a package should read back as (None values dropped)."""
    graph = nx.MultiDiGraph()
    for node in package.nodes:
        attributes = {k: v for k, v in node.properties.items() if v is not None}
        if node.label == "Municipality":
            attributes["content_hash"] = package.content_hash
        graph.add_node(node.uid, kind=node.label, **attributes)
    for tie in package.ties:
        attributes = {k: v for k, v in tie.properties.items() if v is not None}
        graph.add_edge(tie.from_uid, tie.to_uid, key=tie.tid, kind=tie.kind, **attributes)
    return graph


def test_read_back_equals_input(store, mini_path):
    package = read_package(mini_path)
    store.load_package(package)
    graph = store.read_graph("テスト市")
    expected = expected_graph(package)
    assert dict(graph.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(graph.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
    assert graph.graph["name"] == "テスト市" and graph.graph["population"] == 3000


def test_loading_twice_changes_nothing(store, mini_path):
    package = read_package(mini_path)
    first = store.load_package(package)
    before = store.read_graph("99999")
    second = store.load_package(package)
    assert not first.unchanged and second.unchanged
    assert nx.utils.graphs_equal(before, store.read_graph("99999"))


def test_municipality_resolved_by_code_slug_and_name(store, mini_path):
    store.load_package(read_package(mini_path))
    assert {store.resolve(n) for n in ("99999", "testshi", "テスト市", "Testshi")} == {"99999"}
    with pytest.raises(MunicipalityNotFoundError, match="tsunagari load"):
        store.resolve("尼崎市")


def test_failed_load_leaves_store_unchanged(store, mini_path, mini_copy, monkeypatch):
    store.load_package(read_package(mini_path))
    before = store.read_graph("99999")
    text = (mini_copy / "agencies.csv").read_text("utf-8").replace("重層的支援推進担当課", "新しい名前")
    (mini_copy / "agencies.csv").write_text(text, "utf-8")
    changed = read_package(mini_copy)

    from tsunagari.graph import cypher

    real = cypher.upsert_ties
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # fail midway, after nodes and some ties were written
            raise RuntimeError("simulated crash during load")
        return real(*args, **kwargs)

    monkeypatch.setattr(cypher, "upsert_ties", failing)
    with pytest.raises(RuntimeError, match="simulated crash"):
        store.load_package(changed)
    assert nx.utils.graphs_equal(before, store.read_graph("99999"))


def test_two_municipalities_side_by_side(store, mini_path, mini_copy):
    text = (mini_copy / "manifest.csv").read_text("utf-8")
    text = text.replace("99999", "99998").replace("testshi", "testshi2").replace("テスト市", "第二テスト市")
    (mini_copy / "manifest.csv").write_text(text.replace("Testshi", "Testshi Two"), "utf-8")
    store.load_package(read_package(mini_path))
    store.load_package(read_package(mini_copy))
    assert [m.code for m in store.list_municipalities()] == ["99998", "99999"]
    assert store.read_graph("99998").number_of_nodes() == store.read_graph("99999").number_of_nodes() == 12
    store.delete_municipality("99998")
    assert [m.code for m in store.list_municipalities()] == ["99999"]


def test_store_persists_across_reopen(store_url, mini_path):
    from tsunagari.graph.open import open_store
    from tsunagari.settings import Settings

    with open_store(Settings(store_url=store_url)) as store:
        store.load_package(read_package(mini_path))
        before = store.read_graph("99999")
    with open_store(Settings(store_url=store_url)) as store:
        assert nx.utils.graphs_equal(before, store.read_graph("99999"))


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
    with open_store(Settings(store_url=f"embedded://{tmp_path / 'bulk'}")) as store:
        store.load_package(package)
        by_copy = store.read_graph("99999")
        assert nx.utils.graphs_equal(by_cypher, by_copy)
        assert dict(by_copy.nodes(data=True)) == dict(by_cypher.nodes(data=True))
        assert sorted(by_copy.edges(keys=True, data=True)) == sorted(by_cypher.edges(keys=True, data=True))


def test_load_packages_is_one_transaction_and_read_graphs_equals_read_graph(store, mini_path, mini_copy,
                                                                           monkeypatch):
    text = (mini_copy / "manifest.csv").read_text("utf-8")
    (mini_copy / "manifest.csv").write_text(
        text.replace("99999", "99998").replace("testshi", "testshi2").replace("テスト市", "第二テスト市"), "utf-8")
    first, second = read_package(mini_path), read_package(mini_copy)

    from tsunagari.graph import cypher

    real = cypher.upsert_ties
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # after both packages' nodes were written: all of it must roll back
            raise RuntimeError("simulated crash")
        return real(*args, **kwargs)

    monkeypatch.setattr(cypher, "upsert_ties", failing)
    with pytest.raises(RuntimeError):
        store.load_packages([first, second])
    assert store.list_municipalities() == []
    monkeypatch.setattr(cypher, "upsert_ties", real)
    reports = store.load_packages([first, second])
    assert [r.unchanged for r in reports] == [False, False]
    assert [r.unchanged for r in store.load_packages([first, second])] == [True, True]
    graphs = store.read_graphs()
    assert sorted(graphs) == ["99998", "99999"]
    for code, graph in graphs.items():
        single = store.read_graph(code)
        assert nx.utils.graphs_equal(graph, single) and graph.graph == single.graph
