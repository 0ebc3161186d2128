"""Exact counterexample search: minimise ``c . S`` over all hypergraphs with few bulk vertices.

Sampling random hypergraphs is a poor validity test for a candidate
inequality: a counterexample may need a few large hyperedges that random
models rarely produce. :func:`minimise_over_hypergraphs` searches *every*
hypergraph with one boundary vertex per party and the purifier, at most
``max_bulk`` bulk vertices and hyperedges of any size, by one mixed-integer
LP (scipy ``milp``, HiGHS). Parties owning several boundary vertices add
nothing: merging a party's vertices is again a hypergraph with the same
entropies.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from qinfo._validate import check_int

from ._inequalities import Inequality
from ._vectors import PURIFIER, EntropyVector, party_letters, subset_masks

__all__ = ["SearchResult", "minimise_over_hypergraphs"]


@dataclass
class SearchResult:
    """The answer of :func:`minimise_over_hypergraphs`.

    Parameters
    ----------
    status : str
        ``"refuted"`` (a hypergraph violating the inequality, re-checked in
        exact integer arithmetic) or ``"undecided"`` (no counterexample within
        the bounds, or the solver stopped).
    reason : str
        What the search found, or why it stopped.
    hypergraph : Hypergraph or None
        The counterexample: integer weights, boundary vertices ``A, B, ..., O``,
        bulk vertices ``x1, x2, ...``.
    vector : EntropyVector or None
        Its entropy vector (units of the weights).
    slack : float or None
        ``coefficients @ vector`` (negative when refuted).
    minimum : float or None
        The MILP optimum over hypergraphs of total weight 1.

    Examples
    --------
    >>> from qinfo.entropy_cones import Inequality
    >>> res = minimise_over_hypergraphs(Inequality.parse("S_A + S_B >= S_AB"), max_bulk=0)
    >>> res.status
    'undecided'
    """

    status: str
    reason: str
    hypergraph: object | None = None
    vector: EntropyVector | None = None
    slack: float | None = None
    minimum: float | None = None

    def __repr__(self) -> str:
        extra = f", slack={self.slack:g}" if self.slack is not None else ""
        return f"SearchResult(status={self.status!r}{extra}, reason={self.reason!r})"


def minimise_over_hypergraphs(inequality: Inequality, max_bulk: int = 2, *,
                              time_limit: float | None = 120.0) -> SearchResult:
    """Look for a hypergraph violating ``inequality``, exactly, by mixed-integer LP.

    Variables: a weight ``w_e >= 0`` for every set ``e`` of 2 or more of the
    ``N + 1 + max_bulk`` vertices (total weight 1) and one ``S_I`` per subset.
    A subset with a negative coefficient wants ``S_I`` large, so
    ``S_I <= cut(I ∪ W)`` for every placement ``W`` of the bulk vertices
    suffices; one with a positive coefficient wants it small, so binaries pick
    the placement whose cut ``S_I`` must reach (``S_I >= cut - (1 - z)``,
    one ``z`` per subset). At the optimum ``S_I`` is the min cut wherever it
    matters, so the minimum of ``c . S`` is negative iff some hypergraph within
    the bounds violates the inequality. The optimal weights are rounded to
    small rationals, scaled to integers and the entropy vector recomputed
    with :meth:`Hypergraph.entropy_vector` (exact in int64) before
    ``"refuted"`` is returned.

    Parameters
    ----------
    inequality : Inequality
        ``coefficients @ S >= 0`` on N <= 6 parties.
    max_bulk : int
        Bulk vertices (0 to 4; at 5 parties 4 gives 1,013 candidate edges).
    time_limit : float, optional
        Seconds for HiGHS; ``None`` for no limit.

    Returns
    -------
    SearchResult

    Examples
    --------
    >>> from qinfo.entropy_cones import catalogue
    >>> res = minimise_over_hypergraphs(catalogue.get("MMI")[0], max_bulk=0)
    >>> res.status, res.hypergraph.edges, res.slack
    ('refuted', [(('A', 'B', 'C', 'O'), 1)], -1.0)
    >>> minimise_over_hypergraphs(catalogue.get("SSA")[0], max_bulk=1).status
    'undecided'
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack

    if not isinstance(inequality, Inequality):
        raise TypeError(f"inequality must be an Inequality, got {type(inequality).__name__}")
    n = inequality.n_parties
    if n > 6:
        raise ValueError(f"inequality has {n} parties; the exact search supports at most 6")
    if check_int("max_bulk", max_bulk, 0) > 4:
        raise ValueError(f"max_bulk must be an int from 0 to 4, got {max_bulk!r}")
    c = inequality.coefficients
    n_vert = n + 1 + max_bulk
    edges = [e for k in range(2, n_vert + 1) for e in itertools.combinations(range(n_vert), k)]
    edge_mask = np.array([sum(1 << v for v in e) for e in edges], dtype=np.int64)
    masks = subset_masks(n)
    placements = 1 << max_bulk
    # cut[k, W, e]: does edge e cross the cut (parties of subset k + bulk placement W | rest)?
    sides = np.array([[m | (W << (n + 1)) for W in range(placements)] for m in masks], dtype=np.int64)
    inside = np.bitwise_and(sides[:, :, None], edge_mask[None, None, :])
    cut = ((inside != 0) & (inside != edge_mask)).astype(float)
    n_e, n_s = len(edges), len(masks)
    pos = np.flatnonzero(c > 0)
    # variables: w (n_e), S (n_s), z (len(pos) * placements)
    n_z = len(pos) * placements
    rows_le, rows_ge = [], []
    for k in range(n_s):
        if c[k] < 0:  # S_k <= cut(W) for all W
            rows_le.append(hstack([csr_matrix(-cut[k]), _unit(k, n_s, placements), csr_matrix((placements, n_z))]))
    for j, k in enumerate(pos):  # S_k >= cut(W) - (1 - z_kW)   <=>   S_k - cut(W) - z_kW >= -1
        z = coo_matrix((-np.ones(placements), (np.arange(placements), j * placements + np.arange(placements))),
                       shape=(placements, n_z))
        rows_ge.append(hstack([csr_matrix(-cut[k]), _unit(k, n_s, placements), z]))
    constraints = [LinearConstraint(csr_matrix(np.r_[np.ones(n_e), np.zeros(n_s + n_z)]), 1, 1)]
    if rows_le:
        constraints.append(LinearConstraint(vstack(rows_le).tocsr(), -np.inf, 0))
    if rows_ge:
        constraints.append(LinearConstraint(vstack(rows_ge).tocsr(), -1, np.inf))
        pick = coo_matrix((np.ones(n_z), (np.repeat(np.arange(len(pos)), placements), np.arange(n_z))),
                          shape=(len(pos), n_z))
        constraints.append(LinearConstraint(hstack([csr_matrix((len(pos), n_e + n_s)), pick]).tocsr(), 1, 1))
    objective = np.r_[np.zeros(n_e), c, np.zeros(n_z)]
    integrality = np.r_[np.zeros(n_e + n_s), np.ones(n_z)]
    bounds = Bounds(np.zeros(n_e + n_s + n_z), np.r_[np.ones(n_e), np.ones(n_s), np.ones(n_z)])
    options = {} if time_limit is None else {"time_limit": float(time_limit)}
    res = milp(objective, constraints=constraints, integrality=integrality, bounds=bounds, options=options)
    bound_txt = f"at most {max_bulk} bulk vertices, edges of any size"
    if res.x is None:
        return SearchResult("undecided", f"the MILP stopped without a solution ({res.message})")
    minimum = float(res.fun)
    if minimum > -1e-7:
        why = ("no counterexample with " + bound_txt + f" (MILP optimum {minimum:.3g})" if res.status == 0
               else f"solver stopped ({res.message}); best value {minimum:.3g}")
        return SearchResult("undecided", why, minimum=minimum)
    return _exact_counterexample(inequality, edges, res.x[:n_e], max_bulk, minimum, bound_txt)


