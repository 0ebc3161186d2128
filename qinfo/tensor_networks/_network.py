"""The random tensor network model: a graph, boundary regions and link states.

A :class:`RandomTensorNetwork` stores its settings, validates them and keeps them
read-only; :meth:`RandomTensorNetwork.compile_sampler` turns it into a
:class:`~qinfo.tensor_networks.SpectrumSampler` (compile once, sample many), and
:meth:`RandomTensorNetwork.to_dict` / :meth:`RandomTensorNetwork.save` write it as
JSON.
"""

from __future__ import annotations

import json
import os
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import networkx as nx
import numpy as np

from qinfo._io import atomic_write
from qinfo._random import SeedLike, as_generator
from qinfo._validate import check_int
from qinfo.tensor_networks._cuts import Cut, minimal_cuts
from qinfo.tensor_networks._spectra import (
    SpectrumSampler,
    SpectrumSamples,
    boundary_state,
    draw_tensors,
    sample_spectra,
    sample_spectrum,
)

__all__ = ["RandomTensorNetwork", "two_cut_network", "chain_network", "star_network"]

_SUM_TOL = 1e-8
_DICT_KEYS = {"edges", "regions", "vertices"}


class RandomTensorNetwork:
    """A random tensor network on a graph, with maximally entangled or general links.

    Bulk vertices carry i.i.d. standard complex Gaussian tensors, entries
    ``(N(0,1) + i N(0,1)) / sqrt(2)`` (so ``E|V><V| = I``); every edge ``e`` carries
    a link state ``|phi_e> = sum_i sqrt(lambda_{e,i}) |ii>``; boundary vertices carry
    no tensor. The boundary state is ``|psi> = (prod_x <V_x|)(prod_e |phi_e>)``, so
    ``E tr rho = 1`` (Hayden et al. 2016; Cheng et al., arXiv:2206.10482).

    A network is read-only once built: its graph is a frozen copy of ``graph``, and
    :attr:`regions`, :attr:`bond_dims` and :attr:`link_spectra` cannot be changed.
    The standard networks have builders (:func:`two_cut_network`,
    :func:`chain_network`, :func:`star_network`).

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
        self._graph = nx.freeze(graph.copy())  # same node and edge order as ``graph``
        self._regions = _check_regions(graph, regions)
        self._boundary = frozenset(v for vs in self._regions.values() for v in vs)
        self._bulk = tuple(v for v in graph.nodes if v not in self._boundary)
        if not self._bulk:
            raise ValueError("graph has no bulk vertices: every vertex is in a region")
        for u, v in graph.edges:
            if u == v:
                raise ValueError(f"graph has a self loop at vertex {u!r}")
        for component in nx.connected_components(graph):
            if not component & self._boundary:
                closed = sorted(component, key=list(graph.nodes).index)
                raise ValueError(
                    f"graph is disconnected: bulk vertices {closed!r} are connected to no "
                    "boundary vertex (such a closed component only rescales the state); "
                    "remove them"
                )
        self._edges: tuple[tuple[Hashable, Hashable], ...] = tuple(self._graph.edges)
        self._edge_index = {frozenset(e): i for i, e in enumerate(self._edges)}
        self._dims, self._spectra = self._check_links(bond_dim, link_spectra, normalize)
        self._samplers: dict[tuple, SpectrumSampler] = {}

    # -- the read-only state ---------------------------------------------------------------

    @property
    def graph(self) -> nx.Graph:
        """The network's graph (a frozen copy of the one given)."""
        return self._graph

    @property
    def regions(self) -> Mapping[str, tuple]:
        """The boundary regions, ``{name: (vertex, ...)}`` (a read-only mapping)."""
        return MappingProxyType(self._regions)

    @property
    def boundary(self) -> frozenset:
        """All boundary vertices (the vertices of every region)."""
        return self._boundary

    @property
    def bulk(self) -> tuple:
        """The bulk vertices, in the order of the graph's nodes."""
        return self._bulk

    @property
    def edges(self) -> tuple[tuple[Hashable, Hashable], ...]:
        """The edges ``(u, v)`` in the order of the graph's edges (the tensors' axis order)."""
        return self._edges

    @property
    def bond_dims(self) -> tuple[int, ...]:
        """The bond dimension of every edge, in :attr:`edges` order."""
        return self._dims

    @property
    def link_spectra(self) -> tuple[np.ndarray | None, ...]:
        """The link spectrum of every edge in :attr:`edges` order; ``None`` where maximally entangled.

        The arrays are read-only.
        """
        return self._spectra

    # -- links ---------------------------------------------------------------------------

    def _check_links(self, bond_dim, link_spectra, normalize):
        n = len(self._edges)
        dims: list[int | None] = [None] * n
        explicit = [False] * n
        if isinstance(bond_dim, Mapping):
            for key, d in bond_dim.items():
                i = self.edge_index(key, argument="bond_dim")
                dims[i] = _check_dim(d, self._edges[i])
                explicit[i] = True
        elif bond_dim is not None:
            d = _check_dim(bond_dim, None)
            dims = [d] * n
            explicit = [True] * n
        spectra: list[np.ndarray | None] = [None] * n
        for key, lam in (link_spectra or {}).items():
            i = self.edge_index(key, argument="link_spectra")
            e = self._edges[i]
            arr = np.array(lam, dtype=float)
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
            arr.flags.writeable = False
            dims[i] = arr.size
            spectra[i] = arr
        for i, d in enumerate(dims):
            if d is None:
                raise ValueError(f"edge {self._edges[i]!r} has neither a bond dimension nor a link spectrum")
        return tuple(int(d) for d in dims), tuple(spectra)

    def edge_index(self, edge: Any, *, argument: str = "edge") -> int:
        """Position of ``edge`` (a ``(u, v)`` pair in either order) in :attr:`edges`.

        Parameters
        ----------
        edge : tuple of two vertices
            The edge, its ends in either order.
        argument : str
            The argument name the error message gives when ``edge`` is not an edge.

        Returns
        -------
        int

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
        """Bond dimension of ``edge``.

        Parameters
        ----------
        edge : tuple of two vertices
            The edge, its ends in either order.

        Returns
        -------
        int

        Examples
        --------
        >>> net = chain_network([2, 5])
        >>> net.bond_dim(("x1", "b"))
        5
        """
        return self._dims[self.edge_index(edge)]

    def link_spectrum(self, edge: Any) -> np.ndarray:
        """Schmidt coefficients of the link state on ``edge`` (flat if maximally entangled).

        Parameters
        ----------
        edge : tuple of two vertices
            The edge, its ends in either order.

        Returns
        -------
        numpy.ndarray
            A copy, of length :meth:`bond_dim`, summing to 1.

        Examples
        --------
        >>> net = chain_network([[0.75, 0.25], 2])
        >>> net.link_spectrum(("a", "x1")), net.link_spectrum(("x1", "b"))
        (array([0.75, 0.25]), array([0.5, 0.5]))
        """
        i = self.edge_index(edge)
        lam = self._spectra[i]
        return np.full(self._dims[i], 1.0 / self._dims[i]) if lam is None else lam.copy()

    def is_maximally_entangled(self, edge: Any) -> bool:
        """Whether ``edge`` carries a maximally entangled link (no spectrum given).

        Parameters
        ----------
        edge : tuple of two vertices
            The edge, its ends in either order.

        Returns
        -------
        bool

        Examples
        --------
        >>> net = chain_network([[0.75, 0.25], 2])
        >>> net.is_maximally_entangled(("a", "x1")), net.is_maximally_entangled(("x1", "b"))
        (False, True)
        """
        return self._spectra[self.edge_index(edge)] is None

    # -- regions -------------------------------------------------------------------------

    def region_vertices(self, region: str | Iterable[str]) -> frozenset:
        """Boundary vertices of a region name or a list of region names.

        Parameters
        ----------
        region : str or iterable of str
            One region name or several.

        Returns
        -------
        frozenset

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
            if name not in self._regions:
                raise ValueError(f"region {name!r} is not one of {list(self._regions)}")
            out.update(self._regions[name])
        return frozenset(out)

    # -- sampling ------------------------------------------------------------------------

    def compile_sampler(self, region: str | Iterable[str], *, method: str = "auto") -> SpectrumSampler:
        """Compile a sampler of ``rho_region``'s spectrum: shapes, weights, contraction order.

        Compile once, sample many (Stim's ``compile_sampler``): the sampler holds flat
        arrays and an opt_einsum contraction order, and each of its samples draws the
        Gaussian tensors and runs that contraction. It is kept on the network, so
        compiling twice is free.

        Parameters
        ----------
        region : str or iterable of str
            Region name(s) forming ``A``; the rest of the boundary is the complement.
        method : {"auto", "direct", "split"}
            Contraction strategy: ``"direct"`` contracts the whole network into one
            matrix; ``"split"`` cuts it at a minimal cut and joins the two halves;
            ``"auto"`` splits when the minimal cut is smaller than both sides. A bulk
            that falls into pieces joined only by boundary vertices is sampled piece by
            piece (the boundary state is their tensor product), each with this strategy.

        Returns
        -------
        SpectrumSampler

        Raises
        ------
        ValueError
            For an unknown region or ``method``, or ``method="split"`` where no
            minimal cut lies strictly inside the bulk.

        Examples
        --------
        >>> net = chain_network([64, 4, 64])
        >>> s = net.compile_sampler("A")
        >>> s.method, s.rank
        ('split', 4)
        >>> s.sample(3, seed=0).spectra[0].shape
        (4,)
        >>> net.compile_sampler("A") is s
        True
        """
        names = (region,) if isinstance(region, str) else tuple(region)
        key = (names, method)
        if key not in self._samplers:
            self._samplers[key] = SpectrumSampler(self, region, method=method)
        return self._samplers[key]

    def sample_tensors(self, *, seed: SeedLike = None) -> dict[Hashable, np.ndarray]:
        """Draw the bulk tensors: one complex Gaussian array per bulk vertex.

        The axes of ``V_x`` follow the edges at ``x`` in the order of :attr:`edges`;
        entries are ``(N(0,1) + i N(0,1)) / sqrt(2)``.

        Parameters
        ----------
        seed : None, int, SeedSequence or Generator
            Same seed, same tensors.

        Returns
        -------
        dict
            ``{bulk vertex: tensor}``.

        Examples
        --------
        >>> import networkx as nx
        >>> net = RandomTensorNetwork(nx.path_graph(3), regions={"A": [0], "B": [2]}, bond_dim=3)
        >>> net.sample_tensors(seed=0)[1].shape
        (3, 3)
        """
        return dict(zip(self._bulk, draw_tensors(self, as_generator(seed))))

    def boundary_state(self, *, seed: SeedLike = None, normalize: bool = False) -> np.ndarray:
        """The boundary state ``|psi>`` as a dense tensor (small networks only).

        Axes follow the boundary legs: for each edge in :attr:`edges` order, one
        axis per boundary endpoint. ``E <psi|psi> = 1`` when ``normalize=False``.

        Parameters
        ----------
        seed : None, int, SeedSequence or Generator
            Same seed, same tensors (as :meth:`sample_tensors`).
        normalize : bool
            Divide by the norm of the state.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import networkx as nx
        >>> net = RandomTensorNetwork(nx.path_graph(3), regions={"A": [0], "B": [2]}, bond_dim=2)
        >>> psi = net.boundary_state(seed=0, normalize=True)
        >>> psi.shape, round(float(np.vdot(psi, psi).real), 12)
        ((2, 2), 1.0)
        """
        return boundary_state(self, as_generator(seed), normalize=normalize)

    def sample_spectrum(self, region: str | Iterable[str], *, seed: SeedLike = None,
                        normalize: bool = True, method: str = "auto") -> np.ndarray:
        """Non-zero eigenvalues of ``rho_A`` for one draw of the bulk tensors.

        The same as :func:`~qinfo.tensor_networks.sample_spectrum` on this network.

        Parameters
        ----------
        region : str or iterable of str
            Region name(s) forming ``A``.
        seed : None, int, SeedSequence or Generator
            Same seed, same tensors (as :meth:`sample_tensors`).
        normalize : bool
            Divide by ``tr rho`` (the normalised boundary state).
        method : {"auto", "direct", "split"}
            Contraction strategy (see :meth:`compile_sampler`).

        Returns
        -------
        numpy.ndarray
            Eigenvalues in decreasing order.

        Examples
        --------
        >>> lam = two_cut_network(8).sample_spectrum("A", seed=0)
        >>> lam.shape, round(float(lam.sum()), 12)
        ((8,), 1.0)
        """
        return sample_spectrum(self, region, seed=seed, normalize=normalize, method=method)

    def sample_spectra(self, region: str | Iterable[str], n_samples: int, *, seed: SeedLike = None,
                       normalize: bool = True, method: str = "auto", base: float | None = None,
                       executor=None, progress: bool | None = None) -> SpectrumSamples:
        """Many independent spectra of ``rho_A``, with their entropies.

        The same as :func:`~qinfo.tensor_networks.sample_spectra` on this network.

        Parameters
        ----------
        region : str or iterable of str
            Region name(s) forming ``A``.
        n_samples : int
            Number of independent samples.
        seed : None, int, SeedSequence or Generator
            Sample ``i`` uses the ``i``-th child of ``seed``.
        normalize : bool
            Divide each spectrum by its trace.
        method : {"auto", "direct", "split"}
            Contraction strategy (see :meth:`compile_sampler`).
        base : float, optional
            Logarithm base of the entropies (``None``: nats; ``2``: bits).
        executor : concurrent.futures.Executor, optional
            Where to run the samples; the result does not depend on it.
        progress : bool, optional
            Show a progress bar (``None``: when stderr is a terminal).

        Returns
        -------
        SpectrumSamples

        Examples
        --------
        >>> s = two_cut_network(4).sample_spectra("A", 3, seed=0, base=2)
        >>> len(s), bool(all(s.von_neumann <= 2))
        (3, True)
        """
        return sample_spectra(self, region, n_samples, seed=seed, normalize=normalize,
                              method=method, base=base, executor=executor, progress=progress)

    def minimal_cuts(self, region: str | Iterable[str], *, max_free: int = 20) -> list[Cut]:
        """All minimal cuts separating ``region`` from the rest of the boundary.

        The same as :func:`~qinfo.tensor_networks.minimal_cuts` on this network.

        Parameters
        ----------
        region : str or iterable of str
            Region name(s) forming ``A``.
        max_free : int
            Most bulk vertices allowed between the smallest and the largest optimal side.

        Returns
        -------
        list of Cut

        Examples
        --------
        >>> [c.dimension for c in chain_network([3, 2, 3]).minimal_cuts("A")]
        [2]
        """
        return minimal_cuts(self, region, max_free=max_free)

    # -- JSON ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The network as a JSON-ready dict: ``{"vertices", "edges", "regions"}``.

        ``edges`` lists ``[u, v, bond dimension]`` for a maximally entangled link and
        ``[u, v, [Schmidt coefficients]]`` otherwise, in :attr:`edges` order;
        ``vertices`` keeps the node order (and so the order of the tensors and of the
        samples: :meth:`from_dict` of the result samples the same spectra from the
        same seeds). This is the format of ``qinfo rtn sample FILE.json``, where
        ``vertices`` may be left out.

        Returns
        -------
        dict

        Raises
        ------
        ValueError
            If a vertex is not a string or an integer (JSON cannot name it).

        Examples
        --------
        >>> chain_network([2, [0.75, 0.25]]).to_dict()
        {'vertices': ['a', 'x1', 'b'], 'edges': [['a', 'x1', 2], ['x1', 'b', [0.75, 0.25]]], 'regions': {'A': ['a'], 'B': ['b']}}
        """
        for v in self._graph.nodes:
            if isinstance(v, bool) or not isinstance(v, (str, int, np.integer)):
                raise ValueError(
                    f"to_dict: vertex {v!r} is not a string or an integer, so JSON cannot name it "
                    "(relabel the graph, e.g. with networkx.convert_node_labels_to_integers)"
                )
        name = lambda v: v if isinstance(v, str) else int(v)  # noqa: E731
        edges = [[name(u), name(v), d if lam is None else [float(x) for x in lam]]
                 for (u, v), d, lam in zip(self._edges, self._dims, self._spectra)]
        return {"vertices": [name(v) for v in self._graph.nodes], "edges": edges,
                "regions": {r: [name(v) for v in vs] for r, vs in self._regions.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RandomTensorNetwork:
        """The network that :meth:`to_dict` wrote (or a hand-written one in that format).

        Parameters
        ----------
        data : mapping
            ``{"edges": [[u, v, dimension or spectrum], ...], "regions": {name:
            [vertices]}}`` and optionally ``"vertices"`` (the node order; vertices
            with no edge must be listed there). Vertices are strings or integers.

        Returns
        -------
        RandomTensorNetwork

        Raises
        ------
        TypeError, ValueError
            With a message naming the entry (``edge 1: ...``) that is wrong.

        Examples
        --------
        >>> net = RandomTensorNetwork.from_dict(
        ...     {"edges": [["a", "x", 4], ["x", "b", [0.5, 0.5]]], "regions": {"A": ["a"], "B": ["b"]}})
        >>> net.bond_dims, net.is_maximally_entangled(("x", "b"))
        ((4, 2), False)
        >>> RandomTensorNetwork.from_dict(net.to_dict()).to_dict() == net.to_dict()
        True
        """
        if not isinstance(data, Mapping):
            raise TypeError(f'a network must be a JSON object with "edges" and "regions", '
                            f"got {type(data).__name__}")
        extra = sorted(set(data) - _DICT_KEYS)
        if extra:
            raise ValueError(f"unknown key(s) {', '.join(map(repr, extra))} for a network "
                             f"(allowed: {', '.join(sorted(_DICT_KEYS))})")
        for key in ("edges", "regions"):
            if key not in data:
                raise ValueError(f'a network needs a "{key}" entry')
        edges, regions = data["edges"], data["regions"]
        if not isinstance(edges, list) or not edges:
            raise ValueError('"edges" must be a non-empty list of [u, v, dimension or spectrum]')
        if not (isinstance(regions, Mapping)
                and all(isinstance(v, list) for v in regions.values())):
            raise ValueError('"regions" must be an object {region name: [vertices]}')
        graph, dims, spectra = nx.Graph(), {}, {}
        vertices = data.get("vertices", [])
        if not isinstance(vertices, list):
            raise ValueError('"vertices" must be a list of vertex names')
        graph.add_nodes_from(_json_vertex(v, '"vertices"') for v in vertices)
        for i, e in enumerate(edges):
            where = f"edge {i}"
            if not (isinstance(e, list) and len(e) == 3):
                raise ValueError(f"{where}: expected [u, v, dimension or spectrum], got {_dumps(e)}")
            u, v = _json_vertex(e[0], where), _json_vertex(e[1], where)
            if graph.has_edge(u, v):
                raise ValueError(f"{where}: edge ({u!r}, {v!r}) appears twice")
            graph.add_edge(u, v)
            link = e[2]
            if isinstance(link, list):
                for x in link:
                    if isinstance(x, bool) or not isinstance(x, (int, float)):
                        raise TypeError(f"{where}: link spectrum entries must be numbers, "
                                        f"got {_dumps(x)}")
                spectra[(u, v)] = [float(x) for x in link]
                dims[(u, v)] = len(link)
            elif isinstance(link, int) and not isinstance(link, bool):
                dims[(u, v)] = link
            else:
                raise TypeError(f"{where}: the third entry must be a bond dimension (integer) or "
                                f"a link spectrum (list of numbers), got {_dumps(link)}")
        regions = {name: [_json_vertex(v, f"region {name!r}") for v in vs]
                   for name, vs in regions.items()}
        return cls(graph, regions=regions, bond_dim=dims, link_spectra=spectra)

    def save(self, path: str | os.PathLike) -> Path:
        """Write :meth:`to_dict` to ``path`` as JSON (atomically: a whole file or none).

        Parameters
        ----------
        path : str or path-like
            The file to write (replaced if it exists).

        Returns
        -------
        pathlib.Path
            The file written.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> path = two_cut_network(4).save(pathlib.Path(tempfile.mkdtemp()) / "net.json")
        >>> RandomTensorNetwork.load(path).bond_dims
        (4, 4)
        """
        return atomic_write(path, json.dumps(self.to_dict(), indent=1) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike) -> RandomTensorNetwork:
        """Read a network from a JSON file written by :meth:`save` (or by hand).

        Parameters
        ----------
        path : str or path-like
            A JSON file in the format of :meth:`to_dict`.

        Returns
        -------
        RandomTensorNetwork

        Raises
        ------
        ValueError, TypeError
            Naming the file: not UTF-8 text, not valid JSON, or not a network
            (the message of :meth:`from_dict`).
        OSError
            If the file cannot be read (``FileNotFoundError`` when it is missing).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "net.json"
        >>> _ = path.write_text('{"edges": [["a", "x", 2], ["x", "b", 3]], "regions": {"A": ["a"], "B": ["b"]}}')
        >>> RandomTensorNetwork.load(path).bulk
        ('x',)
        """
        path = Path(path)
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            raise ValueError(f"{path}: not UTF-8 text (expected a JSON network)") from None
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, "
                             f"column {exc.colno})") from None
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{path}: {exc}") from None

    # -- pickling and printing -----------------------------------------------------------

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_samplers"] = {}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._graph = nx.freeze(self._graph)

    def __repr__(self) -> str:
        return (f"RandomTensorNetwork(bulk={len(self._bulk)}, edges={len(self._edges)}, "
                f"regions={ {k: len(v) for k, v in self._regions.items()} })")


def _dumps(x: Any) -> str:
    try:
        return json.dumps(x)
    except (TypeError, ValueError):
        return repr(x)


def _json_vertex(v: Any, where: str) -> Any:
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        return v
    raise TypeError(f"{where}: vertex names must be strings or integers, got {_dumps(v)}")


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
    return int(check_int(where, d, 1))


# -- the standard networks -------------------------------------------------------------


def _link(value: Any, where: str) -> tuple[int, np.ndarray | None]:
    """A bond dimension (an int: maximally entangled) or a link spectrum (1-d array_like)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(check_int(where, value, 1)), None
    if isinstance(value, (str, bytes, bool)) or value is None:
        raise TypeError(f"{where} must be a bond dimension (int) or a link spectrum (1-d array), "
                        f"got {value!r}")
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{where} must be a bond dimension (int) or a link spectrum (1-d array), "
                         f"got an array of shape {arr.shape}")
    return arr.size, arr


