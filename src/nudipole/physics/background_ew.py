"""SM irreducible background e+ e- -> nu nubar gamma at LEP/CEPC energies (Z and W propagators).

Resonant version of :mod:`nudipole.physics.background` (PHYSICS.md §5, "near the Z pole") for
sqrt(s) from about 10 to 360 GeV. The photon spectrum is the same initial-state radiator times
the non-radiative cross section at the reduced energy s' = s (1 - x),

    d^2 sigma / dx dz = (2 alpha/pi) [(1 - x/2)^2 + x^2 z^2/4] / [x (1 - z^2)] sigma_0(s'),

x = 2 E_gamma / sqrt(s), z = cos(theta_gamma) (CM frame), now with

    sigma_0(s') = G_F^2 s' / (12 pi) [ N_nu (g_V^2 + g_A^2) |A|^2
                                       + 2 (g_V + g_A) Re(A) f_1(s') + 2 f_2(s') ],
    A(s') = -M_Z^2 / (s' - M_Z^2 + i M_Z Gamma(s')),   g_V = -1/2 + 2 sin^2(theta_w), g_A = -1/2.

* ``A`` is the Z propagator normalised to the four-fermion contact limit (A -> 1 for s' -> 0).
  Width schemes: ``"running"`` (default), Gamma(s') = s' Gamma_Z / M_Z, the LEP convention in
  which the PDG M_Z and Gamma_Z (``nudipole.constants``) are defined, with A(0) = 1 exactly; and
  ``"fixed"``, M_Z Gamma(s') = M_Z Gamma_Z, the literal PHYSICS.md form, for which
  |A(0)|^2 = 1 / (1 + Gamma_Z^2/M_Z^2) = 1 - 7.5e-4 (a spurious offset of the contact limit).
  At s' = M_Z^2 the two coincide.
* The last two terms are nu_e only: t-channel W exchange and its interference with the Z. With the
  W propagator B(t) = M_W^2 / (M_W^2 - t), t = -s' (1 - c)/2 (c = cos of the e- -> nu_e angle),
  the W couples only to e-_L e+_R -> nu_L nubar_R, whose angular distribution is (1 + c)^2, so

      f_1 = (3/8) Int_{-1}^{1} (1 + c)^2 B dc,   f_2 = (3/8) Int_{-1}^{1} (1 + c)^2 B^2 dc,

  in closed form with a = 2 M_W^2 / s', L = ln(1 + 2/a):

      f_1 = (3a/8) [(2 + a)^2 L - 6 - 2a],   f_2 = (3a^2/8) [2(2 + a)/a - 2(2 + a) L + 2].

  ``w_exchange="propagator"`` (default) uses these; ``w_exchange="contact"`` sets f_1 = f_2 = 1,
  the PHYSICS.md form (W treated as a contact interaction, Fierzed into g_V, g_A -> g_V + 1,
  g_A + 1 for nu_e). f_1 = 1 - s'/(4 M_W^2) + ..., f_2 = 1 - s'/(2 M_W^2) + ... for s' << M_W^2;
  at sqrt(s') = 160 / 240 / 360 GeV f_2 = 0.37 / 0.22 / 0.12, so the contact form overestimates
  the dominant W^2 term by a factor 2.7 / 4.6 / 8.6 there.

Checked in ``tests/physics/test_background_ew.py`` against explicit tree-level 2 -> 2 and 2 -> 3
matrix elements with the full Z propagator, the t-channel W propagator and photon emission from
the W (gauge invariance checked); sigma_0 agrees with the 2 -> 2 to round-off. For nu_mu, nu_tau (Z
exchange only) the radiator x sigma_0 is exact at tree level for massless electrons, also on the Z
resonance. For nu_e the t-channel W makes it an approximation; against the full 2 -> 3 |M|^2
(three flavours, 91-240 GeV): within 1.5 % for x <= 0.1, 0.2 % on the radiative-return peak
(3 % across it), down to -36 % for hard large-angle photons away from the peak (240 GeV, x = 0.65,
z = 0) and up to +60 % for x -> 1, where the rate is small. In the DELPHI LEP2 single-photon
acceptance (205.4 GeV, x > 0.06, 45-135 deg) the formula is 3 % above the exact tree level.

Sign of the interference: for s' < M_Z^2, Re A > 0 and g_V + g_A < 0, so it is destructive (the
nu_e e scattering combination C_V = g_V + 1, C_A = g_A + 1 in the contact limit); above the Z
pole Re A < 0 and it becomes constructive.
"""

