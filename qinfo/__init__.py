"""qinfo: quantum information theory in Python.

Three pillars, one package:

- :mod:`qinfo.entropy_cones` -- entropy vectors of hypergraph, graph, link and
  stabilizer models, the catalogue of entropy inequalities and cone checks;
- :mod:`qinfo.tensor_networks` -- random tensor networks and free-probability
  predictions of their entanglement spectra;
- :mod:`qinfo.vqc` -- compositional image captioning with variational quantum
  circuits, on an exact simulator, Qiskit Aer, IBM backends and PennyLane.

Subpackages are imported lazily so ``import qinfo`` stays fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"
__all__ = ["__version__", "entropy_cones", "tensor_networks", "vqc"]


def __getattr__(name: str):
    if name in {"entropy_cones", "tensor_networks", "vqc", "reproduce"}:
        return importlib.import_module(f"qinfo.{name}")
    raise AttributeError(f"module 'qinfo' has no attribute {name!r}")
