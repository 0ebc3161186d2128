"""Readout-error mitigation from a measured confusion matrix, one 2x2 matrix per qubit.

Neither IBM Runtime sampler (the executor ``Sampler`` nor ``SamplerV2``)
offers readout mitigation, so qinfo does it on the client, in the same jobs:

1. two calibration circuits per circuit width run next to the fidelity tests,
   on the same backend with the same shots and options: one measures the
   measured qubits in ``|0...0>``, the other after an ``x`` on each
   (:func:`calibration_circuits`);
2. they give, per qubit ``q``, ``p01[q] = P(read 1 | prepared 0)`` and
   ``p10[q] = P(read 0 | prepared 1)`` (:class:`ReadoutCalibration`), i.e. the
   confusion matrix ``A_q = [[1 - p01, p10], [p01, 1 - p10]]`` (column: the
   prepared bit, row: the bit read);
3. each outcome table is corrected by the inverse of the tensor product of
   the ``A_q`` of its measured qubits and projected onto the nearest
   probability distribution in Euclidean distance (Smolin, Gambetta, Smith,
   PRL 108, 070502 (2012)), then scaled back to the measured shots.

The model is *tensored*: readout errors of different qubits are taken as
independent (correlated readout errors are not corrected). The standard
error of each corrected fidelity is the delta-method error of the ratio of
two linear functions of the raw counts, so it includes the noise the
inversion amplifies; it leaves out the calibration's own shot noise (whose
share falls as ``1/shots`` like the rest) and the small bias of the
projection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from qinfo._optional import require
from qinfo.vqc._execution.fidelity import Outcomes, indicator

__all__ = [
    "MAX_MITIGATED_BITS",
    "CalibrationTest",
    "ReadoutCalibration",
    "calibration_circuits",
    "nearest_probability",
]

#: Most measured bits per circuit that :meth:`ReadoutCalibration.mitigate`
#: corrects (it builds the dense distribution, ``2**bits`` entries).
MAX_MITIGATED_BITS = 20


@dataclass(frozen=True)
class CalibrationTest:
    """A calibration circuit in the place of a fidelity test (``key`` and ``circuit``)."""

    key: tuple
    circuit: object
    method: str = "readout calibration"


def calibration_circuits(num_qubits: int, qubits: Sequence[int]) -> tuple[CalibrationTest, CalibrationTest]:
    """The two readout-calibration circuits: ``qubits`` measured in ``|0>``, then after ``x``.

    Both act on ``num_qubits`` qubits (the width of the circuits they
    calibrate, so no layout is applied to them) and measure qubit
    ``qubits[j]`` into bit ``j`` of a register named ``test``. They use only
    ``x`` and ``measure``, which every IBM device and simulator supports.

    Examples
    --------
    >>> zero, one = calibration_circuits(5, [3, 1])
    >>> one.circuit.count_ops()["x"], zero.circuit.num_clbits, zero.key
    (2, 2, ('readout', 5, (3, 1), 0))
    """
    qiskit = require("qiskit", feature="readout_mitigation")
    ClassicalRegister, QuantumCircuit, QuantumRegister = (qiskit.ClassicalRegister, qiskit.QuantumCircuit,
                                                          qiskit.QuantumRegister)

    qubits = tuple(int(q) for q in qubits)
    if not qubits or len(set(qubits)) != len(qubits) or min(qubits) < 0 or max(qubits) >= num_qubits:
        raise ValueError(f"qubits must be distinct indices below num_qubits={num_qubits}, got {list(qubits)}")
    out = []
    for prepared in (0, 1):
        qc = QuantumCircuit(QuantumRegister(num_qubits, "q"), ClassicalRegister(len(qubits), "test"))
        if prepared:
            for q in qubits:
                qc.x(q)
        for j, q in enumerate(qubits):
            qc.measure(q, j)
        out.append(CalibrationTest(("readout", num_qubits, qubits, prepared), qc))
    return out[0], out[1]


def nearest_probability(quasi: np.ndarray) -> np.ndarray:
    """The probability vector nearest to ``quasi`` (summing to 1) in Euclidean distance.

    Sort-based projection onto the simplex; for a vector that sums to 1 this
    is the algorithm of Smolin, Gambetta and Smith (2012).

    Examples
    --------
    >>> nearest_probability(np.array([0.6, 0.5, -0.1])).round(6).tolist()
    [0.55, 0.45, 0.0]
    """
    v = np.asarray(quasi, dtype=float)
    u = np.sort(v)[::-1]
    css = np.cumsum(u) - 1.0
    j = np.arange(1, len(u) + 1)
    rho = np.flatnonzero(u - css / j > 0)[-1]
    return np.maximum(v - css[rho] / (rho + 1), 0.0)


@dataclass(frozen=True)
class ReadoutCalibration:
    """Per-qubit readout error rates measured by the calibration circuits.

    Attributes
    ----------
    qubits : tuple of int
        The calibrated qubits (indices in the circuits that ran).
    p01, p10 : numpy.ndarray
        ``P(read 1 | prepared 0)`` and ``P(read 0 | prepared 1)`` per qubit.
    shots : int
        Shots of each calibration circuit.

    Examples
    --------
    >>> cal = ReadoutCalibration((0,), np.array([0.1]), np.array([0.2]), 1000)
    >>> truth = Outcomes(np.zeros((2, 0), bool), np.array([[False], [True]]), np.array([500.0, 500.0]))
    >>> read = Outcomes(truth.post, truth.test, np.array([0.9 * 500 + 0.2 * 500, 0.1 * 500 + 0.8 * 500]))
    >>> cal.mitigate(read, [0]).weights.round(6).tolist()
    [500.0, 500.0]
    """

    qubits: tuple[int, ...]
    p01: np.ndarray
    p10: np.ndarray
    shots: int

    @classmethod
    def from_outcomes(cls, qubits: Sequence[int], zero: Outcomes, one: Outcomes) -> "ReadoutCalibration":
        """Error rates from the outcome tables of the two :func:`calibration_circuits`."""
        qubits = tuple(int(q) for q in qubits)
        rates = []
        for table, prepared in ((zero, 0), (one, 1)):
            total = table.weights.sum()
            if table.test.shape[1] != len(qubits) or total <= 0:
                raise ValueError(f"calibration outcomes must have {len(qubits)} bits and shots")
            wrong = table.weights @ (table.test != bool(prepared)) / total
            rates.append(np.asarray(wrong, dtype=float))
        return cls(qubits, rates[0], rates[1], int(round(zero.weights.sum())))

    def matrices(self) -> np.ndarray:
        """The confusion matrices, shape ``(len(qubits), 2, 2)``: ``[q, read, prepared]``."""
        return np.stack([np.array([[1 - a, b], [a, 1 - b]]) for a, b in zip(self.p01, self.p10)])

    def to_dict(self) -> dict:
        """Plain-JSON form (qubits, error rates, shots)."""
        return {"qubits": list(self.qubits), "p01": self.p01.tolist(), "p10": self.p10.tolist(),
                "shots": self.shots}

    def _inverse(self, vector: np.ndarray, measured: Sequence[int], *, transpose: bool = False) -> np.ndarray:
        """Apply the inverse confusion of the measured bits (or its transpose) to a dense vector.

        Entry ``i`` of ``vector`` belongs to the bit string with bit ``j`` =
        ``(i >> j) & 1``, bit ``j`` read from qubit ``measured[j]``.
        """
        n = len(measured)
        if n > MAX_MITIGATED_BITS:
            raise ValueError(f"readout_mitigation corrects at most {MAX_MITIGATED_BITS} measured bits "
                             f"per circuit, these circuits measure {n}")
        where = {q: k for k, q in enumerate(self.qubits)}
        missing = sorted(set(measured) - set(where))
        if missing:
            raise ValueError(f"qubits {missing} were not calibrated")
        out = np.asarray(vector, dtype=float).reshape((2,) * n)  # axis n-1-j holds bit j
        mats = self.matrices()
        for j, q in enumerate(measured):
            a = mats[where[q]]
            if abs(np.linalg.det(a)) < 1e-9:
                raise ValueError(f"readout of qubit {q} carries no information "
                                 f"(p01 + p10 = {self.p01[where[q]] + self.p10[where[q]]:.3f})")
            inv = np.linalg.inv(a).T if transpose else np.linalg.inv(a)
            out = np.moveaxis(np.tensordot(inv, out, axes=([1], [n - 1 - j])), 0, n - 1 - j)
        return out.reshape(-1)

    def mitigate(self, outcomes: Outcomes, measured: Sequence[int], method: str | None = None) -> Outcomes:
        """Correct one outcome table; ``measured[j]`` is the qubit read into bit ``j``.

        Bits are the ``post`` bits then the ``test`` bits of ``outcomes``. The
        corrected weights sum to the measured shots. With ``method`` (a
        fidelity test), the table also carries the delta-method standard
        error of its post-selected indicator mean, computed from the raw
        counts through the same linear correction (without the projection
        and without the calibration's own uncertainty).
        """
        n_post, n_test = outcomes.post.shape[1], outcomes.test.shape[1]
        n = n_post + n_test
        if len(measured) != n:
            raise ValueError(f"measured names {len(measured)} qubits for {n} bits")
        total = outcomes.weights.sum()
        index = _index(np.concatenate([outcomes.post, outcomes.test], axis=1))
        raw = outcomes.weights / total
        dist = np.bincount(index, weights=raw, minlength=2**n)
        probs = nearest_probability(self._inverse(dist, measured))
        keep = np.flatnonzero(probs > 0)
        rows = _bits(keep, n)
        stderr = None
        if method is not None:
            every = _bits(np.arange(2**n), n)
            kept = ~every[:, :n_post].any(axis=1)
            # q = (a . p) / (b . p) with a, b the inverse confusion's transpose applied to the
            # indicator and the post-selection mask; Var q = sum p (a - q b)^2 / (N (b . p)^2)
            a = self._inverse(kept & indicator(method, every[:, n_post:]), measured, transpose=True)[index]
            b = self._inverse(kept, measured, transpose=True)[index]
            mass = raw @ b
            if mass > 0:
                q = (raw @ a) / mass
                stderr = float(np.sqrt(raw @ (a - q * b) ** 2 / total) / mass)
        return Outcomes(rows[:, :n_post], rows[:, n_post:], probs[keep] * total, stderr)


def _index(bits: np.ndarray) -> np.ndarray:
    return bits.astype(np.int64) @ (1 << np.arange(bits.shape[1], dtype=np.int64))


def _bits(index: np.ndarray, n: int) -> np.ndarray:
    return ((index[:, None] >> np.arange(n)) & 1).astype(bool)
