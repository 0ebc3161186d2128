"""
Topological link models
=======================

Entropy vectors of links whose components carry parties (arXiv:2109.01150):
the Borromean rings behave like a GHZ state, and an explicit 44-crossing link
has a 4-party vector that obeys SA, AL and SSA but violates the Ingleton
inequality, so no graph or hypergraph realises it. Every split question behind
it is answered by the certified oracle.
"""

# %%
# Sanity links: the Hopf link is a Bell pair, the Borromean rings are GHZ3.
import matplotlib.pyplot as plt

from qinfo.entropy_cones import LinkModel, split_decomposition, violations
from qinfo.entropy_cones._link_realise import ingleton_violating_link, ssa_violating_link

print(LinkModel("L2a1", "AO", weights=[2, 2]).entropy_vector())
print(LinkModel.borromean("ABO").entropy_vector())
print(split_decomposition("L6a4", [0, 1]))

# %%
# Beyond hypergraphs: SA, AL and SSA hold, an Ingleton instance fails.
model = ingleton_violating_link()
v = model.entropy_vector()
print(v)
print("SA/AL/SSA violations:", len(violations(v, ["SA", "AL", "SSA"])))
print("Ingleton:", violations(v, "ingleton")[0])

# %%
# The diagrams, coloured by party. The right one is the caveat: under the
# implemented definition it violates SSA (LinkModel.entropy_vector warns).
fig, axes = plt.subplots(1, 2, figsize=(9, 4.2))
model.draw(axes[0])
axes[0].set_title("outside the hypergraph cone")
ssa_violating_link().draw(axes[1])
axes[1].set_title("caveat: violates SSA")
plt.show()
