"""RTN spectrum samples per second: qinfo against a quimb + numpy pipeline.

The pipeline a user would write today: build the network in quimb (Gaussian bulk
tensors, link states as diagonal tensors), contract it to the boundary state,
reshape to the matrix ``psi_{A,B}``, form ``rho_A = psi psi^dagger`` and call
``numpy.linalg.eigvalsh``. qinfo compiles the network once (opt_einsum path),
takes the spectrum from the Gram matrix of the smaller side, and splits at a
minimal cut when that cut is smaller than both sides.

Two networks, each at rho_A dimension 1024 and 2048:

- ``two cuts``: one bulk vertex between A and B, both legs of dimension D with
  non-trivial link spectra (the two-minimal-cut regime);
- ``inner cut``: a chain a - x - y - b with legs of dimension D and an inner
  link x - y of dimension D/8 (a unique minimal cut, where splitting pays).

Peak memory is measured with tracemalloc (NumPy reports its allocations) and
given as a multiple of one D x D complex matrix.

Run:  python benchmarks/bench_rtn.py [--quick] [--samples N] [--threads N]

``--threads`` fixes the BLAS thread count for both pipelines (it must be set before
NumPy loads); on a shared, overloaded machine ``--threads 1`` gives the steadiest
numbers.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="dimension 1024 only, fewer samples")
    parser.add_argument("--samples", type=int, default=None, help="samples per timing (default 3, quick 2)")
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (default: BLAS's own)")
    args = parser.parse_args()
    if args.threads is not None:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    return args


ARGS = _parse_args() if __name__ == "__main__" else None

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

from qinfo.tensor_networks import RandomTensorNetwork  # noqa: E402


def link(d: int, skew: float) -> np.ndarray:
    lam = np.repeat([1.0, skew], [d // 2, d - d // 2])
    return lam / lam.sum()


def make_network(kind: str, d: int) -> RandomTensorNetwork:
    if kind == "two cuts":
        g = nx.path_graph(["a", "x", "b"])
        return RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]},
                                   link_spectra={("a", "x"): link(d, 3.0), ("x", "b"): link(d, 0.2)})
    g = nx.path_graph(["a", "x", "y", "b"])
    return RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]},
                               bond_dim={("a", "x"): d, ("y", "b"): d},
                               link_spectra={("x", "y"): link(d // 8, 4.0)})


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


def qinfo_spectrum(net: RandomTensorNetwork, rng: np.random.Generator) -> np.ndarray:
    return net.sample_spectrum("A", seed=rng)


def time_pipeline(func, net, n_samples: int, seed: int):
    rng = np.random.default_rng(seed)
    func(net, rng)  # warm-up: compile, import, BLAS threads
    tracemalloc.start()
    t0 = time.perf_counter()
    for _ in range(n_samples):
        lam = func(net, rng)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return n_samples / elapsed, peak, lam


def main(args: argparse.Namespace) -> None:
    dims = [1024] if args.quick else [1024, 2048]
    n = args.samples or (2 if args.quick else 3)
    print(f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}")
    print(f"{'network':<10} {'D':>5} {'quimb+numpy /s':>15} {'qinfo /s':>10} {'ratio':>6}"
          f" {'peak quimb':>11} {'peak qinfo':>11}  (peak in units of one D x D complex matrix)")
    for kind in ("two cuts", "inner cut"):
        for d in dims:
            net = make_network(kind, d)
            unit = 16 * d * d
            r_q, p_q, lam_q = time_pipeline(quimb_spectrum, net, n, seed=1)
            r_o, p_o, lam_o = time_pipeline(qinfo_spectrum, net, n, seed=1)
            k = min(lam_o.size, 8)
            assert abs(lam_q[:k].sum() - lam_o[:k].sum()) < 0.5, "pipelines disagree wildly"
            print(f"{kind:<10} {d:>5} {r_q:>15.3f} {r_o:>10.3f} {r_o / r_q:>6.2f}"
                  f" {p_q / unit:>11.2f} {p_o / unit:>11.2f}")


if __name__ == "__main__":
    main(ARGS)
