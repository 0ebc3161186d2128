"""Links whose split structure is known by construction, to test the split oracle.

:func:`tangled_split_link` closes a braid ``g (b_1 ... b_k) g^-1``: the blocks
``b_i`` act on disjoint sets of strands, so the closure of the middle part is
the split union of the closures of the blocks, and conjugating by a random
braid ``g`` (a Markov move, an isotopy of the closure) tangles the diagram
without changing the link. Each block is a link whose sublinks are all known
(a knot, the Hopf link, the (2,4) torus link, a chain of three rings, the
Borromean rings, an unknotted strand), so the true split decomposition of
every sublink is known exactly.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import Callable

from qinfo._optional import require
from qinfo.entropy_cones._link_oracle import LinkDiagram, UnionFind

__all__ = ["BLOCKS", "KnownLink", "OracleRates", "tangled_split_link", "table_link_names",
           "oracle_rates_on_table", "oracle_rates_on_split_links"]


def _all_together(present: list) -> list[frozenset]:
    return [frozenset(present)] if present else []


def _borromean(present: list) -> list[frozenset]:
    return [frozenset(present)] if len(present) == 3 else [frozenset([c]) for c in present]


def _chain(present: list) -> list[frozenset]:
    # strands 0 - 1 - 2 Hopf-linked in a row: the ends are linked only through the middle ring
    if 1 in present:
        return [frozenset(present)]
    return [frozenset([c]) for c in present]


#: ``name: (braid word on the block's strands, strands, truth on present block components)``.
#: Components of a block are numbered by their first strand; truth maps the present ones to pieces.
BLOCKS: dict[str, tuple[list[int], int, Callable[[list], list[frozenset]]]] = {
    "unknot": ([], 1, _all_together),
    "trefoil": ([1, 1, 1], 2, _all_together),
    "hopf": ([1, 1], 2, _all_together),
    "torus(2,4)": ([1, 1, 1, 1], 2, _all_together),
    "chain3": ([1, 1, 2, 2], 3, _chain),
    "borromean": ([1, -2] * 3, 3, _borromean),
}


@dataclass
class KnownLink:
    """A diagram with the true split decomposition of each of its sublinks.

    Parameters
    ----------
    pd : list of 4-tuples
        The PD code (components numbered as :class:`LinkDiagram` numbers them).
    blocks : list of str
        The block names, in strand order.
    truth : callable
        ``truth(frozenset_of_components)`` -> sorted list of the true pieces.

    Examples
    --------
    >>> k = tangled_split_link(["hopf", "hopf"], seed=0)
    >>> k.blocks, len(k.truth(frozenset({0, 1, 2, 3})))
    (['hopf', 'hopf'], 2)
    """

    pd: list
    blocks: list
    truth: Callable[[frozenset], list]


def tangled_split_link(blocks: list[str], *, tangle_length: int = 8, seed=None) -> KnownLink:
    """The split union of ``blocks``, drawn as the closure of a conjugated braid.

    Parameters
    ----------
    blocks : list of str
        Names from :data:`BLOCKS`, at least two (else nothing is split).
    tangle_length : int
        Length of the random conjugating braid word ``g``.
    seed : int, SeedSequence or Generator, optional
        The conjugating braid depends on it alone.

    Returns
    -------
    KnownLink

    Examples
    --------
    >>> k = tangled_split_link(["hopf", "trefoil"], seed=1)
    >>> sorted(len(p) for p in k.truth(frozenset({0, 1, 2})))   # the Hopf pair and the knot
    [1, 2]
    """
    from qinfo._random import as_generator

    from qinfo.entropy_cones._links import braid_closure

    unknown = [b for b in blocks if b not in BLOCKS]
    if unknown or len(blocks) < 2:
        raise ValueError(f"blocks must name at least two of {sorted(BLOCKS)}; got {blocks!r}")
    rng = random.Random(int(as_generator(seed).integers(2**63)))
    middle, block_of_position, offset = [], [], 0
    for b, name in enumerate(blocks):
        word, width, _ = BLOCKS[name]
        middle += [(abs(g) + offset) * (1 if g > 0 else -1) for g in word]
        block_of_position += [(b, p) for p in range(width)]
        offset += width
    n = offset
    while True:  # redraw the rare tangles whose components cannot be told apart by their crossings
        tangle = [rng.choice([1, -1]) * rng.randint(1, n - 1) for _ in range(tangle_length)]
        word = tangle + middle + [-g for g in reversed(tangle)]
        component_of_start, letters = strand_components(word, n)
        if len(set(component_of_start.values())) != len({c for pair in letters for c in pair}):
            continue  # a component without crossings (a PD code cannot place it)
        diagram = LinkDiagram.from_link(braid_closure(word))
        ours = match_components(letters, diagram)
        if ours is not None:
            break
    # which block (and which of its components) each diagram component is, at the middle of the word
    at_middle = _positions_after(tangle, n)
    member = {}
    for pos, (b, p) in enumerate(block_of_position):
        comp = ours[component_of_start[at_middle[pos]]]
        member.setdefault(comp, (b, p))  # a block component's first strand names it

    def truth(components: frozenset) -> list:
        pieces = []
        for b, name in enumerate(blocks):
            present = {member[c][1]: c for c in components if member[c][0] == b}
            for piece in BLOCKS[name][2](sorted(present)):
                pieces.append(frozenset(present[p] for p in piece))
        return sorted(pieces, key=min)

    return KnownLink(braid_closure(word), list(blocks), truth)


def match_components(letters: list, diagram: LinkDiagram) -> dict | None:
    """Braid component -> diagram component, matched by the set of crossings each meets.

    The closure's crossings are numbered in the order of the braid letters; None when two
    components meet the same crossings (then only they cross each other).
    """
    ours: dict = {}
    for k, pair in enumerate(letters):
        for a in pair:
            ours.setdefault(a, set()).add(k)
    theirs: dict = {}
    for k in range(len(letters)):
        for x in (diagram.under[k], diagram.over[k]):
            theirs.setdefault(x, set()).add(k)
    by_crossings = {frozenset(v): x for x, v in theirs.items()}
    if len(by_crossings) != len(theirs) or len(ours) != len(theirs):
        return None
    out = {a: by_crossings.get(frozenset(v)) for a, v in ours.items()}
    if None in out.values():
        raise RuntimeError("internal error: crossings of the braid closure are not in letter order")
    return out


def _positions_after(word: list[int], n: int) -> list[int]:
    """``out[p]``: the starting position of the strand at position ``p`` after ``word``."""
    at = list(range(n))
    for g in word:
        i = abs(g) - 1
        at[i], at[i + 1] = at[i + 1], at[i]
    return at


def strand_components(word: list[int], n: int) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Component (named by its least starting position) of each starting position, and the
    components meeting at each letter, as (under, over) in spherogram's convention."""
    end = _positions_after(word, n)  # strand starting at end[p] finishes at position p
    uf = UnionFind(range(n))
    for p in range(n):
        uf.union(end[p], p)  # the closure joins bottom position p to top position p
    name = {p: min(g) for g in uf.groups() for p in g}
    at, letters = list(range(n)), []
    for g in word:
        i = abs(g) - 1
        left, right = name[at[i]], name[at[i + 1]]
        letters.append((left, right))
        at[i], at[i + 1] = at[i + 1], at[i]
    return name, letters


