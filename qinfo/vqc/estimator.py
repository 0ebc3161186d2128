"""What the quantum and the classical caption models share: the training loop and the decision rule.

A model turns each word into a tensor with one index per pregroup wire,
contracts the tensors of a caption along its cups (:func:`contract`) into a
sentence vector ``c``, turns the image features into a vector ``v`` of the
same dimension and scores the pair in ``[0, 1]``. Subclasses say how words,
images and scores are made (and differentiated); :class:`CaptionEstimator`
does the rest: vocabulary, batching, losses, Adam/SPSA, early stopping on
validation, checkpoints that resume exactly, the decision rule, save/load.

Decision rule: for the binary task a pair matches when its score exceeds
``threshold_``, the cut that maximises training accuracy (fitted at the end of
``fit``); for the k-way task the candidate with the highest score wins.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from tqdm.auto import tqdm

from .._random import as_generator, spawn_seeds
from .data import CaptionDataset
from .grammar import Diagram, parse
from .losses import LOSSES
from .optimizers import get_optimizer

__all__ = ["CaptionEstimator", "contract", "contract_vjp", "einsum_spec"]

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"


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
    """Contract a batch of captions: ``einsum(spec, *tensors)``."""
    return np.einsum(spec, *tensors, optimize=len(tensors) > 2)


def contract_vjp(spec: str, tensors: Sequence[np.ndarray], cotangent: np.ndarray) -> list[np.ndarray]:
    """Cotangents of the word tensors of :func:`contract` (complex convention of
    :mod:`qinfo.vqc.simulate`; the contraction is holomorphic, so
    ``G_i = einsum(conj(others), G)``)."""
    ins, out = spec.split("->")
    ins = ins.split(",")
    grads = []
    for i in range(len(tensors)):
        others = [t for k, t in enumerate(tensors) if k != i]
        sub = ",".join([s for k, s in enumerate(ins) if k != i] + [out]) + "->" + ins[i]
        grads.append(np.einsum(sub, *[np.conj(o) for o in others], cotangent,
                               optimize=len(tensors) > 2))
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


class CaptionEstimator:
    """Base class of :class:`~qinfo.vqc.model.CaptionModel` and
    :class:`~qinfo.vqc.classical.ClassicalDisCoCat` (scikit-learn style)."""

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

    def get_params(self) -> dict:
        """The constructor settings (scikit-learn convention)."""
        return {k: getattr(self, k) for k in self._settings}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _check_settings(self) -> None:
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {self.loss!r}")
        for name in ("epochs", "batch_size"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < (0 if name == "epochs" else 1):
                raise ValueError(f"{name} must be a {'non-negative' if name == 'epochs' else 'positive'} int, got {v!r}")
        get_optimizer(self.optimizer, self.lr)

    def _check_fitted(self) -> None:
        if not all(hasattr(self, a) for a in self._fitted_attrs):
            raise ValueError(f"this {type(self).__name__} is not fitted yet; call fit(train) first")

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
            fidelity_fn: Callable | None = None, checkpoint: str | os.PathLike | None = None,
            callback: Callable | None = None):
        """Train on ``train``; early-stop on ``val`` (restoring the best parameters).

        Parameters
        ----------
        train, val : CaptionDataset
            With features; ``val`` optional.
        fidelity_fn : callable, optional
            ``(pairs, param_values) -> scores`` used by SPSA instead of the exact
            simulator (shot-based training on a backend); ``pairs`` is a list of
            ``(caption, features)``. Not allowed with Adam.
        checkpoint : path, optional
            A file written after every epoch with the parameters, optimiser
            state and random state; if it exists, training resumes from it and
            ends with the same result as an uninterrupted run.
        callback : callable, optional
            Called as ``callback(model, epoch, record)`` after each epoch.

        Returns
        -------
        self
        """
        self._check_settings()
        self._check_dataset(train, "train")
        if val is not None:
            self._check_dataset(val, "val")
            if val.task != train.task:
                raise ValueError(f"val task {val.task!r} differs from train task {train.task!r}")
        opt = get_optimizer(self.optimizer, self.lr)
        if fidelity_fn is not None and opt.needs_gradient:
            raise ValueError("fidelity_fn needs optimizer='spsa': Adam uses exact gradients "
                             "from the simulator, which a shot-based fidelity_fn cannot give")
        self._setup(train)
        self.task_ = train.task
        s_init, s_train = spawn_seeds(self.seed, 2)
        theta = self._init_params(as_generator(s_init))
        rng = as_generator(s_train)
        tp = _Pairs(train)
        tf = self._prepare(train.features)
        vp = vf = None
        if val is not None:
            vp, vf = _Pairs(val), self._prepare(val.features)
            for c in vp.unique:
                self._check_caption(c)
        state = {"epoch": 0, "history": [], "best": theta.copy(), "best_val": np.inf, "bad": 0}
        fingerprint = self._fingerprint(train, val)
        if checkpoint is not None and Path(checkpoint).exists():
            theta = self._load_checkpoint(checkpoint, fingerprint, opt, rng, state)
        groups = np.unique(tp.groups)
        members = {g: np.flatnonzero(tp.groups == g) for g in groups}
        bar = tqdm(total=self.epochs, initial=state["epoch"], desc=type(self).__name__,
                   disable=not self.progress, leave=False)
        try:
            while state["epoch"] < self.epochs and state["bad"] <= self.patience:
                order = rng.permutation(groups)
                losses = []
                for start in range(0, len(order), self.batch_size):
                    idx = np.concatenate([members[g] for g in order[start:start + self.batch_size]])
                    if opt.needs_gradient:
                        loss, grad = self._loss_grad(theta, tp, tf, idx)
                        theta = opt.step(theta, grad)
                    else:
                        theta = opt.step(theta, lambda t: self._loss_only(t, tp, tf, idx, fidelity_fn, train.features),
                                         rng)
                        loss = opt.last_loss
                    losses.append(loss)
                record = {"epoch": state["epoch"] + 1, "train_loss": float(np.mean(losses))}
                if vp is not None:
                    record["val_loss"] = float(self._loss_only(theta, vp, vf, np.arange(len(vp.cap))))
                    if record["val_loss"] < state["best_val"] - 1e-9:
                        state["best_val"], state["best"], state["bad"] = record["val_loss"], theta.copy(), 0
                    else:
                        state["bad"] += 1
                state["history"].append(record)
                state["epoch"] += 1
                bar.update(1)
                bar.set_postfix({k: round(v, 4) for k, v in record.items() if k != "epoch"})
                if checkpoint is not None:
                    self._save_checkpoint(checkpoint, fingerprint, theta, opt, rng, state)
                if callback is not None:
                    callback(self, state["epoch"], record)
        finally:
            bar.close()
        self.params_ = state["best"] if vp is not None else theta
        self.history_ = state["history"]
        self.n_epochs_ = state["epoch"]
        self.threshold_ = None
        if self.task_ == "binary":
            f = self._dataset_scores(tp, tf)
            self.threshold_ = _best_threshold(f, tp.labels)
        return self

    def _prepare(self, features):
        return np.asarray(features, dtype=float)

    def _dataset_scores(self, pairs: _Pairs, features) -> np.ndarray:
        captions, cap, feats, img = self._pair_scores(self.params_, pairs, features)
        return self._scores(self.params_, captions, cap, feats, img)

    def fidelity_pairs(self, dataset: CaptionDataset) -> list[tuple[tuple[str, ...], np.ndarray]]:
        """The ``(caption, features)`` pairs whose scores the decision on ``dataset`` needs,
        in the order :meth:`predict_from_fidelities` expects (binary: one per item;
        k-way: the candidates of item 0, then of item 1, ...)."""
        self._check_dataset(dataset, "dataset")
        p = _Pairs(dataset)
        return [(c, dataset.features[i]) for c, i in zip(p.captions, p.img)]

    def exact_fidelities(self, pairs) -> np.ndarray:
        """Scores of ``(caption, features)`` pairs with the fitted parameters (exact simulation)."""
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

        Returns 0/1 match labels (binary) or the chosen candidate index per item (k-way).
        """
        self._check_fitted()
        f = np.asarray(fidelities, dtype=float)
        n = len(self.fidelity_pairs(dataset))
        if f.shape != (n,):
            raise ValueError(f"fidelities must have shape ({n},) for this dataset, got {f.shape}")
        if dataset.task != self.task_:
            raise ValueError(f"model was trained for task {self.task_!r}, dataset is {dataset.task!r}")
        if dataset.task == "binary":
            return (f > self.threshold_).astype(int)
        return f.reshape(len(dataset), -1).argmax(axis=1)

    def score_from_fidelities(self, dataset: CaptionDataset, fidelities) -> float:
        """Accuracy on ``dataset`` from scores of :meth:`fidelity_pairs`."""
        return float(np.mean(self.predict_from_fidelities(dataset, fidelities) == dataset.labels))

    def predict(self, dataset: CaptionDataset) -> np.ndarray:
        """Match labels (binary) or chosen candidates (k-way), from the exact simulator."""
        self._check_fitted()
        return self.predict_from_fidelities(dataset, self.exact_fidelities(self.fidelity_pairs(dataset)))

    def score(self, dataset: CaptionDataset) -> float:
        """Accuracy on ``dataset`` (fraction correct)."""
        self._check_fitted()
        return self.score_from_fidelities(dataset, self.exact_fidelities(self.fidelity_pairs(dataset)))

    # ---- persistence -------------------------------------------------------------------
    def _fingerprint(self, train, val) -> str:
        h = hashlib.sha256()
        h.update(json.dumps(self._config(), sort_keys=True, default=str).encode())
        for ds in (train, val):
            if ds is None:
                continue
            h.update(ds.task.encode())
            h.update(np.ascontiguousarray(ds.features).tobytes())
            h.update(np.ascontiguousarray(ds.labels).tobytes())
            h.update(repr(ds.captions).encode())
        return h.hexdigest()

    def _config(self) -> dict:
        cfg = self.get_params()
        cfg.pop("progress", None)
        cfg["class"] = type(self).__name__
        return cfg

    def _save_checkpoint(self, path, fingerprint, theta, opt, rng, state) -> None:
        opt_state = opt.state_dict()
        arrays = {"theta": theta, "best": state["best"]}
        meta_opt = {}
        for k, v in opt_state.items():
            if isinstance(v, np.ndarray):
                arrays["opt_" + k] = v
            else:
                meta_opt[k] = v
        meta = {"fingerprint": fingerprint, "epoch": state["epoch"], "history": state["history"],
                "best_val": state["best_val"], "bad": state["bad"], "opt": meta_opt,
                "rng": rng.bit_generator.state}
        _atomic_savez(path, meta, arrays)

    def _load_checkpoint(self, path, fingerprint, opt, rng, state) -> np.ndarray:
        meta, arrays = _read_npz(path)
        if meta.get("fingerprint") != fingerprint:
            raise ValueError(f"checkpoint {path} is from a different model, settings or data; "
                             "delete it or pass another path")
        opt_state = dict(meta["opt"])
        for k in list(arrays):
            if k.startswith("opt_"):
                opt_state[k[4:]] = arrays[k]
        for k in ("m", "v"):
            opt_state.setdefault(k, None)
        opt.load_state_dict(opt_state)
        rng.bit_generator.state = meta["rng"]
        state.update(epoch=meta["epoch"], history=meta["history"], best=arrays["best"],
                     best_val=meta["best_val"], bad=meta["bad"])
        return arrays["theta"]

    def save(self, path) -> None:
        """Write the settings and the fitted state to ``path`` (``.npz``)."""
        self._check_fitted()
        arrays = {"params": self.params_, **self._extra_arrays()}
        meta = {"class": type(self).__name__, "settings": self.get_params(), "task": self.task_,
                "threshold": self.threshold_, "history": self.history_, "n_epochs": self.n_epochs_,
                **self._extra_meta()}
        _atomic_savez(path, meta, arrays)

    @classmethod
    def load(cls, path):
        """Read a model written by :meth:`save`."""
        meta, arrays = _read_npz(path)
        if meta.get("class") != cls.__name__:
            raise ValueError(f"{path} holds a {meta.get('class')}, not a {cls.__name__}")
        model = cls(**meta["settings"])
        model._restore(meta, arrays)
        model.params_ = arrays["params"]
        model.task_ = meta["task"]
        model.threshold_ = meta["threshold"]
        model.history_ = meta["history"]
        model.n_epochs_ = meta["n_epochs"]
        return model

    def _extra_arrays(self) -> dict:
        return {}

    def _extra_meta(self) -> dict:
        return {}

    def _restore(self, meta, arrays) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _named(self, theta) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def clone(self):
        """An unfitted copy with the same settings."""
        return type(self)(**copy.deepcopy(self.get_params()))


def _best_threshold(f: np.ndarray, labels: np.ndarray) -> float:
    """The cut between sorted scores that maximises accuracy (midpoint; lowest on ties)."""
    order = np.argsort(f)
    fs, ys = f[order], labels[order]
    cuts = np.concatenate([[fs[0] - 1e-12], (fs[:-1] + fs[1:]) / 2, [fs[-1] + 1e-12]])
    # predicting 1 above cut k: correct = negatives at or below k + positives above k
    neg_below = np.concatenate([[0], np.cumsum(1 - ys)])
    pos_above = np.sum(ys) - np.concatenate([[0], np.cumsum(ys)])
    return float(cuts[np.argmax(neg_below + pos_above)])


def _atomic_savez(path, meta: dict, arrays: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, _meta=np.array(json.dumps(meta)),
                 **{k: np.asarray(v) for k, v in arrays.items() if v is not None})
    os.replace(tmp, path)


def _read_npz(path) -> tuple[dict, dict]:
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["_meta"]))
            arrays = {k: data[k] for k in data.files if k != "_meta"}
    except (KeyError, ValueError, OSError) as exc:
        raise ValueError(f"{path} is not a qinfo.vqc model or checkpoint file: {exc}") from None
    return meta, arrays
