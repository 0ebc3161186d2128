"""Entropy vectors of graph, hypergraph, link and stabilizer models, and their cones.

Names are imported lazily from their modules:

==============================  =========================================
name                            module
==============================  =========================================
EntropyVector                   :mod:`qinfo.entropy_cones.vectors`
Hypergraph, entropy_vectors     :mod:`qinfo.entropy_cones.hypergraph`
stabilizer_entropy_vector,      :mod:`qinfo.entropy_cones.stabilizer`
graph_state_entropy_vectors
Inequality                      :mod:`qinfo.entropy_cones.inequalities`
catalogue (a module)            :mod:`qinfo.entropy_cones.catalogue`
violations, in_cone, ...        :mod:`qinfo.entropy_cones.cones`
prove, check_contraction, ...   :mod:`qinfo.entropy_cones.contraction`
prove_many, check_campaign      :mod:`qinfo.entropy_cones.campaign`
LinkModel, split_decomposition  :mod:`qinfo.entropy_cones.links`
==============================  =========================================
"""

from __future__ import annotations

import importlib

_LAZY = {
    "EntropyVector": "vectors",
    "subset_labels": "vectors",
    "Hypergraph": "hypergraph",
    "MinCut": "hypergraph",
    "entropy_vectors": "hypergraph",
    "random_hypergraph": "hypergraph",
    "stabilizer_entropy_vector": "stabilizer",
    "graph_state_entropy_vectors": "stabilizer",
    "GraphStateEntropies": "stabilizer",
    "symplectic_matrix": "stabilizer",
    "Inequality": "inequalities",
    "catalogue": "catalogue",
    "violations": "cones",
    "in_cone": "cones",
    "stabilizer_cone_check": "cones",
    "find_hypergraph_realisation": "cones",
    "find_graph_realisation": "cones",
    "prove": "contraction",
    "check_contraction": "contraction",
    "ContractionMap": "contraction",
    "ProofResult": "contraction",
    "prove_many": "campaign",
    "check_campaign": "campaign",
    "load_campaign": "campaign",
    "LinkModel": "links",
    "split_decomposition": "links",
    "SplitDecomposition": "links",
    "UndeterminedSplitError": "links",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f"qinfo.entropy_cones.{_LAZY[name]}")
        return module if name == _LAZY[name] else getattr(module, name)
    raise AttributeError(f"module 'qinfo.entropy_cones' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
