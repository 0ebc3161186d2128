"""Linear entropy inequalities ``sum_I c_I S_I >= 0`` over the subsets of N parties.

An :class:`Inequality` stores one coefficient per non-empty subset of the
ordinary parties ``A, B, ...`` in the canonical order of
:func:`~qinfo.entropy_cones.subset_labels`; terms that name the
purifier ``O`` are rewritten by purity, ``S(I ∪ O) = S(complement of I)``.
"""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

import numpy as np

from qinfo._validate import check_real

from ._vectors import (
    DECIMALS,
    PURIFIER,
    EntropyVector,
    LETTERS,
    all_permutation_indices,
    check_budget,
    check_n_parties,
    mask_to_index,
    n_parties_from_length,
    permutation_index,
    parse_subset,
    subset_labels,
    subset_masks,
)

__all__ = ["Inequality", "tolerance", "RTOL"]

#: Default relative tolerance of violation checks: a slack counts as negative
#: below ``-(atol + RTOL * max|S|)``. Float entropies of min-cut and
#: stabilizer models are exact to a few ulps of ``max|S|``, far inside it.
RTOL = 1e-9


def tolerance(values, *, atol: float = 0.0, rtol: float = RTOL) -> float | np.ndarray:
    """The violation tolerance ``atol + rtol * max|S|`` of one vector or of each row.

    Parameters
    ----------
    values : array_like
        One vector ``(d,)`` or a stack ``(m, d)``.
    atol : float
        Absolute part, in the units of the vector (numpy's meaning), ``>= 0``.
    rtol : float
        Relative part, a multiple of the largest ``|S_I|``, ``>= 0``.

    Returns
    -------
    float or numpy.ndarray
        One number, or one per row.

    Examples
    --------
    >>> tolerance([1.0, 2.0, -4.0])
    4e-09
    >>> tolerance([[1.0, 1.0, 2.0], [1e15, 1e15, 0.0]], atol=1.0).tolist()
    [1.000000002, 1000001.0]
    """
    check_real("atol", atol, inclusive=True)
    check_real("rtol", rtol, inclusive=True)
    arr = np.asarray(values, dtype=float)
    scale = np.max(np.abs(arr), axis=-1) if arr.size else np.zeros(arr.shape[:-1])
    out = float(atol) + float(rtol) * scale
    return float(out) if np.ndim(out) == 0 else out


