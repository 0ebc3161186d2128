"""Sampling boundary entanglement spectra of random tensor networks.

Compile once, sample many: for a network and a region,
:meth:`RandomTensorNetwork.compile_sampler` (a :class:`SpectrumSampler`) fixes the tensor shapes, the link weights and an opt_einsum contraction order;
each sample then draws the Gaussian tensors and runs the compiled contraction.

Two contraction strategies share that machinery (``method=``):

``"direct"``
    contract the whole network into the matrix ``M`` from one side's boundary legs
    to the other's and diagonalise the Gram matrix of its smaller side;
``"split"``
    cut the network at a minimal cut ``gamma``, reduce each half to a matrix from
    its boundary legs to the cut, and diagonalise the (at most ``D_gamma``-sized)
    product of the two.

A half whose boundary side is larger than its cut side is replaced by a square
factor ``F`` with ``F^dagger F = M^dagger M`` (a Cholesky factor of its Gram
matrix). That Gram matrix comes from one BLAS herk on ``M``, or, when ``M`` would
be much larger than the cut (a long boundary region behind a small cut), from the
double-layer network of the half and its conjugate contracted from the cut
outwards, so memory follows the cut dimension, not the region's.

``"auto"`` (the default) splits when the minimal cut is smaller than both sides.
``rho_A`` itself is never formed.

A network whose bulk falls into pieces that only boundary vertices join (parallel
channels, a link between two boundary vertices) has a product boundary state: ``rho_A`` is
the tensor product of the pieces' reduced states and of the crossing boundary links. Each
piece is then compiled and sampled on its own (with the strategy chosen for it), and only
the product of the pieces' spectra is formed, so the cost follows the largest piece.
"""

from __future__ import annotations

import functools
import itertools
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import prod
from typing import Any

import networkx as nx
import numpy as np
import opt_einsum as oe
import scipy.linalg as sla

from qinfo._parallel import parallel_map
from qinfo._random import SeedLike, as_generator, spawn_seeds
from qinfo._validate import check_int
from qinfo.tensor_networks._cuts import min_cut_side

__all__ = [
    "SpectrumSampler",
    "SpectrumSamples",
    "sample_spectrum",
    "sample_spectra",
    "compile_spectrum_sampler",
    "spectrum_from_matrix",
    "entropy",
]


# -- drawing tensors ----------------------------------------------------------------------


def _incident(net) -> list[list[int]]:
    """Edge indices at each bulk vertex, in edge order."""
    pos = {x: k for k, x in enumerate(net.bulk)}
    inc: list[list[int]] = [[] for _ in net.bulk]
    for i, (u, v) in enumerate(net.edges):
        for w in (u, v):
            if w in pos:
                inc[pos[w]].append(i)
    return inc


def _draw_raw(shapes: list[tuple[int, ...]], rng: np.random.Generator) -> list[np.ndarray]:
    """Complex arrays with entries N(0,1) + i N(0,1) (no 1/sqrt 2), one per shape."""
    out = []
    for shape in shapes:
        n = prod(shape)
        out.append(rng.standard_normal(2 * n).view(np.complex128).reshape(shape))
    return out


def _shapes(net) -> list[tuple[int, ...]]:
    """The bulk tensors' shapes, in :attr:`bulk` order (axes in edge order)."""
    return [tuple(net.bond_dims[i] for i in inc) for inc in _incident(net)]


def _crossing_links(net, a_vertices: frozenset) -> list[np.ndarray]:
    """Non-zero Schmidt coefficients of the boundary-boundary links from ``A`` to the rest."""
    out = []
    for u, v in net.edges:
        if u in net.boundary and v in net.boundary and (u in a_vertices) != (v in a_vertices):
            lam = net.link_spectrum((u, v))
            out.append(lam[lam > 0])
    return out


def draw_tensors(net, rng: np.random.Generator) -> list[np.ndarray]:
    """Bulk tensors with entries (N(0,1) + i N(0,1)) / sqrt 2, in :attr:`bulk` order."""
    return [t / np.sqrt(2) for t in _draw_raw(_shapes(net), rng)]


def boundary_state(net, rng: np.random.Generator, *, normalize: bool = False) -> np.ndarray:
    """Dense boundary state; see :meth:`RandomTensorNetwork.boundary_state`."""
    tensors = draw_tensors(net, rng)
    inc = _incident(net)
    pos = {x: k for k, x in enumerate(net.bulk)}
    operands: list[Any] = []
    out = ""
    sym = map(oe.get_symbol, itertools.count())
    edge_sym: dict[int, str] = {}
    ops_inds: list[str] = []
    for i, (u, v) in enumerate(net.edges):
        lam = np.sqrt(net.link_spectrum((u, v)))
        if u in pos or v in pos:
            s = edge_sym[i] = next(sym)
            operands.append(lam)
            ops_inds.append(s)
            for w in (u, v):
                if w not in pos:
                    out += s
        else:  # a link between two boundary vertices: a diagonal matrix
            s, t = next(sym), next(sym)
            operands.append(np.diag(lam))
            ops_inds.append(s + t)
            out += s + t
    for k, t in enumerate(tensors):
        operands.append(t.conj())
        ops_inds.append("".join(edge_sym[i] for i in inc[k]))
    psi = oe.contract(",".join(ops_inds) + "->" + out, *operands)
    if normalize:
        psi = psi / np.linalg.norm(psi)
    return psi


