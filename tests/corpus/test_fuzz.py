"""The fuzz harness of ``benchmarks/fuzz_loads.py``, 200 seeded cases: every mutated sample package
is either refused with errors naming their file, or accepted and read back from the store unchanged.

The full run (``python benchmarks/fuzz_loads.py --cases 10000``) and its counts are in docs/reliability.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz_loads.py"


def _harness():
    spec = importlib.util.spec_from_file_location("fuzz_loads", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_loads"] = module
    spec.loader.exec_module(module)
    return module


def test_two_hundred_mutated_packages_load_or_are_refused_cleanly(store_url):
    result = _harness().run(200, seed=0, store_url=store_url)
    counts = result["counts"]
    assert result["failures"] == {}
    assert counts.get("crash", 0) == counts.get("roundtrip", 0) == counts.get("skipped", 0) == 0
    # The mutations are neither all harmless nor all fatal: both outcomes are exercised.
    assert counts["refused"] > 50 and counts["accepted"] > 20


def test_a_case_is_the_same_for_the_same_seed(tmp_path):
    harness = _harness()
    first, log_first = harness.build_case(7, tmp_path / "a")
    second, log_second = harness.build_case(7, tmp_path / "b")
    assert log_first == log_second
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*")) if first.is_dir() else [first.name]
    assert files == (sorted(p.relative_to(second).as_posix() for p in second.rglob("*")) if second.is_dir()
                     else [second.name])
