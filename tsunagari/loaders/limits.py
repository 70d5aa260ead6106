"""Size limits on data packages, checked while reading so that hostile files cannot exhaust memory.

Every limit is far above what a municipality's package needs (the largest city in Japan has some
tens of thousands of organisations) and low enough that a refused file is refused within seconds
and under 500 MB of memory (``benchmarks/hostile_inputs.py``). Each can be raised through the
environment, for example ``TSUNAGARI_MAX_TABLE_ROWS=2000000``; the table is in
``docs/reliability.md`` (*Limits on input*).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Callable, Mapping

from tsunagari.errors import TsunagariError

__all__ = ["Limits", "LimitsError", "Progress", "PROGRESS_EVERY_ROWS"]

Progress = Callable[[str, int], None]
"""Called as ``progress(file, rows_read)`` while a large table is read."""

PROGRESS_EVERY_ROWS = 50_000
"""A progress callback hears about a table every this many rows."""

_MB = 1024 * 1024


class LimitsError(TsunagariError, ValueError):
    """A limit was given a value that is not a positive whole number."""


@dataclass(frozen=True)
class Limits:
    """The limits one read of a package obeys. Defaults are documented in ``docs/reliability.md``.

    Attributes
    ----------
    max_table_bytes
        Size of one table (CSV file, zip member or worksheet part), uncompressed.
    max_package_bytes
        Sum of the uncompressed sizes of everything read from one package.
    max_ratio
        Uncompressed size over compressed size of one zip member bigger than ``ratio_floor_bytes``.
    ratio_floor_bytes
        Members at most this big are not checked for their ratio (tiny files compress oddly).
    max_members
        Entries in one zip or workbook.
    max_rows
        Records in one table (the header not counted).
    max_columns
        Cells in one row.
    max_cell_chars
        Characters in one cell (Excel's own limit is 32,767).
    max_header_bytes
        Bytes in the header line of a CSV file, checked before the file is decoded.
    max_ties_per_node
        Ties (explicit and implied) at one node; more makes the analysis commands run for minutes.
    """

    max_table_bytes: int = 256 * _MB
    max_package_bytes: int = 512 * _MB
    max_ratio: int = 100
    ratio_floor_bytes: int = 1 * _MB
    max_members: int = 1_000
    max_rows: int = 1_000_000
    max_columns: int = 1_000
    max_cell_chars: int = 32_767
    max_header_bytes: int = 64 * 1024
    max_ties_per_node: int = 10_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Defaults, overridden by ``TSUNAGARI_<NAME>`` variables (``TSUNAGARI_MAX_ROWS`` …).

        Raises
        ------
        LimitsError
            If a variable is not a positive whole number.

        Examples
        --------
        >>> Limits.from_env({"TSUNAGARI_MAX_TIES_PER_NODE": "20000"}).max_ties_per_node
        20000
        """
        environ = os.environ if environ is None else environ
        values = {}
        for field in fields(cls):
            variable = f"TSUNAGARI_{field.name.upper()}"
            text = environ.get(variable)
            if text is None or not text.strip():
                continue
            try:
                value = int(text.replace("_", "").replace(",", ""))
            except ValueError:
                value = 0
            if value <= 0:
                raise LimitsError("loader.bad_limit", variable=variable, value=repr(text))
            values[field.name] = value
        return cls(**values)
