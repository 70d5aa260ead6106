"""Why a figure is missing: stable reason codes in the analysis frames, Japanese and English text for people.

The analysis frames (coverage, residents' base, inequality) carry a short code in their
``na_reason`` columns, so exports stay language-neutral and machine-readable. Dashboards, printed
reports and the CLI turn the code into a sentence with :func:`na_reason_text`. A code is empty
when the figure is defined.

Codes that depend on the denominator come in one form per denominator (``population``,
``elderly``, ``children``), e.g. ``no_population_figure`` and ``population_is_zero``.
"""

from __future__ import annotations

__all__ = ["NA_REASONS", "DENOMINATORS", "na_reason_text", "missing_denominator", "zero_denominator",
           "no_denominator_anywhere"]

DENOMINATORS: dict[str, tuple[str, str]] = {
    "population": ("人口", "population"),
    "elderly": ("高齢者人口（65歳以上）", "elderly population (65+)"),
    "children": ("子どもの人口（18歳未満）", "child population (under 18)"),
}
"""Denominators of per-capita rates: key → (Japanese, English)."""

_FIXED: dict[str, tuple[str, str]] = {
    "no_district_with_value": ("値のある地区がない", "no district with a value"),
    "every_value_is_zero": ("すべての値が0", "every value is 0"),
    "single_district": ("地区が1つだけ（n = 1）", "only one district (n = 1)"),
    "smallest_value_is_zero": ("最小値が0", "the smallest value is 0"),
}


def missing_denominator(per: str) -> str:
    """Code for a district without a ``per`` figure, e.g. ``no_population_figure``."""
    return f"no_{per}_figure"


def zero_denominator(per: str) -> str:
    """Code for a district whose ``per`` figure is 0, e.g. ``population_is_zero``."""
    return f"{per}_is_zero"


def no_denominator_anywhere(per: str) -> str:
    """Code for a comparison in which no district has a ``per`` figure."""
    return f"no_district_has_{per}_figure"


def _catalogue() -> dict[str, tuple[str, str]]:
    reasons = dict(_FIXED)
    for per, (ja, en) in DENOMINATORS.items():
        reasons[missing_denominator(per)] = (f"この地区の{ja}の数値がない", f"no figure for this district's {en}")
        reasons[zero_denominator(per)] = (f"{ja}が0", f"this district's {en} is 0")
        reasons[no_denominator_anywhere(per)] = (f"{ja}の数値がある地区がない", f"no district has a figure for its {en}")
    return reasons


NA_REASONS: dict[str, tuple[str, str]] = _catalogue()
"""Every reason code → (Japanese, English)."""


def na_reason_text(code: str, lang: str = "ja") -> str:
    """The sentence for a reason ``code`` in ``lang``; ``""`` for no reason.

    ``lang`` is ``"ja"``, ``"en"`` or ``"both"`` (``"日本語 / English"``, as the CLI's messages).

    Raises
    ------
    KeyError
        If ``code`` is not in :data:`NA_REASONS`.

    Examples
    --------
    >>> na_reason_text("no_population_figure")
    'この地区の人口の数値がない'
    >>> na_reason_text("no_population_figure", "en")
    "no figure for this district's population"
    >>> na_reason_text("")
    ''
    """
    if not code:
        return ""
    try:
        ja, en = NA_REASONS[code]
    except KeyError:
        raise KeyError(f"Unknown NA reason code {code!r}; known codes: {', '.join(sorted(NA_REASONS))}.") from None
    if lang == "both":
        return f"{ja} / {en}"
    return en if lang == "en" else ja
