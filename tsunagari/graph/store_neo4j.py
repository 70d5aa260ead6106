"""Neo4j graph store over Bolt, with the official ``neo4j`` driver (for shared deployments).

Runs the same Cypher as the embedded store (:mod:`tsunagari.graph.cypher`). Credentials come
from the settings (or the URL's ``user:password@``) and never appear in messages, logs or ``repr``:
the URL is shown with its password replaced by ``***``.

What a real server showed (``tests/graph/test_store.py`` against Neo4j 5.26, docs/reliability.md):

* Neo4j is read-committed: every statement of a read transaction, even every row, may see a load
  committed meanwhile, and a large commit becomes visible piece by piece. So this store stamps
  every node and tie with its load's content hash and re-reads until a municipality's rows are
  exactly one load (:attr:`CypherStore.checks_reads`).
* Two concurrent loads of one municipality interleave (each deletes what the other has not yet
  committed) unless writers take turns: every write takes the store's write lock first.
* A listener that accepts TCP but never answers the Bolt handshake held the driver for its default
  60 s; connections now time out after :data:`CONNECT_TIMEOUT` seconds.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from tsunagari.graph import cypher
from tsunagari.graph.errors import StoreError, StoreUnavailableError
from tsunagari.graph.store import BATCH_SIZE, CypherStore, StatementRunner
from tsunagari.settings import redact_url

__all__ = ["Neo4jStore", "schema_statements", "CONNECT_TIMEOUT"]

CONNECT_TIMEOUT = 5.0
"""Seconds to open a TCP connection and finish the Bolt handshake (the driver's default waits 30-60 s)."""

MAX_CONNECTION_LIFETIME = 15 * 60
"""Seconds a pooled connection is reused: shorter than the idle timeouts of most firewalls and proxies."""

LIVENESS_CHECK = 60.0
"""A pooled connection idle for longer than this is checked before use (the dashboard idles for hours)."""

_log = logging.getLogger(__name__)


def schema_statements() -> list[str]:
    """Every constraint and index the store creates (all ``IF NOT EXISTS``), named ``tsunagari_*``."""
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
    statements.append(
        f"CREATE CONSTRAINT tsunagari_{cypher.STORE_LABEL.lower()}_id IF NOT EXISTS "
        f"FOR (s:{cypher.STORE_LABEL}) REQUIRE s.id IS UNIQUE")
    statements.append("CREATE CONSTRAINT tsunagari_loadlog_uid IF NOT EXISTS FOR (l:LoadLog) REQUIRE l.uid IS UNIQUE")
    statements.append("CREATE INDEX tsunagari_loadlog_code IF NOT EXISTS FOR (l:LoadLog) ON (l.code)")
    return statements


def _split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """``uri`` without ``user:password@``, and that user and password (``None`` when absent)."""
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return bare, unquote(parts.username) if parts.username else None, unquote(parts.password) if parts.password else None


class Neo4jStore(CypherStore):
    """A Neo4j 5 database reached over Bolt at ``uri``.

    One driver per store; its pool serves every thread (the dashboard shares one store between its
    sessions). ``read_only`` opens run no schema statements and refuse writes, and every read runs
    in a read-access session (on a cluster: routed to a follower or read replica).
    """

    checks_reads = True
    resolve_attempts = 3

    def __init__(self, uri: str, *, user: str | None, password: str | None, database: str | None = None,
                 batch_size: int = BATCH_SIZE, read_only: bool = False,
                 connect_timeout: float = CONNECT_TIMEOUT) -> None:
        import neo4j

        bare, url_user, url_password = _split_credentials(uri)
        user, password = user or url_user, password or url_password
        self.url = redact_url(uri)
        self.batch_size = batch_size
        self.database = database
        self.read_only = read_only
        self._driver = None
        auth = (user, password or "") if user else None
        try:
            self._driver = neo4j.GraphDatabase.driver(
                bare, auth=auth,
                connection_timeout=connect_timeout,
                # The driver's Bolt handshake runs under the acquisition deadline: this is what makes a
                # port that accepts but never answers fail after connect_timeout (it took 60 s).
                connection_acquisition_timeout=connect_timeout,
                max_connection_lifetime=MAX_CONNECTION_LIFETIME,
                liveness_check_timeout=LIVENESS_CHECK,
                # Reads name every property of the model; absent ones are normal, not worth a warning each.
                notifications_disabled_classifications=["UNRECOGNIZED"],
            )
            self._driver.verify_connectivity()
            if not read_only:
                self._create_schema()
        except Exception as err:  # the driver raises many kinds; all mean "cannot use this server"
            if self._driver is not None:
                self._driver.close()
            # The message names the URL without its password; the driver's exception (which may echo
            # the auth it was given) is not chained.
            raise StoreUnavailableError("store.neo4j_unreachable", uri=self.url,
                                        detail=_describe(err, connect_timeout)) from None

    def __repr__(self) -> str:
        return f"Neo4jStore({self.url!r}{', read_only=True' if self.read_only else ''})"

    def _create_schema(self) -> None:
        """Create the missing constraints and indexes; another process creating them too is no error."""
        import neo4j.exceptions

        assert self._driver is not None
        present: set[str] = set()
        for kind in ("CONSTRAINTS", "INDEXES"):
            records, _, _ = self._driver.execute_query(f"SHOW {kind} YIELD name RETURN name", database_=self.database)
            present.update(record["name"] for record in records)
        for statement in schema_statements():
            if statement.split()[2] in present:
                continue
            try:
                self._driver.execute_query(statement, database_=self.database)
            except neo4j.exceptions.ClientError as err:
                if "AlreadyExists" not in (err.code or ""):  # a concurrent open created it first
                    raise

    def _retryable(self, error: BaseException) -> bool:
        # The driver's own judgement: transient errors (a deadlock, a cluster leader switch), lost sessions.
        is_retryable = getattr(error, "is_retryable", None)
        return bool(is_retryable()) if callable(is_retryable) else False

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[StatementRunner]:
        if self.read_only:
            raise StoreError("store.read_only", url=self.url)
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
        """Close the driver (and its pooled connections)."""
        if self._driver is not None:
            self._driver.close()
            self._driver = None


def _describe(err: Exception, timeout: float) -> str:
    """A short reason for ``err`` that carries no credentials (the driver's own text is not shown)."""
    import neo4j.exceptions

    text = str(err).lower()
    if isinstance(err, neo4j.exceptions.AuthError):
        return "authentication failed (AuthError)"
    if "handshake" in text and ("deadline" in text or "timed out" in text or "timeout" in text):
        return f"no Bolt answer within {timeout:g} s: is this the Bolt port of a Neo4j server? (ServiceUnavailable)"
    if "handshake" in text:
        return f"not a Bolt server ({type(err).__name__})"
    if "refused" in text:
        return "connection refused (ServiceUnavailable)"
    if "timed out" in text:
        return f"no connection within {timeout:g} s (ServiceUnavailable)"
    code = getattr(err, "code", None)
    return f"{type(err).__name__} ({code})" if code else type(err).__name__