def _unit(k: int, n_s: int, placements: int):
    """``placements`` rows with a 1 in column ``k`` of ``n_s`` columns (the variable ``S_k``)."""
    from scipy.sparse import coo_matrix

    return coo_matrix((np.ones(placements), (np.arange(placements), np.full(placements, k))),
                      shape=(placements, n_s))


def _exact_counterexample(inequality, edges, w, max_bulk, minimum, bound_txt) -> SearchResult:
    """Round the MILP weights to integers and re-check the violation exactly."""
    from ._hypergraph import Hypergraph

    n = inequality.n_parties
    names = list(party_letters(n)) + [PURIFIER] + [f"x{k + 1}" for k in range(max_bulk)]
    keep = np.flatnonzero(w > 1e-9)
    for den in (1, 2, 6, 12, 60, 420, 2520, 27720):
        fr = [Fraction(float(w[k])).limit_denominator(den * 100) for k in keep]
        lcm = int(np.lcm.reduce([f.denominator for f in fr]))
        ints = [int(f * lcm) for f in fr]
        g = int(np.gcd.reduce(ints)) or 1
        used = [(tuple(names[v] for v in edges[k]), q // g) for k, q in zip(keep, ints) if q]
        if not used:
            continue
        h = Hypergraph(used, {x: x for x in names[: n + 1]}, vertices=names)
        vec = h.entropy_vector()  # exact: integer weights give int64 min cuts
        slack = _exact_slack(inequality, vec)
        if slack < 0:
            return SearchResult("refuted", f"a hypergraph with {bound_txt} violates it "
                                f"({len(used)} edges, integer weights, checked exactly)",
                                h, vec, float(slack), minimum)
    return SearchResult("undecided", f"the MILP minimum {minimum:.3g} < 0 could not be turned into an "
                        "exactly checked integer hypergraph", minimum=minimum)


def _exact_slack(inequality: Inequality, vec: EntropyVector) -> Fraction:
    """``coefficients @ vector`` in rational arithmetic (coefficients as their exact binary fractions)."""
    return sum((Fraction(float(a)) * Fraction(int(round(x))) for a, x in zip(inequality.coefficients, vec.values)),
               Fraction(0))
