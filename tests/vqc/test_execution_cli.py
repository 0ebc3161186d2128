"""``qinfo vqc evaluate`` on execution targets: options from flags, resume keyed by settings, kill -9.

Oracles: the model's exact simulator (``exact_accuracy`` against
``metrics.json``), the jobs file itself (what ran, what was reused), and a
real ``kill -9`` of a subprocess at a chosen point.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qinfo.cli import main

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "qinfo-test-token-5d7e0b1f"


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("vqc") / "run"
    assert main(["vqc", "train", "--encoding", "mhe", "--epochs", "2", "--n-per-combination", "2",
                 "--no-progress", "--out", str(out)]) == 0
    return out


@pytest.fixture
def run_dir(trained, tmp_path):
    """A fresh copy of the trained run (each test gets its own jobs files)."""
    dest = tmp_path / "run"
    dest.mkdir()
    for name in ("config.json", "model.npz", "metrics.json"):
        (dest / name).write_bytes((trained / name).read_bytes())
    return dest


# inverse test: 6 qubits, fits the 7-qubit fake_perth (small devices simulate fast)
FAKE = ["--backend", "fake_perth", "--method", "inverse", "--shots", "1000", "--split", "val",
        "--twirling", "--dd", "XY4", "--max-circuits-per-job", "5", "--no-progress"]


def _evaluation(run: Path) -> dict:
    (path,) = run.glob("evaluation-*.json")
    return json.loads(path.read_text())


def test_fake_backend_with_twirling_and_dd_from_flags_records_its_options(run_dir, capsys, monkeypatch,
                                                                          caplog):
    monkeypatch.setenv("QISKIT_IBM_TOKEN", TOKEN)
    with caplog.at_level(logging.DEBUG):  # every logger, every level
        code, out, err = run_cli(capsys, "vqc", "evaluate", run_dir, *FAKE)
    assert code == 0, err
    assert "error suppression: twirling True, dynamical decoupling XY4" in out
    result = _evaluation(run_dir)
    assert result["options"] == {"shots": 1000, "optimization_level": 2, "seed_transpiler": 0,
                                 "twirling": True, "dynamical_decoupling": "XY4",
                                 "readout_mitigation": False, "mode": "job", "max_circuits_per_job": 5}
    pairs = result["pairs"]
    assert len(pairs) == result["n_predictions"] == 12
    assert all(p["shots"] >= 1000 and 0 < p["kept_shots"] <= p["shots"] for p in pairs)
    assert result["jobs"]["submitted"] == 3 and len(result["jobs"]["job_ids"]) == 3
    (circuit,) = result["circuits"]
    assert len(circuit["sha256"]) == 64 and len(circuit["layout"]) == circuit["width"] == 6
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert result["exact_accuracy"] == pytest.approx(metrics["val_acc"])
    written = "".join(p.read_text(errors="replace") for p in run_dir.iterdir() if p.suffix == ".json")
    assert TOKEN not in written + out + err + caplog.text


_STOPPED = """
import sys, threading
from pathlib import Path
import qinfo.vqc._execution.jobs as jobs
marker, after, where = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
real, seen = getattr(jobs.ResumeFile, where), []
def record_then_wait(self, *args, **kwargs):
    real(self, *args, **kwargs)
    seen.append(1)
    if len(seen) == after:
        marker.write_text("stopped")  # tell the parent, then wait here for its kill -9
        threading.Event().wait()
