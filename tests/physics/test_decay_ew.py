"""Tests of nudipole.physics.decay_ew: N -> nu Z(*), N -> l W(*), total width, Br(N -> nu gamma).

Two-body widths and the V* -> f fbar' spectral function are checked against Dirac traces built
from explicit 4x4 gamma matrices (``dirac_algebra``, same directory); the q^2 integrals against
closed-form light-N limits, scipy.integrate.quad without the Breit-Wigner mapping and the
narrow-width limit.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest
from dirac_algebra import GAMMA, GAMMA5, METRIC
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from nudipole.constants import GAMMA_W, GAMMA_Z, M_W, M_Z
from nudipole.model import DipoleCouplings, Flavour, Nature
from nudipole.physics.decay import width_nu_gamma
from nudipole.physics.decay_ew import (
    CHANNELS,
    branching_ratio_nu_gamma,
    branching_ratios,
    partial_widths,
    total_width,
    width_lepton_w,
    width_lepton_w_offshell,
    width_nu_z,
    width_nu_z_offshell,
)
from nudipole.physics.sm import SM
from nudipole.physics.vector_boson import (
    FermionPair,
    lepton_mass,
    vector_spectral_width,
    w_star_channels,
    z_star_channels,
)

G_F = 1.1663788e-5  # GeV^-2, explicit for the trace checks
P_LEFT = 0.5 * (np.eye(4) - GAMMA5)
P_RIGHT = 0.5 * (np.eye(4) + GAMMA5)
#: SIGMA[mu, nu] = (i/2)[gamma^mu, gamma^nu]
SIGMA = 0.5j * (np.einsum("mab,nbc->mnac", GAMMA, GAMMA) - np.einsum("nab,mbc->mnac", GAMMA, GAMMA))
#: Scenario I (d_W = 0, d_Z = -tan theta_w d_gamma) and II (d_B = 0) coupling ratios.
SCENARIO_I = (-0.545, 0.0)
SCENARIO_II = (1.833, 2.953)


def _slash(p: np.ndarray) -> np.ndarray:
    return np.einsum("m,mab->ab", METRIC @ p, GAMMA)


def _bar(matrix: np.ndarray) -> np.ndarray:
    return GAMMA[0] @ matrix.conj().T @ GAMMA[0]


def _two_body_momenta(m0: float, m1: float, m2: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Rest-frame momenta of 0 -> 1 2 (particle 1 along a generic direction) and |p|."""
    lam = (m0**2 - (m1 + m2) ** 2) * (m0**2 - (m1 - m2) ** 2)
    p = math.sqrt(lam) / (2.0 * m0)
    n = np.array([0.3, -0.5, 0.8]) / math.sqrt(0.98)
    p1 = np.concatenate([[math.hypot(p, m1)], p * n])
    p2 = np.concatenate([[math.hypot(p, m2)], -p * n])
    return p1, p2, p


def _width_dipole_traces(m: float, m_lepton: float, m_v: float, d: float) -> float:
    """Gamma(N -> l V) from sum |M|^2 = Tr[(pl + ml) V^nu (pN + m) Vbar^beta] P_{nu beta}.

    M = ubar_l V^nu u_N eps*_nu, V^nu = 2 d P_R sigma^{mu nu} k_mu (L ⊃ d lbar_L sigma V_{mu nu} N),
    P_{nu beta} = -g_{nu beta} + k_nu k_beta / M_V^2; average over the N spin (1/2).
    """
    p_l, k, p = _two_body_momenta(m, m_lepton, m_v)
    p_n = np.array([m, 0.0, 0.0, 0.0])
    k_low = METRIC @ k
    vertex = [2.0 * d * P_RIGHT @ np.einsum("m,mab->ab", k_low, SIGMA[:, nu]) for nu in range(4)]
    pol = -METRIC + np.outer(k_low, k_low) / m_v**2
    left = _slash(p_l) + m_lepton * np.eye(4)
    right = _slash(p_n) + m * np.eye(4)
    msq = sum(
        pol[nu, beta] * np.trace(left @ vertex[nu] @ right @ _bar(vertex[beta]))
        for nu in range(4)
        for beta in range(4)
    )
    assert abs(msq.imag) < 1e-9 * abs(msq.real)
    return float(0.5 * msq.real * p / (8.0 * math.pi * m**2))


