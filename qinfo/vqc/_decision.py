"""The decision rule of the caption models, from match scores (fidelities) to answers.

Binary task: a (caption, image) pair is a match when its score is strictly
above a threshold; the threshold is the cut between sorted training scores
that maximises training accuracy (:func:`best_threshold`). K-way task: the
candidate caption with the highest score wins (the first one on ties).

Both the exact models and the evaluation on backends (shot-based fidelity
estimates, a threshold calibrated on a backend) use these functions, so the
rule is written once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["best_threshold", "decide", "accuracy"]


def best_threshold(scores, labels) -> float:
    """The cut between sorted scores that maximises accuracy of ``score > cut``.

    The cut is a midpoint between neighbouring distinct sorted scores (or just
    below the lowest, or just above the highest); equal scores always fall on
    the same side. The lowest such cut wins a tie.

    Parameters
    ----------
    scores : array_like, shape (n,)
        Match scores of pairs.
    labels : array_like, shape (n,)
        1 for a matching pair, 0 otherwise.

    Returns
    -------
    float

    Examples
    --------
    >>> best_threshold([0.1, 0.4, 0.6, 0.8], [0, 0, 1, 1])
    0.5
    """
    f = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=float)
    if f.ndim != 1 or f.shape != y.shape or len(f) == 0:
        raise ValueError(f"scores and labels must be non-empty 1-d arrays of one length, got shapes "
                         f"{f.shape} and {y.shape}")
    order = np.argsort(f, kind="stable")
    fs, ys = f[order], y[order]
    mid = (fs[:-1] + fs[1:]) / 2
    mid = np.where(mid < fs[1:], mid, fs[:-1])  # a midpoint rounded up onto the larger score
    cuts = np.concatenate([[fs[0] - 1e-12], mid, [fs[-1] + 1e-12]])
    # predicting 1 above cut k (after the k lowest scores): correct = negatives among the k lowest
    # + positives among the rest. A cut between two equal scores cannot separate them: not a cut.
    neg_below = np.concatenate([[0], np.cumsum(1 - ys)])
    pos_above = np.sum(ys) - np.concatenate([[0], np.cumsum(ys)])
    separates = np.concatenate([[True], fs[:-1] < fs[1:], [True]])
    correct = np.where(separates, neg_below + pos_above, -1)
    return float(cuts[np.argmax(correct)])


def decide(scores, *, threshold: float | None = None, n_candidates: int | None = None) -> np.ndarray:
    """Apply the decision rule: ``score > threshold`` (binary) or the arg-max of each item's candidates (k-way).

    Parameters
    ----------
    scores : array_like, shape (n,)
        Binary: one score per item. K-way: the scores of item 0's candidates,
        then item 1's, ...
    threshold : float, optional
        The binary cut; give exactly one of ``threshold`` and ``n_candidates``.
    n_candidates : int, optional
        Candidates per item of the k-way task.

    Returns
    -------
    numpy.ndarray of int
        Binary: 1 (match) or 0 per item. K-way: the index of the chosen
        candidate per item.

    Examples
    --------
    >>> decide([0.9, 0.2, 0.5], threshold=0.5)
    array([1, 0, 0])
    >>> decide([0.1, 0.7, 0.2, 0.3, 0.3, 0.1], n_candidates=3)
    array([1, 0])
    """
    f = np.asarray(scores, dtype=float)
    if (threshold is None) == (n_candidates is None):
        raise ValueError("give exactly one of threshold (binary task) and n_candidates (k-way task)")
    if threshold is not None:
        return (f > threshold).astype(int)
    if n_candidates < 1 or len(f) % n_candidates:
        raise ValueError(f"{len(f)} scores do not split into items of n_candidates={n_candidates}")
    return f.reshape(-1, n_candidates).argmax(axis=1)


def accuracy(predictions, labels) -> float:
    """Fraction of predictions equal to the labels.

    Parameters
    ----------
    predictions, labels : array_like, shape (n,)
        Outputs of :func:`decide` and the true answers.

    Returns
    -------
    float

    Examples
    --------
    >>> accuracy([1, 0, 1, 1], [1, 0, 0, 1])
    0.75
    """
    p, y = np.asarray(predictions), np.asarray(labels)
    if p.shape != y.shape:
        raise ValueError(f"predictions and labels differ in shape: {p.shape} and {y.shape}")
    return float(np.mean(p == y))
