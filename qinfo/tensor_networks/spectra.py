"""Sampling boundary entanglement spectra of random tensor networks.

Compile once, sample many: for a network and a region, :func:`compile_sampler`
fixes the tensor shapes, the link weights and an opt_einsum contraction order;
each sample then draws the Gaussian tensors and runs the compiled contraction.

Two contraction strategies share that machinery (``method=``):

``"direct"``
    contract the whole network into the matrix ``M`` from the region's legs to
    the other boundary legs and diagonalise the Gram matrix of its smaller side;
``"split"``
    cut the network at a minimal cut ``gamma``, contract each half into a matrix
    from its boundary legs to the cut, replace a half by its triangular QR factor
    when that is smaller, and diagonalise the (at most ``D_gamma``-sized) product.

``"auto"`` (the default) splits when the minimal cut is smaller than both sides.
``rho_A`` itself is never formed.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import prod
from typing import Any

import numpy as np
import opt_einsum as oe
import scipy.linalg as sla

from qinfo._parallel import parallel_map
from qinfo._random import SeedLike, as_generator, spawn_seeds

__all__ = [
    "SpectrumSamples",
    "sample_spectrum",
    "sample_spectra",
    "compile_sampler",
    "spectrum_from_matrix",
    "entropy",
]

_METHODS = ("auto", "direct", "split")


# -- drawing tensors ----------------------------------------------------------------------


def _incident(net) -> list[list[int]]:
    """Edge indices at each bulk vertex, in edge order (cached on the network)."""
    if "incident" not in net._compiled:
        pos = {x: k for k, x in enumerate(net.bulk)}
        inc: list[list[int]] = [[] for _ in net.bulk]
        for i, (u, v) in enumerate(net.edges):
            for w in (u, v):
                if w in pos:
                    inc[pos[w]].append(i)
        net._compiled["incident"] = inc
    return net._compiled["incident"]


def _draw_raw(shapes: list[tuple[int, ...]], rng: np.random.Generator) -> list[np.ndarray]:
    """Complex arrays with entries N(0,1) + i N(0,1) (no 1/sqrt 2), one per shape."""
    out = []
    for shape in shapes:
        n = prod(shape)
        out.append(rng.standard_normal(2 * n).view(np.complex128).reshape(shape))
    return out


def draw_tensors(net, rng: np.random.Generator) -> list[np.ndarray]:
    """Bulk tensors with entries (N(0,1) + i N(0,1)) / sqrt 2, in :attr:`bulk` order."""
    shapes = [tuple(net._dims[i] for i in inc) for inc in _incident(net)]
    return [t / np.sqrt(2) for t in _draw_raw(shapes, rng)]


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


@dataclass
class _Half:
    """One contraction producing a matrix (rows x cols) from some bulk tensors."""

    tensors: list[int]  # positions in net.bulk
    eq: str
    rows: str
    cols: str
    row_dim: int
    col_dim: int
    shapes: list[tuple[int, ...]]
    compress: bool = False
    _expr: Any = field(default=None, repr=False, compare=False)

    def matrix(self, tensors: list[np.ndarray]) -> np.ndarray:
        if self._expr is None:
            self._expr = oe.contract_expression(self.eq, *self.shapes, optimize="auto")
        m = self._expr(*(tensors[k] for k in self.tensors))
        return m.reshape(self.row_dim, self.col_dim)

    def __getstate__(self):
        return {**self.__dict__, "_expr": None}


@dataclass
class Sampler:
    """A compiled spectrum sampler for one network and region (see :func:`compile_sampler`).

    Calling it with a Generator returns the unnormalised non-zero spectrum of
    ``rho_A`` for one draw of the bulk tensors.
    """

    method: str
    shapes: list[tuple[int, ...]]
    weights: list[tuple[int, int, np.ndarray]]  # (tensor, axis, sqrt(lambda))
    scale2: float
    cross: list[np.ndarray]
    halves: list[_Half]
    join: tuple[str, tuple[int, ...], tuple[int, ...], int] | None = None
    cut_dim: int | None = None
    _join_expr: Any = field(default=None, repr=False, compare=False)

    def tensors(self, rng: np.random.Generator) -> list[np.ndarray]:
        tensors = _draw_raw(self.shapes, rng)
        for k, axis, w in self.weights:
            shape = [1] * tensors[k].ndim
            shape[axis] = w.size
            tensors[k] *= w.reshape(shape)
        return tensors

    def matrix(self, tensors: list[np.ndarray]) -> np.ndarray:
        """The (possibly compressed) matrix whose squared singular values are the spectrum."""
        if self.method == "direct":
            return self.halves[0].matrix(tensors)
        mats = []
        for half in self.halves:
            m = half.matrix(tensors)
            if half.compress:
                m = np.triu(sla.qr(m, mode="r", overwrite_a=True, check_finite=False)[0][: m.shape[1]])
            mats.append(m)
        eq, shape_a, shape_b, n_row_axes = self.join
        a = mats[0].reshape((mats[0].shape[0],) + shape_a)
        b = mats[1].reshape((mats[1].shape[0],) + shape_b)
        if self._join_expr is None:
            self._join_expr = oe.contract_expression(eq, a.shape, b.shape, optimize="auto")
        out = self._join_expr(a, b)
        return out.reshape(prod(out.shape[:n_row_axes]), -1)

    def __call__(self, rng: np.random.Generator) -> np.ndarray:
        lam = spectrum_from_matrix(self.matrix(self.tensors(rng))) * self.scale2
        for c in self.cross:
            lam = np.sort(np.multiply.outer(lam, c).ravel())[::-1]
        return lam

    def __getstate__(self):
        return {**self.__dict__, "_join_expr": None}


def spectrum_from_matrix(m: np.ndarray) -> np.ndarray:
    """Non-zero eigenvalues of ``m m^dagger``, from the Gram matrix of the smaller side.

    Eigenvalues at or below ``max(shape) * eps * largest`` (numerically zero, the
    rank deficiency of ``m``) are left out; the rest are returned in decreasing order.

    Examples
    --------
    >>> m = np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]]) + 0j
    >>> spectrum_from_matrix(m)
    array([4., 1.])
    """
    m = np.asarray(m)
    if m.ndim != 2:
        raise ValueError(f"m must be a matrix, got shape {m.shape}")
    if m.size == 0:
        return np.zeros(0)
    if not np.iscomplexobj(m):
        m = m.astype(np.complex128)
    rows, cols = m.shape
    # BLAS herk on the Fortran view: conj(m m^H) if rows <= cols, else m^H m.
    if rows <= cols:
        gram = sla.blas.zherk(1.0, m.T, trans=2, lower=0)
    else:
        gram = sla.blas.zherk(1.0, m.T, trans=0, lower=0)
    lam = sla.eigvalsh(gram, lower=False, overwrite_a=True, check_finite=False)[::-1]
    tol = max(rows, cols) * np.finfo(float).eps * max(lam[0], 0.0)
    return np.ascontiguousarray(lam[lam > tol])


def compile_sampler(net, region: str | Iterable[str], *, method: str = "auto") -> Sampler:
    """Fix shapes, weights and contraction order for sampling ``rho_region``.

    The result is cached on the network, so compiling twice is free.

    Parameters
    ----------
    net : RandomTensorNetwork
    region : str or list of str
        Region name(s) forming ``A``; the rest of the boundary is the complement.
    method : {"auto", "direct", "split"}
        Contraction strategy (see the module docstring). ``"auto"`` splits at a
        minimal cut when its dimension is below both sides' dimensions.

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> g = nx.path_graph(["a", "x", "y", "b"])
    >>> net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim={("a", "x"): 64,
    ...                           ("x", "y"): 4, ("y", "b"): 64})
    >>> compile_sampler(net, "A").method
    'split'
    >>> compile_sampler(net, "A", method="direct").method
    'direct'
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    a_vertices = net.region_vertices(region)
    key = ("sampler", a_vertices, method)
    if key in net._compiled:
        return net._compiled[key]
    b_vertices = net.boundary - a_vertices
    inc = _incident(net)
    pos = {x: k for k, x in enumerate(net.bulk)}
    shapes = [tuple(net._dims[i] for i in edges) for edges in inc]
    sym = [oe.get_symbol(i) for i in range(len(net.edges))]
    inds = ["".join(sym[i] for i in edges) for edges in inc]

    weights: list[tuple[int, int, np.ndarray]] = []
    scale2 = 0.5 ** len(net.bulk)
    cross: list[np.ndarray] = []
    for i, (u, v) in enumerate(net.edges):
        bulk_end = u if u in pos else v if v in pos else None
        if bulk_end is None:  # boundary-boundary link
            if (u in a_vertices) != (v in a_vertices):
                cross.append(net.link_spectrum((u, v)))
            continue
        k = pos[bulk_end]
        if net._spectra[i] is None:
            scale2 /= net._dims[i]
        else:
            weights.append((k, inc[k].index(i), np.sqrt(net._spectra[i])))

    def legs(side: frozenset, tensors: set[int]) -> list[int]:
        return [i for i, (u, v) in enumerate(net.edges)
                if (u in side and pos.get(v) in tensors) or (v in side and pos.get(u) in tensors)]

    everything = set(range(len(net.bulk)))
    rows_all, cols_all = legs(a_vertices, everything), legs(b_vertices, everything)
    dim = lambda edges: prod(net._dims[i] for i in edges)  # noqa: E731

    def make_half(tensors: set[int], rows: list[int], cols: list[int]) -> _Half:
        order = sorted(tensors)
        r, c = "".join(sym[i] for i in rows), "".join(sym[i] for i in cols)
        return _Half(order, ",".join(inds[k] for k in order) + "->" + r + c, r, c,
                     dim(rows), dim(cols), [shapes[k] for k in order],
                     compress=dim(rows) > dim(cols))

    direct = Sampler("direct", shapes, weights, scale2, cross,
                     [make_half(everything, rows_all, cols_all)])
    split = None
    if method in ("auto", "split") and b_vertices:
        from qinfo.tensor_networks.cuts import _min_cut_side

        w_side = {pos[x] for x in _min_cut_side(net, a_vertices) if x in pos}
        if w_side and w_side != everything:
            rest = everything - w_side
            cut = [i for i, (u, v) in enumerate(net.edges)
                   if (pos.get(u) in w_side and pos.get(v) in rest)
                   or (pos.get(v) in w_side and pos.get(u) in rest)]
            a_rows, a_pass = legs(a_vertices, w_side), legs(a_vertices, rest)
            b_cols, b_pass = legs(b_vertices, rest), legs(b_vertices, w_side)
            half_a = make_half(w_side, a_rows, cut + b_pass)
            half_b = make_half(rest, b_cols, cut + a_pass)
            # fresh symbols for the row index of a QR-compressed half
            ra = oe.get_symbol(len(net.edges)) if half_a.compress else half_a.rows
            rb = oe.get_symbol(len(net.edges) + 1) if half_b.compress else half_b.rows
            ca = "".join(sym[i] for i in cut + b_pass)
            cb = "".join(sym[i] for i in cut + a_pass)
            out_rows = ra + "".join(sym[i] for i in a_pass)
            out_cols = rb + "".join(sym[i] for i in b_pass)
            eq = f"{ra}{ca},{rb}{cb}->{out_rows}{out_cols}"
            shape_a = tuple(net._dims[i] for i in cut + b_pass)
            shape_b = tuple(net._dims[i] for i in cut + a_pass)
            split = Sampler("split", shapes, weights, scale2, cross, [half_a, half_b],
                            join=(eq, shape_a, shape_b, len(out_rows)),
                            cut_dim=dim(cut + a_pass + b_pass))
    if method == "split" and split is None:
        raise ValueError(
            f"region {region!r} has no minimal cut strictly inside the bulk; use method='direct'"
        )
    if method == "direct" or split is None:
        chosen = direct
    elif method == "split":
        chosen = split
    else:
        chosen = split if split.cut_dim < min(dim(rows_all), dim(cols_all)) else direct
    net._compiled[key] = chosen
    return chosen


