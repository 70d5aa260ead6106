"""`tsunagari import`: round trips import → load → summary/gaps, exit codes, and one municipality per code."""

from __future__ import annotations

import shutil
from pathlib import Path

from tsunagari.cli import main

FIXTURES = Path(__file__).parents[2] / "fixtures" / "importers"
OPEN = FIXTURES / "opendata"


def test_opendata_round_trip(store_url, tmp_path, capsys):
    out = tmp_path / "pkg"
    files = [str(OPEN / f) for f in ("kaigo.csv", "iryo.csv", "childcare.csv", "koukyou.csv", "jinkou.csv")]
    assert main(["import", "opendata", *files, "--code", "999997", "--districts", str(OPEN / "towns.csv"),
                 "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Agency 20, District 3" in captured.out and "5 件" in captured.out
    assert "管理者氏名" in captured.err
    assert main(["--store", store_url, "load", str(out)]) == 0
    assert "テスト市（99999）: 読み込み完了" in capsys.readouterr().out
    assert main(["--store", store_url, "summary", "999997"]) == 0  # the 6-digit form finds it
    summary = capsys.readouterr().out
    assert "本町地区 [地区・第2層]  人口 1,182  世帯 802" in summary and "保健・医療: 6" in summary
    assert main(["--store", store_url, "gaps", "テスト市"]) == 0
    assert "[本町地区]" in capsys.readouterr().out


def test_hsds_round_trip(store_url, tmp_path, capsys):
    out = tmp_path / "pkg"
    assert main(["--lang", "en", "import", "hsds", str(FIXTURES / "hsds"), "--mapping",
                 str(FIXTURES / "hsds_mapping.csv"), "--code", "99999", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "6 item(s) could not be mapped" in captured.out and "dropped, never stored" in captured.err
    assert main(["--store", store_url, "load", str(out)]) == 0
    capsys.readouterr()
    assert main(["--store", store_url, "--lang", "en", "summary", "m99999"]) == 0
    summary = capsys.readouterr().out
    assert "Comprehensive consultation: 1" in summary and "Community building: 2" in summary
    assert "operates: 3" in summary
    assert main(["--store", store_url, "gaps", "99999"]) == 0


def test_import_errors_exit_2(tmp_path, capsys):
    assert main(["import", "opendata", str(OPEN / "kaigo.csv"), "--code", "999998", "--out", str(tmp_path)]) == 2
    assert "999997" in capsys.readouterr().err
    assert main(["import", "hsds", str(tmp_path / "none"), "--code", "99999", "--out", str(tmp_path / "o")]) == 2
    assert main(["import", "opendata", "--code", "99999"]) == 2  # no file, no --out


def test_five_and_six_digit_codes_are_one_municipality(store_url, mini_path, tmp_path, capsys):
    six = tmp_path / "six"
    shutil.copytree(mini_path, six)
    manifest = (six / "manifest.csv").read_text("utf-8")
    (six / "manifest.csv").write_text(manifest.replace("code,99999", "code,999997"), "utf-8")
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    assert main(["--store", store_url, "load", str(six)]) == 0
    assert "変更なし" in capsys.readouterr().out  # the same municipality, the same content
    assert main(["--store", store_url, "list"]) == 0
    assert capsys.readouterr().out.count("テスト市") == 1


def test_shared_slug_is_an_error_listing_both(store_url, mini_path, tmp_path, capsys):
    other = tmp_path / "other"
    shutil.copytree(mini_path, other)
    manifest = (other / "manifest.csv").read_text("utf-8")
    (other / "manifest.csv").write_text(manifest.replace("code,99999", "code,99901"), "utf-8")
    assert main(["--store", store_url, "load", str(mini_path), str(other)]) == 0
    capsys.readouterr()
    assert main(["--store", store_url, "summary", "testshi"]) == 2
    err = capsys.readouterr().err
    assert "99999" in err and "99901" in err
    assert main(["--store", store_url, "summary", "99901"]) == 0
