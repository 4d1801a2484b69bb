"""Standard-Model widths of a virtual Z or W into fermion pairs, for N -> nu Z*, l W*.

:func:`vector_spectral_width` gives sqrt(q^2) Gamma(V* -> f fbar')(q^2), the quantity that
multiplies the Breit-Wigner in the three-body decays of :mod:`nudipole.physics.decay_ew`
(PHYSICS.md §2), for the final states of :func:`z_star_channels` and :func:`w_star_channels`.

Hadrons at small q^2
--------------------
Quark final states are partonic, with the PDG quark masses in the phase space, but a pair
q qbar' only contributes above the lightest open-flavour two-meson threshold,
sqrt(q^2) > M(q) + M(q'), with M = m_pi+ for u and d, m_K+ for s, m_D0 for c, m_B+ for b
(:data:`HADRON_OF_QUARK`; the top quark does not hadronise, its mass is used). Reason: the
current coupling to the dipole vertex is transverse, so single pseudoscalar mesons (pi0, eta,
pi+, whose axial-current matrix element is f_P q^mu) decouple exactly; the lightest hadronic
states the Z*/W* can make here are two-meson states (pi+ pi-, pi+- pi0 ~ rho). Above the
thresholds quark-hadron duality for the q^2-integrated rate is adequate at the accuracy
needed. The quark widths carry (1 + alpha_s(M_Z)/pi). None of this matters for Br(N -> nu
gamma): for m << M_Z the three-body widths are d_V^2 G_F C m^7 / (240 sqrt2 pi^3 M_V^2)
(C = sum_f N_c (c_V^2 + c_A^2)), a fraction ~ G_F m^4 / M_V^2 of Gamma(nu gamma). For
|d_Z|, |d_W| <~ 3 d_gamma (scenarios I and II), 1 - Br(N -> nu gamma) < 3e-6 at m <= 10 GeV,
and switching the hadronic thresholds off (pure partonic quarks from 2 m_q) moves
Br(N -> nu gamma) by < 1e-8 at m <= 10 GeV and < 1e-7 at 50 GeV; dropping alpha_s moves it by
< 1e-7 at 10 GeV (tests/physics/test_decay_ew.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nudipole.constants import CKM_MAGNITUDES, G_FERMI, pdg_mass_gev
from nudipole.model import Flavour
from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.sm import SM, SMParameters

#: PDG id of the charged lepton of each flavour.
LEPTON_PDGID: Mapping[Flavour, int] = {Flavour.E: 11, Flavour.MU: 13, Flavour.TAU: 15}
#: PDG ids of the quarks.
QUARK_PDGID: Mapping[str, int] = {"d": 1, "u": 2, "s": 3, "c": 4, "b": 5, "t": 6}
#: Lightest meson carrying each quark flavour (PDG id) for the hadronic thresholds; t: none.
HADRON_OF_QUARK: Mapping[str, int | None] = {
    "u": 211,  # pi+
    "d": 211,  # pi+ (pi+ pi- for Z*, pi+ pi0 for W* differ by 4.6 MeV: irrelevant)
    "s": 321,  # K+
    "c": 421,  # D0
    "b": 521,  # B+
    "t": None,
}


@lru_cache(maxsize=8)
def lepton_mass(flavour: Flavour) -> float:
    """Charged-lepton mass of ``flavour`` in GeV (PDG, via ``particle``; ids 11, 13, 15)."""
    return pdg_mass_gev(LEPTON_PDGID[Flavour(flavour)])


def sqrt_kallen(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> FloatArray:
    """sqrt of the Källén function lambda(a, b, c), clipped to 0 outside the physical region.

    Arguments are squared masses a = m_0^2, b = m_1^2, c = m_2^2 (GeV^2). Evaluated in the
    factorised form (a - (m_1 + m_2)^2)(a - (m_1 - m_2)^2), accurate near threshold.
    """
    aa = np.asarray(a, dtype=float)
    r1 = np.sqrt(np.maximum(np.asarray(b, dtype=float), 0.0))
    r2 = np.sqrt(np.maximum(np.asarray(c, dtype=float), 0.0))
    lam = np.maximum(aa - (r1 + r2) ** 2, 0.0) * np.maximum(aa - (r1 - r2) ** 2, 0.0)
    return np.asarray(np.sqrt(lam), dtype=float)


@dataclass(frozen=True, slots=True)
class FermionPair:
    """A final state f1 fbar2 of a virtual Z or W with vertex gamma^mu (c_V - c_A gamma5).

    Attributes
    ----------
    name
        Label, e.g. ``"nu"``, ``"b"``, ``"cs"``, ``"tau nu"``.
    colour
        Multiplicity N_c (times 1 + alpha_s/pi for quarks, times 3 for the three neutrinos).
    c_v, c_a
        Vector and axial couplings in the normalisation of g_V = T_3 - 2 Q sin^2, g_A = T_3 for
        the Z and c_V = c_A = |V_ij| / sqrt2 for the W (see :func:`vector_spectral_width`).
    mass_1, mass_2
        Fermion masses in GeV.
    threshold
        Smallest sqrt(q^2) in GeV at which the pair contributes (>= mass_1 + mass_2).
    """

    name: str
    colour: float
    c_v: float
    c_a: float
    mass_1: float
    mass_2: float
    threshold: float


@lru_cache(maxsize=8)
def _quark_mass(q: str) -> float:
    return pdg_mass_gev(QUARK_PDGID[q])


def _quark_threshold(q1: str, q2: str, hadronic_thresholds: bool) -> float:
    partonic = _quark_mass(q1) + _quark_mass(q2)
    if not hadronic_thresholds:
        return partonic
    hadronic = 0.0
    for q in (q1, q2):
        pdgid = HADRON_OF_QUARK[q]
        hadronic += _quark_mass(q) if pdgid is None else pdg_mass_gev(pdgid)
    return max(partonic, hadronic)


@lru_cache(maxsize=64)
def z_star_channels(
    sm: SMParameters = SM, hadronic_thresholds: bool = True
) -> tuple[FermionPair, ...]:
    """Final states of Z* -> f fbar: 3 nu, e, mu, tau, u, d, s, c, b, t (tree level).

    g_V = T_3 - 2 Q sin^2(theta_w), g_A = T_3 (sin^2(theta_w) = ``sm.sin2w``). Quarks:
    N_c = 3 (1 + alpha_s/pi) with alpha_s = ``sm.alpha_s`` and the thresholds of the module
    docstring (``hadronic_thresholds=False``: 2 m_q only).
    """
    sin2w, alpha_s = sm.sin2w, sm.alpha_s
    chans = [FermionPair("nu", 3.0, 0.5, 0.5, 0.0, 0.0, 0.0)]
    g_v_lepton = -0.5 + 2.0 * sin2w
    for flavour in Flavour:
        ml = lepton_mass(flavour)
        chans.append(FermionPair(str(flavour), 1.0, g_v_lepton, -0.5, ml, ml, 2.0 * ml))
    n_c = 3.0 * (1.0 + alpha_s / np.pi)
    for q in ("u", "c", "t"):
        mq = _quark_mass(q)
        g_v = 0.5 - 4.0 / 3.0 * sin2w
        thr = _quark_threshold(q, q, hadronic_thresholds)
        chans.append(FermionPair(q, n_c, g_v, 0.5, mq, mq, thr))
    for q in ("d", "s", "b"):
        mq = _quark_mass(q)
        g_v = -0.5 + 2.0 / 3.0 * sin2w
        thr = _quark_threshold(q, q, hadronic_thresholds)
        chans.append(FermionPair(q, n_c, g_v, -0.5, mq, mq, thr))
    return tuple(chans)


@lru_cache(maxsize=64)
def w_star_channels(
    sm: SMParameters = SM, hadronic_thresholds: bool = True
) -> tuple[FermionPair, ...]:
    """Final states of W*+ -> f fbar': e nu, mu nu, tau nu and the nine u_i dbar_j (CKM).

    c_V = c_A = |V_ij| / sqrt2 (1/sqrt2 for leptons); quarks N_c = 3 (1 + alpha_s/pi) with
    alpha_s = ``sm.alpha_s`` and the thresholds of the module docstring. Pairs with the top
    quark open only far above M_W.
    """
    alpha_s = sm.alpha_s
    c = 1.0 / math.sqrt(2.0)
    chans = []
    for flavour in Flavour:
        ml = lepton_mass(flavour)
        chans.append(FermionPair(f"{flavour} nu", 1.0, c, c, ml, 0.0, ml))
    n_c = 3.0 * (1.0 + alpha_s / np.pi)
    for up in ("u", "c", "t"):
        for down in ("d", "s", "b"):
            v = CKM_MAGNITUDES[up + down] * c
            thr = _quark_threshold(up, down, hadronic_thresholds)
            chans.append(FermionPair(up + down, n_c, v, v, _quark_mass(up), _quark_mass(down), thr))
    return tuple(chans)


def pair_spectral(
    q2: FloatArray,
    c_v2: FloatArray,
    c_a2: FloatArray,
    m1: FloatArray,
    m2: FloatArray,
    threshold: FloatArray,
) -> FloatArray:
    """q^2 lambda^{1/2}(1, x_1, x_2) [..] of :func:`vector_spectral_width`, GeV^2 (broadcast)."""
    q2s = np.maximum(q2, np.finfo(float).tiny)
    poly = (c_v2 + c_a2) * (q2 * q2 - 0.5 * q2 * (m1**2 + m2**2) - 0.5 * (m1**2 - m2**2) ** 2)
    poly = poly + 3.0 * (c_v2 - c_a2) * m1 * m2 * q2
    value = sqrt_kallen(q2s, m1**2, m2**2) * np.maximum(poly, 0.0) / (q2s * q2s)
    return np.asarray(np.where(q2 > threshold**2, value, 0.0), dtype=float)


def channel_arrays(channels: Sequence[FermionPair], ndim: int) -> list[FloatArray]:
    """colour, c_V^2, c_A^2, m_1, m_2, threshold as arrays of shape (n_ch,) + (1,) * ndim."""
    shape = (len(channels),) + (1,) * ndim
    columns = (
        [p.colour for p in channels],
        [p.c_v**2 for p in channels],
        [p.c_a**2 for p in channels],
        [p.mass_1 for p in channels],
        [p.mass_2 for p in channels],
        [p.threshold for p in channels],
    )
    return [np.array(col, dtype=float).reshape(shape) for col in columns]


def vector_spectral_width(
    q2: ArrayLike, channels: Sequence[FermionPair], m_v: float, *, g_fermi: float = G_FERMI
) -> FloatArray:
    """sqrt(q^2) Gamma(V* -> sum of channels)(q^2) in GeV^2 (PHYSICS.md §2; masses *derived*).

    For each pair f1 fbar2 with x_i = m_i^2 / q^2::

        sqrt(q^2) Gamma = N_c G_F M_V^2 q^2 / (6 sqrt2 pi) lambda^{1/2}(1, x_1, x_2)
            x [(c_V^2 + c_A^2)(1 - (x_1 + x_2)/2 - (x_1 - x_2)^2/2)
               + 3 (c_V^2 - c_A^2) sqrt(x_1 x_2)]

    for sqrt(q^2) above the pair's threshold, zero below. Massless limit: N_c G_F M_Z^2 q^2
    (g_V^2 + g_A^2) / (6 sqrt2 pi) for the Z and N_c |V|^2 G_F M_W^2 q^2 / (6 sqrt2 pi) for the
    W (PHYSICS.md §2). The full mass dependence is kept (not only the kinematic threshold): it
    is the width of a vector of mass sqrt(q^2), i.e. the coefficient of -g^{mu nu} in the
    integrated fermion tensor, which is what the transverse dipole vertex picks out.

    Parameters
    ----------
    q2
        Virtuality q^2 in GeV^2.
    channels
        :func:`z_star_channels` or :func:`w_star_channels` (or a subset).
    m_v
        M_Z or M_W in GeV (enters via the coupling g^2 / cos^2 = 8 G_F M_Z^2 / sqrt2).
    g_fermi
        G_F in GeV^-2.
    """
    q2a = np.asarray(q2, dtype=float)
    colour, c_v2, c_a2, m1, m2, thr = channel_arrays(channels, q2a.ndim)
    total = np.sum(colour * pair_spectral(q2a, c_v2, c_a2, m1, m2, thr), axis=0)
    return np.asarray(g_fermi * m_v**2 * total / (6.0 * math.sqrt(2.0) * np.pi), dtype=float)
