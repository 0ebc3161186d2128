"""Entropies of all 2**21 graph states on 7 qubits: qinfo against vectorised NumPy, galois and a loop.

For every labelled graph on 7 qubits (2**21 of them) we need the 63 entropies
``S(Q) = rank_GF2(Gamma[Q, Q^c])`` for the subsets ``Q`` of the first six
qubits (6 parties + purifier), and the distinct vectors with their counts.
qinfo does this with ``graph_state_entropy_vectors(7)``. The peers:

- **vectorised NumPy** (the strongest): for batches of 2**15 graphs at once,
  each cut matrix (rows: the smaller side) as a packed bit field, assembled
  from per-byte lookup tables over the Gray-code edge bits, its rank read
  from a lookup table over all packed matrices of its shape, the 63 ranks
  packed into two uint64 keys (by folding the bytes) and deduplicated by a
  ``numpy.lexsort`` per batch and ``numpy.unique`` over the batches;
- **galois** ``GF(2)`` arrays and ``numpy.linalg.matrix_rank`` per cut matrix;
- the **numpy loop** a user would write: build each adjacency matrix, slice
  each cut, row-reduce it.

The vectorised pipeline runs on all graphs and must give the same distinct
vectors and counts as qinfo; galois and the loop are timed on a random
sample of graphs (checked against the vectorised ranks of the same graphs,
and those against qinfo's one-graph slices) and extrapolated. Times are CPU
seconds (``time.process_time``), qinfo and the vectorised pipeline in
interleaved rounds, best of ``--repeats``.

``--eight`` instead runs the enumeration of all 2**28 graph states on 8
qubits (127 entropies each) over ``--workers`` processes, keeping finished
slices in ``--resume`` (a rerun continues), and prints the number of distinct
vectors, of their orbits under permutations of the 8 parties, and the times.

Run ``python benchmarks/bench_graph_states.py`` (``--quick`` for smaller
samples), or ``nice python benchmarks/bench_graph_states.py --eight --workers 2``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import resource
import time

import numpy as np

from qinfo._kernels.graph_states import small_ranks
from qinfo.entropy_cones import graph_state_entropy_vectors
from qinfo.entropy_cones._vectors import subset_masks

N = 7
EDGES = list(itertools.combinations(range(N), 2))
N_GRAPHS = 2 ** len(EDGES)


def cut_sides(n: int = N) -> list[tuple[list[int], list[int]]]:
    """(rows, columns) of each cut: the smaller side of Q | Q^c as rows, Q over subsets of the first n-1 qubits."""
    full = (1 << n) - 1
    out = []
    for q in subset_masks(n - 1):
        side = q if bin(q).count("1") <= n // 2 else full & ~q
        out.append(([v for v in range(n) if side >> v & 1], [v for v in range(n) if not side >> v & 1]))
    return out


# --------------------------------------------------------------------------------------
# peer 1: vectorised numpy
# --------------------------------------------------------------------------------------
class NumpyPipeline:
    """Batched cut matrices from byte tables, ranks from a lookup table, keys deduplicated by numpy."""

    def __init__(self, batch: int = 1 << 15):
        self.batch = batch
        cuts = cut_sides()
        self.n_cuts = len(cuts)
        shapes = sorted({(len(r), len(c)) for r, c in cuts})
        self.lut = np.zeros((len(shapes), 1 << 16), dtype=np.uint8)
        for i, (r, c) in enumerate(shapes):
            self.lut[i, : 1 << (r * c)] = small_ranks(r, c)
        self.lut = self.lut.ravel()
        self.offset = np.array([shapes.index((len(r), len(c))) << 16 for r, c in cuts], dtype=np.uint32)
        emask = np.zeros((len(EDGES), self.n_cuts), dtype=np.uint32)
        for e, (i, j) in enumerate(EDGES):
            for s, (rows, cols) in enumerate(cuts):
                if (i in rows) != (j in rows):
                    a, b = (i, j) if i in rows else (j, i)
                    emask[e, s] = 1 << (rows.index(a) * len(cols) + cols.index(b))
        self.n_bytes = -(-len(EDGES) // 8)
        self.tabs = np.zeros((self.n_bytes, 256, self.n_cuts), dtype=np.uint32)
        for byte in range(self.n_bytes):
            for v in range(256):
                for k in range(8):
                    if v >> k & 1 and 8 * byte + k < len(EDGES):
                        self.tabs[byte, v] ^= emask[8 * byte + k]
        self.tabs += self.offset  # XOR of an even number of offsets cancels: add it to byte 0 only
        self.tabs[1:] -= self.offset

    def ranks(self, graphs: np.ndarray) -> np.ndarray:
        """The 63 ranks of each graph number, shape (len(graphs), 63), uint8."""
        gray = graphs ^ (graphs >> 1)
        cm = self.tabs[0][gray & 255]
        for byte in range(1, self.n_bytes):
            cm ^= self.tabs[byte][(gray >> (8 * byte)) & 255]
        return self.lut[cm]

    def distinct(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct rank vectors (sorted) and their counts over all 2**21 graphs."""
        keys, counts = [], []
        ranks = np.zeros((self.batch, 64), dtype=np.uint8)
        two, four, six = np.uint64(2), np.uint64(4), np.uint64(6)
        for lo in range(0, N_GRAPHS, self.batch):
            ranks[:, : self.n_cuts] = self.ranks(np.arange(lo, lo + self.batch, dtype=np.int64))
            w = ranks.view(np.uint64)  # byte k of word j: rank of entry 8 j + k (at most 3: two bits)
            k0 = w[:, 0] | (w[:, 1] << two) | (w[:, 2] << four) | (w[:, 3] << six)
            k1 = w[:, 4] | (w[:, 5] << two) | (w[:, 6] << four) | (w[:, 7] << six)
            order = np.lexsort((k1, k0))
            k0, k1 = k0[order], k1[order]
            first = np.ones(self.batch, dtype=bool)
            first[1:] = (k0[1:] != k0[:-1]) | (k1[1:] != k1[:-1])
            idx = np.flatnonzero(first)
            keys.append(np.stack([k0[idx], k1[idx]], axis=1))
            counts.append(np.diff(np.append(idx, self.batch)))
        u, inverse = np.unique(np.concatenate(keys), axis=0, return_inverse=True)
        c = np.bincount(inverse.ravel(), weights=np.concatenate(counts)).astype(np.int64)
        s = np.arange(self.n_cuts)
        shift = (8 * (s % 32 % 8) + 2 * (s % 32 // 8)).astype(np.uint64)
        values = ((u[:, s // 32] >> shift) & np.uint64(3)).astype(np.uint8)
        order = np.lexsort(values.T[::-1])
        return values[order], c[order]


# --------------------------------------------------------------------------------------
# peers 2 and 3: per cut matrix
# --------------------------------------------------------------------------------------
def adjacency(graph_number: int) -> np.ndarray:
    gray = graph_number ^ (graph_number >> 1)
    adj = np.zeros((N, N), dtype=np.uint8)
    for e, (u, v) in enumerate(EDGES):
        if gray >> e & 1:
            adj[u, v] = adj[v, u] = 1
    return adj


def numpy_gf2_rank(m: np.ndarray) -> int:
    """Textbook Gaussian elimination over GF(2) on a boolean numpy array."""
    m = m.astype(bool)
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


def per_matrix_ranks(graph_number: int, rank) -> np.ndarray:
    adj = adjacency(graph_number)
    return np.array([rank(adj[np.ix_(rows, cols)]) for rows, cols in cut_sides()], dtype=np.uint8)


def galois_rank_function():
    try:
        import galois
    except ImportError:
        return None
    gf2 = galois.GF(2)
    return lambda m: int(np.linalg.matrix_rank(gf2(m)))


# --------------------------------------------------------------------------------------
def cpu() -> float:
    return time.process_time()


def bench_seven(args) -> None:
    sample_size = 100 if args.quick else 1000
    graph_state_entropy_vectors(4, progress=False)  # load the kernels outside the timing
    pipeline = NumpyPipeline()
    t_qinfo = t_numpy = np.inf
    for _ in range(args.repeats):  # interleaved rounds
        c = cpu()
        res = graph_state_entropy_vectors(N, progress=False)
        t_qinfo = min(t_qinfo, cpu() - c)
        c = cpu()
        values, counts = pipeline.distinct()
        t_numpy = min(t_numpy, cpu() - c)
    assert np.array_equal(values, res.values) and np.array_equal(counts, res.counts), "numpy pipeline and qinfo disagree"

    sample = np.random.default_rng(0).choice(N_GRAPHS, size=sample_size, replace=False)
    want = pipeline.ranks(sample.astype(np.int64))
    for g, row in zip(sample[:20].tolist(), want[:20]):
        one = graph_state_entropy_vectors(N, graphs=range(g, g + 1), progress=False)
        assert np.array_equal(one.values[0], row), f"qinfo and the numpy pipeline disagree on graph {g}"
    peers = [("vectorised numpy (rank LUT, all graphs)", t_numpy, "")]
    galois_rank = galois_rank_function()
    for name, rank, size in [("galois GF(2) matrix_rank", galois_rank, sample_size // 5),
                             ("numpy GF(2) elimination loop", numpy_gf2_rank, sample_size)]:
        if rank is None:
            print(f"{name}: not installed, skipped")
            continue
        c = cpu()
        got = np.array([per_matrix_ranks(int(g), rank) for g in sample[:size]])
        per_graph = (cpu() - c) / size
        assert np.array_equal(got, want[:size]), f"{name} disagrees with the numpy pipeline"
        peers.append((name, per_graph * N_GRAPHS, f" ({per_graph * 1e3:.2f} ms/graph on {size} graphs, extrapolated)"))

    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus; python {platform.python_version()}; "
          f"numpy {np.__version__}")
    print(f"graphs: {N_GRAPHS:,} on {N} qubits, {res.values.shape[1]} entropies each; "
          f"{len(res):,} distinct vectors, {len(res.orbits)} orbits; every peer agrees")
    print(f"qinfo graph_state_entropy_vectors(7)          : {t_qinfo:9.3f} CPU s")
    for name, t, note in peers:
        print(f"{name:46s}: {t:9.3f} CPU s{note}")
    print("ratio peer / qinfo, strongest peer first: " + ", ".join(f"{t / t_qinfo:,.1f}x {name.split(' (')[0]}"
                                                              for name, t, _ in peers))


def bench_eight(args) -> None:
    from concurrent.futures import ProcessPoolExecutor

    t, c = time.perf_counter(), cpu()
    with ProcessPoolExecutor(args.workers) as ex:
        res = graph_state_entropy_vectors(8, executor=ex, progress=True, resume=args.resume)
    t_enum = time.perf_counter() - t
    n_orbits = len(res.orbits)
    wall = time.perf_counter() - t
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_total = cpu() - c + children.ru_utime + children.ru_stime
    print(f"{res!r}")
    print(f"8 qubits: {res.n_graphs:,} graphs, {res.values.shape[1]} entropies each: {len(res):,} distinct vectors, "
          f"{n_orbits:,} orbits under permutations of the 8 parties")
    print(f"wall {wall:.0f} s (enumeration {t_enum:.0f} s, orbits {wall - t_enum:.0f} s) on {args.workers} workers; "
          f"CPU {cpu_total:.0f} s in all" + (f"; finished slices kept in {args.resume}" if args.resume else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="peer samples of 100 graphs instead of 1000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--eight", action="store_true", help="enumerate all 2**28 graph states on 8 qubits")
    parser.add_argument("--workers", type=int, default=2, help="processes for --eight")
    parser.add_argument("--resume", default=None, help="folder of finished slices for --eight")
    args = parser.parse_args()
    bench_eight(args) if args.eight else bench_seven(args)


if __name__ == "__main__":
    main()
