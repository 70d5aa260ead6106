"""全国地方公共団体コード: check digit, the two forms as one, a leading zero lost in Excel, fictional codes."""

from __future__ import annotations

import pytest

from tsunagari.municipality_code import (PREFECTURES, MunicipalityCodeError, check_digit, full_code, normalize_code,
                                         prefecture_code, prefecture_name, same_municipality)


@pytest.mark.parametrize(("five", "digit"), [
    ("13101", "6"),  # 千代田区 131016: 6+15+4+0+2 = 27, 27 mod 11 = 5, 11-5 = 6
    ("01100", "2"),  # 札幌市 011002: sum 9 < 11, 11-9 = 2
    ("28202", "2"),  # 尼崎市 282022: 64 mod 11 = 9, 11-9 = 2
    ("01000", "6"),  # 北海道 010006
    ("99999", "7"),  # fictional: 180 mod 11 = 4, 11-4 = 7
])
def test_check_digit(five, digit):
    assert check_digit(five) == digit


def test_remainders_0_and_1_give_1_and_0():
    fives = [f"{n:05d}" for n in range(1000, 3000)]
    by_remainder = {sum(int(d) * w for d, w in zip(f, (6, 5, 4, 3, 2))) % 11: f for f in fives}
    assert check_digit(by_remainder[0]) == "1" and check_digit(by_remainder[1]) == "0"


def test_both_forms_and_full_width_are_one_code():
    assert normalize_code("282022") == normalize_code("28202") == normalize_code("２８２０２") == "28202"
    assert same_municipality("28202", "282022") and not same_municipality("28202", "28206")
    assert full_code("28202") == "282022"


def test_wrong_check_digit_names_the_right_one():
    with pytest.raises(MunicipalityCodeError) as err:
        normalize_code("282023")
    assert "282022" in err.value.message("ja") and "282022" in str(err.value)


def test_lost_leading_zero_detected_against_the_prefecture():
    assert normalize_code("11002", prefecture="北海道") == "01100"  # 札幌市 011002 read as a number
    assert normalize_code("11002") == "01100"  # 11-002 is no municipality of 埼玉県 (part < 100), 011002 checks
    with pytest.raises(MunicipalityCodeError, match="not used"):
        normalize_code("11002", prefecture="埼玉県")  # 埼玉県 has no municipality 002


def test_a_code_outside_the_prefecture_is_refused():
    with pytest.raises(MunicipalityCodeError, match="兵庫県"):
        normalize_code("28202", prefecture="大阪府")


def test_ambiguous_five_digits_without_prefecture_lists_both():
    # A 5-digit code that is also a valid 6-digit code of prefecture 01–09 without its zero: find one.
    candidates = [f"{n:05d}" for n in range(10100, 47800)
                  if 100 <= int(f"{n:05d}"[2:]) <= 799 and 100 <= int(f"0{n:05d}"[2:5]) <= 799
                  and check_digit(f"0{n:05d}"[:5]) == f"{n:05d}"[4] and int(f"{n:05d}"[:2]) <= 47]
    code = candidates[0]
    with pytest.raises(MunicipalityCodeError) as err:
        normalize_code(code)
    assert code in err.value.message("en") and f"0{code}" in err.value.message("en")
    assert normalize_code(code, prefecture=PREFECTURES[int(code[:2]) - 1]) == code
    assert normalize_code(code, prefecture=PREFECTURES[int(code[0]) - 1]) == "0" + code[:4]  # the 0-lost reading


@pytest.mark.parametrize("bad", ["2820", "2820222", "28-20x", "", "00100", "000001", "28050"])
def test_malformed_codes(bad):
    with pytest.raises(MunicipalityCodeError):
        normalize_code(bad)


def test_fictional_range_and_prefectures():
    assert normalize_code("99901") == "99901" and normalize_code("999997") == "99999"
    assert normalize_code("90001") == "90001" and normalize_code("48000") == "48000"  # 48–99: fictional
    assert normalize_code("99999", prefecture="テスト県") == "99999"  # any prefecture name
    assert prefecture_name("99999") is None and prefecture_name("282022") == "兵庫県"
    assert prefecture_code("京都") == "26" and prefecture_code("北海道") == "01" and prefecture_code("架空県") is None
