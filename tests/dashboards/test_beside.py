"""Work in a forked child beside the caller (``Beside``), and the meeting paper built that way.

The paper must be the same, byte for byte, whether its bridging chapter and network measures were
computed in a child or in the calling process: on the four samples, the synthetic 858-actor city,
the hand-built town with its previous year (the change chapter), in both languages, with the
measures given or computed. A child that fails, dies or hangs must leave the caller with the right
answer (or the error the work raises) and no process behind.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

import tsunagari as tg
from tests.conftest import TOWN_FY2023, TOWN_FY2024
from tsunagari.analysis.metrics import compute_metrics
from tsunagari.dashboards import beside
from tsunagari.dashboards.beside import Beside, can_fork
from tsunagari.dashboards.council_report import build_report
from tsunagari.samples import SAMPLES, sample_path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate_package  # noqa: E402

WHEN = datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)
fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@fork_only
def test_the_child_computes_and_the_caller_gets_its_value():
    parent = os.getpid()
    with Beside(lambda: (os.getpid(), [1.5, "北"]), fork=True) as pending:
        assert pending.forked
        pid, value = pending.result()
    assert pid != parent, "the work ran in the caller, not in a child"
    assert value == [1.5, "北"]


def test_without_a_fork_the_work_runs_in_the_caller_when_asked():
    ran = []
    pending = Beside(lambda: ran.append(os.getpid()) or 7, fork=False)
    assert not pending.forked and ran == []  # nothing yet
    assert pending.result() == 7 and ran == [os.getpid()]


@fork_only
def test_an_error_in_the_work_is_raised_by_the_caller_as_it_is():
    def work():
        raise KeyError("北地区")

    with pytest.raises(KeyError, match="北地区"):
        Beside(work, fork=True).result()


@fork_only
def test_a_child_that_dies_leaves_the_caller_with_the_answer():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            os._exit(3)  # the child dies without a result
        return "computed here"

    assert Beside(work, fork=True).result() == "computed here"


@fork_only
def test_a_child_past_its_time_is_stopped_and_the_work_done_here(monkeypatch):
    monkeypatch.setattr(beside, "_CHILD_SECONDS", 0.3)
    parent = os.getpid()
    children = []

    def work():
        if os.getpid() != parent:
            time.sleep(60)
        return "computed here"

    pending = Beside(work, fork=True)
    children.append(pending._pid)
    assert pending.result() == "computed here"
    assert not _alive(children[0]), "the stuck child was left running"


@fork_only
def test_an_error_in_the_caller_stops_the_child():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            time.sleep(60)
        return None

    with pytest.raises(RuntimeError):
        with Beside(work, fork=True) as pending:
            pid = pending._pid
            raise RuntimeError("the caller failed")
    assert not _alive(pid)


def test_no_temporary_folder_or_no_process_to_spare_runs_the_work_here(monkeypatch):
    def refused(*args, **kwargs):
        raise OSError(28, "No space left on device")

    for name, module in (("TemporaryDirectory", beside.tempfile), ("fork", beside.os)):
        with monkeypatch.context() as patch:
            patch.setattr(module, name, refused)
            pending = Beside(lambda: os.getpid(), fork=True)
            assert not pending.forked, name
            assert pending.result() == os.getpid(), name
    assert gc.isenabled() and not gc.get_freeze_count(), "the collector was left frozen"


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert not Beside(lambda: 1).forked
    finally:
        stop.set()
        thread.join()


def _graphs():
    yield "synthetic city", tg.package_graph(generate_package(0))
    for slug in SAMPLES:
        try:
            yield slug, tg.package_graph(tg.read_package(sample_path(slug)))
        except FileNotFoundError:
            continue


@fork_only
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_paper_is_the_same_built_beside_or_in_one_process(lang):
    for name, graph in _graphs():
        alone = build_report(graph, lang=lang, generated=WHEN, parallel=False)
        assert build_report(graph, lang=lang, generated=WHEN, parallel=True) == alone, name
    metrics = compute_metrics(graph)  # the last sample, its measures given (the dashboard's way)
    assert (build_report(graph, lang=lang, generated=WHEN, metrics=metrics, parallel=True)
            == build_report(graph, lang=lang, generated=WHEN, metrics=metrics, parallel=False))


@fork_only
def test_the_paper_with_its_change_chapter_is_the_same_built_beside():
    before, after = (tg.package_graph(tg.read_package(p)) for p in (TOWN_FY2023, TOWN_FY2024))
    alone = build_report(after, generated=WHEN, previous=before, parallel=False)
    assert "5. 前年度からの変化" in alone
    assert build_report(after, generated=WHEN, previous=before, parallel=True) == alone
