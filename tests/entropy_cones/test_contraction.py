"""Contraction-map proofs: search, certificates, the independent checker, counterexamples.

Oracles: a brute-force contraction check written here from the definition
(every pair of vertices for graphs, every set of up to k vertices for
hypergraphs, occurrence vectors read off the labels letter by letter), the
published certificates in ``qinfo/data/hec/c*.json``, and entropy vectors of
random graphs (which satisfy every proved inequality).
"""

from __future__ import annotations

import contextlib
import importlib.resources
import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from qinfo.entropy_cones import (ContractionMap, Hypergraph, Inequality, ProofResult, check_contraction, prove,
                                 random_hypergraph)
from qinfo.entropy_cones._contraction._counterexamples import find_counterexample
from tests.strategies import contraction_maps, inequality_rows, sums_of_instances

HEC = importlib.resources.files("qinfo") / "data" / "hec"


@contextlib.contextmanager
def walk_flips(n: int):
    """Run the graph search with ``n`` local-search steps per free bit (0: straight to SAT)."""
    import qinfo.entropy_cones._contraction._sat as sat

    old, sat._WALK_FLIPS = sat._WALK_FLIPS, n
    try:
        yield
    finally:
        sat._WALK_FLIPS = old
SA = "S_A + S_B >= S_AB"
SSA = "S_AB + S_BC >= S_B + S_ABC"
MMI = "S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC"
AL = "S_A + S_AB >= S_B"


# -- the oracle: contraction straight from the definition ---------------------------------
def _occurrence(label: str, party: str, n: int) -> int:
    letters = "ABCDEFGHIJKLMNPQRSTUVWXYZ"[:n]
    members = set(label)
    if "O" in members:  # purity: a set with O is the complement of the rest
        members = set(letters) - (members - {"O"})
    return int(party in members)


def brute_force_contraction(cert: ContractionMap, k: int | None = 2) -> bool:
    """Boundary conditions and the k-point condition for EVERY set of 2..k vertices."""
    n = cert.n_parties
    lhs, rhs = cert.lhs, cert.rhs
    alpha = np.array([c for _, c in lhs], float)
    beta = np.array([c for _, c in rhs], float)
    L = len(lhs)
    points = [tuple((x >> l) & 1 for l in range(L)) for x in range(1 << L)]
    images = [tuple(int(b) for b in row) for row in cert.images]
    for party in "ABCDEFGHIJKLMNPQRSTUVWXYZ"[:n] + "O":
        x = tuple(_occurrence(lab, party, n) if party != "O" else 0 for lab, _ in lhs)
        y = tuple(_occurrence(lab, party, n) if party != "O" else 0 for lab, _ in rhs)
        if images[points.index(x)] != y:
            return False
    top = len(points) if k is None else min(k, len(points))
    for m in range(2, top + 1):
        for group in itertools.combinations(range(len(points)), m):
            a = sum(alpha[l] for l in range(L) if len({points[g][l] for g in group}) > 1)
            b = sum(beta[r] for r in range(len(rhs)) if len({images[g][r] for g in group}) > 1)
            if b > a + 1e-9:
                return False
    return True


def c5_certificates() -> list[ContractionMap]:
    return ContractionMap.load_all(HEC / "c5.json", n_parties=5)


# -- proofs -------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [SA, SSA, MMI, AL])
def test_prove_finds_graph_contraction_for_sa_ssa_mmi_araki_lieb(text):
    result = prove(text, model="graph", progress=False)
    assert isinstance(result, ProofResult)
    assert result.status == "proved" and result.contraction_exists is True
    assert check_contraction(result.certificate, text, model="graph")
    assert brute_force_contraction(result.certificate, k=2)


@pytest.mark.parametrize("text", [SA, SSA])
def test_prove_finds_hypergraph_contraction_for_sa_and_ssa(text):
    result = prove(text, model="hypergraph", progress=False)
    assert result.status == "proved"
    assert check_contraction(result.certificate, text, model="hypergraph")
    assert brute_force_contraction(result.certificate, k=None)


def test_mmi_fails_for_hypergraphs_with_the_ghz4_counterexample():
    result = prove(MMI, model="hypergraph", progress=False)
    assert result.status == "refuted"
    assert result.contraction_exists is False and result.certificate is None
    h = result.counterexample
    assert isinstance(h, Hypergraph)
    assert h.edges == [(("A", "B", "C", "O"), 1)]
    vec = h.entropy_vector()
    assert vec.tripartite_information("A", "B", "C") == 1.0
    assert Inequality.parse(MMI).evaluate(vec) == -1.0


