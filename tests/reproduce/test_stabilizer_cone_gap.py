"""The gap rows of the stabilizer-cone reproduction: catalogued hypergraph inequalities mark orbits outside."""

from __future__ import annotations

import numpy as np
import pytest

from qinfo.entropy_cones import EntropyVector, catalogue
from qinfo.reproduce import Context, Section
from qinfo.reproduce._stabilizer_cone import _hypergraph_gap

# the orbit left undecided by the realisation search (edges A-C, A-D, B-C, B-D, A-O, B-E)
TARGET = EntropyVector([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
                        2, 2, 2, 2, 2, 2, 1, 1])


def test_an_orbit_violating_a_catalogued_inequality_is_reported_outside_without_a_search(tmp_path):
    sec = Section("test")
    hec = np.zeros((1, 31))
    proved = list(catalogue.entry("hypergraph-5").representatives)
    _hypergraph_gap(Context(out=tmp_path, quick=True, progress=False), sec, [TARGET], hec, proved)
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


def test_the_catalogued_gap_rows_recompute_the_shipped_record(tmp_path):
    import json
    from importlib import resources

    from qinfo.entropy_cones import graph_state_entropy_vectors
    from qinfo.reproduce._stabilizer_cone import _catalogued_gap

    records = json.loads((resources.files("qinfo") / "data" / "hypergraph5.json").read_text())
    sec = Section("test")
    vectors = np.asarray(graph_state_entropy_vectors(6, progress=False).values, dtype=float)
    proved = _catalogued_gap(Context(out=tmp_path, quick=True, progress=False), sec, vectors)
    assert [str(q) for q in proved] == [r["inequality"] for r in records]
    for rec, row in zip(records, sec.tables[-1].rows):
        assert row[1] == rec["orbit_size"]
        assert row[3] == f"{rec['excluded_graph_state_vectors']} ({len(rec['excluded_orbits'])} orbits)"
        assert row[4] == "; ".join(" ".join(map(str, v)) for v in rec["excluded_orbits"])
        assert row[5].startswith(f"{rec['tight_rank']} (")  # the same seeded vectors (seed 0)
    assert all(c.agrees for c in sec.claims)
    assert " ".join(str(int(x)) for x in TARGET.values) in sec.tables[-1].rows[0][4]
