"""No accidental blow-ups (typo letters, work budgets) and scale-free verdicts (issue #20)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import EntropyVector, Inequality, catalogue, in_cone, violations
from qinfo.entropy_cones._inequalities import RTOL
from qinfo.entropy_cones import tolerance
from qinfo.entropy_cones import BUDGET
from tests.strategies import min_cut_models

# -- Inequality.parse: a far letter is a typo, not 25 parties -------------------------


@pytest.mark.parametrize("text, letter, guesses", [
    ("S_A + S_Z >= S_AZ", "Z", "'B', 'C' or 'D'"),            # Z typed for C
    ("S_AB + S_AC >= S_A + S_Z", "Z", "'D', 'E' or 'F'"),     # S_Z among A-C
    ("S_Y >= 0", "Y", "'A', 'B' or 'C'"),
])
def test_parse_refuses_a_far_letter_and_suggests_the_typo(text, letter, guesses):
    with pytest.raises(ValueError) as exc:
        Inequality.parse(text)
    msg = str(exc.value)
    assert f"party {letter!r}" in msg and f"did you mean {guesses}?" in msg
    assert "n_parties=" in msg  # says how to mean it


@pytest.mark.parametrize("text, n", [
    ("S_A + S_C >= S_AC", 3),           # one unused letter below the top: fine
    ("S_A + S_D >= S_AD", 4),           # two unused: still fine
    ("S_AB + S_E >= S_ABE", 5),
])
def test_parse_infers_parties_from_nearby_letters(text, n):
    assert Inequality.parse(text).n_parties == n


def test_parse_with_explicit_far_letter_uses_the_given_party_number():
    q = Inequality.parse("S_A + S_E >= S_AE", n_parties=5)
    assert q.n_parties == 5 and q.lhs == {"A": 1.0, "E": 1.0}
    assert repr(q) == "Inequality.parse('S_A + S_E >= S_AE', n_parties=5)"  # re-parses
    assert eval(repr(q)) == q


# -- budgets: refuse before the work, name the budget and how to raise it ------------


def test_25_parties_is_refused_at_once_naming_the_subset_budget():
    with pytest.raises(ValueError, match=r"BUDGET\['subsets'\] = 1,048,576.*BUDGET\['subsets'\] = 2\*\*25"):
        Inequality.parse("S_A + S_Z >= S_AZ", n_parties=25)
    with pytest.raises(ValueError, match=r"n_parties=25 if 'Z' is meant"):
        Inequality({"Z": 1})  # inferred: a typo error, before any allocation


def test_raising_the_subset_budget_is_what_the_message_says(monkeypatch):
    monkeypatch.setitem(BUDGET, "subsets", 7)
    assert Inequality.parse("S_AB + S_C >= S_ABC").n_parties == 3
    with pytest.raises(ValueError, match=r"n_parties=4 needs about 15 subsets"):
        Inequality.parse("S_AB + S_D >= S_ABD")
    monkeypatch.setitem(BUDGET, "subsets", 15)
    assert Inequality.parse("S_AB + S_D >= S_ABD").n_parties == 4


def test_instances_past_the_budget_are_refused_before_enumerating(monkeypatch):
    sa = Inequality.parse("S_A + S_B >= S_AB")
    monkeypatch.setitem(BUDGET, "enumeration", 100)
    assert len(sa.instances()) == 3  # 18 entries: inside the budget
    with pytest.raises(ValueError, match=r"on 3 parties needs about 432 array entries.*"
                                         r"BUDGET\['enumeration'\] = 100"):
        sa.instances(3)


def test_default_budget_refuses_the_enumerations_that_used_to_hang():
    ssa = Inequality.parse("I(A:B|C) >= 0")
    with pytest.raises(ValueError, match=r"BUDGET\['enumeration'\]"):
        ssa.instances(8)  # 4**9 maps onto 8 parties: 4.8e7 entries
    with pytest.raises(ValueError, match=r"'dfz' on 6 parties.*BUDGET\['enumeration'\]"):
        catalogue.get("dfz", 6)
    with pytest.raises(ValueError, match=r"9! permutations.*BUDGET\['enumeration'\]"):
        EntropyVector(np.arange(1, 256)).orbit()


def _onto_count(k: int, m: int) -> int:
    """Maps from m points onto k points, by brute force."""
    return sum(len(set(f)) == k for f in itertools.product(range(k), repeat=m))


@pytest.mark.parametrize("n, m", [(2, 2), (2, 3), (2, 4), (3, 3), (3, 5), (4, 5)])
def test_instances_work_counts_the_arrays_instances_builds(n, m):
    q = Inequality.from_coefficients(np.ones((1 << n) - 1))
    if m == n:
        assert q.instances_work() == math.factorial(n + 1) * ((1 << n) - 1)
        return
    onto = _onto_count(n + 1, m + 1)
    want = max((n + 1) ** (m + 1) * (m + 1), onto * ((1 << n) - 1) * (m + 1), onto * ((1 << m) - 1))
    assert q.instances_work(m) == want
    # and the enumeration really has one grouping per onto map (plus the lift)
    from qinfo.entropy_cones._inequalities import _grouping_targets

    assert _grouping_targets(n, m).shape == (onto, (1 << n) - 1)


# -- one tolerance rule: atol + rtol * max|S| --------------------------------------------


def test_tolerance_is_atol_plus_rtol_times_the_largest_entry():
    assert tolerance([1.0, -3.0, 2.0], atol=0.5, rtol=0.1) == pytest.approx(0.8)
    assert tolerance([[1, 2, 3], [0, 0, 0]]).tolist() == [3 * RTOL, 0.0]
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="atol"):
            tolerance([1, 1, 1], atol=bad)
    with pytest.raises(TypeError, match="rtol"):
        tolerance([1, 1, 1], rtol=True)


def test_violation_threshold_is_exactly_the_documented_rule():
    sa = Inequality.parse("S_A + S_B >= S_AB")
    v = EntropyVector([1.0, 1.0, 2.5])  # slack -0.5, max|S| 2.5
    assert not sa.holds(v, atol=0.49) and sa.holds(v, atol=0.5)
    assert not sa.holds(v, rtol=0.19) and sa.holds(v, rtol=0.2)
    assert sa.holds(v, atol=0.25, rtol=0.1)  # 0.25 + 0.25
    assert [x.slack for x in violations(v, "SA", atol=0.49)] == [-0.5]
    assert violations(v, "SA", atol=0.25, rtol=0.1) == []


_GHZ4 = EntropyVector([1, 1, 1, 1, 1, 1, 1])  # violates MMI by -1


@pytest.mark.parametrize("scale", [1e-300, 1e-12, 1e-10, 1.0, 1e14, 1e15, 1e100, 1e300])
def test_ghz_violates_mmi_at_every_scale(scale):
    found = violations(scale * _GHZ4, "MMI")
    assert len(found) == 1 and found[0].slack == pytest.approx(-scale)


@settings(max_examples=25, deadline=None)
@given(min_cut_models(max_parties=4, max_bulk=2, max_edges=6, max_size=4, kinds=("small", "float"), min_parties=3),
       st.integers(-12, 15))
def test_rescaled_copies_get_the_same_verdicts(h, exponent):
    """Tiny and huge copies of a vector violate exactly the same instances."""
    v = h.entropy_vector()
    names = ["SA", "SSA", "MMI"] + (["ingleton"] if v.n_parties == 4 else [])
    base = {x.inequality for x in violations(v, names)}
    scaled = {x.inequality for x in violations(10.0**exponent * v, names)}
    assert scaled == base


@settings(max_examples=20, deadline=None)
@given(min_cut_models(max_parties=4, max_bulk=3, max_edges=10, max_size=4, kinds=("huge",), min_parties=3))
def test_huge_float_weights_give_no_false_sa_or_ssa_violations(h):
    """Hypergraph vectors obey SA and SSA; weights near 1e14-1e15 must not look otherwise."""
    assert violations(h.entropy_vector(), ["SA", "SSA"]) == []


# -- in_cone: scale invariant, atol as numpy means it ------------------------------------

_BELL_AB, _BELL_AC, _BELL_BC = [1, 1, 0, 0, 1, 1, 0], [1, 0, 1, 1, 0, 1, 0], [0, 1, 1, 1, 1, 0, 0]
_RAYS = [_BELL_AB, _BELL_AC, _BELL_BC]


@pytest.mark.parametrize("scale", [1e-100, 1e-9, 1.0, 1e9, 1e100])
def test_in_cone_gives_the_same_verdict_at_every_scale(scale):
    inside = scale * np.array([2, 1, 1, 1, 1, 2, 0.0])  # Bell AB + Bell AC
    res = in_cone(inside, rays=_RAYS)
    assert res.status == "inside"
    np.testing.assert_allclose(res.combination @ np.array(_RAYS, float), inside, rtol=1e-6,
                               atol=1e-6 * scale)
    outside = scale * _GHZ4.values  # GHZ is not a sum of Bell pairs
    res = in_cone(outside, rays=_RAYS)
    assert res.status == "outside"
    assert res.separating.evaluate(outside) == pytest.approx(res.slack) and res.slack < 0
    assert (res.separating.coefficients @ np.array(_RAYS, float).T >= -1e-9).all()
    assert in_cone(outside, inequalities="MMI").status == "outside"


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(0, 10), min_size=3, max_size=3), st.integers(-9, 100),
       st.integers(-50, 50))
def test_in_cone_of_scaled_rays_and_vectors_is_scale_free(weights, exponent, ray_exponent):
    rays = np.array(_RAYS, float) * 10.0**ray_exponent
    v = np.array(weights) @ np.array(_RAYS, float)
    if not v.any():
        v = np.array(_BELL_AB, float)
    for scale in (1.0, 10.0**exponent):
        assert in_cone(scale * v, rays=rays).status == "inside"
        assert in_cone(scale * (v + _GHZ4.values), rays=rays).status == "outside"


def test_in_cone_atol_is_absolute_and_rtol_relative():
    v = [1.0, 1.0, 2.5]  # SA slack -0.5
    assert in_cone(v, inequalities="SA").status == "outside"
    assert in_cone(v, inequalities="SA", atol=0.5).status == "inside"
    assert in_cone(v, inequalities="SA", rtol=0.2).status == "inside"
    assert in_cone(1e6 * np.array(v), inequalities="SA", atol=0.5).status == "outside"


def test_in_cone_zero_vector_is_inside_and_bad_rays_are_refused():
    assert in_cone([0, 0, 0, 0, 0, 0, 0], rays=_RAYS).status == "inside"
    with pytest.raises(ValueError, match="rays must be finite"):
        in_cone([1, 1, 0, 0, 1, 1, 0], rays=[[np.inf, 1, 0, 0, 1, 1, 0]])


# -- tiny vectors are not rounded to zero ------------------------------------------------------


@pytest.mark.parametrize("scale", [1e-15, 1e-10, 1.0, 1e6])
def test_canonical_of_a_rescaled_vector_is_the_rescaled_canonical(scale):
    v = EntropyVector([3.0, 1.0, 2.0])
    np.testing.assert_allclose((scale * v).canonical().values, scale * v.canonical().values,
                               rtol=1e-12, atol=0)
    np.testing.assert_allclose((scale * v.permute("BOA")).canonical().values,
                               scale * v.canonical().values, rtol=1e-12, atol=0)


def test_repr_keeps_tiny_entropies():
    assert repr(EntropyVector([1e-10, 2e-10, 3e-10])) == "EntropyVector(A=1e-10, B=2e-10, AB=3e-10)"
