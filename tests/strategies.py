"""Hypothesis strategies for min-cut models, and the exact brute-force oracle they are checked against.

The strategies draw the inputs that used to break the min-cut kernels
(issue 12): integer weights up to 2**62, float weights log-uniform over
1e-3 ... 1e15 mixed in one model, Fractions, zero weights, repeated
hyperedges and parties whose vertices lie in no hyperedge.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import networkx as nx
import numpy as np
from hypothesis import strategies as st

from qinfo.entropy_cones import ContractionMap, Hypergraph, party_letters, subset_labels
from qinfo.tensor_networks import RandomTensorNetwork

#: The weight families, one per model ("mixed" puts floats and integers in one model).
WEIGHT_KINDS = ("int", "float", "mixed", "fraction")


def integer_weights() -> st.SearchStrategy[int]:
    """Zero, small integers, and integers of every bit length up to 2**62 (log-uniform)."""
    return st.one_of(st.just(0), st.integers(1, 9), st.just(2**62),
                     st.tuples(st.integers(0, 62), st.integers(0, 2**62)).map(lambda t: t[1] >> t[0]))


def float_weights() -> st.SearchStrategy[float]:
    """Zero, and floats log-uniform over 1e-3 ... 1e15."""
    return st.one_of(st.just(0.0), st.floats(-3, 15).map(lambda e: 10.0**e))


def weights(kind: str) -> st.SearchStrategy:
    if kind == "int":
        return integer_weights()
    if kind == "float":
        return float_weights()
    if kind == "mixed":
        return st.one_of(float_weights(), integer_weights(), st.integers(0, 9))
    if kind == "fraction":
        return st.one_of(st.integers(0, 5), st.fractions(min_value=0, max_value=2**40, max_denominator=10**6))
    if kind == "huge":  # floats near 1e14-1e15, where rounding is largest relative to small slacks
        return st.floats(1e14, 1e15)
    if kind == "small":  # the integers 1 to 3
        return st.integers(1, 3)
    raise ValueError(f"kind must be one of {WEIGHT_KINDS}, got {kind!r}")


@st.composite
def min_cut_models(draw, max_parties: int = 4, max_bulk: int = 6, max_edges: int = 12, max_size: int = 5,
                   kinds: tuple[str, ...] = WEIGHT_KINDS, min_parties: int = 1) -> Hypergraph:
    """A small hypergraph (a graph when ``max_size == 2``) with one vertex per party.

    Every party, and O when drawn, has a boundary vertex, which may lie in no
    hyperedge (an isolated party); bulk vertices may be isolated too. Some
    hyperedges may be drawn twice.
    """
    n = draw(st.integers(min_parties, max_parties))
    names = list(party_letters(n)) + (["O"] if draw(st.booleans()) else [])
    n_bulk = draw(st.integers(max(0, 2 - len(names)), max_bulk))
    vertices = names + list(range(n_bulk))
    kind = draw(st.sampled_from(kinds))
    members = st.lists(st.sampled_from(vertices), min_size=2, max_size=min(max_size, len(vertices)), unique=True)
    edges = draw(st.lists(st.tuples(members.map(tuple), weights(kind)), max_size=max_edges))
    if edges:
        edges += draw(st.lists(st.sampled_from(edges), max_size=3))  # repeated hyperedges
    return Hypergraph(edges, {c: c for c in names}, vertices=vertices)


def random_min_cut_model(rng: np.random.Generator, max_parties: int = 4, max_bulk: int = 6,
                         max_edges: int = 12, max_size: int = 5) -> Hypergraph:
    """A model from the same families as :func:`min_cut_models`, drawn by NumPy (fast, no shrinking).

    Hypothesis spends about 7 ms building each :func:`min_cut_models` draw;
    this takes a tenth of that, so 10**5 draws fit in minutes.
    """
    n = int(rng.integers(1, max_parties + 1))
    names = list(party_letters(n)) + (["O"] if rng.random() < 0.5 else [])
    n_bulk = int(rng.integers(max(0, 2 - len(names)), max_bulk + 1))
    vertices = names + list(range(n_bulk))
    kind = WEIGHT_KINDS[int(rng.integers(len(WEIGHT_KINDS)))]
    top = min(max_size, len(vertices))
    edges = []
    for _ in range(int(rng.integers(0, max_edges + 1))):
        members = rng.choice(len(vertices), size=int(rng.integers(2, top + 1)), replace=False)
        edges.append((tuple(vertices[i] for i in members), _random_weight(rng, kind)))
    if edges:
        edges += [edges[i] for i in rng.integers(len(edges), size=int(rng.integers(0, 4)))]
    return Hypergraph(edges, {c: c for c in names}, vertices=vertices)


def _random_weight(rng: np.random.Generator, kind: str):
    if kind == "mixed":
        kind = ("int", "float", "float")[int(rng.integers(3))]
    u = rng.random()
    if u < 0.1:
        return 0 if kind in ("int", "fraction") else 0.0
    if kind == "int":
        return int(rng.integers(1, 10)) if u < 0.3 else int(rng.integers(0, 2**62, endpoint=True)) >> int(
            rng.integers(0, 63))
    if kind == "float":
        return float(10.0 ** rng.uniform(-3, 15))
    return Fraction(int(rng.integers(0, 2**40)), int(rng.integers(1, 10**6)))


def seeded_min_cut_models() -> st.SearchStrategy[Hypergraph]:
    """:func:`random_min_cut_model` (a graph a third of the time) from a seed drawn by hypothesis."""
    def build(seed: int) -> Hypergraph:
        rng = np.random.default_rng(seed)
        return random_min_cut_model(rng, max_size=2 if rng.random() < 1 / 3 else 5)
    return st.integers(0, 2**64 - 1).map(build)


def exact_weights(h: Hypergraph) -> list[int | Fraction]:
    """The weights as exact rationals (every float is one)."""
    return [w if isinstance(w, int) else Fraction(w) for _, w in h.edges]


def exact_min_cuts(h: Hypergraph) -> list[int | Fraction]:
    """S(I) for every subset label, exactly, by brute force over the bulk vertices.

    Independent of qinfo's kernels: it reads only ``h.edges``, ``h.boundary``
    and ``h.vertices``. The cut weight of every assignment is first summed in
    float64 with NumPy to find the near-minimal assignments, then summed
    exactly (Python ints or Fractions) over those.
    """
    vertices = list(h.vertices)
    bulk = [v for v in vertices if v not in h.boundary]
    bit = {v: i for i, v in enumerate(bulk)}
    letters = party_letters(h.n_parties)
    labels = subset_labels(h.n_parties)
    edges = h.edges
    exact = exact_weights(h)
    approx = np.array([float(w) for w in exact])
    if not edges:
        return [0] * len(labels)
    assign = np.arange(1 << len(bulk), dtype=np.int64)[:, None]
    bulk_mask = np.array([sum(1 << bit[v] for v in vs if v in bit) for vs, _ in edges], dtype=np.int64)
    bulk_in = np.bitwise_count(assign & bulk_mask)  # (assignments, edges)
    sizes = np.array([len(vs) for vs, _ in edges])
    out = []
    for label in labels:
        inside = set(label)
        boundary_in = np.array([sum(h.boundary.get(v) in inside for v in vs) for vs, _ in edges])
        count = bulk_in + boundary_in
        crossing = (count > 0) & (count < sizes)
        approx_cut = crossing @ approx
        near = np.flatnonzero(approx_cut <= approx_cut.min() * (1 + 1e-9))
        out.append(min(sum((w for w, c in zip(exact, crossing[row]) if c), 0) for row in near))
    return out


def full_entropies(values, n: int) -> list:
    """S over all ``2**(n+1)`` subsets of the parties and O (bit n), by purity.

    ``values`` are the ``2**n - 1`` entropies in canonical order.
    """
    by_mask = dict(zip(_masks(n), [*values, 0]))
    everyone = (1 << n) - 1
    return [by_mask[everyone & ~m] if m >> n & 1 else by_mask[m] for m in range(1 << (n + 1))]


def _masks(n: int) -> list[int]:
    letters = party_letters(n)
    return [sum(1 << letters.index(c) for c in label) for label in subset_labels(n)] + [0]


def inequality_violations(values, n: int, graph: bool, rtol: float = 0.0) -> list[str]:
    """Instances of SA, SSA (and MMI when ``graph``) that ``values`` violate.

    ``values`` are the entropies in canonical order; disjoint sets range over
    the parties and O. Exact numbers are compared exactly (``rtol = 0``);
    floats within ``rtol`` of the larger side.
    """
    s = full_entropies(values, n)
    bad = []
    parts = range(n + 1)
    for lab in itertools.product(range(4), repeat=n + 1):  # 0 none, 1 X, 2 Y, 3 Z
        x, y, z = (sum(1 << p for p in parts if lab[p] == k) for k in (1, 2, 3))
        if not (x and y):
            continue
        checks = [("SA", s[x] + s[y], s[x | y]),
                  ("SSA", s[x | z] + s[y | z], s[x | y | z] + s[z])]
        if graph and z:
            checks.append(("MMI", s[x | y] + s[x | z] + s[y | z], s[x] + s[y] + s[z] + s[x | y | z]))
        for name, big, small in checks:
            if big < (small - rtol * max(abs(big), abs(small)) if rtol else small):  # exact when rtol = 0
                bad.append(f"{name} x={x} y={y} z={z}: {big} < {small}")
    return bad


def relative_error(got, want) -> float:
    """|got - want| / |want| (0 when both are 0), computed exactly."""
    diff = abs(Fraction(got) - Fraction(want))
    return 0.0 if diff == 0 else (math.inf if want == 0 else float(diff / abs(Fraction(want))))


def lawler_arcs(h: Hypergraph, weights: list[int]) -> tuple[list[int], list[int], list[int], int]:
    """Arcs ``(tails, heads, caps, n_nodes)`` of the Lawler (1973) expansion, for an independent max-flow.

    A 2-vertex edge is two opposite arcs of its weight; a larger hyperedge
    gets nodes ``e_in -> e_out`` (its weight) with arcs ``v -> e_in`` and
    ``e_out -> v`` of capacity ``sum(weights) + 1`` for each of its vertices.
    Nodes ``0 .. n_vertices - 1`` are ``h.vertices`` in order.
    """
    index = {v: i for i, v in enumerate(h.vertices)}
    big = sum(weights) + 1
    arcs: list[tuple[int, int, int]] = []
    gadgets = itertools.count(len(index), 2)
    for (verts, _), w in zip(h.edges, weights):
        ids = [index[v] for v in verts]
        if len(ids) == 2:
            arcs += [(ids[0], ids[1], w), (ids[1], ids[0], w)]
        else:
            e_in = next(gadgets)
            arcs.append((e_in, e_in + 1, w))
            arcs += [arc for i in ids for arc in ((i, e_in, big), (e_in + 1, i, big))]
    tails, heads, caps = (list(col) for col in zip(*arcs)) if arcs else ([], [], [])
    return tails, heads, caps, next(gadgets)


def scaled_integer_weights(h: Hypergraph) -> tuple[list[int], int]:
    """``(ints, denominator)`` with ``ints[e] / denominator`` the exact weight of edge ``e``."""
    exact = exact_weights(h)
    denom = math.lcm(1, *(Fraction(w).denominator for w in exact))
    return [int(w * denom) for w in exact], denom


def terminal_sets(h: Hypergraph, label: str) -> tuple[list[int], list[int]]:
    """Vertex indices of the boundary vertices inside ``label`` and of the others (O's included)."""
    index = {v: i for i, v in enumerate(h.vertices)}
    inside = [index[v] for v, p in h.boundary.items() if p in label]
    outside = [index[v] for v, p in h.boundary.items() if p not in label]
    return inside, outside


# -- VQC (qinfo.vqc): circuits, match scores -------------------------------------------


@st.composite
def vqc_circuits(draw, max_qubits: int = 4, max_ops: int = 12):
    """A :class:`qinfo.vqc.Circuit` on 1..max_qubits qubits: each op a gate of ``GATES`` on distinct qubits.

    Shrinks towards fewer qubits, fewer ops and the first gate names.
    """
    from qinfo.vqc import Circuit, Op
    from qinfo.vqc._circuit import GATES

    n = draw(st.integers(1, max_qubits))
    names = sorted(g for g, (arity, _) in GATES.items() if arity <= n)
    ops, p = [], 0
    for _ in range(draw(st.integers(0, max_ops))):
        gate = draw(st.sampled_from(names))
        arity, parametrised = GATES[gate]
        qubits = tuple(draw(st.permutations(range(n)))[:arity])
        ops.append(Op(gate, qubits, p if parametrised else None))
        p += parametrised
    return Circuit(n, tuple(ops), p)


def vqc_angles(n_params: int, batch: int = 2) -> st.SearchStrategy[np.ndarray]:
    """A ``(batch, n_params)`` array of angles in [-pi, pi] (shrinks towards 0)."""
    angle = st.floats(-np.pi, np.pi, allow_nan=False)
    return st.lists(angle, min_size=batch * n_params, max_size=batch * n_params).map(
        lambda xs: np.array(xs, dtype=float).reshape(batch, n_params))


@st.composite
def scored_pairs(draw, max_size: int = 12):
    """(scores, labels) of 1..max_size binary pairs: fidelities in [0, 1] (ties likely) and 0/1 labels."""
    n = draw(st.integers(1, max_size))
    level = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), st.floats(0, 1, allow_nan=False))
    scores = draw(st.lists(level, min_size=n, max_size=n))
    labels = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    return np.array(scores), np.array(labels)


