"""Production e+ e- -> N nubar through the photon, Z and W dipole couplings (LEP/CEPC energies).

Model (talk: Zhang & Liu, PRD 107 (2023) 095031, arXiv:2301.06050, as shown in the talk; N Dirac,
one flavour, couplings in GeV^-1)::

    L ⊃ nubar_L [d_gamma F_{mu nu} - d_Z Z_{mu nu}] sigma^{mu nu} N
        + d_W lbar_L W^-_{mu nu} sigma^{mu nu} N + h.c.

Standard-Model side (massless electrons, e = sqrt(4 pi alpha), g = e / s_w)::

    L_SM ⊃ -e Q_e ebar gamma^mu e A_mu - eta (g/c_w) ebar gamma^mu (g_L P_L + g_R P_R) e Z_mu
           - (g/sqrt2) [nubar gamma^mu P_L e W^+_mu + h.c.],

g_L = -1/2 + s_w^2, g_R = s_w^2, Q_e = -1. The formulas below are written in this alpha(0)
form (e = g s_w = g_Z s_w c_w); the electroweak scheme of :mod:`nudipole.physics.sm` replaces
alpha by the photon coupling at the scale s and 1/(s_w c_w), 1/s_w by g_Z/e, g/e
(:func:`vertex_factors`). The sign ``eta`` (argument ``z_sign``) fixes the
orientation of the Z field; it is the only sign the Lagrangian above leaves open:

* ``z_sign = -1`` (default): Z = s_w B - c_w W^3. This is the only orientation in which the talk's
  Lagrangian reproduces the talk's own matching d_Z = v/sqrt2 (d_W/2 c_w - d_B s_w) (and so the
  scenario ratios of :mod:`nudipole.physics.couplings`): with it, scenario II (d_B = 0, a pure
  SU(2) operator) has no e-_R amplitude for s >> M_Z^2, as it must (derived; tested).
* ``z_sign = +1``: the PDG orientation Z = c_w W^3 - s_w B. It reproduces the *sign* of the talk's
  sigma^{gamma Z} slide formula, but then the talk's d_Z(d_W, d_B) has the wrong sign.

The two differ only in the sign of the gamma-Z and Z-W interference pieces; with the W switched
on that matters (scenario II at 160 GeV: sigma(z_sign=+1) / sigma(z_sign=-1) = 3.3). The sign of
the W against the photon is fixed by the same PDG vertices (W^3 and W^+- couple through one
T^a W^a), the talk's matching d_W = v/sqrt2 (d_W/2) sqrt2 > 0 for d_W^{gauge} > 0, and the Fermi
sign between s- and t-channel orderings (calibrated in the tests on SM e+ e- -> nu_e nubar_e,
where W exchange must turn g_L into g_L + 1).

Derived results (helicity amplitudes, checked against an explicit Dirac-matrix 2 -> 2 and
2 -> 3 matrix element in ``tests/physics/test_production_ew.py``). Angles: theta_N between the
e- beam and N in the CM frame, z = cos(theta_N); a = s - m^2. With the nubar always right-handed,
the amplitudes for (e- helicity, N helicity) are, up to a common factor,

    A(L, +) = (D_L + W(z)) sqrt(s) sin(theta_N)     A(L, -) = D_L m (1 + z)
    A(R, +) = -D_R sqrt(s) sin(theta_N)             A(R, -) = D_R m (1 - z)

    D_h  = d_gamma + eta g_h d_Z chi(s) / (s_w c_w),   chi(s) = s / (s - M_Z^2 + i M_Z Gamma_Z)
    W(z) = -sqrt2 d_W a / (s_w [a (1 - z) + 2 M_W^2])   (t-channel; t - M_W^2 = -[a(1-z)/2 + M_W^2])

so that d sigma / dz = alpha a^2 / (8 s^3) sum |A|^2. The t-channel W needs e-_L and gives only
N helicity +1/2, like the (1 - z^2) s term of the photon: it *interferes* with the gamma and Z
amplitudes (pieces ``gamma_w``, ``z_w``), which the talk's slide does not list. They are not
small: electron flavour, scenario II (d_Z = 1.833 d_gamma, d_W = 2.953 d_gamma), m_N = 10 GeV,
(gamma_w + z_w) / sigma^W = -0.78, -0.76, -0.44, -0.30 at sqrt(s) = 91.2, 160, 240, 360 GeV,
i.e. -0.3 %, -183 %, -71 %, -41 % of the total (destructive for d_gamma d_W > 0). At 91.2 GeV
sigma^W itself is 0.4 % of the total; at 4 GeV gamma_w / gamma = -0.9 %.

The charge-conjugate channel e+ e- -> Nbar nu is the CP image (real couplings): its
d sigma / d cos(theta_Nbar) is d sigma / dz of N nubar at z -> -z (argument
``charge_conjugate``), with the same total cross section.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.sm import SM, SMParameters

ComplexArray = npt.NDArray[np.complex128]

#: Below this value of x = (s - m^2) / M_W^2 the t-channel angular integrals use their series.
_SERIES_BELOW = 0.05
_SERIES_TERMS = 24


class ProductionPieces(NamedTuple):
    """Pieces of d sigma / d cos(theta_N) or sigma for e+ e- -> N nubar, GeV^-2.

    ``gamma``, ``z``, ``w`` are the squared photon, Z and W amplitudes; ``gamma_z``, ``gamma_w``
    and ``z_w`` the interference terms (each may be negative). The talk's slide lists ``gamma``,
    ``z``, ``gamma_z`` and ``w`` only.
    """

    gamma: FloatArray
    z: FloatArray
    gamma_z: FloatArray
    w: FloatArray
    gamma_w: FloatArray
    z_w: FloatArray

    @property
    def total(self) -> FloatArray:
        """Sum of all six pieces (GeV^-2)."""
        return np.asarray(
            self.gamma + self.z + self.gamma_z + self.w + self.gamma_w + self.z_w, dtype=float
        )


def electron_z_couplings(sm: SMParameters = SM) -> tuple[float, float]:
    """Chiral Z couplings of the electron, (g_L, g_R) = (-1/2 + s_w^2, s_w^2) (tree level).

    Parameters
    ----------
    sm
        Standard-Model inputs; ``sm.sin2w`` is sin^2(theta_w).

    Returns
    -------
    tuple of float
        (g_L, g_R); g_V = g_L + g_R = -1/2 + 2 s_w^2, g_A = g_L - g_R = -1/2.
    """
    return -0.5 + sm.sin2w, sm.sin2w


def z_propagator_ratio(s: ArrayLike, sm: SMParameters = SM) -> ComplexArray:
    """chi(s) = s / (s - M_Z^2 + i M_Z Gamma_Z): Z propagator in units of the photon's 1/s.

    Parameters
    ----------
    s
        Squared CM energy in GeV^2.
    sm
        Standard-Model inputs: Z mass and (fixed) width ``sm.m_z``, ``sm.gamma_z`` in GeV.

    Returns
    -------
    ndarray of complex
        Dimensionless; |chi|^2 = s^2 / ((s - M_Z^2)^2 + M_Z^2 Gamma_Z^2).
    """
    s_ = np.asarray(s, dtype=float)
    return np.asarray(s_ / (s_ - sm.m_z**2 + 1j * sm.m_z * sm.gamma_z), dtype=complex)


def vertex_factors(
    s: ArrayLike, sm: SMParameters = SM
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(alpha, r_Z, r_W): the photon coupling and the Z, W couplings relative to it.

    alpha = ``sm.alpha_photon(s)`` multiplies every piece (K = alpha a^2 / (8 s^3)); the Z
    amplitude carries r_Z = g_Z / e and the t-channel W amplitude r_W = g / e, with
    e^2 = 4 pi alpha and g_Z^2, g^2 of the electroweak scheme
    (:attr:`~nudipole.physics.sm.SMParameters.g_z_squared`, ``g_squared``). In the ``alpha0``
    scheme r_Z = 1 / (s_w c_w), r_W = 1 / s_w (the module docstring's form, e = g s_w).

    Parameters
    ----------
    s
        Squared CM energy in GeV^2 (the scale of the photon exchange).
    sm
        Standard-Model inputs.

    Returns
    -------
    tuple
        alpha, r_Z and r_W (dimensionless), arrays shaped like ``s``.
    """
    alpha = sm.alpha_photon(s)
    e2 = 4.0 * np.pi * alpha
    return alpha, np.sqrt(sm.g_z_squared / e2), np.sqrt(sm.g_squared / e2)


