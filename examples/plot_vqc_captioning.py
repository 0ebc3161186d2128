"""
Compositional captioning with a quantum model
=============================================

Train :class:`qinfo.vqc.CaptionModel` on noisy multi-hot vectors of
qinfo's *synthetic* two-object scenes (not the paper's images), and compare with the classical DisCoCat baseline on the
held-out caption combinations.
"""

# %%
# Data: scenes, captions and a compositional split. The six test combinations
# (e.g. "cube right cone") never occur in training; their words do.
import matplotlib.pyplot as plt

from qinfo.vqc import CaptionModel, ClassicalDisCoCat, make_datasets

ds = make_datasets("relational", "binary", n_per_combination=15, flip_prob=0.1,
                   noise_std=0.1, seed=0)
print(ds["train"], ds["test"], sep="\n")

fig, axes = plt.subplots(1, 4, figsize=(9, 1.6))
for ax, k in zip(axes, range(0, 8, 2)):
    ax.imshow(ds["test"].scenes[k].render(48))
    ax.set_title(" ".join(ds["test"].captions[k]), fontsize=8)
    ax.axis("off")

# %%
# Train both models with the same losses, optimiser and early stopping.
quantum = CaptionModel(epochs=40, progress=False, seed=0).fit(ds["train"], ds["val"])
classical = ClassicalDisCoCat(epochs=40, progress=False, seed=0).fit(ds["train"], ds["val"])

rows = {name: [m.score(ds[k]) for k in ("train", "val", "test")]
        for name, m in [("quantum", quantum), ("classical", classical)]}
for name, accs in rows.items():
    print(name, [f"{a:.2f}" for a in accs])

# %%
# Per-epoch accuracy on the training and validation combinations (``history_``).
fig, ax = plt.subplots(figsize=(5, 3))
for key in ("train_acc", "val_acc"):
    ax.plot([r["epoch"] for r in quantum.history_], [r[key] for r in quantum.history_], label=key)
ax.set_xlabel("epoch")
ax.set_ylabel("accuracy (quantum)")
ax.legend(fontsize=8)
plt.show()

# %%
# Accuracy on seen (train) and unseen (val, test) combinations.
fig, ax = plt.subplots(figsize=(5, 3))
for j, (name, accs) in enumerate(rows.items()):
    ax.bar([x + 0.4 * j for x in range(3)], accs, 0.4, label=name)
ax.axhline(0.5, color="k", ls="--", lw=0.8, label="chance")
ax.set_xticks([0.2, 1.2, 2.2], ["train", "val", "test"])
ax.set_ylabel("accuracy")
ax.legend(fontsize=8)
plt.show()

# %%
# The caption circuit of "cube left cone": word states on their wires, the cups
# as CNOT + H followed by post-selection of the measured qubits on 0, and the
# sentence wire left open for the image state (exported to Qiskit).
circuit = quantum.caption_circuit(("cube", "left", "cone"))
print(circuit.metadata)
circuit.draw("mpl", fold=-1)
plt.show()
