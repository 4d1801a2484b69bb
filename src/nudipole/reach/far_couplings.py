"""Couplings and signal of a far-detector band: the N width and the signal fraction.

The band solve (:mod:`nudipole.reach.band`) needs, per mass, the total width per unit u and
the fraction of decays that make the signal. With the electroweak dipoles fixed relative to
d_gamma (d_Z = r_Z d_gamma, d_W = r_W d_gamma; scenario or a = d_W/d_B,
:mod:`nudipole.physics.couplings`; talk; Zhang & Liu, PRD 107 (2023) 095031,
arXiv:2301.06050; Liu & Zhang, EPJC 83 (2023) 568, arXiv:2302.02081), u = d_gamma^2 and

* the decay length is p / (m_N Gamma_N) with Gamma_N = u x Gamma_total(m_N; 1, r_Z, r_W) of
  :func:`nudipole.physics.decay_ew.total_width` (nu gamma, nu Z(*) -> nu f fbar, l W(*) -> l f
  fbar', per flavour; derived there);
* the signal is N -> nu gamma in the volume (``photon``, the default): every ray's prefactor
  is multiplied by Br(N -> nu gamma); or every visible decay (``visible``): nu gamma and the
  three-body decays with charged particles, i.e. all of ``l W(*)`` and ``nu Z(*)`` except
  Z* -> nu nubar (N -> nu nu nubar is invisible). Visible decays other than nu gamma count with
  efficiency 1 and no energy threshold (**estimated**: the LLP detectors are built for charged
  tracks); the photon selection of the ``default`` preset applies to nu gamma only.

Flavour-universal dipole (``universal``, :class:`nudipole.model.FlavourMode`; d_e = d_mu = d_tau
= d): the width sums the three flavours at the same d. decay_ew.partial_widths sums
Gamma(N -> nu_k gamma) over k (seed Eq. 4 per flavour: 3 x the one-flavour photon width), nu
Z(*) with sum_k d_Z^k^2 = 3 d_Z^2 (massless nu_k: 3 x) and l_k W(*) per flavour with its lepton
mass (N -> tau W* closes below m_tau, so the W part is not exactly 3 x); the invisible part
likewise with 3 d_Z^2. The production of the three flavours is summed by
:func:`nudipole.reach.far_scan.compute_far_reach`.

Without a scenario (:data:`PHOTON_ONLY`, the meson-only default) the width is
Gamma(N -> nu gamma) = d^2 m^3 / (4 pi) (seed Eq. 4, :func:`nudipole.physics.decay.
width_nu_gamma`) and the signal fraction 1, exactly as before the W/Z source existed: the
numbers of the meson source do not change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from nudipole.model import Flavour, FlavourMode, Nature
from nudipole.physics import decay_ew
from nudipole.physics.couplings import CouplingRatios, Scenario
from nudipole.physics.decay import width_nu_gamma
from nudipole.physics.sm import SMParameters
from nudipole.physics.vector_boson import z_star_channels
from nudipole.reach.model import PHOTON_ONLY, CouplingModel, make_model


class FarSignal(StrEnum):
    """Which decays inside the volume make the signal (module docstring)."""

    #: N -> nu gamma (the default).
    PHOTON = "photon"
    #: Every visible decay: nu gamma, l f fbar', nu f fbar (not nu nu nubar).
    VISIBLE = "visible"


@lru_cache(maxsize=4096)
def _partial_widths_unit(
    m_n: float,
    nature: Nature,
    flavours: tuple[Flavour, ...],
    ratios: CouplingRatios,
    sm: SMParameters,
) -> tuple[float, float, float, float]:
    """(nu gamma, nu Z(*), l W(*), nu nu nubar) widths of N at d_gamma = 1 GeV^-1, GeV, with
    the same d_gamma, d_Z = r_Z, d_W = r_W for every flavour of ``flavours``.

    The first three are :func:`nudipole.physics.decay_ew.partial_widths` (summed over the
    flavours there); the last is the invisible part of ``nu Z(*)``,
    :func:`nudipole.physics.decay_ew.width_nu_z_offshell` with only the Z* -> nu nubar pair
    of :func:`nudipole.physics.vector_boson.z_star_channels` (three neutrino flavours) and
    d_Z^2 summed over the flavours (as partial_widths does: massless nu_k).
    """
    couplings = {flavour: ratios.couplings(1.0) for flavour in flavours}
    widths = decay_ew.partial_widths(m_n, couplings, nature, sm=sm)
    nu_pairs = [c for c in z_star_channels(sm, True) if c.name == "nu"]
    invisible = 0.0
    if ratios.dz_over_dgamma != 0.0:
        dz_all = abs(ratios.dz_over_dgamma) * math.sqrt(len(flavours))
        invisible = float(
            decay_ew.width_nu_z_offshell(m_n, dz_all, nature, channels=nu_pairs, sm=sm)
        )
    return (
        float(widths["nu gamma"]),
        float(widths["nu Z(*)"]),
        float(widths["l W(*)"]),
        invisible,
    )


@dataclass(frozen=True)
class FarCouplings:
    """The coupling model of a far-detector band and its signal (module docstring).

    Attributes
    ----------
    model
        Flavour and d_Z/d_gamma, d_W/d_gamma (:class:`~nudipole.reach.model.CouplingModel`;
        :data:`~nudipole.reach.model.PHOTON_ONLY` by default: d_Z = d_W = 0).
    signal
        :class:`FarSignal`.
    universal
        Flavour-universal dipole (d_e = d_mu = d_tau, module docstring): the width sums the
        three flavours (``model.flavour`` is then not used).
    """

    model: CouplingModel = field(default_factory=lambda: PHOTON_ONLY)
    signal: FarSignal = FarSignal.PHOTON
    universal: bool = False

    def __post_init__(self) -> None:
        # the other visible decays go through the Z and the W: without them "visible" would
        # count N -> nu gamma alone, the photon signal under another name
        if self.signal is FarSignal.VISIBLE and self.photon_only:
            raise ValueError(
                "--signal visible (signal='visible') adds N's decays through the Z and W "
                "(l f f', nu f f), which the photon-only couplings have none of: give "
                "--scenario or --a, or drop it"
            )

    @property
    def mode(self) -> FlavourMode:
        """The flavour choice: ``universal`` or the model's flavour."""
        return FlavourMode.UNIVERSAL if self.universal else FlavourMode(self.model.flavour.value)

    @property
    def flavours(self) -> tuple[Flavour, ...]:
        """The flavours with a dipole (all three when universal)."""
        return self.mode.flavours

    @property
    def photon_only(self) -> bool:
        """d_Z = d_W = 0: the photon-only width and signal (unchanged meson numbers)."""
        return self.model.photon_only

    @property
    def ratios(self) -> CouplingRatios | None:
        """d_Z/d_gamma and d_W/d_gamma for the W/Z source; None when photon only."""
        return None if self.photon_only else self.model.ratios

    def _widths(self, m_n: float, nature: Nature) -> tuple[float, float, float, float]:
        return _partial_widths_unit(
            float(m_n), Nature(nature), self.flavours, self.model.ratios, self.model.sm
        )

    def width_unit(self, m_n: float, nature: Nature) -> float:
        """Total width of N per unit d_gamma^2, GeV^3 (GeV at d_gamma = 1 GeV^-1).

        Photon only: Gamma(N -> nu gamma) / d^2 = m^3 / (4 pi) (seed Eq. 4; x 2 Majorana),
        times the number of flavours (3 when universal: sum_k d_k^2 = 3 d^2).
        Otherwise the sum of :func:`nudipole.physics.decay_ew.partial_widths`.
        """
        if self.photon_only:
            return float(width_nu_gamma(m_n, 1.0, nature)) * len(self.flavours)
        return math.fsum(self._widths(m_n, nature)[:3])

    def signal_fractions(self, m_n: float, nature: Nature) -> tuple[float, float]:
        """(Br(N -> nu gamma), Br of the other visible decays counted as signal).

        ``photon``: (Br(nu gamma), 0); ``visible``: (Br(nu gamma), [Gamma(nu Z(*)) -
        Gamma(nu nu nubar) + Gamma(l W(*))] / Gamma_total). Photon only: (1, 0) exactly.
        """
        if self.photon_only:
            return 1.0, 0.0
        g_gamma, g_z, g_w, g_inv = self._widths(m_n, nature)
        total = math.fsum((g_gamma, g_z, g_w))
        if not total > 0.0:
            return 0.0, 0.0
        other = max(g_z - g_inv, 0.0) + g_w if self.signal is FarSignal.VISIBLE else 0.0
        return g_gamma / total, other / total

    def describe(self) -> dict[str, Any]:
        """For the result metadata: the coupling model (as the e+ e- results) and the signal."""
        if self.photon_only:
            return {"couplings": "photon only", "flavour": str(self.mode)}
        out = self.model.describe()
        out.pop("w_interference", None)  # an e+ e- production option
        out["flavour"] = str(self.mode)
        return out