setattr(jobs.ResumeFile, where, record_then_wait)
from qinfo.cli import main
sys.exit(main(sys.argv[4:]))
"""


def _killed_run(run: Path, after: int, where: str = "record_result"):
    """Run ``qinfo vqc evaluate`` in a subprocess and ``kill -9`` it from outside.

    The child stops right after its ``after``-th ``ResumeFile.<where>`` call
    (``record_result``: a job collected; ``record_submitted``: a job in flight)
    and waits; the parent then sends SIGKILL, so nothing in the child cleans up.
    """
    marker = run.parent / "stopped"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QISKIT_IBM_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-c", _STOPPED, str(marker), str(after), where,
                             "vqc", "evaluate", str(run), *FAKE], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not marker.exists() and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), proc.communicate()[1]
    os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err
    assert not list(run.glob("evaluation-*.json"))  # killed before the report was written
    return out + err


def test_resumes_after_kill_9_mid_run_with_zero_resubmitted_jobs(run_dir, capsys):
    printed = _killed_run(run_dir, after=1)  # one of three jobs collected, then kill -9
    (jobs_file,) = run_dir.glob("jobs-*.json")
    stored = json.loads(jobs_file.read_text())
    assert stored["settings"]["options"]["twirling"] is True
    assert stored["settings"]["options"]["dynamical_decoupling"] == "XY4"
    assert [("outcomes" in e) for e in stored["jobs"].values()] == [True]  # nothing else in flight

    code, out, err = run_cli(capsys, "vqc", "evaluate", run_dir, *FAKE)
    assert code == 0 and "resuming from" in err
    result = _evaluation(run_dir)
    assert result["jobs"]["resubmitted"] == []
    assert result["jobs"]["reused"] == 1 and result["jobs"]["submitted"] == 2
    assert result["options"]["twirling"] is True and result["options"]["dynamical_decoupling"] == "XY4"
    assert TOKEN not in printed + jobs_file.read_text() + out + err


@pytest.mark.slow
def test_kill_9_after_the_last_job_resubmits_nothing(run_dir, capsys):
    _killed_run(run_dir, after=3)  # every job collected, killed before the report
    code, _, err = run_cli(capsys, "vqc", "evaluate", run_dir, *FAKE)
    assert code == 0, err
    jobs = _evaluation(run_dir)["jobs"]
    assert jobs["reused"] == 3 and jobs["submitted"] == 0 and jobs["resubmitted"] == []


@pytest.mark.slow
def test_kill_9_with_a_job_in_flight_resubmits_only_that_job(run_dir, capsys, caplog):
    # local testing mode cannot look a job up by id after the process died, so the one job
    # in flight is submitted again (with a warning); on IBM Quantum it would be fetched
    _killed_run(run_dir, after=2, where="record_submitted")
    with caplog.at_level(logging.WARNING, logger="qinfo.vqc.backends"):
        code, _, err = run_cli(capsys, "vqc", "evaluate", run_dir, *FAKE)
    assert code == 0, err
    assert "cannot be looked up on this target; resubmitting" in caplog.text
    jobs = _evaluation(run_dir)["jobs"]
    assert jobs["reused"] == 1 and jobs["submitted"] == 2 and len(jobs["resubmitted"]) == 1


def test_readout_mitigation_from_the_flag_records_the_measured_error_rates(run_dir, capsys):
    args = [a for a in FAKE if a not in ("--twirling", "--dd", "XY4")] + ["--readout-mitigation"]
    code, out, err = run_cli(capsys, "vqc", "evaluate", run_dir, *args)
    assert code == 0, err
    assert "readout mitigation: qubits" in out
    result = _evaluation(run_dir)
    assert result["options"]["readout_mitigation"] is True
    (readout,) = result["readout"]
    assert len(readout["qubits"]) == result["circuits"][0]["width"] == 6 and readout["shots"] == 1000
    assert all(0 < p < 0.5 for p in readout["p01"] + readout["p10"])  # fake_perth's readout is noisy


def test_other_seed_starts_a_new_record_and_says_so(run_dir, capsys):
    base = ["vqc", "evaluate", run_dir, "--backend", "aer", "--shots", "1000", "--no-progress", "--json"]
    code, out0, _ = run_cli(capsys, *base, "--seed", "0")
    assert code == 0
    code, out1, err = run_cli(capsys, *base, "--seed", "1")
    assert code == 0 and "hold runs with other settings" in err
    first, second = json.loads(out0), json.loads(out1)
    assert second["jobs"]["submitted"] == 1 and second["jobs"]["reused"] == 0
    assert first["pairs"] != second["pairs"]  # new shots, not the old ones
    assert len(list(run_dir.glob("jobs-*.json"))) == 2
    code, out2, err = run_cli(capsys, *base, "--seed", "1")
    assert "resuming from" in err and json.loads(out2)["jobs"]["reused"] == 1


def test_corrupt_jobs_file_one_line_error_naming_it(run_dir, capsys):
    args = ["vqc", "evaluate", run_dir, "--backend", "aer", "--shots", "1000", "--no-progress"]
    assert run_cli(capsys, *args)[0] == 0
    (jobs_file,) = run_dir.glob("jobs-*.json")
    jobs_file.write_text(jobs_file.read_text()[:-20])  # truncated
    code, _, err = run_cli(capsys, *args)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"{jobs_file}: not a qinfo jobs file (invalid JSON" in err and "delete it to start over" in err


def test_too_few_shots_refused_with_the_minimum(run_dir, capsys):
    code, _, err = run_cli(capsys, "vqc", "evaluate", run_dir, "--backend", "aer", "--shots", "1",
                           "--no-progress")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "--shots 1 is too few" in err and "at least" in err
    assert not list(run_dir.glob("jobs-*.json"))  # refused before anything ran


def test_unwritable_folder_refused_before_any_work(run_dir, capsys, monkeypatch):
    import qinfo.vqc._backends as backends

    import qinfo._io

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(qinfo._io.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(backends, "evaluate", lambda *a, **k: pytest.fail("work started"))
    code, _, err = run_cli(capsys, "vqc", "evaluate", run_dir, "--backend", "aer", "--no-progress")
    assert code == 2 and "cannot write there (Permission denied)" in err


def test_results_printed_before_saving(run_dir, capsys, monkeypatch):
    import qinfo._io as io

    real = io.atomic_write

    def fail_on_report(path, text):
        if Path(path).name.startswith("evaluation-"):
            raise FileNotFoundError(2, "disk gone", str(path))
        return real(path, text)

    monkeypatch.setattr(io, "atomic_write", fail_on_report)
    code, out, _ = run_cli(capsys, "vqc", "evaluate", run_dir, "--backend", "statevector", "--no-progress")
    assert code == 2 and "accuracy" in out  # the numbers reached the terminal


def test_calibrate_split_reports_both_accuracies(run_dir, capsys):
    code, out, err = run_cli(capsys, "vqc", "evaluate", run_dir, "--backend", "aer", "--shots", "2000",
                             "--split", "test", "--calibrate", "val", "--no-progress", "--json")
    assert code == 0, err
    result = json.loads(out)
    cal = result["calibrated"]
    assert cal["n_pairs"] == 12 and len(cal["pairs"]) == 12
    assert 0 <= cal["accuracy_interval"][0] <= cal["accuracy"] <= cal["accuracy_interval"][1] <= 1
    assert result["jobs"]["submitted"] == 1  # calibration pairs ran in the same job
    code, _, err = run_cli(capsys, "vqc", "evaluate", run_dir, "--backend", "aer", "--calibrate", "test")
    assert code == 2 and "must differ from --split" in err
