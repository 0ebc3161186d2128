"""Fast batched exact state-vector simulation with adjoint-method gradients.

Training never builds a whole caption circuit: each word's ansatz is simulated
once per step for all words of a type at once (a batch of small state vectors),
the image box once for a batch of images, and the cups are contractions of
those states (see :mod:`qinfo.vqc.model`). This module does the state-vector
part: :func:`simulate` runs a :class:`~qinfo.vqc.circuit.Circuit` on a batch,
:func:`simulate_vjp` returns the gradient of a real loss with respect to the
angles by the adjoint method (one backward sweep that un-computes the state;
no parameter shift, no stored intermediate states).

Gradient convention: for a real loss ``L`` of a complex state ``psi`` the
cotangent is ``G = dL/dRe(psi) + 1j * dL/dIm(psi)``, so that
``dL = Re(sum(conj(G) * dpsi))``.
"""

from __future__ import annotations

import numpy as np

from .circuit import Circuit

__all__ = ["simulate", "simulate_vjp", "zero_state"]

_SQ2 = 1.0 / np.sqrt(2.0)
_H = np.array([[_SQ2, _SQ2], [_SQ2, -_SQ2]], dtype=complex)
_X = np.array([[0, 1], [1, 0]], dtype=complex)
_Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
_Z = np.array([[1, 0], [0, -1]], dtype=complex)
_GEN = {"rx": _X, "ry": _Y, "rz": _Z, "crx": _X, "cry": _Y, "crz": _Z}


def zero_state(n_qubits: int, batch: int = 1) -> np.ndarray:
    """``batch`` copies of ``|0...0>`` as a ``(batch, 2**n_qubits)`` complex array.

    Examples
    --------
    >>> zero_state(1, 2)
    array([[1.+0.j, 0.+0.j],
           [1.+0.j, 0.+0.j]])
    """
    out = np.zeros((batch, 2**n_qubits), dtype=complex)
    out[:, 0] = 1.0
    return out


def _rotation(gate: str, theta: np.ndarray) -> np.ndarray:
    """Matrices ``exp(-i theta P / 2)``; ``theta`` of shape (B,) or () -> (..., 2, 2)."""
    c = np.cos(theta / 2)
    s = np.sin(theta / 2)
    m = np.zeros(np.shape(theta) + (2, 2), dtype=complex)
    if gate.endswith("rx"):
        m[..., 0, 0] = c; m[..., 1, 1] = c; m[..., 0, 1] = -1j * s; m[..., 1, 0] = -1j * s
    elif gate.endswith("ry"):
        m[..., 0, 0] = c; m[..., 1, 1] = c; m[..., 0, 1] = -s; m[..., 1, 0] = s
    else:  # rz
        m[..., 0, 0] = np.exp(-0.5j * theta); m[..., 1, 1] = np.exp(0.5j * theta)
    return m


def _apply_1q(v: np.ndarray, axis: int, m: np.ndarray, ctrl: int | None = None) -> None:
    """In place: ``m`` (shape (2, 2) or (B, 2, 2)) on tensor ``axis`` of ``v`` (B, 2, ..., 2)."""
    i0 = [slice(None)] * v.ndim
    i1 = [slice(None)] * v.ndim
    i0[axis] = 0
    i1[axis] = 1
    if ctrl is not None:
        i0[ctrl] = 1
        i1[ctrl] = 1
    i0, i1 = tuple(i0), tuple(i1)
    a0 = v[i0].copy()
    a1 = v[i1].copy()
    if m.ndim == 3:
        shape = (m.shape[0],) + (1,) * (a0.ndim - 1)
        m00, m01, m10, m11 = (m[:, i, j].reshape(shape) for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)))
    else:
        m00, m01, m10, m11 = m[0, 0], m[0, 1], m[1, 0], m[1, 1]
    v[i0] = m00 * a0 + m01 * a1
    v[i1] = m10 * a0 + m11 * a1


def _zz_signs(n: int, a: int, b: int) -> np.ndarray:
    shape = [1] * (n + 1)
    za = np.ones(shape[:a + 1] + [2] + shape[a + 2:]); za.reshape(-1)[1] = -1
    zb = np.ones(shape[:b + 1] + [2] + shape[b + 2:]); zb.reshape(-1)[1] = -1
    return za * zb


def _apply(v: np.ndarray, op, theta, n: int, inverse: bool = False) -> None:
    g, q = op.gate, op.qubits
    if g == "h":
        _apply_1q(v, q[0] + 1, _H)
    elif g == "x":
        _apply_1q(v, q[0] + 1, _X)
    elif g == "cx":
        _apply_1q(v, q[1] + 1, _X, ctrl=q[0] + 1)
    elif g == "cz":
        _apply_1q(v, q[1] + 1, _Z, ctrl=q[0] + 1)
    elif g == "rzz":
        t = -theta if inverse else theta
        t = np.asarray(t).reshape((-1,) + (1,) * n) if np.ndim(t) else t
        v *= np.exp(-0.5j * t * _zz_signs(n, q[0], q[1]))
    else:
        m = _rotation(g, -theta if inverse else theta)
        if g[0] == "c":
            _apply_1q(v, q[1] + 1, m, ctrl=q[0] + 1)
        else:
            _apply_1q(v, q[0] + 1, m)


