"""Cone checks: LP certificates re-verified with numpy, published HEC data, MILP realisations."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import catalogue
from qinfo.entropy_cones._cones import (
    extreme_rays,
    find_graph_realisation,
    find_hypergraph_realisation,
    in_cone,
    stabilizer_cone_check,
    violations,
)
from qinfo.entropy_cones._hypergraph import Hypergraph, random_hypergraph
from qinfo.entropy_cones._stabilizer import graph_state_entropy_vectors
from qinfo.entropy_cones._vectors import EntropyVector, party_letters


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
@given(st.integers(0, 10**6))
def test_conic_combinations_of_rays_are_inside_with_a_verified_combination(seed):
    rng = np.random.default_rng(seed)
    rays = rng.integers(0, 4, (12, 15)).astype(float)
    v = rng.exponential(size=5) @ rays[:5]
    _check_inside_certificate(in_cone(v, rays=rays), v)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6))
def test_the_two_descriptions_of_the_holographic_cone_agree(seed):
    # oracle: rays r4 (published) versus facets f4 (published), decided independently
    rays = _orbit_rows(_hec("r", 4))
    rng = np.random.default_rng(seed)
    v = rng.integers(0, 4, 15).astype(float)
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
        assert stabilizer_cone_check(v).status == "inside"
    # a Shannon (SA + SSA) extreme ray that breaks Ingleton: outside, with an Ingleton certificate
    shannon = extreme_rays(catalogue.get("SA", 4) + catalogue.get("SSA", 4))
    ingleton = np.array([q.coefficients for q in catalogue.get("ingleton")])
    bad = shannon[(ingleton @ shannon.T).min(axis=0) < 0]
    assert len(bad) > 0
    res = stabilizer_cone_check(bad[0])
    _check_outside_certificate(res, bad[0], stabilizer_4party_rays)
    assert res.separating in set(catalogue.get("ingleton"))


def test_five_party_stabilizer_check_gives_a_verified_conic_combination():
    stab = np.asarray(graph_state_entropy_vectors(6, "ABCDEO", progress=False).values, dtype=float)
    v = 0.5 * stab[10] + 2 * stab[300] + stab[600]
    _check_inside_certificate(stabilizer_cone_check(v), v)
    res = stabilizer_cone_check(np.ones(31) * 3 - np.eye(31)[30] * 3)  # breaks SA (S_ABCDE = 0, rest 3)
    assert res.status in ("outside", "inside", "undetermined")
    assert res.status != "outside" or res.separating.evaluate(np.ones(31) * 3 - np.eye(31)[30] * 3) < 0


def test_every_4_party_stabilizer_extreme_ray_has_a_hypergraph_realisation(stabilizer_4party_rays):
    reps = {EntropyVector(r).canonical() for r in stabilizer_4party_rays}
    for v in reps:
        r = find_hypergraph_realisation(v, max_bulk=1, max_edge_size=5)
        assert r.found, (v, r.message)
        assert r.hypergraph.entropy_vector().isclose(v)  # independent recomputation


def test_graph_realisation_of_random_graph_vectors_and_none_for_ghz4():
    for seed in range(3):
        v = random_hypergraph(3, n_bulk=2, n_edges=6, sizes=(2, 2), seed=seed).entropy_vector()
        r = find_graph_realisation(v, max_bulk=2)
        assert r.found and r.hypergraph.is_graph and r.hypergraph.entropy_vector().isclose(v)
    r = find_graph_realisation([1, 1, 1, 1, 1, 1, 1], max_bulk=2)  # breaks MMI: no graph exists
    assert not r.found and "none found within these bounds" in r.message
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
    (lambda: stabilizer_cone_check([1, 2]), ValueError),
    (lambda: extreme_rays(np.zeros((2, 3))), ValueError),
])
def test_bad_input_raises(call, exc):
    with pytest.raises(exc):
        call()
