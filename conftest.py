"""Skip the tests and doctests whose optional extra is not installed (networkx-style, found by itself).

On the core install (``pip install -e .[test]``, no extras; ``make test-core``) a test
that needs an optional dependency is *skipped* with a reason naming the extra, and
every other test must pass. A test file, test or doctest is skipped when

- it fails (at collection, in setup or while running) with an ImportError of a module
  of :data:`qinfo._optional.EXTRAS` that is not installed: a test file that does
  ``import cvxpy`` at the top, a test that calls a function needing cvxpy (through
  ``qinfo._optional.require`` or an ``import`` inside the function), a fixture or a
  doctest example that does;
- its failure message or captured output names a missing optional module (``No module
  named 'cvxpy'``, or ``require``'s hint ``pip install 'qinfo[lp]'``): a command-line
  error line, a subprocess's stderr, ``doctest.testfile``'s report;
- it is marked ``@pytest.mark.needs("cvxpy", ...)``, or its path or node id matches a
  pattern of :data:`NEEDS` (tests that fail some other way without the extra, e.g. an
  exit code checked after the error text was read and dropped).

One ImportError is *not* skipped: a qinfo module importing an optional dependency at
module level (so that ``import qinfo.<pillar>`` breaks on the core install). That
fails, with a note naming the line to fix.

This file sits at the repository root, not in tests/, so that its hooks also reach the
doctests collected from ``qinfo/`` (a conftest's hooks only see nodes below it). The
summary line ``skipped for a missing extra`` counts the files and tests per extra.
"""

from __future__ import annotations

import doctest
import fnmatch
import functools
import importlib.util
import re
from pathlib import Path

import pytest

import qinfo
from qinfo._optional import EXTRAS

ROOT = Path(__file__).resolve().parent
#: The qinfo package that runs (this checkout when installed editable, else site-packages).
QINFO = Path(qinfo.__file__).resolve().parent

#: Glob patterns -> the optional modules the matching tests need. A pattern matches a path
#: relative to the repository (a test file, or a qinfo module whose doctests run) or a
#: node id (``tests/x.py::test_y[param]``). Only for tests that fail some other way than
#: an ImportError or an error text without the extra; those are found by themselves.
#: Write patterns such as ``qinfo/vqc/*targets.py`` to match a module before and after
#: its rename to ``_targets.py``. A ``@pytest.mark.needs(...)`` in the test says the same.
NEEDS: dict[str, tuple[str, ...]] = {
    # `qinfo vqc evaluate` with --backend aer / statevector; these check the exit code only
    "tests/vqc/test_execution_cli.py::test_other_seed_starts_a_new_record_and_says_so": ("qiskit_aer",),
    "tests/vqc/test_execution_cli.py::test_corrupt_jobs_file_one_line_error_naming_it": ("qiskit_aer",),
    "tests/vqc/test_execution_cli.py::test_too_few_shots_refused_with_the_minimum": ("qiskit_aer",),
    "tests/vqc/test_execution_cli.py::test_results_printed_before_saving": ("qiskit",),
    "tests/cli/test_cli.py::test_vqc_evaluate_statevector_matches_exact_accuracy": ("qiskit",),
    "tests/cli/test_faults.py::test_evaluate_*": ("qiskit_aer",),
}

_SKIP_PREFIX = "needs qinfo["
_HINT = re.compile(r"pip install 'qinfo\[([a-z]+)\]'")
_NO_MODULE = re.compile(r"No module named '([\w.]+)'")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs(*modules): skip unless these optional modules (qinfo extras) are installed"
    )


@functools.cache
def _missing(module: str) -> bool:
    """Whether the top-level package of ``module`` is not installed here."""
    try:
        return importlib.util.find_spec(module.split(".")[0]) is None
    except (ImportError, ValueError):
        return True


def _reason(modules) -> str:
    """``needs qinfo[lp] (cvxpy not installed)``, one part per extra."""
    by_extra: dict[str, set[str]] = {}
    for m in modules:
        top = m.split(".")[0]
        by_extra.setdefault(EXTRAS.get(top, "?"), set()).add(top)
    return "; ".join(f"{_SKIP_PREFIX}{extra}] ({', '.join(sorted(mods))} not installed)"
                     for extra, mods in sorted(by_extra.items()))


def _declared(path: Path, item=None) -> list[str]:
    """Optional modules declared for ``path`` or ``item``'s node id (:data:`NEEDS`) and by ``needs`` marks."""
    try:
        names = [Path(path).resolve().relative_to(ROOT).as_posix()]
    except ValueError:
        names = [Path(path).as_posix()]
    if item is not None:
        names.append(item.nodeid)
    modules = [m for pattern, mods in NEEDS.items()
               if any(fnmatch.fnmatchcase(name, pattern) for name in names) for m in mods]
    if item is not None:
        modules += [m for mark in item.iter_markers("needs") for m in mark.args]
    return modules


