"""Submitting sampler jobs: a resume file, retries with backoff, a progress bar.

Jobs are described by :class:`JobSpec` (a content hash and the PUBs). All jobs
are submitted first (so a queue on the device works on them while we wait),
each job id is written to the resume file the moment it is known, and each
result is written as soon as it arrives. Rerunning with the same resume file
reuses stored results, fetches jobs that were submitted but not yet collected
(when the target can look jobs up by id), and only submits what is missing.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from tqdm.auto import tqdm

from qinfo.vqc.execution.estimators import Outcomes

__all__ = ["JobSpec", "JobLog", "ResumeFile", "call_with_retries", "run_jobs"]

logger = logging.getLogger("qinfo.vqc.backends")


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


class ResumeFile:
    """JSON file mapping job keys to job ids and, once collected, their outcomes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "jobs.json"
    >>> rf = ResumeFile(path)
    >>> rf.record_submitted("k", "job-1")
    >>> ResumeFile(path).entry("k")["job_id"]
    'job-1'
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._data: dict[str, Any] = {"version": 1, "jobs": {}}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text())
            except json.JSONDecodeError as exc:
                raise ValueError(f"resume file {self.path} is not valid JSON: {exc}") from exc
            if not isinstance(data, dict) or data.get("version") != 1 or "jobs" not in data:
                raise ValueError(f"resume file {self.path} was not written by qinfo (version 1)")
            self._data = data

    def entry(self, key: str) -> dict | None:
        """The stored record for ``key`` (``job_id`` and maybe ``outcomes``), or None."""
        return self._data["jobs"].get(key)

    def record_submitted(self, key: str, job_id: str) -> None:
        """Store a job id as soon as the job is submitted."""
        self._data["jobs"][key] = {"job_id": job_id}
        self._write()

    def record_result(self, key: str, job_id: str, outcomes: Sequence[Outcomes]) -> None:
        """Store a job's outcomes once collected."""
        self._data["jobs"][key] = {"job_id": job_id, "outcomes": [o.to_json() for o in outcomes]}
        self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps(self._data))
        os.replace(tmp, self.path)


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


def run_jobs(
    specs: Sequence[JobSpec],
    *,
    submit: Callable[[JobSpec], Any],
    collect: Callable[[Any, JobSpec], list[Outcomes]],
    retrieve: Callable[[str], Any] | None = None,
    resume: str | os.PathLike | None = None,
    retries: int = 5,
    backoff: float = 2.0,
    retry_on: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError),
    progress: bool = True,
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
        run; without it such jobs are resubmitted (with a warning).
    resume : path, optional
        Resume file; created if missing.
    retries, backoff, retry_on
        Transient errors (``retry_on``) are retried ``retries`` times with
        exponential backoff starting at ``backoff`` seconds.
    """
    log = JobLog()
    store = ResumeFile(resume) if resume is not None else None
    results: list[list[Outcomes] | None] = [None] * len(specs)
    jobs: dict[int, Any] = {}
    ids: dict[int, str] = {}

    def guarded(fn, what):
        return call_with_retries(fn, what=what, retries=retries, backoff=backoff, retry_on=retry_on, log=log)

    for i, spec in enumerate(specs):
        entry = store.entry(spec.key) if store is not None else None
        if entry and "outcomes" in entry:
            results[i] = [Outcomes.from_json(o) for o in entry["outcomes"]]
            ids[i] = entry["job_id"]
            log.reused += 1
            continue
        if entry and retrieve is not None:
            try:
                jobs[i] = guarded(lambda: retrieve(entry["job_id"]), f"retrieving job {entry['job_id']}")
                ids[i] = entry["job_id"]
                log.fetched += 1
                continue
            except retry_on:
                raise
            except Exception as exc:  # the service no longer knows the job
                logger.warning("could not retrieve job %s (%s); resubmitting", entry["job_id"], exc)
        elif entry:
            logger.warning(
                "job %s from the resume file cannot be looked up on this target; resubmitting",
                entry["job_id"],
            )
        job = guarded(lambda: submit(spec), f"submitting job {i + 1}/{len(specs)}")
        jobs[i] = job
        ids[i] = str(job.job_id())
        log.submitted += 1
        if store is not None:
            store.record_submitted(spec.key, ids[i])

    bar = tqdm(total=len(specs), desc=desc, disable=not progress, leave=False)
    try:
        bar.update(sum(r is not None for r in results))
        for i, spec in enumerate(specs):
            if results[i] is None:
                job = jobs[i]
                results[i] = guarded(lambda: collect(job, spec), f"collecting job {ids[i]}")
                if store is not None:
                    store.record_result(spec.key, ids[i], results[i])
                bar.update(1)
    finally:
        bar.close()
    log.job_ids = [ids[i] for i in range(len(specs))]
    return results, log  # type: ignore[return-value]
