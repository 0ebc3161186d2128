"""The compiled sampler: every contraction strategy against the dense oracle, factor
reductions of the halves, memory that follows the cut, and no silently dropped eigenvalues."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo._random import as_generator
from qinfo.tensor_networks import RandomTensorNetwork
from qinfo.tensor_networks._spectra import spectrum_from_matrix

from ._oracles import dense_spectrum, random_networks


@st.composite
def networks(draw):
    """Small connected networks with pass legs, bulk leaves and boundary-boundary links."""
    net = draw(random_networks(max_bulk=5, max_dim=4, max_extra=4, boundary_links=True))
    return net, draw(st.sampled_from(["A", "B"]))


@settings(max_examples=80, deadline=None)
@given(networks(), st.integers(0, 2**32 - 1))
def test_every_method_equals_the_dense_oracle(case, seed):
    net, region = case
    oracle = dense_spectrum(net, region, seed)
    methods = ["direct", "auto"]
    try:
        net.compile_sampler(region, method="split")
        methods.append("split")
    except ValueError as exc:
        assert "method='split'" in str(exc)
    for method in methods:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # nothing dropped on these well-conditioned networks
            lam = net.sample_spectrum(region, seed=seed, normalize=False, method=method)
        np.testing.assert_allclose(lam, oracle[: lam.size], rtol=1e-8, atol=1e-12 * oracle[0])
        assert np.all(oracle[lam.size:] <= 1e-10 * oracle[0])
        assert np.all(lam > 0)


def test_a_dangling_leaf_is_a_norm_factor_and_split_applies_per_piece():
    # w is a bulk leaf hanging off A: its own piece, a pure state on A (one number, its
    # norm); the piece x - y joins a and b and has no cut strictly inside it
    g = nx.Graph([("a", "w"), ("a", "x"), ("a", "y"), ("x", "y"), ("x", "b"), ("y", "b"),
                  ("a", "b")])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim=2)
    for method in ("auto", "direct"):
        for seed in range(5):
            oracle = dense_spectrum(net, "A", seed)
            lam = net.sample_spectrum("A", seed=seed, normalize=False, method=method)
            np.testing.assert_allclose(lam, oracle[: lam.size], rtol=1e-9)
    with pytest.raises(ValueError, match="2 independent pieces .* none has a minimal cut"):
        net.compile_sampler("A", method="split")
    # with a chain x1 - x2 in the joining piece, "split" splits it and leaves w alone
    g = nx.Graph([("a", "w"), ("a", "x1"), ("x1", "x2"), ("x2", "b")])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]},
                              bond_dim={("a", "w"): 3, ("a", "x1"): 6, ("x1", "x2"): 2, ("x2", "b"): 6})
    assert net.compile_sampler("A", method="split").method == "mixed"
    for seed in range(3):
        oracle = dense_spectrum(net, "A", seed)
        lam = net.sample_spectrum("A", seed=seed, normalize=False, method="split")
        np.testing.assert_allclose(lam, oracle[: lam.size], rtol=1e-9)


def test_zero_schmidt_coefficients_give_no_zero_eigenvalues():
    g = nx.Graph([("a", "x"), ("x", "b"), ("a", "b")])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]},
                              link_spectra={("a", "x"): [0.5, 0.5, 0.0], ("x", "b"): [0.5, 0.5],
                                            ("a", "b"): [0.75, 0.25, 0.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = net.sample_spectra("A", 3, seed=1, progress=False)
    assert all(lam.size == 4 and np.all(lam > 0) for lam in s.spectra)
    assert s.n_dropped.tolist() == [0, 0, 0]


def _mps(n: int, chi: int = 8, p: int = 2) -> RandomTensorNetwork:
    """A chain x0 - ... - x(n-1) of bond chi, each x_i with a boundary leg p_i of dimension p."""
    g = nx.path_graph([f"x{i}" for i in range(n)])
    g.add_edges_from((f"x{i}", f"p{i}") for i in range(n))
    dims = {e: p if e[1].startswith("p") else chi for e in g.edges}
    regions = {"A": [f"p{i}" for i in range(n // 2)], "B": [f"p{i}" for i in range(n // 2, n)]}
    return RandomTensorNetwork(g, regions, bond_dim=dims)


def _mps_oracle(net: RandomTensorNetwork, n: int, seed) -> np.ndarray:
    """Normalised spectrum from explicit left and right transfer matrices (plain numpy)."""
    tensors = net.sample_tensors(seed=seed)
    mats = []
    for i in range(n):
        x = f"x{i}"
        edges = [frozenset(e) for e in net.edges if x in e]
        wanted = [frozenset((f"x{i - 1}", x)), frozenset((x, f"x{i + 1}")), frozenset((x, f"p{i}"))]
        t = tensors[x].conj()
        axes = [edges.index(w) for w in wanted if w in edges]
        t = np.transpose(t, axes)
        if i == 0:
            t = t[None]
        if i == n - 1:
            t = t[:, None]
        mats.append(t)  # (left, right, phys)
    left = np.ones((1, 1))
    for t in mats[: n // 2]:
        left = np.einsum("ab,arp,bsp->rs", left, t.conj(), t)
    right = np.ones((1, 1))
    for t in reversed(mats[n // 2:]):
        right = np.einsum("rs,arp,bsp->ab", right, t, t.conj())
    lam = np.sort(np.linalg.eigvals(left @ right).real)[::-1]
    return lam / lam.sum()


def test_long_region_behind_a_small_cut_is_contracted_from_the_cut():
    n = 36  # each half: 18 legs of dimension 2 (2**18 = 262144 rows) behind a cut of 8
    net = _mps(n)
    sampler = net.compile_sampler("A")
    assert sampler.method == "split" and sampler.rank == 8
    assert [h.reduce for h in sampler._plan.halves] == ["network", "network"]
    assert [h.row_dim for h in sampler._plan.halves] == [2**18, 2**18]
    # the largest array one sample builds: a few chi x chi x p blocks, not 2**18 x 8
    assert sampler.largest_array <= 8 * 8 * 2 * 8
    for seed in range(3):
        lam = net.sample_spectrum("A", seed=seed)
        assert lam.size == 8
        np.testing.assert_allclose(lam, _mps_oracle(net, n, seed), rtol=1e-8, atol=1e-14)


def test_network_reduction_equals_the_dense_matrix():
    net = _mps(16)  # 256 x 256: the dense direct pipeline still fits
    assert [h.reduce for h in net.compile_sampler("A")._plan.halves] == ["network", "network"]
    direct = net.compile_sampler("A", method="direct")
    assert direct.largest_array >= 256 * 256
    for seed in range(3):
        np.testing.assert_allclose(net.sample_spectrum("A", seed=seed),
                                   net.sample_spectrum("A", seed=seed, method="direct"),
                                   rtol=1e-8, atol=1e-14)
        np.testing.assert_allclose(net.sample_spectrum("A", seed=seed), _mps_oracle(net, 16, seed),
                                   rtol=1e-8, atol=1e-14)


def test_inner_cut_halves_are_reduced_by_herk_and_cholesky():
    d = 64
    g = nx.path_graph(["a", "x", "y", "b"])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim={("a", "x"): d, ("y", "b"): d},
                              link_spectra={("x", "y"): np.full(d // 8, 8 / d)})
    sampler = net.compile_sampler("A")
    assert sampler.method == "split" and [h.reduce for h in sampler._plan.halves] == ["herk", "herk"]
    rng = np.random.default_rng(3)
    tensors = sampler._plan.tensors(rng)
    for half in sampler._plan.halves:
        f = half.matrix(tensors)  # the factor F with F^dagger F = M^dagger M
        m = np.einsum(half.eq, *(tensors[k] for k in half.tensors)).reshape(half.row_dim, -1)
        assert f.shape == (d // 8, d // 8)
        np.testing.assert_allclose(f.conj().T @ f, m.conj().T @ m, rtol=1e-10, atol=1e-10)


def test_sixteen_vertex_chain_keeps_every_resolvable_eigenvalue_and_counts_the_rest():
    # the product of 16 Gaussian matrices: its smallest eigenvalues lie ~1e-35 below the
    # largest, under the Gram matrix's resolution (205 of 256 survived a Gram eigensolve)
    # and under the SVD's too (eps^2 ~ 5e-32): those are left out and counted
    g = nx.path_graph(["a"] + [f"x{i}" for i in range(16)] + ["b"])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim=256)
    sampler = net.compile_sampler("A")
    m = sampler._plan.matrix(sampler._plan.tensors(as_generator(0)))
    gram = spectrum_from_matrix(m) * sampler._plan.scale2
    assert gram.size < 240  # the Gram eigensolve alone loses many
    with pytest.warns(RuntimeWarning, match="below the numerical resolution") as record:
        lam = net.sample_spectrum("A", seed=0, normalize=False)
    kept = lam.size
    dropped = int(record[0].message.args[0].split()[0])
    assert kept + dropped == 256 and gram.size < kept
    assert np.all(lam > 256 * np.finfo(float).eps ** 2 * lam[0]) and np.all(np.diff(lam) <= 0)
    np.testing.assert_allclose(lam[:100], gram[:100], rtol=1e-8)  # the large ones agree
    with pytest.warns(RuntimeWarning):
        s = net.sample_spectra("A", 1, seed=0, progress=False)
    assert s.spectra[0].size + int(s.n_dropped[0]) == 256 and s.n_dropped[0] > 0  # another draw


def test_spectrum_from_matrix_recovers_small_singular_values_up_to_the_rank():
    m = np.diag([1.0, 1e-9, 1e-12]).astype(complex)
    assert spectrum_from_matrix(m).size == 1
    np.testing.assert_allclose(spectrum_from_matrix(m, rank=3), [1.0, 1e-18, 1e-24], rtol=1e-10)
    np.testing.assert_allclose(spectrum_from_matrix(m, rank=2), [1.0, 1e-18], rtol=1e-10)
    # exact zeros are never returned
    assert spectrum_from_matrix(np.diag([2.0, 0.0]), rank=2).tolist() == [4.0]
    with pytest.raises(ValueError, match="rank"):
        spectrum_from_matrix(m, rank=-1)
