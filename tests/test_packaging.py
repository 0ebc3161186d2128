"""The install: extras in pyproject.toml agree with qinfo/_optional.py, and ``import qinfo`` is lazy.

``qinfo._optional.EXTRAS`` names the extra of every optional module (``require``'s
error message points there); the tests below read pyproject.toml with tomllib and fail
when the two drift apart: a module whose extra does not exist or does not provide
it, an optional dependency that EXTRAS does not know, an extra left out of ``all``,
or an optional dependency in the core list.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from qinfo._optional import EXTRAS, require

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
OPTIONAL = PYPROJECT["project"]["optional-dependencies"]
#: Extras for working on qinfo, not features of it (not in EXTRAS, not in ``all``).
DEVELOPMENT = {"test", "docs", "bench"}
#: Top-level modules of the distributions whose import name is not the distribution's name.
IMPORT_NAMES = {"python-sat": {"pysat", "pysolvers"}, "dask": {"dask", "distributed"}}
SUBPACKAGES = ["entropy_cones", "tensor_networks", "vqc", "reproduce"]


def _modules(req: Requirement) -> set[str]:
    """Top-level modules a requirement provides (``dask[distributed]`` -> dask, distributed)."""
    name = req.name.lower()
    return IMPORT_NAMES.get(name, {name.replace("-", "_")})


def _requirements(extra: str) -> list[Requirement]:
    """The requirements of ``extra``, with ``qinfo[...]`` self-references expanded."""
    out = []
    for text in OPTIONAL[extra]:
        req = Requirement(text)
        if req.name == PYPROJECT["project"]["name"]:
            for inner in sorted(req.extras):
                out += _requirements(inner)
        else:
            out.append(req)
    return out


def _provided(extra: str) -> set[str]:
    return {m for req in _requirements(extra) for m in _modules(req)}


def test_every_module_in_EXTRAS_names_an_extra_that_installs_it():
    bad = {m: x for m, x in EXTRAS.items() if x not in OPTIONAL or m not in _provided(x)}
    assert bad == {}, f"EXTRAS names extras that do not exist or do not install the module: {bad}"


def test_every_optional_dependency_is_in_EXTRAS_under_its_own_extra():
    features = set(OPTIONAL) - DEVELOPMENT - {"all"}
    missing = []
    for extra in sorted(features):
        for text in OPTIONAL[extra]:
            req = Requirement(text)
            if req.name == PYPROJECT["project"]["name"]:
                continue  # a self-reference, e.g. ibm = ["qinfo[qiskit]", ...]
            missing += [f"{extra}: {m}" for m in sorted(_modules(req)) if EXTRAS.get(m) != extra]
    assert missing == [], f"optional dependencies missing from qinfo._optional.EXTRAS: {missing}"


def test_all_is_every_feature_extra():
    features = set(OPTIONAL) - DEVELOPMENT - {"all"}
    assert features == set(EXTRAS.values())
    assert _provided("all") == set().union(*(_provided(x) for x in features))


def test_the_core_dependencies_include_no_optional_module():
    core = {m for text in PYPROJECT["project"]["dependencies"] for m in _modules(Requirement(text))}
    assert core.isdisjoint(EXTRAS), sorted(core & set(EXTRAS))


def test_require_names_the_extra_of_a_missing_module(monkeypatch):
    monkeypatch.setitem(sys.modules, "cvxpy", None)  # makes ``import cvxpy`` raise ImportError
    with pytest.raises(ImportError, match=r"in_cone needs .*'cvxpy'.*pip install 'qinfo\[lp\]'"):
        require("cvxpy", feature="in_cone")


def test_require_reraises_for_a_module_that_is_not_optional():
    with pytest.raises(ModuleNotFoundError):
        require("no_such_module_anywhere")


def _python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (from the repository root, so this checkout is imported)."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_qinfo_imports_no_subpackage_and_no_numba():
    out = _python("import sys, json, qinfo; print(json.dumps(sorted(sys.modules)))")
    loaded = set(json.loads(out))
    assert {f"qinfo.{name}" for name in SUBPACKAGES}.isdisjoint(loaded)
    assert "numba" not in loaded


def test_subpackages_resolve_on_attribute_access():
    code = (
        "import importlib, json, qinfo\n"
        f"names = {SUBPACKAGES!r}\n"
        "print(json.dumps([getattr(qinfo, n) is importlib.import_module('qinfo.' + n) for n in names]))"
    )
    assert json.loads(_python(code)) == [True] * len(SUBPACKAGES)


def test_the_package_lists_its_subpackages_and_nothing_else_resolves():
    import qinfo

    assert set(SUBPACKAGES) <= set(qinfo.__all__) and set(SUBPACKAGES) <= set(dir(qinfo))
    with pytest.raises(AttributeError, match="no attribute 'vqcc'"):
        qinfo.vqcc  # noqa: B018


# -- optional imports happen inside functions ---------------------------------------------


def _import_time_imports(tree: ast.AST):
    """Import statements that run when the module is imported (not inside a def or lambda)."""
    stack = list(ast.iter_child_nodes(tree))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack += node.orelse  # the body only runs for type checkers
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack += ast.iter_child_nodes(node)


def test_no_qinfo_module_imports_an_optional_dependency_at_import_time():
    """Also on a full install, where importing would work: ``import qinfo.<pillar>`` must not need an extra."""
    bad = []
    for path in sorted((ROOT / "qinfo").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _import_time_imports(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if node.module and not node.level else [])
            bad += [f"{path.relative_to(ROOT)}:{node.lineno} imports {n}" for n in names
                    if n.split(".")[0] in EXTRAS]
    assert bad == [], "import these inside the function that needs them (qinfo._optional.require):\n" + "\n".join(bad)


def test_require_is_only_asked_for_optional_modules():
    bad = []
    for path in sorted((ROOT / "qinfo").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "require"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and node.args[0].value.split(".")[0] not in EXTRAS):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} require({node.args[0].value!r})")
    assert bad == [], "modules missing from qinfo._optional.EXTRAS (or not optional):\n" + "\n".join(bad)
