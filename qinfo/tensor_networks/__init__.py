"""Random tensor networks and free-probability predictions of their spectra.

Names are imported lazily from their modules:

=================================  ==============================================
name                               module
=================================  ==============================================
RandomTensorNetwork                :mod:`qinfo.tensor_networks.network`
sample_spectrum, sample_spectra,   :mod:`qinfo.tensor_networks.spectra`
SpectrumSamples, entropy
Cut, minimal_cuts                  :mod:`qinfo.tensor_networks.cuts`
free_probability (module),         :mod:`qinfo.tensor_networks.free_probability`
MarchenkoPastur, predict_spectrum,
predict_entropy
plot_spectrum, ks_distance         :mod:`qinfo.tensor_networks.plotting`
series_parallel (module)           :mod:`qinfo.tensor_networks.series_parallel`
semiclassical (module),            :mod:`qinfo.tensor_networks.semiclassical`
InformationSpectrum,
semiclassical_law, gaussian_limit
negativity (module),               :mod:`qinfo.tensor_networks.negativity`
partial_transpose_spectrum,
partial_transpose_moments,
log_negativity
=================================  ==============================================
"""

from __future__ import annotations

import importlib

_LAZY = {
    "RandomTensorNetwork": "network",
    "sample_spectrum": "spectra",
    "sample_spectra": "spectra",
    "SpectrumSamples": "spectra",
    "entropy": "spectra",
    "Cut": "cuts",
    "minimal_cuts": "cuts",
    "MarchenkoPastur": "free_probability",
    "free_multiplicative_convolution": "free_probability",
    "predict_spectrum": "free_probability",
    "predict_entropy": "free_probability",
    "SpectrumPrediction": "free_probability",
    "replica_moment": "free_probability",
    "noncrossing_moments": "free_probability",
    "plot_spectrum": "plotting",
    "ks_distance": "plotting",
    "InformationSpectrum": "semiclassical",
    "semiclassical_law": "semiclassical",
    "gaussian_limit": "semiclassical",
    "partial_transpose_spectrum": "negativity",
    "partial_transpose_moments": "negativity",
    "log_negativity": "negativity",
}
_MODULES = {"network", "spectra", "cuts", "free_probability", "plotting", "series_parallel",
            "semiclassical", "negativity"}

__all__ = sorted(set(_LAZY) | {"free_probability", "series_parallel", "semiclassical",
                                  "negativity"})


def __getattr__(name: str):
    if name in _MODULES:
        return importlib.import_module(f"qinfo.tensor_networks.{name}")
    if name in _LAZY:
        return getattr(importlib.import_module(f"qinfo.tensor_networks.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'qinfo.tensor_networks' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | _MODULES)
