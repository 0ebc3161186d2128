"""Link models: sanity links, the split oracle on table links, and agreement with hypergraphs."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from qinfo.entropy_cones import Hypergraph, LinkModel, split_decomposition
from qinfo.entropy_cones._link_oracle import LinkDiagram
from qinfo.entropy_cones import NonQuantumVectorWarning, UndeterminedSplitError


def brute_force_vector(model: LinkModel) -> np.ndarray:
    """Independent oracle: minimise over every set of cuttable components."""
    n = model.n_parties
    cuttable = [i for i, w in enumerate(model.weights) if math.isfinite(w)]
    everything = frozenset(range(model.n_components))
    best = {}
    from qinfo.entropy_cones._vectors import subset_labels

    for label in subset_labels(n):
        best[label] = math.inf
    for r in range(len(cuttable) + 1):
        for cut in itertools.combinations(cuttable, r):
            weight = sum(model.weights[i] for i in cut)
            pieces = model.split_decomposition(everything - set(cut)).pieces
            for label in best:
                inside = set(label)
                ok = True
                for piece in pieces:
                    labs = {model.labels[c] for c in piece} - {None}
                    if labs & inside and labs - inside:
                        ok = False
                        break
                if ok:
                    best[label] = min(best[label], weight)
    return np.array([best[k] for k in subset_labels(n)])


# -- sanity links --------------------------------------------------------------------------
@pytest.mark.parametrize("w", [1.0, 2.5])
def test_hopf_link_is_a_bell_pair(w):
    v = LinkModel("L2a1", "AO", weights=[w, w]).entropy_vector()
    assert v["A"] == w and v["O"] == w


def test_hopf_link_entropy_is_the_lighter_component():
    assert LinkModel("L2a1", "AO", weights=[3, 5]).entropy_vector()["A"] == 3


def test_borromean_rings_are_ghz3():
    v = LinkModel.borromean("ABO").entropy_vector()
    assert list(v.values) == [1, 1, 1]
    # GHZ: I(A:B) = 1 but any two rings alone are unlinked
    assert v.mutual_information("A", "B") == 1


def test_four_component_brunnian_link_is_ghz4():
    v = LinkModel.brunnian("ABCO").entropy_vector()
    assert np.all(v.values == 1)
    assert v.tripartite_information("A", "B", "C") == 1  # violates MMI, like a hyperedge


def test_hopf_chain_vector_matches_brute_force():
    model = LinkModel.hopf_chain(["A", None, "B", "O"], weights=[3, 1, 2, 5])
    v = model.entropy_vector()
    assert np.allclose(v.values, brute_force_vector(model))
    assert (v["A"], v["B"], v["AB"]) == (1, 2, 2)  # cut the bulk ring; cut B; cut B


# -- the oracle on table links ----------------------------------------------------------------
TABLE = {
    # name: {sublink: expected pieces}
    "L2a1": {(0, 1): 1},
    "L5a1": {(0, 1): 1},                    # Whitehead: lk = 0 but non-split
    "L4a1": {(0, 1): 1},
    "L6a4": {(0, 1, 2): 1, (0, 1): 2, (0, 2): 2, (1, 2): 2},   # Borromean
    "L6a5": {(0, 1, 2): 1, (0, 1): 1, (0, 2): 1, (1, 2): 1},
    "L6n1": {(0, 1, 2): 1, (0, 1): 1, (0, 2): 1, (1, 2): 1},
}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_oracle_answers_on_table_links_are_certified_and_correct(name):
    for sub, n_pieces in TABLE[name].items():
        d = split_decomposition(name, sub)
        assert d.certified, (name, sub, d)
        assert len(d.pieces) == n_pieces, (name, sub, d)


def test_oracle_on_a_hopf_chain_of_three():
    model = LinkModel.hopf_chain("ABO")
    ends = [i for i in range(3) if model.labels[i] in "AO"]
    d = model.split_decomposition(ends)
    assert d.certified and len(d.pieces) == 2


def test_alexander_certificate_is_used_for_a_non_alternating_link():
    # L8n2 has linking number 0 and a non-alternating diagram; only the Alexander test decides it
    d = split_decomposition(LinkDiagram.from_link("L8n2").pd)  # a PD code: no table membership
    assert d.reasons == ("Alexander polynomial",)


def test_linking_numbers_agree_with_spherogram():
    import spherogram

    for name in ["L6n1", "L6a5", "L7n1", "L4a1"]:
        diagram = LinkDiagram.from_link(name)
        expected = spherogram.Link(name).linking_matrix()
        for i, j in itertools.combinations(range(diagram.n_components), 2):
            assert abs(diagram.linking_number(i, j)) == abs(expected[i][j])


def test_sub_pd_keeps_component_identity():
    diagram = LinkDiagram.from_link("L6n1")
    for keep in itertools.combinations(range(3), 2):
        pd, orig = diagram.sub_pd(frozenset(keep))
        assert len(pd) == len(orig) == 2  # a Hopf clasp between the two kept rings
        assert all({diagram.under[k], diagram.over[k]} == set(keep) for k in orig)


# -- agreement with the hypergraph model ----------------------------------------------------------
def random_hypergraph(rng: random.Random, n_parties: int) -> Hypergraph:
    parties = "ABCDE"[:n_parties] + "O"
    boundary = {f"p{k}": p for k, p in enumerate(parties)}
    bulk = [f"x{k}" for k in range(rng.randint(0, 3))]
    vertices = list(boundary) + bulk
    edges = []
    for _ in range(rng.randint(1, 6)):
        size = rng.randint(2, min(4, len(vertices)))
        edges.append((tuple(rng.sample(vertices, size)), rng.randint(1, 4)))
    # make sure every vertex appears
    for v in vertices:
        if not any(v in e for e, _ in edges):
            edges.append(((v, rng.choice([u for u in vertices if u != v])), rng.randint(1, 4)))
    return Hypergraph(edges=edges, boundary=boundary)


def test_from_hypergraph_agrees_with_the_hypergraph_model_on_100_random_hypergraphs():
    rng = random.Random(7)
    for _ in range(100):
        h = random_hypergraph(rng, rng.randint(1, 3))
        link = LinkModel.from_hypergraph(h)
        assert link.entropy_vector().isclose(h.entropy_vector()), h


def test_entropy_search_agrees_with_brute_force_on_random_structures():
    rng = random.Random(3)
    for _ in range(60):
        labels = list("ABO") + [None] * rng.randint(0, 2)
        m = len(labels)
        gens = [frozenset(rng.sample(range(m), rng.randint(2, m))) for _ in range(rng.randint(1, 4))]
        model = LinkModel.from_connectivity(m, gens, labels, [rng.randint(1, 3) for _ in range(m)])
        assert np.allclose(model.entropy_vector().values, brute_force_vector(model))



# -- inequalities: SA holds, SSA is checked -------------------------------------------------------
def _sa_holds(v) -> bool:
    names = "ABCDEFG"[: v.n_parties] + "O"
    subsets = [''.join(c) for r in range(1, len(names)) for c in itertools.combinations(names, r)]
    return all(v[x] + v[y] >= v[x + y] - 1e-9 and v[x] + v[x + y] >= v[y] - 1e-9
               for x, y in itertools.permutations(subsets, 2) if not set(x) & set(y)
               and len(set(x + y)) < len(names))


@pytest.mark.parametrize("name,labels", [("L6a4", "ABO"), ("L6a5", "ABO"), ("L6n1", "ABO"),
                                         ("L5a1", "AO"), ("L8a21", "ABCO")])
def test_subadditivity_and_araki_lieb_hold_for_certified_links(name, labels):
    for weights in itertools.product([1, 2], repeat=len(labels)):
        v = LinkModel(name, labels, weights).entropy_vector()
        assert _sa_holds(v)


def test_ssa_violation_is_reported_not_assumed():
    # pairwise Hopf-linked A, C, O plus B Brunnian with all three (realisable by the
    # Brunn-Debrunner-Kanenobu theorem): I(A:O|B) = -1
    gens = [{2, 3}, {0, 1, 2, 3}, {0, 3}, {0, 2}]
    model = LinkModel.from_connectivity(4, gens, list("ABCO"), [2, 3, 3, 2])
    with pytest.warns(NonQuantumVectorWarning, match="SSA"):
        v = model.entropy_vector()
    assert np.allclose(v.values, brute_force_vector(model))
    assert v.conditional_mutual_information("A", "O", "B") == -1


# -- undetermined answers ---------------------------------------------------------------------
def test_undetermined_split_question_raises_naming_the_sublink():
    model = LinkModel.from_split_function(3, lambda s: [s], "ABO")
    model._oracle = lambda comps: _undetermined_decomposition(comps)
    model._cache.clear()
    with pytest.raises(UndeterminedSplitError, match=r"sublink of components \[0, 1, 2\]"):
        model.entropy_vector()


def _undetermined_decomposition(comps):
    from qinfo.entropy_cones._link_oracle import SplitDecomposition

    return SplitDecomposition(comps, (comps,), ("undetermined",))


def test_supplied_answers_are_used():
    everything = frozenset(range(3))
    model = LinkModel(LinkDiagram.from_link("L6a4").pd, "ABO", split_answers={everything: [everything]})
    assert model.split_decomposition(everything).reasons == ("supplied",)
    assert all(len(model.split_decomposition(everything - {c}).pieces) == 2 for c in range(3))


# -- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize("link,labels,weights,match", [
    ([(1, 2, 3)], "AO", None, "4-tuple"),
    ([(0, 1, 2, 3)], "A", None, "exactly twice"),
    ("L2a1", "AOB", None, "non-existent component"),
    ("L2a1", "AO", [1, -1], "positive"),
    ("L2a1", "AO", [1, 0], "positive"),
    ("L6a4", "ACO", None, "party B has no component"),
    ("L2a1", ["A", "x"], None, "capital letter"),
    ("L2a1", "OO", None, "at least one party"),
    ("Lnope", "AO", None, "link-table name"),
])
def test_bad_input(link, labels, weights, match):
    with pytest.raises(ValueError, match=match):
        LinkModel(link, labels, weights)


def test_split_decomposition_rejects_unknown_components():
    with pytest.raises(ValueError, match="do not exist"):
        split_decomposition("L2a1", [0, 5])


def test_draw_colours_components_by_party():
    import matplotlib

    matplotlib.use("Agg")
    ax = LinkModel.hopf_chain(["A", None, "O"]).draw()
    labels = sorted(t.get_text() for t in ax.get_legend().get_texts())
    assert labels == ["A", "O", "bulk"]