# -- random tensor networks (qinfo.tensor_networks) ------------------------------------


@st.composite
def random_networks(draw, max_bulk: int = 4, max_dim: int = 3, max_extra: int = 2,
                    boundary_links: bool = False, int_vertices: bool = False,
                    max_pieces: int = 1) -> RandomTensorNetwork:
    """Connected random networks: a spanning tree on 1..max_bulk bulk vertices, 2-4 boundary
    vertices each on a bulk vertex, up to ``max_extra`` extra edges (boundary-boundary ones
    too when ``boundary_links``), bond dimensions 1..max_dim, some links non-flat; regions
    "A" and "B" split the boundary. Vertices are strings ``x0, ..., b0, ...``, or the
    integers 0, 1, ... (bulk first) with ``int_vertices``. With ``max_pieces > 1`` the bulk
    is up to that many trees that only boundary vertices join (extra edges stay inside a
    tree or end on the boundary), each on at least one boundary vertex."""
    n_bulk = draw(st.integers(1, max_bulk))
    n_bdy = draw(st.integers(2, 4))
    if int_vertices:
        bulk, bdy = list(range(n_bulk)), list(range(n_bulk, n_bulk + n_bdy))
    else:
        bulk, bdy = [f"x{i}" for i in range(n_bulk)], [f"b{i}" for i in range(n_bdy)]
    piece = [0] + [draw(st.integers(0, min(i, max_pieces - 1))) for i in range(1, n_bulk)]
    g = nx.Graph()
    g.add_nodes_from(bulk + bdy)
    for i in range(1, n_bulk):
        if max_pieces == 1:
            g.add_edge(bulk[i], bulk[draw(st.integers(0, i - 1))])
        elif piece[i] in piece[:i]:
            same = [j for j in range(i) if piece[j] == piece[i]]
            g.add_edge(bulk[i], bulk[draw(st.sampled_from(same))])
    if max_pieces > 1:
        for p in sorted(set(piece)):  # every piece reaches the boundary
            g.add_edge(bulk[piece.index(p)], draw(st.sampled_from(bdy)))
    for b in bdy:
        g.add_edge(b, bulk[draw(st.integers(0, n_bulk - 1))])
    ends = bulk + bdy if boundary_links else bulk
    for u, v in draw(st.lists(st.tuples(st.sampled_from(bulk + bdy), st.sampled_from(ends)),
                              max_size=max_extra)):
        joins_pieces = u in bulk and v in bulk and piece[bulk.index(u)] != piece[bulk.index(v)]
        if u != v and not joins_pieces:
            g.add_edge(u, v)
    dims = {e: draw(st.integers(1, max_dim)) for e in g.edges}
    spectra = {}
    for e, d in dims.items():
        if draw(st.booleans()):
            w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=d, max_size=d)))
            spectra[e] = w / w.sum()
    split = draw(st.integers(1, n_bdy - 1))
    return RandomTensorNetwork(g, {"A": bdy[:split], "B": bdy[split:]}, bond_dim=dims, link_spectra=spectra)


