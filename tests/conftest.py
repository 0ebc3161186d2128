"""Test-wide hooks: the fault-injection suite's count of bad inputs (tests/cli/test_faults.py).

The hook lives here, not in tests/cli/, so that the pytest-xdist controller,
which collects nothing, loads it too.
"""

from __future__ import annotations

#: ``user_properties`` key under which tests record the bad inputs they tried.
FAULT_KEY = "fault_inputs"


def pytest_terminal_summary(terminalreporter):
    # user_properties travel with the reports, so this also counts pytest-xdist workers
    total = sum(n for reports in terminalreporter.stats.values() for rep in reports
                if getattr(rep, "when", None) == "call"
                for key, n in getattr(rep, "user_properties", ()) if key == FAULT_KEY)
    if total:
        terminalreporter.write_line(f"fault injection: {total} bad inputs tried")
