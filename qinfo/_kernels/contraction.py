"""Numba kernels of the contraction-map search: propagation and the CNF of the hypercube edges.

Images are ``forced[x, r]`` in {-1 (free), 0, 1} for vertex ``x`` of the left
hypercube (little-endian: coordinate ``l`` of ``x`` is ``x >> l & 1``) and rhs
unit term ``r``; the SAT variable of ``f(x)_r`` is ``1 + x * R + r``. Clauses
are written to a flat ``int32`` buffer, each ended by a 0 (the DIMACS body).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["propagate_round", "encode_edges", "seqcounter", "CONFLICT_PAIR", "CONFLICT_ANCHOR", "CONFLICT_EDGE"]

CONFLICT_PAIR = 1    # two fully forced vertices force a bit between them both ways
CONFLICT_ANCHOR = 2  # a vertex's forced bits are farther from a fully forced vertex than allowed
CONFLICT_EDGE = 3    # the forced bits of an edge differ in more places than its weight


@njit(cache=True)
def _distance(x, y, alpha):
    d = 0
    m = x ^ y
    for l in range(alpha.shape[0]):
        if m >> l & 1:
            d += alpha[l]
    return d


@njit(cache=True)
def _set(forced, count, x, r, v):
    forced[x, r] = v
    count[x] += 1


@njit(cache=True)
def _pair_rule(forced, count, alpha, p, q, info):
    """Between fully forced p and q: on their interval, bits where they agree are forced
    when d(p, q) - d(f(p), f(q)) <= 1 (deviating costs 2). Returns -1 on conflict, else #forced."""
    R = forced.shape[1]
    mask = p ^ q
    dist = _distance(p, q, alpha)
    differ = 0
    for r in range(R):
        if forced[p, r] != forced[q, r]:
            differ += 1
    if differ > dist:
        info[0], info[1], info[2], info[3], info[4] = CONFLICT_PAIR, p, q, p, -1
        return -1
    if dist - differ > 1 or differ == R:
        return 0
    base = p & ~mask
    added = 0
    s = mask
    while True:
        x = base | s
        if x != p and x != q:
            for r in range(R):
                v = forced[p, r]
                if v == forced[q, r]:
                    if forced[x, r] < 0:
                        _set(forced, count, x, r, v)
                        added += 1
                    elif forced[x, r] != v:
                        info[0], info[1], info[2], info[3], info[4] = CONFLICT_PAIR, p, q, x, r
                        return -1
        if s == 0:
            break
        s = (s - 1) & mask
    return added


@njit(cache=True)
def _anchor_rule(forced, count, alpha, p, info):
    """d(f(x), f(p)) <= d(x, p) for fully forced p and every x: when the forced bits of x already
    differ from f(p) in d(x, p) places, its free bits equal f(p). -1 on conflict, else #forced."""
    P, R = forced.shape
    added = 0
    for x in range(P):
        if x == p:
            continue
        differ = 0
        for r in range(R):
            if forced[x, r] >= 0 and forced[x, r] != forced[p, r]:
                differ += 1
        d = _distance(x, p, alpha)
        if differ > d:
            info[0], info[1], info[2], info[3], info[4] = CONFLICT_ANCHOR, p, x, x, -1
            return -1
        if differ == d and count[x] < R:
            for r in range(R):
                if forced[x, r] < 0:
                    _set(forced, count, x, r, forced[p, r])
                    added += 1
    return added


@njit(cache=True)
def _edge_rule(forced, count, alpha, info):
    """Edges whose forced bits already differ in alpha_l places copy the other forced bits across."""
    P, R = forced.shape
    L = alpha.shape[0]
    added = 0
    changed = True
    while changed:
        changed = False
        for l in range(L):
            for x in range(P):
                if x >> l & 1:
                    continue
                y = x | (1 << l)
                differ = 0
                for r in range(R):
                    if forced[x, r] >= 0 and forced[y, r] >= 0 and forced[x, r] != forced[y, r]:
                        differ += 1
                if differ > alpha[l]:
                    info[0], info[1], info[2], info[3], info[4] = CONFLICT_EDGE, x, y, x, -1
                    return -1
                if differ == alpha[l] and count[x] + count[y] < 2 * R:
                    for r in range(R):
                        if forced[x, r] >= 0 and forced[y, r] < 0:
                            _set(forced, count, y, r, forced[x, r])
                            added += 1
                            changed = True
                        elif forced[y, r] >= 0 and forced[x, r] < 0:
                            _set(forced, count, x, r, forced[y, r])
                            added += 1
                            changed = True
    return added


@njit(cache=True)
def propagate_round(forced, count, alpha, anchors, n_old, info):
    """One round of the pair, anchor and edge rules, in place.

    Parameters
    ----------
    forced : int8 array (P, R)
        -1 free, else the forced bit.
    count : int64 array (P,)
        Forced bits per vertex (kept up to date).
    alpha : int64 array (L,)
    anchors : int64 array
        Fully forced vertices; ``anchors[n_old:]`` are new this round. The
        pair rule runs on every pair with a new member, the anchor rule from
        every new one.
    n_old : int
    info : int64 array (5,)
        On conflict: kind, the two vertices of the rule, the vertex and bit (-1: all).

    Returns
    -------
    int
        0, or the kind of the conflict (no map exists).
    """
    for i in range(n_old, anchors.shape[0]):
        for j in range(i):
            if _pair_rule(forced, count, alpha, anchors[i], anchors[j], info) < 0:
                return info[0]
    for i in range(n_old, anchors.shape[0]):
        if _anchor_rule(forced, count, alpha, anchors[i], info) < 0:
            return info[0]
    if _edge_rule(forced, count, alpha, info) < 0:
        return info[0]
    return 0


