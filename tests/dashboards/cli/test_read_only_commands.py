"""Read-only commands have no side effects, and a store that cannot be written gives a message, not a traceback.

On a store path that does not exist, ``list`` says the store holds nothing and the commands that
need a municipality say it is not in the store (exit 2); none of them creates the folder, a lock
file or anything else. On a store folder on a read-only file system every command ends with a
message naming the folder (exit 1), never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboards.read_only_fs import read_only_folder
from tsunagari.cli import main

MINI = Path(__file__).resolve().parents[2] / "fixtures" / "mini"


def _read_commands(out: Path, municipality: str) -> list[list[str]]:
    return [["summary", municipality], ["gaps", municipality], ["inequality", municipality],
            ["metrics", municipality, "--out", str(out / "metrics")], ["report", municipality, "--out", str(out / "r.html")]]


def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*"))


@pytest.mark.parametrize("where", ["missing", "missing/deeper/store"])
def test_read_only_commands_on_a_missing_store_create_nothing(tmp_path, capsys, where):
    url = f"embedded://{tmp_path / where}"
    out = tmp_path / "out"
    out.mkdir()
    before = _files(tmp_path)
    assert main(["--store", url, "list"]) == 0
    assert "ストアに市町村はありません" in capsys.readouterr().out
    for command in _read_commands(out, "尼崎市"):
        assert main(["--store", url, *command]) == 2, command
        err = capsys.readouterr().err
        assert "市町村「尼崎市」はストアにありません" in err and "Traceback" not in err, (command, err)
    assert _files(tmp_path) == before  # no store folder, no lock file, no output


def _prepare_store(folder: Path) -> None:
    assert main(["--store", f"embedded://{folder / 'store'}", "load", str(MINI)]) == 0


def test_every_command_on_a_read_only_file_system_gives_a_message(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("TSUNAGARI_DEBUG", raising=False)
    (tmp_path / "out").mkdir()
    with read_only_folder(tmp_path / "ro", _prepare_store) as folder:
        capsys.readouterr()
        store = folder / "store"
        for command in [["list"], *_read_commands(tmp_path / "out", "99999"), ["load", str(MINI)]]:
            code = main(["--store", f"embedded://{store}", *command])
            captured = capsys.readouterr()
            assert "Traceback" not in captured.err + captured.out, command
            if code != 0:  # the engine may refuse to open a file it cannot lock or log to: then it says why
                assert code == 1, (command, code, captured.err)
                assert str(store) in captured.err and "Read-only file system" in captured.err, (command, captured.err)
            else:  # reading a store that cannot be written is allowed, writing never
                assert command[0] != "load", captured
        # a new store there cannot be made: the message names the folder
        new = folder / "new"
        assert main(["--store", f"embedded://{new}", "load", str(MINI)]) == 1
        err = capsys.readouterr().err
        assert str(new) in err and "Read-only file system" in err and "Traceback" not in err
        assert main(["--store", f"embedded://{new}", "list"]) == 0  # reading it: an empty store, nothing made
        assert not new.exists()
