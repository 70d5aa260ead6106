"""Read the sheets of an .xlsx workbook as raw tables, streaming its XML, trusting nothing in it.

Why not openpyxl's reader: in read-only mode it trusts the sheet's ``<dimension>`` (a stale one
hid 91 of 123 rows), with ``data_only`` a formula without a cached value reads as an empty cell,
and a percent-formatted 25.6 % reads as 0.256. This reader, built on :mod:`xml.parsers.expat`:

- reads every ``<row>`` whatever ``<dimension>`` says, numbering rows as the sheet does;
- gives a formula's cached value, and reports a formula that has none (its cell named, e.g. ``B3``);
- writes a percent-formatted number as Excel shows it (``0.256`` → ``"25.6%"``): a ``percent`` column
  reads 25.6, any other number column refuses ``25.6%`` with a message, a text column keeps it;
- writes a date-formatted number as an ISO date (``2024-04-01``);
- reports an Excel error value (``#N/A``, ``#DIV/0!``) by cell;
- refuses any DTD (``<!DOCTYPE``/``<!ENTITY``): Excel never writes one, and it is how external
  entities (XXE) and entity-expansion bombs ("billion laughs") get in;
- streams each part through :mod:`tsunagari.loaders.archive` (sizes, ratio, CRC) and stops a sheet
  at the row, column and cell-length limits.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable
from decimal import Decimal, DecimalException
from pathlib import Path
from typing import Any
from xml.parsers import expat

from tsunagari.graph.records import Issue
from tsunagari.loaders.archive import ArchiveProblem, Budget, iter_member, open_zip
from tsunagari.loaders.limits import PROGRESS_EVERY_ROWS, Limits, Progress

__all__ = ["Sheet", "read_workbook_sheets"]

_REL_TYPE_OFFICE = "/officeDocument"
_REL_TYPE_SHEET = "/worksheet"
_REL_TYPE_STRINGS = "/sharedStrings"
_REL_TYPE_STYLES = "/styles"
# Built-in number formats (ECMA-376 Part 1, 18.8.30): 9-10 percent; 14-22, 27-36, 45-47, 50-58 dates.
_PERCENT_IDS = {9, 10}
_DATE_IDS = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


class _XmlProblem(Exception):
    """A part of the workbook is not XML we accept; ``args[0]`` is (ja, en)."""


class _Stop(Exception):
    """A limit was reached: stop parsing this sheet (the issue is already recorded)."""


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _attr(attrs: dict[str, str], local: str) -> str | None:
    if local in attrs:
        return attrs[local]
    for key, value in attrs.items():
        if key.rsplit(" ", 1)[-1] == local:
            return value
    return None


def _parse_xml(chunks: Iterable[bytes], start: Callable[[str, dict[str, str]], None],
               end: Callable[[str], None] | None = None, text: Callable[[str], None] | None = None) -> None:
    """Feed ``chunks`` to an expat parser with the callbacks; a DTD or malformed XML raises ``_XmlProblem``."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_dtd(*_args: Any) -> None:
        raise _XmlProblem(("XML に DTD（<!DOCTYPE>）が含まれています。Excel は DTD を書かないため、外部実体（XXE）"
                           "や実体展開攻撃のおそれがあるファイルとして読み込みません。",
                           "The XML holds a DTD (<!DOCTYPE>). Excel never writes one; it is how external-entity (XXE) "
                           "and entity-expansion attacks work, so the file is not read."))

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    if end is not None:
        parser.EndElementHandler = lambda name: end(_local(name))
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as err:
        raise _XmlProblem((f"XML が壊れています（{err.lineno}行 {err.offset}文字目: {expat.errors.messages.get(err.code, err)}）。",
                           f"The XML is malformed (line {err.lineno}, column {err.offset}: {err}).")) from None
    except RecursionError:  # pragma: no cover - expat does not recurse; kept for safety
        raise _XmlProblem(("XML の入れ子が深すぎます。", "The XML nests too deeply.")) from None


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _has_percent(code: str) -> bool:
    # A % outside quoted text, escapes and [bracketed] sections.
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code


def _is_date_code(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code).lower()
    if "general" in code:
        return False
    return bool(re.search(r"[ymdhs]", code.split(";")[0]))


def _number_text(value: str) -> str:
    """``"12.0"`` → ``"12"``, ``"1.5E-3"`` → ``"0.0015"``: the number as a person writes it."""
    try:
        number = Decimal(value)
    except DecimalException:
        return value
    if not number.is_finite() or not -30 <= number.adjusted() <= 30:
        return value  # written out, 1E+999999999 would be a billion digits: leave it to validation
    if number == number.to_integral_value():
        return str(int(number))
    text = format(number.normalize(), "f")
    return text


