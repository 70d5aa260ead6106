"""``tsunagari gaps`` and ``tsunagari inequality``: coverage gaps and district inequality on the terminal.

``--format table`` (default) prints a planner's view; ``csv`` prints one table (``--table``);
``json`` prints every table as ``{name: [records]}``. The frames are those of
:mod:`tsunagari.analysis.coverage`, :mod:`~tsunagari.analysis.council_composition`,
:mod:`~tsunagari.analysis.resident_base` and :mod:`~tsunagari.analysis.inequality`.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata

import pandas as pd

from tsunagari.analysis.council_composition import absent_sectors, council_silos
from tsunagari.analysis.coverage import (
    ANY_DOMAIN,
    PER_UNITS,
    CoverageInputError,
    coverage_cube,
    resolve_district,
    unaddressed_needs,
)
from tsunagari.analysis.inequality import INDEX_LABELS, district_inequality
from tsunagari.analysis.na_reasons import DENOMINATORS, na_reason_text
from tsunagari.analysis.resident_base import resident_base
from tsunagari.cli import register_command
from tsunagari.graph.open import open_store
from tsunagari.graph.vocabulary import vocabulary
from tsunagari.settings import Settings

__all__ = ["gaps_tables", "format_gaps", "format_inequality", "frames_to_json"]

EXIT_OK, EXIT_INVALID = 0, 2
GAPS_TABLES = ("cube", "needs", "councils", "sectors", "residents")
INEQUALITY_TABLES = ("districts", "indices", "lorenz", "theil")
# Cell symbols of the table view: covered with a local provider, covered only city-wide, thin, none.
_SYMBOLS = {"local": "◎", "city": "○", "thin": "△", "none": "×"}


def gaps_tables(graph, *, district: str | None = None, per: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table of ``tsunagari gaps`` for ``graph`` (keys: ``GAPS_TABLES``).

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(gaps_tables(nx.MultiDiGraph()))
    ['councils', 'cube', 'needs', 'residents', 'sectors']
    """
    residents = resident_base(graph)
    if district is not None:
        wanted = graph.nodes[resolve_district(graph, district)]["id"]
        residents = residents[residents["district_id"] == wanted]
    return {
        "cube": coverage_cube(graph, district=district, per=per),
        "needs": unaddressed_needs(graph, include_vocabulary=True),
        "councils": council_silos(graph),
        "sectors": absent_sectors(graph),
        "residents": residents,
    }


def frames_to_json(frames: dict[str, pd.DataFrame]) -> str:
    """``{name: [records]}`` of ``frames`` (NA as null, Japanese unescaped).

    Examples
    --------
    >>> frames_to_json({"t": pd.DataFrame({"a": [1, None]})})
    '{"t": [{"a": 1.0}, {"a": null}]}'
    """
    return json.dumps({name: json.loads(frame.to_json(orient="records", force_ascii=False))
                       for name, frame in frames.items()}, ensure_ascii=False)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _label(value: object, vocab: str | None, en: bool) -> str:
    if value is None or value is pd.NA:
        return "—"
    text = str(value)
    if en and vocab:
        return vocabulary(vocab).translate(text, "en")
    if en and text == ANY_DOMAIN:
        return "Any"
    return text


def _number(value: object, digits: int = 1) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "NA"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _symbol(row) -> str:
    if row.level == "none":
        return _SYMBOLS["none"]
    if row.level == "thin":
        return _SYMBOLS["thin"]
    return _SYMBOLS["city"] if row.city_only else _SYMBOLS["local"]


