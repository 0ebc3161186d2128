"""VQC training throughput: qinfo's batched adjoint simulator vs PennyLane default.qubit (backprop).

Both compute the same thing for a batch of (caption, image) pairs: the full
caption circuit (word ansaetze + cups as CNOT, H, post-selection on |0>), the
image circuit (fixed multi-hot angle encoding + Sim4 unifying box), the
renormalised fidelity, the BCE loss, and its gradient with respect to every
parameter. The two losses are checked to agree before timing. Prints
training samples (pairs with gradient) per second and the ratio.

    python benchmarks/bench_vqc_training.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from qinfo.vqc import CaptionModel, make_datasets
from qinfo.vqc.estimator import _Pairs

_PL_GATES = {"h": "Hadamard", "x": "PauliX", "cx": "CNOT", "cz": "CZ", "rx": "RX", "ry": "RY",
             "rz": "RZ", "crx": "CRX", "cry": "CRY", "crz": "CRZ", "rzz": "IsingZZ"}


def _apply(qml, circuit, angles, wires):
    for op in circuit.ops:
        gate = getattr(qml, _PL_GATES[op.gate])
        w = [wires[q] for q in op.qubits]
        if op.param is None:
            gate(wires=w)
        else:
            gate(angles[op.param], wires=w)


def pennylane_loss_fn(model, pairs, idx, features):
    """A PennyLane (autograd) loss of the flat parameter vector for the pairs ``idx``."""
    import pennylane as qml
    from pennylane import numpy as pnp

    from qinfo.vqc.grammar import parse

    q = model.qubits_
    diag = parse(pairs.unique[0])
    n_wires = sum(q[st.base] for _, st in diag.wires)
    dev = qml.device("default.qubit", wires=n_wires)
    dev_img = qml.device("default.qubit", wires=q["s"])
    enc_circ = model.encoding_._circuit()
    box = model._box

    def word_slice(theta, w):
        info = model._types[model.vocabulary_[w]]
        p = info["circuit"].n_params
        k = info["words"].index(w)
        return info["circuit"], theta[info["offset"] + k * p: info["offset"] + (k + 1) * p]

    @qml.qnode(dev, diff_method="backprop", interface="autograd")
    def caption_state(theta, caption):
        d = parse(caption)
        starts, pos = [], 0
        for _, st in d.wires:
            starts.append(pos)
            pos += q[st.base]
        for i, w in enumerate(d.words):
            circ, ang = word_slice(theta, w)
            wires = [starts[k] + j for k, (wi, st) in enumerate(d.wires) if wi == i for j in range(q[st.base])]
            _apply(qml, circ, ang, wires)
        for a, b in d.cups:
            for j in range(q[d.wires[a][1].base]):
                qml.CNOT(wires=[starts[a] + j, starts[b] + j])
                qml.Hadamard(wires=starts[a] + j)
        return qml.state()

    @qml.qnode(dev_img, diff_method="backprop", interface="autograd")
    def image_state(theta, angles):
        _apply(qml, enc_circ, angles, list(range(q["s"])))
        _apply(qml, box, theta[model._box_offset:], list(range(q["s"])))
        return qml.state()

    post_index = {}

    def sentence(psi, caption):
        d = parse(caption)
        if caption not in post_index:
            starts, pos = [], 0
            for _, st in d.wires:
                starts.append(pos)
                pos += q[st.base]
            keep = [starts[d.output] + j for j in range(q["s"])]
            ids = [k for k in range(2**n_wires)
                   if all(((k >> (n_wires - 1 - b)) & 1) == 0 for b in range(n_wires) if b not in keep)]
            post_index[caption] = np.array(ids)
        return psi[post_index[caption]]

    angles = model.encoding_.angles(features)

    def loss(theta):
        total = 0.0
        for k in idx:
            c = sentence(caption_state(theta, pairs.captions[k]), pairs.captions[k])
            e = image_state(theta, angles[pairs.img[k]])
            o = pnp.sum(pnp.conj(c) * e)
            f = pnp.real(o * pnp.conj(o)) / pnp.real(pnp.sum(pnp.conj(c) * c))
            f = pnp.clip(f, 1e-7, 1 - 1e-7)
            y = pairs.labels[k]
            total = total - (y * pnp.log(f) + (1 - y) * pnp.log(1 - f))
        return total / len(idx)

    return loss


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--batch", type=int, default=32, help="pairs per training step")
    args = parser.parse_args(argv)
    import pennylane as qml
    from pennylane import numpy as pnp

    ds = make_datasets("relational", "binary", n_per_combination=20, flip_prob=0.1, noise_std=0.1, seed=0)
    model = CaptionModel(epochs=0, progress=False, seed=0).fit(ds["train"])
    pairs, feats = _Pairs(ds["train"]), ds["train"].features
    states = model._prepare(feats)
    idx = np.random.default_rng(0).choice(len(pairs.cap), size=args.batch, replace=False)
    theta = model.params_.copy()

    ours_loss, ours_grad = model._loss_grad(theta, pairs, states, idx)
    pl_loss_fn = pennylane_loss_fn(model, pairs, idx, feats)
    pl_theta = pnp.array(theta, requires_grad=True)
    pl_grad = qml.grad(pl_loss_fn)(pl_theta)
    assert abs(float(pl_loss_fn(pl_theta)) - ours_loss) < 1e-8, "losses differ"
    assert np.allclose(pl_grad, ours_grad, atol=1e-8), "gradients differ"

    reps_q, reps_p = (20, 1) if args.quick else (200, 3)
    t0 = time.perf_counter()
    for _ in range(reps_q):
        model._loss_grad(theta, pairs, states, idx)
    t_q = (time.perf_counter() - t0) / reps_q
    t0 = time.perf_counter()
    for _ in range(reps_p):
        qml.grad(pl_loss_fn)(pl_theta)
    t_p = (time.perf_counter() - t0) / reps_p
    print(f"circuits: {model.qubits_} qubits per type, Sim4 x{model.n_layers} words, Sim4 image box; "
          f"{len(theta)} parameters; batch {args.batch} pairs; loss and gradients agree to 1e-8")
    print(f"qinfo (batched numpy, adjoint)       : {args.batch / t_q:10.1f} samples/s")
    print(f"PennyLane default.qubit (backprop)    : {args.batch / t_p:10.1f} samples/s")
    print(f"ratio                                 : {t_p / t_q:10.1f}x")


if __name__ == "__main__":
    main()
