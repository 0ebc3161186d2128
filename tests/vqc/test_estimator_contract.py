"""The scikit-learn estimator contract, hyperparameter validation and damaged model/checkpoint files.

Oracles: scikit-learn's own estimator checks (the subset that applies to an
estimator whose ``fit`` takes datasets, not ``X, y``), ``sklearn.base.clone``,
and round trips (a saved-then-loaded model gives the same numbers).
"""

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.base import clone  # noqa: E402
from sklearn.utils import estimator_checks as ec  # noqa: E402

from qinfo.vqc import CaptionModel, ClassicalDisCoCat, Sim4, make_datasets  # noqa: E402

SKLEARN_CHECKS = ["check_no_attributes_set_in_init", "check_get_params_invariance", "check_set_params",
                  "check_parameters_default_constructible", "check_estimator_repr",
                  "check_estimator_cloneable", "check_do_not_raise_errors_in_init_or_set_params"]


@pytest.fixture(scope="module")
def data():
    return make_datasets("relational", "binary", n_per_combination=2, seed=0)


@pytest.mark.parametrize("check", SKLEARN_CHECKS)
@pytest.mark.parametrize("make", [lambda: CaptionModel(ansatz=Sim4(1), seed=np.random.SeedSequence(3)),
                                  lambda: CaptionModel.from_preset("authors"),
                                  lambda: ClassicalDisCoCat(seed=None)])
def test_scikit_learn_estimator_checks_pass(check, make):
    est = make()
    getattr(ec, check)(type(est).__name__, est)


def test_get_params_returns_the_arguments_unchanged_and_set_params_round_trips():
    ansatz, seed = Sim4(1), np.random.default_rng(5)
    m = CaptionModel(ansatz=ansatz, seed=seed, n_layers=2)
    p = m.get_params()
    assert p["ansatz"] is ansatz and p["seed"] is seed and p["n_layers"] == 2
    other = CaptionModel().set_params(**p)
    assert other.get_params() == p
    with pytest.raises(ValueError, match="invalid setting"):
        m.set_params(n_qubits=3)


def test_clone_of_an_ansatz_instance_model_has_the_same_parameter_count(data):
    m = CaptionModel(ansatz=Sim4(1), epochs=0, progress=False, seed=0)
    a = m.fit(data["train"])
    b = clone(m).fit(data["train"])
    c = m.clone().fit(data["train"])
    assert a.params_.size == b.params_.size == c.params_.size
    assert np.array_equal(a.params_, b.params_) and np.array_equal(a.params_, c.params_)


@pytest.mark.parametrize("seed", [7, np.random.SeedSequence(11, spawn_key=(2,)), np.random.default_rng(3), None])
def test_save_load_round_trips_any_seed_and_scores_after_load(data, tmp_path, seed):
    m = CaptionModel(ansatz=Sim4(1), epochs=2, seed=seed, progress=False).fit(data["train"], data["val"])
    m.save(tmp_path / "model.npz")
    back = CaptionModel.load(tmp_path / "model.npz")
    assert back.score(data["test"]) == m.score(data["test"])
    assert np.array_equal(back.params_, m.params_) and back.history_ == m.history_
    bp, mp = back.get_params(), m.get_params()
    assert bp["ansatz"] == mp["ansatz"] and bp["n_layers"] == mp["n_layers"]
    if isinstance(seed, np.random.SeedSequence):
        assert (bp["seed"].entropy, bp["seed"].spawn_key) == (seed.entropy, seed.spawn_key)
    elif isinstance(seed, np.random.Generator):
        assert bp["seed"].bit_generator.state == seed.bit_generator.state
    else:
        assert bp["seed"] == seed


@pytest.mark.parametrize("setting,value,exc", [
    ("lr", float("nan"), ValueError), ("lr", 0.0, ValueError), ("lr", "0.1", TypeError),
    ("lr", float("inf"), ValueError), ("temperature", 0.0, ValueError), ("temperature", float("nan"), ValueError),
    ("patience", -1, ValueError), ("patience", 1.5, TypeError), ("seed", True, TypeError),
    ("seed", -1, ValueError), ("seed", 1.0, TypeError), ("epochs", True, TypeError), ("batch_size", 0, ValueError),
    ("noun_qubits", 0, ValueError), ("sentence_qubits", 1, ValueError), ("n_layers", True, TypeError),
    ("box_layers", 0, ValueError), ("progress", 1, TypeError), ("loss", "mse", ValueError),
])
def test_bad_hyperparameters_are_refused_by_fit_naming_the_setting(data, setting, value, exc):
    m = CaptionModel(epochs=1, progress=False).set_params(**{setting: value})
    with pytest.raises(exc, match=setting if setting != "sentence_qubits" else "sentence_qubits=1"):
        m.fit(data["train"])
    assert not hasattr(m, "params_")


@pytest.mark.parametrize("kw", [{"noise_std": float("nan")}, {"flip_prob": float("nan")}, {"flip_prob": 0.6},
                                {"noise_std": -0.1}])
def test_bad_noise_settings_are_refused_by_make_datasets(kw):
    with pytest.raises(ValueError, match=next(iter(kw))):
        make_datasets("relational", "binary", n_per_combination=1, **kw)


