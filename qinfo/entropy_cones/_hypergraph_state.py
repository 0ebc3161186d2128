"""The quantum state behind a hypergraph: GHZ states on hyperedges, contracted through the bulk.

Bao, Cheng, Hernandez-Cuenca and Su (arXiv:2002.05317) build a state for an
integer-weighted hypergraph as a tensor network: a hyperedge ``e`` of weight
``w`` carries a ``|e|``-party GHZ state of local dimension ``2**w``, one leg
at each of its vertices; every boundary vertex keeps its legs (a party owns
the legs of its vertices) and every bulk vertex is contracted with a tensor on
all its legs. :func:`hypergraph_state` builds the dense state with random
(Haar) bulk tensors, :func:`state_entropy_vector` reads off its entropies in
bits. Without bulk vertices the entropies equal the min cuts exactly (each
GHZ contributes ``w`` bits to every subset it straddles). With bulk vertices
a random contraction only bounds them: ``S(I) <= min cut`` always (a cut of
weight ``c`` is a bond of dimension ``2**c``), with equality typically only
for large weights; the mismatches are reported, not hidden.
"""

from __future__ import annotations

import numpy as np

from ._vectors import PURIFIER, EntropyVector, party_letters, subset_masks

__all__ = ["hypergraph_state", "state_entropy_vector"]

_MAX_LEGS_QUBITS = 22  # 2**22 amplitudes before contraction


def hypergraph_state(h, *, seed=None) -> tuple[np.ndarray, tuple[int, ...]]:
    """The dense state of the GHZ tensor network of an integer-weighted hypergraph.

    Parameters
    ----------
    h : Hypergraph
        Integer weights; hyperedges of weight ``w`` become GHZ states of local
        dimension ``2**w``. At most 22 qubits of legs in all (``sum w * |e|``).
    seed : None, int, SeedSequence or Generator
        For the Haar-random bulk tensors.

    Returns
    -------
    (numpy.ndarray, tuple of int)
        The normalised state, one axis per party in the order ``A, B, ...,
        O`` (an O axis of dimension 1 when the hypergraph has no purifier
        vertex), and the axis dimensions.

    Examples
    --------
    >>> from qinfo.entropy_cones import Hypergraph
    >>> h = Hypergraph([(("a", "b", "o"), 1)], {"a": "A", "b": "B", "o": "O"})
    >>> psi, dims = hypergraph_state(h)
    >>> dims, np.round(psi.reshape(-1), 3).tolist()   # the GHZ state (|000> + |111>)/sqrt 2
    ((2, 2, 2), [0.707, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.707])
    """
    from qinfo._random import as_generator

    from ._hypergraph import Hypergraph

    if not isinstance(h, Hypergraph):
        raise TypeError(f"h must be a Hypergraph, got {type(h).__name__}")
    edges = h.edges
    if any(not float(w).is_integer() for _, w in edges):
        raise ValueError("h must have integer weights (a weight w is a GHZ state of dimension 2**w)")
    edges = [(e, int(w)) for e, w in edges if w > 0]
    total = sum(w * len(e) for e, w in edges)
    if total > _MAX_LEGS_QUBITS:
        raise ValueError(f"h has {total} qubits of legs; the dense construction supports at most "
                         f"{_MAX_LEGS_QUBITS}")
    rng = as_generator(seed)
    psi = np.ones(())
    owner = []  # vertex of each axis of psi
    for e, w in edges:
        ghz = np.zeros((2**w,) * len(e))
        ghz[(np.arange(2**w),) * len(e)] = 2 ** (-w / 2)
        psi = np.multiply.outer(psi, ghz)
        owner += list(e)
    for v in h.vertices:  # contract the bulk vertices with random tensors
        if v in h.boundary:
            continue
        axes = [k for k, o in enumerate(owner) if o == v]
        if not axes:
            continue
        shape = [psi.shape[k] for k in axes]
        t = rng.normal(size=shape) + 1j * rng.normal(size=shape)
        psi = np.tensordot(psi, t.conj(), axes=(axes, list(range(len(axes)))))
        owner = [o for k, o in enumerate(owner) if k not in axes]
    parties = list(party_letters(h.n_parties)) + [PURIFIER]
    party_axes = [[k for k, o in enumerate(owner) if h.boundary[o] == p] for p in parties]
    dims = tuple(int(np.prod([psi.shape[k] for k in axes])) for axes in party_axes)
    psi = np.transpose(psi, [k for axes in party_axes for k in axes]).reshape(dims)
    norm = np.linalg.norm(psi)
    if norm == 0:
        raise ValueError("the bulk contraction annihilated the state (norm 0)")
    return psi / norm, dims


def state_entropy_vector(psi: np.ndarray) -> EntropyVector:
    """Entropies in bits of every set of parties of a pure state with one axis per party, the last one O.

    Parameters
    ----------
    psi : numpy.ndarray
        ``N + 1`` axes (parties ``A, B, ...`` then the purifier).

    Returns
    -------
    EntropyVector
        Von Neumann entropies in bits, from the Schmidt coefficients (SVD).

    Examples
    --------
    >>> bell = np.array([[1, 0], [0, 1]]) / np.sqrt(2)   # A and O
    >>> state_entropy_vector(bell)
    EntropyVector(A=1)
    """
    psi = np.asarray(psi)
    n = psi.ndim - 1
    if n < 1:
        raise ValueError(f"psi must have at least 2 axes (a party and the purifier), got {psi.ndim}")
    out = []
    for m in subset_masks(n):
        inside = [k for k in range(n) if m >> k & 1]
        rest = [k for k in range(n + 1) if k not in inside]
        mat = np.transpose(psi, inside + rest).reshape(int(np.prod([psi.shape[k] for k in inside])), -1)
        p = np.linalg.svd(mat, compute_uv=False) ** 2
        p = p[p > 1e-15] / p.sum()
        out.append(float(-(p * np.log2(p)).sum()) + 0.0)
    return EntropyVector(out)
