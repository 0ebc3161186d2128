"""Minimal and maximal min cuts of hypergraphs, and their nesting, on random hypergraphs."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import subset_labels
from tests.strategies import min_cut_models


def _optimal_cuts(h, parties):
    """Every optimal vertex set W for ``parties``, by enumerating the bulk (the oracle)."""
    bulk = [v for v in h.vertices if v not in h.boundary]
    base = {v for v, p in h.boundary.items() if p in parties}
    sides = [base | {b for b, keep in zip(bulk, bits) if keep}
             for bits in itertools.product((0, 1), repeat=len(bulk))]
    weights = [h.cut_weight(s) for s in sides]
    best = min(weights)
    return best, [frozenset(s) for s, w in zip(sides, weights) if w == best]


@settings(max_examples=25, deadline=None)
@given(min_cut_models(max_parties=4, max_bulk=5, max_edges=12, max_size=4, kinds=("small", "int"), min_parties=2))
def test_min_cuts_are_the_meet_and_join_of_all_optimal_cuts_and_nest(h):
    cuts = {lab: h.min_cut(lab) for lab in subset_labels(h.n_parties)}
    for lab, cut in cuts.items():
        best, optimal = _optimal_cuts(h, lab)
        assert cut.value == best
        assert cut.minimal == frozenset.intersection(*optimal)   # the lattice of optimal cuts
        assert cut.maximal == frozenset.union(*optimal)
    # entanglement wedge nesting: I subset of K => W_min(I) <= W_min(K) and W_max(I) <= W_max(K)
    for small, big in itertools.permutations(cuts, 2):
        if set(small) < set(big):
            assert cuts[small].minimal <= cuts[big].minimal
            assert cuts[small].maximal <= cuts[big].maximal
