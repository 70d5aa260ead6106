"""Inequality of resources between districts: Gini, Theil T (with decomposition), CV, max/min, Lorenz.

The indices are hand-written in NumPy (a few lines each) so that missing denominators, zeros and
tiny samples are handled the way the reports need; ``tests/analysis/test_inequality.py`` checks
them against hand-computed values and against PySAL ``inequality`` (Rey & Sastré-Gutiérrez 2010).

The unit of analysis is the district (unweighted): each district of the chosen layer is one
observation, its value a count of resource units, raw or per capita. Districts whose
denominator is missing are reported with a reason and left out of the indices (never divided by).

References
----------
.. [1] Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Tipografia di Paolo Cuppini.
.. [2] Theil, H. (1967). *Economics and Information Theory*. Amsterdam: North-Holland.
.. [3] Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
   *Econometrica*, 48(3), 613–625.
.. [4] Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. *Publications of
   the American Statistical Association*, 9(70), 209–219.
.. [5] Rey, S. J., & Sastré-Gutiérrez, M. L. (2010). Interregional inequality dynamics in Mexico.
   *Spatial Economic Analysis*, 5(3), 277–298. (PySAL ``inequality``.)
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

from tsunagari.analysis._memo import per_graph, shared_tables
from tsunagari.analysis.districts import PER_UNITS, district_table, resource_reach
from tsunagari.analysis.information_base import base_frame, information_base, resource_units
from tsunagari.analysis.provision import resource_domains
from tsunagari.analysis.errors import CoverageInputError, InequalityInputError
from tsunagari.analysis.results import InequalityResult
from tsunagari.analysis.na_reasons import missing_denominator, no_denominator_anywhere, zero_denominator

__all__ = [
    "InequalityInputError",
    "gini",
    "theil_t",
    "theil_decomposition",
    "coefficient_of_variation",
    "max_min_ratio",
    "lorenz_points",
    "inequality_indices",
    "district_resources",
    "rate_column",
    "district_inequality",
]


def _values(values: Sequence[float] | np.ndarray, *, name: str = "values") -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    if array.size == 0:
        raise InequalityInputError("analysis.empty_values", name=name)
    if not np.all(np.isfinite(array)):
        raise InequalityInputError("analysis.nonfinite_values", name=name, values=array.tolist())
    if np.any(array < 0):
        raise InequalityInputError("analysis.negative_values", name=name, values=array.tolist())
    return array


def gini(values: Sequence[float] | np.ndarray, *, correction: bool = False) -> float:
    """Gini coefficient of ``values`` (0 = equal, → 1 = one unit holds everything).

    ``G = Σ_i Σ_j |x_i − x_j| / (2 n² μ)``. With ``correction=True`` the result is multiplied by
    ``n / (n − 1)`` so that the maximum is 1 for small samples (six districts: max 5/6 uncorrected).

    Returns
    -------
    float
        Dimensionless; NaN when every value is 0 (no resources anywhere) or, with correction, n = 1.

    Raises
    ------
    InequalityInputError
        If ``values`` is empty, negative or holds NaN.

    Examples
    --------
    >>> gini([1, 2, 3, 4])
    0.25
    >>> round(gini([1, 2, 3, 4], correction=True), 4)
    0.3333

    Notes
    -----
    O(n log n) through the sorted form ``Σ (2i − n − 1) x_(i) / (n² μ)``.

    References
    ----------
    .. [1] Gini, C. (1912). *Variabilità e mutabilità*.
    """
    x = np.sort(_values(values))
    n, total = x.size, x.sum()
    if total == 0 or (correction and n == 1):
        return float("nan")
    ranks = np.arange(1, n + 1)
    g = float(np.sum((2 * ranks - n - 1) * x) / (n * total))
    return g * n / (n - 1) if correction else g


def theil_t(values: Sequence[float] | np.ndarray) -> float:
    """Theil T index ``(1/n) Σ (x_i/μ) ln(x_i/μ)`` with ``0 ln 0 = 0``.

    Returns
    -------
    float
        In nats, between 0 (equal) and ``ln n``; NaN when every value is 0.

    Examples
    --------
    >>> round(theil_t([1, 1, 2]), 6)
    0.058892

    References
    ----------
    .. [1] Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    """
    x = _values(values)
    mean = x.mean()
    if mean == 0:
        return float("nan")
    share = x / mean
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(share > 0, share * np.log(np.where(share > 0, share, 1.0)), 0.0)
    return float(terms.mean())


def theil_decomposition(values: Sequence[float] | np.ndarray, groups: Sequence[object]) -> pd.DataFrame:
    """Theil T split into a between-group and a within-group part (T = between + within).

    ``between = Σ_g s_g ln(μ_g/μ)``, ``within = Σ_g s_g T_g`` with ``s_g`` the group's share of
    the total. Groups are municipalities when several are loaded.

    Returns
    -------
    pandas.DataFrame
        One row per group then a row ``group="(total)"``. Columns ``group``, ``n`` (units), ``mean``,
        ``share`` (group's share of the total, 0–1), ``theil_t`` (the group's own T, nats),
        ``contribution`` (``share × theil_t``: its part of the within component), and for the
        total row ``between``, ``within``, ``theil_t`` (= between + within) and ``between_share``
        (between / total; NaN if total is 0).

    Examples
    --------
    >>> frame = theil_decomposition([1, 1, 2, 2], ["a", "a", "b", "b"])
    >>> round(float(frame.iloc[-1]["between"]), 6), round(float(frame.iloc[-1]["within"]), 6)
    (0.056633, 0.0)

    References
    ----------
    .. [1] Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    .. [2] Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
       *Econometrica*, 48(3), 613–625.
    """
    x = _values(values)
    labels = list(groups)
    if len(labels) != x.size:
        raise InequalityInputError("analysis.group_length", labels=len(labels), values=x.size)
    total = x.sum()
    mean = x.mean()
    rows = []
    between = within = 0.0
    for group in dict.fromkeys(labels):
        member = np.array([label == group for label in labels])
        xg = x[member]
        share = xg.sum() / total if total else float("nan")
        tg = theil_t(xg) if xg.sum() else 0.0
        if total and xg.sum():
            between += share * np.log(xg.mean() / mean)
            within += share * tg
        rows.append({"group": group, "n": int(xg.size), "mean": float(xg.mean()), "share": float(share),
                     "theil_t": float(tg), "contribution": float(share * tg) if total else float("nan")})
    if not total:
        between = within = float("nan")
    t = between + within
    rows.append({"group": "(total)", "n": int(x.size), "mean": float(mean), "share": 1.0, "theil_t": float(t),
                 "contribution": float(within), "between": float(between), "within": float(within),
                 "between_share": float(between / t) if t else float("nan")})
    return pd.DataFrame(rows, columns=["group", "n", "mean", "share", "theil_t", "contribution", "between",
                                       "within", "between_share"])


def coefficient_of_variation(values: Sequence[float] | np.ndarray, *, ddof: int = 0) -> float:
    """Standard deviation over mean (``ddof=0``: population standard deviation).

    Returns
    -------
    float
        Dimensionless; NaN when the mean is 0.

    Examples
    --------
    >>> coefficient_of_variation([1, 3])
    0.5
    """
    x = _values(values)
    if x.mean() == 0 or x.size <= ddof:
        return float("nan")
    return float(x.std(ddof=ddof) / x.mean())


def max_min_ratio(values: Sequence[float] | np.ndarray) -> float:
    """Largest over smallest value; NaN when the smallest is 0 (the ratio is unbounded).

    Examples
    --------
    >>> max_min_ratio([2, 5, 10])
    5.0
    """
    x = _values(values)
    return float(x.max() / x.min()) if x.min() > 0 else float("nan")


def lorenz_points(values: Sequence[float] | np.ndarray) -> pd.DataFrame:
    """Points of the Lorenz curve: cumulative share of units against cumulative share of the total.

    Returns
    -------
    pandas.DataFrame
        ``n + 1`` rows from (0, 0) to (1, 1), units sorted ascending. Columns ``population_share``
        (cumulative share of units, 0–1) and ``value_share`` (cumulative share of the values, 0–1;
        NaN when the total is 0).

    Examples
    --------
    >>> lorenz_points([1, 3])["value_share"].tolist()
    [0.0, 0.25, 1.0]

    References
    ----------
    .. [1] Lorenz, M. O. (1905). Methods of measuring the concentration of wealth.
    """
    x = np.sort(_values(values))
    total = x.sum()
    cumulative = np.concatenate([[0.0], np.cumsum(x)])
    return pd.DataFrame({
        "population_share": np.arange(x.size + 1) / x.size,
        "value_share": cumulative / total if total else np.full(x.size + 1, np.nan),
    })


_INDEX_REFERENCES = {
    "gini": "Gini (1912)",
    "gini_corrected": "Gini (1912), × n/(n−1)",
    "theil_t": "Theil (1967)",
    "cv": "coefficient of variation (population SD / mean)",
    "max_min_ratio": "max / min",
}


def inequality_indices(values: Sequence[float] | np.ndarray) -> pd.DataFrame:
    """Every index of ``values`` in one frame, with a reason wherever an index is undefined.

    Returns
    -------
    pandas.DataFrame
        One row per index (``gini``, ``gini_corrected``, ``theil_t``, ``cv``, ``max_min_ratio``).
        Columns ``index``, ``value`` (float, NaN when undefined), ``n`` (units), ``na_reason``
        (code of :mod:`tsunagari.analysis.na_reasons`, empty when defined), ``reference``.

    Examples
    --------
    >>> float(inequality_indices([1, 2, 3, 4]).set_index("index").loc["gini", "value"])
    0.25
    """
    x = np.asarray(values, dtype=float).ravel()
    n = int(x.size)
    results: dict[str, tuple[float, str]] = {}
    if n == 0:
        for name in _INDEX_REFERENCES:
            results[name] = (float("nan"), "no_district_with_value")
    else:
        x = _values(x)
        zero_total = "every_value_is_zero" if x.sum() == 0 else ""
        results["gini"] = (gini(x), zero_total)
        results["gini_corrected"] = (gini(x, correction=True), zero_total or ("single_district" if n == 1 else ""))
        results["theil_t"] = (theil_t(x), zero_total)
        results["cv"] = (coefficient_of_variation(x), zero_total)
        results["max_min_ratio"] = (max_min_ratio(x), "" if x.min() > 0 else "smallest_value_is_zero")
    return pd.DataFrame(
        [{"index": name, "value": value, "n": n, "na_reason": reason, "reference": _INDEX_REFERENCES[name]}
         for name, (value, reason) in results.items()],
        columns=["index", "value", "n", "na_reason", "reference"],
    )


@per_graph
def district_resources(graph: nx.MultiDiGraph, *, layer: str | None = None) -> pd.DataFrame:
    """Resource units reaching each district locally, raw and per capita.

    Counts the units (aggregate nodes count ``count`` units) of programs, agencies, residents'
    groups and councils whose service area reaches the district locally
    (:func:`~tsunagari.analysis.districts.resource_reach`: SERVES it, one of its sub-areas, or an
    enclosing area below the city level; an agency's office location does not count). City-wide
    resources reach every district equally and are left out (reported as ``city_wide_units``).
    Each rate divides matching resources: per 10,000 residents all of them (``units``), per 1,000
    elderly those for 高齢 or 全世代 (``units_elderly``), per 1,000 children those for 子ども or
    全世代 (``units_children``), by :func:`~tsunagari.analysis.provision.resource_domains`.

    Parameters
    ----------
    graph
        What :meth:`GraphStore.read_graph` returns.
    layer
        Layer label of the districts compared (default: the top local layer, the districts directly
        under the municipality). All districts of the municipality with that layer are compared.

    Returns
    -------
    pandas.DataFrame
        One row per district: ``municipality`` (code), ``municipality_name``, ``district_id``,
        ``district``, ``layer``, ``programs``, ``agencies``, ``resident_groups``, ``councils``
        (local units of each kind), ``units`` (their sum), ``units_population``, ``units_elderly``,
        ``units_children`` (the local units each rate counts), ``city_wide_units``, ``population``,
        ``elderly``, ``children`` (Int64, NA when missing), ``per_10k_population``,
        ``per_1k_elderly``, ``per_1k_children`` (Float64 units per 10,000 residents / 1,000 aged
        65+ / 1,000 under 18; NA when the denominator is missing or 0), and ``na_reason_population``,
        ``na_reason_elderly``, ``na_reason_children`` (reason codes of :mod:`tsunagari.analysis.na_reasons`;
        empty when the rate is defined).

    Examples
    --------
    >>> district_resources(nx.MultiDiGraph(code="1")).empty
    True
    """
    districts = district_table(graph)
    columns = ["municipality", "municipality_name", "district_id", "district", "layer", "programs", "agencies",
               "resident_groups", "councils", "units", *(f"units_{per}" for per in PER_UNITS), "city_wide_units",
               "population", "elderly", "children",
               *(f"per_{scale_name}_{per}" for per, (_, scale_name) in PER_UNITS.items()),
               *(f"na_reason_{per}" for per in PER_UNITS)]
    if districts.empty:
        return pd.DataFrame(columns=columns)
    local_districts = districts[~districts["city_level"]]  # a 市域 district is the whole municipality
    chosen = local_districts[local_districts["layer"] == layer] if layer else districts[districts["top_local"]]
    if layer and chosen.empty:
        raise CoverageInputError("analysis.unknown_layer", layer=repr(layer),
                                 present="、".join(sorted(set(local_districts["layer"].dropna()))) or "-")
    reach = resource_reach(graph)
    kind_column = {"Program": "programs", "Agency": "agencies", "ResidentGroup": "resident_groups",
                   "Council": "councils"}
    # Which units count for which denominator: per elderly only 高齢 (and 全世代) resources, per
    # child only 子ども (and 全世代) ones, per population all of them.
    domains = {uid: set(resource_domains(d)) for uid, d in graph.nodes(data=True)}
    matching = {"population": lambda uid: True, "elderly": lambda uid: "高齢" in domains[uid],
                "children": lambda uid: "子ども" in domains[uid]}
    rows = []
    city = reach[reach["reach"] == "city"].drop_duplicates("uid")
    city_units = int(city["units"].sum())
    for district in chosen.itertuples(index=False):
        local = reach[(reach["district_id"] == district.district_id) & (reach["reach"] != "city")]
        local = local.drop_duplicates("uid")
        row = {"municipality": graph.graph.get("code"), "municipality_name": graph.graph.get("name"),
               "district_id": district.district_id, "district": district.district, "layer": district.layer}
        for kind, column in kind_column.items():
            row[column] = int(local.loc[local["kind"] == kind, "units"].sum())
        row["units"] = int(local["units"].sum())
        row["city_wide_units"] = city_units
        for per, (scale, scale_name) in PER_UNITS.items():
            denominator = getattr(district, per)
            counted = int(local.loc[[matching[per](u) for u in local["uid"]], "units"].sum()) if len(local) else 0
            row[f"units_{per}"] = counted
            row[per] = denominator
            if denominator is pd.NA or denominator is None:
                row[f"per_{scale_name}_{per}"] = pd.NA
                row[f"na_reason_{per}"] = missing_denominator(per)
            elif denominator == 0:
                row[f"per_{scale_name}_{per}"] = pd.NA
                row[f"na_reason_{per}"] = zero_denominator(per)
            else:
                row[f"per_{scale_name}_{per}"] = counted / denominator * scale
                row[f"na_reason_{per}"] = ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    for per, (_, scale_name) in PER_UNITS.items():
        frame[per] = frame[per].astype("Int64")
        frame[f"per_{scale_name}_{per}"] = frame[f"per_{scale_name}_{per}"].astype("Float64")
    return frame


def rate_column(per: str | None) -> str:
    """The column of :func:`district_resources` compared for ``per`` (``units`` for None).

    Examples
    --------
    >>> rate_column("population"), rate_column("elderly"), rate_column(None)
    ('per_10k_population', 'per_1k_elderly', 'units')
    """
    if per is None:
        return "units"
    if per not in PER_UNITS:
        raise CoverageInputError("analysis.option", name="per", allowed=[*PER_UNITS, None], value=repr(per))
    return f"per_{PER_UNITS[per][1]}_{per}"


@shared_tables()
def district_inequality(graphs: nx.MultiDiGraph | Sequence[nx.MultiDiGraph], *, per: str | None = "population",
                        layer: str | None = None) -> InequalityResult:
    """Inequality of local resource units between the districts of one or several municipalities.

    Parameters
    ----------
    graphs
        One graph or several (one per municipality), as :meth:`GraphStore.read_graph` returns.
    per
        ``"population"`` (units per 10,000 residents, default), ``"elderly"`` (per 1,000 aged 65+),
        ``"children"`` (per 1,000 under 18) or ``None`` (raw units).
    layer
        Layer of the districts compared (default: each municipality's top local layer).

    Returns
    -------
    InequalityResult
        ``districts``: :func:`district_resources` of every municipality, plus ``value`` (the
        compared figure, Float64, NA when undefined) and ``included`` (bool).
        ``indices``: :func:`inequality_indices` per municipality (columns ``municipality``,
        ``municipality_name``, ``per``, ``n_missing`` (districts left out for lack of a
        denominator), then the columns of :func:`inequality_indices`), plus ``scope="all"`` rows
        over every district when several municipalities are given; ``scope`` is the municipality
        code otherwise.
        ``lorenz``: Lorenz points per scope (``scope``, ``population_share``, ``value_share``).
        ``theil``: :func:`theil_decomposition` by municipality (empty frame for a single one).
        ``base``: the information base per scope (:mod:`tsunagari.analysis.information_base`); each
        ``indices`` row repeats its scope's ``insufficient_base`` flag and ``base_reasons``.

    Raises
    ------
    CoverageInputError
        If ``per`` or ``layer`` is not valid.

    Examples
    --------
    >>> sorted(district_inequality(nx.MultiDiGraph(code="1")).tables())
    ['base', 'districts', 'indices', 'lorenz', 'theil']
    """
    graph_list = [graphs] if isinstance(graphs, nx.Graph) else list(graphs)
    column = rate_column(per)
    frames = [district_resources(g, layer=layer) for g in graph_list]
    districts = pd.concat(frames, ignore_index=True) if frames else district_resources(nx.MultiDiGraph())
    districts["value"] = pd.array(districts[column], dtype="Float64")
    districts["included"] = districts["value"].notna().astype(bool)
    index_frames, lorenz_frames = [], []
    scopes: list[tuple[str, str, pd.DataFrame]] = [
        (str(g.graph.get("code")), str(g.graph.get("name", "")),
         districts[districts["municipality"] == g.graph.get("code")]) for g in graph_list]
    if len(graph_list) > 1:
        scopes.append(("all", "(all)", districts))
    units_column = f"units_{per}" if per else "units"
    totals = {str(g.graph.get("code")): resource_units(g) for g in graph_list}
    base_rows = []
    for scope, name, part in scopes:
        values = part.loc[part["included"], "value"].to_numpy(dtype=float)
        codes = list(totals) if scope == "all" else [scope]
        base = information_base(
            scope, name, districts=len(part), districts_with_value=int(part["included"].sum()),
            local_units=int(part.loc[part["included"], units_column].sum()),
            resource_units=sum(totals[c][0] for c in codes), city_wide_units=sum(totals[c][1] for c in codes))
        base_rows.append(base)
        indices = inequality_indices(values)
        indices["insufficient_base"] = base["insufficient"]
        indices["base_reasons"] = base["reasons"]
        if per and not len(values) and len(part):  # raw units are always defined, so only rates get here
            indices["na_reason"] = no_denominator_anywhere(per)
        indices.insert(0, "scope", scope)
        indices.insert(1, "municipality_name", name)
        indices.insert(2, "per", per or "units")
        indices.insert(3, "n_missing", int((~part["included"]).sum()))
        index_frames.append(indices)
        if len(values):
            lorenz = lorenz_points(values)
            lorenz.insert(0, "scope", scope)
            lorenz_frames.append(lorenz)
    theil = pd.DataFrame()
    included = districts[districts["included"]]
    if len(graph_list) > 1 and len(included):
        theil = theil_decomposition(included["value"].to_numpy(dtype=float), included["municipality"].tolist())
    return InequalityResult(
        districts=districts,
        indices=pd.concat(index_frames, ignore_index=True) if index_frames else inequality_indices([]),
        lorenz=(pd.concat(lorenz_frames, ignore_index=True) if lorenz_frames
                else pd.DataFrame(columns=["scope", "population_share", "value_share"])),
        theil=theil,
        base=base_frame(base_rows),
    )