class Inequality:
    """A linear entropy inequality ``sum lhs_I S_I >= sum rhs_J S_J``.

    Parameters
    ----------
    lhs, rhs : mapping of str to float
        Subset label -> coefficient on each side (``{"AB": 1, "AC": 1}``).
        Letters may come in any order; labels containing the purifier ``O``
        are converted by purity (``"AO"`` is ``S`` of the complement of
        ``A``). A label may appear on both sides; like terms cancel.
    n_parties : int, optional
        N, not counting the purifier. Inferred from the highest party letter
        used when omitted (so give it whenever ``O`` appears or a party is
        absent from the inequality).
    name : str, optional
        A short name (``"SSA"``).
    reference : str, optional
        Where the inequality comes from.

    Attributes
    ----------
    coefficients : numpy.ndarray
        ``lhs - rhs`` after cancellation, one entry per subset in canonical
        order, so the inequality reads ``coefficients @ S >= 0``.
    n_parties : int
    name, reference : str or None

    Examples
    --------
    >>> mmi = Inequality.parse("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", name="MMI")
    >>> print(mmi)
    S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC
    >>> mmi.coefficients
    array([-1., -1., -1.,  1.,  1.,  1., -1.])
    >>> mmi.evaluate(EntropyVector([1, 1, 1, 2, 2, 2, 1]))   # 4-qubit perfect tensor
    2.0
    >>> len(mmi.instances()), mmi.is_superbalanced()
    (1, True)
    """

    __slots__ = ("_coef", "_n", "name", "reference")

    def __init__(
        self,
        lhs: Mapping[str, float],
        rhs: Mapping[str, float] | None = None,
        *,
        n_parties: int | None = None,
        name: str | None = None,
        reference: str | None = None,
    ):
        rhs = {} if rhs is None else rhs
        for arg, side in (("lhs", lhs), ("rhs", rhs)):
            if not isinstance(side, Mapping):
                raise TypeError(f"{arg} must be a mapping from subset labels to coefficients, "
                                f"got {type(side).__name__}")
        if n_parties is None:
            n_parties = infer_n_parties([*lhs, *rhs], check_jump=True)
        check_n_parties(n_parties)
        coef = np.zeros(len(subset_masks(n_parties)))
        for sign, side in ((1.0, lhs), (-1.0, rhs)):
            for label, c in side.items():
                if not isinstance(label, str):
                    raise TypeError(f"subset labels must be strings, got {label!r}")
                value = _as_coefficient(c, label)
                pos = _label_position(label, n_parties)
                if pos is not None:  # S of the empty set (or of everything with O) is 0
                    coef[pos] += sign * value
        self._init(coef, n_parties, name, reference)

    def _init(self, coef: np.ndarray, n: int, name, reference) -> None:
        coef = np.where(np.abs(coef) < 10.0 ** -(DECIMALS + 3), 0.0, coef) + 0.0
        coef.setflags(write=False)
        self._coef = coef
        self._n = n
        self.name = name
        self.reference = reference

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_coefficients(
        cls, coefficients: Sequence[float] | np.ndarray, *, name: str | None = None,
        reference: str | None = None,
    ) -> "Inequality":
        """Build ``coefficients @ S >= 0`` from ``2**N - 1`` numbers in canonical order.

        Parameters
        ----------
        coefficients : sequence of float
            ``2**N - 1`` numbers, one per subset in canonical order.
        name, reference : str, optional
            A name (e.g. a catalogue entry) and where the inequality comes from.

        Returns
        -------
        Inequality

        Examples
        --------
        >>> print(Inequality.from_coefficients([1, 1, -1]))
        S_A + S_B >= S_AB
        """
        arr = np.array(coefficients, dtype=float)
        if arr.ndim != 1:
            raise ValueError(f"coefficients must be one-dimensional, got shape {arr.shape}")
        n = n_parties_from_length(arr.size)
        check_n_parties(n)
        if not np.all(np.isfinite(arr)):
            raise ValueError("coefficients must be finite")
        self = cls.__new__(cls)
        self._init(arr, n, name, reference)
        return self

    @classmethod
    def parse(cls, text: str, n_parties: int | None = None, *, name: str | None = None,
              reference: str | None = None) -> "Inequality":
        """Read an inequality written out in text.

        Terms are ``S_XY`` (or ``S(XY)``) with an optional numeric coefficient
        (``2 S_A``, ``2*S_A``, ``1/2 S_A``, ``-S_A``), mutual informations
        ``I(X:Y)`` and conditional ones ``I(X:Y|Z)`` (each expanded into
        entropies), or ``0``. The two sides are separated by ``>=`` or ``<=``
        (``≥``, ``≤`` also accepted).

        Parameters
        ----------
        text : str
            Such as ``"S_A + S_B >= S_AB"`` or ``"I(A:B|C) >= 0"``.
        n_parties : int, optional
            N; by default the largest party letter used.
        name, reference : str, optional
            A name (e.g. a catalogue entry) and where the inequality comes from.

        Raises
        ------
        ValueError
            If the text does not parse; the message shows the offending token
            and its position.

        Examples
        --------
        >>> print(Inequality.parse("I(A:B|C) >= 0"))
        S_AC + S_BC >= S_C + S_ABC
        >>> print(Inequality.parse("S_A <= S_BO + S_C", n_parties=3))   # S_BO = S_AC
        S_C + S_AC >= S_A
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, got {type(text).__name__}")
        tokens = list(_tokenize(text))
        if not tokens:
            raise ValueError("text is empty; expected an inequality such as 'S_A + S_B >= S_AB'")
        sides: list[dict[str, float]] = [{}, {}]
        n_terms = [0, 0]
        side, relation = 0, None
        sign, coef, star, signed = 1.0, None, False, False  # the term being read
        for kind, value, pos in tokens:
            if kind in ("rel", "op") and coef is not None:
                _fail(text, pos, f"coefficient {_fmt_num(coef)} is not followed by an entropy term")
            if kind == "rel":
                if relation is not None:
                    _fail(text, pos, f"second relation {value!r}; an inequality has exactly one")
                if n_terms[0] == 0:
                    _fail(text, pos, f"{value!r} has no left-hand side")
                if signed:
                    _fail(text, pos, "an operator is not followed by a term")
                relation, side = value, 1
            elif kind == "op":
                if signed or (n_terms[side] == 0 and value == "+"):
                    _fail(text, pos, f"unexpected {value!r}")
                sign, signed = (1.0 if value == "+" else -1.0), True
            elif kind == "num":
                if coef is not None or (n_terms[side] and not signed):
                    _fail(text, pos, f"unexpected number {value!r}; terms are joined by '+' or '-'")
                coef = float(Fraction(value))
            elif kind == "star":
                if coef is None or star:
                    _fail(text, pos, "'*' must come between a coefficient and a term")
                star = True
            else:  # an entropy term: value maps labels to coefficients
                if n_terms[side] and not signed:
                    _fail(text, pos, "missing '+' or '-' before this term")
                factor = sign * (1.0 if coef is None else coef)
                for label, c in value.items():
                    sides[side][label] = sides[side].get(label, 0.0) + factor * c
                n_terms[side] += 1
                sign, coef, star, signed = 1.0, None, False, False
        end = len(text)
        if relation is None:
            _fail(text, end, "no relation; expected '>=' or '<='")
        if coef is not None:
            _fail(text, end, f"coefficient {_fmt_num(coef)} is not followed by an entropy term")
        if signed or n_terms[1] == 0:
            _fail(text, end, "the right-hand side is missing or ends in an operator")
        lhs, rhs = sides if relation == ">=" else sides[::-1]
        return cls(lhs, rhs, n_parties=n_parties, name=name, reference=reference)

    # -- access -------------------------------------------------------------------
    @property
    def coefficients(self) -> np.ndarray:
        return self._coef

    @property
    def n_parties(self) -> int:
        return self._n

    @property
    def lhs(self) -> dict[str, float]:
        """Terms with positive coefficient, ``{label: coefficient}``."""
        return {lab: float(c) for lab, c in zip(subset_labels(self._n), self._coef) if c > 0}

    @property
    def rhs(self) -> dict[str, float]:
        """Terms with negative coefficient, ``{label: -coefficient}`` (positive numbers)."""
        return {lab: float(-c) for lab, c in zip(subset_labels(self._n), self._coef) if c < 0}

    # -- evaluation ---------------------------------------------------------------
    def evaluate(self, vectors) -> float | np.ndarray:
        """Slack ``lhs - rhs`` on one vector (a float) or on many (an array).

        Parameters
        ----------
        vectors : EntropyVector, array_like or sequence of EntropyVector
            One vector (``EntropyVector`` or shape ``(2**N - 1,)``) or a stack
            of shape ``(m, 2**N - 1)``.

        Examples
        --------
        >>> sa = Inequality.parse("S_A + S_B >= S_AB")
        >>> sa.evaluate([[1, 1, 0], [1, 1, 2]])
        array([2., 0.])
        """
        arr = as_vector_array(vectors, self._n, "vectors")
        out = arr @ self._coef
        return float(out) if out.ndim == 0 else out

    def holds(self, vectors, atol: float = 0.0, rtol: float = RTOL) -> bool | np.ndarray:
        """Whether the slack is ``>= -(atol + rtol * max|S|)`` (one bool, or an array).

        The tolerance is relative to each vector's scale (its largest
        ``|S_I|``), so a vector and any positive multiple of it get the same
        answer; ``atol`` adds an absolute margin in the units of the vector.
        This is the one rule of :mod:`qinfo.entropy_cones` (also used by
        :func:`~qinfo.entropy_cones.violations` and
        :func:`~qinfo.entropy_cones.in_cone`).

        Parameters
        ----------
        vectors : EntropyVector or array_like
            One vector, or one per row.
        atol, rtol : float
            Absolute margin (units of the vector) and margin relative to ``max|S|``.

        Examples
        --------
        >>> Inequality.parse("S_A + S_B >= S_AB").holds(EntropyVector([1, 1, 3]))
        False
        >>> Inequality.parse("S_A + S_B >= S_AB").holds(EntropyVector([1e-12, 1e-12, 3e-12]))
        False
        """
        arr = as_vector_array(vectors, self._n, "vectors")
        out = arr @ self._coef >= -tolerance(arr, atol=atol, rtol=rtol)
        return bool(out) if out.ndim == 0 else out

    # -- symmetry and lifting -----------------------------------------------------
    def permute(self, mapping: Mapping[str, str] | str) -> "Inequality":
        """The image under a relabelling of the N+1 parties (purifier included).

        ``mapping`` is as in :meth:`EntropyVector.permute`; the image holds on
        ``v.permute(mapping)`` exactly when this one holds on ``v``.

        Parameters
        ----------
        mapping : mapping or str
            ``{old party: new party}`` or the new order of ``"AB...O"``.

        Examples
        --------
        >>> print(Inequality.parse("S_A + S_B >= S_AB").permute({"B": "O", "O": "B"}))
        S_A + S_AB >= S_B
        """
        dummy = EntropyVector(np.zeros(len(self._coef)))
        perm = dummy._perm_array(mapping)
        # w = v[idx] is the permuted vector; f . v = f' . w needs f'[k] = f[idx[k]]
        idx = permutation_index(self._n, perm)
        return self._with(self._coef[idx])

    def instances(self, n_parties: int | None = None) -> list["Inequality"]:
        """All distinct instances, purifier included, optionally on more parties.

        With ``n_parties`` omitted (or equal to N) these are the images under
        the ``(N+1)!`` permutations of the N+1 parties. With ``n_parties = M > N``
        they are the images under every *grouping*: each of the M+1
        subsystems (``O`` included) is assigned to one of the N+1 parties of
        this inequality, every party receiving at least one subsystem. An
        inequality valid for a class of states closed under grouping
        subsystems (all quantum states, stabilizer states, graph models) stays
        valid on every instance. The first entry is the inequality itself
        (lifted); the rest come in a fixed order.

        The enumeration grows like ``(N+1)**(M+1) * 2**M``; requests whose
        :meth:`instances_work` exceeds ``BUDGET["enumeration"]`` (see
        :data:`~qinfo.entropy_cones.BUDGET`) raise ValueError before
        any work starts.

        Parameters
        ----------
        n_parties : int, optional
            M >= N parties of the vectors the instances act on; default N.

        Examples
        --------
        >>> len(Inequality.parse("S_A + S_B >= S_AB").instances())   # the 3 SA instances
        3
        >>> len(Inequality.parse("I(A:B|C) >= 0").instances())   # SSA and WM at 3 parties
        6
        >>> len(Inequality.parse("S_A + S_B >= S_AB").instances(3))   # I(X:Y) >= 0, 4 subsystems
        18
        """
        work = self.instances_work(n_parties)
        check_budget("enumeration", work, f"the instances of '{self}' on {n_parties or self._n} parties")
        if n_parties is None or n_parties == self._n:
            table = self._coef[all_permutation_indices(self._n)]
        else:
            target = _grouping_targets(self._n, n_parties)
            table = np.zeros((target.shape[0], (1 << n_parties) - 1))
            rows = np.broadcast_to(np.arange(target.shape[0])[:, None], target.shape)
            np.add.at(table, (rows, target), np.broadcast_to(self._coef, target.shape))
            table = np.vstack([self.lift(n_parties)._coef, table])  # the lift comes first
        return [self._with(table[k], n_parties) for k in _first_distinct_rows(table)]

    def instances_work(self, n_parties: int | None = None) -> int:
        """Estimated size (array entries) of the enumeration behind :meth:`instances`.

        ``(N+1)! * (2**N - 1)`` for the permutations, and for groupings onto
        ``M = n_parties`` the largest of the arrays built: every map of the
        ``M + 1`` subsystems to the ``N + 1`` parties, and the onto ones times
        ``(N + 1) * 2**N`` and ``2**M``. Cheap to compute; nothing is enumerated.

        Parameters
        ----------
        n_parties : int, optional
            M >= N parties of the vectors the instances act on; default N.

        Examples
        --------
        >>> sa = Inequality.parse("S_A + S_B >= S_AB")
        >>> sa.instances_work(), sa.instances_work(3)
        (18, 432)
        """
        n = self._n
        if n_parties is None or n_parties == n:
            return math.factorial(n + 1) * ((1 << n) - 1)
        check_n_parties(n_parties)
        if n_parties < n:
            raise ValueError(f"n_parties must be at least {n} (this inequality's N), got {n_parties}")
        m = n_parties + 1
        k = n + 1
        onto = sum((-1) ** j * math.comb(k, j) * (k - j) ** m for j in range(k + 1))
        return max(k**m * m, onto * ((1 << n) - 1) * m, onto * ((1 << n_parties) - 1))

    def lift(self, n_parties: int) -> "Inequality":
        """The same inequality read in a system of ``n_parties >= N`` parties.

        The terms keep their labels; the new parties appear in no term, so the
        old purifier becomes the new purifier together with the new parties.

        Parameters
        ----------
        n_parties : int
            The larger party number.

        Examples
        --------
        >>> print(Inequality.parse("S_A + S_B >= S_AB").lift(3).coefficients)
        [ 1.  1.  0. -1.  0.  0.  0.]
        """
        check_n_parties(n_parties)
        if n_parties < self._n:
            raise ValueError(f"n_parties must be at least {self._n} to lift this inequality, got {n_parties}")
        coef = np.zeros((1 << n_parties) - 1)
        coef[mask_to_index(n_parties)[list(subset_masks(self._n))]] = self._coef
        return self._with(coef, n_parties)

    def is_balanced(self) -> bool:
        """Whether for every party the coefficients of the terms containing it sum to 0.

        Examples
        --------
        >>> Inequality.parse("I(A:B|C) >= 0").is_balanced()
        True
        >>> Inequality.parse("S_A + S_AB >= S_B").is_balanced()   # Araki-Lieb
        False
        """
        masks = np.array(subset_masks(self._n))
        return all(abs(self._coef[(masks >> i) & 1 == 1].sum()) < 1e-9 for i in range(self._n))

    def is_superbalanced(self) -> bool:
        """Whether the inequality stays balanced whichever of the N+1 parties is the purifier.

        This is the notion of He, Headrick and Hubeny (arXiv:1905.06985): SSA
        is balanced but not superbalanced, MMI and the holographic facets other
        than SA are superbalanced.

        Examples
        --------
        >>> Inequality.parse("I(A:B|C) >= 0").is_superbalanced()
        False
        """
        names = LETTERS[: self._n]
        if not self.is_balanced():
            return False
        return all(self.permute({c: PURIFIER, PURIFIER: c}).is_balanced() for c in names)

    # -- output -------------------------------------------------------------------
    def to_sympy(self):
        """The inequality as a sympy relation ``lhs >= rhs`` over symbols ``S_A, S_AB, ...``.

        Examples
        --------
        >>> Inequality.parse("S_A + S_B >= S_AB").to_sympy()
        S_A + S_B >= S_AB
        """
        import sympy

        def side(terms: dict[str, float]):
            return sympy.Add(*[_sympy_number(c) * sympy.Symbol(f"S_{lab}") for lab, c in terms.items()])

        return sympy.Ge(side(self.lhs), side(self.rhs), evaluate=False)

    def __str__(self) -> str:
        return f"{_side_text(self.lhs)} >= {_side_text(self.rhs)}"

    def __repr__(self) -> str:
        extra = f", n_parties={self._n}" if _infer_n_parties_or_none(self.lhs, self.rhs) != self._n else ""
        extra += f", name={self.name!r}" if self.name else ""
        return f"Inequality.parse({str(self)!r}{extra})"

    def _key(self) -> tuple:
        return (self._n, tuple(np.round(self._coef, DECIMALS).tolist()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Inequality):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _with(self, coef: np.ndarray, n: int | None = None) -> "Inequality":
        new = Inequality.__new__(Inequality)
        new._init(np.array(coef, dtype=float), self._n if n is None else n, self.name, self.reference)
        return new


# -- helpers ----------------------------------------------------------------------
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<rel>>=|<=|≥|≤)
  | (?P<op>[+\-−])
  | (?P<star>\*)
  | (?P<S>S_(?P<s1>[A-Z]+)|S\((?P<s2>[A-Z]+)\))
  | (?P<I>I\(\s*(?P<x>[A-Z]+)\s*:\s*(?P<y>[A-Z]+)\s*(?:\|\s*(?P<z>[A-Z]+)\s*)?\))
  | (?P<num>\d+(?:\.\d*)?(?:/\d+)?|\.\d+)
    """,
    re.VERBOSE,
)


