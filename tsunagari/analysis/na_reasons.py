"""Why a figure is missing: stable reason codes in the analysis frames.

The analysis frames (coverage, residents' base, inequality) carry a short code in their
``na_reason`` columns, so exports stay language-neutral and machine-readable. The front ends
turn a code into a sentence (:func:`tsunagari.dashboards.i18n.na_reason_text`, catalogue keys
``na.<code>``). A code is empty when the figure is defined.

Codes that depend on the denominator come in one form per denominator (``population``,
``elderly``, ``children``), e.g. ``no_population_figure`` and ``population_is_zero``.
"""

from __future__ import annotations

__all__ = ["NA_REASON_CODES", "PER_CAPITA_BASES", "missing_denominator", "zero_denominator",
           "no_denominator_anywhere"]

PER_CAPITA_BASES: tuple[str, ...] = ("population", "elderly", "children")
"""Denominators of per-capita rates."""

_FIXED = ("no_district_with_value", "every_value_is_zero", "single_district", "smallest_value_is_zero")


def missing_denominator(per: str) -> str:
    """Code for a district without a ``per`` figure, e.g. ``no_population_figure``."""
    return f"no_{per}_figure"


def zero_denominator(per: str) -> str:
    """Code for a district whose ``per`` figure is 0, e.g. ``population_is_zero``."""
    return f"{per}_is_zero"


def no_denominator_anywhere(per: str) -> str:
    """Code for a comparison in which no district has a ``per`` figure."""
    return f"no_district_has_{per}_figure"


NA_REASON_CODES: tuple[str, ...] = _FIXED + tuple(
    code for per in PER_CAPITA_BASES
    for code in (missing_denominator(per), zero_denominator(per), no_denominator_anywhere(per)))
"""Every reason code the analysis emits."""
