"""Registry of the committed sample data packages (``data_samples/``); nothing is downloaded."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLES", "samples_dir", "sample_path"]

# slug → (code, Japanese name)
SAMPLES: dict[str, tuple[str, str]] = {
    "amagasaki": ("28202", "尼崎市"),
    "ashiya": ("28206", "芦屋市"),
    "hannan": ("27232", "阪南市"),
    "takashima": ("25212", "高島市"),
}


def samples_dir() -> Path:
    """The ``data_samples`` folder of the source checkout."""
    return Path(__file__).resolve().parent.parent / "data_samples"


def sample_path(slug: str) -> Path:
    """Folder of the sample package ``slug`` (``amagasaki``, ``ashiya``, ``hannan``, ``takashima``).

    Raises
    ------
    FileNotFoundError
        If ``slug`` is not a sample or its folder is missing from this checkout.
    """
    if slug not in SAMPLES:
        raise FileNotFoundError(f"`{slug}` is not a sample. Samples: {', '.join(SAMPLES)}.")
    path = samples_dir() / slug
    if not (path / "manifest.csv").is_file():
        raise FileNotFoundError(f"Sample `{slug}` is missing at {path}; use a source checkout of Tsunagari.")
    return path
