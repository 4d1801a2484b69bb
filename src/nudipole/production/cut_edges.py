"""Where each photon cut can change its verdict, in closed form (issue 11).

Every built-in cut (:mod:`nudipole.experiments.selections`) is a condition on the photon's CM
energy E and CM polar cosine alone (lab quantities by the boost along the beam). At fixed E
its verdict can change only at a few cosines, :func:`cos_cm_edges` (some of them fixed,
:func:`fixed_cos_cm_edges`, the others moving with E, :func:`moving_cos_cm_edges`), and the
accepted set of cosines appears, vanishes or changes shape only at a few energies,
:func:`cut_energies`, which do not depend on the N mass. The cut-adapted rule
(:mod:`nudipole.production.ee_rules`) splits its integration variables there, and the SM
background grid (:mod:`nudipole.reach.background`) fills its accepted cells from them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nudipole.experiments.selections import (
    BeamBackgroundCut,
    BoundaryEnergyCut,
    Cut,
    EnergyDependentPolarWindow,
    EnergyThresholdByRegion,
    LabPolarRange,
    LabPolarVeto,
)
from nudipole.kinematics.lorentz import massless_cos_to_other_frame
from nudipole.physics._types import FloatArray


def _to_cm(cos_lab: FloatArray | float, beta: float) -> FloatArray:
    """Lab polar cosine of a massless particle -> CM (aberration, boost by -beta)."""
    return massless_cos_to_other_frame(cos_lab, -beta)


def cos_cm_edges(cut: Cut, e_cm: FloatArray, sqrt_s: FloatArray, beta: float) -> list[FloatArray]:
    """Photon CM polar cosines at which ``cut`` can change from pass to fail, at CM energy
    ``e_cm`` (arrays broadcast with ``sqrt_s``; NaN where an edge does not exist): the
    edges that do not depend on the energy (:func:`fixed_cos_cm_edges`) and those that do
    (:func:`moving_cos_cm_edges`). Listing an edge that the cut does not have is harmless
    (pieces are tested by ``mask``).
    """
    e = np.asarray(e_cm, dtype=float)
    fixed = [np.asarray(c + 0.0 * e) for c in fixed_cos_cm_edges(cut, beta)]
    return fixed + moving_cos_cm_edges(cut, e, sqrt_s, beta)


def moving_cos_cm_edges(
    cut: Cut, e_cm: FloatArray, sqrt_s: FloatArray, beta: float
) -> list[FloatArray]:
    """The photon CM polar cosines of :func:`cos_cm_edges` that depend on the photon energy.

    Derived from each cut's definition in :mod:`nudipole.experiments.selections`:
    E_lab = gamma (1 + beta cos_cm) E_cm; the boundary cut (seed Eq. 14) passes for sin theta
    > sin theta_b (sqrt(s)/E - 1); the bBG cut (seed Eq. 8) changes where sqrt(s) K = E [a (c1
    - cos) - sin - s1], K = a c1 - s1, i.e. a cos + sin = K (1 - sqrt(s)/E), solved as
    sqrt(1 + a^2) sin(theta + phi), phi = atan2(a, 1); the Belle II window's bounds (seed
    Eqs. 10-13) by aberration.
    """
    e = np.asarray(e_cm, dtype=float)
    if isinstance(cut, LabPolarRange | LabPolarVeto):
        return []
    if isinstance(cut, EnergyThresholdByRegion):
        out: list[FloatArray] = []
        if beta != 0.0:
            gamma = 1.0 / np.sqrt(1.0 - beta**2)
            for _, _, e_min in cut.regions:
                # beyond +-1 where the threshold lies outside the frame's reach (inf at a
                # tiny beta, or at E = 0): clipped by the caller
                with np.errstate(divide="ignore", over="ignore"):
                    out.append(np.asarray((e_min / (gamma * e) - 1.0) / beta))
        return out
    if isinstance(cut, BoundaryEnergyCut):
        sin_b = np.sqrt(1.0 - cut.cos_theta_b**2)
        x = sin_b * (np.asarray(sqrt_s) / e - 1.0)
        root = np.sqrt(np.where(x <= 1.0, 1.0 - np.minimum(x, 1.0) ** 2, np.nan))
        return [np.asarray(root), np.asarray(-root)]
    if isinstance(cut, BeamBackgroundCut):
        a, k = _bbg_constants(cut, beta)
        r = np.sqrt(1.0 + a * a)
        q = k * (1.0 - np.asarray(sqrt_s) / e)
        psi = np.arcsin(np.where(np.abs(q) <= r, q / r, np.nan))
        phi = np.arctan2(a, 1.0)
        return [np.asarray(np.cos(psi - phi)), np.asarray(np.cos(np.pi - psi - phi))]
    if isinstance(cut, EnergyDependentPolarWindow):
        out = []
        for coeffs in (cut.theta_min_coeffs, cut.theta_max_coeffs):
            theta = np.clip(np.polyval(coeffs, e), 0.0, 180.0)
            out.append(_to_cm(np.cos(np.radians(theta)), beta))
        return out
    raise TypeError(f"no cut-adapted rule for cut type {type(cut).__name__}")


def _bbg_constants(cut: BeamBackgroundCut, beta: float) -> tuple[float, float]:
    """(a, K) of seed Eq. 8 with the calorimeter edges moved to the CM (as in the cut's mask)."""
    c1 = float(_to_cm(np.cos(np.radians(cut.theta1_lab_deg)), beta))
    c2 = float(_to_cm(np.cos(np.radians(cut.theta2_lab_deg)), beta))
    s1, s2 = np.sqrt(1.0 - c1 * c1), np.sqrt(1.0 - c2 * c2)
    a = (s1 - s2) / (c1 - c2)
    return float(a), float(a * c1 - s1)


def energy_edges(cut: Cut, sqrt_s: FloatArray, beta: float) -> list[FloatArray]:
    """Photon CM energies (GeV, one array per edge, shaped like ``sqrt_s``; NaN if none) at
    which the accepted set of ``cut`` appears, vanishes or changes shape abruptly.

    A symmetric collider's energy threshold (E_lab = E_cm); the thresholds of the lab energy at
    the two ends cos_cm = -1, 1 otherwise; the boundary cut's end point sin theta_b
    (sqrt(s)/E - 1) = 1 (seed Eq. 14); the energies at which the bBG edge equation
    (:func:`cos_cm_edges`) gains or loses its solutions; the energies at which the Belle II
    window's bounds (seed Eqs. 10-13) cross each other or 0 and 180 degrees.
    """
    rs = np.asarray(sqrt_s, dtype=float)
    nan = np.full(rs.shape, np.nan)
    if isinstance(cut, LabPolarRange | LabPolarVeto):
        return []
    if isinstance(cut, EnergyThresholdByRegion):
        gamma = 1.0 / np.sqrt(1.0 - beta**2)
        return [
            np.full(rs.shape, e_min / (gamma * (1.0 + sign * beta)))
            for _, _, e_min in cut.regions
            for sign in ((0.0,) if beta == 0.0 else (-1.0, 1.0))
        ]
    if isinstance(cut, BoundaryEnergyCut):
        sin_b = np.sqrt(1.0 - cut.cos_theta_b**2)
        return [np.asarray(rs / (1.0 + 1.0 / sin_b))]
    if isinstance(cut, BeamBackgroundCut):
        a, k = _bbg_constants(cut, beta)
        r = np.sqrt(1.0 + a * a)
        out = []
        for sign in (-1.0, 1.0):
            den = 1.0 - sign * r / k if k != 0.0 else 0.0
            out.append(np.asarray(rs / den) if den > 0.0 else nan)
        return out
    if isinstance(cut, EnergyDependentPolarWindow):
        lo, hi = np.asarray(cut.theta_min_coeffs), np.asarray(cut.theta_max_coeffs)
        polys = [lo - hi, lo, hi, lo - [0, 0, 180.0], hi - [0, 0, 180.0]]
        out = []
        for p in polys:
            for root in np.roots(p):
                if abs(root.imag) < 1e-12 and root.real > 0.0:
                    out.append(np.full(rs.shape, root.real))
        return out
    raise TypeError(f"no cut-adapted rule for cut type {type(cut).__name__}")


def fixed_cos_cm_edges(cut: Cut, beta: float) -> list[float]:
    """The edges of ``cut`` in the photon CM polar cosine that do not depend on its energy
    (lab angles by aberration; see :func:`cos_cm_edges`)."""
    if isinstance(cut, LabPolarRange):
        angles = [cut.theta_min_deg, cut.theta_max_deg]
    elif isinstance(cut, LabPolarVeto):
        angles = [t for pair in cut.ranges_deg for t in pair]
    elif isinstance(cut, EnergyThresholdByRegion):
        cosines = [c for lo, hi, _ in cut.regions for c in (lo, -lo, hi, -hi) if c != 0.0]
        return [float(_to_cm(c, beta)) for c in cosines]
    else:
        return []
    return [float(_to_cm(np.cos(np.radians(t)), beta)) for t in angles]


def energies_at_cos_cm(
    cut: Cut, cos_cm: float, sqrt_s: FloatArray, beta: float
) -> list[FloatArray]:
    """Photon CM energies at which an energy-dependent edge of ``cut`` (:func:`cos_cm_edges`)
    passes through ``cos_cm``: where the accepted set in the photon angle changes shape, so
    that the acceptance has a kink as a function of c*. Each edge equation inverted:
    E = E_min / (gamma (1 + beta cos)) (lab energy threshold); E = sqrt(s) / (1 + X / sin
    theta_b), X = sin theta (seed Eq. 14); E = sqrt(s) / (1 - (a cos + sin) / K) (seed Eq. 8);
    the real roots of theta(E) = theta (seed Eqs. 10-13)."""
    rs = np.asarray(sqrt_s, dtype=float)
    sin_t = float(np.sqrt(max(0.0, 1.0 - cos_cm**2)))
    if isinstance(cut, EnergyThresholdByRegion):
        if beta == 0.0:
            return []
        gamma = 1.0 / np.sqrt(1.0 - beta**2)
        return [
            np.full(rs.shape, e_min / (gamma * (1.0 + beta * cos_cm)))
            for _, _, e_min in cut.regions
        ]
    if isinstance(cut, BoundaryEnergyCut):
        sin_b = np.sqrt(1.0 - cut.cos_theta_b**2)
        return [np.asarray(rs / (1.0 + sin_t / sin_b))]
    if isinstance(cut, BeamBackgroundCut):
        a, k = _bbg_constants(cut, beta)
        den = 1.0 - (a * cos_cm + sin_t) / k if k != 0.0 else 0.0
        return [np.asarray(rs / den)] if den > 0.0 else []
    if isinstance(cut, EnergyDependentPolarWindow):
        theta = float(np.degrees(np.arccos(float(_to_cm(cos_cm, -beta)))))  # lab angle
        out = []
        for coeffs in (cut.theta_min_coeffs, cut.theta_max_coeffs):
            for root in np.roots(np.asarray(coeffs) - np.array([0.0, 0.0, theta])):
                if abs(root.imag) < 1e-12 and root.real > 0.0:
                    out.append(np.full(rs.shape, root.real))
        return out
    return []


def cut_energies(cuts: Sequence[Cut], sqrt_s: FloatArray, beta: float) -> FloatArray:
    """(P, E) photon CM energies (GeV; NaN: none) at which the acceptance can step or kink as
    a function of c*: the cuts' :func:`energy_edges` and the energies at which an
    energy-dependent edge crosses a fixed edge or the ends cos = -1, 1
    (:func:`energies_at_cos_cm`). They do not depend on the mass: computed once per scan."""
    rs = np.asarray(sqrt_s, dtype=float)
    extra = [e for cut in cuts for e in energy_edges(cut, rs, beta)]
    crossings = {-1.0, 1.0, *(c for cut in cuts for c in fixed_cos_cm_edges(cut, beta))}
    extra += [
        e for cut in cuts for c0 in sorted(crossings) for e in energies_at_cos_cm(cut, c0, rs, beta)
    ]
    if not extra:
        return np.zeros((rs.size, 0))
    return np.stack([np.broadcast_to(e, rs.shape) for e in extra], axis=1)
