"""python-sat's Kissat and CaDiCaL 1.9.5 through their C and C++ APIs, for the contraction search.

python-sat ships both solvers inside its ``pysolvers`` extension and exports
their symbols: Kissat's C API (``kissat_init``, ``kissat_add``,
``kissat_solve``, ``kissat_terminate``, ...) and the methods of
``CaDiCaL195::Solver`` (``add``, ``solve``, ``val``, ``terminate``).
Adding a CNF one clause at a time through python-sat costs a Python call
per clause, which dominated the search (about 50 s for the 10 million
clauses of a five-party inequality with singleton terms, none of it
interruptible); here a Numba loop hands the flat literal buffer to
``kissat_add`` or ``Solver::add`` directly. Both solve calls run with the
GIL released, so a watchdog thread can stop them at the deadline
(``kissat_terminate``, ``Solver::terminate``): time limits hold to within
milliseconds. (python-sat's own ``solve_limited`` for CaDiCaL keeps the
GIL, and a conflict budget does not bound its preprocessing: one budgeted
call on that instance ran for 55 s.)

The Numba loops (``qinfo._kernels.solver_calls``) take the C functions'
addresses as arguments, so they are compiled once and cached on disk like
the other kernels.
"""

from __future__ import annotations

import ctypes
import threading
import time

import numpy as np

__all__ = ["CadicalDirect", "KissatDirect", "cadical_available", "kissat_available", "reset_watchdog"]

#: Kissat options for these instances: the values the hec package sets (its
#: ``KISSAT_OPTIONS``; on six-party facets they make the search 2-7x faster
#: than Kissat's defaults, measured here on three facets of the sample), and
#: ``lucky=0``: Kissat's first step tries a few fixed assignments (all true,
#: all false, forward and backward), which on these instances never succeed
#: and took 13-17 % of the time on 15 facets of the six-party sample.
OPTIONS = {"probe": 0, "minimize": 0, "bump": 0, "forcephase": 1, "modeinit": 5000, "restartint": 200,
           "vivifytier2": 2, "lucky": 0}

_LIB = None
_KERNELS = None
_CADICAL = None
# CaDiCaL195::Solver's methods (Itanium C++ ABI: ``this`` is the first argument)
_CADICAL_SYMBOLS = {"add": "_ZN10CaDiCaL1956Solver3addEi", "val": "_ZN10CaDiCaL1956Solver3valEi",
                    "solve": "_ZN10CaDiCaL1956Solver5solveEv", "terminate": "_ZN10CaDiCaL1956Solver9terminateEv",
                    "destroy": "_ZN10CaDiCaL1956SolverD1Ev"}


def _library():
    global _LIB
    if _LIB is None:
        from qinfo._optional import require

        pysolvers = require("pysat.solvers", feature="prove").pysolvers  # python-sat's C extension
        lib = ctypes.CDLL(pysolvers.__file__)
        for name in ("kissat_init", "kissat_release", "kissat_add", "kissat_solve", "kissat_value",
                     "kissat_terminate", "kissat_set_option"):
            if not hasattr(lib, name):
                raise ImportError(f"python-sat's pysolvers does not export {name}")
        lib.kissat_init.restype = ctypes.c_void_p
        lib.kissat_init.argtypes = []
        lib.kissat_release.argtypes = [ctypes.c_void_p]
        lib.kissat_solve.argtypes = [ctypes.c_void_p]
        lib.kissat_solve.restype = ctypes.c_int
        lib.kissat_terminate.argtypes = [ctypes.c_void_p]
        lib.kissat_set_option.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.kissat_set_option.restype = ctypes.c_int
        if hasattr(lib, "kissat_reserve"):
            lib.kissat_reserve.argtypes = [ctypes.c_void_p, ctypes.c_int]
            lib.kissat_reserve.restype = None
        _LIB = lib
    return _LIB


def kissat_available() -> bool:
    """Whether the Kissat C API can be reached through python-sat.

    Examples
    --------
    >>> isinstance(kissat_available(), bool)
    True
    """
    try:
        _library()
    except (ImportError, OSError):
        return False
    return True


