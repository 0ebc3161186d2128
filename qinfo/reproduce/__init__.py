"""Reproductions of the papers' checkable claims, behind ``qinfo reproduce``.

Each part is a module with a function ``run(ctx: Context) -> Section``; :data:`TARGETS`
lists the parts of each target (``entropy``, ``rtn``, ``vqc``). A :class:`Section`
holds :class:`Table` objects, PNG figures and :class:`Claim` rows (the measured value
beside the published one). :func:`run_reproductions` runs the parts of the chosen
targets, serially or on an executor, prints their tables and writes ``report.md``.

=====================  ==========================================================
name                   what
=====================  ==========================================================
run_reproductions      run targets, print tables and claims, write the report
TARGETS                target name -> part modules, in the order they run
Context                what a part receives: output folder, quick, root seed
Section                what a part returns: tables, figures, claims, notes
Claim                  one claim: measured beside published, ``agrees``
Table                  one table, as text and as Markdown
=====================  ==========================================================
"""

from __future__ import annotations

from qinfo.reproduce._records import Claim, Context, Section, Table
from qinfo.reproduce._run import TARGETS, run_reproductions

__all__ = ["Claim", "Table", "Section", "Context", "TARGETS", "run_reproductions"]
