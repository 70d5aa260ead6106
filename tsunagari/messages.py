"""The message catalogue of errors and warnings, held as data (``messages.toml``), in Japanese and English.

The base layer owns it so that every layer can raise an error whose text a front end shows in the
reader's language; the dashboards' own UI strings live in ``dashboards/strings.toml`` and are read
through the same :func:`message` lookup rules.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["message", "catalogue"]


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message key → ``{"ja": ..., "en": ...}`` (format strings with named fields)."""
    raw = tomllib.loads(resources.files("tsunagari").joinpath("messages.toml").read_text("utf-8"))
    return _flatten(raw)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, dict[str, str]]:
    flat: dict[str, dict[str, str]] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and "ja" in value and "en" in value:
            flat[key] = {"ja": value["ja"], "en": value["en"]}
        elif isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
    return flat


def message(key: str, lang: str = "ja", /, **params: Any) -> str:
    """The message ``key`` in ``lang`` (``"ja"`` or ``"en"``), its ``{fields}`` filled from ``params``.

    Raises
    ------
    KeyError
        If ``key`` is not in the catalogue (a programming error, caught by the tests).

    Examples
    --------
    >>> message("store.url_unsupported", "en", url="ftp://x")
    'Unsupported store URL `ftp://x`: use embedded:///path or bolt://host:7687 (or neo4j://).'
    """
    try:
        texts = catalogue()[key]
    except KeyError:
        raise KeyError(f"No message `{key}` in messages.toml.") from None
    return texts["en" if lang == "en" else "ja"].format(**params)
