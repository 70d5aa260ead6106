"""A store made by an older model (no agencies.serves, no resident_groups.domains) opens, reads and loads."""

from __future__ import annotations

import ladybug

import tsunagari as tg
from tsunagari.graph.store_embedded import DATABASE_FILE, EmbeddedStore
from tests.conftest import MINI, TOWN


def _drop_new_columns(folder) -> None:
    database = ladybug.Database(str(folder / DATABASE_FILE))
    connection = ladybug.Connection(database)
    connection.execute("ALTER TABLE Agency DROP serves")
    connection.execute("ALTER TABLE ResidentGroup DROP domains")
    connection.close()
    database.close()


def test_an_old_store_gets_the_new_columns_and_keeps_its_data(tmp_path):
    folder = tmp_path / "store"
    with EmbeddedStore(folder) as store:
        store.load_package(tg.read_package(MINI))
    _drop_new_columns(folder)
    with EmbeddedStore(folder, read_only=True) as store:  # reading needs every column of the model
        graph = store.read_graph("99999")
    assert graph.number_of_nodes() == tg.package_graph(tg.read_package(MINI)).number_of_nodes()
    assert "serves" not in graph.nodes["99999:houkatsu"]  # the old row has no value for the new column


def test_an_upgraded_store_bulk_loads_in_its_own_column_order(tmp_path):
    folder = tmp_path / "store"
    with EmbeddedStore(folder) as store:
        store.load_package(tg.read_package(MINI))
    _drop_new_columns(folder)
    town = tg.read_package(TOWN)
    with EmbeddedStore(folder, bulk_threshold=0) as store:  # COPY maps Arrow columns by position
        store.load_package(town)
        stored = store.read_graph(town.code)
    direct = tg.package_graph(town)
    assert dict(stored.nodes(data=True)) == dict(direct.nodes(data=True))
    assert stored.nodes["99901:a_npo_kosodate"]["serves"] == "chuo"
    assert stored.nodes["99901:r_kodomo_chuo"]["domains"] == ["子ども"]
