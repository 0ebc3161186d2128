"""The split oracle for link models: which sublinks of a link are split.

A sublink's *split decomposition* is its partition into maximal non-split
sublinks. Deciding splitness is hard in general; this module certifies what it
can and says "undetermined" otherwise:

- **split** (pieces separate): the sub-diagram, or the sub-diagram after
  spherogram's ``simplify("global")`` (Reidemeister moves, an isotopy), is
  disconnected;
- **non-split** (a piece stays whole), in order of cost:

  * a single component;
  * the graph of non-zero pairwise linking numbers is connected;
  * the sub-diagram is connected and alternating (Menasco 1984);
  * the multivariable Alexander polynomial is non-zero: the Alexander matrix
    of the Wirtinger presentation (Fox calculus) with one column deleted has
    full rank at a random point modulo the prime 2**61 - 1. A non-zero minor
    modulo p is a non-zero minor over Z, so this certificate is exact; a rank
    drop at one point is only evidence, never used as a certificate.

Everything works on PD codes, with component identity tracked by hand:
spherogram's own ``Link.sublink`` may reorder or drop components.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

__all__ = ["SplitDecomposition", "LinkDiagram", "split_decomposition", "UNDETERMINED"]

UNDETERMINED = "undetermined"
_PRIME = (1 << 61) - 1


@dataclass(frozen=True)
class SplitDecomposition:
    """A sublink's partition into non-split pieces, with how each was decided.

    Attributes
    ----------
    components : frozenset of int
        The sublink (component indices of the whole link).
    pieces : tuple of frozenset of int
        The pieces. Separations between pieces are always certified; a piece
        whose reason is ``"undetermined"`` may split further.
    reasons : tuple of str
        Why each piece is known to be non-split (``"single component"``,
        ``"linking numbers"``, ``"alternating diagram (Menasco)"``,
        ``"Alexander polynomial"``, ``"supplied"``), or ``"undetermined"``.

    Examples
    --------
    >>> d = split_decomposition("L6a4", [0, 1])     # two rings of the Borromean rings
    >>> d.pieces, d.certified
    ((frozenset({0}), frozenset({1})), True)
    """

    components: frozenset
    pieces: tuple
    reasons: tuple

    @property
    def certified(self) -> bool:
        """True when no piece is undetermined."""
        return UNDETERMINED not in self.reasons

    @property
    def undetermined(self) -> tuple:
        """The pieces that might split further."""
        return tuple(p for p, r in zip(self.pieces, self.reasons) if r == UNDETERMINED)

    @property
    def is_split(self) -> bool:
        """True when the sublink is certified split (more than one piece)."""
        return len(self.pieces) > 1

    def piece_of(self, component: int) -> frozenset:
        """The piece containing ``component``."""
        for p in self.pieces:
            if component in p:
                return p
        raise ValueError(f"component {component} is not in the sublink {sorted(self.components)}")


class _UnionFind:
    def __init__(self, items: Iterable):
        self.parent = {x: x for x in items}

    def find(self, x):
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def groups(self) -> list[frozenset]:
        out: dict = {}
        for x in self.parent:
            out.setdefault(self.find(x), set()).add(x)
        return [frozenset(g) for g in out.values()]


@dataclass
class LinkDiagram:
    """A link diagram as a PD code with the component of every strand.

    Build it with :meth:`from_link` from a PD code (list of 4-tuples), a
    ``spherogram.Link`` or a link-table name such as ``"L6a4"``. Components
    are numbered in spherogram's ``Link.link_components`` order.
    """

    pd: list
    under: list  # component of the under strand of each crossing
    over: list  # component of the over strand
    sign: list  # +1 / -1 (spherogram's crossing sign)
    edge_component: dict
    n_components: int
    name: str | None = None
    _link: object = field(default=None, repr=False)

    @classmethod
    def from_link(cls, link) -> "LinkDiagram":
        import spherogram

        name = None
        if isinstance(link, str):
            name = link
            try:
                link = spherogram.Link(link)
            except Exception as exc:  # spherogram raises bare Exceptions for unknown names
                raise ValueError(f"link {name!r} is not a link-table name spherogram knows: {exc}") from None
        elif not isinstance(link, spherogram.Link):
            pd = _check_pd(link)
            try:
                link = spherogram.Link([tuple(c) for c in pd])
            except Exception as exc:
                raise ValueError(f"link: malformed PD code ({exc})") from None
        if link.unlinked_unknot_components:
            raise ValueError(
                "link: the diagram has components without crossings, which a PD code cannot place; "
                "add them as separate model components or draw them with a crossing"
            )
        pd = [tuple(c) for c in link.PD_code()]
        under, over, sign = [], [], []
        edge_comp: dict = {}
        for c in link.crossings:
            comps = c.strand_components
            under.append(comps[0])
            over.append(comps[1])
            sign.append(int(c.sign))
        for k, (a, b, cc, d) in enumerate(pd):
            for e in (a, cc):
                edge_comp[e] = under[k]
            for e in (b, d):
                edge_comp[e] = over[k]
        return cls(pd, under, over, sign, edge_comp, len(link.link_components), name or link.name, link)

    @property
    def link(self):
        """The ``spherogram.Link`` of the whole diagram."""
        import spherogram

        if self._link is None:
            self._link = spherogram.Link(self.pd)
        return self._link

    def linking_number(self, i: int, j: int) -> int:
        """Linking number of components ``i != j`` (half the signed crossing count)."""
        total = sum(s for u, o, s in zip(self.under, self.over, self.sign) if {u, o} == {i, j})
        return total // 2

    # -- sub-diagrams -------------------------------------------------------------
    def sub_pd(self, keep: frozenset) -> tuple[list, list]:
        """PD code of the sub-diagram of the components in ``keep``.

        Returns the PD code and, for each of its crossings, the index of the
        original crossing. Strands of kept components pass straight through
        crossings with removed ones.
        """
        uf = _UnionFind(self.edge_component)
        kept_crossings = []
        for k, (a, b, c, d) in enumerate(self.pd):
            ku, ko = self.under[k] in keep, self.over[k] in keep
            if ku and ko:
                kept_crossings.append(k)
            elif ku:
                uf.union(a, c)
            elif ko:
                uf.union(b, d)
        pd = [tuple(uf.find(e) for e in self.pd[k]) for k in kept_crossings]
        return pd, kept_crossings

    def diagram_pieces(self, keep: frozenset) -> list[frozenset]:
        """Partition of ``keep`` by connectivity of the sub-diagram."""
        uf = _UnionFind(keep)
        for u, o in zip(self.under, self.over):
            if u in keep and o in keep:
                uf.union(u, o)
        return sorted(uf.groups(), key=min)


def _check_pd(pd) -> list:
    if not isinstance(pd, (list, tuple)) or not pd:
        raise ValueError("link: a PD code must be a non-empty list of 4-tuples")
    counts: dict = {}
    for k, c in enumerate(pd):
        if not isinstance(c, (list, tuple)) or len(c) != 4:
            raise ValueError(f"link: PD crossing {k} is {c!r}; each crossing must be a 4-tuple of edge labels")
        for e in c:
            if isinstance(e, bool) or not isinstance(e, int):
                raise ValueError(f"link: PD crossing {k} has edge label {e!r}; labels must be integers")
            counts[e] = counts.get(e, 0) + 1
    bad = sorted(e for e, n in counts.items() if n != 2)
    if bad:
        raise ValueError(f"link: malformed PD code; edge labels {bad} do not appear exactly twice")
    return list(pd)


# -- certificates -----------------------------------------------------------------
def _linking_graph_connected(diagram: LinkDiagram, piece: frozenset) -> bool:
    uf = _UnionFind(piece)
    for i in piece:
        for j in piece:
            if i < j and diagram.linking_number(i, j) != 0:
                uf.union(i, j)
    return len(uf.groups()) == 1


def _is_alternating(pd: list) -> bool:
    slots: dict = {}
    for c in pd:
        for pos, e in enumerate(c):
            slots.setdefault(e, []).append(pos % 2)  # 0: under slot, 1: over slot
    return all(sorted(v) == [0, 1] for v in slots.values())


def _alexander_full_rank(diagram: LinkDiagram, piece: frozenset, rng: random.Random) -> bool:
    """Does the Alexander matrix of the sub-diagram (one column deleted) have full rank?"""
    pd, orig = diagram.sub_pd(piece)
    if not pd:
        return False
    arcs = _UnionFind({e for c in pd for e in c})
    for (a, b, c, d) in pd:
        arcs.union(b, d)  # the over strand does not break its arc
    arc_ids = {root: i for i, root in enumerate(sorted({arcs.find(e) for e in arcs.parent}))}
    n_arcs = len(arc_ids)
    if len(pd) < n_arcs - 1:
        return False
    t = {comp: rng.randrange(2, _PRIME - 1) for comp in piece}
    rows = []
    for (a, b, c, d), k in zip(pd, orig):
        row = [0] * n_arcs
        ka, ia, ja = arc_ids[arcs.find(b)], arc_ids[arcs.find(a)], arc_ids[arcs.find(c)]
        t_over, t_under = t[diagram.over[k]], t[diagram.under[k]]
        if diagram.sign[k] > 0:  # x_j = x_k x_i x_k^-1
            entries = ((ka, 1 - t_under), (ia, t_over), (ja, -1))
        else:  # x_j = x_k^-1 x_i x_k, row multiplied by t_over
            entries = ((ka, t_under - 1), (ia, 1), (ja, -t_over))
        for col, val in entries:
            row[col] = (row[col] + val) % _PRIME
        rows.append(row[1:])
    return _rank_mod_p(rows, n_arcs - 1) == n_arcs - 1


def _rank_mod_p(rows: list[list[int]], n_cols: int) -> int:
    rows = [r[:] for r in rows]
    rank = 0
    for col in range(n_cols):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        inv = pow(rows[rank][col], _PRIME - 2, _PRIME)
        prow = [(x * inv) % _PRIME for x in rows[rank]]
        rows[rank] = prow
        for r in range(len(rows)):
            if r != rank and rows[r][col]:
                f = rows[r][col]
                rows[r] = [(x - f * y) % _PRIME for x, y in zip(rows[r], prow)]
        rank += 1
    return rank


def _nonsplit_reason(diagram: LinkDiagram, piece: frozenset, rng: random.Random) -> str | None:
    if len(piece) == 1:
        return "single component"
    if _linking_graph_connected(diagram, piece):
        return "linking numbers"
    pd, _ = diagram.sub_pd(piece)
    if _is_alternating(pd):  # piece is diagram-connected when this is called
        return "alternating diagram (Menasco)"
    if _alexander_full_rank(diagram, piece, rng):
        return "Alexander polynomial"
    return None


def _simplified_pieces(diagram: LinkDiagram, piece: frozenset) -> list[frozenset] | None:
    """Pieces of the sub-diagram after ``simplify("global")``, or None if untracked."""
    import spherogram

    pd, orig = diagram.sub_pd(piece)
    try:
        link = spherogram.Link(pd)
        comps_at = {k: {diagram.under[o], diagram.over[o]} for k, o in enumerate(orig)}
        for c in link.crossings:
            c._qinfo_origin = comps_at[c.label]
        link.simplify("global")
    except Exception:
        return None
    # Identify each surviving component with an original one through the crossings it meets.
    images: list[set] = []
    for comp in link.link_components:
        candidates = set(piece)
        for cep in comp:
            candidates &= getattr(cep.crossing, "_qinfo_origin", set(piece))
        images.append(candidates)
    if any(len(c) != 1 for c in images):
        return None
    new_to_orig = [next(iter(c)) for c in images]
    if len(set(new_to_orig)) != len(new_to_orig):
        return None
    vanished = piece - set(new_to_orig)
    if len(vanished) != link.unlinked_unknot_components:
        return None
    uf = _UnionFind(piece)
    for c in link.crossings:
        first, *rest = {new_to_orig[j] for j in c.strand_components}
        for other in rest:
            uf.union(first, other)
    return sorted(uf.groups(), key=min)


def decompose(diagram: LinkDiagram, components: frozenset, *, supplied: dict | None = None,
              seed: int = 0) -> SplitDecomposition:
    """Split decomposition of the sublink ``components`` of ``diagram``."""
    rng = random.Random(seed)
    supplied = supplied or {}
    pieces: list[frozenset] = []
    reasons: list[str] = []

    def refine(part: frozenset) -> None:
        for sub in diagram.diagram_pieces(part):
            if sub in supplied:
                for p in supplied[sub]:
                    pieces.append(frozenset(p))
                    reasons.append("supplied")
                continue
            reason = _nonsplit_reason(diagram, sub, rng)
            if reason is not None:
                pieces.append(sub)
                reasons.append(reason)
                continue
            finer = _simplified_pieces(diagram, sub)
            if finer is not None and len(finer) > 1:
                for f in finer:
                    refine(f)
            else:
                pieces.append(sub)
                reasons.append(UNDETERMINED)

    refine(frozenset(components))
    order = sorted(range(len(pieces)), key=lambda i: min(pieces[i]))
    return SplitDecomposition(frozenset(components), tuple(pieces[i] for i in order),
                              tuple(reasons[i] for i in order))


def split_decomposition(link, components: Sequence[int] | None = None, *,
                        supplied: dict | None = None) -> SplitDecomposition:
    """Partition a (sub)link into its maximal non-split sublinks, certified where possible.

    Parameters
    ----------
    link : spherogram.Link, PD code or str
        The link: a ``spherogram.Link``, a PD code (list of 4-tuples) or a
        link-table name such as ``"L6a4"``.
    components : sequence of int, optional
        The sublink, as indices into the link's components (spherogram's
        ``link_components`` order). Default: the whole link.
    supplied : dict, optional
        Answers for sublinks the oracle cannot decide:
        ``{frozenset(piece): [[...], [...]]}``.

    Returns
    -------
    SplitDecomposition

    Examples
    --------
    >>> split_decomposition("L6a4").pieces        # Borromean rings: non-split
    (frozenset({0, 1, 2}),)
    >>> split_decomposition("L6a4").reasons
    ('alternating diagram (Menasco)',)
    >>> split_decomposition("L5a1").reasons        # Whitehead link, linking number 0
    ('alternating diagram (Menasco)',)
    """
    diagram = link if isinstance(link, LinkDiagram) else LinkDiagram.from_link(link)
    comps = frozenset(range(diagram.n_components)) if components is None else frozenset(components)
    bad = [c for c in comps if not (isinstance(c, int) and 0 <= c < diagram.n_components)]
    if bad:
        raise ValueError(f"components {bad} do not exist; the link has components 0..{diagram.n_components - 1}")
    if not comps:
        raise ValueError("components must name at least one component")
    return decompose(diagram, comps, supplied=supplied)
