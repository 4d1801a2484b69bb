"""Electroweak dipoles in the reach: LEP constraints and CEPC reach (issue 4 acceptance).

The talk's findings (Zhang, BESIII New Physics Forum 2024; Zhang & Liu, PRD 107 (2023) 095031,
arXiv:2301.06050), as tests. Where our full calculation differs from the talk's slide (the
gamma-W interference it omits, estimated detector sizes), the test says so and
docs/electroweak.md gives the numbers.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from nudipole.api import reach
from nudipole.experiments import load_experiment
from nudipole.physics.couplings import CouplingRatios
from nudipole.reach.model import CouplingModel
from nudipole.reach.presets import get_preset
from nudipole.reach.scan import compute_reach
from nudipole.reach.scan_setup import IntegrationOptions

pytestmark = pytest.mark.slow
MASSES = (0.01, 0.3, 1.0, 10.0, 40.0, 80.0)
LEP = ("opal", "l3", "delphi", "z-width")
CEPC = ("cepc-z", "cepc-ww", "cepc-h", "cepc-tt")


@cache
def d95(
    experiment: str,
    selection: str | None,
    scenario: str,
    flavour: str,
    masses: tuple[float, ...] = MASSES,
    w_interference: bool = True,
) -> np.ndarray:
    r = reach(
        experiment,
        list(masses),
        selection=selection,
        scenario=scenario,
        flavour=flavour,
        w_interference=w_interference,
    )
    return np.asarray(r.d95)


def idx(m: float) -> int:
    return MASSES.index(m)


# ----------------------------------------------------------------------------- core limit
@pytest.mark.parametrize("experiment", ["belle2", "stcf"])
def test_photon_only_point_reproduces_the_core_through_the_electroweak_path(
    experiment: str,
) -> None:
    """Tiny d_Z, d_W route everything through production_ew/decay_ew (polarisation, widths,
    Br): the d_gamma-only result of the monophoton core comes back."""
    exp = load_experiment(experiment)
    preset = get_preset("default")
    opts = IntegrationOptions()
    m = [0.05, 1.0, 3.0]
    core = compute_reach(exp, m, preset, options=opts)
    tiny = CouplingModel(ratios=CouplingRatios(1e-9, 1e-9), label="tiny")
    assert not tiny.photon_only
    ew = compute_reach(exp, m, preset, options=opts, model=tiny)
    np.testing.assert_allclose(ew.d95, core.d95, rtol=1e-6)


@pytest.mark.parametrize(("scenario", "tolerance"), [("I", 0.01), ("II", 0.06), ("IV", 0.06)])
def test_scenarios_change_little_at_b_factory_energies(scenario: str, tolerance: float) -> None:
    """sqrt(s) << M_Z: Z and W are small (talk). Scenario I (no W) at Belle II agrees with the
    photon-only limit to 1 %; with d_W (II, IV) the gamma-W interference of the electron
    flavour, ~ s/M_W^2, moves it by 3-5 % at 10.58 GeV."""
    base = reach("belle2", [1.0]).d95
    got = reach("belle2", [1.0], scenario=scenario).d95
    assert got == pytest.approx(base, rel=tolerance)


# ----------------------------------------------------------------------------- U shape
@pytest.mark.parametrize("scenario", ["I", "II", "IV"])
@pytest.mark.parametrize(
    ("experiment", "selection", "sqrt_s"),
    [("lep", "opal", 91.19), ("lep", "l3", 91.19), ("lep", "delphi", 205.4),
     ("cepc-z", None, 91.2), ("cepc-ww", None, 160.0), ("cepc-h", None, 240.0),
     ("cepc-tt", None, 360.0)],
)  # fmt: skip
def test_u_shape(experiment: str, selection: str | None, sqrt_s: float, scenario: str) -> None:
    """Weak at small m_N (N too long-lived to decay in the detector), flat in between, weak
    again at the kinematic threshold: the talk's "U"."""
    masses = (0.01, 1.0, 10.0, 0.5 * sqrt_s, 0.98 * sqrt_s)
    d = d95(experiment, selection, scenario, "mu", masses)
    best = np.nanmin(d)
    assert d[0] > 3.0 * best  # 10 MeV: long-lived
    assert d[-1] > 1.5 * best  # at the threshold
    assert np.argmin(d) in (1, 2, 3)


# ----------------------------------------------------------------------------- LEP
@pytest.mark.parametrize("scenario", ["I", "II", "IV"])
@pytest.mark.parametrize("selection", ["opal", "l3", "z-width"])
def test_lep1_bounds_are_flavour_universal(selection: str, scenario: str) -> None:
    """At the Z pole the Z dominates: the same bound for e, mu, tau (talk). (Scenario III has
    d_Z = 0: no Z enhancement, and the e flavour's t-channel W then matters.)"""
    e, mu, tau = (d95("lep", selection, scenario, f) for f in ("e", "mu", "tau"))
    np.testing.assert_allclose(e, mu, rtol=0.03)
    np.testing.assert_allclose(tau, mu, rtol=0.03)


@pytest.mark.parametrize("scenario", ["II", "IV"])
def test_lep2_constrains_d_e_more_strongly(scenario: str) -> None:
    """DELPHI at 205 GeV: t-channel W exchange adds to the electron flavour only (talk)."""
    e = d95("lep", "delphi", scenario, "e")
    for other in ("mu", "tau"):
        o = d95("lep", "delphi", scenario, other)
        assert np.all(e[1:-1] < 0.8 * o[1:-1])


