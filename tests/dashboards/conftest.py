"""A store with the mini package and every committed sample, shared by the dashboard tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsunagari.graph.open import open_store
from tsunagari.loaders.validate import read_package
from tsunagari.samples import SAMPLES, sample_path
from tsunagari.settings import Settings

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


def available_packages() -> list[Path]:
    """The mini fixture and the samples present in this checkout."""
    paths = [MINI]
    for slug in SAMPLES:
        try:
            paths.append(sample_path(slug))
        except FileNotFoundError:
            continue
    return paths


def build_store(folder: Path) -> tuple[str, list[str]]:
    """Load every available package into a new embedded store at ``folder``; returns (url, codes)."""
    url = f"embedded://{folder}"
    with open_store(Settings(store_url=url)) as store:
        codes = [store.load_package(read_package(path)).code for path in available_packages()]
    return url, codes


@pytest.fixture(scope="session")
def dashboard_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    """(URL, municipality codes) of the session's dashboard store, exported as ``TSUNAGARI_STORE``."""
    url, codes = build_store(tmp_path_factory.mktemp("dashboard") / "store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TSUNAGARI_STORE", url)
        patch.delenv("TSUNAGARI_LANG", raising=False)
        yield url, codes
