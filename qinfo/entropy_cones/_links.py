"""Topological link models of multipartite entanglement (arXiv:2109.01150).

The definition implemented here (one place, :meth:`LinkModel.entropy_vector`) is
our reading of the paper, not checked against its text:

- A link has components ``c_0 ... c_{m-1}``; each has a weight ``w > 0``
  (``math.inf`` makes a component uncuttable) and a label: a party letter
  (``A, B, ...``), the purifier ``O``, or ``None`` for bulk.
- For a set of parties ``I``, ``S(I)`` is the least total weight of a set
  ``K`` of components such that in the sublink ``L \\ K`` no non-split piece
  contains both a component labelled in ``I`` and one labelled outside ``I``
  (``O`` counts as outside). Labelled components may be cut too.
- The only topological input is the split decomposition of sublinks, given
  by the certified oracle of :mod:`qinfo.entropy_cones._link_oracle` or by a
  user-supplied function.

Entropies are in the units of the weights. Because feasibility of a cut is
upward closed (a sublink of a split link is split along the same sphere), the
cut sets are searched in order of increasing weight, and the first feasible
one is optimal for every party set it separates.

The vector obeys SA and AL for every link but can violate SSA (cutting one
component of a Brunnian piece frees the others); :meth:`LinkModel.entropy_vector`
then warns with :class:`NonQuantumVectorWarning`.

Split structures closed under sublinks are exactly those of links in S^3: the
Brunn-Debrunner-Kanenobu theorem (H. Debrunner, Duke Math. J. 28 (1961) 17-23;
T. Kanenobu, J. Math. Soc. Japan 38 (1986) 295-308; as stated by S. Dugowson,
arXiv:0804.4323).
"""

from __future__ import annotations

import heapq
import itertools
import math
import os
import warnings
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from qinfo._validate import check_int

from qinfo._optional import require
from qinfo.entropy_cones._link_oracle import (
    UNDETERMINED,
    LinkDiagram,
    SplitDecomposition,
    UnionFind,
    decompose,
    split_decomposition,
)
from qinfo.entropy_cones._records import check_keys, check_model, json_weight, load_record, require_key, save_record
from qinfo.entropy_cones._vectors import EntropyVector, party_letters, subset_masks

__all__ = ["LinkModel", "split_decomposition", "SplitDecomposition", "UndeterminedSplitError",
           "NonQuantumVectorWarning"]

#: Inequalities every quantum state obeys and that :meth:`LinkModel.entropy_vector` checks.
QUANTUM_CHECKS = ("SA", "AL", "SSA")
_MAX_CHECKED_COMPONENTS = 12  # from_split_function checks closure on all 2**m sublinks


class NonQuantumVectorWarning(UserWarning):
    """A link model's entropy vector violates SA, AL or SSA, so no quantum state has it.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     v = LinkModel.from_connectivity(4, [{0, 2}, {0, 3}, {2, 3}, {0, 1, 2, 3}], "ABCO",
    ...                                     [2, 3, 3, 2]).entropy_vector()
    >>> any(issubclass(w.category, NonQuantumVectorWarning) for w in caught)
    True
    """

SplitFunction = Callable[[frozenset], Iterable[Iterable[int]]]


class UndeterminedSplitError(RuntimeError):
    """The oracle could not decide a split question that the answer depends on.

    Parameters
    ----------
    sublink : frozenset of int
        The sublink asked about.
    piece : frozenset of int
        Its undetermined piece.
    parties : str
        The parties of that piece's components (what the entropy needed it for).

    Examples
    --------
    >>> err = UndeterminedSplitError(frozenset({0, 1}), frozenset({0, 1}), "AO")
    >>> isinstance(err, RuntimeError)
    True
    """

    def __init__(self, sublink: frozenset, piece: frozenset, parties: str):
        self.sublink, self.piece, self.parties = sublink, piece, parties
        super().__init__(
            f"cannot decide whether the sublink of components {sorted(piece)} (inside the sublink "
            f"{sorted(sublink)}) is split, and S({parties}) depends on it; pass "
            f"split_answers={{frozenset({sorted(piece)}): [[...], ...]}} to LinkModel with its decomposition"
        )


