"""Errors raised by the graph stores."""

from __future__ import annotations

from tsunagari.errors import TsunagariError

__all__ = ["StoreError", "StoreURLError", "StoreUnavailableError", "MunicipalityNotFoundError", "YearNotFoundError"]


class StoreError(TsunagariError, RuntimeError):
    """A graph store operation failed."""


class StoreURLError(TsunagariError, ValueError):
    """The store URL is not ``embedded://PATH``, ``bolt://...`` or ``neo4j://...``."""


class StoreUnavailableError(StoreError):
    """The store cannot be opened (server down, folder locked by another process, bad credentials)."""


class MunicipalityNotFoundError(TsunagariError, LookupError):
    """No municipality with that code, slug or name is in the store."""


class YearNotFoundError(MunicipalityNotFoundError):
    """The municipality is in the store, but not the fiscal year asked for (``store.year_not_found``)."""
