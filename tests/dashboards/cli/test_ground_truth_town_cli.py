"""緑町's planted facts (tests/fixtures/town/README.md) as a planner meets them: through the CLI."""

from __future__ import annotations

import csv
import json
import pytest

from tests.conftest import TOWN
from tsunagari.cli import main

DISTRICTS = ("chuo", "kitayama", "minamihama", "higashidani", "nishihara")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    import contextlib
    import io

    folder = tmp_path_factory.mktemp("town")
    store = f"embedded://{folder / 'store'}"

    def run(*argv: str) -> str:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(["--store", store, *argv]) == 0, argv
        return buffer.getvalue()

    run("load", str(TOWN))
    out = {"gaps": json.loads(run("gaps", "緑町", "--format", "json")),
           "gaps_elderly": json.loads(run("gaps", "緑町", "--per", "elderly", "--format", "json")),
           "text": run("gaps", "緑町"),
           "inequality_text": run("inequality", "緑町", "--per", "children")}
    for per in ("units", "population", "elderly", "children"):
        out[f"ineq_{per}"] = json.loads(run("inequality", "緑町", "--per", per, "--format", "json"))
    run("metrics", "緑町", "--out", str(folder / "metrics"), "--permutations", "10")
    run("metrics", "緑町", "--out", str(folder / "metrics-no-part-of"), "--permutations", "10",
        "--ties", "COLLABORATES_WITH,REFERS_TO,COMMISSIONED_BY,OPERATES,MEMBER_OF")
    for name in ("metrics", "metrics-no-part-of"):
        with open(folder / name / "nodes.csv", encoding="utf-8") as stream:
            out[name] = {row["id"]: row for row in csv.DictReader(stream)}
    return out


def _cell(outputs, district, pillar, domain, table="gaps"):
    rows = [r for r in outputs[table]["cube"]
            if (r["district_id"], r["pillar"], r["domain"]) == (district, pillar, domain)]
    assert len(rows) == 1
    return rows[0]


def _symbol(r) -> str:
    return "×" if r["level"] == "none" else "△" if r["level"] == "thin" else "○" if r["city_only"] else "◎"


def test_fact_1_outreach(outputs):
    assert {_symbol(_cell(outputs, d, "アウトリーチ等を通じた継続的支援", "高齢")) for d in DISTRICTS} == {"△"}


def test_fact_2_kitayama_elderly_community(outputs):
    r = _cell(outputs, "kitayama", "地域づくり", "高齢", "gaps_elderly")
    assert (_symbol(r), r["local_providers"]) == ("△", 1) and r["rate"] == pytest.approx(1000 / 900)


def test_fact_3_children_community(outputs):
    assert [_symbol(_cell(outputs, d, "地域づくり", "子ども")) for d in DISTRICTS] == ["◎", "×", "△", "×", "×"]


def test_fact_4_per_child(outputs):
    values = {r["district_id"]: r["value"] for r in outputs["ineq_children"]["districts"]}
    assert values["higashidani"] == 0 and max(values, key=values.get) == "nishihara"
    assert "東谷地区" in outputs["inequality_text"] and "値 0.00" in outputs["inequality_text"]


def test_fact_5_branch_cut_point(outputs):
    assert outputs["metrics"]["a_shakyo_nishi"]["cutpoint"] == "True"
    assert float(outputs["metrics"]["a_shakyo_nishi"]["pairs_lost_share"]) == pytest.approx(48 / 325)


def test_fact_6_welfare_only_council(outputs):
    assert [c["council_id"] for c in outputs["gaps"]["councils"] if c["status"] == "silo"] == ["c_jusou_kaigi"]
    assert "重層的支援会議 (個別支援, 6構成員)" in outputs["text"]


def test_fact_7_unaddressed_need(outputs):
    assert [n["need"] for n in outputs["gaps"]["needs"] if n["status"] == "unaddressed"] == ["多頭飼育"]


def test_fact_8_need_through_a_council(outputs):
    need = next(n for n in outputs["gaps"]["needs"] if n["need"] == "8050問題")
    assert (need["status"], need["addressed_by"]) == ("addressed", "council")
    unaddressed = outputs["text"].split("対応していない制度の狭間のニーズ")[1].split("\n\n")[0]
    assert "8050問題" not in unaddressed and "多頭飼育" in unaddressed


def test_fact_9_located_in_chuo_serves_the_town(outputs):
    assert {_symbol(_cell(outputs, d, "包括的相談支援", "高齢")) for d in DISTRICTS} == {"△"}
    units = {r["district_id"]: r["units"] for r in outputs["ineq_units"]["districts"]}
    assert units["chuo"] == 11


def test_fact_10_aggregates(outputs):
    r = _cell(outputs, "chuo", "包括的相談支援", "障がい")
    assert (_symbol(r), r["providers"], r["provider_nodes"]) == ("○", 3, 1)


def test_fact_11_no_crossing(outputs):
    assert {_symbol(_cell(outputs, d, "参加支援", "高齢")) for d in DISTRICTS} == {"×"}


def test_fact_12_all_ages_section(outputs):
    assert {_symbol(_cell(outputs, d, "地域づくり", "障がい")) for d in DISTRICTS} == {"×"}
    assert _cell(outputs, "kitayama", "地域づくり", "高齢")["providers"] == 1  # a_kenkou is not there


def test_fact_13_isolate_and_absent_sector(outputs):
    assert outputs["metrics"]["a_bousai"]["degree"] in ("0", "0.0")
    sector = next(s for s in outputs["gaps"]["sectors"] if s["sector"] == "警察・消防・防災")
    assert sector["status"] == "not_on_any_council"


def test_fact_14_school_and_nursery(outputs):
    cut = {i for i, row in outputs["metrics-no-part-of"].items() if row["cutpoint"] == "True"}
    assert cut == {"a_gakkou", "a_kodomo"}


def test_fact_15_none_and_thin_cells(outputs):
    got = {r["district_id"]: (r["none_cells"], r["thin_cells"]) for r in outputs["gaps"]["residents"]}
    assert got == {"chuo": (4, 13), "kitayama": (5, 14), "minamihama": (4, 14), "higashidani": (5, 13),
                   "nishihara": (5, 13)}


def test_fact_16_weakest_base(outputs):
    assert outputs["gaps"]["residents"][0]["district_id"] == "nishihara"
