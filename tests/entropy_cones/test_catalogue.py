"""The catalogue: counts against the published data, validity on the models that must obey it."""

from __future__ import annotations

import itertools
import json
from importlib import resources

import numpy as np
import pytest

from qinfo.entropy_cones import catalogue
from qinfo.entropy_cones import random_hypergraph
from qinfo.entropy_cones import graph_state_entropy_vectors
from qinfo.entropy_cones._vectors import subset_masks


def _matrix(ineqs):
    return np.array([q.coefficients for q in ineqs])


@pytest.fixture(scope="module")
def stabilizer_5q():
    """All 5-qubit graph-state vectors: every 4-party pure stabilizer vector with 1 qubit per party."""
    return np.asarray(graph_state_entropy_vectors(5, "ABCDO", progress=False).values, dtype=float)


@pytest.fixture(scope="module")
def stabilizer_6q():
    return np.asarray(graph_state_entropy_vectors(6, "ABCDEO", progress=False).values, dtype=float)


@pytest.mark.parametrize("n, facets", [(3, 7), (4, 20), (5, 372)])
def test_holographic_facet_counts_match_the_published_data(n, facets):
    # published counts (README of the data, arXiv:1903.09148): 7, 20, 372 facets
    assert len(catalogue.get(f"holographic-{n}")) == facets
    assert len(catalogue.get("holographic", n)) == facets
    rows = json.loads((resources.files("qinfo") / "data" / "hec" / f"f{n}.json").read_text())
    assert len(catalogue.get(f"holographic-{n}", expand=False)) == len(rows)


def test_holographic_5_has_eight_orbits_and_all_but_sa_are_superbalanced():
    reps = catalogue.entry("holographic-5").representatives
    assert len(reps) == 8
    unbalanced = [q for q in reps if not q.is_superbalanced()]
    assert len(unbalanced) == 1 and unbalanced[0] in catalogue.get("SA", 5)


def test_every_entry_has_a_reference_and_named_inequalities():
    for name in catalogue.names():
        e = catalogue.entry(name)
        assert e.reference and e.representatives
        assert all(q.reference == e.reference for q in e.representatives)


def test_sa_and_al_are_one_orbit_and_ssa_contains_wm():
    assert set(catalogue.get("SA")) == set(catalogue.get("AL"))
    assert set(catalogue.get("WM")) == set(catalogue.get("SSA"))


def test_stabilizer_vectors_obey_sa_ssa_and_ingleton(stabilizer_5q):
    for name in ("SA", "SSA", "WM", "ingleton"):
        assert (_matrix(catalogue.get(name, 4)) @ stabilizer_5q.T).min() >= 0, name


def test_stabilizer_vectors_obey_grouped_ingleton_at_five_parties(stabilizer_6q):
    assert (_matrix(catalogue.get("ingleton", 5)) @ stabilizer_6q.T).min() >= 0


def test_linear_rank_inequalities_hold_on_all_6_qubit_graph_states(stabilizer_5q, stabilizer_6q):
    assert len(catalogue.entry("dfz").representatives) == 24
    for rep in catalogue.entry("dfz").representatives:
        assert (_matrix(rep.instances(4)) @ stabilizer_5q.T).min() >= 0, rep.name
        assert (_matrix(rep.instances(5)) @ stabilizer_6q.T).min() >= 0, rep.name
    for rep in catalogue.entry("dfz").traced:   # one of the 6 qubits traced out
        assert (_matrix(rep.instances(5)) @ stabilizer_6q.T).min() >= 0, rep.name


def test_dfz_at_five_parties_adds_the_traced_out_instances():
    grouped = {q for rep in catalogue.entry("dfz").representatives for q in rep.instances(5)}
    traced = {q for rep in catalogue.entry("dfz").traced for q in rep.instances(5)}
    assert set(catalogue.get("dfz", 5)) == grouped | traced and traced - grouped
    assert len(catalogue.get("dfz-3", 5)) < len(catalogue.get("dfz", 5))
    assert set(catalogue.get("dfz-3")) == set(catalogue.entry("dfz-3").representatives[0].instances())


