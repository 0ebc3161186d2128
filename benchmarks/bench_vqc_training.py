"""VQC training step: qinfo vs PennyLane default.qubit (one batched call) and lightning.qubit (adjoint).

All three compute the same thing for one training batch of (caption, image)
pairs: the caption circuits (word ansaetze + cups as CNOT, H, post-selection
on |0>), the image circuits (fixed encoding, optional Sim4 unifying box),
the renormalised fidelities ``F = |<c|e>|^2 / <c|c>``, the mean BCE loss and
its gradient with respect to every parameter. Losses and gradients are
checked to agree to 1e-8 before timing.

- qinfo: each word's circuit simulated once per step (Numba kernel), cups
  contracted as tensors, one caption state serving every image it is paired
  with; adjoint gradients.
- PennyLane ``default.qubit``, backprop (autograd): per grammatical shape
  ONE broadcast call over the distinct captions of the batch and one over
  its images (parameter broadcasting), then the same fidelity and loss;
  this already gives PennyLane qinfo's "one caption state per caption" saving.
- PennyLane ``lightning.qubit``, adjoint differentiation: expectation values
  only, so each pair is one circuit: caption circuit, then the inverse image
  circuit on the sentence wires, and the projectors onto ``|0...0>`` (all
  wires: ``|<e|c~>|^2``) and onto the post-selected wires (``<c~|c~>``).

Two sizes: ``small`` (qinfo's default model on noisy multi-hot vectors) and
``authors`` (the authors' preset: 9-qubit sentence, 1-qubit nouns, Sim4 x 3,
IQP image on 8 PCA components of synthetic CLIP-like vectors; 13-qubit
caption circuits). Prints steps per second and both ratios.

    python benchmarks/bench_vqc_training.py [--quick] [--sizes small authors]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from qinfo.vqc import CaptionModel, make_datasets, parse
from qinfo.vqc._base_model import _Pairs

_PL_GATES = {"h": "Hadamard", "x": "PauliX", "cx": "CNOT", "cz": "CZ", "rx": "RX", "ry": "RY",
             "rz": "RZ", "crx": "CRX", "cry": "CRY", "crz": "CRZ", "rzz": "IsingZZ"}


def _apply(qml, circuit, angles, wires):
    """Append ``circuit`` with ``angles[:, k]`` (broadcast) or ``angles[k]`` (shared) as parameter ``k``."""
    for op in circuit.ops:
        gate = getattr(qml, _PL_GATES[op.gate])
        w = [wires[q] for q in op.qubits]
        if op.param is None:
            gate(wires=w)
        else:
            a = angles[..., op.param]
            gate(a, wires=w)


class Layout:
    """The wires of a caption shape: per word its circuit, wires and parameter slices into theta."""

    def __init__(self, model, caption):
        q = model.qubits_
        d = parse(caption)
        starts, pos = [], 0
        for _, st in d.wires:
            starts.append(pos)
            pos += q[st.base]
        self.n_wires = pos
        self.words = []
        for i, w in enumerate(d.words):
            info = model._types[model.vocabulary_[w]]
            wires = [starts[k] + j for k, (wi, st) in enumerate(d.wires) if wi == i for j in range(q[st.base])]
            self.words.append((info["circuit"], wires))
        self.cups = [(starts[a] + j, starts[b] + j) for a, b in d.cups for j in range(q[d.wires[a][1].base])]
        self.sentence = [starts[d.output] + j for j in range(q["s"])]
        self.post = sorted(x for cup in self.cups for x in cup)
        keep = set(self.sentence)
        n = self.n_wires
        self.post_index = np.array([k for k in range(2**n) if all(((k >> (n - 1 - b)) & 1) == 0
                                                                  for b in range(n) if b not in keep)])

    def word_index(self, model, captions, position):
        """Index array (len(captions), n_params) of the angles of the word at ``position`` of each caption."""
        rows = []
        for c in captions:
            info = model._types[model.vocabulary_[c[position]]]
            p = info["circuit"].n_params
            k = info["words"].index(c[position])
            rows.append(info["offset"] + k * p + np.arange(p))
        return np.array(rows)

    def caption_ops(self, qml, word_angles):
        for (circ, wires), ang in zip(self.words, word_angles):
            _apply(qml, circ, ang, wires)
        for a, b in self.cups:
            qml.CNOT(wires=[a, b])
            qml.Hadamard(wires=a)


def _bce(pnp, f, y):
    f = pnp.clip(f, 1e-7, 1 - 1e-7)
    return -pnp.mean(y * pnp.log(f) + (1 - y) * pnp.log(1 - f))


def default_qubit_loss(model, pairs, idx, features, broadcast=True):
    """Loss of theta on PennyLane default.qubit: one broadcast call for the captions, one for the images
    (``broadcast=False``: one call per distinct caption)."""
    import pennylane as qml
    from pennylane import numpy as pnp

    caps = sorted({pairs.captions[k] for k in idx})
    imgs = sorted({int(pairs.img[k]) for k in idx})
    cap_of = np.array([caps.index(pairs.captions[k]) for k in idx])
    img_of = np.array([imgs.index(int(pairs.img[k])) for k in idx])
    layout = Layout(model, caps[0])
    assert all(parse(c).signature == parse(caps[0]).signature for c in caps), "one caption shape per batch"
    word_idx = [layout.word_index(model, caps, p) for p in range(len(layout.words))]
    enc_angles = model.encoding_._angles(features[imgs])
    enc = model.encoding_._circuit()
    box, s = model._box, model.qubits_["s"]
    dev = qml.device("default.qubit", wires=layout.n_wires)
    dev_img = qml.device("default.qubit", wires=s)

    @qml.qnode(dev, diff_method="backprop", interface="autograd")
    def caption_states(word_angles):
        layout.caption_ops(qml, word_angles)
        return qml.state()

    @qml.qnode(dev_img, diff_method="backprop", interface="autograd")
    def image_states(box_angles):
        _apply(qml, enc, enc_angles, list(range(enc.n_qubits)))
        if box is not None:
            _apply(qml, box, box_angles, list(range(s)))
        return qml.state()

    y = pairs.labels[idx]

    def loss(theta):
        if broadcast:
            c = caption_states([theta[i] for i in word_idx])
        else:
            c = pnp.stack([caption_states([theta[i[u]] for i in word_idx]) for u in range(len(caps))])
        c = c[:, layout.post_index]
        e = image_states(theta[model._box_offset:])
        cc, ee = c[cap_of], e[img_of]
        o = pnp.sum(pnp.conj(cc) * ee, axis=1)
        f = pnp.real(o * pnp.conj(o)) / pnp.real(pnp.sum(pnp.conj(cc) * cc, axis=1))
        return _bce(pnp, f, y)

    return loss


def lightning_loss(model, pairs, idx, features):
    """Loss of theta on lightning.qubit with adjoint differentiation: one circuit per pair."""
    import pennylane as qml
    from pennylane import numpy as pnp

    captions = [pairs.captions[k] for k in idx]
    layout = Layout(model, captions[0])
    word_idx = [layout.word_index(model, captions, p) for p in range(len(layout.words))]
    enc_angles = model.encoding_._angles(features[pairs.img[idx]])
    enc = model.encoding_._circuit()
    box = model._box
    dev = qml.device("lightning.qubit", wires=layout.n_wires)
    sentence = layout.sentence
    all_wires = list(range(layout.n_wires))

    @qml.qnode(dev, diff_method="adjoint", interface="autograd")
    def overlaps(word_angles, box_angles, k):
        layout.caption_ops(qml, word_angles)
        # undo the image preparation on the sentence wires: |0..0> amplitude = <e|c~>
        if box is not None:
            qml.adjoint(_apply)(qml, box, box_angles, sentence)
        qml.adjoint(_apply)(qml, enc, enc_angles[k], sentence[:enc.n_qubits])
        return (qml.expval(qml.Projector([0] * len(all_wires), wires=all_wires)),
                qml.expval(qml.Projector([0] * len(layout.post), wires=layout.post)))

    y = pairs.labels[idx]

    def loss(theta):
        fs = []
        for k in range(len(idx)):
            a, b = overlaps([theta[i[k]] for i in word_idx], theta[model._box_offset:], k)
            fs.append(a / b)
        return _bce(pnp, pnp.stack(fs), y)

    return loss


def _time(fn, reps):
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def bench(size: str, batch: int, quick: bool) -> dict:
    import pennylane as qml
    from pennylane import numpy as pnp

    if size == "authors":
        ds = make_datasets("relational", "binary", n_per_combination=20, features="clip-like", seed=0)
        model = CaptionModel.from_preset("authors", epochs=0, progress=False, seed=0).fit(ds["train"])
    else:
        ds = make_datasets("relational", "binary", n_per_combination=20, flip_prob=0.1, noise_std=0.1, seed=0)
        model = CaptionModel(epochs=0, progress=False, seed=0).fit(ds["train"])
    pairs, feats = _Pairs(ds["train"]), ds["train"].features
    states = model._prepare(feats)
    groups = np.random.default_rng(0).choice(np.unique(pairs.groups), size=batch // 2, replace=False)
    idx = np.flatnonzero(np.isin(pairs.groups, groups))  # a training batch: whole groups, as the trainer draws
    theta = model.params_.copy()
    loss, grad = model._loss_grad(theta, pairs, states, idx)
    pl_theta = pnp.array(theta, requires_grad=True)
    out = {"size": size, "qubits": dict(model.qubits_), "params": len(theta), "pairs": len(idx),
           "caption_wires": Layout(model, pairs.captions[idx[0]]).n_wires}
    dq = default_qubit_loss(model, pairs, idx, feats)
    out["default.qubit_mode"] = "one broadcast call"
    try:
        qml.grad(dq)(pl_theta)
    except ValueError as exc:  # PennyLane's broadcasting failed on this circuit: one call per caption
        out["default.qubit_mode"] = f"one call per distinct caption (broadcasting raised {exc!r})"
        dq = default_qubit_loss(model, pairs, idx, feats, broadcast=False)
    lq = lightning_loss(model, pairs, idx, feats)
    for name, fn in (("default.qubit", dq), ("lightning.qubit", lq)):
        g = qml.grad(fn)(pl_theta)
        assert abs(float(fn(pl_theta)) - loss) < 1e-8, f"{name}: losses differ"
        assert np.max(np.abs(g - grad)) < 1e-8, f"{name}: gradients differ by {np.max(np.abs(g - grad))}"
    reps_q, reps_p = (5, 1) if quick else (50, 3)
    out["qinfo_s"] = _time(lambda: model._loss_grad(theta, pairs, states, idx), reps_q)
    out["default.qubit_s"] = _time(lambda: qml.grad(dq)(pl_theta), reps_p)
    out["lightning.qubit_s"] = _time(lambda: qml.grad(lq)(pl_theta), reps_p)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--batch", type=int, default=32, help="pairs per training step (default 32)")
    parser.add_argument("--sizes", nargs="+", default=["small", "authors"], choices=["small", "authors"])
    args = parser.parse_args(argv)
    for size in args.sizes:
        r = bench(size, args.batch, args.quick)
        best = min(r["default.qubit_s"], r["lightning.qubit_s"])
        print(f"== {size}: qubits {r['qubits']}, {r['caption_wires']}-qubit caption circuits, "
              f"{r['params']} parameters, batch {r['pairs']} pairs; losses and gradients agree to 1e-8")
        for name in ("qinfo", "default.qubit", "lightning.qubit"):
            t = r[f"{name}_s"]
            print(f"   {name:16s} {1 / t:9.2f} steps/s  {r['pairs'] / t:10.1f} pairs/s")
        print(f"   default.qubit ran with {r['default.qubit_mode']}")
        print(f"   ratio vs default.qubit                   : {r['default.qubit_s'] / r['qinfo_s']:8.1f}x")
        print(f"   ratio vs lightning.qubit (adjoint)       : {r['lightning.qubit_s'] / r['qinfo_s']:8.1f}x")
        print(f"   ratio vs the faster of the two            : {best / r['qinfo_s']:8.1f}x")


if __name__ == "__main__":
    main()
