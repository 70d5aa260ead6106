"""Another process that holds an embedded store open, for tests of the store's file lock."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def store_held_by_another_process(folder: str | Path, seconds: float = 60.0) -> Iterator[subprocess.Popen]:
    """Open the store at ``folder`` in a child process for ``seconds`` (killed on exit).

    After ``seconds`` the child closes the store and prints ``released <time.time() before closing>``.
    """
    code = textwrap.dedent(f"""
        import time
        from tsunagari.graph.store_embedded import EmbeddedStore
        store = EmbeddedStore({str(folder)!r})
        print("held", flush=True)
        time.sleep({seconds})
        released = time.time()
        store.close()
        print(f"released {{released!r}}", flush=True)
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held", "the child process could not open the store"
        yield holder
    finally:
        holder.kill()
        holder.wait(timeout=30)
        holder.stdout.close()
