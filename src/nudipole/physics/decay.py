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


def decay_probability_in_segment(
    l_in: ArrayLike, l_out: ArrayLike, mean_decay_length: ArrayLike
) -> FloatArray:
    """Probability to decay between distances ``l_in`` and ``l_out`` along the flight path:
    exp(-l_in / l_dec) - exp(-l_out / l_dec) (exponential decay law; seed Eq. 5 is the
    case l_in = 0). Zero where l_out <= l_in (no intersection).

    Written as exp(-l_in/l_dec) (1 - exp(-(l_out - l_in)/l_dec)) with ``expm1`` so that the
    long-lived limit (l_out - l_in) / l_dec -> 0 keeps full precision. Lengths in one unit.
    """
    a = np.asarray(l_in, dtype=float)
    b = np.asarray(l_out, dtype=float)
    lam = np.asarray(mean_decay_length, dtype=float)
    span = np.maximum(b - a, 0.0)
    return np.asarray(np.exp(-a / lam) * -np.expm1(-span / lam))


def photon_energy_fraction(energy: ArrayLike, m_n: ArrayLike, e_min: float) -> FloatArray:
    """Fraction of N -> nu gamma decays of an N with lab energy ``energy`` (GeV) whose photon
    has lab energy above ``e_min`` (GeV), for a photon isotropic in the N rest frame.

    Derived: E_gamma = (m_N/2) gamma (1 + beta cos theta*), so a uniform cos theta* gives a
    flat lab spectrum on [E_N (1 - beta)/2, E_N (1 + beta)/2] and the fraction is
    clip((E_N (1 + beta)/2 - e_min) / (beta E_N), 0, 1), with beta E_N = p_N.
    (Majorana N decays isotropically, PHYSICS.md §2; for a Dirac N the spin analysing power
    of the photon tilts the spectrum linearly, see docs/lhc.md for the bound on its effect.)
    """
    e = np.asarray(energy, dtype=float)
    m = np.asarray(m_n, dtype=float)
    p = np.sqrt(np.maximum(e**2 - m**2, 0.0))
    top = 0.5 * (e + p)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(p > 0.0, (top - e_min) / p, np.where(0.5 * m >= e_min, 1.0, 0.0))
    return np.asarray(np.clip(frac, 0.0, 1.0))
