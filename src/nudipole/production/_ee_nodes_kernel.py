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


@numba.njit(cache=True, nogil=True)
def path_to_cylinder(
    cos_theta: float, radius: float, z_min: float, z_max: float
) -> float:  # pragma: no cover - compiled; tested against kinematics.geometry
    """Distance from the origin to the surface of the cylinder along ``cos_theta``: the scalar
    form of :func:`nudipole.kinematics.geometry.path_length_in_cylinder`."""
    sin_t = math.sqrt(max(1.0 - cos_theta * cos_theta, 0.0))
    radial = radius / sin_t if sin_t > 0.0 else math.inf
    if cos_theta > 0.0:
        end = z_max / cos_theta
    elif cos_theta < 0.0:
        end = z_min / cos_theta
    else:
        end = math.inf
    return min(radial, end)


@numba.njit(cache=True, nogil=True)
def _node_kappa(
    z: float, p_n: float, e_n: float, m_gamma: float, beta: float, gamma_b: float,
    geometry: FloatArray,
) -> float:  # pragma: no cover - compiled  # fmt: skip
    """kappa = L m Gamma / p of an N at CM polar cosine ``z`` with CM momentum ``p_n`` and
    energy ``e_n`` (GeV), boosted by ``beta`` along the beam (the lab-volume decay model of
    :func:`nudipole.reach.signal.kappa_of_n`); ``geometry`` = (radius, z_min, z_max) in GeV^-1."""
    if beta == 0.0:
        p_lab, cos_lab = p_n, z
    else:
        pz = gamma_b * (p_n * z + beta * e_n)
        pt = p_n * math.sqrt(max(1.0 - z * z, 0.0))
        p_lab = math.sqrt(pz * pz + pt * pt)
        cos_lab = pz / p_lab if p_lab > 0.0 else 1.0
    path = path_to_cylinder(cos_lab, geometry[0], geometry[1], geometry[2])
    return path * m_gamma / p_lab


@numba.njit(cache=True, nogil=True)
def lab_volume_bins(
    node: IntArray,
    cos_lo: FloatArray,
    cos_hi: FloatArray,
    x_theta: FloatArray,
    w_theta_k: FloatArray,
    w_theta_g: FloatArray,
    cos_a: FloatArray,
    sin_a: FloatArray,
    wck: FloatArray,
    wcg: FloatArray,
    group: IntArray,
    coeffs: FloatArray,
    cos_psi: FloatArray,
    wpk: FloatArray,
    wpg: FloatArray,
    group_mass: IntArray,
    group_kinematics: FloatArray,
    beta: float,
    geometry: FloatArray,
    n_masses: int,
    n_bins: int,
) -> tuple[FloatArray, FloatArray]:  # pragma: no cover - compiled; tested against rule_nodes
    """Summed weights and weight x kappa, (groups, 2, n_bins), of the cut-adapted rule in
    ln-kappa bins that span, per mass, the accepted nodes' range (the binning of
    :func:`nudipole.reach.signal.build_rule_templates_many`), without storing the nodes.

    Piece k (c* node ``node[k]``, photon CM cosines ``cos_lo`` < ``cos_hi``) gets the
    Gauss-Kronrod rule (abscissae ``x_theta`` on [-1, 1], weights ``w_theta_k``/``w_theta_g``)
    in the photon polar angle theta_g, and every theta node the psi rule; at each node
    z = cos theta_g cos alpha + sin theta_g sin alpha cos psi (clipped to [-1, 1]) and the
    density a0 + a1 z + a2 z^2 + (b0 + b1 z)(z cos alpha - cos theta_g) / sin alpha
    (:mod:`nudipole.production.ee_polynomial`; ``coeffs`` (V, 5) per c* node), weights
    0.25 w_c (w_theta sin theta_g) w_psi. ``group_kinematics`` (G, 3): the N's CM momentum,
    CM energy and m Gamma(d = 1) per group; kappa by :func:`_node_kappa`. Index 0 of the
    middle axis is the Kronrod rule, 1 its embedded Gauss rule; nodes whose Kronrod weight
    is not positive are left out of both (as the node path does).
    """
    n_k = node.size
    n_t = x_theta.size
    n_l = cos_psi.size
    gamma_b = 1.0 / math.sqrt(1.0 - beta * beta)
    n = n_k * n_t * n_l
    # first sweep: every node's weights and kappa, and the range of kappa per mass
    w_kron = np.empty(n)
    w_gauss = np.empty(n)
    kap = np.empty(n)
    owner = np.empty(n, dtype=np.int64)
    lo_mass = np.full(n_masses, np.inf)
    hi_mass = np.full(n_masses, -np.inf)
    i = 0
    for k in range(n_k):
        vk = node[k]
        ca = cos_a[vk]
        sa = sin_a[vk]
        gk = group[vk]
        mk = group_mass[gk]
        p_n = group_kinematics[gk, 0]
        e_n = group_kinematics[gk, 1]
        m_gamma = group_kinematics[gk, 2]
        a0 = coeffs[vk, 0]
        a1 = coeffs[vk, 1]
        a2 = coeffs[vk, 2]
        b0 = coeffs[vk, 3]
        b1 = coeffs[vk, 4]
        inv_sa = 1.0 / sa if sa > 0.0 else 0.0
        th_lo = math.acos(cos_hi[k])
        th_hi = math.acos(cos_lo[k])
        mid = 0.5 * (th_lo + th_hi)
        half = 0.5 * (th_hi - th_lo)
        ck = 0.25 * wck[vk]
        cg4 = 0.25 * wcg[vk]
        for j in range(n_t):
            th = mid + half * x_theta[j]
            cg = math.cos(th)
            sg = math.sin(th)
            ssa = sg * sa
            ak = ck * (half * w_theta_k[j] * sg)
            ag = cg4 * (half * w_theta_g[j] * sg)
            for m in range(n_l):
                z = cg * ca + ssa * cos_psi[m]
                z = min(max(z, -1.0), 1.0)
                dens = a0 + (a1 + a2 * z) * z + (b0 + b1 * z) * (z * ca - cg) * inv_sa
                w_k = ak * wpk[m] * dens
                if not w_k > 0.0:
                    continue
                kk = _node_kappa(z, p_n, e_n, m_gamma, beta, gamma_b, geometry)
                w_kron[i] = w_k
                w_gauss[i] = ag * wpg[m] * dens
                kap[i] = kk
                owner[i] = gk
                i += 1
                lo_mass[mk] = min(lo_mass[mk], kk)
                hi_mass[mk] = max(hi_mass[mk], kk)
    # second sweep: ln-kappa bins spanning each mass's range
    width = np.ones(n_masses)
    for mk in range(n_masses):
        if hi_mass[mk] > 0.0:
            lo_mass[mk] = math.log(lo_mass[mk])
            hi_mass[mk] = math.log(hi_mass[mk])
        width[mk] = (hi_mass[mk] + 1e-12 - lo_mass[mk]) / n_bins
    n_groups = group_mass.size
    sum_w = np.zeros((n_groups, 2, n_bins))
    sum_wk = np.zeros((n_groups, 2, n_bins))
    for q in range(i):
        gk = owner[q]
        mk = group_mass[gk]
        idx = int((math.log(kap[q]) - lo_mass[mk]) / width[mk])
        idx = min(max(idx, 0), n_bins - 1)
        sum_w[gk, 0, idx] += w_kron[q]
        sum_wk[gk, 0, idx] += w_kron[q] * kap[q]
        sum_w[gk, 1, idx] += w_gauss[q]
        sum_wk[gk, 1, idx] += w_gauss[q] * kap[q]
    return sum_w, sum_wk
