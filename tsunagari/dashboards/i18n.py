"""Reader text of every front end in Japanese (default) and English, and number formatting.

Every visible string comes from one catalogue held as data, ``strings.toml`` beside this module
(UI strings, ``col.*`` table headers, ``na.*`` reasons a figure is missing, ``index.*`` inequality
index names, ``denominator.*`` per-capita bases); error messages come from the base layer's
``messages.toml`` through :meth:`tsunagari.errors.TsunagariError.message`. Vocabulary values
(sectors, pillars ...) are translated through :mod:`tsunagari.graph.vocabulary`. ``"both"``
gives the Japanese text, then the English, as the CLI prints with ``--lang both``.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal, Mapping

import pandas as pd

from tsunagari.graph.vocabulary import vocabulary

__all__ = ["Lang", "LANGS", "STRINGS", "t", "term", "kind_label", "tie_label", "format_number",
           "format_percent", "na_reason_text", "index_label", "denominator_label"]

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@cache
def _strings() -> Mapping[str, tuple[str, str]]:
    raw = tomllib.loads(resources.files("tsunagari.dashboards").joinpath("strings.toml").read_text("utf-8"))
    return MappingProxyType({key: (entry["ja"], entry["en"]) for key, entry in raw.items()})


STRINGS: Mapping[str, tuple[str, str]] = _strings()
"""key → (Japanese, English), read from ``strings.toml``."""


def t(key: str, lang: str = "ja", **values: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    ``lang`` ``"both"`` joins the Japanese and English texts with `` / `` (one line).

    Raises
    ------
    KeyError
        If ``key`` is not in the catalogue.

    Examples
    --------
    >>> t("page.network", "en")
    'Network map'
    >>> t("network.shown", "ja", nodes=3, edges=2)
    '表示: ノード 3 件・関係 2 件'
    """
    try:
        ja, en = STRINGS[key]
    except KeyError as err:
        raise KeyError(f"String `{key}` is not defined in tsunagari/dashboards/strings.toml.") from err
    if lang == "both":
        return t(key, "ja", **values) + " / " + t(key, "en", **values)
    text = en if lang == "en" else ja
    return text.format(**values) if values else text


def na_reason_text(code: str, lang: str = "ja") -> str:
    """The sentence for an NA reason ``code`` (:mod:`tsunagari.analysis.na_reasons`); ``""`` for no reason.

    Raises
    ------
    KeyError
        If ``code`` is not a known reason.

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
    if f"na.{code}" not in STRINGS:
        known = sorted(k[3:] for k in STRINGS if k.startswith("na."))
        raise KeyError(f"Unknown NA reason code {code!r}; known codes: {', '.join(known)}.")
    return t(f"na.{code}", lang)


def index_label(index: str, lang: str = "ja") -> str:
    """The name of an inequality index (``gini`` → ``ジニ係数``)."""
    return t(f"index.{index}", lang)


def denominator_label(per: str, lang: str = "ja") -> str:
    """The name of a per-capita base (``elderly`` → ``高齢者人口（65歳以上）``)."""
    return t(f"denominator.{per}", lang)


def term(vocab: str, label: object, lang: str = "ja") -> str:
    """A stored vocabulary label (Japanese) shown in ``lang``; empty values become ``—``.

    Examples
    --------
    >>> term("sectors", "福祉", "en")
    'Welfare'
    >>> term("sectors", None)
    '—'
    """
    if label is None or label is pd.NA or (isinstance(label, float) and math.isnan(label)) or label == "":
        return "—"
    return vocabulary(vocab).translate(str(label), lang) if lang == "en" else str(label)


def kind_label(kind: str, lang: str = "ja") -> str:
    """The label of a node kind code (``Agency`` → ``機関・部署``).

    Examples
    --------
    >>> kind_label("Council")
    '会議体'
    """
    return vocabulary("node_kinds").by_code(kind).label(lang)


def tie_label(kind: str, lang: str = "ja") -> str:
    """The label of a tie kind code (``MEMBER_OF`` → ``構成員``).

    Examples
    --------
    >>> tie_label("COLLABORATES_WITH", "en")
    'collaborates with'
    """
    return vocabulary("tie_kinds").by_code(kind).label(lang)


def format_number(value: object, lang: str = "ja", *, digits: int = 0) -> str:
    """A number with thousands separators (``12,345``; ``digits`` decimals); missing → ``—``.

    Japanese official tables use the same comma grouping, so both languages share it.

    Examples
    --------
    >>> format_number(459593)
    '459,593'
    >>> format_number(0.3456, digits=3)
    '0.346'
    >>> format_number(None)
    '—'
    """
    if value is None or value is pd.NA:
        return "—"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "—"
    return f"{number:,.{digits}f}"


def format_percent(value: object, lang: str = "ja", *, digits: int = 1) -> str:
    """A percentage already in 0–100 with ``digits`` decimals (``25.6%``); missing → ``—``.

    Examples
    --------
    >>> format_percent(25.6)
    '25.6%'
    """
    text = format_number(value, lang, digits=digits)
    return text if text == "—" else text + "%"


# Coded cell values of the coverage and inequality tables, as people read them.

# The printed meeting report (tsunagari.dashboards.council_report, `tsunagari report`).
