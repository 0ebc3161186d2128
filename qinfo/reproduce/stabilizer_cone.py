"""The 4-party stabilizer cone and the entropy vectors of 6-qubit graph states.

Reproduces:

- Linden, Matus, Ruskai, Winter (2013): for 4 parties (5 subsystems with the
  purifier) SA, SSA, weak monotonicity and the Ingleton instances cut out the
  stabilizer cone. We enumerate its extreme rays (double description), count
  their orbits, check every 5-qubit stabilizer vector lies inside, and realise
  every ray by a hypergraph (MILP), as Bao, Cheng, Hernandez-Cuenca and Su
  (arXiv:2002.05317) found: the hypergraph cone equals the stabilizer cone at
  4 parties.
- The distinct entropy vectors of the 2**15 graph states on 6 qubits
  (5 parties + purifier), how many violate a 5-party holographic facet, and
  which are extreme rays of the cone cut out by the known linear rank
  inequalities.
- Bao, Cheng, Hernandez-Cuenca, Su (arXiv:2006.16292): the 5-party linear
  rank inequalities (SA, SSA, Ingleton, conditional Ingleton, DFZ) form 31
  irredundant classes, 10,860 facets, and each class is tight on 30 linearly
  independent stabilizer vectors (so all are facets of the stabilizer cone).
  The vectors: 6-qubit graph states and min-cut vectors of sparse random
  hypergraphs, which are stabilizer vectors up to scale (Walter and
  Witteveen, arXiv:2002.12397).
"""

from __future__ import annotations

import numpy as np

from qinfo.reproduce import Context, Section


def run(ctx: Context) -> Section:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qinfo.entropy_cones import catalogue
    from qinfo.entropy_cones.cones import _irredundant, extreme_rays, find_hypergraph_realisation, in_cone
    from qinfo.entropy_cones.stabilizer import graph_state_entropy_vectors
    from qinfo.entropy_cones.vectors import EntropyVector

    sec = Section("Stabilizer entropy cones (LMRW 2013; arXiv:2002.05317)")

    # -- 4 parties ------------------------------------------------------------------
    facets = catalogue.get("SA", 4) + catalogue.get("SSA", 4) + catalogue.get("ingleton", 4)
    F = np.array([q.coefficients for q in facets])
    n_irredundant = len(_irredundant(F.astype(np.int64)))
    rays = extreme_rays(facets)
    orbits: dict[EntropyVector, int] = {}
    for r in rays:
        key = EntropyVector(r).canonical()
        orbits[key] = orbits.get(key, 0) + 1
    stab4 = np.asarray(graph_state_entropy_vectors(5, "ABCDO", progress=False).values, dtype=float)
    all_inside = bool((F @ stab4.T).min() >= 0)
    rows, realised = [], 0
    for rep, size in sorted(orbits.items(), key=lambda kv: (kv[0].values.sum(), kv[1])):
        real = find_hypergraph_realisation(rep, max_bulk=1, max_edge_size=5)
        realised += real.found
        edges = "; ".join(f"{'-'.join(e)}:{w:g}" for e, w in real.hypergraph.edges) if real.found else real.message
        rows.append([" ".join(str(int(x)) for x in rep.values), size,
                     int(sum(1 for q in facets if abs(q.evaluate(rep)) < 1e-9)), edges])
    sec.add_table("4-party stabilizer cone: extreme-ray orbits (entries in canonical order "
                  "A..D, AB.., ABCD) with a realising hypergraph", ["ray", "orbit size", "tight facets",
                                                                    "hypergraph (edge:weight)"], rows)
    sec.add_claim("4-party stabilizer cone: irredundant facets of SA+SSA+WM+Ingleton", n_irredundant,
                  "-", None, "computed by LP redundancy removal; LMRW state the facet classes, not a count")
    sec.add_claim("4-party stabilizer cone: extreme rays (orbits under S_5)", f"{len(rays)} ({len(orbits)})",
                  "not stated in LMRW 2013", None, "double description over the facets above")
    sec.add_claim("every 5-qubit stabilizer vector satisfies SA+SSA+Ingleton", all_inside, True,
                  all_inside is True)
    sec.add_claim("every extreme ray realised by a hypergraph (hypergraph cone = stabilizer cone at 4 parties)",
                  f"{realised}/{len(orbits)} orbits", "all (arXiv:2002.05317)", realised == len(orbits))

    # -- 6-qubit graph states ---------------------------------------------------------
    res = graph_state_entropy_vectors(6, "ABCDEO", progress=ctx.progress)
    vals = np.asarray(res.values, dtype=float)
    hec = np.array([q.coefficients for q in catalogue.get("holographic-5")])
    hec_slack = (hec @ vals.T).min(axis=0)
    violating = int(np.sum(hec_slack < 0))
    G = np.array([q.coefficients for q in catalogue.linear_rank(5)])
    nonzero = [k for k in range(len(vals)) if vals[k].any()]
    orbit_of: dict[EntropyVector, list[int]] = {}
    for k in nonzero:
        orbit_of.setdefault(EntropyVector(vals[k]).canonical(), []).append(k)
    table, extreme_cert, extreme_hull = [], 0, 0
    for rep, members in sorted(orbit_of.items(), key=lambda kv: (kv[0].values.sum(), len(kv[1]))):
        v = rep.values
        tight = G[np.abs(G @ v) < 1e-9]
        is_extreme_outer = tight.size > 0 and np.linalg.matrix_rank(tight) == v.size - 1
        others = vals[[k for k in nonzero if not np.allclose(vals[k] / vals[k].max(), v / v.max())]]
        is_extreme_hull = in_cone(v, rays=others).status == "outside"
        extreme_cert += len(members) * bool(is_extreme_outer)
        extreme_hull += len(members) * bool(is_extreme_hull)
        table.append([" ".join(str(int(x)) for x in v), len(members), bool((hec @ v).min() < 0),
                      bool(is_extreme_hull), bool(is_extreme_outer)])
    sec.add_table("6-qubit graph states (5 parties + O): orbits of distinct non-zero entropy vectors",
                  ["vector (canonical)", "orbit size", "violates a holographic facet",
                   "extreme in the hull of these vectors",
                   "extreme ray of the cone cut out by the known linear rank inequalities"], table)
    sec.add_claim("distinct entropy vectors of 6-qubit graph states (incl. the product state)", len(vals),
                  "-", None, f"{len(orbit_of)} non-zero orbits under S_6; from all 2^15 graphs")
    sec.add_claim("of these, violating some 5-party holographic facet", violating, "-", None,
                  "holographic-5: 372 facet instances (arXiv:1903.09148)")
    _linear_rank_facets(ctx, sec, vals)

    # -- figure -------------------------------------------------------------------------
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    sizes4 = [row[1] for row in rows]
    axes[0].bar(range(len(sizes4)), sizes4, color="tab:blue")
    axes[0].set(title=f"4-party stabilizer cone: {len(rays)} extreme rays", xlabel="orbit", ylabel="rays")
    sizes6 = [row[1] for row in table]
    colors = ["tab:red" if row[2] else "tab:green" for row in table]
    axes[1].bar(range(len(sizes6)), sizes6, color=colors)
    axes[1].set(title="6-qubit graph-state vectors (red: breaks a holographic facet)",
                xlabel="orbit (by total entropy)", ylabel="distinct vectors", yscale="log")
    fig.tight_layout()
    sec.add_figure(fig, ctx.out / "stabilizer_cone.png")
    return sec


