"""`evaluate` and training on a backend (`fit(fidelity_fn=backend.fidelity_fn(model))`) on a tiny CaptionModel.

Oracle: the model's own exact simulator (tensor contraction of word states,
``CaptionModel.exact_fidelities``), which shares no code with the Qiskit
circuits the backends run.
"""

from __future__ import annotations

import numpy as np
import pytest

from qinfo.vqc import CaptionModel, make_datasets
from qinfo.vqc._backends import evaluate, fit_on_backend, get_backend


@pytest.fixture(scope="module")
def data():
    return make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.0, seed=0)


@pytest.fixture(scope="module")
def model(data):
    return CaptionModel(epochs=3, progress=False, seed=0).fit(data["train"], data["val"])


def test_statevector_evaluation_equals_model_simulator(model, data):
    rep = evaluate(model, data["val"], "statevector", progress=False)
    assert rep.mean_abs_fidelity_error < 1e-9
    assert rep.accuracy == rep.exact_accuracy == pytest.approx(model.score(data["val"]))
    lo, hi = rep.accuracy_interval
    assert lo <= rep.accuracy <= hi and rep.n_predictions == len(data["val"])
    assert rep.shots is None and rep.jobs.submitted == 0


def test_pennylane_evaluation_equals_model_simulator(model, data):
    rep = evaluate(model, data["val"], "pennylane:lightning.qubit", method="inverse", progress=False)
    np.testing.assert_allclose(rep.fidelities.values, rep.exact_fidelities, atol=1e-8)


def test_aer_evaluation_within_4_stderr_of_model_simulator(model, data):
    rep = evaluate(model, data["val"], "aer", shots=20_000, seed=1, progress=False)
    z = np.abs(rep.fidelities.values - rep.exact_fidelities) / rep.fidelities.stderr
    assert np.all(z < 4), z
    assert rep.jobs.submitted == 1  # the whole set in one job
    (cost,) = rep.circuits  # one grammatical shape
    assert cost.circuits == len(data["val"]) and cost.two_qubit_gates > 0


def test_fake_backend_evaluation_reports_accuracy_next_to_exact(model, data):
    rep = evaluate(model, data["val"], "fake_perth", shots=1000, method="inverse", seed=2,
                   seed_transpiler=0, progress=False)
    assert rep.backend == "fake_perth" and rep.shots == 1000
    assert 0 <= rep.accuracy <= 1 and rep.exact_accuracy == pytest.approx(model.score(data["val"]))
    assert rep.accuracy_interval[0] <= rep.accuracy <= rep.accuracy_interval[1]
    assert np.all(np.isfinite(rep.fidelities.values)) and rep.mean_abs_fidelity_error > 0
    assert rep.circuits[0].width <= 7 and "fake_perth" in rep.summary()


def test_model_too_wide_for_device_is_rejected(model, data):
    with pytest.raises(ValueError, match="wider|has only 7"):
        evaluate(model, data["val"], "fake_perth", shots=1000, method="swap", progress=False)


def test_evaluation_resumes_from_file_without_new_jobs(model, data, tmp_path):
    resume = tmp_path / "eval.json"
    first = evaluate(model, data["val"], "aer", shots=500, seed=3, resume=resume, job_size=5, progress=False)
    again = evaluate(model, data["val"], "aer", shots=500, seed=3, resume=resume, job_size=5, progress=False)
    assert first.jobs.submitted == 3 and again.jobs.submitted == 0 and again.jobs.reused == 3
    np.testing.assert_array_equal(first.fidelities.values, again.fidelities.values)


def test_other_seed_or_options_start_new_jobs_instead_of_reusing(model, data, tmp_path):
    # issue 20: a seeded simulator run with another seed must not silently reuse old shots
    resume = tmp_path / "eval.json"
    evaluate(model, data["val"], "aer", shots=500, seed=3, resume=resume, progress=False)
    other_seed = evaluate(model, data["val"], "aer", shots=500, seed=4, resume=resume, progress=False)
    other_level = evaluate(model, data["val"], "aer", shots=500, seed=3, resume=resume,
                           optimization_level=1, progress=False)
    assert other_seed.jobs.submitted == 1 and other_seed.jobs.reused == 0
    assert other_level.jobs.submitted == 1 and other_level.jobs.reused == 0


