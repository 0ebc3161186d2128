"""Running the parts of the targets (:data:`TARGETS`), serially or on an executor, and writing the report."""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import platform
import sys
import time
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, Callable

import numpy as np

from qinfo._io import atomic_write
from qinfo._random import SeedLike, as_seed_sequence
from qinfo._validate import check_seed
from qinfo.reproduce._records import MARKS, Claim, Context, Section, Table, format_cell

__all__ = ["TARGETS", "run_reproductions", "root_seed", "tally"]

#: The parts behind each target, in the order they run: names of modules with a
#: function ``run(ctx: Context) -> Section``.
TARGETS: dict[str, list[str]] = {
    "entropy": [
        "qinfo.reproduce._hypergraph",
        "qinfo.reproduce._stabilizer_cone",
        "qinfo.reproduce._proofs",
        "qinfo.reproduce._links",
    ],
    "rtn": ["qinfo.reproduce._rtn"],
    "vqc": ["qinfo.reproduce._vqc"],
}


def root_seed(seed: SeedLike) -> int:
    """The run's root seed as a non-negative int: an int itself, else one drawn from ``seed``.

    ``None`` draws it from fresh OS entropy; a SeedSequence or a Generator gives one
    reproducibly (the Generator's stream advances). The result is below 2**31.

    Examples
    --------
    >>> root_seed(7)
    7
    >>> root_seed(None) < 2**31
    True
    """
    check_seed("seed", seed)
    if isinstance(seed, (int, np.integer)):
        return int(seed)
    return int(as_seed_sequence(seed).generate_state(1)[0] >> 1)


def tally(sections: list[Section]) -> dict[str, list[str]]:
    """The names of the claims that agree (``"ok"``), differ (``"DIFFERS"``) and are not decided (``"-"``).

    Examples
    --------
    >>> sec = Section("s")
    >>> _ = sec.add_claim("a", 1, 1, True), sec.add_claim("b", 1, 2, False)
    >>> {k: len(v) for k, v in tally([sec]).items()}
    {'ok': 1, 'DIFFERS': 1, '-': 0}
    """
    out: dict[str, list[str]] = {mark: [] for mark in MARKS.values()}
    for s in sections:
        for c in s.claims:
            out[MARKS[c.agrees]].append(c.name)
    return out


def _parts(targets: list[str]) -> list[tuple[str, str]]:
    """(target, module name) of every part to run, in order; parts whose module is absent are left out."""
    parts = []
    for target in targets:
        for modname in TARGETS[target]:
            try:
                importlib.import_module(modname)
            except ModuleNotFoundError as exc:
                if exc.name != modname:
                    raise
                continue
            parts.append((target, modname))
    return parts


def _run_part(modname: str, ctx: Context, resume: bool = False) -> Section:
    """Run one part and time it (or, with ``resume``, reuse its saved record); module
    level, so that process pools can pickle it. The record is saved either way."""
    record = ctx.out / f"{modname.rsplit('.', 1)[-1].lstrip('_')}.section.json"
    key = _part_key(modname, ctx)
    if resume and record.is_file():
        saved = json.loads(record.read_text())
        if saved.get("key") == key:
            section = _section_from_dict(saved["section"], ctx.out)
            if all(f.is_file() for f in section.figures):
                section.notes.append(f"(reused from {record.name}: same code, settings and seed)")
                return section
    module = importlib.import_module(modname)
    t0 = time.perf_counter()
    section = module.run(ctx)
    section.seconds = time.perf_counter() - t0
    atomic_write(record, json.dumps({"key": key, "section": _section_to_dict(section, ctx.out)}) + "\n")
    return section


