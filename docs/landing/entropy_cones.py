"""Landing-page picture: a hypergraph model and its entropy vector (computed by qinfo)."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Polygon

from qinfo.entropy_cones import Hypergraph

positions = {"a": (-1.0, 0.9), "b": (1.0, 0.9), "c": (1.1, -0.8), "o": (-1.1, -0.8),
             "x": (-0.35, 0.15), "y": (0.4, 0.0)}
boundary = {"a": "A", "b": "B", "c": "C", "o": "O"}
edges = [(("a", "x"), 2), (("b", "y"), 2), (("x", "y"), 1), (("c", "o", "x", "y"), 1)]
h = Hypergraph(edges=edges, boundary=boundary)
vec = h.entropy_vector()

fig, (ax, bx) = plt.subplots(1, 2, figsize=(7.2, 3.0), gridspec_kw={"width_ratios": [1, 1.25]})
colors = {"A": "tab:blue", "B": "tab:orange", "C": "tab:green", "O": "0.35"}
for verts, w in edges:
    pts = np.array([positions[v] for v in verts])
    if len(verts) == 2:
        ax.plot(pts[:, 0], pts[:, 1], color="0.3", lw=1.5 * w, zorder=1)
    else:
        centre = pts.mean(axis=0)
        order = np.argsort(np.arctan2(*(pts - centre).T[::-1]))
        ax.add_patch(Polygon(pts[order], closed=True, fc="tab:purple", ec="none", alpha=0.2,
                             zorder=0))
        for p in pts:  # a hyperedge as a star from its centre
            ax.plot([centre[0], p[0]], [centre[1], p[1]], color="tab:purple", lw=1.5, zorder=1)
for v, (px, py) in positions.items():
    party = boundary.get(v)
    ax.scatter(px, py, s=260 if party else 90, color=colors.get(party, "white"),
               edgecolor="k", zorder=2)
    if party:
        ax.annotate(party, (px, py), ha="center", va="center", color="white",
                    fontweight="bold", zorder=3)
ax.set_title("hypergraph: graph edges (width = weight)\nand a 4-vertex hyperedge (purple)", fontsize=9)
ax.set_aspect("equal")
ax.axis("off")

bx.bar(range(len(vec)), vec.values, color="tab:purple", alpha=0.7)
bx.set_xticks(range(len(vec)), [f"$S_{{{lab}}}$" for lab in vec.labels])
bx.set_ylabel("min-cut entropy")
bx.set_title("its entropy vector", fontsize=9)
fig.tight_layout()
