"""Run caption models on real execution targets: simulators, IBM fake backends, hardware, PennyLane.

One argument picks the target, and the same code goes from laptop to IBM
Quantum hardware:

=========================  ===============================================
``backend=``               runs on
=========================  ===============================================
``"statevector"``          exact simulator (Qiskit ``Statevector``), default
``"aer"``                  qiskit-aer ``SamplerV2`` (shots)
``"fake_<name>"``          qiskit-ibm-runtime fake backend (e.g.
                           ``fake_brisbane``) in local testing mode, with
                           its noise model
``"ibm:<name>"``           IBM Quantum device via ``QiskitRuntimeService``
``"ibm:least_busy"``       the least busy operational IBM device
``"pennylane:<device>"``   a PennyLane device (``lightning.qubit``, ...)
a ``SamplerV2`` object     any Qiskit V2 sampler you built yourself
=========================  ===============================================

Each pair (caption, image) becomes a fidelity-test circuit (``method=``:
destructive SWAP test by default, SWAP test, or compute-uncompute). Circuits
are transpiled once per shape with ``generate_preset_pass_manager``; a whole
evaluation set or minibatch then goes out as PUBs with parameter arrays in as
few jobs as possible. The post-selection qubits of the caption circuit are
measured and the estimate renormalised over the shots where they read 0.

Examples
--------
>>> from qiskit import QuantumCircuit
>>> state = QuantumCircuit(2, metadata={"sentence_qubits": [1], "postselect_qubits": [0]})
>>> _ = state.h(0); _ = state.cx(0, 1)          # post-selecting q0 = 0 leaves |0> on q1
>>> image = QuantumCircuit(1); _ = image.ry(1.0, 0)
>>> est = get_backend("statevector").estimate([(state, image)])
>>> round(float(est.values[0]), 4), float(est.postselection_rate[0])
(0.7702, 0.5)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from qinfo._random import SeedLike, as_generator
from qinfo.vqc.execution.estimators import FidelityEstimate, estimate_fidelities, wilson_interval
from qinfo.vqc.execution.jobs import JobLog
from qinfo.vqc.execution.targets import BACKEND_NAMES, resolve_target
from qinfo.vqc.execution.templates import METHODS, CircuitShape, circuit_shape, fidelity_test

__all__ = [
    "BACKEND_NAMES",
    "METHODS",
    "Backend",
    "EvaluationReport",
    "FidelityEstimate",
    "evaluate",
    "fit_on_backend",
    "get_backend",
]

#: Shots used by sampling backends when ``shots=None``.
DEFAULT_SHOTS = 4096


def _check_shots(shots) -> int | None:
    if shots is None:
        return None
    if isinstance(shots, bool) or not isinstance(shots, (int, np.integer)):
        raise TypeError(f"shots must be a positive int or None, got {type(shots).__name__}")
    if shots <= 0:
        raise ValueError(f"shots must be a positive int, got {shots}")
    return int(shots)


@dataclass
class CircuitCost:
    """Transpiled size of one circuit shape on one backend."""

    shape: int
    circuits: int
    width: int
    depth: int
    two_qubit_gates: int


class Backend:
    """An execution target with its settings; estimates fidelities of circuit pairs.

    Build one with :func:`get_backend`. The backend keeps the circuits it has
    compiled, so repeated calls (training steps) only bind parameters.
    Use it as a context manager (or call :meth:`close`) when ``mode`` is
    ``"batch"`` or ``"session"``.

    Attributes
    ----------
    name : str
        The target, e.g. ``"aer"`` or ``"ibm:ibm_brisbane"``.
    shots : int or None
        Shots per circuit; ``None`` means exact (``statevector`` and PennyLane
        targets only).
    method : str
        Fidelity test, one of ``"destructive_swap"``, ``"swap"``, ``"inverse"``.
    last_log : JobLog
        Job ids, submissions, reuses and retries of the latest call.
    """

    def __init__(self, target, *, shots: int | None, method: str, seed: SeedLike, progress: bool):
        if method not in METHODS:
            raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
        self.target = target
        self.name = target.name
        self.shots = shots
        self.method = method
        self.progress = progress
        self._rng = as_generator(seed)
        self._compiled: dict[tuple, Any] = {}
        self._uses: dict[tuple, int] = {}
        self.last_log = JobLog()

    def __repr__(self) -> str:
        return f"Backend({self.name!r}, shots={self.shots}, method={self.method!r})"

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close a batch or session opened by this backend."""
        self.target.close()

    @property
    def exact(self) -> bool:
        """True when estimates carry no shot noise."""
        return self.shots is None

    def estimate(
        self,
        pairs: Sequence[tuple[Any, Any]],
        parameter_values: Mapping[str, float] | None = None,
        *,
        resume: str | os.PathLike | None = None,
    ) -> FidelityEstimate:
        """Post-selected fidelities of (state circuit, reference circuit) pairs.

        Parameters
        ----------
        pairs : sequence of (QuantumCircuit, QuantumCircuit)
            The state circuit's ``metadata`` names its ``sentence_qubits`` and
            ``postselect_qubits`` (default: all qubits, none post-selected); the
            reference has one qubit per sentence qubit.
        parameter_values : mapping, optional
            Values of the named parameters of the circuits.
        resume : path, optional
            Resume file for sampler jobs (see :func:`evaluate`).

        Returns
        -------
        FidelityEstimate
        """
        shaped = [_shaped_pair(p) for p in pairs]
        return self._estimate_shaped(shaped, dict(parameter_values or {}), resume=resume)

    def _estimate_shaped(self, shaped, parameter_values, *, resume=None, shots=None, warn=True) -> FidelityEstimate:
        if not shaped:
            raise ValueError("pairs must not be empty")
        groups: dict[tuple, list[int]] = {}
        rows: list[np.ndarray] = []
        for k, (state, state_circuit, ref) in enumerate(shaped):
            test = fidelity_test(state, state_circuit, ref, self.method)
            if test.key not in self._compiled:
                self._compiled[test.key] = self.target.compile(test)
            groups.setdefault(test.key, []).append(k)
            rows.append(np.concatenate([state.angle_values(parameter_values), ref.angle_values(parameter_values)]))
        work, order = [], []
        for key, idx in groups.items():
            self._uses[key] = self._uses.get(key, 0) + len(idx)
            values = np.array([rows[i] for i in idx]).reshape(len(idx), -1)
            work.append((self._compiled[key], values))
            order.append(idx)
        seed = int(self._rng.integers(2**63))
        shots = self.shots if shots is None else shots
        results, self.last_log = self.target.run(work, shots, seed=seed, progress=self.progress, resume=resume)
        outcomes: list[Any] = [None] * len(shaped)
        for idx, res in zip(order, results):
            for i, o in zip(idx, res):
                outcomes[i] = o
        return estimate_fidelities(self.method, outcomes, shots, warn=warn)

    def circuit_costs(self) -> list[CircuitCost]:
        """Width, depth and two-qubit gate count of every circuit shape compiled so far."""
        out = []
        for n, (key, c) in enumerate(self._compiled.items()):
            out.append(CircuitCost(n, self._uses.get(key, 0), c.width, c.depth, c.two_qubit_gates))
        return out

    def fidelity_fn(self, model) -> Callable[[Sequence[tuple[Any, Any]], Mapping[str, float]], np.ndarray]:
        """A ``fidelity_fn(pairs, parameter_values)`` for ``CaptionModel.fit``.

        Caption and image circuits are built and reduced to shapes once per
        caption / image; each call only binds new parameter values and runs
        one set of jobs. Pairs with no shot surviving post-selection are
        measured again with 4, 16 and 64 times the shots; if still none
        survives, a ``ValueError`` asks for more shots.
        """
        shapes = _ModelShapes(model)

        def fidelity_fn(pairs, parameter_values):
            shaped, values = shapes(pairs), dict(parameter_values)
            f = self._estimate_shaped(shaped, values, warn=False).values
            missing = np.flatnonzero(~np.isfinite(f))
            for factor in (4, 16, 64):
                if not len(missing) or self.shots is None:
                    break
                again = self._estimate_shaped([shaped[i] for i in missing], values,
                                              shots=self.shots * factor, warn=False).values
                f[missing] = again
                missing = missing[~np.isfinite(again)]
            if len(missing):
                raise ValueError(
                    f"{len(missing)} pairs kept no shot after post-selection even with "
                    f"{64 * self.shots} shots; use a backend with more shots"
                )
            return f

        return fidelity_fn


