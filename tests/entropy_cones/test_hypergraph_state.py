"""GHZ tensor-network states of hypergraphs, checked densely against min cuts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import Hypergraph
from qinfo.entropy_cones import hypergraph_state, state_entropy_vector
from tests.strategies import small_integer_hypergraphs


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 3).flatmap(lambda n: small_integer_hypergraphs(n_parties=n, max_bulk=0, max_edges=n + 2)))
def test_without_bulk_the_state_entropies_equal_the_min_cuts(h):
    psi, _ = hypergraph_state(h, seed=0)
    np.testing.assert_allclose(state_entropy_vector(psi).values, h.entropy_vector().values, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(small_integer_hypergraphs(n_parties=3, max_bulk=2, max_edges=6), st.integers(0, 2**32 - 1))
def test_with_bulk_the_state_entropies_never_exceed_the_min_cuts(h, seed):
    psi, _ = hypergraph_state(h, seed=seed)
    assert (state_entropy_vector(psi).values <= h.entropy_vector().values + 1e-9).all()


def test_a_random_bulk_tensor_falls_short_of_the_min_cut_and_this_is_reported():
    # A - x - B with unit weights: min cut 1 bit, but a random 2x2 bulk projection is not unitary
    h = Hypergraph([(("a", "x"), 1), (("x", "b"), 1)], {"a": "A", "b": "B"})
    psi, dims = hypergraph_state(h, seed=0)
    assert dims == (2, 2, 1)
    s = state_entropy_vector(psi)
    assert h.entropy_vector()["A"] == 1 and 0 < s["A"] < 1 - 1e-3


def test_ghz_and_bell_states_have_the_textbook_entropies():
    ghz = Hypergraph([(("a", "b", "c", "o"), 2)], {"a": "A", "b": "B", "c": "C", "o": "O"})
    psi, dims = hypergraph_state(ghz)
    assert dims == (4, 4, 4, 4)
    np.testing.assert_allclose(state_entropy_vector(psi).values, 2.0, atol=1e-12)


def test_hypergraph_state_rejects_float_weights_and_large_inputs():
    with pytest.raises(ValueError, match="integer"):
        hypergraph_state(Hypergraph([(("a", "o"), 0.5)], {"a": "A", "o": "O"}))
    with pytest.raises(ValueError, match="qubits"):
        hypergraph_state(Hypergraph([(("a", "o"), 12)], {"a": "A", "o": "O"}))
    with pytest.raises(TypeError, match="Hypergraph"):
        hypergraph_state("ab")
