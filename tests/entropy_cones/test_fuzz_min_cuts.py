"""Fuzzing the min-cut entropies against exact, independent oracles (issue 12).

Every draw is checked against exact brute force over the bulk vertices (small
models) or against scipy and networkx max-flow on integer-scaled copies of
the Lawler expansion (larger models); every vector must satisfy SA, SSA and,
for graphs, MMI. Each test prints its counts: draws, mismatches, and how many
float cuts failed certification and were recomputed exactly.
"""

from __future__ import annotations

import time
from collections import Counter
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import maximum_flow

import qinfo.entropy_cones._hypergraph as hg
from qinfo.entropy_cones import Hypergraph, entropy_vectors
from tests.strategies import (
    exact_min_cuts,
    inequality_violations,
    lawler_arcs,
    min_cut_models,
    relative_error,
    scaled_integer_weights,
    seeded_min_cut_models,
    terminal_sets,
)

METHODS = ("augmenting_paths", "push_relabel", "dinic")
#: The accuracy asked of a float entropy, relative to the exact min cut of the float weights.
FLOAT_RTOL = 1e-9
INT64_MAX = 2**63 - 1


def _kind(h: Hypergraph) -> str:
    return {"i": "int", "f": "float"}.get(h.weights.dtype.kind) or (
        "int" if all(isinstance(w, int) for w in h.weights.tolist()) else "fraction")


def check_against_brute_force(h: Hypergraph, tally: Counter, methods=METHODS) -> None:
    """Entropies by ``methods``, and by ``min_cut``, against the exact oracle; SA, SSA, MMI."""
    want = exact_min_cuts(h)
    labels = _labels(h)
    kind = _kind(h)
    tally["draws"] += 1
    tally[f"draws ({kind} weights)"] += 1
    problems = []
    for method in methods:
        try:
            got = h.entropy_vector(method).values.tolist()
        except OverflowError:
            tally["entropy above 2**63 (min_cut used)"] += 1
            if max(want) <= INT64_MAX:
                problems.append(f"{method}: OverflowError though every entropy fits int64")
            got = None
        cuts = [h.min_cut(lab, method).value for lab in labels]
        if got is None:
            got = cuts
        for lab, g, c, w in zip(labels, got, cuts, want):
            if kind == "float":
                bad = relative_error(g, w) > FLOAT_RTOL or relative_error(c, w) > FLOAT_RTOL
            elif kind == "fraction":
                bad = c != w or g != float(w)
            else:
                bad = c != w or g != w or type(c) is not int
            if bad:
                problems.append(f"{method} S({lab}): entropy_vector {g!r}, min_cut {c!r}, exact {w!r}")
        rtol = {"int": 0.0, "fraction": 1e-15, "float": 4 * FLOAT_RTOL}[kind]
        problems += [f"{method}: {v}" for v in inequality_violations(got, h.n_parties, h.is_graph, rtol)]
    if problems:
        tally["mismatches"] += 1
        raise AssertionError(f"{h!r} with edges {h.edges}:\n" + "\n".join(problems))


def _labels(h: Hypergraph) -> tuple[str, ...]:
    from qinfo.entropy_cones._vectors import subset_labels

    return subset_labels(h.n_parties)


