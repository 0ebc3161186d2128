"""Hypergraph min-cut entropies against a brute-force oracle, invariants and bad input."""

from __future__ import annotations

import itertools
import math
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qinfo.entropy_cones._hypergraph import DEFAULT_METHOD
from qinfo.entropy_cones import Hypergraph, MinCut, entropy_vectors, random_hypergraph
from qinfo.entropy_cones._vectors import subset_masks
from qinfo.entropy_cones import EntropyVector, party_letters
from tests.strategies import min_cut_models

METHODS = ["augmenting_paths", "push_relabel", "dinic"]


# --------------------------------------------------------------------------- oracle
def brute_force(h: Hypergraph, parties: str, exact: bool = False):
    """Every assignment of the bulk vertices: (cut weights, membership matrix).

    Independent of the kernels: it reads only ``h.edges``, ``h.boundary`` and
    ``h.vertices`` and evaluates the cut of each W with numpy, in float64 or
    (``exact``) in Fractions.
    """
    vertices = list(h.vertices)
    pos = {v: i for i, v in enumerate(vertices)}
    bulk = [pos[v] for v in vertices if v not in h.boundary]
    b = len(bulk)
    member = np.zeros((1 << b, len(vertices)), dtype=bool)
    member[:, bulk] = (np.arange(1 << b)[:, None] >> np.arange(b)) & 1
    for v, p in h.boundary.items():
        member[:, pos[v]] = p in parties
    edges = h.edges
    incidence = np.zeros((len(vertices), len(edges)))
    for e, (verts, _) in enumerate(edges):
        incidence[[pos[v] for v in verts], e] = 1
    count = member.astype(float) @ incidence
    crossing = (count > 0) & (count < incidence.sum(axis=0))
    if exact:
        weights = [Fraction(w) for _, w in edges]
        return [sum((w for w, c in zip(weights, row) if c), Fraction(0)) for row in crossing], member
    weights = np.array([w for _, w in edges], dtype=float)
    return crossing @ weights, member


def brute_force_vector(h: Hypergraph) -> np.ndarray:
    letters = party_letters(h.n_parties)
    labels = ["".join(letters[i] for i in range(h.n_parties) if m >> i & 1)
              for m in subset_masks(h.n_parties)]
    return np.array([brute_force(h, lab)[0].min() for lab in labels])


def _random_cases(n_cases, seed):
    rng = np.random.default_rng(seed)
    for t in range(n_cases):
        n = int(rng.integers(1, 5))
        n_bulk = int(rng.integers(0, 13))
        n_v = n + 1 + n_bulk
        hi = int(rng.integers(2, min(5, n_v) + 1))
        n_edges = int(rng.integers(n + 1, 3 * n_v + 2))
        integer = bool(t % 2)
        yield random_hypergraph(n, n_bulk, n_edges, sizes=(2, hi), weights=(0, 5), integer=integer,
                                seed=rng)


@pytest.mark.parametrize("method", METHODS)
def test_entropy_vectors_match_brute_force_on_300_random_hypergraphs(method):
    for h in _random_cases(300, seed=11):
        got = h.entropy_vector(method).values
        want = brute_force_vector(h)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9, err_msg=repr(h.edges))


@pytest.mark.parametrize("method", METHODS)
def test_min_cut_minimal_and_maximal_bracket_every_optimal_w(method):
    for h in _random_cases(60, seed=5):
        letters = party_letters(h.n_parties) + "O"
        for size in range(1, len(letters)):
            for parties in itertools.combinations(letters, size):
                cut = h.min_cut("".join(parties), method=method)
                weights, member = brute_force(h, "".join(parties))
                best = weights.min()
                assert cut.value == pytest.approx(best, abs=1e-9)
                assert h.cut_weight(cut.minimal) == pytest.approx(best, abs=1e-9)
                assert h.cut_weight(cut.maximal) == pytest.approx(best, abs=1e-9)
                assert cut.minimal <= cut.maximal
                vertices = np.array(h.vertices, dtype=object)
                for row in member[weights <= best + 1e-9]:
                    w = frozenset(vertices[row].tolist())
                    assert cut.minimal <= w <= cut.maximal


