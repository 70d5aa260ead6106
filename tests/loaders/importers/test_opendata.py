"""自治体標準オープンデータセット → a data package: recognition, merging of sites, ids, districts, population."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tsunagari.loaders.importers import ImportSourceError, import_opendata, write_package
from tsunagari.loaders.importers.opendata import age_band, detect_dataset, parse_date
from tsunagari.loaders.importers.source import read_source_table

FIXTURES = Path(__file__).parents[2] / "fixtures" / "importers" / "opendata"
FILES = [FIXTURES / f for f in ("kaigo.csv", "iryo.csv", "childcare.csv", "koukyou.csv", "jinkou.csv")]


@pytest.fixture
def imported(tmp_path):
    result = import_opendata(FILES, code="99999", districts=FIXTURES / "towns.csv")
    return write_package(result, tmp_path / "pkg")


def _rows(folder: Path, table: str) -> dict[str, dict[str, str]]:
    text = (folder / f"{table}.csv").read_text("utf-8-sig")
    return {r.get("id") or r["key"]: r for r in csv.DictReader(io.StringIO(text))}


def test_every_dataset_is_recognised_by_its_columns():
    kinds = [detect_dataset(read_source_table(f)) for f in FILES]
    assert kinds == ["care", "medical", "childcare", "public", "population"]


def test_written_package_loads(imported):
    assert imported.issues == ()
    assert imported.package.counts_by_label() == {"Municipality": 1, "District": 3, "Agency": 20}


def test_one_site_with_two_services_is_one_agency(imported, tmp_path):
    agencies = _rows(tmp_path / "pkg", "agencies")
    site = agencies["ltc_9970100011"]  # kaigo.csv rows 2 and 3: 訪問介護 and 通所介護 at one 事業所番号
    assert site["features"] == "介護サービス: 訪問介護、通所介護"
    assert site["source"] == "kaigo.csv 行2,3"
    assert (site["type"], site["sector"], site["domains"], site["district"]) == (
        "福祉サービス事業所", "福祉", "高齢", "honmachi")  # 本町一丁目 matches the table's 本町一丁目
    corp = agencies[site["parent"]]  # the operating corporation, keyed by its 法人番号
    assert (corp["id"], corp["type"], corp["corporate_number"]) == ("corp_6100000000001", "社会福祉法人", "6100000000001")


def test_external_ids_and_excel_quirks(imported, tmp_path):
    agencies = _rows(tmp_path / "pkg", "agencies")
    assert agencies["ltc_9970100029"]["ltc_provider_number"] == "9970100029"  # written in full-width digits
    assert agencies["med_0123456"]["medical_institution_code"] == "0123456"  # Excel dropped the leading zero
    assert agencies["kids_C001"]["type"] == "市の施設"  # 法人の名称 = the municipality: 公立保育所
    assert agencies["pub_P003"]["sector"] == "保健・医療" and agencies["pub_P001"]["district"] == "honmachi"
    assert not any("尼崎" in r["name"] for r in agencies.values())  # the row of another municipality


def test_person_columns_are_never_written(imported, tmp_path):
    text = "".join(p.read_text("utf-8-sig") for p in (tmp_path / "pkg").glob("*.csv"))
    assert "架空太郎" not in text and "架空三郎" not in text and "06-0000" not in text
    notices = " ".join(n.ja for n in imported.notices)
    assert "管理者氏名" in notices and "開設者氏名" in notices


def test_todo_lists_what_was_not_mapped(imported):
    todo = {(i.file, i.row, i.column) for i in imported.todo}
    assert todo == {
        ("childcare.csv", 5, "種別"),  # 子育て支援その他: no agency type
        ("iryo.csv", 4, "法人番号"),  # bad check digit
        ("jinkou.csv", 15, "地域名"),  # 山の上5丁目 is in no district
        ("kaigo.csv", 6, "町字"),
        ("koukyou.csv", 5, "種別"),  # みなと会館: no sector
    }


def test_population_aggregated_to_districts_latest_date(imported, tmp_path):
    districts = _rows(tmp_path / "pkg", "districts")
    honmachi = districts["honmachi"]
    # 2024-03-31 rows (each 2023 figure + 1) of 本町1丁目 and 本町2丁目; 5-year bands, 男 + 女 per band.
    assert (honmachi["population"], honmachi["households"], honmachi["elderly"]) == ("1182", "802", "351")
    assert honmachi["children_under_15"] == "123" and honmachi["children"] == ""  # 15–19 straddles 18
    assert honmachi["as_of"] == "2024-03-31"
    manifest = _rows(tmp_path / "pkg", "manifest")
    assert manifest["population"]["value"] == "2182"  # the 合計 row, which includes 山の上5丁目
    assert manifest["code"]["value"] == "999997" and manifest["name"]["value"] == "テスト市"


def test_choosing_the_survey_date(tmp_path):
    result = import_opendata([FIXTURES / "jinkou.csv"], code="99999", districts=FIXTURES / "towns.csv",
                             as_of="R5.3.31")
    assert result.tables["districts"]["honmachi"]["population"] == str(1182 - 28)  # 28 bands × 1 fewer
    with pytest.raises(ImportSourceError, match="2023-03-31, 2024-03-31"):
        import_opendata([FIXTURES / "jinkou.csv"], code="99999", as_of="2020-01-01")


def test_single_years_give_under_18(tmp_path):
    path = tmp_path / "人口.csv"
    rows = ["全国地方公共団体コード,調査年月日,地域名,年齢,男,女"]
    rows += [f"999997,2024-04-01,北町1丁目,{age}歳,1,1" for age in range(0, 20)] + ["999997,2024-04-01,北町1丁目,65歳以上,5,5"]
    path.write_text("\n".join(rows) + "\n", "utf-8")
    result = import_opendata([path], code="99999", districts=FIXTURES / "towns.csv")
    kita = result.tables["districts"]["kita"]
    assert (kita["children"], kita["children_under_15"], kita["elderly"], kita["population"]) == ("36", "30", "10", "50")


def test_excel_workbook_with_merged_header(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["地域名", "調査年月日", "年齢", None, None])
    sheet.append([None, None, "0～14歳", "15～64歳", "65歳以上"])
    sheet.append(["港町1丁目", "2024-03-31", 10, 50, 20])
    sheet.append(["港町2丁目", "2024-03-31", 5, 20, 15])
    path = tmp_path / "jinkou.xlsx"
    book.save(path)
    result = import_opendata([path], code="99999", districts=FIXTURES / "towns.csv")
    minato = result.tables["districts"]["minato"]
    assert (minato["population"], minato["children_under_15"], minato["elderly"]) == ("120", "15", "35")


def test_unrecognised_file_and_bad_code(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(ImportSourceError, match="x.csv"):
        import_opendata([path], code="99999")
    with pytest.raises(ImportSourceError, match="check digit"):
        import_opendata(FILES[:1], code="999998")


@pytest.mark.parametrize(("text", "expected"), [("令和元年5月1日", "2019-05-01"), ("H31.4.30", "2019-04-30"),
                                                ("2024年3月31日", "2024-03-31"), ("いつか", None)])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_age_band():
    assert age_band("年齢階級_15～19歳_女") == (15, 19, "F")
    assert age_band("男女計_65歳以上") == (65, None, "T")


def test_title_line_above_the_header_and_other_municipalities_counted(tmp_path):
    path = tmp_path / "list.csv"
    text = (FIXTURES / "kaigo.csv").read_bytes().decode("cp932")
    path.write_bytes(("介護サービス事業所一覧（令和6年4月1日現在）,,,\r\n" + text).encode("cp932"))
    result = import_opendata([path], code="99999")
    assert "ltc_9970100011" in result.tables["agencies"]
    assert any("1 row(s) of other municipalities" in n.en for n in result.notices)  # the 尼崎市 row
