"""One printable, self-contained HTML report of a municipality for 会議資料 (council meeting papers).

:func:`build_report` computes each analysis once — :func:`~tsunagari.analysis.summary.summarize`,
:func:`~tsunagari.analysis.gaps.coverage_gaps`, :func:`~tsunagari.analysis.metrics.compute_metrics`
and :func:`~tsunagari.analysis.inequality.district_inequality` — and shows their frames as tables
and charts: the same figures as ``tsunagari summary``, ``gaps``, ``metrics``, ``inequality`` and the
dashboard, with the dashboard's labels (:mod:`tsunagari.dashboards.i18n`,
:mod:`tsunagari.dashboards.table_labels`) and its reader's view of the coverage tables
(:mod:`tsunagari.dashboards.reader_frames`). No measure is computed here.

The page loads nothing: CSS is inline, charts are PNG ``data:`` URIs drawn by
:mod:`tsunagari.dashboards.static_export` (Japanese font embedded), and a Content-Security-Policy
forbids scripts and remote resources. Every text taken from the data is HTML-escaped.
``@page { size: A4 }`` and page breaks before each section make it print as a paper.
"""

from __future__ import annotations

from typing import Any

import base64
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone

import networkx as nx
import pandas as pd
from matplotlib.figure import Figure

from tsunagari.version import __version__
from tsunagari.analysis import shared_tables
from tsunagari.analysis.coverage import ANY_DOMAIN, gap_cells
from tsunagari.analysis.gaps import coverage_gaps
from tsunagari.analysis.results import ChangeResult, GapsResult, InequalityResult
from tsunagari.analysis.inequality import district_inequality, rate_column
from tsunagari.analysis.metrics import MetricsResult, compute_metrics
from tsunagari.analysis.summary import MunicipalitySummary, summarize
from tsunagari.dashboards.i18n import STRINGS, format_number, format_percent, kind_label, t, term, tie_label
from tsunagari.dashboards.reader_frames import (councils_for_reader, join_texts, needs_for_reader,
                                                residents_for_reader, sectors_for_reader)
from tsunagari.dashboards.citations import citation, document_titles
from tsunagari.dashboards.beside import Beside
from tsunagari.dashboards.district_map import gap_map, rate_map
from tsunagari.dashboards.measure_help import section_measures
from tsunagari.dashboards.static_export import bar_figure, figure_bytes, heatmap_figure, lorenz_figure, network_figure
from tsunagari.dashboards.base_text import base_lines
from tsunagari.dashboards.i18n import index_label
from tsunagari.dashboards.table_labels import label_columns, reason_texts, yes_no
from tsunagari.dashboards.coverage_cells import gap_counts, level_symbols, level_texts
from tsunagari.graph.fiscal_year import format_fiscal_year
from tsunagari.graph.vocabulary import vocabulary

__all__ = ["build_report", "REFERENCES", "TOP", "RANKING_COLUMNS", "LOSS_COLUMNS", "NETWORK_CARDS"]

TOP = 10
"""Rows of the betweenness and loss-impact rankings (as ``tsunagari metrics --top``)."""
RANKING_COLUMNS = ("betweenness_rank", "name", "sector", "betweenness", "brokerage_cross_group", "brokerage_rank",
                   "pairs_lost_share", "loss_rank")
"""Columns of the paper's ranking of bridging actors."""
LOSS_COLUMNS = ("loss_rank", "name", "sector", "pairs_lost", "pairs_lost_share", "isolated_after", "components_after",
                "cutpoint")
"""Columns of the paper's loss-impact table."""
NETWORK_CARDS = ("nodes", "ties", "components", "isolates", "largest_component_share", "cutpoints", "bridges",
                 "communities_of_two_or_more", "ei_index", "density")
"""Whole-network measures on the paper's cards (the order of ``_bridging``)."""

REFERENCES: tuple[str, ...] = (
    # As in docs/metrics.md (network measures) and tsunagari.analysis.inequality (indices).
    "Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of communities in "
    "large networks. *J. Stat. Mech.*, P10008.",
    "Borgatti, S. P. (2006). Identifying sets of key players in a social network. *Comput. Math. Organ. Theory*, "
    "12(1), 21–34.",
    "Brandes, U. (2001). A faster algorithm for betweenness centrality. *J. Math. Sociol.*, 25(2), 163–177.",
    "Freeman, L. C. (1977). A set of measures of centrality based on betweenness. *Sociometry*, 40(1), 35–41.",
    "Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Tipografia di Paolo Cuppini.",
    "Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A formal approach to brokerage in "
    "transaction networks. *Sociol. Methodol.*, 19, 89–126.",
    "Hopcroft, J., & Tarjan, R. (1973). Algorithm 447. *Commun. ACM*, 16(6), 372–378.",
    "Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises. *Soc. Psychol. Q.*, "
    "51(2), 123–140.",
    "Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. *Publications of the American "
    "Statistical Association*, 9(70), 209–219.",
    "Newman, M. E. J. (2001). Scientific collaboration networks. II. *Phys. Rev. E*, 64, 016132.",
    "Theil, H. (1967). *Economics and Information Theory*. Amsterdam: North-Holland.",
)
"""Sources of the measures shown, in the wording of ``docs/metrics.md`` (``*...*`` = italics)."""

_FONTS = ('"Hiragino Kaku Gothic ProN", "Hiragino Sans", "Yu Gothic", YuGothic, Meiryo, "Noto Sans CJK JP", '
          '"Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic", sans-serif')
