"""Inequality: parsing, evaluation, symmetry, lifting, balance, sympy."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import Inequality
from qinfo.entropy_cones import EntropyVector, party_letters, subset_labels
from tests.strategies import entropy_inequalities

MMI = "S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC"


def _random_vector(n, seed):
    return EntropyVector(np.random.default_rng(seed).integers(0, 5, (1 << n) - 1))


def test_parse_gives_the_coefficients_written_by_hand():
    q = Inequality.parse(MMI)
    labels = subset_labels(3)
    by_hand = {"A": -1, "B": -1, "C": -1, "AB": 1, "AC": 1, "BC": 1, "ABC": -1}
    assert q.coefficients.tolist() == [by_hand[lab] for lab in labels]
    assert q.lhs == {"AB": 1, "AC": 1, "BC": 1} and q.rhs == {"A": 1, "B": 1, "C": 1, "ABC": 1}


def test_parse_accepts_coefficients_mutual_information_and_reversed_relation():
    a = Inequality.parse("2 S_A + 1/2*S_BC - S_AB >= 0")
    assert a == Inequality({"A": 2, "BC": 0.5}, {"AB": 1})
    assert Inequality.parse("I(A:B|C) >= 0") == Inequality.parse("S_AC + S_BC >= S_C + S_ABC")
    assert Inequality.parse("S_AB <= S_A + S_B") == Inequality.parse("S_A + S_B >= S_AB")
    assert Inequality.parse("S(AB) ≤ S(A) + S(B)") == Inequality.parse("S_A + S_B >= S_AB")


def test_purifier_labels_are_converted_by_purity():
    q = Inequality.parse("S_AO >= S_B", n_parties=3)  # S_AO = S_BC
    assert q == Inequality({"BC": 1}, {"B": 1})
    assert Inequality({"ABO": 1}, {"C": 1}, n_parties=3).coefficients.tolist() == [0] * 7


def test_like_terms_cancel_between_sides():
    q = Inequality({"A": 2, "AB": 1}, {"A": 1, "AB": 1, "B": 1})
    assert q.lhs == {"A": 1} and q.rhs == {"B": 1}


@pytest.mark.parametrize("text, where", [
    ("S_A + T_B >= S_AB", 6),
    ("S_A + S_B", 9),
    ("S_A >= S_B >= S_C", 11),
    ("S_A + >= S_B", 6),
    ("S_A S_B >= 0", 4),
    (">= S_A", 0),
    ("2 >= S_A", 2),
    ("S_a >= 0", 0),
    ("I(A:A) >= 0", 0),
])
def test_unparsable_text_raises_with_the_position_of_the_offending_token(text, where):
    with pytest.raises(ValueError, match=f"position {where}") as info:
        Inequality.parse(text)
    assert text in str(info.value) and "^" in str(info.value)


@pytest.mark.parametrize("bad, exc", [
    (lambda: Inequality.parse("S_AA >= S_A"), ValueError),
    (lambda: Inequality.parse("S_E >= S_A", n_parties=3), ValueError),
    (lambda: Inequality({"A": "x"}), TypeError),
    (lambda: Inequality({"A": np.inf}), ValueError),
    (lambda: Inequality.from_coefficients([1, 2, 3, 4]), ValueError),
    (lambda: Inequality.parse(3), TypeError),
    (lambda: Inequality({"O": 1}), ValueError),
])
def test_bad_input_raises(bad, exc):
    with pytest.raises(exc):
        bad()


def test_evaluate_one_and_many_agree_with_numpy_dot():
    q = Inequality.parse(MMI)
    vs = [_random_vector(3, s) for s in range(5)]
    stack = np.array([v.values for v in vs])
    assert np.allclose(q.evaluate(stack), stack @ q.coefficients)
    assert np.allclose(q.evaluate(vs), stack @ q.coefficients)
    assert q.evaluate(vs[0]) == pytest.approx(float(vs[0].values @ q.coefficients))
    assert q.holds(EntropyVector([1, 1, 1, 2, 2, 2, 1])) is True
    assert q.holds(EntropyVector([1, 1, 1, 1, 1, 1, 1])) is False  # GHZ4 breaks MMI
    with pytest.raises(ValueError, match="2\\*\\*N - 1"):
        q.evaluate(np.zeros(15))
    with pytest.raises(ValueError, match="parties"):
        q.evaluate(EntropyVector(np.zeros(3)))


@settings(max_examples=40, deadline=None)
@given(entropy_inequalities(3), st.lists(st.integers(0, 4), min_size=7, max_size=7), st.permutations(list("ABCO")))
def test_permuted_inequality_on_permuted_vector_has_the_same_slack(q, values, image):
    v = EntropyVector(values)
    mapping = dict(zip("ABCO", image))
    assert q.permute(mapping).evaluate(v.permute(mapping)) == pytest.approx(q.evaluate(v))


@pytest.mark.parametrize("text, n, count", [
    ("S_A + S_B >= S_AB", 2, 3),
    ("S_A + S_B >= S_AB", 3, 18),     # X, Y disjoint non-empty, X u Y not everything
    ("I(A:B|C) >= 0", 3, 6),
    (MMI, 3, 1),
    (MMI, 4, 10),                    # merge one of the C(5, 2) pairs of subsystems
    ("S_AB + S_AC + S_AD + S_BC + S_BD >= S_A + S_B + S_CD + S_ABC + S_ABD", 4, 30),
])
def test_instance_counts(text, n, count):
    assert len(Inequality.parse(text).instances(n)) == count


def test_instances_equal_brute_force_relabelling_of_the_subsystems():
    # oracle: apply every permutation of A, B, C, O through EntropyVector.permute
    q = Inequality.parse("S_AC + S_BC >= S_C + S_ABC")
    probe = [_random_vector(3, s) for s in range(12)]
    expected = set()
    for image in itertools.permutations("ABCO"):
        mapping = dict(zip("ABCO", image))
        expected.add(tuple(np.round([q.evaluate(v.permute(mapping)) for v in probe], 9)))
    got = {tuple(np.round([p.evaluate(v) for v in probe], 9)) for p in q.instances()}
    assert got == expected


def test_grouped_instances_are_the_inequality_on_merged_subsystems():
    # oracle: merge subsystems of a 4-party vector by hand and evaluate the 3-party inequality
    q = Inequality.parse("S_AC + S_BC >= S_C + S_ABC")
    v4 = _random_vector(4, 3)
    grouped = {round(p.evaluate(v4), 9) for p in q.instances(4)}
    names = party_letters(4) + "O"
    for assignment in itertools.product("ABCO", repeat=5):
        if set(assignment) != set("ABCO"):
            continue
        group = {c: "".join(s for s, a in zip(names, assignment) if a == c) for c in "ABCO"}
        v3 = EntropyVector.from_function(3, lambda lab: v4["".join(group[c] for c in lab)])
        assert round(q.evaluate(v3), 9) in grouped


def test_lift_leaves_the_new_parties_out():
    q = Inequality.parse(MMI)
    v4 = _random_vector(4, 7)
    v3 = EntropyVector.from_function(3, lambda lab: v4[lab])  # D merged into the purifier
    assert q.lift(4).evaluate(v4) == pytest.approx(q.evaluate(v3))
    assert q.lift(4).instances(4)[0] == q.lift(4)
    with pytest.raises(ValueError):
        q.lift(2)


def test_balance_and_superbalance_known_cases():
    assert Inequality.parse(MMI).is_superbalanced()
    ssa = Inequality.parse("I(A:B|C) >= 0")
    assert ssa.is_balanced() and not ssa.is_superbalanced()
    assert Inequality.parse("S_A + S_B >= S_AB").is_balanced()
    assert not Inequality.parse("S_A + S_AB >= S_B").is_balanced()


def test_to_sympy_evaluates_like_evaluate():
    q = Inequality.parse("2 S_A + 1/2 S_BC >= S_AB + S_C")
    rel = q.to_sympy()
    assert isinstance(rel, sympy.GreaterThan)
    v = _random_vector(3, 11)
    subs = {sympy.Symbol(f"S_{lab}"): val for lab, val in v.to_dict().items()}
    assert float(rel.lhs.subs(subs) - rel.rhs.subs(subs)) == pytest.approx(q.evaluate(v))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=15, max_size=15))
def test_str_parses_back_to_the_same_inequality(coefs):
    q = Inequality.from_coefficients(coefs)
    assert Inequality.parse(str(q), n_parties=4) == q
