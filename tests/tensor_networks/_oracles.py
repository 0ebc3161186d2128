"""Shared test networks and an independent dense oracle for the RTN tests."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import strategies as st

from qinfo.tensor_networks import RandomTensorNetwork


@st.composite
def random_networks(draw, max_bulk: int = 4, max_dim: int = 3, max_extra: int = 2,
                    boundary_links: bool = False) -> RandomTensorNetwork:
    """Connected random networks: a spanning tree on 1..max_bulk bulk vertices, 2-4 boundary
    vertices each on a bulk vertex, up to ``max_extra`` extra edges (boundary-boundary ones
    too when ``boundary_links``), bond dimensions 1..max_dim, some links non-flat; regions
    "A" and "B" split the boundary."""
    n_bulk = draw(st.integers(1, max_bulk))
    n_bdy = draw(st.integers(2, 4))
    bulk = [f"x{i}" for i in range(n_bulk)]
    bdy = [f"b{i}" for i in range(n_bdy)]
    g = nx.Graph()
    g.add_nodes_from(bulk + bdy)
    for i in range(1, n_bulk):
        g.add_edge(bulk[i], bulk[draw(st.integers(0, i - 1))])
    for b in bdy:
        g.add_edge(b, bulk[draw(st.integers(0, n_bulk - 1))])
    ends = bulk + bdy if boundary_links else bulk
    for u, v in draw(st.lists(st.tuples(st.sampled_from(bulk + bdy), st.sampled_from(ends)),
                              max_size=max_extra)):
        if u != v:
            g.add_edge(u, v)
    dims = {e: draw(st.integers(1, max_dim)) for e in g.edges}
    spectra = {}
    for e, d in dims.items():
        if draw(st.booleans()):
            w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=d, max_size=d)))
            spectra[e] = w / w.sum()
    split = draw(st.integers(1, n_bdy - 1))
    return RandomTensorNetwork(g, {"A": bdy[:split], "B": bdy[split:]}, bond_dim=dims, link_spectra=spectra)


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
