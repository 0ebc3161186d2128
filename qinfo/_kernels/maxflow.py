"""Numba max-flow / min-cut on a flow network built from a hypergraph.

A hypergraph is given as flat arrays: ``edge_ptr`` (CSR offsets, one row per
hyperedge), ``edge_verts`` (vertex indices) and ``weights`` (int64 or
float64). :func:`build_network` turns it into a directed flow network in CSR
form, once: two opposite arcs for a 2-vertex edge, a triangle for a 3-vertex
hyperedge and Lawler's two-node gadget (1973) for larger ones.

A cut problem is given by ``kind``: 1 marks source terminals, 2 sink
terminals, 0 the rest. There is no super-source: all terminals of one kind
act together (multi-source, multi-sink max-flow).

Three algorithms are implemented (``METHODS``):

* augmenting paths (the default): bidirectional breadth-first searches from
  the sources and the sinks at once, pushing along every path where they
  meet (:func:`_augment`). In a sweep over the subsets, a subset stops as
  soon as its flow fills a trivial cut (its parties' boundary vertices
  alone, or all but the others'), and after a party flips only paths
  starting or ending at that party are searched for. When one subset's
  searches have scanned more than :data:`AUGMENT_BUDGET` times the
  network's size, push-relabel takes over from the flow reached;
* highest-label push-relabel with the gap heuristic and periodic global
  relabelling (phase one only: a maximum preflow, which fixes the flow
  value and the sink side of the minimum cut);
* Dinic's blocking flows.

:func:`subset_cut_values` solves all ``2**N - 1`` party subsets in one
call, with no Python in the loop, warm starting each flow from the previous
one along a Gray code (or a slice of it), and :func:`batch_cut_values` does
so for many networks side by side in one call (the batch of
``entropy_vectors``). Each driver compiles on first use, so the default
path compiles neither push-relabel nor Dinic until a sweep hands over.

Measured by ``python benchmarks/bench_hypergraph.py --quick`` (its breakdown
and lattice lines: 5 parties, CPU time of the kernel call, on 2026-12-08 on
the shared 2-core development machine, which ran about three times slower
that day than on 2026-12-04): on small random hypergraphs (30 bulk vertices,
60 hyperedges, networks of about 75 nodes and 500 arcs) augmenting paths take
0.264 ms a vector against 0.302 ms for push-relabel; on one hypergraph with
20,000 bulk vertices and 40,000 hyperedges 40 ms against 237 ms, since each
flip there moves a few dozen units of flow near one boundary vertex, which a
search finds after a few thousand arcs while push-relabel relabels a large
part of the network. On square lattices, whose cuts run across the bulk, each
flow takes many long paths: there push-relabel is 5-6 times faster than
augmenting paths alone, and with the handover the default takes 0.98-1.19
times push-relabel's time (60 x 60 and 120 x 120).

Everything here takes and returns arrays (so ``NUMBA_DISABLE_JIT=1`` runs it
as plain Python) and is compiled with ``cache=True``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "METHODS",
    "build_network",
    "max_preflow",
    "sink_side",
    "cut_weight",
    "first_bad_edge",
    "sink_inflow",
    "subset_cut_values",
    "batch_cut_values",
    "python_kernels",
    "INT64_CAPACITY_LIMIT",
    "AUGMENT_BUDGET",
    "min_cut_sides",
]

#: Max-flow algorithms, by name, to the integer code the kernels take.
METHODS = {"dinic": 0, "push_relabel": 1, "augmenting_paths": 2}

#: Augmenting paths give way to push-relabel once one subset's searches have scanned more than this
#: many times the network's nodes plus arcs: on networks whose cuts run far from the terminals
#: (lattices, say) each flow takes many long paths, and push-relabel is several times faster there.
AUGMENT_BUDGET = 4

#: An int64 network is safe while the sum of all its arc capacities is below
#: this: every residual, excess and partial flow sum stays below three times
#: that sum, so below ``2**63``. Past it, run :func:`python_kernels` on
#: Python ints.
INT64_CAPACITY_LIMIT = 2**61


@njit(cache=True, inline="always")
def _arc_pair(tail, hd, cp, partner, a, u, v, c_uv, c_vu):
    """Write arc ``a: u -> v`` (capacity ``c_uv``) and its reverse ``a + 1`` (``c_vu``)."""
    tail[a] = u
    hd[a] = v
    cp[a] = c_uv
    partner[a] = a + 1
    tail[a + 1] = v
    hd[a + 1] = u
    cp[a + 1] = c_vu
    partner[a + 1] = a


@njit(cache=True)
def build_network(n_vertices, edge_ptr, edge_verts, w_full, w_half):
    """Flow network of a hypergraph, in CSR form.

    ``w_full`` and ``w_half`` are the hyperedge weights times 2 and 1 (integer
    weights) or times 1 and 1/2 (float weights): the network's capacities are
    a fixed multiple of the cut weights, which the callers never read off the
    flow (they sum ``weights`` over the cut instead).

    * 2-vertex edge: arcs ``u -> v`` and ``v -> u`` of capacity ``w_full``,
      each the other's reverse;
    * 3-vertex edge: a triangle of such pairs with capacity ``w_half`` (any
      split of three vertices cuts two of its sides, total ``w_full``);
    * larger edges: Lawler's two nodes ``e_in -> e_out`` (capacity
      ``w_full``) with arcs ``v -> e_in`` and ``e_out -> v`` of capacity
      ``2 * w_full``; reverse arcs have capacity 0. Any capacity above
      ``w_full`` acts as infinite: a cut through ``v -> e_in`` costs less if
      ``e_in`` changes side. Keeping it local (not the sum of all weights)
      keeps every residual and excess within a small multiple of the weights
      next to it, so float rounding stays relative to those weights and an
      int64 network cannot overflow while the total capacity stays below
      ``2**61`` (see :data:`INT64_CAPACITY_LIMIT`).

    Returns ``(first, head, cap, rev, n_nodes)``: the arcs leaving node ``v``
    are ``first[v]:first[v+1]``; arc ``a`` goes to ``head[a]`` with capacity
    ``cap[a]`` and ``rev[a]`` is its reverse arc. Nodes ``0..n_vertices-1``
    are the hypergraph's vertices, the rest are hyperedge nodes.
    """
    n_edges = edge_ptr.size - 1
    n_nodes = n_vertices
    n_arcs = 0
    for e in range(n_edges):
        k = edge_ptr[e + 1] - edge_ptr[e]
        if k == 2:
            n_arcs += 2
        elif k == 3:
            n_arcs += 6
        else:
            n_nodes += 2
            n_arcs += 4 * k + 2
    # arc list (tail, head, cap, partner) before sorting by tail
    tail = np.empty(n_arcs, np.int64)
    hd = np.empty(n_arcs, np.int64)
    cp = np.empty(n_arcs, w_full.dtype)
    partner = np.empty(n_arcs, np.int64)
    a = 0
    node = n_vertices
    for e in range(n_edges):
        lo = edge_ptr[e]
        hi = edge_ptr[e + 1]
        if hi - lo <= 3:  # an edge, or a triangle for a 3-vertex hyperedge
            c = w_full[e] if hi - lo == 2 else w_half[e]
            for j in range(lo, hi - 1):
                for k in range(j + 1, hi):
                    _arc_pair(tail, hd, cp, partner, a, edge_verts[j], edge_verts[k], c, c)
                    a += 2
            continue
        e_in = node
        e_out = node + 1
        node += 2
        big = w_full[e] + w_full[e]
        zero = w_full[e] - w_full[e]  # of the weights' type
        _arc_pair(tail, hd, cp, partner, a, e_in, e_out, w_full[e], zero)
        a += 2
        for j in range(lo, hi):
            _arc_pair(tail, hd, cp, partner, a, edge_verts[j], e_in, big, zero)
            _arc_pair(tail, hd, cp, partner, a + 2, e_out, edge_verts[j], big, zero)
            a += 4
    # counting sort by tail
    first = np.empty(n_nodes + 1, np.int64)
    first[:] = 0
    for i in range(n_arcs):
        first[tail[i] + 1] += 1
    for v in range(n_nodes):
        first[v + 1] += first[v]
    pos = first[:-1].copy()
    where = np.empty(n_arcs, np.int64)
    for i in range(n_arcs):
        where[i] = pos[tail[i]]
        pos[tail[i]] += 1
    head = np.empty(n_arcs, np.int64)
    cap = np.empty(n_arcs, w_full.dtype)
    rev = np.empty(n_arcs, np.int64)
    for i in range(n_arcs):
        j = where[i]
        head[j] = hd[i]
        cap[j] = cp[i]
        rev[j] = where[partner[i]]
    return first, head, cap, rev, n_nodes


# --------------------------------------------------------------------------- Dinic
@njit(cache=True)
def _dinic(first, head, res, rev, kind, tol, level, queue, it, path, stack):
    """Dinic's algorithm on the residual capacities ``res`` (updated in place)."""
    n = first.size - 1
    flow = res[:1].copy()
    flow[0] = 0
    n_src = 0
    for v in range(n):
        if kind[v] == 1:
            queue[n_src] = v
            n_src += 1
    sources = queue[:n_src].copy()
    while True:
        # BFS from all sources up to the level of the nearest sink
        for v in range(n):
            level[v] = -1
        for i in range(n_src):
            level[sources[i]] = 0
            queue[i] = sources[i]
        qh = 0
        qt = n_src
        sink_level = n + 1
        while qh < qt:
            v = queue[qh]
            qh += 1
            lv = level[v]
            if lv >= sink_level:
                break
            for a in range(first[v], first[v + 1]):
                if res[a] > tol:
                    u = head[a]
                    if level[u] < 0:
                        level[u] = lv + 1
                        if kind[u] == 2:
                            if lv + 1 < sink_level:
                                sink_level = lv + 1
                        else:
                            queue[qt] = u
                            qt += 1
        if sink_level > n:
            break
        # blocking flow by iterative DFS from each source
        for v in range(n):
            it[v] = first[v]
        for i in range(n_src):
            s = sources[i]
            depth = 0
            v = s
            while True:
                if kind[v] == 2:
                    b = res[path[0]]
                    for k in range(1, depth):
                        if res[path[k]] < b:
                            b = res[path[k]]
                    cut_at = -1
                    for k in range(depth):
                        a = path[k]
                        res[a] -= b
                        res[rev[a]] += b
                        if cut_at < 0 and res[a] <= tol:
                            cut_at = k
                    flow[0] += b
                    depth = cut_at
                    v = stack[depth]
                    continue
                advanced = False
                lv = level[v]
                end = first[v + 1]
                while it[v] < end:
                    a = it[v]
                    u = head[a]
                    if res[a] > tol and level[u] == lv + 1:
                        path[depth] = a
                        stack[depth] = v
                        depth += 1
                        v = u
                        advanced = True
                        break
                    it[v] += 1
                if not advanced:
                    if depth == 0:
                        break
                    level[v] = -1
                    depth -= 1
                    v = stack[depth]
                    it[v] += 1
    return flow[0]


