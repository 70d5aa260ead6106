"""What the embedded store's writes reuse instead of asking the database again (issue 15, city load).

After a staged write, the database the check opened read-only is the one read once renamed into place,
with the columns the write gave it; a write on the file this handle's last write left skips the schema
statements. Those shortcuts must read and write exactly what a fresh open does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import networkx as nx

from tsunagari.graph.store_embedded import DATABASE_FILE, EmbeddedStore

sys.path.insert(0, str(Path(__file__).parent))
from bulk_package import bulk_package  # noqa: E402


def _same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    return (a.graph == b.graph and list(a.nodes(data=True)) == list(b.nodes(data=True))
            and sorted(map(repr, a.edges(keys=True, data=True))) == sorted(map(repr, b.edges(keys=True, data=True))))


def test_the_adopted_database_reads_what_a_fresh_open_reads(tmp_path):
    folder = tmp_path / "store"
    with EmbeddedStore(folder) as store:
        store.load_packages([bulk_package("99990", 20, version="one")])
        assert store._schema_written == os.stat(folder / DATABASE_FILE).st_ino
        columns, missing, _ = store._present_columns(store._connection)
        assert (store._columns, store._missing, store._absent) == (columns, {}, set())
        store.load_packages([bulk_package("99991", 5, version="two"), bulk_package("99990", 8, version="three")])
        written = store.read_graphs()
        assert store._columns == store._present_columns(store._connection)[0]
    with EmbeddedStore(folder, read_only=True) as fresh:
        again = fresh.read_graphs()
    assert sorted(written) == sorted(again) == ["99990", "99991"]
    assert all(_same_graph(written[code], again[code]) for code in written)
    assert again["99990"].graph["note"] == "three"


def test_a_file_another_handle_wrote_gets_the_schema_statements_again(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    upgrades = []
    original = EmbeddedStore._upgrade_schema

    def counted(self, connection):
        upgrades.append(self)
        return original(self, connection)

    monkeypatch.setattr(EmbeddedStore, "_upgrade_schema", counted)
    with EmbeddedStore(folder) as first, EmbeddedStore(folder) as second:
        assert len(upgrades) == 1  # the new store's schema
        first.load_packages([bulk_package("99990", 3, version="a")])
        assert len(upgrades) == 1  # its own file: skipped
        second.load_packages([bulk_package("99991", 3, version="b")])
        assert upgrades[-1] is second  # a file it did not write: upgraded (a no-op here) first
        first.load_packages([bulk_package("99992", 3, version="c")])
        assert upgrades[-1] is first and len(upgrades) == 3  # second replaced the file since
        assert sorted(first.read_graphs()) == ["99990", "99991", "99992"]


def test_a_load_hashes_each_package_once(tmp_path, monkeypatch):
    import hashlib
    import types

    from tsunagari.graph import records

    calls = []
    counting = types.SimpleNamespace(sha256=lambda data: calls.append(len(data)) or hashlib.sha256(data))
    monkeypatch.setattr(records, "hashlib", counting)
    package = bulk_package("99990", 4, version="once")
    with EmbeddedStore(tmp_path / "store") as store:
        store.load_packages([package])
        assert store.load_packages([package])[0].unchanged
    assert len(calls) == 1
    assert package.content_hash == bulk_package("99990", 4, version="once").content_hash  # a fresh package agrees
