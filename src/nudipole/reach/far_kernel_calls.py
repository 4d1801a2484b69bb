"""Calls of the compiled far-detector kernels for one channel part at one mass: its node
combinations (:func:`compiled_node_combos`), its rays added to the merge cells
(:func:`flux_kernel`, :func:`nudipole.reach._far_kernel.flux_rays_kernel`; recorded rays again:
:func:`replay_kernel`) and the cells made and read back (:func:`empty_cells`,
:func:`dense_cells`). Used by :mod:`nudipole.reach.far_rays` (the
merged rays of a mass) and :mod:`nudipole.reach.far_light` (the W/Z rays of the reference
masses).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from nudipole.physics._types import FloatArray
from nudipole.production.meson_parents import parent_key_layout
from nudipole.production.meson_source import PartSource, SourceOptions, cos_theta_rule
from nudipole.production.node_combos import NodeCombos, window_combos
from nudipole.reach.band import DENSE_CELLS, ZERO_ROW, Cells
from nudipole.reach.far_table import KernelRows


def compiled_node_combos(
    src: PartSource, mass: float, window: tuple[float, float], options: SourceOptions
) -> NodeCombos | None:
    """:func:`nudipole.production.node_combos.node_combos` of one channel part by the
    compiled :func:`nudipole.reach._combos_kernel.node_combos_kernel` (same combos, same
    order; compared in ``tests/reach/test_far_rays.py``)."""
    from nudipole.reach._combos_kernel import node_combos_kernel

    table = src.table
    if table.momentum.size == 0 or src.e_star.size == 0:
        return None
    if src.window_rule is not None:  # a W/Z part under a small window: per-parent theta*
        return window_combos(
            table, src.e_star, src.e_weight, mass, window, src.window_rule, options.log_p_step
        )
    cos_star, w_cos = cos_theta_rule(options.n_cos, src.cos_rule)
    stride, pad = parent_key_layout()
    first, count, cos_h, sin_h, sin_a, weight, mom = node_combos_kernel(
        table.key,
        table.beta,
        table.gamma,
        table.theta_min,
        table.theta_max,
        np.asarray(src.e_star, dtype=float),
        np.asarray(src.e_weight, dtype=float),
        cos_star,
        w_cos,
        float(mass),
        float(window[0]),
        float(window[1]),
        float(options.log_p_step),
        stride,
        pad,
    )
    if first.size == 0:
        return None
    return NodeCombos(
        first=first,
        count=count,
        cos_half=cos_h,
        sin_half=sin_h,
        sin_alpha=sin_a,
        weight=weight,
        momentum=mom,
    )


class DenseRangeError(Exception):
    """The merge cells of a mass do not fit the dense accumulator (use the NumPy path)."""


#: Empty record arrays: :func:`nudipole.reach._far_kernel.flux_rays_kernel` keeps no rays.
_NO_INT = np.empty(0, dtype=np.int64)
_NO_FLOAT = np.empty(0)

Ints = npt.NDArray[np.int64]
#: The merge-cell accumulators of one part at one mass: (a0, d0, n_d, b0, dense, zero)
#: (:func:`empty_cells`; the index offsets of :func:`cell_ranges` and the arrays).
CellArrays = tuple[int, int, int, int, FloatArray, FloatArray]


def flux_kernel(
    combos: NodeCombos,
    src: PartSource,
    coeff: FloatArray,
    scale: FloatArray,
    key_c: FloatArray,
    rows: KernelRows,
    window_s: tuple[float, float],
    phi_rule: tuple[FloatArray, FloatArray, FloatArray],
    cells: CellArrays,
    record: tuple[Ints, FloatArray, Ints, Ints] | None = None,
    bound: FloatArray | None = None,
) -> float:
    """:func:`nudipole.reach._far_kernel.flux_rays_kernel` of ``combos`` of one part ``src``
    (its parent table) with the per-combo prefactors, decay scales and cell keys, the
    detector ``rows``, ``window_s`` = (s_lo, s_hi), ``phi_rule`` = (coef, frac_p, w_p) of
    :func:`azimuth_rules`, ``cells`` = (a0, d0, n_d, b0, dense, zero) and, if given, the
    arrays that keep the rays (row, weight, combo, count); returns the N heading into the
    detector. With ``bound`` (one element) the kernel's bound mode: the rays' bound of the
    largest count is added to ``bound[0]`` and ``cells`` are left as they are."""
    # numba is imported here, not with the package (it costs ~0.3 s of start-up)
    from nudipole.reach._far_kernel import flux_rays_kernel

    coef, frac_p, w_p = phi_rule
    a0, d0, n_d, b0, dense, zero = cells
    table = src.table
    rec_g, rec_w, rec_k, rec_n = record or (_NO_INT, _NO_FLOAT, _NO_INT, np.zeros(1, np.int64))
    return float(
        flux_rays_kernel(
            combos.first,
            combos.count,
            combos.cos_half,
            combos.sin_half,
            combos.sin_alpha,
            combos.weight,
            coeff,
            scale,
            key_c,
            table.sin_half,
            table.cos_half,
            table.sin_theta,
            table.sigma_pb,
            window_s[0],
            window_s[1],
            coef,
            frac_p,
            w_p,
            rows.grid.theta_lo,
            1.0 / rows.grid.step,
            rows.grid_rows,
            rows.hit_rows,
            rows.region,
            rows.region_s_lo,
            rows.region_s_hi,
            rows.region_run_hi,
            rows.region_run_next,
            a0,
            d0,
            n_d,
            b0,
            dense,
            zero,
            rec_g,
            rec_w,
            rec_k,
            rec_n,
            _NO_FLOAT if bound is None else bound,
        )
    )


def cell_ranges(rows: KernelRows, key_c: FloatArray) -> tuple[int, int, int, int, int, int]:
    """(a0, n_a, d0, n_d, b0, n_b): the index ranges of the cells of rays whose combos have
    the keys ``key_c`` = ln(scale)/step (one cell of margin against rounding)."""
    lo_c, hi_c = float(key_c.min()), float(key_c.max())
    a0 = b0 = d0 = 0
    n_a = n_d = n_b = 1
    in_lo, in_hi = rows.key_in_range
    if not math.isnan(in_lo):
        a0 = math.floor(in_lo + lo_c) - 1
        n_a = math.floor(in_hi + hi_c) + 2 - a0
        d0 = math.floor(rows.depth_range[0]) - 1
        n_d = math.floor(rows.depth_range[1]) + 3 - d0
    z_lo, z_hi = rows.key_zero_range
    if not math.isnan(z_lo):
        b0 = math.floor(z_lo + lo_c) - 1
        n_b = math.floor(z_hi + hi_c) + 2 - b0
    if n_a * n_d > DENSE_CELLS or n_b > DENSE_CELLS:
        raise DenseRangeError(f"{n_a} x {n_d} merge cells")
    return a0, n_a, d0, n_d, b0, n_b


def empty_cells(rows: KernelRows, key_c: FloatArray) -> CellArrays:
    """Empty accumulators (a0, d0, n_d, b0, dense, zero) for the rays of combos with the cell
    keys ``key_c`` (:func:`cell_ranges`), as :func:`flux_kernel` and :func:`replay_kernel`
    take them."""
    a0, n_a, d0, n_d, b0, n_b = cell_ranges(rows, key_c)
    return a0, d0, n_d, b0, np.zeros(3 * n_a * n_d), np.zeros(2 * n_b)


def replay_kernel(
    rays: tuple[Ints, FloatArray, Ints],
    coeff: FloatArray,
    scale: FloatArray,
    key_c: FloatArray,
    rows: KernelRows,
    cells: CellArrays,
) -> float:
    """:func:`nudipole.reach._far_kernel.replay_rays_kernel`: the recorded ``rays`` (row,
    weight, combo; :func:`flux_kernel` with a record) added to ``cells`` again with the
    per-combo prefactors, decay scales and cell keys given; returns their N heading into the
    detector."""
    from nudipole.reach._far_kernel import replay_rays_kernel  # numba: not at start-up

    row, weight, combo = rays
    a0, d0, n_d, b0, dense, zero = cells
    heading = replay_rays_kernel(
        row, weight, combo, coeff, scale, key_c, rows.grid_rows, rows.hit_rows,
        a0, d0, n_d, b0, dense, zero,
    )  # fmt: skip
    return float(heading)


def dense_cells(cells: CellArrays) -> tuple[Cells, ...]:
    """The used cells of the kernel's accumulators ``cells`` (:func:`empty_cells`, filled):
    rays with l_in > 0, then l_in = 0."""
    a0, d0, n_d, b0, dense, zero = cells
    cells_3 = dense.reshape(-1, 3)
    used = np.flatnonzero(cells_3[:, 0])
    ka = a0 + used // n_d
    out = [
        Cells(
            key_a=ka.astype(np.int64),
            key_b=(ka + d0 + used % n_d).astype(np.int64),
            coeff=cells_3[used, 0],
            coeff_a=cells_3[used, 1],
            coeff_b=cells_3[used, 2],
        )
    ]
    zcells = zero.reshape(-1, 2)
    used_z = np.flatnonzero(zcells[:, 0])
    if used_z.size:
        out.append(
            Cells(
                key_a=np.full(used_z.size, ZERO_ROW, dtype=np.int64),
                key_b=(b0 + used_z).astype(np.int64),
                coeff=zcells[used_z, 0],
                coeff_a=np.zeros(used_z.size),
                coeff_b=zcells[used_z, 1],
            )
        )
    return tuple(out)
