"""Landing-page picture: sampled RTN spectrum against its free-probability prediction."""

from qinfo.tensor_networks import plot_spectrum, predict_spectrum, sample_spectra, two_cut_network

# One bulk vertex between regions A and B: two minimal cuts of equal dimension, with
# two-level link spectra, so the prediction is the free product mu_A [x] pi_1 [x] mu_B.
D = 64
net = two_cut_network(D, links="two-level")
samples = sample_spectra(net, "A", 30, seed=0)
fig = plot_spectrum(samples, predict_spectrum(net, "A"))
fig.set_size_inches(7.2, 2.8)
fig.suptitle(f"random tensor network, D = {D}: sampled spectrum vs. free product", fontsize=9)
fig.tight_layout()
