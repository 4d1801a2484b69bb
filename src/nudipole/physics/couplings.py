"""Electroweak dipole couplings: from the gauge-invariant d_W, d_B to d_gamma, d_Z, d_W.

Above the electroweak scale the dipole portal is (talk, Zhang, BESIII New Physics Forum 2024;
Zhang & Liu, PRD 107 (2023) 095031, arXiv:2301.06050, Eq. 2)

    L ⊃ Lbar (d_W W^a_{mu nu} tau^a + d_B B_{mu nu}) Htilde sigma^{mu nu} N + h.c.,

and after symmetry breaking, with v the Higgs vacuum expectation value,

    d_gamma = v/sqrt2 (d_B cos θ_w + d_W/2 sin θ_w),
    d_Z     = v/sqrt2 (d_W/2 cos θ_w - d_B sin θ_w),
    d_W     = v/sqrt2 (d_W/2) sqrt2            (the charged-current coupling)

(talk, slide "Above EW scale"). Writing d_W^{gauge} = a d_B, the ratios to d_gamma depend on a
and θ_w only (talk; PHYSICS.md §1):

    d_Z / d_gamma = (a cos θ_w - 2 sin θ_w) / (2 cos θ_w + a sin θ_w),
    d_W / d_gamma = sqrt2 a / (2 cos θ_w + a sin θ_w).

Named scenarios: I-IV of the electron-collider paper (arXiv:2301.06050, Table I) and A-D of
the LHC paper (Liu & Zhang, EPJC 83 (2023) 568, arXiv:2302.02081, Table I). Scenario II
(d_B = 0) is the limit a -> infinity. sin^2 θ_w is always an argument: the talk's numbers for
C and D use sin^2 θ_w = 0.2293.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from nudipole.model import DipoleCouplings
from nudipole.physics.sm import check_sin2w


class Scenario(StrEnum):
    """Named relations between d_W^{gauge} and d_B (talk's tables)."""

    I = "I"  # noqa: E741 - the papers' name; d_W^{gauge} = 0
    II = "II"  # d_B = 0
    III = "III"  # a = 2 tan θ_w: d_Z = 0
    IV = "IV"  # a = -2 tan θ_w
    A = "A"  # = I
    B = "B"  # = III
    C = "C"  # a = -3
    D = "D"  # a = -3.73


@dataclass(frozen=True, slots=True)
class CouplingRatios:
    """d_Z / d_gamma and d_W / d_gamma (dimensionless)."""

    dz_over_dgamma: float
    dw_over_dgamma: float

    def couplings(self, d_gamma: float) -> DipoleCouplings:
        """The three couplings (GeV^-1) for a given d_gamma (GeV^-1)."""
        return DipoleCouplings(
            d_gamma=d_gamma,
            d_z=self.dz_over_dgamma * d_gamma,
            d_w=self.dw_over_dgamma * d_gamma,
        )


def _check_sin2w(sin2w: float) -> tuple[float, float]:
    check_sin2w(sin2w)
    return math.sqrt(sin2w), math.sqrt(1.0 - sin2w)


def _clean(ratio: float) -> float:
    """Rounding leaves ~1e-17 where a ratio vanishes exactly (scenario III): make it 0."""
    return 0.0 if abs(ratio) < 1e-12 else ratio


def ratios_from_a(a: float, sin2w: float) -> CouplingRatios:
    """d_Z/d_gamma and d_W/d_gamma for d_W^{gauge} = a d_B (talk; arXiv:2301.06050 Eq. 4).

    a = +-inf is d_B = 0, scenario II. Raises ValueError for a NaN ``a`` and at
    a = -2 cot θ_w, where d_gamma vanishes and the ratios diverge.
    """
    if math.isnan(a):
        raise ValueError(f"--a {a}: a = d_W/d_B must be a number (or inf: d_B = 0, scenario II)")
    if math.isinf(a):
        return ratios_from_gauge(math.copysign(1.0, a), 0.0, sin2w)
    s, c = _check_sin2w(sin2w)
    den = 2.0 * c + a * s
    if abs(den) < 1e-12 * (abs(a) + 1.0):
        raise ValueError(
            f"a = {a} = -2 cot(theta_w): d_gamma vanishes, the ratios to it are undefined"
        )
    return CouplingRatios(_clean((a * c - 2.0 * s) / den), _clean(math.sqrt(2.0) * a / den))


def ratios_from_gauge(d_w_gauge: float, d_b: float, sin2w: float) -> CouplingRatios:
    """Ratios from the gauge couplings d_W^{gauge}, d_B directly (a = d_W/d_B, any d_B incl. 0).

    Multiplying numerator and denominator of the a-formulas by d_B keeps d_B = 0 (scenario II)
    regular: d_Z/d_gamma = (d_W c - 2 d_B s)/(2 d_B c + d_W s), d_W/d_gamma = sqrt2 d_W/(...).
    """
    s, c = _check_sin2w(sin2w)
    den = 2.0 * d_b * c + d_w_gauge * s
    if den == 0.0:
        raise ValueError("d_gamma vanishes for these d_W, d_B: ratios to it are undefined")
    return CouplingRatios((d_w_gauge * c - 2.0 * d_b * s) / den, math.sqrt(2.0) * d_w_gauge / den)


def gauge_to_broken(d_w_gauge: float, d_b: float, sin2w: float, vev: float) -> DipoleCouplings:
    """d_gamma, d_Z, d_W (GeV^-1) from d_W^{gauge}, d_B (GeV^-2) and the vev v (GeV) (talk)."""
    s, c = _check_sin2w(sin2w)
    k = vev / math.sqrt(2.0)
    return DipoleCouplings(
        d_gamma=k * (d_b * c + 0.5 * d_w_gauge * s),
        d_z=k * (0.5 * d_w_gauge * c - d_b * s),
        d_w=k * 0.5 * d_w_gauge * math.sqrt(2.0),
    )


def scenario_a(scenario: Scenario | str, sin2w: float) -> float | None:
    """a = d_W^{gauge}/d_B of a named scenario (None for II, d_B = 0)."""
    sc = Scenario(scenario)
    s, c = _check_sin2w(sin2w)
    return {
        Scenario.I: 0.0,
        Scenario.A: 0.0,
        Scenario.II: None,
        Scenario.III: 2.0 * s / c,
        Scenario.B: 2.0 * s / c,
        Scenario.IV: -2.0 * s / c,
        Scenario.C: -3.0,
        Scenario.D: -3.73,
    }[sc]


def scenario_ratios(scenario: Scenario | str, sin2w: float) -> CouplingRatios:
    """d_Z/d_gamma and d_W/d_gamma of a named scenario at the given sin^2 θ_w.

    Closed forms (arXiv:2301.06050 Table I): I: (-tan θ_w, 0); II: (cot θ_w, sqrt2/sin θ_w);
    III: (0, sqrt2 sin θ_w); IV: (-tan 2θ_w, -sqrt2 sin θ_w / cos 2θ_w). C and D (talk):
    about (11.250, 13.258) and (139.55, 173.52) at sin^2 θ_w = 0.2293 (signs as the formulas).
    """
    a = scenario_a(scenario, sin2w)
    if a is None:
        return ratios_from_gauge(1.0, 0.0, sin2w)
    return ratios_from_a(a, sin2w)
