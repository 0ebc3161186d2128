"""The split oracle for link models: which sublinks of a link are split.

A sublink's *split decomposition* is its partition into maximal non-split
sublinks. Deciding splitness is hard in general; this module certifies what it
can and says "undetermined" otherwise:

- **split** (pieces separate): the sub-diagram, or the sub-diagram after
  spherogram's ``simplify("global")`` (Reidemeister moves, an isotopy), is
  disconnected. Components are followed through the moves by tags on the
  crossings they meet (moves keep crossing objects; a crossing a move creates
  carries no tag and then its diagram piece is kept whole);
- **non-split** (a piece stays whole), in order of cost:

  * the whole link of a link-table name (``"L10n32"``, ``"8^2_1"``):
    spherogram resolves names in Rolfsen's table (D. Rolfsen, *Knots and
    Links*, 1976) and the Hoste-Thistlethwaite tables (``HTLinkDTcodes``, as
    in SnapPy's ``HTLinkExteriors``), which list prime links only, and a
    prime link is non-split. DT-code and ``T(p, q)`` strings do not count;
  * a single component;
  * the graph of non-zero pairwise linking numbers is connected;
  * the sub-diagram is connected and alternating (Menasco 1984);
  * the multivariable Alexander polynomial is non-zero: the Alexander matrix
    of the Wirtinger presentation (Fox calculus) with one column deleted has
    full rank at a random point modulo the prime 2**61 - 1. A non-zero minor
    modulo p is a non-zero minor over Z, so this certificate is exact; a rank
    drop at one point is only evidence, never used as a certificate;
  * the *Alexander module coranks*: at a character ``meridian of c -> t_c``
    in ``F_p``, ``corank = #arcs - rank`` of the Fox Jacobian is
    ``dim H_1(X, x0; F_p^t)``, an isotopy invariant that is additive over
    a split union (a split diagram's Jacobian is block diagonal). If for
    every bipartition ``P = P1 | P2`` some character gives
    ``corank(P) != corank(P1) + corank(P2)``, no splitting of ``P`` exists.
    Characters used: two random ones modulo ``2**31 - 1`` and ``t = -1``
    modulo 3, 5 and 7 (Fox colourings). This decides the ``n``-component
    Brunnian links of :meth:`LinkModel.brunnian`, whose Alexander
    polynomial vanishes for ``n >= 4``.

Everything works on PD codes, with component identity tracked by hand:
spherogram's own ``Link.sublink`` may reorder or drop components.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from qinfo._optional import require

__all__ = ["SplitDecomposition", "LinkDiagram", "split_decomposition", "UNDETERMINED"]

UNDETERMINED = "undetermined"
TABLE = "link table (prime, non-split)"
_PRIME = (1 << 31) - 1  # products of two residues fit in int64
_MAX_BIPARTITIONED = 12  # the corank test looks at 2**(k-1) - 1 bipartitions of a k-component piece


@dataclass(frozen=True)
class SplitDecomposition:
    """A sublink's partition into non-split pieces, with how each was decided.

    Parameters
    ----------
    components : frozenset of int
        The sublink (component indices of the whole link).
    pieces : tuple of frozenset of int
        The pieces. Separations between pieces are always certified; a piece
        whose reason is ``"undetermined"`` may split further.
    reasons : tuple of str
        Why each piece is known to be non-split (``"single component"``,
        ``"linking numbers"``, ``"alternating diagram (Menasco)"``,
        ``"Alexander polynomial"``, ``"Alexander module coranks"``,
        ``"link table (prime, non-split)"``, ``"supplied"``), or
        ``"undetermined"``.

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
        """The piece containing ``component``.

        Parameters
        ----------
        component : int
            A component of the sublink.

        Returns
        -------
        frozenset of int

        Examples
        --------
        >>> split_decomposition("L6a4").piece_of(1)
        frozenset({0, 1, 2})
        """
        for p in self.pieces:
            if component in p:
                return p
        raise ValueError(f"component {component} is not in the sublink {sorted(self.components)}")


