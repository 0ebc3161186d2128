"""Semiclassical (tensor-power link) laws and smooth entropies, against brute force,
closed forms and samples."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from qinfo.tensor_networks import (
    InformationSpectrum,
    RandomTensorNetwork,
    gaussian_limit,
    information_minimum,
    min_entropy_estimate,
    semiclassical_law,
    tensor_power,
    two_cut_network,
)

AB = {"A": ["a"], "B": ["b"]}


def kron_power(spectrum, n):
    out = np.array([1.0])
    for _ in range(n):
        out = np.kron(out, spectrum)
    return out


def brute_hmin(lam, eps):
    """-log t with sum (lam - t)_+ = eps, by a root finder on the explicit eigenvalues."""
    return -np.log(optimize.brentq(lambda t: np.maximum(lam - t, 0).sum() - eps, 0, lam.max()))


def brute_hmax(lam, eps):
    """log of the fractional count of largest eigenvalues holding mass 1 - eps."""
    lam = np.sort(lam)[::-1]
    cum = np.cumsum(lam)
    k = np.searchsorted(cum, 1 - eps)
    before = cum[k - 1] if k else 0.0
    return np.log(k + (1 - eps - before) / lam[k])


spectra = st.lists(st.floats(0.01, 1.0), min_size=2, max_size=12).map(lambda v: np.array(v) / sum(v))


@settings(max_examples=60, deadline=None)
@given(spectra, st.floats(0.01, 0.9))
def test_smooth_entropies_equal_brute_force_and_bracket_the_entropy(lam, eps):
    info = InformationSpectrum.from_spectrum(lam)
    assert info.smooth_min_entropy(eps) == pytest.approx(brute_hmin(lam, eps), abs=1e-9)
    assert info.smooth_max_entropy(eps) == pytest.approx(brute_hmax(lam, eps), abs=1e-9)
    # H_min^eps >= H_min = -log max, H_max^eps <= log rank, monotone in eps
    assert info.smooth_min_entropy(eps) >= -np.log(lam.max()) - 1e-12
    assert info.smooth_max_entropy(eps) <= np.log(lam.size) + 1e-12
    assert info.smooth_min_entropy(eps / 2) <= info.smooth_min_entropy(eps) + 1e-12
    assert info.smooth_max_entropy(eps / 2) >= info.smooth_max_entropy(eps) - 1e-12
    assert info.renyi(2) == pytest.approx(-np.log(np.sum(lam**2)), rel=1e-12)
    assert info.renyi(np.inf) == pytest.approx(-np.log(lam.max()), rel=1e-12)


def test_tensor_power_is_the_kronecker_power():
    lam = np.array([0.6, 0.3, 0.1])
    ref = InformationSpectrum.from_spectrum(kron_power(lam, 5))
    got = tensor_power(lam, 5)
    np.testing.assert_allclose(got.values, ref.values, rtol=1e-12)
    np.testing.assert_allclose(got.weights, ref.weights, rtol=1e-10)


def test_minimum_of_independent_parts_is_the_double_sum():
    rng = np.random.default_rng(0)
    a, b = rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(5) * 0.3)
    law = information_minimum([InformationSpectrum.from_spectrum(a), InformationSpectrum.from_spectrum(b)])
    brute = sum(pa * pb * min(-np.log(pa), -np.log(pb)) for pa in a for pb in b)
    assert law.entropy() == pytest.approx(brute, rel=1e-12)
    assert law.entropy() == pytest.approx(min_entropy_estimate(a, b), rel=1e-12)


def _shared_edge_net(a, b, s):
    g = nx.Graph([("a", "x"), ("x", "b"), ("a", "b")])
    return RandomTensorNetwork(g, AB, link_spectra={("a", "x"): a, ("x", "b"): b, ("a", "b"): s})


def test_shared_edge_adds_to_the_minimum_of_the_private_parts():
    a, b, s = np.array([0.7, 0.3]), np.array([0.8, 0.2]), np.array([0.5, 0.4, 0.1])
    law = semiclassical_law(_shared_edge_net(a, b, s), "A")
    ha, hb, hs = (InformationSpectrum.from_spectrum(v) for v in (a, b, s))
    brute = sum(pa * pb * min(-np.log(pa), -np.log(pb)) for pa in a for pb in b)
    assert law.entropy() == pytest.approx(hs.entropy() + brute, rel=1e-12)


def test_gaussian_limit_is_the_min_of_correlated_gaussians():
    # cuts {ax, ab} and {xb, ab} share the edge ab: H_1, H_2 correlated through it.
    # E min(X, Y) for tied means = mu - theta / sqrt(2 pi), theta^2 = Var(X - Y) (Clark 1961)
    a = np.array([0.8, 0.2])
    ha = InformationSpectrum.from_spectrum(a).entropy()
    b = _tuned(ha)  # same entropy as a, another varentropy: the two cuts tie
    s = np.array([0.5, 0.3, 0.2])
    n = 400
    law = gaussian_limit(_shared_edge_net(a, b, s), "A", n)
    va, vb, vs = (InformationSpectrum.from_spectrum(v).variance() for v in (a, b, s))
    hs = InformationSpectrum.from_spectrum(s).entropy()
    mean = n * (ha + hs) - np.sqrt(n * (va + vb) / (2 * np.pi))
    assert law.entropy() == pytest.approx(mean, abs=2e-3 * np.sqrt(n))
    var_min = _var_min_tied(va, vb)
    assert law.variance() == pytest.approx(n * (vs + var_min), rel=0.01)


def _tuned(h_target):
    """A spectrum [q, (1-q)/2, (1-q)/2] with entropy h_target (another varentropy than a's)."""
    def h(q):
        r = (1 - q) / 2
        return -(q * np.log(q) + 2 * r * np.log(r))
    q = optimize.brentq(lambda q: h(q) - h_target, 0.5, 0.999)
    return np.array([q, (1 - q) / 2, (1 - q) / 2])


def _var_min_tied(va, vb):
    """Var min(X, Y) for independent centred Gaussians (Clark 1961): E min^2 = (va + vb) / 2,
    E min = -sqrt((va + vb) / (2 pi))."""
    return (va + vb) / 2 - (va + vb) / (2 * np.pi)


def test_untied_cut_drops_out_of_the_gaussian_limit():
    a, b = np.array([0.9, 0.1]), np.array([0.5, 0.5])
    net = two_cut_network(2, links=[a, b])
    law = gaussian_limit(net, "A", 50)
    one = InformationSpectrum.from_spectrum(a)
    assert law.entropy() == pytest.approx(50 * one.entropy(), abs=1e-9)
    assert law.variance() == pytest.approx(50 * one.variance(), rel=1e-3)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="eps"):
        InformationSpectrum.from_spectrum([0.5, 0.5]).smooth_min_entropy(1.5)
    with pytest.raises(ValueError, match="n must be"):
        tensor_power([0.5, 0.5], 0)
    with pytest.raises(ValueError, match="sum"):
        InformationSpectrum.from_spectrum([0.5, 0.6])


