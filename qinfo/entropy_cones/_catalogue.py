"""The catalogue of known entropy inequalities, each with its reference.

>>> from qinfo.entropy_cones import catalogue
>>> catalogue.names()[:6]
['SA', 'AL', 'SSA', 'WM', 'MMI', 'ingleton']
>>> len(catalogue.get("holographic-5"))   # all instances of the 8 facet orbits
372

:meth:`Catalogue.get` returns every instance of an entry on ``n_parties`` parties
(permutations of the parties and the purifier, and groupings of subsystems
when ``n_parties`` exceeds the entry's own N, see
:meth:`~qinfo.entropy_cones.Inequality.instances`);
``expand=False`` returns the representatives as written.

Which states obey what:

- all quantum states: SA, AL, SSA, WM;
- stabilizer states: in addition Ingleton (4 parties + purifier), conditional
  Ingleton (``ingleton-conditional``, 5 parties) and the 24 five-variable linear rank inequalities of Dougherty, Freiling and Zeger
  (``dfz``), because a stabilizer entropy vector is a linear rank function
  minus a modular one and these are balanced linear rank inequalities. The
  five variables of a ``dfz`` inequality are read as the five subsystems
  A, B, C, D, O of a pure state (E -> O); at ``n_parties >= 5`` the instances
  put disjoint groups of subsystems in the five slots, either covering every
  subsystem or leaving some out (traced out), see :data:`DFZ_INEQUALITIES`;
  :meth:`Catalogue.linear_rank` collects all of these (the 5-party linear-rank set of
  31 irredundant classes, 10,860 facets);
- graph (holographic) models: SA, SSA, MMI and the holographic facets
  ``holographic-3`` .. ``holographic-5`` (``holographic`` picks the one
  matching ``n_parties``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ._inequalities import Inequality
from ._vectors import check_budget

__all__ = ["CatalogueEntry", "Catalogue", "catalogue", "LINEAR_RANK_ENTRIES"]


@dataclass(frozen=True)
class CatalogueEntry:
    """One catalogue entry (what :meth:`Catalogue.entry` returns).

    Parameters
    ----------
    name : str
        The entry's name, as in :meth:`Catalogue.names`.
    n_parties : int
        The number of parties (besides the purifier) it is written for.
    representatives : tuple of Inequality
        One inequality per orbit under permutations of the N+1 parties.
    reference : str
        Where the inequalities come from.
    note : str
        Which states obey it, and anything else worth knowing.
    traced : tuple of Inequality
        For inequalities in N+1 classical variables (``dfz``): the same
        inequalities on N+1 parties, the purifier a spectator. At
        ``n_parties > N`` their instances (some subsystems traced out) are
        added to those of ``representatives`` (every subsystem in a slot).
    certificates : tuple of ContractionMap
        For entries proved by contraction maps here (``hypergraph-5``): one
        certificate per representative, checked when the entry is loaded.

    Examples
    --------
    >>> e = catalogue.entry("MMI")
    >>> e.name, e.n_parties, len(e.representatives)
    ('MMI', 3, 1)
    """

    name: str
    n_parties: int
    representatives: tuple[Inequality, ...]
    reference: str
    note: str = ""
    traced: tuple[Inequality, ...] = ()
    certificates: tuple = ()


_HEC_REF = ("S. Hernandez-Cuenca, 'The holographic entropy cone for five regions', "
            "Phys. Rev. D 100, 026004 (2019), arXiv:1903.09148; data from "
            "github.com/SergioHC95/Holographic-Entropy-Cone; N = 3, 4: Bao, Nezami, Ooguri, "
            "Stoica, Sully, Walter, 'The holographic entropy cone', JHEP 09 (2015) 130, arXiv:1505.07839")


def _text_entry(name, n, texts, reference, note="") -> CatalogueEntry:
    reps = tuple(Inequality.parse(t, n_parties=n, name=name, reference=reference) for t in texts)
    return CatalogueEntry(name, n, reps, reference, note)


def _hec_entry(n: int) -> CatalogueEntry:
    name = f"holographic-{n}"
    rows = json.loads((resources.files("qinfo") / "data" / "hec" / f"f{n}.json").read_text())
    reps = tuple(Inequality.from_coefficients(r, name=name, reference=_HEC_REF) for r in rows)
    return CatalogueEntry(name, n, reps, _HEC_REF,
                 f"facets of the {n}-party holographic entropy cone (graph models); "
                 f"{len(reps)} orbits")


def _dfz_entry() -> CatalogueEntry:
    reps, traced = [], []
    for label, text in DFZ_INEQUALITIES:
        name = f"dfz-{label.removeprefix('DFZ')}"
        reps.append(Inequality.parse(text.replace("E", "O"), n_parties=4, name=name,
                                     reference=DFZ_REFERENCE))
        traced.append(Inequality.parse(text, n_parties=5, name=name, reference=DFZ_REFERENCE))
    return CatalogueEntry("dfz", 4, tuple(reps), DFZ_REFERENCE,
                 "the 24 new five-variable linear rank inequalities, variables A, B, C, D, E read as "
                 "the subsystems A, B, C, D, O of a pure state (E is the purifier); on more parties "
                 "also with subsystems traced out; stabilizer states (balanced linear rank "
                 "inequalities)", tuple(traced))


HYPERGRAPH_5_REFERENCE = ("found and proved here (qinfo.entropy_cones._discovery: invariant LP separator of a "
                          "6-qubit graph-state vector, exact MILP search, hypergraph contraction map with "
                          "hyperedges of any size); the gap itself: N. Bao, N. Cheng, S. Hernandez-Cuenca, "
                          "V. P. Su, 'A gap between the hypergraph and stabilizer entropy cones', "
                          "arXiv:2006.16292")


def _hypergraph_entry(records: list | None = None) -> CatalogueEntry | None:
    """``hypergraph-5`` from ``records`` (default: ``qinfo/data/hypergraph5.json``), certificates checked.

    Each record has ``inequality`` (text, 5 parties) and ``certificate`` (the
    ``hec`` JSON form of a contraction map); ``None`` when there are none.
    """
    from ._contraction._certificate import ContractionMap, check_contraction

    if records is None:
        records = json.loads((resources.files("qinfo") / "data" / "hypergraph5.json").read_text())
    if not records:
        return None
    reps, certs = [], []
    for rec in records:
        ineq = Inequality.parse(rec["inequality"], n_parties=5, name="hypergraph-5",
                                reference=HYPERGRAPH_5_REFERENCE)
        cert = ContractionMap.from_dict(rec["certificate"], n_parties=5)
        if not check_contraction(cert, ineq, model="hypergraph", max_edge_size=None):
            raise RuntimeError(f"qinfo/data/hypergraph5.json: the certificate of {rec['inequality']!r} "
                               "does not check for hypergraphs with hyperedges of any size")
        reps.append(ineq)
        certs.append(cert)
    return CatalogueEntry("hypergraph-5", 5, tuple(reps), HYPERGRAPH_5_REFERENCE,
                 "five-party inequalities valid for hypergraph models with hyperedges of any size "
                 "(contraction certificates, checked on load) that 6-qubit stabilizer states violate: "
                 "the hypergraph cone is strictly inside the stabilizer cone at five parties; the "
                 "excluded graph-state vectors, orbit sizes and tight-set ranks are in "
                 "qinfo/data/hypergraph5.json and `qinfo reproduce entropy`", certificates=tuple(certs))


#: Ingleton conditioned on E, in five of the six subsystems (O traced out).
CONDITIONAL_INGLETON = "I(A:B|CE) + I(A:B|DE) + I(C:D|E) >= I(A:B|E)"

DFZ_REFERENCE = ("R. Dougherty, C. Freiling, K. Zeger, 'Linear rank inequalities on five or more "
                 "variables', arXiv:0910.0284, inequalities (1)-(24); transcribed from "
                 "dfz_linear_ineq in psitip 1.1.7 (C. T. Li, github.com/cheuktingli/psitip)")
#: ``(name, text)`` of the 24 Dougherty-Freiling-Zeger inequalities in their
#: five random variables A, B, C, D, E, in the paper's order (1)-(24).
#: The catalogue reads E as the purifier O (entry ``dfz``, 4 parties); on
#: ``n_parties >= 5`` the same text with E a party gives the instances in
#: which subsystems are traced out (``Entry.traced``). Checked in
#: tests/entropy_cones/test_catalogue.py: each is balanced, holds on rank
#: vectors of subspaces over GF(2) and GF(3) and on all 5- and 6-qubit graph
#: states, and is not implied by Shannon, Ingleton and the other 23.
DFZ_INEQUALITIES: list[tuple[str, str]] = [
    ("DFZ1", "I(A:B|C) + I(A:B|D) + I(C:D|E) + I(A:E) >= I(A:B)"),
    ("DFZ2", "I(A:B|C) + I(A:C|D) + I(A:D|E) + I(B:E) >= I(A:B)"),
    ("DFZ3", "I(A:B|D) + I(A:C) + I(B:E|C) + I(A:D|CE) >= I(A:B)"),
    ("DFZ4", "I(A:B|DE) + I(A:C) + I(B:D|C) + I(A:E|CD) >= I(A:B)"),
    ("DFZ5", "I(A:B|CE) + I(A:C) + I(B:D|C) + I(A:E|D) + I(B:C|DE) >= I(A:B)"),
    ("DFZ6", "I(A:B|CD) + I(A:C) + I(B:D|E) + I(D:E|C) + I(A:C|DE) >= I(A:B)"),
    ("DFZ7", "I(A:B|DE) + I(A:C|D) + I(A:E|C) + I(B:D) + I(B:D|CE) >= I(A:B)"),
    ("DFZ8", "I(A:B|D) + I(A:B|C) + I(A:B|E) + I(C:D) + I(CD:E) >= 2 I(A:B)"),
    ("DFZ9", "I(A:B|E) + I(A:B|D) + I(A:C) + I(D:E) + I(B:DE|C) >= 2 I(A:B)"),
    ("DFZ10", "I(A:B|D) + I(A:B|C) + I(C:D) + I(A:E) + I(B:D|E) + I(A:C|DE) >= 2 I(A:B)"),
    ("DFZ11", "I(A:C|BD) + I(A:CE) + I(A:B|DE) + I(B:D|CE) >= I(A:BC)"),
    ("DFZ12", "I(A:B|D) + I(A:D|E) + I(B:E|C) + I(A:C|BE) + I(C:E|BD) >= I(A:B|C)"),
    ("DFZ13", "I(A:B|D) + I(A:CE) + I(B:D|CE) + I(A:C|BE) + I(C:E|BD) >= I(A:BC)"),
    ("DFZ14", "I(A:D) + I(B:E|D) + I(A:B|CE) + I(A:C|BD) + I(A:C|DE) >= I(A:BC)"),
    ("DFZ15", "I(A:D) + I(B:E|D) + I(A:C|E) + I(A:B|CD) + I(A:C|BD) + I(B:D|CE) >= I(A:BC)"),
    ("DFZ16", "I(A:B|CD) + I(A:C|BD) + I(BC:D|E) + I(B:C|DE) + I(A:E) >= I(A:BC)"),
    ("DFZ17", "I(A:D|BC) + I(B:D|AC) + I(A:C|BE) + I(B:C|AE) + I(A:B|DE) + I(C:E|D) >= I(AB:C|D)"),
    ("DFZ18", "I(A:B|D) + I(A:C|D) + I(B:C) + I(B:D|E) + I(C:D|E) + I(A:E) >= I(A:B) + I(A:C)"),
    ("DFZ19", "I(A:B|E) + 2 I(A:C|D) + I(B:D) + I(D:E) + I(B:E|CD) + I(C:D|BE) >= I(A:B) + I(A:C)"),
    ("DFZ20", "I(A:B|E) + I(A:C|D) + I(B:C) + I(B:D) + I(A:E|B) + I(C:D|E)"
              " + I(B:E|CD) >= I(A:B) + I(A:C)"),
    ("DFZ21", "I(A:B|CE) + I(A:C|D) + I(B:D) + I(A:D|E) + I(C:E) + I(B:C|DE)"
              " + I(B:E|CD) >= I(A:B) + I(A:C)"),
    ("DFZ22", "I(A:B|D) + I(A:B|C) + I(A:C|E) + I(C:D) + I(A:D|E) + 2 I(B:E)"
              " + I(B:C|DE) + I(C:E|BD) >= 2 I(A:B) + I(A:C)"),
    ("DFZ23", "I(A:B|D) + 2 I(A:C|E) + I(B:E) + I(D:E) + I(A:B|CD) + 2 I(B:D|CE)"
              " + I(C:E|BD) >= I(A:B) + I(A:BC)"),
    ("DFZ24", "I(B:C|E) + I(C:E|D) + I(A:E) + I(A:C|BD) + I(AB:D|C) + I(A:D|BE)"
              " + I(A:B|DE) >= I(A:CD) + I(B:C|D)"),
]


@lru_cache(maxsize=1)
def _registry() -> dict[str, CatalogueEntry]:
    entries = [
        _text_entry("SA", 2, ["S_A + S_B >= S_AB"],
                    "H. Araki, E. H. Lieb, Commun. Math. Phys. 18, 160 (1970)",
                    "subadditivity, I(A:B) >= 0; all quantum states"),
        _text_entry("AL", 2, ["S_A + S_AB >= S_B"],
                    "H. Araki, E. H. Lieb, Commun. Math. Phys. 18, 160 (1970)",
                    "Araki-Lieb triangle inequality; the image of SA under B <-> O, so it has "
                    "the same instances"),
        _text_entry("SSA", 3, ["S_AC + S_BC >= S_C + S_ABC"],
                    "E. H. Lieb, M. B. Ruskai, J. Math. Phys. 14, 1938 (1973)",
                    "strong subadditivity, I(A:B|C) >= 0; all quantum states"),
        _text_entry("WM", 3, ["S_AB + S_BC >= S_A + S_C"],
                    "E. H. Lieb, M. B. Ruskai, J. Math. Phys. 14, 1938 (1973)",
                    "weak monotonicity; the image of SSA under C <-> O"),
        _text_entry("MMI", 3, ["S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC"],
                    "P. Hayden, M. Headrick, A. Maloney, Phys. Rev. D 87, 046003 (2013), "
                    "arXiv:1107.2940",
                    "monogamy of mutual information, -I3(A:B:C) >= 0; graph models, not all "
                    "quantum states (fails on the 4-qubit GHZ state)"),
        _text_entry("ingleton", 4, ["S_AB + S_AC + S_AD + S_BC + S_BD >= S_A + S_B + S_CD + S_ABC + S_ABD"],
                    "A. W. Ingleton, Combinatorial Mathematics and its Applications (1971); "
                    "quantum form: N. Linden, F. Matus, M. B. Ruskai, A. Winter, Proc. R. Soc. A "
                    "469, 20120737 (2013), arXiv:1302.5453; D. Gross, M. Walter, "
                    "J. Math. Phys. 54, 082201 (2013), arXiv:1302.6990",
                    "I(A:B|C) + I(A:B|D) + I(C:D) >= I(A:B) on the subsystems A, B, C, D of a "
                    "pure state on ABCDO; stabilizer states; 30 instances under S_5"),
        _text_entry("ingleton-conditional", 5, [CONDITIONAL_INGLETON],
                    "R. Dougherty, C. Freiling, K. Zeger, arXiv:0910.0284 (Ingleton conditioned on a "
                    "fifth variable); the 5-party count of 31 classes: N. Bao, N. Cheng, "
                    "S. Hernandez-Cuenca, V. P. Su, arXiv:2006.16292",
                    "I(A:B|CE) + I(A:B|DE) + I(C:D|E) >= I(A:B|E) on five of the six subsystems of "
                    "a pure state on ABCDEO (the sixth traced out); linear rank functions obey it "
                    "(Ingleton after quotienting by E), hence stabilizer states; 90 instances under "
                    "S_6, none implied by SA, SSA, Ingleton and DFZ at 5 parties"),
        _hec_entry(3),
        _hec_entry(4),
        _hec_entry(5),
    ]
    if DFZ_INEQUALITIES:
        entries.append(_dfz_entry())
    hyper = _hypergraph_entry()
    if hyper is not None:
        entries.append(hyper)
    return {e.name: e for e in entries}


#: The catalogue entries whose instances make up the linear-rank set.
LINEAR_RANK_ENTRIES = ("SA", "SSA", "ingleton", "ingleton-conditional", "dfz")


class Catalogue:
    """The catalogue of known entropy inequalities; use the instance :data:`catalogue`.

    Examples
    --------
    >>> from qinfo.entropy_cones import catalogue
    >>> catalogue.entry("MMI").n_parties
    3
    """

    def __repr__(self) -> str:
        return f"<catalogue of entropy inequalities: {', '.join(self.names())}>"

    def names(self) -> list[str]:
        """Names of the catalogue entries, in catalogue order.

        Besides these, :meth:`get` accepts ``"holographic"`` (the holographic
        facets for the requested number of parties, 1 to 5) and ``"dfz-1"`` ..
        ``"dfz-24"`` (single Dougherty-Freiling-Zeger inequalities).

        Examples
        --------
        >>> "MMI" in catalogue.names()
        True
        """
        return list(_registry())

    def entry(self, name: str) -> CatalogueEntry:
        """The :class:`CatalogueEntry` called ``name`` (representatives, reference, note).

        Parameters
        ----------
        name : str
            An entry from :meth:`names`, or ``"dfz-1"`` .. ``"dfz-24"``.

        Examples
        --------
        >>> e = catalogue.entry("SSA")
        >>> e.n_parties, str(e.representatives[0])
        (3, 'S_AC + S_BC >= S_C + S_ABC')
        """
        reg = _registry()
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}")
        if name in reg:
            return reg[name]
        if name.startswith("dfz-") and "dfz" in reg:
            dfz = reg["dfz"]
            for ineq, traced in zip(dfz.representatives, dfz.traced):
                if ineq.name == name:
                    return CatalogueEntry(name, 4, (ineq,), dfz.reference, dfz.note, (traced,))
        raise ValueError(f"unknown catalogue entry {name!r}; known: {', '.join(reg)}, 'holographic'"
                         + (", 'dfz-<k>'" if "dfz" in reg else ""))

    def get(self, name: str, n_parties: int | None = None, *, expand: bool = True) -> list[Inequality]:
        """The inequalities of a catalogue entry.

        Parameters
        ----------
        name : str
            An entry from :meth:`names`, ``"holographic"`` or ``"dfz-k"``.
        n_parties : int, optional
            Parties (besides the purifier) of the vectors they will be applied to;
            defaults to the entry's own N. Larger values give the instances on
            groupings of the ``n_parties + 1`` subsystems.
        expand : bool
            ``True`` (default): every distinct instance; ``False``: the
            representatives (lifted to ``n_parties``).

        Returns
        -------
        list of Inequality

        Examples
        --------
        >>> len(catalogue.get("SSA", 3)), len(catalogue.get("ingleton")), len(catalogue.get("holographic", 4))
        (6, 30, 20)
        >>> print(catalogue.get("MMI", expand=False)[0])
        S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC
        """
        if name == "holographic":
            if n_parties is None:
                raise ValueError("get('holographic') needs n_parties (1 to 5)")
            if n_parties in (1, 2):
                return self.get("SA", 2, expand=expand) if n_parties == 2 else []
            if not 3 <= n_parties <= 5:
                raise ValueError(f"the holographic entropy cone is known here for 1 to 5 parties, got {n_parties}")
            name = f"holographic-{n_parties}"
        e = self.entry(name)
        n = e.n_parties if n_parties is None else n_parties
        if n < e.n_parties:
            raise ValueError(f"{name!r} is a {e.n_parties}-party inequality; it has no instances on "
                             f"{n} parties (n_parties must be >= {e.n_parties})")
        return list(_instances(name, n, expand))

    def linear_rank(self, n_parties: int = 5) -> list[Inequality]:
        """The known linear rank inequalities in quantum form on ``n_parties`` parties.

        Every instance of SA, SSA (with WM), Ingleton, conditional Ingleton (from
        5 parties) and the 24 DFZ inequalities (from 4 parties): the balanced
        linear rank inequalities that stabilizer states obey. At 4 parties they
        cut out the stabilizer cone exactly (LMRW 2013); at 5 parties they reduce
        to 31 irredundant classes under ``S_6``, 10,860 facets (the count of
        arXiv:2006.16292; reproduced in ``tests/entropy_cones/test_facets.py``).

        Parameters
        ----------
        n_parties : int
            2 to 7.

        Returns
        -------
        list of Inequality
            Distinct instances, in catalogue order (redundant ones included).

        Examples
        --------
        >>> len(catalogue.linear_rank(4)), len(catalogue.linear_rank(5))
        (985, 23700)
        """
        out: dict[Inequality, None] = {}
        for name in LINEAR_RANK_ENTRIES:
            if self.entry(name).n_parties <= n_parties:
                out.update(dict.fromkeys(self.get(name, n_parties)))
        return list(out)


#: The catalogue of known entropy inequalities (``catalogue.get("SSA", 3)``, ...).
catalogue = Catalogue()


@lru_cache(maxsize=64)
def _instances(name: str, n: int, expand: bool) -> tuple[Inequality, ...]:
    e = catalogue.entry(name)
    if not expand:
        return tuple(r.lift(n) for r in e.representatives)
    reps = e.representatives + (e.traced if n > e.n_parties else ())
    check_budget("enumeration", sum(rep.instances_work(n) for rep in reps),
                  f"the instances of {name!r} on {n} parties")
    out: dict[Inequality, None] = {}
    for rep in reps:
        out.update(dict.fromkeys(rep.instances(n)))
    return tuple(out)
