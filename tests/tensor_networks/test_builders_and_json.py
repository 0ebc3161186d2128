"""The public network API: builders of the standard networks, JSON round trips, the
compiled sampler, and a network whose state cannot be changed from outside (issue 19)."""

from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.tensor_networks import (
    RandomTensorNetwork,
    SpectrumSampler,
    chain_network,
    predict_spectrum,
    sample_spectra,
    sample_spectrum,
    star_network,
    two_cut_network,
)
from tests.strategies import random_networks

ROOT = Path(__file__).resolve().parents[2]
AB = {"A": ["a"], "B": ["b"]}


def same_network(a: RandomTensorNetwork, b: RandomTensorNetwork) -> None:
    assert list(a.graph.nodes) == list(b.graph.nodes)
    assert a.edges == b.edges and a.bulk == b.bulk and a.boundary == b.boundary
    assert dict(a.regions) == dict(b.regions)
    assert a.bond_dims == b.bond_dims
    for la, lb in zip(a.link_spectra, b.link_spectra):
        assert (la is None) == (lb is None)
        if la is not None:
            np.testing.assert_array_equal(la, lb)


# -- builders: each is the hand-built network it names ---------------------------------


@pytest.mark.parametrize("d", [1, 2, 7, 16])
def test_two_cut_network_is_the_path_a_x_b(d):
    hand = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), AB, bond_dim=d)
    same_network(two_cut_network(d), hand)
    same_network(two_cut_network(d, links="flat"), hand)
    assert [c.dimension for c in two_cut_network(d).minimal_cuts("A")] == [d, d]


@pytest.mark.parametrize("d", [4, 7, 16])
def test_two_level_links_are_one_to_three_halves_and_one_to_a_fifth_quarters(d):
    net = two_cut_network(d, links="two-level")
    la, lb = net.link_spectrum(("a", "x")), net.link_spectrum(("x", "b"))
    # by hand: d//2 entries of weight 1 then weight 3; d//4 of weight 1 then weight 0.2
    wa = np.array([1.0] * (d // 2) + [3.0] * (d - d // 2))
    wb = np.array([1.0] * (d // 4) + [0.2] * (d - d // 4))
    np.testing.assert_allclose(la, wa / wa.sum(), rtol=1e-15)
    np.testing.assert_allclose(lb, wb / wb.sum(), rtol=1e-15)
    assert not net.is_maximally_entangled(("a", "x"))


def test_two_cut_links_take_one_spectrum_or_one_per_side():
    lam, mu = np.array([0.7, 0.3]), np.array([0.4, 0.6])
    both = two_cut_network(2, links=lam)
    np.testing.assert_array_equal(both.link_spectrum(("x", "b")), lam)
    pair = two_cut_network(2, links=[lam, mu])
    np.testing.assert_array_equal(pair.link_spectrum(("a", "x")), lam)
    np.testing.assert_array_equal(pair.link_spectrum(("x", "b")), mu)


@pytest.mark.parametrize("bad, exc, match", [
    ({"dim": 0}, ValueError, "dim must be >= 1"),
    ({"dim": 2.0}, TypeError, "dim must be an int"),
    ({"dim": 4, "links": "wide"}, ValueError, "links must be"),
    ({"dim": 2, "links": np.ones((3, 2)) / 2}, ValueError, "shape"),
    ({"dim": 3, "links": [0.5, 0.5]}, ValueError, "length 2 but its bond dimension is 3"),
])
def test_two_cut_network_rejects_bad_arguments_by_name(bad, exc, match):
    with pytest.raises(exc, match=match):
        two_cut_network(bad.pop("dim"), **bad)


def test_chain_network_is_the_path_with_its_links():
    lam = np.array([0.5, 0.3, 0.2])
    hand = RandomTensorNetwork(nx.path_graph(["a", "x1", "x2", "b"]), AB,
                               bond_dim={("a", "x1"): 8, ("x2", "b"): 8},
                               link_spectra={("x1", "x2"): lam})
    net = chain_network([8, lam, 8])
    same_network(net, hand)
    (cut,) = net.minimal_cuts("A")
    assert cut.edges == (("x1", "x2"),)
    with pytest.raises(ValueError, match="at least two"):
        chain_network([4])
    with pytest.raises(ValueError, match=r"links\[1\] must be >= 1"):
        chain_network([4, 0])
    with pytest.raises(TypeError, match=r"links\[0\]"):
        chain_network(["4", 2])


def test_star_network_is_the_star_with_one_vertex_per_region():
    hand = RandomTensorNetwork(nx.star_graph(["x", "a", "b", "c"]), {"A": ["a"], "B": ["b"], "C": ["c"]},
                               bond_dim={("x", "a"): 2, ("x", "b"): 3, ("x", "c"): 6})
    same_network(star_network({"A": 2, "B": 3, "C": 6}), hand)
    with pytest.raises(ValueError, match="share the vertex name 'x'"):
        star_network({"A": 2, "X": 2})
    with pytest.raises(ValueError, match="at least two"):
        star_network({"A": 2})


# -- the CLI samples the network the reproduction checks -------------------------------


def test_cli_two_cut_is_the_network_of_the_reproduction(monkeypatch, capsys):
    """``qinfo rtn sample two-cut --links two-level`` builds ``two_cut_network(D, links="two-level")``,
    and the two-cut claims of ``qinfo reproduce rtn`` build that same network."""
    import qinfo.tensor_networks as tn
    from qinfo.cli import main

    calls = []
    builder = tn.two_cut_network

    def spy(dim, **kwargs):
        calls.append((dim, kwargs))
        return builder(dim, **kwargs)

    monkeypatch.setattr(tn, "two_cut_network", spy)
    assert main(["rtn", "sample", "two-cut", "--dim", "8", "--links", "two-level",
                 "--samples", "2", "--json", "--no-progress"]) == 0
    assert calls == [(8, {"links": "two-level"})]
    assert json.loads(capsys.readouterr().out)["regime"] == "two cuts"

    # the reproduction's source: its two-cut networks come from the same builder and presets
    (source,) = [p for p in (ROOT / "qinfo" / "reproduce").glob("*rtn*.py")]
    tree = ast.parse(source.read_text())
    built = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and getattr(node.func, "id", None) == "two_cut_network"]
    presets = {kw.value.value for node in built for kw in node.keywords
               if kw.arg == "links" and isinstance(kw.value, ast.Constant)}
    assert presets == {"flat", "two-level"}
    paths = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and getattr(node.func, "attr", None) == "path_graph"]
    assert paths == [], "the reproduction builds a path network by hand"


# -- JSON ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(random_networks(max_bulk=4, max_dim=3, max_extra=3, boundary_links=True,
                       int_vertices=False) | random_networks(int_vertices=True),
       st.integers(0, 2**32 - 1))
