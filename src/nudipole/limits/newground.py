"""The strongest existing limit at each mass, and where a projection goes beyond it.

*Envelope*: at mass m, the smallest d such that every coupling from d up to the top of the
catalogue (D_TOP) is excluded by some existing limit: the lower edge of the excluded region that
is connected to large couplings. Isolated bands at small d (SN1987A, BBN) do not lower it.

*New ground*: masses where the projected limit d95(m) lies outside every existing excluded
region, i.e. the projection excludes couplings just above d95 that nothing excluded before.
Interval edges are refined by bisection on the log-log interpolated projection, or solved on
the projection itself where it is given at any mass (:mod:`nudipole.limits.edges`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nudipole.limits.catalogue import D_TOP, LimitSet
from nudipole.limits.edges import CURVE_EDGE_RTOL as CURVE_EDGE_RTOL  # (its home before)
from nudipole.limits.edges import FreeOf, Sample, solve_edge
from nudipole.physics._types import ArrayLike, FloatArray

_D_GRID_ABOVE = np.geomspace(1e-14, 0.1 * D_TOP, 1801)  # 2 % steps in d
#: Couplings at which the envelope is evaluated: the grid above continued with the same step
#: down to 1e-24 GeV^-1, far below every catalogued region (BBN reaches down to ~1e-16), so
#: that no lower edge is ever the grid floor.
_D_GRID = np.concatenate(
    [
        _D_GRID_ABOVE[0] * (_D_GRID_ABOVE[1] / _D_GRID_ABOVE[0]) ** np.arange(-1125, 0),
        _D_GRID_ABOVE,
    ]
)


#: Masses evaluated together by :func:`envelope` (bounds its memory to ~100 MB).
_ENVELOPE_CHUNK = 2000


def envelope(limits: LimitSet, masses: FloatArray) -> FloatArray:
    """Lower edge (GeV^-1) of the top-connected excluded region at each mass; NaN if none
    (and NaN, never the grid floor, if a region reached below the grid)."""
    m = np.asarray(masses, dtype=float)
    out = np.full(m.shape, np.nan)
    for lo in range(0, m.size, _ENVELOPE_CHUNK):
        part = m[lo : lo + _ENVELOPE_CHUNK]
        excl = limits.excluded(part[:, None], _D_GRID[None, :])
        # Walk down from the top: the run of excluded points that reaches the top of the grid.
        top_run = np.flip(np.cumprod(np.flip(excl, axis=1), axis=1), axis=1).astype(bool)
        first = np.argmax(top_run, axis=1)
        has = top_run[:, -1] & (first > 0)
        out[lo : lo + _ENVELOPE_CHUNK] = np.where(has, _D_GRID[first], np.nan)
    return out


def coverage_start(limits: LimitSet) -> float:
    """Lowest mass (GeV) from which the set bounds large couplings (inf for an empty set).

    That is where the first "upper-curve" limit starts (1 MeV for the shipped curves); closed
    regions at small couplings (SN1987A from 10 keV) say nothing about d ~ 1e-5 GeV^-1. A set
    without upper curves falls back to its lowest digitised mass.
    """
    uppers = [lim.mass_range[0] for lim in limits if lim.geometry == "upper-curve"]
    if uppers:
        return min(uppers)
    return min((lim.mass_range[0] for lim in limits), default=float("inf"))


@dataclass(frozen=True)
class Interval:
    """A mass interval [low, high] in GeV."""

    low: float
    high: float

    def as_list(self) -> list[float]:
        return [self.low, self.high]


def _interp_loglog(mass: FloatArray, d95: FloatArray, m: float) -> float:
    return float(np.exp(np.interp(np.log(m), np.log(mass), np.log(d95))))


def _from_coverage_start(
    limits: LimitSet,
    m: FloatArray,
    low: FloatArray,
    high: FloatArray,
    free_of: FreeOf,
    value_at: Callable[[float], tuple[float, float]] | None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The grid (``m`` ascending, the band [``low``, ``high``]; low = high on a curve) from
    :func:`coverage_start` on. Where the grid begins below that start and its first mass
    from it on is new ground, the run of new ground may begin anywhere from the start to that
    mass: the projection at the start (``value_at``, or the log-log interpolation of the two
    grid masses around it) is put before the grid, so that the run begins there or at an
    edge solved after it, not at whichever grid mass comes first (a coarse grid)."""
    start = coverage_start(limits)
    inside = m >= start
    if not inside.any() or inside.all():
        return m[inside], low[inside], high[inside]
    i = int(np.argmax(inside))  # the first mass from the start on; m[i - 1] is below it
    finite = bool(np.isfinite(low[i]) and np.isfinite(high[i]))
    if m[i] == start or not (finite and bool(free_of(m[i], low[i], high[i]))):
        return m[inside], low[inside], high[inside]
    if value_at is not None:
        lo0, hi0 = (float(v) for v in value_at(start))
    elif np.isfinite(low[i - 1]) and np.isfinite(high[i - 1]):
        lo0 = _interp_loglog(m[i - 1 : i + 1], low[i - 1 : i + 1], start)
        hi0 = _interp_loglog(m[i - 1 : i + 1], high[i - 1 : i + 1], start)
    else:
        return m[inside], low[inside], high[inside]
    return (
        np.concatenate(([start], m[inside])),
        np.concatenate(([lo0], low[inside])),
        np.concatenate(([hi0], high[inside])),
    )