def _percent_text(value: str) -> str | None:
    try:
        number = Decimal(value)
    except DecimalException:
        return None
    if not number.is_finite() or not -30 <= number.adjusted() <= 30:
        return None
    return _number_text(str(number * 100)) + "%"


def _date_text(value: str, date1904: bool) -> str | None:
    try:
        serial = float(value)
    except ValueError:
        return None
    if not 0 <= serial < 2_958_466:  # 9999-12-31
        return None
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    if not date1904 and serial < 60:  # Excel's fictitious 1900-02-29
        serial += 1
    moment = epoch + dt.timedelta(days=serial)
    moment = moment.replace(microsecond=0) if moment.microsecond < 500_000 else (
        moment + dt.timedelta(seconds=1)).replace(microsecond=0)
    if moment.time() == dt.time(0):
        return moment.date().isoformat()
    return moment.isoformat(sep=" ")


class Sheet:
    """One worksheet read: its title, rows ``(row_number, cells)`` and the issues met."""

    def __init__(self, title: str, file: str) -> None:
        self.title = title
        self.file = file
        self.rows: list[tuple[int, list[str]]] = []
        self.issues: list[Issue] = []


class _Book:
    def __init__(self, archive: zipfile.ZipFile, file: str, budget: Budget) -> None:
        self.archive = archive
        self.file = file
        self.budget = budget
        self.names = {info.filename: info for info in archive.infolist()}

    def chunks(self, part: str) -> Iterable[bytes]:
        return iter_member(self.archive, self.names[part], archive_file=self.file, budget=self.budget, kind="xlsx")

    def parse(self, part: str, start: Callable[[str, dict[str, str]], None],
              end: Callable[[str], None] | None = None, text: Callable[[str], None] | None = None) -> None:
        try:
            _parse_xml(self.chunks(part), start, end, text)
        except _XmlProblem as problem:
            ja, en = problem.args[0]
            raise ArchiveProblem(Issue(f"{self.file}/{part}", None, None, "broken_workbook_xml",
                                       f"ブックの中の {part} を読めません。{ja}",
                                       f"Cannot read {part} inside the workbook. {en}")) from None

    def relationships(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, target part) of the relationships of ``part``."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        found: list[tuple[str, str, str]] = []
        if rels not in self.names:
            return found

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == "Relationship" and attrs.get("Target") and attrs.get("TargetMode") != "External":
                target = attrs["Target"]
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                found.append((attrs.get("Id", ""), attrs.get("Type", ""), target))

        self.parse(rels, start)
        return found

    def missing(self, what_ja: str, what_en: str) -> ArchiveProblem:
        return ArchiveProblem(Issue(
            self.file, None, None, "not_a_workbook",
            f"Excel ブックの{what_ja}がありません。Excel で開いて「Excel ブック（.xlsx）」として保存し直してください。",
            f"The workbook lacks its {what_en}. Open it in Excel and save it as an Excel Workbook (.xlsx)."))


def _shared_strings(book: _Book, part: str | None, limits: Limits) -> list[str]:
    strings: list[str] = []
    if part is None or part not in book.names:
        return strings
    pieces: list[str] = []
    state = {"in_t": False, "phonetic": 0, "length": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "si":
            pieces.clear()
            state["length"] = 0
        elif tag == "rPh":
            state["phonetic"] += 1
        elif tag == "t" and not state["phonetic"]:
            state["in_t"] = True

    def end(tag: str) -> None:
        if tag == "si":
            strings.append("".join(pieces))
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data: str) -> None:
        if state["in_t"] and state["length"] <= limits.max_cell_chars:
            pieces.append(data)
            state["length"] += len(data)  # a longer string is kept one character too long: the cell check refuses it

    book.parse(part, start, end, text)
    return strings


