"""Cut ranks of all graph states, 64 graphs at a time, compiled with Numba.

For the graph state of a graph with adjacency matrix ``Gamma`` the entropy of
a qubit set ``Q`` is ``rank_GF2(Gamma[Q, Q^c])`` bits. Graphs are numbered so
that graph ``g`` has edge ``e`` (``(i, j)``, ``i < j``, in lexicographic
order) iff bit ``e`` of ``g ^ (g >> 1)`` is set (Gray code). The first
``m = min(n - 1, 6)`` edges are ``(0, 1), ..., (0, m)``, so an aligned block of
``2**m`` graph numbers is one *outer* graph (the other edges, fixed) with
every neighbourhood ``p`` of qubit 0 among qubits ``1..m`` (bit ``k`` of ``p``:
edge ``(0, k + 1)``), and consecutive blocks differ by one outer edge.

Each cut is written with its side ``R`` that does not hold qubit 0 as rows,
so its matrix is ``[M | x]`` with ``M = Gamma[R, R^c - {0}]`` and ``x`` the
column of qubit 0, and ``rank = rank(M) + [x not in colspan(M)]``. Per block,
``M`` and the entries of ``x`` set by outer edges (qubit 0 to qubits past
``m``, on 8 qubits) are fixed: a bit field of at most 13 bits, the cut's
*state*, whose lookup gives ``rank(M)`` and a 64-bit mask with bit ``p`` set
iff ``x`` is outside ``colspan(M)`` for neighbourhood ``p``. Transposing the
masks of 64 cuts gives, per ``p``, the cuts one above ``rank(M)``, so the rank
vectors of the block's graphs follow by bit-sliced addition, as bit planes
(plane ``j``: bit ``j`` of every rank), which are the keys counted in an
open-addressing hash table. A step to the next block flips one outer edge,
which XORs one bit into the states of the cuts it crosses (one lookup each);
the per-graph work is the transposed additions and the count. Local
complementation at qubit 0 keeps every entropy and pairs the graphs of most
neighbourhoods up, so about half of them are counted twice and the others
skipped (see :func:`enumerate_cut_keys`). At the end the distinct keys are
repacked into the layout below; nothing per graph is stored.

Layout (made by :func:`cut_tables`): the cut with rows ``R`` (``r`` of them)
and columns ``C`` (``c``) keeps entry ``(a, b)`` of ``M`` at bit ``a * c + b``
of its state and the outer entries of ``x`` above, on top of a block offset
``base[s]`` into ``lut_inc`` / ``lut_rank`` that is a multiple of the block's
size (blocks are laid out largest first), so XORing bits inside the block
keeps the offset. A returned key packs entry ``s`` (``bits_per_entry`` bits)
at bit ``key_shift[s]`` of word ``key_word[s]``.

A hash table is a ``uint64`` array of shape ``(capacity, n_words + 1)``: a
key's words, then its count; count 0 marks an empty slot. The capacity is a
power of two and the table is regrown at 3/4 full (the enumeration's own
table of bit-plane keys at 1/2, for short probes).

Kernels
-------
enumerate_cut_keys
    Distinct packed rank vectors, with counts, of the graphs ``start <= g < stop``.
merge_keys
    Add (key, count) rows into a hash table.
"""

from __future__ import annotations

import functools

import numpy as np
from numba import njit

__all__ = ["KERNEL_ARGS", "cut_tables", "enumerate_cut_keys", "merge_keys", "new_table", "table_items", "decode_keys"]

#: The entries of :func:`cut_tables` that :func:`enumerate_cut_keys` takes, in order.
KERNEL_ARGS = ("base", "edge_info", "edge_count", "lut_inc", "lut_rank", "pair_at", "pair_level", "key_word",
               "key_shift", "block_bits", "bits_per_entry")

_M1 = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, and MurmurHash3's finaliser constant
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_SH = np.uint64(32)
_ONE = np.uint64(1)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_TRANSPOSE_MASKS = np.array([0x00000000FFFFFFFF, 0x0000FFFF0000FFFF, 0x00FF00FF00FF00FF, 0x0F0F0F0F0F0F0F0F,
                             0x3333333333333333, 0x5555555555555555], dtype=np.uint64)
