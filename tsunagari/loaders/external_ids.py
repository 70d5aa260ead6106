"""Stable external identifiers of an agency: 法人番号, 介護保険事業所番号, 医療機関コード.

They let a re-import recognise the agency it wrote before (``tsunagari import``), and let two
municipalities' packages be compared. Each is digits only; hyphens and spaces are removed,
full-width digits become half-width, and leading zeros a spreadsheet dropped are restored (each
has a fixed length).

* **法人番号** (corporate number, 13 digits, 国税庁): the first digit is a check digit over the
  other 12: ``9 − (Σ Pn × Qn) mod 9``, Pn the n-th digit counted from the right of the 12-digit
  base, Qn = 1 for odd n and 2 for even n (法人番号の指定等に関する省令 第2条). Checked.
* **介護保険事業所番号** (long-term-care provider number, 10 digits): the first two digits are the
  prefecture (01–47; 48–99 in fictional packages, as for municipality codes). No published check digit: the length and the
  prefecture part are checked.
* **医療機関コード** (medical institution code): 7 digits (郡市区番号 2 + 医療機関番号 4 + 検証番号 1)
  or 10 digits (都道府県番号 2 + 点数表番号 1 + the 7). The length is checked, and for 10 digits the
  prefecture part; the 検証番号 is not recomputed (its rule is not published with the open data).

Examples
--------
>>> normalize_external_id("corporate_number", "7000012050002")
'7000012050002'
>>> normalize_external_id("ltc_provider_number", "170100011")   # Excel dropped the leading 0
'0170100011'
"""

from __future__ import annotations

import unicodedata

__all__ = ["EXTERNAL_ID_KINDS", "ExternalIdError", "corporate_check_digit", "normalize_external_id"]

EXTERNAL_ID_KINDS = ("corporate_number", "ltc_provider_number", "medical_institution_code")


class ExternalIdError(ValueError):
    """The value is not a valid identifier of its kind; ``ja`` and ``en`` say why."""

    def __init__(self, ja: str, en: str) -> None:
        self.ja, self.en = ja, en
        super().__init__(en)


def corporate_check_digit(base: str) -> str:
    """The check digit (the first digit) of a 法人番号 whose other 12 digits are ``base``.

    >>> corporate_check_digit("000012050002")
    '7'
    """
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return str(9 - total % 9)


def _prefecture_ok(two: str) -> bool:
    return 1 <= int(two)  # 01–47, or 48–99 in fictional packages (as municipality codes)


def normalize_external_id(kind: str, text: str) -> str:
    """The canonical digits of ``text`` as an identifier of ``kind`` (one of :data:`EXTERNAL_ID_KINDS`).

    Raises
    ------
    ExternalIdError
        If it is not digits of the right length, or a 法人番号's check digit is wrong.
    """
    digits = unicodedata.normalize("NFKC", text).strip().replace("-", "").replace(" ", "")
    if not digits.isdigit():
        raise ExternalIdError(f"数字だけで書いてください（値: {text!r}）。", f"Write digits only; got {text!r}.")
    if kind == "corporate_number":
        if len(digits) != 13:
            raise ExternalIdError(f"法人番号は13桁です（値: {text!r}、{len(digits)}桁）。",
                                  f"A corporate number (法人番号) has 13 digits; got {text!r} ({len(digits)}).")
        expected = corporate_check_digit(digits[1:])
        if digits[0] != expected:
            raise ExternalIdError(f"法人番号「{digits}」の検査用数字（先頭の1桁）が合いません（正しくは {expected}）。"
                                  "打ち間違いがないか確認してください。",
                                  f"The check digit (first digit) of corporate number {digits} is wrong "
                                  f"(expected {expected}). Check for a typo.")
        return digits
    if kind == "ltc_provider_number":
        if len(digits) == 9:
            digits = "0" + digits  # prefectures 01–09 lose their zero in a spreadsheet
        if len(digits) != 10 or not _prefecture_ok(digits[:2]):
            raise ExternalIdError(f"介護保険事業所番号は10桁で、上2桁が都道府県番号です（値: {text!r}）。",
                                  f"A long-term-care provider number (介護保険事業所番号) has 10 digits, the "
                                  f"first two the prefecture; got {text!r}.")
        return digits
    if kind == "medical_institution_code":
        if len(digits) in (6, 9):
            digits = "0" + digits
        if len(digits) == 10 and not _prefecture_ok(digits[:2]):
            raise ExternalIdError(f"10桁の医療機関コードの上2桁は都道府県番号です（値: {text!r}）。",
                                  f"The first two digits of a 10-digit medical institution code are the "
                                  f"prefecture; got {text!r}.")
        if len(digits) not in (7, 10):
            raise ExternalIdError(f"医療機関コードは7桁または10桁です（値: {text!r}）。",
                                  f"A medical institution code (医療機関コード) has 7 or 10 digits; got {text!r}.")
        return digits
    raise KeyError(f"Unknown external id kind `{kind}`. Known: {', '.join(EXTERNAL_ID_KINDS)}.")
