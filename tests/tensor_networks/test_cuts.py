"""Minimal cuts against brute force over all bulk assignments (the DESIGN oracle)."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings

from qinfo.tensor_networks import RandomTensorNetwork
from tests.strategies import random_networks


def brute_force_sides(net, region):
    a = net.region_vertices(region)
    best, sides = np.inf, []
    for r in range(len(net.bulk) + 1):
        for chosen in combinations(net.bulk, r):
            w = a | set(chosen)
            value = sum(np.log(net.bond_dim(e)) for e in net.edges if (e[0] in w) != (e[1] in w))
            if value < best - 1e-9:
                best, sides = value, [frozenset(w)]
            elif abs(value - best) <= 1e-9:
                sides.append(frozenset(w))
    return best, set(sides)


@settings(max_examples=40, deadline=None)
@given(random_networks(max_bulk=6, max_dim=4, max_extra=6, boundary_links=True))
def test_minimal_cuts_are_all_brute_force_optima(net):
    best, sides = brute_force_sides(net, "A")
    cuts = net.minimal_cuts("A")
    assert {c.side for c in cuts} == sides
    for c in cuts:
        assert c.log_dim == pytest.approx(best)
        assert c.spectrum.sum() == pytest.approx(1.0)
        assert c.dimension == np.prod([net.bond_dim(e) for e in c.edges])


def test_degenerate_chain_lists_cuts_from_the_region_outwards():
    net = RandomTensorNetwork(nx.path_graph(["a", "x", "y", "b"]), {"A": ["a"], "B": ["b"]}, bond_dim=3)
    cuts = net.minimal_cuts("A")
    assert [c.edges for c in cuts] == [(("a", "x"),), (("x", "y"),), (("y", "b"),)]
    assert all(c.dimension == 3 for c in cuts)


def test_cut_spectrum_is_tensor_product_of_link_spectra():
    g = nx.Graph([("a", "x"), ("a", "y"), ("x", "b"), ("y", "b"), ("x", "y")])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim={("a", "x"): 2, ("a", "y"): 2,
                              ("x", "b"): 8, ("y", "b"): 8, ("x", "y"): 1},
                              link_spectra={("a", "x"): [0.75, 0.25]})
    (cut,) = net.minimal_cuts("A")
    np.testing.assert_allclose(cut.spectrum, [0.375, 0.375, 0.125, 0.125])
    assert cut.dimension == 4


def test_too_many_free_vertices_is_a_clear_error():
    g = nx.path_graph(12)
    net = RandomTensorNetwork(g, {"A": [0], "B": [11]}, bond_dim=2)
    with pytest.raises(ValueError, match="max_free"):
        net.minimal_cuts("A", max_free=5)
