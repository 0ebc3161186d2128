"""The search behind :func:`qinfo.entropy_cones.prove`: propagation and the SAT encoding.

Propagation first; for graph models a seeded local search (a random walk over
the free bits, :func:`qinfo._kernels.contraction.walk`) that may find a map
quickly and never rules one out; then an exact SAT search with python-sat. Variables are
the free bits ``f(x)_r`` (left-hypercube vertex ``x``, right-hand unit term
``r``); bits that the forced ones make equal share a variable
(:func:`qinfo._kernels.contraction.merge_variables`). The contraction of a
hypercube edge of weight ``a`` is "at most ``a`` of the ``R`` bits differ" (a
cardinality constraint over XOR indicators); the ``k``-point condition of a
vertex set ``X`` is "at most ``alpha(X)`` of the ``R`` bits are not constant
on ``X``". Right-hand coefficients are expanded into unit terms, so every
constraint is a plain cardinality constraint. The edge constraints are
written by a Numba kernel into one flat buffer (trimmed sequential counters,
vertex by vertex), plus symmetry-breaking clauses for interchangeable rhs
columns; each variable is stored with the polarity of its column's majority,
which is Kissat's first guess.

For hyperedges of any size (``k=None``) the condition on a vertex set depends
only on the subcube it spans and is hardest on the whole subcube, so the
``3**L`` subcubes suffice; they are added lazily (a cutting-plane loop:
solve, find the subcubes the model violates, add their constraints, solve
again). Every constraint added is necessary, so UNSAT still proves that no
map exists.

Time limits hold whatever the solver: Kissat 4.0.4 and CaDiCaL 1.9.5 are
driven through their C/C++ APIs and stopped at the deadline; other solvers
run in a worker process that is ended at the deadline. The solvers answer a
stop only at their polling points, a second or more late on encodings of
millions of clauses (Kissat 0.8-1.3 s at 8 million), so under a deadline the
subcube loop, and any encoding of more than 2 million clauses, runs in a child
process that is ended on time. (The six-party facets of the benchmark have at
most about a million clauses; forking for them cost 18 % of the sample's time.)
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from qinfo._optional import require
from qinfo._validate import check_int

from .._vectors import PURIFIER, party_letters, subset_labels, subset_masks
from ._certificate import (MAX_SUBCUBE_L, ContractionMap, bit_string, format_count, integer_sides, n_point_sets,
                           subcube_of, subcube_vertices, vertex_bits, violated_subcubes)
from ._capi import CadicalDirect, KissatDirect, cadical_available, kissat_available, reset_watchdog

__all__ = ["ContractionSearch", "SearchOutcome", "check_solver_name"]

_MAX_RHS_UNITS = 4096
_MAX_LHS_TERMS = 16
_MAX_ANCHORS = 1000  # fully forced vertices the pair and anchor rules start from, at most
# and at most an eighth of the vertices (but 64 on small cubes): the pair rule's cost grows with the
# square of the anchors, and past that share they forced few bits that the local search does not
# find quickly (against a quarter: 10 % less proving time on the 8 five-party facets, 32 % on the
# six-party sample; on the largest five-party facet the last round of a quarter spent 0.43 ms on
# 120 anchors to force 42 bits); all 116 of hec's non-contracting inequalities are still decided by
# propagation
_ANCHOR_SHARE, _MIN_ANCHORS = 8, 64
_ANCHORS_PER_ROUND = 400
_SUBCUBES_PER_ROUND = 256  # violated subcubes added per round of the cutting-plane loop
_DISPATCH_CHUNK = 1 << 18  # literals handed to a solver between two looks at the clock
_WORKER_CLAUSES = 2_000_000  # under a deadline, larger encodings are solved in a child process
# graph models: before the SAT encoding, a random walk over the free bits (WalkSAT on the edges)
# looks for a map: at most _WALK_FLIPS steps per free bit, a random move in _WALK_NOISE of 1000.
# With these values it found a map for all 8 five-party facets and all 50 of the six-party
# sample, in 0.33 s in all (the SAT search took about 2.5 s on the sample); 0 turns it off
_WALK_FLIPS, _WALK_NOISE, _WALK_SEED = 20, 600, 0x9E3779B97F4A7C15
# above this many image bits (2**L * R) the walk is skipped: its start alone would take seconds and
# its arrays gigabytes (at L = 16, R = 4096), and the deadline is only watched between its slices
_WALK_MAX_BITS = 1 << 25
_WALK_SLICE_WORK = 1 << 22  # one slice of the walk: about this many steps * (R + 4 L), 10-20 ms


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


@functools.lru_cache(maxsize=1)
def _solver_names() -> tuple[str, ...]:
    SolverNames = require("pysat.solvers", feature="prove").SolverNames
    return tuple(sorted(n for n in vars(SolverNames) if not n.startswith("_")))


def check_solver_name(solver) -> str:
    """``solver`` if python-sat knows it, else a ValueError listing the names it knows.

    Examples
    --------
    >>> check_solver_name("cadical195")
    'cadical195'
    """
    names = _solver_names()
    if not isinstance(solver, str) or solver not in names:
        raise ValueError(f"solver must be a python-sat solver name ({', '.join(names)}), got {solver!r}")
    return solver


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

    def __init__(self, inequality, *, k: int | None = 2, solver: str = "kissat404",
                 max_sets: int = 200_000, multiple: int = 1):
        check_solver_name(solver)
        check_int("max_sets", max_sets, 0)
        check_int("multiple", multiple, 1)
        self.inequality = inequality
        self.k, self.solver, self.max_sets = k, solver, int(max_sets)
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
        if self.k is None and self.L > MAX_SUBCUBE_L:
            return SearchOutcome(None, None, f"Size limit: hyperedges of any size need the 3**L subcubes, "
                                 f"at most L = {MAX_SUBCUBE_L}; this inequality has L = {self.L} (pass "
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
        if n_forced == forced.size and self.k == 2:
            # propagation fixed the whole map without a conflict: its last edge rule checked every
            # hypercube edge (prove re-checks the certificate independently)
            return SearchOutcome(forced.astype(np.uint8), True,
                                 f"Propagation alone fixed all {forced.size} image bits; the map contracts.")
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
    @functools.cached_property
    def _boundary(self) -> tuple[list[int], np.ndarray]:
        """Occurrence-vector vertex of each party (purifier last) and its rhs bits."""
        party = np.arange(len(self.parties))[:, None]
        xs = ((np.array(self.lhs_masks, dtype=np.int64)[None, :] >> party) & 1) @ (1 << np.arange(self.L))
        ys = ((np.array(self.rhs_masks, dtype=np.int64)[None, :] >> party) & 1).astype(np.int8)
        return xs.tolist(), ys.reshape(len(self.parties), self.R)

    @functools.cached_property
    def _distance(self) -> np.ndarray:
        """``d(x, y) = self._distance[x ^ y]``, the alpha-weighted distance of two vertices."""
        from qinfo._kernels.contraction import distance_table

        return distance_table(self.alpha)

    def _boundary_conflict(self) -> str | None:
        """Why the boundary conditions alone violate the contraction condition, if they do.

        Pairs of parties for graphs; for hypergraphs also every set of up to
        ``k`` parties (a hyperedge joining their boundary vertices).
        """
        L = self.L
        xs, ys = self._boundary
        names = self.parties
        x = np.array(xs, dtype=np.int64)
        a = self._distance[x[:, None] ^ x[None, :]]
        b = (ys[:, None, :] != ys[None, :, :]).sum(axis=2)
        if (b > a).any():  # symmetric, and never on the diagonal
            i, j = (int(v) for v in np.argwhere(np.triu(b > a, 1))[0])
            return (f"parties {names[i]}, {names[j]} have lhs occurrence vectors at distance {int(a[i, j])} "
                    f"but rhs occurrence vectors at distance {int(b[i, j])}")
        sizes = list(range(3, len(names) + 1 if self.k is None else min(self.k, len(names)) + 1))
        xbits = vertex_bits(L) if sizes else None
        for m in sizes:
            for group in itertools.combinations(range(len(names)), m):
                g = list(group)
                a = int(np.any(xbits[[xs[i] for i in g]] != xbits[xs[g[0]]], axis=0) @ self.alpha)
                b = int(np.any(ys[g] != ys[g[0]], axis=0).sum())
                if b > a:
                    who = ", ".join(names[i] for i in g)
                    return (f"on the occurrence vectors of the parties {who} the non-constant rhs terms "
                            f"weigh {b} but the non-constant lhs terms only {a} (the {m}-point condition "
                            f"of a hyperedge joining them)")
        return None

    def _propagate(self, deadline: float | None = None) -> tuple[np.ndarray, str | None]:
        """Forced image bits (-1: free) and, if the constraints already conflict, why.

        Three rules (:func:`qinfo._kernels.contraction.propagate_round`), applied
        until none forces anything new: the pair rule between fully forced
        vertices ``p, q`` (the anchors: at most an eighth of the vertices, at
        least 64, at most ``_MAX_ANCHORS``; on their interval, a bit where ``f(p)`` and
        ``f(q)`` agree is forced when ``d(p, q) - d(f(p), f(q)) <= 1``), the
        anchor rule from the parties' occurrence vectors ``p`` (a vertex
        whose forced bits already differ from ``f(p)`` in ``d(x, p)`` places
        has its free bits equal to ``f(p)``; from later anchors it forced
        nothing new on the facets measured) and the edge rule (its special case on hypercube edges,
        for vertices that are not fully forced).
        """
        from qinfo._kernels import contraction as kernels

        xs, ys = self._boundary
        P, R = 1 << self.L, self.R
        W = max(1, -(-R // 64))
        # images packed 64 bits to a word: bit r of vertex x is word r // 64, bit r % 64
        known = np.zeros((P, W), dtype=np.uint64)
        value = np.zeros((P, W), dtype=np.uint64)
        full = _pack_rows(np.ones((1, R), dtype=np.uint8), W)[0]
        known[xs] = full
        value[xs] = _pack_rows(ys.astype(np.uint8), W)  # parties on one vertex agree (no boundary conflict)
        count = np.zeros(P, dtype=np.int64)
        count[xs] = R
        dist_of = self._distance
        info = np.zeros(5, dtype=np.int64)
        anchors = np.array(sorted(set(xs)), dtype=np.int64)
        is_anchor = np.zeros(P, dtype=bool)
        cap = min(_MAX_ANCHORS, max(_MIN_ANCHORS, P // _ANCHOR_SHARE))
        n_old = 0
        while True:  # rounds, so that the deadline is watched between them
            kind = kernels.propagate_round(known, value, full, count, self.alpha, dist_of, anchors, n_old, info)
            if kind or (deadline is not None and time.perf_counter() > deadline):
                break
            is_anchor[anchors[n_old:]] = True
            new = np.flatnonzero((count == R) & ~is_anchor)
            new = new[:max(0, min(_ANCHORS_PER_ROUND, cap - len(anchors)))]
            if new.size == 0:
                break
            n_old, anchors = len(anchors), np.concatenate([anchors, new])
        forced = np.where(_unpack_rows(known, R) == 1, _unpack_rows(value, R).astype(np.int8), np.int8(-1))
        self.stats["anchors"] = len(anchors)
        if not kind:
            return forced, None
        _, p, q, x, r = (int(v) for v in info)
        xbits = vertex_bits(self.L)
        bit = "every bit" if r < 0 else f"bit {r} (term {self.rhs_terms[r][0]})"
        if kind == kernels.CONFLICT_PAIR:
            why = (f"the images of vertices {bit_string(xbits[p])} and {bit_string(xbits[q])} force {bit} of the image "
                   f"of vertex {bit_string(xbits[x])} to both 0 and 1")
        elif kind == kernels.CONFLICT_ANCHOR:
            why = (f"the image of vertex {bit_string(xbits[q])} is forced farther from that of "
                   f"{bit_string(xbits[p])} than their distance allows")
        else:
            why = (f"the forced images of the hypercube edge {bit_string(xbits[p])}-{bit_string(xbits[q])} differ in "
                   f"more places than its weight")
        return forced, why

    # -- stage 2: local search (graphs), then SAT -----------------------------------------
    def _walk(self, forced: np.ndarray, deadline: float | None) -> np.ndarray | None:
        """A contraction map found by the random walk of :func:`qinfo._kernels.contraction.walk`, or None.

        Graph models only; at most ``_WALK_FLIPS`` steps per free bit (plus
        1,000), in slices of 10-20 ms so that the deadline is watched; the
        seed is fixed, so the search stays deterministic. Skipped when
        ``_WALK_FLIPS`` is 0 and above ``_WALK_MAX_BITS`` image bits. A map it
        returns has no violated edge and keeps every forced bit (``prove``
        re-checks it independently).
        """
        from qinfo._kernels import contraction as kernels

        if _WALK_FLIPS <= 0 or forced.size > _WALK_MAX_BITS:
            self.stats["walk_steps"] = 0
            return None
        n_free = int((forced < 0).sum())
        budget = _WALK_FLIPS * n_free + 1000
        img, dist, diff, pos, bad, n_bad = kernels.walk_start(forced, self.alpha)
        state = np.array([_WALK_SEED], dtype=np.uint64)
        steps = 0
        chunk = max(1000, _WALK_SLICE_WORK // (self.R + 4 * self.L))
        while n_bad and steps < budget:
            if deadline is not None and time.perf_counter() > deadline:
                break
            n_bad, done = kernels.walk(forced, self.alpha, img, dist, diff, pos, bad, n_bad, state,
                                       min(budget - steps, chunk), _WALK_NOISE)
            steps += done
        self.stats["walk_steps"] = steps
        return img.astype(np.uint8) if n_bad == 0 else None

    def _solve(self, forced: np.ndarray, deadline: float | None) -> SearchOutcome:
        from qinfo._kernels import contraction as kernels

        P, R = 1 << self.L, self.R
        if self.k == 2:
            images = self._walk(forced, deadline)
            if images is not None:
                n_free = int((forced < 0).sum())
                return SearchOutcome(images, True, f"Found a contraction map by local search "
                                     f"({self.stats['walk_steps']} steps); propagation fixed "
                                     f"{forced.size - n_free} of {forced.size} image bits.")
            if deadline is not None and time.perf_counter() > deadline:
                return self._out_of_time("the local search")
        info = np.zeros(5, dtype=np.int64)
        var_id, n_vars = kernels.merge_variables(forced, self.alpha)
        enc = _Encoding(n_vars + 1, kernels.column_phases(forced, var_id, n_vars))
        step = max(1024, P >> 4)  # in slices, so that the deadline is watched
        for start in range(0, P, step):
            flat, enc.top, ok = kernels.encode_graph(forced, var_id, self.alpha, enc.top, info, start,
                                                     min(P, start + step))
            if not ok:
                x0, x1 = int(info[1]), int(info[2])
                return SearchOutcome(None, False, f"No contraction map exists: the forced images of the "
                                     f"edge {x0}-{x1} differ by more than its weight.")
            enc.add(flat)
            if deadline is not None and time.perf_counter() > deadline:
                return self._out_of_time("building the SAT encoding")
        enc.add(kernels.symmetry_clauses(forced, var_id))
        if self.k not in (2, None) and self.k < P:
            n_sets = n_point_sets(P, self.k)
            self.stats["k_sets"] = n_sets
            if n_sets > self.max_sets:
                return SearchOutcome(None, None, f"Size limit: the k-point condition needs {format_count(n_sets)} "
                                     f"vertex sets (> max_sets = {self.max_sets}); pass a smaller "
                                     f"max_edge_size.")
            for group in _point_sets(P, self.k):
                if not self._encode_set(np.array(group), self._weight(group), forced, var_id, enc):
                    return SearchOutcome(None, False, "No contraction map exists: the forced images "
                                         f"violate the k-point condition on the vertex set {group}.")
                if deadline is not None and time.perf_counter() > deadline:
                    return self._out_of_time("building the SAT encoding")
        lazy = self.k is None or self.k >= P
        # the subcube loop re-solves many times: it needs an incremental solver, which Kissat is not
        name = "cadical195" if lazy and self.solver.startswith("kissat") else self.solver
        if deadline is not None and (lazy or enc.n_clauses > _WORKER_CLAUSES):
            return self._loop_in_worker(name, enc, forced, var_id, n_vars, lazy, deadline)
        return self._sat_loop(name, enc, forced, var_id, n_vars, lazy, deadline)

    def _sat_loop(self, name: str, enc: "_Encoding", forced, var_id, n_vars: int, lazy: bool,
                  deadline: float | None, report: Callable | None = None, free: bool = True) -> SearchOutcome:
        """Solve; for the subcube loop (``lazy``) add the violated subcubes and solve again."""
        R = self.R
        sat = _Sat(name, enc, budgeted=lazy)
        rounds = added = 0
        try:
            while True:
                if enc.n_clauses == 0:  # nothing constrains the free bits
                    answer, values = True, np.zeros(n_vars, dtype=np.uint8)
                else:
                    answer, values = sat.solve(deadline, n_vars)
                self.stats.update(variables=enc.top - 1, clauses=enc.n_clauses)
                if answer is None:
                    return self._out_of_time(self._where(sat.name, lazy, rounds, added))
                if not answer:
                    extra = f", {added} subcube constraints added lazily" if lazy else ""
                    return SearchOutcome(None, False, f"No contraction map exists: the SAT search "
                                         f"({sat.name}, {enc.top - 1} variables, {enc.n_clauses} clauses"
                                         f"{extra}) is complete and found none.")
                values = np.concatenate([np.zeros(1, np.uint8), values ^ enc.flip[1:]])  # 0: forced
                images = np.where(forced >= 0, forced, values[var_id]).astype(np.uint8)
                if not lazy:
                    break
                bad = violated_subcubes(images, self.alpha, np.ones(R, dtype=np.int64),
                                         limit=_SUBCUBES_PER_ROUND)
                rounds += 1
                if bad.size == 0:
                    break
                for t in bad:
                    star, base = subcube_of(int(t), self.L)
                    verts = subcube_vertices(star, base)
                    if not self._encode_set(verts, self._weight(verts), forced, var_id, enc):
                        return SearchOutcome(None, False, "No contraction map exists: the forced images "
                                             f"violate the condition on the subcube of the vertices "
                                             f"{verts.tolist()}.")
                added += bad.size
                if report is not None:
                    report(rounds, added)
        finally:
            if free:
                sat.close()
        if lazy:
            self.stats.update(subcube_rounds=rounds, subcubes_added=added)
        n_free = int((forced < 0).sum())
        return SearchOutcome(images.astype(np.uint8), True,
                             f"Found a contraction map by SAT ({sat.name}); propagation fixed "
                             f"{forced.size - n_free} of {forced.size} image bits.")

    @staticmethod
    def _where(name: str, lazy: bool, rounds: int, added: int) -> str:
        what = f"the SAT search ({name})"
        if lazy:
            what += f", round {rounds + 1} of the subcube loop ({added} subcubes added)"
        return what

    def _loop_in_worker(self, name: str, enc: "_Encoding", forced, var_id, n_vars: int, lazy: bool,
                        deadline: float) -> SearchOutcome:
        """:meth:`_sat_loop` in a child process, ended at ``deadline``.

        Kissat and CaDiCaL honour ``terminate`` only at their polling
        points: on encodings of millions of clauses they went on for 0.8-1.3 s
        (Kissat, 8 million clauses) and up to 5 s (CaDiCaL, 10 million, in
        variable elimination among others) after the deadline. A child
        process can be ended on time. The subcube loop reports each round,
        so that an interrupted loop still says how far it got. Where no
        child can be started (no ``fork``, or a daemonic executor worker)
        the loop runs here.
        """
        self.stats.update(variables=enc.top - 1, clauses=enc.n_clauses)  # as far as it is known here
        methods = multiprocessing.get_all_start_methods()
        if "fork" not in methods:  # the loop's state cannot be sent to a spawned child cheaply
            return self._sat_loop(name, enc, forced, var_id, n_vars, lazy, deadline)
        ctx = multiprocessing.get_context("fork")
        recv, send = ctx.Pipe(duplex=False)

        def child():
            reset_watchdog()
            out = self._sat_loop(name, enc, forced, var_id, n_vars, lazy, deadline,
                                 report=lambda r, a: send.send(("round", r, a, dict(self.stats))),
                                 free=False)  # the process ends at once: nothing to free
            send.send(("done", out, dict(self.stats)))

        try:
            proc = ctx.Process(target=child, daemon=True)
            proc.start()
        except AssertionError:  # a daemonic process may not have children
            return self._sat_loop(name, enc, forced, var_id, n_vars, lazy, deadline)
        send.close()
        rounds = added = 0
        try:
            while True:
                left = deadline - time.perf_counter()
                if left <= 0 or not recv.poll(left):
                    return self._out_of_time(self._where(name, lazy, rounds, added))
                try:
                    msg = recv.recv()
                except EOFError as err:
                    raise RuntimeError(f"the subcube loop's process ended without an answer "
                                       f"(exit code {proc.exitcode})") from err
                if msg[0] == "done":
                    self.stats.update(msg[2])
                    return msg[1]
                _, rounds, added, stats = msg
                self.stats.update(stats)
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join()
            recv.close()

    def _weight(self, verts) -> int:
        spread = 0
        for x in verts[1:]:
            spread |= int(x) ^ int(verts[0])
        return sum(int(self.alpha[l]) for l in range(self.L) if spread >> l & 1)

    def _encode_set(self, verts: np.ndarray, a: int, forced: np.ndarray, var_id: np.ndarray,
                    enc: "_Encoding") -> bool:
        """Add "at most ``a`` image bits are not constant on ``verts``"; False if already violated."""
        from qinfo._kernels.contraction import seqcounter

        R = self.R
        if a >= R:
            return True
        V = var_id[verts]
        f = forced[verts]
        lits, const, clauses = [], 0, []
        for r in range(R):
            col, var = f[:, r], V[:, r]
            zero, one = (col == 0).any(), (col == 1).any()
            if zero and one:
                const += 1
                continue
            free = np.unique(var[col < 0])
            if free.size == 0:
                continue
            nc = enc.new_var()
            if zero or one:  # a free bit that differs from the forced value makes r non-constant
                for v in free:
                    clauses += [-int(v) if zero else int(v), nc, 0]
            else:
                v0 = int(free[0])
                for v in free[1:]:
                    clauses += [-v0, int(v), nc, 0, v0, -int(v), nc, 0]
            lits.append(nc)
        if a - const < 0:
            return False
        enc.add(np.array(clauses, dtype=np.int32))
        if lits:
            flat, enc.top = seqcounter(np.array(lits, dtype=np.int64), a - const, enc.top)
            enc.add(flat)
        return True

    def _out_of_time(self, where: str) -> SearchOutcome:
        return SearchOutcome(None, None, f"Time limit reached during {where}; no contraction map found yet.")


def _pack_rows(bits: np.ndarray, W: int) -> np.ndarray:
    """0/1 rows (n, R) as uint64 words (n, W), bit r in word r // 64 at place r % 64."""
    out = np.zeros((bits.shape[0], 8 * W), dtype=np.uint8)
    packed = np.packbits(bits, axis=1, bitorder="little")
    out[:, :packed.shape[1]] = packed
    return out.view("<u8").astype(np.uint64)


