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
        assert s["ci95"] == pytest.approx([max(lo, 0.0), min(hi, 1.0)])


def test_an_accuracy_interval_stays_inside_0_and_1_and_a_difference_inside_pm_1():
    # the quick run's clean-MHE row: 3 seeds, t interval [0.71, 1.056] before the cut
    s = summarise([0.95, 0.80, 0.90])
    assert s["ci95"][1] == 1.0 and 0.6 < s["ci95"][0] < 0.9
    d = summarise([-0.9, -0.5, -0.95], bounds=(-1.0, 1.0))
    assert d["ci95"][0] == -1.0 and d["ci95"][1] < 0


@pytest.mark.parametrize("values, bounds", [([], (0, 1)), ([1.2, 0.5], (0, 1)), ([-0.5, 0.1], (0, 1)),
                                            ([0.5], (1, 0))])
def test_summarise_refuses_values_outside_their_range(values, bounds):
    with pytest.raises(ValueError, match="bounds"):
        summarise(values, bounds=bounds)


def test_the_cut_interval_covers_the_true_mean_exactly_when_the_t_interval_does():
    rng = np.random.default_rng(1)
    p, cut_hits, t_hits = 0.93, 0, 0
    for _ in range(2000):
        v = rng.binomial(60, p, size=3) / 60
        lo, hi = summarise(v)["ci95"]
        tlo, thi = stats.t.interval(0.95, 2, loc=v.mean(), scale=stats.sem(v)) if v.std() else (v[0], v[0])
        assert lo >= 0 and hi <= 1
        cut_hits += lo <= p <= hi
        t_hits += tlo <= p <= thi
    assert cut_hits == t_hits and cut_hits / 2000 > 0.85
