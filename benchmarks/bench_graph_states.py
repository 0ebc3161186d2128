"""Entropies of all 2**21 graph states on 7 qubits: qinfo's Gray-code GF(2) kernel vs a numpy loop.

For every labelled graph on 7 qubits (2**21 of them) we need the 63 entropies
``S(Q) = rank_GF2(Gamma[Q, Q^c])`` for the subsets ``Q`` of the first six
qubits (6 parties + purifier). qinfo does this with
``graph_state_entropy_vectors(7)`` (which also deduplicates the vectors); the
baseline is the loop a user would write with numpy: build each adjacency
matrix, slice each cut, row-reduce it over GF(2). The baseline is timed on a
random sample of graphs and extrapolated to all 2**21; both give the same
ranks on the sample.

Run ``python benchmarks/bench_graph_states.py`` (``--quick`` for a smaller
baseline sample).
"""

from __future__ import annotations

import argparse
import itertools
import platform
import time

import numpy as np

from qinfo._kernels.gf2 import graph_state_cut_ranks
from qinfo.entropy_cones.stabilizer import _cut_arrays, _subset_qubit_masks, graph_state_entropy_vectors
from qinfo.entropy_cones.vectors import subset_masks

N = 7
EDGES = list(itertools.combinations(range(N), 2))
N_GRAPHS = 2 ** len(EDGES)


def numpy_gf2_rank(m: np.ndarray) -> int:
    """Textbook Gaussian elimination over GF(2) on a boolean numpy array."""
    m = m.copy()
    rank = 0
    for c in range(m.shape[1]):
        pivots = np.flatnonzero(m[rank:, c])
        if pivots.size == 0:
            continue
        p = rank + pivots[0]
        m[[rank, p]] = m[[p, rank]]
        hit = m[:, c].copy()
        hit[rank] = False
        m[hit] ^= m[rank]
        rank += 1
        if rank == m.shape[0]:
            break
    return rank


def numpy_entropies(graph_number: int) -> np.ndarray:
    """63 entropies of graph ``graph_number`` (edge e present iff bit e of its Gray code)."""
    gray = graph_number ^ (graph_number >> 1)
    adj = np.zeros((N, N), dtype=bool)
    for e, (u, v) in enumerate(EDGES):
        if gray >> e & 1:
            adj[u, v] = adj[v, u] = True
    out = np.empty(2 ** (N - 1) - 1, dtype=np.uint8)
    for s, mask in enumerate(subset_masks(N - 1)):
        inside = [q for q in range(N) if mask >> q & 1]
        outside = [q for q in range(N) if not mask >> q & 1]
        out[s] = numpy_gf2_rank(adj[np.ix_(inside, outside)])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="baseline sample of 300 graphs instead of 3000")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    sample_size = 300 if args.quick else 3000

    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}; python {platform.python_version()}")
    graph_state_entropy_vectors(4, progress=False)  # load/compile the kernel outside the timing

    best_all = best_kernel = best_cpu = np.inf
    for _ in range(args.repeats):
        t, c = time.perf_counter(), time.process_time()
        res = graph_state_entropy_vectors(N, progress=False)
        best_all = min(best_all, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - c)
    party = np.array(list(range(N - 1)) + [N - 1])
    rows, n_rows, cols = _cut_arrays(_subset_qubit_masks(party, N - 1), N)
    eu = np.array([e[0] for e in EDGES], dtype=np.int64)
    ev = np.array([e[1] for e in EDGES], dtype=np.int64)
    for _ in range(args.repeats):
        t = time.perf_counter()
        ranks = graph_state_cut_ranks(0, N_GRAPHS, eu, ev, N, rows, n_rows, cols)
        best_kernel = min(best_kernel, time.perf_counter() - t)

    rng = np.random.default_rng(0)
    sample = rng.choice(N_GRAPHS, size=sample_size, replace=False)
    t, c = time.perf_counter(), time.process_time()
    baseline = np.array([numpy_entropies(int(g)) for g in sample])
    per_graph = (time.perf_counter() - t) / sample_size
    per_graph_cpu = (time.process_time() - c) / sample_size
    assert np.array_equal(baseline, ranks[sample]), "numpy baseline and qinfo kernel disagree"
    extrapolated = per_graph * N_GRAPHS

    print(f"graphs: {N_GRAPHS} on {N} qubits, {ranks.shape[1]} entropies each "
          f"({N_GRAPHS * ranks.shape[1]:.3g} GF(2) ranks)")
    print(f"qinfo graph_state_entropy_vectors(7) incl. dedup : {best_all:8.2f} s  "
          f"(cpu {best_cpu:.2f} s; {len(res)} distinct vectors, {len(res.orbits)} orbits)")
    print(f"qinfo kernel alone (all 63 ranks per graph)      : {best_kernel:8.2f} s  "
          f"({N_GRAPHS / best_kernel / 1e6:.2f} M graphs/s)")
    print(f"numpy GF(2) rank loop, {sample_size} sampled graphs     : {per_graph * 1e3:8.3f} ms/graph, "
          f"extrapolated {extrapolated:,.0f} s for all (cpu {per_graph_cpu * N_GRAPHS:,.0f} s)")
    print(f"ratio numpy / qinfo (end to end, wall)           : {extrapolated / best_all:8.0f} x")
    print(f"ratio numpy / qinfo (end to end, cpu)            : {per_graph_cpu * N_GRAPHS / best_cpu:8.0f} x")


if __name__ == "__main__":
    main()
