"""``tsunagari gaps`` as a planner reads it: the coverage grid per district, unaddressed needs,
council silos, absent sectors and the residents' base."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from tsunagari.analysis.results import GapsResult
from tsunagari.dashboards.base_text import base_lines
from tsunagari.dashboards.i18n import na_reason_text
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
    en = lang == "en"
    m = graph.graph
    lines = [f"{m.get('name_en') if en and m.get('name_en') else m.get('name')} ({m.get('code')})",
             "Coverage by district (pillar × domain)" if en else "圏域・地区ごとのカバー状況（事業区分 × 分野）",
             ("legend: ◎ covered locally  ○ covered only city-wide  △ thin (one provider unit)  × none" if en else
              "凡例: ◎ 2以上（うち地区内に1以上）  ○ 2以上だが市全域の資源のみ  △ 1つだけ（単一障害点）  × なし")]
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
            head += ("  association rate " if en else "  町会加入率 ") + (
                "NA" if rate is pd.NA else f"{rate:.1f}%") + (" (weakest)" if en and r["weakest"] else
                                                           " (最も低い)" if r["weakest"] else "")
        lines += ["", head]
        domains = list(dict.fromkeys(part["domain"]))
        vocab_of = {d: ("domains" if t == "domain" else "needs" if t == "need" else None)
                    for d, t in zip(part["domain"], part["domain_type"])}
        headers = [label(d, vocab_of[d], en) for d in domains]
        widths = [max(display_width(h), 2) for h in headers]
        pillar_width = max(display_width(label(p, "pillars", en)) for p in part["pillar"]) + 2
        lines.append(pad("", pillar_width) + " ".join(pad(h, w) for h, w in zip(headers, widths)))
        for pillar, rows in part.groupby("pillar", sort=False):
            cells = {r.domain: _symbol(r) for r in rows.itertuples(index=False)}
            lines.append(pad(label(pillar, "pillars", en), pillar_width)
                         + " ".join(pad(cells[d], w) for d, w in zip(domains, widths)))
    needs = gaps.needs
    lines += ["", "Needs between systems addressed by no program, agency, council or residents' group" if en else
              "どの事業・機関・会議体・住民組織も対応していない制度の狭間のニーズ"]
    unaddressed = needs[needs["status"] == "unaddressed"]
    lines += [f"  {r.need_en if en else r.need}" for r in unaddressed.itertuples(index=False)] or [
        "  (none)" if en else "  （なし）"]
    not_recorded = needs[needs["status"] == "not_recorded"]
    if len(not_recorded):
        lines.append(("  not recorded in the data: " if en else "  データに記載のないニーズ: ")
                     + ", ".join(not_recorded["need_en" if en else "need"]))
    councils = gaps.councils
    lines += ["", "Councils with no member from outside welfare" if en else "福祉分野以外の構成員がいない会議体"]
    silos = councils[councils["status"] == "silo"]
    lines += [f"  {r.council} ({label(r.level, 'council_levels', en)}, {r.members}"
              + (" members)" if en else "構成員)") for r in silos.itertuples(index=False)] or [
        "  (none)" if en else "  （なし）"]
    unknown = councils[councils["status"] == "no_members"]
    if len(unknown):
        lines.append(("  no members listed: " if en else "  構成員の記載なし: ") + ", ".join(unknown["council"]))
    sectors = gaps.sectors
    lines += ["", "Sectors outside welfare on no council" if en else "どの会議体にも参加していない福祉以外の分野"]
    for status, title_en, title_ja in (("not_on_any_council", "in the data but on no council",
                                        "データにあるが会議体に不参加"),
                                       ("absent_from_data", "absent from the data", "データにない")):
        part = sectors[sectors["status"] == status]
        if len(part):
            lines.append(f"  {title_en if en else title_ja}: " + ", ".join(part["sector_en" if en else "sector"]))
    if residents is not None:
        lines += ["", "Residents' base (weakest first)" if en else "住民の基盤（弱い順）"]
        for r in gaps.residents.itertuples(index=False):
            rate = "NA" if r.association_rate is pd.NA else f"{r.association_rate:.1f}%"
            lines.append(f"  {pad(str(r.district), 14)} " + ("association " if en else "町会加入率 ") + pad(rate, 7)
                         + (" groups " if en else " 住民組織 ") + f"{r.resident_group_units}"
                         + (f" ({number(r.groups_per_10k)}/10k)" if r.groups_per_10k is not pd.NA else
                            f" ({na_reason_text(r.na_reason, lang)})")
                         + ("  none " if en else "  なし ") + f"{r.none_cells}"
                         + ("  thin " if en else "  単一 ") + f"{r.thin_cells}"
                         + ("  ← weakest" if en and r.weakest else "  ← 最も低い" if r.weakest else ""))
    return "\n".join(lines)
