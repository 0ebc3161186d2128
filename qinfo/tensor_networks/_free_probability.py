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
from typing import Any, Callable

import numpy as np

from qinfo._random import SeedLike, as_generator
from qinfo._validate import check_int

__all__ = [
    "MarchenkoPastur",
    "AtomicMeasure",
    "free_multiplicative_convolution",
    "noncrossing_partitions",
    "noncrossing_moments",
    "free_cumulants",
    "replica_moment",
    "SpectrumPrediction",
    "GridLaw",
    "free_product",
    "tree_moments",
    "tree_law",
    "predict_spectrum",
    "predict_entropy",
    "min_entropy_estimate",
]


# -- laws --------------------------------------------------------------------------------


class _Law:
    """What the convolution needs from a factor: ``eta`` and its derivative."""

    def _psi_and_derivative(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def moments(self, n: int) -> np.ndarray:
        raise NotImplementedError

    def _upper_edge(self) -> float:
        raise NotImplementedError


@dataclass(frozen=True)
class MarchenkoPastur(_Law):
    """The Marchenko-Pastur law ``pi_c`` with ratio ``c > 0`` (mean 1, variance ``c``).

    The eigenvalue law of ``X X^dagger`` for an ``N x M`` matrix of i.i.d. entries with
    variance ``1/M`` and ``c = N/M``: density ``sqrt((b-x)(x-a)) / (2 pi c x)`` on
    ``[a, b] = [(1 - sqrt c)^2, (1 + sqrt c)^2]`` plus an atom ``1 - 1/c`` at 0 when
    ``c > 1``. Its moments are Narayana polynomials; ``pi_1`` has Catalan moments.

    Parameters
    ----------
    ratio : float
        ``c = N/M > 0``, the variance of the law.

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

    def _upper_edge(self) -> float:
        return self.support[1]

    def pdf(self, x: Any) -> np.ndarray:
        """Density of the continuous part.

        Parameters
        ----------
        x : array_like
            Points at which to evaluate it.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> round(float(MarchenkoPastur(1.0).pdf(1.0)), 6)     # 1 / (2 pi) * sqrt(3)
        0.275664
        """
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
        """Cumulative distribution function (atom included).

        Parameters
        ----------
        x : array_like
            Points at which to evaluate it.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> MarchenkoPastur(2.0).cdf([0.0, 10.0])   # the atom 1 - 1/c at 0, then all mass
        array([0.5, 1. ])
        """
        xs, cum = self._theta_grid()
        x = np.asarray(x, dtype=float)
        out = self.atom * (x >= 0) + np.interp(x, xs, cum, left=0.0, right=1 - self.atom)
        return np.clip(out, 0.0, 1.0)

    def moments(self, n: int) -> np.ndarray:
        """Moments ``E x^k`` for ``k = 1..n`` (Narayana polynomials in ``c``).

        Parameters
        ----------
        n : int
            Highest moment.

        Returns
        -------
        numpy.ndarray
            ``[E x, E x^2, ..., E x^n]``.

        Examples
        --------
        >>> MarchenkoPastur(2.0).moments(3)     # 1, 1 + c, 1 + 3c + c^2
        array([ 1.,  3., 11.])
        """
        c = float(self.ratio)
        return np.array([sum(comb(k, j) * comb(k, j - 1) / k * c ** (j - 1) for j in range(1, k + 1))
                         for k in range(1, n + 1)])

    def sample(self, size: int, *, seed: SeedLike = None) -> np.ndarray:
        """Independent draws from ``pi_c`` (inverse CDF; the atom at 0 included).

        Parameters
        ----------
        size : int
            Number of draws.
        seed : None, int, SeedSequence or Generator
            Same seed, same draws.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> x = MarchenkoPastur(1.0).sample(20000, seed=0)
        >>> bool(abs(x.mean() - 1) < 0.02), bool(abs(x.var() - 1) < 0.05)
        (True, True)
        """
        rng = as_generator(seed)
        u = rng.random(size)
        xs, cum = self._theta_grid()
        cont = np.interp((u - self.atom) / (1 - self.atom) * cum[-1], cum, xs)
        return np.where(u < self.atom, 0.0, cont)

    def stieltjes(self, zeta: Any) -> np.ndarray:
        """Cauchy transform ``G(zeta) = int dpi(t) / (zeta - t)`` off the support.

        Parameters
        ----------
        zeta : array_like of complex
            Points off the support.

        Returns
        -------
        numpy.ndarray of complex

        Examples
        --------
        >>> g = MarchenkoPastur(1.0).stieltjes(1e6)     # ~ 1 / zeta far away
        >>> round(float(g.real * 1e6), 4)
        1.0
        """
        zeta = np.asarray(zeta, dtype=complex)
        a, b = self.support
        c = self.ratio
        root = np.sqrt(zeta - a) * np.sqrt(zeta - b)  # the branch ~ zeta at infinity
        return (zeta + c - 1 - root) / (2 * c * zeta)

    def _psi_and_derivative(self, w):
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

    Parameters
    ----------
    atoms : array_like
        The points ``t_i`` (finite, non-negative).
    weights : array_like, optional
        Their probabilities ``p_i`` (non-negative, summing to 1); equal when omitted.

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
        """The law of ``D * lambda_i`` for a spectrum ``lambda`` of length ``D`` (mean 1).

        Parameters
        ----------
        spectrum : array_like
            Non-negative numbers summing to 1.

        Returns
        -------
        AtomicMeasure

        Examples
        --------
        >>> AtomicMeasure.from_spectrum([0.75, 0.25]).atoms
        array([0.5, 1.5])
        """
        lam = _check_spectrum(spectrum)
        return cls(lam * lam.size)

    def binned(self, k: int) -> AtomicMeasure:
        """At most ``k`` atoms: the mass-weighted means of ``k`` equal-mass quantile bins.

        The mean is kept; higher moments lose the spread inside each bin.

        Parameters
        ----------
        k : int
            The most atoms to keep (at least 1).

        Returns
        -------
        AtomicMeasure
            ``self`` when it has at most ``k`` atoms.

        Examples
        --------
        >>> AtomicMeasure([1.0, 2.0, 3.0, 6.0]).binned(2).atoms
        array([1.5, 4.5])
        """
        check_int("k", k, 1)
        if self.atoms.size <= k:
            return self
        cum = np.cumsum(self.weights)
        bins = np.minimum((cum - self.weights / 2) * k, k - 1).astype(int)
        mass = np.bincount(bins, weights=self.weights, minlength=k)
        first = np.bincount(bins, weights=self.weights * self.atoms, minlength=k)
        keep = mass > 0
        return AtomicMeasure(first[keep] / mass[keep], mass[keep] / mass[keep].sum())

    def _upper_edge(self) -> float:
        return float(self.atoms.max())

    def moments(self, n: int) -> np.ndarray:
        """Moments ``E x^k`` for ``k = 1..n``.

        Parameters
        ----------
        n : int
            Highest moment.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> AtomicMeasure([0.0, 2.0]).moments(3)
        array([1., 2., 4.])
        """
        return np.array([np.dot(self.weights, self.atoms**k) for k in range(1, n + 1)])

    def cdf(self, x: Any) -> np.ndarray:
        """Cumulative distribution function ``P(X <= x)``.

        Parameters
        ----------
        x : array_like
            Points at which to evaluate it.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> AtomicMeasure([1.0, 2.0], [0.25, 0.75]).cdf([0.5, 1.0, 3.0])
        array([0.  , 0.25, 1.  ])
        """
        cum = np.cumsum(self.weights)
        idx = np.searchsorted(self.atoms, np.asarray(x, dtype=float), side="right")
        return np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0)

    def _psi_and_derivative(self, w):
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

_K_ATOMS = 200  # atoms of the quantile discretisation of an intermediate law
_REL_EPS = 1e-9  # Im(zeta) / Re(zeta) where the density is read off
_PATH = np.geomspace(4.0, _REL_EPS, 10)  # continuation of Im(zeta) / Re(zeta) to the axis
_BISECT_TOL = 2e-9  # mass a grid interval may misplace (trapezoid vs Simpson) before bisection
_FLOOR_TOL = 1e-10  # mass per decade below which the grid stops growing towards 0


def _one_plus_psi(law: _Law, w: np.ndarray):
    """``1 + psi(w) = int dmu(t) / (1 - w t)`` and ``psi'(w)``, free of cancellation."""
    if isinstance(law, AtomicMeasure):
        r = 1.0 / (1.0 - w[..., None] * law.atoms)
        weights = law.weights.astype(complex)
        return r @ weights, (r * r) @ (law.atoms * weights)
    psi, dpsi = law._psi_and_derivative(w)
    return 1.0 + psi, dpsi


def _h(law: _Law, w: np.ndarray):
    """``h = eta(w) / w`` with ``eta = psi / (1 + psi)``, ``h'(w)`` and ``eta(w)``."""
    opp, dpsi = _one_plus_psi(law, w)
    eta = (opp - 1.0) / opp
    deta = dpsi / opp**2
    return eta / w, (deta * w - eta) / w**2, eta


def _iterate(l1: _Law, l2: _Law, z: np.ndarray, w: np.ndarray, n: int, tol: float) -> np.ndarray:
    for _ in range(n):
        new = z * _h(l2, z * _h(l1, w)[0])[0]
        done = np.all(np.abs(new - w) <= tol * np.abs(new))
        w = new
        if done:
            break
    return w


def _two_factor_eta(l1: _Law, l2: _Law, x: np.ndarray) -> np.ndarray:
    """``eta_nu(1 / zeta)`` for ``nu = l1 [x] l2`` at ``zeta = x (1 + i _REL_EPS)``.

    ``omega_1(z)`` is the Denjoy-Wolff point of ``w -> z h_2(z h_1(w))`` (Belinschi and
    Bercovici, Math. Z. 2007), so plain iteration finds the right branch. Far from the
    axis it converges fast; towards the axis each step is continued by Newton from the
    last one, and a Newton result is kept only if the iteration fixes it and it stays in
    the half plane of ``z`` -- otherwise that point is iterated from the last step.
    """
    omega = None
    for rel in _PATH:
        z = 1.0 / (x * (1 + 1j * rel))
        if omega is None:
            omega = _iterate(l1, l2, z, z.copy(), 60, 1e-10)
        prev = omega.copy()
        active = np.arange(z.size)
        for _ in range(30):
            w, za = omega[active], z[active]
            h1, dh1, _ = _h(l1, w)
            h2, dh2, _ = _h(l2, za * h1)
            step = (w - za * h2) / (1.0 - za * za * dh2 * dh1)
            step[~np.isfinite(step)] = 0.0
            omega[active] = w - step
            active = active[np.abs(step) > 1e-12 * np.abs(w)]
            if active.size == 0:
                break
        check = z * _h(l2, z * _h(l1, omega)[0])[0]
        bad = ~(np.abs(check - omega) <= 1e-8 * np.abs(omega)) | (omega.imag * z.imag < 0)
        if np.any(bad):
            omega[bad] = _iterate(l1, l2, z[bad], prev[bad], 20000, 1e-13)
    return _h(l1, omega)[2]


def _atom_arrays(law: _Law) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(law, AtomicMeasure):
        return law.atoms, law.weights
    if isinstance(law, GridLaw):
        return law.atom_positions, law.atom_masses
    return (np.zeros(1), np.array([law.atom])) if law.atom > 0 else (np.zeros(0), np.zeros(0))


def _product_atoms(l1: _Law, l2: _Law) -> tuple[np.ndarray, np.ndarray]:
    """Atoms of ``l1 [x] l2`` (Belinschi, IMRN 2003): at 0 the larger of the two masses
    there; at ``ab > 0`` mass ``mu({a}) + nu({b}) - 1`` where that is positive."""
    (a, p), (b, q) = _atom_arrays(l1), _atom_arrays(l2)
    zero = max(float(p[a == 0].sum()), float(q[b == 0].sum()))
    keep_a, keep_b = (a > 0) & (p > 0.5 * (1 - q.max(initial=0))), (b > 0)
    pos, mass = [], []
    for ai, pi in zip(a[keep_a], p[keep_a]):
        hit = keep_b & (pi + q > 1 + 1e-12)
        pos.extend(ai * b[hit])
        mass.extend(pi + q[hit] - 1)
    if zero > 0:
        pos.append(0.0)
        mass.append(zero)
    return np.array(pos, dtype=float), np.array(mass, dtype=float)


@dataclass(frozen=True)
class GridLaw(_Law):
    """A law given by a density on a grid plus finitely many atoms (a numerical result).

    :func:`free_product` and :func:`predict_spectrum` return these.

    Parameters
    ----------
    x : numpy.ndarray
        Grid points (increasing, positive).
    density : numpy.ndarray
        The density of the continuous part at ``x``.
    atom_positions : numpy.ndarray
        Positions of the atoms.
    atom_masses : numpy.ndarray
        Their masses.
    mass_error : float
        ``|int density - (1 - sum of atom masses)|`` on the grid: the numerical error.

    Examples
    --------
    >>> law = free_product([MarchenkoPastur(1.0), MarchenkoPastur(1.0)])
    >>> type(law).__name__, [round(float(m), 2) for m in law.moments(2)]   # Fuss-Catalan 1, 3
    ('GridLaw', [1.0, 3.0])
    >>> float(law.cdf(100.0)), bool(law.pdf(1.0) > 0)
    (1.0, True)
    """

    x: np.ndarray
    density: np.ndarray
    atom_positions: np.ndarray
    atom_masses: np.ndarray
    mass_error: float = 0.0

    def _integral(self, g: np.ndarray) -> np.ndarray:
        """Cumulative ``int g(x) density(x) dx`` from the bottom of the grid.

        Trapezoid in ``u = log x`` (``p dx = x p du``), the rule the adaptive grid was
        refined for: a density with an integrable singularity at 0 is smooth in ``u``.
        """
        f = self.x * self.density * g
        return np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) / 2 * np.diff(np.log(self.x)))])

    @property
    def _cum(self):
        """Cumulative mass and first moment of the continuous part from the bottom."""
        return self._integral(np.ones_like(self.x)), self._integral(self.x)

    def _upper_edge(self) -> float:
        """Top of the support: the last grid point with more than 1e-9 of the mass above it
        (the solver leaves a tail of order ``_REL_EPS`` beyond a square-root edge; the
        edge itself is then off by about ``(1e-9)^(2/3)`` relative)."""
        mass = self._integral(np.ones_like(self.x))
        big = mass[-1] - mass > 1e-9 * max(mass[-1], 1e-300)
        top = self.x[np.nonzero(big)[0][-1] + 1] if np.any(big) else 0.0
        return float(max(top, self.atom_positions.max(initial=0.0)))

    def cdf(self, x: Any) -> np.ndarray:
        """Cumulative distribution function (atoms included).

        Parameters
        ----------
        x : array_like
            Points at which to evaluate it.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> law = free_product([MarchenkoPastur(1.0), AtomicMeasure([1.0])])
        >>> round(float(law.cdf(1.0)), 2)
        0.61
        """
        x = np.asarray(x, dtype=float)
        mass, _ = self._cum
        cont = 1.0 - self.atom_masses.sum()
        tail = mass[-1] - mass  # continuous mass above each grid point
        out = 1.0 - np.interp(x, self.x, tail, left=mass[-1], right=0.0) * (cont / mass[-1])
        for a, m in zip(self.atom_positions, self.atom_masses):
            out = out - m * (x < a)
        return np.clip(out, 0.0, 1.0)

    def pdf(self, x: Any) -> np.ndarray:
        """Density of the continuous part (linear interpolation on the grid).

        Parameters
        ----------
        x : array_like
            Points at which to evaluate it.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> law = free_product([MarchenkoPastur(1.0), AtomicMeasure([1.0])])
        >>> round(float(law.pdf(1.0)), 3)      # pi_1 at 1: sqrt(3) / (2 pi)
        0.276
        """
        return np.interp(np.asarray(x, dtype=float), self.x, self.density, left=0.0, right=0.0)

    def moments(self, n: int) -> np.ndarray:
        """Moments ``E x^k`` for ``k = 1..n`` (to the grid's accuracy).

        Parameters
        ----------
        n : int
            Highest moment.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> law = free_product([MarchenkoPastur(1.0), AtomicMeasure([1.0])])
        >>> [round(float(m), 3) for m in law.moments(3)]     # Catalan numbers
        [1.0, 2.0, 5.0]
        """
        out = []
        for k in range(1, n + 1):
            out.append(self._integral(self.x**k)[-1] + np.dot(self.atom_masses, self.atom_positions**k))
        return np.array(out)

    def _expect_xlogx(self) -> float:
        """``int x log x dnu``."""
        pos = self.atom_positions > 0
        a = self.atom_positions[pos]
        return float(self._integral(self.x * np.log(self.x))[-1] + np.dot(self.atom_masses[pos], a * np.log(a)))

    def _discretize(self, k: int = _K_ATOMS) -> AtomicMeasure:
        """``k`` atoms: a two-point Gauss rule in each of ``k // 2`` equal-mass quantile bins.

        Each bin's two atoms carry its mass and its first three moments, so the law's
        moments up to the third are kept to the grid's accuracy (one atom per bin, at the
        conditional mean, would lose the within-bin variance). The law's own atoms are
        appended.
        """
        cont = 1.0 - self.atom_masses.sum()
        cum = [self._integral(self.x**j) for j in range(4)]
        bins = max(k // 2, 1)
        levels = np.linspace(0.0, cum[0][-1], bins + 1)
        mom = [np.diff(np.interp(levels, cum[0], c)) / np.diff(levels) for c in cum[1:]]
        m1, m2, m3 = mom
        var = m2 - m1**2
        ok = var > 1e-12 * m1**2
        # monic x^2 + c1 x + c0 orthogonal to 1 and x for the bin's law
        c1 = np.where(ok, (m1 * m2 - m3) / np.where(ok, var, 1.0), 0.0)
        c0 = -m2 - c1 * m1
        disc = np.sqrt(np.maximum(c1**2 / 4 - c0, 0.0))
        lo, hi = -c1 / 2 - disc, -c1 / 2 + disc
        w_hi = np.where(ok & (hi > lo), (m1 - lo) / np.where(hi > lo, hi - lo, 1.0), 0.5)
        lo, hi = np.where(ok, lo, m1), np.where(ok, hi, m1)
        atoms = np.concatenate([lo, hi, self.atom_positions])
        weights = np.concatenate([(1 - w_hi) * cont / bins, w_hi * cont / bins, self.atom_masses])
        return AtomicMeasure(np.maximum(atoms, 0.0), weights / weights.sum())

    def _psi_and_derivative(self, w):
        raise TypeError("discretize() a GridLaw before using it as a factor")

    def _scaled(self, s: float, keep: float = 1.0) -> GridLaw:
        """The law of ``s X`` with probability ``keep`` and 0 otherwise."""
        pos, mass = self.atom_positions * s, self.atom_masses * keep
        if keep < 1:
            pos, mass = np.append(pos, 0.0), np.append(mass, 1 - keep)
        return GridLaw(self.x * s, self.density * keep / s, pos, mass, self.mass_error * keep)


def _bisect(grid: np.ndarray, f: Callable[[np.ndarray], np.ndarray]):
    """Density on ``grid``, refined by bisection (in log x) where trapezoid and Simpson disagree."""
    x, p = grid, f(grid)
    lo, hi, plo, phi = x[:-1], x[1:], p[:-1], p[1:]
    new_x, new_p = [x], [p]
    for _ in range(24):
        mid = np.sqrt(lo * hi)
        pm = f(mid)
        du = np.log(hi / lo)
        # trapezoid against Simpson with the midpoint, in u = log x (p dx = x p du)
        err = np.abs((hi * phi + lo * plo) / 2 - (hi * phi + 4 * mid * pm + lo * plo) / 6) * du
        new_x.append(mid)
        new_p.append(pm)
        split = err > _BISECT_TOL
        if not np.any(split) or sum(a.size for a in new_x) > 100_000:
            break
        lo, hi = np.concatenate([lo[split], mid[split]]), np.concatenate([mid[split], hi[split]])
        plo, phi = np.concatenate([plo[split], pm[split]]), np.concatenate([pm[split], phi[split]])
    x, p = np.concatenate(new_x), np.concatenate(new_p)
    order = np.argsort(x)
    return x[order], p[order]


def _pair(l1: _Law, l2: _Law) -> _Law:
    """``l1 [x] l2`` for two factors that can be evaluated (atomic or Marchenko-Pastur)."""
    pos, mass = _product_atoms(l1, l2)
    cont = 1.0 - mass.sum()
    if cont < 1e-12:
        return AtomicMeasure(pos, mass / mass.sum())

    def density(xs):
        zeta = xs * (1 + 1j * _REL_EPS)
        g = (1 / zeta) / (1 - _two_factor_eta(l1, l2, xs))
        for a, m in zip(pos, mass):
            g = g - m / (zeta - a)
        return np.maximum(-g.imag / np.pi, 0.0)

    top = l1._upper_edge() * l2._upper_edge() * (1 + 1e-6)
    grid = np.geomspace(top * 1e-12, top, 12 * 10 + 1)
    lo = grid[0]
    while lo > top * 1e-280:  # extend towards 0 while the decade below still holds mass
        dec = np.geomspace(lo / 10, lo, 6)
        pd = density(dec)
        if np.trapezoid(pd, dec) < _FLOOR_TOL:
            break
        grid = np.concatenate([np.geomspace(lo * 1e-6, lo, 31)[:-1], grid])
        lo = grid[0]
    x, p = _bisect(grid, density)
    law = GridLaw(x, p, pos, mass)
    err = abs(float(law._integral(np.ones_like(x))[-1]) - cont)
    return GridLaw(x, p, pos, mass, err)


def _delta_scale(law: _Law) -> float | None:
    if isinstance(law, AtomicMeasure) and law.atoms.size == 1:
        return float(law.atoms[0])
    return None


def _as_factor(law: _Law) -> _Law:
    return law._discretize() if isinstance(law, GridLaw) else law


def free_product(laws: Sequence[_Law]) -> _Law:
    """The law ``mu_1 [x] ... [x] mu_k`` as a :class:`GridLaw` (or an atomic law).

    Point masses ``delta_t`` only rescale; the rest are multiplied two at a time, each
    intermediate law replaced by a quantile discretisation, ending with a smooth factor
    (a Marchenko-Pastur law) when there is one.

    Parameters
    ----------
    laws : sequence of laws
        :class:`MarchenkoPastur`, :class:`AtomicMeasure` or :class:`GridLaw` factors.

    Returns
    -------
    GridLaw or AtomicMeasure

    Examples
    --------
    >>> law = free_product([MarchenkoPastur(1.0), AtomicMeasure([2.0])])   # pi_1 scaled by 2
    >>> [round(float(m), 2) for m in law.moments(2)]
    [2.0, 8.0]
    >>> free_product([AtomicMeasure([2.0]), AtomicMeasure([3.0])]).atoms
    array([6.])
    """
    scale, rest = 1.0, []
    for law in laws:
        t = _delta_scale(law)
        if t is None:
            rest.append(law)
        else:
            scale *= t
    mps = [f for f in rest if isinstance(f, MarchenkoPastur)]
    others = [f for f in rest if not isinstance(f, MarchenkoPastur)]
    if mps:  # interleave, and keep one Marchenko-Pastur factor for the last (smoothing) step
        middle = mps[:-1]
        seq = others[:1]
        for i, f in enumerate(others[1:]):
            if i < len(middle):
                seq.append(middle[i])
            seq.append(f)
        seq += middle[len(others[1:]):] + mps[-1:]
    else:
        seq = others
    if not seq:
        return AtomicMeasure([scale])
    cur = seq[0]
    for f in seq[1:]:
        cur = _pair(_as_factor(cur), f)
    if isinstance(cur, MarchenkoPastur):
        cur = _pair(cur, AtomicMeasure([1.0]))
    if isinstance(cur, AtomicMeasure):
        return AtomicMeasure(cur.atoms * scale, cur.weights)
    return cur._scaled(scale) if scale != 1 else cur


def free_multiplicative_convolution(factors: Iterable[Any], x: Any) -> np.ndarray:
    """Density of the free multiplicative convolution of ``factors`` on the grid ``x``.

    Parameters
    ----------
    factors : iterable
        Each a :class:`MarchenkoPastur`, an :class:`AtomicMeasure`, or a spectrum
        (non-negative, summing to 1; taken as the law of ``D * lambda``).
    x : array_like
        Points (``> 0``) where the density is evaluated.

    Returns
    -------
    numpy.ndarray
        The density of the absolutely continuous part at ``x`` (atoms, such as the
        one at 0 when every factor has one, are not part of it). It is interpolated
        from :func:`free_product`'s adaptive grid.

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
    law = free_product(laws)
    if isinstance(law, AtomicMeasure):
        return np.zeros_like(x)
    return law.pdf(x)


# -- non-crossing moments ------------------------------------------------------------------


@lru_cache(maxsize=None)
def noncrossing_partitions(n: int) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """All non-crossing partitions of ``0..n-1`` (Catalan-many), blocks sorted.

    Parameters
    ----------
    n : int
        Number of elements (``>= 0``).

    Returns
    -------
    tuple of partitions
        Each partition a tuple of blocks, each block a sorted tuple of elements.

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


def cycle_lengths(perm: Sequence[int]) -> list[int]:
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
    return cycle_lengths([inv[(i + 1) % n] for i in range(n)])


def free_cumulants(moments: Sequence[float]) -> np.ndarray:
    """Free cumulants ``kappa_1..kappa_n`` from moments ``m_1..m_n`` (NC moment-cumulant formula).

    Parameters
    ----------
    moments : sequence of float
        ``m_1, ..., m_n``.

    Returns
    -------
    numpy.ndarray

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
        Highest moment.

    Returns
    -------
    numpy.ndarray

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
    return prod(tr_powers[k] for k in cycle_lengths([inv[t] for t in tau]))


def replica_moment(network, region: str | Iterable[str], n: int) -> float:
    """Exact ``E tr rho_A^n`` of the unnormalised boundary state, for any bond dimensions.

    Gaussian bulk tensors give ``E (|V><V|)^{(x)n} = sum_{g in S_n} P_g``, so
    ``E tr rho_A^n = sum_{g: V_bulk -> S_n} prod_{edges (x,y)} prod_{cycles c of
    g_x^{-1} g_y} tr(rho_e^{|c|})`` with ``g = (1 2 ... n)`` on ``A`` and the identity on
    the rest of the boundary. The sum is contracted as a tensor network over
    ``S_n`` labels, ``(n!)^{bulk}`` terms in all; meant for small graphs and ``n <= 4``.

    Parameters
    ----------
    network : RandomTensorNetwork
        The network.
    region : str or iterable of str
        Region name(s) forming ``A``.
    n : int
        The replica number, ``1 <= n <= 6``.

    Returns
    -------
    float

    Examples
    --------
    >>> from qinfo.tensor_networks import two_cut_network
    >>> round(replica_moment(two_cut_network(3), "A", 2), 12)   # 2 / D for D = 3
    0.666666666667
    """
    import opt_einsum as oe

    check_int("n", n, 1)
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


# -- laws of series-parallel element trees ---------------------------------------------------


@dataclass(frozen=True)
class ProductLaw(_Law):
    """The classical product ``X Y`` of independent ``X ~ cont`` and ``Y ~ atomic``."""

    cont: GridLaw
    atomic: AtomicMeasure

    def cdf(self, x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        out = np.zeros_like(x)
        for t, w in zip(self.atomic.atoms, self.atomic.weights):
            out = out + w * (self.cont.cdf(x / t) if t > 0 else (x >= 0))
        return out

    def pdf(self, x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return sum(w / t * self.cont.pdf(x / t) for t, w in zip(self.atomic.atoms, self.atomic.weights)
                   if t > 0)

    def moments(self, n: int) -> np.ndarray:
        return self.cont.moments(n) * self.atomic.moments(n)

    def _upper_edge(self) -> float:
        return self.cont._upper_edge() * self.atomic._upper_edge()

    def _expect_xlogx(self) -> float:
        """``E[XY log XY] = E[X log X] + E[Y log Y]`` for independent means-1 factors."""
        return self.cont._expect_xlogx() + _xlogx(self.atomic)

    def _discretize(self, k: int = _K_ATOMS) -> AtomicMeasure:
        return _outer(self.cont._discretize(k), self.atomic).binned(k)

    def _psi_and_derivative(self, w):
        raise TypeError("discretize() a ProductLaw before using it as a factor")


def _xlogx(mu: AtomicMeasure) -> float:
    a = mu.atoms
    return float(np.dot(mu.weights, np.where(a > 0, a * np.log(np.where(a > 0, a, 1.0)), 0.0)))


def _outer(a: AtomicMeasure, b: AtomicMeasure) -> AtomicMeasure:
    return AtomicMeasure(np.multiply.outer(a.atoms, b.atoms).ravel(),
                         np.multiply.outer(a.weights, b.weights).ravel())


def _classical_product(laws: list) -> _Law:
    atomic = AtomicMeasure([1.0])
    cont = None
    for law in laws:
        if isinstance(law, AtomicMeasure):
            atomic = _outer(atomic, law).binned(100_000)
        elif isinstance(law, ProductLaw):
            atomic = _outer(atomic, law.atomic).binned(100_000)
            cont = law.cont if cont is None else cont
            if cont is not law.cont:
                atomic = _outer(atomic, law.cont._discretize()).binned(100_000)
        elif cont is None:
            cont = law
        else:
            atomic = _outer(atomic, law._discretize()).binned(100_000)
    if cont is None:
        return atomic
    if atomic.atoms.size == 1:
        return cont._scaled(float(atomic.atoms[0]))
    return ProductLaw(cont, atomic)


def _padded(law: _Law, r: int, d: int) -> _Law:
    """The law of ``d lambda`` on ``d >= r`` dimensions, ``law`` that of ``r lambda`` on ``r``."""
    mu = law if isinstance(law, AtomicMeasure) else law._discretize()
    if r == d:
        return mu
    return AtomicMeasure(np.append(mu.atoms * d / r, 0.0), np.append(mu.weights * r / d, 1 - r / d))


def _nonzero_part(law: _Law, s: float) -> _Law:
    """The law of ``s X`` given ``X > 0``."""
    if isinstance(law, AtomicMeasure):
        keep = law.atoms > 0
        return AtomicMeasure(law.atoms[keep] * s, law.weights[keep] / law.weights[keep].sum())
    keep = law.atom_positions > 0
    rest = 1.0 - law.atom_masses[~keep].sum()
    return GridLaw(law.x * s, law.density / (s * rest), law.atom_positions[keep] * s,
                   law.atom_masses[keep] / rest, law.mass_error / rest)


def _link_law(link) -> AtomicMeasure:
    lam = np.asarray(link.spectrum, dtype=float)
    lam = lam[lam > 0]
    return AtomicMeasure(lam * lam.size)


def tree_moments(tree, n: int) -> np.ndarray:
    """Large-``D`` moments ``m_1..m_n`` of ``x = r lambda`` for an element tree (``r`` its rank).

    Links: their own moments; parallel parts: products of moments (independent
    factors); series parts: non-crossing sums of the padded factors with ``pi_1``
    between them, restricted to the nonzero part.

    Parameters
    ----------
    tree : Link, Series or Parallel
        An element tree (from :func:`series_parallel_tree`).
    n : int
        Highest moment.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork, series_parallel_tree
    >>> g = nx.Graph([("a", "x"), ("x", "b"), ("a", "y"), ("y", "b")])
    >>> net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim=8)
    >>> tree_moments(series_parallel_tree(net, "A"), 4)     # Catalan squared
    array([  1.,   4.,  25., 196.])
    """
    from qinfo.tensor_networks._series_parallel import Link, Parallel

    if isinstance(tree, Link):
        return _link_law(tree).moments(n)
    if isinstance(tree, Parallel):
        return np.prod([tree_moments(p, n) for p in tree.parts], axis=0)
    d, r = max(p.rank for p in tree.parts), tree.rank
    k = np.arange(1, n + 1)
    factors: list[Any] = []
    for i, part in enumerate(tree.parts):
        if i:
            factors.append(MarchenkoPastur(1.0))
        factors.append(("moments", (d / part.rank) ** (k - 1) * tree_moments(part, n)))
    return noncrossing_moments(factors, n) * (r / d) ** (k - 1)


def tree_law(tree) -> _Law:
    """The numerical law of ``x = r lambda`` for an element tree (see :func:`tree_moments`).

    Parameters
    ----------
    tree : Link, Series or Parallel
        An element tree (from :func:`series_parallel_tree`).

    Returns
    -------
    GridLaw or AtomicMeasure

    Examples
    --------
    >>> from qinfo.tensor_networks import series_parallel_tree, two_cut_network
    >>> law = tree_law(series_parallel_tree(two_cut_network(8), "A"))    # pi_1
    >>> [round(float(m), 2) for m in law.moments(3)]
    [1.0, 2.0, 5.0]
    """
    from qinfo.tensor_networks._series_parallel import Link, Parallel

    if isinstance(tree, Link):
        return _link_law(tree)
    if isinstance(tree, Parallel):
        return _classical_product([tree_law(p) for p in tree.parts])
    d, r = max(p.rank for p in tree.parts), tree.rank
    factors = [_padded(tree_law(p), p.rank, d) for p in tree.parts]
    law = free_product(factors + [MarchenkoPastur(1.0)] * (len(factors) - 1))
    return _nonzero_part(law, r / d)


# -- predictions for a network -------------------------------------------------------------


@dataclass
class SpectrumPrediction:
    """The predicted spectrum of ``rho_A`` for a network and region (from :func:`predict_spectrum`).

    Parameters
    ----------
    regime : str
        ``"pure"``, ``"unique cut"``, ``"two cuts"``, ``"cuts in series"`` or
        ``"series-parallel"`` (from the minimal cuts; informational).
    cuts : list of Cut
        The minimal cuts (empty when they were not enumerated).
    dimension : int
        ``D``: the number of nonzero eigenvalues predicted (eigenvalue ``lambda = x / D``).
    factors : list
        One element: the numerical law of ``x = D lambda``.
    tree : Link, Series, Parallel or None
        The series-parallel element tree the law comes from.
    n_grid : int
        Unused (the grid is adaptive); kept for compatibility.

    Examples
    --------
    >>> from qinfo.tensor_networks import two_cut_network
    >>> pred = predict_spectrum(two_cut_network(16), "A")
    >>> pred.regime, pred.dimension, pred.is_atomic
    ('two cuts', 16, False)
    """

    regime: str
    cuts: list
    dimension: int
    factors: list
    tree: Any = None
    n_grid: int = 0

    @property
    def law(self) -> _Law:
        """The law of ``x = D lambda``."""
        return self.factors[0]

    @property
    def is_atomic(self) -> bool:
        """True when the law is discrete (a product of link spectra, no Gaussian between)."""
        return isinstance(self.law, AtomicMeasure)

    @property
    def mass_error(self) -> float:
        """Numerical error of the total mass of the computed law (0 for a discrete law)."""
        law = self.law.cont if isinstance(self.law, ProductLaw) else self.law
        return float(getattr(law, "mass_error", 0.0))

    def pdf(self, lam: Any) -> np.ndarray:
        """Predicted density of eigenvalues ``lambda`` (of the continuous part).

        Parameters
        ----------
        lam : array_like
            Eigenvalues ``lambda`` (not rescaled).

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> from qinfo.tensor_networks import two_cut_network
        >>> pred = predict_spectrum(two_cut_network(16), "A")
        >>> round(float(pred.pdf(1 / 16) / 16), 3)      # pi_1 at x = 1
        0.276
        """
        if self.is_atomic:
            raise ValueError("this prediction is a discrete spectrum; use cdf()")
        d = self.dimension
        return d * self.law.pdf(d * np.asarray(lam, dtype=float))

    def cdf(self, lam: Any) -> np.ndarray:
        """Predicted fraction of eigenvalues ``<= lambda``.

        Parameters
        ----------
        lam : array_like
            Eigenvalues ``lambda`` (not rescaled).

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> from qinfo.tensor_networks import chain_network
        >>> pred = predict_spectrum(chain_network([64, [0.5, 0.5], 64]), "A")  # a unique cut
        >>> pred.cdf([0.4, 0.5])
        array([0., 1.])
        """
        return self.law.cdf(self.dimension * np.asarray(lam, dtype=float))

    def moments(self, n: int) -> np.ndarray:
        """Large-``D`` moments of ``x = D lambda`` (exact non-crossing sums over the tree).

        Parameters
        ----------
        n : int
            Highest moment.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> from qinfo.tensor_networks import two_cut_network
        >>> predict_spectrum(two_cut_network(16), "A").moments(4)     # Catalan
        array([ 1.,  2.,  5., 14.])
        """
        if self.tree is None:
            return np.ones(n)
        return tree_moments(self.tree, n)

    def entropy(self, *, base: float | None = None) -> float:
        """``log D - int x log x dnu`` (nats unless ``base``).

        Parameters
        ----------
        base : float, optional
            Logarithm base (``None``: nats; ``2``: bits).

        Returns
        -------
        float

        Examples
        --------
        >>> from qinfo.tensor_networks import chain_network
        >>> predict_spectrum(chain_network([64, [0.5, 0.5], 64]), "A").entropy(base=2)
        1.0
        """
        law = self.law
        xlogx = _xlogx(law) if isinstance(law, AtomicMeasure) else law._expect_xlogx()
        s = float(np.log(self.dimension) - xlogx)
        return float(s / np.log(base)) if base is not None else s

    def renyi(self, alpha: float, *, base: float | None = None) -> float:
        """Renyi-``alpha`` entropy ``log D + log(m_alpha) / (1 - alpha)`` of the predicted law.

        ``alpha`` is 0 (``log D``), 1 (von Neumann), an integer ``>= 2`` (exact
        non-crossing moment ``m_alpha``) or ``inf`` (``log D - log x_max``, ``x_max`` the
        top of the support). Nats unless ``base``.

        Parameters
        ----------
        alpha : float
            The order: 0, 1, an integer ``>= 2`` or ``inf``.
        base : float, optional
            Logarithm base (``None``: nats; ``2``: bits).

        Returns
        -------
        float

        Examples
        --------
        >>> from qinfo.tensor_networks import two_cut_network
        >>> pred = predict_spectrum(two_cut_network(16), "A")
        >>> round(pred.renyi(2) - float(np.log(16)), 6)      # -log 2: m_2 = 2 for pi_1
        -0.693147
        """
        if alpha == 1:
            return self.entropy(base=base)
        if alpha == 0:
            s = float(np.log(self.dimension))
        elif alpha == np.inf:
            s = float(np.log(self.dimension) - np.log(self.law._upper_edge()))
        elif float(alpha).is_integer() and alpha >= 2:
            s = float(np.log(self.dimension) + np.log(self.moments(int(alpha))[-1]) / (1 - alpha))
        else:
            raise ValueError(f"alpha must be 0, 1, an integer >= 2 or inf, got {alpha!r}")
        return float(s / np.log(base)) if base is not None else s


def _chain(cuts) -> bool:
    return all(a.side < b.side for a, b in zip(cuts, cuts[1:]))


def predict_spectrum(network, region: str | Iterable[str], *, cuts: Sequence[Any] | None = None,
                     n_grid: int = 0) -> SpectrumPrediction:
    """Free-probability prediction of the spectrum of ``rho_A`` (large-``D`` limit).

    The network is reduced to its series-parallel element tree between ``A`` and the
    rest of the boundary (:func:`~qinfo.tensor_networks.series_parallel_tree`): links in
    parallel multiply classically (a shared edge of all minimal cuts, independent
    parallel pieces), elements in series through a bulk vertex multiply freely with a
    ``pi_1`` between them, each padded with an atom at 0 to the larger dimension (exact
    for unequal cut dimensions). A unique minimal cut, two cuts and cuts in series are
    special cases.

    Parameters
    ----------
    network : RandomTensorNetwork
        The network.
    region : str or list of str
        Region name(s) forming ``A``.
    cuts : sequence of Cut, optional
        Nested cuts to chain instead of the network's own structure (from the region).
    n_grid : int
        Unused; kept for compatibility (the grid is adaptive).

    Returns
    -------
    SpectrumPrediction

    Raises
    ------
    ValueError
        If the region is not connected to the rest of the boundary, if ``cuts`` are not
        nested, or (:class:`~qinfo.tensor_networks.NotSeriesParallelError`)
        if the network is not series-parallel; :func:`replica_moment` still gives the
        exact finite-``D`` moments there.

    Examples
    --------
    >>> from qinfo.tensor_networks import two_cut_network
    >>> pred = predict_spectrum(two_cut_network(64), "A")
    >>> pred.regime, pred.dimension
    ('two cuts', 64)
    >>> round(float(pred.entropy() - np.log(64)), 3)     # log D - 1/2
    -0.5
    """
    from qinfo.tensor_networks._series_parallel import Link, Series, series_parallel_tree

    if cuts is not None:
        cuts = list(cuts)
        if not cuts:
            raise ValueError("cuts must contain at least one cut")
        if not _chain(cuts):
            raise ValueError("cuts must be nested (ordered from the region outwards)")
        links = [Link(c.edges, c.spectrum) for c in cuts]
        tree = links[0] if len(links) == 1 else Series(tuple(links), ())
        regime = {1: "unique cut", 2: "two cuts"}.get(len(cuts), "cuts in series")
    else:
        tree = series_parallel_tree(network, region)
        try:
            cuts = network.minimal_cuts(region)
        except ValueError:
            cuts = []
        if tree is None:
            regime = "pure"
        elif cuts and _chain(cuts):
            regime = {1: "unique cut", 2: "two cuts"}.get(len(cuts), "cuts in series")
        else:
            regime = "series-parallel"
    if tree is None or tree.rank == 1:
        return SpectrumPrediction(regime, cuts, 1, [AtomicMeasure([1.0])], tree)
    return SpectrumPrediction(regime, cuts, tree.rank, [tree_law(tree)], tree)


def min_entropy_estimate(*spectra: Any, base: float | None = None) -> float:
    """``E[min_i H_i]`` with ``H_i = -log lambda`` and ``lambda`` drawn with probability ``lambda``.

    The entropy estimate for cuts whose link spectra vary strongly (each cut's
    spectrum drawn independently). Nats unless ``base``.

    Parameters
    ----------
    *spectra : array_like
        One spectrum per cut (non-negative, summing to 1).
    base : float, optional
        Logarithm base (``None``: nats; ``2``: bits).

    Returns
    -------
    float

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
    network : RandomTensorNetwork
        The network.
    region : str or list of str
        Region name(s) forming ``A``.
    method : {"free", "minimum"}
        ``"free"``: ``log D - int x log x dnu`` for the law ``nu`` of
        :func:`predict_spectrum`. ``"minimum"``: ``E[min_gamma H_gamma]`` over the
        minimal cuts (:func:`min_entropy_estimate`), for links with large spectral
        variation.
    base : float, optional
        Logarithm base (``None``: nats; ``2``: bits).

    Returns
    -------
    float

    Examples
    --------
    >>> from qinfo.tensor_networks import chain_network
    >>> net = chain_network([32, [0.5, 0.25, 0.25], 32])
    >>> round(predict_entropy(net, "A", base=2), 2)  # H(0.5, 0.25, 0.25) = 1.5 as 3/32 -> 0
    1.37
    """
    if method == "free":
        return predict_spectrum(network, region).entropy(base=base)
    if method == "minimum":
        return min_entropy_estimate(*(c.spectrum for c in network.minimal_cuts(region)), base=base)
    raise ValueError(f"method must be 'free' or 'minimum', got {method!r}")
