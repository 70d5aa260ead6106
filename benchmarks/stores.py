"""Load and read 1, 10 and 100 synthetic municipalities on the embedded store and on Neo4j, in one run.

    eval "$(scripts/neo4j-test-server start)"        # or any Neo4j 5 in TSUNAGARI_NEO4J_URI / _USER / _PASSWORD
    python benchmarks/stores.py --sizes 1,10,100    # prints a Markdown table (docs/performance.md)
    scripts/neo4j-test-server stop

The packages come from ``benchmarks/generate.py`` (municipality 0 is the 450,000-person core city;
size 10 is a prefix of size 100) and are generated once, before any timing. For each size, each
store starts empty: a new embedded store in a temporary folder; on Neo4j, every node of a
synthetic municipality (codes ``9xxxx``, which no real municipality has) is deleted first, through
the store, so the benchmark can run against a server that holds real data too. Steps, all
through the product's own ``GraphStore`` methods:

* load: ``load_packages`` of all of them in one transaction (as ``tsunagari load A B C ...``);
* reload unchanged: the same call again (every package is skipped: the cost of the check);
* read all: ``read_graphs()`` (one scan per label and tie kind);
* read the city: ``read_graph`` of municipality 0 (what a dashboard page asks for);
* list: ``list_municipalities()``.

Wall seconds (median of ``--repeat`` runs for the reads) and, for Neo4j, how many checked reads
had to be repeated (expected 0: nothing else writes meanwhile).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_package  # noqa: E402

from tsunagari.graph.open import open_store  # noqa: E402
from tsunagari.graph.store import GraphStore  # noqa: E402
from tsunagari.settings import Settings  # noqa: E402

STEPS = ("load", "reload unchanged", "read all", "read the city", "list")


def _clear_synthetic(settings: Settings) -> None:
    """Delete the synthetic municipalities (codes 9xxxx) through the store, so its load log and its
    last-write mark stay true (a delete behind the store's back makes its checked reads wait)."""
    with open_store(settings) as store:
        for info in store.list_municipalities():
            if len(info.code) == 5 and info.code.startswith("9"):
                store.delete_municipality(info.code, by="benchmarks/stores.py")


def _timed(fn: Callable[[], Any], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _measure(store: GraphStore, packages: list, repeat: int) -> dict[str, float]:
    city = packages[0].code
    figures = {"load": _timed(lambda: store.load_packages(packages))}
    figures["reload unchanged"] = _timed(lambda: store.load_packages(packages))
    graphs = store.read_graphs()
    assert len(graphs) == len(packages) and graphs[city].number_of_nodes() == len(packages[0].nodes)
    figures["read all"] = _timed(store.read_graphs, repeat)
    figures["read the city"] = _timed(lambda: store.read_graph(city), repeat)
    figures["list"] = _timed(store.list_municipalities, repeat)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated municipality counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each read (the median is shown)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-neo4j", action="store_true", help="the embedded store only")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    started = time.perf_counter()
    packages = [generate_package(i, seed=args.seed) for i in range(max(sizes))]
    print(f"generated {len(packages)} packages in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    stores: dict[str, Callable[[Path], Settings]] = {"embedded": lambda work: Settings(store_url=f"embedded://{work}")}
    if not args.no_neo4j:
        uri = os.environ.get("TSUNAGARI_NEO4J_URI")
        if not uri:
            parser.error("TSUNAGARI_NEO4J_URI is not set (eval \"$(scripts/neo4j-test-server start)\"), or --no-neo4j")
        stores["neo4j"] = lambda work: Settings.from_env(store_url=uri)

    # Warm-up, timed apart: the first load after a server start pays for planning every statement and
    # for the JVM's compiler (about 18 s on the test server); later loads do not.
    cold: dict[str, float] = {}
    spare = generate_package(max(sizes) + 1, seed=args.seed)
    for kind, make in stores.items():
        work = Path(tempfile.mkdtemp(prefix="tsunagari-stores-warm-"))
        try:
            settings = make(work / "store")
            if kind == "neo4j":
                _clear_synthetic(settings)
            with open_store(settings) as store:
                cold[kind] = _timed(lambda: store.load_packages([spare]))
                store.read_graph(spare.code)
                store.delete_municipality(spare.code, by="benchmarks/stores.py")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print("first load (warm-up, one municipality): " + ", ".join(f"{k} {v:.2f} s" for k, v in cold.items()),
          file=sys.stderr)

    results: dict[tuple[str, int], dict[str, float]] = {}
    counts: dict[int, tuple[int, int]] = {}
    repeated: dict[int, int] = {}
    for size in sizes:
        chosen = packages[:size]
        counts[size] = (sum(len(p.nodes) for p in chosen), sum(len(p.ties) for p in chosen))
        for kind, make in stores.items():
            work = Path(tempfile.mkdtemp(prefix=f"tsunagari-stores-{size}-"))
            try:
                settings = make(work / "store")
                if kind == "neo4j":
                    _clear_synthetic(settings)
                with open_store(settings) as store:
                    results[kind, size] = _measure(store, chosen, args.repeat)
                    if kind == "neo4j":
                        repeated[size] = getattr(store, "reads_repeated", 0)
                if kind == "neo4j":
                    _clear_synthetic(settings)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            print(f"{kind} × {size}: " + ", ".join(f"{k} {v:.2f} s" for k, v in results[kind, size].items()),
                  file=sys.stderr)

    header = "| step | " + " | ".join(f"{kind} × {size}" for size in sizes for kind in stores) + " |"
    print(header)
    print("| --- |" + " ---: |" * (len(sizes) * len(stores)))
    print("| nodes / ties | " + " | ".join(f"{counts[size][0]:,} / {counts[size][1]:,}"
                                         for size in sizes for _ in stores) + " |")
    for step in STEPS:
        print(f"| {step} | " + " | ".join(_format(results[kind, size][step]) for size in sizes for kind in stores) + " |")
    print("\nfirst load after start (warm-up, not in the table): " + ", ".join(f"{k} {v:.2f} s" for k, v in cold.items()))
    if repeated:
        print(f"checked reads repeated on Neo4j: {repeated}")
    return 0


def _format(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 1 else f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
