"""Shared test networks and an independent dense oracle for the RTN tests."""

from __future__ import annotations

import numpy as np

from qinfo.tensor_networks import RandomTensorNetwork
from tests.strategies import random_networks  # noqa: F401  (the RTN tests import it from here too)


def dense_spectrum(net: RandomTensorNetwork, region, seed) -> np.ndarray:
    """Spectrum of rho_A from plain numpy: build |psi> with np.einsum, form rho_A, eigvalsh.

    Uses only the documented tensor layout (axes of V_x follow the edges at x in
    ``net.edges`` order), not the compiled sampler.
    """
    tensors = net.sample_tensors(seed=seed)
    letters = iter("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    operands, subs, out_a, out_b = [], [], "", ""
    a_vertices = net.region_vertices(region)
    edge_letter = {}
    for u, v in net.edges:
        lam = np.sqrt(net.link_spectrum((u, v)))
        if u in net.boundary and v in net.boundary:
            s, t = next(letters), next(letters)
            operands.append(np.diag(lam))
            subs.append(s + t)
            for w, c in ((u, s), (v, t)):
                if w in a_vertices:
                    out_a += c
                else:
                    out_b += c
            continue
        s = next(letters)
        edge_letter[frozenset((u, v))] = s
        operands.append(lam)
        subs.append(s)
        for w in (u, v):
            if w in net.boundary:
                if w in a_vertices:
                    out_a += s
                else:
                    out_b += s
    for x in net.bulk:
        operands.append(tensors[x].conj())
        subs.append("".join(edge_letter[frozenset(e)] for e in net.edges if x in e))
    psi = np.einsum(",".join(subs) + "->" + out_a + out_b, *operands)
    da = int(np.prod(psi.shape[: len(out_a)]))
    m = psi.reshape(da, -1)
    rho = m @ m.conj().T
    lam = np.sort(np.linalg.eigvalsh(rho))[::-1]
    return lam
