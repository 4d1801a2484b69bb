"""Compiled last step of the e+e- cut-adapted rule (numba, ``cache=True``): the nodes of
:func:`nudipole.production.ee_rules.rule_nodes` from its (c*, theta_g) nodes and the psi
rule, in one pass, without the (pieces x theta nodes x psi nodes) NumPy temporaries that
made most of the rule's time. The same arithmetic as the NumPy expressions it replaces
(compared in ``tests/production/test_ee_rules.py``).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from nudipole.physics._types import FloatArray

IntArray = np.ndarray


@numba.njit(cache=True, nogil=True)
def rule_node_values(
    v: IntArray,
    cos_th: FloatArray,
    sin_th: FloatArray,
    wtk: FloatArray,
    wtg: FloatArray,
    cos_a: FloatArray,
    sin_a: FloatArray,
    wck: FloatArray,
    wcg: FloatArray,
    group: IntArray,
    c: FloatArray,
    cos_psi: FloatArray,
    wpk: FloatArray,
    wpg: FloatArray,
) -> tuple[
    IntArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray
]:  # pragma: no cover - compiled; tested against the NumPy expressions
    """(point, cos_n, cos_star, cos_phi, weight_kronrod, weight_gauss) of every node
    (piece k, theta node j, psi node l), in that order (l fastest).

    Piece k lies at the c* node ``v[k]`` (cos alpha ``cos_a``, sin alpha ``sin_a``, c*
    weights ``wck``/``wcg``, group ``group``, c* value ``c``); ``cos_th``, ``sin_th``,
    ``wtk``, ``wtg`` (pieces x theta nodes) its theta_g nodes and weights; ``cos_psi``,
    ``wpk``, ``wpg`` the psi rule. z = cos theta_g cos alpha + sin theta_g sin alpha cos psi
    (clipped to [-1, 1]), cos f* = (z cos alpha - cos theta_g) / (sqrt(1 - z^2) sin alpha)
    (0 where the denominator vanishes; clipped), weights 0.25 w_c (w_t sin theta_g) w_psi.
    """
    n_k, n_t = cos_th.shape
    n_l = cos_psi.size
    n = n_k * n_t * n_l
    point = np.empty(n, dtype=np.int64)
    cos_n = np.empty(n)
    cos_star = np.empty(n)
    cos_phi = np.empty(n)
    w_k = np.empty(n)
    w_g = np.empty(n)
    i = 0
    for k in range(n_k):
        vk = v[k]
        ca = cos_a[vk]
        sa = sin_a[vk]
        ck = 0.25 * wck[vk]
        cg4 = 0.25 * wcg[vk]
        gk = group[vk]
        cs = c[vk]
        for j in range(n_t):
            cg = cos_th[k, j]
            sg = sin_th[k, j]
            ssa = sg * sa
            ak = ck * (wtk[k, j] * sg)
            ag = cg4 * (wtg[k, j] * sg)
            for m in range(n_l):
                z = cg * ca + ssa * cos_psi[m]
                z = min(max(z, -1.0), 1.0)
                den = math.sqrt(max(1.0 - z * z, 0.0)) * sa
                f = (z * ca - cg) / den if den > 0.0 else 0.0
                point[i] = gk
                cos_n[i] = z
                cos_star[i] = cs
                cos_phi[i] = min(max(f, -1.0), 1.0)
                w_k[i] = ak * wpk[m]
                w_g[i] = ag * wpg[m]
                i += 1
    return point, cos_n, cos_star, cos_phi, w_k, w_g