from __future__ import annotations

import itertools
from typing import Literal, NamedTuple

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.background import photon_radiator
from nudipole.physics.sm import SM, SMParameters

WExchange = Literal["propagator", "contact"]
WidthScheme = Literal["running", "fixed"]

#: Above this a = 2 M_W^2 / s' the W factors are summed as a power series in 2/a (the closed
#: form cancels to ~ a^-2 there); the series converges for a > 2 and 24 terms reach 1e-24.
_A_SERIES: float = 20.0
_N_SERIES: int = 24

ComplexArray = np.ndarray[tuple[int, ...], np.dtype[np.complex128]]


def z_propagator(
    s: ArrayLike,
    sm: SMParameters = SM,
    *,
    width: WidthScheme = "running",
) -> ComplexArray:
    """A(s) = -M_Z^2 / (s - M_Z^2 + i M_Z Gamma(s)), the Z propagator relative to the contact limit.

    ``width="running"``: M_Z Gamma(s) = s Gamma_Z / M_Z (A(0) = 1); ``"fixed"``: M_Z Gamma_Z.
    At s = M_Z^2 both give A = i M_Z / Gamma_Z. M_Z, Gamma_Z from ``sm``.
    """
    s_ = np.asarray(s, dtype=float)
    m_z, gamma_z = sm.m_z, sm.gamma_z
    if width == "running":
        im = s_ * gamma_z / m_z
    elif width == "fixed":
        im = np.full_like(s_, m_z * gamma_z)
    else:
        raise ValueError(f"unknown width scheme {width!r}: use 'running' or 'fixed'")
    return np.asarray(-(m_z**2) / (s_ - m_z**2 + 1j * im), dtype=np.complex128)


def w_exchange_factors(s: ArrayLike, sm: SMParameters = SM) -> tuple[FloatArray, FloatArray]:
    """(f_1, f_2): t-channel W propagator factors of the nu_e interference and W^2 terms.

    f_1 = (3/8) Int (1+c)^2 B dc, f_2 = (3/8) Int (1+c)^2 B^2 dc, B = M_W^2/(M_W^2 + s(1-c)/2)
    (module docstring); both -> 1 in the contact limit s << M_W^2 and are in (0, 1] for s >= 0.
    M_W = ``sm.m_w``.
    """
    s_ = np.asarray(s, dtype=float)
    m_w = sm.m_w
    big = 1e300
    a = np.where(s_ > 0.0, 2.0 * m_w**2 / np.where(s_ > 0.0, s_, 1.0), big)
    # closed form, used for a < _A_SERIES
    a_c = np.minimum(a, _A_SERIES)
    log_term = np.log1p(2.0 / a_c)
    f1_closed = 0.375 * a_c * ((2.0 + a_c) ** 2 * log_term - 6.0 - 2.0 * a_c)
    f2_closed = 0.375 * a_c**2 * (2.0 * (2.0 + a_c) / a_c - 2.0 * (2.0 + a_c) * log_term + 2.0)
    # series: Int_0^2 (2-y)^2 y^n dy = 2^(n+4) / ((n+1)(n+2)(n+3)), B^k = sum of (-y/a)^n terms
    r = -2.0 / np.maximum(a, _A_SERIES)
    f1_series = np.zeros_like(r)
    f2_series = np.zeros_like(r)
    power = np.ones_like(r)
    for n in range(_N_SERIES):
        f1_series += power * 6.0 / ((n + 1) * (n + 2) * (n + 3))
        f2_series += power * 6.0 / ((n + 2) * (n + 3))
        power = power * r
    use_series = a >= _A_SERIES
    f1 = np.where(use_series, f1_series, f1_closed)
    f2 = np.where(use_series, f2_series, f2_closed)
    return np.asarray(f1, dtype=float), np.asarray(f2, dtype=float)


