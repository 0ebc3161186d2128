"""EntropyVector: canonical order, purity, symmetry, tolerances and helpers."""

from __future__ import annotations

import itertools
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones._vectors import MAX_PARTIES, parse_subset, subset_masks
from qinfo.entropy_cones import EntropyVector, party_letters, subset_labels


def vectors(min_n=1, max_n=4):
    return st.integers(min_n, max_n).flatmap(
        lambda n: st.lists(st.integers(0, 9), min_size=2**n - 1, max_size=2**n - 1).map(EntropyVector))


def _names(n):
    return party_letters(n) + "O"


def _all_subsets(n):
    names = _names(n)
    for size in range(0, n + 2):
        yield from ("".join(c) for c in itertools.combinations(names, size))


# --------------------------------------------------------------------------- order and access
def test_canonical_order_is_size_then_lexicographic():
    assert subset_labels(3) == ("A", "B", "C", "AB", "AC", "BC", "ABC")
    for n in range(1, 7):
        labels = subset_labels(n)
        assert len(labels) == 2**n - 1 == len(set(labels))
        assert list(labels) == sorted(labels, key=lambda s: (len(s), s))
        masks = subset_masks(n)
        assert [parse_subset(lab, n) for lab in labels] == [(m, False) for m in masks]


def test_party_letters_skip_the_purifier():
    assert party_letters(16) == "ABCDEFGHIJKLMNPQ"
    assert "O" not in party_letters(MAX_PARTIES)
    with pytest.raises(ValueError, match="n_parties"):
        party_letters(0)
    with pytest.raises(TypeError, match="n_parties"):
        party_letters(2.0)


def test_access_by_label_in_any_letter_order_and_as_array():
    v = EntropyVector([1, 2, 3, 4, 5, 6, 7])
    assert v["A"] == 1 and v["BC"] == 6 and v["CB"] == 6 and v[("C", "A")] == 5
    assert v.n_parties == 3 and len(v) == 7 and list(v) == [1, 2, 3, 4, 5, 6, 7]
    assert np.array_equal(np.asarray(v), v.values) and not v.values.flags.writeable
    assert v.labels == subset_labels(3)
    assert v.to_dict()["AC"] == 5 and v.entropy("AB") == 4


@given(vectors())
def test_purifier_entropies_follow_by_purity(v):
    n = v.n_parties
    letters = party_letters(n)
    for sub in _all_subsets(n):
        complement = "".join(c for c in _names(n) if c not in sub)
        assert v[sub] == v[complement]  # S(I) = S(complement), both within the N+1 parties
    assert v[""] == 0 and v[letters + "O"] == 0 and v["O"] == v[letters]


def test_from_dict_and_from_function_round_trip_and_refuse_gaps():
    v = EntropyVector([1, 1, 1, 2, 2, 2, 1])
    assert EntropyVector.from_dict(v.to_dict()) == v
    assert EntropyVector.from_dict({"BA": 0, "A": 1, "B": 1}) == EntropyVector([1, 1, 0])
    assert EntropyVector.from_function(3, len) == EntropyVector([1, 1, 1, 2, 2, 2, 3])
    with pytest.raises(ValueError, match="missing for subsets AB"):
        EntropyVector.from_dict({"A": 1, "B": 1}, n_parties=2)
    with pytest.raises(ValueError, match="given twice"):
        EntropyVector.from_dict({"A": 1, "B": 1, "AB": 0, "BA": 0}, n_parties=2)
    with pytest.raises(ValueError, match="ordinary parties only"):
        EntropyVector.from_dict({"A": 1, "O": 1, "AB": 0})


@pytest.mark.parametrize("values, match", [
    ([1, 2], "2\\*\\*N - 1"), ([], "2\\*\\*N - 1"), ([[1], [2], [3]], "one-dimensional"),
    ([1, float("nan"), 0], "not finite at B"),
])
def test_bad_values_are_rejected(values, match):
    with pytest.raises(ValueError, match=match):
        EntropyVector(values)


def test_bad_subset_labels_are_rejected():
    v = EntropyVector([1, 1, 0])
    with pytest.raises(ValueError, match="unknown party 'C'"):
        v["AC"]
    with pytest.raises(ValueError, match="twice"):
        v["AA"]
    with pytest.raises(ValueError, match="purifier O twice"):
        v["OO"]


# --------------------------------------------------------------------------- symmetry
def test_permute_examples_including_the_purifier():
    v = EntropyVector([1, 2, 3, 3, 2, 1, 0])
    assert v.permute({"A": "B", "B": "A"}) == EntropyVector([2, 1, 3, 3, 1, 2, 0])
    w = v.permute({"A": "O", "O": "A"})
    assert w["A"] == v["O"] == v["ABC"] and w["BC"] == v["BC"] and w["BO"] == v["AB"]
    assert v.permute("ABCO") == v and v.permute("BACO") == v.permute({"A": "B", "B": "A"})
    with pytest.raises(ValueError, match="not a permutation"):
        v.permute("AACO")
    with pytest.raises(ValueError, match="parties must be among"):
        v.permute({"A": "Z"})


