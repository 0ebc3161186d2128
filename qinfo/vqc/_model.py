"""CaptionModel: DisCoCat caption circuits scored against encoded images by fidelity.

Every word is a parametrised circuit (the ansatz) preparing a state on the
qubits of its pregroup type: ``noun_qubits`` per ``n`` wire and, per ``s``
wire, as many qubits as the image encoding uses. The cups of a caption are
Bell effects: in a circuit, CNOT + H followed by post-selecting both qubits
on ``|0>``. What is left on the sentence wire, renormalised, is the caption
state ``|c>``. The image is loaded on the same number of qubits by a fixed
encoding followed by an optional trainable *unifying box* ``U``, and the
match score is the fidelity ``F = |<c|U|e>|^2 / <c|c>``.

Training never simulates the whole caption circuit: each word circuit is
simulated once per step for all words of its type, the cups become tensor
contractions of those word states (post-selection = contraction, dividing
by ``<c|c>`` = renormalisation) and gradients flow back through the
contractions and through the circuits by the adjoint method
(:func:`~qinfo.vqc.simulate_vjp`). The exported circuits of
:meth:`CaptionModel.caption_circuit` give the same numbers on Qiskit.
"""

from __future__ import annotations

import copy

import numpy as np

from qinfo._optional import require
from qinfo._validate import check_int
from qinfo.vqc._ansatz import get_ansatz
from qinfo.vqc._base_model import BaseCaptionModel
from qinfo.vqc._circuit import to_qiskit
from qinfo.vqc._data import CaptionDataset
from qinfo.vqc._encodings import (CLIPAmplitudeEncoding, CLIPAngleEncoding, CLIPIQPEncoding, MHEEncoding,
                                  get_encoding)
from qinfo.vqc._features import default_attributes
from qinfo.vqc._grammar import LEXICON, format_type, parse
from qinfo.vqc._simulate import simulate, simulate_vjp

__all__ = ["CaptionModel", "PRESETS"]

ENCODINGS = ("mhe", "mhe-basis", "clip-angle", "clip-iqp", "clip-amplitude")

#: named configurations: ``CaptionModel.from_preset(name)``.
PRESETS = {
    "small": {
        "description": "qinfo's small model: 1-qubit nouns, Sim4 x 3 words, sentence wire as wide as "
                       "the encoding, Sim4 unifying box",
        "settings": {"noun_qubits": 1, "ansatz": "sim4", "n_layers": 3, "image_box": "sim4"},
    },
    "authors": {
        "description": "the configuration of the authors' public follow-up code "
                       "(github.com/Mina-Abbaszade/Quantum-Multimodality, relational angle model): "
                       "9-qubit sentence, 1-qubit nouns, Sim4 x 3, image = 1-layer IQP on 9 qubits "
                       "whose 8 angles are 8 PCA components of the image vector, no trainable box",
        "settings": {"encoding": "clip-iqp", "sentence_qubits": 9, "noun_qubits": 1, "ansatz": "sim4",
                     "n_layers": 3, "image_box": None},
    },
}


