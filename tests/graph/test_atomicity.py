"""Loads are all-or-nothing even when the process is killed (SIGKILL or SIGTERM) mid-load, on every store.

A child process loads a large new version of a municipality over an old one and is killed; the store
must then open and hold exactly the old or exactly the new version, never a mix, and the other
municipality it holds must be untouched. On both stores the child is killed at a random moment
(on Neo4j the server rolls back the transaction of a connection that died). On the embedded store it
is also killed during LadybugDB's checkpoint of a bulk (``COPY``) load, which before the staged writes
lost the municipality every time, and when the staged write is marked ready, just before its rename.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tsunagari.graph.store_embedded import BULK_THRESHOLD, READY_MARK

sys.path.insert(0, str(Path(__file__).parent))
from bulk_package import bulk_package  # noqa: E402

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {here!r})
    from bulk_package import bulk_package
    from tsunagari.graph.open import open_store
    from tsunagari.settings import Settings
    package = bulk_package("99990", {agencies}, version="new")
    with open_store(Settings.from_env(store_url={url!r})) as store:
        print("open", flush=True)
        store.load_package(package, batch_size=500)
        print("done", flush=True)
""")

OLD_AGENCIES = 200
BULK_AGENCIES = 10_000  # 10,001 nodes and 9,999 ties: a 20,000-record load, written with COPY
assert 2 * BULK_AGENCIES >= BULK_THRESHOLD, "the bulk load must take the COPY path"


def _versions(store_under_test, new_agencies: int, *, read_only: bool = True) -> set[str]:
    """The versions of municipality 99990's agencies (checking the counts), and that 99991 is intact."""
    with store_under_test.open(read_only=read_only) as store:
        graphs = store.read_graphs()
    assert sorted(graphs) == ["99990", "99991"], f"a municipality is missing: {sorted(graphs)}"
    other = graphs["99991"]
    assert other.graph["note"] == "other" and other.number_of_nodes() == 11 and other.number_of_edges() == 9
    graph = graphs["99990"]
    agencies = [d for _, d in graph.nodes(data=True) if d["kind"] == "Agency"]
    versions = {d["name"].rsplit("-", 1)[1] for d in agencies}
    if versions == {"old"}:
        assert len(agencies) == OLD_AGENCIES and graph.number_of_edges() == OLD_AGENCIES - 1
    if versions == {"new"}:
        assert len(agencies) == new_agencies and graph.number_of_edges() == new_agencies - 1
    assert graph.graph["note"] in versions
    return versions


def _start(store_under_test, agencies: int) -> subprocess.Popen:
    """The old version of 99990 and another municipality in the store, and a child loading the new version."""
    with store_under_test.open() as store:
        store.load_packages([bulk_package("99990", OLD_AGENCIES, version="old"),
                             bulk_package("99991", 10, version="other")])
    url = store_under_test.settings.store_url
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(here=str(Path(__file__).parent), url=url,
                                                                  agencies=agencies)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "open"
    return child


def _stop(child: subprocess.Popen, sig: signal.Signals) -> None:
    child.send_signal(sig)
    child.wait()
    child.stdout.close()


@pytest.mark.parametrize("attempt, sig", [(0, signal.SIGKILL), (1, signal.SIGTERM), (2, signal.SIGKILL)])
def test_kill_during_load_leaves_old_or_new(store_under_test, attempt, sig):
    child = _start(store_under_test, 6000)
    time.sleep(random.Random(attempt).uniform(0.02, 0.8))
    _stop(child, sig)
    if store_under_test.kind == "neo4j":
        time.sleep(0.5)  # the server notices the closed connection and rolls its transaction back
    assert _versions(store_under_test, 6000) in ({"old"}, {"new"})


def _embedded_files(store_under_test) -> list[str]:
    return sorted(os.listdir(store_under_test.settings.store_url[len("embedded://"):]))


