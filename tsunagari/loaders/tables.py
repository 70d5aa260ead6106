"""Read the raw tables of a data package: a folder of CSV files, a zip of one, or an .xlsx workbook.

Raw tables are lists of string cells with their spreadsheet row numbers; validation and typing
happen in :mod:`tsunagari.loaders.validate`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tsunagari.graph.model import NODE_KINDS
from tsunagari.loaders.encoding import UndetectableEncodingError, decode_text
from tsunagari.loaders.errors import Issue, PackageNotFoundError

__all__ = ["RawTable", "RawPackage", "read_raw_package", "TABLE_NAMES", "MANIFEST_TABLE", "TIES_TABLE_NAME",
           "INSTRUCTION_SHEETS"]

MANIFEST_TABLE = "manifest"
TIES_TABLE_NAME = "ties"
TABLE_NAMES = (MANIFEST_TABLE, *(k.table for k in NODE_KINDS), TIES_TABLE_NAME)
# Japanese sheet/file names accepted as aliases of the table names.
_TABLE_ALIASES = {"基本情報": MANIFEST_TABLE, "関係": TIES_TABLE_NAME, "つながり": TIES_TABLE_NAME}
_TABLE_ALIASES.update({k.table_ja: k.table for k in NODE_KINDS})
INSTRUCTION_SHEETS = ("記入方法", "語彙")
"""Sheets of the blank template (tsunagari template) that explain the tables; the loader skips them."""


@dataclass
class RawTable:
    """Header and rows of one table as strings; ``rows`` pairs each record with its row number."""

    name: str
    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = ""


@dataclass
class RawPackage:
    """The raw tables found at a path, and the problems met reading them."""

    path: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


def _table_name(stem: str) -> str | None:
    stem = stem.strip()
    if stem.lower() in TABLE_NAMES:
        return stem.lower()
    return _TABLE_ALIASES.get(stem)


def _parse_csv(name: str, file: str, data: bytes, package: RawPackage) -> None:
    if not data.strip():
        package.issues.append(Issue(file, None, None, "empty_file",
                                    "ファイルが空です。見出し行（列名）とデータを入れてください。",
                                    "The file is empty. Add a header row (column names) and data."))
        return
    try:
        text, encoding = decode_text(data)
    except UndetectableEncodingError as err:
        package.issues.append(Issue(
            file, None, None, "encoding",
            "文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存し直してください。",
            f"Cannot detect the text encoding ({err}). Save the file as UTF-8 or Shift_JIS (CP932)."))
        return
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    number = 0  # spreadsheet row: a quoted cell with line breaks still counts as one row
    try:
        for record in reader:
            number += 1
            if header is None:
                header = record
                continue
            if not any(cell.strip() for cell in record):
                continue  # blank lines are not records, but they keep their row number
            records.append((number, record))
    except csv.Error as err:
        package.issues.append(Issue(file, number + 1, None, "csv_syntax",
                                    f"CSVの書式が壊れています（{err}）。引用符の対応を確認してください。",
                                    f"Malformed CSV ({err}). Check that quotes are balanced."))
        return
    if header is None:
        package.issues.append(Issue(file, None, None, "empty_file", "ファイルに見出し行がありません。",
                                    "The file has no header row."))
        return
    package.tables[name] = RawTable(name, file, header, records, encoding)


def _read_folder(path: Path, package: RawPackage) -> None:
    for file in sorted(path.iterdir()):
        if file.suffix.lower() not in (".csv", ".tsv", ".txt") or not file.is_file():
            continue
        name = _table_name(file.stem)
        if name is None:
            package.issues.append(Issue(file.name, None, None, "unknown_table",
                                        f"不明なファイル名です。使えるのは {', '.join(TABLE_NAMES)} です。無視しました。",
                                        f"Unknown table file; expected one of {', '.join(TABLE_NAMES)}. Ignored.",
                                        "warning"))
            continue
        _parse_csv(name, file.name, file.read_bytes(), package)


def _read_zip(path: Path, package: RawPackage) -> None:
    with zipfile.ZipFile(path) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            member = Path(info.filename)
            if info.is_dir() or member.suffix.lower() not in (".csv", ".tsv", ".txt"):
                continue
            if member.name.startswith(".") or "__MACOSX" in member.parts:
                continue
            name = _table_name(member.stem)
            if name is None:
                continue
            _parse_csv(name, member.name, archive.read(info), package)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_workbook(path: Path, package: RawPackage) -> None:
    import openpyxl  # imported here: only workbooks need it

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            name = _table_name(sheet.title)
            if name is None and sheet.title in INSTRUCTION_SHEETS:
                continue
            if name is None:
                package.issues.append(Issue(f"{path.name}[{sheet.title}]", None, None, "unknown_table",
                                            "不明なシート名です。無視しました。", "Unknown sheet name. Ignored.",
                                            "warning"))
                continue
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            file = f"{path.name}[{sheet.title}]"
            if header is None:
                package.issues.append(Issue(file, None, None, "empty_file", "シートが空です。",
                                            "The sheet is empty."))
                continue
            records = []
            for number, values in enumerate(rows, start=2):
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    records.append((number, cells))
            package.tables[name] = RawTable(name, file, [_cell_text(h) for h in header], records, "xlsx")
    finally:
        workbook.close()


def read_raw_package(path: str | Path) -> RawPackage:
    """Read every table at ``path`` (folder, .zip or .xlsx) into a :class:`RawPackage`.

    Raises
    ------
    PackageNotFoundError
        If ``path`` does not exist or is not a folder, .zip or .xlsx file.
    """
    path = Path(path)
    package = RawPackage(str(path))
    if path.is_dir():
        _read_folder(path, package)
    elif path.is_file() and path.suffix.lower() == ".zip":
        _read_zip(path, package)
    elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        _read_workbook(path, package)
    else:
        raise PackageNotFoundError("loader.package_not_found", path=str(path))
    return package
