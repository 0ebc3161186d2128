"""Optional dependencies: import them where they are needed, with an error that names the extra.

The core install (``pip install qinfo``) has what the entropy-cone core needs.
Everything else is an extra; see ``pyproject.toml``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "MissingExtraError", "require"]

#: The extra that provides each optional top-level module.
EXTRAS: dict[str, str] = {
    "cvxpy": "lp",
    "highspy": "lp",
    "pysat": "sat",
    "pysolvers": "sat",  # python-sat's compiled solvers (the direct Kissat path)
    "spherogram": "links",
    "qiskit": "qiskit",
    "qiskit_aer": "qiskit",
    "qiskit_ibm_runtime": "ibm",
    "pennylane": "pennylane",
    "distributed": "dask",
    "dask": "dask",
}


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the extra that provides it.

    An ``ImportError``, so ``except ImportError`` still catches it; the
    command line reports it as a one-line error (exit 2), not as a bug.

    Examples
    --------
    >>> issubclass(MissingExtraError, ImportError)
    True
    """


def require(module: str, *, feature: str | None = None) -> ModuleType:
    """Import ``module`` (e.g. ``"cvxpy"`` or ``"qiskit_aer.primitives"``), or raise a :class:`MissingExtraError` naming its extra.

    Parameters
    ----------
    module : str
        A dotted module name; its first component must be in :data:`EXTRAS`.
    feature : str, optional
        What needs it, for the message (e.g. ``"in_cone"``).

    Returns
    -------
    module

    Examples
    --------
    >>> require("numpy.linalg").__name__  # a core dependency works too
    'numpy.linalg'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        extra = EXTRAS.get(top)
        if extra is None:
            raise
        what = f"{feature} needs" if feature else "this needs"
        raise MissingExtraError(
            f"{what} the optional dependency {top!r}: install it with pip install 'qinfo[{extra}]' "
            f"(or 'qinfo[all]')"
        ) from exc
