"""Free-probability predictions for random tensor network spectra.

Conventions. A spectral law here is a probability measure on ``[0, inf)`` in the
*rescaled* variable ``x = D * lambda``, where ``D`` is the number of eigenvalues
(for a link spectrum ``lambda_e`` of length ``D_e`` the law of ``D_e lambda_{e,i}``
has mean 1). Entropies are in nats unless ``base`` is given.

Contents:

- :class:`MarchenkoPastur` -- the law ``pi_c`` of ``X X^dagger`` for an ``N x M``
  Gaussian ``X`` with entry variance ``1/M``, ``c = N/M``: density, CDF, moments,
  sampling, Cauchy transform;
- :class:`AtomicMeasure` -- a discrete law (link spectra are discrete);
- :func:`free_multiplicative_convolution` -- the density of ``mu_1 [x] ... [x] mu_k``
  on a grid, by subordination (see below);
- :func:`noncrossing_moments` -- moments of the same product as sums over
  non-crossing partitions (free cumulants times Kreweras complements);
- :func:`replica_moment` -- the exact finite-``D`` replica sum for ``E tr rho_A^n``;
- :func:`predict_spectrum`, :func:`predict_entropy` -- the predictions for a
  network and region, from its minimal cuts.

Free multiplicative convolution by subordination. With ``psi_mu(z) = int zt/(1-zt)
dmu(t)``, ``eta = psi/(1+psi)`` and ``h_mu(w) = eta_mu(w)/w``, the law
``nu = mu_1 [x] ... [x] mu_k`` satisfies ``eta_nu(z) = eta_{mu_i}(omega_i(z))`` for
subordination functions with ``omega_i = z prod_{j != i} h_{mu_j}(omega_j)`` (the
``k = 2`` case is Belinschi and Bercovici, Math. Z. 248 (2004); the ``k``-fold form
follows from the multiplicativity of the S-transform). We solve this system at
``z = 1/(x + i eps)`` by fixed-point iteration far from the axis and Newton
continuation towards it, and read the density off ``G_nu(zeta) = (1 + psi_nu(1/zeta))
/ zeta``. Atomic factors enter through finite sums, so link spectra are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import permutations, product
from math import comb, prod
from typing import Any

import numpy as np

from qinfo._random import SeedLike, as_generator

__all__ = [
    "MarchenkoPastur",
    "AtomicMeasure",
    "free_multiplicative_convolution",
    "noncrossing_partitions",
    "noncrossing_moments",
    "free_cumulants",
    "replica_moment",
    "SpectrumPrediction",
    "predict_spectrum",
    "predict_entropy",
    "min_entropy_estimate",
]


# -- laws --------------------------------------------------------------------------------


class _Law:
    """What the convolution needs from a factor: ``eta`` and its derivative."""

    def psi_and_derivative(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def moments(self, n: int) -> np.ndarray:
        raise NotImplementedError

    def upper_edge(self) -> float:
        raise NotImplementedError


@dataclass(frozen=True)
class MarchenkoPastur(_Law):
    """The Marchenko-Pastur law ``pi_c`` with ratio ``c > 0`` (mean 1, variance ``c``).

    The eigenvalue law of ``X X^dagger`` for an ``N x M`` matrix of i.i.d. entries with
    variance ``1/M`` and ``c = N/M``: density ``sqrt((b-x)(x-a)) / (2 pi c x)`` on
    ``[a, b] = [(1 - sqrt c)^2, (1 + sqrt c)^2]`` plus an atom ``1 - 1/c`` at 0 when
    ``c > 1``. Its moments are Narayana polynomials; ``pi_1`` has Catalan moments.

    Examples
    --------
    >>> mp = MarchenkoPastur(1.0)
    >>> mp.moments(4)
    array([ 1.,  2.,  5., 14.])
    >>> float(mp.cdf(4.0)), round(float(mp.pdf(1.0)), 6)
    (1.0, 0.275664)
    >>> MarchenkoPastur(2.0).atom
    0.5
    """

    ratio: float

    def __post_init__(self):
        c = self.ratio
        if isinstance(c, bool) or not np.isscalar(c) or not np.isfinite(c) or c <= 0:
            raise ValueError(f"ratio must be a positive finite number, got {c!r}")

    @property
    def support(self) -> tuple[float, float]:
        """Edges ``(a, b)`` of the continuous part."""
        s = np.sqrt(self.ratio)
        return float((1 - s) ** 2), float((1 + s) ** 2)

    @property
    def atom(self) -> float:
        """Mass of the atom at 0 (``max(0, 1 - 1/c)``)."""
        return max(0.0, 1.0 - 1.0 / self.ratio)

    def upper_edge(self) -> float:
        return self.support[1]

    def pdf(self, x: Any) -> np.ndarray:
        """Density of the continuous part."""
        x = np.asarray(x, dtype=float)
        a, b = self.support
        inside = (x > a) & (x < b) & (x > 0)
        xs = np.where(inside, x, 1.0)
        out = np.sqrt(np.clip((b - xs) * (xs - a), 0, None)) / (2 * np.pi * self.ratio * xs)
        return np.where(inside, out, 0.0)

    def _theta_grid(self, n: int = 4097):
        """x(theta) = m - r cos(theta) and the CDF of the continuous part there (midpoint rule)."""
        a, b = self.support
        m, r = (a + b) / 2, (b - a) / 2
        theta = np.linspace(0.0, np.pi, n)
        mid = (theta[1:] + theta[:-1]) / 2
        f = (r * np.sin(mid)) ** 2 / (2 * np.pi * self.ratio * (m - r * np.cos(mid)))
        cum = np.concatenate([[0.0], np.cumsum(f * np.diff(theta))])
        return m - r * np.cos(theta), cum

    def cdf(self, x: Any) -> np.ndarray:
        """Cumulative distribution function (atom included)."""
        xs, cum = self._theta_grid()
        x = np.asarray(x, dtype=float)
        out = self.atom * (x >= 0) + np.interp(x, xs, cum, left=0.0, right=1 - self.atom)
        return np.clip(out, 0.0, 1.0)

    def moments(self, n: int) -> np.ndarray:
        """Moments ``E x^k`` for ``k = 1..n`` (Narayana polynomials in ``c``)."""
        c = float(self.ratio)
        return np.array([sum(comb(k, j) * comb(k, j - 1) / k * c ** (j - 1) for j in range(1, k + 1))
                         for k in range(1, n + 1)])

    def sample(self, size: int, seed: SeedLike = None) -> np.ndarray:
        """Independent draws from ``pi_c`` (inverse CDF; the atom at 0 included)."""
        rng = as_generator(seed)
        u = rng.random(size)
        xs, cum = self._theta_grid()
        cont = np.interp((u - self.atom) / (1 - self.atom) * cum[-1], cum, xs)
        return np.where(u < self.atom, 0.0, cont)

    def stieltjes(self, zeta: Any) -> np.ndarray:
        """Cauchy transform ``G(zeta) = int dpi(t) / (zeta - t)`` off the support."""
        zeta = np.asarray(zeta, dtype=complex)
        a, b = self.support
        c = self.ratio
        root = np.sqrt(zeta - a) * np.sqrt(zeta - b)  # the branch ~ zeta at infinity
        return (zeta + c - 1 - root) / (2 * c * zeta)

    def psi_and_derivative(self, w):
        zeta = 1 / np.asarray(w, dtype=complex)
        a, b = self.support
        c = self.ratio
        root = np.sqrt(zeta - a) * np.sqrt(zeta - b)
        g = (zeta + c - 1 - root) / (2 * c * zeta)
        droot = (2 * zeta - a - b) / (2 * root)
        dg = ((1 - droot) * zeta - (zeta + c - 1 - root)) / (2 * c * zeta**2)
        return g * zeta - 1, -(dg * zeta**3 + g * zeta**2)


@dataclass(frozen=True)
class AtomicMeasure(_Law):
    """A discrete law ``sum_i p_i delta_{t_i}`` (equal weights if ``weights`` is None).

    Repeated atoms are merged, so a link spectrum with few distinct values is cheap.

    Examples
    --------
    >>> mu = AtomicMeasure.from_spectrum([0.5, 0.25, 0.25])   # law of D * lambda
    >>> mu.atoms, mu.weights
    (array([0.75, 1.5 ]), array([0.6667, 0.3333]))
    >>> mu.moments(2)
    array([1.   , 1.125])
    """

    atoms: np.ndarray
    weights: np.ndarray = field(default=None)

    def __post_init__(self):
        t = np.asarray(self.atoms, dtype=float).ravel()
        p = np.full(t.size, 1.0 / max(t.size, 1)) if self.weights is None else np.asarray(
            self.weights, dtype=float).ravel()
        if t.size == 0 or p.shape != t.shape:
            raise ValueError("atoms must be non-empty and weights must match them in length")
        if np.any(t < 0) or not np.all(np.isfinite(t)):
            raise ValueError("atoms must be finite and non-negative")
        if np.any(p < 0) or abs(p.sum() - 1) > 1e-9:
            raise ValueError(f"weights must be non-negative and sum to 1, got sum {p.sum():.12g}")
        u, inv = np.unique(t, return_inverse=True)
        object.__setattr__(self, "atoms", u)
        object.__setattr__(self, "weights", np.bincount(inv, weights=p, minlength=u.size))

    @classmethod
    def from_spectrum(cls, spectrum: Any) -> AtomicMeasure:
        """The law of ``D * lambda_i`` for a spectrum ``lambda`` of length ``D`` (mean 1)."""
        lam = _check_spectrum(spectrum)
        return cls(lam * lam.size)

    def upper_edge(self) -> float:
        return float(self.atoms.max())

    def moments(self, n: int) -> np.ndarray:
        return np.array([np.dot(self.weights, self.atoms**k) for k in range(1, n + 1)])

    def cdf(self, x: Any) -> np.ndarray:
        cum = np.cumsum(self.weights)
        idx = np.searchsorted(self.atoms, np.asarray(x, dtype=float), side="right")
        return np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0)

    def psi_and_derivative(self, w):
        w = np.asarray(w, dtype=complex)[..., None]
        r = 1.0 / (1.0 - w * self.atoms)
        psi = r @ self.weights.astype(complex) - self.weights.sum()
        dpsi = (r * r) @ (self.atoms * self.weights).astype(complex)  # complex BLAS, not a loop
        return psi, dpsi


def _check_spectrum(spectrum: Any) -> np.ndarray:
    lam = np.asarray(spectrum, dtype=float).ravel()
    if lam.size == 0 or np.any(lam < 0) or abs(lam.sum() - 1) > 1e-8:
        raise ValueError("a spectrum must be non-empty, non-negative and sum to 1")
    return lam


def _as_law(x: Any) -> _Law:
    if isinstance(x, _Law):
        return x
    return AtomicMeasure.from_spectrum(x)


# -- free multiplicative convolution -------------------------------------------------------


def _h_and_derivative(law: _Law, w: np.ndarray):
    psi, dpsi = law.psi_and_derivative(w)
    eta = psi / (1 + psi)
    deta = dpsi / (1 + psi) ** 2
    return eta / w, (deta * w - eta) / w**2, eta


def _solve_subordination(laws: Sequence[_Law], z: np.ndarray, omega: np.ndarray | None,
                         n_fixed: int, n_newton: int) -> np.ndarray:
    """omega[i] = z prod_{j != i} h_j(omega[j]); omega has shape (k, len(z))."""
    k = len(laws)
    if omega is None:
        omega = np.tile(z, (k, 1)).astype(complex)
    for _ in range(n_fixed):
        old = omega.copy()
        for i in range(k):
            hs = [(_h_and_derivative(laws[j], omega[j])[0]) for j in range(k) if j != i]
            omega[i] = z * prod(hs)
        if np.max(np.abs(omega - old) / np.abs(omega)) < 1e-6:
            break
    for _ in range(n_newton):
        hs, dhs = zip(*[(_h_and_derivative(law, omega[j])[:2]) for j, law in enumerate(laws)])
        hs, dhs = np.array(hs), np.array(dhs)
        resid = np.empty_like(omega)
        jac = np.zeros((z.size, k, k), dtype=complex)
        for i in range(k):
            others = [j for j in range(k) if j != i]
            resid[i] = omega[i] - z * np.prod(hs[others], axis=0)
            jac[:, i, i] = 1.0
            for j in others:
                rest = [m for m in others if m != j]
                jac[:, i, j] = -z * np.prod(hs[rest], axis=0) * dhs[j]
        step = np.linalg.solve(jac, resid.T[..., None])[..., 0].T
        bad = ~np.isfinite(step)
        step[bad] = 0
        omega = omega - step
        if np.max(np.abs(step) / np.maximum(np.abs(omega), 1e-300)) < 1e-11:
            break
    return omega


def _stieltjes_of_product(laws: Sequence[_Law], zeta: np.ndarray, eps_path: Sequence[float]):
    """G_nu at zeta + i*eps for the last eps in eps_path (continuation from the first)."""
    omega = None
    g = None
    for stage, eps in enumerate(eps_path):
        z = 1.0 / (zeta + 1j * eps)
        omega = _solve_subordination(laws, z, omega, n_fixed=200 if stage == 0 else 0,
                                     n_newton=30)
        eta = _h_and_derivative(laws[0], omega[0])[2]
        psi = eta / (1 - eta)
        g = (1 + psi) * z
    return g


def free_multiplicative_convolution(factors: Iterable[Any], x: Any, *,
                                    eps: float = 1e-9) -> np.ndarray:
    """Density of the free multiplicative convolution of ``factors`` on the grid ``x``.

    Parameters
    ----------
    factors : iterable
        Each a :class:`MarchenkoPastur`, an :class:`AtomicMeasure`, or a spectrum
        (non-negative, summing to 1; taken as the law of ``D * lambda``).
    x : array_like
        Points (``> 0``) where the density is evaluated.
    eps : float
        Distance from the real axis, relative to the largest factor edge, at which
        the Cauchy transform is evaluated (the density is that of ``nu``
        convolved with a Cauchy kernel of this width).

    Returns
    -------
    numpy.ndarray
        The density of the absolutely continuous part at ``x``. If every factor has
        an atom at 0 the product has one too (of the largest such mass); it is not
        part of the returned density.

    Examples
    --------
    The square of a free Poisson law: ``pi_1 [x] pi_1`` (moments Fuss-Catalan).

    >>> x = np.linspace(1e-3, 6.75, 20000)
    >>> p = free_multiplicative_convolution([MarchenkoPastur(1), MarchenkoPastur(1)], x)
    >>> round(float(np.trapezoid(x * x * p, x)), 2)   # second moment 3
    3.0
    """
    laws = [_as_law(f) for f in factors]
    if not laws:
        raise ValueError("factors must contain at least one law")
    x = np.asarray(x, dtype=float)
    if np.any(x <= 0):
        raise ValueError("x must be positive (the atom at 0 is not a density)")
    if len(laws) == 1 and isinstance(laws[0], MarchenkoPastur):
        return laws[0].pdf(x)
    scale = prod(law.upper_edge() for law in laws)
    path = [scale * e for e in (1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, eps)]
    path = [p for p in path if p >= eps * scale]
    g = _stieltjes_of_product(laws, x.ravel(), path)
    return (-g.imag / np.pi).reshape(x.shape)


# -- non-crossing moments ------------------------------------------------------------------


@lru_cache(maxsize=None)
def noncrossing_partitions(n: int) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """All non-crossing partitions of ``0..n-1`` (Catalan-many), blocks sorted.

    Examples
    --------
    >>> len(noncrossing_partitions(4)), len(noncrossing_partitions(5))
    (14, 42)
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return tuple(tuple(sorted(p)) for p in _nc(tuple(range(n))))


