"""Entanglement negativity of two boundary regions of a random tensor network.

For regions ``A`` and ``B`` (the rest of the boundary traced out) the partial transpose
``rho_AB^{T_B}`` has the negativity spectrum; the logarithmic negativity is
``E_N = log ||rho_AB^{T_B}||_1``.

- :func:`partial_transpose_spectrum` samples it densely (small networks: it builds the
  boundary state with :meth:`RandomTensorNetwork.boundary_state` and uses numpy).
- :func:`partial_transpose_moments` gives, for one random tensor with three boundary
  legs ``A``, ``B``, ``C`` and arbitrary link spectra, the exact finite-``D`` moments
  ``E tr (rho_AB^{T_B})^n`` of the unnormalised state (a sum over ``S_n``: the Wick
  sum of ``tr rho_A^n`` with the cyclic permutation reversed on ``B``):

      sum_{sigma in S_n} prod_{c in gamma^-1 sigma} tr rho_A^{|c|}
                         prod_{c in gamma sigma} tr rho_B^{|c|}  prod_{c in sigma} tr rho_C^{|c|};

  with ``limit=True`` its large-``D`` limit: ``D_A, D_B -> inf`` with
  ``alpha = D_C / (D_A D_B)`` and the link laws (of ``D_X lambda``) fixed. Only
  non-crossing partitions into blocks of size 1 and 2 survive (non-crossing for
  ``gamma`` and ``gamma^-1`` at once), each weighted ``alpha^(#sigma - n)`` times the
  link moments on the cycles; for maximally entangled links these are the moments of a
  semicircle of mean 1 and variance ``1/alpha`` (Aubrun, Random Matrices: Theory Appl.
  2012), whose negativity :func:`semicircle_log_negativity` gives in closed form.

Regime covered: one bulk vertex (or a network whose minimal cuts for ``A``, ``B`` and
``C`` meet at one vertex) with ``D_C`` comparable to ``D_A D_B``. When ``D_C`` is much
smaller, ``rho_AB`` is nearly pure and the limit is not this one (the negativity is then
that of the link state on the cut, Dong-Qi-Walter JHEP 2021); when ``D_C >> D_A D_B``
the state is PPT (``alpha >= 4``: the semicircle lies in ``x > 0``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import warnings
from itertools import permutations
from math import prod
from typing import Any

import numpy as np

from qinfo._random import SeedLike
from qinfo._validate import check_int, check_real
from qinfo.tensor_networks._free_probability import AtomicMeasure, cycle_lengths

__all__ = [
    "PartialTransposeLaw",
    "partial_transpose_law",
    "partial_transpose_spectrum",
    "partial_transpose_moments",
    "semicircle_log_negativity",
    "log_negativity",
]


def _compose(p, q):
    """(p q)(i) = p(q(i))."""
    return tuple(p[q[i]] for i in range(len(q)))


def _inverse(p):
    inv = [0] * len(p)
    for i, v in enumerate(p):
        inv[v] = i
    return tuple(inv)


def _check_n(n) -> int:
    check_int("n", n, 1)
    if n > 8:
        raise ValueError(f"n = {n} is too large for the sum over S_n; use n <= 8")
    return int(n)


def _spectrum(x: Any, name: str) -> np.ndarray:
    lam = np.asarray(x, dtype=float).ravel()
    if lam.size == 0 or not np.all(np.isfinite(lam)) or np.any(lam < 0) or abs(lam.sum() - 1) > 1e-8:
        raise ValueError(f"{name} must be a non-empty spectrum of non-negative numbers summing to 1")
    return lam


def partial_transpose_moments(spectrum_a: Any, spectrum_b: Any, spectrum_c: Any, n: int, *,
                              limit: bool = False) -> np.ndarray:
    """Moments of the partial transpose for one random tensor with legs ``A``, ``B``, ``C``.

    Parameters
    ----------
    spectrum_a, spectrum_b, spectrum_c : array_like
        Link spectra of the three legs (each non-negative, summing to 1; a flat spectrum
        of length ``D`` is a maximally entangled link of dimension ``D``).
    n : int
        Highest moment (``n <= 8``).
    limit : bool
        ``False``: the exact ``E tr (rho_AB^{T_B})^k``, ``k = 1..n``, of the unnormalised
        state (``E <psi|psi> = 1``). ``True``: the large-``D`` moments of
        ``x = D_A D_B lambda`` (see the module notes), ``alpha = D_C / (D_A D_B)``.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    Flat links, large ``D``: semicircle moments ``1, 1 + 1/alpha, 1 + 3/alpha, ...``.

    >>> flat = lambda d: np.full(d, 1 / d)
    >>> partial_transpose_moments(flat(4), flat(4), flat(32), 3, limit=True)   # alpha = 2
    array([1. , 1.5, 2.5])
    >>> partial_transpose_moments(flat(2), flat(2), flat(2), 2)   # = E tr rho_AB^2 = (4+2)/8
    array([1.  , 0.75])
    """
    n = _check_n(n)
    laws = [_spectrum(s, f"spectrum_{x}") for s, x in zip((spectrum_a, spectrum_b, spectrum_c), "abc")]
    dims = [lam.size for lam in laws]
    out = np.zeros(n)
    for k in range(1, n + 1):
        gamma = tuple((i + 1) % k for i in range(k))
        ginv = _inverse(gamma)
        if limit:
            alpha = dims[2] / (dims[0] * dims[1])
            mom = [np.array([1.0] + [float(np.mean((d * lam) ** j)) for j in range(1, k + 1)])
                   for d, lam in zip(dims, laws)]
        else:
            tr = [np.array([float(np.sum(lam**j)) for j in range(k + 1)]) for lam in laws]
        total = 0.0
        for sigma in permutations(range(k)):
            ca = cycle_lengths(_compose(ginv, sigma))
            cb = cycle_lengths(_compose(gamma, sigma))
            cs = cycle_lengths(sigma)
            if limit:
                if len(ca) + len(cs) != k + 1 or len(cb) + len(cs) != k + 1:
                    continue  # not on both geodesics: vanishes as D_A, D_B -> inf
                total += (alpha ** (len(cs) - k) * prod(mom[0][c] for c in ca)
                          * prod(mom[1][c] for c in cb) * prod(mom[2][c] for c in cs))
            else:
                total += prod(tr[0][c] for c in ca) * prod(tr[1][c] for c in cb) * prod(
                    tr[2][c] for c in cs)
        out[k - 1] = total
    return out


def semicircle_log_negativity(alpha: float) -> float:
    """``log int |x| dmu`` for the semicircle of mean 1, variance ``1 / alpha`` (nats).

    The large-``D`` logarithmic negativity of ``rho_AB`` for one random tensor with
    maximally entangled legs, ``alpha = D_C / (D_A D_B)``; 0 for ``alpha >= 4`` (PPT).

    Parameters
    ----------
    alpha : float
        ``D_C / (D_A D_B) > 0``.

    Returns
    -------
    float

    Examples
    --------
    >>> semicircle_log_negativity(4.0)
    0.0
    >>> round(semicircle_log_negativity(1.0), 6)
    0.148702
    """
    check_real("alpha", alpha)
    r = 2.0 / np.sqrt(alpha)  # radius
    if r <= 1.0:
        return 0.0
    # int |x| = 1 + 2 int_{x<0} |x| dmu; with x = 1 + r t, t in [-1, -1/r]
    t0 = -1.0 / r
    # int_{-1}^{t0} (1 + r t) (2/pi) sqrt(1 - t^2) dt, in closed form
    def prim(t):
        s = np.sqrt(1 - t * t)
        return (2 / np.pi) * ((t * s + np.arcsin(t)) / 2 - r * s**3 / 3)
    neg = -(prim(t0) - prim(-1.0))
    return float(np.log1p(2 * neg))


@dataclass(frozen=True)
class PartialTransposeLaw:
    """The large-``D`` law of ``x = D_A D_B lambda`` over the eigenvalues of ``rho_AB^{T_B}``.

    Made by :func:`partial_transpose_law`: a density on a grid (the law has no atoms;
    its support may reach below 0, which is the negativity).

    Parameters
    ----------
    x : numpy.ndarray
        Grid points (increasing).
    density : numpy.ndarray
        The density at ``x``.
    weights : numpy.ndarray
        Quadrature weights at ``x``: ``int f dmu = sum(weights * density * f(x))``.
    variance : float
        ``v = m_2(C) / alpha``, the variance of the semicircular factor.
    mass_error : float
        ``|int density - 1|`` on the grid: the numerical error.
    support : tuple of (float, float)
        The intervals of the support, ends to double precision.

    Examples
    --------
    >>> law = partial_transpose_law(np.full(4, 0.25), np.full(4, 0.25), np.full(16, 1 / 16))
    >>> round(law.variance, 6), round(law.log_negativity(), 4)   # the semicircle, alpha = 1
    (1.0, 0.1487)
    >>> [(round(l, 9), round(r, 9)) for l, r in law.support]   # 1 -/+ 2
    [(-1.0, 3.0)]
    """

    x: np.ndarray
    density: np.ndarray
    weights: np.ndarray
    variance: float
    mass_error: float = 0.0
    support: tuple = ()

    def _integral(self, f: np.ndarray) -> float:
        return float(np.sum(self.weights * self.density * f))

    def pdf(self, x: Any) -> np.ndarray:
        """Density (linear interpolation on the grid; 0 outside it).

        Parameters
        ----------
        x : array_like
            Points at which to evaluate it.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> flat = np.full(4, 0.25)
        >>> law = partial_transpose_law(flat, flat, np.full(16, 1 / 16))
        >>> round(float(law.pdf(1.0)), 3)       # the semicircle of radius 2 at its centre: 1/pi
        0.318
        """
        return np.interp(np.asarray(x, dtype=float), self.x, self.density, left=0.0, right=0.0)

    def cdf(self, x: Any) -> np.ndarray:
        """Cumulative distribution function.

        Parameters
        ----------
        x : array_like
            Points at which to evaluate it.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> flat = np.full(4, 0.25)
        >>> law = partial_transpose_law(flat, flat, np.full(16, 1 / 16))
        >>> round(float(law.cdf(1.0)), 4)       # symmetric about its mean 1
        0.5
        """
        g = self.weights * self.density
        cum = np.cumsum(g) - g / 2
        return np.interp(np.asarray(x, dtype=float), self.x, cum / g.sum(), left=0.0, right=1.0)

    def moments(self, n: int) -> np.ndarray:
        """Moments ``E x^k``, ``k = 1..n`` (compare :func:`partial_transpose_moments` with
        ``limit=True``).

        Parameters
        ----------
        n : int
            Highest moment.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> flat = np.full(4, 0.25)
        >>> law = partial_transpose_law(flat, flat, np.full(16, 1 / 16))
        >>> np.round(law.moments(3), 4)
        array([1., 2., 4.])
        """
        check_int("n", n, 1)
        return np.array([self._integral(self.x**k) for k in range(1, int(n) + 1)])

    def log_negativity(self) -> float:
        """``log int |x| dmu``: the large-``D`` logarithmic negativity (nats).

        Returns
        -------
        float

        Examples
        --------
        >>> flat = np.full(4, 0.25)
        >>> law = partial_transpose_law(flat, flat, np.full(16, 1 / 16))
        >>> abs(law.log_negativity() - semicircle_log_negativity(1.0)) < 1e-6
        True
        """
        return float(np.log(self._integral(np.abs(self.x)) / self._integral(np.ones_like(self.x))))


_MAX_ATOMS = 128  # atoms of the law of D_A lambda_A x D_B lambda_B (quantile bins beyond)
_ETAS = 45  # steps of the path eta: scale -> scale * _ETA_END along which u is followed
_ETA_END = 1e-15  # where the density is read off, relative to the scale of the support
_FLOOR = 1e-8  # density (relative to its top) that counts as inside the support
_NODES = 6  # Gauss-Legendre points on each cut of the support between two scan points
_MASS_WARNED, _MASS_REFUSED = 1e-6, 1e-3  # mass errors that warn, and that raise


def _solve(a: np.ndarray, w: np.ndarray, v: float, x: np.ndarray) -> np.ndarray:
    """The density at ``x`` of the law of ``D^(1/2) (1 + sqrt(v) S) D^(1/2)`` (``S``
    standard semicircular, free from ``D ~ sum_i w_i delta_{a_i}``).

    With ``u = 1 + v g``, ``g(z) = sum_i w_i a_i / (z - a_i u)`` and the Cauchy transform
    is ``G(z) = sum_i w_i / (z - a_i u)`` (the self-consistent equation of a Wigner matrix
    with variance profile ``v a_i a_j``). ``u`` is followed by Newton's method along
    ``x + i eta`` with ``eta`` falling geometrically from the scale of the support, each
    step starting from the last root, so it stays on the branch with ``Im u <= 0`` (the
    Cauchy transform's) down to the axis.
    """
    scale = float(a.max()) * (1 + 2 * np.sqrt(v))
    u = np.ones(x.size, dtype=complex)
    for eta in np.geomspace(scale, _ETA_END * scale, _ETAS):
        z = x + 1j * eta
        for _ in range(6):
            den = z[:, None] - a[None, :] * u[:, None]
            t = (w * a) / den
            f = u - 1 - v * t.sum(1)
            df = 1 - v * (t * a / den).sum(1)
            u = u - f / df
            u = u.real + 1j * np.minimum(u.imag, 0.0)  # keep to the closed lower half-plane
    g = (w / (x[:, None] + 1j * _ETA_END * scale - a[None, :] * u[:, None])).sum(1)
    return np.maximum(-g.imag / np.pi, 0.0)


def _scan(a: np.ndarray, v: float) -> np.ndarray:
    """Points on which the support is looked for: uniform over the bound of the support,
    and geometric towards 0 on both sides, so that the narrow pieces that small atoms of
    ``D`` make near 0 are not stepped over."""
    r = 2 * np.sqrt(v)
    lo, hi = min(a.min() * (1 - r), a.max() * (1 - r)), a.max() * (1 + r)
    pad = 0.01 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    tiny = 1e-3 * a.min() * max(r, 1e-3)
    parts = [np.linspace(lo, hi, 601), np.geomspace(tiny, hi, 600)]
    if lo < 0:
        parts.append(-np.geomspace(tiny, -lo, 300))
    return np.unique(np.concatenate(parts))


def _support(a: np.ndarray, w: np.ndarray, v: float) -> tuple[list[tuple[float, float]], np.ndarray]:
    """The intervals of the support (ends found by bisection to double precision) and the
    scan points inside them."""
    x = _scan(a, v)
    # mass per unit of log |x|: a piece near a small atom is narrow and high, one near a
    # large atom wide and low, and this measure puts both on the same footing
    level = lambda y: _solve(a, w, v, y) * np.abs(y)  # noqa: E731
    dens = level(x)
    floor = _FLOOR * dens.max()
    inside = dens > floor
    starts = np.nonzero(inside[1:] & ~inside[:-1])[0]  # bracket [x[i], x[i+1]] of a left end
    stops = np.nonzero(inside[:-1] & ~inside[1:])[0]  # bracket [x[i], x[i+1]] of a right end
    left = np.concatenate([x[starts], x[stops]])
    right = np.concatenate([x[starts + 1], x[stops + 1]])
    outside_left = np.concatenate([np.ones(starts.size, bool), np.zeros(stops.size, bool)])
    for _ in range(50):
        mid = (left + right) / 2
        out = level(mid) <= floor
        move_left = out == outside_left  # mid is on the outer side of the end
        left = np.where(move_left, mid, left)
        right = np.where(move_left, right, mid)
    ends = (left + right) / 2
    return list(zip(ends[: starts.size], ends[starts.size :])), x[inside]


def _nodes(pieces, inner: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Quadrature nodes and weights: each interval of the support cut at the scan points
    inside it, ``m`` Gauss-Legendre points on each cut; on a cut that ends at an edge of
    the support the variable is the angle of ``x = edge + h (1 - cos theta)``, in which a
    square-root edge is smooth."""
    g, gw = np.polynomial.legendre.leggauss(m)
    s, sw = (g + 1) / 2, gw / 2  # on [0, 1]
    xs, ws = [], []
    for l, r in pieces:
        cuts = np.concatenate([[l], inner[(inner > l) & (inner < r)], [r]])
        for k, (p, q) in enumerate(zip(cuts[:-1], cuts[1:])):
            h = q - p
            at_l, at_r = k == 0, k == cuts.size - 2
            if at_l and at_r:  # both ends are edges: x = p + h (1 - cos theta) / 2, theta in [0, pi]
                th = np.pi * s
                xs.append(p + h * (1 - np.cos(th)) / 2)
                ws.append(sw * np.pi * h / 2 * np.sin(th))
            elif at_l or at_r:  # theta in [0, pi/2] from the edge
                th = np.pi / 2 * s
                d = h * (1 - np.cos(th))
                xs.append(p + d if at_l else q - d)
                ws.append(sw * np.pi / 2 * h * np.sin(th))
            else:
                xs.append(p + h * s)
                ws.append(sw * h)
    x, w = np.concatenate(xs), np.concatenate(ws)
    order = np.argsort(x, kind="stable")
    return x[order], w[order]


def partial_transpose_law(spectrum_a: Any, spectrum_b: Any, spectrum_c: Any) -> PartialTransposeLaw:
    """The large-``D`` law of the partial transpose for one random tensor with any links.

    For legs ``A``, ``B``, ``C`` with link spectra ``lambda_A``, ``lambda_B``,
    ``lambda_C``, ``D_A, D_B -> inf`` and ``alpha = D_C / (D_A D_B)`` fixed, the law of
    ``x = D_A D_B lambda`` over the eigenvalues of ``rho_AB^{T_B}`` is that of
    ``D^(1/2) (1 + sqrt(v) S) D^(1/2)``: ``S`` a standard semicircular element free from
    ``D``, ``D`` distributed as ``(D_A lambda_A)(D_B lambda_B)`` (the classical product of
    the two link laws: ``rho_AB^{T_B} = (sigma_A x sigma_B)^(1/2) W^{T_B} (sigma_A x
    sigma_B)^(1/2)`` with ``W^{T_B}`` asymptotically semicircular), and ``v = m_2(C) /
    alpha`` with ``m_2(C) = D_C sum lambda_C^2``. Its moments are those of
    :func:`partial_transpose_moments` with ``limit=True`` (non-crossing partitions into
    pairs and singletons); for maximally entangled links it is the semicircle of
    :func:`semicircle_log_negativity`.

    The density comes from the self-consistent equation of the Cauchy transform,
    ``G(z) = sum_i w_i / (z - a_i u)`` with ``u = 1 + v sum_i w_i a_i / (z - a_i u)``
    over the atoms ``a_i`` (weights ``w_i``) of ``D``: the equation of a Wigner matrix
    with variance profile ``v a_i a_j``. The support is found on a scan that is uniform
    and also geometric towards 0 (where small atoms make narrow pieces), its ends by
    bisection; the density is integrated by Gauss-Legendre rules between the scan points,
    in the angle ``x = edge + h (1 - cos theta)`` next to an edge (square-root edges
    become smooth). ``mass_error`` is the rule's error on the total mass (about ``1e-9``
    for links within a few orders of magnitude).

    Parameters
    ----------
    spectrum_a, spectrum_b, spectrum_c : array_like
        Link spectra of the three legs (positive, summing to 1). Beyond 128 distinct
        values of ``D_A lambda_A D_B lambda_B`` (equal to 12 digits) the product law is
        binned into 128 equal-mass atoms (means kept), with a :class:`RuntimeWarning`
        that says how far its moments moved.

    Returns
    -------
    PartialTransposeLaw

    Raises
    ------
    ValueError
        For a spectrum that is not positive or does not sum to 1, or where the density
        could not be resolved (it integrates to 1 only within more than ``1e-3``: link
        spectra that spread over many orders of magnitude); between ``1e-6`` and
        ``1e-3`` a :class:`RuntimeWarning` says so (``mass_error``).

    Examples
    --------
    Links on ``A`` and ``B`` make the state less negative than flat ones at the same
    ``alpha``:

    >>> two = lambda d, r: np.repeat([1.0, r], d // 2) / (d // 2 * (1 + r))
    >>> flat = partial_transpose_law(np.full(8, 1 / 8), np.full(8, 1 / 8), np.full(64, 1 / 64))
    >>> linked = partial_transpose_law(two(8, 4.0), two(8, 4.0), np.full(64, 1 / 64))
    >>> round(flat.log_negativity(), 4), round(linked.log_negativity(), 4)
    (0.1487, 0.0974)
    """
    laws = [_spectrum(s, f"spectrum_{x}") for s, x in zip((spectrum_a, spectrum_b, spectrum_c), "abc")]
    for lam, x in zip(laws, "abc"):
        if np.any(lam == 0):
            raise ValueError(f"spectrum_{x} has zero entries; leave them out (they lower the "
                             "leg's dimension)")
    la, lb, lc = laws
    alpha = lc.size / (la.size * lb.size)
    v = float(lc.size * np.sum(lc**2) / alpha)
    prod_law = np.multiply.outer(la * la.size, lb * lb.size).ravel()
    # equal products that differ in their last bits are one atom
    exponent = np.floor(np.log10(prod_law))
    full = AtomicMeasure(np.round(prod_law / 10**exponent, 12) * 10**exponent)
    mu = full.binned(_MAX_ATOMS)
    if mu is not full:
        off = np.abs(mu.moments(4) / full.moments(4) - 1).max()
        if off > _MASS_WARNED:
            warnings.warn(f"partial_transpose_law: the law of D_A lambda_A D_B lambda_B has "
                          f"{full.atoms.size} distinct values, binned into {mu.atoms.size}; its "
                          f"moments up to the 4th move by up to {off:.2g} (relative), and the law's "
                          "moments, density and negativity with them", RuntimeWarning, stacklevel=2)
    a, w = mu.atoms, mu.weights
    pieces, inner = _support(a, w, v)
    x, weights = _nodes(pieces, inner, _NODES)
    dens = _solve(a, w, v, x)
    mass = float(np.sum(weights * dens))
    error = abs(mass - 1.0)
    if error > _MASS_REFUSED:
        raise ValueError(f"partial_transpose_law: the density could not be resolved (it integrates to "
                         f"{mass:.6g}, not 1); the link spectra spread over {a.max() / a.min():.3g} "
                         "as a ratio, beyond what the grid follows")
    if error > _MASS_WARNED:
        warnings.warn(f"partial_transpose_law: the density integrates to 1 only within {error:.2g}",
                      RuntimeWarning, stacklevel=2)
    return PartialTransposeLaw(x, dens / mass, weights, v, mass_error=error,
                               support=tuple((float(l), float(r)) for l, r in pieces))


def _axes(network, regions) -> list[list[int]]:
    """Axes of ``network.boundary_state`` that belong to each region (documented layout)."""
    sets = [network.region_vertices(r) for r in regions]
    out: list[list[int]] = [[] for _ in regions]
    axis = 0
    for u, v in network.edges:
        for w in (u, v):
            if w in network.boundary:
                for i, s in enumerate(sets):
                    if w in s:
                        out[i].append(axis)
                axis += 1
    return out


def partial_transpose_spectrum(network, region_a: str | Iterable[str], region_b: str | Iterable[str],
                               *, seed: SeedLike = None) -> np.ndarray:
    """Eigenvalues of ``rho_AB^{T_B}`` (normalised ``rho_AB``) for one draw of the tensors.

    Dense: the boundary state is built in full, so keep the boundary dimension small
    (about ``10^4``). The rest of the boundary is traced out.

    Parameters
    ----------
    network : RandomTensorNetwork
        The network (small: its boundary state is built densely).
    region_a, region_b : str or list of str
        Disjoint boundary regions.
    seed : None, int, SeedSequence or Generator
        Same seed, same tensors (as :meth:`RandomTensorNetwork.sample_tensors`).

    Returns
    -------
    numpy.ndarray
        The negativity spectrum, decreasing (sums to 1; negative entries are the
        negativity).

    Examples
    --------
    >>> from qinfo.tensor_networks import star_network
    >>> net = star_network({"A": 3, "B": 3, "C": 3})
    >>> ev = partial_transpose_spectrum(net, "A", "B", seed=0)
    >>> ev.size, round(float(ev.sum()), 12)
    (9, 1.0)
    """
    ra, rb = network.region_vertices(region_a), network.region_vertices(region_b)
    if ra & rb:
        raise ValueError("region_a and region_b must be disjoint")
    psi = network.boundary_state(seed=seed)
    ax_a, ax_b = _axes(network, [region_a, region_b])
    ax_c = [i for i in range(psi.ndim) if i not in ax_a and i not in ax_b]
    da = int(np.prod([psi.shape[i] for i in ax_a]))
    db = int(np.prod([psi.shape[i] for i in ax_b]))
    m = np.transpose(psi, ax_a + ax_b + ax_c).reshape(da, db, -1)
    rho = np.einsum("abk,cdk->abcd", m, m.conj())  # rho[(a b), (c d)]
    rho /= np.einsum("abab->", rho).real
    pt = rho.transpose(0, 3, 2, 1).reshape(da * db, da * db)  # transpose on B
    return np.sort(np.linalg.eigvalsh((pt + pt.conj().T) / 2))[::-1]


def log_negativity(spectrum: Any) -> float:
    """``log sum |lambda_i|`` of a negativity spectrum (nats).

    Parameters
    ----------
    spectrum : array_like
        Eigenvalues of a partial transpose (from :func:`partial_transpose_spectrum`).

    Returns
    -------
    float

    Examples
    --------
    >>> round(log_negativity([0.5, 0.5, 0.5, -0.5]), 6)    # a Bell pair: log 2
    0.693147
    """
    lam = np.asarray(spectrum, dtype=float).ravel()
    if lam.size == 0 or not np.all(np.isfinite(lam)):
        raise ValueError("spectrum must be a non-empty array of finite numbers")
    return float(np.log(np.sum(np.abs(lam))))
