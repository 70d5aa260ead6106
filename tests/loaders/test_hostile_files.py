"""Corrupt archives and workbooks, limits, and the cases that used to lose data without a word.

Every case must end in a :class:`DataPackageError` whose issues name the file (and the member,
row or column where there is one), never in another exception.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tsunagari.cli import main
from tsunagari.loaders.archive import OLE2_MAGIC
from tsunagari.loaders.errors import DataPackageError
from tsunagari.loaders.limits import Limits, LimitsError
from tsunagari.loaders.tables import read_raw_package
from tsunagari.loaders.validate import read_package

MINI = Path(__file__).parent.parent / "fixtures" / "mini"


def _errors(path: Path, **limits: int) -> set[tuple[str, int | None, str | None, str]]:
    with pytest.raises(DataPackageError) as caught:
        read_package(path, limits=Limits(**limits))
    return {(i.file, i.row, i.column, i.code) for i in caught.value.issues if i.severity == "error"}


def _zip_folder(folder: Path, target: Path, *, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(target, "w", method) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
    return target


def _workbook(target: Path, edit=None) -> Path:
    """The mini package as a workbook, one sheet per table; ``edit(workbook)`` changes it before saving."""
    import openpyxl

    raw = read_raw_package(MINI)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, table in raw.tables.items():
        sheet = workbook.create_sheet(name)
        sheet.append(table.header)
        for _, cells in table.rows:
            sheet.append(cells)
    if edit is not None:
        edit(workbook)
    workbook.save(target)
    return target


def _rewrite_member(path: Path, member: str, change) -> None:
    """Replace ``member`` of the zip at ``path`` by ``change(its bytes)`` (``None`` removes it)."""
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    new = change(contents[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            if name == member:
                if new is None:
                    continue
                data = new
            archive.writestr(name, data)


def _sheet_part(path: Path, title: str) -> str:
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    import re

    index = [m.group(1) for m in re.finditer(r'<sheet [^>]*name="([^"]+)"', workbook)].index(title)
    return f"xl/worksheets/sheet{index + 1}.xml"


# --- corrupt zips -----------------------------------------------------------------------------

def test_a_file_that_is_not_a_zip_is_named(tmp_path):
    path = tmp_path / "pkg.zip"
    path.write_text("code,name\n99999,テスト市\n", "utf-8")
    assert _errors(path) == {("pkg.zip", None, None, "corrupt_archive")}


def test_an_empty_zip_file_is_named(tmp_path):
    path = tmp_path / "pkg.zip"
    path.write_bytes(b"")
    assert _errors(path) == {("pkg.zip", None, None, "empty_file")}


def test_a_truncated_zip_is_named(tmp_path):
    path = _zip_folder(MINI, tmp_path / "pkg.zip")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert _errors(path) == {("pkg.zip", None, None, "corrupt_archive")}


def test_a_member_with_a_bad_crc_is_named(tmp_path):
    path = _zip_folder(MINI, tmp_path / "pkg.zip", method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index("重層的支援推進担当課".encode())
    data[at] ^= 0x01  # one flipped bit inside agencies.csv, stored uncompressed
    path.write_bytes(bytes(data))
    assert ("pkg.zip/agencies.csv", None, None, "corrupt_archive") in _errors(path)


def _patch_headers(path: Path, *, flags: int | None = None, method: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if flags is not None:
                data[start + flag_at] |= flags
            if method is not None:
                data[start + method_at: start + method_at + 2] = method.to_bytes(2, "little")
            start += 4
    path.write_bytes(bytes(data))


def test_encrypted_members_are_refused_by_name(tmp_path):
    path = _zip_folder(MINI, tmp_path / "pkg.zip")
    _patch_headers(path, flags=0x1)
    errors = _errors(path)
    assert ("pkg.zip/agencies.csv", None, None, "encrypted_member") in errors
    assert {code for *_, code in errors} == {"encrypted_member"}


def test_deflate64_members_are_refused_by_name(tmp_path):
    path = _zip_folder(MINI, tmp_path / "pkg.zip")
    _patch_headers(path, method=9)
    errors = _errors(path)
    assert ("pkg.zip/ties.csv", None, None, "unsupported_compression") in errors
    assert {code for *_, code in errors} == {"unsupported_compression"}


def test_japanese_member_names_from_windows_zips_are_read(tmp_path):
    """Windows writes 機関・部署.csv in CP932 without the UTF-8 flag; it used to be ignored silently."""
    folder = tmp_path / "pkg"
    shutil.copytree(MINI, folder)
    placeholder = "X" * len("機関・部署".encode("cp932"))
    (folder / "agencies.csv").rename(folder / f"{placeholder}.csv")
    path = _zip_folder(folder, tmp_path / "pkg.zip")
    path.write_bytes(path.read_bytes().replace(placeholder.encode(), "機関・部署".encode("cp932")))
    assert read_package(path).content_hash == read_package(MINI).content_hash


# --- corrupt workbooks --------------------------------------------------------------------------

def test_an_old_xls_renamed_xlsx_is_explained(tmp_path):
    path = tmp_path / "pkg.xlsx"
    path.write_bytes(OLE2_MAGIC + bytes(4096))
    assert _errors(path) == {("pkg.xlsx", None, None, "old_excel_format")}


def test_a_workbook_without_its_workbook_part_is_named(tmp_path):
    path = _workbook(tmp_path / "pkg.xlsx")
    _rewrite_member(path, "xl/workbook.xml", lambda data: None)
    assert _errors(path) == {("pkg.xlsx", None, None, "not_a_workbook")}


def test_broken_sheet_xml_names_the_sheet(tmp_path):
    path = _workbook(tmp_path / "pkg.xlsx")
    part = _sheet_part(path, "ties")
    _rewrite_member(path, part, lambda data: data[: len(data) // 2])
    errors = _errors(path)
    assert ("pkg.xlsx[ties]", None, None, "broken_workbook_xml") in errors


XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>")


@pytest.mark.parametrize("prolog", [XXE, LAUGHS], ids=["xxe", "billion_laughs"])
def test_a_dtd_in_any_part_is_refused(tmp_path, prolog):
    path = _workbook(tmp_path / "pkg.xlsx")

    def add_dtd(data: bytes) -> bytes:
        body = data[data.index(b"?>") + 2:] if data.startswith(b"<?xml") else data
        entity = b"&lol9;" if prolog is LAUGHS else b"&xxe;"
        return prolog + body.replace(b"<t>id</t>", b"<t>" + entity + b"</t>", 1)

    _rewrite_member(path, _sheet_part(path, "agencies"), add_dtd)
    errors = _errors(path)
    assert {code for *_, code in errors} == {"broken_workbook_xml"}
    assert len(errors) == 1


# --- limits ------------------------------------------------------------------------------------

def _bomb(path: Path, megabytes: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("agencies.csv", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(bytes(1024 * 1024))
    return path


def test_a_zip_bomb_is_refused_by_its_declared_size_before_reading(tmp_path):
    # The same code path as the default 512 MB limit, at a size a test builds quickly
    # (benchmarks/hostile_inputs.py measures the real bombs against the defaults).
    path = _bomb(tmp_path / "bomb.zip", 40)
    assert path.stat().st_size < 100_000
    assert _errors(path, max_package_bytes=32 * 1024 * 1024) == {("bomb.zip", None, None, "package_too_large")}


def test_an_implausible_compression_ratio_is_refused(tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(MINI, folder)
    with (folder / "agencies.csv").open("a", encoding="utf-8") as f:
        f.write("," * 2_000_000 + "\n")
    path = _zip_folder(folder, tmp_path / "pkg.zip")
    assert ("pkg.zip/agencies.csv", None, None, "compression_ratio") in _errors(path)


def test_too_many_members_are_refused(tmp_path):
    path = _zip_folder(MINI, tmp_path / "pkg.zip")
    assert _errors(path, max_members=3) == {("pkg.zip", None, None, "too_many_members")}


def test_rows_beyond_the_limit_stop_the_table_at_that_row(mini_copy):
    assert ("agencies.csv", 4, None, "too_many_rows") in _errors(mini_copy, max_rows=2)


def test_a_cell_beyond_the_limit_is_named_by_row_and_column(mini_copy):
    text = (MINI / "agencies.csv").read_text("utf-8").replace("住宅政策課", "長" * 40_000)
    (mini_copy / "agencies.csv").write_text(text, "utf-8")
    assert ("agencies.csv", 3, "name", "cell_too_long") in _errors(mini_copy)


def test_a_header_line_without_end_is_refused_before_decoding(mini_copy):
    (mini_copy / "ties.csv").write_bytes(b"from" + b",x" * 40_000 + b"\nhub,renkei\n")
    assert ("ties.csv", 1, None, "header_too_long") in _errors(mini_copy)


def test_a_table_file_beyond_the_size_limit_is_not_read(mini_copy):
    assert ("agencies.csv", None, None, "table_too_large") in _errors(mini_copy, max_table_bytes=400)


def test_too_many_columns_stop_the_table(mini_copy):
    assert ("agencies.csv", 1, None, "too_many_columns") in _errors(mini_copy, max_columns=5)


def test_a_node_with_too_many_ties_is_refused_where_it_is_defined(mini_copy):
    # hub: MEMBER_OF renkei, COLLABORATES_WITH from probation, REFERS_TO shakyo, OPERATES p_houkatsu
    # (programs.responsible) and OPERATES renkei (councils.convener) = 5; every other node has 4 or fewer.
    assert _errors(mini_copy, max_ties_per_node=4) == {("agencies.csv", 2, "id", "too_many_ties")}
    read_package(mini_copy, limits=Limits(max_ties_per_node=5))


def test_limits_come_from_the_environment_and_bad_values_are_refused():
    assert Limits.from_env({"TSUNAGARI_MAX_ROWS": "2,000,000"}).max_rows == 2_000_000
    with pytest.raises(LimitsError, match="TSUNAGARI_MAX_ROWS"):
        Limits.from_env({"TSUNAGARI_MAX_ROWS": "-1"})


def test_large_tables_report_progress(tmp_path):
    package = tmp_path / "big"
    shutil.copytree(MINI, package)
    with (package / "resident_groups.csv").open("w", encoding="utf-8") as f:
        f.write("id,name,type,source\n")
        f.writelines(f"g{i},サロン{i},サロン,test\n" for i in range(120_000))
    heard: list[tuple[str, int]] = []
    read_package(package, progress=lambda file, rows: heard.append((file, rows)))
    assert heard == [("resident_groups.csv", 50_000), ("resident_groups.csv", 100_000)]


# --- cases that lost data silently --------------------------------------------------------------

def test_two_files_for_one_table_are_refused(mini_copy):
    shutil.copy(mini_copy / "agencies.csv", mini_copy / "機関・部署.csv")
    assert ("機関・部署.csv", None, None, "duplicate_table") in _errors(mini_copy)


def test_a_csv_and_a_tsv_for_one_table_are_refused(mini_copy):
    text = (mini_copy / "ties.csv").read_text("utf-8").replace(",", "\t")
    (mini_copy / "ties.tsv").write_text(text, "utf-8")
    assert ("ties.tsv", None, None, "duplicate_table") in _errors(mini_copy)


def test_two_sheets_for_one_table_are_refused(tmp_path):
    def add_japanese_agencies(workbook):
        workbook.copy_worksheet(workbook["agencies"]).title = "機関・部署"

    path = _workbook(tmp_path / "pkg.xlsx", add_japanese_agencies)
    assert ("pkg.xlsx[機関・部署]", None, None, "duplicate_table") in _errors(path)


def test_two_packages_with_one_code_in_one_load_store_nothing(mini_copy, tmp_path, store_url, capsys):
    assert main(["--store", store_url, "load", str(MINI), str(mini_copy)]) == 2
    err = capsys.readouterr().err
    assert "duplicate_municipality" in err and str(mini_copy) in err
    assert main(["--store", store_url, "list"]) == 0
    assert "99999" not in capsys.readouterr().out


def test_an_unquoted_comma_in_the_last_column_names_the_row(mini_copy):
    text = (MINI / "councils.csv").read_text("utf-8")
    # `source` is the last column: the comma inside it used to drop "第2章" without a word.
    (mini_copy / "councils.csv").write_text(text.replace("施策間の連携,test", "施策間の連携,地域福祉計画,第2章"), "utf-8")
    assert _errors(mini_copy) == {("councils.csv", 2, "source", "extra_cells")}


def test_a_stale_dimension_does_not_hide_rows(tmp_path):
    """Excel-like writers may leave <dimension ref="A1:C5">; openpyxl's read-only mode then stops at row 5."""
    def many_ties(workbook):
        for i in range(116):  # 7 ties in the fixture + 116 = 123
            workbook["ties"].append(["hub", "shakyo", "REFERS_TO", "", "", "", f"事例{i}", "test", ""])

    path = _workbook(tmp_path / "pkg.xlsx", many_ties)
    part = _sheet_part(path, "ties")

    def stale(data: bytes) -> bytes:
        import re

        return re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:C5"/>', data)

    _rewrite_member(path, part, stale)
    assert b'ref="A1:C5"' in zipfile.ZipFile(path).read(part)
    assert len(read_package(path).ties) == 14 + 116


