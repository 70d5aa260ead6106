"""Writing an import: byte-identical on re-import, the user's reviewed edits kept, the to-do file skipped by the loader."""

from __future__ import annotations

from pathlib import Path

from tsunagari.loaders.importers import TODO_FILE, import_opendata, write_package

FIXTURES = Path(__file__).parents[2] / "fixtures" / "importers" / "opendata"
FILES = [FIXTURES / f for f in ("kaigo.csv", "iryo.csv", "childcare.csv", "koukyou.csv", "jinkou.csv")]


def _import(folder: Path, code: str = "99999"):
    return write_package(import_opendata(FILES, code=code, districts=FIXTURES / "towns.csv"), folder)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_reimport_is_byte_identical(tmp_path):
    _import(tmp_path / "a")
    first = _snapshot(tmp_path / "a")
    _import(tmp_path / "a", code="999997")  # the 6-digit form: the same municipality
    assert _snapshot(tmp_path / "a") == first
    _import(tmp_path / "b")
    assert _snapshot(tmp_path / "b") == first


def test_reimport_keeps_reviewed_edits_and_added_rows(tmp_path):
    folder = tmp_path / "pkg"
    _import(folder)
    agencies = (folder / "agencies.csv").read_text("utf-8-sig")
    # The user fixes みなと会館's sector (a to-do item) and adds a row of their own.
    agencies = agencies.replace("pub_P004,みなと会館,,市の施設,その他,", "pub_P004,みなと会館,,市の施設,地域振興・市民協働,")
    agencies += "own,地域の見守りネットワーク,,ネットワーク,福祉,,,,,,,,,,,,聞き取り,\r\n"
    (folder / "agencies.csv").write_text(agencies, "utf-8-sig", newline="")
    manifest = (folder / "manifest.csv").read_text("utf-8-sig").replace("slug,m99999", "slug,testshi")
    (folder / "manifest.csv").write_text(manifest, "utf-8-sig", newline="")
    result = _import(folder)
    assert result.issues == ()
    assert result.tables["agencies"]["pub_P004"]["sector"] == "地域振興・市民協働"
    assert result.tables["agencies"]["own"]["name"] == "地域の見守りネットワーク"
    assert result.manifest["slug"] == "testshi"
    assert not any(i.file == "koukyou.csv" and i.row == 5 for i in result.todo)  # resolved by the edit
    assert result.package.counts_by_label()["Agency"] == 21
    again = _snapshot(folder)
    _import(folder)
    assert _snapshot(folder) == again


def test_todo_file_is_not_a_table(tmp_path):
    result = _import(tmp_path / "pkg")
    assert (tmp_path / "pkg" / TODO_FILE).exists()
    assert not [w for w in result.package.warnings if w.code == "unknown_table"]
