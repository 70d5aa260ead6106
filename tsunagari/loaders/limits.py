"""Size limits on data packages, checked while reading so that hostile files cannot exhaust memory.

Every limit is far above what a municipality's package needs (the largest city in Japan has some
tens of thousands of organisations) and low enough that a refused file is refused within seconds
and under 500 MB of memory (``benchmarks/hostile_inputs.py``). Each can be raised through the
environment, for example ``TSUNAGARI_MAX_TABLE_ROWS=2000000``; the table is in
``docs/reliability.md`` (*Limits on input*).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields

from tsunagari.errors import TsunagariError
from tsunagari.graph.records import Issue

__all__ = ["Limits", "LimitsError", "Progress", "PROGRESS_EVERY_ROWS", "ties_per_node_issues"]

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


def ties_per_node_issues(ties: Iterable[tuple[str, str]], locate: Callable[[str], tuple[str, int | None]],
                         limits: Limits) -> list[Issue]:
    """An error for each node at more than ``limits.max_ties_per_node`` ties (explicit and implied).

    ``ties`` gives ``(from_uid, to_uid)``; ``locate(uid)`` gives the file and row where the node is defined.
    Refused rather than warned: such a node is nearly always a filled-down column or a generated
    file, and accepting it makes ``metrics`` and ``report`` run for minutes with no result (measured:
    one node with 1,000,000 ties, ``summary`` 59 s, ``metrics`` still running at 300 s).
    """
    counts: Counter[str] = Counter()
    for start, end in ties:
        counts[start] += 1
        counts[end] += 1
    issues = []
    for uid, count in sorted(counts.items()):
        if count <= limits.max_ties_per_node:
            continue
        file, row = locate(uid)
        local = uid.split(":", 1)[-1]
        issues.append(Issue(
            file, row, "id", "too_many_ties",
            f"「{local}」の関係が多すぎます（{count:,}件、1つのノードの上限 {limits.max_ties_per_node:,}件）。"
            "列の値が下までコピーされていないか確認してください。本当に必要なら環境変数 "
            "TSUNAGARI_MAX_TIES_PER_NODE で上限を上げられます（分析に時間がかかります）。",
            f"{local!r} has too many ties ({count:,}; one node may have at most {limits.max_ties_per_node:,}). "
            "Check for a value filled down a whole column. If it is real, raise TSUNAGARI_MAX_TIES_PER_NODE "
            "(the analysis will take long)."))
    return issues