# --------------------------------------------------------------------------- push-relabel
@njit(cache=True)
def _lower_from_queue(first, head, res, rev, kind, tol, d, queue, qt):
    """BFS over reverse residual arcs from the ``qt`` nodes in ``queue``.

    Lowers ``d[u]`` to one more than its neighbour's label wherever that is
    smaller, and stops where it does not improve a label.
    """
    qh = 0
    while qh < qt:
        v = queue[qh]
        qh += 1
        dv = d[v] + 1
        for a in range(first[v], first[v + 1]):
            u = head[a]
            if kind[u] == 0 and d[u] > dv and res[rev[a]] > tol:
                d[u] = dv
                queue[qt] = u
                qt += 1


@njit(cache=True)
def _global_relabel(first, head, res, rev, kind, tol, d, queue, n):
    """Exact distance-to-sink labels in the residual graph (n if none)."""
    qt = 0
    for v in range(n):
        d[v] = n
        if kind[v] == 2:
            d[v] = 0
            queue[qt] = v
            qt += 1
    _lower_from_queue(first, head, res, rev, kind, tol, d, queue, np.int64(qt))  # one compiled signature


@njit(cache=True)
def _lower_labels(first, head, res, rev, kind, tol, d, queue, terminals, party, p):
    """Exact labels after the vertices of party ``p`` became sinks.

    ``d`` must hold exact distances to the other sinks (as left by
    :func:`_global_relabel`); the new distance is the smaller of that and the
    distance to ``p``'s vertices.
    """
    qt = 0
    for v in terminals:
        if party[v] == p:
            d[v] = 0
            queue[qt] = v
            qt += 1
    _lower_from_queue(first, head, res, rev, kind, tol, d, queue, np.int64(qt))  # one compiled signature


