"""Every measure and analysis of Tsunagari, networkx style: graphs in, typed results out.

No function here reads a file, a setting or a store, or writes reader text::

    import tsunagari as tg
    import tsunagari.analysis as ta

    G = tg.package_graph(tg.read_package("data_samples/amagasaki"))
    ta.betweenness(ta.actor_network(G))

Submodules hold one idea each (``centrality``, ``brokerage``, ``coverage``, ``inequality`` ...);
the names below are the public API.
"""

from tsunagari.analysis._memo import shared_tables
from tsunagari.analysis.brokerage import ROLES, brokerage_role, brokerage_roles
from tsunagari.analysis.centrality import betweenness, closeness, degree, eigenvector, sampled_betweenness, strength, \
    with_distance
from tsunagari.analysis.communities import METHODS, adjusted_rand_index, communities, modularity, \
    normalized_mutual_information, sector_crosstab
from tsunagari.analysis.council_composition import absent_sectors, council_members, council_silos
from tsunagari.analysis.coverage import GAP_LEVELS, PER_UNITS, RESOURCE_KINDS, CoverageRules, coverage_cube, \
    coverage_rules, district_table, gap_cells, resolve_district, resource_reach, unaddressed_needs
from tsunagari.analysis.provision import provisions, resource_domains
from tsunagari.analysis.cutpoints import articulation_points, bridges, loss_impact
from tsunagari.analysis.ei_index import EIResult, ei_by_group, ei_by_node, ei_index, ei_permutation_test
from tsunagari.analysis.errors import AnalysisError, BackendError, CoverageInputError, EdgeLengthError, \
    ExportFormatError, InequalityInputError, SampleSizeError, UnknownGroupError, UnknownTieKindError
from tsunagari.analysis.export import FORMATS, export_metrics, serializable_network
from tsunagari.analysis.fast_backend import BACKENDS, SampledBetweenness, average_shortest_path_length
from tsunagari.analysis.gaps import coverage_gaps
from tsunagari.analysis.inequality import coefficient_of_variation, district_inequality, district_resources, gini, \
    inequality_indices, lorenz_points, max_min_ratio, rate_column, theil_decomposition, theil_t
from tsunagari.analysis.metrics import MetricsOptions, MetricsResult, compute_metrics, graph_metrics, node_metrics
from tsunagari.analysis.network import ACTOR_KINDS, ACTOR_TIE_KINDS, AFFILIATION_KINDS, DEFAULT_TIE_KINDS, GROUPINGS, \
    SYMMETRIC_TIE_KINDS, NetworkOptions, actor_digraph, actor_groups, actor_network, two_mode_network
from tsunagari.analysis.participation import participation_coefficient, within_module_degree
from tsunagari.analysis.resident_base import resident_base
from tsunagari.analysis.results import GapsResult, InequalityResult
from tsunagari.analysis.structural_holes import constraint, effective_size
from tsunagari.analysis.summary import MunicipalitySummary, summarize
from tsunagari.analysis.whole_network import betweenness_centralization, degree_centralization, whole_network_measures

__all__ = [
    # the actor network
    "ACTOR_KINDS", "ACTOR_TIE_KINDS", "AFFILIATION_KINDS", "DEFAULT_TIE_KINDS", "GROUPINGS", "SYMMETRIC_TIE_KINDS",
    "NetworkOptions", "actor_network", "actor_digraph", "two_mode_network", "actor_groups",
    # centrality, brokerage, structural holes, cut points
    "with_distance", "degree", "strength", "betweenness", "sampled_betweenness", "closeness", "eigenvector",
    "BACKENDS", "SampledBetweenness", "average_shortest_path_length",
    "ROLES", "brokerage_roles", "brokerage_role", "constraint", "effective_size",
    "articulation_points", "bridges", "loss_impact",
    # groups and communities
    "EIResult", "ei_index", "ei_by_group", "ei_by_node", "ei_permutation_test",
    "METHODS", "communities", "modularity", "adjusted_rand_index", "normalized_mutual_information", "sector_crosstab",
    "participation_coefficient", "within_module_degree",
    "degree_centralization", "betweenness_centralization", "whole_network_measures",
    # the metrics table and its export
    "MetricsOptions", "MetricsResult", "compute_metrics", "node_metrics", "graph_metrics",
    "FORMATS", "export_metrics", "serializable_network",
    # coverage gaps
    "GapsResult", "coverage_gaps", "CoverageRules", "coverage_rules", "PER_UNITS", "RESOURCE_KINDS", "GAP_LEVELS",
    "shared_tables", "district_table", "resolve_district", "provisions", "resource_domains", "resource_reach", "coverage_cube", "gap_cells",
    "unaddressed_needs", "council_members", "council_silos", "absent_sectors", "resident_base",
    # inequality
    "InequalityResult", "district_inequality", "district_resources", "rate_column", "gini", "theil_t",
    "theil_decomposition", "coefficient_of_variation", "max_min_ratio", "lorenz_points", "inequality_indices",
    # summary
    "MunicipalitySummary", "summarize",
    # errors
    "AnalysisError", "UnknownTieKindError", "UnknownGroupError", "ExportFormatError", "EdgeLengthError",
    "SampleSizeError", "BackendError", "CoverageInputError", "InequalityInputError",
]
