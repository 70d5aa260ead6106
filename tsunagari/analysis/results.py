"""Typed results of the gap and inequality analyses: frozen dataclasses with fields named for what they hold.

Each field is a pandas DataFrame documented where it is built. :meth:`tables` gives them by name
in a fixed order, for exports that write every table (``--format json``, downloads).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

__all__ = ["GapsResult", "InequalityResult"]


class _Tables:
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by field name, in declaration order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class GapsResult(_Tables):
    """What :func:`tsunagari.analysis.gaps.coverage_gaps` finds in one municipality.

    Attributes
    ----------
    cube
        :func:`~tsunagari.analysis.coverage.coverage_cube`: district × pillar × domain/need cells.
    needs
        :func:`~tsunagari.analysis.coverage.unaddressed_needs` (with the vocabulary's unrecorded needs).
    councils
        :func:`~tsunagari.analysis.council_composition.council_silos`.
    sectors
        :func:`~tsunagari.analysis.council_composition.absent_sectors`.
    residents
        :func:`~tsunagari.analysis.resident_base.resident_base` (only the chosen district, if any).
    base
        The information base (:mod:`tsunagari.analysis.information_base`): districts, local provider
        units versus resource units serving the whole municipality, and whether that is too thin.
    """

    cube: pd.DataFrame
    needs: pd.DataFrame
    councils: pd.DataFrame
    sectors: pd.DataFrame
    residents: pd.DataFrame
    base: pd.DataFrame


@dataclass(frozen=True)
class InequalityResult(_Tables):
    """What :func:`tsunagari.analysis.inequality.district_inequality` finds across districts.

    Attributes
    ----------
    districts
        Resources per district with ``value`` (the compared figure, NA when undefined) and ``included``.
    indices
        Inequality indices per scope (municipality code, or ``"all"`` over several).
    lorenz
        Lorenz points per scope (``scope``, ``population_share``, ``value_share``).
    theil
        Theil T decomposition by municipality (empty for a single one).
    base
        The information base per scope: districts with a figure, local versus city-wide units, and
        whether it is too thin to compare districts (``insufficient``, ``reasons``).
    """

    districts: pd.DataFrame
    indices: pd.DataFrame
    lorenz: pd.DataFrame
    theil: pd.DataFrame
    base: pd.DataFrame
