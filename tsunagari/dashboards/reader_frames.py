"""The coverage tables as a reader sees them: coded cells turned into text in the reader's language.

:func:`tsunagari.analysis.gaps.coverage_gaps` returns frames that keep codes and stored
(Japanese) vocabulary labels — ``status`` codes, council levels, layers, sector lists, flags, NA
reason codes — so downloads and exports stay stable. The dashboard's coverage page and the
printable report (:mod:`tsunagari.dashboards.council_report`) both show those frames to readers;
the functions here are the one place that translates them.

Each function returns a copy of its frame with the coded columns replaced by text in ``lang``
(``"en"`` for English, anything else Japanese). Numbers stay numbers and columns keep the names of
the analysis frame, so :func:`~tsunagari.dashboards.table_labels.label_columns` labels them as
before; choosing columns and formatting numbers is left to each presenter.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from tsunagari.dashboards.i18n import t, term
from tsunagari.dashboards.table_labels import reason_texts, status_text, yes_no

__all__ = ["join_texts", "needs_for_reader", "councils_for_reader", "sectors_for_reader", "residents_for_reader"]


def join_texts(items: Iterable[str], lang: str = "ja") -> str:
    """``items`` as one cell: joined by ``", "`` in English, ``"、"`` in Japanese (nothing → ``""``).

    Examples
    --------
    >>> join_texts(["住まい", "司法"]), join_texts(["Housing", "Justice"], "en"), join_texts([])
    ('住まい、司法', 'Housing, Justice', '')
    """
    return t("text.separator", lang).join(items)


def _named_with_status(frame: pd.DataFrame, name: str, lang: str) -> pd.DataFrame:
    """``frame`` with ``name`` in ``lang`` (from ``<name>_en`` in English, which is dropped) and ``status`` as text."""
    english = f"{name}_en"
    return frame.drop(columns=[english]).assign(**{name: frame[english] if lang == "en" else frame[name]},
                                                status=[status_text(s, lang) for s in frame["status"]])


def needs_for_reader(needs: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """The ``needs`` table (:func:`~tsunagari.analysis.coverage.unaddressed_needs`) for readers.

    ``need`` holds the need's name in ``lang`` (taken from ``need_en`` in English; ``need_en`` is
    dropped) and ``status`` its text (:func:`~tsunagari.dashboards.table_labels.status_text`).

    Examples
    --------
    >>> needs = pd.DataFrame({"need_id": ["n1"], "need": ["ひきこもり"], "need_en": ["Social withdrawal"],
    ...                       "programs": [0], "agencies": [1], "others": [0], "status": ["unaddressed"]})
    >>> needs_for_reader(needs, "en").to_dict("records")
    [{'need_id': 'n1', 'need': 'Social withdrawal', 'programs': 0, 'agencies': 1, 'others': 0, 'status': 'Unaddressed'}]
    """
    shown = _named_with_status(needs, "need", lang)
    if "addressed_by" in shown.columns:
        shown["addressed_by"] = [join_texts([t(f"needs.kind.{k}", lang) for k in str(v).split(";") if k], lang)
                                 for v in shown["addressed_by"]]
    return shown


def councils_for_reader(councils: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """The ``councils`` table (:func:`~tsunagari.analysis.council_composition.council_silos`) for readers.

    ``level``, ``category`` and ``layer`` become their vocabulary labels in ``lang``, ``multi_agency``
    はい / いいえ (Yes / No), ``non_welfare_sectors`` (a
    list of sectors) one text joined by :func:`join_texts` (``""`` when there is none), and
    ``status`` its text.

    Examples
    --------
    >>> councils = pd.DataFrame({"council": ["連携会議"], "level": ["庁内連携"], "layer": ["市域"],
    ...                          "members": [3], "non_welfare_sectors": [["住まい", "司法・更生保護"]],
    ...                          "status": ["mixed"]})
    >>> councils_for_reader(councils, "en").to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'council': '連携会議', 'level': 'Cross-department', 'layer': 'City-wide', 'members': 3,
      'non_welfare_sectors': 'Housing, Justice and rehabilitation', 'status': 'Mixed sectors'}]
    """
    extra = {}
    if "category" in councils:
        extra["category"] = [term("council_categories", v, lang) if v else "" for v in councils["category"]]
    if "multi_agency" in councils:
        extra["multi_agency"] = [yes_no(bool(v), lang) for v in councils["multi_agency"]]
    return councils.assign(
        **extra,
        level=[term("council_levels", v, lang) for v in councils["level"]],
        layer=[term("layers", v, lang) for v in councils["layer"]],
        non_welfare_sectors=[join_texts((term("sectors", s, lang) for s in v), lang)
                             for v in councils["non_welfare_sectors"]],
        status=[status_text(s, lang) for s in councils["status"]])


def sectors_for_reader(sectors: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """The ``sectors`` table (:func:`~tsunagari.analysis.council_composition.absent_sectors`) for readers.

    ``sector`` holds the sector's name in ``lang`` (taken from ``sector_en`` in English;
    ``sector_en`` is dropped) and ``status`` its text.

    Examples
    --------
    >>> sectors = pd.DataFrame({"sector": ["住まい"], "sector_en": ["Housing"], "actors": [0], "councils": [0],
    ...                         "status": ["absent_from_data"]})
    >>> sectors_for_reader(sectors).to_dict("records")
    [{'sector': '住まい', 'actors': 0, 'councils': 0, 'status': 'データにない'}]
    """
    return _named_with_status(sectors, "sector", lang)


def residents_for_reader(residents: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """The ``residents`` table (:func:`~tsunagari.analysis.resident_base.resident_base`) for readers.

    ``layer`` becomes its vocabulary label in ``lang``, ``weakest`` はい / いいえ (Yes / No) and
    ``na_reason`` its sentence (``""`` when there is none).

    Examples
    --------
    >>> residents = pd.DataFrame({"district": ["北地区"], "layer": ["地区"], "association_rate": [40.5],
    ...                           "weakest": [True], "na_reason": [None]})
    >>> residents_for_reader(residents, "en").to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'district': '北地区', 'layer': 'Administrative district', 'association_rate': 40.5, 'weakest': 'Yes',
      'na_reason': ''}]
    """
    return residents.assign(layer=[term("layers", v, lang) for v in residents["layer"]],
                            weakest=[yes_no(v, lang) for v in residents["weakest"]],
                            na_reason=reason_texts(residents["na_reason"], lang))