def _nc(elems: tuple[int, ...]):
    if not elems:
        yield ()
        return
    first, rest = elems[0], elems[1:]
    for mask in range(2 ** len(rest)):
        chosen = [j for j in range(len(rest)) if (mask >> j) & 1]
        block = (first,) + tuple(rest[j] for j in chosen)
        cuts = [-1] + chosen + [len(rest)]
        gaps = [rest[a + 1:b] for a, b in zip(cuts[:-1], cuts[1:])]
        for parts in product(*[list(_nc(g)) for g in gaps]):
            yield (block,) + tuple(b for part in parts for b in part)


def _cycle_lengths(perm: Sequence[int]) -> list[int]:
    """Lengths of the cycles of a permutation given as ``i -> perm[i]``."""
    seen, sizes = [False] * len(perm), []
    for i in range(len(perm)):
        if not seen[i]:
            size, j = 0, i
            while not seen[j]:
                seen[j], j, size = True, perm[j], size + 1
            sizes.append(size)
    return sizes


def _kreweras_sizes(partition, n: int) -> list[int]:
    """Block sizes of the Kreweras complement: cycles of P^{-1} gamma, gamma = (0 1 .. n-1)."""
    perm = list(range(n))
    for block in partition:
        for a, b in zip(block, block[1:] + block[:1]):
            perm[a] = b
    inv = [0] * n
    for i, p in enumerate(perm):
        inv[p] = i
    return _cycle_lengths([inv[(i + 1) % n] for i in range(n)])