def _chain(exc: BaseException):
    """``exc``, its causes and contexts, and the exception a doctest example raised."""
    seen, stack = set(), [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        stack += [e.__context__, e.__cause__]
        if isinstance(e, doctest.UnexpectedException):
            stack.append(e.exc_info[1])


def _importer(exc: BaseException):
    """The innermost frame of ``exc``'s traceback outside importlib and qinfo/_optional.py."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        name = frame.f_code.co_filename
        if "importlib" not in name and Path(name).resolve() != QINFO / "_optional.py":
            return frame
    return None


def _classify(exc: BaseException) -> tuple[str, str] | None:
    """``("skip", reason)``, ``("bad", note)`` or None, for what a test or a collector raised.

    "skip": ``exc`` comes from an optional module that is not installed, imported where
    that is allowed (a test, a doctest example, inside a qinfo function). "bad": a qinfo
    module imports a missing optional module at module level.
    """
    if isinstance(exc, BaseExceptionGroup):
        verdicts = [_classify(e) for e in exc.exceptions]
        if all(v is not None and v[0] == "skip" for v in verdicts):
            return "skip", "; ".join(sorted({v[1] for v in verdicts}))
        return next((v for v in verdicts if v is not None and v[0] == "bad"), None)
    for e in _chain(exc):
        if not isinstance(e, ImportError):
            continue
        missing = [m.name for m in _chain(e) if isinstance(m, ModuleNotFoundError) and m.name
                   and m.name.split(".")[0] in EXTRAS and _missing(m.name)]
        if not missing:
            continue
        frame = _importer(e)
        if frame is not None and frame.f_code.co_name == "<module>":
            path = Path(frame.f_code.co_filename).resolve()
            if path.is_relative_to(QINFO):
                return "bad", (
                    f"{path.relative_to(QINFO.parent).as_posix()}:{frame.f_lineno} imports {missing[0]!r} at module "
                    "level: an optional dependency must be imported inside the function that needs "
                    "it (qinfo._optional.require), so that the core install can import the module")
        return "skip", _reason(missing)
    return None


def _named_missing(text: str) -> list[str]:
    """Missing optional modules that ``text`` names: ``No module named 'cvxpy'`` or ``qinfo[lp]``."""
    extras = set(_HINT.findall(text))
    named = {m.split(".")[0] for m in _NO_MODULE.findall(text)}
    return [m for m, extra in EXTRAS.items() if (extra in extras or m in named) and _missing(m)]


def pytest_collection_modifyitems(config, items):
    for item in items:
        missing = [m for m in _declared(item.path, item) if _missing(m)]
        if missing:
            item.add_marker(pytest.mark.skip(reason=_reason(missing)))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    rep = yield
    call = getattr(rep, "call", None)
    path = getattr(collector, "path", None)
    if not rep.failed or call is None or call.excinfo is None or path is None:
        return rep
    declared = [m for m in _declared(path) if _missing(m)]
    verdict = ("skip", _reason(declared)) if declared else _classify(call.excinfo.value)
    if verdict is None:
        return rep
    kind, text = verdict
    if kind == "bad":
        rep.sections.append(("optional dependency imported at module level", text))
        return rep
    skipped = pytest.CollectReport(rep.nodeid, "skipped", (str(path), None, f"Skipped: {text}"), [])
    skipped.call = call
    return skipped


@pytest.hookimpl(wrapper=True)
def _skip_missing_extras(item):
    """Turn an ImportError of a missing extra into a skip, or into a clearer error for a bad import."""
    try:
        return (yield)
    except Exception as exc:
        verdict = _classify(exc)
        if verdict is None:
            raise
        kind, text = verdict
        if kind == "skip":
            raise pytest.skip.Exception(text, _use_item_location=True) from exc
        raise ImportError(text) from exc


pytest_runtest_setup = pytest_runtest_call = _skip_missing_extras  # fixtures, then the test


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # What the hooks above cannot see: a failure whose message or captured output names a
    # missing optional module (a command-line error line, doctest.testfile's report).
    rep = yield
    if rep.failed and call.excinfo is not None and not hasattr(rep, "wasxfail"):
        text = "\n".join([str(call.excinfo.value), *(content for _, content in rep.sections)])
        missing = _named_missing(text)
        if missing:
            rep.outcome = "skipped"
            rep.longrepr = (str(item.path), item.location[1], f"Skipped: {_reason(missing)}")
    return rep


def pytest_terminal_summary(terminalreporter):
    files: dict[str, set[str]] = {}
    tests: dict[str, int] = {}
    for rep in terminalreporter.stats.get("skipped", ()):
        longrepr = getattr(rep, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else ""
        for extra in re.findall(re.escape(_SKIP_PREFIX) + r"([a-z?]+)\]", reason):
            if getattr(rep, "when", None) == "collect":  # a whole file or module
                files.setdefault(extra, set()).add(str(longrepr[0]))
            else:
                tests[extra] = tests.get(extra, 0) + 1
    if files or tests:
        counts = ", ".join(f"{extra}: {len(files.get(extra, ()))} files, {tests.get(extra, 0)} tests"
                           for extra in sorted(set(files) | set(tests)))
        terminalreporter.write_line(f"skipped for a missing extra: {counts}")
