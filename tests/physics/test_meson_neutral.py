"""Tests of nudipole.physics.mesons.neutral: P0 -> gamma nu Nbar through the photon dipole.

Independent checks (``meson_reference``): |M|^2 from explicit Dirac traces with an explicit
Levi-Civita tensor, Gamma(P -> gamma gamma) from the explicit eps-tensor amplitude, the width
from a Monte Carlo over the Dalitz plot; q^2 integrals against scipy.integrate.quad.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from meson_reference import (
    LEVI,
    dalitz_mc,
    decay_at_rest,
    dot,
    low,
    msq_neutral_trace,
    photon_polarisations,
)
from scipy import integrate

from nudipole.physics.mesons.neutral import (
    neutral_pseudoscalar_br,
    neutral_pseudoscalar_br_point,
    neutral_pseudoscalar_d2br,
    neutral_pseudoscalar_dbr_dq2,
    neutral_pseudoscalar_msq,
    pgg_coupling,
    vmd_form_factor_sq,
)
from nudipole.physics.mesons.phase_space import parent_frame_energy_nodes


def test_pgg_coupling_matches_two_photon_width() -> None:
    """Gamma(P -> gamma gamma) from the explicit eps-tensor amplitude equals g^2 m^3/(64 pi)."""
    m, width = 0.5479, 5.2e-7
    g = float(pgg_coupling(m, width))
    k1 = np.array([m / 2, 0.3, -0.1, 0.0])
    k1[1:] *= (m / 2) / np.linalg.norm(k1[1:])
    k2 = np.concatenate([[m / 2], -k1[1:]])
    total = 0.0
    for e1 in photon_polarisations(k1):
        for e2 in photon_polarisations(k2):
            amp = g * np.einsum("mnab,m,n,a,b->", LEVI, low(e1), low(e2), low(k1), low(k2))
            total += amp**2
    assert 0.5 * total / (2.0 * m) / (8.0 * math.pi) == pytest.approx(width, rel=1e-12)


# --------------------------------------------------------------------- P0 -> gamma nu Nbar


@pytest.mark.parametrize(("m_p", "m_n"), [(0.1349768, 0.0), (0.547862, 0.12), (0.95778, 0.6)])
def test_neutral_msq_matches_dirac_trace(m_p: float, m_n: float) -> None:
    rng = np.random.default_rng(11)
    g, d = 0.025, 0.9
    n = 60
    q2 = rng.uniform(m_n**2, m_p**2, n)
    q2 = np.where(q2 > 1e-6, q2, 1e-3)
    # q = (nu Nbar) recoils against the photon; build in the q rest frame and boost.
    dirs = rng.normal(size=(n, 3))
    dirs /= np.linalg.norm(dirs, axis=-1, keepdims=True)
    p_q = (m_p**2 - q2) / (2 * m_p)
    q = np.concatenate([np.sqrt(q2 + p_q**2)[:, None], p_q[:, None] * dirs], axis=-1)
    k = np.concatenate([p_q[:, None], -p_q[:, None] * dirs], axis=-1)
    p_n, p_nu, cos_theta = decay_at_rest(q, q2, m_n, rng)
    explicit = msq_neutral_trace(k, p_nu, p_n, m_n, g, d)
    analytic = neutral_pseudoscalar_msq(m_p, g, m_n, d, dot(q, q), cos_theta)
    np.testing.assert_allclose(analytic, explicit, rtol=1e-10)


def test_neutral_point_reduces_to_closed_form() -> None:
    """c-integral of dBr/dq^2 dc = PHYSICS.md §10 dBr/dq^2; the transverse-gamma* shape."""
    m_p, br, m_n, d = 0.547862, 0.3936, 0.2, 1.0
    for q2 in (0.05, 0.12, 0.29):
        integral = integrate.quad(
            lambda c, q2=q2: float(neutral_pseudoscalar_d2br(m_p, br, m_n, d, q2, c)), -1, 1
        )[0]
        y = m_n**2 / q2
        physics_md = (
            br * d**2 / (6 * math.pi**2) * (1 - q2 / m_p**2) ** 3 * (1 - y) ** 2 * (1 + 2 * y)
        )
        assert integral == pytest.approx(physics_md, rel=1e-12)
        assert float(neutral_pseudoscalar_dbr_dq2(m_p, br, m_n, d, q2)) == pytest.approx(
            physics_md, rel=1e-13
        )
        # shape in c: (1 - c^2) q^2 + (1 + c^2) m_N^2 (the brief's expectation), verified
        c = np.array([-0.7, 0.0, 0.4, 1.0])
        shape = neutral_pseudoscalar_d2br(m_p, br, m_n, d, q2, c)
        expected = (1 - c**2) * q2 + (1 + c**2) * m_n**2
        np.testing.assert_allclose(shape / shape[1], expected / expected[1], rtol=1e-13)
    assert float(neutral_pseudoscalar_d2br(m_p, br, m_n, d, 0.01, 0.0)) == 0.0  # q^2 < m_N^2
    assert float(neutral_pseudoscalar_dbr_dq2(m_p, br, m_n, d, 0.31)) == 0.0  # q^2 > m_P^2


def test_neutral_massless_limit() -> None:
    """Br -> Br(gamma gamma) d^2 m_P^2 / (24 pi^2) at m_N -> 0 (PHYSICS.md §10)."""
    m_p, br, d = 0.1349768, 0.98823, 1.0
    limit = br * d**2 * m_p**2 / (24 * math.pi**2)
    assert float(neutral_pseudoscalar_br_point(m_p, br, 0.0, d)) == pytest.approx(limit, rel=1e-14)
    assert float(neutral_pseudoscalar_br(m_p, br, 0.0, d)) == pytest.approx(limit, rel=1e-12)
    small = float(neutral_pseudoscalar_br_point(m_p, br, 1e-4, d))
    mu = (1e-4 / m_p) ** 2  # leading correction: bracket = 1/4 - 3 mu + O(mu^2 ln mu)
    assert small == pytest.approx(limit * (1.0 - 12.0 * mu), rel=1e-9)


@pytest.mark.parametrize("frac", [0.0, 1e-3, 0.05, 0.3, 0.6, 0.75, 0.95, 0.999])
def test_neutral_point_closed_form_vs_quad(frac: float) -> None:
    m_p, br, d = 0.95778, 0.02307, 1.0
    m_n = frac * m_p
    reference = integrate.quad(
        lambda q2: float(neutral_pseudoscalar_dbr_dq2(m_p, br, m_n, d, q2)),
        m_n**2,
        m_p**2,
        points=[4.0 * m_n**2, 100.0 * m_n**2] if 0.0 < m_n < 0.1 * m_p else None,
        epsabs=0.0,
        epsrel=1e-12,
        limit=400,
    )[0]
    closed = float(neutral_pseudoscalar_br_point(m_p, br, m_n, d))
    assert closed == pytest.approx(reference, rel=1e-9)
    assert float(neutral_pseudoscalar_br(m_p, br, m_n, d)) == pytest.approx(reference, rel=1e-9)


def test_neutral_br_vectorised_and_closed() -> None:
    m_p, br = 0.547862, 0.3936
    masses = np.array([0.0, 0.01, 0.3, 0.6])
    got = neutral_pseudoscalar_br(m_p, br, masses, 2.0)
    expected = [float(neutral_pseudoscalar_br_point(m_p, br, m, 2.0)) for m in masses]
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0.0)
    assert got[-1] == 0.0


def test_neutral_vmd_form_factor_with_peak_hint_vs_quad() -> None:
    m_p, br, pole, width = 0.95778, 0.02307, 0.802, 0.113

    def ff(q2: np.ndarray) -> np.ndarray:
        return vmd_form_factor_sq(q2, pole, width)

    for m_n in (0.0, 0.01, 0.3, 0.85):
        reference = integrate.quad(
            lambda q2, m_n=m_n: float(
                neutral_pseudoscalar_dbr_dq2(m_p, br, m_n, 1.0, q2, ff(np.asarray(q2)))
            ),
            m_n**2,
            m_p**2,
            points=[pole**2] if m_n < pole else None,
            epsabs=0.0,
            epsrel=1e-12,
            limit=400,
        )[0]
        got = float(neutral_pseudoscalar_br(m_p, br, m_n, 1.0, ff, 32, (pole**2, pole * width)))
        assert got == pytest.approx(reference, rel=1e-7)


def test_vmd_form_factor_normalisation_and_slope() -> None:
    assert float(vmd_form_factor_sq(0.0, 0.8, 0.11)) == pytest.approx(1.0, rel=1e-15)
    h = 1e-6
    slope = (float(vmd_form_factor_sq(h, 0.8, 0.11)) - 1.0) / h
    assert slope == pytest.approx(2.0 / (0.8**2 + 0.11**2), rel=1e-5)
    q2 = np.array([0.0, 0.1, 0.3])
    np.testing.assert_allclose(vmd_form_factor_sq(q2, 0.73), 1 / (1 - q2 / 0.73**2) ** 2)
    with pytest.raises(ValueError, match="pole_mass"):
        vmd_form_factor_sq(0.1, -0.7)
    with pytest.raises(ValueError, match="pole_width"):
        vmd_form_factor_sq(0.1, 0.7, -0.1)


def test_neutral_width_monte_carlo_and_mean_energy() -> None:
    """P0 -> nu(1) Nbar(2) gamma(3): MC of the explicit |M|^2 over the Dalitz plot reproduces
    Gamma = Gamma(gamma gamma) x Br/Br(gamma gamma) and the mean N energy of the nodes."""
    m_p, m_n, g, d = 0.547862, 0.2, 0.025, 1.0

    def msq(k1: np.ndarray, k2: np.ndarray, k3: np.ndarray) -> np.ndarray:
        return msq_neutral_trace(k3, k1, k2, m_n, g, d)

    gamma_mc, err, weights, energy = dalitz_mc(m_p, (0.0, m_n, 0.0), msq, 40_000, 3)
    gamma_gg = g**2 * m_p**3 / (64 * math.pi)
    expected = gamma_gg * float(neutral_pseudoscalar_br_point(m_p, 1.0, m_n, d))
    assert err / gamma_mc < 0.01
    assert abs(gamma_mc - expected) < 4 * err
    nodes, w = parent_frame_energy_nodes(
        m_p,
        0.0,
        m_n,
        lambda q2, c: neutral_pseudoscalar_d2br(m_p, 1.0, m_n, d, q2, c),
    )
    mean_nodes = float(np.sum(nodes * w) / np.sum(w))
    mean_mc = float(np.sum(energy * weights) / np.sum(weights))
    assert mean_nodes == pytest.approx(mean_mc, rel=0.01)


def test_neutral_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="m_p"):
        neutral_pseudoscalar_br(0.0, 1.0, 0.1, 1.0)