def _unpack_rows(words: np.ndarray, R: int) -> np.ndarray:
    """The inverse of :func:`_pack_rows`: uint8 rows (n, R)."""
    return np.unpackbits(words.astype("<u8").view(np.uint8), axis=1, bitorder="little")[:, :R]


def _point_sets(P: int, k: int):
    for m in range(3, k + 1):
        yield from itertools.combinations(range(P), m)


class _Encoding:
    """The CNF as flat ``int32`` blocks (each clause ended by 0) and a variable counter.

    Clauses are added in terms of the image variables; the variables marked
    in ``flip`` are stored negated (:func:`qinfo._kernels.contraction.column_phases`),
    so a model's values of them must be flipped back.
    """

    def __init__(self, first_free: int, flip: np.ndarray):
        self.top = first_free  # next unused variable
        self.flip = flip
        self.blocks: list[np.ndarray] = []
        self.n_clauses = 0

    def new_var(self) -> int:
        self.top += 1
        return self.top - 1

    def add(self, flat: np.ndarray) -> None:
        from qinfo._kernels.contraction import orient

        if len(flat):
            self.blocks.append(orient(flat, self.flip))
            self.n_clauses += int(np.count_nonzero(flat == 0))

    def flat(self, start: int = 0) -> np.ndarray:
        return np.concatenate(self.blocks[start:]) if self.blocks[start:] else np.zeros(0, np.int32)

    def clauses(self, start: int = 0) -> list[list[int]]:
        """As python-sat wants them: a list of lists."""
        out, cur = [], []
        for v in self.flat(start).tolist():
            if v:
                cur.append(v)
            else:
                out.append(cur)
                cur = []
        return out


