"""Cone membership: violated inequalities, LP certificates, stabilizer and holographic cones.

- :func:`violations` lists the instances of some inequalities a vector breaks;
- :func:`in_cone` decides membership in a cone given by rays (an LP through
  cvxpy, with a conic combination or a separating inequality as certificate)
  or by inequalities (a violated facet as certificate);
- ``in_cone(vector, cone="stabilizer")`` is exact up to 4 parties and honest at 5;
- :func:`find_hypergraph_realisation` looks for a hypergraph (with
  ``max_edge_size=2``: a graph) model with a given entropy vector by
  mixed-integer LP;
- :func:`extreme_rays` enumerates the extreme rays of ``{S : F S >= 0}``
  (double description).

Membership is scale invariant, so the units of the vector do not matter.
"""

from __future__ import annotations

import itertools
import os
import sys
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from qinfo._optional import MissingExtraError, require
from qinfo._validate import check_int, check_real

from ._inequalities import RTOL, Inequality, as_vector_array, tolerance
from ._vectors import PURIFIER, EntropyVector, party_letters, subset_masks

__all__ = [
    "Violation",
    "ConeCheck",
    "Realisation",
    "violations",
    "in_cone",
    "find_hypergraph_realisation",
    "extreme_rays",
]


@dataclass(frozen=True)
class Violation:
    """One broken inequality: ``slack = coefficients @ S < 0``.

    Parameters
    ----------
    inequality : Inequality
        The instance violated.
    slack : float
        Its value on the vector (negative).

    Examples
    --------
    >>> v = violations([1, 1, 1, 1, 1, 1, 1], "MMI")[0]
    >>> v.slack
    -1.0
    """

    inequality: Inequality
    slack: float


@dataclass
class ConeCheck:
    """The answer of a cone-membership test and its certificate.

    Parameters
    ----------
    status : str
        ``"inside"``, ``"outside"`` or ``"undecided"``.
    combination : numpy.ndarray or None
        For ``"inside"`` by rays: the non-negative weights ``lam`` with
        ``lam @ rays == vector`` (up to ``residual``).
    rays : numpy.ndarray or None
        The rays the combination refers to (one per row).
    separating : Inequality or None
        For ``"outside"``: an inequality valid on the cone and violated by the
        vector (a violated facet, or the Farkas certificate of the LP).
    slack : float or None
        ``separating.evaluate(vector)`` (negative).
    residual : float or None
        Largest entry of ``|lam @ rays - vector|``.
    reason : str
        How the answer was reached, or for ``"undecided"`` why not.

    Examples
    --------
    >>> res = in_cone([1, 1, 1, 1, 1, 1, 1], inequalities="MMI")
    >>> res.status, res.slack, res.reason
    ('outside', -1.0, '1 violated inequality')
    """

    status: str
    combination: np.ndarray | None = None
    rays: np.ndarray | None = None
    separating: Inequality | None = None
    slack: float | None = None
    residual: float | None = None
    reason: str = ""

    @property
    def inside(self) -> bool | None:
        """True, False, or None when undecided."""
        return {"inside": True, "outside": False}.get(self.status)

    def __repr__(self) -> str:
        parts = [f"status={self.status!r}"]
        if self.separating is not None:
            parts.append(f"separating='{self.separating}', slack={self.slack:.6g}")
        if self.combination is not None:
            parts.append(f"{int(np.sum(self.combination > 1e-12))} rays used")
        if self.reason:
            parts.append(f"reason={self.reason!r}")
        return f"ConeCheck({', '.join(parts)})"


