"""A 100 MB, one-million-row table is validated in one pass and its one bad cell located exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tsunagari.loaders.errors import DataPackageError
from tsunagari.loaders.validate import read_package

MINI = Path(__file__).parent.parent / "fixtures" / "mini"
ROWS = 1_000_000


def test_million_rows_100_mb_with_one_bad_cell(tmp_path):
    package = tmp_path / "big"
    shutil.copytree(MINI, package)
    padding = "地域の見守り活動" * 5  # makes each row ~100 bytes → ~100 MB
    with (package / "resident_groups.csv").open("w", encoding="utf-8", newline="") as f:
        f.write("id,name,type,district,count,aggregate,source\n")
        # No district: a million groups in one district would be a million ties at one node, refused
        # on its own (too_many_ties, tests/loaders/test_hostile_files.py).
        f.writelines(f"g{i},サロン{i},サロン,,,,{padding}\n" for i in range(ROWS - 1))
        f.write(f"g{ROWS - 1},サロン,サロン,,12か所,,{padding}\n")
    assert (package / "resident_groups.csv").stat().st_size > 100_000_000
    with pytest.raises(DataPackageError) as caught:
        read_package(package)
    errors = [(i.file, i.row, i.column, i.code) for i in caught.value.issues if i.severity == "error"]
    # Header is row 1, so the millionth record is spreadsheet row 1,000,001.
    assert errors == [("resident_groups.csv", ROWS + 1, "count", "bad_number")]
