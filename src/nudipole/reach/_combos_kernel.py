"""Compiled node combinations of the far-detector count (numba, ``cache=True``).

:func:`node_combos_kernel` computes the same combos as
:func:`nudipole.production.node_combos.node_combos` (its docstring has the physics: the N
momentum and the opening angle alpha between N and parent for every (momentum group, E*,
cos theta*), and the contiguous run of parents of the group whose polar angle lets such an
N reach the detector's polar window), in one pass without the NumPy temporaries that cost
more than the arithmetic at the few thousand combos of one channel and mass. Both are
compared in ``tests/reach/test_far_rays.py``.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from nudipole.physics._types import FloatArray
from nudipole.production._window_kernel import half_angle

IntArray = np.ndarray


@numba.njit(cache=True, nogil=True, error_model="numpy")
def node_combos_kernel(
    key: FloatArray,
    beta: FloatArray,
    gamma: FloatArray,
    theta_min: FloatArray,
    theta_max: FloatArray,
    e_star: FloatArray,
    w_e: FloatArray,
    cos_star: FloatArray,
    w_cos: FloatArray,
    m_n: float,
    th_lo: float,
    th_hi: float,
    log_p_step: float,
    key_stride: float,
    pad: float,
) -> tuple[
    IntArray, IntArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray
]:  # pragma: no cover - compiled; tested against node_combos
    """(first, count, cos(alpha/2), sin(alpha/2), sin(alpha), weight, momentum) of every combo
    (group, E* node j, cos theta* node i) with at least one parent, ordered (stably) by
    floor(ln p / ``log_p_step``), then group, j, i: the order and values of
    :func:`nudipole.production.node_combos.node_combos`. ``w_e`` x ``w_cos`` is the node
    weight (the caller folds the cos theta* density into ``w_cos``)."""
    n_grp = beta.size
    n_e = e_star.size
    n_c = cos_star.size
    n_max = n_grp * n_e * n_c
    first = np.empty(n_max, dtype=np.int64)
    count = np.empty(n_max, dtype=np.int64)
    cos_h = np.empty(n_max)
    sin_h = np.empty(n_max)
    sin_a = np.empty(n_max)
    weight = np.empty(n_max)
    mom = np.empty(n_max)
    ip = np.empty(n_max, dtype=np.int64)
    two_pi = 2.0 * math.pi
    # the parents of group grp are key[starts[grp]:starts[grp + 1]]; the searches below stay
    # inside them
    starts = np.searchsorted(key, key_stride * np.arange(n_grp + 1) - 0.5)
    # p* sin theta* and p* cos theta* of every (E*, cos theta*) node: mass independent of
    # the group
    p_across = np.empty((n_e, n_c))
    p_along = np.empty((n_e, n_c))
    for j in range(n_e):
        p_star = math.sqrt(max(e_star[j] * e_star[j] - m_n * m_n, 0.0))
        for i in range(n_c):
            p_along[j, i] = p_star * cos_star[i]
            p_across[j, i] = p_star * math.sqrt(1.0 - cos_star[i] * cos_star[i])
    n = 0
    for grp in range(n_grp):
        lo_grp = starts[grp]
        hi_grp = starts[grp + 1]
        run = key[lo_grp:hi_grp]
        a_min = max(theta_min[grp] - th_hi, th_lo - theta_max[grp]) - pad
        a_max = min(theta_max[grp] + th_hi, two_pi - th_lo - theta_min[grp]) + pad
        h_min = math.sin(0.5 * min(max(a_min, 0.0), math.pi))
        h_max = 2.0 if a_max >= math.pi else math.sin(0.5 * min(max(a_max, 0.0), math.pi))
        base_key = key_stride * grp
        for j in range(n_e):
            for i in range(n_c):
                along = gamma[grp] * (p_along[j, i] + beta[grp] * e_star[j])
                across = p_across[j, i]
                p = math.sqrt(along * along + across * across)
                ch, sh = half_angle(along, across, p)
                if not (sh >= h_min and sh <= h_max):
                    continue
                half = math.asin(min(sh, ch))
                alpha = 2.0 * half if sh <= ch else 2.0 * (0.5 * math.pi - half)
                lower = max(alpha - th_hi, th_lo - alpha) - pad
                upper = min(alpha + th_hi, two_pi - th_lo - alpha) + pad
                lo = lo_grp + np.searchsorted(
                    run, base_key + min(max(lower, -0.5), 3.5), side="left"
                )
                hi = lo_grp + np.searchsorted(
                    run, base_key + min(max(upper, -0.5), 3.5), side="right"
                )
                if hi <= lo:
                    continue
                first[n] = lo
                count[n] = hi - lo
                cos_h[n] = ch
                sin_h[n] = sh
                sin_a[n] = across / p
                weight[n] = w_e[j] * w_cos[i]
                mom[n] = p
                ip[n] = math.floor(math.log(p) / log_p_step)
                n += 1
    order = stable_key_order(ip[:n])
    return (
        first[order],
        count[order],
        cos_h[order],
        sin_h[order],
        sin_a[order],
        weight[order],
        mom[order],
    )


#: Most distinct keys, beyond the number of combos, for which :func:`stable_key_order` counts
#: them (a key per ln p step of 1 % spans some 1000-1400 for the LHC spectra); a wider range
#: is sorted by merging.
COUNTING_SPAN = 4096

#: Keys beyond +-this are sorted by merging (their range could overflow an int64).
_KEY_BOUND = 1 << 62


@numba.njit(cache=True, nogil=True)
def stable_key_order(keys: IntArray) -> IntArray:  # pragma: no cover - compiled; tested
    """The order that sorts the integer ``keys`` stably (ties in their given order): that of
    ``np.argsort(keys, kind="stable")``, by counting the keys where their range is at most
    four times their number plus :data:`COUNTING_SPAN` (one pass to count, one to place: the
    node combinations of one mass at the three LHC detectors 25-30 % faster than with the
    merge sort, measured), else by merging (also for keys beyond +-2^62, whose range would
    not fit an int64)."""
    n = keys.size
    order = np.empty(n, dtype=np.int64)
    if n == 0:
        return order
    k_lo = keys[0]
    k_hi = keys[0]
    for i in range(1, n):
        k_lo = min(k_lo, keys[i])
        k_hi = max(k_hi, keys[i])
    if k_lo < -_KEY_BOUND or k_hi > _KEY_BOUND or k_hi - k_lo >= 4 * n + COUNTING_SPAN:
        return np.argsort(keys, kind="mergesort")
    span = k_hi - k_lo + 1
    # start[b]: where the next combo of key k_lo + b goes
    start = np.zeros(span + 1, dtype=np.int64)
    for i in range(n):
        start[keys[i] - k_lo + 1] += 1
    for b in range(span):
        start[b + 1] += start[b]
    for i in range(n):
        b = keys[i] - k_lo
        order[start[b]] = i
        start[b] += 1
    return order
