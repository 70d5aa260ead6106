"""Typed settings built from the environment and passed explicitly (never mutable globals).

A Streamlit server shares one process between users, so nothing here is module state.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

__all__ = ["Settings", "default_store_url"]


def default_store_url() -> str:
    """``embedded://`` URL of the default store folder under the user data dir."""
    return f"embedded://{Path(platformdirs.user_data_dir('tsunagari')) / 'store'}"


@dataclass(frozen=True)
class Settings:
    """Where the store is and how to log in to it.

    Attributes
    ----------
    store_url
        ``embedded:///path/to/dir`` (default: under the user data dir) or ``bolt://host:7687`` /
        ``neo4j://...``. From ``TSUNAGARI_STORE``.
    neo4j_user, neo4j_password
        From ``TSUNAGARI_NEO4J_USER`` / ``TSUNAGARI_NEO4J_PASSWORD``; never printed.
    neo4j_database
        From ``TSUNAGARI_NEO4J_DATABASE`` (default: the server's default database).
    lang
        UI and message language, ``"ja"`` (default) or ``"en"``, from ``TSUNAGARI_LANG``.
    """

    store_url: str = field(default_factory=default_store_url)
    neo4j_user: str | None = field(default=None, repr=False)
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    lang: str = "ja"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, *, store_url: str | None = None) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); ``store_url`` overrides ``TSUNAGARI_STORE``."""
        env = os.environ if environ is None else environ
        lang = env.get("TSUNAGARI_LANG", "ja")
        return cls(
            store_url=store_url or env.get("TSUNAGARI_STORE") or default_store_url(),
            neo4j_user=env.get("TSUNAGARI_NEO4J_USER"),
            neo4j_password=env.get("TSUNAGARI_NEO4J_PASSWORD"),
            neo4j_database=env.get("TSUNAGARI_NEO4J_DATABASE") or None,
            lang=lang if lang in ("ja", "en") else "ja",
        )
