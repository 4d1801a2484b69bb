"""Upper bounds of a far detector's largest count over d at one mass: a mass whose bound
stays below the signal threshold has no band, and the scan need not make its rays.

The count of :mod:`nudipole.reach.band` is N(u) = u sum_i c_i [exp(-a_i u) - exp(-b_i u)]
(u = d^2, a_i = l_in,i s_i, b_i = l_out,i s_i with the decay scale s_i = m g / p_i of the
ray). The largest count over u is at most the sum of each term's own largest value, and
a term's largest value is c_i / s_i times :func:`peak_factor` (l_in, l_out), which depends
on the segment only: a mass-independent number per hit of the detector table, summed per
polar angle by :func:`row_bounds`. The compiled count then bounds a mass from its rays
alone, without adding their hits to the cells (the bound mode of
:func:`nudipole.reach._far_kernel.flux_rays_kernel`). Where the segment starts at the
collision point (l_in = 0) the term grows without limit as u falls: no bound (inf).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from nudipole.physics._types import FloatArray
from nudipole.reach.band import BandRays

#: A mass is skipped as bandless only if the upper bound of its count stays below this
#: fraction of the threshold: a margin far above what separates the count of the merged
#: cells that the band is solved on from that of the rays themselves (below 1e-3; the
#: reference masses of the W/Z parts, 2e-4).
NO_BAND_MARGIN = 0.98

#: Bisection steps of :func:`peak_factor` on x in [1, 2]: 2^-60 < 1e-18, below rounding.
_BISECT_STEPS = 60


def peak_factor(l_in: FloatArray, l_out: FloatArray) -> FloatArray:
    """max over t >= 0 of t [exp(-l_in t) - exp(-l_out t)] (units of 1/l), elementwise.

    With x = l_in t and r = l_out / l_in > 1 this is G(r) / l_in, G(r) = max_x g(x),
    g(x) = x [exp(-x) - exp(-r x)]. g'(x) = exp(-x) (1 - x) - exp(-r x) (1 - r x) is
    positive at x = 1 (exp(-r) (r - 1)) and negative at x = 2 (exp(-2r) (2r - 1) < exp(-2)
    for r > 1), so the maximum lies in [1, 2] and is found by bisection on g'. Limits
    (derived): G -> 1/e for r -> inf (at x = 1), G -> 4 (r - 1) / e^2 for r -> 1 (at x = 2).
    A segment of no length away from the collision point (0 < l_in, l_out <= l_in) gives
    0; one from the collision point on (l_in = 0), and any other (NaN, l_in < 0), inf: no
    bound, never a skipped mass.
    """
    l_in = np.asarray(l_in, dtype=float)
    l_out = np.asarray(l_out, dtype=float)
    ok = (l_in > 0.0) & (l_out > l_in)
    safe_in = np.where(ok, l_in, 1.0)
    # r - 1 from the difference of the lengths (exact where they are close), not from r
    excess = np.where(ok, (l_out - l_in) / safe_in, 1.0)
    r = 1.0 + excess
    lo = np.ones_like(r)
    hi = np.full_like(r, 2.0)
    with np.errstate(invalid="ignore", over="ignore"):  # l_out = inf: r x exp(-r x) -> 0
        for _ in range(_BISECT_STEPS):
            x = 0.5 * (lo + hi)
            rising = np.exp(-x) * (1.0 - x) > np.exp(-r * x) * (1.0 - r * x)
            lo = np.where(rising, x, lo)
            hi = np.where(rising, hi, x)
    x = 0.5 * (lo + hi)
    # exp(-x) - exp(-r x) as exp(-x) (1 - exp(-(r - 1) x)): no cancellation for r near 1
    value = x * np.exp(-x) * -np.expm1(-excess * x) / safe_in
    return np.where(ok, value, np.where((l_in > 0.0) & (l_out <= l_in), 0.0, math.inf))


def row_bounds(
    start: npt.NDArray[np.int64],
    count: npt.NDArray[np.int64],
    w_az: FloatArray,
    l_in: FloatArray,
    l_out: FloatArray,
) -> FloatArray:
    """Per polar angle of a detector table (its hits ``start`` .. ``start + count``, each an
    azimuthal weight and a segment), sum_h w_h :func:`peak_factor` (l_in,h, l_out,h) (length,
    GeV^-1): a ray of that polar angle with prefactor c and decay scale s adds at most
    c / s times it to the count at any d. inf where a hit of positive weight starts at the
    collision point."""
    w = np.asarray(w_az, dtype=float)
    per_hit = w * np.where(w > 0.0, peak_factor(l_in, l_out), 0.0)  # (0 x inf is not 0)
    out = np.zeros(np.asarray(count).size)
    row = np.repeat(np.arange(out.size), count)
    np.add.at(out, row, per_hit[np.asarray(start)[row] + _rank_in_row(count)])
    return out


def _rank_in_row(count: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """0, 1, ..., count[g] - 1 for every row g, concatenated."""
    count = np.asarray(count, dtype=np.int64)
    total = int(count.sum())
    first = np.cumsum(count) - count
    return np.arange(total, dtype=np.int64) - np.repeat(first, count)


def count_bound(rays: BandRays) -> float:
    """An upper bound of max over u of N(u) = u sum c (e^(-a u) - e^(-b u)) (events) from the
    merged rays themselves: each term is at most c / (e a) (u e^(-a u) <= 1/(e a), the
    bracket <= 1) and at most c 4 (b - a) / (e a)^2 (the bracket <= (b - a) u,
    u^2 e^(-a u) <= 4 / (e a)^2); a ray with a = 0 (decaying from the collision point on)
    has none (inf)."""
    a, b, c = rays.a, rays.b, rays.coeff
    if c.size == 0:
        return 0.0
    with np.errstate(divide="ignore"):
        ea = math.e * a
        per = np.where(a > 0.0, np.minimum(1.0 / ea, 4.0 * (b - a) / (ea * ea)), np.inf)
    return float(np.sum(c * per))
