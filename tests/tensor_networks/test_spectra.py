"""Spectrum sampling against a dense numpy oracle, the exact replica sum and known limits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from math import comb

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.tensor_networks import (
    RandomTensorNetwork,
    entropy,
    predict_spectrum,
    replica_moment,
    sample_spectra,
    two_cut_network,
)

from ._oracles import dense_spectrum, random_networks


@st.composite
def small_networks(draw):
    """Connected random graphs, 1-4 bulk and 2-4 boundary vertices, small dims."""
    net = draw(random_networks())
    return net, draw(st.sampled_from(["A", "B", ["A", "B"]]))


@settings(max_examples=40, deadline=None)
@given(small_networks(), st.integers(0, 2**32 - 1))
def test_sampled_spectrum_equals_dense_oracle(case, seed):
    net, region = case
    oracle = dense_spectrum(net, region, seed)
    for method in ("direct", "auto"):
        lam = net.sample_spectrum(region, seed=seed, normalize=False, method=method)
        np.testing.assert_allclose(lam, oracle[: lam.size], rtol=1e-8, atol=1e-12 * oracle[0])
        assert np.all(oracle[lam.size:] <= 1e-10 * oracle[0])  # only numerical zeros left out


@settings(max_examples=40, deadline=None)
@given(random_networks(max_pieces=3, boundary_links=True), st.integers(0, 2**32 - 1))
def test_independent_bulk_pieces_are_sampled_as_a_tensor_product(net, seed):
    oracle = dense_spectrum(net, "A", seed)
    sampler = net.compile_sampler("A")
    lam = sampler.spectrum(seed=seed, normalize=False)
    np.testing.assert_allclose(lam, oracle[: lam.size], rtol=1e-8, atol=1e-12 * oracle[0])
    assert np.all(oracle[lam.size:] <= 1e-10 * oracle[0])
    assert lam.size <= sampler.rank  # crossing boundary links included (found in review)


def test_split_and_direct_agree_when_split_pays():
    g = nx.path_graph(["a", "x", "y", "b"])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]},
                              bond_dim={("a", "x"): 40, ("x", "y"): 5, ("y", "b"): 30},
                              link_spectra={("x", "y"): [0.4, 0.3, 0.15, 0.1, 0.05]})
    assert net.compile_sampler("A").method == "split"
    a = net.sample_spectrum("A", seed=11, method="split")
    b = net.sample_spectrum("A", seed=11, method="direct")
    np.testing.assert_allclose(a, b, rtol=1e-9)
    assert a.size == 5


def test_unique_minimal_cut_reproduces_its_link_spectrum():
    lam_cut = np.array([0.5, 0.3, 0.15, 0.05])
    g = nx.path_graph(["a", "x", "y", "b"])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim={("a", "x"): 4096, ("y", "b"): 4096},
                              link_spectra={("x", "y"): lam_cut})
    pred = predict_spectrum(net, "A")
    assert pred.regime == "unique cut"
    np.testing.assert_allclose(pred.cuts[0].spectrum, lam_cut)
    samples = sample_spectra(net, "A", 4, seed=5, progress=False)
    mean = np.mean([s for s in samples.spectra], axis=0)
    np.testing.assert_allclose(mean, lam_cut, rtol=0.03)


def test_catalan_moments_and_half_nat_deficit_for_two_flat_cuts():
    d = 256
    net = two_cut_network(d)
    samples = sample_spectra(net, "A", 8, seed=1, progress=False)
    x = d * samples.pooled()
    catalan = [comb(2 * n, n) // (n + 1) for n in range(1, 5)]
    moments = [np.mean(x**n) for n in range(1, 5)]
    np.testing.assert_allclose(moments, catalan, rtol=0.04)
    deficit = samples.von_neumann.mean() - np.log(d)
    assert abs(deficit + 0.5) < 0.01


REPLICA_CASES = {
    "single vertex, unequal flat": (nx.path_graph(["a", "x", "b"]), {("a", "x"): 2, ("x", "b"): 3}, {}),
    "chain, non-trivial link": (nx.path_graph(["a", "x", "y", "b"]), {("a", "x"): 2, ("x", "y"): 2,
                                ("y", "b"): 3}, {("x", "y"): [0.8, 0.2]}),
    "triangle with three parties": (nx.Graph([("a", "x"), ("x", "y"), ("y", "b"), ("x", "z"),
                                              ("z", "y"), ("z", "c")]),
                                    {("a", "x"): 3, ("x", "y"): 2, ("y", "b"): 2, ("x", "z"): 2,
                                     ("z", "y"): 2, ("z", "c"): 2}, {("a", "x"): [0.6, 0.3, 0.1]}),
}


@pytest.mark.parametrize("name", list(REPLICA_CASES))
def test_sampled_moments_match_exact_replica_sum(name):
    g, dims, spectra = REPLICA_CASES[name]
    regions = {"A": ["a"], "B": [v for v in ("b", "c") if v in g]}
    net = RandomTensorNetwork(g, regions, bond_dim=dims, link_spectra=spectra)
    samples = sample_spectra(net, "A", 4000, seed=3, normalize=False, progress=False)
    for n in (1, 2, 3):
        values = samples.moments(n)
        exact = replica_moment(net, "A", n)
        se = values.std(ddof=1) / np.sqrt(values.size)
        assert abs(values.mean() - exact) < 4 * se, (n, values.mean(), exact, se)


def test_replica_sum_closed_form_single_vertex():
    net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), {"A": ["a"], "B": ["b"]},
                              bond_dim={("a", "x"): 3, ("x", "b"): 5})
    assert replica_moment(net, "A", 1) == pytest.approx(1.0)
    assert replica_moment(net, "A", 2) == pytest.approx(1 / 3 + 1 / 5)


def test_samples_do_not_depend_on_executor():
    net = two_cut_network(6)
    serial = sample_spectra(net, "A", 5, seed=9, progress=False)
    with ThreadPoolExecutor(2) as ex:
        threaded = sample_spectra(net, "A", 5, seed=9, executor=ex, progress=False)
    for a, b in zip(serial.spectra, threaded.spectra):
        np.testing.assert_array_equal(a, b)


def test_normalized_spectra_sum_to_one_and_entropy_units():
    net = two_cut_network(8)
    nats = sample_spectra(net, "A", 3, seed=2, progress=False)
    bits = sample_spectra(net, "A", 3, seed=2, progress=False, base=2)
    for s in nats.spectra:
        assert s.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(bits.von_neumann, nats.von_neumann / np.log(2))
    assert np.all(nats.renyi(2) <= nats.von_neumann + 1e-12)
    assert np.all(nats.renyi(0) == pytest.approx(np.log(8)))


def test_entropy_rejects_bad_input():
    with pytest.raises(ValueError, match="base"):
        entropy(np.array([0.5, 0.5]), base=1)
    with pytest.raises(ValueError, match="non-negative"):
        entropy(np.array([-0.5, 1.5]))


def test_full_boundary_region_is_pure():
    net = two_cut_network(3)
    lam = net.sample_spectrum(["A", "B"], seed=0)
    np.testing.assert_allclose(lam, [1.0])