def free_cumulants(moments: Sequence[float]) -> np.ndarray:
    """Free cumulants ``kappa_1..kappa_n`` from moments ``m_1..m_n`` (NC moment-cumulant formula).

    Examples
    --------
    >>> free_cumulants(MarchenkoPastur(1).moments(4))   # free Poisson: all cumulants 1
    array([1., 1., 1., 1.])
    """
    m = np.asarray(moments, dtype=float)
    kappa = np.zeros(m.size)
    for n in range(1, m.size + 1):
        total = 0.0
        for p in noncrossing_partitions(n):
            if len(p) > 1:
                total += prod(kappa[len(b) - 1] for b in p)
        kappa[n - 1] = m[n - 1] - total
    return kappa


def noncrossing_moments(factors: Iterable[Any], n: int) -> np.ndarray:
    """Moments ``m_1..m_n`` of ``mu_1 [x] ... [x] mu_k`` as non-crossing sums.

    ``m_n(a b) = sum_{pi in NC(n)} kappa_pi(a) m_{K(pi)}(b)`` with ``K`` the Kreweras
    complement, applied factor by factor -- the large-``D`` limit of the replica sums.

    Parameters
    ----------
    factors : iterable
        Laws (:class:`MarchenkoPastur`, :class:`AtomicMeasure`), spectra, or arrays of
        moments wrapped as ``("moments", [m_1, m_2, ...])``.
    n : int

    Examples
    --------
    >>> noncrossing_moments([MarchenkoPastur(1), MarchenkoPastur(1)], 4)   # Fuss-Catalan
    array([ 1.,  3., 12., 55.])
    """
    seq = list(factors)
    if not seq:
        raise ValueError("factors must contain at least one law")

    def moments_of(f):
        if isinstance(f, tuple) and len(f) == 2 and f[0] == "moments":
            m = np.asarray(f[1], dtype=float)
            if m.size < n:
                raise ValueError(f"need {n} moments of a factor, got {m.size}")
            return m[:n]
        return _as_law(f).moments(n)

    m = moments_of(seq[0])
    for f in seq[1:]:
        kappa = free_cumulants(m)
        mb = np.concatenate([[1.0], moments_of(f)])
        out = np.zeros(n)
        for k in range(1, n + 1):
            for p in noncrossing_partitions(k):
                out[k - 1] += prod(kappa[len(b) - 1] for b in p) * prod(
                    mb[s] for s in _kreweras_sizes(p, k))
        m = out
    return m


