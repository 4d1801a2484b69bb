"""Compiled inner loop of the far-detector count (numba, ``cache=True``): from the nodes of
the meson source straight to the merged rays of the band solve.

:func:`flux_rays_kernel` evaluates the same (parent, E*, cos theta*, phi*) nodes as
:func:`nudipole.production.meson_source.meson_flux` (module docstring there: the accepted
phi* interval, 2 nodes where the whole azimuth is in the window and ``n_phi`` where an edge
cuts it), and for each node adds its rays through the detector (the tabulated geometry
:class:`nudipole.production.meson_source.DetectorGrid`) to the cells of
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
    sig2_f: FloatArray,
    w_f: FloatArray,
    frac_p: FloatArray,
    w_p: FloatArray,
    g_lo: float,
    g_inv_step: float,
    grid_rows: FloatArray,
    hit_rows: FloatArray,
    a0: int,
    d0: int,
    n_d: int,
    b0: int,
    dense: FloatArray,
    zero: FloatArray,
) -> float:  # pragma: no cover - compiled; tested against the NumPy path
    """Add the rays of one channel's nodes to the merge cells; return the N heading into the
    detector (sum of node weight x the azimuthal fraction that hits, pb GeV^2 per d^2).

    Per combo k (see :class:`nudipole.production.meson_source.NodeCombos`): parents
    first[k] .. first[k] + count[k] - 1, cos(alpha/2), sin(alpha/2), sin(alpha), node weight
    ``w_c``, the selection prefactor ``coeff_c`` (L x efficiency; 0 = only counted as
    heading), the decay scale ``scale_c`` = m Gamma/(d^2 p) and ln(scale)/step ``key_c``.
    Per polar angle g of the detector grid, ``grid_rows[g]`` = (first hit, number of hits,
    azimuthal fraction that hits); per hit h, ``hit_rows[h]`` = (azimuthal weight,
    ln l_in / step (-inf where l_in = 0), ln l_out / step, l_in, l_out (GeV^-1)). Rows, not
    separate arrays: a ray then touches two cache lines of the geometry, not eight. A ray
    (node, hit) with prefactor c = coeff w h_w adds (c, c a, c b), a = l_in scale,
    b = l_out scale, to ``dense[3 * ((ka - a0) * n_d + kb - ka - d0) + 0..2]`` with
    ka, kb = floor(key + key_c),
    or, when l_in = 0, (c, c b) to ``zero[2 * (kb - b0) + 0..1]``.
    """
    heading = 0.0
    n_f = sig2_f.size
    n_p = frac_p.size
    n_grid = grid_rows.shape[0]
    x = np.empty(max(n_f, n_p))
    wx = np.empty(max(n_f, n_p))
    for k in range(first.size):
        ck = cos_c[k]
        sk = sin_c[k]
        sak = sina_c[k]
        wk = w_c[k]
        cf = coeff_c[k]
        sc = scale_c[k]
        kc = key_c[k]
        for parent in range(first[k], first[k] + count[k]):
            d = sin_half[parent] * ck - cos_half[parent] * sk
            base = d * d
            span = sin_theta[parent] * sak
            top = base + span
            if not (base < s_hi and top > s_lo):
                continue
            weight = sigma[parent] * wk
            if base >= s_lo and top <= s_hi:
                n = n_f
                for i in range(n_f):
                    x[i] = base + sig2_f[i] * span
                    wx[i] = w_f[i] * weight
            else:
                n = n_p
                width = math.asin(math.sqrt(min(max((s_hi - base) / span, 0.0), 1.0)))
                psi_a = 0.0
                if s_lo > 0.0:
                    psi_a = math.asin(math.sqrt(min(max((s_lo - base) / span, 0.0), 1.0)))
                    width -= psi_a
                ww = width * weight
                for i in range(n_p):
                    s = math.sin(frac_p[i] * width + psi_a)
                    x[i] = base + span * s * s
                    wx[i] = w_p[i] * ww
            for i in range(n):
                theta = _polar(x[i], coef)
                g = int((theta - g_lo) * g_inv_step)
                g = min(max(g, 0), n_grid - 1)
                w2 = wx[i]
                # 2-d indexing, not row views (a view costs a reference count)
                heading += w2 * grid_rows[g, 2]
                if cf <= 0.0:
                    continue
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
                    dense[j] += c
                    dense[j + 1] += c * sc * hit_rows[h, 3]
                    dense[j + 2] += c * sc * hit_rows[h, 4]
    return heading