@njit(cache=True)
def _push_relabel(first, head, res, rev, kind, tol, d, excess, cur, queue,
                  a_next, b_next, b_prev, a_head, b_head, terminals, fresh):
    """Highest-label push-relabel, gap + global relabelling (maximum preflow).

    Starts from the preflow in ``res`` and ``excess`` (excess at non-terminal
    nodes must be >= 0; a zero flow, or the result of an earlier call with
    other terminals, both qualify). With ``fresh`` the labels ``d`` are
    computed first; otherwise they must already be valid (``d[u] <= d[v] + 1``
    on residual arcs, 0 at sinks, ``n`` at sources). Afterwards ``res`` holds
    a maximum preflow: the flow value is the excess at the sinks, and the
    nodes that can reach a sink in ``res`` are exactly the sink side of the
    smallest-sink-side minimum cut.
    """
    n = first.size - 1
    m = head.size
    # terminals keep no excess from earlier calls: the sinks' excess is this call's flow
    for v in terminals:
        excess[v] = 0
    # saturate arcs out of the sources
    for v in terminals:
        if kind[v] == 1:
            for a in range(first[v], first[v + 1]):
                u = head[a]
                if kind[u] != 1 and res[a] > tol:
                    f = res[a]
                    excess[u] += f
                    res[rev[a]] += f
                    res[a] = 0
    work_limit = 6 * n + m // 2
    relabel = fresh
    while True:
        # (re)build labels and buckets
        if relabel:
            _global_relabel(first, head, res, rev, kind, tol, d, queue, n)
        relabel = True
        for k in range(n + 1):
            a_head[k] = -1
            b_head[k] = -1
        max_active = -1
        max_label = 0
        for v in range(n):
            cur[v] = first[v]
            if kind[v] != 0 or d[v] >= n:
                continue
            dv = d[v]
            b_next[v] = b_head[dv]
            b_prev[v] = -1
            if b_head[dv] >= 0:
                b_prev[b_head[dv]] = v
            b_head[dv] = v
            if dv > max_label:
                max_label = dv
            if excess[v] > tol:
                a_next[v] = a_head[dv]
                a_head[dv] = v
                if dv > max_active:
                    max_active = dv
        work = 0
        restart = False
        while max_active >= 0:
            v = a_head[max_active]
            if v < 0:
                max_active -= 1
                continue
            a_head[max_active] = a_next[v]
            # discharge v
            while excess[v] > tol:
                dv = d[v]
                end = first[v + 1]
                a = cur[v]
                pushed_all = False
                while a < end:
                    if res[a] > tol:
                        u = head[a]
                        if d[u] == dv - 1:
                            delta = excess[v] if excess[v] < res[a] else res[a]
                            res[a] -= delta
                            res[rev[a]] += delta
                            if kind[u] == 0 and excess[u] <= tol:
                                a_next[u] = a_head[dv - 1]
                                a_head[dv - 1] = u
                            excess[u] += delta
                            excess[v] -= delta
                            if excess[v] <= tol:
                                pushed_all = True
                                break
                    a += 1
                cur[v] = a
                if pushed_all:
                    break
                # relabel v
                work += 12 + end - first[v]
                newd = n
                for b in range(first[v], end):
                    if res[b] > tol:
                        du = d[head[b]] + 1
                        if du < newd:
                            newd = du
                # unlink v from its label bucket
                nx = b_next[v]
                pv = b_prev[v]
                if pv >= 0:
                    b_next[pv] = nx
                else:
                    b_head[dv] = nx
                if nx >= 0:
                    b_prev[nx] = pv
                if b_head[dv] < 0:
                    # gap: nothing left at label dv, everything above is cut off
                    for k in range(dv + 1, max_label + 1):
                        w = b_head[k]
                        while w >= 0:
                            d[w] = n
                            w = b_next[w]
                        b_head[k] = -1
                        a_head[k] = -1
                    max_label = dv - 1
                    d[v] = n
                    break
                if newd >= n:
                    d[v] = n
                    break
                d[v] = newd
                cur[v] = first[v]
                b_next[v] = b_head[newd]
                b_prev[v] = -1
                if b_head[newd] >= 0:
                    b_prev[b_head[newd]] = v
                b_head[newd] = v
                if newd > max_label:
                    max_label = newd
                max_active = newd
            if excess[v] > tol and d[v] < n:
                a_next[v] = a_head[d[v]]
                a_head[d[v]] = v
                if d[v] > max_active:
                    max_active = d[v]
            if work > work_limit:
                restart = True
                break
        if not restart:
            break
    flow = res[:1].copy()
    flow[0] = 0
    for v in range(n):
        if kind[v] == 2:
            flow[0] += excess[v]
    return flow[0]


