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

import math
import os
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from qinfo._optional import require
from qinfo._random import SeedLike, as_generator
from qinfo._validate import check_real, check_seed
from qinfo.vqc._decision import best_threshold
from qinfo.vqc._execution.fidelity import FidelityEstimate, estimate_fidelities, wilson_interval
from qinfo.vqc._execution.jobs import JobFailedError, JobLog, ResumeFile, ServiceUnavailableError
from qinfo.vqc._execution.options import ExecutionOptions
from qinfo.vqc._execution.targets import BACKEND_NAMES, SamplerTarget, resolve_target
from qinfo.vqc._execution.templates import METHODS, CircuitShape, circuit_shape, fidelity_test

__all__ = [
    "BACKEND_NAMES",
    "METHODS",
    "Backend",
    "EvaluationReport",
    "ExecutionOptions",
    "FidelityEstimate",
    "JobFailedError",
    "ResumeFile",
    "ServiceUnavailableError",
    "TooFewShotsError",
    "evaluate",
    "fit_on_backend",
    "get_backend",
]

#: Shots used by sampling backends when ``shots=None``.
DEFAULT_SHOTS = 4096


#: Fewest shots a pair should keep after post-selection, on average, for its
#: fidelity estimate to mean something (with 10 kept shots the standard error is
#: at most 2 sqrt(1/4 / 10) = 0.32); ``evaluate`` refuses fewer shots.
MIN_KEPT_SHOTS = 10


@dataclass
class CircuitCost:
    """Transpiled size of one circuit shape on one backend."""

    shape: int
    circuits: int
    width: int
    depth: int
    two_qubit_gates: int
    sha256: str | None = None
    layout: list[int] | None = None


