"""Explicit link diagrams for connectivity structures, as closures of pure braids.

A connectivity structure (see :meth:`LinkModel.from_connectivity`) lists the
non-split sublinks that generate a link's split structure. For each generator
``G`` this module writes a Brunnian pure braid on the strands of ``G``: the
iterated commutator ``[[...[A_12, A_23], A_34] ...]`` of pure-braid
generators ``A_ij`` between consecutive strands of ``G``. Deleting any strand
of ``G`` trivialises one ``A`` and with it the commutator, so a sublink only
keeps the generators it contains in full. The braid of the whole link is the
product over the generators; component ``c`` is the closure of strand ``c``.

When ``A_ij`` carries strand ``j`` past the strands between ``i`` and ``j``,
it passes in front of a strand of lower depth and behind one of higher depth
(``depth`` is a permutation); sublinks made of different generators then cross
only in these passes. That the closure has the intended split structure is
**not** assumed: :func:`realise_connectivity` hands the diagram to the split
oracle and compares every answer the entropy computation uses.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from typing import Iterable, Sequence

__all__ = ["LinkRealisation", "connectivity_braid", "realise_connectivity", "ssa_violating_link",
           "ingleton_violating_link", "known_diagrams", "SSA_VIOLATOR", "INGLETON_VIOLATOR"]


def _inverse(word: list[int]) -> list[int]:
    return [-g for g in reversed(word)]


def _commutator(x: list[int], y: list[int]) -> list[int]:
    return x + y + _inverse(x) + _inverse(y)


def _clasp(a: int, b: int, position: Sequence[int], depth: Sequence[int]) -> list[int]:
    """``A_ab``: strand ``b`` moves next to ``a`` (passing the strands between), clasps it, returns."""
    pa, pb = sorted((position[a], position[b]))
    mover = b if position[b] == pb else a
    at = {position[c]: c for c in range(len(position))}
    passes = [m if depth[mover] > depth[at[m]] else -m for m in range(pb - 1, pa, -1)]
    return passes + [pa, pa] + _inverse(passes)


def connectivity_braid(n_components: int, generators: Iterable[Iterable[int]], *,
                       position: Sequence[int] | None = None,
                       depth: Sequence[int] | None = None) -> list[int]:
    """A pure braid word (spherogram's convention, generators ``1 .. n-1``) for a structure.

    Parameters
    ----------
    n_components : int
    generators : iterable of sets of int
        The non-split sublinks that generate the structure, each of size >= 2.
    position : sequence of int, optional
        ``position[c]``: the braid position (1-based) of component ``c``'s
        strand; a permutation of ``1 .. n``. Default: ``c + 1``.
    depth : sequence of int, optional
        A permutation; where strands pass, the one of higher depth is in front
        (spherogram's positive generator). Default: ``position``.

    Returns
    -------
    list of int

    Examples
    --------
    >>> connectivity_braid(2, [{0, 1}])          # a Hopf clasp
    [1, 1]
    >>> len(connectivity_braid(3, [{0, 1, 2}]))  # [A_12, A_23]: Borromean rings
    8
    """
    position = [c + 1 for c in range(n_components)] if position is None else list(position)
    depth = list(position) if depth is None else list(depth)
    for name, perm in (("position", position), ("depth", depth)):
        if sorted(perm) != list(range(1, n_components + 1)):
            raise ValueError(f"{name} must be a permutation of 1..{n_components}, got {perm!r}")
    word: list[int] = []
    for g in generators:
        strands = sorted(set(g), key=lambda c: position[c])
        if len(strands) < 2 or not all(0 <= c < n_components for c in strands):
            raise ValueError(f"generator {sorted(set(g))} must name at least two components among "
                             f"0..{n_components - 1}")
        braid = _clasp(strands[0], strands[1], position, depth)
        for a, b in zip(strands[1:], strands[2:]):
            braid = _commutator(braid, _clasp(a, b, position, depth))
        word += braid
    return word


@dataclass
class LinkRealisation:
    """A diagram for a connectivity structure and what the oracle said about it.

    Parameters
    ----------
    pd : list of 4-tuples
        PD code of the closure.
    component : list of int
        ``component[c]``: the diagram component (spherogram's numbering) of
        structure component ``c``.
    model : LinkModel
        The model on the diagram, labels and weights carried over.
    agrees : bool
        Every sublink the entropy computation asked about is certified by the
        oracle (no undetermined piece) and has the structure's decomposition,
        and the diagram's entropy vector equals the structure's.
    checked : dict
        ``{sublink (structure numbering): reasons}`` for each such sublink.
    problem : str
        Empty, or the first disagreement.

    Examples
    --------
    >>> r = realise_connectivity(3, [{0, 1, 2}], "ABO")   # Borromean rings
    >>> r.agrees, r.problem
    (True, '')
    """

    pd: list
    component: list
    model: object
    agrees: bool
    checked: dict = field(default_factory=dict)
    problem: str = ""


def realise_connectivity(n_components: int, generators, labels, weights=None, *,
                         position=None, depth=None) -> LinkRealisation:
    """Draw a connectivity structure as a braid closure and certify it with the split oracle.

    Computes the entropy vector of the diagram (every split question answered
    by :mod:`qinfo.entropy_cones._link_oracle`, nothing supplied) and compares
    each decomposition it used, and the vector, with the structure's.

    Parameters
    ----------
    n_components : int
        Components of the structure.
    generators : iterable of iterable of int
        Its generating non-split sublinks (as for :meth:`LinkModel.from_connectivity`).
    labels : sequence of str or None
        A party letter or ``None`` per component.
    weights : sequence of float, optional
        A positive weight per component (default 1).
    position, depth : sequence of int, optional
        The braid position of each component's strand and which strand passes
        in front, as for :func:`connectivity_braid`.

    Returns
    -------
    LinkRealisation

    Examples
    --------
    >>> r = realise_connectivity(3, [{0, 1, 2}], "ABO")
    >>> r.agrees, r.model.entropy_vector()
    (True, EntropyVector(A=1, B=1, AB=1))
    """
    from qinfo.entropy_cones._link_oracle import LinkDiagram
    from qinfo.entropy_cones._link_samples import match_components, strand_components
    from qinfo.entropy_cones._links import LinkModel, NonQuantumVectorWarning, UndeterminedSplitError, braid_closure

    generators = [frozenset(g) for g in generators]
    structure = LinkModel.from_connectivity(n_components, generators, labels, weights)
    word = connectivity_braid(n_components, generators, position=position, depth=depth)
    name, letters = strand_components(word, n_components)
    if len(set(name.values())) != n_components or len({c for p in letters for c in p}) != n_components:
        raise ValueError("every component must be in a generator (a PD code cannot place a free circle)")
    pd = braid_closure(word)
    ours = match_components(letters, LinkDiagram.from_link(pd))
    if ours is None:
        raise ValueError("two components meet exactly the same crossings; reorder the positions")
    pos = position or [c + 1 for c in range(n_components)]
    start = {c: pos[c] - 1 for c in range(n_components)}  # a pure braid: strand c starts at its position
    component = [ours[name[start[c]]] for c in range(n_components)]
    back = {d: c for c, d in enumerate(component)}
    labels, w = list(labels), structure.weights
    model = LinkModel(pd, [labels[back[d]] for d in range(n_components)], [w[back[d]] for d in range(n_components)])
    checked, problem = {}, ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonQuantumVectorWarning)
        try:
            got = model.entropy_vector()
        except UndeterminedSplitError as exc:
            got, problem = None, f"undetermined: {exc}"
        want = structure.entropy_vector()
    for sub, dec in model.decided.items():
        mine = frozenset(back[d] for d in sub)
        pieces = sorted(sorted(back[d] for d in p) for p in dec.pieces)
        expected = sorted(sorted(p) for p in structure.split_decomposition(mine).pieces)
        checked[mine] = dec.reasons
        if not problem and not dec.certified:
            problem = f"sublink {sorted(mine)}: the oracle leaves {dec.undetermined} undetermined"
        elif not problem and pieces != expected:
            problem = f"sublink {sorted(mine)}: oracle {pieces}, structure {expected}"
    if not problem and not got.isclose(want):
        problem = f"vector {got} differs from the structure's {want}"
    return LinkRealisation(pd, component, model, not problem, checked, problem)


#: The structure behind the SSA violation (issue 14): A, C, O pairwise Hopf-linked and B
#: Brunnian with all three; weights 2, 3, 3, 2 give I(A:O|B) = -1.
SSA_VIOLATOR = (4, [{0, 2}, {0, 3}, {2, 3}, {0, 1, 2, 3}], "ABCO", [2, 3, 3, 2])


def known_diagrams(n_parties: int) -> list:
    """The explicit, certified link diagrams of this module with ``n_parties`` parties."""
    return {3: [ssa_violating_link()], 4: [ingleton_violating_link()]}.get(n_parties, [])


@functools.lru_cache(maxsize=None)
def ssa_violating_link():
    """The SSA-violating link model as an explicit diagram, every used answer certified.

    Returns
    -------
    LinkModel
        On the 32-crossing closure of :func:`connectivity_braid` for
        :data:`SSA_VIOLATOR`.

    Examples
    --------
    >>> model = ssa_violating_link()
    >>> len(model.diagram.pd), model.is_quantum_consistent()
    (32, False)
    """
    r = realise_connectivity(*SSA_VIOLATOR)
    if not r.agrees:
        raise RuntimeError(f"internal error: the SSA-violating diagram no longer realises its structure: {r.problem}")
    return r.model


#: A 4-party connectivity structure whose vector obeys SA, AL and SSA and violates Ingleton:
#: ``(n_components, generators, labels, weights, position, depth)``; position and depth are those
#: of a braid closure on which the oracle certifies every answer the entropies use.
INGLETON_VIOLATOR = (6, [{2, 3, 4}, {1, 3}, {0, 2, 3}, {0, 4, 5}, {1, 5}], ["A", "B", "C", "D", "O", "B"],
                     [1, 1, 2, 2, 1, 2], [3, 5, 2, 4, 1, 6], [2, 5, 4, 1, 3, 6])
#: How :data:`INGLETON_VIOLATOR` was found: ``search_connectivity(quantum_ingleton_violation, **INGLETON_SEARCH)``
#: returns it at try 532 (``max_tries`` only needs to be at least that).
INGLETON_SEARCH = {"seed": 11, "tries": 532, "n_components": (6, 7), "max_generator": 3}


@functools.lru_cache(maxsize=None)
def ingleton_violating_link():
    """The 4-party link model outside the hypergraph cone, on an explicit certified diagram.

    Its vector obeys SA, AL and SSA and violates an Ingleton instance; the
    structure is :data:`INGLETON_VIOLATOR`.

    Examples
    --------
    >>> from qinfo.entropy_cones import violations
    >>> v = ingleton_violating_link().entropy_vector()
    >>> len(violations(v, ["SA", "AL", "SSA"])), len(violations(v, "ingleton")) > 0
    (0, True)
    """
    m, gens, labels, weights, position, depth = INGLETON_VIOLATOR
    r = realise_connectivity(m, gens, labels, weights, position=position, depth=depth)
    if not r.agrees:
        raise RuntimeError(f"internal error: the Ingleton-violating diagram no longer realises its structure: "
                           f"{r.problem}")
    return r.model