# -- violations -------------------------------------------------------------------
def _resolve(inequalities, n_parties: int, expand: bool) -> list[Inequality]:
    """Catalogue names, Inequality objects or lists of them -> a list at ``n_parties``."""
    from ._catalogue import catalogue

    if isinstance(inequalities, (str, Inequality)):
        inequalities = [inequalities]
    if not isinstance(inequalities, Iterable):
        raise TypeError("inequalities must be a catalogue name, an Inequality or a list of them, "
                        f"got {type(inequalities).__name__}")
    out: dict[Inequality, None] = {}
    for item in inequalities:
        if isinstance(item, str):
            out.update(dict.fromkeys(catalogue.get(item, n_parties, expand=expand)))
        elif isinstance(item, Inequality):
            if item.n_parties > n_parties:
                raise ValueError(f"inequality '{item}' has {item.n_parties} parties; the vector only {n_parties}")
            out.update(dict.fromkeys(item.instances(n_parties) if expand else [item.lift(n_parties)]))
        else:
            raise TypeError(f"inequalities must contain catalogue names or Inequality objects, got {item!r}")
    return list(out)


def _as_entropy_vector(vector, arg: str = "vector") -> EntropyVector:
    if isinstance(vector, EntropyVector):
        return vector
    try:
        return EntropyVector(vector)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{arg}: {exc}") from None


def violations(vector, inequalities, *, expand: bool = True, atol: float = 0.0,
               rtol: float = RTOL) -> list[Violation]:
    """The instances of ``inequalities`` that ``vector`` violates, worst first.

    Parameters
    ----------
    vector : EntropyVector or array_like
        ``2**N - 1`` entropies.
    inequalities : str, Inequality or list of them
        Catalogue names (``"ingleton"``, ``"holographic"``) and/or inequalities.
    expand : bool
        Check every instance (permutations of the parties and the purifier,
        groupings when an inequality has fewer parties than the vector).
        ``False`` checks the inequalities as given (lifted to N).
    atol, rtol : float
        Slacks ``>= -(atol + rtol * max|S|)`` count as satisfied
        (:func:`~qinfo.entropy_cones.tolerance`), so rescaling
        the vector never changes the answer when ``atol = 0``.

    Returns
    -------
    list of Violation

    Examples
    --------
    >>> ghz4 = EntropyVector([1, 1, 1, 1, 1, 1, 1])   # 4-qubit GHZ, A B C + O
    >>> [f"{v.inequality} ({v.slack:g})" for v in violations(ghz4, "MMI")]
    ['S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC (-1)']
    >>> [f"{v.slack:g}" for v in violations(1e-10 * ghz4, "MMI")]   # same verdict at any scale
    ['-1e-10']
    """
    vec = _as_entropy_vector(vector)
    tol = tolerance(vec.values, atol=atol, rtol=rtol)
    ineqs = _resolve(inequalities, vec.n_parties, expand)
    if not ineqs:
        return []
    slacks = np.array([q.coefficients for q in ineqs]) @ vec.values
    bad = np.flatnonzero(slacks < -tol)
    return [Violation(ineqs[k], float(slacks[k])) for k in bad[np.argsort(slacks[bad], kind="stable")]]


