"""What each measure and index means, in one or two sentences: one catalogue for the dashboard and the paper.

The entries live in ``measures.toml`` beside this module. The dashboard lists a page's entries in
its 「指標の読み方」 expander and gives a figure's entry as the ``help`` of its card
(:func:`tsunagari.dashboards.widgets.measure_help`); the meeting paper lists a section's entries in
its 読み方 box (:mod:`tsunagari.dashboards.council_report`). Both take the same entries from
:func:`section_measures`, so a definition is written once and reads the same on screen and on paper.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

__all__ = ["Measure", "MEASURES", "SECTIONS", "section_measures", "measure_for", "measure_text", "measure_name"]

SECTIONS = ("network", "coverage", "bridging", "inequality", "change")
"""The pages (and paper sections) that explain measures."""


@dataclass(frozen=True)
class Measure:
    """One entry: its key, name and explanation in each language, what it explains and where it is listed."""

    key: str
    names: tuple[str, str]
    texts: tuple[str, str]
    codes: tuple[str, ...]
    sections: tuple[str, ...]

    def name(self, lang: str = "ja") -> str:
        """The measure's name in ``lang`` (``"en"``, else Japanese)."""
        return self.names[lang == "en"]

    def text(self, lang: str = "ja") -> str:
        """The explanation in ``lang`` (``"en"``, else Japanese)."""
        return self.texts[lang == "en"]


@cache
def _measures() -> Mapping[str, Measure]:
    raw = tomllib.loads(resources.files("tsunagari.dashboards").joinpath("measures.toml").read_text("utf-8"))
    measures = {}
    for key, entry in raw.items():
        unknown = set(entry.get("sections", ())) - set(SECTIONS)
        if unknown:
            raise ValueError(f"measures.toml [{key}]: unknown section(s) {sorted(unknown)}; known: {SECTIONS}.")
        measures[key] = Measure(key, (entry["ja_name"], entry["en_name"]), (entry["ja"], entry["en"]),
                                tuple(entry.get("codes", ())), tuple(entry.get("sections", ())))
    codes = [c for m in measures.values() for c in m.codes]
    doubled = sorted({c for c in codes if codes.count(c) > 1})
    if doubled:
        raise ValueError(f"measures.toml: code(s) {doubled} explained by more than one entry.")
    return MappingProxyType(measures)


MEASURES: Mapping[str, Measure] = _measures()
"""key → :class:`Measure`, in the order of ``measures.toml``."""


def section_measures(section: str) -> list[Measure]:
    """The entries a page (and the paper's section of that name) lists, in catalogue order.

    Examples
    --------
    >>> [m.key for m in section_measures("inequality")][:3]
    ['per_capita', 'gini', 'gini_corrected']
    """
    if section not in SECTIONS:
        raise ValueError(f"`section` must be one of {SECTIONS}. Got {section!r}.")
    return [m for m in MEASURES.values() if section in m.sections]


def measure_for(code: str) -> Measure | None:
    """The entry that explains an analysis column, whole-network measure or index name; ``None`` if none.

    Examples
    --------
    >>> measure_for("betweenness_rank").key, measure_for("no_such_column")
    ('betweenness', None)
    """
    for measure in MEASURES.values():
        if code in measure.codes:
            return measure
    return None


def measure_name(key: str, lang: str = "ja") -> str:
    """The name of the entry ``key`` in ``lang``.

    Examples
    --------
    >>> measure_name("ei_index"), measure_name("theil_t", "en")
    ('E-I指数', 'Theil index')
    """
    return MEASURES[key].name(lang)


def measure_text(key: str, lang: str = "ja") -> str:
    """The explanation of the entry ``key`` in ``lang`` (one or two sentences).

    Examples
    --------
    >>> measure_text("density", "en")
    'The share of pairs of actors that are tied, 0–1.'
    """
    return MEASURES[key].text(lang)