def format_gaps(graph, tables: dict[str, pd.DataFrame], *, lang: str = "ja") -> str:
    """Plain-text planner's view of :func:`gaps_tables` (``lang``: ``ja``, ``en`` or ``both``)."""
    en = lang == "en"
    m = graph.graph
    lines = [f"{m.get('name_en') if en and m.get('name_en') else m.get('name')} ({m.get('code')})",
             "Coverage by district (pillar × domain)" if en else "圏域・地区ごとのカバー状況（事業区分 × 分野）",
             ("legend: ◎ covered locally  ○ covered only city-wide  △ thin (one provider unit)  × none" if en else
              "凡例: ◎ 2以上（うち地区内に1以上）  ○ 2以上だが市全域の資源のみ  △ 1つだけ（単一障害点）  × なし")]
    cube = tables["cube"]
    residents = tables["residents"].set_index("district_id") if len(tables["residents"]) else None
    for district_id, part in cube.groupby("district_id", sort=False):
        first = part.iloc[0]
        head = f"[{first['district']}] {_label(first['layer'], 'layers', en)}"
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
        headers = [_label(d, vocab_of[d], en) for d in domains]
        widths = [max(_width(h), 2) for h in headers]
        pillar_width = max(_width(_label(p, "pillars", en)) for p in part["pillar"]) + 2
        lines.append(_pad("", pillar_width) + " ".join(_pad(h, w) for h, w in zip(headers, widths)))
        for pillar, rows in part.groupby("pillar", sort=False):
            cells = {r.domain: _symbol(r) for r in rows.itertuples(index=False)}
            lines.append(_pad(_label(pillar, "pillars", en), pillar_width)
                         + " ".join(_pad(cells[d], w) for d, w in zip(domains, widths)))
    needs = tables["needs"]
    lines += ["", "Needs between systems addressed by no program or agency" if en else
              "どの事業・機関も対応していない制度の狭間のニーズ"]
    unaddressed = needs[needs["status"] == "unaddressed"]
    lines += [f"  {r.need_en if en else r.need}" for r in unaddressed.itertuples(index=False)] or [
        "  (none)" if en else "  （なし）"]
    not_recorded = needs[needs["status"] == "not_recorded"]
    if len(not_recorded):
        lines.append(("  not recorded in the data: " if en else "  データに記載のないニーズ: ")
                     + ", ".join(not_recorded["need_en" if en else "need"]))
    councils = tables["councils"]
    lines += ["", "Councils with no member from outside welfare" if en else "福祉分野以外の構成員がいない会議体"]
    silos = councils[councils["status"] == "silo"]
    lines += [f"  {r.council} ({_label(r.level, 'council_levels', en)}, {r.members}"
              + (" members)" if en else "構成員)") for r in silos.itertuples(index=False)] or [
        "  (none)" if en else "  （なし）"]
    unknown = councils[councils["status"] == "no_members"]
    if len(unknown):
        lines.append(("  no members listed: " if en else "  構成員の記載なし: ") + ", ".join(unknown["council"]))
    sectors = tables["sectors"]
    lines += ["", "Sectors outside welfare on no council" if en else "どの会議体にも参加していない福祉以外の分野"]
    for status, title_en, title_ja in (("not_on_any_council", "in the data but on no council",
                                        "データにあるが会議体に不参加"),
                                       ("absent_from_data", "absent from the data", "データにない")):
        part = sectors[sectors["status"] == status]
        if len(part):
            lines.append(f"  {title_en if en else title_ja}: " + ", ".join(part["sector_en" if en else "sector"]))
    if residents is not None:
        lines += ["", "Residents' base (weakest first)" if en else "住民の基盤（弱い順）"]
        for r in tables["residents"].itertuples(index=False):
            rate = "NA" if r.association_rate is pd.NA else f"{r.association_rate:.1f}%"
            lines.append(f"  {_pad(str(r.district), 14)} " + ("association " if en else "町会加入率 ") + _pad(rate, 7)
                         + (" groups " if en else " 住民組織 ") + f"{r.resident_group_units}"
                         + (f" ({_number(r.groups_per_10k)}/10k)" if r.groups_per_10k is not pd.NA else
                            f" ({na_reason_text(r.na_reason, lang)})")
                         + ("  none " if en else "  なし ") + f"{r.none_cells}"
                         + ("  thin " if en else "  単一 ") + f"{r.thin_cells}"
                         + ("  ← weakest" if en and r.weakest else "  ← 最も低い" if r.weakest else ""))
    return "\n".join(lines)


