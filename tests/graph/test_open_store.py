"""Opening stores by URL; credentials never leak into reprs or error messages."""

from __future__ import annotations

import pytest

from tsunagari.graph.errors import StoreUnavailableError, StoreURLError
from tsunagari.graph.open import open_store
from tsunagari.settings import Settings


def test_unknown_scheme_is_refused_with_the_supported_ones():
    with pytest.raises(StoreURLError, match="embedded:///path or bolt://"):
        open_store(Settings(store_url="ftp://example"))


def test_settings_from_env_reads_store_and_hides_password():
    settings = Settings.from_env({"TSUNAGARI_STORE": "bolt://db:7687", "TSUNAGARI_NEO4J_USER": "neo4j",
                                  "TSUNAGARI_NEO4J_PASSWORD": "s3cr3t-pass", "TSUNAGARI_LANG": "en"})
    assert (settings.store_url, settings.neo4j_user, settings.lang) == ("bolt://db:7687", "neo4j", "en")
    assert "s3cr3t" not in repr(settings)


def test_unreachable_neo4j_error_names_uri_not_password():
    settings = Settings(store_url="bolt://127.0.0.1:1", neo4j_user="neo4j", neo4j_password="s3cr3t-pass")
    with pytest.raises(StoreUnavailableError) as caught:
        open_store(settings)
    assert "127.0.0.1:1" in str(caught.value) and "s3cr3t" not in str(caught.value)
    assert caught.value.__cause__ is None  # the driver's exception (which may echo auth) is not chained


# -- failing fast, never showing a password ----------------------------------------------------------

import contextlib  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from tsunagari.graph.store_neo4j import CONNECT_TIMEOUT  # noqa: E402
from tsunagari.settings import redact_url  # noqa: E402


@contextlib.contextmanager
def listener(reply: bytes | None):
    """A plain TCP server on 127.0.0.1 that accepts and then says nothing (``reply=None``) or ``reply``."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            accepted.append(conn)
            if reply is not None:
                with contextlib.suppress(OSError):
                    conn.recv(64)
                    conn.sendall(reply)
                    conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for conn in accepted:
            conn.close()
        server.close()


def _open_failure(url: str) -> tuple[StoreUnavailableError, float]:
    settings = Settings(store_url=url, neo4j_user="neo4j", neo4j_password="s3cr3t-pass")
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError) as caught:
        open_store(settings)
    return caught.value, time.monotonic() - started


def test_a_port_that_accepts_but_never_answers_fails_within_the_connect_timeout():
    with listener(reply=None) as port:
        error, took = _open_failure(f"bolt://127.0.0.1:{port}")
    assert CONNECT_TIMEOUT - 0.5 <= took < CONNECT_TIMEOUT + 3, took  # the driver's default waited 60 s
    assert f"no Bolt answer within {CONNECT_TIMEOUT:g} s" in error.message("en")
    assert "Neo4j（bolt://127.0.0.1:" in error.message("ja")
    assert "s3cr3t" not in error.message("both") and error.__cause__ is None


def test_a_listener_that_is_not_bolt_fails_at_once():
    with listener(reply=b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n") as port:
        error, took = _open_failure(f"neo4j://127.0.0.1:{port}")
    assert took < CONNECT_TIMEOUT, took
    assert "s3cr3t" not in error.message("both")


def test_nothing_listening_fails_at_once_saying_so():
    with listener(reply=None) as port:
        pass  # closed again: nothing listens on that port now
    error, took = _open_failure(f"bolt://127.0.0.1:{port}")
    assert took < 2 and "connection refused" in error.message("en")


def test_a_password_in_the_url_is_never_shown():
    url = "bolt://neo4j:hunter2-in-url@127.0.0.1:1"
    error, _ = _open_failure(url)
    assert "hunter2" not in error.message("both") and "bolt://neo4j:***@127.0.0.1:1" in error.message("en")
    assert "hunter2" not in repr(Settings(store_url=url)) and "hunter2" not in str(Settings(store_url=url))
    with pytest.raises(StoreURLError) as caught:
        open_store(Settings(store_url="ftp://me:hunter2@example"))
    assert "hunter2" not in caught.value.message("both")
    assert redact_url("neo4j+s://reader@db:7687") == "neo4j+s://reader@db:7687"
    assert redact_url("bolt://u:p%40ss@db") == "bolt://u:***@db"


@pytest.mark.parametrize("url, key", [("embedded:/abc/x", "store.url_embedded_form"),
                                      ("embedded:abc", "store.url_embedded_form")])
def test_malformed_embedded_urls_are_refused_not_guessed(url, key, tmp_path):
    with pytest.raises(StoreURLError) as caught:
        open_store(Settings(store_url=url))
    assert caught.value.key == key
    assert not (tmp_path / "bc").exists()


def test_a_store_path_that_is_a_file_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a store")
    with pytest.raises(StoreURLError, match="is a file"):
        open_store(Settings(store_url=f"embedded://{blocker}"))
