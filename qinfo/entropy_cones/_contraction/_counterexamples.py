"""Search small graph and hypergraph models for a violation of an entropy inequality.

Used by :func:`qinfo.entropy_cones.prove` when no contraction map
exists. Candidates, in order:

1. a single hyperedge of unit weight on a set of boundary vertices (one per
   party, the purifier included), smallest sets first: Bell pairs for graphs,
   GHZ-like states for hypergraphs. Every min-cut entropy vector of a model
   with no bulk vertices is a sum of these, so an inequality that holds on
   them holds on all such models;
2. for graphs with N <= 5 parties, the graph realisations of the extreme rays
   of the holographic entropy cone (``qinfo/data/hec/gN.json``) under all
   ``(N+1)!`` relabellings of the parties and the purifier. These rays span
   the cone of graph-model vectors, so for N <= 5 this step is complete: an
   inequality that none of them violates holds for every graph;
3. random graphs or hypergraphs with a few bulk vertices
   (:func:`qinfo.entropy_cones.random_hypergraph`).
"""

from __future__ import annotations

import importlib.resources
import itertools
import json
import time

import numpy as np

from qinfo._random import as_generator, spawn_seeds
from qinfo._validate import check_int, check_seed

from .._hypergraph import Hypergraph, entropy_vectors, random_hypergraph
from .._vectors import PURIFIER, all_permutation_indices, party_letters, subset_masks
from ._certificate import as_inequality, check_model

__all__ = ["find_counterexample"]

_TOL = 1e-9


def find_counterexample(inequality, model: str = "graph", max_edge_size: int | None = None, *,
                        n_random: int = 200, seed=None, time_limit: float | None = None,
                        executor=None, progress: bool | None = None):
    """A small graph or hypergraph whose entropy vector violates ``inequality``, or None.

    Parameters
    ----------
    inequality : Inequality or str
    model : {"graph", "hypergraph"}
        Graphs only, or hypergraphs with hyperedges of up to ``max_edge_size``
        vertices (``None``: up to all N+1 boundary vertices for the single
        hyperedges, 4 for the random models).
    max_edge_size : int, optional
    n_random : int
        Number of random models tried in the last stage.
    seed : None, int, SeedSequence or Generator
        Randomness of the random models (``None``: fresh entropy).
    time_limit : float, optional
        Seconds; the search stops (returning None) when they run out.
    executor : concurrent.futures.Executor, optional
        Computes the random models' entropy vectors.
    progress : bool, optional
        Progress bar for the random models (``None``: only on a terminal).

    Returns
    -------
    Hypergraph or None
        The first violating model found (its ``entropy_vector()`` has
        negative slack); None if there is none among the candidates.

    Examples
    --------
    >>> h = find_counterexample("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", model="hypergraph")
    >>> h.edges, h.entropy_vector()
    ([(('A', 'B', 'C', 'O'), 1)], EntropyVector(A=1, B=1, C=1, AB=1, AC=1, BC=1, ABC=1))
    >>> find_counterexample("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", model="graph",
    ...                     progress=False) is None
    True
    """
    ineq = as_inequality(inequality)
    k = check_model(model, max_edge_size)
    check_int("n_random", n_random, 0)
    check_seed("seed", seed)
    deadline = None if time_limit is None else time.perf_counter() + float(time_limit)
    n = ineq.n_parties
    names = party_letters(n) + PURIFIER
    stages = [_single_hyperedges(ineq, n, names, k), _ray_graphs(ineq, n),
              _random_models(ineq, n, k, n_random, seed, executor, progress, deadline)]
    for stage in stages:
        if deadline is not None and time.perf_counter() > deadline:
            return None
        found = next(stage, None)
        if found is not None:
            return found
    return None


def _violates(ineq, h) -> bool:
    return ineq.evaluate(h.entropy_vector()) < -_TOL


def _single_hyperedges(ineq, n: int, names: str, k: int | None):
    """Unit hyperedges on sets of boundary vertices, smallest first; yields violators."""
    top = len(names) if k is None else min(k, len(names))
    masks = np.array(subset_masks(n))
    full = (1 << n) - 1
    for size in range(2, top + 1):
        for group in itertools.combinations(range(len(names)), size):
            edge = sum(1 << i for i in group if i < n)          # the ordinary parties on it
            has_o = n in group
            # S_I = 1 iff the hyperedge has vertices both inside and outside I (O is outside)
            inside = (masks & edge) != 0
            outside = has_o | ((full & ~masks & edge) != 0)
            vec = (inside & outside).astype(float)
            if vec @ ineq.coefficients < -_TOL:
                h = Hypergraph([(tuple(names[i] for i in group), 1)], {c: c for c in names})
                if _violates(ineq, h):
                    yield h


def _ray_graphs(ineq, n: int):
    """Graph realisations of the holographic extreme rays under all relabellings (N <= 5)."""
    path = importlib.resources.files("qinfo") / "data" / "hec" / f"g{n}.json"
    if n > 5 or not path.is_file():
        return
    names = party_letters(n) + PURIFIER
    graphs = json.loads(path.read_text())
    perms = list(itertools.permutations(names))
    for g in graphs:
        edges = [(tuple(e), w) for e, w in zip(g["edges"], g["weights"])]
        h = Hypergraph(edges, {c: c for c in names})
        # row j: the vector after sending party names[i] to perms[j][i]
        table = h.entropy_vector().values[all_permutation_indices(n)]
        slack = table @ ineq.coefficients
        for j in np.flatnonzero(slack < -_TOL):
            relabel = dict(zip(names, perms[j]))
            moved = Hypergraph(edges, {c: relabel[c] for c in names})
            if _violates(ineq, moved):
                yield moved
                return


def _random_models(ineq, n: int, k: int | None, n_random: int, seed, executor, progress, deadline):
    """Random graphs/hypergraphs with 1 to 4 bulk vertices; yields the first violator."""
    if n_random == 0:
        return
    top = 4 if k is None else min(k, 4)
    rng = as_generator(seed)
    seeds = spawn_seeds(rng, n_random)
    block = 50
    for start in range(0, n_random, block):
        if deadline is not None and time.perf_counter() > deadline:
            return
        models = []
        for j, s in enumerate(seeds[start:start + block]):
            n_bulk = 1 + (start + j) % 4
            n_vertices = n + 1 + n_bulk
            models.append(random_hypergraph(n, n_bulk, n_edges=n + 1 + 2 * n_bulk,
                                            sizes=(2, min(top, n_vertices)), weights=(1, 3), seed=s))
        vecs = entropy_vectors(models, executor=executor, progress=progress)
        slack = np.array([v.values for v in vecs]) @ ineq.coefficients
        for j in np.flatnonzero(slack < -_TOL):
            yield models[j]
            return
