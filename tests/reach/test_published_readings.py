"""Published limits read as their papers meant (issue 12 §2): the two readings of L3's
Br(Z -> gamma + invisible) < 3.2e-6, OPAL's cross section in its (estimated) angular range and
the sourced barrel radius, DELPHI's measured cross section, the Z-width bound and the estimated
cos(theta_b) range of the CEPC runs, each against a hand calculation (docs/electroweak.md,
"How the published limits are read").
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest

from nudipole.api import reach, resolve_experiment
from nudipole.constants import M_Z, SIN2_THETA_W
from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.schema import Experiment, LimitSpec, experiment_from_dict
from nudipole.experiments.selections import (
    BoundaryEnergyCut,
    EnergyThresholdByRegion,
    Frame,
    Photons,
    with_cos_theta_b,
)
from nudipole.reach.model import PHOTON_ONLY
from nudipole.reach.scan_setup import excluded_signal
from nudipole.stats import DELTA_CHI2_95
from nudipole.units import gev_m2_to_pb

# PDG (R. L. Workman et al., PTEP 2022 083C01, Z boson listings).
PDG_M_Z = 91.1876
PDG_GAMMA_Z = 2.4952
PDG_GAMMA_EE = 83.91e-3
GEV_M2_TO_PB = 0.3893794e9  # (hbar c)^2 in GeV^2 pb (PDG physical constants)
L3_BR = 3.2e-6
LEP1_SQRT_S = 91.19


def l3_cut(selection: str) -> EnergyThresholdByRegion:
    (cut,) = resolve_experiment("lep").selection(selection).cuts
    assert isinstance(cut, EnergyThresholdByRegion)
    return cut


# ----------------------------------------------------------------------------- L3 readings
def test_both_l3_readings_convert_the_branching_ratio_to_the_same_cross_section() -> None:
    """Br x sigma(e+e- -> Z) at the peak, by hand: 3.2e-6 x 12 pi Gamma_ee/(M_Z^2 Gamma_Z) with
    PDG widths is 0.190 pb. The code's tree-level Gamma_ee is 0.6 % below PDG's."""
    by_hand = L3_BR * 12.0 * math.pi * PDG_GAMMA_EE / (PDG_M_Z**2 * PDG_GAMMA_Z) * GEV_M2_TO_PB
    assert by_hand == pytest.approx(0.190, abs=5e-4)
    lep = resolve_experiment("lep")
    for name in ("l3", "l3-talk"):
        got = gev_m2_to_pb(excluded_signal(lep.selection(name).limit, PHOTON_ONLY))
        assert got == pytest.approx(by_hand, rel=0.01), name


def test_l3_readings_select_what_their_sources_say() -> None:
    """`l3`: E_gamma > E_beam/2 over all angles (hep-ph/9804464, Sec. 2); `l3-talk`:
    E_gamma > 15 GeV (talk) inside the estimated |cos theta| < 0.73."""
    ebeam_half = l3_cut("l3")
    assert ebeam_half.regions == ((0.0, 1.0, pytest.approx(LEP1_SQRT_S / 4.0, abs=1e-4)),)
    assert l3_cut("l3-talk").regions == ((0.0, 0.73, 15.0),)
    # on photons: 20 GeV central passes only the talk's reading, 30 GeV at |cos| = 0.9 only ours
    e = np.array([20.0, 30.0, 30.0, 14.0])
    cos = np.array([0.1, 0.9, -0.5, 0.0])
    photons = Photons(e, cos, e, cos)
    frame = Frame(LEP1_SQRT_S, 0.0)
    np.testing.assert_array_equal(ebeam_half.mask(photons, frame), [False, True, True, False])
    np.testing.assert_array_equal(
        l3_cut("l3-talk").mask(photons, frame), [True, False, True, False]
    )


def _acceptance_by_hand(m_n: float, e_min: float, abs_cos_max: float) -> float:
    """Fraction of photons passing E > e_min and |cos| < abs_cos_max for e+e- -> N nu at the
    Z pole, N -> nu gamma isotropic in its rest frame and prompt.

    Energy: E_gamma = (E_N/2)(1 + beta cos theta*) is uniform between E_N(1 -+ beta)/2, with
    E_N = (s - m^2)/(2 sqrt(s)). Angle: for m^2 << s the dipole (tensor) vertex gives
    dsigma/dz ~ (1 - z^2) s + (1 + z^2) m^2 (seed Eq. 2; the Z vertex has the same form plus a
    forward-backward term that cancels in |cos|), and the boosted photon follows N. Energy
    and angle factorise for an isotropic decay.
    """
    s = LEP1_SQRT_S**2
    e_n = (s - m_n**2) / (2.0 * LEP1_SQRT_S)
    p_n = math.sqrt(e_n**2 - m_n**2)
    lo, hi = (e_n - p_n) / 2.0, (e_n + p_n) / 2.0
    f_energy = (hi - max(e_min, lo)) / (hi - lo)
    c, y = abs_cos_max, m_n**2 / s

    def integral(z: float) -> float:  # of (1 - z^2) + (1 + z^2) y from 0 to z
        return z - z**3 / 3.0 + y * (z + z**3 / 3.0)

    return f_energy * integral(c) / integral(1.0)


@pytest.mark.slow
def test_l3_reading_changes_the_limit_as_the_hand_acceptance_says() -> None:
    """Paper preset (isotropic N decay), m_N = 5 GeV (prompt in L3's 0.5 m at d ~ 4e-5),
    scenario I, nu_mu (no W): d95 ~ (accepted sigma)^(-1/2), so d(l3)/d(l3-talk) =
    sqrt(A_talk / A_ebeam-half) with the acceptances by hand (0.604 and 0.498: 1.101)."""
    m = 5.0
    a_half = _acceptance_by_hand(m, LEP1_SQRT_S / 4.0, 1.0)
    a_talk = _acceptance_by_hand(m, 15.0, 0.73)
    assert a_half == pytest.approx(0.498, abs=2e-3)
    assert a_talk == pytest.approx(0.604, abs=2e-3)
    d = {
        sel: reach("lep", [m], selection=sel, scenario="I", flavour="mu", preset="paper").d95[0]
        for sel in ("l3", "l3-talk")
    }
    assert d["l3"] / d["l3-talk"] == pytest.approx(math.sqrt(a_talk / a_half), rel=0.02)


# ----------------------------------------------------------------------------- OPAL, DELPHI, width
OPAL_CUT_COS = 0.7  # estimated fiducial cut (lep.toml)
OPAL_BARREL_COS = 0.82  # barrel lead glass, |cos theta| < 0.82 (OPAL detector description)


def test_opal_limit_is_the_quoted_cross_section_above_23_gev() -> None:
    """OPAL's 0.15 pb is used as printed, on photons with E > 23 GeV inside |cos| < 0.7, and N
    must decay inside the barrel lead glass at 2455 mm (the sourced radius)."""
    sel = resolve_experiment("lep").selection("opal")
    assert gev_m2_to_pb(excluded_signal(sel.limit, PHOTON_ONLY)) == pytest.approx(0.15, rel=1e-12)
    (cut,) = sel.cuts
    assert isinstance(cut, EnergyThresholdByRegion)
    assert cut.regions == ((0.0, OPAL_CUT_COS, 23.0),)
    assert sel.detector.fiducial.radius_m == 2.455


def test_delphi_chi2_excludes_the_signal_by_hand() -> None:
    """chi^2(S) - chi^2(0) = 2.7055 with sigma_SM = 1.61, sigma_meas = 1.50 +- 0.11 pb:
    (0.11 + S)^2 = 0.11^2 (1 + 2.7055), S = 0.11 (sqrt(3.7055) - 1) = 0.1017 pb."""
    by_hand = 0.11 * (math.sqrt(1.0 + 2.7055) - 1.0)
    assert by_hand == pytest.approx(0.1017, abs=1e-4)
    sel = resolve_experiment("lep").selection("delphi")
    assert gev_m2_to_pb(excluded_signal(sel.limit, PHOTON_ONLY)) == pytest.approx(by_hand, 1e-4)


@pytest.mark.parametrize(
    ("sm_pb", "measured_pb", "error_pb"),
    [(1.61, 1.50, 0.11), (1.50, 1.61, 0.11), (1.0e3, 1.0, 1.0e-9), (1.0, 1.0e3, 1.0e-9)],
)
def test_measured_cross_section_limit_solves_its_chi2(
    sm_pb: float, measured_pb: float, error_pb: float
) -> None:
    """(a + S)^2 - a^2 = Delta err^2 with a = sigma_SM - sigma_meas, for a deficit and an
    excess, and without the cancellation of -a + sqrt(a^2 + Delta err^2) when a >> err
    (there S = Delta err^2 / 2a: 1.35e-21 pb for a = 999 pb, err = 1e-9 pb; the old form
    gave 0, and a zero limit)."""
    limit = LimitSpec(
        "measured-cross-section", measured_pb=measured_pb, error_pb=error_pb, sm_pb=sm_pb
    )
    s = gev_m2_to_pb(excluded_signal(limit, PHOTON_ONLY))
    a = sm_pb - measured_pb
    assert s > 0
    assert s * (2 * a + s) == pytest.approx(DELTA_CHI2_95 * error_pb**2, rel=1e-9)
    if a > 1e3 * error_pb:
        assert s == pytest.approx(DELTA_CHI2_95 * error_pb**2 / (2 * a), rel=1e-9)


def _opal_with_barrel_cut(abs_cos_max: float) -> Experiment:
    exp = resolve_experiment("lep")
    raw = copy.deepcopy(exp.raw)
    raw["selections"]["opal"]["cuts"][0]["regions"][0]["abs_cos_max"] = abs_cos_max
    return experiment_from_dict(raw, "lep-opal-barrel")


@pytest.mark.slow
def test_opal_angular_range_changes_the_limit_as_the_hand_acceptance_says() -> None:
    """Were OPAL's 0.15 pb counted over the whole barrel (|cos| < 0.82, sourced) instead of the
    estimated 0.7, d95 ~ A^(-1/2) moves by sqrt(A(0.7)/A(0.82)) = 0.96 (hand acceptances of the
    isotropic decay at m_N = 5 GeV: the energy factor cancels)."""
    m = 5.0
    ratio = math.sqrt(
        _acceptance_by_hand(m, 23.0, OPAL_CUT_COS) / _acceptance_by_hand(m, 23.0, OPAL_BARREL_COS)
    )
    assert ratio == pytest.approx(0.96, abs=0.005)
    kw: dict[str, Any] = dict(selection="opal", scenario="I", flavour="mu", preset="paper")
    shipped = reach("lep", [m], **kw).d95[0]
    barrel = reach(_opal_with_barrel_cut(OPAL_BARREL_COS), [m], **kw).d95[0]
    assert barrel / shipped == pytest.approx(ratio, rel=0.01)


def test_z_width_bound_by_hand() -> None:
    """Gamma(Z -> nu Nbar) + Gamma(Z -> nubar N) = 2 d_Z^2 M_Z^3 (1-y)^2 (1+2y)/(12 pi)
    < 2.0 MeV (Phys. Rept. 427 (2006) 257), d_Z = cot(theta_w) d_gamma in scenario II."""
    m = np.array([1.0, 30.0])
    res = reach("lep", m, selection="z-width", scenario="II", flavour="mu")
    cot_w = math.sqrt((1.0 - SIN2_THETA_W) / SIN2_THETA_W)
    y = m**2 / M_Z**2
    unit = 2.0 * cot_w**2 * M_Z**3 * (1 - y) ** 2 * (1 + 2 * y) / (12.0 * math.pi)
    np.testing.assert_allclose(res.d95, np.sqrt(2.0e-3 / unit), rtol=1e-9)


# ----------------------------------------------------------------------------- CEPC theta_b
@pytest.mark.parametrize("name", ["cepc-z", "cepc-ww", "cepc-h", "cepc-tt"])
def test_cepc_boundary_is_a_range_from_the_ecal_edge(name: str) -> None:
    cuts = resolve_experiment(name).selection().cuts
    (boundary,) = (c for c in cuts if isinstance(c, BoundaryEnergyCut))
    assert boundary.cos_theta_b == 0.99
    assert boundary.cos_theta_b_range == (0.99, 0.999)


@pytest.mark.parametrize(("cos_b", "threshold"), [(0.99, 29.67), (0.999, 10.27)])
def test_boundary_threshold_at_ninety_degrees_by_hand(cos_b: float, threshold: float) -> None:
    """E > sqrt(s)/(1 + sin(theta)/sin(theta_b)) (seed Eq. 14) at theta = 90 deg, sqrt(s) = 240:
    240/(1 + 1/0.14107) = 29.67 GeV for cos(theta_b) = 0.99; 240/(1 + 1/0.04471) = 10.27 GeV for
    0.999. Moving the cut keeps its range."""
    exp = resolve_experiment("cepc-h").with_cos_theta_b(None, cos_b)
    (boundary,) = (c for c in exp.selection().cuts if isinstance(c, BoundaryEnergyCut))
    assert boundary.cos_theta_b == cos_b
    assert boundary.cos_theta_b_range == (0.99, 0.999)
    assert exp.raw["selections"]["monophoton"]["cuts"][1]["cos_theta_b"] == cos_b
    e = np.array([threshold - 0.02, threshold + 0.02])
    cos = np.zeros(2)
    kept = boundary.mask(Photons(e, cos, e, cos), Frame(240.0, 0.0))
    np.testing.assert_array_equal(kept, [False, True])


def test_cos_theta_b_out_of_range_is_refused() -> None:
    with pytest.raises(ExperimentError, match=r"cos\(theta_b\) = 1\.5"):
        with_cos_theta_b((BoundaryEnergyCut(0.99),), 1.5)


def _with_boundary(cut: dict[str, object]) -> dict[str, object]:
    exp = resolve_experiment("cepc-h")
    raw = {**exp.raw}
    raw["selections"] = {"monophoton": {**raw["selections"]["monophoton"], "cuts": [cut]}}
    return raw


@pytest.mark.parametrize(
    "bad",
    [[0.995, 0.999], [0.99, 0.98], [0.9, 1.0]],
)
def test_bad_cos_theta_b_range_names_the_field(bad: list[float]) -> None:
    raw = _with_boundary({"type": "boundary-energy", "cos_theta_b": 0.99, "cos_theta_b_range": bad})
    with pytest.raises(ExperimentError) as err:
        experiment_from_dict(raw, "test")
    message = str(err.value)
    assert "cos_theta_b_range" in message
    assert "\n" not in message