# -- exact replica sums --------------------------------------------------------------------


def _cycle_count_powers(sigma, tau, tr_powers) -> float:
    """prod over cycles c of sigma^{-1} tau of tr(rho_e^{|c|})."""
    inv = [0] * len(sigma)
    for i, s in enumerate(sigma):
        inv[s] = i
    return prod(tr_powers[k] for k in _cycle_lengths([inv[t] for t in tau]))


def replica_moment(network, region: str | Iterable[str], n: int) -> float:
    """Exact ``E tr rho_A^n`` of the unnormalised boundary state, for any bond dimensions.

    Gaussian bulk tensors give ``E (|V><V|)^{(x)n} = sum_{g in S_n} P_g``, so
    ``E tr rho_A^n = sum_{g: V_bulk -> S_n} prod_{edges (x,y)} prod_{cycles c of
    g_x^{-1} g_y} tr(rho_e^{|c|})`` with ``g = (1 2 ... n)`` on ``A`` and the identity on
    the rest of the boundary. The sum is contracted as a tensor network over
    ``S_n`` labels, ``(n!)^{bulk}`` terms in all; meant for small graphs and ``n <= 4``.

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), {"A": ["a"], "B": ["b"]}, bond_dim=3)
    >>> round(replica_moment(net, "A", 2), 12)   # 2 / D for D = 3
    0.666666666667
    """
    import opt_einsum as oe

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if n > 6:
        raise ValueError(f"n = {n} is too large for the exact replica sum ((n!)^bulk terms); use n <= 6")
    a_vertices = network.region_vertices(region)
    perms = list(permutations(range(n)))
    ident = tuple(range(n))
    cyc = tuple((i + 1) % n for i in range(n))
    pos = {x: k for k, x in enumerate(network.bulk)}
    operands, inds, total = [], [], 1.0
    for u, v in network.edges:
        lam = network.link_spectrum((u, v))
        tr_powers = [float(np.sum(lam**k)) for k in range(n + 1)]

        def fixed(w):
            return cyc if w in a_vertices else ident

        if u in pos and v in pos:
            mat = np.array([[_cycle_count_powers(s, t, tr_powers) for t in perms] for s in perms])
            operands.append(mat)
            inds.append(oe.get_symbol(pos[u]) + oe.get_symbol(pos[v]))
        elif u in pos or v in pos:
            x, b = (u, v) if u in pos else (v, u)
            operands.append(np.array([_cycle_count_powers(s, fixed(b), tr_powers) for s in perms]))
            inds.append(oe.get_symbol(pos[x]))
        else:
            total *= _cycle_count_powers(fixed(u), fixed(v), tr_powers)
    for x, k in pos.items():  # isolated bulk vertices still sum over S_n
        operands.append(np.ones(len(perms)))
        inds.append(oe.get_symbol(k))
    return float(total * oe.contract(",".join(inds) + "->", *operands))