def test_min_cuts_are_nested_for_nested_party_sets():
    for h in _random_cases(40, seed=8):
        letters = party_letters(h.n_parties)
        cuts = {}
        for size in range(1, h.n_parties + 1):
            for ps in itertools.combinations(letters, size):
                cuts[frozenset(ps)] = h.min_cut("".join(ps))
        for small, big in itertools.permutations(cuts, 2):
            if small < big:
                assert cuts[small].minimal <= cuts[big].minimal
                assert cuts[small].maximal <= cuts[big].maximal


@pytest.mark.parametrize("integer", [False, True])
def test_the_three_methods_agree_on_larger_hypergraphs(integer):
    for seed in range(3):
        h = random_hypergraph(4, 300, 700, sizes=(2, 5), weights=(1, 30) if integer else (0.1, 3.0),
                              integer=integer, seed=seed)
        a, b, c = (h.entropy_vector(m) for m in METHODS)
        assert a.isclose(b, atol=1e-9) and a.isclose(c, atol=1e-9)
        assert (a == b == c) if integer else a == h.entropy_vector()


def test_ten_parties_match_brute_force():
    h = random_hypergraph(10, 5, 40, sizes=(2, 4), weights=(1, 4), seed=3)
    np.testing.assert_array_equal(h.entropy_vector().values, brute_force_vector(h))


def test_path_of_100000_vertices_has_the_lightest_edge_as_entropy():
    n = 100_000
    rng = np.random.default_rng(0)
    weights = rng.integers(5, 1000, size=n - 1)
    weights[77_777] = 3
    edges = [((i, i + 1), int(w)) for i, w in enumerate(weights)]
    h = Hypergraph(edges, {0: "A", n - 1: "O"})
    assert h.entropy_vector().values.tolist() == [3.0]
    cut = h.min_cut("A")
    assert cut.minimal == cut.maximal == frozenset(range(77_778))


# --------------------------------------------------------------------------- exact cases
@pytest.mark.parametrize("k", [2, 3, 4, 6])
@pytest.mark.parametrize("w", [3, 2.5])
@pytest.mark.parametrize("purifier", [True, False])
def test_single_hyperedge_gives_its_weight_for_every_proper_subset(k, w, purifier):
    names = list(party_letters(k - 1 if purifier else k)) + (["O"] if purifier else [])
    h = Hypergraph([(tuple(f"v{c}" for c in names), w)], {f"v{c}": c for c in names})
    vec = h.entropy_vector()
    n = h.n_parties
    for label, value in vec.to_dict().items():
        proper = purifier or len(label) < n
        assert value == (w if proper else 0)
    assert isinstance(h.min_cut("A").value, type(w))


def test_perfect_tensor_star_graph():
    # a 4-leaf star with unit weights: the vector of the 4-party perfect tensor ... for 3 parties + O
    g = nx.star_graph(4)
    nx.set_edge_attributes(g, 1, "weight")
    h = Hypergraph.from_networkx(g, {1: "A", 2: "B", 3: "C", 4: "O"})
    assert h.is_graph
    assert h.entropy_vector() == EntropyVector([1, 1, 1, 2, 2, 2, 1])
    cut = h.min_cut("AB")
    assert cut.minimal == frozenset({1, 2}) and cut.maximal == frozenset({0, 1, 2})


def test_from_networkx_multigraph_adds_parallel_edges_and_keeps_isolated_nodes():
    g = nx.MultiGraph()
    g.add_edge("a", "b", weight=1)
    g.add_edge("a", "b", weight=2)
    g.add_node("lonely")
    h = Hypergraph.from_networkx(g, {"a": "A", "b": "O"})
    assert h.entropy_vector()["A"] == 3
    assert "lonely" in h.vertices and h.n_edges == 2


def test_no_purifier_means_pure_boundary():
    h = Hypergraph([(("a", "b"), 2), (("b", "c"), 5)], {"a": "A", "c": "B"})
    assert not h.has_purifier
    assert h.entropy_vector() == EntropyVector([2, 2, 0])


