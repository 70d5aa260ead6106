"""The blank Excel template: a sheet per table with Japanese headers and drop-downs, and a filled one loads."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from tsunagari.dashboards.cli import main
from tsunagari.dashboards.template import write_template
from tsunagari.graph.model import MANIFEST_FIELDS, NODE_KINDS, TIES_TABLE
from tsunagari.loaders.errors import DataPackageError
from tsunagari.loaders.validate import read_package
from tests.conftest import MINI, TOWN


def _fill(template: Path, package: Path, target: Path) -> None:
    """Copy a CSV package into the template: each value under the Japanese header of its column."""
    workbook = openpyxl.load_workbook(template)
    with (package / "manifest.csv").open(encoding="utf-8-sig") as handle:
        manifest = {row[0]: row[1] for row in csv.reader(handle)}
    sheet = workbook["基本情報"]
    by_ja = {f.ja: f.name for f in MANIFEST_FIELDS}
    for row in sheet.iter_rows(min_row=2):
        row[1].value = manifest.get(by_ja[row[0].value])
    for table, sheet_name, columns in [(k.table, k.table_ja, k.columns) for k in NODE_KINDS] + [
            ("ties", "関係", TIES_TABLE)]:
        path = package / f"{table}.csv"
        if not path.exists():
            continue
        sheet = workbook[sheet_name]
        headers = [cell.value for cell in sheet[1]]
        by_name = {c.name: c.ja for c in columns}
        with path.open(encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            for record in reader:
                if table == "agencies" and "serves" not in record:  # as the loader reads such a package
                    record["serves"] = record.get("district", "")
                values = {by_name.get(k, by_name.get("articles") if k == "article" else None): v
                          for k, v in record.items()}
                sheet.append([values.get(h) or None for h in headers])
    workbook.save(target)


def _content(package) -> tuple:
    nodes = sorted((n.label, n.uid, tuple(sorted((k, str(v)) for k, v in n.properties.items()
                                                 if k not in ("source",)))) for n in package.nodes)
    ties = sorted((t.kind, t.from_uid, t.to_uid, str(t.properties.get("role")), str(t.properties.get("weight")))
                  for t in package.ties)
    return nodes, ties


def test_the_template_has_a_sheet_per_table_with_japanese_headers_and_dropdowns(tmp_path):
    path = write_template(tmp_path / "様式.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["記入方法", "語彙", "基本情報", *(k.table_ja for k in NODE_KINDS), "関係"]
    agencies = workbook["機関・部署"]
    assert [c.value for c in agencies[1]] == [c.ja for c in NODE_KINDS[1].columns]
    ranges = {str(v.sqref): v for v in agencies.data_validations.dataValidation}
    sector_column = [c.name for c in NODE_KINDS[1].columns].index("sector")
    letter = openpyxl.utils.get_column_letter(sector_column + 1)
    rule = ranges[f"{letter}2:{letter}501"]
    assert rule.type == "list" and rule.formula1.startswith("'語彙'!") and rule.showErrorMessage
    vocabulary_sheet = workbook["語彙"]
    listed = [c.value for c in vocabulary_sheet[rule.formula1.split("!$")[1].split("$")[0]]]
    assert "福祉" in listed and "保健・医療" in listed
    guide = [row[1] for row in workbook["記入方法"].iter_rows(min_row=4, values_only=True)]
    assert "所管領域" in guide and "根拠条項" in guide  # every column explained


def test_a_blank_template_says_what_the_manifest_needs(tmp_path):
    path = write_template(tmp_path / "様式.xlsx")
    with pytest.raises(DataPackageError) as caught:
        read_package(path)
    assert {(i.column, i.code) for i in caught.value.issues if i.severity == "error"} == {
        ("code", "missing_value"), ("name", "missing_value"), ("slug", "missing_value"), ("source", "missing_value")}
    assert not [i for i in caught.value.issues if i.code == "unknown_table"]  # 記入方法 and 語彙 are skipped


@pytest.mark.parametrize("package", [MINI, TOWN], ids=["mini", "town"])
def test_a_filled_template_loads_as_the_same_package(tmp_path, package):
    template = write_template(tmp_path / "様式.xlsx")
    filled = tmp_path / "記入済み.xlsx"
    _fill(template, package, filled)
    assert _content(read_package(filled)) == _content(read_package(package))


def test_the_template_command(tmp_path, capsys):
    assert main(["template", "--out", str(tmp_path / "様式.xlsx")]) == 0
    assert "様式を書き出しました" in capsys.readouterr().out
    assert (tmp_path / "様式.xlsx").stat().st_size > 5000
    assert main(["template", "--out", str(tmp_path / "様式.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err