class _ModelShapes:
    """Caches the circuit shapes of a model's captions and images."""

    def __init__(self, model):
        self.model = model
        self._captions: dict[Any, tuple[CircuitShape, Any]] = {}
        self._images: dict[bytes, CircuitShape] = {}

    def __call__(self, pairs):
        out = []
        for caption, features in pairs:
            ckey = caption if isinstance(caption, (str, tuple)) else repr(caption)
            if ckey not in self._captions:
                qc = self.model.caption_circuit(caption)
                self._captions[ckey] = (circuit_shape(qc), qc)
            feats = np.asarray(features)
            fkey = feats.tobytes() + str(feats.shape).encode()
            if fkey not in self._images:
                self._images[fkey] = circuit_shape(self.model.image_circuit(features))
            state, qc = self._captions[ckey]
            out.append((state, qc, self._images[fkey]))
        return out


def _shaped_pair(pair):
    from qiskit import QuantumCircuit

    if len(pair) != 2 or not all(isinstance(c, QuantumCircuit) for c in pair):
        raise TypeError("each pair must be (state QuantumCircuit, reference QuantumCircuit)")
    state_circuit, ref = pair
    return circuit_shape(state_circuit), state_circuit, circuit_shape(ref)


def get_backend(
    backend: Any = "statevector",
    *,
    shots: int | None = None,
    method: str = "destructive_swap",
    mode: str = "job",
    optimization_level: int = 2,
    seed_transpiler: int | None = None,
    seed: SeedLike = None,
    job_size: int | None = None,
    retries: int = 5,
    backoff: float = 2.0,
    service: Any = None,
    progress: bool = True,
) -> Backend:
    """Resolve ``backend`` into a :class:`Backend` that estimates fidelities.

    Parameters
    ----------
    backend : str or SamplerV2
        ``"statevector"`` (default, exact), ``"aer"``, ``"fake_<name>"``,
        ``"ibm:<name>"``, ``"ibm:least_busy"``, ``"pennylane:<device>"``, or a
        ready-made Qiskit V2 sampler. If the sampler object has a
        ``job(job_id)`` method, interrupted runs are resumed through it.
    shots : int, optional
        Shots per circuit. ``None``: exact for ``statevector`` and PennyLane
        (with an int they sample), 4096 for sampler backends.
    method : {"destructive_swap", "swap", "inverse"}
        Fidelity test (see :mod:`qinfo.vqc.execution.templates`).
    mode : {"job", "batch", "session"}
        IBM Runtime execution mode. ``"job"`` (default) works on the Open
        Plan; ``"session"`` needs a paid plan.
    optimization_level : int
        Transpiler optimisation level, 0-3.
    seed_transpiler : int, optional
        Seed for reproducible transpilation.
    seed : None, int, SeedSequence or Generator
        Seeds simulator shot noise.
    job_size : int, optional
        Most circuits (parameter rows) per job; ``None`` sends everything in one job.
    retries, backoff : int, float
        Transient service errors are retried ``retries`` times, waiting
        ``backoff * 2**k`` seconds; each retry is logged.
    service : QiskitRuntimeService, optional
        For ``ibm:`` backends; default ``QiskitRuntimeService()`` (saved account
        or environment variables).
    progress : bool
        Show a progress bar over jobs.

    Examples
    --------
    >>> get_backend("aer", shots=1000)
    Backend('aer', shots=1000, method='destructive_swap')
    >>> get_backend("aer", shots=0)
    Traceback (most recent call last):
    ...
    ValueError: shots must be a positive int, got 0
    """
    shots = _check_shots(shots)
    target = resolve_target(
        backend,
        mode=mode,
        optimization_level=optimization_level,
        seed_transpiler=seed_transpiler,
        job_size=job_size,
        retries=retries,
        backoff=backoff,
        service=service,
    )
    from qinfo.vqc.execution.targets import SamplerTarget

    if shots is None and isinstance(target, SamplerTarget):
        shots = DEFAULT_SHOTS
    return Backend(target, shots=shots, method=method, seed=seed, progress=progress)


