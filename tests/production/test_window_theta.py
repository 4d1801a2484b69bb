"""The per-parent theta* rule of a W/Z part under a small polar window
(nudipole.production.window_theta): the inverse aberration map, the rule's weights, and the
band edges converged in it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.production._window_kernel import _alpha_of, theta_star_of_alpha
from nudipole.production.window_theta import WindowThetaRule, window_nodes


@settings(max_examples=200, deadline=None)
@given(
    beta=st.floats(0.0, 0.999),
    beta_s=st.floats(0.05, 0.9999),
    theta_s=st.floats(1e-3, math.pi - 1e-3),
)
def test_theta_star_of_alpha_inverts_the_aberration(
    beta: float, beta_s: float, theta_s: float
) -> None:
    gamma = 1.0 / math.sqrt(1.0 - beta * beta)
    c = math.cos(theta_s)
    alpha = _alpha_of(c, beta, gamma, beta_s)
    branch = 0
    if beta >= beta_s and c < -beta_s / beta:  # beyond the turning point alpha_max
        branch = 1
    back = theta_star_of_alpha(alpha, beta, gamma, beta_s, branch)
    # the inverse is ill-conditioned only next to the turning point (d alpha / d theta* = 0)
    turn = math.acos(-beta_s / beta) if beta >= beta_s else math.inf
    near_turn = abs(theta_s - turn) < 1e-2
    if not near_turn:
        assert back == pytest.approx(theta_s, abs=1e-7)
    tol = 1e-6 if near_turn else 1e-9  # ill-conditioned where d alpha / d theta* = 0
    assert _alpha_of(math.cos(back), beta, gamma, beta_s) == pytest.approx(alpha, abs=tol)


@pytest.mark.parametrize("polarisation", ["unpolarised", "lo"])
@pytest.mark.parametrize("p_parent", [1.0, 300.0, 3000.0])
def test_whole_sky_window_integrates_the_density_per_parent(
    polarisation: str, p_parent: float
) -> None:
    # A window of the whole polar range: every theta* of every parent counts, so each
    # parent's node weights sum to its E* weight (the density of cos theta* integrates to
    # 1). Slow parents (beta < beta*) and fast ones (beta > beta*: two branches of theta*
    # meet at alpha_max) alike.
    m_w, m_n = 80.377, 0.5
    e_star = np.array([0.5 * (m_w**2 + m_n**2) / m_w])
    e_w = np.array([2.5])
    theta_p = np.array([1e-3, 0.05, 0.7, 2.0, 3.1])
    e_p = math.hypot(p_parent, m_w)
    stride = 4.0
    # 16 nodes: the whole sky makes theta* intervals as wide as [0, pi], where the sine map
    # (made for the narrow intervals of a small window) converges more slowly than plain
    # Gauss-Legendre (8 nodes: 1e-5)
    rule = WindowThetaRule("W+", m_n, "e", polarisation, 16)
    parent, weight, mom, cos_h, sin_h, sin_a = window_nodes(
        theta_p,  # group 0: key = theta_P
        np.array([p_parent / e_p]),
        np.array([e_p / m_w]),
        e_star,
        e_w,
        m_n,
        (0.0, math.pi),
        rule,
        stride,
    )
    sums = np.bincount(parent, weights=weight, minlength=theta_p.size)
    np.testing.assert_allclose(sums, 2.5, rtol=1e-6)
    # the N kinematics: cos^2 + sin^2 of the half angle, sin(alpha) from it
    np.testing.assert_allclose(cos_h**2 + sin_h**2, 1.0, rtol=1e-12)
    np.testing.assert_allclose(sin_a, 2.0 * sin_h * cos_h, rtol=1e-9, atol=1e-12)
    assert np.all(mom > 0.0)


def test_small_window_nodes_stay_where_n_can_reach_it() -> None:
    # every node's N leaves at an angle alpha from its parent with which the cone meets the
    # window: |theta_P - alpha| <= theta_hi
    m_w, m_n = 80.377, 0.1
    e_star = np.array([0.5 * (m_w**2 + m_n**2) / m_w])
    theta_p = np.geomspace(1e-4, 3.0, 40)
    e_p = math.hypot(500.0, m_w)
    window = (0.0, 2.1e-3)
    rule = WindowThetaRule("W-", m_n, "mu", "lo", 4)
    parent, weight, _, cos_h, sin_h, _ = window_nodes(
        theta_p, np.array([500.0 / e_p]), np.array([e_p / m_w]), e_star, np.ones(1), m_n,
        window, rule, 4.0,
    )  # fmt: skip
    alpha = 2.0 * np.arctan2(sin_h, cos_h)
    assert np.all(np.abs(theta_p[parent] - alpha) <= window[1] * (1 + 1e-9) + 1e-12)
    assert np.all(weight >= 0.0)
    assert weight.sum() > 0.0
