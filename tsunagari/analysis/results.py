"""Typed results of the gap and inequality analyses: frozen dataclasses with fields named for what they hold.

Each field is a pandas DataFrame documented where it is built. :meth:`tables` gives them by name
in a fixed order, for exports that write every table (``--format json``, downloads).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

__all__ = ["GapsResult", "InequalityResult", "ChangeResult"]


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


@dataclass(frozen=True)
class ChangeResult(_Tables):
    """What changed in one municipality between two snapshots (:func:`tsunagari.analysis.change.municipality_change`).

    Every table compares snapshot *before* with snapshot *after*; columns ending ``_before`` and ``_after``
    hold the two values, and ``change`` says what happened. Tables are documented in ``docs/fiscal-years.md``.

    Attributes
    ----------
    about
        One row: ``municipality``, ``name``, ``fiscal_year_before``, ``fiscal_year_after`` (Int64, NA = year
        unknown), ``content_hash_before`` / ``_after``.
    summary
        ``item`` and ``count``: how many rows of each change the other tables hold (fixed order).
    actors
        Nodes added or removed (every kind but the municipality and its districts), matched by id.
    ties
        Ties added, removed or re-weighted, matched by kind, ends and role (undirected kinds either way).
    coverage
        Coverage cells (district × pillar × domain) whose level or provider units changed; ``change``
        ``gap_closed`` (× → △/○/◎), ``gap_opened`` (→ ×), ``thinned`` (2+ → 1 unit), ``strengthened`` (1 → 2+)
        or ``providers`` (same level, other units).
    brokers
        Actors with betweenness above 0 in either year whose betweenness rank changed (or that were added
        or removed); actors with betweenness 0 in both years are left out (their rank only follows the
        others').
    loss
        Actors whose loss impact changed (cut point, pairs lost, actors isolated).
    inequality
        Each inequality index before and after with its change and the information-base flag.
    districts
        Each district's compared figure before and after (the ``per`` of the inequality).
    """

    about: pd.DataFrame
    summary: pd.DataFrame
    actors: pd.DataFrame
    ties: pd.DataFrame
    coverage: pd.DataFrame
    brokers: pd.DataFrame
    loss: pd.DataFrame
    inequality: pd.DataFrame
    districts: pd.DataFrame