def test_mmi_with_hyperedges_of_three_vertices_still_has_a_contraction():
    # the 4-point condition is what fails; with hyperedges of size <= 3 MMI is provable
    result = prove(MMI, model="hypergraph", max_edge_size=3, progress=False)
    assert result.status == "proved"
    assert brute_force_contraction(result.certificate, k=3)
    assert not result.certificate.check("hypergraph", max_edge_size=4)


def test_propagation_alone_reproduces_the_published_mmi_certificate():
    published = ContractionMap.load_all(HEC / "c3.json")[1]
    result = prove(MMI, progress=False)
    assert result.stats["free"] == 0
    assert result.certificate == published


def test_a_multiple_of_the_inequality_can_have_a_map_when_the_inequality_has_none():
    # half the sum of the SA instances I(A:B), I(C:O), I(A:C), I(B:O): valid, but the
    # coprime form has no contraction map; its double has one
    text = "S_A + S_B + S_C + S_ABC >= S_AB + S_AC"
    once = prove(text, max_multiple=1, progress=False)
    assert once.status == "undecided" and once.contraction_exists is False
    assert once.counterexample is None
    twice = prove(text, max_multiple=2, progress=False)
    assert twice.status == "proved" and twice.stats["multiple"] == 2
    assert check_contraction(twice.certificate, text)
    assert brute_force_contraction(twice.certificate, k=2)


def test_invalid_graph_inequality_is_refuted_by_a_violating_graph():
    result = prove("S_A + S_B + S_C + S_ABC >= S_AB + S_AC + S_BC", progress=False)  # reversed MMI
    assert result.status == "refuted" and result.contraction_exists is False
    h = result.counterexample
    assert h.is_graph
    assert not Inequality.parse("S_A + S_B + S_C + S_ABC >= S_AB + S_AC + S_BC").holds(h.entropy_vector())


@pytest.mark.parametrize("solver", ["glucose4", "kissat404"])
def test_other_sat_solvers_prove_the_largest_five_party_facet(solver):
    row = json.loads((HEC / "f5.json").read_text())[5]
    with walk_flips(0):  # the SAT search itself
        result = prove(Inequality.from_coefficients(row), solver=solver, progress=False)
    assert result.status == "proved" and f"SAT ({solver})" in result.reason
    assert check_contraction(result.certificate, Inequality.from_coefficients(row))


def test_reproves_all_five_party_holographic_facets_from_scratch():
    rows = json.loads((HEC / "f5.json").read_text())
    for row in rows:
        ineq = Inequality.from_coefficients(row)
        result = prove(ineq, progress=False, counterexample_search=False)
        assert result.status == "proved", (str(ineq), result.reason)
        assert check_contraction(result.certificate, ineq)
        # the independent oracle on hypercube edges (all pairs would be 2**20 for L = 10)
        cert = result.certificate
        alpha = np.array([c for _, c in cert.lhs])
        for l in range(len(cert.lhs)):
            lo = [x for x in range(len(cert.images)) if not x >> l & 1]
            diff = (cert.images[lo] != cert.images[[x | 1 << l for x in lo]]).sum(axis=1)
            assert diff.max() <= alpha[l]


def test_time_limit_returns_undecided_instead_of_hanging():
    row = json.loads((HEC / "f5.json").read_text())[5]
    result = prove(Inequality.from_coefficients(row), time_limit=1e-6, counterexample_search=False,
                   progress=False)
    assert result.status == "undecided" and result.contraction_exists is None
    assert "time limit" in result.reason


def test_size_limit_returns_undecided():
    result = prove("S_AB + S_AC + S_AD >= S_A + S_BCD", model="hypergraph", max_edge_size=4, max_sets=10,
                   counterexample_search=False, progress=False)
    assert result.status == "undecided" and "Size limit" in result.reason


# -- certificates -------------------------------------------------------------------------
def test_all_eight_published_c5_certificates_check():
    maps = c5_certificates()
    assert len(maps) == 8
    for cert in maps:
        assert check_contraction(cert, cert.inequality(), model="graph")
        if len(cert.lhs) <= 7:  # all pairs of 2**L vertices; larger ones take seconds
            assert brute_force_contraction(cert, k=2)


