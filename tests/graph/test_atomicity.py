"""Loads are all-or-nothing even when the process is killed (SIGKILL) mid-load.

A child process loads a large new version of a municipality over an old one and is killed at a
random moment; the store must then hold exactly the old or exactly the new version, never a mix.
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

from tsunagari.graph.open import open_store
from tsunagari.settings import Settings

sys.path.insert(0, str(Path(__file__).parent))
from bulk_package import bulk_package  # noqa: E402

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {here!r})
    from bulk_package import bulk_package
    from tsunagari.graph.open import open_store
    from tsunagari.settings import Settings
    with open_store(Settings(store_url={url!r})) as store:
        print("open", flush=True)
        store.load_package(bulk_package("99990", 6000, version="new"), batch_size=500)
        print("done", flush=True)
""")


def _versions(url: str) -> set[str]:
    with open_store(Settings(store_url=url)) as store:
        graph = store.read_graph("99990")
    agencies = [d for _, d in graph.nodes(data=True) if d["kind"] == "Agency"]
    versions = {d["name"].rsplit("-", 1)[1] for d in agencies}
    if versions == {"old"}:
        assert len(agencies) == 200 and graph.number_of_edges() == 199
    if versions == {"new"}:
        assert len(agencies) == 6000 and graph.number_of_edges() == 5999
    assert graph.graph["note"] in versions
    return versions


@pytest.mark.parametrize("attempt", range(3))
def test_sigkill_during_load_leaves_old_or_new(tmp_path, attempt):
    url = f"embedded://{tmp_path / 'store'}"
    with open_store(Settings(store_url=url)) as store:
        store.load_package(bulk_package("99990", 200, version="old"))
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(here=str(Path(__file__).parent), url=url)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "open"
    time.sleep(random.Random(attempt).uniform(0.02, 0.8))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert _versions(url) in ({"old"}, {"new"})


def test_reader_during_load_sees_old_or_new(tmp_path):
    import threading

    url = f"embedded://{tmp_path / 'store'}"
    seen: list[set[str]] = []
    with open_store(Settings(store_url=url)) as store:
        store.load_package(bulk_package("99990", 200, version="old"))
        loader = threading.Thread(target=store.load_package, args=(bulk_package("99990", 5000, version="new"),))
        loader.start()
        while loader.is_alive() or not seen:
            graph = store.read_graph("99990")
            seen.append({d["name"].rsplit("-", 1)[1] for _, d in graph.nodes(data=True) if d["kind"] == "Agency"})
        loader.join()
        seen.append({d["name"].rsplit("-", 1)[1] for _, d in store.read_graph("99990").nodes(data=True)
                     if d["kind"] == "Agency"})
    assert all(v in ({"old"}, {"new"}) for v in seen)
    assert seen[-1] == {"new"}
