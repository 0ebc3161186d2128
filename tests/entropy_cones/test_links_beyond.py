"""The 4-party link vector outside the hypergraph cone, on an explicit diagram certified by the oracle."""

from __future__ import annotations

import pytest

from qinfo.entropy_cones import LinkModel, catalogue, violations
from qinfo.entropy_cones import LinkCounterexample, extreme_rays, in_cone, realise_connectivity
from qinfo.entropy_cones import quantum_ingleton_violation, search_connectivity
from qinfo.entropy_cones._link_realise import INGLETON_SEARCH, INGLETON_VIOLATOR, connectivity_braid, ingleton_violating_link


def test_ingleton_link_obeys_quantum_constraints_and_violates_ingleton():
    model = ingleton_violating_link()
    v = LinkCounterexample.from_model(model).vector()  # brute force over cuts, from the oracle's answers
    assert v == model.entropy_vector()
    assert not violations(v, ["SA", "AL", "SSA", "WM"])
    assert [x.slack for x in violations(v, "ingleton")] == [-1, -1, -1]


def test_every_answer_behind_the_ingleton_link_is_certified_by_the_oracle():
    m, gens, labels, weights, position, depth = INGLETON_VIOLATOR
    r = realise_connectivity(m, gens, labels, weights, position=position, depth=depth)
    assert r.agrees, r.problem
    reasons = {x for rs in r.checked.values() for x in rs}
    assert "undetermined" not in reasons and "supplied" not in reasons
    assert len(r.pd) == 44 and r.model.diagram is not None


def test_lp_certificate_puts_the_ingleton_link_outside_the_hypergraph_cone():
    v = ingleton_violating_link().entropy_vector()
    rays = extreme_rays([q for name in ("SA", "SSA", "WM", "ingleton") for q in catalogue.get(name, 4)])
    res = in_cone(v, rays=rays)
    assert res.status == "outside"
    assert (rays @ res.separating.coefficients >= -1e-9).all() and res.slack < 0


@pytest.mark.slow
def test_the_recorded_search_finds_the_structure():
    seed, tries = INGLETON_SEARCH["seed"], INGLETON_SEARCH["tries"]
    kwargs = {k: v for k, v in INGLETON_SEARCH.items() if k not in ("seed", "tries")}
    hit = search_connectivity(quantum_ingleton_violation, seed=seed, max_tries=tries, **kwargs)
    assert hit.found and hit.tries == tries
    assert hit.generators == [frozenset(g) for g in INGLETON_VIOLATOR[1]]
    assert hit.labels == INGLETON_VIOLATOR[2] and hit.weights == INGLETON_VIOLATOR[3]


def test_a_realisation_the_oracle_contradicts_is_rejected():
    # overlapping generators can interact in the braid: the oracle then splits {0, 3, 4}
    gens = [{0, 3, 4}, {0, 3}, {0, 1}, {4, 5}, {0, 2, 3}, {1, 2, 5}]
    r = realise_connectivity(6, gens, list("ABCDOB"), [2, 1, 1, 1, 2, 1],
                             position=[4, 5, 2, 3, 1, 6], depth=[2, 1, 5, 6, 4, 3])
    assert not r.agrees and "oracle" in r.problem


def test_braid_of_a_single_generator_is_brunnian():
    model = LinkModel(LinkModel.brunnian("ABCO").diagram.pd, "ABCO")  # reference: the constructor
    word = connectivity_braid(4, [{0, 1, 2, 3}])
    r = realise_connectivity(4, [{0, 1, 2, 3}], "ABCO")
    assert r.agrees and len(word) > 0
    assert r.model.entropy_vector() == model.entropy_vector()
