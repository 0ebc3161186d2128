"""ExecutionOptions and the IBM Runtime sampler paths (executor Sampler and the SamplerV2 fallback).

Oracles: a direct statevector projection of the state circuit (as in
test_backends.py) for the estimates; the sampler object itself for which
options reached it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qiskit import QuantumCircuit

from qinfo.vqc._backends import ExecutionOptions
from qinfo.vqc._backends import get_backend
from qinfo.vqc._execution import targets
from qinfo.vqc._execution.options import DD_SEQUENCES, EXECUTION_MODES

from .test_backends import VALUES, _oracle_fidelity, _pair

PAIRS = [_pair(0.1, 0.5), _pair(2.5, 0.2)]


# --- the options object ------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    shots=st.one_of(st.none(), st.integers(1, 10**6)),
    level=st.integers(0, 3),
    seed=st.one_of(st.none(), st.integers(0, 2**31)),
    twirling=st.booleans(),
    dd=st.sampled_from([False, True, *DD_SEQUENCES]),
    readout=st.booleans(),
    mode=st.sampled_from(EXECUTION_MODES),
    per_job=st.one_of(st.none(), st.integers(1, 1000)),
)
def test_options_round_trip_through_json_dict(shots, level, seed, twirling, dd, readout, mode, per_job):
    import json

    opts = ExecutionOptions(shots, level, seed, twirling, dd, readout, mode, per_job)
    back = ExecutionOptions.from_dict(json.loads(json.dumps(opts.to_dict())))
    assert back == opts and hash(back) == hash(opts)
    assert back.dynamical_decoupling in (False, *DD_SEQUENCES)


def test_options_are_frozen_and_validated():
    opts = ExecutionOptions()
    with pytest.raises(AttributeError):
        opts.shots = 5  # type: ignore[misc]
    with pytest.raises(ValueError, match="optimization_level"):
        ExecutionOptions(optimization_level=4)
    with pytest.raises(ValueError, match="dynamical_decoupling"):
        ExecutionOptions(dynamical_decoupling="XYZ")
    with pytest.raises(TypeError, match="twirling"):
        ExecutionOptions(twirling="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_circuits_per_job"):
        ExecutionOptions(max_circuits_per_job=0)
    with pytest.raises(ValueError, match=r"unknown execution option\(s\) \['shot'\]"):
        ExecutionOptions.from_dict({"shot": 10})


def test_keywords_override_options_in_get_backend():
    bk = get_backend("fake_manila", options=ExecutionOptions(shots=100, optimization_level=1),
                     shots=300, job_size=2)
    assert bk.shots == 300 and bk.options.shots == 300
    assert bk.options.optimization_level == 1 and bk.target.job_size == 2
    with pytest.raises(TypeError, match="options must be an ExecutionOptions"):
        get_backend("aer", options={"shots": 10})


@pytest.mark.parametrize("backend", ["aer", "statevector", "pennylane:default.qubit"])
def test_runtime_only_options_refused_elsewhere(backend):
    with pytest.raises(ValueError, match="twirling is an IBM Runtime option"):
        get_backend(backend, options=ExecutionOptions(twirling=True))
    with pytest.raises(ValueError, match="dynamical_decoupling is an IBM Runtime option"):
        get_backend(backend, options=ExecutionOptions(dynamical_decoupling="XY4"))


# --- which runtime sampler, and that the options reach it ---------------------------


class _Recorder:
    """Records the samplers a target builds (wraps the factory's product)."""

    def __init__(self, target):
        self.made = []
        inner = target._make_sampler

        def make(mode, seed):
            s = inner(mode, seed)
            self.made.append(s)
            return s

        target._make_sampler = make


def _run_fake(options, *, fallback: bool):
    bk = get_backend("fake_manila", options=options, seed=3, progress=False)
    rec = _Recorder(bk.target)
    est = bk.estimate(PAIRS, VALUES)
    return bk, rec.made, est


def test_current_runtime_uses_executor_sampler_without_deprecation_warning():
    pytest.importorskip("qiskit_ibm_runtime.executor_sampler")
    from qiskit_ibm_runtime.executor_sampler import Sampler

    assert targets.runtime_sampler_class() == ("executor", Sampler)
    opts = ExecutionOptions(shots=1000, twirling=True, dynamical_decoupling="XY4", seed_transpiler=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bk, made, est = _run_fake(opts, fallback=False)
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)
                    and "qiskit_ibm_runtime" in str(w.filename) + str(w.message)]
    assert not deprecations, [str(w.message) for w in deprecations]
    (sampler,) = made
    assert isinstance(sampler, Sampler)
    o = sampler.options
    assert o.twirling.enable_gates and o.twirling.enable_measure
    assert o.dynamical_decoupling.enable and o.dynamical_decoupling.sequence_type == "XY4"
    # twirling really ran: the runtime rounds 1000 shots up to whole randomizations
    assert np.all(est.measured_shots >= 1000) and np.any(est.measured_shots > 1000)
    exact = np.array([_oracle_fidelity(s, r) for s, r in PAIRS])
    assert np.all(np.isfinite(est.values))
    assert (est.values[0] - est.values[1]) * (exact[0] - exact[1]) > 0  # noisy, but ordered


