"""Circuit shapes and fidelity-test circuits.

Compile once, run many: a state circuit is reduced to its *shape* (gate names
and wires, every angle replaced by a generic parameter) plus the list of its
angles. Circuits with the same shape share one transpiled ISA circuit; only
the angle values change from one caption or image to the next, and they are
sent as a parameter array.

The fidelity of a post-selected state ``|s>`` (qubits ``sentence_qubits`` of
a circuit whose ``postselect_qubits`` are projected on ``|0>``) with a state
``|i>`` prepared by a second circuit is read from one of three test circuits,
chosen by ``method``:

``"swap"``
    The SWAP test: an ancilla in ``|+>`` controls a SWAP of the two
    registers; ``P(ancilla = 1) = (1 - F) / 2``.
``"destructive_swap"``
    The ancilla-free SWAP test (Bell-basis measurement of each qubit pair,
    Garcia-Escartin and Chamorro-Posada 2013): ``CX(s_k, i_k); H(s_k)`` then
    measure everything; ``F = 1 - 2 P(odd number of pairs reading 11)``.
``"inverse"``
    Compute-uncompute: apply the inverse of the image circuit on the sentence
    wires; ``F = P(sentence wires read 0...0)``. Uses no extra qubits.

In every case the post-selection qubits are measured too and the estimate is
renormalised over the shots where they all read 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from qinfo._optional import require

__all__ = [
    "METHODS",
    "CircuitShape",
    "FidelityTest",
    "circuit_shape",
    "fidelity_test",
    "state_wires",
]

#: Fidelity-test circuits, by the name passed as ``method=``.
METHODS = ("destructive_swap", "swap", "inverse")

_MAX_DECOMPOSE = 12


@dataclass(frozen=True)
class CircuitShape:
    """A state circuit with every angle replaced by a generic parameter.

    Attributes
    ----------
    key : tuple
        Hashable description of the gate sequence (names and wires).
    circuit : qiskit.QuantumCircuit
        The template, with parameters ``t[0], t[1], ...`` in gate order.
    angles : tuple
        The original angles (floats or parameter expressions) in the same
        order as the template's parameters.
    """

    key: tuple
    circuit: Any
    angles: tuple

    def angle_values(self, parameter_values: Mapping[str, float]) -> np.ndarray:
        """Numeric angles with the named parameters bound from ``parameter_values``."""
        out = np.empty(len(self.angles))
        for k, a in enumerate(self.angles):
            out[k] = a if isinstance(a, float) else _bind_expression(a, parameter_values)
        return out


@dataclass(frozen=True)
class FidelityTest:
    """A measured fidelity-test circuit with generic parameters.

    Attributes
    ----------
    key : tuple
        ``(method, state shape key, reference shape key)``.
    circuit : qiskit.QuantumCircuit
        Measures the post-selection qubits into register ``post`` (absent when
        nothing is post-selected) and the test qubits into register ``test``.
    method : str
        One of :data:`METHODS`.
    num_parameters : int
        Length of a row of parameter values (state angles then reference angles).
    """

    key: tuple
    circuit: Any
    method: str
    num_parameters: int


def state_wires(circuit) -> tuple[list[int], list[int]]:
    """Sentence and post-selection qubits of a state circuit, from its metadata.

    Without metadata every qubit is a sentence qubit and none is post-selected.

    Examples
    --------
    >>> from qiskit import QuantumCircuit
    >>> qc = QuantumCircuit(3, metadata={"sentence_qubits": [2], "postselect_qubits": [0, 1]})
    >>> state_wires(qc)
    ([2], [0, 1])
    """
    meta = circuit.metadata or {}
    post = [int(q) for q in meta.get("postselect_qubits", [])]
    sentence = meta.get("sentence_qubits")
    if sentence is None:
        sentence = [q for q in range(circuit.num_qubits) if q not in set(post)]
    sentence = [int(q) for q in sentence]
    wires = sentence + post
    if len(set(wires)) != len(wires) or any(not 0 <= q < circuit.num_qubits for q in wires):
        raise ValueError(
            "circuit.metadata: sentence_qubits and postselect_qubits must be distinct qubit "
            f"indices below {circuit.num_qubits}, got {sentence} and {post}"
        )
    return sentence, post


def circuit_shape(circuit) -> CircuitShape:
    """Reduce a state circuit to its shape and its angles.

    Non-standard gates are decomposed until only Qiskit standard gates remain;
    the global phase is dropped (it does not change any probability).

    Parameters
    ----------
    circuit : qiskit.QuantumCircuit
        Unitary state preparation, no measurements or resets.

    Examples
    --------
    >>> from qiskit import QuantumCircuit
    >>> a, b = QuantumCircuit(1), QuantumCircuit(1)
    >>> _ = a.ry(0.1, 0); _ = b.ry(2.0, 0)
    >>> circuit_shape(a).key == circuit_shape(b).key
    True
    >>> circuit_shape(b).angles
    (2.0,)
    """
    qiskit = require("qiskit", feature="circuit_shape")
    QuantumCircuit = qiskit.QuantumCircuit
    ParameterExpression, ParameterVector = qiskit.circuit.ParameterExpression, qiskit.circuit.ParameterVector
    get_standard_gate_name_mapping = require("qiskit.circuit.library").get_standard_gate_name_mapping

    if not isinstance(circuit, QuantumCircuit):
        raise TypeError(f"circuit must be a qiskit QuantumCircuit, got {type(circuit).__name__}")
    standard = get_standard_gate_name_mapping()
    allowed = set(standard) - {"measure", "reset", "delay"} | {"barrier"}
    flat = circuit
    for _ in range(_MAX_DECOMPOSE):
        bad = {i.operation.name for i in flat.data if i.operation.name not in allowed}
        if not bad:
            break
        if bad & {"measure", "reset"}:
            raise ValueError(
                f"circuit {circuit.name!r} must be a unitary state preparation; it contains "
                f"{sorted(bad & {'measure', 'reset'})}"
            )
        flat = flat.decompose(gates_to_decompose=sorted(bad))
    else:
        raise ValueError(f"circuit {circuit.name!r}: could not decompose gates {sorted(bad)}")

    n_angles = sum(len(i.operation.params) for i in flat.data if i.operation.name != "barrier")
    theta = ParameterVector("t", n_angles)
    template = QuantumCircuit(flat.num_qubits)
    key: list[tuple] = [("qubits", flat.num_qubits)]
    angles: list[Any] = []
    for inst in flat.data:
        op = inst.operation
        wires = tuple(flat.find_bit(q).index for q in inst.qubits)
        if op.name == "barrier":
            template.barrier(*wires)
            key.append(("barrier", wires))
            continue
        params = []
        for p in op.params:
            if isinstance(p, ParameterExpression):
                value = float(p) if not p.parameters else p
            else:
                value = float(p)
            angles.append(value)
            params.append(theta[len(angles) - 1])
        gate = standard[op.name].base_class(*params) if params else standard[op.name]
        template.append(gate, wires)
        key.append((op.name, wires))
    return CircuitShape(key=tuple(key), circuit=template, angles=tuple(angles))


def fidelity_test(state: CircuitShape, state_circuit, reference: CircuitShape, method: str) -> FidelityTest:
    """Build the measured test circuit comparing a post-selected state with a reference.

    Parameters
    ----------
    state : CircuitShape
        Shape of the circuit preparing the (unnormalised) sentence state.
    state_circuit : qiskit.QuantumCircuit
        The original state circuit (for its ``sentence_qubits`` and
        ``postselect_qubits`` metadata).
    reference : CircuitShape
        Shape of the reference (image) state circuit, one qubit per sentence
        qubit.
    method : {"destructive_swap", "swap", "inverse"}

    Examples
    --------
    >>> from qiskit import QuantumCircuit
    >>> s, r = QuantumCircuit(2, metadata={"sentence_qubits": [1], "postselect_qubits": [0]}), QuantumCircuit(1)
    >>> _ = s.ry(0.3, 1); _ = r.ry(0.5, 0)
    >>> test = fidelity_test(circuit_shape(s), s, circuit_shape(r), "swap")
    >>> test.circuit.num_qubits, [c.name for c in test.circuit.cregs]
    (4, ['post', 'test'])
    """
    qiskit = require("qiskit", feature="fidelity_test")
    ClassicalRegister, QuantumCircuit, QuantumRegister = (qiskit.ClassicalRegister, qiskit.QuantumCircuit,
                                                          qiskit.QuantumRegister)
    ParameterVector = qiskit.circuit.ParameterVector

    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
    sentence, post = state_wires(state_circuit)
    n_s, n_state = len(sentence), state.circuit.num_qubits
    if reference.circuit.num_qubits != n_s:
        raise ValueError(
            f"reference circuit has {reference.circuit.num_qubits} qubits but the state circuit "
            f"has {n_s} sentence qubits; they must match"
        )
    k_s, k_r = len(state.angles), len(reference.angles)
    theta = ParameterVector("x", k_s + k_r)
    state_gate = state.circuit.assign_parameters(list(theta[:k_s])) if k_s else state.circuit
    ref = reference.circuit.assign_parameters(list(theta[k_s:])) if k_r else reference.circuit

    qs = QuantumRegister(n_state, "s")
    regs = [qs]
    if method in ("swap", "destructive_swap"):
        qi = QuantumRegister(n_s, "i")
        regs.append(qi)
    if method == "swap":
        qa = QuantumRegister(1, "a")
        regs.append(qa)
    # no empty "post" register: IBM Runtime refuses size-0 classical registers
    c_post = [ClassicalRegister(len(post), "post")] if post else []
    n_test = {"swap": 1, "destructive_swap": 2 * n_s, "inverse": n_s}[method]
    c_test = ClassicalRegister(n_test, "test")
    qc = QuantumCircuit(*regs, *c_post, c_test, name=f"{method}_test")
    qc.compose(state_gate, qubits=list(qs), inplace=True)
    s_wires = [qs[q] for q in sentence]
    if method == "inverse":
        qc.compose(ref.inverse(), qubits=s_wires, inplace=True)
        qc.measure(s_wires, c_test)
    else:
        qc.compose(ref, qubits=list(qi), inplace=True)
        if method == "swap":
            qc.h(qa[0])
            for a, b in zip(s_wires, qi):
                qc.cswap(qa[0], a, b)
            qc.h(qa[0])
            qc.measure(qa[0], c_test[0])
        else:
            for k, (a, b) in enumerate(zip(s_wires, qi)):
                qc.cx(a, b)
                qc.h(a)
                qc.measure(a, c_test[2 * k])
                qc.measure(b, c_test[2 * k + 1])
    if post:
        qc.measure([qs[q] for q in post], c_post[0])
    return FidelityTest(
        key=(method, state.key, reference.key, tuple(sentence), tuple(post)),
        circuit=qc,
        method=method,
        num_parameters=k_s + k_r,
    )


def _bind_expression(expr, values: Mapping[str, float]) -> float:
    missing = [p.name for p in expr.parameters if p.name not in values]
    if missing:
        raise ValueError(f"parameter_values is missing values for parameters {sorted(missing)}")
    return float(expr.bind({p: float(values[p.name]) for p in expr.parameters}))


def stack_angles(shapes: Sequence[CircuitShape], parameter_values: Mapping[str, float]) -> np.ndarray:
    """Concatenated numeric angles of several shapes (one row of a parameter array)."""
    parts = [s.angle_values(parameter_values) for s in shapes]
    return np.concatenate(parts) if parts else np.empty(0)
