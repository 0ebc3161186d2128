"""CaptionModel and ClassicalDisCoCat: exported circuits vs Qiskit, gradients, resume, errors.

The decision rule and the chance rate are tested in test_decision.py.
"""

import numpy as np
import pytest
from qiskit.quantum_info import Statevector

from qinfo.vqc import CaptionModel, ClassicalDisCoCat, make_datasets
from qinfo.vqc._base_model import _Pairs
from qinfo.vqc._circuit import statevector_to_numpy


@pytest.fixture(scope="module")
def data():
    return make_datasets("relational", "binary", n_per_combination=3, flip_prob=0.1, noise_std=0.1, seed=0)


@pytest.fixture(scope="module")
def fitted(data):
    return CaptionModel(epochs=2, progress=False, seed=1).fit(data["train"], data["val"])


def _qiskit_fidelity(model, caption, features):
    qc = model.caption_circuit(caption).assign_parameters(model.parameter_values(), strict=False)
    n = qc.num_qubits
    psi = statevector_to_numpy(Statevector(qc).data, n).reshape((2,) * n)
    idx = [slice(None)] * n
    for q in qc.metadata["postselect_qubits"]:
        idx[q] = 0
    c = psi[tuple(idx)].reshape(-1)     # remaining axes are the sentence qubits, in order
    assert qc.metadata["sentence_qubits"] == sorted(set(range(n)) - set(qc.metadata["postselect_qubits"]))
    ic = model.image_circuit(features)
    ic = ic.assign_parameters(model.parameter_values(), strict=False)
    e = statevector_to_numpy(Statevector(ic).data, ic.num_qubits)
    return abs(np.vdot(c, e)) ** 2 / np.vdot(c, c).real


@pytest.mark.parametrize("kind,encoding,noun_qubits,ansatz", [
    ("relational", "mhe", 1, "sim4"), ("relational", "mhe", 2, "iqp"), ("single", "mhe", 1, "sim14"),
    ("relational", "clip-angle", 1, "sim15"), ("relational", "mhe-basis", 1, "strongly_entangling"),
    ("relational", "clip-iqp", 1, "sim4"),
])
def test_exact_fidelities_agree_with_qiskit_statevector_of_exported_circuits(kind, encoding, noun_qubits, ansatz):
    ds = make_datasets(kind, "binary", n_per_combination=1, flip_prob=0.1, noise_std=0.1, seed=3,
                       features="clip-like" if "clip" in encoding else "mhe")
    model = CaptionModel(encoding=encoding, noun_qubits=noun_qubits, ansatz=ansatz, epochs=1,
                         progress=False, seed=2).fit(ds["train"])
    pairs = model.fidelity_pairs(ds["test"])[:4]
    ours = model.exact_fidelities(pairs)
    ref = [_qiskit_fidelity(model, c, f) for c, f in pairs]
    assert np.max(np.abs(ours - ref)) < 1e-10


def test_amplitude_encoding_agrees_with_qiskit_state_preparation():
    ds = make_datasets("relational", "binary", n_per_combination=1, features="clip-like", seed=4)
    model = CaptionModel(encoding="clip-amplitude", epochs=0, progress=False).fit(ds["train"])
    pairs = model.fidelity_pairs(ds["test"])[:2]
    ref = [_qiskit_fidelity(model, c, f) for c, f in pairs]
    assert np.max(np.abs(model.exact_fidelities(pairs) - ref)) < 1e-10


def test_fidelity_of_a_state_with_itself_is_one(fitted):
    e = fitted._prepare(np.eye(16)[[0, 5]] + 0.3)
    f, _ = fitted._match(e, e, np.array([0, 1]), np.array([0, 1]))
    assert np.allclose(f, 1.0, atol=1e-12)


@pytest.mark.parametrize("cls,loss", [(CaptionModel, "bce"), (CaptionModel, "contrastive"),
                                      (ClassicalDisCoCat, "bce"), (ClassicalDisCoCat, "contrastive")])
@pytest.mark.parametrize("task", ["binary", "kway"])
def test_loss_gradient_matches_finite_differences(cls, loss, task):
    ds = make_datasets("relational", task, n_per_combination=1, flip_prob=0.1, noise_std=0.1, seed=1)
    model = cls(loss=loss, epochs=0, progress=False).fit(ds["train"])
    pairs, feats = _Pairs(ds["train"]), model._prepare(ds["train"].features)
    idx = np.arange(len(pairs.cap))
    theta = model.params_ + 0.1
    _, grad = model._loss_grad(theta, pairs, feats, idx)
    fd = np.empty_like(theta)
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = 1e-6
        fd[i] = (model._loss_only(theta + e, pairs, feats, idx) - model._loss_only(theta - e, pairs, feats, idx)) / 2e-6
    assert np.allclose(grad, fd, atol=1e-6)


def test_training_learns_clean_relations(data):
    ds = make_datasets("relational", "binary", n_per_combination=10, seed=0)
    model = CaptionModel(epochs=25, progress=False, seed=0).fit(ds["train"], ds["val"])
    assert model.score(ds["train"]) > 0.9
    assert model.history_[-1]["train_loss"] < model.history_[0]["train_loss"]


