"""Tests of nudipole.physics.boson_decays_to_n: W -> l N, Z -> nu N, polarised angular densities.

Reference: explicit Dirac traces with 4x4 gamma matrices (``dirac_algebra``) and *explicit*
polarisation vectors (no helicity formulas of the module are used), for

* V -> f Nbar through 2 d P_R k_mu sigma^{mu nu} eps_nu (W^- -> l^- Nbar, Z -> nu Nbar) and the
  CP image through 2 d k_mu sigma^{mu nu} eps_nu P_L (W^+ -> l^+ N), the vertices of
  ``decay_ew`` (L ⊃ d_W lbar_L sigma W^-_{mu nu} N - d_Z nubar_L sigma Z_{mu nu} N + h.c.);
* the full LO processes d ubar -> W^- -> l^- Nbar, u dbar -> W^+ -> l^+ N and
  u ubar -> Z -> nu Nbar (massless quarks, chiral SM currents), for the LO polarisation.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from dirac_algebra import GAMMA, GAMMA5, METRIC
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.constants import GAMMA_W, GAMMA_Z, M_W, M_Z, SIN2_THETA_W
from nudipole.model import Flavour
from nudipole.physics.boson_decays_to_n import (
    LO_W_HELICITY_ALONG_QUARK,
    angular_density,
    angular_density_w,
    angular_density_z,
    branching_ratio_w_to_lepton_n,
    branching_ratio_z_to_nu_n,
    decay_helicity_weights,
    forward_backward_asymmetry,
    forward_backward_asymmetry_w,
    spin_summed_msq,
    width_vector_to_fermion_n,
    width_w_to_lepton_n,
    width_z_to_nu_n,
)
from nudipole.physics.decay_ew import width_lepton_w
from nudipole.physics.sm import SM
from nudipole.physics.vector_boson import lepton_mass
from nudipole.physics.z_pole import width_z_to_nu_nbar

ID4 = np.eye(4, dtype=complex)
P_LEFT = 0.5 * (ID4 - GAMMA5)
P_RIGHT = 0.5 * (ID4 + GAMMA5)
#: SIGMA[mu, nu] = (i/2)[gamma^mu, gamma^nu]
SIGMA = 0.5j * (np.einsum("mab,nbc->mnac", GAMMA, GAMMA) - np.einsum("nab,mbc->mnac", GAMMA, GAMMA))
M_TAU = lepton_mass(Flavour.TAU)
M_E = lepton_mass(Flavour.E)
D = 1.0e-5  # GeV^-1
NODES, WEIGHTS = np.polynomial.legendre.leggauss(8)  # exact for the quadratic densities


def _slash(p: np.ndarray) -> np.ndarray:
    return np.einsum("m,mab->ab", METRIC @ p, GAMMA)


def _bar(matrix: np.ndarray) -> np.ndarray:
    return GAMMA[0] @ matrix.conj().T @ GAMMA[0]


def _k_sigma(k: np.ndarray) -> np.ndarray:
    """S^nu = k_mu sigma^{mu nu}, shape (4 [nu upper], 4, 4)."""
    return np.einsum("m,mnab->nab", METRIC @ k, SIGMA)


def _contract(s_up: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """S^nu eps_nu for a contravariant eps."""
    return np.einsum("nab,n->ab", s_up, METRIC @ eps)


def _basis(n_hat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors e1, e2 with (e1, e2, n_hat) right-handed."""
    helper = np.array([1.0, 0.0, 0.0]) if abs(n_hat[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    e1 = np.cross(helper, n_hat)
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(n_hat, e1)


def _polarisation(k: np.ndarray, m_v: float, helicity: int) -> np.ndarray:
    """Helicity polarisation vector of a vector boson with four-momentum k (contravariant).

    eps_0 = (|k|, E n) / M, eps_{+-} = -+(e1 +- i e2) / sqrt2, n the flight direction (z at rest).
    """
    p3 = k[1:]
    p_abs = float(np.linalg.norm(p3))
    n_hat = p3 / p_abs if p_abs > 0.0 else np.array([0.0, 0.0, 1.0])
    e1, e2 = _basis(n_hat) if p_abs > 0.0 else (np.array([1.0, 0, 0]), np.array([0.0, 1, 0]))
    if helicity == 0:
        return np.concatenate([[p_abs], k[0] * n_hat]) / m_v + 0j
    return np.concatenate([[0.0], -helicity * (e1 + helicity * 1j * e2) / math.sqrt(2.0)])


def _boost(p: np.ndarray, velocity: np.ndarray) -> np.ndarray:
    """Boost the four-vector p by the three-velocity ``velocity``."""
    beta = float(np.linalg.norm(velocity))
    if beta == 0.0:
        return p.copy()
    n_hat = velocity / beta
    gamma = 1.0 / math.sqrt(1.0 - beta**2)
    p_par = float(p[1:] @ n_hat)
    energy = gamma * (p[0] + beta * p_par)
    p3 = p[1:] + ((gamma - 1.0) * p_par + gamma * beta * p[0]) * n_hat
    return np.concatenate([[energy], p3])


def _rest_frame_momenta(
    m_v: float, m_n: float, m_f: float, cos_t: float, phi: float, axis: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(p_N, p_f) in the V rest frame, N at (theta*, phi) about ``axis`` (default z)."""
    lam = (m_v**2 - (m_n + m_f) ** 2) * (m_v**2 - (m_n - m_f) ** 2)
    p = math.sqrt(lam) / (2.0 * m_v)
    sin_t = math.sqrt(max(1.0 - cos_t**2, 0.0))
    local = np.array([sin_t * math.cos(phi), sin_t * math.sin(phi), cos_t])
    if axis is None:
        direction = local
    else:
        e1, e2 = _basis(axis)
        direction = local[0] * e1 + local[1] * e2 + local[2] * axis
    p_n = np.concatenate([[math.hypot(p, m_n)], p * direction])
    p_f = np.concatenate([[math.hypot(p, m_f)], -p * direction])
    return p_n, p_f


def _msq_polarised(
    k: np.ndarray,
    eps: np.ndarray,
    p_n: np.ndarray,
    p_f: np.ndarray,
    m_n: float,
    m_f: float,
    d: float,
    conjugate: bool,
) -> float:
    """Spin-summed |M|^2 for V(k, eps) -> f Nbar (or the CP image fbar N), explicit traces."""
    s_eps = _contract(_k_sigma(k), eps)
    if not conjugate:  # ubar_f [2 d P_R S.eps] v_N
        vertex = 2.0 * d * P_RIGHT @ s_eps
        trace = np.trace(
            (_slash(p_f) + m_f * ID4) @ vertex @ (_slash(p_n) - m_n * ID4) @ _bar(vertex)
        )
    else:  # ubar_N [2 d S.eps P_L] v_f
        vertex = 2.0 * d * s_eps @ P_LEFT
        trace = np.trace(
            (_slash(p_n) + m_n * ID4) @ vertex @ (_slash(p_f) - m_f * ID4) @ _bar(vertex)
        )
    assert abs(trace.imag) <= 1e-9 * abs(trace.real) + 1e-300
    return float(trace.real)


def _width_from_traces(m_v: float, m_n: float, m_f: float, d: float) -> float:
    """Gamma(V -> f Nbar): average of the three explicit helicity states, one direction."""
    k = np.array([m_v, 0.0, 0.0, 0.0])
    p_n, p_f = _rest_frame_momenta(m_v, m_n, m_f, 0.37, 1.1)
    msq = sum(
        _msq_polarised(k, _polarisation(k, m_v, h), p_n, p_f, m_n, m_f, d, False)
        for h in (-1, 0, 1)
    )
    p = float(np.linalg.norm(p_n[1:]))
    return msq / 3.0 * p / (8.0 * math.pi * m_v**2)


# ---------------------------------------------------------------------------------------------
# Widths
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("m_n", "m_lepton"), [(0.0, M_E), (1.0, M_E), (10.0, M_TAU), (50.0, M_TAU), (40.0, 25.0)]
)
def test_w_width_matches_explicit_traces(m_n: float, m_lepton: float) -> None:
    """Gamma(W -> l Nbar) == polarisation-averaged explicit traces (incl. a 25 GeV lepton)."""
    expected = _width_from_traces(M_W, m_n, m_lepton, D)
    assert float(width_w_to_lepton_n(m_n, D, m_lepton)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("m_n", [0.0, 5.0, 45.0, 90.0])
def test_z_width_matches_traces_and_z_pole(m_n: float) -> None:
    """Z -> nu Nbar + nubar N = 2 x traces = 2 x z_pole.width_z_to_nu_nbar (reused)."""
    one_state = _width_from_traces(M_Z, m_n, 0.0, -D)  # vertex -d_Z
    total = float(width_z_to_nu_n(m_n, D))
    assert total == pytest.approx(2.0 * one_state, rel=1e-12)
    assert total == pytest.approx(2.0 * float(width_z_to_nu_nbar(m_n, D)), rel=1e-12)
    assert total == pytest.approx(
        2.0 * float(width_vector_to_fermion_n(m_n, D, 0.0, M_Z)), rel=1e-12
    )


def test_conjugate_channel_has_the_same_width() -> None:
    """W^+ -> l^+ N (conjugate operator) traces give the same width as W^- -> l^- Nbar."""
    m_n, m_l = 30.0, M_TAU
    k = np.array([M_W, 0.0, 0.0, 0.0])
    p_n, p_f = _rest_frame_momenta(M_W, m_n, m_l, -0.2, 2.0)
    sums = [
        sum(
            _msq_polarised(k, _polarisation(k, M_W, h), p_n, p_f, m_n, m_l, D, conj)
            for h in (-1, 0, 1)
        )
        for conj in (False, True)
    ]
    assert sums[1] == pytest.approx(sums[0], rel=1e-12)


def test_massless_lepton_limit_is_physics_md_formula() -> None:
    """m_l -> 0: d_W^2 (M_W^2 - m^2)^2 (M_W^2 + 2 m^2) / (12 pi M_W^3) (PHYSICS.md §10)."""
    m = np.array([0.0, 1.0, 10.0, 50.0, 80.0])
    expected = D**2 * (M_W**2 - m**2) ** 2 * (M_W**2 + 2.0 * m**2) / (12.0 * np.pi * M_W**3)
    np.testing.assert_allclose(width_w_to_lepton_n(m, D, 0.0), expected, rtol=1e-13)


# ---------------------------------------------------------------------------------------------
# Crossing N -> l W  <->  W -> l Nbar
# ---------------------------------------------------------------------------------------------


def _n_decay_trace_summed(
    p: np.ndarray, p_l: np.ndarray, k: np.ndarray, m: float, m_l: float, m_v: float, d: float
) -> float:
    """sum_pol Tr[(pl + ml) V^nu (p + m) Vbar^beta] P_{nu beta} for N(p) -> l(p_l) W(k)."""
    s_up = _k_sigma(k)
    vertex = [2.0 * d * P_RIGHT @ s_up[nu] for nu in range(4)]
    k_low = METRIC @ k
    pol = -METRIC + np.outer(k_low, k_low) / m_v**2
    left = _slash(p_l) + m_l * ID4
    right = _slash(p) + m * ID4
    total = sum(
        pol[nu, beta] * np.trace(left @ vertex[nu] @ right @ _bar(vertex[beta]))
        for nu in range(4)
        for beta in range(4)
    )
    return float(total.real)


def test_crossing_at_trace_level() -> None:
    """The N-decay spin sum at p -> -p', k -> -k is minus the W-decay spin sum (same momenta)."""
    m_n, m_l = 20.0, 5.0
    k = np.array([M_W, 0.0, 0.0, 0.0])
    p_n, p_l = _rest_frame_momenta(M_W, m_n, m_l, 0.6, 0.4)
    w_sum = sum(
        _msq_polarised(k, _polarisation(k, M_W, h), p_n, p_l, m_n, m_l, D, False)
        for h in (-1, 0, 1)
    )
    crossed = _n_decay_trace_summed(-p_n, p_l, -k, m_n, m_l, M_W, D)
    assert crossed == pytest.approx(-w_sum, rel=1e-12)
    assert w_sum == pytest.approx(float(spin_summed_msq(m_n, D, m_l, M_W)), rel=1e-12)


@pytest.mark.parametrize(
    ("m_n", "m_lepton", "m_v"),
    [(120.0, 0.0, M_W), (95.0, M_TAU, M_W), (300.0, 30.0, M_W), (40.0, 5.0, 20.0)],
)
def test_crossing_against_decay_ew(m_n: float, m_lepton: float, m_v: float) -> None:
    """decay_ew's Gamma(N -> l W) = (1/2)(-sum|M|^2) lambda^{1/2} / (16 pi m^3), same polynomial.

    The W width is (1/3)(+sum|M|^2) lambda^{1/2} / (16 pi M^3): the two differ by the spin
    average (1/2 vs 1/3) and the parent mass, with one polynomial and one Källén factor.
    """
    lam = (m_n**2 - (m_v + m_lepton) ** 2) * (m_n**2 - (m_v - m_lepton) ** 2)
    msq = float(spin_summed_msq(m_n, D, m_lepton, m_v))
    assert msq < 0.0  # the polynomial is negative where N -> l W is open
    expected = 0.5 * (-msq) * math.sqrt(lam) / (16.0 * math.pi * m_n**3)
    assert float(width_lepton_w(m_n, D, m_lepton, sm=replace(SM, m_w=m_v))) == pytest.approx(
        expected, rel=1e-12
    )


def test_w_width_is_polynomial_times_phase_space() -> None:
    """Gamma(W -> l Nbar) = (1/3) sum|M|^2 lambda^{1/2} / (16 pi M_W^3) in the open region."""
    m = np.linspace(0.0, 70.0, 15)
    lam = (M_W**2 - (m + M_TAU) ** 2) * (M_W**2 - (m - M_TAU) ** 2)
    expected = spin_summed_msq(m, D, M_TAU, M_W) * np.sqrt(lam) / (48.0 * np.pi * M_W**3)
    np.testing.assert_allclose(width_w_to_lepton_n(m, D, M_TAU), expected, rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# Angular distributions with explicit polarisation vectors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("conjugate", [False, True])
@pytest.mark.parametrize(
    ("m_n", "m_f"), [(0.0, 0.0), (1.0, M_E), (20.0, 5.0), (50.0, M_TAU), (10.0, 30.0)]
)
def test_polarised_density_matches_traces(m_n: float, m_f: float, conjugate: bool) -> None:
    """(3/2)|M|^2_h / sum_h' |M|^2_h' from explicit eps_h == angular_density, all h, c, phi."""
    k = np.array([M_W, 0.0, 0.0, 0.0])
    for cos_t in (-0.95, -0.3, 0.0, 0.55, 1.0):
        for phi in (0.0, 2.2):
            p_n, p_f = _rest_frame_momenta(M_W, m_n, m_f, cos_t, phi)
            msq = {
                h: _msq_polarised(k, _polarisation(k, M_W, h), p_n, p_f, m_n, m_f, D, conjugate)
                for h in (-1, 0, 1)
            }
            total = sum(msq.values())
            for h, value in msq.items():
                density = float(
                    angular_density(cos_t, h, m_n, m_f, M_W, n_is_antiparticle=not conjugate)
                )
                assert density == pytest.approx(1.5 * value / total, rel=1e-10, abs=1e-13)


@pytest.mark.parametrize("helicity", [-1, 0, 1])
def test_moving_w_helicity_along_flight_direction(helicity: int) -> None:
    """A W flying along a generic direction: helicity eps(k), N-bar angle in the W frame."""
    m_n, m_l = 15.0, M_TAU
    flight = np.array([0.3, -0.6, 0.74])
    flight /= np.linalg.norm(flight)
    velocity = 0.8 * flight
    k = _boost(np.array([M_W, 0.0, 0.0, 0.0]), velocity)
    eps = _polarisation(k, M_W, helicity)
    values = []
    for cos_t in NODES:
        p_n, p_f = _rest_frame_momenta(M_W, m_n, m_l, float(cos_t), 0.9, axis=flight)
        values.append(
            _msq_polarised(k, eps, _boost(p_n, velocity), _boost(p_f, velocity), m_n, m_l, D, False)
        )
    values_arr = np.array(values)
    density = values_arr / (values_arr @ WEIGHTS)
    expected = angular_density_w(NODES, m_n, m_l, helicity, w_charge=-1)
    np.testing.assert_allclose(density, expected, rtol=1e-10)


def _quark_current_tensor(p1: np.ndarray, p2: np.ndarray, g_l: float, g_r: float) -> np.ndarray:
    """L^{rho sigma} = sum [vbar(p2) G^rho u(p1)] [..]^*, G^rho = gamma^rho (g_L P_L + g_R P_R)."""
    chiral = g_l * P_LEFT + g_r * P_RIGHT
    left = [GAMMA[r] @ chiral for r in range(4)]
    return np.array(
        [
            [np.trace(_slash(p2) @ left[r] @ _slash(p1) @ _bar(left[s])) for s in range(4)]
            for r in range(4)
        ]
    )


def _lo_density(
    m_v: float, m_n: float, m_f: float, g_l: float, g_r: float, conjugate: bool, d: float
) -> np.ndarray:
    """Normalised density of cos theta* (N or N-bar from the +z quark) in q(+z) qbar(-z) -> V."""
    k = np.array([m_v, 0.0, 0.0, 0.0])
    p1 = np.array([m_v / 2, 0.0, 0.0, m_v / 2])  # quark along +z
    p2 = np.array([m_v / 2, 0.0, 0.0, -m_v / 2])  # antiquark
    lep = _quark_current_tensor(p1, p2, g_l, g_r)
    lep_low = METRIC @ lep @ METRIC  # L_{rho sigma}; propagator -g + kk/M^2, kk drops out
    s_up = _k_sigma(k)
    values = []
    for cos_t in NODES:
        p_n, p_f = _rest_frame_momenta(m_v, m_n, m_f, float(cos_t), 0.3)
        if not conjugate:
            vertex = [2.0 * d * P_RIGHT @ s_up[n] for n in range(4)]
            left, right = _slash(p_f) + m_f * ID4, _slash(p_n) - m_n * ID4
        else:
            vertex = [2.0 * d * s_up[n] @ P_LEFT for n in range(4)]
            left, right = _slash(p_n) + m_n * ID4, _slash(p_f) - m_f * ID4
        had = np.array(
            [
                [np.trace(left @ vertex[r] @ right @ _bar(vertex[s])) for s in range(4)]
                for r in range(4)
            ]
        )
        total = np.einsum("rs,rs->", lep_low, had)
        assert abs(total.imag) < 1e-9 * abs(total.real)
        values.append(total.real)
    values_arr = np.array(values)
    return np.asarray(values_arr / (values_arr @ WEIGHTS))


@pytest.mark.parametrize("m_n", [0.0, 1.0, 10.0, 50.0])
@pytest.mark.parametrize("m_l", [M_E, M_TAU])
def test_lo_w_is_left_handed_along_the_quark(m_n: float, m_l: float) -> None:
    """d ubar -> W^- -> l^- Nbar and u dbar -> W^+ -> l^+ N: helicity -1 along the quark."""
    assert LO_W_HELICITY_ALONG_QUARK == -1
    for w_charge, conjugate in ((-1, False), (1, True)):
        density = _lo_density(M_W, m_n, m_l, 1.0, 0.0, conjugate, D)
        expected = angular_density_w(NODES, m_n, m_l, w_charge=w_charge)
        np.testing.assert_allclose(density, expected, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("m_n", [0.0, 20.0, 60.0])
def test_lo_z_from_u_ubar(m_n: float) -> None:
    """u ubar -> Z -> nu Nbar: helicity -1 (weight g_L^2) and +1 (g_R^2) along the quark."""
    g_l, g_r = 0.5 - 2.0 / 3.0 * SIN2_THETA_W, -2.0 / 3.0 * SIN2_THETA_W
    density = _lo_density(M_Z, m_n, 0.0, g_l, g_r, False, -D)
    expected = (
        g_l**2 * angular_density_z(NODES, m_n, -1, state="nbar")
        + g_r**2 * angular_density_z(NODES, m_n, 1, state="nbar")
    ) / (g_l**2 + g_r**2)
    np.testing.assert_allclose(density, expected, rtol=1e-10, atol=1e-14)
    conj = _lo_density(M_Z, m_n, 0.0, g_l, g_r, True, -D)
    both = 0.5 * (density + conj)
    expected_sum = (
        g_l**2 * angular_density_z(NODES, m_n, -1) + g_r**2 * angular_density_z(NODES, m_n, 1)
    ) / (g_l**2 + g_r**2)
    np.testing.assert_allclose(both, expected_sum, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(both, both[::-1], rtol=1e-10)  # symmetric: no A_FB


def test_forward_backward_asymmetry_values() -> None:
    """A_FB = -+(3/2) y / (1 + 2 y) for m_l = 0, h = -1; equals the integral of the density."""
    m = np.array([0.0, 1.0, 10.0, 50.0])
    y = m**2 / M_W**2
    np.testing.assert_allclose(
        forward_backward_asymmetry_w(m, 0.0), -1.5 * y / (1.0 + 2.0 * y), rtol=1e-12, atol=1e-300
    )
    np.testing.assert_allclose(
        forward_backward_asymmetry_w(m, 0.0, w_charge=1), 1.5 * y / (1.0 + 2.0 * y), rtol=1e-12
    )
    # integral of the density over the two hemispheres (Gauss-Legendre on each half, exact)
    half = 0.5 * (NODES + 1.0)
    for h in (-1, 0, 1):
        for m_n, m_l in ((10.0, M_TAU), (50.0, 0.0), (5.0, 30.0)):
            fwd = 0.5 * (angular_density(half, h, m_n, m_l, M_W) @ WEIGHTS)
            bwd = 0.5 * (angular_density(-half, h, m_n, m_l, M_W) @ WEIGHTS)
            afb = float(forward_backward_asymmetry(h, m_n, m_l, M_W))
            assert fwd - bwd == pytest.approx(afb, abs=1e-13)
    assert float(forward_backward_asymmetry_w(1.0, M_E)) == pytest.approx(-2.32e-4, rel=1e-2)


def test_massless_density_is_sin_squared_for_transverse_w() -> None:
    """m_N = m_l = 0: transverse W -> (3/4) sin^2, longitudinal -> (3/2) cos^2 (J_z = 0 pair)."""
    c = np.linspace(-1.0, 1.0, 9)
    for h in (-1, 1):
        np.testing.assert_allclose(angular_density_w(c, 0.0, 0.0, h), 0.75 * (1 - c**2), atol=1e-15)
    np.testing.assert_allclose(angular_density_w(c, 0.0, 0.0, 0), 1.5 * c**2, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# Invariants (hypothesis)
# ---------------------------------------------------------------------------------------------

masses = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)
lepton_masses = st.sampled_from([0.0, M_E, lepton_mass(Flavour.MU), M_TAU, 20.0])
couplings = st.floats(min_value=1e-9, max_value=1e-2, allow_nan=False)
cosines = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(m=masses, m_l=lepton_masses, d=couplings)
def test_widths_nonnegative_and_scale_as_d_squared(m: float, m_l: float, d: float) -> None:
    """Widths >= 0, zero at and above M - m_f, proportional to d^2."""
    w = float(width_w_to_lepton_n(m, d, m_l))
    z = float(width_z_to_nu_n(m, d))
    assert w >= 0.0
    assert z >= 0.0
    if m >= M_W - m_l:
        assert w == 0.0
    if m >= M_Z:
        assert z == 0.0
    assert float(width_w_to_lepton_n(m, 3.0 * d, m_l)) == pytest.approx(9.0 * w, rel=1e-12)
    assert float(width_z_to_nu_n(m, 3.0 * d)) == pytest.approx(9.0 * z, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(m_l=lepton_masses)
def test_widths_vanish_at_threshold(m_l: float) -> None:
    """Gamma -> 0 like lambda^{1/2} at m_N = M_W - m_l (and at M_Z for the Z)."""
    m_thr = M_W - m_l
    assert float(width_w_to_lepton_n(m_thr, 1.0, m_l)) == 0.0
    near = float(width_w_to_lepton_n(m_thr * (1 - 1e-8), 1.0, m_l))
    far = float(width_w_to_lepton_n(0.0, 1.0, m_l))
    assert 0.0 < near < 1e-3 * far
    assert float(width_z_to_nu_n(M_Z, 1.0)) == 0.0


@settings(max_examples=200, deadline=None)
@given(m=st.floats(min_value=0.0, max_value=80.0), m_l=lepton_masses, c=cosines)
def test_density_positive_normalised_and_isotropic_on_average(
    m: float, m_l: float, c: float
) -> None:
    """f_h >= 0, integrates to 1, and (f_-1 + f_0 + f_+1)/3 = 1/2 for both charges."""
    weights = decay_helicity_weights(m, m_l, M_W)
    assert all(float(w) >= 0.0 for w in weights)
    assert float(sum(weights)) == pytest.approx(1.0, rel=1e-12)
    for conj in (True, False):
        values = [
            float(angular_density(c, h, m, m_l, M_W, n_is_antiparticle=conj)) for h in (-1, 0, 1)
        ]
        assert min(values) >= -1e-15
        assert sum(values) / 3.0 == pytest.approx(0.5, rel=1e-12)
        for h in (-1, 0, 1):
            norm = angular_density(NODES, h, m, m_l, M_W, n_is_antiparticle=conj) @ WEIGHTS
            assert float(norm) == pytest.approx(1.0, rel=1e-12)


def test_vectorised_shapes_and_helicity_arrays() -> None:
    """Broadcast over m_N, cos theta and helicity arrays."""
    m = np.linspace(0.0, 70.0, 5)
    assert width_w_to_lepton_n(m, D, M_E).shape == (5,)
    assert branching_ratio_z_to_nu_n(m[:, None], np.array([D, 2 * D])).shape == (5, 2)
    c = np.linspace(-1, 1, 3)
    h = np.array([-1, 0, 1])
    dens = angular_density(c[:, None], h[None, :], m[:, None, None], M_TAU, M_W)
    assert dens.shape == (5, 3, 3)
    for i, hh in enumerate(h):
        np.testing.assert_allclose(
            dens[:, :, i], angular_density(c[None, :], int(hh), m[:, None], M_TAU, M_W)
        )


def test_closed_channel_density_is_isotropic() -> None:
    """Above threshold the (irrelevant) density is 1/2 so that it times the zero width is 0."""
    assert float(angular_density_w(0.3, 85.0, M_E, -1)) == pytest.approx(0.5)
    assert float(angular_density_z(0.3, 95.0, 1)) == pytest.approx(0.5)


# ---------------------------------------------------------------------------------------------
# Branching ratios
# ---------------------------------------------------------------------------------------------


def test_branching_ratios_use_pdg_widths() -> None:
    """Br = Gamma / Gamma_V (PDG via particle); m_N -> 0 values M^3 / (12 pi Gamma) per d^2."""
    m = np.array([0.0, 1.0, 10.0, 50.0])
    np.testing.assert_allclose(
        branching_ratio_w_to_lepton_n(m, D, M_E), width_w_to_lepton_n(m, D, M_E) / GAMMA_W
    )
    np.testing.assert_allclose(branching_ratio_z_to_nu_n(m, D), width_z_to_nu_n(m, D) / GAMMA_Z)
    assert float(branching_ratio_w_to_lepton_n(0.0, 1.0, 0.0)) == pytest.approx(
        M_W**3 / (12.0 * math.pi * GAMMA_W), rel=1e-12
    )
    assert float(branching_ratio_z_to_nu_n(0.0, 1.0)) == pytest.approx(
        2.0 * M_Z**3 / (12.0 * math.pi * GAMMA_Z), rel=1e-12
    )


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ValueError, match="mass"):
        width_w_to_lepton_n(-1.0, D, M_E)
    with pytest.raises(ValueError, match="helicity"):
        angular_density_w(0.0, 1.0, M_E, 2)
    with pytest.raises(ValueError, match="cos"):
        angular_density_w(1.5, 1.0, M_E, -1)
    with pytest.raises(ValueError, match="w_charge"):
        angular_density_w(0.0, 1.0, M_E, -1, w_charge=0)
    with pytest.raises(ValueError, match="state"):
        angular_density_z(0.0, 1.0, -1, state="x")  # type: ignore[arg-type]
