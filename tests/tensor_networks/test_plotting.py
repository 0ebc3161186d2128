"""plot_spectrum and ks_distance."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
import pytest  # noqa: E402

from qinfo.tensor_networks import (  # noqa: E402
    MarchenkoPastur,
    RandomTensorNetwork,
    ks_distance,
    plot_spectrum,
    predict_spectrum,
)


def test_ks_distance_is_small_for_own_law_and_large_for_another():
    draws = MarchenkoPastur(1).sample(5000, seed=0)
    assert ks_distance(draws, MarchenkoPastur(1)) < 0.03
    assert ks_distance(draws, MarchenkoPastur(0.1)) > 0.2


def test_ks_distance_rejects_non_positive_eigenvalues():
    with pytest.raises(ValueError, match="positive"):
        ks_distance([0.0, 1.0], MarchenkoPastur(1))


@pytest.mark.parametrize("bond", [{("x", "y"): 2}, {}])
def test_plot_spectrum_draws_samples_and_prediction(bond):
    import matplotlib.pyplot as plt

    dims = {("a", "x"): 64, ("x", "y"): 64, ("y", "b"): 64, **bond}
    net = RandomTensorNetwork(nx.path_graph(["a", "x", "y", "b"]), {"A": ["a"], "B": ["b"]}, bond_dim=dims)
    samples = net.sample_spectra("A", 2, seed=0, progress=False)
    fig = plot_spectrum(samples, predict_spectrum(net, "A"))
    ax_h, ax_c = fig.axes
    assert ax_h.get_xscale() == "log" and len(ax_c.lines) == 2
    plt.close(fig)


def test_ks_distance_is_zero_against_itself_and_sees_atoms():
    import numpy as np

    from qinfo.tensor_networks import AtomicMeasure
    from scipy import stats

    lam = np.array([0.5, 0.3, 0.15, 0.05])
    mu = AtomicMeasure(lam)
    assert ks_distance(lam, mu) == 0.0  # scipy's kstest gives 1.0 here (continuity assumed)
    assert ks_distance(lam, lam) == 0.0
    assert ks_distance(lam * (1 + 1e-9), mu) == 0.25  # each atom slightly to the right
    rng = np.random.default_rng(0)
    x = rng.random(500)
    assert ks_distance(x, lambda t: np.clip(t, 0, 1)) == pytest.approx(
        stats.kstest(x, "uniform").statistic, abs=1e-12)  # continuous: same as scipy
