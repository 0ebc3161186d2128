"""Compositional splits, determinism from the seed, renders and multi-hot layout."""

import numpy as np
import pytest

from qinfo.vqc import CompositionalSplit, default_split, make_datasets, mhe_vectors, render_scene, sample_scene
from qinfo.vqc._features import ATTRIBUTES
from qinfo.vqc._scenes import DEFAULT_RELATIONAL_TEST


@pytest.mark.parametrize("kind", ["relational", "single"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_split_holds_out_combinations_but_keeps_every_word_in_train(kind, seed):
    split = default_split(kind, seed=seed)
    words = lambda combos: {w for c in combos for w in c}  # noqa: E731
    assert words(split.val) | words(split.test) <= words(split.train)
    assert not (set(split.train) & set(split.test)) and not (set(split.val) & set(split.test))
    if kind == "relational":
        assert split.test == DEFAULT_RELATIONAL_TEST


def test_datasets_are_deterministic_from_seed_and_captions_stay_in_their_part():
    a = make_datasets("relational", "kway", n_per_combination=2, flip_prob=0.1, seed=5)
    b = make_datasets("relational", "kway", n_per_combination=2, flip_prob=0.1, seed=5)
    assert np.array_equal(a["test"].features, b["test"].features)
    assert a["test"].captions == b["test"].captions
    for item, lab in zip(a["test"].captions, a["test"].labels):
        assert tuple(item[lab]) in DEFAULT_RELATIONAL_TEST and len(item) == 5


def test_binary_items_are_balanced_and_negatives_show_swapped_arguments():
    ds = make_datasets("relational", "binary", n_per_combination=3, seed=0)["train"]
    assert ds.labels.mean() == 0.5
    for scene, cap, lab in zip(ds.scenes, ds.captions, ds.labels):
        assert [o.shape for o in scene.objects] == [cap[0], cap[2]]
        assert scene.holds(cap[1]) == bool(lab)


def test_user_defined_split_rejects_words_missing_from_train():
    with pytest.raises(ValueError, match="never occur in the training"):
        CompositionalSplit("single", train=(("red", "cube"),), val=(), test=(("blue", "cone"),))


def test_render_is_small_rgb_and_depends_on_the_scene():
    rng = np.random.default_rng(0)
    a = render_scene(sample_scene(("cube", "left", "sphere"), seed=rng))
    b = render_scene(sample_scene(("sphere", "left", "cube"), seed=rng))
    assert a.shape == (32, 64, 3) and a.dtype == np.uint8 and not np.array_equal(a, b)


def test_mhe_flip_noise_flips_about_the_requested_fraction():
    scenes = [sample_scene(("cube", "left", "cone"), seed=np.random.default_rng(i)) for i in range(400)]
    clean = mhe_vectors(scenes, seed=1)  # the same slot order as the noisy ones
    noisy = mhe_vectors(scenes, flip_prob=0.2, seed=1)
    assert abs(np.mean(clean != noisy) - 0.2) < 0.02


def test_mhe_slots_do_not_encode_the_relation_by_position():
    # the old leak: slot 0 always held the left object. Now the slot order is random per scene,
    # each slot says (shape, position), and the set of slots is exactly the scene's truth.
    rng = np.random.default_rng(0)
    scenes = [sample_scene(("cube", "left", "cone"), seed=rng) for _ in range(400)]
    x = mhe_vectors(scenes, seed=2).reshape(len(scenes), 2, 8)
    first = [ATTRIBUTES["object"][int(np.argmax(s[0]))] for s in x]
    assert abs(np.mean([f == "cube-left" for f in first]) - 0.5) < 0.08
    assert all(sorted(ATTRIBUTES["object"][int(np.argmax(v))] for v in s) == ["cone-right", "cube-left"]
               for s in x)
    old = mhe_vectors(scenes, ("shape",), slot_order="left-to-right").reshape(len(scenes), 2, 4)
    assert np.all(old[:, 0, 0] == 1)  # the old layout: the cube (left) always on slot 0
