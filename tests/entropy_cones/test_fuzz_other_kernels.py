"""Fuzzing the GF(2)-rank and link-model kernels against independent oracles (issue 12, item 5).

* Stabilizer vectors (GF(2) ranks) of random Clifford states on up to 10
  qubits, against the dense state vector: S of a set of qubits from the
  Schmidt coefficients of the reshaped amplitudes. Parties may include the
  purifier O, so mixed states (the reduced states) are covered.
* Link-model vectors given by their connectivity, against brute force over
  every set of cut components, with its own union-find.

Each test prints its counts (draws, mismatches).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
pytest.importorskip("qiskit", reason="the stabilizer oracles use qiskit (the [qiskit] extra)")
from qiskit.quantum_info import Statevector, random_clifford  # noqa: E402

from qinfo.entropy_cones import LinkModel
from qinfo.entropy_cones import stabilizer_entropy_vector
from qinfo.entropy_cones import party_letters, subset_labels

SETTINGS = settings(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


def run_fuzz(capsys, what: str, cases, n_draws: int, check) -> None:
    """Run ``check(case, tally)`` on ``n_draws`` hypothesis draws; it returns a problem or None."""
    tally: Counter = Counter()

    @settings(SETTINGS, max_examples=n_draws)
    @given(cases)
    def fuzz(case):
        tally["draws"] += 1
        problem = check(case, tally)
        if problem:
            tally["mismatches"] += 1
            raise AssertionError(problem)

    try:
        fuzz()
    finally:
        with capsys.disabled():
            print(f"\n[fuzz {what}] draws={tally['draws']} mismatches={tally['mismatches']} "
                  + " ".join(f"{k!r}={v}" for k, v in tally.items() if k not in ("draws", "mismatches")))
    assert tally["mismatches"] == 0


# --------------------------------------------------------------------------- stabilizer states
@st.composite
def clifford_states(draw, max_qubits: int = 10):
    """(Clifford, parties): a random n-qubit Clifford state, qubit q belonging to ``parties[q]``."""
    n = draw(st.integers(2, max_qubits))
    cliff = random_clifford(n, seed=draw(st.integers(0, 2**31 - 1)))
    n_parties = draw(st.integers(1, min(n, 5)))
    labels = list(party_letters(n_parties)) + (["O"] if draw(st.booleans()) and n > n_parties else [])
    rest = draw(st.lists(st.sampled_from(labels), min_size=n - len(labels), max_size=n - len(labels)))
    parties = draw(st.permutations(labels + rest))
    return cliff, "".join(parties)


def dense_entropies(cliff, parties: str) -> list[float]:
    """S in bits of every subset label, from the Schmidt coefficients of the dense state vector."""
    n = cliff.num_qubits
    psi = Statevector(cliff.to_circuit()).data.reshape([2] * n)  # axis n - 1 - q is qubit q
    n_parties = len(set(parties) - {"O"})
    out = []
    for label in subset_labels(n_parties):
        keep = [n - 1 - q for q, p in enumerate(parties) if p in label]
        rest = [a for a in range(n) if a not in keep]
        mat = np.transpose(psi, keep + rest).reshape(2 ** len(keep), -1)
        p = np.linalg.svd(mat, compute_uv=False) ** 2
        p = p[p > 1e-12]
        out.append(float(-(p * np.log2(p)).sum()))
    return out


def _check_stabilizer(case, tally):
    cliff, parties = case
    got = stabilizer_entropy_vector(cliff, parties).values
    want = dense_entropies(cliff, parties)
    if not np.allclose(got, want, atol=1e-8) or not np.all(got == np.round(got)):
        return f"{parties} {cliff.to_labels(mode='S')}: {got.tolist()} != {want}"
    return None


def test_fuzz_stabilizer_vectors_up_to_10_qubits_match_dense_state_vectors(capsys):
    run_fuzz(capsys, "stabilizer vectors vs dense state vectors (n <= 10)", clifford_states(), 60,
             _check_stabilizer)


# --------------------------------------------------------------------------- link models
@st.composite
def connectivity_links(draw, max_components: int = 7):
    """(n, generators, labels, weights) of a link given by its non-split generators."""
    m = draw(st.integers(2, max_components))
    n_parties = draw(st.integers(1, min(3, m - 1)))
    named = list(party_letters(n_parties)) + ["O"]
    labels = draw(st.lists(st.sampled_from(named + [None]), min_size=m, max_size=m))
    labels[:len(named)] = named[:m] if m >= len(named) else named[:m]
    labels = draw(st.permutations(labels))
    if not set(party_letters(n_parties)) <= set(labels):
        labels = list(party_letters(n_parties)) + list(labels[n_parties:])
    generators = draw(st.lists(st.sets(st.integers(0, m - 1), min_size=2, max_size=m), max_size=6))
    weight = st.one_of(st.integers(1, 9), st.floats(-3, 6).map(lambda e: 10.0**e), st.just(math.inf))
    weights = draw(st.lists(weight, min_size=m, max_size=m))
    return m, [frozenset(g) for g in generators], list(labels), weights


def brute_force_link(m, generators, labels, weights) -> list[float]:
    """S(I) by trying every set K of finite-weight components (its own connectivity via networkx)."""
    parties = sorted({p for p in labels if p not in (None, "O")})
    cuttable = [c for c in range(m) if math.isfinite(weights[c])]
    out = []
    for label in subset_labels(len(parties)):
        best = math.inf
        for r in range(len(cuttable) + 1):
            for cut in itertools.combinations(cuttable, r):
                present = set(range(m)) - set(cut)
                g = nx.Graph()
                g.add_nodes_from(present)
                for gen in generators:
                    if gen <= present:
                        g.add_edges_from(itertools.pairwise(sorted(gen)))
                ok = all(not ({labels[c] in label for c in piece if labels[c] is not None} >= {True, False})
                         for piece in nx.connected_components(g))
                if ok:
                    best = min(best, math.fsum(weights[c] for c in cut))
        out.append(best)
    return out


def _check_link(case, tally):
    m, generators, labels, weights = case
    want = brute_force_link(m, generators, labels, weights)
    if any(math.isinf(w) for w in want):
        tally["infinite entropy (refused, not compared)"] += 1
        return None  # entropy_vector refuses an infinite entropy (tested in test_links.py)
    got = LinkModel.from_connectivity(m, generators, labels, weights).entropy_vector().values.tolist()
    if not np.allclose(got, want, rtol=1e-12, atol=0):
        return f"{m} {generators} {labels} {weights}: {got} != {want}"
    return None


def test_fuzz_link_model_cuts_match_brute_force(capsys):
    run_fuzz(capsys, "link-model cuts vs brute force", connectivity_links(), 150, _check_link)
