"""Hypergraph (and graph) models: min-cut entropies of boundary regions.

A hypergraph has weighted hyperedges and boundary vertices labelled by the
parties ``A, B, ...`` and the purifier ``O``. The entropy of a set of parties
``I`` is the least total weight of hyperedges cut by a vertex set ``W`` that
contains the boundary vertices of ``I`` and none of the other boundary
vertices (Bao, Cheng, Hernández-Cuenca and Su, arXiv:2002.05317). A graph is
the case where every hyperedge has two vertices (Bao et al.,
arXiv:1505.07839). Entropies are in the units of the weights.

The hypergraph is compiled once into flat arrays; the Numba kernels of
:mod:`qinfo._kernels.maxflow` then solve every subset's max-flow problem in a
single call.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import sys
import warnings
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from numbers import Rational
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from qinfo._kernels import maxflow as _mf
from qinfo._parallel import parallel_map
from qinfo._validate import check_int
from qinfo.entropy_cones._records import (check_keys, check_model, json_vertex, json_weight, load_record,
                                          require_key, save_record)
from qinfo.entropy_cones._vectors import (
    BUDGET,
    MAX_PARTIES,
    PURIFIER,
    EntropyVector,
    parse_subset,
    party_letters,
    subset_masks,
)

__all__ = ["Hypergraph", "MinCut", "entropy_vectors", "random_hypergraph", "DEFAULT_METHOD"]

#: Max-flow algorithm used unless ``method=`` says otherwise: it measured
#: fastest on both benchmark inputs (see ``qinfo._kernels.maxflow``).
DEFAULT_METHOD = "augmenting_paths"

#: A float cut is accepted when twice its weight and the flow into the sinks
#: differ by at most this fraction of the cut, plus the rounding of the
#: residuals the flow is read from (``_ROUNDING`` times their size).
#: Otherwise it is recomputed exactly.
_CERTIFY_RTOL = 1e-9
_ROUNDING = 2.0**-48
#: Float cuts within this fraction of the minimum count as tied for ``MinCut.minimal`` / ``maximal``.
_TIE_RTOL = 1e-12
_INT64_MAX = 2**63 - 1
# Size of an entropy_vector call, measured on the 2-core development machine:
# about 1e-8 CPU s per subset per node-or-arc of the network, 64 bytes per subset.
_SECONDS_PER_UNIT = 1e-8
_BYTES_PER_SUBSET = 64
_WARN_SECONDS = 60.0  # say so before starting a call estimated longer than this ...
_WARN_BYTES = 2**30  # ... or larger than this
_SLICES = 64  # a long entropy_vector call runs as this many slices of the Gray code
_MAX_WORK = 10**12  # refuse more subset x (nodes + arcs) than this: about 3 CPU hours
#: Exact recomputations of float cuts that failed certification, and runs of
#: the Python-int kernels, in this process (read by the fuzzing tests).
_STATS: Counter = Counter()


@dataclass(frozen=True)
class MinCut:
    """A minimum cut for a set of parties.

    Parameters
    ----------
    value : int, Fraction or float
        The minimal cut weight, S(I): an exact ``int`` when all weights are
        integers (of any size), an exact ``Fraction`` when they are integers
        and Fractions, else a ``float``.
    minimal, maximal : frozenset
        The smallest and the largest vertex sets ``W`` attaining ``value``.
        Every minimum cut ``W`` satisfies ``minimal <= W <= maximal``.

    Examples
    --------
    >>> Hypergraph([(("a", "b"), 2)], {"a": "A", "b": "O"}).min_cut("A")
    MinCut(value=2, minimal=frozenset({'a'}), maximal=frozenset({'a'}))
    """

    value: float
    minimal: frozenset
    maximal: frozenset


class Hypergraph:
    """A weighted hypergraph with boundary vertices labelled by parties.

    Parameters
    ----------
    edges : iterable of (vertices, weight)
        Each hyperedge is a tuple (or list, set) of at least two distinct
        vertices and a finite non-negative weight: an ``int``, a
        ``fractions.Fraction`` or a ``float`` (NumPy scalars too). Vertices
        can be any hashable objects. Parallel hyperedges are allowed and add
        up. Integer and Fraction weights give exact cuts (int64 while the
        network's capacities sum below ``2**61``, Python ints beyond; Fractions
        are scaled to integers); any float makes the computation float64, with
        each cut certified against its flow and recomputed exactly when the two
        disagree (see :ref:`min-cut-models`).
    boundary : mapping or iterable of (vertex, party)
        The party of each boundary vertex: ``"A"``, ``"B"``, ... (the first N
        letters, skipping ``O``, each used at least once) or the purifier
        ``"O"``. A party may own several vertices; a vertex has at most one
        party. Without an ``O`` vertex the whole boundary is pure,
        ``S(AB...N) = 0``.
    vertices : iterable, optional
        The full vertex set. By default it is every vertex named in ``edges``
        or ``boundary``; when given, naming any other vertex is an error, and
        vertices in no hyperedge are allowed.

    Attributes
    ----------
    vertices : tuple
        The vertices, in the order used internally.
    n_parties : int
        N, the number of parties besides the purifier.
    parties : str
        Their letters, ``"ABC..."``.
    has_purifier : bool
        Whether some vertex belongs to ``O``.
    is_graph : bool
        Whether every hyperedge has exactly two vertices.

    Examples
    --------
    >>> h = Hypergraph(edges=[(("a", "b", "c"), 1)], boundary={"a": "A", "b": "B", "c": "O"})
    >>> h.entropy_vector()
    EntropyVector(A=1, B=1, AB=1)
    >>> h.min_cut("A")
    MinCut(value=1, minimal=frozenset({'a'}), maximal=frozenset({'a'}))
    """

    def __init__(self, edges: Iterable[tuple[Iterable[Hashable], float]],
                 boundary: Mapping[Hashable, str] | Iterable[tuple[Hashable, str]],
                 *, vertices: Iterable[Hashable] | None = None):
        fixed = vertices is not None
        index: dict[Hashable, int] = {}
        if fixed:
            vertices = list(vertices)
            index = dict(zip(vertices, range(len(vertices))))
            if len(index) != len(vertices):
                seen: set = set()
                twice = next(v for v in vertices if v in seen or seen.add(v))
                raise ValueError(f"vertices: vertex {twice!r} is listed twice")
        if isinstance(edges, (dict, Mapping)):
            raise TypeError("edges must be a list of (vertices, weight) pairs, not a mapping")
        lookup = index.__getitem__ if fixed else (lambda v: index.setdefault(v, len(index)))
        sizes, flat, raw_weights = _flatten_edges(list(edges), lookup)
        self._weights, self._kind = _check_weights(raw_weights)
        self._denominator: int | None = None  # of the exact integer weights, once computed
        self._edge_ptr = np.concatenate([np.zeros(1, np.int64), np.cumsum(sizes)])
        self._edge_verts = flat
        bad = _mf.first_bad_edge(self._edge_ptr, self._edge_verts, len(index))
        if bad >= 0:
            problem = ("needs at least two vertices" if sizes[bad] < 2 else "names a vertex twice")
            keys = list(index)
            named = tuple(keys[i] for i in self._edge_verts[self._edge_ptr[bad]:self._edge_ptr[bad + 1]])
            raise ValueError(f"edges[{bad}] with vertices {named!r}: a hyperedge {problem}")

        pairs = boundary.items() if isinstance(boundary, (dict, Mapping)) else boundary
        party_of: dict[Hashable, str] = {}
        for item in pairs:
            try:
                v, p = item
            except (TypeError, ValueError):
                raise TypeError(f"boundary entries must be (vertex, party) pairs, got {item!r}") from None
            if not (isinstance(p, str) and len(p) == 1 and "A" <= p <= "Z"):
                raise ValueError(
                    f"boundary: vertex {v!r} has party {p!r}; a party is one capital letter "
                    "(A, B, ... or the purifier O)")
            if v in party_of:
                raise ValueError(f"boundary: vertex {v!r} carries two parties ({party_of[v]!r} and {p!r})")
            if v not in index:
                if fixed:
                    raise ValueError(f"boundary names the unknown vertex {v!r} (not in vertices)")
                index[v] = len(index)
            party_of[v] = p
        letters = sorted({p for p in party_of.values() if p != PURIFIER})
        if not letters:
            raise ValueError("boundary names no party besides the purifier O")
        n = len(letters)
        if "".join(letters) != party_letters(n):
            missing = next(c for c in party_letters(_LETTER_RANK[letters[-1]] + 1) if c not in letters)
            raise ValueError(f"boundary: party {missing!r} has no boundary vertex (parties must be "
                             f"the first N letters A, B, ..., skipping O; got {', '.join(letters)})")
        self._n = n
        self._vertices = tuple(index)
        self._index = index
        party = np.full(len(index), -1, dtype=np.int64)
        for v, p in party_of.items():
            party[index[v]] = n if p == PURIFIER else _LETTER_RANK[p]
        self._party = party
        self._boundary = party_of
        self._networks: dict[str, tuple] = {}
        self._size: int | None = None
        _check_capacity(self._weights, np.diff(self._edge_ptr))

    # -- constructors -------------------------------------------------------------
    @classmethod
    def from_networkx(cls, graph: Any, boundary: Mapping[Hashable, str] | Iterable[tuple[Hashable, str]],
                      weight: str = "weight") -> "Hypergraph":
        """The graph model of an undirected networkx graph.

        Parameters
        ----------
        graph : networkx.Graph or networkx.MultiGraph
            Every edge must carry the attribute ``weight``; parallel edges of a
            multigraph add up. Self-loops are rejected (a one-vertex edge).
        boundary : mapping or iterable of (vertex, party)
            As for :class:`Hypergraph`; the vertices must be nodes of ``graph``.
        weight : str
            Name of the edge attribute holding the weight.

        Examples
        --------
        >>> import networkx as nx
        >>> g = nx.star_graph(3)            # centre 0, leaves 1, 2, 3
        >>> nx.set_edge_attributes(g, 1, "weight")
        >>> Hypergraph.from_networkx(g, {1: "A", 2: "B", 3: "O"}).entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        import networkx as nx

        if not isinstance(graph, nx.Graph):
            raise TypeError(f"graph must be a networkx graph, got {type(graph).__name__}")
        if graph.is_directed():
            raise TypeError("graph must be undirected: cut weights of a directed graph are not entropies")
        edges = []
        for u, v, data in graph.edges(data=True):
            if weight not in data:
                raise ValueError(f"graph edge ({u!r}, {v!r}) has no {weight!r} attribute")
            if u == v:
                raise ValueError(f"graph edge ({u!r}, {v!r}) is a self-loop: a hyperedge needs two vertices")
            edges.append(((u, v), data[weight]))
        return cls(edges, boundary, vertices=graph.nodes)

    # -- the JSON form ------------------------------------------------------------
    def to_dict(self) -> dict:
        """The JSON form that ``qinfo entropy`` reads and :meth:`from_dict` inverts.

        Returns
        -------
        dict
            ``{"model": "hypergraph", "edges": [[[vertices...], weight], ...],
            "boundary": {vertex: party}}``, plus ``"vertices"`` when some vertex
            is in no hyperedge and on no boundary, or the vertex order is not
            the order in which the edges and then the boundary name them. Vertices must be strings or
            ints, weights ints, floats or whole Fractions (a JSON file has no
            exact form for other Fractions, and nothing is rounded).

        Examples
        --------
        >>> h = Hypergraph([(("a", "b"), 2)], {"a": "A", "b": "O"})
        >>> h.to_dict()
        {'model': 'hypergraph', 'edges': [[['a', 'b'], 2]], 'boundary': {'a': 'A', 'b': 'O'}}
        >>> Hypergraph.from_dict(h.to_dict()).entropy_vector()
        EntropyVector(A=2)
        """
        for v in self._vertices:
            if isinstance(v, bool) or not isinstance(v, (str, int, np.integer)):
                raise TypeError(f"to_dict: vertex {v!r} is not a string or an int, so it has no JSON form")
        edges = []
        for verts, w in self.edges:
            if isinstance(w, Fraction):
                if w.denominator != 1:
                    raise ValueError(f"to_dict: weight {w} of {verts!r} is not a whole number; a JSON "
                                     "number cannot hold it exactly")
                w = int(w)
            edges.append([[_plain(v) for v in verts], w])
        out = {"model": "hypergraph", "edges": edges,
               "boundary": {_plain(v): p for v, p in self._boundary.items()}}
        implied = dict.fromkeys(v for verts, _ in self.edges for v in verts) | dict.fromkeys(self._boundary)
        if tuple(implied) != self._vertices:  # isolated vertices, or another order: say so
            out["vertices"] = [_plain(v) for v in self._vertices]
        return out

    @classmethod
    def from_dict(cls, obj: dict) -> "Hypergraph":
        """The hypergraph (or graph) of a JSON form such as :meth:`to_dict` writes.

        Parameters
        ----------
        obj : dict
            ``"model"`` is ``"hypergraph"`` (the default; edges
            ``[[vertices...], weight]``) or ``"graph"`` (edges
            ``[u, v, weight]``); ``"boundary"`` maps vertices to parties
            (JSON object keys are strings: ``"3"`` is read as vertex ``3``
            when the edges name the int 3); ``"vertices"`` is optional.

        Returns
        -------
        Hypergraph

        Raises
        ------
        ValueError, TypeError
            A missing or unknown entry, a malformed edge, a weight that is not a number.

        Examples
        --------
        >>> g = Hypergraph.from_dict({"model": "graph", "edges": [["a", "x", 1], ["x", "b", 1]],
        ...                           "boundary": {"a": "A", "b": "O"}})
        >>> g.is_graph, g.entropy_vector()
        (True, EntropyVector(A=1))
        """
        kind = check_model(obj, ("hypergraph", "graph"))
        check_keys(obj, {"model", "edges", "boundary", "vertices"}, kind)
        edges_in = require_key(obj, "edges", kind)
        if not isinstance(edges_in, list):
            raise ValueError(f'"edges" must be a list of {_EDGE_FORMS[kind]} entries')
        edges = []
        for i, e in enumerate(edges_in):
            where = f"edge {i}"
            split = _split_edge(e, kind)
            if split is None:
                raise ValueError(f"{where}: expected {_EDGE_FORMS[kind]}, got {json.dumps(e)}")
            edges.append((tuple(json_vertex(v, where) for v in split[0]), json_weight(split[1], where)))
        boundary_in = require_key(obj, "boundary", kind)
        if not isinstance(boundary_in, dict):
            raise ValueError('"boundary" must be an object {vertex: party}')
        for v, party in boundary_in.items():
            if not isinstance(party, str):
                raise ValueError(f'boundary vertex {v!r}: party must be a string such as "A" or "O", '
                                 f"got {json.dumps(party)}")
        vertices = obj.get("vertices")
        if vertices is not None:
            if not isinstance(vertices, list):
                raise ValueError('"vertices" must be a list of vertex names')
            vertices = [json_vertex(v, "vertices") for v in vertices]
        named = {v for vs, _ in edges for v in vs} | set(vertices or ())
        boundary = {(int(k) if k not in named and k.lstrip("-").isdigit() and int(k) in named else k): p
                    for k, p in boundary_in.items()}
        return cls(edges, boundary, vertices=vertices)

    def save(self, path: str | os.PathLike) -> Path:
        """Write :meth:`to_dict` as JSON to ``path`` (atomically), a file ``qinfo entropy`` reads.

        Parameters
        ----------
        path : str or path-like
            The file to write.

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> import tempfile, pathlib
        >>> h = Hypergraph([(("a", "b", "c"), 1)], {"a": "A", "b": "B", "c": "O"})
        >>> p = h.save(pathlib.Path(tempfile.mkdtemp()) / "ghz.json")
        >>> Hypergraph.load(p).entropy_vector() == h.entropy_vector()
        True
        """
        return save_record(self.to_dict(), path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Hypergraph":
        """Read a hypergraph or graph file written by :meth:`save` (or by hand, see :meth:`from_dict`).

        Parameters
        ----------
        path : str or path-like
            A JSON file.

        Returns
        -------
        Hypergraph

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "bell.json"
        >>> _ = p.write_text('{"model": "graph", "edges": [["a", "b", 1]], "boundary": {"a": "A", "b": "O"}}')
        >>> Hypergraph.load(p).entropy_vector()
        EntropyVector(A=1)
        """
        return load_record(path, cls.from_dict)

    # -- description --------------------------------------------------------------
    @property
    def vertices(self) -> tuple:
        return self._vertices

    @property
    def n_vertices(self) -> int:
        return len(self._vertices)

    @property
    def n_edges(self) -> int:
        return self._weights.size

    @property
    def edges(self) -> list[tuple[tuple, int | float]]:
        """The hyperedges as ``(vertices, weight)`` pairs."""
        vs, ptr = self._vertices, self._edge_ptr
        return [(tuple(vs[i] for i in self._edge_verts[ptr[e]:ptr[e + 1]]), w)
                for e, w in enumerate(self._weights.tolist())]

    @property
    def weights(self) -> np.ndarray:
        """Hyperedge weights (read-only).

        int64 if all were integers below ``2**63``, an object array of Python
        ints (larger integers) or of Fractions (integers and Fractions), else
        float64.
        """
        w = self._weights.view()
        w.setflags(write=False)
        return w

    @property
    def boundary(self) -> dict[Hashable, str]:
        return dict(self._boundary)

    @property
    def n_parties(self) -> int:
        return self._n

    @property
    def parties(self) -> str:
        return party_letters(self._n)

    @property
    def has_purifier(self) -> bool:
        return bool(np.any(self._party == self._n))

    @property
    def is_graph(self) -> bool:
        return bool(np.all(np.diff(self._edge_ptr) == 2))

    def __repr__(self) -> str:
        kind = "graph" if self.is_graph else "hypergraph"
        return (f"Hypergraph({self.n_vertices} vertices, {self.n_edges} edges ({kind}), "
                f"parties {self.parties}{'+O' if self.has_purifier else ''})")

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_networks"] = {}  # rebuilt on demand; keeps pickles small for executors
        return state

    # -- cuts ---------------------------------------------------------------------
    def cut_weight(self, inside: Iterable[Hashable]) -> int | Fraction | float:
        """Total weight of the hyperedges with vertices both in and out of ``inside``.

        Exact for integer and Fraction weights, a float sum otherwise.

        Parameters
        ----------
        inside : iterable of vertices
            The vertex set ``W`` on one side of the cut.

        Examples
        --------
        >>> h = Hypergraph([(("a", "b"), 2), (("b", "c"), 3)], {"a": "A", "c": "B"})
        >>> h.cut_weight({"a", "b"})
        3
        """
        mask = np.zeros(self.n_vertices, dtype=np.bool_)
        for v in inside:
            if v not in self._index:
                raise ValueError(f"inside names the unknown vertex {v!r}")
            mask[self._index[v]] = True
        exact = self._kind != "float"
        kernels, weights, _ = self._backend(exact)
        return self._scalar(kernels.cut_weight(mask, self._edge_ptr, self._edge_verts, weights), exact)

    def entropy_vector(self, method: str = DEFAULT_METHOD, *, executor: Executor | None = None,
                       progress: bool | None = None) -> EntropyVector:
        """Min-cut entropies of every non-empty set of parties.

        Parameters
        ----------
        method : {"augmenting_paths", "push_relabel", "dinic"}
            Max-flow algorithm of ``qinfo._kernels.maxflow``.
        executor : concurrent.futures.Executor, optional
            Splits the sweep over the subsets into slices of the Gray code
            and runs them there (e.g. a dask client's ``get_executor()``).
            The result does not depend on it.
        progress : bool, optional
            Progress bar for a long call (one estimated at over a minute or
            a GiB, or one with an executor), with the estimate as its
            description; by default shown when stderr is a terminal.

        Returns
        -------
        EntropyVector
            One entry per subset, in canonical order, in the units of the
            weights: int64 and exact for integer weights, float64 otherwise
            (Fraction weights: the exact values, rounded once).

        Raises
        ------
        OverflowError
            If an integer entropy exceeds ``2**63 - 1``, which an
            EntropyVector cannot hold; ``min_cut(...).value`` gives it exactly.
        ValueError
            If the call has more than ``BUDGET["subsets"]`` subsets ``2**N - 1``
            (``2**20`` by default, 20 parties; see
            :data:`qinfo.entropy_cones.BUDGET`), or would exceed
            ``10**12`` subsets times the nodes and arcs of the flow network
            (about 3 CPU hours); a call estimated at over a minute or a GiB
            warns (``RuntimeWarning``) before it starts.

        Examples
        --------
        >>> h = Hypergraph(edges=[(("a", "b", "c"), 1.0)], boundary={"a": "A", "b": "B", "c": "O"})
        >>> h.entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        code = _method_code(method)
        estimate, large = self._check_size()
        if not large and executor is None:
            return self._vector(self._subset_values(code))
        # a long call: slices of the Gray-code sweep, with a progress bar that states the estimate
        n_masks = 1 << self._n
        bounds = np.unique(np.linspace(1, n_masks, min(n_masks - 1, _SLICES) + 1).astype(np.int64)).tolist()
        show = sys.stderr.isatty() if progress is None else bool(progress)
        rows = parallel_map(partial(_gray_slice, self, code), list(zip(bounds[:-1], bounds[1:])),
                            executor=executor, progress=show, desc=f"entropy_vector: {estimate}")
        i = np.arange(1, n_masks)
        values = np.concatenate(rows)
        full = np.zeros(n_masks, values.dtype)
        full[i ^ (i >> 1)] = values
        return self._vector(full)

    def _vector(self, values: np.ndarray) -> EntropyVector:
        """The EntropyVector of S(mask) for every mask (as :meth:`_subset_values` gives them)."""
        by_mask = values[_masks_array(self._n)]
        if self._kind == "float":
            return EntropyVector._trusted(by_mask, self._n)
        if self._kind == "fraction":
            denom = self._exact_denominator()
            return EntropyVector._trusted(np.array([float(Fraction(int(x), denom)) for x in by_mask]), self._n)
        if by_mask.dtype == object and max(by_mask, default=0) > _INT64_MAX:
            raise OverflowError(f"an entropy is {max(by_mask)}, above 2**63 - 1, the most an EntropyVector "
                                "holds exactly; min_cut(parties).value gives it as a Python int")
        return EntropyVector._trusted(by_mask.astype(np.int64), self._n)

    def min_cut(self, parties: str | Iterable[str], method: str = DEFAULT_METHOD) -> MinCut:
        """A minimum cut separating ``parties`` from the other parties and O.

        Parameters
        ----------
        parties : str or iterable of str
            The set ``I``, e.g. ``"AB"``; it may contain the purifier ``O``.
        method : {"augmenting_paths", "push_relabel", "dinic"}
            Max-flow algorithm.

        Returns
        -------
        MinCut
            ``value = S(I)`` and the smallest and largest optimal ``W``
            (containing the boundary vertices of ``I``, none of the others).

        Examples
        --------
        >>> h = Hypergraph([(("a", "x"), 1), (("x", "b"), 1), (("x", "o"), 2)],
        ...                {"a": "A", "b": "B", "o": "O"})
        >>> cut = h.min_cut("AB")
        >>> cut.value, sorted(cut.minimal), sorted(cut.maximal)
        (2, ['a', 'b'], ['a', 'b', 'x'])
        """
        mask, purifier = parse_subset(parties, self._n)
        if purifier:
            mask |= 1 << self._n
        code = _method_code(method)
        exact = self._kind != "float"
        value, minimal, maximal = self._cut_sides(code, mask, exact)
        if value is None:  # a float cut that failed certification
            _STATS["exact recomputations"] += 1
            exact = True
            value, minimal, maximal = self._cut_sides(code, mask, exact)
        vs = self._vertices
        return MinCut(self._scalar(value, exact),
                      frozenset(vs[i] for i in np.flatnonzero(minimal)),
                      frozenset(vs[i] for i in np.flatnonzero(maximal)))

    # -- internals ------------------------------------------------------------------
    def _check_size(self) -> tuple[str, bool]:
        """Warn before a long ``entropy_vector`` call; refuse one past the limits.

        Returns the estimate (a sentence) and whether the call is long.
        """
        n_subsets = 2**self._n - 1
        size = self._network_size()
        work = n_subsets * size
        seconds, memory = _SECONDS_PER_UNIT * work, _BYTES_PER_SUBSET * n_subsets
        estimate = (f"{self._n} parties: {n_subsets:,} min cuts on a network of about {size:,} nodes and arcs, "
                    f"an estimated {seconds:,.0f} CPU s and {memory / 2**30:.1f} GiB")
        if n_subsets > BUDGET["subsets"]:
            raise ValueError(f"entropy_vector (n_parties={self._n}): {estimate}, over the work budget "
                             f"BUDGET['subsets'] = {BUDGET['subsets']:,}; raise it with "
                             f"qinfo.entropy_cones.BUDGET['subsets'] = 2**{self._n} if you mean it, or use "
                             "min_cut for the subsets you need")
        if work > _MAX_WORK:
            raise ValueError(f"entropy_vector: {estimate}, past the limit of {_MAX_WORK:.0e} subsets times "
                             "nodes and arcs (about 3 CPU hours); use min_cut for the subsets you need")
        large = seconds > _WARN_SECONDS or memory > _WARN_BYTES
        if large:
            warnings.warn(f"entropy_vector: {estimate}", RuntimeWarning, stacklevel=3)
        return estimate, large

    def _network_size(self) -> int:
        """Nodes plus arcs of the flow network (without building it)."""
        if self._size is None:
            sizes = np.diff(self._edge_ptr)
            self._size = self.n_vertices + int(np.where(sizes == 2, 2, np.where(sizes == 3, 6, 4 * sizes + 4)).sum())
        return self._size

    def _backend(self, exact: bool) -> tuple[Any, np.ndarray, tuple]:
        """``(kernels, weights, network)`` for float64 or exact integer cuts.

        Exact cuts use the integer weights (Fractions scaled by their common
        denominator) in the compiled int64 kernels while the network's
        capacities sum below ``INT64_CAPACITY_LIMIT``, else the same kernels
        as Python code on Python ints. All network capacities are twice the
        weights.
        """
        key = "exact" if exact else "float"
        if key not in self._networks:
            if exact:
                ints = self._weights if self._weights.dtype == np.int64 else self._integer_weights()
                kernels = _mf
                if _capacity_bound(ints, np.diff(self._edge_ptr)) < _mf.INT64_CAPACITY_LIMIT:
                    weights = np.asarray(ints, dtype=np.int64)
                else:
                    _STATS["python-int kernels"] += 1
                    kernels = _mf.python_kernels()
                    weights = np.array([*map(int, ints), 0], dtype=object)[:-1]  # [0]: never an int64 array
            else:
                kernels, weights = _mf, self._weights
            first, head, cap, rev, _ = kernels.build_network(
                self.n_vertices, self._edge_ptr, self._edge_verts, 2 * weights, weights)
            self._networks[key] = (kernels, weights, (first, head, cap, rev))
        return self._networks[key]

    def _compiled(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The flow network the default (float or exact) computation uses."""
        return self._backend(self._kind != "float")[2]

    def _integer_weights(self) -> list[int]:
        """The weights times :meth:`_exact_denominator`, as exact Python ints.

        Every finite float is a dyadic rational, so float weights scale to
        integers too (with a power-of-two denominator, possibly large).
        """
        if self._kind == "int":
            return self._weights.tolist()
        denom = self._exact_denominator()
        fracs = map(Fraction, self._weights.tolist())
        return [f.numerator * (denom // f.denominator) for f in fracs]

    def _exact_denominator(self) -> int:
        """Least common denominator of the weights (1 for integers)."""
        if self._denominator is None:
            self._denominator = 1 if self._kind == "int" else math.lcm(
                1, *(Fraction(w).denominator for w in self._weights.tolist()))
        return self._denominator

    def _subset_values(self, code: int, gray: tuple[int, int] | None = None) -> np.ndarray:
        """S(mask) for every mask: exact integers (times the denominator) or certified floats.

        With ``gray=(lo, hi)``: only for the masks ``i ^ (i >> 1)``, ``lo <= i < hi``, in that order.
        """
        exact = self._kind != "float"
        values, flows, scales = self._kernel_rows(code, exact, gray)
        if exact or _certified(values, flows, scales).all():
            return values
        _STATS["exact recomputations"] += 1
        scaled = self._kernel_rows(code, True, gray)[0]
        denom = self._exact_denominator()
        bad = np.flatnonzero(~_certified(values, flows, scales))
        values = values.copy()
        values[bad] = [float(Fraction(int(scaled[m]), denom)) for m in bad]
        return values

    def _kernel_rows(self, code: int, exact: bool, gray: tuple[int, int] | None):
        """``(values, flows, scales)`` of :func:`~qinfo._kernels.maxflow.subset_cut_values` (``gray``: a slice)."""
        kernels, weights, net = self._backend(exact)
        rows = kernels.subset_cut_values(code, *net, self._party, self._n, weights[:0].sum(), self._edge_ptr,
                                         self._edge_verts, weights, not exact, gray_range=gray)
        return rows if gray is None else tuple(r[:, 0] for r in rows)

    def _cut_sides(self, code: int, mask: int, exact: bool):
        """``(value, minimal, maximal)`` for ``mask``; ``value`` is None for an uncertified float cut."""
        kernels, weights, net = self._backend(exact)
        tie = weights[:0].sum() if exact else np.float64(_TIE_RTOL)
        flow, scale, minimal, maximal = kernels.min_cut_sides(code, *net, self._party, self._n, mask, tie)
        value = kernels.cut_weight(maximal, self._edge_ptr, self._edge_verts, weights)
        low = kernels.cut_weight(minimal, self._edge_ptr, self._edge_verts, weights)
        if exact:
            if not 2 * value == 2 * low == flow:  # max-flow min-cut, exactly
                raise RuntimeError(f"internal error: cut weights {low}, {value} and flow {flow} / 2 differ")
            return value, minimal, maximal
        ok = _certified(np.array([value, low]), np.array([flow, flow]), np.array([scale, scale])).all()
        return (value if ok else None), minimal, maximal

    def _scalar(self, x, exact: bool) -> int | Fraction | float:
        """A kernel's result as the user's number type (``exact``: scaled integers)."""
        if not exact:
            return float(x)
        value = Fraction(int(x), self._exact_denominator())
        return {"int": int, "fraction": Fraction, "float": float}[self._kind](value)


def _certified(values: np.ndarray, flows: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """Which float cuts agree with their flows (a cut of weight 0 is always minimal)."""
    gap = np.abs(2 * values - flows)
    return (values == 0) | (gap <= _CERTIFY_RTOL * 2 * values + _ROUNDING * scales)


def _capacity_bound(weights, sizes: np.ndarray) -> int | float:
    """An upper bound on the sum of the network's capacities: ``(8k + 2) w`` per hyperedge of size k."""
    coef = 8 * sizes + 2
    if isinstance(weights, np.ndarray) and weights.dtype.kind == "f":
        with np.errstate(over="ignore"):
            return float(coef @ weights)
    approx = float(coef @ np.asarray(weights, dtype=np.float64)) if len(weights) else 0.0
    if approx < _mf.INT64_CAPACITY_LIMIT / 2:  # far from the limit: the float estimate is enough
        return approx
    return sum(c * int(w) for c, w in zip(coef.tolist(), weights))


def _check_capacity(weights: np.ndarray, sizes: np.ndarray) -> None:
    if weights.dtype.kind == "f" and not math.isfinite(_capacity_bound(weights, sizes)):
        raise ValueError("edges: float weights too large: the flow network's capacities, (8k + 2) times "
                         "each weight of a k-vertex hyperedge, must sum below 1.7e308 (float64); "
                         "pass integers for exact arithmetic at any size")


def _flatten_edges(edges: list, lookup) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Hyperedge sizes and concatenated vertex indices (int64 arrays), and the raw weights.

    A fast path with C-level loops; on any failure the per-edge loop below
    finds the first bad edge and raises an error that names it.
    """
    try:
        if not {2}.issuperset(map(len, edges)):
            raise ValueError
        # not zip(*edges): unpacking a long list into arguments costs far more (garbage collection)
        verts_list, raw_weights = list(map(itemgetter(0), edges)), list(map(itemgetter(1), edges))
        if not {str, bytes}.isdisjoint(map(type, verts_list)):
            raise TypeError
        sizes = np.fromiter(map(len, verts_list), np.int64, len(verts_list))
        flat = np.fromiter(map(lookup, itertools.chain.from_iterable(verts_list)), np.int64, int(sizes.sum()))
        return sizes, flat, raw_weights
    except (TypeError, ValueError, KeyError):
        pass
    for k, edge in enumerate(edges):
        try:
            verts, w = edge
            if isinstance(verts, (str, bytes)):
                raise TypeError(f"vertices {verts!r} is a string")
            list(map(lookup, verts))
        except KeyError as exc:
            raise ValueError(f"edges[{k}] names the unknown vertex {exc.args[0]!r} (not in vertices)") from None
        except (TypeError, ValueError) as exc:
            raise TypeError(f"edges[{k}] must be a (vertices, weight) pair with vertices a tuple, "
                            f"list or set of hashable vertices; got {edge!r} ({exc})") from None
    raise AssertionError("unreachable: the fast path failed but no edge is bad")  # pragma: no cover


_LETTER_RANK = {c: i for i, c in enumerate(party_letters(MAX_PARTIES))}


def _check_weights(raw: list[Any]) -> tuple[np.ndarray, str]:
    """Weights as an array and their kind, ``"int"``, ``"fraction"`` or ``"float"``.

    Integers stay exact (int64, or an object array of Python ints past
    int64), Fractions with integers become an object array of Fractions, and
    any float makes every weight float64. Booleans, strings and other types
    are a TypeError; NaN, infinities and negative values a ValueError; both
    name the edge.
    """
    types = set(map(type, raw))
    if not all(issubclass(t, _NUMBER_TYPES) and not issubclass(t, (bool, np.bool_)) for t in types):
        k = next(k for k, w in enumerate(raw) if isinstance(w, (bool, np.bool_))
                 or not isinstance(w, _NUMBER_TYPES))
        raise TypeError(f"edges[{k}]: weight must be a real number (int, Fraction or float), "
                        f"got {raw[k]!r} of type {type(raw[k]).__name__}")
    if all(issubclass(t, (int, np.integer)) for t in types):
        kind = "int"
        try:  # signed types convert exactly or raise OverflowError; unsigned ones could wrap
            if any(issubclass(t, np.unsignedinteger) for t in types):
                raise OverflowError
            arr = np.array(raw, dtype=np.int64).reshape(-1)
        except OverflowError:
            ints = list(map(int, raw))  # exact, whatever the integer types
            fits = all(-_INT64_MAX <= w <= _INT64_MAX for w in ints)
            arr = np.array(ints, dtype=np.int64) if fits else np.array(ints + [0], dtype=object)[:-1]
    elif all(issubclass(t, (int, np.integer, Rational)) for t in types):
        kind = "fraction"
        arr = np.array([Fraction(w) for w in raw] + [0], dtype=object)[:-1]
    else:
        kind = "float"
        try:
            arr = np.array(raw, dtype=np.float64).reshape(-1)
        except OverflowError:
            k = next(k for k, w in enumerate(raw) if isinstance(w, int) and abs(w) > 2**1000)
            raise ValueError(f"edges[{k}]: integer weight {raw[k]!r} is too large to mix with float weights "
                             "(pass all weights as integers or Fractions to keep them exact)") from None
    ok = arr >= 0
    if arr.dtype.kind == "f":
        ok &= arr < np.inf
    bad = np.flatnonzero(~ok.astype(bool))
    if bad.size:
        k = int(bad[0])
        raise ValueError(f"edges[{k}]: weight must be finite and non-negative, got {raw[k]!r}")
    return arr, kind


#: How each ``"model"`` writes an edge in the JSON form.
_EDGE_FORMS = {"hypergraph": "[[vertices...], weight]", "graph": "[u, v, weight]"}


def _split_edge(e: Any, kind: str) -> tuple[list, Any] | None:
    """``(vertices, weight)`` of one JSON edge of a hypergraph or graph, or None if malformed."""
    if kind == "graph" and isinstance(e, list) and len(e) == 3:
        return e[:2], e[2]
    if kind == "hypergraph" and isinstance(e, list) and len(e) == 2 and isinstance(e[0], list):
        return e[0], e[1]
    return None


def _plain(v):
    """A vertex name as a plain JSON value (NumPy ints become ints)."""
    return int(v) if isinstance(v, np.integer) else v


_NUMBER_TYPES = (int, float, np.integer, np.floating, Rational)


def _method_code(method: str) -> int:
    try:
        return _mf.METHODS[method]
    except (KeyError, TypeError):
        raise ValueError(f"method must be one of {sorted(_mf.METHODS)}, got {method!r}") from None


_MASKS: dict[int, np.ndarray] = {}


def _masks_array(n: int) -> np.ndarray:
    arr = _MASKS.get(n)
    if arr is None:
        arr = _MASKS[n] = np.array(subset_masks(n), dtype=np.int64)
    return arr


#: Nodes and arcs of the flow network one batched kernel call of ``entropy_vectors`` solves at most.
_BATCH_SIZE = 2**20
#: Hypergraphs with larger flow networks are solved one call each: the per-call overhead is negligible
#: there, and renumbering them into a batch costs about as much as their flows.
_BATCH_MAX_NETWORK = 2**14


def _gray_slice(h: "Hypergraph", code: int, bounds: tuple[int, int]) -> np.ndarray:
    return h._subset_values(code, bounds)


def _batchable(h: "Hypergraph", method: str) -> bool:
    """Whether ``h`` joins a batched kernel call: a small network, int64 weights and capacities, not Dinic."""
    return (method != "dinic" and h._weights.dtype == np.int64 and h._network_size() <= _BATCH_MAX_NETWORK
            and _capacity_bound(h._weights, np.diff(h._edge_ptr)) < _mf.INT64_CAPACITY_LIMIT)


def _batch_vectors(hs: list["Hypergraph"], method: str = DEFAULT_METHOD) -> list[EntropyVector]:
    """Entropy vectors of ``hs``, with one kernel call per group of integer hypergraphs.

    Integer hypergraphs with the same number of parties (up to
    ``_BATCH_SIZE`` nodes and arcs per call) get one flow network, built in
    one call as their disjoint union and renumbered so that each one's nodes
    and arcs are contiguous, then one call of
    :func:`qinfo._kernels.maxflow.batch_cut_values` solves every subset of
    every one of them. The others (float, Fraction or huge weights, Dinic)
    are computed one at a time, as :meth:`Hypergraph.entropy_vector` does.
    """
    _method_code(method)
    out: list[EntropyVector | None] = [None] * len(hs)
    groups: dict[int, list[int]] = {}
    for k, h in enumerate(hs):
        h._check_size()
        if _batchable(h, method):
            groups.setdefault(h._n, []).append(k)
        else:
            out[k] = h.entropy_vector(method)
    for n, members in groups.items():
        start = 0
        while start < len(members):
            size, stop = 0, start
            while stop < len(members) and (stop == start or size < _BATCH_SIZE):
                size += hs[members[stop]]._network_size()
                stop += 1
            part = [hs[k] for k in members[start:stop]]
            values = _union_values(part, n, method)
            for j, k in enumerate(members[start:stop]):
                out[k] = hs[k]._vector(values[:, j])
            start = stop
    return out  # type: ignore[return-value]


def _union_values(part: list["Hypergraph"], n: int, method: str) -> np.ndarray:
    """S(mask) for every mask (rows) of each integer hypergraph of ``part`` (columns), in one kernel call."""
    n_v = np.array([h.n_vertices for h in part])
    v_off = np.concatenate([[0], np.cumsum(n_v)])
    e_off = np.concatenate([[0], np.cumsum([h._edge_verts.size for h in part])])
    ptr = np.concatenate([[0]] + [h._edge_ptr[1:] + e_off[k] for k, h in enumerate(part)])
    verts = np.concatenate([h._edge_verts + v_off[k] for k, h in enumerate(part)])
    weights = np.concatenate([h._weights for h in part])
    first, head, cap, rev, n_nodes = _mf.build_network(int(v_off[-1]), ptr, verts, 2 * weights, weights)
    # renumber: each hypergraph's vertices, then its hyperedge nodes, hypergraph after hypergraph
    sizes = np.diff(ptr)
    n_e = [h.n_edges for h in part]
    edge_of = np.repeat(np.arange(len(part)), n_e)
    comp = np.concatenate([np.repeat(np.arange(len(part)), n_v), np.repeat(edge_of[sizes > 3], 2)])
    order = np.argsort(comp, kind="stable")
    new_id = np.empty_like(order)
    new_id[order] = np.arange(order.size)
    tail = np.repeat(new_id, np.diff(first))
    perm = np.argsort(tail, kind="stable")
    where = np.empty_like(perm)
    where[perm] = np.arange(perm.size)
    node_ptr = np.concatenate([[0], np.cumsum(np.bincount(comp, minlength=len(part)))])
    arcs = np.bincount(comp[np.repeat(np.arange(n_nodes), np.diff(first))], minlength=len(part))
    arc_ptr = np.concatenate([[0], np.cumsum(arcs)])
    degree = np.diff(first)[order]
    # per-network CSR offsets (local arc numbers), each network's list closed by its arc count
    first_all = np.empty(n_nodes + len(part), np.int64)
    pos = np.arange(n_nodes) + np.repeat(np.arange(len(part)), np.diff(node_ptr))
    first_all[pos] = np.concatenate([[0], np.cumsum(degree)])[:-1] - np.repeat(arc_ptr[:-1], np.diff(node_ptr))
    first_all[node_ptr[1:] + np.arange(len(part))] = arcs
    arc_net = np.repeat(np.arange(len(part)), arcs)
    head_local = new_id[head[perm]] - node_ptr[arc_net]
    rev_local = where[rev[perm]] - arc_ptr[arc_net]
    party = np.concatenate([h._party for h in part])
    edge_off = np.concatenate([[0], np.cumsum(n_e)])
    values, _ = _mf.batch_cut_values(_mf.METHODS[method], first_all, head_local, cap[perm], rev_local, node_ptr,
                                     arc_ptr, party, v_off, n, np.int64(0), ptr, verts, weights, edge_off,
                                     float(_mf.AUGMENT_BUDGET))
    return values


def entropy_vectors(hypergraphs: Iterable[Hypergraph], *, executor: Executor | None = None,
                    progress: bool | None = None, method: str = DEFAULT_METHOD,
                    chunksize: int | None = None) -> list[EntropyVector]:
    """Entropy vectors of many hypergraphs, batched in the kernel, optionally on an executor.

    Parameters
    ----------
    hypergraphs : iterable of Hypergraph
        The models, in any number of parties.
    executor : concurrent.futures.Executor, optional
        Where to run (e.g. ``ProcessPoolExecutor`` or a dask client's
        ``client.get_executor()``); ``None`` runs here. Results do not depend
        on it.
    progress : bool, optional
        Show a progress bar; ``None`` (default): only when stderr is a terminal.
    method : {"augmenting_paths", "push_relabel", "dinic"}
        Max-flow algorithm.
    chunksize : int, optional
        Hypergraphs per batch: integer hypergraphs of one batch with the same
        number of parties are solved together in one kernel call, and each
        batch is one task for the executor (default: 250 without an
        executor, else about 16 tasks per call, at most 1000 hypergraphs
        each). The progress bar counts batches.

    Returns
    -------
    list of EntropyVector
        In the order of ``hypergraphs``.

    Examples
    --------
    >>> hs = [Hypergraph([(("a", "b"), w)], {"a": "A", "b": "O"}) for w in (1, 2)]
    >>> entropy_vectors(hs, progress=False)
    [EntropyVector(A=1), EntropyVector(A=2)]
    """
    hs = list(hypergraphs)
    for k, h in enumerate(hs):
        if not isinstance(h, Hypergraph):
            raise TypeError(f"hypergraphs[{k}] must be a Hypergraph, got {type(h).__name__}")
    _method_code(method)
    if chunksize is None:
        chunksize = min(1000, max(1, math.ceil(len(hs) / 16))) if executor is not None else 250
    check_int("chunksize", chunksize, 1)
    chunks = [hs[i:i + chunksize] for i in range(0, len(hs), chunksize)]
    done = parallel_map(partial(_batch_vectors, method=method), chunks, executor=executor,
                        progress=progress, desc="entropy vectors (batches)")
    return [v for chunk in done for v in chunk]


def random_hypergraph(n_parties: int, n_bulk: int, n_edges: int, *, sizes: tuple[int, int] = (2, 4),
                      weights: tuple[float, float] = (1, 10), integer: bool = True,
                      purifier: bool = True, seed=None) -> Hypergraph:
    """A random hypergraph with one boundary vertex per party.

    The vertices are the boundary vertices ``"A", "B", ...`` (and ``"O"``
    when ``purifier``) followed by the bulk vertices ``0, 1, ..., n_bulk-1``.
    Each hyperedge has a size drawn uniformly from ``sizes`` (inclusive) and
    distinct vertices drawn uniformly; the first hyperedges each contain one
    boundary vertex, so every boundary vertex is attached.

    Parameters
    ----------
    n_parties, n_bulk, n_edges : int
        Number of parties (besides O), bulk vertices and hyperedges.
    sizes : (int, int)
        Smallest and largest hyperedge size; ``(2, 2)`` gives a graph.
    weights : (float, float)
        Range of the weights: integers drawn uniformly from ``lo..hi``
        inclusive when ``integer``, else floats uniform on ``[lo, hi)``.
    integer : bool
        Integer or float weights.
    purifier : bool
        Add a boundary vertex for O.
    seed : None, int, SeedSequence or Generator
        Randomness.

    Examples
    --------
    >>> h = random_hypergraph(3, n_bulk=10, n_edges=20, seed=1)
    >>> h
    Hypergraph(14 vertices, 20 edges (hypergraph), parties ABC+O)
    >>> random_hypergraph(3, 10, 20, seed=1).entropy_vector() == h.entropy_vector()
    True
    """
    from qinfo._random import as_generator

    check_int("n_bulk", n_bulk, 0)
    check_int("n_edges", n_edges, 1)
    rng = as_generator(seed)
    names = list(party_letters(n_parties)) + ([PURIFIER] if purifier else [])
    lo, hi = sizes
    n_vertices = len(names) + n_bulk
    if not 2 <= lo <= hi:
        raise ValueError(f"sizes must be (lo, hi) with 2 <= lo <= hi, got {sizes}")
    if hi > n_vertices:
        raise ValueError(f"sizes: hyperedges of {hi} vertices need at least {hi} vertices, have {n_vertices}")
    if n_edges < len(names):
        raise ValueError(f"n_edges must be at least the {len(names)} boundary vertices, got {n_edges}")
    vertices: list[Any] = names + list(range(n_bulk))
    ks = rng.integers(lo, hi + 1, size=n_edges)
    if integer:
        ws = rng.integers(int(weights[0]), int(weights[1]) + 1, size=n_edges).tolist()
    else:
        ws = rng.uniform(weights[0], weights[1], size=n_edges).tolist()
    edges = []
    for e in range(n_edges):
        k = int(ks[e])
        if e < len(names):
            others = rng.choice(n_vertices - 1, size=k - 1, replace=False)
            members = [e] + [int(i) + (i >= e) for i in others]
        else:
            members = rng.choice(n_vertices, size=k, replace=False).tolist()
        edges.append((tuple(vertices[i] for i in members), ws[e]))
    return Hypergraph(edges, {c: c for c in names}, vertices=vertices)