class Sigma0Parts(NamedTuple):
    """sigma(e+ e- -> nu nubar) split into its three terms, GeV^-2 (module docstring)."""

    z: FloatArray  #: Z exchange, N_nu flavours: G_F^2 s N_nu (g_V^2 + g_A^2) |A|^2 / (12 pi)
    interference: FloatArray  #: nu_e Z-W interference: G_F^2 s 2 (g_V + g_A) Re(A) f_1 / (12 pi)
    w: FloatArray  #: nu_e t-channel W exchange: G_F^2 s 2 f_2 / (12 pi)

    @property
    def total(self) -> FloatArray:
        return np.asarray(self.z + self.interference + self.w)


def sigma0_parts(
    s: ArrayLike,
    *,
    w_exchange: WExchange = "propagator",
    width: WidthScheme = "running",
    n_nu: int = 3,
    sm: SMParameters = SM,
) -> Sigma0Parts:
    """Z, interference and W terms of sigma(e+ e- -> nu nubar) (summed over flavours), GeV^-2.

    Formulas of the module docstring (PHYSICS.md §5 with the propagators); SM inputs from ``sm``.
    G_F^2 stands for G_Z^2, G_Z G_W and G_W^2 in the three terms, the four-fermion constants of
    Z and W exchange of the electroweak scheme
    (:attr:`~nudipole.physics.sm.SMParameters.fermi_neutral`, ``fermi_charged``; both G_F in
    the default scheme).
    """
    s_ = np.asarray(s, dtype=float)
    g_v = -0.5 + 2.0 * sm.sin2w
    g_a = -0.5
    amp = z_propagator(s_, sm, width=width)
    if w_exchange == "propagator":
        f1, f2 = w_exchange_factors(s_, sm)
    elif w_exchange == "contact":
        f1 = f2 = np.ones_like(s_)
    else:
        raise ValueError(f"unknown w_exchange {w_exchange!r}: use 'propagator' or 'contact'")
    g_z, g_w = sm.fermi_neutral, sm.fermi_charged
    norm = s_ / (12.0 * np.pi)
    return Sigma0Parts(
        z=np.asarray(g_z**2 * norm * n_nu * (g_v**2 + g_a**2) * np.abs(amp) ** 2),
        interference=np.asarray(g_z * g_w * norm * 2.0 * (g_v + g_a) * amp.real * f1),
        w=np.asarray(g_w**2 * norm * 2.0 * f2),
    )


def sigma0_ew(
    s: ArrayLike,
    *,
    w_exchange: WExchange = "propagator",
    width: WidthScheme = "running",
    n_nu: int = 3,
    sm: SMParameters = SM,
) -> FloatArray:
    """sigma(e+ e- -> nu nubar) summed over N_nu flavours with Z and W propagators, GeV^-2.

    G_F^2 s/(12 pi) [N_nu (g_V^2+g_A^2)|A|^2 + 2 (g_V+g_A) Re(A) f_1 + 2 f_2] (module docstring).
    ``w_exchange="contact", width="fixed"`` is the PHYSICS.md §5 form; for s << M_Z^2 both reduce
    to :func:`nudipole.physics.background.sigma0_contact`.
    """
    return sigma0_parts(
        s,
        w_exchange=w_exchange,
        width=width,
        n_nu=n_nu,
        sm=sm,
    ).total


def d2sigma_dx_dcos(
    x: ArrayLike,
    cos_theta: ArrayLike,
    s: ArrayLike,
    *,
    sm: SMParameters = SM,
    n_nu: int = 3,
    w_exchange: WExchange = "propagator",
    width: WidthScheme = "running",
) -> FloatArray:
    """d^2 sigma(e+ e- -> nu nubar gamma) / dx dcos(theta_gamma) in GeV^-2, CM frame.

    (2 alpha/pi) [(1 - x/2)^2 + x^2 z^2/4] / [x (1 - z^2)] sigma_0(s (1 - x)) with
    :func:`sigma0_ew`; x = 2 E_gamma / sqrt(s), z = cos(theta_gamma). Zero outside 0 < x < 1,
    |z| < 1. Same call as :func:`nudipole.physics.background.d2sigma_dx_dcos` (the extra
    arguments are keyword-only with defaults), so it can replace it at high energies.
    """
    inside, xs, radiator = photon_radiator(x, cos_theta, sm.alpha0)
    sigma0 = sigma0_ew(
        np.asarray(s, dtype=float) * (1.0 - xs),
        w_exchange=w_exchange,
        width=width,
        n_nu=n_nu,
        sm=sm,
    )
    return np.asarray(np.where(inside, radiator * sigma0, 0.0))


