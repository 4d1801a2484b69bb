"""Where a far detector's band ends in mass: between a scanned mass with a band and one
without, the mass at which the largest count max_d N(m, d) crosses the signal threshold."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from nudipole.numerics import root_bracketed
from nudipole.physics._types import FloatArray
from nudipole.reach.band import BandRays, band_peak, solve_band
from nudipole.reach.result import BandEnd

#: Relative precision in mass of :func:`band_ends`: that of the new-ground edges
#: (:data:`nudipole.limits.newground.CURVE_EDGE_RTOL`), so that an edge of new ground where a
#: band ends needs no evaluation of its own (:meth:`ReachResult.band_samples` brackets it
#: to the end's tolerance, half of this). Brent's method converges fast on the smooth
#: ln(max N / S95): the nine bands of ``fig_lhc_far`` take no measurable extra time against
#: 1e-3, and the headline's new-ground edges 23 evaluations instead of 43 (at 1e-3 FACET's
#: end was placed at 0.4197 GeV, 0.09 % short of 0.4201).
BAND_END_RTOL = 1.0e-4


#: Masses a far-detector scan evaluates at a time (:func:`nudipole.reach.far_scan.
#: compute_far_reach`): it holds the rays of at most these and of the masses beside an
#: island's end (:class:`ScannedRays`), some 60 kB each on MAPP-2.
SCAN_BLOCK = 64


class ScannedRays:
    """The merged rays of a scan's masses that :func:`band_ends` needs: those beside an
    island's end (a neighbour with a band where this mass has none, or the reverse), by
    index in the scan. Masses are added as they are scanned; :meth:`keep_beside_ends` drops
    the others once both their neighbours are known."""

    def __init__(self) -> None:
        self.rays: dict[int, BandRays] = {}

    def add(self, index: int, rays: BandRays | None) -> None:
        """Keep the rays of scanned mass ``index`` (None: none made, nothing kept)."""
        if rays is not None:
            self.rays[index] = rays

    def keep_beside_ends(self, have: np.ndarray, complete: bool = False) -> None:
        """Drop the rays of every mass whose neighbours agree with it on whether there is a
        band (``have``, the masses scanned so far); the last one is kept until its next
        neighbour is scanned, unless the scan is ``complete``."""
        last = have.size - 1
        for i in list(self.rays):
            beside = (i > 0 and have[i - 1] != have[i]) or (i < last and have[i + 1] != have[i])
            if not beside and (i < last or complete):
                del self.rays[i]


def band_ends(
    masses: FloatArray,
    lower: FloatArray,
    band_at: Callable[[float], BandRays],
    threshold: float,
    rtol: float = BAND_END_RTOL,
    scanned: Mapping[int, BandRays] | None = None,
) -> tuple[BandEnd, ...]:
    """Where each island of a band ends between two scanned masses.

    Between neighbours of which one has a band (finite ``lower``) and one has none, the mass
    at which the largest count max_d N(m, d) crosses ``threshold`` is bracketed and solved by
    Brent's method on ln(max N / S95) in ln m, to ``rtol`` in mass; the band (both edges) at
    the bracket's end on the band's side is returned. Where the island closes smoothly the
    two edges meet at the peak; where a channel closes kinematically (max N jumps) the
    solution is the kinematic threshold and the edges stay apart, a vertical end.

    ``scanned``: the rays that the scan computed at some of ``masses`` (by index; those of
    :func:`band_at` there, as :class:`ScannedRays` keeps them), used at the bracket's ends
    instead of calling ``band_at`` again: two evaluations fewer per end, and the same ends to
    rounding (the scan's rays come from energy rules made for all its masses at once).
    """
    ends: list[BandEnd] = []
    have = np.isfinite(lower)
    cache: dict[float, float] = {}
    # the rays of every mass evaluated for this end: the band at the final one is solved on
    # them (one evaluation of band_at less per end; a few per end, dropped after it)
    rays_at: dict[float, BandRays] = {}

    def g(t: float) -> float:
        if t not in cache:
            if t not in rays_at:
                rays_at[t] = band_at(math.exp(t))
            _, peak = band_peak(rays_at[t])
            cache[t] = math.log(max(peak, 1e-300) / threshold)
        return cache[t]

    for i in range(masses.size - 1):
        if have[i] == have[i + 1]:
            continue
        for j in (i, i + 1):
            # at the scanned mass itself, not at exp(ln m): the rays of a mass the scan
            # skipped (far_bounds) are then those it would have kept, to the last digit
            mass_j = float(masses[j])
            if scanned is not None and j in scanned:
                rays_at[math.log(mass_j)] = scanned[j]
            else:
                rays_at[math.log(mass_j)] = band_at(mass_j)
        side = "upper" if have[i] else "lower"
        t_a, t_b = math.log(float(masses[i])), math.log(float(masses[i + 1]))
        t_in, t_out = (t_a, t_b) if have[i] else (t_b, t_a)
        if g(t_in) < 0.0 or g(t_out) >= 0.0:
            # band_peak and the scan's solve_band disagree at a scanned mass (the peak
            # within rounding of the threshold): the scanned mass stays the end
            continue
        root_bracketed(g, t_a, t_b, xtol=rtol, rtol=1e-12)
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
