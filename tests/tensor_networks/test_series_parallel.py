"""Predictions on shared-edge, parallel, unequal and chained networks, against the exact
replica sum and samples (the networks of issue 13)."""

from __future__ import annotations

from math import comb

import networkx as nx
import numpy as np
import pytest

from qinfo.tensor_networks import (
    NotSeriesParallelError,
    RandomTensorNetwork,
    ks_distance,
    noncrossing_moments,
    predict_spectrum,
    replica_moment,
    series_parallel_tree,
    two_cut_network,
)

AB = {"A": ["a"], "B": ["b"]}


def _replica(net, n, d):
    """Moments of D lambda from the exact replica sum: D^(k-1) E tr rho^k."""
    return np.array([d ** (k - 1) * replica_moment(net, "A", k) for k in range(1, n + 1)])


def shared_edge(d=512):
    g = nx.Graph([("a", "x"), ("x", "b"), ("a", "b")])
    return RandomTensorNetwork(g, AB, bond_dim={("a", "x"): d, ("x", "b"): d},
                               link_spectra={("a", "b"): [0.8, 0.2]})


def parallel(d):
    g = nx.Graph([("a", "x"), ("x", "b"), ("a", "y"), ("y", "b")])
    return RandomTensorNetwork(g, AB, bond_dim=d)


def unequal():
    la, lb = np.repeat([1.0, 3.0], 200), np.repeat([1.0, 3.0], 500)
    return RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), AB,
                               link_spectra={("a", "x"): la / la.sum(), ("x", "b"): lb / lb.sum()})


def random_chain(d=600, seed=0):
    rng = np.random.default_rng(seed)
    spectra = {e: rng.dirichlet(np.full(d, 2.0)) for e in [("a", "x"), ("x", "y"), ("y", "b")]}
    return RandomTensorNetwork(nx.path_graph(["a", "x", "y", "b"]), AB, link_spectra=spectra)


def test_shared_edge_is_a_classical_factor():
    net = shared_edge()
    pred = predict_spectrum(net, "A")
    catalan = np.array([comb(2 * n, n) // (n + 1) for n in range(1, 5)])
    link = np.array([(1.6**n + 0.4**n) / 2 for n in range(1, 5)])
    np.testing.assert_allclose(pred.moments(4), catalan * link, rtol=1e-12)  # 10.40, 46.05
    np.testing.assert_allclose(pred.moments(4), _replica(net, 4, pred.dimension), rtol=0.01)
    samples = net.sample_spectra("A", 2, seed=1, progress=False)
    assert ks_distance(samples, pred) < 0.01


def test_parallel_pieces_multiply_classically():
    pred = predict_spectrum(parallel(8), "A")
    np.testing.assert_allclose(pred.moments(4), [1, 4, 25, 196])
    net = parallel(24)
    pred = predict_spectrum(net, "A")
    np.testing.assert_allclose(pred.moments(4), _replica(net, 4, pred.dimension), rtol=0.01)
    # the two pieces are independent states: the sampler draws each D x D factor on its
    # own and forms only the D^2 products, so D = 128 is cheap (D = 40: KS 0.011, the
    # finite-D hard edge of the two pi_1 factors; it falls like 1/D)
    net = parallel(128)
    sampler = net.compile_sampler("A")
    assert sampler.rank == 128**2 and sampler.largest_array == 128**2
    samples = sampler.sample(2, seed=2, progress=False)
    assert ks_distance(samples, predict_spectrum(net, "A")) < 0.01


def test_unequal_cut_dimensions_use_the_rectangular_law():
    net = unequal()
    pred = predict_spectrum(net, "A")
    assert pred.dimension == 400
    exact = _replica(net, 4, 400)
    np.testing.assert_allclose(exact[1:], [1.75, 3.905, 9.81], rtol=1e-3)
    np.testing.assert_allclose(pred.moments(4), exact, rtol=0.01)
    np.testing.assert_allclose(pred.law.moments(4), exact, rtol=0.01)  # the numerical law too
    samples = net.sample_spectra("A", 2, seed=3, progress=False)
    assert ks_distance(samples, pred) < 0.01


@pytest.mark.slow
def test_three_link_random_chain_at_600():
    net = random_chain()
    pred = predict_spectrum(net, "A")
    assert pred.mass_error < 1e-5
    np.testing.assert_allclose(pred.moments(4), _replica(net, 4, 600), rtol=0.01)
    np.testing.assert_allclose(pred.law.moments(4), pred.moments(4), rtol=0.01)
    samples = net.sample_spectra("A", 3, seed=4, progress=False)
    assert ks_distance(samples, pred) < 0.01


def test_tree_moments_of_a_chain_are_the_chained_noncrossing_sums():
    net = random_chain(d=16, seed=1)
    tree = series_parallel_tree(net, "A")
    from qinfo.tensor_networks import AtomicMeasure, MarchenkoPastur, tree_moments

    laws = [AtomicMeasure.from_spectrum(net.link_spectrum(e)) for e in net.edges]
    ref = noncrossing_moments([laws[0], MarchenkoPastur(1), laws[1], MarchenkoPastur(1), laws[2]], 4)
    np.testing.assert_allclose(tree_moments(tree, 4), ref, rtol=1e-12)


def test_bridge_is_named_not_predicted():
    g = nx.Graph([("a", "x"), ("a", "y"), ("x", "y"), ("x", "b"), ("y", "b")])
    net = RandomTensorNetwork(g, AB, bond_dim=3)
    with pytest.raises(NotSeriesParallelError, match="not series-parallel.*replica_moment"):
        predict_spectrum(net, "A")
    assert replica_moment(net, "A", 2) > 0  # the exact moments are still there


def test_pure_and_dimension_one_predictions_are_exact():
    net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), {"A": ["a", "b"]}, bond_dim=3)
    pred = predict_spectrum(net, "A")
    assert pred.dimension == 1 and pred.entropy() == 0.0
    net = two_cut_network(1)
    assert predict_spectrum(net, "A").entropy() == 0.0


def test_disconnected_region_is_a_clear_error():
    g = nx.Graph([("a", "x"), ("y", "b")])
    net = RandomTensorNetwork(g, AB, bond_dim=2)
    with pytest.raises(ValueError, match="region 'A' is not connected"):
        predict_spectrum(net, "A")


def test_renyi_entropies_of_the_prediction_match_samples():
    d = 256
    net = two_cut_network(d)
    pred = predict_spectrum(net, "A")
    assert pred.renyi(2) == pytest.approx(np.log(d) - np.log(2), rel=1e-12)
    assert pred.renyi(np.inf) == pytest.approx(np.log(d) - np.log(4), rel=1e-6)
    samples = net.sample_spectra("A", 4, seed=5, progress=False)
    for alpha, tol in ((2, 0.01), (3, 0.01), (np.inf, 0.05)):
        assert samples.renyi(alpha).mean() == pytest.approx(pred.renyi(alpha), abs=tol)
