"""Compiled lab-volume pass of the e+e- cut-adapted rule (numba, ``cache=True``): the nodes
of :func:`nudipole.production.ee_rules.rule_nodes` binned in ln kappa per (mass, energy
point) without storing them (:func:`lab_volume_bins`), and the range of kappa over the
accepted pieces that sets those bins (:func:`lab_volume_kappa_range`). The per-node kappa
and the Chebyshev densities are those of :mod:`nudipole.production._ee_nodes_kernel`
(compared with the node path in ``tests/production/test_ee_rules.py``).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from nudipole.physics._types import FloatArray
from nudipole.production._ee_nodes_kernel import node_kappa

IntArray = np.ndarray


@numba.njit(cache=True, nogil=True)
def _chebyshev(series: FloatArray, pair: int, row: int, z: float) -> float:  # pragma: no cover
    """sum_j series[pair, row, j] T_j(z) by Clenshaw's recurrence."""
    b1 = 0.0
    b2 = 0.0
    for j in range(series.shape[2] - 1, 0, -1):
        b0 = series[pair, row, j] + 2.0 * z * b1 - b2
        b2 = b1
        b1 = b0
    return float(series[pair, row, 0] + z * b1 - b2)


@numba.njit(cache=True, nogil=True)
def _add_node(
    kap: float, w_k: float, w_g: float, gk: int, mk: int, edges: FloatArray,
    sum_w: FloatArray, sum_wk: FloatArray, start: int,
) -> int:  # pragma: no cover - compiled  # fmt: skip
    """Add a node of kappa ``kap`` and weights ``w_k`` (Kronrod), ``w_g`` (embedded Gauss)
    to group ``gk``'s bin: the number of mass ``mk``'s interior bin ``edges`` (increasing)
    at or below ``kap``, found by walking from bin ``start`` (2-d indexing, not a row view,
    which costs a reference count). Returns the bin, the next node's ``start``: successive
    nodes of a piece have nearby kappa, so the walk is mostly zero or one step, where a
    binary search over the 15 edges took four hard-to-predict branches (BESIII default's
    pass 67 -> 61 ms, the same sums to the bit; measured)."""
    a = start
    n_edges = edges.shape[1]
    while a > 0 and edges[mk, a - 1] > kap:
        a -= 1
    while a < n_edges and edges[mk, a] <= kap:
        a += 1
    sum_w[gk, 0, a] += w_k
    sum_wk[gk, 0, a] += w_k * kap
    sum_w[gk, 1, a] += w_g
    sum_wk[gk, 1, a] += w_g * kap
    return a


@numba.njit(cache=True, nogil=True)
def _piece_angles(cos_lo: float, cos_hi: float) -> tuple[float, float]:  # pragma: no cover
    """(middle, half width) in the photon polar angle of a piece between the CM cosines
    ``cos_lo`` < ``cos_hi`` (radians)."""
    th_lo = math.acos(cos_hi)
    th_hi = math.acos(cos_lo)
    return 0.5 * (th_lo + th_hi), 0.5 * (th_hi - th_lo)


