"""Series-parallel decomposition of a random tensor network seen from a region.

Merge the region ``A``'s boundary vertices into a source ``s`` and the rest of the
boundary into a sink ``t``. Every edge is then an *element*: a linear map between
the legs at its two ends whose squared singular values are the link spectrum. Two
reductions keep the boundary state's spectrum of ``rho_A`` (the nonzero part) intact:

- **parallel**: elements joining the same two vertices form one element, their
  tensor product; its spectrum is the classical product of theirs;
- **series**: a bulk vertex with exactly two elements ``T1, T2`` becomes the element
  ``T1 V T2`` with ``V`` the vertex's Gaussian tensor; its law is the free product
  ``mu_1 [x] pi_1 [x] mu_2`` on the larger of the two spaces (large-``D`` limit);
- a bulk vertex with one element only contracts that leg with a random vector, and a
  vertex with none contributes a random scalar: neither changes the normalised state.

When the reductions end in a single ``s``-``t`` element, the network is
series-parallel and the element's tree gives the spectrum. Otherwise
:class:`NotSeriesParallelError` names the bulk vertices that are left.

This module only reads the graph; :func:`~qinfo.tensor_networks.tree_law`
turns a tree into a law.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

__all__ = ["Link", "Series", "Parallel", "NotSeriesParallelError", "series_parallel_tree"]


@dataclass(frozen=True)
class Link:
    """One link: Schmidt coefficients ``spectrum`` (summing to 1) on ``edge``.

    Parameters
    ----------
    edge : tuple
        The edge ``(u, v)`` (or, in a chain of cuts, the cut's edges).
    spectrum : numpy.ndarray
        The Schmidt coefficients.

    Examples
    --------
    >>> from qinfo.tensor_networks import chain_network
    >>> tree = series_parallel_tree(chain_network([4, [0.5, 0.5, 0.0], 4]), "A")
    >>> link = min(tree.parts, key=lambda part: part.rank)
    >>> link, link.rank
    (Link(('x1', 'x2'), D=3), 2)
    """

    edge: tuple
    spectrum: np.ndarray

    @property
    def rank(self) -> int:
        """Number of nonzero Schmidt coefficients."""
        return int(np.count_nonzero(self.spectrum))

    def __repr__(self) -> str:
        return f"Link({self.edge!r}, D={self.spectrum.size})"


@dataclass(frozen=True)
class Series:
    """Elements joined through the bulk vertices ``vertices`` (one between each pair).

    Parameters
    ----------
    parts : tuple
        The elements (:class:`Link`, :class:`Series` or :class:`Parallel`), in order.
    vertices : tuple
        The bulk vertex between each consecutive pair of parts.

    Examples
    --------
    >>> from qinfo.tensor_networks import two_cut_network
    >>> tree = series_parallel_tree(two_cut_network(4), "A")
    >>> type(tree).__name__, tree.vertices, tree.rank
    ('Series', ('x',), 4)
    """

    parts: tuple
    vertices: tuple

    @property
    def rank(self) -> int:
        """Generic rank of ``T1 V1 T2 V2 ...``: the smallest rank of the parts."""
        return min(p.rank for p in self.parts)


@dataclass(frozen=True)
class Parallel:
    """Elements side by side between the same two vertices (their tensor product).

    Parameters
    ----------
    parts : tuple
        The elements (:class:`Link`, :class:`Series` or :class:`Parallel`).

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> net = RandomTensorNetwork(nx.Graph([("a", "x"), ("x", "b"), ("a", "b")]),
    ...                           {"A": ["a"], "B": ["b"]}, bond_dim=2)
    >>> tree = series_parallel_tree(net, "A")
    >>> type(tree).__name__, len(tree.parts), tree.rank
    ('Parallel', 2, 4)
    """

    parts: tuple

    @property
    def rank(self) -> int:
        """Product of the parts' ranks."""
        return int(np.prod([p.rank for p in self.parts], dtype=np.int64))


class NotSeriesParallelError(ValueError):
    """The network, seen from a region, is not series-parallel; ``vertices`` are left over.

    Parameters
    ----------
    message : str
        The error message.
    vertices : tuple
        The bulk vertices left when the reductions stop.

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> g = nx.Graph([("a", "x"), ("a", "y"), ("x", "y"), ("x", "b"), ("y", "b")])   # a bridge
    >>> net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim=2)
    >>> try:
    ...     series_parallel_tree(net, "A")
    ... except NotSeriesParallelError as exc:
    ...     print(sorted(exc.vertices))
    ['x', 'y']
    """

    def __init__(self, message: str, vertices: tuple = ()):
        super().__init__(message)
        self.vertices = vertices


def _join(cls, a, b, **kw):
    parts = (a.parts if isinstance(a, cls) else (a,)) + (b.parts if isinstance(b, cls) else (b,))
    if cls is Series:
        va = a.vertices if isinstance(a, Series) else ()
        vb = b.vertices if isinstance(b, Series) else ()
        return Series(parts, va + (kw["vertex"],) + vb)
    return Parallel(parts)


def series_parallel_tree(net, region: str | Iterable[str]):
    """The element tree of ``net`` between ``region`` and the rest of the boundary.

    Parameters
    ----------
    net : RandomTensorNetwork
        The network.
    region : str or iterable of str
        Region name(s) forming ``A``.

    Returns
    -------
    Link, Series, Parallel or None
        ``None`` when ``region`` is the whole boundary (``rho_A`` is pure).

    Raises
    ------
    ValueError
        If no edge path joins ``region`` to the rest of the boundary.
    NotSeriesParallelError
        If the reductions stop before a single element is left.

    Examples
    --------
    >>> import networkx as nx
    >>> from qinfo.tensor_networks import RandomTensorNetwork
    >>> g = nx.Graph([("a", "x"), ("x", "b"), ("a", "y"), ("y", "b")])
    >>> net = RandomTensorNetwork(g, {"A": ["a"], "B": ["b"]}, bond_dim=4)
    >>> tree = series_parallel_tree(net, "A")
    >>> type(tree).__name__, [type(p).__name__ for p in tree.parts], tree.rank
    ('Parallel', ['Series', 'Series'], 16)
    """
    a_vertices = net.region_vertices(region)
    if not net.boundary - a_vertices:
        return None
    bulk = set(net.bulk)

    def end(w):
        return w if w in bulk else ("s" if w in a_vertices else "t")

    edges: dict[int, tuple] = {}  # id -> (u, v, element)
    for i, (u, v) in enumerate(net.edges):
        eu, ev = end(u), end(v)
        if eu != ev:  # a link inside A or inside the complement is a pure factor
            edges[i] = (eu, ev, Link((u, v), net.link_spectrum((u, v))))
    next_id = len(net.edges)
    changed = True
    while changed:
        changed = False
        by_pair: dict[frozenset, list[int]] = {}
        for k, (u, v, _) in edges.items():
            by_pair.setdefault(frozenset((u, v)), []).append(k)
        for ids in by_pair.values():
            if len(ids) > 1:
                u, v, elem = edges.pop(ids[0])
                for k in ids[1:]:
                    elem = _join(Parallel, elem, edges.pop(k)[2])
                edges[next_id] = (u, v, elem)
                next_id += 1
                changed = True
        incident: dict = {x: [] for x in bulk}
        for k, (u, v, _) in edges.items():
            for w in (u, v):
                if w in incident:
                    incident[w].append(k)
        for x, ids in incident.items():
            if len(ids) > 2 or any(k not in edges for k in ids):
                continue
            bulk.discard(x)
            changed = True
            if len(ids) == 2:
                (u1, v1, e1), (u2, v2, e2) = edges.pop(ids[0]), edges.pop(ids[1])
                p, q = (v1 if u1 == x else u1), (v2 if u2 == x else u2)
                edges[next_id] = (p, q, _join(Series, e1, e2, vertex=x))
                next_id += 1
            elif len(ids) == 1:
                edges.pop(ids[0])
            break  # incident lists are stale now
    if bulk:
        raise NotSeriesParallelError(
            f"region {region!r}: the network is not series-parallel between the region and "
            f"the rest of the boundary; bulk vertices {sorted(map(repr, bulk))} remain after "
            "all series and parallel reductions (a bridge-like structure, e.g. a Wheatstone "
            "bridge or a grid). No free-product law is derived for it; replica_moment gives "
            "the exact finite-D moments", tuple(bulk))
    if not edges:
        raise ValueError(f"region {region!r} is not connected to the rest of the boundary: "
                         "there is no cut between them, rho_A is pure")
    ((_, _, elem),) = edges.values()
    return elem
