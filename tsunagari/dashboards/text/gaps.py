"""``tsunagari gaps`` as a planner reads it: the coverage grid per district, unaddressed needs,
council silos, absent sectors and the residents' base."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from tsunagari.analysis.results import GapsResult
from tsunagari.dashboards.base_text import base_lines
from tsunagari.dashboards.i18n import na_reason_text, t
from tsunagari.dashboards.text.common import display_width, label, number, pad

__all__ = ["format_gaps"]

# Cell symbols of the table view: covered with a local provider, covered only city-wide, thin, none.
_SYMBOLS = {"local": "◎", "city": "○", "thin": "△", "none": "×"}


def _symbol(row) -> str:
    if row.level == "none":
        return _SYMBOLS["none"]
    if row.level == "thin":
        return _SYMBOLS["thin"]
    return _SYMBOLS["city"] if row.city_only else _SYMBOLS["local"]


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
    for district_id, part in cube.groupby("district_id", sort=False):
        first = part.iloc[0]
        head = f"[{first['district']}] {label(first['layer'], 'layers', en)}"
        if residents is not None and district_id in residents.index:
            r = residents.loc[district_id]
            rate = r["association_rate"]
            head += t("text.gaps.association", lang, rate="NA" if rate is pd.NA else f"{rate:.1f}%")
            head += t("text.gaps.weakest", lang) if r["weakest"] else ""
        lines += ["", head]
        domains = list(dict.fromkeys(part["domain"]))
        vocab_of = {d: ("domains" if kind == "domain" else "needs" if kind == "need" else None)
                    for d, kind in zip(part["domain"], part["domain_type"])}
        headers = [label(d, vocab_of[d], en) for d in domains]
        widths = [max(display_width(h), 2) for h in headers]
        pillar_width = max(display_width(label(p, "pillars", en)) for p in part["pillar"]) + 2
        lines.append(pad("", pillar_width) + " ".join(pad(h, w) for h, w in zip(headers, widths)))
        for pillar, rows in part.groupby("pillar", sort=False):
            cells = {r.domain: _symbol(r) for r in rows.itertuples(index=False)}
            lines.append(pad(label(pillar, "pillars", en), pillar_width)
                         + " ".join(pad(cells[d], w) for d, w in zip(domains, widths)))
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
    return "\n".join(lines)
