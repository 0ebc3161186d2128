"""Entropy vectors of stabilizer states and of all graph states, in bits, over GF(2).

A stabilizer state on ``n`` qubits is given by ``k <= n`` independent,
commuting Pauli generators ``g_1, ..., g_k``; its density matrix is
``rho = 2**-n * prod_i (1 + g_i)``. Write the generators as the rows of a
binary ``k x 2n`` matrix ``G = [X | Z]``. For a set ``Q`` of qubits with
complement ``Q^c`` (Fattal et al., quant-ph/0406168),

    S(Q) = |Q| - dim(stabilizer subgroup supported on Q)
         = |Q| - k + rank_GF2(G restricted to the x and z columns of Q^c)

in bits, since an element of the group is supported on ``Q`` exactly when its
restriction to ``Q^c`` vanishes. For a pure state (``k = n``) this equals
``rank(G|_Q) - |Q|``; for the graph state of a graph with adjacency matrix
``Gamma`` (generators ``X_v prod_{u ~ v} Z_u``) it is
``rank_GF2(Gamma[Q, Q^c])``.

Qubit order: character ``k`` of a Pauli string acts on qubit ``k`` (the
physics and Stim convention). Qiskit's ``Pauli`` labels are written the other
way round (the rightmost character is qubit 0); qiskit objects passed here
are read through their qubit-indexed arrays, so qubit ``k`` is qiskit's
qubit ``k``.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np
from tqdm.auto import tqdm

from .._io import check_writable_dir, folder_lock, load_json, load_npz, save_json, save_npz
from .._kernels.gf2 import masked_ranks, pack_rows
from .._optional import require
from .._validate import check_int
from .._parallel import parallel_map, show_progress
from ._records import check_keys, check_model, load_record, require_key, save_record
from ._vectors import (
    MAX_PARTIES,
    PURIFIER,
    EntropyVector,
    LETTERS,
    all_permutation_indices,
    party_letters,
    subset_masks,
)

__all__ = [
    "StabilizerState",
    "stabilizer_entropy_vector",
    "symplectic_matrix",
    "graph_state_entropy_vectors",
    "GraphStateEntropies",
    "Orbit",
    "MAX_ENUMERATION_QUBITS",
]

#: Largest number of qubits :func:`graph_state_entropy_vectors` enumerates (2**28 graphs).
MAX_ENUMERATION_QUBITS = 8
_PAULI_BITS = {"I": (0, 0), "_": (0, 0), "X": (1, 0), "Y": (1, 1), "Z": (0, 1)}
_CHUNK = 1 << 21  # graphs per slice up to 7 qubits: all, so the kernel can pair them all up
_CHUNK_8 = 1 << 22  # graphs per slice on 8 qubits (64 slices of about 2 CPU s)
_GROUP = 16  # slices sent to the executor at a time, then merged (bounds the memory in flight)
_RESUME_KIND = "graph-state enumeration"


# --------------------------------------------------------------------------------------
# input forms -> binary symplectic matrix
# --------------------------------------------------------------------------------------
def symplectic_matrix(state: Any) -> np.ndarray:
    """The binary symplectic matrix ``[X | Z]`` of a stabilizer state's generators.

    Parameters
    ----------
    state
        Any form :func:`stabilizer_entropy_vector` accepts: a sequence of
        Pauli strings, a ``k x 2n`` 0/1 matrix, a qiskit ``StabilizerState``,
        ``Clifford`` or Clifford-only ``QuantumCircuit``, an ``n x n``
        adjacency matrix or a networkx graph.

    Returns
    -------
    numpy.ndarray of bool, shape (k, 2 n)
        Row ``i`` is generator ``i``: columns ``0..n-1`` its X part and
        ``n..2n-1`` its Z part, column ``q`` (and ``n + q``) for qubit ``q``.
        Signs are dropped (entropies do not depend on them).

    Raises
    ------
    ValueError
        If the generators have unequal lengths, unknown characters, an
        imaginary phase, do not commute or are not independent.
    TypeError
        If ``state`` is none of the accepted forms.

    Examples
    --------
    >>> symplectic_matrix(["XX", "-ZZ"]).astype(int)
    array([[1, 1, 0, 0],
           [0, 0, 1, 1]])
    """
    return _symplectic_and_keys(state)[0]


def _symplectic_and_keys(state: Any) -> tuple[np.ndarray, list | None]:
    """``(matrix, qubit keys)``; the keys are the networkx nodes for a graph, else None."""
    module = type(state).__module__ or ""
    if module.startswith("qiskit"):
        matrix, keys = _from_qiskit(state), None
    elif module.startswith("networkx"):
        matrix, keys = _from_networkx(state)
    elif isinstance(state, str):
        raise TypeError(
            f"state must be a sequence of Pauli strings, not a single string {state!r}; "
            f"pass [{state!r}] for one generator"
        )
    elif isinstance(state, np.ndarray) and state.ndim == 2:
        matrix, keys = _from_array(state), None
    elif isinstance(state, Sequence) and len(state) > 0 and all(isinstance(s, str) for s in state):
        matrix, keys = _from_pauli_strings(state), None
    elif isinstance(state, Sequence) and len(state) > 0:
        try:
            arr = np.asarray(state)
        except ValueError:  # ragged rows
            arr = np.empty(0)
        if arr.ndim != 2 or arr.dtype.kind not in "biu":
            raise TypeError(
                "state must be Pauli strings, a 0/1 matrix, a qiskit StabilizerState / Clifford / "
                "QuantumCircuit or a networkx graph; got a sequence that is none of these"
            )
        matrix, keys = _from_array(arr), None
    else:
        raise TypeError(
            "state must be a sequence of Pauli strings, a binary symplectic matrix [X|Z], an "
            "adjacency matrix, a qiskit StabilizerState / Clifford / QuantumCircuit or a networkx "
            f"graph; got {type(state).__name__}"
        )
    _check_generators(matrix)
    return matrix, keys


def _from_pauli_strings(strings: Sequence[str]) -> np.ndarray:
    rows = []
    for i, raw in enumerate(strings):
        s = raw.strip()
        if s[:1] in "+-":
            s = s[1:]
        if s[:1] in ("i", "j") or s.startswith("1j"):
            raise ValueError(
                f"state: generator {i} {raw!r} has an imaginary phase; stabilizer generators are "
                "Hermitian, so only the signs + and - are allowed"
            )
        bad = [(pos, ch) for pos, ch in enumerate(s) if ch not in _PAULI_BITS]
        if bad:
            pos, ch = bad[0]
            raise ValueError(
                f"state: generator {i} {raw!r} has unknown character {ch!r} at qubit {pos}; "
                "allowed are I, X, Y, Z and _ (identity), after an optional sign"
            )
        rows.append(s)
    lengths = {len(s) for s in rows}
    if len(lengths) != 1:
        detail = ", ".join(f"{len(s)} ({strings[i]!r})" for i, s in enumerate(rows))
        raise ValueError(f"state: Pauli strings must all have the same length; got lengths {detail}")
    n = lengths.pop()
    if n == 0:
        raise ValueError("state: the Pauli strings are empty (no qubits)")
    matrix = np.zeros((len(rows), 2 * n), dtype=bool)
    for i, s in enumerate(rows):
        for q, ch in enumerate(s):
            matrix[i, q], matrix[i, n + q] = _PAULI_BITS[ch]
    return matrix


def _from_array(arr: np.ndarray) -> np.ndarray:
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"state: a matrix must hold 0/1 entries, got dtype {arr.dtype}")
    if not np.isin(arr, (0, 1)).all():
        raise ValueError("state: a binary symplectic or adjacency matrix must hold only 0 and 1")
    rows, cols = arr.shape
    if rows == cols:
        return _graph_generators(arr.astype(bool), "state (adjacency matrix)")
    if cols % 2 or rows > cols // 2:
        raise ValueError(
            f"state: a matrix of shape {arr.shape} is neither an n x n adjacency matrix nor a "
            "k x 2n symplectic matrix [X|Z] with k <= n generators"
        )
    return arr.astype(bool)


def _graph_generators(adjacency: np.ndarray, what: str) -> np.ndarray:
    if not np.array_equal(adjacency, adjacency.T):
        raise ValueError(f"{what} must be symmetric (an undirected graph)")
    if adjacency.diagonal().any():
        loops = np.flatnonzero(adjacency.diagonal()).tolist()
        raise ValueError(f"{what} has self-loops at vertices {loops}; graph states have none")
    n = adjacency.shape[0]
    return np.hstack([np.eye(n, dtype=bool), adjacency])


def _from_networkx(graph) -> tuple[np.ndarray, list]:
    import networkx as nx

    if graph.is_directed() or graph.is_multigraph():
        raise ValueError("state: a graph state needs a simple undirected networkx.Graph")
    nodes = list(graph.nodes)
    if not nodes:
        raise ValueError("state: the graph has no vertices")
    for u, v, data in graph.edges(data=True):
        if data.get("weight", 1) != 1:
            raise ValueError(
                f"state: edge {(u, v)} has weight {data['weight']}; graph-state edges are unweighted"
            )
    adjacency = nx.to_numpy_array(graph, nodelist=nodes, weight=None) != 0
    return _graph_generators(adjacency, "state (networkx graph)"), nodes


def _from_qiskit(state) -> np.ndarray:
    QuantumCircuit = require("qiskit", feature="qiskit stabilizer states").QuantumCircuit
    QiskitError = require("qiskit.exceptions").QiskitError
    quantum_info = require("qiskit.quantum_info")
    Clifford, StabilizerState = quantum_info.Clifford, quantum_info.StabilizerState

    if isinstance(state, StabilizerState):
        cliff = state.clifford
    elif isinstance(state, Clifford):
        cliff = state
    elif isinstance(state, QuantumCircuit):
        try:
            cliff = Clifford(state)
        except QiskitError as err:
            raise ValueError(f"state: the circuit is not a Clifford circuit without measurements ({err})") from err
    else:
        raise TypeError(
            f"state: qiskit objects must be a StabilizerState, Clifford or QuantumCircuit, got "
            f"{type(state).__name__}"
        )
    return np.hstack([cliff.stab_x, cliff.stab_z]).astype(bool)


def _check_generators(matrix: np.ndarray) -> None:
    k, two_n = matrix.shape
    n = two_n // 2
    if k == 0:
        raise ValueError("state: no generators given")
    if k > n:
        raise ValueError(f"state: {k} generators on {n} qubits cannot be independent (at most {n})")
    x = matrix[:, :n].astype(np.int64)
    z = matrix[:, n:].astype(np.int64)
    clash = np.argwhere(np.triu((x @ z.T + z @ x.T) % 2))
    if clash.size:
        i, j = clash[0]
        raise ValueError(f"state: generators {i} and {j} anticommute; a stabilizer group is abelian")
    packed = pack_rows(matrix)
    full = np.full((1, packed.shape[1]), np.iinfo(np.uint64).max, dtype=np.uint64)
    if masked_ranks(packed, full)[0] < k:
        for j in range(k):  # report the first generator that is a product of earlier ones
            if masked_ranks(packed[: j + 1], full)[0] <= j:
                what = "the identity" if not matrix[j].any() else "a product of earlier generators"
                raise ValueError(
                    f"state: generators are not independent: generator {j} is {what} (up to sign)"
                )


# --------------------------------------------------------------------------------------
# parties
# --------------------------------------------------------------------------------------
def _party_of_qubit(parties: Any, n_qubits: int, keys: list | None = None) -> tuple[np.ndarray, int]:
    """Party index of every qubit (``N`` for the purifier) and ``N``."""
    if isinstance(parties, Mapping):
        keys = list(range(n_qubits)) if keys is None else keys
        unknown = [q for q in parties if q not in keys]
        if unknown:
            raise ValueError(
                f"parties names qubits {unknown[:5]} that the state does not have (qubits: "
                f"{keys if len(keys) <= 10 else f'0..{n_qubits - 1}'})"
            )
        missing = [q for q in keys if q not in parties]
        if missing:
            raise ValueError(
                f"parties gives no party for qubits {missing[:10]}; every qubit needs one "
                "(put qubits to be traced out of a pure state in the purifier O)"
            )
        letters = [parties[q] for q in keys]
    elif isinstance(parties, (str, Sequence)):
        letters = list(parties)
        if len(letters) != n_qubits:
            raise ValueError(
                f"parties must give one letter per qubit ({n_qubits}), got {len(letters)}: {parties!r}"
            )
    else:
        raise TypeError(f"parties must be a string, a sequence of letters or a dict, got {type(parties).__name__}")
    allowed = LETTERS + PURIFIER
    for letter in letters:
        if not isinstance(letter, str) or len(letter) != 1 or letter not in allowed:
            raise ValueError(f"parties: {letter!r} is not a party letter (A, B, ..., skipping O) or O")
    used = sorted({c for c in letters if c != PURIFIER}, key=LETTERS.index)
    if not used:
        raise ValueError("parties: at least one qubit must belong to an ordinary party (not O)")
    n_parties = len(used)
    if n_parties > MAX_PARTIES or "".join(used) != party_letters(n_parties):
        raise ValueError(
            f"parties uses {', '.join(used)}; an N-party vector needs exactly the first N letters "
            f"({party_letters(min(n_parties, MAX_PARTIES))})"
        )
    index = {c: i for i, c in enumerate(used)} | {PURIFIER: n_parties}
    return np.array([index[c] for c in letters], dtype=np.int64), n_parties


def _subset_qubit_masks(party: np.ndarray, n_parties: int) -> list[int]:
    """For each party subset in canonical order, the bit mask of its qubits."""
    per_party = [0] * (n_parties + 1)
    for q, p in enumerate(party):
        per_party[p] |= 1 << q
    out = []
    for mask in subset_masks(n_parties):
        out.append(sum(per_party[i] for i in range(n_parties) if mask >> i & 1))
    return out


# --------------------------------------------------------------------------------------
# one state
# --------------------------------------------------------------------------------------
def stabilizer_entropy_vector(state: Any, parties: str | Sequence[str] | Mapping[Any, str]) -> EntropyVector:
    """Entropy vector (in bits) of a stabilizer state, pure or mixed.

    Parameters
    ----------
    state
        The stabilizer group, in any of these forms:

        - a sequence of Pauli strings such as ``["+XZZXI", "-IXZZX"]``
          (characters ``I X Y Z`` or ``_``, optional sign ``+``/``-``).
          Character ``k`` acts on qubit ``k``, the physics and Stim
          convention -- the reverse of qiskit's ``Pauli`` labels, where the
          rightmost character is qubit 0;
        - a binary symplectic matrix ``[X | Z]`` of shape ``(k, 2n)``, one
          generator per row, ``k <= n``;
        - a ``qiskit.quantum_info.StabilizerState`` or ``Clifford`` (its
          stabilizer rows), or a Clifford-only ``QuantumCircuit`` (no
          measurements) applied to ``|0...0>``;
        - a graph state: an ``n x n`` symmetric 0/1 adjacency matrix (a square
          matrix is always read as an adjacency matrix, since ``n`` generators
          never fit in ``n / 2`` qubits) or a ``networkx.Graph``.

        Signs do not change entropies; they are checked and dropped.
    parties : str, sequence or dict
        The party of each qubit: one letter per qubit (``"ABCDO"``,
        ``"AABO"``) or a dict ``{qubit: letter}`` covering every qubit (for a
        networkx graph the keys are its nodes and the sequence follows
        ``graph.nodes``). Letters are ``A, B, ...`` (the first N, skipping
        ``O``) and ``O``, the purifier; several qubits may share a party.

    Returns
    -------
    EntropyVector
        The N-party vector, ``N`` the number of ordinary letters used, in
        bits. Entry ``I`` is ``S`` of the qubits of the parties in ``I``.

    Notes
    -----
    Entropies are GF(2) ranks: ``S(Q) = |Q| - k + rank(G|_{Q^c})`` for ``k``
    generators ``G = [X | Z]`` (see the module notes), computed with
    bit-packed Gaussian elimination.

    Pure states (``k = n``): the qubits labelled ``O`` are the purifier. If
    no qubit is labelled ``O`` the purifier is trivial and ``S`` of all
    parties is 0.

    Mixed states (``k < n``): the vector describes the state itself;
    ``S`` of all parties is ``n - k``, and the ``O`` of the
    :class:`~qinfo.entropy_cones.EntropyVector` (``v["AO"]`` etc.)
    is the state's purification, consistent with ``S(I ∪ O) = S(complement
    of I)``. Labelling qubits of a mixed state ``O`` is refused, because
    those qubits would not purify the rest; give them an ordinary letter.

    Examples
    --------
    >>> stabilizer_entropy_vector(["XX", "ZZ"], "AB")                    # Bell pair
    EntropyVector(A=1, B=1, AB=0)
    >>> stabilizer_entropy_vector(["XXX", "ZZI", "IZZ"], "ABO")          # GHZ
    EntropyVector(A=1, B=1, AB=1)
    >>> code = ["XZZXI", "IXZZX", "XIXZZ", "ZXIXZ", "ZZZZZ"]             # [[5,1,3]] |0_L>
    >>> stabilizer_entropy_vector(code, "ABCDO")["AB"]
    2.0
    >>> stabilizer_entropy_vector(["ZZ"], "AB")                          # mixed, S_AB = 1
    EntropyVector(A=1, B=1, AB=1)
    >>> import networkx as nx
    >>> stabilizer_entropy_vector(nx.path_graph(3), "ABA")
    EntropyVector(A=1, B=1, AB=0)
    """
    matrix, keys = _symplectic_and_keys(state)
    k, two_n = matrix.shape
    n = two_n // 2
    party, n_parties = _party_of_qubit(parties, n, keys)
    if k < n and (party == n_parties).any():
        raise ValueError(
            f"parties puts qubits {np.flatnonzero(party == n_parties).tolist()} in the purifier O, but "
            f"the state is mixed ({k} generators on {n} qubits), so they do not purify the rest; "
            "label them with an ordinary party letter (the vector's O is then the purification)"
        )
    qubit_masks = _subset_qubit_masks(party, n_parties)
    everything = (1 << n) - 1
    col_bits = np.zeros((len(qubit_masks), two_n), dtype=bool)
    sizes = np.empty(len(qubit_masks), dtype=np.int64)
    for j, qmask in enumerate(qubit_masks):
        complement = [q for q in range(n) if (everything & ~qmask) >> q & 1]
        col_bits[j, complement] = True
        col_bits[j, [n + q for q in complement]] = True
        sizes[j] = n - len(complement)
    ranks = masked_ranks(pack_rows(matrix), pack_rows(col_bits))
    return EntropyVector(sizes - k + ranks)


@dataclass(frozen=True)
class StabilizerState:
    """A stabilizer state as Pauli-string generators with a party per qubit (bits).

    The serialisable form of the input of :func:`stabilizer_entropy_vector`,
    with the same ``to_dict``/``from_dict``/``save``/``load`` as
    :class:`~qinfo.entropy_cones.Hypergraph` and
    :class:`~qinfo.entropy_cones.LinkModel`.

    Parameters
    ----------
    stabilizers : sequence of str
        Independent commuting generators such as ``"+XZZXI"`` (characters
        ``I X Y Z`` or ``_``, optional sign); character ``k`` acts on qubit ``k``.
        Fewer generators than qubits give a mixed state.
    parties : str or sequence of str
        The party of each qubit (``"ABO"``, ``["A", "A", "O"]``); ``O`` is the purifier.

    Examples
    --------
    >>> ghz = StabilizerState(["XXX", "ZZI", "IZZ"], "ABO")
    >>> ghz.entropy_vector()
    EntropyVector(A=1, B=1, AB=1)
    >>> StabilizerState.from_dict(ghz.to_dict()) == ghz
    True
    """

    stabilizers: tuple[str, ...]
    parties: str | tuple[str, ...]

    def __post_init__(self):
        stabs = self.stabilizers
        if isinstance(stabs, str) or not isinstance(stabs, Sequence) or not all(isinstance(p, str) for p in stabs):
            raise TypeError('stabilizers must be a list of Pauli strings such as "XXZ"')
        object.__setattr__(self, "stabilizers", tuple(stabs))
        parties = self.parties
        if isinstance(parties, str):
            parties = parties.strip()
        elif isinstance(parties, Sequence) and all(isinstance(p, str) for p in parties):
            parties = tuple(parties)
        else:
            raise TypeError(f'parties must be a string with one letter per qubit, e.g. "ABO", got {parties!r}')
        object.__setattr__(self, "parties", parties)

    def entropy_vector(self) -> EntropyVector:
        """The entropy vector in bits (:func:`stabilizer_entropy_vector`).

        Returns
        -------
        EntropyVector

        Examples
        --------
        >>> StabilizerState(["XX", "ZZ"], "AB").entropy_vector()
        EntropyVector(A=1, B=1, AB=0)
        """
        return stabilizer_entropy_vector(list(self.stabilizers), self.parties)

    def to_dict(self) -> dict:
        """The JSON form that ``qinfo entropy`` reads and :meth:`from_dict` inverts.

        Returns
        -------
        dict
            ``{"model": "stabilizer", "stabilizers": [...], "parties": ...}``.

        Examples
        --------
        >>> StabilizerState(["XX", "ZZ"], "AB").to_dict()
        {'model': 'stabilizer', 'stabilizers': ['XX', 'ZZ'], 'parties': 'AB'}
        """
        parties = self.parties if isinstance(self.parties, str) else list(self.parties)
        return {"model": "stabilizer", "stabilizers": list(self.stabilizers), "parties": parties}

    @classmethod
    def from_dict(cls, obj: dict, *, parties: str | Sequence[str] | None = None) -> "StabilizerState":
        """The state of a JSON form such as :meth:`to_dict` writes.

        Parameters
        ----------
        obj : dict
            ``"stabilizers"`` (Pauli strings) and ``"parties"``; ``"model"``, if
            present, is ``"stabilizer"``.
        parties : str or sequence of str, optional
            Overrides ``obj["parties"]`` (then it may be absent).

        Returns
        -------
        StabilizerState

        Examples
        --------
        >>> StabilizerState.from_dict({"stabilizers": ["XX", "ZZ"]}, parties="AO").entropy_vector()
        EntropyVector(A=1)
        """
        check_model(obj, ("stabilizer",))
        check_keys(obj, {"model", "stabilizers", "parties"}, "stabilizer state")
        paulis = require_key(obj, "stabilizers", "stabilizer state")
        if not isinstance(paulis, list) or not all(isinstance(p, str) for p in paulis):
            raise ValueError('"stabilizers" must be a list of Pauli strings such as "XXZ"')
        parties = parties if parties is not None else obj.get("parties")
        if parties is None:
            raise ValueError('a stabilizer state needs "parties" (or the --parties option)')
        if not isinstance(parties, str) and not (isinstance(parties, list)
                                                 and all(isinstance(p, str) for p in parties)):
            raise ValueError('"parties" must be a string with one letter per qubit, e.g. "ABO"')
        return cls(paulis, parties)

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
        >>> s = StabilizerState(["XX", "ZZ"], "AB")
        >>> StabilizerState.load(s.save(pathlib.Path(tempfile.mkdtemp()) / "bell.json")) == s
        True
        """
        return save_record(self.to_dict(), path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "StabilizerState":
        """Read a stabilizer-state file written by :meth:`save` (see :meth:`from_dict`).

        Parameters
        ----------
        path : str or path-like
            A JSON file.

        Returns
        -------
        StabilizerState

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "ghz.json"
        >>> _ = p.write_text('{"model": "stabilizer", "stabilizers": ["XXX", "ZZI", "IZZ"], "parties": "ABO"}')
        >>> StabilizerState.load(p).entropy_vector()
        EntropyVector(A=1, B=1, AB=1)
        """
        return load_record(path, cls.from_dict)


# --------------------------------------------------------------------------------------
# all graph states
# --------------------------------------------------------------------------------------
class Orbit(NamedTuple):
    """Vectors of an enumeration related by permutations of the N+1 parties.

    Parameters
    ----------
    representative : EntropyVector
        The canonical member (lexicographically largest values, as in
        :meth:`~qinfo.entropy_cones.EntropyVector.canonical`).
    members : tuple of int
        Positions in ``GraphStateEntropies.vectors`` of the vectors found.
    size : int
        Number of distinct vectors in the full orbit under permutations of
        the N+1 parties (equal to ``len(members)`` when every party has one
        qubit and all graphs are enumerated, because the enumeration is then
        closed under permutations).
    count : int
        Number of labelled graphs whose vector lies in this orbit.

    Examples
    --------
    >>> orbits = graph_state_entropy_vectors(3, "ABO", progress=False).orbits
    >>> [(o.representative, o.size) for o in orbits][:2]
    [(EntropyVector(A=0, B=0, AB=0), 1), (EntropyVector(A=1, B=1, AB=0), 3)]
    """

    representative: EntropyVector
    members: tuple[int, ...]
    size: int
    count: int


@dataclass(frozen=True, eq=False)
class GraphStateEntropies:
    """Distinct entropy vectors of all graph states on ``n_qubits`` qubits.

    Made by :func:`graph_state_entropy_vectors`; the orbits and the
    :class:`~qinfo.entropy_cones.EntropyVector` objects are built on
    first access.

    Parameters
    ----------
    n_qubits : int
        Qubits of the graph states.
    parties : str
        The party letter of each qubit.
    values : numpy.ndarray of uint8, shape (m, 2**N - 1)
        The distinct vectors in bits, one per row, sorted lexicographically.
    counts : numpy.ndarray of int64, shape (m,)
        How many of the ``2**(n(n-1)/2)`` labelled graphs give each vector.

    Examples
    --------
    >>> res = graph_state_entropy_vectors(3, "ABO", progress=False)
    >>> res.n_qubits, len(res.values), int(res.counts.sum())   # 8 labelled graphs
    (3, 5, 8)
    """

    n_qubits: int
    parties: str
    values: np.ndarray
    counts: np.ndarray

    @property
    def n_parties(self) -> int:
        """N, the number of ordinary parties (the purifier not counted)."""
        return int(round(np.log2(self.values.shape[1] + 1)))

    @property
    def n_graphs(self) -> int:
        """Number of labelled graphs enumerated."""
        return int(self.counts.sum())

    def __len__(self) -> int:
        return self.values.shape[0]

    @cached_property
    def vectors(self) -> tuple[EntropyVector, ...]:
        """The distinct vectors, in the order of :attr:`values`."""
        return tuple(EntropyVector(row) for row in self.values)

    @cached_property
    def orbits(self) -> tuple[Orbit, ...]:
        """The vectors grouped into orbits under permutations of the N+1 parties.

        Sorted by representative (lexicographically, so the product state's
        zero vector comes first). Needs N <= 7.
        """
        perms = all_permutation_indices(self.n_parties)
        position = {row.tobytes(): i for i, row in enumerate(self.values)}
        seen = np.zeros(len(self), dtype=bool)
        orbits = []
        for i in range(len(self)):
            if seen[i]:
                continue
            table, _ = _unique_rows(self.values[i][perms])
            members = tuple(sorted(position[r.tobytes()] for r in table if r.tobytes() in position))
            seen[list(members)] = True
            orbits.append(
                Orbit(EntropyVector(table[-1]), members, table.shape[0], int(self.counts[list(members)].sum()))
            )
        orbits.sort(key=lambda o: tuple(o.representative.values))
        return tuple(orbits)

    def __repr__(self) -> str:
        return (
            f"GraphStateEntropies(n_qubits={self.n_qubits}, parties={self.parties!r}, "
            f"distinct={len(self)}, graphs={self.n_graphs})"
        )


def graph_state_entropy_vectors(
    n_qubits: int,
    parties: str | Sequence[str] | Mapping[int, str] | None = None,
    *,
    graphs: range | None = None,
    executor=None,
    progress: bool | None = None,
    resume: str | os.PathLike | None = None,
) -> GraphStateEntropies:
    """Entropy vectors (bits) of all ``2**(n(n-1)/2)`` labelled graph states on ``n_qubits``.

    Every stabilizer state is local-Clifford equivalent to a graph state, and
    local Cliffords do not change entropies, so with one qubit per party this
    is every entropy vector of ``n_qubits``-qubit pure stabilizer states.

    Parameters
    ----------
    n_qubits : int
        1 to 8 (7 qubits, 2**21 graphs: under a second; 8 qubits, 2**28
        graphs: minutes per core).
    parties : str, sequence or dict, optional
        The party of each qubit, as in :func:`stabilizer_entropy_vector`.
        Default: one qubit per party, the last one the purifier
        (``"ABC...O"``), so the vectors have ``n_qubits - 1`` parties.
    graphs : range, optional
        Only the graphs with these numbers (step 1, inside
        ``range(2**(n(n-1)/2))``): graph ``g`` has the ``e``-th edge
        ``(i, j)``, ``i < j`` in lexicographic order, iff bit ``e`` of
        ``g ^ (g >> 1)`` is set. Default: all. Splits one enumeration over
        machines; the counts of the slices add up to the whole.
    executor : concurrent.futures.Executor, optional
        Runs the slices of graphs (``client.get_executor()`` for dask); the
        result does not depend on it.
    progress : bool, optional
        Show a progress bar (over slices of graphs); ``None`` (default): only
        when stderr is a terminal.
    resume : path, optional
        A folder that keeps each finished slice (one ``.npz`` file each); a
        rerun with the same arguments reads them instead of recomputing, so
        an interrupted 8-qubit run continues where it stopped.

    Returns
    -------
    GraphStateEntropies
        ``.values`` / ``.vectors`` (distinct vectors), ``.counts`` (graphs
        per vector) and ``.orbits`` (under permutations of the N+1 parties).

    Raises
    ------
    ValueError
        ``n_qubits`` outside 1..8, ``graphs`` not a step-1 range inside the
        graph numbers, or ``resume`` a folder of another enumeration.

    Notes
    -----
    ``S(Q) = rank_GF2(Gamma[Q, Q^c])`` for the adjacency matrix ``Gamma``.
    Graphs are visited 64 at a time: one graph on the other edges, in
    Gray-code order (each step flips one edge, one bit of the cut matrices it
    crosses), with every neighbourhood of qubit 0 among qubits 1-6. Each cut
    matrix without qubit 0's column is a bit field of at most 13 bits whose
    lookup gives its rank and which neighbourhoods raise it by one, so the
    64 vectors follow by bit-sliced addition; local complementation at
    qubit 0 (which keeps every entropy) pairs graphs up, so only one of each
    pair is counted (twice), and the vectors are counted in a hash table of
    their bit planes (``qinfo._kernels.graph_states``).

    Examples
    --------
    >>> res = graph_state_entropy_vectors(3, progress=False)      # 2 parties + O
    >>> res
    GraphStateEntropies(n_qubits=3, parties='ABO', distinct=5, graphs=8)
    >>> [(o.representative, o.size, o.count) for o in res.orbits]
    [(EntropyVector(A=0, B=0, AB=0), 1, 1), (EntropyVector(A=1, B=1, AB=0), 3, 3), (EntropyVector(A=1, B=1, AB=1), 1, 4)]
    >>> graph_state_entropy_vectors(3, graphs=range(4, 8), progress=False).n_graphs
    4
    """
    from .._kernels import graph_states as kernel

    if not 1 <= check_int("n_qubits", n_qubits, 1) <= MAX_ENUMERATION_QUBITS:
        raise ValueError(f"n_qubits must be between 1 and {MAX_ENUMERATION_QUBITS}, got {n_qubits}")
    n = int(n_qubits)
    if parties is None:
        parties = party_letters(n - 1) + PURIFIER if n > 1 else "A"
    party, n_parties = _party_of_qubit(parties, n)
    letters = "".join((party_letters(n_parties) + PURIFIER)[p] for p in party)
    n_graphs = 1 << (n * (n - 1) // 2)
    if graphs is None:
        graphs = range(n_graphs)
    if not isinstance(graphs, range) or graphs.step != 1 or not 0 <= graphs.start <= graphs.stop <= n_graphs:
        raise ValueError(
            f"graphs must be a range with step 1 inside range({n_graphs}) (the graph numbers on {n} qubits), "
            f"got {graphs!r}"
        )
    tables = kernel.cut_tables(_subset_qubit_masks(party, n_parties), n)
    chunk = _CHUNK if n < MAX_ENUMERATION_QUBITS else _CHUNK_8
    slices = [(lo, min(lo + chunk, graphs.stop)) for lo in range(graphs.start, graphs.stop, chunk)]
    folder = _resume_folder(resume, n, letters, chunk)
    work = partial(_slice_keys, tables=tables, folder=folder)
    table, n_used = kernel.new_table(tables["n_words"]), 0
    with contextlib.ExitStack() as stack:
        if folder is not None:
            stack.enter_context(folder_lock(folder))
        bar = stack.enter_context(tqdm(total=len(slices), desc=f"graph states n={n}", disable=not show_progress(progress), leave=False))
        for g in range(0, len(slices), _GROUP):  # merge as we go: a slice's keys are freed once counted
            batch = slices[g : g + _GROUP]
            for keys, counts in parallel_map(work, batch, executor=executor, progress=False):
                table, n_used = kernel.merge_keys(table, n_used, keys, counts)
            bar.update(len(batch))
    keys, counts = kernel.table_items(table)
    values = kernel.decode_keys(keys, tables)
    order = np.lexsort(values.T[::-1])
    return GraphStateEntropies(n, letters, np.ascontiguousarray(values[order]), counts[order])


def _resume_folder(resume, n: int, letters: str, chunk: int) -> Path | None:
    """The resume folder, checked to belong to this enumeration (recorded in its manifest)."""
    if resume is None:
        return None
    folder = check_writable_dir(resume, arg="resume")
    manifest = {"n_qubits": n, "parties": letters, "slice": chunk}
    path = folder / "graph_states.json"
    if path.exists():
        found = load_json(path, kind=_RESUME_KIND, version=1, required=list(manifest))
        found = {k: found[k] for k in manifest}
        if found != manifest:
            raise ValueError(
                f"resume folder {os.fspath(resume)} holds the enumeration {found}, not {manifest}; "
                "use another folder"
            )
    else:
        save_json(path, manifest, kind=_RESUME_KIND, version=1)
    return folder


def _slice_keys(bounds: tuple[int, int], *, tables: dict, folder: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct packed vectors and counts of the graphs in ``bounds`` (read from / saved to ``folder``)."""
    from .._kernels import graph_states as kernel

    path = None if folder is None else folder / f"slice_{bounds[0]}_{bounds[1]}.npz"
    if path is not None and path.exists():
        saved = load_npz(path, kind=_RESUME_KIND + " slice", version=1, required=["keys", "counts"])
        return np.ascontiguousarray(saved["keys"], dtype=np.uint64), np.ascontiguousarray(saved["counts"], dtype=np.int64)
    table = kernel.enumerate_cut_keys(bounds[0], bounds[1], *[tables[k] for k in kernel.KERNEL_ARGS])
    keys, counts = kernel.table_items(table)
    if path is not None:
        save_npz(path, {"keys": keys, "counts": counts}, kind=_RESUME_KIND + " slice", version=1)
    return keys, counts


def _unique_rows(arr: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a uint8 matrix (sorted) and how often each occurs (weighted)."""
    arr = np.ascontiguousarray(arr)
    keys = arr.view(np.dtype((np.void, arr.shape[1]))).ravel()
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    if weights is None:
        counts = np.bincount(inverse, minlength=uniq.size)
    else:
        counts = np.bincount(inverse, weights=weights, minlength=uniq.size).round().astype(np.int64)
    return arr[first], counts.astype(np.int64)
