"""Partial-transpose moments and negativity of one random tensor: the exact Wick sum
against Monte Carlo, the large-D limit against the exact sum and samples."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import kstest

from qinfo.tensor_networks import (
    RandomTensorNetwork,
    log_negativity,
    partial_transpose_law,
    partial_transpose_moments,
    partial_transpose_spectrum,
    replica_moment,
    semicircle_log_negativity,
)

ABC = {"A": ["a"], "B": ["b"], "C": ["c"]}


def star(spectra=None, dims=None):
    g = nx.star_graph(["x", "a", "b", "c"])
    if spectra is not None:
        return RandomTensorNetwork(g, ABC, link_spectra=dict(zip([("x", "a"), ("x", "b"), ("x", "c")], spectra)))
    return RandomTensorNetwork(g, ABC, bond_dim=dict(zip([("x", "a"), ("x", "b"), ("x", "c")], dims)))


def test_exact_moments_match_monte_carlo_with_links():
    la, lb, lc = np.array([0.7, 0.3]), np.array([0.5, 0.3, 0.2]), np.array([0.4, 0.3, 0.2, 0.1])
    net = star([la, lb, lc])
    exact = partial_transpose_moments(la, lb, lc, 4)
    rng = np.random.default_rng(0)
    vals = []
    for _ in range(6000):
        psi = net.boundary_state(seed=rng)  # axes a, b, c (edge order), unnormalised
        m = psi.reshape(2, 3, 4)
        rho = np.einsum("abk,cdk->abcd", m, m.conj())
        pt = rho.transpose(0, 3, 2, 1).reshape(6, 6)
        ev = np.linalg.eigvalsh((pt + pt.conj().T) / 2)
        vals.append([np.sum(ev**k) for k in (1, 2, 3, 4)])
    vals = np.array(vals)
    se = vals.std(0, ddof=1) / np.sqrt(len(vals))
    assert np.all(np.abs(vals.mean(0) - exact) < 4 * se)
    # tr (rho^T_B)^2 = tr rho^2: the second moment is the replica sum of rho_AB
    assert exact[1] == pytest.approx(replica_moment(net, ["A", "B"], 2), rel=1e-12)
    # a mutated (untransposed) sum gives the moments of rho_AB instead: distinguishable at n = 3
    assert exact[2] != pytest.approx(replica_moment(net, ["A", "B"], 3), rel=1e-3)


def test_large_d_limit_is_the_limit_of_the_exact_sum_with_links():
    def link(d, ratio):
        lam = np.repeat([1.0, ratio], d // 2)
        return lam / lam.sum()
    errs = []
    for d in (8, 32):
        la, lb, lc = link(d, 3.0), link(d, 0.5), link(2 * d * d, 2.0)
        exact = partial_transpose_moments(la, lb, lc, 4) * (d * d) ** np.arange(4)
        lim = partial_transpose_moments(la, lb, lc, 4, limit=True)
        errs.append(np.max(np.abs(exact / lim - 1)))
    assert errs[1] < 0.1 * errs[0] and errs[1] < 2e-3  # converges (like 1 / D^2)


def test_flat_limit_is_the_semicircle():
    flat = lambda d: np.full(d, 1.0 / d)  # noqa: E731
    alpha = 0.5
    lim = partial_transpose_moments(flat(6), flat(6), flat(18), 6, limit=True)
    var = 1 / alpha
    r = 2 * np.sqrt(var)
    semi = [quad(lambda x: x**k * 2 / (np.pi * r * r) * np.sqrt(r * r - (x - 1) ** 2), 1 - r, 1 + r)[0]
            for k in range(1, 7)]
    np.testing.assert_allclose(lim, semi, rtol=1e-8)
    for a in (0.3, 1.0, 3.0):
        rr = 2 / np.sqrt(a)
        dens = lambda x: 2 / (np.pi * rr * rr) * np.sqrt(max(rr * rr - (x - 1) ** 2, 0))  # noqa: E731
        ref = np.log(quad(lambda x: abs(x) * dens(x), 1 - rr, 1 + rr, points=[0], limit=200)[0])
        assert semicircle_log_negativity(a) == pytest.approx(ref, abs=1e-9)
    assert semicircle_log_negativity(4.0) == 0.0


def test_sampled_negativity_approaches_the_semicircle_prediction():
    # measured (4 draws): 0.1452 at D = 8, 0.1472 at 12, 0.1478 at 16; limit 0.1487
    net = star(dims=(16, 16, 256))
    ens = [log_negativity(partial_transpose_spectrum(net, "A", "B", seed=s)) for s in range(2)]
    assert np.mean(ens) == pytest.approx(semicircle_log_negativity(1.0), abs=0.005)
    ev = 256 * partial_transpose_spectrum(net, "A", "B", seed=9)
    np.testing.assert_allclose([np.mean(ev**k) for k in (2, 3, 4)], [2, 4, 9], rtol=0.02)


def test_partial_transpose_spectrum_of_a_bell_link_is_known():
    # A and B joined directly by a maximally entangled pair of dimension 2: rho^T_B has
    # eigenvalues (1/2, 1/2, 1/2, -1/2), log negativity log 2
    g = nx.Graph([("a", "b"), ("b", "x"), ("x", "c")])
    net = RandomTensorNetwork(g, ABC, bond_dim={("a", "b"): 2, ("b", "x"): 1, ("x", "c"): 1})
    ev = partial_transpose_spectrum(net, "A", "B", seed=0)
    np.testing.assert_allclose(ev, [0.5, 0.5, 0.5, -0.5], atol=1e-12)


def two_level(d, ratio):
    lam = np.repeat([1.0, ratio], d // 2)
    return lam / lam.sum()


@pytest.mark.parametrize("links", [
    (two_level(8, 4.0), two_level(8, 4.0), np.full(64, 1 / 64)),      # alpha 1, links on A, B
    (two_level(8, 3.0), two_level(6, 0.5), two_level(64, 2.0)),       # all three, alpha 4/3
    (two_level(8, 10.0), two_level(8, 10.0), two_level(8, 3.0)),      # alpha 1/8, strongly negative
    (np.array([0.5, 0.3, 0.2]), np.array([0.6, 0.4]), np.full(2, 0.5)),  # unequal, no symmetry
    (two_level(8, 10.0), two_level(8, 10.0), np.full(512, 1 / 512)),  # support in 3 pieces
])
def test_law_with_links_has_the_noncrossing_moments(links):
    law = partial_transpose_law(*links)
    assert law.mass_error < 1e-8
    exact = partial_transpose_moments(*links, 8, limit=True)
    np.testing.assert_allclose(law.moments(8), exact, rtol=1e-7)
    lo, hi = law.support[0][0], law.support[-1][1]
    assert law.cdf(lo) == 0 and law.cdf(hi) == pytest.approx(1.0) and lo <= law.x[0] <= law.x[-1] <= hi


@pytest.mark.parametrize("links", [
    (two_level(2, 0.01), two_level(2, 0.01), np.full(16, 1 / 16)),     # atoms 1e4 apart, PPT
    (two_level(16, 0.02), two_level(16, 0.02), np.full(64, 1 / 64)),   # a narrow piece near 0
])
def test_law_resolves_links_that_spread_widely(links):
    # found in review: a uniform scan stepped over the narrow pieces that small atoms make
    # near 0, and the lost mass (up to 60 %) was renormalised away without a word
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        law = partial_transpose_law(*links)
    assert law.mass_error < 1e-6
    np.testing.assert_allclose(law.moments(4), partial_transpose_moments(*links, 4, limit=True), rtol=1e-7)
    assert law.log_negativity() >= -1e-9


def test_law_warns_where_it_cannot_be_exact():
    with pytest.warns(RuntimeWarning, match="integrates to 1 only within"):
        partial_transpose_law(two_level(2, 1e-4), two_level(2, 1e-4), np.full(16, 1 / 16))
    lam = np.random.default_rng(0).random(16)
    with pytest.warns(RuntimeWarning, match="binned into 128"):
        partial_transpose_law(lam / lam.sum(), lam / lam.sum(), np.full(256, 1 / 256))


def test_law_with_flat_links_is_the_semicircle():
    flat = lambda d: np.full(d, 1 / d)  # noqa: E731
    for d_c in (9, 36, 108, 180):  # alpha = d_c / 36: 1/4, 1, 3, 5 (PPT)
        alpha = d_c / 36
        law = partial_transpose_law(flat(6), flat(6), flat(d_c))
        assert law.variance == pytest.approx(1 / alpha)
        assert law.log_negativity() == pytest.approx(semicircle_log_negativity(alpha), abs=1e-6)
        r = 2 / np.sqrt(alpha)
        ((lo, hi),) = law.support
        assert lo == pytest.approx(1 - r, abs=1e-9) and hi == pytest.approx(1 + r, abs=1e-9)


def test_sampled_negativity_with_links_approaches_the_law():
    # measured (3 draws each): KS 0.019, 0.005, 0.002 and log negativity 0.1317, 0.1347,
    # 0.1353 at D = 8, 16, 24; the law gives 0.1355 (links make the flat 0.1487 smaller)
    d = 16
    la, lb, lc = two_level(d, 4.0), two_level(d, 0.5), two_level(d * d, 2.0)
    net = star([la, lb, lc])
    law = partial_transpose_law(la, lb, lc)
    evs = [partial_transpose_spectrum(net, "A", "B", seed=s) for s in range(3)]
    assert kstest(np.concatenate(evs) * d * d, law.cdf).statistic < 0.01
    assert np.mean([log_negativity(e) for e in evs]) == pytest.approx(law.log_negativity(), abs=0.003)
    assert abs(law.log_negativity() - semicircle_log_negativity(1.0)) > 0.01  # the links matter


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="spectrum_c has zero entries"):
        partial_transpose_law([1.0], [1.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="spectrum_a"):
        partial_transpose_law([0.5, 0.6], [1.0], [1.0])
    with pytest.raises(ValueError, match="spectrum_b"):
        partial_transpose_moments([1.0], [0.5, 0.6], [1.0], 2)
    with pytest.raises(ValueError, match="n must be"):
        partial_transpose_moments([1.0], [1.0], [1.0], 0)
    with pytest.raises(ValueError, match="alpha"):
        semicircle_log_negativity(-1)
    with pytest.raises(ValueError, match="disjoint"):
        partial_transpose_spectrum(star(dims=(2, 2, 2)), "A", ["A", "B"], seed=0)
