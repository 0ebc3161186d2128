"""Batched state-vector simulation of flat gate lists, and adjoint gradients, compiled with Numba.

A circuit is four arrays of equal length (one entry per gate): ``codes``
(see :data:`GATE_CODES`), ``q0`` and ``q1`` (target, or control then
target; ``q1 = -1`` for one-qubit gates) and ``pidx`` (index of the angle,
``-1`` for fixed gates). States are ``(batch, 2**n)`` complex arrays with
qubit 0 the most significant bit; angles are ``(batch, n_params)``.
Rotations follow Qiskit: ``rx(t) = exp(-i t X / 2)``, ``rzz(t) = exp(-i t Z Z / 2)``.
The whole circuit runs inside one compiled loop, so a gate costs a pass
over the amplitudes and no Python call.

Kernels
-------
run_circuit
    Apply the circuit in place (or its inverse, gates reversed and angles negated).
adjoint_gradient
    Gradient of ``Re <lam | psi>``-type losses by the adjoint method: one
    backward sweep that un-computes the state and the cotangent together.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["GATE_CODES", "run_circuit", "adjoint_gradient"]

#: gate name -> integer code used by the kernels.
GATE_CODES = {"h": 0, "x": 1, "cx": 2, "cz": 3, "rx": 4, "ry": 5, "rz": 6, "crx": 7, "cry": 8, "crz": 9,
              "rzz": 10}
_SQ2 = 1.0 / np.sqrt(2.0)


@njit(cache=True)
def _matrix(code, theta):
    """2x2 matrix (m00, m01, m10, m11) of a one-qubit (or controlled) gate."""
    if code == 0:
        return _SQ2 + 0j, _SQ2 + 0j, _SQ2 + 0j, -_SQ2 + 0j
    if code == 1 or code == 2:
        return 0j, 1 + 0j, 1 + 0j, 0j
    if code == 3:
        return 1 + 0j, 0j, 0j, -1 + 0j
    c = np.cos(theta / 2)
    s = np.sin(theta / 2)
    if code == 4 or code == 7:
        return c + 0j, -1j * s, -1j * s, c + 0j
    if code == 5 or code == 8:
        return c + 0j, -s + 0j, s + 0j, c + 0j
    return np.exp(-0.5j * theta), 0j, 0j, np.exp(0.5j * theta)


@njit(cache=True)
def _apply(v, b, n, code, q0, q1, theta):
    """One gate on row ``b`` of ``v``."""
    dim = v.shape[1]
    if code == 10:
        ma = 1 << (n - 1 - q0)
        mb = 1 << (n - 1 - q1)
        ph_same = np.exp(-0.5j * theta)
        ph_diff = np.exp(0.5j * theta)
        for i in range(dim):
            if ((i & ma) != 0) == ((i & mb) != 0):
                v[b, i] *= ph_same
            else:
                v[b, i] *= ph_diff
        return
    controlled = code == 2 or code == 3 or code >= 7
    target = q1 if controlled else q0
    mt = 1 << (n - 1 - target)
    mc = (1 << (n - 1 - q0)) if controlled else 0
    m00, m01, m10, m11 = _matrix(code, theta)
    for i in range(dim):
        if (i & mt) != 0 or (i & mc) != mc:
            continue
        j = i | mt
        a0 = v[b, i]
        a1 = v[b, j]
        v[b, i] = m00 * a0 + m01 * a1
        v[b, j] = m10 * a0 + m11 * a1


@njit(cache=True)
def run_circuit(v, n, codes, q0, q1, pidx, params, inverse):
    """Apply the circuit to every row of ``v`` in place (``inverse``: the adjoint circuit)."""
    n_ops = codes.shape[0]
    for b in range(v.shape[0]):
        for k in range(n_ops):
            g = n_ops - 1 - k if inverse else k
            theta = 0.0 if pidx[g] < 0 else params[b, pidx[g]]
            _apply(v, b, n, codes[g], q0[g], q1[g], -theta if inverse else theta)


@njit(cache=True)
def _generator_term(psi, lam, b, n, code, q0, q1):
    """``sum Im(conj(lam) * P psi)`` for the generator ``P`` of a rotation (X, Y, Z, ZZ; controlled: projected)."""
    dim = psi.shape[1]
    acc = 0.0
    if code == 10:
        ma = 1 << (n - 1 - q0)
        mb = 1 << (n - 1 - q1)
        for i in range(dim):
            z = 1.0 if ((i & ma) != 0) == ((i & mb) != 0) else -1.0
            acc += z * (np.conj(lam[b, i]) * psi[b, i]).imag
        return acc
    controlled = code >= 7
    target = q1 if controlled else q0
    mt = 1 << (n - 1 - target)
    mc = (1 << (n - 1 - q0)) if controlled else 0
    kind = (code - 4) % 3  # 0 X, 1 Y, 2 Z
    for i in range(dim):
        if (i & mc) != mc:
            continue
        if kind == 0:
            p = psi[b, i ^ mt]
        elif kind == 1:
            p = 1j * psi[b, i ^ mt] if (i & mt) != 0 else -1j * psi[b, i ^ mt]
        else:
            p = -psi[b, i] if (i & mt) != 0 else psi[b, i]
        acc += (np.conj(lam[b, i]) * p).imag
    return acc


@njit(cache=True)
def adjoint_gradient(psi, lam, n, codes, q0, q1, pidx, params, grad):
    """Accumulate into ``grad`` (batch, n_params) the angle gradients; ``psi`` (final states) and
    ``lam`` (cotangents) are overwritten by the initial states and the pulled-back cotangents."""
    n_ops = codes.shape[0]
    for b in range(psi.shape[0]):
        for k in range(n_ops - 1, -1, -1):
            theta = 0.0 if pidx[k] < 0 else params[b, pidx[k]]
            if pidx[k] >= 0:
                # d/dtheta exp(-i theta P/2) psi_in = -i/2 P psi_out (P commutes with the gate)
                grad[b, pidx[k]] += 0.5 * _generator_term(psi, lam, b, n, codes[k], q0[k], q1[k])
            _apply(psi, b, n, codes[k], q0[k], q1[k], -theta)
            _apply(lam, b, n, codes[k], q0[k], q1[k], -theta)
