"""The Numba max-flow kernels against scipy's max-flow on the same networks."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow

from qinfo._kernels import maxflow as mf
from qinfo.entropy_cones import random_hypergraph


def _network(h):
    first, head, cap, rev = h._compiled()
    return first, head, cap, rev


def _tails(first):
    return np.repeat(np.arange(first.size - 1), np.diff(first))


def _random_kind(rng, n_nodes, n_vertices):
    kind = np.zeros(n_nodes, dtype=np.int64)
    terminals = rng.choice(n_vertices, size=min(n_vertices, 6), replace=False)
    kind[terminals[: len(terminals) // 2]] = 1
    kind[terminals[len(terminals) // 2:]] = 2
    return kind


def scipy_value(first, head, cap, kind):
    """Max-flow value with a super-source and super-sink, by scipy (integer capacities)."""
    n = first.size - 1
    s, t = n, n + 1
    big = int(cap.sum()) + 1
    src, snk = np.flatnonzero(kind == 1), np.flatnonzero(kind == 2)
    tails = np.concatenate([_tails(first), np.full(src.size, s), snk])
    heads = np.concatenate([head, src, np.full(snk.size, t)])
    caps = np.concatenate([cap, np.full(src.size + snk.size, big)])
    keep = caps > 0
    g = sp.csr_matrix((caps[keep], (tails[keep], heads[keep])), shape=(n + 2, n + 2))
    return maximum_flow(g, s, t).flow_value


def test_network_arcs_pair_with_their_reverses():
    h = random_hypergraph(3, 20, 50, sizes=(2, 5), seed=0)
    first, head, cap, rev = _network(h)
    tails = _tails(first)
    assert np.array_equal(rev[rev], np.arange(rev.size))
    assert np.array_equal(head[rev], tails)
    assert np.all(cap >= 0)
    # capacity per hyperedge: 2w (integer weights are doubled) on each side of any split
    sizes = np.diff(h._edge_ptr)
    n_nodes = h.n_vertices + 2 * np.count_nonzero(sizes > 3)
    assert first.size - 1 == n_nodes


@pytest.mark.parametrize("method", sorted(mf.METHODS))
def test_max_preflow_value_matches_scipy_and_its_cut_certifies_it(method):
    rng = np.random.default_rng(1)
    for seed in range(40):
        h = random_hypergraph(4, int(rng.integers(5, 60)), int(rng.integers(10, 120)), sizes=(2, 5),
                              weights=(0, 9), seed=seed)
        first, head, cap, rev = _network(h)
        kind = _random_kind(rng, first.size - 1, h.n_vertices)
        value, res = mf.max_preflow(mf.METHODS[method], first, head, cap, rev, kind, np.int64(0))
        assert value == scipy_value(first, head, cap, kind)
        reach = mf.sink_side(first, head, res, rev, kind, np.int64(0))
        tails = _tails(first)
        crossing = ~reach[tails] & reach[head]
        assert cap[crossing].sum() == value  # the cut found has the flow's capacity


@pytest.mark.parametrize("from_cut", [False, True])
@pytest.mark.parametrize("method", sorted(mf.METHODS))
def test_warm_started_subset_values_match_fresh_flows(method, from_cut):
    h = random_hypergraph(4, 40, 90, sizes=(2, 4), seed=3)
    first, head, cap, rev = _network(h)
    got, flows, _ = mf.subset_cut_values(mf.METHODS[method], first, head, cap, rev, h._party, 4, np.int64(0),
                                         h._edge_ptr, h._edge_verts, h._weights, from_cut)
    for mask in range(1, 16):
        kind = np.zeros(first.size - 1, dtype=np.int64)
        mf._kind_for_mask(h._party, mask, 4, kind)
        # weights are doubled in the network
        assert 2 * got[mask] == flows[mask] == scipy_value(first, head, cap, kind)


@pytest.mark.parametrize("from_cut", [False, True])
def test_augmenting_paths_hand_over_to_push_relabel_at_any_budget(from_cut):
    # a subset whose searches scan more than budget * (nodes + arcs) arcs hands the sweep to
    # push-relabel, from the flow reached: the values must not depend on where that happens
    h = random_hypergraph(4, 40, 90, sizes=(2, 4), seed=3)
    first, head, cap, rev = _network(h)
    args = (first, head, cap, rev, h._party, 4, np.int64(0), h._edge_ptr, h._edge_verts, h._weights, from_cut)
    want, want_flows, _ = mf.subset_cut_values(1, *args)
    stops = set()
    for budget in (0.0, 0.3, 0.6, 1.0, 1.5, 2.0, 4.0, -1.0):
        got, flows, _ = mf.subset_cut_values(2, *args, budget=budget)
        assert got.tolist() == want.tolist() and flows.tolist() == want_flows.tolist(), budget
        out, fl, sc, *state = mf._workspace(first, cap, h._party, h._weights, 15, 1)
        stops.add(mf._subsets_augment(*args, np.zeros(first.size - 1, np.int64), 1, 16, out, fl, sc, *state,
                                      budget)[3])
    # the handover happened at once, part-way through the sweep, and never
    assert 1 in stops and 16 in stops and any(1 < s < 16 for s in stops), stops


def test_min_cut_sides_are_nested_and_optimal():
    h = random_hypergraph(3, 30, 60, seed=4)
    first, head, cap, rev = _network(h)
    for mask in range(1, 16):
        value, _, lo, hi = mf.min_cut_sides(1, first, head, cap, rev, h._party, 3, mask, np.int64(0))
        assert np.all(lo <= hi)
        w_lo = mf.cut_weight(lo, h._edge_ptr, h._edge_verts, h._weights)
        w_hi = mf.cut_weight(hi, h._edge_ptr, h._edge_verts, h._weights)
        assert 2 * w_lo == 2 * w_hi == value


def test_first_bad_edge_finds_short_and_repeating_edges():
    ptr = np.array([0, 2, 5, 6], dtype=np.int64)
    assert mf.first_bad_edge(ptr[:3], np.array([0, 1, 1, 2, 3]), 4) == -1
    assert mf.first_bad_edge(ptr[:3], np.array([0, 1, 1, 2, 1]), 4) == 1
    assert mf.first_bad_edge(ptr, np.array([0, 1, 1, 2, 3, 0]), 4) == 2


def test_kernels_run_as_plain_python_with_numba_disabled():
    code = ("from qinfo.entropy_cones import random_hypergraph\n"
            "h = random_hypergraph(3, 10, 25, seed=2)\n"
            "print([h.entropy_vector(m).values.tolist() for m in ('dinic', 'push_relabel', 'augmenting_paths')]"
            " + [sorted(map(str, h.min_cut('AB').maximal))])\n")
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    h = random_hypergraph(3, 10, 25, seed=2)
    want = str([h.entropy_vector().values.tolist()] * 3 + [sorted(map(str, h.min_cut("AB").maximal))])
    assert out.stdout.strip() == want


def _grid(size: int, seed: int):
    """A weighted square lattice whose four sides are the parties A, B, C and O (cuts cross the bulk)."""
    from qinfo.entropy_cones import Hypergraph

    rng = np.random.default_rng(seed)
    edges = [(((i, j), (i + di, j + dj)), int(rng.integers(1, 10))) for i in range(size) for j in range(size)
             for di, dj in ((1, 0), (0, 1)) if i + di < size and j + dj < size]
    sides = {"A": [(0, j) for j in range(size)], "B": [(i, size - 1) for i in range(1, size)],
             "C": [(size - 1, j) for j in range(size - 1)], "O": [(i, 0) for i in range(1, size - 1)]}
    edges += [((v, p), 50) for p, vs in sides.items() for v in vs]
    return Hypergraph(edges, {p: p for p in sides})


def test_lattices_hand_over_to_push_relabel_and_agree_with_scipy():
    # on a lattice every flow takes many long paths: the default budget sends the sweep to push-relabel
    h = _grid(14, seed=5)
    first, head, cap, rev = _network(h)
    args = (first, head, cap, rev, h._party, 3, np.int64(0), h._edge_ptr, h._edge_verts, h._weights, False)
    out, fl, sc, *state = mf._workspace(first, cap, h._party, h._weights, 7, 1)
    budget = float(mf.AUGMENT_BUDGET)
    assert mf._subsets_augment(*args, np.zeros(first.size - 1, np.int64), 1, 8, out, fl, sc, *state, budget)[3] < 8
    got, flows, _ = mf.subset_cut_values(2, *args)
    for mask in range(1, 8):
        kind = np.zeros(first.size - 1, dtype=np.int64)
        mf._kind_for_mask(h._party, mask, 3, kind)
        assert 2 * got[mask] == flows[mask] == scipy_value(first, head, cap, kind)