# -- solving within a time limit ------------------------------------------------------
class _Sat:
    """A SAT solver for a growing CNF, solved under a deadline.

    ``kissat404`` and ``cadical195`` go through their C/C++ APIs (``_capi``)
    where python-sat exports them: bulk clause loading, and a terminate call
    at the deadline. Kissat is not incremental: each round of the subcube
    loop builds a fresh instance; CaDiCaL stays one incremental instance.
    Other solvers under a deadline are built and run in a worker process that
    is ended when the deadline passes (python-sat's ``interrupt`` is not
    honoured by CaDiCaL, and building a large CNF through python-sat cannot
    be interrupted at all); in the subcube loop (``budgeted``) another
    CaDiCaL version stays in this process under conflict budgets in short
    slices. Without a deadline a python-sat solver runs here and is reused
    across rounds.
    """

    def __init__(self, name: str, enc: _Encoding, budgeted: bool = False):
        self.name, self.enc, self.solver, self._sent = name, enc, None, 0
        self.direct = ((name == "kissat404" and kissat_available())
                       or (name == "cadical195" and cadical_available()))
        self.budgeted = budgeted and name.startswith("cadical")

    def solve(self, deadline: float | None, n_image: int) -> tuple[bool | None, np.ndarray | None]:
        if self.direct:
            return self._solve_direct(deadline, n_image)
        if deadline is not None and not self.budgeted:
            return _solve_in_worker(self.name, self.enc, deadline, n_image)
        Solver = require("pysat.solvers", feature="prove").Solver

        if self.solver is not None and self.name.startswith("kissat"):
            self.close()  # python-sat's Kissat is not incremental either
        if self.solver is None:
            self.solver = Solver(name=self.name)
            self._sent = 0
        self.solver.append_formula(self.enc.clauses(self._sent))
        self._sent = len(self.enc.blocks)
        answer = self.solver.solve() if deadline is None else _solve_budgeted(self.solver, deadline)
        return answer, (_image_bits(self.solver.get_model(), n_image) if answer else None)

    def _solve_direct(self, deadline: float | None, n_image: int):
        if self.name == "kissat404" or self.solver is None:
            self.close()  # Kissat: a fresh instance per round
            self.solver = KissatDirect() if self.name == "kissat404" else CadicalDirect()
            self._sent = 0
            if self.name == "kissat404":
                self.solver.reserve(self.enc.top - 1)
        for block in self.enc.blocks[self._sent:]:
            for i in range(0, len(block), _DISPATCH_CHUNK):
                if deadline is not None and time.perf_counter() > deadline:
                    self.close(background=True)  # a block may be half sent: not reused
                    return None, None
                self.solver.add(block[i:i + _DISPATCH_CHUNK])
            self._sent += 1
        answer = self.solver.solve(deadline)
        if answer is None:
            self.close(background=True)
            return None, None
        return answer, (self.solver.values(n_image) if answer else None)

    def close(self, background: bool = False) -> None:
        """Free the solver; ``background``: on a thread, so that an interrupted search returns at once."""
        if self.solver is None:
            return
        solver, self.solver = self.solver, None
        if not isinstance(solver, (KissatDirect, CadicalDirect)):
            solver.delete()
        elif background:  # freeing a large instance takes seconds (with the GIL released)
            threading.Thread(target=solver.close, daemon=True).start()
        else:
            solver.close()


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