# -- the compiled sampler -------------------------------------------------------------------

# A half is reduced through the double-layer network (its Gram matrix, contracted from the
# cut outwards) when its matrix would be this many times larger than that contraction's
# largest array; otherwise its matrix is formed and its Gram taken by one BLAS herk.
_MATRIX_SLACK = 4


def _path_peak(eq: str, shapes: list[tuple[int, ...]]) -> int:
    """Entries of the largest array an opt_einsum contraction holds (inputs included)."""
    inputs = max((prod(s) for s in shapes), default=1)
    if not shapes:
        return 1
    _, info = oe.contract_path(eq, *shapes, shapes=True, optimize="auto")
    return int(max(inputs, int(info.largest_intermediate)))


def _gram_factor(gram: np.ndarray, *, conjugate: bool) -> np.ndarray:
    """An upper triangular ``F`` with ``F^dagger F = G`` from the upper triangle of ``G``.

    ``conjugate``: the upper triangle given is that of ``conj(G)`` (what herk returns on
    the Fortran view of a C-ordered matrix). A numerically singular ``G`` (Cholesky fails)
    is factored through its eigendecomposition instead.
    """
    try:
        f = sla.cholesky(gram, lower=False, check_finite=False)  # keeps gram for the fallback
    except np.linalg.LinAlgError:
        w, u = sla.eigh(gram, lower=False, check_finite=False)
        f = np.sqrt(np.clip(w, 0.0, None))[:, None] * u.conj().T
    return f.conj() if conjugate else f


@dataclass
class _Half:
    """The bulk tensors on one side of a cut, reduced to a matrix (rows x cols).

    ``reduce`` says how: ``"matrix"`` contracts the tensors into the matrix ``M``;
    ``"herk"`` forms ``M`` and returns a square factor ``F`` with ``F^dagger F =
    M^dagger M`` (``cols x cols``, from one herk and a Cholesky); ``"network"`` returns the
    same factor from the Gram matrix contracted directly from the tensors and their
    conjugates, never forming ``M`` (memory follows ``cols``, not ``rows``).
    """

    tensors: list[int]  # positions in net.bulk
    eq: str
    row_dim: int
    col_dim: int
    shapes: list[tuple[int, ...]]
    reduce: str = "matrix"
    peak: int = 0  # entries of the largest array one evaluation builds
    _expr: Any = field(default=None, repr=False, compare=False)

    def matrix(self, tensors: list[np.ndarray]) -> np.ndarray:
        ops = [tensors[k] for k in self.tensors]
        if self.reduce == "network":
            if self._expr is None:
                self._expr = oe.contract_expression(self.eq, *(self.shapes * 2), optimize="auto")
            gram = self._expr(*(t.conj() for t in ops), *ops).reshape(self.col_dim, self.col_dim)
            return _gram_factor(gram, conjugate=False)
        if self._expr is None:
            self._expr = oe.contract_expression(self.eq, *self.shapes, optimize="auto")
        m = np.asarray(self._expr(*ops)).reshape(self.row_dim, self.col_dim)
        if self.reduce == "herk":
            if not np.iscomplexobj(m):
                m = m.astype(np.complex128)
            gram = sla.blas.zherk(1.0, m.T, trans=0, lower=0)  # upper triangle of conj(M^H M)
            return _gram_factor(gram, conjugate=True)
        return m

    def __getstate__(self):
        return {**self.__dict__, "_expr": None}


def _make_half(tensors: set[int], rows: list[int], cols: list[int], inds: list[str],
               shapes: list[tuple[int, ...]], dims: tuple[int, ...], sym: list[str],
               n_sym: int, *, reduce_rows: bool) -> _Half:
    """The half on ``tensors`` with the given row and column legs (edge indices)."""
    order = sorted(tensors)
    dim = lambda edges: prod(dims[i] for i in edges)  # noqa: E731
    r, c = "".join(sym[i] for i in rows), "".join(sym[i] for i in cols)
    eq = ",".join(inds[k] for k in order) + "->" + r + c
    half_shapes = [shapes[k] for k in order]
    row_dim, col_dim = dim(rows), dim(cols)
    peak_matrix = max(_path_peak(eq, half_shapes), row_dim * col_dim)
    if not reduce_rows or row_dim <= col_dim:
        return _Half(order, eq, row_dim, col_dim, half_shapes, "matrix", peak_matrix)
    # the double layer: the conjugate copy keeps the row legs, renames every other leg
    row_set = set(rows)
    fresh = iter(oe.get_symbol(n_sym + j) for j in itertools.count())
    prime = {s: next(fresh) for k in order for s in inds[k] if s not in {sym[i] for i in row_set}}
    primed = ["".join(prime.get(s, s) for s in inds[k]) for k in order]
    c_primed = "".join(prime[s] for s in c)
    gram_eq = ",".join([inds[k] for k in order] + primed) + "->" + c + c_primed
    peak_network = max(_path_peak(gram_eq, half_shapes * 2), col_dim * col_dim)
    if peak_matrix > _MATRIX_SLACK * peak_network:
        return _Half(order, gram_eq, row_dim, col_dim, half_shapes, "network", peak_network)
    return _Half(order, eq, row_dim, col_dim, half_shapes, "herk", peak_matrix + col_dim**2)


