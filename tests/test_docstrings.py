"""numpydoc validation of every public name and its public methods (issue 19).

The same checks run in the docs build (``numpydoc_validation_checks`` in
``docs/conf.py``), so the docs fail with the same message as this test.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

validate = pytest.importorskip("numpydoc.validate").validate

PILLARS = ["qinfo.entropy_cones", "qinfo.tensor_networks", "qinfo.vqc", "qinfo.reproduce"]

#: Every parameter documented, none invented, each with a description; a runnable example; a docstring.
CHECKS = {"GL08", "PR01", "PR02", "PR03", "PR07", "PR10", "EX01"}


def _paths(pillar):
    mod = importlib.import_module(pillar)
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.ismodule(obj) or not hasattr(obj, "__qualname__"):
            continue
        path = f"{obj.__module__}.{obj.__qualname__}"
        yield path
        if inspect.isclass(obj) and obj.__module__.startswith("qinfo"):
            for attr, member in vars(obj).items():
                func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                if not attr.startswith("_") and inspect.isfunction(func):
                    yield f"{path}.{attr}"


@pytest.mark.parametrize("pillar", PILLARS)
def test_public_docstrings_pass_numpydoc_validation(pillar):
    bad = []
    for path in _paths(pillar):
        for code, msg in validate(path)["errors"]:
            if code in CHECKS:
                bad.append(f"{path}: {code} {msg}")
    assert bad == [], "\n".join(bad)