# -- public sampling -----------------------------------------------------------------------


def sample_spectrum(net, region: str | Iterable[str], seed: SeedLike = None, *,
                    normalize: bool = True, method: str = "auto") -> np.ndarray:
    """Non-zero eigenvalues of ``rho_A`` for one draw of the bulk tensors.

    Parameters
    ----------
    net : RandomTensorNetwork
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
        Eigenvalues in decreasing order, numerically zero ones left out.

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), {"A": ["a"], "B": ["b"]}, bond_dim=8)
    >>> lam = sample_spectrum(net, "A", seed=0)
    >>> lam.shape, round(float(lam.sum()), 12)
    ((8,), 1.0)
    """
    sampler = compile_sampler(net, region, method=method)
    lam = sampler(as_generator(seed))
    return lam / lam.sum() if normalize else lam


def _sample_one(sampler: Sampler, normalize: bool, seed: np.random.SeedSequence) -> np.ndarray:
    lam = sampler(np.random.default_rng(seed))
    return lam / lam.sum() if normalize else lam


def sample_spectra(net, region: str | Iterable[str], n_samples: int, seed: SeedLike = None, *,
                   normalize: bool = True, method: str = "auto", base: float | None = None,
                   executor=None, progress: bool = True) -> SpectrumSamples:
    """Draw ``n_samples`` independent spectra of ``rho_A``.

    Sample ``i`` uses the ``i``-th child of ``seed``, so the result does not
    depend on ``executor`` or its number of workers.

    Parameters
    ----------
    net : RandomTensorNetwork
    region : str or list of str
    n_samples : int
    seed : None, int, SeedSequence or Generator
    normalize, method
        As in :func:`sample_spectrum`.
    base : float, optional
        Logarithm base of the entropies (``None``: nats; ``2``: bits).
    executor : concurrent.futures.Executor, optional
    progress : bool

    Returns
    -------
    SpectrumSamples

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), {"A": ["a"], "B": ["b"]}, bond_dim=4)
    >>> s = sample_spectra(net, "A", 3, seed=0, progress=False, base=2)
    >>> len(s.spectra), bool(all(s.von_neumann <= 2))
    (3, True)
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, got {n_samples!r}")
    _check_base(base)
    sampler = compile_sampler(net, region, method=method)
    func = functools.partial(_sample_one, sampler, normalize)
    spectra = parallel_map(func, spawn_seeds(seed, int(n_samples)), executor=executor,
                           progress=progress, desc="RTN spectra")
    names = [region] if isinstance(region, str) else list(region)
    return SpectrumSamples(spectra=spectra, region=tuple(names), normalize=normalize, base=base)


# -- results -------------------------------------------------------------------------------


def _check_base(base: float | None) -> None:
    if base is not None and (not np.isscalar(base) or not base > 0 or base == 1):
        raise ValueError(f"base must be None (nats) or a positive number other than 1, got {base!r}")


def entropy(spectrum: np.ndarray, alpha: float = 1.0, *, base: float | None = None) -> float:
    """Von Neumann (``alpha=1``) or Renyi-``alpha`` entropy of a spectrum.

    The spectrum is divided by its sum first (entropy of the normalised state).
    Nats unless ``base`` is given.

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
    """Spectra of ``rho_A`` from :func:`sample_spectra`.

    Attributes
    ----------
    spectra : list of numpy.ndarray
        One decreasing eigenvalue array per sample.
    region : tuple of str
    normalize : bool
        Whether each spectrum is that of the normalised state.
    base : float or None
        Logarithm base of the entropies (``None``: nats).
    """

    spectra: list[np.ndarray]
    region: tuple[str, ...]
    normalize: bool = True
    base: float | None = None

    def __len__(self) -> int:
        return len(self.spectra)

    @property
    def von_neumann(self) -> np.ndarray:
        """Von Neumann entropy of each sample (of the normalised state)."""
        return self.renyi(1.0)

    def renyi(self, alpha: float) -> np.ndarray:
        """Renyi-``alpha`` entropy of each sample (``alpha=1``: von Neumann)."""
        return np.array([entropy(s, alpha, base=self.base) for s in self.spectra])

    def moments(self, n: int) -> np.ndarray:
        """``tr rho_A^n`` of each sample (of the stored, possibly unnormalised, spectra)."""
        return np.array([np.sum(s**n) for s in self.spectra])

    def pooled(self) -> np.ndarray:
        """All eigenvalues of all samples in one array."""
        return np.concatenate(self.spectra)
