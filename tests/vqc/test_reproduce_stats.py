"""The statistics behind ``qinfo reproduce vqc``'s claims, against scipy and by hand."""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from scipy import stats

from qinfo.reproduce._vqc import sign_verdict, summarise


@given(st.lists(st.floats(0, 1), min_size=2, max_size=12))
def test_summarise_matches_scipy_t_interval(values):
    s = summarise(values)
    a = np.asarray(values)
    assert s["mean"] == pytest.approx(a.mean())
    if a.std() > 1e-9:
        lo, hi = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
        assert s["ci95"] == pytest.approx([lo, hi])


@pytest.mark.parametrize("ci, verdict", [([0.01, 0.3], True), ([-0.3, -0.01], False),
                                         ([-0.1, 0.2], None), ([0.0, 0.2], None)])
def test_a_ci_holding_zero_is_undecided_not_differs(ci, verdict):
    assert sign_verdict(ci) is verdict
