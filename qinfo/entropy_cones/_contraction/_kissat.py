"""Kissat through its C API, for the contraction search.

python-sat ships Kissat inside its ``pysolvers`` extension and exports the C
API (``kissat_init``, ``kissat_add``, ``kissat_solve``, ``kissat_terminate``,
...). Adding a CNF one clause at a time through python-sat costs a Python
call per clause, which dominated the search; here a Numba loop hands the
flat literal buffer to ``kissat_add`` directly. ``kissat_solve`` runs with
the GIL released, so a timer thread can stop it with ``kissat_terminate``:
time limits hold to within milliseconds.

The Numba dispatch loops embed the C function addresses, so they are
compiled once per process (not cached on disk); that is the first-call
compile time the benchmark reports separately.
"""

from __future__ import annotations

import ctypes
import threading
import time

import numpy as np

__all__ = ["kissat_available", "KissatDirect"]

#: Kissat options for these instances, the values the hec package sets (its
#: ``KISSAT_OPTIONS``): on six-party facets they make the search 2-7x faster
#: than Kissat's defaults (measured here on three facets of the sample).
OPTIONS = {"probe": 0, "minimize": 0, "bump": 0, "forcephase": 1, "modeinit": 5000, "restartint": 200,
           "vivifytier2": 2}

_LIB = None
_KERNELS = None


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


def _kernels():
    global _KERNELS
    if _KERNELS is None:
        from numba import njit

        lib = _library()
        add = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int)(
            ctypes.cast(lib.kissat_add, ctypes.c_void_p).value)
        value = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int)(
            ctypes.cast(lib.kissat_value, ctypes.c_void_p).value)

        @njit
        def dispatch(ptr, lits):
            for i in range(lits.shape[0]):
                add(ptr, lits[i])

        @njit
        def values(ptr, n, out):
            for v in range(1, n + 1):
                out[v - 1] = value(ptr, v) > 0

        _KERNELS = (dispatch, values)
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
        dispatch, _ = _kernels()
        dispatch(self._ptr, np.ascontiguousarray(flat, dtype=np.int32))

    def solve(self, deadline: float | None) -> bool | None:
        """True (SAT), False (UNSAT) or None (stopped at ``deadline``, a perf_counter value)."""
        lib = _library()
        self._solved = True
        if deadline is not None:
            if deadline - time.perf_counter() <= 0:
                return None
            _WATCHDOG.watch(self, deadline)
        try:
            code = lib.kissat_solve(self._ptr)
        finally:
            if deadline is not None:
                _WATCHDOG.forget(self)
        return {10: True, 20: False}.get(code)

    def _terminate(self) -> None:
        with self._lock:
            if self._ptr is not None:
                _library().kissat_terminate(self._ptr)

    def values(self, n: int) -> np.ndarray:
        """The model's values of variables 1..n as 0/1 (after a SAT answer)."""
        _, values = _kernels()
        out = np.zeros(n, dtype=np.uint8)
        values(self._ptr, n, out)
        return out

    def close(self) -> None:
        with self._lock:
            if self._ptr is not None:
                _library().kissat_release(self._ptr)
                self._ptr = None

    def __del__(self):
        self.close()
