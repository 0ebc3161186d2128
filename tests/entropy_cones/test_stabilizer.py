"""Stabilizer and graph-state entropy vectors against dense density matrices and known states."""

import hashlib
import itertools
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import reduce

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
pytest.importorskip("qiskit", reason="the stabilizer oracles use qiskit (the [qiskit] extra)")
from qiskit import QuantumCircuit  # noqa: E402
from qiskit.quantum_info import Clifford, StabilizerState, Statevector, entropy, partial_trace, random_clifford

import qinfo.entropy_cones._stabilizer as stabilizer
from qinfo.entropy_cones import graph_state_entropy_vectors, stabilizer_entropy_vector, symplectic_matrix
from qinfo.entropy_cones import EntropyVector, party_letters, subset_labels
from tests.strategies import stabilizer_states, stabilizer_tableaux

# ----------------------------------------------------------------------------------------
# oracles and helpers
# ----------------------------------------------------------------------------------------
PAULI = {
    "I": np.eye(2),
    "X": np.array([[0, 1], [1, 0]]),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1.0, -1.0]),
}


def dense_rho_from_paulis(strings):
    """rho = 2^-n prod (1 + g); qubit 0 is the FIRST tensor factor (character 0)."""
    n = len(strings[0].lstrip("+-"))
    rho = np.eye(2**n, dtype=complex)
    for s in strings:
        sign = -1.0 if s.startswith("-") else 1.0
        g = reduce(np.kron, [PAULI[c] for c in s.lstrip("+-")])
        rho = rho @ (np.eye(2**n) + sign * g) / 2
    return rho / 2 ** (n - len(strings))


def dense_entropy(rho, n, keep):
    """von Neumann entropy in bits of the qubits ``keep`` (qubit 0 = first factor)."""
    keep = sorted(keep)
    rest = [q for q in range(n) if q not in keep]
    t = rho.reshape([2] * (2 * n)).transpose(keep + rest + [n + q for q in keep] + [n + q for q in rest])
    t = t.reshape(2 ** len(keep), 2 ** len(rest), 2 ** len(keep), 2 ** len(rest))
    red = np.einsum("ajbj->ab", t)
    ev = np.linalg.eigvalsh(red)
    ev = ev[ev > 1e-12]
    return float(-(ev * np.log2(ev)).sum())


def qubits_of(label, parties):
    return [q for q, p in enumerate(parties) if p in label]


def dense_vector(entropy_of_qubits, parties):
    n_parties = len(set(parties) - {"O"})
    return EntropyVector([entropy_of_qubits(qubits_of(lab, parties)) for lab in subset_labels(n_parties)])


def qiskit_vector(cliff, parties):
    """Oracle through qiskit's Statevector, partial_trace and entropy (qubit q = qiskit qubit q)."""
    sv = Statevector(cliff.to_circuit())
    n = cliff.num_qubits

    def s(keep):
        traced = [q for q in range(n) if q not in keep]
        return entropy(partial_trace(sv, traced), base=2) if traced else 0.0

    return dense_vector(s, parties)


def random_parties(rng, n, purifier=True):
    """Random grouping of n qubits into parties A, B, ... (each used) and maybe O."""
    n_parties = int(rng.integers(1, n + 1 if not purifier else n))
    labels = list(party_letters(n_parties)) + (["O"] if purifier else [])
    groups = list(labels) + [labels[i] for i in rng.integers(0, len(labels), n - len(labels))]
    rng.shuffle(groups)
    return "".join(groups)


def clifford_strings(cliff):
    """Pauli strings with character k on qubit k (qiskit labels reversed)."""
    return [lab[0] + lab[1:][::-1] for lab in cliff.to_labels(mode="S")]


def graph_adjacency(n, gray):
    adj = np.zeros((n, n), dtype=int)
    for e, (u, v) in enumerate(itertools.combinations(range(n), 2)):
        if gray >> e & 1:
            adj[u, v] = adj[v, u] = 1
    return adj