def _vector_width_traces(q2: float, pair: FermionPair, m_v: float) -> float:
    """sqrt(q^2) Gamma(V -> f1 fbar2) for a vector of mass sqrt(q^2), explicit traces.

    Vertex (g / 2 cos) gamma^mu (c_V - c_A gamma5) with g^2 / (4 cos^2) = sqrt2 G_F M_V^2; average
    over the three polarisations of the vector, sum -g + q q / q^2.
    """
    mass = math.sqrt(q2)
    p1, p2, p = _two_body_momenta(mass, pair.mass_1, pair.mass_2)
    q_low = METRIC @ (p1 + p2)
    vertex = [g @ (pair.c_v * np.eye(4) - pair.c_a * GAMMA5) for g in GAMMA]
    pol = -METRIC + np.outer(q_low, q_low) / q2
    left = _slash(p1) + pair.mass_1 * np.eye(4)
    right = _slash(p2) - pair.mass_2 * np.eye(4)
    msq = sum(
        pol[mu, nu] * np.trace(left @ vertex[mu] @ right @ _bar(vertex[nu]))
        for mu in range(4)
        for nu in range(4)
    )
    width = math.sqrt(2.0) * G_F * m_v**2 * msq.real / 3.0 * p / (8.0 * math.pi * q2)
    return float(pair.colour * mass * width)


def _couplings(
    ratios: tuple[float, float], d_gamma: float = 1e-6, flavour: Flavour = Flavour.E
) -> dict[Flavour, DipoleCouplings]:
    return {flavour: DipoleCouplings(d_gamma, ratios[0] * d_gamma, ratios[1] * d_gamma)}


# ---------------------------------------------------------------------------------------------
# Two-body widths
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("m", "m_lepton"), [(120.0, 0.0), (95.0, 1.77693), (300.0, 30.0)])
def test_lepton_w_width_matches_explicit_traces(m: float, m_lepton: float) -> None:
    """Derived Gamma(N -> l W) == Dirac-trace width, including a fictitious 30 GeV lepton."""
    expected = _width_dipole_traces(m, m_lepton, 80.4, 1e-6)
    assert width_lepton_w(m, 1e-6, m_lepton, sm=replace(SM, m_w=80.4)) == pytest.approx(
        expected, rel=1e-12
    )


def test_nu_z_width_matches_traces_and_talk_formula() -> None:
    m, d = 150.0, 2e-6
    expected = _width_dipole_traces(m, 0.0, 91.19, d)
    talk = d**2 * (m**2 - 91.19**2) ** 2 * (2 * m**2 + 91.19**2) / (8 * math.pi * m**3)
    assert width_nu_z(m, d, sm=replace(SM, m_z=91.19)) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(talk, rel=1e-12)


def test_talk_slide_reading_of_lepton_mass_term() -> None:
    """The slide's 2 m_l^2 (...) coefficient disagrees with the matrix element; 1 m_l^2 agrees."""
    m, ml, mw, d = 300.0, 30.0, 80.4, 1e-6
    lam = (m**2 - (mw + ml) ** 2) * (m**2 - (mw - ml) ** 2)

    def slide(coefficient: float) -> float:
        poly = coefficient * ml**2 * (2 * ml**2 - 4 * m**2 - mw**2) + (m**2 - mw**2) * (
            2 * m**2 + mw**2
        )
        return d**2 * math.sqrt(lam) * poly / (8 * math.pi * m**3)

    traces = _width_dipole_traces(m, ml, mw, d)
    assert slide(1.0) == pytest.approx(traces, rel=1e-12)
    assert abs(slide(2.0) / traces - 1.0) > 0.01


def test_lepton_w_reduces_to_nu_z_and_photon_limits() -> None:
    m = np.array([95.0, 150.0, 1000.0])
    assert np.allclose(
        width_lepton_w(m, 1e-6, 0.0, sm=replace(SM, m_w=M_Z)), width_nu_z(m, 1e-6), rtol=1e-14
    )
    # M_W -> 0: photon-like d^2 (m^2 - ml^2)^3 / (4 pi m^3)
    ml = 1.77693
    light = width_lepton_w(10.0, 1e-6, ml, sm=replace(SM, m_w=1e-9))
    assert light == pytest.approx(1e-12 * (100 - ml**2) ** 3 / (4 * math.pi * 1000), rel=1e-12)