class UnionFind:
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
    from_table: bool = False  # built from a link-table name, so the whole link is prime and non-split

    @classmethod
    def from_link(cls, link) -> "LinkDiagram":
        spherogram = require("spherogram", feature="link diagrams")

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
        return cls(pd, under, over, sign, edge_comp, len(link.link_components), name or link.name, link,
                   from_table=name is not None and _in_link_table(name))

    @property
    def link(self):
        """The ``spherogram.Link`` of the whole diagram."""
        spherogram = require("spherogram", feature="link diagrams")

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
        uf = UnionFind(self.edge_component)
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
        uf = UnionFind(keep)
        for u, o in zip(self.under, self.over):
            if u in keep and o in keep:
                uf.union(u, o)
        return sorted(uf.groups(), key=min)


def _in_link_table(name: str) -> bool:
    """Whether spherogram resolved ``name`` in its tables (not a DT code or ``T(p, q)`` spec)."""
    lookup_DT_code_by_name = require("spherogram.links.links_base", feature="link tables").lookup_DT_code_by_name

    return lookup_DT_code_by_name(name) is not None


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
    uf = UnionFind(piece)
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


def _corank(diagram: LinkDiagram, piece: frozenset, prime: int, t: dict) -> int:
    """``dim H_1(X, x0; F_p)`` twisted by the character ``meridian of c -> t[c]``.

    This is the number of Wirtinger generators minus the rank of the Fox
    Jacobian evaluated at the character, over ``F_p``: an invariant of the
    link with that character (Tietze moves keep it), and additive over a
    split union, because a split diagram has a block-diagonal Jacobian.
    Components without crossings in the sub-diagram are free generators.
    """
    pd, orig = diagram.sub_pd(piece)
    seen = {diagram.under[k] for k in orig} | {diagram.over[k] for k in orig}
    isolated = len(piece - seen)
    if not pd:
        return isolated
    arcs = UnionFind({e for c in pd for e in c})
    for (a, b, c, d) in pd:
        arcs.union(b, d)  # the over strand does not break its arc
    arc_ids = {root: i for i, root in enumerate(sorted({arcs.find(e) for e in arcs.parent}))}
    rows = np.zeros((len(pd), len(arc_ids)), dtype=np.int64)
    for r, ((a, b, c, d), k) in enumerate(zip(pd, orig)):
        ka, ia, ja = arc_ids[arcs.find(b)], arc_ids[arcs.find(a)], arc_ids[arcs.find(c)]
        t_over, t_under = t[diagram.over[k]], t[diagram.under[k]]
        if diagram.sign[k] > 0:  # x_j = x_k x_i x_k^-1
            entries = ((ka, 1 - t_under), (ia, t_over), (ja, -1))
        else:  # x_j = x_k^-1 x_i x_k, row multiplied by t_over
            entries = ((ka, t_under - 1), (ia, 1), (ja, -t_over))
        for col, val in entries:
            rows[r, col] = (rows[r, col] + val) % prime
    return len(arc_ids) - _rank_mod_p(rows, prime) + isolated


def _rank_mod_p(m: np.ndarray, prime: int) -> int:
    """Rank over F_p of an int64 matrix with entries in [0, p), p < 2**31."""
    m = m.copy()
    rank = 0
    for col in range(m.shape[1]):
        nz = np.flatnonzero(m[rank:, col])
        if nz.size == 0:
            continue
        pivot = rank + int(nz[0])
        m[[rank, pivot]] = m[[pivot, rank]]
        m[rank] = (m[rank] * pow(int(m[rank, col]), prime - 2, prime)) % prime
        others = np.flatnonzero(m[:, col])
        others = others[others != rank]
        if others.size:
            m[others] = (m[others] - np.outer(m[others, col], m[rank]) % prime) % prime
        rank += 1
        if rank == m.shape[0]:
            break
    return rank


def _characters(piece: frozenset, rng: random.Random) -> list[tuple[int, dict]]:
    """Where coranks are compared: two random characters modulo a large prime, and every
    meridian -> -1 modulo 3, 5 and 7 (Fox colourings)."""
    points = [(_PRIME, {c: rng.randrange(2, _PRIME - 1) for c in piece}) for _ in range(2)]
    points += [(p, {c: p - 1 for c in piece}) for p in (3, 5, 7)]
    return points


