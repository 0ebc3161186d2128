"""How Gaussian feature noise reaches the multi-hot angle encoding, from the states themselves."""

import numpy as np
import pytest

from qinfo.vqc import MHEEncoding


def _bloch_angles(states):
    """(polar, azimuth) of one-qubit states Rz(phi) Ry(theta)|0>, read off the amplitudes."""
    a0, a1 = states[:, 0], states[:, 1]
    return 2 * np.arccos(np.clip(np.abs(a0), 0, 1)), np.angle(a1 / a0)


@pytest.mark.parametrize("k", range(8))
def test_angle_noise_std_is_the_spread_of_the_encoded_angles(k):
    enc = MHEEncoding(("object",), n_slots=1)
    sigma = 0.004  # small, so that neither angle wraps
    x = np.eye(8)[[k]]
    rng = np.random.default_rng(k)
    noisy = x + sigma * rng.standard_normal((4000, 8))
    theta, phi = _bloch_angles(enc.states(noisy))
    theta0, phi0 = _bloch_angles(enc.states(x))
    dphi = np.angle(np.exp(1j * (phi - phi0)))
    expected = enc.angle_noise_std(sigma)[0]
    assert np.std(theta - theta0) == pytest.approx(expected[0], rel=0.06)
    assert np.std(dphi) == pytest.approx(expected[1], rel=0.06)


def test_sigma_point_one_moves_most_scenes_nearer_another_scenes_state():
    """The figure in qinfo.vqc._features' docstring: about two thirds at sigma 0.1, none at 0."""
    enc = MHEEncoding(("object",), n_slots=2)
    clean = np.array([np.r_[np.eye(8)[i], np.eye(8)[j]] for i in range(8) for j in range(8)])
    codes = enc.states(clean)
    rng = np.random.default_rng(0)
    for sigma, low, high in [(0.0, 0.0, 0.0), (0.1, 0.55, 0.75)]:
        x = np.repeat(clean, 100, axis=0)
        fid = np.abs(enc.states(x + sigma * rng.standard_normal(x.shape)).conj() @ codes.T) ** 2
        wrong = np.mean(np.argmax(fid, axis=1) != np.repeat(np.arange(64), 100))
        assert low <= wrong <= high


def test_basis_variant_and_bad_sigma():
    assert np.allclose(MHEEncoding(("shape",), n_slots=1, variant="basis").angle_noise_std(0.1), np.pi * 0.1)
    with pytest.raises(ValueError, match="noise_std"):
        MHEEncoding().angle_noise_std(-1.0)
