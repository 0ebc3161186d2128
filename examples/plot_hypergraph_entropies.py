"""
Min-cut entropies of graphs and hypergraphs
===========================================

In a graph model the entropy of a set of boundary regions is the weight of the
cheapest cut that separates them from the rest, a discrete Ryu-Takayanagi
formula. Hypergraphs allow edges on more than two vertices, and a single
four-vertex hyperedge already behaves like a GHZ state. We build a small
holographic graph, read off its entropy vector and its smallest and largest
minimal cuts, then compare many random graphs and hypergraphs through the
tripartite information ``I3``, which graph models keep non-positive.
"""

# %%
# A graph model: a ring of boundary regions around a bulk
# -------------------------------------------------------
# Five boundary vertices (parties A-D and the purifier O) hang off a bulk
# cycle with a centre vertex; weights play the role of areas.
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np

from qinfo.entropy_cones import Hypergraph, entropy_vectors
from qinfo.entropy_cones import random_hypergraph

g = nx.cycle_graph(5)
nx.set_edge_attributes(g, 2, "weight")
for i in range(5):
    g.add_edge(i, "c", weight=1)  # spokes to the centre
names = "ABCDO"
for i, (p, w) in enumerate(zip(names, [3, 3, 4, 5, 6])):
    g.add_edge(p, i, weight=w)  # boundary legs
h = Hypergraph.from_networkx(g, {p: p for p in names})
vec = h.entropy_vector()
print(h)
print(vec)
print("I3(A:B:C) =", vec.tripartite_information("A", "B", "C"))

# %%
# Smallest and largest minimal cuts
# ---------------------------------
# For ``AB`` several vertex sets ``W`` attain the minimum; ``min_cut`` returns
# the smallest and the largest, and every other optimal ``W`` lies between them.
cut = h.min_cut("AB")
print("S(AB) =", cut.value)
print("minimal W:", sorted(map(str, cut.minimal)))
print("maximal W:", sorted(map(str, cut.maximal)))

pos = {i: (np.cos(2 * np.pi * i / 5), np.sin(2 * np.pi * i / 5)) for i in range(5)}
pos.update({p: (1.8 * x, 1.8 * y) for p, (x, y) in zip(names, (pos[i] for i in range(5)))})
pos["c"] = (0.0, 0.0)
colors = ["tab:red" if v in cut.minimal else "tab:orange" if v in cut.maximal else "lightgrey"
          for v in g.nodes]
fig, ax = plt.subplots(figsize=(5, 5))
nx.draw_networkx(g, pos, node_color=colors, ax=ax)
nx.draw_networkx_edge_labels(g, pos, edge_labels=nx.get_edge_attributes(g, "weight"), ax=ax)
ax.set_title("S(AB): red = minimal W, red + orange = maximal W")
ax.set_axis_off()
plt.show()

# %%
# Graphs against hypergraphs
# --------------------------
# One hyperedge on A, B, C and O gives every region entropy 1 and I3 = +1:
# monogamy of mutual information fails. Among random models, graphs never have
# I3 > 0, while a few per cent of random hypergraphs do.
ghz = Hypergraph([(("a", "b", "c", "o"), 1)], {"a": "A", "b": "B", "c": "C", "o": "O"})
print(ghz.entropy_vector(), "I3 =", ghz.entropy_vector().tripartite_information("A", "B", "C"))

i3_weights = np.array([1, 1, 1, -1, -1, -1, 1])  # I3 in canonical order A, B, C, AB, AC, BC, ABC
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
for label, sizes in [("graphs", (2, 2)), ("hypergraphs", (2, 4))]:
    models = [random_hypergraph(3, 8, 16, sizes=sizes, weights=(1, 4), seed=s) for s in range(2000)]
    values = np.array([v.values for v in entropy_vectors(models, progress=False)])
    i3 = values @ i3_weights
    print(f"random {label}: fraction with I3 > 0 = {np.mean(i3 > 0):.3f}")
    ax.hist(i3, bins=np.arange(i3.min() - 0.5, i3.max() + 1.5), alpha=0.6, label=label)
ax.axvline(0, color="k", lw=1)
ax.set_xlabel("I3(A:B:C)")
ax.set_ylabel("models")
ax.legend()
plt.show()
