"""Fiscal years (年度) as a manifest writes them: western and 和暦 forms, errors, keys of snapshots."""

from __future__ import annotations

import pytest

from tsunagari.graph.fiscal_year import (
    FiscalYearError,
    format_fiscal_year,
    latest_year,
    parse_fiscal_year,
    snapshot_key,
    split_snapshot_key,
)


@pytest.mark.parametrize(("text", "year"), [
    ("2024", 2024), ("FY2024", 2024), ("fy2024", 2024), ("2024年度", 2024), ("2024年", 2024), ("２０２４年度", 2024),
    ("令和6年度", 2024), ("令和6", 2024), ("R6", 2024), ("r6", 2024), ("R6年度", 2024), ("R.6", 2024), ("Ｒ６", 2024),
    ("令和元年度", 2019), ("平成31年度", 2019), ("H31", 2019), ("平成30年度", 2018), ("H10", 1998),
    ("昭和64年", 1989), ("S63", 1988), ("大正15", 1926), ("明治45年度", 1912), (" 令和 5 年度 ", 2023),
    (2023, 2023),
])
def test_every_written_form_gives_the_western_fiscal_year(text, year):
    assert parse_fiscal_year(text) == year


def test_era_years_meet_where_one_era_ends():
    # 平成 ended on 30 April 2019, inside FY2019: both names are that year, and 令和2 the next.
    assert parse_fiscal_year("平成31年度") == parse_fiscal_year("令和元年度") == parse_fiscal_year("R1") == 2019
    assert parse_fiscal_year("令和2年度") == 2020


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_is_no_year(text):
    assert parse_fiscal_year(text) is None


@pytest.mark.parametrize(("text", "key"), [
    ("平成32年度", "fiscal_year.era_range"), ("H32", "fiscal_year.era_range"), ("昭和65", "fiscal_year.era_range"),
    ("令和0年度", "fiscal_year.era_range"), ("2024年4月", "fiscal_year.bad"), ("20244", "fiscal_year.bad"),
    ("1899", "fiscal_year.bad"), ("今年度", "fiscal_year.bad"), ("X6", "fiscal_year.bad"), ("2024-25", "fiscal_year.bad"),
])
def test_a_bad_year_is_refused_with_a_message(text, key):
    with pytest.raises(FiscalYearError) as caught:
        parse_fiscal_year(text)
    assert caught.value.key == key
    assert text.strip() in caught.value.message("ja") and text.strip() in caught.value.message("en")


def test_bool_is_not_a_year():
    with pytest.raises(FiscalYearError):
        parse_fiscal_year(True)


def test_formatting_names_the_era_year():
    assert format_fiscal_year(2024) == "2024年度（令和6年度）"
    assert format_fiscal_year(2019) == "2019年度（令和元年度）"
    assert format_fiscal_year(2018) == "2018年度（平成30年度）"
    assert format_fiscal_year(2024, "en") == "FY2024"
    assert (format_fiscal_year(None), format_fiscal_year(None, "en")) == ("年度不明", "year unknown")


def test_snapshot_keys_round_trip_and_the_unknown_year_is_the_bare_code():
    assert snapshot_key("28202", 2024) == "28202@2024" and split_snapshot_key("28202@2024") == ("28202", 2024)
    assert snapshot_key("28202", None) == "28202" and split_snapshot_key("28202") == ("28202", None)


def test_the_latest_year_is_a_dated_one_over_the_unknown_one():
    assert latest_year([None, 2024, 2023]) == 2024
    assert latest_year([None]) is None and latest_year([]) is None
