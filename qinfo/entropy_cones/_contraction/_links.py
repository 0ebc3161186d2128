"""Contraction-map proofs and certified refutations of entropy inequalities for link models.

**Proofs.** The certificate is a :class:`~qinfo.entropy_cones.ContractionMap`
``f: {0,1}^L -> {0,1}^R`` on occurrence bit strings, as for graphs, with the
boundary conditions of a graph proof and, in place of the graph's edge
condition, the *link condition*: for every left-hand coordinate ``l``,

    ``sum of beta_r over the right-hand terms r whose bit f_r depends on x_l  <=  alpha_l``.

Why it proves the inequality for every link model (:class:`LinkModel`, any
split structure closed under sublinks): take optimal cuts ``K_l`` for the
left-hand terms, with each surviving component ``c`` on side ``x_l(c)``
(constant on the non-split pieces of ``L - K_l``). For a right-hand term ``r``
cut ``K'_r = union of K_l over the l that f_r depends on`` and put a
surviving ``c`` on side ``f_r(x(c))``. A non-split piece of ``L - K'_r`` lies
in ``L - K_l`` for each such ``l``, hence inside one of its pieces (the pieces
of a sublink refine those of the link), so ``f_r`` is constant on it; the
boundary conditions put the labelled components on the right sides. So
``S(J_r) <= w(K'_r)`` and ``sum_r beta_r w(K'_r) <= sum_l alpha_l w(K_l)``.
No knot theory enters a proof: it holds for every link, so no oracle answers
are recorded. (This is our formulation; we could not read the text of
arXiv:2109.01150 here, whose certificates are said to need oracle answers.)

**Refutations.** A :class:`LinkCounterexample` records a link model's
labels, weights and the split decomposition of *every* sublink, each with the
oracle's reason (or ``"connectivity structure"``), and optionally the PD
code they came from. :meth:`LinkCounterexample.check` re-checks it without
any knot theory: the decompositions are partitions closed under sublinks, the
entropy vector recomputed from them by brute force over all cuts violates
the inequality.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._vectors import EntropyVector, party_letters, subset_labels
from ._certificate import TOL, ContractionMap, as_inequality, check_contraction, integer_sides, json_number

__all__ = ["LinkCounterexample", "check_link_contraction", "link_contraction_failures",
           "find_link_contraction", "find_link_counterexample", "violating_relabelling"]


# -- the proof certificate ---------------------------------------------------------------
def _dependencies(images: np.ndarray) -> list[set[int]]:
    """For each right-hand bit, the left-hand coordinates it depends on."""
    n_rows, n_rhs = images.shape
    L = n_rows.bit_length() - 1
    x = np.arange(n_rows)
    deps = [set() for _ in range(n_rhs)]
    for l in range(L):
        flips = np.any(images[x] != images[x ^ (1 << l)], axis=0)
        for r in np.flatnonzero(flips):
            deps[r].add(l)
    return deps


def link_contraction_failures(certificate, limit: int | None = 10) -> list[str]:
    """Why ``certificate`` does not prove its inequality for link models; empty if it does.

    Checks the boundary conditions (as :meth:`ContractionMap.failures`) and the
    link condition (module docstring) for every left-hand coordinate.

    Examples
    --------
    >>> from qinfo.entropy_cones import ContractionMap
    >>> xor = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
    >>> link_contraction_failures(xor)
    []
    >>> ssa = ContractionMap([("AB", 1), ("BC", 1)], [("B", 1), ("ABC", 1)], ["00", "01", "01", "11"])
    >>> link_contraction_failures(ssa, limit=1)
    ['link condition at lhs term AB: rhs bits B, ABC depend on it, weight 2 > 1']
    """
    out = [f for f in certificate.failures("graph", limit=limit) if f.startswith("boundary")]
    alpha = [c for _, c in certificate.lhs]
    beta = [c for _, c in certificate.rhs]
    deps = _dependencies(certificate.images)
    for l, (label, a) in enumerate(certificate.lhs):
        if limit is not None and len(out) >= limit:
            break
        users = [r for r in range(len(beta)) if l in deps[r]]
        load = sum(beta[r] for r in users)
        if load > a + TOL:
            names = ", ".join(certificate.rhs[r][0] for r in users)
            out.append(f"link condition at lhs term {label}: rhs bits {names} depend on it, "
                       f"weight {json_number(load)} > {json_number(a)}")
    return out


def check_link_contraction(certificate, inequality=None) -> bool:
    """Verify a link-model contraction certificate (no solver, no knot theory).

    Parameters
    ----------
    certificate : ContractionMap
        The map to check: the boundary conditions of a graph proof and the
        link condition (module notes).
    inequality : Inequality or str, optional
        Must be the certificate's own inequality up to a positive factor.

    Returns
    -------
    bool
        Whether the certificate proves its inequality for every link model;
        :func:`link_contraction_failures` says why not.

    Raises
    ------
    ValueError
        If the certificate is for another inequality.

    Examples
    --------
    >>> from qinfo.entropy_cones import ContractionMap
    >>> xor = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
    >>> check_link_contraction(xor, "S_A + S_B >= S_AB")
    True
    """
    if not isinstance(certificate, ContractionMap):
        raise TypeError(f"certificate must be a ContractionMap, got {type(certificate).__name__}")
    if inequality is not None:
        check_contraction(certificate, inequality)  # raises ValueError if it is another inequality
    return not link_contraction_failures(certificate, limit=1)


def find_link_contraction(inequality, *, max_multiple: int = 2):
    """Search for a link-model contraction certificate (exact, by an integer program).

    Each right-hand bit ``r`` is a function of a set ``S_r`` of left-hand
    coordinates; it can meet the boundary conditions iff no two parties
    agree on ``S_r`` but differ in ``y_r``. The program picks one such set per
    right-hand term (for the ``m``-th multiple, ``m`` of them, each a copy
    of the term) under the link condition, with scipy's HiGHS MILP.

    Returns
    -------
    ContractionMap or None
        None when no certificate exists for the inequality or its multiples
        up to ``max_multiple`` (this alone does not refute it).

    Examples
    --------
    >>> find_link_contraction("S_A + S_AB >= S_B").check("graph")   # Araki-Lieb
    True
    >>> find_link_contraction("S_AB + S_BC >= S_B + S_ABC") is None  # SSA
    True
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    ineq = as_inequality(inequality)
    lhs, rhs = integer_sides(ineq)
    L = len(lhs)
    parties = list(party_letters(ineq.n_parties))
    x_of = [tuple(int(p in lab) for lab, _ in lhs) for p in parties] + [(0,) * L]
    y_of = [tuple(int(p in lab) for lab, _ in rhs) for p in parties] + [(0,) * len(rhs)]
    candidates = [_minimal_supports(L, x_of, [y[r] for y in y_of]) for r in range(len(rhs))]
    if any(not c for c in candidates):
        return None
    columns = [(r, s) for r, cands in enumerate(candidates) for s in cands]
    for m in range(1, max_multiple + 1):
        a_eq = np.zeros((len(rhs), len(columns)))
        a_cap = np.zeros((L, len(columns)))
        for k, (r, s) in enumerate(columns):
            a_eq[r, k] = 1
            for l in s:
                a_cap[l, k] = rhs[r][1]
        res = milp(np.zeros(len(columns)), integrality=np.ones(len(columns)), bounds=Bounds(0, m),
                   constraints=[LinearConstraint(a_eq, m, m),
                                LinearConstraint(a_cap, -np.inf, [m * a for _, a in lhs])])
        if res.status == 0:
            counts = np.rint(res.x).astype(int)
            terms, images = [], []
            for k, (r, s) in enumerate(columns):
                table = {tuple(x[l] for l in s): y[r] for x, y in zip(x_of, y_of)}
                for _ in range(counts[k]):
                    terms.append(rhs[r])
                    images.append([table.get(tuple(v >> l & 1 for l in s), 0) for v in range(1 << L)])
            return ContractionMap([(lab, m * a) for lab, a in lhs], terms, np.array(images, dtype=np.uint8).T,
                                  n_parties=ineq.n_parties)
    return None


