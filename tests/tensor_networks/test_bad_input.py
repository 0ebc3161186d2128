"""Bad RTN input: a clear ValueError naming the argument, or an exact answer; nothing
silently normalised or guessed."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from qinfo.tensor_networks import RandomTensorNetwork, ks_distance, predict_spectrum

PATH = nx.path_graph(["a", "x", "b"])
AB = {"A": ["a"], "B": ["b"]}


def test_closed_component_is_a_disconnected_graph_error():
    g = nx.Graph([("a", "x"), ("x", "b"), ("y", "z")])
    with pytest.raises(ValueError, match=r"graph is disconnected: bulk vertices \['y', 'z'\]"):
        RandomTensorNetwork(g, AB, bond_dim=2)
    g = nx.Graph([("a", "x"), ("x", "b")])
    g.add_node("w")  # an isolated bulk vertex
    with pytest.raises(ValueError, match=r"graph is disconnected: bulk vertices \['w'\]"):
        RandomTensorNetwork(g, AB, bond_dim=2)


def test_region_disconnected_from_the_rest_has_no_minimal_cut():
    net = RandomTensorNetwork(nx.Graph([("a", "x"), ("y", "b")]), AB, bond_dim=2)
    with pytest.raises(ValueError, match="region 'A' is not connected to the rest of the boundary"):
        net.minimal_cuts("A")
    with pytest.raises(ValueError, match="region 'A' is not connected"):
        predict_spectrum(net, "A")
    # the sampled state is a product: rho_A is exactly pure
    np.testing.assert_array_equal(net.sample_spectrum("A", seed=0), [1.0])


def test_whole_boundary_region_has_no_minimal_cut_and_a_pure_state():
    net = RandomTensorNetwork(PATH, {"A": ["a", "b"]}, bond_dim=3)
    with pytest.raises(ValueError, match="region 'A' is the whole boundary: it has no minimal cut"):
        net.minimal_cuts("A")
    np.testing.assert_array_equal(net.sample_spectrum("A", seed=0), [1.0])
    assert predict_spectrum(net, "A").entropy() == 0.0


@pytest.mark.parametrize("bond_dim, fragment", [
    (0, "bond_dim must be >= 1, got 0"),
    (-2, "bond_dim must be >= 1, got -2"),
    ({("a", "x"): 0, ("x", "b"): 2}, "bond_dim of edge ('a', 'x') must be >= 1, got 0"),
])
def test_bond_dimension_below_one_is_named(bond_dim, fragment):
    with pytest.raises(ValueError, match=re_escape(fragment)):
        RandomTensorNetwork(PATH, AB, bond_dim=bond_dim)


def test_bond_dimension_one_is_exact():
    net = RandomTensorNetwork(PATH, AB, bond_dim=1)
    for method in ("auto", "direct"):
        np.testing.assert_array_equal(net.sample_spectrum("A", seed=0, method=method), [1.0])
    assert [c.dimension for c in net.minimal_cuts("A")] == [1, 1]
    assert predict_spectrum(net, "A").entropy() == 0.0
    # one trivial edge inside a larger network: the spectrum is that of the other side
    net = RandomTensorNetwork(PATH, AB, bond_dim={("a", "x"): 4, ("x", "b"): 1})
    assert net.sample_spectrum("A", seed=1).size == 1


@pytest.mark.parametrize("spectrum, fragment", [
    ([0.5, 0.6], "link_spectra: spectrum of edge ('a', 'x') sums to 1.1, not 1"),
    ([0.25, 0.25], "link_spectra: spectrum of edge ('a', 'x') sums to 0.5, not 1"),
    ([1.2, -0.2], "link_spectra: spectrum of edge ('a', 'x') has negative entries"),
    ([np.nan, 1.0], "link_spectra: spectrum of edge ('a', 'x') has non-finite entries"),
    ([0.0, 0.0], "link_spectra: spectrum of edge ('a', 'x') sums to zero"),
    ([], "link_spectra: spectrum of edge ('a', 'x') must be a non-empty 1-d array"),
])
def test_bad_link_spectrum_is_named_and_not_normalised(spectrum, fragment):
    with pytest.raises(ValueError, match=re_escape(fragment)):
        RandomTensorNetwork(PATH, AB, link_spectra={("a", "x"): spectrum, ("x", "b"): [0.5, 0.5]})


def test_normalisation_happens_only_when_asked():
    lam = [1.0, 3.0]
    net = RandomTensorNetwork(PATH, AB, link_spectra={("a", "x"): lam, ("x", "b"): [0.5, 0.5]},
                              normalize=True)
    np.testing.assert_allclose(net.link_spectrum(("a", "x")), [0.25, 0.75])
    near = [0.5, 0.5 + 1e-7]  # off by more than rounding: refused, not quietly rescaled
    with pytest.raises(ValueError, match="sums to"):
        RandomTensorNetwork(PATH, AB, link_spectra={("a", "x"): near, ("x", "b"): [0.5, 0.5]})


def test_unknown_method_is_named():
    net = RandomTensorNetwork(PATH, AB, bond_dim=2)
    with pytest.raises(ValueError, match="method must be one of"):
        net.sample_spectrum("A", method="qr")
    with pytest.raises(ValueError, match="method='split'.*no minimal cut strictly inside"):
        net.sample_spectrum("A", method="split")  # the cuts a-x and x-b touch the boundary


def test_ks_distance_of_a_spectrum_with_itself_is_zero():
    x = np.random.default_rng(0).dirichlet(np.ones(16))
    assert ks_distance(x, x) == 0.0


def re_escape(text: str) -> str:
    import re

    return re.escape(text)