def _address(fn) -> int:
    """The address of a ctypes function."""
    return ctypes.cast(fn, ctypes.c_void_p).value


def _loops():
    """:func:`qinfo._kernels.solver_calls.dispatch` and ``values`` (imported on first use: Numba)."""
    from qinfo._kernels.solver_calls import dispatch, values

    return dispatch, values


def _kernels():
    """Kissat's ``add`` and ``value`` addresses."""
    global _KERNELS
    if _KERNELS is None:
        lib = _library()
        _KERNELS = (_address(lib.kissat_add), _address(lib.kissat_value))
    return _KERNELS


class _Watchdog:
    """One daemon thread that stops the solvers whose deadlines pass.

    Starting a timer thread per solve cost more than the whole search on
    the small facets; this thread is started once and sleeps until the
    earliest deadline it watches.
    """

    def __init__(self):
        self._cond = threading.Condition()
        self._watched: dict[int, tuple[float, "KissatDirect"]] = {}
        self._thread = None

    def watch(self, solver: "KissatDirect", deadline: float) -> None:
        with self._cond:
            self._watched[id(solver)] = (deadline, solver)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="kissat-watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()

    def forget(self, solver: "KissatDirect") -> None:
        with self._cond:
            self._watched.pop(id(solver), None)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.perf_counter()
                for key, (deadline, solver) in list(self._watched.items()):
                    if deadline <= now:
                        del self._watched[key]
                        solver._terminate()
                wait = min((d for d, _ in self._watched.values()), default=now + 60.0) - now
                self._cond.wait(timeout=max(wait, 0.0))


_WATCHDOG = _Watchdog()


def reset_watchdog() -> None:
    """A fresh watchdog, for a forked child: the parent's lock may have been copied while held.

    Examples
    --------
    >>> reset_watchdog()
    """
    global _WATCHDOG
    _WATCHDOG = _Watchdog()


def _solve_watched(solver, solve_fn, deadline: float | None) -> bool | None:
    """``solve_fn(solver._ptr)`` (10: SAT, 20: UNSAT), with the watchdog stopping it at ``deadline``."""
    if deadline is not None:
        if deadline - time.perf_counter() <= 0:
            return None
        _WATCHDOG.watch(solver, deadline)
    try:
        code = solve_fn(solver._ptr)
    finally:
        if deadline is not None:
            _WATCHDOG.forget(solver)
    return {10: True, 20: False}.get(code)


class KissatDirect:
    """One Kissat instance fed flat clause buffers (each clause ended by 0).

    Examples
    --------
    >>> s = KissatDirect()
    >>> s.add(np.array([1, 2, 0, -1, 0], dtype=np.int32))
    >>> s.solve(None), s.values(2).tolist()
    (True, [0, 1])
    >>> s.close()
    """

    def __init__(self):
        self._ptr = None
        self._lock = threading.Lock()  # a late terminate must never reach a released solver
        lib = _library()
        self._ptr = lib.kissat_init()
        for name, value in OPTIONS.items():
            lib.kissat_set_option(self._ptr, name.encode(), value)
        self._solved = False

    def reserve(self, n_vars: int) -> None:
        """Size the variable arrays for ``n_vars`` variables up front (a speed hint only)."""
        lib = _library()
        if hasattr(lib, "kissat_reserve"):
            lib.kissat_reserve(self._ptr, int(n_vars))

    def add(self, flat: np.ndarray) -> None:
        if self._solved:
            raise RuntimeError("Kissat is not incremental: add every clause before solve")
        dispatch, _ = _loops()
        dispatch(_kernels()[0], self._ptr, np.ascontiguousarray(flat, dtype=np.int32))

    def solve(self, deadline: float | None) -> bool | None:
        """True (SAT), False (UNSAT) or None (stopped at ``deadline``, a perf_counter value)."""
        self._solved = True
        return _solve_watched(self, _library().kissat_solve, deadline)

    def _terminate(self) -> None:
        with self._lock:
            if self._ptr is not None:
                _library().kissat_terminate(self._ptr)

    def values(self, n: int) -> np.ndarray:
        """The model's values of variables 1..n as 0/1 (after a SAT answer)."""
        _, values = _loops()
        out = np.zeros(n, dtype=np.uint8)
        values(_kernels()[1], self._ptr, n, out)
        return out

    def close(self) -> None:
        with self._lock:
            if self._ptr is not None:
                _library().kissat_release(self._ptr)
                self._ptr = None

    def __del__(self):
        self.close()



