"""Phase space of the three-body meson decays: the energy of N in the parent rest frame and the
quadrature in q^2 that turns a double-differential rate into weighted energy nodes.

Parent-frame energy spectrum
----------------------------
In the (q) rest frame E*_N = (q^2 + m_N^2)/(2 sqrt q^2), p*_N = (q^2 - m_N^2)/(2 sqrt q^2); the
q-system recoils against a particle of mass m_r (0 for P0, m_l for P-), so in the parent frame
E_q = (m_P^2 + q^2 - m_r^2)/(2 m_P), P_q = sqrt(lambda(m_P^2, q^2, m_r^2))/(2 m_P) and
E_N = (E_q E*_N + P_q p*_N c) / sqrt(q^2) (boost along the flight direction). Unpolarised
parents make the N direction isotropic there, so (E_N, weight) nodes are all a lab simulation
needs: :func:`parent_frame_energy_nodes`.

Quadrature in q^2 (:func:`q2_quadrature`): Gauss-Legendre panels in x in [0, 1] with the
smoothstep u = x^2 (3 - 2x), which removes the square-root end point sqrt(lambda) of
P- -> gamma l Nbar (u'(x) vanishes at both ends); a threshold panel m_N^2 < q^2 < 100 m_N^2 with
ln q^2 linear in u resolves the (1 - m_N^2/q^2)^n edge of light N (width ~m_N^2, far below
q2_max), the rest is linear in q^2, or flattened by q^2 = Lambda^2 + Lambda gamma tan(phi) around
a VMD pole inside the range (eta'). The angular integrand is a polynomial of degree 2 in c, so
>= 2 Gauss-Legendre nodes in c integrate it exactly. Error estimate:
:func:`parent_frame_rate_error`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.mesons._checks import (
    _as_float,
    _check_nonnegative,
    _check_order,
    _check_positive,
)

#: Default number of Gauss-Legendre nodes in q^2 (mapped, see module docstring).
DEFAULT_Q2_ORDER = 32
#: Default number of Gauss-Legendre nodes in cos(theta) for the energy nodes.
DEFAULT_ANGULAR_ORDER = 4

#: A double-differential rate d(rate)/dq^2 dcos(theta) evaluated on broadcast arrays.
DoubleDifferential = Callable[[FloatArray, FloatArray], FloatArray]


def kallen(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> FloatArray:
    """Källén function lambda(a, b, c) = a^2 + b^2 + c^2 - 2ab - 2ac - 2bc (GeV^4 for masses^2)."""
    aa, bb, cc = _as_float(a), _as_float(b), _as_float(c)
    return np.asarray(aa**2 + bb**2 + cc**2 - 2.0 * (aa * bb + aa * cc + bb * cc))


@lru_cache(maxsize=64)
def _unit_nodes(order: int) -> tuple[FloatArray, FloatArray]:
    """Smoothstep-mapped Gauss-Legendre nodes on [0, 1]: (u(x_i), w_i u'(x_i))."""
    t, w = np.polynomial.legendre.leggauss(order)
    x = 0.5 * (t + 1.0)
    u = x**2 * (3.0 - 2.0 * x)
    du = 6.0 * x * (1.0 - x) * 0.5 * w
    u.setflags(write=False)
    du.setflags(write=False)
    return u, du


@lru_cache(maxsize=64)
def _legendre(order: int) -> tuple[FloatArray, FloatArray]:
    t, w = np.polynomial.legendre.leggauss(order)
    t.setflags(write=False)
    w.setflags(write=False)
    return t, w


#: The log panel of q2_quadrature covers q2_min < q^2 < THRESHOLD_SPAN q2_min (the edge).
THRESHOLD_SPAN = 100.0


def _log_panel(
    lo: FloatArray, hi: FloatArray, u: FloatArray, du: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Nodes/weights on [lo, hi] with ln q^2 linear in u (lo > 0; empty panels: zero weights)."""
    valid = (hi > lo) & (lo > 0.0)
    lo_safe = np.where(valid, lo, 1.0)
    log_span = np.log(np.where(valid, hi, 1.0) / lo_safe)
    q2 = lo_safe * np.exp(log_span * u)
    weights = np.where(valid, q2 * log_span * du, 0.0)
    return np.asarray(np.where(valid, q2, hi)), np.asarray(weights)


def _linear_panel(
    lo: FloatArray, hi: FloatArray, u: FloatArray, du: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Nodes/weights on [lo, hi] with q^2 linear in u (empty panels: zero weights)."""
    span = np.maximum(hi - lo, 0.0)
    return np.asarray(lo + span * u), np.asarray(span * du)


def _tan_panel(
    lo: FloatArray, hi: FloatArray, centre: float, half: float, u: FloatArray, du: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Nodes/weights on [lo, hi] with q^2 = centre + half tan(phi), phi linear in u."""
    phi_a = np.arctan((lo - centre) / half)
    phi_b = np.arctan((hi - centre) / half)
    phi = phi_a + (phi_b - phi_a) * u
    tan = np.tan(phi)
    weights = np.where(hi > lo, half * (1.0 + tan**2) * (phi_b - phi_a) * du, 0.0)
    return np.asarray(centre + half * tan), np.asarray(weights)


def q2_quadrature(
    q2_min: ArrayLike,
    q2_max: ArrayLike,
    order: int = DEFAULT_Q2_ORDER,
    peak: tuple[float, float] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Nodes and weights (GeV^2) for integrals over q2_min < q^2 < q2_max.

    Panels of ``order`` Gauss-Legendre nodes each, in x in [0, 1] with u = x^2 (3 - 2x) (u'
    vanishes at both panel ends, which removes square-root end points such as sqrt(lambda)):

    * threshold panel q2_min < q^2 < s = min(THRESHOLD_SPAN q2_min, top) with ln q^2 linear in
      u: it resolves the (1 - m_N^2/q^2)^n edge of width ~m_N^2 (empty if q2_min = 0);
    * without ``peak``: s < q^2 < q2_max with q^2 linear in u. (One log map over the whole range
      would need ~ln(q2_max/q2_min) nodes for light N.)
    * with ``peak = (q2_0, w)`` (GeV^2; a Lorentzian 1/((q^2 - q2_0)^2 + w^2) in the integrand,
      e.g. q2_0 = Lambda^2, w = Lambda gamma for :func:`vmd_form_factor_sq`): s < q^2 < q2_0 and
      q2_0 < q^2 < q2_max (clipped to the range) with q^2 = q2_0 + w tan(phi), phi linear in u,
      which removes the peak from the integrand.

    Broadcasts: inputs of shape S give outputs of shape S + (n,), n = 2 order (3 order with a
    peak). Empty panels have zero weights. Derived; convergence checked in the tests against
    scipy.integrate.quad.
    """
    n = _check_order("order", order)
    lo = _check_nonnegative("q2_min", q2_min)[..., None]
    hi = _check_nonnegative("q2_max", q2_max)[..., None]
    # a subnormal q2_min (m_N below 1.5e-154 GeV) has too few bits for the log map: its edge
    # is far below any q^2 the other panel resolves, so it is taken as 0 (no threshold panel)
    lo = np.where(lo < np.finfo(float).tiny, 0.0, lo)
    top = np.maximum(hi, lo)
    u, du = _unit_nodes(n)
    panels: tuple[tuple[FloatArray, FloatArray], ...]
    if peak is None:
        split = np.minimum(THRESHOLD_SPAN * lo, top)
        panels = (_log_panel(lo, split, u, du), _linear_panel(split, top, u, du))
    else:
        centre, half = float(peak[0]), float(peak[1])
        if not (math.isfinite(centre) and math.isfinite(half) and half > 0.0):
            raise ValueError(f"peak={peak!r} must be (q2_0, w) with finite w > 0 (GeV^2)")
        mid = np.clip(centre, lo, top)
        split = np.minimum(THRESHOLD_SPAN * lo, mid)
        panels = (
            _log_panel(lo, split, u, du),
            _tan_panel(split, mid, centre, half, u, du),
            _tan_panel(mid, top, centre, half, u, du),
        )
    nodes = np.concatenate([p[0] for p in panels], axis=-1)
    weights = np.concatenate([p[1] for p in panels], axis=-1)
    return np.asarray(nodes), np.asarray(weights)


def parent_frame_energy(
    m_parent: ArrayLike,
    m_recoil: ArrayLike,
    m_n: ArrayLike,
    q2: ArrayLike,
    cos_theta: ArrayLike,
) -> FloatArray:
    """Energy of N in the parent rest frame (GeV) for parent -> recoil + (q -> N + massless).

    E_N = (E_q E*_N + P_q p*_N c) / sqrt(q^2), E*_N = (q^2 + m_N^2)/(2 sqrt q^2),
    p*_N = (q^2 - m_N^2)/(2 sqrt q^2), E_q = (M^2 + q^2 - m_r^2)/(2M),
    P_q = sqrt(lambda(M^2, q^2, m_r^2))/(2M); c = cos(theta) of N in the q rest frame w.r.t. the
    q flight direction (boost along it). m_r = 0 (photon) for P0, m_l for P-; q^2 > 0.
    Kinematics; test ``test_parent_frame_energy_matches_boosted_vectors``.
    """
    mp = _as_float(m_parent)
    mr = _as_float(m_recoil)
    mn = _as_float(m_n)
    qq = _as_float(q2)
    e_q = (mp**2 + qq - mr**2) / (2.0 * mp)
    p_q = np.sqrt(np.maximum(kallen(mp**2, qq, mr**2), 0.0)) / (2.0 * mp)
    e_star = 0.5 * (qq + mn**2)
    p_star = 0.5 * (qq - mn**2)
    return np.asarray((e_q * e_star + p_q * p_star * _as_float(cos_theta)) / qq)


def max_energy(m_parent: ArrayLike, m_recoil: ArrayLike, m_n: ArrayLike) -> FloatArray:
    """Largest N energy in the parent frame (GeV): (M^2 + m_N^2 - m_r^2)/(2M), with the rest of
    the final state (recoil + massless) at its smallest invariant mass m_r (kinematics)."""
    mp = _as_float(m_parent)
    return np.asarray((mp**2 + _as_float(m_n) ** 2 - _as_float(m_recoil) ** 2) / (2.0 * mp))


def parent_frame_energy_nodes(
    m_parent: float,
    m_recoil: float,
    m_n: float,
    d2_rate: DoubleDifferential,
    order: int = DEFAULT_Q2_ORDER,
    angular_order: int = DEFAULT_ANGULAR_ORDER,
    peak: tuple[float, float] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Energy nodes of N in the parent rest frame for a three-body decay, with weights.

    ``d2_rate(q2, c)`` is d(rate)/dq^2 dcos(theta) in any normalisation (e.g. dBr/dq^2 dc at
    d = 1 GeV^-1; the weights are its integral, i.e. it times GeV^2), evaluated on broadcast
    arrays q2 of shape (n, 1) and c of shape (1, angular_order). Returns (E_N [GeV], w), both of
    length n x angular_order (n <= 2 order, or <= 3 order with ``peak``: nodes of empty
    quadrature panels are dropped), with sum(w) = the integral of
    d2_rate over the physical region m_N^2 < q^2 < (M - m_r)^2, -1 < c < 1 (deterministic
    Gauss-Legendre: mapped in q^2 by :func:`q2_quadrature` with the Lorentzian hint ``peak``,
    plain in c). E_N from :func:`parent_frame_energy`. Closed channel
    (m_N + m_r >= M): empty arrays. Error of sum(w): :func:`parent_frame_rate_error`.
    """
    n_q = _check_order("order", order)
    n_c = _check_order("angular_order", angular_order)
    mp = float(_check_positive("m_parent", m_parent))
    mr = float(_check_nonnegative("m_recoil", m_recoil))
    mn = float(_check_nonnegative("m_n", m_n))
    if mn + mr >= mp:
        return np.zeros(0), np.zeros(0)
    q2, wq = q2_quadrature(mn**2, (mp - mr) ** 2, n_q, peak)
    keep = wq > 0.0  # drop the nodes of empty panels
    q2, wq = q2[keep], wq[keep]
    c, wc = _legendre(n_c)
    q2_col = q2[:, None]
    c_row = c[None, :]
    density = np.asarray(d2_rate(q2_col, c_row), dtype=float)
    weights = (wq[:, None] * wc[None, :]) * density
    energies = np.broadcast_to(parent_frame_energy(mp, mr, mn, q2_col, c_row), weights.shape)
    return np.asarray(energies.ravel()), np.asarray(weights.ravel())


def parent_frame_energy_nodes_many(
    m_parent: float,
    m_recoil: float,
    m_n: ArrayLike,
    d2_rate: DoubleDifferential,
    order: int = DEFAULT_Q2_ORDER,
    angular_order: int = DEFAULT_ANGULAR_ORDER,
    peak: tuple[float, float] | None = None,
) -> list[tuple[FloatArray, FloatArray]]:
    """:func:`parent_frame_energy_nodes` for every mass of ``m_n`` (1-d, GeV) in one array
    pass: the same nodes and weights, mass by mass (tested to rounding).

    ``d2_rate(q2, c)`` is evaluated once on q2 of shape (masses, n, 1) and c of shape
    (1, 1, angular_order), so it must broadcast over the masses itself (the caller builds it
    with m_N of shape (masses, 1, 1)). Closed masses (m_N + m_r >= M) give empty arrays.
    """
    n_q = _check_order("order", order)
    n_c = _check_order("angular_order", angular_order)
    mp = float(_check_positive("m_parent", m_parent))
    mr = float(_check_nonnegative("m_recoil", m_recoil))
    mn = np.atleast_1d(_check_nonnegative("m_n", m_n)).astype(float)
    if mn.ndim != 1:
        raise ValueError("m_n must be a 1-d array of masses (GeV)")
    open_ = mn + mr < mp
    out: list[tuple[FloatArray, FloatArray]] = [(np.zeros(0), np.zeros(0))] * mn.size
    if not np.any(open_):
        return out
    # closed masses ride along at the channel's midpoint and are dropped afterwards
    m_eval = np.where(open_, mn, 0.5 * (mp - mr))
    q2, wq = q2_quadrature(m_eval**2, np.full(mn.size, (mp - mr) ** 2), n_q, peak)
    c, wc = _legendre(n_c)
    q2_col = q2[:, :, None]
    c_row = c[None, None, :]
    density = np.asarray(d2_rate(q2_col, c_row), dtype=float)
    weights = (wq[:, :, None] * wc[None, None, :]) * density
    energies = np.broadcast_to(
        parent_frame_energy(mp, mr, m_eval[:, None, None], q2_col, c_row), weights.shape
    )
    for i in np.flatnonzero(open_):
        keep = wq[i] > 0.0  # drop the nodes of empty panels
        out[i] = (
            np.ascontiguousarray(energies[i][keep]).ravel(),
            np.ascontiguousarray(weights[i][keep]).ravel(),
        )
    return out


def parent_frame_rate_error(
    m_parent: float,
    m_recoil: float,
    m_n: float,
    d2_rate: DoubleDifferential,
    order: int = DEFAULT_Q2_ORDER,
    peak: tuple[float, float] | None = None,
) -> float:
    """Error estimate of sum(w) from :func:`parent_frame_energy_nodes` at ``order`` q^2 nodes:
    |I(order) - I(order + order // 2)| (difference of two Gauss-Legendre orders; the angular
    integral is exact). Same units as the weights."""
    n = _check_order("order", order)
    low = parent_frame_energy_nodes(m_parent, m_recoil, m_n, d2_rate, n, 2, peak)[1]
    high = parent_frame_energy_nodes(m_parent, m_recoil, m_n, d2_rate, n + n // 2, 2, peak)[1]
    return float(abs(np.sum(low) - np.sum(high)))
