"""Cone checks: LP certificates re-verified with numpy, published HEC data, MILP realisations."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import (
    EntropyVector,
    Hypergraph,
    catalogue,
    extreme_rays,
    find_hypergraph_realisation,
    graph_state_entropy_vectors,
    in_cone,
    party_letters,
    random_hypergraph,
    violations,
)


def _hec(kind, n):
    return json.loads((resources.files("qinfo") / "data" / "hec" / f"{kind}{n}.json").read_text())


def _orbit_rows(rows):
    return np.array(sorted({tuple(w.values) for r in rows for w in EntropyVector(r).orbit()}))


@pytest.fixture(scope="module")
def stabilizer_4party_rays():
    facets = catalogue.get("SA", 4) + catalogue.get("SSA", 4) + catalogue.get("ingleton", 4)
    return extreme_rays(facets)


def _check_inside_certificate(res, v):
    assert res.status == "inside"
    lam = res.combination
    assert np.all(lam >= 0)
    assert np.allclose(lam @ res.rays, v, atol=1e-6)


def _check_outside_certificate(res, v, rays):
    assert res.status == "outside"
    f = res.separating.coefficients
    assert f @ np.asarray(v, dtype=float) < -1e-9
    assert (np.asarray(rays, dtype=float) @ f).min() >= -1e-7


@settings(max_examples=15, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=15, max_size=15).filter(any), min_size=12, max_size=12),
       st.lists(st.floats(0.01, 5.0), min_size=5, max_size=5))
def test_conic_combinations_of_rays_are_inside_with_a_verified_combination(rays, weights):
    rays = np.array(rays, dtype=float)
    v = np.array(weights) @ rays[:5]
    _check_inside_certificate(in_cone(v, rays=rays), v)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=15, max_size=15))
def test_the_two_descriptions_of_the_holographic_cone_agree(values):
    # oracle: rays r4 (published) versus facets f4 (published), decided independently
    rays = _orbit_rows(_hec("r", 4))
    v = np.array(values, dtype=float)
    by_rays = in_cone(v, rays=rays)
    by_facets = in_cone(v, inequalities="holographic")
    assert by_rays.status == by_facets.status
    if by_rays.status == "outside":
        _check_outside_certificate(by_rays, v, rays)
        assert by_facets.separating.evaluate(v) < 0
    else:
        _check_inside_certificate(by_rays, v)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_published_rays_are_reproduced_by_their_graphs_up_to_scale(n):
    for ray, graph in zip(_hec("r", n), _hec("g", n)):
        boundary = {c: c for c in party_letters(n) + "O"}  # every party, even those in no edge
        h = Hypergraph(list(zip(map(tuple, graph["edges"]), graph["weights"])), boundary)
        s = h.entropy_vector().values
        ray = np.array(ray, dtype=float)
        assert np.allclose(s * ray.max() / s.max(), ray)


@pytest.mark.parametrize("n", [3, 4])
def test_extreme_rays_of_the_holographic_facets_are_the_published_rays(n):
    assert {tuple(r) for r in extreme_rays(catalogue.get("holographic", n))} == \
        {tuple(r) for r in _orbit_rows(_hec("r", n)).astype(int)}


def test_published_5_party_rays_satisfy_all_372_facets():
    F = np.array([q.coefficients for q in catalogue.get("holographic-5")])
    rays = _orbit_rows(_hec("r", 5))
    assert len(rays) == 2267  # published count
    assert (F @ rays.T).min() >= 0


def test_extreme_rays_of_sa_ssa_at_three_parties_are_bell_ghz_and_perfect_tensor():
    rays = extreme_rays(catalogue.get("SA", 3) + catalogue.get("SSA", 3))
    orbits = {EntropyVector(r).canonical() for r in rays}
    assert len(rays) == 8
    assert orbits == {EntropyVector([1, 1, 0, 0, 1, 1, 0]).canonical(),
                      EntropyVector([1, 1, 1, 1, 1, 1, 1]), EntropyVector([1, 1, 1, 2, 2, 2, 1])}


def test_stabilizer_vectors_are_inside_and_ingleton_violations_outside(stabilizer_4party_rays):
    stab = np.asarray(graph_state_entropy_vectors(5, "ABCDO", progress=False).values, dtype=float)
    for v in stab[::7]:
        assert in_cone(v, cone="stabilizer").status == "inside"
    # a Shannon (SA + SSA) extreme ray that breaks Ingleton: outside, with an Ingleton certificate
    shannon = extreme_rays(catalogue.get("SA", 4) + catalogue.get("SSA", 4))
    ingleton = np.array([q.coefficients for q in catalogue.get("ingleton")])
    bad = shannon[(ingleton @ shannon.T).min(axis=0) < 0]
    assert len(bad) > 0
    res = in_cone(bad[0], cone="stabilizer")
    _check_outside_certificate(res, bad[0], stabilizer_4party_rays)
    assert res.separating in set(catalogue.get("ingleton"))


def test_five_party_stabilizer_check_gives_a_verified_conic_combination():
    stab = np.asarray(graph_state_entropy_vectors(6, "ABCDEO", progress=False).values, dtype=float)
    v = 0.5 * stab[10] + 2 * stab[300] + stab[600]
    _check_inside_certificate(in_cone(v, cone="stabilizer"), v)
    res = in_cone(np.ones(31) * 3 - np.eye(31)[30] * 3, cone="stabilizer")  # breaks SA (S_ABCDE = 0, rest 3)
    assert res.status in ("outside", "inside", "undecided")
    assert res.status != "outside" or res.separating.evaluate(np.ones(31) * 3 - np.eye(31)[30] * 3) < 0


def test_every_4_party_stabilizer_extreme_ray_has_a_hypergraph_realisation(stabilizer_4party_rays):
    reps = {EntropyVector(r).canonical() for r in stabilizer_4party_rays}
    for v in reps:
        r = find_hypergraph_realisation(v, max_bulk=1, max_edge_size=5)
        assert r.found, (v, r.reason)
        assert r.hypergraph.entropy_vector().isclose(v)  # independent recomputation


def test_graph_realisation_of_random_graph_vectors_and_none_for_ghz4():
    for seed in range(3):
        v = random_hypergraph(3, n_bulk=2, n_edges=6, sizes=(2, 2), seed=seed).entropy_vector()
        r = find_hypergraph_realisation(v, max_bulk=2, max_edge_size=2)
        assert r.found and r.hypergraph.is_graph and r.hypergraph.entropy_vector().isclose(v)
    r = find_hypergraph_realisation([1, 1, 1, 1, 1, 1, 1], max_bulk=2, max_edge_size=2)  # breaks MMI: no graph exists
    assert not r.found and "none found within these bounds" in r.reason
    assert find_hypergraph_realisation([1, 1, 1, 1, 1, 1, 1], max_bulk=0, max_edge_size=4).found


def test_violations_report_negative_slack_worst_first():
    v = EntropyVector([1, 1, 1, 1, 1, 1, 1])
    found = violations(v, ["SA", "SSA", "MMI"])
    assert [round(x.slack, 9) for x in found] == [-1.0]
    assert found[0].inequality.evaluate(v) == pytest.approx(-1.0)
    assert violations(v, catalogue.get("MMI", expand=False), expand=False)[0].slack == -1


@pytest.mark.parametrize("call, exc", [
    (lambda: in_cone([1, 1, 1, 1], rays=[[1, 1, 1, 1]]), ValueError),
    (lambda: in_cone([1, 1, 0]), ValueError),
    (lambda: in_cone([1, 1, 0], rays=[[1, 1, 0]], inequalities="SA"), ValueError),
    (lambda: in_cone([1, 1, 0], rays=[[1, 1, 0, 1]]), ValueError),
    (lambda: violations([1, 1, 0], [3]), TypeError),
    (lambda: violations([1, 1, 0], "MMI"), ValueError),
    (lambda: find_hypergraph_realisation([1, 1, 0], max_bulk=-1), ValueError),
    (lambda: in_cone([1, 2], cone="stabilizer"), ValueError),
    (lambda: in_cone([1, 1, 0], cone="quantum"), ValueError),
    (lambda: in_cone([1, 1, 0], cone="stabilizer", inequalities="SA"), ValueError),
    (lambda: extreme_rays(np.zeros((2, 3))), ValueError),
])
def test_bad_input_raises(call, exc):
    with pytest.raises(exc):
        call()


# -- atol and rtol mean what numpy means ------------------------------------------------------
def test_in_cone_atol_is_absolute_and_rtol_relative_to_the_largest_entropy():
    """A vector off the SA facet by ``eps``: inside exactly when ``eps <= atol + rtol * max|S|``."""
    eps = 1e-3
    v = np.array([1.0, 1.0, 2.0 + eps])  # S_A + S_B - S_AB = -eps; max|S| = 2 + eps
    top = float(np.max(np.abs(v)))
    assert in_cone(v, inequalities="SA", rtol=0).status == "outside"
    # atol alone, in the units of the vector (numpy: |a - b| <= atol + rtol * |b|)
    assert in_cone(v, inequalities="SA", atol=1.01 * eps, rtol=0).status == "inside"
    assert in_cone(v, inequalities="SA", atol=0.99 * eps, rtol=0).status == "outside"
    # rtol alone, relative to the largest entry
    assert in_cone(v, inequalities="SA", rtol=1.01 * eps / top).status == "inside"
    assert in_cone(v, inequalities="SA", rtol=0.99 * eps / top).status == "outside"
    # atol is absolute: scaling the vector up by 1000 needs 1000 times the atol, not the same rtol
    assert in_cone(1000 * v, inequalities="SA", atol=1.01 * eps, rtol=0).status == "outside"
    assert in_cone(1000 * v, inequalities="SA", rtol=1.01 * eps / top).status == "inside"
    # the two add, as in numpy.isclose
    assert in_cone(v, inequalities="SA", atol=0.6 * eps, rtol=0.6 * eps / top).status == "inside"


def test_the_folded_names_warn_and_give_the_same_answer():
    from qinfo.entropy_cones import find_graph_realisation, stabilizer_cone_check

    with pytest.warns(DeprecationWarning, match="cone=.stabilizer"):
        old = stabilizer_cone_check([1, 1, 1, 3, 2, 2, 1])
    assert (old.status, old.reason) == (in_cone([1, 1, 1, 3, 2, 2, 1], cone="stabilizer").status,
                                        in_cone([1, 1, 1, 3, 2, 2, 1], cone="stabilizer").reason)
    with pytest.warns(DeprecationWarning, match="max_edge_size=2"):
        r = find_graph_realisation([1, 1, 1, 2, 2, 2, 1], max_bulk=1)
    assert r.found and r.hypergraph.edges == find_hypergraph_realisation(
        [1, 1, 1, 2, 2, 2, 1], max_bulk=1, max_edge_size=2).hypergraph.edges
    with pytest.warns(DeprecationWarning, match="reason"):
        assert r.message == r.reason


def test_cone_check_says_undecided_with_a_reason():
    ghz5 = EntropyVector(np.ones(31))  # obeys every linear-rank inequality ...
    bell = EntropyVector.from_function(5, lambda s: float(("A" in s) != ("B" in s)))
    res = in_cone(ghz5, cone="stabilizer", rays=[bell.values])  # ... but is no multiple of a Bell pair
    assert res.status == "undecided" and res.inside is None and "not a conic combination" in res.reason


def test_an_lp_through_cvxpy_and_highs_writes_nothing_to_standard_output():
    # cvxpy builds a highspy.Highs before it turns the log off, and HiGHS prints its banner for
    # the first one of a process: it appeared in the middle of the reproduction's tables. A
    # fresh process, since the banner comes only once per process.
    import subprocess
    import sys

    pytest.importorskip("highspy")
    code = ("from qinfo.entropy_cones import in_cone\n"
            "r = in_cone([1, 1, 2], rays=[[1, 1, 0], [0, 1, 1], [1, 0, 1]], solver='HIGHS')\n"
            "print(r.status)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "inside", out
