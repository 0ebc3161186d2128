"""Landing-page picture: a scene, its hard negative, and the DisCoCat diagram of the caption."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Arc, Rectangle

from qinfo.vqc import make_datasets, parse

ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)["train"]
k = next(i for i, c in enumerate(ds.captions) if len(c) == 3)
pos, neg = (ds.scenes[i] for i in np.flatnonzero(ds.groups == ds.groups[k])[:2])

fig = plt.figure(figsize=(7.2, 2.6))
for j, (scene, title) in enumerate([(pos, "matches"), (neg, "hard negative")]):
    ax = fig.add_axes([0.01 + 0.2 * j, 0.12, 0.18, 0.7])
    ax.imshow(scene.render(64))
    ax.set_title(f"{title}: {'label 1' if j == 0 else 'label 0'}", fontsize=8)
    ax.axis("off")
fig.text(0.2, 0.92, "caption: " + " ".join(ds.captions[k]), ha="center", fontsize=9)

d = parse(ds.captions[k])
ax = fig.add_axes([0.45, 0.02, 0.54, 0.9])
xs = np.arange(len(d.wires), dtype=float)
starts = np.cumsum([0] + [len(t) for t in d.types])
for w, word in enumerate(d.words):
    lo, hi = xs[starts[w]] - 0.35, xs[starts[w + 1] - 1] + 0.35
    ax.add_patch(Rectangle((lo, 1.0), hi - lo, 0.45, fc="tab:blue", alpha=0.25, ec="tab:blue"))
    ax.text((lo + hi) / 2, 1.22, word, ha="center", va="center", fontsize=9)
for i, (_, t) in enumerate(d.wires):
    bottom = -0.9 if i == d.output else 0.35
    ax.plot([xs[i], xs[i]], [1.0, bottom], color="k", lw=1.2)
    ax.text(xs[i] + 0.08, 0.8, str(t), fontsize=8, color="0.3")
for a, b in d.cups:
    ax.add_patch(Arc(((xs[a] + xs[b]) / 2, 0.35), xs[b] - xs[a], 0.8, theta1=180, theta2=360,
                     lw=1.2))
ax.text(xs[d.output] + 0.1, -0.8, "sentence state:\nfidelity with the image",
        fontsize=8, va="bottom")
ax.set_xlim(-0.6, xs[-1] + 1.6)
ax.set_ylim(-1.0, 1.6)
ax.axis("off")
