"""Gray-code graph-state kernel against dense GF(2) elimination of every cut matrix."""

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo._kernels.graph_states import (
    KERNEL_ARGS,
    cut_tables,
    decode_keys,
    enumerate_cut_keys,
    merge_keys,
    new_table,
    small_ranks,
    table_items,
)


def dense_gf2_rank(m) -> int:
    """Gaussian elimination over GF(2) on a 0/1 integer matrix (independent of the kernels)."""
    m = np.array(m, dtype=np.int64) % 2
    rank = 0
    for c in range(m.shape[1] if m.ndim == 2 else 0):
        pivots = [r for r in range(rank, m.shape[0]) if m[r, c]]
        if not pivots:
            continue
        m[[rank, pivots[0]]] = m[[pivots[0], rank]]
        for r in range(m.shape[0]):
            if r != rank and m[r, c]:
                m[r] ^= m[rank]
        rank += 1
    return rank


def adjacency(n, g):
    """Graph number ``g``: edge e (lexicographic i < j) iff bit e of g ^ (g >> 1)."""
    gray = g ^ (g >> 1)
    adj = np.zeros((n, n), dtype=np.int64)
    for e, (i, j) in enumerate(itertools.combinations(range(n), 2)):
        if gray >> e & 1:
            adj[i, j] = adj[j, i] = 1
    return adj


def dense_vector(n, g, qubit_masks):
    adj = adjacency(n, g)
    out = []
    for q in qubit_masks:
        inside = [v for v in range(n) if q >> v & 1]
        outside = [v for v in range(n) if not q >> v & 1]
        out.append(dense_gf2_rank(adj[np.ix_(inside, outside)]) if inside and outside else 0)
    return tuple(out)


def kernel_counts(tables, start, stop):
    keys, counts = table_items(enumerate_cut_keys(start, stop, *[tables[k] for k in KERNEL_ARGS]))
    return Counter({tuple(v): int(c) for v, c in zip(decode_keys(keys, tables).tolist(), counts.tolist())})


@pytest.mark.parametrize("r, c", [(0, 5), (1, 1), (1, 7), (2, 3), (3, 2), (2, 6), (3, 5)])
def test_small_ranks_equal_dense_elimination_for_every_matrix(r, c):
    got = small_ranks(r, c)
    assert got.shape == (1 << (r * c),)
    for bits in range(1 << (r * c)):
        m = [[bits >> (a * c + b) & 1 for b in range(c)] for a in range(r)]
        assert got[bits] == (dense_gf2_rank(m) if r * c else 0), (r, c, bits)


def test_small_ranks_4x4_match_dense_elimination_on_a_sample_and_count_full_rank():
    got = small_ranks(4, 4)
    rng = np.random.default_rng(3)
    for bits in rng.integers(0, 1 << 16, 400):
        m = [[int(bits) >> (4 * a + b) & 1 for b in range(4)] for a in range(4)]
        assert got[bits] == dense_gf2_rank(m)
    # |GL(4, 2)| = (16 - 1)(16 - 2)(16 - 4)(16 - 8) = 20160 invertible matrices
    assert int((got == 4).sum()) == 20160


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_every_gray_code_graph_has_the_dense_cut_ranks(n):
    masks = list(range(1, 2 ** (n - 1)))  # every subset of the first n - 1 qubits
    tables = cut_tables(masks, n)
    n_graphs = 2 ** (n * (n - 1) // 2)
    for g in range(n_graphs):  # one graph per call: the kernel's own starting state
        assert kernel_counts(tables, g, g + 1) == Counter({dense_vector(n, g, masks): 1}), g
    whole = Counter(dense_vector(n, g, masks) for g in range(n_graphs))
    assert kernel_counts(tables, 0, n_graphs) == whole  # the incremental updates
    cut = min(3, n_graphs)  # a start that is not 0 checks the initial state
    assert kernel_counts(tables, cut, n_graphs) + kernel_counts(tables, 0, cut) == whole


def test_a_range_past_the_last_graph_is_refused():
    tables = cut_tables([1], 2)
    with pytest.raises(ValueError, match="range"):
        enumerate_cut_keys(0, 3, *[tables[k] for k in KERNEL_ARGS])


@pytest.mark.parametrize("n, masks", [(6, [0b000111, 0b111000, 0b101010, 0b000001, 0b011111, 0b111111]),
                                      (8, [0b00001111, 0b10000001, 0b00000001, 0b11111110, 0b01010101])])
def test_arbitrary_qubit_sets_on_a_random_stretch_of_graphs(n, masks):
    tables = cut_tables(masks, n)
    start = int(np.random.default_rng(n).integers(0, 2 ** (n * (n - 1) // 2) - 600))
    want = Counter(dense_vector(n, g, masks) for g in range(start, start + 600))
    assert kernel_counts(tables, start, start + 600) == want


def test_empty_range_gives_an_empty_table():
    tables = cut_tables([1, 2, 3], 3)
    assert table_items(enumerate_cut_keys(5, 5, *[tables[k] for k in KERNEL_ARGS]))[0].shape == (0, 1)


def test_keys_pack_entries_into_words_and_decode_back():
    tables = cut_tables(list(range(1, 128)), 8)  # ranks up to 4: 3 bits each, 21 per word
    assert tables["bits_per_entry"] == 3 and tables["n_words"] == 7  # ceil(127 / 21)
    rng = np.random.default_rng(0)
    vals = rng.integers(0, 5, (20, 127))
    keys = np.zeros((20, tables["n_words"]), dtype=np.uint64)
    for s in range(127):
        keys[:, tables["key_word"][s]] |= vals[:, s].astype(np.uint64) << np.uint64(tables["key_shift"][s])
    assert np.array_equal(decode_keys(keys, tables), vals)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3), st.integers(1, 5)), min_size=0, max_size=300),
       st.integers(1, 3))
