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

from qinfo.reproduce._records import Context, Section

_QUICK_SEARCH_S = 5  # seconds of realisation search per orbit in the quick run (the full run: discovery)


def run(ctx: Context) -> Section:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qinfo.entropy_cones import (EntropyVector, catalogue, extreme_rays, find_hypergraph_realisation,
                                     graph_state_entropy_vectors, in_cone, irredundant_classes)

    sec = Section("Stabilizer entropy cones (LMRW 2013; arXiv:2002.05317)")

    # -- 4 parties ------------------------------------------------------------------
    facets = catalogue.get("SA", 4) + catalogue.get("SSA", 4) + catalogue.get("ingleton", 4)
    F = np.array([q.coefficients for q in facets])
    n_irredundant = sum(c.size for c in irredundant_classes(facets))  # the facet list is closed under S_5
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
        edges = "; ".join(f"{'-'.join(e)}:{w:g}" for e, w in real.hypergraph.edges) if real.found else real.reason
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
    proved = _catalogued_gap(ctx, sec, vals)
    _hypergraph_gap(ctx, sec, list(orbit_of), hec, proved)

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
    from qinfo.entropy_cones._discovery import sparse_hypergraph_vectors
    from qinfo.entropy_cones._facets import irredundant_classes, tight_rank

    lr = catalogue.linear_rank(5)
    classes = irredundant_classes(lr)
    n_facets = sum(c.size for c in classes)
    sec.add_claim("5-party linear rank inequalities (SA, SSA, Ingleton, conditional Ingleton, DFZ): "
                  "irredundant classes under S_6 (facets)", f"{len(classes)} ({n_facets:,})",
                  "31 (10,860) (arXiv:2006.16292)", (len(classes), n_facets) == (31, 10_860),
                  "one redundancy LP per orbit (scipy HiGHS) over all 23,700 instances")
    if ctx.quick:  # the rank-30 check of each class costs minutes: full run (and a slow test) only
        sec.add_claim("linear-rank classes tight on 30 independent stabilizer vectors (facets of the "
                      "stabilizer cone)", "full run only", "all 31 (arXiv:2006.16292)", None,
                      "skipped in the quick run (about 3 CPU minutes); `qinfo reproduce entropy` runs it")
        return
    ci = set(catalogue.get("ingleton-conditional", 5))
    without = irredundant_classes([q for q in lr if q not in ci])
    sec.add_claim("the same without conditional Ingleton: classes (facets)",
                  f"{len(without)} ({sum(c.size for c in without):,})", "-", None,
                  "SA, SSA, Ingleton and DFZ alone; conditional Ingleton is not implied by them")
    # hypergraph vectors in batches of 2,000 sparse random hypergraphs (2-4 bulk vertices, weights
    # up to 1-3, varying by batch) until every class reaches rank 30 (at most 16 batches; seed 0
    # needs 8); the ranks only grow as vectors are added
    ranks_graph = [tight_rank(c.representative, graph_vectors) for c in classes]
    ranks = list(ranks_graph)
    hyper = np.zeros((0, graph_vectors.shape[1]))
    for k, batch_seed in enumerate(spawn_seeds(ctx.seed, 16)):
        if min(ranks) == 30:
            break
        batch = sparse_hypergraph_vectors(5, 2000, max_bulk=2 + k % 3, max_edges=7, max_weight=1 + k % 3,
                                          seed=batch_seed, progress=ctx.progress)
        hyper = np.unique(np.vstack([hyper, batch]), axis=0)
        both = np.vstack([graph_vectors, hyper])
        ranks = [r if r == 30 else tight_rank(c.representative, both) for c, r in zip(classes, ranks)]
    violated = int(np.sum((np.array([q.coefficients for q in lr]) @ hyper.T).min(axis=0) < -1e-9)) if len(hyper) else 0
    rows = [[c.representative.name, str(c.representative), c.size, rg, r]
            for c, rg, r in zip(classes, ranks_graph, ranks)]
    full_rank = sum(r == 30 for r in ranks)
    sec.add_table("5-party linear-rank classes: rank of the stabilizer vectors (and their S_6 images) on "
                  "which each is tight (30 = a facet of the stabilizer cone)",
                  ["entry", "representative", "orbit size", "rank, 6-qubit graph states",
                   f"rank, + {len(hyper)} hypergraph vectors"], rows)
    sec.add_claim("hypergraph vectors violating a linear rank inequality", f"{violated}/{len(hyper)}", 0,
                  violated == 0, "min-cut vectors of sparse random hypergraphs (weights <= 3, <= 4 bulk "
                  "vertices, <= 7 edges); stabilizer vectors up to scale (arXiv:2002.12397)")
    sec.add_claim("linear-rank classes tight on 30 independent stabilizer vectors (facets of the "
                  "stabilizer cone)", f"{full_rank}/{len(classes)}", "all 31 (arXiv:2006.16292)",
                  full_rank == len(classes) == 31,
                  f"graph states alone: {sum(r[3] == 30 for r in rows)}/{len(classes)}")