# -- cone membership --------------------------------------------------------------
def in_cone(vector, *, cone: str | None = None, rays=None, inequalities=None, atol: float = 0.0,
            rtol: float = 1e-7, solver: str | None = None) -> ConeCheck:
    """Is ``vector`` in a named cone, the cone spanned by ``rays``, or the one cut out by ``inequalities``?

    Parameters
    ----------
    vector : EntropyVector or array_like
        ``2**N - 1`` entropies.
    cone : {"stabilizer"}, optional
        A named cone. ``"stabilizer"``: the cone of stabilizer-state entropy
        vectors, decided as follows.

        - N <= 3: exact; the cone is cut out by SA and SSA (all instances).
        - N = 4: exact; SA, SSA, weak monotonicity and the Ingleton instances
          (Linden, Matus, Ruskai, Winter 2013).
        - N = 5: ``"outside"`` with a violated instance of the linear-rank set
          (SA, SSA, Ingleton, conditional Ingleton, DFZ; see
          :meth:`Catalogue.linear_rank`); else ``"inside"`` with a conic
          combination of stabilizer vectors (the distinct entropy vectors of
          6-qubit graph states, or ``rays``); else ``"undecided"``.
        - N >= 6: ``"outside"`` from violated inequalities, ``"inside"`` only
          with ``rays`` you supply, else ``"undecided"``.

        With ``cone=``, ``rays`` are known members of that cone to combine
        (N >= 5), and ``inequalities`` must not be given.
    rays : array_like or sequence of EntropyVector, optional
        Generators of the cone, one per row. Decided by two LPs (cvxpy): the
        least ``|lam @ rays - vector|_1`` over ``lam >= 0``, and when that is
        not ~0, a Farkas certificate ``f`` with ``f @ ray >= 0`` for every ray,
        ``|f|_inf <= 1`` and ``f @ vector < 0``.
    inequalities : str, Inequality or list of them, optional
        Facets (all instances are used, see :func:`violations`); the
        certificate of ``"outside"`` is the most violated one.
    atol, rtol : float
        The tolerance is ``atol + rtol * max|S|`` (the rule of
        :func:`~qinfo.entropy_cones.tolerance`): ``atol`` is
        absolute, in the units of the vector, as in numpy; ``rtol`` is
        relative to the largest entry. It bounds the residual of an
        ``"inside"`` combination and the slack of an ``"outside"``
        certificate. (Before, ``atol`` was relative; ``rtol`` now has that
        role and its old default.)
    solver : str, optional
        A cvxpy solver name; by default HiGHS, else Clarabel.

    Returns
    -------
    ConeCheck
        Membership is scale invariant: the vector and each ray are divided by
        their largest entry before the LPs, so ``c * vector`` gets the same
        answer for every ``c > 0`` when ``atol = 0``; the combination,
        residual and slack are reported in the units of the input.

    Examples
    --------
    >>> bell_ab, bell_ac = [1, 1, 0, 0, 1, 1, 0], [1, 0, 1, 1, 0, 1, 0]
    >>> res = in_cone([2, 1, 1, 1, 1, 2, 0], rays=[bell_ab, bell_ac])
    >>> res.status, res.combination.round(6).tolist()
    ('inside', [1.0, 1.0])
    >>> in_cone([1e-9 * x for x in [2, 1, 1, 1, 1, 2, 0]], rays=[bell_ab, bell_ac]).status
    'inside'
    >>> in_cone([1, 1, 1, 1, 1, 1, 1], inequalities="holographic").status   # GHZ4
    'outside'
    >>> in_cone([1, 1, 1, 1, 1, 1, 1], cone="stabilizer").status            # GHZ4 is a stabilizer state
    'inside'
    >>> in_cone([1, 1, 1, 3, 2, 2, 1], cone="stabilizer").reason           # breaks SA
    'violates 2 instance(s) of SA, SSA'
    """
    if cone is not None:
        if cone not in _NAMED_CONES:
            raise ValueError(f"cone must be one of {', '.join(map(repr, _NAMED_CONES))}, got {cone!r}")
        if inequalities is not None:
            raise ValueError("give cone= or inequalities=, not both (cone= has its own inequalities)")
        return _NAMED_CONES[cone](_as_entropy_vector(vector), rays, atol=atol, rtol=rtol, solver=solver)
    if (rays is None) == (inequalities is None):
        raise ValueError("give exactly one of cone=, rays= or inequalities=")
    vec = _as_entropy_vector(vector)
    tol = tolerance(vec.values, atol=atol, rtol=rtol)
    if inequalities is not None:
        bad = violations(vec, inequalities, atol=atol, rtol=rtol)
        if bad:
            return ConeCheck("outside", separating=bad[0].inequality, slack=bad[0].slack,
                             reason=f"{len(bad)} violated inequalit{'y' if len(bad) == 1 else 'ies'}")
        return ConeCheck("inside", reason="all inequalities hold")
    R = as_vector_array(rays, vec.n_parties, "rays")
    R = np.atleast_2d(R).astype(float)
    if R.shape[0] == 0:
        raise ValueError("rays is empty")
    if not np.all(np.isfinite(R)):
        raise ValueError("rays must be finite")
    scale = float(np.max(np.abs(vec.values)))
    if scale == 0.0:
        return ConeCheck("inside", combination=np.zeros(R.shape[0]), rays=R, residual=0.0,
                         reason="the zero vector is in every cone")
    ray_scale = np.max(np.abs(R), axis=1)
    ray_scale[ray_scale == 0] = 1.0
    res = _lp_membership(vec.values / scale, R / ray_scale[:, None], tol / scale, solver)
    # back from the normalised problem to the units of the input
    if res.combination is not None:
        res.combination = res.combination * (scale / ray_scale)
        res.rays = R
    if res.residual is not None:
        res.residual *= scale
    if res.slack is not None:
        res.slack *= scale
    return res


