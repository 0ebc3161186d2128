"""
Which cones does an entropy vector live in?
===========================================

We take the 4-qubit GHZ state (parties A, B, C and the purifier O) and the
4-qubit perfect tensor, ask which catalogue inequalities they break, whether
they lie in the stabilizer and holographic cones, and find a hypergraph and a
graph model that realise them. Finally we plot, for every distinct entropy
vector of the 5-qubit graph states (4 parties + O), the smallest slack of the
Ingleton and of the holographic (MMI) inequalities.
"""

# %%
# Inequalities and violations
# ---------------------------
import matplotlib.pyplot as plt
import numpy as np

from qinfo.entropy_cones import (EntropyVector, Inequality, catalogue, find_hypergraph_realisation,
                                 graph_state_entropy_vectors, in_cone, violations)

ghz = EntropyVector([1, 1, 1, 1, 1, 1, 1])
perfect = EntropyVector([1, 1, 1, 2, 2, 2, 1])
mmi = Inequality.parse("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", name="MMI")
print(mmi, "| superbalanced:", mmi.is_superbalanced())
for name, v in [("GHZ", ghz), ("perfect tensor", perfect)]:
    bad = violations(v, ["SA", "SSA", "MMI"])
    print(f"{name}: violates {[str(b.inequality) for b in bad]}")
    print("  stabilizer cone:", in_cone(v, cone="stabilizer").status,
          "| holographic cone:", in_cone(v, inequalities="holographic").status)

# %%
# Realisations
# ------------
# GHZ needs a hyperedge (it breaks MMI, so no graph model has it); the perfect
# tensor is a star graph.
print(find_hypergraph_realisation(ghz, max_bulk=0, max_edge_size=4).hypergraph.edges)
print(find_hypergraph_realisation(ghz, max_bulk=2, max_edge_size=2).reason)
print(find_hypergraph_realisation(perfect, max_bulk=1, max_edge_size=2).hypergraph.edges)

# %%
# Graph states on 5 qubits
# ------------------------
vals = np.asarray(graph_state_entropy_vectors(5, "ABCDO", progress=False).values, dtype=float)
ingleton = np.array([q.coefficients for q in catalogue.get("ingleton")])
hec = np.array([q.coefficients for q in catalogue.get("holographic", 4)])
x, y = (ingleton @ vals.T).min(axis=0), (hec @ vals.T).min(axis=0)
fig, ax = plt.subplots(figsize=(5, 4))
ax.scatter(x + np.random.default_rng(0).normal(0, 0.03, x.size), y, s=12, alpha=0.6)
ax.axhline(0, color="k", lw=0.5)
ax.set(xlabel="min Ingleton slack (bits)", ylabel="min holographic-facet slack (bits)",
       title=f"{len(vals)} distinct 5-qubit graph-state vectors")
fig.tight_layout()
plt.show()
