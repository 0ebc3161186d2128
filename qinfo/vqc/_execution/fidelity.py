"""From measured outcomes to post-selected fidelities with standard errors.

Every target returns, per circuit execution, an :class:`Outcomes` table: the
distinct joint readings of the ``post`` and ``test`` registers with their
weights (shot counts, or exact probabilities for exact targets). The fidelity
estimate keeps the rows where every post-selection bit reads 0, renormalises
over them, and turns the mean of a per-row indicator into a fidelity:

========================  ===========================  =============
method                    indicator ``g``              fidelity
========================  ===========================  =============
``swap``                  ancilla reads 1              ``1 - 2 q``
``destructive_swap``      odd number of pairs read 11  ``1 - 2 q``
``inverse``               all test bits read 0         ``q``
========================  ===========================  =============

with ``q`` the post-selected mean of ``g`` over ``n`` kept shots and standard
error ``|b| sqrt(q (1 - q) / n)`` (``b`` the slope in the last column).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["Outcomes", "FidelityEstimate", "estimate_fidelities", "indicator", "wilson_interval"]


@dataclass
class Outcomes:
    """Distinct joint readings of the ``post`` and ``test`` registers with weights.

    Attributes
    ----------
    post, test : numpy.ndarray of bool
        Shape ``(K, n_post)`` and ``(K, n_test)``; column ``j`` is bit ``j``.
    weights : numpy.ndarray
        Shape ``(K,)``: shot counts, or probabilities for exact targets.
    indicator_stderr : float, optional
        Standard error of the post-selected mean of the indicator when the
        weights are not plain shot counts (readout-mitigated tables, see
        :mod:`~qinfo.vqc._execution.readout`); ``None``: the binomial formula.
    """

    post: np.ndarray
    test: np.ndarray
    weights: np.ndarray
    indicator_stderr: float | None = None

    @classmethod
    def from_shots(cls, post: np.ndarray, test: np.ndarray) -> "Outcomes":
        """Tally per-shot bit arrays (``(shots, n_post)`` and ``(shots, n_test)``).

        Examples
        --------
        >>> o = Outcomes.from_shots(np.array([[0], [0], [1]]), np.array([[1], [1], [0]]))
        >>> o.weights.tolist()  # rows sorted: (post=0, test=1) twice, then (1, 0)
        [2.0, 1.0]
        """
        post = np.asarray(post, dtype=bool).reshape(len(post), -1)
        test = np.asarray(test, dtype=bool).reshape(len(test), -1)
        joint = np.concatenate([post, test], axis=1)
        rows, counts = np.unique(joint, axis=0, return_counts=True)
        n_post = post.shape[1]
        return cls(rows[:, :n_post], rows[:, n_post:], counts.astype(float))

    def to_json(self) -> dict:
        """Plain-JSON form (bit strings, bit ``0`` first) for resume files."""

        def bits(a):
            return ["".join("1" if b else "0" for b in row) for row in a]

        return {"post": bits(self.post), "test": bits(self.test), "weights": self.weights.tolist()}

    @classmethod
    def from_json(cls, data: dict) -> "Outcomes":
        """Inverse of :meth:`to_json`."""

        def bits(rows, width):
            return np.array([[c == "1" for c in r] for r in rows], dtype=bool).reshape(len(rows), width)

        n_post = len(data["post"][0]) if data["post"] else 0
        n_test = len(data["test"][0]) if data["test"] else 0
        return cls(bits(data["post"], n_post), bits(data["test"], n_test), np.asarray(data["weights"], float))


@dataclass
class FidelityEstimate:
    """Post-selected fidelity estimates for a list of (state, reference) pairs.

    What :meth:`Backend.estimate <qinfo.vqc.Backend.estimate>` returns and
    :class:`~qinfo.vqc.EvaluationReport` holds, one entry per pair.

    Parameters
    ----------
    values : numpy.ndarray
        Estimated fidelities (``nan`` where no shot survived post-selection).
    stderr : numpy.ndarray
        Standard errors (0 for exact targets).
    shots : int or None
        Shots per pair; ``None`` for exact targets.
    kept_shots : numpy.ndarray
        Shots that survived post-selection, per pair (for exact targets, the
        post-selection probability).
    postselection_rate : numpy.ndarray
        Fraction of shots (or probability) kept, per pair.
    method : str
        The fidelity-test circuit used.
    measured_shots : numpy.ndarray or None
        Shots actually measured per pair (``None`` for exact targets). It can
        exceed ``shots``: with twirling the IBM runtime rounds the shots up to
        a whole number of randomizations.

    Examples
    --------
    >>> o = Outcomes(np.zeros((2, 0), bool), np.array([[False], [True]]), np.array([900.0, 100.0]))
    >>> est = estimate_fidelities("swap", [o], shots=1000)
    >>> len(est), round(float(est.values[0]), 3), float(est.postselection_rate[0])
    (1, 0.8, 1.0)
    """

    values: np.ndarray
    stderr: np.ndarray
    shots: int | None
    kept_shots: np.ndarray
    postselection_rate: np.ndarray
    method: str
    measured_shots: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.values)


def indicator(method: str, test: np.ndarray) -> np.ndarray:
    """The per-outcome indicator ``g`` of ``method`` (see the table above), one per row of ``test``.

    Examples
    --------
    >>> indicator("inverse", np.array([[False, False], [True, False]])).tolist()
    [True, False]
    """
    if method == "swap":
        return test[:, 0]
    if method == "destructive_swap":
        return (test[:, 0::2] & test[:, 1::2]).sum(axis=1) % 2 == 1
    if method == "inverse":
        return ~test.any(axis=1)
    raise ValueError(f"method must be 'destructive_swap', 'swap' or 'inverse', got {method!r}")


def estimate_fidelities(
    method: str, outcomes: list[Outcomes], shots: int | None, *, warn: bool = True
) -> FidelityEstimate:
    """Post-selected fidelity and standard error for each outcome table.

    Parameters
    ----------
    method : {"destructive_swap", "swap", "inverse"}
    outcomes : list of Outcomes
        One table per pair.
    shots : int or None
        ``None`` when the weights are exact probabilities.
    warn : bool
        Warn when a pair kept no shot after post-selection (its value is nan).

    Examples
    --------
    SWAP test, 1000 shots, no post-selection, ancilla read 1 on 100 shots:

    >>> o = Outcomes(np.zeros((2, 0), bool), np.array([[False], [True]]), np.array([900.0, 100.0]))
    >>> est = estimate_fidelities("swap", [o], shots=1000)
    >>> round(float(est.values[0]), 3), round(float(est.stderr[0]), 4)
    (0.8, 0.019)
    """
    n = len(outcomes)
    values, stderr = np.full(n, np.nan), np.full(n, np.nan)
    kept, rate, measured = np.zeros(n), np.zeros(n), np.zeros(n)
    slope = 1.0 if method == "inverse" else 2.0
    empty = 0
    for k, o in enumerate(outcomes):
        ok = ~o.post.any(axis=1)
        total = o.weights.sum()
        measured[k] = total
        w = o.weights[ok]
        mass = w.sum()
        rate[k] = mass / total if total > 0 else 0.0
        kept[k] = mass
        if mass <= 0:
            empty += 1
            continue
        q = float(w @ indicator(method, o.test[ok])) / mass
        values[k] = q if method == "inverse" else 1.0 - 2.0 * q
        if shots is None:
            stderr[k] = 0.0
        elif o.indicator_stderr is not None:
            stderr[k] = slope * o.indicator_stderr
        else:
            stderr[k] = slope * np.sqrt(q * (1.0 - q) / mass)
    if empty and warn:
        warnings.warn(
            f"{empty} of {n} pairs kept no shot after post-selection; their fidelity is nan. "
            "Increase shots.",
            RuntimeWarning,
            stacklevel=2,
        )
    return FidelityEstimate(values, stderr, shots, kept, rate, method, None if shots is None else measured)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Examples
    --------
    >>> lo, hi = wilson_interval(8, 10)
    >>> round(lo, 3), round(hi, 3)
    (0.49, 0.943)
    """
    from scipy.stats import norm

    if trials <= 0:
        raise ValueError(f"trials must be positive, got {trials}")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must lie in [0, trials={trials}], got {successes}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    z = float(norm.ppf(0.5 + confidence / 2))
    p = successes / trials
    denom = 1 + z**2 / trials
    centre = (p + z**2 / (2 * trials)) / denom
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denom
    return float(centre - half), float(centre + half)

