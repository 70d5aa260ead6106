"""The reader-facing Japanese text follows docs/glossary.md: the words it replaced do not come back."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tsunagari.graph.vocabulary import VOCABULARY_NAMES, vocabulary

ROOT = Path(__file__).resolve().parents[1]

# Replaced word → what the glossary uses instead (the message names it, so a failure says what to write).
REPLACED = {
    r"カバレッジ": "カバー状況",
    r"サイロ": "縦割りの可能性",
    r"コミュニティ(?!ソーシャルワーカー|ワーカー|検出|・?カフェ)": "まとまり",
    r"成分": "つながりの塊",
    r"未対応": "対応の記録なし",
    r"全市域|市全域": "全域",
    r"いなくなる": "機能しなくなった場合",
    r"1千人": "千人",
    r"(?<!自治会・)(?<!・)町会加入率": "自治会・町内会加入率",
    r"分野": "所管領域 (sector) / 対象者の属性 (domain)",
    r"(?<!\{)\bseed\b": "乱数シード",
    r"代表者(?!会議)": "代表者会議",
}


def _catalogue_ja() -> list[tuple[str, str]]:
    data = tomllib.loads((ROOT / "tsunagari/dashboards/strings.toml").read_text("utf-8"))
    return [(key, entry["ja"]) for key, entry in data.items() if isinstance(entry, dict) and "ja" in entry]


def test_the_glossary_exists_and_lists_each_replacement():
    glossary = (ROOT / "docs/glossary.md").read_text("utf-8")
    for replacement in ("カバー状況", "縦割りの可能性", "まとまり", "つながりの塊", "対応の記録なし", "全域",
                        "機能しなくなった", "千人", "自治会・町内会加入率", "所管領域", "対象者の属性", "乱数シード",
                        "代表者会議", "社会福祉法第106条の4第2項各号"):
        assert replacement in glossary, replacement


@pytest.mark.parametrize("pattern, instead", sorted(REPLACED.items()))
def test_ui_catalogue_uses_the_glossary(pattern, instead):
    offending = [f"{key}: {text[:60]}" for key, text in _catalogue_ja() if re.search(pattern, text)]
    assert not offending, f"use {instead!r} instead of {pattern!r} in: {offending}"


@pytest.mark.parametrize("pattern, instead", sorted(REPLACED.items()))
def test_vocabulary_labels_use_the_glossary(pattern, instead):
    labels = [f"{name}: {label}" for name in VOCABULARY_NAMES for label in vocabulary(name).labels("ja")]
    offending = [label for label in labels if re.search(pattern, label)]
    assert not offending, f"use {instead!r} instead of {pattern!r} in: {offending}"


def test_the_planners_guide_exists_in_japanese_and_its_images_are_there():
    import re as _re

    guide = (ROOT / "docs/guide.md").read_text("utf-8")
    for section in ("インストール", "様式", "読み込む", "カバー状況", "橋渡し", "地域格差", "会議資料"):
        assert section in guide, section
    images = _re.findall(r"!\[[^\]]*\]\((images/[^)]+)\)", guide)
    assert len(images) == 6
    missing = [image for image in images if not (ROOT / "docs" / image).is_file()]
    assert not missing, f"run scripts/guide-screenshots to take {missing}"
