"""RTN spectrum samples per CPU second: qinfo against quimb + numpy and a minimal pipeline.

Peers, timed in the same run in interleaved rounds (CPU time, ``time.process_time``):

- ``quimb``: what a user would write today: build the network in quimb (Gaussian bulk
  tensors, link states as diagonal tensors), contract it to the boundary state, reshape
  to the matrix ``psi_{A,B}``, form ``rho_A = psi psi^dagger``, ``numpy.linalg.eigvalsh``;
- ``minimal``: the least work a hand-written numpy/scipy pipeline can do on the same
  draws. Two cuts: one herk and one D x D ``eigvalsh`` (the one-eigensolve limit).
  Inner cut: two herk calls (the d x d Gram matrices of the two bulk tensors), a
  Cholesky factor, a d x d congruence and a d x d ``eigvalsh``.

Networks, each at D = 1024 and 2048:

- ``two cuts``: one bulk vertex between A and B, both legs of dimension D with
  non-trivial link spectra (the two-minimal-cut regime);
- ``inner cut``: a chain a - x - y - b with legs of dimension D and an inner link
  x - y of dimension d = D/8 (a unique minimal cut, where splitting pays).

A last row samples a 36-site chain (bond 8, one boundary leg of dimension 2 per site,
A = the first 18 legs): its region has dimension 2**18 behind a cut of 8. Peak memory
(tracemalloc, a separate untimed pass) is given in units of one D x D complex matrix,
and for the chain in units of the 2**18 x 8 matrix a region-sized contraction builds.

Run:  python benchmarks/bench_rtn.py [--quick] [--samples N] [--rounds N] [--threads N]

``--threads`` fixes the BLAS thread count for all pipelines (it must be set before NumPy
loads). The default is 1: CPU time with several BLAS threads counts their busy waiting
(on 2 cores, 2026-12-03, the minimal inner-cut pipeline fell from 80 to 8.7 samples per
CPU second with the default threads, and the ratios swung from 0.83x to 1.26x);
``--threads 0`` leaves BLAS its own default.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="D = 1024 only, fewer rounds")
    parser.add_argument("--samples", type=int, default=None, help="samples per round (default 2)")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 5, quick 3)")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads (default 1; 0: BLAS's own default)")
    args = parser.parse_args()
    if args.threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    return args


ARGS = _parse_args() if __name__ == "__main__" else None

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import scipy.linalg as sla  # noqa: E402

from qinfo.tensor_networks import RandomTensorNetwork, chain_network, two_cut_network  # noqa: E402


def link(d: int, skew: float) -> np.ndarray:
    lam = np.repeat([1.0, skew], [d // 2, d - d // 2])
    return lam / lam.sum()


def make_network(kind: str, d: int) -> RandomTensorNetwork:
    if kind == "two cuts":
        return two_cut_network(d, links="two-level")
    return chain_network([d, link(d // 8, 4.0), d])


def chain(n: int = 36, chi: int = 8) -> RandomTensorNetwork:
    g = nx.path_graph([f"x{i}" for i in range(n)])
    g.add_edges_from((f"x{i}", f"p{i}") for i in range(n))
    dims = {e: 2 if e[1].startswith("p") else chi for e in g.edges}
    return RandomTensorNetwork(g, {"A": [f"p{i}" for i in range(n // 2)],
                                   "B": [f"p{i}" for i in range(n // 2, n)]}, bond_dim=dims)


def quimb_spectrum(net: RandomTensorNetwork, rng: np.random.Generator) -> np.ndarray:
    """What a user writes today: quimb network -> psi -> rho_A -> eigvalsh."""
    import quimb.tensor as qtn

    def end(edge, w):  # the index of edge at its endpoint w
        return f"out-{w}" if w in net.boundary else f"{edge[0]}-{edge[1]}@{w}"

    tensors = []
    for x in net.bulk:
        edges = [e for e in net.edges if x in e]
        shape = [net.bond_dim(e) for e in edges]
        data = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / np.sqrt(2)
        tensors.append(qtn.Tensor(data.conj(), inds=[end(e, x) for e in edges]))
    for e in net.edges:  # link states as diagonal tensors
        tensors.append(qtn.Tensor(np.diag(np.sqrt(net.link_spectrum(e))), inds=[end(e, w) for w in e]))
    tn = qtn.TensorNetwork(tensors)
    psi = tn.contract(output_inds=["out-a", "out-b"], optimize="auto")
    m = psi.to_dense(["out-a"], ["out-b"])
    rho = m @ m.conj().T
    lam = np.linalg.eigvalsh(rho)[::-1]
    return lam / lam.sum()


def _draw(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    return rng.standard_normal(2 * shape[0] * shape[1]).view(np.complex128).reshape(shape)


def minimal_spectrum(net: RandomTensorNetwork, rng: np.random.Generator) -> np.ndarray:
    """The least work on the same draws as qinfo (same tensor shapes, same generator)."""
    if len(net.bulk) == 1:  # two cuts: V_x (a, b) weighted on both legs, one eigensolve
        la, lb = np.sqrt(net.link_spectrum(net.edges[0])), np.sqrt(net.link_spectrum(net.edges[1]))
        v = _draw(rng, (la.size, lb.size))
        v *= la[:, None]
        v *= lb[None, :]
        gram = sla.blas.zherk(1.0, v.T, trans=2, lower=0)
        lam = sla.eigvalsh(gram, lower=False, overwrite_a=True, check_finite=False)[::-1]
        return lam / lam.sum()
    w = np.sqrt(net.link_spectrum(net.edges[1]))  # the chain a - x1 - x2 - b
    d_a, d_b, d = net.bond_dims[0], net.bond_dims[2], w.size
    vx, vy = _draw(rng, (d_a, d)), _draw(rng, (d, d_b))  # V_x (a, xy), V_y (xy, b)
    gx = sla.blas.zherk(1.0, vx.T, trans=0, lower=0)  # upper triangle of conj(Vx^H Vx)
    gy = sla.blas.zherk(1.0, vy.T, trans=2, lower=0)  # upper triangle of conj(Vy Vy^H)
    u = sla.cholesky(gx, lower=False, overwrite_a=True, check_finite=False)  # conj(G) = U^H U
    h = np.triu(gy) + np.triu(gy, 1).conj().T
    h *= np.multiply.outer(w, w)  # W conj(Vy Vy^H) W
    k = u @ h @ u.conj().T  # similar to conj(G W H W): the spectrum, conjugated
    lam = sla.eigvalsh(k, overwrite_a=True, check_finite=False)[::-1]
    return lam / lam.sum()


def qinfo_spectrum(net: RandomTensorNetwork, rng: np.random.Generator) -> np.ndarray:
    return net.sample_spectrum("A", seed=rng)


PIPELINES = {"quimb": quimb_spectrum, "minimal": minimal_spectrum, "qinfo": qinfo_spectrum}


def cpu_rates(net, names, n_samples: int, rounds: int) -> dict[str, float]:
    """Median samples per CPU second of each pipeline, over interleaved rounds."""
    rngs = {name: np.random.default_rng(1) for name in names}
    for name in names:
        PIPELINES[name](net, rngs[name])  # warm-up: compile, import, BLAS threads
    rates: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in (names if r % 2 == 0 else names[::-1]):
            t0 = time.process_time()
            for _ in range(n_samples):
                PIPELINES[name](net, rngs[name])
            rates[name].append(n_samples / max(time.process_time() - t0, 1e-9))
    return {name: statistics.median(v) for name, v in rates.items()}


def peak_memory(func, net) -> int:
    rng = np.random.default_rng(2)
    func(net, rng)
    tracemalloc.start()
    func(net, rng)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def check_agreement(net) -> None:
    """The minimal pipeline draws what qinfo draws: their spectra must coincide."""
    a = qinfo_spectrum(net, np.random.default_rng(7))
    b = minimal_spectrum(net, np.random.default_rng(7))
    k = min(a.size, b.size, 16)
    assert np.allclose(a[:k], b[:k], rtol=1e-8, atol=1e-14), "qinfo and the minimal pipeline disagree"


def main(args: argparse.Namespace) -> None:
    dims = [1024] if args.quick else [1024, 2048]
    n = args.samples or 2
    rounds = args.rounds or (3 if args.quick else 5)
    names = list(PIPELINES)
    print(f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}; "
          f"{rounds} interleaved rounds of {n} samples, median CPU rate")
    print(f"{'network':<10} {'D':>5} {'quimb /s':>9} {'minimal /s':>11} {'qinfo /s':>9}"
          f" {'qinfo/quimb':>12} {'qinfo time/minimal':>19} {'peak quimb':>11} {'peak qinfo':>11}")
    for kind in ("two cuts", "inner cut"):
        for d in dims:
            net = make_network(kind, d)
            check_agreement(net)
            rate = cpu_rates(net, names, n, rounds)
            unit = 16 * d * d
            p_q, p_o = peak_memory(quimb_spectrum, net), peak_memory(qinfo_spectrum, net)
            print(f"{kind:<10} {d:>5} {rate['quimb']:>9.3f} {rate['minimal']:>11.3f} {rate['qinfo']:>9.3f}"
                  f" {rate['qinfo'] / rate['quimb']:>11.2f}x {rate['minimal'] / rate['qinfo']:>18.2f}x"
                  f" {p_q / unit:>11.2f} {p_o / unit:>11.2f}")
    print("(peaks in units of one D x D complex matrix)")
    net = chain()
    sampler = net.compile_sampler("A")
    t0 = time.process_time()
    for s in range(n):
        net.sample_spectrum("A", seed=s)
    per = (time.process_time() - t0) / n
    region_matrix = 16 * 2**18 * 8
    print(f"36-site chain (region 2**18 behind a cut of 8): {1 / per:.1f} samples/CPU s; "
          f"largest array {sampler.largest_array} entries; peak "
          f"{peak_memory(qinfo_spectrum, net) / region_matrix:.4f} of the 2**18 x 8 matrix")


if __name__ == "__main__":
    main(ARGS)