@dataclass
class EvaluationReport:
    """What :func:`evaluate` measured.

    Attributes
    ----------
    backend, method : str
    shots : int or None
    accuracy : float
        Accuracy of the predictions made from the backend's fidelities.
    accuracy_interval : (float, float)
        Wilson score interval for ``accuracy`` at ``confidence``.
    confidence : float
    exact_accuracy : float
        Accuracy from exact (noise-free, shot-free) fidelities.
    n_predictions : int
        Number of predictions scored.
    fidelities : FidelityEstimate
        Backend estimates, with standard errors and post-selection rates.
    exact_fidelities : numpy.ndarray
    mean_abs_fidelity_error : float
        Mean of ``|estimate - exact|`` over pairs.
    circuits : list of CircuitCost
        Transpiled width, depth and two-qubit gate count per circuit shape.
    jobs : JobLog
        Job ids, how many were submitted, reused from the resume file or
        fetched, and the retries.
    """

    backend: str
    method: str
    shots: int | None
    accuracy: float
    accuracy_interval: tuple[float, float]
    confidence: float
    exact_accuracy: float
    n_predictions: int
    fidelities: FidelityEstimate
    exact_fidelities: np.ndarray
    mean_abs_fidelity_error: float
    circuits: list[CircuitCost] = field(default_factory=list)
    jobs: JobLog = field(default_factory=JobLog)

    @property
    def pearson_r(self) -> float:
        """Pearson correlation of estimated and exact fidelities (nan if undefined)."""
        a, b = self.fidelities.values, self.exact_fidelities
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() < 2 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
            return float("nan")
        return float(np.corrcoef(a[ok], b[ok])[0, 1])

    def summary(self) -> str:
        """A few lines for the terminal."""
        lo, hi = self.accuracy_interval
        shots = "exact" if self.shots is None else f"{self.shots} shots"
        lines = [
            f"backend {self.backend} ({self.method}, {shots})",
            f"  accuracy {self.accuracy:.3f}  [{lo:.3f}, {hi:.3f}] ({self.confidence:.0%} Wilson, "
            f"n={self.n_predictions});  exact {self.exact_accuracy:.3f}",
            f"  mean |fidelity error| {self.mean_abs_fidelity_error:.4f}; "
            f"mean stderr {np.nanmean(self.fidelities.stderr):.4f}; Pearson r {self.pearson_r:.3f}",
            f"  jobs: {self.jobs.submitted} submitted, {self.jobs.reused} reused, "
            f"{self.jobs.fetched} fetched, {len(self.jobs.retries)} retries",
        ]
        for c in self.circuits:
            lines.append(
                f"  shape {c.shape}: {c.circuits} circuits, {c.width} qubits, depth {c.depth}, "
                f"{c.two_qubit_gates} two-qubit gates"
            )
        return "\n".join(lines)

    __str__ = summary


