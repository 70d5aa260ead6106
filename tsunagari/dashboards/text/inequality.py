"""``tsunagari inequality`` as text: resources per district and the inequality indices between them."""

from __future__ import annotations

from tsunagari.analysis.coverage import PER_UNITS
from tsunagari.analysis.results import InequalityResult
from tsunagari.dashboards.base_text import base_lines
from tsunagari.dashboards.i18n import denominator_label, index_label, na_reason_text
from tsunagari.dashboards.text.common import number, pad

__all__ = ["format_inequality"]


def format_inequality(result: InequalityResult, *, per: str | None, lang: str = "ja") -> str:
    """Plain-text rendering of :func:`~tsunagari.analysis.inequality.district_inequality` (``lang``: ``ja`` or ``en``)."""
    en = lang == "en"
    districts = result.districts
    if per is None:
        unit = "units" if en else "実数"
    else:
        scale = PER_UNITS[per][0]
        unit = (f"per {scale:,} {denominator_label(per, 'en')}" if en
                else f"{denominator_label(per, 'ja')}{'1万' if scale == 10_000 else f'{scale:,}'}人あたり")
    lines = [f"Local resource units by district ({unit})" if en else f"圏域・地区ごとの資源数（地区内）（{unit}）"]
    for name, part in districts.groupby("municipality_name", sort=False):
        lines += ["", str(name)]
        for r in part.itertuples(index=False):
            reason = na_reason_text(getattr(r, f"na_reason_{per}"), lang) if per else ""
            denominator = getattr(r, per) if per else None
            units = getattr(r, f"units_{per}") if per else r.units  # the units this rate counts
            lines.append(f"  {pad(str(r.district), 14)} " + ("units " if en else "資源 ") + f"{units:>4}  "
                         + (f"{denominator_label(per, lang)} {number(denominator)}  " if per else "")
                         + ("value " if en else "値 ") + (number(r.value, 2) if r.included else f"NA ({reason})"))
    lines += ["", "Inequality between districts" if en else "地区間の格差"]
    bases = result.base.set_index("scope") if len(result.base) else None
    for scope, part in result.indices.groupby("scope", sort=False):
        first = part.iloc[0]
        lines.append(f"  {first['municipality_name']}: n = {first['n']}"
                     + (f", {first['n_missing']} " + ("without denominator" if en else "地区は分母なし")
                        if first["n_missing"] else ""))
        if bases is not None and scope in bases.index:
            lines += [f"    {line}" for line in base_lines(bases.loc[scope], lang)]
        for r in part.itertuples(index=False):
            lines.append(f"    {pad(index_label(r.index, lang), 26)} "
                         f"{number(r.value, 3) if r.value == r.value else 'NA'}"
                         + (f"  ({na_reason_text(r.na_reason, lang)})" if r.na_reason else ""))
    theil = result.theil
    if len(theil):
        total = theil.iloc[-1]
        lines += ["", ("Theil T decomposition by municipality" if en else "Theil T の分解（市町村間・市町村内）"),
                  f"  between {number(total['between'], 4)}  within {number(total['within'], 4)}  "
                  f"total {number(total['theil_t'], 4)}"]
    return "\n".join(lines)
