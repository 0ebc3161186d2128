"""Proofs of entropy inequalities by contraction maps.

An inequality ``sum_l alpha_l S(I_l) >= sum_r beta_r S(J_r)`` holds for every
graph model if there is a map ``f: {0,1}^L -> {0,1}^R`` that

- sends the occurrence vector ``x^(i)`` of every party ``i`` (``x_l = [i in I_l]``)
  to its right-hand occurrence vector ``y^(i)``, and the purifier's all-zero
  vector to zero, and
- contracts weighted Hamming distances, ``d_beta(f(x), f(x')) <= d_alpha(x, x')``
  (it suffices to check the edges of the hypercube)

(Bao et al., arXiv:1505.07839). For hypergraphs whose hyperedges have at most
``k`` vertices the pair condition is replaced by the ``k``-point condition of
arXiv:2002.05317: for every set ``X`` of at most ``k`` points, the beta-weight
of the coordinates on which ``f(X)`` is not constant is at most the
alpha-weight of the coordinates on which ``X`` is not constant.

This module holds the certificate: :class:`ContractionMap`, in the JSON form
of the ``hec`` data (``qinfo/data/hec/c*.json``), and
:func:`check_contraction`, which verifies one without any solver, plus the
bit and subcube helpers the SAT encoding (``_sat``) shares with it.
:func:`~qinfo.entropy_cones.prove` (in ``_prove``) searches for such a map.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import math
import os
from fractions import Fraction
from math import gcd
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from qinfo._validate import check_int

from .._inequalities import Inequality, infer_n_parties
from .._vectors import PURIFIER, party_letters, parse_subset

__all__ = ["ContractionMap", "check_contraction", "MODELS", "MAX_SUBCUBE_L", "TOL", "as_inequality",
           "check_model", "for_inequality", "integer_sides", "json_number", "bit_string", "format_count", "n_point_sets", "vertex_bits", "subcube_excess",
           "violated_subcubes", "subcube_of", "subcube_vertices"]

MODELS = ("graph", "hypergraph")
_MAX_TERMS = 22  # 2**22 hypercube vertices is the most we store
TOL = 1e-9


# -- the certificate ----------------------------------------------------------------
class ContractionMap:
    """A map ``f: {0,1}^L -> {0,1}^R`` between the hypercubes of an inequality's two sides.

    Parameters
    ----------
    lhs, rhs : sequence of (str, float)
        The terms ``(subset label, coefficient)`` of each side, in the order of
        the hypercube coordinates. Labels may repeat (the ``hec`` data writes a
        right-hand term with coefficient 2 as two unit terms) and may contain
        the purifier ``O`` (read by purity).
    images : sequence of str or array_like
        ``2**L`` images, one per vertex ``x`` of the left hypercube, indexed
        little-endian (``x = sum_l x_l 2**l``, so coordinate ``l`` of vertex
        ``x`` is ``x >> l & 1``). Each image is a bit string of length ``R``
        whose ``r``-th character is the coordinate of the ``r``-th
        right-hand term, or a 0/1 array of shape ``(2**L, R)``.
    n_parties : int, optional
        N, not counting the purifier. Inferred from the highest party letter
        in the labels when omitted.

    Attributes
    ----------
    lhs, rhs : tuple of (str, float)
    images : numpy.ndarray
        Read-only ``uint8`` array of shape ``(2**L, R)``.
    n_parties : int

    Raises
    ------
    ValueError
        If the number or the length of the images does not match the terms,
        an image is not made of 0 and 1, or a coefficient is not positive.

    Examples
    --------
    The contraction that proves subadditivity ``S_A + S_B >= S_AB``:

    >>> f = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
    >>> f.image("10")     # the occurrence vector of A maps to that of A on the right
    '1'
    >>> f.check("graph")
    True
    >>> print(f.inequality())
    S_A + S_B >= S_AB
    """

    __slots__ = ("_lhs", "_rhs", "_images", "_n", "_mask_pair")

    def __init__(self, lhs: Sequence[tuple[str, float]], rhs: Sequence[tuple[str, float]],
                 images: Sequence[str] | np.ndarray, *, n_parties: int | None = None):
        self._lhs = _read_terms(lhs, "lhs")
        self._rhs = _read_terms(rhs, "rhs")
        if len(self._lhs) > _MAX_TERMS:
            raise ValueError(f"lhs has {len(self._lhs)} terms; at most {_MAX_TERMS} are supported "
                             f"(the map has 2**L images)")
        labels = [lab for lab, _ in self._lhs + self._rhs]
        self._n = infer_n_parties(labels) if n_parties is None else int(n_parties)
        full = (1 << self._n) - 1
        masks = []
        for lab in labels:  # raises ValueError naming a bad label
            mask, purifier = parse_subset(lab, self._n)
            masks.append(full & ~mask if purifier else mask)
        self._mask_pair = (masks[:len(self._lhs)], masks[len(self._lhs):])
        self._images = _read_images(images, len(self._lhs), len(self._rhs))

    # -- access ---------------------------------------------------------------------
    @property
    def lhs(self) -> tuple[tuple[str, float], ...]:
        return self._lhs

    @property
    def rhs(self) -> tuple[tuple[str, float], ...]:
        return self._rhs

    @property
    def images(self) -> np.ndarray:
        return self._images

    @property
    def n_parties(self) -> int:
        return self._n

    def image(self, x: str | int) -> str:
        """The image of a vertex, given as a bit string in lhs order or as its index.

        Parameters
        ----------
        x : str or int
            The vertex: ``L`` bits in lhs order (``"10"``: coordinate 0 is 1),
            or its little-endian index ``sum_l x_l 2**l``.

        Returns
        -------
        str
            Its image, ``R`` bits in rhs order.

        Examples
        --------
        >>> ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"]).image(3)
        '0'
        """
        if isinstance(x, str):
            if len(x) != len(self._lhs) or set(x) - {"0", "1"}:
                raise ValueError(f"x must be a bit string of length {len(self._lhs)}, got {x!r}")
            x = sum(1 << l for l, ch in enumerate(x) if ch == "1")
        if not 0 <= int(x) < len(self._images):
            raise ValueError(f"x must be a vertex index in [0, {len(self._images)}), got {x}")
        return bit_string(self._images[int(x)])

    def occurrence_vectors(self) -> dict[str, tuple[str, str]]:
        """``{party: (x, y)}``: each party's occurrence vectors on the two sides, as bit strings.

        The purifier ``O`` occurs in no term (labels are read by purity), so
        its vectors are all zeros.

        Examples
        --------
        >>> f = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
        >>> f.occurrence_vectors()
        {'A': ('10', '1'), 'B': ('01', '1'), 'O': ('00', '0')}
        """
        lhs_masks, rhs_masks = self._masks()
        out = {}
        for i, party in enumerate(party_letters(self._n) + PURIFIER):
            out[party] = (bit_string([(m >> i) & 1 for m in lhs_masks]),
                          bit_string([(m >> i) & 1 for m in rhs_masks]))
        return out

    def inequality(self):
        """The :class:`~qinfo.entropy_cones.Inequality` this map proves.

        Examples
        --------
        >>> f = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
        >>> print(f.inequality())
        S_A + S_B >= S_AB
        """
        return Inequality(_sum_terms(self._lhs), _sum_terms(self._rhs), n_parties=self._n)

    # -- checking -------------------------------------------------------------------
    def failures(self, model: str = "graph", max_edge_size: int | None = None,
                 limit: int | None = 10) -> list[str]:
        """Why this map is not a contraction for ``model``; empty if it is one.

        Checks the boundary conditions (each party's occurrence vector, the
        purifier's included, maps to its right-hand occurrence vector), the
        contraction of every hypercube edge, and for ``model="hypergraph"``
        the ``k``-point condition on every set of 3 to ``k`` vertices
        (``k = max_edge_size``). ``None`` means hyperedges of any size, i.e.
        sets of any number of the ``2**L`` vertices; the condition on a set
        depends only on the subcube it spans and is hardest on the whole
        subcube, so the ``3**L`` subcubes are checked instead.

        Parameters
        ----------
        model : {"graph", "hypergraph"}
            The models the map should prove the inequality for.
        max_edge_size : int, optional
            Largest hyperedge size ``k`` (hypergraph model only).
        limit : int or None
            Stop after this many failures (``None``: list them all).

        Returns
        -------
        list of str
            One sentence per failure, naming the party or vertices.

        Examples
        --------
        >>> f = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "0", "0"])
        >>> f.failures()
        ['boundary condition of party B: its occurrence vector x = 01 (vertex 2) must map to y = 1, the map sends it to 0']
        """
        k = check_model(model, max_edge_size)
        return _failures(self, k, limit)

    def check(self, model: str = "graph", max_edge_size: int | None = None) -> bool:
        """Whether this map is a contraction for ``model`` (see :meth:`failures`).

        Parameters
        ----------
        model : {"graph", "hypergraph"}
            The models the map should prove the inequality for.
        max_edge_size : int, optional
            Largest hyperedge size ``k`` (hypergraph model only; ``None``: any size).

        Returns
        -------
        bool

        Examples
        --------
        >>> ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"]).check("hypergraph")
        True
        """
        return not self.failures(model, max_edge_size, limit=1)

    def plot(self, ax=None):
        """Draw the map on the left hypercube (``L <= 4``): each vertex shows ``x -> f(x)``.

        Vertices carrying a boundary condition are filled and named by their
        parties; edges are labelled by their lhs term (at the origin).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Where to draw; a new figure by default.

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> f = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
        >>> ax = f.plot()
        >>> ax.get_title()
        'S_A + S_B >= S_AB'
        """
        from ._plot import plot_map

        return plot_map(self, ax)

    # -- input/output ---------------------------------------------------------------
    def to_dict(self, *, packed: bool = False) -> dict[str, Any]:
        """The ``hec`` JSON form: ``{"lhs": [[label, c], ...], "rhs": [...], "images": [...]}``.

        Parameters
        ----------
        packed : bool
            Store the images packed into bits instead (``numpy.packbits``,
            little-endian bit order, row-major ``(2**L, R)``, base64, under
            ``"bits"``, with ``"n_parties"``): about a sixth of the size, the
            form of :func:`~qinfo.entropy_cones.prove_many`'s resume files.

        Returns
        -------
        dict
            Read back by :meth:`from_dict`.

        Examples
        --------
        >>> f = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
        >>> f.to_dict()
        {'lhs': [['A', 1], ['B', 1]], 'rhs': [['AB', 1]], 'images': ['0', '1', '1', '0']}
        >>> f.to_dict(packed=True)
        {'lhs': [['A', 1], ['B', 1]], 'rhs': [['AB', 1]], 'n_parties': 2, 'bits': 'Bg=='}
        """
        lhs = [[lab, json_number(c)] for lab, c in self._lhs]
        rhs = [[lab, json_number(c)] for lab, c in self._rhs]
        if packed:
            bits = np.packbits(self._images.reshape(-1), bitorder="little")
            return {"lhs": lhs, "rhs": rhs, "n_parties": self._n,
                    "bits": base64.b64encode(bits.tobytes()).decode("ascii")}
        return {"lhs": lhs, "rhs": rhs, "images": [bit_string(row) for row in self._images]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], n_parties: int | None = None) -> "ContractionMap":
        """Build from the ``hec`` JSON form or the packed form (see :meth:`to_dict`).

        Parameters
        ----------
        data : mapping
            With keys ``lhs``, ``rhs`` (lists of ``[label, coefficient]``) and
            ``images`` (bit strings), or ``bits`` and ``n_parties`` (the
            packed form, as in the ``certificate`` of a
            :func:`~qinfo.entropy_cones.prove_many` record).
        n_parties : int, optional
            N, not counting the purifier (inferred from the labels when
            omitted; the packed form records it).

        Returns
        -------
        ContractionMap

        Raises
        ------
        ValueError
            If a key is missing, or the packed bits do not fit ``2**L`` images of ``R`` bits.

        Examples
        --------
        >>> ContractionMap.from_dict({"lhs": [["A", 1], ["B", 1]], "rhs": [["AB", 1]],
        ...                           "images": ["0", "1", "1", "0"]}).check()
        True
        >>> ContractionMap.from_dict({"lhs": [["A", 1], ["B", 1]], "rhs": [["AB", 1]], "n_parties": 2,
        ...                           "bits": "Bg=="}).image("10")
        '1'
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"data must be a mapping with keys lhs, rhs, images; got {type(data).__name__}")
        images_key = "bits" if "bits" in data and "images" not in data else "images"
        missing = [k for k in ("lhs", "rhs", images_key) if k not in data]
        if missing:
            raise ValueError(f"data is missing the key(s) {', '.join(missing)}")
        lhs, rhs = [tuple(t) for t in data["lhs"]], [tuple(t) for t in data["rhs"]]
        if images_key == "images":
            return cls(lhs, rhs, data["images"], n_parties=n_parties)
        L, R = len(lhs), len(rhs)
        raw = np.frombuffer(base64.b64decode(data["bits"]), dtype=np.uint8)
        if raw.size != ((1 << L) * R + 7) // 8:
            raise ValueError(f"packed certificate has {raw.size} bytes; 2**{L} images of {R} bits need "
                             f"{((1 << L) * R + 7) // 8}")
        bits = np.unpackbits(raw, bitorder="little", count=(1 << L) * R).reshape(1 << L, R)
        return cls(lhs, rhs, bits, n_parties=data.get("n_parties", n_parties) if n_parties is None else n_parties)

    def save(self, path: str | os.PathLike) -> None:
        """Write this certificate to a JSON file (one object, the ``hec`` form).

        Parameters
        ----------
        path : str or os.PathLike
            The file to write (replaced if it exists).

        Examples
        --------
        >>> import os, tempfile
        >>> f = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
        >>> path = os.path.join(tempfile.mkdtemp(), "sa.json")
        >>> f.save(path)
        >>> ContractionMap.load(path) == f
        True
        """
        with open(path, "w") as fh:
            json.dump(self.to_dict(), fh)
            fh.write("\n")

    @classmethod
    def load(cls, path: str | os.PathLike, n_parties: int | None = None) -> "ContractionMap":
        """Read a certificate written by :meth:`save` (a JSON object).

        A file holding a list of certificates (like ``qinfo/data/hec/c5.json``)
        is read with :meth:`load_all`.

        Parameters
        ----------
        path : str or os.PathLike
            A JSON file holding one certificate object.
        n_parties : int, optional
            N, not counting the purifier (inferred from the labels when omitted).

        Returns
        -------
        ContractionMap

        Raises
        ------
        ValueError
            If the file holds a list of certificates.

        Examples
        --------
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "sa.json")
        >>> ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"]).save(path)
        >>> ContractionMap.load(path).check()
        True
        """
        with open(path) as fh:
            data = json.load(fh)
        if isinstance(data, list):
            raise ValueError(f"{os.fspath(path)!r} holds a list of {len(data)} certificates; "
                             f"read it with ContractionMap.load_all")
        return cls.from_dict(data, n_parties)

    @classmethod
    def load_all(cls, path: str | os.PathLike, n_parties: int | None = None) -> list["ContractionMap"]:
        """Read every certificate in a JSON file (a list of objects, or one object).

        Parameters
        ----------
        path : str or os.PathLike
            A JSON file in the ``hec`` form, such as ``qinfo/data/hec/c5.json``.
        n_parties : int, optional
            N for every certificate (inferred from each one's labels when omitted).

        Returns
        -------
        list of ContractionMap

        Examples
        --------
        >>> import importlib.resources
        >>> maps = ContractionMap.load_all(importlib.resources.files("qinfo") / "data" / "hec" / "c3.json")
        >>> [f.check("graph") for f in maps]
        [True, True]
        """
        with open(path) as fh:
            data = json.load(fh)
        items = data if isinstance(data, list) else [data]
        return [cls.from_dict(d, n_parties) for d in items]

    @staticmethod
    def save_all(maps: Iterable["ContractionMap"], path: str | os.PathLike) -> None:
        """Write several certificates to one JSON file (a list), as in ``qinfo/data/hec``.

        Parameters
        ----------
        maps : iterable of ContractionMap
            The certificates, one line each in the file.
        path : str or os.PathLike
            The file to write (replaced if it exists).

        Examples
        --------
        >>> import os, tempfile
        >>> f = ContractionMap([("A", 1), ("B", 1)], [("AB", 1)], ["0", "1", "1", "0"])
        >>> path = os.path.join(tempfile.mkdtemp(), "maps.json")
        >>> ContractionMap.save_all([f, f], path)
        >>> len(ContractionMap.load_all(path))
        2
        """
        data = [m.to_dict() for m in maps]
        with open(path, "w") as fh:
            fh.write("[\n" + ",\n".join("  " + json.dumps(d) for d in data) + "\n]\n")

    # -- dunder ---------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ContractionMap):
            return NotImplemented
        return (self._lhs == other._lhs and self._rhs == other._rhs
                and np.array_equal(self._images, other._images))

    def __hash__(self) -> int:
        return hash((self._lhs, self._rhs, self._images.tobytes()))

    def __repr__(self) -> str:
        return (f"ContractionMap(L={len(self._lhs)}, R={len(self._rhs)}, n_parties={self._n}, "
                f"proves {str(self.inequality())!r})")

    # -- internals ------------------------------------------------------------------
    def _masks(self) -> tuple[list[int], list[int]]:
        """Party bit masks of the terms, purifier labels read by purity (parsed once, in ``__init__``)."""
        return list(self._mask_pair[0]), list(self._mask_pair[1])

    def _weights(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.array([c for _, c in self._lhs], dtype=float),
                np.array([c for _, c in self._rhs], dtype=float))


