"""Random tensor networks and free-probability predictions of their spectra.

The public names, by topic (the implementation modules are private):

==========================  ==================================================================
topic                       names
==========================  ==================================================================
the network                 RandomTensorNetwork, two_cut_network, chain_network,
                            star_network, Cut, minimal_cuts
sampling spectra            SpectrumSampler, sample_spectrum, sample_spectra,
                            SpectrumSamples, entropy
free-probability laws       predict_spectrum, predict_entropy, SpectrumPrediction,
                            MarchenkoPastur, AtomicMeasure, GridLaw, free_product,
                            free_multiplicative_convolution, noncrossing_moments,
                            noncrossing_partitions, free_cumulants, replica_moment,
                            min_entropy_estimate, tree_moments, tree_law
series-parallel structure   series_parallel_tree, Link, Series, Parallel,
                            NotSeriesParallelError
semiclassical regime        InformationSpectrum, semiclassical_law, gaussian_limit,
                            tensor_power, information_minimum
negativity                  partial_transpose_spectrum, partial_transpose_moments,
                            partial_transpose_law, PartialTransposeLaw,
                            log_negativity, semicircle_log_negativity
plots                       plot_spectrum, ks_distance
==========================  ==================================================================
"""

from __future__ import annotations

from qinfo.tensor_networks._cuts import Cut, minimal_cuts
from qinfo.tensor_networks._free_probability import (
    AtomicMeasure,
    GridLaw,
    MarchenkoPastur,
    SpectrumPrediction,
    free_cumulants,
    free_multiplicative_convolution,
    free_product,
    min_entropy_estimate,
    noncrossing_moments,
    noncrossing_partitions,
    predict_entropy,
    predict_spectrum,
    replica_moment,
    tree_law,
    tree_moments,
)
from qinfo.tensor_networks._negativity import (
    PartialTransposeLaw,
    log_negativity,
    partial_transpose_law,
    partial_transpose_moments,
    partial_transpose_spectrum,
    semicircle_log_negativity,
)
from qinfo.tensor_networks._network import (
    RandomTensorNetwork,
    chain_network,
    star_network,
    two_cut_network,
)
from qinfo.tensor_networks._plotting import ks_distance, plot_spectrum
from qinfo.tensor_networks._semiclassical import (
    InformationSpectrum,
    gaussian_limit,
    information_minimum,
    semiclassical_law,
    tensor_power,
)
from qinfo.tensor_networks._series_parallel import (
    Link,
    NotSeriesParallelError,
    Parallel,
    Series,
    series_parallel_tree,
)
from qinfo.tensor_networks._spectra import SpectrumSampler, SpectrumSamples, entropy, sample_spectra, sample_spectrum

__all__ = [
    # the network
    "RandomTensorNetwork",
    "two_cut_network",
    "chain_network",
    "star_network",
    "Cut",
    "minimal_cuts",
    # sampling spectra
    "SpectrumSampler",
    "sample_spectrum",
    "sample_spectra",
    "SpectrumSamples",
    "entropy",
    # free-probability laws
    "predict_spectrum",
    "predict_entropy",
    "SpectrumPrediction",
    "MarchenkoPastur",
    "AtomicMeasure",
    "GridLaw",
    "free_product",
    "free_multiplicative_convolution",
    "noncrossing_moments",
    "noncrossing_partitions",
    "free_cumulants",
    "replica_moment",
    "min_entropy_estimate",
    "tree_moments",
    "tree_law",
    # series-parallel structure
    "series_parallel_tree",
    "Link",
    "Series",
    "Parallel",
    "NotSeriesParallelError",
    # semiclassical regime
    "InformationSpectrum",
    "semiclassical_law",
    "gaussian_limit",
    "tensor_power",
    "information_minimum",
    # negativity
    "partial_transpose_spectrum",
    "partial_transpose_moments",
    "partial_transpose_law",
    "PartialTransposeLaw",
    "log_negativity",
    "semicircle_log_negativity",
    # plots
    "plot_spectrum",
    "ks_distance",
]
