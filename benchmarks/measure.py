"""Time and peak memory of one benchmark step (wall clock, CPU time, peak resident set).

Peak memory uses Linux's ``VmHWM`` (high-water mark of the resident set), reset before each step
by writing ``5`` to ``/proc/self/clear_refs``; where that is not allowed the figure is the
process's peak so far and is flagged ``peak_is_process=True``.
"""

from __future__ import annotations

import contextlib
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Measurement", "measure", "rss_mib", "peak_rss_mib", "directory_mib"]


def _status_mib(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mib() -> float:
    """Current resident set size of this process (MiB)."""
    return _status_mib("VmRSS")


def peak_rss_mib() -> float:
    """Peak resident set size since start or the last reset (MiB)."""
    return _status_mib("VmHWM")


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def directory_mib(path: str | Path) -> float:
    """Total size of the files under ``path`` (MiB)."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


@dataclass
class Measurement:
    """Wall and CPU seconds, and peak RSS (MiB) while the step ran."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_mib: float = 0.0
    peak_is_process: bool = False
    extra: dict = field(default_factory=dict)


@contextlib.contextmanager
def measure() -> Iterator[Measurement]:
    """Measure the ``with`` block.

    Examples
    --------
    >>> with measure() as m:
    ...     _ = sum(range(1000))
    >>> m.wall_s >= 0 and m.peak_mib > 0
    True
    """
    result = Measurement()
    result.peak_is_process = not _reset_peak()
    wall, cpu = time.perf_counter(), _cpu_seconds()
    try:
        yield result
    finally:
        result.wall_s = time.perf_counter() - wall
        result.cpu_s = _cpu_seconds() - cpu
        result.peak_mib = peak_rss_mib()


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have ended (the paper's
    forked child, :mod:`tsunagari.dashboards.beside`, counts as soon as it is collected)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
