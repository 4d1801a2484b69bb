"""Compiled inner loop of the far-detector count (numba, ``cache=True``): from the nodes of
the meson source straight to the merged rays of the band solve.

:func:`flux_rays_kernel` evaluates the same (parent, E*, cos theta*) nodes as
:func:`nudipole.production.meson_source.meson_flux` (module docstring there: the accepted
phi* interval of each node), integrates phi* exactly over the part of that interval in which
the detector looks the same (a region of
:func:`nudipole.reach._regions_kernel.grid_regions`) and with ``n_phi`` Gauss-Legendre nodes
over the rest, and adds the rays through the detector (the tabulated geometry
:class:`nudipole.production.detector_grid.DetectorGrid`) to the cells of
:func:`nudipole.reach.band.merge_rays`, without the intermediate (theta, ln p) cells and ray
lists of the NumPy path: each N keeps its own polar angle and momentum. Both paths are
compared in ``tests/reach/test_far_rays.py``.

The kernel is compiled on first use (a few seconds) and cached on disk next to this file (or
in ``NUMBA_CACHE_DIR``).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from nudipole.physics._types import FloatArray

IntArray = np.ndarray


@numba.njit(cache=True, nogil=True, inline="always")
def _polar(x: float, coef: FloatArray) -> float:  # pragma: no cover - compiled
    """theta = 2 arcsin(sqrt(x)) of x = sin^2(theta/2), by the odd series of arcsin with
    coefficients ``coef`` (Abramowitz & Stegun 4.4.40) when given."""
    y = math.sqrt(x)
    n = coef.size
    if n == 0:
        return 2.0 * math.asin(min(y, 1.0))
    acc = coef[n - 1] * x
    for i in range(n - 2, 0, -1):
        acc = (acc + coef[i]) * x
    return float(2.0 * (acc + coef[0]) * y)


@numba.njit(cache=True, nogil=True, inline="always")
def _sin_quarter(y: float) -> float:  # pragma: no cover - compiled
    """sin(y) for 0 <= y <= pi/2 by its Taylor series to y^15 (Horner): the remainder is below
    (pi/2)^17 / 17! = 6e-12, far below the 1e-4 rad of a polar row of the detector grid."""
    z = y * y
    acc = -1.0 / 1307674368000.0
    acc = acc * z + 1.0 / 6227020800.0
    acc = acc * z - 1.0 / 39916800.0
    acc = acc * z + 1.0 / 362880.0
    acc = acc * z - 1.0 / 5040.0
    acc = acc * z + 1.0 / 120.0
    acc = acc * z - 1.0 / 6.0
    return y + y * z * acc


@numba.njit(cache=True, nogil=True, inline="always")
def _psi_at(x: float, base: float, span: float) -> float:  # pragma: no cover - compiled
    """psi = phi*/2 at which a node's cone reaches sin^2(theta/2) = ``x``, from
    x = base + span sin^2(psi) (clipped to 0 .. pi/2)."""
    return math.asin(math.sqrt(min(max((x - base) / span, 0.0), 1.0)))


@numba.njit(cache=True, nogil=True, inline="always")
def _put_ray(
    n_r: int,
    ray_x: FloatArray,
    ray_w: FloatArray,
    ray_k: IntArray,
    ray_g: IntArray,
    x: float,
    w: float,
    k: int,
    g: int,
) -> int:  # pragma: no cover - compiled
    """Ray ``n_r`` of the block set to (x, w, k, g); returns the rays in the block."""
    ray_x[n_r] = x
    ray_w[n_r] = w
    ray_k[n_r] = k
    ray_g[n_r] = g
    return n_r + 1


#: Most hits per polar row (on average over the rows with hits) for which
#: :func:`flux_rays_kernel` keeps the sums of the cell last written in registers (a pure
#: speed setting, the sums are the same). With one hit per row (a detector seen the same at
#: every azimuth: a cylinder about the beam) consecutive rays mostly share a cell; with
#: several (a box, whose azimuthal nodes see different depths) they rarely do. Kernel CPU
#: time on one mass with and without: FASER-2 mesons 8.1 / 9.1 ms, AL3X W/Z 4.8 / 5.7 ms and
#: mesons 163 / 190 ms (one hit per row); MAPP-2 mesons 273 / 234 ms, MATHUSLA W/Z 7.8 / 7.2 ms,
#: CODEX-b W/Z 5.8 / 5.0 ms (5.6 to 10.7 hits per row).
CACHE_MAX_HITS = 1.5


#: Rays generated before they are added to the cells (:func:`flux_rays_kernel`); a pure
#: speed setting (the arrays of one block stay in the first-level cache).
RAY_BLOCK = 2048


@numba.njit(cache=True, nogil=True, inline="always")
def _find_rows(
    n_r: int,
    ray_x: FloatArray,
    ray_g: IntArray,
    coef: FloatArray,
    g_lo: float,
    g_inv_step: float,
    n_grid: int,
) -> None:  # pragma: no cover - compiled
    """The row of the detector grid of rays 0 .. n_r - 1 whose row is not known yet
    (``ray_g`` = -1; region rays carry theirs), from sin^2 of half their polar angle."""
    for i in range(n_r):
        if ray_g[i] < 0:
            g = int((_polar(ray_x[i], coef) - g_lo) * g_inv_step)
            ray_g[i] = min(max(g, 0), n_grid - 1)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _bound_rays(
    n_r: int,
    ray_x: FloatArray,
    ray_w: FloatArray,
    ray_k: IntArray,
    ray_g: IntArray,
    geo: tuple,  # type: ignore[type-arg]
    bound: FloatArray,
) -> float:  # pragma: no cover - compiled; tested through flux_rays_kernel
    """The bound mode of :func:`_add_rays`: rays 0 .. n_r - 1 looked up in the grid and,
    instead of adding their hits to the cells, c / s times their row's bound (``grid_rows[g,
    3]``, :func:`nudipole.reach.band_bound.row_bounds`) added to ``bound[0]``; returns their
    N heading into the detector, summed as :func:`_add_rays` sums it (the same number)."""
    coef, g_lo, g_inv_step, grid_rows = geo[:4]
    coeff_c, scale_c = geo[5:7]
    _find_rows(n_r, ray_x, ray_g, coef, g_lo, g_inv_step, grid_rows.shape[0])
    heading = 0.0
    total = 0.0
    for i in range(n_r):
        g = ray_g[i]
        w2 = ray_w[i]
        heading += w2 * grid_rows[g, 2]
        k = ray_k[i]
        cf = coeff_c[k]
        if cf <= 0.0:
            continue
        total += cf * w2 * grid_rows[g, 3] / scale_c[k]
    bound[0] += total
    return heading


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _add_rays(
    n_r: int,
    ray_x: FloatArray,
    ray_w: FloatArray,
    ray_k: IntArray,
    ray_g: IntArray,
    geo: tuple,  # type: ignore[type-arg]
    cached: bool,
) -> float:  # pragma: no cover - compiled; tested through flux_rays_kernel
    """Add rays 0 .. n_r - 1 (sin^2 of half the polar angle ``ray_x``, weight ``ray_w``, combo
    ``ray_k``, row of the grid ``ray_g``, or -1 where it is looked up from ``ray_x``) to the
    cells as :func:`flux_rays_kernel` describes;
    return their N heading into the detector. ``geo`` = (coef, g_lo, g_inv_step, grid_rows,
    hit_rows, coeff_c, scale_c, key_c, a0, d0, n_d, b0, dense, zero, state), the arguments of
    :func:`flux_rays_kernel` of the same names; ``state`` = (cell, three sums) of the cell
    last written, carried from block to block. ``cached``: keep the sums of the cell last
    written in registers (one hit per row: consecutive rays mostly share a cell); otherwise
    every hit is added to its cell at once (a box, whose rays rarely share one: the register
    flush would cost more than it saves)."""
    coef, g_lo, g_inv_step, grid_rows, hit_rows, coeff_c, scale_c, key_c, a0, d0 = geo[:10]
    n_d, b0, dense, zero, state = geo[10:]
    _find_rows(n_r, ray_x, ray_g, coef, g_lo, g_inv_step, grid_rows.shape[0])
    heading = 0.0
    if not cached:
        for i in range(n_r):
            g = ray_g[i]
            w2 = ray_w[i]
            heading += w2 * grid_rows[g, 2]
            k = ray_k[i]
            cf = coeff_c[k]
            if cf <= 0.0:
                continue
            sc = scale_c[k]
            kc = key_c[k]
            c0 = cf * w2
            h0 = int(grid_rows[g, 0])
            for h in range(h0, h0 + int(grid_rows[g, 1])):
                c = c0 * hit_rows[h, 0]
                cs = c * sc
                kb = math.floor(hit_rows[h, 2] + kc)
                if hit_rows[h, 3] <= 0.0:
                    j = 2 * (kb - b0)
                    zero[j] += c
                    zero[j + 1] += cs * hit_rows[h, 4]
                    continue
                ka = math.floor(hit_rows[h, 1] + kc)
                j = 3 * ((ka - a0) * n_d + (kb - ka - d0))
                dense[j] += c
                dense[j + 1] += cs * hit_rows[h, 3]
                dense[j + 2] += cs * hit_rows[h, 4]
        return heading
    # Sums for the cell last written, kept in registers and flushed when the cell changes:
    # consecutive rays mostly share a cell, and a store-then-load of the same element per
    # ray would chain every ray's whole address computation.
    cur = int(state[0])
    s0 = state[1]
    s1 = state[2]
    s2 = state[3]
    for i in range(n_r):
        g = ray_g[i]
        w2 = ray_w[i]
        # 2-d indexing, not row views (a view costs a reference count)
        heading += w2 * grid_rows[g, 2]
        k = ray_k[i]
        cf = coeff_c[k]
        if cf <= 0.0:
            continue
        sc = scale_c[k]
        kc = key_c[k]
        c0 = cf * w2
        h0 = int(grid_rows[g, 0])
        for h in range(h0, h0 + int(grid_rows[g, 1])):
            c = c0 * hit_rows[h, 0]
            kb = math.floor(hit_rows[h, 2] + kc)
            if hit_rows[h, 3] <= 0.0:
                j = 2 * (kb - b0)
                zero[j] += c
                zero[j + 1] += c * sc * hit_rows[h, 4]
                continue
            ka = math.floor(hit_rows[h, 1] + kc)
            j = 3 * ((ka - a0) * n_d + (kb - ka - d0))
            if j != cur:
                if cur >= 0:
                    dense[cur] += s0
                    dense[cur + 1] += s1
                    dense[cur + 2] += s2
                cur = j
                s0 = 0.0
                s1 = 0.0
                s2 = 0.0
            s0 += c
            s1 += c * sc * hit_rows[h, 3]
            s2 += c * sc * hit_rows[h, 4]
    state[0] = cur
    state[1] = s0
    state[2] = s1
    state[3] = s2
    return heading


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _emit(
    n_r: int,
    ray_x: FloatArray,
    ray_w: FloatArray,
    ray_k: IntArray,
    ray_g: IntArray,
    geo: tuple,  # type: ignore[type-arg]
    cached: bool,
    rec: tuple,  # type: ignore[type-arg]
    bound: FloatArray,
) -> float:  # pragma: no cover - compiled; tested through flux_rays_kernel
    """:func:`_add_rays` (or, where ``bound`` has an element, :func:`_bound_rays`), and where
    ``rec`` = (rec_g, rec_w, rec_k, rec_n) has room, the block's rays (row, weight, combo)
    appended to it (rec_n[0] of them so far)."""
    if bound.size:
        heading = _bound_rays(n_r, ray_x, ray_w, ray_k, ray_g, geo, bound)
    else:
        heading = _add_rays(n_r, ray_x, ray_w, ray_k, ray_g, geo, cached)
    rec_g, rec_w, rec_k, rec_n = rec
    if rec_g.size:
        n0 = rec_n[0]
        if n0 + n_r > rec_g.size:
            raise IndexError("more rays than the record has room for (rays_per_node_bound)")
        for i in range(n_r):
            rec_g[n0 + i] = ray_g[i]
            rec_w[n0 + i] = ray_w[i]
            rec_k[n0 + i] = ray_k[i]
        rec_n[0] = n0 + n_r
    return heading


@numba.njit(cache=True, nogil=True, error_model="numpy")
def replay_rays_kernel(
    rec_g: IntArray,
    rec_w: FloatArray,
    rec_k: IntArray,
    coeff_c: FloatArray,
    scale_c: FloatArray,
    key_c: FloatArray,
    grid_rows: FloatArray,
    hit_rows: FloatArray,
    a0: int,
    d0: int,
    n_d: int,
    b0: int,
    dense: FloatArray,
    zero: FloatArray,
) -> float:  # pragma: no cover - compiled; tested against flux_rays_kernel
    """Add rays recorded by :func:`flux_rays_kernel` (row, weight, combo) to the cells with
    new per-combo ``coeff_c``, ``scale_c`` and ``key_c`` (arguments as there); return their N
    heading into the detector. The same cells as the kernel's own for the same rays."""
    state = np.zeros(4)
    state[0] = -1.0
    empty = np.empty(0)
    geo = (empty, 0.0, 1.0, grid_rows, hit_rows, coeff_c, scale_c, key_c, a0, d0)
    geo = (*geo, n_d, b0, dense, zero, state)  # type: ignore[assignment]
    heading = _add_rays(
        rec_g.size, empty, rec_w, rec_k, rec_g, geo, _cache_cells(grid_rows, hit_rows)
    )
    cur = int(state[0])
    if cur >= 0:
        dense[cur] += state[1]
        dense[cur + 1] += state[2]
        dense[cur + 2] += state[3]
    return heading


