"""The certificate checker's kernels against direct NumPy checks of the boundary conditions and edges."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo._kernels.checks import boundary_holds, edges_contract


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


def numpy_boundary_holds(img, lhs_masks, rhs_masks, n):
    party = np.arange(n + 1)[:, None]
    xs = ((lhs_masks[None, :] >> party) & 1) @ (1 << np.arange(len(lhs_masks)))
    ys = (rhs_masks[None, :] >> party) & 1
    return np.array_equal(img[xs], ys)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_boundary_holds_matches_numpy(n, L, R, seed):
    rng = np.random.default_rng(seed)
    lhs = rng.integers(1, 1 << n, L)
    rhs = rng.integers(1, 1 << n, R)
    img = rng.integers(0, 2, (1 << L, R)).astype(np.uint8)
    if seed % 2:  # a map that meets the boundary conditions, then perhaps one bit off
        party = np.arange(n + 1)[:, None]
        img[((lhs[None, :] >> party) & 1) @ (1 << np.arange(L))] = (rhs[None, :] >> party) & 1
        if seed % 4 == 1:
            x, r = rng.integers(0, 1 << L), rng.integers(0, R)
            img[x, r] ^= 1
    assert boundary_holds(img, lhs, rhs, n) == numpy_boundary_holds(img, lhs, rhs, n)