def check_contraction(certificate: ContractionMap, inequality=None, model: str = "graph",
                      max_edge_size: int | None = None) -> bool:
    """Verify a contraction-map certificate without any solver.

    Parameters
    ----------
    certificate : ContractionMap
        The map to check.
    inequality : Inequality or str, optional
        The inequality the certificate should prove. It must equal the
        certificate's own (:meth:`ContractionMap.inequality`) up to a positive
        factor, after lifting both to the larger number of parties; omitted,
        the certificate's own inequality is used.
    model : {"graph", "hypergraph"}
        The models the certificate should prove the inequality for.
    max_edge_size : int, optional
        Largest hyperedge size for the hypergraph model (``None``: any size).

    Returns
    -------
    bool
        True if the boundary conditions hold and the map contracts (hypercube
        edges for graphs; every set of up to ``max_edge_size`` vertices for
        hypergraphs). :meth:`ContractionMap.failures` says why not.

    Raises
    ------
    ValueError
        If the certificate is for a different inequality (the message shows both).

    Examples
    --------
    >>> import importlib.resources
    >>> maps = ContractionMap.load_all(importlib.resources.files("qinfo") / "data" / "hec" / "c3.json")
    >>> check_contraction(maps[1], "S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC")
    True
    >>> check_contraction(maps[1], "S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", model="hypergraph")
    False
    """
    if not isinstance(certificate, ContractionMap):
        raise TypeError(f"certificate must be a ContractionMap, got {type(certificate).__name__}")
    k = check_model(model, max_edge_size)
    cert = certificate if inequality is None else for_inequality(certificate, inequality)
    return not _failures(cert, k, limit=1)


