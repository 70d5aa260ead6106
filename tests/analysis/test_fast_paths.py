"""The copy-free paths give the numbers of the paths they replaced, on the four samples and on small graphs.

Betweenness and closeness used to convert a node-sorted networkx copy to igraph; they now build the
same igraph graph (same vertex and edge order) directly, so the numbers must be bit-for-bit those of
``fast_backend`` on ``with_distance``'s copy. Constraint, clustering, transitivity, cut points and
bridges are compared with networkx's own functions.
"""

from __future__ import annotations

import functools
import math
import random

import networkx as nx
import pytest

from tsunagari.analysis import actor_digraph, actor_network, fast_backend, structural_holes
from tsunagari.analysis.centrality import _canonical_edges, _sorted_copy, betweenness, closeness, with_distance
from tsunagari.analysis.cutpoints import articulation_points, bridges
from tsunagari.analysis.structural_holes import constraint
from tsunagari.analysis.whole_network import _simple, whole_network_measures
from tsunagari.samples import sample_path
from tests.conftest import package_graph_of

SAMPLES = ("amagasaki", "ashiya", "hannan", "takashima")


@pytest.fixture(scope="module", params=SAMPLES)
def networks(request) -> tuple[nx.Graph, nx.DiGraph]:
    graph = package_graph_of(sample_path(request.param))
    return actor_network(graph), actor_digraph(graph)


def _same(a: dict, b: dict) -> bool:
    return list(a) == list(b) and all(
        (math.isnan(x) and math.isnan(b[k])) or x == b[k] for k, x in a.items())


def test_betweenness_and_closeness_are_bit_for_bit_the_copy_path(networks):
    undirected, directed = networks
    for network in (undirected, directed):
        copy = with_distance(network)
        old = fast_backend.betweenness(copy, weight="distance")
        assert _same(betweenness(network), {n: float(old[n]) for n in sorted(copy)})
        old_hops = fast_backend.betweenness(_sorted_copy(network))
        assert _same(betweenness(network, weight=None), {n: float(old_hops[n]) for n in sorted(network)})
    old_closeness = fast_backend.closeness(with_distance(undirected), distance="distance")
    assert _same(closeness(undirected), {n: float(old_closeness[n]) for n in sorted(undirected)})


def test_canonical_edges_are_the_sorted_copys_edges():
    g = nx.Graph()
    g.add_edges_from([("b", "a"), ("a", "c"), ("c", "b"), ("d", "a"), ("d", "d")])  # mixed orientation, a loop
    assert _canonical_edges(g) == list(_sorted_copy(g).edges())
    # g yields (b,a) (b,c) (a,c) (a,d) (d,d); sorted: (a,c) (a,d) (b,a) (b,c) (d,d), so a's neighbours are c, d, b
    assert _canonical_edges(g) == [("a", "c"), ("a", "d"), ("a", "b"), ("b", "c"), ("d", "d")]
    d = nx.DiGraph([("b", "a"), ("a", "c"), ("c", "a")])
    assert _canonical_edges(d) == list(_sorted_copy(d).edges()) == [("a", "c"), ("b", "a"), ("c", "a")]


def test_constraint_equals_networkx_on_the_samples(networks):
    undirected, _ = networks
    expected = nx.constraint(_sorted_copy(undirected), weight="weight")
    found = constraint(undirected)
    assert list(found) == sorted(undirected)
    assert max(abs(found[n] - expected[n]) for n in found if not math.isnan(expected[n])) <= 1e-12
    assert [n for n in found if math.isnan(found[n])] == sorted(n for n in expected if math.isnan(expected[n]))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # networkx divides by a zero row sum
@pytest.mark.parametrize("trial", range(40))
def test_constraint_equals_networkx_on_odd_graphs(trial):
    rng = random.Random(trial)
    g = nx.gnp_random_graph(25, 0.2, seed=trial, directed=trial % 3 == 0)
    if trial % 4 == 0:
        g.add_edge(3, 3)  # a self-loop
        g.add_node(99)  # an isolate
    for u, v in g.edges():
        g[u][v]["weight"] = rng.choice([0.0, 1 / 3, 0.5, 2.0]) if trial % 2 else rng.random()  # zero: no contact
    for weight in (None, "weight"):
        expected = nx.constraint(g, weight=weight)
        found = constraint(g, weight=weight)
        for node, value in expected.items():
            assert (math.isnan(value) and math.isnan(found[node])) or abs(found[node] - value) <= 1e-12


