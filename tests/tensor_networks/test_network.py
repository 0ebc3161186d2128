"""RandomTensorNetwork: construction, validation messages naming the culprit."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from qinfo.tensor_networks import RandomTensorNetwork

PATH = nx.path_graph(["a", "x", "b"])
REGIONS = {"A": ["a"], "B": ["b"]}


def test_edge_keys_accept_either_order():
    net = RandomTensorNetwork(PATH, REGIONS, bond_dim={("x", "a"): 2, ("b", "x"): 3})
    assert net.bond_dim(("a", "x")) == 2 and net.bond_dim(("x", "b")) == 3


def test_bond_dims_come_from_spectra_when_not_given():
    net = RandomTensorNetwork(PATH, REGIONS, link_spectra={("a", "x"): [0.5, 0.5], ("x", "b"): [1.0]})
    assert net.bond_dim(("a", "x")) == 2 and net.bond_dim(("x", "b")) == 1
    assert not net.is_maximally_entangled(("a", "x"))


def test_flat_link_spectrum_for_maximally_entangled_edges():
    net = RandomTensorNetwork(PATH, REGIONS, bond_dim=4)
    np.testing.assert_allclose(net.link_spectrum(("a", "x")), np.full(4, 0.25))


def test_negative_spectrum_names_the_edge():
    with pytest.raises(ValueError, match=r"edge \('a', 'x'\) has negative"):
        RandomTensorNetwork(PATH, REGIONS, bond_dim=2, link_spectra={("x", "a"): [1.2, -0.2]})


def test_unnormalised_spectrum_is_rejected_unless_normalize():
    with pytest.raises(ValueError, match=r"edge \('a', 'x'\) sums to 2"):
        RandomTensorNetwork(PATH, REGIONS, bond_dim=2, link_spectra={("a", "x"): [1.0, 1.0]})
    net = RandomTensorNetwork(PATH, REGIONS, bond_dim=2, link_spectra={("a", "x"): [1.0, 3.0]},
                              normalize=True)
    np.testing.assert_allclose(net.link_spectrum(("a", "x")), [0.25, 0.75])


def test_spectrum_length_must_match_bond_dim():
    with pytest.raises(ValueError, match=r"edge \('x', 'b'\) has length 3 but its bond dimension is 2"):
        RandomTensorNetwork(PATH, REGIONS, bond_dim=2, link_spectra={("b", "x"): [0.5, 0.25, 0.25]})


def test_region_vertex_not_in_graph_is_named():
    with pytest.raises(ValueError, match="region 'B' names vertex 'z'"):
        RandomTensorNetwork(PATH, {"A": ["a"], "B": ["z"]}, bond_dim=2)


def test_vertex_in_two_regions_is_named():
    with pytest.raises(ValueError, match="vertex 'a' is in two regions"):
        RandomTensorNetwork(PATH, {"A": ["a"], "B": ["a", "b"]}, bond_dim=2)


def test_graph_without_bulk_vertices_is_rejected():
    with pytest.raises(ValueError, match="no bulk vertices"):
        RandomTensorNetwork(nx.path_graph(["a", "b"]), REGIONS, bond_dim=2)


def test_missing_dimension_names_the_edge():
    with pytest.raises(ValueError, match=r"edge \('x', 'b'\) has neither"):
        RandomTensorNetwork(PATH, REGIONS, bond_dim={("a", "x"): 2})


def test_unknown_edge_key_is_named():
    with pytest.raises(ValueError, match=r"\('a', 'b'\) is not an edge"):
        RandomTensorNetwork(PATH, REGIONS, bond_dim=2, link_spectra={("a", "b"): [1.0]})


def test_unknown_region_name_in_sampling_is_named():
    net = RandomTensorNetwork(PATH, REGIONS, bond_dim=2)
    with pytest.raises(ValueError, match="region 'C' is not one of"):
        net.sample_spectrum("C", seed=0)


def test_bad_bond_dim_types():
    with pytest.raises(TypeError, match="bond_dim"):
        RandomTensorNetwork(PATH, REGIONS, bond_dim=2.5)
    with pytest.raises(ValueError, match="bond_dim must be >= 1"):
        RandomTensorNetwork(PATH, REGIONS, bond_dim=0)
    with pytest.raises(TypeError, match="networkx.Graph"):
        RandomTensorNetwork(nx.MultiGraph(PATH), REGIONS, bond_dim=2)


def test_network_pickles_without_compiled_state():
    import pickle

    net = RandomTensorNetwork(PATH, REGIONS, bond_dim=3)
    net.sample_spectrum("A", seed=0)
    clone = pickle.loads(pickle.dumps(net))
    np.testing.assert_allclose(clone.sample_spectrum("A", seed=0), net.sample_spectrum("A", seed=0))