def _tokenize(text: str):
    """Yield ``(kind, value, position)``; raise on the first unknown character."""
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            bad = re.match(r"\S+", text[pos:]).group(0)
            _fail(text, pos, f"cannot read {bad!r}")
        kind = m.lastgroup if m.lastgroup in ("ws", "rel", "op", "star", "num") else None
        if m.group("S") is not None:
            kind, value = "term", {m.group("s1") or m.group("s2"): 1.0}
        elif m.group("I") is not None:
            x, y, z = m.group("x"), m.group("y"), m.group("z") or ""
            if set(x) & set(y) or set(z) & (set(x) | set(y)):
                _fail(text, pos, f"the sets in {m.group('I')!r} must be disjoint")
            value = {}
            for lab, c in ((x + z, 1.0), (y + z, 1.0), (x + y + z, -1.0), (z, -1.0)):
                if lab:
                    value[lab] = value.get(lab, 0.0) + c
            kind = "term"
        else:
            value = m.group(0)
            if kind == "rel":
                value = {"≥": ">=", "≤": "<="}.get(value, value)
            if kind == "op":
                value = "-" if value == "−" else value
            if kind == "num" and Fraction(value) == 0:
                nxt = _TOKEN.match(text, m.end())
                while nxt is not None and nxt.lastgroup == "ws":
                    nxt = _TOKEN.match(text, nxt.end())
                if nxt is None or nxt.lastgroup in ("rel", "op"):
                    kind, value = "term", {}  # a lone 0 is the empty sum
        if kind != "ws":
            yield kind, value, pos
        pos = m.end()


