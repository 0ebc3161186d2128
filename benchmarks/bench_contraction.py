"""Time to prove the 8 five-party holographic facet orbits from scratch.

qinfo's :func:`~qinfo.entropy_cones.contraction.prove` (propagation + SAT
through python-sat) against a plain backtracking search for the contraction
map, written here. The ``hec`` package of the holographic-entropy-cone
literature (SAT via Kissat) is not on PyPI (``pip download hec`` fetches an
unrelated bitcoin-encryption package of that name), so it cannot be run
here; as a stand-in for its method the script also times qinfo's encoding
with python-sat's Kissat (``solver="kissat404"``).

The baseline is a depth-first search over the vertices of the left
hypercube: each vertex starts with the candidate images allowed by the
boundary conditions (``d(y, y_i) <= d(x, x_i)`` for every party ``i``),
the vertex with the fewest candidates is assigned next, and each assignment
filters the candidates of its hypercube neighbours (forward checking). This
is the greedy-with-backtracking strategy of Bao et al. (arXiv:1505.07839,
the ``contractor`` program).

Run::

    python benchmarks/bench_contraction.py            # baseline capped at 60 s per facet
    python benchmarks/bench_contraction.py --quick    # cap 10 s
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sys
import time

import numpy as np

from qinfo.entropy_cones.contraction import ContractionMap, check_contraction, prove
from qinfo.entropy_cones.contraction_sat import integer_sides
from qinfo.entropy_cones.inequalities import Inequality
from qinfo.entropy_cones.vectors import subset_labels, subset_masks


class _OutOfTime(Exception):
    pass


def backtracking_contraction(ineq: Inequality, time_limit: float) -> ContractionMap | None:
    """A plain backtracking search for a contraction map (graph model); None if out of time."""
    lhs, rhs = integer_sides(ineq)
    rhs = [(lab, 1) for lab, c in rhs for _ in range(c)]
    n = ineq.n_parties
    mask_of = dict(zip(subset_labels(n), subset_masks(n)))
    L, R = len(lhs), len(rhs)
    P = 1 << L
    alpha = np.array([c for _, c in lhs])
    xbits = (np.arange(P)[:, None] >> np.arange(L)) & 1
    # boundary conditions: the vertex and the image (an int, bit r = rhs coordinate r) of each party
    xs, ys = [], []
    for i in range(n + 1):
        xs.append(sum(((mask_of[lab] >> i) & 1) << l for l, (lab, _) in enumerate(lhs)))
        ys.append(sum(((mask_of[lab] >> i) & 1) << r for r, (lab, _) in enumerate(rhs)))
    everything = np.arange(1 << R, dtype=np.int64)
    cands = []
    for x in range(P):
        ok = np.ones(1 << R, dtype=bool)
        for xi, yi in zip(xs, ys):
            ok &= np.bitwise_count(everything ^ yi) <= ((xbits[x] != xbits[xi]) @ alpha)
        cands.append(everything[ok])
    deadline = time.perf_counter() + time_limit
    images = np.full(P, -1, dtype=np.int64)

    def search(cands: list[np.ndarray]) -> bool:
        if time.perf_counter() > deadline:
            raise _OutOfTime
        free = [x for x in range(P) if images[x] < 0]
        if not free:
            return True
        x = min(free, key=lambda v: len(cands[v]))
        for y in cands[x]:
            new = list(cands)
            new[x] = np.array([y])
            dead = False
            for l in range(L):
                nb = x ^ (1 << l)
                if images[nb] < 0:
                    new[nb] = new[nb][np.bitwise_count(new[nb] ^ y) <= alpha[l]]
                    dead = new[nb].size == 0
                    if dead:
                        break
            if dead:
                continue
            images[x] = y
            if search(new):
                return True
            images[x] = -1
        return False

    sys.setrecursionlimit(max(10_000, 4 * P))
    try:
        found = search(cands)
    except _OutOfTime:
        return None
    if not found:
        raise AssertionError(f"backtracking found no contraction map for {ineq}")
    bits = ((images[:, None] >> np.arange(R)) & 1).astype(np.uint8)
    return ContractionMap(lhs, rhs, bits, n_parties=n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="cap the baseline at 10 s per facet")
    parser.add_argument("--repeats", type=int, default=2, help="timings of qinfo to take the best of")
    args = parser.parse_args(argv)
    cap = 10.0 if args.quick else 60.0
    rows = json.loads((importlib.resources.files("qinfo") / "data" / "hec" / "f5.json").read_text())
    facets = [Inequality.from_coefficients(r) for r in rows]
    prove(facets[0], progress=False)  # warm imports

    def time_prover(solver: str) -> tuple[float, list[float]]:
        best, per = np.inf, []
        for _ in range(args.repeats):
            times = []
            for f in facets:
                t0 = time.perf_counter()
                result = prove(f, solver=solver, counterexample_search=False, progress=False)
                times.append(time.perf_counter() - t0)
                assert result.status == "proved" and check_contraction(result.certificate, f)
            if sum(times) < best:
                best, per = sum(times), times
        return best, per

    t_qinfo, per_qinfo = time_prover("cadical195")
    t_kissat, _ = time_prover("kissat404")
    per_bt, timed_out = [], 0
    for f in facets:
        t0 = time.perf_counter()
        cert = backtracking_contraction(f, cap)
        per_bt.append(time.perf_counter() - t0)
        if cert is None:
            timed_out += 1
        else:
            assert check_contraction(cert, f)
    t_bt = sum(per_bt)
    print("Proving the 8 five-party holographic facet orbits (qinfo/data/hec/f5.json) from scratch")
    print(f"{'facet':>5}  {'L':>3}  {'R':>3}  {'qinfo [s]':>10}  {'backtracking [s]':>17}")
    for i, f in enumerate(facets):
        lhs, rhs = integer_sides(f)
        mark = " (cap)" if per_bt[i] >= cap else ""
        print(f"{i:>5}  {len(lhs):>3}  {sum(c for _, c in rhs):>3}  {per_qinfo[i]:>10.3f}  "
              f"{per_bt[i]:>11.3f}{mark}")
    print(f"qinfo prove (propagation + CaDiCaL):   {t_qinfo:8.3f} s")
    print(f"qinfo prove with Kissat (hec's solver): {t_kissat:8.3f} s")
    bound = ">= " if timed_out else ""
    print(f"plain backtracking:                     {bound}{t_bt:8.3f} s"
          + (f"  ({timed_out} facet(s) stopped at the {cap:.0f} s cap)" if timed_out else ""))
    print(f"ratio backtracking / qinfo:             {bound}{t_bt / t_qinfo:.1f}x")


if __name__ == "__main__":
    main()
