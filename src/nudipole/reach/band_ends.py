"""Where a far detector's band ends in mass: between a scanned mass with a band and one
without, the mass at which the largest count max_d N(m, d) crosses the signal threshold."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nudipole.physics._types import FloatArray
from nudipole.reach.band import BandRays, band_peak, solve_band
from nudipole.reach.result import BandEnd

#: Relative precision in mass of :func:`band_ends`.
BAND_END_RTOL = 1.0e-3


def band_ends(
    masses: FloatArray,
    lower: FloatArray,
    band_at: Callable[[float], BandRays],
    threshold: float,
    rtol: float = BAND_END_RTOL,
) -> tuple[BandEnd, ...]:
    """Where each island of a band ends between two scanned masses.

    Between neighbours of which one has a band (finite ``lower``) and one has none, the mass
    at which the largest count max_d N(m, d) crosses ``threshold`` is bracketed and solved by
    Brent's method on ln(max N / S95) in ln m, to ``rtol`` in mass; the band (both edges) at
    the bracket's end on the band's side is returned. Where the island closes smoothly the
    two edges meet at the peak; where a channel closes kinematically (max N jumps) the
    solution is the kinematic threshold and the edges stay apart, a vertical end.
    """
    from scipy.optimize import brentq  # here, not at import: `import nudipole` stays light

    ends: list[BandEnd] = []
    have = np.isfinite(lower)
    cache: dict[float, float] = {}
    # the rays of every mass evaluated for this end: the band at the final one is solved on
    # them (one evaluation of band_at less per end; a few per end, dropped after it)
    rays_at: dict[float, BandRays] = {}

    def g(t: float) -> float:
        if t not in cache:
            rays_at[t] = band_at(math.exp(t))
            _, peak = band_peak(rays_at[t])
            cache[t] = math.log(max(peak, 1e-300) / threshold)
        return cache[t]

    for i in range(masses.size - 1):
        if have[i] == have[i + 1]:
            continue
        side = "upper" if have[i] else "lower"
        t_a, t_b = math.log(float(masses[i])), math.log(float(masses[i + 1]))
        t_in, t_out = (t_a, t_b) if have[i] else (t_b, t_a)
        if g(t_in) < 0.0 or g(t_out) >= 0.0:
            # band_peak and the scan's solve_band disagree at a scanned mass (the peak
            # within rounding of the threshold): the scanned mass stays the end
            continue
        brentq(g, t_a, t_b, xtol=rtol, rtol=1e-12)
        # the evaluated masses nearest the crossing on either side (Brent's final bracket)
        t_in = min((t for t, v in cache.items() if v >= 0.0), key=lambda t: abs(t - t_out))
        t_out = min((t for t, v in cache.items() if v < 0.0), key=lambda t: abs(t - t_in))
        rays = rays_at[t_in]
        lo, hi = solve_band(rays, threshold)
        if not math.isfinite(lo):  # the peak within rounding of the threshold
            lo = hi = band_peak(rays)[0]
        ends.append(
            BandEnd(
                mass=math.exp(t_in),
                d95=lo,
                d95_upper=hi,
                side=side,
                tolerance=abs(math.expm1(t_out - t_in)),
            )
        )
        cache.clear()
        rays_at.clear()
    return tuple(ends)
