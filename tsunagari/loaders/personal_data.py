"""Guard against personal data: Tsunagari maps organisations, never people.

Two checks at the boundary, before anything is stored; either refuses the package with the file,
row and column:

* a column whose header names a person's attribute (氏名, 生年月日, 住所, 電話番号, 担当者,
  利用者名, TEL, e-mail, case notes ...), spaces ignored (「氏 名」 is 氏名);
* a text cell holding a phone number, an e-mail address, a 12-digit number shaped like a My Number
  (個人番号), a postal code or a street address with block numbers (…市…1丁目2番3号, …町1-2-3).
  An organisation's public phone number or address is refused too: the analysis never needs one.

What it cannot do: recognise a person's *name* written in a free-text cell (「山田花子さん宅」) or a
story told in words (年齢や病名を含む事例の記述). No pattern tells a personal name from an
organisation's; the data format asks that cells name organisations only, and a reviewer must check.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["personal_data_column", "personal_data_value", "PERSONAL_DATA_HEADERS"]

# header spelling (NFKC, casefolded) → what it is, in Japanese / English
PERSONAL_DATA_HEADERS: dict[str, str] = {
    "氏名": "氏名 / person's name",
    "名前": "名前 / person's name",
    "本人氏名": "氏名 / person's name",
    "相談者": "相談者 / client",
    "相談者名": "相談者 / client's name",
    "対象者": "対象者 / client",
    "対象者名": "対象者 / client's name",
    "ふりがな": "ふりがな / name reading",
    "フリガナ": "ふりがな / name reading",
    "生年月日": "生年月日 / date of birth",
    "年齢": "年齢 / age",
    "性別": "性別 / sex",
    "個人住所": "住所 / a person's address",
    "自宅住所": "住所 / a person's address",
    "本人住所": "住所 / a person's address",
    "個人電話番号": "電話番号 / a person's phone number",
    "携帯電話": "電話番号 / a person's phone number",
    "自宅電話": "電話番号 / a person's phone number",
    "メールアドレス": "メールアドレス / e-mail address",
    "マイナンバー": "マイナンバー / personal number",
    "個人番号": "マイナンバー / personal number",
    "ケース記録": "ケース記録 / case notes",
    "相談記録": "相談記録 / case notes",
    "支援記録": "支援記録 / case notes",
    "事例詳細": "事例詳細 / case details",
    "病歴": "病歴 / medical history",
    "障害等級": "障害等級 / disability grade",
    "住所": "住所 / address",
    "所在地住所": "住所 / address",
    "電話番号": "電話番号 / phone number",
    "電話": "電話番号 / phone number",
    "tel": "電話番号 / phone number",
    "fax": "FAX番号 / fax number",
    "e-mail": "メールアドレス / e-mail address",
    "mail": "メールアドレス / e-mail address",
    "利用者名": "利用者名 / client's name",
    "利用者": "利用者 / client",
    "担当者": "担当者 / staff member",
    "担当者名": "担当者 / staff member's name",
    "name_of_person": "person's name",
    "person_name": "person's name",
    "full_name": "person's name",
    "birth_date": "date of birth",
    "date_of_birth": "date of birth",
    "dob": "date of birth",
    "age": "age",
    "gender": "sex",
    "sex": "sex",
    "home_address": "a person's address",
    "phone_number": "a person's phone number",
    "mobile": "a person's phone number",
    "email": "e-mail address",
    "case_notes": "case notes",
}


# Parts that mark a person's data wherever they appear in a header (担当者氏名, 利用者の生年月日 ...).
_PERSONAL_PARTS: dict[str, str] = {
    "氏名": "氏名 / person's name",
    "生年月日": "生年月日 / date of birth",
    "ふりがな": "ふりがな / name reading",
    "フリガナ": "ふりがな / name reading",
    "マイナンバー": "マイナンバー / personal number",
    "個人": "個人の情報 / a person's data",
    "ケース記録": "ケース記録 / case notes",
    "相談記録": "相談記録 / case notes",
    "支援記録": "支援記録 / case notes",
    "病歴": "病歴 / medical history",
    "電話番号": "電話番号 / phone number",
    "住所": "住所 / address",
    "担当者": "担当者 / staff member",
    "利用者名": "利用者名 / client's name",
    "メール": "メールアドレス / e-mail address",
}

# Value patterns (matched on the NFKC form, so full-width digits count): what each is, ja / en.
_VALUE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "メールアドレス / e-mail address"),
    (re.compile(r"(?<!\d)(0\d{1,4}-\d{1,4}-\d{3,4}|0\d{1,4}\(\d{1,4}\)\d{3,4}|0\d{9,10})(?!\d)"),
     "電話番号 / phone number"),
    (re.compile(r"(?<!\d)\d{4}[- ]?\d{4}[- ]?\d{4}(?!\d)"), "マイナンバーらしい12桁の数字 / a My Number-like 12-digit number"),
    (re.compile(r"〒\s?\d{3}-?\d{4}|(?<!\d)\d{3}-\d{4}(?!\d)"), "郵便番号 / postal code"),
    (re.compile(r"[都道府県市区町村][^\s,、。]{0,12}?(\d+丁目\d*|\d+番地|\d+番\d+号?|\d+-\d+-\d+)"),
     "住所 / street address"),
)


def personal_data_value(text: str) -> str | None:
    """What personal data the cell ``text`` holds (phone, e-mail, My Number-like, postal code, address), or None.

    Examples
    --------
    >>> personal_data_value("TEL 06-6489-6350")
    '電話番号 / phone number'
    >>> personal_data_value("兵庫県尼崎市東七松町1丁目23番1号")
    '住所 / street address'
    >>> personal_data_value("社会福祉法第106条の4第2項第3号") is None
    True
    """
    norm = unicodedata.normalize("NFKC", text).replace("ー", "-").replace("‐", "-").replace("−", "-")
    return next((what for pattern, what in _VALUE_PATTERNS if pattern.search(norm)), None)


def personal_data_column(header: str) -> str | None:
    """What personal attribute ``header`` names, or ``None`` if it names none.

    Examples
    --------
    >>> personal_data_column("生年月日")
    '生年月日 / date of birth'
    >>> personal_data_column("担当者氏名")
    "氏名 / person's name"
    >>> personal_data_column("name") is None
    True
    """
    key = unicodedata.normalize("NFKC", header).strip().casefold()
    if any(ch.isspace() for ch in key) and not key.isascii():
        key = "".join(key.split())  # 「氏 名」 is 氏名
    key = key.replace(" ", "_")
    if key in PERSONAL_DATA_HEADERS:
        return PERSONAL_DATA_HEADERS[key]
    return next((what for part, what in _PERSONAL_PARTS.items() if part in key), None)
