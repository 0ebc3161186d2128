"""Pictures and goodness of fit: sampled spectra against their prediction."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from qinfo.tensor_networks._spectra import SpectrumSamples

__all__ = ["plot_spectrum", "ks_distance"]


def _eigenvalues(samples: Any) -> np.ndarray:
    if isinstance(samples, SpectrumSamples):
        lam = samples.pooled()
    elif isinstance(samples, (list, tuple)) and samples and np.ndim(samples[0]) == 1:
        lam = np.concatenate([np.asarray(s, dtype=float) for s in samples])
    else:
        lam = np.asarray(samples, dtype=float).ravel()
    if lam.size == 0:
        raise ValueError("samples contain no eigenvalues")
    if np.any(lam <= 0) or not np.all(np.isfinite(lam)):
        raise ValueError("samples must hold positive finite eigenvalues")
    return lam


def ks_distance(samples: Any, reference: Any) -> float:
    """Kolmogorov-Smirnov distance between sampled eigenvalues and a reference.

    Parameters
    ----------
    samples : SpectrumSamples, array or list of arrays
        Eigenvalues (all samples pooled).
    reference : SpectrumPrediction, callable or array
        A prediction (its ``cdf``), any CDF ``F(lambda)``, or other eigenvalues
        (two-sample distance).

    Returns
    -------
    float
        ``sup_lambda |F_samples(lambda) - F_reference(lambda)|``.

    Examples
    --------
    >>> ks_distance([0.25, 0.25, 0.5], lambda x: np.clip(2 * np.asarray(x), 0, 1))
    0.5
    >>> ks_distance([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> ks_distance([0.5, 0.5], lambda x: 1.0 * (np.asarray(x) >= 0.5))   # an atom at 0.5
    0.0
    """
    lam = np.sort(_eigenvalues(samples))
    if hasattr(reference, "cdf"):
        cdf: Callable = reference.cdf
    elif callable(reference):
        cdf = reference
    else:
        ref = np.sort(_eigenvalues(reference))
        cdf = lambda x: np.searchsorted(ref, x, side="right") / ref.size  # noqa: E731
    # Both CDFs are right-continuous step-or-monotone functions: the supremum is reached at
    # a sample point, from the right or from the left, so jumps of the reference (atoms of
    # a discrete prediction, another sample) are compared at both of their sides.
    xs = np.unique(lam)
    emp_right = np.searchsorted(lam, xs, side="right") / lam.size
    emp_left = np.searchsorted(lam, xs, side="left") / lam.size
    ref_right = np.asarray(cdf(xs), dtype=float)
    ref_left = np.asarray(cdf(np.nextafter(xs, -np.inf)), dtype=float)
    return float(max(np.abs(emp_right - ref_right).max(), np.abs(emp_left - ref_left).max()))


def plot_spectrum(samples: Any, prediction: Any = None, *, bins: int = 60, axes: Any = None,
                  label: str = "sampled"):
    """Histogram on a log axis and CDF of sampled eigenvalues, beside a prediction.

    Parameters
    ----------
    samples : SpectrumSamples, array or list of arrays
        Eigenvalues (all samples pooled).
    prediction : SpectrumPrediction, optional
        Drawn as a curve (density and CDF); a discrete (unique-cut) prediction is
        drawn as vertical lines at its eigenvalues and a step CDF.
    bins : int
        Number of logarithmic bins.
    axes : pair of matplotlib Axes, optional
        Where to draw; a new figure with two panels by default.
    label : str
        Legend label of the samples.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig = plot_spectrum(np.random.default_rng(0).dirichlet(np.ones(50)))
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt

    lam = _eigenvalues(samples)
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    else:
        fig = axes[0].figure
    ax_h, ax_c = axes
    lo, hi = lam.min(), lam.max()
    if prediction is not None and not prediction.is_atomic:
        lo = min(lo, hi * 1e-3)
    edges = np.geomspace(lo / 1.05, hi * 1.05, bins + 1)
    counts, _ = np.histogram(lam, edges)
    dens = counts / (lam.size * np.diff(np.log(edges)))
    ax_h.stairs(dens, edges, fill=True, alpha=0.45, label=label)
    xs = np.geomspace(edges[0], edges[-1], 600)
    order = np.sort(lam)
    ax_c.step(order, np.arange(1, order.size + 1) / order.size, where="post", label=label)
    if prediction is not None:
        if prediction.is_atomic:
            for a in np.unique(prediction.factors[0].atoms) / prediction.dimension:
                ax_h.axvline(a, color="k", lw=1, ls="--")
        else:
            ax_h.plot(xs, xs * prediction.pdf(xs), "k-", lw=1.4, label="prediction")
        ax_c.plot(xs, prediction.cdf(xs), "k--", lw=1.2, label="prediction")
    ax_h.set_xscale("log")
    ax_h.set_xlabel(r"eigenvalue $\lambda$ of $\rho_A$")
    ax_h.set_ylabel(r"density per unit $\ln\lambda$")
    ax_c.set_xscale("log")
    ax_c.set_xlabel(r"eigenvalue $\lambda$")
    ax_c.set_ylabel("cumulative fraction")
    ax_h.legend(frameon=False)
    ax_c.legend(frameon=False, loc="upper left")
    fig.tight_layout()
    return fig
