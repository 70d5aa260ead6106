"""The blank Excel template (様式) for entering a data package by hand.

One sheet per table, named as the loader reads it (基本情報, 圏域・地区, 機関・部署 … 関係), with the
Japanese column headers of the model, drop-down lists from the vocabulary, and a 記入方法 sheet that
explains every column. The loader skips the two sheets it does not read (記入方法, 語彙), so a filled
template loads as it is: ``tsunagari load 様式.xlsx``.
"""

from __future__ import annotations

import io
from pathlib import Path

from tsunagari.graph.model import MANIFEST_FIELDS, NODE_KINDS, TIES_TABLE, Column
from tsunagari.graph.vocabulary import vocabulary
from tsunagari.loaders.tables import INSTRUCTION_SHEETS

__all__ = ["template_workbook", "write_template", "TEMPLATE_ROWS"]

TEMPLATE_ROWS = 500
"""Rows of each data sheet that carry the drop-down lists."""

_GUIDE_SHEET, _VOCABULARY_SHEET = INSTRUCTION_SHEETS
_TIES_SHEET = "関係"
_MANIFEST_SHEET = "基本情報"


def _choices(column: Column) -> list[str]:
    if column.vocabulary is None:
        return []
    if column.vocabulary == "tie_kinds":  # ties are written by code (MEMBER_OF …): the code is the kind's name
        return [term.code for term in vocabulary("tie_kinds")]
    return vocabulary(column.vocabulary).labels("ja")


def template_workbook(lang: str = "ja"):
    """The template as an ``openpyxl.Workbook`` (``lang``: language of the 記入方法 sheet's explanations)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    en = lang == "en"
    workbook = Workbook()
    guide = workbook.active
    guide.title = _GUIDE_SHEET
    words = workbook.create_sheet(_VOCABULARY_SHEET)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")

    # 語彙: one column per vocabulary used by a column, referenced by the drop-down lists.
    lists: dict[str, str] = {}
    all_columns = [*MANIFEST_FIELDS, *TIES_TABLE, *(c for k in NODE_KINDS for c in k.columns)]
    for column in all_columns:
        key = column.vocabulary
        if key is None or key in lists:
            continue
        index = len(lists) + 1
        letter = get_column_letter(index)
        words.cell(row=1, column=index, value=key).font = bold
        choices = _choices(column)
        for row, value in enumerate(choices, start=2):
            words.cell(row=row, column=index, value=value)
        lists[key] = f"{quote_sheetname(_VOCABULARY_SHEET)}!${letter}$2:${letter}${len(choices) + 1}"
    words.sheet_state = "hidden"

    def header_sheet(title: str, columns: tuple[Column, ...]) -> None:
        sheet = workbook.create_sheet(title)
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.ja)
            cell.font = bold
            if column.required:
                cell.fill = required_fill
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, 2 * len(column.ja) + 4))
            if column.vocabulary:
                letter = get_column_letter(index)
                # Several values (`terms`, `;`-separated) are allowed, so the list suggests but does not refuse.
                several = column.type == "terms"
                rule = DataValidation(type="list", formula1=lists[column.vocabulary], allow_blank=True,
                                      showErrorMessage=not several)
                rule.error = "語彙の値から選んでください。" if not en else "Choose a value from the list."
                rule.prompt = ("複数は ; で区切ります" if several else "一覧から選びます") if not en else (
                    "Separate several values with ;" if several else "Choose from the list")
                rule.showInputMessage = True
                sheet.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.freeze_panes = "A2"

    manifest = workbook.create_sheet(_MANIFEST_SHEET)
    manifest.append(["key", "value"])
    for cell in manifest[1]:
        cell.font = bold
    for field in MANIFEST_FIELDS:
        manifest.append([field.ja, None])
        if field.required:
            manifest.cell(row=manifest.max_row, column=1).fill = required_fill
    manifest.column_dimensions["A"].width = 16
    manifest.column_dimensions["B"].width = 40
    for kind in NODE_KINDS:
        header_sheet(kind.table_ja, kind.columns)
    header_sheet(_TIES_SHEET, TIES_TABLE)

    # 記入方法: what each sheet and column means.
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 22
    guide.column_dimensions["C"].width = 8
    guide.column_dimensions["D"].width = 80
    guide.column_dimensions["E"].width = 28
    intro = (
        "Tsunagari data template. Fill in the sheets (yellow headers are required), keep the header row, and "
        "load the file with `tsunagari load FILE.xlsx` or the dashboard's Data page. Write organisations, "
        "councils and programs only: never names of people, phone numbers or addresses." if en else
        "つながり（Tsunagari）の入力様式です。各シートに記入し（黄色の見出しは必須）、見出し行は消さないでください。"
        "記入したら `tsunagari load ファイル.xlsx` かダッシュボードの「データ」ページで読み込みます。"
        "機関・会議体・事業だけを書き、個人の氏名・電話番号・住所は書かないでください。")
    guide.append([intro])
    guide["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    guide.merge_cells("A1:E1")
    guide.row_dimensions[1].height = 60
    guide.append([])
    guide.append(["シート / sheet", "列 / column", "必須", "説明" if not en else "description", "例 / example"])
    for cell in guide[3]:
        cell.font = bold

    def explain(sheet: str, columns: tuple[Column, ...]) -> None:
        for column in columns:
            guide.append([sheet, column.ja, "○" if column.required else "",
                          column.description_en if en else column.description_ja, column.example])
            guide.cell(row=guide.max_row, column=4).alignment = Alignment(wrap_text=True, vertical="top")

    explain(_MANIFEST_SHEET, MANIFEST_FIELDS)
    for kind in NODE_KINDS:
        explain(kind.table_ja, kind.columns)
    explain(_TIES_SHEET, TIES_TABLE)
    return workbook


def write_template(path: str | Path, lang: str = "ja") -> Path:
    """Write the template to ``path`` (an ``.xlsx`` file) and return the path."""
    target = Path(path).expanduser()
    target.write_bytes(template_bytes(lang))
    return target


def template_bytes(lang: str = "ja") -> bytes:
    """The template as ``.xlsx`` bytes (for a download button)."""
    buffer = io.BytesIO()
    template_workbook(lang).save(buffer)
    return buffer.getvalue()