def for_inequality(cert: ContractionMap, inequality) -> ContractionMap:
    """``cert`` read with as many parties as ``inequality``; ValueError if it proves another inequality.

    The inequality the map proves (:meth:`ContractionMap.inequality`) must be
    ``inequality`` times a positive factor, both lifted to the larger number of parties.
    """
    ineq = as_inequality(inequality)
    own = cert.inequality()
    if own.n_parties == ineq.n_parties == cert.n_parties and np.array_equal(own.coefficients, ineq.coefficients):
        return cert  # the common case: the very same inequality
    n = max(own.n_parties, ineq.n_parties)
    a, b = (x.coefficients if x.n_parties == n else x.lift(n).coefficients for x in (own, ineq))
    # both scaled to a largest entry of 1 first, so that the dot products cannot overflow
    a, b = (v / np.abs(v).max() if np.any(v) else v for v in (a, b))
    scale = float(a @ b) / float(b @ b) if np.any(b) else 1.0
    # np.allclose(a, scale * b, atol=1e-9) written out (it costs more than the rest here); every
    # entry is finite once scale is
    if not (math.isfinite(scale) and scale > 0 and (np.sign(a) == np.sign(b)).all()
            and (np.abs(a - scale * b) <= 1e-9 + 1e-5 * np.abs(scale * b)).all()):
        raise ValueError(f"certificate proves {own} but inequality is {ineq}")
    if n != cert.n_parties:
        if any(PURIFIER in lab for lab, _ in cert.lhs + cert.rhs):
            raise ValueError(f"certificate has {cert.n_parties} parties and labels with the purifier O, "
                             f"which mean other sets among {n} parties; build it with n_parties={n}")
        cert = ContractionMap(cert.lhs, cert.rhs, cert.images, n_parties=n)
    return cert