def _catalogued_gap(ctx: Context, sec: Section, graph_vectors: np.ndarray) -> list:
    """The catalogue's proved five-party hypergraph inequalities and the graph-state vectors they exclude."""
    from qinfo.entropy_cones import EntropyVector, catalogue, check_contraction
    from qinfo.entropy_cones._discovery import sparse_hypergraph_vectors, star_hypergraph_vectors
    from qinfo.entropy_cones._facets import tight_rank

    if "hypergraph-5" not in catalogue.names():
        sec.add_claim("catalogued five-party hypergraph inequalities", 0, "-", None,
                      "qinfo/data/hypergraph5.json is empty")
        return []
    e = catalogue.entry("hypergraph-5")
    # an independent oracle for validity (min cuts of sampled hypergraphs), and the vectors for the
    # tight-set rank: a facet of the hypergraph cone is tight on 30 independent hypergraph vectors
    hyper = np.vstack([sparse_hypergraph_vectors(5, 2000, seed=ctx.seed, progress=False),
                       star_hypergraph_vectors(5, 2000, seed=ctx.seed, progress=False)])
    rows = []
    for rep, cert in zip(e.representatives, e.certificates):
        inst = np.array([q.coefficients for q in rep.instances(5)])
        bad = graph_vectors[(inst @ graph_vectors.T).min(axis=0) < -1e-9]
        orbits = sorted({EntropyVector(v).canonical() for v in bad}, key=lambda v: tuple(v.values))
        ok = check_contraction(cert, rep, model="hypergraph", max_edge_size=None)
        broken = int(np.sum((inst @ hyper.T).min(axis=0) < -1e-9))
        rank = tight_rank(rep, hyper)
        rows.append([str(rep), len(inst), f"{len(cert.lhs)} x {len(cert.rhs)} terms, checks: {ok}",
                     f"{len(bad)} ({len(orbits)} orbits)",
                     "; ".join(" ".join(str(int(x)) for x in v.values) for v in orbits),
                     f"{rank} ({'a facet' if rank == 30 else 'facet not shown'})"])
        sec.add_claim(f"proved for hypergraphs (hyperedges of any size): '{rep}'", "certificate checks" if ok
                      else "certificate FAILS", "certificate checks", ok,
                      "contraction map, 3^L subcube condition checked without a solver")
        sec.add_claim("sampled hypergraph vectors violating it", f"{broken}/{len(hyper)}",
                      "0 (if valid; our check)", broken == 0,
                      "min cuts of sparse and hub-shaped random hypergraphs, all S_6 instances")
        sec.add_claim("6-qubit stabilizer (graph-state) vectors violating it", len(bad), "> 0 "
                      "(arXiv:2006.16292)", len(bad) > 0, "so they lie outside the hypergraph cone")
    sec.add_table("Five-party hypergraph inequalities (catalogue entry hypergraph-5) and the 6-qubit "
                  "graph-state vectors they exclude", ["inequality", "instances under S_6", "certificate",
                                                      "graph-state vectors violating", "their orbits",
                                                      f"tight-set rank on {len(hyper)} sampled hypergraph "
                                                      "vectors"], rows)
    return list(e.representatives)


def _hypergraph_gap(ctx: Context, sec: Section, reps: list, hec: np.ndarray, proved: list) -> None:
    """Per orbit of 6-qubit graph-state vectors: a hypergraph realisation, a proved inequality, or undecided."""
    from qinfo.entropy_cones._cones import find_hypergraph_realisation
    from qinfo.entropy_cones._discovery import discover_inequalities

    # the orbits that break a holographic facet first: graphs cannot realise them
    reps = sorted(reps, key=lambda r: (bool((hec @ r.values).min() >= 0), r.values.sum()))
    violated = {}
    for q in proved:
        for inst in q.instances(5):
            for r in reps:
                if inst.evaluate(r) < -1e-9:
                    violated.setdefault(r, q)

    def row(r, status, how, seconds="-"):
        return [" ".join(str(int(x)) for x in r.values), bool((hec @ r.values).min() < 0), status, how, seconds]

    rows = [row(r, "outside", f"violates '{violated[r]}' (catalogue hypergraph-5, proved)") for r in reps
            if r in violated]
    if ctx.quick:  # the cheap part: the realisation search with one bulk vertex
        for r in reps:
            if r in violated:
                continue
            real = find_hypergraph_realisation(r, max_bulk=1, max_edge_size=7, time_limit=_QUICK_SEARCH_S)
            rows.append(row(r, "inside" if real.found else "undecided",
                            "realised (1 bulk vertex)" if real.found else
                            f"no realisation with 1 bulk vertex in {_QUICK_SEARCH_S} s "
                            "(full run: discovery workflow)"))
        outside = len(violated)
    else:
        found = discover_inequalities([r for r in reps if r not in violated], pool_size=3000, max_bulk=2,
                                      max_rounds=15, milp_time_limit=120, prove_time_limit=180,
                                      escalate_bulk=3, seed=ctx.seed, progress=ctx.progress,
                                      resume=ctx.out / "discovery.jsonl")
        for d in found:
            what = d.reason if d.status != "outside" else f"violates '{d.inequality}' (proved)"
            rows.append(row(d.target, d.status, what, f"{d.seconds:.0f}"))
        outside = sum(row[2] == "outside" for row in rows)
    sec.add_table("6-qubit graph-state orbits against the hypergraph cone (inside: realised or a conic "
                  "combination of hypergraph vectors; outside: violates a proved hypergraph inequality)",
                  ["vector (canonical)", "violates a holographic facet", "status", "how", "seconds"], rows)
    counts = {k: sum(row[2] == k for row in rows) for k in ("inside", "outside", "undecided")}
    sec.add_claim("hypergraph cone != stabilizer cone at five parties",
                  f"{'shown' if outside else 'not shown'}: {counts['outside']} orbits outside, "
                  f"{counts['inside']} inside, {counts['undecided']} undecided of {len(rows)}",
                  "differ (arXiv:2006.16292)", outside > 0 if not ctx.quick or proved else None,
                  "quick run: catalogued inequalities and the realisation search only" if ctx.quick else
                  "discovery workflow: inner hull, LP separation, exact MILP (2 bulk vertices), prove, "
                  "exact MILP (3 bulk vertices)")
