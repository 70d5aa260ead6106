"""The graph model: node kinds, their properties, and the tables of a data package.

One declaration drives everything: the loader validates columns against it, the stores derive
their schema and Cypher from it, ``docs/data-format.md`` is generated from it, and the analysis
reads attribute names from it. Labels and relationship types that reach a Cypher statement come
only from here (``NODE_KINDS``) and from the ``tie_kinds`` vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tsunagari.graph.vocabulary import vocabulary

__all__ = [
    "Column",
    "NodeKind",
    "NODE_KINDS",
    "TIES_TABLE",
    "MANIFEST_FIELDS",
    "node_kind",
]

ColumnType = Literal["id", "ref", "text", "int", "float", "percent", "bool", "term", "terms", "code", "fiscal_year"]


@dataclass(frozen=True)
class Column:
    """One column of a data-package table.

    ``type``: ``id`` (this row's id), ``ref`` (id of another row; ``ref_kinds`` lists allowed
    kinds), ``text``, ``int`` (whole number ≥ 0), ``float`` (number ≥ 0), ``percent`` (0–100),
    ``bool`` (true/false, はい/いいえ, 1/0), ``term`` (one value of ``vocabulary``), ``terms``
    (several values of ``vocabulary`` separated by ``;``), ``code`` (an external identifier named
    by the column, checked by :mod:`tsunagari.loaders.external_ids`) or ``fiscal_year`` (年度, western or
    和暦, stored as the western year: :func:`tsunagari.graph.fiscal_year.parse_fiscal_year`).
    """

    name: str
    type: ColumnType
    ja: str
    description_ja: str
    description_en: str
    example: str
    required: bool = False
    vocabulary: str | None = None
    ref_kinds: tuple[str, ...] = ()
    implies: str | None = None  # tie kind created from a ``ref`` column (row → referenced id)
    implies_reverse: bool = False  # the implied tie runs referenced id → row instead
    legacy_names: tuple[str, ...] = ()  # header spellings of older packages, still read as this column

    @property
    def stored_type(self) -> str:
        """Type of the stored property: STRING, INT64, DOUBLE, BOOLEAN or STRING[]."""
        return {
            "int": "INT64",
            "fiscal_year": "INT64",
            "float": "DOUBLE",
            "percent": "DOUBLE",
            "bool": "BOOLEAN",
            "terms": "STRING[]",
        }.get(self.type, "STRING")


@dataclass(frozen=True)
class NodeKind:
    """A node label of the graph and the table (file/sheet) that lists its nodes."""

    label: str
    table: str
    table_ja: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"Table `{self.table}` has no column `{name}`.")

    @property
    def property_names(self) -> tuple[str, ...]:
        """Stored property names (every column except implied-tie references)."""
        return tuple(c.name for c in self.columns)


def _common_head(name_example: str, id_example: str) -> tuple[Column, ...]:
    return (
        Column("id", "id", "ID", "パッケージ内で一意の識別子（英数字・記号、全角は半角に正規化）",
               "Identifier unique within the package (NFKC-normalized).", id_example, required=True),
        Column("name", "text", "名称", "正式名称（日本語）", "Official name (Japanese).",
               name_example, required=True),
        Column("name_en", "text", "英語名", "英語名（任意）", "English name (optional).", ""),
    )


_SOURCE = Column(
    "source", "text", "出典", "出典：資料ファイル名と該当スライド・節（必須。すべての事実を追跡可能にする）",
    "Source: document file name and slide/section (required, for traceability).",
    "000_3e15e575296e7296.txt 尼崎（あま）のご紹介", required=True,
)
_NOTE = Column("note", "text", "備考", "備考", "Free note.", "")
_COUNT = Column("count", "int", "箇所数", "このノードが表す箇所・団体の数（集約ノードの場合）",
                "Number of sites/groups this node stands for (aggregate nodes).", "12")
_AGGREGATE = Column("aggregate", "bool", "集約", "複数の箇所・団体を1ノードにまとめた集約ノードなら true",
                    "true when the node aggregates several sites/groups known only as a count.", "true")


def _district_ref(implies: str, ja_desc: str, en_desc: str) -> Column:
    return Column("district", "ref", "地区", ja_desc, en_desc, "muko", ref_kinds=("District",),
                  implies=implies)


NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind("District", "districts", "圏域・地区", (
        *_common_head("武庫地区", "muko"),
        Column("layer", "term", "圏域の種類", "圏域の種類（市域、中学校圏域、日常生活圏域、小学校区、自治会区域 など）",
               "Area type (市域, 中学校圏域, 日常生活圏域, 小学校区, 自治会区域 …).", "地区", required=True,
               vocabulary="layers", legacy_names=("層",)),
        Column("tier", "term", "層", "重層的支援体制での層（第1層／第2層／第3層）。市町村ごとに決まる。空欄なら圏域の種類の"
               "既定（市域 = 第1層、中学校圏域・日常生活圏域・地区 = 第2層、小学校区・自治会区域 = 第3層）",
               "Tier of the multi-layered system (第1層/第2層/第3層), set by each municipality; empty: the area "
               "type's default (市域 = 1, 中学校圏域/日常生活圏域/地区 = 2, 小学校区/自治会区域 = 3).", "第2層",
               vocabulary="tiers"),
        Column("parent", "ref", "上位圏域", "上位の圏域のID（空欄なら市町村直下）",
               "Id of the enclosing district (empty: directly under the municipality).", "",
               ref_kinds=("District",), implies="PART_OF"),
        Column("population", "int", "人口", "人口（人）", "Population (persons).", "75397"),
        Column("households", "int", "世帯数", "世帯数（世帯）", "Households.", "37695"),
        Column("elderly", "int", "高齢者人口", "65歳以上人口（人）", "Population aged 65+ (persons).", ""),
        Column("children", "int", "児童人口", "18歳未満人口（人）", "Population under 18 (persons).", ""),
        Column("children_under_15", "int", "年少人口", "15歳未満人口（人）。5歳階級の人口表から18歳未満が出せないときに使う",
               "Population under 15 (persons); 5-year age bands give this where under 18 cannot be counted.", ""),
        Column("association_rate", "percent", "自治会・町内会加入率", "自治会・町内会加入率（%）",
               "Neighbourhood-association membership rate (%).", "25.6"),
        Column("as_of", "text", "時点", "数値の時点", "Date the figures refer to.", "R5/3/31"),
        _SOURCE, _NOTE,
        Column("boundary", "text", "境界", "地区の境界（GeoJSON のジオメトリ）。表には書かず、パッケージの districts.geojson "
               "から読み込む（docs/data-format.md）", "District boundary (GeoJSON geometry), read from the package's "
               "districts.geojson, not written in the table.", ""),
    )),
    NodeKind("Agency", "agencies", "機関・部署", (
        *_common_head("重層的支援推進担当課", "jusou"),
        Column("type", "term", "種別", "組織の種別", "Organisation type.", "庁内部署", required=True,
               vocabulary="agency_types"),
        Column("sector", "term", "所管領域", "所管領域（福祉・保健医療・教育・住まい など。福祉以外との連携を測るために使う）",
               "Policy sector (used to measure ties beyond welfare).", "福祉", required=True,
               vocabulary="sectors", legacy_names=("分野",)),
        Column("domains", "terms", "対象者の属性", "対象とする分野（; 区切り）。地区間格差の高齢者・子どもあたりの数に使う"
               "（カバー状況のセルは運営する事業の分野から決まり、この列では増えない）",
               "Target domains (`;`-separated). Used for the per-elderly and per-child counts of the district "
               "inequality; coverage cells come from the programs an agency operates, never from this column.",
               "高齢;障がい", vocabulary="domains", legacy_names=("対象分野",)),
        Column("operation", "term", "実施方式", "直営／委託（分かる場合）", "Directly run or contracted, where known.",
               "委託", vocabulary="operations"),
        Column("parent", "ref", "上位組織", "上位組織（局・部・法人など）のID", "Id of the parent organisation.",
               "kenko_fukushi_kyoku", ref_kinds=("Agency",), implies="PART_OF"),
        _district_ref("LOCATED_IN", "事務所が所在する圏域・地区のID（場所だけを表す。担当区域は serves）",
                      "Id of the district its office is in (location only; the area served is `serves`)."),
        Column("serves", "ref", "担当区域", "サービスを提供する圏域・地区のID（空欄なら市町村全域。複数の地区は "
               "ties.csv の SERVES で追加）。この列のない古いパッケージでは district を担当区域としても読む",
               "Id of the district it serves (empty: the whole municipality; more districts as SERVES ties in "
               "ties.csv). In older packages without this column, `district` is read as the area served too.",
               "muko", ref_kinds=("District",), implies="SERVES"),
        _COUNT, _AGGREGATE,
        Column("features", "text", "特徴", "機関の特徴・役割", "Features and role.", "居住支援"),
        Column("corporate_number", "code", "法人番号", "運営法人の法人番号（13桁、先頭は検査用数字。任意）。再取り込みで"
               "同じ機関を見分けるのに使う", "Corporate number of the operating body (13 digits, the first a check "
               "digit; optional). Lets a re-import recognise the agency.", "7000012050002"),
        Column("ltc_provider_number", "code", "介護保険事業所番号", "介護保険事業所番号（10桁、上2桁は都道府県。任意）",
               "Long-term-care provider number (10 digits, the first two the prefecture; optional).", "2870100012"),
        Column("medical_institution_code", "code", "医療機関コード", "医療機関コード（7桁、または都道府県番号と点数表番号を"
               "付けた10桁。任意）", "Medical institution code (7 digits, or 10 with the prefecture and fee-table "
               "digits; optional).", "2811234567"),
        _SOURCE, _NOTE,
    )),
    NodeKind("Council", "councils", "会議体", (
        *_common_head("重層的支援施策間連携会議", "shisakukan"),
        Column("level", "term", "会議の階層", "会議の階層（代表者会議、庁内連携、実務者、個別支援、地域、ネットワーク）",
               "Level of the council (heads, cross-department, practitioners, case, area, network).", "庁内連携",
               required=True, vocabulary="council_levels", legacy_names=("会議の種類",)),
        Column("category", "term", "会議の根拠", "法令上の位置づけ（重層的支援会議、支援会議（法第106条の6）、法定協議会、"
               "附属機関、協議体、地域ケア会議、ケース会議 など）",
               "Legal basis (重層的支援会議, 支援会議 under art. 106-6, statutory council, advisory body, 協議体, "
               "community care meeting, case meeting …).", "重層的支援会議", vocabulary="council_categories"),
        Column("multi_agency", "bool", "多機関協働の場", "多機関協働事業（第5号・第6号）の場として数えるなら true。重層的支援会議と"
               "支援会議は空欄でも数える。各法の会議（地域ケア会議、ケース会議など）は true のときだけ数える",
               "true to count the council as a mechanism of 多機関協働事業 (items 5 and 6). 重層的支援会議 and 支援会議 "
               "count even when empty; councils under one law (地域ケア会議, case meetings …) only when true.", "true"),
        Column("layer", "term", "圏域の種類", "会議が扱う圏域の種類", "Area type the council works on.", "市域",
               vocabulary="layers", legacy_names=("層",)),
        Column("tier", "term", "層", "会議が扱う層（第1層／第2層／第3層）", "Tier the council works on.", "第1層",
               vocabulary="tiers"),
        Column("meetings_per_year", "float", "開催回数", "年間開催回数（回／年）", "Meetings per year.", "2"),
        Column("convener", "ref", "主催", "主催・事務局の機関ID", "Id of the convening agency.", "jusou",
               ref_kinds=("Agency",), implies="OPERATES", implies_reverse=True),
        _district_ref("SERVES", "対象の圏域・地区のID（市域なら空欄）", "Id of the district served (empty: city-wide)."),
        Column("purpose", "text", "目的", "会議の目的・内容", "Purpose and content.", "施策間の連携推進"),
        _COUNT, _AGGREGATE,
        _SOURCE, _NOTE,
    )),
    NodeKind("ResidentGroup", "resident_groups", "住民組織", (
        *_common_head("武庫地区 町会", "muko_chokai"),
        Column("type", "term", "種別", "住民組織の種別", "Type of residents' group.", "自治会・町会",
               required=True, vocabulary="resident_group_types"),
        Column("domains", "terms", "対象者の属性", "活動の対象者の属性（; 区切り。空欄なら種別の既定値: 子ども食堂 → 子ども、"
               "サロン・老人クラブ → 高齢、ほかは分野なし）",
               "Target domains (`;`-separated; empty: the type's default: 子ども食堂 → 子ども, サロン and 老人クラブ → "
               "高齢, others none).", "子ども", vocabulary="domains", legacy_names=("対象分野",)),
        _district_ref("SERVES", "活動する圏域・地区のID（市域なら空欄）", "Id of the district it is active in."),
        _COUNT, _AGGREGATE,
        _SOURCE, _NOTE,
    )),
    NodeKind("Program", "programs", "事業", (
        *_common_head("地域包括支援センター運営事業", "houkatsu"),
        Column("pillar", "term", "事業区分", "重層的支援体制整備事業の5つの事業のいずれか",
               "One of the five pillars.", "包括的相談支援", required=True, vocabulary="pillars"),
        Column("articles", "terms", "根拠条項", "社会福祉法第106条の4第2項の号（第1号イ など。複数は ; 区切り: 第5号;第6号）",
               "Article items of Social Welfare Act 106-4(2) (`;`-separated, e.g. 第5号;第6号).", "第1号イ",
               vocabulary="articles", legacy_names=("article",)),
        Column("domains", "terms", "対象者の属性", "対象者の属性（高齢・障がい・子ども・生活困窮・全世代。; 区切り）",
               "Domains (`;`-separated).", "高齢", vocabulary="domains", legacy_names=("分野",)),
        Column("operation", "term", "実施方式", "直営／委託", "Directly run or contracted.", "委託",
               vocabulary="operations"),
        Column("responsible", "ref", "所管課", "所管課のID（監督する課。提供主体には数えない。直営で ties.csv に"
               "実施主体がなければ所管課が実施）", "Id of the responsible section (oversight, not a provider; a 直営 "
               "program with no operator in ties.csv is run by it).", "kourei",
               ref_kinds=("Agency",), implies="OPERATES", implies_reverse=True),
        _district_ref("SERVES", "事業を実施する圏域・地区のID（空欄なら実施主体の担当区域、それもなければ市町村全域）",
                      "Id of the district the program is delivered in (empty: its operators' service area, else "
                      "the whole municipality)."),
        Column("targets", "text", "成果目標", "成果目標（数値目標）", "Numeric targets.", "相談件数 R8: 1,200件"),
        _COUNT, _AGGREGATE,
        _SOURCE, _NOTE,
    )),
    NodeKind("Need", "needs", "制度の狭間のニーズ", (
        Column("id", "id", "ID", "パッケージ内で一意の識別子", "Identifier unique within the package.",
               "hikikomori", required=True),
        Column("name", "term", "ニーズ", "地域生活課題（制度の狭間のニーズ）。語彙から選ぶ。地域独自の課題は local を true に",
               "Need between systems, from the vocabulary; a need of the municipality's own with `local` = true.",
               "ひきこもり", required=True, vocabulary="needs"),
        Column("name_en", "text", "英語名", "英語名（任意）", "English name (optional).", ""),
        Column("local", "bool", "地域独自", "語彙にない、この市町村独自の課題なら true（名称はそのまま使う。例: 買い物困難）",
               "true for a need of the municipality's own, not in the vocabulary (its name is kept as written, "
               "e.g. 買い物困難).", "false"),
        _SOURCE, _NOTE,
    )),
)

TIES_TABLE: tuple[Column, ...] = (
    Column("from", "ref", "起点", "起点ノードのID", "Id of the tie's start node.", "jusou", required=True),
    Column("to", "ref", "終点", "終点ノードのID", "Id of the tie's end node.", "shisakukan", required=True),
    Column("kind", "term", "関係", "関係の種類", "Kind of tie.", "MEMBER_OF", required=True,
           vocabulary="tie_kinds"),
    Column("role", "term", "役割", "会議での役割（MEMBER_OF のとき）", "Role on the council (MEMBER_OF).", "座長",
           vocabulary="roles"),
    Column("operation", "term", "実施方式", "直営／委託（OPERATES のとき）。ties.csv の OPERATES は実施（提供主体）を表す",
           "Directly run or contracted (OPERATES). An OPERATES tie in ties.csv makes its start a provider of the program.",
           "委託", vocabulary="operations"),
    Column("agreement", "term", "協定の種類", "協定の種類（AGREEMENT のとき: 見守り協定、包括連携協定、再犯防止連携協定、"
           "協働実施協定 など）", "Type of agreement (AGREEMENT ties).", "見守り協定", vocabulary="agreement_types"),
    Column("year", "int", "締結年", "協定の締結年（西暦、AGREEMENT のとき）", "Year the agreement was signed (AGREEMENT).",
           "2021"),
    Column("weight", "float", "重み", "関係の強さ（共有事例数など。空欄は1）",
           "Tie strength (e.g. number of shared cases; empty = 1).", "2"),
    Column("basis", "text", "根拠", "関係の根拠（事例番号、名簿など。個人情報は書かない）",
           "What the tie rests on (case number, member list; never personal data).", "事例№1"),
    _SOURCE, _NOTE,
)

MANIFEST_FIELDS: tuple[Column, ...] = (
    Column("code", "text", "団体コード", "全国地方公共団体コード（5桁、または検査数字つきの6桁。6桁は検査数字を確かめ、"
           "5桁に直して保存する。上2桁が48〜99のコードは架空・テスト用）",
           "Local government code (5 digits, or 6 with the check digit, which is verified; stored as 5 digits. "
           "Codes whose first two digits are 48–99 are reserved for fictional/test packages).", "28202", required=True),
    Column("name", "text", "市町村名", "市町村名", "Municipality name.", "尼崎市", required=True),
    Column("name_en", "text", "英語名", "英語名", "English name.", "Amagasaki"),
    Column("slug", "text", "スラッグ", "フォルダ名などに使う英字名", "Short ASCII name.", "amagasaki",
           required=True),
    Column("prefecture", "text", "都道府県", "都道府県", "Prefecture.", "兵庫県"),
    Column("population", "int", "人口", "人口（人）", "Population.", "458313"),
    Column("households", "int", "世帯数", "世帯数", "Households.", "240821"),
    Column("elderly", "int", "高齢者人口", "65歳以上人口", "Population aged 65+.", ""),
    Column("children", "int", "児童人口", "18歳未満人口", "Population under 18.", ""),
    Column("as_of", "text", "時点", "数値の時点", "Date of the figures.", "R5/3/31"),
    Column("fiscal_year", "fiscal_year", "年度",
           "このパッケージが表す年度（2024、FY2024、2024年度、令和6年度、R6、令和元年度、平成31年度 など。和暦は西暦の年度に"
           "直して保存：令和6年度 = 2024、平成31年度 = 令和元年度 = 2019）。ストアは市町村 × 年度ごとに1つのスナップショットを"
           "持ち、読み込みはその年度だけを置き換える。空欄なら「年度不明」のスナップショット（どの年度よりも古いものとして扱い、"
           "警告を出す。docs/fiscal-years.md）",
           "Fiscal year (年度) the package describes (2024, FY2024, 2024年度, 令和6年度, R6, 令和元年度, 平成31年度 ...; "
           "stored as the western year: 令和6年度 = 2024, 平成31年度 = 令和元年度 = 2019). The store keeps one snapshot "
           "per municipality and fiscal year, and a load replaces only that year. Empty: the year-unknown snapshot "
           "(older than any dated one; a warning; docs/fiscal-years.md).", "令和6年度"),
    Column("source", "text", "出典", "出典", "Source.", "000_3e15e575296e7296.txt", required=True),
    Column("documents", "text", "資料の題名",
           "出典に書いた資料ファイルの題名（任意）。「ファイル名=題名」を「;」で区切って並べる。画面と会議資料では出典が"
           "ファイル名でなくこの題名で示される",
           "Titles of the source document files (optional): \"file=title\" pairs separated by \";\". Screens and the "
           "meeting paper cite a source by this title instead of its file name.",
           "000_3e15e575296e7296.txt=連携・協働のプロセス（尼崎市、2024年3月）"),
    Column("note", "text", "備考", "備考", "Free note.", ""),
)


def node_kind(label: str) -> NodeKind:
    """The node kind with graph label ``label`` (e.g. ``"Agency"``)."""
    for kind in NODE_KINDS:
        if kind.label == label:
            return kind
    raise KeyError(f"Unknown node kind `{label}`. Known: {', '.join(k.label for k in NODE_KINDS)}.")
