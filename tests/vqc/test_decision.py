"""The decision rule against hand-computed fidelities, the threshold fit against brute force,
untrained models against the exact chance rate, and fitting across seeds on executors."""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings

from qinfo.vqc import CaptionModel, ClassicalDisCoCat, fit_seeds, make_datasets
from qinfo.vqc._decision import best_threshold, decide

from tests.strategies import scored_pairs


@pytest.fixture(scope="module")
def binary():
    return make_datasets("relational", "binary", n_per_combination=1, seed=0)


@pytest.fixture(scope="module")
def kway():
    return make_datasets("relational", "kway", n_per_combination=1, seed=0)


# -- the rule on numbers written by hand ---------------------------------------------------


def test_binary_decision_is_a_match_strictly_above_the_threshold():
    assert decide([0.9, 0.2, 0.5, 0.51, 0.0], threshold=0.5).tolist() == [1, 0, 0, 1, 0]


def test_kway_decision_picks_the_highest_candidate_and_the_first_on_ties():
    scores = [0.1, 0.7, 0.2,   0.3, 0.3, 0.1,   0.0, 0.0, 0.9]
    assert decide(scores, n_candidates=3).tolist() == [1, 0, 2]


def test_decide_refuses_an_ambiguous_call():
    with pytest.raises(ValueError, match="exactly one"):
        decide([0.5], threshold=0.5, n_candidates=1)
    with pytest.raises(ValueError, match="do not split"):
        decide([0.5, 0.1, 0.2], n_candidates=2)


@pytest.mark.parametrize("scores,labels,cut", [
    ([0.1, 0.4, 0.6, 0.8], [0, 0, 1, 1], 0.5),           # separable: the midpoint of the gap
    ([0.2, 0.3, 0.9], [0, 1, 0], 0.25),                   # best is 2/3 right: cut between 0.2 and 0.3
    ([0.1, 0.4, 0.6, 0.8], [1, 1, 1, 1], 0.1 - 1e-12),    # all matches: everything above the cut
    ([0.1, 0.4, 0.6, 0.8], [0, 0, 0, 0], 0.8 + 1e-12),    # no match: everything below
    ([0.0, 0.25, 0.25, 0.5], [0, 0, 1, 0], 0.5 + 1e-12),  # equal scores cannot be split: 3/4 below all
])
def test_best_threshold_on_hand_computed_cases(scores, labels, cut):
    assert best_threshold(scores, labels) == pytest.approx(cut, abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(scored_pairs())
def test_best_threshold_reaches_the_brute_force_best_accuracy(pairs):
    f, y = pairs
    cut = best_threshold(f, y)
    # with "score > t" every partition of the sorted scores is reached by t = -inf or t = one of the scores
    brute = max(int(np.sum((f > t) == y)) for t in [-np.inf, *f])
    assert int(np.sum(decide(f, threshold=cut) == y)) == brute
    assert brute >= max(np.sum(y), len(y) - np.sum(y))


# -- the rule through a model ------------------------------------------------------------


def test_binary_predictions_from_hand_computed_fidelities(binary):
    model = CaptionModel(epochs=0, seed=0).fit(binary["train"])
    model.threshold_ = 0.5
    test = binary["test"]
    labels = test.labels
    good = np.where(labels == 1, 0.8, 0.3)          # matches above the threshold, negatives below
    assert model.predict_from_fidelities(test, good).tolist() == labels.tolist()
    assert model.score_from_fidelities(test, good) == 1.0
    assert model.score_from_fidelities(test, 1.1 - good) == 0.0       # the same numbers, swapped
    at = np.full(len(test), 0.5)                                       # exactly at the threshold: no match
    assert model.predict_from_fidelities(test, at).tolist() == [0] * len(test)
    assert model.score_from_fidelities(test, at) == np.mean(labels == 0)


def test_kway_predictions_from_hand_computed_fidelities(kway):
    model = CaptionModel(epochs=0, seed=0).fit(kway["train"])
    test = kway["test"]
    k = len(test.captions[0])
    right = np.full((len(test), k), 0.1)
    right[np.arange(len(test)), test.labels] = 0.9
    assert model.predict_from_fidelities(test, right.ravel()).tolist() == test.labels.tolist()
    assert model.score_from_fidelities(test, right.ravel()) == 1.0
    wrong = np.full((len(test), k), 0.1)
    wrong[np.arange(len(test)), (test.labels + 1) % k] = 0.9
    assert model.score_from_fidelities(test, wrong.ravel()) == 0.0


@pytest.mark.parametrize("cls", [CaptionModel, ClassicalDisCoCat])
def test_untrained_training_accuracy_is_the_best_cut_of_its_training_scores(binary, cls):
    model = cls(epochs=0, seed=3).fit(binary["train"])
    train = binary["train"]
    f = model.exact_fidelities(model.fidelity_pairs(train))
    brute = max(np.mean((f > t) == train.labels) for t in [-np.inf, *f])
    assert model.score(train) == brute >= 0.5


# -- chance ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [CaptionModel, ClassicalDisCoCat])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_untrained_models_score_exactly_at_chance_when_images_carry_no_information(cls, seed):
    """Binary task: each caption instance is a match and its hard negative, with the same caption.

    With one image vector for every item, a model scores both items of a pair alike, so
    whatever its parameters and threshold exactly one of the two is right: the exact chance
    rate of the task is (number of pairs) / (number of items) = 1/2 on every split.
    """
    ds = make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.1, seed=seed)
    row = ds["train"].features.mean(axis=0)
    blind = {k: d.with_features(np.tile(row, (len(d), 1))) for k, d in ds.items()}
    model = cls(epochs=0, seed=seed).fit(blind["train"])
    for part, d in blind.items():
        chance = len(np.unique(d.groups)) / len(d)
        assert chance == 0.5
        assert model.score(d) == chance, part


