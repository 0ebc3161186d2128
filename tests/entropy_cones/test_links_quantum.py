"""Quantum consistency of link vectors, and validation of user-supplied split data."""

from __future__ import annotations

import itertools
import random
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import LinkModel, violations
from qinfo.entropy_cones import NonQuantumVectorWarning
from tests.strategies import link_structures

SSA_VIOLATOR = ([{0, 2}, {0, 3}, {2, 3}, {0, 1, 2, 3}], "ABCO", [2, 3, 3, 2])


def test_ssa_violating_structure_warns_and_is_not_quantum_consistent():
    model = LinkModel.from_connectivity(4, *SSA_VIOLATOR)
    with pytest.warns(NonQuantumVectorWarning, match=r"S_AB \+ S_AC >= S_B \+ S_C"):
        v = model.entropy_vector()
    assert violations(v, "SSA")  # independent check of the same vector
    assert not model.is_quantum_consistent()


@pytest.mark.parametrize("make", [lambda: LinkModel.borromean("ABO"), lambda: LinkModel.whitehead("AO"),
                                  lambda: LinkModel.hopf_chain(["A", None, "B", "O"], [3, 1, 2, 5])])
def test_quantum_consistent_links_do_not_warn(make):
    with warnings.catch_warnings():
        warnings.simplefilter("error", NonQuantumVectorWarning)
        model = make()
        v = model.entropy_vector()
    assert model.is_quantum_consistent() and not violations(v, ["SA", "SSA"][: v.n_parties - 1])


@settings(max_examples=40, deadline=None)
@given(link_structures(min_components=4, max_components=6, parties="ABCO"))
def test_warning_is_issued_exactly_when_sa_al_or_ssa_fails(structure):
    model = LinkModel.from_connectivity(*structure)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        v = model.entropy_vector()
    warned = any(issubclass(w.category, NonQuantumVectorWarning) for w in caught)
    assert warned == bool(violations(v, ["SA", "AL", "SSA"])) == (not model.is_quantum_consistent())


def test_subadditivity_and_araki_lieb_never_fail_on_random_structures():
    # the union of two feasible cuts is feasible, so SA and AL hold for every structure
    rng = random.Random(11)
    for _ in range(150):
        m = rng.randint(4, 7)
        labels = list("ABCO") + [None] * (m - 4)
        gens = [set(rng.sample(range(m), rng.randint(2, m))) for _ in range(rng.randint(1, 5))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NonQuantumVectorWarning)
            v = LinkModel.from_connectivity(m, gens, labels, [rng.randint(1, 3) for _ in range(m)]).entropy_vector()
        assert not violations(v, ["SA", "AL"])


# -- from_split_function rejects data no link can have -------------------------------------------
def test_pairs_non_split_inside_a_totally_split_triple_are_rejected():
    bad = lambda s: [s] if len(s) == 2 else [[c] for c in s]  # noqa: E731
    with pytest.raises(ValueError, match="not closed under sublinks"):
        LinkModel.from_split_function(3, bad, "ABO")


def test_closure_check_names_the_offending_sublinks():
    def split(s):  # {0,1} linked, but {0,1,2} splits 0 from 1
        if s == frozenset({0, 1, 2}):
            return [[0, 2], [1]]
        if s == frozenset({0, 1}):
            return [s]
        return [[c] for c in s]

    with pytest.raises(ValueError, match=r"\[0, 1\] is non-split inside \[0, 1\].*\[0, 1, 2\] splits"):
        LinkModel.from_split_function(3, split, "ABO")


@settings(max_examples=40, deadline=None)
@given(link_structures(min_components=3, max_components=5, parties="AB", max_generators=3), st.data())
def test_connectivity_structures_pass_and_random_partitions_are_judged_correctly(structure, data):
    m, gens, _, _ = structure
    model = LinkModel.from_connectivity(m, gens, ["A", "B"] + ["O"] * (m - 2))
    good = lambda s: model.split_decomposition(s).pieces  # noqa: E731
    LinkModel.from_split_function(m, good, ["A", "B"] + ["O"] * (m - 2))  # closed: accepted
    # merge two pieces of one sublink only: closed iff no superset-subset pair is broken (brute force)
    target = frozenset(data.draw(st.lists(st.integers(0, m - 1), min_size=2, max_size=m, unique=True)))
    pieces = list(good(target))

    def tweaked(s):
        if s == target and len(pieces) > 1:
            return [pieces[0] | pieces[1], *pieces[2:]]
        return good(s)

    def closed() -> bool:
        for r in range(2, m + 1):
            for s in map(frozenset, itertools.combinations(range(m), r)):
                for t in map(frozenset, itertools.combinations(sorted(s), r - 1)):
                    for p in tweaked(t):
                        if not any(p <= q for q in map(frozenset, tweaked(s))):
                            return False
        return True

    expected_ok = closed()
    try:
        LinkModel.from_split_function(m, tweaked, ["A", "B"] + ["O"] * (m - 2))
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == expected_ok


def test_from_split_function_refuses_too_many_components_to_check():
    with pytest.raises(ValueError, match="at most 12 components"):
        LinkModel.from_split_function(13, lambda s: [s], ["A"] + ["O"] * 12)
