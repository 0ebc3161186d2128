"""Numba kernel of the certificate checker: the contraction of every hypercube edge.

Written apart from the search kernels (:mod:`qinfo._kernels.contraction`) and
sharing no code with them, so that a bug in the search cannot hide in the check.
"""

from __future__ import annotations

from numba import njit

__all__ = ["edges_contract"]


@njit(cache=True)
def edges_contract(img, alpha, beta, tol):
    """Whether ``beta``-weighted Hamming distance of the images across every edge is at most its ``alpha``.

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
