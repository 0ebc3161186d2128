"""Cut ranks of all graph states by Gray-code enumeration, compiled with Numba.

For the graph state of a graph with adjacency matrix ``Gamma`` the entropy of
a qubit set ``Q`` is ``rank_GF2(Gamma[Q, Q^c])`` bits. Graphs are numbered so
that graph ``g`` has edge ``e`` iff bit ``e`` of ``g ^ (g >> 1)`` is set
(Gray code): consecutive graphs differ by one edge ``(i, j)``, which flips one
entry of exactly the cut matrices with ``i`` and ``j`` on different sides. So
the enumeration keeps every cut matrix as a small bit field (at most 16 bits
for up to 8 qubits; rows = the smaller side), XORs a precomputed bit into the
ones the edge crosses, and reads their ranks from a lookup table. The vector
of ranks lives in a packed key (``bits_per_entry`` bits per entry), updated by
XOR as ranks change, and the distinct keys are counted in an open-addressing
hash table: nothing per graph is stored.

Layout (made by :func:`cut_tables`): cut ``s`` with ``r`` rows and ``c``
columns keeps entry ``(a, b)`` at bit ``a * c + b`` of its state, on top of a
block offset ``base[s]`` into ``lut`` that is a multiple of ``2 ** (r * c)``
(blocks are laid out largest first), so XORing bits below ``2 ** (r * c)``
keeps the offset and ``lut[state[s]]`` is the rank.

A hash table is a ``uint64`` array of shape ``(capacity, n_words + 1)``: a
key's words, then its count; count 0 marks an empty slot. The capacity is a
power of two and the table is regrown at 3/4 full.

Kernels
-------
enumerate_cut_keys
    Distinct packed rank vectors, with counts, of the graphs ``start <= g < stop``.
merge_keys
    Add (key, count) rows into a hash table.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["KERNEL_ARGS", "cut_tables", "enumerate_cut_keys", "merge_keys", "new_table", "table_items", "decode_keys"]

#: The entries of :func:`cut_tables` that :func:`enumerate_cut_keys` takes, in order.
KERNEL_ARGS = ("base", "edge_info", "edge_seg", "lut", "key_word", "key_shift")

_M1 = np.uint64(0xFF51AFD7ED558CCD)  # MurmurHash3's 64-bit finaliser
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_SH = np.uint64(33)
_ONE = np.uint64(1)
_BYTE, _MASK16 = np.uint64(0xFF), np.uint64(0xFFFF)  # fields of edge_info
_EIGHT, _TWENTY_FOUR = np.uint64(8), np.uint64(24)


def cut_tables(qubit_masks, n_qubits: int) -> dict:
    """Precomputed tables for :func:`enumerate_cut_keys`.

    Parameters
    ----------
    qubit_masks : sequence of int
        Bit mask of the qubit set ``Q`` of each entry of the vector.
    n_qubits : int
        1 to 8 (a cut matrix then has at most 16 entries).

    Returns
    -------
    dict
        ``base`` (uint32, per cut: its lookup-table block offset);
        ``edge_u``, ``edge_v`` (int64: the possible edges ``i < j``, in
        lexicographic order); per edge, the cuts it crosses ``edge_cut``
        (int32, padded, sorted), the bit it flips in each ``edge_mask``
        (uint32), the entry's shift in its key word ``edge_shift`` (uint64),
        all three packed into ``edge_info`` (uint64: cut, mask << 8,
        shift << 24; one load per update), and ``edge_seg`` (int64, shape
        (edges, n_words + 1): the crossed cuts of key word ``w`` are
        ``edge_seg[e, w]`` to ``edge_seg[e, w + 1]``);
        ``lut`` (uint8, ranks); ``key_word``, ``key_shift`` (int64, where
        each entry sits in the key); ``n_words`` and ``bits_per_entry``.

    Examples
    --------
    >>> t = cut_tables([0b001, 0b010, 0b011], 3)        # A, B, AB of qubits 0, 1 (+ 2)
    >>> t["edge_seg"].tolist(), t["bits_per_entry"], t["n_words"]
    ([[0, 2], [0, 2], [0, 2]], 1, 1)
    """
    n = int(n_qubits)
    if not 1 <= n <= 8:
        raise ValueError(f"n_qubits must be between 1 and 8 for the rank lookup table, got {n_qubits}")
    everything = (1 << n) - 1
    sides = []
    for q in qubit_masks:
        q = int(q) & everything
        side, other = (q, everything & ~q) if bin(q).count("1") <= n // 2 else (everything & ~q, q)
        sides.append(([v for v in range(n) if side >> v & 1], [v for v in range(n) if other >> v & 1]))
    n_cuts = len(sides)
    if n_cuts > 256:
        raise ValueError(f"qubit_masks: at most 256 cuts fit the packed edge tables, got {n_cuts}")
    shapes = sorted({(len(r), len(c)) for r, c in sides}, key=lambda rc: -(rc[0] * rc[1]))
    offsets, top = {}, 0
    for r, c in shapes:  # largest block first: every offset is a multiple of its block size
        offsets[(r, c)] = top
        top += 1 << (r * c)
    lut = np.zeros(top, dtype=np.uint8)
    for (r, c), off in offsets.items():
        lut[off : off + (1 << (r * c))] = small_ranks(r, c)
    base = np.array([offsets[(len(r), len(c))] for r, c in sides], dtype=np.uint32)
    bits = max([min(len(r), len(c)) for r, c in sides] + [1]).bit_length()
    per_word = 64 // bits
    key_word = np.arange(n_cuts, dtype=np.int64) // per_word
    key_shift = (np.arange(n_cuts, dtype=np.int64) % per_word) * bits
    n_words = max(1, -(-n_cuts // per_word))
    edges = [(i, j) for i in range(n) for j in range(i + 1, n)]
    width = max(1, n_cuts)
    edge_cut = np.zeros((len(edges), width), dtype=np.int32)
    edge_mask = np.zeros((len(edges), width), dtype=np.uint32)
    edge_seg = np.zeros((len(edges), n_words + 1), dtype=np.int64)
    for e, (i, j) in enumerate(edges):
        crossed = []
        for s, (rows, cols) in enumerate(sides):
            if (i in rows) != (j in rows):
                a, b = (i, j) if i in rows else (j, i)
                crossed.append((s, 1 << (rows.index(a) * len(cols) + cols.index(b))))
        edge_cut[e, : len(crossed)] = [s for s, _ in crossed]
        edge_mask[e, : len(crossed)] = [m for _, m in crossed]
        edge_seg[e] = np.searchsorted(key_word[[s for s, _ in crossed]], np.arange(n_words + 1))
    return {
        "base": base, "edge_u": np.array([e[0] for e in edges], dtype=np.int64),
        "edge_v": np.array([e[1] for e in edges], dtype=np.int64), "edge_cut": edge_cut,
        "edge_mask": edge_mask, "edge_shift": key_shift[edge_cut].astype(np.uint64),
        "edge_info": edge_cut.astype(np.uint64) | (edge_mask.astype(np.uint64) << np.uint64(8))
        | (key_shift[edge_cut].astype(np.uint64) << np.uint64(24)),
        "edge_seg": edge_seg, "lut": lut, "key_word": key_word, "key_shift": key_shift,
        "n_words": n_words, "bits_per_entry": bits,
    }


def small_ranks(r: int, c: int) -> np.ndarray:
    """GF(2) ranks of all ``r x c`` matrices, indexed by their row-major bits.

    The rank is ``r - log2(#row subsets that XOR to zero)``: those subsets
    are the left kernel, of dimension ``r - rank``.

    Examples
    --------
    >>> small_ranks(2, 2).tolist()    # [[a, b], [c, d]] at bits a=0, b=1, c=2, d=3
    [0, 1, 1, 1, 1, 1, 2, 2, 1, 2, 1, 2, 1, 2, 2, 1]
    """
    if r * c == 0:
        return np.zeros(1, dtype=np.uint8)
    m = np.arange(1 << (r * c), dtype=np.int64)
    rows = [(m >> (a * c)) & ((1 << c) - 1) for a in range(r)]
    zero = np.zeros(m.size, dtype=np.int64)
    for subset in range(1 << r):
        x = np.zeros(m.size, dtype=np.int64)
        for a in range(r):
            if subset >> a & 1:
                x ^= rows[a]
        zero += x == 0
    return (r - np.log2(zero).round().astype(np.int64)).astype(np.uint8)


def new_table(n_words: int, capacity: int = 1 << 12) -> np.ndarray:
    """An empty hash table for keys of ``n_words`` words (capacity rounded up to a power of two).

    Examples
    --------
    >>> new_table(2, 5).shape
    (8, 3)
    """
    return np.zeros((1 << max(3, int(capacity - 1).bit_length()), n_words + 1), dtype=np.uint64)


def table_items(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The occupied ``(keys, counts)`` of a hash table, in slot order.

    Examples
    --------
    >>> table_items(new_table(1, 8))[0].shape
    (0, 1)
    """
    used = table[:, -1] != 0
    return table[used, :-1], table[used, -1].astype(np.int64)


def decode_keys(keys: np.ndarray, tables: dict) -> np.ndarray:
    """Unpack keys into rank vectors, shape ``(m, n_cuts)``, uint8.

    Examples
    --------
    >>> t = cut_tables([0b001, 0b010, 0b011], 3)
    >>> decode_keys(np.array([[0b101]], dtype=np.uint64), t).tolist()
    [[1, 0, 1]]
    """
    words = keys[:, tables["key_word"]]
    shifted = words >> tables["key_shift"].astype(np.uint64)
    return (shifted & np.uint64((1 << tables["bits_per_entry"]) - 1)).astype(np.uint8)


@njit("int64(uint64[:, ::1], uint64[::1])", cache=True)
def _slot(table, key):
    """Where ``key`` is in the table, or the empty slot where it goes (linear probing)."""
    n_words = key.shape[0]
    h = np.uint64(0)
    for w in range(n_words):
        h ^= key[w]
        h ^= h >> _SH
        h *= _M1
        h ^= h >> _SH
        h *= _M2
        h ^= h >> _SH
    mask = table.shape[0] - 1
    j = np.int64(h & np.uint64(mask))
    while table[j, n_words] != 0:
        same = True
        for w in range(n_words):
            if table[j, w] != key[w]:
                same = False
                break
        if same:
            return j
        j = (j + 1) & mask
    return j


@njit("uint64[:, ::1](uint64[:, ::1], int64)", cache=True)
def _room_for(table, n_used):
    """``table``, or a copy at twice the capacity if one more key would make it 3/4 full."""
    if 4 * (n_used + 1) <= 3 * table.shape[0]:
        return table
    new = np.zeros((table.shape[0] * 2, table.shape[1]), dtype=np.uint64)
    n_words = table.shape[1] - 1
    for i in range(table.shape[0]):
        if table[i, n_words] != 0:
            j = _slot(new, table[i, :n_words])
            for w in range(n_words + 1):
                new[j, w] = table[i, w]
    return new


@njit("Tuple((uint64[:, ::1], int64))(uint64[:, ::1], int64, uint64[:, ::1], int64[::1])", cache=True)
def merge_keys(table, n_used, keys, counts):
    """Add each row of ``keys`` with weight ``counts`` (all >= 1) to a hash table.

    Parameters
    ----------
    table : numpy.ndarray of uint64, shape (capacity, n_words + 1)
        From :func:`new_table` or an earlier call.
    n_used : int
        Number of occupied slots.
    keys : numpy.ndarray of uint64, shape (m, n_words)
    counts : numpy.ndarray of int64, shape (m,)

    Returns
    -------
    (table, n_used)
        The table (a new, larger array whenever it grew) and its occupancy.

    Examples
    --------
    >>> import numpy as np
    >>> rows = np.array([[5], [7], [5]], dtype=np.uint64)
    >>> table, used = merge_keys(new_table(1, 8), 0, rows, np.array([1, 2, 3]))
    >>> used, sorted(table_items(table)[1].tolist())
    (2, [2, 4])
    """
    n_words = keys.shape[1]
    for i in range(keys.shape[0]):
        table = _room_for(table, n_used)
        j = _slot(table, keys[i])
        if table[j, n_words] == 0:
            for w in range(n_words):
                table[j, w] = keys[i, w]
            n_used += 1
        table[j, n_words] += np.uint64(counts[i])
    return table, n_used


@njit(
    "uint64[:, ::1](int64, int64, uint32[::1], uint64[:, ::1], int64[:, ::1], uint8[::1], int64[::1], int64[::1])",
    cache=True,
)
def enumerate_cut_keys(start, stop, base, edge_info, edge_seg, lut, key_word, key_shift):
    """Hash table of the distinct packed rank vectors of the graphs ``start <= g < stop``.

    Graph ``g`` has edge ``e`` iff bit ``e`` of ``g ^ (g >> 1)`` is set, so
    graph ``g`` differs from ``g - 1`` by edge ``e`` = the lowest set bit of
    ``g``; only the cuts that edge crosses change, by one XOR each.

    Parameters
    ----------
    start, stop : int
        Range of graph numbers, ``0 <= start <= stop <= 2**len(edges)``.
    base, edge_info, edge_seg, lut, key_word, key_shift
        From :func:`cut_tables` (``KERNEL_ARGS``).

    Returns
    -------
    numpy.ndarray of uint64, shape (capacity, n_words + 1)
        A hash table (see :func:`table_items`): each distinct vector's key
        (entry ``s`` at bit ``key_shift[s]`` of word ``key_word[s]``) and
        the number of graphs that give it.

    Examples
    --------
    >>> t = cut_tables([0b001, 0b010, 0b011], 3)
    >>> keys, counts = table_items(enumerate_cut_keys(0, 8, *[t[k] for k in KERNEL_ARGS]))
    >>> sorted(zip(decode_keys(keys, t).tolist(), counts.tolist()))
    [([0, 0, 0], 1), ([0, 1, 1], 1), ([1, 0, 1], 1), ([1, 1, 0], 1), ([1, 1, 1], 4)]
    """
    n_words = edge_seg.shape[1] - 1
    if start < 0 or stop > (1 << edge_seg.shape[0]):
        raise ValueError("start and stop must lie in range(2**n_edges + 1)")
    table = np.zeros((1 << 12, n_words + 1), dtype=np.uint64)
    if stop <= start:
        return table
    state = base.copy()
    gray = start ^ (start >> 1)
    for e in range(edge_seg.shape[0]):
        if (gray >> e) & 1:
            for k in range(edge_seg[e, n_words]):
                v = edge_info[e, k]
                state[np.int64(v & _BYTE)] ^= np.uint32((v >> _EIGHT) & _MASK16)
    key = np.zeros(n_words, dtype=np.uint64)
    for s in range(base.shape[0]):
        key[key_word[s]] |= np.uint64(lut[state[s]]) << np.uint64(key_shift[s])
    n_used = 0
    slot = 0
    for g in range(start, stop):
        changed = g == start
        if g > start:
            e = 0  # the edge flipped between gray(g - 1) and gray(g): lowest set bit of g
            while not (g >> e) & 1:
                e += 1
            for w in range(n_words):
                acc = np.uint64(0)
                for k in range(edge_seg[e, w], edge_seg[e, w + 1]):
                    v = edge_info[e, k]
                    s = np.int64(v & _BYTE)
                    old = state[s]
                    x = old ^ np.uint32((v >> _EIGHT) & _MASK16)
                    state[s] = x
                    acc |= np.uint64(lut[old] ^ lut[x]) << (v >> _TWENTY_FOUR)
                key[w] ^= acc
                changed |= acc != 0
        if changed:
            if 4 * (n_used + 1) > 3 * table.shape[0]:
                table = _room_for(table, n_used)
            slot = _slot(table, key)
            if table[slot, n_words] == 0:
                for w in range(n_words):
                    table[slot, w] = key[w]
                n_used += 1
        table[slot, n_words] += _ONE
    return table
