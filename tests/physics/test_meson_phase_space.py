"""Tests of nudipole.physics.mesons.phase_space: parent-frame energies, the q^2 quadrature and
the weighted energy nodes of three-body meson decays.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from meson_reference import G_F, boost

from nudipole.physics.mesons.charged import charged_pseudoscalar_d2width, charged_pseudoscalar_width
from nudipole.physics.mesons.phase_space import (
    kallen,
    max_energy,
    parent_frame_energy,
    parent_frame_energy_nodes,
    parent_frame_rate_error,
    q2_quadrature,
)

# --------------------------------------------------------------------- quadrature and energies


def test_parent_frame_energy_matches_boosted_vectors() -> None:
    rng = np.random.default_rng(2)
    m_p, m_r, m_n, n = 1.96835, 0.1056584, 0.4, 20
    q2 = rng.uniform(m_n**2, (m_p - m_r) ** 2, n)
    p_q = np.sqrt(kallen(m_p**2, q2, m_r**2)) / (2 * m_p)
    dirs = np.tile([0.0, 0.0, 1.0], (n, 1))
    q = np.concatenate([np.sqrt(q2 + p_q**2)[:, None], p_q[:, None] * dirs], axis=-1)
    dec = rng.normal(size=(n, 3))
    dec /= np.linalg.norm(dec, axis=-1, keepdims=True)
    p_star = (q2 - m_n**2) / (2 * np.sqrt(q2))
    p_n_rest = np.concatenate([np.sqrt(p_star**2 + m_n**2)[:, None], p_star[:, None] * dec], -1)
    p_n = boost(p_n_rest, q[:, 1:] / q[:, :1])
    np.testing.assert_allclose(
        parent_frame_energy(m_p, m_r, m_n, q2, dec[:, 2]), p_n[:, 0], rtol=1e-12
    )


def test_q2_quadrature_integrates_and_broadcasts() -> None:
    q2, w = q2_quadrature(np.array([[0.0], [0.01]]), np.array([[1.0], [2.0]]), 24)
    assert q2.shape == w.shape == (2, 1, 48)  # threshold (log) panel + linear panel
    moments = np.sum(w * q2**2, axis=-1)[:, 0]
    np.testing.assert_allclose(moments, [1 / 3, (8 - 1e-6) / 3], rtol=1e-12)
    q2_e, w_e = q2_quadrature(0.3, 0.3, 8)
    assert np.all(w_e == 0.0)
    assert np.all(np.isfinite(q2_e))
    # Lorentzian hint: exact-ish for a Breit-Wigner
    centre, half = 0.64, 0.09
    nodes, weights = q2_quadrature(1e-4, 0.92, 16, (centre, half))
    assert nodes.shape == (48,)
    bw = 1.0 / ((nodes - centre) ** 2 + half**2)
    exact = (math.atan((0.92 - centre) / half) - math.atan((1e-4 - centre) / half)) / half
    assert float(np.sum(weights * bw)) == pytest.approx(exact, rel=1e-12)


def test_energy_nodes_range_sum_and_error_estimate() -> None:
    m_p, m_l, m_n = 5.27941, 0.000511, 0.01

    def rate(q2: np.ndarray, c: np.ndarray) -> np.ndarray:
        return charged_pseudoscalar_d2width(m_p, 0.1894, 0.00369, m_l, m_n, 1.0, q2, c, G_F)

    nodes, w = parent_frame_energy_nodes(m_p, m_l, m_n, rate, 24, 5)
    assert nodes.shape == w.shape == (240,)  # two q^2 panels of 24 nodes, 5 in cos theta
    assert np.all(nodes > m_n)
    assert np.all(nodes < float(max_energy(m_p, m_l, m_n)))
    assert np.all(w >= 0.0)
    total = float(charged_pseudoscalar_width(m_p, 0.1894, 0.00369, m_l, m_n, 1.0, G_F, 24))
    assert float(np.sum(w)) == pytest.approx(total, rel=1e-13)
    err = parent_frame_rate_error(m_p, m_l, m_n, rate, 24)
    exact = float(charged_pseudoscalar_width(m_p, 0.1894, 0.00369, m_l, m_n, 1.0, G_F, 200))
    assert abs(total - exact) <= 1.5 * err + 1e-14 * exact
    empty = parent_frame_energy_nodes(m_p, m_p, 0.1, rate)
    assert empty[0].size == 0
    assert empty[1].size == 0


@settings(max_examples=40, deadline=None)
@given(m_p=st.floats(0.1, 6.0), r_frac=st.floats(0.0, 0.9), n_frac=st.floats(0.0, 0.99))
@example(m_p=1.0, r_frac=0.5, n_frac=3.942873181328846e-160)  # m_N^2 subnormal (found by CI)
def test_energy_nodes_stay_in_kinematic_range(m_p: float, r_frac: float, n_frac: float) -> None:
    m_r = r_frac * m_p
    m_n = n_frac * (m_p - m_r)
    nodes, w = parent_frame_energy_nodes(m_p, m_r, m_n, lambda q2, c: 1.0 + c**2 + 0.0 * q2, 16, 3)
    tol = 1e-12 * m_p
    assert np.all(nodes >= m_n - tol)
    assert np.all(nodes <= float(max_energy(m_p, m_r, m_n)) + tol)
    area = 8.0 / 3.0 * ((m_p - m_r) ** 2 - m_n**2)
    assert float(np.sum(w)) == pytest.approx(area, rel=1e-12)


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="order"):
        q2_quadrature(0.0, 1.0, 1)
    with pytest.raises(ValueError, match="peak"):
        q2_quadrature(0.0, 1.0, 8, (0.5, 0.0))
    with pytest.raises(ValueError, match="angular_order"):
        parent_frame_energy_nodes(1.0, 0.0, 0.1, lambda q2, c: q2 + c, 8, 0)