# --------------------------------------------------------------------------- augmenting paths
@njit(cache=True)
def _path_push(first, head, res, rev, kind, tol, par, meet):
    """Push the bottleneck along ``source ... -> meet -> ... sink`` and return it (0 if an arc is saturated).

    The path follows the search trees of :func:`_augment`: ``par[u]`` is the
    arc into ``u`` on the source side and the arc out of ``u`` on the sink side.
    """
    delta = res[meet]
    u = head[rev[meet]]
    while kind[u] != 1:
        a = par[u]
        if res[a] < delta:
            delta = res[a]
        u = head[rev[a]]
    u = head[meet]
    while kind[u] != 2:
        a = par[u]
        if res[a] < delta:
            delta = res[a]
        u = head[a]
    if delta <= tol:
        return delta - delta
    res[meet] -= delta
    res[rev[meet]] += delta
    u = head[rev[meet]]
    while kind[u] != 1:
        a = par[u]
        res[a] -= delta
        res[rev[a]] += delta
        u = head[rev[a]]
    u = head[meet]
    while kind[u] != 2:
        a = par[u]
        res[a] -= delta
        res[rev[a]] += delta
        u = head[a]
    return delta


@njit(cache=True)
def _augment(first, head, res, rev, kind, tol, terminals, seen, side, par, queues, stamp, party, only, need,
             budget):
    """Augment the flow in ``res`` to a maximum one, by bidirectional breadth-first searches.

    Each search grows two trees at once, always the one with the shorter
    queue: from the sources along residual arcs (``side`` 1) and from all
    sinks against them (``side`` 2). Where they meet, it pushes the
    bottleneck along the path, then scans the rest of that side's queue for
    more meetings (skipping paths an earlier push saturated) and starts the
    next search. A search that meets nothing has exhausted one tree, which is
    then closed under residual arcs: no augmenting path is left.

    ``res`` must be a flow (conservation at ``kind == 0`` nodes), such as
    zero or an earlier call's result with other terminals. ``seen[v] ==
    stamp`` marks the nodes of a search; ``queues`` (two rows of at least
    ``n`` entries) holds the two trees' breadth-first queues. Returns ``(stamp, done)``: the last
    search's stamp and how it ended: 1 or 2, the side it exhausted (1: the
    nodes marked 1 are the smallest source side of a minimum cut; 2: the
    nodes not marked 2 are the largest), 0 once ``need`` was pushed, or -1
    when the searches had scanned more than ``budget`` arcs (``budget >= 0``)
    and gave up: ``res`` is then a flow, not yet maximum.

    ``need >= 0`` (exact integers only) is how much more flow some known cut
    allows: once that much is pushed the flow equals the cut's capacity and
    is maximum (weak duality), so the last search, which would only prove
    it, is skipped. ``need < 0``: no such cut.

    With ``only >= 0`` (party ``only`` has just flipped and ``res`` was a
    maximum flow before), the tree on that party's side grows from its
    vertices alone; the other terminals of that side are marked but not
    searched from. Every new augmenting path starts (``only`` turned into
    a source) or ends (into a sink) there: say it turned into a source.
    The nodes the other sources reach contain no sink and have no residual
    arc out; an augmenting path from ``only`` cannot enter them (the rest of
    it would have been a path from them to a sink), so pushing along it
    changes no arc leaving them, and they still reach no sink. The other
    case is the same on the reversed network. Then ``done`` says nothing
    about a minimum cut: only the flow is meant.
    """
    if need == 0:
        return stamp, 0
    pushed = need - need
    scanned = 0
    only_kind = 0
    for v in terminals:
        if party[v] == only:
            only_kind = kind[v]
    lo = np.zeros(2, np.int64)  # each tree's queue is queues[t, lo[t]:hi[t]] (t = side - 1)
    hi = np.zeros(2, np.int64)
    while True:
        if 0 <= budget < scanned:
            return stamp, -1
        stamp += 1
        lo[:] = 0
        hi[:] = 0
        for v in terminals:
            seen[v] = stamp
            side[v] = kind[v]
            if only >= 0 and party[v] != only and kind[v] == only_kind:
                continue  # on the flipped party's side: no new path starts or ends here
            t = kind[v] - 1
            queues[t, hi[t]] = v
            hi[t] += 1
        met = False  # once the trees have met, only tree t's queued nodes are scanned, for more meetings
        t = 0
        while True:
            if not met:
                if lo[0] == hi[0] or lo[1] == hi[1]:
                    return stamp, (1 if lo[0] == hi[0] else 2)
                t = 0 if hi[0] - lo[0] <= hi[1] - lo[1] else 1
            elif lo[t] == hi[t] or pushed == need:
                break
            v = queues[t, lo[t]]
            lo[t] += 1
            scanned += first[v + 1] - first[v]
            for a in range(first[v], first[v + 1]):
                b = a if t == 0 else rev[a]  # the arc the flow would take, out of the source tree's side
                if res[b] > tol:
                    u = head[a]
                    if seen[u] != stamp:
                        if not met:
                            seen[u] = stamp
                            side[u] = t + 1
                            par[u] = b
                            queues[t, hi[t]] = u
                            hi[t] += 1
                    elif side[u] != t + 1:
                        pushed += _path_push(first, head, res, rev, kind, tol, par, b)
                        met = True
        if pushed == need:
            return stamp, 0


@njit(cache=True)
def _terminal_edges(party, edge_ptr, edge_verts, weights):
    """The hyperedges at a boundary vertex: ``(parties, bulk, weight)`` of each.

    ``parties`` has bit ``p`` set when the edge holds a vertex of party
    ``p`` (the purifier's bit is ``n_parties``), ``bulk`` whether it holds
    a bulk vertex.
    """
    n_e = edge_ptr.size - 1
    bits = np.zeros(n_e, np.int64)
    bulk = np.zeros(n_e, np.bool_)
    w = weights.copy()
    k = 0
    for e in range(n_e):  # loops, not fancy indexing: fewer NumPy routines to compile on first use
        for j in range(edge_ptr[e], edge_ptr[e + 1]):
            p = party[edge_verts[j]]
            if p >= 0:
                bits[k] |= 1 << p
            else:
                bulk[k] = True
        if bits[k]:
            w[k] = weights[e]
            k += 1
        else:
            bulk[k] = False
    return bits[:k], bulk[:k], w[:k]


