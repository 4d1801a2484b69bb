"""P- -> gamma l- Nbar: three-body decays of charged pseudoscalars through the photon dipole.

P- -> gamma l- Nbar (pi, K, D, D_s, B) by W exchange, the dipole on the virtual nubar line
(propagator -q-slash / q^2, q = p_Nbar + k). With <0|A^mu|P-(p)> = i f_P p^mu,
``M = (G_F / sqrt2) V_qq' f_P (2d / q^2) ubar(l) p-slash (1 - g5) q-slash P_R sigma^{ab} k_a eps*_b
v(Nbar)``; ubar(l) p-slash (1 - g5) q-slash = ubar(l) [m_l (1 - g5) q-slash + q^2 (1 + g5)], so the
q^2 cancels the propagator and nothing is helicity suppressed. The photon/Nbar spin sum collapses to
sum P_R S v vbar S-bar P_L = 4 (k.p_Nbar) k-slash P_L (S = sigma^{ab} k_a eps*_b). *Derived*
(tests: explicit Dirac traces)::

    sum |M|^2 = 8 G_F^2 |V|^2 f_P^2 d^2 (1 - y)^2
                [(q^2 - m_l^2)(m_P^2 - q^2 - m_l^2 - sqrt(lambda) c)
                 + 2 m_l^2 (m_P^2 + q^2 - m_l^2)]

with lambda = lambda(m_P^2, q^2, m_l^2), q^2 = (p_Nbar + k)^2, c = cos(theta), theta the angle of
Nbar in the (gamma Nbar) rest frame to that system's flight direction in the P frame; phase space
dGamma/dq^2 dc = sqrt(lambda) (1 - y) |M|^2 / (512 pi^3 m_P^3) (talk slide). For m_l = 0 the
Nbar goes backward, prop. to (1 - c).

The q^2 integral uses :func:`nudipole.physics.mesons.phase_space.q2_quadrature`. Conventions of
the model: :mod:`nudipole.physics.mesons`.
"""

from __future__ import annotations

import math

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.mesons._checks import _as_float, _check_nonnegative, _check_positive
from nudipole.physics.mesons.phase_space import DEFAULT_Q2_ORDER, kallen, q2_quadrature


def charged_pseudoscalar_msq(
    m_p: ArrayLike,
    f_p: ArrayLike,
    v_ckm: ArrayLike,
    m_l: ArrayLike,
    m_n: ArrayLike,
    d: ArrayLike,
    q2: ArrayLike,
    cos_theta: ArrayLike,
    g_f: float,
) -> FloatArray:
    """Spin- and polarisation-summed |M|^2 of P- -> gamma l- Nbar (dimensionless).

    8 G_F^2 |V|^2 f_P^2 d^2 (1 - y)^2 [(q^2 - m_l^2)(m_P^2 - q^2 - m_l^2 - sqrt(lambda) c)
    + 2 m_l^2 (m_P^2 + q^2 - m_l^2)], y = m_N^2/q^2, lambda = lambda(m_P^2, q^2, m_l^2);
    derived (module docstring; test ``test_charged_msq_matches_dirac_trace``). q^2 =
    m^2(gamma Nbar); c = cos(theta) of Nbar in the (gamma Nbar) rest frame w.r.t. that system's
    flight direction in the P frame. Masses in GeV, f_P in GeV, G_F in GeV^-2. No mask.
    """
    mp2 = _as_float(m_p) ** 2
    ml2 = _as_float(m_l) ** 2
    qq = _as_float(q2)
    y = _as_float(m_n) ** 2 / qq
    sq = np.sqrt(np.maximum(kallen(mp2, qq, ml2), 0.0))
    c = _as_float(cos_theta)
    bracket = (qq - ml2) * (mp2 - qq - ml2 - sq * c) + 2.0 * ml2 * (mp2 + qq - ml2)
    pref = 8.0 * g_f**2 * (_as_float(v_ckm) * _as_float(f_p) * _as_float(d)) ** 2
    return np.asarray(pref * (1.0 - y) ** 2 * bracket)


