"""Contraction proofs for link models: SA and AL proved, SSA refuted by a certified diagram.

Oracles: link certificates built from the definition (``tests.strategies.link_certificates``),
which the search must find again; an exhaustive search over every map for two parties; the
entropy vectors of random link models, which satisfy every proved inequality.
"""

from __future__ import annotations

import functools
import itertools
import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings

from qinfo.entropy_cones import (ContractionMap, Inequality, LinkCounterexample, LinkModel, NonQuantumVectorWarning,
                                 catalogue, check_link_contraction, prove)
from qinfo.entropy_cones._contraction._links import find_link_contraction, link_contraction_failures
from tests.strategies import inequality_rows, link_certificates

SA, AL, SSA = "S_A + S_B >= S_AB", "S_A + S_AB >= S_B", "S_AB + S_BC >= S_B + S_ABC"


@functools.lru_cache(maxsize=None)
def random_link_vectors(n_parties: int, count: int, seed: int) -> tuple:
    """Entropy vectors of random connectivity-structure link models (cached: they take a while)."""
    rng = np.random.default_rng(seed)
    parties = list("ABCD"[:n_parties]) + ["O"]
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonQuantumVectorWarning)
        for _ in range(count):
            m = int(rng.integers(n_parties + 1, n_parties + 4))
            labels = parties + [[None, *parties][int(rng.integers(len(parties) + 1))]
                                for _ in range(m - len(parties))]
            gens = [set(rng.choice(m, size=int(rng.integers(2, m + 1)), replace=False).tolist())
                    for _ in range(int(rng.integers(1, 5)))]
            weights = rng.integers(1, 4, size=m).tolist()
            out.append(LinkModel.from_connectivity(m, gens, labels, weights).entropy_vector())
    return tuple(out)


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
        vectors = random_link_vectors(ineq.n_parties, 60, seed=len(str(ineq)))
        for inst in ineq.instances():
            assert all(inst.evaluate(v) >= -1e-9 for v in vectors), (inst, name)


@settings(max_examples=40, deadline=None)
@given(link_certificates())
def test_certificates_built_from_the_definition_check_and_the_search_finds_one(cert):
    ineq = cert.inequality()
    assert check_link_contraction(cert, ineq)
    assert cert.check("graph")  # the link condition implies the graph edge condition
    found = find_link_contraction(ineq)
    assert found is not None, str(ineq)
    assert check_link_contraction(found, ineq)
    assert all(ineq.evaluate(v) >= -1e-9 for v in random_link_vectors(3, 40, seed=10))


def _exists_by_enumeration(ineq) -> bool:
    """Any map meeting the boundary and link conditions, among all (2**R)**(2**L) of them."""
    lhs = list(ineq.lhs.items())
    rhs = [(lab, 1) for lab, c in ineq.rhs.items() for _ in range(int(c))]
    L, R = len(lhs), len(rhs)
    return any(check_link_contraction(ContractionMap(lhs, rhs, np.array(bits, np.uint8).reshape(1 << L, R),
                                                     n_parties=2))
               for bits in itertools.product([0, 1], repeat=(1 << L) * R))


@settings(max_examples=40, deadline=None)
@given(inequality_rows(2, -2, 2))
def test_the_search_finds_a_certificate_whenever_one_exists_for_two_parties(row):
    ineq = Inequality.from_coefficients(row)
    from qinfo.entropy_cones._contraction._certificate import integer_sides

    lhs, rhs = integer_sides(ineq)
    ineq = Inequality(dict(lhs), dict(rhs), n_parties=2)  # coprime integers, as the search sees it
    found = find_link_contraction(ineq)
    if _exists_by_enumeration(ineq):
        assert found is not None
    if found is not None:  # a certificate for the inequality or its double
        assert check_link_contraction(found, ineq)
        assert all(ineq.evaluate(v) >= -1e-9 for v in random_link_vectors(2, 40, seed=11))
    else:
        r = prove(ineq, model="link", seed=0, progress=False)
        assert r.status in ("refuted", "undecided") and r.contraction_exists is False
        if r.status == "refuted":
            assert r.counterexample.check(ineq)