def graph_circuit(adj):
    n = adj.shape[0]
    qc = QuantumCircuit(n)
    qc.h(range(n))
    for u, v in zip(*np.nonzero(np.triu(adj))):
        qc.cz(int(u), int(v))
    return qc


# ----------------------------------------------------------------------------------------
# agreement with dense density matrices
# ----------------------------------------------------------------------------------------
def _check_random_cliffords(n_states, n_max, seed):
    rng = np.random.default_rng(seed)
    for i in range(n_states):
        n = int(rng.integers(2, n_max + 1))
        cliff = random_clifford(n, seed=int(rng.integers(2**31)))
        parties = random_parties(rng, n, purifier=bool(rng.integers(2)) or n == 1)
        got = stabilizer_entropy_vector(cliff, parties)
        want = qiskit_vector(cliff, parties)
        assert got.isclose(want, atol=1e-8), (i, n, parties, cliff.to_labels(mode="S"))


def test_random_clifford_states_match_dense_qiskit_entropies():
    _check_random_cliffords(200, 6, seed=2024)


@pytest.mark.slow
def test_random_clifford_states_up_to_8_qubits_match_dense_qiskit_entropies():
    _check_random_cliffords(600, 8, seed=7)


def test_mixed_states_match_dense_density_matrix():
    rng = np.random.default_rng(11)
    for _ in range(60):
        n = int(rng.integers(2, 6))
        k = int(rng.integers(1, n))
        strings = clifford_strings(random_clifford(n, seed=int(rng.integers(2**31))))[:k]
        parties = random_parties(rng, n, purifier=False)
        rho = dense_rho_from_paulis(strings)
        want = dense_vector(lambda keep: dense_entropy(rho, n, keep), parties)
        got = stabilizer_entropy_vector(strings, parties)
        assert got.isclose(want, atol=1e-8), (strings, parties)
        assert got[party_letters(got.n_parties)] == n - k


def test_pauli_string_character_k_acts_on_qubit_k():
    # qubit 0 in |0>, qubits 1 and 2 a Bell pair: only the order "character k = qubit k" gives
    # S_A = 0 for parties "ABO"
    strings = ["ZII", "IXX", "IZZ"]
    assert list(stabilizer_entropy_vector(strings, "ABO")) == [0, 1, 1]
    rho = dense_rho_from_paulis(strings)  # qubit 0 = first kron factor
    assert stabilizer_entropy_vector(strings, "ABO") == dense_vector(lambda keep: dense_entropy(rho, 3, keep), "ABO")
    # the same state built in qiskit, whose Pauli labels are written the other way round
    qc = QuantumCircuit(3)
    qc.h(1)
    qc.cx(1, 2)
    assert sorted(Clifford(qc).to_labels(mode="S")) == sorted(["+IIZ", "+XXI", "+ZZI"])
    assert stabilizer_entropy_vector(qc, "ABO") == stabilizer_entropy_vector(strings, "ABO")
    assert stabilizer_entropy_vector(clifford_strings(Clifford(qc)), "ABO") == stabilizer_entropy_vector(qc, "ABO")


# ----------------------------------------------------------------------------------------
# known states
# ----------------------------------------------------------------------------------------
FIVE_QUBIT_CODE = ["XZZXI", "IXZZX", "XIXZZ", "ZXIXZ"]


@pytest.mark.parametrize("logical", ["+ZZZZZ", "-ZZZZZ", "+XXXXX"])
def test_five_qubit_code_states_are_ame_5_2(logical):
    # |0_L>, |1_L>, |+_L> of [[5,1,3]] are absolutely maximally entangled: S(X) = min(|X|, 5 - |X|)
    strings = FIVE_QUBIT_CODE + [logical]
    vec = stabilizer_entropy_vector(strings, "ABCDO")
    want = EntropyVector.from_function(4, lambda lab: min(len(lab), 5 - len(lab)))
    assert vec == want
    assert list(vec) == [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1]
    rho = dense_rho_from_paulis(strings)
    assert vec.isclose(dense_vector(lambda keep: dense_entropy(rho, 5, keep), "ABCDO"))


