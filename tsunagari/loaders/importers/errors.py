"""Errors of the importers: an input file or option they cannot work with (nothing is written)."""

from __future__ import annotations

from tsunagari.errors import TsunagariError

__all__ = ["ImportSourceError"]


class ImportSourceError(TsunagariError, ValueError):
    """An input of ``tsunagari import`` cannot be read or recognised; the message names the file and what to do."""
