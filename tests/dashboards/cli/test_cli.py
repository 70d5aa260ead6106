"""The `tsunagari` command line: exit codes, messages, and that bad input leaves the store unchanged."""

from __future__ import annotations

from tsunagari.cli import main


def test_load_list_summary(store_url, mini_path, capsys):
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    out = capsys.readouterr().out
    assert "テスト市 (99999)" in out and "Agency: 5" in out
    assert main(["--store", store_url, "list"]) == 0
    assert "99999\ttestshi\tテスト市" in capsys.readouterr().out
    assert main(["--store", store_url, "summary", "testshi"]) == 0
    summary = capsys.readouterr().out
    assert "南地区 [地区]  人口 2,000" in summary and "住まい: 1" in summary
    assert main(["--store", store_url, "--lang", "en", "summary", "99999"]) == 0
    assert "Housing: 1" in capsys.readouterr().out


def test_invalid_package_exit_2_all_errors_store_unchanged(store_url, mini_path, mini_copy, capsys):
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    text = (mini_copy / "districts.csv").read_text("utf-8").replace(",1000,", ",多い,").replace("25.6", "101")
    (mini_copy / "districts.csv").write_text(text, "utf-8")
    capsys.readouterr()
    assert main(["--store", store_url, "load", str(mini_copy)]) == 2
    err = capsys.readouterr().err
    assert "districts.csv 2行目 列「population」" in err
    assert "districts.csv 3行目 列「association_rate」" in err
    assert "row 2 column `population`" in err
    assert "ストアは変更していません" in err
    assert main(["--store", store_url, "summary", "99999"]) == 0
    assert "北地区 [地区]  人口 1,000" in capsys.readouterr().out


def test_unknown_municipality_exit_2(store_url, capsys):
    assert main(["--store", store_url, "summary", "尼崎市"]) == 2
    assert "tsunagari load" in capsys.readouterr().err


def test_bad_store_url_and_arguments_exit_2(capsys):
    assert main(["--store", "ftp://x", "list"]) == 2
    assert "embedded:///" in capsys.readouterr().err
    assert main(["no-such-command"]) == 2


def test_missing_path_exit_2(store_url, tmp_path, capsys):
    assert main(["--store", store_url, "load", str(tmp_path / "absent")]) == 2
    assert "No data package" in capsys.readouterr().err