def test_vertices_argument_allows_isolated_boundary_and_bulk_vertices():
    h = Hypergraph([(("a", "o"), 1)], {"a": "A", "b": "B", "o": "O"}, vertices=["a", "b", "o", "x"])
    assert h.entropy_vector() == EntropyVector([1, 0, 1])
    assert h.n_vertices == 4


def test_integer_weights_stay_int64_and_float_weights_float64():
    hi = Hypergraph([(("a", "b"), 2), (("b", "c", "d"), np.int32(3))], {"a": "A", "d": "O"})
    hf = Hypergraph([(("a", "b"), 2), (("b", "c", "d"), 3.0)], {"a": "A", "d": "O"})
    assert hi.weights.dtype == np.int64 and hf.weights.dtype == np.float64
    assert type(hi.min_cut("A").value) is int and type(hf.min_cut("A").value) is float
    big = 2**60  # big + 1 is exact in int64, not in float64
    h = Hypergraph([(("a", "b"), big), (("b", "o"), big + 1)], {"a": "A", "o": "O"})
    assert h.min_cut("A").value == big


def test_edges_boundary_and_repr_describe_the_input():
    edges = [((1, 2, 3), 1.5), ((3, 4), 2.0)]
    h = Hypergraph(edges, {1: "A", 4: "O"})
    assert h.edges == [((1, 2, 3), 1.5), ((3, 4), 2.0)]
    assert h.boundary == {1: "A", 4: "O"}
    assert h.parties == "A" and h.n_parties == 1 and not h.is_graph
    assert repr(h) == "Hypergraph(4 vertices, 2 edges (hypergraph), parties A+O)"
    assert repr(MinCut(1, frozenset(), frozenset())) == "MinCut(value=1, minimal=frozenset(), maximal=frozenset())"


def test_min_cut_with_purifier_and_empty_set():
    h = Hypergraph([(("a", "x"), 1), (("x", "o"), 3), (("x", "b"), 1)], {"a": "A", "b": "B", "o": "O"})
    assert h.min_cut("BO").value == h.entropy_vector()["A"] == 1
    assert h.min_cut("BO").maximal == frozenset({"b", "x", "o"})
    assert h.min_cut("").value == 0


# --------------------------------------------------------------------------- never silently wrong (issue 12)
@pytest.mark.parametrize("method", METHODS)
def test_an_unrelated_huge_float_edge_does_not_corrupt_a_small_cut(method):
    # a tolerance relative to the largest capacity (1e15) used to give S_A = 1200 or 1500
    edges = [(("b", "o"), 1e15), (("a", "x"), 750.0), (("a", "x"), 750.0), (("x", "y"), 1100.0),
             (("y", "o"), 600.0), (("y", "o"), 600.0)]
    h = Hypergraph(edges, {"a": "A", "b": "B", "o": "O"})
    assert h.entropy_vector(method).values.tolist() == [1100.0, 1e15, 1e15 + 1100]
    assert h.min_cut("A", method).value == 1100.0
    assert h.min_cut("A", method).maximal == frozenset({"a", "x"})
    assert brute_force_vector(h).tolist() == [1100.0, 1e15, 1e15 + 1100]


@pytest.mark.parametrize("method", METHODS)
def test_a_hyperedge_of_weight_2_62_minus_1_is_cut_exactly(method):
    w = 2**62 - 1  # used to overflow int64 (S_A = 0)
    h = Hypergraph([(("a1", "a2", "b", "o"), w)], {"a1": "A", "a2": "A", "b": "B", "o": "O"})
    vec = h.entropy_vector(method)
    assert vec.values.dtype == np.int64 and vec.values.tolist() == [w, w, w]
    assert vec["A"] == w and type(vec["A"]) is int
    assert h.min_cut("A", method).value == w and type(h.min_cut("A").value) is int


