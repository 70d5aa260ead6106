"""District boundaries: the optional ``districts.geojson`` of a data package.

A GeoJSON FeatureCollection (RFC 7946: longitude, latitude in WGS 84) whose features carry the
district's package id in ``properties.id`` and a ``Polygon`` or ``MultiPolygon`` geometry. The
loader keeps each geometry, as GeoJSON text, in the district's ``boundary``; district maps then
draw the real shapes (a schematic grid otherwise). Nothing else in the file is read or stored.
"""

from __future__ import annotations

import json
from pathlib import Path

from tsunagari.graph.records import Issue
from tsunagari.loaders.archive import ArchiveProblem, Budget, member_name, open_zip, read_member
from tsunagari.loaders.limits import Limits

__all__ = ["BOUNDARY_FILE", "MAX_BOUNDARY_BYTES", "read_boundaries"]

BOUNDARY_FILE = "districts.geojson"
MAX_BOUNDARY_BYTES = 50 * 1024 * 1024
"""Largest boundary file read (50 MB: a city's 町丁目 polygons are a few MB)."""


def _raw(path: Path, limits: Limits) -> bytes | None:
    if path.is_dir():
        target = path / BOUNDARY_FILE
        if not target.is_file():
            return None
        if target.stat().st_size > MAX_BOUNDARY_BYTES:
            raise ValueError("too_large")
        return target.read_bytes()
    if path.is_file() and path.suffix.lower() == ".zip":
        # The same guarded reader as the tables (declared and produced sizes, compression ratio,
        # methods, CP932 names); a broken archive is reported by the tables' reader, not twice here.
        try:
            archive = open_zip(path, limits=limits)
        except ArchiveProblem:
            return None
        with archive:
            for info in archive.infolist():
                name = member_name(info)
                if Path(name).name != BOUNDARY_FILE or "__MACOSX" in name:
                    continue
                if info.file_size > MAX_BOUNDARY_BYTES:
                    raise ValueError("too_large")
                # A refused member (ratio, method, size) raises ArchiveProblem: reported, never skipped.
                return read_member(archive, info, archive_file=path.name, budget=Budget(limits))
    return None


def read_boundaries(path: str | Path, district_ids: set[str], *,
                    limits: Limits | None = None) -> tuple[dict[str, str], list[Issue]]:
    """Boundaries of the package at ``path``: district id → geometry as GeoJSON text, and the problems.

    A package without ``districts.geojson`` has none (no issue). Each problem names the file and the
    feature (its position, from 1, in ``features``) and is an error: a boundary that cannot be read
    must not silently draw the wrong map.

    Examples
    --------
    >>> import tempfile, json
    >>> folder = Path(tempfile.mkdtemp())
    >>> square = {"type": "Polygon", "coordinates": [[[135.0, 34.0], [135.1, 34.0], [135.1, 34.1], [135.0, 34.0]]]}
    >>> _ = (folder / BOUNDARY_FILE).write_text(json.dumps({"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"id": "north"}, "geometry": square}]}))
    >>> found, issues = read_boundaries(folder, {"north", "south"})
    >>> sorted(found), issues
    (['north'], [])
    """
    file = BOUNDARY_FILE
    try:
        data = _raw(Path(path), limits if limits is not None else Limits())
    except ArchiveProblem as problem:
        return {}, [problem.issue]
    except ValueError:
        return {}, [Issue(file, None, None, "boundary_too_large",
                          f"{file} が大きすぎます（上限 {MAX_BOUNDARY_BYTES // 1024 // 1024} MB）。境界を簡略化してください。",
                          f"{file} is too large (at most {MAX_BOUNDARY_BYTES // 1024 // 1024} MB); simplify the "
                          "boundaries.")]
    if data is None:
        return {}, []
    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        # RecursionError: arrays nested deeper than Python's parser goes (no real boundary is).
        deep = isinstance(err, RecursionError)
        reason = "nested too deeply" if deep else str(err)
        reason_ja = "配列の入れ子が深すぎます" if deep else str(err)
        return {}, [Issue(file, None, None, "boundary_unreadable",
                          f"{file} を GeoJSON として読めません（{reason_ja}）。UTF-8 の GeoJSON で保存してください。",
                          f"{file} is not readable GeoJSON ({reason}). Save it as UTF-8 GeoJSON.")]
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        return {}, [Issue(file, None, None, "boundary_unreadable",
                          f"{file} は FeatureCollection（features の一覧）にしてください。",
                          f"{file} must be a FeatureCollection (a list of features).")]
    found: dict[str, str] = {}
    issues: list[Issue] = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        district = str((properties or {}).get("id") or (properties or {}).get("district_id") or "").strip()
        where = f"features[{number}]"
        if not district or district not in district_ids:
            issues.append(Issue(file, number, "properties.id", "boundary_unknown_district",
                                f"{where} の properties.id「{district}」は districts の ID にありません。",
                                f"{where}: properties.id {district!r} is not the id of a district."))
            continue
        if district in found:
            issues.append(Issue(file, number, "properties.id", "boundary_duplicate",
                                f"{where}: 地区「{district}」の境界が2つあります。1つ（MultiPolygon）にまとめてください。",
                                f"{where}: district {district!r} has two boundaries; merge them into one MultiPolygon."))
            continue
        if not _valid_geometry(geometry):
            issues.append(Issue(file, number, "geometry", "boundary_bad_geometry",
                                f"{where}: geometry は経度・緯度の Polygon か MultiPolygon にしてください。",
                                f"{where}: the geometry must be a Polygon or MultiPolygon of longitude/latitude."))
            continue
        found[district] = json.dumps(geometry, ensure_ascii=False, separators=(",", ":"))
    return found, issues


def _valid_geometry(geometry: object) -> bool:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return False
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return False
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon or not isinstance(polygon[0], list) or len(polygon[0]) < 4:
            return False
        for ring in polygon:
            for point in ring:
                if not (isinstance(point, list) and len(point) >= 2 and all(isinstance(c, (int, float)) for c in point[:2])
                        and -180 <= point[0] <= 180 and -90 <= point[1] <= 90):
                    return False
    return True