def _damage(path, how):
    raw = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "bit-flipped":
        b = bytearray(raw)
        b[len(b) // 3] ^= 0x10
        path.write_bytes(bytes(b))
    elif how == "not-npz":
        path.write_bytes(b"hello, I am not a zip file")


@pytest.mark.parametrize("how", ["empty", "truncated", "bit-flipped", "not-npz"])
def test_damaged_model_file_gives_one_clear_error(data, tmp_path, how):
    m = CaptionModel(epochs=1, progress=False).fit(data["train"])
    path = tmp_path / "model.npz"
    m.save(path)
    _damage(path, how)
    with pytest.raises(ValueError, match=r"is not a qinfo model file \(.*\); delete it to start over") as err:
        CaptionModel.load(path)
    assert "allow_pickle" not in str(err.value)


def test_model_file_missing_a_key_or_of_another_version_is_refused(data, tmp_path):
    from qinfo.vqc._checkpoint import read_npz, write_npz

    m = CaptionModel(epochs=1, progress=False).fit(data["train"])
    path = tmp_path / "model.npz"
    m.save(path)
    meta, arrays = read_npz(path, "model file")
    for key in ("settings", "vocabulary", "threshold"):
        broken = {k: v for k, v in meta.items() if k not in (key, "format", "kind", "format_version")}
        write_npz(path, "model file", broken, arrays)
        with pytest.raises(ValueError, match=f"missing key '{key}'"):
            CaptionModel.load(path)
    write_npz(path, "model file", {k: v for k, v in meta.items() if k not in ("format", "kind", "format_version")},
              {"params": arrays["params"][:-1]})
    with pytest.raises(ValueError, match="shape"):
        CaptionModel.load(path)
    np.savez(path, _meta=np.array('{"format": "qinfo.vqc", "kind": "model file", "format_version": 0}'))
    with pytest.raises(ValueError, match="format version 0"):
        CaptionModel.load(path)


@pytest.mark.parametrize("how", ["empty", "truncated", "bit-flipped", "not-npz", "other-shape"])
def test_damaged_checkpoint_gives_one_clear_error(data, tmp_path, how):
    ck = tmp_path / "checkpoint.npz"
    CaptionModel(epochs=1, progress=False).fit(data["train"], checkpoint=ck)
    if how == "other-shape":
        from qinfo.vqc._checkpoint import read_npz, write_npz

        meta, arrays = read_npz(ck, "checkpoint")
        arrays["theta"] = arrays["theta"][:3]
        write_npz(ck, "checkpoint", {k: v for k, v in meta.items() if k not in ("format", "kind")}, arrays)
    else:
        _damage(ck, how)
    with pytest.raises(ValueError, match=r"is not a qinfo checkpoint \(.*\); delete it to start over"):
        CaptionModel(epochs=1, progress=False).fit(data["train"], checkpoint=ck)


def test_save_is_atomic_and_leaves_no_temporary_file(data, tmp_path):
    m = CaptionModel(epochs=1, progress=False).fit(data["train"])
    m.save(tmp_path / "model.npz")
    m.save(tmp_path / "model.npz")
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_history_has_per_epoch_train_and_validation_accuracy(data):
    m = CaptionModel(epochs=3, patience=10, progress=False, seed=0).fit(data["train"], data["val"])
    assert [r["epoch"] for r in m.history_] == [1, 2, 3]
    for r in m.history_:
        assert 0 <= r["train_acc"] <= 1 and 0 <= r["val_acc"] <= 1
    # the last epoch is the final parameters when no early stop rewinds: same accuracy as score()
    last = CaptionModel(epochs=3, patience=10, progress=False, seed=0).fit(data["train"])
    assert last.history_[-1]["train_acc"] == pytest.approx(last.score(data["train"]))


def test_sentence_qubits_are_set_independently_of_the_encoding(data):
    m = CaptionModel(sentence_qubits=3, epochs=0, progress=False).fit(data["train"])
    assert m.qubits_ == {"n": 1, "s": 3}
    qc = m.caption_circuit(("cube", "left", "cone"))
    assert len(qc.metadata["sentence_qubits"]) == 3 and qc.num_qubits == 7
    assert m.image_circuit(data["test"].features[0]).num_qubits == 3


@pytest.mark.slow
def test_fit_on_a_backend_runs_the_same_trainer_as_exact_training(data):
    # oracle: SPSA on the exact statevector backend equals SPSA on the model's own exact fidelities
    kw = dict(optimizer="spsa", epochs=2, batch_size=8, progress=False, seed=4)
    exact = CaptionModel(**kw)

    def exact_fn(pairs, values):  # the model's own contraction simulator at the given angles
        exact.params_ = np.array(list(values.values()))
        return exact.exact_fidelities(pairs)

    exact.fit(data["train"], data["val"], fidelity_fn=exact_fn)
    device = CaptionModel(**kw).fit(data["train"], data["val"], backend="statevector")
    assert np.allclose(device.params_, exact.params_, atol=1e-8)
    assert [sorted(r) for r in device.history_] == [sorted(r) for r in exact.history_]
    with pytest.raises(ValueError, match="optimizer='spsa'"):
        CaptionModel(progress=False).fit(data["train"], backend="statevector")