def test_star_constraint_by_hand():
    # centre of a 3-leaf star: three contacts, p = 1/3 each, none tied: 3 · (1/3)² = 1/3; a leaf: (1 + 0)² = 1
    values = constraint(nx.star_graph(3), weight=None)
    assert values[0] == pytest.approx(1 / 3, abs=1e-15) and values[1] == 1.0


def test_clustering_transitivity_cut_points_and_bridges_equal_networkx(networks):
    undirected, _ = networks
    simple = _simple(undirected)
    assert simple is undirected  # the actor network already is sorted and simple: no copy
    measures = whole_network_measures(undirected)
    assert measures["average_clustering"] == nx.average_clustering(undirected)
    assert measures["transitivity"] == nx.transitivity(undirected)
    assert articulation_points(undirected) == sorted(nx.articulation_points(undirected))
    assert bridges(undirected) == sorted(tuple(sorted(e)) for e in nx.bridges(undirected))


def test_whole_network_of_an_unsorted_graph_equals_its_sorted_copy():
    g = nx.Graph([("c", "a"), ("b", "c"), ("a", "b"), ("d", "e"), ("e", "e")])
    assert _simple(g) is not g
    left, right = whole_network_measures(g), whole_network_measures(_simple(g))
    assert left.keys() == right.keys()
    assert all((math.isnan(v) and math.isnan(right[k])) or v == right[k] for k, v in left.items())
    assert left["transitivity"] == 1.0 and left["average_clustering"] == 3 / 5  # one triangle of 5 nodes


def test_whole_network_of_the_sample_equals_the_copy_path(networks):
    undirected, _ = networks
    shuffled = nx.Graph()  # same ties in reverse order: not sorted, so measured through the node-sorted copy
    shuffled.add_nodes_from(reversed(list(undirected.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(undirected.edges(data=True))))
    fast, copied = whole_network_measures(undirected), whole_network_measures(shuffled)
    assert fast.keys() == copied.keys()
    assert all((math.isnan(v) and math.isnan(copied[k])) or v == copied[k] for k, v in fast.items())


def test_eigenvector_matrices_are_networkx_matrices(networks):
    import numpy as np
    from scipy.sparse.linalg import eigsh

    from tsunagari.analysis.centrality import _DENSE_EIGEN_MAX, _leading_eigenpair

    undirected, _ = networks
    for component in nx.connected_components(undirected):
        nodes = sorted(component)
        value, vector = _leading_eigenpair(undirected, nodes, "weight")
        if len(nodes) <= _DENSE_EIGEN_MAX:  # what the function did before, bit for bit
            values, vectors = np.linalg.eigh(nx.to_numpy_array(undirected, nodelist=nodes, weight="weight"))
            expected = float(values[-1]), np.abs(vectors[:, -1])
        else:
            matrix = nx.to_scipy_sparse_array(undirected, nodelist=nodes, weight="weight", format="csr", dtype=float)
            values, vectors = eigsh(matrix, k=1, which="LA", tol=0, v0=np.ones(len(nodes)))
            expected = float(values[0]), np.abs(vectors[:, 0])
        assert value == expected[0] and (vector == expected[1]).all()


# constraint's arcs are now read from the graph's dicts, and cut points from an edge list without set and sort:
# the functions they replaced, verbatim, give the reference (bit for bit)

def _old_arcs(graph: nx.Graph, nodes: list, weight: str | None):
    """Row, column and weight arrays of the ties as constraint built them through the edge view (verbatim)."""
    import numpy as np

    index = {node: i for i, node in enumerate(nodes)}
    rows, columns, arcs = [], [], []
    for u, v, data in graph.edges(data=True):
        a = data.get(weight, 1) if weight is not None else 1
        i, j = index[u], index[v]
        rows.append(i)
        columns.append(j)
        arcs.append(a)
        if not graph.is_directed() and i != j:  # an undirected tie is an arc both ways
            rows.append(j)
            columns.append(i)
            arcs.append(a)
    return np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64), np.array(arcs, dtype=float)


