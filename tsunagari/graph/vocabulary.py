"""Controlled vocabularies (pillars, domains, sectors, layers, roles ...) loaded from ``vocabulary.toml``.

The TOML file is the single place where allowed values live. Each term has an English ``code``
(used in code), a Japanese label ``ja`` (used in data files and the UI) and an English label
``en``. Data files may spell a term by its Japanese label, its English code or an alias; all
normalize to the Japanese label, which is what the graph stores.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

__all__ = ["Term", "Vocabulary", "vocabulary", "VOCABULARY_NAMES", "Correction", "correction"]

VOCABULARY_NAMES = (
    "node_kinds",
    "tie_kinds",
    "pillars",
    "articles",
    "domains",
    "needs",
    "sectors",
    "agency_types",
    "resident_group_types",
    "layers",
    "council_levels",
    "roles",
    "operations",
    "tiers",
    "council_categories",
    "agreement_types",
)


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: English code, Japanese label, English label and extra attributes."""

    code: str
    ja: str
    en: str
    aliases: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)

    def label(self, lang: str = "ja") -> str:
        """The label in ``lang`` (``"ja"`` or ``"en"``)."""
        return self.en if lang == "en" else self.ja


def _key(text: str) -> str:
    # NFKC folds full-width letters/digits and half-width kana; casefold makes codes case-blind.
    return unicodedata.normalize("NFKC", text).strip().casefold()


@dataclass(frozen=True)
class Vocabulary:
    """An ordered list of terms with lookup by Japanese label, English code or alias."""

    name: str
    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        index: dict[str, Term] = {}
        for term in self.terms:
            for spelling in (term.ja, term.code, term.en, *term.aliases):
                index.setdefault(_key(spelling), term)
        object.__setattr__(self, "_index", MappingProxyType(index))

    def lookup(self, spelling: str) -> Term | None:
        """The term spelled ``spelling`` (Japanese label, code, English label or alias), else None."""
        return self._index.get(_key(spelling))  # type: ignore[attr-defined]

    def by_code(self, code: str) -> Term:
        """The term whose English code is ``code``; raises KeyError for an unknown code."""
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(f"`{code}` is not a code of vocabulary `{self.name}`.")

    def labels(self, lang: str = "ja") -> list[str]:
        """All labels in vocabulary order."""
        return [t.label(lang) for t in self.terms]

    def translate(self, ja_label: str, lang: str = "en") -> str:
        """The label of the term stored as ``ja_label`` in ``lang``; unknown labels pass through."""
        term = self.lookup(ja_label) if ja_label else None
        return term.label(lang) if term else ja_label

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


@cache
def _load() -> dict[str, Vocabulary]:
    raw = tomllib.loads(
        resources.files("tsunagari.graph").joinpath("vocabulary.toml").read_text("utf-8")
    )
    vocabularies = {}
    for name in VOCABULARY_NAMES:
        terms = []
        for entry in raw[name]:
            entry = dict(entry)
            code, ja, en = entry.pop("code"), entry.pop("ja"), entry.pop("en")
            aliases = tuple(entry.pop("aliases", ()))
            terms.append(Term(code, ja, en, aliases, MappingProxyType(entry)))
        vocabularies[name] = Vocabulary(name, tuple(terms))
    return vocabularies


def vocabulary(name: str) -> Vocabulary:
    """The vocabulary called ``name`` (one of ``VOCABULARY_NAMES``).

    Examples
    --------
    >>> vocabulary("pillars").lookup("参加支援").extra["article"]
    '第2号'
    >>> vocabulary("domains").lookup("障害").ja
    '障がい'
    """
    try:
        return _load()[name]
    except KeyError:
        raise KeyError(f"Unknown vocabulary `{name}`. Known: {', '.join(VOCABULARY_NAMES)}.") from None


@dataclass(frozen=True)
class Correction:
    """A wrong spelling in use and what to write instead (``[[corrections]]`` in ``vocabulary.toml``)."""

    vocabulary: str
    spelling: str
    use: str
    ja: str
    en: str


@cache
def _corrections() -> dict[tuple[str, str], Correction]:
    raw = tomllib.loads(
        resources.files("tsunagari.graph").joinpath("vocabulary.toml").read_text("utf-8")
    )
    return {(entry["vocabulary"], _key(entry["spelling"])): Correction(**entry) for entry in raw.get("corrections", [])}


def correction(name: str, spelling: str) -> Correction | None:
    """The correction for ``spelling`` in vocabulary ``name``, if it is a known wrong spelling.

    Examples
    --------
    >>> correction("articles", "第３号ホ").use
    '第3号'
    >>> correction("articles", "第3号") is None
    True
    """
    return _corrections().get((name, _key(spelling)))
