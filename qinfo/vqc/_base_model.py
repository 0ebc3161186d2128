"""What the quantum and the classical caption models share: contraction, training, decision, files.

A model turns each word into a tensor with one index per pregroup wire,
contracts the tensors of a caption along its cups (:func:`contract`) into a
sentence vector ``c``, turns the image features into a vector ``v`` of the
same dimension and scores the pair in ``[0, 1]``. Subclasses say how words,
images and scores are made (and differentiated); :class:`BaseCaptionModel`
does the rest: vocabulary, batching, losses, Adam/SPSA, early stopping on
validation, checkpoints that resume exactly, the decision rule, save/load.

Decision rule (:mod:`qinfo.vqc._decision`): for the binary task a pair
matches when its score exceeds ``threshold_``, the cut that maximises training
accuracy (fitted at the end of ``fit``); for the k-way task the candidate with
the highest score wins.

:func:`fit_seeds` fits one copy of a model per seed, on an executor.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from concurrent.futures import Executor
from functools import lru_cache, partial
from typing import Callable, Sequence

import numpy as np

from qinfo._parallel import parallel_map, show_progress
from qinfo._random import as_generator, spawn_seeds
from qinfo._validate import check_int, check_real, check_seed
from qinfo.vqc._checkpoint import CheckpointError, check_shape, decode_setting, encode_setting, read_npz, write_npz
from qinfo.vqc._data import CaptionDataset
from qinfo.vqc._decision import accuracy, best_threshold, decide
from qinfo.vqc._grammar import Diagram, parse
from qinfo.vqc._losses import LOSSES
from qinfo.vqc._optimizers import get_optimizer
from qinfo.vqc._trainer import Trainer

__all__ = ["BaseCaptionModel", "contract", "contract_vjp", "einsum_spec", "fit_seeds"]

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"


@lru_cache(maxsize=1024)
def einsum_spec(diagram: Diagram) -> str:
    """Batched ``numpy.einsum`` subscripts contracting a caption's word tensors along its cups.

    Word ``i``'s tensor has a batch index ``Z`` and one index per wire.

    Examples
    --------
    >>> einsum_spec(parse("cube left sphere"))
    'Za,Zacb,Zb->Zc'
    """
    letter = {}
    nxt = iter(_LETTERS)
    for i, j in diagram.cups:
        letter[i] = letter[j] = next(nxt)
    letter[diagram.output] = next(nxt)
    ins = []
    for w in range(len(diagram.words)):
        ins.append("Z" + "".join(letter[k] for k, (word, _) in enumerate(diagram.wires) if word == w))
    return ",".join(ins) + "->Z" + letter[diagram.output]


def contract(spec: str, tensors: Sequence[np.ndarray]) -> np.ndarray:
    """Contract a batch of captions: ``einsum(spec, *tensors)`` (contraction order found once per shape)."""
    return np.einsum(spec, *tensors, optimize=_path(spec, tuple(t.shape for t in tensors)))


@lru_cache(maxsize=1024)
def _path(spec: str, shapes: tuple) -> list | bool:
    """A good pairwise contraction order for ``spec`` on operands of ``shapes`` (False for two operands)."""
    if len(shapes) <= 2:
        return False
    return np.einsum_path(spec, *[np.empty(s, dtype=complex) for s in shapes], optimize="greedy")[0]


def contract_vjp(spec: str, tensors: Sequence[np.ndarray], cotangent: np.ndarray) -> list[np.ndarray]:
    """Cotangents of the word tensors of :func:`contract` (complex convention of
    :func:`~qinfo.vqc.simulate_vjp`; the contraction is holomorphic, so
    ``G_i = einsum(conj(others), G)``)."""
    ins, out = spec.split("->")
    ins = ins.split(",")
    grads = []
    for i in range(len(tensors)):
        others = [t for k, t in enumerate(tensors) if k != i]
        sub = ",".join([s for k, s in enumerate(ins) if k != i] + [out]) + "->" + ins[i]
        ops = [np.conj(o) for o in others] + [cotangent]
        grads.append(np.einsum(sub, *ops, optimize=_path(sub, tuple(o.shape for o in ops))))
    return grads


class _Pairs:
    """The (caption, image) pairs a dataset's decision needs, compiled to index arrays."""

    def __init__(self, dataset: CaptionDataset):
        if dataset.task == "binary":
            caps = list(dataset.captions)
            img = np.arange(len(dataset))
            labels = dataset.labels.astype(float)
            groups = dataset.groups
        else:
            k = {len(c) for c in dataset.captions}
            if len(k) != 1:
                raise ValueError("every k-way item must have the same number of candidates")
            k = k.pop()
            caps = [c for cands in dataset.captions for c in cands]
            img = np.repeat(np.arange(len(dataset)), k)
            labels = (np.tile(np.arange(k), len(dataset)) == np.repeat(dataset.labels, k)).astype(float)
            groups = np.repeat(np.arange(len(dataset)), k)
        self.unique = sorted(set(tuple(c) for c in caps))
        where = {c: i for i, c in enumerate(self.unique)}
        self.cap = np.array([where[tuple(c)] for c in caps], dtype=int)
        self.img = img
        self.labels = labels
        self.groups = np.asarray(groups)
        self.captions = [tuple(c) for c in caps]
        self.task = dataset.task


