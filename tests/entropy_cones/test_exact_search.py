"""The exact MILP counterexample search and the discovery workflow built on it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qinfo.entropy_cones import catalogue
from qinfo.entropy_cones import discover_inequalities, separating_inequality, sparse_hypergraph_vectors
from qinfo.entropy_cones import minimise_over_hypergraphs
from qinfo.entropy_cones import Inequality
from qinfo.entropy_cones._vectors import subset_masks
from qinfo.entropy_cones import EntropyVector

GHZ4 = EntropyVector([1, 1, 1, 1, 1, 1, 1])


def _brute_force_entropies(h, n):
    """Min cuts by enumerating every placement of the bulk vertices (independent of max-flow)."""
    letters = "ABCDEFG"[:n]
    bulk = [v for v in h.vertices if v not in h.boundary]
    out = []
    for m in subset_masks(n):
        side0 = {v for v, p in h.boundary.items() if p != "O" and m >> letters.index(p) & 1}
        out.append(min(h.cut_weight(side0 | {b for b, keep in zip(bulk, bits) if keep})
                       for bits in itertools.product((0, 1), repeat=len(bulk))))
    return np.array(out)


def test_exact_search_refutes_a_false_candidate_that_sampling_accepts():
    # a small sample of hypergraphs without the GHZ4 hyperedge: the separator of GHZ4 from their
    # hull holds on every sampled vector (and all their images), yet it is false for hypergraphs
    pool = sparse_hypergraph_vectors(3, 40, max_bulk=1, max_edges=3, max_weight=1, seed=3, progress=False)
    pool = pool[np.ptp(pool, axis=1) > 0]   # the sample missed the GHZ4 vector (and its multiples)
    candidate, _ = separating_inequality(GHZ4, pool)
    assert candidate is not None and candidate.evaluate(GHZ4) < 0
    images = np.array([w.values for v in pool for w in EntropyVector(v).orbit()])
    assert candidate.evaluate(images).min() >= 0
    res = minimise_over_hypergraphs(candidate, max_bulk=1)
    assert res.status == "refuted" and res.slack < 0
    assert all(float(w).is_integer() for _, w in res.hypergraph.edges)
    exact = _brute_force_entropies(res.hypergraph, 3)
    np.testing.assert_array_equal(exact, res.vector.values)
    assert candidate.coefficients @ exact < 0


@pytest.mark.parametrize("name, n", [("SA", 2), ("SSA", 3), ("ingleton", 4)])
def test_exact_search_finds_nothing_against_inequalities_hypergraphs_obey(name, n):
    res = minimise_over_hypergraphs(catalogue.get(name, n)[0], max_bulk=1)
    assert res.status == "undecided" and "no counterexample" in res.reason
    assert res.minimum > -1e-7


def test_exact_search_refutes_mmi_at_four_parties_without_bulk_vertices():
    # MMI at 4 parties holds for graphs, not hypergraphs: a single hyperedge violates it
    mmi = catalogue.get("MMI", 4)[0]
    res = minimise_over_hypergraphs(mmi, max_bulk=0)
    assert res.status == "refuted"
    np.testing.assert_array_equal(_brute_force_entropies(res.hypergraph, 4), res.vector.values)


def test_exact_search_rejects_bad_arguments():
    with pytest.raises(TypeError, match="inequality"):
        minimise_over_hypergraphs("S_A + S_B >= S_AB")
    with pytest.raises(ValueError, match="max_bulk"):
        minimise_over_hypergraphs(catalogue.get("SA")[0], max_bulk=5)


def test_discovery_realises_hypergraph_vectors_and_resumes_from_its_file(tmp_path):
    resume = tmp_path / "resume.jsonl"
    perfect = EntropyVector([1, 1, 1, 2, 2, 2, 1])   # 4-qubit perfect tensor: a graph with one bulk vertex
    first = discover_inequalities([GHZ4, perfect], pool_size=20, seed=0, progress=False, resume=resume)
    assert [d.status for d in first] == ["inside", "inside"]
    for d in first:
        assert d.realisation.entropy_vector() == d.target
    assert len(resume.read_text().splitlines()) == 2
    again = discover_inequalities([perfect], pool_size=20, seed=0, progress=False, resume=resume)
    assert again[0].status == "inside" and again[0].realisation.entropy_vector() == perfect
    assert len(resume.read_text().splitlines()) == 2   # nothing recomputed
    # other settings: the record is not reused, the target is searched again and appended
    other = discover_inequalities([perfect], pool_size=20, seed=0, progress=False, resume=resume,
                                  separator="invariant")
    assert other[0].status == "inside" and len(resume.read_text().splitlines()) == 3
    discover_inequalities([perfect], pool_size=60, seed=0, progress=False, resume=resume)
    assert len(resume.read_text().splitlines()) == 4   # another pool


def test_discovery_separates_a_vector_outside_the_cone_by_a_proved_inequality():
    # S_AB > S_A + S_B breaks SA: no realisation; the separator must be SA itself, proved
    bad = EntropyVector([1, 1, 3])
    (d,) = discover_inequalities([bad], pool_size=30, seed=0, progress=False)
    assert d.status == "outside"
    assert d.inequality == Inequality.parse("S_A + S_B >= S_AB")
    assert d.certificate is not None and d.inequality.evaluate(bad) < 0


# the 6-qubit graph state A-C, A-D, B-C, B-D, A-O, B-E: pairs AO, BE, CD have entropy 1
UNDECIDED_ORBIT = EntropyVector([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
                                 2, 2, 2, 2, 2, 2, 1, 1])


def test_invariant_separator_is_constant_on_the_targets_symmetry_orbits_and_valid_on_every_image():
    from qinfo.entropy_cones._discovery import invariant_separating_inequality
    from qinfo.entropy_cones._vectors import all_permutation_indices

    pool = sparse_hypergraph_vectors(5, 150, seed=4, progress=False)
    ineq, _ = invariant_separating_inequality(UNDECIDED_ORBIT, pool)
    assert ineq is not None
    t = UNDECIDED_ORBIT.values
    violated = [q.coefficients for q in ineq.instances(5) if q.evaluate(UNDECIDED_ORBIT) < 0]
    assert violated
    perms = all_permutation_indices(5)
    stab = perms[np.all(t[perms] == t, axis=1)]
    assert len(stab) == 48  # the matching AO, BE, CD: 3! * 2**3
    # some violated image is fixed by every symmetry of the target
    assert any(all(np.array_equal(c[p], c) for p in stab) for c in violated)
    pool_images = pool[:, perms].reshape(-1, pool.shape[1])  # every image under S_6
    coef = ineq.coefficients
    assert np.all(coef == np.round(coef))
    assert (np.round(coef).astype(np.int64) @ np.round(pool_images).astype(np.int64).T).min() >= 0


def test_star_hypergraphs_break_the_invariant_candidate_of_a_sparse_pool():
    """The hub-shaped family reaches the counterexamples that sparse sampling misses around the orbit."""
    from qinfo.entropy_cones import star_hypergraph_vectors
    from qinfo.entropy_cones._discovery import invariant_separating_inequality
    from qinfo.entropy_cones._vectors import all_permutation_indices

    perms = all_permutation_indices(5)
    sparse = sparse_hypergraph_vectors(5, 1000, seed=0, progress=False)
    ineq, _ = invariant_separating_inequality(UNDECIDED_ORBIT, sparse)
    assert ineq is not None
    coef = np.round(ineq.coefficients).astype(np.int64)
    star = star_hypergraph_vectors(5, 1000, seed=0, progress=False)
    assert star.dtype.kind in "iu" or np.array_equal(star, np.round(star))
    images = np.round(star[:, perms].reshape(-1, star.shape[1])).astype(np.int64)
    assert (images @ coef).min() < 0  # a star vector violates it
    assert (np.round(sparse[:, perms].reshape(-1, sparse.shape[1])).astype(np.int64) @ coef).min() >= 0


def test_star_hypergraph_vectors_are_seeded_and_obey_the_linear_rank_inequalities():
    from qinfo.entropy_cones import star_hypergraph_vectors

    a = star_hypergraph_vectors(4, 300, seed=5, progress=False)
    assert np.array_equal(a, star_hypergraph_vectors(4, 300, seed=5, progress=False))
    assert not np.array_equal(a, star_hypergraph_vectors(4, 300, seed=6, progress=False))
    for name in ("SA", "SSA", "ingleton"):
        for q in catalogue.get(name)[0].instances(4):
            assert (q.evaluate(a) >= -1e-9).all(), (name, q)
    with pytest.raises(ValueError):
        star_hypergraph_vectors(4, 10, max_bulk=0)


# the invariant separator c0 of the undecided orbit: proved, catalogued as hypergraph-5
# (docs: inequalities_and_cones, "The gap between the hypergraph and stabilizer cones")
C0 = Inequality.parse("2 S_BE + 2 S_CD + 2 S_ABC + 2 S_ABD + 2 S_ACE + 2 S_ADE + 2 S_BCDE >= S_AB + S_AC + S_AD"
                      " + S_AE + S_BC + S_BD + S_CE + S_DE + S_ABCD + S_ABCE + S_ABDE + S_ACDE", 5)


def test_c0_excludes_exactly_the_undecided_orbit_and_is_proved_for_hypergraphs_of_any_edge_size():
    from qinfo.entropy_cones import check_contraction, graph_state_entropy_vectors, prove

    assert C0.evaluate(UNDECIDED_ORBIT) == -2
    vectors = np.asarray(graph_state_entropy_vectors(6, progress=False).vectors)
    excluded = [v for v in vectors if any(q.evaluate(v) < 0 for q in C0.instances(5))]
    assert len(excluded) == 15  # the orbit of the target, and nothing else of the 760
    assert all(EntropyVector(v).canonical() == UNDECIDED_ORBIT.canonical() for v in excluded)
    r = prove(C0, model="hypergraph", max_edge_size=None, time_limit=None, max_multiple=1,
              counterexample_search=False, progress=False)
    assert r.status == "proved"
    assert check_contraction(r.certificate, C0, model="hypergraph", max_edge_size=None)
    assert [str(q) for q in catalogue.entry("hypergraph-5").representatives] == [str(C0)]


def test_c0_holds_on_sampled_hypergraphs():
    # the min-cut oracle, independent of the contraction map: every S_6 instance on hub-shaped and
    # sparse random hypergraphs (different seeds from the catalogue's tight-rank vectors)
    from qinfo.entropy_cones import sparse_hypergraph_vectors, star_hypergraph_vectors

    H = np.vstack([star_hypergraph_vectors(5, 3000, seed=11, progress=False),
                   sparse_hypergraph_vectors(5, 3000, seed=11, progress=False)])
    inst = np.array([q.coefficients for q in C0.instances(5)])
    assert (inst @ H.T).min() >= 0
    assert (np.abs(inst @ H.T) < 1e-9).any()  # and it is tight on some of them


@pytest.mark.slow
def test_candidate_c0_holds_on_every_hypergraph_with_two_bulk_vertices():
    r = minimise_over_hypergraphs(C0, max_bulk=2, time_limit=None)
    assert r.status == "undecided" and r.minimum > -1e-7