# -- entropy cones: stabilizer tableaux, inequalities, link structures, model JSON forms -------

#: The local Cliffords on one qubit as the 6 invertible 2x2 matrices over GF(2), acting on (x, z).
_LOCAL_CLIFFORDS = [np.array(m, dtype=np.uint8) for m in
                    ([[1, 0], [0, 1]], [[0, 1], [1, 0]], [[1, 1], [0, 1]],
                     [[1, 0], [1, 1]], [[0, 1], [1, 1]], [[1, 1], [1, 0]])]


def pauli_strings(matrix: np.ndarray) -> list[str]:
    """The rows of a binary ``[X | Z]`` matrix as Pauli strings (``I X Y Z``)."""
    n = matrix.shape[1] // 2
    letters = {(0, 0): "I", (1, 0): "X", (1, 1): "Y", (0, 1): "Z"}
    return ["".join(letters[(int(r[q]), int(r[n + q]))] for q in range(n)) for r in matrix]


@st.composite
def stabilizer_tableaux(draw, min_qubits: int = 1, max_qubits: int = 6, pure: bool | None = None) -> np.ndarray:
    """A binary ``[X | Z]`` matrix of independent commuting generators (``k x 2n``).

    A graph state (every stabilizer state is one up to local Cliffords), a
    local Clifford on each qubit, a random change of generators (row
    additions) and, unless ``pure``, some generators dropped (a mixed state).
    Shrinks towards few qubits, the empty graph and the identity maps.
    """
    if pure is False:
        min_qubits = max(min_qubits, 2)  # a mixed state needs fewer generators than qubits, and one
    n = draw(st.integers(min_qubits, max(min_qubits, max_qubits)))
    adj = np.zeros((n, n), dtype=np.uint8)
    for i, j in itertools.combinations(range(n), 2):
        adj[i, j] = adj[j, i] = draw(st.booleans())
    x, z = np.eye(n, dtype=np.uint8), adj.copy()
    for q in range(n):
        m = _LOCAL_CLIFFORDS[draw(st.integers(0, 5))]
        x[:, q], z[:, q] = (m[0, 0] * x[:, q] + m[0, 1] * z[:, q]) % 2, (m[1, 0] * x[:, q] + m[1, 1] * z[:, q]) % 2
    rows = np.concatenate([x, z], axis=1)
    for i, j in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n)):
        if i != j:
            rows[i] ^= rows[j]
    if pure or (pure is None and (n == 1 or draw(st.booleans()))):
        return rows
    return rows[:draw(st.integers(1, n - 1))]


