"""Every broken input in ``tests/corpus/cases`` gives exactly its expected errors and leaves the store unchanged.

Valid variants (other encodings, reordered or Japanese headers, full-width digits) must load to the
same content as the mini package.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from tsunagari.cli import main
from tsunagari.graph.open import open_store
from tsunagari.loaders.errors import DataPackageError
from tsunagari.loaders.validate import read_package
from tsunagari.settings import Settings

CASES = sorted((Path(__file__).parent / "cases").iterdir())
MINI = Path(__file__).parent.parent / "fixtures" / "mini"


def _expected(case: Path) -> dict:
    return json.loads((case / "expected.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: Path, store_url: str, capsys):
    expected = _expected(case)
    if expected.get("valid"):
        package = read_package(case)
        if expected.get("same_as_mini"):
            assert package.content_hash == read_package(MINI).content_hash, "must load identically to UTF-8 mini"
        for uid, name in expected.get("names", {}).items():
            assert next(n for n in package.nodes if n.uid == uid).properties["name"] == name
        for want in expected.get("warnings", []):
            assert any((w.file, w.row, w.column, w.code) == (want["file"], want["row"], want["column"], want["code"])
                       and want["ja"] in w.message_ja and want["en"] in w.message_en for w in package.warnings)
        return
    with pytest.raises(DataPackageError) as caught:
        read_package(case)
    errors = [i for i in caught.value.issues if i.severity == "error"]
    assert {(i.file, i.row, i.column, i.code) for i in errors} == {
        (e["file"], e["row"], e["column"], e["code"]) for e in expected["errors"]}
    for want in expected["errors"]:
        issue = next(i for i in errors if (i.file, i.row, i.column, i.code) ==
                     (want["file"], want["row"], want["column"], want["code"]))
        assert want["ja"] in issue.message_ja, issue.message_ja
        assert want["en"] in issue.message_en, issue.message_en
    # Through the CLI: exit 2, and the municipality already stored is untouched.
    assert main(["--store", store_url, "load", str(MINI)]) == 0
    with open_store(Settings(store_url=store_url)) as store:
        before = store.read_graph("99999")
    assert main(["--store", store_url, "load", str(case)]) == 2
    assert "ストアは変更していません" in capsys.readouterr().err
    with open_store(Settings(store_url=store_url)) as store:
        assert nx.utils.graphs_equal(before, store.read_graph("99999"))


def test_hostile_names_round_trip_through_the_store(store):
    case = next(c for c in CASES if c.name == "hostile_text")
    store.load_package(read_package(case))
    name = store.read_graph("99999").nodes["99999:hub"]["name"]
    assert name == _expected(case)["names"]["99999:hub"]
    assert store.read_graph("99999").number_of_nodes() == 12  # the DETACH DELETE fragment did nothing


def test_workbook_with_missing_manifest_sheet(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "agencies"
    sheet.append(["id", "name", "type", "sector", "source"])
    sheet.append(["hub", "課", "庁内部署", "福祉", "test"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    with pytest.raises(DataPackageError) as caught:
        read_package(path)
    assert [i.code for i in caught.value.issues if i.severity == "error"] == ["missing_table"]
