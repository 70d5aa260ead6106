"""``tsunagari diff`` as text: what changed in a municipality between two fiscal years."""

from __future__ import annotations

import pandas as pd

from tsunagari.analysis.results import ChangeResult
from tsunagari.dashboards.i18n import index_label, kind_label, t, tie_label
from tsunagari.dashboards.text.common import label, number, pad
from tsunagari.graph.fiscal_year import format_fiscal_year

__all__ = ["format_change", "LEVEL_SYMBOLS", "level_symbol", "year_of"]

LEVEL_SYMBOLS = {"none": "×", "thin": "△", "covered": "○"}
"""Coverage levels as the gaps grid shows them (``covered`` with a local provider: ◎, :func:`level_symbol`)."""


def level_symbol(level: str, local_providers: int) -> str:
    """× / △ / ○ / ◎ of a coverage level, ◎ when covered with at least one local provider (as ``tsunagari gaps``).

    >>> level_symbol("covered", 1), level_symbol("covered", 0), level_symbol("thin", 1)
    ('◎', '○', '△')
    """
    return "◎" if level == "covered" and local_providers > 0 else LEVEL_SYMBOLS[level]


def year_of(value: object) -> int | None:
    """A fiscal-year cell (``Int64``, NA = year unknown) as ``int`` or ``None``."""
    return None if value is None or value is pd.NA else int(value)  # type: ignore[call-overload]


def _name(value: object, node_id: object) -> str:
    return f"{value}（{node_id}）" if value is not None and value is not pd.NA else str(node_id)


def format_change(result: ChangeResult, *, lang: str = "ja") -> str:
    """Plain-text rendering of :func:`~tsunagari.analysis.change.municipality_change` (``lang``: ``ja`` or ``en``)."""
    en = lang == "en"
    about = result.about.iloc[0]
    before = format_fiscal_year(year_of(about["fiscal_year_before"]), lang)
    after = format_fiscal_year(year_of(about["fiscal_year_after"]), lang)
    lines = [t("text.change.title", lang, name=about["name"], code=about["municipality"], before=before, after=after)]
    counts = dict(zip(result.summary["item"], result.summary["count"]))
    lines += ["", t("text.change.summary", lang)]
    for item, count in counts.items():
        lines.append(f"  {pad(t(f'change.item.{item}', lang), 34)} {count}")

    lines += ["", t("text.change.actors", lang)]
    for r in result.actors.itertuples(index=False):
        lines.append(f"  {t(f'change.{r.change}', lang)}  {kind_label(r.kind, lang)}  {_name(r.name, r.id)}")
    if not len(result.actors):
        lines.append("  " + t("text.change.none", lang))

    lines += ["", t("text.change.ties", lang)]
    for r in result.ties.itertuples(index=False):
        weight = (f"  {number(r.weight_before, 1)} → {number(r.weight_after, 1)}" if r.change == "reweighted" else "")
        lines.append(f"  {t(f'change.{r.change}', lang)}  {tie_label(r.kind, lang)}  "
                     f"{_name(r.from_name, r.from_id)} → {_name(r.to_name, r.to_id)}{weight}")
    if not len(result.ties):
        lines.append("  " + t("text.change.none", lang))

    lines += ["", t("text.change.coverage", lang)]
    for r in result.coverage.itertuples(index=False):
        lines.append(f"  {t(f'change.{r.change}', lang)}  {r.district} × {label(r.pillar, 'pillars', en)} × "
                     f"{label(r.domain, 'domains' if r.domain_type == 'domain' else None, en)}  "
                     f"{level_symbol(r.level_before, r.local_providers_before)}{r.providers_before} → "
                     f"{level_symbol(r.level_after, r.local_providers_after)}{r.providers_after}")
    if not len(result.coverage):
        lines.append("  " + t("text.change.none", lang))

    lines += ["", t("text.change.brokers", lang)]
    for r in result.brokers.itertuples(index=False):
        ranks = f"{number(r.rank_before)} → {number(r.rank_after)}".replace("NA", "—")
        lines.append(f"  {t(f'change.{r.change}', lang)}  {_name(r.name, r.id)}  {t('text.change.rank', lang)} "
                     f"{ranks}  ({number(r.betweenness_before, 3)} → {number(r.betweenness_after, 3)})")
    if not len(result.brokers):
        lines.append("  " + t("text.change.none", lang))

    lines += ["", t("text.change.loss", lang)]
    for r in result.loss.itertuples(index=False):
        lines.append(f"  {t(f'change.{r.change}', lang)}  {_name(r.name, r.id)}  "
                     + t("text.change.loss_line", lang, before=r.pairs_lost_before, after=r.pairs_lost_after,
                         share_before=number(r.pairs_lost_share_before, 3),
                         share_after=number(r.pairs_lost_share_after, 3)))
    if not len(result.loss):
        lines.append("  " + t("text.change.none", lang))

    lines += ["", t("text.change.inequality", lang)]
    for r in result.inequality.itertuples(index=False):
        flags = "".join(t("text.change.insufficient", lang) if flag else ""
                        for flag in (r.insufficient_base_before or r.insufficient_base_after,))
        lines.append(f"  {pad(index_label(r.index, lang), 26)} {number(r.value_before, 3)} → "
                     f"{number(r.value_after, 3)}  ({'+' if (r.change or 0) > 0 else ''}{number(r.change, 3)}){flags}")
    for r in result.districts.itertuples(index=False):
        if r.change is not pd.NA and r.change != 0:
            lines.append(f"    {pad(str(r.district), 14)} {number(r.value_before, 2)} → {number(r.value_after, 2)}")
    return "\n".join(lines)