def test_c5_certificates_prove_the_eight_f5_facet_orbits():
    rows = [Inequality.from_coefficients(r) for r in json.loads((HEC / "f5.json").read_text())]
    found = set()
    for cert in c5_certificates():
        proved = cert.inequality().lift(5)
        matches = [i for i, row in enumerate(rows) if proved in set(row.instances())]
        assert len(matches) == 1
        found.add(matches[0])
    assert found == set(range(8))


def test_corrupted_c5_certificate_fails_the_check():
    cert = c5_certificates()[7]
    images = cert.images.copy()
    boundary = {int(x[::-1], 2) for x, _ in cert.occurrence_vectors().values()}
    x = next(v for v in range(len(images)) if v not in boundary)
    images[x] = 1 - images[x]   # flip every bit of one image
    bad = ContractionMap(cert.lhs, cert.rhs, images, n_parties=5)
    assert check_contraction(bad, cert.inequality()) is False
    assert brute_force_contraction(bad, k=2) is False
    assert any("hypercube edge" in f for f in bad.failures())


def test_boundary_failure_names_the_party():
    sa = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["1", "1", "1", "0"])
    failures = sa.failures()
    assert failures and "party O" in failures[0]
    assert check_contraction(sa, SA) is False


def test_save_and_load_round_trip_in_hec_json_form(tmp_path):
    cert = prove(MMI, progress=False).certificate
    cert.save(tmp_path / "mmi.json")
    assert ContractionMap.load(tmp_path / "mmi.json") == cert
    ContractionMap.save_all(c5_certificates(), tmp_path / "c5.json")
    assert json.loads((tmp_path / "c5.json").read_text()) == json.loads((HEC / "c5.json").read_text())
    with pytest.raises(ValueError, match="load_all"):
        ContractionMap.load(tmp_path / "c5.json")


def test_certificate_coefficients_are_expanded_to_unit_rhs_terms():
    result = prove("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", progress=False)
    doubled = prove("2 S_AB + 2 S_AC + 2 S_BC >= 2 S_A + 2 S_B + 2 S_C + 2 S_ABC", progress=False)
    assert doubled.certificate == result.certificate  # scaled to coprime integers
    weighted = prove("2 S_A + 2 S_B >= 2 S_AB", progress=False)
    assert weighted.certificate.rhs == (("AB", 1),)


# -- bad input ----------------------------------------------------------------------------
def test_mismatched_certificate_sizes_raise():
    with pytest.raises(ValueError, match="2\\*\\*L = 4"):
        ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1"])
    with pytest.raises(ValueError, match="length R = 1"):
        ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "01"])
    with pytest.raises(ValueError, match="only 0 and 1"):
        ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], np.array([[0], [2], [1], [0]]))
    with pytest.raises(ValueError, match="positive"):
        ContractionMap([("A", 0), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])


def test_certificate_for_another_inequality_raises():
    cert = prove(SA, progress=False).certificate
    with pytest.raises(ValueError, match="certificate proves"):
        check_contraction(cert, SSA)


@pytest.mark.parametrize("kwargs, error", [
    ({"model": "tree"}, ValueError),
    ({"model": "graph", "max_edge_size": 3}, ValueError),
    ({"model": "hypergraph", "max_edge_size": 1}, ValueError),
    ({"time_limit": 0}, ValueError),
    ({"solver": "nosuchsolver"}, ValueError),
])
def test_prove_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        prove(SA, progress=False, **kwargs)


def test_prove_rejects_an_executor_that_is_not_one():
    with pytest.raises(TypeError, match="executor must be a concurrent.futures.Executor"):
        prove(SA, executor=object(), progress=False)


def test_prove_rejects_non_inequality():
    with pytest.raises(TypeError, match="inequality"):
        prove(42, progress=False)


# -- invariants ---------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(contraction_maps(), st.sampled_from([2, 3, None]))
def test_checker_agrees_with_brute_force_definition(cert, k):
    model = "graph" if k == 2 else "hypergraph"
    assert cert.check(model, None if k == 2 else k) == brute_force_contraction(cert, k)
    assert (cert.failures(model, None if k == 2 else k) == []) == brute_force_contraction(cert, k)


