"""The backends need qiskit only when they run: importing them needs the core install alone,
and a missing extra is named in the error (issue 19)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from qinfo.vqc._backends import get_backend


@pytest.mark.parametrize("backend,blocked,extra", [
    ("aer", "qiskit_aer", "qinfo[qiskit]"),
    ("fake_manila", "qiskit_ibm_runtime", "qinfo[ibm]"),
    ("ibm:ibm_brisbane", "qiskit_ibm_runtime", "qinfo[ibm]"),
    ("pennylane:default.qubit", "pennylane", "qinfo[pennylane]"),
])
def test_a_missing_extra_is_named(monkeypatch, backend, blocked, extra):
    monkeypatch.setitem(sys.modules, blocked, None)  # "import qiskit_aer" now raises ImportError
    with pytest.raises(ImportError, match=re.escape(f"pip install '{extra}'")):
        get_backend(backend, shots=100).estimate([_pair()])


def test_statevector_without_qiskit_names_the_qiskit_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "qiskit", None)
    monkeypatch.setitem(sys.modules, "qiskit.quantum_info", None)
    with pytest.raises(ImportError, match=r"qinfo\[qiskit\]"):
        get_backend("statevector").target.run([], None)  # nothing to run, but Statevector is needed


def test_importing_the_backends_loads_no_optional_dependency():
    code = ("import sys, qinfo.vqc._backends, qinfo.vqc._execution.targets, qinfo.vqc._execution.readout;"
            "print(sorted(m for m in ('qiskit', 'qiskit_aer', 'qiskit_ibm_runtime', 'pennylane') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _pair():
    qiskit = pytest.importorskip("qiskit")
    state, image = qiskit.QuantumCircuit(1), qiskit.QuantumCircuit(1)
    state.ry(0.3, 0)
    image.ry(0.5, 0)
    return state, image