def charged_pseudoscalar_d2width(
    m_p: ArrayLike,
    f_p: ArrayLike,
    v_ckm: ArrayLike,
    m_l: ArrayLike,
    m_n: ArrayLike,
    d: ArrayLike,
    q2: ArrayLike,
    cos_theta: ArrayLike,
    g_f: float,
) -> FloatArray:
    """dGamma(P- -> gamma l- Nbar)/dq^2 dcos(theta) in GeV^-1.

    sqrt(lambda(m_P^2, q^2, m_l^2)) (1 - m_N^2/q^2) |M|^2 / (512 pi^3 m_P^3) (talk slide
    "Production at the LHC by Meson Decay"; Barducci et al. 2023) with |M|^2 from
    :func:`charged_pseudoscalar_msq` (derived). Zero outside m_N^2 < q^2 < (m_P - m_l)^2 and
    |c| <= 1. Arguments as in :func:`charged_pseudoscalar_msq`.
    """
    mp = _check_positive("m_p", m_p)
    ml = _check_nonnegative("m_l", m_l)
    mn = _check_nonnegative("m_n", m_n)
    qq = _as_float(q2)
    c = _as_float(cos_theta)
    inside = (qq > mn**2) & (qq < (mp - ml) ** 2) & (np.abs(c) <= 1.0)
    q_safe = np.where(inside, qq, (0.5 * (mn + mp - ml)) ** 2)
    sq = np.sqrt(np.maximum(kallen(mp**2, q_safe, ml**2), 0.0))
    msq = charged_pseudoscalar_msq(mp, f_p, v_ckm, ml, mn, d, q_safe, c, g_f)
    value = sq * (1.0 - mn**2 / q_safe) * msq / (512.0 * math.pi**3 * mp**3)
    return np.asarray(np.where(inside, value, 0.0))


def charged_pseudoscalar_dwidth_dq2(
    m_p: ArrayLike,
    f_p: ArrayLike,
    v_ckm: ArrayLike,
    m_l: ArrayLike,
    m_n: ArrayLike,
    d: ArrayLike,
    q2: ArrayLike,
    g_f: float,
) -> FloatArray:
    """dGamma(P- -> gamma l- Nbar)/dq^2 in GeV^-1.

    |M|^2 is linear in c, so the c integral is 2 x :func:`charged_pseudoscalar_d2width` at
    c = 0 (derived; test ``test_charged_dq2_is_the_cos_integral_and_masks``). Zero outside
    m_N^2 < q^2 < (m_P - m_l)^2.
    """
    return np.asarray(
        2.0 * charged_pseudoscalar_d2width(m_p, f_p, v_ckm, m_l, m_n, d, q2, 0.0, g_f)
    )


def charged_pseudoscalar_width(
    m_p: float,
    f_p: float,
    v_ckm: float,
    m_l: float,
    m_n: ArrayLike,
    d: ArrayLike,
    g_f: float,
    order: int = DEFAULT_Q2_ORDER,
) -> FloatArray:
    """Gamma(P- -> gamma l- Nbar) in GeV, vectorised in m_N and d.

    Quadrature of :func:`charged_pseudoscalar_dwidth_dq2` over m_N^2 < q^2 < (m_P - m_l)^2 with
    :func:`q2_quadrature` (``order`` nodes). Zero unless m_N + m_l < m_P. For m_l = m_N = 0 it
    is G_F^2 |V|^2 f_P^2 d^2 m_P^5 / (384 pi^3) (derived; test ``test_charged_massless_limit``;
    the Dalitz-plot Monte Carlo of ``test_charged_width_monte_carlo_and_mean_energy`` checks the
    general case).
    """
    mp = float(_check_positive("m_p", m_p))
    ml = float(_check_nonnegative("m_l", m_l))
    mn = _check_nonnegative("m_n", m_n)
    open_ = mn + ml < mp
    mn_safe = np.where(open_, mn, 0.0)
    q2, w = q2_quadrature(mn_safe**2, (mp - ml) ** 2, order)
    dens = charged_pseudoscalar_dwidth_dq2(mp, f_p, v_ckm, ml, mn_safe[..., None], 1.0, q2, g_f)
    total = np.sum(w * dens, axis=-1)
    return np.asarray(np.where(open_, total, 0.0) * _as_float(d) ** 2)
