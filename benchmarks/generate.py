"""Seeded synthetic data packages shaped like the samples, from one city to all 1,741 municipalities.

Each synthetic municipality has what the seeds describe (``/work/shared/docs/domain.md``):
districts in three layers (市域 → 第2層 areas → 第3層 小学校区), a city hall of bureaus and
sections (one of them the 重層 hub), a 社会福祉協議会, contracted consultation centres per area,
organisations outside welfare, residents' groups per neighbourhood, councils from the
representatives' meeting through the cross-department council (15–40 sections) to area and
neighbourhood meetings (giving council co-membership), programs under the five pillars with a
consistent article item, and needs between systems. Ties: MEMBER_OF with roles, COMMISSIONED_BY,
OPERATES, COLLABORATES_WITH, REFERS_TO (weighted by shared cases) and ADDRESSES, plus the ties
implied by reference columns.

Sizes follow the country: municipality 0 is a core city of 450,000 people (≈1,000 actors, like
尼崎市); the others draw a population from a log-normal distribution (median 25,000) and get
``1000 * sqrt(population / 450000)`` actors, clipped to 40–3,000. Municipality ``i`` is the same
whatever the total count, so size 10 is a prefix of size 100. Everything is synthetic: codes are
``9xxxx`` (no real prefecture has code 90+), names are ``合成市NNNN``; there are no people.

Every package goes through the project's own validator (:func:`validate_package`), so what the
benchmark loads is exactly what a user's CSV folder would give.

Run ``python benchmarks/generate.py --count 3 --out /tmp/synth`` to write CSV folders.
"""

from __future__ import annotations

import argparse
import csv
import functools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tsunagari.graph.model import NODE_KINDS, TIES_TABLE
from tsunagari.graph.vocabulary import vocabulary
from tsunagari.graph.records import DataPackage
from tsunagari.loaders.tables import RawPackage, RawTable
from tsunagari.loaders.validate import validate_package

__all__ = [
    "MunicipalityShape",
    "shape",
    "generate_tables",
    "generate_package",
    "generate_packages",
    "write_package",
    "CITY_POPULATION",
    "MAX_MUNICIPALITIES",
]

CITY_POPULATION = 450_000
"""Population of municipality 0, the core city that the one-city target is about."""
MAX_MUNICIPALITIES = 9_099
"""Codes ``90001``–``99999`` are free of real local government codes; the 900 of them that also read as
a 6-digit code whose leading zero was lost (``91006`` = ``091006``, 栃木県) are refused as ambiguous
(``tsunagari.municipality_code``) and skipped, leaving 9,099."""


@functools.lru_cache(maxsize=1)
def _codes() -> tuple[str, ...]:
    """The synthetic codes in order: ``90001`` up, those a loader refuses as ambiguous left out."""
    from tsunagari.municipality_code import MunicipalityCodeError, normalize_code

    codes = []
    for number in range(90001, 100000):
        try:
            normalize_code(str(number))
        except MunicipalityCodeError:
            continue
        codes.append(str(number))
    return tuple(codes)

_SOURCE = "synthetic (benchmarks/generate.py)"
_WELFARE_SECTORS = [t.ja for t in vocabulary("sectors") if t.extra.get("welfare")]
_OTHER_SECTORS = [t.ja for t in vocabulary("sectors")
                  if not t.extra.get("welfare") and t.code not in ("residents", "other")]
_DOMAINS = [t.ja for t in vocabulary("domains")]
_NEEDS = [t.ja for t in vocabulary("needs")]
_ARTICLES = [(t.ja, t.extra["pillar"], t.extra.get("domain", "")) for t in vocabulary("articles")]
_OUTSIDE = [  # (agency type, sector, name stem) for organisations outside city hall
    ("社会福祉法人", "福祉", "社会福祉法人"), ("NPO法人", "福祉", "NPO法人"), ("NPO法人", "雇用・就労", "就労支援NPO"),
    ("医療機関", "保健・医療", "病院"), ("専門職団体", "保健・医療", "医師会"), ("学校", "教育", "小学校"),
    ("学校", "教育", "中学校"), ("警察・消防", "警察・消防・防災", "警察署"), ("国の機関", "司法・更生保護", "保護観察所"),
    ("都道府県の機関", "保健・医療", "保健所"), ("協同組合", "産業・経済", "生協"), ("企業", "産業・経済", "企業"),
    ("専門職団体", "司法・更生保護", "弁護士会"), ("その他団体", "地域振興・市民協働", "まちづくり協議会"),
]
_GROUPS = ["自治会・町会", "民生委員児童委員", "校区福祉委員会", "サロン", "子ども食堂", "老人クラブ",
           "ボランティア", "地区社協", "福祉推進委員"]


