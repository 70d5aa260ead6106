"""Errors raised by the dashboard helpers (map rendering, static export, uploads)."""

from __future__ import annotations

__all__ = ["MapOptionError", "MapTooLargeError", "ExportFormatError", "UploadError"]


class MapOptionError(ValueError):
    """A network-map option (colour, size measure, filter value) is not one the map knows."""


class MapTooLargeError(ValueError):
    """The graph has more nodes than the map may draw; limit it with ``limit_graph`` first."""


class ExportFormatError(ValueError):
    """The requested static or table export format is not supported."""


class UploadError(ValueError):
    """An uploaded file is neither a zipped package folder nor an .xlsx workbook."""