def _two_level(dim: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``links="two-level"`` spectra of :func:`two_cut_network` (A side, B side)."""
    la = np.repeat([1.0, 3.0], [dim // 2, dim - dim // 2])
    lb = np.repeat([1.0, 0.2], [dim // 4, dim - dim // 4])
    return la / la.sum(), lb / lb.sum()


def two_cut_network(dim: int, *, links: Any = "flat") -> RandomTensorNetwork:
    """One bulk vertex between regions A and B: two competing minimal cuts of dimension ``dim``.

    The graph is the path ``a - x - b`` with regions ``A = [a]`` and ``B = [b]``; both
    edges have bond dimension ``dim``. With flat links ``D rho_A`` has the
    Marchenko-Pastur law ``pi_1`` and ``S(A) = log D - 1/2`` (Hayden et al. 2016);
    with link spectra ``mu_A``, ``mu_B`` its law is ``mu_A [x] pi_1 [x] mu_B`` (Cheng et
    al., arXiv:2206.10482). ``qinfo rtn sample two-cut`` and ``qinfo reproduce rtn``
    sample this network.

    Parameters
    ----------
    dim : int
        Bond dimension of both edges (at least 1).
    links : {"flat", "two-level"} or array_like
        ``"flat"``: maximally entangled links. ``"two-level"``: Schmidt coefficients
        in the ratio 1:3 on the two halves of the A-side link and 1:0.2 on the first
        quarter and the rest of the B-side link (the network of ``qinfo reproduce
        rtn``). A 1-d array: the Schmidt coefficients of both links; a ``(2, dim)``
        array: those of the A-side and the B-side link.

    Returns
    -------
    RandomTensorNetwork

    Examples
    --------
    >>> net = two_cut_network(8, links="two-level")
    >>> net.edges, [c.dimension for c in net.minimal_cuts("A")]
    ((('a', 'x'), ('x', 'b')), [8, 8])
    >>> net.link_spectrum(("a", "x"))[[0, -1]] * 16
    array([1., 3.])
    """
    dim = int(check_int("dim", dim, 1))
    if isinstance(links, str):
        if links == "flat":
            spectra = None
        elif links == "two-level":
            spectra = _two_level(dim)
        else:
            raise ValueError(f'links must be "flat", "two-level" or an array of Schmidt '
                             f"coefficients, got {links!r}")
    else:
        arr = np.asarray(links, dtype=float)
        if arr.ndim == 1:
            spectra = (arr, arr)
        elif arr.ndim == 2 and arr.shape[0] == 2:
            spectra = (arr[0], arr[1])
        else:
            raise ValueError(f"links must be one spectrum (a 1-d array) or two (a (2, dim) array), "
                             f"got an array of shape {arr.shape}")
    graph = nx.path_graph(["a", "x", "b"])
    regions = {"A": ["a"], "B": ["b"]}
    if spectra is None:
        return RandomTensorNetwork(graph, regions, bond_dim=dim)
    return RandomTensorNetwork(graph, regions, bond_dim=dim,
                               link_spectra={("a", "x"): spectra[0], ("x", "b"): spectra[1]})


def chain_network(links: Iterable[Any]) -> RandomTensorNetwork:
    """A chain of bulk vertices from region A to region B, one link per edge.

    The graph is the path ``a - x1 - ... - xk - b`` (``k = len(links) - 1`` bulk
    vertices) with regions ``A = [a]`` and ``B = [b]``; its minimal cuts for ``A`` are
    its edges of least bond dimension.

    Parameters
    ----------
    links : sequence of int or array_like
        One entry per edge, from ``a`` to ``b``, at least two: a bond dimension (an
        int; a maximally entangled link) or the link's Schmidt coefficients.

    Returns
    -------
    RandomTensorNetwork

    Examples
    --------
    >>> net = chain_network([64, [0.5, 0.3, 0.2], 64])
    >>> net.bulk, net.bond_dims
    (('x1', 'x2'), (64, 3, 64))
    >>> [c.edges for c in net.minimal_cuts("A")]
    [(('x1', 'x2'),)]
    """
    items = list(links) if not isinstance(links, (str, bytes)) else None
    if items is None or len(items) < 2:
        raise ValueError(f"links must list at least two links (one per edge), got {links!r}")
    names = ["a"] + [f"x{i}" for i in range(1, len(items))] + ["b"]
    dims, spectra = {}, {}
    for i, value in enumerate(items):
        e = (names[i], names[i + 1])
        dims[e], lam = _link(value, f"links[{i}]")
        if lam is not None:
            spectra[e] = lam
    return RandomTensorNetwork(nx.path_graph(names), {"A": ["a"], "B": ["b"]}, bond_dim=dims,
                               link_spectra=spectra)


def star_network(links: Mapping[str, Any]) -> RandomTensorNetwork:
    """One bulk vertex ``x`` joined to one boundary vertex per region.

    Region ``R`` is the single vertex ``r`` (its name in lower case). One random
    tensor with legs ``A, B, C, ...`` is the model of the negativity and of the
    multipartite predictions.

    Parameters
    ----------
    links : mapping of str to int or array_like
        Per region name, the link on its edge: a bond dimension (an int; maximally
        entangled) or the link's Schmidt coefficients. At least two regions.

    Returns
    -------
    RandomTensorNetwork

    Examples
    --------
    >>> net = star_network({"A": 2, "B": 2, "C": [0.5, 0.25, 0.25]})
    >>> net.edges, net.bond_dims
    ((('x', 'a'), ('x', 'b'), ('x', 'c')), (2, 2, 3))
    """
    if not isinstance(links, Mapping) or len(links) < 2:
        raise ValueError(f"links must map at least two region names to links, got {links!r}")
    vertex = {}
    for name in links:
        if not isinstance(name, str) or not name:
            raise TypeError(f"links: region names must be non-empty strings, got {name!r}")
        v = name.lower()
        if v == "x" or v in vertex.values():
            raise ValueError(f"links: region {name!r} would share the vertex name {v!r}")
        vertex[name] = v
    graph = nx.Graph([("x", v) for v in vertex.values()])
    dims, spectra = {}, {}
    for name, value in links.items():
        e = ("x", vertex[name])
        dims[e], lam = _link(value, f"links[{name!r}]")
        if lam is not None:
            spectra[e] = lam
    return RandomTensorNetwork(graph, {name: [v] for name, v in vertex.items()}, bond_dim=dims,
                               link_spectra=spectra)
