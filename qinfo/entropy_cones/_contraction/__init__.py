"""Contraction-map proofs of entropy inequalities (graph, hypergraph and link models).

The modules, each importing only those listed before it:

======================  ==============================================================
module                  holds
======================  ==============================================================
``_plot``               drawing a map on its hypercube
``_certificate``        :class:`ContractionMap`, :func:`check_contraction`, the bit helpers
``_capi``               Kissat and CaDiCaL through their C/C++ APIs
``_sat``                propagation and the SAT encoding of the search
``_counterexamples``    small graphs and hypergraphs that violate an inequality
``_links``              link-model certificates and :class:`LinkCounterexample`
``_prove``              the orchestrator: :func:`prove`, :class:`ProofResult`
``_campaign``           :func:`prove_many`, resume files, :func:`check_campaign`
======================  ==============================================================

Import the names from :mod:`qinfo.entropy_cones`.
"""

from __future__ import annotations

from ._campaign import check_campaign, load_campaign, prove_many
from ._certificate import ContractionMap, check_contraction
from ._links import LinkCounterexample, check_link_contraction
from ._prove import ProofResult, prove

__all__ = ["ContractionMap", "LinkCounterexample", "ProofResult", "check_campaign", "check_contraction",
           "check_link_contraction", "load_campaign", "prove", "prove_many"]