@pytest.mark.parametrize("method", METHODS)
def test_integers_past_2_53_are_not_rounded_to_float(method):
    # these used to come back as floats, off by 1 and 57 (and S_B negative)
    h = Hypergraph([(("a", "o"), 2**53 + 1), (("a", "b"), 2**61 + 12345)], {"a": "A", "b": "B", "o": "O"})
    want = [2**53 + 1 + 2**61 + 12345, 2**61 + 12345, 2**53 + 1]
    assert h.entropy_vector(method).values.tolist() == want
    assert [h.min_cut(s, method).value for s in ("A", "B", "AB")] == want
    assert h.entropy_vector(method)["B"] == 2**61 + 12345


def test_integers_past_int64_use_python_ints_and_stay_exact():
    from qinfo.entropy_cones._hypergraph import _STATS

    before = _STATS["python-int kernels"]
    huge = 2**80
    h = Hypergraph([(("a", "x"), huge), (("x", "o"), 5), (("a", "b", "y", "o"), huge + 1), (("b", "y"), 3)],
                   {"a": "A", "b": "B", "o": "O"})
    assert h.weights.dtype == object
    assert h.min_cut("A").value == 5 + huge + 1
    assert h.min_cut("B").value == huge + 1
    assert h.cut_weight({"a"}) == 2 * huge + 1
    with pytest.raises(OverflowError, match=r"2\*\*63 - 1"):
        h.entropy_vector()
    small = Hypergraph([(("a", "x"), 2**62), (("x", "o"), 7), (("x", "y"), 2**62)], {"a": "A", "o": "O"})
    assert small.entropy_vector().values.tolist() == [7]  # capacities past int64, entropies within
    unsigned = Hypergraph([(("a", "o"), np.uint64(2**64 - 1)), (("a", "o"), np.uint8(1))], B)
    assert unsigned.min_cut("A").value == 2**64  # not wrapped around to a negative int64
    assert _STATS["python-int kernels"] > before


def test_fraction_weights_are_exact_and_round_once():
    third, seventh = Fraction(1, 3), Fraction(1, 7)
    h = Hypergraph([(("a", "x"), third), (("x", "o"), seventh), (("x", "b"), 1), (("a", "b", "o"), seventh)],
                   {"a": "A", "b": "B", "o": "O"})
    for parties in ("A", "B", "AB"):
        weights, _ = brute_force(h, parties, exact=True)
        assert h.min_cut(parties).value == min(weights)
        assert type(h.min_cut(parties).value) is Fraction
        assert h.entropy_vector()[parties] == float(min(weights))
    assert h.cut_weight({"a", "x"}) == 1 + seventh + seventh


def test_min_cut_and_entropy_vector_share_one_kernel_and_agree():
    for h in _random_cases(40, seed=21):
        vec = h.entropy_vector()
        for label in vec.labels:
            assert h.min_cut(label).value == pytest.approx(vec[label], rel=1e-12, abs=1e-12)
            if h.weights.dtype.kind == "i":
                assert h.min_cut(label).value == vec[label]
        assert entropy_vectors([h], progress=False)[0].values.tolist() == vec.values.tolist()


# --------------------------------------------------------------------------- properties
@st.composite
def hypergraphs(draw, max_size=5):
    n = draw(st.integers(1, 4))
    purifier = draw(st.booleans())
    names = list(party_letters(n)) + (["O"] if purifier else [])
    n_bulk = draw(st.integers(max(0, 2 - len(names)), 5))
    vertices = names + list(range(n_bulk))
    integer = draw(st.booleans())
    weight = st.integers(0, 6) if integer else st.floats(0, 5, allow_nan=False)
    size = st.integers(2, min(max_size, len(vertices)))
    edges = draw(st.lists(
        size.flatmap(lambda k: st.tuples(
            st.lists(st.sampled_from(vertices), min_size=k, max_size=k, unique=True).map(tuple),
            weight)),
        min_size=1, max_size=14))
    return Hypergraph(edges, {c: c for c in names}, vertices=vertices)


