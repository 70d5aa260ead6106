"""``tsunagari summary`` as text: counts by kind, sector, pillar and tie kind, and the districts."""

from __future__ import annotations

import pandas as pd

from tsunagari.analysis.summary import MunicipalitySummary
from tsunagari.graph.vocabulary import vocabulary

__all__ = ["format_summary"]


def _format_number(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def format_summary(summary: MunicipalitySummary, *, lang: str = "ja") -> str:
    """Plain-text rendering of ``summary`` for the terminal (``lang``: ``ja``, ``en`` or ``both``)."""
    en = lang == "en"
    m = summary.municipality
    lines = [f"{m.get('name_en') if en and m.get('name_en') else m.get('name')} ({m.get('code')})"
             + (f"  {m.get('prefecture')}" if m.get("prefecture") else "")]
    if m.get("population"):
        lines.append(("Population" if en else "人口") + f": {_format_number(m['population'])}"
                     + (f" ({m['as_of']})" if m.get("as_of") else ""))

    def section(title_ja: str, title_en: str, frame: pd.DataFrame, key: str, vocab: str | None) -> None:
        lines.append("")
        lines.append(title_en if en else title_ja)
        for row in frame.itertuples(index=False):
            label = getattr(row, key)
            if vocab and label is not None:
                label = vocabulary(vocab).translate(label, "en") if en else (
                    vocabulary(vocab).by_code(label).ja if vocab in ("node_kinds", "tie_kinds") else label)
            lines.append(f"  {label or '—'}: {row.count}")

    section("種類別", "By kind", summary.kinds[["kind", "count"]], "kind", "node_kinds")
    section("機関の分野別", "Agencies by sector", summary.sectors, "sector", "sectors")
    section("事業区分別", "Programs by pillar", summary.pillars, "pillar", "pillars")
    section("関係の種類別", "Ties by kind", summary.ties, "kind", "tie_kinds")
    lines.append("")
    lines.append("Districts" if en else "圏域・地区")
    for row in summary.districts.itertuples(index=False):
        layer = vocabulary("layers").translate(row.layer, "en") if en else row.layer
        lines.append(
            f"  {row.name} [{layer}]  " + ("pop." if en else "人口") + f" {_format_number(row.population)}  "
            + ("households" if en else "世帯") + f" {_format_number(row.households)}  "
            + ("association rate" if en else "町会加入率") + f" {_format_number(row.association_rate)}"
            + ("%" if row.association_rate is not pd.NA and row.association_rate == row.association_rate else "")
            + ("  resources " if en else "  資源 ") + f"{row.resources}")
    return "\n".join(lines)
