"""The fixed circuits that load image feature vectors on the sentence qubits.

The feature vectors themselves (multi-hot, CLIP) are made in :mod:`qinfo.vqc._features`.

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

from qinfo._optional import require
from qinfo._validate import check_int, check_real
from qinfo.vqc._ansatz import IQP
from qinfo.vqc._circuit import Circuit, Op, statevector_to_numpy, to_qiskit
from qinfo.vqc._features import ATTRIBUTES, check_attributes, check_features
from qinfo.vqc._simulate import simulate

__all__ = ["MHEEncoding", "CLIPAngleEncoding", "CLIPIQPEncoding", "CLIPAmplitudeEncoding", "get_encoding"]


class _Encoding:
    """What every encoding offers; subclasses fill in the private hooks.

    Angle encodings define ``_circuit`` (a fixed :class:`Circuit`) and
    ``_angles`` (its angles from checked features); others override ``_states``
    and ``_qiskit_circuit``.
    """

    n_qubits: int
    dim: int | None
    name = "encoding"

    def fit(self, features):
        """Learn what the encoding needs from training features (the PCA of the CLIP encodings).

        Parameters
        ----------
        features : array_like, shape (items, dim)
            Training feature vectors.

        Returns
        -------
        self

        Examples
        --------
        >>> enc = MHEEncoding(("shape",), n_slots=1).fit(np.eye(4))
        >>> enc.dim
        4
        """
        self._fit(features)
        return self

    def states(self, features) -> np.ndarray:
        """Encoded states of a batch of feature rows.

        Parameters
        ----------
        features : array_like, shape (items, dim)
            Feature vectors (one row is one item).

        Returns
        -------
        numpy.ndarray, shape (items, 2**n_qubits)
            Amplitudes, qubit 0 most significant.

        Examples
        --------
        >>> MHEEncoding(("shape",), n_slots=1, variant="basis").states(np.eye(4)[[0]]).shape
        (1, 16)
        """
        return self._states(features)

    def qiskit_circuit(self, features):
        """A bound :class:`qiskit.QuantumCircuit` preparing the state of one feature row.

        Parameters
        ----------
        features : array_like, shape (dim,) or (1, dim)
            One feature vector.

        Returns
        -------
        qiskit.QuantumCircuit

        Examples
        --------
        >>> MHEEncoding(("shape",), n_slots=1).qiskit_circuit(np.eye(4)[0]).num_qubits
        1
        """
        return self._qiskit_circuit(features)

    def config(self) -> dict:
        """The settings as a JSON-able dict, from which a saved model rebuilds the encoding.

        Returns
        -------
        dict

        Examples
        --------
        >>> CLIPAmplitudeEncoding(dim=8).config()
        {'name': 'clip-amplitude', 'dim': 8}
        """
        return self._config()

    # ---- hooks -------------------------------------------------------------------------
    def _fit(self, features) -> None:
        check_features(features, self.dim)

    def _config(self) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    def _circuit(self) -> Circuit:  # pragma: no cover - overridden
        raise NotImplementedError

    def _angles(self, features) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def _states(self, features) -> np.ndarray:
        return simulate(self._circuit(), self._angles(features))

    def _qiskit_circuit(self, features):
        return to_qiskit(self._circuit(), list(self._angles(features)[0]))


class MHEEncoding(_Encoding):
    """Multi-hot vectors on qubits, by angles (default) or basis states.

    Parameters
    ----------
    attributes : sequence of str
        Attribute groups per slot (see :func:`mhe_vectors`).
    n_slots : int
        Objects per scene.
    variant : {"angle", "basis"}
        One qubit per (slot, attribute group) with the one-hot value as a
        direction on the Bloch sphere, or one qubit per bit.

    Examples
    --------
    >>> enc = MHEEncoding(("shape",), n_slots=2)
    >>> enc.n_qubits, enc.dim
    (2, 8)
    >>> float(np.round(np.abs(enc.states(np.eye(8)[[0]] + np.eye(8)[[4]])[0] ** 2).sum(), 12))
    1.0
    """

    name = "mhe"

    def __init__(self, attributes: Sequence[str] = ("shape",), n_slots: int = 2, variant: str = "angle"):
        check_attributes(attributes)
        if variant not in ("angle", "basis"):
            raise ValueError(f"variant must be 'angle' or 'basis', got {variant!r}")
        check_int("n_slots", n_slots, 1)
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

    def angle_noise_std(self, noise_std: float) -> np.ndarray:
        """Standard deviation of each rotation angle when every entry gets Gaussian noise ``noise_std``.

        The angles are linear in the features (qubit ``g``'s polar angle is
        ``x[group] @ polar``), so the noise on all ``m`` entries of a group,
        the zeros included, adds up: ``noise_std * ||polar||`` and
        ``noise_std * ||azimuth||``. For an 8-value group that is about 4.8
        and 9.7 times ``noise_std``, which is why sigma 0.1 alone moves an
        image about as far as the spacing of the code states.

        Parameters
        ----------
        noise_std : float
            Standard deviation of the Gaussian noise on every feature entry.

        Returns
        -------
        numpy.ndarray, shape (n_qubits, 2)
            (polar, azimuth) standard deviations in radians; for the basis
            variant both columns are ``pi * noise_std`` (one angle per qubit).

        Examples
        --------
        >>> MHEEncoding(("object",), n_slots=2).angle_noise_std(0.1).round(2)
        array([[0.48, 0.97],
               [0.48, 0.97]])
        """
        check_real("noise_std", noise_std, inclusive=True)
        if self.variant == "basis":
            return np.full((self.n_qubits, 2), np.pi * noise_std)
        return noise_std * np.array([[np.linalg.norm(polar), np.linalg.norm(azimuth)]
                                     for _, _, polar, azimuth in self._groups])

    def _config(self) -> dict:
        return {"name": "mhe", "attributes": list(self.attributes), "n_slots": self.n_slots,
                "variant": self.variant}

    def _circuit(self) -> Circuit:
        if self.variant == "basis":
            return Circuit(self.n_qubits, tuple(Op("rx", (q,), q) for q in range(self.n_qubits)), self.n_qubits)
        ops = []
        for q in range(self.n_qubits):
            ops += [Op("ry", (q,), 2 * q), Op("rz", (q,), 2 * q + 1)]
        return Circuit(self.n_qubits, tuple(ops), 2 * self.n_qubits)

    def _angles(self, features) -> np.ndarray:
        x = check_features(features, self.dim)
        if self.variant == "basis":
            return np.pi * x
        out = np.empty((x.shape[0], 2 * self.n_qubits))
        for q, (start, m, polar, azimuth) in enumerate(self._groups):
            out[:, 2 * q] = x[:, start:start + m] @ polar
            out[:, 2 * q + 1] = x[:, start:start + m] @ azimuth
        return out


class CLIPAngleEncoding(_Encoding):
    """CLIP vectors by PCA to ``n_qubits * n_layers`` components, used as IQP angles.

    ``fit`` learns the mean, the principal axes and the component scales from
    training features; layer ``l`` applies H on every qubit, ``Rz(c * z_i)`` and
    ``Rzz(c * z_i z_{i+1})`` on neighbours, with ``z`` the standardised
    components of that layer and ``c = scale``.

    Parameters
    ----------
    n_qubits : int
        Width of the image state.
    n_layers : int
        IQP layers, each reading ``n_qubits`` components.
    scale : float
        Radians per standard deviation of a component.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(20, 16))
    >>> enc = CLIPAngleEncoding(n_qubits=2, n_layers=2).fit(x)
    >>> enc.states(x[:3]).shape
    (3, 4)
    """

    name = "clip-angle"

    def __init__(self, n_qubits: int = 2, n_layers: int = 2, scale: float = 1.0):
        check_int("n_qubits", n_qubits, 1)
        check_int("n_layers", n_layers, 1)
        self.n_qubits = int(n_qubits)
        self.n_layers = int(n_layers)
        self.scale = float(scale)
        self.dim = None
        self.mean_ = self.components_ = self.std_ = None

    @property
    def n_components(self) -> int:
        """Number of PCA components the circuit reads."""
        return self.n_qubits * self.n_layers

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_qubits={self.n_qubits}, n_layers={self.n_layers}, scale={self.scale})"

    def _config(self) -> dict:
        return {"name": self.name, "n_qubits": self.n_qubits, "n_layers": self.n_layers,
                "scale": self.scale}

    def _components(self, features) -> np.ndarray:
        """Standardised PCA components times ``scale``, shape ``(items, n_components)``."""
        if self.components_ is None:
            raise ValueError(f"{type(self).__name__} is not fitted; call fit(train_features) first")
        x = check_features(features, self.dim)
        return self.scale * ((x - self.mean_) @ self.components_.T) / self.std_

    def _fit(self, features) -> None:
        x = check_features(features, None)
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

    def _angles(self, features) -> np.ndarray:
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

    Parameters
    ----------
    n_qubits : int
        Width of the image state (at least 2).
    n_layers : int
        IQP layers, each reading ``n_qubits - 1`` components.
    scale : float
        Radians per standard deviation of a component.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(20, 16))
    >>> enc = CLIPIQPEncoding(n_qubits=9).fit(x)
    >>> enc.n_components, enc.states(x[:2]).shape
    (8, (2, 512))
    """

    name = "clip-iqp"

    def __init__(self, n_qubits: int = 9, n_layers: int = 1, scale: float = 1.0):
        check_int("n_qubits", n_qubits, 2)
        super().__init__(n_qubits, n_layers, scale)

    @property
    def n_components(self) -> int:
        """Number of PCA components the circuit reads."""
        return (self.n_qubits - 1) * self.n_layers

    def _circuit(self) -> Circuit:
        return IQP(self.n_layers).circuit(self.n_qubits)

    def _angles(self, features) -> np.ndarray:
        return self._components(features)


