"""Smoke test of the synthetic generator at size 1 (the core city) and one small town."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from tsunagari.loaders.validate import read_package

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def generate():
    spec = importlib.util.spec_from_file_location("tsunagari_bench_generate", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_city_is_valid_and_shaped_like_the_samples(generate):
    package = generate.generate_package(0, seed=0)
    counts = package.counts_by_label()
    actors = counts["Agency"] + counts["Council"] + counts["ResidentGroup"] + counts["Program"]
    assert package.code == "90001" and [w.code for w in package.warnings] == ["missing_fiscal_year"]  # no 年度
    assert 900 <= actors <= 1100  # the one-city target is about ≈1,000 actors
    layers = Counter(n.properties["layer"] for n in package.nodes if n.label == "District")
    assert layers["小学校区"] > 0 and sum(layers.values()) > layers["小学校区"]  # 第2層 and 第3層
    memberships = Counter(t.from_uid for t in package.ties if t.kind == "MEMBER_OF" and t.to_uid.split(":")[1].startswith("c_"))
    assert max(memberships.values()) >= 2  # council co-membership exists
    assert {"MEMBER_OF", "OPERATES", "COMMISSIONED_BY", "REFERS_TO", "COLLABORATES_WITH", "ADDRESSES",
            "PART_OF", "SERVES", "LOCATED_IN"} <= set(package.counts_by_tie_kind())
    hub = next(n for n in package.nodes if n.uid == "90001:sec0")
    assert hub.properties["name"] == "重層的支援推進担当課"


def test_seeded_and_independent_of_count(generate):
    first = generate.generate_package(3, seed=7).content_hash
    assert generate.generate_package(3, seed=7).content_hash == first
    assert generate.generate_package(3, seed=8).content_hash != first
    assert list(generate.generate_packages(4, seed=7))[3].content_hash == first


def test_csv_folder_round_trips_through_the_loader(generate, tmp_path):
    folder = generate.write_package(5, tmp_path, seed=1, actors=60)
    assert read_package(folder).content_hash == generate.generate_package(5, seed=1, actors=60).content_hash


def test_bad_arguments_name_the_value(generate):
    with pytest.raises(ValueError, match="index=-1"):
        generate.shape(-1)
    with pytest.raises(ValueError, match="actors=5"):
        generate.shape(1, actors=5)
