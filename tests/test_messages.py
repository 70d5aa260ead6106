"""Every message key used in the code exists in both languages, and errors render in each."""

from __future__ import annotations

import pickle
import re
import string
from pathlib import Path

from tsunagari.analysis.errors import CoverageInputError
from tsunagari.messages import catalogue

ROOT = Path(__file__).resolve().parents[1] / "tsunagari"
_RAISE = re.compile(r'Error\(\s*"([a-z_]+\.[a-z_]+)"')


def test_every_key_raised_in_the_code_is_in_the_catalogue():
    used = {key for path in ROOT.rglob("*.py") for key in _RAISE.findall(path.read_text("utf-8"))}
    assert used, "no message keys found: the pattern no longer matches the code"
    assert used <= set(catalogue()), sorted(used - set(catalogue()))


def test_both_languages_take_the_same_fields():
    for key, texts in catalogue().items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in ("ja", "en")]
        assert fields[0] == fields[1], key
        assert texts["ja"] != texts["en"], key


def test_an_error_speaks_japanese_english_or_both_and_survives_pickling():
    err = CoverageInputError("analysis.unknown_district", district="Z", municipality="テスト市", known="A (A地区)")
    assert err.message("ja") == "テスト市に地区「Z」はありません。地区: A (A地区)"
    assert str(err) == err.message("en") == "No district `Z` in テスト市. Known districts: A (A地区)."
    assert err.message("both") == err.message("ja") + "\n" + err.message("en")
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is CoverageInputError and copy.message("ja") == err.message("ja")
