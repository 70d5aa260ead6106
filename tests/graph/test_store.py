"""Every store, the same promises: round trip, replace, idempotent reload, all-or-nothing loads,
readers that see the old or the new municipality (never half), concurrent loads, and the schema.

Parametrised over the embedded store and a real Neo4j server (``any_store``, tests/graph/conftest.py).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import networkx as nx
import pytest

from tsunagari.graph import cypher
from tsunagari.graph.errors import MunicipalityNotFoundError
from tsunagari.graph.records import DataPackage
from tsunagari.loaders.validate import read_package

sys.path.insert(0, str(Path(__file__).parent))
from bulk_package import bulk_package  # noqa: E402


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


def assert_reads_back(store, package: DataPackage) -> None:
    graph = store.read_graph(package.code)
    expected = expected_graph(package)
    assert dict(graph.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(graph.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))


def versions(graph: nx.MultiDiGraph) -> set[str]:
    """The versions stamped in a bulk package's agency names; checks the counts of each version."""
    agencies = [d for _, d in graph.nodes(data=True) if d["kind"] == "Agency"]
    found = {d["name"].rsplit("-", 1)[1] for d in agencies}
    if len(found) == 1:
        assert graph.graph["note"] in found, "the manifest is of another version than the agencies"
        assert graph.number_of_edges() == len(agencies) - 1, "ties of another version"
    return found


def rename_municipality(folder: Path, code: str, slug: str, name: str) -> None:
    text = (folder / "manifest.csv").read_text("utf-8")
    text = text.replace("99999", code).replace("testshi", slug).replace("テスト市", name)
    (folder / "manifest.csv").write_text(text.replace("Testshi", slug.title()), "utf-8")


def fail_on_call(monkeypatch, n: int, failure) -> None:
    """Make the ``n``-th tie statement of a load fail with ``failure()`` (after nodes and some ties)."""
    real = cypher.upsert_ties
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            return failure()
        return real(*args, **kwargs)

    monkeypatch.setattr(cypher, "upsert_ties", failing)


# -- round trip, replace, reload --------------------------------------------------------------------

def test_read_back_equals_input(any_store, mini_path):
    package = read_package(mini_path)
    any_store.load_package(package)
    assert_reads_back(any_store, package)
    graph = any_store.read_graph("テスト市")
    assert graph.graph["name"] == "テスト市" and graph.graph["population"] == 3000


def test_replace_leaves_nothing_of_the_old_version(any_store, mini_path, mini_copy):
    any_store.load_package(read_package(mini_path))
    agencies = (mini_copy / "agencies.csv").read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in agencies if not line.startswith("housing,")]
    (mini_copy / "agencies.csv").write_text("".join(kept).replace("重層的支援推進担当課", "新しい名前"), "utf-8")
    ties = (mini_copy / "ties.csv").read_text("utf-8").splitlines(keepends=True)
    (mini_copy / "ties.csv").write_text("".join(t for t in ties if "housing" not in t), "utf-8")
    changed = read_package(mini_copy)
    report = any_store.load_package(changed)
    assert not report.unchanged
    assert_reads_back(any_store, changed)
    graph = any_store.read_graph("99999")
    assert "99999:housing" not in graph and graph.nodes["99999:hub"]["name"] == "新しい名前"
    assert [m.content_hash for m in any_store.list_municipalities()] == [changed.content_hash]


def test_loading_twice_changes_nothing(any_store, mini_path):
    package = read_package(mini_path)
    first = any_store.load_package(package)
    before = any_store.read_graph("99999")
    second = any_store.load_package(package)
    assert not first.unchanged and second.unchanged
    after = any_store.read_graph("99999")
    assert nx.utils.graphs_equal(before, after) and before.graph == after.graph


def test_municipality_resolved_by_code_slug_and_name(any_store, mini_path):
    any_store.load_package(read_package(mini_path))
    assert {any_store.resolve(n) for n in ("99999", "testshi", "テスト市", "Testshi")} == {"99999"}
    with pytest.raises(MunicipalityNotFoundError, match="tsunagari load"):
        any_store.resolve("尼崎市")


def test_two_municipalities_side_by_side(any_store, mini_path, mini_copy):
    rename_municipality(mini_copy, "99998", "testshi2", "第二テスト市")
    any_store.load_package(read_package(mini_path))
    any_store.load_package(read_package(mini_copy))
    assert [m.code for m in any_store.list_municipalities()] == ["99998", "99999"]
    assert any_store.read_graph("99998").number_of_nodes() == any_store.read_graph("99999").number_of_nodes() == 12
    any_store.delete_municipality("99998")
    assert [m.code for m in any_store.list_municipalities()] == ["99999"]
    assert_reads_back(any_store, read_package(mini_path))


