"""Poisson CLs limits for few-event experiments (nudipole.stats.poisson)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import poisson

from nudipole.stats.poisson import (
    cls_signal_limit,
    expected_signal_limit,
    poisson_median,
)


def test_background_free_limit_is_three_events() -> None:
    # CLs = exp(-S) for n = 0: S95 = -ln 0.05 = 2.9957, the "three events" convention.
    assert expected_signal_limit(0.0) == pytest.approx(-math.log(0.05), rel=1e-10)
    assert expected_signal_limit(0.0) == pytest.approx(3.0, abs=0.005)


@pytest.mark.parametrize("mean", [0.0, 0.3, 0.69, 0.7, 1.0, 2.5, 10.0, 123.4, 5000.0])
def test_median_matches_scipy(mean: float) -> None:
    expected = int(poisson.median(mean)) if mean > 0 else 0
    assert poisson_median(mean) == expected


@settings(max_examples=40, deadline=None)
@given(
    b=st.floats(min_value=0.0, max_value=200.0),
    n=st.integers(min_value=0, max_value=60),
)
def test_cls_solves_its_defining_equation(b: float, n: int) -> None:
    s = cls_signal_limit(b, n)
    cls = poisson.cdf(n, s + b) / poisson.cdf(n, b)
    assert cls == pytest.approx(0.05, rel=1e-8)


def test_limit_grows_with_background_at_fixed_median() -> None:
    # Same observed count, more background expected: CLs protects, the limit stays finite
    # and positive.
    limits = [cls_signal_limit(b, 5) for b in (0.0, 2.0, 5.0, 8.0)]
    assert all(lim > 0 for lim in limits)
    assert np.all(np.diff(limits) < 0)  # more expected background, weaker excess needed


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, 1e300])
def test_bad_background_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="background"):
        expected_signal_limit(bad)
