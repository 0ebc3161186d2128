"""Landing-page picture: sampled RTN spectrum against its free-probability prediction."""

import networkx as nx
import numpy as np

from qinfo.tensor_networks import (RandomTensorNetwork, plot_spectrum, predict_spectrum,
                                   sample_spectra)

# One bulk vertex between regions A and B: two minimal cuts of equal dimension, with
# two-level link spectra, so the prediction is the free product mu_A [x] pi_1 [x] mu_B.
D = 64
lam = np.where(np.arange(D) < D // 2, 3.0, 1.0)
lam /= lam.sum()
net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), regions={"A": ["a"], "B": ["b"]},
                          bond_dim=D, link_spectra={("a", "x"): lam, ("x", "b"): lam})
samples = sample_spectra(net, "A", 30, seed=0, progress=False)
fig = plot_spectrum(samples, predict_spectrum(net, "A"))
fig.set_size_inches(7.2, 2.8)
fig.suptitle(f"random tensor network, D = {D}: sampled spectrum vs. free product", fontsize=9)
fig.tight_layout()
