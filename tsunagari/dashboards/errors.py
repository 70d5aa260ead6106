"""Errors raised by the front-end helpers (map rendering, static export, uploads)."""

from __future__ import annotations

from tsunagari.analysis.errors import ExportFormatError
from tsunagari.errors import TsunagariError

__all__ = ["MapOptionError", "MapTooLargeError", "ExportFormatError", "UploadError", "OptionError",
           "StoreChangedError", "WriteNotAllowedError"]


class MapOptionError(TsunagariError, ValueError):
    """A network-map option (colour, size measure, filter value) is not one the map knows."""


class MapTooLargeError(TsunagariError, ValueError):
    """The graph has more nodes than the map may draw; limit it with ``limit_graph`` first."""


class UploadError(TsunagariError, ValueError):
    """An uploaded file is neither a zipped package folder nor an .xlsx workbook."""


class OptionError(TsunagariError, ValueError):
    """A front-end option (port, size ...) is out of range."""


class StoreChangedError(TsunagariError, RuntimeError):
    """The municipality changed in the store while a page read it (another user's load): read again."""


class WriteNotAllowedError(TsunagariError, PermissionError):
    """A write (upload, delete) was asked for by a session that has not signed in as an editor."""
