"""docs/data-format.md is generated from the model and the vocabulary: it must say what the code does."""

from pathlib import Path

from tsunagari.loaders.format_doc import render_data_format

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"


def test_data_format_doc_is_up_to_date():
    assert DOC.read_text("utf-8") == render_data_format(), (
        "regenerate it: python -m tsunagari.loaders.format_doc > docs/data-format.md")


def test_tie_direction_has_one_truth():
    from tsunagari.analysis.network import SYMMETRIC_TIE_KINDS

    rows = [line for line in render_data_format().splitlines() if "無向 undirected" in line]
    assert sorted(row.split("`")[1] for row in rows) == sorted(SYMMETRIC_TIE_KINDS) == ["AGREEMENT", "COLLABORATES_WITH"]
