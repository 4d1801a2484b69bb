"""New ground of the seed's Fig. 3 curves against the seed's set of existing limits.

Seed (Zhang et al., PLB 829 (2022) 137116, arXiv:2204.07802), Sec. III: Belle II explores
d_e and d_tau at 0.07-10 GeV and d_mu at 2-10 GeV; STCF (4 GeV, 30 ab^-1) d_e and d_tau at
0.07-3.8 GeV and d_mu at 2-3.8 GeV. Tolerances (issue 3): upper edges 15 %; d_e lower edges a
factor 1.5; d_mu lower edges a factor 2.5. The d_tau lower edges are set by the projection
crossing the flat LEP bound and differ from the seed's (docs/existing-limits.md); they are
regression-tested against our own documented values with the tolerance stated there.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from nudipole.api import mass_grid, reach, resolve_experiment
from nudipole.limits import load_catalogue, new_ground_intervals
from nudipole.reach.recipes import LANDSCAPE, SEED_NEW_GROUND
from nudipole.reach.result import ReachResult

pytestmark = pytest.mark.slow
N_MASSES = 160
PAPER_LIMITS = load_catalogue().paper_set()
CURVES = {curve.label: curve for curve, _ in LANDSCAPE}


@cache
def projection(label: str, preset: str = "paper") -> ReachResult:
    curve = CURVES[label]
    exp = resolve_experiment(curve.experiment, sqrt_s=curve.sqrt_s, lumi=curve.lumi)
    m = mass_grid(1e-3, 0.995 * exp.max_sqrt_s, N_MASSES)
    return reach(exp, m, selection=curve.selection, preset=preset)


def single_interval(label: str, flavour: str, preset: str = "paper") -> tuple[float, float]:
    res = projection(label, preset)
    ivs = new_ground_intervals(PAPER_LIMITS.for_flavour(flavour), res.mass, res.d95)
    assert len(ivs) == 1, ivs
    return ivs[0].low, ivs[0].high


CASES = [(label, f) for label, edges in SEED_NEW_GROUND.items() for f in edges]


@pytest.mark.parametrize(("label", "flavour"), CASES)
def test_upper_edges_within_15_percent(label: str, flavour: str) -> None:
    _lo, hi = single_interval(label, flavour)
    assert hi == pytest.approx(SEED_NEW_GROUND[label][flavour][1], rel=0.15)


@pytest.mark.parametrize("label", list(SEED_NEW_GROUND))
def test_d_e_lower_edges_within_factor_1_5(label: str) -> None:
    lo, _hi = single_interval(label, "e")
    seed = SEED_NEW_GROUND[label]["e"][0]
    assert seed / 1.5 < lo < seed * 1.5
    # set by where LSND's digitisation ends (98.4 MeV): the edge sits just below it
    assert 0.085 < lo < PAPER_LIMITS.get("lsnd").mass_range[1]


@pytest.mark.parametrize("label", list(SEED_NEW_GROUND))
def test_d_mu_lower_edges_within_factor_2_5(label: str) -> None:
    lo, _hi = single_interval(label, "mu")
    seed = SEED_NEW_GROUND[label]["mu"][0]
    assert seed / 2.5 < lo < seed * 2.5


@pytest.mark.parametrize(
    ("label", "documented"),
    [("Belle II 50/ab low-mass (gBG incl.)", 0.035), ("STCF 4 GeV 30/ab", 0.016)],
)
def test_d_tau_lower_edges_where_the_projection_crosses_lep(label: str, documented: float) -> None:
    """docs/existing-limits.md: 0.035 GeV (Belle II) and 0.016 GeV (STCF), 20 % tolerance
    for the Monte Carlo and the mass grid; the seed quotes 0.07 GeV for both."""
    lo, _hi = single_interval(label, "tau")
    assert lo == pytest.approx(documented, rel=0.2)
    # the edge is where d95 meets LEP's flat bound (2.1e-5 GeV^-1)
    res = projection(label)
    d_at_edge = float(np.exp(np.interp(np.log(lo), np.log(res.mass), np.log(res.d95))))
    lep = PAPER_LIMITS.get("lep").curves[0]
    lep_at_edge = float(np.exp(np.interp(np.log(lo), np.log(lep[:, 0]), np.log(lep[:, 1]))))
    assert d_at_edge == pytest.approx(lep_at_edge, rel=0.03)


def test_besiii_opens_no_ground_for_d_mu_but_does_for_d_e() -> None:
    res = projection("BESIII 27/fb")
    assert new_ground_intervals(PAPER_LIMITS.for_flavour("mu"), res.mass, res.d95) == []
    (iv,) = new_ground_intervals(PAPER_LIMITS.for_flavour("e"), res.mass, res.d95)
    assert 3.0 < iv.high < 3.8  # up to where BESIII's highest energies stop reaching


def test_full_catalogue_only_removes_ground() -> None:
    """Adding limits (Super-K, BBN, Borexino+SK) can only shrink the new ground."""
    full = load_catalogue()
    for label in CURVES:
        res = projection(label)
        for flavour in ("e", "mu", "tau"):
            paper = new_ground_intervals(PAPER_LIMITS.for_flavour(flavour), res.mass, res.d95)
            more = new_ground_intervals(full.for_flavour(flavour), res.mass, res.d95)
            width = sum(np.log(iv.high / iv.low) for iv in paper)
            assert sum(np.log(iv.high / iv.low) for iv in more) <= width + 1e-9
            for iv in more:
                assert any(p.low <= iv.low * 1.001 and iv.high <= p.high * 1.001 for p in paper)
