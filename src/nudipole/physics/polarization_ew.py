"""Polarisation of N from e+ e- -> N nubar through gamma, Z and W (LEP/CEPC energies).

The helicity amplitudes and the conventions (Z-field orientation ``z_sign``, frames, the CP
image Nbar nu) are those of :mod:`nudipole.physics.production_ew`; this module turns them into
the N helicity density matrix and the polarisation vector that the spin-correlated photon
distribution of :mod:`nudipole.physics.angular` needs. *Derived*; checked in
``tests/physics/test_production_ew.py`` against an explicit matrix element with a spin
projector and a full 2 -> 3 matrix element.
"""

from __future__ import annotations

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.production_ew import (
    ComplexArray,
    s_channel_factors,
    w_channel_amplitude,
)
from nudipole.physics.sm import SM, SMParameters


def _density_matrix(
    s: ArrayLike,
    m_n: ArrayLike,
    cos_theta: ArrayLike,
    d_gamma: ArrayLike,
    d_z: ArrayLike,
    d_w: ArrayLike,
    sm: SMParameters,
    z_sign: int,
) -> tuple[FloatArray, FloatArray, FloatArray, ComplexArray]:
    """(rho_++, rho_--, trace, rho_+-) of the N helicity density matrix (unnormalised)."""
    s_ = np.asarray(s, float)
    m = np.asarray(m_n, float)
    z = np.asarray(cos_theta, float)
    d_l, d_r, _ = s_channel_factors(s_, d_gamma, d_z, z_sign, sm)
    w_amp = w_channel_amplitude(s_, m, z, d_w, sm)
    sin_t = np.sqrt(np.clip(1.0 - z**2, 0.0, None))
    rs = np.sqrt(s_)
    a_lp = (d_l + w_amp) * rs * sin_t
    a_lm = d_l * m * (1.0 + z)
    a_rp = -d_r * rs * sin_t
    a_rm = d_r * m * (1.0 - z)
    rho_pp = np.abs(a_lp) ** 2 + np.abs(a_rp) ** 2
    rho_mm = np.abs(a_lm) ** 2 + np.abs(a_rm) ** 2
    rho_pm = a_lp * np.conj(a_lm) + a_rp * np.conj(a_rm)
    return (
        np.asarray(rho_pp, float),
        np.asarray(rho_mm, float),
        np.asarray(rho_pp + rho_mm, float),
        np.asarray(rho_pm, complex),
    )


def polarization_ew(
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
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Polarisation (P_L, P_T, P_N) of N (or Nbar) from e+ e- -> N nubar via gamma, Z, W.

    Derived from the helicity amplitudes of the module docstring (rho_{lambda lambda'} summed over
    the beam helicities; R = rho_++ + rho_--):

    * P_L = (rho_++ - rho_--) / R, rho_++ = (|D_L + W|^2 + |D_R|^2) s (1 - z^2),
      rho_-- = m^2 [|D_L|^2 (1 + z)^2 + |D_R|^2 (1 - z)^2];
    * P_T = 2 Re(rho_+-) / R = 2 sqrt(s) m sin(theta) [(|D_L|^2 + W Re D_L)(1 + z)
      - |D_R|^2 (1 - z)] / R;
    * P_N = -2 Im(rho_+-) / R = 2 sqrt(s) m sin(theta) (1 + z) W Im(D_L) / R (needs both the
      Z width and the W; small).

    Frame and signs as :func:`nudipole.physics.production.polarization_transverse`: N rest frame
    reached by a pure boost, z' along the N flight direction, y' = z_beam x z' (normalised),
    x' = y' x z'; P_N is the y' component. For d_Z = d_W = 0 these are
    :func:`~nudipole.physics.production.polarization_longitudinal` and
    :func:`~nudipole.physics.production.polarization_transverse` (P_N = 0). Checked against an
    explicit matrix element with the spin projector (p-slash + m)(1 + gamma5 s-slash)/2.

    With ``charge_conjugate=True`` the physical spin of Nbar from Nbar nu, in the helicity frame
    of Nbar at cos(theta_Nbar) = z (CP): (P_L, P_T, P_N)_Nbar(z) = (-P_L, +P_T, -P_N)_N(-z).

    Parameters
    ----------
    s, m_n, cos_theta, d_gamma, d_z, d_w, sm, z_sign, charge_conjugate
        As in :func:`~nudipole.physics.production_ew.dsigma_dcos_pieces` (GeV, GeV^2, GeV^-1).

    Returns
    -------
    tuple of ndarray
        (P_L, P_T, P_N), dimensionless, P_L^2 + P_T^2 + P_N^2 <= 1. Undefined (nan) where the
        rate vanishes.
    """
    z = np.asarray(cos_theta, float)
    sign = -1.0 if charge_conjugate else 1.0
    rho_pp, rho_mm, trace, rho_pm = _density_matrix(s, m_n, sign * z, d_gamma, d_z, d_w, sm, z_sign)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_long = (rho_pp - rho_mm) / trace
        p_trans = 2.0 * rho_pm.real / trace
        p_norm = -2.0 * rho_pm.imag / trace
    return (
        np.asarray(sign * p_long, float),
        np.asarray(p_trans, float),
        np.asarray(sign * p_norm, float),
    )


def photon_density_polarization(
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
) -> tuple[FloatArray, FloatArray]:
    """(p_long, p_trans) to pass to :func:`nudipole.physics.angular.photon_angular_density`.

    The photon of N -> nu gamma follows 1 - P.k (PHYSICS.md §2), that of Nbar -> nubar gamma
    follows 1 + P.k, so for the N nubar channel this is (P_L, P_T) of :func:`polarization_ew`
    and for the Nbar nu channel (``charge_conjugate=True``, cos_theta = cos(theta_Nbar)) it is
    minus the Nbar polarisation, (P_L, -P_T) of N at -cos_theta. The normal component P_N
    (a sin t* sin f* term, absent from ``photon_angular_density``) is dropped; it averages to
    zero over the photon azimuth. For d_Z = d_W = 0 both channels give the production.py
    values, as :mod:`nudipole.physics.angular` assumes. Parameters as in :func:`polarization_ew`.
    """
    p_long, p_trans, _ = polarization_ew(
        s,
        m_n,
        cos_theta,
        d_gamma,
        d_z,
        d_w,
        sm=sm,
        z_sign=z_sign,
        charge_conjugate=charge_conjugate,
    )
    if charge_conjugate:
        return np.asarray(-p_long, float), np.asarray(-p_trans, float)
    return p_long, p_trans