class Backend:
    """An execution target with its settings; estimates fidelities of circuit pairs.

    Build one with :func:`get_backend`, which resolves a backend name into a
    target. The backend keeps the circuits it has compiled, so repeated calls
    (training steps) only bind parameters. Use it as a context manager (or
    call :meth:`close`) when ``mode`` is ``"batch"`` or ``"session"``.

    Parameters
    ----------
    target : object
        The execution target that compiles and runs the test circuits (made
        by :func:`get_backend` from a name or a sampler).
    shots : int, optional
        Shots per circuit; ``None`` for exact estimates (exact targets only).
    method : {"destructive_swap", "swap", "inverse"}
        Fidelity-test circuit.
    seed : None, int, SeedSequence or Generator
        Seeds simulator shot noise; an int or SeedSequence also keys the
        resume file, so a rerun with the same seed reuses its jobs.
    progress : bool, optional
        Progress bar over jobs; ``None`` shows one only when stderr is a terminal.
    options : ExecutionOptions, optional
        The settings of the run (``shots`` overrides ``options.shots``).

    Attributes
    ----------
    name : str
        The target, e.g. ``"aer"`` or ``"ibm:ibm_brisbane"``.
    shots : int or None
        Shots per circuit; ``None`` means exact (``statevector`` and PennyLane
        targets only).
    method : str
        Fidelity test, one of ``"destructive_swap"``, ``"swap"``, ``"inverse"``.
    options : ExecutionOptions
        The settings it runs with (``options.shots`` is ``shots``).
    last_log : JobLog
        Job ids, submissions, reuses and retries of the latest call.

    Examples
    --------
    >>> with get_backend("aer", shots=1000, seed=0) as backend:
    ...     backend.name, backend.shots, backend.exact
    ('aer', 1000, False)
    """

    def __init__(self, target, *, shots: int | None = None, method: str = "destructive_swap",
                 seed: SeedLike = None, progress: bool | None = None, options: ExecutionOptions | None = None):
        if method not in METHODS:
            raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
        check_seed("seed", seed)
        self.target = target
        self.options = (ExecutionOptions() if options is None else options).replace(shots=shots)
        self.shots = shots
        self.method = method
        self.progress = progress
        # a seed given as a number determines simulator results, so it keys the resume file
        self._seed_given = isinstance(seed, (int, np.integer, np.random.SeedSequence))
        self._rng = as_generator(seed)
        self._compiled: dict[tuple, Any] = {}
        self._records: dict[tuple, dict] = {}
        self._uses: dict[tuple, int] = {}
        self.last_log = JobLog()

    @property
    def name(self) -> str:
        """The target's name (for ``ibm:least_busy``, the device chosen once circuits are known)."""
        return self.target.name

    def __repr__(self) -> str:
        return f"Backend({self.name!r}, shots={self.shots}, method={self.method!r})"

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close a batch or session opened by this backend (nothing to do in job mode).

        Examples
        --------
        >>> backend = get_backend("statevector")
        >>> backend.close()
        """
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

        Examples
        --------
        A Bell pair post-selected on ``q0 = 0`` leaves ``|0>`` on ``q1``; its
        fidelity with ``ry(1.0)|0>`` is ``cos(0.5)**2``:

        >>> from qiskit import QuantumCircuit
        >>> state = QuantumCircuit(2, metadata={"sentence_qubits": [1], "postselect_qubits": [0]})
        >>> _ = state.h(0); _ = state.cx(0, 1)
        >>> image = QuantumCircuit(1); _ = image.ry(1.0, 0)
        >>> est = get_backend("statevector").estimate([(state, image)])
        >>> round(float(est.values[0]), 4), float(est.postselection_rate[0])
        (0.7702, 0.5)
        """
        shaped = [_shaped_pair(p) for p in pairs]
        return self._estimate_shaped(shaped, dict(parameter_values or {}), resume=resume)

    def _estimate_shaped(self, shaped, parameter_values, *, resume=None, shots=None, warn=True) -> FidelityEstimate:
        if not shaped:
            raise ValueError("pairs must not be empty")
        tests = [fidelity_test(state, state_circuit, ref, self.method) for state, state_circuit, ref in shaped]
        if hasattr(self.target, "reserve"):  # ibm:least_busy picks a device wide enough for all
            self.target.reserve(max(t.circuit.num_qubits for t in tests))
        store = None
        if resume is not None and isinstance(self.target, SamplerTarget):
            store = resume if isinstance(resume, ResumeFile) else ResumeFile(resume)
        groups: dict[tuple, list[int]] = {}
        rows: list[np.ndarray] = []
        for k, ((state, _, ref), test) in enumerate(zip(shaped, tests)):
            if test.key not in self._compiled:
                self._compile(test, store)
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
        salt = repr(sorted(self.options.replace(shots=None).to_dict().items()))
        if self._seed_given and getattr(self.target, "seeded", False):
            salt += f"|seed={seed}"
        results, self.last_log = self.target.run(work, shots, seed=seed, progress=self.progress,
                                                 resume=store, salt=salt)
        outcomes: list[Any] = [None] * len(shaped)
        for idx, res in zip(order, results):
            for i, o in zip(idx, res):
                outcomes[i] = o
        return estimate_fidelities(self.method, outcomes, shots, warn=warn)

    def _compile(self, test, store: ResumeFile | None) -> None:
        """Compile ``test``, reusing (or else recording) its transpiled form in the resume file."""
        if not hasattr(self.target, "circuit_record"):
            self._compiled[test.key] = self.target.compile(test)
            return
        key = self.target.circuit_key(test)
        stored = store.circuit(key) if store is not None else None
        try:
            compiled = self.target.compile(test, stored)
        except ValueError as exc:
            if stored is None:
                raise
            raise ValueError(f"{store.path}: {exc}") from exc
        record = stored or self.target.circuit_record(compiled)
        if store is not None and stored is None:
            store.record_circuit(key, record)
        self._compiled[test.key] = compiled
        self._records[test.key] = record

    def readout_calibrations(self) -> list[dict] | None:
        """Readout error rates measured by the latest call (``readout_mitigation`` only), else None.

        Returns
        -------
        list of dict or None
            Per circuit width: ``qubits``, ``p01``, ``p10`` and ``shots``.

        Examples
        --------
        >>> get_backend("aer").readout_calibrations() is None  # mitigation is off
        True
        """
        if not self.options.readout_mitigation:
            return None
        return [c.to_dict() for c in getattr(self.target, "readout_calibrations", [])]

    def circuit_costs(self) -> list[CircuitCost]:
        """Width, depth and two-qubit gate count of every circuit shape compiled so far.

        Returns
        -------
        list of CircuitCost
            One per circuit shape, in the order they were compiled.

        Examples
        --------
        >>> from qiskit import QuantumCircuit
        >>> state, image = QuantumCircuit(1), QuantumCircuit(1)
        >>> _ = state.ry(0.3, 0); _ = image.ry(0.5, 0)
        >>> backend = get_backend("statevector", method="inverse")
        >>> _ = backend.estimate([(state, image)])
        >>> [(c.circuits, c.width) for c in backend.circuit_costs()]
        [(1, 1)]
        """
        out = []
        for n, (key, c) in enumerate(self._compiled.items()):
            record = self._records.get(key, {})
            out.append(CircuitCost(n, self._uses.get(key, 0), c.width, c.depth, c.two_qubit_gates,
                                   record.get("sha256"), record.get("layout")))
        return out

    def fidelity_fn(self, model) -> Callable[[Sequence[tuple[Any, Any]], Mapping[str, float]], np.ndarray]:
        """The fidelity function of ``model`` on this backend, for ``model.fit(data, fidelity_fn=...)``.

        This is how a model trains on an execution target: SPSA then takes
        its training losses from this backend's fidelity estimates, e.g.
        ``model.fit(train, fidelity_fn=get_backend("aer", shots=2000).fidelity_fn(model))``.
        Caption and image circuits are built and reduced to shapes once per
        caption / image; each call only binds new parameter values and runs
        one set of jobs. Pairs with no shot surviving post-selection are
        measured again with 4, 16 and 64 times the shots; if still none
        survives, a ``ValueError`` asks for more shots.

        Parameters
        ----------
        model : CaptionModel
            The model whose ``caption_circuit`` and ``image_circuit`` build
            the circuits (the parameter values come with each call).

        Returns
        -------
        callable
            ``fidelity_fn(pairs, parameter_values) -> numpy.ndarray``, one
            estimate per ``(caption, features)`` pair.

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.0, seed=0)
        >>> model = CaptionModel(optimizer="spsa", epochs=1, batch_size=8, progress=False, seed=1)
        >>> with get_backend("aer", shots=500, seed=0, progress=False) as backend:
        ...     model = model.fit(ds["train"], fidelity_fn=backend.fidelity_fn(model))
        >>> model.n_epochs_
        1
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
    QuantumCircuit = require("qiskit", feature="Backend.estimate").QuantumCircuit
    if len(pair) != 2 or not all(isinstance(c, QuantumCircuit) for c in pair):
        raise TypeError("each pair must be (state QuantumCircuit, reference QuantumCircuit)")
    state_circuit, ref = pair
    return circuit_shape(state_circuit), state_circuit, circuit_shape(ref)


def get_backend(
    backend: Any = "statevector",
    *,
    options: ExecutionOptions | None = None,
    shots: int | None = None,
    method: str = "destructive_swap",
    mode: str | None = None,
    optimization_level: int | None = None,
    seed_transpiler: int | None = None,
    seed: SeedLike = None,
    job_size: int | None = None,
    retries: int = 5,
    backoff: float = 2.0,
    service: Any = None,
    progress: bool | None = None,
) -> Backend:
    """Resolve ``backend`` into a :class:`Backend` that estimates fidelities.

    Parameters
    ----------
    backend : str or sampler
        ``"statevector"`` (default, exact), ``"aer"``, ``"fake_<name>"``,
        ``"ibm:<name>"``, ``"ibm:least_busy"``, ``"pennylane:<device>"``, or a
        ready-made Qiskit V2 sampler (e.g. an IBM Runtime
        ``executor_sampler.Sampler`` in job mode or in a ``Batch`` or
        ``Session`` you opened). The device to transpile for comes from the
        sampler's ``backend()``; interrupted runs are resumed through the
        sampler's ``job(job_id)`` or its service.
    options : ExecutionOptions, optional
        Shots, transpilation, twirling, dynamical decoupling, readout
        mitigation, execution mode and job size in one object. The keywords
        below, when given, override the matching fields.
    shots : int, optional
        Shots per circuit. ``None``: exact for ``statevector`` and PennyLane
        (with an int they sample), 4096 for sampler backends.
    method : {"destructive_swap", "swap", "inverse"}
        Fidelity test (see :mod:`qinfo.vqc._execution.templates`).
    mode : {"job", "batch", "session"}, optional
        IBM Runtime execution mode (``options.mode``). ``"job"`` (default)
        works on the Open Plan; ``"session"`` needs a paid plan.
    optimization_level : int, optional
        Transpiler optimisation level, 0-3 (``options.optimization_level``, default 2).
    seed_transpiler : int, optional
        Seed for reproducible transpilation (``options.seed_transpiler``).
    seed : None, int, SeedSequence or Generator
        Seeds simulator shot noise.
    job_size : int, optional
        Most circuits (parameter rows) per job (``options.max_circuits_per_job``).
    retries, backoff : int, float
        Transient service errors are retried ``retries`` times, waiting
        ``backoff * 2**k`` seconds; each retry is logged.
    service : QiskitRuntimeService, optional
        For ``ibm:`` backends; default ``QiskitRuntimeService()`` (saved account
        or environment variables).
    progress : bool, optional
        Show a progress bar over jobs; ``None`` (default) shows one only when
        stderr is a terminal. Jobs run one after another on one target (see
        :func:`evaluate`), so there is no ``executor=``.

    Returns
    -------
    Backend

    Examples
    --------
    >>> get_backend("aer", shots=1000)
    Backend('aer', shots=1000, method='destructive_swap')
    >>> get_backend("fake_manila", options=ExecutionOptions(twirling=True)).options.twirling
    True
    >>> get_backend("aer", shots=0)
    Traceback (most recent call last):
    ...
    ValueError: shots must be >= 1, got 0
    """
    if options is not None and not isinstance(options, ExecutionOptions):
        raise TypeError(f"options must be an ExecutionOptions, got {type(options).__name__}")
    explicit = {"shots": shots, "mode": mode, "optimization_level": optimization_level,
                "seed_transpiler": seed_transpiler, "max_circuits_per_job": job_size}
    options = (options or ExecutionOptions()).replace(**{k: v for k, v in explicit.items() if v is not None})
    target = resolve_target(backend, options=options, retries=retries, backoff=backoff, service=service)
    if options.shots is None and isinstance(target, SamplerTarget):
        options = options.replace(shots=DEFAULT_SHOTS)
    return Backend(target, shots=options.shots, method=method, seed=seed, progress=progress, options=options)


@dataclass
class EvaluationReport:
    """What :func:`evaluate` measured.

    :func:`evaluate` builds it; print it (:meth:`summary`) or save it (:meth:`to_dict`).

    Parameters
    ----------
    backend : str
        The target that ran the circuits (for ``ibm:least_busy``, the device chosen).
    method : str
        The fidelity test.
    shots : int or None
        Shots per circuit (``None``: exact).
    accuracy : float
        Accuracy of the predictions made from the backend's fidelities with
        the model's own decision threshold (fitted on exact fidelities).
    accuracy_interval : (float, float)
        Wilson score interval for ``accuracy`` at ``confidence``.
    confidence : float
        Level of the Wilson intervals.
    exact_accuracy : float
        Accuracy from exact (noise-free, shot-free) fidelities.
    n_predictions : int
        Number of predictions scored.
    fidelities : FidelityEstimate
        Backend estimates, with standard errors and post-selection rates.
    exact_fidelities : numpy.ndarray
        Exact (noise-free, shot-free) fidelities of the same pairs.
    mean_abs_fidelity_error : float
        Mean of ``|estimate - exact|`` over pairs.
    circuits : list of CircuitCost
        Transpiled width, depth, two-qubit gate count, QPY hash and layout per
        circuit shape, of the circuits that ran.
    jobs : JobLog
        Job ids, how many were submitted, reused from the resume file or
        fetched, and the retries.
    options : ExecutionOptions or None
        The settings of the run.
    captions : list of str
        The caption of each pair, in the order of ``fidelities``.
    threshold : float or None
        The model's decision threshold (binary task).
    readout : list of dict or None
        With ``options.readout_mitigation``: the measured readout error rates
        (``qubits``, ``p01`` = P(read 1 | 0), ``p10`` = P(read 0 | 1),
        ``shots``) per circuit width, with which the outcomes were corrected.
    calibrated : dict or None
        With ``calibrate=``: ``threshold`` fitted on the device estimates of
        the calibration split, ``accuracy`` and ``accuracy_interval`` with it,
        ``n_pairs``, and that split's ``fidelities`` and ``exact_fidelities``.

    Examples
    --------
    >>> from qinfo.vqc import CaptionModel, make_datasets
    >>> ds = make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.0, seed=0)
    >>> model = CaptionModel(epochs=1, progress=False, seed=0).fit(ds["train"])
    >>> report = evaluate(model, ds["val"], "statevector", progress=False)
    >>> report.accuracy == report.exact_accuracy, report.mean_abs_fidelity_error < 1e-9
    (True, True)
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
    options: ExecutionOptions | None = None
    captions: list[str] = field(default_factory=list)
    threshold: float | None = None
    readout: list[dict] | None = None
    calibrated: dict | None = None

    @property
    def pearson_r(self) -> float:
        """Pearson correlation of estimated and exact fidelities (nan if undefined)."""
        a, b = self.fidelities.values, self.exact_fidelities
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() < 2 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
            return float("nan")
        return float(np.corrcoef(a[ok], b[ok])[0, 1])

    def summary(self) -> str:
        """A few lines for the terminal (also what ``str(report)`` gives).

        Returns
        -------
        str

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.0, seed=0)
        >>> model = CaptionModel(epochs=1, progress=False, seed=0).fit(ds["train"])
        >>> print(evaluate(model, ds["val"], "statevector", progress=False).summary())  # doctest: +ELLIPSIS
        backend statevector (destructive_swap, exact)
          accuracy ...
        """
        lo, hi = self.accuracy_interval
        shots = "exact" if self.shots is None else f"{self.shots} shots"
        lines = [
            f"backend {self.backend} ({self.method}, {shots})",
            f"  accuracy {self.accuracy:.3f}  [{lo:.3f}, {hi:.3f}] ({self.confidence:.0%} Wilson, "
            f"n={self.n_predictions});  exact {self.exact_accuracy:.3f}",
        ]
        if self.calibrated is not None:
            c = self.calibrated
            lines.append(
                f"  calibrated on this backend ({c['n_pairs']} pairs): threshold {c['threshold']:.3f} "
                f"(model {self.threshold:.3f}), accuracy {c['accuracy']:.3f}  "
                f"[{c['accuracy_interval'][0]:.3f}, {c['accuracy_interval'][1]:.3f}]"
            )
        missing = int(np.sum(~np.isfinite(self.fidelities.values)))
        if missing:
            lines.append(f"  {missing} pairs kept no shot after post-selection (nan, predicted no match)")
        lines += [
            f"  mean |fidelity error| {self.mean_abs_fidelity_error:.4f}; "
            f"mean stderr {np.nanmean(self.fidelities.stderr):.4f}; Pearson r {self.pearson_r:.3f}",
            f"  jobs: {self.jobs.submitted} submitted, {self.jobs.reused} reused, "
            f"{self.jobs.fetched} fetched, {len(self.jobs.retries)} retries",
        ]
        if self.options is not None and self.options.error_suppression:
            o = self.options
            lines.append(f"  error suppression: twirling {o.twirling}, dynamical decoupling "
                         f"{o.dynamical_decoupling or False}, readout mitigation {o.readout_mitigation}")
        for r in self.readout or []:
            lines.append(f"  readout mitigation: qubits {r['qubits']}, mean P(1|0) {np.mean(r['p01']):.4f}, "
                         f"mean P(0|1) {np.mean(r['p10']):.4f} ({r['shots']} calibration shots)")
        for c in self.circuits:
            lines.append(
                f"  shape {c.shape}: {c.circuits} circuits, {c.width} qubits, depth {c.depth}, "
                f"{c.two_qubit_gates} two-qubit gates"
            )
        return "\n".join(lines)

    __str__ = summary

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form with every per-pair estimate and shot count (``nan`` as ``None``).

        Returns
        -------
        dict

        Examples
        --------
        >>> from qinfo.vqc import CaptionModel, make_datasets
        >>> ds = make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.0, seed=0)
        >>> model = CaptionModel(epochs=1, progress=False, seed=0).fit(ds["train"])
        >>> d = evaluate(model, ds["val"], "statevector", progress=False).to_dict()
        >>> sorted(d["pairs"][0])
        ['caption', 'estimate', 'exact', 'kept_shots', 'postselection_rate', 'shots', 'stderr']
        """

        def pairs(est: FidelityEstimate, exact, captions):
            return [
                {"caption": c, "exact": _num(x), "estimate": _num(v), "stderr": _num(e),
                 "shots": None if n is None else _num(n), "kept_shots": _num(k),
                 "postselection_rate": _num(r)}
                for c, x, v, e, n, k, r in zip(captions, exact, est.values, est.stderr,
                                               _measured(est), est.kept_shots, est.postselection_rate)
            ]

        out: dict[str, Any] = {
            "backend": self.backend, "method": self.method, "shots": self.shots,
            "options": None if self.options is None else self.options.to_dict(),
            "accuracy": self.accuracy, "accuracy_interval": list(self.accuracy_interval),
            "confidence": self.confidence, "exact_accuracy": self.exact_accuracy,
            "n_predictions": self.n_predictions, "threshold": self.threshold,
            "mean_abs_fidelity_error": _num(self.mean_abs_fidelity_error),
            "pearson_r": _num(self.pearson_r),
            "circuits": [asdict(c) for c in self.circuits],
            "jobs": asdict(self.jobs),
            "pairs": pairs(self.fidelities, self.exact_fidelities, self.captions),
            "readout": self.readout,
        }
        if self.calibrated is not None:
            c = self.calibrated
            out["calibrated"] = {
                "threshold": c["threshold"], "accuracy": c["accuracy"],
                "accuracy_interval": list(c["accuracy_interval"]), "n_pairs": c["n_pairs"],
                "pairs": pairs(c["fidelities"], c["exact_fidelities"], c["captions"]),
            }
        return out


def _num(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _measured(est: FidelityEstimate) -> list:
    if est.measured_shots is None:
        return [None] * len(est)
    return list(est.measured_shots)


def _take(est: FidelityEstimate, idx: slice) -> FidelityEstimate:
    measured = None if est.measured_shots is None else est.measured_shots[idx]
    return FidelityEstimate(est.values[idx], est.stderr[idx], est.shots, est.kept_shots[idx],
                            est.postselection_rate[idx], est.method, measured)


def _caption_text(caption) -> str:
    return caption if isinstance(caption, str) else " ".join(caption)


class TooFewShotsError(ValueError):
    """``shots`` leaves too few shots after post-selection; ``minimum`` is the fewest that do.

    :func:`evaluate` raises it before submitting anything.

    Parameters
    ----------
    shots : int
        The shots asked for.
    minimum : int
        The fewest shots that keep :data:`MIN_KEPT_SHOTS` per pair on average.
    rarest_rate : float
        The smallest exact post-selection probability among the pairs.

    Examples
    --------
    >>> str(TooFewShotsError(1, 310, 0.0324))  # doctest: +NORMALIZE_WHITESPACE
    'shots=1 is too few for this model: the rarest pair passes post-selection with
    probability 0.0324, so at least 310 shots are needed for 10 kept shots per pair'
    """

    def __init__(self, shots: int, minimum: int, rarest_rate: float):
        self.shots, self.minimum, self.rarest_rate = shots, minimum, rarest_rate
        super().__init__(
            f"shots={shots} is too few for this model: the rarest pair passes post-selection "
            f"with probability {rarest_rate:.4f}, so at least {minimum} shots are needed for "
            f"{MIN_KEPT_SHOTS} kept shots per pair"
        )


def minimum_shots(rates: np.ndarray, kept: int = MIN_KEPT_SHOTS) -> int:
    """Fewest shots per pair for ``kept`` shots to survive post-selection at the rarest rate.

    Examples
    --------
    >>> minimum_shots(np.array([0.5, 0.02]))
    500
    """
    rarest = float(np.min(rates))
    if rarest <= 0:
        raise ValueError("a pair can never pass post-selection (exact post-selection probability 0)")
    return int(math.ceil(kept / rarest - 1e-9))


def _accuracy(predictions, labels, confidence):
    n = len(labels)
    correct = int(np.sum(np.asarray(predictions) == np.asarray(labels)))
    return correct / n, wilson_interval(correct, n, confidence)


def evaluate(
    model,
    data,
    backend: Any = "statevector",
    *,
    shots: int | None = None,
    method: str = "destructive_swap",
    options: ExecutionOptions | None = None,
    calibrate=None,
    resume: str | os.PathLike | ResumeFile | None = None,
    confidence: float = 0.95,
    seed: SeedLike = None,
    progress: bool | None = None,
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
    backend : str, sampler or Backend
        See :func:`get_backend`; a :class:`Backend` is used as it is (its own
        ``shots``/``method``/``options``; passing them too is an error).
    shots, method, options
        As in :func:`get_backend`. With shots, the model's exact post-selection
        rates must leave on average at least :data:`MIN_KEPT_SHOTS` shots for
        every pair, else a ``ValueError`` states the minimum (checked before
        anything is submitted).
    calibrate : CaptionDataset, optional
        A held-out calibration split (binary task). Its pairs run in the same
        jobs on the same backend; the decision threshold is fitted on their
        device estimates and applied to ``data``. Device noise pulls
        fidelities towards the value of a mixed state, so a threshold fitted
        on exact fidelities can sit on the wrong side of them. Both
        accuracies are reported, each with a Wilson interval.
    resume : path or ResumeFile, optional
        Resume file: job ids are written as jobs are submitted, outcomes as
        they are collected and the transpiled circuits before the first
        submission; rerunning with the same file reuses finished jobs and the
        same circuits. Job keys include the shots, the options and, for
        simulators, the seed, so other settings start new records.
    confidence : float
        Level of the Wilson intervals on the accuracies, in ``(0, 1)``.
    seed : None, int, SeedSequence or Generator
        Seeds simulator shot noise (as in :func:`get_backend`).
    progress : bool, optional
        Progress bar over jobs; ``None`` (default) shows one only when stderr
        is a terminal. There is no ``executor=``: the jobs go to one target
        (an IBM device queues them all at once; a local simulator runs them
        one at a time on all cores, and the resume file records each as it
        ends).
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
    >>> round(report.accuracy, 3), report.exact_accuracy  # the same for every run with seed=0
    (0.333, 0.5)
    >>> error = np.abs(report.fidelities.values - report.exact_fidelities)
    >>> bool(np.all(error < 4 * report.fidelities.stderr))  # shot noise only: within 4 standard errors
    True
    """
    check_real("confidence", confidence, high=1.0)
    if confidence == 1:
        raise ValueError("confidence must be < 1, got 1")
    if isinstance(backend, Backend):
        if shots is not None or method != "destructive_swap" or options is not None or backend_options:
            raise ValueError("pass shots/method/options to get_backend, not evaluate, for a Backend")
        runner = backend
    else:
        runner = get_backend(backend, shots=shots, method=method, options=options, seed=seed,
                             progress=progress, **backend_options)
    if calibrate is not None and getattr(calibrate, "task", "binary") != "binary":
        raise ValueError("calibrate= fits a decision threshold, which only the binary task has")
    try:
        pairs = list(model.fidelity_pairs(data))
        cal_pairs = list(model.fidelity_pairs(calibrate)) if calibrate is not None else []
        shaped = _ModelShapes(model)(pairs + cal_pairs)
        values = model.parameter_values()
        if runner.shots is not None:
            rates = get_backend("statevector", method=runner.method, progress=False)._estimate_shaped(
                shaped, values, warn=False).postselection_rate
            need = minimum_shots(rates)
            if runner.shots < need:
                raise TooFewShotsError(runner.shots, need, float(np.min(rates)))
        exact_all = np.asarray(model.exact_fidelities(pairs + cal_pairs), dtype=float)
        estimate = runner._estimate_shaped(shaped, values, resume=resume)
    finally:
        if runner is not backend:
            runner.close()
    n_eval = len(pairs)
    est, exact = _take(estimate, slice(0, n_eval)), exact_all[:n_eval]
    n = len(model.predict_from_fidelities(data, est.values))
    accuracy = float(model.score_from_fidelities(data, est.values))
    report = EvaluationReport(
        backend=runner.name,
        method=runner.method,
        shots=runner.shots,
        accuracy=accuracy,
        accuracy_interval=wilson_interval(int(round(accuracy * n)), n, confidence),
        confidence=confidence,
        exact_accuracy=float(model.score_from_fidelities(data, exact)),
        n_predictions=n,
        fidelities=est,
        exact_fidelities=exact,
        mean_abs_fidelity_error=float(np.nanmean(np.abs(est.values - exact))),
        circuits=runner.circuit_costs(),
        jobs=runner.last_log,
        options=runner.options,
        captions=[_caption_text(c) for c, _ in pairs],
        threshold=getattr(model, "threshold_", None),
        readout=runner.readout_calibrations(),
    )
    if calibrate is not None:
        cal = _take(estimate, slice(n_eval, None))
        if not np.all(np.isfinite(cal.values)):
            raise ValueError("calibration pairs kept no shot after post-selection; increase shots")
        threshold = best_threshold(cal.values, np.asarray(calibrate.labels))
        acc, interval = _accuracy((est.values > threshold).astype(int), data.labels, confidence)
        report.calibrated = {"threshold": threshold, "accuracy": acc, "accuracy_interval": interval,
                             "n_pairs": len(cal_pairs), "fidelities": cal,
                             "exact_fidelities": exact_all[n_eval:],
                             "captions": [_caption_text(c) for c, _ in cal_pairs]}
    return report


