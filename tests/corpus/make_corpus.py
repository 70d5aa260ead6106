"""Regenerate the broken-input corpus from the mini package: ``python tests/corpus/make_corpus.py``.

Each case is a folder ``tests/corpus/cases/<name>/`` holding a complete data package (the mini
package with one thing broken) and ``expected.json``: either ``{"valid": true}`` (with the content
that must load identically to the mini package) or the exact errors (file, row, column, code, and a
phrase each message must contain in Japanese and English). The files are committed, so the corpus
is reviewable as data; this script documents how each was made.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
MINI = HERE.parent / "fixtures" / "mini"
CASES = HERE / "cases"


def _text(folder: Path, name: str) -> str:
    return (folder / name).read_text("utf-8")


def _replace(folder: Path, name: str, old: str, new: str) -> None:
    text = _text(folder, name)
    assert old in text, (name, old)
    (folder / name).write_text(text.replace(old, new, 1), "utf-8")


def _all_encoded(encoding: str, bom: bytes = b"", tabs: bool = False) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for file in folder.glob("*.csv"):
            text = file.read_text("utf-8")
            if tabs:
                text = text.replace(",", "\t")
            file.write_bytes(bom + text.encode(encoding))
    return make


def _error(file, row, column, code, ja, en):
    return {"file": file, "row": row, "column": column, "code": code, "ja": ja, "en": en}


CaseMaker = Callable[[Path], None]
CASES_SPEC: dict[str, tuple[str, CaseMaker, dict]] = {}


def case(name: str, description: str, expected: dict) -> Callable[[CaseMaker], CaseMaker]:
    def register(make: CaseMaker) -> CaseMaker:
        CASES_SPEC[name] = (description, make, expected)
        return make
    return register


VALID = {"valid": True, "same_as_mini": True}

case("cp932", "Shift_JIS/CP932 files load identically to UTF-8", VALID)(_all_encoded("cp932"))
case("utf8_bom", "UTF-8 with BOM loads identically", VALID)(_all_encoded("utf-8", b"\xef\xbb\xbf"))
case("utf16_tab", "UTF-16 tab-separated export from Excel (Unicode テキスト) loads identically",
     VALID)(_all_encoded("utf-16-le", b"\xff\xfe", tabs=True))


@case("headers_reordered_and_japanese", "Columns in another order, some headers in Japanese", VALID)
def _reordered(folder: Path) -> None:
    lines = _text(folder, "agencies.csv").splitlines()
    rows = [line.split(",") for line in lines]
    order = [12, 1, 0, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11]
    rows[0] = ["備考" if h == "note" else "名称" if h == "name" else h for h in rows[0]]
    (folder / "agencies.csv").write_text("\n".join(",".join(r[i] for i in order) for r in rows) + "\n", "utf-8")


@case("fullwidth_numbers", "Full-width digits, commas and spaces in numbers are NFKC-normalized",
      {"valid": True, "same_as_mini": True})
def _fullwidth(folder: Path) -> None:
    _replace(folder, "districts.csv", ",1000,500,300,150,40.5,", ",１，０００, ５００ ,３００,１５０,４０．５％,")
    _replace(folder, "manifest.csv", "code,99999", "code,９９９９９")


@case("extra_column", "An unknown extra column is ignored with a warning", {"valid": True, "same_as_mini": True,
      "warnings": [_error("agencies.csv", 1, "内部メモ", "unknown_column", "無視", "ignored")]})
def _extra(folder: Path) -> None:
    lines = _text(folder, "agencies.csv").splitlines()
    lines = [lines[0] + ",内部メモ"] + [line + ",x" for line in lines[1:]]
    (folder / "agencies.csv").write_text("\n".join(lines) + "\n", "utf-8")


@case("undetectable_encoding", "Bytes that are no supported encoding", {"errors": [
    _error("agencies.csv", None, None, "encoding", "文字コードを判別できません", "Cannot detect the text encoding")]})
def _latin(folder: Path) -> None:
    (folder / "agencies.csv").write_bytes(b"id,name\n" + bytes(range(0x80, 0x100)) * 4 + b"\n")


@case("missing_column", "A required column is missing", {"errors": [
    _error("councils.csv", 1, "level", "missing_column", "必須の列「level」", "Required column `level`")]})
def _missing_column(folder: Path) -> None:
    lines = [line.split(",") for line in _text(folder, "councils.csv").splitlines()]
    (folder / "councils.csv").write_text("\n".join(",".join(r[:2] + r[3:]) for r in lines) + "\n", "utf-8")


@case("duplicate_ids", "The same id in two tables", {"errors": [
    _error("resident_groups.csv", 2, "id", "duplicate_id", "agencies.csv の2行目", "agencies.csv row 2")]})
def _duplicate(folder: Path) -> None:
    _replace(folder, "resident_groups.csv", "chokai_n,", "hub,")


@case("unknown_tie_end", "A tie to an id that no table has", {"errors": [
    _error("ties.csv", 3, "to", "unknown_reference", "「nowhere」のノードがありません", "No node has id 'nowhere'")]})
def _unknown_end(folder: Path) -> None:
    _replace(folder, "ties.csv", "housing,renkei,", "housing,nowhere,")


@case("self_tie", "A tie from a node to itself", {"errors": [
    _error("ties.csv", 7, "to", "self_tie", "自分自身との関係", "self ties are not allowed")]})
def _self_tie(folder: Path) -> None:
    _replace(folder, "ties.csv", "hub,shakyo,REFERS_TO", "hub,hub,REFERS_TO")


@case("negative_population", "Negative and non-numeric populations", {"errors": [
    _error("districts.csv", 2, "population", "number_out_of_range", "0以上", "0 or more"),
    _error("districts.csv", 3, "population", "bad_number", "整数", "whole number")]})
def _negative(folder: Path) -> None:
    _replace(folder, "districts.csv", ",1000,500,", ",-1000,500,")
    _replace(folder, "districts.csv", ",2000,900,", ",約2000人,900,")


@case("unknown_vocabulary", "A sector and a pillar outside the vocabulary", {"errors": [
    _error("agencies.csv", 3, "sector", "unknown_term", "語彙にありません", "not an allowed `sector`"),
    _error("programs.csv", 2, "pillar", "unknown_term", "語彙にありません", "not an allowed `pillar`")]})
def _vocab(folder: Path) -> None:
    _replace(folder, "agencies.csv", "庁内部署,住まい", "庁内部署,宇宙開発")
    _replace(folder, "programs.csv", ",包括的相談支援,", ",なんでも相談,")


@case("empty_file", "An empty table file", {"errors": [
    _error("needs.csv", None, None, "empty_file", "ファイルが空です", "The file is empty")]})
def _empty(folder: Path) -> None:
    (folder / "needs.csv").write_bytes(b"")
    (folder / "ties.csv").write_text(_text(folder, "ties.csv").replace(
        "p_houkatsu,hikikomori,ADDRESSES,,,,,test,\n", ""), "utf-8")


@case("missing_manifest", "No manifest at all", {"errors": [
    _error("manifest.csv", None, None, "missing_table", "manifest（基本情報）がありません", "The manifest is missing")]})
def _no_manifest(folder: Path) -> None:
    (folder / "manifest.csv").unlink()


@case("personal_data", "A column of personal data (氏名, 生年月日)", {"errors": [
    _error("agencies.csv", 1, "担当者氏名", "personal_data", "個人情報", "personal data"),
    _error("agencies.csv", 1, "生年月日", "personal_data", "個人情報", "personal data")]})
def _personal(folder: Path) -> None:
    lines = _text(folder, "agencies.csv").splitlines()
    lines = [lines[0] + ",担当者氏名,生年月日"] + [line + ",,," for line in lines[1:]]
    (folder / "agencies.csv").write_text("\n".join(lines) + "\n", "utf-8")


@case("broken_quotes", "Unbalanced quotes in a CSV", {"errors": [
    _error("councils.csv", 2, None, "csv_syntax", "CSVの書式が壊れています", "Malformed CSV")]})
def _quotes(folder: Path) -> None:
    _replace(folder, "councils.csv", "renkei,施策間連携会議,", 'renkei,"施策間"連携"会議,')


HOSTILE_NAME = "「重層」'; MATCH (n) DETACH DELETE n //`{x}`<script>alert(1)</script>\n改行"


@case("hostile_text", "Names with quotes, backticks, braces, newlines and Cypher/HTML/JS fragments load as plain text",
      {"valid": True, "names": {"99999:hub": HOSTILE_NAME}})
def _hostile(folder: Path) -> None:
    quoted = '"' + HOSTILE_NAME.replace('"', '""') + '"'
    _replace(folder, "agencies.csv", "hub,重層的支援推進担当課,", f"hub,{quoted},")


def main() -> None:
    if CASES.exists():
        shutil.rmtree(CASES)
    for name, (description, make, expected) in CASES_SPEC.items():
        folder = CASES / name
        shutil.copytree(MINI, folder)
        make(folder)
        (folder / "expected.json").write_text(
            json.dumps({"description": description, **expected}, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