# -- predictions for a network -------------------------------------------------------------


@dataclass
class SpectrumPrediction:
    """The predicted spectrum of ``rho_A`` for a network and region.

    Attributes
    ----------
    regime : str
        ``"unique cut"``, ``"two cuts"`` or ``"cuts in series"``.
    cuts : list of Cut
        The minimal cuts the prediction is built from.
    dimension : int
        ``D``: the number of eigenvalues predicted (eigenvalue ``lambda = x / D``).
    factors : list
        The laws whose free product is the law of ``x = D lambda``.
    """

    regime: str
    cuts: list
    dimension: int
    factors: list
    n_grid: int = 1500
    _table: Any = field(default=None, repr=False)

    @property
    def is_atomic(self) -> bool:
        """True for a unique cut: the prediction is the cut's (discrete) link spectrum."""
        return len(self.factors) == 1 and isinstance(self.factors[0], AtomicMeasure)

    def _grid(self):
        if self._table is None:
            top = 1.02 * prod(f.upper_edge() for f in self.factors)
            x = np.unique(np.concatenate([np.geomspace(1e-10 * top, 0.02 * top, self.n_grid // 4),
                                          np.linspace(0.02 * top, top, self.n_grid)]))
            p = np.clip(free_multiplicative_convolution(self.factors, x), 0.0, None)
            tail = np.concatenate([np.cumsum(((p[1:] + p[:-1]) / 2 * np.diff(x))[::-1])[::-1], [0.0]])
            self._table = (x, p, tail)
        return self._table

    def pdf(self, lam: Any) -> np.ndarray:
        """Predicted density of eigenvalues ``lambda`` (normalised to 1)."""
        if self.is_atomic:
            raise ValueError("a unique minimal cut predicts a discrete spectrum; use cdf()")
        x, p, _ = self._grid()
        d = self.dimension
        return d * np.interp(d * np.asarray(lam, dtype=float), x, p, left=0.0, right=0.0)

    def cdf(self, lam: Any) -> np.ndarray:
        """Predicted fraction of eigenvalues ``<= lambda``."""
        xs = self.dimension * np.asarray(lam, dtype=float)
        if self.is_atomic:
            return self.factors[0].cdf(xs)
        x, _, tail = self._grid()
        return 1.0 - np.interp(xs, x, tail, left=tail[0], right=0.0)

    def moments(self, n: int) -> np.ndarray:
        """Large-``D`` moments of ``x = D lambda`` (non-crossing sums)."""
        return noncrossing_moments(self.factors, n)

    def entropy(self, *, base: float | None = None) -> float:
        """``log D - int x log x dnu`` (nats unless ``base``)."""
        if self.is_atomic:
            mu = self.factors[0]
            xlogx = float(np.dot(mu.weights, np.where(mu.atoms > 0, mu.atoms * np.log(
                np.where(mu.atoms > 0, mu.atoms, 1)), 0.0)))
        else:
            x, p, _ = self._grid()
            xlogx = float(np.trapezoid(x * np.log(x) * p, x))
        s = float(np.log(self.dimension) - xlogx)
        return float(s / np.log(base)) if base is not None else s


def _chain(cuts) -> bool:
    return all(a.side < b.side for a, b in zip(cuts, cuts[1:]))


def predict_spectrum(network, region: str | Iterable[str], *, cuts: Sequence[Any] | None = None,
                     n_grid: int = 1500) -> SpectrumPrediction:
    """Free-probability prediction of the spectrum of ``rho_A``.

    - a unique minimal cut ``gamma``: the cut's link spectrum ``mu_gamma``;
    - two minimal cuts: ``mu_gamma1 [x] pi_1 [x] mu_gamma2``;
    - cuts in series ``gamma_1 < ... < gamma_k``: the chained product
      ``mu_1 [x] pi_{c_1} [x] mu_2 [x] ... [x] mu_k`` with ``c_i`` the ratio of the
      smaller to the larger of consecutive cut dimensions (1 for minimal cuts; for
      unequal dimensions the formula is exact when the larger cut is maximally
      entangled). The prediction is for ``D = min_i D_i`` eigenvalues.

    Parameters
    ----------
    network : RandomTensorNetwork
    region : str or list of str
    cuts : sequence of Cut, optional
        Cuts in series to use instead of the minimal cuts (ordered from the region).
    n_grid : int
        Grid size for the density and CDF.

    Returns
    -------
    SpectrumPrediction

    Raises
    ------
    NotImplementedError
        If the minimal cuts are not nested (not a single series).

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), {"A": ["a"], "B": ["b"]}, bond_dim=64)
    >>> pred = predict_spectrum(net, "A")
    >>> pred.regime, pred.dimension
    ('two cuts', 64)
    >>> round(float(pred.entropy() - np.log(64)), 3)     # log D - 1/2
    -0.5
    """
    if cuts is None:
        cuts = network.minimal_cuts(region)
    cuts = list(cuts)
    if not cuts:
        raise ValueError("cuts must contain at least one cut")
    if not _chain(cuts):
        raise NotImplementedError(
            f"the minimal cuts of region {region!r} are not nested (not one series); "
            "no free-product prediction is implemented for this case"
        )
    dims = [c.dimension for c in cuts]
    factors: list[_Law] = [AtomicMeasure.from_spectrum(cuts[0].spectrum)]
    for prev, cut in zip(cuts, cuts[1:]):
        d0, d1 = prev.dimension, cut.dimension
        factors.append(MarchenkoPastur(min(d0, d1) / max(d0, d1)))
        factors.append(AtomicMeasure.from_spectrum(cut.spectrum))
    if len(set(dims)) > 1:  # laws of the smaller cuts only
        factors = [f for f, keep in zip(factors, _keep_mask(dims)) if keep]
    regime = {1: "unique cut", 2: "two cuts"}.get(len(cuts), "cuts in series")
    return SpectrumPrediction(regime, cuts, min(dims), factors, n_grid=n_grid)


def _keep_mask(dims: list[int]) -> list[bool]:
    """Keep the link laws of the smallest cuts and every MP factor between cuts."""
    d = min(dims)
    mask = [dims[0] == d]
    for dim in dims[1:]:
        mask += [True, dim == d]
    return mask


def min_entropy_estimate(*spectra: Any, base: float | None = None) -> float:
    """``E[min_i H_i]`` with ``H_i = -log lambda`` and ``lambda`` drawn with probability ``lambda``.

    The entropy estimate for cuts whose link spectra vary strongly (each cut's
    spectrum drawn independently). Nats unless ``base``.

    Examples
    --------
    >>> round(min_entropy_estimate(np.full(8, 1 / 8), base=2), 12)
    3.0
    >>> a = np.array([0.9, 0.1])
    >>> round(min_entropy_estimate(a, a), 6)
    0.127333
    """
    if not spectra:
        raise ValueError("give at least one spectrum")
    hs, ps = [], []
    for s in spectra:
        lam = _check_spectrum(s)
        lam = lam[lam > 0]
        order = np.argsort(-np.log(lam))
        hs.append(-np.log(lam)[order])
        ps.append(lam[order])
    # E[min] = int_0^inf prod_i P(H_i > t) dt, piecewise constant between breakpoints
    knots = np.unique(np.concatenate([[0.0]] + hs))
    surv = np.ones(knots.size)
    for h, p in zip(hs, ps):
        cum = np.concatenate([[0.0], np.cumsum(p)])
        surv *= 1.0 - cum[np.searchsorted(h, knots, side="right")]
    value = float(np.sum(surv[:-1] * np.diff(knots)))
    return float(value / np.log(base)) if base is not None else value


def predict_entropy(network, region: str | Iterable[str], *, method: str = "free",
                    base: float | None = None) -> float:
    """Predicted von Neumann entropy of ``rho_A`` (nats unless ``base``).

    Parameters
    ----------
    method : {"free", "minimum"}
        ``"free"``: ``log D - int x log x dnu`` for the law ``nu`` of
        :func:`predict_spectrum`. ``"minimum"``: ``E[min_gamma H_gamma]`` over the
        minimal cuts (:func:`min_entropy_estimate`), for links with large spectral
        variation.

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> g = nx.path_graph(["a", "x", "y", "b"])
    >>> net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim={("a", "x"): 32,
    ...     ("y", "b"): 32}, link_spectra={("x", "y"): [0.5, 0.25, 0.25]})
    >>> round(predict_entropy(net, "A", base=2), 12)   # unique cut: H(0.5, 0.25, 0.25)
    1.5
    """
    if method == "free":
        return predict_spectrum(network, region).entropy(base=base)
    if method == "minimum":
        return min_entropy_estimate(*(c.spectrum for c in network.minimal_cuts(region)), base=base)
    raise ValueError(f"method must be 'free' or 'minimum', got {method!r}")