def test_store_persists_across_reopen(store_under_test, mini_path):
    with store_under_test.open() as store:
        store.load_package(read_package(mini_path))
        before = store.read_graph("99999")
    with store_under_test.open(read_only=True) as store:
        assert nx.utils.graphs_equal(before, store.read_graph("99999"))


def test_read_graphs_equals_read_graph(any_store, mini_path, mini_copy):
    rename_municipality(mini_copy, "99998", "testshi2", "第二テスト市")
    reports = any_store.load_packages([read_package(mini_path), read_package(mini_copy)])
    assert [r.unchanged for r in reports] == [False, False]
    graphs = any_store.read_graphs()
    assert sorted(graphs) == ["99998", "99999"]
    for code, graph in graphs.items():
        single = any_store.read_graph(code)
        assert nx.utils.graphs_equal(graph, single) and graph.graph == single.graph


def test_every_write_is_logged_with_who_and_when(any_store, mini_path):
    package = read_package(mini_path)
    any_store.load_package(package, by="佐藤（福祉政策課）")
    any_store.load_package(package, by="someone else")  # unchanged: nothing written, nothing logged
    any_store.delete_municipality("99999")
    any_store.load_package(package)
    log = any_store.load_log("99999")
    assert [(e.action, e.by, e.content_hash) for e in log] == [
        ("load", "佐藤（福祉政策課）", package.content_hash), ("delete", "cli", None), ("load", "cli", package.content_hash)]
    assert all(e.name == "テスト市" and e.code == "99999" for e in log)
    times = [e.loaded_at for e in log]
    assert times == sorted(times) and all(t.endswith("+00:00") for t in times)
    assert any_store.load_log() == log and any_store.load_log("99998") == []
    # the log is no part of the municipality's graph
    assert all(d["kind"] != "LoadLog" for _, d in any_store.read_graph("99999").nodes(data=True))


def test_a_failed_load_logs_nothing(any_store, mini_path, monkeypatch):
    def crash():
        raise RuntimeError("simulated crash")

    fail_on_call(monkeypatch, 1, crash)
    with pytest.raises(RuntimeError):
        any_store.load_package(read_package(mini_path), by="editor")
    assert any_store.load_log() == [] and any_store.list_municipalities() == []


# -- all or nothing ---------------------------------------------------------------------------------

