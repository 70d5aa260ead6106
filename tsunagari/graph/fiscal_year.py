"""Fiscal years (年度) of data packages and the snapshot keys a store holds them under.

A package declares its fiscal year in the manifest (``fiscal_year``, 年度). Japanese fiscal year N runs
from 1 April N to 31 March N+1; it is written as the western year of its start. The manifest accepts:

* western: ``2024``, ``FY2024``, ``2024年度``, ``2024年``;
* 和暦 (era year): ``令和6年度``, ``令和6``, ``R6``, ``R6年度``, ``令和元年度`` (元 = 1), ``平成31年度``, ``H31``,
  ``H30年度``, ``昭和64``; era names 明治 (M) 大正 (T) 昭和 (S) 平成 (H) 令和 (R).

An era year is converted by the era's first year: 令和 N = 2018 + N, 平成 N = 1988 + N, 昭和 N = 1925 + N,
大正 N = 1911 + N, 明治 N = 1867 + N. So 令和6年度 = FY2024, and 平成31年度 = 令和元年度 = FY2019 (平成 ended on
30 April 2019, inside FY2019; both names are used for that year). An era year beyond the era's last one
(平成32年度) is refused, as is a year outside 1900–2200.

A package without a year is the municipality's *year-unknown* snapshot: it keeps loading as before, sorts
before every dated snapshot (it is never "the latest" while a dated one exists), and the loader warns.

Snapshot keys: a store holds each (municipality, fiscal year) under ``"{code}@{year}"`` (``"28202@2024"``),
and the year-unknown snapshot under the bare code (``"28202"``), which is exactly what a store written
before fiscal years held: such a store reads as the year-unknown snapshot of each municipality.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from tsunagari.errors import TsunagariError

__all__ = ["FiscalYearError", "parse_fiscal_year", "format_fiscal_year", "snapshot_key", "split_snapshot_key",
           "year_order", "latest_year", "ERAS", "MIN_YEAR", "MAX_YEAR"]

MIN_YEAR, MAX_YEAR = 1900, 2200
"""The western fiscal years accepted (a typo such as ``20244`` is refused rather than stored)."""

ERAS: dict[str, tuple[int, int | None, tuple[str, ...]]] = {
    # name: (western year of the era's year 1, the era's last era year or None (current), abbreviations)
    "令和": (2019, None, ("R",)),
    "平成": (1989, 31, ("H",)),
    "昭和": (1926, 64, ("S",)),
    "大正": (1912, 15, ("T",)),
    "明治": (1868, 45, ("M",)),
}
"""Japanese eras: the western year of era year 1 (元年) and the last era year."""

_WESTERN = re.compile(r"^(?:FY)?(\d{4})(?:年度|年)?$")
_ERA = re.compile(r"^(令和|平成|昭和|大正|明治|R|H|S|T|M)\.?(\d{1,2}|元)(?:年度|年)?$")


class FiscalYearError(TsunagariError, ValueError):
    """A fiscal year that cannot be read (``fiscal_year.bad`` / ``fiscal_year.era_range``)."""


def parse_fiscal_year(text: object) -> int | None:
    """The western fiscal year written in ``text``; ``None`` when it is empty.

    Parameters
    ----------
    text
        ``2024``, ``FY2024``, ``2024年度``, ``令和6年度``, ``R6``, ``令和元年度``, ``平成31年度`` ... (NFKC-normalized
        first: full-width digits and letters are read; case and spaces do not matter). An ``int`` is
        taken as the western year.

    Raises
    ------
    FiscalYearError
        If ``text`` is not a fiscal year in one of these forms, or its era year does not exist.

    Examples
    --------
    >>> parse_fiscal_year("令和6年度"), parse_fiscal_year("R6"), parse_fiscal_year("FY2024"), parse_fiscal_year(2024)
    (2024, 2024, 2024, 2024)
    >>> parse_fiscal_year("平成31年度"), parse_fiscal_year("令和元年度"), parse_fiscal_year("２０２３年度")
    (2019, 2019, 2023)
    >>> parse_fiscal_year(""), parse_fiscal_year(None)
    (None, None)
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise FiscalYearError("fiscal_year.bad", value=repr(text))
    if isinstance(text, int):
        year = text
    else:
        norm = unicodedata.normalize("NFKC", str(text)).strip().upper().replace(" ", "")
        if not norm:
            return None
        western = _WESTERN.match(norm)
        era = _ERA.match(norm)
        if western:
            year = int(western.group(1))
        elif era:
            name = era.group(1)
            name = next((n for n, (_, _, short) in ERAS.items() if name == n or name in short), name)
            first, last, _ = ERAS[name]
            number = 1 if era.group(2) == "元" else int(era.group(2))
            if number < 1 or (last is not None and number > last):
                raise FiscalYearError("fiscal_year.era_range", value=str(text), era=name,
                                      last="—" if last is None else str(last))
            year = first + number - 1
        else:
            raise FiscalYearError("fiscal_year.bad", value=str(text))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FiscalYearError("fiscal_year.bad", value=str(text))
    return year


def format_fiscal_year(year: int | None, lang: str = "ja") -> str:
    """``2024年度（令和6年度）`` / ``FY2024``; the year-unknown snapshot as ``年度不明`` / ``year unknown``.

    Examples
    --------
    >>> format_fiscal_year(2024), format_fiscal_year(2019), format_fiscal_year(2024, "en"), format_fiscal_year(None)
    ('2024年度（令和6年度）', '2019年度（令和元年度）', 'FY2024', '年度不明')
    """
    if year is None:
        return "年度不明" if lang == "ja" else "year unknown"
    if lang != "ja":
        return f"FY{year}"
    for name, (first, _, _) in ERAS.items():
        if year >= first:
            number = year - first + 1
            return f"{year}年度（{name}{'元' if number == 1 else number}年度）"
    return f"{year}年度"


def snapshot_key(code: str, year: int | None) -> str:
    """The key a store holds the snapshot of ``code`` for ``year`` under: ``"28202@2024"``, or ``"28202"``.

    >>> snapshot_key("28202", 2024), snapshot_key("28202", None)
    ('28202@2024', '28202')
    """
    return code if year is None else f"{code}@{year}"


def split_snapshot_key(key: str) -> tuple[str, int | None]:
    """The municipality code and fiscal year of a snapshot key (inverse of :func:`snapshot_key`).

    >>> split_snapshot_key("28202@2024"), split_snapshot_key("28202")
    (('28202', 2024), ('28202', None))
    """
    code, at, year = key.partition("@")
    return (code, int(year)) if at else (code, None)


def year_order(year: int | None) -> int:
    """Sort key of fiscal years: the year-unknown snapshot first (oldest), then by year.

    >>> sorted([2024, None, 2023], key=year_order)
    [None, 2023, 2024]
    """
    return -1 if year is None else year


def latest_year(years: Iterable[int | None]) -> int | None:
    """The latest of ``years`` (a dated year over the year-unknown snapshot); ``None`` if none is dated.

    >>> latest_year([None, 2023, 2024]), latest_year([None])
    (2024, None)
    """
    return max(years, key=year_order, default=None)
