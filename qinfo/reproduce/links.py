"""Reproduction: topological link models (arXiv:2109.01150).

Checks the sanity links (Hopf = Bell pair, Borromean = GHZ3, Brunnian = GHZ4),
the certified split oracle on small table links, that the Brunnian-link
realisation of random hypergraphs reproduces their vectors, and exhibits a
link entropy vector that no hypergraph realises: it violates strong
subadditivity, which every hypergraph vector obeys.
"""

from __future__ import annotations

import itertools
import random

import numpy as np

from qinfo.reproduce import Context, Section

__all__ = ["run", "non_hypergraph_link"]

TABLE_LINKS = [("L2a1", "Hopf"), ("L4a1", "(4,2) torus link"), ("L5a1", "Whitehead"),
               ("L6a4", "Borromean"), ("L6a5", "3-chain, closed"), ("L6n1", "L6n1"),
               ("L8n2", "L8n2")]


def non_hypergraph_link():
    """The link model behind the paper's claim, as a connectivity structure.

    Components ``A, B, C, O`` with weights ``2, 3, 3, 2``: ``A``, ``C`` and
    ``O`` are pairwise Hopf-linked, and ``B`` is Brunnian with all three (any
    sublink containing ``B`` and missing one of them splits ``B`` off). By the
    Brunn-Debrunner-Kanenobu theorem every such connectivity structure is
    realised by a link in S^3.
    """
    from qinfo.entropy_cones.links import LinkModel

    return LinkModel.from_connectivity(4, [{0, 2}, {0, 3}, {2, 3}, {0, 1, 2, 3}], list("ABCO"), [2, 3, 3, 2])


def run(ctx: Context) -> Section:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qinfo.entropy_cones import Hypergraph, LinkModel, split_decomposition, violations
    from qinfo.entropy_cones.cones import find_hypergraph_realisation, stabilizer_cone_check

    section = Section("Topological link models (arXiv:2109.01150)")

    hopf = LinkModel("L2a1", "AO", [1.5, 1.5]).entropy_vector()
    section.add_claim("Hopf link A-O of weight w behaves like a Bell pair: S_A = w", hopf["A"], 1.5,
                      hopf["A"] == 1.5)
    borro = LinkModel.borromean("ABO").entropy_vector()
    section.add_claim("Borromean rings on A, B, O give GHZ3 (S = 1 for every set)",
                      str(borro), "EntropyVector(A=1, B=1, AB=1)", bool(np.all(borro.values == 1)))
    brun = LinkModel.brunnian("ABCO").entropy_vector()
    section.add_claim("4-component Brunnian link gives GHZ4 (I3 = +1, outside the holographic cone)",
                      brun.tripartite_information("A", "B", "C"), 1.0,
                      brun.tripartite_information("A", "B", "C") == 1.0)

    rows = []
    for name, desc in TABLE_LINKS:
        d = split_decomposition(name)
        subs = []
        m = len(d.components)
        for r in range(2, m):
            for sub in itertools.combinations(range(m), r):
                sd = split_decomposition(name, sub)
                subs.append(f"{''.join(map(str, sub))}:{len(sd.pieces)}{'' if sd.certified else '?'}")
        rows.append([name, desc, m, len(d.pieces), d.reasons[0], " ".join(subs) or "-"])
    section.add_table("Split oracle on table links (pieces of the whole link and of each sublink; "
                      "? = undetermined)", ["link", "name", "components", "pieces", "certificate",
                                            "sublinks"], rows)

    rng = random.Random(ctx.seed)
    n_hyper = 30 if ctx.quick else 200
    agree = 0
    for _ in range(n_hyper):
        h = _random_hypergraph(rng)
        agree += LinkModel.from_hypergraph(h).entropy_vector().isclose(h.entropy_vector())
    section.add_claim("Brunnian-link realisation reproduces random hypergraph vectors",
                      f"{agree}/{n_hyper}", f"{n_hyper}/{n_hyper}", agree == n_hyper,
                      "the link model contains the hypergraph model")

    model = non_hypergraph_link()
    v = model.entropy_vector()
    cmi = v.conditional_mutual_information("A", "O", "B")
    bad = violations(v, ["SSA"])
    section.add_claim("a link vector violating SSA, I(A:O|B) < 0 (no hypergraph realises it)",
                      cmi, "< 0 exists (paper: link vectors beyond hypergraphs)", cmi < 0,
                      f"{v}; {len(bad)} SSA instances violated")
    real = find_hypergraph_realisation(v, max_bulk=1 if ctx.quick else 2, max_edge_size=4,
                                       time_limit=30 if ctx.quick else 120)
    section.add_claim("find_hypergraph_realisation on that vector", "none found" if not real else "found",
                      "none exists (SSA violated)", not real.found,
                      f"max_bulk={real.max_bulk}, max_edge_size={real.max_edge_size}")
    stab = stabilizer_cone_check(v)
    section.add_claim("its place relative to the stabilizer cone", stab.status, "outside",
                      stab.status == "outside",
                      f"separating: {stab.separating}" if stab.separating is not None else "")
    section.notes.append(
        "The SSA-violating model is given by its split decomposition (a connectivity structure "
        "realisable by the Brunn-Debrunner-Kanenobu theorem); no diagram of it is drawn. A search "
        "over the 4-component table links up to 10 crossings (all labellings, weights 1-3) found "
        "no SSA violation.")

    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    LinkModel.borromean("ABO").draw(axes[0])
    axes[0].set_title("Borromean rings: GHZ3")
    LinkModel.whitehead("AO").draw(axes[1])
    axes[1].set_title("Whitehead link: lk = 0, S_A = 1")
    LinkModel.hopf_chain(["A", None, "B", "O"]).draw(axes[2])
    axes[2].set_title("Hopf chain A-x-B-O")
    section.add_figure(fig, ctx.out / "links.png")
    return section


def _random_hypergraph(rng: random.Random):
    from qinfo.entropy_cones import Hypergraph

    parties = "ABC"[: rng.randint(1, 3)] + "O"
    boundary = {f"p{k}": p for k, p in enumerate(parties)}
    vertices = list(boundary) + [f"x{k}" for k in range(rng.randint(0, 2))]
    edges = [(tuple(rng.sample(vertices, rng.randint(2, min(4, len(vertices))))), rng.randint(1, 4))
             for _ in range(rng.randint(2, 5))]
    for v in vertices:
        if not any(v in e for e, _ in edges):
            edges.append(((v, rng.choice([u for u in vertices if u != v])), 1))
    return Hypergraph(edges=edges, boundary=boundary)