def test_semiclassical_law_tracks_samples_of_tensor_power_links():
    # measured (seed 1, 40 samples, p0 = 0.15, N = 6): S 1.756 +- 0.028 against 1.739,
    # H_max^0.1 1.806 against 1.783; H_min^0.1 0.934 against 1.154 (the bulk tensor's O(1)
    # spread of the top eigenvalues, which the semiclassical rule drops)
    a = kron_power(np.array([0.85, 0.15]), 6)
    net = two_cut_network(a.size, links=a)
    samples = net.sample_spectra("A", 40, seed=1, progress=False)
    law = semiclassical_law(net, "A")
    s = samples.von_neumann
    assert s.mean() == pytest.approx(law.entropy(), abs=3 * s.std() / np.sqrt(s.size) + 0.02)
    infos = [InformationSpectrum.from_spectrum(x) for x in samples.spectra]
    hmax = np.mean([i.smooth_max_entropy(0.1) for i in infos])
    hmin = np.mean([i.smooth_min_entropy(0.1) for i in infos])
    assert hmax == pytest.approx(law.smooth_max_entropy(0.1), abs=0.06)
    assert hmin == pytest.approx(law.smooth_min_entropy(0.1), abs=0.3)
    assert hmin < law.smooth_min_entropy(0.1)  # the bulk tensor only raises the top eigenvalues
