"""The root conftest's verdicts on failures: skip for a missing extra, fail for a module-level import.

The hooks themselves run on every test; here their decision is checked on exceptions
made on purpose, with the extras made to look missing (so this runs on any install).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from qinfo._optional import EXTRAS, require

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def hooks(monkeypatch):
    """The root conftest.py, loaded on its own, with every optional module missing."""
    spec = importlib.util.spec_from_file_location("_qinfo_root_conftest", ROOT / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "_missing", lambda name: name.split(".")[0] in EXTRAS)
    # ``import name`` raises ModuleNotFoundError, for submodules another test imported too
    for name in [m for m in sys.modules if m.split(".")[0] in EXTRAS] + list(EXTRAS):
        monkeypatch.setitem(sys.modules, name, None)
    return mod


def _raised(func):
    try:
        func()
    except BaseException as exc:  # noqa: BLE001 - the exception is the result
        return exc
    raise AssertionError("nothing raised")


def _import_cvxpy():
    import cvxpy  # noqa: F401


def test_an_import_inside_a_test_or_function_is_skipped_naming_the_extra(hooks):
    assert hooks._classify(_raised(_import_cvxpy)) == ("skip", "needs qinfo[lp] (cvxpy not installed)")


def test_require_inside_a_function_is_skipped(hooks):
    verdict = hooks._classify(_raised(lambda: require("qiskit_aer.primitives", feature="aer")))
    assert verdict == ("skip", "needs qinfo[qiskit] (qiskit_aer not installed)")


def test_a_module_level_import_in_qinfo_fails_naming_the_line(hooks):
    code = compile("import numpy\nimport spherogram\n", str(ROOT / "qinfo" / "_made_up.py"), "exec")
    kind, note = hooks._classify(_raised(lambda: exec(code, {})))
    assert kind == "bad" and note.startswith("qinfo/_made_up.py:2 imports 'spherogram' at module level")


def test_a_module_level_import_in_a_test_file_is_skipped(hooks):
    code = compile("import pysat.solvers\n", str(ROOT / "tests" / "test_made_up.py"), "exec")
    assert hooks._classify(_raised(lambda: exec(code, {}))) == ("skip", "needs qinfo[sat] (pysat not installed)")


def test_a_doctest_failure_and_an_exception_group_are_looked_into(hooks):
    import doctest

    exc = _raised(_import_cvxpy)
    wrapped = doctest.UnexpectedException(None, None, (type(exc), exc, exc.__traceback__))
    assert hooks._classify(wrapped)[0] == "skip"
    group = ExceptionGroup("two", [exc, _raised(lambda: require("pennylane"))])
    assert hooks._classify(group) == ("skip", "needs qinfo[lp] (cvxpy not installed); "
                                              "needs qinfo[pennylane] (pennylane not installed)")
    assert hooks._classify(ExceptionGroup("mixed", [exc, ValueError("x")])) is None


def test_other_failures_are_left_alone(hooks):
    assert hooks._classify(_raised(lambda: __import__("no_such_module_anywhere"))) is None
    assert hooks._classify(ValueError("No module named 'cvxpy' is not an ImportError")) is None


def test_error_text_naming_a_missing_module_or_extra(hooks):
    line = "qinfo vqc evaluate: internal error: ModuleNotFoundError: No module named 'qiskit_aer'"
    assert hooks._named_missing(line) == ["qiskit_aer"]
    assert set(hooks._named_missing("install it with pip install 'qinfo[lp]'")) == {"cvxpy", "highspy"}
    assert hooks._named_missing("No module named 'numpy'") == []


def test_declared_needs_match_paths_and_node_ids(hooks, monkeypatch):
    monkeypatch.setattr(hooks, "NEEDS", {"qinfo/vqc/*targets.py": ("qiskit",),
                                         "tests/x.py::test_evaluate_*": ("qiskit_aer",)})
    assert hooks._declared(ROOT / "qinfo" / "vqc" / "execution" / "_targets.py") == ["qiskit"]

    class Item:
        nodeid = "tests/x.py::test_evaluate_twice[list]"

        def iter_markers(self, name):
            return [pytest.mark.needs("dask").mark]

    assert hooks._declared(ROOT / "tests" / "x.py", Item()) == ["qiskit_aer", "dask"]
