"""The runner: serial and executor runs agree, seeds are recorded, failures are reported (tiny fake parts)."""

from __future__ import annotations

import json
import re
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from qinfo.reproduce import TARGETS, Section, run_reproductions
from tests.reproduce._fake_parts import FAKE_TARGET


@pytest.fixture
def fake(monkeypatch):
    """A target ``fake`` made of the two fake parts."""
    monkeypatch.setitem(TARGETS, "fake", list(FAKE_TARGET))
    return "fake"


def _run(tmp_path, name="run", **kw):
    lines = []
    sections = run_reproductions(["fake"], out=tmp_path / name, echo=lines.append, progress=False, **kw)
    return sections, lines


def _numbers(sections):
    """Everything a run measured, without the timings."""
    return [(s.title, [(c.name, c.measured, c.published, c.agrees, c.note) for c in s.claims],
             [(t.title, t.rows) for t in s.tables], s.notes, [f.name for f in s.figures]) for s in sections]


def _untimed(lines):
    return [re.sub(r"\d+\.\d s\b", "T s", re.sub(r"/(serial|threads|processes)/", "/OUT/", line))
            for line in lines]


def test_sections_come_back_in_target_order_with_their_claims(tmp_path, fake):
    sections, lines = _run(tmp_path, seed=0)
    assert [s.title for s in sections] == ["seeded part", "differing part"]
    assert all(isinstance(s, Section) and s.seconds > 0 for s in sections)
    assert (tmp_path / "run" / "fake" / "hist.png").is_file()
    assert lines[0].startswith("\n=== seeded part (")


@pytest.mark.parametrize("pool", ["threads", "processes"])
def test_an_executor_gives_the_serial_numbers_and_printed_order(tmp_path, fake, pool):
    serial, serial_lines = _run(tmp_path, "serial", seed=5)
    make = ThreadPoolExecutor if pool == "threads" else ProcessPoolExecutor
    with make(2) as ex:
        parallel, parallel_lines = _run(tmp_path, pool, seed=5, executor=ex)
    assert _numbers(parallel) == _numbers(serial)
    assert _untimed(parallel_lines) == _untimed(serial_lines)
    # the slow part finished last but is printed first, as in the serial run
    titles = [line for line in parallel_lines if line.startswith("\n===")]
    assert [t.split(" (")[0] for t in titles] == ["\n=== seeded part", "\n=== differing part"]


def test_the_numbers_depend_on_the_seed(tmp_path, fake):
    a, _ = _run(tmp_path, "a", seed=1)
    b, _ = _run(tmp_path, "b", seed=2)
    assert _numbers(a) != _numbers(b)


def test_seed_none_draws_a_fresh_seed_that_is_recorded_and_repeats_the_run(tmp_path, fake):
    first, lines = _run(tmp_path, "first")  # seed=None
    report = (tmp_path / "first" / "report.md").read_text()
    seed = int(re.search(r"^- seed: (\d+)$", report, flags=re.M).group(1))
    assert f"seed {seed})" in lines[-1]
    again, _ = _run(tmp_path, "again", seed=seed)
    assert _numbers(again) == _numbers(first)


def test_a_differing_claim_is_printed_counted_and_written_as_such(tmp_path, fake):
    _, lines = _run(tmp_path, seed=0)
    assert "[DIFFERS] 1 + 1: measured 3; published 2 (deliberately wrong)" in lines
    assert "claims: 1 ok, 1 DIFFERS, 2 not decided or nothing published" in "\n".join(lines)
    report = (tmp_path / "run" / "report.md").read_text()
    assert "| 1 + 1 | 3 | 2 | no | deliberately wrong |" in report
    assert "claims: 1 ok, 1 DIFFERS, 2 not decided" in report
    claims = json.loads((tmp_path / "run" / "claims.json").read_text())
    assert [c["agrees"] for c in claims] == [True, None, None, False]


def test_a_part_that_raises_stops_the_run_with_its_error(tmp_path, fake, monkeypatch):
    import tests.reproduce._fake_parts as parts

    def broken(ctx):
        raise RuntimeError("part failed")

    monkeypatch.setattr(parts, "run", broken)
    with pytest.raises(RuntimeError, match="part failed"):
        _run(tmp_path, seed=0)
    with ThreadPoolExecutor(2) as ex, pytest.raises(RuntimeError, match="part failed"):
        _run(tmp_path, "pool", seed=0, executor=ex)


