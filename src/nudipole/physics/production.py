"""Production e+ e- -> gamma* -> N nubar (and Nbar nu) through the photon dipole.

References
----------
Seed paper: Zhang, Song, Ding, Chen, PLB 829 (2022) 137116, arXiv:2204.07802, Eqs. 2-3.
Helicity and spin-density results are derived in PHYSICS.md §3 from helicity amplitudes and
checked against an explicit 2 -> 3 matrix element in ``tests/physics/test_spin_correlation_me.py``.
"""

from __future__ import annotations

import numpy as np

from nudipole.constants import ALPHA_EM
from nudipole.physics._types import ArrayLike, FloatArray


def dsigma_dcos(
    s: ArrayLike, m_n: ArrayLike, d: ArrayLike, cos_theta: ArrayLike, *, alpha: float = ALPHA_EM
) -> FloatArray:
    """d sigma / d cos(theta_N) for e+ e- -> gamma* -> N nubar, one charge state, GeV^-2.

    Seed Eq. 2: d^2 alpha (s - m^2)^2 ((1 - z^2) s + (1 + z^2) m^2) / (4 s^3),
    with theta_N the angle of N to the e- beam in the CM frame. Zero above threshold.
    """
    s_ = np.asarray(s, dtype=float)
    m2 = np.asarray(m_n, dtype=float) ** 2
    z = np.asarray(cos_theta, dtype=float)
    value = (
        np.asarray(d, float) ** 2
        * alpha
        * (s_ - m2) ** 2
        * ((1.0 - z**2) * s_ + (1.0 + z**2) * m2)
        / (4.0 * s_**3)
    )
    return np.asarray(np.where(m2 < s_, value, 0.0))


def sigma(s: ArrayLike, m_n: ArrayLike, d: ArrayLike, *, alpha: ArrayLike = ALPHA_EM) -> FloatArray:
    """Total cross section sigma(e+ e- -> gamma* -> N nubar), one charge state, GeV^-2.

    Seed Eq. 3: alpha d^2 (s - m^2)^2 (s + 2 m^2) / (3 s^3). The Nbar nu channel adds the same
    amount. Zero above threshold. ``alpha``: the photon coupling (alpha(0) as in the seed, or
    the running alpha(s) of :meth:`nudipole.physics.sm.SMParameters.alpha_photon`; broadcast).
    """
    s_ = np.asarray(s, dtype=float)
    m2 = np.asarray(m_n, dtype=float) ** 2
    a_em = np.asarray(alpha, dtype=float)
    value = a_em * np.asarray(d, float) ** 2 * (s_ - m2) ** 2 * (s_ + 2.0 * m2) / (3.0 * s_**3)
    return np.asarray(np.where(m2 < s_, value, 0.0))


def n_energy_cm(s: ArrayLike, m_n: ArrayLike) -> FloatArray:
    """CM energy of N recoiling against a massless neutrino, (s + m^2)/(2 sqrt(s)) (seed Eq. 6)."""
    s_ = np.asarray(s, dtype=float)
    return np.asarray((s_ + np.asarray(m_n, float) ** 2) / (2.0 * np.sqrt(s_)))


def n_momentum_cm(s: ArrayLike, m_n: ArrayLike) -> FloatArray:
    """CM momentum of N: (s - m^2) / (2 sqrt(s)) in GeV."""
    s_ = np.asarray(s, dtype=float)
    return np.asarray((s_ - np.asarray(m_n, float) ** 2) / (2.0 * np.sqrt(s_)))


def _helicity_weights(
    s: ArrayLike, m_n: ArrayLike, cos_theta: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Unnormalised rates of N helicity +1/2 and -1/2 at production angle z (PHYSICS.md §3).

    The helicity-(+1/2) amplitude carries the (1 - z^2) s term of seed Eq. 2, helicity -1/2 the
    (1 + z^2) m^2 term (angular momentum: lambda_N - lambda_nubar = 0 or -1).
    """
    s_ = np.asarray(s, dtype=float)
    m2 = np.asarray(m_n, dtype=float) ** 2
    z = np.asarray(cos_theta, dtype=float)
    return (1.0 - z**2) * s_, (1.0 + z**2) * m2


def polarization_longitudinal(s: ArrayLike, m_n: ArrayLike, cos_theta: ArrayLike) -> FloatArray:
    """Longitudinal (helicity) polarisation P_L(z) of N from e+ e- -> gamma* -> N nubar.

    P_L = [(1 - z^2) s - (1 + z^2) m^2] / [(1 - z^2) s + (1 + z^2) m^2] (derived, PHYSICS.md §3;
    its z-average weighted with seed Eq. 2 is :func:`mean_helicity`).
    """
    plus, minus = _helicity_weights(s, m_n, cos_theta)
    return np.asarray((plus - minus) / (plus + minus))


def polarization_transverse(s: ArrayLike, m_n: ArrayLike, cos_theta: ArrayLike) -> FloatArray:
    """Transverse polarisation P_T(z) of N, along x' (in the production plane), see below.

    From the off-diagonal helicity density-matrix element (interference of the lambda = 0 and
    lambda = -1 amplitudes, d^1 functions summed over the beam helicities):
    P_T = +2 sqrt(s) m z sqrt(1 - z^2) / [(1 - z^2) s + (1 + z^2) m^2].
    Axes of the N rest frame: z' along the N flight direction, y' = z_beam x z' (normalised),
    x' = y' x z'. The sign is fixed by the explicit 2 -> 3 matrix element
    (``tests/physics/test_spin_correlation_me.py``). P_T integrates to zero over z.
    """
    plus, minus = _helicity_weights(s, m_n, cos_theta)
    s_ = np.asarray(s, dtype=float)
    z = np.asarray(cos_theta, dtype=float)
    m = np.asarray(m_n, dtype=float)
    sin_t = np.sqrt(np.clip(1.0 - z**2, 0.0, None))
    return np.asarray(2.0 * np.sqrt(s_) * m * z * sin_t / (plus + minus))


def mean_helicity(s: ArrayLike, m_n: ArrayLike) -> FloatArray:
    """Angle-averaged N helicity P_N = (1 - 2y) / (1 + 2y), y = m^2 / s (PHYSICS.md §3)."""
    y = np.asarray(m_n, dtype=float) ** 2 / np.asarray(s, dtype=float)
    return np.asarray((1.0 - 2.0 * y) / (1.0 + 2.0 * y))
