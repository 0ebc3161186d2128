"""The search behind :func:`qinfo.entropy_cones.contraction.prove`.

Propagation first, then an exact SAT search with python-sat. Variables are
the bits ``f(x)_r`` (one per left-hypercube vertex ``x`` and right-hand unit
term ``r``, variable ``1 + x * R + r``). The contraction of a hypercube edge
of weight ``a`` is "at most ``a`` of the ``R`` bits differ" (a cardinality
constraint over XOR indicators); the ``k``-point condition of a vertex set
``X`` is "at most ``alpha(X)`` of the ``R`` bits are not constant on ``X``".
Right-hand coefficients are expanded into unit terms, so every constraint is a
plain cardinality constraint. The edge constraints are built as arrays in
bulk: ``pysat.card`` encodes one sequential counter per (size, bound) pair,
which is then instantiated for every edge with that pair by indexing.

For hyperedges of any size (``k=None``) the condition on a vertex set depends
only on the subcube it spans and is hardest on the whole subcube, so the
``3**L`` subcubes suffice; they are added lazily (a cutting-plane loop:
solve, find the subcubes the model violates, add their constraints, solve
again). Every constraint added is necessary, so UNSAT still proves that no
map exists.

Time limits hold whatever the solver: CaDiCaL runs under conflict budgets in
short slices; other solvers run in a worker process that is ended at the
deadline.
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import gcd
from typing import Callable

import numpy as np

from .contraction import (ContractionMap, _bits, _big, _n_point_sets, _subcube_of, _subcube_vertices,
                          _vertex_bits, _violated_subcubes, _MAX_SUBCUBE_L)
from .vectors import PURIFIER, party_letters, subset_labels, subset_masks

__all__ = ["ContractionSearch", "SearchOutcome", "integer_sides", "check_solver_name"]

_MAX_RHS_UNITS = 4096
_MAX_LHS_TERMS = 16
_PROPAGATION_BUDGET = 5e7  # array elements touched by the pair rule after the first round
_SUBCUBES_PER_ROUND = 256  # violated subcubes added per round of the cutting-plane loop


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


def check_solver_name(solver) -> str:
    """``solver`` if python-sat knows it, else a ValueError listing the names it knows.

    Examples
    --------
    >>> check_solver_name("cadical195")
    'cadical195'
    """
    from pysat.solvers import SolverNames

    names = sorted(n for n in vars(SolverNames) if not n.startswith("_"))
    if not isinstance(solver, str) or solver not in names:
        raise ValueError(f"solver must be a python-sat solver name ({', '.join(names)}), got {solver!r}")
    return solver


def integer_sides(inequality) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The two sides of ``inequality`` as ``(label, coefficient)`` with coprime integer coefficients.

    Raises
    ------
    ValueError
        If a coefficient is not a ratio of integers with denominator at most 10**6.

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
        Most ``k``-point sets (of 3 or more vertices) the encoding may hold
        for a bounded ``k``.
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
        check_solver_name(solver)
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
        if self.k is None and self.L > _MAX_SUBCUBE_L:
            return SearchOutcome(None, None, f"Size limit: hyperedges of any size need the 3**L subcubes, "
                                 f"at most L = {_MAX_SUBCUBE_L}; this inequality has L = {self.L} (pass "
                                 f"a max_edge_size).")
        P = 1 << self.L
        self.stats["vertices"] = P
        conflict = self._boundary_conflict()
        if conflict:  # the weights on both sides scale together: no multiple has a map either
            return SearchOutcome(None, False, f"No contraction map exists: {conflict}.", scale_free=True)
        forced, conflict = self._propagate(deadline)
        n_forced = int((forced >= 0).sum())
        self.stats.update(forced=n_forced, free=forced.size - n_forced)
        if conflict:
            return SearchOutcome(None, False, f"No contraction map exists: propagation found a conflict: "
                                 f"{conflict}.")
        if deadline is not None and time.perf_counter() > deadline:
            return self._out_of_time("propagation")
        if on_stage:
            on_stage("solve")
        if n_forced == forced.size:  # propagation fixed the whole map: it is the only candidate
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

    def _propagate(self, deadline: float | None = None) -> tuple[np.ndarray, str | None]:
        """Forced image bits (-1: free) and, if the constraints already conflict, why.

        Two rules, applied until neither forces anything new: the pair rule
        between vertices whose images are fully forced, and the edge rule (an
        edge whose forced bits already differ in ``alpha_l`` places makes all
        other forced bits equal across it).
        """
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

        fixed: list[int] = []
        new = sorted(set(xs))
        spent = 0.0
        while True:
            pairs = [(p, q) for p in new for q in fixed] + list(itertools.combinations_with_replacement(new, 2))
            if spent > 0 and spent + len(pairs) * P * R > _PROPAGATION_BUDGET:
                break
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
            conflict = self._edge_rule(forced)
            if conflict:
                return forced, conflict
            fixed = sorted(set(fixed) | set(new))
            done = set(fixed)
            new = [int(x) for x in np.flatnonzero((forced >= 0).all(axis=1)) if int(x) not in done]
            if not new or (deadline is not None and time.perf_counter() > deadline):
                break
        return forced, None

    def _edge_rule(self, forced: np.ndarray) -> str | None:
        """Apply the edge rule in place until it forces nothing new; the conflict, if any."""
        L = self.L
        xbits = _vertex_bits(L)
        index = np.arange(1 << L)
        changed = True
        while changed:
            changed = False
            for l in range(L):
                lo = index[(index >> l & 1) == 0]
                hi = lo | 1 << l
                fa, fb = forced[lo], forced[hi]
                differ = ((fa >= 0) & (fb >= 0) & (fa != fb)).sum(axis=1)
                over = np.flatnonzero(differ > self.alpha[l])
                if over.size:
                    x0, x1 = int(lo[over[0]]), int(hi[over[0]])
                    return (f"the forced images of the hypercube edge {_bits(xbits[x0])}-{_bits(xbits[x1])} "
                            f"(term {self.lhs_terms[l][0]}, weight {self.alpha[l]}) differ in "
                            f"{int(differ[over[0]])} places")
                tight = (differ == self.alpha[l])[:, None]
                to_b = tight & (fa >= 0) & (fb < 0)
                to_a = tight & (fb >= 0) & (fa < 0)
                if to_b.any() or to_a.any():
                    forced[hi] = np.where(to_b, fa, fb)
                    forced[lo] = np.where(to_a, fb, fa)
                    changed = True
        return None

    # -- stage 2: SAT -----------------------------------------------------------------
    def _solve(self, forced: np.ndarray, deadline: float | None) -> SearchOutcome:
        P, R = 1 << self.L, self.R
        enc = _Encoding(P * R + 1)
        units = np.flatnonzero(forced.reshape(-1) >= 0)
        signs = np.where(forced.reshape(-1)[units] == 1, 1, -1)
        enc.add_array(((units + 1) * signs).reshape(-1, 1))
        conflict = self._encode_edges(forced, enc)
        if conflict:
            return SearchOutcome(None, False, f"No contraction map exists: {conflict}.")
        if self.k not in (2, None) and self.k < P:
            n_sets = _n_point_sets(P, self.k)
            self.stats["k_sets"] = n_sets
            if n_sets > self.max_sets:
                return SearchOutcome(None, None, f"Size limit: the k-point condition needs {_big(n_sets)} "
                                     f"vertex sets (> max_sets = {self.max_sets}); pass a smaller "
                                     f"max_edge_size.")
            for group in _point_sets(P, self.k):
                if not self._encode_set(np.array(group), int(self._weight(group)), forced, enc):
                    return SearchOutcome(None, False, "No contraction map exists: the forced images "
                                         f"violate the k-point condition on the vertex set {group}.")
                if deadline is not None and time.perf_counter() > deadline:
                    return self._out_of_time("building the SAT encoding")
        lazy = self.k is None or self.k >= P
        sat = _Sat(self.solver, enc)
        rounds = added = 0
        try:
            while True:
                answer, images = sat.solve(deadline, P * R)
                self.stats.update(variables=enc.top - 1, clauses=enc.n_clauses)
                if answer is None:
                    what = f"the SAT search ({self.solver})"
                    if lazy:
                        what += f", round {rounds + 1} of the subcube loop ({added} subcubes added)"
                    return self._out_of_time(what)
                if not answer:
                    extra = f", {added} subcube constraints added lazily" if lazy else ""
                    return SearchOutcome(None, False, f"No contraction map exists: the SAT search "
                                         f"({self.solver}, {enc.top - 1} variables, {enc.n_clauses} clauses"
                                         f"{extra}) is complete and found none.")
                images = images.reshape(P, R)
                if not lazy:
                    break
                bad = _violated_subcubes(images, self.alpha, np.ones(R, dtype=np.int64),
                                         limit=_SUBCUBES_PER_ROUND)
                rounds += 1
                if bad.size == 0:
                    break
                for t in bad:
                    star, base = _subcube_of(int(t), self.L)
                    verts = _subcube_vertices(star, base)
                    if not self._encode_set(verts, int(self._weight(verts)), forced, enc):
                        return SearchOutcome(None, False, "No contraction map exists: the forced images "
                                             f"violate the condition on the subcube of the vertices "
                                             f"{verts.tolist()}.")
                added += bad.size
                sat.add_new()
        finally:
            sat.close()
        if lazy:
            self.stats.update(subcube_rounds=rounds, subcubes_added=added)
        free = int((forced < 0).sum())
        return SearchOutcome(images.astype(np.uint8), True,
                             f"Found a contraction map by SAT ({self.solver}); propagation fixed "
                             f"{forced.size - free} of {forced.size} image bits.")

    def _weight(self, verts) -> int:
        spread = 0
        for x in verts[1:]:
            spread |= int(x) ^ int(verts[0])
        return sum(int(self.alpha[l]) for l in range(self.L) if spread >> l & 1)

    def _encode_edges(self, forced: np.ndarray, enc: "_Encoding") -> str | None:
        """Add "at most alpha_l image bits differ" for every hypercube edge, in bulk."""
        L, R = self.L, self.R
        V = 1 + np.arange((1 << L) * R, dtype=np.int64).reshape(1 << L, R)
        index = np.arange(1 << L)
        for l in range(L):
            if self.alpha[l] >= R:
                continue
            lo = index[(index >> l & 1) == 0]
            hi = lo | 1 << l
            fa, fb = forced[lo], forced[hi]
            both, only_a, only_b = (fa >= 0) & (fb >= 0), (fa >= 0) & (fb < 0), (fa < 0) & (fb >= 0)
            bound = self.alpha[l] - (both & (fa != fb)).sum(axis=1)
            if (bound < 0).any():
                j = int(np.flatnonzero(bound < 0)[0])
                return f"the forced images of the edge {int(lo[j])}-{int(hi[j])} differ by more than its weight"
            count = R - both.sum(axis=1)
            keep = bound < count
            if not keep.any():
                continue
            lo, hi, fa, fb, only_a, only_b = lo[keep], hi[keep], fa[keep], fb[keep], only_a[keep], only_b[keep]
            bound, count = bound[keep], count[keep]
            neither = (fa < 0) & (fb < 0)
            lits = np.zeros(fa.shape, dtype=np.int64)
            # a forced end: the other end's bit differs from it (a literal of that variable)
            lits[only_a] = np.where(fa == 0, V[hi], -V[hi])[only_a]
            lits[only_b] = np.where(fb == 0, V[lo], -V[lo])[only_b]
            d = enc.new_vars(int(neither.sum()))
            lits[neither] = d
            a, b = V[lo][neither], V[hi][neither]
            enc.add_array(np.stack([np.stack([-a, b, d], axis=1), np.stack([a, -b, d], axis=1)]).reshape(-1, 3))
            for n, bnd in {(int(c), int(k)) for c, k in zip(count, bound)}:
                rows = (count == n) & (bound == bnd)
                enc.at_most(lits[rows][lits[rows] != 0].reshape(-1, n), bnd)
        return None

    def _encode_set(self, verts: np.ndarray, a: int, forced: np.ndarray, enc: "_Encoding") -> bool:
        """Add "at most ``a`` image bits are not constant on ``verts``"; False if already violated."""
        R = self.R
        if a >= R:
            return True
        V = 1 + verts[:, None] * R + np.arange(R)[None, :]
        f = forced[verts]
        lits, const, clauses = [], 0, []
        for r in range(R):
            col, var = f[:, r], V[:, r]
            zero, one = (col == 0).any(), (col == 1).any()
            if zero and one:
                const += 1
                continue
            free = var[col < 0]
            if free.size == 0:
                continue
            nc = int(enc.new_vars(1)[0])
            if zero or one:  # a free bit that differs from the forced value makes r non-constant
                clauses += [[int(v) if zero else -int(v), nc] for v in free]
            else:
                v0 = int(free[0])
                for v in free[1:]:
                    clauses += [[-v0, int(v), nc], [v0, -int(v), nc]]
            lits.append(nc)
        if a - const < 0:
            return False
        enc.add_list(clauses)
        if lits:
            enc.at_most(np.array([lits], dtype=np.int64), a - const)
        return True

    def _out_of_time(self, where: str) -> SearchOutcome:
        return SearchOutcome(None, None, f"Time limit reached during {where}; no contraction map found yet.")


def _point_sets(P: int, k: int):
    for m in range(3, k + 1):
        yield from itertools.combinations(range(P), m)


# -- the CNF, built in arrays ------------------------------------------------------------
@lru_cache(maxsize=256)
def _seqcounter_template(n: int, bound: int) -> tuple[int, tuple[np.ndarray, ...]]:
    """Sequential-counter "at most ``bound`` of ``n``" over inputs 1..n: (aux count, clauses by length)."""
    from pysat.card import CardEnc, EncType

    cnf = CardEnc.atmost(lits=list(range(1, n + 1)), bound=bound, top_id=n, encoding=EncType.seqcounter)
    n_aux = max([abs(v) for c in cnf.clauses for v in c] + [n]) - n
    by_len: dict[int, list] = {}
    for c in cnf.clauses:
        by_len.setdefault(len(c), []).append(c)
    return n_aux, tuple(np.array(v, dtype=np.int64) for v in by_len.values())


class _Encoding:
    """Clauses as integer arrays (one per clause length) and a variable counter."""

    def __init__(self, first_free: int):
        self.top = first_free  # next unused variable
        self.blocks: list[np.ndarray | list] = []
        self.n_clauses = 0
        self._sent = 0  # blocks already handed to the solver

    def new_vars(self, n: int) -> np.ndarray:
        out = self.top + np.arange(n, dtype=np.int64)
        self.top += n
        return out

    def add_array(self, clauses: np.ndarray) -> None:
        if len(clauses):
            self.blocks.append(clauses)
            self.n_clauses += len(clauses)

    def add_list(self, clauses: list) -> None:
        if clauses:
            self.blocks.append(clauses)
            self.n_clauses += len(clauses)

    def at_most(self, lits: np.ndarray, bound: int) -> None:
        """"At most ``bound`` true" for each row of ``lits`` (shape (M, n))."""
        M, n = lits.shape
        if M == 0 or bound >= n:
            return
        if bound == 0:
            self.add_array(-lits.reshape(-1, 1))
            return
        n_aux, templates = _seqcounter_template(n, bound)
        table = np.concatenate([np.zeros((M, 1), np.int64), lits, self.new_vars(M * n_aux).reshape(M, n_aux)],
                               axis=1)
        for t in templates:
            self.add_array((np.sign(t)[None] * table[:, np.abs(t)]).reshape(-1, t.shape[1]))

    def clauses(self, new_only: bool = False) -> list[list[int]]:
        start = self._sent if new_only else 0
        out: list[list[int]] = []
        for b in self.blocks[start:]:
            out.extend(b.tolist() if isinstance(b, np.ndarray) else b)
        self._sent = len(self.blocks)
        return out


# -- solving within a time limit ------------------------------------------------------
def _budgeted(name: str) -> bool:
    """CaDiCaL honours conflict budgets in python-sat (and ignores interrupt())."""
    return name.startswith("cadical")


def _incremental(name: str) -> bool:
    return not name.startswith("kissat")


class _Sat:
    """One python-sat solver for a growing CNF, solved under a deadline.

    Without a deadline, or for CaDiCaL (conflict budgets in slices), the
    solver runs in this process and is reused across calls. Other solvers,
    under a deadline, run in a worker process that is ended when the
    deadline passes (python-sat's ``interrupt`` is not honoured by every
    solver); that worker rebuilds the solver from all clauses each call.
    """

    def __init__(self, name: str, enc: _Encoding):
        self.name, self.enc, self.solver = name, enc, None

    def add_new(self) -> None:
        if self.solver is not None and _incremental(self.name):
            self.solver.append_formula(self.enc.clauses(new_only=True))
        elif self.solver is not None:
            self.close()

    def solve(self, deadline: float | None, n_image: int) -> tuple[bool | None, np.ndarray | None]:
        if deadline is not None and not _budgeted(self.name):
            return _solve_in_worker(self.name, self.enc.clauses(), deadline, n_image)
        from pysat.solvers import Solver

        if self.solver is None:
            self.solver = Solver(name=self.name, bootstrap_with=self.enc.clauses())
        if deadline is None:
            answer = self.solver.solve()
        else:
            answer = _solve_budgeted(self.solver, deadline)
        return answer, (_image_bits(self.solver.get_model(), n_image) if answer else None)

    def close(self) -> None:
        if self.solver is not None:
            self.solver.delete()
            self.solver = None


def _image_bits(model, n_image: int) -> np.ndarray:
    model = np.asarray(model[:n_image], dtype=np.int64)
    values = np.zeros(n_image + 1, dtype=np.uint8)
    values[np.abs(model)] = model > 0
    return values[1:]


def _solve_budgeted(solver, deadline: float) -> bool | None:
    """solve_limited in slices of conflicts, sized to stay well inside the time left."""
    budget = 1000
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return None
        solver.conf_budget(budget)
        t0 = time.perf_counter()
        answer = solver.solve_limited()
        if answer is not None:
            return answer
        took = time.perf_counter() - t0
        if took < 0.01 * left:
            budget *= 2
        elif took > 0.03 * left:
            budget = max(50, budget // 2)


def _worker(name: str, clauses: list, n_image: int, conn) -> None:
    from pysat.solvers import Solver

    with Solver(name=name, bootstrap_with=clauses) as s:
        answer = s.solve()
        conn.send((answer, _image_bits(s.get_model(), n_image) if answer else None))
    conn.close()


def _solve_in_worker(name: str, clauses: list, deadline: float, n_image: int):
    """Solve in a child process; end it at the deadline. (None, None) when out of time."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    recv, send = ctx.Pipe(duplex=False)
    try:
        proc = ctx.Process(target=_worker, args=(name, clauses, n_image, send))
        proc.start()
    except AssertionError:  # a daemonic process (e.g. some executors' workers) may not have children
        return _solve_interrupted(name, clauses, deadline, n_image)
    send.close()
    try:
        if recv.poll(max(deadline - time.perf_counter(), 0.0)):
            try:
                return recv.recv()
            except EOFError as err:
                raise RuntimeError(f"the {name} solver process ended without an answer "
                                   f"(exit code {proc.exitcode})") from err
        return None, None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()


def _solve_interrupted(name: str, clauses: list, deadline: float, n_image: int):
    """Fallback where no worker process can be started: python-sat's interrupt()."""
    from pysat.solvers import Solver

    with Solver(name=name, bootstrap_with=clauses) as s:
        timer = threading.Timer(max(deadline - time.perf_counter(), 0.0), s.interrupt)
        timer.start()
        try:
            answer = s.solve_limited(expect_interrupt=True)
        finally:
            timer.cancel()
        return answer, (_image_bits(s.get_model(), n_image) if answer else None)
