"""Compiled Gauss rule of a discrete measure (numba, ``cache=True``): the same steps as
:func:`nudipole.production.energy_rule.gauss_rule` (discrete Stieltjes procedure, then the
Golub-Welsch eigen-decomposition of the Jacobi matrix) without the NumPy call overhead that
dominated it at the ~100-point measures of one channel and mass (175 us a call, ~1000
calls per 100-mass band). Compared with the NumPy steps in ``tests/production/test_energy_rule.py``.
"""

from __future__ import annotations

import numba
import numpy as np

from nudipole.physics._types import FloatArray


@numba.njit(cache=True, nogil=True)
def gauss_rule_kernel(
    x: FloatArray, w: FloatArray, n: int
) -> tuple[FloatArray, FloatArray, int]:  # pragma: no cover - compiled; tested via gauss_rule
    """(nodes, weights, distinct): the ``n``-point Gauss rule of sum_i w_i delta(t - x_i)
    over the points with w_i > 0, and the number of distinct such points; when that is at
    most ``n`` the rule is not computed (empty arrays) and the caller returns the measure
    itself."""
    m = 0
    for i in range(x.size):
        if w[i] > 0.0:
            m += 1
    xs = np.empty(m)
    ws = np.empty(m)
    j = 0
    for i in range(x.size):
        if w[i] > 0.0:
            xs[j] = x[i]
            ws[j] = w[i]
            j += 1
    if m == 0:
        return np.empty(0), np.empty(0), 0
    order = np.argsort(xs, kind="mergesort")
    xs = xs[order]
    ws = ws[order]
    distinct = 1
    for i in range(1, m):
        if xs[i] != xs[i - 1]:
            distinct += 1
    if distinct <= n:
        return np.empty(0), np.empty(0), distinct
    lo = xs[0]
    hi = xs[m - 1]
    total = 0.0
    for i in range(m):
        total += ws[i]
    t = (2.0 * xs - (lo + hi)) / (hi - lo)
    p = ws / total
    alpha = np.zeros(n)
    beta = np.zeros(n)
    pi_prev = np.zeros(m)
    pi_cur = np.ones(m)
    norm_prev = 1.0
    for k in range(n):
        norm = 0.0
        first = 0.0
        for i in range(m):
            q = p[i] * pi_cur[i] * pi_cur[i]
            norm += q
            first += q * t[i]
        alpha[k] = first / norm
        if k > 0:
            beta[k] = norm / norm_prev
        for i in range(m):
            nxt = (t[i] - alpha[k]) * pi_cur[i] - beta[k] * pi_prev[i]
            pi_prev[i] = pi_cur[i]
            pi_cur[i] = nxt
        norm_prev = norm
    jac = np.zeros((n, n))
    for k in range(n):
        jac[k, k] = alpha[k]
        if k > 0:
            off = np.sqrt(beta[k])
            jac[k, k - 1] = off
            jac[k - 1, k] = off
    val, vec = np.linalg.eigh(jac)
    gx = 0.5 * ((hi - lo) * val + (lo + hi))
    gw = np.empty(n)
    for k in range(n):
        gw[k] = total * vec[0, k] * vec[0, k]
    return gx, gw, distinct