@njit(cache=True)
def _trivial_cut(mask, n_parties, bits, bulk, w):
    """Weight of the cheaper of two cuts of subset ``mask``: its boundary vertices alone, or all but the others'."""
    sink = ((1 << (n_parties + 1)) - 1) ^ mask
    around_sources = w[:0].sum()
    around_sinks = w[:0].sum()
    for k in range(bits.size):
        src_here = (bits[k] & mask) != 0
        sink_here = (bits[k] & sink) != 0
        if src_here and (bulk[k] or sink_here):
            around_sources += w[k]
        if sink_here and (bulk[k] or src_here):
            around_sinks += w[k]
    return min(around_sources, around_sinks)

# --------------------------------------------------------------------------- drivers
@njit(cache=True)
def max_preflow(method, first, head, cap, rev, kind, tol):
    """Maximum (pre)flow from ``kind == 1`` to ``kind == 2`` nodes.

    Returns ``(value, res)`` with ``res`` the residual capacities.
    """
    n = first.size - 1
    res = cap.copy()
    queue = np.empty(n, np.int64)
    if method == 2:
        terminals = np.flatnonzero(kind)
        work = np.zeros((5, n), np.int64)
        _, done = _augment(first, head, res, rev, kind, tol, terminals, work[0], work[1], work[2], work[3:5],
                           np.int64(0), kind, np.int64(-1), cap[:0].sum() - 1,
                           np.int64(AUGMENT_BUDGET * (n + head.size)))
        if done < 0:  # push-relabel goes on from the flow reached
            _max_preflow_from(first, head, res, rev, kind, tol)
        return sink_inflow(first, head, cap, res, kind, terminals)[0], res
    if method == 0:
        level = np.empty(n, np.int64)
        it = np.empty(n, np.int64)
        path = np.empty(n, np.int64)
        stack = np.empty(n, np.int64)
        value = _dinic(first, head, res, rev, kind, tol, level, queue, it, path, stack)
    else:
        value = _max_preflow_from(first, head, res, rev, kind, tol)
    return value, res


@njit(cache=True)
def _max_preflow_from(first, head, res, rev, kind, tol):
    """Push-relabel from the flow or preflow in ``res`` (updated in place); returns the flow it added."""
    n = first.size - 1
    work = np.empty((8, n + 1), np.int64)
    return _push_relabel(first, head, res, rev, kind, tol, work[0, :n], np.zeros(n, res.dtype), work[1, :n],
                         work[2, :n], work[3, :n], work[4, :n], work[5, :n], work[6], work[7],
                         np.flatnonzero(kind), True)


@njit(cache=True)
def sink_side(first, head, res, rev, kind, tol):
    """Boolean mask of the nodes that can reach a sink in the residual graph."""
    n = first.size - 1
    seen = np.zeros(n, np.bool_)
    queue = np.empty(n, np.int64)
    qt = 0
    for v in range(n):
        if kind[v] == 2:
            seen[v] = True
            queue[qt] = v
            qt += 1
    qh = 0
    while qh < qt:
        v = queue[qh]
        qh += 1
        for a in range(first[v], first[v + 1]):
            u = head[a]
            if not seen[u] and kind[u] != 1 and res[rev[a]] > tol:
                seen[u] = True
                queue[qt] = u
                qt += 1
    return seen


@njit(cache=True)
def first_bad_edge(edge_ptr, edge_verts, n_vertices):
    """Index of the first hyperedge with fewer than two or repeated vertices, else -1."""
    stamp = np.empty(n_vertices, np.int64)
    stamp[:] = -1
    for e in range(edge_ptr.size - 1):
        if edge_ptr[e + 1] - edge_ptr[e] < 2:
            return e
        for j in range(edge_ptr[e], edge_ptr[e + 1]):
            v = edge_verts[j]
            if stamp[v] == e:
                return e
            stamp[v] = e
    return -1


@njit(cache=True)
def cut_weight(inside, edge_ptr, edge_verts, weights):
    """Total weight of the hyperedges with vertices both in and out of ``inside``."""
    total = weights[:1].copy()
    total[0] = 0
    for e in range(edge_ptr.size - 1):
        lo = edge_ptr[e]
        s = inside[edge_verts[lo]]
        for j in range(lo + 1, edge_ptr[e + 1]):
            if inside[edge_verts[j]] != s:
                total[0] += weights[e]
                break
    return total[0]


@njit(cache=True)
def _kind_for_mask(party, mask, n_parties, kind):
    """Terminal marks for subset ``mask`` (bit ``n_parties`` is O): its parties are sources, the rest sinks."""
    for v in range(party.size):
        p = party[v]
        if p < 0:
            kind[v] = 0
        elif (mask >> p) & 1:
            kind[v] = 1
        else:
            kind[v] = 2


@njit(cache=True)
def sink_inflow(first, head, cap, res, kind, terminals):
    """Flow into the sinks from the rest of the network, and the size of its rounding.

    Returns ``(flow, scale)``: ``flow`` sums ``res - cap`` over the arcs from
    a sink to a non-sink (the reverse of each arc carrying flow in), and
    ``scale`` sums ``res + cap`` over the same arcs, which bounds the size of
    the float rounding in ``flow`` (zero error for integers). Arcs between
    two sinks are left out: their flow does not count.
    """
    flow = cap[:0].sum()
    scale = cap[:0].sum()
    for v in terminals:
        if kind[v] == 2:
            for a in range(first[v], first[v + 1]):
                if kind[head[a]] != 2:
                    flow += res[a] - cap[a]
                    scale += res[a] + cap[a]
    return flow, scale


