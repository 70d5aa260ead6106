"""An embedded store held by another process: opening waits for it, then gives a clear error."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.store_holder import store_held_by_another_process
from tsunagari.graph.errors import StoreUnavailableError
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    open_store(Settings(store_url=f"embedded://{tmp_path / 'store'}")).close()  # create it
    return tmp_path / "store"


def test_open_waits_until_the_other_process_lets_go(folder):
    with store_held_by_another_process(folder, seconds=1.0) as holder:
        with open_store(Settings(store_url=f"embedded://{folder}"), wait_seconds=30) as store:
            opened = time.time()
            assert store.list_municipalities() == []
        # The holder reports when it began to let go; no race: we read its line, not its exit status.
        line = holder.stdout.readline().split()
        assert line[:1] == ["released"], f"the holder never released the store: {line}"
        assert opened >= float(line[1]), "the store opened while the other process still held it"


def test_open_gives_up_after_wait_seconds_with_a_bilingual_error(folder):
    with store_held_by_another_process(folder) as holder:
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError) as caught:
            open_store(Settings(store_url=f"embedded://{folder}"), wait_seconds=0.5)
        assert time.monotonic() - started >= 0.5
    assert f"別のプロセス（PID {holder.pid}）が使用中" in caught.value.message("ja")
    assert f"in use by another process (PID {holder.pid})" in caught.value.message("en")
