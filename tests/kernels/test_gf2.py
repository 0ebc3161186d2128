"""GF(2) kernels against sympy's exact GF(2) arithmetic and direct sub-matrix ranks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import GF
from sympy.polys.matrices import DomainMatrix

from qinfo._kernels.gf2 import gf2_rank, masked_ranks, pack_rows

F2 = GF(2)


def sympy_rank(bits) -> int:
    bits = np.asarray(bits, dtype=int)
    if bits.size == 0:
        return 0
    return DomainMatrix([[F2(int(x)) for x in row] for row in bits], bits.shape, F2).rank()


def test_pack_rows_puts_column_c_in_bit_c_mod_64_of_word_c_div_64():
    bits = np.zeros((2, 130), dtype=int)
    bits[0, [0, 63, 64, 129]] = 1
    packed = pack_rows(bits)
    assert packed.dtype == np.uint64 and packed.shape == (2, 3)
    assert packed[0].tolist() == [1 | (1 << 63), 1, 1 << 1]
    assert packed[1].tolist() == [0, 0, 0]


@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (3, 5), (20, 70), (70, 20), (66, 130), (40, 200)])
@pytest.mark.parametrize("density", [0.1, 0.5])
def test_gf2_rank_matches_sympy_gf2_rank(shape, density):
    rng = np.random.default_rng(hash((shape, density)) % 2**32)
    for _ in range(3):
        bits = (rng.random(shape) < density).astype(np.uint8)
        if shape[0] > 3:  # force some dependencies
            bits[-1] = bits[0] ^ bits[1]
        assert gf2_rank(pack_rows(bits)) == sympy_rank(bits)


def test_gf2_rank_leaves_its_input_unchanged():
    packed = pack_rows(np.random.default_rng(1).integers(0, 2, (10, 90)))
    before = packed.copy()
    gf2_rank(packed)
    assert np.array_equal(packed, before)


def test_masked_ranks_equal_ranks_of_the_selected_columns():
    rng = np.random.default_rng(7)
    bits = rng.integers(0, 2, (12, 100))
    masks = rng.integers(0, 2, (25, 100))
    masks[0] = 0
    masks[1] = 1
    got = masked_ranks(pack_rows(bits), pack_rows(masks))
    want = [sympy_rank(bits[:, m.astype(bool)]) for m in masks]
    assert got.tolist() == want


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.integers(1, 80), st.integers(0, 2**32 - 1))
def test_rank_is_invariant_under_transpose_and_row_operations(k, m, seed):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, (k, m))
    r = gf2_rank(pack_rows(bits))
    assert r == gf2_rank(pack_rows(bits.T))
    assert r <= min(k, m)
    mixed = bits.copy()
    i, j = rng.integers(0, k, 2)
    if i != j:
        mixed[i] ^= mixed[j]
    assert gf2_rank(pack_rows(mixed)) == r
    assert gf2_rank(pack_rows(np.vstack([bits, bits[:1] ^ bits[-1:]]))) == r
