"""What every importer produces: the rows of a data package, a to-do list, and the notices; written to a folder.

The folder is an ordinary data package (``docs/data-format.md``): ``manifest.csv`` and the node and
tie tables with every column of the model, English headers, UTF-8 with a BOM (so Excel opens it),
rows sorted by id, nothing time-dependent, so importing the same files again writes the same bytes.

**Re-import into the same folder** keeps what the user reviewed: a row whose id the importer writes
again (ids come from stable external ids: 介護保険事業所番号, 医療機関コード, HSDS ids …) keeps the
user's values of the *reviewed* columns (type, sector, domains, operation, parent, serves, pillar,
articles, name_en, note …), while the columns read from the data (name, district, features, the
external ids, source) are refreshed. Rows the user added, and rows of other imports, are kept as
they are. The manifest keeps the user's name, slug and note.

What could not be mapped goes to ``_mapping_todo.csv`` in the folder (file, row, column, value, what
to do, in Japanese and English). The loader skips files whose name begins with ``_``, so the
package loads with or without it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from tsunagari.graph.model import MANIFEST_FIELDS, NODE_KINDS, TIES_TABLE
from tsunagari.graph.records import DataPackage
from tsunagari.loaders.errors import DataPackageError, Issue
from tsunagari.loaders.importers.errors import ImportSourceError

__all__ = ["TodoItem", "Notice", "ImportResult", "write_package", "TODO_FILE", "REVIEWED_COLUMNS"]

TODO_FILE = "_mapping_todo.csv"
_TODO_HEADER = ("file", "row", "column", "value", "todo_ja", "todo_en")

# Columns a user reviews after an import; a re-import keeps the user's value (when non-empty).
REVIEWED_COLUMNS: dict[str, tuple[str, ...]] = {
    "districts": ("name_en", "layer", "tier", "parent", "association_rate", "note"),
    "agencies": ("name_en", "type", "sector", "domains", "operation", "parent", "serves", "count", "aggregate", "note"),
    "programs": ("name_en", "pillar", "articles", "domains", "operation", "responsible", "district", "targets",
                 "count", "aggregate", "note"),
    "ties": ("role", "operation", "weight", "basis", "note"),
}
_MANIFEST_REVIEWED = ("name", "name_en", "slug", "note")


@dataclass(frozen=True)
class TodoItem:
    """One thing the importer could not map: where it is, the value, and what the user can do."""

    file: str
    row: int | None
    column: str
    value: str
    ja: str
    en: str
    # When set, the item is resolved once the written row `resolved_by[1]` of table `resolved_by[0]` no
    # longer has the default value `resolved_by[3]` in column `resolved_by[2]` (the user fixed it).
    resolved_by: tuple[str, str, str, str] | None = None


@dataclass(frozen=True)
class Notice:
    """A line for the user about the whole import (columns dropped, date chosen …), in both languages."""

    ja: str
    en: str


@dataclass
class ImportResult:
    """The package rows an importer built (table → id → row), with its to-do list and notices."""

    manifest: dict[str, str]
    tables: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    todo: list[TodoItem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    inputs: tuple[str, ...] = ()
    package: DataPackage | None = None  # the written folder, read back by the loader
    issues: tuple[Issue, ...] = ()  # the loader's errors if the written folder does not load

    def add(self, table: str, row: dict[str, str]) -> None:
        """Add (or replace) the row with ``row["id"]`` (ties: keyed by from, to and kind)."""
        key = row["id"] if table != "ties" else "\x1f".join((row["from"], row["to"], row["kind"]))
        self.tables.setdefault(table, {})[key] = row

    def todo_item(self, *args: object, **kwargs: object) -> None:
        """Record a :class:`TodoItem` (same arguments)."""
        self.todo.append(TodoItem(*args, **kwargs))  # type: ignore[arg-type]

    def notice(self, ja: str, en: str) -> None:
        """Record a :class:`Notice` once."""
        if Notice(ja, en) not in self.notices:
            self.notices.append(Notice(ja, en))


def _columns(table: str) -> list[str]:
    if table == "ties":
        return [c.name for c in TIES_TABLE]
    return [c.name for c in next(k for k in NODE_KINDS if k.table == table).columns]


def _read_existing(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    from tsunagari.loaders.encoding import decode_text

    text, _ = decode_text(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    if not rows:
        return [], []
    header = [h.strip() for h in rows[0]]
    return header, [dict(zip(header, r)) for r in rows[1:] if any(c.strip() for c in r)]


def _key(table: str, row: dict[str, str]) -> str:
    if table == "ties":
        return "\x1f".join((row.get("from", ""), row.get("to", ""), row.get("kind", "")))
    return row.get("id", "")


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _merge(table: str, new: dict[str, dict[str, str]], existing: list[dict[str, str]],
           inputs: tuple[str, ...], result: ImportResult) -> list[dict[str, str]]:
    merged = {k: dict(v) for k, v in new.items()}
    for old in existing:
        key = _key(table, old)
        if not key:
            continue
        if key in merged:
            for column in REVIEWED_COLUMNS.get(table, ()):
                if (old.get(column) or "").strip():
                    merged[key][column] = old[column]
            continue
        merged[key] = old  # the user's own row, or another import's: kept as it is
        source = old.get("source", "")
        if table != "ties" and any(source.startswith(f"{name} ") for name in inputs):
            result.todo_item(table + ".csv", None, "id", key,
                             "前回の取り込みにあった行ですが、今回のデータにありません（廃止・移転？）。不要なら削除してください。",
                             "This row came from an earlier import of this file but is not in it now (closed or "
                             "moved?). Delete it if it is gone.")
    return [merged[k] for k in sorted(merged)]


def write_package(result: ImportResult, folder: str | Path) -> ImportResult:
    """Write ``result`` into ``folder`` (merging with a package already there), then read it back with the loader.

    Returns ``result`` with ``package`` (the loaded :class:`DataPackage`) or, if the written folder
    does not load (e.g. a user's edit in a kept row is invalid), ``issues``.

    Raises
    ------
    ImportSourceError
        If ``folder`` is a file.
    """
    from tsunagari.loaders.validate import read_package

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ImportSourceError("importer.out_is_file", path=str(folder))
    folder.mkdir(parents=True, exist_ok=True)

    manifest = dict(result.manifest)
    manifest_path = folder / "manifest.csv"
    if manifest_path.exists():
        _, old_rows = _read_existing(manifest_path)
        old = {r.get("key", "").strip(): r.get("value", "") for r in old_rows}
        for key in _MANIFEST_REVIEWED:
            if old.get(key, "").strip():
                manifest[key] = old[key]
    result.manifest = manifest
    manifest_rows = [[f.name, manifest.get(f.name, "")] for f in MANIFEST_FIELDS if manifest.get(f.name, "") != ""]
    files = {"manifest.csv": _csv_bytes(["key", "value"], manifest_rows)}

    for table in [k.table for k in NODE_KINDS] + ["ties"]:
        path = folder / f"{table}.csv"
        existing_header, existing = _read_existing(path) if path.exists() else ([], [])
        new = result.tables.get(table, {})
        if not new and not existing:
            continue
        rows = _merge(table, new, existing, result.inputs, result)
        header = _columns(table) + [h for h in existing_header if h and h not in _columns(table)]
        files[f"{table}.csv"] = _csv_bytes(header, [[row.get(c, "") or "" for c in header] for row in rows])
        result.tables[table] = {_key(table, r): r for r in rows}

    open_items = []
    for item in result.todo:
        if item.resolved_by is not None:
            table, key, column, default = item.resolved_by
            row = {column: manifest.get(column, "")} if table == "manifest" else result.tables.get(table, {}).get(key)
            if row is not None and (row.get(column) or "") != default:
                continue
        open_items.append(item)
    open_items.sort(key=lambda i: (i.file, i.row or 0, i.column, i.value, i.ja))
    unique = list(dict.fromkeys(open_items))
    result.todo = unique
    files[TODO_FILE] = _csv_bytes(list(_TODO_HEADER), [[i.file, "" if i.row is None else str(i.row), i.column,
                                                        i.value, i.ja, i.en] for i in unique])
    for name, data in files.items():
        target = folder / name
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    try:
        result.package = read_package(folder)
    except DataPackageError as err:
        result.issues = tuple(i for i in err.issues if i.severity == "error")
    return result
