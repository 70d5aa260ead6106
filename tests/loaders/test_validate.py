"""Validation: every problem reported at once with file, row and column; nothing stored on error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsunagari.loaders.errors import DataPackageError, PackageNotFoundError
from tsunagari.loaders.validate import read_package


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _issues(path: Path) -> set[tuple[str, int | None, str | None, str]]:
    with pytest.raises(DataPackageError) as caught:
        read_package(path)
    return {(i.file, i.row, i.column, i.code) for i in caught.value.issues if i.severity == "error"}


def test_mini_package_reads_with_expected_counts(mini_path):
    package = read_package(mini_path)
    assert package.code == "99999"
    assert package.counts_by_label() == {
        "Agency": 5, "Council": 1, "District": 2, "Municipality": 1, "Need": 1, "Program": 1, "ResidentGroup": 1}
    # 7 explicit ties + implied: 2 districts PART_OF municipality, houkatsu LOCATED_IN north and, as
    # agencies.csv has no `serves` column, houkatsu SERVES north too; chokai_n SERVES north, hub
    # OPERATES p_houkatsu (programs.responsible), hub OPERATES renkei (councils.convener).
    assert len(package.ties) == 14
    assert [w.code for w in package.warnings] == ["district_read_as_serves", "missing_fiscal_year"]  # mini has no 年度
    responsible = next(t for t in package.ties if t.properties["basis"] == "programs.responsible")
    assert (responsible.from_uid, responsible.to_uid, responsible.properties["operation"]) == (
        "99999:hub", "99999:p_houkatsu", None)
    programs = [n for n in package.nodes if n.label == "Program"]
    assert programs[0].properties["domains"] == ["高齢"]


def test_all_errors_reported_together_with_file_row_column(mini_copy):
    _rewrite(mini_copy / "districts.csv", "north,北地区,地区,,1000", "north,北地区,地区,,千人")
    _rewrite(mini_copy / "agencies.csv", "housing,住宅政策課,庁内部署,住まい", "housing,住宅政策課,庁内部署,宇宙")
    _rewrite(mini_copy / "ties.csv", "shakyo,renkei,MEMBER_OF", "shakyo,nowhere,MEMBER_OF")
    _rewrite(mini_copy / "agencies.csv", "probation,保護観察所", "hub,保護観察所")
    issues = _issues(mini_copy)
    assert ("districts.csv", 2, "population", "bad_number") in issues
    assert ("agencies.csv", 3, "sector", "unknown_term") in issues
    assert ("ties.csv", 4, "to", "unknown_reference") in issues
    assert ("agencies.csv", 6, "id", "duplicate_id") in issues


def test_missing_required_column_is_named(mini_copy):
    text = (mini_copy / "councils.csv").read_text("utf-8").replace(",level,", ",,")
    (mini_copy / "councils.csv").write_text(text, "utf-8")
    assert ("councils.csv", 1, "level", "missing_column") in _issues(mini_copy)


def test_self_tie_and_wrong_tie_kind_are_refused(mini_copy):
    with (mini_copy / "ties.csv").open("a", encoding="utf-8") as ties:
        ties.write("hub,hub,COLLABORATES_WITH,,,,,test,\n")
        ties.write("north,hub,MEMBER_OF,,,,,test,\n")
    issues = _issues(mini_copy)
    assert ("ties.csv", 9, "to", "self_tie") in issues
    assert ("ties.csv", 10, "kind", "tie_kind_mismatch") in issues


def test_negative_population_and_percent_over_100(mini_copy):
    _rewrite(mini_copy / "districts.csv", "2000,900,,,25.6", "-5,900,,,125")
    issues = _issues(mini_copy)
    assert ("districts.csv", 3, "population", "number_out_of_range") in issues
    assert ("districts.csv", 3, "association_rate", "number_out_of_range") in issues


def test_article_must_belong_to_pillar(mini_copy):
    _rewrite(mini_copy / "programs.csv", "包括的相談支援,第1号イ", "参加支援,第1号イ")
    assert ("programs.csv", 2, "articles", "article_pillar_mismatch") in _issues(mini_copy)


def test_personal_data_column_is_refused(mini_copy):
    _rewrite(mini_copy / "agencies.csv", ",source,note", ",source,生年月日")
    with pytest.raises(DataPackageError) as caught:
        read_package(mini_copy)
    issue = next(i for i in caught.value.issues if i.code == "personal_data")
    assert issue.column == "生年月日" and "個人情報" in issue.message_ja and "personal data" in issue.message_en


def test_full_width_digits_and_japanese_headers_are_normalized(mini_copy):
    text = (mini_copy / "districts.csv").read_text("utf-8")
    text = text.replace("1000,500", "１，０００,５００").replace("id,name,layer", "ID,名称,層")
    (mini_copy / "districts.csv").write_text(text, "utf-8")
    north = next(n for n in read_package(mini_copy).nodes if n.uid == "99999:north")
    assert north.properties["population"] == 1000 and north.properties["households"] == 500


def test_vocabulary_accepts_english_codes_and_aliases(mini_copy):
    _rewrite(mini_copy / "agencies.csv", "housing,住宅政策課,庁内部署,住まい", "housing,住宅政策課,city_section,住宅")
    housing = next(n for n in read_package(mini_copy).nodes if n.uid == "99999:housing")
    assert (housing.properties["type"], housing.properties["sector"]) == ("庁内部署", "住まい")


def test_messages_are_bilingual(mini_copy):
    _rewrite(mini_copy / "districts.csv", "north,北地区,地区,,1000", "north,北地区,地区,,abc")
    with pytest.raises(DataPackageError) as caught:
        read_package(mini_copy)
    issue = caught.value.issues[0]
    assert "整数" in issue.message_ja and "whole number" in issue.message_en
    both = caught.value.message("both")
    assert "districts.csv 2行目 列「population」" in both and "districts.csv row 2 column `population`" in both
    assert "2行目" not in caught.value.message("en") and "row 2" not in caught.value.message("ja")


def test_missing_path_raises_package_not_found(tmp_path):
    with pytest.raises(PackageNotFoundError, match="No data package"):
        read_package(tmp_path / "nothing")


def test_cp932_and_utf8_bom_load_identically(mini_path, mini_copy, tmp_path):
    bom = tmp_path / "bom"
    bom.mkdir()
    for csv_file in mini_copy.glob("*.csv"):
        text = csv_file.read_text("utf-8")
        csv_file.write_bytes(text.encode("cp932"))
        (bom / csv_file.name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    reference = read_package(mini_path)
    assert read_package(mini_copy).content_hash == reference.content_hash
    assert read_package(bom).content_hash == reference.content_hash
    assert set(read_package(mini_copy).encodings.values()) == {"cp932"}


def test_excel_workbook_equals_csv_folder(mini_path, tmp_path):
    import openpyxl

    from tsunagari.loaders.tables import read_raw_package

    raw = read_raw_package(mini_path)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, table in raw.tables.items():
        sheet = workbook.create_sheet(name)
        sheet.append(table.header)
        for _, cells in table.rows:
            sheet.append(cells)
    path = tmp_path / "mini.xlsx"
    workbook.save(path)
    assert read_package(path).content_hash == read_package(mini_path).content_hash


def test_integers_beyond_64_bits_are_refused_where_they_are(mini_copy):
    _rewrite(mini_copy / "districts.csv", "north,北地区,地区,,1000", "north,北地区,地区,,9223372036854775808")
    with pytest.raises(DataPackageError) as caught:
        read_package(mini_copy)
    issue = caught.value.issues[0]
    assert (issue.file, issue.row, issue.column, issue.code) == ("districts.csv", 2, "population", "number_too_large")


@pytest.mark.parametrize("header", ["電話番号", "住所", "担当者", "利用者名", "TEL", "e-mail", "氏 名"])
def test_personal_data_headers_are_refused(mini_copy, header):
    path = mini_copy / "agencies.csv"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([lines[0] + f",{header}"] + [line + ",x" for line in lines[1:]]) + "\n", "utf-8")
    with pytest.raises(DataPackageError) as caught:
        read_package(mini_copy)
    issue = caught.value.issues[0]
    assert (issue.file, issue.row, issue.column, issue.code) == ("agencies.csv", 1, header, "personal_data")


@pytest.mark.parametrize("value, what", [
    ("TEL 06-6489-6350", "phone number"), ("090-1234-5678", "phone number"), ("0664896350", "phone number"),
    ("連絡先 someone@example.jp", "e-mail address"), ("1234 5678 9012", "My Number-like"),
    ("〒660-8501", "postal code"), ("尼崎市東七松町1丁目23番1号", "street address"), ("芦屋市精道町7-6-1", "street address"),
])
def test_personal_data_in_cells_is_refused_with_file_row_and_column(mini_copy, value, what):
    _rewrite(mini_copy / "agencies.csv", "housing,住宅政策課,庁内部署,住まい,,直営,,,,,,test,",
             f"housing,住宅政策課,庁内部署,住まい,,直営,,,,,{value},test,")
    with pytest.raises(DataPackageError) as caught:
        read_package(mini_copy)
    issue = caught.value.issues[0]
    assert (issue.file, issue.column, issue.code) == ("agencies.csv", "features", "personal_data_value")
    assert issue.row == 3 and what in issue.message_en


def test_organisation_text_and_legal_citations_are_not_personal_data():
    from tsunagari.loaders.personal_data import personal_data_value

    for text in ("社会福祉法第106条の4第2項第3号", "R5/3/31", "相談件数 R8: 1,200件", "2023年度", "第1号イ",
                 "000_3e15e575296e7296.txt スライド12", "地域包括支援センター ×12"):
        assert personal_data_value(text) is None, text


def test_a_wrong_tie_kind_names_the_tables_in_japanese(mini_copy):
    # The Japanese message once listed the model's labels (Agency, ResidentGroup, Council).
    with (mini_copy / "ties.csv").open("a", encoding="utf-8") as ties:
        ties.write("north,hub,MEMBER_OF,,,,,test,\n")
    with pytest.raises(DataPackageError) as caught:
        read_package(mini_copy)
    [issue] = [i for i in caught.value.issues if i.code == "tie_kind_mismatch"]
    assert "「圏域・地区」から「機関・部署」へは結べません" in issue.message_ja
    assert "「機関・部署」・「住民組織」・「会議体」" in issue.message_ja
    assert "Agency" not in issue.message_ja and "District" not in issue.message_ja
    assert "cannot go from District to Agency" in issue.message_en


def test_an_unknown_district_reference_names_the_table_in_japanese(mini_copy):
    text = (mini_copy / "agencies.csv").read_text("utf-8").replace(",north,2,", ",hub,2,")
    (mini_copy / "agencies.csv").write_text(text, "utf-8")
    with pytest.raises(DataPackageError) as caught:
        read_package(mini_copy)
    [issue] = [i for i in caught.value.issues if i.code == "unknown_reference"]
    assert (issue.file, issue.column) == ("agencies.csv", "district")
    assert issue.message_ja.startswith("「hub」は「圏域・地区」のIDとして見つかりません（機関・部署（agencies）にあります）")