RANDOM_GRAPHS = [random_hypergraph(3, 3, 8, sizes=(2, 2), seed=s) for s in range(5)]


@settings(max_examples=40, deadline=None)
@given(inequality_rows(3))
def test_proved_inequalities_hold_and_refutations_violate(row):
    ineq = Inequality.from_coefficients(row)
    result = prove(ineq, progress=False, time_limit=20, seed=0)
    if result.status == "refuted":
        assert not ineq.holds(result.counterexample.entropy_vector())
        assert result.contraction_exists is False  # a valid contraction would contradict it
        return
    if result.status == "proved":
        assert check_contraction(result.certificate, ineq)
    else:  # for N <= 5 the relabelled ray graphs are complete: undecided means valid, but no map
        assert result.contraction_exists is False and "No counterexample" in result.reason
    assert all(ineq.holds(g.entropy_vector()) for g in RANDOM_GRAPHS)


def test_find_counterexample_returns_none_for_valid_graph_inequalities():
    assert find_counterexample(MMI, model="graph", n_random=20) is None
    assert find_counterexample(SSA, model="hypergraph", n_random=20, progress=False) is None


@pytest.mark.parametrize("row", [3, 5, 7])
def test_reversed_five_party_facets_are_refuted_by_relabelled_ray_graphs(row):
    facet = Inequality.from_coefficients(json.loads((HEC / "f5.json").read_text())[row])
    reversed_facet = Inequality.from_coefficients(-facet.coefficients).permute("CAEBDO")
    h = find_counterexample(reversed_facet, model="graph", n_random=0, progress=False)
    assert h is not None and h.is_graph
    assert reversed_facet.evaluate(h.entropy_vector()) < 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-1, 1), min_size=3, max_size=3).filter(any),
       st.sampled_from(["graph", "hypergraph"]))
def test_search_is_complete_against_enumerating_every_map(row, model):
    # two parties: at most 2 lhs and 2 rhs terms, so all (2**R)**(2**L) maps can be listed
    ineq = Inequality.from_coefficients(row)
    result = prove(ineq, model=model, max_multiple=1, counterexample_search=False, progress=False)
    with walk_flips(0):
        by_sat = prove(ineq, model=model, max_multiple=1, counterexample_search=False, progress=False)
    lhs = [(lab, 1) for lab in ineq.lhs]
    rhs = [(lab, 1) for lab in ineq.rhs]
    L, R = len(lhs), len(rhs)
    k = 2 if model == "graph" else None
    exists = any(
        brute_force_contraction(ContractionMap(lhs, rhs, np.array(bits, np.uint8).reshape(1 << L, R),
                                               n_parties=2), k)
        for bits in itertools.product([0, 1], repeat=(1 << L) * R))
    assert result.contraction_exists is exists is by_sat.contraction_exists
    assert (result.status == "proved") is exists


def _plain_sat(ineq, multiple: int = 1):
    """Oracle: one variable per image bit, boundary units, "at most alpha_l bits differ" per edge
    (pysat's cardinality encodings); no propagation, merging, symmetry breaking or phases.

    For ``multiple`` times the inequality (lhs weights and rhs unit terms times ``multiple``).
    Returns the clauses and ``bit(x, r)``, the variable of bit ``r`` of the image of vertex ``x``.
    """
    from pysat.card import CardEnc
    from pysat.formula import IDPool

    from qinfo.entropy_cones._contraction._certificate import integer_sides
    from qinfo.entropy_cones._vectors import parse_subset

    lhs, rhs = integer_sides(ineq)
    lhs = [(lab, c * multiple) for lab, c in lhs]
    rhs = [lab for lab, c in rhs for _ in range(c * multiple)]
    n, L, R = ineq.n_parties, len(lhs), len(rhs)
    mask = lambda lab: parse_subset(lab, n)[0]  # noqa: E731 (no purifier labels here)
    pool = IDPool()
    bit = lambda x, r: pool.id(("f", x, r))  # noqa: E731
    clauses = [[bit(x, r), -bit(x, r)] for x in range(1 << L) for r in range(R)]  # every bit has a variable
    for i in range(n + 1):  # party i's occurrence vectors (i = n: the purifier, all zeros)
        x = sum(((mask(lab) >> i) & 1) << l for l, (lab, _) in enumerate(lhs))
        clauses += [[bit(x, r) if (mask(lab) >> i) & 1 else -bit(x, r)] for r, lab in enumerate(rhs)]
    for x in range(1 << L):
        for l, (_, a) in enumerate(lhs):
            y = x | (1 << l)
            if y == x or a >= R:
                continue
            ds = []
            for r in range(R):
                d = pool.id(("d", x, y, r))
                clauses += [[-bit(x, r), bit(y, r), d], [bit(x, r), -bit(y, r), d]]
                ds.append(d)
            clauses += CardEnc.atmost(ds, bound=a, vpool=pool).clauses
    return clauses, bit