def test_fallback_to_samplerv2_on_runtimes_without_executor_sampler(monkeypatch):
    from qiskit_ibm_runtime import SamplerV2

    def old_runtime():
        return "SamplerV2", SamplerV2

    monkeypatch.setattr(targets, "runtime_sampler_class", old_runtime)
    opts = ExecutionOptions(shots=2000, dynamical_decoupling=True, seed_transpiler=1)
    with warnings.catch_warnings(record=True):  # 0.50+ warns that SamplerV2 is deprecated;
        warnings.simplefilter("always")           # older runtimes (the only ones on this path) do not
        bk, made, est = _run_fake(opts, fallback=True)
    (sampler,) = made
    assert type(sampler).__name__ == "SamplerV2"
    assert sampler.options.dynamical_decoupling.enable
    exact = np.array([_oracle_fidelity(s, r) for s, r in PAIRS])
    assert np.all(np.isfinite(est.values)) and np.all(est.measured_shots == 2000)
    assert (est.values[0] - est.values[1]) * (exact[0] - exact[1]) > 0


def test_qinfo_sources_filter_no_runtime_warning():
    import pathlib

    import qinfo.vqc

    root = pathlib.Path(qinfo.vqc.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text()
        assert "filterwarnings" not in text and "simplefilter" not in text, path


# --- a sampler the user built ----------------------------------------------------------


def test_user_sampler_in_a_batch_transpiles_for_its_device():
    # issue 17: qinfo read the device from sampler.mode (None or a Batch) and sent
    # simulator-basis circuits, which FakeBrisbane rejected ("h ... not supported")
    pytest.importorskip("qiskit_ibm_runtime.executor_sampler")
    from qiskit_ibm_runtime import Batch
    from qiskit_ibm_runtime.executor_sampler import Sampler
    from qiskit_ibm_runtime.fake_provider import FakeBrisbane

    device = FakeBrisbane()
    with Batch(backend=device) as batch:
        sampler = Sampler(mode=batch)
        sampler.options.simulator.seed_simulator = 5
        bk = get_backend(sampler, shots=1000, seed_transpiler=2, progress=False)
        est = bk.estimate(PAIRS, VALUES)
    assert bk.target.backend is device
    for compiled in bk._compiled.values():
        assert set(compiled.circuit.count_ops()) <= set(device.target.operation_names) | {"barrier"}
    assert np.all(np.isfinite(est.values))


def test_user_sampler_in_job_mode_uses_its_backend():
    pytest.importorskip("qiskit_ibm_runtime.executor_sampler")
    from qiskit_ibm_runtime.executor_sampler import Sampler
    from qiskit_ibm_runtime.fake_provider import FakeManilaV2

    device = FakeManilaV2()
    bk = get_backend(Sampler(mode=device), shots=500, progress=False)
    assert bk.target.backend is device
    assert bk.target.retrieve is None  # local testing mode keeps no jobs to look up
    assert np.all(np.isfinite(bk.estimate(PAIRS, VALUES).values))


def test_user_sampler_refuses_mode_and_runtime_options():
    pytest.importorskip("qiskit_ibm_runtime.executor_sampler")
    from qiskit_ibm_runtime.executor_sampler import Sampler
    from qiskit_ibm_runtime.fake_provider import FakeManilaV2

    sampler = Sampler(mode=FakeManilaV2())
    with pytest.raises(ValueError, match="open the Batch/Session yourself"):
        get_backend(sampler, mode="batch")
    with pytest.raises(ValueError, match="set it on your sampler's options"):
        get_backend(sampler, options=ExecutionOptions(twirling=True))


def test_empty_state_circuit_still_runs_on_fake_device():
    s = QuantumCircuit(1)
    r = QuantumCircuit(1)
    est = get_backend("fake_manila", shots=500, seed=0, progress=False).estimate([(s, r)])
    assert est.values[0] > 0.8  # |0> against |0>: fidelity 1 up to readout noise


def test_account_error_never_echoes_the_token(monkeypatch):
    import qiskit_ibm_runtime
    from qiskit_ibm_runtime.accounts import InvalidAccountError

    token = "qinfo-test-token-0c4f"
    monkeypatch.setenv("QISKIT_IBM_TOKEN", token)

    class Refusing:
        def __init__(self, *args, **kwargs):
            raise InvalidAccountError(f"Invalid token {token}")

    monkeypatch.setattr(qiskit_ibm_runtime, "QiskitRuntimeService", Refusing)
    with pytest.raises(ValueError) as info:
        get_backend("ibm:ibm_brisbane")
    assert token not in str(info.value) and "save_account" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
