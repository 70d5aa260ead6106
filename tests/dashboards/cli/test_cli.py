"""The `tsunagari` command line: exit codes, messages, and that bad input leaves the store unchanged."""

from __future__ import annotations

from tsunagari.cli import main


def test_load_list_summary(store_url, mini_path, capsys):
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    out = capsys.readouterr().out
    # One language per run: Japanese unless --lang (given before or after the subcommand) says otherwise.
    assert "テスト市（99999）: 読み込み完了" in out and "機関・部署: 5" in out and "Agency" not in out
    assert "関係: 14（" in out and "ties" not in out
    assert main(["--store", store_url, "list"]) == 0
    assert "99999\ttestshi\tテスト市" in capsys.readouterr().out
    assert main(["--store", store_url, "summary", "testshi"]) == 0
    summary = capsys.readouterr().out
    assert "南地区 [地区・第2層]  人口 2,000" in summary and "住まい: 1" in summary
    assert main(["--store", store_url, "--lang", "en", "summary", "99999"]) == 0
    assert "Housing: 1" in capsys.readouterr().out
    assert main(["--store", store_url, "summary", "99999", "--lang", "en"]) == 0  # after the subcommand too
    english = capsys.readouterr().out
    assert "Housing: 1" in english and "住まい" not in english and "[Administrative district, Tier 2]" in english
    assert main(["--store", store_url, "load", str(mini_path), "--lang", "en"]) == 0
    assert "テスト市 (99999): unchanged" in capsys.readouterr().out


def test_invalid_package_exit_2_all_errors_store_unchanged(store_url, mini_path, mini_copy, capsys):
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    text = (mini_copy / "districts.csv").read_text("utf-8").replace(",1000,", ",多い,").replace("25.6", "101")
    (mini_copy / "districts.csv").write_text(text, "utf-8")
    capsys.readouterr()
    assert main(["--store", store_url, "load", str(mini_copy)]) == 2
    err = capsys.readouterr().err
    assert "districts.csv 2行目 列「population」" in err
    assert "districts.csv 3行目 列「association_rate」" in err
    assert "ストアは変更していません" in err and "row 2" not in err
    assert main(["--store", store_url, "load", str(mini_copy), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "row 2 column `population`" in err and "error [bad_number]" in err and "エラー" not in err
    assert main(["--store", store_url, "summary", "99999"]) == 0
    assert "北地区 [地区・第2層]  人口 1,000" in capsys.readouterr().out


def test_unknown_municipality_exit_2(store_url, capsys):
    assert main(["--store", store_url, "summary", "尼崎市"]) == 2
    assert "tsunagari load" in capsys.readouterr().err


def test_bad_store_url_and_arguments_exit_2(capsys):
    assert main(["--store", "ftp://x", "list"]) == 2
    assert "embedded:///" in capsys.readouterr().err
    assert main(["no-such-command"]) == 2


def test_missing_path_exit_2(store_url, tmp_path, capsys):
    assert main(["--store", store_url, "load", str(tmp_path / "absent")]) == 2
    assert "データパッケージが見つかりません" in capsys.readouterr().err
    assert main(["--store", store_url, "load", str(tmp_path / "absent"), "--lang", "en"]) == 2
    assert "No data package" in capsys.readouterr().err


def test_help_is_in_the_runs_language_with_examples(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "使い方: tsunagari" in out and "例:" in out and "tsunagari gaps 尼崎市 --per elderly" in out
    assert "show this help" not in out and "このヘルプを表示して終了する" in out
    assert main(["gaps", "--help", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "usage: tsunagari gaps" in out and "Examples:" in out and "only this district" in out
    assert "使い方" not in out


def test_argparse_errors_are_in_japanese(capsys):
    assert main(["gaps"]) == 2
    assert "エラー: 次の引数が必要です: MUNICIPALITY" in capsys.readouterr().err
    assert main(["gaps", "x", "--per", "nobody"]) == 2
    assert "選べない値です" in capsys.readouterr().err


def test_delete(store_url, mini_path, capsys, monkeypatch):
    assert main(["--store", store_url, "load", str(mini_path)]) == 0
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--store", store_url, "delete", "テスト市"]) == 2  # no terminal to confirm: nothing deleted
    assert "--yes" in capsys.readouterr().err
    assert main(["--store", store_url, "list"]) == 0 and "99999" in capsys.readouterr().out
    assert main(["--store", store_url, "delete", "testshi", "--yes"]) == 0
    assert "テスト市（99999）を削除しました" in capsys.readouterr().out
    assert main(["--store", store_url, "list"]) == 0 and "99999" not in capsys.readouterr().out
    assert main(["--store", store_url, "delete", "testshi", "--yes"]) == 2  # no such municipality any more