def format_inequality(frames: dict[str, pd.DataFrame], *, per: str | None, lang: str = "ja") -> str:
    """Plain-text rendering of :func:`~tsunagari.analysis.inequality.district_inequality`."""
    en = lang == "en"
    districts = frames["districts"]
    if per is None:
        unit = "units" if en else "実数"
    else:
        scale = PER_UNITS[per][0]
        unit = (f"per {scale:,} {DENOMINATORS[per][1]}" if en
                else f"{DENOMINATORS[per][0]}{'1万' if scale == 10_000 else f'{scale:,}'}人あたり")
    lines = [f"Local resource units by district ({unit})" if en else f"圏域・地区ごとの資源数（地区内）（{unit}）"]
    for name, part in districts.groupby("municipality_name", sort=False):
        lines += ["", str(name)]
        for r in part.itertuples(index=False):
            reason = na_reason_text(getattr(r, f"na_reason_{per}"), lang) if per else ""
            denominator = getattr(r, per) if per else None
            lines.append(f"  {_pad(str(r.district), 14)} " + ("units " if en else "資源 ") + f"{r.units:>4}  "
                         + (f"{DENOMINATORS[per][1 if en else 0]} {_number(denominator)}  " if per else "")
                         + ("value " if en else "値 ") + (_number(r.value, 2) if r.included else f"NA ({reason})"))
    lines += ["", "Inequality between districts" if en else "地区間の格差"]
    for scope, part in frames["indices"].groupby("scope", sort=False):
        first = part.iloc[0]
        lines.append(f"  {first['municipality_name']}: n = {first['n']}"
                     + (f", {first['n_missing']} " + ("without denominator" if en else "地区は分母なし")
                        if first["n_missing"] else ""))
        for r in part.itertuples(index=False):
            lines.append(f"    {_pad(INDEX_LABELS[r.index][1 if en else 0], 26)} "
                         f"{_number(r.value, 3) if r.value == r.value else 'NA'}"
                         + (f"  ({na_reason_text(r.na_reason, lang)})" if r.na_reason else ""))
    theil = frames["theil"]
    if len(theil):
        total = theil.iloc[-1]
        lines += ["", ("Theil T decomposition by municipality" if en else "Theil T の分解（市町村間・市町村内）"),
                  f"  between {_number(total['between'], 4)}  within {_number(total['within'], 4)}  "
                  f"total {_number(total['theil_t'], 4)}"]
    return "\n".join(lines)


def _write(text: str) -> None:
    sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))


def _configure_common(parser: argparse.ArgumentParser, tables: tuple[str, ...], default: str) -> None:
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="table (default), csv (one table, see --table) or json (every table)")
    parser.add_argument("--table", choices=tables, default=default, help=f"table printed by --format csv "
                        f"(default {default})")


def _configure_gaps(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("municipality", metavar="MUNICIPALITY", help="code, slug or name (28202, amagasaki, 尼崎市)")
    parser.add_argument("--district", metavar="D", help="only this district (id or name)")
    parser.add_argument("--per", choices=tuple(PER_UNITS), help="add rates of local providers per 10,000 "
                        "residents / 1,000 elderly / 1,000 children to the cube")
    _configure_common(parser, GAPS_TABLES, "cube")


def _configure_inequality(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("municipality", metavar="MUNICIPALITY", nargs="+",
                        help="one or more municipalities (several: Theil T between/within)")
    parser.add_argument("--per", choices=(*PER_UNITS, "units"), default="population",
                        help="denominator: population (per 10,000, default), elderly, children (per 1,000) "
                             "or units (raw counts)")
    parser.add_argument("--layer", help="layer of the districts compared (default: the top local layer)")
    _configure_common(parser, INEQUALITY_TABLES, "districts")


def _emit(frames: dict[str, pd.DataFrame], args: argparse.Namespace, table_text) -> None:
    if args.format == "json":
        _write(frames_to_json(frames))
    elif args.format == "csv":
        _write(frames[args.table].to_csv(index=False))
    else:
        _write(table_text())


def _run_gaps(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings) as store:
        graph = store.read_graph(args.municipality)
    try:
        frames = gaps_tables(graph, district=args.district, per=args.per)
    except CoverageInputError as err:
        sys.stderr.write(f"{err}\n")
        return EXIT_INVALID
    _emit(frames, args, lambda: format_gaps(graph, frames, lang=args.lang or settings.lang))
    return EXIT_OK


def _run_inequality(args: argparse.Namespace, settings: Settings) -> int:
    per = None if args.per == "units" else args.per
    with open_store(settings) as store:
        graphs = [store.read_graph(m) for m in dict.fromkeys(args.municipality)]
    try:
        frames = district_inequality(graphs, per=per, layer=args.layer)
    except CoverageInputError as err:
        sys.stderr.write(f"{err}\n")
        return EXIT_INVALID
    _emit(frames, args, lambda: format_inequality(frames, per=per, lang=args.lang or settings.lang))
    return EXIT_OK


register_command("gaps", "coverage gaps by district, pillar and domain / カバー状況と空白", _configure_gaps, _run_gaps)
register_command("inequality", "resource inequality between districts / 地区間の資源格差", _configure_inequality,
                 _run_inequality)
