"""W and Z bosons as a source of N at the LHC: the channel catalogue of the W/Z source.

Channels (the names of ``--channels`` and of every output) and their *parts* (one parent
species each, with its own spectrum table, energy rule and angular density)::

    W    W+ -> l+ N      (part "W+", PDG 24)     W- -> l- Nbar   (part "W-", PDG -24)
    Z    Z -> nu Nbar + nubar N                 (part "Z", PDG 23)

Process: W. Liu, Y. Zhang, EPJC 83 (2023) 568, arXiv:2302.02081 ("Testing neutrino dipole
portal by long-lived particle detectors at the LHC"; talk's W/Z slides): pp -> W -> l N through
d_W and pp -> Z -> nu N through d_Z, with d_W, d_Z fixed relative to d_gamma by a scenario
(:mod:`nudipole.physics.couplings`). The widths, branching ratios and angular densities are
those derived in :mod:`nudipole.physics.boson_decays_to_n` (checked there against explicit
matrix elements); the spectra are :func:`nudipole.production.boson_spectra.boson_spectrum`
(Pythia 8 tables of both hemispheres normalised to the ATLAS 13 TeV cross sections carried to
14 TeV; ``tables="foresee"``: FORESEE's forward LO tables, mirrored).

Per part, everything per unit d_gamma^2 (the band solve's variable):

* the two-body N energy in the boson frame (PDG kinematics of a two-body decay),
  E* = (M_W^2 + m_N^2 - m_l^2) / (2 M_W) for W -> l N and E* = (M_Z^2 + m_N^2) / (2 M_Z) for
  Z -> nu N;
* the weight Br(V -> f N) / d_V^2 x (d_V / d_gamma)^2 (GeV^2): Br per W charge and flavour
  (:func:`~nudipole.physics.boson_decays_to_n.branching_ratio_w_to_lepton_n`), and for the Z
  the sum of Z -> nu Nbar and Z -> nubar N
  (:func:`~nudipole.physics.boson_decays_to_n.branching_ratio_z_to_nu_n`): one Z table, no
  factor 2 (unlike the self-conjugate mesons, whose Br is one charge state);
* the density of cos theta* of N about the boson's direction of flight,
  :func:`cos_density` (option :class:`BosonPolarisation`).

Polarisation (``lo``, the default, or ``unpolarised``). An unpolarised boson emits N
isotropically (boson_decays_to_n, "Consequences"). At leading order q qbar' -> W makes a W with
helicity -1 along the quark, q qbar -> Z a transverse Z (helicity -1 along the quark with weight
g_L^2, +1 with g_R^2); a transverse boson emits a light N like (3/4) sin^2 theta* about its spin
axis (boson_decays_to_n, Eq. 4). The source needs the density about the boson's direction of
flight (the axis of the node rule of :mod:`nudipole.production.meson_source`), so ``lo``
*assumes*:

1. the spin axis is the direction of flight. At LO (p_T = 0) the spin axis is the beam axis and
   a boson at rapidity y != 0 flies along it. With the p_T of the tables (mean 19 GeV for W,
   21 GeV for Z, from initial-state radiation) the spin axis (the Collins-Soper axis, which
   bisects the beams in the boson frame) is tilted against the flight direction by an angle
   delta of order p_T / M; for a transverse density, tilting the axis by delta and averaging
   over its azimuth multiplies the anisotropic (P_2) part of the density by
   P_2(cos delta) = 1 - (3/2) sin^2 delta (addition theorem of the Legendre polynomials), so the
   ``lo`` - ``unpolarised`` difference is overestimated by a factor 1 / P_2(cos delta) (numbers
   in docs/lhc-wz.md). A boson at a large polar angle (central rapidity, theta > ~0.5 rad) has
   p_T >~ p_z and its flight direction is far from the beam: there the assumption is a
   *model*, not an approximation; the two options bracket the truth for such bosons;
2. the quark comes from the proton moving along the boson's direction of flight (the valence
   quark carries the larger momentum fraction, so the boson follows it), in both hemispheres:
   the W has helicity -1 along its flight. This only fixes the sign of the small linear term
   (the forward-backward asymmetry, 2.3e-4 at m_N = 1 GeV, 0.023 at 10 GeV; boson_decays_to_n)
   of W+ (N) and W- (Nbar), opposite for the two charges; the Z density summed over
   Z -> nu Nbar + nubar N has no linear term.

``unpolarised`` gives the isotropic density (the meson source's behaviour).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Final, Literal

import numpy as np

from nudipole.constants import GAMMA_W, GAMMA_Z, M_W, M_Z
from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.boson_decays_to_n import (
    LO_W_HELICITY_ALONG_QUARK,
    angular_density_w,
    angular_density_z,
    branching_ratio_w_to_lepton_n,
    branching_ratio_z_to_nu_n,
)
from nudipole.physics.couplings import CouplingRatios
from nudipole.production.boson_spectra import WZ_TABLE_SETS, boson_spectrum
from nudipole.production.meson_table import FLAVOURS, lepton_mass
from nudipole.production.spectra import Spectrum

#: Channel names of the W/Z source, in this order everywhere.
BOSON_CHANNELS: Final[tuple[str, ...]] = ("W", "Z")
#: The parts (parent species with their own table and angular density) of each channel.
BOSON_PARTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"W": ("W+", "W-"), "Z": ("Z",)}
)
#: W/Z table sets (see :func:`nudipole.production.boson_spectra.boson_tables`).
BOSON_TABLE_SETS: Final[tuple[str, ...]] = WZ_TABLE_SETS


class BosonPolarisation(StrEnum):
    """Angular distribution of N in the boson rest frame (module docstring)."""

    #: Leading-order transverse polarisation about the boson's direction of flight.
    LO = "lo"
    #: Unpolarised boson: N emitted isotropically.
    UNPOLARISED = "unpolarised"


@dataclass(frozen=True)
class BosonPart:
    """One boson species that makes N: PDG id, mass and width (GeV, PDG via ``particle``),
    the accompanying fermion (charged lepton of the dipole's flavour, or a neutrino), the W
    charge (None for the Z) and the sources of its inputs."""

    name: str
    channel: str
    pdgid: int
    mass: float
    width: float
    recoil: Literal["lepton", "neutrino"]
    w_charge: int | None
    label: str
    sources: tuple[str, ...]

    @property
    def ctau_m(self) -> float:
        """c tau in metres: 0 (the bosons decay at the interaction point)."""
        return 0.0


_SOURCES_W = (
    "M_W, Gamma_W: PDG tables of the `particle` package (nudipole.constants)",
    "Gamma(W -> l N), angular density: derived, nudipole.physics.boson_decays_to_n",
    "spectra: nudipole.production.boson_spectra (data/spectra/wz)",
)
_SOURCES_Z = (
    "M_Z, Gamma_Z: PDG tables of the `particle` package (nudipole.constants)",
    "Gamma(Z -> nu Nbar + nubar N), angular density: nudipole.physics.boson_decays_to_n",
    "spectra: nudipole.production.boson_spectra (data/spectra/wz)",
)

_PARTS: Final[Mapping[str, BosonPart]] = MappingProxyType(
    {
        "W+": BosonPart("W+", "W", 24, M_W, GAMMA_W, "lepton", 1, "W+ -> l+ N", _SOURCES_W),
        "W-": BosonPart("W-", "W", -24, M_W, GAMMA_W, "lepton", -1, "W- -> l- Nbar", _SOURCES_W),
        "Z": BosonPart("Z", "Z", 23, M_Z, GAMMA_Z, "neutrino", None, "Z -> nu N", _SOURCES_Z),
    }
)


def is_boson(name: str) -> bool:
    """Whether ``name`` is a W/Z channel ("W", "Z") or part ("W+", "W-", "Z")."""
    return name in BOSON_PARTS or name in _PARTS


def boson_part(name: str) -> BosonPart:
    """The :class:`BosonPart` "W+", "W-" or "Z"."""
    if name not in _PARTS:
        raise ValueError(f"unknown boson part {name!r}; choose from {', '.join(_PARTS)}")
    return _PARTS[name]


def boson_parts(channel: str) -> tuple[str, ...]:
    """The parts of a W/Z channel: ("W+", "W-") for "W", ("Z",) for "Z"."""
    if channel not in BOSON_PARTS:
        raise ValueError(
            f"unknown W/Z channel {channel!r}; choose from {', '.join(BOSON_CHANNELS)}"
        )
    return BOSON_PARTS[channel]


def _check(part: str, m_n: float, flavour: str) -> tuple[BosonPart, float]:
    info = boson_part(part)
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour={flavour!r} is not one of {', '.join(FLAVOURS)}")
    mass = float(m_n)
    if not math.isfinite(mass) or mass < 0.0:
        raise ValueError(f"m_n={m_n!r} must be a finite HNL mass >= 0 in GeV")
    return info, mass


def recoil_mass(part: str, flavour: str) -> float:
    """Mass (GeV) of the fermion that accompanies N: the charged lepton of ``flavour`` for
    the W (PDG), 0 for the neutrino of the Z."""
    info = boson_part(part)
    return lepton_mass(flavour) if info.recoil == "lepton" else 0.0


def boson_allowed(name: str, m_n: float, flavour: str) -> bool:
    """Whether a W/Z channel or part is kinematically open: m_N + m_l < M_W (W, l of
    ``flavour``), m_N < M_Z (Z). A channel is open when one of its parts is."""
    parts = BOSON_PARTS.get(name, (name,))
    out = False
    for part in parts:
        info, mass = _check(part, m_n, flavour)
        out = out or mass + recoil_mass(part, flavour) < info.mass
    return out


def n_energy(part: str, m_n: float, flavour: str) -> float:
    """Energy of N in the boson rest frame (GeV), two-body kinematics (PDG review
    "Kinematics", two-body decays): E* = (M^2 + m_N^2 - m_f^2) / (2 M), m_f the charged lepton (W)
    or 0 (Z)."""
    info, mass = _check(part, m_n, flavour)
    m_f = recoil_mass(part, flavour)
    return (info.mass**2 + mass**2 - m_f**2) / (2.0 * info.mass)


def br_per_dv2(part: str, m_n: float, flavour: str) -> float:
    """Branching ratio per d_V^2 (GeV^2) of one parent of ``part``; 0 where closed.

    W+ and W-: Br(W+ -> l+ N) = Br(W- -> l- Nbar) per unit d_W^2 (one charge, one flavour;
    :func:`~nudipole.physics.boson_decays_to_n.branching_ratio_w_to_lepton_n`, derived).
    Z: Br(Z -> nu Nbar) + Br(Z -> nubar N) per unit d_Z^2
    (:func:`~nudipole.physics.boson_decays_to_n.branching_ratio_z_to_nu_n`): both charge
    states are already in it, so the one Z table is not counted twice.
    """
    info, mass = _check(part, m_n, flavour)
    if not boson_allowed(part, mass, flavour):
        return 0.0
    if info.recoil == "lepton":
        return float(branching_ratio_w_to_lepton_n(mass, 1.0, lepton_mass(flavour)))
    return float(branching_ratio_z_to_nu_n(mass, 1.0))


def coupling_ratio(part: str, ratios: CouplingRatios) -> float:
    """d_V / d_gamma of the boson of ``part``: d_W/d_gamma (W+-) or d_Z/d_gamma (Z)."""
    info = boson_part(part)
    return ratios.dw_over_dgamma if info.recoil == "lepton" else ratios.dz_over_dgamma


def weight_per_dgamma2(part: str, m_n: float, flavour: str, ratios: CouplingRatios) -> float:
    """N per parent per unit d_gamma^2 (GeV^2): Br(V -> f N) / d_V^2 x (d_V / d_gamma)^2
    (:func:`br_per_dv2`; the ratio from the scenario, :mod:`nudipole.physics.couplings`)."""
    r = coupling_ratio(part, ratios)
    return br_per_dv2(part, m_n, flavour) * r * r


@lru_cache(maxsize=256)
def energy_rule(
    part: str, m_n: float, flavour: str, ratios: CouplingRatios
) -> tuple[FloatArray, FloatArray]:
    """Parent-frame N energy (GeV) and weight (per d_gamma^2, GeV^2) of ``part`` as a
    one-node rule (two-body decay: :func:`n_energy`, :func:`weight_per_dgamma2`); empty
    arrays where the part is closed or its coupling vanishes. Read-only arrays (cached)."""
    weight = weight_per_dgamma2(part, m_n, flavour, ratios)
    if weight > 0.0:
        out = np.array([n_energy(part, m_n, flavour)]), np.array([weight])
    else:
        out = np.zeros(0), np.zeros(0)
    for arr in out:
        arr.setflags(write=False)
    return out


def cos_density(
    part: str,
    cos_theta: ArrayLike,
    m_n: float,
    flavour: str,
    polarisation: BosonPolarisation | str = BosonPolarisation.LO,
) -> FloatArray:
    """Density dGamma / (Gamma dcos theta*) of N (N-bar for W-) about the boson's direction
    of flight, normalised to 1 on [-1, 1] (module docstring: the assumptions of ``lo``).

    ``lo``: W+- with helicity -1 along the flight direction,
    :func:`~nudipole.physics.boson_decays_to_n.angular_density_w` (W+ -> l+ N: angle of N;
    W- -> l- Nbar: angle of Nbar); Z transverse, summed over Z -> nu Nbar + nubar N,
    :func:`~nudipole.physics.boson_decays_to_n.angular_density_z` (``state="sum"``; the same
    for helicity +1 and -1, so the g_L^2 : g_R^2 mixture does not matter). Both Eq. 4 of
    boson_decays_to_n (derived). ``unpolarised``: 1/2.
    """
    info, mass = _check(part, m_n, flavour)
    pol = BosonPolarisation(polarisation)
    c = np.asarray(cos_theta, dtype=float)
    if pol is BosonPolarisation.UNPOLARISED:
        return np.full(c.shape, 0.5)
    if info.recoil == "lepton":
        assert info.w_charge is not None
        return angular_density_w(
            c,
            mass,
            lepton_mass(flavour),
            LO_W_HELICITY_ALONG_QUARK,
            w_charge=info.w_charge,
        )
    return angular_density_z(c, mass, LO_W_HELICITY_ALONG_QUARK, state="sum")


def cos_density_many(
    part: str,
    cos_theta: ArrayLike,
    masses: ArrayLike,
    flavour: str,
    polarisation: BosonPolarisation | str = BosonPolarisation.LO,
) -> FloatArray:
    """:func:`cos_density` at every mass of ``masses`` (GeV) in one array pass: row i is
    ``cos_density(part, cos_theta, masses[i], flavour, polarisation)``, element by element
    the same arithmetic (the densities broadcast over m_N)."""
    m = np.asarray(masses, dtype=float).ravel()
    if not np.all(np.isfinite(m)) or np.any(m < 0.0):
        raise ValueError("masses must be finite HNL masses >= 0 in GeV")
    info, _ = _check(part, 0.0, flavour)
    pol = BosonPolarisation(polarisation)
    c = np.asarray(cos_theta, dtype=float)[None, :]
    if pol is BosonPolarisation.UNPOLARISED:
        return np.full((m.size, c.size), 0.5)
    if info.recoil == "lepton":
        assert info.w_charge is not None
        out = angular_density_w(
            c,
            m[:, None],
            lepton_mass(flavour),
            LO_W_HELICITY_ALONG_QUARK,
            w_charge=info.w_charge,
        )
    else:
        out = angular_density_z(c, m[:, None], LO_W_HELICITY_ALONG_QUARK, state="sum")
    return np.asarray(np.broadcast_to(out, (m.size, c.size)), dtype=float)


def part_tables(part: str, tables: str) -> tuple[tuple[Spectrum, bool], ...]:
    """The normalised spectra of ``part`` with a flag ``backward``: the forward table (theta
    from +z) and the backward one (theta from -z; the source puts those parents at pi - theta)
    of :func:`nudipole.production.boson_spectra.boson_spectrum`, normalised so that both
    hemispheres sum to the measured sigma(pp -> V X) at 14 TeV."""
    if tables not in BOSON_TABLE_SETS:
        raise ValueError(
            f"unknown W/Z table set {tables!r}; choose one of {', '.join(BOSON_TABLE_SETS)}"
        )
    pid = boson_part(part).pdgid
    return (
        (boson_spectrum(pid, "forward", tables=tables), False),
        (boson_spectrum(pid, "backward", tables=tables), True),
    )


__all__ = [
    "BOSON_CHANNELS",
    "BOSON_PARTS",
    "BOSON_TABLE_SETS",
    "BosonPart",
    "BosonPolarisation",
    "boson_allowed",
    "boson_part",
    "boson_parts",
    "br_per_dv2",
    "cos_density",
    "cos_density_many",
    "coupling_ratio",
    "energy_rule",
    "is_boson",
    "n_energy",
    "part_tables",
    "recoil_mass",
    "weight_per_dgamma2",
]
