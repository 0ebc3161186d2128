"""Minimal cuts of a random tensor network, with weights ``log D_e``.

The min cut itself comes from the project's core,
:class:`qinfo.entropy_cones.Hypergraph`; this module enumerates every minimal cut
when they are degenerate (all closed sets between the smallest and the largest
optimal region side), which decides the regime of the spectrum prediction.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import reduce

import numpy as np

__all__ = ["Cut", "minimal_cuts"]

_REL_TOL = 1e-9


@dataclass(frozen=True)
class Cut:
    """One minimal cut ``gamma`` separating a region ``A`` from the rest of the boundary.

    Attributes
    ----------
    side : frozenset
        Vertices on ``A``'s side (``A``'s boundary vertices and bulk vertices).
    edges : tuple of (u, v)
        The cut edges, ``u`` on ``A``'s side.
    dimension : int
        ``D_gamma``, the product of the cut edges' bond dimensions.
    spectrum : numpy.ndarray
        The cut's link spectrum: the tensor product of its edges' link spectra,
        in decreasing order (sums to 1).
    """

    side: frozenset
    edges: tuple
    dimension: int
    spectrum: np.ndarray

    @property
    def log_dim(self) -> float:
        """``log D_gamma`` in nats (the cut's weight)."""
        return float(np.log(self.dimension))

    def __repr__(self) -> str:
        return f"Cut(edges={list(self.edges)!r}, dimension={self.dimension})"


def _hypergraph(net, a_vertices: frozenset):
    from qinfo.entropy_cones import Hypergraph

    edges = [((u, v), float(np.log(net._dims[i]))) for i, (u, v) in enumerate(net.edges)]
    boundary = {v: ("A" if v in a_vertices else "O") for v in net.boundary}
    return Hypergraph(edges=edges, boundary=boundary)


def _min_cut_side(net, a_vertices: frozenset) -> frozenset:
    """The smallest optimal side ``W`` of the region (cached on the network)."""
    key = ("min_cut", a_vertices)
    if key not in net._compiled:
        net._compiled[key] = _hypergraph(net, a_vertices).min_cut("A")
    return frozenset(net._compiled[key].minimal)


def minimal_cuts(net, region: str | Iterable[str], *, max_free: int = 20) -> list[Cut]:
    """All minimal cuts between ``region`` and the rest of the boundary (weights ``log D_e``).

    One cut means a unique minimal cut; several mean degenerate minimal cuts, listed
    from ``region``'s side outwards (by the size of their side).

    Parameters
    ----------
    net : RandomTensorNetwork
    region : str or list of str
    max_free : int
        Most bulk vertices allowed between the smallest and the largest optimal side;
        the closed sets between them are enumerated by brute force over these.

    Returns
    -------
    list of Cut

    Raises
    ------
    ValueError
        If ``region`` has no minimal cut: it is the whole boundary, or no path joins it
        to the rest of the boundary (``rho_A`` is then pure). Also if more than
        ``max_free`` vertices lie between the smallest and largest side.

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), {"A": ["a"], "B": ["b"]}, bond_dim=4)
    >>> [c.edges for c in net.minimal_cuts("A")]
    [(('a', 'x'),), (('x', 'b'),)]
    """
    a_vertices = net.region_vertices(region)
    _check_has_cut(net, a_vertices, region)
    h = _hypergraph(net, a_vertices)
    mc = h.min_cut("A")
    lo, hi = frozenset(mc.minimal), frozenset(mc.maximal)
    isolated = set(net.bulk) - set(h.vertices)  # no edges: either side is optimal
    free = sorted(hi - lo | isolated, key=list(net.graph.nodes).index)
    if len(free) > max_free:
        raise ValueError(
            f"{len(free)} bulk vertices lie between the smallest and largest minimal cut of "
            f"region {region!r}; enumerating their closed sets needs max_free >= {len(free)}"
        )
    sides = _optimal_sides(net, lo, free)
    cuts = [_make_cut(net, w) for w in sides]
    return sorted(cuts, key=lambda c: (len(c.side), sorted(map(repr, c.side))))


def _check_has_cut(net, a_vertices: frozenset, region) -> None:
    """Raise unless some path joins the region to the rest of the boundary."""
    import networkx as nx

    rest = net.boundary - a_vertices
    if not rest:
        raise ValueError(f"region {region!r} is the whole boundary: it has no minimal cut "
                         "(rho_A is pure)")
    reach = set().union(*(nx.node_connected_component(net.graph, v) for v in a_vertices))
    if not reach & rest:
        raise ValueError(f"region {region!r} is not connected to the rest of the boundary: "
                         "it has no minimal cut (rho_A is pure)")


def _optimal_sides(net, lo: frozenset, free: list[Hashable]) -> list[frozenset]:
    """Every ``lo | S`` with ``S`` a subset of ``free`` whose cut weight is minimal."""
    k = len(free)
    masks = np.arange(2**k, dtype=np.int64)
    bit = {v: j for j, v in enumerate(free)}
    weight = np.zeros(masks.size)
    for i, (u, v) in enumerate(net.edges):
        w = np.log(net._dims[i])
        if w == 0:
            continue
        side_u = (masks >> bit[u]) & 1 if u in bit else int(u in lo)
        side_v = (masks >> bit[v]) & 1 if v in bit else int(v in lo)
        weight = weight + w * (np.asarray(side_u) ^ np.asarray(side_v))
    best = weight.min()
    keep = masks[weight <= best + _REL_TOL * max(1.0, abs(best))]
    return [lo | {v for j, v in enumerate(free) if (m >> j) & 1} for m in keep.tolist()]


def _make_cut(net, side: frozenset) -> Cut:
    edges, dims, spectra = [], [], []
    for i, (u, v) in enumerate(net.edges):
        if (u in side) != (v in side):
            edges.append((u, v) if u in side else (v, u))
            dims.append(net._dims[i])
            spectra.append(net.link_spectrum((u, v)))
    spectrum = reduce(lambda a, b: np.multiply.outer(a, b).ravel(), spectra, np.ones(1))
    return Cut(side=side, edges=tuple(edges), dimension=int(np.prod(dims, dtype=np.int64)),
               spectrum=np.sort(spectrum)[::-1])
