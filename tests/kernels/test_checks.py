"""The certificate checker's edge kernel against a direct NumPy check of every hypercube edge."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo._kernels.checks import edges_contract


def numpy_edges_contract(img, alpha, beta, tol):
    x = np.arange(len(img))
    for l in range(len(alpha)):
        lo = x[(x >> l & 1) == 0]
        if ((img[lo] != img[lo | (1 << l)]) @ beta > alpha[l] + tol).any():
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(1, 7), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
def test_edges_contract_matches_numpy(L, R, seed, density):
    rng = np.random.default_rng(seed)
    img = (rng.random((1 << L, R)) < density).astype(np.uint8)
    alpha = rng.integers(0, 4, L).astype(np.float64)
    beta = rng.choice([0.5, 1.0, 2.0], R)
    assert edges_contract(img, alpha, beta, 1e-9) == numpy_edges_contract(img, alpha, beta, 1e-9)


def test_edges_contract_sees_one_edge_too_long():
    # S_A + S_B >= S_AB: the map x -> x_A xor x_B contracts; breaking the image of vertex 3 does not
    img = np.array([[0], [1], [1], [0]], dtype=np.uint8)
    alpha, beta = np.ones(2), np.ones(1)
    assert edges_contract(img, alpha, beta, 1e-9)
    alpha[1] = 0.5  # the edges of coordinate 1 now allow less than the one bit that differs on them
    assert not edges_contract(img, alpha, beta, 1e-9)