def test_an_interrupted_run_resumes_from_the_parts_it_finished(tmp_path, fake, monkeypatch):
    import tests.reproduce._fake_parts as parts
    import tests.reproduce._fake_parts_slow as slow

    full, _ = _run(tmp_path, "full", seed=3)
    real_run, calls = parts.run, []

    def broken(ctx):
        raise RuntimeError("killed")

    monkeypatch.setattr(parts, "run", broken)  # the second part dies; the first finished
    with pytest.raises(RuntimeError, match="killed"):
        _run(tmp_path, seed=3, resume=True)

    def counted(ctx):
        calls.append(ctx)
        return real_run(ctx)

    monkeypatch.setattr(parts, "run", counted)
    monkeypatch.setattr(slow, "run", broken)  # it must not run again
    resumed, lines = _run(tmp_path, seed=3, resume=True)
    assert len(calls) == 1
    assert [n[:3] for n in _numbers(resumed)] == [n[:3] for n in _numbers(full)]  # same claims, tables
    assert "reused from fake_parts_slow.section.json" in resumed[0].notes[-1]
    assert all(f.is_file() for f in resumed[0].figures)
    # without resume, or with another seed, or with a figure gone: the part runs again
    for kwargs in ({"seed": 3}, {"seed": 4, "resume": True}):
        with pytest.raises(RuntimeError, match="killed"):
            _run(tmp_path, **kwargs)
    resumed[0].figures[0].unlink()
    with pytest.raises(RuntimeError, match="killed"):
        _run(tmp_path, seed=3, resume=True)


def test_a_target_name_alone_and_all(tmp_path, fake, monkeypatch):
    sections = run_reproductions("fake", out=tmp_path, seed=0, echo=lambda line: None, progress=False)
    assert len(sections) == 2
    for name in [t for t in TARGETS if t != "fake"]:
        monkeypatch.delitem(TARGETS, name)
    assert len(run_reproductions(["all"], out=tmp_path, seed=0, echo=lambda line: None)) == 2


def test_a_part_module_that_does_not_exist_is_left_out(tmp_path, fake, monkeypatch):
    monkeypatch.setitem(TARGETS, "fake", [*FAKE_TARGET, "tests.reproduce._no_such_part"])
    sections, _ = _run(tmp_path, seed=0)
    assert len(sections) == 2


@pytest.mark.parametrize("kwargs, error, match", [
    ({"targets": ["nope"]}, ValueError, "unknown reproduction target"),
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"executor": "processes"}, TypeError, "executor"),
])
def test_bad_arguments_are_refused_before_any_part_runs(tmp_path, fake, kwargs, error, match):
    kwargs = {"targets": ["fake"], **kwargs}
    with pytest.raises(error, match=match):
        run_reproductions(out=tmp_path / "x", echo=lambda line: None, **kwargs)
    assert not (tmp_path / "x" / "fake").exists()


def test_every_target_lists_importable_private_part_modules():
    import importlib

    for target, parts in TARGETS.items():
        for name in parts:
            assert name.startswith("qinfo.reproduce._"), name
            assert callable(importlib.import_module(name).run)


@pytest.mark.slow  # two real parts, twice: 20-40 s
def test_real_parts_on_a_process_pool_give_the_serial_claims(tmp_path, monkeypatch):
    pytest.importorskip("pysat")
    monkeypatch.setitem(TARGETS, "small", ["qinfo.reproduce._hypergraph", "qinfo.reproduce._proofs"])

    def claims(sections):  # the tables hold timings; the claims do not
        return [[(c.name, c.measured, c.published, c.agrees) for c in s.claims] for s in sections]

    quiet = {"echo": lambda line: None, "progress": False, "seed": 0}
    serial = run_reproductions("small", out=tmp_path / "serial", **quiet)
    with ProcessPoolExecutor(2) as ex:
        parallel = run_reproductions("small", out=tmp_path / "pool", executor=ex, **quiet)
    assert claims(parallel) == claims(serial)
    assert [s.title for s in parallel] == [s.title for s in serial]