# -- the Dougherty-Freiling-Zeger inequalities as five-variable linear rank inequalities ------
# Oracles independent of the transcription: ranks of subspace arrangements computed here by
# Gaussian elimination mod p, and LPs over the Shannon + Ingleton cone of 5 random variables.
# The classical form of each inequality is its ``traced`` version (5 parties, O a spectator),
# whose coordinates S_X, X a subset of ABCDE, are the joint entropies of the 5 variables.
_MASKS5 = subset_masks(5)
_POS = {m: i for i, m in enumerate(_MASKS5)}


def _dfz_classical():
    return np.array([q.coefficients for q in catalogue.entry("dfz").traced])


def _h(mask):
    v = np.zeros(31)
    if mask:
        v[_POS[mask]] = 1.0
    return v


def _cmi(x, y, z=0):
    return _h(x | z) + _h(y | z) - _h(x | y | z) - _h(z)


def _ranks_mod_p(mats, p):
    """GF(p) ranks of a stack of matrices, by batched Gaussian elimination."""
    m = mats.copy() % p
    n, rows, cols = m.shape
    rank = np.zeros(n, dtype=int)
    inv = np.array([0] + [pow(int(a), -1, p) for a in range(1, p)])
    for j in range(cols):
        cand = (m[:, :, j] != 0) & (np.arange(rows)[None, :] >= rank[:, None])
        has = cand.any(axis=1)
        idx = np.nonzero(has)[0]
        piv, r = cand[idx].argmax(axis=1), rank[idx]
        prow = m[idx, piv].copy()
        m[idx, piv] = m[idx, r]
        prow = prow * inv[prow[:, j]][:, None] % p
        m[idx, r] = prow
        below = np.arange(rows)[None, :] > r[:, None]
        m[idx] = (m[idx] - below[:, :, None] * m[idx, :, j][:, :, None] * prow[:, None, :]) % p
        rank[idx] += 1
    return rank


def _rank_vectors(p, dim, n_samples, seed):
    """Rank vectors of 5 random subspaces of GF(p)^dim, each spanned by 2 random vectors."""
    gens = np.random.default_rng(seed).integers(0, p, size=(n_samples, 5, dim, 2))
    out = np.zeros((n_samples, 31))
    for mask in _MASKS5:
        parts = [gens[:, v] for v in range(5) if mask >> v & 1]
        out[:, _POS[mask]] = _ranks_mod_p(np.concatenate(parts, axis=2), p)
    return np.unique(out, axis=0)


def _s5_orbit(coef):
    out = set()
    for perm in itertools.permutations(range(5)):
        v = np.zeros(31)
        for mask, i in _POS.items():
            v[_POS[sum(1 << perm[b] for b in range(5) if mask >> b & 1)]] = coef[i]
        out.add(tuple(v))
    return np.array(sorted(out))


@pytest.fixture(scope="module")
def rank_vectors_5():
    return np.vstack([_rank_vectors(2, 3, 3000, 1), _rank_vectors(2, 4, 3000, 2),
                      _rank_vectors(3, 3, 3000, 3)])


def test_dfz_are_24_distinct_balanced_orbits():
    C = _dfz_classical()
    assert len(C) == 24
    orbits = {min(map(tuple, _s5_orbit(c))) for c in C}
    assert len(orbits) == 24
    for c in C:   # balanced: every variable's coefficients sum to 0
        assert all(abs(sum(c[_POS[m]] for m in _MASKS5 if m >> v & 1)) < 1e-12 for v in range(5))
    assert all(q.is_balanced() for q in catalogue.entry("dfz").traced)