def test_dict_and_json_round_trips_give_the_same_network_and_the_same_samples(tmp_path_factory, net, seed):
    data = net.to_dict()
    back = RandomTensorNetwork.from_dict(json.loads(json.dumps(data)))
    same_network(back, net)
    assert back.to_dict() == data
    path = net.save(tmp_path_factory.mktemp("net") / "net.json")
    loaded = RandomTensorNetwork.load(path)
    same_network(loaded, net)
    np.testing.assert_array_equal(loaded.sample_spectrum("A", seed=seed),
                                  net.sample_spectrum("A", seed=seed))


def test_json_keeps_isolated_region_vertices_and_the_vertex_order():
    g = nx.Graph()
    g.add_nodes_from(["c", "b", "x", "a"])  # c is a region vertex with no edge
    g.add_edges_from([("x", "a"), ("b", "x")])
    net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"], "C": ["c"]}, bond_dim=2)
    back = RandomTensorNetwork.from_dict(net.to_dict())
    same_network(back, net)
    assert back.to_dict()["vertices"] == ["c", "b", "x", "a"]


def test_to_dict_refuses_vertices_json_cannot_name():
    net = RandomTensorNetwork(nx.path_graph([(0, 0), (0, 1), (0, 2)]), {"A": [(0, 0)], "B": [(0, 2)]},
                              bond_dim=2)
    with pytest.raises(ValueError, match=r"vertex \(0, 0\) is not a string or an integer"):
        net.to_dict()


