"""The random tensor network model: a graph, boundary regions and link states.

A :class:`RandomTensorNetwork` stores its settings and validates them; the
sampling itself lives in :mod:`qinfo.tensor_networks.spectra` and the cuts in
:mod:`qinfo.tensor_networks.cuts`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from qinfo._random import SeedLike, as_generator

__all__ = ["RandomTensorNetwork"]

_SUM_TOL = 1e-8


class RandomTensorNetwork:
    """A random tensor network on a graph, with maximally entangled or general links.

    Bulk vertices carry i.i.d. standard complex Gaussian tensors, entries
    ``(N(0,1) + i N(0,1)) / sqrt(2)`` (so ``E|V><V| = I``); every edge ``e`` carries
    a link state ``|phi_e> = sum_i sqrt(lambda_{e,i}) |ii>``; boundary vertices carry
    no tensor. The boundary state is ``|psi> = (prod_x <V_x|)(prod_e |phi_e>)``, so
    ``E tr rho = 1`` (Hayden et al. 2016; Cheng et al., arXiv:2206.10482).

    Parameters
    ----------
    graph : networkx.Graph
        Undirected simple graph (no self loops, no multi-edges).
    regions : mapping of str to iterable of vertices
        The boundary, grouped into named regions. Every vertex named here is a
        boundary vertex; every other vertex of ``graph`` is a bulk vertex. A vertex
        belongs to at most one region.
    bond_dim : int or mapping of edge to int, optional
        Bond dimension of every edge (an int) or per edge (keys ``(u, v)`` in
        either order). An edge without a link spectrum is maximally entangled.
    link_spectra : mapping of edge to array_like, optional
        Schmidt coefficients ``lambda_e`` (non-negative, summing to 1) of the link
        state on an edge; its length is the edge's bond dimension.
    normalize : bool
        Rescale each link spectrum to sum to 1 instead of rejecting one that does not.

    Raises
    ------
    ValueError
        Naming the argument and the edge or vertex: a negative or non-normalised
        link spectrum, a spectrum whose length disagrees with ``bond_dim``, a bond
        dimension below 1, a region vertex not in the graph or in two regions, an
        edge without a dimension, no bulk vertex, or a disconnected graph with bulk
        vertices that reach no boundary vertex. A bond of dimension 1 is allowed (it
        carries no entanglement; its predictions and spectra are exact).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "x"), ("x", "b")])
    >>> net = RandomTensorNetwork(g, regions={"A": ["a"], "B": ["b"]}, bond_dim=4,
    ...                           link_spectra={("x", "a"): [0.4, 0.3, 0.2, 0.1]})
    >>> net.bulk
    ('x',)
    >>> net.bond_dim(("b", "x")), round(float(net.link_spectrum(("a", "x")).sum()), 12)
    (4, 1.0)
    >>> net.sample_spectrum("A", seed=1).shape
    (4,)
    """

    def __init__(
        self,
        graph: nx.Graph,
        regions: Mapping[str, Iterable[Hashable]],
        bond_dim: int | Mapping[Any, int] | None = None,
        link_spectra: Mapping[Any, Any] | None = None,
        *,
        normalize: bool = False,
    ) -> None:
        if not isinstance(graph, nx.Graph) or graph.is_directed() or graph.is_multigraph():
            raise TypeError(
                f"graph must be an undirected simple networkx.Graph, got {type(graph).__name__}"
            )
        self.graph = graph
        self.regions = _check_regions(graph, regions)
        self.boundary = frozenset(v for vs in self.regions.values() for v in vs)
        self.bulk = tuple(v for v in graph.nodes if v not in self.boundary)
        if not self.bulk:
            raise ValueError("graph has no bulk vertices: every vertex is in a region")
        for u, v in graph.edges:
            if u == v:
                raise ValueError(f"graph has a self loop at vertex {u!r}")
        for component in nx.connected_components(graph):
            if not component & self.boundary:
                closed = sorted(component, key=list(graph.nodes).index)
                raise ValueError(
                    f"graph is disconnected: bulk vertices {closed!r} are connected to no "
                    "boundary vertex (such a closed component only rescales the state); "
                    "remove them"
                )
        self.edges: tuple[tuple[Hashable, Hashable], ...] = tuple(graph.edges)
        self._edge_index = {frozenset(e): i for i, e in enumerate(self.edges)}
        self._dims, self._spectra = self._check_links(bond_dim, link_spectra, normalize)
        self._compiled: dict[Any, Any] = {}

    # -- links ---------------------------------------------------------------------------

    def _check_links(self, bond_dim, link_spectra, normalize):
        n = len(self.edges)
        dims: list[int | None] = [None] * n
        explicit = [False] * n
        if isinstance(bond_dim, Mapping):
            for key, d in bond_dim.items():
                i = self.edge_index(key, argument="bond_dim")
                dims[i] = _check_dim(d, self.edges[i])
                explicit[i] = True
        elif bond_dim is not None:
            d = _check_dim(bond_dim, None)
            dims = [d] * n
            explicit = [True] * n
        spectra: list[np.ndarray | None] = [None] * n
        for key, lam in (link_spectra or {}).items():
            i = self.edge_index(key, argument="link_spectra")
            e = self.edges[i]
            arr = np.asarray(lam, dtype=float)
            if arr.ndim != 1 or arr.size == 0:
                raise ValueError(f"link_spectra: spectrum of edge {e!r} must be a non-empty 1-d array")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"link_spectra: spectrum of edge {e!r} has non-finite entries")
            if np.any(arr < 0):
                raise ValueError(f"link_spectra: spectrum of edge {e!r} has negative entries")
            total = arr.sum()
            if total <= 0:
                raise ValueError(f"link_spectra: spectrum of edge {e!r} sums to zero")
            if abs(total - 1) > _SUM_TOL:
                if not normalize:
                    raise ValueError(
                        f"link_spectra: spectrum of edge {e!r} sums to {total:.12g}, not 1 "
                        "(pass normalize=True to rescale it)"
                    )
                arr = arr / total
            if explicit[i] and dims[i] != arr.size:
                raise ValueError(
                    f"link_spectra: spectrum of edge {e!r} has length {arr.size} but its bond "
                    f"dimension is {dims[i]}"
                )
            dims[i] = arr.size
            spectra[i] = arr
        for i, d in enumerate(dims):
            if d is None:
                raise ValueError(f"edge {self.edges[i]!r} has neither a bond dimension nor a link spectrum")
        return tuple(int(d) for d in dims), tuple(spectra)

    def edge_index(self, edge: Any, *, argument: str = "edge") -> int:
        """Position of ``edge`` (a ``(u, v)`` pair in either order) in :attr:`edges`.

        Examples
        --------
        >>> import networkx as nx
        >>> net = RandomTensorNetwork(nx.path_graph(3), regions={"A": [0], "B": [2]}, bond_dim=2)
        >>> net.edge_index((2, 1))
        1
        """
        try:
            u, v = edge
            return self._edge_index[frozenset((u, v))]
        except (TypeError, ValueError, KeyError):
            raise ValueError(f"{argument}: {edge!r} is not an edge of the graph") from None

    def bond_dim(self, edge: Any) -> int:
        """Bond dimension of ``edge``."""
        return self._dims[self.edge_index(edge)]

    def link_spectrum(self, edge: Any) -> np.ndarray:
        """Schmidt coefficients of the link state on ``edge`` (flat if maximally entangled)."""
        i = self.edge_index(edge)
        lam = self._spectra[i]
        return np.full(self._dims[i], 1.0 / self._dims[i]) if lam is None else lam.copy()

    def is_maximally_entangled(self, edge: Any) -> bool:
        """Whether ``edge`` carries a maximally entangled link (no spectrum given)."""
        return self._spectra[self.edge_index(edge)] is None

    # -- regions -------------------------------------------------------------------------

    def region_vertices(self, region: str | Iterable[str]) -> frozenset:
        """Boundary vertices of a region name or a list of region names.

        Examples
        --------
        >>> import networkx as nx
        >>> net = RandomTensorNetwork(nx.path_graph(4), regions={"A": [0], "B": [3]}, bond_dim=2)
        >>> sorted(net.region_vertices(["A", "B"]))
        [0, 3]
        """
        names = [region] if isinstance(region, str) else list(region)
        if not names:
            raise ValueError("region must name at least one region")
        out: set = set()
        for name in names:
            if name not in self.regions:
                raise ValueError(f"region {name!r} is not one of {list(self.regions)}")
            out.update(self.regions[name])
        return frozenset(out)

    # -- sampling ------------------------------------------------------------------------

    def sample_tensors(self, seed: SeedLike = None) -> dict[Hashable, np.ndarray]:
        """Draw the bulk tensors: one complex Gaussian array per bulk vertex.

        The axes of ``V_x`` follow the edges at ``x`` in the order of :attr:`edges`;
        entries are ``(N(0,1) + i N(0,1)) / sqrt(2)``.

        Examples
        --------
        >>> import networkx as nx
        >>> net = RandomTensorNetwork(nx.path_graph(3), regions={"A": [0], "B": [2]}, bond_dim=3)
        >>> net.sample_tensors(seed=0)[1].shape
        (3, 3)
        """
        from qinfo.tensor_networks.spectra import draw_tensors

        return dict(zip(self.bulk, draw_tensors(self, as_generator(seed))))

    def boundary_state(self, seed: SeedLike = None, *, normalize: bool = False) -> np.ndarray:
        """The boundary state ``|psi>`` as a dense tensor (small networks only).

        Axes follow the boundary legs: for each edge in :attr:`edges` order, one
        axis per boundary endpoint. ``E <psi|psi> = 1`` when ``normalize=False``.

        Examples
        --------
        >>> import networkx as nx
        >>> net = RandomTensorNetwork(nx.path_graph(3), regions={"A": [0], "B": [2]}, bond_dim=2)
        >>> psi = net.boundary_state(seed=0, normalize=True)
        >>> psi.shape, round(float(np.vdot(psi, psi).real), 12)
        ((2, 2), 1.0)
        """
        from qinfo.tensor_networks.spectra import boundary_state

        return boundary_state(self, as_generator(seed), normalize=normalize)

    def sample_spectrum(self, region: str | Iterable[str], seed: SeedLike = None, *,
                        normalize: bool = True, method: str = "auto") -> np.ndarray:
        """Non-zero eigenvalues of ``rho_A`` for one draw of the bulk tensors.

        See :func:`qinfo.tensor_networks.spectra.sample_spectrum`.
        """
        from qinfo.tensor_networks.spectra import sample_spectrum

        return sample_spectrum(self, region, seed=seed, normalize=normalize, method=method)

    def sample_spectra(self, region: str | Iterable[str], n_samples: int, seed: SeedLike = None,
                       *, normalize: bool = True, method: str = "auto", base: float | None = None,
                       executor=None, progress: bool = True):
        """Many independent spectra of ``rho_A``, with their entropies.

        See :func:`qinfo.tensor_networks.spectra.sample_spectra`.
        """
        from qinfo.tensor_networks.spectra import sample_spectra

        return sample_spectra(self, region, n_samples, seed=seed, normalize=normalize,
                              method=method, base=base, executor=executor, progress=progress)

    def minimal_cuts(self, region: str | Iterable[str], *, max_free: int = 20):
        """All minimal cuts separating ``region`` from the rest of the boundary.

        See :func:`qinfo.tensor_networks.cuts.minimal_cuts`.
        """
        from qinfo.tensor_networks.cuts import minimal_cuts

        return minimal_cuts(self, region, max_free=max_free)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_compiled"] = {}
        return state

    def __repr__(self) -> str:
        return (f"RandomTensorNetwork(bulk={len(self.bulk)}, edges={len(self.edges)}, "
                f"regions={ {k: len(v) for k, v in self.regions.items()} })")


def _check_regions(graph: nx.Graph, regions) -> dict[str, tuple]:
    if not isinstance(regions, Mapping) or not regions:
        raise TypeError("regions must be a non-empty mapping {name: [boundary vertices]}")
    seen: dict[Hashable, str] = {}
    out: dict[str, tuple] = {}
    for name, vertices in regions.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"region names must be non-empty strings, got {name!r}")
        if isinstance(vertices, (str, bytes)) or not isinstance(vertices, Iterable):
            raise TypeError(f"region {name!r} must be a list of vertices, got {vertices!r}")
        vs = tuple(vertices)
        if not vs:
            raise ValueError(f"region {name!r} has no vertices")
        for v in vs:
            if v not in graph:
                raise ValueError(f"region {name!r} names vertex {v!r}, which is not a vertex of the graph")
            if v in seen:
                raise ValueError(f"vertex {v!r} is in two regions, {seen[v]!r} and {name!r}")
            seen[v] = name
        out[name] = vs
    return out


def _check_dim(d: Any, edge) -> int:
    where = "bond_dim" if edge is None else f"bond_dim of edge {edge!r}"
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
        raise TypeError(f"{where} must be an int, got {d!r}")
    if d < 1:
        raise ValueError(f"{where} must be >= 1, got {d}")
    return int(d)
