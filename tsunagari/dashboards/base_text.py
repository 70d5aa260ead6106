"""The information base of a gaps or inequality result in the reader's language (CLI, dashboard, paper)."""

from __future__ import annotations

import pandas as pd

from tsunagari.dashboards.i18n import t

__all__ = ["base_lines", "base_reasons"]


def base_reasons(reasons: object, lang: str = "ja") -> list[str]:
    """The sentence of each ``;``-joined reason code of an information base (``few_districts`` ...)."""
    if not isinstance(reasons, str) or not reasons:
        return []
    return [t(f"base.{code}", lang) for code in reasons.split(";")]


def base_lines(row: pd.Series, lang: str = "ja") -> list[str]:
    """The base in one line, then, when it is insufficient, the caution and each reason.

    Examples
    --------
    >>> row = pd.Series({"districts": 5, "districts_with_value": 5, "local_units": 2, "resource_units": 213,
    ...                  "city_wide_units": 211, "city_wide_share": 211 / 213, "insufficient": True,
    ...                  "reasons": "few_local_units"})
    >>> base_lines(row, "en")[1]
    'Caution: insufficient information base. This index says little about differences between districts.'
    """
    share = row["city_wide_share"]
    lines = [t("base.summary", lang, districts=int(row["districts"]), with_value=int(row["districts_with_value"]),
               local=int(row["local_units"]), total=int(row["resource_units"]), city_wide=int(row["city_wide_units"]),
               share="—" if pd.isna(share) else f"{share:.0%}")]
    if bool(row["insufficient"]):
        lines.append(t("base.insufficient", lang))
        lines += [f"- {text}" for text in base_reasons(row["reasons"], lang)]
    return lines
