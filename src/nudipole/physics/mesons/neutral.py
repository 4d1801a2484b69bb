"""P0 -> gamma nu Nbar: three-body decays of neutral pseudoscalars through the photon dipole.

P0 -> gamma nu Nbar (pi0, eta, eta'), through the anomaly vertex
``M(P -> gamma(k1) gamma(k2)) = g eps^{mu nu a b} eps1*_mu eps2*_nu k1_a k2_b``
(Gamma(P -> gamma gamma) = g^2 m_P^3 / (64 pi)) with one photon virtual (1/q^2) and converted by
the dipole. *Derived* (tests: explicit Dirac traces with an explicit Levi-Civita tensor)::

    sum |M|^2 = g^2 d^2 |F(q^2)|^2 (m_P^2 - q^2)^2 (1 - y) [(1 - c^2) + (1 + c^2) y],  y = m_N^2/q^2

with q^2 = (p_nu + p_Nbar)^2 and c = cos(theta), theta the angle of Nbar in the gamma* rest frame
to the gamma* flight direction in the P frame (a transverse gamma*: the helicity-(+-1) part of
the e+ e- -> gamma* -> N nubar distribution of seed Eq. 2). With the talk's phase space
dGamma/dq^2 dc = (1 - q^2/m_P^2)(1 - y) |M|^2 / (512 pi^3 m_P) this gives PHYSICS.md §10,
dBr/dq^2 = Br(P -> gamma gamma) d^2 (1 - q^2/m_P^2)^3 (1 - y)^2 (1 + 2y) |F|^2 / (6 pi^2).

The q^2 integrals use :func:`nudipole.physics.mesons.phase_space.q2_quadrature`. Conventions of
the model: :mod:`nudipole.physics.mesons`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.mesons._checks import _as_float, _check_nonnegative, _check_positive
from nudipole.physics.mesons.phase_space import DEFAULT_Q2_ORDER, q2_quadrature

#: A form factor |F(q^2)|^2 evaluated on an array of q^2 (GeV^2).
FormFactorSq = Callable[[FloatArray], FloatArray]


def pgg_coupling(m_p: ArrayLike, width_gg: ArrayLike) -> FloatArray:
    """Anomaly coupling g (GeV^-1) of P -> gamma gamma.

    M(P -> gamma gamma) = g eps^{mu nu a b} e1*_mu e2*_nu k1_a k2_b;
    g = sqrt(64 pi Gamma(P -> gamma gamma) / m_P^3) (derived: sum_pol |M|^2 = g^2 m_P^4 / 2 and
    the 1/2 for identical photons; test ``test_pgg_coupling_matches_two_photon_width``).
    """
    mp = _check_positive("m_p", m_p)
    return np.asarray(np.sqrt(64.0 * math.pi * _as_float(width_gg) / mp**3))


def vmd_form_factor_sq(q2: ArrayLike, pole_mass: float, pole_width: float = 0.0) -> FloatArray:
    """Vector-meson-dominance transition form factor |F(q^2)|^2 of P -> gamma gamma*, F(0) = 1.

    |F|^2 = Lambda^2 (Lambda^2 + gamma^2) / [(Lambda^2 - q^2)^2 + Lambda^2 gamma^2]: the
    single pole 1/(1 - q^2/Lambda^2)^2 for gamma = 0 (pi0, eta: Lambda above the physical
    region), and the form with a width used by BESIII for eta' -> gamma e+ e- (whose pole lies
    inside 0 < q^2 < m_eta'^2): BESIII, PRD 109 (2024) 072001, DOI 10.1103/PhysRevD.109.072001.
    The slope at q^2 = 0 is 1/(Lambda^2 + gamma^2). Parameters in GeV, q^2 in GeV^2.
    """
    if not (math.isfinite(pole_mass) and pole_mass > 0.0):
        raise ValueError(f"pole_mass={pole_mass!r} must be finite and > 0 (GeV)")
    if not (math.isfinite(pole_width) and pole_width >= 0.0):
        raise ValueError(f"pole_width={pole_width!r} must be finite and >= 0 (GeV)")
    lam2 = pole_mass**2
    g2 = pole_width**2
    qq = _as_float(q2)
    return np.asarray(lam2 * (lam2 + g2) / ((lam2 - qq) ** 2 + lam2 * g2))


def neutral_pseudoscalar_msq(
    m_p: ArrayLike,
    g_pgg: ArrayLike,
    m_n: ArrayLike,
    d: ArrayLike,
    q2: ArrayLike,
    cos_theta: ArrayLike,
    form_factor_sq: ArrayLike = 1.0,
) -> FloatArray:
    """Spin- and polarisation-summed |M|^2 of P0 -> gamma nu Nbar (dimensionless).

    g^2 d^2 |F|^2 (m_P^2 - q^2)^2 (1 - y) [(1 - c^2) + (1 + c^2) y], y = m_N^2/q^2; derived
    (module docstring; see test ``test_neutral_msq_matches_dirac_trace``). Variables: q^2 =
    m^2(nu Nbar) in GeV^2; c = cos(theta) of Nbar in the gamma* rest frame w.r.t. the gamma*
    flight direction in the P frame. ``g_pgg`` from :func:`pgg_coupling`. No kinematic mask.
    """
    mp = _as_float(m_p)
    qq = _as_float(q2)
    y = _as_float(m_n) ** 2 / qq
    c = _as_float(cos_theta)
    angular = (1.0 - c**2) + (1.0 + c**2) * y
    pref = _as_float(g_pgg) ** 2 * _as_float(d) ** 2 * _as_float(form_factor_sq)
    return np.asarray(pref * (mp**2 - qq) ** 2 * (1.0 - y) * angular)


def _q2_factor(
    br_gg: ArrayLike,
    d: ArrayLike,
    form_factor_sq: ArrayLike,
    mp: FloatArray,
    mn: FloatArray,
    q2: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """(Br(gamma gamma) d^2 |F|^2 (1 - q^2/m_P^2)^3 (1 - y)^2, y = m_N^2/q^2): the factor that
    :func:`neutral_pseudoscalar_d2br` and :func:`neutral_pseudoscalar_dbr_dq2` share; ``q2``
    must lie inside the physical region (the callers put 1 outside it and mask the result)."""
    y = mn**2 / q2
    factor = (
        _as_float(br_gg)
        * _as_float(d) ** 2
        * _as_float(form_factor_sq)
        * (1.0 - q2 / mp**2) ** 3
        * (1.0 - y) ** 2
    )
    return np.asarray(factor), np.asarray(y)


def neutral_pseudoscalar_d2br(
    m_p: ArrayLike,
    br_gg: ArrayLike,
    m_n: ArrayLike,
    d: ArrayLike,
    q2: ArrayLike,
    cos_theta: ArrayLike,
    form_factor_sq: ArrayLike = 1.0,
) -> FloatArray:
    """dBr(P0 -> gamma nu Nbar)/dq^2 dcos(theta) in GeV^-2 (d in GeV^-1).

    Br(P -> gamma gamma) d^2 |F|^2 (1 - r)^3 (1 - y)^2 [(1 - c^2) + (1 + c^2) y] / (8 pi^2),
    r = q^2/m_P^2, y = m_N^2/q^2: :func:`neutral_pseudoscalar_msq` in the talk's phase space
    dGamma/dq^2 dc = (1 - r)(1 - y)|M|^2 / (512 pi^3 m_P) (talk slide, Barducci et al. 2023),
    divided by Gamma_tot, with Gamma(gamma gamma) = g^2 m_P^3/(64 pi). Derived; integrates over c
    to PHYSICS.md §10 (test ``test_neutral_point_reduces_to_closed_form``). Zero outside
    m_N^2 < q^2 < m_P^2, |c| <= 1. ``form_factor_sq`` is |F(q^2)|^2 at the given q^2.
    """
    mp = _check_positive("m_p", m_p)
    mn = _check_nonnegative("m_n", m_n)
    qq = _as_float(q2)
    c = _as_float(cos_theta)
    inside = (qq > mn**2) & (qq < mp**2) & (np.abs(c) <= 1.0)
    factor, y = _q2_factor(br_gg, d, form_factor_sq, mp, mn, np.where(inside, qq, 1.0))
    angular = (1.0 - c**2) + (1.0 + c**2) * y
    value = factor * angular / (8.0 * math.pi**2)
    return np.asarray(np.where(inside, value, 0.0))


def neutral_pseudoscalar_dbr_dq2(
    m_p: ArrayLike,
    br_gg: ArrayLike,
    m_n: ArrayLike,
    d: ArrayLike,
    q2: ArrayLike,
    form_factor_sq: ArrayLike = 1.0,
) -> FloatArray:
    """dBr(P0 -> gamma nu Nbar)/dq^2 in GeV^-2 (d in GeV^-1).

    Br(P -> gamma gamma) d^2 |F|^2 (1 - q^2/m_P^2)^3 (1 - y)^2 (1 + 2y) / (6 pi^2), y = m_N^2/q^2
    (PHYSICS.md §10, talk slide; = integral over c of :func:`neutral_pseudoscalar_d2br`).
    Zero outside m_N^2 < q^2 < m_P^2.
    """
    mp = _check_positive("m_p", m_p)
    mn = _check_nonnegative("m_n", m_n)
    qq = _as_float(q2)
    inside = (qq > mn**2) & (qq < mp**2)
    factor, y = _q2_factor(br_gg, d, form_factor_sq, mp, mn, np.where(inside, qq, 1.0))
    value = factor * (1.0 + 2.0 * y) / (6.0 * math.pi**2)
    return np.asarray(np.where(inside, value, 0.0))


def neutral_pseudoscalar_br(
    m_p: float,
    br_gg: float,
    m_n: ArrayLike,
    d: ArrayLike,
    form_factor_sq: FormFactorSq | None = None,
    order: int = DEFAULT_Q2_ORDER,
    peak: tuple[float, float] | None = None,
) -> FloatArray:
    """Br(P0 -> gamma nu Nbar) (dimensionless), vectorised in m_N and d.

    Quadrature of :func:`neutral_pseudoscalar_dbr_dq2` with :func:`q2_quadrature` (``order``
    nodes, ``peak`` its Lorentzian hint: (Lambda^2, Lambda gamma) for a VMD form factor with a
    width); ``form_factor_sq`` is a callable q^2 -> |F(q^2)|^2 (None: point-like, F = 1; for that
    case :func:`neutral_pseudoscalar_br_point` is the closed form). Zero for m_N >= m_P.
    """
    mp = float(_check_positive("m_p", m_p))
    mn = _check_nonnegative("m_n", m_n)
    open_ = mn < mp
    mn_safe = np.where(open_, mn, 0.0)
    q2, w = q2_quadrature(mn_safe**2, mp**2, order, peak)
    ff = 1.0 if form_factor_sq is None else form_factor_sq(q2)
    dens = neutral_pseudoscalar_dbr_dq2(mp, br_gg, mn_safe[..., None], 1.0, q2, ff)
    total = np.sum(w * dens, axis=-1)
    return np.asarray(np.where(open_, total, 0.0) * _as_float(d) ** 2)


def neutral_pseudoscalar_br_point(
    m_p: ArrayLike, br_gg: ArrayLike, m_n: ArrayLike, d: ArrayLike
) -> FloatArray:
    """Closed form of Br(P0 -> gamma nu Nbar) for a point-like form factor (dimensionless).

    Br(gamma gamma) d^2 m_P^2 / (6 pi^2) [1/4 - 3 mu - 9 mu^2 + 11 mu^3 + 3 mu^4/4
    - 3 mu^2 (3 + 2 mu) ln mu], mu = m_N^2/m_P^2: derived by integrating the PHYSICS.md §10
    spectrum (test ``test_neutral_point_closed_form_vs_quad``); -> Br(gamma gamma) d^2 m_P^2 /
    (24 pi^2) at m_N -> 0 (PHYSICS.md §10). Zero for m_N >= m_P.

    The bracket vanishes like (1 - mu)^6 / 20 at threshold, where the closed form cancels; for
    mu > 1/2 the exact series in eps = 1 - mu is used instead (derived: x = 1 - t in the
    integral and (1 - t)^-3 = sum_k C(k+2, 2) t^k),
    sum_k C(k+2, 2) [2 (3 - 2 eps) eps^(6+k) / ((k+4)(k+5)(k+6)) - 2 eps^(7+k) / ((k+5)(k+6)(k+7))].
    """
    mp = _check_positive("m_p", m_p)
    mn = _check_nonnegative("m_n", m_n)
    mu = np.minimum((mn / mp) ** 2, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(mu > 0.0, mu**2 * (3.0 + 2.0 * mu) * np.log(mu), 0.0)
    poly = 0.25 - 3.0 * mu - 9.0 * mu**2 + 11.0 * mu**3 + 0.75 * mu**4 - 3.0 * log_term
    eps = np.minimum(1.0 - mu, 0.5)[..., None]
    k = np.arange(64.0)
    binom = 0.5 * (k + 1.0) * (k + 2.0)
    series = np.sum(
        binom
        * (
            2.0 * (3.0 - 2.0 * eps) * eps ** (6.0 + k) / ((k + 4.0) * (k + 5.0) * (k + 6.0))
            - 2.0 * eps ** (7.0 + k) / ((k + 5.0) * (k + 6.0) * (k + 7.0))
        ),
        axis=-1,
    )
    bracket = np.where(mu > 0.5, series, poly)
    value = _as_float(br_gg) * _as_float(d) ** 2 * mp**2 / (6.0 * math.pi**2) * bracket
    return np.asarray(np.where(mu < 1.0, value, 0.0))
