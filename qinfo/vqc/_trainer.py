"""The training loop, apart from the model (lambeq's model / trainer / checkpoint split).

A :class:`Trainer` runs epochs of mini-batches over the groups of a training
set, steps an optimiser (Adam with the model's exact gradients, or SPSA with
any loss, e.g. shot-based fidelities from a backend), records per-epoch
losses and accuracies, early-stops on the validation loss and writes a
resumable checkpoint (``qinfo.vqc._checkpoint``) after every epoch. The
model supplies the loss and its gradient; the trainer never looks inside it.
Exact training and training on a device go through this one loop.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm.auto import tqdm

from qinfo._parallel import show_progress
from qinfo.vqc._checkpoint import check_shape, read_npz, write_npz

__all__ = ["Trainer"]

_CKPT = "checkpoint"


class Trainer:
    """Runs the optimisation of a caption model (``BaseCaptionModel``).

    Parameters
    ----------
    model : BaseCaptionModel
        Set up for training (vocabulary and parameter layout built).
    optimizer : Adam or SPSA
    epochs, batch_size, patience : int
        As for :class:`~qinfo.vqc.CaptionModel`.
    fidelity_fn : callable, optional
        ``(pairs, param_values) -> scores`` replacing the exact simulator in
        the training loss (SPSA only).
    checkpoint : path, optional
        Resume file, written after each epoch; resumed from when it exists.
    fingerprint : str
        Hash of settings and data; a checkpoint with another one is refused.
    callback : callable, optional
        ``callback(model, epoch, record)`` after each epoch.
    progress : bool or None
        Show a bar over the epochs (None: when stderr is a terminal).

    Examples
    --------
    >>> from qinfo.vqc import CaptionModel, make_datasets
    >>> ds = make_datasets("relational", "binary", n_per_combination=2, seed=0)
    >>> m = CaptionModel(epochs=2, progress=False).fit(ds["train"], ds["val"])
    >>> sorted(m.history_[0])
    ['epoch', 'train_acc', 'train_loss', 'val_acc', 'val_loss']
    """

    def __init__(self, model, optimizer, *, epochs: int, batch_size: int, patience: int,
                 fidelity_fn: Callable | None = None, checkpoint: str | os.PathLike | None = None,
                 fingerprint: str = "", callback: Callable | None = None, progress: bool | None = None):
        self.model = model
        self.optimizer = optimizer
        self.epochs, self.batch_size, self.patience = epochs, batch_size, patience
        self.fidelity_fn = fidelity_fn
        self.checkpoint = None if checkpoint is None else Path(checkpoint)
        self.fingerprint = fingerprint
        self.callback = callback
        self.progress = progress

    def run(self, theta: np.ndarray, rng: np.random.Generator, train, val=None) -> dict:
        """Optimise from ``theta``; returns ``{"params", "history", "epochs"}``.

        ``train`` and ``val`` are ``(pairs, prepared_features, raw_features)``;
        with ``val`` the returned parameters are those of the best validation loss.
        """
        model, opt = self.model, self.optimizer
        tp, tf, traw = train
        state = {"epoch": 0, "history": [], "best": theta.copy(), "best_val": np.inf, "bad": 0}
        if self.checkpoint is not None and self.checkpoint.exists():
            theta = self._load(theta.shape, rng, state)
        groups = np.unique(tp.groups)
        members = {g: np.flatnonzero(tp.groups == g) for g in groups}
        bar = tqdm(total=self.epochs, initial=state["epoch"], desc=type(model).__name__,
                   disable=not show_progress(self.progress), leave=False)
        try:
            while state["epoch"] < self.epochs and state["bad"] <= self.patience:
                order = rng.permutation(groups)
                losses = []
                for start in range(0, len(order), self.batch_size):
                    idx = np.concatenate([members[g] for g in order[start:start + self.batch_size]])
                    if opt.needs_gradient:
                        loss, grad = model._loss_grad(theta, tp, tf, idx)
                        theta = opt.step(theta, grad)
                    else:
                        theta = opt.step(theta, lambda t: model._loss_only(t, tp, tf, idx, self.fidelity_fn,
                                                                           traw), rng)
                        loss = opt.last_loss
                    losses.append(loss)
                record = {"epoch": state["epoch"] + 1, "train_loss": float(np.mean(losses))}
                record.update(model._epoch_metrics(theta, train, val))
                if val is not None:
                    if record["val_loss"] < state["best_val"] - 1e-9:
                        state["best_val"], state["best"], state["bad"] = record["val_loss"], theta.copy(), 0
                    else:
                        state["bad"] += 1
                state["history"].append(record)
                state["epoch"] += 1
                bar.update(1)
                bar.set_postfix({k: round(v, 4) for k, v in record.items() if k != "epoch"})
                if self.checkpoint is not None:
                    self._save(theta, rng, state)
                if self.callback is not None:
                    self.callback(model, state["epoch"], record)
        finally:
            bar.close()
        return {"params": state["best"] if val is not None else theta, "history": state["history"],
                "epochs": state["epoch"]}

    # ---- the resume file --------------------------------------------------------------
    def _save(self, theta, rng, state) -> None:
        arrays = {"theta": theta, "best": state["best"]}
        meta_opt = {}
        for k, v in self.optimizer.state_dict().items():
            if isinstance(v, np.ndarray):
                arrays["opt_" + k] = v
            else:
                meta_opt[k] = v
        meta = {"fingerprint": self.fingerprint, "epoch": state["epoch"], "history": state["history"],
                "best_val": state["best_val"] if np.isfinite(state["best_val"]) else None,
                "bad": state["bad"], "opt": meta_opt, "rng": rng.bit_generator.state}
        write_npz(self.checkpoint, _CKPT, meta, arrays)

    def _load(self, shape, rng, state) -> np.ndarray:
        path = self.checkpoint
        meta, arrays = read_npz(path, _CKPT, meta_keys=("fingerprint", "epoch", "history", "best_val", "bad",
                                                        "opt", "rng"),
                                array_keys=("theta", "best"))
        if meta["fingerprint"] != self.fingerprint:
            raise ValueError(f"checkpoint {path} is from a different model, settings or data; "
                             "delete it or pass another path")
        theta = check_shape(path, _CKPT, "theta", arrays["theta"], shape)
        best = check_shape(path, _CKPT, "best", arrays["best"], shape)
        opt_state = dict(meta["opt"])
        for k in list(arrays):
            if k.startswith("opt_"):
                opt_state[k[4:]] = check_shape(path, _CKPT, k, arrays[k], shape)
        for k in ("m", "v"):
            opt_state.setdefault(k, None)
        try:
            self.optimizer.load_state_dict(opt_state)
            rng.bit_generator.state = meta["rng"]
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"file {path} is not a qinfo checkpoint (optimizer or random state: {exc}); "
                             "delete it to start over") from None
        best_val = np.inf if meta["best_val"] is None else float(meta["best_val"])
        state.update(epoch=int(meta["epoch"]), history=meta["history"], best=best, best_val=best_val,
                     bad=int(meta["bad"]))
        return theta