def test_lep2_scenario_iii_depends_on_the_w_interference() -> None:
    """Scenario III (d_Z = 0, d_W = 0.68 d_gamma): with the talk's cross-section pieces
    (no gamma-W interference) d_e is the stronger bound; with the full amplitude the
    destructive gamma-W interference makes it about as weak as d_mu (docs/electroweak.md)."""
    i = idx(10.0)
    talk_e = d95("lep", "delphi", "III", "e", w_interference=False)[i]
    full_mu = d95("lep", "delphi", "III", "mu")[i]  # (no W exchange: nothing to drop)
    assert talk_e < 0.75 * full_mu
    full_e = d95("lep", "delphi", "III", "e")[i]
    assert full_e == pytest.approx(full_mu, rel=0.15)
    with pytest.raises(ValueError, match="this model \\(flavour mu, scenario III\\) has none"):
        d95("lep", "delphi", "III", "mu", w_interference=False)


@pytest.mark.parametrize("scenario", ["I", "II", "IV"])
def test_z_to_gamma_invisible_is_the_strongest_lep_bound_when_d_z_is_nonzero(
    scenario: str,
) -> None:
    """In the talk's reading of L3 (`l3-talk`: E_gamma > 15 GeV), Br(Z -> gamma + inv) beats
    OPAL, DELPHI and the Z width for 1-40 GeV, where N decays promptly and its photons are soft
    enough for L3's lower threshold (15 vs 23 GeV) to count. Outside (docs/electroweak.md):
    below ~0.3 GeV N is long-lived and OPAL's larger calorimeter (estimated sizes) or the width
    bound (no decay needed) take over; near M_Z all photons pass both thresholds and OPAL's
    0.15 pb beats L3's 0.19 pb. Scenarios I, II, IV are the talk's with d_Z != 0; in C and D
    (d_Z/d_gamma = 11, 140) the limits on d_gamma are so small that N is long-lived up to a few
    GeV and OPAL leads there. With the recasts' reading (`l3`, E_gamma > E_beam/2) L3 and OPAL
    are within 5 % at 1-10 GeV: see the next test."""
    for flavour in ("e", "mu"):
        l3 = d95("lep", "l3-talk", scenario, flavour)
        for other in ("opal", "delphi", "z-width"):
            o = d95("lep", other, scenario, flavour)
            for m in (1.0, 10.0, 40.0):
                assert l3[idx(m)] < o[idx(m)], (scenario, flavour, other, m)


@pytest.mark.parametrize("scenario", ["I", "II"])
def test_l3_reading_of_the_recasts_is_weaker_than_the_talks_and_ties_with_opal(
    scenario: str,
) -> None:
    """E_gamma > E_beam/2 over all angles (`l3`) against 15 GeV inside |cos| < 0.73
    (`l3-talk`): the default preset's spin-correlated photons are soft, so the harder threshold
    costs more than the full angular range gains, 1.2-1.35x in d at 1-10 GeV, and L3 then
    lies within 5 % of OPAL there (docs/electroweak.md gives the numbers)."""
    ours = d95("lep", "l3", scenario, "mu")
    talk = d95("lep", "l3-talk", scenario, "mu")
    opal = d95("lep", "opal", scenario, "mu")
    for m in (1.0, 10.0):
        assert 1.2 < ours[idx(m)] / talk[idx(m)] < 1.35, m
        assert ours[idx(m)] == pytest.approx(opal[idx(m)], rel=0.05), m


def test_z_width_bound_is_analytic_and_absent_without_d_z() -> None:
    """n Gamma(Z -> nu Nbar) = 2 MeV with Gamma = d_Z^2 M_Z^3 (1-y)^2 (1+2y)/(12 pi)."""
    from nudipole.constants import M_Z, SIN2_THETA_W
    from nudipole.physics.couplings import scenario_ratios

    r = scenario_ratios("I", SIN2_THETA_W).dz_over_dgamma
    d = d95("lep", "z-width", "I", "mu")
    y = np.asarray(MASSES) ** 2 / M_Z**2
    expected = np.sqrt(2.0e-3 / (2 * r**2 * M_Z**3 * (1 - y) ** 2 * (1 + 2 * y) / (12 * np.pi)))
    np.testing.assert_allclose(d[:-1], expected[:-1], rtol=1e-10)
    assert np.all(np.isnan(d95("lep", "z-width", "III", "mu")))


# ----------------------------------------------------------------------------- CEPC
@pytest.mark.parametrize("scenario", ["I", "II", "III", "IV"])
@pytest.mark.parametrize("flavour", ["e", "mu", "tau"])
def test_cepc_z_mode_is_best_at_small_mass(scenario: str, flavour: str) -> None:
    z = d95("cepc-z", None, scenario, flavour)
    for other in CEPC[1:]:
        o = d95(other, None, scenario, flavour)
        for m in (0.3, 1.0, 10.0):
            assert z[idx(m)] < o[idx(m)], (scenario, flavour, other, m)


@pytest.mark.parametrize("scenario", ["I", "II", "IV"])
@pytest.mark.parametrize("flavour", ["mu", "tau"])
def test_cepc_z_mode_is_far_better_on_d_mu_and_d_tau(scenario: str, flavour: str) -> None:
    """Talk: about two orders of magnitude. We find 30-60x with d_Z != 0 (docs: the BIB cut of
    the high-energy runs is an estimate); scenario III (d_Z = 0) has no Z resonance: 2-3x."""
    i = idx(1.0)
    z = d95("cepc-z", None, scenario, flavour)[i]
    best_other = min(d95(o, None, scenario, flavour)[i] for o in CEPC[1:])
    assert best_other / z > 25.0
