"""Import the Digital Agency's 自治体標準オープンデータセット into a data package.

Five datasets are recognised by their published column names (``docs/importing.md`` lists the
version and every field used): 介護サービス事業所一覧, 医療機関一覧, 子育て施設一覧, 公共施設一覧 and
地域・年齢別人口. Facilities become agencies (one per site: the rows of one site's several services
are merged), keyed by their stable external ids; the operating corporation (法人の名称, 法人番号)
becomes the site's parent agency; the district comes from the site's 町字 or address through the
user's 町丁目 → 地区 table; population by 町丁目 and age is summed into those districts. Columns
about people (開設者氏名, 管理者氏名, 代表者 …) are never read into the package.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tsunagari.loaders.external_ids import ExternalIdError, normalize_external_id
from tsunagari.loaders.importers.errors import ImportSourceError
from tsunagari.loaders.importers.package import ImportResult
from tsunagari.loaders.importers.source import SourceTable, header_key, nfkc, number, read_source_table
from tsunagari.loaders.importers.towns import TownTable, read_town_table, town_key
from tsunagari.loaders.personal_data import personal_data_column, personal_data_value
from tsunagari.municipality_code import MunicipalityCodeError, full_code, normalize_code, prefecture_name

__all__ = ["import_opendata", "DATASETS", "detect_dataset", "parse_date", "age_band"]

DATASETS = {
    "care": ("介護サービス事業所一覧", "long-term-care providers"),
    "medical": ("医療機関一覧", "medical institutions"),
    "childcare": ("子育て施設一覧", "childcare facilities"),
    "public": ("公共施設一覧", "public facilities"),
    "population": ("地域・年齢別人口", "population by area and age"),
}

# Logical field → published spellings (first found wins). Compared by source.header_key.
_CODE = ("全国地方公共団体コード", "都道府県コード又は市区町村コード", "市区町村コード", "団体コード")
_MUNICIPALITY = ("地方公共団体名", "市区町村名")
_ROW_ID = ("ID",)
_ADDRESS = ("所在地_連結表記", "住所", "所在地")
_CITY = ("所在地_市区町村",)
_TOWN = ("所在地_町字", "町字", "町丁目", "所在地_町名")
_CORP_NAME = ("法人の名称", "法人名", "法人名称", "運営法人名", "運営法人", "設置主体")
_CORP_NUMBER = ("法人番号",)
_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "care": {"name": ("介護サービス事業所名称", "事業所名称", "事業所名", "名称"),
             "kind": ("介護サービスの種類", "サービスの種類", "サービス種類", "サービス種別"),
             "ltc": ("介護保険事業所番号", "事業所番号")},
    "medical": {"name": ("名称", "医療機関名称", "医療機関名", "施設名"),
                "kind": ("医療機関の種類", "医療機関種別", "種別"),
                "departments": ("診療科目",),
                "med": ("医療機関コード", "医療機関番号")},
    "childcare": {"name": ("名称", "施設名", "施設名称"),
                  "kind": ("子育て施設種別", "施設種別", "種別", "施設の種類", "種類")},
    "public": {"name": ("名称", "施設名", "施設名称"),
               "kind": ("種別", "施設種別", "施設分類", "分類", "施設の種類")},
}
_USED = {header_key(s) for spellings in (_CODE, _MUNICIPALITY, _ROW_ID, _ADDRESS, _CITY, _TOWN, _CORP_NAME,
                                         _CORP_NUMBER) for s in spellings} | {
    header_key(s) for fields in _FIELDS.values() for spellings in fields.values() for s in spellings}
# Header parts that name a person (besides personal_data.personal_data_column): never read.
_PERSON_PARTS = ("氏名", "開設者", "管理者", "代表者", "院長", "施設長", "園長", "理事長", "担当者")
_ADDRESS_KEYS = {header_key(s) for s in _ADDRESS + _TOWN + _CITY}

# (keywords, agency type, sector, domains): the first rule whose keyword is in the kind or name wins.
Rule = tuple[tuple[str, ...], str, str, tuple[str, ...]]
_CHILDCARE_RULES: tuple[Rule, ...] = (
    (("児童発達支援", "放課後等デイサービス"), "福祉サービス事業所", "福祉", ("子ども", "障がい")),
    (("幼稚園",), "学校", "教育", ("子ども",)),
    (("保育", "こども園"), "福祉サービス事業所", "福祉", ("子ども",)),
    (("放課後児童", "学童", "児童クラブ"), "福祉サービス事業所", "福祉", ("子ども",)),
    (("こども家庭センター", "子ども家庭センター", "子育て世代包括支援センター"), "市の施設", "福祉", ("子ども",)),
    (("児童館", "児童センター", "子育て支援センター", "子育て支援拠点", "子育てひろば", "つどいの広場"),
     "市の施設", "福祉", ("子ども",)),
    (("ファミリー・サポート", "ファミリーサポート"), "その他団体", "福祉", ("子ども",)),
)
_PUBLIC_RULES: tuple[Rule, ...] = (
    (("地域包括支援センター",), "委託相談機関", "福祉", ("高齢",)),
    (("保健センター", "保健所"), "市の施設", "保健・医療", ()),
    (("児童館", "子育て"), "市の施設", "福祉", ("子ども",)),
    (("福祉センター", "老人福祉", "障害者", "障がい者", "福祉会館", "社会福祉"), "市の施設", "福祉", ()),
    (("小学校", "中学校", "高等学校", "義務教育学校", "特別支援学校"), "学校", "教育", ("子ども",)),
    (("公民館", "図書館", "博物館", "美術館", "文化", "生涯学習", "体育館", "スポーツ", "プール"),
     "市の施設", "生涯学習・文化", ()),
    (("消防", "警察", "交番", "防災"), "警察・消防", "警察・消防・防災", ()),
    (("市役所", "町役場", "村役場", "役場", "区役所", "支所", "出張所", "庁舎"), "市の施設", "行政管理・財政", ()),
    (("コミュニティ", "市民センター", "地区会館", "集会所", "公会堂", "市民館", "交流センター", "地域会館"),
     "市の施設", "地域振興・市民協働", ()),
    (("市営住宅", "町営住宅", "公営住宅", "県営住宅"), "市の施設", "住まい", ()),
    (("公園",), "市の施設", "都市基盤", ()),
    (("ハローワーク", "就労", "職業"), "市の施設", "雇用・就労", ()),
)
_CHILDCARE_WORDS = ("保育", "幼稚園", "こども園", "児童", "子育て", "学童", "放課後")
# Operating bodies by their name: (keywords, agency type, sector).
_CORP_RULES: tuple[tuple[tuple[str, ...], str, str | None], ...] = (
    (("社会福祉協議会",), "社会福祉協議会", "社会福祉協議会"),
    (("社会福祉法人",), "社会福祉法人", "福祉"),
    (("学校法人",), "学校", "教育"),
    (("社団法人", "財団法人"), "その他団体", None),
    (("医療法人", "病院"), "医療機関", "保健・医療"),
    (("特定非営利活動法人", "NPO法人", "ＮＰＯ法人"), "NPO法人", None),
    (("協同組合", "生活協同組合", "農業協同組合"), "協同組合", None),
    (("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)"), "企業", None),
)
_CITY_TOTALS = {"合計", "総数", "総計", "計", "市計", "町計", "村計", "区計", "全市", "市全体", "全域", "市内合計"}


@dataclass
class _Site:
    id: str
    name: str
    type: str
    sector: str
    domains: list[str]
    features: dict[str, list[str]] = field(default_factory=dict)  # heading → items, in order met
    corp_name: str = ""
    corp_number: str = ""
    ltc: str = ""
    med: str = ""
    district: str = ""
    sources: dict[str, list[int]] = field(default_factory=dict)
    defaulted: tuple[str, str] | None = None  # (column, default value) the user should review


def _error(err: MunicipalityCodeError) -> ImportSourceError:
    return ImportSourceError("importer.bad_code", detail=err.message("ja") + " / " + err.message("en"))


def detect_dataset(table: SourceTable) -> str | None:
    """Which dataset ``table`` is (a key of :data:`DATASETS`), from its column names, else its file name."""
    if table.find("調査年月日", "基準日") is not None and (
            table.find("年齢", "年齢階級", "年齢区分", "総人口", "人口総数", "総数", "人口") is not None
            or any(age_band(h) for h in table.header)):
        return "population"
    if table.find("介護サービスの種類", "介護保険事業所番号", "介護サービス事業所名称") is not None:
        return "care"
    if table.find("医療機関コード", "医療機関の種類", "診療科目", "医療機関名称") is not None:
        return "medical"
    if table.find("子育て施設種別") is not None:
        return "childcare"
    if table.find("POIコード", "名称_通称") is not None:
        return "public"
    stem = table.file
    for word, kind in (("介護", "care"), ("医療", "medical"), ("子育て", "childcare"), ("保育", "childcare"),
                       ("公共施設", "public"), ("人口", "population")):
        if word in stem:
            return kind
    name, kind_col = table.find(*_FIELDS["public"]["name"]), table.find(*_FIELDS["childcare"]["kind"])
    if name is None:
        return None
    if kind_col is not None and table.rows:
        kinds = [table.cell(cells, kind_col) for _, cells in table.rows]
        if sum(any(w in k for w in _CHILDCARE_WORDS) for k in kinds) * 2 > len(kinds):
            return "childcare"
    return "public"


# --- dates and ages -------------------------------------------------------------------------------

_ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_WESTERN = re.compile(r"^(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")
_JAPANESE = re.compile(r"^(令和|平成|昭和|R|H|S)\s*(元|\d{1,2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")


def parse_date(text: str) -> str | None:
    """A 調査年月日 as ``YYYY-MM-DD`` (西暦, 和暦 令和6年3月31日 / R6.3.31, or 20240331), or None.

    >>> parse_date("令和6年3月31日"), parse_date("2024/3/31"), parse_date("20240331")
    ('2024-03-31', '2024-03-31', '2024-03-31')
    """
    value = nfkc(text).upper()
    if re.fullmatch(r"\d{8}", value):
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    match = _WESTERN.match(value)
    if match:
        y, m, d = (int(g) for g in match.groups())
        return f"{y:04d}-{m:02d}-{d:02d}"
    match = _JAPANESE.match(value)
    if match:
        era, year, month, day = match.groups()
        y = _ERAS[era] + (1 if year == "元" else int(year))
        return f"{y:04d}-{int(month):02d}-{int(day):02d}"
    return None


_BAND = re.compile(r"(\d+)\s*歳?\s*[-~〜～]\s*(\d+)\s*歳")
_OVER = re.compile(r"(\d+)\s*歳\s*以上")
_SINGLE = re.compile(r"(\d+)\s*歳")


def age_band(label: str) -> tuple[int, int | None, str] | None:
    """``(lowest age, highest age or None for open-ended, sex "M" / "F" / "T")`` of an age label, or None.

    >>> age_band("0～4歳"), age_band("100歳以上_男"), age_band("17歳"), age_band("総数")
    ((0, 4, 'T'), (100, None, 'M'), (17, 17, 'T'), None)
    """
    text = nfkc(label)
    sex = "T" if ("男" in text) == ("女" in text) else ("M" if "男" in text else "F")
    for pattern, kind in ((_BAND, "band"), (_OVER, "over"), (_SINGLE, "single")):
        match = pattern.search(text)
        if match:
            lo = int(match.group(1))
            if kind == "band":
                return lo, int(match.group(2)), sex
            return (lo, None, sex) if kind == "over" else (lo, lo, sex)
    return None


@dataclass
class _Counts:
    bands: dict[tuple[int, int | None], dict[str, int]] = field(default_factory=dict)
    total: int | None = None
    households: int | None = None
    row: int = 0

    def add_band(self, band: tuple[int, int | None], sex: str, value: int) -> None:
        self.bands.setdefault(band, {}).setdefault(sex, 0)
        self.bands[band][sex] += value

    def band_totals(self) -> dict[tuple[int, int | None], int]:
        return {b: s["T"] if "T" in s else s.get("M", 0) + s.get("F", 0) for b, s in self.bands.items()}


def _sum_below(bands: dict[tuple[int, int | None], int], limit: int) -> int | None:
    """People younger than ``limit``, or None if there are no bands or one straddles it (15–19 and 18)."""
    if not bands or any(lo < limit and (hi is None or hi >= limit) for lo, hi in bands):
        return None
    return sum(v for (lo, hi), v in bands.items() if hi is not None and hi < limit)


def _sum_from(bands: dict[tuple[int, int | None], int], limit: int) -> int | None:
    if not bands or any(lo < limit and (hi is None or hi >= limit) for lo, hi in bands):
        return None
    return sum(v for (lo, _), v in bands.items() if lo >= limit)


# --- the importer ---------------------------------------------------------------------------------


def _slug_id(prefix: str, text: str) -> str:
    value = re.sub(r"[\s:]+", "_", nfkc(text)).strip("_")
    return f"{prefix}_{value}" if value else prefix


def _hash_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}_{digest}"


def _classify(rules: Iterable[Rule], *texts: str) -> Rule | None:
    for rule in rules:
        if any(word in text for word in rule[0] for text in texts if text):
            return rule
    return None


class _Importer:
    def __init__(self, code: str, towns: TownTable | None, as_of: str | None) -> None:
        self.code = code
        self.prefecture = prefecture_name(code) or ""
        self.towns = towns
        self.as_of = as_of
        self.sites: dict[str, _Site] = {}
        self.index: dict[str, str] = {}  # ltc:/med:/name: key → site id
        self.corps: dict[str, _Site] = {}
        self.municipality_name = ""
        self.population: dict[str, _Counts] | None = None
        self.population_date = ""
        self.population_file = ""
        self.result = ImportResult(manifest={})

    # -- rows of one municipality --
    def _ours(self, table: SourceTable, cells: list[str], column: int | None, skipped: list[int], row: int) -> bool:
        value = table.cell(cells, column)
        if not value:
            return True
        try:
            ours = normalize_code(value, prefecture=self.prefecture or None) == self.code
        except MunicipalityCodeError:
            ours = False
        if not ours:
            skipped.append(row)
        return ours

    def _dropped_columns(self, table: SourceTable, dataset: str, used: frozenset[str] = frozenset()) -> None:
        people, unused = [], []
        for header in table.header:
            key = header_key(header)
            if not key or key in _ADDRESS_KEYS or key in used:
                continue  # an address is read to find the district, never written
            personal = personal_data_column(header) or ""
            if any(part in key for part in _PERSON_PARTS) or (
                    personal and key not in _USED and not any(w in personal for w in ("電話", "FAX", "メール"))):
                people.append(header)
            elif key not in _USED:
                unused.append(header)
        if people:
            self.result.notice(
                f"{table.file}: 人に関する列（{'、'.join(people)}）は読み込まず、保存しません。",
                f"{table.file}: columns about people ({', '.join(people)}) are dropped, never stored.")
        if unused:
            self.result.notice(
                f"{table.file}（{DATASETS[dataset][0]}）: 使わない列: {'、'.join(unused)}",
                f"{table.file} ({DATASETS[dataset][1]}): columns not used: {', '.join(unused)}")

    def _external(self, kind: str, value: str, table: SourceTable, row: int, column: str) -> str:
        if not value:
            return ""
        try:
            return normalize_external_id(kind, value)
        except ExternalIdError as err:
            self.result.todo_item(table.file, row, column, value, f"{err.ja} この番号は使いませんでした。",
                                  f"{err.en} The number was not used.")
            return ""

    def _district(self, table: SourceTable, cells: list[str], row: int, town_col: int | None,
                  address_col: int | None, city_col: int | None) -> str:
        if self.towns is None:
            return ""
        town, address = table.cell(cells, town_col), table.cell(cells, address_col)
        strip = tuple(p for p in (self.prefecture, self.municipality_name, table.cell(cells, city_col)) if p)
        found = self.towns.district_of(town, address, strip=strip)
        if found is None and address:  # 架空県テスト市本町… : drop everything up to the municipality's name
            key = town_key(address)
            for name in strip:
                if town_key(name) in key:
                    key = key[key.index(town_key(name)) + len(town_key(name)):]
            found = self.towns.district_of(key)
            address = key
        if found is None and (town or address):
            place = town or re.split(r"[0-9０-９]", address, maxsplit=1)[0]
            self.result.todo_item(table.file, row, "町字", place,
                                  "町丁目 → 地区の表にない町字です。表に追加すると、この機関の所在地区（district）が入ります。",
                                  "This 町字 is not in the 町丁目 → 地区 table; add it to give the agency its district.")
        return found or ""

    def facilities(self, table: SourceTable, dataset: str) -> None:
        fields = _FIELDS[dataset]
        cols = {name: table.find(*spellings) for name, spellings in fields.items()}
        if cols["name"] is None:
            raise ImportSourceError("importer.missing_column", file=table.file, column=fields["name"][0],
                                    dataset=DATASETS[dataset][0])
        code_col, muni_col, id_col = table.find(*_CODE), table.find(*_MUNICIPALITY), table.find(*_ROW_ID)
        address_col, city_col, town_col = table.find(*_ADDRESS), table.find(*_CITY), table.find(*_TOWN)
        corp_col, corp_no_col = table.find(*_CORP_NAME), table.find(*_CORP_NUMBER)
        self._dropped_columns(table, dataset)
        skipped: list[int] = []
        for row, cells in table.rows:
            if not self._ours(table, cells, code_col, skipped, row):
                continue
            self.municipality_name = self.municipality_name or table.cell(cells, muni_col)
            name = table.cell(cells, cols["name"])
            if not name:
                self.result.todo_item(table.file, row, fields["name"][0], "", "名称が空の行は取り込みませんでした。",
                                      "A row without a name was not imported.")
                continue
            if personal_data_value(name):
                self.result.todo_item(table.file, row, fields["name"][0], "",
                                      "名称に電話番号・住所などが含まれるため取り込みませんでした。名称だけにしてください。",
                                      "The name holds a phone number, address or the like; the row was not imported.")
                continue
            kind = table.cell(cells, cols.get("kind"))
            ltc = self._external("ltc_provider_number", table.cell(cells, cols.get("ltc")), table, row,
                                 fields.get("ltc", ("",))[0])
            med = self._external("medical_institution_code", table.cell(cells, cols.get("med")), table, row,
                                 fields.get("med", ("",))[0])
            corp_number = self._external("corporate_number", table.cell(cells, corp_no_col), table, row, "法人番号")
            address_key = town_key(table.cell(cells, address_col) or table.cell(cells, town_col))
            name_key = f"name:{town_key(name)}|{address_key}"
            keys = [k for k in (f"ltc:{ltc}" if ltc else "", f"med:{med}" if med else "", name_key) if k]
            site_id = next((self.index[k] for k in keys if k in self.index), None)
            if site_id is None:
                if ltc:
                    site_id = f"ltc_{ltc}"
                elif med:
                    site_id = f"med_{med}"
                elif table.cell(cells, id_col):
                    site_id = _slug_id({"care": "care", "medical": "med", "childcare": "kids", "public": "pub"}[
                        dataset], table.cell(cells, id_col))
                else:
                    site_id = _hash_id("site", town_key(name), address_key)
                site = self._new_site(site_id, name, dataset, kind, table, row)
                self.sites[site_id] = site
            site = self.sites[site_id]
            for k in keys:
                self.index.setdefault(k, site_id)
            site.ltc, site.med = site.ltc or ltc, site.med or med
            site.corp_number = site.corp_number or corp_number
            corp_name = table.cell(cells, corp_col)
            if corp_name and self.municipality_name and corp_name == self.municipality_name and site.type not in (
                    "学校", "委託相談機関"):
                site.type = "市の施設"  # run by the municipality itself (公立保育所 …)
            if corp_name and not personal_data_value(corp_name):
                site.corp_name = site.corp_name or corp_name
            heading = {"care": "介護サービス", "medical": "", "childcare": "", "public": ""}[dataset]
            items = [kind] if kind else []
            if dataset == "medical" and table.cell(cells, cols.get("departments")):
                items.append("診療科目: " + table.cell(cells, cols.get("departments")))
            for item in items:
                if item not in site.features.setdefault(heading, []) and not personal_data_value(item):
                    site.features[heading].append(item)
            if not site.district:
                site.district = self._district(table, cells, row, town_col, address_col, city_col)
            site.sources.setdefault(table.file, [])
            if row not in site.sources[table.file]:
                site.sources[table.file].append(row)
        if skipped:
            self.result.notice(f"{table.file}: 他の市町村（または読めない団体コード）の {len(skipped)} 行は取り込みませんでした。",
                               f"{table.file}: {len(skipped)} row(s) of other municipalities (or an unreadable code) "
                               "were not imported.")

    def _new_site(self, site_id: str, name: str, dataset: str, kind: str, table: SourceTable, row: int) -> _Site:
        if dataset == "care":
            if "地域包括支援センター" in name or "地域包括支援センター" in kind:
                return _Site(site_id, name, "委託相談機関", "福祉", ["高齢"])
            return _Site(site_id, name, "福祉サービス事業所", "福祉", ["高齢"])
        if dataset == "medical":
            return _Site(site_id, name, "医療機関", "保健・医療", [])
        rules = _CHILDCARE_RULES if dataset == "childcare" else _PUBLIC_RULES
        rule = _classify(rules, kind, name)
        if rule is not None:
            return _Site(site_id, name, rule[1], rule[2], list(rule[3]))
        if dataset == "childcare":
            site = _Site(site_id, name, "その他団体", "福祉", ["子ども"], defaulted=("type", "その他団体"))
            self.result.todo_item(table.file, row, "種別", kind or name,
                                  "種別から機関の種別（type）を決められませんでした。「その他団体」にしたので、確認して直してください。",
                                  "The facility kind gives no agency type; it was set to その他団体: review it.",
                                  resolved_by=("agencies", site_id, "type", "その他団体"))
            return site
        site = _Site(site_id, name, "市の施設", "その他", [], defaulted=("sector", "その他"))
        self.result.todo_item(table.file, row, "種別", kind or name,
                              "施設の所管領域（sector）を決められませんでした。「その他」にしたので、確認して直してください。",
                              "The facility's sector could not be told; it was set to その他: review it.",
                              resolved_by=("agencies", site_id, "sector", "その他"))
        return site

    # -- population --
    def population_table(self, table: SourceTable) -> None:
        date_col = table.find("調査年月日", "基準日", "時点")
        region_col = table.find("地域名", "町丁目", "町字", "町名", "町丁字", "大字町丁目", "地区名")
        code_col = table.find(*_CODE)
        age_col = table.find("年齢", "年齢階級", "年齢区分", "年齢各歳")
        total_col = table.find("総数", "計", "男女計", "人口", "総人口", "人口総数", "合計")
        male_col, female_col = table.find("男", "男性", "男計"), table.find("女", "女性", "女計")
        households_col = table.find("世帯数", "世帯")
        age_cols = {i: band for i, h in enumerate(table.header) if (band := age_band(h)) is not None}
        if region_col is None:
            raise ImportSourceError("importer.missing_column", file=table.file, column="地域名",
                                    dataset=DATASETS["population"][0])
        used = {i for i in (date_col, region_col, code_col, age_col, total_col, male_col, female_col, households_col)
                if i is not None} | set(age_cols)
        self._dropped_columns(table, "population", frozenset(header_key(table.header[i]) for i in used))
        by_date: dict[str, list[tuple[int, list[str]]]] = {}
        for row, cells in table.rows:
            date = parse_date(table.cell(cells, date_col)) if date_col is not None else ""
            by_date.setdefault(date or "", []).append((row, cells))
        dates = sorted(d for d in by_date if d)
        if self.as_of:
            wanted = parse_date(self.as_of) or self.as_of
            if wanted not in by_date:
                raise ImportSourceError("importer.unknown_date", file=table.file, date=self.as_of,
                                        dates=", ".join(dates) or "—")
        else:
            wanted = dates[-1] if dates else ""
        if len(dates) > 1:
            self.result.notice(f"{table.file}: 調査年月日が{len(dates)}つあります（{', '.join(dates)}）。{wanted} を使いました"
                               "（--as-of で選べます）。",
                               f"{table.file}: {len(dates)} survey dates ({', '.join(dates)}); {wanted} was used "
                               "(choose with --as-of).")
        counts: dict[str, _Counts] = {}
        skipped: list[int] = []
        for row, cells in by_date.get(wanted, []):
            if not self._ours(table, cells, code_col, skipped, row):
                continue
            region = table.cell(cells, region_col)
            if not region:
                continue
            entry = counts.setdefault(region, _Counts(row=row))
            if households_col is not None and number(table.cell(cells, households_col)) is not None:
                entry.households = (entry.households or 0) + (number(table.cell(cells, households_col)) or 0)
            if age_col is not None:  # long form: one row per age (band)
                label = table.cell(cells, age_col)
                band = age_band(label)
                value = number(table.cell(cells, total_col))
                if value is None and (male_col is not None or female_col is not None):
                    value = (number(table.cell(cells, male_col)) or 0) + (number(table.cell(cells, female_col)) or 0)
                if band is not None and value is not None:
                    entry.add_band(band[:2], "T", value)
                elif nfkc(label) in ("総数", "計", "合計", "総計", "") and value is not None:
                    entry.total = value
                continue
            for index, (lo, hi, sex) in age_cols.items():  # wide form: one column per age (band)
                value = number(table.cell(cells, index))
                if value is not None:
                    entry.add_band((lo, hi), sex, value)
            total = number(table.cell(cells, total_col))
            if total is None and (male_col is not None or female_col is not None):
                male, female = number(table.cell(cells, male_col)), number(table.cell(cells, female_col))
                total = None if male is None and female is None else (male or 0) + (female or 0)
            if total is not None:
                entry.total = (entry.total or 0) + total
        self.population, self.population_date, self.population_file = counts, wanted, table.file

    # -- the package --
    def build(self, inputs: Sequence[str]) -> ImportResult:
        result = self.result
        result.inputs = tuple(inputs)
        districts: dict[str, dict[str, str]] = {}
        if self.towns is not None:
            for d in self.towns.districts.values():
                districts[d.id] = {"id": d.id, "name": d.name, "layer": d.layer, "parent": d.parent,
                                   "source": f"{self.towns.file} 行{d.row}"}
        manifest = {"code": full_code(self.code), "name": self.municipality_name or self.code,
                    "slug": f"m{self.code}", "prefecture": self.prefecture,
                    "source": "自治体標準オープンデータセット: " + ", ".join(sorted(inputs))}
        if not self.municipality_name:
            result.todo_item("manifest.csv", None, "name", manifest["name"],
                             "市町村名がデータにありません。manifest.csv の name を書いてください。",
                             "The data gives no municipality name: fill `name` in manifest.csv.",
                             resolved_by=("manifest", "manifest", "name", manifest["name"]))
        if self.population is not None:
            self._population_figures(manifest, districts)
        if self.towns is None and self.sites:
            result.notice("町丁目 → 地区の表（--districts）がないため、機関の所在地区（district）は空欄です。",
                          "No 町丁目 → 地区 table (--districts): the agencies' districts are left empty.")
        for row in districts.values():
            result.add("districts", row)
        for site in sorted(self.sites.values(), key=lambda s: s.id):
            self._write_site(site, districts)
        result.manifest = manifest
        return result

    def _population_figures(self, manifest: dict[str, str], districts: dict[str, dict[str, str]]) -> None:
        assert self.population is not None
        result, file = self.result, self.population_file
        city_total = next((c for r, c in self.population.items() if nfkc(r) in _CITY_TOTALS or (
            self.municipality_name and nfkc(r) == self.municipality_name)), None)
        per_region: dict[str, dict[str, int | None]] = {}
        for region, counts in self.population.items():
            if counts is city_total:
                continue
            bands = counts.band_totals()
            per_region[region] = {
                "population": counts.total if counts.total is not None else (sum(bands.values()) if bands else None),
                "households": counts.households,
                "elderly": _sum_from(bands, 65),
                "children": _sum_below(bands, 18),
                "children_under_15": _sum_below(bands, 15),
            }
        measures = ("population", "households", "elderly", "children", "children_under_15")
        any_bands = any(c.bands for c in self.population.values())
        if any_bands and all(v["children"] is None for v in per_region.values()):
            result.notice(f"{file}: 年齢の区切りが18歳で分かれていない（5歳階級など）ため、18歳未満人口（children）は出せません。"
                          "15歳未満（children_under_15、年少人口）を入れました。",
                          f"{file}: the age bands do not split at 18 (5-year bands …), so the population under 18 "
                          "(`children`) cannot be counted; under 15 (`children_under_15`) is given instead.")
        elif any_bands:
            result.notice(f"{file}: 18歳未満（children）と15歳未満（children_under_15）を年齢の区切りから数えました。",
                          f"{file}: under 18 (`children`) and under 15 (`children_under_15`) were counted from the "
                          "age bands.")
        totals: dict[str, int | None] = {}
        for measure in measures:
            if city_total is not None and measure == "population" and city_total.total is not None:
                totals[measure] = city_total.total
                continue
            column = [v[measure] for v in per_region.values()]
            totals[measure] = None if not column or any(x is None for x in column) else sum(
                x for x in column if x is not None)
        for measure in ("population", "households", "elderly", "children"):
            if totals.get(measure) is not None:
                manifest[measure] = str(totals[measure])
        manifest["as_of"] = self.population_date
        if self.towns is None:
            result.notice("町丁目 → 地区の表（--districts）がないため、人口は市町村全体にだけ入れました。",
                          "No 町丁目 → 地区 table (--districts): the population goes to the municipality only.")
            return
        sums: dict[str, dict[str, int | None]] = {}
        for region, values in sorted(per_region.items()):
            district = self.towns.district_of(region)
            if district is None:
                result.todo_item(file, self.population[region].row, "地域名", region,
                                 f"町丁目 → 地区の表にない地域です（人口 {values['population'] or 0}人）。表に追加すると地区の人口に入ります。",
                                 f"This area is not in the 町丁目 → 地区 table (population {values['population'] or 0}); "
                                 "add it to count it in its district.")
                continue
            target = sums.setdefault(district, {m: 0 for m in measures})
            for measure in measures:
                if values[measure] is None or target[measure] is None:
                    target[measure] = None
                else:
                    target[measure] = (target[measure] or 0) + (values[measure] or 0)
        for district, values in sums.items():
            row = districts.get(district)
            if row is None:
                continue
            for measure, value in values.items():
                if value is not None:
                    row[measure] = str(value)
            row["as_of"] = self.population_date
            row["source"] = f"{row['source']}; {file} ({self.population_date})"

    def _write_site(self, site: _Site, districts: dict[str, dict[str, str]]) -> None:
        result = self.result
        parent = ""
        corp_number = site.corp_number
        if site.corp_name and site.corp_name not in (self.municipality_name, f"{self.prefecture}{self.municipality_name}"):
            corp_id = f"corp_{corp_number}" if corp_number else _hash_id("corp", town_key(site.corp_name))
            rule = next((r for r in _CORP_RULES if any(w in nfkc(site.corp_name) for w in r[0])), None)
            corp = result.tables.get("agencies", {}).get(corp_id)
            if corp is None:
                sources = "; ".join(f"{f} 行{','.join(map(str, rows))}" for f, rows in site.sources.items())
                corp = {"id": corp_id, "name": site.corp_name, "type": rule[1] if rule else "その他団体",
                        "sector": (rule[2] if rule and rule[2] else site.sector), "corporate_number": corp_number,
                        "features": "運営法人", "source": sources}
                result.add("agencies", corp)
                if rule is None:
                    result.todo_item("agencies.csv", None, "type", site.corp_name,
                                     "法人の種別（type）を名称から決められませんでした。「その他団体」にしたので確認してください。",
                                     "The corporation's type could not be told from its name; it was set to "
                                     "その他団体: review it.", resolved_by=("agencies", corp_id, "type", "その他団体"))
            parent, corp_number = corp_id, ""
        features = "; ".join(f"{h}: {'、'.join(items)}" if h else "、".join(items)
                             for h, items in site.features.items() if items)
        if site.district and site.district not in districts:
            site.district = ""
        result.add("agencies", {
            "id": site.id, "name": site.name, "type": site.type, "sector": site.sector,
            "domains": ";".join(site.domains), "parent": parent, "district": site.district, "features": features,
            "corporate_number": corp_number, "ltc_provider_number": site.ltc, "medical_institution_code": site.med,
            "source": "; ".join(f"{f} 行{','.join(map(str, rows))}" for f, rows in site.sources.items()),
        })


def import_opendata(files: Sequence[str | Path], *, code: str, districts: str | Path | None = None,
                    as_of: str | None = None) -> ImportResult:
    """Read 自治体標準オープンデータセット files into the rows of one municipality's data package.

    Parameters
    ----------
    files
        CSV or .xlsx files of the five recognised datasets, in any order and mix.
    code
        The municipality's 全国地方公共団体コード (5 or 6 digits); rows of other municipalities are skipped.
    districts
        The user's 町丁目 → 地区 table (:mod:`tsunagari.loaders.importers.towns`).
    as_of
        The 調査年月日 of the population table to use (default: the latest).

    Returns
    -------
    ImportResult
        Write it with :func:`tsunagari.loaders.importers.package.write_package`.

    Raises
    ------
    ImportSourceError
        A file that cannot be read or recognised, a bad ``code``, an unknown ``as_of``.
    """
    try:
        code5 = normalize_code(code)
    except MunicipalityCodeError as err:
        raise _error(err) from err
    towns = read_town_table(districts) if districts else None
    importer = _Importer(code5, towns, as_of)
    tables = [read_source_table(f) for f in files]
    recognised = []
    for table in tables:
        dataset = detect_dataset(table)
        if dataset is None:
            raise ImportSourceError("importer.unrecognised", file=table.file, header=", ".join(table.header[:12]))
        recognised.append((table, dataset))
    for table, dataset in recognised:  # facilities first: the population needs the municipality's name
        if dataset != "population":
            importer.facilities(table, dataset)
    for table, dataset in recognised:
        if dataset == "population":
            importer.population_table(table)
    for table, dataset in recognised:
        importer.result.notice(f"{table.file}: {DATASETS[dataset][0]}として読みました（{len(table.rows)}行、文字コード {table.encoding}）。",
                               f"{table.file}: read as {DATASETS[dataset][1]} ({len(table.rows)} rows, {table.encoding}).")
    return importer.build([t.file for t in tables])