def _styles(book: _Book, part: str | None) -> list[str]:
    """Per cell style index: ``"percent"``, ``"date"`` or ``""``."""
    if part is None or part not in book.names:
        return []
    custom: dict[int, str] = {}
    kinds: list[str] = []
    state = {"in_xfs": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif tag == "cellXfs":
            state["in_xfs"] = True
        elif tag == "xf" and state["in_xfs"]:
            try:
                fmt = int(attrs.get("numFmtId", "0"))
            except ValueError:
                fmt = 0
            code = custom.get(fmt)
            if fmt in _PERCENT_IDS or (code is not None and _has_percent(code)):
                kinds.append("percent")
            elif (code is None and fmt in _DATE_IDS) or (code is not None and _is_date_code(code)):
                kinds.append("date")
            else:
                kinds.append("")

    def end(tag: str) -> None:
        if tag == "cellXfs":
            state["in_xfs"] = False

    book.parse(part, start, end)
    return kinds


class _SheetReader:
    """Expat callbacks turning one sheet part into rows of cell strings."""

    def __init__(self, sheet: Sheet, strings: list[str], styles: list[str], date1904: bool, limits: Limits,
                 progress: Progress | None) -> None:
        self.sheet, self.strings, self.styles, self.date1904 = sheet, strings, styles, date1904
        self.limits, self.progress = limits, progress
        self.row_number = 0
        self.cells: dict[int, str] | None = None
        self.next_column = 0
        self.cell: dict[str, Any] | None = None
        self.collect: list[str] | None = None
        self.collected = 0
        self.phonetic = 0
        self.header: list[str] | None = None

    def issue(self, row: int | None, column: int | None, code: str, ja: str, en: str) -> None:
        name = None
        if column is not None:
            header = self.header or []
            name = header[column] if column < len(header) and header[column].strip() else _column_letters(column)
        self.sheet.issues.append(Issue(self.sheet.file, row, name, code, ja, en))

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "row":
            try:
                number = int(attrs.get("r", ""))
            except ValueError:
                number = self.row_number + 1
            self.row_number = number if number > self.row_number else self.row_number + 1
            self.cells = {}
            self.next_column = 0
        elif tag == "c" and self.cells is not None:
            ref = _CELL_REF.match(attrs.get("r", "") or "")
            column = _column_index(ref.group(1)) if ref else self.next_column
            self.next_column = column + 1
            self.cell = {"column": column, "type": attrs.get("t", "n"), "style": attrs.get("s", "0"),
                         "value": None, "formula": False, "inline": None}
        elif self.cell is not None:
            if tag == "v":
                self._collect()
            elif tag == "f":
                self.cell["formula"] = True
            elif tag == "rPh":
                self.phonetic += 1
            elif tag == "t" and self.cell["type"] == "inlineStr" and not self.phonetic:
                self.cell["inline"] = self.cell["inline"] or []
                self.collect = self.cell["inline"]

    def _collect(self) -> None:
        self.collect = []
        self.collected = 0
        assert self.cell is not None
        self.cell["value"] = self.collect

    def text(self, data: str) -> None:
        if self.collect is not None and self.collected <= self.limits.max_cell_chars:
            self.collect.append(data)
            self.collected += len(data)

    def end(self, tag: str) -> None:
        if tag in ("v", "t"):
            self.collect = None
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "c" and self.cell is not None and self.cells is not None:
            self._end_cell(self.cell)
            self.cell = None
        elif tag == "row" and self.cells is not None:
            self._end_row(self.cells)
            self.cells = None

    def _end_cell(self, cell: dict[str, Any]) -> None:
        assert self.cells is not None
        column, row = cell["column"], self.row_number
        ref = f"{_column_letters(column)}{row}"
        if column >= self.limits.max_columns:
            self.issue(row, None, "too_many_columns",
                       f"列が多すぎます（セル {ref}、上限 {self.limits.max_columns:,}列）。この行から先は読んでいません。",
                       f"Too many columns (cell {ref}; at most {self.limits.max_columns:,}). Reading stopped here.")
            raise _Stop
        raw = "".join(cell["value"]) if cell["value"] is not None else None
        kind = cell["type"]
        # An empty <v> on a number cell means no saved result (openpyxl writes <v />); on a string
        # cell (t="str") it is a formula whose result is the empty string, as Excel saves ="".
        if cell["formula"] and not raw and kind not in ("str", "inlineStr"):
            self.issue(row, column, "formula_without_value",
                       f"セル {ref} の数式に計算結果が保存されていません。Excel で開いて再計算し、保存し直すか、"
                       "値として貼り付けてください。",
                       f"Cell {ref} holds a formula without a saved result. Open the workbook in Excel, let it "
                       "recalculate and save, or paste the values.")
            return
        if kind == "s":
            try:
                text = self.strings[int(raw or "")]
            except (ValueError, IndexError):
                self.issue(row, column, "broken_workbook_xml",
                           f"セル {ref} の文字列が見つかりません（共有文字列 {raw!r}）。ブックが壊れています。",
                           f"Cell {ref} refers to a missing shared string ({raw!r}); the workbook is corrupt.")
                return
        elif kind == "inlineStr":
            text = "".join(cell["inline"] or [])
        elif kind in ("str", "d"):
            text = raw or ""
        elif kind == "b":
            text = "TRUE" if (raw or "").strip() in ("1", "true") else "FALSE"
        elif kind == "e":
            self.issue(row, column, "excel_error_value",
                       f"セル {ref} は Excel のエラー値（{raw}）です。元の数式を直すか、値を入れてください。",
                       f"Cell {ref} holds the Excel error {raw}. Fix its formula or enter a value.")
            return
        else:
            if raw is None or not raw.strip():
                return
            try:
                style = self.styles[int(cell["style"])] if self.styles else ""
            except (ValueError, IndexError):
                style = ""
            if style == "percent":
                text = _percent_text(raw) or raw
            elif style == "date":
                text = _date_text(raw, self.date1904) or _number_text(raw)
            else:
                text = _number_text(raw)
        if len(text) > self.limits.max_cell_chars:
            self.issue(row, column, "cell_too_long",
                       f"セル {ref} が長すぎます（上限 {self.limits.max_cell_chars:,}文字）。",
                       f"Cell {ref} is too long (at most {self.limits.max_cell_chars:,} characters).")
            return
        self.cells[column] = text

    def _end_row(self, cells: dict[int, str]) -> None:
        if not cells:
            return
        width = max(cells) + 1
        values = [cells.get(i, "") for i in range(width)]
        if not any(v.strip() for v in values):
            return
        if self.header is None:
            self.header = values
            return
        if len(self.sheet.rows) >= self.limits.max_rows:
            self.issue(self.row_number, None, "too_many_rows",
                       f"行が多すぎます（上限 {self.limits.max_rows:,}行）。{self.row_number}行目から先は読んでいません。"
                       "環境変数 TSUNAGARI_MAX_ROWS で上限を上げられます。",
                       f"Too many rows (at most {self.limits.max_rows:,}); reading stopped at row {self.row_number}. "
                       "TSUNAGARI_MAX_ROWS raises the limit.")
            raise _Stop
        self.sheet.rows.append((self.row_number, values))
        if self.progress is not None and len(self.sheet.rows) % PROGRESS_EVERY_ROWS == 0:
            self.progress(self.sheet.file, len(self.sheet.rows))


def read_workbook_sheets(path: Path, *, limits: Limits, budget: Budget,
                         progress: Progress | None = None) -> tuple[list[tuple[Sheet, list[str] | None]], list[Issue]]:
    """Read every worksheet of the workbook at ``path``.

    Returns
    -------
    The sheets in workbook order, each with its header (``None`` if the sheet is empty) and rows
    ``(row_number, cells)`` after the header; and the issues of the whole workbook.

    Raises
    ------
    ArchiveProblem
        If the workbook as a whole cannot be read (not a workbook, corrupt, too large, a DTD).
    """
    file = path.name
    archive = open_zip(path, limits=limits, kind="xlsx")
    with archive:
        book = _Book(archive, file, budget)
        workbook = next((target for _, kind, target in book.relationships("")
                         if kind.endswith(_REL_TYPE_OFFICE)), "xl/workbook.xml")
        if workbook not in book.names:
            raise book.missing("本体（xl/workbook.xml）", "workbook part (xl/workbook.xml)")
        sheets: list[tuple[str, str]] = []
        date1904 = {"value": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == "sheet":
                sheets.append((attrs.get("name", ""), _attr(attrs, "id") or ""))
            elif tag == "workbookPr":
                date1904["value"] = attrs.get("date1904", "0").lower() in ("1", "true")

        book.parse(workbook, start)
        relations = book.relationships(workbook)
        targets = {rid: target for rid, kind, target in relations if kind.endswith(_REL_TYPE_SHEET)}
        strings_part = next((t for _, k, t in relations if k.endswith(_REL_TYPE_STRINGS)), None)
        styles_part = next((t for _, k, t in relations if k.endswith(_REL_TYPE_STYLES)), None)
        strings = _shared_strings(book, strings_part, limits)
        styles = _styles(book, styles_part)
        result: list[tuple[Sheet, list[str] | None]] = []
        issues: list[Issue] = []
        for title, rid in sheets:
            part = targets.get(rid)
            if part is None:
                continue  # a chart sheet or dialog sheet: no cells
            sheet = Sheet(title, f"{file}[{title}]")
            if part not in book.names:
                issues.append(Issue(sheet.file, None, None, "not_a_workbook",
                                    f"シートの中身（{part}）がブックにありません。ブックが壊れています。",
                                    f"The sheet's part ({part}) is missing from the workbook; it is corrupt."))
                continue
            reader = _SheetReader(sheet, strings, styles, date1904["value"], limits, progress)
            try:
                book.parse(part, reader.start, reader.end, reader.text)
            except _Stop:
                pass
            except ArchiveProblem as problem:
                issues.append(Issue(sheet.file, None, None, problem.issue.code, problem.issue.message_ja,
                                    problem.issue.message_en))
                continue
            result.append((sheet, reader.header))
        return result, issues
