"""The ray merger of the band solve (RayMerger, merge_rays) against a reference merge and the
unmerged rays, and the single-precision scan of solve_band."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nudipole.reach import band
from nudipole.reach.band import BandRays, RayMerger, merge_rays, solve_band


def _rays(rng: np.random.Generator, n: int, zero: bool) -> tuple[np.ndarray, ...]:
    a = np.exp(rng.uniform(5, 9, n))
    if zero:
        a[rng.random(n) < 0.2] = 0.0
    b = np.where(a > 0, a, np.exp(rng.uniform(5, 9, n))) * np.exp(rng.uniform(0, 0.3, n))
    c = rng.uniform(0, 1, n)
    c[rng.random(n) < 0.05] = 0.0
    return c, a, b


def _reference_merge(c: np.ndarray, a: np.ndarray, b: np.ndarray) -> BandRays:
    """Cells keyed by (floor(ln a / step), floor(ln b / step)) in a dict (a = 0: one key)."""
    sums: dict[tuple[float, int], list[float]] = {}
    step = band.MERGE_LOG_STEP
    for ci, ai, bi in zip(c, a, b, strict=True):
        if ci <= 0 or bi <= ai:
            continue
        key = (
            math.floor(math.log(ai) / step) if ai > 0 else -math.inf,
            math.floor(math.log(bi) / step),
        )
        acc = sums.setdefault(key, [0.0, 0.0, 0.0])
        acc[0] += ci
        acc[1] += ci * ai
        acc[2] += ci * bi
    tot = np.array([v[0] for v in sums.values()])
    return BandRays(
        tot,
        np.array([v[1] for v in sums.values()]) / tot,
        np.array([v[2] for v in sums.values()]) / tot,
    )


@pytest.mark.parametrize("zero", [False, True])
def test_merger_block_by_block_equals_merge_rays(zero: bool) -> None:
    rng = np.random.default_rng(1)
    c, a, b = _rays(rng, 4000, zero)
    group = rng.integers(0, 3, c.size)
    merger = RayMerger(4)
    for lo in range(0, c.size, 700):
        sl = slice(lo, lo + 700)
        for k in range(3):
            s = group[sl] == k
            merger.add(k, c[sl][s], a[sl][s], b[sl][s])
    ref, got = _reference_merge(c, a, b), merger.rays()
    np.testing.assert_allclose(merge_rays(c, a, b).coeff.sum(), ref.coeff.sum(), rtol=1e-12)
    o_r, o_g = np.lexsort((ref.b, ref.a)), np.lexsort((got.b, got.a))
    for x, y in ((ref.coeff, got.coeff), (ref.a, got.a), (ref.b, got.b)):
        np.testing.assert_allclose(y[o_g], x[o_r], rtol=1e-12)
    u = 1e-7
    assert sum(merger.rays(k).events(u) for k in range(4)) == pytest.approx(
        got.events(u), rel=1e-12
    )
    assert merger.rays(3).coeff.size == 0


@pytest.mark.parametrize("factor", [0.5, 0.97, 1.03, 2.0])
def test_band_does_not_depend_on_the_scan_precision(monkeypatch, factor: float) -> None:
    # A scan that is off by a factor (the real one: 1e-6) only changes the brackets: the
    # solver falls back to the exact count where a bracket is wrong.
    rng = np.random.default_rng(3)
    cases = []
    for _ in range(40):
        n = int(rng.integers(1, 100))
        a = np.exp(rng.uniform(8, 16, n))
        cases.append(
            BandRays(
                np.exp(rng.uniform(0, 6, n)) * 10 ** rng.uniform(-2, 14),
                a,
                a * np.exp(rng.uniform(1e-4, 0.5, n)),
            )
        )
    exact = [solve_band(r, 3.0) for r in cases]
    scan = band._scan
    monkeypatch.setattr(band, "_scan", lambda r, u: factor * scan(r, u))
    for r, ref in zip(cases, exact, strict=True):
        got = solve_band(r, 3.0)
        for x, y in zip(got, ref, strict=True):
            assert math.isnan(x) == math.isnan(y)
            if not math.isnan(x):
                assert x == pytest.approx(y, rel=2e-6)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_merging_moves_the_band_edges_at_second_order_only(seed: int) -> None:
    # 20 000 rays spread over a factor 55 in l/p: the band of the merged rays against the band
    # of the rays themselves. The merge keeps the first moments of the exponents in every
    # cell, so N changes by O((step a u)^2); the edges, where N = S95, by far less than 1 %.
    rng = np.random.default_rng(seed)
    c, a, b = _rays(rng, 20_000, zero=False)
    ok = (c > 0) & (b > a)
    raw = BandRays(c[ok], a[ok], b[ok])
    merged = merge_rays(c, a, b)
    assert merged.coeff.size < raw.coeff.size / 5
    peak = band.band_peak(raw)[1]
    for fraction in (1e-3, 0.1, 0.9):
        lo_raw, hi_raw = solve_band(raw, fraction * peak)
        lo_m, hi_m = solve_band(merged, fraction * peak)
        assert lo_m == pytest.approx(lo_raw, rel=1e-3)
        assert hi_m == pytest.approx(hi_raw, rel=1e-3)
