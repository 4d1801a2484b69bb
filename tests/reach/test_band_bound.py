"""Upper bounds of a far detector's largest count (nudipole.reach.band_bound): the largest
value of one decay segment's term, per polar angle of a detector table, and from merged
rays."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.reach.band import BandRays, band_peak
from nudipole.reach.band_bound import count_bound, peak_factor, row_bounds


def _brute_peak(l_in: float, l_out: float) -> float:
    """max of t (exp(-l_in t) - exp(-l_out t)) on a dense grid refined twice around its
    largest point (an independent check of the bisection)."""
    lo, hi = 1e-3 / l_in, 1e2 / l_in
    for _ in range(3):
        t = np.geomspace(lo, hi, 20001)
        f = t * np.exp(-l_in * t) * -np.expm1(-(l_out - l_in) * t)
        k = int(np.argmax(f))
        lo, hi = t[max(k - 2, 0)], t[min(k + 2, t.size - 1)]
    return float(f[k])


@settings(max_examples=80, deadline=None)
@given(
    log_in=st.floats(-3.0, 3.0),
    log_ratio=st.floats(-6.0, 4.0),
)
def test_peak_factor_is_the_largest_value_of_the_term(log_in: float, log_ratio: float) -> None:
    l_in = 10.0**log_in
    l_out = l_in * (1.0 + 10.0**log_ratio)
    got = float(peak_factor(np.array([l_in]), np.array([l_out]))[0])
    brute = _brute_peak(l_in, l_out)
    assert got >= brute * (1.0 - 1e-12)
    assert got == pytest.approx(brute, rel=1e-9)


def test_peak_factor_limits_and_scaling() -> None:
    # derived in the docstring: 1/(e l_in) for a deep segment, 4 (r - 1) / (e^2 l_in) for a
    # thin one; and G(r) / l_in, so scaling both lengths by k divides it by k
    deep = peak_factor(np.array([2.0]), np.array([2.0e12]))[0]
    assert deep == pytest.approx(1.0 / (math.e * 2.0), rel=1e-12)
    thin = peak_factor(np.array([2.0]), np.array([2.0 * (1.0 + 1e-9)]))[0]
    assert thin == pytest.approx(4.0 * 1e-9 / (math.e**2 * 2.0), rel=1e-8)
    l_in = np.array([0.3, 1.0, 7.0])
    l_out = np.array([0.5, 1.01, 700.0])
    np.testing.assert_allclose(peak_factor(10 * l_in, 10 * l_out), peak_factor(l_in, l_out) / 10,
                               rtol=1e-13)  # fmt: skip


def test_peak_factor_of_special_segments() -> None:
    # from the collision point on: no bound; a segment of no length: nothing
    got = peak_factor(np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 1.5]))
    assert got[0] == math.inf
    assert got[1] == 0.0
    assert got[2] == 0.0
    # what no detector table holds gives no bound rather than a wrong one
    odd = peak_factor(np.array([math.nan, 1.0, -1.0, 0.0]), np.array([2.0, math.nan, 2.0, 0.0]))
    assert odd[:3].tolist() == [math.inf] * 3
    assert odd[3] == math.inf
    # an endless segment: the deep limit
    assert peak_factor(np.array([2.0]), np.array([math.inf]))[0] == pytest.approx(
        1.0 / (2.0 * math.e), rel=1e-12
    )


def test_row_bounds_sum_the_weighted_hits_of_each_row() -> None:
    rng = np.random.default_rng(7)
    count = np.array([2, 0, 3, 1], dtype=np.int64)
    start = (np.cumsum(count) - count).astype(np.int64)
    n = int(count.sum())
    w = rng.uniform(0.1, 1.0, n)
    w[3] = 0.0  # a hit of no weight adds nothing, even from the collision point on
    l_in = rng.uniform(1.0, 2.0, n)
    l_in[3] = 0.0
    l_out = l_in + rng.uniform(0.1, 3.0, n)
    got = row_bounds(start, count, w, l_in, l_out)
    want = [
        sum(w[h] * peak_factor(l_in[h : h + 1], l_out[h : h + 1])[0]
            for h in range(start[g], start[g] + count[g]) if w[h] > 0)
        for g in range(count.size)
    ]  # fmt: skip
    np.testing.assert_allclose(got, want, rtol=1e-14)
    assert got[1] == 0.0


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_per_ray_bound_is_above_the_peak(seed: int, n: int) -> None:
    # rays with prefactor c and decay scale s on segments [l_in, l_out]: the sum of the
    # terms' own maxima, c / s x peak_factor, bounds the largest count (and is the bound the
    # compiled kernel sums, reach.far_bounds)
    rng = np.random.default_rng(seed)
    l_in = 10.0 ** rng.uniform(0, 2, n)
    l_out = l_in * (1.0 + 10.0 ** rng.uniform(-3, 1, n))
    s = 10.0 ** rng.uniform(-3, 3, n)
    c = 10.0 ** rng.uniform(-2, 2, n)
    _, peak = band_peak(BandRays(c, l_in * s, l_out * s))
    bound = float(np.sum(c / s * peak_factor(l_in, l_out)))
    assert bound >= peak * (1.0 - 1e-9)
    # each term's own maximum is reached: one ray's bound is its peak
    _, one = band_peak(BandRays(c[:1], l_in[:1] * s[:1], l_out[:1] * s[:1]))
    assert c[0] / s[0] * peak_factor(l_in[:1], l_out[:1])[0] == pytest.approx(one, rel=1e-7)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_count_bound_is_above_the_peak(seed: int, n: int) -> None:
    # the cheap bound with which a scan skips masses that cannot have a band (W/Z parts)
    rng = np.random.default_rng(seed)
    a = 10.0 ** rng.uniform(-3, 3, n)
    b = a * (1.0 + 10.0 ** rng.uniform(-4, 1, n))
    c = 10.0 ** rng.uniform(-2, 2, n)
    rays = BandRays(c, a, b)
    _, peak = band_peak(rays)
    assert count_bound(rays) >= peak * (1.0 - 1e-12)
    # never tighter than the terms' own maxima
    assert count_bound(rays) >= float(np.sum(c * peak_factor(a, b))) * (1.0 - 1e-12)
    # a ray decaying from the collision point on (a = 0) has no bound
    assert count_bound(BandRays(c, np.zeros(n), b)) == math.inf
