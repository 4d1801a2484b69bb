"""Far-detector reach with N from W and Z decays (issue 9): hand count, sources that add,
scenario dependence, the N width and signal with electroweak dipoles, and the unchanged
meson-only numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nudipole.api import far_detector_events, far_reach
from nudipole.constants import GAMMA_W, M_W, SIN2_THETA_W
from nudipole.experiments import ExperimentError
from nudipole.experiments.registry import load_far_experiment
from nudipole.model import DipoleCouplings, Flavour
from nudipole.physics import decay_ew
from nudipole.physics.couplings import scenario_ratios
from nudipole.production.meson_table import lepton_mass
from nudipole.reach.far_couplings import PHOTON_SIGNAL, make_far_couplings
from nudipole.reach.far_events import far_events
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import compute_far_reach

PAPER = get_far_preset("paper")


def _rows(**kw):
    return {r.channel: r for r in far_detector_events(preset="paper", **kw)}


def test_hand_count_n_from_w_at_1_gev_scenario_d() -> None:
    """N produced from W+ and from W- (MATHUSLA, 3 ab^-1, m_N = 1 GeV, scenario D, d_gamma =
    1e-8 GeV^-1, muon flavour) = sigma(pp -> W) x L x Br(W -> mu N), written out."""
    m_n, d_gamma, lumi_pb = 1.0, 1.0e-8, 3.0e6  # GeV, GeV^-1, pb^-1 (3 ab^-1)
    # sigma(pp -> W+- X, 14 TeV) = ATLAS sigma x B at 13 TeV (PLB 759 (2016) 601, arXiv:
    # 1603.09222: 11.83 nb for W+, 8.79 nb for W-) x LO Pythia transfer 13 -> 14 TeV
    # (1.07974, 1.08626; data/spectra/wz/normalisation.toml) / PDG B(W -> l nu) = 0.1086
    sigma = {"W+": 11830.0 * 1.07974 / 0.1086, "W-": 8790.0 * 1.08626 / 0.1086}
    # scenario D: a = d_W/d_B = -3.73, d_W/d_gamma = sqrt2 a / (2 c_w + a s_w)
    # (couplings.py; talk), at the package's sin^2 theta_w
    a = -3.73
    s_w, c_w = math.sqrt(SIN2_THETA_W), math.sqrt(1.0 - SIN2_THETA_W)
    d_w = math.sqrt(2.0) * a / (2.0 * c_w + a * s_w) * d_gamma
    # Gamma(W -> l N) = d_W^2 lambda^1/2 [M^4 + M^2 (m^2 + m_l^2) - 2 (m^2 - m_l^2)^2]
    # / (12 pi M^3) (physics/boson_decays_to_n.py, Eq. 2, derived); Br = Gamma / Gamma_W (PDG)
    m_l = lepton_mass("mu")
    lam = (M_W**2 - (m_n + m_l) ** 2) * (M_W**2 - (m_n - m_l) ** 2)
    poly = M_W**4 + M_W**2 * (m_n**2 + m_l**2) - 2.0 * (m_n**2 - m_l**2) ** 2
    br = d_w**2 * math.sqrt(lam) * poly / (12.0 * math.pi * M_W**3) / GAMMA_W
    rows = _rows(
        experiment="mathusla",
        mass=m_n,
        d=d_gamma,
        sources="wz",
        scenario="D",
        flavour="mu",
    )
    w = rows["W"]
    for part in ("W+", "W-"):
        hand = sigma[part] * lumi_pb * br
        assert w.by_part[part]["produced"] == pytest.approx(hand, rel=1e-9)
        assert w.by_part[part]["parents"] == pytest.approx(sigma[part] * lumi_pb, rel=1e-9)
    assert w.produced == pytest.approx(sum(v["produced"] for v in w.by_part.values()), rel=1e-12)
    # about 3.7e3 N from W+ and 2.7e3 from W- at this point
    assert 3.0e3 < w.by_part["W+"]["produced"] < 4.5e3
    assert w.produced >= w.heading >= w.decaying >= w.passing > 0.0


def test_meson_and_wz_sources_add() -> None:
    point = {"experiment": "mathusla", "mass": 0.05, "d": 3e-7, "scenario": "D", "flavour": "tau"}
    both = _rows(sources="mesons,wz", **point)
    mesons = _rows(sources="mesons", **point)
    wz = _rows(sources="wz", **point)
    assert list(both) == [*mesons, *wz]
    for name, row in {**mesons, **wz}.items():
        for field in ("parents", "produced", "heading", "decaying", "passing"):
            assert getattr(both[name], field) == pytest.approx(getattr(row, field), rel=1e-12)
    total = sum(r.passing for r in both.values())
    parts = sum(r.passing for r in mesons.values()) + sum(r.passing for r in wz.values())
    assert total == pytest.approx(parts, rel=1e-12)
    assert sum(r.passing for r in wz.values()) > 0.0
    assert sum(r.passing for r in mesons.values()) > 0.0


def test_wz_rate_grows_with_a_towards_the_scenario_d_pole() -> None:
    """At fixed d_gamma the W (Z) rate goes as (d_W/d_gamma)^2 ((d_Z/d_gamma)^2): C vs D is
    exactly their ratio, and the rate grows with |a| towards the pole a = -2 cot theta_w."""
    point = {"experiment": "faser2", "mass": 0.5, "d": 1e-7, "sources": "wz", "flavour": "e"}
    c, d = _rows(scenario="C", **point), _rows(scenario="D", **point)
    r_c, r_d = scenario_ratios("C", SIN2_THETA_W), scenario_ratios("D", SIN2_THETA_W)
    assert d["W"].produced / c["W"].produced == pytest.approx(
        (r_d.dw_over_dgamma / r_c.dw_over_dgamma) ** 2, rel=1e-12
    )
    assert d["Z"].produced / c["Z"].produced == pytest.approx(
        (r_d.dz_over_dgamma / r_c.dz_over_dgamma) ** 2, rel=1e-12
    )
    assert d["W"].heading / c["W"].heading == pytest.approx(
        (r_d.dw_over_dgamma / r_c.dw_over_dgamma) ** 2, rel=1e-12
    )
    pole = -2.0 * math.sqrt((1.0 - SIN2_THETA_W) / SIN2_THETA_W)  # -3.644
    produced = [
        sum(r.produced for r in _rows(a=a, **point).values())
        for a in (-1.0, -2.0, -3.0, -3.5, -3.6, 0.99 * pole)
    ]
    assert np.all(np.diff(produced) > 0.0)
    assert produced[-1] / produced[2] > 1e2


def test_scenarios_c_d_reach_far_below_existing_dtau_limits() -> None:
    """In C and D the LLP detectors reach d_gamma ~ 1e-8 (MATHUSLA, 1 GeV), far below the
    existing d_tau limits from above there (LEP, 2.1e-5 GeV^-1; the seed's Fig. 3 set), and
    the bands are new ground."""
    from nudipole.limits import load_catalogue
    from nudipole.limits.newground import envelope, new_ground_band_intervals

    limits = load_catalogue().paper_set().for_flavour(Flavour.TAU)
    masses = [0.3, 1.0]
    for scenario, below in (("C", 30.0), ("D", 100.0)):
        r = far_reach(
            "mathusla",
            masses,
            preset="paper",
            sources="wz",
            scenario=scenario,
            flavour="tau",
            error_estimate=False,
        )
        strongest = envelope(limits, np.asarray(masses))
        assert np.all(np.isfinite(r.d95))
        assert np.all(r.d95 * below < strongest), (scenario, r.d95, strongest)
        free = new_ground_band_intervals(limits, r.mass, r.d95, r.upper)
        assert free
        assert free[0].low <= 0.3
        assert free[-1].high >= 1.0


def test_scenarios_a_b_mesons_dominate() -> None:
    """In A and B (|d_Z|, |d_W| < d_gamma) the W/Z source is far weaker than the mesons
    (FASER-2, d_e, 50 MeV: no W/Z band at all; MATHUSLA, d_tau: the W/Z band's lower edge is
    about 4x above the mesons', i.e. about 200x fewer events, since N ~ d^4 there)."""
    for scenario in ("A", "B"):
        kw = {"preset": "paper", "scenario": scenario, "error_estimate": False}
        mesons = far_reach("faser2", [0.05], sources="mesons", **kw)
        wz = far_reach("faser2", [0.05], sources="wz", **kw)
        both = far_reach("faser2", [0.05], sources="mesons,wz", **kw)
        assert math.isnan(wz.d95[0])
        assert both.d95[0] == pytest.approx(mesons.d95[0], rel=1e-3)
        kw_m = {**kw, "flavour": "tau"}
        mesons = far_reach("mathusla", [0.05], sources="mesons", **kw_m)
        wz = far_reach("mathusla", [0.05], sources="wz", **kw_m)
        assert wz.d95[0] > 2.0 * mesons.d95[0]


def test_meson_only_numbers_do_not_change() -> None:
    """No scenario: exactly the photon-only bands, whatever way the mesons are asked for;
    with a scenario the mesons only see the total width (Br(nu gamma) = 1 - 1e-12 at 1 GeV)."""
    exp = load_far_experiment("faser2")
    masses = [0.01, 0.1]
    base = compute_far_reach(exp, masses, PAPER, error_estimate=False)
    explicit = compute_far_reach(exp, masses, PAPER, error_estimate=False, couplings=PHOTON_SIGNAL)
    api = far_reach(exp, masses, preset="paper", sources="mesons", error_estimate=False)
    for other in (explicit, api):
        np.testing.assert_array_equal(other.d95, base.d95)
        np.testing.assert_array_equal(other.upper, base.upper)
        assert other.inputs["events_at_d95_per_channel"] == base.inputs["events_at_d95_per_channel"]
    assert "wz_source" not in base.inputs
    assert base.inputs["couplings"] == {"couplings": "photon only", "flavour": "e"}
    assert "wz_tables" not in base.inputs["integration"]
    scen = far_reach(exp, masses, preset="paper", scenario="D", error_estimate=False)
    np.testing.assert_allclose(scen.d95, base.d95, rtol=1e-6)
    assert scen.inputs["couplings"]["couplings"] == "scenario D"


def test_total_width_and_signal_fraction() -> None:
    """Heavy N in scenario D: the decay length uses the total width, the passing events are
    the decays inside x Br(N -> nu gamma) (paper preset); ``visible`` adds the other visible
    decays and equals ``photon`` where Br(nu gamma) = 1."""
    m_n, flavour = 30.0, "tau"
    ratios = scenario_ratios("D", SIN2_THETA_W)
    couplings = {Flavour.TAU: DipoleCouplings(1.0, ratios.dz_over_dgamma, ratios.dw_over_dgamma)}
    br = float(decay_ew.branching_ratio_nu_gamma(m_n, couplings))
    assert br < 0.8  # the three-body decays matter at 30 GeV in D (Br = 0.72)
    point = {"experiment": "mathusla", "mass": m_n, "d": 3e-11, "sources": "wz"}
    photon = _rows(scenario="D", flavour=flavour, **point)
    for row in photon.values():
        assert row.decaying > 0.0
        assert row.passing == pytest.approx(row.decaying * br, rel=1e-9)
    visible = _rows(scenario="D", flavour=flavour, signal="visible", **point)
    widths = decay_ew.partial_widths(m_n, couplings)
    total = sum(float(v) for v in widths.values())
    assert visible["W"].passing > photon["W"].passing
    assert visible["W"].passing < visible["W"].decaying * (1.0 + 1e-12)
    # only N -> nu nu nubar is missing from the visible signal
    invisible = 1.0 - visible["W"].passing / visible["W"].decaying
    assert 0.0 < invisible < float(widths["nu Z(*)"]) / total
    low = {"experiment": "faser2", "mass": 0.1, "d": 1e-6, "sources": "wz", "flavour": "e"}
    a, b = _rows(scenario="C", **low), _rows(scenario="C", signal="visible", **low)
    assert b["W"].passing == pytest.approx(a["W"].passing, rel=1e-9)


def test_wz_inputs_and_errors() -> None:
    r = far_reach(
        "faser2",
        [0.1],
        preset="paper",
        sources="wz",
        scenario="C",
        flavour="tau",
        error_estimate=False,
        boson_polarisation="unpolarised",
        wz_tables="foresee",
    )
    inp = r.inputs
    assert inp["channels"] == ["W", "Z"]
    assert set(inp["events_at_d95_per_channel"]) == {"W", "Z"}
    assert inp["wz_source"]["tables"] == "foresee"
    assert inp["wz_source"]["boson_polarisation"] == "unpolarised"
    assert inp["couplings"]["couplings"] == "scenario C"
    assert inp["couplings"]["flavour"] == "tau"
    assert any("2302.02081" in c for c in inp["citations"])
    exp = load_far_experiment("faser2")
    with pytest.raises(ExperimentError, match="needs d_Z and d_W"):
        compute_far_reach(exp, [0.1], PAPER, channels=("W",))
    with pytest.raises(ExperimentError, match="flavour"):
        far_events(exp, 0.1, 1e-6, PAPER, ("Z",), "e", couplings=make_far_couplings("tau", "C"))
    with pytest.raises(ExperimentError, match="not in the source"):
        far_reach("faser2", [0.1], sources="mesons", channels="W", scenario="C")
    with pytest.raises(ExperimentError, match="must be a number"):
        far_reach("faser2", [0.1], sources="wz", a=math.nan)
    with pytest.raises(ExperimentError, match="d_gamma vanishes"):
        far_reach("faser2", [0.1], sources="wz", a=-2.0 * math.sqrt(0.76847 / 0.23153))
