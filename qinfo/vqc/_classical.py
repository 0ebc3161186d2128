"""The classical DisCoCat baseline: the same grammar with real tensors, trained by gradient descent.

Each word is a real tensor with one index per wire (``noun_dim`` per ``n``,
``sentence_dim`` per ``s``: a relation is a ``noun_dim x sentence_dim x
noun_dim`` array), captions are contracted along their cups exactly as in
the quantum model, the image vector is a learned affine map ``v = W x + b`` of
the feature vector, and the score is ``sigmoid(<c, v>)``. It trains with the
same losses, optimisers, early stopping and decision rule as
:class:`~qinfo.vqc.CaptionModel`, so the two are compared on equal terms.
"""

from __future__ import annotations

import numpy as np

from qinfo._validate import check_int
from qinfo.vqc._base_model import BaseCaptionModel
from qinfo.vqc._data import CaptionDataset
from qinfo.vqc._grammar import LEXICON, format_type, parse

__all__ = ["ClassicalDisCoCat"]


class ClassicalDisCoCat(BaseCaptionModel):
    """Real-tensor DisCoCat captioning model (scikit-learn style).

    Parameters
    ----------
    noun_dim, sentence_dim : int
        Dimensions of the ``n`` and ``s`` wires (defaults match the quantum
        model's 1-qubit nouns and 2-qubit sentences).
    loss, optimizer, lr, epochs, batch_size, patience, temperature, seed, progress
        As for :class:`~qinfo.vqc.CaptionModel`.

    Examples
    --------
    >>> from qinfo.vqc import make_datasets
    >>> ds = make_datasets("relational", "binary", n_per_combination=2, seed=0)
    >>> model = ClassicalDisCoCat(epochs=3, seed=0).fit(ds["train"], ds["val"])
    >>> round(model.score(ds["test"]), 4), model.n_epochs_
    (0.4167, 3)
    """

    _settings = ("noun_dim", "sentence_dim", "loss", "optimizer", "lr", "epochs", "batch_size",
                 "patience", "temperature", "seed", "progress")

    def __init__(self, noun_dim: int = 2, sentence_dim: int = 4, loss: str = "bce",
                 optimizer: str = "adam", lr: float = 0.05, epochs: int = 60, batch_size: int = 16,
                 patience: int = 15, temperature: float = 0.1, *, seed=None, progress=None):
        self._store_settings(locals())

    _extra_meta_keys = ("vocabulary", "n_features")

    def _check_settings(self) -> None:
        super()._check_settings()
        check_int("noun_dim", self.noun_dim, 1)
        check_int("sentence_dim", self.sentence_dim, 1)

    def _setup(self, train: CaptionDataset) -> None:
        words = sorted({w for c in train.all_captions() for w in parse(c).words})
        self.vocabulary_ = {w: format_type(LEXICON[w]) for w in words}
        self.n_features_ = train.features.shape[1]
        self._build()

    def _build(self) -> None:
        dim = {"n": self.noun_dim, "s": self.sentence_dim}
        self._layout = {}
        offset = 0
        for w in self.vocabulary_:
            shape = tuple(dim[st.base] for st in LEXICON[w])
            self._layout[w] = (offset, shape)
            offset += int(np.prod(shape))
        self._img_offset = offset
        self._n_params = offset + self.sentence_dim * (self.n_features_ + 1)

    def _init_params(self, rng):
        return rng.normal(0.0, 0.5, size=self._n_params)

    def _prepare(self, features):
        x = np.asarray(features, dtype=float)
        if x.ndim != 2 or x.shape[1] != self.n_features_:
            raise ValueError(f"features must have shape (items, {self.n_features_}), got {x.shape}")
        if not np.all(np.isfinite(x)):
            raise ValueError("features contain NaN or infinite values")
        return x

    def _words(self, theta):
        return {w: theta[o:o + int(np.prod(s))].reshape(s) for w, (o, s) in self._layout.items()}, None

    def _words_vjp(self, theta, ctx, grads):
        out = np.zeros_like(theta)
        for w, g in grads.items():
            o, s = self._layout[w]
            out[o:o + int(np.prod(s))] += np.real(g).reshape(-1)
        return out

    def _image_map(self, theta):
        wb = theta[self._img_offset:].reshape(self.sentence_dim, self.n_features_ + 1)
        return wb[:, :-1], wb[:, -1]

    def _images(self, theta, x):
        w, b = self._image_map(theta)
        return x @ w.T + b, x

    def _images_vjp(self, theta, x, grad):
        out = np.zeros_like(theta)
        gw = np.concatenate([grad.T @ x, grad.sum(axis=0)[:, None]], axis=1)
        out[self._img_offset:] = gw.reshape(-1)
        return out

    def _match(self, c, v, cap, img):
        s = np.sum(c[cap] * v[img], axis=1)
        f = 1.0 / (1.0 + np.exp(-np.clip(s, -50, 50)))
        return f, (c, v, cap, img, f)

    def _match_vjp(self, ctx, df):
        c, v, cap, img, f = ctx
        ds = (df * f * (1 - f))[:, None]
        gc = np.zeros_like(c)
        gv = np.zeros_like(v)
        np.add.at(gc, cap, ds * v[img])
        np.add.at(gv, img, ds * c[cap])
        return gc, gv

    def _named(self, theta) -> dict[str, float]:
        return {f"p{i}": float(t) for i, t in enumerate(theta)}

    def _extra_meta(self) -> dict:
        return {"vocabulary": self.vocabulary_, "n_features": self.n_features_}

    def _restore(self, meta, arrays) -> None:
        self.vocabulary_ = meta["vocabulary"]
        self.n_features_ = meta["n_features"]
        self._build()
