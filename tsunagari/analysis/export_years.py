"""Write every fiscal year of a municipality: a dynamic GEXF for Gephi's timeline and long CSVs with a year column.

Files written in ``out`` by :func:`export_years`:

* ``network-years.gexf``: the actor network of every dated year in one graph (GEXF 1.2, ``mode="dynamic"``,
  ``timeformat="date"``). Each actor and tie has ``<spells>``: one spell per run of consecutive fiscal
  years it is present, fiscal year N spanning ``N-04-01`` to ``(N+1)-03-31`` (年度). ``betweenness``,
  ``degree`` and (ties) ``tie_weight`` are dynamic attributes, one value per year; the other attributes are
  the latest year's. Reads back with ``networkx.read_gexf`` (spells as ``(start, end)`` date strings);
* ``nodes_by_year.csv``: the metrics node table of each year (:func:`~tsunagari.analysis.metrics.compute_metrics`)
  with ``fiscal_year`` first;
* ``ties_by_year.csv``: every stored tie of each year (kind, ends, role, weight, operation, basis, source);
* ``coverage_by_year.csv``: the coverage cube of each year (:func:`~tsunagari.analysis.coverage.coverage_cube`);
* ``districts_by_year.csv``: resources per district of each year (per 10,000 population,
  :func:`~tsunagari.analysis.inequality.district_inequality`);
* ``manifest.json``: tool, version, municipality, the years with their content hashes, parameters, and the
  SHA-256 of every file.

CSVs are UTF-8 with BOM (Excel) with ``fiscal_year`` empty for the year-unknown snapshot, which has no
place on a timeline and is left out of the GEXF (the manifest says so).
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pandas as pd

from tsunagari.analysis.coverage import coverage_cube
from tsunagari.analysis.export import _json_value, _plain, _sha256, _spreadsheet_frame, _write_json
from tsunagari.analysis.inequality import district_inequality
from tsunagari.analysis.metrics import MetricsOptions, MetricsResult, compute_metrics
from tsunagari.text_safety import xml_safe
from tsunagari.version import __version__

__all__ = ["export_years", "fiscal_year_spells", "YEAR_FILES"]

YEAR_FILES = ("network-years.gexf", "nodes_by_year.csv", "ties_by_year.csv", "coverage_by_year.csv",
              "districts_by_year.csv", "manifest.json")
"""The files :func:`export_years` writes, in order."""

_TIE_COLUMNS = ("kind", "from_id", "from_name", "to_id", "to_name", "role", "weight", "operation", "basis", "source")


def fiscal_year_spells(years: list[int]) -> list[tuple[str, str]]:
    """GEXF spells (date strings) of the fiscal years ``years``: one per run of consecutive years.

    Examples
    --------
    >>> fiscal_year_spells([2022, 2023, 2025])
    [('2022-04-01', '2024-03-31'), ('2025-04-01', '2026-03-31')]
    """
    spells: list[tuple[str, str]] = []
    run: list[int] = []
    for year in sorted(set(years)):
        if run and year != run[-1] + 1:
            spells.append((f"{run[0]}-04-01", f"{run[-1] + 1}-03-31"))
            run = []
        run.append(year)
    if run:
        spells.append((f"{run[0]}-04-01", f"{run[-1] + 1}-03-31"))
    return spells


def _dynamic(values: dict[int, object]) -> list[tuple[object, str, str]]:
    return [(v, f"{y}-04-01", f"{y + 1}-03-31") for y, v in sorted(values.items()) if v is not None]


def _dynamic_network(results: Mapping[int, MetricsResult], name: str) -> nx.Graph:
    """The union of the years' actor networks with spells and per-year measures (for ``write_gexf``)."""
    network = nx.Graph(name=xml_safe(name))
    years = sorted(results)
    present: dict[str, list[int]] = {}
    betweenness: dict[str, dict[int, object]] = {}
    degree: dict[str, dict[int, object]] = {}
    latest: dict[str, dict] = {}
    edges: dict[tuple[str, str], list[int]] = {}
    weights: dict[tuple[str, str], dict[int, object]] = {}
    for year in years:
        result = results[year]
        measures = result.nodes.set_index("uid")
        for node, data in result.network.nodes(data=True):
            present.setdefault(node, []).append(year)
            latest[node] = data
            betweenness.setdefault(node, {})[year] = _plain(measures.loc[node, "betweenness"])
            degree.setdefault(node, {})[year] = _plain(measures.loc[node, "degree"])
        for u, v, data in result.network.edges(data=True):
            key = (u, v) if u <= v else (v, u)
            edges.setdefault(key, []).append(year)
            weights.setdefault(key, {})[year] = _plain(data.get("weight"))
    for node in sorted(present):
        data = latest[node]
        attrs = {k: p for k, p in ((k, _plain(data.get(k))) for k in ("name", "kind", "type", "sector", "district",
                                                                       "group")) if p is not None}
        attrs["local_id"] = _plain(data.get("id")) or node
        attrs["label"] = str(attrs.get("name", node))
        network.add_node(node, **attrs, spells=fiscal_year_spells(present[node]),
                         betweenness=_dynamic(betweenness[node]), degree=_dynamic(degree[node]))
    for (u, v) in sorted(edges):
        network.add_edge(u, v, spells=fiscal_year_spells(edges[(u, v)]), tie_weight=_dynamic(weights[(u, v)]))
    return network


