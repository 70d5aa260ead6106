"""On-screen tables in the reader's language: headers from the ``col.*`` strings, coded cells as text.

The analysis frames keep English identifiers and codes, so downloads and exports stay stable for
researchers. The pages pass a copy through these functions just before showing it; the labels
themselves live in :data:`tsunagari.dashboards.i18n.STRINGS`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from tsunagari.dashboards.i18n import STRINGS, na_reason_text, t

__all__ = ["COLUMN_PREFIX", "column_labels", "label_columns", "reason_texts", "status_text", "yes_no",
           "index_label"]

COLUMN_PREFIX = "col."
"""Prefix of the :data:`STRINGS` keys that label table columns (``col.district`` → 地区)."""


def column_labels(lang: str = "ja") -> set[str]:
    """Every column header the dashboard may show in ``lang`` (the ``col.*`` strings).

    Examples
    --------
    >>> "提供主体数" in column_labels("ja")
    True
    """
    return {t(key, lang) for key in STRINGS if key.startswith(COLUMN_PREFIX)}


def label_columns(frame: pd.DataFrame, lang: str = "ja", *, keys: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with every column, and a named index, renamed to its label in ``lang``.

    A column ``c`` is labelled by ``col.c``, or by the :data:`STRINGS` key ``keys[c]`` where one
    column name means different things in different tables (``level`` of a council or of coverage).
    The frame itself is left untouched: downloads keep the raw identifiers.

    Raises
    ------
    KeyError
        If a column has no label, so a new analysis column cannot reach the screen in English.
    ValueError
        If two columns would get the same header.

    Examples
    --------
    >>> label_columns(pd.DataFrame({"district": ["北"], "providers": [2]}), "en").columns.tolist()
    ['District', 'Providers']
    >>> label_columns(pd.DataFrame({"status": ["silo"]}), keys={"status": "col.council_status"}).columns.tolist()
    ['構成の状況']
    >>> label_columns(pd.DataFrame({"no_such_column": [1]}))
    Traceback (most recent call last):
    ...
    KeyError: 'No label for column(s) no_such_column: add `col.<name>` to tsunagari.dashboards.i18n.STRINGS.'
    """
    keys = dict(keys or {})
    names = [str(c) for c in frame.columns]
    if frame.index.name is not None:
        names.append(str(frame.index.name))
    wanted = {name: keys.get(name, COLUMN_PREFIX + name) for name in names}
    missing = [name for name, key in wanted.items() if key not in STRINGS]
    if missing:
        raise KeyError(f"No label for column(s) {', '.join(missing)}: add `{COLUMN_PREFIX}<name>` to "
                       "tsunagari.dashboards.i18n.STRINGS.")
    labels = {name: t(key, lang) for name, key in wanted.items()}
    headers = [labels[str(c)] for c in frame.columns]
    if len(set(headers)) != len(headers):
        raise ValueError(f"Two columns share a header in {lang}: {headers}.")
    shown = frame.copy()
    shown.columns = headers
    if frame.index.name is not None:
        shown.index.name = labels[str(frame.index.name)]
    return shown


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def reason_texts(codes: Iterable[object], lang: str = "ja") -> list[str]:
    """The sentence of each NA reason code (:func:`~tsunagari.dashboards.i18n.na_reason_text`); none → ``""``.

    Examples
    --------
    >>> reason_texts(["no_population_figure", "", None])
    ['この地区の人口の数値がない', '', '']
    """
    return ["" if _missing(code) else na_reason_text(str(code), lang) for code in codes]


def status_text(code: object, lang: str = "ja") -> str:
    """A status code of the coverage tables (``unaddressed``, ``silo``, ``absent_from_data`` ...) as text.

    Raises
    ------
    KeyError
        If ``status.<code>`` is not in :data:`STRINGS`.

    Examples
    --------
    >>> status_text("unaddressed")
    '対応の記録なし'
    >>> status_text("not_on_any_council", "en")
    'In the data, on no council'
    """
    return "—" if _missing(code) else t(f"status.{code}", lang)


def yes_no(value: object, lang: str = "ja") -> str:
    """A flag as はい / いいえ (Yes / No); missing → ``—``.

    Examples
    --------
    >>> [yes_no(True), yes_no(False, "en"), yes_no(pd.NA)]
    ['はい', 'No', '—']
    """
    if _missing(value):
        return "—"
    return t("value.yes" if bool(value) else "value.no", lang)