#: The photon-only model with the N -> nu gamma signal (the meson-only default).
PHOTON_SIGNAL = FarCouplings()


def make_far_couplings(
    flavour: Flavour | FlavourMode | str = Flavour.E,
    scenario: str | None = None,
    a: float | None = None,
    sin2w: float | None = None,
    signal: FarSignal | str = FarSignal.PHOTON,
) -> FarCouplings:
    """:class:`FarCouplings` from a named scenario (I-IV, A-D) or a = d_W/d_B at sin^2 theta_w
    (:func:`nudipole.reach.model.make_model`; photon only if neither), the signal and the
    flavour (e, mu, tau or ``universal``, :class:`nudipole.model.FlavourMode`).

    ``a`` = +-inf is d_B = 0, scenario II, as in the e+ e- models
    (:func:`nudipole.physics.couplings.ratios_from_a`). Raises ValueError for a NaN ``a``, a
    ``sin2w`` outside (0, 1) or without a scenario or ``a`` (the photon-only width has none),
    both a scenario and ``a``, an unknown flavour, scenario or signal, the ``visible`` signal
    without a scenario or ``a`` (:class:`FarCouplings`), and at the pole a = -2 cot theta_w
    (d_gamma = 0).
    """
    try:
        mode = FlavourMode(flavour)
    except ValueError:
        raise ValueError(
            f"unknown flavour {flavour!r}; choose one of {', '.join(f.value for f in FlavourMode)}"
        ) from None
    if a is not None and math.isnan(float(a)):
        raise ValueError(f"--a {a}: a = d_W/d_B must be a number (or inf: d_B = 0, scenario II)")
    if sin2w is not None and not (math.isfinite(float(sin2w)) and 0.0 < float(sin2w) < 1.0):
        raise ValueError(f"--sin2w must lie in (0, 1), got {sin2w!r}")
    if sin2w is not None and scenario is None and a is None:
        # (an e+ e- run's background uses it; a far detector's photon-only width does not)
        raise ValueError(
            f"--sin2w {sin2w} sets d_Z and d_W of a --scenario or --a; the photon-only "
            "couplings of a far detector use no sin^2(theta_w): give --scenario or --a, or "
            "drop it"
        )
    try:
        chosen = FarSignal(signal)
    except ValueError:
        raise ValueError(
            f"unknown signal {signal!r}; choose one of {', '.join(s.value for s in FarSignal)}"
        ) from None
    if scenario is not None:
        try:
            Scenario(scenario)
        except ValueError:
            raise ValueError(
                f"unknown scenario {scenario!r}; choose one of "
                f"{', '.join(s.value for s in Scenario)}"
            ) from None
    universal = mode is FlavourMode.UNIVERSAL
    model_flavour = Flavour.E if universal else Flavour(mode.value)
    return FarCouplings(make_model(model_flavour, scenario, a, sin2w), chosen, universal)


__all__ = ["PHOTON_SIGNAL", "FarCouplings", "FarSignal", "make_far_couplings"]
