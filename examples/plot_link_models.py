"""
Topological link models
=======================

Entropy vectors of links whose components carry parties (arXiv:2109.01150):
the Borromean rings behave like a GHZ state, and a link model can violate strong
subadditivity, which no graph or hypergraph model does.
"""

# %%
# Sanity links: the Hopf link is a Bell pair, the Borromean rings are GHZ3.
import matplotlib.pyplot as plt

from qinfo.entropy_cones import LinkModel, split_decomposition

print(LinkModel("L2a1", "AO", weights=[2, 2]).entropy_vector())
print(LinkModel.borromean("ABO").entropy_vector())
print(split_decomposition("L6a4", [0, 1]))

# %%
# The diagrams, coloured by party.
fig, axes = plt.subplots(1, 2, figsize=(8, 3.6))
LinkModel.borromean("ABO").draw(axes[0])
axes[0].set_title("Borromean rings")
LinkModel.hopf_chain(["A", None, "B", "O"]).draw(axes[1])
axes[1].set_title("Hopf chain A - x - B - O")
plt.show()

# %%
# A link vector outside the hypergraph cone: strong subadditivity fails.
from qinfo.reproduce.links import non_hypergraph_link

v = non_hypergraph_link().entropy_vector()
print(v, "I(A:O|B) =", v.conditional_mutual_information("A", "O", "B"))