@pytest.mark.parametrize("data, exc, match", [
    ([], TypeError, "JSON object"),
    ({"edges": [["a", "x", 2]]}, ValueError, '"regions"'),
    ({"edges": [], "regions": AB}, ValueError, "non-empty list"),
    ({"edges": [["a", "x", 2]], "regions": AB, "dims": 2}, ValueError, "unknown key"),
    ({"edges": [["a", "x", 2], ["x", "b", "wide"]], "regions": AB}, TypeError, "edge 1: .*bond dimension"),
    ({"edges": [["a", "x", 2], ["x", "a", 2]], "regions": AB}, ValueError, "edge 1: .*appears twice"),
    ({"edges": [["a", "x", 2], [["x"], "b", 2]], "regions": AB}, TypeError, "edge 1: vertex names"),
    ({"edges": [["a", "x", [1.5, -0.5]], ["x", "b", 2]], "regions": AB}, ValueError, "negative"),
    ({"edges": [["a", "x", [0.5, True]], ["x", "b", 2]], "regions": AB}, TypeError, "numbers"),
])
def test_from_dict_names_what_is_wrong(data, exc, match):
    with pytest.raises(exc, match=match):
        RandomTensorNetwork.from_dict(data)


def test_load_names_the_file(tmp_path):
    path = tmp_path / "net.json"
    path.write_text('{"edges": [["a", "x", 2]], "regions": []}')
    with pytest.raises(ValueError, match=r"net\.json: \"regions\" must be an object"):
        RandomTensorNetwork.load(path)
    path.write_text("{")
    with pytest.raises(ValueError, match=r"net\.json: not valid JSON"):
        RandomTensorNetwork.load(path)


def test_example_file_loads():
    net = RandomTensorNetwork.load(ROOT / "examples" / "data" / "rtn_series.json")
    assert net.bond_dims == (32, 32, 32) and net.bulk == ("x", "y")


# -- the compiled sampler --------------------------------------------------------------


def test_compiled_sampler_gives_the_same_samples_as_the_functions():
    net = chain_network([16, [0.6, 0.3, 0.1], 16])
    sampler = net.compile_sampler("A")
    assert isinstance(sampler, SpectrumSampler) and net.compile_sampler("A") is sampler
    assert sampler.method == "split" and sampler.rank == 3 and sampler.region == ("A",)
    np.testing.assert_array_equal(sampler.spectrum(seed=4), sample_spectrum(net, "A", seed=4))
    a, b = sampler.sample(3, seed=7), sample_spectra(net, "A", 3, seed=7)
    for x, y in zip(a.spectra, b.spectra):
        np.testing.assert_array_equal(x, y)
    fresh = SpectrumSampler(net, "A", method="direct")
    np.testing.assert_allclose(fresh.spectrum(seed=4), sampler.spectrum(seed=4), atol=1e-12)
    with pytest.raises(ValueError, match="method must be one of"):
        net.compile_sampler("A", method="qr")
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        sampler.sample(0)


def test_sampling_cuts_and_predictions_leave_the_network_unchanged():
    net = two_cut_network(8, links="two-level")
    state = {k: v for k, v in vars(net).items() if k != "_samplers"}
    net.sample_spectra("A", 2, seed=0)
    net.minimal_cuts("A")
    predict_spectrum(net, "A")
    net.compile_sampler(["A"], method="direct")
    assert {k: v for k, v in vars(net).items() if k != "_samplers"} == state
    assert net.to_dict() == two_cut_network(8, links="two-level").to_dict()
    assert pickle.loads(pickle.dumps(net))._samplers == {}  # compiled samplers are not pickled


def test_network_state_is_read_only():
    g = nx.path_graph(["a", "x", "b"])
    net = RandomTensorNetwork(g, AB, link_spectra={("a", "x"): [0.5, 0.5], ("x", "b"): [0.5, 0.5]})
    for name in ("graph", "regions", "boundary", "bulk", "edges", "bond_dims", "link_spectra"):
        with pytest.raises(AttributeError):
            setattr(net, name, None)
    with pytest.raises(nx.NetworkXError):
        net.graph.add_edge("a", "b")
    with pytest.raises(TypeError):
        net.regions["C"] = ("x",)
    with pytest.raises(ValueError, match="read-only"):
        net.link_spectra[0][0] = 1.0
    g.add_edge("a", "b")  # the caller's graph is theirs
    assert net.edges == (("a", "x"), ("x", "b"))
    clone = pickle.loads(pickle.dumps(net))
    with pytest.raises(nx.NetworkXError):
        clone.graph.add_edge("a", "b")