_CSS = """
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
html { font-family: FONTS; font-size: 10.5pt; line-height: 1.55; color: #111; background: #fff; }
body { margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; line-height: 1.3; }
h2 { font-size: 14pt; border-bottom: 2px solid #0072B2; padding-bottom: 1mm; margin: 0 0 3mm; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
section.chapter { break-before: page; page-break-before: always; }
p { margin: 1.5mm 0; }
.subtitle { font-size: 12pt; margin: 0 0 5mm; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; font-size: 9pt; }
thead { display: table-header-group; }
tr, figure, .cards, .note, .legend { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #9aa3ab; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #e8eef3; font-weight: bold; }
td.short { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.meta th { width: 28%; }
.hash { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 8.5pt; word-break: break-all; }
table.matrix td { text-align: center; font-size: 11pt; }
td.lv-local { background: #d6eaf8; } td.lv-city { background: #eef3f7; }
td.lv-thin { background: #fde9c8; } td.lv-none { background: #f9d3c5; }
.cards { display: flex; flex-wrap: wrap; gap: 2mm; margin: 2mm 0 3mm; padding: 0; list-style: none; }
.cards li { border: 1px solid #9aa3ab; border-radius: 1.5mm; padding: 1.5mm 3mm; min-width: 30mm; }
.cards .label { display: block; font-size: 8.5pt; color: #333; }
.cards .value { display: block; font-size: 14pt; font-weight: bold; }
.note { background: #f1f5f9; border-left: 3px solid #0072B2; padding: 2mm 3mm; margin: 2mm 0 4mm; font-size: 9.5pt; }
.caution { background: #fff4e5; border-left: 3px solid #D55E00; padding: 2mm 3mm; margin: 2mm 0 4mm; font-size: 9.5pt; }
.base { font-size: 9pt; color: #333; margin: 1mm 0 3mm; }
.note strong { display: block; }
dl.measures { margin: 1.5mm 0 0; } dl.measures dt { font-weight: bold; margin-top: 1mm; }
dl.measures dd { margin: 0 0 0 4mm; }
.legend { margin: 1mm 0 3mm; padding-left: 5mm; font-size: 9pt; }
figure { margin: 2mm 0 4mm; text-align: center; }
figure img { max-width: 100%; height: auto; }
figure.bars img { max-width: 85%; }
figure.half img { max-width: 60%; }
figcaption { font-size: 9pt; color: #333; }
.muted { color: #555; font-size: 9pt; }
ol.refs { font-size: 9pt; padding-left: 6mm; }
nav ul { margin: 1mm 0 4mm; list-style: none; padding-left: 4mm; }
a { color: inherit; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print { .screen-only { display: none; } body { padding: 0; max-width: none; } }
""".replace("FONTS", _FONTS)
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
_SHORT = 6  # cells of at most this many characters are not wrapped (地区名, はい ...)
_LEVEL_CLASS = {"◎": "lv-local", "○": "lv-city", "△": "lv-thin", "×": "lv-none"}


# -- small HTML helpers (every value escaped) -------------------------------------------------------

def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _e(value: object) -> str:
    """Escaped text of ``value``; missing → ``—``."""
    return html.escape("—" if _missing(value) else str(value), quote=True)


def _rich(text: str) -> str:
    """Escaped ``text`` with ``*italics*`` and ```code``` of the fixed strings turned into tags."""
    out, code, italic = [], False, False
    for part in _split_marks(text):
        if part == "`":
            out.append("</code>" if code else "<code>")
            code = not code
        elif part == "*" and not code:
            out.append("</em>" if italic else "<em>")
            italic = not italic
        else:
            out.append(html.escape(part, quote=True))
    return "".join(out)


def _split_marks(text: str) -> list[str]:
    parts, current = [], ""
    for ch in text:
        if ch in "`*":
            parts += [current, ch] if current else [ch]
            current = ""
        else:
            current += ch
    return parts + ([current] if current else [])


