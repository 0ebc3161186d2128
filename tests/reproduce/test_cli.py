"""``qinfo reproduce``: exit status when a claim differs (0, or 3 with --strict), --workers, --seed, --progress."""

from __future__ import annotations

import re

import pytest

from qinfo.cli import DIFFERS_EXIT, build_parser, main
from qinfo.reproduce import TARGETS
from tests.reproduce._fake_parts import FAKE_TARGET


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setitem(TARGETS, "fake", list(FAKE_TARGET))


def run(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_a_differing_claim_is_reported_and_exits_0_without_strict(tmp_path, capsys, fake):
    code, out, err = run(capsys, "reproduce", "fake", "--quick", "--out", tmp_path, "--no-progress")
    assert code == 0, err
    assert "[DIFFERS] 1 + 1" in out
    assert "claims: 1 ok, 1 DIFFERS, 2 not decided or nothing published" in out
    assert (tmp_path / "report.md").is_file()


def test_strict_exits_3_naming_the_differing_claims(tmp_path, capsys, fake):
    code, out, err = run(capsys, "reproduce", "fake", "--quick", "--out", tmp_path, "--strict")
    assert code == DIFFERS_EXIT == 3
    assert err.strip().splitlines() == ["qinfo reproduce: 1 claim(s) differ from the published values: 1 + 1"]
    assert (tmp_path / "report.md").is_file()  # the report is written all the same


def test_strict_exits_0_when_nothing_differs(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(TARGETS, "fake", [FAKE_TARGET[0]])
    code, _, err = run(capsys, "reproduce", "fake", "--out", tmp_path, "--strict")
    assert code == 0, err


def test_workers_print_what_one_process_prints(tmp_path, capsys, fake):
    outs = []
    for workers in (1, 2):
        code, out, err = run(capsys, "reproduce", "fake", "--quick", "--seed", 3, "--workers", workers,
                             "--out", tmp_path / f"w{workers}")
        assert code == 0, err
        outs.append(re.sub(r"\d+\.\d s\b", "T s", out.replace(str(tmp_path / f"w{workers}"), "W")))
    assert outs[0] == outs[1]
    assert "seed 3)" in outs[0]


@pytest.mark.parametrize("argv, fragment", [
    (["--workers", "0"], "--workers: must be >= 1, got 0"),
    (["--workers", "two"], "--workers: expected an integer, got 'two'"),
    (["--seed", "-1"], "--seed: must be >= 0, got -1"),
])
def test_bad_integer_options_are_one_line_usage_errors(tmp_path, capsys, fake, argv, fragment):
    code, out, err = run(capsys, "reproduce", "fake", "--out", tmp_path, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and fragment in err
    assert not (tmp_path / "report.md").exists()


def test_an_unknown_target_is_a_one_line_error(tmp_path, capsys):
    code, _, err = run(capsys, "reproduce", "nope", "--out", tmp_path)
    assert code == 2 and "unknown reproduction target" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("words", [["reproduce"], ["rtn", "sample"], ["vqc", "train", "--out", "x"],
                                   ["vqc", "evaluate", "d", "--backend", "aer"]])
def test_progress_defaults_to_terminal_detection_on_every_command(words):
    parser = build_parser()
    assert parser.parse_args(words).progress is None
    assert parser.parse_args([*words, "--progress"]).progress is True
    assert parser.parse_args([*words, "--no-progress"]).progress is False
    assert parser.parse_args(words).seed == 0
