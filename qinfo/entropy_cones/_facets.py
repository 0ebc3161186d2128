"""Irredundant classes of inequalities, and the rank of the vectors an inequality is tight on.

- :func:`irredundant_classes` groups inequalities into orbits under the
  ``(N+1)!`` permutations of the parties and the purifier and keeps the orbits
  not implied by all the other inequalities (one LP per orbit, scipy HiGHS);
- :func:`tight_rank` is the rank of the vectors (and all their images under
  the permutations) on which an inequality holds with equality: ``2**N - 2``
  for a valid inequality means it is a facet of the cone those vectors span.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ._inequalities import Inequality, as_vector_array
from ._vectors import EntropyVector, all_permutation_indices

__all__ = ["FacetClass", "irredundant_classes", "tight_rank"]


@dataclass(frozen=True)
class FacetClass:
    """One orbit of irredundant inequalities.

    Parameters
    ----------
    representative : Inequality
        The first member met in the input.
    size : int
        How many distinct members of the orbit the input holds.

    Examples
    --------
    >>> from qinfo.entropy_cones import catalogue
    >>> [c.size for c in irredundant_classes(catalogue.get("SA", 3) + catalogue.get("SSA", 3))]
    [6, 6]
    """

    representative: Inequality
    size: int


def irredundant_classes(inequalities: Sequence[Inequality], *, tol: float = 1e-9) -> list[FacetClass]:
    """The orbits of ``inequalities`` that the others do not imply.

    The inequalities are grouped by orbit (canonical form of the coefficient
    vector under the permutations of the N+1 subsystems); an orbit is kept when
    minimising its first member over ``{S : every other row @ S >= 0, |S_I| <= 1}``
    gives a negative value (LP, scipy HiGHS). Redundancy is the same for every
    member of an orbit only if the input is closed under the permutations, as
    catalogue instance lists are; the result is then the facet classes of the
    cone they cut out (when it is full dimensional).

    Parameters
    ----------
    inequalities : sequence of Inequality
        All on the same number of parties (at most 7).
    tol : float
        LP minima above ``-tol`` count as implied.

    Returns
    -------
    list of FacetClass
        In order of first appearance.

    Examples
    --------
    >>> from qinfo.entropy_cones import catalogue
    >>> [(c.representative.name, c.size) for c in irredundant_classes(catalogue.linear_rank(3))]
    [('SA', 6), ('SSA', 6)]
    """
    from scipy.optimize import linprog

    ineqs = list(dict.fromkeys(inequalities))
    if not ineqs:
        raise ValueError("inequalities is empty")
    if len({q.n_parties for q in ineqs}) != 1:
        raise ValueError("inequalities must all have the same number of parties")
    F = np.array([q.coefficients for q in ineqs])
    members: dict[EntropyVector, list[int]] = {}
    for k, row in enumerate(F):
        members.setdefault(EntropyVector(row).canonical(), []).append(k)
    out = []
    for group in members.values():
        k = group[0]
        others = np.delete(F, k, axis=0)
        res = linprog(F[k], A_ub=-others, b_ub=np.zeros(len(others)), bounds=[(-1, 1)] * F.shape[1],
                      method="highs")
        if res.status != 0:
            raise RuntimeError(f"the redundancy LP for '{ineqs[k]}' failed: {res.message}")
        if res.fun < -tol:
            out.append(FacetClass(ineqs[k], len(group)))
    return out


def tight_rank(inequality: Inequality, vectors, *, atol: float = 1e-9) -> int:
    """Rank of the vectors, and of all their images under the party permutations, on which ``inequality`` is tight.

    A valid inequality on a cone of dimension ``d = 2**N - 1`` is a facet of
    the cone spanned by ``vectors`` (and their images) exactly when this rank
    is ``d - 1``.

    Parameters
    ----------
    inequality : Inequality
        A valid inequality on N parties.
    vectors : array_like or sequence of EntropyVector
        One N-party vector per row.
    atol : float
        ``|slack| <= atol * max|v|`` counts as tight.

    Returns
    -------
    int

    Examples
    --------
    >>> from qinfo.entropy_cones import catalogue
    >>> bell = [[1, 1, 0]]   # the Bell pair AB and its images AO, BO
    >>> tight_rank(catalogue.get("SA", 2)[0], bell)
    2
    """
    if not isinstance(inequality, Inequality):
        raise TypeError(f"inequality must be an Inequality, got {type(inequality).__name__}")
    n = inequality.n_parties
    V = np.atleast_2d(as_vector_array(vectors, n, "vectors")).astype(float)
    perms = all_permutation_indices(n)  # the image of v under permutation p is v[perms[p]]
    # f . v[idx] = g . v with g[idx] = f: one permuted inequality per permutation
    G = np.zeros(perms.shape)
    np.put_along_axis(G, perms, np.broadcast_to(inequality.coefficients, perms.shape), axis=1)
    scale = np.maximum(np.abs(V).max(axis=1), 1e-300)
    tight = np.abs(G @ V.T) <= atol * scale  # (permutations, vectors)
    basis = np.zeros((0, V.shape[1]))
    for p in np.flatnonzero(tight.any(axis=1)):
        rows = np.unique(V[tight[p]][:, perms[p]], axis=0)
        basis = _row_basis(np.vstack([basis, rows]))
        if len(basis) >= V.shape[1] - 1:  # a valid, non-zero inequality cannot be tight on more
            break
    return len(basis)


def _row_basis(M: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the row space of ``M`` (SVD, numpy's rank tolerance)."""
    if M.shape[0] == 0:
        return M
    _, s, vt = np.linalg.svd(M, full_matrices=False)
    tol = s.max(initial=0.0) * max(M.shape) * np.finfo(float).eps
    return vt[s > tol]