def integer_sides(inequality) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The two sides of ``inequality`` as ``(label, coefficient)`` with coprime integer coefficients.

    Raises
    ------
    ValueError
        If a coefficient is not, up to float rounding, a ratio of integers with
        denominator at most 10**6 (e.g. ``sqrt(2)``).

    Examples
    --------
    >>> from qinfo.entropy_cones import Inequality
    >>> integer_sides(Inequality.parse("1/2 S_A + 1/2 S_B >= 1/2 S_AB"))
    ([('A', 1), ('B', 1)], [('AB', 1)])
    """
    coefficients = inequality.coefficients
    if coefficients.size > _CACHED_SIDES_MAX:  # the cache keys hold every coefficient
        lhs, rhs = _integer_sides(inequality)
    else:
        lhs, rhs = _cached_integer_sides(coefficients.tobytes())
    return list(lhs), list(rhs)


_CACHED_SIDES_MAX = 1023  # up to 10 parties


@functools.lru_cache(maxsize=1024)  # prove and its search both ask; keyed by the exact coefficients
def _cached_integer_sides(coefficients: bytes):
    return _integer_sides(Inequality.from_coefficients(np.frombuffer(coefficients)))


def _integer_sides(inequality) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    sides = [inequality.lhs, inequality.rhs]
    if all(float(c).is_integer() for side in sides for c in side.values()):  # the common case: no Fractions
        ints = [{lab: int(c) for lab, c in side.items()} for side in sides]
        g = gcd(*(v for row in ints for v in row.values())) or 1
        return (tuple((lab, v // g) for lab, v in ints[0].items()), tuple((lab, v // g) for lab, v in ints[1].items()))
    fracs = []
    for side in sides:
        row = {}
        for lab, c in side.items():
            fr = Fraction(c).limit_denominator(10**6)
            if abs(float(fr) - c) > 1e-14 * max(1.0, abs(c)):  # exact up to float rounding
                raise ValueError(f"inequality: coefficient {c!r} of S_{lab} is not a ratio of small "
                                 f"integers; contraction maps need rational coefficients")
            row[lab] = fr
        fracs.append(row)
    denominators = [fr.denominator for row in fracs for fr in row.values()]
    lcm = 1
    for d in denominators:
        lcm = lcm * d // gcd(lcm, d)
    ints = [{lab: int(fr * lcm) for lab, fr in row.items()} for row in fracs]
    g = 0
    for row in ints:
        for v in row.values():
            g = gcd(g, v)
    g = max(g, 1)
    return (tuple((lab, v // g) for lab, v in ints[0].items()), tuple((lab, v // g) for lab, v in ints[1].items()))


# -- helpers --------------------------------------------------------------------------
def as_inequality(inequality):
    if isinstance(inequality, str):
        return Inequality.parse(inequality)
    if isinstance(inequality, (list, tuple, np.ndarray)):  # a coefficient row, as in the hec data
        return Inequality.from_coefficients(inequality)
    if not isinstance(inequality, Inequality):
        raise TypeError(f"inequality must be an Inequality, its text or its coefficient row, got "
                        f"{type(inequality).__name__}")
    return inequality


def check_model(model: str, max_edge_size: int | None) -> int | None:
    """Validate ``model``/``max_edge_size``; return k (2 for graphs, None = unbounded)."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    check_int("max_edge_size", max_edge_size, 2, none_ok=True)  # a hyperedge joins two or more vertices
    if model == "graph":
        if max_edge_size not in (None, 2):
            raise ValueError(f"model='graph' has edges of size 2; max_edge_size={max_edge_size} needs "
                             f"model='hypergraph'")
        return 2
    return None if max_edge_size is None else int(max_edge_size)


