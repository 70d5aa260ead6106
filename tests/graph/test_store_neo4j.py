"""Neo4j only: the constraints and indexes the store creates, read-only opens, credentials in the URL.

Against the real server of ``TSUNAGARI_NEO4J_URI`` (``scripts/neo4j-test-server``); every test
starts from an empty database. What both stores promise is in ``test_store.py``.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.neo4j_support import neo4j_driver, neo4j_marks, neo4j_settings, wipe_neo4j
from tsunagari.graph import cypher
from tsunagari.graph.errors import StoreError
from tsunagari.graph.open import open_store
from tsunagari.graph.store_neo4j import schema_statements
from tsunagari.loaders.validate import read_package
from tsunagari.settings import Settings

pytestmark = [*neo4j_marks]


@pytest.fixture
def empty_server():
    """The test server with no data, no constraints and no indexes (but the built-in lookups)."""
    wipe_neo4j(schema=True)
    yield
    wipe_neo4j()


def _schema() -> tuple[dict[str, dict], dict[str, dict]]:
    with neo4j_driver() as driver:
        constraints, _, _ = driver.execute_query(
            "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN *")
        indexes, _, _ = driver.execute_query(
            "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state, owningConstraint RETURN *")
    return {r["name"]: r.data() for r in constraints}, {r["name"]: r.data() for r in indexes}


def test_opening_creates_every_constraint_and_index(empty_server):
    assert _schema()[0] == {}
    with open_store(neo4j_settings()):
        pass
    constraints, indexes = _schema()
    labels = [s.label for s in cypher.node_schemas()]
    assert {name: (c["type"], c["labelsOrTypes"], c["properties"]) for name, c in constraints.items()} == {
        **{f"tsunagari_{label.lower()}_uid": ("UNIQUENESS", [label], ["uid"]) for label in labels},
        "tsunagari_tsunagaristore_id": ("UNIQUENESS", ["TsunagariStore"], ["id"]),
        "tsunagari_loadlog_uid": ("UNIQUENESS", ["LoadLog"], ["uid"]),
    }
    ours = {name: i for name, i in indexes.items() if name.startswith("tsunagari_")}
    assert all(i["state"] == "ONLINE" and i["type"] == "RANGE" for i in ours.values()), ours
    for label in labels:
        assert ours[f"tsunagari_{label.lower()}_municipality"]["properties"] == ["municipality"]
        assert ours[f"tsunagari_{label.lower()}_uid"]["owningConstraint"] == f"tsunagari_{label.lower()}_uid"
    for tie in cypher.tie_schemas():
        index = ours[f"tsunagari_{tie.kind.lower()}_municipality"]
        assert (index["entityType"], index["labelsOrTypes"], index["properties"]) == (
            "RELATIONSHIP", [tie.kind], ["municipality"])
    assert ours["tsunagari_loadlog_code"]["properties"] == ["code"]
    assert len(ours) == len(schema_statements())


def test_opening_again_and_concurrently_is_no_error(empty_server):
    failures: list[BaseException] = []

    def open_close():
        try:
            open_store(neo4j_settings()).close()
        except BaseException as err:  # noqa: BLE001 (reported below)
            failures.append(err)

    threads = [threading.Thread(target=open_close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    before = _schema()
    open_store(neo4j_settings()).close()
    assert _schema()[0] == before[0]


def test_the_uniqueness_constraint_holds(empty_server):
    import neo4j.exceptions

    open_store(neo4j_settings()).close()
    with neo4j_driver() as driver:
        driver.execute_query("CREATE (:Agency {uid: '99999:x', municipality: '99999'})")
        with pytest.raises(neo4j.exceptions.ConstraintError):
            driver.execute_query("CREATE (:Agency {uid: '99999:x', municipality: '99999'})")


def test_a_read_only_open_creates_nothing_and_refuses_to_write(empty_server, mini_path):
    with open_store(neo4j_settings(), read_only=True) as store:
        assert store.list_municipalities() == []
        with pytest.raises(StoreError, match="read-only"):
            store.load_package(read_package(mini_path))
        assert "read_only=True" in repr(store)
    assert _schema()[0] == {}


def test_credentials_in_the_url_are_used_and_never_shown(mini_path):
    wipe_neo4j()
    settings = neo4j_settings()
    parts = urlsplit(settings.store_url)
    url = urlunsplit((parts.scheme, f"{settings.neo4j_user}:{settings.neo4j_password}@{parts.netloc}",
                      parts.path, "", ""))
    with_url = Settings(store_url=url)  # no TSUNAGARI_NEO4J_USER / _PASSWORD: only the URL has them
    assert settings.neo4j_password not in repr(with_url)
    with open_store(with_url) as store:
        store.load_package(read_package(mini_path))
        assert settings.neo4j_password not in repr(store) and settings.neo4j_password not in store.url
        assert store.url == f"{parts.scheme}://{settings.neo4j_user}:***@{parts.netloc}"
        assert [m.code for m in store.list_municipalities()] == ["99999"]
    wipe_neo4j()


def test_data_deleted_behind_the_stores_back_is_read_as_gone_once_the_last_write_settled(mini_path, monkeypatch):
    """An administrator deletes a municipality with Cypher: the store's last-write mark still names it.
    Until the mark is MARK_SETTLED_MS old that looks like a load being applied (reads repeat, then give
    up with a clear message); after that, the municipality is simply gone."""
    import time

    from tsunagari.graph import store as store_module

    wipe_neo4j()
    with open_store(neo4j_settings()) as store:
        store.load_package(read_package(mini_path))
        with neo4j_driver() as driver:
            driver.execute_query("MATCH (n) WHERE n.municipality = '99999' DETACH DELETE n")
        store.read_attempts = 2
        with pytest.raises(StoreError, match="consistent"):
            store.list_municipalities()
        monkeypatch.setattr(store_module, "MARK_SETTLED_MS", 300)
        time.sleep(0.5)
        assert store.list_municipalities() == []
    wipe_neo4j()


def test_reads_run_in_read_access_sessions_that_the_server_refuses_to_write_in(mini_path):
    """On Community too (no roles there): a write inside the store's read transaction is refused by the server."""
    import neo4j.exceptions

    wipe_neo4j()
    with open_store(neo4j_settings(), read_only=True) as store:
        with pytest.raises(neo4j.exceptions.ClientError) as caught:
            with store._snapshot() as run:
                run("CREATE (:Agency {uid: 'x', municipality: '99999'})")
        assert caught.value.code == "Neo.ClientError.Statement.AccessMode"
        assert store.list_municipalities() == []
