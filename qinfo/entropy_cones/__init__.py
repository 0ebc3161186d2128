"""Entropy vectors of graph, hypergraph, link and stabilizer models, and their cones.

Names are imported lazily from their modules:

==============================  =========================================
name                            module
==============================  =========================================
EntropyVector, BUDGET           :mod:`qinfo.entropy_cones.vectors`
Hypergraph, entropy_vectors     :mod:`qinfo.entropy_cones.hypergraph`
stabilizer_entropy_vector,      :mod:`qinfo.entropy_cones.stabilizer`
graph_state_entropy_vectors
Inequality, tolerance           :mod:`qinfo.entropy_cones.inequalities`
catalogue (a module)            :mod:`qinfo.entropy_cones.catalogue`
violations, in_cone, ...        :mod:`qinfo.entropy_cones.cones`
irredundant_classes, tight_rank :mod:`qinfo.entropy_cones.facets`
discover_inequalities, ...      :mod:`qinfo.entropy_cones.discovery`
minimise_over_hypergraphs       :mod:`qinfo.entropy_cones.exact_search`
hypergraph_state, ...           :mod:`qinfo.entropy_cones.hypergraph_state`
prove, check_contraction, ...   :mod:`qinfo.entropy_cones.contraction`
prove_many, check_campaign      :mod:`qinfo.entropy_cones.campaign`
LinkModel, split_decomposition  :mod:`qinfo.entropy_cones.links`
link proofs, diagrams, search   ``link_contraction``, ``link_realise``,
                                ``link_search``, ``link_samples``
==============================  =========================================
"""

from __future__ import annotations

import importlib

_LAZY = {
    "EntropyVector": "vectors",
    "subset_labels": "vectors",
    "BUDGET": "vectors",
    "Hypergraph": "hypergraph",
    "MinCut": "hypergraph",
    "entropy_vectors": "hypergraph",
    "random_hypergraph": "hypergraph",
    "stabilizer_entropy_vector": "stabilizer",
    "graph_state_entropy_vectors": "stabilizer",
    "GraphStateEntropies": "stabilizer",
    "symplectic_matrix": "stabilizer",
    "Inequality": "inequalities",
    "tolerance": "inequalities",
    "catalogue": "catalogue",
    "irredundant_classes": "facets",
    "tight_rank": "facets",
    "FacetClass": "facets",
    "sparse_hypergraph_vectors": "discovery",
    "separating_inequality": "discovery",
    "invariant_separating_inequality": "discovery",
    "discover_inequalities": "discovery",
    "Discovery": "discovery",
    "minimise_over_hypergraphs": "exact_search",
    "SearchResult": "exact_search",
    "hypergraph_state": "hypergraph_state",
    "state_entropy_vector": "hypergraph_state",
    "violations": "cones",
    "in_cone": "cones",
    "stabilizer_cone_check": "cones",
    "find_hypergraph_realisation": "cones",
    "find_graph_realisation": "cones",
    "prove": "_contraction",
    "check_contraction": "_contraction",
    "ContractionMap": "_contraction",
    "ProofResult": "_contraction",
    "prove_many": "_contraction",
    "check_campaign": "_contraction",
    "load_campaign": "_contraction",
    "LinkModel": "links",
    "split_decomposition": "links",
    "SplitDecomposition": "links",
    "UndeterminedSplitError": "links",
    "NonQuantumVectorWarning": "links",
    "LinkCounterexample": "_contraction",
    "check_link_contraction": "_contraction",
    "realise_connectivity": "link_realise",
    "search_connectivity": "link_search",
    "tangled_split_link": "link_samples",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f"qinfo.entropy_cones.{_LAZY[name]}")
        return module if name == _LAZY[name] else getattr(module, name)
    raise AttributeError(f"module 'qinfo.entropy_cones' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
