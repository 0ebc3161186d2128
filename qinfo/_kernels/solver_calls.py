"""Numba loops that call a SAT solver's C functions by address: bulk clause loading and model reading.

``dispatch(add, ptr, lits)`` calls ``add(ptr, lit)`` (``void (*)(void *, int)``,
Kissat's ``kissat_add`` or CaDiCaL's ``Solver::add``) for every literal of a
flat buffer; ``values(value, ptr, n, out)`` writes ``value(ptr, v) > 0``
(``int (*)(void *, int)``) for the variables ``v = 1..n``. The function
addresses are arguments, not constants, so these loops are compiled once and
kept in Numba's on-disk cache (embedding the addresses made every new process
compile them, 0.4 s of its first proof).
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["dispatch", "values"]


@intrinsic
def _call_add(typingctx, fn, ptr, lit):
    """``fn(ptr, lit)`` for the address ``fn`` of a ``void (*)(void *, int)``."""
    def codegen(context, builder, signature, args):
        fn, ptr, lit = args
        voidp = ir.IntType(8).as_pointer()
        fnty = ir.FunctionType(ir.VoidType(), [voidp, ir.IntType(32)])
        builder.call(builder.inttoptr(fn, fnty.as_pointer()),
                     [builder.inttoptr(ptr, voidp), builder.trunc(lit, ir.IntType(32))])
        return context.get_dummy_value()

    return types.void(types.int64, types.int64, types.int64), codegen


@intrinsic
def _call_value(typingctx, fn, ptr, var):
    """``fn(ptr, var)`` for the address ``fn`` of an ``int (*)(void *, int)``."""
    def codegen(context, builder, signature, args):
        fn, ptr, var = args
        voidp = ir.IntType(8).as_pointer()
        fnty = ir.FunctionType(ir.IntType(32), [voidp, ir.IntType(32)])
        out = builder.call(builder.inttoptr(fn, fnty.as_pointer()),
                           [builder.inttoptr(ptr, voidp), builder.trunc(var, ir.IntType(32))])
        return builder.sext(out, ir.IntType(64))

    return types.int64(types.int64, types.int64, types.int64), codegen


@njit(cache=True)
def dispatch(add, ptr, lits):
    """``add(ptr, lit)`` for every entry of the int32 array ``lits``."""
    for i in range(lits.shape[0]):
        _call_add(add, ptr, np.int64(lits[i]))


@njit(cache=True)
def values(value, ptr, n, out):
    """``out[v - 1] = value(ptr, v) > 0`` for ``v = 1..n``."""
    for v in range(1, n + 1):
        out[v - 1] = _call_value(value, ptr, np.int64(v)) > 0
