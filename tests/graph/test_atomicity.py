"""Loads are all-or-nothing even when the process is killed (SIGKILL) mid-load, on every store.

A child process loads a large new version of a municipality over an old one and is killed at a
random moment; the store must then hold exactly the old or exactly the new version, never a mix.
(On Neo4j the server rolls back the transaction of a connection that died.)
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

sys.path.insert(0, str(Path(__file__).parent))
from bulk_package import bulk_package  # noqa: E402

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {here!r})
    from bulk_package import bulk_package
    from tsunagari.graph.open import open_store
    from tsunagari.settings import Settings
    with open_store(Settings.from_env(store_url={url!r})) as store:
        print("open", flush=True)
        store.load_package(bulk_package("99990", 6000, version="new"), batch_size=500)
        print("done", flush=True)
""")


def _versions(store_under_test) -> set[str]:
    with store_under_test.open(read_only=True) as store:
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
def test_sigkill_during_load_leaves_old_or_new(store_under_test, attempt):
    with store_under_test.open() as store:
        store.load_package(bulk_package("99990", 200, version="old"))
    url = store_under_test.settings.store_url
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(here=str(Path(__file__).parent), url=url)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "open"
    time.sleep(random.Random(attempt).uniform(0.02, 0.8))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    if store_under_test.kind == "neo4j":
        time.sleep(0.5)  # the server notices the closed connection and rolls its transaction back
    assert _versions(store_under_test) in ({"old"}, {"new"})
