"""Open the graph store named by a URL: ``embedded://PATH``, ``bolt://`` / ``neo4j://`` (and ``+s`` / ``+ssc``), ``memory://``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tsunagari.graph.errors import StoreURLError
from tsunagari.graph.store import GraphStore
from tsunagari.settings import Settings, redact_url

__all__ = ["open_store"]

_NEO4J_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


def open_store(settings: Settings, *, read_only: bool = False, wait_seconds: float | None = None) -> GraphStore:
    """The store at ``settings.store_url``.

    ``read_only`` opens a store without write access and without schema statements (for commands
    and pages that only read; on Neo4j, reads then run in read-access sessions). An embedded store held by another process is retried for
    ``wait_seconds`` (default ``settings.lock_wait_seconds``) before giving up.

    Raises
    ------
    StoreURLError
        If the URL scheme is not ``embedded``, ``bolt``, ``neo4j`` or ``memory``.
    StoreUnavailableError
        If the store cannot be opened (for an embedded store: still locked after ``wait_seconds``).
    """
    url = settings.store_url
    scheme = urlsplit(url).scheme.lower()
    wait = settings.lock_wait_seconds if wait_seconds is None else wait_seconds
    if scheme == "embedded":
        from tsunagari.graph.store_embedded import DATABASE_FILE, EmbeddedStore

        if not url.lower().startswith("embedded://"):  # `embedded:/x` would silently lose characters
            raise StoreURLError("store.url_embedded_form", url=url)
        path = url[len("embedded://"):]
        if not path:
            raise StoreURLError("store.url_no_folder")
        folder = Path(path).expanduser()
        if folder.exists() and not folder.is_dir():
            raise StoreURLError("store.path_not_folder", path=str(folder))
        if read_only and not (Path(path).expanduser() / DATABASE_FILE).exists():
            # Nothing loaded yet: an empty store, without creating the folder (reading has no side effects).
            from tsunagari.graph.store_memory import MemoryStore

            return MemoryStore(url=url)
        return EmbeddedStore(path, read_only=read_only, wait_seconds=wait, batch_size=settings.batch_size,
                             bulk_threshold=settings.bulk_threshold)
    if scheme in _NEO4J_SCHEMES:
        from tsunagari.graph.store_neo4j import Neo4jStore

        return Neo4jStore(url, user=settings.neo4j_user, password=settings.neo4j_password,
                          database=settings.neo4j_database, batch_size=settings.batch_size, read_only=read_only)
    if scheme == "memory":
        from tsunagari.graph.store_memory import MemoryStore

        return MemoryStore()
    raise StoreURLError("store.url_unsupported", url=redact_url(url))
