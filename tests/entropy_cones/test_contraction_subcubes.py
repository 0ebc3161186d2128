"""Hyperedges of any size: the subcube reduction of the k-point condition.

Oracles: the k-point condition straight from its definition on every vertex
set (small cubes) or on random vertex sets of every size (larger cubes),
written here without subcubes; Ingleton holds for hypergraph vectors (they
are stabilizer vectors up to scale) and MMI fails on the GHZ4 hyperedge.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from qinfo.entropy_cones import ContractionMap, Inequality, check_contraction, prove, random_hypergraph
from qinfo.entropy_cones._contraction._certificate import subcube_excess
from tests.strategies import inequality_rows

INGLETON = "S_AB + S_AC + S_AD + S_BC + S_BD >= S_A + S_B + S_CD + S_ABC + S_ABD"
MMI = "S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC"


def _set_ok(cert: ContractionMap, group) -> bool:
    """The k-point condition on one vertex set, from the definition."""
    alpha = [c for _, c in cert.lhs]
    beta = [c for _, c in cert.rhs]
    L = len(alpha)
    a = sum(alpha[l] for l in range(L) if len({(x >> l) & 1 for x in group}) > 1)
    b = sum(beta[r] for r in range(len(beta)) if len({int(cert.images[x][r]) for x in group}) > 1)
    return b <= a + 1e-9


def _random_sets_ok(cert: ContractionMap, n_sets: int, seed: int) -> bool:
    rng = np.random.default_rng(seed)
    P = len(cert.images)
    for _ in range(n_sets):
        size = int(rng.integers(2, P + 1))
        if not _set_ok(cert, rng.choice(P, size=size, replace=False).tolist()):
            return False
    return True


def test_ingleton_is_proved_for_hypergraphs_with_hyperedges_of_any_size():
    result = prove(INGLETON, model="hypergraph", max_edge_size=None, counterexample_search=False,
                   progress=False)
    assert result.status == "proved", result.reason
    cert = result.certificate
    assert check_contraction(cert, INGLETON, model="hypergraph", max_edge_size=None)
    # independent of the subcube reduction: all sets of up to 4 of the 32 vertices, and random
    # sets of every size up to all 32
    assert all(_set_ok(cert, g) for m in (2, 3, 4) for g in itertools.combinations(range(32), m))
    assert _random_sets_ok(cert, 3000, seed=1)


def test_mmi_has_no_contraction_for_hypergraphs_of_any_edge_size():
    result = prove(MMI, model="hypergraph", max_edge_size=None, progress=False)
    assert result.status == "refuted" and result.contraction_exists is False
    assert Inequality.parse(MMI).evaluate(result.counterexample.entropy_vector()) < 0


def test_the_cutting_plane_loop_adds_violated_subcubes_until_the_map_checks():
    # found by a random search: the first SAT model violates subcubes of dimension >= 2
    text = "S_CD + S_B + S_AC + S_AB + S_D + S_ACD + S_ABD >= S_BC + S_ABCD + S_ABC + S_A + S_AD"
    result = prove(text, model="hypergraph", max_multiple=1, counterexample_search=False, progress=False)
    assert result.status == "proved"
    assert result.stats["subcubes_added"] > 0 and result.stats["subcube_rounds"] > 1
    assert check_contraction(result.certificate, text, model="hypergraph")
    assert _random_sets_ok(result.certificate, 2000, seed=2)


def test_large_set_counts_give_a_size_limit_not_an_overflow():
    # L = 12 lhs terms: 2**12 vertices, C(4096, 3) = 1.1e10 three-point sets
    text = ("S_AB + S_AC + S_AD + S_AE + S_BC + S_BD + S_BE + S_CD + S_CE + S_DE + S_ABC + S_ABD "
            ">= S_A + S_B + S_C + S_D + S_E")
    bounded = prove(text, model="hypergraph", max_edge_size=3, counterexample_search=False, progress=False)
    assert bounded.status == "undecided" and "Size limit" in bounded.reason and "e+10" in bounded.reason
    unbounded = prove(text, model="hypergraph", max_edge_size=None, counterexample_search=False,
                      time_limit=20, progress=False)
    assert unbounded.status in ("proved", "undecided")
    if unbounded.status == "proved":
        assert check_contraction(unbounded.certificate, text, model="hypergraph")


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 3).flatmap(lambda L: st.tuples(
    st.just(L), st.integers(1, 3).flatmap(lambda R: st.lists(st.integers(0, 1), min_size=(1 << L) * R,
                                                             max_size=(1 << L) * R).map(
        lambda b: np.array(b, np.uint8).reshape(1 << L, R))),
    st.lists(st.integers(1, 3), min_size=L, max_size=L))))
def test_subcube_excess_equals_the_worst_vertex_set_spanning_each_subcube(data):
    L, img, alpha = data
    alpha = np.array(alpha)
    beta = np.ones(img.shape[1], dtype=np.int64)
    excess = subcube_excess(img, alpha, beta)
    P = 1 << L
    worst = {}
    for m in range(1, P + 1):
        for group in itertools.combinations(range(P), m):
            star = 0
            for x in group:
                star |= x ^ group[0]
            # ternary index of the spanned subcube
            t = sum((2 if star >> l & 1 else group[0] >> l & 1) * 3 ** l for l in range(L))
            a = sum(alpha[l] for l in range(L) if star >> l & 1)
            b = int(np.any(img[list(group)] != img[group[0]], axis=0).sum())
            worst[t] = max(worst.get(t, -np.inf), b - a)
    assert sorted(worst) == list(range(3 ** L))
    assert [worst[t] for t in range(3 ** L)] == excess.tolist()


@pytest.mark.parametrize("text", [INGLETON, "S_AB + S_BC >= S_B + S_ABC"])
def test_unbounded_and_bounded_by_all_vertices_agree(text):
    # max_edge_size >= 2**L allows every vertex set, the same condition as None
    a = prove(text, model="hypergraph", counterexample_search=False, progress=False)
    b = prove(text, model="hypergraph", max_edge_size=2 ** 5, counterexample_search=False, progress=False)
    assert a.status == b.status == "proved"
    assert check_contraction(a.certificate, text, model="hypergraph", max_edge_size=2 ** 5)


@settings(max_examples=30, deadline=None)
@given(inequality_rows(3))
def test_hypergraph_proofs_check_and_refutations_violate(row):
    ineq = Inequality.from_coefficients(row)
    result = prove(ineq, model="hypergraph", time_limit=20, seed=0, progress=False)
    if result.status == "refuted":
        assert not ineq.holds(result.counterexample.entropy_vector())
        assert result.contraction_exists is False
        return
    if result.status == "proved":
        assert check_contraction(result.certificate, ineq, model="hypergraph")
        models = [random_hypergraph(3, 3, 8, sizes=(2, 4), seed=s) for s in range(5)]
        assert all(ineq.holds(h.entropy_vector()) for h in models)
    else:  # no map, and no violating single hyperedge or (complete for N <= 5) graph
        assert result.contraction_exists is False and "No counterexample" in result.reason
    graphs = [random_hypergraph(3, 3, 8, sizes=(2, 2), seed=s) for s in range(5)]
    assert all(ineq.holds(g.entropy_vector()) for g in graphs)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_set_constraint_admits_exactly_the_images_that_obey_it(data):
    # oracle: count the non-constant image columns on the vertex set directly. The SAT encoding
    # (forced bits, free bits sharing variables, stored polarities) plus the unit clauses of one
    # assignment of the free bits must be satisfiable exactly when that count is at most the weight.
    # (Until 2026-12-03 a free bit in a column whose forced bits were all 0 counted as non-constant
    # when it was 0, the reverse: the subcube loop then said "no map" for inequalities with one.)
    from pysat.solvers import Solver

    from qinfo.entropy_cones._contraction._sat import ContractionSearch, _Encoding

    n_verts, R = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 4))
    forced = np.array(data.draw(st.lists(st.lists(st.sampled_from([-1, -1, 0, 1]), min_size=R, max_size=R),
                                         min_size=n_verts, max_size=n_verts)), dtype=np.int8)
    var_id = np.zeros(forced.shape, dtype=np.int32)
    n_vars = 0
    for r in range(R):  # free cells of one column may share a variable, as merge_variables makes them
        for x in range(n_verts):
            if forced[x, r] < 0:
                share = [int(var_id[y, r]) for y in range(x) if forced[y, r] < 0]
                if share and data.draw(st.booleans()):
                    var_id[x, r] = data.draw(st.sampled_from(share))
                else:
                    n_vars += 1
                    var_id[x, r] = n_vars
    flip = np.array([False] + data.draw(st.lists(st.booleans(), min_size=n_vars, max_size=n_vars)), dtype=bool)
    bits = np.array([0] + data.draw(st.lists(st.integers(0, 1), min_size=n_vars, max_size=n_vars)), dtype=np.int8)
    a = data.draw(st.integers(0, R))

    search = ContractionSearch(Inequality.parse(MMI, 3), k=None)
    search.R = R
    enc = _Encoding(n_vars + 1, flip)
    encodable = search._encode_set(np.arange(n_verts), a, forced, var_id, enc)

    images = np.where(forced >= 0, forced, bits[var_id])
    obeys = int((images.min(axis=0) != images.max(axis=0)).sum()) <= a
    if not encodable:  # the forced bits alone break it
        assert not obeys
        return
    units = [[v if bits[v] ^ flip[v] else -v] for v in range(1, n_vars + 1)]
    with Solver(name="minisat22", bootstrap_with=enc.clauses() + units) as s:
        assert s.solve() == obeys