def test_failed_load_leaves_store_unchanged(any_store, mini_path, mini_copy, monkeypatch):
    any_store.load_package(read_package(mini_path))
    before = any_store.read_graph("99999")
    text = (mini_copy / "agencies.csv").read_text("utf-8").replace("重層的支援推進担当課", "新しい名前")
    (mini_copy / "agencies.csv").write_text(text, "utf-8")

    def crash():
        raise RuntimeError("simulated crash during load")

    fail_on_call(monkeypatch, 3, crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        any_store.load_package(read_package(mini_copy))
    after = any_store.read_graph("99999")
    assert nx.utils.graphs_equal(before, after) and before.graph == after.graph


def test_statement_rejected_by_the_database_mid_load_rolls_back(any_store, mini_path, mini_copy, monkeypatch):
    """The failure comes from the database itself (a statement it cannot run), not from Python."""
    any_store.load_package(read_package(mini_path))
    before = any_store.read_graph("99999")
    (mini_copy / "manifest.csv").write_text(
        (mini_copy / "manifest.csv").read_text("utf-8").replace("3000", "3001"), "utf-8")
    fail_on_call(monkeypatch, 2, lambda: "UNWIND $rows AS row RETURN tsunagari_no_such_function(row.tid)")
    with pytest.raises(Exception) as caught:
        any_store.load_package(read_package(mini_copy))
    assert "tsunagari_no_such_function" in str(caught.value).lower() or type(caught.value).__name__ != "Exception"
    after = any_store.read_graph("99999")
    assert nx.utils.graphs_equal(before, after) and after.graph["population"] == 3000
    # and the store still takes the load once the fault is gone
    monkeypatch.undo()
    any_store.load_package(read_package(mini_copy))
    assert any_store.read_graph("99999").graph["population"] == 3001


def test_load_packages_is_one_transaction(any_store, mini_path, mini_copy, monkeypatch):
    rename_municipality(mini_copy, "99998", "testshi2", "第二テスト市")
    first, second = read_package(mini_path), read_package(mini_copy)

    def crash():
        raise RuntimeError("simulated crash")

    fail_on_call(monkeypatch, 3, crash)  # after both packages' nodes were written: all of it must roll back
    with pytest.raises(RuntimeError):
        any_store.load_packages([first, second])
    assert any_store.list_municipalities() == []
    monkeypatch.undo()
    assert [r.unchanged for r in any_store.load_packages([first, second])] == [False, False]
    assert [r.unchanged for r in any_store.load_packages([first, second])] == [True, True]


# -- concurrency ------------------------------------------------------------------------------------

def test_reader_during_load_sees_old_or_new(any_store):
    any_store.load_package(bulk_package("99990", 200, version="old"))
    seen: list[set[str]] = []
    failures: list[BaseException] = []

    def load():
        try:
            any_store.load_package(bulk_package("99990", 5000, version="new"), batch_size=500)
        except BaseException as err:  # noqa: BLE001 (reported below)
            failures.append(err)

    loader = threading.Thread(target=load)
    loader.start()
    while loader.is_alive() or not seen:
        seen.append(versions(any_store.read_graph("99990")))
    loader.join()
    assert not failures, failures
    seen.append(versions(any_store.read_graph("99990")))
    assert all(v in ({"old"}, {"new"}) for v in seen), [v for v in seen if len(v) != 1][:3]
    assert seen[-1] == {"new"}
    print(f"{len(seen)} reads, {getattr(any_store, 'reads_repeated', 0)} repeated")


def test_read_graphs_during_load_sees_old_or_new(any_store):
    any_store.load_packages([bulk_package("99990", 200, version="old"), bulk_package("99991", 200, version="old")])
    seen: list[tuple[set[str], set[str]]] = []
    loader = threading.Thread(target=any_store.load_packages, args=(
        [bulk_package("99990", 3000, version="new"), bulk_package("99991", 3000, version="new")],),
        kwargs={"batch_size": 500})
    loader.start()
    while loader.is_alive() or not seen:
        graphs = any_store.read_graphs(["99990", "99991"])
        seen.append((versions(graphs["99990"]), versions(graphs["99991"])))
    loader.join()
    # one transaction: both municipalities change together
    assert all(pair in (({"old"}, {"old"}), ({"new"}, {"new"})) for pair in seen), set(map(str, seen))


@pytest.mark.parametrize("attempt", range(2))
def test_two_concurrent_loads_both_complete_and_one_wins_entirely(store_under_test, attempt):
    with store_under_test.open() as store:
        store.load_package(bulk_package("99990", 100, version="old"))
    sizes = {"a": 1500, "b": 2500}
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def load(store, version: str):
        try:
            start.wait()
            store.load_package(bulk_package("99990", sizes[version], version=version), batch_size=250)
        except BaseException as err:  # noqa: BLE001 (reported below)
            failures.append(err)

    # On Neo4j each load has its own handle (driver), as two planners' `tsunagari load` would; the
    # embedded store's file lock admits one process, whose threads share one handle and take turns.
    if store_under_test.kind == "neo4j":
        handles = [store_under_test.open(), store_under_test.open()]
    else:
        handles = [store_under_test.open()] * 2
    try:
        threads = [threading.Thread(target=load, args=(handle, version)) for handle, version in zip(handles, sizes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
    finally:
        for handle in set(handles):
            handle.close()
    assert not failures, failures
    with store_under_test.open(read_only=True) as store:
        graph = store.read_graph("99990")
        winner = versions(graph)
        assert winner in ({"a"}, {"b"}), winner
        version, = winner
        agencies = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "Agency")
        assert agencies == sizes[version] and graph.number_of_edges() == sizes[version] - 1
        assert [m.content_hash for m in store.list_municipalities()] == [
            bulk_package("99990", sizes[version], version=version).content_hash]


SAMPLES = sorted(p for p in (Path(__file__).resolve().parents[2] / "data_samples").iterdir() if (p / "manifest.csv").exists())


def test_every_sample_reads_back_exactly_with_its_year_and_documents(any_store):
    # Every column the real packages fill in (manifest 年度 and 資料の題名 included) survives each store.
    packages = [read_package(folder) for folder in SAMPLES]
    any_store.load_packages(packages)
    for package in packages:
        assert_reads_back(any_store, package)
        graph = any_store.read_graph(package.code)
        assert graph.graph["fiscal_year"] == package.fiscal_year in (2023, 2024)
        assert graph.graph["documents"] == package.municipality["documents"]
    assert [m.years for m in any_store.list_municipalities()] == [(2023,), (2024,), (2023,), (2024,)]
