"""The one set of argument checks every pillar uses: ints (a bool is not an int), finite reals, probabilities, seeds and party names.

Each raises ``TypeError`` for the wrong type and ``ValueError`` for a value out of range, naming the argument.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["check_int", "check_real", "check_probability", "check_seed", "check_parties"]


def check_int(name: str, value, low: int, *, none_ok: bool = False):
    """``value`` if it is an int ``>= low`` (not a bool), else ``TypeError``/``ValueError`` naming ``name``.

    Examples
    --------
    >>> check_int("epochs", 3, 0)
    3
    """
    if value is None and none_ok:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int{' or None' if none_ok else ''}, got {value!r}")
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {value!r}")
    return value


def check_real(name: str, value, *, low: float = 0.0, inclusive: bool = False, high: float | None = None):
    """``value`` if it is a finite real number ``> low`` (``>=`` with ``inclusive``) and ``<= high``.

    Examples
    --------
    >>> check_real("lr", 0.05)
    0.05
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if value < low or (value == low and not inclusive):
        raise ValueError(f"{name} must be {'>=' if inclusive else '>'} {low}, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}")
    return value


def check_seed(name: str, value):
    """``value`` if it is None, a non-negative int (not a bool), a SeedSequence or a Generator.

    Examples
    --------
    >>> check_seed("seed", 7)
    7
    """
    if value is None or isinstance(value, (np.random.SeedSequence, np.random.Generator)):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be None, an int, a SeedSequence or a Generator, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value!r}")
    return value


def check_probability(name: str, value):
    """``value`` if it is a real number in ``[0, 1]``, else ``TypeError``/``ValueError`` naming ``name``.

    Examples
    --------
    >>> check_probability("p", 0.25)
    0.25
    """
    return check_real(name, value, low=0.0, inclusive=True, high=1.0)


def check_parties(name: str, value, *, allowed=None) -> tuple[str, ...]:
    """``value`` as a tuple of distinct party names (non-empty strings).

    Parameters
    ----------
    name : str
        The argument's name, used in the error message.
    value : str or iterable of str
        A string such as ``"AB"`` means one party per letter.
    allowed : iterable of str, optional
        When given, every party must be one of these.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> check_parties("region", "AC", allowed="ABC")
    ('A', 'C')
    """
    parties = tuple(value) if isinstance(value, str) else value
    try:
        parties = tuple(parties)
    except TypeError:
        raise TypeError(f"{name} must be a string or an iterable of party names, got {value!r}") from None
    for p in parties:
        if not isinstance(p, str) or not p:
            raise TypeError(f"{name} must contain non-empty party names (str), got {p!r}")
    if len(set(parties)) != len(parties):
        raise ValueError(f"{name} names a party twice: {value!r}")
    if allowed is not None:
        allowed = tuple(allowed)
        unknown = [p for p in parties if p not in allowed]
        if unknown:
            raise ValueError(f"{name} has unknown parties {unknown}; the parties are {list(allowed)}")
    return parties
