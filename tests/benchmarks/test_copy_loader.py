"""The proposed COPY load path writes exactly what ``load_package`` writes, atomically."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from tsunagari.graph.store_embedded import EmbeddedStore
from tsunagari.loaders.validate import read_package

_BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _module(name: str):
    if str(_BENCH) not in sys.path:
        sys.path.insert(0, str(_BENCH))  # copy_loader and generate are scripts beside each other
    spec = importlib.util.spec_from_file_location(name, _BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def packages(mini_path_module=Path(__file__).resolve().parents[1] / "fixtures" / "mini"):
    generate = _module("generate")
    return [read_package(mini_path_module), *(generate.generate_package(i, seed=2, actors=60) for i in range(2))]


def test_copy_gives_the_graphs_load_package_gives(tmp_path, packages):
    copy_load = _module("copy_loader").copy_load
    with EmbeddedStore(tmp_path / "a") as product, EmbeddedStore(tmp_path / "b") as bulk:
        for package in packages:
            product.load_package(package)
        assert copy_load(bulk, packages) == {"nodes": sum(len(p.nodes) for p in packages),
                                             "ties": sum(len(p.ties) for p in packages)}
        copy_load(bulk, packages[:1])  # reloading replaces, it does not duplicate
        assert [m.code for m in bulk.list_municipalities()] == [m.code for m in product.list_municipalities()]
        for package in packages:
            assert nx.utils.graphs_equal(product.read_graph(package.code), bulk.read_graph(package.code))


def test_a_failing_copy_leaves_the_store_as_it_was(tmp_path, packages):
    copy_load = _module("copy_loader").copy_load
    first = packages[1]
    broken = replace(packages[2], nodes=packages[2].nodes + packages[2].nodes[-1:])  # duplicate uid
    with EmbeddedStore(tmp_path / "s") as store:
        copy_load(store, [first])
        before = store.read_graph(first.code)
        with pytest.raises(RuntimeError):
            copy_load(store, [first, broken])
        assert [m.code for m in store.list_municipalities()] == [first.code]
        assert nx.utils.graphs_equal(store.read_graph(first.code), before)


def test_bulk_read_gives_what_read_graph_gives(tmp_path, packages):
    bulk_read = _module("copy_loader").bulk_read
    with EmbeddedStore(tmp_path / "s") as store:
        for package in packages:
            store.load_package(package)
        graphs = bulk_read(store)
        assert sorted(graphs) == sorted(p.code for p in packages)
        for package in packages:
            expected = store.read_graph(package.code)
            assert nx.utils.graphs_equal(graphs[package.code], expected)
            assert graphs[package.code].graph == expected.graph
