"""Campaigns: prove_many with a resume file, on executors, and the stored-campaign checker.

Oracles: the same proofs run one by one with ``prove``; the independent
checker on every stored certificate; a corrupted certificate must fail it.
"""

from __future__ import annotations

import json

import pytest

import qinfo.entropy_cones._contraction._campaign as campaign
from qinfo.entropy_cones import (ContractionMap, check_campaign, check_contraction, load_campaign, prove,
                                 prove_many)

INEQUALITIES = ["S_A + S_B >= S_AB", "S_AB + S_BC >= S_B + S_ABC",
                "S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC",
                "S_A + S_B + S_C + S_ABC >= S_AB + S_AC + S_BC"]  # the last is false for graphs


def test_records_match_prove_one_by_one_and_certificates_check():
    records = prove_many(INEQUALITIES, progress=False)
    for text, rec in zip(INEQUALITIES, records):
        r = prove(text, progress=False)
        assert rec["status"] == r.status
        if r.status == "proved":
            assert ContractionMap.from_dict(rec["certificate"]) == r.certificate
            assert check_contraction(ContractionMap.from_dict(rec["certificate"]), text)
    assert [r["status"] for r in records] == ["proved", "proved", "proved", "refuted"]


def test_a_killed_run_resumes_without_recomputing_or_losing_anything(tmp_path, monkeypatch):
    path = tmp_path / "run.jsonl"
    prove_many(INEQUALITIES[:2], resume=path, progress=False)
    with open(path, "a") as fh:  # a run killed while writing its third record
        fh.write('{"row": [0, 1')
    calls = []
    real = campaign._prove_one
    monkeypatch.setattr(campaign, "_prove_one", lambda a: calls.append(a[0]) or real(a))
    records = prove_many(INEQUALITIES, resume=path, progress=False)
    assert len(calls) == 2  # only the two missing inequalities were proved
    assert [r["status"] for r in records] == ["proved", "proved", "proved", "refuted"]
    assert len(load_campaign(path)) == 4
    assert check_campaign(path) == {"certificates": 3, "checked": 3, "failed": 0}


def test_check_campaign_catches_a_corrupted_certificate(tmp_path):
    path = tmp_path / "run.jsonl"
    prove_many(INEQUALITIES[2:3], resume=path, progress=False)
    rec = load_campaign(path)[0]
    cert = ContractionMap.from_dict(rec["certificate"])
    images = cert.images.copy()
    images[1] ^= 1  # vertex 100 is not a boundary vertex of MMI
    rec["certificate"] = ContractionMap(cert.lhs, cert.rhs, images, n_parties=3).to_dict(packed=True)
    path.write_text(json.dumps(rec) + "\n")
    assert check_campaign(path) == {"certificates": 1, "checked": 0, "failed": 1}


def test_packed_bits_round_trip_for_odd_sizes():
    cert = prove("S_AB + S_AC + S_BC >= S_A + S_B + S_C + S_ABC", progress=False).certificate
    packed = cert.to_dict(packed=True)
    assert len(packed["bits"]) < sum(len(s) for s in cert.to_dict()["images"])
    assert ContractionMap.from_dict(packed) == cert
    with pytest.raises(ValueError, match="bytes"):
        ContractionMap.from_dict(dict(packed, bits="AAAA"))


def test_thread_pool_gives_the_same_records(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as ex:
        records = prove_many(INEQUALITIES, executor=ex, resume=tmp_path / "r.jsonl", seed=5, progress=False)
    assert [r["status"] for r in records] == ["proved", "proved", "proved", "refuted"]
    here = prove_many(INEQUALITIES, seed=5, progress=False)
    drop = lambda r: {k: v for k, v in r.items() if k != "seconds"}  # noqa: E731
    assert [drop(r) for r in here] == [drop(r) for r in records]


def test_small_campaign_on_a_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        records = prove_many(INEQUALITIES[:3], executor=client.get_executor(), resume=tmp_path / "d.jsonl",
                             progress=False)
    assert [r["status"] for r in records] == ["proved"] * 3
    assert check_campaign(tmp_path / "d.jsonl")["checked"] == 3


def test_bad_arguments():
    with pytest.raises(TypeError, match="executor"):
        prove_many(INEQUALITIES, executor=object(), progress=False)
    with pytest.raises(ValueError, match="solver"):
        prove_many(INEQUALITIES, solver="nosuchsolver", progress=False)
    with pytest.raises(ValueError, match="2\\*\\*N - 1"):
        prove_many([[1, 1, -1, 0]], progress=False)


def test_the_shipped_slice_of_the_six_party_campaign_rechecks_without_a_solver():
    from pathlib import Path

    path = Path(__file__).parents[1] / "data" / "hec6" / "campaign_first20.jsonl"
    records = load_campaign(path)
    assert len(records) == 20 and all(r["status"] == "proved" for r in records)
    assert check_campaign(path) == {"certificates": 20, "checked": 20, "failed": 0}


def test_the_campaign_script_proves_resumes_and_rechecks(tmp_path, capsys):
    # benchmarks/campaign_hec6.py on 3 of the sampled six-party facets, run twice on one resume file
    import importlib.util
    from pathlib import Path

    root = Path(__file__).parents[2]
    spec = importlib.util.spec_from_file_location("campaign_hec6", root / "benchmarks" / "campaign_hec6.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    rows = json.loads((root / "tests" / "data" / "hec6" / "facets_sample50.json").read_text())["rows"][:3]
    facets, resume = tmp_path / "facets.json", tmp_path / "campaign.jsonl"
    facets.write_text(json.dumps(rows))
    script.main(["--facets", str(facets), "--resume", str(resume)])
    first = capsys.readouterr().out
    assert "status: {'proved': 3}" in first and "'checked': 3, 'failed': 0" in first
    script.main(["--facets", str(facets), "--resume", str(resume)])  # nothing left to do
    assert len(load_campaign(resume)) == 3 and "'checked': 3" in capsys.readouterr().out
