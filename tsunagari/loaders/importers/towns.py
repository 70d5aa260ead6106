"""The user's 町丁目 → 地区 table, and finding a site's 地区 from its 町字 or address.

The table is a CSV (or .xlsx) with one row per 町丁目 (or 町字, 大字): the 地区 it belongs to, and
optionally the 地区's name, area type and enclosing 地区::

    町丁目,地区ID,地区名,圏域の種類
    武庫之荘1丁目,muko,武庫地区,地区
    武庫之荘,muko,武庫地区,地区        ← a 町字 without 丁目 covers all its 丁目

Headers are recognised in Japanese or English (``town``, ``district``, ``district_name``, ``layer``,
``parent``). Matching compares NFKC forms without spaces, with 丁目 numbers in kanji read as digits
(``三丁目`` = ``3丁目``) and a leading 大字/字 ignored; an address is matched after dropping the
prefecture and municipality names, by the longest 町丁目 it begins with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tsunagari.loaders.importers.errors import ImportSourceError
from tsunagari.loaders.importers.source import nfkc, read_source_table

__all__ = ["TownTable", "District", "read_town_table", "town_key"]

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_CHOME = re.compile(r"([〇一二三四五六七八九十]+)(丁目)")
_ID_BAD = re.compile(r"[\s:]+")


def _kanji_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _KANJI_DIGITS[ch]
    return value


def town_key(text: str) -> str:
    """The comparison form of a 町丁目 or address.

    >>> town_key("大字 武庫之荘 三丁目") == town_key("武庫之荘3丁目")
    True
    """
    key = "".join(nfkc(text).split())
    key = _KANJI_CHOME.sub(lambda m: f"{_kanji_number(m.group(1))}{m.group(2)}", key)
    for prefix in ("大字", "字"):
        key = key.removeprefix(prefix)
    return key


@dataclass(frozen=True)
class District:
    """A 地区 of the user's table."""

    id: str
    name: str
    layer: str
    parent: str
    row: int


@dataclass
class TownTable:
    """町丁目 key → district id, and the districts."""

    file: str
    towns: dict[str, str]
    districts: dict[str, District]

    def district_of(self, town: str = "", address: str = "", *, strip: tuple[str, ...] = ()) -> str | None:
        """The district id of a 町字 (exact, then the longest 町丁目 it begins with) or an address."""
        for text in (town, address):
            key = town_key(text)
            for prefix in strip:
                key = key.removeprefix(town_key(prefix))
            if not key:
                continue
            if key in self.towns:
                return self.towns[key]
            best = max((t for t in self.towns if key.startswith(t)), key=len, default=None)
            if best is not None:
                return self.towns[best]
        return None


def _district_id(text: str) -> str:
    return _ID_BAD.sub("_", nfkc(text)).strip("_")


def read_town_table(path: str | Path) -> TownTable:
    """Read the 町丁目 → 地区 table at ``path``.

    Raises
    ------
    ImportSourceError
        If the table lacks a 町丁目 or a 地区 column, or one 町丁目 is given two 地区.
    """
    table = read_source_table(path)
    town_col = table.find("町丁目", "町字", "町丁字", "町名", "地域名", "大字町丁目", "town")
    id_col = table.find("地区ID", "地区コード", "district", "district_id")
    name_col = table.find("地区名", "地区", "district_name")
    if id_col is None and name_col is not None:
        id_col = name_col
    if town_col is None or id_col is None:
        raise ImportSourceError("importer.missing_column", file=table.file, column="町丁目 / 地区ID",
                                dataset="町丁目 → 地区")
    layer_col = table.find("圏域の種類", "layer")
    parent_col = table.find("上位圏域", "parent")
    towns: dict[str, str] = {}
    districts: dict[str, District] = {}
    for row, cells in table.rows:
        town = table.cell(cells, town_col)
        district = _district_id(table.cell(cells, id_col))
        if not town or not district:
            continue
        key = town_key(town)
        if key in towns and towns[key] != district:
            raise ImportSourceError("importer.mapping", file=table.file, row=row,
                                    detail=f"町丁目「{town}」に2つの地区（{towns[key]}, {district}）/ two districts for {town}")
        towns[key] = district
        if district not in districts:
            districts[district] = District(district, table.cell(cells, name_col) or district,
                                           table.cell(cells, layer_col) or "地区",
                                           _district_id(table.cell(cells, parent_col)), row)
    return TownTable(table.file, towns, districts)
