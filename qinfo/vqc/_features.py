"""Image feature vectors of scenes: multi-hot vectors and CLIP(-like) embeddings.

**Multi-hot (MHE)**, :func:`mhe_vectors`. Each object of a scene fills a
*slot*: the concatenation of one one-hot group per attribute, in the order
given (default for relational captions ``("object",)``, for one-object
captions ``("colour", "shape")``):

========  ====  ===============================================
group     bits  order
========  ====  ===============================================
colour    8     blue brown cyan gray green purple red yellow
shape     4     cube cone cylinder sphere
position  2     left of the other object, right of it
object    8     (shape, position): cube-left cube-right cone-left ... sphere-right
depth     2     in front of the other object, behind it
========  ====  ===============================================

so a two-object relational scene is ``[object | object]``, 16 bits on 2
qubits: a *set* of (object, position) features. The slots are put in a
random order per scene (``slot_order="shuffled"``, the default), so no qubit
stands for "the left object" and the relation has to be learned from the
position features. ``slot_order="left-to-right"`` is the old layout that
put the left object in slot 0: with it "left"/"right" are solved by wiring
(the relation word only has to copy or swap its two nouns), which is why
clean multi-hot accuracy was near 100 % by construction.
Only the attributes captions talk about are encoded by default: a
pure state cannot ignore information, so colour bits in a relational image
would lower every fidelity at random. Noise model: each bit flips
independently with probability ``flip_prob``, then Gaussian noise of standard
deviation ``noise_std`` is added to every entry. With the angle encoding it
becomes Gaussian noise on the rotation angles, amplified: every entry of a
one-hot group, the zeros included, feeds the group's angles, so for the
8-value ``object`` group the angles move by about 4.8 and 9.7 times
``noise_std`` radians (``MHEEncoding.angle_noise_std``). At
``noise_std=0.1`` two thirds of noisy scenes lie nearer another scene's clean
state than their own, which is why sigma 0.1 alone takes clean accuracy
most of the way to chance.

**CLIP vectors** come from a local ``.npz`` (:func:`load_clip_embeddings`,
written by ``examples/compute_clip_embeddings.py``) or from the documented
stand-in :func:`synthetic_clip_embeddings`.

The circuits that load these vectors on qubits are in :mod:`qinfo.vqc._encodings`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from qinfo._random import SeedLike, as_generator
from qinfo._validate import check_int, check_real
from qinfo.vqc._scenes import COLOURS, SHAPES, Scene

__all__ = [
    "ATTRIBUTES", "SLOT_ORDERS", "default_attributes", "check_attributes", "check_features", "mhe_vectors",
    "synthetic_clip_embeddings", "scene_key", "load_clip_embeddings",
]

#: attribute group -> its values, in bit order.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "colour": COLOURS, "shape": SHAPES, "position": ("left", "right"),
    "object": tuple(f"{s}-{p}" for s in SHAPES for p in ("left", "right")),
    "depth": ("front", "behind"),
}
SLOT_ORDERS = ("shuffled", "left-to-right")


def default_attributes(kind: str, relations: Sequence[str] = ("left", "right")) -> tuple[str, ...]:
    """Attributes the captions of ``kind`` talk about.

    Examples
    --------
    >>> default_attributes("relational"), default_attributes("single")
    (('object',), ('colour', 'shape'))
    """
    if kind == "single":
        return ("colour", "shape")
    return ("object", "depth") if {"front", "behind"} & set(relations) else ("object",)


def check_attributes(attributes):
    """``ValueError`` unless ``attributes`` is a non-empty sequence of groups of ``ATTRIBUTES``."""
    bad = [a for a in attributes if a not in ATTRIBUTES]
    if bad or not attributes:
        raise ValueError(f"attributes must be a non-empty sequence from {sorted(ATTRIBUTES)}, got {attributes!r}")


def _attribute_value(scene: Scene, obj, attribute: str) -> str:
    others = [o for o in scene.objects if o is not obj]
    if attribute == "depth":
        return "front" if others and obj.depth > others[0].depth else "behind"
    position = "left" if obj.x < (others[0].x if others else 0.5) else "right"
    if attribute == "position":
        return position
    if attribute == "object":
        return f"{obj.shape}-{position}"
    return getattr(obj, attribute)


def mhe_vectors(scenes: Sequence[Scene], attributes: Sequence[str] = ("object",), *,
                flip_prob: float = 0.0, noise_std: float = 0.0, slot_order: str = "shuffled",
                seed: SeedLike = None) -> np.ndarray:
    """Multi-hot vectors of ``scenes`` (layout and noise model in the module docstring).

    Parameters
    ----------
    scenes : sequence of Scene
        All with the same number of objects.
    attributes : sequence of str
        Groups per slot, from ``ATTRIBUTES``.
    flip_prob : float
        Probability that each bit flips, in ``[0, 0.5]``.
    noise_std : float
        Standard deviation of Gaussian noise added to every entry.
    slot_order : {"shuffled", "left-to-right"}
        Slot order per scene: random (default; no qubit stands for a position)
        or left to right (leaks the relation into the layout; kept for comparison).
    seed : None, int, SeedSequence or Generator
        Slot order and noise.

    Returns
    -------
    numpy.ndarray, shape (len(scenes), n_slots * bits_per_slot)

    Examples
    --------
    >>> from qinfo.vqc import Scene, SceneObject
    >>> s = Scene((SceneObject("sphere", "red", 0.8, 0.5), SceneObject("cube", "blue", 0.2, 0.5)))
    >>> mhe_vectors([s], ("shape",), slot_order="left-to-right").astype(int)  # the old, leaking layout
    array([[1, 0, 0, 0, 0, 0, 0, 1]])
    >>> x = mhe_vectors([s], seed=3).reshape(2, 8)    # slots in random order
    >>> sorted(ATTRIBUTES["object"][i] for i in np.nonzero(x)[1])
    ['cube-left', 'sphere-right']
    """
    check_attributes(attributes)
    check_real("flip_prob", flip_prob, inclusive=True, high=0.5)
    check_real("noise_std", noise_std, inclusive=True)
    if slot_order not in SLOT_ORDERS:
        raise ValueError(f"slot_order must be one of {SLOT_ORDERS}, got {slot_order!r}")
    scenes = list(scenes)
    if not scenes:
        raise ValueError("scenes is empty")
    n_slots = {len(s.objects) for s in scenes}
    if len(n_slots) != 1:
        raise ValueError(f"scenes must all have the same number of objects, got {sorted(n_slots)}")
    rng = as_generator(seed)
    rows = []
    for scene in scenes:
        bits = []
        slots = scene.slots()
        if slot_order == "shuffled":
            slots = [slots[i] for i in rng.permutation(len(slots))]
        for obj in slots:
            for a in attributes:
                values = ATTRIBUTES[a]
                one = np.zeros(len(values))
                one[values.index(_attribute_value(scene, obj, a))] = 1.0
                bits.append(one)
        rows.append(np.concatenate(bits))
    x = np.array(rows)
    if flip_prob > 0:
        x = np.abs(x - (rng.random(x.shape) < flip_prob))
    if noise_std > 0:
        x = x + noise_std * rng.standard_normal(x.shape)
    return x


def check_features(features, dim: int | None, name: str = "features") -> np.ndarray:
    """``features`` as a finite 2-d float array (a row becomes one item) of ``dim`` columns.

    Examples
    --------
    >>> check_features([1.0, 2.0], 2).shape
    (1, 2)
    """
    x = np.asarray(features, dtype=float)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-d array (items, dimensions), got shape {x.shape}")
    if dim is not None and x.shape[1] != dim:
        raise ValueError(f"{name} have dimension {x.shape[1]} but the encoding expects {dim}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contain NaN or infinite values")
    return x



def synthetic_clip_embeddings(scenes: Sequence[Scene], dim: int = 512, *, binding: float = 0.3,
                              noise: float = 0.3, world_seed: int = 2024,
                              seed: SeedLike = None) -> np.ndarray:
    """CLIP-like unit vectors for ``scenes``: a bag of concepts with weak relation binding.

    For each object the embedding adds a concept vector of its shape and one
    of its colour (bag of words, what CLIP encodes well), plus ``binding``
    times a vector for "this shape in the left/right slot" (the weak
    binding of objects to positions that CLIP is known to do poorly), plus
    Gaussian noise of norm about ``noise``; the sum is normalised. Concept
    vectors are random unit vectors fixed by ``world_seed``; ``seed`` drives
    only the noise.

    Parameters
    ----------
    scenes : sequence of Scene
        The scenes to embed.
    dim : int
        Dimension of the vectors (at least 8; CLIP ViT-B/32 has 512).
    binding : float
        Weight of the shape-in-slot vectors (how much of the relation survives).
    noise : float
        Relative norm of the Gaussian noise.
    world_seed : int
        Fixes the concept vectors, so that every call embeds the same world.
    seed : None, int, SeedSequence or Generator
        The noise.

    Returns
    -------
    numpy.ndarray, shape (len(scenes), dim)
        Unit vectors.

    Examples
    --------
    >>> from qinfo.vqc import sample_scene
    >>> scenes = [sample_scene(("cube", "left", "cone"), seed=i) for i in range(3)]
    >>> e = synthetic_clip_embeddings(scenes, seed=0)
    >>> e.shape, bool(np.allclose(np.linalg.norm(e, axis=1), 1))
    ((3, 512), True)
    """
    check_int("dim", dim, 8)
    world = as_generator(world_seed)
    unit = lambda v: v / np.linalg.norm(v, axis=-1, keepdims=True)  # noqa: E731
    shape_v = dict(zip(SHAPES, unit(world.standard_normal((len(SHAPES), dim)))))
    colour_v = dict(zip(COLOURS, unit(world.standard_normal((len(COLOURS), dim)))))
    slot_v = unit(world.standard_normal((2, len(SHAPES), dim)))
    rng = as_generator(seed)
    out = np.empty((len(scenes), dim))
    for i, scene in enumerate(scenes):
        v = np.zeros(dim)
        slots = scene.slots()
        for j, obj in enumerate(slots):
            v += shape_v[obj.shape] + colour_v[obj.colour]
            if len(slots) == 2:
                v += binding * slot_v[j, SHAPES.index(obj.shape)]
        v += noise * rng.standard_normal(dim) / np.sqrt(dim) * np.linalg.norm(v)
        out[i] = v / np.linalg.norm(v)
    return out


def scene_key(scene: Scene) -> str:
    """A stable text key of a scene, used to store and look up CLIP vectors.

    Parameters
    ----------
    scene : Scene
        The scene.

    Returns
    -------
    str

    Examples
    --------
    >>> from qinfo.vqc import Scene, SceneObject
    >>> scene_key(Scene((SceneObject("cube", "red", 0.5, 0.25),)))
    'cube:red:0.500000:0.250000'
    """
    return "|".join(f"{o.shape}:{o.colour}:{o.x:.6f}:{o.depth:.6f}" for o in scene.objects)


def load_clip_embeddings(path):
    """Read CLIP vectors from a local ``.npz`` with arrays ``keys`` and ``embeddings``.

    Parameters
    ----------
    path : str or path
        The ``.npz`` file (``keys``: :func:`scene_key` of each scene).

    Returns
    -------
    callable
        ``scenes -> array`` for ``make_datasets(features=...)``; it raises
        ``ValueError`` naming the scenes whose key is missing from the file.

    Examples
    --------
    >>> import tempfile, os
    >>> from qinfo.vqc import Scene, SceneObject
    >>> s = Scene((SceneObject("cube", "red", 0.5, 0.5),))
    >>> path = os.path.join(tempfile.mkdtemp(), "clip.npz")
    >>> np.savez(path, keys=np.array([scene_key(s)]), embeddings=np.ones((1, 4)))
    >>> load_clip_embeddings(path)([s]).shape
    (1, 4)
    """
    with np.load(path, allow_pickle=False) as data:
        if "keys" not in data or "embeddings" not in data:
            raise ValueError(f"{path} must hold arrays 'keys' and 'embeddings', has {sorted(data.files)}")
        keys = [str(k) for k in data["keys"]]
        emb = check_features(data["embeddings"], None, name="embeddings")
    if len(keys) != emb.shape[0]:
        raise ValueError(f"{path}: {len(keys)} keys but {emb.shape[0]} embeddings")
    index = {k: i for i, k in enumerate(keys)}

    def lookup(scenes: Sequence[Scene]) -> np.ndarray:
        missing = [scene_key(s) for s in scenes if scene_key(s) not in index]
        if missing:
            raise ValueError(f"{len(missing)} scenes have no CLIP vector in {path}, e.g. {missing[0]!r}; "
                             "recompute with examples/compute_clip_embeddings.py")
        return emb[[index[scene_key(s)] for s in scenes]]

    return lookup

