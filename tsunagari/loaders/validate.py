"""Validate raw tables against the graph model and build a :class:`DataPackage`.

Every problem is collected (file, row, column, Japanese and English message) and reported
together; nothing is returned unless there are no errors. Codes, ids, vocabulary values and
numbers are NFKC-normalized (全角 digits and letters become 半角); names and free text keep
their characters and only lose surrounding spaces.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tsunagari.graph.fiscal_year import FiscalYearError, parse_fiscal_year
from tsunagari.graph.model import MANIFEST_FIELDS, NODE_KINDS, TIES_TABLE, Column, NodeKind, node_kind
from tsunagari.graph.vocabulary import correction, vocabulary
from tsunagari.loaders.boundaries import read_boundaries
from tsunagari.loaders.errors import DataPackageError, Issue
from tsunagari.loaders.external_ids import ExternalIdError, normalize_external_id
from tsunagari.graph.records import DataPackage, NodeRecord, TieRecord, make_uid
from tsunagari.loaders.limits import Limits, Progress, ties_per_node_issues
from tsunagari.loaders.personal_data import personal_data_column, personal_data_value
from tsunagari.messages import message
from tsunagari.municipality_code import MunicipalityCodeError, normalize_code
from tsunagari.loaders.tables import MANIFEST_TABLE, TIES_TABLE_NAME, RawPackage, RawTable, read_raw_package

__all__ = ["validate_package", "read_package"]

_ID_PATTERN = re.compile(r"^[^\s:]{1,200}$")
_SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TRUE = {"true", "1", "yes", "y", "はい", "○", "◯", "有", "あり"}
_FALSE = {"false", "0", "no", "n", "いいえ", "×", "無", "なし", ""}
_MULTI_SEPARATOR = re.compile(r"[;、]")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _header_key(text: str) -> str:
    return _nfkc(text).casefold().replace(" ", "_")


@dataclass
class _Collector:
    issues: list[Issue]

    def error(self, file: str, row: int | None, column: str | None, code: str, ja: str, en: str) -> None:
        self.issues.append(Issue(file, row, column, code, ja, en, "error"))

    def warning(self, file: str, row: int | None, column: str | None, code: str, ja: str, en: str) -> None:
        self.issues.append(Issue(file, row, column, code, ja, en, "warning"))


def _map_header(table: RawTable, columns: tuple[Column, ...], out: _Collector) -> dict[str, int] | None:
    """Column name → index; reports missing required, duplicate and personal-data columns."""
    spellings = {}
    for column in columns:
        spellings[_header_key(column.name)] = column.name
        spellings[_header_key(column.ja)] = column.name
    legacy = _legacy_spellings(table, columns)
    spellings.update(legacy)
    positions: dict[str, int] = {}
    ok = True
    for index, raw in enumerate(table.header):
        if not raw.strip():
            continue
        personal = personal_data_column(raw)
        if personal:
            out.error(table.file, 1, raw, "personal_data",
                      f"個人情報と思われる列「{raw}」があります（{personal}）。Tsunagari は組織の関係だけを扱います。"
                      "この列を削除してから読み込んでください。",
                      f"Column `{raw}` looks like personal data ({personal}). Tsunagari maps organisations, "
                      "never people: delete the column and load again.")
            ok = False
            continue
        name = spellings.get(_header_key(raw))
        if name is None:
            out.warning(table.file, 1, raw, "unknown_column",
                        f"不明な列「{raw}」は無視します。使える列: {', '.join(c.name for c in columns)}",
                        f"Unknown column `{raw}` is ignored. Known columns: {', '.join(c.name for c in columns)}")
            continue
        if name in positions:
            out.error(table.file, 1, raw, "duplicate_column", f"列「{name}」が2回あります。1つにしてください。",
                      f"Column `{name}` appears twice. Keep one.")
            ok = False
            continue
        positions[name] = index
    for column in columns:
        if column.required and column.name not in positions:
            out.error(table.file, 1, column.name, "missing_column",
                      f"必須の列「{column.name}」（{column.ja}）がありません。見出し行に追加してください。",
                      f"Required column `{column.name}` ({column.ja}) is missing. Add it to the header row.")
            ok = False
    return positions if ok else None


def _legacy_spellings(table: RawTable, columns: tuple[Column, ...]) -> dict[str, str]:
    """Header spellings of older packages (``Column.legacy_names``) for the columns this header lacks.

    A legacy spelling may now be another column's name: districts' 層 was the area type and is now the
    tier. It is read the old way only when the header has no current spelling of this column and either
    no column owns the spelling now, or this column is required and its owner optional (a package with
    層 = 地区 but no 圏域の種類 column).
    """
    present = {_header_key(raw) for raw in table.header if raw.strip()}
    by_spelling = {}
    for column in columns:
        by_spelling[_header_key(column.name)] = column
        by_spelling[_header_key(column.ja)] = column
    result: dict[str, str] = {}
    for column in columns:
        if {_header_key(column.name), _header_key(column.ja)} & present:
            continue
        for legacy in column.legacy_names:
            key = _header_key(legacy)
            if key not in present:
                continue
            owner = by_spelling.get(key)
            if owner is None or (column.required and not owner.required):
                result[key] = column.name
    return result


def _convert(cell: str, column: Column, file: str, row: int, out: _Collector) -> tuple[bool, Any]:
    """Typed value of a cell; ``(False, None)`` after reporting a problem."""
    text = cell.strip()
    norm = text if column.type == "text" else _nfkc(text)
    if not norm:
        if column.required:
            out.error(file, row, column.name, "missing_value",
                      f"必須の値「{column.name}」（{column.ja}）が空です。例: {column.example}",
                      f"Required value `{column.name}` ({column.ja}) is empty. Example: {column.example}")
            return False, None
        return True, [] if column.type == "terms" else None
    if column.type == "text":
        personal = personal_data_value(text)
        if personal and column.name != "source":  # a source cites a document; its file name is not about a person
            ja, _, en = personal.partition(" / ")
            out.error(file, row, column.name, "personal_data_value",
                      f"個人情報とみられる値（{ja}）があります。Tsunagari は機関どうしの連携だけを扱います。"
                      "この値を削除してから読み込んでください。",
                      f"The cell holds what looks like personal data ({en}). Tsunagari maps organisations only: "
                      "remove the value and load again.")
            return False, None
        return True, text
    if column.type == "fiscal_year":
        try:
            return True, parse_fiscal_year(norm)
        except FiscalYearError as err:
            detail_ja, detail_en = err.message("ja"), err.message("en")
            out.error(file, row, column.name, "bad_fiscal_year",
                      f"「{column.name}」（{column.ja}）: {detail_ja}", f"`{column.name}` ({column.ja}): {detail_en}")
            return False, None
    if column.type == "code":
        try:
            return True, normalize_external_id(column.name, norm)
        except ExternalIdError as err:
            out.error(file, row, column.name, "bad_external_id", f"「{column.ja}」: {err.ja}", f"`{column.name}`: {err.en}")
            return False, None
    if column.type in ("id", "ref"):
        if not _ID_PATTERN.match(norm):
            out.error(file, row, column.name, "bad_id",
                      f"IDに空白や「:」は使えません（値: {norm!r}）。",
                      f"An id may not contain spaces or `:`. Got {norm!r}.")
            return False, None
        return True, norm
    if column.type in ("int", "float", "percent"):
        number_text = norm.replace(",", "").replace(" ", "")
        if column.type == "percent":
            number_text = number_text.removesuffix("%")
        try:
            value: float | int = int(number_text) if column.type == "int" else float(number_text)
        except ValueError:
            kind = "整数" if column.type == "int" else "数値"
            out.error(file, row, column.name, "bad_number",
                      f"「{column.name}」は{kind}で書いてください（値: {text!r}）。単位や文字は入れないでください。",
                      f"`{column.name}` must be a {'whole number' if column.type == 'int' else 'number'}; "
                      f"got {text!r}. Leave out units and text.")
            return False, None
        if column.type == "int" and value > _MAX_INT64:  # the stores hold 64-bit integers
            out.error(file, row, column.name, "number_too_large",
                      f"「{column.name}」の値が大きすぎます（値: {text!r}、上限 {_MAX_INT64:,}）。",
                      f"`{column.name}` is too large: {text!r} (at most {_MAX_INT64:,}).")
            return False, None
        if value != value or value in (float("inf"), float("-inf")) or value < 0 or (
                column.type == "percent" and value > 100):
            limit = "0〜100" if column.type == "percent" else "0以上"
            out.error(file, row, column.name, "number_out_of_range",
                      f"「{column.name}」は{limit}の値にしてください（値: {text!r}）。",
                      f"`{column.name}` must be {'between 0 and 100' if column.type == 'percent' else '0 or more'}; "
                      f"got {text!r}.")
            return False, None
        return True, value
    if column.type == "bool":
        key = norm.casefold()
        if key in _TRUE:
            return True, True
        if key in _FALSE:
            return True, False
        out.error(file, row, column.name, "bad_bool",
                  f"「{column.name}」は true / false で書いてください（値: {text!r}）。",
                  f"`{column.name}` must be true or false; got {text!r}.")
        return False, None
    vocab = vocabulary(column.vocabulary or "")
    values = [v for v in (_nfkc(p) for p in _MULTI_SEPARATOR.split(norm)) if v] if column.type == "terms" else [norm]
    labels = []
    for value in values:  # type: ignore[assignment]
        term = vocab.lookup(value)  # type: ignore[arg-type]
        if term is None:
            fix = correction(vocab.name, str(value))
            if fix is not None:
                out.error(file, row, column.name, "wrong_term", f"「{value}」は使えません。{fix.ja}",
                          f"`{value}` cannot be used. {fix.en}")
                return False, None
            allowed = "、".join(vocab.labels("ja"))
            local_ja, local_en = ("。この市町村独自の課題なら、local 列を true にしてください", " For a need of the "
                                  "municipality's own, set `local` to true.") if column.vocabulary == "needs" else ("", "")
            out.error(file, row, column.name, "unknown_term",
                      f"「{value}」は「{column.ja}」の語彙にありません。次のいずれかを使ってください: {allowed}{local_ja}",
                      f"`{value}` is not an allowed `{column.name}`. Use one of: {', '.join(vocab.labels('en'))} "
                      f"(or the Japanese labels).{local_en}")
            return False, None
        labels.append(term.code if column.vocabulary in ("tie_kinds", "node_kinds") else term.ja)
    if column.type == "terms":
        return True, sorted(set(labels), key=labels.index)
    return True, labels[0]


_MAX_INT64 = 2**63 - 1


def _has_column(table: RawTable, column: Column) -> bool:
    wanted = {_header_key(column.name), _header_key(column.ja)}
    return any(_header_key(raw) in wanted for raw in table.header)


def _read_rows(table: RawTable, columns: tuple[Column, ...], out: _Collector) -> list[tuple[int, dict[str, Any]]]:
    positions = _map_header(table, columns, out)
    if positions is None:
        return []
    records = []
    local_index = positions.get("local") if any(c.name == "local" for c in columns) else None
    for row, cells in table.rows:
        record: dict[str, Any] = {}
        ok = True
        # A need of the municipality's own (local = true) keeps its name as written, unless the
        # vocabulary knows it (then the vocabulary's spelling is used, so two packages agree).
        local = local_index is not None and local_index < len(cells) and \
            _nfkc(cells[local_index]).casefold() in _TRUE
        for column in columns:
            index = positions.get(column.name)
            cell = cells[index] if index is not None and index < len(cells) else ""
            if local and column.name == "name" and column.vocabulary and not (
                    vocabulary(column.vocabulary).lookup(_nfkc(cell)) if _nfkc(cell) else None):
                column = dataclasses.replace(column, type="text", vocabulary=None)
            good, value = _convert(cell, column, table.file, row, out)
            ok &= good
            record[column.name] = value
        # Keep a row whose own id is readable even if another cell is bad: its error is already
        # recorded, and dropping it would add misleading "unknown id" errors on rows that refer to it.
        if ok or (record.get("id") and "from" not in record):
            records.append((row, record))
    return records


def _manifest(raw: RawPackage, out: _Collector) -> dict[str, Any] | None:
    table = raw.tables.get(MANIFEST_TABLE)
    if table is None and (raw.unreadable or MANIFEST_TABLE in raw.sources):
        return None  # the manifest, or the whole archive, could not be read: that error is already reported
    if table is None:
        out.error("manifest.csv", None, None, "missing_table",
                  "manifest（基本情報）がありません。key,value の2列で code, name, slug, source を書いてください。",
                  "The manifest is missing. Add manifest.csv with columns key,value giving code, name, slug and source.")
        return None
    fields = {f.name: f for f in MANIFEST_FIELDS}
    by_label = {_header_key(f.ja): f.name for f in MANIFEST_FIELDS} | {_header_key(n): n for n in fields}
    values: dict[str, Any] = {}
    ok = True
    for row, cells in table.rows:
        key = by_label.get(_header_key(cells[0] if cells else ""))
        if key is None:
            out.warning(table.file, row, "key", "unknown_manifest_key",
                        f"不明な項目「{cells[0] if cells else ''}」は無視します。",
                        f"Unknown manifest key {cells[0] if cells else ''!r} is ignored.")
            continue
        if any(cell.strip() for cell in cells[2:]):
            out.warning(table.file, row, "value", "extra_manifest_cells",
                        "値に区切り文字（,）が含まれ、3列目以降が切り捨てられました。値全体を \"\" で囲んでください。",
                        "The value holds a delimiter and cells after the second were dropped. Quote the whole value.")
        good, value = _convert(cells[1] if len(cells) > 1 else "", fields[key], table.file, row, out)
        ok &= good
        values[key] = value
    for name, field in fields.items():
        if field.required and values.get(name) in (None, ""):
            if name not in values:
                out.error(table.file, None, name, "missing_value",
                          f"manifest に「{name}」（{field.ja}）がありません。例: {field.example}",
                          f"The manifest lacks `{name}` ({field.ja}). Example: {field.example}")
            ok = False
    code = _nfkc(str(values.get("code") or ""))
    if code:
        # One municipality, one key: the 5-digit form; a 6-digit code must have its check digit right.
        try:
            code = normalize_code(code, prefecture=str(values.get("prefecture") or "") or None)
        except MunicipalityCodeError as err:
            out.error(table.file, None, "code", "bad_code", err.message("ja"), err.message("en"))
            ok = False
    slug = _nfkc(str(values.get("slug") or "")).lower()
    if slug and not _SLUG_PATTERN.match(slug):
        out.error(table.file, None, "slug", "bad_slug",
                  f"slug は半角英小文字・数字・-・_ で書いてください（値: {slug!r}）。",
                  f"`slug` must be lowercase ASCII letters, digits, - or _; got {slug!r}.")
        ok = False
    if not ok:
        return None
    values["code"], values["slug"] = code, slug
    return {f.name: values.get(f.name) for f in MANIFEST_FIELDS}


def _tie_id(code: str, kind: str, from_id: str, to_id: str, role: Any, basis: Any) -> str:
    key = "\x1f".join(str(x or "") for x in (kind, from_id, to_id, role, basis))
    return f"{code}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


def _tables_ja(labels: object) -> str:
    """Node labels as the Japanese names of their tables (「機関・部署」・「会議体」), as the user's files call them."""
    return "・".join(f"「{node_kind(str(label)).table_ja}」" for label in labels)  # type: ignore[attr-defined]