@dataclass
class _Plan:
    """The compiled arrays and contraction order behind a :class:`SpectrumSampler`.

    :meth:`sample` returns the unnormalised non-zero spectrum of ``rho_A`` for one
    draw of the bulk tensors and how many eigenvalues fell below the numerical
    resolution.

    Attributes
    ----------
    method : {"direct", "split"}
    rank : int
        An upper bound on the rank of the sampled matrix: the Schmidt rank of a minimal
        cut's links (bulk edges only), ``D_gamma`` for maximally entangled links.
    largest_array : int
        Entries of the largest array one sample builds (the drawn tensors included).
    """

    method: str
    shapes: list[tuple[int, ...]]
    weights: list[tuple[int, int, np.ndarray]]  # (tensor, axis, sqrt(lambda))
    scale2: float
    cross: list[np.ndarray]
    halves: list[_Half]
    rank: int
    join: tuple[str, tuple[int, ...], tuple[int, ...], int] | None = None
    cut_dim: int | None = None
    largest_array: int = 0
    _join_expr: Any = field(default=None, repr=False, compare=False)

    def tensors(self, rng: np.random.Generator) -> list[np.ndarray]:
        return self.weigh(_draw_raw(self.shapes, rng))

    def weigh(self, tensors: list[np.ndarray]) -> list[np.ndarray]:
        """Multiply the link weights into raw draws (in place)."""
        for k, axis, w in self.weights:
            shape = [1] * tensors[k].ndim
            shape[axis] = w.size
            tensors[k] *= w.reshape(shape)
        return tensors

    def matrix(self, tensors: list[np.ndarray]) -> np.ndarray:
        """A matrix ``X`` with ``X X^dagger`` unitarily similar to ``rho_A`` (up to zeros)."""
        if self.method == "direct":
            return self.halves[0].matrix(tensors)
        mats = [half.matrix(tensors) for half in self.halves]
        eq, shape_a, shape_b, n_row_axes = self.join
        a = mats[0].reshape((mats[0].shape[0],) + shape_a)
        b = mats[1].reshape((mats[1].shape[0],) + shape_b)
        if self._join_expr is None:
            self._join_expr = oe.contract_expression(eq, a.shape, b.shape, optimize="auto")
        out = self._join_expr(a, b)
        return out.reshape(prod(out.shape[:n_row_axes]), -1)

    def sample(self, rng: np.random.Generator) -> tuple[np.ndarray, int]:
        """One spectrum and the number of eigenvalues below resolution (out of :attr:`rank`)."""
        return self.spectrum(self.tensors(rng))

    def spectrum(self, tensors: list[np.ndarray]) -> tuple[np.ndarray, int]:
        """The spectrum (and the number dropped) for drawn, weighted tensors."""
        m = self.matrix(tensors)
        lam = spectrum_from_matrix(m, rank=self.rank) * self.scale2
        dropped = min(self.rank, *m.shape) - lam.size
        return _tensor_product([lam, *self.cross], [dropped] + [0] * len(self.cross))

    def __getstate__(self):
        return {**self.__dict__, "_join_expr": None}


def _tensor_product(spectra: list[np.ndarray], dropped: list[int]) -> tuple[np.ndarray, int]:
    """Spectrum of a tensor product of factors, decreasing, and how many of its eigenvalues
    were dropped (``dropped[i]``: those dropped from factor ``i``)."""
    lam = spectra[0]
    for c in spectra[1:]:
        lam = np.multiply.outer(lam, c).ravel()
    if len(spectra) > 1:
        lam = np.sort(lam)[::-1]
    kept = prod(c.size for c in spectra)
    return np.ascontiguousarray(lam), prod(c.size + d for c, d in zip(spectra, dropped)) - kept


@dataclass
class _ProductPlan:
    """A sampler for a network whose bulk falls into independent pieces.

    Each connected piece of the bulk (with the boundary legs it touches) is an
    independent random state, so ``rho_A`` is the tensor product of the pieces' reduced
    states and of the boundary-boundary links that cross ``A``: each piece gets its own
    :class:`_Plan`, and only the product of their spectra is formed. A piece that touches
    only one side contributes its norm, one number.
    """

    shapes: list[tuple[int, ...]]  # all bulk tensors, in bulk order (the same draws)
    parts: list[tuple[list[int], _Plan]]  # (positions in net.bulk, the piece's plan)
    cross: list[np.ndarray]

    @property
    def method(self) -> str:
        methods = {plan.method for _, plan in self.parts}
        return methods.pop() if len(methods) == 1 else "mixed"

    @property
    def rank(self) -> int:
        return prod(plan.rank for _, plan in self.parts)

    @property
    def largest_array(self) -> int:
        spectrum = self.rank * prod(c.size for c in self.cross)
        return max(spectrum, *(plan.largest_array for _, plan in self.parts))

    def sample(self, rng: np.random.Generator) -> tuple[np.ndarray, int]:
        raw = _draw_raw(self.shapes, rng)
        spectra, dropped = [], []
        for positions, plan in self.parts:
            lam, d = plan.spectrum(plan.weigh([raw[k] for k in positions]))
            spectra.append(lam)
            dropped.append(d)
        return _tensor_product(spectra + self.cross, dropped + [0] * len(self.cross))