def _plain_sat_has_map(ineq) -> bool:
    from pysat.solvers import Solver

    with Solver(name="minisat22", bootstrap_with=_plain_sat(ineq)[0]) as s:
        return s.solve()


@settings(max_examples=15, deadline=None)
@given(sums_of_instances(4))
def test_graph_search_agrees_with_a_plain_sat_encoding_on_sums_of_instances(row):
    # four parties, terms that cancel or add up: repeated rhs columns (symmetry clauses) and
    # saturated edges (merged variables) occur, and some sums have no map; neither may lose one
    # (a merge on unsaturated edges, tried as a mutation, fails this on most draws)
    ineq = Inequality.from_coefficients(row)
    expected = _plain_sat_has_map(ineq)
    for flips in (0, 20):  # the SAT encoding itself, then with the local search first
        with walk_flips(flips):
            result = prove(ineq, max_multiple=1, counterexample_search=False, progress=False, time_limit=None)
        assert result.contraction_exists is expected, flips



def _check_forced_bits(ineq, multiple: int = 1) -> None:
    from pysat.solvers import Solver

    from qinfo.entropy_cones._contraction._sat import ContractionSearch

    search = ContractionSearch(ineq, k=2, multiple=multiple)
    if search.L > 8 or search._boundary_conflict():
        return
    forced, conflict = search._propagate()
    clauses, bit = _plain_sat(ineq, multiple)
    with Solver(name="minisat22", bootstrap_with=clauses) as s:
        if conflict is not None:
            assert not s.solve(), conflict
            return
        if not s.solve():
            return  # no map: nothing to compare the forced bits with
        for x, r in np.argwhere(forced >= 0):
            other = bit(int(x), int(r)) if forced[x, r] == 0 else -bit(int(x), int(r))
            assert not s.solve(assumptions=[other]), (x, r)


@settings(max_examples=25, deadline=None)
@given(st.one_of(sums_of_instances(4), inequality_rows(3)))
def test_every_bit_that_propagation_forces_is_the_same_in_every_contraction_map(row):
    # the packed pair, anchor and edge rules may only force what every map has: with the bit
    # set the other way the plain encoding must be unsatisfiable; a conflict means no map at all
    _check_forced_bits(Inequality.from_coefficients(row))


@pytest.mark.parametrize("text, multiple", [(MMI, 17), ("S_A + S_B + S_C + S_ABC >= S_AB + S_AC", 33)])
def test_forced_bits_hold_in_every_map_when_images_take_more_than_one_word(text, multiple):
    # 68 and 66 rhs unit terms: the packed images have two 64-bit words per vertex
    _check_forced_bits(Inequality.parse(text), multiple)


@pytest.mark.parametrize("facet, multiple", [(3, 8), (6, 8), (7, 7)])
def test_propagation_does_not_depend_on_the_order_of_the_rhs_columns(facet, multiple):
    # 72 and 70 rhs unit terms, two 64-bit words per vertex: every rule treats the columns
    # alike, so rotating them (which moves the word boundary) must rotate the forced bits
    from qinfo.entropy_cones._contraction._sat import ContractionSearch

    ineq = Inequality.from_coefficients(json.loads((HEC / "f5.json").read_text())[facet])
    base = ContractionSearch(ineq, k=2, multiple=multiple)
    forced, conflict = base._propagate()
    assert base.R > 64 and conflict is None and (forced >= 0).sum() > 0
    for shift in (5, 37):
        other = ContractionSearch(ineq, k=2, multiple=multiple)
        other.rhs_masks = other.rhs_masks[shift:] + other.rhs_masks[:shift]
        other.rhs_terms = other.rhs_terms[shift:] + other.rhs_terms[:shift]
        rotated, _ = other._propagate()
        assert np.array_equal(rotated, np.roll(forced, -shift, axis=1))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 9), st.integers(0, 2**32 - 1), st.integers(0, 1000))
