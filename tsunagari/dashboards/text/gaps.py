"""``tsunagari gaps`` as a planner reads it: the coverage grid per district, unaddressed needs,
council silos, absent sectors and the residents' base."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from tsunagari.analysis.results import GapsResult
from tsunagari.dashboards.base_text import base_lines
from tsunagari.dashboards.i18n import na_reason_text, t
from tsunagari.dashboards.text.common import display_width, label, number, pad, wrap

__all__ = ["format_gaps"]

# Cell symbols of the table view: covered with a local provider, covered only city-wide, thin, none.
_SYMBOLS = {"local": "◎", "city": "○", "thin": "△", "none": "×"}


def _symbol(row) -> str:
    if row.level == "none":
        return _SYMBOLS["none"]
    if row.level == "thin":
        return _SYMBOLS["thin"]
    return _SYMBOLS["city"] if row.city_only else _SYMBOLS["local"]


_MAX_WIDTH = 100  # terminal columns a grid may take before it is printed turned (pillars as columns)


def _grid_lines(part: pd.DataFrame, en: bool, lang: str, with_rates: bool) -> list[str]:
    """The symbol grid of one district (and, with ``--per``, its rates): pillars × domains/needs, or
    turned (domains/needs × pillars numbered by the Act's item) when that is too wide for a terminal."""
    domains = list(dict.fromkeys(part["domain"]))
    pillars = list(dict.fromkeys(part["pillar"]))
    vocab_of = {d: ("domains" if kind == "domain" else "needs" if kind == "need" else None)
                for d, kind in zip(part["domain"], part["domain_type"])}
    cells = {(r.pillar, r.domain): r for r in part.itertuples(index=False)}

    def value(pillar: str, domain: str) -> str:
        row = cells[(pillar, domain)]
        symbol = _symbol(row)
        if not with_rates:
            return symbol
        rate = getattr(row, "rate", None)
        return f"{symbol}{number(rate) if rate is not None and rate is not pd.NA and rate == rate else '—'}"

    headers = [label(d, vocab_of[d], en) for d in domains]
    widths = [max(display_width(h), display_width(value(pillars[0], d)) + (4 if with_rates else 0), 2)
              for h, d in zip(headers, domains)]
    pillar_width = max(display_width(label(p, "pillars", en)) for p in pillars) + 2
    lines = []
    if pillar_width + sum(w + 1 for w in widths) <= _MAX_WIDTH:
        lines.append(pad("", pillar_width) + " ".join(pad(h, w) for h, w in zip(headers, widths)).rstrip())
        for pillar in pillars:
            lines.append((pad(label(pillar, "pillars", en), pillar_width)
                          + " ".join(pad(value(pillar, d), w) for d, w in zip(domains, widths))).rstrip())
    else:  # the column numbers are explained once, above the first grid (pillar_legend)
        numbers = [str(i) for i in range(1, len(pillars) + 1)]
        row_width = max(display_width(h) for h in headers) + 2
        column = max(3, *(display_width(value(p, d)) + 1 for p in pillars for d in domains))
        lines.append(pad("", row_width) + "".join(pad(n, column) for n in numbers).rstrip())
        for domain, header in zip(domains, headers):
            lines.append((pad(header, row_width) + "".join(pad(value(p, domain), column) for p in pillars)).rstrip())
    if with_rates:
        unit = part["rate_unit"].dropna()
        lines.append(t("text.gaps.rates_note", lang, unit=unit.iloc[0] if len(unit) else ""))
    return lines


def _pillar_legend(pillars: list[str], en: bool, lang: str) -> list[str]:
    return [t("text.gaps.turned_legend", lang)] + [f"  {i} {label(p, 'pillars', en)}"
                                                   for i, p in enumerate(pillars, start=1)]


def format_gaps(graph: nx.MultiDiGraph, gaps: GapsResult, *, lang: str = "ja") -> str:
    """Plain-text planner's view of :func:`~tsunagari.analysis.gaps.coverage_gaps` (``lang``: ``ja`` or ``en``)."""
    en = lang == "en"  # picks the stored English fields (name_en, need_en, sector_en); text comes from t()
    m = graph.graph
    lines = [f"{m.get('name_en') if en and m.get('name_en') else m.get('name')} ({m.get('code')})",
             t("text.gaps.title", lang), t("text.gaps.legend", lang)]
    if len(gaps.base):
        lines += base_lines(gaps.base.iloc[0], lang)
    cube = gaps.cube
    residents = gaps.residents.set_index("district_id") if len(gaps.residents) else None
    with_rates = "rate" in cube and cube["rate"].notna().any()

    def head(district_id: str, first: pd.Series) -> str:
        text = f"[{first['district']}] {label(first['layer'], 'layers', en)}"
        if residents is not None and district_id in residents.index:
            r = residents.loc[district_id]
            rate = r["association_rate"]
            text += t("text.gaps.association", lang, rate="NA" if rate is pd.NA else f"{rate:.1f}%")
            text += t("text.gaps.weakest", lang) if r["weakest"] else ""
        return text

    # Districts whose grids are identical are printed once (a city-wide system gives the same grid
    # everywhere): 80 districts do not become 80 copies of one table.
    groups: dict[tuple, list[tuple[str, pd.Series]]] = {}
    for district_id, part in cube.groupby("district_id", sort=False):
        groups.setdefault(tuple(_grid_lines(part, en, lang, with_rates)), []).append((district_id, part.iloc[0]))
    total = cube["district_id"].nunique()
    if any(g and g[0].split()[:2] == ["1", "2"] for g in groups):  # a turned grid heads with numbers
        lines += _pillar_legend(list(dict.fromkeys(cube["pillar"])), en, lang)
    for grid, members in groups.items():
        lines.append("")
        if len(members) == 1:
            lines.append(head(*members[0]))
        else:
            names = "・".join(str(first["district"]) for _, first in members) if not en else ", ".join(
                str(first["district"]) for _, first in members)
            key = "text.gaps.same_all" if len(members) == total else "text.gaps.same_some"
            lines.append(t(key, lang, n=len(members), names=names))
            lines += ["  " + head(*member) for member in members]
        lines += list(grid)
    needs = gaps.needs
    need_field = "need_en" if en else "need"
    lines += ["", t("text.gaps.unaddressed", lang)]
    unaddressed = needs[needs["status"] == "unaddressed"]
    lines += [f"  {name}" for name in unaddressed[need_field]] or [t("text.none", lang)]
    not_recorded = needs[needs["status"] == "not_recorded"]
    if len(not_recorded):
        lines.append(t("text.gaps.not_recorded", lang) + ", ".join(not_recorded[need_field]))
    councils = gaps.councils
    lines += ["", t("text.gaps.silos", lang)]
    silos = councils[councils["status"] == "silo"]
    lines += [t("text.gaps.silo_line", lang, council=r.council, level=label(r.level, "council_levels", en),
                members=r.members) for r in silos.itertuples(index=False)] or [t("text.none", lang)]
    unknown = councils[councils["status"] == "no_members"]
    if len(unknown):
        lines.append(t("text.gaps.no_members", lang) + ", ".join(unknown["council"]))
    sectors = gaps.sectors
    lines += ["", t("text.gaps.sectors", lang)]
    for status in ("not_on_any_council", "absent_from_data"):
        part = sectors[sectors["status"] == status]
        if len(part):
            lines.append(f"  {t(f'text.gaps.sectors.{status}', lang)}: "
                         + ", ".join(part["sector_en" if en else "sector"]))
    if residents is not None:
        lines += ["", t("text.gaps.residents", lang)]
        for r in gaps.residents.itertuples(index=False):
            rate = "NA" if r.association_rate is pd.NA else f"{r.association_rate:.1f}%"
            per = (f"{number(r.groups_per_10k)}/10k" if r.groups_per_10k is not pd.NA
                   else na_reason_text(r.na_reason, lang))
            lines.append(t("text.gaps.resident_line", lang, district=pad(str(r.district), 14), rate=pad(rate, 7),
                           units=r.resident_group_units, per=per, none=r.none_cells, thin=r.thin_cells,
                           weakest=t("text.gaps.resident_weakest", lang) if r.weakest else ""))
    return "\n".join(part for line in lines for part in wrap(line))
