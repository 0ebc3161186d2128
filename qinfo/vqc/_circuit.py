"""A flat gate list: the one circuit representation the simulator and the exporter share.

A :class:`Circuit` is a number of qubits and a tuple of :class:`Op`. A
parametrised op reads its angle from position ``param`` of an angle vector
supplied at run time, so the same compiled circuit serves every word of a
type (one angle vector per word) or every image (one vector per image).

Qubit ``0`` is the most significant bit of a state vector here (big-endian,
as in a ``numpy`` reshape to ``(2,) * n``); Qiskit counts the other way, which
:func:`to_qiskit` and :func:`statevector_to_numpy` take care of.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from qinfo._optional import require

__all__ = ["Op", "Circuit", "GATES", "to_qiskit", "statevector_to_numpy"]

#: gate name -> (number of qubits, parametrised?)
GATES: dict[str, tuple[int, bool]] = {
    "h": (1, False), "x": (1, False), "cx": (2, False), "cz": (2, False),
    "rx": (1, True), "ry": (1, True), "rz": (1, True),
    "crx": (2, True), "cry": (2, True), "crz": (2, True), "rzz": (2, True),
}


@dataclass(frozen=True)
class Op:
    """One gate of a :class:`Circuit`.

    Rotations follow Qiskit: ``rx(t) = exp(-i t X / 2)``, ``rzz(t) = exp(-i t Z Z / 2)``.

    Parameters
    ----------
    gate : str
        A name in ``GATES``: h, x, cx, cz, rx, ry, rz, crx, cry, crz, rzz.
    qubits : tuple of int
        The qubits it acts on, control first.
    param : int, optional
        Position of its angle in the angle vector (parametrised gates only).

    Examples
    --------
    >>> Op("crz", (0, 1), 0).qubits
    (0, 1)
    """

    gate: str
    qubits: tuple[int, ...]
    param: int | None = None

    def __post_init__(self):
        if self.gate not in GATES:
            raise ValueError(f"gate must be one of {sorted(GATES)}, got {self.gate!r}")
        arity, parametrised = GATES[self.gate]
        if len(self.qubits) != arity or len(set(self.qubits)) != arity:
            raise ValueError(f"gate {self.gate!r} needs {arity} distinct qubits, got {self.qubits}")
        if parametrised != (self.param is not None):
            raise ValueError(f"gate {self.gate!r} {'needs' if parametrised else 'takes no'} param")


@dataclass(frozen=True)
class Circuit:
    """A gate list on ``n_qubits`` reading ``n_params`` angles.

    Parameters
    ----------
    n_qubits : int
        Number of qubits; qubit 0 is the most significant bit of a state vector.
    ops : tuple of Op
        The gates, in order.
    n_params : int
        Length of the angle vector the gates read.

    Examples
    --------
    >>> c = Circuit(2, (Op("h", (0,)), Op("crz", (0, 1), 0)), n_params=1)
    >>> c.n_qubits, c.n_params, len(c.ops)
    (2, 1, 2)
    """

    n_qubits: int
    ops: tuple[Op, ...]
    n_params: int

    def __post_init__(self):
        for op in self.ops:
            if max(op.qubits) >= self.n_qubits:
                raise ValueError(f"op {op} acts outside {self.n_qubits} qubits")
            if op.param is not None and not 0 <= op.param < self.n_params:
                raise ValueError(f"op {op} reads param outside range({self.n_params})")

    def then(self, other: "Circuit") -> "Circuit":
        """``self`` followed by ``other`` on the same qubits; ``other``'s angles come after.

        Parameters
        ----------
        other : Circuit
            A circuit on as many qubits.

        Returns
        -------
        Circuit

        Examples
        --------
        >>> c = Circuit(1, (Op("rx", (0,), 0),), n_params=1)
        >>> c.then(c).ops[1]
        Op(gate='rx', qubits=(0,), param=1)
        """
        if other.n_qubits != self.n_qubits:
            raise ValueError("circuits to chain must have the same number of qubits")
        shifted = tuple(Op(o.gate, o.qubits, None if o.param is None else o.param + self.n_params)
                        for o in other.ops)
        return Circuit(self.n_qubits, self.ops + shifted, self.n_params + other.n_params)


_QISKIT_NAMES = {"h": "h", "x": "x", "cx": "cx", "cz": "cz", "rx": "rx", "ry": "ry",
                 "rz": "rz", "crx": "crx", "cry": "cry", "crz": "crz", "rzz": "rzz"}


def to_qiskit(circuit: Circuit, angles: Sequence, qc=None, qubits: Sequence[int] | None = None):
    """Append ``circuit`` to a :class:`qiskit.QuantumCircuit`.

    Parameters
    ----------
    circuit : Circuit
        The gate list.
    angles : sequence
        One entry per parameter: a float or a :class:`qiskit.circuit.Parameter`.
    qc : qiskit.QuantumCircuit, optional
        Circuit to append to; a new one on ``circuit.n_qubits`` qubits by default.
    qubits : sequence of int, optional
        Where qubit ``i`` of ``circuit`` goes in ``qc`` (default: the same index).

    Returns
    -------
    qiskit.QuantumCircuit

    Examples
    --------
    >>> c = Circuit(1, (Op("rx", (0,), 0),), n_params=1)
    >>> to_qiskit(c, [0.5]).count_ops()["rx"]
    1
    """
    QuantumCircuit = require("qiskit", feature="to_qiskit").QuantumCircuit

    if len(angles) != circuit.n_params:
        raise ValueError(f"angles must have {circuit.n_params} entries, got {len(angles)}")
    if qc is None:
        qc = QuantumCircuit(circuit.n_qubits)
    where = list(range(circuit.n_qubits)) if qubits is None else list(qubits)
    if len(where) != circuit.n_qubits:
        raise ValueError(f"qubits must list {circuit.n_qubits} indices, got {len(where)}")
    for op in circuit.ops:
        args = [] if op.param is None else [angles[op.param]]
        getattr(qc, _QISKIT_NAMES[op.gate])(*args, *[where[q] for q in op.qubits])
    return qc


def statevector_to_numpy(data, n_qubits: int) -> np.ndarray:
    """Reorder a Qiskit (little-endian) amplitude vector to this module's big-endian order.

    Examples
    --------
    >>> statevector_to_numpy(np.array([0, 1, 0, 0]), 2)  # |q0=1, q1=0> in Qiskit
    array([0, 0, 1, 0])
    """
    arr = np.asarray(data).reshape((2,) * n_qubits)
    return arr.transpose(tuple(range(n_qubits - 1, -1, -1))).reshape(-1)