def test_percent_formatted_cells_read_as_excel_shows_them(tmp_path):
    """association_rate means percent: 25.6 % (stored 0.256) is 25.6. Population is a count: refused."""
    def percent_cells(workbook):
        sheet = workbook["districts"]
        rate = next(c for c in sheet[1] if c.value == "association_rate").column
        sheet.cell(3, rate, 0.256).number_format = "0.0%"
        sheet.cell(2, rate, 0.405).number_format = "0.0%"

    path = _workbook(tmp_path / "pkg.xlsx", percent_cells)
    assert read_package(path).content_hash == read_package(MINI).content_hash

    def percent_population(workbook):
        sheet = workbook["districts"]
        column = next(c for c in sheet[1] if c.value == "population").column
        sheet.cell(2, column, 0.5).number_format = "0%"

    path = _workbook(tmp_path / "pop.xlsx", percent_population)
    assert ("pop.xlsx[districts]", 2, "population", "bad_number") in _errors(path)


def test_a_formula_without_a_cached_value_is_named_by_cell(tmp_path):
    def formula(workbook):
        sheet = workbook["districts"]
        column = next(c for c in sheet[1] if c.value == "population").column
        sheet.cell(3, column, "=1000*2")  # openpyxl saves no result, like a file never opened in Excel

    path = _workbook(tmp_path / "pkg.xlsx", formula)
    assert ("pkg.xlsx[districts]", 3, "population", "formula_without_value") in _errors(path)


