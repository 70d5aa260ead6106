"""全国地方公共団体コード (local government codes): check digit, the 5- and 6-digit forms, lost leading zeros.

A municipality has one code in two spellings: the 5-digit form (JIS X 0402: 2-digit prefecture code
+ 3-digit municipality code) and the 6-digit form (the same 5 digits + a 検査数字, a mod-11 check
digit). Tsunagari stores and keys every municipality by the **5-digit form** (``28202``), so a
package written with ``282022`` and one written with ``28202`` are the same municipality; a 6-digit
code is accepted only if its check digit is right.

The check digit of ``abcde`` is the last digit of ``11 − (6a + 5b + 4c + 3d + 2e) mod 11``
(so a remainder of 0 gives 1 and a remainder of 1 gives 0).

A spreadsheet that reads the 6-digit code of a municipality of 北海道〜栃木県 (prefecture codes 01–09)
as a number drops its leading zero: ``011002`` (札幌市) becomes ``11002``, which also reads as a
5-digit code of prefecture 11 (埼玉県). :func:`normalize_code` tells the two apart with the
prefecture when one is given, and otherwise by the check digit and the municipality part (the
3-digit part of a municipality is 100–799; 001–099 are not used), refusing a code that stays
ambiguous with both candidates.

**Fictional codes.** No prefecture has a code above 47; Tsunagari reserves the prefecture parts
48–99, i.e. ``48000``–``99999`` (6-digit: the same with their check digit, e.g. ``999997``), for
test, training and synthetic packages (``tests/fixtures`` use ``99999`` and ``99901``, the
benchmarks' generated municipalities ``90001`` …). They are validated like real codes (the check
digit of a 6-digit form must be right; any 3-digit municipality part) and may name any prefecture.

Examples
--------
>>> check_digit("28202")
'2'
>>> normalize_code("282022")
'28202'
>>> normalize_code("11002", prefecture="北海道")
'01100'
>>> full_code("01100")
'011002'
"""

from __future__ import annotations

import unicodedata

from tsunagari.errors import TsunagariError

__all__ = [
    "MunicipalityCodeError",
    "PREFECTURES",
    "FICTIONAL_PREFECTURE",
    "check_digit",
    "full_code",
    "normalize_code",
    "prefecture_code",
    "prefecture_name",
    "is_fictional",
    "same_municipality",
]

# JIS X 0401, 01–47.
PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
FICTIONAL_PREFECTURE = "99"
"""The prefecture part of the fictional codes of the tests (any part from 48 up is fictional)."""
_FIRST_FICTIONAL = 48


class MunicipalityCodeError(TsunagariError, ValueError):
    """The text is not a valid 全国地方公共団体コード (the message says why and what to write)."""


def _digits(code: str) -> str:
    return unicodedata.normalize("NFKC", str(code)).strip().replace("-", "").replace(" ", "")


def check_digit(five: str) -> str:
    """The 検査数字 of the 5-digit code ``five`` (one character, ``"0"``–``"9"``).

    >>> check_digit("13101"), check_digit("01100")
    ('6', '2')
    """
    if len(five) != 5 or not five.isdigit():
        raise MunicipalityCodeError("code.not_digits", code=five)
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def full_code(code: str) -> str:
    """The 6-digit form (with check digit) of a valid code in either form."""
    five = normalize_code(code)
    return five + check_digit(five)


def prefecture_code(prefecture: str) -> str | None:
    """The 2-digit code of a prefecture name (``兵庫県``, ``兵庫``, ``東京``), or None if not a prefecture."""
    name = unicodedata.normalize("NFKC", prefecture or "").strip()
    if not name:
        return None
    for index, known in enumerate(PREFECTURES, start=1):
        if name == known or (known != "北海道" and name == known[:-1]):
            return f"{index:02d}"
    return None


def prefecture_name(code: str) -> str | None:
    """The prefecture of a code in either form, or None for a fictional code."""
    pref = normalize_code(code)[:2]
    return None if _fictional(pref) else PREFECTURES[int(pref) - 1]


def is_fictional(code: str) -> bool:
    """True for the reserved test/training/synthetic range 48000–99999."""
    return _fictional(normalize_code(code)[:2])


def _fictional(two: str) -> bool:
    return two.isdigit() and int(two) >= _FIRST_FICTIONAL


