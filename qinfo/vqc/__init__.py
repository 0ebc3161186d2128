"""Compositional image captioning with variational quantum circuits.

The pipeline is a chain of small stages: scenes and splits, datasets, image
features, encodings, grammar, ansätze, simulation, models, backends. Every
public name is imported here, from one table; the modules behind it are
private.

=====================  ==================================================================
stage                  names
=====================  ==================================================================
scenes and splits      Scene, SceneObject, sample_scene, render_scene, all_combinations,
                       CompositionalSplit, default_split
datasets               make_datasets, CaptionDataset
real images            load_image_folder, ImageFolder, load_split, save_embeddings,
                       load_embeddings, Embeddings
image features         mhe_vectors, synthetic_clip_embeddings, load_clip_embeddings,
                       scene_key
encodings              MHEEncoding, CLIPAngleEncoding, CLIPIQPEncoding,
                       CLIPAmplitudeEncoding
grammar                parse, Diagram
ansätze                Ansatz, IQP, Sim4, Sim14, Sim15, StronglyEntangling
circuits, simulation   Circuit, Op, simulate, simulate_vjp
models                 CaptionModel, ClassicalDisCoCat, PRESETS, fit_seeds,
                       CheckpointError
backends               get_backend, evaluate, Backend, EvaluationReport, ExecutionOptions,
                       FidelityEstimate, TooFewShotsError, JobFailedError, ServiceUnavailableError
=====================  ==================================================================
"""

from __future__ import annotations

from qinfo.vqc._ansatz import IQP, Ansatz, Sim4, Sim14, Sim15, StronglyEntangling
from qinfo.vqc._base_model import fit_seeds
from qinfo.vqc._checkpoint import CheckpointError
from qinfo.vqc._circuit import Circuit, Op
from qinfo.vqc._classical import ClassicalDisCoCat
from qinfo.vqc._data import CaptionDataset, make_datasets
from qinfo.vqc._encodings import CLIPAmplitudeEncoding, CLIPAngleEncoding, CLIPIQPEncoding, MHEEncoding
from qinfo.vqc._features import load_clip_embeddings, mhe_vectors, scene_key, synthetic_clip_embeddings
from qinfo.vqc._grammar import Diagram, parse
from qinfo.vqc._images import Embeddings, ImageFolder, load_embeddings, load_image_folder, load_split, save_embeddings
from qinfo.vqc._model import PRESETS, CaptionModel
from qinfo.vqc._scenes import (CompositionalSplit, Scene, SceneObject, all_combinations, default_split, render_scene,
                               sample_scene)
from qinfo.vqc._simulate import simulate, simulate_vjp
from qinfo.vqc._backends import (Backend, EvaluationReport, ExecutionOptions, FidelityEstimate, JobFailedError,
                                 ServiceUnavailableError, TooFewShotsError, evaluate, fit_on_backend, get_backend)

__all__ = [
    # scenes and splits
    "Scene", "SceneObject", "sample_scene", "render_scene", "all_combinations", "CompositionalSplit",
    "default_split",
    # datasets
    "make_datasets", "CaptionDataset",
    # real images
    "load_image_folder", "ImageFolder", "load_split", "save_embeddings", "load_embeddings", "Embeddings",
    # image features
    "mhe_vectors", "synthetic_clip_embeddings", "load_clip_embeddings", "scene_key",
    # encodings
    "MHEEncoding", "CLIPAngleEncoding", "CLIPIQPEncoding", "CLIPAmplitudeEncoding",
    # grammar
    "parse", "Diagram",
    # ansätze
    "Ansatz", "IQP", "Sim4", "Sim14", "Sim15", "StronglyEntangling",
    # circuits and simulation
    "Circuit", "Op", "simulate", "simulate_vjp",
    # models
    "CaptionModel", "ClassicalDisCoCat", "PRESETS", "fit_seeds", "CheckpointError",
    # backends
    "get_backend", "evaluate", "Backend", "EvaluationReport", "ExecutionOptions", "FidelityEstimate",
    "TooFewShotsError", "JobFailedError", "ServiceUnavailableError",
]
# fit_on_backend is imported only so that the deprecated name keeps working (with a warning).