def test_merge_keys_counts_like_a_counter_through_regrowth(rows, n_words):
    keys = np.array([[a, b, a ^ b][:n_words] for a, b, _ in rows], dtype=np.uint64).reshape(-1, n_words)
    counts = np.array([c for _, _, c in rows], dtype=np.int64)
    table, used = new_table(n_words, 8), 0
    for half in (slice(0, len(rows) // 2), slice(len(rows) // 2, None)):
        table, used = merge_keys(table, used, np.ascontiguousarray(keys[half]), np.ascontiguousarray(counts[half]))
    want = Counter()
    for k, c in zip(map(tuple, keys.tolist()), counts.tolist()):
        want[k] += c
    got_keys, got_counts = table_items(table)
    assert dict(zip(map(tuple, got_keys.tolist()), got_counts.tolist())) == dict(want)
    assert used == len(want) and 4 * used <= 3 * table.shape[0]


def test_cut_tables_refuses_more_than_8_qubits():
    with pytest.raises(ValueError, match="n_qubits"):
        cut_tables([1], 9)


# ----------------------------------------------------------------------------------------
# the 64-graph blocks, their local-complementation pairs and the hash table's growth,
# against an independent vectorised elimination
# ----------------------------------------------------------------------------------------
def numpy_cut_ranks(n, graphs, qubit_masks):
    """Rank of every cut of every graph number, shape (len(graphs), len(qubit_masks)), by XOR-basis elimination."""
    gray = np.asarray(graphs, dtype=np.int64) ^ (np.asarray(graphs, dtype=np.int64) >> 1)
    adj = np.zeros((gray.size, n), dtype=np.int64)  # bit j of adj[:, i]: edge (i, j)
    for e, (i, j) in enumerate(itertools.combinations(range(n), 2)):
        present = (gray >> e) & 1
        adj[:, i] |= present << j
        adj[:, j] |= present << i
    out = np.zeros((gray.size, len(qubit_masks)), dtype=np.uint8)
    everything = (1 << n) - 1
    for s, q in enumerate(qubit_masks):
        rows = [adj[:, v] & (everything & ~q) for v in range(n) if q >> v & 1]
        for a in range(len(rows)):  # rows[a] becomes a pivot; its lowest bit is cleared from the later rows
            low = rows[a] & -rows[a]
            for b in range(a + 1, len(rows)):
                rows[b] = rows[b] ^ np.where(rows[b] & low, rows[a], 0)
        out[:, s] = sum((r != 0 for r in rows), np.zeros(gray.size, dtype=np.int64))
    return out


def as_counter(ranks):
    rows, counts = np.unique(ranks, axis=0, return_counts=True)
    return Counter({tuple(r): int(c) for r, c in zip(rows.tolist(), counts.tolist())})


def test_every_6_qubit_graph_counted_with_its_local_complementation_pairs_matches_elimination():
    masks = list(range(1, 2**5))  # all graphs in one call: every pair of blocks is complete
    assert kernel_counts(cut_tables(masks, 6), 0, 2**15) == as_counter(numpy_cut_ranks(6, range(2**15), masks))


@pytest.mark.parametrize("start, stop", [(5 << 16, 6 << 16), (3 * 2**26 + 12345, 3 * 2**26 + 12345 + 2**15 + 77)])
def test_8_qubit_runs_of_blocks_match_elimination(start, stop):
    # qubit 7's cuts carry the outer entry of qubit 0's column; aligned runs pair graphs up to 2**10 blocks apart
    masks = [0b00000001, 0b10000000, 0b10000001, 0b01111110, 0b00001111, 0b11110000, 0b10101010, 0b11000011]
    got = kernel_counts(cut_tables(masks, 8), start, stop)
    assert got == as_counter(numpy_cut_ranks(8, range(start, stop), masks))


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 8), st.lists(st.integers(0, 255), min_size=1, max_size=6), st.integers(0, 2**28),
       st.integers(0, 700))
def test_any_qubit_sets_on_any_stretch_match_elimination(n, masks, where, length):
    n_graphs = 2 ** (n * (n - 1) // 2)
    masks = [q % (1 << n) for q in masks]
    start = where % n_graphs
    stop = min(n_graphs, start + length)  # blocks cut at both ends
    got = kernel_counts(cut_tables(masks, n), start, stop)
    assert got == (as_counter(numpy_cut_ranks(n, range(start, stop), masks)) if stop > start else Counter())


def test_a_table_that_grows_counts_like_the_sum_of_small_slices():
    masks = list(range(1, 2**7))  # 8 qubits, all 127 cuts: 40,000+ distinct vectors in 400,000 graphs
    tables = cut_tables(masks, 8)
    start, stop = 2**27 - 100001, 2**27 + 300003
    whole = kernel_counts(tables, start, stop)
    parts = Counter()
    for lo in range(start, stop, 25000):
        parts += kernel_counts(tables, lo, min(lo + 25000, stop))
    assert len(whole) > 2**14 and sum(whole.values()) == stop - start
    assert whole == parts
