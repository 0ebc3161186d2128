"""The hypergraph-5 catalogue entry: every certificate is checked when the entry is loaded."""

from __future__ import annotations

import pytest

from qinfo.entropy_cones import catalogue, prove
from qinfo.entropy_cones._catalogue import _hypergraph_entry

# Ingleton (hypergraphs obey it) stands in for a proved entry: the loader must accept its map
INGLETON = "S_AB + S_AC + S_AD + S_BC + S_BD >= S_A + S_B + S_CD + S_ABC + S_ABD"


@pytest.fixture(scope="module")
def ingleton_record():
    r = prove(INGLETON, model="hypergraph", max_edge_size=None, counterexample_search=False, progress=False)
    assert r.status == "proved"
    return {"inequality": INGLETON, "certificate": r.certificate.to_dict()}


def test_a_checking_certificate_loads_as_an_entry(ingleton_record):
    e = _hypergraph_entry([ingleton_record])
    assert e.name == "hypergraph-5" and e.n_parties == 5 and len(e.certificates) == 1
    assert str(e.representatives[0]) == INGLETON


def test_a_corrupted_certificate_is_refused_on_load(ingleton_record):
    cert = dict(ingleton_record["certificate"])
    images = list(cert["images"])
    # flip one image bit at a time until the map stops contracting (the first vertex is fixed to 0)
    for k in range(1, len(images)):
        bad = images.copy()
        bad[k] = "".join("1" if c == "0" else "0" for c in bad[k])
        rec = {"inequality": INGLETON, "certificate": {**cert, "images": bad}}
        try:
            _hypergraph_entry([rec])
        except (RuntimeError, ValueError) as exc:
            assert "certificate" in str(exc) or "image" in str(exc)
            return
    pytest.fail("no corrupted certificate was refused")


def test_the_shipped_data_loads():
    # an empty data file gives no entry; a non-empty one must check on load
    names = catalogue.names()
    if "hypergraph-5" in names:
        e = catalogue.entry("hypergraph-5")
        assert len(e.certificates) == len(e.representatives) > 0
