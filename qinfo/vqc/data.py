"""Synthetic CLEVR-style scenes, captions and compositional train/val/test splits.

A scene holds one object ("red cube") or two objects in a relation
("cube left sphere": the cube is left of the sphere). Shapes are cube, cone,
cylinder and sphere; colours blue, brown, cyan, gray, green, purple, red and
yellow; relations left/right, optionally front/behind.

A *combination* is the content words of a caption: ``("cube", "left",
"sphere")`` or ``("red", "cube")``. A :class:`CompositionalSplit` puts every
combination in exactly one of train, validation or test, with every word
seen in training, so validation and test measure compositional
generalisation: new combinations of known words.

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

import itertools
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

import numpy as np

from .._random import SeedLike, as_generator, spawn_seeds
from qinfo._validate import check_real

__all__ = [
    "SHAPES", "COLOURS", "RELATIONS", "INVERSE", "DEFAULT_RELATIONAL_TEST",
    "SceneObject", "Scene", "CompositionalSplit", "CaptionDataset",
    "all_combinations", "default_split", "sample_scene", "render_scene", "make_datasets",
]

SHAPES = ("cube", "cone", "cylinder", "sphere")
COLOURS = ("blue", "brown", "cyan", "gray", "green", "purple", "red", "yellow")
RELATIONS = ("left", "right")
#: relation -> its converse: ``a left b`` holds exactly when ``b right a`` does.
INVERSE = {"left": "right", "right": "left", "front": "behind", "behind": "front"}
#: the held-out relational combinations of the reference study.
DEFAULT_RELATIONAL_TEST = (
    ("cube", "right", "cone"), ("cylinder", "left", "cube"), ("cylinder", "right", "cone"),
    ("sphere", "left", "cylinder"), ("sphere", "right", "cone"), ("sphere", "right", "cylinder"),
)
_RGB = {"blue": (42, 75, 215), "brown": (129, 74, 25), "cyan": (41, 208, 208),
        "gray": (87, 87, 87), "green": (29, 105, 20), "purple": (129, 38, 192),
        "red": (173, 35, 35), "yellow": (255, 238, 51)}
KINDS = ("relational", "single")
TASKS = ("binary", "kway")


@dataclass(frozen=True)
class SceneObject:
    """One object: shape, colour and position ``x`` (0 left .. 1 right), ``depth`` (0 back .. 1 front)."""

    shape: str
    colour: str
    x: float
    depth: float


@dataclass(frozen=True)
class Scene:
    """A scene of one or two objects; ``objects`` are in the order the caption names them.

    Examples
    --------
    >>> s = Scene((SceneObject("cube", "red", 0.2, 0.5), SceneObject("cone", "blue", 0.8, 0.5)))
    >>> s.holds("left"), s.slots()[0].shape
    (True, 'cube')
    """

    objects: tuple[SceneObject, ...]

    def holds(self, relation: str) -> bool:
        """Whether ``objects[0] relation objects[1]`` is true of this scene."""
        a, b = self.objects
        return {"left": a.x < b.x, "right": a.x > b.x,
                "front": a.depth > b.depth, "behind": a.depth < b.depth}[relation]

    def slots(self) -> tuple[SceneObject, ...]:
        """Objects from left to right: the slot order of the image encodings."""
        return tuple(sorted(self.objects, key=lambda o: o.x))

    def render(self, size: int = 32) -> np.ndarray:
        """This scene as a ``(size, 2 * size, 3)`` uint8 RGB image; see :func:`render_scene`."""
        return render_scene(self, size)


def all_combinations(kind: str = "relational", relations: Sequence[str] = RELATIONS) -> list[tuple]:
    """Every caption combination of a kind, in a fixed order.

    Examples
    --------
    >>> len(all_combinations("relational")), len(all_combinations("single"))
    (24, 32)
    """
    _check_kind(kind)
    if kind == "single":
        return [(c, s) for c in COLOURS for s in SHAPES]
    _check_relations(relations)
    return [(a, r, b) for r in relations for a in SHAPES for b in SHAPES if a != b]


def _check_kind(kind):
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def _check_relations(relations):
    bad = [r for r in relations if r not in INVERSE]
    if bad or not relations:
        raise ValueError(f"relations must be a non-empty subset of {sorted(INVERSE)}, got {relations!r}")


def _words(combos: Iterable[tuple]) -> set[str]:
    return {w for c in combos for w in c}


@dataclass(frozen=True)
class CompositionalSplit:
    """Which caption combinations go to train, validation and test.

    Build one with :func:`default_split` or :meth:`custom`; the constructor
    checks that the three parts are disjoint and every word occurs in train.

    Examples
    --------
    >>> split = CompositionalSplit.custom([("cube", "left", "cone")], val=[("cone", "left", "cube")])
    >>> len(split.train), len(split.val), len(split.test)
    (22, 1, 1)
    """

    kind: str
    train: tuple[tuple[str, ...], ...]
    val: tuple[tuple[str, ...], ...]
    test: tuple[tuple[str, ...], ...]
    relations: tuple[str, ...] = RELATIONS

    def __post_init__(self):
        _check_kind(self.kind)
        universe = set(all_combinations(self.kind, self.relations))
        parts = {"train": self.train, "val": self.val, "test": self.test}
        for name, part in parts.items():
            unknown = [c for c in part if tuple(c) not in universe]
            if unknown:
                raise ValueError(f"split {name} has combinations {unknown} that are not valid "
                                 f"{self.kind} captions over relations {self.relations}")
        seen: set = set()
        for name, part in parts.items():
            dup = seen & set(map(tuple, part))
            if dup:
                raise ValueError(f"combinations {sorted(dup)} appear in more than one part of the split")
            seen |= set(map(tuple, part))
        missing = _words(self.val) | _words(self.test)
        missing -= _words(self.train)
        if missing:
            raise ValueError(f"words {sorted(missing)} never occur in the training combinations")

    @classmethod
    def custom(cls, test: Sequence[tuple], val: Sequence[tuple] = (), *, kind: str | None = None,
               relations: Sequence[str] = RELATIONS) -> "CompositionalSplit":
        """A split with the given test and validation combinations; train is everything else."""
        test = tuple(tuple(c) for c in test)
        val = tuple(tuple(c) for c in val)
        if kind is None:
            first = (test + val)[:1]
            kind = "single" if first and len(first[0]) == 2 else "relational"
        rest = set(test) | set(val)
        train = tuple(c for c in all_combinations(kind, relations) if c not in rest)
        return cls(kind, train, val, test, tuple(relations))


def default_split(kind: str = "relational", *, n_val: int = 3, n_test: int = 6,
                  relations: Sequence[str] = RELATIONS, seed: SeedLike = 0) -> CompositionalSplit:
    """The default split: :data:`DEFAULT_RELATIONAL_TEST` (or, for single objects,
    ``n_test`` combinations drawn from ``seed``) as test, ``n_val`` more drawn from
    ``seed`` as validation, every word kept in training.

    Examples
    --------
    >>> split = default_split("relational", seed=0)
    >>> split.test == DEFAULT_RELATIONAL_TEST, len(split.val), len(split.train)
    (True, 3, 15)
    """
    _check_kind(kind)
    rng = as_generator(seed)
    combos = all_combinations(kind, relations)
    if kind == "relational" and set(DEFAULT_RELATIONAL_TEST) <= set(combos):
        test = DEFAULT_RELATIONAL_TEST
    else:
        test = None
    for _ in range(1000):
        order = [combos[i] for i in rng.permutation(len(combos))]
        t = test if test is not None else tuple(order[:n_test])
        rest = [c for c in order if c not in t]
        val = tuple(rest[:n_val])
        train = [c for c in combos if c not in t and c not in val]
        if _words(t) | _words(val) <= _words(train):
            return CompositionalSplit(kind, tuple(train), val, tuple(t), tuple(relations))
    raise ValueError(f"could not find a split with n_val={n_val}, n_test={n_test} keeping every word in train")


def sample_scene(combination: tuple, rng: np.random.Generator) -> Scene:
    """A random scene that the caption ``combination`` describes.

    Colours of relational scenes are random; positions are random subject to
    the relation (objects at least 0.2 apart on the relevant axis).

    Examples
    --------
    >>> s = sample_scene(("sphere", "right", "cube"), np.random.default_rng(0))
    >>> s.holds("right"), [o.shape for o in s.objects]
    (True, ['sphere', 'cube'])
    """
    if len(combination) == 2:
        colour, shape = combination
        return Scene((SceneObject(shape, colour, float(rng.uniform(0.35, 0.65)),
                                  float(rng.uniform(0.3, 0.7))),))
    a, rel, b = combination
    lo, hi = np.sort(rng.uniform(0.1, 0.9, size=2))
    while hi - lo < 0.2:
        lo, hi = np.sort(rng.uniform(0.1, 0.9, size=2))
    colours = rng.choice(len(COLOURS), size=2)
    if rel in ("left", "right"):
        xa, xb = (lo, hi) if rel == "left" else (hi, lo)
        da, db = rng.uniform(0.2, 0.8, size=2)
    else:
        da, db = (hi, lo) if rel == "front" else (lo, hi)
        xa, xb = rng.permutation([0.3, 0.7]) + rng.uniform(-0.1, 0.1, size=2)
    return Scene((SceneObject(a, COLOURS[colours[0]], float(xa), float(da)),
                  SceneObject(b, COLOURS[colours[1]], float(xb), float(db))))


def render_scene(scene: Scene, size: int = 32) -> np.ndarray:
    """Draw ``scene`` as a small ``(size, 2 * size, 3)`` uint8 RGB image on a gray floor.

    Cubes are squares with a lighter top, cones triangles, cylinders
    rectangles with an elliptic top, spheres shaded discs; objects in front
    are lower and larger and are drawn last.

    Examples
    --------
    >>> img = render_scene(sample_scene(("red", "cube"), np.random.default_rng(0)), size=16)
    >>> img.shape, img.dtype
    ((16, 32, 3), dtype('uint8'))
    """
    if not isinstance(size, (int, np.integer)) or size < 8:
        raise ValueError(f"size must be an int >= 8, got {size!r}")
    h, w = size, 2 * size
    yy, xx = np.mgrid[0:h, 0:w].astype(float) + 0.5
    img = np.empty((h, w, 3))
    img[:] = np.linspace(200, 150, h)[:, None, None]
    for obj in sorted(scene.objects, key=lambda o: o.depth):
        r = size * (0.18 + 0.08 * obj.depth)
        cx, cy = obj.x * w, h * (0.45 + 0.3 * obj.depth)
        dx, dy = xx - cx, yy - cy
        rgb = np.array(_RGB[obj.colour], dtype=float)
        shade = np.ones((h, w))
        if obj.shape == "cube":
            mask = (np.abs(dx) <= r) & (np.abs(dy) <= r)
            shade = np.where(dy < -0.5 * r, 1.25, 1.0)
        elif obj.shape == "cone":
            mask = (dy <= r) & (dy >= -r) & (np.abs(dx) <= r * (dy + r) / (2 * r))
        elif obj.shape == "cylinder":
            body = (np.abs(dx) <= 0.8 * r) & (np.abs(dy) <= r)
            top = (dx / (0.8 * r)) ** 2 + ((dy + r) / (0.3 * r)) ** 2 <= 1
            mask = body | top
            shade = np.where(top, 1.25, 1.0)
        else:
            mask = dx**2 + dy**2 <= r**2
            shade = 1.25 - 0.5 * np.sqrt(np.clip(((dx + 0.3 * r) ** 2 + (dy + 0.3 * r) ** 2) / (2 * r * r), 0, 1))
        img[mask] = np.clip(rgb[None, :] * shade[mask][:, None], 0, 255)
    return img.astype(np.uint8)


@dataclass
class CaptionDataset:
    """Items of one split of one task.

    Attributes
    ----------
    task : {"binary", "kway"}
    kind : {"relational", "single"}
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
        :mod:`qinfo.vqc.encodings`.
    source : str
        Where the images and features come from: ``"synthetic scenes, ..."``
        for qinfo's generated data, ``"embeddings file ..."`` for real images.
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
        """A copy whose items carry ``features`` (one row per item; checked for shape and NaN)."""
        features = np.asarray(features, dtype=float)
        if features.ndim != 2 or features.shape[0] != len(self):
            raise ValueError(f"features must have shape ({len(self)}, d), got {features.shape}")
        if not np.all(np.isfinite(features)):
            raise ValueError("features contain NaN or infinite values")
        return replace(self, features=features)

    def all_captions(self) -> list[tuple[str, ...]]:
        """Every caption an item of this dataset refers to (with repeats)."""
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
                  seed: SeedLike = 0) -> dict[str, CaptionDataset]:
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
        (:func:`~qinfo.vqc.encodings.mhe_vectors` with ``flip_prob`` and
        ``noise_std``), synthetic CLIP-like embeddings
        (:func:`~qinfo.vqc.encodings.synthetic_clip_embeddings`), a callable
        ``scenes -> array`` (e.g. real CLIP vectors looked up by
        :func:`~qinfo.vqc.encodings.load_clip_embeddings`), or None.
    flip_prob, noise_std : float
        Noise of the multi-hot vectors.
    slot_order : {"shuffled", "left-to-right"}
        Slot layout of the multi-hot vectors (see :func:`~qinfo.vqc.encodings.mhe_vectors`).
    embeddings : path or Embeddings, optional
        Real image vectors (an embeddings file, see :mod:`qinfo.vqc.images`).
        Each item's image is then drawn from the images of its caption (the
        hard negative from those of ``a R' b``); items hold image ids instead
        of synthetic scenes and ``features`` is ignored.
    seed : int, SeedSequence or Generator
        Everything (split, scenes, noise) is a deterministic function of it.

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
    _check_kind(kind)
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    if isinstance(n_per_combination, bool) or not isinstance(n_per_combination, (int, np.integer)) \
            or n_per_combination < 1:
        raise ValueError(f"n_per_combination must be a positive int, got {n_per_combination!r}")
    check_real("flip_prob", flip_prob, inclusive=True, high=0.5)
    check_real("noise_std", noise_std, inclusive=True)
    s_split, s_train, s_val, s_test, s_feat = spawn_seeds(seed, 5)
    if split is None:
        split = default_split(kind, seed=s_split)
    elif not isinstance(split, CompositionalSplit):
        raise TypeError(f"split must be a CompositionalSplit, got {type(split).__name__}")
    elif split.kind != kind:
        raise ValueError(f"split is for kind {split.kind!r} but kind={kind!r}")
    draw, available = (lambda combo, rng: sample_scene(combo, rng)), None
    if embeddings is not None:
        from .images import Embeddings, load_embeddings

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
    from . import encodings

    if callable(features):
        return features(scenes)
    if features == "mhe":
        return encodings.mhe_vectors(scenes, attributes=encodings.default_attributes(kind, relations),
                                     flip_prob=flip_prob, noise_std=noise_std, slot_order=slot_order,
                                     seed=seed)
    if features == "clip-like":
        return encodings.synthetic_clip_embeddings(scenes, seed=seed)
    raise ValueError(f"features must be 'mhe', 'clip-like', a callable or None, got {features!r}")
