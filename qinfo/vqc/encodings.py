"""Image feature vectors and the fixed circuits that load them on the sentence qubits.

Feature vectors
---------------
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
deviation ``noise_std`` is added to every entry (with the angle encoding it
becomes Gaussian noise on the rotation angles).

**CLIP vectors** come from a local ``.npz`` (:func:`load_clip_embeddings`,
written by ``examples/compute_clip_embeddings.py``) or from the documented
stand-in :func:`synthetic_clip_embeddings`.

Encodings
---------
Each encoding maps a batch of feature rows to states on ``n_qubits`` qubits
(:meth:`states`) and one row to a bound :class:`qiskit.QuantumCircuit`
(:meth:`qiskit_circuit`); ``fit`` learns what needs learning (the PCA).

- :class:`MHEEncoding` ``variant="angle"``: one qubit per (slot, attribute
  group); bit ``k`` of a group of ``m`` adds ``a_k`` to an Ry angle and ``b_k``
  to an Rz angle, with ``(a_k, b_k)`` spiral points spread over the Bloch
  sphere, so each one-hot value is a different direction.
  ``variant="basis"``: one qubit per bit, ``Rx(pi * x)`` (``|x>`` for clean bits).
- :class:`CLIPAngleEncoding`: PCA to ``k = n_qubits * n_layers`` standardised
  components used as the angles of IQP layers (H, Rz(z_i), Rzz(z_i z_j)).
- :class:`CLIPIQPEncoding`: PCA to ``(n_qubits - 1) * n_layers`` standardised
  components used as the CRz angles of lambeq's IQP layout (H on every
  qubit, CRz on neighbours): 8 components on 9 qubits in the authors' model.
- :class:`CLIPAmplitudeEncoding`: the vector (zero-padded to a power of two,
  512 -> 9 qubits) normalised as amplitudes.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .._random import SeedLike, as_generator
from qinfo._validate import check_real
from .ansatz import IQP
from .circuit import Circuit, Op, statevector_to_numpy, to_qiskit
from .data import COLOURS, SHAPES, Scene
from .simulate import simulate

__all__ = [
    "ATTRIBUTES", "SLOT_ORDERS", "default_attributes", "mhe_vectors", "MHEEncoding", "CLIPAngleEncoding",
    "CLIPIQPEncoding",
    "CLIPAmplitudeEncoding", "synthetic_clip_embeddings", "load_clip_embeddings", "scene_key",
    "get_encoding",
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


def _check_attributes(attributes):
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
                seed: SeedLike = 0) -> np.ndarray:
    """Multi-hot vectors of ``scenes`` (layout and noise model in the module docstring).

    Parameters
    ----------
    scenes : sequence of Scene
        All with the same number of objects.
    attributes : sequence of str
        Groups per slot, from :data:`ATTRIBUTES`.
    flip_prob : float
        Probability that each bit flips, in ``[0, 0.5]``.
    noise_std : float
        Standard deviation of Gaussian noise added to every entry.
    slot_order : {"shuffled", "left-to-right"}
        Slot order per scene: random (default; no qubit stands for a position)
        or left to right (leaks the relation into the layout; kept for comparison).
    seed : int, SeedSequence or Generator
        Slot order and noise.

    Returns
    -------
    numpy.ndarray, shape (len(scenes), n_slots * bits_per_slot)

    Examples
    --------
    >>> from qinfo.vqc.data import Scene, SceneObject
    >>> s = Scene((SceneObject("sphere", "red", 0.8, 0.5), SceneObject("cube", "blue", 0.2, 0.5)))
    >>> mhe_vectors([s], ("shape",), slot_order="left-to-right").astype(int)  # the old, leaking layout
    array([[1, 0, 0, 0, 0, 0, 0, 1]])
    >>> x = mhe_vectors([s], seed=3).reshape(2, 8)    # slots in random order
    >>> sorted(ATTRIBUTES["object"][i] for i in np.nonzero(x)[1])
    ['cube-left', 'sphere-right']
    """
    _check_attributes(attributes)
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


def _check_features(features, dim: int | None, name: str = "features") -> np.ndarray:
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


class _AngleEncoding:
    """Shared machinery: a fixed :class:`Circuit` whose angles are computed from features."""

    n_qubits: int
    dim: int | None

    def fit(self, features) -> "_AngleEncoding":
        _check_features(features, self.dim)
        return self

    def _circuit(self) -> Circuit:  # pragma: no cover - overridden
        raise NotImplementedError

    def angles(self, features) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def states(self, features) -> np.ndarray:
        """Encoded states, shape ``(items, 2**n_qubits)``, qubit 0 most significant."""
        return simulate(self._circuit(), self.angles(features))

    def qiskit_circuit(self, features):
        """A bound :class:`qiskit.QuantumCircuit` preparing the state of one feature row."""
        return to_qiskit(self._circuit(), list(self.angles(features)[0]))


class MHEEncoding(_AngleEncoding):
    """Multi-hot vectors on qubits, by angles (default) or basis states.

    Parameters
    ----------
    attributes : sequence of str
        Attribute groups per slot (see :func:`mhe_vectors`).
    n_slots : int
        Objects per scene.
    variant : {"angle", "basis"}

    Examples
    --------
    >>> enc = MHEEncoding(("shape",), n_slots=2)
    >>> enc.n_qubits, enc.dim
    (2, 8)
    >>> float(np.round(np.abs(enc.states(np.eye(8)[[0]] + np.eye(8)[[4]])[0] ** 2).sum(), 12))
    1.0
    """

    def __init__(self, attributes: Sequence[str] = ("shape",), n_slots: int = 2, variant: str = "angle"):
        _check_attributes(attributes)
        if variant not in ("angle", "basis"):
            raise ValueError(f"variant must be 'angle' or 'basis', got {variant!r}")
        if n_slots < 1:
            raise ValueError(f"n_slots must be >= 1, got {n_slots}")
        self.attributes = tuple(attributes)
        self.n_slots = int(n_slots)
        self.variant = variant
        sizes = [len(ATTRIBUTES[a]) for a in self.attributes]
        self.dim = self.n_slots * sum(sizes)
        self.n_qubits = self.dim if variant == "basis" else self.n_slots * len(sizes)
        # angle variant: group g (bits [start, start+m)) drives qubit g through Ry(A x) then Rz(B x)
        self._groups = []
        start = 0
        for _ in range(self.n_slots):
            for m in sizes:
                k = np.arange(m)
                polar = np.arccos(1 - 2 * (k + 0.5) / m)
                azimuth = (k * np.pi * (3 - np.sqrt(5))) % (2 * np.pi)
                self._groups.append((start, m, polar, azimuth))
                start += m

    def __repr__(self) -> str:
        return f"MHEEncoding(attributes={self.attributes}, n_slots={self.n_slots}, variant={self.variant!r})"

    def config(self) -> dict:
        return {"name": "mhe", "attributes": list(self.attributes), "n_slots": self.n_slots,
                "variant": self.variant}

    def _circuit(self) -> Circuit:
        if self.variant == "basis":
            return Circuit(self.n_qubits, tuple(Op("rx", (q,), q) for q in range(self.n_qubits)), self.n_qubits)
        ops = []
        for q in range(self.n_qubits):
            ops += [Op("ry", (q,), 2 * q), Op("rz", (q,), 2 * q + 1)]
        return Circuit(self.n_qubits, tuple(ops), 2 * self.n_qubits)

    def angles(self, features) -> np.ndarray:
        x = _check_features(features, self.dim)
        if self.variant == "basis":
            return np.pi * x
        out = np.empty((x.shape[0], 2 * self.n_qubits))
        for q, (start, m, polar, azimuth) in enumerate(self._groups):
            out[:, 2 * q] = x[:, start:start + m] @ polar
            out[:, 2 * q + 1] = x[:, start:start + m] @ azimuth
        return out


class CLIPAngleEncoding(_AngleEncoding):
    """CLIP vectors by PCA to ``n_qubits * n_layers`` components, used as IQP angles.

    ``fit`` learns the mean, the principal axes and the component scales from
    training features; layer ``l`` applies H on every qubit, ``Rz(c * z_i)`` and
    ``Rzz(c * z_i z_{i+1})`` on neighbours, with ``z`` the standardised
    components of that layer and ``c = scale``.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(20, 16))
    >>> enc = CLIPAngleEncoding(n_qubits=2, n_layers=2).fit(x)
    >>> enc.states(x[:3]).shape
    (3, 4)
    """

    def __init__(self, n_qubits: int = 2, n_layers: int = 2, scale: float = 1.0):
        if n_qubits < 1 or n_layers < 1:
            raise ValueError(f"n_qubits and n_layers must be >= 1, got {n_qubits}, {n_layers}")
        self.n_qubits = int(n_qubits)
        self.n_layers = int(n_layers)
        self.scale = float(scale)
        self.dim = None
        self.mean_ = self.components_ = self.std_ = None

    name = "clip-angle"

    @property
    def n_components(self) -> int:
        """Number of PCA components the circuit reads."""
        return self.n_qubits * self.n_layers

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_qubits={self.n_qubits}, n_layers={self.n_layers}, scale={self.scale})"

    def config(self) -> dict:
        return {"name": self.name, "n_qubits": self.n_qubits, "n_layers": self.n_layers,
                "scale": self.scale}

    def _components(self, features) -> np.ndarray:
        """Standardised PCA components times ``scale``, shape ``(items, n_components)``."""
        if self.components_ is None:
            raise ValueError(f"{type(self).__name__} is not fitted; call fit(train_features) first")
        x = _check_features(features, self.dim)
        return self.scale * ((x - self.mean_) @ self.components_.T) / self.std_

    def fit(self, features) -> "CLIPAngleEncoding":
        x = _check_features(features, None)
        k = self.n_components
        if x.shape[1] < k or x.shape[0] < 2:
            raise ValueError(f"need at least 2 rows and {k} dimensions to fit {k} PCA components, got {x.shape}")
        self.dim = x.shape[1]
        self.mean_ = x.mean(axis=0)
        _, _, vt = np.linalg.svd(x - self.mean_, full_matrices=False)
        comps = vt[:k]
        comps *= np.where(comps[np.arange(k), np.abs(comps).argmax(1)] < 0, -1, 1)[:, None]
        self.components_ = comps
        z = (x - self.mean_) @ comps.T
        self.std_ = np.where(z.std(axis=0) > 0, z.std(axis=0), 1.0)
        return self

    def _circuit(self) -> Circuit:
        n = self.n_qubits
        ops, p = [], 0
        for _ in range(self.n_layers):
            ops += [Op("h", (q,)) for q in range(n)]
            ops += [Op("rz", (q,), p + q) for q in range(n)]
            p += n
            ops += [Op("rzz", (q, q + 1), p + q) for q in range(n - 1)]
            p += n - 1
        return Circuit(n, tuple(ops), p)

    def angles(self, features) -> np.ndarray:
        z = self._components(features)
        n = self.n_qubits
        out = []
        for layer in range(self.n_layers):
            zl = z[:, layer * n:(layer + 1) * n]
            out += [zl, zl[:, :-1] * zl[:, 1:]]
        return np.concatenate(out, axis=1)


class CLIPIQPEncoding(CLIPAngleEncoding):
    """CLIP vectors by PCA to ``(n_qubits - 1) * n_layers`` components, used as the CRz angles of lambeq's IQP.

    The image circuit of the authors' relational model: one IQP layer on 9
    qubits (H on every qubit, then CRz on each neighbouring pair) whose 8
    angles are 8 PCA components of the image vector. The components are
    standardised on the training set and multiplied by ``scale`` (radians);
    lambeq reads angles in turns, so ``scale`` plays the role of their
    feature scaling.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(20, 16))
    >>> enc = CLIPIQPEncoding(n_qubits=9).fit(x)
    >>> enc.n_components, enc.states(x[:2]).shape
    (8, (2, 512))
    """

    name = "clip-iqp"

    def __init__(self, n_qubits: int = 9, n_layers: int = 1, scale: float = 1.0):
        if n_qubits < 2:
            raise ValueError(f"n_qubits must be >= 2 for an IQP layer, got {n_qubits}")
        super().__init__(n_qubits, n_layers, scale)

    @property
    def n_components(self) -> int:
        return (self.n_qubits - 1) * self.n_layers

    def _circuit(self) -> Circuit:
        return IQP(self.n_layers).circuit(self.n_qubits)

    def angles(self, features) -> np.ndarray:
        return self._components(features)


class CLIPAmplitudeEncoding:
    """CLIP vectors as amplitudes: zero-padded to ``2**n_qubits`` and normalised (512 -> 9 qubits).

    Examples
    --------
    >>> enc = CLIPAmplitudeEncoding(dim=512)
    >>> enc.n_qubits, enc.states(np.ones((1, 512))).shape
    (9, (1, 512))
    """

    def __init__(self, dim: int = 512):
        if dim < 2:
            raise ValueError(f"dim must be >= 2, got {dim}")
        self.dim = int(dim)
        self.n_qubits = math.ceil(math.log2(self.dim))

    def __repr__(self) -> str:
        return f"CLIPAmplitudeEncoding(dim={self.dim})"

    def config(self) -> dict:
        return {"name": "clip-amplitude", "dim": self.dim}

    def fit(self, features) -> "CLIPAmplitudeEncoding":
        _check_features(features, self.dim)
        return self

    def states(self, features) -> np.ndarray:
        x = _check_features(features, self.dim)
        norms = np.linalg.norm(x, axis=1)
        if np.any(norms == 0):
            raise ValueError("features contain an all-zero row, which has no amplitude encoding")
        out = np.zeros((x.shape[0], 2**self.n_qubits), dtype=complex)
        out[:, :self.dim] = x / norms[:, None]
        return out

    def qiskit_circuit(self, features):
        from qiskit import QuantumCircuit
        from qiskit.circuit.library import StatePreparation

        amps = statevector_to_numpy(self.states(features)[0], self.n_qubits)  # to Qiskit's order
        qc = QuantumCircuit(self.n_qubits)
        qc.append(StatePreparation(amps), range(self.n_qubits))
        return qc


def get_encoding(config: dict):
    """Rebuild an encoding from its ``config()`` dict (used when loading a saved model)."""
    cfg = dict(config)
    name = cfg.pop("name", None)
    if name == "mhe":
        return MHEEncoding(**cfg)
    if name == "clip-angle":
        return CLIPAngleEncoding(**cfg)
    if name == "clip-iqp":
        return CLIPIQPEncoding(**cfg)
    if name == "clip-amplitude":
        return CLIPAmplitudeEncoding(**cfg)
    raise ValueError(f"unknown encoding config {config!r}")


def synthetic_clip_embeddings(scenes: Sequence[Scene], dim: int = 512, *, binding: float = 0.3,
                              noise: float = 0.3, world_seed: int = 2024,
                              seed: SeedLike = 0) -> np.ndarray:
    """CLIP-like unit vectors for ``scenes``: a bag of concepts with weak relation binding.

    For each object the embedding adds a concept vector of its shape and one
    of its colour (bag of words, what CLIP encodes well), plus ``binding``
    times a vector for "this shape in the left/right slot" (the weak
    binding of objects to positions that CLIP is known to do poorly), plus
    Gaussian noise of norm about ``noise``; the sum is normalised. Concept
    vectors are random unit vectors fixed by ``world_seed``; ``seed`` drives
    only the noise.

    Examples
    --------
    >>> from qinfo.vqc.data import sample_scene
    >>> scenes = [sample_scene(("cube", "left", "cone"), np.random.default_rng(i)) for i in range(3)]
    >>> e = synthetic_clip_embeddings(scenes, seed=0)
    >>> e.shape, bool(np.allclose(np.linalg.norm(e, axis=1), 1))
    ((3, 512), True)
    """
    if dim < 8:
        raise ValueError(f"dim must be >= 8, got {dim}")
    world = np.random.default_rng(world_seed)
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

    Examples
    --------
    >>> from qinfo.vqc.data import Scene, SceneObject
    >>> scene_key(Scene((SceneObject("cube", "red", 0.5, 0.25),)))
    'cube:red:0.500000:0.250000'
    """
    return "|".join(f"{o.shape}:{o.colour}:{o.x:.6f}:{o.depth:.6f}" for o in scene.objects)


def load_clip_embeddings(path):
    """Read CLIP vectors from a local ``.npz`` with arrays ``keys`` and ``embeddings``.

    Returns a callable ``scenes -> array`` for ``make_datasets(features=...)``;
    it raises ``ValueError`` naming the scenes whose key (:func:`scene_key`)
    is missing from the file.

    Examples
    --------
    >>> import tempfile, os
    >>> from qinfo.vqc.data import Scene, SceneObject
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
        emb = _check_features(data["embeddings"], None, name="embeddings")
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
