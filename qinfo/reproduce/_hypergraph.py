"""Hypergraph and graph min-cut entropies (Bao et al. arXiv:1505.07839, arXiv:2002.05317).

Headline checks: a single hyperedge gives the GHZ-like vector (every entropy
equals its weight); random graph models obey SA, SSA and MMI on every
instance; random hypergraph models obey SA and SSA but violate MMI at a
measured rate, the GHZ4 hyperedge being the smallest example; and the
distribution of I3(A:B:C) for both, as a figure. Quick: 400 of each model
with 3 parties; full: 10,000 of each, and 4-party models too.
"""

from __future__ import annotations

import time

import numpy as np

from qinfo.reproduce._records import Context, Section


def _models(kind: str, n_parties: int, n: int, seed, progress: bool):
    """``n`` random graphs (``kind == "graph"``) or hypergraphs and their vectors (an array)."""
    from qinfo._random import spawn_seeds
    from qinfo.entropy_cones._hypergraph import entropy_vectors, random_hypergraph

    sizes = (2, 2) if kind == "graph" else (2, 4)
    models = [random_hypergraph(n_parties, 8, 16, sizes=sizes, weights=(1, 4), seed=s)
              for s in spawn_seeds(seed, n)]
    t0 = time.perf_counter()
    vecs = entropy_vectors(models, progress=progress)
    seconds = time.perf_counter() - t0
    return np.array([v.values for v in vecs]), seconds


def _violation_rate(values: np.ndarray, name: str, n_parties: int) -> float:
    """Fraction of vectors violating some instance of catalogue inequality ``name``."""
    from qinfo.entropy_cones import catalogue

    coeffs = np.array([q.coefficients for q in catalogue.get(name, n_parties)])
    return float(np.mean(np.any(values @ coeffs.T < -1e-9, axis=1)))


def run(ctx: Context) -> Section:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qinfo._random import spawn_seeds
    from qinfo.entropy_cones._hypergraph import Hypergraph

    section = Section("Hypergraph and graph min-cut entropy vectors")

    ghz = Hypergraph([(("a", "b", "c", "o"), 1)], {"a": "A", "b": "B", "c": "C", "o": "O"})
    vec = ghz.entropy_vector()
    section.add_claim("single hyperedge on A, B, C, O gives S(I) = w for all I (GHZ4 vector)",
                      str(vec), "EntropyVector(A=1, B=1, C=1, AB=1, AC=1, BC=1, ABC=1)",
                      bool(np.all(vec.values == 1)))
    i3 = vec.tripartite_information("A", "B", "C")
    section.add_claim("I3(A:B:C) of the GHZ4 hyperedge (MMI needs <= 0)", i3, 1.0, i3 == 1.0,
                      "arXiv:2002.05317: hypergraphs leave the holographic cone")

    n = 400 if ctx.quick else 10_000
    party_counts = (3,) if ctx.quick else (3, 4)
    seeds = spawn_seeds(ctx.seed, 2 * len(party_counts))
    rows = []
    i3_samples = {}
    for k, n_parties in enumerate(party_counts):
        for j, kind in enumerate(("graph", "hypergraph")):
            values, seconds = _models(kind, n_parties, n, seeds[2 * k + j], ctx.progress)
            rates = {name: _violation_rate(values, name, n_parties) for name in ("SA", "SSA", "MMI")}
            rows.append([kind, n_parties, n, rates["SA"], rates["SSA"], rates["MMI"], n / seconds])
            section.add_claim(f"{n_parties}-party random {kind}s violating SA or SSA", max(rates["SA"], rates["SSA"]),
                              0.0, rates["SA"] == rates["SSA"] == 0.0, "min-cut vectors obey SA and SSA (arXiv:2002.05317)")
            if kind == "graph":
                section.add_claim(f"{n_parties}-party random graphs violating MMI", rates["MMI"], 0.0,
                                  rates["MMI"] == 0.0, "Hayden, Headrick and Maloney 2011; Bao et al. 2015")
            else:
                section.add_claim(f"{n_parties}-party random hypergraphs violating MMI", rates["MMI"], "> 0",
                                  rates["MMI"] > 0.0, "arXiv:2002.05317 (measured rate; not a published number)")
            if n_parties == 3:
                i3_samples[kind] = values @ np.array([1, 1, 1, -1, -1, -1, 1])
    section.add_table("Random min-cut models (8 bulk vertices, 16 edges, weights 1-4): violation rates",
                      ["model", "parties", "samples", "SA", "SSA", "MMI", "vectors/s"], rows)

    fig, ax = plt.subplots(figsize=(6, 3.5))
    lo = min(x.min() for x in i3_samples.values())
    hi = max(x.max() for x in i3_samples.values())
    bins = np.arange(np.floor(lo) - 0.5, np.ceil(hi) + 1.5)
    for kind, x in i3_samples.items():
        ax.hist(x, bins=bins, alpha=0.6, label=f"random {kind}s")
    ax.axvline(0, color="k", lw=1)
    ax.set_xlabel("I3(A:B:C)  (weight units)")
    ax.set_ylabel("models")
    ax.set_yscale("log")
    ax.set_title("MMI holds for graphs (I3 <= 0), not for hypergraphs")
    ax.legend()
    section.add_figure(fig, ctx.out / "hypergraph_i3.png")
    _ghz_states(ctx, section)
    return section


def _ghz_states(ctx: Context, section: Section) -> None:
    """arXiv:2002.05317's state of a hypergraph (GHZ states on edges) against its min cuts, densely."""
    from qinfo._random import spawn_seeds
    from qinfo.entropy_cones._hypergraph import random_hypergraph
    from qinfo.entropy_cones._hypergraph_state import hypergraph_state, state_entropy_vector

    n = 20 if ctx.quick else 100
    for n_bulk in (0, 2):
        exact = bounded = tried = 0
        for s in spawn_seeds(ctx.seed + 7, n):
            h = random_hypergraph(3, n_bulk, 5, sizes=(2, 3), weights=(1, 1), seed=s)
            if sum(int(w) * len(e) for e, w in h.edges) > 18:
                continue
            psi, _ = hypergraph_state(h, seed=s)
            got, cut = state_entropy_vector(psi).values, h.entropy_vector().values
            tried += 1
            exact += bool(np.allclose(got, cut, atol=1e-9))
            bounded += bool((got <= cut + 1e-9).all())
        section.add_claim(f"GHZ tensor-network state of a random 3-party hypergraph, {n_bulk} bulk vertices "
                          "(Haar-random bulk tensors): entropies equal to the min cuts",
                          f"{exact}/{tried} (all <= min cut: {bounded}/{tried})",
                          "all" if n_bulk == 0 else "-", exact == tried if n_bulk == 0 else None,
                          "dense state, entropies in bits; with bulk vertices a random contraction at "
                          "finite bond dimension only bounds the min cut (the failures are these cases)")
