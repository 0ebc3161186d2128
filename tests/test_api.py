"""The public surface and the shared conventions, checked on every pillar (issue 19).

One table per pillar: ``qinfo/<pillar>/__init__.py`` lists the public names in
``__all__``; implementation modules are private (``_name.py``); ``docs/api``
documents exactly that list; no import cycles; no module imports another
module's private names; every public callable follows the conventions of
DESIGN.md (``seed=None`` keyword-only, ``progress=None`` meaning "a bar when
stderr is a terminal", ``executor=`` wherever there is a progress bar, one
status vocabulary with one ``.reason``).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "qinfo"
PILLARS = ["qinfo.entropy_cones", "qinfo.tensor_networks", "qinfo.vqc", "qinfo.reproduce"]

#: Callables that show a progress bar over work that cannot be spread over workers, with the reason.
SEQUENTIAL = {
    # progress= is a constructor setting (scikit-learn style); the bar is over the epochs of fit.
    # Many models (one per seed) go on an executor through qinfo.vqc.fit_seeds.
    "qinfo.vqc.CaptionModel": "epochs of one model run one after another",
    "qinfo.vqc.ClassicalDisCoCat": "epochs of one model run one after another",
    "qinfo.vqc.evaluate": "its jobs go to one execution target: a device queues them all at once, a local "
                          "simulator runs one at a time on every core, and the resume file records each as it ends",
    "qinfo.vqc.get_backend": "builds the Backend whose jobs go to one execution target (see qinfo.vqc.evaluate)",
    "qinfo.vqc.Backend": "its jobs go to one execution target (see qinfo.vqc.evaluate)",
}

#: Allowed values of ``status`` on result records, by class name.
STATUSES = {
    "ProofResult": {"proved", "refuted", "undecided"},
    "ConeCheck": {"inside", "outside", "undecided"},
}


def _pillar_dir(pillar: str) -> Path:
    return ROOT.joinpath(*pillar.split("."))


def _public_callables(pillar: str):
    """(qualified name, callable) for every public function, class constructor and public method."""
    mod = importlib.import_module(pillar)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.ismodule(obj):
            continue
        qual = f"{pillar}.{name}"
        if inspect.isclass(obj):
            if not obj.__module__.startswith("qinfo"):
                continue
            if not dataclasses.is_dataclass(obj) and "__init__" in vars(obj):
                yield qual, obj.__init__
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                if inspect.isfunction(func):
                    yield f"{qual}.{attr}", func
        elif callable(obj):
            yield qual, obj


# -- one public table per pillar --------------------------------------------------------


@pytest.mark.parametrize("pillar", PILLARS)
def test_implementation_modules_are_private(pillar):
    """Every module under a pillar is ``_name.py`` (or lives in a ``_name/`` package), except ``__init__``."""
    public = []
    for path in sorted(_pillar_dir(pillar).rglob("*.py")):
        rel = path.relative_to(_pillar_dir(pillar))
        parts = rel.parts[:-1] + ((rel.stem,) if rel.stem != "__init__" else ())
        if parts and not any(p.startswith("_") for p in parts):
            public.append(str(rel))
    assert public == [], f"public implementation modules in {pillar}: {public}"


@pytest.mark.parametrize("pillar", PILLARS)
def test_init_exports_every_name_it_lists(pillar):
    mod = importlib.import_module(pillar)
    names = mod.__all__
    assert len(names) == len(set(names)), "a name is listed twice"
    missing = [n for n in names if not hasattr(mod, n)]
    assert missing == []
    assert "__getattr__" not in vars(mod), "pillars import their names eagerly from one table"


def _documented_names(pillar: str) -> set[str]:
    rst = ROOT / "docs" / "api" / f"{pillar.split('.')[-1]}.rst"
    text = rst.read_text()
    names, in_summary = set(), False
    for line in text.splitlines():
        if line.startswith(".. autosummary::"):
            in_summary = True
            continue
        if in_summary:
            stripped = line.strip()
            if not stripped or stripped.startswith(":"):
                continue
            if not line.startswith("   "):
                in_summary = False
                continue
            names.add(stripped)
    auto = re.findall(r"^\.\. auto(?:function|class|data)::\s*(?:%s\.)?(\S+)" % re.escape(pillar),
                      text, flags=re.M)
    return names | set(auto)


@pytest.mark.parametrize("pillar", PILLARS)
def test_docs_list_exactly_the_public_names(pillar):
    mod = importlib.import_module(pillar)
    documented = _documented_names(pillar)
    public = set(mod.__all__)
    assert sorted(documented - public) == [], "documented but not exported"
    assert sorted(public - documented) == [], "exported but not documented"


# -- imports ------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imports(path: Path):
    """(imported module, imported names) for every import in the file, at any depth, outside TYPE_CHECKING."""
    tree = ast.parse(path.read_text())
    name = _module_name(path)
    is_pkg = path.name == "__init__.py"
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            yield target, [a.name for a in node.names]


def _graph():
    modules = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        for target, names in _imports(path):
            if not target.startswith("qinfo"):
                continue
            for n in names:  # ``from pkg import submodule``
                if f"{target}.{n}" in modules:
                    graph[mod].add(f"{target}.{n}")
            if target in modules and not (mod.startswith(target + ".")
                                          and all(f"{target}.{n}" in modules for n in names)):
                graph[mod].add(target)
    return graph


def test_no_import_cycles():
    """No cycle among qinfo's modules, counting imports inside functions too.

    A module's own package ``__init__`` counts as well: a submodule that imports
    from its package's table while the table imports the submodule is a cycle.
    """
    graph = _graph()
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_module_imports_private_names_of_another():
    """``from qinfo.x._y import _helper`` reaches into another module; shared helpers have public names."""
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        for target, names in _imports(path):
            if target and target.startswith("qinfo"):
                bad += [f"{_module_name(path)}: {target}.{n}" for n in names
                        if n.startswith("_") and n != "__version__"]
    assert bad == []


# -- conventions on every public callable -----------------------------------------------


def _all_callables():
    return [(q, f) for p in PILLARS for q, f in _public_callables(p)]


@pytest.mark.parametrize("pillar", PILLARS)
def test_seed_is_keyword_only_and_defaults_to_none(pillar):
    bad = []
    for qual, func in _public_callables(pillar):
        params = inspect.signature(func).parameters
        for forbidden in ("rng", "random_state"):
            if forbidden in params:
                bad.append(f"{qual}: takes {forbidden!r}; use seed=")
        p = params.get("seed")
        if p is not None and (p.kind is not p.KEYWORD_ONLY or p.default is not None):
            bad.append(f"{qual}: seed must be keyword-only with default None")
    assert bad == []


@pytest.mark.parametrize("pillar", PILLARS)
def test_progress_defaults_to_a_bar_on_terminals_only(pillar):
    bad = [q for q, f in _public_callables(pillar)
           if "progress" in (ps := inspect.signature(f).parameters) and ps["progress"].default is not None]
    assert bad == [], "progress must default to None (a bar only when stderr is a terminal)"


@pytest.mark.parametrize("pillar", PILLARS)
def test_progress_bars_come_with_an_executor(pillar):
    """Work long enough for a progress bar is work that can be spread over an executor."""
    bad = []
    for qual, func in _public_callables(pillar):
        params = inspect.signature(func).parameters
        if "progress" in params and qual not in SEQUENTIAL:
            p = params.get("executor")
            if p is None or p.kind is not p.KEYWORD_ONLY or p.default is not None:
                bad.append(qual)
    assert bad == [], "these show a progress bar but take no keyword-only executor=None"


@pytest.mark.parametrize("qual", ["qinfo.entropy_cones.prove", "qinfo.entropy_cones.prove_many",
                                  "qinfo.entropy_cones.discover_inequalities",
                                  "qinfo.reproduce.run_reproductions"])
def test_long_runs_take_an_executor(qual):
    module, name = qual.rsplit(".", 1)
    func = getattr(importlib.import_module(module), name)
    assert "executor" in inspect.signature(func).parameters


def test_status_vocabulary_and_one_reason_field():
    """Result records with a ``status`` use one vocabulary and explain it in ``.reason``."""
    seen = set()
    for pillar in PILLARS:
        mod = importlib.import_module(pillar)
        for name in mod.__all__:
            cls = getattr(mod, name)
            if not (inspect.isclass(cls) and dataclasses.is_dataclass(cls)):
                continue
            fields = {f.name for f in dataclasses.fields(cls)}
            if "status" not in fields:
                continue
            seen.add(name)
            assert "reason" in fields, f"{name} has a status but no reason"
            assert not fields & {"note", "message"}, f"{name}: the explanation is .reason"
    assert set(STATUSES) <= seen
    from qinfo.entropy_cones import ConeCheck, ProofResult

    for cls in (ProofResult, ConeCheck):
        src = inspect.getsource(importlib.import_module(cls.__module__))
        used = set(re.findall(r"status\s*=\s*[\"'](\w+)[\"']", src))
        assert used <= STATUSES[cls.__name__], f"{cls.__name__} uses {used - STATUSES[cls.__name__]}"
