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
# The network: ``a - x - b`` with link spectra of dimension 512: Schmidt coefficients
# 1:3 on the two halves of A's link, 1:0.2 on the first quarter and the rest of B's
# (``links="two-level"``, the network of ``qinfo reproduce rtn``).
import matplotlib.pyplot as plt

from qinfo.tensor_networks import (ks_distance, plot_spectrum, predict_entropy, predict_spectrum,
                                   two_cut_network)

D = 512
net = two_cut_network(D, links="two-level")
print([cut.edges for cut in net.minimal_cuts("A")])

# %%
# Sample four spectra (the same seed gives the same tensors) and build the prediction.
samples = net.sample_spectra("A", 4, seed=0)
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
