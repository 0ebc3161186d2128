"""The 5-party linear-rank set (31 classes, 10,860 facets) and the tight-rank facet test."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import catalogue
from qinfo.entropy_cones import sparse_hypergraph_vectors
from qinfo.entropy_cones import irredundant_classes, tight_rank
from qinfo.entropy_cones import Inequality
from qinfo.entropy_cones import graph_state_entropy_vectors
from qinfo.entropy_cones import EntropyVector


@pytest.fixture(scope="module")
def stabilizer_6q():
    return np.asarray(graph_state_entropy_vectors(6, "ABCDEO", progress=False).values, dtype=float)


def _matrix(ineqs):
    return np.array([q.coefficients for q in ineqs])


def _lp_min(c, rows):
    """min c.S over {S : rows @ S >= 0, |S_I| <= 1}: negative iff c.S >= 0 is not implied."""
    from scipy.optimize import linprog

    res = linprog(c, A_ub=-rows, b_ub=np.zeros(len(rows)), bounds=[(-1, 1)] * len(c), method="highs")
    assert res.status == 0, res.message
    return res.fun


def test_conditional_ingleton_has_90_instances_that_hold_on_6_qubit_graph_states(stabilizer_6q):
    ci = catalogue.get("ingleton-conditional", 5)
    assert len(ci) == 90
    assert (_matrix(ci) @ stabilizer_6q.T).min() == 0
    # the check has teeth: strengthened by I(A:B|E) it fails on some graph state
    stronger = Inequality.parse("I(A:B|CE) + I(A:B|DE) + I(C:D|E) >= 2 I(A:B|E)", n_parties=5)
    assert (_matrix(stronger.instances(5)) @ stabilizer_6q.T).min() < 0


@pytest.mark.slow
def test_conditional_ingleton_is_not_implied_by_sa_ssa_ingleton_and_dfz():
    ci = catalogue.get("ingleton-conditional", 5)
    others = [q for q in catalogue.linear_rank(5) if q not in set(ci)]
    assert len(others) == 23_610
    # independent oracle: a direct LP, not irredundant_classes (the issue reports -0.4)
    assert _lp_min(ci[0].coefficients, _matrix(others)) < -0.3
    # ... and the LP recognises an implied one: a sum of an SSA and an SA instance, not itself a row
    implied = Inequality.parse("I(A:B|C) + I(A:D) >= 0", n_parties=5)
    assert implied not in set(others)
    assert _lp_min(implied.coefficients, _matrix(others)) > -1e-9


def test_linear_rank_sets_contain_each_entry_once():
    for n in (2, 3, 4, 5):
        lr = catalogue.linear_rank(n)
        assert len(lr) == len(set(lr))
        assert set(catalogue.get("SA", n)) <= set(lr)


def test_irredundant_classes_drops_implied_orbits():
    # I(A:BC) = I(A:B) + I(A:C|B) >= 0 is implied by SA and SSA; SSA is implied by SA and MMI
    # (the 3-party holographic cone has the 7 facets SA and MMI, arXiv:1505.07839)
    sa, ssa = catalogue.get("SA", 3), catalogue.get("SSA", 3)
    implied = Inequality.parse("I(A:BC) >= 0", n_parties=3)
    classes = irredundant_classes(sa + ssa + implied.instances())
    assert [(c.representative.name, c.size) for c in classes] == [("SA", 6), ("SSA", 6)]
    mmi = catalogue.get("MMI", 3)
    holo = irredundant_classes(sa + ssa + mmi)
    assert [(c.representative.name, c.size) for c in holo] == [("SA", 6), ("MMI", 1)]


@pytest.mark.slow
def test_five_party_linear_rank_set_has_31_classes_and_10860_facets():
    # the count of arXiv:2006.16292; without conditional Ingleton the LP finds fewer facets
    lr = catalogue.linear_rank(5)
    classes = irredundant_classes(lr)
    assert (len(classes), sum(c.size for c in classes)) == (31, 10_860)
    assert "ingleton-conditional" in {c.representative.name for c in classes}


@pytest.mark.slow
def test_every_linear_rank_class_is_tight_on_30_independent_stabilizer_vectors(stabilizer_6q):
    classes = irredundant_classes(catalogue.linear_rank(5))
    hyper = sparse_hypergraph_vectors(5, 2000, seed=1, progress=False)
    assert (_matrix(catalogue.linear_rank(5)) @ hyper.T).min() >= 0   # hypergraphs obey them
    ranks_graph = [tight_rank(c.representative, stabilizer_6q) for c in classes]
    assert sorted(ranks_graph)[:8] == [26, 28, 28, 28, 29, 29, 29, 29]   # graph states fall short
    both = np.vstack([stabilizer_6q, hyper])
    assert all(tight_rank(c.representative, both) == 30 for c in classes)


def test_tight_rank_counts_the_images_under_permutations():
    sa = catalogue.get("SA", 2)[0]   # S_A + S_B >= S_AB
    assert tight_rank(sa, [[1, 1, 0]]) == 2   # Bell AB, AO, BO: the AO and BO images are tight
    assert tight_rank(sa, [[1, 1, 1]]) == 0   # GHZ3: slack 1 on every image
    ssa = catalogue.get("SSA", 3)[0]
    ghz = [[1, 1, 1, 1, 1, 1, 1]]
    assert tight_rank(ssa, ghz) == 1
    with pytest.raises(TypeError, match="inequality"):
        tight_rank("SA", ghz)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=7, max_size=7), min_size=1, max_size=5),
       st.permutations("ABCO"))
def test_tight_rank_is_invariant_under_permuting_the_vectors(rows, perm):
    # brute-force oracle: rank of the tight rows among all 24 images of every vector
    mmi = catalogue.get("MMI", 3)[0]
    V = [EntropyVector(r) for r in rows]
    images = np.array([w.values for v in V for w in v.orbit()])
    tight = images[np.abs(images @ mmi.coefficients) < 1e-9]
    expected = int(np.linalg.matrix_rank(tight)) if len(tight) else 0
    moved = [v.permute(dict(zip("ABCO", perm))) for v in V]
    assert tight_rank(mmi, V) == tight_rank(mmi, moved) == expected