def _full_entropy(vec: EntropyVector) -> np.ndarray:
    """S over all subsets of the N+1 parties (bit N = purifier), by purity."""
    n = vec.n_parties
    names = party_letters(n) + "O"
    return np.array([vec["".join(names[i] for i in range(n + 1) if m >> i & 1)] for m in range(1 << (n + 1))])


def _disjoint_triples(n_total):
    """Masks (x, y, z) of disjoint sets of n_total parties, x and y non-empty."""
    labels = np.array(list(itertools.product(range(4), repeat=n_total)))  # 0 none, 1 X, 2 Y, 3 Z
    bits = 1 << np.arange(n_total)
    x, y, z = ((labels == k) @ bits for k in (1, 2, 3))
    keep = (x > 0) & (y > 0)
    return x[keep], y[keep], z[keep]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hypergraphs())
def test_every_hypergraph_vector_satisfies_sa_al_and_ssa(h):
    s = _full_entropy(h.entropy_vector())
    x, y, z = _disjoint_triples(h.n_parties + 1)
    tol = 1e-9
    assert np.all(s[x] + s[y] >= s[x | y] - tol)  # SA, all instances incl. the purifier
    assert np.all(s[x | y] >= np.abs(s[x] - s[y]) - tol)  # AL
    assert np.all(s[x | z] + s[y | z] >= s[x | y | z] + s[z] - tol)  # SSA


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hypergraphs(max_size=2))
def test_every_graph_vector_satisfies_mmi(h):
    assert h.is_graph
    s = _full_entropy(h.entropy_vector())
    x, y, z = _disjoint_triples(h.n_parties + 1)
    keep = z > 0
    x, y, z = x[keep], y[keep], z[keep]
    i3 = s[x] + s[y] + s[z] - s[x | y] - s[x | z] - s[y | z] + s[x | y | z]
    assert np.all(i3 <= 1e-9)


def test_ghz4_hyperedge_violates_mmi():
    # the reason hypergraph vectors leave the holographic cone
    h = Hypergraph([(("a", "b", "c", "o"), 1)], {"a": "A", "b": "B", "c": "C", "o": "O"})
    assert h.entropy_vector().tripartite_information("A", "B", "C") == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(h=hypergraphs(), data=st.data())
def test_relabelling_parties_permutes_the_vector_as_entropy_vector_says(h, data):
    # without an O vertex the purifier is trivial, so only the parties themselves are permuted
    names = h.parties + ("O" if h.has_purifier else "")
    image = data.draw(st.permutations(names))
    sigma = dict(zip(names, image))
    relabelled = Hypergraph(h.edges, {v: sigma[p] for v, p in h.boundary.items()}, vertices=h.vertices)
    assert relabelled.entropy_vector().isclose(h.entropy_vector().permute(sigma), atol=1e-9)


# --------------------------------------------------------------------------- many at once
def _some(n=6):
    return [random_hypergraph(3, 8, 20, seed=s) for s in range(n)]


def test_entropy_vectors_serial_and_thread_pool_match_one_at_a_time():
    hs = _some()
    want = [h.entropy_vector() for h in hs]
    assert entropy_vectors(hs, progress=False) == want
    with ThreadPoolExecutor(2) as ex:
        assert entropy_vectors(hs, executor=ex, progress=False, chunksize=2) == want
    assert entropy_vectors(hs, progress=False, method="dinic") == want


@pytest.mark.parametrize("budget", [0.0, 1.0])
def test_batched_augmenting_paths_hand_over_to_push_relabel(monkeypatch, budget):
    # with a small budget the batch kernel hands some or all networks over to push-relabel mid-sweep
    from qinfo._kernels import maxflow

    hs = list(_random_cases(40, seed=12))
    want = [h.entropy_vector("push_relabel") for h in hs]
    monkeypatch.setattr(maxflow, "AUGMENT_BUDGET", budget)
    assert entropy_vectors(hs, progress=False) == want
    for h, v in zip(hs, want):
        assert np.allclose(v.values, brute_force_vector(h), rtol=1e-12, atol=0)