def _coranks_separate(diagram: LinkDiagram, piece: frozenset, rng: random.Random) -> tuple[bool, bool]:
    """(Alexander polynomial non-zero, no bipartition of ``piece`` has additive coranks).

    If ``piece`` were split as ``P1 | P2``, its corank would be the sum of theirs at every
    character; one character where it is not rules that splitting out, and ruling out every
    bipartition proves the piece non-split (a split link has a first piece to split off).
    """
    points = _characters(piece, rng)
    whole = [_corank(diagram, piece, p, t) for p, t in points]
    if whole[0] == 1:  # every non-empty sublink has corank >= 1, so no sum is 1
        return True, True
    cache: dict = {}

    def corank(sub: frozenset, k: int) -> int:
        if (sub, k) not in cache:
            cache[sub, k] = _corank(diagram, sub, *points[k])
        return cache[sub, k]

    first, *rest = sorted(piece)
    for mask in range((1 << len(rest)) - 1):  # P1 = first + a proper part of the rest
        p1 = frozenset([first] + [c for i, c in enumerate(rest) if mask >> i & 1])
        if all(whole[k] == corank(p1, k) + corank(piece - p1, k) for k in range(len(points))):
            return False, False
    return False, True


def _nonsplit_reason(diagram: LinkDiagram, piece: frozenset, rng: random.Random) -> str | None:
    if len(piece) == 1:
        return "single component"
    if _linking_graph_connected(diagram, piece):
        return "linking numbers"
    pd, _ = diagram.sub_pd(piece)
    if _is_alternating(pd):  # piece is diagram-connected when this is called
        return "alternating diagram (Menasco)"
    if len(piece) > _MAX_BIPARTITIONED:
        return None
    alexander, coranks = _coranks_separate(diagram, piece, rng)
    if alexander:
        return "Alexander polynomial"
    if coranks:
        return "Alexander module coranks"
    return None


def _simplified_pieces(diagram: LinkDiagram, piece: frozenset) -> list[frozenset] | None:
    """Separations found by ``simplify("global")`` (an isotopy), or None if untracked."""
    spherogram = require("spherogram", feature="link diagrams")

    pd, orig = diagram.sub_pd(piece)
    try:
        link = spherogram.Link(pd)
        comps_at = {k: {diagram.under[o], diagram.over[o]} for k, o in enumerate(orig)}
        for c in link.crossings:
            c._qinfo_origin = comps_at[c.label]
        link.simplify("global")
    except Exception:
        return None
    # Each connected piece Q of the simplified diagram is made of original components that
    # its crossings came from (their tags). Pieces whose tag sets overlap are kept together;
    # components in no tag set vanished as unlinked unknots. A crossing made by a move has no
    # tag and could be anything, so it makes its piece claim the whole sublink.
    groups = UnionFind(range(len(link.link_components)))
    for c in link.crossings:
        first, *rest = set(c.strand_components)
        for other in rest:
            groups.union(first, other)
    tags: dict = {}
    for c in link.crossings:
        root = groups.find(c.strand_components[0])
        tags.setdefault(root, set()).update(getattr(c, "_qinfo_origin", piece))
    merged = UnionFind(piece)
    for origin in tags.values():
        first, *rest = origin
        for other in rest:
            merged.union(first, other)
    covered = set().union(*tags.values()) if tags else set()
    n_surviving = sum(len(g) for g in groups.groups() if groups.find(next(iter(g))) in tags)
    if n_surviving != len(link.link_components) or len(covered) < n_surviving:
        return None
    return sorted(merged.groups(), key=min)


def decompose(diagram: LinkDiagram, components: frozenset, *, supplied: dict | None = None,
              seed: int = 0) -> SplitDecomposition:
    """Split decomposition of the sublink ``components`` of ``diagram``."""
    rng = random.Random(seed)
    supplied = supplied or {}
    pieces: list[frozenset] = []
    reasons: list[str] = []

    def refine(part: frozenset) -> None:
        for sub in diagram.diagram_pieces(part):
            if diagram.from_table and len(sub) == diagram.n_components > 1:
                pieces.append(sub)
                reasons.append(TABLE)
                continue
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
    >>> split_decomposition("L6a4").reasons       # a table name: prime, so non-split
    ('link table (prime, non-split)',)
    >>> whitehead = LinkDiagram.from_link("L5a1").pd   # its PD code: linking number 0
    >>> split_decomposition(whitehead).reasons
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
