"""The excluded band of a far detector in d for one mass: [d_low, d_high].

With u = d^2, the expected number of signal events from rays i (weight w_i per unit d^2 and
luminosity, selection efficiency eps_i, decay segment [l_in, l_out], momentum p_i) is

    N(u) = L u sum_i w_i eps_i [exp(-a_i u) - exp(-b_i u)],
    a_i = l_in,i m g / p_i,  b_i = l_out,i m g / p_i,

where Gamma(N -> nu gamma) = g u (g = m^3/(4 pi), twice that for a Majorana N; seed Eq. 4).
N grows as u^2 for long-lived N (few decays in the volume) and falls exponentially once N
decays before the detector, so {u : N(u) >= S95} is an interval (one maximum: each term
rises then falls). The solver evaluates N on a log grid spanning every ray's scale, takes
the maximum, and refines both crossings with Brent's method in ln u to a relative tolerance
far below the 1 % asked of the band (deterministic, no Monte Carlo).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from nudipole.physics._types import FloatArray

#: Relative tolerance on d of the band edges.
EDGE_RTOL = 1.0e-6


@dataclass(frozen=True)
class BandRays:
    """Everything the count needs, per ray: the prefactor c_i = L w_i eps_i (events per unit
    u, GeV^2) and the exponents a_i, b_i per unit u (GeV^2), see the module docstring."""

    coeff: FloatArray
    a: FloatArray
    b: FloatArray

    def events(self, u: float) -> float:
        """N(u), u = d^2 in GeV^-2."""
        if self.coeff.size == 0:
            return 0.0
        span = np.maximum(self.b - self.a, 0.0)
        return float(u * np.dot(self.coeff, np.exp(-self.a * u) * -np.expm1(-span * u)))

    def events_many(self, u: FloatArray) -> FloatArray:
        """N for several u at once (memory: rays x len(u), chunked)."""
        out = np.empty(u.size)
        span = np.maximum(self.b - self.a, 0.0)
        step = max(1, 4_000_000 // max(1, self.coeff.size))
        for k in range(0, u.size, step):
            uu = u[k : k + step][None, :]
            terms = np.exp(-self.a[:, None] * uu) * -np.expm1(-span[:, None] * uu)
            out[k : k + step] = u[k : k + step] * (self.coeff @ terms)
        return out


def solve_band(rays: BandRays, threshold: float, n_grid: int = 65) -> tuple[float, float]:
    """Edges (d_low, d_high) in GeV^-1 of {d : N(d^2) >= threshold}; (nan, nan) if N never
    reaches the threshold."""
    ok = rays.coeff > 0.0
    if not np.any(ok) or not threshold > 0.0:
        return math.nan, math.nan
    rr = BandRays(rays.coeff[ok], rays.a[ok], rays.b[ok])
    # Scales: decays start to be lost when a u ~ 1; decays begin to happen when b u ~ 1.
    u_lo = 1e-3 / float(np.max(rr.b))
    pos = rr.a[rr.a > 0.0]
    u_hi = 1e3 / float(np.min(pos)) if pos.size else 1e3 * u_lo * 1e12
    # Long-lived limit N ~ u^2 sum c (b - a): start low enough that N(u_lo) < threshold.
    slope = float(np.dot(rr.coeff, rr.b - rr.a))
    if slope > 0.0:
        u_lo = min(u_lo, 0.1 * math.sqrt(threshold / slope))
    grid = np.geomspace(u_lo, u_hi, n_grid)
    values = rr.events_many(grid)
    k = int(np.argmax(values))
    if values[k] < threshold:
        # The peak may fall between grid points: maximise ln N in ln u around it.
        t_lo = math.log(grid[max(k - 1, 0)])
        t_hi = math.log(grid[min(k + 1, n_grid - 1)])
        best = minimize_scalar(
            lambda t: -rr.events(math.exp(t)), bounds=(t_lo, t_hi), method="bounded"
        )
        u_peak = math.exp(float(best.x))
        if rr.events(u_peak) < threshold:
            return math.nan, math.nan
        grid = np.sort(np.append(grid, u_peak))
        values = rr.events_many(grid)
        n_grid = grid.size
        k = int(np.argmax(values))
    lo_idx = k
    while lo_idx > 0 and values[lo_idx - 1] >= threshold:
        lo_idx -= 1
    hi_idx = k
    while hi_idx < n_grid - 1 and values[hi_idx + 1] >= threshold:
        hi_idx += 1

    def f(t: float) -> float:
        return rr.events(math.exp(t)) - threshold

    edges: list[float] = []
    for inside, outside in ((lo_idx, lo_idx - 1), (hi_idx, hi_idx + 1)):
        if outside < 0 or outside >= n_grid:
            edges.append(math.nan)  # the band runs off the scanned range
            continue
        t = brentq(
            f,
            math.log(grid[min(inside, outside)]),
            math.log(grid[max(inside, outside)]),
            xtol=2 * EDGE_RTOL,
            rtol=1e-12,
        )
        edges.append(math.exp(0.5 * t))
    return edges[0], edges[1]


#: Cell width in ln(l/p) used to merge rays before the solve (1 %: the exponents of merged
#: rays differ by at most that fraction; the count changes at second order, see
#: :func:`merge_rays`, far below the 1 % asked of the band edges).
MERGE_LOG_STEP = 1.0e-2
#: Largest cell index range accumulated densely (memory 3 x 8 bytes per cell).
DENSE_CELLS = 20_000_000


def merge_rays(coeff: FloatArray, a: FloatArray, b: FloatArray) -> BandRays:
    """Merge rays whose exponents a and b agree within :data:`MERGE_LOG_STEP` in ln: the cell
    keeps the summed prefactor and the prefactor-weighted mean exponents. The count is linear
    in the prefactors and smooth in the exponents, so the merge changes N(u) by a relative
    amount of order (step x a u)^2 / 2 and never by more than the step times a u."""
    keep = (coeff > 0.0) & (b > a)
    c, aa, bb = coeff[keep], a[keep], b[keep]
    if c.size == 0:
        return BandRays(np.empty(0), np.empty(0), np.empty(0))
    # a = 0 (a detector around the interaction point) gets a key below every other; the
    # weighted mean of zeros stays exactly zero.
    log_a = np.log(np.where(aa > 0.0, aa, np.min(bb) * 1e-12))
    key_a = np.floor(log_a / MERGE_LOG_STEP).astype(np.int64)
    key_b = np.floor(np.log(bb) / MERGE_LOG_STEP).astype(np.int64)
    key_a -= key_a.min()
    key_b -= key_b.min()
    flat = key_a * (int(key_b.max()) + 1) + key_b
    size = int(flat.max()) + 1
    if size <= DENSE_CELLS:  # dense accumulation: no sort
        total = np.asarray(np.bincount(flat, weights=c, minlength=size), dtype=float)
        used = np.flatnonzero(total)
        sum_a = np.bincount(flat, weights=c * aa, minlength=size)[used]
        sum_b = np.bincount(flat, weights=c * bb, minlength=size)[used]
        total = total[used]
    else:
        _, cell = np.unique(flat, return_inverse=True)
        total = np.asarray(np.bincount(cell, weights=c), dtype=float)
        sum_a = np.bincount(cell, weights=c * aa)
        sum_b = np.bincount(cell, weights=c * bb)
    return BandRays(coeff=total, a=sum_a / total, b=sum_b / total)
