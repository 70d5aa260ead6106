"""Measure the two embedded graph engines on the same synthetic graph: LadybugDB vs FalkorDBLite.

FalkorDBLite needs Python ≥ 3.12, so this script runs in its own virtual environment::

    /root/.pyenv/versions/3.12.1/bin/python -m venv /tmp/fdb-venv
    /tmp/fdb-venv/bin/pip install falkordblite ladybug psutil
    /tmp/fdb-venv/bin/python benchmarks/embedded_engines.py --nodes 1000,50000

It imports only ``tsunagari.graph.cypher`` (and the model and vocabulary behind it) from the
checkout, so the load statements are the product's own ``UNWIND $rows AS row MERGE ...``.

Each (engine, size) runs in a child process so that peak memory is its own; for FalkorDBLite the
peak adds the ``redis-server`` child that holds the graph. Measured per run: cold start (open an
empty database), batched load (same Cypher as the stores, 2,000 rows per statement), read-back of
every node and tie of one municipality (the stores' ``read_nodes`` / ``read_ties`` pattern),
reopen of the full database, on-disk size, whether a failing multi-statement transaction rolls
back (atomic load), and peak RSS.

The graph: ``nodes/1000`` municipalities of 1,000 nodes (5 labels: District, Agency, Council,
ResidentGroup, Program) with string, int and string-list properties, and about 1.7 ties per node
of four relationship types.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tsunagari.graph import cypher  # noqa: E402  (the product's Cypher; no networkx needed)

__all__ = ["main"]

LABELS = {  # label → (share of nodes, properties written)
    "District": (0.03, ["uid", "id", "name", "municipality", "population", "layer"]),
    "Agency": (0.55, ["uid", "id", "name", "municipality", "sector", "domains", "count"]),
    "Council": (0.05, ["uid", "id", "name", "municipality", "meetings_per_year"]),
    "ResidentGroup": (0.22, ["uid", "id", "name", "municipality", "type", "count"]),
    "Program": (0.15, ["uid", "id", "name", "municipality", "pillar", "domains"]),
}
TIES = [  # kind, from label, to label, ties per from-node
    ("MEMBER_OF", "Agency", "Council", 1.5),
    ("MEMBER_OF", "ResidentGroup", "Council", 1.0),
    ("SERVES", "ResidentGroup", "District", 1.0),
    ("OPERATES", "Agency", "Program", 0.4),
    ("COLLABORATES_WITH", "Agency", "Agency", 0.5),
]
TIE_PROPS = ["tid", "role", "weight", "municipality"]
BATCH = 2000


def synthetic(municipalities: int, *, seed: int = 0) -> tuple[dict[str, list[dict]], dict[tuple, list[dict]]]:
    """Node rows by label and tie rows by (kind, from, to), ``municipalities`` × 1,000 nodes."""
    rng = random.Random(seed)
    nodes: dict[str, list[dict]] = {label: [] for label in LABELS}
    ties: dict[tuple, list[dict]] = {}
    for m in range(municipalities):
        code = f"{90001 + m}"
        uids: dict[str, list[str]] = {}
        for label, (share, _) in LABELS.items():
            uids[label] = []
            for i in range(round(1000 * share)):
                uid = f"{code}:{label[:3].lower()}{i}"
                uids[label].append(uid)
                row = {"uid": uid, "id": uid.split(":")[1], "name": f"{label}名称{i}", "municipality": code}
                if label == "District":
                    row.update(population=rng.randint(500, 80000), layer="小学校区")
                elif label == "Agency":
                    row.update(sector=rng.choice(["福祉", "教育", "住まい"]), count=rng.randint(1, 5),
                               domains=rng.sample(["高齢", "障がい", "子ども", "生活困窮"], rng.randint(1, 2)))
                elif label == "Council":
                    row.update(meetings_per_year=float(rng.choice([2, 4, 12])))
                elif label == "ResidentGroup":
                    row.update(type="自治会・町会", count=rng.randint(1, 40))
                else:
                    row.update(pillar="包括的相談支援", domains=["高齢"])
                nodes[label].append(row)
        for kind, start, end, per in TIES:
            seen = set()
            for i in range(round(len(uids[start]) * per)):
                a, b = rng.choice(uids[start]), rng.choice(uids[end])
                if a == b or (a, b) in seen:
                    continue
                seen.add((a, b))
                ties.setdefault((kind, start, end), []).append({
                    "from_uid": a, "to_uid": b, "tid": f"{code}:{kind}:{len(seen)}:{start}",
                    "role": "委員" if kind == "MEMBER_OF" else None, "weight": 1.0, "municipality": code})
    return nodes, ties


COMMA_MATCH = False
"""``--comma-match``: find a tie's ends with one comma pattern instead of the product's two MATCH clauses."""


def _tie_statement(kind: str, start: str, end: str) -> str:
    statement = cypher.upsert_ties(kind, start, end, TIE_PROPS)
    if not COMMA_MATCH:
        return statement
    comma = statement.replace(f") MATCH (b:{end} ", f"), (b:{end} ", 1)
    assert comma != statement, "the product's tie statement no longer has two MATCH clauses"
    return comma


def _statements(nodes: dict, ties: dict) -> list[tuple[str, dict]]:
    out = []
    for label, rows in nodes.items():
        for i in range(0, len(rows), BATCH):
            out.append((cypher.upsert_nodes(label, LABELS[label][1]), {"rows": rows[i:i + BATCH]}))
    for (kind, start, end), rows in ties.items():
        for i in range(0, len(rows), BATCH):
            out.append((_tie_statement(kind, start, end), {"rows": rows[i:i + BATCH]}))
    return out


def _read_statements() -> list[str]:
    schemas = {s.label: s for s in cypher.node_schemas()}
    reads = []
    for label, (_, props) in LABELS.items():
        columns = ", ".join(f"n.{p} AS {p}" for p in props)
        reads.append(f"MATCH (n:{label}) WHERE n.municipality = $code RETURN {columns} ORDER BY uid")
    kinds = sorted({kind for kind, *_ in TIES})
    for kind in kinds:
        columns = ", ".join(f"r.{p} AS {p}" for p in TIE_PROPS)
        reads.append(f"MATCH (a)-[r:{kind}]->(b) WHERE r.municipality = $code "
                     f"RETURN a.uid AS from_uid, b.uid AS to_uid, {columns} ORDER BY tid")
    assert set(LABELS) <= set(schemas)
    return reads


class _PeakSampler:
    """Largest RSS sum of this process and its children, sampled every 20 ms (MiB)."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                total = self.process.memory_info().rss + sum(
                    c.memory_info().rss for c in self.process.children(recursive=True))
                self.peak = max(self.peak, total / 2**20)
            except Exception:  # a child may exit between listing and reading
                pass
            time.sleep(0.02)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def _size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