def _read_terms(terms, arg: str) -> tuple[tuple[str, float], ...]:
    if isinstance(terms, (str, Mapping)) or not isinstance(terms, Iterable):
        raise TypeError(f"{arg} must be a sequence of (label, coefficient) pairs, got {type(terms).__name__}")
    out = []
    for t in terms:
        if isinstance(t, str) or len(t) != 2 or not isinstance(t[0], str):
            raise ValueError(f"{arg}: each term must be a (label, coefficient) pair, got {t!r}")
        lab, c = t
        if isinstance(c, bool) or not isinstance(c, (int, float, np.integer, np.floating)):
            raise TypeError(f"{arg}: coefficient of {lab!r} must be a number, got {c!r}")
        try:
            finite = math.isfinite(c)
        except OverflowError:  # an int beyond the floats
            finite = False
        if not (finite and c > 0):
            raise ValueError(f"{arg}: coefficient of {lab!r} must be positive and finite, got {c!r}")
        out.append((lab, int(c) if float(c).is_integer() else float(c)))
    return tuple(out)


def _read_images(images, n_lhs: int, n_rhs: int) -> np.ndarray:
    n_rows = 1 << n_lhs
    if isinstance(images, np.ndarray):
        arr = images
    else:
        images = list(images)
        if images and all(isinstance(s, str) for s in images):
            bad = [s for s in images if len(s) != n_rhs or set(s) - {"0", "1"}]
            if bad:
                raise ValueError(f"images must be bit strings of length R = {n_rhs} (one bit per rhs "
                                 f"term); got {bad[0]!r}")
            arr = np.array([[ch == "1" for ch in s] for s in images], dtype=np.uint8).reshape(len(images), n_rhs)
        else:
            arr = np.asarray(images)
    if arr.ndim != 2 or arr.shape != (n_rows, n_rhs):
        raise ValueError(f"images must hold 2**L = {n_rows} images of R = {n_rhs} bits (L = {n_lhs} lhs "
                         f"terms, R = {n_rhs} rhs terms); got shape {tuple(arr.shape)}")
    if arr.size and ((arr != 0) & (arr != 1)).any():
        raise ValueError("images must contain only 0 and 1")
    out = np.ascontiguousarray(arr, dtype=np.uint8)
    out.setflags(write=False)
    return out


