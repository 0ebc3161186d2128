"""Proof campaigns: :func:`prove_many` over a list of inequalities, resumable, on any executor.

Each result is one JSON line of the resume file, written as soon as it is
known (so a killed run loses at most the proofs in flight). Certificates are
stored with their images packed into bits (``ContractionMap.to_dict(packed=True)``),
about a sixth of the size of the ``hec`` bit strings. :func:`check_campaign` re-checks every stored
certificate with :func:`~qinfo.entropy_cones.check_contraction`,
no solver involved.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import Executor, as_completed
from typing import Any, Iterable

from qinfo._parallel import show_progress
from qinfo._random import spawn_seeds
from qinfo._validate import check_seed

from .._inequalities import Inequality
from ._certificate import ContractionMap, as_inequality, check_contraction, json_number
from ._prove import prove

__all__ = ["prove_many", "load_campaign", "check_campaign"]

_COUNTED = ("proved", "no map", "refuted", "undecided")


def prove_many(inequalities: Iterable, model: str = "graph", max_edge_size: int | None = None, *,
               resume: str | os.PathLike | None = None, seed=None, executor: Executor | None = None,
               progress: bool | None = None, **prove_kwargs) -> list[dict[str, Any]]:
    """Prove many inequalities with :func:`~qinfo.entropy_cones.prove`, resumably, on any executor.

    Parameters
    ----------
    inequalities : iterable of Inequality, str or coefficient rows
        What to prove; repeated inequalities are proved once.
    model : {"graph", "hypergraph", "link"}
        As for :func:`~qinfo.entropy_cones.prove`.
    max_edge_size : int, optional
        As for :func:`~qinfo.entropy_cones.prove`.
    resume : path, optional
        A JSON-lines file. Results already in it (matched by the
        inequality's coefficient row and the model) are read back instead of
        recomputed; every new result is appended as soon as it is found.
    seed : None, int, SeedSequence or Generator
        Each inequality's proof gets its own child seed (by its position in
        ``inequalities``), so the records do not depend on the executor.
        ``None`` draws fresh entropy.
    executor : concurrent.futures.Executor, optional
        Runs the proofs (e.g. a ``ProcessPoolExecutor``, or a dask client's
        ``get_executor()``); ``None`` runs them here, one after another.
    progress : bool, optional
        A bar with the counts of proved / no map / refuted / undecided
        (``None``: only when stderr is a terminal).
    **prove_kwargs
        Passed to ``prove`` (``time_limit``, ``solver``, ``max_multiple``,
        ``counterexample_search``, ...). Each proof runs without a progress
        bar and without an executor of its own.

    Returns
    -------
    list of dict
        One record per inequality, in input order: ``row`` (coefficients),
        ``model``, ``max_edge_size``, ``status`` ("proved", "refuted" or
        "undecided"), ``no_map`` (True when the search was complete and found
        no contraction map), ``reason``, ``seconds`` and ``certificate``
        (packed, or None; ``ContractionMap.from_dict`` reads it).

    Examples
    --------
    >>> records = prove_many(["S_A + S_B >= S_AB", "S_AB + S_BC >= S_B + S_ABC"], progress=False)
    >>> [r["status"] for r in records]
    ['proved', 'proved']
    >>> ContractionMap.from_dict(records[1]["certificate"]).check()
    True
    """
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(f"executor must be a concurrent.futures.Executor (for dask use "
                        f"client.get_executor()), got {type(executor).__name__}")
    check_seed("seed", seed)
    rows = [as_inequality(x).coefficients.tolist() for x in inequalities]
    seeds = spawn_seeds(seed, len(rows))
    keys = [_key(r, model, max_edge_size) for r in rows]
    done = {}
    if resume is not None and os.path.exists(resume):
        _drop_partial_line(resume)
        done = {_key(r["row"], r["model"], r["max_edge_size"]): r for r in load_campaign(resume)}
    todo = sorted({k: i for i, k in reversed(list(enumerate(keys))) if k not in done}.values())
    from tqdm.auto import tqdm

    counts = dict.fromkeys(_COUNTED, 0)
    for k in set(keys) & set(done):
        counts[_kind(done[k])] += 1
    bar = tqdm(total=len(set(keys)), initial=len(set(keys)) - len(todo), desc="prove_many",
               disable=not show_progress(progress))
    bar.set_postfix(counts)
    out = open(resume, "a") if resume is not None else None
    try:
        def record(rec):
            done[_key(rec["row"], model, max_edge_size)] = rec
            if out is not None:
                out.write(json.dumps(rec) + "\n")
                out.flush()
                os.fsync(out.fileno())
            counts[_kind(rec)] += 1
            bar.update(1)
            bar.set_postfix(counts)

        args = [(rows[i], model, max_edge_size, dict(prove_kwargs, seed=seeds[i])) for i in todo]
        if executor is None:
            for a in args:
                record(_prove_one(a))
        else:
            for fut in as_completed([executor.submit(_prove_one, a) for a in args]):
                record(fut.result())
    finally:
        bar.close()
        if out is not None:
            out.close()
    return [done[k] for k in keys]


def _prove_one(args) -> dict[str, Any]:
    row, model, max_edge_size, kwargs = args
    r = prove(row, model=model, max_edge_size=max_edge_size, progress=False, **kwargs)
    return {"row": [json_number(c) for c in row], "model": model, "max_edge_size": max_edge_size,
            "status": r.status, "no_map": r.contraction_exists is False, "reason": r.reason,
            "seconds": round(r.seconds, 4), "multiple": r.stats.get("multiple"),
            "certificate": None if r.certificate is None else r.certificate.to_dict(packed=True)}


def load_campaign(path: str | os.PathLike) -> list[dict[str, Any]]:
    """The records of a resume file; a last line cut off by a killed run is skipped.

    Parameters
    ----------
    path : str or os.PathLike
        A resume file written by :func:`prove_many` (JSON lines).

    Returns
    -------
    list of dict
        The records, in the order they were written (see :func:`prove_many`).

    Raises
    ------
    ValueError
        If a line other than the last is not JSON.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "run.jsonl")
    >>> _ = prove_many(["S_A + S_B >= S_AB"], resume=path, progress=False)
    >>> [r["status"] for r in load_campaign(path)]
    ['proved']
    """
    records = []
    with open(path) as fh:
        lines = fh.read().split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            if i < len(lines) - 2:  # only the last line may be incomplete
                raise ValueError(f"{os.fspath(path)!r}: line {i + 1} is not JSON") from None
    return records


def check_campaign(path: str | os.PathLike) -> dict[str, int]:
    """Re-check every certificate stored in a resume file, without a solver.

    Each certificate must prove its record's inequality
    (:func:`~qinfo.entropy_cones.check_contraction`, for the
    record's model and edge size).

    Parameters
    ----------
    path : str or os.PathLike
        A resume file written by :func:`prove_many`.

    Returns
    -------
    dict
        ``{"certificates": n, "checked": n_ok, "failed": n_bad}``.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "run.jsonl")
    >>> _ = prove_many(["S_A + S_B >= S_AB"], resume=path, progress=False)
    >>> check_campaign(path)
    {'certificates': 1, 'checked': 1, 'failed': 0}
    """
    n = ok = 0
    for rec in load_campaign(path):
        if rec.get("certificate") is None:
            continue
        n += 1
        cert = ContractionMap.from_dict(rec["certificate"])
        try:
            good = check_contraction(cert, Inequality.from_coefficients(rec["row"]), model=rec["model"],
                                     max_edge_size=rec["max_edge_size"])
        except ValueError:  # a certificate for another inequality
            good = False
        ok += bool(good)
    return {"certificates": n, "checked": ok, "failed": n - ok}


def _drop_partial_line(path) -> None:
    """Cut a last line that a killed run left without its newline, so appends start clean."""
    with open(path, "rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)


def _key(row, model, max_edge_size) -> str:
    return json.dumps([[json_number(c) for c in row], model, max_edge_size])


def _kind(rec) -> str:
    if rec["status"] == "undecided" and rec.get("no_map"):
        return "no map"
    return rec["status"]