@st.composite
def stabilizer_states(draw, min_qubits: int = 1, max_qubits: int = 6, pure: bool | None = None,
                      parties: str | None = None):
    """A :class:`~qinfo.entropy_cones.StabilizerState`: a tableau and a party per qubit.

    With ``parties`` (e.g. ``"ABCDO"``) every one of those letters owns at
    least one qubit (so ``min_qubits`` is raised to ``len(parties)``);
    otherwise the parties are the first letters, ``O`` only for pure states.
    """
    from qinfo.entropy_cones import StabilizerState
    from qinfo.entropy_cones._vectors import party_letters as letters

    if parties is not None:
        min_qubits = max(min_qubits, len(parties))
        max_qubits = max(max_qubits, min_qubits)
    matrix = draw(stabilizer_tableaux(min_qubits, max_qubits, pure=pure))
    n = matrix.shape[1] // 2
    if parties is None:
        allowed = letters(min(n, 4)) + ("O" if len(matrix) == n and n > 1 else "")
        labels = [allowed[0]] + [draw(st.sampled_from(allowed)) for _ in range(n - 1)]
        # the ordinary letters must be the first N: rename them in order of first use
        used = sorted({c for c in labels if c != "O"})
        rename = dict(zip(used, letters(len(used))))
        labels = [rename.get(c, c) for c in labels]
    else:
        extra = [draw(st.sampled_from(parties)) for _ in range(n - len(parties))]
        labels = draw(st.permutations(list(parties) + extra))
    return StabilizerState(pauli_strings(matrix), "".join(labels))