def test_a_formula_with_a_cached_value_reads_that_value(tmp_path):
    path = _workbook(tmp_path / "pkg.xlsx")
    part = _sheet_part(path, "manifest")

    def with_formula(data: bytes) -> bytes:
        import re

        # The population cell (B7, "3000"): give it a formula and keep 3000 as its saved result.
        cell = re.search(rb'<c r="B7"[^>]*>.*?</c>', data).group(0)
        return data.replace(cell, b'<c r="B7"><f>1000*3</f><v>3000</v></c>')

    _rewrite_member(path, part, with_formula)
    assert read_package(path).content_hash == read_package(MINI).content_hash


def test_a_formula_whose_saved_result_is_empty_text_reads_as_empty(tmp_path):
    path = _workbook(tmp_path / "pkg.xlsx")
    part = _sheet_part(path, "agencies")

    def empty_result(data: bytes) -> bytes:
        import re

        # A note cell (M2, empty in the fixture) holding ="" as Excel saves it: t="str" and an empty <v>.
        return re.sub(rb'(<row r="2"[^>]*>.*?)</row>', rb'\1<c r="M2" t="str"><f>""</f><v></v></c></row>', data,
                      count=1, flags=re.S)

    _rewrite_member(path, part, empty_result)
    assert b'<c r="M2" t="str">' in zipfile.ZipFile(path).read(part)
    assert read_package(path).content_hash == read_package(MINI).content_hash