def _linear_rank_facets(ctx: Context, sec: Section, graph_vectors: np.ndarray) -> None:
    """The 31 classes of 5-party linear rank inequalities, each tight on 30 independent stabilizer vectors."""
    from qinfo._random import spawn_seeds
    from qinfo.entropy_cones import catalogue
    from qinfo.entropy_cones.discovery import sparse_hypergraph_vectors
    from qinfo.entropy_cones.facets import irredundant_classes, tight_rank

    lr = catalogue.linear_rank(5)
    classes = irredundant_classes(lr)
    n_facets = sum(c.size for c in classes)
    sec.add_claim("5-party linear rank inequalities (SA, SSA, Ingleton, conditional Ingleton, DFZ): "
                  "irredundant classes under S_6 (facets)", f"{len(classes)} ({n_facets:,})",
                  "31 (10,860) (arXiv:2006.16292)", (len(classes), n_facets) == (31, 10_860),
                  "one redundancy LP per orbit (scipy HiGHS) over all 23,700 instances")
    if not ctx.quick:
        ci = set(catalogue.get("ingleton-conditional", 5))
        without = irredundant_classes([q for q in lr if q not in ci])
        sec.add_claim("the same without conditional Ingleton: classes (facets)",
                      f"{len(without)} ({sum(c.size for c in without):,})", "-", None,
                      "SA, SSA, Ingleton and DFZ alone; conditional Ingleton is not implied by them")
    count = 4000
    hyper = sparse_hypergraph_vectors(5, count, max_bulk=3, max_edges=7, max_weight=2,
                                      seed=spawn_seeds(ctx.seed, 1)[0], progress=ctx.progress)
    violated = int(np.sum((np.array([q.coefficients for q in lr]) @ hyper.T).min(axis=0) < -1e-9))
    both = np.vstack([graph_vectors[graph_vectors.any(axis=1)], hyper])
    rows, full_rank = [], 0
    for c in classes:
        r_graph = tight_rank(c.representative, graph_vectors)
        r_both = r_graph if r_graph == 30 else tight_rank(c.representative, both)
        full_rank += r_both == 30
        rows.append([c.representative.name, str(c.representative), c.size, r_graph, r_both])
    sec.add_table("5-party linear-rank classes: rank of the stabilizer vectors (and their S_6 images) on "
                  "which each is tight (30 = a facet of the stabilizer cone)",
                  ["entry", "representative", "orbit size", "rank, 6-qubit graph states",
                   f"rank, + {len(hyper)} hypergraph vectors"], rows)
    sec.add_claim("hypergraph vectors violating a linear rank inequality", f"{violated}/{len(hyper)}", 0,
                  violated == 0, "min-cut vectors of sparse random hypergraphs (weights 1-2, <= 3 bulk "
                  "vertices, <= 7 edges); stabilizer vectors up to scale (arXiv:2002.12397)")
    sec.add_claim("linear-rank classes tight on 30 independent stabilizer vectors (facets of the "
                  "stabilizer cone)", f"{full_rank}/{len(classes)}", "all 31 (arXiv:2006.16292)",
                  full_rank == len(classes) == 31,
                  f"graph states alone: {sum(r[3] == 30 for r in rows)}/{len(classes)}")