@st.composite
def entropy_inequalities(draw, n_parties: int = 3, max_coefficient: int = 3):
    """An :class:`~qinfo.entropy_cones.Inequality` with small integer coefficients (not all zero)."""
    from qinfo.entropy_cones import Inequality

    size = 2**n_parties - 1
    coef = draw(st.lists(st.integers(-max_coefficient, max_coefficient), min_size=size, max_size=size)
                .filter(any))
    return Inequality.from_coefficients(coef)


@st.composite
def link_structures(draw, min_components: int = 4, max_components: int = 6, parties: str = "ABCO",
                    max_generators: int = 4, max_weight: int = 3):
    """``(n_components, generators, labels, weights)`` for :meth:`LinkModel.from_connectivity`.

    The first ``len(parties)`` components carry ``parties``; the rest are bulk.
    """
    m = draw(st.integers(max(min_components, len(parties)), max_components))
    labels = list(parties) + [None] * (m - len(parties))
    gen = st.lists(st.integers(0, m - 1), min_size=2, max_size=m, unique=True).map(frozenset)
    gens = draw(st.lists(gen, min_size=1, max_size=max_generators))
    weights = draw(st.lists(st.integers(1, max_weight), min_size=m, max_size=m))
    return m, gens, labels, weights


@st.composite
def small_integer_hypergraphs(draw, n_parties: int = 3, max_bulk: int = 2, max_edges: int = 6,
                              max_legs: int = 18):
    """An integer-weighted hypergraph (weights 1, 2) with one boundary vertex per party and O,
    whose total number of GHZ legs ``sum(w * |e|)`` is at most ``max_legs`` (drawn within it,
    not filtered), so its dense state fits in memory."""
    names = list(party_letters(n_parties)) + ["O"]
    vertices = names + [f"x{i}" for i in range(draw(st.integers(0, max_bulk)))]
    edges, legs = [], 0
    for _ in range(draw(st.integers(1, max_edges))):
        e = tuple(draw(st.lists(st.sampled_from(vertices), min_size=2, max_size=3, unique=True)))
        w = draw(st.integers(1, 2))
        if legs + w * len(e) > max_legs:
            break
        edges.append((e, w))
        legs += w * len(e)
    return Hypergraph(edges, {c: c for c in names}, vertices=vertices)


