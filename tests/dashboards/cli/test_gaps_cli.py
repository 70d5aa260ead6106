"""``tsunagari gaps`` / ``tsunagari inequality`` on the mini package and on every sample present."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from tsunagari.cli import main
from tsunagari.samples import SAMPLES, sample_path

MINI = Path(__file__).parents[2] / "fixtures" / "mini"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory) -> str:
    url = f"embedded://{tmp_path_factory.mktemp('gaps') / 'store'}"
    assert main(["--store", url, "load", str(MINI)]) == 0
    return url


def test_gaps_table_view(mini_store, capsys):
    code, out, _ = _run(capsys, "--store", mini_store, "gaps", "testshi")
    assert code == 0
    assert "[北地区]" in out and "[南地区]" in out
    # 南地区 (25.6%) has the lower association rate of the two.
    assert "南地区] 地区  自治会・町内会加入率 25.6% (最も低い)" in out
    assert "司法・更生保護" in out  # the probation office sits on no council


def test_gaps_english(mini_store, capsys):
    code, out, _ = _run(capsys, "--store", mini_store, "--lang", "en", "gaps", "testshi", "--district", "north")
    assert code == 0
    assert "Comprehensive consultation" in out and "[南地区]" not in out


def test_gaps_csv_and_json(mini_store, capsys):
    code, out, _ = _run(capsys, "--store", mini_store, "gaps", "testshi", "--format", "csv", "--per", "elderly")
    assert code == 0
    cube = pd.read_csv(io.StringIO(out))
    south = cube[cube["district_id"] == "south"]
    assert south["rate"].isna().all() and (south["na_reason"] == "no_elderly_figure").all()
    code, out, _ = _run(capsys, "--store", mini_store, "gaps", "testshi", "--format", "json")
    data = json.loads(out)
    assert set(data) == {"cube", "needs", "councils", "sectors", "residents", "base"}
    assert data["residents"][0]["district_id"] == "south" and data["residents"][0]["weakest"] is True


def test_gaps_bad_input_exit_2(mini_store, capsys):
    code, _, err = _run(capsys, "--store", mini_store, "gaps", "testshi", "--district", "nowhere")
    assert code == 2 and err == "テスト市に地区「nowhere」はありません。地区: north (北地区), south (南地区)\n"
    code, _, err = _run(capsys, "--store", mini_store, "--lang", "en", "gaps", "testshi", "--district", "nowhere")
    assert code == 2 and err == "No district `nowhere` in テスト市. Known districts: north (北地区), south (南地区).\n"
    code, _, err = _run(capsys, "--store", mini_store, "--lang", "both", "gaps", "testshi", "--district", "nowhere")
    assert code == 2 and err.splitlines() == ["テスト市に地区「nowhere」はありません。地区: north (北地区), south (南地区)",
                                              "No district `nowhere` in テスト市. Known districts: north (北地区), south (南地区)."]
    code, _, err = _run(capsys, "--store", mini_store, "gaps", "no-such-town")
    assert code == 2 and "市町村「no-such-town」はストアにありません" in err


def test_inequality_formats(mini_store, capsys):
    code, out, _ = _run(capsys, "--store", mini_store, "inequality", "testshi")
    assert code == 0 and "ジニ係数" in out and "最大/最小比                NA  (最小値が0)" in out
    code, out, _ = _run(capsys, "--store", mini_store, "inequality", "testshi", "--per", "children",
                        "--format", "csv")
    districts = pd.read_csv(io.StringIO(out), keep_default_na=False).set_index("district_id")
    assert districts.loc["south", "na_reason_children"] == "no_children_figure"
    code, out, _ = _run(capsys, "--store", mini_store, "inequality", "testshi", "--per", "units",
                        "--format", "csv", "--table", "indices")
    indices = pd.read_csv(io.StringIO(out)).set_index("index")
    # north: 2 centres + 1 町会 = 3 local units, south: 0 → Gini of [3, 0] = 3 / (2 × 4 × 1.5) = 0.25 × 2.
    assert indices.loc["gini", "value"] == pytest.approx(0.5)
    code, _, err = _run(capsys, "--store", mini_store, "inequality", "testshi", "--layer", "小学校区")
    assert code == 2 and "小学校区" in err


def _available_samples() -> list[str]:
    present = []
    for slug in SAMPLES:
        try:
            sample_path(slug)
        except FileNotFoundError:
            continue
        present.append(slug)
    return present


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> str:
    url = f"embedded://{tmp_path_factory.mktemp('samples') / 'store'}"
    slugs = _available_samples()
    if not slugs:
        pytest.skip("no sample package in this checkout")
    assert main(["--store", url, "load", *(str(sample_path(s)) for s in slugs)]) == 0
    return url


@pytest.mark.parametrize("slug", list(SAMPLES))
def test_both_commands_run_on_every_sample(sample_store, slug, capsys):
    if slug not in _available_samples():
        pytest.skip(f"sample {slug} not in this checkout yet")
    for command in ("gaps", "inequality"):
        code, out, err = _run(capsys, "--store", sample_store, command, slug)
        assert code == 0, err
        code, out, err = _run(capsys, "--store", sample_store, command, slug, "--format", "json")
        assert code == 0 and json.loads(out)


def test_amagasaki_six_districts_per_capita_and_weakest_base(sample_store, capsys):
    if "amagasaki" not in _available_samples():
        pytest.skip("amagasaki sample not in this checkout yet")
    _, out, _ = _run(capsys, "--store", sample_store, "inequality", "amagasaki", "--format", "json")
    result = json.loads(out)
    districts = pd.DataFrame(result["districts"])
    assert len(districts) == 6 and districts["included"].all()
    assert districts["per_10k_population"].notna().all()
    gini = next(r for r in result["indices"] if r["index"] == "gini")
    assert gini["n"] == 6 and gini["value"] is not None
    _, out, _ = _run(capsys, "--store", sample_store, "gaps", "amagasaki", "--format", "json")
    residents = pd.DataFrame(json.loads(out)["residents"])
    weakest = residents[residents["weakest"]]
    assert weakest["district"].tolist() == ["武庫地区"]
    assert weakest["association_rate"].iloc[0] == pytest.approx(25.6)


def test_takashima_reports_missing_populations(sample_store, capsys):
    if "takashima" not in _available_samples():
        pytest.skip("takashima sample not in this checkout yet")
    _, out, _ = _run(capsys, "--store", sample_store, "inequality", "takashima", "--format", "json")
    result = json.loads(out)
    districts = pd.DataFrame(result["districts"])
    assert len(districts) and not districts["included"].any()
    assert (districts["na_reason_population"] == "no_population_figure").all()
    assert all(r["value"] is None and r["na_reason"] for r in result["indices"])


def test_missing_figure_reasons_are_written_in_the_chosen_language(mini_store, capsys):
    # 南地区 of the mini package has no elderly figure: the text report says why, in ja or en.
    _, out_ja, _ = _run(capsys, "--store", mini_store, "inequality", "testshi", "--per", "elderly")
    assert "NA (この地区の高齢者人口（65歳以上）の数値がない)" in out_ja
    assert "no_elderly_figure" not in out_ja
    _, out_en, _ = _run(capsys, "--store", mini_store, "--lang", "en", "inequality", "testshi", "--per", "elderly")
    assert "NA (no figure for this district's elderly population (65+))" in out_en
