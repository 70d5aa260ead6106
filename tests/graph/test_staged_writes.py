"""The embedded store's staged writes: what a killed write leaves is finished or removed, and a full disk
changes nothing and says so (docs/reliability.md, *Loads that cannot lose data*).

The leftovers of a killed write are made by hand here, file by file, as the kill tests
(``test_atomicity.py``) and ``benchmarks/atomic_loads.py`` make them for real.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tsunagari.dashboards.cli import main
from tsunagari.graph import store_embedded
from tsunagari.graph.errors import StoreError
from tsunagari.graph.store_embedded import DATABASE_FILE, READY_MARK, STAGING_FILE, EmbeddedStore

sys.path.insert(0, str(Path(__file__).parent))
from bulk_package import bulk_package  # noqa: E402


def _store(folder: Path, version: str) -> Path:
    with EmbeddedStore(folder) as store:
        store.load_packages([bulk_package("99990", 20, version=version), bulk_package("99991", 5, version="other")])
    return folder


def _version(folder: Path, *, read_only: bool) -> str:
    with EmbeddedStore(folder, read_only=read_only) as store:
        graphs = store.read_graphs()
    assert graphs["99991"].graph["note"] == "other"
    return graphs["99990"].graph["note"]


@pytest.fixture
def old_and_new(tmp_path) -> tuple[Path, Path]:
    """A store holding the old version, and the database file of the same store after loading the new one."""
    return _store(tmp_path / "store", "old"), _store(tmp_path / "newer", "new") / DATABASE_FILE


def test_a_staging_copy_not_marked_ready_is_ignored_then_removed(old_and_new):
    folder, new = old_and_new
    shutil.copy(new, folder / STAGING_FILE)  # a write killed before it was complete
    (folder / f"{STAGING_FILE}.wal").write_bytes(b"half a log")
    before = sorted(os.listdir(folder))
    assert _version(folder, read_only=True) == "old"
    assert sorted(os.listdir(folder)) == before  # reading changes nothing
    assert _version(folder, read_only=False) == "old"
    assert os.listdir(folder) == [DATABASE_FILE]  # a writer removed the leftovers


def test_a_staging_copy_marked_ready_is_the_store_and_a_writer_renames_it_into_place(old_and_new):
    folder, new = old_and_new
    shutil.copy(new, folder / STAGING_FILE)  # a write killed after its decision, before the rename
    (folder / READY_MARK).touch()
    before = sorted(os.listdir(folder))
    assert _version(folder, read_only=True) == "new"
    assert sorted(os.listdir(folder)) == before
    assert _version(folder, read_only=False) == "new"
    assert os.listdir(folder) == [DATABASE_FILE]
    assert _version(folder, read_only=True) == "new"


def test_a_ready_mark_left_after_the_rename_is_removed(old_and_new):
    folder, new = old_and_new
    shutil.copy(new, folder / DATABASE_FILE)  # renamed, then killed before the mark was removed
    (folder / READY_MARK).touch()
    assert _version(folder, read_only=False) == "new"
    assert os.listdir(folder) == [DATABASE_FILE]


def test_a_log_left_by_an_older_version_is_folded_into_the_database(tmp_path):
    """An older Tsunagari opened the database file read-write; killed after a commit, it left LadybugDB's log."""
    folder = _store(tmp_path / "store", "old")
    killed = textwrap.dedent(f"""
        import os, ladybug
        connection = ladybug.Connection(ladybug.Database({str(folder / DATABASE_FILE)!r}))
        connection.execute("MATCH (m:Municipality {{code: '99990'}}) SET m.note = 'committed'")
        os._exit(0)  # no close: the commit is only in the write-ahead log
    """)
    subprocess.run([sys.executable, "-c", killed], check=True)
    assert f"{DATABASE_FILE}.wal" in os.listdir(folder)
    assert _version(folder, read_only=True) == "committed"  # LadybugDB replays the log in memory only
    assert f"{DATABASE_FILE}.wal" in os.listdir(folder)
    assert _version(folder, read_only=False) == "committed"
    assert os.listdir(folder) == [DATABASE_FILE]


def test_two_handles_in_one_process_share_the_lock_and_see_each_others_writes(tmp_path):
    folder = _store(tmp_path / "store", "old")
    with EmbeddedStore(folder, read_only=True) as reader, EmbeddedStore(folder) as writer:
        assert reader.read_graph("99990").graph["note"] == "old"
        writer.load_package(bulk_package("99990", 20, version="new"))
        assert reader.read_graph("99990").graph["note"] == "new"


# -- a full disk -----------------------------------------------------------------------------------

def test_a_disk_too_small_for_the_load_is_refused_before_writing_in_japanese(tmp_path, capsys, monkeypatch):
    folder = _store(tmp_path / "store", "old")
    before = (folder / DATABASE_FILE).read_bytes()
    small = shutil.disk_usage(folder)._replace(free=3 * 2**20)
    monkeypatch.setattr(store_embedded.shutil, "disk_usage", lambda path: small)
    package = Path(__file__).parents[1] / "fixtures" / "mini"
    assert main(["--store", f"embedded://{folder}", "--lang", "ja", "load", str(package)]) == 1
    said = capsys.readouterr().err
    assert "ディスクの空きが足りない" in said and "ストアは変更していません" in said and "3.0 MiB" in said
    assert "Traceback" not in said
    assert (folder / DATABASE_FILE).read_bytes() == before and os.listdir(folder) == [DATABASE_FILE]


def test_a_disk_that_fills_up_during_the_copy_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    folder = _store(tmp_path / "store", "old")

    def half_then_full(source: Path, target: Path) -> None:
        target.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store_embedded, "_copy", half_then_full)
    with EmbeddedStore(folder) as store, pytest.raises(StoreError) as caught:
        store.load_package(bulk_package("99990", 20, version="new"))
    assert caught.value.key == "store.disk_full"
    assert os.listdir(folder) == [DATABASE_FILE]
    monkeypatch.undo()
    assert _version(folder, read_only=True) == "old"


def test_a_disk_that_fills_up_inside_ladybugdb_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    """LadybugDB reports a failed write as a RuntimeError naming ENOSPC (when it does not abort)."""
    folder = _store(tmp_path / "store", "old")
    real = EmbeddedStore._execute
    calls = {"n": 0}

    def failing(self, connection, statement, parameters):
        calls["n"] += 1
        if calls["n"] == 4:  # after the lock, the list and the first deletes
            raise RuntimeError("IO exception: Cannot write to file. Error: No space left on device")
        return real(self, connection, statement, parameters)

    monkeypatch.setattr(EmbeddedStore, "_execute", failing)
    with EmbeddedStore(folder) as store:
        with pytest.raises(StoreError) as caught:
            store.load_package(bulk_package("99990", 20, version="new"))
        assert caught.value.key == "store.disk_full"
        assert store.read_graph("99990").graph["note"] == "old"
    assert os.listdir(folder) == [DATABASE_FILE]