# -- contraction proofs (qinfo.entropy_cones._contraction) -----------------------------------
# Inequalities as coefficient rows, contraction maps, sums of valid instances and link
# certificates built from their definition, so that a failing draw shrinks to a small map.


def inequality_rows(n_parties: int = 3, low: int = -2, high: int = 2) -> st.SearchStrategy[list[int]]:
    """Coefficient rows (``coefficients . S >= 0``) with a positive and a negative entry: two-sided inequalities."""
    size = 2**n_parties - 1
    return st.tuples(st.lists(st.integers(low, high), min_size=size, max_size=size),
                     st.lists(st.integers(0, size - 1), min_size=2, max_size=2, unique=True),
                     st.integers(1, high), st.integers(1, -low)).map(
        lambda t: [t[2] if i == t[1][0] else -t[3] if i == t[1][1] else c for i, c in enumerate(t[0])])


@st.composite
def contraction_maps(draw, n_parties: int = 2, max_lhs: int = 3, max_rhs: int = 3,
                     max_weight: int = 2) -> ContractionMap:
    """Any map ``{0,1}^L -> {0,1}^R`` (most are not contractions) on labelled, weighted terms.

    Labels are drawn from the non-empty subsets and may repeat or carry the purifier
    (``AO`` is read by purity); right-hand weights are 1 or 2.
    """
    labels = list(subset_labels(n_parties)) + [lab + "O" for lab in party_letters(n_parties)]
    L = draw(st.integers(1, max_lhs))
    R = draw(st.integers(1, max_rhs))
    lhs = draw(st.lists(st.tuples(st.sampled_from(labels), st.integers(1, max_weight)), min_size=L, max_size=L))
    rhs = draw(st.lists(st.tuples(st.sampled_from(labels), st.integers(1, 2)), min_size=R, max_size=R))
    bits = draw(st.lists(st.integers(0, 1), min_size=(1 << L) * R, max_size=(1 << L) * R))
    return ContractionMap(lhs, rhs, np.array(bits, dtype=np.uint8).reshape(1 << L, R), n_parties=n_parties)


