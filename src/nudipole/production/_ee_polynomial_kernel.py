"""Compiled acceptance sums of the photon-only density over the c* nodes (numba,
``cache=True``): :func:`nudipole.production.ee_polynomial.photon_only_density`, then
:func:`~nudipole.production.ee_polynomial.psi_average` and
:func:`~nudipole.production.ee_polynomial.moment_integral` at each node, summed per group with
the Kronrod and Gauss weights, in one pass without the eight per-node NumPy temporaries.
The same arithmetic, in the same order, as the NumPy expressions it replaces (compared in
``tests/production/test_ee_polynomial.py``).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from nudipole.physics._types import FloatArray

IntArray = np.ndarray

#: Codes of :class:`nudipole.physics.angular.PhotonAngular` for :func:`photon_only_sums`.
SPIN_CORRELATED, ISOTROPIC, ONE_MINUS_COS = 0, 1, 2


@numba.njit(cache=True, nogil=True)
def photon_only_sums(
    angular: int,
    s_g: FloatArray,
    m_g: FloatArray,
    group: IntArray,
    c: FloatArray,
    cos_alpha: FloatArray,
    sin_alpha: FloatArray,
    moments: FloatArray,
    weight_kronrod: FloatArray,
    weight_gauss: FloatArray,
) -> tuple[FloatArray, FloatArray]:  # pragma: no cover - compiled; tested against NumPy
    """(acc_kronrod, acc_gauss) per group: 0.5 x the sum over the group's c* nodes of the
    weight times :func:`~nudipole.production.ee_polynomial.moment_integral` of the photon-only
    density (seed Eq. 2 with P_L, P_T of PHYSICS.md section 3, the closed form of
    :func:`~nudipole.production.ee_polynomial.photon_only_density`) averaged over psi at the
    photon-to-N angle alpha of the node, over the accepted photon cosines whose integrals of
    1, x, x^2 are ``moments`` (V, 3). ``angular``: :data:`SPIN_CORRELATED`,
    :data:`ISOTROPIC` or :data:`ONE_MINUS_COS`; ``s_g`` (GeV^2) and ``m_g`` (GeV) per group,
    ``group`` of each node."""
    n_g = s_g.size
    acc_k = np.zeros(n_g)
    acc_g = np.zeros(n_g)
    for v in range(c.size):
        gi = group[v]
        s = s_g[gi]
        m = m_g[gi]
        m2 = m * m
        cv = c[v]
        n = 1.5 / (s + 2.0 * m2)
        plus = n * (s + m2)
        minus = n * (s - m2)
        if angular == SPIN_CORRELATED:
            root = math.sqrt(max(1.0 - cv * cv, 0.0))
            a0 = plus - cv * minus
            a2 = cv * plus - minus
            b1 = -2.0 * n * math.sqrt(s * m2) * root
        else:
            scale = 1.0 - cv if angular == ONE_MINUS_COS else 1.0
            a0 = scale * plus
            a2 = -scale * minus
            b1 = 0.0
        ca = cos_alpha[v]
        sa = sin_alpha[v]
        cs = ca * sa
        d0 = a0 + 0.5 * a2 * sa * sa + 0.5 * b1 * cs
        d2 = a2 * (ca * ca - 0.5 * sa * sa) - 1.5 * b1 * cs
        # a1 = b0 = 0 for the photon-only density: d1 = 0
        part = 0.5 * (d0 * moments[v, 0] + d2 * moments[v, 2])
        acc_k[gi] += part * weight_kronrod[v]
        acc_g[gi] += part * weight_gauss[v]
    for gi in range(n_g):
        acc_k[gi] *= 0.5
        acc_g[gi] *= 0.5
    return acc_k, acc_g
