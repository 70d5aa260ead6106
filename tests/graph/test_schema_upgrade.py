"""A store made by an older model (no agencies.serves, no resident_groups.domains) opens, reads and loads."""

from __future__ import annotations

import ladybug

import tsunagari as tg
from tsunagari.graph.store_embedded import DATABASE_FILE, EmbeddedStore
from tests.conftest import MINI, TOWN


def _alter(folder, *statements: str) -> None:
    """Run ``statements`` on the store's database file directly, as an older model would have left it."""
    database = ladybug.Database(str(folder / DATABASE_FILE))
    connection = ladybug.Connection(database)
    for statement in statements:
        connection.execute(statement)
    connection.close()
    database.close()


def _drop_new_columns(folder) -> None:
    _alter(folder, "ALTER TABLE Agency DROP serves", "ALTER TABLE ResidentGroup DROP domains")


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


def test_a_store_with_a_column_the_model_dropped_still_loads_and_reads(tmp_path):
    # Programs' single `article` (STRING) became `articles` (STRING[]): a store made before keeps the
    # old column; loads fill it with nulls (bulk COPY needs every stored column) and reads ignore it.
    folder = tmp_path / "store"
    with EmbeddedStore(folder) as store:
        store.load_package(tg.read_package(MINI))
    _alter(folder, "ALTER TABLE Program DROP articles", "ALTER TABLE Program ADD article STRING")
    town = tg.read_package(TOWN)
    for threshold in (0, 10**9):  # COPY, then the Cypher path
        with EmbeddedStore(folder, bulk_threshold=threshold) as store:
            store.load_package(town)
            stored = store.read_graph(town.code)
        assert stored.nodes["99901:p_takikan"]["articles"] == ["第5号"]
        assert "article" not in stored.nodes["99901:p_takikan"]


def test_a_store_made_before_a_tie_kind_existed_reads_and_then_loads(tmp_path):
    # AGREEMENT (協定) is a newer tie kind: a store without its table reads (no such ties) without a write.
    folder = tmp_path / "store"
    with EmbeddedStore(folder) as store:
        store.load_package(tg.read_package(MINI))
    _alter(folder, "DROP TABLE AGREEMENT")
    with EmbeddedStore(folder, read_only=True) as store:
        graph = store.read_graph("99999")
    assert graph.number_of_edges() == tg.package_graph(tg.read_package(MINI)).number_of_edges()
    with EmbeddedStore(folder) as store:  # a write creates the table
        store.load_package(tg.read_package(TOWN))
        assert store.read_graph("99901").number_of_nodes() > 0


def test_a_store_made_before_fiscal_years_reads_as_before_and_then_holds_years(tmp_path):
    # Before fiscal years the Municipality table had no fiscal_year column and every key was the bare code:
    # such a store reads as one year-unknown snapshot per municipality, and a write adds the column.
    from tests.conftest import TOWN_FY2024

    folder = tmp_path / "store"
    mini = tg.read_package(MINI)
    with EmbeddedStore(folder) as store:
        store.load_package(mini)
    _alter(folder, "ALTER TABLE Municipality DROP fiscal_year")
    with EmbeddedStore(folder, read_only=True) as store:
        [info] = store.list_municipalities()
        graph = store.read_graph("99999")
        assert (info.code, info.years, info.content_hash) == ("99999", (None,), mini.content_hash)
    direct = tg.package_graph(mini)
    assert dict(graph.nodes(data=True)) == dict(direct.nodes(data=True)) and graph.graph == direct.graph
    fy2024 = tg.read_package(TOWN_FY2024)
    with EmbeddedStore(folder) as store:  # a write adds the column; the old snapshot stays as it was
        assert [r.unchanged for r in store.load_packages([mini, fy2024])] == [True, False]
        assert [(m.code, m.years) for m in store.list_municipalities()] == [("99901", (2024,)), ("99999", (None,))]
        assert store.read_graph("99901").graph["fiscal_year"] == 2024
        assert dict(store.read_graph("99999").nodes(data=True)) == dict(direct.nodes(data=True))