def _pieces(net, a_vertices: frozenset, method: str) -> _ProductPlan | None:
    """The :class:`_ProductPlan` of a network whose bulk is disconnected (else ``None``)."""
    components = list(nx.connected_components(net.graph.subgraph(net.bulk)))
    if len(components) < 2:
        return None
    pos = {x: k for k, x in enumerate(net.bulk)}
    parts = []
    for component in sorted(components, key=lambda c: min(pos[x] for x in c)):
        edges = [e for e in net.edges if e[0] in component or e[1] in component]
        ends = {v for e in edges for v in e}
        # nodes in the whole graph's order, then its edges in order: the piece's edges (and
        # so its tensors' axes) come out in the same order (a networkx subgraph view's
        # iteration order can follow a set's instead)
        sub = nx.Graph()
        sub.add_nodes_from(v for v in net.graph.nodes if v in ends)
        sub.add_edges_from(edges)
        touched = [v for v in sub.nodes if v in net.boundary]
        a_side = [v for v in touched if v in a_vertices]
        b_side = [v for v in touched if v not in a_vertices]
        # a piece touching one side only is a pure state there: its factor is its norm
        regions = {"A": a_side, "B": b_side} if a_side and b_side else {"A": touched}
        flat = {e: net.bond_dim(e) for e in edges if net.is_maximally_entangled(e)}
        links = {e: net.link_spectrum(e) for e in edges if not net.is_maximally_entangled(e)}
        piece = type(net)(sub, regions, bond_dim=flat, link_spectra=links)
        positions = sorted(pos[x] for x in component)
        # method="split" splits the pieces that have a cut inside them (a piece on one
        # side only is one number, its norm); it is refused only if none has
        own = "direct" if len(regions) == 1 else method
        try:
            plan = compile_spectrum_sampler(piece, "A", own)
        except ValueError:  # no cut inside this piece
            plan = compile_spectrum_sampler(piece, "A", "direct")
        parts.append((positions, plan))
    if method == "split" and all(plan.method != "split" for _, plan in parts):
        raise ValueError(f"method='split': the bulk is {len(components)} independent pieces "
                         "(joined only by boundary vertices) and none has a minimal cut strictly "
                         "inside it; use method='direct' or 'auto'")
    return _ProductPlan(_shapes(net), parts, _crossing_links(net, a_vertices))


def spectrum_from_matrix(m: np.ndarray, *, rank: int | None = None) -> np.ndarray:
    """Non-zero eigenvalues of ``m m^dagger``, in decreasing order.

    The fast path diagonalises the Gram matrix of the smaller side; its eigenvalues are
    accurate to about ``eps * largest``, and those at or below ``max(shape) * eps *
    largest`` (numerically zero) are left out. Given ``rank``, an upper bound on the rank
    of ``m`` (a minimal cut's dimension), fewer than ``rank`` eigenvalues above that
    level trigger the accurate path instead: the squared singular values of ``m`` itself
    (absolute accuracy about ``eps**2 * largest``), of which the ``rank`` largest above
    ``max(shape) * eps**2 * largest`` are returned, so small eigenvalues are not thrown
    away; nothing beyond the ``rank`` largest, and nothing below that level (rounding
    noise of exact zeros), is ever returned.

    Parameters
    ----------
    m : array_like, 2-d
        The matrix.
    rank : int, optional
        An upper bound on the rank of ``m``.

    Examples
    --------
    >>> m = np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]]) + 0j
    >>> spectrum_from_matrix(m)
    array([4., 1.])
    >>> tiny = np.diag([1.0, 1e-10]) + 0j          # 1e-20 is below the Gram's resolution
    >>> spectrum_from_matrix(tiny).size, float(spectrum_from_matrix(tiny, rank=2)[1] / 1e-20)
    (1, 1.0)
    """
    m = np.asarray(m)
    if m.ndim != 2:
        raise ValueError(f"m must be a matrix, got shape {m.shape}")
    if rank is not None:
        check_int("rank", rank, 0)
    if m.size == 0:
        return np.zeros(0)
    if not np.iscomplexobj(m):
        m = m.astype(np.complex128)
    rows, cols = m.shape
    # BLAS herk on the Fortran view: conj(m m^H) if rows <= cols, else conj(m^H m).
    if rows <= cols:
        gram = sla.blas.zherk(1.0, m.T, trans=2, lower=0)
    else:
        gram = sla.blas.zherk(1.0, m.T, trans=0, lower=0)
    lam = sla.eigvalsh(gram, lower=False, overwrite_a=True, check_finite=False)[::-1]
    tol = max(rows, cols) * np.finfo(float).eps * max(lam[0], 0.0)
    lam = lam[lam > tol]
    if rank is not None:
        if lam.size < min(rank, rows, cols):
            lam = np.linalg.svd(m, compute_uv=False)[:rank] ** 2
            # absolute accuracy about eps^2 * largest: below that, rounding of exact zeros
            lam = lam[lam > max(rows, cols) * np.finfo(float).eps ** 2 * lam[0]]
        lam = lam[:rank]  # beyond the rank bound: rounding noise of exact zeros
    return np.ascontiguousarray(lam)


