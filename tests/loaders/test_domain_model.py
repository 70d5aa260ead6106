"""The domain model to the letter of the Act (社会福祉法第106条の4第2項) and the seeds: one test per
corrected item, each through the loader (and, where it changes a result, through the analysis)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tsunagari.analysis as ta
from tsunagari.graph.conversion import package_graph
from tsunagari.graph.vocabulary import vocabulary
from tsunagari.loaders.errors import DataPackageError
from tsunagari.loaders.validate import read_package


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _append(path: Path, *lines: str) -> None:
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n" + "\n".join(lines) + "\n", "utf-8")


def _with_agreement_columns(ties: Path, *rows: str) -> None:
    """Rewrite ties.csv with the `agreement` and `year` columns (empty on the old rows), then ``rows``."""
    lines = ties.read_text("utf-8").splitlines()
    out = []
    for line in lines:
        cells = line.split(",")
        out.append(",".join(cells[:5] + (["agreement", "year"] if not out else ["", ""]) + cells[5:]))
    ties.write_text("\n".join(out + list(rows)) + "\n", "utf-8")


def _errors(path: Path) -> list:
    with pytest.raises(DataPackageError) as caught:
        read_package(path)
    return [i for i in caught.value.issues if i.severity == "error"]


def _node(package, local_id: str) -> dict:
    return next(n.properties for n in package.nodes if n.properties.get("id") == local_id)


# --- Articles and pillars -----------------------------------------------------------------------

def test_item_3_ho_does_not_exist_and_the_error_says_what_to_write(mini_copy):
    _rewrite(mini_copy / "programs.csv", "包括的相談支援,第1号イ,高齢", "地域づくり,第３号ホ,生活困窮")
    [error] = _errors(mini_copy)
    assert (error.file, error.row, error.column, error.code) == ("programs.csv", 2, "articles", "wrong_term")
    assert "ホはありません" in error.message_ja and "「第3号」" in error.message_ja
    assert "第3号ホ" not in vocabulary("articles").labels("ja")
    assert vocabulary("articles").lookup("第3号").extra["pillar"] == "地域づくり"


def test_item_3_has_i_to_iv_each_with_the_law_it_names():
    items = {t.ja: (t.extra["pillar"], t.extra["domain"]) for t in vocabulary("articles") if t.ja.startswith("第3号")}
    assert items == {"第3号イ": ("地域づくり", "高齢"), "第3号ロ": ("地域づくり", "高齢"),
                     "第3号ハ": ("地域づくり", "障がい"), "第3号ニ": ("地域づくり", "子ども"), "第3号": ("地域づくり", "")}


def test_the_outreach_pillar_has_the_acts_name_and_old_spellings_still_read(mini_copy):
    pillars = vocabulary("pillars")
    assert pillars.by_code("outreach").ja == "アウトリーチ等を通じた継続的支援"
    for spelling in ("アウトリーチ等を通じた継続的支援事業", "アウトリーチ等継続的支援"):
        assert pillars.lookup(spelling).ja == "アウトリーチ等を通じた継続的支援"
    _rewrite(mini_copy / "programs.csv", "包括的相談支援,第1号イ,高齢", "アウトリーチ等継続的支援,第4号,全世代")
    assert _node(read_package(mini_copy), "p_houkatsu")["pillar"] == "アウトリーチ等を通じた継続的支援"


def test_a_program_may_cite_several_items(mini_copy):
    _rewrite(mini_copy / "programs.csv", "包括的相談支援,第1号イ,高齢", "多機関協働事業,第５号;第６号,全世代")
    program = _node(read_package(mini_copy), "p_houkatsu")
    assert (program["pillar"], program["articles"]) == ("多機関協働", ["第5号", "第6号"])


def test_each_cited_item_must_belong_to_the_pillar(mini_copy):
    _rewrite(mini_copy / "programs.csv", "包括的相談支援,第1号イ,高齢", "多機関協働,第5号;第1号イ,高齢")
    [error] = _errors(mini_copy)
    assert (error.row, error.column, error.code) == (2, "articles", "article_pillar_mismatch")
    assert "第1号イ" in error.message_ja


def test_an_older_package_with_an_article_column_still_loads(mini_copy):
    _rewrite(mini_copy / "programs.csv", "id,name,pillar,articles,", "id,name,pillar,article,")
    assert _node(read_package(mini_copy), "p_houkatsu")["articles"] == ["第1号イ"]


# --- Tiers per city, separate from the area type ------------------------------------------------

def test_the_tier_is_the_citys_own_not_fixed_by_the_area_type(mini_copy):
    _rewrite(mini_copy / "districts.csv", "id,name,layer,parent,", "id,name,layer,tier,parent,")
    _rewrite(mini_copy / "districts.csv", "north,北地区,地区,,", "north,北地区,日常生活圏域,第3層,,")
    _rewrite(mini_copy / "districts.csv", "south,南地区,地区,,", "south,南地区,日常生活圏域,,,")
    table = ta.district_table(package_graph(read_package(mini_copy))).set_index("district_id")
    # 高島市 puts 日常生活圏域 at 第3層, 阪南市 at 第2層 (the area type's default).
    assert table.loc["north", "tier"] == 3 and table.loc["south", "tier"] == 2
    assert table.loc["north", "layer"] == table.loc["south", "layer"] == "日常生活圏域"


def test_a_city_wide_district_is_tier_1_and_only_it(mini_copy):
    _rewrite(mini_copy / "districts.csv", "id,name,layer,parent,", "id,name,layer,tier,parent,")
    _rewrite(mini_copy / "districts.csv", "north,北地区,地区,,", "north,北地区,市域,第2層,,")
    _rewrite(mini_copy / "districts.csv", "south,南地区,地区,,", "south,南地区,地区,第1層,,")
    errors = _errors(mini_copy)
    assert {(e.row, e.column, e.code) for e in errors} == {(2, "tier", "tier_layer_mismatch"),
                                                           (3, "tier", "tier_layer_mismatch")}


def test_ashiyas_tier2_area_is_an_area_type_plus_a_tier():
    assert vocabulary("layers").lookup("第2層圏域").ja == "圏域"  # the old spelling, which mixed the two
    assert "第2層圏域" not in vocabulary("layers").labels("ja")
    table = ta.district_table(package_graph(read_package("data_samples/ashiya")))
    assert set(table["layer"]) == {"圏域"} and set(table["tier"]) == {2}


def test_a_japanese_header_package_whose_層_is_the_area_type_still_loads(mini_copy):
    # Before tiers, districts' 層 column held the area type; without a 圏域の種類 column it is read so.
    _rewrite(mini_copy / "districts.csv", "id,name,layer,parent,", "id,name,層,parent,")
    table = ta.district_table(package_graph(read_package(mini_copy))).set_index("district_id")
    assert table.loc["north", "layer"] == "地区" and table.loc["north", "tier"] == 2


# --- Domains -------------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling, label", [("介護", "高齢"), ("子ども・若者", "子ども"), ("障害", "障がい"),
                                             ("困窮", "生活困窮"), ("属性を問わない", "全世代")])
def test_domain_aliases(spelling, label):
    assert vocabulary("domains").lookup(spelling).ja == label


def test_hoken_is_a_sector_not_a_domain(mini_copy):
    _rewrite(mini_copy / "programs.csv", "第1号イ,高齢,", "第1号イ,保健,")
    [error] = _errors(mini_copy)
    assert (error.column, error.code) == ("domains", "wrong_term") and "保健・医療" in error.message_ja
    assert vocabulary("sectors").lookup("保健").ja == "保健・医療"


# --- Needs (地域生活課題) ------------------------------------------------------------------------

@pytest.mark.parametrize("need", ["認知症", "災害時要配慮者", "就労", "金銭管理", "難病", "不登校", "依存症"])
def test_needs_the_seeds_name_are_in_the_vocabulary(need):
    assert vocabulary("needs").lookup(need).ja == need


@pytest.mark.parametrize("spelling, label", [("8050", "8050問題"), ("触法", "再犯防止"), ("自殺", "自殺対策"),
                                             ("災害時要援護者", "災害時要配慮者")])
def test_needs_carry_the_seeds_policy_terms(spelling, label):
    assert vocabulary("needs").lookup(spelling).ja == label


def test_a_local_need_keeps_its_own_name(mini_copy):
    _rewrite(mini_copy / "needs.csv", "id,name,source", "id,name,local,source")
    _rewrite(mini_copy / "needs.csv", "hikikomori,ひきこもり,test", "hikikomori,ひきこもり,,test")
    _append(mini_copy / "needs.csv", "kaimono,買い物困難,true,test")
    package = read_package(mini_copy)
    need = _node(package, "kaimono")
    assert (need["name"], need["local"]) == ("買い物困難", True)
    assert _node(package, "hikikomori")["local"] is False


def test_an_unknown_need_without_local_is_the_normal_unknown_term_error(mini_copy):
    _append(mini_copy / "needs.csv", "kaimono,買い物困難,test")
    [error] = _errors(mini_copy)
    assert (error.file, error.row, error.column, error.code) == ("needs.csv", 3, "name", "unknown_term")
    assert "local" in error.message_ja and "local" in error.message_en


def test_an_empty_need_name_is_a_missing_value(mini_copy):
    _append(mini_copy / "needs.csv", "blank,,test")
    [error] = _errors(mini_copy)
    assert (error.row, error.column, error.code) == (3, "name", "missing_value")


def test_a_local_need_the_vocabulary_knows_uses_the_vocabulary_name(mini_copy):
    _rewrite(mini_copy / "needs.csv", "id,name,source", "id,name,local,source")
    _rewrite(mini_copy / "needs.csv", "hikikomori,ひきこもり,test", "hikikomori,8050,true,test")
    package = read_package(mini_copy)
    assert _node(package, "hikikomori")["name"] == "8050問題"
    assert [w.code for w in package.warnings if w.code == "local_need_in_vocabulary"] == ["local_need_in_vocabulary"]


# --- Councils -----------------------------------------------------------------------------------

def test_support_meeting_and_jusou_meeting_are_distinct_multi_agency_categories():
    categories = vocabulary("council_categories")
    assert categories.lookup("支援会議").code != categories.lookup("重層的支援会議").code
    assert "106条の6" in categories.lookup("支援会議").en.replace("art. 106-6", "106条の6")
    multi = {t.ja for t in categories if t.extra["multi_agency"]}
    assert multi == {"重層的支援会議", "支援会議"}
    assert {"法定協議会", "附属機関", "協議体", "地域ケア会議", "ケース会議"} <= set(categories.labels("ja"))


def test_only_multi_agency_councils_count_toward_items_5_and_6(mini_copy):
    # renkei (庁内連携) becomes, in turn, a 地域ケア会議 at the case level, the same marked multi_agency,
    # and a 支援会議: only the last two provide 多機関協働.
    _rewrite(mini_copy / "councils.csv", "id,name,level,layer,", "id,name,level,category,multi_agency,layer,")
    counted = {}
    for category, flag in (("地域ケア会議", ""), ("地域ケア会議", "true"), ("支援会議", "")):
        text = (mini_copy / "councils.csv").read_text("utf-8").splitlines()
        text[1] = f"renkei,施策間連携会議,個別支援,{category},{flag},市域,4,hub,,施策間の連携,test"
        (mini_copy / "councils.csv").write_text("\n".join(text) + "\n", "utf-8")
        cube = ta.coverage_cube(package_graph(read_package(mini_copy)))
        cell = cube[(cube["pillar"] == "多機関協働") & (cube["domain"] == "全体")]
        counted[(category, flag)] = set(cell["councils"])
    assert counted == {("地域ケア会議", ""): {0}, ("地域ケア会議", "true"): {1}, ("支援会議", ""): {1}}


def test_the_council_level_for_heads_does_not_read_as_a_person():
    levels = vocabulary("council_levels")
    assert levels.lookup("代表者").ja == "代表者会議"


# --- Agreements (協定) --------------------------------------------------------------------------

def test_an_agreement_is_a_tie_with_type_and_year_and_joins_the_parties(mini_copy):
    _with_agreement_columns(mini_copy / "ties.csv", "hub,housing,AGREEMENT,,,見守り協定,2021,,,test,")
    package = read_package(mini_copy)
    [tie] = [t for t in package.ties if t.kind == "AGREEMENT"]
    assert (tie.properties["agreement"], tie.properties["year"]) == ("見守り協定", 2021)
    network = ta.actor_network(package_graph(package))
    assert "AGREEMENT" in network.edges["99999:hub", "99999:housing"]["kinds"]


@pytest.mark.parametrize("row, column, code", [
    ("hub,housing,AGREEMENT,,,,R3,,,test,", "year", "bad_number"),  # a 和暦 year is not a number
    ("hub,housing,AGREEMENT,,,,21,,,test,", "year", "number_out_of_range"),
    ("hub,housing,AGREEMENT,,,協定書,2021,,,test,", "agreement", "unknown_term"),
])
def test_agreement_fields_are_checked(mini_copy, row, column, code):
    _with_agreement_columns(mini_copy / "ties.csv", row)
    [error] = _errors(mini_copy)
    assert (error.file, error.row, error.column, error.code) == ("ties.csv", 9, column, code)


@pytest.mark.parametrize("row, code", [("hub,housing,AGREEMENT,,,,2021,,,test,", "agreement_type_missing"),
                                       ("hub,housing,COLLABORATES_WITH,,,見守り協定,,,,test,", "agreement_ignored")])
def test_agreement_fields_out_of_place_are_warned(mini_copy, row, code):
    _with_agreement_columns(mini_copy / "ties.csv", row)
    assert [(w.row, w.code) for w in read_package(mini_copy).warnings if w.code == code] == [(9, code)]


# --- Posts (専門職配置) and residents' groups ------------------------------------------------------

def test_a_post_without_its_holder_is_warned_and_with_it_is_tied_to_it(mini_copy):
    _append(mini_copy / "agencies.csv", "csw,CSW（コミュニティソーシャルワーカー）,専門職配置,社会福祉協議会,全世代,,,,,,,test,")
    warnings = [w for w in read_package(mini_copy).warnings if w.code == "post_without_holder"]
    assert [(w.file, w.row, w.column) for w in warnings] == [("agencies.csv", 7, "parent")]
    text = (mini_copy / "agencies.csv").read_text("utf-8").replace(",専門職配置,社会福祉協議会,全世代,,,", ",専門職配置,社会福祉協議会,全世代,,hub,")
    (mini_copy / "agencies.csv").write_text(text, "utf-8")
    package = read_package(mini_copy)
    assert "post_without_holder" not in {w.code for w in package.warnings}
    assert ta.actor_network(package_graph(package)).has_edge("99999:csw", "99999:hub")


@pytest.mark.parametrize("spelling, label", [("まちづくり協議会", "地域運営組織"), ("住民自治協議会", "地域運営組織"),
                                             ("家族会", "当事者・家族会"), ("当事者会", "当事者・家族会")])
def test_resident_kinds(spelling, label):
    assert vocabulary("resident_group_types").lookup(spelling).ja == label


def test_an_agreements_type_and_year_survive_the_graph_and_the_store(mini_copy, tmp_path):
    from tsunagari.graph.store_embedded import EmbeddedStore

    _with_agreement_columns(mini_copy / "ties.csv", "hub,housing,AGREEMENT,,,包括連携協定,2019,,,test,")
    package = read_package(mini_copy)
    with EmbeddedStore(tmp_path / "store") as store:
        store.load_package(package)
        stored = store.read_graph("99999")
    for graph in (package_graph(package), stored):
        [(kind, agreement, year)] = [(d["kind"], d.get("agreement"), d.get("year"))
                                     for _, _, d in graph.edges(data=True) if d["kind"] == "AGREEMENT"]
        assert (agreement, year) == ("包括連携協定", 2019)


# --- District boundaries (districts.geojson) ------------------------------------------------------

SQUARE = [[[135.0, 34.0], [135.1, 34.0], [135.1, 34.1], [135.0, 34.1], [135.0, 34.0]]]


def _geojson(path: Path, *features: dict) -> None:
    import json

    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}), "utf-8")


def test_boundaries_are_read_into_the_districts(mini_copy):
    import json

    _geojson(mini_copy / "districts.geojson",
             {"type": "Feature", "properties": {"id": "north"}, "geometry": {"type": "Polygon", "coordinates": SQUARE}})
    package = read_package(mini_copy)
    assert json.loads(_node(package, "north")["boundary"]) == {"type": "Polygon", "coordinates": SQUARE}
    assert _node(package, "south")["boundary"] is None


@pytest.mark.parametrize("feature, column, code", [
    ({"type": "Feature", "properties": {"id": "east"}, "geometry": {"type": "Polygon", "coordinates": SQUARE}},
     "properties.id", "boundary_unknown_district"),
    ({"type": "Feature", "properties": {"id": "north"}, "geometry": {"type": "Point", "coordinates": [135, 34]}},
     "geometry", "boundary_bad_geometry"),
    ({"type": "Feature", "properties": {"id": "north"},
      "geometry": {"type": "Polygon", "coordinates": [[[535.0, 34.0], [135.1, 34.0], [135.1, 34.1], [535.0, 34.0]]]}},
     "geometry", "boundary_bad_geometry"),
])
def test_a_bad_boundary_is_an_error_naming_the_feature(mini_copy, feature, column, code):
    _geojson(mini_copy / "districts.geojson", feature)
    [error] = _errors(mini_copy)
    assert (error.file, error.row, error.column, error.code) == ("districts.geojson", 1, column, code)


def test_a_boundary_file_that_is_not_geojson(mini_copy):
    (mini_copy / "districts.geojson").write_text("{not json", "utf-8")
    [error] = _errors(mini_copy)
    assert (error.file, error.code) == ("districts.geojson", "boundary_unreadable")


def test_boundaries_nested_too_deeply_are_unreadable_not_a_crash(mini_copy):
    # 200,000 nested arrays: Python's JSON parser gives up with RecursionError, which once escaped
    # the loader as an "unexpected error" (exit 1) instead of naming the file.
    deep = "[" * 200_000 + "]" * 200_000
    (mini_copy / "districts.geojson").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"north"},"geometry":'
        + deep + "}]}", "utf-8")
    [error] = _errors(mini_copy)
    assert (error.file, error.code) == ("districts.geojson", "boundary_unreadable")
    assert "nested too deeply" in error.message_en and "入れ子が深すぎます" in error.message_ja


def _zipped(folder: Path, target: Path, *, method: int) -> Path:
    import zipfile

    with zipfile.ZipFile(target, "w", compression=method) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, f"pkg/{file.name}")
    return target


def test_boundaries_are_read_from_a_zipped_package(mini_copy, tmp_path):
    import json
    import zipfile

    _geojson(mini_copy / "districts.geojson",
             {"type": "Feature", "properties": {"id": "north"}, "geometry": {"type": "Polygon", "coordinates": SQUARE}})
    package = read_package(_zipped(mini_copy, tmp_path / "pkg.zip", method=zipfile.ZIP_DEFLATED))
    assert json.loads(_node(package, "north")["boundary"]) == {"type": "Polygon", "coordinates": SQUARE}


def test_a_zipped_boundary_obeys_the_package_limits(mini_copy, tmp_path):
    import zipfile

    from tsunagari.loaders.limits import Limits

    _geojson(mini_copy / "districts.geojson",
             {"type": "Feature", "properties": {"id": "north"}, "geometry": {"type": "Polygon", "coordinates": SQUARE}})
    # 200 KB of blanks after the collection: it compresses about 1,000 to 1, a zip-bomb ratio for
    # the guarded reader (the tables, a few hundred bytes each, are below the ratio's floor).
    with (mini_copy / "districts.geojson").open("a", encoding="utf-8") as handle:
        handle.write(" " * 200_000)
    archive = _zipped(mini_copy, tmp_path / "pkg.zip", method=zipfile.ZIP_DEFLATED)
    assert _node(read_package(archive), "north")["boundary"] is not None  # within the default limits
    # The plain zipfile read of before ignored the limits; now the member is refused, and said so
    # (a boundary that cannot be read must not silently leave a map without it).
    with pytest.raises(DataPackageError) as caught:
        read_package(archive, limits=Limits(ratio_floor_bytes=10_000, max_ratio=50))
    [error] = [i for i in caught.value.issues if i.severity == "error"]
    assert (error.file, error.code) == ("pkg.zip/pkg/districts.geojson", "compression_ratio")