def bit_string(row) -> str:
    return "".join("1" if b else "0" for b in row)


def json_number(c: float):
    return int(c) if float(c).is_integer() else float(c)


def _sum_terms(terms) -> dict[str, float]:
    out: dict[str, float] = {}
    for lab, c in terms:
        out[lab] = out.get(lab, 0.0) + c
    return out


def vertex_bits(n_lhs: int) -> np.ndarray:
    """``(2**L, L)`` bool array: coordinate l of vertex x."""
    x = np.arange(1 << n_lhs)
    return ((x[:, None] >> np.arange(n_lhs)) & 1).astype(bool)


def n_point_sets(n_vertices: int, k: int | None) -> int:
    """Number of vertex sets of size 3 to ``k`` (``None``: any size) the k-point condition checks."""
    from math import comb

    if k is None or k >= n_vertices:  # all subsets of 3 or more vertices
        return 2 ** n_vertices - 1 - n_vertices - comb(n_vertices, 2)
    return sum(comb(n_vertices, m) for m in range(3, k + 1))


_MAX_CHECK_SETS = 5_000_000


def _failures(cert: ContractionMap, k: int | None, limit: int | None) -> list[str]:
    """Boundary, edge and k-point failures of ``cert`` (k = 2: graphs)."""
    out: list[str] = []
    full = lambda: limit is not None and len(out) >= limit  # noqa: E731
    lhs_masks, rhs_masks = cert._masks()
    alpha, beta = cert._weights()
    L, img = len(lhs_masks), cert.images
    if k == 2 and _contracts_on_edges(img, lhs_masks, rhs_masks, cert.n_parties, alpha, beta):
        return out  # the common case, vectorised; the loops below name what fails
    # boundary conditions
    for party, (x, y) in cert.occurrence_vectors().items():
        idx = sum(1 << l for l, ch in enumerate(x) if ch == "1")
        got = bit_string(img[idx])
        if got != y:
            out.append(f"boundary condition of party {party}: its occurrence vector x = {x} "
                       f"(vertex {idx}) must map to y = {y}, the map sends it to {got}")
            if full():
                return out
    # hypercube edges
    for l in range(L):
        lo = np.flatnonzero((np.arange(len(img)) >> l & 1) == 0)
        dist = (img[lo] != img[lo | (1 << l)]) @ beta
        for j in np.flatnonzero(dist > alpha[l] + TOL):
            x0, x1 = int(lo[j]), int(lo[j]) | (1 << l)
            out.append(f"hypercube edge {bit_string(vertex_bits(L)[x0])}-{bit_string(vertex_bits(L)[x1])} "
                       f"(term {cert.lhs[l][0]}, weight {json_number(alpha[l])}): images "
                       f"{bit_string(img[x0])} and {bit_string(img[x1])} are at distance {json_number(dist[j])}")
            if full():
                return out
    if k == 2:
        return out
    if k is None or k >= len(img):
        # hyperedges of any size: the condition on a vertex set depends only on the subcube
        # it spans (alpha) and is hardest on the whole subcube (beta), so 3**L subcubes suffice
        for t in violated_subcubes(img, alpha, beta, limit=None if limit is None else limit - len(out)):
            star, base = subcube_of(int(t), L)
            a, b = _subcube_weights(img, alpha, beta, star, base)
            out.append(f"subcube {_subcube_text(star, base, L)} (all {1 << bin(star).count('1')} vertices): "
                       f"the images are not constant on rhs weight {json_number(b)} > lhs weight "
                       f"{json_number(a)}")
        return out
    # k-point sets of 3 to k vertices
    n_sets = n_point_sets(len(img), k)
    if n_sets > _MAX_CHECK_SETS:
        raise ValueError(f"checking the k-point condition needs {format_count(n_sets)} vertex sets "
                         f"(L = {L}, max_edge_size = {k}); pass a smaller max_edge_size")
    xbits = vertex_bits(L)
    for m in range(3, k + 1):
        for chunk in _chunks(itertools.combinations(range(len(img)), m), 65536, m):
            a = np.any(xbits[chunk] != xbits[chunk[:, :1]], axis=1) @ alpha
            b = np.any(img[chunk] != img[chunk[:, :1]], axis=1) @ beta
            for j in np.flatnonzero(b > a + TOL):
                pts = ", ".join(bit_string(xbits[v]) for v in chunk[j])
                out.append(f"vertex set {{{pts}}}: the images are not constant on rhs weight "
                           f"{json_number(b[j])} > lhs weight {json_number(a[j])}")
                if full():
                    return out
    return out


