"""The database-free graph equals the stored one: one conversion, records → graph, for both paths."""

from __future__ import annotations

import pytest

import tsunagari as tg
from tsunagari.graph.store_memory import MemoryStore
from tsunagari.samples import SAMPLES, sample_path
from tests.conftest import MINI


def _as_lists(graph):
    return (dict(graph.graph), list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True)))


@pytest.mark.parametrize("slug", ["mini", *sorted(SAMPLES)])
def test_package_graph_equals_the_embedded_store_read_back(store, slug):
    package = tg.read_package(MINI if slug == "mini" else sample_path(slug))
    store.load_package(package)
    stored = store.read_graph(package.code)
    direct = tg.package_graph(package)
    # same attributes, same values and types, same node and edge order
    assert _as_lists(direct) == _as_lists(stored)
    assert [type(v) for _, d in direct.nodes(data=True) for v in d.values()] == [
        type(v) for _, d in stored.nodes(data=True) for v in d.values()]


def test_memory_store_is_a_store():
    store = MemoryStore()
    package = tg.read_package(MINI)
    first, = store.load_packages([package])
    again, = store.load_packages([package])
    assert (first.unchanged, again.unchanged) == (False, True)
    assert [m.code for m in store.list_municipalities()] == ["99999"]
    assert store.resolve("testshi") == "99999"
    assert _as_lists(store.read_graph("テスト市")) == _as_lists(tg.package_graph(package))
    store.delete_municipality("99999")
    assert store.list_municipalities() == []


def test_reading_a_missing_embedded_store_creates_nothing(tmp_path):
    folder = tmp_path / "never-loaded"
    with tg.open_store(tg.Settings(store_url=f"embedded://{folder}"), read_only=True) as store:
        assert store.list_municipalities() == []
    assert not folder.exists()


def test_a_read_only_store_refuses_to_write(store_url):
    with tg.open_store(tg.Settings(store_url=store_url)) as store:
        store.load_package(tg.read_package(MINI))
    with tg.open_store(tg.Settings(store_url=store_url), read_only=True) as store:
        with pytest.raises(tg.TsunagariError, match="read-only"):
            store.delete_municipality("99999")
        assert [m.code for m in store.list_municipalities()] == ["99999"]
