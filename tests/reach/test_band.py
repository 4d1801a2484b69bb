"""The band solver of far detectors (nudipole.reach.band)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.reach.band import BandRays, solve_band


def _rays(rng: np.random.Generator, n: int) -> BandRays:
    a = rng.uniform(1e5, 1e7, n)
    return BandRays(coeff=rng.uniform(0.1, 1.0, n) * 1e14, a=a, b=a * rng.uniform(1.001, 1.1, n))


def test_single_ray_edges_solve_the_count() -> None:
    rays = BandRays(coeff=np.array([1e12]), a=np.array([1e6]), b=np.array([1.01e6]))
    lo, hi = solve_band(rays, 3.0)
    assert 0 < lo < hi
    for d in (lo, hi):
        assert rays.events(d**2) == pytest.approx(3.0, rel=1e-6)
    # Inside the band the count exceeds the threshold, outside it does not.
    assert rays.events(lo * hi) > 3.0
    assert rays.events((0.9 * lo) ** 2) < 3.0
    assert rays.events((1.1 * hi) ** 2) < 3.0


def test_long_lived_edge_scales_as_rate_to_minus_quarter() -> None:
    # Lower edge: N ~ u^2 sum c (b - a), so d_low ~ (rate)^(-1/4).
    # Deep in the long-lived regime (b u ~ 1e-4 at the edge) the scaling is exact to 1e-4.
    rays = BandRays(coeff=np.array([1e14]), a=np.array([1e5]), b=np.array([1.2e5]))
    lo1, _ = solve_band(rays, 3.0)
    rays16 = BandRays(coeff=16 * rays.coeff, a=rays.a, b=rays.b)
    lo16, _ = solve_band(rays16, 3.0)
    assert lo16 / lo1 == pytest.approx(0.5, rel=2e-3)


def test_no_band_when_the_peak_is_below_threshold() -> None:
    rays = BandRays(coeff=np.array([1.0]), a=np.array([1e6]), b=np.array([1.01e6]))
    assert all(math.isnan(x) for x in solve_band(rays, 3.0))
    empty = BandRays(np.empty(0), np.empty(0), np.empty(0))
    assert all(math.isnan(x) for x in solve_band(empty, 3.0))


def test_narrow_band_near_closure_is_found() -> None:
    # Scale the rate so that the maximum is only 1 % above the threshold.
    rays = BandRays(coeff=np.array([1.0]), a=np.array([1e6]), b=np.array([1.01e6]))
    u = np.geomspace(1e-9, 1e-4, 20001)
    peak = rays.events_many(u).max()
    rays = BandRays(coeff=rays.coeff * 3.03 / peak, a=rays.a, b=rays.b)
    lo, hi = solve_band(rays, 3.0)
    assert math.isfinite(lo)
    assert math.isfinite(hi)
    assert hi / lo < 1.3


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 50))
def test_edges_agree_with_a_dense_scan(seed: int, n: int) -> None:
    rays = _rays(np.random.default_rng(seed), n)
    lo, hi = solve_band(rays, 3.0)
    d = np.geomspace(1e-6, 1e-1, 6001)
    inside = rays.events_many(d**2) >= 3.0
    if not inside.any():
        assert math.isnan(lo)
        return
    assert d[inside][0] == pytest.approx(lo, rel=2e-3)
    assert d[inside][-1] == pytest.approx(hi, rel=2e-3)


def test_rays_from_the_interaction_point_on() -> None:
    """A detector that begins at the interaction point (a = 0, l_in = 0) and reaches far
    (b u beyond float32's square root on the scan grid): the band is solved without an
    overflow warning (pytest makes warnings errors), and equals the one-ray closed form."""
    rays = BandRays(coeff=np.array([1e12]), a=np.array([0.0]), b=np.array([1e25]))
    lo, hi = solve_band(rays, 3.0)
    # N(u) = c u (1 - e^{-b u}): for b u >> 1, N = c u; the lower edge at u = 3 / c
    assert lo * lo == pytest.approx(3.0 / 1e12, rel=1e-6)
    # N grows without end: the band runs off the scanned range, and its upper edge is NaN
    assert math.isnan(hi)