def test_the_walk_keeps_forced_bits_and_stops_only_on_a_contraction(L, R, seed, noise):
    # the kernel's bookkeeping against NumPy: distances, the violated set, forced bits untouched
    from qinfo._kernels import contraction as kernels

    rng = np.random.default_rng(seed)
    forced = rng.choice(np.array([-1, -1, 0, 1], np.int8), size=(1 << L, R))
    alpha = rng.integers(1, 3, L).astype(np.int64)
    img, dist, diff, pos, bad, n_bad = kernels.walk_start(forced, alpha)
    state = np.array([seed | 1], np.uint64)
    n_bad, steps = kernels.walk(forced, alpha, img, dist, diff, pos, bad, n_bad, state, 200, noise)
    assert np.array_equal(img[forced >= 0], forced[forced >= 0])
    x = np.arange(1 << L)
    for l in range(L):
        across = img != img[x ^ (1 << l)]
        d = across.sum(axis=1)
        assert np.array_equal(dist[:, l], d)
        assert np.array_equal((diff >> l) & 1, across)
        violated = set(((x * L + l)[(d > alpha[l]) & (x >> l & 1 == 0)]).tolist())
        assert set(bad[:n_bad].tolist()) >= violated and all(pos[e] >= 0 for e in violated)
    assert len(set(bad[:n_bad].tolist())) == n_bad == sum(
        int(((img != img[x ^ (1 << l)]).sum(axis=1)[x >> l & 1 == 0] > alpha[l]).sum()) for l in range(L))


def test_the_walk_proves_the_sampled_six_party_facets_and_is_deterministic():
    from pathlib import Path

    rows = json.loads((Path(__file__).parents[1] / "data" / "hec6" / "facets_sample50.json").read_text())["rows"]
    for row in rows[:3]:
        ineq = Inequality.from_coefficients(row)
        first = prove(ineq, max_multiple=1, counterexample_search=False, progress=False)
        again = prove(ineq, max_multiple=1, counterexample_search=False, progress=False)
        assert first.status == "proved" and "local search" in first.reason
        assert check_contraction(first.certificate, ineq)
        assert np.array_equal(first.certificate.images, again.certificate.images)


_MASK64 = (1 << 64) - 1


def _reference_walk(forced, alpha, state, max_flips, noise):
    """The walk written from its definition: the excess change of a flip recomputed over the whole cube."""
    from qinfo._kernels import contraction as kernels

    P, R = forced.shape
    L = len(alpha)
    x_all = np.arange(P)
    s = [int(state[0])]

    def below(n):  # the kernel's xorshift64, top 32 bits scaled to [0, n)
        x = s[0]
        x ^= (x << 13) & _MASK64
        x ^= x >> 7
        x ^= (x << 17) & _MASK64
        s[0] = x
        return ((x >> 32) * n) >> 32

    def excess(img):
        return sum(int(np.maximum(0, (img != img[x_all ^ (1 << l)]).sum(axis=1)[(x_all >> l & 1) == 0]
                                  - alpha[l]).sum()) for l in range(L))

    img, _, _, _, bad, n_bad = kernels.walk_start(forced, alpha)
    bad = bad[:n_bad].tolist()  # the kernel's order: the random choices depend on it
    steps, last = 0, None
    while bad and steps < max_flips:
        steps += 1
        e = bad[below(len(bad))]
        x, l = divmod(e, L)
        y = x | (1 << l)
        cands = []
        for r in range(R):
            if img[x, r] != img[y, r]:
                for v in (x, y):
                    if forced[v, r] < 0 and (v, r) != last:
                        before = excess(img)
                        img[v, r] ^= 1
                        cands.append((v, r, excess(img) - before))
                        img[v, r] ^= 1
        if not cands:
            last = None
            continue
        best = min(c[2] for c in cands)
        if below(1000) < noise:
            v, r, _ = cands[below(len(cands))]
        else:
            ties = [c for c in cands if c[2] == best]
            v, r, _ = ties[below(len(ties))]
        last = (v, r)
        img[v, r] ^= 1
        for k in range(L):
            u = v ^ (1 << k)
            ee = min(u, v) * L + k
            over = int((img[v] != img[u]).sum()) > alpha[k]
            if over and ee not in bad:
                bad.append(ee)
            elif not over and ee in bad:
                i, moved = bad.index(ee), bad.pop()
                if moved != ee:
                    bad[i] = moved
    return img, steps, bad


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(1, 2**63), st.sampled_from([0, 0, 300, 600, 1000]),
       st.integers(1, 60))