def test_five_qubit_code_space_is_a_mixed_state_with_one_bit_of_entropy():
    vec = stabilizer_entropy_vector(FIVE_QUBIT_CODE, "ABCDE")
    rho = dense_rho_from_paulis(FIVE_QUBIT_CODE)
    assert vec.isclose(dense_vector(lambda keep: dense_entropy(rho, 5, keep), "ABCDE"))
    assert vec["ABCDE"] == 1 and vec["AB"] == 2 and vec["ABC"] == 3 and vec["ABCD"] == 2


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_ghz_states_have_one_bit_for_every_proper_subset(n):
    strings = ["X" * n] + ["I" * i + "ZZ" + "I" * (n - i - 2) for i in range(n - 1)]
    vec = stabilizer_entropy_vector(strings, party_letters(n - 1) + "O")
    assert list(vec) == [1.0] * (2 ** (n - 1) - 1)
    star = nx.star_graph(n - 1)  # GHZ is local-Clifford equivalent to the star graph state
    assert stabilizer_entropy_vector(star, party_letters(n - 1) + "O") == vec


def test_bell_pair_vectors():
    assert list(stabilizer_entropy_vector(["XX", "ZZ"], "AB")) == [1, 1, 0]
    assert list(stabilizer_entropy_vector(["XX", "-YY"], "AO")) == [1]
    assert list(stabilizer_entropy_vector(["XXII", "ZZII", "IIXX", "IIZZ"], "ABAB")) == [2, 2, 0]
    assert list(stabilizer_entropy_vector(["XIXI", "ZIZI", "IZII", "IIIX"], "ABCO")) == [1, 0, 1, 1, 0, 1, 0]


# ----------------------------------------------------------------------------------------
# entropy inequalities every stabilizer vector satisfies
# ----------------------------------------------------------------------------------------
ALL5 = "ABCDO"


def ingleton_slack(v):
    return (v["AB"] + v["AC"] + v["AD"] + v["BC"] + v["BD"]
            - v["A"] - v["B"] - v["CD"] - v["ABC"] - v["ABD"])


def elemental_slacks(v):
    """SA-type I(i:j|K) >= 0 for all parties i, j and K among the other N-1 (O included)."""
    names = party_letters(v.n_parties) + "O"
    out = []
    for i, j in itertools.combinations(names, 2):
        rest = [c for c in names if c not in (i, j)]
        for r in range(len(rest) + 1):
            for k in itertools.combinations(rest, r):
                k = "".join(k)
                out.append(v[i + k] + v[j + k] - v[i + j + k] - (v[k] if k else 0.0))
    return out


@settings(max_examples=40, deadline=None)
@given(stabilizer_states(min_qubits=5, max_qubits=7, pure=True, parties=ALL5))
def test_every_4_party_stabilizer_vector_satisfies_sa_ssa_and_all_ingleton_instances(state):
    vec = state.entropy_vector()
    assert min(elemental_slacks(vec)) >= -1e-9
    assert all(vec[x] >= 0 for x in vec.labels)
    for perm in itertools.permutations(ALL5):
        assert ingleton_slack(vec.permute(dict(zip(ALL5, perm)))) >= -1e-9, perm


@settings(max_examples=30, deadline=None)
@given(stabilizer_states(min_qubits=2, max_qubits=6, pure=False))
def test_mixed_stabilizer_vectors_satisfy_strong_subadditivity_and_araki_lieb(state):
    vec = state.entropy_vector()
    assert min(elemental_slacks(vec)) >= -1e-9
    for x, y in itertools.combinations(vec.labels, 2):
        if not set(x) & set(y):
            assert vec[x + y] >= abs(vec[x] - vec[y]) - 1e-9


