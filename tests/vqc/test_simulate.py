"""The batched simulator against Qiskit's Statevector, and its adjoint gradients against finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from qiskit.quantum_info import Statevector

from qinfo.vqc import simulate, simulate_vjp
from qinfo.vqc._ansatz import ANSAETZE
from qinfo.vqc._circuit import statevector_to_numpy, to_qiskit

from tests.strategies import vqc_angles, vqc_circuits


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_simulator_matches_qiskit_statevector_on_random_circuits(data):
    c = data.draw(vqc_circuits(max_qubits=4, max_ops=12), label="circuit")
    theta = data.draw(vqc_angles(c.n_params, batch=2), label="angles")
    psi = simulate(c, theta)
    for b in range(2):
        ref = statevector_to_numpy(Statevector(to_qiskit(c, list(theta[b]))).data, c.n_qubits)
        assert np.max(np.abs(psi[b] - ref)) < 1e-10


@pytest.mark.parametrize("name", sorted(ANSAETZE))
@pytest.mark.parametrize("n", [1, 2, 3])
def test_adjoint_gradient_matches_finite_differences(name, n):
    rng = np.random.default_rng(n)
    c = ANSAETZE[name](2).circuit(n)
    theta = rng.uniform(0, 2 * np.pi, size=(2, c.n_params))
    w = rng.normal(size=(2, 2**n)) + 1j * rng.normal(size=(2, 2**n))

    def loss(t):  # L = sum_b |<w_b|psi_b>|^2
        return float(np.sum(np.abs(np.sum(np.conj(w) * simulate(c, t), axis=1)) ** 2))

    psi = simulate(c, theta)
    o = np.sum(np.conj(w) * psi, axis=1)
    grad = simulate_vjp(c, theta, 2 * o[:, None] * w, final=psi)
    fd = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        e = np.zeros_like(theta)
        e[i] = 1e-6
        fd[i] = (loss(theta + e) - loss(theta - e)) / 2e-6
    assert np.allclose(grad, fd, atol=1e-6)
    shared = simulate_vjp(c, theta[0], (2 * o[:, None] * w)[:1], final=psi[:1])
    assert np.allclose(shared, grad[0])


def test_simulated_states_are_normalised():
    c = ANSAETZE["sim14"](3).circuit(4)
    psi = simulate(c, np.random.default_rng(0).uniform(size=(5, c.n_params)))
    assert np.allclose(np.linalg.norm(psi, axis=1), 1.0)


def test_bad_param_shape_is_rejected():
    c = ANSAETZE["sim4"](1).circuit(2)
    with pytest.raises(ValueError, match="params must have shape"):
        simulate(c, np.zeros(c.n_params + 1))


def test_qinfo_vqc_simulate_is_the_function_whatever_was_imported_before():
    # the old lazy table returned the function until qinfo.vqc.simulate (the module) was imported
    import importlib

    import qinfo.vqc

    for name in ("_model", "_encodings", "_simulate", "_base_model"):
        importlib.import_module(f"qinfo.vqc.{name}")
    assert qinfo.vqc.simulate is importlib.import_module("qinfo.vqc._simulate").simulate
    assert callable(qinfo.vqc.simulate)