@pytest.mark.parametrize("optimizer", ["adam", "spsa"])
def test_resumed_training_gives_the_same_parameters_as_an_uninterrupted_run(data, tmp_path, optimizer):
    kw = dict(epochs=6, optimizer=optimizer, lr=0.05, progress=False, seed=3, patience=100)
    full = CaptionModel(**kw).fit(data["train"], data["val"])

    def interrupt(model, epoch, record):
        if epoch == 3:
            raise KeyboardInterrupt

    ck = tmp_path / "ck.npz"
    with pytest.raises(KeyboardInterrupt):
        CaptionModel(**kw).fit(data["train"], data["val"], checkpoint=ck, callback=interrupt)
    resumed = CaptionModel(**kw).fit(data["train"], data["val"], checkpoint=ck)
    assert np.array_equal(full.params_, resumed.params_)
    assert full.history_ == resumed.history_


def test_checkpoint_from_a_different_model_is_rejected(data, tmp_path):
    ck = tmp_path / "ck.npz"
    CaptionModel(epochs=1, progress=False).fit(data["train"], checkpoint=ck)
    with pytest.raises(ValueError, match="different model"):
        CaptionModel(epochs=1, n_layers=2, progress=False).fit(data["train"], checkpoint=ck)


def test_predict_and_score_refuse_before_fit(data):
    with pytest.raises(ValueError, match="not fitted"):
        CaptionModel().score(data["test"])
    with pytest.raises(ValueError, match="not fitted"):
        ClassicalDisCoCat().predict(data["test"])


def test_bad_input_errors(fitted, data):
    feats = data["test"].features[0]
    with pytest.raises(ValueError, match="unknown word"):
        fitted.exact_fidelities([(("pyramid", "left", "cube"), feats)])
    with pytest.raises(ValueError, match="does not parse"):
        fitted.exact_fidelities([(("cube", "sphere"), feats)])
    with pytest.raises(ValueError, match="dimension 5"):
        fitted.exact_fidelities([(("cube", "left", "cone"), np.ones(5))])
    with pytest.raises(ValueError, match="NaN"):
        fitted.exact_fidelities([(("cube", "left", "cone"), np.full(16, np.nan))])
    with pytest.raises(ValueError, match="NaN"):
        data["test"].with_features(np.full_like(data["test"].features, np.nan))
    with pytest.raises(ValueError, match="optimizer='spsa'"):
        CaptionModel(progress=False).fit(data["train"], fidelity_fn=lambda p, v: np.zeros(len(p)))


def test_spsa_uses_fidelity_fn_with_named_parameters(data):
    calls = []

    def fidelity_fn(pairs, values):
        calls.append(len(pairs))
        assert "cube_0" in values and "image_box_0" in values
        assert all(f.shape == (16,) for _, f in pairs)   # raw multi-hot features, not states
        return np.full(len(pairs), 0.5)

    model = CaptionModel(optimizer="spsa", epochs=1, progress=False).fit(data["train"], fidelity_fn=fidelity_fn)
    assert calls and hasattr(model, "params_")


def test_save_and_load_round_trip(fitted, data, tmp_path):
    fitted.save(tmp_path / "m.npz")
    back = CaptionModel.load(tmp_path / "m.npz")
    assert np.allclose(back.exact_fidelities(back.fidelity_pairs(data["test"])),
                       fitted.exact_fidelities(fitted.fidelity_pairs(data["test"])))
    assert back.parameter_values() == fitted.parameter_values()
    with pytest.raises(ValueError, match="not a ClassicalDisCoCat"):
        ClassicalDisCoCat.load(tmp_path / "m.npz")


def test_authors_preset_circuits_agree_with_qiskit_and_have_the_published_sizes():
    ds = make_datasets("relational", "binary", n_per_combination=1, features="clip-like", seed=5)
    model = CaptionModel.from_preset("authors", epochs=1, progress=False, seed=0).fit(ds["train"])
    assert model.qubits_ == {"n": 1, "s": 9} and model.encoding_.n_components == 8
    assert model._types["n^r s n^l"]["circuit"].n_params == 3 * (3 * 11 - 1)   # Sim4 x 3 on 11 qubits
    qc = model.caption_circuit(("cube", "left", "cone"))
    assert qc.num_qubits == 13 and len(qc.metadata["sentence_qubits"]) == 9
    pairs = model.fidelity_pairs(ds["test"])[:2]
    ref = [_qiskit_fidelity(model, c, f) for c, f in pairs]
    assert np.max(np.abs(model.exact_fidelities(pairs) - ref)) < 1e-10


def test_padded_sentence_wire_agrees_with_qiskit():
    ds = make_datasets("relational", "binary", n_per_combination=1, seed=6)
    model = CaptionModel(sentence_qubits=3, epochs=1, progress=False, seed=0).fit(ds["train"])
    pairs = model.fidelity_pairs(ds["test"])[:3]
    ref = [_qiskit_fidelity(model, c, f) for c, f in pairs]
    assert np.max(np.abs(model.exact_fidelities(pairs) - ref)) < 1e-10
