"""The records of a reproduction: what a part receives (:class:`Context`) and returns (:class:`Section`).

A :class:`Section` holds :class:`Table` objects, PNG figures and :class:`Claim`
rows (the measured value beside the published one). The part modules import
these from here, and :mod:`qinfo.reproduce` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Claim", "Table", "Context", "Section", "format_cell", "MARKS"]

#: How a claim's ``agrees`` is printed: agrees, differs, not decided.
MARKS = {True: "ok", False: "DIFFERS", None: "-"}


def format_cell(x: Any) -> str:
    """A table cell or claim value as text: floats with 4 significant digits, anything else by ``str``.

    Parameters
    ----------
    x : object
        The value.

    Returns
    -------
    str

    Examples
    --------
    >>> format_cell(0.123456), format_cell(3), format_cell("all")
    ('0.1235', '3', 'all')
    """
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


@dataclass
class Claim:
    """One checkable claim: the value this run measured beside the published one.

    Parameters
    ----------
    name : str
        What is claimed, in words.
    measured : object
        What this run measured: a number, or a short text.
    published : object
        What the paper states, or a text such as ``"> 0"``, or ``"-"`` where no number
        is published.
    agrees : bool or None
        ``True`` when the measurement agrees with the published value (printed ``ok``),
        ``False`` when it differs (printed ``DIFFERS``), ``None`` when nothing is decided
        (no published value, or too few samples to tell; printed ``-``).
    note : str
        Where the published value comes from, or how ``agrees`` was judged.

    Examples
    --------
    >>> c = Claim("S(A) - log D", -0.497, -0.5, agrees=True, note="Hayden et al. 2016")
    >>> c.agrees, c.note
    (True, 'Hayden et al. 2016')
    """

    name: str
    measured: Any
    published: Any
    agrees: bool | None = None
    note: str = ""


@dataclass
class Table:
    """A small table, printed to the terminal and written to ``report.md``.

    Parameters
    ----------
    title : str
        One line above the table.
    headers : list of str
        The column names.
    rows : list of list
        The cells, one list per row (floats print with 4 significant digits).

    Examples
    --------
    >>> t = Table("moments", ["n", "sampled"], [[1, 1.0004], [2, 2.013]])
    >>> print(t.to_text())
    moments
    n  sampled
    -  -------
    1  1
    2  2.013
    """

    title: str
    headers: list[str]
    rows: list[list[Any]]

    def to_markdown(self) -> str:
        """The table in Markdown, its title in bold above it.

        Returns
        -------
        str

        Examples
        --------
        >>> print(Table("t", ["a", "b"], [[1, 0.5]]).to_markdown())
        **t**
        <BLANKLINE>
        | a | b |
        |---|---|
        | 1 | 0.5 |
        """
        head = "| " + " | ".join(map(str, self.headers)) + " |"
        sep = "|" + "|".join("---" for _ in self.headers) + "|"
        body = ["| " + " | ".join(format_cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join([f"**{self.title}**", "", head, sep, *body])

    def to_text(self) -> str:
        """The table as aligned plain text, for the terminal.

        Returns
        -------
        str

        Examples
        --------
        >>> print(Table("t", ["a", "b"], [[1, 0.5]]).to_text())
        t
        a  b
        -  ---
        1  0.5
        """
        cells = [list(map(str, self.headers))] + [[format_cell(c) for c in r] for r in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.headers))]
        lines = [self.title]
        for k, r in enumerate(cells):
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
            if k == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)


@dataclass
class Context:
    """What every part receives: where to write, how long to run, the root seed.

    Parameters
    ----------
    out : Path
        The folder for this part's figures and files (``OUT/<target>``).
    quick : bool
        The short versions (``qinfo reproduce --quick``, ``make demo``).
    seed : int
        The run's root seed, a non-negative int; each part derives all its randomness
        from it, so a part's numbers depend on the seed only.
        :func:`~qinfo.reproduce.run_reproductions` turns its ``seed=`` argument
        (None, an int, a SeedSequence or a Generator) into this int and records it in
        the report.
    progress : bool or None
        Progress bars: ``None`` shows them only when stderr is a terminal.
    embeddings : str or None
        ``vqc``: an embeddings file of real images for the CLIP rows.

    Examples
    --------
    >>> ctx = Context(out=Path("results/entropy"), quick=True, seed=0, progress=False)
    >>> ctx.quick, ctx.seed
    (True, 0)
    """

    out: Path
    quick: bool = True
    seed: int = 0
    progress: bool | None = None
    embeddings: str | None = None


@dataclass
class Section:
    """The output of one reproduction part: tables, figures, claims and notes.

    Parameters
    ----------
    title : str
        The section's heading in the terminal output and the report.
    tables : list of Table
        Printed in order.
    figures : list of Path
        PNG files written by :meth:`add_figure`.
    claims : list of Claim
        The checkable claims, printed with ``ok``, ``DIFFERS`` or ``-``.
    notes : list of str
        Paragraphs for the report.
    seconds : float
        Wall-clock time of the part (set by
        :func:`~qinfo.reproduce.run_reproductions`).

    Examples
    --------
    >>> sec = Section("Bell pairs")
    >>> _ = sec.add_claim("S_A of a Bell pair (bits)", 1, 1, agrees=True)
    >>> [(c.name, c.agrees) for c in sec.claims]
    [('S_A of a Bell pair (bits)', True)]
    """

    title: str
    tables: list[Table] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add_table(self, title: str, headers: list[str], rows: list[list[Any]]) -> Table:
        """Append a table.

        Parameters
        ----------
        title : str
            One line above the table.
        headers : list of str
            The column names.
        rows : list of list
            The cells, one list per row.

        Returns
        -------
        Table
            The table appended.

        Examples
        --------
        >>> Section("s").add_table("t", ["a"], [[1], [2]]).rows
        [[1], [2]]
        """
        table = Table(title, list(headers), [list(r) for r in rows])
        self.tables.append(table)
        return table

    def add_claim(self, name: str, measured: Any, published: Any,
                  agrees: bool | None = None, note: str = "") -> Claim:
        """Append a claim.

        Parameters
        ----------
        name : str
            What is claimed, in words.
        measured : object
            What this run measured.
        published : object
            What the paper states (``"-"`` where nothing is published).
        agrees : bool or None
            ``True`` agrees, ``False`` differs, ``None`` not decided.
        note : str
            Where the published value comes from, or how ``agrees`` was judged.

        Returns
        -------
        Claim
            The claim appended.

        Examples
        --------
        >>> Section("s").add_claim("I3 of GHZ4", 1.0, 1.0, agrees=True).agrees
        True
        """
        claim = Claim(name, measured, published, agrees, note)
        self.claims.append(claim)
        return claim

    def add_figure(self, fig: Any, path: Path) -> Path:
        """Save a matplotlib figure as PNG, close it, and record its path.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
            The figure.
        path : Path
            Where to write the PNG (parent folders are created).

        Returns
        -------
        Path
            ``path``.

        Examples
        --------
        >>> import tempfile
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> sec = Section("s")
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = sec.add_figure(plt.figure(), Path(d) / "f.png")
        ...     p.is_file()
        True
        """
        import matplotlib.pyplot as plt

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        self.figures.append(path)
        return path
