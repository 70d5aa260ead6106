"""The embedded store's columnar read gives the graphs of the row-by-row read it replaced, exactly.

``EmbeddedStore.read_snapshots`` reads Arrow columns (every tie kind in one statement) and builds each
graph with :func:`build_graph_from_columns`; :meth:`CypherStore.read_snapshots` (still the path of Neo4j
and of stores of an older model) reads dict rows and builds with :func:`build_graphs`. Both must give
the same graph: the same nodes, adjacency and edges in the same order, the same attributes in the same
order with values of the same types. Checked on the four samples (fiscal years: ids rewritten to the
year-free form), two years of one municipality, the hand-made packages and synthetic municipalities of
``benchmarks/generate.py``, read one at a time and all at once. Name resolution, now against one
snapshot list per read, resolves and refuses as before.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

import tsunagari as tg
from tests.conftest import MINI, TOWN, TOWN_FY2023, TOWN_FY2024
from tsunagari.graph.conversion import build_graph_from_columns, build_graphs, package_rows
from tsunagari.graph.errors import MunicipalityNotFoundError, YearNotFoundError
from tsunagari.graph.fiscal_year import snapshot_key
from tsunagari.graph.store import CypherStore, GraphStore
from tsunagari.graph.store_embedded import EmbeddedStore, _read_pool_size
from tsunagari.samples import sample_path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate_package  # noqa: E402

SAMPLES = ("amagasaki", "ashiya", "hannan", "takashima")


def layout(graph: nx.Graph) -> str:
    """Everything order- and type-sensitive about a graph, as text (``repr`` tells 1 from 1.0 and True)."""
    adjacency = [(u, list(graph._adj[u])) for u in graph]
    predecessors = [(u, list(graph._pred[u])) for u in graph] if graph.is_directed() else None
    edges = (list(graph.edges(keys=True, data=True)) if graph.is_multigraph() else list(graph.edges(data=True)))
    return repr((type(graph).__name__, list(graph.graph.items()), list(graph.nodes(data=True)), adjacency,
                 predecessors, [(*e[:-1], list(e[-1].items())) for e in edges]))


@pytest.fixture(scope="module")
def packages():
    found = [tg.read_package(sample_path(s)) for s in SAMPLES]
    found += [tg.read_package(p) for p in (TOWN_FY2023, TOWN_FY2024, MINI, TOWN)]
    found += [generate_package(i) for i in range(4)] + [generate_package(7, actors=30)]
    return found


@pytest.fixture(scope="module")
def store_folder(packages, tmp_path_factory):
    folder = tmp_path_factory.mktemp("columnar") / "store"
    with EmbeddedStore(folder) as store:
        store.load_packages(packages)
    return folder


def test_each_snapshot_reads_as_the_row_path_reads_it(store_folder):
    with EmbeddedStore(store_folder, read_only=True) as store:
        assert not store._missing and not store._absent  # a store of this model: the columnar path
        keys = [info.snapshot for info in store.list_snapshots()]
        assert {"28202@2023", "99901", "99901@2023", "99901@2024"} <= set(keys)  # year-free rewriting is exercised
        for key in keys:
            new = store.read_snapshots([key])[key]
            old = CypherStore.read_snapshots(store, [key])[key]
            assert layout(new) == layout(old), key


def test_all_snapshots_at_once_read_as_the_row_path_reads_them(store_folder):
    with EmbeddedStore(store_folder, read_only=True) as store:
        keys = [info.snapshot for info in store.list_snapshots()]
        new = store.read_snapshots(keys)
        old = CypherStore.read_snapshots(store, keys)
        assert list(new) == list(old) == keys
        for key in keys:
            assert layout(new[key]) == layout(old[key]), key
        # a subset, in an order of its own (two years of one municipality side by side)
        some = ["99901@2024", "28206@2024", "99901"]
        assert [layout(g) for g in store.read_snapshots(some).values()] == [
            layout(g) for g in CypherStore.read_snapshots(store, some).values()]


def test_the_stored_graph_is_the_package_graph(store_folder, packages):
    """Both ends of the one conversion: the store's columnar graph equals ``package_graph``, in order too."""
    latest = {}
    for package in packages:
        latest[package.snapshot] = package  # a later package of the same snapshot replaced it
    with EmbeddedStore(store_folder, read_only=True) as store:
        for key, package in latest.items():
            assert layout(store.read_snapshots([key])[key]) == layout(tg.package_graph(package)), key


def test_columns_build_the_graph_rows_build(packages):
    for package in packages:
        node_rows, tie_rows = package_rows(package)
        rows_graph = build_graphs([package.code], node_rows, tie_rows)[package.code]

        def columns(schema, rows, names):
            rows = list(rows)
            return schema, {name: [row[name] for row in rows] for name in names}

        node_columns = [columns(schema, rows, schema.properties) for schema, rows in node_rows]
        tie_columns = [columns(schema, rows, ("from_uid", "to_uid", *schema.properties)) for schema, rows in tie_rows]
        assert layout(build_graph_from_columns(node_columns, tie_columns)) == layout(rows_graph), package.code