@njit(cache=True)
def _record(row, first, head, cap, res, kind, terminals, comp, inside, from_cut, edge_ptr, edge_verts,
            weights, out, flows, scales):
    """Store row ``row``'s (one subset's) flow into the sinks, its rounding size and cut weight, per component.

    ``flows`` and ``scales`` as in :func:`sink_inflow`, summed per component
    ``comp[v]`` of the sink ``v``; ``out`` is half the flow (exact integers)
    or, with ``from_cut``, the weight of the hyperedges cut by ``inside``.
    """
    for v in terminals:
        if kind[v] == 2:
            c = comp[v]
            for a in range(first[v], first[v + 1]):
                if kind[head[a]] != 2:
                    flows[row, c] += res[a] - cap[a]
                    scales[row, c] += res[a] + cap[a]
    if not from_cut:
        for c in range(out.shape[1]):
            out[row, c] = flows[row, c] // 2  # exact integers: the flow value is twice the cut
        return
    for e in range(edge_ptr.size - 1):
        lo = edge_ptr[e]
        s = inside[edge_verts[lo]]
        for j in range(lo + 1, edge_ptr[e + 1]):
            if inside[edge_verts[j]] != s:
                out[row, comp[edge_verts[lo]]] += weights[e]
                break


def _workspace(first, cap, party, weights, n_rows, n_comp):
    """The arrays a sweep driver writes, allocated by NumPy (no Numba compile for them).

    Returns ``(out, flows, scales, res, excess, inside, work, terminals)``;
    ``work`` holds nine int64 rows of length ``n + 1`` (node labels, queues
    and bucket lists; ``work[0]`` is the node kinds and starts at 0).
    """
    n = first.size - 1
    out = np.zeros((n_rows, n_comp), weights.dtype)
    flows = np.zeros((n_rows, n_comp), cap.dtype)
    scales = np.zeros((n_rows, n_comp), cap.dtype)
    excess = np.zeros(n, cap.dtype)
    work = np.zeros((9, n + 1), np.int64)
    return (out, flows, scales, cap.copy(), excess, np.zeros(party.size, np.bool_), work,
            np.flatnonzero(party >= 0))


@njit(cache=True)
def _subsets_push_relabel(first, head, cap, rev, party, n_parties, tol, edge_ptr, edge_verts, weights,
                          from_cut, comp, i_lo, i_hi, out, flows, scales, res, excess, inside, work, terminals):
    """Push-relabel driver of :func:`subset_cut_values`, on the arrays of :func:`_workspace`."""
    n = first.size - 1
    n_v = party.size
    kind, queue, it, d = work[0, :n], work[1, :n], work[2, :n], work[3, :n]
    a_next, b_next, b_prev, a_head, b_head = work[4, :n], work[5, :n], work[6, :n], work[7], work[8]
    prev = 0
    for i in range(i_lo, i_hi):
        mask = i ^ (i >> 1)
        for v in terminals:
            kind[v] = 1 if (mask >> party[v]) & 1 else 2
        # keep the exact labels of the last subset valid for this one
        p = 0
        while not ((mask ^ prev) >> p) & 1:
            p += 1
        if prev != 0:
            if (mask >> p) & 1:  # p turned from sink into source: labels stay valid
                for v in terminals:
                    if party[v] == p:
                        d[v] = n
            else:  # p turned from source into sink: lower the labels near it
                _lower_labels(first, head, res, rev, kind, tol, d, queue, terminals, party, p)
        _push_relabel(first, head, res, rev, kind, tol, d, excess, it, queue,
                      a_next, b_next, b_prev, a_head, b_head, terminals, prev == 0)
        prev = mask
        if from_cut:
            # the cut: nodes that cannot reach a sink (exact labels, also a good next start)
            _global_relabel(first, head, res, rev, kind, tol, d, queue, n)
            for v in range(n_v):
                inside[v] = d[v] >= n
        _record(i - i_lo, first, head, cap, res, kind, terminals, comp, inside, from_cut, edge_ptr, edge_verts,
                weights, out, flows, scales)
    return out, flows, scales


@njit(cache=True)
def _subsets_augment(first, head, cap, rev, party, n_parties, tol, edge_ptr, edge_verts, weights,
                     from_cut, comp, i_lo, i_hi, out, flows, scales, res, excess, inside, work, terminals, budget):
    """Augmenting-path driver of :func:`subset_cut_values`, on the arrays of :func:`_workspace`.

    Returns ``(out, flows, scales, stop)``: rows up to ``stop`` are done;
    ``stop < i_hi`` when the searches for subset ``stop`` scanned more than
    ``budget`` times the network's nodes plus arcs (negative: no limit), and
    ``res`` is a flow from which push-relabel goes on.
    """
    n = first.size - 1
    limit = np.int64(budget * (n + head.size)) if budget >= 0 else np.int64(-1)
    n_v = party.size
    kind, seen, side, par, queues = work[0, :n], work[1, :n], work[2, :n], work[3, :n], work[4:6]
    bits, bulk, w = _terminal_edges(party, edge_ptr, edge_verts, weights)
    stamp = np.int64(0)  # not a literal 0: _augment would compile twice, once for Literal[int](0)
    prev = 0
    for i in range(i_lo, i_hi):
        mask = i ^ (i >> 1)
        for v in terminals:
            kind[v] = 1 if (mask >> party[v]) & 1 else 2
        only = -1
        need = cap[:0].sum() - 1  # no bound
        if not from_cut:
            # the party that just flipped: every new augmenting path starts or ends there
            if prev != 0:
                only = 0
                while not ((mask ^ prev) >> only) & 1:
                    only += 1
            # how much more flow a trivial cut allows (capacities are twice the weights)
            need = 2 * _trivial_cut(mask, n_parties, bits, bulk, w) - sink_inflow(first, head, cap, res, kind,
                                                                                 terminals)[0]
        stamp, done = _augment(first, head, res, rev, kind, tol, terminals, seen, side, par, queues, stamp, party,
                               only, need, limit)
        if done < 0:
            return out, flows, scales, i
        prev = mask
        if from_cut:
            for v in range(n_v):
                marked = seen[v] == stamp and side[v] == done
                inside[v] = marked if done == 1 else not marked
        _record(i - i_lo, first, head, cap, res, kind, terminals, comp, inside, from_cut, edge_ptr, edge_verts,
                weights, out, flows, scales)
    return out, flows, scales, i_hi


