"""Counts the bad inputs the fault-injection suite tries (printed by tests/conftest.py)."""

from __future__ import annotations

import pytest

_KEY = "fault_inputs"  # summed by the hook in tests/conftest.py


@pytest.fixture
def tried(request):
    """``tried(n=1)`` records ``n`` bad inputs tried by this test (summed at the end)."""

    def record(n: int = 1) -> None:
        request.node.user_properties.append((_KEY, n))

    return record
