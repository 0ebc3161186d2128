"""Test-wide hooks: hypothesis settings profiles and the fault-injection count.

(Skipping the tests whose optional extra is missing lives in the repository's
root ``conftest.py``, so that it also covers the doctests under ``qinfo/``.)

Hypothesis profiles
-------------------
``HYPOTHESIS_PROFILE`` selects one (default ``dev``, or ``ci`` when ``CI`` is set):

- ``dev``: hypothesis's defaults without the deadline (shared machines are noisy and
  no test measures time), the reproduction blob printed on failure;
- ``ci``: derandomized (the same examples on every run, so CI does not flake), no
  example database, no deadline, no too-slow health check, the blob printed
  (``.ci/run`` exports it);
- ``long``: 2,000 examples per property test, and ``HYPOTHESIS_LONG_FACTOR`` (20)
  times the ``max_examples`` a test sets itself (``make test-long``).

Fault count
-----------
The fault-injection suite's count of bad inputs (tests/cli/test_faults.py). The hook
lives here, not in tests/cli/, so that the pytest-xdist controller, which collects
nothing, loads it too.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: ``user_properties`` key under which tests record the bad inputs they tried.
FAULT_KEY = "fault_inputs"

# -- hypothesis profiles ------------------------------------------------------------------

#: ``max_examples`` a test sets itself is multiplied by this under the ``long`` profile.
LONG_FACTOR = int(os.environ.get("HYPOTHESIS_LONG_FACTOR", "20"))

settings.register_profile("dev", deadline=None, print_blob=True)
settings.register_profile(
    "ci", deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
#: The profile in force (loaded here, before any test module builds its ``@settings``).
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def pytest_report_header(config):
    return f"hypothesis profile: {PROFILE} (HYPOTHESIS_PROFILE=dev|ci|long)"


def pytest_collection_modifyitems(config, items):
    if PROFILE == "long":
        for item in items:
            _lengthen(getattr(item, "obj", None))


def _lengthen(test) -> None:
    """Multiply the ``max_examples`` a hypothesis test set itself by LONG_FACTOR (``long`` only)."""
    own = getattr(test, "_hypothesis_internal_use_settings", None)  # where @given keeps them
    if own is None or getattr(test, "_qinfo_lengthened", False):
        return
    if own.max_examples < settings.default.max_examples:
        test._hypothesis_internal_use_settings = settings(own, max_examples=own.max_examples * LONG_FACTOR)
    test._qinfo_lengthened = True  # once per function, however many parameters it has


# -- summary ------------------------------------------------------------------------------


def pytest_terminal_summary(terminalreporter):
    # user_properties travel with the reports, so this also counts pytest-xdist workers
    total = sum(n for reports in terminalreporter.stats.values() for rep in reports
                if getattr(rep, "when", None) == "call"
                for key, n in getattr(rep, "user_properties", ()) if key == FAULT_KEY)
    if total:
        terminalreporter.write_line(f"fault injection: {total} bad inputs tried")
