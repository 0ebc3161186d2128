"""Execution layer behind :func:`qinfo.vqc.get_backend` and :func:`qinfo.vqc.evaluate`: one small module per stage.

- ``templates`` -- circuits -> shape templates with generic parameters
  (transpile once per shape, then only bind values) and the fidelity-test
  circuits (SWAP, destructive SWAP, inversion);
- ``fidelity`` -- counts -> post-selected fidelity with standard errors,
  Wilson intervals;
- ``readout`` -- readout-error mitigation from measured confusion matrices;
- ``jobs`` -- job submission with a resume file and retries with backoff;
- ``options`` -- :class:`~qinfo.vqc.ExecutionOptions`;
- ``targets`` -- the execution targets (exact statevector, any Qiskit V2
  sampler, PennyLane devices) and name resolution.

Every module here is private; the public names are exported by :mod:`qinfo.vqc`.
Qiskit, qiskit-aer, qiskit-ibm-runtime and PennyLane are imported inside the
functions that need them (extras ``qinfo[qiskit]``, ``qinfo[ibm]``,
``qinfo[pennylane]``), so importing this package needs only the core install.
"""