@settings(max_examples=30, deadline=None)
@given(stabilizer_states(min_qubits=3, max_qubits=6, pure=True), st.data())
def test_every_stabilizer_vector_matches_its_dense_density_matrix(state, data):
    """The oracle: von Neumann entropies of the dense state of the same generators (n <= 6)."""
    vec = state.entropy_vector()
    rho = dense_rho_from_paulis(list(state.stabilizers))
    n = len(state.parties)
    label = data.draw(st.sampled_from(vec.labels))
    qubits = [q for q in range(n) if state.parties[q] in label]
    assert vec[label] == pytest.approx(dense_entropy(rho, n, qubits), abs=1e-7)


# ----------------------------------------------------------------------------------------
# symmetry and input forms
# ----------------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(st.data())
def test_relabelling_parties_permutes_the_vector_as_entropyvector_permute_says(data):
    names = party_letters(data.draw(st.integers(1, 3))) + "O"
    state = data.draw(stabilizer_states(min_qubits=3, max_qubits=6, pure=True, parties=names))
    image = dict(zip(names, data.draw(st.permutations(list(names)))))
    relabelled = "".join(image[p] for p in state.parties)
    assert (stabilizer_entropy_vector(list(state.stabilizers), relabelled)
            == state.entropy_vector().permute(image))


@settings(max_examples=30, deadline=None)
@given(stabilizer_tableaux(min_qubits=2, max_qubits=6), st.data())
def test_permuting_qubits_together_with_their_parties_leaves_the_vector_unchanged(matrix, data):
    k, n = matrix.shape[0], matrix.shape[1] // 2
    letters = party_letters(max(1, n - 1)) + ("O" if k == n else "")
    parties = [letters[0]] + [data.draw(st.sampled_from(letters)) for _ in range(n - 1)]
    used = sorted({c for c in parties if c != "O"})
    parties = [dict(zip(used, party_letters(len(used)))).get(c, c) for c in parties]
    p = np.array(data.draw(st.permutations(range(n))))
    moved = matrix[:, np.concatenate([p, n + p])]
    assert stabilizer_entropy_vector(moved, [parties[q] for q in p]) == stabilizer_entropy_vector(matrix, parties)


def test_every_input_form_gives_the_same_vector():
    cliff = random_clifford(5, seed=3)
    parties = "ABOAC"
    want = stabilizer_entropy_vector(cliff, parties)
    forms = [
        StabilizerState(cliff),
        cliff.to_circuit(),
        clifford_strings(cliff),
        symplectic_matrix(cliff).astype(int),
        symplectic_matrix(cliff).tolist(),
    ]
    for form in forms:
        assert stabilizer_entropy_vector(form, parties) == want, type(form)
    as_dict = {q: c for q, c in enumerate(parties)}
    assert stabilizer_entropy_vector(cliff, as_dict) == want


def test_graph_state_forms_agree_and_networkx_dicts_are_keyed_by_node():
    adj = graph_adjacency(5, 0b1011001101)
    graph = nx.relabel_nodes(nx.from_numpy_array(adj), {i: f"v{i}" for i in range(5)})
    parties = "ABACO"
    want = stabilizer_entropy_vector(adj, parties)
    assert stabilizer_entropy_vector(graph, parties) == want
    assert stabilizer_entropy_vector(graph, {f"v{i}": p for i, p in enumerate(parties)}) == want
    assert stabilizer_entropy_vector(graph_circuit(adj), parties) == want
    generators = ["".join("X" if q == v else ("Z" if adj[v, q] else "I") for q in range(5)) for v in range(5)]
    assert stabilizer_entropy_vector(generators, parties) == want
    assert stabilizer_entropy_vector(adj, parties).isclose(qiskit_vector(Clifford(graph_circuit(adj)), parties))


# ----------------------------------------------------------------------------------------
# enumeration of graph states
# ----------------------------------------------------------------------------------------
def test_four_qubit_enumeration_matches_brute_force_through_dense_statevectors():
    res = graph_state_entropy_vectors(4, progress=False)
    counts = {}
    for g in range(2**6):
        sv = Statevector(graph_circuit(graph_adjacency(4, g)))

        def s(keep):
            return entropy(partial_trace(sv, [q for q in range(4) if q not in keep]), base=2)

        v = dense_vector(s, "ABCO")
        key = tuple(np.round(v.values).astype(int))
        counts[key] = counts.get(key, 0) + 1
    got = {tuple(row.tolist()): int(c) for row, c in zip(res.values, res.counts)}
    assert got == counts
    assert len(res) == 18 and res.n_graphs == 64


