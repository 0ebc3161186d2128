"""Checks of numeric settings: the right type (a bool is not an int), finite, in range."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["check_int", "check_real", "check_seed"]


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
