"""Import an Open Referral HSDS package (3.0, and 2.0 column names) into a data package.

HSDS (Human Services Data Specification) describes organizations, the services they run, where
(locations, service areas) and how to reach them. It maps onto Tsunagari as:

* ``organization`` → an agency; ``parent_organization_id`` → its ``parent``; a ``tax_id`` that is a
  valid 法人番号 → ``corporate_number``;
* ``service`` → a program; ``organization_id`` → an OPERATES tie (organization → program);
  services whose ``status`` is inactive or defunct are left out;
* ``service_area`` (and, for a service without one, the ``location`` of its
  ``service_at_location``) → the district the program serves, through the mapping table; an
  organization's first mapped ``location`` → its district (LOCATED_IN);
* ``contact``, ``phone`` and every field about a person or a way to reach one (email, phone,
  attention, names in contacts) are never read; a notice says how many were dropped.

HSDS has no Tsunagari pillar, domain, agency type or sector: a **mapping file** (CSV) supplies
them, by rules (``docs/importing.md``)::

    target,match_by,match,pillar,articles,domains,type,sector,operation,district,district_name,layer
    service,taxonomy,BD-1800,包括的相談支援,,高齢,,,,,,
    service,name,子ども食堂,地域づくり,,子ども,,,,,,
    organization,name,社会福祉協議会,,,,社会福祉協議会,社会福祉協議会,,,,
    area,name,武庫地区,,,,,,,muko,武庫地区,地区

The first rule that matches wins, in file order. HSDS has nothing for councils, membership,
collaboration, referrals or agreements: the user adds ``councils.csv`` and MEMBER_OF /
COLLABORATES_WITH / REFERS_TO / AGREEMENT ties by hand (kept by a re-import).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tsunagari.graph.vocabulary import vocabulary
from tsunagari.loaders.external_ids import ExternalIdError, normalize_external_id
from tsunagari.loaders.importers.errors import ImportSourceError
from tsunagari.loaders.importers.package import ImportResult
from tsunagari.loaders.importers.source import SourceTable, nfkc, read_source_folder, read_source_table
from tsunagari.loaders.importers.towns import town_key
from tsunagari.loaders.personal_data import personal_data_value
from tsunagari.municipality_code import MunicipalityCodeError, full_code, normalize_code, prefecture_name

__all__ = ["import_hsds", "MappingRule", "read_mapping"]

# HSDS 3.0 file names are singular, 2.0 plural; both are read.
_TABLES = {
    "organization": ("organization", "organizations"),
    "service": ("service", "services"),
    "location": ("location", "locations"),
    "service_area": ("service_area", "service_areas"),
    "service_at_location": ("service_at_location", "services_at_location", "service_at_locations"),
    "taxonomy_term": ("taxonomy_term", "taxonomy_terms", "taxonomy", "taxonomies"),
    "attribute": ("attribute", "attributes"),
    "service_taxonomy": ("service_taxonomy", "service_taxonomies"),
    "address": ("address", "addresses", "physical_address", "physical_addresses"),
}
_PERSONAL_TABLES = ("contact", "contacts", "phone", "phones")
_INACTIVE = {"inactive", "defunct", "temporarily closed"}
_ID_BAD = re.compile(r"[\s:]+")


@dataclass(frozen=True)
class MappingRule:
    """One row of the mapping file."""

    row: int
    target: str  # service | organization | area
    match_by: str  # taxonomy | name | id | address
    match: str
    values: dict[str, str]


def _term(vocab: str, value: str, file: str, row: int) -> str:
    term = vocabulary(vocab).lookup(nfkc(value))
    if term is None:
        allowed = "、".join(vocabulary(vocab).labels("ja"))
        raise ImportSourceError("importer.mapping", file=file, row=row,
                                detail=f"「{value}」は {vocab} の語彙にありません（{allowed}）/ `{value}` is not in `{vocab}`")
    return term.ja


def read_mapping(path: str | Path) -> list[MappingRule]:
    """The rules of a mapping file, checked against the vocabulary.

    Raises
    ------
    ImportSourceError
        An unknown target or match_by, or a value not in its vocabulary (file and row named).
    """
    table = read_source_table(path)
    names = ("target", "match_by", "match", "pillar", "articles", "domains", "type", "sector", "operation",
             "district", "district_name", "layer")
    cols = {n: table.find(n) for n in names}
    for required in ("target", "match_by", "match"):
        if cols[required] is None:
            raise ImportSourceError("importer.missing_column", file=table.file, column=required, dataset="mapping")
    rules = []
    allowed = {"service": ("taxonomy", "name", "id"), "organization": ("name", "id"), "area": ("name", "address", "id")}
    for row, cells in table.rows:
        target = nfkc(table.cell(cells, cols["target"])).lower()
        match_by = nfkc(table.cell(cells, cols["match_by"])).lower()
        match = nfkc(table.cell(cells, cols["match"]))
        if target not in allowed or match_by not in allowed[target]:
            raise ImportSourceError("importer.mapping", file=table.file, row=row,
                                    detail=f"target/match_by「{target}/{match_by}」は使えません（{allowed}）/ unknown rule kind")
        values: dict[str, str] = {}
        for name, vocab in (("pillar", "pillars"), ("type", "agency_types"), ("sector", "sectors"),
                            ("operation", "operations"), ("layer", "layers")):
            value = table.cell(cells, cols[name])
            if value:
                values[name] = _term(vocab, value, table.file, row)
        for name, vocab in (("domains", "domains"), ("articles", "articles")):
            value = table.cell(cells, cols[name])
            if value:
                values[name] = ";".join(_term(vocab, v, table.file, row) for v in re.split(r"[;、]", nfkc(value)) if v)
        for name in ("district", "district_name"):
            value = table.cell(cells, cols[name])
            if value:
                values[name] = _ID_BAD.sub("_", nfkc(value)) if name == "district" else value
        if values.get("district") in ("*", "全域"):
            values["district"] = ""  # the whole municipality: no district
        if target == "area" and values.get("district") is None:
            raise ImportSourceError("importer.mapping", file=table.file, row=row,
                                    detail="area の行には district（地区ID）が必要です / an area rule needs `district`")
        rules.append(MappingRule(row, target, match_by, match, values))
    return rules


def _local_id(prefix: str, hsds_id: str) -> str:
    return f"{prefix}_{_ID_BAD.sub('_', nfkc(hsds_id))}"


def _rows(table: SourceTable | None) -> list[tuple[int, dict[str, str]]]:
    if table is None:
        return []
    keys = [nfkc(h).lower() for h in table.header]
    return [(row, {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(keys) if k})
            for row, cells in table.rows]


class _Hsds:
    def __init__(self, tables: dict[str, SourceTable], rules: list[MappingRule], mapping_file: str) -> None:
        self.tables = {name: next((tables[s] for s in spellings if s in tables), None)
                       for name, spellings in _TABLES.items()}
        self.rules = rules
        self.mapping_file = mapping_file
        self.result = ImportResult(manifest={})
        self.districts: dict[str, dict[str, str]] = {}

    def file(self, name: str) -> str:
        table = self.tables.get(name)
        return table.file if table else f"{name}.csv"

    def _rule(self, target: str, **candidates: Sequence[str]) -> MappingRule | None:
        for rule in self.rules:
            if rule.target != target:
                continue
            values = candidates.get(rule.match_by, ())
            key = town_key(rule.match) if rule.match_by == "address" else nfkc(rule.match).casefold()
            for value in values:
                text = nfkc(value).casefold()
                if rule.match_by == "name" and target != "area" and key and key in text:
                    return rule
                if rule.match_by == "address" and key and town_key(value).startswith(key):
                    return rule
                if rule.match_by in ("id", "taxonomy", "name") and text == key:
                    return rule
        return None

    def _district_from(self, rule: MappingRule | None) -> str:
        if rule is None or not rule.values["district"]:
            return ""
        district = rule.values["district"]
        if district not in self.districts:
            self.districts[district] = {"id": district, "name": rule.values.get("district_name") or district,
                                        "layer": rule.values.get("layer") or "地区",
                                        "source": f"{self.mapping_file} 行{rule.row}"}
        return district

    def run(self) -> None:
        result = self.result
        locations = {r["id"]: (row, r) for row, r in _rows(self.tables["location"]) if r.get("id")}
        addresses: dict[str, list[str]] = {}
        for _, r in _rows(self.tables["address"]):
            text = " ".join(r.get(k, "") for k in ("city", "address_1", "address_2") if r.get(k))
            addresses.setdefault(r.get("location_id", ""), []).append(text)

        def location_district(location_id: str) -> str:
            if location_id not in locations:
                return ""
            _, loc = locations[location_id]
            rule = self._rule("area", id=[location_id], name=[loc.get("name", "")],
                              address=addresses.get(location_id, []))
            return self._district_from(rule)

        org_rows = _rows(self.tables["organization"])
        org_ids = {r["id"] for _, r in org_rows if r.get("id")}
        org_location: dict[str, str] = {}
        for location_id, (_, loc) in sorted(locations.items()):
            owner = loc.get("organization_id", "")
            if owner and owner not in org_location:
                district = location_district(location_id)
                if district:
                    org_location[owner] = district
        for row, org in org_rows:
            hsds_id, name = org.get("id", ""), org.get("name", "")
            if not hsds_id or not name or personal_data_value(name):
                result.todo_item(self.file("organization"), row, "name", "",
                                 "id か name がない（または名称に連絡先が含まれる）組織は取り込みませんでした。",
                                 "An organization without id or name (or with contact details in its name) was not imported.")
                continue
            local = _local_id("org", hsds_id)
            rule = self._rule("organization", id=[hsds_id], name=[name, org.get("alternate_name", "")])
            values = rule.values if rule else {}
            agency = {"id": local, "name": name, "type": values.get("type", "その他団体"),
                      "sector": values.get("sector", "その他"), "domains": values.get("domains", ""),
                      "operation": values.get("operation", ""), "district": org_location.get(hsds_id, ""),
                      "source": f"{self.file('organization')} 行{row} (id={hsds_id})"}
            parent = org.get("parent_organization_id", "")
            if parent and parent in org_ids and parent != hsds_id:
                agency["parent"] = _local_id("org", parent)
            elif parent:
                result.todo_item(self.file("organization"), row, "parent_organization_id", parent,
                                 "上位組織がこのパッケージにありません。parent を空にしました。",
                                 "The parent organization is not in the package; `parent` was left empty.")
            tax_id = org.get("tax_id", "")
            if tax_id:
                try:
                    agency["corporate_number"] = normalize_external_id("corporate_number", tax_id)
                except ExternalIdError as err:
                    result.todo_item(self.file("organization"), row, "tax_id", tax_id,
                                     f"tax_id は法人番号として使えませんでした（{err.ja}）。",
                                     f"tax_id could not be used as a corporate number ({err.en}).")
            for column, default in (("type", "その他団体"), ("sector", "その他")):
                if column not in values:
                    result.todo_item(self.file("organization"), row, column, name,
                                     f"HSDS には{'種別' if column == 'type' else '所管領域'}（{column}）がありません。"
                                     f"「{default}」にしたので、mapping の organization 行で決めるか直接直してください。",
                                     f"HSDS has no agency {column}; it was set to {default}: add an organization rule "
                                     "to the mapping or edit it.", resolved_by=("agencies", local, column, default))
            result.add("agencies", agency)

        taxonomy = {r.get("id", ""): r for _, r in _rows(self.tables["taxonomy_term"])}
        service_terms: dict[str, list[str]] = {}
        for _, r in _rows(self.tables["attribute"]):  # 3.0: attribute links a term to a service
            if r.get("link_entity", "service") in ("service", "") and r.get("taxonomy_term_id"):
                service_terms.setdefault(r.get("link_id", ""), []).append(r["taxonomy_term_id"])
        for _, r in _rows(self.tables["service_taxonomy"]):  # 2.0
            if r.get("taxonomy_id"):
                service_terms.setdefault(r.get("service_id", ""), []).append(r["taxonomy_id"])
        areas: dict[str, list[tuple[str, str]]] = {}
        for _, r in _rows(self.tables["service_area"]):
            name = r.get("name") or r.get("service_area", "")  # 2.0 calls it service_area
            areas.setdefault(r.get("service_id", ""), []).append((r.get("id", ""), name))
        service_locations: dict[str, list[str]] = {}
        for _, r in _rows(self.tables["service_at_location"]):
            service_locations.setdefault(r.get("service_id", ""), []).append(r.get("location_id", ""))

        inactive = 0
        for row, service in _rows(self.tables["service"]):
            hsds_id, name = service.get("id", ""), service.get("name", "")
            if not hsds_id or not name or personal_data_value(name):
                result.todo_item(self.file("service"), row, "name", "",
                                 "id か name がない（または名称に連絡先が含まれる）サービスは取り込みませんでした。",
                                 "A service without id or name (or with contact details in its name) was not imported.")
                continue
            if nfkc(service.get("status", "")).lower() in _INACTIVE:
                inactive += 1
                continue
            terms = service_terms.get(hsds_id, [])
            term_keys = [t for term_id in terms for t in (term_id, taxonomy.get(term_id, {}).get("code", ""),
                                                           taxonomy.get(term_id, {}).get("name", "")) if t]
            rule = self._rule("service", id=[hsds_id], taxonomy=term_keys, name=[name, service.get("alternate_name", "")])
            if rule is None or "pillar" not in rule.values:
                shown = "、".join(taxonomy.get(t, {}).get("name", t) for t in terms) or "—"
                result.todo_item(self.file("service"), row, "pillar", name,
                                 f"事業区分（pillar）を決める mapping の規則がありません（分類: {shown}）。service 行を追加すると事業として取り込みます。",
                                 f"No mapping rule gives this service a pillar (taxonomy: {shown}); add a service rule "
                                 "to import it as a program.")
                continue
            local = _local_id("svc", hsds_id)
            districts = []
            for area_id, area_name in areas.get(hsds_id, []):
                area_rule = self._rule("area", id=[area_id], name=[area_name])
                district = self._district_from(area_rule)
                if district:
                    districts.append(district)
                elif area_rule is None and area_name:
                    result.todo_item(self.file("service_area"), None, "name", area_name,
                                     "この service_area に当たる地区が mapping にありません（area 行を追加）。",
                                     "No area rule maps this service_area to a district (add an area rule).")
            if not districts:
                districts = [d for d in (location_district(loc) for loc in service_locations.get(hsds_id, [])) if d]
            districts = list(dict.fromkeys(districts))
            source = f"{self.file('service')} 行{row} (id={hsds_id})"
            result.add("programs", {"id": local, "name": name, "pillar": rule.values["pillar"],
                                    "articles": rule.values.get("articles", ""), "domains": rule.values.get("domains", ""),
                                    "operation": rule.values.get("operation", ""),
                                    "district": districts[0] if districts else "", "source": source})
            for district in districts[1:]:
                result.add("ties", {"from": local, "to": district, "kind": "SERVES", "basis": "HSDS service_area",
                                    "source": source})
            operator = service.get("organization_id", "")
            if operator in org_ids:
                result.add("ties", {"from": _local_id("org", operator), "to": local, "kind": "OPERATES",
                                    "operation": rule.values.get("operation", ""), "basis": "HSDS organization_id",
                                    "source": source})
            elif operator:
                result.todo_item(self.file("service"), row, "organization_id", operator,
                                 "実施する組織がこのパッケージにありません。OPERATES の関係を作れませんでした。",
                                 "The operating organization is not in the package; no OPERATES tie was made.")
        if inactive:
            result.notice(f"{self.file('service')}: 休止・廃止（status）のサービス {inactive} 件は取り込みませんでした。",
                          f"{self.file('service')}: {inactive} inactive or defunct service(s) were not imported.")
        for row_of_district in self.districts.values():
            result.add("districts", row_of_district)


def import_hsds(path: str | Path, *, code: str, mapping: str | Path | None = None) -> ImportResult:
    """Read the HSDS package at ``path`` (a folder or .zip of CSVs) into the rows of a data package.

    Raises
    ------
    ImportSourceError
        No organizations table, an unreadable file, a bad mapping rule or ``code``.
    """
    try:
        code5 = normalize_code(code)
    except MunicipalityCodeError as err:
        raise ImportSourceError("importer.bad_code", detail=err.message("ja") + " / " + err.message("en")) from err
    tables = read_source_folder(path)
    if not any(s in tables for s in _TABLES["organization"]):
        raise ImportSourceError("importer.no_hsds", path=str(path))
    rules = read_mapping(mapping) if mapping else []
    hsds = _Hsds(tables, rules, Path(mapping).name if mapping else "mapping.csv")
    hsds.run()
    result = hsds.result
    dropped = {name: len(tables[name].rows) for name in _PERSONAL_TABLES if name in tables}
    if dropped:
        listing = ", ".join(f"{tables[n].file} ({c})" for n, c in dropped.items())
        result.notice(f"連絡先・電話番号（{listing}）は個人に関する情報を含むため読み込まず、保存しません。",
                      f"Contacts and phones ({listing}) may hold personal data: dropped, never stored.")
    contact_fields = sorted({f"{t.file}.{h}" for name in ("organization", "service", "location")
                             for t in [hsds.tables[name]] if t is not None for h in t.header
                             if nfkc(h).lower() in ("email", "website", "url", "phone", "assurer_email", "contact")})
    if contact_fields:
        result.notice(f"連絡先の列（{', '.join(contact_fields)}）は読みません。",
                      f"Contact columns ({', '.join(contact_fields)}) are not read.")
    known = {s for spellings in _TABLES.values() for s in spellings} | set(_PERSONAL_TABLES)
    unused = sorted(tables[n].file for n in tables if n not in known)
    if unused:
        result.notice(f"使わない HSDS の表: {', '.join(unused)}（program は事業のまとまりで、事業は service から作ります）。",
                      f"HSDS tables not used: {', '.join(unused)} (a program groups services; Tsunagari programs come "
                      "from services).")
    result.notice("HSDS には会議体・構成員・連携・つなぎ・協定の情報がありません。councils.csv と ties.csv の MEMBER_OF・"
                  "COLLABORATES_WITH・REFERS_TO・AGREEMENT は手で追加してください（再取り込みでも残ります）。",
                  "HSDS has no councils, membership, collaboration, referrals or agreements: add councils.csv and "
                  "MEMBER_OF / COLLABORATES_WITH / REFERS_TO / AGREEMENT ties by hand (a re-import keeps them).")
    result.manifest = {"code": full_code(code5), "name": code5, "slug": f"m{code5}",
                       "prefecture": prefecture_name(code5) or "", "source": f"HSDS: {Path(path).name}"}
    result.todo_item("manifest.csv", None, "name", code5, "HSDS には市町村名がありません。manifest.csv の name を書いてください。",
                     "HSDS gives no municipality name: fill `name` in manifest.csv.",
                     resolved_by=("manifest", "manifest", "name", code5))
    result.inputs = tuple(sorted(t.file for t in tables.values()))
    return result
