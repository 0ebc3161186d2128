"""
Captioning models on Aer, a noisy IBM fake backend and IBM Quantum hardware
===========================================================================

Train a :class:`qinfo.vqc.CaptionModel` on the exact simulator, then
evaluate it where circuits really run: Qiskit Aer with shot noise and the
``fake_brisbane`` backend of qiskit-ibm-runtime (local testing mode, with
Brisbane's calibrated noise model). Every caption-image pair becomes a
destructive SWAP-test circuit; the cup qubits are post-selected on ``|0>``
from the counts.

The same script runs on IBM Quantum hardware unchanged (nothing else to
edit, the account comes from ``QiskitRuntimeService.save_account``)::

    python plot_vqc_hardware.py ibm:ibm_brisbane          # or ibm:least_busy
    python plot_vqc_hardware.py aer fake_sherbrooke pennylane:lightning.qubit

Hardware runs queue on IBM's side; the resume file
``vqc_hardware_jobs.json`` lets an interrupted run pick its jobs up again.
"""

# %%
# Train on the exact simulator (a few seconds).
import sys

import matplotlib.pyplot as plt
import numpy as np

from qinfo.vqc import CaptionModel, evaluate, make_datasets

ds = make_datasets("relational", "binary", n_per_combination=4, flip_prob=0.1,
                   noise_std=0.1, seed=0)
model = CaptionModel(epochs=40, progress=False, seed=0).fit(ds["train"], ds["val"])
evaluation = ds["val"]
print(f"exact-simulator accuracy on {len(evaluation)} held-out pairs: {model.score(evaluation):.2f}")

# %%
# Evaluate on the execution targets. Circuits are transpiled once per
# grammatical shape, then the whole set goes out as one job of PUBs with a
# parameter array. ``targets`` comes from the command line when given.
targets = [a for a in sys.argv[1:] if not a.startswith("-")] or ["aer", "fake_brisbane"]
shots = {"aer": 20_000}
reports = {}
for name in targets:
    hardware = name.startswith("ibm:")
    reports[name] = evaluate(
        model, evaluation, name,
        shots=shots.get(name, 10_000),
        seed=1, seed_transpiler=0, progress=False,
        resume="vqc_hardware_jobs.json" if hardware else None,
    )
    print(reports[name], end="\n\n")

# %%
# A table: accuracy with its 95% Wilson interval next to the exact accuracy,
# the error of the estimated fidelities, and the transpiled circuit size.
header = f"{'backend':16} {'acc':>5} {'95% CI':>13} {'exact':>6} {'|dF|':>6} {'r':>5} {'depth':>6} {'2q':>4}"
print(header)
print("-" * len(header))
for name, rep in reports.items():
    lo, hi = rep.accuracy_interval
    c = rep.circuits[0]
    print(f"{name:16} {rep.accuracy:5.2f} [{lo:4.2f}, {hi:4.2f}] {rep.exact_accuracy:6.2f} "
          f"{rep.mean_abs_fidelity_error:6.3f} {rep.pearson_r:5.2f} {c.depth:6d} {c.two_qubit_gates:4d}")

# %%
# Estimated against exact fidelity, with one-standard-error bars. Device noise
# pulls fidelities towards the value of a maximally mixed state; shot noise
# alone scatters them around the diagonal.
fig, axes = plt.subplots(1, len(reports), figsize=(4 * len(reports), 3.6), squeeze=False)
for ax, (name, rep) in zip(axes[0], reports.items()):
    f = rep.fidelities
    ax.errorbar(rep.exact_fidelities, f.values, yerr=f.stderr, fmt="o", ms=3, alpha=0.8)
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.25, 1.15)
    ax.set_xlabel("exact fidelity")
    ax.set_ylabel("estimated fidelity")
    ax.set_title(f"{name}: Pearson r = {rep.pearson_r:.2f}\n"
                 f"{f.shots} shots, mean post-selection rate {np.mean(f.postselection_rate):.2f}",
                 fontsize=9)
fig.tight_layout()
plt.show()