class BaseCaptionModel:
    """Base class of :class:`~qinfo.vqc.CaptionModel` and
    :class:`~qinfo.vqc.ClassicalDisCoCat` (scikit-learn style)."""

    _fitted_attrs = ("params_",)

    # ---- hooks for subclasses -------------------------------------------------------
    def _setup(self, train: CaptionDataset) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _init_params(self, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _words(self, theta):  # -> (dict word -> tensor, ctx)   # pragma: no cover
        raise NotImplementedError

    def _words_vjp(self, theta, ctx, grads: dict) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _images(self, theta, features):  # -> (array (B, d), ctx)   # pragma: no cover
        raise NotImplementedError

    def _images_vjp(self, theta, ctx, grad) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _match(self, c, v, cap, img):  # -> (scores, ctx)   # pragma: no cover
        raise NotImplementedError

    def _match_vjp(self, ctx, dscore):  # -> (G_c, G_v)   # pragma: no cover
        raise NotImplementedError

    # ---- settings --------------------------------------------------------------------
    def _store_settings(self, values: dict) -> None:
        """Store the constructor arguments unchanged (scikit-learn: no work in __init__)."""
        for k in self._settings:
            setattr(self, k, values[k])

    def get_params(self, deep: bool = True) -> dict:
        """The constructor settings, exactly as given (scikit-learn convention).

        Parameters
        ----------
        deep : bool
            Accepted for scikit-learn; no setting is itself an estimator.

        Returns
        -------
        dict

        Examples
        --------
        >>> from qinfo.vqc import ClassicalDisCoCat
        >>> ClassicalDisCoCat(noun_dim=3, seed=1).get_params()["noun_dim"]
        3
        """
        return {k: getattr(self, k) for k in self._settings}

    def set_params(self, **params):
        """Set constructor settings (scikit-learn convention).

        Parameters
        ----------
        **params
            Setting name -> new value.

        Returns
        -------
        self

        Examples
        --------
        >>> from qinfo.vqc import ClassicalDisCoCat
        >>> ClassicalDisCoCat().set_params(epochs=5).epochs
        5
        """
        unknown = sorted(set(params) - set(self._settings))
        if unknown:
            raise ValueError(f"invalid setting(s) {unknown} for {type(self).__name__}; "
                             f"valid ones are {list(self._settings)}")
        for k, v in params.items():
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _check_settings(self) -> None:
        """Validate every setting (type, finiteness, range) before any work."""
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {self.loss!r}")
        if self.optimizer not in ("adam", "spsa"):
            raise ValueError(f"optimizer must be 'adam' or 'spsa', got {self.optimizer!r}")
        check_int("epochs", self.epochs, 0)
        check_int("batch_size", self.batch_size, 1)
        check_int("patience", self.patience, 0)
        check_real("lr", self.lr)
        check_real("temperature", self.temperature)
        check_seed("seed", self.seed)
        if self.progress is not None and not isinstance(self.progress, bool):
            raise TypeError(f"progress must be None, True or False, got {self.progress!r}")

    def _check_fitted(self) -> None:
        if not all(hasattr(self, a) for a in self._fitted_attrs):
            raise ValueError(f"this {type(self).__name__} is not fitted yet; call fit(train) first")

    def __sklearn_is_fitted__(self) -> bool:
        return all(hasattr(self, a) for a in self._fitted_attrs)

    # ---- the forward and backward pass -------------------------------------------------
    def _check_caption(self, caption) -> Diagram:
        diagram = parse(caption)
        unknown = [w for w in diagram.words if w not in self.vocabulary_]
        if unknown:
            raise ValueError(f"unknown word(s) {unknown}: the model was trained on {sorted(self.vocabulary_)}")
        return diagram

    def _sentences(self, words, captions):
        """Sentence vectors of ``captions`` (tuples) and the pieces for the backward pass."""
        by_sig: dict[str, list[int]] = {}
        diagrams = [self._check_caption(c) for c in captions]
        for i, d in enumerate(diagrams):
            by_sig.setdefault(einsum_spec(d), []).append(i)
        out = None
        groups = []
        for spec, rows in by_sig.items():
            tensors = [np.stack([words[diagrams[i].words[p]] for i in rows])
                       for p in range(len(diagrams[rows[0]].words))]
            c = contract(spec, tensors)
            if out is None:
                out = np.zeros((len(captions), c.shape[1]), dtype=c.dtype)
            out[rows] = c
            groups.append((spec, rows, tensors))
        return out, (diagrams, groups)

    def _sentences_vjp(self, ctx, grad_c) -> dict:
        diagrams, groups = ctx
        grads: dict = {}
        for spec, rows, tensors in groups:
            gs = contract_vjp(spec, tensors, grad_c[rows])
            for p, g in enumerate(gs):
                for k, i in enumerate(rows):
                    w = diagrams[i].words[p]
                    grads[w] = grads.get(w, 0) + g[k]
        return grads

    def _scores(self, theta, captions, cap, features, img, dscore_fn=None):
        """Scores of pairs ``(captions[cap[k]], features[img[k]])``; with ``dscore_fn``
        (scores -> (loss, dloss/dscores)) also the loss and its gradient in ``theta``."""
        words, wctx = self._words(theta)
        c, sctx = self._sentences(words, captions)
        v, ictx = self._images(theta, features)
        f, mctx = self._match(c, v, cap, img)
        if dscore_fn is None:
            return f
        loss, df = dscore_fn(f)
        gc, gv = self._match_vjp(mctx, df)
        grad = self._words_vjp(theta, wctx, self._sentences_vjp(sctx, gc))
        grad = grad + self._images_vjp(theta, ictx, gv)
        return f, loss, grad

    def _pair_scores(self, theta, pairs: _Pairs, features, idx=None):
        idx = np.arange(len(pairs.cap)) if idx is None else idx
        caps, cap = np.unique(pairs.cap[idx], return_inverse=True)
        imgs, img = np.unique(pairs.img[idx], return_inverse=True)
        return [pairs.unique[i] for i in caps], cap, features[imgs], img

    def _loss_grad(self, theta, pairs, features, idx):
        captions, cap, feats, img = self._pair_scores(theta, pairs, features, idx)
        loss_fn = LOSSES[self.loss]
        dfn = lambda f: loss_fn(f, pairs.labels[idx], pairs.groups[idx], self.temperature)  # noqa: E731
        _, loss, grad = self._scores(theta, captions, cap, feats, img, dfn)
        return loss, grad

    def _loss_only(self, theta, pairs, features, idx, fidelity_fn=None, raw=None):
        if fidelity_fn is None:
            captions, cap, feats, img = self._pair_scores(theta, pairs, features, idx)
            f = self._scores(theta, captions, cap, feats, img)
        else:
            batch = [(pairs.captions[k], raw[pairs.img[k]]) for k in idx]  # raw image features
            f = np.asarray(fidelity_fn(batch, self._named(theta)), dtype=float)
            if f.shape != (len(idx),):
                raise ValueError(f"fidelity_fn must return {len(idx)} numbers, got shape {f.shape}")
            if not np.all(np.isfinite(f)):
                raise ValueError(f"fidelity_fn returned {int(np.sum(~np.isfinite(f)))} non-finite values "
                                 "(e.g. a pair with no post-selected shots); return finite estimates")
        return LOSSES[self.loss](f, pairs.labels[idx], pairs.groups[idx], self.temperature)[0]

    # ---- public API --------------------------------------------------------------------
    def _check_dataset(self, dataset, name: str) -> None:
        if not isinstance(dataset, CaptionDataset):
            raise TypeError(f"{name} must be a CaptionDataset, got {type(dataset).__name__}")
        if dataset.features is None:
            raise ValueError(f"{name} has no image features; build it with make_datasets(features=...)")
        if len(dataset) == 0:
            raise ValueError(f"{name} is empty")

    def fit(self, train: CaptionDataset, val: CaptionDataset | None = None, *,
            fidelity_fn: Callable | None = None, backend=None, options=None,
            checkpoint: str | os.PathLike | None = None, callback: Callable | None = None):
        """Train on ``train``; early-stop on ``val`` (restoring the best parameters).

        Exact training (Adam, gradients from the simulator) and training on a
        device (SPSA with shot-based fidelities) run through the same
        training loop (``qinfo.vqc._trainer``).

        Parameters
        ----------
        train : CaptionDataset
            Training data, with features.
        val : CaptionDataset, optional
            Validation data, with features, for early stopping.
        fidelity_fn : callable, optional
            ``(pairs, param_values) -> scores`` used by SPSA instead of the exact
            simulator (shot-based training on a backend); ``pairs`` is a list of
            ``(caption, features)``. Not allowed with Adam.
        backend : str or sampler, optional
            Train on this execution target (see :func:`qinfo.vqc.get_backend`):
            the training loss uses its fidelity estimates. Needs
            ``optimizer="spsa"``; validation losses and accuracies stay exact.
        options : ExecutionOptions, optional
            Passed unchanged to ``get_backend(backend, options=options)``.
        checkpoint : path, optional
            A file written after every epoch with the parameters, optimiser
            state and random state; if it exists, training resumes from it and
            ends with the same result as an uninterrupted run.
        callback : callable, optional
            Called as ``callback(model, epoch, record)`` after each epoch.

        Returns
        -------
        self

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=2, seed=0).fit(ds["train"], ds["val"])
        >>> model.n_epochs_, len(model.history_)
        (2, 2)
        """
        self._check_settings()
        self._check_dataset(train, "train")
        if val is not None:
            self._check_dataset(val, "val")
            if val.task != train.task:
                raise ValueError(f"val task {val.task!r} differs from train task {train.task!r}")
        if backend is not None and fidelity_fn is not None:
            raise ValueError("pass backend or fidelity_fn, not both")
        opt = get_optimizer(self.optimizer, self.lr)
        if (fidelity_fn is not None or backend is not None) and opt.needs_gradient:
            raise ValueError(f"{'backend' if backend is not None else 'fidelity_fn'} needs optimizer='spsa': "
                             "Adam uses exact gradients from the simulator, which shot-based "
                             "fidelities cannot give")
        if backend is not None:
            from qinfo.vqc._backends import get_backend

            kwargs = {} if options is None else {"options": options}
            with get_backend(backend, progress=False, **kwargs) as runner:
                return self.fit(train, val, fidelity_fn=runner.fidelity_fn(self), checkpoint=checkpoint,
                                callback=callback)
        fingerprint = self._fingerprint(train, val)  # before a Generator seed is drawn from
        self._setup(train)
        self.task_ = train.task
        s_init, s_train = spawn_seeds(self.seed, 2)
        theta = self._init_params(as_generator(s_init))
        tp = _Pairs(train)
        vdata = None
        if val is not None:
            vdata = (_Pairs(val), self._prepare(val.features), val.features)
            for c in vdata[0].unique:
                self._check_caption(c)
        progress = show_progress(self.progress)
        trainer = Trainer(self, opt, epochs=self.epochs, batch_size=self.batch_size, patience=self.patience,
                          fidelity_fn=fidelity_fn, checkpoint=checkpoint, fingerprint=fingerprint,
                          callback=callback, progress=progress)
        result = trainer.run(theta, as_generator(s_train), (tp, self._prepare(train.features), train.features),
                             vdata)
        self.params_ = result["params"]
        self.history_ = result["history"]
        self.n_epochs_ = result["epochs"]
        self.threshold_ = None
        if self.task_ == "binary":
            self.threshold_ = best_threshold(self._dataset_scores(tp, self._prepare(train.features)), tp.labels)
        return self

    def _epoch_metrics(self, theta, train, val) -> dict:
        """Per-epoch record: train accuracy, and with ``val`` its loss and accuracy (exact simulator).

        Binary accuracies use the threshold that is best on the training scores of this epoch.
        """
        tp, tf, _ = train
        f = self._scores(theta, *self._pair_scores(theta, tp, tf))
        threshold = best_threshold(f, tp.labels) if tp.task == "binary" else None
        out = {"train_acc": _accuracy(f, tp, threshold)}
        if val is not None:
            vp, vf, _ = val
            fv = self._scores(theta, *self._pair_scores(theta, vp, vf))
            out["val_loss"] = float(LOSSES[self.loss](fv, vp.labels, vp.groups, self.temperature)[0])
            out["val_acc"] = _accuracy(fv, vp, threshold)
        return out

    def _prepare(self, features):
        return np.asarray(features, dtype=float)

    def _dataset_scores(self, pairs: _Pairs, features) -> np.ndarray:
        captions, cap, feats, img = self._pair_scores(self.params_, pairs, features)
        return self._scores(self.params_, captions, cap, feats, img)

    def fidelity_pairs(self, dataset: CaptionDataset) -> list[tuple[tuple[str, ...], np.ndarray]]:
        """The ``(caption, features)`` pairs whose scores the decision on ``dataset`` needs.

        Parameters
        ----------
        dataset : CaptionDataset
            With features.

        Returns
        -------
        list of (tuple of str, numpy.ndarray)
            In the order :meth:`predict_from_fidelities` expects (binary: one
            per item; k-way: the candidates of item 0, then of item 1, ...).

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> caption, features = model.fidelity_pairs(ds["test"])[0]
        >>> caption, features.shape
        (('cube', 'right', 'cone'), (16,))
        """
        self._check_dataset(dataset, "dataset")
        p = _Pairs(dataset)
        return [(c, dataset.features[i]) for c, i in zip(p.captions, p.img)]

    def exact_fidelities(self, pairs) -> np.ndarray:
        """Scores of ``(caption, features)`` pairs with the fitted parameters (exact simulation).

        Parameters
        ----------
        pairs : sequence of (caption, features)
            A caption (str or words) and one image feature vector each.

        Returns
        -------
        numpy.ndarray, shape (len(pairs),)
            Fidelities in [0, 1] (the classical model: sigmoid scores).

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> f = model.exact_fidelities(model.fidelity_pairs(ds["test"]))
        >>> f.shape, bool(np.all((0 <= f) & (f <= 1 + 1e-12)))
        ((12,), True)
        """
        self._check_fitted()
        if len(pairs) == 0:
            return np.zeros(0)
        caps = [tuple(c.split()) if isinstance(c, str) else tuple(c) for c, _ in pairs]
        unique = sorted(set(caps))
        where = {c: i for i, c in enumerate(unique)}
        feats = self._prepare(np.stack([np.asarray(f, dtype=float) for _, f in pairs]))
        return self._scores(self.params_, unique, np.array([where[c] for c in caps]), feats,
                            np.arange(len(pairs)))

    def predict_from_fidelities(self, dataset: CaptionDataset, fidelities) -> np.ndarray:
        """Apply the decision rule to scores of :meth:`fidelity_pairs` (from any backend).

        Binary: a match when the score is strictly above ``threshold_``. K-way: the
        candidate with the highest score (the first on ties).

        Parameters
        ----------
        dataset : CaptionDataset
            The items the scores belong to.
        fidelities : array_like, shape (len(fidelity_pairs(dataset)),)
            One score per pair.

        Returns
        -------
        numpy.ndarray of int
            0/1 match labels (binary) or the chosen candidate index per item (k-way).

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> model.threshold_ = 0.5
        >>> model.predict_from_fidelities(ds["test"], [0.9, 0.5] * 6)[:2]
        array([1, 0])
        """
        self._check_fitted()
        f = np.asarray(fidelities, dtype=float)
        n = len(self.fidelity_pairs(dataset))
        if f.shape != (n,):
            raise ValueError(f"fidelities must have shape ({n},) for this dataset, got {f.shape}")
        if dataset.task != self.task_:
            raise ValueError(f"model was trained for task {self.task_!r}, dataset is {dataset.task!r}")
        if dataset.task == "binary":
            return decide(f, threshold=self.threshold_)
        return decide(f, n_candidates=n // len(dataset))

    def score_from_fidelities(self, dataset: CaptionDataset, fidelities) -> float:
        """Accuracy on ``dataset`` from scores of :meth:`fidelity_pairs`.

        Parameters
        ----------
        dataset : CaptionDataset
            The items the scores belong to.
        fidelities : array_like
            One score per pair of :meth:`fidelity_pairs`.

        Returns
        -------
        float

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> model.threshold_ = 0.5
        >>> model.score_from_fidelities(ds["test"], [0.9, 0.1] * 6)   # labels are 1, 0, 1, 0, ...
        1.0
        """
        return accuracy(self.predict_from_fidelities(dataset, fidelities), dataset.labels)

    def predict(self, dataset: CaptionDataset) -> np.ndarray:
        """Match labels (binary) or chosen candidates (k-way), from the exact simulator.

        Parameters
        ----------
        dataset : CaptionDataset
            With features.

        Returns
        -------
        numpy.ndarray of int

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> model.predict(ds["test"]).shape
        (12,)
        """
        self._check_fitted()
        return self.predict_from_fidelities(dataset, self.exact_fidelities(self.fidelity_pairs(dataset)))

    def score(self, dataset: CaptionDataset) -> float:
        """Accuracy on ``dataset`` (fraction correct), from the exact simulator.

        Parameters
        ----------
        dataset : CaptionDataset
            With features.

        Returns
        -------
        float

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> model.score(ds["train"]) >= 0.5   # the threshold is the best cut of the training scores
        True
        """
        self._check_fitted()
        return self.score_from_fidelities(dataset, self.exact_fidelities(self.fidelity_pairs(dataset)))

    # ---- persistence -------------------------------------------------------------------
    def _fingerprint(self, train, val) -> str:
        h = hashlib.sha256()
        h.update(json.dumps(self._config(), sort_keys=True).encode())
        for ds in (train, val):
            if ds is None:
                continue
            h.update(ds.task.encode())
            h.update(np.ascontiguousarray(ds.features).tobytes())
            h.update(np.ascontiguousarray(ds.labels).tobytes())
            h.update(repr(ds.captions).encode())
        return h.hexdigest()

    def _encoded_settings(self) -> dict:
        return {k: encode_setting(k, v) for k, v in self.get_params().items()}

    def _config(self) -> dict:
        cfg = self._encoded_settings()
        cfg.pop("progress", None)
        cfg["class"] = type(self).__name__
        return cfg

    def save(self, path) -> None:
        """Write the settings and the fitted state to ``path`` (``.npz``, atomically).

        Every setting round-trips, including a ``SeedSequence`` or ``Generator``
        seed (saved with its current state) and ansatz or encoding objects.

        Parameters
        ----------
        path : str or path
            The file to write.

        Examples
        --------
        >>> import os, tempfile
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
        >>> model.save(path)
        >>> bool(np.array_equal(CaptionModel.load(path).params_, model.params_))
        True
        """
        self._check_fitted()
        arrays = {"params": self.params_, **self._extra_arrays()}
        meta = {"class": type(self).__name__, "settings": self._encoded_settings(), "task": self.task_,
                "threshold": self.threshold_, "history": self.history_, "n_epochs": self.n_epochs_,
                **self._extra_meta()}
        write_npz(path, _MODEL, meta, arrays)

    @classmethod
    def load(cls, path):
        """Read a model written by :meth:`save`.

        Parameters
        ----------
        path : str or path
            A file written by :meth:`save` of the same class.

        Returns
        -------
        CaptionModel or ClassicalDisCoCat
            Fitted, with the saved settings.

        Raises
        ------
        ValueError
            If the file is empty, truncated, damaged, of another format
            version or lacks a key: ``"file X is not a qinfo model file (reason)"``.

        Examples
        --------
        >>> import os, tempfile
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        >>> model = CaptionModel(epochs=0, seed=0).fit(ds["train"])
        >>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
        >>> model.save(path)
        >>> CaptionModel.load(path).vocabulary_["left"]
        'n^r s n^l'
        """
        meta, arrays = read_npz(path, _MODEL, meta_keys=("class",))
        if meta["class"] != cls.__name__:
            raise ValueError(f"{path} holds a {meta['class']}, not a {cls.__name__}")
        meta, arrays = read_npz(path, _MODEL, meta_keys=("settings", "task", "threshold", "history", "n_epochs",
                                                        *cls._extra_meta_keys), array_keys=("params",))
        try:
            settings = {k: decode_setting(v) for k, v in meta["settings"].items()}
            model = cls(**settings)
            model._restore(meta, arrays)
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckpointError(f"file {path} is not a qinfo {_MODEL} (settings or fitted state: {exc}); "
                                  "delete it to start over") from None
        model.params_ = check_shape(path, _MODEL, "params", arrays["params"], (model._n_params,))
        model.task_ = meta["task"]
        model.threshold_ = meta["threshold"]
        model.history_ = meta["history"]
        model.n_epochs_ = meta["n_epochs"]
        return model

    _extra_meta_keys: tuple[str, ...] = ()

    def _extra_arrays(self) -> dict:
        return {}

    def _extra_meta(self) -> dict:
        return {}

    def _restore(self, meta, arrays) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _named(self, theta) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def clone(self):
        """An unfitted copy with the same settings (as :func:`sklearn.base.clone`).

        Returns
        -------
        CaptionModel or ClassicalDisCoCat

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel
        >>> CaptionModel(epochs=3, seed=0).clone().get_params()["epochs"]
        3
        """
        return type(self)(**copy.deepcopy(self.get_params()))


_MODEL = "model file"


def _accuracy(f: np.ndarray, pairs: _Pairs, threshold: float | None) -> float:
    """Accuracy of scores ``f`` of all ``pairs``: thresholded (binary) or arg-max per item (k-way)."""
    if threshold is not None:
        return accuracy(decide(f, threshold=threshold), (pairs.labels > 0.5).astype(int))
    k = len(f) // len(np.unique(pairs.groups))
    chosen = decide(f, n_candidates=k)
    return float(np.mean(pairs.labels.reshape(-1, k)[np.arange(len(chosen)), chosen]))


def fit_seeds(model: BaseCaptionModel, train: CaptionDataset, val: CaptionDataset | None = None, *,
              seeds, executor: Executor | None = None, progress: bool | None = None) -> list:
    """Fit one unfitted copy of ``model`` per seed, in parallel on ``executor``.

    Each copy is ``model.clone()`` with ``seed`` set to one of ``seeds`` and
    its own progress bar off, trained by ``fit(train, val)``. A fit depends
    only on its seed, so the results are the same serially and on any
    executor, in the order of ``seeds``.

    Parameters
    ----------
    model : CaptionModel or ClassicalDisCoCat
        The settings to train with (left unchanged).
    train : CaptionDataset
        Training data, with features.
    val : CaptionDataset, optional
        Validation data for early stopping.
    seeds : int or sequence of (int or SeedSequence)
        The seeds, or how many to spawn from ``model.seed`` (child seed
        sequences, see :func:`numpy.random.SeedSequence.spawn`).
    executor : concurrent.futures.Executor, optional
        Runs the fits (a process pool needs picklable data, which datasets
        are); None fits them here, one after another.
    progress : bool, optional
        A bar over the fits; None shows one only when stderr is a terminal.

    Returns
    -------
    list
        The fitted copies, one per seed.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from qinfo.vqc import CaptionModel, make_datasets
    >>> ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
    >>> with ThreadPoolExecutor(2) as pool:
    ...     models = fit_seeds(CaptionModel(epochs=1), ds["train"], seeds=[0, 1], executor=pool)
    >>> [m.seed for m in models], models[0].n_epochs_
    ([0, 1], 1)
    """
    if not isinstance(model, BaseCaptionModel):
        raise TypeError(f"model must be a CaptionModel or ClassicalDisCoCat, got {type(model).__name__}")
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        seeds = spawn_seeds(model.seed, check_int("seeds", seeds, 1))
    else:
        seeds = list(seeds)
        if not seeds:
            raise ValueError("seeds is empty")
        for s in seeds:
            if isinstance(s, np.random.Generator):
                raise TypeError("seeds must be ints or SeedSequences, not Generators (a Generator shared "
                                "by parallel fits would make the results depend on the executor)")
            check_seed("seeds", s)
            if s is None:
                raise TypeError("seeds must be ints or SeedSequences, not None (the fits would not be "
                                "reproducible)")
    models = [model.clone().set_params(seed=s, progress=False) for s in seeds]
    return parallel_map(partial(_fit_one, train=train, val=val), models, executor=executor,
                        progress=progress, desc=f"fit {type(model).__name__}")


def _fit_one(model: BaseCaptionModel, *, train, val):
    return model.fit(train, val)
