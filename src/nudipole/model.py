"""Model parameters of the neutrino dipole portal.

The Lagrangian (seed paper, Zhang, Song, Ding, Chen, PLB 829 (2022) 137116,
arXiv:2204.07802, Eq. 1) is ``L ⊃ d_k nubar_L^k sigma_{mu nu} F^{mu nu} N + h.c.``.
Above the electroweak scale the same heavy neutral lepton couples through d_gamma, d_Z and d_W
(talk, Zhang & Liu, PRD 107 (2023) 095031, arXiv:2301.06050). The parameter objects carry all
three per flavour already, although the monophoton core uses only d_gamma.

Convention: ``d`` is the coefficient in Eq. 1, in GeV^-1. HNLimits and DarkNews quote
``mu_tr = 2 d``; conversions live in one place, :func:`mu_tr_from_d` / :func:`d_from_mu_tr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Flavour(StrEnum):
    """Active-neutrino flavour k of the dipole coupling d_k."""

    E = "e"
    MU = "mu"
    TAU = "tau"


class FlavourMode(StrEnum):
    """Which flavours carry the dipole of a far-detector scan: one flavour k (d_k alone), or
    all three with the same coupling (``universal``: d_e = d_mu = d_tau = d; the talk's left
    LLP panel, W. Liu, Y. Zhang, EPJC 83 (2023) 568, arXiv:2302.02081)."""

    E = "e"
    MU = "mu"
    TAU = "tau"
    UNIVERSAL = "universal"

    @property
    def flavours(self) -> tuple[Flavour, ...]:
        """The flavours with a non-zero dipole: all three for ``universal``, else one."""
        if self is FlavourMode.UNIVERSAL:
            return tuple(Flavour)
        return (Flavour(self.value),)


class Nature(StrEnum):
    """Dirac or Majorana heavy neutral lepton.

    Dirac (the seed's choice): N nubar and Nbar nu are distinct final states, each with the
    cross section of seed Eq. 3; Gamma(N -> nu gamma) is seed Eq. 4.
    Majorana: N = Nbar, so the production cross section is the sum of the two Dirac channels,
    the width is twice seed Eq. 4 (N -> nu gamma and N -> nubar gamma) and the photon
    angular distribution in the N rest frame is isotropic (PHYSICS.md §2).
    """

    DIRAC = "dirac"
    MAJORANA = "majorana"


@dataclass(frozen=True, slots=True)
class DipoleCouplings:
    """Dipole couplings of N to one active flavour, in GeV^-1.

    Attributes
    ----------
    d_gamma, d_z, d_w
        Photon, Z and W dipole couplings (talk's d_gamma, d_Z, d_W), GeV^-1.
    """

    d_gamma: float = 0.0
    d_z: float = 0.0
    d_w: float = 0.0

    def __post_init__(self) -> None:
        for name in ("d_gamma", "d_z", "d_w"):
            value = getattr(self, name)
            if value != value:  # NaN check without numpy
                raise ValueError(f"dipole coupling {name} is NaN")


@dataclass(frozen=True, slots=True)
class HeavyNeutralLepton:
    """A heavy neutral lepton with dipole couplings per flavour.

    Attributes
    ----------
    mass
        m_N in GeV (> 0).
    couplings
        Mapping flavour -> :class:`DipoleCouplings`; flavours not listed couple with zero.
    nature
        :class:`Nature` (Dirac by default, as in the seed paper).
    """

    mass: float
    couplings: dict[Flavour, DipoleCouplings] = field(default_factory=dict)
    nature: Nature = Nature.DIRAC

    def __post_init__(self) -> None:
        if not self.mass > 0.0:
            raise ValueError(f"HNL mass must be positive, got {self.mass} GeV")

    def coupling(self, flavour: Flavour) -> DipoleCouplings:
        """Couplings to ``flavour`` (zero if not set)."""
        return self.couplings.get(flavour, DipoleCouplings())

    @property
    def d_gamma_total_sq(self) -> float:
        """Sum over flavours of d_gamma^2 (GeV^-2): what the N -> nu gamma width depends on."""
        return sum(c.d_gamma**2 for c in self.couplings.values())


def mu_tr_from_d(d: float) -> float:
    """Transition magnetic moment in the HNLimits/DarkNews convention, mu_tr = 2 d (GeV^-1)."""
    return 2.0 * d


def d_from_mu_tr(mu_tr: float) -> float:
    """Inverse of :func:`mu_tr_from_d`: d = mu_tr / 2 (GeV^-1)."""
    return 0.5 * mu_tr