def test_columns_with_repeated_nodes_and_ties_update_them_as_add_node_and_add_edge_do():
    from tsunagari.graph import cypher

    agency = next(s for s in cypher.node_schemas() if s.label == "Agency")
    refers = next(s for s in cypher.tie_schemas() if s.kind == "REFERS_TO")
    nodes = {name: [None] * 3 for name in agency.properties}
    nodes["uid"] = ["9:a", "9:b", "9:a"]
    nodes["name"] = ["A", "B", None]
    nodes["sector"] = [None, "福祉", "医療"]
    nodes["municipality"] = ["9"] * 3
    ties = {name: [None] * 4 for name in ("from_uid", "to_uid", *refers.properties)}
    ties.update(from_uid=["9:a", "9:a", "9:c", "9:a"], to_uid=["9:b", "9:b", "9:a", "9:b"],
                tid=["9:t1", "9:t2", "9:t3", "9:t1"], weight=[1.0, None, 2.0, 3.0], municipality=["9"] * 4)
    expected = nx.MultiDiGraph()
    for i, uid in enumerate(nodes["uid"]):
        expected.add_node(uid, kind="Agency",
                          **{k: v[i] for k, v in nodes.items() if k != "uid" and v[i] is not None})
    for i, tid in enumerate(ties["tid"]):
        expected.add_edge(ties["from_uid"][i], ties["to_uid"][i], key=tid, kind="REFERS_TO",
                          **{k: v[i] for k, v in ties.items() if k not in ("from_uid", "to_uid", "tid")
                             and v[i] is not None})
    assert layout(build_graph_from_columns([(agency, nodes)], [(refers, ties)])) == layout(expected)


def _old_resolve_year(store: GraphStore, municipality: str, year=None):
    """``resolve_year`` as it was: ``resolve`` (one snapshot list), then the list again."""
    code = store.resolve(municipality)
    held = [i.fiscal_year for i in store.list_snapshots() if i.code == code]
    if year is None:
        return code, max(held, key=lambda y: -1 if y is None else y)
    return store.resolve_year(municipality, year)


def test_names_resolve_against_one_snapshot_list_as_before(store_folder, monkeypatch):
    names = ["amagasaki", "芦屋市", "272329", "２５２１２", "90001", "99901", " hannan "]
    with EmbeddedStore(store_folder, read_only=True) as store:
        expected = {}
        for name in names:
            code, year = _old_resolve_year(store, name)
            expected[code] = snapshot_key(code, year)
        listed = []
        original = EmbeddedStore.list_snapshots
        monkeypatch.setattr(EmbeddedStore, "list_snapshots", lambda self: listed.append(1) or original(self))
        graphs = store.read_graphs(names)
        assert len(listed) == 1  # it was 2 per name
        assert list(graphs) == list(expected)
        for code, key in expected.items():
            assert layout(graphs[code]) == layout(CypherStore.read_snapshots(store, [key])[key])
        listed.clear()
        store.read_graph("99901", 2023)
        assert len(listed) == 1
        assert store.resolve_year("99901", "unknown") == ("99901", None)
        with pytest.raises(YearNotFoundError):
            store.read_graphs(["99901", "amagasaki"], year=2024)
        with pytest.raises(MunicipalityNotFoundError):
            store.read_graphs(["amagasaki", "nowhere"])


def test_every_municipality_of_one_year_as_before(store_folder):
    with EmbeddedStore(store_folder, read_only=True) as store:
        with pytest.raises(YearNotFoundError):  # not every municipality has 2024: refused, as before
            store.read_graphs(year=2024)
        latest = store.read_graphs()
        assert list(latest) == [m.code for m in store.list_municipalities()]


def test_a_read_only_handle_gets_a_pool_sized_to_the_store(store_folder, monkeypatch, tmp_path):
    import os

    database = store_folder / "tsunagari.lbug"
    memory = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": (64 << 30) // 4096}  # a 64 GiB machine
    monkeypatch.setattr(os, "sysconf", lambda name: memory[name])
    assert _read_pool_size(database) == max(1 << 30, 64 * database.stat().st_size)
    big = tmp_path / "big.lbug"
    with open(big, "wb") as f:
        f.truncate(600 << 20)  # 600 MiB × 64 is more than half the machine: LadybugDB's default
    assert _read_pool_size(big) == 0
    memory["SC_PHYS_PAGES"] = (1 << 30) // 4096  # a 1 GiB machine: the default
    assert _read_pool_size(database) == 0
    assert _read_pool_size(tmp_path / "missing.lbug") == 0
