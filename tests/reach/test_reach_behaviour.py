"""Reach scans: conventions, integration methods and scaling laws."""

from dataclasses import asdict, replace

import numpy as np
import pytest

import nudipole
from nudipole.experiments import ExperimentError, load_experiment
from nudipole.reach.presets import DEFAULT, PAPER, ChargeStates, get_preset

#: Monte Carlo events per mass where a test uses the "mc" sampler.
MC = {"sampler": "mc", "n_events": 8192}


def test_presets_are_as_documented() -> None:
    assert str(DEFAULT.photon_angular) == "spin-correlated"
    assert str(DEFAULT.decay_model) == "lab-volume"
    assert str(PAPER.photon_angular) == "isotropic"
    assert str(PAPER.decay_model) == "fixed-length"
    assert DEFAULT.charge_states is PAPER.charge_states is ChargeStates.BOTH
    with pytest.raises(ValueError, match="unknown preset"):
        get_preset("nonsense")


def test_override_names_the_change() -> None:
    r = nudipole.reach("stcf", [1.0], preset="paper", photon_angular="one-minus-cos")
    assert r.inputs["preset"] == "paper[photon_angular=one-minus-cos]"


def test_one_charge_state_weakens_by_root_two_when_background_dominated() -> None:
    both = nudipole.reach("belle2", [1.0], preset="paper").d95[0]
    one = nudipole.reach("belle2", [1.0], preset="paper", charge_states="n-only").d95[0]
    # S halves; chi2 ~ S^2/B at fixed d -> d95 ~ S^(-1/2) per d^2 -> factor 2^(1/2)
    assert one / both == pytest.approx(np.sqrt(2), rel=0.01)


def test_luminosity_scaling_background_dominated() -> None:
    a = nudipole.reach("belle2", [1.0], preset="paper", lumi="50/ab").d95[0]
    b = nudipole.reach("belle2", [1.0], preset="paper", lumi="0.5/ab").d95[0]
    assert b / a == pytest.approx(100**0.25, rel=0.01)  # d ~ L^(-1/4)


def test_decay_models_agree_for_prompt_decays() -> None:
    # At 3 GeV N decays within microns: only the acceptance matters.
    a = nudipole.reach("stcf", [3.0], preset="paper").d95[0]
    b = nudipole.reach("stcf", [3.0], preset="paper", decay_model="lab-volume").d95[0]
    assert a == pytest.approx(b, rel=1e-6)


def test_long_lived_regime_curve_bends_up() -> None:
    r = nudipole.reach("stcf", [0.01, 0.02, 0.04], preset="paper")
    # l_dec >> l_D: P_dec ~ l_D/l_dec = l_D d^2 m^4/(4 pi p), so S ~ d^4 m^4 at fixed sigma and
    # acceptance, and the limit scales as m^-1 (PHYSICS.md §4: "the curve bends up").
    slope = np.polyfit(np.log(r.mass), np.log(r.d95), 1)[0]
    assert slope == pytest.approx(-1.0, abs=0.05)


def test_majorana_runs_and_is_stronger() -> None:
    dirac = nudipole.reach("stcf", [0.05, 1.0], preset="default").d95
    major = nudipole.reach("stcf", [0.05, 1.0], preset="default", nature="majorana").d95
    # same production (both channels), isotropic photons, twice the width: faster decays at low mass
    assert major[0] < dirac[0]
    assert major[1] == pytest.approx(
        nudipole.reach("stcf", [1.0], preset="default", photon_angular="isotropic").d95[0],
        rel=1e-6,
    )


def test_quadrature_and_monte_carlo_reach_agree_within_errors() -> None:
    mc = nudipole.reach("belle2", [0.5, 2.0], preset="default", sampler="mc", n_events=65536)
    quad = nudipole.reach("belle2", [0.5, 2.0], preset="default", sampler="quadrature")
    sobol = nudipole.reach("belle2", [0.5, 2.0], preset="default", sampler="sobol", n_events=65536)
    assert np.all(np.abs(mc.d95 - quad.d95) < 4 * mc.d95_error + 0.003 * quad.d95)
    assert np.all(np.abs(sobol.d95 - quad.d95) < 4 * sobol.d95_error + 0.003 * quad.d95)
    assert np.all(mc.d95_error / mc.d95 < 0.005)


def test_reproducible_with_seed_and_sensitive_to_it() -> None:
    a = nudipole.reach("stcf", [1.0], seed=1, **MC).d95
    b = nudipole.reach("stcf", [1.0], seed=1, **MC).d95
    c = nudipole.reach("stcf", [1.0], seed=2, **MC).d95
    assert a[0] == b[0]
    assert a[0] != c[0]


def test_default_rule_is_deterministic_and_refuses_a_seed() -> None:
    a = nudipole.reach("stcf", [1.0])
    b = nudipole.reach("stcf", [1.0])
    assert a.inputs["integration"]["sampler"] == "rules"
    assert a.d95[0] == b.d95[0]
    assert 0.0 < a.d95_error[0] < 0.003 * a.d95[0]
    # a seed or an event count would be ignored by the rule: refused, not ignored
    with pytest.raises(ExperimentError, match="seed=2: only the random samplers"):
        nudipole.reach("stcf", [1.0], seed=2)
    with pytest.raises(ExperimentError, match="n_events=8192: only the random samplers"):
        nudipole.reach("stcf", [1.0], sampler="quadrature", n_events=8192)


def test_no_sensitivity_is_nan_and_inputs_recorded() -> None:
    # BESIII: masses above the lower energy points only see the upper ones
    exp = load_experiment("besiii")
    r = nudipole.reach(exp, [4.9], preset="paper")
    assert np.isfinite(r.d95[0])
    assert r.inputs["version"] == nudipole.__version__
    assert len(r.inputs["points"]) == 71
    # every field of every point, as dataclasses.asdict gives it, plus its backgrounds
    for recorded, point in zip(r.inputs["points"], exp.points, strict=True):
        assert asdict(point).items() <= recorded.items()
        assert {"luminosity", "background_irreducible", "background_reducible"} <= set(recorded)
    blind = replace(exp, detector=replace(exp.detector, efficiency=0.0))
    r = nudipole.reach(blind, [1.0], preset="paper")
    assert np.isnan(r.d95[0])


def test_bad_masses() -> None:
    with pytest.raises(ExperimentError, match="positive"):
        nudipole.reach("belle2", [-1.0])
    with pytest.raises(ExperimentError, match="threshold"):
        nudipole.reach("stcf", [4.5])
