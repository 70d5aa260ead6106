"""Read the raw tables of a data package: a folder of CSV files, a zip of one, or an .xlsx workbook.

Raw tables are lists of string cells with their spreadsheet row numbers; validation and typing
happen in :mod:`tsunagari.loaders.validate`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tsunagari.graph.model import NODE_KINDS
from tsunagari.loaders.archive import ArchiveProblem, Budget, member_name, open_zip, read_member
from tsunagari.loaders.encoding import UndetectableEncodingError, decode_text
from tsunagari.loaders.errors import Issue, PackageNotFoundError
from tsunagari.loaders.limits import PROGRESS_EVERY_ROWS, Limits, Progress
from tsunagari.loaders.xlsx import read_workbook_sheets

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
    sources: dict[str, str] = field(default_factory=dict)  # table name → the file claimed for it
    unreadable: bool = False  # the archive or workbook as a whole could not be read


def _table_name(stem: str) -> str | None:
    stem = stem.strip()
    if stem.lower() in TABLE_NAMES:
        return stem.lower()
    return _TABLE_ALIASES.get(stem)


def _too_large(file: str, size: int, limits: Limits) -> Issue:
    limit = limits.max_table_bytes / 1024 / 1024
    return Issue(file, None, None, "table_too_large",
                 f"ファイルが大きすぎます（{size / 1024 / 1024:,.0f} MB、1つの表の上限 {limit:,.0f} MB）。"
                 "表を分けるか、環境変数 TSUNAGARI_MAX_TABLE_BYTES で上限を上げてください。",
                 f"The file is too large ({size / 1024 / 1024:,.0f} MB; one table may have at most {limit:,.0f} MB). "
                 "Split it or raise TSUNAGARI_MAX_TABLE_BYTES.")


def _claim(name: str, file: str, package: RawPackage) -> bool:
    """Record that ``file`` holds table ``name``; a second file for the same table is an error."""
    first = package.sources.get(name)
    if first is not None:
        package.issues.append(Issue(
            file, None, None, "duplicate_table",
            f"表「{name}」のファイルが2つあります（{first} と {file}）。どちらか一方にまとめてください"
            "（片方だけが読まれ、もう片方のデータが失われるのを防ぐため、読み込みません）。",
            f"Two files hold the table `{name}` ({first} and {file}). Merge them into one: otherwise one "
            "would be read and the other silently lost."))
        return False
    package.sources[name] = file
    return True


def _parse_csv(name: str, file: str, data: bytes, package: RawPackage, limits: Limits,
               progress: Progress | None = None) -> None:
    if not data.strip():
        package.issues.append(Issue(file, None, None, "empty_file",
                                    "ファイルが空です。見出し行（列名）とデータを入れてください。",
                                    "The file is empty. Add a header row (column names) and data."))
        return
    if len(data) > limits.max_table_bytes:
        package.issues.append(_too_large(file, len(data), limits))
        return
    if data.find(b"\n", 0, limits.max_header_bytes) < 0 and len(data) > limits.max_header_bytes:
        package.issues.append(Issue(
            file, 1, None, "header_too_long",
            f"見出し行（1行目）が長すぎます（{limits.max_header_bytes:,}バイトを超えても改行がありません）。"
            "CSV として保存されているか確認してください。",
            f"The header line (row 1) is too long (no line break within {limits.max_header_bytes:,} bytes). "
            "Check that the file is saved as CSV."))
        return
    try:
        text, encoding = decode_text(data)
    except UndetectableEncodingError as err:
        package.issues.append(Issue(
            file, None, None, "encoding",
            "文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存し直してください。",
            f"Cannot detect the text encoding ({err}). Save the file as UTF-8 or Shift_JIS (CP932)."))
        return
    del data
    if "\x00" in text:
        package.issues.append(Issue(
            file, None, None, "encoding",
            "ファイルに NUL 文字（0x00）が含まれています。テキスト（CSV）として保存し直してください。",
            "The file holds NUL characters (0x00); it is not text. Save it as CSV again."))
        return
    first_line = text.split("\n", 1)[0] if len(text) < 1_000_000 else text[:limits.max_header_bytes].split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    del text
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    number = 0  # spreadsheet row: a quoted cell with line breaks still counts as one row
    width = 0
    try:
        for record in reader:
            number += 1
            if len(record) > limits.max_columns:
                package.issues.append(Issue(
                    file, number, None, "too_many_columns",
                    f"列が多すぎます（{len(record):,}列、上限 {limits.max_columns:,}列）。この行から先は読んでいません。",
                    f"Too many columns ({len(record):,}; at most {limits.max_columns:,}). Reading stopped here."))
                return
            long_cell = next((i for i, cell in enumerate(record) if len(cell) > limits.max_cell_chars), None)
            if long_cell is not None:
                column = header[long_cell] if header is not None and long_cell < len(header) else None
                package.issues.append(_cell_too_long(file, number, column, limits))
                return
            if header is None:
                header = record
                width = len(header)
                continue
            if not any(cell.strip() for cell in record):
                continue  # blank lines are not records, but they keep their row number
            if len(record) > width and name != MANIFEST_TABLE and any(c.strip() for c in record[width:]):
                package.issues.append(Issue(
                    file, number, header[-1] if header else None, "extra_cells",
                    f"この行は {len(record)}個のセルがあり、見出しの{width}列より多くなっています。"
                    "値の中の区切り文字（,）を \"\" で囲むか、見出しに列を足してください。",
                    f"The row has {len(record)} cells but the header only {width} columns. Quote values that "
                    "contain the delimiter, or add the column to the header."))
            if len(records) >= limits.max_rows:
                package.issues.append(_too_many_rows(file, number, limits))
                return
            records.append((number, record))
            if progress is not None and len(records) % PROGRESS_EVERY_ROWS == 0:
                progress(file, len(records))
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            package.issues.append(_cell_too_long(file, number + 1, None, limits))
            return
        package.issues.append(Issue(file, number + 1, None, "csv_syntax",
                                    f"CSVの書式が壊れています（{err}）。引用符の対応を確認してください。",
                                    f"Malformed CSV ({err}). Check that quotes are balanced."))
        return
    if header is None:
        package.issues.append(Issue(file, None, None, "empty_file", "ファイルに見出し行がありません。",
                                    "The file has no header row."))
        return
    package.tables[name] = RawTable(name, file, header, records, encoding)


def _cell_too_long(file: str, row: int, column: str | None, limits: Limits) -> Issue:
    return Issue(file, row, column, "cell_too_long",
                 f"セルが長すぎます（上限 {limits.max_cell_chars:,}文字）。この表は読んでいません。",
                 f"A cell is too long (at most {limits.max_cell_chars:,} characters). The table was not read.")


def _too_many_rows(file: str, row: int, limits: Limits) -> Issue:
    return Issue(file, row, None, "too_many_rows",
                 f"行が多すぎます（上限 {limits.max_rows:,}行）。{row}行目から先は読んでいません。"
                 "環境変数 TSUNAGARI_MAX_ROWS で上限を上げられます。",
                 f"Too many rows (at most {limits.max_rows:,}); reading stopped at row {row}. "
                 "TSUNAGARI_MAX_ROWS raises the limit.")


def _unknown_table(file: str) -> Issue:
    return Issue(file, None, None, "unknown_table",
                 f"不明なファイル名です。使えるのは {', '.join(TABLE_NAMES)} です。無視しました。",
                 f"Unknown table file; expected one of {', '.join(TABLE_NAMES)}. Ignored.", "warning")


def _read_folder(path: Path, package: RawPackage, limits: Limits, progress: Progress | None) -> None:
    budget = Budget(limits)
    for file in sorted(path.iterdir()):
        if file.suffix.lower() not in (".csv", ".tsv", ".txt") or not file.is_file():
            continue
        if file.name.startswith("_"):
            continue  # notes for people, not tables (an importer's _mapping_todo.csv)
        name = _table_name(file.stem)
        if name is None:
            package.issues.append(_unknown_table(file.name))
            continue
        if not _claim(name, file.name, package):
            continue
        size = file.stat().st_size
        if size > limits.max_table_bytes:
            package.issues.append(_too_large(file.name, size, limits))
            continue
        try:
            budget.take(size, path.name)
        except ArchiveProblem as problem:
            package.issues.append(problem.issue)
            package.unreadable = True
            return
        with file.open("rb") as handle:  # a header line without end is refused before the file is read
            head = handle.read(limits.max_header_bytes + 1)
            data = head + handle.read() if b"\n" in head or len(head) <= limits.max_header_bytes else head
        _parse_csv(name, file.name, data, package, limits, progress)


def _read_zip(path: Path, package: RawPackage, limits: Limits, progress: Progress | None) -> None:
    budget = Budget(limits)
    try:
        archive = open_zip(path, limits=limits)
    except ArchiveProblem as problem:
        package.issues.append(problem.issue)
        package.unreadable = True
        return
    with archive:
        members = [(member_name(info), info) for info in archive.infolist()]
        for name_text, info in sorted(members, key=lambda m: m[0]):
            member = PurePosixPath(name_text.replace("\\", "/"))
            if info.is_dir() or member.suffix.lower() not in (".csv", ".tsv", ".txt"):
                continue
            if member.name.startswith(".") or "__MACOSX" in member.parts:
                continue
            name = _table_name(member.stem)
            if name is None:
                package.issues.append(_unknown_table(f"{path.name}/{name_text}"))
                continue
            if not _claim(name, member.name, package):
                continue
            try:
                data = read_member(archive, info, archive_file=path.name, budget=budget)
            except ArchiveProblem as problem:
                package.issues.append(problem.issue)
                if problem.issue.code == "package_too_large":
                    package.unreadable = True
                    return
                continue
            _parse_csv(name, member.name, data, package, limits, progress)


def _read_workbook(path: Path, package: RawPackage, limits: Limits, progress: Progress | None) -> None:
    try:
        sheets, issues = read_workbook_sheets(path, limits=limits, budget=Budget(limits), progress=progress)
    except ArchiveProblem as problem:
        package.issues.append(problem.issue)
        package.unreadable = True
        return
    package.issues.extend(issues)
    for sheet, header in sheets:
        name = _table_name(sheet.title)
        if name is None and sheet.title in INSTRUCTION_SHEETS:
            continue
        if name is None:
            package.issues.append(Issue(sheet.file, None, None, "unknown_table",
                                        "不明なシート名です。無視しました。", "Unknown sheet name. Ignored.",
                                        "warning"))
            continue
        if not _claim(name, sheet.file, package):
            continue
        package.issues.extend(sheet.issues)
        if header is None:
            if not sheet.issues:
                package.issues.append(Issue(sheet.file, None, None, "empty_file", "シートが空です。",
                                            "The sheet is empty."))
            continue
        width = len(header)
        for number, cells in sheet.rows:
            if len(cells) > width and name != MANIFEST_TABLE and any(c.strip() for c in cells[width:]):
                package.issues.append(Issue(
                    sheet.file, number, None, "extra_cells",
                    f"見出しのない列（{width + 1}列目より右）に値があります。見出しを付けるか、値を削除してください。",
                    f"Cells to the right of the last header column ({width}) hold values. Give them a header or "
                    "delete them."))
        package.tables[name] = RawTable(name, sheet.file, header, sheet.rows, "xlsx")


def read_raw_package(path: str | Path, *, limits: Limits | None = None,
                     progress: Progress | None = None) -> RawPackage:
    """Read every table at ``path`` (folder, .zip or .xlsx) into a :class:`RawPackage`.

    Reading stops at the limits of ``limits`` (default :meth:`Limits.from_env`), each reported as an
    issue; ``progress(file, rows)`` hears about large tables every 50,000 rows. Corrupt archives and
    workbooks become issues naming the file and member, never exceptions.

    Raises
    ------
    PackageNotFoundError
        If ``path`` does not exist or is not a folder, .zip or .xlsx file.
    """
    path = Path(path)
    limits = limits if limits is not None else Limits.from_env()
    package = RawPackage(str(path))
    if path.is_dir():
        _read_folder(path, package, limits, progress)
    elif path.is_file() and path.suffix.lower() == ".zip":
        _read_zip(path, package, limits, progress)
    elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        _read_workbook(path, package, limits, progress)
    else:
        raise PackageNotFoundError("loader.package_not_found", path=str(path))
    return package