@lru_cache(maxsize=None)
def _grouping_targets(n_src: int, n_tgt: int) -> np.ndarray:
    """Where each source coefficient goes under every surjective grouping.

    Row k belongs to one map phi from the ``n_tgt + 1`` target subsystems (the
    last is the purifier) onto the ``n_src + 1`` source parties; entry j is
    the canonical position of the image of source subset j, the union of the
    preimages, complemented when it contains the target purifier.
    """
    maps = np.array(list(itertools.product(range(n_src + 1), repeat=n_tgt + 1)), dtype=np.int64)
    onto = np.all(np.stack([np.any(maps == p, axis=1) for p in range(n_src + 1)]), axis=0)
    maps = maps[onto]
    full = (1 << n_tgt) - 1
    src_masks = np.array(subset_masks(n_src), dtype=np.int64)
    inside = (src_masks[None, :, None] >> maps[:, None, :]) & 1  # (K, d_src, n_tgt + 1)
    image = (inside << np.arange(n_tgt + 1)).sum(axis=2)
    image = np.where(image >> n_tgt & 1, full & ~image, image)
    target = np.asarray(mask_to_index(n_tgt))[image]
    target.setflags(write=False)
    return target


def _first_distinct_rows(table: np.ndarray) -> list[int]:
    """Indices of the first occurrence of each distinct row (rounded), in order.

    A dict over the rows' bytes: linear time, where ``np.unique(axis=0)`` sorts
    (seconds for the 40,000 rows of SSA on 7 parties).
    """
    rounded = np.ascontiguousarray(np.round(table, DECIMALS) + 0.0)  # + 0.0: no -0.0
    first: dict[bytes, int] = {}
    for k, row in enumerate(rounded):
        first.setdefault(row.tobytes(), k)
    return list(first.values())


