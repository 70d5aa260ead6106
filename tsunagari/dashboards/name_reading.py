"""Readings (読み) of organisation names, so a planner can find 社会福祉協議会 by typing しゃかいふくし.

Names in the data are written in kanji; the in-map search matches any part of a name *or* of its
reading in hiragana. Readings come from SudachiPy's morphological analysis with its core dictionary
(Takaoka et al. 2018, "Sudachi: a Japanese Tokenizer for Business", LREC), which reads common words
right and place names by their usual reading; an unusual local reading (阪南市の下荘 = しものしょう) may
differ, so the name itself is always searched too. Nothing here is stored: a reading is a search
aid, computed when a map is drawn.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["name_reading"]

_MAX_CHARS = 500  # nobody types the reading of a longer name; Sudachi refuses input over 49,149 bytes


@lru_cache(maxsize=1)
def _tokenizer() -> Any | None:
    try:
        from sudachipy import Dictionary, SplitMode
    except ImportError:  # the dictionary is a dependency; without it the search matches names only
        return None
    # Mode C: the longest units (社会福祉協議会 as one word, read as a whole).
    return Dictionary(dict="core").tokenizer(mode=SplitMode.C, fields={"reading_form"})


def _has_kanji(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or ch in "々〆ヶ" for ch in text)


def _hiragana(katakana: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in katakana)


@lru_cache(maxsize=65536)
def name_reading(name: str) -> str:
    """The reading of ``name`` in hiragana (``""`` when it has no kanji or no dictionary is installed).

    Kana, Latin letters, digits and symbols are kept as they are written; only words written with
    kanji are replaced by their reading.

    Examples
    --------
    >>> name_reading("尼崎市社会福祉協議会")
    'あまがさきししゃかいふくしきょうぎかい'
    >>> name_reading("くらし連携支援室")
    'くらしれんけいしえんしつ'
    >>> name_reading("ひきこもりの親の会")
    'ひきこもりのおやのかい'
    >>> name_reading("NPO ほっと")
    ''
    >>> name_reading("漢" * 100_000)  # too long to be searched by its reading
    ''
    """
    if len(name) > _MAX_CHARS or not _has_kanji(name):
        return ""
    tokenizer = _tokenizer()
    if tokenizer is None:
        return ""
    try:
        morphemes = tokenizer.tokenize(name)
    except Exception:  # SudachiError on input it cannot analyse: the name itself is still searched
        return ""
    parts = []
    for morpheme in morphemes:
        surface = morpheme.surface()
        parts.append(_hiragana(morpheme.reading_form()) if _has_kanji(surface) else surface)
    return "".join(parts)