@njit(cache=True)
def _grow(buf, used, need):
    if used + need <= buf.shape[0]:
        return buf
    new = np.empty(max(2 * buf.shape[0], used + need), dtype=np.int32)
    new[:used] = buf[:used]
    return new


@njit(cache=True)
def _seqcounter_into(buf, used, lits, m, k, top):
    """Sinz's sequential counter "at most k of lits[:m]" (0 < k < m); aux variables from top."""
    buf = _grow(buf, used, 9 * m * k + 9)
    # s(i, j) = top + i * k + j: "at least j + 1 of lits[:i + 1] are true"
    buf[used], buf[used + 1], buf[used + 2] = -lits[0], top, 0
    used += 3
    for j in range(1, k):
        buf[used], buf[used + 1] = -(top + j), 0
        used += 2
    for i in range(1, m - 1):
        cur, prev = top + i * k, top + (i - 1) * k
        buf[used], buf[used + 1], buf[used + 2] = -lits[i], cur, 0
        buf[used + 3], buf[used + 4], buf[used + 5] = -prev, cur, 0
        used += 6
        for j in range(1, k):
            buf[used], buf[used + 1], buf[used + 2], buf[used + 3] = -lits[i], -(prev + j - 1), cur + j, 0
            buf[used + 4], buf[used + 5], buf[used + 6] = -(prev + j), cur + j, 0
            used += 7
        buf[used], buf[used + 1], buf[used + 2] = -lits[i], -(prev + k - 1), 0
        used += 3
    buf[used], buf[used + 1], buf[used + 2] = -lits[m - 1], -(top + (m - 2) * k + k - 1), 0
    used += 3
    return buf, used, top + (m - 1) * k


@njit(cache=True)
def seqcounter(lits, k, top):
    """Flat clauses of "at most k of lits" and the next free variable (aux variables from top)."""
    m = lits.shape[0]
    buf = np.empty(16, dtype=np.int32)
    used = 0
    if k >= m:
        return buf[:0], top
    if k <= 0:
        buf = _grow(buf, 0, 2 * m)
        for i in range(m):
            buf[used], buf[used + 1] = -lits[i], 0
            used += 2
        return buf[:used], top
    buf, used, top = _seqcounter_into(buf, used, lits, m, k, top)
    return buf[:used], top


@njit(cache=True)
def encode_edges(forced, alpha, top, info, l):
    """"At most alpha_l bits differ" on every hypercube edge in direction ``l``, forced bits read as constants.

    The forced bits get no clauses (their variables stay unused); the caller
    reads them from ``forced``.

    Returns ``(flat clauses, next free variable, ok)``; ``ok`` is False (and
    ``info`` names the edge) when the forced bits of an edge already differ
    in more than ``alpha_l`` places.
    """
    P, R = forced.shape
    buf = np.empty(1 << 16, dtype=np.int32)
    used = 0
    lits = np.empty(R, dtype=np.int64)
    for _ in range(1):
        a = alpha[l]
        if a >= R:
            break
        for x in range(P):
            if x >> l & 1:
                continue
            y = x | (1 << l)
            const = 0
            m = 0
            for r in range(R):
                fa, fb = forced[x, r], forced[y, r]
                if fa >= 0 and fb >= 0:
                    if fa != fb:
                        const += 1
                else:
                    m += 1
            bound = a - const
            if bound < 0:
                info[0], info[1], info[2], info[3], info[4] = CONFLICT_EDGE, x, y, x, -1
                return buf[:used], top, False
            if bound >= m:
                continue
            buf = _grow(buf, used, 8 * R)
            m = 0
            for r in range(R):
                fa, fb = forced[x, r], forced[y, r]
                vx, vy = 1 + x * R + r, 1 + y * R + r
                if fa >= 0 and fb >= 0:
                    continue
                if fa >= 0:        # the literal "f(y)_r differs from the forced f(x)_r"
                    lits[m] = vy if fa == 0 else -vy
                elif fb >= 0:
                    lits[m] = vx if fb == 0 else -vx
                elif bound == 0:   # equal: no indicator needed
                    buf[used], buf[used + 1], buf[used + 2] = -vx, vy, 0
                    buf[used + 3], buf[used + 4], buf[used + 5] = vx, -vy, 0
                    used += 6
                    continue
                else:              # indicator d >= f(x)_r xor f(y)_r
                    d = top
                    top += 1
                    buf[used], buf[used + 1], buf[used + 2], buf[used + 3] = -vx, vy, d, 0
                    buf[used + 4], buf[used + 5], buf[used + 6], buf[used + 7] = vx, -vy, d, 0
                    used += 8
                    lits[m] = d
                m += 1
            if bound == 0:
                buf = _grow(buf, used, 2 * m)
                for i in range(m):
                    buf[used], buf[used + 1] = -lits[i], 0
                    used += 2
            else:
                buf, used, top = _seqcounter_into(buf, used, lits, m, bound, top)
    return buf[:used], top, True
