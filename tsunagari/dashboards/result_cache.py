"""Results kept on disk per content hash, so the first view after a server restart is fast.

The dashboard caches its graphs and results in server memory (``st.cache_data``), which a restart
empties: the first visitor then waited for the metrics table and the map layout (tens of seconds
for a 2,000-actor city before they were sped up). This module keeps those two results in files,
keyed by what determines them, so a restarted server reads them back instead:

* where: a folder next to the embedded store (``<store>.cache/``, beside ``embedded:///…/store``);
  for Neo4j, under :attr:`Settings.cache_dir <tsunagari.settings.Settings>` (default: the user cache
  dir), one folder per server URL and database; nowhere for ``memory://``;
* key: the municipality code, its package content hash (what the store keeps for every load, so a
  new load is a new key), the result's name, its parameters and the Tsunagari version (a new release
  never reads an old file);
* format: pickle, written atomically (a temporary file renamed into place); a file that cannot be
  read is recomputed and replaced. When a result for a new content hash is written, the files of
  the municipality's older hashes are removed.

The folder belongs to the server that writes it: only results it computed itself are read back.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import platformdirs

from tsunagari.settings import Settings
from tsunagari.version import __version__

__all__ = ["cache_folder", "cached"]

T = TypeVar("T")


def cache_folder(settings: Settings) -> Path | None:
    """The folder holding this store's results, or ``None`` when results are not kept (``memory://``).

    Examples
    --------
    >>> str(cache_folder(Settings(store_url="embedded:///srv/tsunagari/store")))
    '/srv/tsunagari/store.cache'
    >>> cache_folder(Settings(store_url="memory://")) is None
    True
    """
    parts = urlsplit(settings.store_url)
    scheme = parts.scheme.lower()
    if scheme == "embedded":
        store = Path(settings.store_url[len("embedded://"):]).expanduser()  # as open_store reads it
        return store.with_name(store.name + ".cache") if store.name else None
    if scheme in ("bolt", "neo4j", "bolt+s", "bolt+ssc", "neo4j+s", "neo4j+ssc"):
        where = f"{scheme}://{parts.hostname}:{parts.port}/{settings.neo4j_database or ''}"
        base = Path(settings.cache_dir) if settings.cache_dir else Path(platformdirs.user_cache_dir("tsunagari"))
        return base / ("neo4j-" + hashlib.sha256(where.encode()).hexdigest()[:16])
    return None


def _file_name(code: str, content_hash: str, name: str, params: Hashable) -> str:
    digest = hashlib.sha256(repr((name, params, __version__)).encode()).hexdigest()[:16]
    return f"{_safe(code)}--{_safe(content_hash)}--{name}-{digest}.pickle"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def cached(settings: Settings, code: str, content_hash: str, name: str, params: Hashable,
           compute: Callable[[], T]) -> T:
    """``compute()``, or the result a previous run stored for the same municipality version and parameters.

    Parameters
    ----------
    settings
        Where the store is (see :func:`cache_folder`).
    code, content_hash
        The municipality and the content hash of its loaded package.
    name, params
        What is computed (``"metrics"``, ``"layout"``) and every parameter that changes it
        (``repr`` is part of the key).
    compute
        Computes the result when no file has it.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> settings = Settings(store_url=f"embedded://{folder}/store")
    >>> cached(settings, "1", "abc", "answer", 0, lambda: 42)
    42
    >>> cached(settings, "1", "abc", "answer", 0, lambda: 0)  # read back, not recomputed
    42
    """
    folder = cache_folder(settings)
    if folder is None or not content_hash:
        return compute()
    path = folder / _file_name(code, content_hash, name, params)
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 (written by this server only, see the module notes)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 (a torn or foreign file: recompute and replace it)
        pass
    result = compute()
    with contextlib.suppress(OSError):  # a read-only or full disk costs speed, never the answer
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{_safe(code)}--*--{name}-*.pickle"):
            if not old.name.startswith(f"{_safe(code)}--{_safe(content_hash)}--"):
                old.unlink(missing_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    return result
