"""The coupling model of a reach scan: which flavour, and how d_Z and d_W follow d_gamma.

A scan solves for d_gamma with the ratios d_Z/d_gamma and d_W/d_gamma held fixed (a named
scenario or a = d_W/d_B, :mod:`nudipole.physics.couplings`). Everything the signal needs then
scales with d_gamma^2 times a function of (sqrt(s), m_N):

* production e+ e- -> N nubar (one charge state): sigma(d_gamma = 1) and its angular shape
  (:mod:`nudipole.physics.production_ew`; the t-channel W only for the electron flavour);
* the N polarisation behind the spin-correlated photon distribution;
* the total width and Br(N -> nu gamma) (:mod:`nudipole.physics.decay_ew`).

With d_Z = d_W = 0 (:data:`PHOTON_ONLY`, the seed's model) the photon-only functions of
:mod:`nudipole.physics.production` and :mod:`nudipole.physics.decay` are used unchanged, so the
monophoton core results are reproduced exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from nudipole.model import DipoleCouplings, Flavour, Nature
from nudipole.physics import decay_ew, polarization_ew, production_ew
from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.couplings import (
    CouplingRatios,
    Scenario,
    ratios_from_a,
    scenario_ratios,
)
from nudipole.physics.decay import width_nu_gamma
from nudipole.physics.production import sigma as sigma_photon
from nudipole.physics.sm import SM, EWScheme, SMParameters


@dataclass(frozen=True)
class CouplingModel:
    """Flavour and fixed coupling ratios of a scan.

    Attributes
    ----------
    flavour
        Active flavour k of d_k (the W t-channel and N -> l W depend on it).
    ratios
        d_Z/d_gamma and d_W/d_gamma.
    sm
        Standard-Model inputs of production, polarisation and widths; its ``sin2w`` is also
        the sin^2 theta_w of the ratios.
    label
        How the ratios were chosen ("photon only", "scenario I", "a = -3").
    w_interference
        Keep the interference of the t-channel W with the gamma and Z amplitudes (physical,
        default). False drops the pieces gamma_w and z_w from the cross sections, as the talk's
        slide does (its sigma^gamma, sigma^Z, sigma^gammaZ, sigma^W only); the polarisation is
        still the full one. Only the electron flavour has a W piece.
    """

    flavour: Flavour = Flavour.E
    ratios: CouplingRatios = field(default_factory=lambda: CouplingRatios(0.0, 0.0))
    sm: SMParameters = SM
    label: str = "photon only"
    w_interference: bool = True

    def __post_init__(self) -> None:
        # dropping a W piece that this model has not would be an option silently ignored
        if not self.w_interference and self._production_dw() == 0.0:
            raise ValueError(
                "--no-w-interference (w_interference=False) drops the t-channel W of "
                f"e+e- -> N nu_e; this model (flavour {self.flavour.value}, {self.label}) has "
                "none: give --flavour e with a --scenario or --a that has d_W, or drop it"
            )

    @property
    def photon_only(self) -> bool:
        return self.ratios.dz_over_dgamma == 0.0 and self.ratios.dw_over_dgamma == 0.0

    def couplings(self, d_gamma: float = 1.0) -> DipoleCouplings:
        """d_gamma, d_Z, d_W (GeV^-1) of this flavour at the given d_gamma."""
        return self.ratios.couplings(d_gamma)

    def _production_dw(self) -> float:
        # The t-channel W connects the e- beam to N: only d_W of the electron flavour enters.
        return self.ratios.dw_over_dgamma if self.flavour is Flavour.E else 0.0

    def with_scheme(self, scheme: EWScheme) -> CouplingModel:
        """This model in the electroweak scheme ``scheme`` (the other SM inputs kept)."""
        if self.sm.scheme is scheme:
            return self
        return replace(self, sm=replace(self.sm, scheme=scheme))

    def sigma_unit(self, s: ArrayLike, m_n: ArrayLike) -> FloatArray:
        """sigma(e+ e- -> N nubar) at d_gamma = 1 GeV^-1, GeV^-2 (one charge state); ``s`` and
        ``m_n`` broadcast together.

        Photon only: seed Eq. 3 with the photon coupling of the scheme,
        alpha = ``sm.alpha_photon(s)``.
        """
        if self.photon_only:
            alpha = self.sm.alpha_photon(s)
            return np.asarray(sigma_photon(s, m_n, 1.0, alpha=alpha), dtype=float)
        pieces = production_ew.sigma_pieces(s, m_n, *self._unit_couplings(), sm=self.sm)
        return self._sum(pieces)

    def _sum(self, pieces: production_ew.ProductionPieces) -> FloatArray:
        if self.w_interference:
            return np.asarray(pieces.total, dtype=float)
        kept = pieces.gamma + pieces.z + pieces.gamma_z + pieces.w
        return np.asarray(kept, dtype=float)

    def dsigma_unit(
        self, s: ArrayLike, m_n: ArrayLike, cos_theta: ArrayLike, charge_conjugate: bool
    ) -> FloatArray:
        """d sigma / d cos(theta) at d_gamma = 1 (GeV^-2) of N nubar, or of Nbar nu."""
        pieces = production_ew.dsigma_dcos_pieces(
            s, m_n, cos_theta, *self._unit_couplings(), sm=self.sm,
            charge_conjugate=charge_conjugate,
        )  # fmt: skip
        return np.maximum(self._sum(pieces), 0.0)

    def _unit_couplings(self) -> tuple[float, float, float]:
        """(d_gamma, d_Z, d_W) at d_gamma = 1 as production sees them."""
        return 1.0, self.ratios.dz_over_dgamma, self._production_dw()

    def photon_polarization(
        self, s: ArrayLike, m_n: ArrayLike, cos_theta: ArrayLike, charge_conjugate: bool
    ) -> tuple[FloatArray, FloatArray]:
        """(p_long, p_trans) for :func:`nudipole.physics.angular.photon_angular_density`."""
        return polarization_ew.photon_density_polarization(
            s, m_n, cos_theta, *self._unit_couplings(), sm=self.sm,
            charge_conjugate=charge_conjugate,
        )  # fmt: skip

    def width_unit(self, m_n: float, nature: Nature) -> float:
        """Total width of N at d_gamma = 1 GeV^-1, GeV (all channels of decay_ew)."""
        if self.photon_only:
            return float(width_nu_gamma(m_n, 1.0, nature))
        couplings = {self.flavour: self.couplings()}
        return float(decay_ew.total_width(m_n, couplings, nature, sm=self.sm))

    def widths_unit(self, m_n: FloatArray, nature: Nature) -> FloatArray:
        """:meth:`width_unit` at every mass of ``m_n`` in one call (GeV)."""
        return self.widths_and_br(m_n, nature)[0]

    def widths_and_br(self, m_n: FloatArray, nature: Nature) -> tuple[FloatArray, FloatArray]:
        """(:meth:`width_unit`, :meth:`br_nu_gamma`) at every mass of ``m_n``, from one
        evaluation of the partial widths."""
        if self.photon_only:
            width = np.asarray(width_nu_gamma(m_n, 1.0, nature), dtype=float)
            return width, np.ones_like(width)
        couplings = {self.flavour: self.couplings()}
        total, ratios = decay_ew.width_and_branching_ratios(m_n, couplings, nature, sm=self.sm)
        return np.asarray(total, dtype=float), np.asarray(ratios["nu gamma"], dtype=float)

    def br_nu_gamma(self, m_n: float, nature: Nature) -> float:
        """Br(N -> nu gamma), independent of d_gamma at fixed ratios."""
        if self.photon_only:
            return 1.0
        return float(
            decay_ew.branching_ratio_nu_gamma(
                m_n, {self.flavour: self.couplings()}, nature, sm=self.sm
            )
        )

    def describe(self) -> dict[str, object]:
        """For the result metadata."""
        return {
            "flavour": str(self.flavour),
            "couplings": self.label,
            "dZ_over_dgamma": self.ratios.dz_over_dgamma,
            "dW_over_dgamma": self.ratios.dw_over_dgamma,
            "sin2w": self.sm.sin2w,
            "ew_scheme": str(self.sm.scheme),
            "w_interference": self.w_interference,
        }


PHOTON_ONLY = CouplingModel()


def make_model(
    flavour: Flavour | str = Flavour.E,
    scenario: Scenario | str | None = None,
    a: float | None = None,
    sin2w: float | None = None,
    w_interference: bool = True,
) -> CouplingModel:
    """A coupling model from a scenario name or a = d_W/d_B (photon only if neither)."""
    if scenario is not None and a is not None:
        raise ValueError("give either a scenario or a = d_W/d_B, not both")
    sm = SM if sin2w is None else replace(SM, sin2w=float(sin2w))
    fl = Flavour(flavour)
    if scenario is not None:
        try:
            sc = Scenario(scenario)
        except ValueError:
            raise ValueError(
                f"unknown scenario {scenario!r}; choose one of "
                f"{', '.join(s.value for s in Scenario)}"
            ) from None
        return CouplingModel(
            fl, scenario_ratios(sc, sm.sin2w), sm, f"scenario {sc.value}", w_interference
        )
    if a is not None:
        return CouplingModel(fl, ratios_from_a(a, sm.sin2w), sm, f"a = {a:g}", w_interference)
    return CouplingModel(fl, CouplingRatios(0.0, 0.0), sm, "photon only", w_interference)