_BYTE, _MASK16 = np.uint64(0xFF), np.uint64(0xFFFF)  # fields of edge_info
_EIGHT, _SIXTY_THREE = np.uint64(8), np.uint64(63)


def cut_tables(qubit_masks, n_qubits: int) -> dict:
    """Precomputed tables for :func:`enumerate_cut_keys`.

    Parameters
    ----------
    qubit_masks : sequence of int
        Bit mask of the qubit set ``Q`` of each entry of the vector.
    n_qubits : int
        1 to 8 (a cut's state then has at most 13 bits).

    Returns
    -------
    dict
        ``base`` (uint32, per cut: its lookup block offset); ``edge_u``,
        ``edge_v`` (int64: the possible edges ``i < j``, in lexicographic
        order); per edge, the cuts whose state it flips ``edge_cut`` (int32,
        padded, sorted; none for the first ``block_bits`` edges, which the
        blocks enumerate) and the bit ``edge_mask`` (uint32), both packed
        into ``edge_info`` (uint64: cut, mask << 8; one load per update),
        and their number ``edge_count`` (int64); ``lut_inc`` (uint64, per
        state: the neighbourhoods of qubit 0 that raise the rank) and
        ``lut_rank`` (uint8, per state: ``rank(M)``); ``key_word``,
        ``key_shift`` (int64, where each entry sits in a returned key);
        ``block_bits`` (``m``), ``n_words`` and ``bits_per_entry``.

    Examples
    --------
    >>> t = cut_tables([0b001, 0b010, 0b011], 3)        # A, B, AB of qubits 0, 1 (+ 2)
    >>> t["edge_count"].tolist(), t["block_bits"], t["bits_per_entry"], t["n_words"]
    ([0, 0, 2], 2, 1, 1)
    """
    n = int(n_qubits)
    if not 1 <= n <= 8:
        raise ValueError(f"n_qubits must be between 1 and 8 for the rank lookup table, got {n_qubits}")
    everything = (1 << n) - 1
    m = min(n - 1, 6)
    cuts = []
    for q in qubit_masks:
        side = int(q) & everything
        side = everything & ~side if side & 1 else side  # the side without qubit 0
        cuts.append(tuple(v for v in range(1, n) if side >> v & 1))
    n_cuts = len(cuts)
    if n_cuts > 256:
        raise ValueError(f"qubit_masks: at most 256 cuts fit the packed edge tables, got {n_cuts}")
    cols = {rows: [v for v in range(1, n) if v not in rows] for rows in cuts}
    size = {rows: len(rows) * len(cols[rows]) + (rows[-1] > m if rows else 0) for rows in cuts}
    offsets, top, incs, ranks = {}, 0, [], []
    for rows in sorted(set(cuts), key=lambda r: (-size[r], r)):  # largest first: offsets are multiples of sizes
        offsets[rows] = top
        top += 1 << size[rows]
        inc, rank = _cut_lookup(rows, len(cols[rows]), m)
        incs.append(inc)
        ranks.append(rank)
    base = np.array([offsets[rows] for rows in cuts], dtype=np.uint32)
    bits = max([min(len(rows), n - len(rows)) for rows in cuts] + [1]).bit_length()
    per_word = 64 // bits
    key_word = np.arange(n_cuts, dtype=np.int64) // per_word
    key_shift = (np.arange(n_cuts, dtype=np.int64) % per_word) * bits
    edges = [(i, j) for i in range(n) for j in range(i + 1, n)]
    edge_cut = np.zeros((len(edges), max(1, n_cuts)), dtype=np.int32)
    edge_mask = np.zeros((len(edges), max(1, n_cuts)), dtype=np.uint32)
    edge_count = np.zeros(len(edges), dtype=np.int64)
    for e, (i, j) in enumerate(edges[m:], start=m):
        crossed = []
        for s, rows in enumerate(cuts):
            c = len(cols[rows])
            if i == 0 and j in rows:  # the entry of qubit 0's column in the last row (qubit 7)
                crossed.append((s, 1 << (len(rows) * c)))
            elif i > 0 and (i in rows) != (j in rows):
                a, b = (i, j) if i in rows else (j, i)
                crossed.append((s, 1 << (rows.index(a) * c + cols[rows].index(b))))
        edge_count[e] = len(crossed)
        edge_cut[e, : len(crossed)] = [s for s, _ in crossed]
        edge_mask[e, : len(crossed)] = [b for _, b in crossed]
    pair_at, pair_level = _pairs(n, m)
    return {
        "base": base, "edge_u": np.array([e[0] for e in edges], dtype=np.int64),
        "edge_v": np.array([e[1] for e in edges], dtype=np.int64), "edge_cut": edge_cut,
        "edge_mask": edge_mask, "edge_count": edge_count,
        "edge_info": edge_cut.astype(np.uint64) | (edge_mask.astype(np.uint64) << np.uint64(8)),
        "lut_inc": np.concatenate(incs) if incs else np.zeros(1, dtype=np.uint64),
        "lut_rank": np.concatenate(ranks) if ranks else np.zeros(1, dtype=np.uint8),
        "key_word": key_word, "key_shift": key_shift, "block_bits": m, "pair_at": pair_at,
        "pair_level": pair_level, "n_words": max(1, -(-n_cuts // per_word)), "bits_per_entry": bits,
    }


def _pairs(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The local-complementation pairs of :func:`enumerate_cut_keys`, as masks over the neighbourhoods ``p``.

    ``pair_at[e]``: the ``p`` (two or more qubits) whose first edge between
    two of its qubits is ``e``; ``pair_level[L]``: the ``p`` whose pairs
    differ only in the lowest ``L`` outer edges (counting the edges to the
    qubits past ``m`` too, which qubit 0 may have), so they lie in one
    aligned run of ``2**L`` blocks.
    """
    edges = [(i, j) for i in range(n) for j in range(i + 1, n)]
    pair_at = np.zeros(len(edges), dtype=np.uint64)
    pair_level = np.zeros(len(edges) - m + 1, dtype=np.uint64)
    for p in range(1 << m):
        inside = [v for v in range(1, m + 1) if p >> (v - 1) & 1]
        if len(inside) < 2:
            continue
        toggled = [e for e, (i, j) in enumerate(edges) if i in inside and (j in inside or j > m)]
        pair_at[edges.index((inside[0], inside[1]))] |= np.uint64(1 << p)
        pair_level[max(toggled) - m + 1 :] |= np.uint64(1 << p)
    return pair_at, pair_level


def _cut_lookup(rows: tuple, c: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Per state of the cut with these rows and ``c`` columns: the mask of raising neighbourhoods, and ``rank(M)``.

    Bit ``a`` of the column ``x`` of qubit 0 (row ``rows[a]``) is bit
    ``rows[a] - 1`` of the neighbourhood ``p`` for rows up to ``m``, and the
    state's top bit for a row past ``m`` (only qubit 7, the last row, on 8
    qubits).
    """
    r = len(rows)
    outer_row = bool(r) and rows[-1] > m
    rank, raised, outer = _shape_lookup(r, c, outer_row)
    p = np.arange(1 << m)
    inner = sum((((p >> (v - 1)) & 1) << a for a, v in enumerate(rows) if v <= m), np.zeros_like(p))
    bits = np.zeros((rank.size, 64), dtype=bool)
    if outer_row:
        row_start = (np.arange(rank.size) << r)[:, None]
        bits[:, : 1 << m] = raised.ravel()[row_start + (outer[:, None] ^ inner)]
    else:
        bits[:, : 1 << m] = raised[:, inner]
    return np.packbits(bits, axis=1, bitorder="little").view("<u8")[:, 0].astype(np.uint64), rank


@functools.lru_cache(maxsize=None)
def _shape_lookup(r: int, c: int, outer_row: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per state of an ``r x c`` cut (and outer entry of ``x`` in its last row): ``rank(M)``, ``raised``, ``outer``.

    ``raised[state, u]``: whether the column ``x = u`` (bit ``a``: row ``a``;
    the outer entry XORed in as ``outer[state]``) raises the rank, i.e.
    ``rank([M | x]) > rank(M)`` in :func:`small_ranks` tables. Computed once
    per shape (read-only arrays).
    """
    states = np.arange(1 << (r * c + outer_row), dtype=np.int64)
    rank = _rank_table(r, c)[states & ((1 << (r * c)) - 1)]
    spread = sum((((states >> (a * c)) & ((1 << c) - 1)) << (a * (c + 1)) for a in range(r)), np.zeros_like(states))
    u = np.arange(1 << r)
    column = sum((((u >> a) & 1) << (a * (c + 1) + c) for a in range(r)), np.zeros_like(u))  # x = u, last column
    raised = _rank_table(r, c + 1)[spread[:, None] + column] > rank[:, None]
    outer = ((states >> (r * c)) & 1) << (r - 1) if outer_row else np.zeros_like(states)
    for arr in (rank, raised, outer):
        arr.flags.writeable = False
    return rank, raised, outer


@functools.lru_cache(maxsize=None)
def _rank_table(r: int, c: int) -> np.ndarray:
    """:func:`small_ranks`, computed once per shape (read-only)."""
    table = small_ranks(r, c)
    table.flags.writeable = False
    return table


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
    bits = tables["bits_per_entry"]
    per_word = 64 // bits
    keys = np.ascontiguousarray(keys, dtype="<u8")
    planes = np.unpackbits(keys.view(np.uint8), axis=1, bitorder="little").reshape(len(keys), keys.shape[1], 64)
    planes = planes[:, :, : per_word * bits].reshape(len(keys), keys.shape[1] * per_word, bits)
    out = planes[:, :, 0].copy()
    for j in range(1, bits):
        out |= planes[:, :, j] << j
    return out[:, : tables["key_word"].size]


@njit("uint64(uint64[::1])", cache=True)
def _hash(key):
    """A multiplicative hash of a key's words; its low bits pick the slot."""
    h = np.uint64(0)
    for w in range(key.shape[0]):
        h = (h ^ key[w]) * _M1
        h ^= h >> _SH
    h *= _M2
    return h ^ (h >> _SH)


@njit("int64(uint64[:, ::1], uint64[::1])", cache=True)
def _slot(table, key):
    """Where ``key`` is in the table, or the empty slot where it goes (linear probing)."""
    n_words = key.shape[0]
    mask = table.shape[0] - 1
    j = np.int64(_hash(key) & np.uint64(mask))
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


def enumerate_cut_keys(start, stop, base, edge_info, edge_count, lut_inc, lut_rank, pair_at, pair_level, key_word,
                       key_shift, block_bits, bits_per_entry):
    """Hash table of the distinct packed rank vectors of the graphs ``start <= g < stop``.

    Graph ``g`` has edge ``e`` iff bit ``e`` of ``g ^ (g >> 1)`` is set. The
    graphs are taken a block of ``2**block_bits`` numbers at a time (one
    outer graph, every neighbourhood ``p`` of qubit 0 among qubits
    ``1..block_bits``); blocks cut by ``start`` or ``stop`` count only their
    graphs in the range. The compiled part counts the bit-plane keys; their
    few distinct rows are repacked here.

    Local complementation at qubit 0 toggles the edges among its neighbours
    and keeps every entropy, so with ``|p| >= 2`` the outer graphs pair up
    (``G`` and ``G`` with the edges among the neighbours toggled) with equal
    vectors, and exactly one of each pair lacks the first edge ``e_p``
    between two qubits of ``p``: that one is counted twice and the other
    skipped, wherever the pair lies in an aligned run of blocks inside the
    range (so both graphs are counted here).

    Parameters
    ----------
    start, stop : int
        Range of graph numbers, ``0 <= start <= stop <= 2**len(edges)``.
    base, edge_info, edge_count, lut_inc, lut_rank, pair_at, pair_level, key_word, key_shift, block_bits, bits_per_entry
        From :func:`cut_tables` (``KERNEL_ARGS``).

    Returns
    -------
    numpy.ndarray of uint64, shape (capacity, n_words + 1)
        A hash table (see :func:`table_items`): each distinct vector's key
        (entry ``s`` at bit ``key_shift[s]`` of word ``key_word[s]``) and
        the number of graphs that give it.

    Raises
    ------
    ValueError
        ``start`` or ``stop`` outside ``range(2**len(edges) + 1)``.

    Examples
    --------
    >>> t = cut_tables([0b001, 0b010, 0b011], 3)
    >>> keys, counts = table_items(enumerate_cut_keys(0, 8, *[t[k] for k in KERNEL_ARGS]))
    >>> sorted(zip(decode_keys(keys, t).tolist(), counts.tolist()))
    [([0, 0, 0], 1), ([0, 1, 1], 1), ([1, 0, 1], 1), ([1, 1, 0], 1), ([1, 1, 1], 4)]
    """
    planes, counts = table_items(_count_planes(start, stop, base, edge_info, edge_count, lut_inc, lut_rank, pair_at,
                                               pair_level, block_bits, bits_per_entry))
    n_cuts, n_words = key_word.size, (int(key_word[-1]) + 1 if key_word.size else 1)
    n_cw = max(1, -(-n_cuts // 64))
    bits = np.unpackbits(planes.astype("<u8").view(np.uint8), axis=1, bitorder="little")
    bits = bits.reshape(len(planes), planes.shape[1], 64)
    ranks = np.zeros((len(planes), n_cuts), dtype=np.uint64)
    for j in range(bits_per_entry):
        ranks |= bits[:, j * n_cw : (j + 1) * n_cw].reshape(len(planes), 64 * n_cw)[:, :n_cuts].astype(np.uint64) << j
    keys = np.zeros((len(planes), n_words), dtype=np.uint64)
    for s in range(n_cuts):
        keys[:, key_word[s]] |= ranks[:, s] << np.uint64(key_shift[s])
    return merge_keys(new_table(n_words, 2 * len(keys)), 0, keys, counts)[0]


@njit(
    "uint64[:, ::1](int64, int64, uint32[::1], uint64[:, ::1], int64[::1], uint64[::1], uint8[::1], uint64[::1], "
    "uint64[::1], int64, int64)",
    cache=True,
)
def _count_planes(start, stop, base, edge_info, edge_count, lut_inc, lut_rank, pair_at, pair_level, block_bits,
                  bits_per_entry):
    """The count of :func:`enumerate_cut_keys`: a hash table of bit-plane keys (plane ``j``, cut word ``w``: word ``j n_cw + w``)."""
    n_edges = edge_info.shape[0]
    if start < 0 or stop > (1 << n_edges):
        raise ValueError("start and stop must lie in range(2**n_edges + 1)")
    n_cuts = base.shape[0]
    n_cw = max(1, (n_cuts + 63) // 64)  # words of 64 cuts per bit plane
    n_key = max(2, bits_per_entry * n_cw)  # plane j, cut word w at key word j * n_cw + w (the rest zero)
    table = np.zeros((1 << 15, n_key + 1), dtype=np.uint64)
    if stop <= start:
        return table
    m = block_bits
    n_pat = 1 << m
    n_outer = n_edges - m
    full = _ALL >> np.uint64(64 - n_pat)
    first_full = (start + n_pat - 1) >> m
    stop_full = stop >> m
    n_used = 0
    state = base.copy()
    first = start >> m
    outer_gray = first ^ (first >> 1)
    paired = np.uint64(0)  # the p whose e_p is in the current outer graph
    for e in range(m, n_edges):
        if (outer_gray >> (e - m)) & 1:
            paired ^= pair_at[e]
            for k in range(edge_count[e]):
                v = edge_info[e, k]
                state[np.int64(v & _BYTE)] ^= np.uint32((v >> _EIGHT) & _MASK16)
    inc = np.zeros(64 * n_cw, dtype=np.uint64)
    planes = np.zeros(n_key, dtype=np.uint64)  # bit planes of rank(M)
    for s in range(n_cuts):
        inc[s] = lut_inc[state[s]]
        for j in range(bits_per_entry):
            planes[j * n_cw + (s >> 6)] |= np.uint64((lut_rank[state[s]] >> j) & 1) << np.uint64(s & 63)
    trans = np.zeros(64 * n_cw, dtype=np.uint64)  # word 64 w + p, bit s: cut 64 w + s raised by p
    keys = np.zeros((64, n_key), dtype=np.uint64)  # the block's keys, their home slots and weights
    slots = np.zeros(64, dtype=np.int64)
    weights = np.zeros(64, dtype=np.uint64)
    for blk in range(first, ((stop - 1) >> m) + 1):
        if blk > first:
            e = 0  # the outer edge flipped between blocks blk - 1 and blk: lowest set bit of blk
            while not (blk >> e) & 1:
                e += 1
            e += m
            paired ^= pair_at[e]
            for k in range(edge_count[e]):
                v = edge_info[e, k]
                s = np.int64(v & _BYTE)
                x = state[s] ^ np.uint32((v >> _EIGHT) & _MASK16)
                state[s] = x
                inc[s] = lut_inc[x]
                bit = _ONE << (np.uint64(s) & _SIXTY_THREE)
                w = s >> 6
                for j in range(bits_per_entry):
                    if (lut_rank[x] >> j) & 1:
                        planes[j * n_cw + w] |= bit
                    else:
                        planes[j * n_cw + w] &= ~bit
        lo = blk << m
        active = full
        if blk < first_full or blk >= stop_full:
            active = np.uint64(0)
            for g in range(max(lo, start), min(lo + n_pat, stop)):
                active |= _ONE << np.uint64((g ^ (g >> 1)) & (n_pat - 1))
            halved = np.uint64(0)
        else:
            level = 0  # the largest run of 2**level blocks around blk inside the full blocks
            while level < n_outer and (blk >> (level + 1)) << (level + 1) >= first_full and \
                    ((blk >> (level + 1)) + 1) << (level + 1) <= stop_full:
                level += 1
            halved = pair_level[level]
        active &= ~(halved & paired)
        trans[:] = inc
        for w in range(n_cw):  # 64 x 64 bit transpose of each word's block (Hacker's Delight 7-3)
            o = 64 * w
            for lvl in range(6):
                half = 32 >> lvl
                sh = np.uint64(half)
                low = _TRANSPOSE_MASKS[lvl]
                for b0 in range(o, o + 64, 2 * half):
                    for k in range(b0, b0 + half):
                        t = ((trans[k] >> sh) ^ trans[k + half]) & low
                        trans[k] ^= t << sh
                        trans[k + half] ^= t
        if 2 * (n_used + n_pat) > table.shape[0]:  # kept at most half full: short probes
            table = _room_for(table, table.shape[0])  # (told it is full: doubles it)
        mask = table.shape[0] - 1
        nb = 0
        for p in range(n_pat):  # all keys and hashes first, then the probes: their cache misses overlap
            if not (active >> np.uint64(p)) & _ONE:
                continue
            for w in range(n_cw):  # ripple-carry add of the raised cuts to rank(M), plane by plane
                carry = trans[64 * w + p]
                for j in range(bits_per_entry):
                    b = planes[j * n_cw + w]
                    keys[nb, j * n_cw + w] = b ^ carry
                    carry &= b
            h = np.uint64(0)  # _hash, inlined (a call per key costs more than the probe)
            for w in range(n_key):
                h = (h ^ keys[nb, w]) * _M1
                h ^= h >> _SH
            h *= _M2
            h ^= h >> _SH
            slots[nb] = np.int64(h & np.uint64(mask))
            weights[nb] = _ONE + ((halved >> np.uint64(p)) & _ONE)
            nb += 1
        for i in range(nb):
            slot = slots[i]
            while table[slot, n_key] != 0:
                if table[slot, 0] == keys[i, 0] and table[slot, 1] == keys[i, 1]:
                    same = True
                    for w in range(2, n_key):
                        if table[slot, w] != keys[i, w]:
                            same = False
                            break
                    if same:
                        break
                slot = (slot + 1) & mask
            if table[slot, n_key] == 0:
                for w in range(n_key):
                    table[slot, w] = keys[i, w]
                n_used += 1
            table[slot, n_key] += weights[i]
    return table