def _contracts_on_edges(img, lhs_masks, rhs_masks, n: int, alpha, beta) -> bool:
    """Whether ``img`` meets every boundary condition (the purifier's too) and contracts every edge."""
    from qinfo._kernels.checks import boundary_holds, edges_contract

    if not boundary_holds(img, np.array(lhs_masks, dtype=np.int64), np.array(rhs_masks, dtype=np.int64), n):
        return False
    return bool(edges_contract(img, np.asarray(alpha, dtype=np.float64), np.asarray(beta, dtype=np.float64), TOL))


# -- subcubes (the k-point condition for hyperedges of any size) ------------------------
MAX_SUBCUBE_L = 14  # 3**14 = 4.8e6 subcubes


def subcube_excess(images: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """``beta(f(C)) - alpha(C)`` for each of the ``3**L`` subcubes ``C`` of the left hypercube.

    ``alpha(C)`` is the alpha-weight of the coordinates that vary on ``C``,
    ``beta(f(C))`` the beta-weight of the rhs coordinates not constant on the
    images of its vertices. Subcube ``t`` has ternary digit ``t // 3**l % 3``
    for coordinate ``l``: 0 or 1 fixes it, 2 lets it vary. Positive entries
    are violations of the k-point condition for a hyperedge on ``C``.

    Examples
    --------
    >>> img = np.array([[0], [1], [1], [0]], dtype=np.uint8)   # S_A + S_B >= S_AB
    >>> subcube_excess(img, np.array([1, 1]), np.array([1])).tolist()
    [0, 0, 0, 0, 0, 0, 0, 0, -1]
    """
    P, R = images.shape
    L = P.bit_length() - 1
    if L > MAX_SUBCUBE_L:
        raise ValueError(f"the subcube check needs 3**L = {3 ** L} subcubes (L = {L}); at most "
                         f"L = {MAX_SUBCUBE_L} is supported")
    packed = np.packbits(images.astype(np.uint8), axis=1, bitorder="little")
    W = packed.shape[1]
    shape = (2,) * L + (W,)
    lo, hi = packed.reshape(shape), packed.reshape(shape)  # OR and AND of the images
    a = np.zeros((2,) * L, dtype=np.float64 if alpha.dtype.kind == "f" else np.int64)
    for axis in range(L):  # axis `axis` is coordinate L - 1 - axis (little-endian index)
        o0, o1 = np.take(lo, 0, axis=axis), np.take(lo, 1, axis=axis)
        n0, n1 = np.take(hi, 0, axis=axis), np.take(hi, 1, axis=axis)
        lo = np.stack([o0, o1, o0 | o1], axis=axis)
        hi = np.stack([n0, n1, n0 & n1], axis=axis)
        a0 = np.take(a, 0, axis=axis)
        a = np.stack([a0, a0, a0 + alpha[L - 1 - axis]], axis=axis)
    varying = (lo & ~hi).reshape(3 ** L, W)
    beta = np.asarray(beta)
    if R == 0:
        b = np.zeros(3 ** L, dtype=np.int64)
    elif np.all(beta == beta[0]) and beta.dtype.kind in "iu":
        b = np.bitwise_count(varying).sum(axis=1, dtype=np.int64) * int(beta[0])
    else:
        b = np.concatenate([np.unpackbits(varying[i:i + 65536], axis=1, count=R, bitorder="little") @ beta
                            for i in range(0, len(varying), 65536)])
    return b - a.reshape(-1)


def violated_subcubes(img, alpha, beta, limit=None) -> np.ndarray:
    """Indices of the subcubes violating the condition, smallest dimension first."""
    excess = subcube_excess(img, alpha, beta)
    dims = _subcube_dims(img.shape[0].bit_length() - 1)
    bad = np.flatnonzero((excess > TOL) & (dims >= 2))  # vertices and edges are checked elsewhere
    bad = bad[np.argsort(dims[bad], kind="stable")]
    return bad if limit is None else bad[:limit]


def _subcube_dims(L: int) -> np.ndarray:
    d = np.zeros(1, dtype=np.int64)
    for _ in range(L):
        d = np.concatenate([d, d, d + 1])  # coordinate l is the slowest-changing so far
    return d


def subcube_of(t: int, L: int) -> tuple[int, int]:
    """(mask of the varying coordinates, vertex with the fixed ones and 0 elsewhere) of subcube t."""
    star = base = 0
    for l in range(L):
        t, d = divmod(t, 3)
        if d == 2:
            star |= 1 << l
        elif d == 1:
            base |= 1 << l
    return star, base


def subcube_vertices(star: int, base: int) -> np.ndarray:
    sub = [0]
    for l in range(star.bit_length()):
        if star >> l & 1:
            sub = sub + [s | 1 << l for s in sub]
    return base | np.array(sub, dtype=np.int64)


def _subcube_weights(img, alpha, beta, star, base):
    verts = subcube_vertices(star, base)
    a = sum(alpha[l] for l in range(len(alpha)) if star >> l & 1)
    b = np.any(img[verts] != img[verts[0]], axis=0) @ beta
    return a, b


def _subcube_text(star: int, base: int, L: int) -> str:
    return "".join("*" if star >> l & 1 else str(base >> l & 1) for l in range(L))


def format_count(n: int) -> str:
    """A count for a message: ``1.23e+45`` style, also past the float range."""
    s = str(int(n))
    return s if len(s) <= 6 else f"{s[0]}.{s[1:3]}e+{len(s) - 1}"


def _chunks(iterator, size: int, m: int):
    while True:
        block = np.fromiter(itertools.chain.from_iterable(itertools.islice(iterator, size)),
                            dtype=np.int64)
        if block.size == 0:
            return
        yield block.reshape(-1, m)
