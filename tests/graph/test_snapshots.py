"""Snapshots per (municipality, fiscal year) on every store: two years side by side, a load replacing only
its year, reads of the latest or a chosen year, deletes of one year or all, and a failed load of one year
leaving every year as it was (the atomicity promise per snapshot)."""

from __future__ import annotations

import shutil

import pytest

import tsunagari as tg
from tests.conftest import MINI, TOWN, TOWN_FY2023, TOWN_FY2024
from tsunagari.graph.errors import MunicipalityNotFoundError, YearNotFoundError
from tsunagari.graph.fiscal_year import FiscalYearError
from tsunagari.graph.store_memory import MemoryStore


@pytest.fixture(params=["memory", "store"])
def store(request, store_under_test):
    """The memory store, and each database store of ``store_under_test`` (embedded, Neo4j)."""
    if request.param == "memory":
        yield MemoryStore()
        return
    with store_under_test.open() as opened:
        yield opened


def _graph_data(graph):
    return (dict(graph.graph), sorted((n, sorted(d.items(), key=str)) for n, d in graph.nodes(data=True)),
            sorted((u, v, k, sorted(d.items(), key=str)) for u, v, k, d in graph.edges(keys=True, data=True)))


def _same(stored, package) -> bool:
    expected = tg.package_graph(package)
    return _graph_data(stored) == _graph_data(expected)


def test_two_years_coexist_and_the_latest_is_read_by_default(store):
    fy2023, fy2024 = tg.read_package(TOWN_FY2023), tg.read_package(TOWN_FY2024)
    reports = store.load_packages([fy2023, fy2024])
    assert [(r.code, r.fiscal_year, r.unchanged) for r in reports] == [("99901", 2023, False), ("99901", 2024, False)]
    [info] = store.list_municipalities()
    assert (info.code, info.years, info.fiscal_year, info.content_hash) == ("99901", (2023, 2024), 2024,
                                                                           fy2024.content_hash)
    assert [(s.fiscal_year, s.content_hash, s.snapshot) for s in store.list_snapshots()] == [
        (2023, fy2023.content_hash, "99901@2023"), (2024, fy2024.content_hash, "99901@2024")]
    latest = store.read_graph("緑町")
    assert _same(latest, fy2024) and latest.graph["fiscal_year"] == 2024
    assert "99901:r_kodomo_higashi" in latest and "99901:p_idou_hanbai" not in latest  # year-free node ids
    older = store.read_graph("midori", 2023)
    assert _same(older, fy2023) and older.graph["fiscal_year"] == 2023
    assert "99901:p_idou_hanbai" in older and "99901:r_kodomo_higashi" not in older
    assert _same(store.read_graph("99901", "令和5年度"), fy2023) and _same(store.read_graph("99901", "R6"), fy2024)
    years = store.read_years("99901")
    assert list(years) == [2023, 2024] and _same(years[2023], fy2023) and _same(years[2024], fy2024)
    assert _same(store.read_graphs(year=2023)["99901"], fy2023) and _same(store.read_graphs()["99901"], fy2024)


def test_a_load_replaces_only_its_year_and_the_same_package_twice_changes_nothing(store, tmp_path):
    fy2023, fy2024 = tg.read_package(TOWN_FY2023), tg.read_package(TOWN_FY2024)
    store.load_packages([fy2023, fy2024])
    changed_dir = tmp_path / "fy2024b"
    shutil.copytree(TOWN_FY2024, changed_dir)
    manifest = changed_dir / "manifest.csv"
    manifest.write_text(manifest.read_text("utf-8").replace("population,14500", "population,14400"), "utf-8")
    fy2024b = tg.read_package(changed_dir)
    assert fy2024b.snapshot == fy2024.snapshot and fy2024b.content_hash != fy2024.content_hash
    [report] = store.load_packages([fy2024b])
    assert not report.unchanged
    assert [s.content_hash for s in store.list_snapshots()] == [fy2023.content_hash, fy2024b.content_hash]
    assert _same(store.read_graph("99901", 2023), fy2023) and store.read_graph("99901").graph["population"] == 14400
    assert [r.unchanged for r in store.load_packages([fy2023, fy2024b])] == [True, True]
    log = [(e.code, e.action, e.fiscal_year) for e in store.load_log("99901")]
    assert log == [("99901", "load", 2023), ("99901", "load", 2024), ("99901", "load", 2024)]


def test_a_package_without_a_year_is_the_oldest_snapshot(store):
    town, fy2024 = tg.read_package(TOWN), tg.read_package(TOWN_FY2024)
    store.load_packages([fy2024, town])
    [info] = store.list_municipalities()
    assert info.years == (None, 2024) and info.fiscal_year == 2024
    assert _same(store.read_graph("99901"), fy2024)
    assert _same(store.read_graph("99901", "unknown"), town) and _same(store.read_graph("99901", "年度不明"), town)
    assert "fiscal_year" not in store.read_graph("99901", "unknown").graph
    assert list(store.read_years("99901")) == [None, 2024]


