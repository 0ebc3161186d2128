"""The JSON forms of the models: to_dict/from_dict and save/load round trips, and refusals that name the entry."""

from __future__ import annotations

import json
import math
import warnings
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones import Hypergraph, LinkModel, NonQuantumVectorWarning, StabilizerState
from tests.strategies import link_structures, min_cut_models, stabilizer_states


@settings(max_examples=60, deadline=None)
@given(min_cut_models(max_parties=4, kinds=("int", "float", "mixed")))
def test_hypergraph_round_trips_through_json_text(h):
    back = Hypergraph.from_dict(json.loads(json.dumps(h.to_dict())))
    assert back.edges == h.edges and back.boundary == h.boundary and back.vertices == h.vertices
    assert back.weights.dtype == h.weights.dtype  # ints stay exact, floats stay floats


@settings(max_examples=40, deadline=None)
@given(stabilizer_states())
def test_stabilizer_state_round_trips_through_json_text(state):
    back = StabilizerState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert back == state and back.entropy_vector() == state.entropy_vector()


@settings(max_examples=30, deadline=None)
@given(link_structures(min_components=3, max_components=6, parties="ABO"))
def test_connectivity_link_model_round_trips_through_json_text(structure):
    model = LinkModel.from_connectivity(*structure)
    back = LinkModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert back.labels == model.labels and back.weights == model.weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonQuantumVectorWarning)
        assert back.entropy_vector() == model.entropy_vector()


def test_link_diagrams_round_trip_by_name_and_by_pd_code(tmp_path):
    pytest.importorskip("spherogram")
    by_name = LinkModel("L6a4", "ABO", weights=[1, 2, math.inf])
    chain = LinkModel.hopf_chain(["A", None, "O"], weights=[1, 2, 3])  # built from a PD code
    for model in (by_name, chain):
        back = LinkModel.load(model.save(tmp_path / "m.json"))
        assert back.to_dict() == model.to_dict()
        assert back.entropy_vector() == model.entropy_vector()
    assert by_name.to_dict()["link"] == "L6a4" and isinstance(chain.to_dict()["link"], list)


def test_save_and_load_write_the_file_qinfo_entropy_reads(tmp_path, capsys):
    from qinfo.cli import main

    h = Hypergraph([(("a", "b", "c"), 1)], {"a": "A", "b": "B", "c": "O"})
    s = StabilizerState(["XXX", "ZZI", "IZZ"], "ABO")
    for model in (h, s):
        path = model.save(tmp_path / "model.json")
        assert type(model).load(path).entropy_vector() == model.entropy_vector()
        assert main(["entropy", str(path), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["entropies"] == {"A": 1, "B": 1, "AB": 1}


def test_graph_form_and_isolated_vertices():
    g = Hypergraph.from_dict({"model": "graph", "edges": [[1, 2, 3]], "boundary": {"1": "A", "2": "O"}})
    assert g.boundary == {1: "A", 2: "O"} and g.entropy_vector()["A"] == 3
    h = Hypergraph([(("a", "b"), 1)], {"a": "A", "b": "O"}, vertices=["a", "b", "lonely"])
    assert h.to_dict()["vertices"] == ["a", "b", "lonely"]
    assert Hypergraph.from_dict(h.to_dict()).vertices == h.vertices


@pytest.mark.parametrize("call, exc, match", [
    (lambda: Hypergraph.from_dict([]), TypeError, "JSON object"),
    (lambda: Hypergraph.from_dict({"model": "link"}), ValueError, '"model" must be one of'),
    (lambda: Hypergraph.from_dict({"edges": []}), ValueError, '"boundary"'),
    (lambda: Hypergraph.from_dict({"edges": [], "boundary": {}, "wieghts": 1}), ValueError, "wieghts"),
    (lambda: Hypergraph.from_dict({"edges": [[["a", "b"], "1"]], "boundary": {"a": "A"}}), TypeError,
     "edge 0: weight must be a number"),
    (lambda: Hypergraph.from_dict({"model": "graph", "edges": [["a"]], "boundary": {}}), ValueError, "edge 0"),
    (lambda: Hypergraph([(("a", "b"), Fraction(1, 3))], {"a": "A", "b": "O"}).to_dict(), ValueError,
     "not a whole number"),
    (lambda: Hypergraph([((("t",), "b"), 1)], {"b": "A"}).to_dict(), TypeError, "no JSON form"),
    (lambda: StabilizerState.from_dict({"stabilizers": ["XX"]}), ValueError, '"parties"'),
    (lambda: StabilizerState.from_dict({"stabilizers": "XX", "parties": "AB"}), ValueError, "Pauli strings"),
    (lambda: StabilizerState("XX", "AB"), TypeError, "list of Pauli strings"),
    (lambda: LinkModel.from_dict({"model": "link", "labels": "AO", "link": "L2a1"}), ValueError, '"labels"'),
    (lambda: LinkModel.from_dict({"model": "link", "labels": ["A", "O"]}), ValueError, '"link"'),
    (lambda: LinkModel.from_split_function(2, lambda s: [s], "AO").to_dict(), TypeError, "split function"),
])
def test_bad_forms_are_refused_naming_the_entry(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_load_names_the_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"model": "graph", "edges": [["a", "b", true]], "boundary": {"a": "A", "b": "O"}}')
    with pytest.raises(TypeError, match="bad.json: edge 0"):
        Hypergraph.load(path)
    path.write_text("{")
    with pytest.raises(ValueError, match="bad.json: not valid JSON"):
        Hypergraph.load(path)
