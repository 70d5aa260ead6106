"""An embedded store held by another process: opening waits for it, then gives a clear error."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tsunagari.graph.errors import StoreUnavailableError
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings


def _hold(folder: Path, seconds: float) -> subprocess.Popen:
    """Another process that opens the store, says so, and keeps it open for ``seconds``."""
    code = textwrap.dedent(f"""
        import time
        from tsunagari.graph.store_embedded import EmbeddedStore
        store = EmbeddedStore({str(folder)!r})
        print("held", flush=True)
        time.sleep({seconds})
        store.close()
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    open_store(Settings(store_url=f"embedded://{tmp_path / 'store'}")).close()  # create it
    return tmp_path / "store"


def test_open_waits_until_the_other_process_lets_go(folder):
    holder = _hold(folder, 1.0)
    started = time.monotonic()
    with open_store(Settings(store_url=f"embedded://{folder}"), wait_seconds=30) as store:
        assert store.list_municipalities() == []
    assert time.monotonic() - started >= 0.5  # it did wait for the holder
    holder.wait(timeout=30)
    holder.stdout.close()


def test_open_gives_up_after_wait_seconds_with_a_bilingual_error(folder):
    holder = _hold(folder, 30)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError) as caught:
            open_store(Settings(store_url=f"embedded://{folder}"), wait_seconds=0.5)
        assert time.monotonic() - started >= 0.5
        message = str(caught.value)
        assert f"別のプロセス（PID {holder.pid}）が使用中" in message
        assert f"in use by another process (PID {holder.pid})" in message
    finally:
        holder.kill()
        holder.wait(timeout=30)
        holder.stdout.close()
