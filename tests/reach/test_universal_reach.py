"""Flavour-universal dipole (d_e = d_mu = d_tau = d) at the far detectors (issue 9): the
three-flavour width, the band against a hand-built sum of the three flavours' rays, the
sqrt(3) relation where the flavours are alike, counts and inputs."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from nudipole.api import far_detector_events, far_reach, single_flavour
from nudipole.experiments import ExperimentError
from nudipole.experiments.registry import load_far_experiment
from nudipole.model import Flavour, FlavourMode, Nature
from nudipole.physics.decay import width_nu_gamma
from nudipole.production.meson_source import SourceOptions
from nudipole.reach.band import merge_rays, solve_band
from nudipole.reach.far_couplings import PHOTON_SIGNAL, FarSignal, make_far_couplings
from nudipole.reach.far_events import _flux
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import band_rays, compute_far_reach
from nudipole.reach.far_setup import detector_options, signal_threshold

DEFAULT = get_far_preset("default")
WZ = ("W", "Z")


@pytest.mark.parametrize("m_n", [0.3, 1.0, 2.5, 8.0])
@pytest.mark.parametrize("signal", list(FarSignal))
def test_universal_width_is_the_sum_of_the_flavours(m_n: float, signal: FarSignal) -> None:
    """Different flavours give different final states (no interference), so the universal
    total width at d is the sum of the three single-flavour widths at d, each with its own
    lepton mass in N -> l W(*); the photon width is exactly 3 x seed Eq. 4."""
    univ = make_far_couplings("universal", scenario="C", signal=signal)
    singles = [make_far_couplings(f, scenario="C", signal=signal) for f in Flavour]
    total = univ.width_unit(m_n, Nature.DIRAC)
    assert total == pytest.approx(math.fsum(c.width_unit(m_n, Nature.DIRAC) for c in singles))
    br_photon, br_other = univ.signal_fractions(m_n, Nature.DIRAC)
    assert br_photon * total == pytest.approx(3.0 * float(width_nu_gamma(m_n, 1.0, Nature.DIRAC)))
    visible = math.fsum(
        sum(c.signal_fractions(m_n, Nature.DIRAC)) * c.width_unit(m_n, Nature.DIRAC)
        for c in singles
    )
    assert (br_photon + br_other) * total == pytest.approx(visible)
    # photon only (meson source without a scenario): Gamma = sum_k d_k^2 m^3 / (4 pi)
    photon = make_far_couplings("universal")
    assert photon.photon_only
    assert photon.universal
    assert photon.width_unit(m_n, Nature.MAJORANA) == pytest.approx(
        3.0 * float(width_nu_gamma(m_n, 1.0, Nature.MAJORANA))
    )


def _hand_band(detector: str, m_n: float) -> tuple[float, float]:
    """The universal band built by hand: each flavour's full (unmerged, NumPy) rays with the
    universal width and signal fraction, concatenated, merged once and solved. 16 phi*
    nodes: the NumPy rule then agrees with the compiled count, which is exact in phi* inside
    a region of the detector (tests/reach/test_far_rays.py)."""
    exp = load_far_experiment(detector)
    cpl = make_far_couplings("universal", scenario="C")
    opts = detector_options(exp, SourceOptions(form_factor=str(DEFAULT.form_factor)))
    opts = replace(opts, n_phi=max(opts.n_phi, 16))
    parts = [band_rays(_flux(exp, m_n, WZ, str(f), opts, cpl), exp, DEFAULT, cpl) for f in Flavour]
    rays = merge_rays(
        np.concatenate([r.coeff for r in parts]),
        np.concatenate([r.a for r in parts]),
        np.concatenate([r.b for r in parts]),
    )
    return solve_band(rays, signal_threshold(exp, DEFAULT))


@pytest.mark.parametrize(("detector", "m_n"), [("mathusla", 0.5), ("faser2", 0.05)])
def test_universal_band_against_hand_built_sum_of_flavours(detector: str, m_n: float) -> None:
    result = far_reach(
        detector,
        [m_n],
        sources="wz",
        scenario="C",
        flavour="universal",
        error_estimate=False,
    )
    lo, hi = _hand_band(detector, m_n)
    assert math.isfinite(lo)
    # measured: 2e-5 and 1.3e-4 (lower), 1.4e-4 (upper): the compiled kernel vs unmerged NumPy rays
    assert result.d95[0] == pytest.approx(lo, rel=5e-4)
    assert result.upper[0] == pytest.approx(hi, rel=5e-4)
    assert result.inputs["couplings"]["flavour"] == "universal"
    assert result.inputs["couplings"]["couplings"] == "scenario C"


def test_sqrt3_where_the_flavours_are_alike() -> None:
    """At m_N = 0.5 GeV (W/Z only) the three flavours make N alike (m_tau^2 / M_W^2 ~ 4e-4)
    and N -> l W* is negligible against N -> nu gamma, so N_univ(u) = N_single(3 u): the
    band is the electron band / sqrt(3) to < 1e-3 (measured 1.00004)."""
    masses = [0.1, 0.5]
    kw = {"sources": "wz", "scenario": "C", "error_estimate": False}
    univ = far_reach("mathusla", masses, flavour="universal", **kw)
    single = far_reach("mathusla", masses, flavour="e", **kw)
    np.testing.assert_allclose(single.d95 / math.sqrt(3.0) / univ.d95, 1.0, atol=1e-3)
    np.testing.assert_allclose(single.upper / math.sqrt(3.0) / univ.upper, 1.0, atol=1e-3)


def test_universal_counts_sum_the_flavours() -> None:
    """N produced (width-independent) from the universal dipole = the sum of the three
    single flavours' at the same d; the parents are counted once."""
    point = {"experiment": "mathusla", "mass": 2.0, "d": 1e-8, "sources": "wz", "scenario": "C"}
    univ = {r.channel: r for r in far_detector_events(flavour="universal", **point)}
    singles = [
        {r.channel: r for r in far_detector_events(flavour=f.value, **point)} for f in Flavour
    ]
    for name, row in univ.items():
        assert row.parents == pytest.approx(singles[0][name].parents, rel=1e-12)
        assert row.produced == pytest.approx(sum(s[name].produced for s in singles), rel=1e-12)
        for part, counts in row.by_part.items():
            made = sum(s[name].by_part[part]["produced"] for s in singles)
            assert counts["produced"] == pytest.approx(made, rel=1e-12)
        assert row.produced >= row.heading >= row.decaying >= row.passing > 0.0


def test_flavour_mode_mismatch_and_e_plus_e_minus_refused() -> None:
    exp = load_far_experiment("mathusla")
    univ = make_far_couplings("universal", scenario="C")
    with pytest.raises(ExperimentError, match="universal"):
        compute_far_reach(exp, [0.5], DEFAULT, channels=WZ, flavour=Flavour.E, couplings=univ)
    with pytest.raises(ExperimentError, match="universal"):
        compute_far_reach(
            exp, [0.5], DEFAULT, flavour=FlavourMode.UNIVERSAL, couplings=PHOTON_SIGNAL
        )
    with pytest.raises(ExperimentError, match="far detectors"):
        single_flavour("universal")
    with pytest.raises(ExperimentError, match="unknown flavour"):
        single_flavour("nu")
    with pytest.raises(ValueError, match="unknown flavour"):
        make_far_couplings("all")
    assert FlavourMode.UNIVERSAL.flavours == tuple(Flavour)
    assert FlavourMode.TAU.flavours == (Flavour.TAU,)