def table_link_names(max_crossings: int) -> list[str]:
    """Names ``L<c>a<k>`` and ``L<c>n<k>`` of spherogram's Hoste-Thistlethwaite link table up to ``max_crossings``.

    Examples
    --------
    >>> table_link_names(5)
    ['L2a1', 'L4a1', 'L5a1']
    """
    lookup_DT_code_by_name = require("spherogram.links.links_base", feature="link tables").lookup_DT_code_by_name

    names = []
    for c in range(2, max_crossings + 1):
        for kind in "an":
            k = 1
            while lookup_DT_code_by_name(f"L{c}{kind}{k}") is not None:
                names.append(f"L{c}{kind}{k}")
                k += 1
    return names


@dataclass
class OracleRates:
    """Counts of the oracle's answers on links with known split structure.

    Attributes
    ----------
    questions : int
        Sublinks asked about.
    undetermined : int
        Answers with an undetermined piece.
    wrong : int
        Certified answers that contradict the known decomposition (must be 0).
    reasons : dict
        How often each certificate was used.
    """

    questions: int = 0
    undetermined: int = 0
    wrong: int = 0
    reasons: dict = None

    def add(self, decomposition, truth: list | None) -> None:
        self.reasons = self.reasons or {}
        self.questions += 1
        self.undetermined += not decomposition.certified
        for r in decomposition.reasons:
            self.reasons[r] = self.reasons.get(r, 0) + 1
        if truth is not None:
            together = all(any(q <= p for p in decomposition.pieces) for q in truth)
            whole = all(p in truth for p, r in zip(decomposition.pieces, decomposition.reasons)
                        if r != "undetermined")
            self.wrong += not (together and whole)

    @property
    def rate(self) -> float:
        """Fraction undetermined."""
        return self.undetermined / self.questions if self.questions else 0.0


def oracle_rates_on_table(max_crossings: int) -> tuple[OracleRates, OracleRates]:
    """The oracle on table links, the table rule switched off.

    Returns the rates on whole links (known non-split: prime) and on their
    proper sublinks of two or more components (true answer unknown, so only
    the undetermined count is meaningful).
    """
    from qinfo.entropy_cones._link_oracle import decompose

    whole, subs = OracleRates(), OracleRates()
    for name in table_link_names(max_crossings):
        diagram = LinkDiagram.from_link(name)
        diagram.from_table = False  # measure the diagram certificates alone
        m = diagram.n_components
        everything = frozenset(range(m))
        whole.add(decompose(diagram, everything), [everything])
        for r in range(2, m):
            for sub in itertools.combinations(range(m), r):
                subs.add(decompose(diagram, frozenset(sub)), None)
    return whole, subs


def oracle_rates_on_split_links(n_links: int, *, seed=None) -> OracleRates:
    """The oracle on every sublink (two or more components) of random tangled split links."""
    from qinfo._random import spawn_seeds

    from qinfo.entropy_cones._link_oracle import decompose

    rates = OracleRates()
    for child in spawn_seeds(seed, n_links):
        rng = random.Random(int(child.generate_state(1)[0]))
        blocks = [rng.choice(sorted(BLOCKS)) for _ in range(rng.randint(2, 4))]
        known = tangled_split_link(blocks, tangle_length=rng.randint(4, 16), seed=child)
        diagram = LinkDiagram.from_link(known.pd)
        m = diagram.n_components
        for r in range(2, m + 1):
            for sub in map(frozenset, itertools.combinations(range(m), r)):
                rates.add(decompose(diagram, sub), known.truth(sub))
    return rates
