"""Results kept per content hash beside the store: read back, replaced when the package changes."""

from __future__ import annotations

from pathlib import Path

from tsunagari.dashboards.result_cache import cache_folder, cached
from tsunagari.settings import Settings


def _settings(tmp_path: Path) -> Settings:
    return Settings(store_url=f"embedded://{tmp_path}/store")


def test_folder_beside_the_embedded_store_and_per_neo4j_server(tmp_path):
    assert cache_folder(_settings(tmp_path)) == tmp_path / "store.cache"
    first = cache_folder(Settings(store_url="bolt://a:7687", cache_dir=str(tmp_path)))
    other = cache_folder(Settings(store_url="bolt://b:7687", cache_dir=str(tmp_path)))
    assert first is not None and first.parent == tmp_path and first != other
    assert cache_folder(Settings(store_url="memory://")) is None


def test_computed_once_then_read_back(tmp_path):
    settings = _settings(tmp_path)
    calls = []

    def compute():
        calls.append(1)
        return {"x": (1.0, 2.0)}

    assert cached(settings, "28202", "h1", "layout", 0, compute) == {"x": (1.0, 2.0)}
    assert cached(settings, "28202", "h1", "layout", 0, compute) == {"x": (1.0, 2.0)}
    assert len(calls) == 1
    cached(settings, "28202", "h1", "layout", 1, compute)  # another parameter: another entry
    assert len(calls) == 2


def test_new_content_hash_recomputes_and_drops_the_old_files(tmp_path):
    settings = _settings(tmp_path)
    cached(settings, "28202", "h1", "metrics", "o", lambda: "old")
    cached(settings, "28203", "h1", "metrics", "o", lambda: "other town")
    assert cached(settings, "28202", "h2", "metrics", "o", lambda: "new") == "new"
    names = sorted(p.name for p in (tmp_path / "store.cache").iterdir())
    assert [n.split("--")[:2] for n in names] == [["28202", "h2"], ["28203", "h1"]]


def test_unreadable_file_is_recomputed(tmp_path):
    settings = _settings(tmp_path)
    cached(settings, "1", "h", "layout", 0, lambda: 1)
    (path,) = (tmp_path / "store.cache").iterdir()
    path.write_bytes(b"torn")
    assert cached(settings, "1", "h", "layout", 0, lambda: 2) == 2
    assert cached(settings, "1", "h", "layout", 0, lambda: 3) == 2


def test_memory_store_keeps_nothing(tmp_path):
    calls = []
    settings = Settings(store_url="memory://")
    for _ in range(2):
        cached(settings, "1", "h", "layout", 0, lambda: calls.append(1))
    assert len(calls) == 2