@numba.njit(cache=True, nogil=True)
def _cache_cells(grid_rows: FloatArray, hit_rows: FloatArray) -> bool:  # pragma: no cover
    """Whether :func:`_add_rays` keeps the sums of the cell last written in registers
    (:data:`CACHE_MAX_HITS`)."""
    rows_hit = 0
    for g in range(grid_rows.shape[0]):
        if grid_rows[g, 1] > 0:
            rows_hit += 1
    return bool(hit_rows.shape[0] <= CACHE_MAX_HITS * rows_hit)


# error_model="numpy": the one division (by span > 0 on that branch) needs no Python check
@numba.njit(cache=True, nogil=True, error_model="numpy")
def flux_rays_kernel(
    first: IntArray,
    count: IntArray,
    cos_c: FloatArray,
    sin_c: FloatArray,
    sina_c: FloatArray,
    w_c: FloatArray,
    coeff_c: FloatArray,
    scale_c: FloatArray,
    key_c: FloatArray,
    sin_half: FloatArray,
    cos_half: FloatArray,
    sin_theta: FloatArray,
    sigma: FloatArray,
    s_lo: float,
    s_hi: float,
    coef: FloatArray,
    frac_p: FloatArray,
    w_p: FloatArray,
    g_lo: float,
    g_inv_step: float,
    grid_rows: FloatArray,
    hit_rows: FloatArray,
    region: IntArray,
    region_s_lo: FloatArray,
    region_s_hi: FloatArray,
    run_hi: FloatArray,
    run_next: IntArray,
    a0: int,
    d0: int,
    n_d: int,
    b0: int,
    dense: FloatArray,
    zero: FloatArray,
    rec_g: IntArray,
    rec_w: FloatArray,
    rec_k: IntArray,
    rec_n: IntArray,
    bound: FloatArray,
) -> float:  # pragma: no cover - compiled; tested against the NumPy path
    """Add the rays of one channel's nodes to the merge cells; return the N heading into the
    detector (sum of node weight x the azimuthal fraction that hits, pb GeV^2 per d^2).

    Per combo k (see :class:`nudipole.production.node_combos.NodeCombos`): parents
    first[k] .. first[k] + count[k] - 1, cos(alpha/2), sin(alpha/2), sin(alpha), node weight
    ``w_c``, the selection prefactor ``coeff_c`` (L x efficiency; 0 = only counted as
    heading), the decay scale ``scale_c`` = m Gamma/(d^2 p) and ln(scale)/step ``key_c``.
    Per polar angle g of the detector grid, ``grid_rows[g]`` = (first hit, number of hits,
    azimuthal fraction that hits, bound; the last read only in the bound mode below); per
    hit h, ``hit_rows[h]`` = (azimuthal weight, ln l_in / step (-inf where l_in = 0),
    ln l_out / step, l_in, l_out (GeV^-1)). Rows, not separate arrays: a ray then touches two
    cache lines of the geometry, not eight.
    ``region[g]``: the region of polar angle g
    (:func:`nudipole.reach._regions_kernel.grid_regions`, computed once per detector by the
    caller), and ``region_s_lo[r]``, ``region_s_hi[r]`` the range of
    sin^2(theta/2) of region r (-inf and +inf at the ends of the window); ``run_hi[r]``,
    ``run_next[r]`` where the piece that starts in region r ends and the region after it
    (:func:`nudipole.reach._regions_kernel.region_runs`: ``run_next[r] == r`` for a wide
    region).

    phi* of a node (psi = phi*/2, sin^2(theta_N/2) = base + span sin^2(psi), accepted from
    psi_a to psi_b) is integrated piece by piece along the regions of the grid that the
    interval crosses. A piece in one region is integrated exactly (the detector looks the
    same there: weight x (psi_end - psi_start) 2/pi) where the interval ends in that region
    or the region is wide (at least :data:`~nudipole.reach._regions_kernel.SPLIT_MIN_ROWS`
    rows); across a run of narrow regions (a rim of a cylinder, where rays start to enter or
    leave through its side; every row of a box off the axis) the piece up to the run's end
    gets the ``n_phi`` Gauss-Legendre nodes (``frac_p``, ``w_p``) as rays. The integrand is
    smooth within each piece and the kinks at the region ends lie at the pieces' ends:
    FACET's annulus (a narrow run at either rim, one wide region between) converges with 3
    nodes per run to 0.004 % of 32 nodes, where the Gauss nodes over the whole interval of a
    node starting on its inner rim needed 8 for 0.036 %. A box off the axis (one narrow run)
    and a cylinder whose interval runs from its wide first region into its rim get the same
    nodes as before. The exact parts of a
    combo are gathered per region into one ray on the region's first row (its rows agree to
    ``_regions_kernel.REGION_KEY_TOL`` in the cell keys, 4e-4 in l_in and l_out, and exactly
    in the azimuthal weights): this is exact where the region's end lies beyond the accepted
    interval, and it takes the kink at a region's end (a cylinder's rim, where rays start to
    leave through the side) out of the Gauss rule, which had cost 0.8 % per channel at
    FASER-2 with 6 nodes. On a detector whose window and first region start at theta = 0 (a
    cylinder on the beam axis) the nodes of a combo whose whole cone lies in the first region
    are a prefix of its parents (sorted by polar angle) and are added as one sum of their
    cross sections. The region of the previous node is tried first (neighbouring nodes
    mostly share it), so most nodes need no polar angle here. A ray
    (node, hit) with prefactor c = coeff w h_w adds (c, c a, c b), a = l_in scale,
    b = l_out scale, to ``dense[3 * ((ka - a0) * n_d + kb - ka - d0) + 0..2]`` with
    ka, kb = floor(key + key_c),
    or, when l_in = 0, (c, c b) to ``zero[2 * (kb - b0) + 0..1]``.

    Two passes per block of :data:`RAY_BLOCK` rays: the nodes are turned into rays (sin^2 of
    their half polar angle, weight, combo, row or -1), then the rays are looked up in the grid and
    added to the cells (:func:`_add_rays`): the node pass then runs without waiting on the
    scattered stores of the other, and the polar angles of a block are computed in one
    loop.

    ``rec_g``, ``rec_w``, ``rec_k`` (empty: not kept): room for every ray (at least
    sum(count) x :func:`rays_per_node_bound` + combos), into which the rays are also
    written, row, weight and combo, ``rec_n[0]`` of them (:func:`replay_rays_kernel` adds
    them again with other prefactors and decay scales).

    ``bound`` (empty: the cells are filled): with one element, the bound mode. The rays are
    made and looked up in the grid as above, but their hits are not added to the cells;
    instead sum c_k w / s_k x ``grid_rows[g, 3]`` (prefactor, decay scale, the row's bound of
    :func:`nudipole.reach.band_bound.row_bounds`) is added to ``bound[0]``: an upper bound of
    the largest count over d of these rays (:mod:`nudipole.reach.band_bound`). The N heading
    into the detector is returned as in the other mode, the same number.
    """
    heading = 0.0
    n_p = frac_p.size
    n_grid = grid_rows.shape[0]
    two_over_pi = 2.0 / math.pi
    half_pi = 0.5 * math.pi
    # one region ray per (combo, region) and n_p rays per node beyond its first region
    size = RAY_BLOCK + n_p + 2
    ray_x = np.empty(size)
    ray_w = np.empty(size)
    ray_k = np.empty(size, dtype=np.int64)
    ray_g = np.empty(size, dtype=np.int64)
    state = np.zeros(4)
    state[0] = -1.0  # no cell written yet
    # what every block of rays needs besides the rays (see _add_rays)
    geo = (coef, g_lo, g_inv_step, grid_rows, hit_rows, coeff_c, scale_c, key_c, a0, d0)
    geo = (*geo, n_d, b0, dense, zero, state)  # type: ignore[assignment]
    # the row that stands for each region: its first (the rows of a region agree to
    # _regions_kernel.REGION_KEY_TOL in the cell keys and exactly in the azimuthal weights)
    n_reg = region[n_grid - 1] + 1
    rep = np.empty(n_reg, dtype=np.int64)
    for g in range(n_grid - 1, -1, -1):
        rep[region[g]] = g
    # consecutive rays share a cell often only on a detector with one hit per row
    cached = _cache_cells(grid_rows, hit_rows)
    rec = (rec_g, rec_w, rec_k, rec_n)
    # running sum of the parents' cross sections: a run of parents whose whole cone lies in
    # the first region is added in one step
    n_par = sigma.size
    csum = np.empty(n_par + 1)
    csum[0] = 0.0
    for i in range(n_par):
        csum[i + 1] = csum[i] + sigma[i]
    # such runs exist where the window and the first region start at theta = 0 (a detector
    # on the beam axis); the parents of a combo are sorted by polar angle, so the cone's top
    # sin^2((theta + alpha)/2) rises along them and the run is a prefix
    prefix = s_lo <= 0.0
    top_lim = min(s_hi, region_s_hi[0])
    n_r = 0
    r_prev = 0
    for k in range(first.size):
        ck = cos_c[k]
        sk = sin_c[k]
        sak = sina_c[k]
        wk = w_c[k]
        start = first[k]
        stop = first[k] + count[k]
        acc = 0.0  # weight gathered for region acc_r of this combo
        acc_r = -1
        if prefix:
            lo = start
            hi = stop
            while lo < hi:
                mid = (lo + hi) // 2
                d = sin_half[mid] * ck - cos_half[mid] * sk
                if d * d + sin_theta[mid] * sak <= top_lim:
                    lo = mid + 1
                else:
                    hi = mid
            if lo > start:
                acc = wk * (csum[lo] - csum[start])
                acc_r = 0
                start = lo
        for parent in range(start, stop):
            d = sin_half[parent] * ck - cos_half[parent] * sk
            base = d * d
            span = sin_theta[parent] * sak
            top = base + span
            if not (base < s_hi and top > s_lo):
                continue
            weight = sigma[parent] * wk
            # accepted part of the cone in sin^2(theta/2): [x_a, x_b]; psi = phi*/2 runs
            # from 0 (x = base) to pi/2 (x = top) with x = base + span sin^2(psi)
            x_a = max(base, s_lo)
            x_b = min(top, s_hi)
            # region of x_a; the previous node's is tried first (neighbours mostly share it)
            if not (x_a >= region_s_lo[r_prev] and x_a < region_s_hi[r_prev]):
                g_a = int((_polar(x_a, coef) - g_lo) * g_inv_step)
                r_prev = region[min(max(g_a, 0), n_grid - 1)]
            psi_a = _psi_at(x_a, base, span) if x_a > base else 0.0
            psi_b = _psi_at(x_b, base, span) if x_b < top else half_pi
            # the accepted interval piece by piece: exactly inside a region (the detector
            # looks the same there: the phi* integral of a constant) wherever the piece ends
            # in it or the region is wide; across a run of narrow regions, the Gauss nodes
            r = r_prev
            psi_x = psi_a
            while True:
                r_hi = region_s_hi[r]
                ends = x_b < r_hi
                if ends or run_next[r] == r:  # ends here, or a wide region
                    psi_e = psi_b if ends else _psi_at(r_hi, base, span)
                    if r != acc_r:
                        if acc_r >= 0:  # the region left: its gathered weight as one ray
                            n_r = _put_ray(n_r, ray_x, ray_w, ray_k, ray_g, 0.0, acc, k, rep[acc_r])
                        acc = 0.0
                        acc_r = r
                    acc += two_over_pi * (psi_e - psi_x) * weight
                    if ends:
                        break
                    r += 1
                else:
                    e = run_hi[r]
                    ends = x_b < e
                    psi_e = psi_b if ends else _psi_at(e, base, span)
                    width = psi_e - psi_x
                    ww = width * weight
                    for i in range(n_p):
                        sn = _sin_quarter(frac_p[i] * width + psi_x)
                        x_i = base + span * sn * sn
                        n_r = _put_ray(n_r, ray_x, ray_w, ray_k, ray_g, x_i, w_p[i] * ww, k, -1)
                    if ends:
                        break
                    r = run_next[r]
                psi_x = psi_e
                if n_r >= RAY_BLOCK:
                    heading += _emit(n_r, ray_x, ray_w, ray_k, ray_g, geo, cached, rec, bound)
                    n_r = 0
            if n_r >= RAY_BLOCK:
                heading += _emit(n_r, ray_x, ray_w, ray_k, ray_g, geo, cached, rec, bound)
                n_r = 0
        if acc_r >= 0:
            n_r = _put_ray(n_r, ray_x, ray_w, ray_k, ray_g, 0.0, acc, k, rep[acc_r])
            if n_r >= RAY_BLOCK:
                heading += _emit(n_r, ray_x, ray_w, ray_k, ray_g, geo, cached, rec, bound)
                n_r = 0
    heading += _emit(n_r, ray_x, ray_w, ray_k, ray_g, geo, cached, rec, bound)
    cur = int(state[0])
    if cur >= 0:
        dense[cur] += state[1]
        dense[cur + 1] += state[2]
        dense[cur + 2] += state[3]
    return heading
