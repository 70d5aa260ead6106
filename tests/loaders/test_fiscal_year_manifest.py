"""The manifest's fiscal_year (年度): read in every form, a bad one refused naming file, row and field,
and a package without one loaded as the year-unknown snapshot with a warning."""

from __future__ import annotations

import shutil

import pytest

import tsunagari as tg
from tests.conftest import MINI, TOWN_FY2023, TOWN_FY2024
from tsunagari.loaders.errors import DataPackageError


def _with_year(tmp_path, value: str | None):
    folder = tmp_path / "pkg"
    shutil.copytree(MINI, folder)
    lines = (folder / "manifest.csv").read_text("utf-8").splitlines()
    lines = [line for line in lines if not line.startswith("fiscal_year,")]
    if value is not None:
        lines.append(f"fiscal_year,{value}")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return folder, len(lines)


@pytest.mark.parametrize(("value", "year"), [("令和6年度", 2024), ("R6", 2024), ("FY2024", 2024), ("2024", 2024),
                                             ("平成31年度", 2019), ("令和元年度", 2019)])
def test_the_package_carries_the_western_year(tmp_path, value, year):
    folder, _ = _with_year(tmp_path, value)
    package = tg.read_package(folder)
    assert package.fiscal_year == year and package.snapshot == f"99999@{year}"
    assert package.municipality["fiscal_year"] == year
    assert "missing_fiscal_year" not in {w.code for w in package.warnings}


def test_the_japanese_header_年度_works_too(tmp_path):
    folder, _ = _with_year(tmp_path, None)
    with (folder / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write("年度,令和5年度\n")
    assert tg.read_package(folder).fiscal_year == 2023


@pytest.mark.parametrize("value", ["平成32年度", "来年度", "2024年4月1日"])
def test_a_bad_year_names_the_file_the_row_and_the_field(tmp_path, value):
    folder, row = _with_year(tmp_path, value)
    with pytest.raises(DataPackageError) as caught:
        tg.read_package(folder)
    [issue] = [i for i in caught.value.issues if i.code == "bad_fiscal_year"]
    assert (issue.file, issue.row, issue.column) == ("manifest.csv", row, "fiscal_year")
    assert value in issue.message_ja and value in issue.message_en
    assert "年度" in issue.message_ja and "fiscal year" in issue.message_en.lower()


def test_no_year_loads_as_the_year_unknown_snapshot_with_one_warning(tmp_path):
    folder, _ = _with_year(tmp_path, None)
    package = tg.read_package(folder)
    assert package.fiscal_year is None and package.snapshot == "99999"
    [warning] = [w for w in package.warnings if w.code == "missing_fiscal_year"]
    assert (warning.file, warning.column, warning.severity) == ("manifest.csv", "fiscal_year", "warning")


def test_a_package_without_a_year_keeps_its_content_hash(tmp_path):
    # the hash of a package is what a store compares to skip a load it holds: adding the field changed none
    folder, _ = _with_year(tmp_path, None)
    package = tg.read_package(folder)
    assert "fiscal_year" not in {k for k, v in package.municipality.items() if v is not None}
    assert package.content_hash == tg.read_package(MINI).content_hash


def test_the_fixture_pair_declares_its_years():
    assert tg.read_package(TOWN_FY2023).fiscal_year == 2023  # written 令和5年度
    assert tg.read_package(TOWN_FY2024).fiscal_year == 2024  # written R6
    assert tg.read_package(TOWN_FY2023).warnings == () and tg.read_package(TOWN_FY2024).warnings == ()


def test_two_years_of_one_municipality_may_load_together_but_not_one_year_twice(tmp_path):
    from tsunagari.loaders.batch import duplicate_municipalities

    a, b = tg.read_package(TOWN_FY2023), tg.read_package(TOWN_FY2024)
    assert duplicate_municipalities([a, b]) == []
    assert [i.code for i in duplicate_municipalities([a, b, a])] == ["duplicate_municipality"]