def _run_fuzz(n_draws: int, capsys, models, one_method: bool) -> None:
    tally: Counter = Counter()
    before = Counter(hg._STATS)

    @settings(max_examples=n_draws, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(models)
    def fuzz(h):
        methods = (METHODS[tally["draws"] % len(METHODS)],) if one_method else METHODS
        check_against_brute_force(h, tally, methods)

    t0 = time.process_time()
    try:
        fuzz()
    finally:
        tally[f"CPU s {time.process_time() - t0:.0f}"] += 1
        _report(capsys, f"brute force, {n_draws} draws asked", tally, before)
    assert tally["mismatches"] == 0


def _report(capsys, what: str, tally: Counter, before: Counter) -> None:
    extra = {k: hg._STATS[k] - before[k] for k in hg._STATS if hg._STATS[k] - before[k]}
    with capsys.disabled():
        print(f"\n[fuzz min cuts: {what}] draws={tally['draws']} mismatches={tally['mismatches']} "
              + " ".join(f"{k!r}={v}" for k, v in sorted(tally.items()) if k not in ("draws", "mismatches"))
              + (f" kernel stats {extra}" if extra else ""))


def test_fuzz_small_models_match_exact_brute_force(capsys):
    _run_fuzz(300, capsys, st.one_of(min_cut_models(), min_cut_models(max_size=2)), one_method=False)


def test_fuzz_batches_match_exact_brute_force(capsys):
    # entropy_vectors solves the integer hypergraphs of a batch in one kernel call, each network
    # renumbered into the batch's arrays: every vector must still be the exact one
    tally: Counter = Counter()

    @settings(max_examples=60, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(min_cut_models(), min_size=1, max_size=6))
    def fuzz(hs):
        wants = [exact_min_cuts(h) for h in hs]
        fits = [max(w, default=0) <= INT64_MAX for w in wants]  # larger entropies raise OverflowError
        hs, wants = [h for h, f in zip(hs, fits) if f], [w for w, f in zip(wants, fits) if f]
        for method in METHODS:
            for h, want, got in zip(hs, wants, entropy_vectors(hs, progress=False, method=method)):
                tally["vectors"] += 1
                kind = _kind(h)
                tally[f"vectors ({kind} weights)"] += 1
                values = got.values.tolist()
                if kind == "int":
                    ok = values == want
                elif kind == "fraction":
                    ok = values == [float(w) for w in want]
                else:
                    ok = max(map(relative_error, values, want), default=0.0) <= FLOAT_RTOL
                if not ok:
                    tally["mismatches"] += 1
                    raise AssertionError(f"{method}: {h!r} with edges {h.edges}: {values} != {want}")

    try:
        fuzz()
    finally:
        _report(capsys, "batches against brute force", tally, Counter(hg._STATS))
    assert tally["vectors (int weights)"] > 0


@pytest.mark.slow
def test_fuzz_small_models_match_exact_brute_force_100000_draws(capsys):
    # the same families drawn by NumPy from hypothesis seeds, each draw by one method (alternating):
    # hypothesis's own model building would make 10**5 draws take an hour here
    _run_fuzz(100_000, capsys, seeded_min_cut_models(), one_method=True)


# --------------------------------------------------------------------------- larger models
def _random_model(rng, kind: str, n_bulk: int, n_edges: int) -> Hypergraph:
    n = int(rng.integers(2, 6))
    names = [*"ABCDE"[:n], "O"]
    vertices = names + list(range(n_bulk))
    edges = []
    for e in range(n_edges):
        k = int(rng.choice([2, 2, 3, 4, 6]))
        members = rng.choice(len(vertices), size=k, replace=False).tolist()
        if e < len(names):
            members[0] = e if e not in members else members[0]
        if kind == "int":
            w = int(rng.integers(0, 2**16))
        else:
            w = float(10.0 ** rng.uniform(-3, 15)) if rng.random() < 0.9 else int(rng.integers(0, 10))
        edges.append((tuple(vertices[i] for i in dict.fromkeys(members)), w))
    edges = [(vs, w) for vs, w in edges if len(vs) >= 2]
    return Hypergraph(edges, {c: c for c in names}, vertices=vertices)


def _oracle_values(h: Hypergraph, flow) -> list:
    """Exact S(I) for every label from an independent max-flow on the Lawler expansion."""
    ints, denom = scaled_integer_weights(h)
    tails, heads, caps, n_nodes = lawler_arcs(h, ints)
    big = sum(ints) + 1
    out = []
    for lab in _labels(h):
        inside, outside = terminal_sets(h, lab)
        s, t = n_nodes, n_nodes + 1
        value = flow(tails + [s] * len(inside) + outside, heads + inside + [t] * len(outside),
                     caps + [big] * (len(inside) + len(outside)), n_nodes + 2, s, t)
        out.append(Fraction(value, denom) if denom != 1 else value)
    return out


def _scipy_flow(tails, heads, caps, n, s, t):
    if 4 * max(caps) >= 2**31:  # scipy's maximum_flow works in int32 and overflows silently past it
        raise AssertionError("capacities too large for scipy's int32 max-flow")
    g = sp.csr_matrix((np.array(caps, dtype=np.int32), (tails, heads)), shape=(n, n))
    return int(maximum_flow(g, s, t).flow_value)


def _networkx_flow(tails, heads, caps, n, s, t):
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for a, b, c in zip(tails, heads, caps):
        if g.has_edge(a, b):
            g[a][b]["capacity"] += c
        else:
            g.add_edge(a, b, capacity=c)
    return nx.maximum_flow_value(g, s, t)


def test_fuzz_larger_integer_models_match_scipy_and_their_dyadic_float_copies(capsys):
    rng = np.random.default_rng(12)
    tally: Counter = Counter()
    before = Counter(hg._STATS)
    models, wants = [], []
    for _ in range(40):
        h = _random_model(rng, "int", int(rng.integers(20, 80)), int(rng.integers(40, 200)))
        want = _oracle_values(h, _scipy_flow)
        models.append(h)
        wants.append(want)
        halves = Hypergraph([(vs, w / 2**20) for vs, w in h.edges], h.boundary, vertices=h.vertices)
        tally["draws"] += 1
        for method in METHODS:
            got = h.entropy_vector(method).values.tolist()
            as_float = halves.entropy_vector(method).values.tolist()  # dyadic floats: exact sums
            if got != want or as_float != [w / 2**20 for w in want]:
                tally["mismatches"] += 1
    for method in METHODS:  # the same models as one batch
        for got, want in zip(entropy_vectors(models, progress=False, method=method), wants):
            tally["mismatches"] += got.values.tolist() != want
    _report(capsys, "integer models vs scipy", tally, before)
    assert tally["mismatches"] == 0


def test_fuzz_larger_wide_range_float_models_match_exact_networkx(capsys):
    rng = np.random.default_rng(13)
    tally: Counter = Counter()
    before = Counter(hg._STATS)
    worst = 0.0
    for _ in range(12):
        h = _random_model(rng, "float", int(rng.integers(10, 40)), int(rng.integers(20, 80)))
        want = _oracle_values(h, _networkx_flow)
        tally["draws"] += 1
        for method in METHODS:
            got = h.entropy_vector(method).values.tolist()
            errors = [relative_error(g, w) for g, w in zip(got, want)]
            worst = max(worst, *errors)
            if max(errors) > FLOAT_RTOL or inequality_violations(got, h.n_parties, h.is_graph, 4 * FLOAT_RTOL):
                tally["mismatches"] += 1
    tally[f"worst relative error {worst:.1e}"] += 1
    _report(capsys, "wide-range float models vs networkx on exact integer copies", tally, before)
    assert tally["mismatches"] == 0