@numba.njit(cache=True, nogil=True)
def _lab_volume_sweep(
    node: IntArray, cos_lo: FloatArray, cos_hi: FloatArray, x_theta: FloatArray,
    w_theta_k: FloatArray, w_theta_g: FloatArray, narrow: float, x_narrow: FloatArray,
    w_narrow_k: FloatArray, w_narrow_g: FloatArray, cos_a: FloatArray, sin_a: FloatArray,
    wck: FloatArray, wcg: FloatArray, group: IntArray, cos_psi: FloatArray,
    wpk: FloatArray, wpg: FloatArray, group_mass: IntArray, group_kinematics: FloatArray,
    beta: float, inverse_geometry: FloatArray, edges: FloatArray, sum_w: FloatArray,
    sum_wk: FloatArray, series: FloatArray,
) -> None:  # pragma: no cover - compiled  # fmt: skip
    """The pass over the nodes of :func:`lab_volume_bins` with the density as Chebyshev
    ``series``: the bin of a node is the number of its mass's interior bin ``edges`` at or
    below its kappa; each theta node has its own cosine and sine. (Taken in mirror pairs as in
    :func:`_lab_volume_sweep_pairs`, this pass ran 1-3x as long from process to process,
    measured on LEP L3's electron curve: 45 ms or 110-150 ms.)"""
    n_k = node.size
    n_t = x_theta.size
    n_narrow = x_narrow.size
    n_l = cos_psi.size
    gamma_b = 1.0 / math.sqrt(1.0 - beta * beta)
    start = 0  # the bin of the previous node (_add_node)
    for k in range(n_k):
        vk = node[k]
        ca = cos_a[vk]
        sa = sin_a[vk]
        gk = group[vk]
        mk = group_mass[gk]
        p_n = group_kinematics[gk, 0]
        e_n = group_kinematics[gk, 1]
        m_gamma = group_kinematics[gk, 2]
        inv_sa = 1.0 / sa if sa > 0.0 else 0.0
        mid, half = _piece_angles(cos_lo[k], cos_hi[k])
        ck = 0.25 * wck[vk]
        cg4 = 0.25 * wcg[vk]
        low = 2.0 * half < narrow  # the lower rule (ee_rules.theta_nodes)
        for j in range(n_narrow if low else n_t):
            if low:
                th = mid + half * x_narrow[j]
                wtk = half * w_narrow_k[j]
                wtg = half * w_narrow_g[j]
            else:
                th = mid + half * x_theta[j]
                wtk = half * w_theta_k[j]
                wtg = half * w_theta_g[j]
            cg = math.cos(th)
            sg = math.sin(th)
            ssa = sg * sa
            ak = ck * (wtk * sg)
            ag = cg4 * (wtg * sg)
            for m in range(n_l):
                z = cg * ca + ssa * cos_psi[m]
                z = min(max(z, -1.0), 1.0)
                dens = (
                    _chebyshev(series, vk, 0, z)
                    + _chebyshev(series, vk, 1, z) * (z * ca - cg) * inv_sa
                )
                w_k = ak * wpk[m] * dens
                if not w_k > 0.0:  # left out of both rules, as the node path does
                    continue
                kap = node_kappa(z, p_n, e_n, m_gamma, beta, gamma_b, inverse_geometry)
                start = _add_node(kap, w_k, ag * wpg[m] * dens, gk, mk, edges, sum_w, sum_wk, start)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _lab_volume_sweep_pairs(
    node: IntArray, cos_lo: FloatArray, cos_hi: FloatArray, x_theta: FloatArray,
    w_theta_k: FloatArray, w_theta_g: FloatArray, narrow: float, x_narrow: FloatArray,
    w_narrow_k: FloatArray, w_narrow_g: FloatArray, cos_a: FloatArray, sin_a: FloatArray,
    wck: FloatArray, wcg: FloatArray, group: IntArray, coeffs: FloatArray, cos_psi: FloatArray,
    wpk: FloatArray, wpg: FloatArray, group_mass: IntArray, group_kinematics: FloatArray,
    beta: float, inverse_geometry: FloatArray, edges: FloatArray, sum_w: FloatArray,
    sum_wk: FloatArray,
) -> None:  # pragma: no cover - compiled  # fmt: skip
    """The pass over the nodes of :func:`lab_volume_bins` with a polynomial density: the bin
    of a node is the number of its mass's interior bin ``edges`` at or below its kappa. The
    theta nodes of a piece are taken in mirror pairs (:func:`lab_volume_bins`)."""
    n_k = node.size
    n_t = x_theta.size
    n_narrow = x_narrow.size
    n_l = cos_psi.size
    gamma_b = 1.0 / math.sqrt(1.0 - beta * beta)
    start = 0  # the bin of the previous node (_add_node)
    # the density and kappa of a theta node's psi nodes first, in a loop without branches,
    # then their bins (with the numpy error model, no zero check on kappa's division):
    # BESIII default's pass 79 -> 65 ms, the same sums to the bit (measured; the Chebyshev
    # pass, whose density's two recurrences dominate, gained nothing from it)
    kap_m = np.empty(n_l)
    dens_m = np.empty(n_l)
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
        mid, half = _piece_angles(cos_lo[k], cos_hi[k])
        ck = 0.25 * wck[vk]
        cg4 = 0.25 * wcg[vk]
        low = 2.0 * half < narrow  # the lower rule (ee_rules.theta_nodes)
        # cos and sin of theta = mid + half x by the addition theorem: the rules' abscissae
        # are symmetric (x_(n-1-j) = -x_j), so the nodes are taken in mirror pairs (0, n-1,
        # 1, n-2, ...) and each pair needs one cosine and one sine, carried from the first
        # to the second in registers (BESIII's pass 80 -> 64 ms, measured, with the Chebyshev
        # branch in _lab_volume_sweep; the same values to 6e-16)
        cm = math.cos(mid)
        sm = math.sin(mid)
        n_j = n_narrow if low else n_t
        cx = 1.0
        sx = 0.0
        for i in range(n_j):
            first = i % 2 == 0
            j = i // 2 if first else n_j - 1 - i // 2
            if low:
                wtk = half * w_narrow_k[j]
                wtg = half * w_narrow_g[j]
            else:
                wtk = half * w_theta_k[j]
                wtg = half * w_theta_g[j]
            if first:
                dx = half * (x_narrow[j] if low else x_theta[j])
                cx = math.cos(dx)
                sx = math.sin(dx)
                cg = cm * cx - sm * sx
                sg = sm * cx + cm * sx
            else:  # the mirror node, turned the other way
                cg = cm * cx + sm * sx
                sg = sm * cx - cm * sx
            ssa = sg * sa
            ak = ck * (wtk * sg)
            ag = cg4 * (wtg * sg)
            for m in range(n_l):
                z = cg * ca + ssa * cos_psi[m]
                z = min(max(z, -1.0), 1.0)
                dens_m[m] = a0 + (a1 + a2 * z) * z + (b0 + b1 * z) * (z * ca - cg) * inv_sa
                kap_m[m] = node_kappa(z, p_n, e_n, m_gamma, beta, gamma_b, inverse_geometry)
            for m in range(n_l):
                dens = dens_m[m]
                w_k = ak * wpk[m] * dens
                if not w_k > 0.0:  # left out of both rules, as the node path does
                    continue
                start = _add_node(
                    kap_m[m], w_k, ag * wpg[m] * dens, gk, mk, edges, sum_w, sum_wk, start
                )


