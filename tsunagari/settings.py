"""Typed settings, built once at the edges (CLI main, app start) and passed down explicitly.

A Streamlit server shares one process between users, so nothing here is module state. The
library never reads the environment itself: only :meth:`Settings.from_env` does, and only the
front ends call it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import platformdirs

__all__ = ["Settings", "default_store_url", "redact_url"]


def redact_url(url: str) -> str:
    """``url`` with the password of a ``user:password@`` part replaced by ``***`` (for messages and reprs).

    Examples
    --------
    >>> redact_url("bolt://neo4j:s3cret@db.example:7687")
    'bolt://neo4j:***@db.example:7687'
    >>> redact_url("embedded:///srv/tsunagari")
    'embedded:///srv/tsunagari'
    """
    try:
        parts = urlsplit(url)
        if "@" not in parts.netloc:
            return url
        userinfo, _, host = parts.netloc.rpartition("@")
        user, has_password, _ = userinfo.partition(":")
        netloc = f"{user}{':***' if has_password else ''}@{host}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:  # not a URL we can take apart: show none of it
        return "***"


def default_store_url() -> str:
    """``embedded://`` URL of the default store folder under the user data dir."""
    return f"embedded://{Path(platformdirs.user_data_dir('tsunagari')) / 'store'}"


@dataclass(frozen=True)
class Settings:
    """Where the store is, how to log in to it, and the knobs of loading, analysis and maps.

    Attributes
    ----------
    store_url
        ``embedded:///path/to/dir`` (default: under the user data dir), ``bolt://host:7687`` /
        ``neo4j://...``, or ``memory://``. From ``TSUNAGARI_STORE``.
    neo4j_user, neo4j_password
        From ``TSUNAGARI_NEO4J_USER`` / ``TSUNAGARI_NEO4J_PASSWORD``; never printed.
    neo4j_writer_user, neo4j_writer_password
        From ``TSUNAGARI_NEO4J_WRITER_USER`` / ``TSUNAGARI_NEO4J_WRITER_PASSWORD``: the database user
        the dashboard writes as when an editor uploads or deletes (default: the one above). The
        dashboard then reads as ``neo4j_user``, which can be a read-only user (``docs/deployment.md``).
    neo4j_database
        From ``TSUNAGARI_NEO4J_DATABASE`` (default: the server's default database).
    lang
        UI and message language, ``"ja"`` (default), ``"en"`` or ``"both"``, from ``TSUNAGARI_LANG``.
    batch_size
        Rows per ``UNWIND`` statement when writing (2,000).
    bulk_threshold
        Records per load from which the embedded store writes with ``COPY`` (1,000).
    lock_wait_seconds
        How long an embedded store held by another process is retried before giving up (5 s).
    sample_threshold
        Actors in one connected component from which betweenness is estimated from sampled pivots
        (5,000; a merged graph of municipalities stays exact).
    max_map_nodes
        Most nodes a network map draws (1,500; vis-network stays fluid up to about this many).
    layout_seed
        Seed of the map layout (0), so positions are the same on every run.
    cache_dir
        Where the dashboard keeps results per content hash when the store is Neo4j (default: the
        user cache dir), from ``TSUNAGARI_CACHE_DIR``; an embedded store keeps them in a folder
        beside itself (``tsunagari.dashboards.result_cache``).
    """

    store_url: str = field(default_factory=default_store_url)
    neo4j_user: str | None = field(default=None, repr=False)
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_writer_user: str | None = field(default=None, repr=False)
    neo4j_writer_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    lang: str = "ja"
    batch_size: int = 2000
    bulk_threshold: int = 1_000
    lock_wait_seconds: float = 5.0
    sample_threshold: int = 5_000
    max_map_nodes: int = 1500
    layout_seed: int = 0
    cache_dir: str | None = None

    def as_writer(self) -> Settings:
        """These settings with the writer's database credentials, when there are any (else unchanged)."""
        if not self.neo4j_writer_user:
            return self
        return replace(self, neo4j_user=self.neo4j_writer_user, neo4j_password=self.neo4j_writer_password)

    def __repr__(self) -> str:
        # the store URL without a password it may carry; the credentials fields not at all (repr=False)
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.repr}
        values["store_url"] = redact_url(self.store_url)
        shown = [f"{name}={value!r}" for name, value in values.items()]
        return f"Settings({', '.join(shown)})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, store_url: str | None = None,
                 lang: str | None = None) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); ``store_url`` and ``lang`` override it."""
        env = os.environ if environ is None else environ
        chosen = lang or env.get("TSUNAGARI_LANG", "ja")
        return cls(
            store_url=store_url or env.get("TSUNAGARI_STORE") or default_store_url(),
            neo4j_user=env.get("TSUNAGARI_NEO4J_USER"),
            neo4j_password=env.get("TSUNAGARI_NEO4J_PASSWORD"),
            neo4j_writer_user=env.get("TSUNAGARI_NEO4J_WRITER_USER") or None,
            neo4j_writer_password=env.get("TSUNAGARI_NEO4J_WRITER_PASSWORD") or None,
            neo4j_database=env.get("TSUNAGARI_NEO4J_DATABASE") or None,
            lang=chosen if chosen in ("ja", "en", "both") else "ja",
            cache_dir=env.get("TSUNAGARI_CACHE_DIR") or None,
        )
