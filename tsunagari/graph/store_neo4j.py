"""Neo4j graph store over Bolt, with the official ``neo4j`` driver (for shared deployments).

Runs the same Cypher as the embedded store (:mod:`tsunagari.graph.cypher`). Credentials come
from the settings and never appear in messages, logs or ``repr``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from tsunagari.graph import cypher
from tsunagari.graph.errors import StoreUnavailableError
from tsunagari.graph.store import BATCH_SIZE, CypherStore, StatementRunner

__all__ = ["Neo4jStore"]


def _schema_statements() -> list[str]:
    statements = []
    for schema in cypher.node_schemas():
        statements.append(
            f"CREATE CONSTRAINT tsunagari_{schema.label.lower()}_uid IF NOT EXISTS "
            f"FOR (n:{schema.label}) REQUIRE n.uid IS UNIQUE")
        statements.append(
            f"CREATE INDEX tsunagari_{schema.label.lower()}_municipality IF NOT EXISTS "
            f"FOR (n:{schema.label}) ON (n.municipality)")
    for tie_schema in cypher.tie_schemas():
        statements.append(
            f"CREATE INDEX tsunagari_{tie_schema.kind.lower()}_municipality IF NOT EXISTS "
            f"FOR ()-[r:{tie_schema.kind}]-() ON (r.municipality)")
    return statements


class Neo4jStore(CypherStore):
    """A Neo4j 5 database reached over Bolt at ``uri``."""

    def __init__(self, uri: str, *, user: str | None, password: str | None, database: str | None = None,
                 batch_size: int = BATCH_SIZE) -> None:
        import neo4j

        self.url = uri
        self.batch_size = batch_size
        self.database = database
        auth = (user, password) if user else None
        self._driver = None
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth)  # type: ignore[arg-type]
            self._driver.verify_connectivity()
        except Exception as err:  # the driver raises many kinds; all mean "cannot use this server"
            if self._driver is not None:
                self._driver.close()
            # The message names the URI only: credentials never leave this constructor.
            raise StoreUnavailableError("store.neo4j_unreachable", uri=uri, detail=type(err).__name__) from None
        for statement in _schema_statements():
            self._driver.execute_query(statement, database_=self.database)

    def __repr__(self) -> str:
        return f"Neo4jStore({self.url!r})"

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[StatementRunner]:
        with self._driver.session(database=self.database) as session:  # type: ignore[union-attr]
            with session.begin_transaction() as tx:
                def run(statement: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
                    return [record.data() for record in tx.run(statement, parameters or {})]

                yield run
                tx.commit()

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[StatementRunner]:
        import neo4j

        with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:  # type: ignore[union-attr]
            with session.begin_transaction() as tx:
                yield lambda statement, parameters=None: [r.data() for r in tx.run(statement, parameters or {})]

    def close(self) -> None:
        """Close the driver."""
        if self._driver is not None:
            self._driver.close()