def test_two_body_thresholds() -> None:
    ml = lepton_mass(Flavour.TAU)
    assert width_nu_z(M_Z * (1 - 1e-9), 1.0) == 0.0
    assert width_lepton_w(M_W + ml - 1e-9, 1.0, ml) == 0.0
    assert width_lepton_w(M_W + ml + 1e-3, 1.0, ml) > 0.0


# ---------------------------------------------------------------------------------------------
# V* -> f fbar' spectral function
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pair",
    [
        FermionPair("b", 3.0, -0.35, -0.5, 4.186, 4.186, 8.372),
        FermionPair("tau nu", 1.0, 0.7, 0.7, 1.77693, 0.0, 1.77693),
        FermionPair("cb", 3.0, 0.03, 0.03, 1.273, 4.186, 5.459),
    ],
    ids=["Z->bb", "W->tau nu", "W->cb"],
)
@pytest.mark.parametrize("q2", [100.0, 500.0])
def test_spectral_width_matches_traces(pair: FermionPair, q2: float) -> None:
    expected = _vector_width_traces(q2, pair, 80.4)
    got = vector_spectral_width(q2, [pair], 80.4, g_fermi=G_F)
    assert got == pytest.approx(expected, rel=1e-12)


def test_on_shell_z_and_w_widths_close_to_pdg() -> None:
    """Tree-level sum with (1 + alpha_s/pi): within 1 % of PDG Gamma_Z and 3 % of Gamma_W."""
    gz = vector_spectral_width(M_Z**2, z_star_channels(), M_Z) / M_Z
    gw = vector_spectral_width(M_W**2, w_star_channels(), M_W) / M_W
    assert gz == pytest.approx(GAMMA_Z, rel=0.01)
    assert gw == pytest.approx(GAMMA_W, rel=0.03)
    # Gamma(Z -> nu nubar) per flavour, G_F M_Z^3 / (12 sqrt2 pi)
    nu = vector_spectral_width(M_Z**2, z_star_channels()[:1], M_Z) / M_Z / 3
    assert nu == pytest.approx(G_F * M_Z**3 / (12 * math.sqrt(2) * math.pi), rel=1e-6)


# ---------------------------------------------------------------------------------------------
# Three-body integrals
# ---------------------------------------------------------------------------------------------


def _quad_width(
    m: float, m_lepton: float, chans: tuple[FermionPair, ...], m_v: float, gamma_v: float
) -> float:
    """Plain adaptive quadrature in q^2 (no mapping) with the resonance and thresholds as breaks."""

    def gamma2(q2: float) -> float:
        return float(width_lepton_w(m, 1.0, m_lepton, sm=replace(SM, m_w=math.sqrt(q2))))

    def f(q2: float) -> float:
        spec = float(vector_spectral_width(q2, chans, m_v))
        return gamma2(q2) * spec / ((q2 - m_v**2) ** 2 + (m_v * gamma_v) ** 2) / math.pi

    top = (m - m_lepton) ** 2
    edges = sorted({p.threshold**2 for p in chans if p.threshold**2 < top} | {top})
    points = (m_v**2 - 3 * m_v * gamma_v, m_v**2, m_v**2 + 3 * m_v * gamma_v)
    edges = sorted(set(edges) | {x for x in points if edges[0] < x < top})
    total = 0.0
    for a, b in itertools.pairwise(edges):
        total += integrate.quad(f, a, b, epsabs=0.0, epsrel=1e-10, limit=200)[0]
    return total


@pytest.mark.parametrize("m", [2.0, 30.0, 91.0, 150.0])
def test_z_star_integral_matches_unmapped_quad(m: float) -> None:
    reference = _quad_width(m, 0.0, z_star_channels(), M_Z, GAMMA_Z)
    assert width_nu_z_offshell(m, 1.0) == pytest.approx(reference, rel=1e-6)


@pytest.mark.parametrize("m", [5.0, 82.0, 200.0])
def test_w_star_integral_matches_unmapped_quad(m: float) -> None:
    ml = lepton_mass(Flavour.TAU)
    reference = _quad_width(m, ml, w_star_channels(), M_W, GAMMA_W)
    assert width_lepton_w_offshell(m, 1.0, ml) == pytest.approx(reference, rel=1e-6)


