"""Decay of the heavy neutral lepton N -> nu gamma.

References
----------
Seed paper: Zhang, Song, Ding, Chen, PLB 829 (2022) 137116, arXiv:2204.07802 (Eqs. 4-6).
"""

from __future__ import annotations

import numpy as np

from nudipole.model import Nature
from nudipole.physics._types import ArrayLike, FloatArray


def width_nu_gamma(m_n: ArrayLike, d: ArrayLike, nature: Nature = Nature.DIRAC) -> FloatArray:
    """Partial width Gamma(N -> nu gamma) in GeV.

    Dirac: Gamma = d^2 m_N^3 / (4 pi) (seed Eq. 4). Majorana: twice that, because N decays to
    both nu gamma and nubar gamma (PHYSICS.md §1 on conventions).

    Parameters
    ----------
    m_n
        HNL mass m_N in GeV.
    d
        Photon dipole coupling d_gamma in GeV^-1 (sum in quadrature over flavours if several).
    nature
        Dirac or Majorana.
    """
    m = np.asarray(m_n, dtype=float)
    dd = np.asarray(d, dtype=float)
    width = dd**2 * m**3 / (4.0 * np.pi)
    return np.asarray(2.0 * width if nature is Nature.MAJORANA else width, dtype=float)


def decay_length(momentum: ArrayLike, m_n: ArrayLike, total_width: ArrayLike) -> FloatArray:
    """Mean decay length l_dec = beta gamma c tau = p / (m Gamma) in GeV^-1, in any frame.

    Seed Eq. 6 with the N momentum ``p`` of the frame of interest (CM in the seed; the
    laboratory for a boosted collider). Convert to metres with
    :func:`nudipole.constants.natural_to_metres`.

    Parameters
    ----------
    momentum
        |p_N| in GeV in the chosen frame.
    m_n
        m_N in GeV.
    total_width
        Total width Gamma_N in GeV.
    """
    p = np.asarray(momentum, dtype=float)
    return np.asarray(p / (np.asarray(m_n, dtype=float) * np.asarray(total_width, float)))


def lifetime(total_width: ArrayLike) -> FloatArray:
    """Proper lifetime tau = 1/Gamma in GeV^-1 (c tau in natural units)."""
    return np.asarray(1.0 / np.asarray(total_width, dtype=float))


def decay_probability(path_length: ArrayLike, mean_decay_length: ArrayLike) -> FloatArray:
    """Probability to decay within ``path_length``: 1 - exp(-l / l_dec) (seed Eq. 5, w/o Br).

    Both lengths in the same unit. Uses ``expm1`` so that the long-lived limit
    l / l_dec -> 0 is accurate (P -> l / l_dec).
    """
    ratio = np.asarray(path_length, dtype=float) / np.asarray(mean_decay_length, dtype=float)
    return np.asarray(-np.expm1(-ratio))