def fit_on_backend(model, data, backend: Any = "aer", *, shots: int | None = None, seed: SeedLike = None,
                   progress: bool | None = None, backend_options: Mapping[str, Any] | None = None,
                   options: ExecutionOptions | None = None, **fit_kwargs):
    """Deprecated: use ``model.fit(data, fidelity_fn=backend.fidelity_fn(model))``.

    Kept for old scripts; it warns and calls the general form with a backend
    from :func:`get_backend`, closed afterwards (open a ``mode="session"``
    backend yourself to keep the device reserved between SPSA steps).

    Parameters
    ----------
    model : CaptionModel
        An unfitted model with ``optimizer="spsa"``.
    data : CaptionDataset
        Training set.
    backend : str or sampler
        As in :func:`get_backend`.
    shots : int, optional
        As in :func:`get_backend`.
    seed : None, int, SeedSequence or Generator
        Seeds the backend's shot noise (the model has its own ``seed``).
    progress : bool, optional
        Progress bar over the backend's jobs.
    backend_options : mapping, optional
        More keywords for :func:`get_backend`.
    options : ExecutionOptions, optional
        As in :func:`get_backend`.
    **fit_kwargs
        Passed to ``model.fit``.

    Returns
    -------
    CaptionModel
        ``model``, fitted.

    Examples
    --------
    The general form that replaces ``fit_on_backend(model, ds["train"], "aer", shots=500, seed=0)``:

    >>> from qinfo.vqc import CaptionModel, make_datasets
    >>> ds = make_datasets("relational", "binary", n_per_combination=2, flip_prob=0.0, seed=0)
    >>> model = CaptionModel(optimizer="spsa", epochs=1, progress=False, seed=1)
    >>> with get_backend("aer", shots=500, seed=0, progress=False) as backend:
    ...     model = model.fit(ds["train"], fidelity_fn=backend.fidelity_fn(model))
    """
    warnings.warn(
        "fit_on_backend is deprecated; use model.fit(data, fidelity_fn=get_backend(backend, ...)"
        ".fidelity_fn(model))",
        DeprecationWarning,
        stacklevel=2,
    )
    with get_backend(backend, shots=shots, seed=seed, progress=progress, options=options,
                     **dict(backend_options or {})) as runner:
        return model.fit(data, fidelity_fn=runner.fidelity_fn(model), **fit_kwargs)