class CaptionModel(BaseCaptionModel):
    """Quantum DisCoCat captioning model (scikit-learn style).

    Parameters
    ----------
    encoding : {"mhe", "mhe-basis", "clip-angle", "clip-iqp", "clip-amplitude"} or encoding object
        Image encoding (:class:`MHEEncoding`, :class:`CLIPAngleEncoding`,
        :class:`CLIPIQPEncoding`, :class:`CLIPAmplitudeEncoding`); a name is
        configured from the training data (attributes, slots, dimension).
    noun_qubits : int
        Qubits per ``n`` wire.
    sentence_qubits : int or None
        Qubits per ``s`` wire, independent of the encoding; the encoded image
        occupies the first qubits and the rest start in ``|0>`` (the image box,
        if any, acts on all of them). None: the encoding's width.
    ansatz : str or Ansatz
        Word ansatz: "iqp", "sim4", "sim14", "sim15", "strongly_entangling".
    n_layers : int
        Layers of the word ansatz.
    image_box : str, Ansatz or None
        Ansatz of the trainable unifying box after the image encoding (None: no box).
    box_layers : int
        Layers of the image box.
    loss : {"bce", "contrastive"}
        Binary cross-entropy of each pair, or a softmax over the pairs of a
        group (a caption with its hard negative, an image with its candidates).
    optimizer : {"adam", "spsa"}
        Adam with exact adjoint gradients, or SPSA (two loss evaluations per
        step; needed for shot-based training on a backend).
    lr : float
        Adam's step size (SPSA's ``a``).
    epochs, batch_size, patience : int
        Passes over the training groups, groups per step, epochs without a
        better validation loss before stopping.
    temperature : float
        Softmax temperature of the contrastive loss.
    seed : None, int, SeedSequence or Generator
        Initial angles (uniform in ``[0, 2 pi)``) and batch order.
    progress : bool or None
        Show a progress bar over the epochs of :meth:`fit` (None: when stderr
        is a terminal).

    Attributes
    ----------
    params_ : numpy.ndarray
        Learned angles, laid out as in :meth:`parameter_values`.
    history_ : list of dict
        Per epoch: ``train_loss``, ``train_acc`` and, with validation data,
        ``val_loss`` and ``val_acc`` (binary accuracies use that epoch's best
        training threshold).
    threshold_ : float or None
        Fidelity above which a binary pair is a match.
    encoding_ : encoding object
        The fitted image encoding.
    vocabulary_ : dict
        Word -> pregroup type, of the training captions.

    Notes
    -----
    All settings are stored unchanged; :meth:`fit` validates them
    (``TypeError``/``ValueError`` naming the setting). An :class:`Ansatz`
    instance given as ``ansatz`` or ``image_box`` keeps its own ``n_layers``.

    Examples
    --------
    >>> from qinfo.vqc import make_datasets
    >>> ds = make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.0, seed=0)
    >>> model = CaptionModel(epochs=3, seed=0).fit(ds["train"], ds["val"])
    >>> round(model.score(ds["test"]), 4), model.n_epochs_
    (0.5, 3)
    >>> model.caption_circuit(("cube", "left", "cone")).metadata["sentence_qubits"]
    [2, 3]
    """

    _settings = ("encoding", "noun_qubits", "sentence_qubits", "ansatz", "n_layers", "image_box",
                 "box_layers", "loss", "optimizer", "lr", "epochs", "batch_size", "patience", "temperature",
                 "seed", "progress")
    _extra_meta_keys = ("vocabulary", "qubits", "encoding_config")

    def __init__(self, encoding="mhe", noun_qubits: int = 1, sentence_qubits=None, ansatz="sim4",
                 n_layers: int = 3, image_box="sim4", box_layers: int = 1, loss: str = "bce",
                 optimizer: str = "adam", lr: float = 0.05, epochs: int = 60, batch_size: int = 16,
                 patience: int = 15, temperature: float = 0.1, *, seed=None, progress=None):
        self._store_settings(locals())

    @classmethod
    def from_preset(cls, name: str, **overrides) -> "CaptionModel":
        """A model configured as in ``PRESETS`` (e.g. ``"authors"``), with ``overrides`` on top.

        Parameters
        ----------
        name : str
            A key of ``PRESETS``: ``"small"`` or ``"authors"``.
        **overrides
            Settings that replace or add to the preset's.

        Returns
        -------
        CaptionModel

        Examples
        --------
        >>> m = CaptionModel.from_preset("authors", epochs=5)
        >>> m.sentence_qubits, m.noun_qubits, m.ansatz, m.n_layers, m.encoding
        (9, 1, 'sim4', 3, 'clip-iqp')
        """
        if name not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {name!r}")
        return cls(**{**PRESETS[name]["settings"], **overrides})

    def _check_settings(self) -> None:
        super()._check_settings()
        check_int("noun_qubits", self.noun_qubits, 1)
        check_int("sentence_qubits", self.sentence_qubits, 1, none_ok=True)
        check_int("n_layers", self.n_layers, 1)
        check_int("box_layers", self.box_layers, 1)
        get_ansatz(self.ansatz, self.n_layers)
        if self.image_box is not None:
            get_ansatz(self.image_box, self.box_layers)

    # ---- set-up ------------------------------------------------------------------------
    def _make_encoding(self, train: CaptionDataset):
        enc = self.encoding
        if isinstance(enc, dict):
            return get_encoding(enc)
        if not isinstance(enc, str):
            if not hasattr(enc, "states"):
                raise TypeError(f"encoding must be one of {ENCODINGS} or an encoding object, got {enc!r}")
            return copy.deepcopy(enc)
        n_slots = 1 if train.kind == "single" else 2
        if enc in ("mhe", "mhe-basis"):
            return MHEEncoding(default_attributes(train.kind, train.relations), n_slots,
                               "basis" if enc == "mhe-basis" else "angle")
        if enc == "clip-angle":
            return CLIPAngleEncoding(n_qubits=2, n_layers=2)
        if enc == "clip-iqp":
            return CLIPIQPEncoding(n_qubits=9 if self.sentence_qubits is None else self.sentence_qubits)
        if enc == "clip-amplitude":
            return CLIPAmplitudeEncoding(dim=train.features.shape[1])
        raise ValueError(f"encoding must be one of {ENCODINGS} or an encoding object, got {enc!r}")

    def _setup(self, train: CaptionDataset) -> None:
        self.encoding_ = self._make_encoding(train).fit(train.features)
        width = int(self.encoding_.n_qubits)
        s_qubits = width if self.sentence_qubits is None else int(self.sentence_qubits)
        if width > s_qubits:
            raise ValueError(f"sentence_qubits={s_qubits} is fewer than the {width} qubits of the encoding "
                             f"{self.encoding_!r}; pass sentence_qubits >= {width} or None")
        self.qubits_ = {"n": int(self.noun_qubits), "s": s_qubits}
        words = sorted({w for c in train.all_captions() for w in parse(c).words})
        self.vocabulary_ = {w: format_type(LEXICON[w]) for w in words}
        self._build()

    def _build(self) -> None:
        """Compile word and box circuits and the parameter layout from ``vocabulary_``."""
        ans = get_ansatz(self.ansatz, self.n_layers)
        by_type: dict[str, list[str]] = {}
        for w, t in self.vocabulary_.items():
            by_type.setdefault(t, []).append(w)
        self._types = {}
        offset = 0
        for t, ws in sorted(by_type.items()):
            dims = [self.qubits_[st.base] for st in LEXICON[ws[0]]]
            circ = ans.circuit(sum(dims))
            self._types[t] = {"words": ws, "dims": dims, "circuit": circ, "offset": offset}
            offset += len(ws) * circ.n_params
        self._box = None
        if self.image_box is not None:
            self._box = get_ansatz(self.image_box, self.box_layers).circuit(self.qubits_["s"])
        self._box_offset = offset
        self._n_params = offset + (0 if self._box is None else self._box.n_params)

    def _init_params(self, rng):
        return rng.uniform(0, 2 * np.pi, size=self._n_params)

    def _prepare(self, features):
        """Encoded image states on the sentence qubits: the encoding on the first qubits, ``|0>`` on the rest."""
        e = self.encoding_.states(features)
        pad = self.qubits_["s"] - self.encoding_.n_qubits
        if pad == 0:
            return e
        out = np.zeros((e.shape[0], 2 ** self.qubits_["s"]), dtype=complex)
        out[:, ::2**pad] = e
        return out

    # ---- forward / backward hooks -----------------------------------------------------
    def _type_params(self, theta, t):
        info = self._types[t]
        p = info["circuit"].n_params
        return theta[info["offset"]:info["offset"] + len(info["words"]) * p].reshape(len(info["words"]), p)

    def _words(self, theta):
        words, ctx = {}, {}
        for t, info in self._types.items():
            params = self._type_params(theta, t)
            states = simulate(info["circuit"], params)
            ctx[t] = (params, states)
            shape = tuple(2**d for d in info["dims"])
            for w, st in zip(info["words"], states):
                words[w] = st.reshape(shape)
        return words, ctx

    def _words_vjp(self, theta, ctx, grads):
        out = np.zeros_like(theta)
        for t, info in self._types.items():
            params, states = ctx[t]
            cot = np.zeros_like(states)
            used = False
            for k, w in enumerate(info["words"]):
                if w in grads:
                    cot[k] = np.reshape(grads[w], -1)
                    used = True
            if used:
                g = simulate_vjp(info["circuit"], params, cot, final=states)
                out[info["offset"]:info["offset"] + g.size] = g.reshape(-1)
        return out

    def _images(self, theta, states):
        if self._box is None:
            return states, None
        bp = theta[self._box_offset:]
        e = simulate(self._box, bp, initial=states)
        return e, (bp, states, e)

    def _images_vjp(self, theta, ctx, grad):
        out = np.zeros_like(theta)
        if ctx is not None:
            bp, states, e = ctx
            out[self._box_offset:] = simulate_vjp(self._box, bp, grad, initial=states, final=e)
        return out

    def _match(self, c, v, cap, img):
        cc, vv = c[cap], v[img]
        o = np.sum(np.conj(cc) * vv, axis=1)
        nrm = np.sum(np.abs(c) ** 2, axis=1) + 1e-300
        f = np.abs(o) ** 2 / nrm[cap]
        return f, (c, v, cap, img, cc, vv, o, nrm)

    def _match_vjp(self, ctx, df):
        c, v, cap, img, cc, vv, o, nrm = ctx
        n = nrm[cap][:, None]
        gcc = df[:, None] * (2 * np.conj(o)[:, None] * vv / n - 2 * (np.abs(o) ** 2)[:, None] * cc / n**2)
        gvv = df[:, None] * 2 * o[:, None] * cc / n
        gc = np.zeros_like(c)
        gv = np.zeros_like(v)
        np.add.at(gc, cap, gcc)
        np.add.at(gv, img, gvv)
        return gc, gv

    # ---- circuits for backends -----------------------------------------------------------
    def _check_built(self) -> None:
        # circuits need only the vocabulary and encoding, which fit sets up before training,
        # so a fidelity_fn may build them during fit(..., fidelity_fn=...)
        if not hasattr(self, "vocabulary_"):
            raise ValueError("this CaptionModel is not fitted yet; call fit(train) first")

    def _names(self) -> list[str]:
        names = []
        for t, info in self._types.items():
            for w in info["words"]:
                names += [f"{w}_{i}" for i in range(info["circuit"].n_params)]
        if self._box is not None:
            names += [f"image_box_{i}" for i in range(self._box.n_params)]
        return names

    def _named(self, theta) -> dict[str, float]:
        return dict(zip(self._names(), map(float, theta)))

    def parameter_values(self) -> dict[str, float]:
        """Parameter name -> trained value, binding :meth:`caption_circuit` and :meth:`image_circuit`.

        Returns
        -------
        dict of str to float
            ``"<word>_<k>"`` for the word circuits, ``"image_box_<k>"`` for the box.

        Examples
        --------
        >>> from qinfo.vqc import make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> values = CaptionModel(epochs=0, seed=0).fit(ds["train"]).parameter_values()
        >>> sorted(values)[:2], len(values)
        (['cone_0', 'cone_1'], 83)
        """
        self._check_fitted()
        return self._named(self.params_)

    def caption_circuit(self, caption):
        """The full caption circuit as a :class:`qiskit.QuantumCircuit` with named Parameters.

        Wires are laid out left to right, ``noun_qubits`` qubits per ``n`` wire
        and ``len(sentence_qubits)`` per ``s`` wire; each word's ansatz acts on
        its wires; each cup joins qubit ``k`` of its left wire with qubit ``k``
        of its right wire by CNOT then H on the left one. ``metadata`` holds
        ``"sentence_qubits"`` (the open ``s`` wire), ``"postselect_qubits"``
        (to post-select on ``|0>``) and ``"caption"``. Available from the
        start of ``fit`` (so a ``fidelity_fn`` can build it).

        Parameters
        ----------
        caption : str or sequence of str
            A caption of the training vocabulary.

        Returns
        -------
        qiskit.QuantumCircuit

        Examples
        --------
        >>> from qinfo.vqc import make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> qc = model.caption_circuit("cube left cone")
        >>> qc.num_qubits, qc.metadata["postselect_qubits"]
        (6, [0, 1, 4, 5])
        """
        QuantumCircuit = require("qiskit", feature="CaptionModel.caption_circuit").QuantumCircuit
        Parameter = require("qiskit.circuit", feature="CaptionModel.caption_circuit").Parameter

        self._check_built()
        d = self._check_caption(caption)
        starts, q = [], 0
        for _, st in d.wires:
            starts.append(q)
            q += self.qubits_[st.base]
        qc = QuantumCircuit(q)
        for i, w in enumerate(d.words):
            info = self._types[self.vocabulary_[w]]
            qubits = [starts[k] + j for k, (wi, st) in enumerate(d.wires) if wi == i
                      for j in range(self.qubits_[st.base])]
            to_qiskit(info["circuit"], [Parameter(f"{w}_{k}") for k in range(info["circuit"].n_params)],
                      qc, qubits)
        post = []
        for a, b in d.cups:
            for j in range(self.qubits_[d.wires[a][1].base]):
                qc.cx(starts[a] + j, starts[b] + j)
                qc.h(starts[a] + j)
                post += [starts[a] + j, starts[b] + j]
        qc.metadata = {"caption": list(d.words), "postselect_qubits": sorted(post),
                       "sentence_qubits": [starts[d.output] + j for j in range(self.qubits_["s"])]}
        return qc

    def image_circuit(self, features):
        """The image state preparation: fixed encoding, then the unifying box with named Parameters.

        Parameters
        ----------
        features : array_like, shape (dim,)
            One image feature vector.

        Returns
        -------
        qiskit.QuantumCircuit
            On the sentence qubits.

        Examples
        --------
        >>> from qinfo.vqc import make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> model.image_circuit(ds["test"].features[0]).num_qubits
        2
        """
        QuantumCircuit = require("qiskit", feature="CaptionModel.image_circuit").QuantumCircuit
        Parameter = require("qiskit.circuit", feature="CaptionModel.image_circuit").Parameter

        self._check_built()
        enc = self.encoding_.qiskit_circuit(features)
        qc = QuantumCircuit(self.qubits_["s"])
        qc.compose(enc, qubits=range(enc.num_qubits), inplace=True)
        if self._box is not None:
            to_qiskit(self._box, [Parameter(f"image_box_{i}") for i in range(self._box.n_params)], qc)
        return qc

    # ---- persistence ----------------------------------------------------------------------
    def _extra_meta(self) -> dict:
        return {"vocabulary": self.vocabulary_, "qubits": self.qubits_,
                "encoding_config": self.encoding_.config()}

    def _extra_arrays(self) -> dict:
        enc = self.encoding_
        if isinstance(enc, CLIPAngleEncoding):
            return {"pca_mean": enc.mean_, "pca_components": enc.components_, "pca_std": enc.std_}
        return {}

    def _restore(self, meta, arrays) -> None:
        self.encoding_ = get_encoding(meta["encoding_config"])
        if isinstance(self.encoding_, CLIPAngleEncoding):
            self.encoding_.mean_ = arrays["pca_mean"]
            self.encoding_.components_ = arrays["pca_components"]
            self.encoding_.std_ = arrays["pca_std"]
            self.encoding_.dim = self.encoding_.mean_.shape[0]
        self.vocabulary_ = meta["vocabulary"]
        self.qubits_ = meta["qubits"]
        self._build()
