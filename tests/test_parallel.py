"""``progress=None`` draws a bar on a terminal only, so logs need no ``TQDM_DISABLE`` (issue 19).

Every ``progress=`` argument in qinfo defaults to None and goes through
``qinfo._parallel.show_progress``; ``parallel_map`` is the loop most of them use.
"""

from __future__ import annotations

import io
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from qinfo._parallel import parallel_map, show_progress


class _Stream(io.StringIO):
    """A stderr stand-in that says whether it is a terminal."""

    def __init__(self, tty: bool):
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture(autouse=True)
def no_tqdm_env(monkeypatch):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)  # what is shown must not depend on it


@pytest.mark.parametrize("tty", [False, True])
def test_none_shows_a_bar_exactly_when_stderr_is_a_terminal(monkeypatch, tty):
    monkeypatch.setattr(sys, "stderr", _Stream(tty))
    assert show_progress(None) is tty
    assert show_progress(True) is True and show_progress(False) is False


def test_a_stderr_without_isatty_counts_as_no_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", object())
    assert show_progress(None) is False


@pytest.mark.parametrize("executor", [None, "threads"])
def test_parallel_map_writes_nothing_to_a_log(monkeypatch, executor):
    log = _Stream(tty=False)
    monkeypatch.setattr(sys, "stderr", log)
    if executor is None:
        out = parallel_map(abs, range(-5, 5), desc="work")
    else:
        with ThreadPoolExecutor(2) as ex:
            out = parallel_map(abs, range(-5, 5), executor=ex, desc="work", chunksize=3)
    assert out == [abs(x) for x in range(-5, 5)]
    assert log.getvalue() == ""


def test_parallel_map_draws_a_bar_on_a_terminal(monkeypatch):
    term = _Stream(tty=True)
    monkeypatch.setattr(sys, "stderr", term)
    assert parallel_map(abs, [-1, 2], desc="work") == [1, 2]
    assert "work" in term.getvalue()