def _cadical_kernels():
    """The Numba loops and ctypes methods for CaDiCaL195; None where python-sat does not export them."""
    global _CADICAL
    if _CADICAL is None:
        try:
            lib = _library()
            fns = {name: getattr(lib, symbol) for name, symbol in _CADICAL_SYMBOLS.items()}
            delete = getattr(lib, "_ZdlPv")  # operator delete(void*), from libstdc++
        except (ImportError, OSError, AttributeError):
            _CADICAL = False
            return None
        for name in ("solve", "terminate", "destroy"):
            fns[name].argtypes = [ctypes.c_void_p]
        fns["solve"].restype = ctypes.c_int
        delete.argtypes = [ctypes.c_void_p]
        _CADICAL = {"add": _address(fns["add"]), "val": _address(fns["val"]), "solve": fns["solve"],
                    "terminate": fns["terminate"], "destroy": fns["destroy"], "delete": delete}
    return _CADICAL or None


def cadical_available() -> bool:
    """Whether CaDiCaL 1.9.5's C++ methods can be reached through python-sat.

    Examples
    --------
    >>> isinstance(cadical_available(), bool)
    True
    """
    return _cadical_kernels() is not None


def _capsule_pointer(capsule) -> int:
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype = ctypes.c_void_p
    get.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return get(capsule, None)


class CadicalDirect:
    """One incremental CaDiCaL 1.9.5 solver fed flat clause buffers (each clause ended by 0).

    python-sat builds the solver; this object then owns it and calls its
    C++ methods: ``add`` from a Numba loop, ``solve`` with the GIL released
    (so that the watchdog thread can call ``terminate`` at the deadline), and
    ``val``.

    Examples
    --------
    >>> s = CadicalDirect()
    >>> s.add(np.array([1, 2, 0, -1, 0], dtype=np.int32))
    >>> s.solve(None), s.values(2).tolist()
    (True, [0, 1])
    >>> s.add(np.array([-2, 0], dtype=np.int32))  # incremental
    >>> s.solve(None)
    False
    >>> s.close()
    """

    def __init__(self):
        from qinfo._optional import require

        Cadical195 = require("pysat.solvers", feature="prove").Cadical195  # names the extra if missing
        if not cadical_available():
            raise ImportError("python-sat does not export CaDiCaL 1.9.5's methods")
        owner = Cadical195()
        self._ptr = _capsule_pointer(owner.cadical)
        owner.cadical = None  # python-sat will not free it: this object does
        self._lock = threading.Lock()  # a late terminate must never reach a freed solver
        self._kernels = _cadical_kernels()

    def add(self, flat: np.ndarray) -> None:
        """Add literals; a block may end inside a clause that the next block ends."""
        _loops()[0](self._kernels["add"], self._ptr, np.ascontiguousarray(flat, dtype=np.int32))

    def solve(self, deadline: float | None) -> bool | None:
        """True (SAT), False (UNSAT) or None (stopped at ``deadline``, a perf_counter value)."""
        return _solve_watched(self, self._kernels["solve"], deadline)

    def _terminate(self) -> None:
        with self._lock:
            if self._ptr is not None:
                self._kernels["terminate"](self._ptr)

    def values(self, n: int) -> np.ndarray:
        """The model's values of variables 1..n as 0/1 (after a SAT answer)."""
        out = np.zeros(n, dtype=np.uint8)
        _loops()[1](self._kernels["val"], self._ptr, n, out)
        return out

    def close(self) -> None:
        with self._lock:
            if self._ptr is not None:
                self._kernels["destroy"](self._ptr)  # ~Solver(), then the memory python-sat's ``new`` took
                self._kernels["delete"](self._ptr)
                self._ptr = None

    def __del__(self):
        if getattr(self, "_lock", None) is not None:
            self.close()