@pytest.mark.parametrize("parties", ["ABCDO", "AABCO", "ABCAB", "AOBOC"])
def test_enumeration_matches_general_stabilizer_path_for_every_5_qubit_graph(parties):
    res = graph_state_entropy_vectors(5, parties, progress=False)
    counts = {}
    for g in range(2**10):
        v = stabilizer_entropy_vector(graph_adjacency(5, g), parties)
        counts[v] = counts.get(v, 0) + 1
    assert dict(zip(res.vectors, res.counts.tolist())) == counts
    assert res.parties == parties


def test_every_random_5_qubit_stabilizer_vector_is_a_graph_state_vector():
    found = set(graph_state_entropy_vectors(5, progress=False).vectors)
    rng = np.random.default_rng(5)
    for _ in range(50):
        assert stabilizer_entropy_vector(random_clifford(5, seed=int(rng.integers(2**31))), "ABCDO") in found


def test_distinct_vector_and_orbit_counts_for_5_and_6_qubits():
    assert [len(graph_state_entropy_vectors(n, progress=False)) for n in (2, 3, 4, 5, 6)] == [2, 5, 18, 93, 760]


def test_distinct_vector_count_for_7_qubits():
    res = graph_state_entropy_vectors(7, progress=False)
    assert (len(res), len(res.orbits), res.n_graphs) == (10773, 59, 2**21)
    assert res.counts.min() >= 1 and res.values.max() == 3


@pytest.mark.parametrize("n, parties, digest", [
    (6, None, "fcfd1b3315a5d107a7d341099922d6b0f5b1b6a50b7b4d2cfcf8ed6e77407112"),
    (6, "OABCDE", "fcfd1b3315a5d107a7d341099922d6b0f5b1b6a50b7b4d2cfcf8ed6e77407112"),
    (7, None, "65a8b227f7df992ecbe1c97ac653707197bf740c225a4ec075b6f1bf99424d90"),
    (7, "ABACBOD", "34adb91820ed31c15249f2d0701084d1d21bad2d1f4c59e6c373efb483a0f801"),
])
def test_6_and_7_qubit_vectors_and_counts_equal_the_one_graph_at_a_time_enumeration(n, parties, digest):
    # sha256 of values and counts as computed by the previous kernel (one Gray-code step per graph, no pairing)
    res = graph_state_entropy_vectors(n, parties, progress=False)
    data = res.values.astype(np.uint8).tobytes() + res.counts.astype(np.int64).tobytes()
    assert hashlib.sha256(data).hexdigest() == digest


@pytest.mark.slow
def test_8_qubit_counts_and_their_7_qubit_restriction():
    res = graph_state_entropy_vectors(8, progress=False)  # about 3 CPU minutes
    assert (len(res), res.n_graphs, res.values.max()) == (295838, 2**28, 4)
    labels = list(subset_labels(7))
    unentangled = res.values[:, labels.index("G")] == 0  # party G in a product state: 7-qubit graph states
    keep = [i for i, label in enumerate(labels) if "G" not in label]
    seven = graph_state_entropy_vectors(7, progress=False)
    assert {r.tobytes() for r in np.ascontiguousarray(res.values[unentangled][:, keep])} == {
        r.tobytes() for r in seven.values}
    assert res.counts[unentangled].sum() == 2**21 and unentangled.sum() == len(seven)
    assert len(res.orbits) == 182