class LinkModel:
    """Entropy vectors of weighted, labelled links (min cuts over components).

    Parameters
    ----------
    link : PD code, spherogram.Link or str
        A PD code (list of 4-tuples), a ``spherogram.Link``, or a link-table
        name such as ``"L6a4"`` (the Borromean rings).
    labels : sequence
        One party letter (``"A"``, ``"B"``, ..., ``"O"``) or ``None`` (bulk)
        per component, in the link's component order (spherogram's
        ``Link.link_components``; for a PD code, the order of its edge labels).
    weights : sequence of float, optional
        Positive weight per component (default 1); ``math.inf`` means the
        component cannot be cut.
    split_answers : dict, optional
        Decompositions of sublinks that the oracle leaves undetermined,
        ``{frozenset(components): [[...], [...]]}``.

    Examples
    --------
    >>> LinkModel("L2a1", labels="AO", weights=[2, 3]).entropy_vector()   # Hopf link: a Bell pair
    EntropyVector(A=2)
    >>> LinkModel("L6a4", labels="ABO").entropy_vector()                  # Borromean rings: GHZ
    EntropyVector(A=1, B=1, AB=1)
    """

    def __init__(self, link, labels: Sequence[str | None], weights: Sequence[float] | None = None,
                 *, split_answers: Mapping | None = None):
        diagram = LinkDiagram.from_link(link)
        self._diagram = diagram
        answers = {frozenset(k): [frozenset(p) for p in v] for k, v in (split_answers or {}).items()}
        # what to_dict writes: the table name or the PD code as given, and the supplied answers
        if isinstance(link, str):
            spec = link
        else:  # a PD code as given (it fixes the component order), or a spherogram.Link's
            spec = [list(map(int, c)) for c in (link if isinstance(link, (list, tuple)) else diagram.pd)]
        self._spec = {"link": spec,
                      "split_answers": [[sorted(k), [sorted(p) for p in v]] for k, v in answers.items()]}
        self._init(diagram.n_components, labels, weights,
                   lambda comps: decompose(diagram, comps, supplied=answers))

    @classmethod
    def from_split_function(cls, n_components: int, split: SplitFunction, labels: Sequence[str | None],
                            weights: Sequence[float] | None = None) -> "LinkModel":
        """A link given only combinatorially, by its split decompositions.

        Parameters
        ----------
        n_components : int
            Components of the link.
        split : callable
            ``split(frozenset_of_components)`` returns the partition of that
            sublink into non-split pieces (an iterable of iterables).
        labels, weights
            As for :class:`LinkModel`.

        Raises
        ------
        ValueError
            If ``split`` does not return a partition, or its answers are not
            closed under sublinks: every sublink of a split link is split
            along the same sphere, so the pieces of ``S - {c}`` must each lie
            inside one piece of ``S``. All ``2**m`` sublinks are checked, so at
            most 12 components are accepted (build larger structures with
            :meth:`from_connectivity`, which is closed by construction).

        Examples
        --------
        >>> brunnian = lambda s: [s] if len(s) == 3 else [[c] for c in s]
        >>> LinkModel.from_split_function(3, brunnian, "ABO").entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        return cls._from_split(n_components, split, labels, weights, check=True)

    @classmethod
    def _from_split(cls, n_components, split, labels, weights, *, check: bool) -> "LinkModel":
        self = cls.__new__(cls)
        self._diagram = None
        self._spec = None  # a split function has no JSON form

        def oracle(comps: frozenset) -> SplitDecomposition:
            pieces = [frozenset(p) for p in split(comps)]
            if sorted(c for p in pieces for c in p) != sorted(comps) or any(not p for p in pieces):
                raise ValueError(f"split function returned {pieces!r}, not a partition of {sorted(comps)}")
            pieces.sort(key=min)
            return SplitDecomposition(comps, tuple(pieces), ("supplied",) * len(pieces))

        self._init(n_components, labels, weights, oracle)
        if check:
            _check_closed_under_sublinks(self)
        return self

    def _init(self, m: int, labels, weights, oracle) -> None:
        check_int("n_components", m, 1)
        labels = list(labels)
        if len(labels) != m:
            raise ValueError(f"labels has {len(labels)} entries but the link has {m} components "
                             f"(a label on a non-existent component, or a missing one)")
        for i, lab in enumerate(labels):
            if lab is not None and (not isinstance(lab, str) or len(lab) != 1 or not lab.isupper()):
                raise ValueError(f"labels[{i}] = {lab!r}: use a single capital letter, 'O' or None")
        parties = sorted({lab for lab in labels if lab not in (None, "O")})
        n = len(parties)
        if n == 0:
            raise ValueError("labels must name at least one party other than the purifier O")
        expected = party_letters(n)
        if "".join(parties) != expected:
            missing = next(c for c in expected if c not in parties)
            raise ValueError(f"parties must be {', '.join(expected)}; party {missing} has no component "
                             f"(labels use {', '.join(parties)})")
        if weights is None:
            weights = [1.0] * m
        weights = [float(w) for w in weights]
        if len(weights) != m:
            raise ValueError(f"weights has {len(weights)} entries but the link has {m} components")
        for i, w in enumerate(weights):
            if not (w > 0) or math.isnan(w):
                raise ValueError(f"weights[{i}] = {w!r}: weights must be positive (math.inf = uncuttable)")
        self._labels = labels
        self._weights = weights
        self._n_parties = n
        self._oracle = oracle
        self._cache: dict[frozenset, SplitDecomposition] = {}
        bit = {p: 1 << k for k, p in enumerate(expected)}
        bit["O"] = 1 << n
        self._party_bits = [bit.get(lab, 0) if lab is not None else 0 for lab in labels]

    # -- properties ---------------------------------------------------------------
    @property
    def n_components(self) -> int:
        return len(self._labels)

    @property
    def n_parties(self) -> int:
        return self._n_parties

    @property
    def labels(self) -> list:
        return list(self._labels)

    @property
    def weights(self) -> list:
        return list(self._weights)

    @property
    def diagram(self) -> LinkDiagram | None:
        """The diagram (None for models given by a split function)."""
        return self._diagram

    @property
    def decided(self) -> dict:
        """``{sublink: SplitDecomposition}`` for every sublink decided so far (a copy)."""
        return dict(self._cache)

    def __repr__(self) -> str:
        name = getattr(self._diagram, "name", None) if self._diagram else "split function"
        return f"LinkModel({name!r}, labels={self._labels!r}, weights={self._weights!r})"

    # -- topology -----------------------------------------------------------------
    def split_decomposition(self, components: Iterable[int] | None = None) -> SplitDecomposition:
        """Split decomposition of a sublink (cached per sublink).

        Parameters
        ----------
        components : iterable of int, optional
            The sublink (component indices); default the whole link.

        Returns
        -------
        SplitDecomposition

        Examples
        --------
        >>> LinkModel("L6a4", "ABO").split_decomposition([0, 2]).pieces
        (frozenset({0}), frozenset({2}))
        """
        comps = frozenset(range(self.n_components)) if components is None else frozenset(components)
        bad = [c for c in comps if not (isinstance(c, (int, np.integer)) and 0 <= c < self.n_components)]
        if bad:
            raise ValueError(f"components {bad} do not exist (the link has {self.n_components})")
        if comps not in self._cache:
            self._cache[comps] = self._oracle(comps) if comps else SplitDecomposition(comps, (), ())
        return self._cache[comps]

    # -- entropies ------------------------------------------------------------------
    def entropy_vector(self) -> EntropyVector:
        """Min-cut entropies of every non-empty set of parties (units of the weights).

        Raises
        ------
        UndeterminedSplitError
            When a split question the oracle cannot decide matters for the
            answer; the message names the sublink.

        Examples
        --------
        >>> LinkModel.hopf_chain("ABO").entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        n = self._n_parties
        masks = np.array(subset_masks(n), dtype=np.int64)
        result = np.full(masks.size, np.nan)
        everything = frozenset(range(self.n_components))
        o_bit = 1 << n
        for weight, cut in self._cuts_by_weight():
            decomposition = self.split_decomposition(everything - cut)
            open_ = np.flatnonzero(np.isnan(result))
            if open_.size == 0:
                break
            sub = masks[open_]
            mixed = np.zeros(sub.size, dtype=bool)
            maybe = np.zeros(sub.size, dtype=bool)
            for piece, reason in zip(decomposition.pieces, decomposition.reasons):
                pm = 0
                for c in piece:
                    pm |= self._party_bits[c]
                if pm == 0:
                    continue
                inside = (pm & sub) != 0
                outside = (pm & ~sub & ((1 << n) - 1 | o_bit)) != 0
                clash = inside & outside
                if reason == UNDETERMINED:
                    maybe |= clash
                else:
                    mixed |= clash
            ambiguous = maybe & ~mixed
            if ambiguous.any():
                k = int(np.flatnonzero(ambiguous)[0])
                label = "".join(p for i, p in enumerate(party_letters(n)) if sub[k] >> i & 1)
                piece = decomposition.undetermined[0]
                raise UndeterminedSplitError(decomposition.components, piece, label)
            result[open_[~mixed]] = weight
        if np.isnan(result).any():
            raise ValueError("some party sets cannot be separated by cutting components (they share "
                             "uncuttable non-split pieces); their entropy would be infinite")
        vector = EntropyVector(result)
        bad = _quantum_violations(vector)
        if bad:
            warnings.warn(f"this link model's entropy vector {vector} violates {len(bad)} instance(s) of "
                          f"{'/'.join(QUANTUM_CHECKS)}, e.g. {bad[0].inequality} (slack {bad[0].slack:g}); "
                          f"no quantum state has it (see LinkModel.is_quantum_consistent)",
                          NonQuantumVectorWarning, stacklevel=2)
        return vector

    def is_quantum_consistent(self) -> bool:
        """Whether the entropy vector obeys SA, AL and SSA (every quantum state does).

        Under the implemented definition a link vector can violate SSA (see
        the docs page *Topological link models*): removing a component can
        disconnect the others, which no cut of a graph or hypergraph does.

        Examples
        --------
        >>> LinkModel.borromean("ABO").is_quantum_consistent()
        True
        >>> gens = [{0, 2}, {0, 3}, {2, 3}, {0, 1, 2, 3}]   # B Brunnian with A, C, O
        >>> LinkModel.from_connectivity(4, gens, "ABCO", [2, 3, 3, 2]).is_quantum_consistent()
        False
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NonQuantumVectorWarning)
            vector = self.entropy_vector()
        return not _quantum_violations(vector)

    def _cuts_by_weight(self) -> Iterator[tuple[float, frozenset]]:
        """Every set of cuttable components, in order of non-decreasing total weight."""
        items = sorted((w, i) for i, w in enumerate(self._weights) if math.isfinite(w))
        heap: list = [(0.0, (), -1)]
        while heap:
            weight, chosen, last = heapq.heappop(heap)
            yield weight, frozenset(items[j][1] for j in chosen)
            nxt = last + 1
            if nxt < len(items):
                heapq.heappush(heap, (weight + items[nxt][0], chosen + (nxt,), nxt))
                if last >= 0:
                    heapq.heappush(heap, (weight - items[last][0] + items[nxt][0], chosen[:-1] + (nxt,), nxt))

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def from_hypergraph(cls, hypergraph) -> "LinkModel":
        """The Brunnian-link realisation of a hypergraph (given by its split decomposition).

        Each vertex becomes an uncuttable component carrying its party label;
        each hyperedge ``e`` of weight ``w`` becomes a component of weight
        ``w`` forming a Brunnian link with the components of its vertices. A
        sublink's pieces are then the connected components of the hyperedges
        whose component and vertices are all present, so the link's entropy
        vector equals the hypergraph's. Such links exist for every hypergraph
        by the Brunn-Debrunner-Kanenobu theorem (module docstring); only the
        split decomposition is used, no diagram is built.

        Parameters
        ----------
        hypergraph : Hypergraph
            Any hypergraph model; vertex parties become component labels.

        Examples
        --------
        >>> from qinfo.entropy_cones import Hypergraph
        >>> h = Hypergraph(edges=[(("a", "b", "c"), 2.0)], boundary={"a": "A", "b": "B", "c": "O"})
        >>> LinkModel.from_hypergraph(h).entropy_vector() == h.entropy_vector()
        True
        """
        vertices = list(hypergraph.vertices)
        index = {v: i for i, v in enumerate(vertices)}
        nv = len(vertices)
        labels = [hypergraph.boundary.get(v) for v in vertices] + [None] * hypergraph.n_edges
        weights = [math.inf] * nv + [float(w) for _, w in hypergraph.edges]
        generators = [{nv + k, *(index[v] for v in vs)} for k, (vs, _) in enumerate(hypergraph.edges)]
        return cls.from_connectivity(nv + hypergraph.n_edges, generators, labels, weights)

    @classmethod
    def from_connectivity(cls, n_components: int, generators: Iterable[Iterable[int]],
                          labels: Sequence[str | None],
                          weights: Sequence[float] | None = None) -> "LinkModel":
        """A link given by the non-split sublinks that generate its connectivity.

        A sublink's pieces are the connected components formed by the
        ``generators`` it contains in full (non-split sets that overlap merge;
        every other component is on its own). Every such connectivity structure
        is realised by some link in S^3 (Brunn-Debrunner-Kanenobu, see the
        module docstring); only the split decomposition is used. An explicit
        diagram, certified by the oracle, can be sought with
        :func:`qinfo.entropy_cones.realise_connectivity`.

        Parameters
        ----------
        n_components : int
            Components of the link.
        generators : iterable of iterable of int
            The generating non-split sublinks.
        labels : sequence of str or None
            A party letter or ``None`` (bulk) per component.
        weights : sequence of float, optional
            A positive weight per component (default 1).

        Examples
        --------
        >>> LinkModel.from_connectivity(3, [{0, 1, 2}], "ABO").entropy_vector()   # Brunnian: GHZ3
        EntropyVector(A=1, B=1, AB=1)
        """
        generators = [frozenset(g) for g in generators]
        for g in generators:
            if not g or not g <= set(range(n_components)):
                raise ValueError(f"generator {sorted(g)} must name components among 0..{n_components - 1}")

        def split(comps: frozenset) -> list[frozenset]:
            uf = UnionFind(comps)
            for g in generators:
                if g <= comps:
                    first, *rest = g
                    for c in rest:
                        uf.union(first, c)
            return uf.groups()

        model = cls._from_split(n_components, split, labels, weights, check=False)
        model._spec = {"connectivity": {"n_components": int(n_components),
                                        "generators": [sorted(map(int, g)) for g in generators]}}
        return model

    # -- the JSON form ------------------------------------------------------------
    def to_dict(self) -> dict:
        """The JSON form that ``qinfo entropy`` reads and :meth:`from_dict` inverts.

        Returns
        -------
        dict
            ``{"model": "link", "link": name or PD code, "labels": [...],
            "weights": [...]}`` (plus ``"split_answers"`` when some were
            supplied), or for :meth:`from_connectivity` models
            ``"connectivity": {"n_components": m, "generators": [[...], ...]}``
            in place of ``"link"``. Weights ``math.inf`` are written as JSON
            ``Infinity`` (which Python's json reads back).

        Raises
        ------
        TypeError
            For a model given by a split function (:meth:`from_split_function`),
            which has no JSON form.

        Examples
        --------
        >>> LinkModel("L2a1", labels="AO", weights=[2, 3]).to_dict()
        {'model': 'link', 'link': 'L2a1', 'labels': ['A', 'O'], 'weights': [2.0, 3.0]}
        >>> m = LinkModel.from_connectivity(3, [{0, 1, 2}], "ABO")
        >>> LinkModel.from_dict(m.to_dict()).entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        if self._spec is None:
            raise TypeError("to_dict: a LinkModel given by a split function has no JSON form; "
                            "build it with LinkModel(...) or LinkModel.from_connectivity(...)")
        out = {"model": "link"}
        if "link" in self._spec:
            out["link"] = self._spec["link"]
        else:
            out["connectivity"] = self._spec["connectivity"]
        out["labels"] = list(self._labels)
        out["weights"] = list(self._weights)
        if self._spec.get("split_answers"):
            out["split_answers"] = self._spec["split_answers"]
        return out

    @classmethod
    def from_dict(cls, obj: dict) -> "LinkModel":
        """The link model of a JSON form such as :meth:`to_dict` writes.

        Parameters
        ----------
        obj : dict
            ``"link"`` (a link-table name such as ``"L6a4"`` or a PD code, a
            list of ``[i, j, k, l]`` crossings) or ``"connectivity"``
            (``{"n_components": m, "generators": [[...], ...]}``);
            ``"labels"`` (a party letter or null per component); optional
            ``"weights"`` and ``"split_answers"`` (``[[components, [[piece], ...]], ...]``).

        Returns
        -------
        LinkModel

        Examples
        --------
        >>> LinkModel.from_dict({"model": "link", "link": "L6a4", "labels": ["A", "B", "O"]}).entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        check_model(obj, ("link",))
        check_keys(obj, {"model", "link", "connectivity", "labels", "weights", "split_answers"}, "link")
        labels = require_key(obj, "labels", "link")
        if not isinstance(labels, list) or not all(x is None or isinstance(x, str) for x in labels):
            raise ValueError('"labels" must be a list with a party letter or null per component')
        weights = obj.get("weights")
        if weights is not None:
            if not isinstance(weights, list):
                raise ValueError('"weights" must be a list with one number per component')
            weights = [json_weight(w, f"component {i}") for i, w in enumerate(weights)]
        if "connectivity" in obj:
            if "link" in obj or "split_answers" in obj:
                raise ValueError('give "link" or "connectivity", not both (and split_answers only with a link)')
            conn = obj["connectivity"]
            if not (isinstance(conn, dict) and set(conn) == {"n_components", "generators"}
                    and isinstance(conn["generators"], list)):
                raise ValueError('"connectivity" must be {"n_components": m, "generators": [[...], ...]}')
            return cls.from_connectivity(conn["n_components"], conn["generators"], labels, weights)
        link = require_key(obj, "link", "link")
        if isinstance(link, list):
            if not all(isinstance(c, list) and len(c) == 4 and
                       all(isinstance(x, int) and not isinstance(x, bool) for x in c) for c in link):
                raise ValueError('"link" as a PD code must be a list of [i, j, k, l] integer crossings')
            link = [tuple(c) for c in link]
        elif not isinstance(link, str):
            raise ValueError('"link" must be a link-table name such as "L6a4" or a PD code')
        answers = obj.get("split_answers") or []
        if not isinstance(answers, list) or not all(isinstance(a, list) and len(a) == 2 for a in answers):
            raise ValueError('"split_answers" must be a list of [components, pieces] pairs')
        return cls(link, labels, weights, split_answers={frozenset(k): v for k, v in answers})

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
        >>> m = LinkModel.from_connectivity(3, [{0, 1}, {1, 2}], "ABO")
        >>> LinkModel.load(m.save(pathlib.Path(tempfile.mkdtemp()) / "chain.json")).entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        return save_record(self.to_dict(), path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "LinkModel":
        """Read a link-model file written by :meth:`save` (see :meth:`from_dict`).

        Parameters
        ----------
        path : str or path-like
            A JSON file.

        Returns
        -------
        LinkModel

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "hopf.json"
        >>> _ = p.write_text('{"model": "link", "link": "L2a1", "labels": ["A", "O"], "weights": [2, 3]}')
        >>> LinkModel.load(p).entropy_vector()
        EntropyVector(A=2)
        """
        return load_record(path, cls.from_dict)

    @classmethod
    def hopf_chain(cls, labels: Sequence[str | None], weights: Sequence[float] | None = None) -> "LinkModel":
        """A linear chain of rings, each Hopf-linked to the next (closure of σ1² σ2² ... ).

        Parameters
        ----------
        labels : sequence of str or None
            A party letter or ``None`` (bulk) per component.
        weights : sequence of float, optional
            A positive weight per component (default 1).

        Examples
        --------
        >>> LinkModel.hopf_chain("AO").entropy_vector()
        EntropyVector(A=1)
        >>> LinkModel.hopf_chain(["A", None, "O"], weights=[1, 2, 3]).entropy_vector()
        EntropyVector(A=1)
        """
        n = len(labels)
        if n < 2:
            raise ValueError(f"a Hopf chain needs at least 2 components, got {n} labels")
        word = [g for i in range(1, n) for g in (i, i)]
        pd = braid_closure(word)
        # spherogram numbers the components in its own order: walk the chain by linking numbers
        diagram = LinkDiagram.from_link(pd)
        linked = {i: [j for j in range(n) if j != i and diagram.linking_number(i, j)] for i in range(n)}
        order = [next(i for i in range(n) if len(linked[i]) == 1)]
        while len(order) < n:
            order.append(next(j for j in linked[order[-1]] if j not in order))
        position = {comp: k for k, comp in enumerate(order)}
        labels = list(labels)
        weights = None if weights is None else list(weights)
        return cls(pd, [labels[position[c]] for c in range(n)],
                   None if weights is None else [weights[position[c]] for c in range(n)])

    @classmethod
    def borromean(cls, labels: Sequence[str | None] = "ABO", weights: Sequence[float] | None = None) -> "LinkModel":
        """The Borromean rings, ``L6a4``.

        Parameters
        ----------
        labels : sequence of str or None
            A party letter or ``None`` (bulk) per component.
        weights : sequence of float, optional
            A positive weight per component (default 1).

        Examples
        --------
        >>> LinkModel.borromean("ABO").entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        return cls("L6a4", labels, weights)

    @classmethod
    def whitehead(cls, labels: Sequence[str | None] = "AO", weights: Sequence[float] | None = None) -> "LinkModel":
        """The Whitehead link, ``L5a1`` (linking number 0, yet non-split).

        Parameters
        ----------
        labels : sequence of str or None
            A party letter or ``None`` (bulk) per component.
        weights : sequence of float, optional
            A positive weight per component (default 1).

        Examples
        --------
        >>> LinkModel.whitehead("AO").entropy_vector()
        EntropyVector(A=1)
        """
        return cls("L5a1", labels, weights)

    @classmethod
    def brunnian(cls, labels: Sequence[str | None], weights: Sequence[float] | None = None) -> "LinkModel":
        """An n-component Brunnian link: non-split, but every proper sublink is totally split.

        Built as the closure of the iterated commutator
        ``[[[σ1², σ2²], σ3²], ...]`` of pure braids: deleting any strand
        trivialises one factor and with it the whole commutator. The oracle
        certifies every answer: for n = 3 the whole link is non-split by its
        Alexander polynomial; for n >= 4 that polynomial vanishes and the
        Alexander module coranks decide it (see
        :mod:`qinfo.entropy_cones._link_oracle`); proper sublinks are certified
        split by simplification.

        Parameters
        ----------
        labels : sequence of str or None
            A party letter or ``None`` (bulk) per component.
        weights : sequence of float, optional
            A positive weight per component (default 1).

        Examples
        --------
        >>> LinkModel.brunnian("ABCO").entropy_vector()
        EntropyVector(A=1, B=1, C=1, AB=1, AC=1, BC=1, ABC=1)
        """
        n = len(labels)
        if n < 2:
            raise ValueError(f"a Brunnian link needs at least 2 components, got {n} labels")
        word = [1, 1]
        for i in range(2, n):
            gen = [i, i]
            word = word + gen + [-g for g in reversed(word)] + [-g for g in reversed(gen)]
        return cls(braid_closure(word), labels, weights)

    # -- pictures ---------------------------------------------------------------------
    def draw(self, ax=None, *, colors: Mapping[str, str] | None = None):
        """Draw the link diagram with components coloured by party.

        Uses spherogram's orthogonal planar layout (no Tk window); the under
        strand is broken at each crossing. Returns the matplotlib Axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw; a new figure by default.
        colors : mapping, optional
            ``{party: matplotlib colour}``, overriding the default palette.

        Examples
        --------
        >>> ax = LinkModel.borromean("ABO").draw()
        >>> sorted(t.get_text() for t in ax.get_legend().get_texts())
        ['A', 'B', 'O']
        """
        import matplotlib.pyplot as plt
        OrthogonalLinkDiagram = require("spherogram.links.orthogonal", feature="LinkModel.draw").OrthogonalLinkDiagram

        if self._diagram is None:
            raise ValueError("a model given by a split function has no diagram to draw")
        if ax is None:
            _, ax = plt.subplots(figsize=(4, 4))
        verts, arrows, crosses = OrthogonalLinkDiagram(self._diagram.link.copy()).plink_data()[:3]
        verts = np.asarray(verts, dtype=float)
        chain = _arrow_chains(arrows)
        chain_comp: dict[int, int] = {}
        for under, over, _, label in crosses:
            chain_comp[chain[under]] = self._diagram.under[label]
            chain_comp[chain[over]] = self._diagram.over[label]
        palette = dict(colors or {})
        cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        color_of = []
        for a in range(len(arrows)):
            lab = self._labels[chain_comp.get(chain[a], 0)]
            key = "bulk" if lab is None else lab
            if key not in palette:
                palette[key] = "0.55" if lab is None else cycle[len(palette) % len(cycle)]
            color_of.append(palette[key])
        for a, (i, j) in enumerate(arrows):
            ax.plot(*verts[[i, j]].T, color=color_of[a], lw=2.5, solid_capstyle="round", zorder=2)
        for under, over, *_ in crosses:
            (i, j), (k, l) = arrows[under], arrows[over]
            p = _intersection(verts[i], verts[j], verts[k], verts[l])
            if p is not None:
                ax.plot(*p, "o", color="white", ms=10, zorder=3)
                ax.plot(*verts[[k, l]].T, color=color_of[over], lw=2.5, zorder=4)
        handles = [plt.Line2D([], [], color=c, lw=2.5, label=k) for k, c in sorted(palette.items())]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 1), fontsize=8, frameon=False)
        ax.set_aspect("equal")
        ax.axis("off")
        return ax


