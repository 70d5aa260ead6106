"""Open Referral HSDS (3.0 and 2.0 names) → a data package through the mapping rules."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tsunagari.loaders.importers import ImportSourceError, import_hsds, write_package

FIXTURES = Path(__file__).parents[2] / "fixtures" / "importers"


@pytest.fixture
def imported(tmp_path):
    result = import_hsds(FIXTURES / "hsds", code="999997", mapping=FIXTURES / "hsds_mapping.csv")
    return write_package(result, tmp_path / "pkg")


def test_organizations_services_and_areas(imported):
    assert imported.issues == ()
    tables = imported.tables
    assert tables["agencies"]["org_o-fukushi"]["parent"] == "org_o-city"  # parent_organization_id
    assert tables["agencies"]["org_o-shakyo"]["corporate_number"] == "6100000000001"  # tax_id is a 法人番号
    assert tables["agencies"]["org_o-shakyo"]["district"] == "honmachi"  # its location's address
    salon = tables["programs"]["svc_s-salon"]
    assert (salon["pillar"], salon["domains"], salon["operation"], salon["district"]) == ("地域づくり", "高齢", "補助", "honmachi")
    assert "svc_s-salon\x1fkita\x1fSERVES" in tables["ties"]  # its second service_area
    assert tables["programs"]["svc_s-cafe"]["district"] == "minato"  # no service_area: its location
    assert tables["programs"]["svc_s-soudan"]["district"] == ""  # テスト市全域 → the whole municipality
    assert "org_o-npo\x1fsvc_s-cafe\x1fOPERATES" in tables["ties"]
    assert "svc_s-old" not in tables["programs"]  # inactive
    assert imported.package.counts_by_label() == {"Municipality": 1, "District": 3, "Agency": 5, "Program": 3}


def test_contacts_never_stored_and_todo(imported, tmp_path):
    text = "".join(p.read_text("utf-8-sig") for p in (tmp_path / "pkg").glob("*.csv"))
    assert "架空一郎" not in text and "ichiro@" not in text and "06-0000-0000" not in text
    assert any("contact.csv (1)" in n.en for n in imported.notices)
    assert any("no councils" in n.en for n in imported.notices)
    todo = {(i.file, i.row, i.column) for i in imported.todo}
    assert todo == {("manifest.csv", None, "name"), ("organization.csv", 5, "tax_id"),
                    ("organization.csv", 6, "parent_organization_id"), ("organization.csv", 6, "type"),
                    ("organization.csv", 6, "sector"), ("service.csv", 6, "pillar")}


def test_hsds_2_0_names(tmp_path):
    folder = tmp_path / "hsds2"
    folder.mkdir()

    def write(name, rows):
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)

    write("organizations.csv", [["id", "name", "url"], ["1", "テスト市社会福祉協議会", ""]])
    write("services.csv", [["id", "organization_id", "name", "status"], ["10", "1", "生活支援体制整備", "active"]])
    write("taxonomy.csv", [["id", "name", "parent_id", "vocabulary"], ["t9", "Community", "", "local"]])
    write("service_taxonomy.csv", [["id", "service_id", "taxonomy_id"], ["x", "10", "t9"]])
    write("service_area.csv", [["id", "service_id", "service_area"], ["a", "10", "北地区"]])
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("target,match_by,match,pillar,domains,type,sector,district,district_name\n"
                       "service,taxonomy,Community,地域づくり,高齢,,,,\n"
                       "organization,name,社会福祉協議会,,,社会福祉協議会,社会福祉協議会,,\n"
                       "area,name,北地区,,,,,kita,北地区\n", "utf-8")
    result = write_package(import_hsds(folder, code="99999", mapping=mapping), tmp_path / "pkg")
    assert result.issues == ()
    assert result.tables["programs"]["svc_10"]["district"] == "kita"
    assert result.tables["agencies"]["org_1"]["type"] == "社会福祉協議会"


def test_bad_rule_and_missing_organizations(tmp_path):
    mapping = tmp_path / "m.csv"
    mapping.write_text("target,match_by,match,pillar\nservice,name,相談,相談支援\n", "utf-8")
    with pytest.raises(ImportSourceError, match="m.csv row 2"):
        import_hsds(FIXTURES / "hsds", code="99999", mapping=mapping)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportSourceError, match="organizations"):
        import_hsds(tmp_path / "empty", code="99999")
