"""V -> nu Nbar: two-body decays of vector mesons through the photon dipole.

V = rho0, omega, phi, J/psi, Upsilon(1S); talk slide "Production at the LHC by Meson Decay"
(Barducci, Liu, Titov, Wang, Zhang, PRD 108 (2023) 115009, arXiv:2308.16608) and
PHYSICS.md §10::

    Gamma = f_V^2 m_V e^2 Q^2 d^2 (1 - x)^2 (1 + 2x) / (12 pi),   x = m_N^2 / m_V^2,

Q the effective quark charge of the electromagnetic current in V. Conventions of the model:
:mod:`nudipole.physics.mesons`.
"""

from __future__ import annotations

import math

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.mesons._checks import _as_float, _check_nonnegative, _check_positive


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
