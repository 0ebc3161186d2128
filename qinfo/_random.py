"""One place that turns a user's ``seed=`` into NumPy random state.

Every sampling function in qinfo takes ``seed`` (None, int, SeedSequence or
Generator) and passes it through :func:`as_generator`; parallel work calls
:func:`spawn_seeds` so results do not depend on the number of workers.
"""

from __future__ import annotations

from typing import Union

import numpy as np

SeedLike = Union[None, int, np.integer, np.random.SeedSequence, np.random.Generator]

__all__ = ["SeedLike", "as_generator", "as_seed_sequence", "spawn_seeds"]


def as_seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Normalise ``seed`` to a :class:`numpy.random.SeedSequence`.

    Parameters
    ----------
    seed : None, int, SeedSequence or Generator
        ``None`` draws fresh OS entropy. A Generator contributes a child of its
        bit generator's seed sequence, so the caller's stream advances.

    Examples
    --------
    >>> as_seed_sequence(7).entropy
    7
    """
    if seed is None or isinstance(seed, (int, np.integer)):
        if isinstance(seed, (int, np.integer)) and seed < 0:
            raise ValueError(f"seed must be non-negative, got {seed}")
        return np.random.SeedSequence(None if seed is None else int(seed))
    if isinstance(seed, bool):
        raise TypeError("seed must be None, an int, a SeedSequence or a Generator, not bool")
    if isinstance(seed, np.random.SeedSequence):
        # A copy, so that spawning from it never changes what the caller's sequence gives next.
        return np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key,
                                      pool_size=seed.pool_size,
                                      n_children_spawned=seed.n_children_spawned)
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**63))
    raise TypeError(
        f"seed must be None, an int, a SeedSequence or a Generator, got {type(seed).__name__}"
    )


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``seed``.

    A Generator is returned unchanged (so the caller's stream is shared).

    Examples
    --------
    >>> a = as_generator(3).random()
    >>> b = as_generator(3).random()
    >>> a == b
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(as_seed_sequence(seed))


def spawn_seeds(seed: SeedLike, n: int) -> list[np.random.SeedSequence]:
    """Spawn ``n`` independent child seed sequences from ``seed``.

    Child ``i`` depends only on ``seed`` and ``i``, never on how work is split
    across workers.

    Examples
    --------
    >>> [s.spawn_key for s in spawn_seeds(0, 2)]
    [(0,), (1,)]
    >>> root = np.random.SeedSequence(5)
    >>> spawn_seeds(root, 1)[0].spawn_key == spawn_seeds(root, 1)[0].spawn_key
    True
    """
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    return as_seed_sequence(seed).spawn(n)