def _valid_prefecture(two: str) -> bool:
    return two.isdigit() and 1 <= int(two)


def _plausible_five(five: str) -> bool:
    """A 5-digit reading that could be a municipality: a prefecture and a municipality part of 100–999."""
    return _valid_prefecture(five[:2]) and (_fictional(five[:2]) or 100 <= int(five[2:]) <= 999)


def normalize_code(code: str, *, prefecture: str | None = None) -> str:
    """The 5-digit form of a 全国地方公共団体コード written in 5 or 6 digits (full-width digits allowed).

    A 6-digit code must have the right check digit. A 5-digit code is read as the 5-digit form,
    unless it is a 6-digit code whose leading zero a spreadsheet dropped (``11002`` for ``011002``):
    that is decided by ``prefecture`` (a name such as ``北海道``) when given, else by which reading is
    valid; a code that reads validly both ways without a prefecture is refused, naming both.

    Raises
    ------
    MunicipalityCodeError
        Not 5 or 6 digits, a wrong check digit, an unknown prefecture part, a code outside the given
        prefecture, or an ambiguous 5-digit code.
    """
    text = _digits(code)
    if not text.isdigit() or len(text) not in (5, 6):
        raise MunicipalityCodeError("code.not_digits", code=str(code))
    pref = prefecture_code(prefecture) if prefecture else None
    if len(text) == 6:
        five, digit = text[:5], text[5]
        expected = check_digit(five)
        if digit != expected:
            raise MunicipalityCodeError("code.bad_check_digit", code=text, expected=five + expected, five=five)
        if not _valid_prefecture(five[:2]):
            raise MunicipalityCodeError("code.unknown_prefecture", code=text, part=five[:2])
        if not (_plausible_five(five) or five[2:] == "000"):
            raise MunicipalityCodeError("code.unused_part", code=text, part=five[2:])
        _check_prefecture(five, pref, prefecture, text)
        return five
    as_five = text
    as_lost_zero = "0" + text  # the 6-digit form of prefecture 01–09 without its zero
    lost_zero_valid = text[0] != "0" and check_digit(as_lost_zero[:5]) == as_lost_zero[5] and \
        _plausible_five(as_lost_zero[:5])
    if pref is not None:
        if as_five[:2] == pref and (_plausible_five(as_five) or as_five[2:] == "000"):
            return as_five
        if lost_zero_valid and as_lost_zero[:2] == pref:
            return as_lost_zero[:5]
        if as_five[:2] == pref:
            raise MunicipalityCodeError("code.unused_part", code=text, part=as_five[2:])
        if not _valid_prefecture(as_five[:2]):
            raise MunicipalityCodeError("code.unknown_prefecture", code=text, part=as_five[:2])
        _check_prefecture(as_five, pref, prefecture, text)  # raises: outside the prefecture
    five_ok = _plausible_five(as_five)
    if five_ok and not lost_zero_valid:
        return as_five
    if lost_zero_valid and not five_ok:
        return as_lost_zero[:5]
    if lost_zero_valid and five_ok:
        raise MunicipalityCodeError("code.ambiguous", code=text, five=as_five, six=as_lost_zero,
                                    pref_five=_pref_label(as_five[:2]), pref_six=_pref_label(as_lost_zero[:2]))
    if not _valid_prefecture(as_five[:2]):
        raise MunicipalityCodeError("code.unknown_prefecture", code=text, part=as_five[:2])
    if as_five[2:] == "000":
        return as_five  # the prefecture itself
    raise MunicipalityCodeError("code.unused_part", code=text, part=as_five[2:])


def _pref_label(two: str) -> str:
    return "架空" if _fictional(two) else PREFECTURES[int(two) - 1]


def _check_prefecture(five: str, pref: str | None, prefecture: str | None, text: str) -> None:
    if pref is None or _fictional(five[:2]):
        return
    if five[:2] != pref:
        raise MunicipalityCodeError("code.wrong_prefecture", code=text, prefecture=prefecture,
                                    pref=pref, found=_pref_label(five[:2]))


def same_municipality(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are spellings of one code (``28202`` and ``282022``); False if either is invalid."""
    try:
        return normalize_code(a) == normalize_code(b)
    except MunicipalityCodeError:
        return False
