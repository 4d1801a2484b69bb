"""Regions of a tabulated far detector (numba, ``cache=True``; mass independent, computed
once per detector by :func:`nudipole.reach.far_table.kernel_rows`): runs of polar angles over
which the detector looks the same, within which the compiled count
(:func:`nudipole.reach._far_kernel.flux_rays_kernel`) integrates phi* exactly.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from nudipole.physics._types import FloatArray

IntArray = np.ndarray

#: Largest change of ln l_in / step and ln l_out / step (in merge steps of 1 %) across the
#: polar angles of one region of :func:`grid_regions`: 1e-2 of a merge cell, i.e. l_in and
#: l_out constant to 4e-4 relative within a region (merge cells of 4 %).
REGION_KEY_TOL = 1.0e-2


@numba.njit(cache=True, nogil=True)
def grid_regions(
    grid_rows: FloatArray, hit_rows: FloatArray, key_tol: float
) -> IntArray:  # pragma: no cover - compiled; tested through the count and directly
    """Region id of every row of the tabulated detector (rows as in
    :func:`nudipole.reach._far_kernel.flux_rays_kernel`): a run of consecutive polar angles
    over which the detector looks the same, i.e. every row
    has the run's first row's number of hits, azimuthal fraction and hit weights (to 1e-12
    relative) and ln l_in / step, ln l_out / step within ``key_tol`` of it (equal infinities
    included). Greedy and mass independent.

    FASER-2 (a cylinder on the axis): one region up to the polar angle at which rays start to
    leave through the side; a box (MAPP-2) changes its azimuthal weights with theta, so every
    row is its own region.
    """
    n = grid_rows.shape[0]
    out = np.empty(n, dtype=np.int64)
    rid = -1
    ref = 0
    for g in range(n):
        same = rid >= 0 and grid_rows[g, 1] == grid_rows[ref, 1]
        if same and abs(grid_rows[g, 2] - grid_rows[ref, 2]) > 1e-12 * abs(grid_rows[ref, 2]):
            same = False
        if same:
            h_g = int(grid_rows[g, 0])
            h_r = int(grid_rows[ref, 0])
            for j in range(int(grid_rows[g, 1])):
                w_g = hit_rows[h_g + j, 0]
                w_r = hit_rows[h_r + j, 0]
                if abs(w_g - w_r) > 1e-12 * abs(w_r):
                    same = False
                for col in range(1, 3):
                    k_g = hit_rows[h_g + j, col]
                    k_r = hit_rows[h_r + j, col]
                    if k_g != k_r and not abs(k_g - k_r) <= key_tol:
                        same = False
                if not same:
                    break
        if not same:
            rid += 1
            ref = g
        out[g] = rid
    return out


#: Fewest rows of the detector grid (64 per polar cell) that make a region "wide" for
#: :func:`nudipole.reach._far_kernel.flux_rays_kernel`: the part of a node's phi* interval
#: inside it is integrated exactly even when the interval runs on into other regions
#: (narrower ones, in a run, get the Gauss nodes).
SPLIT_MIN_ROWS = 64


def region_runs(
    region: IntArray, region_s_lo: FloatArray
) -> tuple[FloatArray, IntArray]:  # mass independent: once per detector
    """How :func:`nudipole.reach._far_kernel.flux_rays_kernel` crosses the regions (``region``
    per polar row, ascending; ``region_s_lo`` their lower ends in sin^2(theta/2)): per region,
    where the piece that starts in it ends and the region after that piece. A wide region
    (at least :data:`SPLIT_MIN_ROWS` rows) is its own piece (ends at its own lower end, next
    is itself: ``run_next[r] == r`` marks it); a narrow one lies in a run of narrow regions
    that ends where the next wide region begins (+inf and one past the last region where
    none follows)."""
    n_reg = int(region[-1]) + 1
    wide = np.bincount(np.asarray(region, dtype=np.int64), minlength=n_reg) >= SPLIT_MIN_ROWS
    run_hi = np.empty(n_reg)
    run_next = np.empty(n_reg, dtype=np.int64)
    end_s, end_r = math.inf, n_reg
    for r in range(n_reg - 1, -1, -1):
        if wide[r]:
            end_s, end_r = float(region_s_lo[r]), r
        run_hi[r] = end_s
        run_next[r] = end_r
    return run_hi, run_next


def rays_per_node_bound(run_next: IntArray, n_phi: int) -> int:
    """Most rays :func:`nudipole.reach._far_kernel.flux_rays_kernel` makes of one
    (parent, E*, cos theta*) node on a detector whose regions :func:`region_runs` describes
    (``run_next``) with ``n_phi`` Gauss nodes: ``n_phi`` per run of narrow regions its
    accepted interval crosses, and one per region in which a piece of it is integrated
    exactly (at most the wide ones and the one it ends in). The room a record of the rays
    needs (:mod:`nudipole.reach.far_light`); pure NumPy."""
    run_next = np.asarray(run_next, dtype=np.int64)
    wide = run_next == np.arange(run_next.size)
    # a run of narrow regions starts at a narrow region after a wide one (or at the first)
    runs = int(np.count_nonzero(~wide & np.concatenate(([True], wide[:-1]))))
    return runs * int(n_phi) + int(np.count_nonzero(wide)) + 1
