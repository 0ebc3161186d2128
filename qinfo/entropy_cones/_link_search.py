"""Random search over connectivity structures for link vectors with a given property.

A connectivity structure (:meth:`LinkModel.from_connectivity`) is drawn by
choosing how many components carry each party, a few bulk components, and a
few generating non-split sublinks; each draw is reproducible from ``seed``.
"""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass
from typing import Callable

from tqdm.auto import tqdm

from qinfo._parallel import parallel_map, show_progress
from qinfo._random import as_generator
from qinfo._validate import check_int
from qinfo.entropy_cones._vectors import party_letters

__all__ = ["StructureSearch", "search_connectivity", "quantum_ingleton_violation"]


@dataclass
class StructureSearch:
    """What :func:`search_connectivity` found.

    Parameters
    ----------
    found : bool
        Whether a structure was accepted.
    tries : int
        Structures drawn (including the one found).
    n_components : int or None
        Its number of components.
    generators : list of frozenset or None
        Its generating non-split sublinks.
    labels, weights : list or None
        Its component labels and weights.
    vector : EntropyVector or None
        Its entropy vector.

    Examples
    --------
    >>> r = search_connectivity(lambda v: True, n_parties=1, n_components=(2, 2), seed=0)
    >>> r.found, r.tries, r.n_components
    (True, 1, 2)
    """

    found: bool
    tries: int
    n_components: int | None = None
    generators: list | None = None
    labels: list | None = None
    weights: list | None = None
    vector: object = None


def quantum_ingleton_violation(vector) -> bool:
    """True when ``vector`` obeys SA, AL and SSA and violates an Ingleton instance.

    Parameters
    ----------
    vector : EntropyVector
        An entropy vector on 4 or more parties.

    Returns
    -------
    bool

    Examples
    --------
    >>> from qinfo.entropy_cones import EntropyVector
    >>> quantum_ingleton_violation(EntropyVector([1] * 15))   # GHZ5 obeys Ingleton
    False
    """
    from qinfo.entropy_cones._cones import violations

    return not violations(vector, ["SA", "AL", "SSA"]) and bool(violations(vector, "ingleton"))


def search_connectivity(accept: Callable, *, n_parties: int = 4, n_components=(5, 7), max_generator: int = 4,
                        max_generators: int = 6, weights=(1, 1, 2), max_tries: int = 10_000,
                        seed=None, progress=None, executor=None, batch: int = 64) -> StructureSearch:
    """Draw random connectivity structures until ``accept(entropy_vector)`` holds.

    Parameters
    ----------
    accept : callable
        ``accept(EntropyVector) -> bool``, e.g. :func:`quantum_ingleton_violation`
        (picklable when ``executor`` crosses processes).
    n_parties : int
        Parties ``A, B, ...``; each and the purifier gets at least one component.
    n_components : (int, int)
        Range of the number of components (inclusive); the extra components
        are bulk or carry a random party.
    max_generator, max_generators : int
        Largest generator (non-split sublink) and most generators per structure.
    weights : sequence of float
        Weights are drawn uniformly from this sequence.
    max_tries : int
        Structures to draw at most.
    seed : int, SeedSequence or Generator, optional
        The structures drawn depend on it alone.
    progress : bool, optional
        A tqdm bar (default: when stderr is a terminal).
    executor : concurrent.futures.Executor, optional
        Evaluates ``batch`` structures at a time; the structures are drawn here
        in the same order, so the answer (the first accepted structure and
        ``tries``) does not depend on it.
    batch : int
        Structures per round on ``executor`` (ignored without one).

    Returns
    -------
    StructureSearch

    Examples
    --------
    >>> r = search_connectivity(lambda v: v["A"] == 2, n_parties=1, n_components=(2, 3), seed=0)
    >>> r.found, r.vector["A"]
    (True, 2.0)
    """
    check_int("n_parties", n_parties, 1)
    check_int("max_tries", max_tries, 1)
    check_int("batch", batch, 1)
    lo, hi = n_components
    if not (n_parties + 1 <= lo <= hi):
        raise ValueError(f"n_components must be a range (lo, hi) with {n_parties + 1} <= lo <= hi, got {n_components!r}")
    rng = random.Random(int(as_generator(seed).integers(2**63)))
    parties = list(party_letters(n_parties)) + ["O"]
    extra = [None, None] + parties

    def draw():
        m = rng.randint(lo, hi)
        labels = parties + [rng.choice(extra) for _ in range(m - len(parties))]
        gens = [frozenset(rng.sample(range(m), rng.randint(2, min(max_generator, m))))
                for _ in range(rng.randint(2, max_generators))]
        w = [rng.choice(weights) for _ in range(m)]
        return m, gens, labels, w

    step = 1 if executor is None else batch
    bar = tqdm(total=max_tries, desc="structures", disable=not show_progress(progress), leave=False)
    try:
        tries = 0
        while tries < max_tries:
            structures = [draw() for _ in range(min(step, max_tries - tries))]
            results = parallel_map(_Judge(accept), structures, executor=executor, progress=False)
            for k, (structure, (ok, v)) in enumerate(zip(structures, results)):
                if ok:
                    bar.update(k + 1)
                    return StructureSearch(True, tries + k + 1, *structure, v)
            tries += len(structures)
            bar.update(len(structures))
    finally:
        bar.close()
    return StructureSearch(False, max_tries)


class _Judge:
    """``accept(entropy vector of a structure)`` for one structure, as a picklable callable."""

    def __init__(self, accept: Callable):
        self.accept = accept

    def __call__(self, structure):
        from qinfo.entropy_cones._links import LinkModel, NonQuantumVectorWarning

        m, gens, labels, w = structure
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NonQuantumVectorWarning)
            v = LinkModel.from_connectivity(m, gens, labels, w).entropy_vector()
        return bool(self.accept(v)), v
