"""Numba kernels of the certificate checker: boundary conditions and the contraction of every edge.

Written apart from the search kernels (:mod:`qinfo._kernels.contraction`) and
sharing no code with them, so that a bug in the search cannot hide in the check.
"""

from __future__ import annotations

from numba import njit

__all__ = ["boundary_holds", "edges_contract"]


@njit(cache=True)
def boundary_holds(img, lhs_masks, rhs_masks, n_parties):
    """Whether each party's lhs occurrence vector maps to its rhs occurrence vector.

    Party ``i`` (``0 <= i <= n_parties``; ``n_parties`` is the purifier, in
    no mask) occurs in term ``t`` when bit ``i`` of its mask is set; its lhs
    occurrence vector is the vertex ``sum_l (lhs_masks[l] >> i & 1) << l``.
    """
    L, R = lhs_masks.shape[0], rhs_masks.shape[0]
    for i in range(n_parties + 1):
        x = 0
        for l in range(L):
            x |= ((lhs_masks[l] >> i) & 1) << l
        for r in range(R):
            if img[x, r] != (rhs_masks[r] >> i) & 1:
                return False
    return True


@njit(cache=True)
def edges_contract(img, alpha, beta, tol):
    """Whether the ``beta``-weighted Hamming distance of the images across every edge is at most its ``alpha``.

    ``img[x]`` is the image of vertex ``x`` (coordinate ``l`` of ``x`` is ``x >> l & 1``);
    the edge ``x -- x | 2**l`` (bit ``l`` of ``x`` clear) has weight ``alpha[l]``.
    """
    P, R = img.shape
    L = alpha.shape[0]
    for x in range(P):
        for l in range(L):
            y = x | (1 << l)
            if y == x:
                continue
            d = 0.0
            for r in range(R):
                if img[x, r] != img[y, r]:
                    d += beta[r]
            if d > alpha[l] + tol:
                return False
    return True