def test_the_walk_follows_its_definition_step_by_step(L, R, seed, noise, max_flips):
    # the kernel's incremental flip scores (tight/violated masks) against the excess recomputed from scratch
    from qinfo._kernels import contraction as kernels

    rng = np.random.default_rng(seed)
    forced = np.where(rng.random((1 << L, R)) < rng.random(), -1, rng.integers(0, 2, (1 << L, R))).astype(np.int8)
    alpha = rng.integers(0, 3, L).astype(np.int64)
    want_img, want_steps, want_bad = _reference_walk(forced, alpha, np.array([seed], np.uint64), max_flips, noise)
    img, dist, diff, pos, bad, n_bad = kernels.walk_start(forced, alpha)
    n_bad, steps = kernels.walk(forced, alpha, img, dist, diff, pos, bad, n_bad, np.array([seed], np.uint64),
                                max_flips, noise)
    assert steps == want_steps and bad[:n_bad].tolist() == want_bad
    assert np.array_equal(img, want_img)


def test_no_walk_steps_means_no_local_search():
    with walk_flips(0):
        result = prove(SA, counterexample_search=False, progress=False)
    assert result.status == "proved" and "local search" not in result.reason


def test_huge_coefficients_neither_break_proofs_nor_pass_another_inequality():
    # the dot products of the inequality check would overflow at 1e200 (scale 0 or nan before the fix)
    big = Inequality.from_coefficients([1e200, 1e200, -1e200])  # subadditivity, scaled
    result = prove(big, counterexample_search=False, progress=False)
    assert result.status == "proved" and check_contraction(result.certificate, big)
    cert = ContractionMap([("A", 1e308), ("B", 1e308)], [("AB", 1)], ["0", "1", "1", "0"])
    with pytest.raises(ValueError, match="certificate proves"):
        check_contraction(cert, "S_A + S_B >= 5 S_AB")
    with pytest.raises(ValueError, match="certificate proves"):
        check_contraction(cert, Inequality.from_coefficients([1e308, 0, -1e308]))
    with pytest.raises(ValueError, match="certificate proves"):  # the same terms, S_AB dropped
        check_contraction(cert, "S_A + S_B >= 0")


def test_prove_refuses_a_map_of_another_inequality(monkeypatch):
    # should the search misread the coefficients, the certificate proves something else: prove must not return it
    import qinfo.entropy_cones._contraction._sat as sat

    monkeypatch.setattr(sat, "integer_sides", lambda ineq: ([("A", 1), ("B", 1)], [("A", 1)]))
    with pytest.raises(RuntimeError, match="proves another inequality"):
        prove(SA, counterexample_search=False, progress=False)


# -- seeds and executors ------------------------------------------------------------------
def test_random_counterexamples_follow_the_seed_not_the_executor():
    # "S_A >= S_B" fails on many random graphs: the first violator depends on the seed only
    from concurrent.futures import ThreadPoolExecutor

    from qinfo.entropy_cones._contraction._counterexamples import _random_models as random_models

    ineq = Inequality.parse("S_A >= S_B")
    here = next(random_models(ineq, 2, 2, 60, 7, None, False, None))
    with ThreadPoolExecutor(2) as ex:
        there = next(random_models(ineq, 2, 2, 60, 7, ex, False, None))
    assert here.edges == there.edges and not ineq.holds(here.entropy_vector())
    other = [next(random_models(ineq, 2, 2, 60, s, None, False, None)).edges for s in range(4)]
    assert len({str(e) for e in other}) > 1  # the seed matters


def test_prove_on_an_executor_gives_the_same_result():
    from concurrent.futures import ThreadPoolExecutor

    text = "S_A + S_B + S_C + S_ABC >= S_AB + S_AC + S_BC"  # reversed MMI: refuted
    with ThreadPoolExecutor(2) as ex:
        on_pool = prove(text, seed=3, executor=ex, progress=False)
    here = prove(text, seed=3, progress=False)
    assert on_pool.status == here.status == "refuted"
    assert on_pool.counterexample.edges == here.counterexample.edges