@pytest.mark.parametrize("method", METHODS)
def test_batched_entropy_vectors_of_a_mixed_batch_match_brute_force(method):
    """One kernel call solves each group as a disjoint union: every member still gets its own cuts."""
    hs = list(_random_cases(40, seed=11))
    hs.append(Hypergraph([(("a", "b"), 2**70), (("b", "c"), 1)], {"a": "A", "c": "O"}))  # Python-int kernels
    hs.append(Hypergraph([(("a", "b"), Fraction(1, 3)), (("b", "c"), 1)], {"a": "A", "c": "O"}))  # Fractions
    got = entropy_vectors(hs, progress=False, method=method, chunksize=7)
    for h, v in zip(hs[:-2], got):
        assert np.allclose(v.values, brute_force_vector(h), rtol=1e-12, atol=0)
    assert got[-2:] == [h.entropy_vector() for h in hs[-2:]]
    assert got == [h.entropy_vector(method) for h in hs]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs=st.lists(min_cut_models(max_parties=3, max_bulk=6, max_edges=14, kinds=("small", "float")),
                   min_size=1, max_size=6))
def test_batched_entropy_vectors_equal_single_calls(hs):
    assert entropy_vectors(hs, progress=False) == [h.entropy_vector() for h in hs]


def test_gray_code_slices_of_the_subset_sweep_give_the_full_sweep():
    from qinfo._kernels import maxflow as mf

    h = random_hypergraph(4, 10, 30, seed=3)
    kernels, w, net = h._backend(True)
    args = (*net, h._party, 4, np.int64(0), h._edge_ptr, h._edge_verts, w, False)
    whole = mf.subset_cut_values(1, *args)[0]
    rows = [mf.subset_cut_values(1, *args, gray_range=(lo, hi))[0][:, 0] for lo, hi in ((1, 5), (5, 6), (6, 16))]
    i = np.arange(1, 16)
    assert np.array_equal(np.concatenate(rows), whole[i ^ (i >> 1)])
    with pytest.raises(ValueError, match="gray_range"):
        mf.subset_cut_values(1, *args, gray_range=(0, 3))


def test_entropy_vectors_on_a_dask_local_cluster():
    distributed = pytest.importorskip("distributed")
    hs = _some(8)
    want = [h.entropy_vector() for h in hs]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        got = entropy_vectors(hs, executor=client.get_executor(), progress=False, chunksize=3)
    assert got == want


def test_entropy_vectors_rejects_non_hypergraphs():
    with pytest.raises(TypeError, match=r"hypergraphs\[1\]"):
        entropy_vectors([_some(1)[0], "nope"], progress=False)


def test_random_hypergraph_is_reproducible_from_its_seed():
    a = random_hypergraph(5, 30, 60, seed=7)
    b = random_hypergraph(5, 30, 60, seed=7)
    assert a.edges == b.edges and a.n_vertices == 36 and a.n_edges == 60
    assert all(2 <= len(v) <= 4 for v, _ in a.edges)
    assert all(any(c in v for v, _ in a.edges) for c in "ABCDEO")


# --------------------------------------------------------------------------- bad input
B = {"a": "A", "o": "O"}


@pytest.mark.parametrize("weight, match", [
    (-1, "non-negative"), (-0.5, "non-negative"), (float("nan"), "finite"), (float("inf"), "finite"),
    (-float("inf"), "finite"), (np.nan, "finite"), (np.float32("inf"), "finite"), (np.int64(-3), "non-negative"),
    (Fraction(-1, 2), "non-negative"), (-(2**70), "non-negative"),
])
def test_bad_weights_are_rejected_with_the_edge_named(weight, match):
    with pytest.raises(ValueError, match=rf"edges\[1\].*{match}"):
        Hypergraph([(("a", "o"), 1), (("a", "o"), weight)], B)


@pytest.mark.parametrize("weight", [True, np.bool_(False), "1", b"1", None, 1j, Decimal("1.5"), [1]])
def test_non_numeric_weights_are_type_errors(weight):
    with pytest.raises(TypeError, match=r"edges\[1\]: weight"):
        Hypergraph([(("a", "o"), 1), (("a", "o"), weight)], B)


