"""Free-probability laws against random matrices, non-crossing sums and closed forms."""

from __future__ import annotations

from math import comb

import networkx as nx
import numpy as np
import pytest
from scipy import stats

from qinfo.tensor_networks import (
    AtomicMeasure,
    MarchenkoPastur,
    RandomTensorNetwork,
    free_cumulants,
    free_multiplicative_convolution,
    ks_distance,
    min_entropy_estimate,
    noncrossing_moments,
    noncrossing_partitions,
    predict_entropy,
    predict_spectrum,
    two_cut_network,
)



def _wishart_eigs(n, m, seed, reps=2):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(reps):
        x = (rng.standard_normal((n, m)) + 1j * rng.standard_normal((n, m))) / np.sqrt(2 * m)
        out.append(np.linalg.eigvalsh(x @ x.conj().T))
    return np.concatenate(out)


@pytest.mark.parametrize("c", [0.25, 1.0, 2.0])
def test_marchenko_pastur_matches_wishart_eigenvalues(c):
    n = 400
    eigs = _wishart_eigs(n, int(round(n / c)), seed=1)
    mp = MarchenkoPastur(c)
    np.testing.assert_allclose([np.mean(eigs**k) for k in (1, 2, 3)], mp.moments(3), rtol=0.02)
    nonzero = eigs[eigs > 1e-8]
    assert nonzero.size / eigs.size == pytest.approx(1 - mp.atom, abs=1e-3)
    continuous = (lambda x: (mp.cdf(x) - mp.atom) / (1 - mp.atom))
    assert stats.kstest(nonzero, continuous).statistic < 0.02


@pytest.mark.parametrize("c", [0.5, 1.0, 3.0])
def test_marchenko_pastur_density_cdf_and_sampling_agree(c):
    from scipy.integrate import quad

    mp = MarchenkoPastur(c)
    a, b = mp.support
    assert quad(mp.pdf, a, b, limit=200)[0] == pytest.approx(1 - mp.atom, abs=1e-6)
    assert mp.cdf(1.0) - mp.cdf(a) == pytest.approx(quad(mp.pdf, a, 1.0, limit=200)[0], abs=1e-6)
    draws = mp.sample(20000, seed=4)
    assert np.mean(draws == 0) == pytest.approx(mp.atom, abs=0.015)
    continuous = (lambda x: (mp.cdf(x) - mp.atom) / (1 - mp.atom))
    assert stats.kstest(draws[draws > 0], continuous).statistic < 0.015
    assert np.mean(draws**2) == pytest.approx(mp.moments(2)[1], rel=0.03)


def test_marchenko_pastur_rejects_bad_ratio():
    with pytest.raises(ValueError, match="ratio"):
        MarchenkoPastur(0)


def test_noncrossing_partitions_are_catalan_many():
    assert [len(noncrossing_partitions(n)) for n in range(1, 8)] == [comb(2 * n, n) // (n + 1)
                                                                      for n in range(1, 8)]


def test_free_poisson_cumulants_and_fuss_catalan_products():
    np.testing.assert_allclose(free_cumulants(MarchenkoPastur(0.5).moments(5)), 0.5 ** np.arange(5))
    fuss = [comb(3 * n, n) // (2 * n + 1) for n in range(1, 7)]
    np.testing.assert_allclose(noncrossing_moments([MarchenkoPastur(1)] * 2, 6), fuss)


def test_convolution_density_matches_random_matrices_with_atomic_factors():
    d = 800
    la = np.repeat([1.0, 3.0], d // 2) / (2 * d)
    lb = np.repeat([1.0, 0.2], [d // 4, d - d // 4])
    lb /= lb.sum()
    rng = np.random.default_rng(7)
    eigs = []
    for _ in range(2):
        v = (rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))) / np.sqrt(2)
        m = np.sqrt(la)[:, None] * v * np.sqrt(lb)[None, :]
        eigs.append(d * np.linalg.eigvalsh(m @ m.conj().T))
    eigs = np.concatenate(eigs)
    factors = [AtomicMeasure.from_spectrum(la), MarchenkoPastur(1), AtomicMeasure.from_spectrum(lb)]
    edges = np.linspace(0.2, eigs.max(), 25)
    hist, _ = np.histogram(eigs, edges)
    hist = hist / (eigs.size * np.diff(edges))
    centres = (edges[1:] + edges[:-1]) / 2
    dens = free_multiplicative_convolution(factors, centres)
    np.testing.assert_allclose(dens, hist, rtol=0.15, atol=0.004)


def test_convolution_density_moments_match_noncrossing_sums():
    lam = np.array([0.1, 0.2, 0.3, 0.4])
    factors = [AtomicMeasure.from_spectrum(lam), MarchenkoPastur(0.5)]
    x = np.linspace(1e-6, 2.2 * 1.6 * 2.92, 40001)
    p = free_multiplicative_convolution(factors, x)
    nc = noncrossing_moments(factors, 3)
    got = [np.trapezoid(x**k * p, x) for k in (1, 2, 3)]
    np.testing.assert_allclose(got, nc, rtol=2e-3)
    assert np.trapezoid(p, x) == pytest.approx(1.0, abs=2e-3)


def test_two_cut_spectrum_within_ks_002_of_prediction():
    net = two_cut_network(512, links="two-level")
    pred = predict_spectrum(net, "A")
    assert pred.regime == "two cuts" and pred.dimension == 512
    samples = net.sample_spectra("A", 3, seed=2, progress=False)
    assert ks_distance(samples, pred) <= 0.02


def test_cuts_in_series_spectrum_within_ks_002_of_prediction():
    d = 512
    g = nx.path_graph(["a", "x", "y", "b"])
    lam = np.repeat([1.0, 4.0], d // 2)
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim=d,
                              link_spectra={("x", "y"): lam / lam.sum()})
    pred = predict_spectrum(net, "A")
    assert pred.regime == "cuts in series" and len(pred.cuts) == 3
    samples = net.sample_spectra("A", 3, seed=3, progress=False)
    assert ks_distance(samples, pred) <= 0.02


def test_flat_two_cut_entropy_prediction_is_log_d_minus_half():
    net = two_cut_network(100)
    assert predict_entropy(net, "A") == pytest.approx(np.log(100) - 0.5, abs=1e-4)
    assert predict_entropy(net, "A", base=2) == pytest.approx((np.log(100) - 0.5) / np.log(2), abs=1e-4)


def test_min_entropy_estimate_equals_double_sum():
    rng = np.random.default_rng(0)
    a, b = rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(5) * 0.3)
    brute = sum(pa * pb * min(-np.log(pa), -np.log(pb)) for pa in a for pb in b)
    assert min_entropy_estimate(a, b) == pytest.approx(brute, rel=1e-12)


def test_min_entropy_prediction_tracks_sampled_entropy_for_skewed_links():
    d = 256
    lam_a = np.geomspace(1, 1e-6, d)
    lam_b = np.geomspace(1e-6, 1, d)[::-1] ** 0.5
    net = two_cut_network(d, links=[lam_a / lam_a.sum(), lam_b / lam_b.sum()])
    sampled = net.sample_spectra("A", 4, seed=0, progress=False).von_neumann.mean()
    free = predict_entropy(net, "A")
    assert free == pytest.approx(sampled, abs=0.05)
    assert predict_entropy(net, "A", method="minimum") <= min(c.spectrum @ -np.log(c.spectrum)
                                                               for c in net.minimal_cuts("A")) + 1e-12


def test_atomic_measure_rejects_unnormalised_spectrum():
    with pytest.raises(ValueError, match="sum to 1"):
        AtomicMeasure.from_spectrum([0.5, 0.6])