def _node_id(graph: nx.MultiDiGraph, uid: str) -> object:
    return graph.nodes[uid].get("id", uid)


def _ties_frame(graph: nx.MultiDiGraph) -> pd.DataFrame:
    rows = []
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (str(e[2].get("kind")), e[0], e[1])):
        rows.append({"kind": data.get("kind"), "from_id": _node_id(graph, u), "from_name": graph.nodes[u].get("name"),
                     "to_id": _node_id(graph, v), "to_name": graph.nodes[v].get("name"), "role": data.get("role"),
                     "weight": data.get("weight"), "operation": data.get("operation"), "basis": data.get("basis"),
                     "source": data.get("source")})
    return pd.DataFrame(rows, columns=list(_TIE_COLUMNS))


def _with_year(frames: list[tuple[int | None, pd.DataFrame]]) -> pd.DataFrame:
    parts = []
    for year, frame in frames:
        part = frame.copy()
        part.insert(0, "fiscal_year", pd.array([year] * len(part), dtype="Int64"))
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"fiscal_year": []})


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    for column in frame.columns:  # lists (domains) as `;`-joined text, as in the other exports
        if frame[column].map(lambda v: isinstance(v, (list, tuple))).any():
            frame[column] = frame[column].map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    _spreadsheet_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def export_years(graphs: Mapping[int | None, nx.MultiDiGraph], out: str | Path, *,
                 options: MetricsOptions | None = None, created: datetime | None = None) -> list[Path]:
    """Write every year of one municipality to the folder ``out`` (created if needed): :data:`YEAR_FILES`.

    Parameters
    ----------
    graphs
        ``{fiscal year: graph}`` of one municipality, as :meth:`GraphStore.read_years` returns
        (``None``: the year-unknown snapshot, written to the CSVs only).
    out
        Output folder; files of the same names are overwritten.
    options
        Network options of the measures (default :class:`MetricsOptions`).
    created
        Timestamp recorded in the manifest (default: now, UTC).

    Returns
    -------
    list of pathlib.Path
        The files written, ``manifest.json`` last.
    """
    options = options or MetricsOptions()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    years = sorted(graphs, key=lambda y: -1 if y is None else y)
    results = {year: compute_metrics(graphs[year], options=options) for year in years}
    first = graphs[years[-1]].graph if years else {}
    written = []
    path = out / YEAR_FILES[0]
    dated = {y: r for y, r in results.items() if y is not None}
    nx.write_gexf(_dynamic_network(dated, str(first.get("name") or "")), path, encoding="utf-8")
    written.append(path)
    tables = [
        [(y, results[y].nodes) for y in years],
        [(y, _ties_frame(graphs[y])) for y in years],
        [(y, coverage_cube(graphs[y])) for y in years],
        [(y, district_inequality(graphs[y], per="population").districts) for y in years],
    ]
    for name, frames in zip(YEAR_FILES[1:5], tables):
        path = out / name
        _write_csv(_with_year(frames), path)
        written.append(path)
    manifest = {
        "tool": "tsunagari",
        "version": __version__,
        "municipality": {k: _json_value(first.get(k)) for k in ("code", "name", "name_en", "slug", "prefecture")},
        "years": [{"fiscal_year": y, "content_hash": graphs[y].graph.get("content_hash"),
                   "in_gexf": y is not None} for y in years],
        "fiscal_year": "年度 N = N-04-01 .. (N+1)-03-31; the year-unknown snapshot (null) is in the CSVs only",
        "parameters": options.to_dict(),
        "created": (created or datetime.now(UTC)).isoformat(timespec="seconds"),
        "environment": {"python": platform.python_version(), "networkx": nx.__version__, "pandas": pd.__version__},
        "files": [{"name": p.name, "sha256": _sha256(p), "bytes": p.stat().st_size} for p in written],
        "columns_documented_in": "docs/fiscal-years.md, docs/metrics.md",
    }
    manifest_path = out / "manifest.json"
    _write_json(manifest_path, manifest)
    return [*written, manifest_path]