def test_weights_too_large_for_float64_are_rejected_not_overflowed():
    with pytest.raises(ValueError, match=r"edges\[1\].*too large"):
        Hypergraph([(("a", "o"), 1.0), (("a", "o"), 2**1100)], B)
    with pytest.raises(ValueError, match="1.7e308"):
        Hypergraph([(("a", "o"), 1.0), (("a", "o"), 1e308)], B)


@pytest.mark.parametrize("verts, match", [
    ((), "at least two"), (("a",), "at least two"), (("a", "o", "a"), "twice"),
])
def test_short_or_repeating_hyperedges_are_rejected(verts, match):
    with pytest.raises(ValueError, match=rf"edges\[1\].*{match}"):
        Hypergraph([(("a", "o"), 1), (verts, 1)], B)


def test_unknown_vertices_are_rejected():
    with pytest.raises(ValueError, match="unknown vertex 'z'"):
        Hypergraph([(("a", "z"), 1)], B, vertices=["a", "o"])
    with pytest.raises(ValueError, match="unknown vertex 'q'"):
        Hypergraph([(("a", "o"), 1)], {"a": "A", "o": "O", "q": "B"}, vertices=["a", "o"])
    with pytest.raises(ValueError, match="unknown vertex 'z'"):
        Hypergraph([(("a", "o"), 1)], B).cut_weight({"z"})


@pytest.mark.parametrize("party", ["a", "AB", "", 1, "1", "Ä"])
def test_bad_party_labels_are_rejected(party):
    with pytest.raises(ValueError, match="one capital letter"):
        Hypergraph([(("a", "o"), 1)], {"a": party, "o": "O"})


def test_a_party_without_boundary_vertex_is_rejected():
    with pytest.raises(ValueError, match="party 'B' has no boundary vertex"):
        Hypergraph([(("a", "c"), 1)], {"a": "A", "c": "C"})
    with pytest.raises(ValueError, match="no party"):
        Hypergraph([(("a", "o"), 1)], {"o": "O"})


def test_a_vertex_with_two_parties_is_rejected():
    with pytest.raises(ValueError, match="vertex 'a' carries two parties"):
        Hypergraph([(("a", "o"), 1)], [("a", "A"), ("o", "O"), ("a", "B")])


def test_malformed_edges_and_graphs_are_type_or_value_errors():
    with pytest.raises(TypeError, match=r"edges\[0\]"):
        Hypergraph([("ab", 1)], B)
    with pytest.raises(TypeError, match=r"edges\[0\]"):
        Hypergraph([(("a", "o"),)], B)
    with pytest.raises(TypeError, match=r"edges\[0\]"):
        Hypergraph([((["a"], "o"), 1)], B)
    with pytest.raises(ValueError, match="vertex 'a' is listed twice"):
        Hypergraph([(("a", "o"), 1)], B, vertices=["a", "o", "a"])
    g = nx.Graph([("a", "o")])
    with pytest.raises(ValueError, match="no 'weight' attribute"):
        Hypergraph.from_networkx(g, B)
    g.add_edge("a", "a", weight=1)
    g["a"]["o"]["weight"] = 1
    with pytest.raises(ValueError, match="self-loop"):
        Hypergraph.from_networkx(g, B)
    with pytest.raises(TypeError, match="undirected"):
        Hypergraph.from_networkx(nx.DiGraph([("a", "o")]), B)


def test_min_cut_of_an_unknown_party_and_unknown_method_are_rejected():
    h = Hypergraph([(("a", "o"), 1)], B)
    with pytest.raises(ValueError, match="unknown party 'B'"):
        h.min_cut("AB")
    with pytest.raises(ValueError, match="method must be one of"):
        h.entropy_vector(method="bk")
    assert DEFAULT_METHOD in METHODS


