"""Drawing a contraction map on its hypercube (behind :meth:`ContractionMap.plot`)."""

from __future__ import annotations

import numpy as np

# directions of the hypercube coordinates in the picture (an oblique projection)
_DIRECTIONS = np.array([[1.0, 0.0], [0.0, 1.0], [0.55, 0.38], [-0.42, 0.62]])


def plot_map(cert, ax=None):
    """Draw the left hypercube of ``cert``; each vertex shows ``x -> f(x)``.

    Edges are labelled with their lhs term; vertices that carry a boundary
    condition are filled and named by their parties.
    """
    import matplotlib.pyplot as plt

    L = len(cert.lhs)
    if not 1 <= L <= len(_DIRECTIONS):
        raise ValueError(f"plot draws hypercubes of 1 to {len(_DIRECTIONS)} dimensions; this map has L = {L}")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.2 + 1.3 * L, 1.8 + 1.2 * L))
    P = 1 << L
    bits = (np.arange(P)[:, None] >> np.arange(L)) & 1
    pos = bits @ _DIRECTIONS[:L] * 3.0
    if L == 1:
        pos = pos + np.array([0.0, 0.0])
    parties: dict[int, list[str]] = {}
    for party, (x, _) in cert.occurrence_vectors().items():
        parties.setdefault(int(x[::-1], 2) if x else 0, []).append(party)
    for x in range(P):
        for l in range(L):
            if not x >> l & 1:
                y = x | 1 << l
                ax.plot(*pos[[x, y]].T, color="0.6", lw=1.2, zorder=1)
                if x == 0:
                    mid = pos[[x, y]].mean(axis=0)
                    ax.annotate(f"{cert.lhs[l][0]}", mid, textcoords="offset points", xytext=(0, -11),
                                ha="center", fontsize=8, color="0.35")
    for x in range(P):
        on_boundary = x in parties
        ax.scatter(*pos[x], s=150, zorder=2, color="tab:red" if on_boundary else "white",
                   edgecolors="tab:red" if on_boundary else "0.3")
        x_str = "".join(str(b) for b in bits[x])
        label = f"{x_str} → {cert.image(x)}"
        if on_boundary:
            label += f"  ({', '.join(parties[x])})"
        ax.annotate(label, pos[x], textcoords="offset points", xytext=(9, 6), fontsize=8,
                    fontweight="bold" if on_boundary else "normal")
    ax.set_title(str(cert.inequality()), fontsize=9)
    ax.set_aspect("equal")
    ax.margins(0.25)
    ax.axis("off")
    return ax
