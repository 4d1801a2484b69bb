"""Events of an e+e- experiment at one point: the stages are what the reach scan uses.

At d = d95 of the reach scan the passing signal is exactly the signal the limit statistic
needs; the stages follow their definitions (reach/collider_events.py docstring); the decay
probability of the fixed-length model is seed Eq. 6 by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nudipole
from nudipole.api import collider_events, events
from nudipole.experiments import ExperimentError
from nudipole.physics.decay import width_nu_gamma
from nudipole.physics.production import n_momentum_cm
from nudipole.reach.collider_events import required_signal
from nudipole.stats import DELTA_CHI2_95, Statistic


@pytest.mark.parametrize(
    ("mass", "preset"), [(1.0, "default"), (1.0, "paper"), (0.02, "default"), (5.0, "paper")]
)
def test_passing_at_d95_is_the_signal_the_statistic_requires(mass: float, preset: str) -> None:
    r = nudipole.reach("belle2", masses=[mass], preset=preset)
    d95 = float(r.d95[0])
    (row,) = collider_events("belle2", mass, d95, preset=preset, selection="low-mass")
    b = row.background
    # one energy point, chi^2 = S^2/(S + B) = Delta  =>  S = [Delta + sqrt(Delta^2 + 4 Delta B)]/2
    s95 = 0.5 * (DELTA_CHI2_95 + math.sqrt(DELTA_CHI2_95**2 + 4.0 * DELTA_CHI2_95 * b))
    assert row.passing == pytest.approx(s95, rel=1e-8)
    assert row.signal_required == pytest.approx(s95, rel=1e-10)
    assert row.statistic_value == pytest.approx(DELTA_CHI2_95, rel=1e-8)
    assert row.acceptance == pytest.approx(float(r.acceptance[0]), rel=1e-12)
    point = r.inputs["points"][0]
    assert b == pytest.approx(
        point["background_irreducible"] + point["background_reducible"], rel=1e-12
    )
    below = collider_events("belle2", mass, 0.99 * d95, preset=preset, selection="low-mass")
    above = collider_events("belle2", mass, 1.01 * d95, preset=preset, selection="low-mass")
    assert not below[0].excluded
    assert above[0].excluded


def test_several_points_reach_the_threshold_at_d95() -> None:
    """BESIII: 71 energy points, the statistic is summed over them."""
    r = nudipole.reach("besiii", masses=[1.0])
    (row,) = events("besiii", 1.0, float(r.d95[0]))
    assert len(row.points) == 71
    assert row.statistic_value == pytest.approx(DELTA_CHI2_95, rel=1e-8)
    assert row.passing == pytest.approx(row.signal_required, rel=1e-8)
    assert row.acceptance == pytest.approx(float(r.acceptance[0]), rel=1e-12)


def test_published_limit_selection_matches_the_scan() -> None:
    """LEP (DELPHI measured cross section, scenario I): S95 = excluded sigma x L."""
    r = nudipole.reach("lep", masses=[20.0], selection="delphi", scenario="I")
    (row,) = collider_events("lep", 20.0, float(r.d95[0]), selection="delphi", scenario="I")
    assert row.statistic == "signal"
    assert row.passing == pytest.approx(row.signal_required, rel=1e-8)
    assert math.isnan(row.background)


def test_stages_follow_their_definitions() -> None:
    rows = collider_events("belle2", 0.05, 3e-5)
    assert [r.selection for r in rows] == ["low-mass", "bbg", "high-mass"]
    for r in rows:
        assert r.produced >= r.in_acceptance >= r.decaying >= r.passing > 0.0
        assert r.in_acceptance == pytest.approx(r.produced * r.acceptance, rel=1e-12)
        assert r.decaying == pytest.approx(r.in_acceptance * r.decay_probability, rel=1e-12)
        # photon-only: Br(N -> nu gamma) = 1, Belle II photon efficiency 0.95
        assert r.passing == pytest.approx(0.95 * r.decaying, rel=1e-12)
        assert 0.0 < r.decay_probability < 1.0  # long-lived at 50 MeV
    # N produced does not depend on the selection
    assert rows[0].produced == pytest.approx(rows[2].produced, rel=1e-14)


def test_fixed_length_decay_probability_is_seed_eq6() -> None:
    """paper preset: every N has l_D = 3 m and the CM momentum, P = 1 - exp(-l_D / l_dec)."""
    m, d, rs = 0.05, 3e-5, 10.58
    (row,) = collider_events("belle2", m, d, preset="paper", selection="bbg")
    l_d = 3.0 / 1.973269804e-16  # 3 m in GeV^-1 (hbar c = 0.1973269804 GeV fm)
    l_dec = float(n_momentum_cm(rs**2, m)) / (m * float(width_nu_gamma(m, d)))
    assert row.decay_probability == pytest.approx(1.0 - math.exp(-l_d / l_dec), rel=1e-9)


def test_bad_points_are_refused() -> None:
    for mass, d, match in [
        (0.0, 1e-5, "--mass 0"),
        (float("nan"), 1e-5, "--mass nan"),
        (10.58, 1e-5, "at or above the threshold"),
        (1.0, 0.0, "--d 0"),
        (1.0, -1e-5, "--d -1e-05"),
        (1.0, float("inf"), "--d inf"),
    ]:
        with pytest.raises(ExperimentError, match=match):
            collider_events("belle2", mass, d)


def test_required_signal_single_point_closed_form() -> None:
    s, b = np.array([5.0]), np.array([40.0])
    for stat, expected in [
        (Statistic.CHI2, 0.5 * (2.7 + math.sqrt(2.7**2 + 4 * 2.7 * 40.0))),
        (Statistic.SIGNAL, 2.7),
    ]:
        assert required_signal(s, b, stat, 2.7) == pytest.approx(expected, rel=1e-12)
    assert math.isnan(required_signal(np.zeros(2), np.ones(2), Statistic.CHI2, 2.7))