def _rank_bound(net, side: frozenset) -> int:
    """Product of the Schmidt ranks of the bulk edges leaving ``side`` (a bound on the rank)."""
    out = 1
    for i, (u, v) in enumerate(net.edges):
        if (u in side) != (v in side) and not (u in net.boundary and v in net.boundary):
            lam = net.link_spectra[i]
            out *= net.bond_dims[i] if lam is None else int(np.count_nonzero(lam))
    return out


_METHODS = ("auto", "direct", "split")


def compile_spectrum_sampler(net, region: str | Iterable[str], method: str = "auto") -> _Plan | _ProductPlan:
    """The compiled plan for sampling ``rho_region`` (see :class:`SpectrumSampler`)."""
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    a_vertices = net.region_vertices(region)
    product = _pieces(net, a_vertices, method)
    if product is not None:
        return product
    b_vertices = net.boundary - a_vertices
    inc = _incident(net)
    pos = {x: k for k, x in enumerate(net.bulk)}
    dims = net.bond_dims
    shapes = _shapes(net)
    n_edges = len(net.edges)
    sym = [oe.get_symbol(i) for i in range(n_edges)]
    inds = ["".join(sym[i] for i in edges) for edges in inc]

    weights: list[tuple[int, int, np.ndarray]] = []
    scale2 = 0.5 ** len(net.bulk)
    cross = _crossing_links(net, a_vertices)
    for i, (u, v) in enumerate(net.edges):
        bulk_end = u if u in pos else v if v in pos else None
        if bulk_end is None:  # boundary-boundary link: a factor in ``cross``
            continue
        k = pos[bulk_end]
        lam = net.link_spectra[i]
        if lam is None:
            scale2 /= dims[i]
        else:
            weights.append((k, inc[k].index(i), np.sqrt(lam)))

    def legs(side: frozenset, tensors: set[int]) -> list[int]:
        return [i for i, (u, v) in enumerate(net.edges)
                if (u in side and pos.get(v) in tensors) or (v in side and pos.get(u) in tensors)]

    def half(tensors: set[int], rows: list[int], cols: list[int], reduce_rows: bool) -> _Half:
        return _make_half(tensors, rows, cols, inds, shapes, dims, sym, n_edges + 2,
                          reduce_rows=reduce_rows)

    everything = set(range(len(net.bulk)))
    rows_all, cols_all = legs(a_vertices, everything), legs(b_vertices, everything)
    dim = lambda edges: prod(dims[i] for i in edges)  # noqa: E731
    w_bulk = min_cut_side(net, a_vertices) if b_vertices else frozenset(net.graph.nodes)
    rank = min(_rank_bound(net, a_vertices | w_bulk), _rank_bound(net, a_vertices),
               _rank_bound(net, frozenset(net.graph.nodes) - b_vertices))
    tensor_peak = max((prod(s) for s in shapes), default=1)

    def make_direct() -> _Plan:
        # rows: the larger side, so that a huge side can be summed over in the double layer
        rows, cols = (rows_all, cols_all) if dim(rows_all) >= dim(cols_all) else (cols_all, rows_all)
        h = half(everything, rows, cols, reduce_rows=True)
        peak = max(tensor_peak, h.peak, min(h.row_dim, h.col_dim) ** 2)
        return _Plan("direct", shapes, weights, scale2, cross, [h], rank, largest_array=peak)

    split = None
    if method in ("auto", "split") and b_vertices:
        w_side = {pos[x] for x in w_bulk if x in pos}
        if w_side and w_side != everything:
            rest = everything - w_side
            cut = [i for i, (u, v) in enumerate(net.edges)
                   if (pos.get(u) in w_side and pos.get(v) in rest)
                   or (pos.get(v) in w_side and pos.get(u) in rest)]
            a_rows, a_pass = legs(a_vertices, w_side), legs(a_vertices, rest)
            b_cols, b_pass = legs(b_vertices, rest), legs(b_vertices, w_side)
            half_a = half(w_side, a_rows, cut + b_pass, reduce_rows=True)
            half_b = half(rest, b_cols, cut + a_pass, reduce_rows=True)
            # one fresh symbol for the row axis of each half's matrix (or factor)
            ra, rb = oe.get_symbol(n_edges), oe.get_symbol(n_edges + 1)
            ca = "".join(sym[i] for i in cut + b_pass)
            cb = "".join(sym[i] for i in cut + a_pass)
            out_rows = ra + "".join(sym[i] for i in a_pass)
            out_cols = rb + "".join(sym[i] for i in b_pass)
            eq = f"{ra}{ca},{rb}{cb}->{out_rows}{out_cols}"
            shape_a = tuple(dims[i] for i in cut + b_pass)
            shape_b = tuple(dims[i] for i in cut + a_pass)
            n_a = half_a.col_dim if half_a.reduce != "matrix" else half_a.row_dim
            n_b = half_b.col_dim if half_b.reduce != "matrix" else half_b.row_dim
            join_peak = _path_peak(eq, [(n_a,) + shape_a, (n_b,) + shape_b])
            out_dim = n_a * dim(a_pass), n_b * dim(b_pass)
            peak = max(tensor_peak, half_a.peak, half_b.peak, join_peak, min(out_dim) ** 2)
            split = _Plan("split", shapes, weights, scale2, cross, [half_a, half_b], rank,
                          join=(eq, shape_a, shape_b, len(out_rows)),
                          cut_dim=dim(cut + a_pass + b_pass), largest_array=peak)
    if method == "split" and split is None:
        raise ValueError(
            f"method='split': region {region!r} has no minimal cut strictly inside the bulk; "
            "use method='direct'"
        )
    if method == "direct" or split is None:
        chosen = make_direct()
    elif method == "split":
        chosen = split
    else:
        chosen = split if split.cut_dim < min(dim(rows_all), dim(cols_all)) else make_direct()
    return chosen