def evaluate(
    model,
    data,
    backend: Any = "statevector",
    *,
    shots: int | None = None,
    method: str = "destructive_swap",
    resume: str | os.PathLike | None = None,
    confidence: float = 0.95,
    seed: SeedLike = None,
    progress: bool = True,
    **backend_options,
) -> EvaluationReport:
    """Evaluate a trained caption model on an execution target.

    Parameters
    ----------
    model : CaptionModel
        A fitted model (``caption_circuit``, ``image_circuit``,
        ``parameter_values``, ``fidelity_pairs``, ``exact_fidelities``,
        ``predict_from_fidelities``, ``score_from_fidelities``).
    data : CaptionDataset
        Evaluation set.
    backend : str, SamplerV2 or Backend
        See :func:`get_backend`; a :class:`Backend` is used as it is (its own
        ``shots``/``method``; passing them too is an error).
    shots, method, seed
        As in :func:`get_backend`.
    resume : path, optional
        Resume file: job ids are written as jobs are submitted and outcomes as
        they are collected; rerunning the same evaluation with the same file
        reuses finished jobs instead of resubmitting them.
    confidence : float
        Level of the Wilson interval on the accuracy.
    progress : bool
        Progress bar over jobs.
    **backend_options
        Passed to :func:`get_backend` (``mode``, ``optimization_level``,
        ``seed_transpiler``, ``job_size``, ``retries``, ``backoff``, ``service``).

    Returns
    -------
    EvaluationReport

    Examples
    --------
    >>> from qinfo.vqc import CaptionModel, make_datasets
    >>> ds = make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.0, seed=0)
    >>> model = CaptionModel(epochs=2, progress=False, seed=0).fit(ds["train"])
    >>> report = evaluate(model, ds["val"], "aer", shots=2000, seed=0, progress=False)
    >>> report.n_predictions, report.shots, report.jobs.submitted
    (12, 2000, 1)
    >>> 0 <= report.accuracy_interval[0] <= report.accuracy <= report.accuracy_interval[1] <= 1
    True
    """
    if isinstance(backend, Backend):
        if shots is not None or method != "destructive_swap" or backend_options:
            raise ValueError("pass shots/method/backend options to get_backend, not evaluate, for a Backend")
        runner = backend
    else:
        runner = get_backend(backend, shots=shots, method=method, seed=seed, progress=progress, **backend_options)
    try:
        pairs = list(model.fidelity_pairs(data))
        exact = np.asarray(model.exact_fidelities(pairs), dtype=float)
        estimate = runner._estimate_shaped(_ModelShapes(model)(pairs), model.parameter_values(), resume=resume)
    finally:
        if runner is not backend:
            runner.close()
    predictions = model.predict_from_fidelities(data, estimate.values)
    n = len(predictions)
    accuracy = float(model.score_from_fidelities(data, estimate.values))
    exact_accuracy = float(model.score_from_fidelities(data, exact))
    return EvaluationReport(
        backend=runner.name,
        method=runner.method,
        shots=runner.shots,
        accuracy=accuracy,
        accuracy_interval=wilson_interval(int(round(accuracy * n)), n, confidence),
        confidence=confidence,
        exact_accuracy=exact_accuracy,
        n_predictions=n,
        fidelities=estimate,
        exact_fidelities=exact,
        mean_abs_fidelity_error=float(np.nanmean(np.abs(estimate.values - exact))),
        circuits=runner.circuit_costs(),
        jobs=runner.last_log,
    )


def fit_on_backend(model, data, backend: Any = "aer", *, shots: int | None = None, seed: SeedLike = None,
                   progress: bool = True, backend_options: Mapping[str, Any] | None = None, **fit_kwargs):
    """Train ``model`` with SPSA on an execution target.

    Equivalent to ``model.fit(data, fidelity_fn=get_backend(...).fidelity_fn(model), **fit_kwargs)``
    with the backend closed afterwards (open a ``mode="session"`` backend to
    keep the device reserved between SPSA steps).

    Returns
    -------
    CaptionModel
        ``model``, fitted.
    """
    with get_backend(backend, shots=shots, seed=seed, progress=progress, **dict(backend_options or {})) as runner:
        return model.fit(data, fidelity_fn=runner.fidelity_fn(model), **fit_kwargs)
