"""Compiled theta* rule of a W/Z part under a small polar window (numba, ``cache=True``):
the physics and the rule are in :mod:`nudipole.production.window_theta`; compared with a
direct evaluation of the aberration formula in ``tests/production/test_window_theta.py``.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from nudipole.physics._types import FloatArray

IntArray = np.ndarray

#: Most theta* intervals of one (parent, E*) node: 5 pieces of alpha x 2 branches.
_MAX_INTERVALS = 10


@numba.njit(cache=True, nogil=True, inline="always")
def half_angle(
    along: float, across: float, p: float
) -> tuple[float, float]:  # pragma: no cover - compiled
    """(cos(alpha/2), sin(alpha/2)) of the angle alpha between an N of momentum ``p`` (GeV)
    with components ``along`` and ``across`` its parent's direction, without cancellation
    (derived, as :func:`nudipole.production.node_combos.node_combos`): cos(alpha/2) =
    (p + p_par) r, sin(alpha/2) = p_perp r, r = 1/sqrt(2 p (p + p_par)) for p_par >= 0, the two
    swapped and p + p_par -> p - p_par for p_par < 0."""
    big = p + abs(along)
    r = 1.0 / math.sqrt(2.0 * p * big)
    if along >= 0.0:
        return big * r, across * r
    return across * r, big * r


@numba.njit(cache=True, nogil=True, inline="always")
def _alpha_of(c: float, beta: float, gamma: float, beta_s: float) -> float:  # pragma: no cover
    """Lab angle between N and parent for cos theta* = c (module docstring)."""
    s = math.sqrt(max(1.0 - c * c, 0.0))
    return math.atan2(beta_s * s, gamma * (beta_s * c + beta))


@numba.njit(cache=True, nogil=True)
def theta_star_of_alpha(
    alpha: float, beta: float, gamma: float, beta_s: float, branch: int
) -> float:  # pragma: no cover - compiled; tested against _alpha_of
    """theta* (rad) at which the N leaves at lab angle ``alpha`` from the parent; ``branch``
    0: the smaller theta* (the only one for beta < beta*), 1: the larger (beta >= beta*)."""
    if alpha <= 0.0:
        return 0.0 if branch == 0 else math.pi
    if alpha >= math.pi:
        return math.pi
    sa = math.sin(alpha)
    ca = math.cos(alpha)
    sg2 = sa * sa * gamma * gamma
    a2 = beta_s * beta_s * (sg2 + ca * ca)
    a1 = 2.0 * sg2 * beta_s * beta
    a0 = sg2 * beta * beta - ca * ca * beta_s * beta_s
    disc = max(a1 * a1 - 4.0 * a2 * a0, 0.0)
    r = math.sqrt(disc)
    # the two roots without cancellation
    q = -0.5 * (a1 + r) if a1 >= 0.0 else -0.5 * (a1 - r)
    c1 = q / a2
    c2 = a0 / q if q != 0.0 else c1
    c_hi = min(max(max(c1, c2), -1.0), 1.0)
    c_lo = min(max(min(c1, c2), -1.0), 1.0)
    if beta >= beta_s:
        return math.acos(c_hi) if branch == 0 else math.acos(c_lo)
    # one branch: the root whose recomputed angle is alpha
    d_hi = abs(_alpha_of(c_hi, beta, gamma, beta_s) - alpha)
    d_lo = abs(_alpha_of(c_lo, beta, gamma, beta_s) - alpha)
    return math.acos(c_hi) if d_hi <= d_lo else math.acos(c_lo)


@numba.njit(cache=True, nogil=True)
def window_nodes_kernel(
    key: FloatArray,
    beta_g: FloatArray,
    gamma_g: FloatArray,
    e_star: FloatArray,
    w_e: FloatArray,
    m_n: float,
    th_lo: float,
    th_hi: float,
    x_gl: FloatArray,
    w_gl: FloatArray,
    key_stride: float,
) -> tuple[
    IntArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray
]:  # pragma: no cover - compiled; tested through window_combos
    """(parent, cos theta*, weight without the density, N momentum, cos(alpha/2),
    sin(alpha/2), sin(alpha)) of every node of the rule (module docstring) for the parents of
    a table (``key`` = stride x group + theta_P, groups of velocity ``beta_g``, ``gamma_g``)
    and the E* nodes ``e_star`` (weights ``w_e``)."""
    n_par = key.size
    n_e = e_star.size
    n_x = x_gl.size
    cap = n_par * n_e * _MAX_INTERVALS * n_x
    parent = np.empty(cap, dtype=np.int64)
    cos_s = np.empty(cap)
    weight = np.empty(cap)
    mom = np.empty(cap)
    cos_h = np.empty(cap)
    sin_h = np.empty(cap)
    sin_a = np.empty(cap)
    u_sin = np.empty(n_x)
    u_cos = np.empty(n_x)
    for i in range(n_x):
        u = 0.5 * math.pi * x_gl[i]
        u_sin[i] = math.sin(u)
        u_cos[i] = math.cos(u)

    cuts = np.empty(6)
    t1s = np.empty(_MAX_INTERVALS)
    t2s = np.empty(_MAX_INTERVALS)
    n = 0
    for ip in range(n_par):
        grp = math.floor(key[ip] / key_stride)  # theta_P <= pi < stride: no carry
        theta_p = key[ip] - key_stride * grp
        beta = beta_g[grp]
        gamma = gamma_g[grp]
        a_lo = max(0.0, theta_p - th_hi, th_lo - theta_p)
        a_hi = min(math.pi, theta_p + th_hi, 2.0 * math.pi - theta_p - th_lo)
        if not a_hi > a_lo:
            continue
        # pieces of alpha between the edges where the accepted phi* fraction is not smooth
        n_c = 0
        cuts[n_c] = a_lo
        n_c += 1
        for edge in (
            abs(theta_p - th_lo),
            abs(theta_p - th_hi),
            theta_p + th_lo,
            theta_p + th_hi,
        ):
            if a_lo < edge < a_hi:
                cuts[n_c] = edge
                n_c += 1
        cuts[n_c] = a_hi
        n_c += 1
        cuts[:n_c].sort()
        for j in range(n_e):
            p_star = math.sqrt(max(e_star[j] * e_star[j] - m_n * m_n, 0.0))
            if p_star <= 0.0:
                continue
            beta_s = p_star / e_star[j]
            a_max = math.pi
            if beta >= beta_s:
                a_max = math.atan2(beta_s, gamma * math.sqrt(beta * beta - beta_s * beta_s))
            # theta* intervals
            n_t = 0
            for k in range(n_c - 1):
                a1 = cuts[k]
                a2 = cuts[k + 1]
                if a2 <= a1 or a1 >= a_max:
                    continue
                if beta < beta_s:
                    t1s[n_t] = theta_star_of_alpha(a1, beta, gamma, beta_s, 0)
                    t2s[n_t] = theta_star_of_alpha(a2, beta, gamma, beta_s, 0)
                    n_t += 1
                elif a2 < a_max:
                    t1s[n_t] = theta_star_of_alpha(a1, beta, gamma, beta_s, 0)
                    t2s[n_t] = theta_star_of_alpha(a2, beta, gamma, beta_s, 0)
                    n_t += 1
                    t1s[n_t] = theta_star_of_alpha(a2, beta, gamma, beta_s, 1)
                    t2s[n_t] = theta_star_of_alpha(a1, beta, gamma, beta_s, 1)
                    n_t += 1
                else:  # the piece holds the turning point alpha_max: one interval
                    t1s[n_t] = theta_star_of_alpha(a1, beta, gamma, beta_s, 0)
                    t2s[n_t] = theta_star_of_alpha(a1, beta, gamma, beta_s, 1)
                    n_t += 1
            for k in range(n_t):
                t1 = t1s[k]
                t2 = t2s[k]
                if not t2 > t1:
                    continue
                mid = 0.5 * (t1 + t2)
                half = 0.5 * (t2 - t1)
                for i in range(n_x):
                    t = mid + half * u_sin[i]
                    c = math.cos(t)
                    s = math.sin(t)
                    along = gamma * (p_star * c + beta * e_star[j])
                    across = p_star * s
                    p = math.sqrt(along * along + across * across)
                    if not p > 0.0:
                        continue
                    ch, sh = half_angle(along, across, p)
                    parent[n] = ip
                    cos_s[n] = c
                    weight[n] = w_e[j] * w_gl[i] * 0.5 * math.pi * half * u_cos[i] * s
                    mom[n] = p
                    cos_h[n] = ch
                    sin_h[n] = sh
                    sin_a[n] = across / p
                    n += 1
    return (
        parent[:n].copy(),
        cos_s[:n].copy(),
        weight[:n].copy(),
        mom[:n].copy(),
        cos_h[:n].copy(),
        sin_h[:n].copy(),
        sin_a[:n].copy(),
    )
