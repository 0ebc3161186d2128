"""Adam (for exact gradients) and SPSA (for noisy, shot-based losses), with resumable state.

Both expose ``state_dict()`` / ``load_state_dict()`` of plain numbers and arrays
so a checkpoint restores them exactly.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from qinfo._validate import check_real

__all__ = ["Adam", "SPSA", "get_optimizer"]


class Adam:
    """Adam (Kingma and Ba 2015) on a flat parameter vector.

    Examples
    --------
    >>> opt = Adam(lr=0.1)
    >>> x = np.array([1.0])
    >>> for _ in range(200):
    ...     x = opt.step(x, 2 * x)          # minimise x^2
    >>> bool(abs(x[0]) < 1e-2)
    True
    """

    needs_gradient = True

    def __init__(self, lr: float = 0.01, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        check_real("lr", lr)
        self.lr, self.beta1, self.beta2, self.eps = float(lr), beta1, beta2, eps
        self.t = 0
        self.m = self.v = None

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One update; returns the new parameters."""
        if self.m is None:
            self.m = np.zeros_like(params)
            self.v = np.zeros_like(params)
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * grad
        self.v = self.beta2 * self.v + (1 - self.beta2) * grad**2
        mhat = self.m / (1 - self.beta1**self.t)
        vhat = self.v / (1 - self.beta2**self.t)
        return params - self.lr * mhat / (np.sqrt(vhat) + self.eps)

    def state_dict(self) -> dict:
        return {"t": self.t, "m": self.m, "v": self.v}

    def load_state_dict(self, state: dict) -> None:
        self.t = int(state["t"])
        self.m = None if state["m"] is None else np.array(state["m"], dtype=float)
        self.v = None if state["v"] is None else np.array(state["v"], dtype=float)


class SPSA:
    """Simultaneous perturbation stochastic approximation (Spall 1998).

    Step ``k`` perturbs all parameters at once by ``+-c_k * delta`` (random
    signs), estimates the gradient from the two losses and moves by ``a_k``,
    with ``a_k = a / (k + 1 + A)**alpha`` and ``c_k = c / (k + 1)**gamma``. Two
    loss evaluations per step whatever the number of parameters, and robust
    to shot noise.

    Examples
    --------
    >>> opt = SPSA(a=0.2, c=0.1)
    >>> rng = np.random.default_rng(0)
    >>> x = np.array([1.0, -1.0])
    >>> for _ in range(300):
    ...     x = opt.step(x, lambda p: float(np.sum(p ** 2)), rng)
    >>> bool(np.all(np.abs(x) < 0.1))
    True
    """

    needs_gradient = False

    def __init__(self, a: float = 0.2, c: float = 0.1, alpha: float = 0.602, gamma: float = 0.101,
                 A: float = 10.0):
        check_real("a", a)
        check_real("c", c)
        self.a, self.c, self.alpha, self.gamma, self.A = float(a), float(c), alpha, gamma, A
        self.k = 0

    def step(self, params: np.ndarray, loss_fn: Callable[[np.ndarray], float],
             rng: np.random.Generator) -> np.ndarray:
        """One update from two evaluations of ``loss_fn``; returns the new parameters."""
        ak = self.a / (self.k + 1 + self.A) ** self.alpha
        ck = self.c / (self.k + 1) ** self.gamma
        delta = rng.choice([-1.0, 1.0], size=params.shape)
        plus, minus = loss_fn(params + ck * delta), loss_fn(params - ck * delta)
        ghat = (plus - minus) / (2 * ck) * delta
        #: mean of the two losses of the last step (a cheap running estimate)
        self.last_loss = 0.5 * (plus + minus)
        self.k += 1
        return params - ak * ghat

    def state_dict(self) -> dict:
        return {"k": self.k}

    def load_state_dict(self, state: dict) -> None:
        self.k = int(state["k"])


def get_optimizer(name: str, lr: float):
    """``"adam"`` or ``"spsa"`` with step size ``lr`` (SPSA's ``a``)."""
    if name == "adam":
        return Adam(lr=lr)
    if name == "spsa":
        return SPSA(a=lr)
    raise ValueError(f"optimizer must be 'adam' or 'spsa', got {name!r}")
