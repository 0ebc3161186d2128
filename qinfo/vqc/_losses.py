"""Losses on match scores (fidelities in [0, 1]) and their derivatives.

Each loss takes the scores ``f`` of a batch of (caption, image) pairs, their
0/1 ``labels`` and ``groups`` (pairs with the same group compete: a caption
with its positive and hard-negative image, or an image with its candidate
captions) and returns ``(loss, dloss/df)``; the loss is a mean over the batch
(BCE) or over the groups (contrastive).
"""

from __future__ import annotations

import numpy as np

__all__ = ["bce", "contrastive", "LOSSES", "EPS"]

#: scores are clipped to [EPS, 1 - EPS] inside the logarithms.
EPS = 1e-7


def bce(f, labels, groups=None, temperature: float = 0.1):
    """Binary cross-entropy with the score as the probability of a match.

    Examples
    --------
    >>> loss, grad = bce(np.array([0.9, 0.1]), np.array([1, 0]))
    >>> round(float(loss), 4)
    0.1054
    """
    f = np.clip(np.asarray(f, dtype=float), EPS, 1 - EPS)
    y = np.asarray(labels, dtype=float)
    loss = -np.mean(y * np.log(f) + (1 - y) * np.log(1 - f))
    grad = (-(y / f) + (1 - y) / (1 - f)) / len(f)
    return float(loss), grad


def contrastive(f, labels, groups, temperature: float = 0.1):
    """Softmax cross-entropy of ``f / temperature`` within each group, the true pair as target.

    Examples
    --------
    >>> loss, _ = contrastive(np.array([0.9, 0.1]), np.array([1, 0]), np.array([0, 0]))
    >>> round(float(loss), 6)
    0.000335
    """
    f = np.asarray(f, dtype=float)
    y = np.asarray(labels, dtype=float)
    groups = np.asarray(groups)
    _, inv = np.unique(groups, return_inverse=True)
    n_groups = inv.max() + 1
    z = f / temperature
    zmax = np.full(n_groups, -np.inf)
    np.maximum.at(zmax, inv, z)
    e = np.exp(z - zmax[inv])
    denom = np.zeros(n_groups)
    np.add.at(denom, inv, e)
    p = e / denom[inv]
    pos = np.zeros(n_groups)
    np.add.at(pos, inv, y)
    if np.any(pos != 1):
        raise ValueError("contrastive loss needs exactly one positive pair per group")
    loss = -np.sum(y * np.log(np.maximum(p, 1e-300))) / n_groups
    grad = (p - y) / temperature / n_groups
    return float(loss), grad


#: name -> loss function, for ``CaptionModel(loss=...)``.
LOSSES = {"bce": bce, "contrastive": contrastive}