def _free_intervals(
    m: FloatArray,
    free: np.ndarray,
    free_at: Callable[[float], bool],
    refine: int,
    refinable: np.ndarray | None = None,
    rtol: float = 0.0,
) -> list[Interval]:
    """Runs of ``free`` masses as intervals, each inner edge refined by bisection in ln m
    between a free and a covered neighbour (``free_at`` decides at any mass), at most
    ``refine`` halvings or until the bracket is below ``rtol`` (relative) in mass. An edge
    towards a neighbour that ``refinable`` marks False stays at the free grid point."""

    def edge(i: int, free_at_lo: bool) -> float:
        lo, hi = m[i], m[i + 1]
        if refinable is not None and not (refinable[i] and refinable[i + 1]):
            return float(lo if free_at_lo else hi)
        a, b = np.log(lo), np.log(hi)
        for _ in range(refine):
            if b - a <= rtol:
                break
            mid = 0.5 * (a + b)
            if free_at(float(np.exp(mid))) == free_at_lo:
                a = mid
            else:
                b = mid
        return float(np.exp(0.5 * (a + b)))

    return _runs_as_intervals(m, free, edge)


def _runs_as_intervals(
    m: FloatArray, free: np.ndarray, edge: Callable[[int, bool], float]
) -> list[Interval]:
    """Runs of ``free`` grid masses as intervals; an inner edge between grid masses i and
    i + 1 is ``edge(i, free_at_lo)``, an edge at the end of the grid the grid mass."""
    intervals: list[Interval] = []
    i, n = 0, m.size
    while i < n:
        if not free[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and free[j + 1]:
            j += 1
        low = m[i] if i == 0 else edge(i - 1, False)
        high = m[j] if j == n - 1 else edge(j, True)
        intervals.append(Interval(float(low), float(high)))
        i = j + 1
    return intervals


def _solved_intervals(
    m: FloatArray,
    low: FloatArray,
    high: FloatArray,
    free: np.ndarray,
    sample: Callable[[float], Sample],
    free_of: FreeOf,
) -> list[Interval]:
    """Runs of ``free`` grid masses as intervals, each inner edge solved on the projection
    itself (``sample`` at any ln m) by :func:`~nudipole.limits.edges.solve_edge` to
    :data:`CURVE_EDGE_RTOL`."""
    rtol = math.log1p(CURVE_EDGE_RTOL)

    def at(i: int) -> Sample:
        return Sample(math.log(m[i]), float(low[i]), float(high[i]), bool(free[i]))

    def edge(i: int, free_at_lo: bool) -> float:
        # the grid's samples beside the bracket give the interpolation its curvature
        near = [at(j) for j in (i - 1, i + 2) if 0 <= j < m.size]
        return solve_edge(at(i), at(i + 1), sample, free_of, rtol, near)

    return _runs_as_intervals(m, free, edge)


def new_ground_intervals(
    limits: LimitSet,
    mass: FloatArray,
    d95: FloatArray,
    refine: int = 30,
    d95_at: Callable[[float], float] | None = None,
) -> list[Interval]:
    """Mass intervals where the projection (mass, d95) is not excluded by ``limits``.

    ``mass`` ascending (GeV), ``d95`` in GeV^-1 with NaN where there is no sensitivity (such
    masses are not new ground). Masses below :func:`coverage_start` are ignored; with no
    limits at all, nothing is claimed.

    An edge between two grid masses is where the projection crosses an existing limit. With
    ``d95_at`` (the projection at any mass, e.g. :func:`nudipole.reach.scan.reach_function`)
    it is solved on the curve itself, to :data:`CURVE_EDGE_RTOL` in mass, so it does not move
    with the grid; without, on the log-log interpolation of the grid (``refine`` halvings;
    an edge next to a mass without sensitivity then stays at the last grid mass).
    """
    m = np.asarray(mass, dtype=float)
    d = np.asarray(d95, dtype=float)

    def curve_free(mm: ArrayLike, low: ArrayLike, high: ArrayLike) -> np.ndarray:
        return ~np.asarray(limits.excluded(mm, low), dtype=bool)

    def curve_at(mm: float) -> tuple[float, float]:
        assert d95_at is not None
        value = float(d95_at(mm))
        return value, value

    # Below the lowest digitised mass the catalogue says nothing (the curves start where the
    # source plots start, 1 MeV): no claim of new ground is made there.
    m, d, _ = _from_coverage_start(
        limits, m, d, d, curve_free, None if d95_at is None else curve_at
    )
    finite = np.isfinite(d)
    if not finite.any():
        return []
    free = np.zeros(m.size, dtype=bool)
    free[finite] = ~np.asarray(limits.excluded(m[finite], d[finite]), dtype=bool)

    if d95_at is not None:
        curve = d95_at

        def curve_sample(t: float) -> Sample:
            value = float(curve(math.exp(t)))
            ok = math.isfinite(value)
            return Sample(t, value, value, ok and not bool(limits.excluded(math.exp(t), value)))

        return _solved_intervals(m, d, d, free, curve_sample, curve_free)
    mf, df = m[finite], d[finite]

    def free_at(mm: float) -> bool:
        return not bool(limits.excluded(mm, _interp_loglog(mf, df, mm)))

    return _free_intervals(m, free, free_at, refine, refinable=finite)


def _bands_have_free(
    limits: LimitSet, m: ArrayLike, low: ArrayLike, high: ArrayLike, n_d: int = 64
) -> np.ndarray:
    """True where some coupling of the band [low, high] at mass m (finite) is outside every
    limit, checked on ``n_d`` log-spaced couplings across each band."""
    lo = np.asarray(low, dtype=float)
    d = np.geomspace(lo, np.maximum(np.asarray(high, dtype=float), lo), n_d, axis=-1)
    mass = np.asarray(m, dtype=float)
    return np.asarray(~np.all(limits.excluded(mass[..., None], d), axis=-1))


def new_ground_band_intervals(
    limits: LimitSet,
    mass: FloatArray,
    d_low: FloatArray,
    d_high: FloatArray,
    refine: int = 30,
    band_at: Callable[[float], tuple[float, float]] | None = None,
) -> list[Interval]:
    """Mass intervals where a projected excluded band [d_low, d_high] (far detectors) reaches
    couplings that no existing limit excludes (checked on 64 log-spaced couplings across the
    band). With ``band_at`` (the band at any mass, e.g.
    :func:`nudipole.api.far_band_function`) an edge is solved on the band itself by bisection
    in ln m to :data:`CURVE_EDGE_RTOL`, so it does not move with the grid; without, on the
    log-log interpolated band edges (``refine`` halvings).
    """
    m = np.asarray(mass, dtype=float)
    lo = np.asarray(d_low, dtype=float)
    hi = np.asarray(d_high, dtype=float)

    def band_free(mm: ArrayLike, low: ArrayLike, high: ArrayLike) -> np.ndarray:
        return _bands_have_free(limits, mm, low, high)

    m, lo, hi = _from_coverage_start(limits, m, lo, hi, band_free, band_at)
    have = np.isfinite(lo) & np.isfinite(hi)
    if not have.any():
        return []
    # masses without a band stay in the grid as not new ground: an interval next to one
    # then ends where the band itself ends (solved with band_at) or at the last band mass
    free = np.zeros(m.size, dtype=bool)
    free[have] = _bands_have_free(limits, m[have], lo[have], hi[have])
    if band_at is not None:
        band = band_at

        def band_sample(t: float) -> Sample:
            low, high = (float(v) for v in band(math.exp(t)))
            ok = math.isfinite(low) and math.isfinite(high)
            return Sample(t, low, high, ok and bool(band_free(np.exp(t), low, high)))

        return _solved_intervals(m, lo, hi, free, band_sample, band_free)
    mh, lh, hh = m[have], lo[have], hi[have]

    def free_at(mm: float) -> bool:
        low, high = _interp_loglog(mh, lh, mm), _interp_loglog(mh, hh, mm)
        return bool(_bands_have_free(limits, np.float64(mm), low, high))

    return _free_intervals(m, free, free_at, refine, refinable=have)
