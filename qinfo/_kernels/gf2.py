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
graph_state_cut_ranks
    ``rank(Gamma[Q, Q^c])`` for a fixed list of qubit sets ``Q`` over a range
    of graphs ``Gamma`` enumerated in Gray-code order over the edges, with
    adjacency rows held as small-integer bit masks.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["pack_rows", "gf2_rank", "masked_ranks", "graph_state_cut_ranks"]

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


@njit(cache=True)
def graph_state_cut_ranks(start, stop, edge_u, edge_v, n_qubits, row_qubits, n_rows, col_masks):
    """``rank_GF2(Gamma[R_s, C_s])`` for graphs ``start <= g < stop`` in Gray-code order.

    Graph number ``g`` has edge ``e`` (between ``edge_u[e]`` and
    ``edge_v[e]``) iff bit ``e`` of ``g ^ (g >> 1)`` is set, so consecutive
    graphs differ by one edge and the adjacency bit masks are updated by one
    flip. Every ``g`` in ``[0, 2**len(edge_u))`` gives a distinct graph.

    Parameters
    ----------
    start, stop : int
        Range of graph numbers.
    edge_u, edge_v : numpy.ndarray of int64
        Endpoints of the possible edges (at most 62 of them).
    n_qubits : int
        Number of vertices (at most 62).
    row_qubits : numpy.ndarray of int64, shape (m, r_max)
        For cut ``s``, the vertices whose adjacency rows are used (the first
        ``n_rows[s]`` entries).
    n_rows : numpy.ndarray of int64, shape (m,)
    col_masks : numpy.ndarray of int64, shape (m,)
        For cut ``s``, the bit mask of the columns kept.

    Returns
    -------
    numpy.ndarray of uint8, shape (stop - start, m)
        Row ``t`` holds the ranks for graph ``start + t``.

    Examples
    --------
    >>> import numpy as np
    >>> one = np.array([0]); mask = np.array([2])       # rank of Gamma[{0}, {1}]
    >>> graph_state_cut_ranks(0, 2, one, np.array([1]), 2, one.reshape(1, 1), np.array([1]), mask)
    array([[0],
           [1]], dtype=uint8)
    """
    n_cuts = col_masks.shape[0]
    out = np.zeros((stop - start, n_cuts), dtype=np.uint8)
    adj = np.zeros(n_qubits, dtype=np.int64)
    basis = np.zeros(max(1, row_qubits.shape[1]), dtype=np.int64)
    gray = start ^ (start >> 1)
    for e in range(edge_u.shape[0]):
        if (gray >> e) & 1:
            adj[edge_u[e]] ^= np.int64(1) << edge_v[e]
            adj[edge_v[e]] ^= np.int64(1) << edge_u[e]
    for t in range(stop - start):
        g = start + t
        if t > 0:
            e = 0  # the edge flipped between gray(g - 1) and gray(g): lowest set bit of g
            while not (g >> e) & 1:
                e += 1
            adj[edge_u[e]] ^= np.int64(1) << edge_v[e]
            adj[edge_v[e]] ^= np.int64(1) << edge_u[e]
        for s in range(n_cuts):
            rank = 0
            cols = col_masks[s]
            for i in range(n_rows[s]):
                x = adj[row_qubits[s, i]] & cols
                for j in range(rank):  # xor basis: each step clears one basis leading bit
                    y = x ^ basis[j]
                    if y < x:
                        x = y
                if x != 0:
                    basis[rank] = x
                    rank += 1
            out[t, s] = rank
    return out