def _lp_membership(v: np.ndarray, R: np.ndarray, tol: float, solver: str | None) -> ConeCheck:
    cp = require("cvxpy", feature="in_cone with rays")

    kwargs = {"solver": solver or _default_solver()}
    if kwargs["solver"] == "HIGHS":
        _quiet_highs_banner()
    lam = cp.Variable(R.shape[0], nonneg=True)
    cp.Problem(cp.Minimize(cp.norm1(R.T @ lam - v))).solve(**kwargs)
    if lam.value is not None:
        weights = np.maximum(lam.value, 0.0)
        residual = float(np.max(np.abs(weights @ R - v)))
        if residual <= tol:
            return ConeCheck("inside", combination=weights, rays=R, residual=residual,
                             reason="conic combination of the rays (LP)")
    f = cp.Variable(R.shape[1])
    cp.Problem(cp.Minimize(f @ v), [R @ f >= 0, cp.abs(f) <= 1]).solve(**kwargs)
    if f.value is None:
        raise RuntimeError("the cone-membership LP failed to solve")
    coef = np.asarray(f.value, dtype=float)
    coef[np.abs(coef) < 1e-10] = 0.0
    sep = Inequality.from_coefficients(coef, name="separating")
    slack = float(coef @ v)
    if slack >= -tol:
        return ConeCheck("undecided", reason="the LPs disagree within tolerance; the vector is on "
                         "the boundary up to numerical precision")
    return ConeCheck("outside", separating=sep, slack=slack,
                     reason="Farkas certificate: valid on every ray, negative on the vector (LP)")


@lru_cache(maxsize=1)
def _quiet_highs_banner() -> None:
    """Make HiGHS print its banner once, into /dev/null.

    cvxpy's HiGHS interface creates a ``highspy.Highs`` object before it sets
    ``log_to_console``, so even with ``verbose=False`` the first solve of a
    process wrote "Running HiGHS ..." to standard output (in the middle of a
    ``qinfo reproduce`` table). HiGHS prints it only for the first object of a
    process: this creates that one with file descriptor 1 pointed at /dev/null.
    """
    import highspy

    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _default_solver() -> str:
    cp = require("cvxpy", feature="in_cone with rays")

    installed = cp.installed_solvers()
    for name in ("HIGHS", "CLARABEL"):
        if name in installed:
            return name
    raise MissingExtraError("in_cone needs the HiGHS or Clarabel solver for cvxpy: pip install 'qinfo[lp]' (highspy)")


