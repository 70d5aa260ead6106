"""Guard against personal data: Tsunagari maps organisations, never people.

A column whose header names a person's attribute (氏名, 生年月日, 個人の住所・電話番号, case notes)
makes the whole package refused at the boundary, before anything is stored.
"""

from __future__ import annotations

import unicodedata

__all__ = ["personal_data_column", "PERSONAL_DATA_HEADERS"]

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
}


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
    key = unicodedata.normalize("NFKC", header).strip().casefold().replace(" ", "_")
    if key in PERSONAL_DATA_HEADERS:
        return PERSONAL_DATA_HEADERS[key]
    return next((what for part, what in _PERSONAL_PARTS.items() if part in key), None)
