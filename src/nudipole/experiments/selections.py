"""Photon selections as declarative cuts.

A selection is an AND of cuts, each one of the types below, read from an experiment's TOML
file (``type = "..."`` plus its numbers). No expression strings are evaluated: every cut is a
small frozen dataclass with a vectorised :meth:`mask`. Angles in the files are in degrees,
energies in GeV; internally cosines and GeV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from nudipole.experiments._validate import Table
from nudipole.experiments.errors import ExperimentError
from nudipole.kinematics.lorentz import massless_cos_to_other_frame
from nudipole.physics._types import FloatArray


@dataclass(frozen=True)
class Photons:
    """Photon energies (GeV) and polar cosines in the CM and laboratory frames."""

    e_cm: FloatArray
    cos_cm: FloatArray
    e_lab: FloatArray
    cos_lab: FloatArray


@dataclass(frozen=True)
class Frame:
    """Collider frame: sqrt(s) in GeV (one value, or one per photon when several energy points
    are processed together) and the CM velocity along +z."""

    sqrt_s: float | FloatArray
    beta: float


class Cut(Protocol):
    """Interface of a cut."""

    kind: ClassVar[str]

    def mask(self, photons: Photons, frame: Frame) -> FloatArray: ...

    def describe(self) -> str: ...


def _cos_deg(theta_deg: float) -> float:
    """cos of a polar angle in degrees; exactly +-1 at 0 and 180 deg (so that theta > 0 deg
    and theta < 180 deg exclude only the beam directions, as they do in degrees)."""
    if theta_deg <= 0.0:
        return 1.0
    if theta_deg >= 180.0:
        return -1.0
    return math.cos(math.radians(theta_deg))


@dataclass(frozen=True)
class LabPolarRange:
    """theta_min < theta_lab < theta_max (degrees): calorimeter coverage.

    Belle II ECL 12.4-155.1 deg (seed Sec. II.1, from Kou et al., arXiv:1808.10567).
    """

    kind: ClassVar[str] = "lab-polar-range"
    theta_min_deg: float
    theta_max_deg: float

    def mask(self, photons: Photons, frame: Frame) -> FloatArray:
        # theta_min < theta < theta_max as cos(theta_max) < cos theta < cos(theta_min): no
        # arccos per photon (cos falls monotonically on [0, 180] deg)
        z = photons.cos_lab
        return np.asarray((z < _cos_deg(self.theta_min_deg)) & (z > _cos_deg(self.theta_max_deg)))

    def describe(self) -> str:
        return f"{self.theta_min_deg} deg < theta_lab < {self.theta_max_deg} deg"


@dataclass(frozen=True)
class LabPolarVeto:
    """Reject photons whose lab polar angle falls in any of the listed ranges (degrees).

    Belle II ECL gaps 31.4-32.2 and 128.7-130.7 deg (seed Sec. II.1).
    """

    kind: ClassVar[str] = "lab-polar-veto"
    ranges_deg: tuple[tuple[float, float], ...]

    def mask(self, photons: Photons, frame: Frame) -> FloatArray:
        z = np.asarray(photons.cos_lab)
        keep = np.ones(z.shape, dtype=bool)
        for lo, hi in self.ranges_deg:  # lo < theta < hi as cos(hi) < cos theta < cos(lo)
            keep &= ~((z < _cos_deg(lo)) & (z > _cos_deg(hi)))
        return keep

    def describe(self) -> str:
        return "veto theta_lab in " + ", ".join(f"[{a}, {b}]" for a, b in self.ranges_deg)


@dataclass(frozen=True)
class EnergyThresholdByRegion:
    """Photon must lie in one |cos theta_lab| region and exceed that region's energy threshold.

    BESIII "basic cuts": E > 25 MeV for |z| < 0.8, E > 50 MeV for 0.86 < |z| < 0.92 (seed
    Sec. II.2, from BESIII, PRD 96 (2017) 112008, arXiv:1707.05178).
    """

    kind: ClassVar[str] = "energy-threshold-by-region"
    regions: tuple[tuple[float, float, float], ...]  # (|cos| low, |cos| high, E_min GeV)

    def mask(self, photons: Photons, frame: Frame) -> FloatArray:
        a = np.abs(photons.cos_lab)
        keep = np.zeros(a.shape, dtype=bool)
        for lo, hi, e_min in self.regions:
            keep |= (a >= lo) & (a < hi) & (photons.e_lab > e_min)
        return keep

    def describe(self) -> str:
        return "; ".join(
            f"E > {e * 1e3:g} MeV for {lo} <= |cos| < {hi}" for lo, hi, e in self.regions
        )


@dataclass(frozen=True)
class BoundaryEnergyCut:
    """E_gamma > sqrt(s) / (1 + sin(theta)/sin(theta_b)) in the CM (seed Eq. 14).

    Removes events whose recoiling particles could escape through the sub-detector boundary
    at cos(theta_b) (0.95 at BESIII, seed Sec. II.2 after Liu & Zhang arXiv:1808.00983).
    ``cos_theta_b_range``: optional (low, high) containing ``cos_theta_b``, for a boundary that
    no source fixes (CEPC); figures draw the limit over that range as a band
    (:func:`with_cos_theta_b` gives the cut at another value).
    """

    kind: ClassVar[str] = "boundary-energy"
    cos_theta_b: float
    cos_theta_b_range: tuple[float, float] | None = None

    def mask(self, photons: Photons, frame: Frame) -> FloatArray:
        sin_b = np.sqrt(1.0 - self.cos_theta_b**2)
        sin_g = np.sqrt(np.clip(1.0 - photons.cos_cm**2, 0.0, None))
        return np.asarray(photons.e_cm > frame.sqrt_s / (1.0 + sin_g / sin_b))

    def describe(self) -> str:
        text = f"E_cm > sqrt(s)/(1 + sin(theta)/sin(theta_b)), cos(theta_b) = {self.cos_theta_b}"
        if self.cos_theta_b_range is not None:
            lo, hi = self.cos_theta_b_range
            text += f" (range {lo} to {hi})"
        return text


def with_cos_theta_b(cuts: tuple[Cut, ...], cos_theta_b: float) -> tuple[Cut, ...]:
    """``cuts`` with every :class:`BoundaryEnergyCut` moved to ``cos_theta_b`` (its range kept).

    Parameters
    ----------
    cuts
        A selection's cuts.
    cos_theta_b
        The new boundary cosine, in [0, 0.999999].

    Returns
    -------
    tuple of Cut
        The same cuts, the boundary cuts replaced.
    """
    if not 0.0 <= cos_theta_b <= MAX_COS_THETA_B:  # also NaN
        raise ExperimentError(
            f"cos(theta_b) = {cos_theta_b:g}: must be from 0 to {MAX_COS_THETA_B:g}"
        )
    return tuple(
        BoundaryEnergyCut(cos_theta_b, c.cos_theta_b_range)
        if isinstance(c, BoundaryEnergyCut)
        else c
        for c in cuts
    )


#: Largest boundary cosine accepted (sin(theta_b) must stay positive).
MAX_COS_THETA_B = 0.999999


def bbg_max_energy(
    cos_gamma_cm: FloatArray, theta1_cm: float, theta2_cm: float, sqrt_s: float | FloatArray
) -> FloatArray:
    """Largest CM photon energy of the beam background (seed Eq. 8), capped at sqrt(s)/2.

    theta1_cm, theta2_cm (radians) are the CM polar angles of the forward and backward
    calorimeter edges. Eq. 8 is the photon energy when the two other massless particles leave
    exactly along the two edges, on the opposite azimuth; where that solution has a negative
    energy or exceeds sqrt(s)/2, the background reaches sqrt(s)/2 ("if not exceeding sqrt(s)/2").
    """
    c1, s1 = np.cos(theta1_cm), np.sin(theta1_cm)
    c2, s2 = np.cos(theta2_cm), np.sin(theta2_cm)
    a = (s1 - s2) / (c1 - c2)
    sin_g = np.sqrt(np.clip(1.0 - cos_gamma_cm**2, 0.0, None))
    den = a * (c1 - cos_gamma_cm) - (sin_g + s1)
    with np.errstate(divide="ignore", invalid="ignore"):
        e_m = sqrt_s * (a * c1 - s1) / den
    half = 0.5 * sqrt_s
    return np.asarray(np.where((den != 0.0) & (e_m > 0.0) & (e_m < half), e_m, half))


@dataclass(frozen=True)
class BeamBackgroundCut:
    """ "bBG cut": E_cm > E_m(theta_cm) (seed Eqs. 8-9), calorimeter edges given in the lab.

    The lab edges are converted to the CM with the frame's boost (massless aberration).
    """

    kind: ClassVar[str] = "bbg-max-energy"
    theta1_lab_deg: float
    theta2_lab_deg: float

    def mask(self, photons: Photons, frame: Frame) -> FloatArray:
        c1 = massless_cos_to_other_frame(np.cos(np.radians(self.theta1_lab_deg)), -frame.beta)
        c2 = massless_cos_to_other_frame(np.cos(np.radians(self.theta2_lab_deg)), -frame.beta)
        e_m = bbg_max_energy(
            photons.cos_cm, float(np.arccos(c1)), float(np.arccos(c2)), frame.sqrt_s
        )
        return np.asarray(photons.e_cm > e_m)

    def describe(self) -> str:
        return f"E_cm > E_m(theta_cm), edges {self.theta1_lab_deg}, {self.theta2_lab_deg} deg (lab)"


@dataclass(frozen=True)
class EnergyDependentPolarWindow:
    """theta_min(E) < theta_lab < theta_max(E), quadratic in the photon CM energy E (GeV).

    Coefficients (c2, c1, c0) in degrees: theta = c2 E^2 + c1 E + c0. Belle II "low-mass" and
    "high-mass" cuts (seed Eqs. 10-13, fits by Duerr et al. arXiv:1911.03176 to the Belle II
    Physics Book selections).
    """

    kind: ClassVar[str] = "energy-dependent-polar-window"
    theta_min_coeffs: tuple[float, float, float]
    theta_max_coeffs: tuple[float, float, float]

    def mask(self, photons: Photons, frame: Frame) -> FloatArray:
        e = photons.e_cm
        t_min = np.polyval(self.theta_min_coeffs, e)
        t_max = np.polyval(self.theta_max_coeffs, e)
        # theta > t_min and theta < t_max compared as cosines (no arccos per photon): a
        # bound below 0 or above 180 deg always holds
        z = np.asarray(photons.cos_lab)
        above = (z < np.cos(np.radians(np.clip(t_min, 0.0, 180.0)))) | (t_min < 0.0)
        below = (z > np.cos(np.radians(np.clip(t_max, 0.0, 180.0)))) | (t_max > 180.0)
        return np.asarray(above & below)

    def describe(self) -> str:
        a, b, c = self.theta_min_coeffs
        d, e, f = self.theta_max_coeffs
        return f"{a}E^2{b:+}E{c:+} < theta_lab < {d}E^2{e:+}E{f:+} (deg, E in GeV CM)"


def cut_from_table(table: Table) -> Cut:
    """Build one cut from its TOML table (``type`` selects the class)."""
    kind = table.string("type")
    cut: Cut
    if kind == LabPolarRange.kind:
        lo = table.number("theta_min_deg", minimum=0.0, maximum=180.0)
        hi = table.number("theta_max_deg", minimum=0.0, maximum=180.0)
        if not lo < hi:
            raise ExperimentError(f"{table.where}: theta_min_deg must be below theta_max_deg")
        cut = LabPolarRange(lo, hi)
    elif kind == LabPolarVeto.kind:
        cut = LabPolarVeto(table.pairs("ranges_deg"))
    elif kind == EnergyThresholdByRegion.kind:
        regions = []
        for sub in table.tables("regions"):
            lo = sub.number("abs_cos_min", minimum=0.0, maximum=1.0)
            hi = sub.number("abs_cos_max", minimum=0.0, maximum=1.0)
            e_min = sub.number("energy_min_gev", minimum=0.0)
            if not lo < hi:
                raise ExperimentError(f"{sub.where}: abs_cos_min must be below abs_cos_max")
            sub.finish()
            regions.append((lo, hi, e_min))
        cut = EnergyThresholdByRegion(tuple(regions))
    elif kind == BoundaryEnergyCut.kind:
        cos_b = table.number("cos_theta_b", minimum=0.0, maximum=MAX_COS_THETA_B)
        cos_range = None
        if table.has("cos_theta_b_range"):
            lo, hi = table.numbers("cos_theta_b_range", 2)
            if not 0.0 <= lo <= cos_b <= hi <= MAX_COS_THETA_B:
                raise ExperimentError(
                    f"{table.where}.cos_theta_b_range: [{lo:g}, {hi:g}] must be increasing, "
                    f"contain cos_theta_b = {cos_b:g} and lie in [0, {MAX_COS_THETA_B:g}]"
                )
            cos_range = (lo, hi)
        cut = BoundaryEnergyCut(cos_b, cos_range)
    elif kind == BeamBackgroundCut.kind:
        cut = BeamBackgroundCut(
            table.number("theta1_lab_deg", minimum=0.0, maximum=90.0),
            table.number("theta2_lab_deg", minimum=90.0, maximum=180.0),
        )
    elif kind == EnergyDependentPolarWindow.kind:
        t_min = table.numbers("theta_min_deg_coeffs", 3)
        t_max = table.numbers("theta_max_deg_coeffs", 3)
        cut = EnergyDependentPolarWindow(
            (t_min[0], t_min[1], t_min[2]), (t_max[0], t_max[1], t_max[2])
        )
    else:
        known = ", ".join(
            c.kind
            for c in (
                LabPolarRange,
                LabPolarVeto,
                EnergyThresholdByRegion,
                BoundaryEnergyCut,
                BeamBackgroundCut,
                EnergyDependentPolarWindow,
            )
        )
        raise ExperimentError(f"{table.where}: unknown cut type {kind!r}; known types: {known}")
    table.finish()
    return cut


def combined_mask(cuts: tuple[Cut, ...], photons: Photons, frame: Frame) -> FloatArray:
    """AND of all cuts."""
    # the fields broadcast together (the cut-adapted rule passes one energy per row)
    shape = np.broadcast_shapes(
        *(np.shape(f) for f in (photons.e_cm, photons.cos_cm, photons.e_lab, photons.cos_lab))
    )
    keep = np.ones(shape, dtype=bool)
    for cut in cuts:
        keep &= np.asarray(cut.mask(photons, frame), dtype=bool)
    return keep
