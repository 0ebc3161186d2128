"""Scenes, the caption vocabulary and compositional train/validation/test splits.

A scene holds one object ("red cube") or two objects in a relation
("cube left sphere": the cube is left of the sphere). Shapes are cube, cone,
cylinder and sphere; colours blue, brown, cyan, gray, green, purple, red and
yellow; relations left/right, optionally front/behind.

A *combination* is the content words of a caption: ``("cube", "left",
"sphere")`` or ``("red", "cube")``. A :class:`CompositionalSplit` puts every
combination in exactly one of train, validation or test, with every word
seen in training, so validation and test measure compositional
generalisation: new combinations of known words.

This is the bottom of the data pipeline: the grammar, the image features,
the image files and the datasets all build on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from qinfo._random import SeedLike, as_generator
from qinfo._validate import check_int

__all__ = [
    "SHAPES", "COLOURS", "RELATIONS", "INVERSE", "DEFAULT_RELATIONAL_TEST", "KINDS",
    "SceneObject", "Scene", "CompositionalSplit", "all_combinations", "default_split", "sample_scene",
    "render_scene", "check_kind",
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


@dataclass(frozen=True)
class SceneObject:
    """One object of a scene.

    Parameters
    ----------
    shape : str
        One of ``SHAPES``.
    colour : str
        One of ``COLOURS``.
    x : float
        Horizontal position, 0 (left) to 1 (right).
    depth : float
        0 (back) to 1 (front).

    Examples
    --------
    >>> SceneObject("cube", "red", 0.2, 0.5).shape
    'cube'
    """

    shape: str
    colour: str
    x: float
    depth: float


@dataclass(frozen=True)
class Scene:
    """A scene of one or two objects.

    Parameters
    ----------
    objects : tuple of SceneObject
        In the order the caption names them.

    Examples
    --------
    >>> s = Scene((SceneObject("cube", "red", 0.2, 0.5), SceneObject("cone", "blue", 0.8, 0.5)))
    >>> s.holds("left"), s.slots()[0].shape
    (True, 'cube')
    """

    objects: tuple[SceneObject, ...]

    def holds(self, relation: str) -> bool:
        """Whether ``objects[0] relation objects[1]`` is true of this scene.

        Parameters
        ----------
        relation : {"left", "right", "front", "behind"}
            The relation word.

        Returns
        -------
        bool

        Examples
        --------
        >>> s = Scene((SceneObject("cube", "red", 0.2, 0.3), SceneObject("cone", "blue", 0.8, 0.6)))
        >>> s.holds("left"), s.holds("front")
        (True, False)
        """
        a, b = self.objects
        return {"left": a.x < b.x, "right": a.x > b.x,
                "front": a.depth > b.depth, "behind": a.depth < b.depth}[relation]

    def slots(self) -> tuple[SceneObject, ...]:
        """Objects from left to right: the slot order of the image encodings.

        Returns
        -------
        tuple of SceneObject

        Examples
        --------
        >>> s = Scene((SceneObject("cube", "red", 0.8, 0.5), SceneObject("cone", "blue", 0.2, 0.5)))
        >>> [o.shape for o in s.slots()]
        ['cone', 'cube']
        """
        return tuple(sorted(self.objects, key=lambda o: o.x))

    def render(self, size: int = 32) -> np.ndarray:
        """This scene as a ``(size, 2 * size, 3)`` uint8 RGB image; see :func:`render_scene`.

        Parameters
        ----------
        size : int
            Height in pixels (at least 8).

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> Scene((SceneObject("cube", "red", 0.5, 0.5),)).render(8).shape
        (8, 16, 3)
        """
        return render_scene(self, size)


def all_combinations(kind: str = "relational", relations: Sequence[str] = RELATIONS) -> list[tuple]:
    """Every caption combination of a kind, in a fixed order.

    Parameters
    ----------
    kind : {"relational", "single"}
        ``(shape, relation, shape)`` or ``(colour, shape)`` combinations.
    relations : sequence of str
        Relation words of relational combinations.

    Returns
    -------
    list of tuple of str

    Examples
    --------
    >>> len(all_combinations("relational")), len(all_combinations("single"))
    (24, 32)
    """
    check_kind(kind)
    if kind == "single":
        return [(c, s) for c in COLOURS for s in SHAPES]
    _check_relations(relations)
    return [(a, r, b) for r in relations for a in SHAPES for b in SHAPES if a != b]


def check_kind(kind):
    """``ValueError`` unless ``kind`` is one of ``KINDS``."""
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

    Parameters
    ----------
    kind : {"relational", "single"}
        The kind of caption.
    train, val, test : tuple of tuple of str
        The combinations of each part.
    relations : tuple of str
        The relation words of the split.

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
        check_kind(self.kind)
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
        """A split with the given test and validation combinations; train is everything else.

        Parameters
        ----------
        test : sequence of tuple of str
            Held-out test combinations.
        val : sequence of tuple of str
            Validation combinations.
        kind : {"relational", "single"}, optional
            Guessed from the length of the first combination by default.
        relations : sequence of str
            Relation words of the split.

        Returns
        -------
        CompositionalSplit

        Examples
        --------
        >>> split = CompositionalSplit.custom([("red", "cube")])
        >>> split.kind, len(split.train)
        ('single', 31)
        """
        test = tuple(tuple(c) for c in test)
        val = tuple(tuple(c) for c in val)
        if kind is None:
            first = (test + val)[:1]
            kind = "single" if first and len(first[0]) == 2 else "relational"
        rest = set(test) | set(val)
        train = tuple(c for c in all_combinations(kind, relations) if c not in rest)
        return cls(kind, train, val, test, tuple(relations))


def default_split(kind: str = "relational", *, n_val: int = 3, n_test: int = 6,
                  relations: Sequence[str] = RELATIONS, seed: SeedLike = None) -> CompositionalSplit:
    """The default split: a fixed relational test set, validation drawn from ``seed``.

    The test part is ``DEFAULT_RELATIONAL_TEST`` (or, for single objects,
    ``n_test`` combinations drawn from ``seed``), ``n_val`` more drawn from
    ``seed`` are the validation part, and every word is kept in training.

    Parameters
    ----------
    kind : {"relational", "single"}
        The kind of caption.
    n_val : int
        Number of validation combinations.
    n_test : int
        Number of test combinations when they are drawn (single objects, or
        relations without the default test set).
    relations : sequence of str
        Relation words.
    seed : None, int, SeedSequence or Generator
        Draws the validation (and drawn test) combinations.

    Returns
    -------
    CompositionalSplit

    Examples
    --------
    >>> split = default_split("relational", seed=0)
    >>> split.test == DEFAULT_RELATIONAL_TEST, len(split.val), len(split.train)
    (True, 3, 15)
    """
    check_kind(kind)
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


def sample_scene(combination: tuple, *, seed: SeedLike = None) -> Scene:
    """A random scene that the caption ``combination`` describes.

    Colours of relational scenes are random; positions are random subject to
    the relation (objects at least 0.2 apart on the relevant axis).

    Parameters
    ----------
    combination : tuple of str
        ``(shape, relation, shape)`` or ``(colour, shape)``.
    seed : None, int, SeedSequence or Generator
        Positions and colours (a Generator is drawn from, so a loop can share one).

    Returns
    -------
    Scene

    Examples
    --------
    >>> s = sample_scene(("sphere", "right", "cube"), seed=0)
    >>> s.holds("right"), [o.shape for o in s.objects]
    (True, ['sphere', 'cube'])
    """
    rng = as_generator(seed)
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

    Parameters
    ----------
    scene : Scene
        What to draw.
    size : int
        Height in pixels (at least 8); the image is twice as wide.

    Returns
    -------
    numpy.ndarray, shape (size, 2 * size, 3), dtype uint8

    Examples
    --------
    >>> img = render_scene(sample_scene(("red", "cube"), seed=0), size=16)
    >>> img.shape, img.dtype
    ((16, 32, 3), dtype('uint8'))
    """
    check_int("size", size, 8)
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


