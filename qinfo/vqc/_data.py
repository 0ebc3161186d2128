"""Datasets of (caption, image) items on a compositional split, for the two tasks.

Scenes, the vocabulary and the splits are in :mod:`qinfo.vqc._scenes`; the
image feature vectors in :mod:`qinfo.vqc._features`.

Tasks built on a split (see :func:`make_datasets`):

``"binary"``
    Items are (caption, image, label) with one positive and one hard negative
    image per caption instance; for ``a R b`` the negative image shows the
    arguments swapped (``b R a``, equivalently the flipped relation
    ``a R' b``). Balanced, so chance is 50 %.
``"kway"``
    Items are (image, candidate captions, index of the true one). For
    ``a R b`` the distractors are ``b R a``, ``a R' b``, ``c R b`` and
    ``a R c`` with ``c`` a third shape (chance 20 %). For ``colour shape`` they
    are another colour, another shape, and both changed (chance 25 %).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from qinfo._random import SeedLike, as_generator, spawn_seeds
from qinfo._validate import check_int, check_real
from qinfo.vqc._features import default_attributes, mhe_vectors, synthetic_clip_embeddings
from qinfo.vqc._images import Embeddings, load_embeddings
from qinfo.vqc._scenes import (COLOURS, INVERSE, RELATIONS, SHAPES, CompositionalSplit, Scene, check_kind,
                               default_split, sample_scene)

__all__ = ["TASKS", "CaptionDataset", "make_datasets"]

TASKS = ("binary", "kway")


@dataclass
class CaptionDataset:
    """Items of one split of one task; :func:`make_datasets` builds them.

    Parameters
    ----------
    task : {"binary", "kway"}
        Caption matching (one caption and one image per item) or the choice
        of the true caption among candidates.
    kind : {"relational", "single"}
        Two objects and a relation, or one coloured object.
    scenes : list of Scene or str
        The image of each item: a synthetic scene, or the id of a real image
        (datasets built from an embeddings file).
    captions : list
        ``binary``: one caption (tuple of words) per item; ``kway``: a list of
        candidate captions per item.
    labels : numpy.ndarray of int
        ``binary``: 1 for a match, 0 for a hard negative; ``kway``: index of the
        true caption among the candidates.
    groups : numpy.ndarray of int
        Items with the same group share a caption instance (binary: the
        positive and its hard negative), used by the contrastive loss.
    features : numpy.ndarray or None
        One image feature vector per item (multi-hot or CLIP), see
        :func:`mhe_vectors` and :func:`synthetic_clip_embeddings`.
    relations : tuple of str
        The relation words of the split.
    name : str
        ``"train"``, ``"val"`` or ``"test"``.
    source : str
        Where the images and features come from: ``"synthetic scenes, ..."``
        for qinfo's generated data, ``"embeddings file ..."`` for real images.

    Examples
    --------
    >>> test = make_datasets("relational", "binary", n_per_combination=1, seed=0)["test"]
    >>> len(test), test.captions[0], test.labels[:2].tolist(), test.groups[:2].tolist()
    (12, ('cube', 'right', 'cone'), [1, 0], [0, 0])
    """

    task: str
    kind: str
    scenes: list[Scene]
    captions: list
    labels: np.ndarray
    groups: np.ndarray
    features: np.ndarray | None = None
    relations: tuple[str, ...] = RELATIONS
    name: str = ""
    source: str = ""

    def __len__(self) -> int:
        return len(self.scenes)

    def __repr__(self) -> str:
        feat = None if self.features is None else self.features.shape[1]
        return (f"CaptionDataset(name={self.name!r}, task={self.task!r}, kind={self.kind!r}, "
                f"n_items={len(self)}, n_features={feat}, source={self.source!r})")

    def with_features(self, features) -> "CaptionDataset":
        """A copy whose items carry ``features``.

        Parameters
        ----------
        features : array_like, shape (len(self), d)
            One finite feature vector per item.

        Returns
        -------
        CaptionDataset

        Examples
        --------
        >>> test = make_datasets("relational", "binary", n_per_combination=1, features=None, seed=0)["test"]
        >>> test.with_features(np.zeros((len(test), 3))).features.shape
        (12, 3)
        """
        features = np.asarray(features, dtype=float)
        if features.ndim != 2 or features.shape[0] != len(self):
            raise ValueError(f"features must have shape ({len(self)}, d), got {features.shape}")
        if not np.all(np.isfinite(features)):
            raise ValueError("features contain NaN or infinite values")
        return replace(self, features=features)

    def all_captions(self) -> list[tuple[str, ...]]:
        """Every caption an item of this dataset refers to (with repeats).

        Returns
        -------
        list of tuple of str
            Binary: one caption per item; k-way: every candidate of every item.

        Examples
        --------
        >>> test = make_datasets("relational", "kway", n_per_combination=1, seed=0)["test"]
        >>> len(test), len(test.all_captions())
        (6, 30)
        """
        if self.task == "binary":
            return list(self.captions)
        return [c for cands in self.captions for c in cands]


def _distractors(combo: tuple, rng: np.random.Generator) -> list[tuple]:
    if len(combo) == 3:
        a, r, b = combo
        c1 = [s for s in SHAPES if s not in (a, b)]
        c, d = rng.choice(c1, size=2, replace=True)
        return [(b, r, a), (a, INVERSE[r], b), (str(c), r, b), (a, r, str(d))]
    colour, shape = combo
    oc = str(rng.choice([c for c in COLOURS if c != colour]))
    os_ = str(rng.choice([s for s in SHAPES if s != shape]))
    return [(oc, shape), (colour, os_), (oc, os_)]


def _negative_caption(combo: tuple, rng: np.random.Generator, k: int, available=None) -> tuple:
    """The hard negative's caption: ``a R' b`` (the arguments swapped), or another colour or shape.

    With ``available`` (a set of captions) only those are chosen from.
    """
    ok = (lambda c: True) if available is None else (lambda c: c in available)  # noqa: E731
    if len(combo) == 3:
        a, r, b = combo
        # the arguments swapped, which is the same picture as the relation flipped
        return (a, INVERSE[r], b)
    colour, shape = combo
    options = ([(c, shape) for c in COLOURS if c != colour], [(colour, x) for x in SHAPES if x != shape])
    first = [c for c in options[k % 2] if ok(c)] or [c for c in options[1 - k % 2] if ok(c)]
    if not first:
        raise ValueError(f"no image shows a hard negative of {' '.join(combo)!r} (another colour or shape)")
    return first[int(rng.integers(len(first)))]


def _build(part: str, combos, task, kind, n_per, relations, rng, draw, available=None) -> CaptionDataset:
    """Items of one part; ``draw(caption, rng)`` gives an image (a Scene or an image id)."""
    scenes, captions, labels, groups = [], [], [], []
    g = 0
    for combo in combos:
        for k in range(n_per):
            if task == "binary":
                pos = draw(combo, rng)
                neg = draw(_negative_caption(combo, rng, k, available), rng)
                scenes += [pos, neg]
                captions += [combo, combo]
                labels += [1, 0]
                groups += [g, g]
            else:
                scene = draw(combo, rng)
                cands = [combo] + _distractors(combo, rng)
                order = rng.permutation(len(cands))
                scenes.append(scene)
                captions.append([cands[i] for i in order])
                labels.append(int(np.argmin(order)))
                groups.append(g)
            g += 1
    return CaptionDataset(task, kind, scenes, captions, np.array(labels, dtype=int),
                          np.array(groups, dtype=int), None, tuple(relations), part)


def _image_draw(embeddings, combos):
    """``draw`` for :func:`_build` over real images: a random image of the caption (each pool cycled)."""
    pools = embeddings.by_caption()
    missing = [" ".join(c) for c in combos if tuple(c) not in pools]
    if missing:
        raise ValueError(f"the embeddings file has no image of {len(missing)} captions of the split, "
                         f"e.g. {missing[0]!r}")

    def draw(combo, rng):
        pool = pools.get(tuple(combo))
        if pool is None:
            raise ValueError(f"the embeddings file has no image of {' '.join(combo)!r} (a hard negative)")
        return embeddings.ids[int(pool[rng.integers(len(pool))])]

    return draw, set(pools)


def make_datasets(kind: str = "relational", task: str = "binary", *,
                  split: CompositionalSplit | None = None, n_per_combination: int = 10,
                  features: str | Callable | None = "mhe", flip_prob: float = 0.0,
                  noise_std: float = 0.0, slot_order: str = "shuffled", embeddings=None,
                  seed: SeedLike = None) -> dict[str, CaptionDataset]:
    """Train, validation and test datasets on a compositional split.

    Parameters
    ----------
    kind : {"relational", "single"}
        Two objects and a relation, or one coloured object.
    task : {"binary", "kway"}
        See the module docstring.
    split : CompositionalSplit, optional
        Default: :func:`default_split` of ``kind`` drawn from ``seed``.
    n_per_combination : int
        Caption instances per combination (binary: each gives a positive and a
        negative item).
    features : {"mhe", "clip-like"}, callable or None
        Image features attached to the items: noisy multi-hot vectors
        (:func:`mhe_vectors` with ``flip_prob`` and ``noise_std``), synthetic
        CLIP-like embeddings (:func:`synthetic_clip_embeddings`), a callable
        ``scenes -> array`` (e.g. real CLIP vectors looked up by
        :func:`load_clip_embeddings`), or None.
    flip_prob : float
        Probability that each multi-hot bit flips, in ``[0, 0.5]``.
    noise_std : float
        Standard deviation of the Gaussian noise added to every multi-hot entry.
    slot_order : {"shuffled", "left-to-right"}
        Slot layout of the multi-hot vectors (see :func:`mhe_vectors`).
    embeddings : path or Embeddings, optional
        Real image vectors (an embeddings file, see :func:`load_embeddings`).
        Each item's image is then drawn from the images of its caption (the
        hard negative from those of ``a R' b``); items hold image ids instead
        of synthetic scenes and ``features`` is ignored.
    seed : None, int, SeedSequence or Generator
        Everything (split, scenes, noise) is a deterministic function of it;
        None draws fresh entropy.

    Returns
    -------
    dict
        ``{"train": CaptionDataset, "val": ..., "test": ...}``.

    Examples
    --------
    >>> ds = make_datasets("relational", "binary", n_per_combination=2, seed=0)
    >>> len(ds["train"]), len(ds["test"]), ds["test"].captions[0]
    (60, 24, ('cube', 'right', 'cone'))
    """
    check_kind(kind)
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    check_int("n_per_combination", n_per_combination, 1)
    check_real("flip_prob", flip_prob, inclusive=True, high=0.5)
    check_real("noise_std", noise_std, inclusive=True)
    s_split, s_train, s_val, s_test, s_feat = spawn_seeds(seed, 5)
    if split is None:
        split = default_split(kind, seed=s_split)
    elif not isinstance(split, CompositionalSplit):
        raise TypeError(f"split must be a CompositionalSplit, got {type(split).__name__}")
    elif split.kind != kind:
        raise ValueError(f"split is for kind {split.kind!r} but kind={kind!r}")
    draw, available = (lambda combo, rng: sample_scene(combo, seed=rng)), None
    if embeddings is not None:
        embeddings = embeddings if isinstance(embeddings, Embeddings) else load_embeddings(embeddings)
        draw, available = _image_draw(embeddings, split.train + split.val + split.test)
        row = {i: k for k, i in enumerate(embeddings.ids)}
    out = {}
    for part, s, s_f in zip(("train", "val", "test"), (s_train, s_val, s_test), s_feat.spawn(3)):
        combos = getattr(split, part)
        ds = _build(part, combos, task, kind, int(n_per_combination), split.relations, as_generator(s),
                    draw, available)
        if embeddings is not None and len(ds):
            ds = ds.with_features(embeddings.vectors[[row[i] for i in ds.scenes]])
        elif features is not None and len(ds):
            ds = ds.with_features(_featurize(features, ds.scenes, kind, split.relations,
                                             flip_prob, noise_std, slot_order, s_f))
        out[part] = replace(ds, source=_source(features, embeddings, flip_prob, noise_std))
    return out


def _source(features, embeddings, flip_prob, noise_std) -> str:
    if embeddings is not None:
        return f"embeddings file of real images (model: {embeddings.source or 'not recorded'})"
    if callable(features):
        return "synthetic scenes, features from a user function"
    if features == "mhe":
        return f"synthetic scenes, multi-hot features (flip_prob={flip_prob}, noise_std={noise_std})"
    if features == "clip-like":
        return "synthetic scenes, synthetic CLIP-like vectors (not real CLIP)"
    return "synthetic scenes, no features"


def _featurize(features, scenes, kind, relations, flip_prob, noise_std, slot_order, seed):
    if callable(features):
        return features(scenes)
    if features == "mhe":
        return mhe_vectors(scenes, attributes=default_attributes(kind, relations),
                                     flip_prob=flip_prob, noise_std=noise_std, slot_order=slot_order,
                                     seed=seed)
    if features == "clip-like":
        return synthetic_clip_embeddings(scenes, seed=seed)
    raise ValueError(f"features must be 'mhe', 'clip-like', a callable or None, got {features!r}")