@functools.cache
def _source_digest() -> str:
    """A digest of every qinfo source file: a saved part is reused only with the same code."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _part_key(modname: str, ctx: Context) -> dict:
    return {"part": modname, "quick": ctx.quick, "seed": ctx.seed, "embeddings": ctx.embeddings,
            "code": _source_digest()}


def _plain(x: Any) -> Any:
    """A JSON value that prints (``format_cell``) as ``x`` does."""
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x if isinstance(x, (str, int, float, bool)) or x is None else str(x)


def _section_to_dict(section: Section, out: Path) -> dict:
    return {"title": section.title, "seconds": section.seconds, "notes": list(section.notes),
            "tables": [{"title": t.title, "headers": list(t.headers), "rows": _plain(t.rows)}
                       for t in section.tables],
            "claims": [{"name": c.name, "measured": _plain(c.measured), "published": _plain(c.published),
                        "agrees": None if c.agrees is None else bool(c.agrees), "note": c.note}
                       for c in section.claims],
            "figures": [_relative(Path(f), out) for f in section.figures]}


def _relative(path: Path, out: Path) -> str:
    try:
        return path.resolve().relative_to(out.resolve()).as_posix()
    except ValueError:  # a figure outside the part's folder: kept absolute
        return str(path.resolve())


def _section_from_dict(d: dict, out: Path) -> Section:
    return Section(d["title"], [Table(t["title"], t["headers"], t["rows"]) for t in d["tables"]],
                   [out / f for f in d["figures"]], [Claim(**c) for c in d["claims"]],
                   list(d["notes"]), d["seconds"])


def _echo_section(section: Section, echo: Callable[[str], Any]) -> None:
    echo(f"\n=== {section.title} ({section.seconds:.1f} s)")
    for table in section.tables:
        echo(table.to_text())
        echo("")
    for claim in section.claims:
        echo(f"[{MARKS[claim.agrees]}] {claim.name}: measured {format_cell(claim.measured)}; "
             f"published {format_cell(claim.published)}" + (f" ({claim.note})" if claim.note else ""))
    for fig in section.figures:
        echo(f"figure: {fig}")


def _summary(sections: list[Section]) -> str:
    counts = tally(sections)
    return (f"claims: {len(counts['ok'])} ok, {len(counts['DIFFERS'])} DIFFERS, "
            f"{len(counts['-'])} not decided or nothing published")


def run_reproductions(targets: str | list[str], *, out: str | Path, quick: bool = True,
                      seed: SeedLike = None, progress: bool | None = None,
                      executor: Executor | None = None, echo: Callable[[str], Any] = print,
                      embeddings: str | None = None, resume: bool = False) -> list[Section]:
    """Run the parts of ``targets``, print their tables and claims, write ``report.md`` and ``claims.json``.

    Parameters
    ----------
    targets : str or list of str
        Names from :data:`TARGETS` (``"entropy"``, ``"rtn"``, ``"vqc"``), or ``"all"``.
    out : str or Path
        Output folder: ``report.md``, ``claims.json``, and each target's figures and
        files in ``OUT/<target>/``.
    quick : bool
        The short versions used by ``make demo``.
    seed : None, int, SeedSequence or Generator
        Root seed; each part derives all its randomness from it, so a run is
        reproducible from the seed alone. ``None`` draws a fresh root seed from OS
        entropy (as everywhere in qinfo); the root seed used, an int, is printed and
        written to the report, so passing it back repeats the run exactly.
        ``qinfo reproduce`` passes ``--seed``, 0 by default.
    progress : bool, optional
        Progress bars inside the parts; ``None`` (the default) shows them only when
        stderr is a terminal.
    executor : concurrent.futures.Executor, optional
        Runs the parts (each independent of the others) on this executor, e.g. a
        ``ProcessPoolExecutor``; ``None`` runs them here, one after another. The
        results do not depend on it, and sections are printed and returned in the
        same order either way.
    echo : callable
        Receives every printed line (default :func:`print`).
    embeddings : str, optional
        ``vqc``: an embeddings file of real images for the CLIP rows (default:
        synthetic CLIP-like vectors).
    resume : bool
        Every finished part saves its record in ``OUT/<target>/<part>.section.json``.
        With ``resume=True`` a part whose record was made by the same qinfo source
        files (a digest of all of them), ``quick``, root seed and embeddings, and whose
        figures are still there, is reused instead of run again (its report section
        says so), so an interrupted run goes on from the parts it had finished.

    Returns
    -------
    list of Section
        One per part that ran, in the order of ``targets`` and :data:`TARGETS`. A
        part's exception propagates (after the parts running beside it finish).

    Raises
    ------
    ValueError
        An unknown target.

    Examples
    --------
    A part is a module with ``run(ctx) -> Section``; a target lists part modules:

    >>> import sys, tempfile, types
    >>> part = types.ModuleType("hello_part")
    >>> def run(ctx):
    ...     section = Section("Hello")
    ...     section.add_claim("1 + 1", 1 + 1, 2, agrees=True)
    ...     return section
    >>> part.run = run
    >>> sys.modules["hello_part"] = part
    >>> TARGETS["hello"] = ["hello_part"]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sections = run_reproductions(["hello"], out=d, seed=0, echo=lambda line: None)
    >>> [(c.name, c.measured, c.agrees) for c in sections[0].claims]
    [('1 + 1', 2, True)]
    >>> del TARGETS["hello"], sys.modules["hello_part"]
    """
    if isinstance(targets, str):
        targets = [targets]
    targets = list(targets)
    if "all" in targets:
        targets = list(TARGETS)
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        raise ValueError(f"unknown reproduction target(s) {unknown}; choose from {list(TARGETS)} or 'all'")
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(f"executor must be a concurrent.futures.Executor, got {type(executor).__name__}")
    root = root_seed(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = []
    for target, modname in _parts(targets):
        ctx = Context(out=out / target, quick=quick, seed=root, progress=progress, embeddings=embeddings)
        ctx.out.mkdir(parents=True, exist_ok=True)
        jobs.append((modname, ctx))
    t_all = time.perf_counter()
    sections: list[Section] = []
    if executor is None:
        for modname, ctx in jobs:
            sections.append(_run_part(modname, ctx, resume))
            _echo_section(sections[-1], echo)
    else:
        futures = [executor.submit(_run_part, modname, ctx, resume) for modname, ctx in jobs]
        try:
            for fut in futures:  # in order: each section is printed as soon as those before it are
                sections.append(fut.result())
                _echo_section(sections[-1], echo)
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
    total = time.perf_counter() - t_all
    _write_report(sections, out=out, quick=quick, seed=root, seconds=total, targets=targets)
    echo(f"\n{_summary(sections)}")
    echo(f"report: {out / 'report.md'} ({total:.1f} s, seed {root})")
    return sections


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ["qinfo", "numpy", "scipy", "numba", "networkx", "cvxpy", "qiskit",
                 "qiskit-aer", "qiskit-ibm-runtime", "pennylane", "spherogram", "python-sat"]:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _write_report(sections, *, out, quick, seed, seconds, targets):
    lines = ["# qinfo reproduction report", "",
             f"- targets: {', '.join(targets)}", f"- quick: {quick}", f"- seed: {seed}",
             f"- time: {seconds:.1f} s", f"- machine: {platform.machine()}, {platform.system()}, "
             f"Python {sys.version.split()[0]}", "", "## Versions", ""]
    lines += [f"- {k}: {v}" for k, v in _versions().items()]
    lines += ["", "## Claims", "", _summary(sections), "",
              "| claim | measured | published | agrees | note |", "|---|---|---|---|---|"]
    for s in sections:
        for c in s.claims:
            lines.append(f"| {c.name} | {format_cell(c.measured)} | {format_cell(c.published)} | "
                         f"{ {True: 'yes', False: 'no', None: '-'}[c.agrees] } | {c.note} |")
    for s in sections:
        lines += ["", f"## {s.title}", "", f"Time: {s.seconds:.1f} s", ""]
        lines += [*s.notes, ""] if s.notes else []
        for t in s.tables:
            lines += [t.to_markdown(), ""]
        for f in s.figures:
            lines += [f"![{f.stem}]({f.relative_to(out).as_posix()})", ""]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    claims = [{"section": s.title, "name": c.name, "measured": _plain(c.measured),
               "published": _plain(c.published), "agrees": c.agrees, "note": c.note}
              for s in sections for c in s.claims]
    (out / "claims.json").write_text(json.dumps(claims, indent=2) + "\n")
