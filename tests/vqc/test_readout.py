"""Readout-error mitigation: the correction inverts a known confusion, and acts on real samplers.

Oracles: a dense Kronecker product of the per-qubit confusion matrices (built
independently of the tensor-by-axis correction), Qiskit's
``QuasiDistribution.nearest_probability_distribution`` for the projection, the
fake device's own readout error rates, and the exact fidelities of the pairs.
"""

from __future__ import annotations

import json
from functools import reduce

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qinfo.vqc._backends import ExecutionOptions, get_backend
from qinfo.vqc._execution.fidelity import Outcomes
from qinfo.vqc._execution.readout import ReadoutCalibration, calibration_circuits, nearest_probability

from .test_backends import VALUES, _oracle_fidelity, _pair

PAIRS = [_pair(x, y) for x, y in [(0.1, 0.5), (1.0, 2.0), (2.5, 0.2), (0.3, 0.3)]]
EXACT = np.array([_oracle_fidelity(s, r) for s, r in PAIRS])


def _table(probs: np.ndarray, n_post: int, shots: float = 1.0) -> Outcomes:
    n = int(np.log2(len(probs)))
    keep = np.flatnonzero(probs > 0)
    bits = ((keep[:, None] >> np.arange(n)) & 1).astype(bool)
    return Outcomes(bits[:, :n_post], bits[:, n_post:], probs[keep] * shots)


def _dense(table: Outcomes) -> np.ndarray:
    bits = np.concatenate([table.post, table.test], axis=1)
    n = bits.shape[1]
    index = bits.astype(int) @ (1 << np.arange(n))
    return np.bincount(index, weights=table.weights, minlength=2**n) / table.weights.sum()


rates = st.floats(0.0, 0.3)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 5), n_post=st.integers(0, 2), seed=st.integers(0, 2**32 - 1),
       data=st.data())
def test_mitigation_inverts_a_known_confusion_exactly(n, n_post, seed, data):
    n_post = min(n_post, n)
    p01 = np.array(data.draw(st.lists(rates, min_size=n, max_size=n)))
    p10 = np.array(data.draw(st.lists(rates, min_size=n, max_size=n)))
    # measured bit j comes from qubit perm[j] of a wider circuit: the mapping must be followed
    perm = np.random.default_rng(seed).permutation(n + 2)[:n]
    cal = ReadoutCalibration(tuple(int(q) for q in sorted(perm)), p01, p10, 1000)
    rate_of = dict(zip(cal.qubits, zip(p01, p10)))
    truth = np.random.default_rng(seed).dirichlet(np.full(2**n, 0.5))
    # oracle: the dense confusion of the measured bits, bit n-1 the most significant
    mats = [np.array([[1 - rate_of[q][0], rate_of[q][1]], [rate_of[q][0], 1 - rate_of[q][1]]])
            for q in perm]
    noisy = reduce(np.kron, mats[::-1]) @ truth
    out = cal.mitigate(_table(noisy, n_post, shots=4096.0), [int(q) for q in perm])
    assert out.weights.sum() == pytest.approx(4096.0)
    np.testing.assert_allclose(_dense(out), truth, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-0.5, 1.0), min_size=2, max_size=32))
def test_nearest_probability_matches_qiskit(values):
    from qiskit.result import QuasiDistribution

    v = np.array(values)
    v[-1] += 1.0 - v.sum()  # a quasi-probability vector sums to 1
    ours = nearest_probability(v)
    theirs = QuasiDistribution(dict(enumerate(v))).nearest_probability_distribution()
    np.testing.assert_allclose(ours, [theirs.get(k, 0.0) for k in range(len(v))], atol=1e-9)
    assert ours.min() >= 0 and ours.sum() == pytest.approx(1.0)


def test_no_readout_error_leaves_tables_unchanged():
    table = _table(np.array([0.5, 0.25, 0.0, 0.25]), 1, shots=100.0)
    cal = ReadoutCalibration((4, 7), np.zeros(2), np.zeros(2), 100)
    out = cal.mitigate(table, [7, 4])
    np.testing.assert_allclose(_dense(out), _dense(table))


@pytest.mark.parametrize("method", ["inverse", "swap", "destructive_swap"])
def test_stderr_without_readout_error_is_the_binomial_one(method):
    from qinfo.vqc._execution.fidelity import estimate_fidelities

    rng = np.random.default_rng(7)
    n_post = 1 if method == "inverse" else 2
    n = n_post + (3 if method == "swap" else 2)
    table = _table(rng.dirichlet(np.ones(2**n)), n_post, shots=1000.0)
    cal = ReadoutCalibration(tuple(range(n)), np.zeros(n), np.zeros(n), 1000)
    out = cal.mitigate(table, list(range(n)), method)
    plain, corrected = (estimate_fidelities(method, [t], 1000) for t in (table, out))
    assert corrected.values[0] == pytest.approx(plain.values[0])
    assert corrected.stderr[0] == pytest.approx(plain.stderr[0])


