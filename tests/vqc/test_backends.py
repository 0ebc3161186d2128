"""Execution layer on hand-made circuits: every target against a direct statevector oracle.

The oracle (`_oracle_fidelity`) projects Qiskit's statevector of the state
circuit onto |0> on the post-selected qubits and overlaps it with the
reference statevector -- no test circuit, no counts.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.quantum_info import Statevector

from qinfo.vqc import _backends as backends
from qinfo.vqc._backends import get_backend
from qinfo.vqc._execution import targets
from qinfo.vqc._execution.fidelity import Outcomes, estimate_fidelities, wilson_interval

A, B = Parameter("a"), Parameter("b")
VALUES = {"a": 0.4, "b": 1.3}


def _pair(x: float, y: float):
    """3-qubit state (sentence q2, q0; post-select q1) and a 2-qubit reference."""
    s = QuantumCircuit(3, metadata={"sentence_qubits": [2, 0], "postselect_qubits": [1]})
    s.ry(A, 0)
    s.h(1)
    s.cx(1, 2)
    s.ry(x, 2)
    s.crz(B, 0, 2)
    s.rx(0.3, 1)
    r = QuantumCircuit(2)
    r.ry(y, 0)
    r.cx(0, 1)
    r.rz(0.7, 1)
    return s, r


def _oracle_fidelity(state: QuantumCircuit, ref: QuantumCircuit, values=VALUES) -> float:
    bound = state.assign_parameters({p: values[p.name] for p in state.parameters})
    n = state.num_qubits
    psi = Statevector(bound).data.reshape((2,) * n)  # axis k <-> qubit n-1-k
    sentence, post = state.metadata["sentence_qubits"], state.metadata["postselect_qubits"]
    index = [slice(None)] * n
    for q in post:
        index[n - 1 - q] = 0
    sub = psi[tuple(index)]
    kept_axes = [n - 1 - q for q in range(n) if q not in post]  # remaining axes, in order
    # transpose so axis j <-> sentence qubit j, then compare with ref axis order
    order = [kept_axes.index(n - 1 - q) for q in sentence]
    sub = np.transpose(sub, order)
    m = ref.num_qubits
    phi = Statevector(ref).data.reshape((2,) * m)  # axis k <-> ref qubit m-1-k
    phi = np.transpose(phi, [m - 1 - j for j in range(m)])  # axis j <-> ref qubit j
    overlap = np.vdot(phi.reshape(-1), sub.reshape(-1))
    return float(abs(overlap) ** 2 / np.vdot(sub, sub).real)


ANGLES = [(0.1, 0.5), (1.0, 2.0), (2.5, 0.2), (0.3, 0.3)]


@pytest.fixture(scope="module")
def pairs():
    return [_pair(x, y) for x, y in ANGLES]


@pytest.fixture(scope="module")
def exact(pairs):
    return np.array([_oracle_fidelity(s, r) for s, r in pairs])


def _within_4_stderr(est, exact):
    z = np.abs(est.values - exact) / est.stderr
    assert np.all(est.stderr > 0)
    assert np.all(z < 4), z


# --- exact targets ---------------------------------------------------------------


@pytest.mark.parametrize("method", backends.METHODS)
def test_statevector_every_method_matches_oracle(pairs, exact, method):
    est = get_backend("statevector", method=method).estimate(pairs, VALUES)
    np.testing.assert_allclose(est.values, exact, atol=1e-10)
    np.testing.assert_allclose(est.stderr, 0)
    assert est.shots is None


@settings(max_examples=15, deadline=None)
@given(
    x=st.floats(0, 2 * np.pi),
    y=st.floats(0, 2 * np.pi),
    a=st.floats(0, 2 * np.pi),
    method=st.sampled_from(backends.METHODS),
)
def test_statevector_fidelity_matches_oracle_for_any_angles(x, y, a, method):
    s, r = _pair(x, y)
    values = {"a": a, "b": 0.9}
    est = get_backend("statevector", method=method).estimate([(s, r)], values)
    assert est.values[0] == pytest.approx(_oracle_fidelity(s, r, values), abs=1e-9)
    assert est.postselection_rate[0] == pytest.approx(0.5, abs=1e-9)  # q1 is H then rx


@pytest.mark.parametrize("method", ["swap", "inverse", "destructive_swap"])
def test_fidelity_of_state_with_itself_is_one(method):
    ref = QuantumCircuit(2)
    ref.ry(0.8, 0)
    ref.cx(0, 1)
    ref.rx(1.7, 1)
    est = get_backend("statevector", method=method).estimate([(ref.copy(), ref)])
    assert est.values[0] == pytest.approx(1.0, abs=1e-10)


def test_pennylane_lightning_equals_exact(pairs, exact):
    est = get_backend("pennylane:lightning.qubit", progress=False).estimate(pairs, VALUES)
    np.testing.assert_allclose(est.values, exact, atol=1e-8)


def test_pennylane_default_qubit_with_shots_within_4_stderr(pairs, exact):
    est = get_backend("pennylane:default.qubit", shots=20_000, seed=3).estimate(pairs, VALUES)
    _within_4_stderr(est, exact)


# --- sampling targets ------------------------------------------------------------


@pytest.mark.parametrize("method", backends.METHODS)
def test_aer_many_shots_within_4_stderr_of_exact(pairs, exact, method):
    est = get_backend("aer", shots=40_000, method=method, seed=11, progress=False).estimate(pairs, VALUES)
    assert est.shots == 40_000
    _within_4_stderr(est, exact)
    # the post-selection rate is 1/2 here; the kept shots say so
    np.testing.assert_allclose(est.kept_shots / 40_000, 0.5, atol=0.02)


def test_statevector_with_shots_samples_within_4_stderr(pairs, exact):
    est = get_backend("statevector", shots=20_000, seed=5).estimate(pairs, VALUES)
    _within_4_stderr(est, exact)


def test_fake_backend_run_completes_with_noise(pairs, exact):
    bk = get_backend("fake_manila", shots=2000, seed=2, seed_transpiler=1, progress=False)
    est = bk.estimate(pairs, VALUES)
    assert np.all(np.isfinite(est.values)) and np.all(est.stderr > 0)
    # noisy but informative: the ordering of well-separated fidelities survives
    assert np.argmax(est.values) in (0, 3) and np.argmin(est.values) in (1, 2)
    (cost,) = bk.circuit_costs()
    assert cost.two_qubit_gates > 0 and cost.width <= 5


# --- compile once, few jobs --------------------------------------------------------


class CountingSampler:
    """Wraps an Aer SamplerV2: counts run calls, keeps jobs so they can be looked up by id."""

    def __init__(self, seed=0, store=None, fail_runs=0, interrupt_result_of=None):
        from qiskit_aer.primitives import SamplerV2

        self.inner = SamplerV2(seed=seed)
        self.runs = 0
        self.pubs_per_run: list[int] = []
        self.store = {} if store is None else store
        self.fail_runs = fail_runs
        self.interrupt_result_of = interrupt_result_of

    def run(self, pubs, *, shots=None):
        if self.fail_runs:
            self.fail_runs -= 1
            raise ConnectionError("simulated network outage")
        self.runs += 1
        self.pubs_per_run.append(sum(len(p[1]) if len(p) > 1 else 1 for p in pubs))
        job = _InterruptibleJob(self.inner.run(pubs, shots=shots), self, self.runs)
        self.store[job.job_id()] = job
        return job

    def job(self, job_id):
        return self.store[job_id]


class _InterruptibleJob:
    def __init__(self, job, owner, number):
        self._job, self._owner, self._number = job, owner, number

    def job_id(self):
        return self._job.job_id()

    def result(self):
        if self._owner.interrupt_result_of == self._number:
            self._owner.interrupt_result_of = None
            raise KeyboardInterrupt("simulated Ctrl-C while waiting for the job")
        return self._job.result()


def test_one_shape_compiled_once_and_sent_in_one_job(pairs):
    sampler = CountingSampler()
    bk = get_backend(sampler, shots=100, progress=False)
    calls = []
    compile_ = bk.target.compile
    bk.target.compile = lambda test, stored=None: calls.append(test.key) or compile_(test, stored)
    bk.estimate(pairs, VALUES)
    bk.estimate(pairs, {"a": 2.0, "b": -1.0})
    assert len(calls) == 1  # four pairs, two calls, one circuit shape
    assert sampler.runs == 2 and sampler.pubs_per_run == [4, 4]


def test_job_size_splits_rows_into_jobs(pairs):
    sampler = CountingSampler()
    bk = get_backend(sampler, shots=100, job_size=3, progress=False)
    bk.estimate(pairs, VALUES)
    assert sampler.pubs_per_run == [3, 1]
    assert bk.last_log.submitted == 2 and len(bk.last_log.job_ids) == 2


def test_resume_fetches_submitted_jobs_without_resubmitting(pairs, tmp_path):
    resume = tmp_path / "jobs.json"
    store: dict = {}
    first = CountingSampler(seed=1, store=store, interrupt_result_of=2)
    with pytest.raises(KeyboardInterrupt):
        get_backend(first, shots=500, job_size=1, progress=False).estimate(pairs, VALUES, resume=resume)
    assert first.runs == 4  # everything was submitted before waiting

    again = CountingSampler(seed=1, store=store)
    bk = get_backend(again, shots=500, job_size=1, progress=False)
    est = bk.estimate(pairs, VALUES, resume=resume)
    assert again.runs == 0
    assert (bk.last_log.reused, bk.last_log.fetched, bk.last_log.submitted) == (1, 3, 0)
    assert np.all(np.isfinite(est.values))

    third = CountingSampler(seed=1)  # every result is now in the file
    bk3 = get_backend(third, shots=500, job_size=1, progress=False)
    np.testing.assert_array_equal(bk3.estimate(pairs, VALUES, resume=resume).values, est.values)
    assert third.runs == 0 and bk3.last_log.reused == 4


def test_resume_without_job_lookup_only_resubmits_unfinished_jobs(pairs, tmp_path):
    resume = tmp_path / "jobs.json"
    first = CountingSampler(seed=1, interrupt_result_of=3)
    with pytest.raises(KeyboardInterrupt):
        get_backend(first, shots=200, job_size=1, progress=False).estimate(pairs, VALUES, resume=resume)

    again = CountingSampler(seed=2)
    again.job = None  # a sampler that cannot look jobs up by id
    bk = get_backend(again, shots=200, job_size=1, progress=False)
    bk.estimate(pairs, VALUES, resume=resume)
    assert again.runs == 2 and bk.last_log.reused == 2


def test_transient_errors_are_retried_and_reported(pairs, caplog):
    sampler = CountingSampler(fail_runs=2)
    bk = get_backend(sampler, shots=100, backoff=0.0, progress=False)
    with caplog.at_level(logging.WARNING, logger="qinfo.vqc.backends"):
        est = bk.estimate(pairs, VALUES)
    assert len(est.values) == 4 and sampler.runs == 1
    assert len(bk.last_log.retries) == 2
    assert "ConnectionError" in caplog.text and "retry 1/5" in caplog.text


def test_transient_errors_give_up_after_retries(pairs):
    bk = get_backend(CountingSampler(fail_runs=3), shots=100, retries=2, backoff=0.0, progress=False)
    with pytest.raises(ConnectionError):
        bk.estimate(pairs, VALUES)


# --- IBM path with a fake backend where the real one goes -------------------------


class FakeService:
    """Stands in for QiskitRuntimeService: hands out a local fake backend."""

    def __init__(self):
        from qiskit_ibm_runtime.fake_provider import FakeManilaV2

        self.device = FakeManilaV2()
        self.asked: list = []

    def backend(self, name):
        self.asked.append(name)
        return self.device

    def least_busy(self, **kwargs):
        self.asked.append(("least_busy", kwargs))
        return self.device

    def job(self, job_id):
        raise KeyError(job_id)


@pytest.mark.parametrize("name,mode", [("ibm:ibm_manila", "job"), ("ibm:least_busy", "batch")])
def test_ibm_path_end_to_end_on_fake_device(monkeypatch, pairs, exact, name, mode):
    service = FakeService()
    monkeypatch.setattr(targets, "runtime_service", lambda: service)
    with get_backend(name, shots=2000, mode=mode, seed=4, progress=False) as bk:
        est = bk.estimate(pairs, VALUES)
        assert bk.name == "ibm:fake_manila"
        assert mode == "job" or bk.target._context is not None
    assert bk.target._context is None  # batch closed
    assert service.asked and np.all(np.isfinite(est.values))
    assert np.corrcoef(est.values, exact)[0, 1] > 0.8


def test_no_ibm_account_explains_how_to_save_one(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("QISKIT_IBM_TOKEN", "QISKIT_IBM_INSTANCE", "QISKIT_IBM_CHANNEL", "QISKIT_IBM_URL"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(ValueError, match="save_account"):
        get_backend("ibm:ibm_brisbane")


# --- bad input -------------------------------------------------------------------


def test_unknown_backend_lists_valid_names():
    with pytest.raises(ValueError, match=r"'statevector', 'aer', 'fake_<name>', 'ibm:<name>'"):
        get_backend("quantum_computer")
    with pytest.raises(ValueError, match="fake_brisbane"):
        get_backend("fake_nowhere")
    with pytest.raises(TypeError, match="backend must be a name"):
        get_backend(42)


@pytest.mark.parametrize("shots,error", [(0, ValueError), (-5, ValueError), (1.5, TypeError), (True, TypeError)])
def test_bad_shots_rejected(shots, error):
    with pytest.raises(error, match="shots"):
        get_backend("aer", shots=shots)


def test_bad_method_and_mode_rejected():
    with pytest.raises(ValueError, match="method must be one of"):
        get_backend("statevector", method="hadamard")
    with pytest.raises(ValueError, match="mode must be one of"):
        get_backend("fake_manila", mode="weekly")
    with pytest.raises(ValueError, match="IBM Runtime"):
        get_backend("aer", mode="session")


def test_circuit_wider_than_device_rejected():
    s = QuantumCircuit(4, metadata={"sentence_qubits": [0, 1], "postselect_qubits": [2, 3]})
    s.h(0)
    r = QuantumCircuit(2)
    with pytest.raises(ValueError, match="needs 7 qubits but backend 'fake_manila' has only 5"):
        get_backend("fake_manila", method="swap").estimate([(s, r)])


def test_pennylane_qiskit_device_needs_plugin():
    pytest.importorskip("pennylane")
    try:
        import pennylane_qiskit  # noqa: F401

        pytest.skip("pennylane-qiskit is installed")
    except ImportError:
        pass
    with pytest.raises(ImportError, match="pennylane-qiskit"):
        get_backend("pennylane:qiskit.aer")


def test_missing_parameter_value_named():
    s, r = _pair(0.1, 0.2)
    with pytest.raises(ValueError, match=r"missing values for parameters \['b'\]"):
        get_backend("statevector").estimate([(s, r)], {"a": 1.0})


def test_reference_width_must_match_sentence():
    s, _ = _pair(0.1, 0.2)
    with pytest.raises(ValueError, match="3 qubits but the state circuit has 2 sentence qubits"):
        get_backend("statevector").estimate([(s, QuantumCircuit(3))], VALUES)


# --- estimators ----------------------------------------------------------------


def test_postselection_discards_shots_and_renormalises():
    # destructive SWAP on one pair: rows (post, test bits); odd parity = test "11"
    o = Outcomes(
        post=np.array([[0], [0], [1], [1]], bool),
        test=np.array([[1, 1], [0, 1], [1, 1], [0, 0]], bool),
        weights=np.array([10.0, 30.0, 500.0, 460.0]),
    )
    est = estimate_fidelities("destructive_swap", [o], shots=1000)
    assert est.kept_shots[0] == 40 and est.postselection_rate[0] == pytest.approx(0.04)
    assert est.values[0] == pytest.approx(1 - 2 * 10 / 40)
    assert est.stderr[0] == pytest.approx(2 * np.sqrt(0.25 * 0.75 / 40))


def test_no_surviving_shot_gives_nan_and_warns():
    o = Outcomes(np.array([[1]], bool), np.array([[0]], bool), np.array([100.0]))
    with pytest.warns(RuntimeWarning, match="kept no shot"):
        est = estimate_fidelities("swap", [o], shots=100)
    assert np.isnan(est.values[0])


def test_outcomes_json_round_trip():
    o = Outcomes.from_shots(np.array([[0, 1], [0, 1], [1, 0]]), np.array([[1], [1], [0]]))
    back = Outcomes.from_json(o.to_json())
    np.testing.assert_array_equal(back.post, o.post)
    np.testing.assert_array_equal(back.test, o.test)
    np.testing.assert_array_equal(back.weights, o.weights)


@pytest.mark.parametrize("k,n", [(0, 10), (7, 10), (10, 10), (163, 200)])
def test_wilson_interval_matches_scipy(k, n):
    from scipy.stats import binomtest

    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson_interval(k, n) == pytest.approx((ci.low, ci.high), abs=1e-9)

