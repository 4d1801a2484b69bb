"""The accepted SM background: grid integration against scipy's adaptive quadrature."""

import numpy as np
import pytest
from scipy.integrate import dblquad

from nudipole.constants import ALPHA_EM
from nudipole.experiments import ExperimentError, load_experiment
from nudipole.experiments.schema import Selection
from nudipole.experiments.selections import (
    EnergyThresholdByRegion,
    Frame,
    LabPolarRange,
)
from nudipole.physics.background import d2sigma_dx_dcos
from nudipole.reach.background import accepted_sm_cross_section, expected_background


def test_grid_matches_adaptive_quadrature_for_besiii_advanced() -> None:
    """BESIII advanced cuts at 4.18 GeV: the region is |z| < 0.8 (E > 25 MeV and Eq. 14) plus
    0.86 < |z| < 0.92 (E > 50 MeV and Eq. 14); integrate it with dblquad as an independent check."""
    sqrt_s, cos_b = 4.18, 0.95
    sin_b = np.sqrt(1 - cos_b**2)

    def x_min(z: float, e_min: float) -> float:
        e_b = sqrt_s / (1 + np.sqrt(1 - z**2) / sin_b)
        return 2 * max(e_min, e_b) / sqrt_s

    def f(x: float, z: float) -> float:
        return float(d2sigma_dx_dcos(x, z, sqrt_s**2))

    total = 0.0
    for lo, hi, e_min in ((-0.8, 0.8, 0.025), (0.86, 0.92, 0.05), (-0.92, -0.86, 0.05)):
        val, _ = dblquad(f, lo, hi, lambda z, e=e_min: x_min(z, e), lambda z: 1.0, epsrel=1e-8)
        total += val
    sel = load_experiment("besiii").selection("advanced")
    grid = accepted_sm_cross_section(sel, Frame(sqrt_s, 0.0))
    assert grid == pytest.approx(total, rel=5e-3)


def test_grid_converges_for_belle2_selections() -> None:
    exp = load_experiment("belle2")
    frame = Frame(10.58, exp.beta)
    for name in exp.selections:
        coarse = accepted_sm_cross_section(exp.selection(name), frame)
        fine = accepted_sm_cross_section(exp.selection(name), frame, 1200, 2400)
        assert coarse == pytest.approx(fine, rel=7e-3)


def test_box_region_analytic() -> None:
    """Symmetric box |z| < c, x > x0 in the soft limit (tiny x range): integral of the eikonal
    (2 alpha/pi)/(x (1 - z^2)) sigma0 = (2 alpha/pi) ln(x1/x0) ln((1+c)/(1-c)) sigma0."""
    sqrt_s, c = 4.0, 0.5
    sel = Selection(
        "box",
        (
            LabPolarRange(float(np.degrees(np.arccos(c))), float(np.degrees(np.arccos(-c)))),
            EnergyThresholdByRegion(((0.0, 1.0, 0.02),)),
        ),
    )
    val = accepted_sm_cross_section(sel, Frame(sqrt_s, 0.0), 1200, 2400)
    ref, _ = dblquad(lambda x, z: float(d2sigma_dx_dcos(x, z, 16.0)), -c, c, 0.01, 1.0, epsrel=1e-9)
    assert val == pytest.approx(ref, rel=2e-3)
    assert ALPHA_EM > 0


def test_unregulated_selection_is_rejected() -> None:
    # An angular range alone lets arbitrarily soft photons through.
    sel = Selection("loose", (LabPolarRange(30.0, 150.0),))
    with pytest.raises(ExperimentError, match="soft or collinear"):
        accepted_sm_cross_section(sel, Frame(4.0, 0.0))


def test_reducible_background_scales_with_luminosity() -> None:
    exp = load_experiment("belle2")
    sel = exp.selection("low-mass")
    b = expected_background(sel, Frame(10.58, exp.beta), 1.0, 50e6, 0.95)
    assert b.reducible == pytest.approx(300 * 50e6 / 20e3)  # 300 per 20/fb at 50/ab