def _quantum_violations(vector: EntropyVector) -> list:
    from qinfo.entropy_cones._catalogue import catalogue
    from qinfo.entropy_cones._cones import violations

    # with fewer parties than an inequality has, its instances reduce to the smaller ones
    # (SSA on A, B, O is Araki-Lieb; one party and the purifier only have S_A = S_O >= 0)
    names = [x for x in QUANTUM_CHECKS if catalogue.entry(x).n_parties <= vector.n_parties]
    if not names:
        return []
    return violations(vector, names, atol=1e-9 * max(1.0, float(np.max(vector.values))))


def _check_closed_under_sublinks(model: "LinkModel") -> None:
    """Raise ValueError unless each ``split(S - {c})`` refines ``split(S)`` restricted to ``S - {c}``."""
    m = model.n_components
    if m > _MAX_CHECKED_COMPONENTS:
        raise ValueError(f"n_components = {m}: from_split_function checks its data on all 2**m sublinks "
                         f"and accepts at most {_MAX_CHECKED_COMPONENTS} components; use "
                         f"LinkModel.from_connectivity for larger structures")
    for r in range(2, m + 1):
        for comps in map(frozenset, itertools.combinations(range(m), r)):
            whole = model.split_decomposition(comps)
            for c in comps:
                for sub_piece in model.split_decomposition(comps - {c}).pieces:
                    if not sub_piece <= whole.piece_of(next(iter(sub_piece))):
                        raise ValueError(
                            f"split: the split data are not closed under sublinks: "
                            f"{sorted(sub_piece)} is non-split inside {sorted(comps - {c})}, but "
                            f"{sorted(comps)} splits into {[sorted(p) for p in whole.pieces]}, which "
                            f"separates it (a sublink of a split link is split along the same sphere)")


def braid_closure(word: Sequence[int]) -> list:
    spherogram = require("spherogram", feature="braid closures")

    return [tuple(c) for c in spherogram.Link(braid_closure=list(word)).PD_code()]


def _arrow_chains(arrows) -> list[int]:
    """Index of the closed chain (one per link component) each plink arrow belongs to."""
    starting = {}
    for a, (i, _) in enumerate(arrows):
        starting[i] = a
    chain = [-1] * len(arrows)
    for start in range(len(arrows)):
        a, c = start, start
        while chain[a] < 0:
            chain[a] = c
            a = starting.get(arrows[a][1], a)
    return chain


def _intersection(p1, p2, p3, p4):
    d1, d2 = p2 - p1, p4 - p3
    den = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(den) < 1e-12:
        return None
    t = ((p3[0] - p1[0]) * d2[1] - (p3[1] - p1[1]) * d2[0]) / den
    return p1 + t * d1