# -- fitting across seeds ----------------------------------------------------------------------


def _params(models):
    return [m.params_ for m in models]


def test_fit_seeds_gives_the_same_models_serially_and_on_executors(binary):
    model = CaptionModel(epochs=1, batch_size=4)
    serial = fit_seeds(model, binary["train"], binary["val"], seeds=[0, 1, 2])
    with ThreadPoolExecutor(2) as pool:
        threads = fit_seeds(model, binary["train"], binary["val"], seeds=[0, 1, 2], executor=pool)
    with ProcessPoolExecutor(2) as pool:
        processes = fit_seeds(model, binary["train"], binary["val"], seeds=[0, 1, 2], executor=pool)
    for a, b, c in zip(_params(serial), _params(threads), _params(processes)):
        assert np.array_equal(a, b) and np.array_equal(a, c)
    alone = CaptionModel(epochs=1, batch_size=4, seed=1).fit(binary["train"], binary["val"])
    assert np.array_equal(serial[1].params_, alone.params_)
    assert not hasattr(model, "params_"), "the template stays unfitted"


def test_fit_seeds_spawns_n_seeds_from_the_model_seed(binary):
    model = ClassicalDisCoCat(epochs=1, seed=7)
    a = fit_seeds(model, binary["train"], seeds=2)
    b = fit_seeds(model, binary["train"], seeds=2)
    assert [m.seed.spawn_key for m in a] == [(0,), (1,)]
    assert all(np.array_equal(x, y) for x, y in zip(_params(a), _params(b)))
    assert not np.array_equal(a[0].params_, a[1].params_)


def test_fit_seeds_refuses_seeds_that_would_not_reproduce(binary):
    model = CaptionModel(epochs=0)
    with pytest.raises(TypeError, match="Generators"):
        fit_seeds(model, binary["train"], seeds=[np.random.default_rng(0)])
    with pytest.raises(TypeError, match="not None"):
        fit_seeds(model, binary["train"], seeds=[None])
    with pytest.raises(ValueError, match="empty"):
        fit_seeds(model, binary["train"], seeds=[])
    with pytest.raises(TypeError, match="CaptionModel or ClassicalDisCoCat"):
        fit_seeds("model", binary["train"], seeds=[0])
