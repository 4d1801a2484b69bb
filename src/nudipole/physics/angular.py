"""Photon angular distribution in the N rest frame.

Three models, selectable with :class:`PhotonAngular`:

``spin-correlated``
    The physical one for a Dirac N. N -> nu_L gamma emits the photon as 1 - cos(theta_s) about
    the N spin (Li & Wilczek, PRD 25 (1982) 143; Masip, Masjuan, Meloni, arXiv:1210.1519;
    PHYSICS.md §2), and e+ e- -> gamma* -> N nubar produces N with the polarisation vector
    (P_T, 0, P_L) of :mod:`nudipole.physics.production`. In the helicity frame the density is
    (1/4 pi)[1 - P_L cos t* - P_T sin t* cos f*]; averaged over the production angle it is
    (1/2)[1 - P_N cos t*] with P_N = (1 - 2y)/(1 + 2y) (PHYSICS.md §3). The Nbar nu channel has
    the same density (CP), so both charge states share it.
``isotropic``
    Uniform in the N rest frame (the Majorana case, and a convention of the literature).
``one-minus-cos``
    The literal reading of the seed paper ("the 1 - cos(theta) distribution is used", seed
    text after Eq. 7): (1/2)(1 - cos t*) about the N flight direction, i.e. P_L = 1, P_T = 0.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.production import polarization_longitudinal, polarization_transverse


class PhotonAngular(StrEnum):
    """Choice of photon angular distribution in the N rest frame."""

    SPIN_CORRELATED = "spin-correlated"
    ISOTROPIC = "isotropic"
    ONE_MINUS_COS = "one-minus-cos"


def photon_angular_density(
    cos_star: ArrayLike, phi_star: ArrayLike, p_long: ArrayLike, p_trans: ArrayLike
) -> FloatArray:
    """Density d N / d cos t* d f* = (1/4 pi)[1 - P_L cos t* - P_T sin t* cos f*].

    Angles of the photon in the N helicity frame (see
    :func:`nudipole.physics.production.polarization_transverse` for the axes). Normalised to
    one over the sphere for any |P| <= 1. Source: PHYSICS.md §2-3 (derived), checked by an
    explicit matrix element in the tests.
    """
    c = np.asarray(cos_star, dtype=float)
    sin_t = np.sqrt(np.clip(1.0 - c**2, 0.0, None))
    value = (
        1.0
        - np.asarray(p_long, float) * c
        - np.asarray(p_trans, float) * sin_t * np.cos(np.asarray(phi_star, float))
    )
    return np.asarray(value / (4.0 * np.pi))


def polarization_vector(
    model: PhotonAngular, s: ArrayLike, m_n: ArrayLike, cos_theta_n: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Effective (P_L, P_T) that the chosen model uses at production angle cos(theta_N).

    ``spin-correlated``: the full production polarisation; ``isotropic``: (0, 0);
    ``one-minus-cos``: (1, 0).
    """
    shape = np.broadcast(np.asarray(s), np.asarray(m_n), np.asarray(cos_theta_n)).shape
    if model is PhotonAngular.SPIN_CORRELATED:
        p_l = np.broadcast_to(polarization_longitudinal(s, m_n, cos_theta_n), shape)
        p_t = np.broadcast_to(polarization_transverse(s, m_n, cos_theta_n), shape)
        return np.asarray(p_l, float), np.asarray(p_t, float)
    if model is PhotonAngular.ISOTROPIC:
        return np.zeros(shape), np.zeros(shape)
    return np.ones(shape), np.zeros(shape)