@dataclass(frozen=True)
class MunicipalityShape:
    """Size of synthetic municipality ``index``: its population and counts of each node kind."""

    index: int
    code: str
    population: int
    actors: int
    areas: int
    neighbourhoods_per_area: int
    bureaus: int
    sections: int
    outside_agencies: int
    programs: int
    groups_per_neighbourhood: int


def shape(index: int, *, seed: int = 0, actors: int | None = None) -> MunicipalityShape:
    """The size of municipality ``index`` (0-based; 0 is the core city).

    ``actors`` overrides the population-derived number of agencies, councils, residents' groups
    and programs.

    Examples
    --------
    >>> city = shape(0)
    >>> city.code, city.population, 900 <= city.actors <= 1100
    ('90001', 450000, True)
    """
    if not 0 <= index < MAX_MUNICIPALITIES:
        raise ValueError(f"`index` must be in 0..{MAX_MUNICIPALITIES - 1}. Got {index=}.")
    rng = random.Random(f"shape:{seed}:{index}")
    if index == 0:
        population = CITY_POPULATION
    else:
        population = int(min(3_700_000, max(1_000, rng.lognormvariate(math.log(25_000), 1.2))))
    if actors is None:
        actors = int(min(3000, max(40, round(1000 * math.sqrt(population / CITY_POPULATION)))))
    elif actors < 20:
        raise ValueError(f"`actors` must be at least 20. Got {actors=}.")
    areas = min(10, max(1, round(actors / 170)))
    neighbourhoods = min(8, max(1, round(actors / (areas * 45))))
    sections = min(400, max(8, round(actors * 0.20)))
    programs = max(6, round(actors * 0.12))
    groups = max(2, round(actors * 0.22 / (areas * neighbourhoods)))
    fixed = 1 + 3 * areas + 1  # 社協, centres per area, 自立相談
    councils = 4 + areas + areas * neighbourhoods // 2
    bureaus = min(8, max(2, actors // 120))
    outside = max(3, actors - sections - bureaus - fixed - councils - programs - groups * areas * neighbourhoods)
    return MunicipalityShape(index, _codes()[index], population, actors, areas, neighbourhoods, bureaus,
                             sections, outside, programs, groups)


@dataclass
class _Tables:
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    tie_keys: set[tuple[str, str, str, str, str]] = field(default_factory=set)

    def add(self, table: str, **cells: object) -> str:
        row = {k: "" if v is None else (";".join(v) if isinstance(v, list) else str(v)) for k, v in cells.items()}
        row.setdefault("source", _SOURCE)
        self.rows.setdefault(table, []).append(row)
        return row.get("id", "")

    def tie(self, start: str, end: str, kind: str, *, role: str = "", operation: str = "",
            weight: float | None = None, basis: str = "") -> None:
        key = (start, end, kind, role, basis)
        if start == end or key in self.tie_keys:
            return
        self.tie_keys.add(key)
        self.add("ties", **{"from": start, "to": end, "kind": kind, "role": role, "operation": operation,
                            "weight": "" if weight is None else f"{weight:g}", "basis": basis})


def generate_tables(index: int, *, seed: int = 0, actors: int | None = None) -> dict[str, list[dict[str, str]]]:
    """Rows of every table of synthetic municipality ``index``, as the strings a CSV would hold.

    Keys are table names (``manifest``, ``districts``, ``agencies``, ...); each row maps column
    name to cell text. Deterministic in ``(index, seed, actors)``.

    Examples
    --------
    >>> tables = generate_tables(3, seed=1)
    >>> sorted(tables)[:3], tables["manifest"][0]
    (['agencies', 'councils', 'districts'], {'key': 'code', 'value': '90004'})
    """
    size = shape(index, seed=seed, actors=actors)
    rng = random.Random(f"tables:{seed}:{index}")
    t = _Tables()
    manifest = {"code": size.code, "name": f"合成市{index:04d}", "name_en": f"Synthetic {index:04d}",
                "slug": f"synth-{index:04d}", "prefecture": "合成県", "population": str(size.population),
                "households": str(size.population * 45 // 100), "source": _SOURCE}
    t.rows["manifest"] = [{"key": k, "value": v} for k, v in manifest.items()]

    # Districts: 第2層 areas under the municipality, 第3層 小学校区 under each area.
    area_layer = rng.choice(["地区", "中学校圏域", "日常生活圏域"])
    areas: list[str] = []
    neighbourhoods: dict[str, list[str]] = {}
    for a in range(size.areas):
        area_population = max(100, int(size.population / size.areas * rng.uniform(0.6, 1.4)))
        area = t.add("districts", id=f"area{a}", name=f"第{a + 1}圏域", layer=area_layer,
                     population=area_population, households=area_population * 45 // 100,
                     elderly=int(area_population * rng.uniform(0.22, 0.38)),
                     children=int(area_population * rng.uniform(0.10, 0.18)),
                     association_rate=f"{rng.uniform(25, 70):.1f}", as_of="R5/3/31")
        areas.append(area)
        neighbourhoods[area] = []
        for n in range(size.neighbourhoods_per_area):
            pop = max(50, area_population // size.neighbourhoods_per_area)
            neighbourhoods[area].append(t.add(
                "districts", id=f"area{a}_n{n}", name=f"第{a + 1}圏域 第{n + 1}小学校区", layer="小学校区",
                parent=area, population=pop, households=pop * 45 // 100,
                association_rate=f"{rng.uniform(20, 80):.1f}"))
    all_neighbourhoods = [n for a in areas for n in neighbourhoods[a]]

    # City hall: bureaus and sections; the hub section first.
    bureaus = [t.add("agencies", id=f"bureau{b}", name=f"第{b + 1}局", type="庁内部局",
                     sector=_WELFARE_SECTORS[0] if b == 0 else rng.choice(_OTHER_SECTORS), operation="直営")
               for b in range(size.bureaus)]
    sections: list[str] = []
    welfare_sections: list[str] = []
    for s in range(size.sections):
        welfare = s == 0 or rng.random() < 0.35
        sector = "福祉" if welfare else rng.choice(_OTHER_SECTORS)
        name = "重層的支援推進担当課" if s == 0 else f"{sector}第{s}課"
        section = t.add("agencies", id=f"sec{s}", name=name, type="庁内部署", sector=sector,
                        domains=["全世代"] if s == 0 else (rng.sample(_DOMAINS[:4], rng.randint(1, 2)) if welfare else []),
                        operation="直営", parent=bureaus[0] if welfare else rng.choice(bureaus))
        sections.append(section)
        if welfare:
            welfare_sections.append(section)
    hub = sections[0]
    shakyo = t.add("agencies", id="shakyo", name="社会福祉協議会", type="社会福祉協議会", sector="社会福祉協議会",
                   domains=["全世代"], features="CSW・生活支援コーディネーター")
    t.tie(shakyo, hub, "COMMISSIONED_BY", operation="委託")

    # Contracted consultation centres: three per area and one city-wide 自立相談支援機関.
    centres: dict[str, list[str]] = {}
    kinds = [("houkatsu", "地域包括支援センター", "高齢"), ("soudan", "相談支援事業所", "障がい"),
             ("kosodate", "子育て世代包括支援センター", "子ども")]
    for a, area in enumerate(areas):
        centres[area] = []
        for key, name, domain in kinds:
            centre = t.add("agencies", id=f"{key}{a}", name=f"{name}（第{a + 1}圏域）", type="委託相談機関",
                           sector="福祉", domains=[domain], operation="委託", district=area,
                           count=1 if rng.random() < 0.8 else 2)
            centres[area].append(centre)
            t.tie(centre, rng.choice(welfare_sections), "COMMISSIONED_BY", operation="委託")
    jiritsu = t.add("agencies", id="jiritsu", name="自立相談支援機関", type="委託相談機関", sector="福祉",
                    domains=["生活困窮"], operation="委託")
    t.tie(jiritsu, rng.choice(welfare_sections), "COMMISSIONED_BY", operation="委託")
    all_centres = [c for a in areas for c in centres[a]] + [jiritsu]

    # Organisations outside city hall, some located in a neighbourhood.
    outside: list[str] = []
    for o in range(size.outside_agencies):
        type_, sector, stem = rng.choice(_OUTSIDE)
        place = rng.choice(all_neighbourhoods) if rng.random() < 0.5 else ""
        outside.append(t.add("agencies", id=f"org{o}", name=f"{stem}{o}", type=type_, sector=sector,
                             operation="", district=place))

    # Residents' groups in every neighbourhood.
    groups: dict[str, list[str]] = {}
    for n, hood in enumerate(all_neighbourhoods):
        groups[hood] = []
        for g in range(size.groups_per_neighbourhood):
            kind = _GROUPS[g % len(_GROUPS)]
            aggregate = kind in ("自治会・町会", "サロン") and rng.random() < 0.7
            groups[hood].append(t.add(
                "resident_groups", id=f"grp{n}_{g}", name=f"{kind}（{hood}）", type=kind, district=hood,
                count=rng.randint(2, 40) if aggregate else "", aggregate="true" if aggregate else ""))
    all_groups = [g for h in all_neighbourhoods for g in groups[h]]

    # Needs between systems.
    needs = [t.add("needs", id=f"need{i}", name=name)
             for i, name in enumerate(rng.sample(_NEEDS, rng.randint(6, len(_NEEDS))))]

    # Programs under the five pillars, article consistent with the pillar.
    service_providers = all_centres + [shakyo] + [o for o in outside if rng.random() < 0.3]
    for p in range(size.programs):
        article, pillar, domain = rng.choice(_ARTICLES)
        contracted = rng.random() < 0.6
        program = t.add("programs", id=f"prog{p}", name=f"{pillar}事業{p}", pillar=pillar, article=article,
                        domains=[domain] if domain else rng.sample(_DOMAINS, 1),
                        operation="委託" if contracted else "直営",
                        responsible=hub if pillar == "多機関協働" else rng.choice(welfare_sections),
                        district=rng.choice(areas) if rng.random() < 0.3 else "",
                        targets=f"件数 R8: {rng.randint(10, 2000)}件" if rng.random() < 0.4 else "")
        if contracted:
            t.tie(rng.choice(service_providers), program, "OPERATES", operation="委託")
        for need in rng.sample(needs, rng.randint(0, 2)):
            t.tie(program, need, "ADDRESSES")

    # Councils and their co-membership.
    def council(cid: str, name: str, level: str, members: list[str], *, layer: str = "市域",
                meetings: float = 4, district: str = "", chair: str = "", secretariat: str = "") -> str:
        t.add("councils", id=cid, name=name, level=level, layer=layer, meetings_per_year=f"{meetings:g}",
              convener=secretariat or hub, district=district, purpose=f"{name}の運営")
        for member in dict.fromkeys(members):
            role = "座長" if member == chair else "事務局" if member == secretariat else "委員"
            t.tie(member, cid, "MEMBER_OF", role=role)
        return cid

    others = [s for s in sections if s not in welfare_sections]
    cross = [hub] + rng.sample(welfare_sections[1:], min(len(welfare_sections) - 1, rng.randint(5, 15))) \
        + rng.sample(others, min(len(others), rng.randint(10, 25)))
    council("c_cross", "重層的支援施策間連携会議", "庁内連携", cross, meetings=2, chair=cross[1] if len(cross) > 1 else hub,
            secretariat=hub)
    rep = [hub, shakyo, jiritsu] + rng.sample(outside, min(len(outside), 6)) + rng.sample(all_centres, min(4, len(all_centres)))
    representative = council("c_rep", "重層的支援体制推進会議（代表者会議）", "代表者", rep, meetings=2,
                             chair=rng.choice(outside) if outside else shakyo, secretariat=hub)
    case_members = [hub, shakyo, jiritsu, *all_centres] + rng.sample(outside, min(len(outside), 5))
    council("c_case", "重層的支援会議", "個別支援", case_members, meetings=12, chair=hub, secretariat=hub)
    council("c_shien", "支援会議", "個別支援", case_members[: max(3, len(case_members) // 2)], meetings=12,
            chair=hub, secretariat=hub)
    for a, area in enumerate(areas):
        members = [shakyo, *centres[area]] + [g for h in neighbourhoods[area] for g in groups[h][:2]] \
            + rng.sample(outside, min(len(outside), rng.randint(2, 6)))
        area_council = council(f"c_area{a}", f"第{a + 1}圏域 地域ケア会議", "地域", members, layer=area_layer,
                               meetings=6, district=area, chair=centres[area][0], secretariat=shakyo)
        t.tie(area_council, representative, "MEMBER_OF", role="委員")
    for n, hood in enumerate(all_neighbourhoods[: size.areas * size.neighbourhoods_per_area // 2]):
        area = hood.rsplit("_", 1)[0]
        council(f"c_hood{n}", f"{hood} 見守り会議", "ネットワーク", groups[hood] + [centres[area][0], shakyo],
                layer="小学校区", meetings=4, district=hood, chair=groups[hood][0], secretariat=shakyo)

    # Direct ties between actors: collaboration (mostly within an area) and weighted referrals.
    actors_by_area = {area: centres[area] + [g for h in neighbourhoods[area] for g in groups[h]] for area in areas}
    everyone = sections + all_centres + [shakyo] + outside + all_groups
    for _ in range(len(everyone) // 2):
        if rng.random() < 0.7:
            pool = actors_by_area[rng.choice(areas)]
            start, end = rng.choice(pool), rng.choice(pool)
        else:
            start, end = rng.choice(everyone), rng.choice(everyone)
        t.tie(start, end, "COLLABORATES_WITH", basis="名簿")
    referrers = [hub, shakyo, jiritsu, *all_centres]
    for _ in range(len(everyone) // 3):
        t.tie(rng.choice(referrers), rng.choice(everyone), "REFERS_TO", weight=rng.randint(1, 12), basis="事例集計")
    for agency in rng.sample(all_centres + [shakyo], min(len(all_centres) + 1, 6)):
        t.tie(agency, rng.choice(needs), "ADDRESSES")
    return t.rows


def _raw_package(tables: dict[str, list[dict[str, str]]], path: str) -> RawPackage:
    columns = {k.table: [c.name for c in k.columns] for k in NODE_KINDS}
    columns["ties"] = [c.name for c in TIES_TABLE]
    columns["manifest"] = ["key", "value"]
    raw = RawPackage(path)
    for name, rows in tables.items():
        header = columns[name]
        raw.tables[name] = RawTable(name, f"{name}.csv", header,
                                    [(i + 2, [row.get(h, "") for h in header]) for i, row in enumerate(rows)],
                                    "utf-8")
    return raw


def generate_package(index: int, *, seed: int = 0, actors: int | None = None) -> DataPackage:
    """Synthetic municipality ``index`` as a validated :class:`DataPackage`.

    Examples
    --------
    >>> package = generate_package(5, seed=2, actors=40)
    >>> package.code, package.counts_by_label()["Need"] >= 6
    ('90006', True)
    """
    tables = generate_tables(index, seed=seed, actors=actors)
    return validate_package(_raw_package(tables, f"synthetic:{index}"))


def generate_packages(count: int, *, seed: int = 0, actors: int | None = None) -> Iterator[DataPackage]:
    """Municipalities ``0 .. count-1`` one at a time (memory stays at one package)."""
    if not 1 <= count <= MAX_MUNICIPALITIES:
        raise ValueError(f"`count` must be in 1..{MAX_MUNICIPALITIES}. Got {count=}.")
    for index in range(count):
        yield generate_package(index, seed=seed, actors=actors)


def write_package(index: int, folder: str | Path, *, seed: int = 0, actors: int | None = None) -> Path:
    """Write municipality ``index`` as a CSV data-package folder ``folder/synth-NNNN`` (UTF-8)."""
    target = Path(folder) / f"synth-{index:04d}"
    target.mkdir(parents=True, exist_ok=True)
    raw = _raw_package(generate_tables(index, seed=seed, actors=actors), str(target))
    for table in raw.tables.values():
        with open(target / table.file, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.header)
            writer.writerows(cells for _, cells in table.rows)
    return target


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1, help="number of municipalities (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--actors", type=int, default=None, help="fixed actors per municipality")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the CSV packages into")
    args = parser.parse_args()
    for index in range(args.count):
        print(write_package(index, args.out, seed=args.seed, actors=args.actors))


if __name__ == "__main__":
    _main()
