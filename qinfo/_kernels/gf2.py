"""Linear algebra over GF(2) on bit-packed rows, compiled with Numba.

A binary matrix with ``k`` rows and ``m`` columns is stored as a ``uint64``
array of shape ``(k, ceil(m / 64))``: column ``c`` is bit ``c % 64`` of word
``c // 64`` (see :func:`pack_rows`). The kernels take and return plain NumPy
arrays, so they also run with ``NUMBA_DISABLE_JIT=1``.

Kernels
-------
gf2_rank
    Rank of a packed matrix (Gaussian elimination, one pivot bit at a time).
masked_ranks
    Ranks of the column-restrictions ``rows & masks[j]`` for many masks at
    once; this is how stabilizer entropies of many subsystems are computed.

The enumeration of all graph states (ranks of many tiny cut matrices, by
lookup table) is in :mod:`qinfo._kernels.graph_states`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["pack_rows", "gf2_rank", "masked_ranks"]

_ONE = np.uint64(1)
_ZERO = np.uint64(0)


def pack_rows(bits: np.ndarray) -> np.ndarray:
    """Pack a 0/1 matrix into ``uint64`` words, 64 columns per word.

    Parameters
    ----------
    bits : array_like, shape (k, m)
        Entries 0/1 (or booleans).

    Returns
    -------
    numpy.ndarray of uint64, shape (k, ceil(m / 64))
        Column ``c`` is bit ``c % 64`` of word ``c // 64``. At least one word
        per row, so ``m = 0`` gives shape ``(k, 1)``.

    Examples
    --------
    >>> pack_rows([[1, 0, 1], [0, 1, 1]])
    array([[5],
           [6]], dtype=uint64)
    """
    arr = np.asarray(bits)
    if arr.ndim != 2:
        raise ValueError(f"bits must be a two-dimensional 0/1 array, got shape {arr.shape}")
    k, m = arr.shape
    n_words = max(1, -(-m // 64))
    padded = np.zeros((k, n_words * 64), dtype=np.uint8)
    padded[:, :m] = arr != 0
    packed = np.packbits(padded, axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view("<u8").astype(np.uint64, copy=False).reshape(k, n_words)


@njit(cache=True)
def _rank_in_place(buf):
    """Row-echelon form of ``buf`` in place; returns the rank."""
    k, n_words = buf.shape
    rank = 0
    for w in range(n_words):
        while rank < k:
            pivot_row = -1
            for r in range(rank, k):
                if buf[r, w] != _ZERO:
                    pivot_row = r
                    break
            if pivot_row < 0:
                break
            if pivot_row != rank:
                for j in range(w, n_words):
                    tmp = buf[rank, j]
                    buf[rank, j] = buf[pivot_row, j]
                    buf[pivot_row, j] = tmp
            word = buf[rank, w]
            bit = word & (~word + _ONE)  # lowest set bit
            for r in range(rank + 1, k):
                if buf[r, w] & bit:
                    for j in range(w, n_words):
                        buf[r, j] ^= buf[rank, j]
            rank += 1
    return rank


@njit(cache=True)
def gf2_rank(rows):
    """Rank over GF(2) of a packed matrix (``rows`` is not modified).

    Parameters
    ----------
    rows : numpy.ndarray of uint64, shape (k, n_words)
        Packed rows, as made by :func:`pack_rows`.

    Returns
    -------
    int

    Examples
    --------
    >>> gf2_rank(pack_rows([[1, 1, 0], [0, 1, 1], [1, 0, 1]]))
    2
    """
    return _rank_in_place(rows.copy())


@njit(cache=True)
def masked_ranks(rows, masks):
    """Ranks of ``rows`` restricted to each column mask.

    Parameters
    ----------
    rows : numpy.ndarray of uint64, shape (k, n_words)
        Packed rows.
    masks : numpy.ndarray of uint64, shape (m, n_words)
        Packed column selections; entry ``j`` of the result is the rank of
        the columns of ``rows`` whose bit is set in ``masks[j]``.

    Returns
    -------
    numpy.ndarray of int64, shape (m,)

    Examples
    --------
    >>> rows = pack_rows([[1, 1, 0], [0, 1, 1]])
    >>> masked_ranks(rows, pack_rows([[1, 1, 1], [0, 1, 0], [0, 0, 0]]))
    array([2, 1, 0])
    """
    k, n_words = rows.shape
    out = np.empty(masks.shape[0], dtype=np.int64)
    buf = np.empty((k, n_words), dtype=np.uint64)
    for j in range(masks.shape[0]):
        for r in range(k):
            for w in range(n_words):
                buf[r, w] = rows[r, w] & masks[j, w]
        out[j] = _rank_in_place(buf)
    return out
