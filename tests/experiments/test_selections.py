"""Photon cuts against the seed's equations (arXiv:2204.07802) and simple kinematics."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import ArrayLike

from nudipole.experiments import load_experiment
from nudipole.experiments.selections import (
    BeamBackgroundCut,
    BoundaryEnergyCut,
    EnergyDependentPolarWindow,
    EnergyThresholdByRegion,
    Frame,
    LabPolarVeto,
    Photons,
    bbg_max_energy,
    combined_mask,
)
from nudipole.kinematics.lorentz import massless_cos_to_other_frame


def photons(
    e_cm: ArrayLike,
    cos_cm: ArrayLike,
    e_lab: ArrayLike | None = None,
    cos_lab: ArrayLike | None = None,
) -> Photons:
    """Photons, all inputs broadcast together; without lab values the frames coincide
    (symmetric beams)."""
    arrays = np.broadcast_arrays(
        np.atleast_1d(np.asarray(e_cm, dtype=float)),
        np.atleast_1d(np.asarray(cos_cm, dtype=float)),
        np.atleast_1d(np.asarray(e_cm if e_lab is None else e_lab, dtype=float)),
        np.atleast_1d(np.asarray(cos_cm if cos_lab is None else cos_lab, dtype=float)),
    )
    return Photons(*(np.array(a) for a in arrays))


def cos_deg(theta_deg: float | np.ndarray) -> np.ndarray:
    return np.cos(np.radians(theta_deg))


# --------------------------------------------------------------------------- bBG (seed Eq. 8)
def _three_body_photon_energy(
    theta_g: float, theta1: float, theta2: float, sqrt_s: float
) -> np.ndarray:
    """(E_gamma, E_1, E_2) with particles 1, 2 massless along theta1, theta2 at the opposite
    azimuth of the photon: p_x, p_z and energy conservation, a 3x3 linear system."""
    a = np.array(
        [
            [np.sin(theta_g), -np.sin(theta1), -np.sin(theta2)],  # p_x
            [np.cos(theta_g), np.cos(theta1), np.cos(theta2)],  # p_z
            [1.0, 1.0, 1.0],  # energy
        ]
    )
    return np.linalg.solve(a, [0.0, 0.0, sqrt_s])


def _belle2_cm_edges() -> tuple[float, float]:
    beta = load_experiment("belle2").beta
    c1 = massless_cos_to_other_frame(cos_deg(12.4), -beta)
    c2 = massless_cos_to_other_frame(cos_deg(155.1), -beta)
    return float(np.arccos(c1)), float(np.arccos(c2))


EDGES = {
    "belle2-cm": _belle2_cm_edges(),
    "symmetric": (np.radians(21.0), np.radians(159.0)),
    "asymmetric": (np.radians(10.0), np.radians(140.0)),
}


@pytest.mark.parametrize("edges", EDGES.values(), ids=EDGES.keys())
@pytest.mark.parametrize("sqrt_s", [4.0, 10.58])
def test_bbg_max_energy_solves_momentum_conservation(
    edges: tuple[float, float], sqrt_s: float
) -> None:
    theta1, theta2 = edges
    angles = np.radians(np.linspace(1.0, 179.0, 60))
    e_m = bbg_max_energy(np.cos(angles), theta1, theta2, sqrt_s)
    n_physical = 0
    for theta_g, got in zip(angles, e_m, strict=True):
        energies = _three_body_photon_energy(theta_g, theta1, theta2, sqrt_s)
        if np.all(energies > 0.0):
            n_physical += 1
            assert got == pytest.approx(energies[0], rel=1e-10)
            assert got <= 0.5 * sqrt_s
        else:
            # No configuration along the edges: the background reaches sqrt(s)/2.
            assert got == 0.5 * sqrt_s
    assert n_physical >= 30  # the comparison really covered most of the barrel
    assert n_physical < angles.size  # and the cap was exercised too


def test_bbg_max_energy_is_symmetric_minimum_at_90_deg_for_symmetric_edges() -> None:
    theta1, theta2 = EDGES["symmetric"]
    c = np.array([-0.5, 0.0, 0.5])
    e_m = bbg_max_energy(c, theta1, theta2, 4.0)
    assert e_m[0] == pytest.approx(e_m[2], rel=1e-12)
    assert e_m[1] < e_m[0]


def test_bbg_max_energy_broadcasts_sqrt_s_per_photon() -> None:
    theta1, theta2 = EDGES["symmetric"]
    cos_g = np.array([0.0, 0.0, 0.99])
    sqrt_s = np.array([2.0, 4.0, 4.0])
    e_m = bbg_max_energy(cos_g, theta1, theta2, sqrt_s)
    assert e_m[1] == pytest.approx(2.0 * e_m[0], rel=1e-12)  # E_m is linear in sqrt(s)
    assert e_m[2] == 2.0  # outside the edges: capped at sqrt(s)/2


def test_beam_background_cut_uses_boosted_edges() -> None:
    exp = load_experiment("belle2")
    [cut] = [c for c in exp.selection("bbg").cuts if isinstance(c, BeamBackgroundCut)]
    theta1, theta2 = _belle2_cm_edges()
    frame = Frame(10.58, exp.beta)
    e_m = float(bbg_max_energy(np.array([0.0]), theta1, theta2, 10.58)[0])
    ph = photons([0.99 * e_m, 1.01 * e_m], 0.0, cos_lab=0.0)
    np.testing.assert_array_equal(cut.mask(ph, frame), [False, True])


# --------------------------------------------------------------------------- Belle II window
@pytest.mark.parametrize("energy", [4.0, 5.0])
def test_low_mass_window_is_seed_eqs_10_11(energy: float) -> None:
    [cut] = [
        c
        for c in load_experiment("belle2").selection("low-mass").cuts
        if isinstance(c, EnergyDependentPolarWindow)
    ]
    theta_min = 5.399 * energy**2 - 58.82 * energy + 195.71  # seed Eq. 10
    theta_max = -7.982 * energy**2 + 87.77 * energy - 120.6  # seed Eq. 11
    if energy == 5.0:
        assert theta_min == pytest.approx(36.585)
        assert theta_max == pytest.approx(118.7)
    assert theta_min < theta_max
    theta = np.array([theta_min - 0.01, theta_min + 0.01, theta_max - 0.01, theta_max + 0.01])
    ph = photons(energy, 0.0, cos_lab=cos_deg(theta))  # the window uses E_cm and theta_lab
    np.testing.assert_array_equal(cut.mask(ph, Frame(10.58, 3 / 11)), [False, True, True, False])


def test_energy_dependent_window_closes_at_low_energy() -> None:
    cut = EnergyDependentPolarWindow((5.399, -58.82, 195.71), (-7.982, 87.77, -120.6))
    ph = photons(2.5, 0.0, cos_lab=cos_deg(np.linspace(1.0, 179.0, 179)))
    assert not cut.mask(ph, Frame(10.58, 3 / 11)).any()  # theta_min(2.5) > theta_max(2.5)


# --------------------------------------------------------------------------- boundary (Eq. 14)
@pytest.mark.parametrize("sqrt_s", [2.0, 4.0, 7.0])
def test_boundary_cut_at_90_deg(sqrt_s: float) -> None:
    cut = BoundaryEnergyCut(0.95)
    sin_b = np.sqrt(1.0 - 0.95**2)
    threshold = sqrt_s / (1.0 + 1.0 / sin_b)
    ph = photons([threshold * (1 - 1e-9), threshold * (1 + 1e-9)], 0.0)
    np.testing.assert_array_equal(cut.mask(ph, Frame(sqrt_s, 0.0)), [False, True])


def test_boundary_cut_is_harder_towards_the_boundary() -> None:
    cut = BoundaryEnergyCut(0.95)
    # At the boundary angle itself the photon must carry sqrt(s)/2.
    ph = photons([0.499 * 4.0, 0.501 * 4.0], 0.95)
    np.testing.assert_array_equal(cut.mask(ph, Frame(4.0, 0.0)), [False, True])


def test_boundary_cut_with_per_photon_sqrt_s() -> None:
    cut = BoundaryEnergyCut(0.95)
    sin_b = np.sqrt(1.0 - 0.95**2)
    sqrt_s = np.array([2.0, 4.0])
    energy = 1.5 * 2.0 / (1.0 + 1.0 / sin_b)  # above the 2 GeV threshold, below the 4 GeV one
    np.testing.assert_array_equal(
        cut.mask(photons([energy, energy], 0.0), Frame(sqrt_s, 0.0)), [True, False]
    )


# --------------------------------------------------------------------------- BESIII basic cuts
def _besiii_basic() -> EnergyThresholdByRegion:
    [cut] = [
        c
        for c in load_experiment("besiii").selection().cuts
        if isinstance(c, EnergyThresholdByRegion)
    ]
    return cut


def test_crack_between_barrel_and_endcap_rejects_any_energy() -> None:
    cut = _besiii_basic()
    energies = np.array([0.01, 0.1, 1.0, 2.0, 100.0])
    for z in (0.83, -0.83):
        ph = photons(energies, z)
        assert not cut.mask(ph, Frame(4.0, 0.0)).any()


@pytest.mark.parametrize(
    ("abs_cos", "threshold"), [(0.0, 0.025), (0.5, 0.025), (0.79, 0.025), (0.87, 0.050)]
)
def test_region_thresholds(abs_cos: float, threshold: float) -> None:
    cut = _besiii_basic()
    for z in (abs_cos, -abs_cos):
        ph = photons([0.99 * threshold, 1.01 * threshold], z)
        np.testing.assert_array_equal(cut.mask(ph, Frame(4.0, 0.0)), [False, True])


@pytest.mark.parametrize("name", ["besiii", "stcf"])
def test_advanced_selection_rejects_beyond_cos_0_92(name: str) -> None:
    exp = load_experiment(name)
    sel = exp.selection("advanced")
    sqrt_s = exp.max_sqrt_s
    frame = Frame(sqrt_s, exp.beta)
    energy = 0.49 * sqrt_s  # hard enough for the boundary cut everywhere below |cos| = 0.95
    outside = np.array([0.921, 0.93, 0.95, 0.99, -0.921, -0.99])
    assert not combined_mask(sel.cuts, photons(energy, outside), frame).any()
    inside = np.array([0.0, 0.5, 0.79, 0.87, 0.91, -0.91])
    assert combined_mask(sel.cuts, photons(energy, inside), frame).all()


# --------------------------------------------------------------------------- Belle II gaps
def test_lab_polar_veto_rejects_the_ecl_gaps() -> None:
    [cut] = [c for c in load_experiment("belle2").selection().cuts if isinstance(c, LabPolarVeto)]
    assert cut.ranges_deg == ((31.4, 32.2), (128.7, 130.7))
    theta = np.array([31.8, 129.7, 30.0, 33.0, 90.0, 128.0, 131.5])
    ph = photons(3.0, 0.0, cos_lab=cos_deg(theta))
    np.testing.assert_array_equal(
        cut.mask(ph, Frame(10.58, 3 / 11)), [False, False, True, True, True, True, True]
    )
