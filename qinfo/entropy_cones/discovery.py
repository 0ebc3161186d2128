"""Discovering hypergraph entropy inequalities: inner hulls from sampled models.

- :func:`sparse_hypergraph_vectors` samples small hypergraphs with few,
  large hyperedges (the models whose vectors lie on the faces of the
  hypergraph cone far more often than those of dense random hypergraphs) and
  returns their distinct entropy vectors.
"""

from __future__ import annotations

import sys

import numpy as np

from .hypergraph import Hypergraph, entropy_vectors
from .vectors import PURIFIER, party_letters

__all__ = ["sparse_hypergraph_vectors"]


def _show_progress(progress: bool | None) -> bool:
    """``progress=None`` means: a bar only when stderr is a terminal."""
    return sys.stderr.isatty() if progress is None else bool(progress)


def sparse_hypergraph_vectors(n_parties: int, count: int, *, max_bulk: int = 3, max_edges: int = 7,
                              max_weight: int = 2, seed=None, progress: bool | None = None) -> np.ndarray:
    """Distinct min-cut entropy vectors of ``count`` random sparse hypergraphs.

    Each hypergraph has one boundary vertex per party and the purifier, 0 to
    ``max_bulk`` bulk vertices and 2 to ``max_edges`` hyperedges; each edge
    has a uniform size from 2 to the number of vertices, uniform distinct
    vertices and an integer weight from 1 to ``max_weight``. Entropies are in
    the units of the weights (integers).

    Parameters
    ----------
    n_parties : int
        Parties besides the purifier (1 to 7).
    count : int
        Hypergraphs to sample.
    max_bulk, max_edges, max_weight : int
        Bounds described above.
    seed : None, int, SeedSequence or Generator
    progress : bool, optional
        Progress bar; default: when stderr is a terminal.

    Returns
    -------
    numpy.ndarray
        One distinct non-zero vector per row, sorted lexicographically.

    Examples
    --------
    >>> V = sparse_hypergraph_vectors(2, 50, seed=1, progress=False)
    >>> V.shape[1], bool((V[:, 0] + V[:, 1] >= V[:, 2]).all())   # 3 entries; SA holds
    (3, True)
    """
    from qinfo._random import as_generator

    for arg, val, lo in (("n_parties", n_parties, 1), ("count", count, 1), ("max_bulk", max_bulk, 0),
                         ("max_edges", max_edges, 2), ("max_weight", max_weight, 1)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < lo:
            raise ValueError(f"{arg} must be an int >= {lo}, got {val!r}")
    rng = as_generator(seed)
    names = list(party_letters(n_parties)) + [PURIFIER]
    models = []
    for _ in range(count):
        vertices = names + [f"x{i}" for i in range(int(rng.integers(0, max_bulk + 1)))]
        edges = []
        for _ in range(int(rng.integers(2, max_edges + 1))):
            k = int(rng.integers(2, len(vertices) + 1))
            edges.append((tuple(rng.choice(vertices, size=k, replace=False).tolist()),
                          int(rng.integers(1, max_weight + 1))))
        models.append(Hypergraph(edges, {c: c for c in names}, vertices=vertices))
    vecs = np.array([v.values for v in entropy_vectors(models, progress=_show_progress(progress))])
    vecs = np.unique(vecs, axis=0)
    return vecs[vecs.any(axis=1)]
