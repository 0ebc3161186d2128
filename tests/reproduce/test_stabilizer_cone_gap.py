"""The gap rows of the stabilizer-cone reproduction: catalogued hypergraph inequalities mark orbits outside."""

from __future__ import annotations

import numpy as np
import pytest

from qinfo.entropy_cones._inequalities import Inequality
from qinfo.entropy_cones._vectors import EntropyVector
from qinfo.reproduce import Context, Section
from qinfo.reproduce.stabilizer_cone import _hypergraph_gap

# the orbit left undecided by the discovery run, and the first invariant candidate that excludes it
# (refuted with 3 bulk vertices; it only stands in for a proved entry here)
TARGET = EntropyVector([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
                        2, 2, 2, 2, 2, 2, 1, 1])
CANDIDATE = Inequality.parse("6 S_AB + 6 S_CD + 3 S_ACE + 3 S_ADE + 3 S_BCE + 3 S_BDE + 6 S_ABCD >= S_AC + S_AD "
                             "+ S_AE + S_BC + S_BD + S_BE + S_CE + S_DE + 2 S_ABC + 2 S_ABD + 2 S_ABE + 2 S_ACD "
                             "+ 2 S_BCD + 2 S_CDE + S_ABCE + S_ABDE + S_ACDE + S_BCDE")


def test_an_orbit_violating_a_catalogued_inequality_is_reported_outside_without_a_search(tmp_path):
    sec = Section("test")
    hec = np.zeros((1, 31))
    _hypergraph_gap(Context(out=tmp_path, quick=True, progress=False), sec, [TARGET], hec, [CANDIDATE])
    row = sec.tables[-1].rows[0]
    assert row[2] == "outside" and "hypergraph-5" in row[3]
    gap = [c for c in sec.claims if c.name.startswith("hypergraph cone != stabilizer cone")][0]
    assert gap.agrees is True and "1 orbits outside" in gap.measured


@pytest.mark.slow  # a realisation MILP
def test_without_catalogued_inequalities_the_quick_run_claims_nothing(tmp_path):
    sec = Section("test")
    ghz = EntropyVector(np.ones(31))  # a single hyperedge on all six: realised at once
    _hypergraph_gap(Context(out=tmp_path, quick=True, progress=False), sec, [ghz], np.zeros((1, 31)), [])
    assert sec.tables[-1].rows[0][2] == "inside"
    gap = [c for c in sec.claims if c.name.startswith("hypergraph cone != stabilizer cone")][0]
    assert gap.agrees is None and "not shown" in gap.measured