def dsigma_dx(
    x: ArrayLike,
    s: ArrayLike,
    *,
    cos_min: float,
    cos_max: float,
    sm: SMParameters = SM,
    n_nu: int = 3,
    w_exchange: WExchange = "propagator",
    width: WidthScheme = "running",
) -> FloatArray:
    """d sigma / dx (GeV^-2) with the photon in cos_min < cos(theta_gamma) < cos_max (CM frame).

    :func:`d2sigma_dx_dcos` integrated analytically over z: with Delta = artanh(cos_max) -
    artanh(cos_min), Int dz/(1-z^2) = Delta and Int z^2 dz/(1-z^2) = Delta - (cos_max - cos_min).
    """
    if not -1.0 < cos_min < cos_max < 1.0:
        raise ValueError("need -1 < cos_min < cos_max < 1 (the spectrum diverges at |cos| = 1)")
    x_ = np.asarray(x, dtype=float)
    inside = (x_ > 0.0) & (x_ < 1.0)
    xs = np.where(inside, x_, 0.5)
    delta = float(np.arctanh(cos_max) - np.arctanh(cos_min))
    angular = (1.0 - xs / 2.0) ** 2 * delta + xs**2 / 4.0 * (delta - (cos_max - cos_min))
    sigma0 = sigma0_ew(
        np.asarray(s, dtype=float) * (1.0 - xs),
        w_exchange=w_exchange,
        width=width,
        n_nu=n_nu,
        sm=sm,
    )
    return np.asarray(np.where(inside, (2.0 * sm.alpha0 / np.pi) * angular / xs * sigma0, 0.0))


def x_radiative_return(s: ArrayLike, sm: SMParameters = SM) -> FloatArray:
    """Photon energy fraction of the radiative return to the Z, x_Z = 1 - M_Z^2 / s."""
    return np.asarray(1.0 - sm.m_z**2 / np.asarray(s, dtype=float))


def sigma_monophoton(
    s: float,
    *,
    x_min: float,
    x_max: float = 1.0,
    cos_min: float,
    cos_max: float,
    sm: SMParameters = SM,
    n_nu: int = 3,
    w_exchange: WExchange = "propagator",
    width: WidthScheme = "running",
) -> float:
    """sigma(e+ e- -> nu nubar gamma), GeV^-2, photon with x_min < x < x_max, cos in the range.

    :func:`dsigma_dx` integrated over x by adaptive quadrature, split at the radiative-return
    peak x_Z = 1 - M_Z^2/s (width ~ M_Z Gamma_Z / s in x) when it lies inside the range.
    x_max is clipped to the kinematic limit 1.
    """
    x_hi = min(x_max, 1.0)
    if not 0.0 < x_min < x_hi:
        raise ValueError("need 0 < x_min < min(x_max, 1)")

    def integrand(xv: float) -> float:
        return float(
            dsigma_dx(
                xv,
                s,
                cos_min=cos_min,
                cos_max=cos_max,
                sm=sm,
                n_nu=n_nu,
                w_exchange=w_exchange,
                width=width,
            )
        )

    x_z = float(x_radiative_return(s, sm))
    half_width = sm.m_z * sm.gamma_z / s
    edges = [x_min, x_hi]
    for point in (x_z - 5.0 * half_width, x_z, x_z + 5.0 * half_width):
        if x_min < point < x_hi:
            edges.append(point)
    edges.sort()
    from scipy import integrate  # here, not at import: `import nudipole` stays light

    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        value, _ = integrate.quad(integrand, lo, hi, epsabs=0.0, epsrel=1e-10, limit=200)
        total += value
    return total