def _prepare(circuit: Circuit, params, initial):
    params = np.asarray(params, dtype=float)
    if params.ndim not in (1, 2) or params.shape[-1] != circuit.n_params:
        raise ValueError(f"params must have shape (n_params,) or (batch, n_params) with "
                         f"n_params={circuit.n_params}, got {params.shape}")
    if initial is None:
        batch = params.shape[0] if params.ndim == 2 else 1
        initial = zero_state(circuit.n_qubits, batch)
    initial = np.asarray(initial, dtype=complex)
    if initial.ndim != 2 or initial.shape[1] != 2**circuit.n_qubits:
        raise ValueError(f"initial must have shape (batch, {2**circuit.n_qubits}), got {initial.shape}")
    if params.ndim == 2 and params.shape[0] != initial.shape[0]:
        raise ValueError(f"params batch {params.shape[0]} != initial batch {initial.shape[0]}")
    return params, initial


def simulate(circuit: Circuit, params, initial=None) -> np.ndarray:
    """Run ``circuit`` on a batch of states.

    Parameters
    ----------
    circuit : Circuit
    params : array_like, shape (n_params,) or (batch, n_params)
        Shared angles, or one angle vector per batch entry.
    initial : array_like, shape (batch, 2**n_qubits), optional
        Input states (default ``|0...0>``, one per row of ``params``).

    Returns
    -------
    numpy.ndarray, shape (batch, 2**n_qubits)
        Output amplitudes, qubit 0 most significant.

    Examples
    --------
    >>> from qinfo.vqc.circuit import Circuit, Op
    >>> bell = Circuit(2, (Op("h", (0,)), Op("cx", (0, 1))), n_params=0)
    >>> np.round(simulate(bell, np.zeros(0)).real, 3)
    array([[0.707, 0.   , 0.   , 0.707]])
    """
    params, initial = _prepare(circuit, params, initial)
    n = circuit.n_qubits
    v = initial.reshape((initial.shape[0],) + (2,) * n).copy()
    for op in circuit.ops:
        theta = None if op.param is None else params[..., op.param]
        _apply(v, op, theta, n)
    return v.reshape(initial.shape[0], -1)


def simulate_vjp(circuit: Circuit, params, cotangent, initial=None, final=None) -> np.ndarray:
    """Gradient of a real loss with respect to the angles (adjoint method).

    Parameters
    ----------
    circuit, params, initial
        As for :func:`simulate`.
    cotangent : array_like, shape (batch, 2**n_qubits)
        ``dL/dRe(psi) + 1j dL/dIm(psi)`` at the output states ``psi``.
    final : array_like, optional
        The output of :func:`simulate` for these arguments (recomputed if omitted).

    Returns
    -------
    numpy.ndarray
        Same shape as ``params``: per-row gradients for batched angles, the
        sum over the batch for shared ones.

    Examples
    --------
    >>> from qinfo.vqc.circuit import Circuit, Op
    >>> c = Circuit(1, (Op("ry", (0,), 0),), n_params=1)
    >>> psi = simulate(c, [0.3])          # L = |<1|psi>|^2 = sin(0.15)^2
    >>> g = np.zeros_like(psi); g[0, 1] = 2 * psi[0, 1]
    >>> bool(np.isclose(simulate_vjp(c, [0.3], g, final=psi)[0], np.sin(0.3) / 2))
    True
    """
    params, initial = _prepare(circuit, params, initial)
    n = circuit.n_qubits
    batch = initial.shape[0]
    if final is None:
        final = simulate(circuit, params, initial)
    psi = np.asarray(final, dtype=complex).reshape((batch,) + (2,) * n).copy()
    lam = np.asarray(cotangent, dtype=complex).reshape((batch,) + (2,) * n).copy()
    grad = np.zeros((batch, circuit.n_params))
    axes = tuple(range(1, n + 1))
    for op in reversed(circuit.ops):
        theta = None if op.param is None else params[..., op.param]
        if op.param is not None:
            # d/dtheta exp(-i theta P/2) psi_in = -i/2 P psi_out (P commutes with the gate)
            if op.gate == "rzz":
                gpsi = psi * _zz_signs(n, *op.qubits)
            else:
                gpsi = psi.copy()
                q = op.qubits
                if op.gate[0] == "c":
                    zero = [slice(None)] * (n + 1)
                    zero[q[0] + 1] = 0
                    gpsi[tuple(zero)] = 0.0
                    _apply_1q(gpsi, q[1] + 1, _GEN[op.gate], ctrl=q[0] + 1)
                else:
                    _apply_1q(gpsi, q[0] + 1, _GEN[op.gate])
            grad[:, op.param] += 0.5 * np.sum(np.imag(np.conj(lam) * gpsi), axis=axes)
        _apply(psi, op, theta, n, inverse=True)
        _apply(lam, op, theta, n, inverse=True)
    return grad if params.ndim == 2 else grad.sum(axis=0)