def test_no_zip_or_workbook_failure_escapes_as_another_exception(tmp_path):
    """Every prefix of a workbook and of a zip ends in a DataPackageError or a load."""
    book = _workbook(tmp_path / "pkg.xlsx").read_bytes()
    archive = _zip_folder(MINI, tmp_path / "pkg.zip").read_bytes()
    for data, suffix in ((book, ".xlsx"), (archive, ".zip")):
        for cut in range(0, len(data), max(1, len(data) // 60)):
            path = tmp_path / f"cut{suffix}"
            path.write_bytes(data[:cut])
            with pytest.raises(DataPackageError):
                read_package(path)


def test_the_cli_names_a_corrupt_zip_and_exits_2(tmp_path, store_url, capsys):
    path = _zip_folder(MINI, tmp_path / "pkg.zip")
    path.write_bytes(path.read_bytes()[:300])
    assert main(["--store", store_url, "load", str(path)]) == 2
    err = capsys.readouterr().err
    assert "pkg.zip" in err and "corrupt_archive" in err and "Traceback" not in err


def test_an_uploaded_zip_bomb_is_refused_by_the_dashboard_reader(tmp_path, monkeypatch):
    from tsunagari.dashboards.upload import read_uploaded_package

    buffer = _bomb(tmp_path / "bomb.zip", 40)
    monkeypatch.setenv("TSUNAGARI_MAX_PACKAGE_BYTES", str(32 * 1024 * 1024))  # the server's environment
    with pytest.raises(DataPackageError) as caught:
        read_uploaded_package("bomb.zip", buffer.read_bytes())
    assert [i.code for i in caught.value.issues if i.severity == "error"] == ["package_too_large"]


def test_a_number_with_a_huge_exponent_is_refused_not_written_out(tmp_path):
    """1E+999999999 written out in full would be a billion digits."""
    path = _workbook(tmp_path / "pkg.xlsx")
    part = _sheet_part(path, "manifest")

    def huge(data: bytes) -> bytes:
        import re

        cell = re.search(rb'<c r="B7"[^>]*>.*?</c>', data).group(0)
        return data.replace(cell, b'<c r="B7"><v>1E+999999999</v></c>')

    _rewrite_member(path, part, huge)
    assert _errors(path) == {("pkg.xlsx[manifest]", 7, "population", "bad_number")}