def _minimal_supports(L: int, x_of: list, y: list) -> list[tuple[int, ...]]:
    """Inclusion-minimal coordinate sets on which the parties' x determine their y."""
    found: list[tuple[int, ...]] = []
    for size in range(L + 1):
        for s in itertools.combinations(range(L), size):
            if any(set(f) <= set(s) for f in found):
                continue
            seen: dict = {}
            if all(seen.setdefault(tuple(x[l] for l in s), v) == v for x, v in zip(x_of, y)):
                found.append(s)
    return found


# -- the refutation certificate -------------------------------------------------------------
@dataclass
class LinkCounterexample:
    """A link model with every sublink's split decomposition recorded, to re-check offline.

    Parameters
    ----------
    labels : list
        One party label per component (``None``: a bulk component).
    weights : list
        One weight per component (``inf``: not cuttable).
    decompositions : dict
        ``{frozenset(sublink): (pieces, reasons)}`` for every non-empty sublink.
    pd : list or None
        The diagram the decompositions came from, when there is one.
    source : str
        Where the decompositions came from.

    Examples
    --------
    The four-component Brunnian link (a GHZ-like state) violates MMI:

    >>> from qinfo.entropy_cones import LinkModel
    >>> cex = LinkCounterexample.from_model(LinkModel.brunnian("ABCO"))
    >>> cex.check("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC")
    True
    """

    labels: list
    weights: list
    decompositions: dict
    pd: list | None = None
    source: str = ""

    @classmethod
    def from_model(cls, model, source: str = "") -> "LinkCounterexample":
        """Record every sublink's decomposition of a :class:`LinkModel` (at most 12 components).

        Parameters
        ----------
        model : LinkModel
            The link model; its split oracle is asked about every sublink.
        source : str
            Where the decompositions come from, kept with the record.

        Returns
        -------
        LinkCounterexample

        Examples
        --------
        >>> from qinfo.entropy_cones import LinkModel
        >>> cex = LinkCounterexample.from_model(LinkModel.borromean("ABO"))
        >>> cex.vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        m = model.n_components
        if m > 12:
            raise ValueError(f"model has {m} components; at most 12 are recorded (2**m sublinks)")
        decs = {}
        for r in range(1, m + 1):
            for sub in itertools.combinations(range(m), r):
                d = model.split_decomposition(sub)
                decs[frozenset(sub)] = (tuple(d.pieces), tuple(d.reasons))
        pd = None if model.diagram is None else [tuple(c) for c in model.diagram.pd]
        return cls(model.labels, model.weights, decs, pd, source)

    def vector(self):
        """Entropy vector from the recorded decompositions, by brute force over all cuts.

        Independent of :meth:`LinkModel.entropy_vector`'s search.

        Returns
        -------
        EntropyVector

        Raises
        ------
        ValueError
            If a decomposition the vector needs is recorded as undetermined.

        Examples
        --------
        >>> from qinfo.entropy_cones import LinkModel
        >>> LinkCounterexample.from_model(LinkModel.hopf_chain(["A", None, "B", "O"], weights=[3, 1, 2, 5])).vector()
        EntropyVector(A=1, B=2, AB=2)
        """
        n = len({lab for lab in self.labels if lab not in (None, "O")})
        everything = frozenset(range(len(self.labels)))
        cuttable = [i for i, w in enumerate(self.weights) if math.isfinite(w)]
        best = {lab: math.inf for lab in subset_labels(n)}
        for r in range(len(cuttable) + 1):
            for cut in itertools.combinations(cuttable, r):
                weight = sum(self.weights[i] for i in cut)
                pieces, reasons = self.decompositions[everything - frozenset(cut)] if len(cut) < len(
                    everything) else ((), ())
                if "undetermined" in reasons:
                    raise ValueError(f"the recorded decomposition of {sorted(everything - set(cut))} is "
                                     f"not certified")
                for lab in best:
                    if weight < best[lab] and all(
                            not ({self.labels[c] for c in p} & set(lab)) or
                            not ({self.labels[c] for c in p} - set(lab) - {None}) for p in pieces):
                        best[lab] = weight
        return EntropyVector([best[lab] for lab in subset_labels(n)])

    def failures(self, inequality) -> list[str]:
        """Why this is not a counterexample to ``inequality``; empty if it is one.

        Checks that the recorded pieces partition each sublink and are closed
        under sublinks, then that the recomputed :meth:`vector` violates the
        inequality.

        Parameters
        ----------
        inequality : Inequality or str
            The inequality this record should violate.

        Returns
        -------
        list of str
            One sentence per failure.

        Examples
        --------
        >>> from qinfo.entropy_cones import LinkModel
        >>> LinkCounterexample.from_model(LinkModel.brunnian("ABCO")).failures("S_A + S_B >= S_AB")
        ['the vector EntropyVector(A=1, B=1, C=1, AB=1, AC=1, BC=1, ABC=1) does not violate S_A + S_B >= S_AB (slack 1)']
        """
        ineq = as_inequality(inequality)
        out = []
        for sub, (pieces, _) in self.decompositions.items():
            if sorted(c for p in pieces for c in p) != sorted(sub):
                out.append(f"the pieces {[sorted(p) for p in pieces]} do not partition {sorted(sub)}")
            for c in sub if len(sub) > 1 else ():
                for q in self.decompositions[sub - {c}][0]:
                    if not any(q <= p for p in pieces):
                        out.append(f"{sorted(q)} is one piece of {sorted(sub - {c})} but "
                                   f"{sorted(sub)} separates it")
        if out:
            return out[:5]
        v = self.vector()
        slack = float(ineq.lift(v.n_parties).evaluate(v)) if ineq.n_parties <= v.n_parties else math.nan
        if not slack < -TOL:
            out.append(f"the vector {v} does not violate {ineq} (slack {slack:g})")
        return out

    def check(self, inequality) -> bool:
        """True when the recorded data are consistent and violate ``inequality`` (see :meth:`failures`).

        Parameters
        ----------
        inequality : Inequality or str
            The inequality this record should violate.

        Returns
        -------
        bool

        Examples
        --------
        >>> from qinfo.entropy_cones import LinkModel
        >>> LinkCounterexample.from_model(LinkModel.brunnian("ABCO")).check("S_A + S_B >= S_AB")
        False
        """
        return not self.failures(inequality)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (sublinks and pieces as sorted lists); :meth:`from_dict` reads it.

        Returns
        -------
        dict
            Keys ``labels``, ``weights``, ``pd``, ``source`` and
            ``decompositions`` (``[sublink, pieces, reasons]`` triples).

        Examples
        --------
        >>> import json
        >>> from qinfo.entropy_cones import LinkModel
        >>> cex = LinkCounterexample.from_model(LinkModel.brunnian("ABCO"))
        >>> sorted(cex.to_dict())
        ['decompositions', 'labels', 'pd', 'source', 'weights']
        >>> LinkCounterexample.from_dict(json.loads(json.dumps(cex.to_dict()))).check("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC")
        True
        """
        return {"labels": self.labels, "weights": self.weights, "pd": self.pd, "source": self.source,
                "decompositions": [[sorted(s), [sorted(p) for p in ps], list(rs)]
                                   for s, (ps, rs) in sorted(self.decompositions.items(),
                                                             key=lambda kv: (len(kv[0]), sorted(kv[0])))]}

    @classmethod
    def from_dict(cls, data: dict) -> "LinkCounterexample":
        """Read the form written by :meth:`to_dict` (e.g. back from JSON).

        Parameters
        ----------
        data : dict
            As returned by :meth:`to_dict`.

        Returns
        -------
        LinkCounterexample

        Examples
        --------
        >>> from qinfo.entropy_cones import LinkModel
        >>> cex = LinkCounterexample.from_model(LinkModel.hopf_chain(["A", "B", "O"]))
        >>> LinkCounterexample.from_dict(cex.to_dict()).vector() == cex.vector()
        True
        """
        decs = {frozenset(s): (tuple(frozenset(p) for p in ps), tuple(rs)) for s, ps, rs in data["decompositions"]}
        return cls(list(data["labels"]), [float(w) for w in data["weights"]], decs,
                   None if data.get("pd") is None else [tuple(c) for c in data["pd"]], data.get("source", ""))


