"""Discovering hypergraph entropy inequalities: inner hulls from sampled models.

- :func:`sparse_hypergraph_vectors` samples small hypergraphs with few,
  large hyperedges (the models whose vectors lie on the faces of the
  hypergraph cone far more often than those of dense random hypergraphs) and
  returns their distinct entropy vectors;
- :func:`star_hypergraph_vectors` samples hypergraphs built around several
  bulk hubs (each party tied to one hub, pairs of parties joined to sets of
  hubs), the shape of the counterexamples that need 3 to 7 bulk vertices.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from qinfo._parallel import parallel_map
from qinfo._random import as_generator, spawn_seeds
from qinfo._validate import check_int

from ._hypergraph import Hypergraph, entropy_vectors
from ._inequalities import Inequality
from ._vectors import PURIFIER, EntropyVector, all_permutation_indices, party_letters

__all__ = ["sparse_hypergraph_vectors", "star_hypergraph_vectors", "separating_inequality",
           "invariant_separating_inequality", "discover_inequalities", "Discovery"]


def sparse_hypergraph_vectors(n_parties: int, count: int, *, max_bulk: int = 3, max_edges: int = 7,
                              max_weight: int = 2, seed=None, progress: bool | None = None,
                              executor=None) -> np.ndarray:
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
        The hypergraphs drawn depend on it alone.
    progress : bool, optional
        Progress bar; default: when stderr is a terminal.
    executor : concurrent.futures.Executor, optional
        Computes the entropy vectors (:func:`entropy_vectors`); the result does not depend on it.

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
    for arg, val, lo in (("n_parties", n_parties, 1), ("count", count, 1), ("max_bulk", max_bulk, 0),
                         ("max_edges", max_edges, 2), ("max_weight", max_weight, 1)):
        check_int(arg, val, lo)
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
    return _distinct_vectors(models, executor, progress)


def star_hypergraph_vectors(n_parties: int, count: int, *, max_bulk: int = 7, max_weight: int = 3,
                            seed=None, progress: bool | None = None, executor=None) -> np.ndarray:
    """Distinct min-cut entropy vectors of ``count`` random hypergraphs built around bulk hubs.

    Each hypergraph has 1 to ``max_bulk`` bulk vertices (the hubs). Every
    boundary vertex gets 0 to 2 edges of weight 1 or 2, each to one hub (one
    time in five to a random set of hubs). The boundary vertices are paired in
    order (``A`` with ``B``, ``C`` with ``D``, ..., the purifier last) and each
    pair gets 0 to 2 hyperedges joining it to a random non-empty set of hubs,
    of weight 1 to ``max_weight``; 0 to 2 further edges join random sets of
    boundary vertices and hubs. The pairing is fixed because the hulls built
    from these vectors take all their images under the permutations of the
    parties and the purifier anyway.

    Why this family: at five parties the counterexamples to candidate
    separators of the 6-qubit graph state ``A-C, A-D, B-C, B-D, A-O, B-E``
    found by the exact search (:func:`~qinfo.entropy_cones.minimise_over_hypergraphs`)
    have this shape, and with 3 or more bulk vertices that search takes
    minutes to hours, while :func:`sparse_hypergraph_vectors` (one large
    edge at a time) rarely draws them.

    Parameters
    ----------
    n_parties : int
        Parties besides the purifier (1 to 7).
    count : int
        Hypergraphs to sample.
    max_bulk, max_weight : int
        Bounds described above.
    seed : None, int, SeedSequence or Generator
        The hypergraphs drawn depend on it alone.
    progress : bool, optional
        Progress bar; default: when stderr is a terminal.
    executor : concurrent.futures.Executor, optional
        Computes the entropy vectors (:func:`entropy_vectors`); the result does not depend on it.

    Returns
    -------
    numpy.ndarray
        One distinct non-zero vector per row, sorted lexicographically
        (integers, in the units of the weights).

    Examples
    --------
    >>> V = star_hypergraph_vectors(3, 40, seed=2, progress=False)
    >>> V.shape[1], bool((V[:, 0] + V[:, 1] >= V[:, 3]).all())   # 7 entries; S_A + S_B >= S_AB
    (7, True)
    """
    for arg, val, lo in (("n_parties", n_parties, 1), ("count", count, 1), ("max_bulk", max_bulk, 1),
                         ("max_weight", max_weight, 1)):
        check_int(arg, val, lo)
    rng = as_generator(seed)
    names = list(party_letters(n_parties)) + [PURIFIER]
    pairs = [names[i:i + 2] for i in range(0, len(names) - 1, 2)]
    models = []
    while len(models) < count:
        hubs = [f"x{i}" for i in range(int(rng.integers(1, max_bulk + 1)))]

        def some_hubs():
            return rng.choice(hubs, size=int(rng.integers(1, len(hubs) + 1)), replace=False).tolist()

        edges = []
        for p in names:
            for _ in range(int(rng.choice([0, 1, 1, 1, 2]))):
                to = some_hubs() if rng.random() < 0.2 else [hubs[int(rng.integers(len(hubs)))]]
                edges.append((tuple([p] + to), int(rng.integers(1, 3))))
        for pair in pairs:
            for _ in range(int(rng.choice([0, 1, 1, 2]))):
                edges.append((tuple(pair + some_hubs()), int(rng.integers(1, max_weight + 1))))
        for _ in range(int(rng.integers(0, 3))):
            vs = rng.choice(names + hubs, size=int(rng.integers(2, len(names) + len(hubs) + 1)), replace=False)
            edges.append((tuple(vs.tolist()), int(rng.integers(1, 3))))
        if edges:
            models.append(Hypergraph(edges, {c: c for c in names}, vertices=names + hubs))
    return _distinct_vectors(models, executor, progress)


def _distinct_vectors(models: list[Hypergraph], executor, progress) -> np.ndarray:
    """The distinct non-zero entropy vectors of ``models``, one per row, sorted."""
    vecs = np.array([v.values for v in entropy_vectors(models, executor=executor, progress=progress)])
    vecs = np.unique(vecs, axis=0)
    return vecs[vecs.any(axis=1)]


# -- the discovery loop -------------------------------------------------------------
@dataclass
class Discovery:
    """The outcome of :func:`discover_inequalities` for one target vector.

    Parameters
    ----------
    target : EntropyVector
        The vector asked about.
    status : str
        ``"inside"``: the target is a hypergraph vector up to scale
        (``realisation``, or a conic combination of sampled hypergraph
        vectors); ``"outside"``: ``inequality`` is proved for hypergraphs with
        edges of any size (``certificate``) and the target violates it;
        ``"undecided"``: neither; ``reason`` says what was tried.
    reason : str
        What decided it, or what was tried.
    inequality : Inequality or None
        The last separating candidate (proved when ``status == "outside"``),
        integral, primitive and canonical under the permutations of the
        parties and the purifier.
    certificate : ContractionMap or None
        The contraction map proving ``inequality`` (``"outside"``).
    realisation : Hypergraph or None
        A hypergraph with the target's entropies (``"inside"``).
    counterexamples : list of EntropyVector
        Hypergraph vectors found by the exact search that refuted earlier
        candidates (they joined the hull).
    rounds : int
        Candidates tried.
    seconds : float
        Wall time spent.

    Examples
    --------
    >>> d = Discovery(EntropyVector([1, 1, 0]), "inside", "a Bell pair")
    >>> d.status, d.inequality is None
    ('inside', True)
    """

    target: EntropyVector
    status: str
    reason: str
    inequality: Inequality | None = None
    certificate: object | None = None
    realisation: object | None = None
    counterexamples: list = field(default_factory=list)
    rounds: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        """A JSON-ready record (the resume file stores one per line; :meth:`from_dict` inverts it).

        Returns
        -------
        dict
            The target, status, reason, inequality coefficients, realisation
            edges, counterexamples, rounds and seconds (no certificate).

        Examples
        --------
        >>> d = Discovery(EntropyVector([1, 1, 1]), "undecided", "not tried")
        >>> Discovery.from_dict(d.to_dict()).status
        'undecided'
        """
        return {"target": self.target.values.tolist(), "status": self.status, "reason": self.reason,
                "inequality": None if self.inequality is None else self.inequality.coefficients.tolist(),
                "realisation": None if self.realisation is None else
                [[list(map(str, e)), w] for e, w in self.realisation.edges],
                "counterexamples": [v.values.tolist() for v in self.counterexamples],
                "rounds": self.rounds, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, rec: dict) -> "Discovery":
        """The record :meth:`to_dict` wrote.

        Parameters
        ----------
        rec : dict
            As written by :meth:`to_dict`.

        Returns
        -------
        Discovery

        Examples
        --------
        >>> rec = {"target": [1, 1, 1], "status": "undecided", "reason": "", "inequality": None,
        ...        "realisation": None, "counterexamples": [], "rounds": 0, "seconds": 0.0}
        >>> Discovery.from_dict(rec).target
        EntropyVector(A=1, B=1, AB=1)
        """
        ineq = None if rec["inequality"] is None else Inequality.from_coefficients(rec["inequality"], name="candidate")
        real = None
        if rec["realisation"] is not None:
            n = EntropyVector(rec["target"]).n_parties
            names = list(party_letters(n)) + [PURIFIER]
            real = Hypergraph([(tuple(e), w) for e, w in rec["realisation"]], {c: c for c in names})
        return cls(EntropyVector(rec["target"]), rec["status"], rec["reason"], ineq, None, real,
                   [EntropyVector(v) for v in rec["counterexamples"]], rec["rounds"], rec["seconds"])


def separating_inequality(target, pool: np.ndarray, *, max_rounds: int = 200,
                          batch: int = 400) -> tuple[Inequality | None, np.ndarray | None]:
    """A sparse integral inequality valid on ``pool`` and all its party permutations, violated by ``target``.

    Cutting planes on an LP (scipy HiGHS): minimise ``|f|_1`` subject to
    ``f . target = -1`` and ``f . r >= 0`` for the active rows ``r``; the
    images of pool vectors that the solution violates join the active rows
    (the ``batch`` most violated per round) until none is violated. The
    solution is scaled to a primitive integer vector and canonicalised (the
    lexicographically largest image under the permutations of the N+1
    parties); validity on every image of every pool vector is re-checked in
    integer arithmetic.

    Parameters
    ----------
    target : EntropyVector or array_like
        The vector to cut off (N parties).
    pool : numpy.ndarray
        Model vectors (integers), one per row.
    max_rounds, batch : int
        Cutting-plane rounds, and rows added per round.

    Returns
    -------
    (Inequality, None) or (None, numpy.ndarray)
        The inequality; or, when the target lies in the cone of the pool
        images, ``None`` and an array whose rows are pool images followed by
        a non-negative weight (least squares, scipy ``nnls``) such that the
        weighted sum of the images reproduces the target.

    Examples
    --------
    >>> pool = np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1]])   # Bell pairs AB, AO, BO
    >>> ineq, _ = separating_inequality([1, 1, 3], pool)     # S_AB > S_A + S_B
    >>> print(ineq)
    S_A + S_B >= S_AB
    """
    from scipy.optimize import linprog

    t = np.asarray(target.values if isinstance(target, EntropyVector) else target, dtype=float)
    n = EntropyVector(t).n_parties
    d = t.size
    perms = all_permutation_indices(n)
    pool = np.asarray(pool, dtype=float)
    if pool.ndim != 2 or pool.shape[0] == 0 or pool.shape[1] != d:
        raise ValueError(f"pool must be a non-empty array of shape (m, {d}), got {pool.shape}")
    active = np.unique(pool, axis=0)
    for _ in range(max_rounds):
        # variables p, q >= 0 with f = p - q
        res = linprog(np.ones(2 * d), A_ub=np.hstack([-active, active]), b_ub=np.zeros(len(active)),
                      A_eq=np.r_[t, -t][None, :], b_eq=[-1.0], bounds=(0, None), method="highs")
        if res.status == 2:  # infeasible: the target is in the cone of the active rows
            return None, _conic_weights(t, active)
        if res.status != 0:
            raise RuntimeError(f"the separation LP failed: {res.message}")
        f = res.x[:d] - res.x[d:]
        G = np.zeros(perms.shape)
        np.put_along_axis(G, perms, np.broadcast_to(f, perms.shape), axis=1)
        slack = G @ pool.T  # slack[p, v] = f . (image p of pool vector v)
        bad = np.argwhere(slack < -1e-9)
        if bad.size == 0:
            coef = _primitive_integer(f)
            if coef is not None:
                G_int = np.zeros(perms.shape, dtype=np.int64)
                np.put_along_axis(G_int, perms, np.broadcast_to(coef, perms.shape), axis=1)
                if (G_int @ np.round(pool).astype(np.int64).T).min() >= 0 and coef @ t < 0:
                    canon = EntropyVector(coef.astype(float)).canonical().values
                    return Inequality.from_coefficients(canon, name="candidate"), None
            bad = np.argwhere(slack < 1e-9)  # rounding failed: pin the tight rows and retry
        order = np.argsort(slack[bad[:, 0], bad[:, 1]])[:batch]
        rows = pool[bad[order, 1][:, None], perms[bad[order, 0]]]
        active = np.unique(np.vstack([active, rows]), axis=0)
    raise RuntimeError(f"the separation LP did not converge in {max_rounds} rounds")


def invariant_separating_inequality(target, pool: np.ndarray) -> tuple[Inequality | None, np.ndarray | None]:
    """A separator of ``target`` from the hull of ``pool`` invariant under the target's own symmetries.

    If some valid inequality ``f`` is violated by ``target``, so is its
    average over the permutations ``g`` of the parties and the purifier that
    fix ``target`` (``f . t`` is unchanged, validity on an ``S_{N+1}``-invariant
    cone is kept). So the search can be restricted to inequalities constant on
    the orbits of that group on the subsets: one unknown per orbit (5 instead
    of 31 for the 6-qubit graph state whose pairs ``AO, BE, CD`` have entropy
    1), and every pool vector ``v`` enters through its orbit sums of
    ``g(v)`` for each permutation (one point per coset). The LP finds the
    deepest cut relative to the centroid of these points (minimise ``f . t``
    with ``f . centroid = 1``), which is a facet of their hull; the solution
    is made a primitive integer vector and re-checked exactly on every point.

    Parameters
    ----------
    target : EntropyVector or array_like
        The vector to cut off (N parties).
    pool : numpy.ndarray
        Model vectors (integers), one per row.

    Returns
    -------
    (Inequality, None) or (None, None)
        The invariant inequality (canonical under ``S_{N+1}``), or ``None``
        when the target's orbit sums lie in the cone of the pool's.

    Examples
    --------
    >>> pool = np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1]])   # Bell pairs AB, AO, BO
    >>> ineq, _ = invariant_separating_inequality([1, 1, 3], pool)
    >>> print(ineq)
    S_A + S_B >= S_AB
    """
    from scipy.optimize import linprog

    t = np.asarray(target.values if isinstance(target, EntropyVector) else target, dtype=float)
    n = EntropyVector(t).n_parties
    pool = np.asarray(pool, dtype=float)
    if pool.ndim != 2 or pool.shape[0] == 0 or pool.shape[1] != t.size:
        raise ValueError(f"pool must be a non-empty array of shape (m, {t.size}), got {pool.shape}")
    Q = _orbit_sum_matrix(t, all_permutation_indices(n))
    points = np.unique(np.vstack([pool @ Qp.T for Qp in _coset_projections(Q, all_permutation_indices(n))]),
                       axis=0)
    points = points[points.any(axis=1)]
    ts = Q @ t
    centroid = points.mean(axis=0)
    res = linprog(ts, A_ub=-points, b_ub=np.zeros(len(points)), A_eq=centroid[None, :], b_eq=[1.0],
                  bounds=(None, None), method="highs")
    if res.status != 0 or res.fun > -1e-9:
        return None, None
    f = _primitive_integer(res.x, max_den=10_000)
    if f is None or (np.round(points).astype(np.int64) @ f).min() < 0 or f @ ts >= 0:
        raise RuntimeError("the invariant separator could not be made an exactly valid integer vector")
    coef = Q.T.astype(np.int64) @ f  # constant on each orbit of subsets
    coef //= np.gcd.reduce(np.abs(coef))
    canon = EntropyVector(coef.astype(float)).canonical().values
    return Inequality.from_coefficients(canon, name="candidate"), None


def _orbit_sum_matrix(t: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """0/1 rows, one per orbit of the subsets under the permutations fixing ``t``."""
    stab = perms[np.all(np.isclose(t[perms], t[None, :]), axis=1)]
    label = np.full(t.size, -1)
    for k in range(t.size):
        if label[k] < 0:
            label[np.unique(stab[:, k])] = label.max() + 1
    return (label[None, :] == np.arange(label.max() + 1)[:, None]).astype(float)


def _coset_projections(Q: np.ndarray, perms: np.ndarray) -> list[np.ndarray]:
    """The distinct matrices ``v -> Q @ v[perm]`` over all permutations."""
    seen = {}
    for p in perms:
        Qp = np.zeros_like(Q)
        Qp[:, p] = Q  # (Q @ v[p])_c = sum_k Q[c, k] v[p[k]]
        seen.setdefault(Qp.tobytes(), Qp)
    return list(seen.values())


def _conic_weights(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
    from scipy.optimize import nnls

    lam, _ = nnls(rows.T, t)
    return np.c_[rows, lam]


def _primitive_integer(f: np.ndarray, max_den: int = 1000) -> np.ndarray | None:
    """``f`` scaled to a primitive integer vector, or None if it is not a small rational direction."""
    nz = np.abs(f) > 1e-9 * np.abs(f).max()
    g = f / np.abs(f[nz]).min()
    fr = [Fraction(float(x)).limit_denominator(max_den) if keep else Fraction(0) for x, keep in zip(g, nz)]
    if max(abs(float(a) - x) for a, x in zip(fr, g)) > 1e-6 * np.abs(g).max():
        return None
    lcm = int(np.lcm.reduce([a.denominator for a in fr]))
    ints = np.array([int(a * lcm) for a in fr], dtype=np.int64)
    return ints // np.gcd.reduce(np.abs(ints))


def discover_inequalities(targets, *, pool=None, pool_size: int = 3000, max_bulk: int = 2,
                          realise_bulk: int = 1, max_rounds: int = 30, milp_time_limit: float | None = 120.0,
                          prove_time_limit: float | None = 300.0, escalate_bulk: int | None = None,
                          separator: str = "sparse", seed=None, progress: bool | None = None, executor=None,
                          resume: str | Path | None = None) -> list[Discovery]:
    """Find, for each target vector, a hypergraph realisation or a proved hypergraph inequality it violates.

    For each target (independently, on ``executor`` when given):

    1. a realisation search (:func:`~qinfo.entropy_cones.find_hypergraph_realisation`,
       ``realise_bulk`` bulk vertices, edges of any size): found means ``"inside"``;
    2. the inner hull: ``pool`` (sampled hypergraph vectors, by default
       :func:`sparse_hypergraph_vectors`) and all their images under the
       permutations of the parties and the purifier;
    3. :func:`separating_inequality` of the target from that hull; if the
       target lies in the hull it is a hypergraph vector up to scale
       (``"inside"``);
    4. the exact counterexample search
       (:func:`~qinfo.entropy_cones.minimise_over_hypergraphs`,
       ``max_bulk`` bulk vertices, edges of any size); a counterexample joins
       the hull and the loop returns to 3;
    5. :func:`~qinfo.entropy_cones.prove` for hypergraphs with
       edges of any size: proved means ``"outside"`` with the certificate;
       refuted joins the hull as in 4; otherwise, with ``escalate_bulk``, one
       more exact search with that many bulk vertices (a counterexample joins
       the hull as in 4); else the target's search ends ``"undecided"``.

    Parameters
    ----------
    targets : sequence of EntropyVector or array_like
        Vectors on the same N parties.
    pool : array_like, optional
        Hypergraph vectors for the inner hull; default ``pool_size`` vectors
        of :func:`sparse_hypergraph_vectors` (seeded by ``seed``).
    pool_size : int
        Vectors in the default pool.
    max_bulk : int
        Bulk vertices of the exact counterexample search.
    realise_bulk : int
        Bulk vertices of the realisation search (0 to skip it).
    max_rounds : int
        Candidates per target before giving up (``"undecided"``).
    milp_time_limit, prove_time_limit : float, optional
        Seconds per MILP and per proof attempt.
    escalate_bulk : int, optional
        Bulk vertices of the exact search tried when the proof fails (e.g.
        3; much slower than 2 at five parties).
    separator : {"sparse", "invariant"}
        Step 3: :func:`separating_inequality` (fewest terms, default) or
        :func:`invariant_separating_inequality` (constant on the orbits of
        the target's own symmetry group; far fewer unknowns, so the cutting
        planes converge in a few rounds, but more terms to prove).
    seed : None, int, SeedSequence or Generator
        For the default pool and the prover's counterexample search.
    progress : bool, optional
        A bar over the targets; default: when stderr is a terminal.
    executor : concurrent.futures.Executor, optional
        Runs the targets in parallel; results do not depend on it.
    resume : str or Path, optional
        A JSON-lines file: finished targets are appended as they finish and
        skipped (their records reused) when the call is repeated with the same
        settings and pool; records made with other settings are not reused.

    Returns
    -------
    list of Discovery
        One per target, in order.

    Examples
    --------
    >>> ghz4 = EntropyVector([1, 1, 1, 1, 1, 1, 1])        # a single hyperedge ABCO
    >>> [d.status for d in discover_inequalities([ghz4], pool_size=20, seed=0, progress=False)]
    ['inside']
    """

    vecs = [v if isinstance(v, EntropyVector) else EntropyVector(v) for v in targets]
    if not vecs:
        raise ValueError("targets is empty")
    n = vecs[0].n_parties
    if any(v.n_parties != n for v in vecs):
        raise ValueError("targets must all have the same number of parties")
    if separator not in _SEPARATORS:
        raise ValueError(f"separator must be one of {sorted(_SEPARATORS)}, got {separator!r}")
    pool_seed, prove_seed = spawn_seeds(seed, 2)
    if pool is None:
        pool = sparse_hypergraph_vectors(n, pool_size, seed=pool_seed, progress=False, executor=executor)
    pool = np.asarray(pool, dtype=float)
    job = _DiscoverJob(pool, max_bulk, realise_bulk, max_rounds, milp_time_limit, prove_time_limit,
                       prove_seed, None if resume is None else Path(resume), escalate_bulk, separator)
    done = _read_resume(resume, job.settings())
    todo = [v for v in vecs if _resume_key(v) not in done]
    for rec in parallel_map(job, todo, executor=executor, progress=progress,
                            desc="targets", chunksize=1):
        done[_resume_key(rec.target)] = rec
    return [done[_resume_key(v)] if isinstance(done[_resume_key(v)], Discovery)
            else Discovery.from_dict(done[_resume_key(v)]) for v in vecs]


_SEPARATORS = {"sparse": separating_inequality, "invariant": invariant_separating_inequality}


def _resume_key(v: EntropyVector) -> str:
    return json.dumps(np.round(v.values, 9).tolist())


def _read_resume(path, settings: dict) -> dict:
    """The records of ``path`` made with these settings (others are not reused)."""
    if path is None or not Path(path).exists():
        return {}
    out = {}
    for line in Path(path).read_text().splitlines():
        if line.strip():
            rec = json.loads(line)
            if rec.get("settings") == settings:
                out[_resume_key(EntropyVector(rec["target"]))] = rec
    return out


@dataclass
class _DiscoverJob:
    """The per-target search, picklable for executors."""

    pool: np.ndarray
    max_bulk: int
    realise_bulk: int
    max_rounds: int
    milp_time_limit: float | None
    prove_time_limit: float | None
    seed: object
    resume: Path | None
    escalate_bulk: int | None = None
    separator: str = "sparse"

    def __call__(self, target: EntropyVector) -> Discovery:
        t0 = time.perf_counter()
        rec = self._search(target)
        rec.seconds = time.perf_counter() - t0
        if self.resume is not None:
            with open(self.resume, "a") as fh:
                fh.write(json.dumps({**rec.to_dict(), "settings": self.settings()}) + "\n")
        return rec

    def settings(self) -> dict:
        """What a resumed record must have been made with: the search settings and the
        pool (by digest); the seed is not compared (a Generator has no stable identity)."""
        pool = np.ascontiguousarray(self.pool, dtype=float)
        return {"pool": hashlib.sha256(pool.tobytes() + str(pool.shape).encode()).hexdigest()[:16],
                "max_bulk": self.max_bulk, "realise_bulk": self.realise_bulk,
                "max_rounds": self.max_rounds, "milp_time_limit": self.milp_time_limit,
                "prove_time_limit": self.prove_time_limit, "escalate_bulk": self.escalate_bulk,
                "separator": self.separator}

    def _search(self, target: EntropyVector) -> Discovery:
        from ._cones import find_hypergraph_realisation
        from ._contraction._prove import prove
        from ._exact_search import minimise_over_hypergraphs

        if self.realise_bulk > 0:
            real = find_hypergraph_realisation(target, max_bulk=self.realise_bulk,
                                               max_edge_size=target.n_parties + 1 + self.realise_bulk,
                                               time_limit=self.milp_time_limit)
            if real.found:
                return Discovery(target, "inside", f"realised by a hypergraph ({real.reason})",
                                 realisation=real.hypergraph)
        pool = self.pool
        found: list[EntropyVector] = []
        tried: list[str] = []
        ineq = None
        for rnd in range(1, self.max_rounds + 1):
            ineq, combo = _SEPARATORS[self.separator](target, pool)
            if ineq is None and combo is None:  # invariant LP: the target's orbit sums are inside
                return Discovery(target, "inside", "its orbit sums under its own symmetry group lie in the "
                                 "cone of the pool's (invariant LP); a conic combination of images of sampled "
                                 "hypergraph vectors, not built explicitly", counterexamples=found,
                                 rounds=rnd - 1)
            if ineq is None:
                residual = float(np.abs(combo[:, -1] @ combo[:, :-1] - target.values).max())
                used = int(np.sum(combo[:, -1] > 1e-9))
                if residual > 1e-6 * float(np.abs(target.values).max()):
                    return Discovery(target, "undecided", f"the LP puts the target in the hull, but the "
                                     f"least-squares combination misses it by {residual:.2g}",
                                     counterexamples=found, rounds=rnd - 1)
                return Discovery(target, "inside", f"a conic combination of {used} sampled hypergraph "
                                 f"vectors (LP, residual {residual:.1g}; a disjoint union of rescaled "
                                 "hypergraphs, not built explicitly)", counterexamples=found, rounds=rnd - 1)
            search = minimise_over_hypergraphs(ineq, self.max_bulk, time_limit=self.milp_time_limit)
            counterexample = search.vector if search.status == "refuted" else None
            proof = None
            if counterexample is None:
                tried.append(f"candidate '{ineq}': exact search {search.reason}")
                proof = prove(ineq, model="hypergraph", max_edge_size=None, time_limit=self.prove_time_limit,
                              seed=self.seed, progress=False)
                if proof.status == "proved":
                    ineq.name = "hypergraph-5" if target.n_parties == 5 else "hypergraph"
                    return Discovery(target, "outside", f"violates a proved hypergraph inequality "
                                     f"({proof.reason})", ineq, proof.certificate, counterexamples=found,
                                     rounds=rnd)
                if proof.status == "refuted":
                    counterexample = proof.counterexample.entropy_vector()
            if counterexample is None and self.escalate_bulk is not None:  # a last, larger exact search
                search = minimise_over_hypergraphs(ineq, self.escalate_bulk, time_limit=self.milp_time_limit)
                counterexample = search.vector if search.status == "refuted" else None
                tried.append(f"exact search with {self.escalate_bulk} bulk vertices: {search.reason}")
            if counterexample is not None:  # it joins the hull
                found.append(counterexample)
                pool = np.vstack([pool, counterexample.values])
                continue
            return Discovery(target, "undecided", "; ".join(tried) + f"; prove: {proof.reason}", ineq,
                             counterexamples=found, rounds=rnd)
        return Discovery(target, "undecided", f"{self.max_rounds} candidates refuted by the exact search "
                         f"({len(found)} counterexamples joined the hull)", ineq, counterexamples=found,
                         rounds=self.max_rounds)
