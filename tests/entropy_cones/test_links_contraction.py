"""Contraction proofs for link models: SA and AL proved, SSA refuted by a certified diagram."""

from __future__ import annotations

import json
import random
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import (ContractionMap, Inequality, LinkCounterexample, LinkModel, catalogue,
                                 check_link_contraction, prove)
from qinfo.entropy_cones._contraction._links import find_link_contraction, link_contraction_failures
from qinfo.entropy_cones.links import NonQuantumVectorWarning

SA, AL, SSA = "S_A + S_B >= S_AB", "S_A + S_AB >= S_B", "S_AB + S_BC >= S_B + S_ABC"


def random_link_vectors(n_parties: int, count: int, seed: int):
    rng = random.Random(seed)
    parties = list("ABCD"[:n_parties]) + ["O"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonQuantumVectorWarning)
        for _ in range(count):
            m = rng.randint(n_parties + 1, n_parties + 3)
            labels = parties + [rng.choice([None] + parties) for _ in range(m - len(parties))]
            gens = [set(rng.sample(range(m), rng.randint(2, m))) for _ in range(rng.randint(1, 4))]
            yield LinkModel.from_connectivity(m, gens, labels, [rng.randint(1, 3) for _ in range(m)]).entropy_vector()


@pytest.mark.parametrize("text", [SA, AL])
def test_sa_and_al_are_proved_with_a_checkable_certificate(text):
    r = prove(text, model="link", progress=False)
    assert r.status == "proved" and r.model == "link"
    assert check_link_contraction(r.certificate, text)
    assert r.certificate.check("graph")  # the link condition implies the graph edge condition
    # the certificate survives a JSON round trip
    again = ContractionMap.from_dict(json.loads(json.dumps(r.certificate.to_dict())))
    assert check_link_contraction(again, text)


def test_a_tampered_certificate_fails_the_check():
    cert = find_link_contraction(SA)
    images = cert.images.copy()
    images[1, 0] ^= 1  # break the boundary condition of party A
    bad = ContractionMap(cert.lhs, cert.rhs, images, n_parties=2)
    assert not check_link_contraction(bad)
    assert any("boundary" in f for f in link_contraction_failures(bad))


def test_the_graph_proof_of_mmi_is_not_a_link_proof():
    # MMI holds for graphs (contraction map) but GHZ4 = the Brunnian link violates it
    r = prove("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", model="graph", progress=False)
    assert r.certificate.check("graph") and not check_link_contraction(r.certificate)


def test_ssa_is_refuted_by_the_certified_diagram():
    r = prove(SSA, model="link", progress=False)
    assert r.status == "refuted"
    cex = r.counterexample
    assert cex.pd is not None and len(cex.pd) == 32  # the explicit diagram
    reasons = {x for _, rs in cex.decompositions.values() for x in rs}
    assert "undetermined" not in reasons and "supplied" not in reasons
    assert cex.check(SSA)
    v = cex.vector()
    assert Inequality.parse(SSA).evaluate(v) == -1  # I(A:C|B) = -1 after relabelling
    # re-checkable offline, from JSON
    again = LinkCounterexample.from_dict(json.loads(json.dumps(cex.to_dict())))
    assert again.check(SSA) and again.vector() == v


def test_tampered_split_data_fail_the_counterexample_check():
    cex = prove(SSA, model="link", progress=False).counterexample
    everything = frozenset(range(len(cex.labels)))
    cex.decompositions[everything] = (tuple(frozenset([c]) for c in everything), ("supplied",) * 4)
    assert any("separates it" in f for f in cex.failures(SSA))  # Hopf-linked pairs inside a split link
    assert not cex.check(SSA)


def test_counterexample_check_recomputes_the_vector_independently():
    model = LinkModel.hopf_chain(["A", None, "B", "O"], weights=[3, 1, 2, 5])
    cex = LinkCounterexample.from_model(model)
    assert cex.vector() == model.entropy_vector()


@pytest.mark.parametrize("name", ["SA", "AL", "holographic-3"])
def test_proved_catalogue_inequalities_hold_on_random_link_vectors(name):
    for ineq in catalogue.entry(name).representatives:
        r = prove(ineq, model="link", progress=False, counterexample_search=False)
        if r.status != "proved":
            continue
        vectors = list(random_link_vectors(ineq.n_parties, 60, seed=len(str(ineq))))
        for inst in ineq.instances():
            assert all(inst.evaluate(v) >= -1e-9 for v in vectors), (inst, name)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-2, 2), min_size=7, max_size=7))
def test_any_certificate_found_is_sound_on_random_link_vectors(coefs):
    if not any(c > 0 for c in coefs) or not any(c < 0 for c in coefs):
        return
    ineq = Inequality.from_coefficients(np.array(coefs, dtype=float))
    cert = find_link_contraction(ineq)
    if cert is None:
        return
    assert check_link_contraction(cert, ineq)
    assert all(ineq.evaluate(v) >= -1e-9 for v in random_link_vectors(3, 30, seed=sum(coefs) + 10))