# -- LadybugDB -------------------------------------------------------------------------------


def _ladybug(folder: Path, municipalities: int) -> dict[str, Any]:
    import ladybug

    result: dict[str, Any] = {"engine": f"LadybugDB {ladybug.__version__}" if hasattr(ladybug, "__version__")
                              else "LadybugDB"}
    nodes, ties = synthetic(municipalities)
    start = time.perf_counter()
    db = ladybug.Database(str(folder / "db.lbug"))
    conn = ladybug.Connection(db)
    result["cold_start_s"] = time.perf_counter() - start
    ddl_start = time.perf_counter()
    schemas = {s.label: s for s in cypher.node_schemas()}
    for label, (_, props) in LABELS.items():
        columns = ", ".join(f"{p} {schemas[label].properties[p]}" for p in props)
        conn.execute(f"CREATE NODE TABLE {label}({columns}, PRIMARY KEY(uid))")
    pairs: dict[str, list[str]] = {}
    for kind, a, b, _ in TIES:
        pairs.setdefault(kind, []).append(f"FROM {a} TO {b}")
    for kind, froms in pairs.items():
        conn.execute(f"CREATE REL TABLE {kind}({', '.join(froms)}, tid STRING, role STRING, weight DOUBLE, "
                     "municipality STRING)")
    result["schema_s"] = time.perf_counter() - ddl_start
    statements = _statements(nodes, ties)
    start = time.perf_counter()
    conn.execute("BEGIN TRANSACTION")
    for statement, parameters in statements:
        conn.execute(statement, parameters)
    conn.execute("COMMIT")
    result["load_s"] = time.perf_counter() - start
    result["statements"] = len(statements)
    start = time.perf_counter()
    rows = 0
    for statement in _read_statements():
        rows += len(conn.execute(statement, {"code": "90001"}).get_all())
    result["read_one_municipality_s"] = time.perf_counter() - start
    result["read_rows"] = rows
    # Atomic load: a failing statement inside an explicit transaction, then ROLLBACK.
    conn.execute("BEGIN TRANSACTION")
    conn.execute("CREATE (:Agency {uid: 'rollback-probe', municipality: 'x'})")
    try:
        conn.execute("MATCH (a:Agency {uid: 'rollback-probe'}) CREATE (a)-[:NO_SUCH_REL]->(a)")
    except RuntimeError:
        pass
    try:
        conn.execute("ROLLBACK")
    except RuntimeError:
        pass
    probe = conn.execute("MATCH (a:Agency {uid: 'rollback-probe'}) RETURN count(a)").get_all()[0][0]
    result["rollback_works"] = probe == 0
    conn.close()
    db.close()
    result["disk_mib"] = _size_mib(folder)
    start = time.perf_counter()
    db = ladybug.Database(str(folder / "db.lbug"))
    conn = ladybug.Connection(db)
    conn.execute("MATCH (n:Agency) RETURN count(n)").get_all()
    result["reopen_s"] = time.perf_counter() - start
    conn.close()
    db.close()
    return result


