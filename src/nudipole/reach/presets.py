"""Modelling presets: named bundles of conventions.

``default``
    The physically correct treatment: spin-correlated photon emission (full production
    polarisation, PHYSICS.md §2-3), both charge states N nubar and Nbar nu, the decay
    vertex drawn in the laboratory frame inside the detector's fiducial cylinder, and one
    electroweak scheme for signal, background and published limits (``gmu``: G_F, M_Z, M_W and
    the running alpha(s); :mod:`nudipole.physics.sm`).
``paper``
    The conventions that reproduce the published numbers of the seed (Zhang, Song, Ding, Chen,
    PLB 829 (2022) 137116): isotropic photon emission in the N rest frame, both charge
    states, and the seed's single detector length l_D with the CM-frame N momentum (seed
    Eqs. 5-7), and the seed's couplings: alpha(0) at the photon vertex, G_F in the SM background
    (electroweak scheme ``gmu-alpha0``). See docs/conventions.md for the numbers behind this
    choice.

Both use the seed's chi^2 = S^2/(S+B) statistic; :class:`~nudipole.stats.Statistic` can be
overridden per call.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from nudipole.model import Nature
from nudipole.physics.angular import PhotonAngular
from nudipole.physics.sm import EWScheme
from nudipole.stats import Statistic


class ChargeStates(StrEnum):
    """Which Dirac final states are counted: both N nubar and Nbar nu, or N nubar only."""

    BOTH = "both"
    N_ONLY = "n-only"


class DecayModel(StrEnum):
    """Where N must decay for its photon to count.

    ``fixed-length``: seed Eqs. 5-7, P = 1 - exp(-l_D / l_dec) with l_dec from the CM momentum.
    ``lab-volume``: P = 1 - exp(-L / l_dec) with L the lab-frame path to the surface of the
    detector's fiducial cylinder along the N direction and l_dec from the lab momentum.
    """

    FIXED_LENGTH = "fixed-length"
    LAB_VOLUME = "lab-volume"


@dataclass(frozen=True)
class Preset:
    """A bundle of modelling conventions (see module docstring)."""

    name: str
    photon_angular: PhotonAngular
    charge_states: ChargeStates
    decay_model: DecayModel
    statistic: Statistic = Statistic.CHI2
    nature: Nature = Nature.DIRAC
    description: str = ""
    #: Electroweak input scheme of signal, background and published-limit conversions
    #: (:class:`~nudipole.physics.sm.EWScheme`; docs/electroweak.md "Input scheme").
    ew_scheme: EWScheme = EWScheme.GMU

    @property
    def effective_photon_angular(self) -> PhotonAngular:
        """The photon model actually used: a Majorana N decays isotropically (the nu gamma and
        nubar gamma modes have opposite asymmetries and equal rates, PHYSICS.md §2)."""
        if self.nature is Nature.MAJORANA:
            return PhotonAngular.ISOTROPIC
        return self.photon_angular

    def with_overrides(
        self,
        *,
        photon_angular: PhotonAngular | None = None,
        charge_states: ChargeStates | None = None,
        decay_model: DecayModel | None = None,
        statistic: Statistic | None = None,
        nature: Nature | None = None,
        ew_scheme: EWScheme | None = None,
    ) -> Preset:
        """A copy with some conventions replaced; the name records the change."""
        changes: dict[str, object] = {}
        for key, value in (
            ("photon_angular", photon_angular),
            ("charge_states", charge_states),
            ("decay_model", decay_model),
            ("statistic", statistic),
            ("nature", nature),
            ("ew_scheme", ew_scheme),
        ):
            if value is not None and value != getattr(self, key):
                changes[key] = value
        if not changes:
            return self
        label = ",".join(f"{k}={v}" for k, v in changes.items())
        return replace(self, name=f"{self.name}[{label}]", **changes)  # type: ignore[arg-type]


DEFAULT = Preset(
    name="default",
    photon_angular=PhotonAngular.SPIN_CORRELATED,
    charge_states=ChargeStates.BOTH,
    decay_model=DecayModel.LAB_VOLUME,
    description=(
        "physically correct: spin-correlated photons, both charge states, lab-frame decay volume"
    ),
)

PAPER = Preset(
    name="paper",
    photon_angular=PhotonAngular.ISOTROPIC,
    charge_states=ChargeStates.BOTH,
    decay_model=DecayModel.FIXED_LENGTH,
    description=(
        "reproduces arXiv:2204.07802: isotropic photons, both charge states, "
        "fixed l_D with the CM momentum, alpha(0) at the photon vertex"
    ),
    ew_scheme=EWScheme.GMU_ALPHA0,
)

PRESETS: dict[str, Preset] = {p.name: p for p in (DEFAULT, PAPER)}


def get_preset(name: str) -> Preset:
    """Look up a preset by name."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}: choose one of {', '.join(PRESETS)}")
    return PRESETS[name]
