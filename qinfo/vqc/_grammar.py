"""Pregroup types and caption diagrams, built by hand (no parser download).

Basic types are ``n`` (noun) and ``s`` (sentence); ``x^l`` and ``x^r`` are the
left and right adjoints, with the reductions ``x^l x -> 1`` and
``x x^r -> 1`` (each drawn as a cup). The lexicon of the captioning task:

=========================  ===============  =====================================
words                      type             example
=========================  ===============  =====================================
shapes (cube, cone, ...)   ``n``            ``cube``
relations (left, right..)  ``n^r s n^l``    ``cube left sphere``  -> ``s``
colours (red, blue, ...)   ``s n^l``        ``red cube``          -> ``s``
=========================  ===============  =====================================

A colour word takes a noun on its right and gives a sentence, so one-object
captions are sentences too and the image is compared on the ``s`` wire in
both kinds of caption. :func:`parse` reduces a caption and returns the
:class:`Diagram` (word boxes, cups, the open sentence wire) that the model
turns into tensor contractions and circuits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from qinfo.vqc._scenes import COLOURS, INVERSE, SHAPES

__all__ = ["SimpleType", "Diagram", "LEXICON", "word_type", "parse", "format_type"]


@dataclass(frozen=True)
class SimpleType:
    """A basic type with an adjoint order: ``z = -1`` left adjoint, ``0`` plain, ``+1`` right adjoint."""

    base: str
    z: int = 0

    def __str__(self) -> str:
        return self.base + {-1: "^l", 0: "", 1: "^r"}.get(self.z, f"^{self.z}")


n, s = SimpleType("n"), SimpleType("s")
n_l, n_r = SimpleType("n", -1), SimpleType("n", 1)

#: word -> pregroup type (a tuple of simple types).
LEXICON: dict[str, tuple[SimpleType, ...]] = {
    **{w: (n,) for w in SHAPES},
    **{w: (n_r, s, n_l) for w in INVERSE},
    **{w: (s, n_l) for w in COLOURS},
}


def format_type(t) -> str:
    """Pregroup type as text.

    Examples
    --------
    >>> format_type(word_type("left"))
    'n^r s n^l'
    """
    return " ".join(map(str, t))


def word_type(word: str) -> tuple[SimpleType, ...]:
    """Type of ``word`` in ``LEXICON``; ``ValueError`` for unknown words."""
    if not isinstance(word, str):
        raise TypeError(f"caption words must be str, got {type(word).__name__}")
    try:
        return LEXICON[word]
    except KeyError:
        raise ValueError(f"unknown word {word!r}; known words are {sorted(LEXICON)}") from None


@dataclass(frozen=True)
class Diagram:
    """A reduced caption, as :func:`parse` returns it.

    Parameters
    ----------
    words : tuple of str
        The words of the caption.
    types : tuple of tuple of SimpleType
        One type per word.
    wires : tuple of (int, SimpleType)
        Every simple-type wire, left to right, with the index of its word.
    cups : tuple of (int, int)
        Pairs of wire indices joined by a cup (left wire first).
    output : int
        Index of the one open wire, of type ``s``.

    Examples
    --------
    >>> d = parse("red cube")
    >>> d.words, d.output, d.signature
    (('red', 'cube'), 0, ('s n^l', 'n'))
    """

    words: tuple[str, ...]
    types: tuple[tuple[SimpleType, ...], ...]
    wires: tuple[tuple[int, SimpleType], ...]
    cups: tuple[tuple[int, int], ...]
    output: int

    @property
    def signature(self) -> tuple[str, ...]:
        """The sequence of word types: captions with equal signatures contract alike."""
        return tuple(format_type(t) for t in self.types)


def parse(caption) -> Diagram:
    """Reduce ``caption`` (a string or a sequence of words) to the sentence type.

    Parameters
    ----------
    caption : str or sequence of str
        Words separated by spaces, or the words.

    Returns
    -------
    Diagram

    Raises
    ------
    ValueError
        For unknown words, or when the caption does not reduce to exactly ``s``.

    Examples
    --------
    >>> d = parse("cube left sphere")
    >>> d.cups, d.output, d.signature
    (((0, 1), (3, 4)), 2, ('n', 'n^r s n^l', 'n'))
    >>> parse(("red", "cube")).cups
    ((1, 2),)
    """
    words = tuple(caption.split()) if isinstance(caption, str) else tuple(caption)
    if not words:
        raise ValueError("caption is empty")
    if not all(isinstance(w, str) for w in words):
        word_type(next(w for w in words if not isinstance(w, str)))
    return _parse_words(words)


@lru_cache(maxsize=4096)
def _parse_words(words: tuple[str, ...]) -> Diagram:
    """:func:`parse` of a tuple of words, memoised (training parses the same captions every step)."""
    types = tuple(word_type(w) for w in words)
    wires = tuple((i, t) for i, ty in enumerate(types) for t in ty)
    stack: list[int] = []
    cups = []
    for k, (_, t) in enumerate(wires):
        if stack:
            top = wires[stack[-1]][1]
            if top.base == t.base and t.z == top.z + 1:
                cups.append((stack.pop(), k))
                continue
        stack.append(k)
    if len(stack) != 1 or wires[stack[0]][1] != s:
        left = format_type(wires[k][1] for k in stack)
        raise ValueError(f"caption {' '.join(words)!r} does not parse to the sentence type s; "
                         f"it reduces to {left!r}")
    return Diagram(words, types, wires, tuple(sorted(cups)), stack[0])
