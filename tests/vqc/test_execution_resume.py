"""Resume that never resubmits by mistake: a stand-in IBM service that fails in each way.

The stand-in hands out a qiskit-ibm-runtime fake device (local testing mode,
the real runtime Sampler runs) and keeps every job the sampler submits, so it
can be "retrieved" by id like QiskitRuntimeService.job; it can answer a
lookup with a 503 (qiskit-ibm-runtime's IBMRuntimeError, as the real
service.job raises it), with RuntimeJobNotFound, or hand back a job whose
result() raises RuntimeJobFailureError.
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
from qiskit_ibm_runtime.exceptions import IBMRuntimeError, RuntimeJobFailureError, RuntimeJobNotFound

from qinfo.vqc._backends import get_backend
from qinfo.vqc._execution.jobs import JobFailedError, ResumeFile, ServiceUnavailableError
from qinfo.vqc._execution.templates import circuit_shape, fidelity_test

from .test_backends import VALUES, _pair

PAIRS = [_pair(x, y) for x, y in [(0.1, 0.5), (1.0, 2.0), (2.5, 0.2), (0.3, 0.3)]]


class StandInService:
    """QiskitRuntimeService stand-in: one fake device, jobs kept by id, scripted failures."""

    def __init__(self, device=None, *, lookup_error=None, lookup_failures=10**9, devices=None):
        from qiskit_ibm_runtime.fake_provider import FakeManilaV2

        self.devices = devices or [device or FakeManilaV2()]
        self.jobs: dict = {}
        self.lookup_error = lookup_error
        self.lookup_failures = lookup_failures
        self.lookups = 0
        self.submitted = 0
        self.fail_next_result = False
        self.interrupt_next_result = False
        self.least_busy_kwargs: dict | None = None

    # -- the parts of QiskitRuntimeService qinfo uses
    def backend(self, name):
        return self.devices[0]

    def least_busy(self, min_num_qubits=None, **filters):
        self.least_busy_kwargs = dict(min_num_qubits=min_num_qubits, **filters)
        ok = [d for d in self.devices if d.num_qubits >= (min_num_qubits or 0)]
        return ok[0]  # devices are listed least busy first

    def job(self, job_id):
        self.lookups += 1
        if self.lookup_error is not None and self.lookups <= self.lookup_failures:
            if self.lookup_error == "503":
                # what QiskitRuntimeService.job raises for any non-404 RequestsApiError
                raise IBMRuntimeError("Failed to retrieve job: '503 Server Error: Service Unavailable'")
            raise RuntimeJobNotFound(f"Job not found: {job_id}")
        return self.jobs[job_id]

    # -- wiring: every job the target's sampler submits is kept here
    def attach(self, backend):
        inner = backend.target._make_sampler

        def make(mode, seed):
            sampler = inner(mode, seed)
            run = sampler.run

            def tracked_run(pubs, **kwargs):
                job = _Job(run(pubs, **kwargs), self)
                self.jobs[job.job_id()] = job
                self.submitted += 1
                return job

            sampler.run = tracked_run
            return sampler

        backend.target._make_sampler = make
        return backend


class _Job:
    def __init__(self, job, service):
        self._job, self._service = job, service

    def job_id(self):
        return self._job.job_id()

    def result(self):
        if self._service.interrupt_next_result:
            self._service.interrupt_next_result = False
            raise KeyboardInterrupt("simulated Ctrl-C")
        if self._service.fail_next_result:
            self._service.fail_next_result = False
            raise RuntimeJobFailureError("Unable to retrieve job result. Error code 1517; circuits too deep")
        return self._job.result()


def _backend(service, **kwargs):
    kwargs = {"shots": 300, "seed": 1, "seed_transpiler": 3, "job_size": 2, "retries": 2,
              "backoff": 0.0, "progress": False, **kwargs}
    return service.attach(get_backend("ibm:ibm_manila", service=service, **kwargs))


def _interrupted_run(service, resume):
    """Submit both jobs, then stop (Ctrl-C) while waiting for the first result."""
    service.interrupt_next_result = True
    with pytest.raises(KeyboardInterrupt):
        _backend(service).estimate(PAIRS, VALUES, resume=resume)
    entries = json.loads(resume.read_text())["jobs"]
    assert service.submitted == 2 and all("outcomes" not in e for e in entries.values())


def test_503_on_lookup_is_retried_then_stops_with_resume_file_intact(tmp_path, caplog):
    resume = tmp_path / "jobs.json"
    service = StandInService()
    _interrupted_run(service, resume)
    before = resume.read_bytes()

    service.lookup_error = "503"
    with caplog.at_level(logging.WARNING, logger="qinfo.vqc.backends"):
        with pytest.raises(ServiceUnavailableError, match=r"service unreachable after 2 retries.*intact"):
            _backend(service).estimate(PAIRS, VALUES, resume=resume)
    assert service.submitted == 2  # nothing resubmitted
    assert resume.read_bytes() == before
    assert service.lookups == 3 and caplog.text.count("retry") == 2


def test_transient_503_then_fetched_without_resubmitting(tmp_path):
    resume = tmp_path / "jobs.json"
    service = StandInService()
    _interrupted_run(service, resume)

    service.lookup_error, service.lookup_failures, service.lookups = "503", 1, 0
    bk = _backend(service)
    est = bk.estimate(PAIRS, VALUES, resume=resume)
    assert service.submitted == 2 and bk.last_log.submitted == 0
    assert bk.last_log.fetched == 2 and len(bk.last_log.retries) == 1
    assert np.all(np.isfinite(est.values))


def test_unknown_job_is_the_only_case_that_resubmits(tmp_path, caplog):
    resume = tmp_path / "jobs.json"
    service = StandInService()
    _interrupted_run(service, resume)
    old_ids = [e["job_id"] for e in json.loads(resume.read_text())["jobs"].values()]

    service.lookup_error = "unknown"
    bk = _backend(service)
    with caplog.at_level(logging.WARNING, logger="qinfo.vqc.backends"):
        bk.estimate(PAIRS, VALUES, resume=resume)
    assert bk.last_log.submitted == 2 and sorted(bk.last_log.resubmitted) == sorted(old_ids)
    assert "does not know job" in caplog.text
    entries = json.loads(resume.read_text())["jobs"].values()
    assert all("outcomes" in e for e in entries)


def test_failed_job_reported_once_recorded_and_resubmitted_on_the_next_run(tmp_path, caplog):
    resume = tmp_path / "jobs.json"
    service = StandInService()
    service.fail_next_result = True
    with pytest.raises(JobFailedError) as info:
        _backend(service).estimate(PAIRS, VALUES, resume=resume)
    (failed_id,) = [i for i, j in service.jobs.items()][:1]
    message = str(info.value)
    assert failed_id in message and "Error code 1517" in message and str(resume) in message
    entry = [e for e in json.loads(resume.read_text())["jobs"].values() if "failed" in e]
    assert len(entry) == 1 and entry[0]["job_id"] == failed_id
    assert "Error code 1517" in entry[0]["failed"]["error"] and "rerun" in entry[0]["failed"]["what_to_do"]

    bk = _backend(service)
    with caplog.at_level(logging.WARNING, logger="qinfo.vqc.backends"):
        est = bk.estimate(PAIRS, VALUES, resume=resume)  # no second JobFailedError
    assert bk.last_log.resubmitted == [failed_id] and bk.last_log.submitted == 1
    assert bk.last_log.fetched == 1 and np.all(np.isfinite(est.values))
    assert caplog.text.count(failed_id) == 1


def test_costs_reported_on_resume_are_those_of_the_circuits_that_ran(tmp_path):
    from qiskit.transpiler import generate_preset_pass_manager

    resume = tmp_path / "jobs.json"
    service = StandInService()
    first = _backend(service)
    first.estimate(PAIRS, VALUES, resume=resume)
    (ran,) = first.circuit_costs()
    (stored,) = json.loads(resume.read_text())["circuits"].values()
    assert (stored["depth"], stored["two_qubit_gates"], stored["sha256"]) == (ran.depth, ran.two_qubit_gates,
                                                                           ran.sha256)
    assert sorted(stored["layout"]) == sorted(set(stored["layout"])) and len(stored["layout"]) == 5

    again = _backend(service)
    # a transpiler that would now give a different circuit (as an unseeded or upgraded one may)
    again.target._pass_manager = generate_preset_pass_manager(0, backend=service.devices[0])
    again.estimate(PAIRS, VALUES, resume=resume)
    assert again.circuit_costs() == first.circuit_costs() and again.last_log.reused == 2
    fresh = _backend(service)
    fresh.target._pass_manager = again.target._pass_manager
    fresh.estimate(PAIRS, VALUES)
    assert fresh.circuit_costs()[0].depth != ran.depth  # the check above could fail


@pytest.mark.parametrize(
    "content,reason",
    [
        ("{not json", "invalid JSON"),
        ('{"version": 1, "jobs": {}}', "no qinfo format marker"),
        ('{"format": "qinfo jobs file", "version": 7, "jobs": {}, "circuits": {}}', "version 7"),
        ('{"format": "qinfo jobs file", "version": 2, "jobs": {"k": {}}, "circuits": {}}', "has no job_id"),
        ('{"format": "qinfo jobs file", "version": 2, "jobs": {"k": {"job_id": "j", "outcomes": [{}]}},'
         ' "circuits": {}}', "bad outcomes"),
    ],
)
def test_tampered_jobs_file_gives_one_line_error_naming_it(tmp_path, content, reason):
    path = tmp_path / "jobs.json"
    path.write_text(content)
    with pytest.raises(ValueError) as info:
        ResumeFile(path)
    message = str(info.value)
    assert message.startswith(f"{path}: not a qinfo jobs file (") and reason in message
    assert message.endswith("delete it to start over") and "\n" not in message


def test_stored_circuit_with_wrong_hash_is_refused(tmp_path):
    resume = tmp_path / "jobs.json"
    service = StandInService()
    _backend(service).estimate(PAIRS, VALUES, resume=resume)
    data = json.loads(resume.read_text())
    (record,) = data["circuits"].values()
    record["sha256"] = "0" * 64
    resume.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"not a qinfo jobs file \(a stored circuit does not match"):
        _backend(service).estimate(PAIRS, VALUES, resume=resume)


def test_least_busy_asks_for_wide_enough_operational_device_and_says_which(caplog):
    from qiskit_ibm_runtime.fake_provider import FakeBrisbane, FakeManilaV2

    service = StandInService(devices=[FakeManilaV2(), FakeBrisbane()])
    with caplog.at_level(logging.WARNING, logger="qinfo.vqc.backends"):
        bk = get_backend("ibm:least_busy", service=service, method="swap", shots=100, progress=False)
        assert bk.target.backend is None  # chosen once the circuit width is known
        s, r = PAIRS[0]
        test = fidelity_test(circuit_shape(s), s, circuit_shape(r), "swap")
        bk.target.compile(test)
    width = test.circuit.num_qubits
    assert width == 6  # wider than the 5-qubit Manila, which is listed first (least busy)
    assert service.least_busy_kwargs == {"min_num_qubits": width, "operational": True, "simulator": False}
    assert bk.name == "ibm:fake_brisbane" and "chose fake_brisbane" in caplog.text


def test_token_in_environment_never_written_to_logs_or_files(tmp_path, monkeypatch, caplog):
    token = "qinfo-test-token-8f3a91c2"
    monkeypatch.setenv("QISKIT_IBM_TOKEN", token)
    monkeypatch.setenv("QISKIT_IBM_INSTANCE", "crn:v1:qinfo-test-instance")
    resume = tmp_path / "jobs.json"
    service = StandInService()
    service.fail_next_result = True
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(JobFailedError):
            _backend(service).estimate(PAIRS, VALUES, resume=resume)
        _backend(service).estimate(PAIRS, VALUES, resume=resume)
    written = "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    assert written and token not in written and token not in caplog.text