@pytest.mark.parametrize("phase, sig", [("checkpoint", signal.SIGKILL), ("checkpoint", signal.SIGTERM),
                                        ("ready", signal.SIGKILL)])
def test_kill_at_the_checkpoint_or_the_swap_leaves_old_or_new(store_under_test, phase, sig):
    """Killed while LadybugDB checkpoints a bulk load, or once the staged write is marked ready."""
    if store_under_test.kind != "embedded":
        pytest.skip("a LadybugDB checkpoint and a staged write are the embedded store's")
    folder = Path(store_under_test.settings.store_url[len("embedded://"):])

    def reached(names: list[str]) -> bool:
        return any(n.endswith(".wal.checkpoint") for n in names) if phase == "checkpoint" else READY_MARK in names

    for _ in range(3):  # the phase lasts tens of milliseconds at least; a busy machine may still miss it
        child = _start(store_under_test, BULK_AGENCIES)
        while child.poll() is None and not reached(os.listdir(folder)):
            time.sleep(0.0005)
        if child.poll() is None:
            _stop(child, sig)
            break
        _stop(child, sig)
        for name in os.listdir(folder):  # the load finished unseen: start again from the old version
            os.unlink(folder / name)
    else:
        pytest.fail(f"the load was never caught during its {phase} in 3 tries")
    left = os.listdir(folder)
    assert phase != "ready" or READY_MARK in left  # killed after the decision: the next open rolls forward
    read_only = _versions(store_under_test, BULK_AGENCIES)
    assert os.listdir(folder) == left, "a read-only open changed the store folder"
    assert _versions(store_under_test, BULK_AGENCIES, read_only=False) == read_only  # a writer finishes the write
    assert read_only == ({"new"} if phase == "ready" else {"old"})
    assert _embedded_files(store_under_test) == ["tsunagari.lbug"]


CHILD_YEAR = CHILD.replace('version="new")', 'version="new", fiscal_year=2024)')


@pytest.mark.parametrize("attempt, sig", [(3, signal.SIGKILL)])
def test_kill_during_a_load_of_one_year_leaves_that_year_old_or_new_and_the_other_year_intact(
        store_under_test, attempt, sig):
    """The promise per snapshot: FY2024 of 99990 is old or new, FY2023 of 99990 and 99991 untouched."""
    with store_under_test.open() as store:
        store.load_packages([bulk_package("99990", OLD_AGENCIES, version="old", fiscal_year=2023),
                             bulk_package("99990", OLD_AGENCIES, version="old", fiscal_year=2024),
                             bulk_package("99991", 10, version="other")])
    url = store_under_test.settings.store_url
    assert 'fiscal_year=2024' in CHILD_YEAR
    child = subprocess.Popen([sys.executable, "-c", CHILD_YEAR.format(here=str(Path(__file__).parent), url=url,
                                                                       agencies=6000)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "open"
    time.sleep(random.Random(attempt).uniform(0.02, 0.8))
    _stop(child, sig)
    if store_under_test.kind == "neo4j":
        time.sleep(0.5)
    with store_under_test.open(read_only=True) as store:
        years = store.read_years("99990")
        other = store.read_graph("99991")
    assert list(years) == [2023, 2024]
    assert other.graph["note"] == "other" and other.number_of_nodes() == 11
    fy2023 = years[2023]
    assert fy2023.graph["note"] == "old" and fy2023.number_of_nodes() == OLD_AGENCIES + 1
    assert fy2023.number_of_edges() == OLD_AGENCIES - 1
    fy2024 = years[2024]
    versions = {d["name"].rsplit("-", 1)[1] for _, d in fy2024.nodes(data=True) if d["kind"] == "Agency"}
    assert versions in ({"old"}, {"new"}) and fy2024.graph["note"] in versions
    expected = OLD_AGENCIES if versions == {"old"} else 6000
    assert fy2024.number_of_nodes() == expected + 1 and fy2024.number_of_edges() == expected - 1