def test_calibration_rates_are_the_wrong_readings_per_qubit():
    zero, one = calibration_circuits(3, [2, 0])
    assert [zero.circuit.count_ops().get("x", 0), one.circuit.count_ops()["x"]] == [0, 2]
    # 100 shots each: in |00>, bit 0 (qubit 2) read 1 ten times; in |11>, bit 1 read 0 five times
    z = Outcomes.from_shots(np.zeros((100, 0)), np.array([[i < 10, False] for i in range(100)]))
    o = Outcomes.from_shots(np.zeros((100, 0)), np.array([[True, i >= 5] for i in range(100)]))
    cal = ReadoutCalibration.from_outcomes((2, 0), z, o)
    assert cal.p01.tolist() == [0.1, 0.0] and cal.p10.tolist() == [0.0, 0.05] and cal.shots == 100


def test_uninformative_readout_and_uncalibrated_qubits_are_refused():
    table = _table(np.array([0.5, 0.5]), 0)
    with pytest.raises(ValueError, match="qubit 0 carries no information"):
        ReadoutCalibration((0,), np.array([0.5]), np.array([0.5]), 10).mitigate(table, [0])
    with pytest.raises(ValueError, match=r"qubits \[3\] were not calibrated"):
        ReadoutCalibration((0,), np.array([0.1]), np.array([0.1]), 10).mitigate(table, [3])


def test_exact_backends_refuse_readout_mitigation():
    with pytest.raises(ValueError, match="readout_mitigation applies to sampling backends"):
        get_backend("statevector", options=ExecutionOptions(readout_mitigation=True))


def _readout_only_sampler(seed):
    from qiskit_aer.noise import NoiseModel, ReadoutError
    from qiskit_aer.primitives import SamplerV2 as AerSampler

    noise = NoiseModel()
    for q in range(5):
        noise.add_readout_error(ReadoutError([[0.9, 0.1], [0.15, 0.85]]), [q])
    return AerSampler(seed=seed, options={"backend_options": {"noise_model": noise}})


def test_mitigation_removes_the_bias_of_readout_only_noise():
    errors = {}
    for mitigate in (False, True):
        bk = get_backend(_readout_only_sampler(3), shots=20000, progress=False,
                         options=ExecutionOptions(readout_mitigation=mitigate))
        errors[mitigate] = np.abs(bk.estimate(PAIRS, VALUES).values - EXACT)
        if mitigate:
            (cal,) = bk.target.readout_calibrations
            np.testing.assert_allclose(cal.p01, 0.10, atol=0.01)  # what the noise model says
            np.testing.assert_allclose(cal.p10, 0.15, atol=0.01)
    # measured: unmitigated errors up to 0.24 (mean 0.17), mitigated at most 0.031 (mean 0.014)
    assert errors[False].mean() > 0.1 and errors[True].max() < 0.06
    assert errors[True].mean() < errors[False].mean() / 4


def test_reported_stderr_matches_the_spread_over_seeds():
    # the binomial formula on corrected counts reported 2-3 times too small an error here
    z = []
    for seed in range(8):
        bk = get_backend(_readout_only_sampler(seed), shots=5000, progress=False,
                         options=ExecutionOptions(readout_mitigation=True))
        est = bk.estimate(PAIRS, VALUES)
        z.append((est.values - EXACT) / est.stderr)
    spread = np.std(np.array(z))
    assert 0.6 < spread < 1.5, spread  # 32 z-scores: their sd is 1 within about 0.13


def test_fake_device_calibration_measures_its_readout_errors_and_resumes(tmp_path):
    resume = tmp_path / "jobs.json"
    opts = ExecutionOptions(readout_mitigation=True, seed_transpiler=0)
    bk = get_backend("fake_manila", shots=4000, seed=1, options=opts, progress=False)
    mitigated = bk.estimate(PAIRS, VALUES, resume=resume).values
    (cal,) = bk.target.readout_calibrations
    device = bk.target.backend.target["measure"]
    listed = np.array([device[(q,)].error for q in cal.qubits])
    np.testing.assert_allclose((cal.p01 + cal.p10) / 2, listed, atol=0.01)  # 4000 shots: sd <= 0.004
    plain = get_backend("fake_manila", shots=4000, seed=1, progress=False,
                        options=opts.replace(readout_mitigation=False)).estimate(PAIRS, VALUES).values
    # measured: mean |error| 0.091 without, 0.025 with
    assert np.abs(mitigated - EXACT).mean() < np.abs(plain - EXACT).mean() / 2
    stored = json.loads(resume.read_text())
    assert len(stored["jobs"]) == 1  # the calibration circuits ran in the same job
    again = get_backend("fake_manila", shots=4000, seed=1, options=opts, progress=False)
    np.testing.assert_array_equal(again.estimate(PAIRS, VALUES, resume=resume).values, mitigated)
    assert again.last_log.reused == 1 and again.last_log.submitted == 0