# -- the counterexample search ------------------------------------------------------------------
def find_link_counterexample(inequality, *, counterexamples=None, max_tries: int = 3000, seed=None,
                             progress=None) -> LinkCounterexample | None:
    """A recorded link model that violates ``inequality``, or None.

    Used by ``prove(inequality, model="link")`` when no certificate exists.
    First ``counterexamples`` (link models to try, relabelled over every
    permutation of the parties), then random connectivity structures
    (:func:`qinfo.entropy_cones.search_connectivity`).

    Parameters
    ----------
    inequality : Inequality or str
        The inequality to violate.
    counterexamples : iterable of LinkModel, optional
        Default: the explicit, certified diagrams with the same number of
        parties (the SSA-violating link for three parties, the
        Ingleton-violating one for four).
    max_tries : int
        Random structures drawn.
    seed : None, int, SeedSequence or Generator
        Seed of the random structures (``None``: fresh entropy).
    progress : bool, optional
        Progress bar of the random search (``None``: only on a terminal).

    Returns
    -------
    LinkCounterexample or None
        Re-checkable offline with :meth:`LinkCounterexample.check`.

    Examples
    --------
    >>> cex = find_link_counterexample("S_AB + S_BC >= S_B + S_ABC", max_tries=0)
    >>> cex.check("S_AB + S_BC >= S_B + S_ABC")
    True
    """
    import warnings

    from .._link_realise import known_diagrams
    from .._link_search import search_connectivity
    from .._links import LinkModel, NonQuantumVectorWarning

    ineq = as_inequality(inequality)
    if counterexamples is None:
        counterexamples = known_diagrams(ineq.n_parties)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonQuantumVectorWarning)
        for model in counterexamples:
            relabelled = violating_relabelling(model, ineq)
            if relabelled is not None:
                return LinkCounterexample.from_model(relabelled, "link diagram, split oracle")
    if max_tries <= 0:
        return None
    hit = search_connectivity(lambda v: ineq.evaluate(v) < -TOL, n_parties=ineq.n_parties,
                              n_components=(ineq.n_parties + 1, ineq.n_parties + 3),
                              max_generator=ineq.n_parties + 1, max_tries=max_tries,
                              seed=seed, progress=progress)
    if not hit.found:
        return None
    model = LinkModel.from_connectivity(hit.n_components, hit.generators, hit.labels, hit.weights)
    return LinkCounterexample.from_model(
        model, f"connectivity structure generated by {[sorted(g) for g in hit.generators]} "
               f"(realisable by the Brunn-Debrunner-Kanenobu theorem)")


def violating_relabelling(model, ineq):
    """``model`` with its parties (purifier included) renamed so that it violates ``ineq``, or None."""
    if model.n_parties != ineq.n_parties:
        return None
    names = party_letters(model.n_parties) + "O"
    v = model.entropy_vector()
    for perm in itertools.permutations(names):
        if ineq.evaluate(v.permute("".join(perm))) < -TOL:
            rename = dict(zip(names, perm))
            labels = [None if lab is None else rename[lab] for lab in model.labels]
            return type(model)(model.diagram.pd, labels, model.weights)
    return None
