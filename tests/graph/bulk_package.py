"""A large synthetic package built directly as records (for store fault tests, not validation)."""

from __future__ import annotations

from tsunagari.graph.records import DataPackage, NodeRecord, TieRecord


def bulk_package(code: str, agencies: int, *, version: str, fiscal_year: int | None = None) -> DataPackage:
    """``agencies`` agencies in a chain of REFERS_TO ties; ``version`` is stamped in every name.

    With ``fiscal_year`` the package is that year's snapshot (the manifest field), else the year-unknown one.
    """
    municipality = {"code": code, "name": f"負荷試験市{version}", "name_en": None, "slug": f"bulk{code}",
                    "prefecture": None, "population": None, "households": None, "elderly": None,
                    "children": None, "as_of": None, "source": "synthetic", "note": version}
    if fiscal_year is not None:
        municipality["fiscal_year"] = fiscal_year
    nodes = [NodeRecord("Municipality", code, {**municipality, "id": code, "municipality": code})]
    ties = []
    for i in range(agencies):
        nodes.append(NodeRecord("Agency", f"{code}:a{i}", {
            "id": f"a{i}", "name": f"機関{i}-{version}", "type": "庁内部署", "sector": "福祉", "domains": ["高齢"],
            "source": "synthetic", "municipality": code}))
        if i:
            ties.append(TieRecord("REFERS_TO", f"{code}:t{i}", f"{code}:a{i - 1}", f"{code}:a{i}", "Agency",
                                  "Agency", {"weight": 1.0, "source": "synthetic", "municipality": code}))
    return DataPackage(code, municipality, tuple(nodes), tuple(ties))
