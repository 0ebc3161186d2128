"""Submitting sampler jobs: a resume file, retries with backoff, a progress bar.

Jobs are described by :class:`JobSpec` (a content hash and the PUBs). When
the target can look jobs up by id (IBM Quantum), all jobs are submitted first
(so the device queue works on them while we wait); otherwise (simulators,
fake backends in local testing mode) they run one at a time, so a kill loses
at most the job in flight. Each job id is written to the resume file the
moment it is known, and each result as soon as it arrives. Rerunning with the same resume file
reuses stored results, fetches jobs that were submitted but not yet collected
(when the target can look jobs up by id), and only submits what is missing.

A saved job that cannot be fetched is handled by why:

- the service says it does not know the job (``RuntimeJobNotFound``, HTTP
  404, ``KeyError``): it is submitted again, with a warning;
- the service cannot be reached (HTTP 5xx, connection errors, any other
  error while looking it up): retried with backoff, then
  :class:`ServiceUnavailableError` with the resume file intact -- nothing is
  resubmitted;
- the job failed or was cancelled: :class:`JobFailedError` names the job
  and its error once, and the resume file records the failure; the next run
  submits that job again.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from tqdm.auto import tqdm

from qinfo._io import atomic_write
from qinfo._parallel import show_progress
from qinfo.vqc._execution.fidelity import Outcomes

__all__ = [
    "FORMAT",
    "VERSION",
    "JobSpec",
    "JobLog",
    "JobFailedError",
    "ResumeFile",
    "ServiceUnavailableError",
    "call_with_retries",
    "run_jobs",
]

logger = logging.getLogger("qinfo.vqc.backends")

#: Marker and format version of qinfo jobs (resume) files.
FORMAT = "qinfo jobs file"
VERSION = 2

_RERUN = "rerun the same command to submit this job again; if it fails the same way, see the error"


class ServiceUnavailableError(ConnectionError):
    """The service could not be reached after all retries; the resume file is intact.

    Rerun the same command (or :func:`~qinfo.vqc.evaluate` with the same
    ``resume=`` file) later: nothing that was submitted is submitted again.

    Examples
    --------
    >>> issubclass(ServiceUnavailableError, ConnectionError)
    True
    """


class JobFailedError(RuntimeError):
    """A job failed or was cancelled on the service (recorded in the resume file).

    The message names the job and its error; rerunning with the same resume
    file submits that job again.

    Examples
    --------
    >>> str(JobFailedError("job d1 failed: cancelled"))
    'job d1 failed: cancelled'
    """


@dataclass
class JobSpec:
    """One job: a content key (same inputs, same key) and its PUBs."""

    key: str
    pubs: list[tuple[Any, Any]]


@dataclass
class JobLog:
    """What happened while running jobs (returned in reports)."""

    job_ids: list[str] = field(default_factory=list)
    submitted: int = 0
    reused: int = 0
    fetched: int = 0
    retries: list[str] = field(default_factory=list)
    resubmitted: list[str] = field(default_factory=list)


def _bad_file(path: Path, reason: str) -> ValueError:
    return ValueError(f"{path}: not a qinfo jobs file ({reason}); delete it to start over")


class ResumeFile:
    """JSON file of job ids, collected outcomes, failures and the transpiled circuits.

    The file starts with ``{"format": "qinfo jobs file", "version": 2}``; a
    file that is not valid JSON, lacks the marker, has another version or
    malformed entries raises a one-line ``ValueError`` naming the file. Every
    write goes to a temporary file that then replaces the old one, so a
    ``kill -9`` leaves either the old or the new file, never half of one.

    Parameters
    ----------
    path : path
        The file; created on the first write.
    settings : dict, optional
        Everything that determines the results (backend, shots, seed,
        options, ...). Stored on the first write; a file holding other
        settings is refused with the differences named.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "jobs.json"
    >>> rf = ResumeFile(path)
    >>> rf.record_submitted("k", "job-1")
    >>> ResumeFile(path).entry("k")["job_id"]
    'job-1'
    """

    def __init__(self, path: str | os.PathLike, settings: Mapping[str, Any] | None = None):
        self.path = Path(path)
        self._data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "settings": None,
                                      "jobs": {}, "circuits": {}}
        if self.path.exists():
            self._data = self._read()
        if settings is not None:
            settings = json.loads(json.dumps(dict(settings)))
            stored = self._data.get("settings")
            if stored is not None and stored != settings:
                diff = sorted(k for k in set(stored) | set(settings) if stored.get(k) != settings.get(k))
                raise ValueError(
                    f"{self.path} holds jobs of other settings (differ in {diff}); "
                    "use another resume file or delete it to start over"
                )
            self._data["settings"] = settings

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _bad_file(self.path, f"invalid JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise _bad_file(self.path, "no qinfo format marker")
        if data.get("version") != VERSION:
            raise _bad_file(self.path, f"version {data.get('version')!r}, this qinfo reads {VERSION}")
        jobs, circuits = data.get("jobs"), data.get("circuits")
        if not isinstance(jobs, dict) or not isinstance(circuits, dict):
            raise _bad_file(self.path, "'jobs' and 'circuits' must be objects")
        for key, entry in jobs.items():
            if not isinstance(entry, dict) or not isinstance(entry.get("job_id"), str):
                raise _bad_file(self.path, f"job {key[:12]} has no job_id")
            if "outcomes" in entry:
                try:
                    entry["outcomes"] = [Outcomes.from_json(o) for o in entry["outcomes"]]
                except (KeyError, TypeError, ValueError) as exc:
                    raise _bad_file(self.path, f"job {entry['job_id']}: bad outcomes ({exc})") from exc
        return data

    @property
    def settings(self) -> dict | None:
        """The settings the file was written with (``None`` for a new file)."""
        return self._data.get("settings")

    def entry(self, key: str) -> dict | None:
        """The stored record for ``key`` (``job_id``, maybe ``outcomes`` or ``failed``), or None."""
        return self._data["jobs"].get(key)

    def record_submitted(self, key: str, job_id: str) -> None:
        """Store a job id as soon as the job is submitted."""
        self._data["jobs"][key] = {"job_id": job_id}
        self._write()

    def record_result(self, key: str, job_id: str, outcomes: Sequence[Outcomes]) -> None:
        """Store a job's outcomes once collected."""
        self._data["jobs"][key] = {"job_id": job_id, "outcomes": list(outcomes)}
        self._write()

    def record_failure(self, key: str, job_id: str, error: str) -> None:
        """Store that a job failed, with its error and what to do."""
        self._data["jobs"][key] = {"job_id": job_id, "failed": {"error": error, "what_to_do": _RERUN}}
        self._write()

    def circuit(self, key: str) -> dict | None:
        """The stored transpiled circuit ``key`` (``qpy``, ``sha256``, ``layout``, sizes), or None."""
        return self._data["circuits"].get(key)

    def record_circuit(self, key: str, record: Mapping[str, Any]) -> None:
        """Store a transpiled circuit (QPY, hash, layout, sizes) before its jobs are submitted."""
        self._data["circuits"][key] = dict(record)
        self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = dict(self._data)
        data["jobs"] = {
            k: ({**e, "outcomes": [o.to_json() for o in e["outcomes"]]} if "outcomes" in e else e)
            for k, e in self._data["jobs"].items()
        }
        atomic_write(self.path, json.dumps(data))