def _table(frame: pd.DataFrame, lang: str, *, table_id: str, keys: Mapping[str, str] | None = None,
           digits: Mapping[str, int] | None = None, numeric: Iterable[str] = ()) -> str:
    """``frame`` as an HTML table with the dashboard's column labels.

    Columns in ``digits`` hold numbers, formatted here with that many decimals; they and the
    already formatted ``numeric`` columns (percentages) are right-aligned.
    """
    digits = dict(digits or {})
    if digits:
        frame = frame.assign(**{c: [format_number(v, lang, digits=d) for v in frame[c]] for c, d in digits.items()})
    shown = label_columns(frame, lang, keys=keys)
    right = {i for i, c in enumerate(frame.columns) if c in set(numeric) | set(digits)}
    head = "".join(f"<th scope=\"col\">{_e(h)}</th>" for h in shown.columns)
    rows = []
    for record in shown.itertuples(index=False):
        cells = "".join(f"<td class=\"num\">{_e(v)}</td>" if i in right else
                        f"<td class=\"short\">{_e(v)}</td>" if len(str(v)) <= _SHORT else f"<td>{_e(v)}</td>"
                        for i, v in enumerate(record))
        rows.append(f"<tr>{cells}</tr>")
    return (f"<table id=\"{_e(table_id)}\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _titled_table(title: str, frame: pd.DataFrame, lang: str, **table: Any) -> str:
    """An ``<h3>`` title and ``frame`` as a :func:`_table`, or a "none" line when it is empty."""
    body = f"<p>{_e(t('report.none', lang))}</p>" if frame.empty else _table(frame, lang, **table)
    return f"<h3>{_e(title)}</h3>{body}"


def _cards(items: Sequence[tuple[str, str]], *, card_id: str) -> str:
    cells = "".join(f"<li><span class=\"label\">{_e(label)}</span><span class=\"value\">{_e(value)}</span></li>"
                    for label, value in items)
    return f"<ul class=\"cards\" id=\"{_e(card_id)}\">{cells}</ul>"


def _note(key: str, lang: str, *, section: str | None = None, **values: object) -> str:
    """The 読み方 box: the section's note, then the entries of its measures (:mod:`~tsunagari.dashboards.measure_help`),
    the same entries the dashboard's page lists in its help."""
    entries = ""
    if section is not None:
        items = "".join(f"<dt>{_e(m.name(lang))}</dt><dd>{_e(m.text(lang))}</dd>" for m in section_measures(section))
        entries = f"<dl class=\"measures\" id=\"measures-{_e(section)}\">{items}</dl>"
    return (f"<div class=\"note\"><strong>{_e(t('report.how_to_read', lang))}</strong>"
            f"{_rich(t(key, lang, **values))}{entries}</div>")


def _plain(text: object) -> str:
    """Text for a matplotlib label: ``$`` escaped so a name is never read as mathtext."""
    return str(text).replace("$", r"\$")


def _figure(figure: Figure, *, alt: str, figure_id: str, size: str = "") -> str:
    data = base64.b64encode(figure_bytes(figure, "png", dpi=170)).decode("ascii")
    cls = f" class=\"{size}\"" if size else ""
    return (f"<figure{cls} id=\"{_e(figure_id)}\"><img src=\"data:image/png;base64,{data}\" alt=\"{_e(alt)}\">"
            f"<figcaption>{_e(alt)}</figcaption></figure>")


# -- sections ------------------------------------------------------------------------------------------

def _municipality_name(manifest: Mapping[str, object], lang: str) -> str:
    name = manifest.get("name_en") if lang == "en" and manifest.get("name_en") else manifest.get("name")
    return str(name or manifest.get("code") or "")


_JST = timezone(timedelta(hours=9), "JST")  # Japan has one time zone and no summer time


def jst_date(moment: datetime, lang: str = "ja") -> str:
    """``moment`` as the date and time in Japan, as a council member reads it.

    Examples
    --------
    >>> moment = datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)
    >>> jst_date(moment), jst_date(moment, "en")
    ('2026年12月2日 8:30（日本時間）', '2 December 2026, 08:30 JST')
    """
    local = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(_JST)
    if lang == "en":
        return f"{local.day} {local:%B %Y, %H:%M} JST"
    return f"{local.year}年{local.month}月{local.day}日 {local.hour}:{local:%M}（日本時間）"


def _network_map(graph: nx.MultiDiGraph, result: MetricsResult, lang: str,
                 positions: Mapping[str, tuple[float, float]] | None = None) -> str:
    """The network map as a figure: the whole municipality, the 40 most central actors named."""
    from tsunagari.dashboards.network_map import layout_positions, map_nodes

    shown = map_nodes(graph)
    sizes = dict(zip(result.nodes["uid"], result.nodes["betweenness"])) if "uid" in result.nodes else None
    figure = network_figure(shown, positions=positions if positions is not None else layout_positions(shown),
                            lang=lang, sizes=sizes, label_limit=40)
    return _figure(figure, alt=t("report.network_map", lang), figure_id="figure-network-map")


def _summary_page(gaps: GapsResult, result: MetricsResult, lang: str) -> str:
    """The first page: the key gaps, the key brokers and what breaks if one is lost, in a few lines."""
    cube = gaps.cube
    items: list[str] = []
    if len(cube):
        whole = cube[cube["domain"] == "全体"]
        districts = cube["district_id"].nunique()
        none = whole[whole["level"] == "none"]
        thin = whole[whole["level"] == "thin"]
        items.append(t("report.summary.gaps", lang, districts=districts, none=len(none), thin=len(thin),
                       cells=len(whole)))
        worst = (cube[cube["level"] == "none"].groupby("pillar").size().sort_values(ascending=False))
        if len(worst):
            items.append(t("report.summary.worst_pillar", lang, pillar=term("pillars", str(worst.index[0]), lang),
                           cells=int(worst.iloc[0])))
    unaddressed = gaps.needs[gaps.needs["status"] == "unaddressed"] if len(gaps.needs) else gaps.needs
    field = "need_en" if lang == "en" else "need"
    items.append(t("report.summary.needs", lang, n=len(unaddressed),
                   names=join_texts((str(v) for v in unaddressed[field]), lang) if len(unaddressed) else
                   t("report.nothing", lang)))
    nodes = result.nodes
    if not nodes.empty:
        top = nodes.sort_values("betweenness_rank").head(3)
        items.append(t("report.summary.brokers", lang, names=join_texts(_actor_names(top, lang), lang)))
        loss = nodes.sort_values("loss_rank").iloc[0]
        if float(loss["pairs_lost_share"]) > 0:
            items.append(t("report.summary.loss", lang, name=_actor_names(nodes.loc[[loss.name]], lang)[0],
                           share=format_percent(100 * float(loss["pairs_lost_share"]), lang)))
    if len(gaps.base) and bool(gaps.base.iloc[0].get("insufficient", False)):
        items.append(t("report.summary.base", lang))
    body = "".join(f"<li>{_e(item)}</li>" for item in items)
    return (f"<section class=\"chapter summary\" id=\"sec-summary\"><h2>{_e(t('report.section.summary', lang))}</h2>"
            f"<ul id=\"list-summary\">{body}</ul></section>")


def _cover(manifest: Mapping[str, object], lang: str, generated: datetime, *, with_change: bool = False) -> str:
    name = _municipality_name(manifest, lang)
    rows = [(t("app.municipality", lang), f"{name}（{manifest.get('code')}）" if lang == "ja"
             else f"{name} ({manifest.get('code')})")]
    year = manifest.get("fiscal_year")
    rows.append((t("manifest.fiscal_year", lang), format_fiscal_year(None if _missing(year) else int(year), lang)))  # type: ignore[call-overload]
    for field in ("prefecture", "population", "households", "as_of", "source", "note"):
        value = manifest.get(field)
        if _missing(value) or value == "":
            continue
        if field == "source":  # the document's title and the place in it, not its file name
            value = citation(value, document_titles(manifest.get("documents")), lang)
        rows.append((t(f"manifest.{field}", lang),
                     format_number(value, lang) if field in ("population", "households") else str(value)))
    body = "".join(f"<tr><th scope=\"row\">{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    body += (f"<tr><th scope=\"row\">{_e(t('report.generated', lang))}</th>"
             f"<td id=\"generated\">{_e(jst_date(generated, lang))}</td></tr>")
    sections = [("sec-summary", "report.section.summary"), ("sec-overview", "report.section.overview"), ("sec-coverage", "report.section.coverage"),
                ("sec-bridging", "report.section.bridging"), ("sec-inequality", "report.section.inequality"),
                *([("sec-change", "report.section.change")] if with_change else []),
                ("sec-about", "report.section.about")]
    # Numbered as the chapters' own headings (the summary has no number), not by the list's counter.
    toc = "".join(f"<li><a href=\"#{anchor}\">{f'{number}. ' if number else ''}{_e(t(key, lang))}</a></li>"
                  for number, (anchor, key) in enumerate(sections))
    return (f"<header><h1>{_e(name)} — {_e(t('report.title', lang))}</h1>"
            f"<p class=\"subtitle\">{_e(t('report.subtitle', lang))}</p>"
            f"<table class=\"meta\" id=\"table-meta\"><tbody>{body}</tbody></table>"
            f"<nav><h3>{_e(t('report.contents', lang))}</h3><ul id=\"list-contents\">{toc}</ul></nav>"
            f"<p class=\"muted screen-only\">{_e(t('report.print_hint', lang))}</p></header>")


def _overview(summary: MunicipalitySummary, lang: str) -> str:
    m = summary.municipality
    counts = dict(zip(summary.kinds["kind"], summary.kinds["count"]))
    cards = [("overview.population", m.get("population")), ("overview.actors", counts.get("Agency", 0)),
             ("overview.councils", counts.get("Council", 0)), ("overview.programs", counts.get("Program", 0)),
             ("overview.districts", counts.get("District", 0)),
             ("overview.resident_groups", counts.get("ResidentGroup", 0)), ("overview.needs", counts.get("Need", 0))]
    parts = [f"<section class=\"chapter\" id=\"sec-overview\"><h2>1. {_e(t('report.section.overview', lang))}</h2>",
             _note("report.note.overview", lang),
             _cards([(t(key, lang), format_number(value, lang)) for key, value in cards], card_id="cards-overview")]
    kinds = pd.DataFrame({"kind": [kind_label(k, lang) for k in summary.kinds["kind"]],
                          "count": summary.kinds["count"]})
    parts += [f"<h3>{_e(t('overview.by_kind', lang))}</h3>",
              _table(kinds, lang, table_id="table-kinds", digits={"count": 0})]
    for key, frame, column, label, table_id in (
            ("overview.by_sector", summary.sectors, "sector", lambda v: term("sectors", v, lang), "table-sectors"),
            ("overview.by_pillar", summary.pillars, "pillar", lambda v: term("pillars", v, lang), "table-pillars"),
            ("overview.ties", summary.ties.rename(columns={"kind": "tie_kind"}), "tie_kind",
             lambda v: tie_label(v, lang), "table-ties")):
        if not frame.empty:
            shown = pd.DataFrame({column: [label(v) for v in frame[column]], "count": frame["count"]})
            parts += [f"<h3>{_e(t(key, lang))}</h3>", _table(shown, lang, table_id=table_id, digits={"count": 0})]
    if not summary.districts.empty:
        d = summary.districts
        names = dict(zip(d["id"], d["name"]))
        districts = d[["name", "layer", "parent", "population", "households", "elderly", "children",
                       "association_rate", "resources"]].assign(
            layer=[term("layers", v, lang) for v in d["layer"]],
            parent=[names.get(v, v) if isinstance(v, str) and v else "—" for v in d["parent"]])
        parts += [f"<h3>{_e(t('overview.district_table', lang))}</h3>",
                  _table(districts, lang, table_id="table-districts",
                         digits={"population": 0, "households": 0, "elderly": 0, "children": 0,
                                 "association_rate": 1, "resources": 0})]
    return "".join(parts) + "</section>"


def _domain_label(domain: str, lang: str) -> str:
    if domain == ANY_DOMAIN:
        return t("coverage.any_domain", lang)
    needs, domains = vocabulary("needs"), vocabulary("domains")
    return term("needs" if needs.lookup(domain) and not domains.lookup(domain) else "domains", domain, lang)


def _base(row: pd.Series, lang: str, element_id: str) -> str:
    """The information base as a paragraph block; a caution box when it is insufficient."""
    css = "caution" if bool(row["insufficient"]) else "base"
    lines = "".join(f"<p>{_e(x)}</p>" for x in base_lines(row, lang))
    return f"<div class=\"{css}\" id=\"{_e(element_id)}\">{lines}</div>"


def _coverage(result: GapsResult, lang: str, graph: nx.MultiDiGraph | None = None) -> str:
    parts = [f"<section class=\"chapter\" id=\"sec-coverage\"><h2>2. {_e(t('report.section.coverage', lang))}</h2>",
             _note("report.note.coverage", lang, section="coverage")]
    if len(result.base):
        parts.append(_base(result.base.iloc[0], lang, "coverage-base"))
    cube = result.cube
    if cube.empty:
        parts.append(f"<p>{_e(t('coverage.no_districts', lang))}</p>")
    else:
        counts = gap_counts(cube, ANY_DOMAIN)
        parts += [f"<h3>{_e(t('report.gap_summary', lang))}</h3>",
                  _cards([(t("coverage.none_cells", lang), format_number(counts["none"], lang)),
                          (t("coverage.thin_cells", lang), format_number(counts["thin"], lang)),
                          (t("coverage.city_only_cells", lang), format_number(counts["city_only"], lang))],
                         card_id="cards-gaps")]
        cells = cube[cube["domain"] == ANY_DOMAIN].copy()
        pillar_order = [p for p in vocabulary("pillars").labels() if p in set(cells["pillar"])]
        district_order = list(dict.fromkeys(cells["district_id"]))
        names = dict(zip(cells["district_id"], cells["district"]))
        cells["symbol"] = level_symbols(cells)
        symbol = {(r.district_id, r.pillar): r.symbol for r in cells.itertuples(index=False)}
        head = f"<th scope=\"col\">{_e(t('col.district', lang))}</th>" + "".join(
            f"<th scope=\"col\">{_e(term('pillars', p, lang))}</th>" for p in pillar_order)
        body = "".join(
            f"<tr><th scope=\"row\">{_e(names[d])}</th>" + "".join(
                f"<td class=\"{_LEVEL_CLASS[symbol[(d, p)]]}\">{_e(symbol[(d, p)])}</td>" for p in pillar_order)
            + "</tr>" for d in district_order)
        legend_cases = pd.DataFrame({"level": ["covered", "covered", "thin", "none"],
                                     "city_only": [False, True, False, False]})
        legend = "".join(f"<li>{_e(text)}</li>" for text in level_texts(legend_cases, lang))
        parts += [f"<h3>{_e(t('coverage.levels', lang))}</h3>",
                  f"<table class=\"matrix\" id=\"table-levels\"><thead><tr>{head}</tr></thead>"
                  f"<tbody>{body}</tbody></table>",
                  f"<p class=\"muted\">{_e(t('report.legend', lang))}</p><ul class=\"legend\">{legend}</ul>"]
        providers = cells.pivot_table(index="district_id", columns="pillar", values="providers", aggfunc="sum",
                                      sort=False).reindex(index=district_order, columns=pillar_order)
        providers.index = [_plain(names[d]) for d in providers.index]
        providers.columns = [_plain(term("pillars", p, lang)) for p in providers.columns]
        title = t("coverage.heatmap", lang, domain=t("coverage.any_domain", lang))
        parts.append(_figure(heatmap_figure(providers, title=_plain(title), colorbar_label=t("col.providers", lang)),
                             alt=title, figure_id="figure-heatmap"))

        gaps = gap_cells(cube)
        gaps = gaps[gaps["domain_type"] != "any"]
        parts += [f"<h3>{_e(t('coverage.gap_list', lang))}</h3>", f"<p>{_e(t('report.gap_list_note', lang))}</p>"]
        figure = gap_map(graph, cube, lang=lang) if graph is not None else None  # the list below, by district
        if figure is not None:
            parts.append(_figure(figure, alt=t("map.gaps_title", lang), figure_id="figure-gap-map"))
        if gaps.empty:
            parts.append(f"<p>{_e(t('report.none', lang))}</p>")
        else:
            rows = []
            for (district_id, pillar), part in gaps.groupby(["district_id", "pillar"], sort=False):
                cells = list(zip(part["domain"], part["level"], part["city_only"].astype(bool)))

                def domains(level: str, city_only: bool = False) -> str:  # (plain rows: a mask each was slow)
                    return join_texts((_domain_label(d, lang) for d, at, city in cells
                                       if at == level and (city or not city_only)), lang) or "—"

                rows.append({"district": part["district"].iloc[0], "pillar": term("pillars", pillar, lang),
                             "none": domains("none"), "thin": domains("thin"),
                             "city_only": domains("covered", city_only=True)})
            order = {p: i for i, p in enumerate(vocabulary("pillars").labels(lang))}
            position = {d: i for i, d in enumerate(dict.fromkeys(gaps["district"]))}
            listed = pd.DataFrame(rows).sort_values(
                ["district", "pillar"], key=lambda s: s.map(position if s.name == "district" else order),
                kind="stable")
            parts.append(_table(listed, lang, table_id="table-gap-list",
                                keys={"none": "coverage.none_cells", "thin": "coverage.thin_cells",
                                      "city_only": "coverage.city_only_cells"}))

    needs = result.needs
    unaddressed = needs[needs["status"] == "unaddressed"]
    parts += [f"<h3>{_e(t('coverage.needs', lang))}</h3>",
              _cards([(t("coverage.unaddressed", lang), format_number(len(unaddressed), lang))], card_id="cards-needs")]
    if not needs.empty:
        parts.append(_table(needs_for_reader(needs, lang)[["need", "status", "programs", "agencies", "others"]],
                            lang, table_id="table-needs", keys={"status": "col.need_status"},
                            digits={"programs": 0, "agencies": 0, "others": 0}))
    councils = councils_for_reader(result.councils, lang)
    parts.append(_titled_table(
        t("coverage.councils", lang),
        councils[["status", "council", "non_welfare_sectors", "members", "welfare_members", "non_welfare_members",
                  "level", "layer"]].assign(
            non_welfare_sectors=[v or "—" for v in councils["non_welfare_sectors"]]),
        lang, table_id="table-councils", keys={"level": "col.council_level", "status": "col.council_status"},
        digits={"members": 0, "welfare_members": 0, "non_welfare_members": 0}))
    parts.append(_titled_table(
        t("coverage.sectors", lang),
        sectors_for_reader(result.sectors, lang)[["sector", "status", "actors", "councils"]],
        lang, table_id="table-absent-sectors", keys={"status": "col.sector_status"},
        digits={"actors": 0, "councils": 0}))
    parts.append(_titled_table(
        t("coverage.residents", lang),
        residents_for_reader(result.residents, lang)[
            ["district", "layer", "association_rate", "rate_rank", "weakest", "resident_group_units",
             "groups_per_10k", "na_reason", "none_cells", "thin_cells"]],
        lang, table_id="table-residents",
        digits={"association_rate": 1, "rate_rank": 0, "resident_group_units": 0, "groups_per_10k": 1,
                "none_cells": 0, "thin_cells": 0}))
    return "".join(parts) + "</section>"


def _actor_names(frame: pd.DataFrame, lang: str) -> list[str]:
    mark = t("report.aggregate", lang)
    return [f"{name}{mark if aggregate else ''}" for name, aggregate in zip(frame["name"], frame["aggregate"])]


def _bridging(result: MetricsResult, lang: str, graph: nx.MultiDiGraph | None = None,
              positions: Mapping[str, tuple[float, float]] | None = None) -> str:
    nodes = result.nodes
    whole = dict(zip(result.graph["measure"], result.graph["value"]))
    parts = [f"<section class=\"chapter\" id=\"sec-bridging\"><h2>3. {_e(t('report.section.bridging', lang))}</h2>",
             _note("report.note.bridging", lang, section="bridging"),
             f"<h3>{_e(t('report.network', lang))}</h3>",
             _cards([(t("report.actors", lang), format_number(whole.get("nodes"), lang)),
                     (t("report.ties", lang), format_number(whole.get("ties"), lang)),
                     (t("report.components", lang), format_number(whole.get("components"), lang)),
                     (t("report.isolates", lang), format_number(whole.get("isolates"), lang)),
                     (t("report.largest_share", lang), format_percent(100 * float(whole["largest_component_share"]))
                      if "largest_component_share" in whole else "—"),
                     (t("bridging.cutpoints", lang), format_number(whole.get("cutpoints"), lang)),
                     (t("bridging.bridges", lang), format_number(whole.get("bridges"), lang)),
                     (t("bridging.communities", lang), format_number(whole.get("communities_of_two_or_more"), lang)),
                     (t("bridging.ei", lang), format_number(whole.get("ei_index"), lang, digits=3)),
                     (t("bridging.density", lang), format_number(whole.get("density"), lang, digits=3))],
                    card_id="cards-network")]
    if nodes.empty:
        parts.append(f"<p>{_e(t('bridging.no_actors', lang))}</p>")
        return "".join(parts) + "</section>"
    if graph is not None:
        parts.append(_network_map(graph, result, lang, positions))

    top = nodes.sort_values("betweenness_rank").head(TOP)
    ranking = top[list(RANKING_COLUMNS)].assign(
        name=_actor_names(top, lang), sector=[term("sectors", s, lang) for s in top["sector"]],
        pairs_lost_share=[format_percent(100 * float(v), lang) for v in top["pairs_lost_share"]])
    parts += [f"<h3>{_e(t('report.ranking', lang, n=len(top)))}</h3>",
              _table(ranking, lang, table_id="table-ranking", numeric=("pairs_lost_share",),
                     digits={"betweenness_rank": 0, "betweenness": 3, "brokerage_cross_group": 0,
                             "brokerage_rank": 0, "loss_rank": 0})]

    losing = nodes[(nodes["pairs_lost"] > 0) | (nodes["isolated_after"] > 0)].sort_values("loss_rank").head(TOP)
    parts += [f"<h3>{_e(t('report.loss', lang))}</h3>", f"<p>{_e(t('report.note.loss', lang))}</p>"]
    if losing.empty:
        parts.append(f"<p>{_e(t('report.no_loss', lang))}</p>")
    else:
        loss = losing[list(LOSS_COLUMNS)].assign(
            name=_actor_names(losing, lang), sector=[term("sectors", s, lang) for s in losing["sector"]],
            pairs_lost_share=[format_percent(100 * float(v), lang) for v in losing["pairs_lost_share"]],
            cutpoint=[yes_no(v, lang) for v in losing["cutpoint"]])
        parts.append(_table(loss, lang, table_id="table-loss", numeric=("pairs_lost_share",),
                            digits={"loss_rank": 0, "pairs_lost": 0, "isolated_after": 0, "components_after": 0}))
    return "".join(parts) + "</section>"


def _inequality(frames: InequalityResult, code: str, per: str | None, lang: str,
                graph: nx.MultiDiGraph | None = None) -> str:
    per_label = t(f"inequality.per.{per or 'none'}", lang)
    parts = [f"<section class=\"chapter\" id=\"sec-inequality\"><h2>4. {_e(t('report.section.inequality', lang))}"
             "</h2>", _note("report.note.inequality", lang, section="inequality", per=per_label)]
    districts = frames.districts
    if districts.empty:
        parts.append(f"<p>{_e(t('inequality.no_districts', lang))}</p>")
        return "".join(parts) + "</section>"
    indices = frames.indices
    mine = indices[indices["scope"] == code].set_index("index")
    parts.append(_cards([(t("inequality.gini", lang), format_number(mine.loc["gini", "value"], lang, digits=3)),
                         (t("inequality.theil_t", lang), format_number(mine.loc["theil_t", "value"], lang, digits=3)),
                         (index_label("cv", lang), format_number(mine.loc["cv", "value"], lang, digits=3))],
                        card_id="cards-inequality"))
    excluded = districts.loc[~districts["included"], "district"].astype(str).tolist()
    if excluded:
        parts.append(f"<p>{_e(t('inequality.excluded', lang, names=join_texts(excluded, lang)))}</p>")
    base = frames.base[frames.base["scope"] == code]
    if len(base):
        parts.append(_base(base.iloc[0], lang, "information-base"))

    names = [_plain(n) for n in districts["district"].astype(str)]
    colon = t("text.colon", lang)
    raw_title = t("inequality.per.none", lang)
    parts += [f"<h3>{_e(t('inequality.bars', lang))}</h3>",
              _figure(bar_figure(names, districts["units"].astype(float).tolist(), title=_plain(raw_title),
                                 color="#0072B2"), alt=colon.join((t("inequality.bars", lang), raw_title)),
                      figure_id="figure-bars-raw", size="bars")]
    if per is not None:
        values = districts["value"].to_numpy(dtype=float, na_value=float("nan")).tolist()
        parts.append(_figure(bar_figure(names, values, title=_plain(per_label), color="#D55E00",
                                        value_format="{:,.2f}", missing_label=_plain(t("inequality.no_value", lang))),
                             alt=colon.join((t("inequality.bars", lang), per_label)), figure_id="figure-bars-per",
                             size="bars"))
    if graph is not None:
        figure = rate_map(graph, districts, per=per, lang=lang)
        if figure is not None:
            parts.append(_figure(figure, alt=t("map.rate_title", lang, per=per_label), figure_id="figure-rate-map"))
    lorenz = frames.lorenz
    mine_lorenz = lorenz[lorenz["scope"] == code]
    if not mine_lorenz.empty:
        curves = {_plain(per_label): (mine_lorenz["population_share"].tolist(), mine_lorenz["value_share"].tolist())}
        parts += [f"<h3>{_e(t('inequality.lorenz', lang))}</h3>",
                  _figure(lorenz_figure(curves, title=_plain(t("inequality.lorenz", lang)),
                                        xlabel=_plain(t("inequality.lorenz_x", lang)),
                                        ylabel=_plain(t("inequality.lorenz_y", lang))),
                          alt=colon.join((t("inequality.lorenz", lang), per_label)), figure_id="figure-lorenz", size="half")]

    shown = mine.reset_index()
    references = [t(f"inequality.definition.{i}", lang) if f"inequality.definition.{i}" in STRINGS else r
                  for i, r in zip(shown["index"], shown["reference"])]
    table = shown[["index", "value", "n", "na_reason"]].assign(
        index=[index_label(i, lang) for i in shown["index"]], na_reason=reason_texts(shown["na_reason"], lang),
        reference=references)
    parts += [f"<h3>{_e(t('inequality.indices', lang))}</h3>",
              _table(table, lang, table_id="table-indices", digits={"value": 3, "n": 0})]

    columns = ["district", "layer", "units", "city_wide_units"]
    digits = {"units": 0, "city_wide_units": 0}
    if per is not None:
        columns += [per, rate_column(per), "included", f"na_reason_{per}"]
        digits.update({per: 0, rate_column(per): 2})
    table = districts[columns].assign(district=districts["district"].astype(str),
                                      layer=[term("layers", v, lang) for v in districts["layer"]])
    if per is not None:
        table = table.assign(included=[yes_no(v, lang) for v in districts["included"]],
                             **{f"na_reason_{per}": reason_texts(districts[f"na_reason_{per}"], lang)})
    parts.append(_table(table, lang, table_id="table-inequality-districts", digits=digits))
    return "".join(parts) + "</section>"


def _change(change: ChangeResult, lang: str) -> str:
    """The change since the previous fiscal year: counts, then every change table (``tsunagari diff``)."""
    from tsunagari.dashboards.text.change import display_tables, year_of

    about = change.about.iloc[0]
    before = format_fiscal_year(year_of(about["fiscal_year_before"]), lang)
    after = format_fiscal_year(year_of(about["fiscal_year_after"]), lang)
    counts = dict(zip(change.summary["item"], change.summary["count"]))
    cards = _cards([(t(f"change.item.{item}", lang), format_number(int(count), lang))
                    for item, count in counts.items() if item in _CHANGE_CARDS], card_id="cards-change")
    shown = {name: frame.astype(object).where(frame.notna(), "—") for name, frame in display_tables(change, lang).items()}
    parts = [f"<section class=\"chapter\" id=\"sec-change\"><h2>5. {_e(t('report.section.change', lang))}</h2>",
             f"<p>{_e(t('report.change.lead', lang, before=before, after=after))}</p>", cards]
    digits = {"ties": {"weight_before": 1, "weight_after": 1},
              "brokers": {"betweenness_before": 3, "betweenness_after": 3},
              "loss": {"pairs_lost_share_before": 3, "pairs_lost_share_after": 3},
              "inequality": {"value_before": 3, "value_after": 3, "change": 3},
              "districts": {"value_before": 2, "value_after": 2, "change": 2}}
    for table in ("coverage", "actors", "ties", "brokers", "loss", "inequality", "districts"):
        title = t(f"text.change.{table}" if table != "districts" else "change.districts", lang)
        keys = {"change": "col.value_change"} if table in ("inequality", "districts") else {"change": "col.change"}
        parts.append(_titled_table(title, shown[table], lang, table_id=f"table-change-{table}", keys=keys,
                                   digits=digits.get(table)))
    parts.append(_note("report.change.note", lang, section="change"))
    parts.append("</section>")
    return "".join(parts)


_CHANGE_CARDS = ("actors_added", "actors_removed", "ties_added", "ties_removed", "cells_gap_closed",
                 "cells_gap_opened")


def _about(result: MetricsResult, per: str | None, lang: str, content_hash: object = None, number: int = 5) -> str:
    options = result.options
    text = t("report.parameters_text", lang,
             ties=join_texts((tie_label(k, lang) for k in options.network.tie_kinds), lang)
             or t("report.nothing", lang),
             affiliations=join_texts((kind_label(k, lang) for k in options.network.affiliations), lang)
             or t("report.nothing", lang),
             group=t(f"report.group.{options.group}", lang), method=options.community_method, seed=options.seed,
             permutations=format_number(options.permutations, lang),
             per=t(f"inequality.per.{per or 'none'}", lang))
    refs = "".join(f"<li>{_rich(ref)}</li>" for ref in REFERENCES)
    technical = (f"<table class=\"meta\" id=\"table-technical\"><tbody>"
                 f"<tr><th scope=\"row\">{_e(t('manifest.content_hash', lang))}</th>"
                 f"<td class=\"hash\">{_e(content_hash)}</td></tr>"
                 f"<tr><th scope=\"row\">{_e(t('report.tool', lang))}</th><td>tsunagari {_e(__version__)}</td></tr>"
                 "</tbody></table>")
    return (f"<section class=\"chapter\" id=\"sec-about\"><h2>{number}. {_e(t('report.section.about', lang))}</h2>"
            f"<h3>{_e(t('report.parameters', lang))}</h3><p>{_e(text)}</p>{technical}"
            f"<p>{_rich(t('report.same_figures', lang))}</p>"
            f"<h3>{_e(t('report.references', lang))}</h3><ol class=\"refs\" id=\"list-references\">{refs}</ol>"
            "</section>")


def build_report(graph: nx.MultiDiGraph, *, lang: str = "ja", per: str | None = "population",
                 generated: datetime | None = None, summary: MunicipalitySummary | None = None,
                 gaps: GapsResult | None = None, metrics: MetricsResult | None = None,
                 inequality: InequalityResult | None = None, previous: nx.MultiDiGraph | None = None,
                 change: ChangeResult | None = None,
                 positions: Mapping[str, tuple[float, float]] | None = None,
                 parallel: bool | None = None) -> str:
    """The printable HTML report of one municipality (a complete, self-contained document).

    Parameters
    ----------
    graph
        What :meth:`GraphStore.read_graph` returns (its graph attributes hold the manifest and the
        content hash).
    lang
        ``"ja"`` (default) or ``"en"``; anything else is Japanese.
    per
        Denominator of the district inequality: ``"population"`` (default), ``"elderly"``,
        ``"children"``, or ``None`` / ``"units"`` for raw resource units.
    generated
        Time stamped on the cover (default: now, local time zone).
    summary, gaps, metrics, inequality
        Results already computed for ``graph`` (:func:`~tsunagari.analysis.summary.summarize`,
        :func:`~tsunagari.analysis.gaps.coverage_gaps` without a district, ``compute_metrics`` with
        the default options, ``district_inequality(graph, per=per)``), e.g. from the dashboard's
        cache; each one not given is computed here, the coverage and inequality tables sharing their
        building blocks.
    previous, change
        The snapshot of the previous fiscal year of the same municipality, or the change from it
        already computed (:func:`~tsunagari.analysis.change.municipality_change`): with either, the paper
        has a section 5 on what changed since that year (and the parameters become section 6).
    positions
        The network map's positions, :func:`~tsunagari.dashboards.network_map.layout_positions` of
        ``map_nodes(graph)`` with its default seed, if already computed (else computed here).
    parallel
        Whether the network measures and the bridging chapter are computed in a forked child
        process on another core while this one writes the rest (:class:`~tsunagari.dashboards.beside.Beside`);
        default: where forking is safe (Linux, one Python thread, several cores); ``True`` forks
        even beside other threads, ``False`` never. The paper is the same either way.

    Returns
    -------
    str
        UTF-8 HTML: cover (name, code, as-of, source, content hash, time, tool version), overview,
        coverage gaps, bridging actors and loss impact, district inequality with charts, parameters
        and references.

    Raises
    ------
    CoverageInputError
        If ``per`` is not a known denominator.

    Examples
    --------
    >>> page = build_report(nx.MultiDiGraph(code="1", name="<b>村</b>"), lang="en")
    >>> page.startswith("<!DOCTYPE html>"), "&lt;b&gt;村&lt;/b&gt;" in page, "<b>村" in page
    (True, True, False)
    """
    lang = "en" if lang == "en" else "ja"
    per = None if per == "units" else per
    generated = generated or datetime.now(timezone.utc)
    manifest = dict(graph.graph)

    def network_part() -> tuple[MetricsResult | None, str]:
        # the network measures (when not given) and the bridging chapter with its map: on the other
        # core (Beside) while this process writes the coverage and inequality chapters
        found = compute_metrics(graph) if metrics is None else metrics
        return (found if metrics is None else None), _bridging(found, lang, graph, positions)

    with Beside(network_part, fork=parallel) as network, shared_tables():
        summary = summarize(graph) if summary is None else summary
        gaps = coverage_gaps(graph) if gaps is None else gaps
        frames = district_inequality(graph, per=per) if inequality is None else inequality
        coverage = _coverage(gaps, lang, graph)
        inequality_chapter = _inequality(frames, str(manifest.get("code")), per, lang, graph)
        computed, bridging = network.result()
        result = metrics if computed is None else computed
        assert result is not None
        if change is None and previous is not None:
            from tsunagari.analysis.change import municipality_change

            change = municipality_change(previous, graph, per=per, metrics=(compute_metrics(previous), result),
                                         gaps=(coverage_gaps(previous), gaps),
                                         inequality=(district_inequality(previous, per=per), frames))
    title = f"{_municipality_name(manifest, lang)} — {t('report.title', lang)}"
    body = "".join([
        _cover(manifest, lang, generated, with_change=change is not None),
        _summary_page(gaps, result, lang),
        _overview(summary, lang),
        coverage,
        bridging,
        inequality_chapter,
        _change(change, lang) if change is not None else "",
        _about(result, per, lang, manifest.get("content_hash"), number=6 if change is not None else 5),
    ])
    return ("<!DOCTYPE html>\n"
            f"<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta name=\"generator\" content=\"tsunagari {_e(__version__)}\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n"
            f"<body>{body}</body></html>\n")