def _old_constraint(graph: nx.Graph, *, weight: str | None = "weight") -> dict[str, float]:
    """Burt's constraint as computed before its arcs were read from the graph's dicts (the old arcs put back)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(structural_holes, "_arcs", _old_arcs)
        return constraint(graph, weight=weight)


def _old_articulation_points(graph: nx.Graph) -> list:
    import igraph

    nodes = sorted(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted({(index[u], index[v]) if index[u] < index[v] else (index[v], index[u])
                    for u, v in graph.edges() if u != v})
    converted = igraph.Graph(n=len(nodes), edges=edges)
    return sorted(nodes[i] for i in converted.articulation_points()), converted, nodes


def _bits(values: dict) -> list:
    return [(k, repr(v)) for k, v in values.items()]


def test_constraint_is_bit_for_bit_the_old_code(networks):
    for network in networks:
        for weight in ("weight", None):
            assert _bits(constraint(network, weight=weight)) == _bits(_old_constraint(network, weight=weight))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("trial", range(30))
def test_constraint_and_cut_points_of_odd_graphs_are_the_old_code(trial):
    rng = random.Random(trial)
    g = nx.gnp_random_graph(30, 0.12, seed=trial, directed=trial % 3 == 0)
    g = nx.relabel_nodes(g, {n: f"n{rng.randrange(10**6)}-{n}" for n in g})  # insertion order not sorted
    if trial % 4 == 0:
        first = next(iter(g))
        g.add_edge(first, first)  # a self-loop
        g.add_node("isolate")
    for u, v in g.edges():
        g[u][v]["weight"] = rng.choice([0.0, 1 / 3, 0.5, 2, True, rng.random()])  # zero, an int, a bool
    for weight in ("weight", None):
        assert _bits(constraint(g, weight=weight)) == _bits(_old_constraint(g, weight=weight))
    old_cuts, converted, nodes = _old_articulation_points(g)
    assert articulation_points(g) == old_cuts
    old_bridges = sorted(tuple(sorted((nodes[converted.es[e].source], nodes[converted.es[e].target])))
                         for e in converted.bridges())
    assert bridges(g) == old_bridges


def test_cut_points_and_bridges_of_the_samples_are_the_old_code(networks):
    undirected, directed = networks
    for network in (undirected, directed):
        old_cuts, converted, nodes = _old_articulation_points(network)
        assert articulation_points(network) == old_cuts
        assert bridges(network) == sorted(tuple(sorted((nodes[converted.es[e].source], nodes[converted.es[e].target])))
                                          for e in converted.bridges())

# --- metrics table: the vectorised measures give the former loops' numbers, bit for bit --------------

def _former_ei_permutation_test(graph, groups, *, permutations=1000, seed=0, weight=None):
    """ei_permutation_test before it compared uint8 labels and counted (verbatim but for the imports)."""
    import numpy as np

    from tsunagari.analysis.ei_index import EIResult, _ratio, _ties, ei_index

    nodes = sorted(graph)
    ties = _ties(graph, weight)
    observed = ei_index(graph, groups, weight=weight)
    index = {node: i for i, node in enumerate(nodes)}
    group_codes = {g: i for i, g in enumerate(sorted({str(groups[n]) for n in nodes}))}
    codes = np.array([group_codes[str(groups[n])] for n in nodes], dtype=np.int64)
    ends_u = np.array([index[u] for u, _, _ in ties], dtype=np.int64)
    ends_v = np.array([index[v] for _, v, _ in ties], dtype=np.int64)
    weights = np.array([w for _, _, w in ties], dtype=float)
    total = math.fsum(weights)
    rng = np.random.default_rng(seed)
    values = []
    batch = max(1, min(permutations, 5_000_000 // max(len(nodes), 1)))
    done = 0
    while done < permutations:
        rows = min(batch, permutations - done)
        labels = rng.permuted(np.broadcast_to(codes, (rows, len(codes))), axis=1)
        external = ((labels[:, ends_u] != labels[:, ends_v]) * weights).sum(axis=1) if len(ties) else np.zeros(rows)
        values.extend(_ratio(float(e), total - float(e)) for e in external)
        done += rows
    finite = [v for v in values if not math.isnan(v)]
    if math.isnan(observed) or not finite:
        return EIResult(observed, math.nan, math.nan, math.nan, permutations, seed)
    eps = 1e-12
    return EIResult(observed=observed, expected=sum(finite) / len(finite),
                    p_greater=sum(1 for v in finite if v >= observed - eps) / len(finite),
                    p_less=sum(1 for v in finite if v <= observed + eps) / len(finite),
                    permutations=permutations, seed=seed)


def _former_within_module_degree(graph, modules, *, weight=None):
    """within_module_degree before the per-module moments (mean and sd recomputed for every node)."""
    from tsunagari.analysis.participation import _module_degrees

    degrees = _module_degrees(graph, modules, weight)
    internal = {n: degrees[n].get(modules[n], 0.0) for n in degrees}
    result = {}
    for node in sorted(internal):
        peers = [internal[m] for m in internal if modules[m] == modules[node]]
        mean = sum(peers) / len(peers)
        sd = math.sqrt(sum((x - mean) ** 2 for x in peers) / len(peers))
        result[node] = (internal[node] - mean) / sd if sd > 0 else 0.0
    return result


def _former_rank(values, ids):
    import pandas as pd

    order = pd.DataFrame({"v": values.fillna(-math.inf), "id": ids}).sort_values(
        ["v", "id"], ascending=[False, True], kind="mergesort")
    rank = pd.Series(0, index=values.index, dtype="int64")
    rank.loc[order.index] = range(1, len(order) + 1)
    return rank


def _former_paths(monkeypatch) -> None:
    """Route compute_metrics through the loops the vectorised paths replaced."""
    from tsunagari.analysis import _loss_frame, brokerage, fast_backend, metrics, structural_holes

    monkeypatch.setattr(structural_holes, "_effective_size_undirected", lambda graph, weight: None)
    monkeypatch.setattr(fast_backend, "loss_impact", fast_backend._loss_impact_by_removal)
    monkeypatch.setattr(fast_backend, "loss_frame", _loss_frame._pandas_frame)
    monkeypatch.setattr(metrics, "brokerage_roles", lambda directed, groups: brokerage._brokerage_roles_by_loop(
        directed if directed.is_directed() else directed.to_directed(), groups))
    monkeypatch.setattr(metrics, "ei_permutation_test", _former_ei_permutation_test)
    monkeypatch.setattr(metrics, "participation_and_within_module_degree", lambda graph, modules, weight: (
        metrics.participation_coefficient(graph, modules, weight=weight),
        _former_within_module_degree(graph, modules, weight=weight)))
    monkeypatch.setattr(metrics, "_rank", _former_rank)


def _metrics_graphs():
    from tests.analysis.metrics_digest import SAMPLES, SYNTHETIC

    return [*SAMPLES, *(f"synthetic{i}" for i in SYNTHETIC)]


@functools.cache
def _metrics_input(name: str):
    import tsunagari as tg

    if name.startswith("synthetic"):
        from benchmarks.generate import generate_package

        return tg.package_graph(generate_package(int(name.removeprefix("synthetic"))))
    return package_graph_of(sample_path(name))


@functools.cache
def _metrics_now(name: str):
    from tsunagari.analysis.metrics import compute_metrics

    return compute_metrics(_metrics_input(name).copy())


def _same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("name", _metrics_graphs())
def test_metrics_equal_the_former_paths(name, monkeypatch):
    import pandas as pd

    from tsunagari.analysis.metrics import compute_metrics

    now = _metrics_now(name)
    _former_paths(monkeypatch)
    before = compute_metrics(_metrics_input(name).copy())
    pd.testing.assert_frame_equal(now.nodes, before.nodes, check_exact=True)
    pd.testing.assert_frame_equal(now.graph, before.graph, check_exact=True)
    # the annotated network as it was made: a copy of the actor network, then each node's row merged in
    old = actor_network(_metrics_input(name).copy()).copy()
    names = list(now.nodes.columns[1:])
    for uid, *values in zip(*(now.nodes[c].tolist() for c in now.nodes.columns)):
        old.nodes[uid].update(zip(names, values))
    old.graph.update(before.network.graph)
    for network in (before.network, old):
        assert type(now.network) is type(network)
        assert list(now.network.graph) == list(network.graph)
        assert all(_same_value(now.network.graph[k], network.graph[k]) for k in network.graph)
        assert list(now.network.nodes) == list(network.nodes)
        for node, data in network.nodes(data=True):
            mine = now.network.nodes[node]
            assert list(mine) == list(data), node
            assert all(_same_value(mine[k], v) for k, v in data.items()), node
        assert list(now.network.edges(data=True)) == list(network.edges(data=True))


@pytest.mark.parametrize("name", _metrics_graphs())
def test_metrics_equal_the_golden_made_before_the_speedups(name):
    """Every column of the tables and the annotated network, digested (tests/analysis/metrics_digest.py)
    from the code before the vectorised paths; floating-point kernels (LAPACK, ARPACK, igraph) can
    differ in the last bits between library versions, so only the recorded environment is compared."""
    import json

    from tests.analysis.metrics_digest import GOLDEN, environment, result_digest

    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    if golden["environment"] != environment():
        pytest.skip(f"golden digests made with {golden['environment']}, not {environment()}")
    expected, found = golden["results"][name], result_digest(_metrics_now(name))
    differing = {part: sorted(k for k in expected[part] if expected[part][k] != found[part].get(k))
                 for part in expected}
    assert found == expected, f"differs from the golden: {differing}"


@pytest.mark.parametrize("trial", range(60))
def test_vectorised_measures_equal_the_loops_on_odd_graphs(trial, monkeypatch):
    import pandas as pd

    from tsunagari.analysis import _loss_frame, brokerage, fast_backend, structural_holes
    from tsunagari.analysis.ei_index import ei_permutation_test
    from tsunagari.analysis.participation import within_module_degree

    rng = random.Random(trial)
    n = rng.randint(1, 35)
    g = nx.gnp_random_graph(n, rng.choice([0.03, 0.1, 0.3, 0.7]), seed=trial, directed=trial % 4 == 0)
    if trial % 3 == 0:
        g.add_edge(0, 0)  # a self-loop
    if trial % 2:
        g = nx.relabel_nodes(g, {i: f"n{i:02d}" for i in g})
    for u, v in g.edges():
        g[u][v]["weight"] = rng.choice([0.0, 1 / 3, 0.5, 2.0, 1 / 7]) if trial % 5 == 0 else rng.random()
    groups = {x: rng.choice("ABCD"[: rng.randint(1, 4)]) for x in g}
    # brokerage roles: counts, expectations and z-scores
    directed = g if g.is_directed() else g.to_directed()
    pd.testing.assert_frame_equal(brokerage.brokerage_roles(g, groups),
                                  brokerage._brokerage_roles_by_loop(directed, groups), check_exact=True)
    # loss impact: block-cut tree, the component search per cut point, networkx
    fast = fast_backend.loss_impact(g)
    pd.testing.assert_frame_equal(fast, fast_backend._loss_impact_by_removal(g), check_exact=True)
    rows = fast.reset_index().drop(columns="loss_rank").to_dict("records")
    pd.testing.assert_frame_equal(_loss_frame.loss_frame(rows), _loss_frame._pandas_frame(rows), check_exact=True)
    # E-I permutation test, binary and weighted
    for weight in (None, "weight"):
        a = ei_permutation_test(g, groups, permutations=97, seed=trial, weight=weight)
        b = _former_ei_permutation_test(g, groups, permutations=97, seed=trial, weight=weight)
        assert all(_same_value(x, y) for x, y in zip(vars(a).values(), vars(b).values()))
    undirected = g.to_undirected() if g.is_directed() else g
    assert within_module_degree(undirected, groups, weight="weight") == _former_within_module_degree(
        undirected, groups, weight="weight")
    # effective size: the sparse product, or the loop where it declines (none here: weights are ≥ 0)
    for weight in (None, "weight"):
        vectorised = structural_holes.effective_size(undirected, weight=weight)
        with monkeypatch.context() as patch:
            patch.setattr(structural_holes, "_effective_size_undirected", lambda graph, weight: None)
            looped = structural_holes.effective_size(undirected, weight=weight)
        assert list(vectorised) == list(looped)
        assert all(_same_value(vectorised[k], looped[k]) for k in looped)


def test_effective_size_leaves_negative_and_zero_sum_weights_to_the_loop():
    from tsunagari.analysis.structural_holes import _effective_size_undirected

    g = nx.Graph([("a", "b", {"weight": -1.0}), ("b", "c", {"weight": 2.0})])
    assert _effective_size_undirected(g, "weight") is None
    g = nx.Graph([("a", "b", {"weight": 0.0}), ("b", "c", {"weight": 2.0})])
    assert _effective_size_undirected(g, "weight") is None  # a's ties sum to 0: the loop's own semantics


def test_loss_impact_block_cut_tree_by_hand():
    # two triangles sharing c, and a tail c–d–e: c splits {a,b}, {f,g}, {d,e}; d splits {a,b,c,f,g}, {e}
    g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "f"), ("f", "g"), ("g", "c"), ("c", "d"), ("d", "e")])
    impact = fast_backend.loss_impact(g)
    assert impact.loc["c", "components_after"] == 3 and impact.loc["c", "pairs_lost"] == 15 - 3
    assert impact.loc["d", "components_after"] == 2 and impact.loc["d", "pairs_lost"] == 15 - 10
    assert impact.loc["d", "isolated_after"] == 1 and not impact.loc["a", "cutpoint"]


def test_eigenvector_gives_the_blas_threads_back():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import threading

    import scipy.sparse.linalg  # noqa: F401  (both OpenBLAS libraries loaded before counting their threads)

    from tsunagari.analysis import centrality

    def threads() -> list[int]:
        return [info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"]

    before = threads()
    with centrality._one_blas_thread():
        assert set(threads()) <= {1}
        workers = [threading.Thread(target=centrality.eigenvector, args=(nx.karate_club_graph(),)) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert set(threads()) <= {1}  # calls inside the block do not lift the limit when they end
    assert threads() == before and centrality._BLAS_USERS == 0