# -- public sampling -----------------------------------------------------------------------


class SpectrumSampler:
    """A compiled sampler of one region's spectrum: compile once, sample many.

    Usually made by :meth:`RandomTensorNetwork.compile_sampler`, which keeps it on the
    network. It fixes the tensor shapes, the link weights and an opt_einsum
    contraction order (see :meth:`RandomTensorNetwork.compile_sampler` for the
    strategies); each sample then draws the Gaussian bulk tensors and runs the
    compiled contraction. ``rho_A`` itself is never formed.

    Parameters
    ----------
    network : RandomTensorNetwork
        The network to sample.
    region : str or iterable of str
        Region name(s) forming ``A``; the rest of the boundary is the complement.
    method : {"auto", "direct", "split"}
        Contraction strategy; all give the same spectra up to rounding.

    Raises
    ------
    ValueError
        For an unknown region or ``method``, or ``method="split"`` where no minimal
        cut lies strictly inside the bulk.

    Examples
    --------
    >>> from qinfo.tensor_networks import chain_network
    >>> s = SpectrumSampler(chain_network([64, 4, 64]), "A")
    >>> s.method, s.rank, s.region
    ('split', 4, ('A',))
    >>> s.spectrum(seed=0).shape
    (4,)
    """

    def __init__(self, network, region: str | Iterable[str], *, method: str = "auto") -> None:
        self._plan = compile_spectrum_sampler(network, region, method)
        self._region = (region,) if isinstance(region, str) else tuple(region)

    @property
    def method(self) -> str:
        """The contraction strategy chosen: ``"direct"`` or ``"split"``.

        ``"mixed"`` when the bulk falls into independent pieces (sampled as a tensor
        product) that use different strategies.
        """
        return self._plan.method

    @property
    def rank(self) -> int:
        """An upper bound on the number of non-zero eigenvalues (a minimal cut's Schmidt
        rank, times those of the links between boundary vertices that cross the region)."""
        return self._plan.rank * prod(c.size for c in self._plan.cross)

    @property
    def largest_array(self) -> int:
        """Entries of the largest array one sample builds (the drawn tensors included)."""
        return self._plan.largest_array

    @property
    def region(self) -> tuple[str, ...]:
        """The region names forming ``A``."""
        return self._region

    def spectrum(self, *, seed: SeedLike = None, normalize: bool = True) -> np.ndarray:
        """Non-zero eigenvalues of ``rho_A`` for one draw of the bulk tensors.

        Parameters
        ----------
        seed : None, int, SeedSequence or Generator
            Same seed, same tensors (as :meth:`RandomTensorNetwork.sample_tensors`).
        normalize : bool
            Divide by ``tr rho`` (the normalised boundary state). With ``False`` the
            spectrum is that of the unnormalised state, ``E tr rho = 1``.

        Returns
        -------
        numpy.ndarray
            Eigenvalues in decreasing order. Exact zeros are left out, and so are any
            below the numerical resolution; a :class:`RuntimeWarning` says how many
            (see :func:`spectrum_from_matrix`).

        Examples
        --------
        >>> from qinfo.tensor_networks import two_cut_network
        >>> lam = two_cut_network(8).compile_sampler("A").spectrum(seed=0)
        >>> lam.shape, round(float(lam.sum()), 12)
        ((8,), 1.0)
        """
        lam, dropped = self._plan.sample(as_generator(seed))
        _warn_dropped(dropped, 1, self.rank)
        return lam / lam.sum() if normalize else lam

    def sample(self, n_samples: int, *, seed: SeedLike = None, normalize: bool = True,
               base: float | None = None, executor=None,
               progress: bool | None = None) -> SpectrumSamples:
        """Draw ``n_samples`` independent spectra of ``rho_A``.

        Sample ``i`` uses the ``i``-th child of ``seed``, so the result does not
        depend on ``executor`` or its number of workers.

        Parameters
        ----------
        n_samples : int
            Number of independent samples (at least 1).
        seed : None, int, SeedSequence or Generator
            The seed whose children the samples use.
        normalize : bool
            As in :meth:`spectrum`.
        base : float, optional
            Logarithm base of the entropies (``None``: nats; ``2``: bits).
        executor : concurrent.futures.Executor, optional
            Where to run the samples (for example a process pool).
        progress : bool, optional
            Show a progress bar (``None``: only when stderr is a terminal).

        Returns
        -------
        SpectrumSamples

        Examples
        --------
        >>> from qinfo.tensor_networks import two_cut_network
        >>> s = two_cut_network(4).compile_sampler("A").sample(3, seed=0, base=2)
        >>> len(s), bool(all(s.von_neumann <= 2))
        (3, True)
        """
        n_samples = int(check_int("n_samples", n_samples, 1))
        _check_base(base)
        func = functools.partial(_sample_one, self._plan, normalize)
        results = parallel_map(func, spawn_seeds(seed, n_samples), executor=executor,
                               progress=progress, desc="RTN spectra")
        spectra = [lam for lam, _ in results]
        dropped = np.array([d for _, d in results], dtype=np.int64)
        _warn_dropped(int(dropped.sum()), n_samples, self.rank)
        return SpectrumSamples(spectra=spectra, region=self._region, normalize=normalize,
                               base=base, n_dropped=dropped)

    def __repr__(self) -> str:
        return (f"SpectrumSampler(region={self._region!r}, method={self.method!r}, "
                f"rank={self.rank}, largest_array={self.largest_array})")