# -- the stabilizer cone ----------------------------------------------------------
def _stabilizer_cone(vec: EntropyVector, rays, *, atol: float, rtol: float, solver: str | None) -> ConeCheck:
    """``in_cone(vector, cone="stabilizer")``: exact up to 4 parties, honest at 5 and beyond."""
    n = vec.n_parties
    facets = ["SA"] + (["SSA"] if n >= 3 else []) + (["ingleton"] if n >= 4 else [])
    if n >= 5:
        facets += ["ingleton-conditional", "dfz"]  # the 5-party linear-rank set (31 classes)
    bad = violations(vec, facets, atol=atol, rtol=rtol)
    if bad:
        return ConeCheck("outside", separating=bad[0].inequality, slack=bad[0].slack,
                         reason=f"violates {len(bad)} instance(s) of {', '.join(facets)}")
    if n <= 4:
        return ConeCheck("inside", reason=f"exact for {n} parties: all instances of {', '.join(facets)} hold")
    if rays is None and n == 5:
        rays = _graph_state_rays(5)
    if rays is None:
        return ConeCheck("undecided", reason=f"no violated {', '.join(facets)} instance; no rays given")
    res = in_cone(vec, rays=rays, atol=atol, rtol=rtol, solver=solver)
    if res.status == "inside":
        res.reason = "conic combination of stabilizer entropy vectors"
        return res
    return ConeCheck("undecided", reason=f"no violated {', '.join(facets)} instance, and not a "
                     "conic combination of the stabilizer vectors tried")


#: The cones ``in_cone(vector, cone=...)`` knows by name.
_NAMED_CONES = {"stabilizer": _stabilizer_cone}


def stabilizer_cone_check(vector, *, rays=None) -> ConeCheck:
    """Deprecated: use ``in_cone(vector, cone="stabilizer", rays=rays)``.

    Parameters
    ----------
    vector : EntropyVector or array_like
        ``2**N - 1`` entropies.
    rays : array_like, optional
        Known stabilizer entropy vectors to combine (N >= 5).

    Returns
    -------
    ConeCheck

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     stabilizer_cone_check([1, 1, 1, 1, 1, 1, 1]).status
    'inside'
    """
    warnings.warn('stabilizer_cone_check is deprecated; use in_cone(vector, cone="stabilizer")',
                  DeprecationWarning, stacklevel=2)
    return in_cone(vector, cone="stabilizer", rays=rays)


@lru_cache(maxsize=2)
def _graph_state_rays(n_parties: int) -> np.ndarray:
    """Distinct entropy vectors of graph states with one qubit per party and the purifier."""
    from ._stabilizer import graph_state_entropy_vectors

    res = graph_state_entropy_vectors(n_parties + 1, party_letters(n_parties) + PURIFIER, progress=False)
    arr = np.asarray(res.values, dtype=float)
    arr = arr[np.any(arr != 0, axis=1)]
    arr.setflags(write=False)
    return arr


# -- realisations by mixed-integer LP ------------------------------------------------
@dataclass
class Realisation:
    """The result of a (hyper)graph realisation search.

    Parameters
    ----------
    found : bool
        Whether a model was found.
    hypergraph : Hypergraph or None
        Boundary vertices ``"A", "B", ..., "O"``, bulk vertices ``"x1", ...``.
        Its entropy vector equals the target (checked with
        :meth:`Hypergraph.entropy_vector`).
    reason : str
        What was found, or why nothing was.
    max_bulk, max_edge_size : int
        The bounds searched.
    extras : dict
        Solver details.

    Examples
    --------
    >>> r = find_hypergraph_realisation([1, 1, 0], max_bulk=0, max_edge_size=2)   # a Bell pair
    >>> r.found, r.hypergraph.edges
    (True, [(('A', 'B'), 1.0)])
    """

    found: bool
    hypergraph: object | None
    reason: str
    max_bulk: int = 0
    max_edge_size: int = 2
    extras: dict = field(default_factory=dict, repr=False)

    def __bool__(self) -> bool:
        return self.found

    @property
    def message(self) -> str:
        """Deprecated name of :attr:`reason`."""
        warnings.warn("Realisation.message is deprecated; use Realisation.reason", DeprecationWarning,
                      stacklevel=2)
        return self.reason


