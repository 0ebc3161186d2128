"""Two tiny reproduction parts for the runner's tests: seeded numbers, a figure, a claim that differs.

``slow_seeded`` sleeps first, so that on an executor it finishes after ``differing``
although it is printed before it.
"""

from __future__ import annotations

import time

import numpy as np

from qinfo._random import as_generator, spawn_seeds
from qinfo.reproduce import Context, Section

#: A target made of these parts (tests add it to ``TARGETS``).
FAKE_TARGET = ["tests.reproduce._fake_parts_slow", "tests.reproduce._fake_parts"]


def run(ctx: Context) -> Section:
    section = Section("differing part")
    x = as_generator(spawn_seeds(ctx.seed, 2)[1]).random(3)
    section.add_table("draws", ["i", "x"], [[i, float(v)] for i, v in enumerate(x)])
    section.add_claim("sum of three uniform draws", float(x.sum()), 1.5, agrees=None, note="unpublished")
    section.add_claim("1 + 1", 3, 2, agrees=False, note="deliberately wrong")
    return section


def run_slow(ctx: Context) -> Section:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    time.sleep(0.3)
    section = Section("seeded part")
    x = as_generator(spawn_seeds(ctx.seed, 2)[0]).normal(size=100)
    section.add_claim("mean of 100 normal draws", float(x.mean()), 0.0, agrees=bool(abs(x.mean()) < 0.5))
    section.add_claim("quick flag", ctx.quick, "-")
    fig, ax = plt.subplots()
    ax.hist(x)
    section.add_figure(fig, ctx.out / "hist.png")
    section.notes.append(f"seed {ctx.seed}, {np.round(x[:2], 3).tolist()}")
    return section
