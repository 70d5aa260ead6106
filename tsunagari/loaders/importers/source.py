"""Read the tables an importer starts from: CSV (UTF-8 with or without BOM, CP932 …) or an Excel sheet.

What spreadsheets do to published tables is undone here, once, for every importer:

* the encoding is detected as the loader does (:func:`tsunagari.loaders.encoding.decode_text`);
* header cells are compared by a key: NFKC (全角 → 半角), no spaces, ``_``, ``・`` or brackets,
  casefolded, so ``所在地_連結表記``, ``所在地（連結表記）`` and ``所在地 連結表記`` are one column;
* title lines above the header (one filled cell) are skipped;
* a header of two rows whose first row is a merged group label (``年齢`` over ``0歳 | 1歳 | …``,
  blank under the merge) is joined into one row (``年齢0歳``); this is detected by the first data row
  being mostly text where the second row has labels;
* cells are NFKC-normalised by the callers where they are codes or numbers (full-width digits).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tsunagari.loaders.encoding import UndetectableEncodingError, decode_text
from tsunagari.loaders.importers.errors import ImportSourceError

__all__ = ["SourceTable", "read_source_table", "read_source_folder", "header_key", "nfkc", "number"]

_KEY_DROP = re.compile(r"[\s_・()（）［］\[\]「」【】:：]")


def nfkc(text: object) -> str:
    """``text`` NFKC-normalised and trimmed (``None`` → ``""``)."""
    return unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()


def header_key(text: str) -> str:
    """The comparison key of a header cell.

    >>> header_key("所在地（連結表記）") == header_key("所在地_連結表記")
    True
    """
    return _KEY_DROP.sub("", nfkc(text)).casefold()


def number(text: object) -> int | None:
    """A whole number from a cell (``1,234``, ``１２３４``, ``1234.0``), or None when empty or not a number.

    >>> number("１,２３４"), number("-"), number("12.0")
    (1234, None, 12)
    """
    value = nfkc(text).replace(",", "").replace(" ", "")
    if not value:
        return None
    try:
        parsed = float(value)
    except ValueError:
        return None
    return int(parsed) if parsed.is_integer() and parsed >= 0 else None


@dataclass
class SourceTable:
    """One input table: its display name, header and rows (with spreadsheet row numbers)."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = ""

    def keys(self) -> list[str]:
        """The header's comparison keys, in column order."""
        return [header_key(h) for h in self.header]

    def find(self, *spellings: str) -> int | None:
        """Index of the first column whose key equals one of ``spellings``' keys (in their order), or None."""
        keys = self.keys()
        for spelling in spellings:
            key = header_key(spelling)
            if key in keys:
                return keys.index(key)
        return None

    def cell(self, cells: list[str], index: int | None) -> str:
        """The cell at ``index`` (``""`` when the column is absent or the row short)."""
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()


def _looks_like_labels(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and sum(number(c) is None for c in filled) >= 0.8 * len(filled)


def _drop_title_rows(header: list[str], rows: list[tuple[int, list[str]]]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Skip title lines above the header (one filled cell, e.g. 「介護サービス事業所一覧（令和6年4月1日現在）」)."""
    while rows and sum(bool(c.strip()) for c in header) <= 1 and sum(bool(c.strip()) for c in rows[0][1]) > 1:
        header, rows = rows[0][1], rows[1:]
    return header, rows


def _join_merged_header(header: list[str], rows: list[tuple[int, list[str]]]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Join a two-row header whose first row has blanks under merged group labels."""
    if not rows or not any(not h.strip() for h in header) or not header[0].strip():
        return header, rows
    second = rows[0][1]
    if not _looks_like_labels(second) or len(rows) < 2 or _looks_like_labels(rows[1][1]):
        return header, rows
    joined, group = [], ""
    for index in range(max(len(header), len(second))):
        top = header[index].strip() if index < len(header) else ""
        bottom = second[index].strip() if index < len(second) else ""
        group = top or group
        if top and not bottom:
            joined.append(top)
        elif top and bottom:
            joined.append(f"{top}_{bottom}")
        else:
            joined.append(f"{group}_{bottom}" if bottom else "")
    return joined, rows[1:]


def _parse_csv(file: str, data: bytes) -> SourceTable:
    try:
        text, encoding = decode_text(data)
    except UndetectableEncodingError as err:
        raise ImportSourceError("importer.encoding", file=file) from err
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    number_ = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            number_ += 1
            if header is None:
                if not any(c.strip() for c in record):
                    continue  # blank lines above the header (a title row left empty)
                header = record
                continue
            if any(c.strip() for c in record):
                records.append((number_, record))
    except csv.Error as err:
        raise ImportSourceError("importer.csv_syntax", file=file, row=number_ + 1, detail=str(err)) from err
    if header is None:
        raise ImportSourceError("importer.empty", file=file)
    header, records = _join_merged_header(*_drop_title_rows(header, records))
    return SourceTable(file, header, records, encoding)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]  # an Excel date cell: the date
    return str(value)


def _read_sheet(path: Path) -> SourceTable:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = [(n, [_cell_text(v) for v in values]) for n, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        workbook.close()
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise ImportSourceError("importer.empty", file=path.name)
    (_, header), rest = rows[0], rows[1:]
    header, rest = _join_merged_header(*_drop_title_rows(header, rest))
    return SourceTable(path.name, header, rest, "xlsx")


def read_source_table(path: str | Path) -> SourceTable:
    """The first table of a CSV/TSV file or the first sheet of an .xlsx workbook.

    Raises
    ------
    ImportSourceError
        If the file is missing, empty, not decodable or not CSV.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportSourceError("importer.not_found", path=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_sheet(path)
    data = path.read_bytes()
    if not data.strip():
        raise ImportSourceError("importer.empty", file=path.name)
    return _parse_csv(path.name, data)


def read_source_folder(path: str | Path) -> dict[str, SourceTable]:
    """Every CSV of a folder or a .zip, keyed by the file's stem in lower case (``organization``)."""
    path = Path(path)
    tables: dict[str, SourceTable] = {}
    if path.is_dir():
        for file in sorted(path.iterdir()):
            if file.is_file() and file.suffix.lower() in (".csv", ".tsv", ".txt"):
                data = file.read_bytes()
                if data.strip():
                    tables[file.stem.lower()] = _parse_csv(file.name, data)
    elif path.is_file() and path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                member = Path(info.filename)
                if info.is_dir() or member.suffix.lower() not in (".csv", ".tsv", ".txt"):
                    continue
                if member.name.startswith(".") or "__MACOSX" in member.parts:
                    continue
                data = archive.read(info)
                if data.strip():
                    tables[member.stem.lower()] = _parse_csv(member.name, data)
    else:
        raise ImportSourceError("importer.not_found", path=str(path))
    return tables
