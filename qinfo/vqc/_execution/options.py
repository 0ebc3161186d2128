"""How circuits run on a device: one frozen options object, stored with every run.

:class:`ExecutionOptions` holds every setting that changes what a sampling
backend measures (shots, transpilation, error suppression, execution mode,
job size). It is accepted by :func:`qinfo.vqc.get_backend`,
:func:`qinfo.vqc.evaluate`, training on a device and the ``qinfo vqc
evaluate`` command, and written into the run's JSON with :meth:`to_dict`, so a
rerun can rebuild it with :meth:`from_dict`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from qinfo._validate import check_int

__all__ = ["EXECUTION_MODES", "DD_SEQUENCES", "ExecutionOptions"]

#: IBM Runtime execution modes.
EXECUTION_MODES = ("job", "batch", "session")

#: Dynamical-decoupling sequences of the IBM Runtime samplers.
DD_SEQUENCES = ("XX", "XpXm", "XY4")


@dataclass(frozen=True)
class ExecutionOptions:
    """Settings of a run on a sampling backend (simulator, fake device or IBM hardware).

    Parameters
    ----------
    shots : int, optional
        Shots per circuit. ``None``: exact for exact targets, 4096 for samplers.
    optimization_level : int
        Transpiler optimisation level, 0-3.
    seed_transpiler : int, optional
        Seed of the transpiler's stochastic passes (layout, routing). Set it
        to make a rerun transpile exactly the same circuits.
    twirling : bool
        Pauli twirling of two-qubit gates and of measurements (IBM Runtime
        ``twirling.enable_gates`` and ``enable_measure``). The runtime rounds
        the shots up to a whole number of randomizations.
    dynamical_decoupling : bool or {"XX", "XpXm", "XY4"}
        Insert a dynamical-decoupling sequence on idle qubits (``True``
        means ``"XX"``).
    readout_mitigation : bool
        Readout-error mitigation of the outcome tables, done by qinfo (the
        IBM Runtime samplers offer none): two calibration circuits per
        circuit width run in the same jobs, and each table is corrected by
        the inverse of the measured per-qubit confusion matrices (see
        :mod:`qinfo.vqc._execution.readout`). Sampling backends only.
    mode : {"job", "batch", "session"}
        IBM Runtime execution mode. ``"session"`` needs a paid plan.
    max_circuits_per_job : int, optional
        Most parameter rows per job; ``None`` sends everything in one job.

    Examples
    --------
    >>> opts = ExecutionOptions(shots=2000, twirling=True, dynamical_decoupling="XY4")
    >>> opts.dynamical_decoupling, opts.mode
    ('XY4', 'job')
    >>> ExecutionOptions.from_dict(opts.to_dict()) == opts
    True
    >>> ExecutionOptions(mode="weekly")
    Traceback (most recent call last):
    ...
    ValueError: mode must be one of ['job', 'batch', 'session'], got 'weekly'
    """

    shots: int | None = None
    optimization_level: int = 2
    seed_transpiler: int | None = None
    twirling: bool = False
    dynamical_decoupling: bool | str = False
    readout_mitigation: bool = False
    mode: str = "job"
    max_circuits_per_job: int | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise in place once
        for name in ("shots", "max_circuits_per_job"):
            value = check_int(name, getattr(self, name), 1, none_ok=True)
            set_(self, name, None if value is None else int(value))
        if isinstance(self.optimization_level, bool) or self.optimization_level not in (0, 1, 2, 3):
            raise ValueError(f"optimization_level must be 0, 1, 2 or 3, got {self.optimization_level!r}")
        set_(self, "optimization_level", int(self.optimization_level))
        if check_int("seed_transpiler", self.seed_transpiler, 0, none_ok=True) is not None:
            set_(self, "seed_transpiler", int(self.seed_transpiler))
        for name in ("twirling", "readout_mitigation"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {getattr(self, name)!r}")
            set_(self, name, bool(getattr(self, name)))
        dd = self.dynamical_decoupling
        if dd is True:
            set_(self, "dynamical_decoupling", "XX")
        elif dd is not False and dd not in DD_SEQUENCES:
            raise ValueError(
                f"dynamical_decoupling must be True, False or one of {list(DD_SEQUENCES)}, got {dd!r}"
            )
        if self.mode not in EXECUTION_MODES:
            raise ValueError(f"mode must be one of {list(EXECUTION_MODES)}, got {self.mode!r}")

    @property
    def error_suppression(self) -> bool:
        """True when twirling, dynamical decoupling or readout mitigation is on."""
        return bool(self.twirling or self.dynamical_decoupling or self.readout_mitigation)

    def replace(self, **changes: Any) -> "ExecutionOptions":
        """A copy with some fields changed (validated again).

        Parameters
        ----------
        **changes
            New values of fields, by name.

        Returns
        -------
        ExecutionOptions

        Examples
        --------
        >>> ExecutionOptions().replace(shots=100).shots
        100
        """
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form, one key per field.

        Examples
        --------
        >>> ExecutionOptions(dynamical_decoupling=True).to_dict()["dynamical_decoupling"]
        'XX'
        """
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ExecutionOptions":
        """Inverse of :meth:`to_dict`; unknown keys are an error (missing ones take defaults).

        Parameters
        ----------
        data : mapping
            Field values by name, as :meth:`to_dict` writes them.

        Returns
        -------
        ExecutionOptions

        Examples
        --------
        >>> ExecutionOptions.from_dict({"shots": 10, "twirl": True})
        Traceback (most recent call last):
        ...
        ValueError: unknown execution option(s) ['twirl']; valid: ['shots', ...]
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"execution options must be a mapping, got {type(data).__name__}")
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValueError(f"unknown execution option(s) {unknown}; valid: {names}")
        return cls(**dict(data))
