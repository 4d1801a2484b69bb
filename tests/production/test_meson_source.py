"""The meson source: N rays from forward meson decays into a detector's polar window."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nudipole.api import events
from nudipole.detectors import BeamAxisAnnulus, BeamAxisCylinder, CentralCylinder
from nudipole.production.absorber import ChargedMesonDecays
from nudipole.production.meson_rates import br_per_d2
from nudipole.production.meson_source import SourceOptions, meson_flux
from nudipole.production.meson_table import channel_info
from nudipole.production.spectra import builtin_spectrum

FORESEE_RULE = ChargedMesonDecays(absorber_distance_m=20.0, beam_pipe_radius_m=0.05)
OPTIONS = SourceOptions()


def test_hand_count_pi0_at_faser2() -> None:
    """N from pi0 at m_N = 0.05 GeV, d = 1e-5 GeV^-1, 3 ab^-1, written out by hand.

    parents  = 2 x sigma(pi0) x L: both N nubar (pi0 -> gamma nu Nbar) and nubar N
               (its conjugate decay) come from the same self-conjugate parents;
               sigma(pi0) = 1.540e12 pb (EPOS-LHC, talk's Table I: 1.54e15 fb), L = 3e6 pb^-1.
    produced = parents x Br(pi0 -> gamma nu Nbar), Br integrated here from PHYSICS.md §10:
               dBr/dq^2 = Br(pi0->gg) d^2/(6 pi^2) (1 - q^2/m^2)^3 (1 - y)^2 (1 + 2 y),
               y = m_N^2/q^2.
    """
    m_pi, m_n, d, br_gg = 0.1349768, 0.05, 1e-5, 0.98823
    sigma_pb, lumi_pb = 1.54002e12, 3.0e6

    def dbr(q2: float) -> float:
        y = m_n**2 / q2
        return (
            br_gg * d**2 / (6 * math.pi**2) * (1 - q2 / m_pi**2) ** 3 * (1 - y) ** 2 * (1 + 2 * y)
        )

    br, _ = quad(dbr, m_n**2, m_pi**2, epsabs=0, epsrel=1e-12)
    parents = 2 * sigma_pb * lumi_pb
    produced = parents * br
    rows = {r.channel: r for r in events("faser2", m_n, d, preset="paper", channels="pi0")}
    assert rows["pi0"].parents == pytest.approx(parents, rel=1e-4)
    assert rows["pi0"].produced == pytest.approx(produced, rel=2e-4)
    # Orientation: about 7e-5 d^2 per pi0 at small m_N (PHYSICS.md §10), so ~3e4 here.
    assert 1e4 < rows["pi0"].produced < 1e5


def test_a_detector_around_the_interaction_point_catches_every_n() -> None:
    # Every ray leaves a cylinder around the interaction point: heading = produced, a check of
    # the whole angular integration (parent bins, cos theta*, phi* windows, azimuth).
    shape = CentralCylinder(1.0, -1.0, 1.0)
    flux = meson_flux(
        0.3, ["rho", "eta", "D"], "e", shape, shape.polar_window(), FORESEE_RULE, OPTIONS
    )
    np.testing.assert_allclose(flux.heading, flux.produced, rtol=1e-9)


def _mc_acceptance(
    rng: np.random.Generator, window: tuple[float, float], m_n: float, n: int
) -> float:
    """Independent Monte Carlo of rho -> nu Nbar: parents drawn from the spectrum (uniform in
    each log bin), isotropic two-body decay, exact boost; fraction with theta_N in window."""
    spec = builtin_spectrum(113)
    info = channel_info("rho")
    prob = spec.sigma_pb / spec.sigma_pb.sum()
    k = rng.choice(prob.size, size=n, p=prob)
    half = 0.5 * spec.bin_width_log10
    theta_p = 10 ** (spec.log10_theta[k] + rng.uniform(-half, half, n))
    p_p = 10 ** (spec.log10_p[k] + rng.uniform(-half, half, n))
    m = info.mass
    e_star = (m**2 + m_n**2) / (2 * m)
    p_star = math.sqrt(e_star**2 - m_n**2)
    c = rng.uniform(-1, 1, n)
    phi = rng.uniform(0, 2 * math.pi, n)
    s = np.sqrt(1 - c**2)
    e_p = np.sqrt(p_p**2 + m**2)
    gam, bet = e_p / m, p_p / e_p
    # N momentum in the frame where the parent flies along z, then rotate by theta_p about y.
    pz = gam * (p_star * c + bet * e_star)
    px, py = p_star * s * np.cos(phi), p_star * s * np.sin(phi)
    z = pz * np.cos(theta_p) - px * np.sin(theta_p)
    r = np.hypot(pz * np.sin(theta_p) + px * np.cos(theta_p), py)
    theta_n = np.arctan2(r, z)
    return float(np.mean((theta_n > window[0]) & (theta_n < window[1])))


@pytest.mark.parametrize("m_n", [0.01, 0.5])
def test_window_acceptance_agrees_with_monte_carlo(m_n: float) -> None:
    shape = BeamAxisAnnulus(0.18, 0.5, 101.0, 119.0)  # FACET's polar window
    window = shape.polar_window()
    flux = meson_flux(m_n, ["rho"], "e", shape, window, FORESEE_RULE, OPTIONS)
    ours = float(flux.heading[0] / flux.produced[0])
    mc = _mc_acceptance(np.random.default_rng(20231115), window, m_n, 2_000_000)
    err = math.sqrt(mc * (1 - mc) / 2_000_000)
    # Bins are integrated with nodes (not uniform sampling): allow MC error + 2 %.
    assert ours == pytest.approx(mc, abs=4 * err + 0.02 * mc)


def test_refining_the_rule_moves_little() -> None:
    shape = BeamAxisCylinder(1.0, 475.0, 480.0)
    base = meson_flux(0.05, ["eta", "rho"], "e", shape, shape.polar_window(), FORESEE_RULE, OPTIONS)
    fine = meson_flux(
        0.05, ["eta", "rho"], "e", shape, shape.polar_window(), FORESEE_RULE, OPTIONS.refined()
    )
    np.testing.assert_allclose(fine.heading, base.heading, rtol=0.02)
    np.testing.assert_allclose(fine.produced, base.produced, rtol=1e-3)


def test_produced_matches_branching_ratio_and_closed_channels_vanish() -> None:
    shape = BeamAxisCylinder(1.0, 475.0, 480.0)
    flux = meson_flux(
        0.2, ["pi0", "rho", "K"], "mu", shape, shape.polar_window(), FORESEE_RULE, OPTIONS
    )
    assert flux.produced[0] == 0.0  # pi0 -> gamma nu N closed above m_pi0
    rho = 2 * 1.86e11 * br_per_d2("rho", 0.2, "mu")  # both charge states, sigma in pb
    assert flux.produced[1] == pytest.approx(rho, rel=0.01)
    # Charged kaons decay before the absorber only rarely: parents_pb << sigma(K+) + sigma(K-).
    assert flux.parents_pb[2] < 0.1 * (1.574e11 + 1.636e11)


@pytest.mark.parametrize("n", [2, 4, 6, 8, 12])
def test_isotropic_theta_rule_integrates_the_isotropic_density(n: int) -> None:
    # nodes in theta* with the density 1/2 in cos theta*: the weights sum to 1, and the even
    # moments <c^2> = 1/3, <c^4> = 1/5 converge (odd ones vanish by symmetry)
    from nudipole.production.meson_source import isotropic_theta_rule

    c, w = isotropic_theta_rule(n)
    assert float(w.sum()) == pytest.approx(1.0, rel=1e-14)
    assert float(np.dot(w, c)) == pytest.approx(0.0, abs=1e-14)
    # measured relative errors of <c^2>, <c^4>: 4 nodes 2e-2, 0.17; 6 nodes 7e-5, 7e-3;
    # 8 nodes 6e-8, 5e-5; 12 nodes 2e-15, 1e-10
    tol2, tol4 = {2: (1.0, 1.0), 4: (3e-2, 0.2), 6: (1e-4, 1e-2), 8: (1e-7, 1e-4)}.get(
        n, (1e-12, 1e-9)
    )
    assert float(np.dot(w, c**2)) == pytest.approx(1.0 / 3.0, rel=tol2)
    assert float(np.dot(w, c**4)) == pytest.approx(1.0 / 5.0, rel=tol4)
    assert np.all(np.diff(c) < 0.0)
    assert not c.flags.writeable
