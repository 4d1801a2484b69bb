"""Production of the heavy neutral lepton N in meson decays through the photon dipole.

Model (seed Eq. 1; PHYSICS.md §1), N Dirac, one active flavour, d in GeV^-1::

    L ⊃ d nubar_L sigma_{mu nu} F^{mu nu} N + h.c.,   nubar_L = nubar P_R.

A photon of momentum q (flowing into the vertex) turning into nu(p_1) Nbar(p_2) gives the current
``J^nu = 2 d ubar(p_1) P_R sigma^{mu nu} q_mu v(p_2)``; a real photon (k, eps) radiated from a
nubar line gives ``2 d P_R sigma^{mu nu} k_mu eps*_nu``. The factor 2 is fixed by
Gamma(N -> nu gamma) = d^2 m^3 / (4 pi) (seed Eq. 4), which the tests re-derive from the same
vertex. Every width below is for ONE charge state: the listed parent decaying to Nbar (its
CP image gives N at the same rate).

Channels and sources
--------------------
V -> nu Nbar (V = rho0, omega, phi, J/psi, Upsilon(1S)), two-body; talk slide "Production at the
LHC by Meson Decay" (Barducci, Liu, Titov, Wang, Zhang, PRD 108 (2023) 115009,
arXiv:2308.16608) and PHYSICS.md §10::

    Gamma = f_V^2 m_V e^2 Q^2 d^2 (1 - x)^2 (1 + 2x) / (12 pi),   x = m_N^2 / m_V^2.

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
import numpy.typing as npt

from nudipole.physics._types import ArrayLike, FloatArray

#: Default number of Gauss-Legendre nodes in q^2 (mapped, see module docstring).
DEFAULT_Q2_ORDER = 32
#: Default number of Gauss-Legendre nodes in cos(theta) for the energy nodes.
DEFAULT_ANGULAR_ORDER = 4

#: A double-differential rate d(rate)/dq^2 dcos(theta) evaluated on broadcast arrays.
DoubleDifferential = Callable[[FloatArray, FloatArray], FloatArray]
#: A form factor |F(q^2)|^2 evaluated on an array of q^2 (GeV^2).
FormFactorSq = Callable[[FloatArray], FloatArray]


def _as_float(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=float)


def _first_bad(arr: FloatArray, bad: npt.NDArray[np.bool_]) -> float:
    """The first offending element, for one-line error messages."""
    return float(arr.ravel()[int(np.argmax(bad.ravel()))])


def _check_nonnegative(name: str, x: ArrayLike) -> FloatArray:
    if isinstance(x, float) and math.isfinite(x) and x >= 0.0:
        return np.asarray(x)
    arr = _as_float(x)
    bad = ~np.isfinite(arr) | (arr < 0.0)
    if np.any(bad):
        value = _first_bad(arr, bad)
        raise ValueError(f"{name}={value!r} must be finite and >= 0 (GeV units)")
    return arr


def _check_positive(name: str, x: ArrayLike) -> FloatArray:
    if isinstance(x, float) and math.isfinite(x) and x > 0.0:
        return np.asarray(x)
    arr = _as_float(x)
    bad = ~np.isfinite(arr) | (arr <= 0.0)
    if np.any(bad):
        value = _first_bad(arr, bad)
        raise ValueError(f"{name}={value!r} must be finite and > 0 (GeV units)")
    return arr


def _check_order(name: str, order: int) -> int:
    if int(order) != order or order < 2:
        raise ValueError(f"{name}={order!r} must be an integer >= 2 (number of quadrature nodes)")
    return int(order)


def kallen(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> FloatArray:
    """Källén function lambda(a, b, c) = a^2 + b^2 + c^2 - 2ab - 2ac - 2bc (GeV^4 for masses^2)."""
    aa, bb, cc = _as_float(a), _as_float(b), _as_float(c)
    return np.asarray(aa**2 + bb**2 + cc**2 - 2.0 * (aa * bb + aa * cc + bb * cc))


# ---------------------------------------------------------------------------------------------
# V -> nu Nbar
# ---------------------------------------------------------------------------------------------


def vector_width(
    m_v: ArrayLike,
    f_v: ArrayLike,
    charge_factor: ArrayLike,
    m_n: ArrayLike,
    d: ArrayLike,
    alpha: float,
) -> FloatArray:
    """Partial width Gamma(V -> nu Nbar) in GeV (one charge state).

    Gamma = f_V^2 m_V e^2 Q^2 d^2 (1 - x)^2 (1 + 2x) / (12 pi), x = m_N^2/m_V^2, e^2 = 4 pi alpha
    (talk slide "Production at the LHC by Meson Decay", Barducci et al., PRD 108 (2023) 115009;
    PHYSICS.md §10; the talk writes (1 - x)(1 + x - 2x^2), the same polynomial). Zero for
    m_N >= m_V.

    Parameters
    ----------
    m_v
        Vector-meson mass in GeV.
    f_v
        Decay constant in GeV, <0| qbar gamma^mu q |V> = f_V m_V eps^mu per quark flavour.
    charge_factor
        Effective quark charge Q of the electromagnetic current in V (1/sqrt2 for rho0,
        1/(3 sqrt2) for omega, -1/3 for phi, 2/3 for J/psi, -1/3 for Upsilon).
    m_n
        HNL mass in GeV.
    d
        Dipole coupling in GeV^-1.
    alpha
        Fine-structure constant at the quark-photon vertex.
    """
    mv = _check_positive("m_v", m_v)
    mn = _check_nonnegative("m_n", m_n)
    x = (mn / mv) ** 2
    shape = (1.0 - x) ** 2 * (1.0 + 2.0 * x)
    e2 = 4.0 * math.pi * alpha
    width = _as_float(f_v) ** 2 * mv * e2 * _as_float(charge_factor) ** 2 * _as_float(d) ** 2
    return np.asarray(np.where(x < 1.0, width * shape / (12.0 * math.pi), 0.0))


def vector_br_over_br_ee(m_v: ArrayLike, m_n: ArrayLike, d: ArrayLike, alpha: float) -> FloatArray:
    """Ratio Gamma(V -> nu Nbar) / Gamma(V -> e+ e-) (dimensionless), one charge state.

    d^2 m_V^2 (1 - x)^2 (1 + 2x) / (4 pi alpha), x = m_N^2/m_V^2 (PHYSICS.md §10; equals
    :func:`vector_width` divided by :func:`vector_width_ee` for any f_V and Q: the hadronic
    matrix element cancels). The same ratio is sigma(e+e- -> N nubar)/sigma(e+e- -> mu+mu-)
    from seed Eq. 3. Zero for m_N >= m_V.
    """
    mv = _check_positive("m_v", m_v)
    mn = _check_nonnegative("m_n", m_n)
    x = (mn / mv) ** 2
    ratio = _as_float(d) ** 2 * mv**2 * (1.0 - x) ** 2 * (1.0 + 2.0 * x) / (4.0 * math.pi * alpha)
    return np.asarray(np.where(x < 1.0, ratio, 0.0))


def vector_width_ee(
    m_v: ArrayLike, f_v: ArrayLike, charge_factor: ArrayLike, alpha: float
) -> FloatArray:
    """Leptonic width Gamma(V -> e+ e-) = 4 pi alpha^2 Q^2 f_V^2 / (3 m_V) in GeV (m_e = 0).

    Van Royen & Weisskopf, Nuovo Cim. A 50 (1967) 617, in the normalisation of
    :func:`vector_width` (HPQCD, e.g. Hatton et al., PRD 102 (2020) 054511, arXiv:2005.01845,
    Eq. 1, uses the same relation with alpha_QED at the meson mass).
    """
    mv = _check_positive("m_v", m_v)
    q2 = _as_float(charge_factor) ** 2
    return np.asarray(4.0 * math.pi * alpha**2 * q2 * _as_float(f_v) ** 2 / (3.0 * mv))


def vector_energy(m_v: ArrayLike, m_n: ArrayLike) -> FloatArray:
    """Energy of N in the V rest frame for V -> nu Nbar: (m_V^2 + m_N^2) / (2 m_V), GeV."""
    mv = _check_positive("m_v", m_v)
    mn = _check_nonnegative("m_n", m_n)
    return np.asarray((mv**2 + mn**2) / (2.0 * mv))


# ---------------------------------------------------------------------------------------------
# P0 -> gamma nu Nbar
# ---------------------------------------------------------------------------------------------


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
    q_safe = np.where(inside, qq, 1.0)
    r = q_safe / mp**2
    y = mn**2 / q_safe
    angular = (1.0 - c**2) + (1.0 + c**2) * y
    value = (
        _as_float(br_gg)
        * _as_float(d) ** 2
        * _as_float(form_factor_sq)
        * (1.0 - r) ** 3
        * (1.0 - y) ** 2
        * angular
        / (8.0 * math.pi**2)
    )
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
    q_safe = np.where(inside, qq, 1.0)
    y = mn**2 / q_safe
    value = (
        _as_float(br_gg)
        * _as_float(d) ** 2
        * _as_float(form_factor_sq)
        * (1.0 - q_safe / mp**2) ** 3
        * (1.0 - y) ** 2
        * (1.0 + 2.0 * y)
        / (6.0 * math.pi**2)
    )
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


# ---------------------------------------------------------------------------------------------
# P- -> gamma l- Nbar
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Quadrature and parent-frame energy nodes
# ---------------------------------------------------------------------------------------------


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