def test_dfz_hold_on_rank_vectors_of_subspaces_over_gf2_and_gf3(rank_vectors_5):
    # the oracle computes ranks correctly: one line spans dimension 1, three generic lines in
    # the plane GF(2)^2 have the ranks of the uniform matroid U_{2,3}
    lines = np.array([[[1, 0], [0, 1], [1, 1]]]).transpose(0, 2, 1)
    assert _ranks_mod_p(lines, 2)[0] == 2 and _ranks_mod_p(lines[:, :, :1], 2)[0] == 1
    R = rank_vectors_5
    worst = [(_s5_orbit(c) @ R.T).min() for c in _dfz_classical()]
    assert min(worst) == 0
    # ... and this check can fail: each strengthened by I(A:B|C) is broken by some arrangement
    assert all((R @ (c - _cmi(1, 2, 4))).min() < 0 for c in _dfz_classical())


def _shannon_ingleton_5():
    full = 31
    rows = [_h(full) - _h(full & ~(1 << i)) for i in range(5)]
    for i, j in itertools.combinations(range(5), 2):
        rest = full & ~(1 << i) & ~(1 << j)
        rows += [_cmi(1 << i, 1 << j, k) for k in range(32) if not k & ~rest]
    # Ingleton on disjoint non-empty x1..x4, conditioned on a disjoint z (linear ranks obey it
    # after quotienting by z): I(x1:x2|z) <= I(x1:x2|x3 z) + I(x1:x2|x4 z) + I(x3:x4|z)
    for slots in itertools.product(range(6), repeat=5):
        x = [sum(1 << v for v in range(5) if slots[v] == s) for s in range(5)]
        if all(x[:4]):
            z = x[4]
            rows.append(_cmi(x[0], x[1], x[2] | z) + _cmi(x[0], x[1], x[3] | z)
                        + _cmi(x[2], x[3], z) - _cmi(x[0], x[1], z))
    return np.unique(np.array(rows), axis=0)


def _lp_min(c, rows):
    """min c.h over {h : rows @ h >= 0, h(ABCDE) <= 1}; negative means c.h >= 0 is not implied."""
    from scipy.optimize import linprog

    res = linprog(c, A_ub=np.vstack([-rows, _h(31)]), b_ub=np.r_[np.zeros(len(rows)), 1.0],
                  bounds=(None, None), method="highs")
    assert res.status == 0, res.message
    return res.fun


def test_each_dfz_is_independent_of_shannon_ingleton_and_the_other_23():
    base = _shannon_ingleton_5()
    C = _dfz_classical()
    orbits = [_s5_orbit(c) for c in C]
    for k, c in enumerate(C):
        others = np.vstack([base] + [o for j, o in enumerate(orbits) if j != k])
        assert _lp_min(c, others) < -0.05, f"dfz-{k + 1}"
    # ... and the LP does recognise implied inequalities: Ingleton itself, and DFZ(1) once its
    # orbit is among the constraints
    ingleton = _cmi(1, 2, 4) + _cmi(1, 2, 8) + _cmi(4, 8) - _cmi(1, 2)
    assert _lp_min(ingleton, base) > -1e-9
    assert _lp_min(C[0], np.vstack([base, orbits[0]])) > -1e-9


def test_mmi_and_holographic_facets_can_fail_on_stabilizer_states(stabilizer_6q):
    # the test above must be able to fail: GHZ-type states break MMI
    assert (_matrix(catalogue.get("MMI", 5)) @ stabilizer_6q.T).min() < 0
    assert (_matrix(catalogue.get("holographic-5")) @ stabilizer_6q.T).min() < 0


def test_random_graph_models_obey_the_five_party_holographic_facets():
    F = _matrix(catalogue.get("holographic-5"))
    for seed in range(40):
        h = random_hypergraph(5, n_bulk=6, n_edges=18, sizes=(2, 2), seed=seed)
        assert (F @ h.entropy_vector().values).min() >= 0


def test_get_rejects_unknown_names_and_too_few_parties():
    with pytest.raises(ValueError, match="unknown catalogue entry"):
        catalogue.get("nope")
    with pytest.raises(ValueError, match="n_parties must be >= 4"):
        catalogue.get("ingleton", 3)
    with pytest.raises(ValueError):
        catalogue.get("holographic")
    with pytest.raises(TypeError):
        catalogue.entry(3)