def test_a_store_of_packages_without_years_reads_as_before(store):
    # every package loaded before fiscal years existed: one year-unknown snapshot per municipality
    mini, town = tg.read_package(MINI), tg.read_package(TOWN)
    store.load_packages([mini, town])
    assert [(m.code, m.years, m.fiscal_year) for m in store.list_municipalities()] == [
        ("99901", (None,), None), ("99999", (None,), None)]
    assert _same(store.read_graph("99901"), town) and _same(store.read_graph("99999"), mini)
    assert sorted(store.read_graphs()) == ["99901", "99999"]


def test_an_unknown_year_is_a_clear_error_listing_the_years_held(store):
    store.load_packages([tg.read_package(TOWN_FY2023), tg.read_package(TOWN_FY2024)])
    with pytest.raises(YearNotFoundError) as caught:
        store.read_graph("緑町", 2022)
    assert isinstance(caught.value, MunicipalityNotFoundError)
    assert caught.value.message("ja") == ("緑町（99901）の年度 2022 はストアにありません。保持している年度: 2023, 2024"
                                          "（--year にこのどれかを指定してください。unknown = 年度不明）。")
    assert caught.value.message("en") == ("緑町 (99901) has no snapshot for fiscal year 2022 in the store. Years held: "
                                          "2023, 2024 (give one of them to --year; unknown = year unknown).")
    with pytest.raises(YearNotFoundError):
        store.read_graph("緑町", "unknown")
    with pytest.raises(FiscalYearError):
        store.read_graph("緑町", "来年度")


def test_deleting_one_year_keeps_the_others_and_deleting_the_municipality_removes_every_year(store):
    fy2023, fy2024 = tg.read_package(TOWN_FY2023), tg.read_package(TOWN_FY2024)
    store.load_packages([fy2023, fy2024, tg.read_package(MINI)])
    store.delete_municipality("緑町", year=2024)
    [info] = [m for m in store.list_municipalities() if m.code == "99901"]
    assert info.years == (2023,) and _same(store.read_graph("99901"), fy2023)
    store.load_packages([fy2024])
    store.delete_municipality("緑町")
    assert [m.code for m in store.list_municipalities()] == ["99999"]
    assert [(e.action, e.fiscal_year) for e in store.load_log("99901")][-2:] == [("load", 2024), ("delete", None)]
    assert [e.action for e in store.load_log("99901")].count("delete") == 2


def test_a_load_that_fails_midway_leaves_every_year_as_it_was(store_under_test, monkeypatch, tmp_path):
    # The atomicity promise per snapshot: a new FY2024 that fails while its ties are written changes
    # neither FY2024 nor FY2023 (nor the other municipality).
    from tsunagari.graph import store as store_module

    fy2023, fy2024, mini = tg.read_package(TOWN_FY2023), tg.read_package(TOWN_FY2024), tg.read_package(MINI)
    changed_dir = tmp_path / "fy2024b"
    shutil.copytree(TOWN_FY2024, changed_dir)
    (changed_dir / "manifest.csv").write_text(
        (changed_dir / "manifest.csv").read_text("utf-8").replace("population,14500", "population,1"), "utf-8")
    with store_under_test.open() as store:
        store.load_packages([fy2023, fy2024, mini])
        original = store_module.CypherStore._write

        def failing(self, run, node_rows, tie_rows, **kwargs):
            original(self, run, node_rows, {}, **kwargs)  # every node written ...
            raise RuntimeError("injected failure before the ties")

        monkeypatch.setattr(store_module.CypherStore, "_write", failing)
        with pytest.raises(RuntimeError, match="injected"):
            store.load_packages([tg.read_package(changed_dir)])
        monkeypatch.undo()
        assert [s.content_hash for s in store.list_snapshots()] == [fy2023.content_hash, fy2024.content_hash,
                                                                    mini.content_hash]
        assert _same(store.read_graph("99901", 2023), fy2023) and _same(store.read_graph("99901", 2024), fy2024)
        assert _same(store.read_graph("99999"), mini)


def test_two_years_written_by_the_bulk_copy_path_read_back_exactly(tmp_path):
    # Loads of 20,000 records or more go through LadybugDB's COPY: the snapshot keys must be its primary keys too.
    from tsunagari.graph.store_embedded import EmbeddedStore

    fy2023, fy2024 = tg.read_package(TOWN_FY2023), tg.read_package(TOWN_FY2024)
    with EmbeddedStore(tmp_path / "store", bulk_threshold=0) as store:
        store.load_packages([fy2023, fy2024])
        assert _same(store.read_graph("99901", 2023), fy2023) and _same(store.read_graph("99901", 2024), fy2024)
        store.load_packages([tg.read_package(TOWN)])  # the year-unknown snapshot beside them, by COPY too
        assert [s.fiscal_year for s in store.list_snapshots()] == [None, 2023, 2024]
        assert _same(store.read_graph("99901", 2024), fy2024)