def find_hypergraph_realisation(vector, max_bulk: int = 2, max_edge_size: int = 3, *,
                                time_limit: float | None = 60.0, atol: float = 0.0,
                                rtol: float = 1e-6) -> Realisation:
    """Search for a hypergraph whose min-cut entropies equal ``vector``.

    One boundary vertex per party (``A, B, ..., O``; parties owning several
    vertices can always be merged) and up to ``max_bulk`` bulk vertices;
    every set of 2 to ``max_edge_size`` vertices is a candidate hyperedge with
    a weight ``w >= 0``. For each subset ``I`` and each of the ``2**max_bulk``
    placements ``W`` of the bulk vertices the cut weight must be ``>= S_I``,
    and binaries choose one placement per ``I`` where it equals ``S_I``. The
    total weight is minimised (scipy ``milp``, HiGHS). Entropies are in the
    units of the weights.

    Parameters
    ----------
    vector : EntropyVector or array_like
        The target entropies (units of the weights).
    max_bulk : int
        Bulk vertices available (0 to 8).
    max_edge_size : int
        Largest hyperedge size: 2 searches graph models, which realise
        exactly the holographic entropy cone (up to scale), so a vector
        outside it has none.
    time_limit : float, optional
        Seconds for the MILP solver.
    atol, rtol : float
        The result is accepted when every entropy is within
        ``atol + rtol * max S`` of the target (``atol`` absolute, in the units
        of the vector; ``rtol`` relative to the largest entropy, as in numpy).

    Returns
    -------
    Realisation
        ``found`` is False with "none found within these bounds" when the
        MILP is infeasible (a proof that no such hypergraph exists with these
        bounds) or runs out of time.

    Examples
    --------
    >>> r = find_hypergraph_realisation([1, 1, 1, 1, 1, 1, 1], max_bulk=0, max_edge_size=4)
    >>> r.found, r.hypergraph.edges
    (True, [(('A', 'B', 'C', 'O'), 1.0)])
    >>> r = find_hypergraph_realisation([1, 1, 1, 2, 2, 2, 1], max_bulk=1, max_edge_size=2)  # a graph
    >>> r.found, sorted(w for _, w in r.hypergraph.edges)
    (True, [1.0, 1.0, 1.0, 1.0])
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    from ._hypergraph import Hypergraph

    vec = _as_entropy_vector(vector)
    for arg, val, lo, hi in (("max_bulk", max_bulk, 0, 8), ("max_edge_size", max_edge_size, 2, 64)):
        check_int(arg, val, lo)
        if val > hi:
            raise ValueError(f"{arg} must be an int between {lo} and {hi}, got {val!r}")
    check_real("atol", atol, inclusive=True)
    check_real("rtol", rtol, inclusive=True)
    if np.any(vec.values < 0):
        return Realisation(False, None, "no hypergraph has negative entropies", max_bulk, max_edge_size)
    n = vec.n_parties
    names = list(party_letters(n)) + [PURIFIER] + [f"x{k + 1}" for k in range(max_bulk)]
    n_vert = len(names)
    edges = [e for k in range(2, min(max_edge_size, n_vert) + 1) for e in itertools.combinations(range(n_vert), k)]
    edge_mask = np.array([sum(1 << v for v in e) for e in edges], dtype=np.int64)
    n_e = len(edges)
    S = vec.values
    top = float(S.max())
    if top == 0:
        return Realisation(True, Hypergraph([], {c: c for c in names[: n + 1]}, vertices=names[: n + 1]),
                           "the zero vector: no edges", max_bulk, max_edge_size)
    placements = 1 << max_bulk
    # cut[I, W, e]: does hyperedge e cross the cut (boundary I + bulk W | rest)?
    cuts = []
    for m in subset_masks(n):
        for W in range(placements):
            side = m | (W << (n + 1))
            inside = np.bitwise_and(edge_mask, side)
            cuts.append((inside != 0) & (inside != edge_mask))
    cut = np.array(cuts, dtype=float)  # (n_sets * placements, n_e)
    n_sets = len(S)
    n_z = n_sets * placements
    big = n_e * top  # weights are capped at max S without loss of generality
    rhs = np.repeat(S, placements)
    # variables: [w (n_e), z (n_z)]
    A_ge = np.hstack([cut, np.zeros((n_z, n_z))])
    A_le = np.hstack([cut, big * np.eye(n_z)])
    A_one = np.hstack([np.zeros((n_sets, n_e)), np.kron(np.eye(n_sets), np.ones(placements))])
    constraints = [
        LinearConstraint(csr_matrix(A_ge), rhs, np.inf),
        LinearConstraint(csr_matrix(A_le), -np.inf, rhs + big),
        LinearConstraint(csr_matrix(A_one), 1, 1),
    ]
    c = np.concatenate([np.ones(n_e), np.zeros(n_z)])
    integrality = np.concatenate([np.zeros(n_e), np.ones(n_z)])
    bounds = Bounds(np.zeros(n_e + n_z), np.concatenate([np.full(n_e, top), np.ones(n_z)]))
    options = {} if time_limit is None else {"time_limit": float(time_limit)}
    res = milp(c, constraints=constraints, integrality=integrality, bounds=bounds, options=options)
    bounds_txt = f"max_bulk={max_bulk}, max_edge_size={max_edge_size}"
    if res.x is None:
        why = "the MILP is infeasible" if res.status == 2 else f"solver stopped: {res.message}"
        return Realisation(False, None, f"none found within these bounds ({bounds_txt}; {why})",
                           max_bulk, max_edge_size)
    w = res.x[:n_e]
    w = np.where(w < 1e-9 * top, 0.0, w)
    if np.allclose(S, np.round(S)):  # integer targets: round the weights when that stays exact
        wr = np.round(w * 2) / 2
        if np.allclose(cut @ wr, cut @ w, atol=1e-7 * top):
            w = wr
    used = [(tuple(names[v] for v in edges[k]), float(w[k])) for k in np.flatnonzero(w > 0)]
    h = Hypergraph(used, {c: c for c in names[: n + 1]}, vertices=names)
    got = h.entropy_vector()
    if not got.isclose(vec, atol=atol + rtol * top):
        return Realisation(False, None, f"the MILP solution does not reproduce the vector to atol + rtol * max S "
                           f"({bounds_txt}); got {got}", max_bulk, max_edge_size)
    return Realisation(True, h, f"found ({bounds_txt}, total weight {w.sum():g})", max_bulk, max_edge_size)


def find_graph_realisation(vector, max_bulk: int = 3, **kwargs) -> Realisation:
    """Deprecated: use ``find_hypergraph_realisation(vector, max_bulk, max_edge_size=2)``.

    Parameters
    ----------
    vector : EntropyVector or array_like
        The target entropies.
    max_bulk : int
        Bulk vertices available.
    **kwargs
        As for :func:`find_hypergraph_realisation`.

    Returns
    -------
    Realisation

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     find_graph_realisation([1, 1, 1, 2, 2, 2, 1], max_bulk=1).found
    True
    """
    warnings.warn("find_graph_realisation is deprecated; use "
                  "find_hypergraph_realisation(vector, max_bulk, max_edge_size=2)", DeprecationWarning,
                  stacklevel=2)
    return find_hypergraph_realisation(vector, max_bulk=max_bulk, max_edge_size=2, **kwargs)


# -- extreme rays -----------------------------------------------------------------
def extreme_rays(inequalities: Sequence[Inequality] | np.ndarray) -> np.ndarray:
    """Extreme rays of the pointed cone ``{S : F S >= 0}`` by double description.

    Parameters
    ----------
    inequalities : list of Inequality or array of shape (m, d)
        Integer (or rational-free) coefficients; redundant rows are fine.

    Returns
    -------
    numpy.ndarray
        One primitive integer ray per row, sorted lexicographically.

    Examples
    --------
    >>> from qinfo.entropy_cones import catalogue
    >>> extreme_rays(catalogue.get("SA", 2)).tolist()   # Bell pairs AB, AO, BO
    [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    """
    F = np.array([q.coefficients for q in inequalities] if not isinstance(inequalities, np.ndarray)
                 else inequalities, dtype=float)
    if F.ndim != 2 or F.shape[0] == 0:
        raise ValueError(f"inequalities must be a non-empty list or a 2-d array, got shape {F.shape}")
    if not np.allclose(F, np.round(F)):
        raise ValueError("extreme_rays needs integer coefficients (scale rational ones first)")
    F = np.unique(np.round(F).astype(np.int64), axis=0)
    F = F[np.any(F != 0, axis=1)]
    d = F.shape[1]
    if np.linalg.matrix_rank(F.astype(float)) < d:
        raise ValueError("the cone is not pointed (the inequalities have rank < dimension)")
    F = F[irredundant(F)]  # double description slows down badly on redundant rows
    # start: d independent rows, rays = columns of their inverse (scaled to integers)
    basis: list[int] = []
    for i in range(F.shape[0]):
        if np.linalg.matrix_rank(F[basis + [i]].astype(float)) == len(basis) + 1:
            basis.append(i)
        if len(basis) == d:
            break
    inv = np.linalg.inv(F[basis].astype(float))
    rays = _primitive(inv.T)
    zeros = np.zeros((d, F.shape[0]), dtype=bool)
    zeros[:, basis] = ~np.eye(d, dtype=bool)
    done = np.zeros(F.shape[0], dtype=bool)
    done[basis] = True
    for i in np.flatnonzero(~done):
        a = F[i]
        val = rays @ a
        pos, neg, zer = val > 0, val < 0, val == 0
        Zd = zeros[:, done]
        new_rays, new_zeros = [], []
        P, N = np.flatnonzero(pos), np.flatnonzero(neg)
        if len(P) and len(N):
            notZ = (~Zd).astype(np.float32)
            for p in P:
                common = Zd[p] & Zd[N]  # (|N|, done)
                cand = common.sum(axis=1) >= d - 2
                if not np.any(cand):
                    continue
                qs = N[cand]
                com = common[cand].astype(np.float32)
                # adjacent iff only p and q contain the common zero set
                holders = (com @ notZ.T) == 0  # (k, rays)
                adjacent = holders.sum(axis=1) == 2
                for q in qs[adjacent]:
                    r = val[p] * rays[q] - val[q] * rays[p]
                    new_rays.append(r)
                    z = zeros[p] & zeros[q]
                    z[i] = True
                    new_zeros.append(z)
        keep = ~neg
        zeros[:, i] = zer
        rays = rays[keep]
        zeros = zeros[keep]
        if new_rays:
            new = np.array(new_rays, dtype=np.int64)
            rays = np.vstack([rays, new // np.gcd.reduce(np.abs(new), axis=1)[:, None]])
            zeros = np.vstack([zeros, np.array(new_zeros)])
        done[i] = True
        if np.abs(rays).max() > 2**40:
            raise OverflowError("ray coefficients grew too large for int64 arithmetic")
    return rays[np.lexsort(rays.T[::-1])]


def irredundant(F: np.ndarray) -> np.ndarray:
    """Indices of rows not implied by the others (one LP each, scipy HiGHS)."""
    from scipy.optimize import linprog

    keep = []
    for i in range(F.shape[0]):
        others = np.delete(F, i, axis=0).astype(float)
        res = linprog(F[i].astype(float), A_ub=-others, b_ub=np.zeros(len(others)),
                      bounds=[(-1, 1)] * F.shape[1], method="highs")
        if res.status != 0 or res.fun < -1e-9:
            keep.append(i)
    return np.array(keep, dtype=np.int64)


def _primitive(R: np.ndarray) -> np.ndarray:
    """Scale float rows to primitive integer vectors (exact for small rationals)."""
    out = np.empty(R.shape, dtype=np.int64)
    for k, r in enumerate(R):
        r = r / np.max(np.abs(r))
        for den in range(1, 10_000):
            x = r * den
            if np.allclose(x, np.round(x), atol=1e-7):
                v = np.round(x).astype(np.int64)
                break
        else:
            raise ValueError("ray is not a small rational vector")
        g = np.gcd.reduce(np.abs(v))
        out[k] = v // max(g, 1)
    return out