def _check_z_sign(z_sign: int) -> None:
    if z_sign not in (-1, 1):
        raise ValueError(f"z_sign must be +1 or -1, got {z_sign}")


def s_channel_factors(
    s: ArrayLike,
    d_gamma: ArrayLike,
    d_z: ArrayLike,
    z_sign: int,
    sm: SMParameters = SM,
) -> tuple[ComplexArray, ComplexArray, ComplexArray]:
    """(D_L, D_R, eta d_Z chi r_Z): effective s-channel couplings in GeV^-1.

    r_Z = g_Z / e of :func:`vertex_factors` (1 / (s_w c_w) at tree level).
    """
    _check_z_sign(z_sign)
    _, r_z, _ = vertex_factors(s, sm)
    g_l, g_r = electron_z_couplings(sm)
    z_part = z_sign * np.asarray(d_z, float) * z_propagator_ratio(s, sm)
    z_part = np.asarray(z_part * r_z, dtype=complex)
    dg = np.asarray(d_gamma, float)
    return (
        np.asarray(dg + g_l * z_part, dtype=complex),
        np.asarray(dg + g_r * z_part, dtype=complex),
        z_part,
    )


def w_channel_amplitude(
    s: ArrayLike, m_n: ArrayLike, z: ArrayLike, d_w: ArrayLike, sm: SMParameters = SM
) -> FloatArray:
    """W(z) = -sqrt2 r_W d_W a / (a (1 - z) + 2 M_W^2), a = s - m^2, in GeV^-1 (derived).

    r_W = g / e of :func:`vertex_factors` (1 / s_w at tree level).
    """
    _, _, r_w = vertex_factors(s, sm)
    a = np.asarray(s, float) - np.asarray(m_n, float) ** 2
    zz = np.asarray(z, float)
    return np.asarray(
        -np.sqrt(2.0) * r_w * np.asarray(d_w, float) * a / (a * (1.0 - zz) + 2.0 * sm.m_w**2)
    )


