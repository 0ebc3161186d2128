"""Entropy vectors: one entropy per non-empty set of parties, in one canonical order.

Parties are named ``A, B, C, ...`` (the first N capital letters, skipping
``O``) and the purifier is ``O``. An N-party vector has ``2**N - 1`` entries,
ordered by subset size and then lexicographically: ``A, B, C, AB, AC, BC, ABC``.
Entropies of sets containing the purifier follow by purity,
``S(I ∪ O) = S(complement of I)``.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from qinfo._validate import check_int

__all__ = [
    "EntropyVector",
    "party_letters",
    "subset_labels",
    "subset_masks",
    "parse_subset",
    "MAX_PARTIES",
    "BUDGET",
]

PURIFIER = "O"
LETTERS = "".join(c for c in "ABCDEFGHIJKLMNPQRSTUVWXYZ")  # no O: it is the purifier
#: Largest number of parties (besides the purifier) that has letter names.
MAX_PARTIES = len(LETTERS)
DECIMALS = 9  # equality and hashing compare values rounded to this many decimals

#: Work limits of the enumerations in :mod:`qinfo.entropy_cones`, checked before any
#: work starts, so a large request fails at once instead of running for hours:
#:
#: - ``"subsets"``: the most subsets ``2**N - 1`` of an N-party vector or
#:   inequality (default ``2**20``, so N <= 20);
#: - ``"enumeration"``: the most array entries one enumeration of permutations,
#:   orbits or inequality instances may build (default ``2**25``, about 0.3 GB
#:   of float64; :meth:`Inequality.instances_work` gives the estimate).
#:
#: Raise a limit by assigning to it, e.g.
#: ``qinfo.entropy_cones.BUDGET["enumeration"] = 2**28``.
BUDGET: dict[str, int] = {"subsets": 2**20, "enumeration": 2**25}


def check_budget(kind: str, needed: int, what: str) -> None:
    """Raise ValueError when ``needed`` exceeds ``BUDGET[kind]``, before the work starts."""
    limit = BUDGET[kind]
    if needed > limit:
        raise ValueError(
            f"{what} needs about {needed:,} {'subsets' if kind == 'subsets' else 'array entries'}, "
            f"over the work budget BUDGET[{kind!r}] = {limit:,}; raise it with "
            f"qinfo.entropy_cones.BUDGET[{kind!r}] = {_next_power(needed)} if you mean it"
        )


def _next_power(x: int) -> str:
    return f"2**{max(int(x - 1).bit_length(), 1)}"


def party_letters(n_parties: int) -> str:
    """The names of the first ``n_parties`` parties.

    Parameters
    ----------
    n_parties : int
        N, the parties besides the purifier.

    Examples
    --------
    >>> party_letters(4)
    'ABCD'
    """
    check_n_parties(n_parties)
    return LETTERS[:n_parties]


def subset_masks(n_parties: int) -> tuple[int, ...]:
    """Bit masks of the non-empty subsets in canonical order (bit i = party i).

    Refused past ``BUDGET["subsets"]`` (see :data:`BUDGET`).

    Examples
    --------
    >>> subset_masks(3)
    (1, 2, 4, 3, 5, 6, 7)
    """
    check_n_parties(n_parties)
    check_budget("subsets", (1 << n_parties) - 1, f"n_parties={n_parties}")
    return _subset_masks(n_parties)


@lru_cache(maxsize=None)
def _subset_masks(n_parties: int) -> tuple[int, ...]:
    masks = []
    for size in range(1, n_parties + 1):
        for combo in itertools.combinations(range(n_parties), size):
            masks.append(sum(1 << i for i in combo))
    return tuple(masks)


@lru_cache(maxsize=None)
def mask_to_index(n_parties: int) -> np.ndarray:
    """Array ``idx`` with ``idx[mask]`` the position of ``mask`` in canonical order."""
    idx = np.full(1 << n_parties, -1, dtype=np.int64)
    for pos, m in enumerate(subset_masks(n_parties)):
        idx[m] = pos
    idx.setflags(write=False)
    return idx


@lru_cache(maxsize=None)
def subset_labels(n_parties: int) -> tuple[str, ...]:
    """Names of the non-empty subsets in canonical order.

    Parameters
    ----------
    n_parties : int
        N, the parties besides the purifier.

    Examples
    --------
    >>> subset_labels(3)
    ('A', 'B', 'C', 'AB', 'AC', 'BC', 'ABC')
    """
    letters = party_letters(n_parties)
    return tuple(
        "".join(letters[i] for i in range(n_parties) if m >> i & 1) for m in subset_masks(n_parties)
    )


def parse_subset(subset: str | Iterable[str], n_parties: int) -> tuple[int, bool]:
    """Turn a subset name into ``(mask of ordinary parties, contains purifier)``.

    ``subset`` is a string of party letters in any order (``"BA"``, ``"AO"``)
    or an iterable of single letters. ``"S_AB"`` prefixes are not accepted
    here; :class:`~qinfo.entropy_cones.Inequality` parses those.

    Examples
    --------
    >>> parse_subset("CA", 3)
    (5, False)
    >>> parse_subset("BO", 3)
    (2, True)
    """
    if type(n_parties) is not int:  # validated here: the cache would hash it first
        check_n_parties(n_parties)
    if not isinstance(subset, str):
        subset = "".join(subset)
    return _parse_subset(subset, n_parties)


@lru_cache(maxsize=4096, typed=True)  # labels repeat: every inequality and certificate parses its terms
def _parse_subset(subset: str, n_parties: int) -> tuple[int, bool]:
    letters = party_letters(n_parties)
    mask = 0
    purifier = False
    for ch in subset:
        if ch == PURIFIER:
            if purifier:
                raise ValueError(f"subset {subset!r} names the purifier O twice")
            purifier = True
            continue
        pos = letters.find(ch)
        if pos < 0:
            raise ValueError(
                f"subset {subset!r}: unknown party {ch!r}; a {n_parties}-party vector has parties "
                f"{', '.join(letters)} and the purifier O"
            )
        if mask >> pos & 1:
            raise ValueError(f"subset {subset!r} names party {ch!r} twice")
        mask |= 1 << pos
    return mask, purifier


def check_n_parties(n: int) -> None:
    if not 1 <= check_int("n_parties", n, 1) <= MAX_PARTIES:
        raise ValueError(f"n_parties must be between 1 and {MAX_PARTIES}, got {n}")


def n_parties_from_length(length: int) -> int:
    n = int(round(math.log2(length + 1))) if length > 0 else 0
    if length < 1 or (1 << n) - 1 != length:
        raise ValueError(
            f"an entropy vector has 2**N - 1 entries (1, 3, 7, 15, ...); got {length} values"
        )
    return n


class EntropyVector:
    """Entropies of every non-empty set of N parties, in canonical order.

    Parameters
    ----------
    values : array_like
        ``2**N - 1`` finite real numbers, ordered by subset size then
        lexicographically (``A, B, C, AB, AC, BC, ABC``). The unit is whatever
        the model that produced them uses (bits for stabilizer states, weight
        units for min-cut models, nats for random tensor networks).

    Attributes
    ----------
    values : numpy.ndarray
        The entries (read-only float array; int64 for the exact entropies of
        integer-weighted min-cut models).
    n_parties : int
        N, not counting the purifier.
    labels : tuple of str
        Subset names in the order of ``values``.

    Notes
    -----
    ``==`` and ``hash`` compare values rounded to 9 decimals, so vectors can
    be put in sets; :meth:`isclose` compares with a tolerance.

    Examples
    --------
    >>> v = EntropyVector([1, 1, 1, 2, 2, 2, 1])   # a 4-qubit perfect tensor (3 parties + O)
    >>> v
    EntropyVector(A=1, B=1, C=1, AB=2, AC=2, BC=2, ABC=1)
    >>> v["AB"], v["BA"], v["ABO"]
    (2.0, 2.0, 1.0)
    >>> v.mutual_information("A", "B")
    0.0
    """

    __slots__ = ("_values", "_n")

    def __init__(self, values: Sequence[float] | np.ndarray):
        arr = np.array(values, dtype=float)
        if arr.ndim != 1:
            raise ValueError(f"values must be one-dimensional, got shape {arr.shape}")
        n = n_parties_from_length(arr.size)
        check_n_parties(n)
        if not np.all(np.isfinite(arr)):
            bad = [lab for lab, x in zip(subset_labels(n), arr) if not np.isfinite(x)]
            raise ValueError(f"values must be finite; not finite at {', '.join(bad)}")
        arr.setflags(write=False)
        self._values = arr
        self._n = n

    @classmethod
    def _trusted(cls, values: np.ndarray, n_parties: int) -> "EntropyVector":
        """Wrap a fresh float64 (or exact int64) array of ``2**n_parties - 1`` finite values, unchecked.

        For qinfo's own hot paths (min-cut kernels), which guarantee the input.
        """
        vec = cls.__new__(cls)
        values.setflags(write=False)
        vec._values = values
        vec._n = n_parties
        return vec

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_dict(cls, entropies: Mapping[str, float], n_parties: int | None = None) -> "EntropyVector":
        """Build from ``{"A": 1, "B": 1, "AB": 2, ...}``.

        Every non-empty subset of the ordinary parties must appear exactly once
        (letters in any order); nothing is filled in silently.

        Parameters
        ----------
        entropies : mapping
            ``{subset label: entropy}`` for every non-empty subset (any party order within a label).
        n_parties : int, optional
            N; by default inferred from the labels.

        Examples
        --------
        >>> EntropyVector.from_dict({"A": 1, "B": 1, "AB": 0})
        EntropyVector(A=1, B=1, AB=0)
        """
        if n_parties is None:
            n_parties = n_parties_from_length(len(entropies))
        masks = mask_to_index(n_parties)
        values = np.full(len(subset_masks(n_parties)), np.nan)
        for key, val in entropies.items():
            mask, purifier = parse_subset(key, n_parties)
            if purifier or mask == 0:
                raise ValueError(f"from_dict takes subsets of the ordinary parties only; got {key!r}")
            pos = masks[mask]
            if not np.isnan(values[pos]):
                raise ValueError(f"subset {key!r} given twice")
            values[pos] = val
        missing = [lab for lab, x in zip(subset_labels(n_parties), values) if np.isnan(x)]
        if missing:
            raise ValueError(f"entropies missing for subsets {', '.join(missing)}")
        return cls(values)

    @classmethod
    def from_function(cls, n_parties: int, entropy: Callable[[str], float]) -> "EntropyVector":
        """Build by calling ``entropy(label)`` for each subset label in order.

        Parameters
        ----------
        n_parties : int
            N, the parties besides the purifier.
        entropy : callable
            ``entropy(label) -> float`` for a subset label such as ``"AB"``.

        Examples
        --------
        >>> EntropyVector.from_function(2, len)
        EntropyVector(A=1, B=1, AB=2)
        """
        return cls([entropy(label) for label in subset_labels(n_parties)])

    # -- access -------------------------------------------------------------------
    @property
    def values(self) -> np.ndarray:
        return self._values

    @property
    def n_parties(self) -> int:
        return self._n

    @property
    def labels(self) -> tuple[str, ...]:
        return subset_labels(self._n)

    def __len__(self) -> int:
        return self._values.size

    def __iter__(self) -> Iterator[float]:
        return iter(self._values.tolist())

    def __array__(self, dtype=None, copy=None):
        return np.array(self._values, dtype=dtype, copy=True)

    def __getitem__(self, subset: str | Iterable[str]) -> float:
        """Entropy of a set of parties, e.g. ``"AB"``; sets with ``O`` by purity."""
        mask, purifier = parse_subset(subset, self._n)
        if purifier:
            mask = ((1 << self._n) - 1) & ~mask
        if mask == 0:
            return 0.0
        return self._values[mask_to_index(self._n)[mask]].item()  # int for exact integer entropies

    def entropy(self, subset: str | Iterable[str]) -> float:
        """The entropy of ``subset``; the same as ``vec[subset]``.

        Parameters
        ----------
        subset : str or iterable of str
            Parties, e.g. ``"AB"`` or ``["A", "O"]`` (the purifier by purity).

        Returns
        -------
        float

        Examples
        --------
        >>> EntropyVector([1, 1, 0]).entropy("AB")
        0.0
        """
        return self[subset]

    def to_dict(self) -> dict[str, float]:
        """``{label: value}`` in canonical order.

        Examples
        --------
        >>> EntropyVector([1, 1, 0]).to_dict()
        {'A': 1.0, 'B': 1.0, 'AB': 0.0}
        """
        return dict(zip(self.labels, self._values.tolist()))

    # -- information quantities -------------------------------------------------------
    def mutual_information(self, x: str, y: str) -> float:
        """``I(X:Y) = S(X) + S(Y) - S(XY)`` for disjoint sets of parties.

        Parameters
        ----------
        x, y : str
            Disjoint sets of parties, such as ``"A"`` or ``"BC"``.

        Examples
        --------
        >>> EntropyVector([1, 1, 0]).mutual_information("A", "B")   # a Bell pair
        2.0
        """
        return self.conditional_mutual_information(x, y, "")

    def conditional_mutual_information(self, x: str, y: str, z: str) -> float:
        """``I(X:Y|Z) = S(XZ) + S(YZ) - S(XYZ) - S(Z)`` for disjoint sets.

        Parameters
        ----------
        x, y, z : str
            Disjoint sets of parties, such as ``"A"`` or ``"BC"``.

        Examples
        --------
        >>> EntropyVector([1, 1, 1, 2, 2, 2, 1]).conditional_mutual_information("A", "B", "C")
        2.0
        """
        self._check_disjoint(x, y, z)
        return self[x + z] + self[y + z] - self[x + y + z] - self[z]

    def tripartite_information(self, x: str, y: str, z: str) -> float:
        """``I3(X:Y:Z) = S_X + S_Y + S_Z - S_XY - S_XZ - S_YZ + S_XYZ``.

        Holographic (graph-model) vectors have ``I3 <= 0`` (monogamy of mutual
        information).

        Parameters
        ----------
        x, y, z : str
            Disjoint sets of parties, such as ``"A"`` or ``"BC"``.

        Examples
        --------
        >>> EntropyVector([1, 1, 1, 2, 2, 2, 1]).tripartite_information("A", "B", "C")
        -2.0
        """
        self._check_disjoint(x, y, z)
        return (self[x] + self[y] + self[z] - self[x + y] - self[x + z] - self[y + z]
                + self[x + y + z])

    def _check_disjoint(self, *sets: str) -> None:
        seen: set[str] = set()
        for s in sets:
            parse_subset(s, self._n)
            if seen & set(s):
                raise ValueError(f"the sets {sets} must be disjoint; {sorted(seen & set(s))} repeat")
            seen |= set(s)

    # -- symmetry -----------------------------------------------------------------
    def permute(self, mapping: Mapping[str, str] | str | Sequence[str]) -> "EntropyVector":
        """Relabel the N+1 parties (purifier included).

        Parameters
        ----------
        mapping : dict or str
            Where each party goes: ``{"A": "B", "B": "A"}`` (parties not named
            stay put), or a string giving the new names of ``A, B, ..., O`` in
            order (``"BAO"`` for two parties swaps A and B). Must be a
            permutation of the N+1 parties.

        Returns
        -------
        EntropyVector
            ``w`` with ``w[σ(I)] = v[I]`` for every set ``I``.

        Examples
        --------
        >>> v = EntropyVector([1, 2, 3, 3, 2, 1, 0])
        >>> v.permute({"A": "B", "B": "A"})
        EntropyVector(A=2, B=1, C=3, AB=3, AC=1, BC=2, ABC=0)
        >>> v.permute({"A": "O", "O": "A"})["A"] == v["O"]
        True
        """
        perm = self._perm_array(mapping)
        return EntropyVector(self._values[permutation_index(self._n, perm)])

    def _perm_array(self, mapping: Mapping[str, str] | str | Sequence[str]) -> tuple[int, ...]:
        names = party_letters(self._n) + PURIFIER
        if isinstance(mapping, Mapping):
            image = {c: c for c in names}
            for k, v in mapping.items():
                if k not in names or v not in names:
                    raise ValueError(f"mapping {dict(mapping)!r}: parties must be among {', '.join(names)}")
                image[k] = v
            target = [image[c] for c in names]
        else:
            target = list(mapping)
            if len(target) != len(names):
                raise ValueError(
                    f"mapping must name the new parties of {names!r} in order ({len(names)} letters), got {mapping!r}"
                )
        if sorted(target) != sorted(names):
            raise ValueError(f"mapping {mapping!r} is not a permutation of the parties {', '.join(names)}")
        return tuple(names.index(t) for t in target)

    def orbit(self) -> set["EntropyVector"]:
        """All distinct vectors obtained by permuting the N+1 parties.

        Brute force over the (N+1)! permutations; practical for N <= 7
        (larger N is refused past ``BUDGET["enumeration"]``).

        Examples
        --------
        >>> len(EntropyVector([1, 1, 0]).orbit())   # Bell pair between A and B
        3
        """
        table = self._all_permuted_values()
        _, first = np.unique(self._orbit_keys(table), axis=0, return_index=True)
        return {EntropyVector(table[k]) for k in first}

    def canonical(self) -> "EntropyVector":
        """The orbit representative with the lexicographically largest values.

        Two vectors are related by a permutation of the N+1 parties iff their
        canonical representatives are equal.

        Examples
        --------
        >>> EntropyVector([0, 1, 1]).canonical()
        EntropyVector(A=1, B=1, AB=0)
        """
        table = self._all_permuted_values()
        order = np.lexsort(self._orbit_keys(table).T[::-1])
        return EntropyVector(table[order[-1]])

    def _orbit_keys(self, table: np.ndarray) -> np.ndarray:
        """Rows rounded for comparison: to 9 decimals, relative to the scale below 1.

        Without the relative part every vector with entries below 1e-9 would
        collapse to the zero vector.
        """
        scale = float(np.max(np.abs(self._values), initial=0.0))
        unit = scale if 0.0 < scale < 1.0 else 1.0
        return np.round(table / unit, DECIMALS) + 0.0

    def _all_permuted_values(self) -> np.ndarray:
        return self._values[all_permutation_indices(self._n)]

    # -- comparison, arithmetic ---------------------------------------------------
    def isclose(self, other: "EntropyVector", atol: float = 1e-9, rtol: float = 0.0) -> bool:
        """Equality up to a tolerance (``numpy.allclose``); False for other N.

        Parameters
        ----------
        other : EntropyVector
            The vector to compare with.
        atol, rtol : float
            As in :func:`numpy.allclose`: ``|a - b| <= atol + rtol * |b|`` entrywise.

        Examples
        --------
        >>> EntropyVector([1, 1, 0]).isclose(EntropyVector([1, 1, 1e-12]))
        True
        """
        if not isinstance(other, EntropyVector):
            raise TypeError(f"other must be an EntropyVector, got {type(other).__name__}")
        return self._n == other._n and bool(np.allclose(self._values, other._values, atol=atol, rtol=rtol))

    def _key(self) -> tuple:
        return (self._n, tuple(np.round(self._values, DECIMALS).tolist()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EntropyVector):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __add__(self, other: "EntropyVector") -> "EntropyVector":
        if not isinstance(other, EntropyVector):
            return NotImplemented
        if other._n != self._n:
            raise ValueError(f"cannot add a {self._n}-party and a {other._n}-party vector")
        return EntropyVector(self._values + other._values)

    def __mul__(self, scalar: float) -> "EntropyVector":
        if not np.isscalar(scalar):
            return NotImplemented
        return EntropyVector(self._values * float(scalar))

    __rmul__ = __mul__

    def __repr__(self) -> str:
        body = ", ".join(f"{lab}={_fmt(x)}" for lab, x in zip(self.labels, self._values))
        return f"EntropyVector({body})"


def _fmt(x: float) -> str:
    x = float(x)
    if x.is_integer():
        return str(int(x))
    return f"{x:.6g}"  # 6 significant digits: 1e-10 stays 1e-10, not 0


@lru_cache(maxsize=None)
def _permutation_index_cached(n: int, perm: tuple[int, ...]) -> np.ndarray:
    """Index array ``idx`` such that ``values[idx]`` is the permuted vector.

    ``perm[i]`` is where party i goes (party ``n`` is the purifier). Entry
    ``J`` of the new vector is ``v[σ^{-1}(J)]``, with purity applied when
    ``σ^{-1}(J)`` contains the purifier.
    """
    full = (1 << n) - 1
    inv = [0] * (n + 1)
    for i, j in enumerate(perm):
        inv[j] = i
    pos = mask_to_index(n)
    idx = np.empty(full, dtype=np.int64)
    for k, mask in enumerate(subset_masks(n)):
        src = 0
        for j in range(n):
            if mask >> j & 1:
                src |= 1 << inv[j]
        if src >> n & 1:  # contains the purifier: use the complement
            src = full & ~src
        else:
            src &= full
        idx[k] = pos[src]
    idx.setflags(write=False)
    return idx


def permutation_index(n: int, perm: Sequence[int]) -> np.ndarray:
    return _permutation_index_cached(n, tuple(perm))


@lru_cache(maxsize=8)
def all_permutation_indices(n: int) -> np.ndarray:
    check_budget("enumeration", math.factorial(n + 1) * ((1 << n) - 1),
                  f"enumerating the {n + 1}! permutations of {n} parties and the purifier")
    rows = [_permutation_index_cached.__wrapped__(n, p) for p in itertools.permutations(range(n + 1))]
    return np.stack(rows)

