"""The Neo4j server of the ``neo4j`` tests: its settings, the marks that skip without it, and a wipe.

The server is the one named by ``TSUNAGARI_NEO4J_URI`` (with ``TSUNAGARI_NEO4J_USER`` /
``TSUNAGARI_NEO4J_PASSWORD``), e.g. from ``eval "$(scripts/neo4j-test-server start)"``. The tests
delete everything in its database before each test, so it must be a throwaway server: a server
that is not on this machine (127.0.0.1, ::1, localhost) is only wiped when
``TSUNAGARI_NEO4J_TEST_WIPE=1`` says so; otherwise the tests skip.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tsunagari.settings import Settings

__all__ = ["NEO4J_URI", "SKIP_REASON", "neo4j_marks", "neo4j_param", "neo4j_settings", "wipe_neo4j",
           "neo4j_driver"]

NEO4J_URI = os.environ.get("TSUNAGARI_NEO4J_URI")
SKIP_REASON = ("TSUNAGARI_NEO4J_URI is not set: start a test server with "
               "`eval \"$(scripts/neo4j-test-server start)\"` to run the Neo4j tests")
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}

neo4j_marks = (pytest.mark.neo4j, pytest.mark.skipif(not NEO4J_URI, reason=SKIP_REASON))
"""Marks of every test that needs the server: ``pytestmark = [*neo4j_marks]``."""


def neo4j_param(value: object = "neo4j", id: str = "neo4j"):  # noqa: A002 (pytest's own word)
    """A ``pytest.param`` carrying the ``neo4j`` marker, skipped when no server is configured."""
    return pytest.param(value, id=id, marks=list(neo4j_marks))


def neo4j_settings(**overrides) -> Settings:
    """The settings of the test server (from the environment)."""
    assert NEO4J_URI, SKIP_REASON
    settings = Settings.from_env(store_url=NEO4J_URI)
    if overrides:
        from dataclasses import replace

        settings = replace(settings, **overrides)
    return settings


def neo4j_driver():
    """A driver of its own on the test server (for statements the store does not run)."""
    import neo4j

    settings = neo4j_settings()
    return neo4j.GraphDatabase.driver(NEO4J_URI, auth=(settings.neo4j_user, settings.neo4j_password),
                                      connection_timeout=5)


def wipe_neo4j(*, schema: bool = False) -> None:
    """Delete every node of the test server's database (and with ``schema``, every constraint and index).

    Only ever the server of ``TSUNAGARI_NEO4J_URI``; a server on another machine only with
    ``TSUNAGARI_NEO4J_TEST_WIPE=1`` (else the test is skipped).
    """
    host = urlsplit(NEO4J_URI or "").hostname or ""
    if host not in _LOOPBACK and os.environ.get("TSUNAGARI_NEO4J_TEST_WIPE") != "1":
        pytest.skip(f"the Neo4j tests empty the database; {host} is not this machine "
                    "(set TSUNAGARI_NEO4J_TEST_WIPE=1 if it is a throwaway server)")
    database = neo4j_settings().neo4j_database
    with neo4j_driver() as driver:
        with driver.session(database=database) as session:  # IN TRANSACTIONS needs an auto-commit one
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        if schema:
            for kind in ("CONSTRAINTS", "INDEXES"):
                records, _, _ = driver.execute_query(f"SHOW {kind} YIELD name, type RETURN name, type",
                                                     database_=database)
                for record in records:
                    if record["type"] == "LOOKUP":  # the built-in label and type lookups stay
                        continue
                    word = "CONSTRAINT" if kind == "CONSTRAINTS" else "INDEX"
                    driver.execute_query(f"DROP {word} `{record['name']}` IF EXISTS", database_=database)