@pytest.mark.parametrize("method", METHODS)
def test_float_cuts_that_fail_certification_are_recomputed_exactly(method, monkeypatch):
    import qinfo.entropy_cones._hypergraph as hg

    edges = [(("a", "x"), 0.1), (("x", "o"), 1e12), (("x", "b", "y"), 3.5e-3), (("y", "o"), 0.3),
             (("a", "y", "b", "o"), 7.0)]
    h = Hypergraph(edges, {"a": "A", "b": "B", "o": "O"})
    want = [min(brute_force(h, lab, exact=True)[0]) for lab in ("A", "B", "AB")]
    monkeypatch.setattr(hg, "_certified", lambda values, flows, scales: np.asarray(values) == 0)
    before = hg._STATS["exact recomputations"]
    assert h.entropy_vector(method).values.tolist() == [float(w) for w in want]
    assert [h.min_cut(lab, method).value for lab in ("A", "B", "AB")] == [float(w) for w in want]
    assert hg._STATS["exact recomputations"] == before + 4


def test_a_call_that_starts_millions_of_cuts_says_so_and_past_the_limit_refuses(monkeypatch):
    import qinfo.entropy_cones._hypergraph as hg

    names = party_letters(25)
    big = Hypergraph([((c, 0), 1) for c in names] + [((i, i + 1), 1) for i in range(20_000)],
                     {c: c for c in names})
    with pytest.raises(ValueError, match=r"n_parties=25.*33,554,431 min cuts.*BUDGET\['subsets'\] = 1,048,576.*"
                                         r"BUDGET\['subsets'\] = 2\*\*25"):
        big.entropy_vector()
    monkeypatch.setitem(hg.BUDGET, "subsets", 2**25)
    with pytest.raises(ValueError, match=r"25 parties: 33,554,431 min cuts.*limit of 1e\+12"):
        big.entropy_vector()
    monkeypatch.setitem(hg.BUDGET, "subsets", 2**20)
    small = Hypergraph([((c, "x"), 1) for c in names], {c: c for c in names})  # 33.5M cuts of a tiny network
    with pytest.raises(ValueError, match=r"BUDGET\['subsets'\] = 1,048,576"):
        small.entropy_vector()
    h = Hypergraph([(("a", "x"), 1), (("x", "o"), 2)], {"a": "A", "o": "O"})
    monkeypatch.setattr(hg, "_WARN_SECONDS", 0.0)
    with pytest.warns(RuntimeWarning, match=r"1 parties: 1 min cuts .* CPU s"):
        assert h.entropy_vector()["A"] == 1


@pytest.mark.parametrize("method", METHODS)
def test_float_cuts_tied_up_to_rounding_are_both_optimal_sides(method):
    # log 24 and log 2 + log 2 + log 6 are equal but differ in the last bit as floats
    logs = [math.log(2), math.log(2), math.log(6)]
    assert math.log(24) != sum(logs)
    h = Hypergraph([(("a", "x"), math.log(24))] + [(("x", "o"), w) for w in logs], {"a": "A", "o": "O"})
    cut = h.min_cut("A", method)
    assert cut.minimal == {"a"} and cut.maximal == {"a", "x"}
    assert cut.value == pytest.approx(math.log(24), rel=1e-15)


@pytest.mark.parametrize("kind", ["int", "float", "fraction"])
def test_a_long_call_runs_in_gray_code_slices_on_an_executor_with_the_same_result(monkeypatch, kind):
    import qinfo.entropy_cones._hypergraph as hg

    h = random_hypergraph(5, 12, 30, integer=kind != "float", seed=5)
    if kind == "fraction":
        h = Hypergraph([(e, Fraction(w, 3)) for e, w in h.edges], h.boundary, vertices=h.vertices)
    want = h.entropy_vector()
    assert np.allclose(want.values, brute_force_vector(h), rtol=1e-12, atol=0)
    monkeypatch.setattr(hg, "_WARN_SECONDS", 0.0)
    monkeypatch.setattr(hg, "_SLICES", 7)
    with pytest.warns(RuntimeWarning, match=r"5 parties: 31 min cuts"):
        assert h.entropy_vector(progress=False) == want
    with ThreadPoolExecutor(2) as ex, pytest.warns(RuntimeWarning):
        assert h.entropy_vector(executor=ex, progress=False) == want
