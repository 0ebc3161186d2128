"""qinfo: quantum information theory in Python.

Three pillars, one package:

- :mod:`qinfo.entropy_cones` -- entropy vectors of hypergraph, graph, link and
  stabilizer models, the catalogue of entropy inequalities and cone checks;
- :mod:`qinfo.tensor_networks` -- random tensor networks and free-probability
  predictions of their entanglement spectra;
- :mod:`qinfo.vqc` -- compositional image captioning with variational quantum
  circuits, on an exact simulator, Qiskit Aer, IBM backends and PennyLane;
- :mod:`qinfo.reproduce` -- the paper reproductions behind ``qinfo reproduce``.

``import qinfo`` imports none of them (it stays fast): ``qinfo.vqc`` and the others
are imported on first attribute access, by the module ``__getattr__`` below -- the
package's one lazy mechanism (the subpackages themselves import their names eagerly).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"
#: The subpackages, imported on first access as attributes of ``qinfo``.
_SUBPACKAGES = ("entropy_cones", "tensor_networks", "vqc", "reproduce")

__all__ = ["__version__", *_SUBPACKAGES, "warmup"]


def warmup() -> float:
    """Compile (or load from the Numba cache) the min-cut kernels now, not on the first call.

    Runs one tiny entropy vector with integer weights, one with float
    weights, a batch, a ``min_cut`` and the integer push-relabel sweep (which
    augmenting paths hand over to on networks such as lattices), so that
    later calls of those paths pay no compilation. The first time on a machine this compiles the
    kernels (seconds of CPU); afterwards it loads them from the cache, which
    Numba keeps beside the installed package, or in a per-user cache
    directory when the package is read-only, or in ``NUMBA_CACHE_DIR`` when
    that is set.

    Returns
    -------
    float
        The wall-clock seconds it took.

    Examples
    --------
    >>> import qinfo
    >>> qinfo.warmup() >= 0
    True
    """
    import time

    from qinfo.entropy_cones import Hypergraph, entropy_vectors

    t0 = time.perf_counter()
    edges = [(("a", "x", "y", "z"), 2), (("x", "b"), 1), (("y", "z", "o"), 3)]
    boundary = {"a": "A", "b": "B", "o": "O"}
    for w in (1, 0.5):
        h = Hypergraph([(e, c * w) for e, c in edges], boundary)
        h.entropy_vector()
        h.min_cut("A")
    h = Hypergraph(edges, boundary)
    h.entropy_vector("push_relabel")
    entropy_vectors([h, h], progress=False)
    return time.perf_counter() - t0


def __getattr__(name: str):
    if name in _SUBPACKAGES:  # importing binds qinfo.<name>, so this runs once per subpackage
        return importlib.import_module(f"qinfo.{name}")
    raise AttributeError(f"module 'qinfo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBPACKAGES))
