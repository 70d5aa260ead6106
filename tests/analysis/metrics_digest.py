"""Exact digests of a :func:`~tsunagari.analysis.metrics.compute_metrics` result, for the golden test.

Each column of the node and whole-network frames, the index, the annotated network's nodes (with
attribute order), ties and graph attributes is hashed from its exact bits (floats as IEEE bytes,
NaN made canonical; other values by ``repr``, which round-trips floats), so two results have the
same digests exactly when ``pandas.testing.assert_frame_equal(check_exact=True)`` and a node-by-node
comparison would pass (stricter only on the sign of zero). Written with the code before the
metrics speed-ups (``python -m tests.analysis.metrics_digest``) into
``tests/fixtures/metrics_golden/digests.json``.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import sys
from pathlib import Path

import numpy as np
import pandas as pd

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "metrics_golden" / "digests.json"
SAMPLES = ("amagasaki", "ashiya", "hannan", "takashima")
SYNTHETIC = range(30)
LIBRARIES = ("numpy", "scipy", "pandas", "networkx", "igraph")


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def _canonical(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


def series_digest(series: pd.Series) -> str:
    """Digest of a column: its dtype and exact values."""
    head = str(series.dtype).encode()
    values = series.to_numpy()
    if series.dtype.kind == "f":
        bits = np.array(values, dtype="float64")
        bits[np.isnan(bits)] = np.nan  # one NaN bit pattern
        return _hash(head + bits.tobytes())
    if series.dtype.kind in "iub":
        return _hash(head + np.ascontiguousarray(values).tobytes())
    return _hash(head + repr([_canonical(v) for v in series.tolist()]).encode())


def frame_digest(frame: pd.DataFrame) -> dict[str, str]:
    """Column → digest, plus the index and the column order."""
    out = {"__columns__": _hash(repr(list(frame.columns)).encode()),
           "__index__": series_digest(frame.index.to_series())}
    for column in frame.columns:
        out[str(column)] = series_digest(frame[column])
    return out


def network_digest(network) -> dict[str, str]:
    """Digests of the annotated network: nodes with their attributes in order, ties, graph attributes."""
    def record(items):
        return repr([(k, _canonical(v)) for k, v in items]).encode()

    nodes = hashlib.sha256()
    for node, data in network.nodes(data=True):
        nodes.update(repr(node).encode() + record(data.items()))
    edges = hashlib.sha256()
    for u, v, data in network.edges(data=True):
        edges.update(repr((u, v)).encode() + record(data.items()))
    return {"nodes": nodes.hexdigest()[:20], "edges": edges.hexdigest()[:20],
            "graph": _hash(record(network.graph.items()))}


def result_digest(result) -> dict[str, dict[str, str]]:
    """All digests of one ``MetricsResult``."""
    return {"nodes": frame_digest(result.nodes), "graph": frame_digest(result.graph),
            "network": network_digest(result.network)}


def environment() -> dict[str, str]:
    """Python and library versions the digests were made with (floating-point kernels depend on them)."""
    import importlib.metadata

    versions = {name: importlib.metadata.version(name) for name in LIBRARIES}
    versions["python"] = platform.python_version()
    versions["machine"] = platform.machine()
    return versions


def graphs():
    """(name, package graph) of the four samples and synthetic municipalities 0–29."""
    import tsunagari as tg
    from benchmarks.generate import generate_package
    from tsunagari.samples import sample_path

    for name in SAMPLES:
        yield name, tg.package_graph(tg.read_package(str(sample_path(name))))
    for i in SYNTHETIC:
        yield f"synthetic{i}", tg.package_graph(generate_package(i))


def main() -> int:
    from tsunagari.analysis.metrics import compute_metrics

    digests = {name: result_digest(compute_metrics(graph)) for name, graph in graphs()}
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps({"environment": environment(), "results": digests}, indent=0, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(digests)} results)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
