"""Every network measure of a municipality, computed once and shared by the CLI, dashboards and exports.

:func:`compute_metrics` builds the actor network (:mod:`tsunagari.analysis.network`) and returns
one table with a row per actor and every node measure, one table of whole-network measures, and
the parameters used. The column names are documented in ``docs/metrics.md``.

Betweenness, closeness, loss impact and mean path lengths run on igraph by default
(:mod:`tsunagari.analysis.fast_backend`); ``backend="networkx"`` computes the same table with
networkx, for cross-checks.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from tsunagari.analysis import centrality, cutpoints, structural_holes
from tsunagari.analysis._memo import shared_tables
from tsunagari.analysis.brokerage import ROLES, brokerage_roles
from tsunagari.analysis.communities import (
    METHODS,
    adjusted_rand_index,
    communities,
    modularity,
    normalized_mutual_information,
)
from tsunagari.analysis.ei_index import ei_by_node, ei_permutation_test
from tsunagari.analysis.errors import AnalysisError
from tsunagari.analysis.fast_backend import SAMPLE_THRESHOLD, Backend, check_backend
from tsunagari.analysis.network import (
    GROUPINGS,
    NetworkOptions,
    actor_digraph,
    actor_groups,
    actor_network,
)
from tsunagari.analysis.participation import participation_and_within_module_degree, participation_coefficient
from tsunagari.analysis.whole_network import whole_network_measures

__all__ = [
    "MetricsOptions",
    "MetricsResult",
    "NODE_INFO_COLUMNS",
    "compute_metrics",
    "node_metrics",
    "graph_metrics",
]

NODE_INFO_COLUMNS: tuple[str, ...] = (
    "uid", "id", "name", "kind", "type", "sector", "district", "layer", "domain", "aggregate", "count", "group")
"""Descriptive (non-measure) columns of the node table, in order."""


@dataclass(frozen=True)
class MetricsOptions:
    """Parameters of a metrics run (all recorded in the export manifest).

    Attributes
    ----------
    network
        Tie kinds and affiliations of the actor network.
    group
        Grouping for brokerage and the E-I index: ``sector``, ``domain``, ``layer`` or ``kind``.
    community_method
        ``louvain`` or ``leiden``.
    seed
        Seed of the community detection and of the E-I permutation test.
    permutations
        Permutations of the E-I test.
    sample_threshold, betweenness_pivots
        When a connected component of the network has more than ``sample_threshold`` actors,
        ``betweenness`` of each component larger than ``betweenness_pivots`` is estimated from that
        many seeded pivots drawn in it (Brandes & Pich 2007) and ``betweenness_se`` holds each
        estimate's standard error; everything else (and everything when no component is that large,
        e.g. a merged graph of municipalities) is exact with ``betweenness_se`` 0.
    """

    network: NetworkOptions = field(default_factory=NetworkOptions)
    group: str = "sector"
    community_method: str = "louvain"
    seed: int = 0
    permutations: int = 1000
    sample_threshold: int = SAMPLE_THRESHOLD
    betweenness_pivots: int = 500

    def __post_init__(self) -> None:
        if self.group not in GROUPINGS:
            actor_groups(nx.Graph(), self.group)  # raises UnknownGroupError with the message
        if self.community_method not in METHODS:
            raise AnalysisError("analysis.option", name="community_method", allowed=list(METHODS), value=repr(self.community_method))
        if self.permutations < 1:
            raise AnalysisError("analysis.at_least", name="permutations", minimum=1, value=self.permutations)

    def to_dict(self) -> dict:
        """Plain dict (JSON-serializable) of every parameter."""
        data = asdict(self)
        data["network"] = {k: list(v) for k, v in data["network"].items()}
        data["weighting"] = ("direct: sum of tie weights; shared affiliation: Newman (2001) 1/(n-1) per "
                             "affiliation of n actors; distance = 1/weight")
        return data


@dataclass(frozen=True)
class MetricsResult:
    """Result of :func:`compute_metrics`.

    Attributes
    ----------
    network
        The undirected actor network, with every node measure as a node attribute and every
        whole-network measure as a graph attribute (ready for GraphML/GEXF).
    nodes
        One row per actor (see :func:`node_metrics`).
    graph
        Whole-network measures, columns ``measure`` and ``value`` (see :func:`graph_metrics`).
    options
        The parameters used.
    """

    network: nx.Graph
    nodes: pd.DataFrame
    graph: pd.DataFrame
    options: MetricsOptions


def _rank(values: pd.Series, ids: pd.Series) -> pd.Series:
    """1 = largest value (NaN last), ties by ascending id: the order of a stable sort on (−value, id)."""
    names = ids.tolist()
    if len(set(names)) == len(names):
        # ids distinct (uids), so (value, id) is a total order: NumPy's lexsort gives pandas' sort, sooner
        by_id = np.empty(len(names), dtype="int64")
        by_id[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
        order = np.lexsort((by_id, -values.fillna(-math.inf).to_numpy(dtype=float)))
        ranks = np.empty(len(names), dtype="int64")
        ranks[order] = np.arange(1, len(names) + 1)
        return pd.Series(ranks, index=values.index, dtype="int64")
    order = pd.DataFrame({"v": values.fillna(-math.inf), "id": ids}).sort_values(
        ["v", "id"], ascending=[False, True], kind="mergesort")
    rank = pd.Series(0, index=values.index, dtype="int64")
    rank.loc[order.index] = range(1, len(order) + 1)
    return rank


@shared_tables()
def compute_metrics(graph: nx.MultiDiGraph, *, options: MetricsOptions | None = None,
                    backend: Backend = "igraph") -> MetricsResult:
    """Build the actor network of ``graph`` and compute every node and whole-network measure.

    Parameters
    ----------
    graph
        What :meth:`GraphStore.read_graph` returns.
    options
        Parameters (default :class:`MetricsOptions`).
    backend
        Implementation of betweenness, closeness, loss impact and mean path lengths: ``igraph``
        (default, :mod:`tsunagari.analysis.fast_backend`) or ``networkx`` (for cross-checks). Every
        hop-count and integer column is identical; weighted betweenness (``betweenness``,
        ``betweenness_directed``, hence ``betweenness_rank``) can differ at ties of equal-length
        paths whose floating-point sums differ in the last bit, which igraph counts as ties and
        networkx does not (see :func:`tsunagari.analysis.centrality.betweenness`).

    Raises
    ------
    BackendError
        If ``backend`` is not ``igraph`` or ``networkx``.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, s in [("a", "福祉"), ("b", "福祉"), ("c", "住まい")]:
    ...     g.add_node(n, kind="Agency", id=n, name=n, sector=s)
    >>> _ = g.add_edge("a", "b", kind="REFERS_TO"); _ = g.add_edge("b", "c", kind="REFERS_TO")
    >>> result = compute_metrics(g, options=MetricsOptions(permutations=10))
    >>> b = result.nodes.set_index("id").loc["b"]
    >>> float(b.betweenness), int(b.brokerage_representative)
    (1.0, 1)

    Notes
    -----
    With networkx, dominated by betweenness (O(nm + n² log n)) and loss impact (O(n(n + m)));
    with igraph, by the E-I permutation test and brokerage roles.
    """
    check_backend(backend)
    options = options or MetricsOptions()
    network = actor_network(graph, options=options.network)
    directed = actor_digraph(graph, options=options.network)
    groups = actor_groups(network, options.group)
    sectors = actor_groups(network, "sector")
    nodes = sorted(network)
    n = len(nodes)

    # the columns are gathered in order and made into one frame at the end (adding ~60 columns one by
    # one to a frame cost more than several of the measures)
    columns: dict[str, object] = {"uid": nodes}
    attributes = [network.nodes[u] for u in nodes]
    for column in NODE_INFO_COLUMNS[1:-1]:
        columns[column] = [data.get(column) for data in attributes]
    columns["group"] = [groups[u] for u in nodes]

    def put(column: str, values: dict) -> None:
        columns[column] = [values[u] for u in nodes]

    degrees = centrality.degree(network)
    degree = np.array([degrees[u] for u in nodes], dtype="int64")
    columns["degree"] = degree
    columns["degree_centrality"] = degree / (n - 1) if n > 1 else np.zeros(n)
    put("strength", centrality.strength(network))
    largest = max((len(c) for c in nx.connected_components(network)), default=0)
    if largest > options.sample_threshold and backend == "igraph":
        # Exact Brandes is O(n_c·m_c) per component: estimate the large ones from seeded pivots and
        # report the error (smaller components, e.g. the municipalities of a merged graph, stay exact).
        estimate = centrality.sampled_betweenness(network, k=options.betweenness_pivots, seed=options.seed)
        put("betweenness", estimate.values)
        put("betweenness_se", estimate.standard_error)
    else:
        put("betweenness", centrality.betweenness(network, weight="weight", backend=backend))
        columns["betweenness_se"] = np.zeros(n)  # exact
    put("betweenness_hops", centrality.betweenness(network, weight=None, backend=backend))
    put("betweenness_directed", centrality.betweenness(directed, weight="weight", backend=backend))
    put("closeness", centrality.closeness(network, weight="weight", backend=backend))
    put("eigenvector", centrality.eigenvector(network, weight="weight"))
    put("constraint", structural_holes.constraint(network, weight="weight"))
    put("effective_size", structural_holes.effective_size(network, weight="weight"))

    roles = brokerage_roles(directed, groups)
    if not roles.index.equals(pd.Index(nodes)):
        roles = roles.loc[nodes]
    for column in roles.columns:
        columns[f"brokerage_{column}"] = roles[column].to_numpy()
    crossing = [roles[r].to_numpy() for r in ROLES if r != "coordinator"]
    columns["brokerage_cross_group"] = np.sum(crossing, axis=0, dtype="int64") if n else np.zeros(0, dtype="int64")

    put("ei", ei_by_node(network, groups))
    put("participation_group", participation_coefficient(network, groups, weight="weight"))
    community = communities(network, method=options.community_method, seed=options.seed, weight="weight")
    columns["community"] = np.array([community[u] for u in nodes], dtype="int64")
    by_community, within = participation_and_within_module_degree(network, community, weight="weight")
    put("participation_community", by_community)
    put("within_community_z", within)

    impact = cutpoints.loss_impact(network, backend=backend)
    if not impact.index.equals(pd.Index(nodes)):
        impact = impact.loc[nodes]
    for column in impact.columns:
        columns[column] = impact[column].to_numpy()

    frame = pd.DataFrame(columns)
    frame["aggregate"] = frame["aggregate"].astype(bool)
    frame["count"] = frame["count"].astype("int64")
    frame["betweenness_rank"] = _rank(frame["betweenness"], frame["uid"])
    frame["brokerage_rank"] = _rank(frame["brokerage_cross_group"].astype(float), frame["uid"])

    whole = whole_network_measures(network, groups, backend=backend)
    test = ei_permutation_test(network, groups, permutations=options.permutations, seed=options.seed)
    partition = [{u for u in nodes if community[u] == c} for c in sorted(set(community.values()))]
    whole.update({
        "ei_index": test.observed,
        "ei_expected": test.expected,
        "ei_p_greater": test.p_greater,
        "ei_p_less": test.p_less,
        "communities": len(partition),
        "communities_of_two_or_more": sum(1 for part in partition if len(part) > 1),  # isolates left out
        "modularity": modularity(network, community, weight="weight"),
        "community_sector_ari": adjusted_rand_index(community, sectors) if n else math.nan,
        "community_sector_nmi": normalized_mutual_information(community, sectors) if n else math.nan,
        "cutpoints": int(frame["cutpoint"].sum()),
        "bridges": len(cutpoints.bridges(network)),
        "aggregate_actors": int(frame["aggregate"].sum()),
    })
    for role in (*ROLES, "total"):
        whole[f"brokerage_{role}"] = int(roles[role].sum())
    graph_frame = pd.DataFrame({"measure": list(whole), "value": [float(v) for v in whole.values()]})

    # network.copy() with each node's measures merged into its attributes as it is copied (one pass
    # instead of a copy and an update per node; same nodes, ties, order and attribute order)
    names = list(frame.columns[1:])
    measures = {uid: values  # what to_dict("records") gives
                for uid, *values in zip(*(series.tolist() for _, series in frame.items()))}
    annotated = network.__class__()
    annotated.graph.update(network.graph)
    annotated.add_nodes_from((u, {**data, **dict(zip(names, measures[u]))}) for u, data in network.nodes(data=True))
    # each tie once, in the order copy() first meets it (its second pass over a tie changes nothing)
    annotated.add_edges_from((u, v, data.copy()) for u, v, data in network.edges(data=True))
    annotated.graph.update({f"metric_{k}": float(v) for k, v in whole.items()})
    return MetricsResult(network=annotated, nodes=frame, graph=graph_frame, options=options)


def node_metrics(graph: nx.MultiDiGraph, *, options: MetricsOptions | None = None,
                 backend: Backend = "igraph") -> pd.DataFrame:
    """One row per actor with every node measure (columns documented in ``docs/metrics.md``).

    ``backend`` as for :func:`compute_metrics`.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("a", kind="Agency", sector="福祉")
    >>> node_metrics(g, options=MetricsOptions(permutations=1))["degree"].tolist()
    [0]
    """
    return compute_metrics(graph, options=options, backend=backend).nodes


def graph_metrics(graph: nx.MultiDiGraph, *, options: MetricsOptions | None = None,
                  backend: Backend = "igraph") -> pd.DataFrame:
    """Whole-network measures, columns ``measure`` and ``value`` (floats; NaN when undefined).

    ``backend`` as for :func:`compute_metrics`.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_node("a", kind="Agency", sector="福祉")
    >>> graph_metrics(g, options=MetricsOptions(permutations=1)).set_index("measure").loc["nodes", "value"]
    np.float64(1.0)
    """
    return compute_metrics(graph, options=options, backend=backend).graph
