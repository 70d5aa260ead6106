"""UI strings of the dashboard in Japanese (default) and English, and number formatting.

Every visible string of the pages comes from :data:`STRINGS`; vocabulary values (sectors,
pillars ...) are translated through :mod:`tsunagari.graph.vocabulary`, and the analysis's own
catalogues (NA reasons, inequality index names) through :mod:`tsunagari.dashboards.table_labels`,
never here. Table headers are the ``col.*`` strings.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from tsunagari.graph.vocabulary import vocabulary

__all__ = ["Lang", "LANGS", "STRINGS", "t", "term", "kind_label", "tie_label", "format_number",
           "format_percent"]

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")

# key → (Japanese, English); ``{name}`` placeholders are filled by :func:`t`.
STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("つながり 重層的支援体制 連携マップ", "Tsunagari: collaboration map of multi-layered support"),
    "app.municipality": ("市町村", "Municipality"),
    "app.language": ("言語 / Language", "言語 / Language"),
    "app.empty_store": ("ストアに市町村がありません。「データ」ページでデータパッケージを読み込むか、"
                        "`tsunagari load PATH` を実行してください。",
                        "The store holds no municipality. Load a data package on the Data page or run "
                        "`tsunagari load PATH`."),
    "app.store": ("ストア", "Store"),
    "app.store_busy": ("ストアは別の処理（データの読み込みなど）で使用中です。終わってからページを再読み込みしてください。",
                       "The store is busy with another process (e.g. a data load). Reload the page when it has finished."),
    "page.overview": ("概要", "Overview"),
    "page.network": ("ネットワーク", "Network map"),
    "page.coverage": ("カバレッジ", "Coverage gaps"),
    "page.bridging": ("橋渡し", "Bridging"),
    "page.inequality": ("地域格差", "Inequality"),
    "page.data": ("データ", "Data & export"),
    "overview.population": ("人口", "Population"),
    "overview.actors": ("機関・部署", "Agencies"),
    "overview.councils": ("会議体", "Councils"),
    "overview.programs": ("事業", "Programs"),
    "overview.districts": ("圏域・地区", "Districts"),
    "overview.resident_groups": ("住民組織", "Residents' groups"),
    "overview.needs": ("制度の狭間のニーズ", "Needs between systems"),
    "overview.by_kind": ("種類別の件数", "Nodes by kind"),
    "overview.by_sector": ("機関の分野別", "Agencies by sector"),
    "overview.by_pillar": ("事業区分（第106条の4）別の事業数", "Programs by pillar (art. 106-4)"),
    "overview.ties": ("関係の種類別", "Ties by kind"),
    "overview.district_table": ("圏域・地区の人口", "Districts and population"),
    "overview.sources": ("出典", "Sources"),
    "overview.as_of": ("時点", "As of"),
    "col.kind": ("種類", "Kind"),
    "col.count": ("件数", "Count"),
    "col.sector": ("分野", "Sector"),
    "col.pillar": ("事業区分", "Pillar"),
    "col.name": ("名称", "Name"),
    "col.layer": ("層", "Layer"),
    "col.parent": ("上位", "Parent"),
    "col.population": ("人口", "Population"),
    "col.households": ("世帯数", "Households"),
    "col.elderly": ("高齢者数", "Elderly"),
    "col.children": ("子ども数", "Children"),
    "col.association_rate": ("町会加入率（%）", "Association rate (%)"),
    "col.id": ("ID", "Id"),
    "col.source": ("出典", "Source"),
    "col.file": ("ファイル", "File"),
    "col.row": ("行", "Row"),
    "col.column": ("列", "Column"),
    "col.message": ("内容", "Message"),
    "col.severity": ("重要度", "Severity"),
    "col.tie_kind": ("関係", "Tie"),
    "col.district": ("地区", "District"),
    "col.domain": ("分野（属性）", "Domain"),
    "col.value": ("値", "Value"),
    "col.resources": ("地域資源数", "Resources"),
    # Columns of the analysis frames shown on the pages (tsunagari.dashboards.table_labels).
    "col.providers": ("提供主体数", "Providers"),
    "col.local_providers": ("地区内の提供主体", "Local providers"),
    "col.city_wide_providers": ("全市域の提供主体", "City-wide providers"),
    "col.level": ("充足状況", "Coverage"),
    "col.city_only": ("市域の機関のみ", "City-wide only"),
    "col.need_id": ("ニーズID", "Need ID"),
    "col.need": ("ニーズ", "Need"),
    "col.programs": ("事業数", "Programs"),
    "col.agencies": ("機関数", "Agencies"),
    "col.others": ("その他（住民組織・会議体）", "Others (residents' groups, councils)"),
    "col.need_status": ("対応状況", "Status"),
    "col.council_id": ("会議体ID", "Council ID"),
    "col.council": ("会議体", "Council"),
    "col.council_level": ("会議の種別", "Council level"),
    "col.members": ("構成員数", "Members"),
    "col.welfare_members": ("福祉分野の構成員数", "Welfare members"),
    "col.non_welfare_members": ("福祉以外の構成員数", "Members outside welfare"),
    "col.non_welfare_sectors": ("福祉以外の分野", "Sectors outside welfare"),
    "col.council_status": ("構成の状況", "Composition"),
    "col.actors": ("機関・住民組織の数", "Agencies and groups"),
    "col.councils": ("会議体数", "Councils"),
    "col.sector_status": ("会議体への参加", "On councils"),
    "col.district_id": ("地区ID", "District ID"),
    "col.rate_rank": ("加入率の順位", "Rate rank"),
    "col.weakest": ("加入率が最も低い", "Weakest"),
    "col.resident_group_units": ("住民組織数", "Residents' groups"),
    "col.groups_per_10k": ("人口1万人あたりの住民組織数", "Groups per 10,000 residents"),
    "col.na_reason": ("値がない理由", "Why no value"),
    "col.none_cells": ("空白（提供なし）の数", "Gaps (no provider)"),
    "col.thin_cells": ("手薄（1主体のみ）の数", "Thin spots (one provider)"),
    "col.municipality": ("団体コード", "Municipality code"),
    "col.municipality_name": ("市町村", "Municipality"),
    "col.resident_groups": ("住民組織数", "Residents' groups"),
    "col.units": ("地区内の資源数", "Local resource units"),
    "col.city_wide_units": ("全市域の資源数", "City-wide resource units"),
    "col.per_10k_population": ("人口1万人あたり", "Per 10,000 residents"),
    "col.per_1k_elderly": ("高齢者1千人あたり", "Per 1,000 aged 65+"),
    "col.per_1k_children": ("子ども1千人あたり", "Per 1,000 children"),
    "col.na_reason_population": ("値がない理由（人口）", "Why no value (population)"),
    "col.na_reason_elderly": ("値がない理由（高齢者）", "Why no value (aged 65+)"),
    "col.na_reason_children": ("値がない理由（子ども）", "Why no value (children)"),
    "col.compared_value": ("比べる値", "Compared value"),
    "col.included": ("比較に含む", "Included"),
    "col.index": ("指標", "Index"),
    "col.n": ("地区数（n）", "Districts (n)"),
    "col.reference": ("出典・定義", "Reference or definition"),
    "col.betweenness_rank": ("順位", "Rank"),
    "col.betweenness": ("媒介中心性", "Betweenness"),
    "col.brokerage_cross_group": ("仲介（分野をまたぐ）", "Brokerage across groups"),
    "col.brokerage_coordinator": ("仲介：調整役", "Brokerage: coordinator"),
    "col.brokerage_itinerant": ("仲介：渡り役", "Brokerage: itinerant"),
    "col.brokerage_representative": ("仲介：代表役", "Brokerage: representative"),
    "col.brokerage_gatekeeper": ("仲介：門番役", "Brokerage: gatekeeper"),
    "col.brokerage_liaison": ("仲介：連絡役", "Brokerage: liaison"),
    "col.constraint": ("制約度", "Constraint"),
    "col.effective_size": ("実効サイズ", "Effective size"),
    "col.cutpoint": ("切断点", "Cut point"),
    "col.pairs_lost": ("失われる組の数", "Pairs lost"),
    "col.community": ("コミュニティ", "Community"),
    "col.key": ("項目", "Item"),
    "network.color_by": ("色分け", "Colour by"),
    "network.color.sector": ("分野", "Sector"),
    "network.color.community": ("コミュニティ（まとまり）", "Community"),
    "network.color.kind": ("種類", "Kind"),
    "network.size_by": ("大きさ（中心性）", "Size by (centrality)"),
    "network.size.none": ("一定", "Uniform"),
    "network.filter": ("絞り込み", "Filters"),
    "network.kinds": ("種類", "Kinds"),
    "network.tie_kinds": ("関係の種類", "Tie kinds"),
    "network.districts": ("地区", "Districts"),
    "network.pillars": ("事業区分", "Pillars"),
    "network.domains": ("分野（属性）", "Domains"),
    "network.search": ("名称で探す", "Find by name"),
    "network.search_none": ("（選択なし）", "(none)"),
    "network.max_nodes": ("表示する最大ノード数", "Maximum nodes shown"),
    "network.shown": ("表示: ノード {nodes} 件・関係 {edges} 件", "Shown: {nodes} nodes, {edges} ties"),
    "network.hidden": ("ノードが多いため、つながりの少ない {hidden} 件を非表示にしました（{detail}）。"
                       "絞り込みで対象を減らすと全件表示できます。",
                       "{hidden} nodes with the fewest ties are hidden because the network is large ({detail}). "
                       "Narrow the filters to see all."),
    "network.empty": ("条件に合うノードがありません。絞り込みを緩めてください。",
                      "No node matches the filters. Loosen them."),
    "network.help": ("ドラッグで移動、ホイールで拡大縮小、クリックで隣接ノードを強調、ダブルクリックで拡大。",
                     "Drag to move, scroll to zoom, click to highlight neighbours, double-click to zoom in."),
    "network.legend": ("凡例", "Legend"),
    "network.legend_shapes": ("形＝種類", "Shape = kind"),
    "network.legend_colors": ("色＝{what}", "Colour = {what}"),
    "network.in_map_search": ("名称で検索…", "Search a name…"),
    "network.no_measures": ("中心性の指標はまだ計算されていません（分析モジュール未導入）。",
                            "Centrality measures are not available (analysis module not installed)."),
    "export.title": ("会議資料用の画像", "Images for meeting materials"),
    "export.map_png": ("地図を PNG で保存", "Download map as PNG"),
    "export.map_svg": ("地図を SVG で保存", "Download map as SVG"),
    "export.chart_png": ("PNG", "PNG"),
    "export.chart_svg": ("SVG", "SVG"),
    "data.report": ("読み込み状況", "Load report"),
    "data.loaded": ("{name}（{code}）を読み込みました。", "Loaded {name} ({code})."),
    "data.unchanged": ("{name}（{code}）は変更がありません。", "{name} ({code}) is unchanged."),
    "data.upload": ("データパッケージを読み込む（フォルダを zip にしたもの、または .xlsx）",
                    "Load a data package (a zipped folder or an .xlsx workbook)"),
    "data.upload_button": ("検証して読み込む", "Validate and load"),
    "data.invalid": ("データパッケージに {errors} 件のエラーがあります。何も保存していません。",
                     "The data package has {errors} error(s); nothing was stored."),
    "data.warnings": ("警告 {count} 件", "{count} warning(s)"),
    "data.no_warnings": ("エラー・警告はありません。", "No errors or warnings."),
    "data.council_report": ("会議資料", "Meeting paper"),
    "data.council_report_help": ("概要・地区ごとの支援の空白・橋渡し役・地区間の格差を1つの HTML にまとめた印刷用資料です"
                                 "（`tsunagari report` と同じ内容）。ブラウザで開いて A4 で印刷できます。",
                                 "Overview, coverage gaps, bridging actors and district inequality in one printable "
                                 "HTML file (the same as `tsunagari report`). Open it in a browser and print on A4."),
    "data.council_report_button": ("会議資料（印刷用 HTML）をダウンロード", "Download the meeting paper (printable HTML)"),
    "data.tables": ("表のダウンロード", "Download tables"),
    "data.metrics_export": ("指標のエクスポート", "Metrics export"),
    "data.node_counts": ("ノード数", "Nodes"),
    "data.tie_counts": ("関係数", "Ties"),
    "data.content_hash": ("内容ハッシュ", "Content hash"),
    "data.sources": ("出典一覧", "Sources"),
    "data.error": ("エラー", "Error"),
    "data.warning": ("警告", "Warning"),
    "analysis.missing": ("このページの分析（{module}）はまだ導入されていません。",
                         "The analysis behind this page ({module}) is not installed yet."),
}


def t(key: str, lang: str = "ja", **values: object) -> str:
    """The UI string ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    Raises
    ------
    KeyError
        If ``key`` is not in :data:`STRINGS`.

    Examples
    --------
    >>> t("page.network", "en")
    'Network map'
    >>> t("network.shown", "ja", nodes=3, edges=2)
    '表示: ノード 3 件・関係 2 件'
    """
    try:
        ja, en = STRINGS[key]
    except KeyError as err:
        raise KeyError(f"UI string `{key}` is not defined in tsunagari.dashboards.i18n.STRINGS.") from err
    text = en if lang == "en" else ja
    return text.format(**values) if values else text


def term(vocab: str, label: object, lang: str = "ja") -> str:
    """A stored vocabulary label (Japanese) shown in ``lang``; empty values become ``—``.

    Examples
    --------
    >>> term("sectors", "福祉", "en")
    'Welfare'
    >>> term("sectors", None)
    '—'
    """
    if label is None or label is pd.NA or (isinstance(label, float) and math.isnan(label)) or label == "":
        return "—"
    return vocabulary(vocab).translate(str(label), lang) if lang == "en" else str(label)


def kind_label(kind: str, lang: str = "ja") -> str:
    """The label of a node kind code (``Agency`` → ``機関・部署``).

    Examples
    --------
    >>> kind_label("Council")
    '会議体'
    """
    return vocabulary("node_kinds").by_code(kind).label(lang)


def tie_label(kind: str, lang: str = "ja") -> str:
    """The label of a tie kind code (``MEMBER_OF`` → ``構成員``).

    Examples
    --------
    >>> tie_label("COLLABORATES_WITH", "en")
    'collaborates with'
    """
    return vocabulary("tie_kinds").by_code(kind).label(lang)


def format_number(value: object, lang: str = "ja", *, digits: int = 0) -> str:
    """A number with thousands separators (``12,345``; ``digits`` decimals); missing → ``—``.

    Japanese official tables use the same comma grouping, so both languages share it.

    Examples
    --------
    >>> format_number(459593)
    '459,593'
    >>> format_number(0.3456, digits=3)
    '0.346'
    >>> format_number(None)
    '—'
    """
    if value is None or value is pd.NA:
        return "—"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "—"
    return f"{number:,.{digits}f}"


def format_percent(value: object, lang: str = "ja", *, digits: int = 1) -> str:
    """A percentage already in 0–100 with ``digits`` decimals (``25.6%``); missing → ``—``.

    Examples
    --------
    >>> format_percent(25.6)
    '25.6%'
    """
    text = format_number(value, lang, digits=digits)
    return text if text == "—" else text + "%"

STRINGS.update({
    "coverage.domain": ("分野（属性）・ニーズ", "Domain or need"),
    "coverage.heatmap": ("地区 × 事業区分：提供主体の数（{domain}）", "District × pillar: providers ({domain})"),
    "coverage.levels": ("地区 × 事業区分：充足状況（◎ 2以上でうち地区内に1以上、○ 2以上だが市全域の機関のみ、"
                        "△ 1つだけ、× なし）",
                        "District × pillar: level (◎ two or more, at least one local, ○ two or more, city-wide "
                        "only, △ a single provider, × none)"),
    "coverage.none_cells": ("空白（提供なし）", "Gaps (no provider)"),
    "coverage.thin_cells": ("手薄（1主体のみ）", "Thin (one provider)"),
    "coverage.city_only_cells": ("市域の機関のみ", "City-wide only"),
    "coverage.gap_list": ("空白・手薄の一覧", "Gaps and thin spots"),
    "coverage.needs": ("制度の狭間のニーズへの対応", "Needs between systems"),
    "coverage.unaddressed": ("未対応のニーズ", "Unaddressed needs"),
    "coverage.councils": ("会議体の構成（福祉分野だけの会議＝サイロ）", "Council composition (welfare-only = silo)"),
    "coverage.sectors": ("会議体にいない分野", "Sectors missing from councils"),
    "coverage.residents": ("住民基盤（町会加入率・住民組織）", "Residents' base (association rate, groups)"),
    "coverage.no_districts": ("地区のデータがないため、地区別のカバレッジは計算できません。",
                              "No districts in the data, so there is no district coverage to show."),
    "bridging.ranking": ("橋渡し役の順位（媒介中心性順）", "Bridging actors (by betweenness)"),
    "bridging.cutpoints": ("切断点（いなくなると分断される主体）", "Cut points"),
    "bridging.bridges": ("橋（1本だけのつながり）", "Bridges"),
    "bridging.communities": ("コミュニティ数", "Communities"),
    "bridging.ei": ("E-I 指数（分野間）", "E-I index (between sectors)"),
    "bridging.whatif": ("もしこの主体がいなくなったら", "What if this actor were gone"),
    "bridging.actor": ("主体を選ぶ", "Choose an actor"),
    "bridging.components_after": ("残りの分かれ方（成分数）", "Components after"),
    "bridging.pairs_lost": ("つながりを失う組", "Pairs disconnected"),
    "bridging.pairs_lost_share": ("失われる組の割合", "Share of pairs lost"),
    "bridging.isolated_after": ("孤立する主体", "Actors isolated"),
    "bridging.cut_off": ("この主体がいなくなると切り離される主体: {names}", "Cut off by this loss: {names}"),
    "bridging.none_cut_off": ("この主体がいなくても、他の主体のつながりは保たれます。",
                              "Without this actor every other actor stays connected."),
    "bridging.main_group": ("残る最大のまとまり", "Main group that remains"),
    "bridging.cut_group": ("切り離される主体", "Cut off"),
    "bridging.apart_group": ("もともと別のまとまり", "Apart already"),
    "bridging.shared_tie": ("同じ会議・事業への参加", "shared council or program"),
    "bridging.no_actors": ("主体（機関・住民組織）がありません。", "No actors (agencies, residents' groups)."),
    "inequality.per": ("比べる値", "Compare"),
    "inequality.per.none": ("資源数（実数）", "Resource units (raw)"),
    "inequality.per.population": ("人口1万人あたり", "Per 10,000 residents"),
    "inequality.per.elderly": ("高齢者1千人あたり", "Per 1,000 aged 65+"),
    "inequality.per.children": ("子ども1千人あたり", "Per 1,000 children"),
    "inequality.bars": ("地区別の地域資源", "Local resources by district"),
    "inequality.lorenz": ("ローレンツ曲線", "Lorenz curve"),
    "inequality.lorenz_x": ("地区の累積割合", "Cumulative share of districts"),
    "inequality.lorenz_y": ("資源の累積割合", "Cumulative share of resources"),
    "inequality.indices": ("格差の指標", "Inequality indices"),
    "inequality.gini": ("ジニ係数", "Gini"),
    "inequality.theil_t": ("タイル指数 T", "Theil T"),
    "inequality.excluded": ("値がないため除外した地区: {names}", "Districts left out for lack of a value: {names}"),
    "inequality.no_districts": ("比べられる地区がありません。", "No districts to compare."),
})

# Coded cell values of the coverage and inequality tables, as people read them.
STRINGS.update({
    "value.yes": ("はい", "Yes"),
    "value.no": ("いいえ", "No"),
    "status.unaddressed": ("未対応", "Unaddressed"),
    "status.addressed": ("対応あり", "Addressed"),
    "status.not_recorded": ("データに記載なし", "Not recorded in the data"),
    "status.silo": ("福祉分野のみ（サイロ）", "Welfare only (silo)"),
    "status.mixed": ("福祉以外も参加", "Mixed sectors"),
    "status.no_members": ("構成員の記載なし", "No members listed"),
    "status.not_on_any_council": ("データにあるが会議体に不参加", "In the data, on no council"),
    "status.absent_from_data": ("データにない", "Absent from the data"),
    "status.on_councils": ("会議体に参加", "On councils"),
    "coverage.any_domain": ("全体", "All"),
    "coverage.level.covered": ("充足（2以上、うち地区内に1以上）", "Covered (two or more, at least one local)"),
    "coverage.level.city_only": ("2以上だが市全域の機関のみ", "Two or more, city-wide only"),
    "coverage.level.thin": ("手薄（1主体のみ）", "Thin (one provider)"),
    "coverage.level.none": ("空白（提供なし）", "Gap (no provider)"),
    # Definitions of the indices without a citation (the analysis gives them in English only).
    "inequality.definition.cv": ("母標準偏差 ÷ 平均", "coefficient of variation (population SD / mean)"),
    "inequality.definition.max_min_ratio": ("最大値 ÷ 最小値", "max / min"),
    # Manifest fields on the data page (Japanese as in the data package, tsunagari.graph.model).
    "manifest.content_hash": ("内容ハッシュ", "Content hash"),
    "manifest.code": ("団体コード", "Municipality code"),
    "manifest.name": ("市町村名", "Name"),
    "manifest.name_en": ("英語名", "English name"),
    "manifest.slug": ("スラッグ", "Slug"),
    "manifest.prefecture": ("都道府県", "Prefecture"),
    "manifest.population": ("人口", "Population"),
    "manifest.households": ("世帯数", "Households"),
    "manifest.elderly": ("高齢者人口", "Population aged 65+"),
    "manifest.children": ("児童人口", "Population under 18"),
    "manifest.as_of": ("時点", "As of"),
    "manifest.source": ("出典", "Source"),
    "manifest.note": ("備考", "Note"),
})

# The printed meeting report (tsunagari.dashboards.council_report, `tsunagari report`).
STRINGS.update({
    "col.brokerage_rank": ("仲介の順位", "Brokerage rank"),
    "col.pairs_lost_share": ("失われる組の割合", "Share of pairs lost"),
    "col.loss_rank": ("影響の順位", "Loss rank"),
    "col.isolated_after": ("孤立する主体数", "Actors isolated"),
    "col.components_after": ("除いた後の成分数", "Components after"),
    "report.title": ("重層的支援体制 連携ネットワークの点検（会議資料）",
                     "Multi-layered support: review of the collaboration network (meeting paper)"),
    "report.subtitle": ("地区ごとの支援の空白と、ネットワークをつなぐ機関",
                        "District gaps in support, and who holds the network together"),
    "report.generated": ("作成日時", "Generated"),
    "report.tool": ("作成ツール", "Tool"),
    "report.contents": ("目次", "Contents"),
    "report.how_to_read": ("読み方", "How to read this"),
    "report.none": ("（なし）", "(none)"),
    "report.legend": ("凡例", "Legend"),
    "report.section.overview": ("概要", "Overview"),
    "report.section.coverage": ("地区ごとの支援の空白", "Coverage gaps by district"),
    "report.section.bridging": ("ネットワークをつなぐ機関（橋渡し役）", "Who holds the network together"),
    "report.section.inequality": ("地区間の資源の格差", "Resource inequality between districts"),
    "report.section.about": ("計算条件と指標の出典", "Parameters and references"),
    "report.note.overview": (
        "データパッケージに記録された機関・会議体・事業・地区などの件数です。複数の拠点を1件にまとめた記録"
        "（例：地域包括支援センター ×12）は1件と数えます。人口などの数値はデータにある値だけで、推計はしていません。",
        "Counts of the agencies, councils, programs, districts and other records of the data package. A record "
        "standing for several sites (e.g. 12 community general support centres) counts once. Population figures "
        "are those in the data; nothing is estimated."),
    "report.note.coverage": (
        "地区ごと・事業区分（社会福祉法第106条の4の5つの支援）ごとに、その地区に届いている提供主体"
        "（機関・住民組織と、運営する機関が記録されていない事業）の数から充足状況を判定しています。"
        "◎ は2以上でうち1以上が地区内、○ は2以上だが全市域の機関のみ、△ は1つだけ（その主体が欠けると空白になる"
        "単一障害点）、× は提供なしです。上の表は分野を問わない「全体」の判定、「空白・手薄の一覧」は分野・ニーズ別の"
        "判定です。各セルの提供主体数は `tsunagari gaps --format csv` で出力できます。判定の規則は "
        "docs/analysis-coverage.md にあります。",
        "For each district and pillar (the five kinds of support of Social Welfare Act art. 106-4), the level "
        "comes from the number of providers reaching the district (agencies, residents' groups, and programs "
        "whose operator is not recorded). ◎ two or more, at least one local; ○ two or more, city-wide only; "
        "△ a single provider (a single point of failure: if it is lost, the cell is a gap); × none. The grid "
        "above judges all domains together (All); the list of gaps and thin spots judges each domain and need. "
        "`tsunagari gaps --format csv` prints the providers of every cell. The rules are in "
        "docs/analysis-coverage.md."),
    "report.note.bridging": (
        "機関・住民組織を点とし、連携・紹介・委託・運営・構成員の関係と、同じ会議体・事業への参加を線とした"
        "ネットワークで計算しています。媒介中心性は、他の主体どうしを結ぶ最短経路のうち、その主体を通る割合"
        "（0〜1、つながりが強いほど近いとみなす）で、大きいほど情報や相談のつなぎ役を担っています。"
        "「分野間の仲介」は分野をまたぐ仲介（Gould & Fernandez の渡り役・代表役・門番役・連絡役）の数です。"
        "「失われる組の割合」は、その主体がいなくなった場合に、つながっていた他の主体の組のうち途切れる組の割合です。"
        "いずれも関係の構造を示すもので、各機関の仕事の質や量を評価するものではありません。",
        "Computed on the network whose points are agencies and residents' groups, and whose lines are "
        "collaboration, referral, commissioning, operation and membership ties and shared councils or programs. "
        "Betweenness is the share of shortest paths between other actors that pass through an actor (0–1; "
        "stronger ties count as shorter): the higher, the more it relays information and cases. Brokerage "
        "across groups counts brokerage that crosses sectors (Gould & Fernandez's itinerant, representative, "
        "gatekeeper and liaison roles). Share of pairs lost: of the pairs of other actors that were connected, "
        "the share no longer connected once the actor is gone. These describe the structure of the ties; they "
        "do not rate the quality or amount of any agency's work."),
    "report.note.loss": (
        "いなくなった場合に他の主体どうしのつながりが途切れる主体を、影響の大きい順に示します（影響のない主体は省略）。",
        "Actors whose loss disconnects other actors, worst first (actors whose loss disconnects no one are "
        "left out)."),
    "report.note.inequality": (
        "地区ごとの地区内の資源（事業・機関・住民組織・会議体の数。全市域の資源は含まない）を「{per}」で比べています。"
        "ジニ係数は0で完全に平等、1に近いほど一部の地区に集中していることを示します。ローレンツ曲線は対角線から"
        "離れるほど不平等です。地区数が少ないとジニ係数の最大値は1より小さくなるため、補正した値も示します。"
        "分母（人口など）の数値がない地区は比較から除き、理由を示します。",
        "Local resources of each district (programs, agencies, residents' groups and councils located in it; "
        "city-wide resources excluded) compared as \"{per}\". A Gini coefficient of 0 means perfect equality; "
        "near 1, resources are concentrated in a few districts. The further the Lorenz curve from the diagonal, "
        "the greater the inequality. With few districts the Gini's maximum is below 1, so the corrected value "
        "is shown too. Districts without a denominator (population ...) are left out, with the reason."),
    "report.ranking": ("媒介中心性の上位{n}（重み付き、距離 = 1/重み）",
                       "Top {n} actors by betweenness (weighted, distance = 1/weight)"),
    "report.loss": ("失われた場合に途切れるつながり", "What breaks if this actor is lost"),
    "report.no_loss": ("どの主体がいなくなっても、他の主体どうしのつながりは途切れません。",
                       "No single actor's loss disconnects other actors."),
    "report.aggregate": ("（集約）", " (aggregate)"),
    "report.network": ("ネットワーク全体", "Whole network"),
    "report.actors": ("主体（機関・住民組織）", "Actors (agencies, groups)"),
    "report.ties": ("つながりのある組", "Tied pairs"),
    "report.components": ("つながりのまとまり（成分）", "Components"),
    "report.isolates": ("どことも関係の記録がない主体", "Actors with no recorded tie"),
    "report.largest_share": ("最大のまとまりに含まれる割合", "Share in the largest component"),
    "report.gap_summary": ("「全体」の空白・手薄（地区 × 事業区分のセル数）",
                           "Gaps and thin spots of All (district × pillar cells)"),
    "report.gap_list_note": ("地区 × 事業区分ごとに、空白・手薄・市域の機関のみの分野（属性）とニーズを挙げます。",
                             "For each district and pillar, the domains and needs that are gaps, thin or "
                             "covered only city-wide."),
    "report.parameters": ("計算条件", "Parameters"),
    "report.parameters_text": (
        "ネットワーク：関係の種類は {ties}、共通の参加は {affiliations}（Newman 2001 の重み 1/(n−1)）、仲介と E-I "
        "指数のグループは{group}、コミュニティは {method}（seed {seed}）、E-I 検定の並べ替えは {permutations} 回。"
        "地域格差：{per}。",
        "Network: ties {ties}; shared affiliations {affiliations} (Newman 2001 weight 1/(n−1)); groups of "
        "brokerage and the E-I index: {group}; communities {method} (seed {seed}); E-I permutations "
        "{permutations}. Inequality: {per}."),
    "report.same_figures": (
        "この資料の数値は `tsunagari summary`・`gaps`・`metrics`・`inequality` とダッシュボードと同じ関数で計算しています。",
        "The figures of this report come from the same functions as `tsunagari summary`, `gaps`, `metrics`, "
        "`inequality` and the dashboard."),
    "report.references": ("指標の出典", "References"),
    "report.print_hint": ("ブラウザの印刷（A4）でそのまま会議資料として印刷できます。",
                          "Print from the browser (A4) to hand it out as a meeting paper."),
    "report.group.sector": ("分野", "sector"),
    "report.group.domain": ("対象分野", "domain"),
    "report.group.layer": ("層", "layer"),
    "report.group.kind": ("種類", "kind"),
    "report.nothing": ("なし", "none"),
})
