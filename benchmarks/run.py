"""Scale benchmark: load, read back and analyze 1 to 1,741 synthetic municipalities.

Usage::

    python benchmarks/run.py --sizes 1,10,100 --metrics-max 10
    python benchmarks/run.py --sizes 1741 --nx-max 0 --metrics-max 0 --fast-metrics-max 0
    python benchmarks/run.py --sizes 1,10,100,1741      # everything in one go
    python benchmarks/run.py --sizes 1 --json /tmp/bench.json   # keep the raw figures

Each size runs in its own child process (so peak memory is that size's alone) against a fresh
embedded store in a temporary folder. For every size it prints one row per step: wall seconds,
CPU seconds (less sensitive to other load on a shared machine) and peak resident memory (MiB).

Steps: ``generate`` (synthetic packages, validated; see ``generate.py``), ``load`` (the product path:
``GraphStore.load_packages``, ``--chunk`` packages per transaction; the embedded store writes large
loads with ``COPY``), ``read`` (``GraphStore.read_graphs``: one scan per table; ``--reader
per-municipality``: ``read_graph`` for each), then each analysis step present in
``tsunagari.analysis`` (summary, district inequality, the full metrics table with
``backend="networkx"`` up to ``--metrics-max`` municipalities and the same table with the default
igraph backend up to ``--fast-metrics-max``), and betweenness and closeness of every actor network
by plain networkx (up to ``--nx-max`` municipalities) and by ``tsunagari.analysis.fast_backend``,
with their ratio and largest difference. ``betweenness sampled`` estimates the core city's betweenness from
``--pivots`` seeded pivots and prints its standard error and its true error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_package  # noqa: E402
from measure import directory_mib, measure  # noqa: E402

__all__ = ["main"]


def _row(size: int, step: str, m: Any = None, **notes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"size": size, "step": step}
    if m is not None:
        row.update(wall_s=round(m.wall_s, 3), cpu_s=round(m.cpu_s, 3), peak_mib=round(m.peak_mib, 1))
    row.update(notes)
    return row


def _emit(row: dict[str, Any]) -> None:
    print("ROW " + json.dumps(row, ensure_ascii=False), flush=True)


def _analysis_steps() -> list[tuple[str, Callable[[list, list], Any]]]:
    """(name, fn(graphs, networks)) for each analysis function present in this checkout."""
    steps: list[tuple[str, Callable[[list, list], Any]]] = []
    try:
        from tsunagari.analysis.summary import summarize

        steps.append(("summary", lambda graphs, nets: [summarize(g) for g in graphs]))
    except ImportError:
        pass
    try:
        from tsunagari.analysis.inequality import district_inequality

        steps.append(("district_inequality", lambda graphs, nets: district_inequality(graphs)))
    except ImportError:
        pass
    try:
        from tsunagari.analysis import metrics  # written by the analysis engineer; used if present

        for name in ("compute_metrics", "node_metrics"):
            fn = getattr(metrics, name, None)
            if callable(fn):
                # The networkx implementation, for the comparison with the default igraph backend.
                steps.append((f"metrics.{name}",
                              lambda graphs, nets, fn=fn: [fn(g, backend="networkx") for g in graphs]))
                break
    except ImportError:
        pass
    return steps


def _max_difference(slow: list, fast: list) -> float:
    import numpy as np

    worst = 0.0
    for a, b in zip(slow, fast):
        for column in a.nodes.select_dtypes("number").columns:
            if column.endswith("_rank"):
                continue  # ranks of values equal up to 1e-5 may swap; compared as values instead
            x, y = a.nodes[column].to_numpy(float), b.nodes[column].to_numpy(float)
            both = ~(np.isnan(x) & np.isnan(y))
            if both.any():
                worst = max(worst, float(np.nanmax(np.abs(x[both] - y[both]), initial=0.0)))
    return worst


def _child(size: int, args: argparse.Namespace) -> None:
    import igraph  # noqa: F401  (imported before timing: the first call should not pay for the import)
    import networkx as nx

    from tsunagari.analysis.fast_backend import betweenness, closeness, sampled_betweenness
    from tsunagari.graph.store_embedded import EmbeddedStore

    work = Path(tempfile.mkdtemp(prefix=f"tsunagari-bench-{size}-", dir=args.workdir))
    try:
        store = EmbeddedStore(work / "store")
        generate_s = 0.0
        nodes = ties = 0
        with measure() as m:
            chunk = []
            for index in range(size):
                start = time.perf_counter()
                package = generate_package(index, seed=args.seed)
                generate_s += time.perf_counter() - start
                nodes += len(package.nodes)
                ties += len(package.ties)
                chunk.append(package)
                if len(chunk) == args.chunk or index == size - 1:
                    store.load_packages(chunk, batch_size=args.batch_size)
                    chunk = []
                del package
        load_wall = m.wall_s - generate_s
        _emit(_row(size, "generate", None, wall_s=round(generate_s, 3), nodes=nodes, ties=ties))
        _emit({**_row(size, "load", m), "wall_s": round(load_wall, 3), "cpu_s": None,
               "store_mib": round(directory_mib(work / "store"), 1),
               "loader": f"load_packages × {args.chunk}",
               "note": f"per municipality {load_wall / size:.3f} s; peak includes generate"})
        codes = [info.code for info in store.list_municipalities()]
        with measure() as m:
            if args.reader == "bulk":
                by_code = store.read_graphs()
                graphs = [by_code[code] for code in codes]
                del by_code
            else:
                graphs = [store.read_graph(code) for code in codes]
        _emit(_row(size, "read", m, reader=args.reader, note=f"per municipality {m.wall_s / size:.3f} s"))
        store.close()

        try:
            from tsunagari.analysis.network import actor_network

            with measure() as m:
                networks = [actor_network(g) for g in graphs]
            actors = sum(n.number_of_nodes() for n in networks)
            edges = sum(n.number_of_edges() for n in networks)
            _emit(_row(size, "actor_network", m, actors=actors, actor_edges=edges))
        except ImportError:
            networks = []
        slow_metrics = None
        for name, fn in _analysis_steps():
            if name.startswith("metrics.") and size > args.metrics_max:
                _emit(_row(size, name, None, note=f"skipped above --metrics-max {args.metrics_max}"))
                continue
            try:
                with measure() as m:
                    value = fn(graphs, networks)
                _emit(_row(size, name, m))
                if name == "metrics.compute_metrics":
                    slow_metrics = value
            except Exception as err:  # an analysis module under construction must not stop the run
                _emit(_row(size, name, None, error=f"{type(err).__name__}: {err}"))
        if size <= args.fast_metrics_max:
            try:
                from tsunagari.analysis.metrics import compute_metrics

                with measure() as m:
                    fast_metrics = [compute_metrics(g, backend="igraph") for g in graphs]
                notes = {"max_abs_diff": _max_difference(slow_metrics, fast_metrics)} if slow_metrics else {}
                _emit(_row(size, "metrics.compute_metrics (igraph backend)", m, **notes))
                del fast_metrics
            except ImportError:
                pass
        del slow_metrics

        if networks:
            measures = {
                "betweenness": (lambda n: betweenness(n, weight="distance"),
                                lambda n: nx.betweenness_centrality(n, weight="distance")),
                "closeness": (lambda n: closeness(n, distance="distance"),
                              lambda n: nx.closeness_centrality(n, distance="distance")),
            }
            results = {}
            for measure_name, (fast_fn, slow_fn) in measures.items():
                with measure() as m:
                    fast = [fast_fn(n) for n in networks]
                results[measure_name] = fast
                _emit(_row(size, f"{measure_name} igraph", m, weight="distance"))
                if size <= args.nx_max:
                    with measure() as m:
                        slow = [slow_fn(n) for n in networks]
                    diff = max((abs(f[v] - s[v]) for f, s in zip(fast, slow) for v in s), default=0.0)
                    _emit(_row(size, f"{measure_name} networkx", m, weight="distance", max_abs_diff=diff))
            fast = results["betweenness"]
            city = networks[0]
            k = min(args.pivots, city.number_of_nodes())
            with measure() as m:
                estimate = sampled_betweenness(city, k=k, seed=args.seed, weight="distance")
            error = max(abs(estimate.values[v] - fast[0][v]) for v in city)
            _emit(_row(size, f"betweenness sampled k={k} (city)", m, max_standard_error=estimate.max_standard_error,
                       max_true_error=error, max_value=max(fast[0].values())))
    except Exception:
        _emit({"size": size, "step": "FAILED", "error": traceback.format_exc(limit=3)})
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _format_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| municipalities | step | wall s | CPU s | peak MiB | notes |", "| ---: | --- | ---: | ---: | ---: | --- |"]
    for row in rows:
        notes = ", ".join(f"{k}={_fmt(v)}" for k, v in row.items()
                          if k not in ("size", "step", "wall_s", "cpu_s", "peak_mib") and v is not None)
        lines.append(f"| {row['size']} | {row['step']} | {_fmt(row.get('wall_s'))} | {_fmt(row.get('cpu_s'))} | "
                     f"{_fmt(row.get('peak_mib'))} | {notes} |")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 0.01 and value else f"{value:,.2f}"
    return str(value)


def _ratios(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for size in sorted({r["size"] for r in rows}):
        by = {r["step"]: r for r in rows if r["size"] == size}
        for name in ("betweenness", "closeness"):
            if f"{name} networkx" in by and f"{name} igraph" in by:
                slow, fast = by[f"{name} networkx"], by[f"{name} igraph"]
                out.append(f"{size} municipalities: igraph {name} {slow['wall_s'] / max(fast['wall_s'], 1e-9):.1f}× "
                           f"faster than networkx (wall), {slow['cpu_s'] / max(fast['cpu_s'], 1e-9):.1f}× (CPU); "
                           f"max |difference| {slow['max_abs_diff']:.2g}")
        if "load" in by and "read" in by:
            total = by["load"]["wall_s"] + by["read"]["wall_s"] + sum(
                r.get("wall_s") or 0 for s, r in by.items()
                if s not in ("load", "read", "generate") and not s.endswith("networkx") and not s.startswith("metrics.")
                and not s.startswith("betweenness sampled"))
            out.append(f"{size} municipalities: load + read + summary/inequality + igraph measures = {total:.1f} s wall")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit code (0 ok, 1 if a size failed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1741", help="comma-separated municipality counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nx-max", type=int, default=100, help="largest size at which plain networkx runs")
    parser.add_argument("--metrics-max", type=int, default=100,
                        help="largest size at which the full networkx metrics table runs")
    parser.add_argument("--chunk", type=int, default=100, help="packages per load_packages transaction")
    parser.add_argument("--reader", choices=["bulk", "per-municipality"], default="bulk",
                        help="bulk: GraphStore.read_graphs (one scan per table); per-municipality: read_graph each")
    parser.add_argument("--fast-metrics-max", type=int, default=100,
                        help="largest size at which the metrics table runs with the igraph backend")
    parser.add_argument("--pivots", type=int, default=100, help="pivots of the sampled betweenness")
    parser.add_argument("--batch-size", type=int, default=2000, help="rows per UNWIND statement")
    parser.add_argument("--workdir", default=None, help="folder for the temporary stores")
    parser.add_argument("--json", type=Path, default=None, help="also write every row to this JSON file")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child, args)
        return 0
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"`--sizes` must be comma-separated whole numbers. Got {args.sizes!r}.")
    rows: list[dict[str, Any]] = []
    failed = False
    print(f"# Tsunagari scale benchmark · {os.cpu_count()} CPUs · python {sys.version.split()[0]} · seed {args.seed}"
          f" · load_packages × {args.chunk} · reader {args.reader}")
    for size in sizes:
        command = [sys.executable, __file__, "--child", str(size), "--seed", str(args.seed),
                   "--nx-max", str(args.nx_max), "--metrics-max", str(args.metrics_max), "--fast-metrics-max", str(args.fast_metrics_max), "--pivots", str(args.pivots), "--batch-size", str(args.batch_size)]
        if args.workdir:
            command += ["--workdir", args.workdir]
        command += ["--chunk", str(args.chunk), "--reader", args.reader]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("ROW "):
                row = json.loads(line[4:])
                rows.append(row)
                print(_format_table([row]).splitlines()[-1], flush=True)
        failed |= process.wait() != 0
    print()
    print(_format_table(rows))
    print()
    for line in _ratios(rows):
        print(line)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
