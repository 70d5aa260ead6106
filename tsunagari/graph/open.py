"""Open the graph store named by a URL: ``embedded://PATH`` or ``bolt://`` / ``neo4j://`` (and ``+s`` / ``+ssc``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from tsunagari.graph.errors import StoreURLError
from tsunagari.graph.store import GraphStore
from tsunagari.settings import Settings

__all__ = ["open_store", "LOCK_WAIT_SECONDS"]

_NEO4J_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

LOCK_WAIT_SECONDS = 5.0
"""How long an embedded store waits for another process (e.g. the dashboard) to release it."""


def open_store(settings: Settings | None = None, *, read_only: bool = False,
               wait_seconds: float = LOCK_WAIT_SECONDS) -> GraphStore:
    """The store at ``settings.store_url`` (default: settings from the environment).

    An embedded store held by another process is retried for ``wait_seconds`` before giving up.

    Raises
    ------
    StoreURLError
        If the URL scheme is not ``embedded``, ``bolt`` or ``neo4j``.
    StoreUnavailableError
        If the store cannot be opened (for an embedded store: still locked after ``wait_seconds``).
    """
    settings = settings or Settings.from_env()
    url = settings.store_url
    scheme = urlsplit(url).scheme.lower()
    if scheme == "embedded":
        from tsunagari.graph.store_embedded import EmbeddedStore

        path = url[len("embedded://"):]
        if not path:
            raise StoreURLError("`embedded://` needs a folder, e.g. `embedded:///home/me/tsunagari`.")
        return EmbeddedStore(path, read_only=read_only, wait_seconds=wait_seconds)
    if scheme in _NEO4J_SCHEMES:
        from tsunagari.graph.store_neo4j import Neo4jStore

        return Neo4jStore(url, user=settings.neo4j_user, password=settings.neo4j_password,
                          database=settings.neo4j_database)
    raise StoreURLError(
        f"ストアURL `{url}` は使えません。embedded:///フォルダ か bolt://ホスト:7687 を指定してください。/ "
        f"Unsupported store URL `{url}`: use embedded:///path or bolt://host:7687 (or neo4j://).")
