"""Entropy vectors of graph, hypergraph, link and stabilizer models, and their cones.

The public names, by topic (the implementation modules are private):

=================================  ===========================================================
topic                              names
=================================  ===========================================================
entropy vectors                    EntropyVector, subset_labels, party_letters, BUDGET
hypergraph and graph models        Hypergraph, MinCut, entropy_vectors, random_hypergraph,
                                   hypergraph_state, state_entropy_vector
topological link models            LinkModel, split_decomposition, SplitDecomposition,
                                   UndeterminedSplitError, NonQuantumVectorWarning,
                                   realise_connectivity, LinkRealisation, search_connectivity,
                                   StructureSearch, quantum_ingleton_violation,
                                   tangled_split_link, KnownLink
stabilizer and graph states        StabilizerState, stabilizer_entropy_vector,
                                   graph_state_entropy_vectors, GraphStateEntropies, Orbit,
                                   symplectic_matrix
inequalities and the catalogue     Inequality, tolerance, catalogue, Catalogue, CatalogueEntry
facets and discovery               irredundant_classes, tight_rank, FacetClass,
                                   sparse_hypergraph_vectors, star_hypergraph_vectors,
                                   separating_inequality,
                                   invariant_separating_inequality, discover_inequalities,
                                   Discovery, minimise_over_hypergraphs, SearchResult
cones                              violations, Violation, in_cone, ConeCheck,
                                   find_hypergraph_realisation, Realisation, extreme_rays
contraction-map proofs             prove, check_contraction, ContractionMap, ProofResult,
                                   prove_many, load_campaign, check_campaign,
                                   check_link_contraction, LinkCounterexample
=================================  ===========================================================
"""

from __future__ import annotations

from ._vectors import BUDGET, EntropyVector, party_letters, subset_labels
from ._hypergraph import Hypergraph, MinCut, entropy_vectors, random_hypergraph
from ._hypergraph_state import hypergraph_state, state_entropy_vector
from ._stabilizer import (GraphStateEntropies, Orbit, StabilizerState, graph_state_entropy_vectors,
                          stabilizer_entropy_vector, symplectic_matrix)
from ._inequalities import Inequality, tolerance
from ._catalogue import Catalogue, CatalogueEntry, catalogue
from ._cones import (ConeCheck, Realisation, Violation, extreme_rays, find_graph_realisation,
                     find_hypergraph_realisation, in_cone, stabilizer_cone_check, violations)
from ._facets import FacetClass, irredundant_classes, tight_rank
from ._discovery import (Discovery, discover_inequalities, invariant_separating_inequality,
                         separating_inequality, sparse_hypergraph_vectors, star_hypergraph_vectors)
from ._exact_search import SearchResult, minimise_over_hypergraphs
from ._links import LinkModel, NonQuantumVectorWarning, UndeterminedSplitError
from ._link_oracle import SplitDecomposition, split_decomposition
from ._link_realise import LinkRealisation, realise_connectivity
from ._link_search import StructureSearch, quantum_ingleton_violation, search_connectivity
from ._link_samples import KnownLink, tangled_split_link

from ._contraction._certificate import ContractionMap, check_contraction
from ._contraction._prove import ProofResult, prove
from ._contraction._campaign import check_campaign, load_campaign, prove_many
from ._contraction._links import LinkCounterexample, check_link_contraction

__all__ = [
    # entropy vectors
    "EntropyVector", "subset_labels", "party_letters", "BUDGET",
    # hypergraph and graph models
    "Hypergraph", "MinCut", "entropy_vectors", "random_hypergraph", "hypergraph_state",
    "state_entropy_vector",
    # topological link models
    "LinkModel", "split_decomposition", "SplitDecomposition", "UndeterminedSplitError",
    "NonQuantumVectorWarning", "realise_connectivity", "LinkRealisation", "search_connectivity",
    "StructureSearch", "quantum_ingleton_violation", "tangled_split_link", "KnownLink",
    # stabilizer and graph states
    "StabilizerState", "stabilizer_entropy_vector", "graph_state_entropy_vectors",
    "GraphStateEntropies", "Orbit", "symplectic_matrix",
    # inequalities and the catalogue
    "Inequality", "tolerance", "catalogue", "Catalogue", "CatalogueEntry",
    # facets and discovery
    "irredundant_classes", "tight_rank", "FacetClass", "sparse_hypergraph_vectors",
    "star_hypergraph_vectors",
    "separating_inequality", "invariant_separating_inequality", "discover_inequalities", "Discovery",
    "minimise_over_hypergraphs", "SearchResult",
    # cones
    "violations", "Violation", "in_cone", "ConeCheck", "find_hypergraph_realisation", "Realisation",
    "extreme_rays",
    # contraction-map proofs
    "prove", "check_contraction", "ContractionMap", "ProofResult", "prove_many", "load_campaign",
    "check_campaign", "check_link_contraction", "LinkCounterexample",
]