def sample_spectrum(net, region: str | Iterable[str], *, seed: SeedLike = None,
                    normalize: bool = True, method: str = "auto") -> np.ndarray:
    """Non-zero eigenvalues of ``rho_A`` for one draw of the bulk tensors.

    The same as ``net.compile_sampler(region, method=method).spectrum(seed=seed)``.

    Parameters
    ----------
    net : RandomTensorNetwork
        The network.
    region : str or list of str
        Region name(s) forming ``A``.
    seed : None, int, SeedSequence or Generator
        Same seed, same tensors (as :meth:`RandomTensorNetwork.sample_tensors`).
    normalize : bool
        Divide by ``tr rho`` (the normalised boundary state). With ``False`` the
        spectrum is that of the unnormalised state, ``E tr rho = 1``.
    method : {"auto", "direct", "split"}
        Contraction strategy; all give the same spectrum up to rounding.

    Returns
    -------
    numpy.ndarray
        Eigenvalues in decreasing order. Exact zeros are left out, and so are any below
        the numerical resolution; a :class:`RuntimeWarning` says how many (see
        :func:`spectrum_from_matrix`).

    Examples
    --------
    >>> from qinfo.tensor_networks import two_cut_network
    >>> lam = sample_spectrum(two_cut_network(8), "A", seed=0)
    >>> lam.shape, round(float(lam.sum()), 12)
    ((8,), 1.0)
    """
    return net.compile_sampler(region, method=method).spectrum(seed=seed, normalize=normalize)


def _warn_dropped(dropped: int, n_samples: int, rank: int) -> None:
    if dropped:
        warnings.warn(
            f"{dropped} eigenvalue(s) in {n_samples} sample(s) were exactly zero or below the "
            f"numerical resolution (of at most {rank} per sample) and are left out",
            RuntimeWarning, stacklevel=3)


def _sample_one(plan: _Plan, normalize: bool,
                seed: np.random.SeedSequence) -> tuple[np.ndarray, int]:
    lam, dropped = plan.sample(np.random.default_rng(seed))
    return (lam / lam.sum() if normalize else lam), dropped


def sample_spectra(net, region: str | Iterable[str], n_samples: int, *, seed: SeedLike = None,
                   normalize: bool = True, method: str = "auto", base: float | None = None,
                   executor=None, progress: bool | None = None) -> SpectrumSamples:
    """Draw ``n_samples`` independent spectra of ``rho_A``.

    The same as ``net.compile_sampler(region, method=method).sample(n_samples, ...)``.
    Sample ``i`` uses the ``i``-th child of ``seed``, so the result does not
    depend on ``executor`` or its number of workers.

    Parameters
    ----------
    net : RandomTensorNetwork
        The network.
    region : str or list of str
        Region name(s) forming ``A``.
    n_samples : int
        Number of independent samples (at least 1).
    seed : None, int, SeedSequence or Generator
        The seed whose children the samples use.
    normalize : bool
        As in :func:`sample_spectrum`.
    method : {"auto", "direct", "split"}
        As in :func:`sample_spectrum`.
    base : float, optional
        Logarithm base of the entropies (``None``: nats; ``2``: bits).
    executor : concurrent.futures.Executor, optional
        Where to run the samples (for example a process pool).
    progress : bool, optional
        Show a progress bar (``None``: only when stderr is a terminal).

    Returns
    -------
    SpectrumSamples

    Examples
    --------
    >>> from qinfo.tensor_networks import two_cut_network
    >>> s = sample_spectra(two_cut_network(4), "A", 3, seed=0, base=2)
    >>> len(s.spectra), bool(all(s.von_neumann <= 2))
    (3, True)
    """
    sampler = net.compile_sampler(region, method=method)
    return sampler.sample(n_samples, seed=seed, normalize=normalize, base=base,
                          executor=executor, progress=progress)