def validate_package(raw: RawPackage, *, limits: Limits | None = None) -> DataPackage:
    """Validate ``raw`` against the model and return the typed :class:`DataPackage`.

    Raises
    ------
    DataPackageError
        Listing every error (file, row, column, Japanese and English message) if any was found.
    """
    out = _Collector(list(raw.issues))
    manifest = _manifest(raw, out)
    code = manifest["code"] if manifest else "0"

    # 1. Node rows, with ids unique across all tables.
    nodes: dict[str, tuple[NodeKind, int, dict[str, Any], str]] = {}
    # If a table could not be read at all, ids it holds are unknown: skip "unknown id" errors
    # (they would be consequences, not causes) until it is fixed.
    unreadable = any(i.severity == "error" for i in raw.issues)
    for kind in NODE_KINDS:
        table = raw.tables.get(kind.table)
        if table is None:
            continue
        errors_before = len(out.issues)
        rows = _read_rows(table, kind.columns, out)
        if not rows and table.rows and len(out.issues) > errors_before:
            unreadable = True
        if kind.label == "Agency" and not _has_column(table, kind.column("serves")):
            # Packages written before `serves` existed filled `district` with the area an agency
            # works in: keep reading it that way (documented in docs/data-format.md), and say so once.
            # Districts are read before agencies (NODE_KINDS order): copy only a valid district id, so a
            # bad one is reported once, on `district`.
            def known_district(value: object) -> bool:
                return bool(value) and value in nodes and nodes[str(value)][0].label == "District"

            moved = [row for row, record in rows if known_district(record.get("district"))]
            for _, record in rows:
                record["serves"] = record["district"] if known_district(record.get("district")) else None
            if moved:
                out.warning(table.file, 1, "serves", "district_read_as_serves",
                            f"「serves」（担当区域）列がないため、{len(moved)}行の district（所在地）を担当区域としても"
                            "読みました。所在地と担当区域が違う機関は serves 列を追加してください（空欄 = 市町村全域）。",
                            f"No `serves` column: the `district` (location) of {len(moved)} row(s) is read as the area "
                            "served too. Add a `serves` column where they differ (empty = the whole municipality).")
        for row, record in rows:
            local_id = record["id"]
            if local_id in nodes:
                other_kind, other_row, _, other_file = nodes[local_id]
                out.error(table.file, row, "id", "duplicate_id",
                          f"ID「{local_id}」は {other_file} の{other_row}行目でも使われています。別のIDにしてください。",
                          f"Id {local_id!r} is already used in {other_file} row {other_row}. Give each row its own id.")
                continue
            nodes[local_id] = (kind, row, record, table.file)
    if not any(k.table in raw.tables for k in NODE_KINDS) and manifest is not None:
        out.error(raw.path, None, None, "no_nodes", "ノードの表（agencies.csv など）が1つもありません。",
                  "The package has no node tables (agencies.csv etc.).")

    # 1b. District boundaries (districts.geojson): into each district's `boundary`, never from its table.
    district_ids = {i for i, (k, *_rest) in nodes.items() if k.label == "District"}
    boundaries, boundary_issues = read_boundaries(raw.path, district_ids, limits=limits)
    out.issues.extend(boundary_issues)
    for local_id in district_ids:
        nodes[local_id][2]["boundary"] = boundaries.get(local_id)

    # 2. Reference columns, and the ties they imply.
    node_records: list[NodeRecord] = []
    tie_records: list[TieRecord] = []
    municipality_uid = code
    for local_id, (kind, row, record, file) in nodes.items():
        for column in kind.columns:
            if column.type != "ref" or not record.get(column.name):
                continue
            target = nodes.get(record[column.name])
            if target is None and unreadable:
                continue
            if target is None or target[0].label not in column.ref_kinds:
                found = f"（{target[0].table_ja}（{target[0].table}）にあります）" if target else ""
                out.error(file, row, column.name, "unknown_reference",
                          f"「{record[column.name]}」は{_tables_ja(column.ref_kinds)}のIDとして見つかりません{found}。"
                          "IDの綴りを確認するか、その行を追加してください。",
                          f"{record[column.name]!r} is not the id of a {' or '.join(column.ref_kinds)}"
                          f"{' (it is in ' + target[0].table + ')' if target else ''}. Check the spelling or add that row.")
                continue
            if record[column.name] == local_id:
                out.error(file, row, column.name, "self_reference", "自分自身を参照しています。",
                          "The row refers to itself.")
                continue
            if column.implies:
                tie_kind = column.implies
                ends = [(local_id, kind.label), (record[column.name], target[0].label)]
                if column.implies_reverse:
                    ends.reverse()
                (start, start_label), (end, end_label) = ends
                tie_records.append(TieRecord(
                    tie_kind, _tie_id(code, tie_kind, start, end, column.name, "implied"),
                    make_uid(code, start), make_uid(code, end), start_label, end_label,
                    # A 所管課 or convener is responsible, not the contractor: the tie carries no operation.
                    {"role": None, "operation": None, "agreement": None, "year": None,
                     "weight": 1.0, "basis": f"{kind.table}.{column.name}", "source": record["source"],
                     "note": None, "municipality": code}))
        if kind.label == "District" and not record.get("parent"):
            tie_records.append(TieRecord(
                "PART_OF", _tie_id(code, "PART_OF", local_id, code, "parent", "implied"),
                make_uid(code, local_id), municipality_uid, "District", "Municipality",
                {"role": None, "operation": None, "agreement": None, "year": None, "weight": 1.0,
                 "basis": "districts.parent",
                 "source": record["source"], "note": None, "municipality": code}))
        properties = dict(record, municipality=code)
        if kind.label == "Need":
            need = vocabulary("needs").lookup(str(record["name"] or ""))
            properties["name_en"] = properties.get("name_en") or (need.en if need else None)
            properties["local"] = bool(record.get("local")) and need is None
        node_records.append(NodeRecord(kind.label, make_uid(code, local_id), properties))

    # 3. Explicit ties.
    tie_kinds = vocabulary("tie_kinds")
    ties_table = raw.tables.get(TIES_TABLE_NAME)
    seen_ties: dict[str, int] = {}
    if ties_table is not None:
        for row, record in _read_rows(ties_table, TIES_TABLE, out):
            ends = []
            for end in ("from", "to"):
                target = nodes.get(record[end])
                if target is None and not unreadable:
                    out.error(ties_table.file, row, end, "unknown_reference",
                              f"ID「{record[end]}」のノードがありません。IDの綴りを確認するか、ノードの表に追加してください。",
                              f"No node has id {record[end]!r}. Check the spelling or add the node to its table.")
                ends.append(target)  # type: ignore[arg-type]
            if None in ends:
                continue
            if record["from"] == record["to"]:
                out.error(ties_table.file, row, "to", "self_tie",
                          f"起点と終点が同じ（{record['from']}）です。自分自身との関係は登録できません。",
                          f"The tie starts and ends at {record['from']!r}; self ties are not allowed.")
                continue
            term = tie_kinds.by_code(record["kind"])
            from_label, to_label = ends[0][0].label, ends[1][0].label
            if from_label not in term.extra["from"] or to_label not in term.extra["to"]:  # type: ignore[operator]
                out.error(ties_table.file, row, "kind", "tie_kind_mismatch",
                          f"関係「{term.ja}（{term.code}）」は{_tables_ja([from_label])}から{_tables_ja([to_label])}へは結べません。"
                          f"起点にできるのは{_tables_ja(term.extra['from'])}、終点にできるのは{_tables_ja(term.extra['to'])}です。",
                          f"A {term.code} tie cannot go from {from_label} to {to_label}; allowed from "
                          f"{', '.join(term.extra['from'])} to {', '.join(term.extra['to'])}.")  # type: ignore[arg-type]
                continue
            if record["role"] and term.code != "MEMBER_OF":
                out.warning(ties_table.file, row, "role", "role_ignored",
                            "役割（role）は MEMBER_OF の関係にだけ意味があります。",
                            "`role` only means something on MEMBER_OF ties.")
            if term.code == "AGREEMENT":
                if not record["agreement"]:
                    out.warning(ties_table.file, row, "agreement", "agreement_type_missing",
                                "協定（AGREEMENT）の種類（agreement）が空です。見守り協定・包括連携協定などを書くと、"
                                "協定の一覧で種類別に数えられます。",
                                "The AGREEMENT tie gives no `agreement` type (見守り協定, 包括連携協定 …); add it so "
                                "agreements can be counted by type.")
                if record["year"] is not None and not 1868 <= record["year"] <= 2100:
                    out.error(ties_table.file, row, "year", "number_out_of_range",
                              f"締結年（year）は西暦で書いてください（値: {record['year']}）。例: 2021",
                              f"`year` is the calendar year the agreement was signed; got {record['year']}. "
                              "Example: 2021")
                    continue
            elif record["agreement"] or record["year"] is not None:
                out.warning(ties_table.file, row, "agreement" if record["agreement"] else "year",
                            "agreement_ignored",
                            "協定の種類・締結年（agreement, year）は AGREEMENT の関係にだけ意味があります。",
                            "`agreement` and `year` only mean something on AGREEMENT ties.")
            if record["weight"] is not None and record["weight"] <= 0:
                out.error(ties_table.file, row, "weight", "number_out_of_range",
                          "重み（weight）は0より大きい値にしてください。", "`weight` must be greater than 0.")
                continue
            tid = _tie_id(code, term.code, record["from"], record["to"], record["role"], record["basis"])
            if tid in seen_ties:
                out.error(ties_table.file, row, None, "duplicate_tie",
                          f"{seen_ties[tid]}行目と同じ関係（起点・終点・種類・役割・根拠が同じ）です。重複を削除するか、weight で表してください。",
                          f"Same tie (from, to, kind, role, basis) as row {seen_ties[tid]}. Delete the duplicate "
                          "or express repetition with `weight`.")
                continue
            seen_ties[tid] = row
            properties = {k: record[k] for k in ("role", "operation", "agreement", "year", "weight", "basis",
                                                 "source", "note")}
            properties["weight"] = properties["weight"] if properties["weight"] is not None else 1.0
            properties["municipality"] = code
            tie_records.append(TieRecord(term.code, tid, make_uid(code, record["from"]), make_uid(code, record["to"]),
                                         from_label, to_label, properties))

    # 4. Cross-field checks.
    articles = vocabulary("articles")
    agency_types = vocabulary("agency_types")
    for local_id, (kind, row, record, file) in nodes.items():
        if kind.label == "Program" and record.get("articles") and record.get("pillar"):
            for article in record["articles"]:
                article_pillar = articles.lookup(article).extra["pillar"]  # type: ignore[union-attr]
                if article_pillar != record["pillar"]:
                    out.error(file, row, "articles", "article_pillar_mismatch",
                              f"条項「{article}」は「{article_pillar}」の号です。事業区分「{record['pillar']}」と合いません。",
                              f"Article {article} belongs to pillar {article_pillar}, not {record['pillar']}.")
        if kind.label == "Agency" and record.get("type") and not record.get("parent"):
            agency_type = agency_types.lookup(record["type"])
            if agency_type is not None and agency_type.extra.get("post"):
                out.warning(file, row, "parent", "post_without_holder",
                            f"「{record['name']}」は専門職の配置（{agency_type.ja}）ですが、配置先の機関（parent）がありません。"
                            "配置先（社協、地域包括支援センターなど）のIDを parent に書いてください。書かないと、この配置は"
                            "どの機関ともつながらない独立した組織として数えられます。",
                            f"{record['name']!r} is a post ({agency_type.en}) but gives no holding organisation "
                            "(`parent`). Add the id of the organisation it is placed in; without it the post counts "
                            "as a free-standing organisation with no tie to its holder.")
        if kind.label == "District" and record.get("tier") and record.get("layer"):
            layer = vocabulary("layers").lookup(str(record["layer"]))
            if layer is not None and (layer.code == "city") != (record["tier"] == "第1層"):
                out.error(file, row, "tier", "tier_layer_mismatch",
                          f"圏域の種類「{record['layer']}」と層「{record['tier']}」が合いません。市域は第1層、"
                          "第1層は市域だけです。",
                          f"Area type {record['layer']!r} does not fit tier {record['tier']!r}: 市域 (city-wide) "
                          "is 第1層, and 第1層 is 市域 only.")
        if kind.label == "Need" and record.get("local") and vocabulary("needs").lookup(str(record.get("name") or "")):
            out.warning(file, row, "local", "local_need_in_vocabulary",
                        f"「{record['name']}」は語彙にある課題です。local は空欄にしてください（語彙の名称で数えます）。",
                        f"{record['name']!r} is in the vocabulary; leave `local` empty (it is counted under the "
                        "vocabulary's name).")

    def locate(uid: str) -> tuple[str, int | None]:
        found = nodes.get(uid.split(":", 1)[-1]) if uid != municipality_uid else None
        manifest_file = raw.tables[MANIFEST_TABLE].file if MANIFEST_TABLE in raw.tables else "manifest.csv"
        return (found[3], found[1]) if found else (manifest_file, None)

    out.issues.extend(ties_per_node_issues(((t.from_uid, t.to_uid) for t in tie_records), locate,
                                           limits if limits is not None else Limits.from_env()))
    errors = [i for i in out.issues if i.severity == "error"]
    if errors and unreadable:
        out.warning(raw.path, None, None, "references_not_checked",
                    "読めなかった表があるため、IDの参照はまだ確認していません。上のエラーを直してからもう一度読み込んでください。",
                    "Some table could not be read, so id references were not checked yet. Fix the errors above "
                    "and load again.")
    if errors:
        raise DataPackageError(out.issues)
    assert manifest is not None
    if manifest.get("fiscal_year") is None:  # only said of a package that loads: beside errors it is noise
        manifest_file = raw.tables[MANIFEST_TABLE].file if MANIFEST_TABLE in raw.tables else "manifest.csv"
        out.warning(manifest_file, None, "fiscal_year", "missing_fiscal_year",
                    message("fiscal_year.missing", "ja"), message("fiscal_year.missing", "en"))
    municipality = dict(manifest)
    node_records.insert(0, NodeRecord("Municipality", municipality_uid,
                                      {**municipality, "id": code, "municipality": code}))
    return DataPackage(
        code=code,
        municipality=municipality,
        nodes=tuple(node_records),
        ties=tuple(sorted(tie_records, key=lambda t: (t.kind, t.tid))),
        path=raw.path,
        warnings=tuple(i for i in out.issues if i.severity == "warning"),
        encodings={t.file: t.encoding for t in raw.tables.values()},
    )


def read_package(path: str | Path, *, limits: Limits | None = None,
                 progress: Progress | None = None) -> DataPackage:
    """Read and validate the data package at ``path`` (folder, .zip or .xlsx).

    Raises
    ------
    PackageNotFoundError
        If nothing readable is at ``path``.
    DataPackageError
        Listing every problem with file, row and column, if the package is invalid.
    """
    limits = limits if limits is not None else Limits.from_env()
    return validate_package(read_raw_package(path, limits=limits, progress=progress), limits=limits)