def _instance_row(kind: str, parties: tuple[int, ...], n_parties: int) -> list[int]:
    labels = subset_labels(n_parties)
    letters = party_letters(n_parties)
    S = lambda *ps: labels.index("".join(sorted(letters[p] for p in ps)))  # noqa: E731
    a, b, c = parties[:3]
    terms = ([(S(a, b), 1), (S(b, c), 1), (S(b), -1), (S(a, b, c), -1)] if kind == "SSA" else
             [(S(a, b), 1), (S(b, c), 1), (S(a, c), 1), (S(a), -1), (S(b), -1), (S(c), -1), (S(a, b, c), -1)])
    row = [0] * len(labels)
    for i, v in terms:
        row[i] += v
    return row


def sums_of_instances(n_parties: int = 4, min_size: int = 2, max_size: int = 3) -> st.SearchStrategy[list[int]]:
    """Non-zero coefficient rows that are sums of SSA and MMI instances on single parties (valid for graphs).

    Terms cancel or add up, so repeated right-hand columns and saturated edges occur, and some
    sums have no contraction map.
    """
    instance = st.tuples(st.sampled_from(["SSA", "MMI"]), st.permutations(range(n_parties)))
    return st.lists(instance, min_size=min_size, max_size=max_size).map(
        lambda xs: [sum(col) for col in zip(*(_instance_row(k, p, n_parties) for k, p in xs))]).filter(any)


@st.composite
def link_certificates(draw, n_parties: int = 3, max_lhs: int = 3, max_rhs: int = 5) -> ContractionMap:
    """A map meeting the link condition by construction, and the inequality it proves.

    Each right-hand bit ``r`` is a function ``g_r`` of a set ``S_r`` of left-hand
    coordinates with ``g_r(0) = 0`` (the purifier); its label is the set of parties ``i``
    with ``g_r(x^(i)) = 1``, and each lhs weight is the number of right-hand bits that depend
    on it (at least 1). Right-hand labels are distinct and none is a left-hand label, so the
    inequality neither merges nor cancels terms.
    """
    letters = party_letters(n_parties)
    labels = list(subset_labels(n_parties))
    L = draw(st.integers(1, max_lhs))
    lhs = draw(st.lists(st.sampled_from(labels), min_size=L, max_size=L, unique=True))
    xs = [sum(1 << l for l, lab in enumerate(lhs) if p in lab) for p in letters]  # parties' occurrence vectors
    rhs, columns, load = [], [], [0] * L
    n_bits = draw(st.integers(1, max_rhs))
    for _ in range(4 * max_rhs):  # redraw a rejected bit rather than filter the whole example
        if len(rhs) == n_bits:
            break
        support = draw(st.lists(st.integers(0, L - 1), min_size=1, max_size=L, unique=True))
        table = draw(st.lists(st.integers(0, 1), min_size=1 << len(support), max_size=1 << len(support)))
        table[0] = 0
        g = lambda x: table[sum(((x >> l) & 1) << j for j, l in enumerate(support))]  # noqa: E731
        label = "".join(p for p, x in zip(letters, xs) if g(x))
        if not label or label in lhs or label in rhs:
            continue
        rhs.append(label)
        columns.append([g(x) for x in range(1 << L)])
        for l in set(support):
            load[l] += 1  # an upper bound on the bits that really depend on x_l
    from hypothesis import assume

    assume(rhs)
    images = np.array(columns, dtype=np.uint8).T
    return ContractionMap([(lab, max(1, w)) for lab, w in zip(lhs, load)], [(lab, 1) for lab in rhs], images,
                          n_parties=n_parties)