class CLIPAmplitudeEncoding(_Encoding):
    """CLIP vectors as amplitudes: zero-padded to ``2**n_qubits`` and normalised (512 -> 9 qubits).

    Parameters
    ----------
    dim : int
        Dimension of the feature vectors (at least 2).

    Examples
    --------
    >>> enc = CLIPAmplitudeEncoding(dim=512)
    >>> enc.n_qubits, enc.states(np.ones((1, 512))).shape
    (9, (1, 512))
    """

    name = "clip-amplitude"

    def __init__(self, dim: int = 512):
        check_int("dim", dim, 2)
        self.dim = int(dim)
        self.n_qubits = math.ceil(math.log2(self.dim))

    def __repr__(self) -> str:
        return f"CLIPAmplitudeEncoding(dim={self.dim})"

    def _config(self) -> dict:
        return {"name": "clip-amplitude", "dim": self.dim}

    def _states(self, features) -> np.ndarray:
        x = check_features(features, self.dim)
        norms = np.linalg.norm(x, axis=1)
        if np.any(norms == 0):
            raise ValueError("features contain an all-zero row, which has no amplitude encoding")
        out = np.zeros((x.shape[0], 2**self.n_qubits), dtype=complex)
        out[:, :self.dim] = x / norms[:, None]
        return out

    def _qiskit_circuit(self, features):
        qiskit = require("qiskit", feature="CLIPAmplitudeEncoding.qiskit_circuit")
        library = require("qiskit.circuit.library", feature="CLIPAmplitudeEncoding.qiskit_circuit")

        amps = statevector_to_numpy(self._states(features)[0], self.n_qubits)  # to Qiskit's order
        qc = qiskit.QuantumCircuit(self.n_qubits)
        qc.append(library.StatePreparation(amps), range(self.n_qubits))
        return qc


def get_encoding(config: dict):
    """Rebuild an encoding from its ``config()`` dict (used when loading a saved model).

    Examples
    --------
    >>> get_encoding(CLIPAmplitudeEncoding(dim=8).config())
    CLIPAmplitudeEncoding(dim=8)
    """
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


