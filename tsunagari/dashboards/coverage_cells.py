"""The coverage cube's cells as a reader sees them: ◎ ○ △ × symbols, their meaning, and gap counts.

Shared by the coverage page and the meeting paper so both show the same symbol for the same cell.
"""

from __future__ import annotations

import pandas as pd

from tsunagari.dashboards.i18n import t

__all__ = ["level_symbols", "level_texts", "gap_counts"]

_SYMBOLS = {"local": "◎", "city": "○", "thin": "△", "none": "×"}


def level_symbols(cube: pd.DataFrame) -> pd.Series:
    """One symbol per cube row: ◎ covered locally, ○ covered only city-wide, △ thin, × none.

    Examples
    --------
    >>> cube = pd.DataFrame({"level": ["covered", "covered", "thin", "none"], "city_only": [False, True, False, False]})
    >>> level_symbols(cube).tolist()
    ['◎', '○', '△', '×']
    """
    def symbol(level: str, city_only: bool) -> str:
        if level == "covered":
            return _SYMBOLS["city" if city_only else "local"]
        return _SYMBOLS[level]

    return pd.Series([symbol(lv, bool(c)) for lv, c in zip(cube["level"], cube["city_only"])], index=cube.index,
                     dtype=object)


def level_texts(cube: pd.DataFrame, lang: str = "ja") -> list[str]:
    """One symbol and its meaning per cube row, for tables (``× 空白（提供なし）``).

    Examples
    --------
    >>> cube = pd.DataFrame({"level": ["covered", "none"], "city_only": [True, False]})
    >>> level_texts(cube, "en")
    ['○ Two or more, city-wide only', '× Gap (no provider)']
    """
    def text(level: str, city_only: bool) -> str:
        return t(f"coverage.level.{'city_only' if level == 'covered' and city_only else level}", lang)

    return [f"{symbol} {text(lv, bool(c))}"
            for symbol, lv, c in zip(level_symbols(cube), cube["level"], cube["city_only"])]


def gap_counts(cube: pd.DataFrame, domain: str) -> dict[str, int]:
    """Cells of ``domain`` at level none, thin and covered-but-city-only (counted from the cube's own levels).

    Examples
    --------
    >>> cube = pd.DataFrame({"domain": ["高齢"] * 3, "level": ["none", "thin", "covered"], "city_only": [False, False, True]})
    >>> gap_counts(cube, "高齢")
    {'none': 1, 'thin': 1, 'city_only': 1}
    """
    cells = cube[cube["domain"] == domain]
    return {"none": int((cells["level"] == "none").sum()), "thin": int((cells["level"] == "thin").sum()),
            "city_only": int(((cells["level"] == "covered") & cells["city_only"].astype(bool)).sum())}
