"""Hypergraph entropy vectors per second: qinfo against networkx and scipy max-flow.

Inputs (the same for every library, built once):

* many 5-party random hypergraphs: 30 bulk vertices, 60 hyperedges of 2-4
  vertices, integer weights 1-10, one boundary vertex per party A-E and O;
* one 5-party hypergraph with 20,000 bulk vertices and 40,000 hyperedges.

Each library starts from the same edge list and computes all 31 entropies.
The baselines are what a user would write: the Lawler expansion (two nodes
per hyperedge of 3+ vertices, an arc of capacity w between them, infinite
arcs to and from its vertices; a 2-vertex edge is two opposite arcs), a
super-source tied to the boundary vertices of I and a super-sink to the rest,
then one max-flow per subset with networkx ``minimum_cut_value`` or
``scipy.sparse.csgraph.maximum_flow``. qinfo's timing includes building the
:class:`~qinfo.entropy_cones.Hypergraph`.

Run ``python benchmarks/bench_hypergraph.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_flow

from qinfo.entropy_cones.hypergraph import Hypergraph, random_hypergraph
from qinfo.entropy_cones.vectors import party_letters, subset_masks

N_PARTIES = 5


def make_inputs(n, n_bulk, n_edges, seed):
    """Edge lists and boundaries of ``n`` random 5-party hypergraphs."""
    out = []
    for s in np.random.SeedSequence(seed).spawn(n):
        h = random_hypergraph(N_PARTIES, n_bulk, n_edges, sizes=(2, 4), weights=(1, 10), seed=s)
        out.append((h.edges, h.boundary, list(h.vertices)))
    return out


def lawler_arcs(edges, vertices):
    """Arrays (tail, head, cap) of the Lawler expansion, node ids, and the infinite capacity."""
    index = {v: i for i, v in enumerate(vertices)}
    big = sum(w for _, w in edges) + 1
    tails, heads, caps = [], [], []
    node = len(vertices)
    for verts, w in edges:
        ids = [index[v] for v in verts]
        if len(ids) == 2:
            tails += ids
            heads += ids[::-1]
            caps += [w, w]
            continue
        e_in, e_out = node, node + 1
        node += 2
        tails.append(e_in)
        heads.append(e_out)
        caps.append(w)
        for i in ids:
            tails += [i, e_out]
            heads += [e_in, i]
            caps += [big, big]
    return np.array(tails), np.array(heads), np.array(caps, dtype=np.int64), index, node, big


def vector_scipy(edges, boundary, vertices):
    tails, heads, caps, index, n_nodes, big = lawler_arcs(edges, vertices)
    s, t = n_nodes, n_nodes + 1
    letters = party_letters(N_PARTIES)
    out = []
    for mask in subset_masks(N_PARTIES):
        src = [index[v] for v, p in boundary.items() if p != "O" and mask >> letters.index(p) & 1]
        snk = [index[v] for v, p in boundary.items() if not (p != "O" and mask >> letters.index(p) & 1)]
        tt = np.concatenate([tails, np.full(len(src), s), snk])
        hh = np.concatenate([heads, src, np.full(len(snk), t)])
        cc = np.concatenate([caps, np.full(len(src) + len(snk), big)])
        g = sp.csr_matrix((cc, (tt, hh)), shape=(n_nodes + 2, n_nodes + 2))
        out.append(maximum_flow(g, s, t).flow_value)
    return out


def vector_networkx(edges, boundary, vertices):
    tails, heads, caps, index, n_nodes, big = lawler_arcs(edges, vertices)
    g = nx.DiGraph()
    for a, b, c in zip(tails.tolist(), heads.tolist(), caps.tolist()):
        if g.has_edge(a, b):
            g[a][b]["capacity"] += c
        else:
            g.add_edge(a, b, capacity=c)
    letters = party_letters(N_PARTIES)
    out = []
    for mask in subset_masks(N_PARTIES):
        for v, p in boundary.items():
            if p != "O" and mask >> letters.index(p) & 1:
                g.add_edge("s", index[v])  # no capacity attribute: infinite
            else:
                g.add_edge(index[v], "t")
        out.append(nx.minimum_cut_value(g, "s", "t"))
        g.remove_nodes_from(["s", "t"])
    return out


def vector_qinfo(edges, boundary, vertices, method):
    return Hypergraph(edges, boundary, vertices=vertices).entropy_vector(method).values


def rate(func, inputs, repeat=2):
    """Vectors per CPU second (best of ``repeat``) and the results.

    CPU time of this process, not wall time: the development machine is shared,
    and every library timed here runs on one thread.
    """
    best = np.inf
    for _ in range(repeat):
        t0 = time.process_time()
        res = [func(*x) for x in inputs]
        best = min(best, time.process_time() - t0)
    return len(inputs) / best, res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer hypergraphs, smaller large case")
    ap.add_argument("--methods", default="dinic,push_relabel", help="qinfo methods to time")
    args = ap.parse_args(argv)
    methods = args.methods.split(",")
    n_many, n_nx = (200, 5) if args.quick else (2000, 20)
    big_bulk, big_edges = (20_000, 40_000)

    # warm up (compile or load the Numba cache) outside the timings
    t0 = time.perf_counter()
    for m in methods:
        vector_qinfo(*make_inputs(1, 30, 60, 99)[0], m)
    print(f"warm-up (Numba cache load or compile): {time.perf_counter() - t0:.2f} s wall")

    inputs = make_inputs(n_many, 30, 60, seed=0)
    print(f"\n{n_many} random 5-party hypergraphs (30 bulk vertices, 60 hyperedges of size 2-4, "
          "integer weights 1-10)")
    rates = {}
    results = {}
    for m in methods:
        rates[m], results[m] = rate(lambda *x: vector_qinfo(*x, m), inputs)
        print(f"  qinfo ({m}): {rates[m]:10.1f} vectors per CPU second")
    r_sp, res_sp = rate(vector_scipy, inputs[: max(20, n_many // 10)])
    print(f"  scipy maximum_flow:  {r_sp:10.1f} vectors per CPU second")
    r_nx, res_nx = rate(vector_networkx, inputs[:n_nx])
    print(f"  networkx min_cut:    {r_nx:10.1f} vectors per CPU second")
    for m in methods:
        assert all(np.array_equal(a, b) for a, b in zip(results[m], res_sp)), "qinfo != scipy"
        assert all(np.array_equal(a, b) for a, b in zip(results[m], res_nx)), "qinfo != networkx"
        print(f"  ratio qinfo/{m} vs scipy: {rates[m] / r_sp:7.1f}x (goal >= 20x); "
              f"vs networkx: {rates[m] / r_nx:7.1f}x (goal >= 500x)")

    big = make_inputs(1, big_bulk, big_edges, seed=1)
    print(f"\none 5-party hypergraph, {big_bulk} bulk vertices, {big_edges} hyperedges")
    for m in methods:
        rates[m], results[m] = rate(lambda *x: vector_qinfo(*x, m), big, repeat=1)
        print(f"  qinfo ({m}): {1 / rates[m]:8.3f} CPU s per vector")
    r_sp, res_sp = rate(vector_scipy, big, repeat=1)
    print(f"  scipy maximum_flow:  {1 / r_sp:8.3f} CPU s per vector")
    for m in methods:
        assert np.array_equal(results[m][0], res_sp[0]), "qinfo != scipy"
        print(f"  ratio qinfo/{m} vs scipy: {rates[m] / r_sp:7.1f}x (goal >= 2x)")


if __name__ == "__main__":
    main()