def encode_bytes(data: bytes) -> str:
    """Base64 text for bytes stored in a JSON file."""
    return base64.b64encode(data).decode("ascii")


def decode_bytes(text: str) -> bytes:
    """Inverse of :func:`encode_bytes`."""
    return base64.b64decode(text.encode("ascii"))


def call_with_retries(
    fn: Callable[[], Any],
    *,
    what: str,
    retries: int,
    backoff: float,
    retry_on: tuple[type[BaseException], ...],
    log: JobLog,
) -> Any:
    """Call ``fn``; on a transient error wait ``backoff * 2**k`` seconds and try again.

    Each retry is logged (logger ``qinfo.vqc.backends``, level WARNING) and
    recorded in ``log.retries``. After ``retries`` failed retries the last
    error is raised.

    Examples
    --------
    >>> calls = []
    >>> def flaky():
    ...     calls.append(1)
    ...     if len(calls) < 2:
    ...         raise ConnectionError("network down")
    ...     return "ok"
    >>> log = JobLog()
    >>> call_with_retries(flaky, what="submit", retries=3, backoff=0.0,
    ...                   retry_on=(ConnectionError,), log=log)
    'ok'
    >>> len(log.retries)
    1
    """
    for attempt in range(retries + 1):
        try:
            return fn()
        except retry_on as exc:
            if attempt == retries:
                raise
            delay = backoff * 2**attempt
            msg = (
                f"{what} failed with {type(exc).__name__}: {exc}; "
                f"retry {attempt + 1}/{retries} in {delay:.1f} s"
            )
            logger.warning(msg)
            log.retries.append(msg)
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def job_lookup_error(exc: BaseException) -> str:
    """Why a saved job could not be fetched: ``"unknown"`` or ``"unreachable"``.

    Only a definite "no such job" from the service counts as unknown (then the
    job is resubmitted); anything else -- HTTP 5xx, a network error,
    qiskit-ibm-runtime's ``IBMRuntimeError("Failed to retrieve job ...")``
    that wraps them -- counts as the service being unreachable, so no QPU time
    is spent on a job that may still exist.

    Examples
    --------
    >>> job_lookup_error(KeyError("job-1")), job_lookup_error(ConnectionError("down"))
    ('unknown', 'unreachable')
    """
    if isinstance(exc, (KeyError, LookupError)) or type(exc).__name__ == "RuntimeJobNotFound":
        return "unknown"
    if getattr(exc, "status_code", None) == 404:
        return "unknown"
    return "unreachable"


