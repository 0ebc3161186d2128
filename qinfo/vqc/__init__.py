"""Compositional image captioning with variational quantum circuits.

The pipeline is a chain of small stages, each a module:

- :mod:`qinfo.vqc.data` -- scenes, captions and compositional splits (synthetic scenes);
- :mod:`qinfo.vqc.images` -- real data: image folders, split files, embeddings files;
- :mod:`qinfo.vqc.encodings` -- multi-hot and CLIP(-like) image encodings;
- :mod:`qinfo.vqc.grammar` -- pregroup types and caption diagrams;
- :mod:`qinfo.vqc.ansatz` -- IQP, Sim4, Sim14, Sim15, StronglyEntangling;
- :mod:`qinfo.vqc.simulate` -- batched exact simulator with adjoint gradients;
- :mod:`qinfo.vqc.model` -- :class:`~qinfo.vqc.model.CaptionModel` (fit / predict / score);
- :mod:`qinfo.vqc.trainer` -- the one training loop (exact or on a backend);
- :mod:`qinfo.vqc.checkpoint` -- versioned model and checkpoint files;
- :mod:`qinfo.vqc.classical` -- the classical DisCoCat baseline;
- :mod:`qinfo.vqc.backends` -- evaluation on Aer, IBM fake backends, hardware, PennyLane.

Names are imported lazily so ``import qinfo.vqc`` stays fast.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "make_datasets": "data",
    "CaptionDataset": "data",
    "CompositionalSplit": "data",
    "Scene": "data",
    "default_split": "data",
    "render_scene": "data",
    "load_image_folder": "images",
    "load_split": "images",
    "load_embeddings": "images",
    "save_embeddings": "images",
    "Embeddings": "images",
    "ImageFolder": "images",
    "mhe_vectors": "encodings",
    "MHEEncoding": "encodings",
    "CLIPAngleEncoding": "encodings",
    "CLIPIQPEncoding": "encodings",
    "CLIPAmplitudeEncoding": "encodings",
    "synthetic_clip_embeddings": "encodings",
    "load_clip_embeddings": "encodings",
    "parse": "grammar",
    "IQP": "ansatz",
    "Sim4": "ansatz",
    "Sim14": "ansatz",
    "Sim15": "ansatz",
    "StronglyEntangling": "ansatz",
    "simulate": "simulate",
    "CaptionModel": "model",
    "PRESETS": "model",
    "Trainer": "trainer",
    "ClassicalDisCoCat": "classical",
    "Adam": "optimizers",
    "SPSA": "optimizers",
    "evaluate": "backends",
    "ExecutionOptions": "execution.options",
    "get_backend": "backends",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f"qinfo.vqc.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'qinfo.vqc' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
