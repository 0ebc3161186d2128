"""Execution layer behind :mod:`qinfo.vqc.backends`: one small module per stage.

- :mod:`~qinfo.vqc.execution.templates` -- circuits -> shape templates with
  generic parameters (transpile once per shape, then only bind values) and the
  fidelity-test circuits (SWAP, destructive SWAP, inversion);
- :mod:`~qinfo.vqc.execution.estimators` -- counts -> post-selected fidelity
  with standard errors, Wilson intervals;
- :mod:`~qinfo.vqc.execution.jobs` -- job submission with a resume file and
  retries with backoff;
- :mod:`~qinfo.vqc.execution.targets` -- the execution targets (exact
  statevector, any Qiskit V2 sampler, PennyLane devices) and name resolution.

Users normally only call :func:`qinfo.vqc.backends.get_backend` and
:func:`qinfo.vqc.backends.evaluate`.
"""