def _fail(text: str, pos: int, message: str):
    raise ValueError(f"cannot parse inequality at position {pos}: {message}\n  {text}\n  {' ' * pos}^")


#: Parties an inferred N may leave unused before a label is taken for a typo.
_MAX_UNUSED = 2


def infer_n_parties(labels: Iterable[str], *, check_jump: bool = False) -> int:
    """N from the highest party letter in ``labels``.

    With ``check_jump``, refuse letters far beyond the others (``S_Z`` among
    ``A``-``C`` would make 25 parties): more than ``_MAX_UNUSED`` letters
    below the highest one unused is taken as a typo, and the message suggests
    the letters that were probably meant.
    """
    used: dict[int, str] = {}
    for label in labels:
        if not isinstance(label, str):
            raise TypeError(f"subset labels must be strings, got {label!r}")
        for ch in label:
            if ch == PURIFIER:
                continue
            pos = LETTERS.find(ch)
            if pos < 0:
                raise ValueError(f"subset label {label!r}: unknown party {ch!r}; parties are capital "
                                 f"letters other than O, and O is the purifier")
            used.setdefault(pos, label)
    if not used:
        raise ValueError("cannot infer n_parties from an inequality that names no party; pass n_parties")
    top = max(used)
    if check_jump and top + 1 - len(used) > _MAX_UNUSED:
        others = sorted(used)[:-1]
        # the letters that would have been accepted in place of the far one
        guess = [c for i, c in enumerate(LETTERS[: len(used) + _MAX_UNUSED]) if i not in used]
        seen = f"only {', '.join(LETTERS[i] for i in others)}" if others else "no other party"
        raise ValueError(
            f"term S_{used[top]}: party {LETTERS[top]!r} would make this a {top + 1}-party "
            f"inequality, but the other terms use {seen}; did you mean "
            f"{_or(guess)}? Pass n_parties={top + 1} if {LETTERS[top]!r} is meant")
    return top + 1


