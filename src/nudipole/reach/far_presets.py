"""Modelling presets for far-detector (LHC) experiments.

``paper``
    The convention of the LHC dipole-portal studies (talk; Barducci et al., PRD 108 (2023)
    115009, arXiv:2308.16608): every N -> nu gamma decay inside the detector volume counts,
    no photon selection, no background, and the 95 % CL region is N_signal >= 3 events.
``default``
    Adds the detector's photon selection from its TOML file (photon energy threshold and
    efficiency) and its expected background, with the median expected CLs Poisson limit
    (:func:`nudipole.stats.poisson.expected_signal_limit`; 2.996 events at B = 0).

Both count the two charge states (N from N-bar's conjugate decays) of a Dirac N and use the
point-like P -> gamma gamma* form factor; ``form_factor="vmd"`` and ``nature="majorana"`` are
explicit options.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from nudipole.model import Nature


class FarStatistic(StrEnum):
    """How the 95 % CL region of a far detector is defined."""

    #: N_signal >= 3 (background-free convention of the LHC papers).
    THREE_EVENTS = "three-events"
    #: N_signal >= median expected CLs limit for the detector's background.
    POISSON_CLS = "poisson-cls"


class FormFactor(StrEnum):
    """P -> gamma gamma* transition form factor of the neutral pseudoscalars."""

    POINT = "point"
    VMD = "vmd"


class ErrorRule(StrEnum):
    """The second rule against which a far detector's ``d95_error`` and ``d95_upper_error``
    are taken (the change of each edge under it; ``benchmarks/far_convergence.py`` compares
    the two)."""

    #: Every integration rule halved (``SourceOptions.coarsened``): cheap (+20-45 %), a
    #: conservative estimate of the default rule's error, 0.01-2 % where the error is below
    #: 0.21 %; larger than the error at 83 of 84 points checked (FASER-2, FACET, MAPP-2, both
    #: presets, 14 masses each; FACET at 13 MeV, paper: 0.024 % against 0.081 %, where the
    #: halved rule's own error happens to cancel).
    HALVED = "halved"
    #: Every integration rule doubled (``SourceOptions.refined``): an estimate of the default
    #: rule's error itself (the doubled rule is far more accurate); the doubled pass costs
    #: 13-33 times the band itself (FASER-2, FACET, MAPP-2; the parents' bins spread over 2 x 2
    #: nodes, the fastest over 4 x 4).
    DOUBLED = "doubled"


@dataclass(frozen=True)
class FarPreset:
    """Conventions of a far-detector reach (see module docstring)."""

    name: str
    photon_selection: bool
    statistic: FarStatistic
    nature: Nature = Nature.DIRAC
    form_factor: FormFactor = FormFactor.POINT
    description: str = ""

    def with_overrides(
        self, *, nature: Nature | None = None, form_factor: FormFactor | None = None
    ) -> FarPreset:
        changes: dict[str, object] = {}
        if nature is not None and nature != self.nature:
            changes["nature"] = nature
        if form_factor is not None and form_factor != self.form_factor:
            changes["form_factor"] = form_factor
        if not changes:
            return self
        label = ",".join(f"{k}={v}" for k, v in changes.items())
        return replace(self, name=f"{self.name}[{label}]", **changes)  # type: ignore[arg-type]


FAR_PRESETS: dict[str, FarPreset] = {
    "default": FarPreset(
        "default",
        photon_selection=True,
        statistic=FarStatistic.POISSON_CLS,
        description="photon selection and background from the detector file, CLs Poisson limit",
    ),
    "paper": FarPreset(
        "paper",
        photon_selection=False,
        statistic=FarStatistic.THREE_EVENTS,
        description="every decay in the volume counts, no background, N >= 3 (arXiv:2308.16608)",
    ),
}


def get_far_preset(name: str) -> FarPreset:
    if name not in FAR_PRESETS:
        raise ValueError(f"unknown preset {name!r}: choose one of {', '.join(FAR_PRESETS)}")
    return FAR_PRESETS[name]