@pytest.mark.parametrize("m", [0.1, 0.3, 1.0])
def test_light_n_limit_analytic(m: float) -> None:
    """m << M_V, massless f: Gamma = d^2 G_F C m^7/(240 sqrt2 pi^3 M^2) (1 + 5m^2/6M^2)/(1+g^2).

    C = sum N_c (c_V^2 + c_A^2): 3 x 1/2 for Z* -> 3 nu nubar, 3 x 1 for three massless W* -> l nu
    (checks the factor 2 between the Z and W normalisations); g = Gamma_V / M_V.
    """
    half = 1.0 / math.sqrt(2.0)
    cases = [
        ([FermionPair("nu", 3.0, 0.5, 0.5, 0.0, 0.0, 0.0)], 1.5, M_Z, GAMMA_Z, width_nu_z_offshell),
        ([FermionPair("l nu", 3.0, half, half, 0.0, 0.0, 0.0)], 3.0, M_W, GAMMA_W, None),
    ]
    for chans, c, m_v, gamma_v, fn in cases:
        lead = G_F * c * m**7 / (240 * math.sqrt(2) * math.pi**3 * m_v**2)
        expected = lead * (1 + 5 * m**2 / (6 * m_v**2)) / (1 + (gamma_v / m_v) ** 2)
        if fn is None:
            got = width_lepton_w_offshell(m, 1.0, 0.0, channels=chans)
        else:
            got = fn(m, 1.0, channels=chans)
        assert got == pytest.approx(expected, rel=1e-6)


def test_narrow_width_limit_z_and_w() -> None:
    """m >> M_V: Z(*)/W(*) channel -> on-shell Gamma_2 x sum_f Br(V -> f fbar') within Gamma_V/M_V;
    with Gamma_V in the propagator scaled by 1e-3 the agreement is 1e-4 (O(Gamma/M))."""
    m, ml = 300.0, lepton_mass(Flavour.MU)
    br_z = vector_spectral_width(M_Z**2, z_star_channels(), M_Z) / (M_Z * GAMMA_Z)
    br_w = vector_spectral_width(M_W**2, w_star_channels(), M_W) / (M_W * GAMMA_W)
    assert width_nu_z_offshell(m, 1.0) == pytest.approx(
        width_nu_z(m, 1.0) * br_z, rel=GAMMA_Z / M_Z
    )
    assert width_lepton_w_offshell(m, 1.0, ml) == pytest.approx(
        width_lepton_w(m, 1.0, ml) * br_w, rel=GAMMA_W / M_W
    )
    eps = 1e-3
    z_narrow = width_nu_z_offshell(m, 1.0, sm=replace(SM, gamma_z=eps * GAMMA_Z))
    w_narrow = width_lepton_w_offshell(m, 1.0, ml, sm=replace(SM, gamma_w=eps * GAMMA_W))
    assert z_narrow == pytest.approx(width_nu_z(m, 1.0) * br_z / eps, rel=1e-4)
    assert w_narrow == pytest.approx(width_lepton_w(m, 1.0, ml) * br_w / eps, rel=1e-4)


def test_continuity_across_thresholds() -> None:
    """No jump at m = M_Z or m = M_W + m_l: the change across m (1 +- eps) is linear in eps."""
    cp = {
        Flavour.TAU: DipoleCouplings(1e-6, 2e-6, 3e-6),
        Flavour.E: DipoleCouplings(0.0, 1e-6, 1e-6),
    }
    for threshold in (M_Z, M_W + lepton_mass(Flavour.TAU), M_W + lepton_mass(Flavour.E)):
        steps = []
        for eps in (1e-6, 1e-8):
            widths = partial_widths(threshold * np.array([1 - eps, 1 + eps]), cp)
            steps.append({key: abs(np.diff(widths[key])[0]) for key in CHANNELS})
            total = total_width(threshold * (1 + eps), cp)
        for key in CHANNELS:
            assert steps[1][key] <= 0.02 * steps[0][key] + 1e-13 * total, key
        assert sum(steps[0].values()) < 1e-4 * total


