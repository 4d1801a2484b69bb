"""Z-pole quantities: Gamma(Z -> nu Nbar), Gamma(Z -> e+ e-) and the peak cross section.

Used by the LEP constraints (:mod:`nudipole.reach.scan`): the invisible-width bound and the
conversion of L3's Br(Z -> gamma + invisible) into a cross section at the pole.
"""

from __future__ import annotations

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.sm import SM, SMParameters


def width_z_to_nu_nbar(m_n: ArrayLike, d_z: ArrayLike, sm: SMParameters = SM) -> FloatArray:
    """Gamma(Z -> nu Nbar) = d_Z^2 M_Z^3 (1 - y)^2 (1 + 2 y) / (12 pi), y = m_N^2 / M_Z^2, GeV.

    One charge state (Z -> nubar N has the same width). Source: PHYSICS.md §3 (derived; checked
    against an explicit matrix element and the Breit-Wigner peak of sigma^Z in the tests).

    Parameters
    ----------
    m_n
        N mass in GeV; the width is zero for m_n >= m_z.
    d_z
        Z dipole coupling in GeV^-1.
    sm
        Standard-Model inputs (the Z mass ``sm.m_z`` in GeV).
    """
    m_z = sm.m_z
    y = np.asarray(m_n, float) ** 2 / m_z**2
    value = np.asarray(d_z, float) ** 2 * m_z**3 * (1.0 - y) ** 2 * (1.0 + 2.0 * y) / (12.0 * np.pi)
    return np.asarray(np.where(y < 1.0, value, 0.0), dtype=float)


def width_z_to_electrons(sm: SMParameters = SM) -> float:
    """Tree-level Gamma(Z -> e+ e-) = G_F M_Z^3 (g_V^2 + g_A^2) / (6 sqrt2 pi), GeV.

    G_F is the four-fermion constant of Z exchange of the electroweak scheme,
    :attr:`~nudipole.physics.sm.SMParameters.fermi_neutral` = sqrt2 g_Z^2 / (8 M_Z^2), the same
    g_Z^2 as the signal's Z couplings and the SM background: 83.4 MeV (``gmu``) or 78.3 MeV
    (``alpha0``).

    g_V = -1/2 + 2 sin^2 theta_w, g_A = -1/2 (massless electrons; standard result, e.g. PDG
    review "Electroweak model"; the same couplings as
    :func:`nudipole.physics.production_ew.electron_z_couplings`).
    """
    g_v = -0.5 + 2.0 * sm.sin2w
    g_a = -0.5
    g_z = sm.fermi_neutral
    return float(g_z * sm.m_z**3 * (g_v**2 + g_a**2) / (6.0 * np.sqrt(2.0) * np.pi))


def sigma_z_peak(sm: SMParameters = SM) -> float:
    """sigma(e+ e- -> Z -> anything) at sqrt(s) = M_Z: 12 pi Gamma_ee / (M_Z^2 Gamma_Z), GeV^-2.

    The Breit-Wigner peak (PHYSICS.md §3), with the tree-level Gamma_ee of
    :func:`width_z_to_electrons` and the PDG total width. Used to turn a limit on a Z branching
    ratio into one on the accepted signal cross section at the pole.
    """
    gamma_ee = width_z_to_electrons(sm)
    return float(12.0 * np.pi * gamma_ee / (sm.m_z**2 * sm.gamma_z))
