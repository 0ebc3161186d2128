"""The search behind :func:`qinfo.entropy_cones.contraction.prove`.

Propagation first, then an exact SAT search with python-sat. Variables are
the bits ``f(x)_r`` (one per left-hypercube vertex ``x`` and right-hand unit
term ``r``). The contraction of a hypercube edge of weight ``a`` is "at most
``a`` of the ``R`` bits differ" (a cardinality constraint over XOR
indicators); the ``k``-point condition of a vertex set ``X`` is "at most
``alpha(X)`` of the ``R`` bits are not constant on ``X``". Right-hand
coefficients are expanded into unit terms, so every constraint is a plain
cardinality constraint (``pysat.card``, sequential counter).
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from math import gcd
from typing import Callable

import numpy as np

from .contraction import ContractionMap, _bits, _vertex_bits
from .vectors import PURIFIER, party_letters, subset_labels, subset_masks

__all__ = ["ContractionSearch", "SearchOutcome", "integer_sides"]

_MAX_RHS_UNITS = 4096
_MAX_LHS_TERMS = 16
_PROPAGATION_BUDGET = 5e7  # array elements touched by the pair rule after the first round


@dataclass
class SearchOutcome:
    """``images`` of a map found (or None), whether one exists (None: unknown), and why.

    ``scale_free`` marks a "none exists" that holds for every multiple of the
    inequality too (the boundary conditions alone conflict).
    """

    images: np.ndarray | None
    exists: bool | None
    reason: str
    scale_free: bool = False


def integer_sides(inequality) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The two sides of ``inequality`` as ``(label, coefficient)`` with coprime integer coefficients.

    Examples
    --------
    >>> from qinfo.entropy_cones.inequalities import Inequality
    >>> integer_sides(Inequality.parse("1/2 S_A + 1/2 S_B >= 1/2 S_AB"))
    ([('A', 1), ('B', 1)], [('AB', 1)])
    """
    sides = [inequality.lhs, inequality.rhs]
    fracs = []
    for side in sides:
        row = {}
        for lab, c in side.items():
            fr = Fraction(c).limit_denominator(10**6)
            if abs(float(fr) - c) > 1e-9 * max(1.0, abs(c)):
                raise ValueError(f"inequality: coefficient {c!r} of S_{lab} is not a ratio of small "
                                 f"integers; contraction maps need rational coefficients")
            row[lab] = fr
        fracs.append(row)
    denominators = [fr.denominator for row in fracs for fr in row.values()]
    lcm = 1
    for d in denominators:
        lcm = lcm * d // gcd(lcm, d)
    ints = [{lab: int(fr * lcm) for lab, fr in row.items()} for row in fracs]
    g = 0
    for row in ints:
        for v in row.values():
            g = gcd(g, v)
    g = max(g, 1)
    return ([(lab, v // g) for lab, v in ints[0].items()], [(lab, v // g) for lab, v in ints[1].items()])


class ContractionSearch:
    """One search for a contraction map of ``inequality``.

    Parameters
    ----------
    inequality : Inequality
    k : int or None
        2 for graphs; the largest hyperedge size for hypergraphs (None: any).
    solver : str
        python-sat solver name.
    max_sets : int
        Most ``k``-point sets (of 3 or more vertices) the encoding may hold.
    multiple : int
        Search for a map proving ``multiple`` times the inequality (with
        coprime integer coefficients): lhs weights times ``multiple``, each
        rhs term ``multiple`` times as many unit coordinates. Larger multiples
        allow more maps.

    Attributes
    ----------
    lhs_terms, rhs_terms : list of (str, int)
        The hypercube coordinates: lhs with integer weights, rhs as unit terms.
    stats : dict
    """

    def __init__(self, inequality, *, k: int | None = 2, solver: str = "cadical195",
                 max_sets: int = 200_000, multiple: int = 1):
        from pysat.solvers import SolverNames

        if not hasattr(SolverNames, solver):
            names = sorted(n for n in vars(SolverNames) if not n.startswith("_"))
            raise ValueError(f"solver must be a python-sat solver name ({', '.join(names)}), got {solver!r}")
        if max_sets < 0:
            raise ValueError(f"max_sets must be non-negative, got {max_sets}")
        self.inequality = inequality
        self.k, self.solver, self.max_sets = k, solver, int(max_sets)
        if isinstance(multiple, bool) or not isinstance(multiple, (int, np.integer)) or multiple < 1:
            raise ValueError(f"multiple must be a positive int, got {multiple!r}")
        lhs, rhs = integer_sides(inequality)
        lhs = [(lab, c * int(multiple)) for lab, c in lhs]
        rhs = [(lab, c * int(multiple)) for lab, c in rhs]
        self.lhs_terms = lhs
        self.rhs_units = sum(c for _, c in rhs)
        self.rhs_terms = [(lab, 1) for lab, c in rhs for _ in range(c)] if self.rhs_units <= _MAX_RHS_UNITS else []
        n = inequality.n_parties
        mask_of = dict(zip(subset_labels(n), subset_masks(n)))
        self.parties = party_letters(n) + PURIFIER
        self.lhs_masks = [mask_of[lab] for lab, _ in self.lhs_terms]
        self.rhs_masks = [mask_of[lab] for lab, _ in self.rhs_terms]
        self.alpha = np.array([c for _, c in self.lhs_terms], dtype=np.int64)
        self.L, self.R = len(self.lhs_terms), len(self.rhs_terms)
        self.stats: dict = {"multiple": int(multiple), "L": self.L, "R": self.R}

    # -- the whole search --------------------------------------------------------------
    def run(self, deadline: float | None = None,
            on_stage: Callable[[str], object] | None = None) -> SearchOutcome:
        """Propagate, then solve; ``deadline`` is a ``time.perf_counter()`` value."""
        if self.rhs_units > _MAX_RHS_UNITS or self.L > _MAX_LHS_TERMS:
            return SearchOutcome(None, None, f"Size limit: the search handles at most {_MAX_LHS_TERMS} "
                                 f"lhs terms and {_MAX_RHS_UNITS} rhs units (after scaling to integers); "
                                 f"this inequality has {self.L} and {self.rhs_units}.")
        P = 1 << self.L
        self.stats["vertices"] = P
        conflict = self._boundary_conflict()
        if conflict:  # the weights on both sides scale together: no multiple has a map either
            return SearchOutcome(None, False, f"No contraction map exists: {conflict}.", scale_free=True)
        forced, conflict = self._propagate()
        n_forced = int((forced >= 0).sum())
        self.stats.update(forced=n_forced, free=forced.size - n_forced)
        if conflict:
            return SearchOutcome(None, False, f"No contraction map exists: {conflict}.")
        if on_stage:
            on_stage("solve")
        if n_forced == forced.size:
            cert = ContractionMap(self.lhs_terms, self.rhs_terms, forced.astype(np.uint8),
                                  n_parties=self.inequality.n_parties)
            bad = cert.failures("hypergraph" if self.k != 2 else "graph", self.k, limit=1)
            if bad:
                return SearchOutcome(None, False, "No contraction map exists: propagation fixes every "
                                     f"image and the forced map fails ({bad[0]}).")
            return SearchOutcome(forced.astype(np.uint8), True,
                                 f"Propagation alone fixed all {forced.size} image bits; the map contracts.")
        return self._solve(forced, deadline)

    # -- stage 1: propagation ------------------------------------------------------------
    def _boundary(self) -> tuple[list[int], np.ndarray]:
        """Occurrence-vector vertex of each party (purifier last) and its rhs bits."""
        xs = [sum(((m >> i) & 1) << l for l, m in enumerate(self.lhs_masks)) for i in range(len(self.parties))]
        ys = np.array([[(m >> i) & 1 for m in self.rhs_masks] for i in range(len(self.parties))],
                      dtype=np.int8).reshape(len(self.parties), self.R)
        return xs, ys

    def _boundary_conflict(self) -> str | None:
        """Why the boundary conditions alone violate the contraction condition, if they do.

        Pairs of parties for graphs; for hypergraphs also every set of up to
        ``k`` parties (a hyperedge joining their boundary vertices).
        """
        L = self.L
        xbits = _vertex_bits(L)
        xs, ys = self._boundary()
        names = self.parties
        sizes = [2] + list(range(3, len(names) + 1 if self.k is None else min(self.k, len(names)) + 1))
        for m in sizes:
            for group in itertools.combinations(range(len(names)), m):
                g = list(group)
                a = int(np.any(xbits[[xs[i] for i in g]] != xbits[xs[g[0]]], axis=0) @ self.alpha)
                b = int(np.any(ys[g] != ys[g[0]], axis=0).sum())
                if b > a:
                    who = ", ".join(names[i] for i in g)
                    why = (f"parties {who} have lhs occurrence vectors at distance {a} but rhs occurrence "
                           f"vectors at distance {b}" if m == 2 else
                           f"on the occurrence vectors of the parties {who} the non-constant rhs terms "
                           f"weigh {b} but the non-constant lhs terms only {a} (the {m}-point condition "
                           f"of a hyperedge joining them)")
                    return why
        return None

    def _propagate(self) -> tuple[np.ndarray, str | None]:
        """Forced image bits (-1: free) and, if the constraints already conflict, why."""
        L, R, P = self.L, self.R, 1 << self.L
        xbits = _vertex_bits(L)
        xs, ys = self._boundary()
        forced = np.full((P, R), -1, dtype=np.int8)
        for x, y in zip(xs, ys):
            forced[x] = y
        dist = {}

        def dist_to(p):
            if p not in dist:
                dist[p] = (xbits != xbits[p]) @ self.alpha
            return dist[p]

        fixed = sorted(set(xs))
        pairs = list(itertools.combinations_with_replacement(fixed, 2))
        spent = 0.0
        while pairs:
            for p, q in pairs:
                yp, yq = forced[p], forced[q]
                agree = yp == yq
                if not agree.any():
                    continue
                slack = dist_to(p) + dist_to(q) - int((yp != yq).sum())  # budget left for deviations
                # deviating on an agreeing coordinate costs 2 (one unit towards each of p and q)
                hit = (slack[:, None] < 2) & agree[None, :]
                clash = hit & (forced >= 0) & (forced != yp[None, :])
                if clash.any():
                    x, r = map(int, np.argwhere(clash)[0])
                    return forced, (f"the images of vertices {_bits(xbits[p])} and {_bits(xbits[q])} "
                                    f"force bit {r} (term {self.rhs_terms[r][0]}) of the image of vertex "
                                    f"{_bits(xbits[x])} to both 0 and 1")
                forced = np.where(hit, yp[None, :], forced).astype(np.int8)
            spent += len(pairs) * P * R
            old = set(fixed)
            new = [int(x) for x in np.flatnonzero((forced >= 0).all(axis=1)) if int(x) not in old]
            pairs = [(p, q) for p in new for q in fixed]
            pairs += list(itertools.combinations_with_replacement(new, 2))
            fixed = sorted(old | set(new))
            if spent + len(pairs) * P * R > _PROPAGATION_BUDGET:
                break
        return forced, None

    # -- stage 2: SAT -----------------------------------------------------------------
    def _solve(self, forced: np.ndarray, deadline: float | None) -> SearchOutcome:
        from pysat.card import CardEnc, EncType
        from pysat.formula import IDPool
        from pysat.solvers import Solver

        L, R, P = self.L, self.R, 1 << self.L

        def var(x: int, r: int) -> int:
            return int(1 + x * R + r)

        pool = IDPool(start_from=P * R + 1)
        clauses: list[list[int]] = [[var(x, r) if forced[x, r] else -var(x, r)]
                                    for x, r in zip(*np.nonzero(forced >= 0))]

        def at_most(lits: list[int], bound: int) -> bool:
            if bound < 0:
                return False
            if bound >= len(lits):
                return True
            if bound == 0:
                clauses.extend([-t] for t in lits)
            else:
                clauses.extend(CardEnc.atmost(lits=lits, bound=bound, vpool=pool,
                                              encoding=EncType.seqcounter).clauses)
            return True

        def timed_out() -> bool:
            return deadline is not None and time.perf_counter() > deadline

        # contraction of the hypercube edges
        for l in range(L):
            if self.alpha[l] >= R:
                continue
            for x in range(P):
                if x >> l & 1:
                    continue
                x2 = x | 1 << l
                lits, const = [], 0
                for r in range(R):
                    fa, fb = forced[x, r], forced[x2, r]
                    if fa >= 0 and fb >= 0:
                        const += int(fa != fb)
                    elif fa >= 0:
                        lits.append(var(x2, r) if fa == 0 else -var(x2, r))
                    elif fb >= 0:
                        lits.append(var(x, r) if fb == 0 else -var(x, r))
                    else:
                        d = pool.id()
                        a, b = var(x, r), var(x2, r)
                        clauses += [[-a, b, d], [a, -b, d]]
                        lits.append(d)
                if not at_most(lits, int(self.alpha[l]) - const):
                    return SearchOutcome(None, False, f"No contraction map exists: the forced images of "
                                         f"the edge {x}-{x2} already differ by more than its weight.")
            if timed_out():
                return self._out_of_time("building the SAT encoding")
        # k-point condition on sets of 3 or more vertices
        if self.k != 2:
            from math import comb

            top = P if self.k is None else min(self.k, P)
            n_sets = sum(comb(P, m) for m in range(3, top + 1))
            self.stats["k_sets"] = n_sets
            if n_sets > self.max_sets:
                return SearchOutcome(None, None, f"Size limit: the k-point condition needs {n_sets:.3g} vertex "
                                     f"sets (> max_sets = {self.max_sets}); pass a smaller max_edge_size.")
            weight = np.array([sum(int(self.alpha[l]) for l in range(L) if m >> l & 1) for m in range(P)])
            for m in range(3, top + 1):
                for group in itertools.combinations(range(P), m):
                    x0 = group[0]
                    spread = 0
                    for x in group[1:]:
                        spread |= x ^ x0
                    a = int(weight[spread])
                    if a >= R:
                        continue
                    lits, const = [], 0
                    for r in range(R):
                        vals = forced[list(group), r]
                        if (vals == 0).any() and (vals == 1).any():
                            const += 1
                        elif (vals >= 0).all():
                            continue
                        else:
                            nc = pool.id()
                            v0 = var(x0, r)
                            for x in group[1:]:
                                clauses += [[-v0, var(x, r), nc], [v0, -var(x, r), nc]]
                            lits.append(nc)
                    if not at_most(lits, a - const):
                        return SearchOutcome(None, False, "No contraction map exists: the forced images "
                                             f"violate the k-point condition on the vertex set {group}.")
                if timed_out():
                    return self._out_of_time("building the SAT encoding")
        self.stats.update(variables=pool.top, clauses=len(clauses))
        with Solver(name=self.solver, bootstrap_with=clauses) as solver:
            timer = None
            if deadline is not None:
                timer = threading.Timer(max(deadline - time.perf_counter(), 0.0), solver.interrupt)
                timer.start()
            try:
                answer = solver.solve_limited(expect_interrupt=True)
            finally:
                if timer is not None:
                    timer.cancel()
            if answer is None:
                return self._out_of_time(f"the SAT search ({self.solver})")
            if not answer:
                return SearchOutcome(None, False, f"No contraction map exists: the SAT search ({self.solver}, "
                                     f"{pool.top} variables, {len(clauses)} clauses) is complete and "
                                     f"found none.")
            model = np.array(solver.get_model(), dtype=np.int64)
        model = model[np.abs(model) <= P * R]
        values = np.zeros(P * R + 1, dtype=np.uint8)
        values[np.abs(model)] = model > 0
        images = values[1:].reshape(P, R)
        free = int((forced < 0).sum())
        return SearchOutcome(images, True, f"Found a contraction map by SAT ({self.solver}); propagation "
                             f"fixed {forced.size - free} of {forced.size} image bits.")

    def _out_of_time(self, where: str) -> SearchOutcome:
        return SearchOutcome(None, None, f"Time limit reached during {where}; no contraction map found yet.")
