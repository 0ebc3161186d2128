"""Execution targets: where fidelity-test circuits run.

A target compiles a :class:`~qinfo.vqc._execution.templates.FidelityTest` once
(``compile``) and runs it for many parameter rows (``run``), returning an
:class:`~qinfo.vqc._execution.fidelity.Outcomes` table per row. Three kinds:

- :class:`StatevectorTarget` -- exact probabilities from Qiskit's
  ``Statevector`` (or multinomial samples of them when shots are given);
- :class:`SamplerTarget` -- any Qiskit V2 sampler: qiskit-aer, IBM Runtime on a
  real device or a fake backend in local testing mode, or one the user built;
- :class:`PennyLaneTarget` -- a PennyLane device (``lightning.qubit``,
  ``default.qubit``, ...), analytic or with shots.

:func:`resolve_target` turns a ``backend=`` value into a target.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from qinfo._optional import MissingExtraError, require
from qinfo._random import as_generator
from qinfo._validate import check_int, check_real
from qinfo.vqc._execution.fidelity import Outcomes
from qinfo.vqc._execution.jobs import JobLog, JobSpec, decode_bytes, encode_bytes, run_jobs
from qinfo.vqc._execution.options import EXECUTION_MODES, ExecutionOptions
from qinfo.vqc._execution.readout import ReadoutCalibration, calibration_circuits
from qinfo.vqc._execution.templates import FidelityTest

logger = logging.getLogger("qinfo.vqc.backends")

__all__ = [
    "BACKEND_NAMES",
    "Compiled",
    "StatevectorTarget",
    "SamplerTarget",
    "PennyLaneTarget",
    "resolve_target",
    "fake_backend_names",
]

#: The forms a ``backend=`` string can take.
BACKEND_NAMES = (
    "statevector",
    "aer",
    "fake_<name>",
    "ibm:<name>",
    "ibm:least_busy",
    "pennylane:<device>",
)

# Circuits for targets without an instruction set (Aer, plain samplers) are
# unrolled to these gates. Parametrised *controlled* rotations are left out on
# purpose: qiskit-aer's primitives ignore their bound parameter values
# (Qiskit/qiskit-aer#2323, #2391, #2403; seen with qiskit-aer 0.18.2).
SIMULATOR_BASIS = ("cx", "h", "rx", "ry", "rz", "sx", "x", "measure")

_ACCOUNT_HELP = (
    "No usable IBM Quantum account found. Save one once (it is stored in "
    "~/.qiskit/qiskit-ibm.json, never in your code):\n\n"
    "    from qiskit_ibm_runtime import QiskitRuntimeService\n"
    "    QiskitRuntimeService.save_account(channel='ibm_quantum_platform', "
    "token='<your API key>', instance='<your instance CRN>', set_as_default=True)\n\n"
    "or set the environment variables QISKIT_IBM_TOKEN, QISKIT_IBM_INSTANCE "
    "(and QISKIT_IBM_CHANNEL)."
)

_PENNYLANE_GATES = {
    "h": "Hadamard", "x": "PauliX", "y": "PauliY", "z": "PauliZ", "s": "S", "t": "T",
    "sx": "SX", "rx": "RX", "ry": "RY", "rz": "RZ", "p": "PhaseShift", "u": "U3",
    "cx": "CNOT", "cy": "CY", "cz": "CZ", "swap": "SWAP", "cswap": "CSWAP", "ccx": "Toffoli",
    "crx": "CRX", "cry": "CRY", "crz": "CRZ", "cp": "ControlledPhaseShift",
    "rxx": "IsingXX", "ryy": "IsingYY", "rzz": "IsingZZ",
}  # fmt: skip


@dataclass
class Compiled:
    """A fidelity test compiled for one target.

    Attributes
    ----------
    test : FidelityTest
        The logical circuit.
    circuit : qiskit.QuantumCircuit
        What runs (the ISA circuit for hardware targets).
    columns : numpy.ndarray
        For each parameter of ``circuit`` (in Qiskit's order), its column in a
        row of test parameter values.
    depth, two_qubit_gates, width : int
        Depth, number of two-qubit gates and number of qubits of ``circuit``.
    """

    test: FidelityTest
    circuit: Any
    columns: np.ndarray
    depth: int
    two_qubit_gates: int
    width: int


def _compiled(test: FidelityTest, circuit) -> Compiled:
    ops = [i for i in circuit.data if i.operation.name not in ("barrier", "measure")]
    active = {circuit.find_bit(q).index for i in circuit.data for q in i.qubits}
    return Compiled(
        test=test,
        circuit=circuit,
        columns=np.array([p.index for p in circuit.parameters], dtype=int),
        depth=int(circuit.depth(lambda i: i.operation.name != "barrier")),
        two_qubit_gates=sum(1 for i in ops if len(i.qubits) == 2),
        width=len(active),
    )


def _circuit_from_record(record: dict):
    import io

    qpy = require("qiskit.qpy", feature="a resume file")
    try:
        data = decode_bytes(record["qpy"])
        (circuit,) = qpy.load(io.BytesIO(data))
    except Exception as exc:
        raise ValueError(f"not a qinfo jobs file (a stored circuit does not load: {exc}); "
                         "delete it to start over") from exc
    if hashlib.sha256(data).hexdigest() != record.get("sha256"):
        raise ValueError("not a qinfo jobs file (a stored circuit does not match its hash); "
                         "delete it to start over")
    return circuit


def _measured_qubits(circuit) -> tuple[list[int], list[int]]:
    """Qubits measured into registers ``post`` and ``test``, in bit order."""
    regs = {c.name: c for c in circuit.cregs}
    where = {}
    for inst in circuit.data:
        if inst.operation.name == "measure":
            where[inst.clbits[0]] = circuit.find_bit(inst.qubits[0]).index
    post = [where[c] for c in regs["post"]] if "post" in regs else []
    return post, [where[c] for c in regs["test"]]


def _outcomes_from_probabilities(probs: np.ndarray, n_post: int, n_test: int) -> Outcomes:
    keep = np.flatnonzero(probs > 1e-14)
    bits = ((keep[:, None] >> np.arange(n_post + n_test)) & 1).astype(bool)
    return Outcomes(bits[:, :n_post], bits[:, n_post:], probs[keep].astype(float))


def _sampled(outcomes: Outcomes, shots: int, rng: np.random.Generator) -> Outcomes:
    p = outcomes.weights / outcomes.weights.sum()
    counts = rng.multinomial(shots, p).astype(float)
    nz = counts > 0
    return Outcomes(outcomes.post[nz], outcomes.test[nz], counts[nz])


def _check_width(test: FidelityTest, num_qubits: int | None, name: str) -> None:
    if num_qubits is not None and test.circuit.num_qubits > num_qubits:
        raise ValueError(
            f"the {test.method} test circuit needs {test.circuit.num_qubits} qubits but backend "
            f"{name!r} has only {num_qubits}; use a smaller model or method='inverse' "
            "(no extra qubits)"
        )


class StatevectorTarget:
    """Exact simulation with :class:`qiskit.quantum_info.Statevector`.

    With ``shots`` the exact outcome distribution is sampled (multinomial),
    which simulates shot noise without device noise.
    """

    name = "statevector"
    num_qubits = None

    def compile(self, test: FidelityTest) -> Compiled:
        return _compiled(test, test.circuit)

    def run(self, work, shots, *, seed=None, progress=None, resume=None, salt=""):
        Statevector = require("qiskit.quantum_info", feature="backend 'statevector'").Statevector

        rng = as_generator(seed)
        out = []
        for compiled, values in work:
            post, test = _measured_qubits(compiled.circuit)
            bare = compiled.circuit.remove_final_measurements(inplace=False)
            rows = []
            for row in values:
                bound = bare.assign_parameters(row[compiled.columns]) if len(compiled.columns) else bare
                probs = Statevector(bound).probabilities(qargs=post + test)
                o = _outcomes_from_probabilities(probs, len(post), len(test))
                rows.append(o if shots is None else _sampled(o, shots, rng))
            out.append(rows)
        return out, JobLog()

    def close(self) -> None:
        """Nothing to release."""


class SamplerTarget:
    """Runs on a Qiskit V2 sampler after transpiling once per circuit shape.

    Parameters
    ----------
    name : str
        Label used in reports.
    make_sampler : callable
        ``make_sampler(mode, seed) -> sampler``; ``mode`` is the backend, a
        ``Batch`` or a ``Session``; ``seed`` an int for simulators.
    backend : qiskit BackendV2, optional
        Transpilation target (``None``: only unroll to Qiskit's standard gates).
    options : ExecutionOptions
        Optimisation level, transpiler seed, execution mode (batch and
        session are opened on first use and closed by :meth:`close`), rows
        per job.
    retrieve : callable, optional
        ``retrieve(job_id) -> job`` to collect jobs of an interrupted run.
    retries, backoff, retry_on
        Transient errors are retried with exponential backoff.
    num_qubits : int, optional
        Device width when ``backend`` does not say.
    seeded : bool
        Whether the sampler's results depend on the seed (simulators); the
        seed then becomes part of every job's resume key.
    """

    def __init__(
        self,
        name: str,
        make_sampler: Callable[[Any, int], Any],
        backend=None,
        *,
        options: ExecutionOptions | None = None,
        retrieve: Callable[[str], Any] | None = None,
        retries: int = 5,
        backoff: float = 2.0,
        retry_on: tuple[type[BaseException], ...] | None = None,
        num_qubits: int | None = None,
        seeded: bool = True,
    ):
        options = ExecutionOptions() if options is None else options
        check_int("retries", retries, 0)
        check_real("backoff", backoff, inclusive=True)
        self.name = name
        self.backend = backend
        self.num_qubits = getattr(backend, "num_qubits", None) if num_qubits is None else num_qubits
        self.options = options
        self.mode = options.mode
        self.retrieve = retrieve
        self.job_size = options.max_circuits_per_job
        self.retries = retries
        self.backoff = backoff
        self.retry_on = _transient_errors() if retry_on is None else tuple(retry_on)
        self.seeded = seeded
        self._make_sampler = make_sampler
        self._context = None
        self._pass_manager = None
        #: ``pick_device(width) -> device`` for a device chosen once the circuit width is known.
        self.pick_device: Callable[[int], Any] | None = None

    def set_device(self, device) -> None:
        """Run on ``device`` (an IBM backend): its name, width and instruction set."""
        self.backend = device
        self.num_qubits = getattr(device, "num_qubits", None)
        if self.name.startswith("ibm:"):
            self.name = f"ibm:{device.name}"

    def reserve(self, width: int) -> None:
        """Choose the device now if it depends on the circuit width (``ibm:least_busy``)."""
        if self.pick_device is not None and self.backend is None:
            self.set_device(self.pick_device(width))

    def compile(self, test: FidelityTest, stored: dict | None = None) -> Compiled:
        """Transpile ``test`` once (seeded by ``options.seed_transpiler``).

        ``stored`` is a record from :meth:`circuit_record` (kept in the resume
        file): the circuit that ran before is used again instead of a fresh
        transpilation, so resumed runs report the costs of what ran.
        """
        generate_preset_pass_manager = require("qiskit.transpiler").generate_preset_pass_manager
        self.reserve(test.circuit.num_qubits)
        _check_width(test, self.num_qubits, self.name)
        if stored is not None:
            return _compiled(test, _circuit_from_record(stored))
        if self._pass_manager is None:
            if self.backend is None or type(self.backend).__name__ == "AerSimulator":
                kwargs: dict[str, Any] = {"basis_gates": list(SIMULATOR_BASIS)}
            else:
                kwargs = {"backend": self.backend}
            self._pass_manager = generate_preset_pass_manager(
                optimization_level=self.options.optimization_level,
                seed_transpiler=self.options.seed_transpiler,
                **kwargs,
            )
        return _compiled(test, self._pass_manager.run(test.circuit))

    def circuit_key(self, test: FidelityTest) -> str:
        """Key of the transpiled form of ``test`` on this target with these options."""
        o = self.options
        text = f"{self.name}|{o.optimization_level}|{o.seed_transpiler}|{test.key!r}"
        return hashlib.sha256(text.encode()).hexdigest()

    @staticmethod
    def circuit_record(compiled: Compiled) -> dict:
        """What the resume file keeps of a transpiled circuit: QPY, hash, layout and sizes."""
        import io

        qpy = require("qiskit.qpy", feature="a resume file")
        buf = io.BytesIO()
        qpy.dump(compiled.circuit, buf)
        data = buf.getvalue()
        layout = compiled.circuit.layout
        return {
            "qpy": encode_bytes(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "layout": None if layout is None else [int(q) for q in layout.final_index_layout()],
            "width": compiled.width,
            "depth": compiled.depth,
            "two_qubit_gates": compiled.two_qubit_gates,
        }

    def _mode_object(self):
        if self.mode == "job":
            return self.backend
        if self._context is None:
            runtime = require("qiskit_ibm_runtime", feature=f"mode={self.mode!r}")
            Batch, Session = runtime.Batch, runtime.Session
            if self.backend is None:
                raise ValueError(f"mode={self.mode!r} needs an IBM Runtime backend, not {self.name!r}")
            self._context = (Batch if self.mode == "batch" else Session)(backend=self.backend)
        return self._context

    def run(self, work, shots, *, seed=None, progress=None, resume=None, salt=""):
        if shots is None:
            raise ValueError(f"backend {self.name!r} samples; shots must be a positive int, not None")
        rng = as_generator(seed)
        n_work = len(work)
        if self.options.readout_mitigation:  # calibration circuits go out in the same jobs
            work = list(work) + _calibration_work(work)
        rows = [(w, r) for w, (_, values) in enumerate(work) for r in range(len(values))]
        size = self.job_size or max(len(rows), 1)
        chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
        specs, grouped = [], []
        for chunk in chunks:
            by_work: dict[int, list[int]] = {}
            for w, r in chunk:
                by_work.setdefault(w, []).append(r)
            grouped.append([(w, r) for w, rs in by_work.items() for r in rs])
            pubs, digest = [], hashlib.sha256(f"{self.name}|{shots}|{salt}".encode())
            for w, rs in by_work.items():
                compiled, values = work[w]
                vals = np.ascontiguousarray(np.asarray(values, float)[rs][:, compiled.columns])
                pubs.append((compiled.circuit, vals) if vals.shape[1] else (compiled.circuit,))
                digest.update(repr(compiled.test.key).encode())
                digest.update(np.asarray(vals.shape).tobytes() + vals.tobytes())
            specs.append(JobSpec(key=digest.hexdigest(), pubs=pubs))
        seeds = rng.integers(0, 2**31 - 1, size=len(specs))
        seed_of = {id(s): int(x) for s, x in zip(specs, seeds)}

        def submit(spec):
            sampler = self._make_sampler(self._mode_object(), seed_of[id(spec)])
            return sampler.run(spec.pubs, shots=shots)

        def collect(job, spec):
            result = job.result()
            out = []
            for pub_result in result:
                data = pub_result.data
                test = data.test.to_bool_array(order="little")
                post = (
                    data.post.to_bool_array(order="little")
                    if "post" in data
                    else np.zeros(test.shape[:-1] + (0,), bool)
                )
                rows = int(np.prod(test.shape[:-2], dtype=int))  # explicit: post may have 0 bits
                test = test.reshape(rows, *test.shape[-2:])
                post = post.reshape(rows, *post.shape[-2:])
                out.extend(Outcomes.from_shots(p, t) for p, t in zip(post, test))
            return out

        results, log = run_jobs(
            specs,
            submit=submit,
            collect=collect,
            retrieve=self.retrieve,
            resume=resume,
            retries=self.retries,
            backoff=self.backoff,
            retry_on=self.retry_on,
            progress=progress,
            desc=f"{self.name} jobs",
        )
        out: list[list[Outcomes | None]] = [[None] * len(v) for _, v in work]
        for order, res in zip(grouped, results):  # results follow the PUB order of each job
            if len(res) != len(order):
                raise RuntimeError(
                    f"job for {self.name!r} returned {len(res)} results for {len(order)} circuits"
                )
            for (w, r), o in zip(order, res):
                out[w][r] = o
        if self.options.readout_mitigation:
            out = self._mitigated(work, out, n_work)
        return out, log

    def _mitigated(self, work, out, n_work: int):
        """Correct the outcomes of the first ``n_work`` items with the calibration items after them."""
        calibrations = {}
        for k in range(n_work, len(work), 2):
            key = work[k][0].test.key  # ("readout", width, qubits, 0), then the same with 1
            calibrations[key[1]] = ReadoutCalibration.from_outcomes(key[2], out[k][0], out[k + 1][0])
        #: The readout calibrations of the latest run (per circuit width).
        self.readout_calibrations = [calibrations[w] for w in sorted(calibrations)]
        mitigated = []
        for (compiled, _), rows in zip(work[:n_work], out[:n_work]):
            post, test = _measured_qubits(compiled.circuit)
            cal = calibrations[compiled.circuit.num_qubits]
            mitigated.append([cal.mitigate(o, post + test, compiled.test.method) for o in rows])
        return mitigated

    def close(self) -> None:
        """Close the batch or session opened by this target, if any."""
        if self._context is not None:
            self._context.close()
            self._context = None


class PennyLaneTarget:
    """Runs the test circuits on a PennyLane device.

    The Qiskit circuit is unrolled to gates PennyLane knows and rebuilt as
    PennyLane operations (pennylane-qiskit is not needed). ``shots=None`` gives
    analytic probabilities.
    """

    def __init__(self, device: str):
        self.device_name = device
        self.name = f"pennylane:{device}"
        self.num_qubits = None
        self._pass_manager = None

    def compile(self, test: FidelityTest) -> Compiled:
        generate_preset_pass_manager = require("qiskit.transpiler").generate_preset_pass_manager
        if self._pass_manager is None:
            self._pass_manager = generate_preset_pass_manager(
                optimization_level=0, basis_gates=sorted(_PENNYLANE_GATES) + ["measure"]
            )
        return _compiled(test, self._pass_manager.run(test.circuit))

    def _device(self, wires: int, seed: int):
        qml = require("pennylane", feature="backend 'pennylane:<device>'")

        try:
            return qml.device(self.device_name, wires=wires, seed=seed)
        except TypeError:
            return qml.device(self.device_name, wires=wires)
        except Exception as exc:
            known = sorted(getattr(qml, "plugin_devices", {}))
            raise ValueError(
                f"PennyLane device {self.device_name!r} could not be created ({exc}); "
                f"installed devices: {known}"
            ) from exc

    def run(self, work, shots, *, seed=None, progress=None, resume=None, salt=""):
        qml = require("pennylane", feature="backend 'pennylane:<device>'")
        rng = as_generator(seed)
        out = []
        for compiled, values in work:
            circuit = compiled.circuit
            post, test = _measured_qubits(circuit)
            measured = post + test
            dev = self._device(circuit.num_qubits, int(rng.integers(2**31 - 1)))
            rows = []
            for row in values:
                bound = circuit.assign_parameters(row[compiled.columns]) if len(compiled.columns) else circuit
                qnode = qml.QNode(functools.partial(_pennylane_body, bound, measured, shots is None), dev)
                if shots is not None:
                    qnode = qml.set_shots(qnode, shots=shots)
                res = np.asarray(qnode())
                if shots is None:
                    rows.append(_outcomes_from_probabilities(res, len(post), len(test)))
                else:
                    res = res.reshape(shots, len(measured)).astype(bool)
                    rows.append(Outcomes.from_shots(res[:, : len(post)], res[:, len(post) :]))
            out.append(rows)
        return out, JobLog()

    def close(self) -> None:
        """Nothing to release."""


def _pennylane_body(circuit, measured: list[int], analytic: bool):
    """Replay a bound Qiskit circuit as PennyLane operations (inside a QNode)."""
    qml = require("pennylane", feature="backend 'pennylane:<device>'")
    for inst in circuit.data:
        op = inst.operation
        if op.name in ("barrier", "measure"):
            continue
        wires = [circuit.find_bit(q).index for q in inst.qubits]
        getattr(qml, _PENNYLANE_GATES[op.name])(*map(float, op.params), wires=wires)
    if analytic:  # probs puts the first wire in the most significant bit
        return qml.probs(wires=measured[::-1])
    return qml.sample(wires=measured)


def _calibration_work(work) -> list:
    """Readout-calibration circuits for ``work``: one pair per circuit width, all measured qubits."""
    measured: dict[int, set[int]] = {}
    for compiled, _ in work:
        post, test = _measured_qubits(compiled.circuit)
        measured.setdefault(compiled.circuit.num_qubits, set()).update(post + test)
    extra = []
    for width, qubits in sorted(measured.items()):
        for cal in calibration_circuits(width, sorted(qubits)):
            extra.append((_compiled(cal, cal.circuit), np.zeros((1, 0))))
    return extra


def _transient_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [ConnectionError, TimeoutError]
    try:
        from qiskit_ibm_runtime.api.exceptions import RequestsApiError

        errors.append(RequestsApiError)
    except ImportError:  # pragma: no cover - runtime not installed
        pass
    return tuple(errors)


def fake_backend_names() -> list[str]:
    """Names accepted as ``fake_<name>`` (the qiskit-ibm-runtime fake backends).

    Examples
    --------
    >>> "fake_brisbane" in fake_backend_names()
    True
    """
    return sorted(_fake_backend_classes())


def _fake_backend_classes() -> dict[str, type]:
    fake_provider = require("qiskit_ibm_runtime.fake_provider", feature="backend 'fake_<name>'")
    FakeBackendV2 = require("qiskit_ibm_runtime.fake_provider.fake_backend").FakeBackendV2

    out = {}
    for attr in dir(fake_provider):
        cls = getattr(fake_provider, attr)
        if isinstance(cls, type) and issubclass(cls, FakeBackendV2) and getattr(cls, "backend_name", None):
            out[cls.backend_name] = cls
    for name in list(out):  # allow fake_manila for fake_manila_v2
        if name.endswith("_v2") and name[:-3] not in out:
            out[name[:-3]] = out[name]
    return out


def runtime_sampler_class() -> tuple[str, type]:
    """The IBM Runtime sampler to use, found by feature detection.

    qiskit-ibm-runtime >= 0.50 has the client-side
    ``qiskit_ibm_runtime.executor_sampler.Sampler`` and deprecates
    ``SamplerV2``; older runtimes only have ``SamplerV2``. No warning is
    filtered: on a runtime that has both, only the new one is imported.

    Returns
    -------
    (str, type)
        ``("executor", Sampler)`` or ``("SamplerV2", SamplerV2)``.

    Examples
    --------
    >>> runtime_sampler_class()[0] in ("executor", "SamplerV2")
    True
    """
    runtime = require("qiskit_ibm_runtime", feature="an IBM Runtime sampler")
    try:
        from qiskit_ibm_runtime.executor_sampler import Sampler  # qiskit-ibm-runtime >= 0.50
    except ImportError:
        return "SamplerV2", runtime.SamplerV2
    return "executor", Sampler


def apply_sampler_options(sampler, options: ExecutionOptions, *, seed: int | None = None):
    """Set twirling, dynamical decoupling and the simulator seed on an IBM Runtime sampler.

    Both runtime samplers (the executor ``Sampler`` and ``SamplerV2``) have
    the same option paths. ``seed`` (local testing mode only) seeds the
    simulator.
    """
    opts = sampler.options
    if options.twirling:
        opts.twirling.enable_gates = True
        opts.twirling.enable_measure = True
    if options.dynamical_decoupling:
        opts.dynamical_decoupling.enable = True
        opts.dynamical_decoupling.sequence_type = options.dynamical_decoupling
    if seed is not None:
        opts.simulator.seed_simulator = int(seed)
    return sampler


def _runtime_sampler_factory(options: ExecutionOptions, local: bool) -> Callable[[Any, int], Any]:
    _, sampler_class = runtime_sampler_class()

    def make(mode, seed):
        return apply_sampler_options(sampler_class(mode=mode), options, seed=seed if local else None)

    return make


def runtime_service():
    """The user's :class:`qiskit_ibm_runtime.QiskitRuntimeService` (saved account or environment)."""
    QiskitRuntimeService = require("qiskit_ibm_runtime", feature="backend 'ibm:<name>'").QiskitRuntimeService
    try:
        return QiskitRuntimeService()
    except Exception as exc:
        if type(exc).__name__ in ("AccountNotFoundError", "InvalidAccountError") or "account" in str(exc).lower():
            token = os.environ.get("QISKIT_IBM_TOKEN")
            reason = f"{type(exc).__name__}: {exc}"
            if token:  # never echo a credential, whatever the runtime put in its message
                reason = reason.replace(token, "<QISKIT_IBM_TOKEN>")
            raise ValueError(f"{reason}\n\n{_ACCOUNT_HELP}") from None
        raise


def resolve_target(
    backend: Any,
    *,
    options: ExecutionOptions | None = None,
    retries: int = 5,
    backoff: float = 2.0,
    service: Any = None,
):
    """Turn a ``backend=`` value into a target (see :data:`BACKEND_NAMES`).

    Examples
    --------
    >>> resolve_target("statevector").name
    'statevector'
    >>> resolve_target("qpu")
    Traceback (most recent call last):
    ...
    ValueError: unknown backend 'qpu'; valid: 'statevector', 'aer', 'fake_<name>', ...
    """
    options = ExecutionOptions() if options is None else options
    common = dict(options=options, retries=retries, backoff=backoff)
    runtime = isinstance(backend, str) and backend.startswith(("fake_", "ibm:"))
    if not runtime:
        _only_on_runtime(options, backend)
    if options.readout_mitigation and isinstance(backend, str) and backend.startswith(("statevector",
                                                                                      "pennylane:")):
        raise ValueError(f"readout_mitigation applies to sampling backends with readout errors (aer with "
                         f"a noise model, fake_<name>, ibm:<name>, a sampler), not {backend!r}")
    if not isinstance(backend, str):
        if hasattr(backend, "run") and callable(backend.run):
            return _user_sampler_target(backend, common)
        raise TypeError(
            f"backend must be a name ({_valid()}) or a Qiskit V2 sampler, got {type(backend).__name__}"
        )
    if backend == "statevector":
        return StatevectorTarget()
    if backend == "aer":
        AerSimulator = require("qiskit_aer", feature="backend 'aer'").AerSimulator
        AerSampler = require("qiskit_aer.primitives", feature="backend 'aer'").SamplerV2

        return SamplerTarget(
            "aer",
            lambda _mode, seed: AerSampler(seed=seed),
            None,
            num_qubits=AerSimulator().num_qubits,
            **common,
        )
    if backend.startswith("fake_"):
        classes = _fake_backend_classes()
        if backend not in classes:
            raise ValueError(f"unknown fake backend {backend!r}; valid: {sorted(classes)}")
        return SamplerTarget(backend, _runtime_sampler_factory(options, True), classes[backend](), **common)
    if backend.startswith("ibm:"):
        name = backend[4:]
        if not name:
            raise ValueError("backend 'ibm:' needs a device name, e.g. 'ibm:ibm_brisbane' or 'ibm:least_busy'")
        service = runtime_service() if service is None else service
        target = SamplerTarget(
            backend,
            _runtime_sampler_factory(options, False),
            None,
            retrieve=service.job,
            seeded=False,
            **common,
        )
        if name == "least_busy":
            target.pick_device = functools.partial(_least_busy, service)
        else:
            target.set_device(service.backend(name))
        return target
    if backend.startswith("pennylane:"):
        name = backend[len("pennylane:") :]
        if not name:
            raise ValueError("backend 'pennylane:' needs a device name, e.g. 'pennylane:lightning.qubit'")
        if name.startswith("qiskit."):
            try:
                import pennylane_qiskit  # noqa: F401
            except ImportError as exc:
                raise MissingExtraError(
                    f"PennyLane device {name!r} needs pennylane-qiskit (pip install pennylane-qiskit), "
                    "which is not installed; use backend='aer' for Qiskit Aer directly"
                ) from exc
        return PennyLaneTarget(name)
    raise ValueError(f"unknown backend {backend!r}; valid: {_valid()}, or a Qiskit V2 sampler object")


def _only_on_runtime(options: ExecutionOptions, backend: Any) -> None:
    """Mode, twirling and DD are IBM Runtime settings; refuse them elsewhere."""
    label = backend if isinstance(backend, str) else f"a {type(backend).__name__} object"
    if options.mode != "job":
        if not isinstance(backend, str):
            raise ValueError(
                "mode applies to backends built by name; open the Batch/Session yourself and "
                "pass Sampler(mode=batch_or_session) as the backend"
            )
        raise ValueError(f"mode={options.mode!r} applies to IBM Runtime backends (ibm:..., fake_...), "
                         f"not {label}")
    for field in ("twirling", "dynamical_decoupling"):
        if getattr(options, field):
            where = ("set it on your sampler's options" if not isinstance(backend, str)
                     else "use an IBM Runtime backend (ibm:..., fake_...)")
            raise ValueError(f"{field} is an IBM Runtime option and has no effect on {label}; {where}")


def _least_busy(service, width: int):
    """The least busy operational device with at least ``width`` qubits (logged)."""
    device = service.least_busy(min_num_qubits=int(width), operational=True, simulator=False)
    if device.num_qubits < width:  # a service that ignored the filter
        raise ValueError(f"least_busy returned {device.name} with {device.num_qubits} qubits; "
                         f"the circuits need {width}")
    logger.warning("ibm:least_busy chose %s (%d qubits; circuits need %d)", device.name,
                   device.num_qubits, width)
    return device


def _user_sampler_target(sampler, common: dict) -> "SamplerTarget":
    """A target for a sampler the user built: device and job lookup from the sampler itself.

    The device comes from ``sampler.backend()`` (IBM Runtime samplers, in job,
    batch or session mode alike) or, failing that, from the ``_backend`` of
    ``sampler.mode``; jobs are looked up through ``sampler.job`` when it has
    one, else through the service of its mode or device.
    """
    device = sampler.backend() if callable(getattr(sampler, "backend", None)) else None
    mode = getattr(sampler, "mode", None)
    if device is None:
        device = getattr(mode, "_backend", None) or (mode if hasattr(mode, "target") else None)
    if device is not None and not hasattr(device, "target"):
        device = None
    lookup = getattr(sampler, "job", None)
    if not callable(lookup):
        service = getattr(mode, "service", None) or getattr(device, "service", None)
        lookup = getattr(service, "job", None)
        lookup = lookup if callable(lookup) and not getattr(service, "is_local", False) else None
    return SamplerTarget(type(sampler).__name__, lambda _mode, _seed: sampler, device,
                         retrieve=lookup, seeded=False, **common)


def _valid() -> str:
    return ", ".join(repr(n) for n in BACKEND_NAMES)

