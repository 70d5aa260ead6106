"""Property-based tests of the loader and the embedded store (hypothesis).

- Any generated valid package round-trips through the store unchanged.
- Any single corruption of it is reported at exactly its file, row and column (validation runs
  before any write, so nothing is stored: ``tests/corpus`` checks the store through the CLI).
- User text never reaches a Cypher statement: it travels only as parameters.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tsunagari.cli import main
from tsunagari.graph.open import open_store
from tsunagari.graph.vocabulary import vocabulary
from tsunagari.loaders.errors import DataPackageError
from tsunagari.loaders.validate import read_package
from tsunagari.settings import Settings

from ..graph.test_store_embedded import expected_graph

# Names: any printable text incl. quotes, backticks, braces, newlines, Cypher and HTML fragments.
NAME = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)
    | st.sampled_from(["'", '"', "`", "{", "}", "\n", "\\", "MATCH (n) DETACH DELETE n", "<script>", "、", "①"]),
    min_size=1, max_size=4,
).map("".join).map(str.strip).filter(bool)
SECTORS = vocabulary("sectors").labels()
TYPES = vocabulary("agency_types").labels()


@st.composite
def packages(draw):
    """Rows of a valid package: districts, agencies and REFERS_TO / COLLABORATES_WITH ties."""
    n_districts = draw(st.integers(1, 4))
    districts = [{"id": f"d{i}", "name": draw(NAME), "layer": "地区",
                  "population": draw(st.none() | st.integers(0, 10**6)),
                  "association_rate": draw(st.none() | st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1))),
                  "source": draw(NAME)} for i in range(n_districts)]
    n_agencies = draw(st.integers(2, 8))
    agencies = [{"id": f"a{i}", "name": draw(NAME), "type": draw(st.sampled_from(TYPES)),
                 "sector": draw(st.sampled_from(SECTORS)),
                 "district": draw(st.none() | st.sampled_from([d["id"] for d in districts])),
                 "source": draw(NAME)} for i in range(n_agencies)]
    pairs = draw(st.lists(st.tuples(st.integers(0, n_agencies - 1), st.integers(0, n_agencies - 1))
                          .filter(lambda p: p[0] != p[1]), max_size=10, unique=True))
    ties = [{"from": f"a{a}", "to": f"a{b}", "kind": draw(st.sampled_from(["REFERS_TO", "COLLABORATES_WITH"])),
             "weight": draw(st.none() | st.integers(1, 9)), "basis": f"b{a}-{b}", "source": draw(NAME)}
            for a, b in pairs]
    manifest = {"code": "99999", "name": draw(NAME), "slug": "gen", "source": draw(NAME)}
    return {"manifest": manifest, "districts": districts, "agencies": agencies, "ties": ties}


def write_package(rows: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["key", "value"])
        writer.writerows(rows["manifest"].items())
    for table in ("districts", "agencies", "ties"):
        columns = sorted({k for r in rows[table] for k in r}) or ["from", "to", "kind", "source"]
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows([{k: ("" if v is None else v) for k, v in r.items()} for r in rows[table]])
    return folder


SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


@SETTINGS
@given(rows=packages())
def test_valid_package_round_trips_unchanged(rows):
    with tempfile.TemporaryDirectory() as tmp:
        package = read_package(write_package(rows, Path(tmp) / "pkg"))
        names = {f"99999:{a['id']}": a["name"] for a in rows["agencies"]}
        assert {n.uid: n.properties["name"] for n in package.nodes if n.label == "Agency"} == names
        with open_store(Settings(store_url=f"embedded://{tmp}/store")) as store:
            store.load_package(package)
            graph = store.read_graph("99999")
    expected = expected_graph(package)
    assert dict(graph.nodes(data=True)) == {
        n: (d | {"content_hash": package.content_hash} if d["kind"] == "Municipality" else d)
        for n, d in expected.nodes(data=True)}
    assert sorted(graph.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))


CORRUPTIONS = {
    # name: (table, column, bad value, expected code)
    "bad_number": ("districts", "population", "たくさん", "bad_number"),
    "negative": ("districts", "population", "-1", "number_out_of_range"),
    "unknown_sector": ("agencies", "sector", "宇宙", "unknown_term"),
    "unknown_district": ("agencies", "district", "nowhere", "unknown_reference"),
    "empty_name": ("agencies", "name", "", "missing_value"),
    "id_with_space": ("agencies", "id", "a b", "bad_id"),
}


@SETTINGS
@given(rows=packages(), corruption=st.sampled_from(sorted(CORRUPTIONS)), data=st.data())
def test_single_corruption_is_reported_and_nothing_stored(rows, corruption, data):
    table, column, value, code = CORRUPTIONS[corruption]
    index = data.draw(st.integers(0, len(rows[table]) - 1))
    if column == "id":  # keep references consistent: corrupt an agency nobody refers to
        rows["ties"] = [t for t in rows["ties"] if rows[table][index]["id"] not in (t["from"], t["to"])]
    rows[table][index][column] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = write_package(rows, Path(tmp) / "pkg")
        try:
            read_package(path)
        except DataPackageError as err:
            errors = [(i.file, i.row, i.column, i.code) for i in err.issues if i.severity == "error"]
        else:
            raise AssertionError(f"corruption {corruption} was not reported")
        assert errors == [(f"{table}.csv", index + 2, column, code)]


def test_user_text_never_reaches_a_statement(tmp_path, monkeypatch):
    """Every statement text is built from the model; hostile names, ids and arguments are parameters."""
    from tsunagari.graph.store_embedded import EmbeddedStore

    hostile = "x'}) DETACH DELETE n //`"
    rows = {"manifest": {"code": "99999", "name": "市" + hostile, "slug": "gen", "source": hostile},
            "districts": [{"id": "d0", "name": hostile, "layer": "地区", "source": hostile}],
            "agencies": [{"id": "a0", "name": hostile, "type": "庁内部署", "sector": "福祉", "source": hostile},
                         {"id": "a1", "name": "`Agency`", "type": "NPO", "sector": "住まい", "source": "{x}"}],
            "ties": [{"from": "a0", "to": "a1", "kind": "REFERS_TO", "basis": hostile, "source": hostile}]}
    statements: list[str] = []
    real = EmbeddedStore._execute

    def recording(self, *args):  # (connection,) statement, parameters
        statements.append(args[-2])
        return real(self, *args)

    monkeypatch.setattr(EmbeddedStore, "_execute", recording)
    url = f"embedded://{tmp_path / 'store'}"
    assert main(["--store", url, "load", str(write_package(rows, tmp_path / "pkg"))]) == 0
    for argument in (hostile, "99999' OR 1=1", "MATCH (n) RETURN n"):
        assert main(["--store", url, "summary", argument]) == 2
    assert main(["--store", url, "summary", "99999"]) == 0
    assert statements and not [s for s in statements if "DETACH DELETE n //" in s or "OR 1=1" in s or "`" in s]
    with open_store(Settings(store_url=url)) as store:
        graph = store.read_graph("99999")
    assert graph.nodes["99999:a0"]["name"] == hostile and graph.graph["name"] == "市" + hostile
    assert nx.number_of_nodes(graph) == 4
