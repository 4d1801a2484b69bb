"""The tabulated far detector as the compiled count reads it (mass independent, built once
per detector): per polar angle of the geometry table (:func:`nudipole.production.
detector_grid.detector_grid`) its hits, each an azimuthal weight and a decay segment
[l_in, l_out], with the hits that see the same segment merged (:func:`coincident_hits_merged`,
exact) and those within a tenth of a merge cell of one another merged
(:func:`near_hits_merged`), their cell keys, and the regions of polar angle over which the
detector looks the same (:func:`nudipole.reach._regions_kernel.grid_regions`). Used by
:mod:`nudipole.reach.far_rays`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from nudipole._parallel import once_per_key
from nudipole.detectors import Shape
from nudipole.physics._types import FloatArray
from nudipole.production.detector_grid import DetectorGrid, detector_grid
from nudipole.reach.band import MERGE_LOG_STEP
from nudipole.reach.band_bound import row_bounds


@dataclass(frozen=True)
class KernelRows:
    """The tabulated detector as the kernel reads it (mass independent): per polar angle
    (first hit, hits, azimuthal fraction, the largest count per unit c / s of its hits,
    :func:`~nudipole.reach.band_bound.row_bounds`), per hit (weight, ln l_in / step,
    ln l_out / step, l_in, l_out; the hits of one polar angle with the same segment merged,
    :func:`coincident_hits_merged`) and the region of every polar angle."""

    grid: DetectorGrid
    grid_rows: FloatArray
    hit_rows: FloatArray
    region: npt.NDArray[np.int64]
    #: sin^2(theta/2) at the lower and upper end of every region (-inf, +inf at the ends of
    #: the window, so that a node clipped to the window stays in its end region)
    region_s_lo: FloatArray
    region_s_hi: FloatArray
    #: per region, where the kernel's piece that starts in it ends (sin^2(theta/2)) and the
    #: region after that piece (itself for a wide region): :func:`~nudipole.reach.
    #: _regions_kernel.region_runs`
    region_run_hi: FloatArray
    region_run_next: npt.NDArray[np.int64]
    #: (min, max) over the hits with l_in > 0 of ln l_in / step and of (ln l_out - ln l_in) /
    #: step, and over the hits with l_in = 0 of ln l_out / step (NaN where there are none):
    #: the index ranges of the merge cells before the mass-dependent shift.
    key_in_range: tuple[float, float]
    depth_range: tuple[float, float]
    key_zero_range: tuple[float, float]


#: Hits of one polar angle whose l_in and l_out agree to this relative precision (of the
#: row's largest l_out) are one segment seen from two azimuths (:func:`coincident_hits_merged`).
COINCIDENT_RTOL = 1.0e-12

#: Hits of one polar angle whose ln l_in and ln l_out both lie within this many merge cells
#: (of :data:`nudipole.reach.band.MERGE_LOG_STEP`, i.e. 0.4 % in l) of a first hit are taken
#: as one (:func:`near_hits_merged`). Measured on MAPP-2 (three flavours, 24 masses, paper
#: preset): 26 % fewer hits, the bands 12 % faster, their edges and ends moved by at most
#: 2e-6 (0.01 cell: 2 % faster, 2e-8; 0.25 cell: 17 % faster, 8e-5 and 5e-4 on the end).
NEAR_HIT_CELLS = 0.1


def coincident_hits_merged(
    grid: DetectorGrid,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray, FloatArray, FloatArray]:
    """The hits of ``grid`` with the hits of one polar angle that have the same segment
    [l_in, l_out] (to :data:`COINCIDENT_RTOL`) merged into one, their azimuthal weights
    added: (start, count) per polar angle and (w_azimuth, l_in, l_out) per merged hit, in the
    order of each group's first hit.

    Exact (derived): a ray's contribution c w_h (1, a_h, b_h) to the cells of
    :func:`nudipole.reach.band.merge_rays` is linear in the azimuthal weight w_h and its cell
    depends only on (l_in, l_out), so two hits with the same segment give the sum of their
    weights times one hit. A detector symmetric under x -> -x (MATHUSLA's box |x| < 50 m,
    ANUBIS's shaft on x = 0) sees every segment at phi and at pi - phi: half its hits go. A
    box seen through its front and back faces only (part of MAPP-2's window) has one segment,
    z_min / cos(theta) to z_max / cos(theta), at every azimuth of a polar angle.
    """
    n_grid = grid.count.size
    row = np.repeat(np.arange(n_grid), grid.count)
    l_in = np.asarray(grid.l_in, dtype=float)
    l_out = np.asarray(grid.l_out, dtype=float)
    if row.size == 0:
        return (
            np.asarray(grid.start, dtype=np.int64),
            np.asarray(grid.count, dtype=np.int64),
            np.asarray(grid.w_azimuth, dtype=float),
            l_in,
            l_out,
        )
    scale = np.zeros(n_grid)
    np.maximum.at(scale, row, l_out)
    tol = COINCIDENT_RTOL * scale[row]
    order = np.lexsort((l_out, l_in, row))
    same = np.zeros(row.size, dtype=bool)
    same[1:] = (
        (row[order][1:] == row[order][:-1])
        & (np.abs(np.diff(l_in[order])) <= tol[order][1:])
        & (np.abs(np.diff(l_out[order])) <= tol[order][1:])
    )
    group_sorted = np.cumsum(~same) - 1
    group = np.empty(row.size, dtype=np.int64)
    group[order] = group_sorted
    n_groups = int(group_sorted[-1]) + 1
    # each group at its first hit, in the original order of the hits
    first = np.full(n_groups, row.size, dtype=np.int64)
    np.minimum.at(first, group, np.arange(row.size))
    keep = np.sort(first)
    rank = np.empty(n_groups, dtype=np.int64)
    rank[group[keep]] = np.arange(n_groups)
    w_az = np.bincount(rank[group], weights=grid.w_azimuth, minlength=n_groups)
    count = np.bincount(row[keep], minlength=n_grid).astype(np.int64)
    start = (np.cumsum(count) - count).astype(np.int64)
    return start, count, np.asarray(w_az, dtype=float), l_in[keep], l_out[keep]


def near_hits_merged(
    start: npt.NDArray[np.int64],
    count: npt.NDArray[np.int64],
    w_az: FloatArray,
    l_in: FloatArray,
    l_out: FloatArray,
    cells: float = NEAR_HIT_CELLS,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray, FloatArray, FloatArray]:
    """The hits of each polar angle (``start``, ``count``; per hit the azimuthal weight and
    the segment [l_in, l_out]) with those near one another merged: a hit joins the first
    group of its polar angle whose first hit has ln l_in and ln l_out within ``cells`` merge
    cells of its own (l_in = 0 only with l_in = 0), and a group is one hit with the sum of
    the weights and the weight-averaged l_in and l_out. Same return as
    :func:`coincident_hits_merged`; ``cells`` = 0 returns the hits as they are.

    What it changes (derived): a ray adds c w_h (1, a_h, b_h) to the cell of its hit (a, b =
    l_in, l_out x the combo's decay scale; :func:`nudipole.reach.band.merge_rays`), which is
    linear in w_h, w_h l_in and w_h l_out, so every ray adds the same sums to the cells as
    before. Only the grouping can change: the merged hit's ln l_in and ln l_out lie between
    those of its members, which are within 0.2 cell of one another, so in each of the two
    its cell is that of one of the members, at most a neighbour of any member's; a member
    within 0.4 % of a cell's edge can so move to the neighbouring cell. The band solve
    already takes each cell's rays at their weighted-mean exponents (cells of 4 %). Cells of
    a detector with one hit per row are untouched.
    """
    if cells <= 0.0 or count.size == 0 or int(count.max()) <= 1:
        return start, count, w_az, l_in, l_out
    tol = cells * MERGE_LOG_STEP
    with np.errstate(divide="ignore"):
        ln_in = np.log(l_in)
    ln_out = np.log(l_out)
    new_start = np.empty(count.size, dtype=np.int64)
    new_count = np.empty(count.size, dtype=np.int64)
    out_w: list[float] = []
    out_in: list[float] = []
    out_out: list[float] = []
    for g in range(count.size):
        new_start[g] = len(out_w)
        first: list[int] = []  # the first hit of each group of this polar angle
        sums: list[list[float]] = []  # per group: weight, weight x l_in, weight x l_out
        for h in range(int(start[g]), int(start[g] + count[g])):
            for f, acc in zip(first, sums, strict=True):
                same_in = l_in[h] == l_in[f] or abs(ln_in[h] - ln_in[f]) <= tol
                if same_in and abs(ln_out[h] - ln_out[f]) <= tol:
                    acc[0] += w_az[h]
                    acc[1] += w_az[h] * l_in[h]
                    acc[2] += w_az[h] * l_out[h]
                    break
            else:
                first.append(h)
                sums.append([w_az[h], w_az[h] * l_in[h], w_az[h] * l_out[h]])
        for f, (w, wl_in, wl_out) in zip(first, sums, strict=True):
            out_w.append(w)
            # (a group of zero weight, which adds nothing, keeps its first hit's segment)
            out_in.append(wl_in / w if w > 0.0 else float(l_in[f]))
            out_out.append(wl_out / w if w > 0.0 else float(l_out[f]))
        new_count[g] = len(sums)
    return (
        new_start,
        new_count,
        np.asarray(out_w, dtype=float),
        np.asarray(out_in, dtype=float),
        np.asarray(out_out, dtype=float),
    )


@once_per_key
@lru_cache(maxsize=32)
def kernel_rows(
    shape: Shape, window: tuple[float, float], n_grid: int, n_azimuth: int
) -> KernelRows:
    """:class:`KernelRows` of a detector, built once (cached with its grid)."""
    from nudipole.reach._regions_kernel import REGION_KEY_TOL, grid_regions, region_runs

    grid = detector_grid(shape, window, n_grid, n_azimuth)
    start, count, w_az, l_in, l_out = near_hits_merged(
        *coincident_hits_merged(grid), cells=NEAR_HIT_CELLS
    )
    inv_step = 1.0 / MERGE_LOG_STEP
    with np.errstate(divide="ignore"):
        key_in = np.log(l_in) * inv_step
    key_out = np.log(l_out) * inv_step
    bounds = row_bounds(start, count, w_az, l_in, l_out)
    grid_rows = np.ascontiguousarray(np.stack([start, count, grid.fraction, bounds], axis=1))
    hit_rows = np.ascontiguousarray(np.stack([w_az, key_in, key_out, l_in, l_out], axis=1))
    region = np.asarray(grid_regions(grid_rows, hit_rows, REGION_KEY_TOL), dtype=np.int64)
    for arr in (grid_rows, hit_rows, region):
        arr.setflags(write=False)
    finite = np.isfinite(key_in)
    starts = np.flatnonzero(np.diff(region, prepend=-1))
    ends = np.append(starts[1:], region.size)
    region_s_lo = np.sin(0.5 * (grid.theta_lo + starts * grid.step)) ** 2
    region_s_hi = np.sin(0.5 * (grid.theta_lo + ends * grid.step)) ** 2
    region_s_lo[0] = -np.inf
    region_s_hi[-1] = np.inf
    run_hi, run_next = region_runs(region, region_s_lo)
    for arr in (region_s_lo, region_s_hi, run_hi, run_next):
        arr.setflags(write=False)

    def span(values: FloatArray) -> tuple[float, float]:
        if values.size == 0:
            return math.nan, math.nan
        return float(values.min()), float(values.max())

    return KernelRows(
        grid,
        grid_rows,
        hit_rows,
        region,
        region_s_lo,
        region_s_hi,
        run_hi,
        run_next,
        key_in_range=span(key_in[finite]),
        depth_range=span(key_out[finite] - key_in[finite]),
        key_zero_range=span(key_out[~finite]),
    )
