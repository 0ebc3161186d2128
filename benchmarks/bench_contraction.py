"""Time to prove holographic facets from scratch: qinfo against hec, side by side.

Two sets: the 8 five-party facet orbits (``qinfo/data/hec/f5.json``) and a
fixed sample of 50 of the 1,875 historical six-party facets
(``tests/data/hec6/facets_sample50.json``, arXiv:2309.06296). qinfo's
:func:`~qinfo.entropy_cones.prove` (propagation, a seeded local
search, then Kissat through its C API) runs against ``hec``'s ``find_contraction`` when a hec
checkout is given (``--hec PATH``, the repository root; hec is not on PyPI,
and builds its Cython extensions on first use). Without it the five-party
set runs against a plain backtracking search written here instead.

First calls are timed separately: they load (or, after an edit, compile)
the Numba kernels of either tool; the totals are warm. Times are CPU
seconds (``time.process_time``: the machine is shared), the tools
alternating facet by facet in every round.

The baseline is a depth-first search over the vertices of the left
hypercube: each vertex starts with the candidate images allowed by the
boundary conditions (``d(y, y_i) <= d(x, x_i)`` for every party ``i``),
the vertex with the fewest candidates is assigned next, and each assignment
filters the candidates of its hypercube neighbours (forward checking). This
is the greedy-with-backtracking strategy of Bao et al. (arXiv:1505.07839,
the ``contractor`` program).

Run::

    python benchmarks/bench_contraction.py --hec /tmp/hec       # both sets, hec side by side
    python benchmarks/bench_contraction.py --six 10              # first 10 six-party facets
    python benchmarks/bench_contraction.py --quick               # baseline capped at 10 s
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import resource
import sys
import time

import numpy as np

from qinfo.entropy_cones import ContractionMap, Inequality, check_contraction, prove, subset_labels
from qinfo.entropy_cones._contraction._certificate import integer_sides
from qinfo.entropy_cones._vectors import subset_masks


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


def _load_hec(path: str | None):
    if path is None:
        return None
    import pathlib

    src = pathlib.Path(path) / "src"
    sys.path.insert(0, str(src if src.is_dir() else path))
    from hec.contractions import find_contraction

    return find_contraction


def _qinfo_one(f, n, time_limit) -> None:
    result = prove(f, counterexample_search=False, max_multiple=1, time_limit=time_limit, progress=False)
    if result.status != "proved" or not check_contraction(result.certificate, f):
        raise AssertionError(f"qinfo did not prove {f}: {result.reason}")


def _hec_one(find_contraction, f, n) -> None:
    result = find_contraction([int(c) for c in f.lift(n).coefficients], n)
    if result["status"] != "proved":
        raise AssertionError(f"hec did not prove {f}: {result.get('reason')}")


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (qinfo solves large encodings in a child)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _interleaved(tools: dict, facets, n: int, rounds: int) -> dict[str, list[float]]:
    """CPU seconds per facet and tool, summed over ``rounds``; the tools alternate facet by facet."""
    out = {name: [0.0] * len(facets) for name in tools}
    for _ in range(rounds):
        for i, f in enumerate(facets):
            for name, run in tools.items():
                t0 = _cpu()
                run(f, n)
                out[name][i] += _cpu() - t0
    return {name: [t / rounds for t in ts] for name, ts in out.items()}


def _table(title, facets, cols: dict[str, list[float]]) -> None:
    print(title)
    names = list(cols)
    print(f"{'facet':>5}  {'L':>3}  {'R':>3}  " + "  ".join(f"{n + ' [s]':>14}" for n in names))
    for i, f in enumerate(facets):
        lhs, rhs = integer_sides(f)
        print(f"{i:>5}  {len(lhs):>3}  {sum(c for _, c in rhs):>3}  "
              + "  ".join(f"{cols[n][i]:>14.4f}" for n in names))
    totals = {n: sum(v) for n, v in cols.items()}
    print("totals (CPU): " + ", ".join(f"{n} {t:.3f} s" for n, t in totals.items()))
    if len(names) > 1:
        print(f"ratio {names[1]} / {names[0]}: {totals[names[1]] / totals[names[0]]:.2f}x "
              f"(above 1: qinfo is faster)")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hec", help="path of a hec checkout (github.com/SergioHC95/Holographic-Entropy-Cone)")
    parser.add_argument("--six", type=int, default=50, help="how many of the 50 six-party facets (0: none)")
    parser.add_argument("--quick", action="store_true", help="cap the baseline at 10 s per facet")
    parser.add_argument("--time-limit", type=float, default=300.0, help="qinfo's limit per facet [s]")
    parser.add_argument("--rounds", type=int, default=10,
                        help="interleaved rounds on the five-party set (a fifth as many on the six-party one)")
    args = parser.parse_args(argv)
    data = importlib.resources.files("qinfo") / "data" / "hec"
    five = [Inequality.from_coefficients(r) for r in json.loads((data / "f5.json").read_text())]
    sample = pathlib_root() / "tests" / "data" / "hec6" / "facets_sample50.json"
    six = [Inequality.from_coefficients(r) for r in json.loads(sample.read_text())["rows"]][:args.six]
    find_contraction = _load_hec(args.hec)
    tools = {"qinfo": lambda f, n: _qinfo_one(f, n, args.time_limit)}
    if find_contraction is not None:
        tools["hec"] = lambda f, n: _hec_one(find_contraction, f, n)

    for name, run in tools.items():  # first calls: load (or compile) each tool's kernels
        t0 = _cpu()
        run(five[5], 5)
        if six:
            run(six[0], 6)
        print(f"{name} first calls (a five- and a six-party facet; loads the compiled kernels): "
              f"{_cpu() - t0:.2f} s CPU")
    print()
    cols = _interleaved(tools, five, 5, args.rounds)
    if find_contraction is None:
        cap = 10.0 if args.quick else 60.0
        per_bt = []
        for f in five:
            t0 = _cpu()
            cert = backtracking_contraction(f, cap)
            per_bt.append(_cpu() - t0)
            assert cert is None or check_contraction(cert, f)
        cols[f"backtracking (cap {cap:.0f} s)"] = per_bt
    _table(f"The 8 five-party holographic facet orbits (qinfo/data/hec/f5.json), warm, CPU s per facet "
           f"(mean of {args.rounds} interleaved rounds)", five, cols)
    if six:
        cols = _interleaved(tools, six, 6, max(1, args.rounds // 5))
        _table(f"{len(six)} of the historical six-party facets (tests/data/hec6/facets_sample50.json), warm, "
               f"CPU s per facet", six, cols)


def pathlib_root():
    import pathlib

    return pathlib.Path(__file__).resolve().parents[1]


if __name__ == "__main__":
    main()
