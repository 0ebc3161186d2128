"""
Two minimal cuts with non-trivial links
=======================================

One bulk tensor between regions ``A`` and ``B``: both legs are minimal cuts of the
same dimension ``D``, and the links carry two-level Schmidt spectra. Cheng et al.
(arXiv:2206.10482) predict that the rescaled spectrum ``D * lambda`` of ``rho_A``
follows the free multiplicative convolution ``mu_A [x] pi_1 [x] mu_B`` of the two
link spectra with a Marchenko-Pastur law. We sample the network and lay the
spectrum next to the prediction.
"""

# %%
# The network: ``a - x - b`` with link spectra of dimension 512.
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np

from qinfo.tensor_networks import (RandomTensorNetwork, ks_distance, plot_spectrum,
                                   predict_entropy, predict_spectrum)

D = 512
lam_a = np.repeat([1.0, 3.0], D // 2)
lam_b = np.repeat([1.0, 0.2], [D // 4, 3 * D // 4])
net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), regions={"A": ["a"], "B": ["b"]},
                          link_spectra={("a", "x"): lam_a / lam_a.sum(),
                                        ("x", "b"): lam_b / lam_b.sum()})
print([cut.edges for cut in net.minimal_cuts("A")])

# %%
# Sample four spectra (the same seed gives the same tensors) and build the prediction.
samples = net.sample_spectra("A", 4, seed=0, progress=False)
pred = predict_spectrum(net, "A")
print(pred.regime, "| KS distance:", round(ks_distance(samples, pred), 4))
print("entropy (nats): sampled", round(samples.von_neumann.mean(), 4),
      "| log D - int x log x dnu:", round(pred.entropy(), 4),
      "| E min(H_1, H_2):", round(predict_entropy(net, "A", method="minimum"), 4))

# %%
# Histogram on a logarithmic axis and the cumulative distribution, each against the
# prediction.
fig = plot_spectrum(samples, pred)
fig.suptitle(f"rho_A of a two-cut random tensor network, D = {D}", y=1.03)
plt.show()
