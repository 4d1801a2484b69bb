"""Tests of nudipole.physics.mesons.charged: P- -> gamma l- Nbar through the photon dipole.

Independent checks (``meson_reference``): |M|^2 from explicit Dirac traces, the width and the
mean N energy from a Monte Carlo over the Dalitz plot; q^2 integrals against
scipy.integrate.quad.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from meson_reference import G_F, dalitz_mc, decay_at_rest, dot, msq_charged_trace
from scipy import integrate

from nudipole.physics.mesons.charged import (
    charged_pseudoscalar_d2width,
    charged_pseudoscalar_dwidth_dq2,
    charged_pseudoscalar_msq,
    charged_pseudoscalar_width,
)
from nudipole.physics.mesons.phase_space import kallen, parent_frame_energy_nodes

# --------------------------------------------------------------------- P- -> gamma l- Nbar

CHARGED_CASES = [
    # (m_P, f_P, |V|, m_l, m_N)
    (0.13957039, 0.1302, 0.97435, 0.000511, 0.05),
    (0.13957039, 0.1302, 0.97435, 0.1056584, 0.02),
    (0.493677, 0.1557, 0.225, 0.1056584, 0.25),
    (1.96835, 0.2499, 0.97349, 1.77693, 0.1),
    (5.27941, 0.1894, 0.00369, 0.000511, 2.5),
]


@pytest.mark.parametrize(("m_p", "f_p", "v", "m_l", "m_n"), CHARGED_CASES)
def test_charged_msq_matches_dirac_trace(
    m_p: float, f_p: float, v: float, m_l: float, m_n: float
) -> None:
    rng = np.random.default_rng(7)
    d, n = 1.7, 60
    q2 = rng.uniform(m_n**2, (m_p - m_l) ** 2, n)
    dirs = rng.normal(size=(n, 3))
    dirs /= np.linalg.norm(dirs, axis=-1, keepdims=True)
    p_q = np.sqrt(kallen(m_p**2, q2, m_l**2)) / (2 * m_p)
    q = np.concatenate([np.sqrt(q2 + p_q**2)[:, None], p_q[:, None] * dirs], axis=-1)
    p_l = np.concatenate([np.sqrt(m_l**2 + p_q**2)[:, None], -p_q[:, None] * dirs], axis=-1)
    p_n, k, cos_theta = decay_at_rest(q, q2, m_n, rng)
    explicit = msq_charged_trace(p_l, k, p_n, m_l, m_n, f_p, v, d)
    analytic = charged_pseudoscalar_msq(m_p, f_p, v, m_l, m_n, d, dot(q, q), cos_theta, G_F)
    # 1e-10 relative; points suppressed far below the typical |M|^2 keep the trace's absolute
    # rounding (~1e-16 of the largest terms), hence the small absolute floor.
    np.testing.assert_allclose(analytic, explicit, rtol=1e-10, atol=1e-13 * np.max(explicit))


def test_charged_dq2_is_the_cos_integral_and_masks() -> None:
    m_p, f_p, v, m_l, m_n = 1.86966, 0.2127, 0.22486, 0.1056584, 0.3
    for q2 in (0.2, 1.0, 2.5):
        integral = integrate.quad(
            lambda c, q2=q2: float(
                charged_pseudoscalar_d2width(m_p, f_p, v, m_l, m_n, 1.0, q2, c, G_F)
            ),
            -1,
            1,
        )[0]
        assert float(
            charged_pseudoscalar_dwidth_dq2(m_p, f_p, v, m_l, m_n, 1.0, q2, G_F)
        ) == pytest.approx(integral, rel=1e-12)
    assert float(charged_pseudoscalar_dwidth_dq2(m_p, f_p, v, m_l, m_n, 1.0, 0.05, G_F)) == 0.0
    assert float(charged_pseudoscalar_dwidth_dq2(m_p, f_p, v, m_l, m_n, 1.0, 3.2, G_F)) == 0.0
    # no helicity suppression: m_l -> 0 leaves a finite width
    assert float(charged_pseudoscalar_width(m_p, f_p, v, 0.0, m_n, 1.0, G_F)) > 0.0


def test_charged_massless_limit() -> None:
    """m_l = m_N = 0: Gamma = G_F^2 |V|^2 f^2 d^2 m_P^5 / (384 pi^3) (derived from the |M|^2)."""
    m_p, f_p, v, d = 0.13957039, 0.1302, 0.97435, 0.5
    expected = G_F**2 * v**2 * f_p**2 * d**2 * m_p**5 / (384 * math.pi**3)
    got = float(charged_pseudoscalar_width(m_p, f_p, v, 0.0, 0.0, d, G_F))
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("m_p", "f_p", "v", "m_l", "m_n"), CHARGED_CASES)
def test_charged_width_vs_quad(m_p: float, f_p: float, v: float, m_l: float, m_n: float) -> None:
    reference = integrate.quad(
        lambda q2: float(charged_pseudoscalar_dwidth_dq2(m_p, f_p, v, m_l, m_n, 1.0, q2, G_F)),
        m_n**2,
        (m_p - m_l) ** 2,
        epsabs=0.0,
        epsrel=1e-12,
        limit=400,
    )[0]
    got = float(charged_pseudoscalar_width(m_p, f_p, v, m_l, m_n, 1.0, G_F))
    assert got == pytest.approx(reference, rel=1e-9)
    closed = charged_pseudoscalar_width(m_p, f_p, v, m_l, np.array([m_p - m_l, 10.0]), 1.0, G_F)
    np.testing.assert_array_equal(closed, [0.0, 0.0])


@pytest.mark.parametrize(
    ("m_p", "f_p", "v", "m_l", "m_n"),
    [(1.96835, 0.2499, 0.97349, 0.1056584, 0.4), (0.493677, 0.1557, 0.225, 0.000511, 0.1)],
)
def test_charged_width_monte_carlo_and_mean_energy(
    m_p: float, f_p: float, v: float, m_l: float, m_n: float
) -> None:
    """P- -> l(1) Nbar(2) gamma(3): MC of the explicit |M|^2 reproduces the width and the
    mean N energy of the nodes (which checks the orientation of cos theta)."""
    d = 1.0

    def msq(k1: np.ndarray, k2: np.ndarray, k3: np.ndarray) -> np.ndarray:
        return msq_charged_trace(k1, k3, k2, m_l, m_n, f_p, v, d)

    gamma_mc, err, weights, energy = dalitz_mc(m_p, (m_l, m_n, 0.0), msq, 40_000, 5)
    expected = float(charged_pseudoscalar_width(m_p, f_p, v, m_l, m_n, d, G_F))
    assert err / gamma_mc < 0.01
    assert abs(gamma_mc - expected) < 4 * err
    nodes, w = parent_frame_energy_nodes(
        m_p,
        m_l,
        m_n,
        lambda q2, c: charged_pseudoscalar_d2width(m_p, f_p, v, m_l, m_n, d, q2, c, G_F),
    )
    assert float(np.sum(w)) == pytest.approx(expected, rel=1e-8)
    mean_nodes = float(np.sum(nodes * w) / np.sum(w))
    mean_mc = float(np.sum(energy * weights) / np.sum(weights))
    assert mean_nodes == pytest.approx(mean_mc, rel=0.01)
    # the orientation of theta matters: the mirrored distribution (c -> -c) is ~20 % harder
    mirror_nodes, mirror_w = parent_frame_energy_nodes(
        m_p,
        m_l,
        m_n,
        lambda q2, c: charged_pseudoscalar_d2width(m_p, f_p, v, m_l, m_n, d, q2, -c, G_F),
    )
    mean_mirror = float(np.sum(mirror_nodes * mirror_w) / np.sum(mirror_w))
    assert mean_mirror / mean_mc - 1.0 > 0.1
