"""The proof orchestrator: :func:`prove` and its :class:`ProofResult`.

:func:`prove` runs the stages of a proof search on the other modules of this
package, which do not import each other's callers: the certificate and its
checker (``_certificate``), the SAT encoding (``_sat``), the search
for small violating graphs and hypergraphs (``_counterexamples``) and the
link-model certificates and counterexamples (``_links``). Every map it
returns has passed the independent checker.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from qinfo._parallel import show_progress
from qinfo._validate import check_int, check_real, check_seed

from ._certificate import ContractionMap, as_inequality, check_model, for_inequality
from ._counterexamples import find_counterexample
from ._links import find_link_contraction, find_link_counterexample, link_contraction_failures
from ._sat import ContractionSearch, check_solver_name, integer_sides

__all__ = ["ProofResult", "prove"]


@dataclass
class ProofResult:
    """What :func:`prove` found: a status, the certificate or counterexample behind it, and why.

    Parameters
    ----------
    status : {"proved", "refuted", "undecided"}
        ``"proved"``: a contraction map exists (``certificate``);
        ``"refuted"``: a model violates the inequality (``counterexample``);
        ``"undecided"``: neither was found (see ``reason``).
    inequality : Inequality
        The inequality searched, as parsed.
    model : {"graph", "hypergraph", "link"}
        The models it was proved or refuted for.
    max_edge_size : int or None
        Largest hyperedge size (hypergraph model; ``None``: any size).
    certificate : ContractionMap or None
        The contraction map, when proved; it has passed
        :func:`~qinfo.entropy_cones.check_contraction` (or
        :func:`~qinfo.entropy_cones.check_link_contraction` for links).
    counterexample : Hypergraph, LinkCounterexample or None
        When refuted: a graph or hypergraph whose ``entropy_vector()``
        violates the inequality, or for links a
        :class:`~qinfo.entropy_cones.LinkCounterexample`.
    reason : str
        One or two sentences on how the status was reached.
    contraction_exists : bool or None
        False when the search was complete and found no map for the
        inequality or any multiple up to ``max_multiple`` (or the boundary
        conditions alone rule out every multiple); this alone does not refute
        the inequality. None when the search was cut short.
    seconds : float
        Wall time of the call.
    stats : dict
        Sizes of the search (vertices, variables, clauses, forced values).

    Examples
    --------
    >>> r = prove("S_A + S_B >= S_AB", progress=False)
    >>> r.status, r.contraction_exists, r.certificate.images.ravel().tolist()
    ('proved', True, [0, 1, 1, 1])
    >>> r.reason
    'Found a contraction map by local search (0 steps); propagation fixed 3 of 4 image bits.'
    """

    status: str
    inequality: Any
    model: str
    max_edge_size: int | None = None
    certificate: ContractionMap | None = None
    counterexample: Any = None
    reason: str = ""
    contraction_exists: bool | None = None
    seconds: float = 0.0
    stats: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"ProofResult(status={self.status!r}, model={self.model!r}, reason={self.reason!r})"



def prove(inequality, model: str = "graph", max_edge_size: int | None = None, *,
          time_limit: float | None = 60.0, solver: str = "kissat404", max_sets: int = 200_000,
          max_multiple: int = 2, counterexample_search: bool = True, seed=None, executor=None,
          progress: bool | None = None) -> ProofResult:
    """Prove an entropy inequality for graph, hypergraph or link models, or refute it.

    The search runs in stages:

    1. deterministic propagation: the boundary conditions fix the images of
       the parties' occurrence vectors; pairs of fixed points force
       coordinates of the images of every vertex (a coordinate on which two
       fixed images agree is forced whenever flipping it would break one of
       the two distance constraints); conflicting boundary conditions end the
       search at once;
    2. for graph models, a local search (a seeded random walk over the free
       bits, at most 20 steps per bit) for a map; it can only succeed, never
       rule a map out;
    3. an exact, complete SAT search (python-sat) for the remaining values,
       with the contraction conditions as cardinality constraints;
    4. if no map exists, the same for 2, 3, ..., ``max_multiple`` times the
       inequality (a multiple has more candidate maps, see Notes);
    5. if still no map exists (or the search ran out of time), a search of small
       models for a counterexample (single hyperedges, the graph realisations of
       the holographic extreme rays, then random models).

    ``model="link"`` searches for a map meeting the link condition instead
    (an integer program, no SAT solver) and for a violating link model
    (see the links page of the docs).

    Parameters
    ----------
    inequality : Inequality, str or sequence of numbers
        E.g. ``Inequality.parse("S_A + S_B >= S_AB")``, the text itself, or
        the coefficient row (``2**N - 1`` numbers, ``coefficients . S >= 0``,
        as in the ``hec`` data).
    model : {"graph", "hypergraph", "link"}
        The models the inequality should hold for.
    max_edge_size : int, optional
        Hypergraph model only: the largest hyperedge size ``k``; the map must
        satisfy the ``k``-point condition on every set of at most ``k``
        vertices. ``None`` means hyperedges of any size.
    time_limit : float or None
        Seconds for the whole call, held to within a few percent whatever the
        solver; when it runs out the result is ``"undecided"`` and the reason
        says what was decided before. ``None``: no limit.
    solver : str
        A python-sat solver name (``"kissat404"``, the default, is fed through
        Kissat's C API; ``"cadical195"``, ``"glucose4"``, ...). An unknown name
        raises ValueError. Graph and hypergraph models need python-sat (the
        ``[sat]`` extra); link models do not.
    max_sets : int
        Size limit: the most ``k``-point sets the hypergraph encoding may
        contain; beyond it the result is ``"undecided"`` (pass a smaller
        ``max_edge_size``).
    max_multiple : int
        Largest multiple of the inequality searched for a map.
    counterexample_search : bool
        Look for a violating model when no contraction map is found.
    seed : None, int, SeedSequence or Generator
        Seed of the random part of the counterexample search (the random
        models, or for links the random connectivity structures). The
        contraction search itself is deterministic. ``None`` draws fresh
        entropy, so a refutation by a random model may differ between runs;
        pass an int to reproduce one.
    executor : concurrent.futures.Executor, optional
        Computes the entropy vectors of the random models of the
        counterexample search (graph and hypergraph models). The SAT search
        is one solver run and stays in this process (or, for solvers other
        than Kissat and CaDiCaL under a time limit, in one worker process
        that is ended at the deadline); to spread many proofs over workers
        use :func:`~qinfo.entropy_cones.prove_many`.
    progress : bool, optional
        Show a progress bar over the stages (``None``: only when stderr is a
        terminal).

    Returns
    -------
    ProofResult
        ``status`` "proved" (with a checked ``certificate``), "refuted" (with
        a ``counterexample``) or "undecided", and the ``reason``.

    Raises
    ------
    ValueError
        For an unknown ``model`` or ``solver``, a ``max_edge_size`` below 2 (or
        other than 2 for graphs), a ``time_limit`` that is not positive, a
        ``max_multiple`` below 1, or coefficients that are not ratios of small
        integers.
    TypeError
        For an ``executor`` that is not a ``concurrent.futures.Executor``, or
        an argument of the wrong type.
    ImportError
        When python-sat is missing (graph and hypergraph models).

    Notes
    -----
    Coefficients are scaled to coprime integers; right-hand terms with
    coefficient ``c`` become ``c`` unit terms (each with its own coordinate,
    which only enlarges the set of candidate maps). For the ``m``-th multiple
    the lhs weights are multiplied by ``m`` and every rhs term gets ``m``
    times as many coordinates; this can help: ``S_A + S_B + S_C + S_ABC >=
    S_AB + S_AC`` (half the sum of four subadditivity instances) has no
    contraction map, its double has one. Neither model needs the inequality
    to be balanced: the contraction argument never uses it (Araki-Lieb,
    which is not balanced, has a contraction proof).

    Examples
    --------
    >>> r = prove("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", progress=False)
    >>> r.status, r.certificate.check("graph")
    ('proved', True)
    >>> prove("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", model="hypergraph",
    ...       progress=False).status
    'refuted'
    """
    check_seed("seed", seed)
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(f"executor must be a concurrent.futures.Executor (for dask use "
                        f"client.get_executor()), got {type(executor).__name__}")
    if model == "link":  # link models have their own certificate (._links)
        return _prove_link(inequality, max_multiple=max_multiple, counterexample_search=counterexample_search,
                           seed=seed, progress=progress)
    ineq = as_inequality(inequality)
    k = check_model(model, max_edge_size)
    check_solver_name(solver)
    if time_limit is not None:
        check_real("time_limit", time_limit)
    check_int("max_multiple", max_multiple, 1)
    integer_sides(ineq)  # ValueError for coefficients that are not ratios of small integers
    start = time.perf_counter()
    # the search stops a little early: ending a solver and writing the reason take time too
    deadline = None if time_limit is None else start + 0.96 * float(time_limit)
    result = ProofResult("undecided", ineq, model, max_edge_size)
    stages = 2 * max_multiple + int(counterexample_search)
    if show_progress(progress):
        from tqdm.auto import tqdm

        bar = tqdm(total=stages, desc="prove", leave=False)
    else:
        bar = _NoBar(stages)
    decided: list[str] = []  # what was settled before a time limit, for the reason
    try:
        for m in range(1, max_multiple + 1):
            bar.set_postfix_str(f"propagate (x{m})")
            search = ContractionSearch(ineq, k=k, solver=solver, max_sets=max_sets, multiple=m)
            outcome = search.run(deadline=deadline,
                                 on_stage=lambda s: (bar.update(1), bar.set_postfix_str(f"{s} (x{m})")))
            bar.n = 2 * m
            bar.refresh()
            result.stats = search.stats
            result.contraction_exists = outcome.exists
            result.reason = outcome.reason
            if outcome.exists is not False or outcome.scale_free:
                break
            decided.append(f"x{m}: {outcome.reason}")
        timed_out = outcome.exists is None and outcome.reason.startswith("Time limit")
        if timed_out:
            result.reason = _time_limit_reason(time_limit, m, search.stats, decided, outcome.reason)
        elif outcome.exists is False and not outcome.scale_free and max_multiple > 1:
            result.reason = (f"No contraction map exists for the inequality or its multiples up to "
                             f"{max_multiple} (x{max_multiple}: {outcome.reason})")
        elif outcome.images is not None and m > 1:
            result.reason += f" The map proves {m} times the inequality."
        if outcome.images is not None:
            cert = ContractionMap(search.lhs_terms, search.rhs_terms, outcome.images,
                                  n_parties=ineq.n_parties)
            # the checker is independent of the search: never hand out a wrong proof, nor one of
            # another inequality (the terms come from the search's own reading of the coefficients)
            try:
                for_inequality(cert, ineq)
            except ValueError as err:
                raise RuntimeError(f"internal error: the map found proves another inequality: {err}") from err
            bad = cert.failures(model, max_edge_size, limit=3)
            if bad:
                raise RuntimeError(f"internal error: the map found for {ineq} fails the check: {bad}")
            result.status, result.certificate = "proved", cert
        elif counterexample_search:
            bar.update(1)
            bar.set_postfix_str("counterexamples")
            left = None if deadline is None else deadline - time.perf_counter()
            found = None
            if left is None or left > 0:
                found = find_counterexample(ineq, model=model, max_edge_size=max_edge_size, seed=seed,
                                            time_limit=left, executor=executor, progress=False)
            if found is not None:
                result.status, result.counterexample = "refuted", found
                result.reason += (f" Counterexample: {found!r} has entropy vector "
                                  f"{found.entropy_vector()!r}, which violates the inequality.")
            elif left is not None and left <= 0:
                result.reason += " No time was left for the counterexample search."
            else:
                result.reason += " No counterexample was found among the small models searched."
        if result.status != "proved" and not ineq.is_balanced():
            result.reason += " (The inequality is not balanced; that does not by itself rule out a proof.)"
        bar.update(bar.total - bar.n)
    finally:
        bar.close()
    result.reason = result.reason.strip()
    result.seconds = time.perf_counter() - start
    return result


def _prove_link(inequality, *, max_multiple: int, counterexample_search: bool, seed, progress) -> ProofResult:
    """``prove(inequality, model="link")``: a certificate meeting the link condition, or a recorded link."""
    ineq = as_inequality(inequality)
    check_int("max_multiple", max_multiple, 1)
    start = time.perf_counter()
    result = ProofResult("undecided", ineq, "link")
    cert = find_link_contraction(ineq, max_multiple=max_multiple)
    if cert is not None:
        bad = link_contraction_failures(cert, limit=3)
        if bad:  # the checker is independent of the search: never hand out a wrong proof
            raise RuntimeError(f"internal error: the certificate found for {ineq} fails the check: {bad}")
        result.status, result.certificate, result.contraction_exists = "proved", cert, True
        result.reason = (f"A contraction map meets the link condition"
                         f"{'' if cert.inequality() == ineq else ' for a multiple of the inequality'}; "
                         f"it holds for every link model.")
    else:
        result.contraction_exists = False
        result.reason = (f"No map meets the link condition for the inequality or its multiples up to "
                         f"{max_multiple}.")
        if counterexample_search:
            found = find_link_counterexample(ineq, seed=seed, progress=progress)
            if found is not None:
                if not found.check(ineq):
                    raise RuntimeError(f"internal error: the counterexample fails its check: {found.failures(ineq)}")
                result.status, result.counterexample = "refuted", found
                result.reason += f" Counterexample: a link model with entropy vector {found.vector()} ({found.source})."
            else:
                result.reason += " No counterexample was found among the link models searched."
    result.seconds = time.perf_counter() - start
    return result


def _time_limit_reason(time_limit, m: int, stats: dict, decided: list[str], where: str) -> str:
    """"undecided (time limit)" and what was settled before it."""
    out = [f"Undecided (time limit of {time_limit:g} s)."]
    if decided:
        out.append("Decided before it: " + " ".join(decided))
    if "forced" in stats:
        out.append(f"For x{m}, propagation fixed {stats['forced']} of {stats['forced'] + stats['free']} "
                   f"image bits without a conflict.")
    out.append(where.replace("Time limit reached", "Stopped"))
    return " ".join(out)


class _NoBar:
    """What ``prove`` asks of a tqdm bar, doing nothing (a disabled tqdm costs a millisecond)."""

    def __init__(self, total: int):
        self.total, self.n = total, 0

    def update(self, k: int = 1) -> None:
        self.n += k

    def set_postfix_str(self, text: str) -> None:
        pass

    refresh = close = lambda self: None