@pytest.mark.parametrize("n", [7, 8])
def test_random_single_graphs_match_the_general_stabilizer_path(n):
    rng = np.random.default_rng(n)
    parties = party_letters(n - 1) + "O"
    for g in rng.integers(0, 2 ** (n * (n - 1) // 2), 25).tolist():
        res = graph_state_entropy_vectors(n, graphs=range(g, g + 1), progress=False)
        assert res.n_graphs == 1 and len(res) == 1
        assert res.vectors[0] == stabilizer_entropy_vector(graph_adjacency(n, g ^ (g >> 1)), parties), g


def test_an_8_qubit_stretch_matches_the_general_stabilizer_path():
    start = 3 * 2**26 + 12345  # graphs with edges among every qubit, starting mid-Gray-code
    res = graph_state_entropy_vectors(8, "ABCADBCO", graphs=range(start, start + 300), progress=False)
    counts = {}
    for g in range(start, start + 300):
        v = stabilizer_entropy_vector(graph_adjacency(8, g ^ (g >> 1)), "ABCADBCO")
        counts[v] = counts.get(v, 0) + 1
    assert dict(zip(res.vectors, res.counts.tolist())) == counts


def test_slices_add_up_to_the_whole_enumeration(monkeypatch):
    whole = graph_state_entropy_vectors(6, progress=False)
    monkeypatch.setattr(stabilizer, "_CHUNK", 1000)
    total = {}
    for lo, hi in [(0, 7), (7, 20000), (20000, 2**15)]:
        part = graph_state_entropy_vectors(6, graphs=range(lo, hi), progress=False)
        for v, c in zip(part.vectors, part.counts.tolist()):
            total[v] = total.get(v, 0) + c
    assert total == dict(zip(whole.vectors, whole.counts.tolist()))


def test_resume_reads_finished_slices_and_refuses_another_enumeration(tmp_path, monkeypatch):
    monkeypatch.setattr(stabilizer, "_CHUNK", 5000)
    want = graph_state_entropy_vectors(6, progress=False)
    first = graph_state_entropy_vectors(6, progress=False, resume=tmp_path)
    slices = sorted(tmp_path.glob("slice_*.npz"))
    assert len(slices) == 7 and np.array_equal(first.values, want.values)
    (tmp_path / "slice_10000_15000.npz").unlink()  # as if the run had been killed before that slice finished
    from qinfo._kernels import graph_states

    real, calls = graph_states.enumerate_cut_keys, []
    monkeypatch.setattr(graph_states, "enumerate_cut_keys", lambda *a: calls.append(a[:2]) or real(*a))
    again = graph_state_entropy_vectors(6, progress=False, resume=tmp_path)
    assert calls == [(10000, 15000)]  # only the missing slice is recomputed
    assert np.array_equal(again.values, want.values) and np.array_equal(again.counts, want.counts)
    with pytest.raises(ValueError, match="resume folder .* holds the enumeration"):
        graph_state_entropy_vectors(6, "ABCDAO", progress=False, resume=tmp_path)


def test_dask_local_cluster_on_an_8_qubit_slice_gives_the_serial_result(monkeypatch):
    distributed = pytest.importorskip("distributed")
    graphs = range(2**27 - 3000, 2**27 + 5000)
    want = graph_state_entropy_vectors(8, graphs=graphs, progress=False)
    monkeypatch.setattr(stabilizer, "_CHUNK_8", 1000)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        got = graph_state_entropy_vectors(8, graphs=graphs, executor=client.get_executor(), progress=False)
    assert got.n_graphs == 8000 and len(got) > 1
    assert np.array_equal(got.values, want.values) and np.array_equal(got.counts, want.counts)


@pytest.mark.parametrize("graphs", [range(0, 10, 2), range(-1, 5), range(0, 2**15 + 1), [0, 1]])
def test_enumeration_refuses_bad_graph_ranges(graphs):
    with pytest.raises(ValueError, match="graphs must be a range"):
        graph_state_entropy_vectors(6, graphs=graphs, progress=False)


@pytest.mark.parametrize("n", [4, 5, 6])
def test_orbits_partition_the_vectors_and_use_canonical_representatives(n):
    res = graph_state_entropy_vectors(n, progress=False)
    members = sorted(i for o in res.orbits for i in o.members)
    assert members == list(range(len(res)))
    assert sum(o.count for o in res.orbits) == 2 ** (n * (n - 1) // 2)
    for o in res.orbits:
        assert o.size == len(o.members)  # one qubit per party: closed under permutations
        assert o.representative == o.representative.canonical()
        assert {res.vectors[i] for i in o.members} == o.representative.orbit()


def test_orbit_sizes_count_the_full_orbit_when_parties_are_uneven():
    res = graph_state_entropy_vectors(4, "AABO", progress=False)
    for o in res.orbits:
        assert o.size == len(o.representative.orbit()) >= len(o.members)


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_enumeration_does_not_depend_on_chunking_or_executor(monkeypatch, pool):
    want = graph_state_entropy_vectors(5, "ABCAO", progress=False)
    monkeypatch.setattr(stabilizer, "_CHUNK", 37)
    with pool(2) as ex:
        got = graph_state_entropy_vectors(5, "ABCAO", executor=ex, progress=False)
    assert np.array_equal(got.values, want.values) and np.array_equal(got.counts, want.counts)


# ----------------------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "state, parties, error, match",
    [
        (["XX", "ZZZ"], "AB", ValueError, "same length"),
        (["XI", "ZI"], "AB", ValueError, "anticommute"),
        (["XX", "XX"], "AB", ValueError, "generator 1 is a product"),
        (["XX", "ZZ", "YY"], "AB", ValueError, "3 generators on 2 qubits"),
        (["XX", "II"], "AB", ValueError, "generator 1 is the identity"),
        (["XQ"], "AB", ValueError, "unknown character 'Q' at qubit 1"),
        (["xz"], "AB", ValueError, "unknown character 'x'"),
        (["iXX"], "AB", ValueError, "imaginary phase"),
        ("XX", "AB", TypeError, "single string"),
        (42, "A", TypeError, "state must be"),
        ([], "A", TypeError, "state must be"),
        ([[1, 0], [1]], "A", TypeError, "none of these"),
        (np.array([[0, 1], [0, 0]]), "AB", ValueError, "symmetric"),
        (np.array([[1, 0], [0, 0]]), "AB", ValueError, "self-loops"),
        (np.array([[0, 2], [2, 0]]), "AB", ValueError, "only 0 and 1"),
        (np.array([[1, 0, 0]]), "AB", ValueError, "shape"),
        (["XX", "ZZ"], "ABC", ValueError, "one letter per qubit"),
        (["XX", "ZZ"], "AC", ValueError, "first N letters"),
        (["XX", "ZZ"], "A?", ValueError, "not a party letter"),
        (["XX", "ZZ"], "OO", ValueError, "at least one qubit"),
        (["XX", "ZZ"], {0: "A"}, ValueError, r"no party for qubits \[1\]"),
        (["XX", "ZZ"], {0: "A", 1: "B", 5: "C"}, ValueError, "does not have"),
        (["XX", "ZZ"], 3, TypeError, "parties must be"),
        (["ZZ"], "AO", ValueError, "mixed"),
    ],
)
def test_bad_input_raises_with_a_clear_message(state, parties, error, match):
    with pytest.raises(error, match=match):
        stabilizer_entropy_vector(state, parties)


def test_non_clifford_circuits_and_weighted_graphs_are_refused():
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.t(1)
    with pytest.raises(ValueError, match="not a Clifford circuit"):
        stabilizer_entropy_vector(qc, "AB")
    g = nx.Graph()
    g.add_edge(0, 1, weight=2.0)
    with pytest.raises(ValueError, match="unweighted"):
        stabilizer_entropy_vector(g, "AB")
    with pytest.raises(ValueError, match="simple undirected"):
        stabilizer_entropy_vector(nx.DiGraph([(0, 1)]), "AB")


@pytest.mark.parametrize("n, error", [(0, ValueError), (9, ValueError), (2.0, TypeError), (True, TypeError)])
def test_enumeration_refuses_bad_qubit_counts(n, error):
    with pytest.raises(error, match="n_qubits"):
        graph_state_entropy_vectors(n, progress=False)
