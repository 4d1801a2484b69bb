"""Standard-Model irreducible background e+ e- -> nu nubar gamma.

Contact (four-fermion) limit sqrt(s) << M_Z, PHYSICS.md §5 (derived there, and checked in
``tests/physics/test_background_me.py`` against an explicit 2 -> 3 matrix element): the photon
spectrum factorises into the initial-state radiator times the non-radiative cross section at the
reduced energy s' = s (1 - x).
"""

from __future__ import annotations

import numpy as np

from nudipole.constants import ALPHA_EM
from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.sm import SM, SMParameters


def c_nu(sm: SMParameters = SM) -> float:
    """Effective coupling sum C_nu over the three neutrino flavours (PHYSICS.md §5).

    C_nu = 3 (g_V^2 + g_A^2) + 2 (g_V + g_A) + 2 with g_V = -1/2 + 2 sin^2(theta_w), g_A = -1/2:
    Z exchange for nu_e, nu_mu, nu_tau plus the Fierzed W exchange for nu_e
    (g_V -> g_V + 1, g_A -> g_A + 1 for that flavour).
    """
    g_v = -0.5 + 2.0 * sm.sin2w
    g_a = -0.5
    return 3.0 * (g_v**2 + g_a**2) + 2.0 * (g_v + g_a) + 2.0


def sigma0_contact(s: ArrayLike, sm: SMParameters = SM) -> FloatArray:
    """sigma(e+ e- -> nu nubar), summed over flavours, contact limit, GeV^-2.

    sigma_0(s) = s / (12 pi) [3 (g_V^2 + g_A^2) G_Z^2 + 2 (g_V + g_A) G_Z G_W + 2 G_W^2]
    with the four-fermion constants G_Z, G_W of Z and W exchange
    (:attr:`~nudipole.physics.sm.SMParameters.fermi_neutral`, ``fermi_charged``); for
    G_Z = G_W = G_F (schemes ``gmu``, ``gmu-alpha0``) this is G_F^2 s C_nu / (12 pi) of
    PHYSICS.md §5 (C_nu of :func:`c_nu`).
    """
    g_v = -0.5 + 2.0 * sm.sin2w
    g_a = -0.5
    g_z, g_w = sm.fermi_neutral, sm.fermi_charged
    if g_z == g_w:
        bracket = g_z**2 * c_nu(sm)
    else:
        bracket = 3.0 * (g_v**2 + g_a**2) * g_z**2 + 2.0 * (g_v + g_a) * g_z * g_w + 2.0 * g_w**2
    return np.asarray(bracket * np.asarray(s, dtype=float) / (12.0 * np.pi))


def d2sigma_dx_dcos(
    x: ArrayLike,
    cos_theta: ArrayLike,
    s: ArrayLike,
    sm: SMParameters = SM,
) -> FloatArray:
    """d^2 sigma(e+ e- -> nu nubar gamma) / dx dcos(theta_gamma) in GeV^-2, CM frame.

    PHYSICS.md §5: (2 alpha / pi) [(1 - x/2)^2 + x^2 z^2 / 4] / [x (1 - z^2)] sigma_0(s (1 - x)),
    x = 2 E_gamma / sqrt(s), z = cos(theta_gamma). Zero outside 0 < x < 1, |z| < 1. The emitted
    photon is real: its coupling is alpha(0) = ``sm.alpha0``.
    """
    inside, xs, rad = photon_radiator(x, cos_theta, sm.alpha0)
    value = rad * sigma0_contact(np.asarray(s, float) * (1.0 - xs), sm)
    return np.asarray(np.where(inside, value, 0.0))


def photon_radiator(
    x: ArrayLike, cos_theta: ArrayLike, alpha: float = ALPHA_EM
) -> tuple[np.ndarray, FloatArray, FloatArray]:
    """Initial-state photon radiator of PHYSICS.md §5 (per unit x and cos(theta)).

    Returns (inside, x_safe, R) with R = (2 alpha/pi) [(1 - x/2)^2 + x^2 z^2/4] / [x (1 - z^2)]
    where 0 < x < 1 and |z| < 1 (``inside``); elsewhere x_safe = 1/2 and R is finite but to be
    discarded. Shared by the contact and the electroweak spectra.
    """
    x_ = np.asarray(x, dtype=float)
    z = np.asarray(cos_theta, dtype=float)
    inside = (x_ > 0.0) & (x_ < 1.0) & (np.abs(z) < 1.0)
    xs = np.where(inside, x_, 0.5)
    zs = np.where(inside, z, 0.0)
    shape = (1.0 - xs / 2.0) ** 2 + xs**2 * zs**2 / 4.0
    rad = (2.0 * alpha / np.pi) * shape / (xs * (1.0 - zs**2))
    return inside, np.asarray(xs), np.asarray(rad)
