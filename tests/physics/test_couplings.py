"""Electroweak dipole couplings: d_W^{gauge}, d_B -> d_gamma, d_Z, d_W and the named scenarios."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudipole.physics.couplings import (
    Scenario,
    gauge_to_broken,
    ratios_from_a,
    ratios_from_gauge,
    scenario_a,
    scenario_ratios,
)

SIN2W_TALK = 0.2293  # the value behind the talk's numbers for scenarios C and D
VEV = 246.22  # GeV; any value: only ratios are tested against it


def test_scenarios_c_and_d_reproduce_the_talk() -> None:
    """Talk (Liu & Zhang, EPJC 83 (2023) 568, Table I): C: d_Z ≈ 11.250 d_gamma,
    D: d_Z ≈ 139.55 d_gamma at sin^2 θ_w = 0.2293; tolerance 0.5 % (issue 4)."""
    c = scenario_ratios("C", SIN2W_TALK)
    d = scenario_ratios("D", SIN2W_TALK)
    assert abs(c.dz_over_dgamma) == pytest.approx(11.250, rel=5e-3)
    assert abs(d.dz_over_dgamma) == pytest.approx(139.55, rel=5e-3)
    # the talk's d_W ratios (13.258, 173.52) agree to 0.3 %
    assert abs(c.dw_over_dgamma) == pytest.approx(13.258, rel=5e-3)
    assert abs(d.dw_over_dgamma) == pytest.approx(173.52, rel=5e-3)


@pytest.mark.parametrize("sin2w", [0.2293, 0.23153, 0.25])
def test_scenarios_i_to_iv_closed_forms(sin2w: float) -> None:
    """arXiv:2301.06050 Table I."""
    s, c = math.sqrt(sin2w), math.sqrt(1.0 - sin2w)
    tw = s / c
    expected = {
        Scenario.I: (-tw, 0.0),
        Scenario.II: (c / s, math.sqrt(2.0) / s),
        Scenario.III: (0.0, math.sqrt(2.0) * s),
        Scenario.IV: (-math.tan(2.0 * math.asin(s)), -math.sqrt(2.0) * s / (c * c - s * s)),
    }
    for sc, (dz, dw) in expected.items():
        r = scenario_ratios(sc, sin2w)
        assert r.dz_over_dgamma == pytest.approx(dz, abs=1e-12), sc
        assert r.dw_over_dgamma == pytest.approx(dw, abs=1e-12), sc
    assert scenario_ratios("A", sin2w) == scenario_ratios("I", sin2w)
    assert scenario_ratios("B", sin2w) == scenario_ratios("III", sin2w)


@given(
    d_w=st.floats(-10.0, 10.0).filter(lambda x: abs(x) > 1e-3),
    d_b=st.floats(-10.0, 10.0).filter(lambda x: abs(x) > 1e-3),
    sin2w=st.floats(0.05, 0.95),
)
def test_ratio_formulas_follow_from_the_broken_lagrangian(
    d_w: float, d_b: float, sin2w: float
) -> None:
    """The talk's ratio formulas are the ratios of its d_gamma, d_Z, d_W in terms of d_W, d_B."""
    broken = gauge_to_broken(d_w, d_b, sin2w, VEV)
    if abs(broken.d_gamma) < 1e-6 * VEV:
        return  # a = -2 cot θ_w: no photon coupling
    r = ratios_from_a(d_w / d_b, sin2w)
    assert r.dz_over_dgamma == pytest.approx(broken.d_z / broken.d_gamma, rel=1e-9, abs=1e-12)
    assert r.dw_over_dgamma == pytest.approx(broken.d_w / broken.d_gamma, rel=1e-9, abs=1e-12)
    g = ratios_from_gauge(d_w, d_b, sin2w)
    assert g.dz_over_dgamma == pytest.approx(r.dz_over_dgamma, rel=1e-9, abs=1e-12)
    assert g.dw_over_dgamma == pytest.approx(r.dw_over_dgamma, rel=1e-9, abs=1e-12)


def test_scenario_ii_is_the_large_a_limit() -> None:
    limit = ratios_from_a(1e9, SIN2W_TALK)
    ii = scenario_ratios("II", SIN2W_TALK)
    assert ii.dz_over_dgamma == pytest.approx(limit.dz_over_dgamma, rel=1e-8)
    assert ii.dw_over_dgamma == pytest.approx(limit.dw_over_dgamma, rel=1e-8)
    assert scenario_a("II", SIN2W_TALK) is None


def test_couplings_scale_with_d_gamma() -> None:
    r = scenario_ratios("IV", SIN2W_TALK)
    c = r.couplings(2e-6)
    assert c.d_gamma == 2e-6
    assert c.d_z == pytest.approx(2e-6 * r.dz_over_dgamma)
    assert c.d_w == pytest.approx(2e-6 * r.dw_over_dgamma)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5])
def test_bad_sin2w_is_rejected(bad: float) -> None:
    with pytest.raises(ValueError, match="sin"):
        scenario_ratios("I", bad)


def test_pole_at_minus_two_cot_theta_is_rejected() -> None:
    a = -2.0 / math.tan(math.asin(math.sqrt(SIN2W_TALK)))
    with pytest.raises(ValueError, match="d_gamma vanishes"):
        ratios_from_a(a, SIN2W_TALK)