def _worker(name: str, enc: "_Encoding", n_image: int, conn) -> None:
    Solver = require("pysat.solvers", feature="prove").Solver

    with Solver(name=name, bootstrap_with=enc.clauses()) as s:
        answer = s.solve()
        conn.send((answer, _image_bits(s.get_model(), n_image) if answer else None))
    conn.close()


def _solve_in_worker(name: str, enc: "_Encoding", deadline: float, n_image: int):
    """Build the solver and solve in a child process; end it at the deadline.

    (None, None) when out of time. With the ``fork`` start method the child
    inherits the clause arrays without copying.
    """
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    recv, send = ctx.Pipe(duplex=False)
    try:
        proc = ctx.Process(target=_worker, args=(name, enc, n_image, send))
        proc.start()
    except AssertionError:  # a daemonic process (e.g. some executors' workers) may not have children
        return _solve_interrupted(name, enc.clauses(), deadline, n_image)
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
    Solver = require("pysat.solvers", feature="prove").Solver

    with Solver(name=name, bootstrap_with=clauses) as s:
        timer = threading.Timer(max(deadline - time.perf_counter(), 0.0), s.interrupt)
        timer.start()
        try:
            answer = s.solve_limited(expect_interrupt=True)
        finally:
            timer.cancel()
        return answer, (_image_bits(s.get_model(), n_image) if answer else None)