def test_fidelity_fn_binds_new_values_without_recompiling(model, data):
    pairs = model.fidelity_pairs(data["val"])
    backend = get_backend("aer", shots=1000, seed=0, progress=False)
    fidelity_fn = backend.fidelity_fn(model)
    values = model.parameter_values()
    moved = {k: v + 0.3 for k, v in values.items()}
    for params in (values, moved, values):
        f = fidelity_fn(pairs, params)
        assert f.shape == (len(pairs),)
    assert len(backend.circuit_costs()) == 1 and backend.circuit_costs()[0].circuits == 3 * len(pairs)


def _spsa_model():
    return CaptionModel(optimizer="spsa", epochs=1, batch_size=8, progress=False, seed=1)


def test_spsa_training_on_a_backend(data):
    model = _spsa_model()
    with get_backend("aer", shots=128, seed=0, progress=False) as backend:
        model.fit(data["train"], fidelity_fn=backend.fidelity_fn(model))
    assert len(model.history_) == 1 and np.isfinite(model.history_[0]["train_loss"])
    # the training loss came from the backend: it differs from the exact fit's
    exact = _spsa_model().fit(data["train"])
    assert model.history_[0]["train_loss"] != exact.history_[0]["train_loss"]


def test_fit_on_backend_is_a_deprecated_alias_of_fit_with_a_backend_fidelity_fn(data):
    with pytest.warns(DeprecationWarning, match="fidelity_fn"):
        old = fit_on_backend(_spsa_model(), data["train"], "aer", shots=128, seed=0, progress=False)
    new = _spsa_model()
    with get_backend("aer", shots=128, seed=0, progress=False) as backend:
        new.fit(data["train"], fidelity_fn=backend.fidelity_fn(new))
    np.testing.assert_array_equal(old.params_, new.params_)
    assert old.history_ == new.history_


def test_calibrated_threshold_is_fitted_on_the_calibration_estimates(model, data):
    # oracle: on the exact target the calibration estimates are the exact fidelities, so the
    # calibrated threshold scores as well on them as the best of every possible cut (tried one by
    # one); it is then applied to the test split
    rep = evaluate(model, data["test"], "statevector", calibrate=data["val"], progress=False)
    cal_exact = np.asarray(model.exact_fidelities(model.fidelity_pairs(data["val"])))
    labels = np.asarray(data["val"].labels)
    threshold = rep.calibrated["threshold"]
    cuts = np.concatenate([[cal_exact.min() - 1], cal_exact])  # predict a match strictly above a cut
    best = max(np.mean((cal_exact > c) == labels) for c in cuts)
    assert np.mean((cal_exact > threshold) == labels) == pytest.approx(best)
    test_exact = model.exact_fidelities(model.fidelity_pairs(data["test"]))
    expected = np.mean((test_exact > threshold).astype(int) == data["test"].labels)
    assert rep.calibrated["accuracy"] == pytest.approx(expected)
    lo, hi = rep.calibrated["accuracy_interval"]
    assert lo <= rep.calibrated["accuracy"] <= hi
    np.testing.assert_allclose(rep.calibrated["exact_fidelities"], cal_exact)
    assert rep.accuracy == pytest.approx(model.score(data["test"]))  # the model's own threshold too


def test_shot_floor_follows_the_exact_postselection_rates(model, data):
    from qinfo.vqc._backends import MIN_KEPT_SHOTS, minimum_shots

    exact = evaluate(model, data["val"], "statevector", progress=False)
    need = minimum_shots(exact.fidelities.postselection_rate)
    assert need == int(np.ceil(MIN_KEPT_SHOTS / exact.fidelities.postselection_rate.min() - 1e-9))
    with pytest.raises(ValueError, match=f"at least {need} shots"):
        evaluate(model, data["val"], "aer", shots=need - 1, progress=False)
    rep = evaluate(model, data["val"], "aer", shots=need, seed=0, progress=False)
    assert rep.shots == need


def test_evaluation_json_has_every_pair_with_its_shots(model, data):
    import json

    rep = evaluate(model, data["val"], "aer", shots=3000, seed=2, progress=False)
    d = json.loads(json.dumps(rep.to_dict()))
    assert len(d["pairs"]) == len(data["val"])
    for p, v, e, k in zip(d["pairs"], rep.fidelities.values, rep.exact_fidelities, rep.fidelities.kept_shots):
        assert p["estimate"] == pytest.approx(v) and p["exact"] == pytest.approx(e)
        assert p["shots"] == 3000 and p["kept_shots"] == k
    assert d["options"]["shots"] == 3000 and d["jobs"]["submitted"] == 1
