"""``tsunagari inequality`` as text: resources per district and the inequality indices between them."""

from __future__ import annotations

from tsunagari.analysis.coverage import PER_UNITS
from tsunagari.analysis.results import InequalityResult
from tsunagari.dashboards.base_text import base_lines
from tsunagari.dashboards.i18n import denominator_label, index_label, na_reason_text, t
from tsunagari.dashboards.text.common import number, pad

__all__ = ["format_inequality"]


def format_inequality(result: InequalityResult, *, per: str | None, lang: str = "ja") -> str:
    """Plain-text rendering of :func:`~tsunagari.analysis.inequality.district_inequality` (``lang``: ``ja`` or ``en``)."""
    districts = result.districts
    if per is None:
        unit = t("text.inequality.units", lang)
    else:
        scale = PER_UNITS[per][0]
        unit = t("text.inequality.per", lang, base=denominator_label(per, lang),
                 scale=t(f"text.inequality.scale.{scale}", lang))
    lines = [t("text.inequality.title", lang, unit=unit)]
    for name, part in districts.groupby("municipality_name", sort=False):
        lines += ["", str(name)]
        for r in part.itertuples(index=False):
            reason = na_reason_text(getattr(r, f"na_reason_{per}"), lang) if per else ""
            units = getattr(r, f"units_{per}") if per else r.units  # the units this rate counts
            denominator = f"{denominator_label(per, lang)} {number(getattr(r, per))}  " if per else ""
            value = number(r.value, 2) if r.included else f"NA ({reason})"
            lines.append(t("text.inequality.district_line", lang, district=pad(str(r.district), 14),
                           units=f"{units:>4}", denominator=denominator, value=value))
    lines += ["", t("text.inequality.between", lang)]
    bases = result.base.set_index("scope") if len(result.base) else None
    for scope, part in result.indices.groupby("scope", sort=False):
        first = part.iloc[0]
        lines.append(f"  {first['municipality_name']}: n = {first['n']}"
                     + (t("text.inequality.missing", lang, n=first["n_missing"]) if first["n_missing"] else ""))
        if bases is not None and scope in bases.index:
            lines += [f"    {line}" for line in base_lines(bases.loc[scope], lang)]
        for r in part.itertuples(index=False):
            lines.append(f"    {pad(index_label(r.index, lang), 26)} "
                         f"{number(r.value, 3) if r.value == r.value else 'NA'}"
                         + (f"  ({na_reason_text(r.na_reason, lang)})" if r.na_reason else ""))
    theil = result.theil
    if len(theil):
        total = theil.iloc[-1]
        lines += ["", t("text.inequality.theil", lang),
                  f"  between {number(total['between'], 4)}  within {number(total['within'], 4)}  "
                  f"total {number(total['theil_t'], 4)}"]
    return "\n".join(lines)
