"""The excluded band of a far detector in d for one mass: [d_low, d_high].

With u = d^2, the expected number of signal events from rays i (weight w_i per unit d^2 and
luminosity, selection efficiency eps_i, decay segment [l_in, l_out], momentum p_i) is

    N(u) = L u sum_i w_i eps_i [exp(-a_i u) - exp(-b_i u)],
    a_i = l_in,i m g / p_i,  b_i = l_out,i m g / p_i,

where Gamma(N -> nu gamma) = g u (g = m^3/(4 pi), twice that for a Majorana N; seed Eq. 4).
N grows as u^2 for long-lived N (few decays in the volume) and falls exponentially once N
decays before the detector, so {u : N(u) >= S95} is an interval (one maximum: each term
rises then falls). The solver evaluates N on a log grid spanning every ray's scale (in single
precision, every fourth point first), takes the maximum, and refines both crossings with
Brent's method in ln u in double precision to a relative tolerance far below the 1 % asked of
the band (deterministic, no Monte Carlo). Rays whose exponents agree within 1 % are merged
first (:func:`merge_rays`, or :class:`RayMerger` block by block).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from nudipole.numerics import NotBracketedError, minimize_bounded, root_bracketed
from nudipole.physics._types import FloatArray

IntArray = npt.NDArray[np.int64]

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


#: Exponents beyond which a ray is dropped from the scan of :func:`solve_band`
#: (exp(-80) ~ 2e-35; it also keeps single precision clear of subnormal numbers).
_SCAN_EXP_MAX = 80.0
#: Below this (b - a) u, 1 - exp(-(b - a) u) is taken from its series in the scan.
_SCAN_SERIES_MAX = 1.0e-2


def _scan(rays: BandRays, u: FloatArray) -> FloatArray:
    """N at the ascending points ``u`` in single precision (relative error below 1e-5,
    enough to locate the band on the grid; the edges are solved in double precision).

    Rays with a u > 80 are dropped (their terms are below exp(-80) ~ 2e-35); 1 - exp(-x) is
    its three-term series x (1 - x/2 + x^2/6) for x < 1e-2 (remainder below x^3/24)."""
    order = np.argsort(rays.a, kind="stable")
    a32 = rays.a[order].astype(np.float32)
    span32 = np.maximum(rays.b - rays.a, 0.0)[order].astype(np.float32)
    coeff = rays.coeff[order]
    out = np.empty(u.size)
    step = max(1, (1 << 14) // max(1, coeff.size))
    for k in range(0, u.size, step):
        uu = u[k : k + step]
        n = int(np.searchsorted(a32, _SCAN_EXP_MAX / uu[0], side="right"))
        uu32 = uu.astype(np.float32)[:, None]
        arg = a32[None, :n] * uu32
        np.minimum(arg, _SCAN_EXP_MAX, out=arg)
        np.negative(arg, out=arg)
        terms = np.exp(arg, out=arg)
        x = span32[None, :n] * uu32
        # (the series on x clipped to where it is used: a ray from the interaction point on,
        # a = 0, can have x beyond float32's square root)
        xs = np.minimum(x, np.float32(_SCAN_SERIES_MAX))
        series = xs * (1.0 - xs * (0.5 - xs * (1.0 / 6.0)))
        big = x >= _SCAN_SERIES_MAX
        if np.any(big):
            np.negative(x, out=x)
            np.exp(x, out=x)
            np.subtract(1.0, x, out=series, where=big)
        terms *= series
        out[k : k + step] = uu * (terms @ coeff[:n])
    return out


#: Every _COARSE-th point of the grid of :func:`solve_band` is scanned first; the points in
#: between only where the count crosses the threshold or peaks.
_COARSE = 4
#: Exponent a u above which a ray is left out of the exact count (its term is below
#: exp(-700) times its prefactor, under the smallest double).
_EXACT_EXP_MAX = 700.0


class _MisplacedError(Exception):
    """The single-precision scan put a grid point on the wrong side of the threshold."""


def band_peak(rays: BandRays, n_grid: int = 65) -> tuple[float, float]:
    """The largest count: (d_peak in GeV^-1, N(d_peak^2)); (nan, 0) without rays.

    N(u) has one maximum (module docstring). It is bracketed on a log grid in u from the
    long-lived regime (N ~ u^2 sum c (b - a)) to 1e3 / min(a) (every ray decayed before the
    detector), in double precision, and refined by bounded Brent minimisation of -N in ln u
    (relative tolerance 1e-8 in u). A band exists at this mass iff N(d_peak^2) >= S95; where
    the band closes in mass the two edges meet at d_peak.
    """
    ok = (rays.coeff > 0.0) & (rays.b > rays.a)
    if not np.any(ok):
        return math.nan, 0.0
    coeff, a, b = rays.coeff[ok], rays.a[ok], rays.b[ok]
    span = b - a
    pos = a[a > 0.0]
    # N(u) ~ u^2 sum c (b - a) below u ~ 1 / max(b); the grid starts well inside that regime
    u_lo = 1e-3 / float(np.max(b))
    u_hi = 1e3 / float(np.min(pos)) if pos.size else 1e9 / float(np.max(b))
    grid = np.geomspace(u_lo, max(u_hi, 1e3 * u_lo), n_grid)

    def count(u: float) -> float:
        return float(u * np.dot(coeff, np.exp(-a * u) * -np.expm1(-span * u)))

    values = np.array([count(u) for u in grid])
    k = int(np.argmax(values))
    t_lo = math.log(grid[max(k - 1, 0)])
    t_hi = math.log(grid[min(k + 1, n_grid - 1)])
    t_best, _ = minimize_bounded(lambda t: -count(math.exp(t)), t_lo, t_hi, xatol=1e-8)
    u_peak = math.exp(t_best)
    n_peak = count(u_peak)
    if values[k] > n_peak:  # the grid point itself (flat top, or the peak at the grid's end)
        u_peak, n_peak = float(grid[k]), float(values[k])
    return math.sqrt(u_peak), n_peak


def solve_band(rays: BandRays, threshold: float, n_grid: int = 65) -> tuple[float, float]:
    """Edges (d_low, d_high) in GeV^-1 of {d : N(d^2) >= threshold}; (nan, nan) if N never
    reaches the threshold, and an edge NaN where the band runs off the scanned range (d_high
    of a detector that begins at the interaction point: N then grows without end).

    N is scanned on a log grid of ``n_grid`` points in u from half the long-lived bound
    sqrt(threshold / slope) (below which N < threshold, see the code) to 1e3 / min(a) (every
    fourth point first, the others where N crosses the threshold or peaks; in single
    precision, checked in double precision at the brackets), and both crossings are refined
    with Brent's method in ln u in double precision.
    """
    ok = rays.coeff > 0.0
    if not np.any(ok) or not threshold > 0.0:
        return math.nan, math.nan
    order = np.argsort(rays.a[ok], kind="stable")
    rr = BandRays(rays.coeff[ok][order], rays.a[ok][order], rays.b[ok][order])
    # Long-lived limit: e^(-a u) - e^(-b u) <= (b - a) u, so N(u) <= u^2 sum c (b - a) and the
    # band starts above sqrt(threshold / slope); the grid starts a factor 2 lower, where N is
    # below a quarter of the threshold (a margin for the single-precision scan).
    span = np.maximum(rr.b - rr.a, 0.0)
    slope = float(np.dot(rr.coeff, span))
    if not slope > 0.0:
        return math.nan, math.nan
    u_lo = 0.5 * math.sqrt(threshold / slope)
    # Decays are lost once a u >> 1 for every ray.
    pos = rr.a[rr.a > 0.0]
    u_hi = 1e3 / float(np.min(pos)) if pos.size else 1e15 * u_lo
    grid = np.geomspace(u_lo, max(u_hi, 1e3 * u_lo), n_grid)

    def count(u: float) -> float:
        n = int(np.searchsorted(rr.a, _EXACT_EXP_MAX / u, side="right"))
        terms = np.exp(-rr.a[:n] * u) * -np.expm1(-span[:n] * u)
        return float(u * np.dot(rr.coeff[:n], terms))

    try:
        return _edges(rr, count, grid, threshold, exact=False)
    except _MisplacedError:
        return _edges(rr, count, grid, threshold, exact=True)


def _edges(
    rr: BandRays,
    count: Callable[[float], float],
    grid: FloatArray,
    threshold: float,
    exact: bool,
) -> tuple[float, float]:
    """The two crossings of ``count`` through ``threshold`` on ``grid`` (see
    :func:`solve_band`); scanned in single precision unless ``exact``."""
    n_grid = grid.size
    values = np.full(n_grid, np.nan)

    def fill(idx: npt.NDArray[np.intp]) -> None:
        idx = idx[np.isnan(values[idx])]
        if idx.size:
            values[idx] = [count(x) for x in grid[idx]] if exact else _scan(rr, grid[idx])

    # coarse scan, then the fine points around the coarse maximum
    fill(np.unique(np.append(np.arange(0, n_grid, _COARSE), n_grid - 1)))
    k = int(np.nanargmax(values))
    fill(np.arange(max(k - _COARSE + 1, 0), min(k + _COARSE, n_grid)))
    k = int(np.nanargmax(values))
    if values[k] < threshold:
        # The peak may fall between grid points: maximise N in ln u around it.
        t_lo = math.log(grid[max(k - 1, 0)])
        t_hi = math.log(grid[min(k + 1, n_grid - 1)])
        t_best, _ = minimize_bounded(lambda t: -count(math.exp(t)), t_lo, t_hi)
        u_peak = math.exp(t_best)
        n_peak = count(u_peak)
        if n_peak < threshold:
            return math.nan, math.nan
        k = int(np.searchsorted(grid, u_peak))
        grid = np.insert(grid, k, u_peak)
        values = np.insert(values, k, n_peak)
        n_grid = grid.size

    def crossing(step: int) -> int:
        """Last grid index from k in direction ``step`` at which N >= threshold: coarse
        points first, the fine points in between where N falls below."""
        i = k
        while 0 <= i + step < n_grid:
            j = i + step
            while 0 <= j + step < n_grid and math.isnan(values[j]):
                j += step
            fill(np.array([j]))
            if values[j] >= threshold:
                i = j
                continue
            fill(np.arange(min(i, j), max(i, j) + 1))
            while values[i + step] >= threshold:
                i += step
            return i
        return i

    def f(t: float) -> float:
        return count(math.exp(t)) - threshold

    edges: list[float] = []
    for step in (-1, 1):
        inside = crossing(step)
        outside = inside + step
        if not 0 <= outside < n_grid:
            edges.append(math.nan)  # the band runs off the scanned range
            continue
        t_in, t_out = math.log(grid[inside]), math.log(grid[outside])
        try:
            t = root_bracketed(
                f, min(t_in, t_out), max(t_in, t_out), xtol=2 * EDGE_RTOL, rtol=1e-12
            )
        except NotBracketedError as err:  # not bracketed: f(t_in) < 0 or f(t_out) >= 0
            if exact:  # pragma: no cover - the grid values are these very counts
                raise
            raise _MisplacedError from err
        edges.append(math.exp(0.5 * t))
    return edges[0], edges[1]


#: Cell width in ln(l/p) used to merge rays before the solve (4 %: the exponents of merged
#: rays differ by at most that fraction; the count changes at second order, see
#: :func:`merge_rays`). Measured against 1 % cells (paper preset, 3 MeV-5 GeV): FASER-2,
#: MAPP-2 and MATHUSLA (W/Z, scenario C) band edges move by at most 3e-4, far below the 1 %
#: asked of them, while the solve runs on up to 16 times fewer merged rays (MATHUSLA's W/Z
#: band 5 times faster); 10 % cells would move them by 2e-3.
MERGE_LOG_STEP = 4.0e-2
#: Largest cell index range accumulated densely (memory 3 x 8 bytes per cell).
DENSE_CELLS = 2_000_000


def merge_rays(coeff: FloatArray, a: FloatArray, b: FloatArray) -> BandRays:
    """Merge rays whose exponents a and b agree within :data:`MERGE_LOG_STEP` in ln: the cell
    keeps the summed prefactor and the prefactor-weighted mean exponents. The count is linear
    in the prefactors and smooth in the exponents, so the merge changes N(u) by a relative
    amount of order (step x a u)^2 / 2 and never by more than the step times a u."""
    merger = RayMerger(1)
    merger.add(0, coeff, a, b)
    return merger.rays(0)


class Cells(NamedTuple):
    """Merged cells (what :class:`RayMerger` keeps; ``key_a`` = :data:`ZERO_ROW` for rays with
    a = 0): keys floor(ln a / step), floor(ln b / step) and the sums of c, c a, c b."""

    key_a: IntArray
    key_b: IntArray
    coeff: FloatArray
    coeff_a: FloatArray
    coeff_b: FloatArray


def _no_cells() -> Cells:
    return Cells(
        np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), *(np.empty(0) for _ in "abc")
    )


def _merge_sums(
    key_a: IntArray, key_b: IntArray, weights: tuple[FloatArray, FloatArray, FloatArray]
) -> Cells:
    """Sum three weight arrays over equal (key_a, key_b): the used cells, ordered by key_a,
    then key_b. The keys are indexed as (key_a, key_b - key_a), a compact range (b / a is
    bounded by the detector's depth)."""
    diff = key_b - key_a
    a0 = int(key_a.min())
    d0 = int(diff.min())
    n_d = int(diff.max()) - d0 + 1
    flat = (key_a - a0) * n_d + (diff - d0)
    size = int(flat.max()) + 1
    c, ca, cb = weights
    if size <= DENSE_CELLS:  # dense accumulation: no sort
        total = np.asarray(np.bincount(flat, weights=c, minlength=size), dtype=float)
        used = np.flatnonzero(total)
        sum_c = total[used]
        sum_a = np.asarray(np.bincount(flat, weights=ca, minlength=size), dtype=float)[used]
        sum_b = np.asarray(np.bincount(flat, weights=cb, minlength=size), dtype=float)[used]
    else:
        used, cell = np.unique(flat, return_inverse=True)
        sum_c, sum_a, sum_b = (
            np.asarray(np.bincount(cell.ravel(), weights=w), dtype=float) for w in weights
        )
    ka = np.asarray(a0 + used // n_d, dtype=np.int64)
    kb = np.asarray(ka + d0 + used % n_d, dtype=np.int64)
    return Cells(ka, kb, sum_c, sum_a, sum_b)


def _combine(parts: list[Cells]) -> Cells:
    """Merge already merged cells (of several blocks or groups) once more."""
    parts = [p for p in parts if p.coeff.size]
    if not parts:
        return _no_cells()
    if len(parts) == 1:
        return parts[0]
    cols = Cells(*(np.concatenate([p[i] for p in parts]) for i in range(5)))
    zero = cols.key_a == ZERO_ROW
    out = [
        _merge_sums(cols.key_a[sel], cols.key_b[sel], (cols[2][sel], cols[3][sel], cols[4][sel]))
        for sel in (zero, ~zero)
        if np.any(sel)
    ]
    return Cells(*(np.concatenate([o[i] for o in out]) for i in range(5)))


class RayMerger:
    """Rays added block by block into the cells of :func:`merge_rays`, kept per group (the
    production channel): ``rays(group)`` and ``rays()`` (all groups) equal
    :func:`merge_rays` of the rays added (to that group), up to the order of summation.

    Each block is merged on arrival, so memory stays of the order of the merged cells.
    """

    def __init__(self, n_groups: int) -> None:
        self._parts: list[list[Cells]] = [[] for _ in range(n_groups)]

    def add(
        self,
        group: int,
        coeff: FloatArray,
        a: FloatArray,
        b: FloatArray,
        log_a: FloatArray | None = None,
        log_b: FloatArray | None = None,
    ) -> None:
        """Add rays (prefactor c, exponents a, b per unit u; see :class:`BandRays`), with
        ln a and ln b when the caller has them (they fix the cells; -inf for a = 0)."""
        keep = (coeff > 0.0) & (b > a)
        if log_a is None or log_b is None:
            with np.errstate(divide="ignore"):
                log_a, log_b = np.log(a), np.log(b)
        if not keep.all():
            coeff, a, b, log_a, log_b = coeff[keep], a[keep], b[keep], log_a[keep], log_b[keep]
        if coeff.size == 0:
            return
        key_b = np.floor(log_b / MERGE_LOG_STEP).astype(np.int64)
        pos = a > 0.0
        if pos.all():
            key_a = np.floor(log_a / MERGE_LOG_STEP).astype(np.int64)
        else:  # a = 0: one row below every other (the weighted mean of zeros stays zero)
            key_a = np.full_like(key_b, ZERO_ROW)
            key_a[pos] = np.floor(log_a[pos] / MERGE_LOG_STEP).astype(np.int64)
        weights = (coeff, coeff * a, coeff * b)
        if pos.all():
            self._parts[group].append(_merge_sums(key_a, key_b, weights))
            return
        parts = [
            _merge_sums(key_a[s], key_b[s], (weights[0][s], weights[1][s], weights[2][s]))
            for s in (pos, ~pos)
            if np.any(s)
        ]
        self._parts[group].append(_combine(parts))

    def add_keyed(
        self,
        group: int,
        key_a: IntArray,
        key_b: IntArray,
        coeff: FloatArray,
        coeff_a: FloatArray,
        coeff_b: FloatArray,
        zero_a: npt.NDArray[np.bool_] | None = None,
    ) -> None:
        """Add rays by their cell keys floor(ln a / step), floor(ln b / step) (see
        :func:`merge_rays`) and c, c a, c b, all with c > 0 and b > a; ``zero_a`` marks the
        rays with a = 0 (their key_a is ignored)."""
        if coeff.size == 0:
            return
        weights = (coeff, coeff_a, coeff_b)
        if zero_a is None or not zero_a.any():
            self._parts[group].append(_merge_sums(key_a, key_b, weights))
            return
        key_a = np.where(zero_a, ZERO_ROW, key_a)
        parts = [
            _merge_sums(key_a[s], key_b[s], (weights[0][s], weights[1][s], weights[2][s]))
            for s in (~zero_a, zero_a)
            if np.any(s)
        ]
        self._parts[group].append(_combine(parts))

    def add_cells(self, group: int, cells: Cells) -> None:
        """Add already merged cells (keys as in :func:`merge_rays`, sums of c, c a, c b)."""
        if cells.coeff.size:
            self._parts[group].append(cells)

    def cells(self, group: int) -> Cells:
        """The merged cells of one group (keys as in :func:`merge_rays`, sums of c, c a, c b)."""
        return self._group(group)

    def _group(self, group: int) -> Cells:
        merged = _combine(self._parts[group])
        self._parts[group] = [merged] if merged.coeff.size else []
        return merged

    def rays(self, group: int | None = None) -> BandRays:
        """Merged rays of one group, or of all groups together (None)."""
        if group is None:
            merged = _combine([self._group(g) for g in range(len(self._parts))])
        else:
            merged = self._group(group)
        c = merged.coeff
        if c.size == 0:
            return BandRays(np.empty(0), np.empty(0), np.empty(0))
        return BandRays(coeff=c, a=merged.coeff_a / c, b=merged.coeff_b / c)


#: key_a of the rays with a = 0 in :class:`RayMerger` (below any ln a / step of a double).
ZERO_ROW = -(1 << 40)
