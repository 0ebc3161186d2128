"""Fast batched exact state-vector simulation with adjoint-method gradients.

Training never builds a whole caption circuit: each word's ansatz is simulated
once per step for all words of a type at once (a batch of small state vectors),
the image box once for a batch of images, and the cups are contractions of
those states (see :class:`~qinfo.vqc.CaptionModel`). This module does the state-vector
part: :func:`simulate` runs a :class:`~qinfo.vqc.Circuit` on a batch,
:func:`simulate_vjp` returns the gradient of a real loss with respect to the
angles by the adjoint method (one backward sweep that un-computes the state;
no parameter shift, no stored intermediate states).

Gradient convention: for a real loss ``L`` of a complex state ``psi`` the
cotangent is ``G = dL/dRe(psi) + 1j * dL/dIm(psi)``, so that
``dL = Re(sum(conj(G) * dpsi))``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from qinfo._kernels.statevector import GATE_CODES, adjoint_gradient, run_circuit
from qinfo.vqc._circuit import Circuit

__all__ = ["simulate", "simulate_vjp", "zero_state"]


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


@lru_cache(maxsize=512)
def _compiled(circuit: Circuit) -> tuple[np.ndarray, ...]:
    """The gate list as the kernel's arrays (codes, q0, q1, pidx), once per circuit."""
    ops = circuit.ops
    codes = np.array([GATE_CODES[o.gate] for o in ops], dtype=np.int64)
    q0 = np.array([o.qubits[0] for o in ops], dtype=np.int64)
    q1 = np.array([o.qubits[1] if len(o.qubits) > 1 else -1 for o in ops], dtype=np.int64)
    pidx = np.array([-1 if o.param is None else o.param for o in ops], dtype=np.int64)
    return codes, q0, q1, pidx


def _angles(params: np.ndarray, batch: int) -> np.ndarray:
    return np.ascontiguousarray(np.broadcast_to(params, (batch, params.shape[-1])), dtype=float)


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
        The gate list.
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
    >>> from qinfo.vqc import Circuit, Op
    >>> bell = Circuit(2, (Op("h", (0,)), Op("cx", (0, 1))), n_params=0)
    >>> np.round(simulate(bell, np.zeros(0)).real, 3)
    array([[0.707, 0.   , 0.   , 0.707]])
    """
    params, initial = _prepare(circuit, params, initial)
    v = np.array(initial, dtype=complex, order="C")
    run_circuit(v, circuit.n_qubits, *_compiled(circuit), _angles(params, v.shape[0]), False)
    return v


def simulate_vjp(circuit: Circuit, params, cotangent, initial=None, final=None) -> np.ndarray:
    """Gradient of a real loss with respect to the angles (adjoint method).

    Parameters
    ----------
    circuit, params
        As for :func:`simulate`.
    cotangent : array_like, shape (batch, 2**n_qubits)
        ``dL/dRe(psi) + 1j dL/dIm(psi)`` at the output states ``psi``.
    initial
        As for :func:`simulate`.
    final : array_like, optional
        The output of :func:`simulate` for these arguments (recomputed if omitted).

    Returns
    -------
    numpy.ndarray
        Same shape as ``params``: per-row gradients for batched angles, the
        sum over the batch for shared ones.

    Examples
    --------
    >>> from qinfo.vqc import Circuit, Op
    >>> c = Circuit(1, (Op("ry", (0,), 0),), n_params=1)
    >>> psi = simulate(c, [0.3])          # L = |<1|psi>|^2 = sin(0.15)^2
    >>> g = np.zeros_like(psi); g[0, 1] = 2 * psi[0, 1]
    >>> bool(np.isclose(simulate_vjp(c, [0.3], g, final=psi)[0], np.sin(0.3) / 2))
    True
    """
    params, initial = _prepare(circuit, params, initial)
    batch = initial.shape[0]
    if final is None:
        final = simulate(circuit, params, initial)
    psi = np.array(final, dtype=complex, order="C").reshape(batch, -1)
    lam = np.array(cotangent, dtype=complex, order="C").reshape(batch, -1)
    grad = np.zeros((batch, circuit.n_params))
    adjoint_gradient(psi, lam, circuit.n_qubits, *_compiled(circuit), _angles(params, batch), grad)
    return grad if params.ndim == 2 else grad.sum(axis=0)