@numba.njit(cache=True, nogil=True)
def lab_volume_bins(
    node: IntArray,
    cos_lo: FloatArray,
    cos_hi: FloatArray,
    x_theta: FloatArray,
    w_theta_k: FloatArray,
    w_theta_g: FloatArray,
    narrow: float,
    x_narrow: FloatArray,
    w_narrow_k: FloatArray,
    w_narrow_g: FloatArray,
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
    inverse_geometry: FloatArray,
    kappa_lo: FloatArray,
    kappa_hi: FloatArray,
    n_bins: int,
    series: FloatArray,
) -> tuple[FloatArray, FloatArray]:  # pragma: no cover - compiled; tested against rule_nodes
    """Summed weights and weight x kappa, (groups, 2, n_bins), of the cut-adapted rule in
    ln-kappa bins that span, per mass, [``kappa_lo``, ``kappa_hi``] (the binning of
    :func:`nudipole.reach.rule_templates.build_rule_templates_many`), in one pass that stores
    no nodes (the bin edges exp(ln kappa_lo + k w) compared with kappa: no logarithm per
    node).

    Piece k (c* node ``node[k]``, photon CM cosines ``cos_lo`` < ``cos_hi``) gets the
    Gauss-Kronrod rule (abscissae ``x_theta`` on [-1, 1], weights ``w_theta_k``/``w_theta_g``)
    in the photon polar angle theta_g, or, if it is narrower than ``narrow`` (radians), the
    lower rule ``x_narrow``, ``w_narrow_k``/``w_narrow_g`` (as
    :func:`nudipole.production.ee_rules.theta_nodes`), and every theta node the psi rule; at
    each node
    z = cos theta_g cos alpha + sin theta_g sin alpha cos psi (clipped to [-1, 1]) and the
    density a0 + a1 z + a2 z^2 + (b0 + b1 z)(z cos alpha - cos theta_g) / sin alpha
    (:mod:`nudipole.production.ee_polynomial`; ``coeffs`` (V, 5) per c* node), or, where
    ``series`` (V, 2, n) is not empty, A(z) + B(z)(z cos alpha - cos theta_g) / sin alpha with
    the c* node's two Chebyshev series (``ChebyshevDensity.per_node``), weights
    0.25 w_c (w_theta sin theta_g) w_psi. ``group_kinematics`` (G, 3): the N's CM momentum,
    CM energy and m Gamma(d = 1) per group; kappa by :func:`node_kappa`. Index 0 of the
    middle axis is the Kronrod rule, 1 its embedded Gauss rule; nodes whose Kronrod weight
    is not positive are left out of both (as the node path does).

    The abscissae ``x_theta`` and ``x_narrow`` must be symmetric about 0 (those of every
    Gauss-Kronrod rule are; ValueError otherwise): with a polynomial density the pass takes
    a piece's theta nodes in mirror pairs and turns both from the piece's middle by the
    addition theorem with one cosine and one sine (:func:`_lab_volume_sweep_pairs`); with
    Chebyshev series each node has its own (:func:`_lab_volume_sweep`).
    """
    for x in (x_theta, x_narrow):
        for j in range(x.size):
            if x[j] != -x[x.size - 1 - j]:
                raise ValueError("the theta rules' abscissae must be symmetric about 0")
    n_groups = group_mass.size
    n_masses = kappa_lo.size
    sum_w = np.zeros((n_groups, 2, n_bins))
    sum_wk = np.zeros((n_groups, 2, n_bins))
    edges = np.full((n_masses, n_bins - 1), np.inf)
    for mk in range(n_masses):
        if kappa_hi[mk] > 0.0:
            lo = math.log(kappa_lo[mk])
            width = (math.log(kappa_hi[mk]) + 1e-12 - lo) / n_bins
            for e in range(n_bins - 1):
                edges[mk, e] = math.exp(lo + (e + 1) * width)
    if series.shape[0] > 0:
        _lab_volume_sweep(node, cos_lo, cos_hi, x_theta, w_theta_k, w_theta_g, narrow,
                          x_narrow, w_narrow_k, w_narrow_g, cos_a, sin_a, wck, wcg, group,
                          cos_psi, wpk, wpg, group_mass, group_kinematics, beta,
                          inverse_geometry, edges, sum_w, sum_wk, series)  # fmt: skip
    else:
        _lab_volume_sweep_pairs(node, cos_lo, cos_hi, x_theta, w_theta_k, w_theta_g, narrow,
                                x_narrow, w_narrow_k, w_narrow_g, cos_a, sin_a, wck, wcg, group,
                                coeffs, cos_psi, wpk, wpg, group_mass, group_kinematics, beta,
                                inverse_geometry, edges, sum_w, sum_wk)  # fmt: skip
    return sum_w, sum_wk