def _t_integrals(x: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """I1 = int (1-z^2)/(u+b) dz, I2 = int (1-z^2)/(u+b)^2 dz, u = 1 - z, b = 2/x, z in [-1, 1].

    Closed forms I1 = 2 + 4/x - (4/x + 4/x^2) ln(1+x), I2 = -4 + 2(1 + 2/x) ln(1+x), and for
    x < 0.05 (where they cancel) the series I1 = -4 sum_{k>=1} (-x)^k / ((k+1)(k+2)),
    I2 = sum_{k>=2} 2 (k-1) (-x)^k / (k(k+1)).
    """
    x_ = np.asarray(x, dtype=float)
    small = x_ < _SERIES_BELOW
    xs = np.where(small, x_, 0.0)
    xl = np.where(small, 1.0, x_)
    log = np.log1p(xl)
    i1 = 2.0 + 4.0 / xl - (4.0 / xl + 4.0 / xl**2) * log
    i2 = -4.0 + 2.0 * (1.0 + 2.0 / xl) * log
    i1_series = np.zeros_like(xs)
    i2_series = np.zeros_like(xs)
    for k in range(_SERIES_TERMS, 0, -1):
        term = (-xs) ** k
        i1_series += -4.0 * term / ((k + 1) * (k + 2))
        if k >= 2:
            i2_series += 2.0 * (k - 1) * term / (k * (k + 1))
    return np.asarray(np.where(small, i1_series, i1)), np.asarray(np.where(small, i2_series, i2))


def _kinematics(
    s: ArrayLike, m_n: ArrayLike, cos_theta: ArrayLike, charge_conjugate: bool
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    s_ = np.asarray(s, dtype=float)
    m2 = np.asarray(m_n, dtype=float) ** 2
    z = np.asarray(cos_theta, dtype=float)
    if charge_conjugate:
        z = -z
    open_ = m2 < s_
    return s_, m2, z, np.asarray(open_)


def dsigma_dcos_pieces(
    s: ArrayLike,
    m_n: ArrayLike,
    cos_theta: ArrayLike,
    d_gamma: ArrayLike,
    d_z: ArrayLike,
    d_w: ArrayLike,
    *,
    sm: SMParameters = SM,
    z_sign: int = -1,
    charge_conjugate: bool = False,
) -> ProductionPieces:
    """Pieces of d sigma / d cos(theta_N) for e+ e- -> N nubar via gamma, Z (s) and W (t).

    Derived (helicity amplitudes, see the module docstring); the gamma piece is seed Eq. 2. With
    K = alpha a^2 / (8 s^3), a = s - m^2, F+ = s (1 - z^2), F_L = m^2 (1 + z)^2,
    F_R = m^2 (1 - z)^2, x_Z = eta d_Z / (s_w c_w), chi = s / (s - M_Z^2 + i M_Z Gamma_Z):

    * gamma   = K d_gamma^2 (2 F+ + F_L + F_R)
    * z       = K x_Z^2 |chi|^2 [g_L^2 (F+ + F_L) + g_R^2 (F+ + F_R)]
    * gamma_z = 2 K d_gamma x_Z Re(chi) [g_L (F+ + F_L) + g_R (F+ + F_R)]
    * w       = K W(z)^2 F+
    * gamma_w = 2 K d_gamma W(z) F+
    * z_w     = 2 K x_Z g_L Re(chi) W(z) F+

    with W(z) = -sqrt2 d_W a / (s_w [a (1 - z) + 2 M_W^2]) (t-channel, e-_L only). The Z
    introduces a forward-backward term m^2 z (g_L^2 - g_R^2 resp. g_L - g_R); the W peaks
    forward (N along the e- beam).

    Parameters
    ----------
    s
        Squared CM energy in GeV^2.
    m_n
        N mass in GeV. Every piece is zero at and above threshold (m_n^2 >= s).
    cos_theta
        cos(theta_N), angle between the e- beam and N in the CM frame (for
        ``charge_conjugate=True``: between the e- beam and Nbar).
    d_gamma, d_z
        Photon and Z dipole couplings of the produced flavour, GeV^-1.
    d_w
        W dipole coupling d_W^e of the *electron* flavour, GeV^-1. The t-channel exists only
        for the electron flavour: pass 0 for mu and tau.
    sm
        Standard-Model inputs: sin^2(theta_w) of the electron Z couplings, the couplings of
        :func:`vertex_factors`, the Z mass and fixed width and the W mass in GeV (the t-channel
        W propagator has no width).
    z_sign
        Orientation of the Z field, -1 (default, consistent with the talk's d_Z matching) or
        +1 (PDG; reproduces the sign of the talk's sigma^{gamma Z}); see the module docstring.
    charge_conjugate
        False: N nubar with z = cos(theta_N). True: Nbar nu with z = cos(theta_Nbar), the CP
        image, i.e. the N nubar result at -z.

    Returns
    -------
    ProductionPieces
        Six arrays in GeV^-2 per unit cos(theta); ``.total`` is d sigma / d cos(theta).
    """
    s_, m2, z, open_ = _kinematics(s, m_n, cos_theta, charge_conjugate)
    _check_z_sign(z_sign)
    alpha, r_z, _ = vertex_factors(s_, sm)
    g_l, g_r = electron_z_couplings(sm)
    a = s_ - m2
    k = alpha * a**2 / (8.0 * s_**3)
    f_plus = s_ * (1.0 - z**2)
    f_l = m2 * (1.0 + z) ** 2
    f_r = m2 * (1.0 - z) ** 2
    chi = z_propagator_ratio(s_, sm)
    x_z = z_sign * np.asarray(d_z, float) * r_z
    dg = np.asarray(d_gamma, float)
    w_amp = w_channel_amplitude(s_, np.sqrt(m2), z, d_w, sm)
    left = f_plus + f_l
    right = f_plus + f_r

    def _cut(value: npt.ArrayLike) -> FloatArray:
        return np.asarray(np.where(open_, value, 0.0), dtype=float)

    return ProductionPieces(
        gamma=_cut(k * dg**2 * (2.0 * f_plus + f_l + f_r)),
        z=_cut(k * x_z**2 * np.abs(chi) ** 2 * (g_l**2 * left + g_r**2 * right)),
        gamma_z=_cut(2.0 * k * dg * x_z * chi.real * (g_l * left + g_r * right)),
        w=_cut(k * w_amp**2 * f_plus),
        gamma_w=_cut(2.0 * k * dg * w_amp * f_plus),
        z_w=_cut(2.0 * k * x_z * g_l * chi.real * w_amp * f_plus),
    )


def dsigma_dcos_ew(
    s: ArrayLike,
    m_n: ArrayLike,
    cos_theta: ArrayLike,
    d_gamma: ArrayLike,
    d_z: ArrayLike,
    d_w: ArrayLike,
    *,
    sm: SMParameters = SM,
    z_sign: int = -1,
    charge_conjugate: bool = False,
) -> FloatArray:
    """Total d sigma / d cos(theta_N) of e+ e- -> N nubar (gamma + Z + W), GeV^-2 (derived).

    d sigma / dz = alpha a^2 / (8 s^3) { |D_L + W(z)|^2 s (1 - z^2) + |D_L|^2 m^2 (1 + z)^2
    + |D_R|^2 [s (1 - z^2) + m^2 (1 - z)^2] }, a = s - m^2, with D_h and W(z) of the module
    docstring; the sum of :func:`dsigma_dcos_pieces`. Reduces to seed Eq. 2
    (:func:`nudipole.physics.production.dsigma_dcos`) for d_Z = d_W = 0. Parameters as in
    :func:`dsigma_dcos_pieces`.
    """
    return dsigma_dcos_pieces(
        s,
        m_n,
        cos_theta,
        d_gamma,
        d_z,
        d_w,
        sm=sm,
        z_sign=z_sign,
        charge_conjugate=charge_conjugate,
    ).total


def sigma_pieces(
    s: ArrayLike,
    m_n: ArrayLike,
    d_gamma: ArrayLike,
    d_z: ArrayLike,
    d_w: ArrayLike,
    *,
    sm: SMParameters = SM,
    z_sign: int = -1,
) -> ProductionPieces:
    """Integrated pieces of sigma(e+ e- -> N nubar), one charge state, GeV^-2.

    Integrals of :func:`dsigma_dcos_pieces` over -1 < z < 1 (derived), a = s - m^2,
    L = ln(1 + a / M_W^2), |D|^2 = (s - M_Z^2)^2 + M_Z^2 Gamma_Z^2:

    * gamma   = alpha d_gamma^2 a^2 (s + 2 m^2) / (3 s^3)                       (talk, seed Eq. 3)
    * z       = alpha d_Z^2 a^2 (s + 2 m^2) (8 s_w^4 - 4 s_w^2 + 1)
      / (24 s_w^2 c_w^2 s |D|^2)                                                (= talk)
    * gamma_z = eta alpha d_gamma d_Z a^2 (s + 2 m^2) (1 - 4 s_w^2) (M_Z^2 - s)
      / (6 s_w c_w s^2 |D|^2)                                                   (talk for eta=+1)
    * w       = alpha d_W^2 a [(a + 2 M_W^2) L - 2 a] / (2 s_w^2 s^2)            (talk for m = 0)
    * gamma_w = -alpha d_gamma d_W [a^2 + 2 M_W^2 a - 2 M_W^2 (a + M_W^2) L] / (sqrt2 s_w s^2)
    * z_w     = gamma_w with d_gamma -> eta g_L d_Z Re(chi) / (s_w c_w)

    The talk's slide (arXiv:2301.06050) agrees with ``gamma`` and ``z``; its sigma^{gamma Z} has
    the sign of ``z_sign = +1`` (see the module docstring); its sigma^W agrees for m_N -> 0 but
    not at finite m_N (the slide's form does not vanish like a^4 at threshold, see the tests);
    ``gamma_w`` and ``z_w`` are not on the slide. At small a / M_W^2 the t-channel brackets are
    evaluated with their series. Parameters as in :func:`dsigma_dcos_pieces`.

    Returns
    -------
    ProductionPieces
        Six arrays in GeV^-2; ``.total`` is sigma. Zero at and above threshold. The Nbar nu
        channel has the same values.
    """
    s_ = np.asarray(s, dtype=float)
    m2 = np.asarray(m_n, dtype=float) ** 2
    open_ = m2 < s_
    _check_z_sign(z_sign)
    alpha, r_z, r_w = vertex_factors(s_, sm)
    g_l, g_r = electron_z_couplings(sm)
    a = np.where(open_, s_ - m2, 1.0)
    k = alpha * a**2 / (8.0 * s_**3)
    chi = z_propagator_ratio(s_, sm)
    x_z = z_sign * np.asarray(d_z, float) * r_z
    dg = np.asarray(d_gamma, float)
    dw = np.asarray(d_w, float)
    angular = 4.0 * (s_ + 2.0 * m2) / 3.0  # int (F+ + F_L) = int (F+ + F_R)
    i1, i2 = _t_integrals(a / sm.m_w**2)
    # W(z) = w_scale / (1 - z + b), b = 2 M_W^2 / a, so that
    # int (1 - z^2) W dz = w_scale I1 and int (1 - z^2) W^2 dz = w_scale^2 I2
    w_scale = -np.sqrt(2.0) * dw * r_w

    def _cut(value: npt.ArrayLike) -> FloatArray:
        return np.asarray(np.where(open_, value, 0.0), dtype=float)

    return ProductionPieces(
        gamma=_cut(k * dg**2 * 2.0 * angular),
        z=_cut(k * x_z**2 * np.abs(chi) ** 2 * (g_l**2 + g_r**2) * angular),
        gamma_z=_cut(2.0 * k * dg * x_z * chi.real * (g_l + g_r) * angular),
        w=_cut(k * s_ * w_scale**2 * i2),
        gamma_w=_cut(2.0 * k * s_ * dg * w_scale * i1),
        z_w=_cut(2.0 * k * s_ * x_z * g_l * chi.real * w_scale * i1),
    )


def sigma_ew(
    s: ArrayLike,
    m_n: ArrayLike,
    d_gamma: ArrayLike,
    d_z: ArrayLike,
    d_w: ArrayLike,
    *,
    sm: SMParameters = SM,
    z_sign: int = -1,
) -> FloatArray:
    """Total sigma(e+ e- -> N nubar) through gamma, Z and W, one charge state, GeV^-2 (derived).

    The sum of :func:`sigma_pieces`; Nbar nu adds the same amount. Parameters as in
    :func:`dsigma_dcos_pieces` (``d_w`` is the electron-flavour d_W^e; 0 for mu, tau).
    """
    return sigma_pieces(
        s,
        m_n,
        d_gamma,
        d_z,
        d_w,
        sm=sm,
        z_sign=z_sign,
    ).total