@settings(max_examples=60)
@given(v=vectors(), data=st.data())
def test_permute_moves_every_entropy_to_the_image_set(v, data):
    names = _names(v.n_parties)
    image = data.draw(st.permutations(names))
    sigma = dict(zip(names, image))
    w = v.permute(sigma)
    for sub in _all_subsets(v.n_parties):
        assert w["".join(sigma[c] for c in sub)] == v[sub]


@settings(max_examples=60)
@given(v=vectors(), data=st.data())
def test_permutations_compose(v, data):
    names = _names(v.n_parties)
    s1 = dict(zip(names, data.draw(st.permutations(names))))
    s2 = dict(zip(names, data.draw(st.permutations(names))))
    assert v.permute(s1).permute(s2) == v.permute({c: s2[s1[c]] for c in names})


@settings(max_examples=40)
@given(v=vectors(max_n=3), data=st.data())
def test_canonical_is_the_largest_orbit_member_and_orbit_invariant(v, data):
    names = _names(v.n_parties)
    orbit = v.orbit()
    assert v in orbit
    assert math.factorial(v.n_parties + 1) % len(orbit) == 0  # orbit-stabiliser
    canon = v.canonical()
    assert canon in orbit
    assert tuple(canon.values) == max(tuple(u.values) for u in orbit)
    sigma = dict(zip(names, data.draw(st.permutations(names))))
    assert v.permute(sigma).canonical() == canon
    assert v.permute(sigma).orbit() == orbit


def test_orbit_sizes_of_known_states():
    assert len(EntropyVector([1, 1, 0]).orbit()) == 3  # a Bell pair among A, B, O
    assert len(EntropyVector([1, 1, 1]).orbit()) == 1  # GHZ / perfect tensor on 3
    assert len(EntropyVector([1, 1, 1, 2, 2, 2, 1]).orbit()) == 1  # 4-party perfect tensor
    assert EntropyVector([0, 1, 1]).canonical() == EntropyVector([1, 1, 0])


# --------------------------------------------------------------------------- comparison
def test_equality_hashing_and_tolerance():
    a = EntropyVector([1, 1, 0])
    b = EntropyVector([1, 1, 1e-12])
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != EntropyVector([1, 1, 1e-6])
    assert a.isclose(EntropyVector([1, 1, 1e-7]), atol=1e-6)
    assert not a.isclose(EntropyVector([1, 1, 1e-5]), atol=1e-6)
    assert not a.isclose(EntropyVector([1, 1, 1, 2, 2, 2, 1]))
    with pytest.raises(TypeError, match="EntropyVector"):
        a.isclose([1, 1, 0])
    assert a != [1, 1, 0]
    assert pickle.loads(pickle.dumps(a)) == a


def test_arithmetic():
    a = EntropyVector([1, 1, 0])
    assert a + a == 2 * a == a * 2 == EntropyVector([2, 2, 0])
    with pytest.raises(ValueError, match="2-party and a 3-party"):
        a + EntropyVector([1] * 7)


# --------------------------------------------------------------------------- information
def test_mutual_and_tripartite_information_of_known_states():
    bell = EntropyVector([1, 1, 0])
    assert bell.mutual_information("A", "B") == 2
    assert bell.mutual_information("A", "O") == 0
    ghz = EntropyVector([1, 1, 1, 1, 1, 1, 1])  # 4-party GHZ: every proper subset has S = 1
    assert ghz.tripartite_information("A", "B", "C") == 1  # violates MMI
    perfect = EntropyVector([1, 1, 1, 2, 2, 2, 1])
    assert perfect.tripartite_information("A", "B", "C") == -2
    assert perfect.conditional_mutual_information("A", "B", "C") == 2
    with pytest.raises(ValueError, match="disjoint"):
        perfect.mutual_information("AB", "B")


@given(vectors(min_n=3, max_n=4))
def test_information_helpers_match_their_definitions(v):
    s = v.__getitem__
    assert v.mutual_information("A", "BC") == s("A") + s("BC") - s("ABC")
    assert v.conditional_mutual_information("A", "B", "CO") == s("ACO") + s("BCO") - s("ABCO") - s("CO")
    i3 = s("A") + s("B") + s("C") - s("AB") - s("AC") - s("BC") + s("ABC")
    assert v.tripartite_information("A", "B", "C") == pytest.approx(i3)
    assert v.tripartite_information("A", "B", "C") == pytest.approx(
        v.mutual_information("A", "B") + v.mutual_information("A", "C") - v.mutual_information("A", "BC"))


def test_repr_names_every_subset_and_is_readable():
    assert repr(EntropyVector([1, 1, 0])) == "EntropyVector(A=1, B=1, AB=0)"
    assert repr(EntropyVector([0.5, 1 / 3, 2.0])) == "EntropyVector(A=0.5, B=0.333333, AB=2)"
