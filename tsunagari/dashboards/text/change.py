"""``tsunagari diff`` as text: what changed in a municipality between two fiscal years."""

from __future__ import annotations

import pandas as pd

from tsunagari.analysis.results import ChangeResult
from tsunagari.dashboards.i18n import index_label, kind_label, t, term, tie_label
from tsunagari.dashboards.text.common import label, number, pad
from tsunagari.graph.fiscal_year import format_fiscal_year

__all__ = ["format_change", "display_tables", "LEVEL_SYMBOLS", "level_symbol", "year_of"]

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
        # ties are matched by their role too: a 委員 who became 座長 is a removed and an added tie, told apart here
        role_term = term("roles", r.role, lang)
        role = "" if role_term == "—" else "  " + t("text.change.role", lang, role=role_term)
        lines.append(f"  {t(f'change.{r.change}', lang)}  {tie_label(r.kind, lang)}  "
                     f"{_name(r.from_name, r.from_id)} → {_name(r.to_name, r.to_id)}{role}{weight}")
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


def display_tables(result: ChangeResult, lang: str) -> dict[str, pd.DataFrame]:
    """The change tables as shown: codes as words in ``lang``, the columns a reader needs (raw names).

    The downloads keep the full frames of :class:`~tsunagari.analysis.results.ChangeResult`.
    """
    from tsunagari.dashboards.table_labels import yes_no

    def words(codes: pd.Series) -> list[str]:
        return [t(f"change.{c}", lang) for c in codes]

    actors = result.actors.copy()
    actors["change"] = words(actors["change"])
    actors["kind"] = [kind_label(k, lang) for k in actors["kind"]]
    ties = result.ties.copy()
    ties["change"] = words(ties["change"])
    ties["kind"] = [tie_label(k, lang) for k in ties["kind"]]
    ties["role"] = [term("roles", r, lang) for r in ties["role"]]
    coverage = result.coverage.copy()
    coverage["change"] = words(coverage["change"])
    coverage["pillar"] = [term("pillars", p, lang) for p in coverage["pillar"]]
    coverage["domain"] = [term("domains", d, lang) if kind == "domain" else ("Any" if lang == "en" and d == "全体" else d)
                          for d, kind in zip(coverage["domain"], coverage["domain_type"])]
    coverage["level_before"] = [level_symbol(lv, n) for lv, n in zip(coverage["level_before"],
                                                                      coverage["local_providers_before"])]
    coverage["level_after"] = [level_symbol(lv, n) for lv, n in zip(coverage["level_after"],
                                                                     coverage["local_providers_after"])]
    brokers = result.brokers.copy()
    brokers["change"] = words(brokers["change"])
    loss = result.loss.copy()
    loss["change"] = words(loss["change"])
    for when in ("before", "after"):
        loss[f"cutpoint_{when}"] = [yes_no(v, lang) for v in loss[f"cutpoint_{when}"]]
    inequality = result.inequality.copy()
    inequality["index"] = [index_label(i, lang) for i in inequality["index"]]
    for when in ("before", "after"):
        inequality[f"insufficient_base_{when}"] = [yes_no(v, lang) for v in inequality[f"insufficient_base_{when}"]]
    return {
        "actors": actors[["change", "kind", "name", "id", "sector"]],
        "ties": ties[["change", "kind", "from_name", "to_name", "role", "weight_before", "weight_after"]],
        "coverage": coverage[["change", "district", "pillar", "domain", "level_before", "level_after",
                              "providers_before", "providers_after"]],
        "brokers": brokers[["change", "name", "rank_before", "rank_after", "rank_change", "betweenness_before",
                            "betweenness_after"]],
        "loss": loss[["change", "name", "cutpoint_before", "cutpoint_after", "pairs_lost_before", "pairs_lost_after",
                      "pairs_lost_share_before", "pairs_lost_share_after"]],
        "inequality": inequality[["index", "value_before", "value_after", "change", "insufficient_base_before",
                                  "insufficient_base_after"]],
        "districts": result.districts[["district", "units_before", "units_after", "value_before", "value_after",
                                       "change"]],
    }
