"""Hold the docs build's numpydoc validation to what tests/test_docstrings.py checks.

numpydoc validates every docstring autodoc renders; the test validates the public
functions and classes and their public methods. ``numpydoc_validation_exclude`` in
conf.py leaves out names with a private part; this extension also leaves out
properties, attributes and data (nothing to document as parameters, no example asked),
which numpydoc's name patterns cannot tell apart from methods. It wraps the compiled
``numpydoc_validation_excluder`` numpydoc builds from the patterns (numpydoc calls its
``search(name)``), once numpydoc has built it.
"""

from __future__ import annotations

import functools
import importlib
import inspect


@functools.cache
def _resolve(name: str):
    """The object a dotted name documents (a class's descriptors not run); None if not found."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:  # getattr on modules: a package may export lazily
                obj = getattr(obj, attr) if inspect.ismodule(obj) else inspect.getattr_static(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _is_routine_or_class(obj) -> bool:
    if isinstance(obj, (property, functools.cached_property)):
        return False
    if isinstance(obj, (classmethod, staticmethod)):
        return True
    return inspect.isclass(obj) or callable(obj)


class _Excluder:
    """``search(name)`` is true for what validation leaves out."""

    def __init__(self, patterns):
        self.patterns = patterns

    def search(self, name: str) -> bool:
        if self.patterns is not None and self.patterns.search(name):
            return True
        obj = _resolve(name)
        return obj is not None and not _is_routine_or_class(obj)


def _wrap_excluder(app) -> None:
    config = app.config
    if not isinstance(getattr(config, "numpydoc_validation_excluder", None), _Excluder):
        config.numpydoc_validation_excluder = _Excluder(getattr(config, "numpydoc_validation_excluder", None))


def setup(app):
    app.setup_extension("numpydoc")
    app.connect("builder-inited", _wrap_excluder)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
