"""The semiclassical regime of random tensor networks: links with unbounded spectral variation.

Cheng, Lancien, Penington, Walter and Witteveen (arXiv:2206.10482) treat links whose
spectra spread over many scales, the model case being a tensor power ``rho_e^{(x)N}``.
There the spectrum of ``rho_A`` is best described by its *information spectrum*: the
law of ``h = -log lambda`` when an eigenvalue ``lambda`` is drawn with probability
``lambda``. Its mean is the von Neumann entropy; its quantiles are the smooth min- and
max-entropies.

The rule used here, on the series-parallel element tree of the network seen from the
region (:func:`~qinfo.tensor_networks.series_parallel_tree`):

- a link contributes ``h_e = -log lambda_e`` with ``lambda_e`` drawn from its spectrum;
- elements in parallel are a tensor product: their ``h`` add (independent);
- elements in series through a Gaussian bulk tensor: the tensor maps the larger
  element's typical subspace onto the smaller one's, and ``h`` is the *minimum* of the
  parts' ``h`` (independent).

So two competing minimal cuts ``gamma_1, gamma_2`` that share the edges ``S`` give
``h = h_S + min(h_1, h_2)``: the minimum of the two *correlated* cut variables
``H_gamma_i = h_S + h_i``, with covariance ``Var h_S``. For tensor-power links each
``h_e`` is a sum of ``N`` i.i.d. terms, so ``h_e ~ N H_e + sqrt(N V_e) Z_e`` (``V_e`` the
varentropy); only the cuts of minimal total entropy survive the minimum, and

    h = N H_min + sqrt(N) * min_gamma (sum_{e in gamma} sqrt(V_e) Z_e) + o(sqrt N),

the law of :func:`gaussian_limit`. With two disjoint tied cuts of equal varentropy
``V`` this gives ``S(A) = N H - sqrt(N V / pi) + o(sqrt N)``. The rule drops the ``O(1)``
smearing by the bulk tensors (``-1/2`` for two flat cuts), which the free-probability
law of :func:`~qinfo.tensor_networks.predict_spectrum` keeps; which of
the two is closer at a given ``N`` is measured in ``qinfo reproduce rtn``.

Smooth entropies (trace-distance smoothing over sub-normalised spectra ``q <= p``):

- ``H_min^eps = -log t`` with ``sum_i max(p_i - t, 0) = eps`` (cut the largest
  eigenvalues down to a common level, removing mass ``eps``);
- ``H_max^eps = log #`` of the fewest largest eigenvalues holding mass ``1 - eps``
  (the smoothed Hartley entropy ``H_0^eps``, counted fractionally at the boundary).

Both are computed the same way for a sampled spectrum and for a predicted law, so they
compare like with like. Entropies are in nats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from qinfo._validate import check_int

__all__ = [
    "InformationSpectrum",
    "tensor_power",
    "information_minimum",
    "semiclassical_law",
    "gaussian_limit",
]

_MAX_ATOMS = 4000  # atoms kept by an independent sum (binned on a uniform h grid)
_GAUSS_POINTS = 801  # atoms of a discretised standard Gaussian, on [-8, 8]


def _check_eps(eps: float) -> float:
    if isinstance(eps, bool) or not np.isscalar(eps) or not 0 < float(eps) < 1:
        raise ValueError(f"eps must be a number in (0, 1), got {eps!r}")
    return float(eps)


def _check_spectrum(spectrum: Any) -> np.ndarray:
    lam = np.asarray(spectrum, dtype=float).ravel()
    if lam.size == 0 or not np.all(np.isfinite(lam)) or np.any(lam < 0) or abs(lam.sum() - 1) > 1e-8:
        raise ValueError("spectrum must be a non-empty array of non-negative numbers summing to 1")
    return lam


@dataclass(frozen=True)
class InformationSpectrum:
    """The law of ``h = -log lambda``, ``lambda`` drawn with probability ``lambda`` (nats).

    A spectrum is recovered from it: ``exp(-h)`` has multiplicity ``w exp(h)``.

    Parameters
    ----------
    values : array_like
        The values of ``h`` (sorted and merged when equal).
    weights : array_like
        Their probabilities (non-negative, summing to 1).

    Examples
    --------
    >>> info = InformationSpectrum.from_spectrum([0.5, 0.25, 0.25])
    >>> info.values.round(4), info.weights
    (array([0.6931, 1.3863]), array([0.5, 0.5]))
    >>> round(float(info.entropy() / np.log(2)), 12)      # 1.5 bits
    1.5
    >>> round(float(info.smooth_min_entropy(0.25) / np.log(2)), 12)   # cut 0.5 down to 0.25
    2.0
    """

    values: np.ndarray
    weights: np.ndarray

    def __post_init__(self):
        h = np.asarray(self.values, dtype=float).ravel()
        w = np.asarray(self.weights, dtype=float).ravel()
        if h.size == 0 or w.shape != h.shape or not np.all(np.isfinite(h)):
            raise ValueError("values must be finite, non-empty, and weights must match them")
        if np.any(w < 0) or abs(w.sum() - 1) > 1e-8:
            raise ValueError(f"weights must be non-negative and sum to 1, got sum {w.sum():.12g}")
        order = np.argsort(h, kind="stable")
        h, w = h[order], w[order]
        keep = np.concatenate([[True], np.diff(h) > 1e-12 * np.maximum(1.0, np.abs(h[1:]))])
        groups = np.cumsum(keep) - 1
        object.__setattr__(self, "values", h[keep])
        object.__setattr__(self, "weights", np.bincount(groups, weights=w))

    @classmethod
    def from_spectrum(cls, spectrum: Any) -> InformationSpectrum:
        """The information spectrum of a (normalised) spectrum; zero eigenvalues carry no weight.

        Parameters
        ----------
        spectrum : array_like
            Non-negative numbers summing to 1.

        Returns
        -------
        InformationSpectrum

        Examples
        --------
        >>> InformationSpectrum.from_spectrum([0.5, 0.5, 0.0]).weights
        array([1.])
        """
        lam = _check_spectrum(spectrum)
        lam = lam[lam > 0]
        return cls(-np.log(lam), lam / lam.sum())

    @classmethod
    def gaussian(cls, mean: float, variance: float) -> InformationSpectrum:
        """``N(mean, variance)`` on a grid of 801 atoms over ``mean +- 8 sd`` (a point mass if 0).

        Parameters
        ----------
        mean : float
            The mean of ``h``.
        variance : float
            Its variance (``>= 0``).

        Returns
        -------
        InformationSpectrum

        Examples
        --------
        >>> g = InformationSpectrum.gaussian(2.0, 0.25)
        >>> round(g.entropy(), 12), round(g.variance(), 6)
        (2.0, 0.25)
        """
        if not np.isfinite(mean) or not variance >= 0:
            raise ValueError(f"need a finite mean and variance >= 0, got {mean!r}, {variance!r}")
        if variance == 0:
            return cls(np.array([float(mean)]), np.array([1.0]))
        z = np.linspace(-8.0, 8.0, _GAUSS_POINTS)
        w = np.exp(-z**2 / 2)
        return cls(mean + np.sqrt(variance) * z, w / w.sum())

    def entropy(self) -> float:
        """Von Neumann entropy ``E h`` (nats).

        Returns
        -------
        float

        Examples
        --------
        >>> round(InformationSpectrum.from_spectrum([0.25] * 4).entropy(), 12) == round(float(np.log(4)), 12)
        True
        """
        return float(np.dot(self.weights, self.values))

    def variance(self) -> float:
        """Varentropy ``Var h`` (nats squared).

        Returns
        -------
        float

        Examples
        --------
        >>> InformationSpectrum.from_spectrum([0.25] * 4).variance()      # flat: no variance
        0.0
        """
        return float(np.dot(self.weights, (self.values - self.entropy()) ** 2))

    def renyi(self, alpha: float) -> float:
        """Renyi entropy ``log(E exp((1 - alpha) h)) / (1 - alpha)``; ``alpha=inf``: ``min h``.

        Parameters
        ----------
        alpha : float
            The order (``>= 0`` or ``inf``; 1 is the von Neumann entropy).

        Returns
        -------
        float

        Examples
        --------
        >>> info = InformationSpectrum.from_spectrum([0.5, 0.25, 0.25])
        >>> round(info.renyi(2), 6), round(info.renyi(np.inf), 6)     # -log 3/8, -log 1/2
        (0.980829, 0.693147)
        """
        if alpha == 1:
            return self.entropy()
        if alpha == np.inf:
            return float(self.values[0])
        if not alpha >= 0:
            raise ValueError(f"alpha must be >= 0 or inf, got {alpha!r}")
        a = (1.0 - alpha) * self.values
        top = a.max()
        return float((top + np.log(np.dot(self.weights, np.exp(a - top)))) / (1.0 - alpha))

    def cdf(self, h: Any) -> np.ndarray:
        """``P(-log lambda <= h)``.

        Parameters
        ----------
        h : array_like
            Values of ``-log lambda``.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> InformationSpectrum.from_spectrum([0.5, 0.25, 0.25]).cdf([0.7, 2.0])
        array([0.5, 1. ])
        """
        cum = np.cumsum(self.weights)
        idx = np.searchsorted(self.values, np.asarray(h, dtype=float), side="right")
        return np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0)

    def quantile(self, q: float) -> float:
        """The smallest ``h`` with ``P(-log lambda <= h) >= q``.

        Parameters
        ----------
        q : float
            A probability.

        Returns
        -------
        float

        Examples
        --------
        >>> round(InformationSpectrum.from_spectrum([0.5, 0.25, 0.25]).quantile(0.75), 6)   # log 4
        1.386294
        """
        cum = np.cumsum(self.weights)
        return float(self.values[min(np.searchsorted(cum, q - 1e-15), self.values.size - 1)])

    def smooth_min_entropy(self, eps: float) -> float:
        """``H_min^eps = -log t`` with ``sum_i max(lambda_i - t, 0) = eps`` (nats).

        Parameters
        ----------
        eps : float
            The smoothing, in ``(0, 1)``.

        Returns
        -------
        float

        Examples
        --------
        >>> info = InformationSpectrum.from_spectrum([0.5, 0.25, 0.25])
        >>> round(float(info.smooth_min_entropy(0.25) / np.log(2)), 12)   # cut 0.5 down to 0.25
        2.0
        """
        eps = _check_eps(eps)
        h, w = self.values, self.weights

        def removed(log_t):  # sum over atoms of w (1 - t / lambda)_+ , lambda = e^{-h}
            return float(np.dot(w, np.maximum(1.0 - np.exp(log_t + h), 0.0)))

        lo, hi = -h[-1] - 1.0, -h[0]  # removed(lo) <= ... ; removed(-h[0]) = 0
        while removed(lo) < eps:
            lo -= 1.0 + abs(lo)
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if removed(mid) < eps else (mid, hi)
        return float(-(lo + hi) / 2)

    def smooth_max_entropy(self, eps: float) -> float:
        """``H_max^eps = log`` (fewest largest eigenvalues holding mass ``1 - eps``) (nats).

        The count is fractional at the last eigenvalue needed, so the value is continuous
        in ``eps``.

        Parameters
        ----------
        eps : float
            The smoothing, in ``(0, 1)``.

        Returns
        -------
        float

        Examples
        --------
        >>> info = InformationSpectrum.from_spectrum([0.5, 0.25, 0.25])
        >>> round(float(info.smooth_max_entropy(0.5) / np.log(2)), 12)   # one eigenvalue holds 1/2
        0.0
        """
        eps = _check_eps(eps)
        h, w = self.values, self.weights
        cum = np.cumsum(w)
        k = int(np.searchsorted(cum, 1.0 - eps - 1e-15))
        k = min(k, h.size - 1)
        before = float(cum[k - 1]) if k else 0.0
        # counts w e^h per atom; log-sum-exp keeps large h finite
        logs = np.log(np.append(w[:k], 1.0 - eps - before).clip(1e-300)) + h[:k + 1]
        top = logs.max()
        return float(top + np.log(np.sum(np.exp(logs - top))))

    def __add__(self, other: InformationSpectrum) -> InformationSpectrum:
        """The law of ``h_1 + h_2`` for independent parts (a tensor product)."""
        if not isinstance(other, InformationSpectrum):
            return NotImplemented
        h = np.add.outer(self.values, other.values).ravel()
        w = np.multiply.outer(self.weights, other.weights).ravel()
        return _binned(h, w)

    def scaled(self, n: float, shift: float = 0.0) -> InformationSpectrum:
        """The law of ``shift + n h``.

        Parameters
        ----------
        n : float
            The factor.
        shift : float
            The shift.

        Returns
        -------
        InformationSpectrum

        Examples
        --------
        >>> InformationSpectrum.from_spectrum([0.5, 0.5]).scaled(2.0, shift=1.0).values.round(6)
        array([2.386294])
        """
        return InformationSpectrum(shift + n * self.values, self.weights)


def _binned(h: np.ndarray, w: np.ndarray, k: int = _MAX_ATOMS) -> InformationSpectrum:
    """At most about ``k`` atoms: split each atom between its two neighbours on a uniform grid
    (linear interpolation of the mass, which keeps the mean)."""
    uniq = np.unique(h)
    if uniq.size <= k:
        return InformationSpectrum(h, w)
    grid = np.linspace(h.min(), h.max(), k)
    step = grid[1] - grid[0]
    pos = (h - grid[0]) / step
    i = np.minimum(np.floor(pos).astype(int), k - 2)
    frac = pos - i
    mass = np.bincount(i, weights=w * (1 - frac), minlength=k) + np.bincount(
        i + 1, weights=w * frac, minlength=k)
    keep = mass > 0
    return InformationSpectrum(grid[keep], mass[keep] / mass[keep].sum())


def tensor_power(spectrum: Any, n: int) -> InformationSpectrum:
    """The exact information spectrum of ``rho^{(x)n}`` (``n``-fold sum of ``-log lambda``).

    Parameters
    ----------
    spectrum : array_like
        The spectrum of ``rho`` (non-negative, summing to 1).
    n : int
        The number of copies (``>= 1``).

    Returns
    -------
    InformationSpectrum

    Examples
    --------
    >>> info = tensor_power([0.9, 0.1], 10)
    >>> info.values.size                           # binomial: 11 distinct values
    11
    >>> round(info.entropy(), 10) == round(10 * InformationSpectrum.from_spectrum([0.9, 0.1]).entropy(), 10)
    True
    """
    check_int("n", n, 1)
    base = InformationSpectrum.from_spectrum(spectrum)
    out, power = None, base
    while n:
        if n & 1:
            out = power if out is None else out + power
        n >>= 1
        if n:
            power = power + power
    return out


def information_minimum(laws: Sequence[InformationSpectrum]) -> InformationSpectrum:
    """The law of ``min_i h_i`` for independent ``h_i`` (``P(min > t) = prod P(h_i > t)``).

    Parameters
    ----------
    laws : sequence of InformationSpectrum
        At least one.

    Returns
    -------
    InformationSpectrum

    Examples
    --------
    >>> a = InformationSpectrum.from_spectrum([0.9, 0.1])
    >>> m = information_minimum([a, a])
    >>> round(m.entropy(), 6)        # E min(h, h') = min_entropy_estimate(a, a)
    0.127333
    """
    laws = list(laws)
    if not laws:
        raise ValueError("laws must contain at least one law")
    if len(laws) == 1:
        return laws[0]
    knots = np.unique(np.concatenate([law.values for law in laws]))
    surv = np.ones(knots.size)
    for law in laws:
        surv *= 1.0 - law.cdf(knots)
    cdf = 1.0 - surv
    w = np.diff(np.concatenate([[0.0], cdf]))
    return InformationSpectrum(knots, np.clip(w, 0.0, None) / np.clip(w, 0.0, None).sum())


def semiclassical_law(network, region: str | Iterable[str]) -> InformationSpectrum:
    """The semiclassical information spectrum of ``rho_A`` from the network's own links.

    Links give their exact information spectra; parallel elements add, elements in series
    through a bulk vertex take the minimum (see the module notes). Finite-size version of
    :func:`gaussian_limit`: build the network with tensor-power link spectra to compare.

    Parameters
    ----------
    network : RandomTensorNetwork
        The network.
    region : str or list of str
        Region name(s) forming ``A``.

    Returns
    -------
    InformationSpectrum
        Its ``entropy()`` is the semiclassical ``S(A)``; ``smooth_min_entropy`` and
        ``smooth_max_entropy`` the predicted smooth entropies (nats).

    Raises
    ------
    NotSeriesParallelError
        If the network is not series-parallel seen from ``region``.

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> a = np.array([0.9, 0.1])
    >>> net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), {"A": ["a"], "B": ["b"]},
    ...                           link_spectra={("a", "x"): a, ("x", "b"): a})
    >>> round(semiclassical_law(net, "A").entropy(), 6)    # E min(h_1, h_2)
    0.127333
    """
    from qinfo.tensor_networks._series_parallel import Link, Parallel, series_parallel_tree

    def law(tree) -> InformationSpectrum:
        if isinstance(tree, Link):
            return InformationSpectrum.from_spectrum(tree.spectrum)
        parts = [law(p) for p in tree.parts]
        if isinstance(tree, Parallel):
            out = parts[0]
            for p in parts[1:]:
                out = out + p
            return out
        return information_minimum(parts)

    tree = series_parallel_tree(network, region)
    if tree is None:
        return InformationSpectrum(np.zeros(1), np.ones(1))
    return law(tree)


def gaussian_limit(network, region: str | Iterable[str], n: int) -> InformationSpectrum:
    """The ``sqrt(n)``-scale limiting law of ``h`` for links ``rho_e^{(x)n}``.

    ``network`` carries the single-copy link spectra ``rho_e``. Each link becomes
    ``n H_e + sqrt(n V_e) Z_e`` (entropy ``H_e``, varentropy ``V_e``, ``Z_e`` standard
    Gaussian); parallel parts add their leading rates and fluctuations, series parts keep
    only the parts of least rate (ties within ``1e-9``) and take the minimum of their
    fluctuations. The result is ``n H_min + sqrt(n) Z`` with ``Z`` the minimum of
    correlated Gaussians, ``O(1)`` terms dropped.

    Parameters
    ----------
    network : RandomTensorNetwork
        Single-copy links.
    region : str or list of str
        Region name(s) forming ``A``.
    n : int
        Number of tensor-power copies of every link.

    Returns
    -------
    InformationSpectrum

    Examples
    --------
    Two disjoint tied cuts of equal varentropy ``V``: ``S = n H - sqrt(n V / pi)``.

    >>> from qinfo.tensor_networks import two_cut_network
    >>> a = np.array([0.85, 0.15])
    >>> net = two_cut_network(2, links=a)
    >>> one = InformationSpectrum.from_spectrum(a)
    >>> s = gaussian_limit(net, "A", 100).entropy()
    >>> round(float(s - (100 * one.entropy() - np.sqrt(100 * one.variance() / np.pi))), 2)
    0.0
    """
    from qinfo.tensor_networks._series_parallel import Link, Parallel, series_parallel_tree

    check_int("n", n, 1)

    def law(tree) -> tuple[float, InformationSpectrum]:
        if isinstance(tree, Link):
            one = InformationSpectrum.from_spectrum(tree.spectrum)
            return one.entropy(), InformationSpectrum.gaussian(0.0, one.variance())
        parts = [law(p) for p in tree.parts]
        if isinstance(tree, Parallel):
            rate, fluct = parts[0]
            for r, f in parts[1:]:
                rate, fluct = rate + r, fluct + f
            return rate, fluct
        best = min(r for r, _ in parts)
        tied = [f for r, f in parts if r <= best + 1e-9 * max(1.0, abs(best))]
        return best, information_minimum(tied)

    tree = series_parallel_tree(network, region)
    if tree is None:
        return InformationSpectrum(np.zeros(1), np.ones(1))
    rate, fluct = law(tree)
    return fluct.scaled(np.sqrt(n), shift=n * rate)