def _job_failure(exc: BaseException) -> bool:
    """True for errors that mean the job itself failed or was cancelled."""
    names = {t.__name__ for t in type(exc).__mro__}
    return bool(names & {"JobError", "RuntimeJobFailureError", "RuntimeInvalidStateError",
                         "RuntimeJobMaxTimeoutError", "JobFailedError"})


def run_jobs(
    specs: Sequence[JobSpec],
    *,
    submit: Callable[[JobSpec], Any],
    collect: Callable[[Any, JobSpec], list[Outcomes]],
    retrieve: Callable[[str], Any] | None = None,
    resume: str | os.PathLike | ResumeFile | None = None,
    retries: int = 5,
    backoff: float = 2.0,
    retry_on: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError),
    progress: bool | None = None,
    desc: str = "jobs",
) -> tuple[list[list[Outcomes]], JobLog]:
    """Run every job (or reuse it from ``resume``) and return their outcomes in order.

    Parameters
    ----------
    specs : sequence of JobSpec
    submit : callable
        ``submit(spec) -> job`` (a primitive job with ``job_id()`` and ``result()``).
    collect : callable
        ``collect(job, spec) -> list[Outcomes]``, one per parameter row of the job.
    retrieve : callable, optional
        ``retrieve(job_id) -> job`` for jobs submitted by an earlier, interrupted
        run; without it such jobs are resubmitted (with a warning), and jobs
        run one at a time (each collected before the next is submitted).
    resume : path or ResumeFile, optional
        Resume file; created if missing.
    retries, backoff, retry_on
        Transient errors (``retry_on``) are retried ``retries`` times with
        exponential backoff starting at ``backoff`` seconds.

    Raises
    ------
    ServiceUnavailableError
        The service stayed unreachable through every retry (resume file intact).
    JobFailedError
        A job failed or was cancelled (recorded in the resume file).
    """
    log = JobLog()
    store = resume if isinstance(resume, ResumeFile) or resume is None else ResumeFile(resume)
    results: list[list[Outcomes] | None] = [None] * len(specs)
    jobs: dict[int, Any] = {}
    ids: dict[int, str] = {}

    def guarded(fn, what, on=retry_on):
        try:
            return call_with_retries(fn, what=what, retries=retries, backoff=backoff, retry_on=on, log=log)
        except on as exc:
            where = f"; the resume file {store.path} is intact, rerun later" if store is not None else ""
            raise ServiceUnavailableError(
                f"{what}: service unreachable after {retries} retries "
                f"({type(exc).__name__}: {exc}){where}"
            ) from exc

    def lookup(job_id):
        try:
            return retrieve(job_id)
        except Exception as exc:
            if job_lookup_error(exc) == "unknown":
                raise _UnknownJob(str(exc)) from exc
            raise _Unreachable(f"{type(exc).__name__}: {exc}") from exc

    def finish(i: int, spec: JobSpec) -> None:
        job = jobs[i]
        try:
            results[i] = guarded(lambda: collect(job, spec), f"collecting job {ids[i]}")
        except ServiceUnavailableError:
            raise
        except Exception as exc:
            if not _job_failure(exc):
                raise
            error = " ".join(f"{type(exc).__name__}: {exc}".split())
            if store is not None:
                store.record_failure(spec.key, ids[i], error)
            where = f" (recorded in {store.path})" if store is not None else ""
            raise JobFailedError(f"job {ids[i]} failed: {error}{where}; {_RERUN}") from exc
        if store is not None:
            store.record_result(spec.key, ids[i], results[i])
        bar.update(1)

    # Jobs the service can look up again are all submitted first, so the device queue
    # works on them while we wait. Jobs that cannot be looked up (local simulators,
    # fake backends) run one at a time: a kill then loses at most the one in flight.
    ahead = retrieve is not None
    bar = tqdm(total=len(specs), desc=desc, disable=not show_progress(progress), leave=False)
    try:
        for i, spec in enumerate(specs):
            entry = store.entry(spec.key) if store is not None else None
            if entry and "outcomes" in entry:
                results[i] = list(entry["outcomes"])
                ids[i] = entry["job_id"]
                log.reused += 1
                bar.update(1)
                continue
            if entry and "failed" in entry:
                logger.warning("job %s failed earlier (%s); submitting it again", entry["job_id"],
                               entry["failed"].get("error"))
                log.resubmitted.append(entry["job_id"])
            elif entry and retrieve is not None:
                try:
                    jobs[i] = guarded(lambda: lookup(entry["job_id"]), f"retrieving job {entry['job_id']}",
                                      on=(_Unreachable,))
                    ids[i] = entry["job_id"]
                    log.fetched += 1
                    continue
                except _UnknownJob as exc:
                    logger.warning("the service does not know job %s (%s); resubmitting",
                                   entry["job_id"], exc)
                    log.resubmitted.append(entry["job_id"])
            elif entry:
                logger.warning(
                    "job %s from the resume file cannot be looked up on this target; resubmitting",
                    entry["job_id"],
                )
                log.resubmitted.append(entry["job_id"])
            job = guarded(lambda: submit(spec), f"submitting job {i + 1}/{len(specs)}")
            jobs[i] = job
            ids[i] = str(job.job_id())
            log.submitted += 1
            if store is not None:
                store.record_submitted(spec.key, ids[i])
            if not ahead:
                finish(i, spec)
        for i, spec in enumerate(specs):
            if results[i] is None:
                finish(i, spec)
    finally:
        bar.close()
    log.job_ids = [ids[i] for i in range(len(specs))]
    return results, log  # type: ignore[return-value]


class _UnknownJob(Exception):
    """The service answered that it does not know a saved job."""


class _Unreachable(Exception):
    """Looking up a saved job failed for any other reason (retried, never resubmitted)."""