@njit(cache=True)
def _subsets_dinic(first, head, cap, rev, party, n_parties, tol, edge_ptr, edge_verts, weights,
                   from_cut, comp, i_lo, i_hi, out, flows, scales, res, excess, inside, work, terminals):
    """Dinic driver of :func:`subset_cut_values`, on the arrays of :func:`_workspace`."""
    n = first.size - 1
    n_v = party.size
    kind, queue, level, it, path, stack = work[0, :n], work[1, :n], work[2, :n], work[3, :n], work[4, :n], work[5, :n]
    for i in range(i_lo, i_hi):
        mask = i ^ (i >> 1)
        for v in terminals:
            kind[v] = 1 if (mask >> party[v]) & 1 else 2
        _dinic(first, head, res, rev, kind, tol, level, queue, it, path, stack)
        for v in range(n_v):
            inside[v] = level[v] >= 0
        _record(i - i_lo, first, head, cap, res, kind, terminals, comp, inside, from_cut, edge_ptr, edge_verts,
                weights, out, flows, scales)
    return out, flows, scales


@njit(cache=True)
def batch_cut_values(method, first, head, cap, rev, node_ptr, arc_ptr, party, vert_ptr, n_parties, tol,
                     edge_ptr, edge_verts, weights, edge_off, budget):
    """Exact min-cut values of every subset for many networks in one call (integers).

    ``method`` is 1 (push-relabel) or 2 (augmenting paths, with ``budget``
    as in :func:`subset_cut_values`), as in :data:`METHODS`.
    The hypergraphs' edges are ``edge_ptr``, ``edge_verts`` and ``weights``
    of their disjoint union: network ``k``'s are the edges
    ``edge_off[k]:edge_off[k+1]``, on the vertices ``vert_ptr[k]:vert_ptr[k+1]``.

    The networks lie side by side: network ``k`` has the nodes
    ``node_ptr[k]:node_ptr[k+1]`` (its hypergraph's vertices first, whose
    parties are ``party[vert_ptr[k]:vert_ptr[k+1]]``) and the arcs
    ``arc_ptr[k]:arc_ptr[k+1]``, with ``first``, ``head`` and ``rev`` local
    to it (``first`` has one extra entry per network). Returns ``(values,
    flows)`` of shape ``(2**n_parties, n_networks)``, indexed by mask, as
    :func:`subset_cut_values` gives for each network.
    """
    n_masks = 1 << n_parties
    n_net = node_ptr.size - 1
    values = np.zeros((n_masks, n_net), cap.dtype)
    flows = np.zeros((n_masks, n_net), cap.dtype)
    for k in range(n_net):
        f = first[node_ptr[k] + k:node_ptr[k + 1] + k + 1]
        a0, a1 = arc_ptr[k], arc_ptr[k + 1]
        pk = party[vert_ptr[k]:vert_ptr[k + 1]]
        n = f.size - 1
        comp = np.zeros(n, np.int64)
        out = np.zeros((n_masks - 1, 1), cap.dtype)
        fl = np.zeros((n_masks - 1, 1), cap.dtype)
        sc = np.zeros((n_masks - 1, 1), cap.dtype)
        e0, e1 = edge_off[k], edge_off[k + 1]
        ek = edge_ptr[e0:e1 + 1] - edge_ptr[e0]
        vk = edge_verts[edge_ptr[e0]:edge_ptr[e1]] - vert_ptr[k]
        net = (f, head[a0:a1], cap[a0:a1], rev[a0:a1], pk, n_parties, tol, ek, vk, weights[e0:e1], False, comp)
        state = (cap[a0:a1].copy(), np.zeros(n, cap.dtype), np.zeros(pk.size, np.bool_),
                 np.zeros((9, n + 1), np.int64), np.flatnonzero(pk >= 0))
        stop = 1
        if method == 2:
            stop = _subsets_augment(*net, 1, n_masks, out, fl, sc, *state, budget)[3]
        if stop < n_masks:
            _subsets_push_relabel(*net, stop, n_masks, out[stop - 1:], fl[stop - 1:], sc[stop - 1:], *state)
        for i in range(1, n_masks):
            values[i ^ (i >> 1), k] = out[i - 1, 0]
            flows[i ^ (i >> 1), k] = fl[i - 1, 0]
    return values, flows