# -- FalkorDBLite ----------------------------------------------------------------------------


def _falkordb(folder: Path, municipalities: int) -> dict[str, Any]:
    from redislite.falkordb_client import FalkorDB

    result: dict[str, Any] = {"engine": "FalkorDBLite"}
    nodes, ties = synthetic(municipalities)
    start = time.perf_counter()
    db = FalkorDB(str(folder / "falkor.rdb"))
    graph = db.select_graph("tsunagari")
    graph.query("RETURN 1")
    result["cold_start_s"] = time.perf_counter() - start
    ddl_start = time.perf_counter()
    for label in LABELS:  # without an index MATCH {uid: ...} scans the label
        graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.uid)")
        graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.municipality)")
    result["schema_s"] = time.perf_counter() - ddl_start
    statements = _statements(nodes, ties)
    start = time.perf_counter()
    for statement, parameters in statements:  # no multi-statement transactions: one query each
        graph.query(statement, parameters)
    result["load_s"] = time.perf_counter() - start
    result["statements"] = len(statements)
    start = time.perf_counter()
    rows = 0
    for statement in _read_statements():
        rows += len(graph.query(statement, {"code": "90001"}).result_set)
    result["read_one_municipality_s"] = time.perf_counter() - start
    result["read_rows"] = rows
    # Atomic load: FalkorDB runs each query atomically but has no BEGIN/ROLLBACK across queries.
    graph.query("CREATE (:Agency {uid: 'rollback-probe', municipality: 'x'})")
    try:
        graph.query("MATCH (a:Agency {uid: 'rollback-probe'}) RETURN a.uid + 1 + [1] + {}")
    except Exception:
        pass
    try:
        db.connection.execute_command("MULTI")  # redis MULTI queues commands; it cannot roll back
        multi = "MULTI/EXEC (no rollback)"
    except Exception as err:
        multi = f"MULTI refused: {type(err).__name__}"
    else:
        db.connection.execute_command("DISCARD")
    probe = graph.query("MATCH (a:Agency {uid: 'rollback-probe'}) RETURN count(a)").result_set[0][0]
    result["rollback_works"] = probe == 0
    result["transaction_note"] = multi
    db.connection.execute_command("SAVE")
    result["disk_mib"] = _size_mib(folder)
    db.close()
    start = time.perf_counter()
    db = FalkorDB(str(folder / "falkor.rdb"))
    db.select_graph("tsunagari").query("MATCH (n:Agency) RETURN count(n)")
    result["reopen_s"] = time.perf_counter() - start
    db.close()
    return result


def _child(engine: str, nodes: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix=f"engines-{engine}-"))
    sampler = _PeakSampler()
    try:
        run = _ladybug if engine == "ladybug" else _falkordb
        result = run(folder, max(1, nodes // 1000))
    except Exception as err:
        result = {"engine": engine, "error": f"{type(err).__name__}: {err}"}
    result["peak_rss_mib"] = sampler.stop()
    result["tie_match"] = "comma" if COMMA_MATCH else "split"
    result["nodes"] = nodes
    shutil.rmtree(folder, ignore_errors=True)
    print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run every (engine, size) in a child process and print a table; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", default="1000,50000", help="comma-separated node counts")
    parser.add_argument("--engines", default="ladybug,falkordb")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--comma-match", action="store_true",
                        help="one comma pattern per tie statement (the product uses two MATCH clauses)")
    parser.add_argument("--child", nargs=2, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    global COMMA_MATCH
    COMMA_MATCH = args.comma_match
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    results = []
    for nodes in [int(n) for n in args.nodes.split(",")]:
        for engine in args.engines.split(","):
            command = [sys.executable, __file__, "--child", engine, str(nodes)]
            out = subprocess.run(command + (["--comma-match"] if COMMA_MATCH else []),
                                 capture_output=True, text=True, check=False)
            line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT ")), None)
            result = json.loads(line[7:]) if line else {"engine": engine, "nodes": nodes, "error": out.stderr[-500:]}
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
    keys = ["cold_start_s", "schema_s", "load_s", "statements", "read_one_municipality_s", "read_rows",
            "reopen_s", "disk_mib", "rollback_works", "peak_rss_mib"]
    print()
    print("| engine | nodes | " + " | ".join(keys) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in keys) + " |")
    for r in results:
        cells = [f"{r[k]:.3f}" if isinstance(r.get(k), float) else str(r.get(k, r.get("error", ""))) for k in keys]
        print(f"| {r['engine']} ({r.get('tie_match', '')}) | {r['nodes']} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
