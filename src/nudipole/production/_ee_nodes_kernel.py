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
def c_star_node_values(
    c_edges: FloatArray,
    x: FloatArray,
    wk: FloatArray,
    wg: FloatArray,
    gamma_g: FloatArray,
    beta_g: FloatArray,
    half_e_g: FloatArray,
) -> tuple[
    IntArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray
]:  # pragma: no cover - compiled; tested against the NumPy expressions
    """(group, c, weight_kronrod, weight_gauss, cos_alpha, sin_alpha, e_cm) of the c* nodes
    of :func:`nudipole.production.ee_rules.c_star_nodes`: the Gauss-Kronrod rule (abscissae
    ``x`` on [-1, 1], weights ``wk``/``wg``) on every panel of non-zero width between the
    sorted ``c_edges`` (G, E) of each group g, in order of group, panel and node; at each, with
    the N's gamma ``gamma_g``, velocity ``beta_g`` and gamma m / 2 ``half_e_g`` of its group,
    cos alpha = (c* + beta)/(1 + beta c*), sin alpha = sqrt(1 - c*^2)/(gamma (1 + beta c*))
    (aberration) and the photon CM energy E = gamma (m/2)(1 + beta c*). The same arithmetic
    as the NumPy expressions it replaces (compared in ``tests/production/test_ee_rules.py``)."""
    n_g, n_e = c_edges.shape
    n = x.size
    total = 0
    for g in range(n_g):
        for k in range(n_e - 1):
            if c_edges[g, k + 1] > c_edges[g, k]:
                total += n
    group = np.empty(total, dtype=np.int64)
    c = np.empty(total)
    w_k = np.empty(total)
    w_g = np.empty(total)
    cos_a = np.empty(total)
    sin_a = np.empty(total)
    e_cm = np.empty(total)
    i = 0
    for g in range(n_g):
        gamma = gamma_g[g]
        beta = beta_g[g]
        half_e = half_e_g[g]
        for k in range(n_e - 1):
            lo = c_edges[g, k]
            hi = c_edges[g, k + 1]
            if not hi > lo:  # a panel of zero width (edges clipped onto +-1)
                continue
            mid = 0.5 * (hi + lo)
            half = 0.5 * (hi - lo)
            for j in range(n):
                cc = mid + half * x[j]
                one_plus = 1.0 + beta * cc
                group[i] = g
                c[i] = cc
                w_k[i] = half * wk[j]
                w_g[i] = half * wg[j]
                cos_a[i] = (cc + beta) / one_plus
                sin_a[i] = math.sqrt(max(1.0 - cc * cc, 0.0)) / (gamma * one_plus)
                e_cm[i] = half_e * one_plus
                i += 1
    return group, c, w_k, w_g, cos_a, sin_a, e_cm


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


@numba.njit(cache=True, nogil=True, error_model="numpy")
def node_kappa(
    z: float, p_n: float, e_n: float, m_gamma: float, beta: float, gamma_b: float,
    inverse_geometry: FloatArray,
) -> float:  # pragma: no cover - compiled; tested against reach.signal.kappa_of_n  # fmt: skip
    """kappa = L m Gamma / p of an N at CM polar cosine ``z`` with CM momentum ``p_n`` and
    energy ``e_n`` (GeV), boosted by ``beta`` (``gamma_b``) along the beam: the lab-volume
    decay model of :func:`nudipole.reach.signal.kappa_of_n`. With L = min(R / sin, z_end / cos)
    the path to the fiducial cylinder (:func:`nudipole.kinematics.geometry.path_length_in_cylinder`)
    and p sin = p_T, p cos = p_z in the lab, L / p = 1 / max(p_T / R, p_z / z_end): one
    division, no lab momentum. ``inverse_geometry`` = (1/R, 1/z_min, 1/z_max) in GeV. An N
    at rest in the lab (p_T = p_z = 0) has kappa = inf: it decays where it is made."""
    pz = gamma_b * (p_n * z + beta * e_n)
    pt = p_n * math.sqrt(max(1.0 - z * z, 0.0))
    end = pz * (inverse_geometry[2] if pz > 0.0 else inverse_geometry[1])
    return float(m_gamma / max(pt * inverse_geometry[0], end))
