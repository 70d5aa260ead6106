"""``tsunagari summary`` as text: counts by kind, sector, pillar and tie kind, and the districts."""

from __future__ import annotations

import pandas as pd

from tsunagari.analysis.summary import MunicipalitySummary
from tsunagari.dashboards.i18n import kind_label, t, term, tie_label
from tsunagari.graph.fiscal_year import format_fiscal_year

__all__ = ["format_summary"]


def _format_number(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def format_summary(summary: MunicipalitySummary, *, lang: str = "ja") -> str:
    """Plain-text rendering of ``summary`` for the terminal (``lang``: ``ja`` or ``en``)."""
    m = summary.municipality
    name = m.get("name_en") if lang == "en" and m.get("name_en") else m.get("name")
    lines = [f"{name} ({m.get('code')})" + (f"  {m.get('prefecture')}" if m.get("prefecture") else "")
             + (f"  {format_fiscal_year(int(m['fiscal_year']), lang)}" if m.get("fiscal_year") is not None else "")]
    if m.get("population"):
        lines.append(t("text.population", lang) + f": {_format_number(m['population'])}"
                     + (f" ({m['as_of']})" if m.get("as_of") else ""))

    def section(title: str, frame: pd.DataFrame, key: str, vocab: str) -> None:
        lines.append("")
        lines.append(t(title, lang))
        for row in frame.itertuples(index=False):
            value = getattr(row, key)
            if value is not None:
                value = (kind_label(value, lang) if vocab == "node_kinds" else tie_label(value, lang)
                         if vocab == "tie_kinds" else term(vocab, value, lang))
            lines.append(f"  {value or '—'}: {row.count}")

    section("text.summary.by_kind", summary.kinds[["kind", "count"]], "kind", "node_kinds")
    section("text.summary.by_sector", summary.sectors, "sector", "sectors")
    section("text.summary.by_pillar", summary.pillars, "pillar", "pillars")
    section("text.summary.by_tie", summary.ties, "kind", "tie_kinds")
    lines.append("")
    lines.append(t("text.summary.districts", lang))
    for row in summary.districts.itertuples(index=False):
        rate = _format_number(row.association_rate)
        has_rate = row.association_rate is not pd.NA and row.association_rate == row.association_rate
        lines.append(t("text.summary.district_line", lang, name=row.name, layer=term("layers", row.layer, lang),
                       tier=term("tiers", row.tier, lang) if row.tier else "",
                       population=_format_number(row.population), households=_format_number(row.households),
                       rate=rate + ("%" if has_rate else ""), resources=row.resources))
    return "\n".join(lines)
