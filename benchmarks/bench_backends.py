"""Evaluating a caption model on a sampler: qinfo vs the plain Qiskit loop.

qinfo transpiles each circuit shape once and sends the whole evaluation set as
PUBs with a parameter array in one job. The plain loop a user would write with
Qiskit binds every pair's circuit, transpiles it, and runs it, one job per
circuit (or, better, all transpiled circuits in one job). All three use the
same sampler, the same destructive SWAP-test circuits and the same shots.

    python benchmarks/bench_backends.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer pairs, one target")
    args = parser.parse_args()

    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_aer.primitives import SamplerV2 as AerSampler
    from qiskit_ibm_runtime.fake_provider import FakeGuadalupeV2

    from qinfo.vqc import CaptionModel, make_datasets
    from qinfo.vqc import evaluate
    from qinfo.vqc._execution.templates import circuit_shape, fidelity_test

    n_per = 2 if args.quick else 4
    ds = make_datasets("relational", "binary", n_per_combination=n_per, flip_prob=0.1, seed=0)
    model = CaptionModel(epochs=5, progress=False, seed=0).fit(ds["train"])
    data = ds["test"]
    values = model.parameter_values()
    pairs = model.fidelity_pairs(data)
    shots = 1000
    print(f"{len(pairs)} caption-image pairs, {shots} shots each")

    targets = [("aer", None)] if args.quick else [("aer", None), ("fake_guadalupe", FakeGuadalupeV2())]
    for name, device in targets:
        t0 = time.perf_counter()
        evaluate(model, data, name, shots=shots, seed=0, seed_transpiler=0, progress=False)
        t_qinfo = time.perf_counter() - t0

        def bound_circuits():
            out = []
            for caption, features in pairs:
                qc = model.caption_circuit(caption)
                img = model.image_circuit(features)
                test = fidelity_test(circuit_shape(qc), qc, circuit_shape(img), "destructive_swap")
                row = np.concatenate([circuit_shape(qc).angle_values(values),
                                      circuit_shape(img).angle_values(values)])
                out.append(test.circuit.assign_parameters(row))
            return out

        if device is None:
            pm = generate_preset_pass_manager(optimization_level=2, seed_transpiler=0)

            def sampler():
                return AerSampler(seed=0)
        else:
            from qinfo.vqc._execution.targets import runtime_sampler_class

            _, runtime_sampler = runtime_sampler_class()  # the one qinfo uses, no warning filtered
            pm = generate_preset_pass_manager(optimization_level=2, backend=device, seed_transpiler=0)

            def sampler():
                return runtime_sampler(mode=device)

        t0 = time.perf_counter()
        isa = [pm.run(c) for c in bound_circuits()]
        s = sampler()
        for c in isa:
            s.run([(c,)], shots=shots).result()
        t_loop = time.perf_counter() - t0

        t0 = time.perf_counter()
        isa = [pm.run(c) for c in bound_circuits()]
        sampler().run([(c,) for c in isa], shots=shots).result()
        t_one_job = time.perf_counter() - t0

        print(f"\n[{name}]")
        print(f"  qinfo evaluate (transpile per shape, 1 job of PUBs): {t_qinfo:7.2f} s")
        print(f"  Qiskit loop (transpile + 1 job per circuit):          {t_loop:7.2f} s"
              f"  -> qinfo {t_loop / t_qinfo:5.1f}x faster")
        print(f"  Qiskit, transpile each, all circuits in 1 job:        {t_one_job:7.2f} s"
              f"  -> qinfo {t_one_job / t_qinfo:5.1f}x faster")
        print("  (on IBM hardware the per-job queue wait, minutes each, dominates the loop)")


if __name__ == "__main__":
    main()
