"""Reproductions of the papers' checkable claims, behind ``qinfo reproduce``.

Each part is a module in this package with a function ``run(ctx) -> Section``.
A :class:`Section` holds tables, PNG figures and :class:`Claim` rows (the
measured value beside the published one). :func:`run_reproductions` runs the
parts of the chosen targets, prints their tables and writes ``report.md``.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Claim", "Table", "Section", "Context", "TARGETS", "run_reproductions"]

#: The parts behind each target, in the order they run.
TARGETS: dict[str, list[str]] = {
    "entropy": [
        "qinfo.reproduce.hypergraph",
        "qinfo.reproduce.stabilizer_cone",
        "qinfo.reproduce.proofs",
        "qinfo.reproduce.links",
    ],
    "rtn": ["qinfo.reproduce.rtn"],
    "vqc": ["qinfo.reproduce.vqc"],
}


@dataclass
class Claim:
    """One checkable claim: what was measured beside what was published."""

    name: str
    measured: Any
    published: Any
    agrees: bool | None = None
    note: str = ""


@dataclass
class Table:
    """A small table printed to the terminal and written to the report."""

    title: str
    headers: list[str]
    rows: list[list[Any]]

    def to_markdown(self) -> str:
        head = "| " + " | ".join(map(str, self.headers)) + " |"
        sep = "|" + "|".join("---" for _ in self.headers) + "|"
        body = ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in self.rows]
        return "\n".join([f"**{self.title}**", "", head, sep, *body])

    def to_text(self) -> str:
        cells = [list(map(str, self.headers))] + [[_fmt(c) for c in r] for r in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.headers))]
        lines = [self.title]
        for k, r in enumerate(cells):
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)))
            if k == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)


@dataclass
class Context:
    """What every part receives: where to write, how long to run, the seed."""

    out: Path
    quick: bool = True
    seed: int = 0
    progress: bool = True
    embeddings: str | None = None  # vqc: an embeddings file of real images


@dataclass
class Section:
    """The output of one reproduction part."""

    title: str
    tables: list[Table] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add_table(self, title: str, headers: list[str], rows: list[list[Any]]) -> Table:
        table = Table(title, list(headers), [list(r) for r in rows])
        self.tables.append(table)
        return table

    def add_claim(self, name: str, measured: Any, published: Any,
                  agrees: bool | None = None, note: str = "") -> Claim:
        claim = Claim(name, measured, published, agrees, note)
        self.claims.append(claim)
        return claim

    def add_figure(self, fig: Any, path: Path) -> Path:
        """Save a matplotlib figure as PNG and record it."""
        import matplotlib.pyplot as plt

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        self.figures.append(path)
        return path


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


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


def run_reproductions(targets: list[str], *, out: Path, quick: bool = True, seed: int = 0,
                      progress: bool = True, echo=print, embeddings: str | None = None) -> list[Section]:
    """Run the parts of ``targets``, print their tables, write ``report.md``.

    Parameters
    ----------
    targets : list of str
        Names from :data:`TARGETS`, or ``["all"]``.
    out : Path
        Output folder for ``report.md``, ``claims.json`` and figures.
    quick : bool
        The short versions used by ``make demo``.
    seed : int
        Root seed; each part derives its randomness from it.
    """
    if targets == ["all"] or "all" in targets:
        targets = list(TARGETS)
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        raise ValueError(f"unknown reproduction target(s) {unknown}; choose from {list(TARGETS)} or 'all'")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sections: list[Section] = []
    t_all = time.perf_counter()
    for target in targets:
        for modname in TARGETS[target]:
            try:
                module = importlib.import_module(modname)
            except ModuleNotFoundError as exc:
                if exc.name != modname:
                    raise
                continue
            ctx = Context(out=out / target, quick=quick, seed=seed, progress=progress, embeddings=embeddings)
            ctx.out.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            section = module.run(ctx)
            section.seconds = time.perf_counter() - t0
            sections.append(section)
            echo(f"\n=== {section.title} ({section.seconds:.1f} s)")
            for table in section.tables:
                echo(table.to_text())
                echo("")
            for claim in section.claims:
                mark = {True: "ok", False: "DIFFERS", None: "-"}[claim.agrees]
                echo(f"[{mark}] {claim.name}: measured {_fmt(claim.measured)}; published {_fmt(claim.published)}"
                     + (f" ({claim.note})" if claim.note else ""))
            for fig in section.figures:
                echo(f"figure: {fig}")
    total = time.perf_counter() - t_all
    _write_report(sections, out=out, quick=quick, seed=seed, seconds=total, targets=targets)
    echo(f"\nreport: {out / 'report.md'} ({total:.1f} s)")
    return sections


def _write_report(sections, *, out, quick, seed, seconds, targets):
    lines = ["# qinfo reproduction report", "",
             f"- targets: {', '.join(targets)}", f"- quick: {quick}", f"- seed: {seed}",
             f"- time: {seconds:.1f} s", f"- machine: {platform.machine()}, {platform.system()}, "
             f"Python {sys.version.split()[0]}", "", "## Versions", ""]
    lines += [f"- {k}: {v}" for k, v in _versions().items()]
    lines += ["", "## Claims", "", "| claim | measured | published | agrees | note |", "|---|---|---|---|---|"]
    for s in sections:
        for c in s.claims:
            lines.append(f"| {c.name} | {_fmt(c.measured)} | {_fmt(c.published)} | "
                         f"{ {True: 'yes', False: 'no', None: '-'}[c.agrees] } | {c.note} |")
    for s in sections:
        lines += ["", f"## {s.title}", "", f"Time: {s.seconds:.1f} s", ""]
        lines += [*s.notes, ""] if s.notes else []
        for t in s.tables:
            lines += [t.to_markdown(), ""]
        for f in s.figures:
            lines += [f"![{f.stem}]({f.relative_to(out).as_posix()})", ""]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    claims = [{"section": s.title, "name": c.name, "measured": _jsonable(c.measured),
               "published": _jsonable(c.published), "agrees": c.agrees, "note": c.note}
              for s in sections for c in s.claims]
    (out / "claims.json").write_text(json.dumps(claims, indent=2) + "\n")


def _jsonable(x: Any) -> Any:
    try:
        json.dumps(x)
        return x
    except TypeError:
        return str(x)