def _or(items: list[str]) -> str:
    words = [repr(x) for x in items]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _infer_n_parties_or_none(*sides: dict) -> int | None:
    """What parsing the printed text would infer: None if it names no party or would refuse."""
    labels = [lab for side in sides for lab in side]
    try:
        return infer_n_parties(labels, check_jump=True) if labels else None
    except ValueError:
        return None


def _label_position(label: str, n: int) -> int | None:
    mask, purifier = parse_subset(label, n)
    if purifier:
        mask = ((1 << n) - 1) & ~mask
    if mask == 0:
        return None
    return int(mask_to_index(n)[mask])


def _as_coefficient(c, label: str) -> float:
    if isinstance(c, bool) or not isinstance(c, (int, float, np.integer, np.floating, Fraction)):
        raise TypeError(f"coefficient of {label!r} must be a real number, got {c!r}")
    value = float(c)
    if not np.isfinite(value):
        raise ValueError(f"coefficient of {label!r} must be finite, got {c!r}")
    return value


def as_vector_array(vectors, n: int, arg: str) -> np.ndarray:
    """Stack vectors into shape ``(2**n - 1,)`` or ``(m, 2**n - 1)``, checking N."""
    if isinstance(vectors, EntropyVector):
        if vectors.n_parties != n:
            raise ValueError(f"{arg} has {vectors.n_parties} parties; expected {n}")
        return vectors.values
    if isinstance(vectors, (list, tuple)) and vectors and all(isinstance(v, EntropyVector) for v in vectors):
        bad = {v.n_parties for v in vectors} - {n}
        if bad:
            raise ValueError(f"{arg} contains vectors with {sorted(bad)} parties; expected {n}")
        return np.stack([v.values for v in vectors])
    arr = np.asarray(vectors, dtype=float)
    d = (1 << n) - 1
    if arr.ndim not in (1, 2) or arr.shape[-1] != d:
        raise ValueError(f"{arg} must have shape ({d},) or (m, {d}) for {n} parties "
                         f"(2**N - 1 entries per vector), got shape {arr.shape}")
    return arr


def _fmt_num(c: float) -> str:
    if abs(c - round(c)) < 1e-9:
        return str(int(round(c)))
    frac = Fraction(c).limit_denominator(1000)
    if abs(float(frac) - c) < 1e-12:
        return f"{frac.numerator}/{frac.denominator}"
    return f"{c:.6g}"


def _side_text(terms: dict[str, float]) -> str:
    if not terms:
        return "0"
    parts = []
    for lab, c in terms.items():
        parts.append(f"S_{lab}" if abs(c - 1) < 1e-12 else f"{_fmt_num(c)} S_{lab}")
    return " + ".join(parts)


def _sympy_number(c: float):
    import sympy

    if abs(c - round(c)) < 1e-12:
        return sympy.Integer(int(round(c)))
    frac = Fraction(c).limit_denominator(1000)
    if abs(float(frac) - c) < 1e-12:
        return sympy.Rational(frac.numerator, frac.denominator)
    return sympy.Float(c)