def subset_cut_values(method, first, head, cap, rev, party, n_parties, tol,
                      edge_ptr, edge_verts, weights, from_cut, comp=None, n_comp=1, gray_range=None, budget=None):
    """Min-cut value and flow value for every subset mask ``1 .. 2**n_parties - 1``.

    ``party[v]`` is the party index of vertex ``v`` (``-1`` for bulk vertices,
    ``n_parties`` for the purifier); hyperedge nodes carry no party. Returns
    ``(values, flows, scales)``, indexed by mask (entry 0 is 0). Capacities
    are twice the weights. With ``from_cut`` (float weights) ``values[mask]``
    is the weight of the cut the flow leaves (the vertices that cannot reach
    a sink), summed over hyperedges, and ``flows[mask]`` the network flow
    into the sinks (see :func:`sink_inflow`, which also gives ``scales``),
    read off the residuals independently of the cut: a float cut is
    certified when ``2 * values`` and ``flows`` agree. Without it (exact
    integer capacities, int64 or Python ints) ``flows[mask]`` is the exact
    max-flow value and ``values[mask]`` its half, the min-cut weight.

    With ``comp`` (the component of every node, ``0 .. n_comp - 1``) the
    network is a disjoint union of ``n_comp`` hypergraphs' networks (the
    batch of :func:`qinfo.entropy_cones.entropy_vectors`): all of them are
    solved in the same sweep, since a maximum (pre)flow of a disjoint union
    is one of each part, and every result gets a second axis, one column per
    component.

    With ``gray_range=(lo, hi)`` only the subsets ``i ^ (i >> 1)`` for ``lo
    <= i < hi`` are solved (a slice of the Gray code, started fresh) and the
    results come as rows in that order, one per ``i``: a long sweep is split
    into such slices for a progress bar or an executor.

    With ``method`` 2 (augmenting paths), a subset whose searches scan more
    than ``budget`` times the network's nodes plus arcs (default
    :data:`AUGMENT_BUDGET`; negative: no limit) hands the sweep over to
    push-relabel, from the flow reached, for it and every later subset.

    The subsets are visited in Gray-code order and each flow starts from the
    previous one: flipping one party between source and sink leaves a flow
    (Dinic, augmenting paths) or preflow (push-relabel) feasible, because
    terminals have no conservation constraint, so only the difference has to
    be pushed.
    Push-relabel also keeps its distance labels, which stay valid when a party
    turns into a source and are repaired by :func:`_lower_labels` when it
    turns into a sink.
    """
    single = comp is None
    if single:
        comp = np.zeros(first.size - 1, np.int64)
    n_masks = 1 << n_parties
    lo, hi = gray_range if gray_range is not None else (1, n_masks)
    if not 1 <= lo <= hi <= n_masks:
        raise ValueError(f"gray_range must satisfy 1 <= lo <= hi <= 2**n_parties, got {gray_range}")
    net = (first, head, cap, rev, party, n_parties, tol, edge_ptr, edge_verts, weights, from_cut, comp)
    out, flows, scales, *state = _workspace(first, cap, party, weights, hi - lo, n_comp)
    stop = lo
    if method == 2:
        budget = float(AUGMENT_BUDGET if budget is None else budget)
        stop = _subsets_augment(*net, lo, hi, out, flows, scales, *state, budget)[3]
    if stop < hi:  # push-relabel (or Dinic) from the flow reached; compiled only when needed
        driver = _subsets_dinic if method == 0 else _subsets_push_relabel
        driver(*net, stop, hi, out[stop - lo:], flows[stop - lo:], scales[stop - lo:], *state)
    rows = (out, flows, scales)
    if gray_range is not None:
        return rows
    order = np.arange(1, n_masks)
    masks = order ^ (order >> 1)
    full = []
    for r in rows:
        a = np.zeros((n_masks, n_comp), r.dtype)
        a[masks] = r
        full.append(a[:, 0] if single else a)
    return tuple(full)


@njit(cache=True)
def min_cut_sides(method, first, head, cap, rev, party, n_parties, mask, tol):
    """Smallest and largest minimum cuts for subset ``mask``.

    Returns ``(flow, scale, minimal, maximal)``: the flow into the sinks and
    the size of its rounding (:func:`sink_inflow`), and boolean masks over
    the hypergraph's vertices. ``maximal`` is the complement of the vertices that reach a sink
    in the residual graph of a maximum preflow; ``minimal`` is found the same
    way on the reversed network with sources and sinks swapped. The flows
    run with no tolerance; ``tol`` is relative: residuals up to ``tol`` times
    the flow count as saturated when the sides are read, so that float cuts
    whose weights differ only by rounding count as tied (0 for integers).
    """
    n = first.size - 1
    n_v = party.size
    kind = np.zeros(n, np.int64)
    _kind_for_mask(party, mask, n_parties, kind)
    zero = tol - tol
    _, res = max_preflow(method, first, head, cap, rev, kind, zero)
    flow, scale = sink_inflow(first, head, cap, res, kind, np.flatnonzero(kind))
    side_tol = tol * flow
    reach = sink_side(first, head, res, rev, kind, side_tol)
    maximal = np.empty(n_v, np.bool_)
    for v in range(n_v):
        maximal[v] = not reach[v]
    # reversed network: capacity of arc a is the capacity of its reverse
    rcap = cap[rev]
    for v in range(n):
        if kind[v] != 0:
            kind[v] = 3 - kind[v]
    _, rres = max_preflow(method, first, head, rcap, rev, kind, zero)
    rreach = sink_side(first, head, rres, rev, kind, side_tol)
    minimal = np.empty(n_v, np.bool_)
    for v in range(n_v):
        minimal[v] = rreach[v]
    return flow, scale, minimal, maximal


_PYTHON_KERNELS = []


def python_kernels():
    """The kernels of this module as plain Python functions, for Python-int arrays.

    Numba compiles only machine types; on ``dtype=object`` arrays of Python
    ints the same code, run by the interpreter, is exact for integers of any
    size (and 100 to 1000 times slower). Returns a namespace with the names
    of ``__all__``; the functions call each other's Python versions.

    Examples
    --------
    >>> import numpy as np
    >>> py = python_kernels()
    >>> w = np.array([2**70, 3], dtype=object)
    >>> py.cut_weight(np.array([True, False, True]), np.array([0, 2, 4]), np.array([0, 1, 1, 2]), w)
    1180591620717411303427
    """
    if not _PYTHON_KERNELS:
        import types

        space = dict(globals())
        for name, obj in globals().items():
            func = getattr(obj, "py_func", obj)
            if isinstance(func, types.FunctionType) and func.__module__ == __name__ and name != "python_kernels":
                space[name] = types.FunctionType(func.__code__, space, name, func.__defaults__)
        _PYTHON_KERNELS.append(types.SimpleNamespace(**{k: space[k] for k in __all__ if k in space}))
    return _PYTHON_KERNELS[0]
