"""The coverage tables as a reader sees them: exact cells on tiny hand-made frames, in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from tsunagari.dashboards.reader_frames import (councils_for_reader, join_texts, needs_for_reader,
                                                residents_for_reader, sectors_for_reader)


def test_join_texts():
    assert join_texts(["住まい", "教育"]) == "住まい、教育"
    assert join_texts(["Housing", "Education"], "en") == "Housing, Education"
    assert join_texts([], "en") == ""


@pytest.fixture
def needs() -> pd.DataFrame:
    return pd.DataFrame({"need_id": ["hikikomori", ""], "need": ["ひきこもり", "ダブルケア"],
                         "need_en": ["Social withdrawal (hikikomori)", "Double care"],
                         "programs": [1, 0], "agencies": [2, 0], "others": [0, 0],
                         "status": ["addressed", "not_recorded"]})


def test_needs_for_reader(needs):
    before = needs.copy()
    assert needs_for_reader(needs).to_dict("list") == {
        "need_id": ["hikikomori", ""], "need": ["ひきこもり", "ダブルケア"], "programs": [1, 0], "agencies": [2, 0],
        "others": [0, 0], "status": ["対応あり", "データに記載なし"]}
    assert needs_for_reader(needs, "en").to_dict("list") == {
        "need_id": ["hikikomori", ""], "need": ["Social withdrawal (hikikomori)", "Double care"],
        "programs": [1, 0], "agencies": [2, 0], "others": [0, 0],
        "status": ["Addressed", "Not recorded in the data"]}
    pd.testing.assert_frame_equal(needs, before)  # the analysis frame is left as it was


@pytest.fixture
def councils() -> pd.DataFrame:
    return pd.DataFrame({"council_id": ["renkei", "kobetsu"], "council": ["施策間連携会議", "個別支援会議"],
                         "level": ["庁内連携", "個別支援"], "layer": ["市域", None],
                         "members": [3, 0], "welfare_members": [2, 0], "non_welfare_members": [1, 0],
                         "non_welfare_sectors": [["住まい", "教育"], []], "status": ["mixed", "no_members"]})


def test_councils_for_reader(councils):
    before = councils.copy()
    assert councils_for_reader(councils).to_dict("list") == {
        "council_id": ["renkei", "kobetsu"], "council": ["施策間連携会議", "個別支援会議"],
        "level": ["庁内連携", "個別支援"], "layer": ["市域", "—"], "members": [3, 0], "welfare_members": [2, 0],
        "non_welfare_members": [1, 0], "non_welfare_sectors": ["住まい、教育", ""],
        "status": ["福祉以外も参加", "構成員の記載なし"]}
    assert councils_for_reader(councils, "en").to_dict("list") == {
        "council_id": ["renkei", "kobetsu"], "council": ["施策間連携会議", "個別支援会議"],
        "level": ["Cross-department", "Case meeting"], "layer": ["City-wide", "—"], "members": [3, 0],
        "welfare_members": [2, 0], "non_welfare_members": [1, 0],
        "non_welfare_sectors": ["Housing, Education", ""], "status": ["Mixed sectors", "No members listed"]}
    pd.testing.assert_frame_equal(councils, before)


@pytest.fixture
def sectors() -> pd.DataFrame:
    return pd.DataFrame({"sector": ["司法・更生保護", "保健・医療"],
                         "sector_en": ["Justice and rehabilitation", "Health and medical"],
                         "actors": [1, 0], "councils": [0, 0], "status": ["not_on_any_council", "absent_from_data"]})


def test_sectors_for_reader(sectors):
    assert sectors_for_reader(sectors).to_dict("list") == {
        "sector": ["司法・更生保護", "保健・医療"], "actors": [1, 0], "councils": [0, 0],
        "status": ["データにあるが会議体に不参加", "データにない"]}
    assert sectors_for_reader(sectors, "en").to_dict("list") == {
        "sector": ["Justice and rehabilitation", "Health and medical"], "actors": [1, 0], "councils": [0, 0],
        "status": ["In the data, on no council", "Absent from the data"]}


@pytest.fixture
def residents() -> pd.DataFrame:
    return pd.DataFrame({"district_id": ["south", "north"], "district": ["南地区", "北地区"], "layer": ["地区", "地区"],
                         "association_rate": pd.array([25.6, None], dtype="Float64"),
                         "rate_rank": pd.array([1, None], dtype="Int64"), "weakest": [True, pd.NA],
                         "resident_group_units": [0, 1], "na_reason": [None, "no_population_figure"]})


def test_residents_for_reader(residents):
    ja, en = residents_for_reader(residents), residents_for_reader(residents, "en")
    texts = ["district_id", "district", "layer", "weakest", "resident_group_units", "na_reason"]
    assert ja[texts].to_dict("list") == {
        "district_id": ["south", "north"], "district": ["南地区", "北地区"], "layer": ["地区", "地区"],
        "weakest": ["はい", "—"], "resident_group_units": [0, 1], "na_reason": ["", "この地区の人口の数値がない"]}
    assert en[["layer", "weakest", "na_reason"]].to_dict("list") == {
        "layer": ["Administrative district", "Administrative district"], "weakest": ["Yes", "—"],
        "na_reason": ["", "no figure for this district's population"]}
    for shown in (ja, en):  # numbers stay numbers, in the analysis frame's dtypes
        pd.testing.assert_series_equal(shown["association_rate"], residents["association_rate"])
        pd.testing.assert_series_equal(shown["rate_rank"], residents["rate_rank"])
        assert shown.columns.tolist() == residents.columns.tolist()