# -- results -------------------------------------------------------------------------------


def _check_base(base: float | None) -> None:
    if base is not None and (not np.isscalar(base) or not base > 0 or base == 1):
        raise ValueError(f"base must be None (nats) or a positive number other than 1, got {base!r}")


def entropy(spectrum: np.ndarray, alpha: float = 1.0, *, base: float | None = None) -> float:
    """Von Neumann (``alpha=1``) or Renyi-``alpha`` entropy of a spectrum.

    The spectrum is divided by its sum first (entropy of the normalised state).
    Nats unless ``base`` is given.

    Parameters
    ----------
    spectrum : array_like
        Non-negative eigenvalues (not all zero).
    alpha : float
        The Renyi order (``>= 0`` or ``inf``; 1 is the von Neumann entropy).
    base : float, optional
        Logarithm base (``None``: nats; ``2``: bits).

    Returns
    -------
    float

    Examples
    --------
    >>> round(entropy(np.full(4, 0.25), base=2), 12)
    2.0
    >>> round(entropy(np.array([0.5, 0.5]), alpha=2), 6)
    0.693147
    """
    _check_base(base)
    p = np.asarray(spectrum, dtype=float)
    if p.ndim != 1 or p.size == 0 or np.any(p < 0) or p.sum() <= 0:
        raise ValueError("spectrum must be a non-empty 1-d array of non-negative numbers")
    p = p / p.sum()
    p = p[p > 0]
    if alpha == 1:
        s = float(-np.sum(p * np.log(p)))
    elif alpha == np.inf:
        s = float(-np.log(p.max()))
    elif alpha >= 0:
        s = float(np.log(np.sum(p**alpha)) / (1 - alpha))
    else:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    return float(s / np.log(base)) if base is not None else s


@dataclass
class SpectrumSamples:
    """Spectra of ``rho_A`` from :func:`sample_spectra` (or :meth:`SpectrumSampler.sample`).

    Parameters
    ----------
    spectra : list of numpy.ndarray
        One decreasing eigenvalue array per sample.
    region : tuple of str
        The region names forming ``A``.
    normalize : bool
        Whether each spectrum is that of the normalised state.
    base : float or None
        Logarithm base of the entropies (``None``: nats).
    n_dropped : numpy.ndarray of int or None
        Per sample, how many eigenvalues (of at most the minimal cut's dimension) were
        exactly zero or below the numerical resolution and are not in ``spectra``.

    Examples
    --------
    >>> s = SpectrumSamples([np.array([0.5, 0.5]), np.array([0.75, 0.25])], region=("A",), base=2)
    >>> len(s), s.von_neumann.round(4), s.pooled()
    (2, array([1.    , 0.8113]), array([0.5 , 0.5 , 0.75, 0.25]))
    """

    spectra: list[np.ndarray]
    region: tuple[str, ...]
    normalize: bool = True
    base: float | None = None
    n_dropped: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.spectra)

    @property
    def von_neumann(self) -> np.ndarray:
        """Von Neumann entropy of each sample (of the normalised state)."""
        return self.renyi(1.0)

    def renyi(self, alpha: float) -> np.ndarray:
        """Renyi-``alpha`` entropy of each sample (``alpha=1``: von Neumann), in :attr:`base`.

        Parameters
        ----------
        alpha : float
            The Renyi order (``>= 0`` or ``inf``).

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> SpectrumSamples([np.array([0.5, 0.5]), np.array([0.5, 0.25, 0.25])], region=("A",),
        ...                 base=2).renyi(np.inf)
        array([1., 1.])
        """
        return np.array([entropy(s, alpha, base=self.base) for s in self.spectra])

    def moments(self, n: int) -> np.ndarray:
        """``tr rho_A^n`` of each sample (of the stored, possibly unnormalised, spectra).

        Parameters
        ----------
        n : int
            The power.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> SpectrumSamples([np.array([0.5, 0.5]), np.array([1.0])], region=("A",)).moments(2)
        array([0.5, 1. ])
        """
        return np.array([np.sum(s**n) for s in self.spectra])

    def pooled(self) -> np.ndarray:
        """All eigenvalues of all samples in one array.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> SpectrumSamples([np.array([0.5, 0.5]), np.array([1.0])], region=("A",)).pooled()
        array([0.5, 0.5, 1. ])
        """
        return np.concatenate(self.spectra)
