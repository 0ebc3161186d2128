"""Counts the bad inputs the fault-injection suite tries, and prints the total."""

from __future__ import annotations

import pytest

_KEY = "fault_inputs"


@pytest.fixture
def tried(request):
    """``tried(n=1)`` records ``n`` bad inputs tried by this test (summed at the end)."""

    def record(n: int = 1) -> None:
        request.node.user_properties.append((_KEY, n))

    return record


def pytest_terminal_summary(terminalreporter):
    # user_properties travel with the reports, so this also counts pytest-xdist workers
    total = sum(n for reports in terminalreporter.stats.values() for rep in reports
                if getattr(rep, "when", None) == "call"
                for key, n in getattr(rep, "user_properties", ()) if key == _KEY)
    if total:
        terminalreporter.write_line(f"fault injection: {total} bad inputs tried")
