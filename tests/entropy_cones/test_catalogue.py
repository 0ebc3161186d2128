"""The catalogue: counts against the published data, validity on the models that must obey it."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from qinfo.entropy_cones import catalogue
from qinfo.entropy_cones.hypergraph import random_hypergraph
from qinfo.entropy_cones.stabilizer import graph_state_entropy_vectors


def _matrix(ineqs):
    return np.array([q.coefficients for q in ineqs])


@pytest.fixture(scope="module")
def stabilizer_5q():
    """All 5-qubit graph-state vectors: every 4-party pure stabilizer vector with 1 qubit per party."""
    return np.asarray(graph_state_entropy_vectors(5, "ABCDO", progress=False).values, dtype=float)


@pytest.fixture(scope="module")
def stabilizer_6q():
    return np.asarray(graph_state_entropy_vectors(6, "ABCDEO", progress=False).values, dtype=float)


@pytest.mark.parametrize("n, facets", [(3, 7), (4, 20), (5, 372)])
def test_holographic_facet_counts_match_the_published_data(n, facets):
    # published counts (README of the data, arXiv:1903.09148): 7, 20, 372 facets
    assert len(catalogue.get(f"holographic-{n}")) == facets
    assert len(catalogue.get("holographic", n)) == facets
    rows = json.loads((resources.files("qinfo") / "data" / "hec" / f"f{n}.json").read_text())
    assert len(catalogue.get(f"holographic-{n}", expand=False)) == len(rows)


def test_holographic_5_has_eight_orbits_and_all_but_sa_are_superbalanced():
    reps = catalogue.entry("holographic-5").representatives
    assert len(reps) == 8
    unbalanced = [q for q in reps if not q.is_superbalanced()]
    assert len(unbalanced) == 1 and unbalanced[0] in catalogue.get("SA", 5)


def test_every_entry_has_a_reference_and_named_inequalities():
    for name in catalogue.names():
        e = catalogue.entry(name)
        assert e.reference and e.representatives
        assert all(q.reference == e.reference for q in e.representatives)


def test_sa_and_al_are_one_orbit_and_ssa_contains_wm():
    assert set(catalogue.get("SA")) == set(catalogue.get("AL"))
    assert set(catalogue.get("WM")) == set(catalogue.get("SSA"))


def test_stabilizer_vectors_obey_sa_ssa_and_ingleton(stabilizer_5q):
    for name in ("SA", "SSA", "WM", "ingleton"):
        assert (_matrix(catalogue.get(name, 4)) @ stabilizer_5q.T).min() >= 0, name


def test_stabilizer_vectors_obey_grouped_ingleton_at_five_parties(stabilizer_6q):
    assert (_matrix(catalogue.get("ingleton", 5)) @ stabilizer_6q.T).min() >= 0


def test_linear_rank_inequalities_hold_on_all_6_qubit_graph_states(stabilizer_5q, stabilizer_6q):
    if "dfz" not in catalogue.names():
        pytest.skip("no Dougherty-Freiling-Zeger inequality established in the catalogue")
    for rep in catalogue.entry("dfz").representatives:
        assert (_matrix(rep.instances(4)) @ stabilizer_5q.T).min() >= 0, rep.name
        assert (_matrix(rep.instances(5)) @ stabilizer_6q.T).min() >= 0, rep.name


def test_mmi_and_holographic_facets_can_fail_on_stabilizer_states(stabilizer_6q):
    # the test above must be able to fail: GHZ-type states break MMI
    assert (_matrix(catalogue.get("MMI", 5)) @ stabilizer_6q.T).min() < 0
    assert (_matrix(catalogue.get("holographic-5")) @ stabilizer_6q.T).min() < 0


def test_random_graph_models_obey_the_five_party_holographic_facets():
    F = _matrix(catalogue.get("holographic-5"))
    for seed in range(40):
        h = random_hypergraph(5, n_bulk=6, n_edges=18, sizes=(2, 2), seed=seed)
        assert (F @ h.entropy_vector().values).min() >= 0


def test_get_rejects_unknown_names_and_too_few_parties():
    with pytest.raises(ValueError, match="unknown catalogue entry"):
        catalogue.get("nope")
    with pytest.raises(ValueError, match="n_parties must be >= 4"):
        catalogue.get("ingleton", 3)
    with pytest.raises(ValueError):
        catalogue.get("holographic")
    with pytest.raises(TypeError):
        catalogue.entry(3)