@pytest.mark.parametrize("m", [0.05, 5.0, 91.0, 250.0])
def test_zero_z_and_w_couplings_reproduce_nu_gamma(m: float) -> None:
    cp = {Flavour.MU: DipoleCouplings(3e-6), Flavour.TAU: DipoleCouplings(4e-6)}
    assert total_width(m, cp) == width_nu_gamma(m, 5e-6)
    assert branching_ratio_nu_gamma(m, cp) == 1.0


def test_majorana_is_twice_dirac() -> None:
    m = np.array([0.5, 50.0, 90.0, 200.0])
    cp = _couplings(SCENARIO_II, flavour=Flavour.MU)
    dirac = partial_widths(m, cp)
    majorana = partial_widths(m, cp, Nature.MAJORANA)
    for key in CHANNELS:
        np.testing.assert_allclose(majorana[key], 2 * dirac[key], rtol=1e-14)
    np.testing.assert_allclose(
        branching_ratio_nu_gamma(m, cp, Nature.MAJORANA), branching_ratio_nu_gamma(m, cp)
    )


masses = st.floats(1e-3, 1000.0)
ratios = st.floats(-20.0, 20.0)


@settings(max_examples=40, deadline=None)
@given(masses, ratios, ratios, st.sampled_from(list(Flavour)), st.floats(1e-9, 1e-3))
def test_branching_ratios_sum_to_one(
    m: float, rz: float, rw: float, flavour: Flavour, d: float
) -> None:
    cp = _couplings((rz, rw), d_gamma=d, flavour=flavour)
    widths = partial_widths(m, cp)
    assert all(w >= 0.0 for w in widths.values())
    br = branching_ratios(m, cp)
    values = np.array([br[key] for key in CHANNELS])
    assert np.all((values >= 0.0) & (values <= 1.0))
    assert values.sum() == pytest.approx(1.0, abs=1e-12)
    # widths scale as d^2
    widths2 = partial_widths(m, _couplings((rz, rw), d_gamma=2 * d, flavour=flavour))
    for key in CHANNELS:
        assert widths2[key] == pytest.approx(4 * widths[key], rel=1e-12)


def test_branching_ratio_undefined_when_nothing_is_open() -> None:
    cp = {Flavour.TAU: DipoleCouplings(0.0, 0.0, 1e-6)}
    assert np.isnan(branching_ratio_nu_gamma(1.0, cp))
    assert branching_ratios(1.0, cp)["l W(*)"] != branching_ratios(1.0, cp)["l W(*)"]
    assert total_width(3.0, cp) > 0.0
    with pytest.raises(ValueError, match="positive"):
        total_width(np.array([1.0, 0.0]), cp)


def test_hadronic_treatment_is_irrelevant_for_br_nu_gamma() -> None:
    """Two-meson thresholds vs pure partonic quarks, and alpha_s on/off (module docstring)."""
    low = np.array([0.3, 1.0, 3.0, 10.0])
    for scenario in (SCENARIO_I, SCENARIO_II):
        cp = _couplings(scenario)
        br = branching_ratio_nu_gamma(low, cp)
        assert np.all(1.0 - br < 3e-6)
        partonic = branching_ratio_nu_gamma(low, cp, hadronic_thresholds=False)
        no_qcd = branching_ratio_nu_gamma(low, cp, sm=replace(SM, alpha_s=0.0))
        assert np.max(np.abs(br - partonic)) < 1e-8
        assert np.max(np.abs(br - no_qcd)) < 1e-7
        at_50 = [branching_ratio_nu_gamma(50.0, cp, hadronic_thresholds=h) for h in (True, False)]
        assert abs(at_50[0] - at_50[1]) < 1e-7


def test_example_branching_ratios() -> None:
    """Regression of the numbers quoted in the report (electron flavour, PDG inputs)."""
    m = np.array([1.0, 50.0, 100.0, 200.0])
    br_i = branching_ratio_nu_gamma(m, _couplings(SCENARIO_I))
    br_ii = branching_ratio_nu_gamma(m, _couplings(SCENARIO_II))
    np.testing.assert_allclose(br_i, [1.0, 0.99997, 0.98729, 0.83285], atol=2e-5)
    np.testing.assert_allclose(br_ii, [1.0, 0.99808, 0.39706, 0.10345], atol=2e-5)