@numba.njit(cache=True, nogil=True)
def lab_volume_kappa_range(
    node: IntArray,
    cos_lo: FloatArray,
    cos_hi: FloatArray,
    cos_a: FloatArray,
    sin_a: FloatArray,
    group: IntArray,
    group_mass: IntArray,
    group_kinematics: FloatArray,
    corners: FloatArray,
    beta: float,
    inverse_geometry: FloatArray,
    n_masses: int,
) -> tuple[FloatArray, FloatArray]:  # pragma: no cover - compiled; tested against sampled nodes
    """(lo, hi) of kappa per mass over the N directions of the accepted pieces (the range of
    :func:`nudipole.reach.rule_templates._kappa_range`): piece k at c* node ``node[k]`` holds the
    photon at polar angles theta_a .. theta_b (cosines ``cos_hi`` .. ``cos_lo``) and the N at
    the angle alpha to it, so the N's polar angle runs from the smallest |theta - alpha| to
    the largest min(theta + alpha, 2 pi - theta - alpha); over that range of z, kappa has its
    extremes at the ends, at z = 0 or at the rims' cosines ``corners[g]`` (NaN: none).

    The ends in z from the cosines and sines alone, no angle: z_hi = 1 where alpha lies in
    the piece (cos_lo <= cos alpha <= cos_hi), else max over its ends of cos(theta - alpha);
    z_lo = -1 where pi - alpha does, else min of cos(theta + alpha), which is also the cosine
    of 2 pi - theta - alpha (cos theta_b = ``cos_lo``; the angles themselves, two acos, an
    atan2 and two cos per piece, took 13.4 of BESIII default's 197 ms, this form 6.5 ms)."""
    lo_mass = np.full(n_masses, np.inf)
    hi_mass = np.full(n_masses, -np.inf)
    gamma_b = 1.0 / math.sqrt(1.0 - beta * beta)
    n_c = corners.shape[1]
    last = -1
    ca = 1.0
    sa = 0.0
    for k in range(node.size):
        vk = node[k]
        gk = group[vk]
        mk = group_mass[gk]
        p_n = group_kinematics[gk, 0]
        e_n = group_kinematics[gk, 1]
        m_gamma = group_kinematics[gk, 2]
        if vk != last:  # pieces come ordered by node: alpha once per node
            norm = math.hypot(cos_a[vk], sin_a[vk])
            ca = cos_a[vk] / norm
            sa = sin_a[vk] / norm
            last = vk
        c_a = min(max(cos_hi[k], -1.0), 1.0)  # theta_a, the smaller angle
        c_b = min(max(cos_lo[k], -1.0), 1.0)
        s_a = math.sqrt(1.0 - c_a * c_a)
        s_b = math.sqrt(1.0 - c_b * c_b)
        # cos(theta - alpha) at the ends, or 1 where alpha lies in the piece
        z_hi = 1.0 if c_b <= ca <= c_a else max(c_a * ca + s_a * sa, c_b * ca + s_b * sa)
        # cos(theta + alpha) at the ends, or -1 where pi - alpha lies in the piece
        z_lo = -1.0 if c_b <= -ca <= c_a else min(c_a * ca - s_a * sa, c_b * ca - s_b * sa)
        lo = lo_mass[mk]
        hi = hi_mass[mk]
        for c in range(n_c + 3):
            if c == 0:
                z = z_lo
            elif c == 1:
                z = z_hi
            elif c == 2:
                z = 0.0
            else:
                z = corners[gk, c - 3]
            if not z_lo <= z <= z_hi:  # also NaN
                continue
            kap = node_kappa(z, p_n, e_n, m_gamma, beta, gamma_b, inverse_geometry)
            lo = min(lo, kap)
            hi = max(hi, kap)
        lo_mass[mk] = lo
        hi_mass[mk] = hi
    return lo_mass, hi_mass
