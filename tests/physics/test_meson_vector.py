"""Tests of nudipole.physics.mesons.vector: V -> nu Nbar through the photon dipole.

Independent checks: the dipole vertex normalisation anchored on Gamma(N -> nu gamma) (seed Eq. 4)
and the V width from explicit Dirac traces (``meson_reference``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from meson_reference import ALPHA, EYE, P_RIGHT, bar, photon_polarisations, sigma_dot, slash, trace

from nudipole.physics.mesons.vector import (
    vector_br_over_br_ee,
    vector_energy,
    vector_width,
    vector_width_ee,
)

# --------------------------------------------------------------------- vertex normalisation


def test_dipole_vertex_normalisation_reproduces_seed_width() -> None:
    """The vertex 2d P_R sigma^{ab} k_a eps*_b gives Gamma(N -> nu gamma) = d^2 m^3/(4 pi)."""
    m, d = 0.7, 1.3
    k = np.array([m / 2, 0.0, 0.0, m / 2])
    p_nu = np.array([m / 2, 0.0, 0.0, -m / 2])
    p_n = np.array([m, 0.0, 0.0, 0.0])
    total = 0.0
    for eps in photon_polarisations(k):
        vertex = 2.0 * d * P_RIGHT @ sigma_dot(k, eps)
        total += trace(slash(p_nu) @ vertex @ (slash(p_n) + m * EYE) @ bar(vertex)).real
    width = 0.5 * total / (2.0 * m) / (8.0 * math.pi)  # spin average, 2-body phase space
    assert width == pytest.approx(d**2 * m**3 / (4.0 * math.pi), rel=1e-12)


# --------------------------------------------------------------------- V -> nu Nbar


@settings(max_examples=60, deadline=None)
@given(
    m_v=st.floats(0.1, 12.0),
    frac=st.floats(0.0, 0.999),
    f_v=st.floats(0.05, 1.0),
    charge=st.sampled_from([1 / math.sqrt(2), 1 / (3 * math.sqrt(2)), -1 / 3, 2 / 3]),
)
def test_vector_width_over_ee_is_the_ratio_form(
    m_v: float, frac: float, f_v: float, charge: float
) -> None:
    m_n = frac * m_v
    width = vector_width(m_v, f_v, charge, m_n, 0.3, ALPHA)
    ratio = width / vector_width_ee(m_v, f_v, charge, ALPHA)
    assert ratio == pytest.approx(float(vector_br_over_br_ee(m_v, m_n, 0.3, ALPHA)), rel=1e-12)


def test_vector_width_talk_polynomial_and_threshold() -> None:
    m_v, f_v, charge, d = 0.775, 0.22, 1 / math.sqrt(2), 2.0
    x = np.linspace(0.0, 0.99, 7)
    m_n = np.sqrt(x) * m_v
    talk = (
        f_v**2
        * m_v
        * 4
        * math.pi
        * ALPHA
        * charge**2
        * d**2
        / (12 * math.pi)
        * ((1 - x) * (1 + x - 2 * x**2))
    )
    np.testing.assert_allclose(vector_width(m_v, f_v, charge, m_n, d, ALPHA), talk, rtol=1e-12)
    assert float(vector_width(m_v, f_v, charge, m_v, d, ALPHA)) == 0.0
    assert float(vector_br_over_br_ee(m_v, 1.2 * m_v, d, ALPHA)) == 0.0
    assert float(vector_energy(m_v, 0.3)) == pytest.approx((m_v**2 + 0.09) / (2 * m_v))


def test_vector_width_matches_dirac_trace() -> None:
    """V -> gamma* -> nu Nbar: amplitude (e Q f_V m_V / m_V^2) eps_V . J, averaged over the three
    V polarisations (explicit vectors in the V rest frame)."""
    m_v, f_v, charge, m_n, d = 1.0195, 0.229, -1 / 3, 0.41, 0.8
    p_star = (m_v**2 - m_n**2) / (2 * m_v)
    n = np.array([0.3, -0.5, 0.81])
    n /= np.linalg.norm(n)
    p_nu = np.concatenate([[p_star], -p_star * n])
    p_n = np.concatenate([[math.sqrt(p_star**2 + m_n**2)], p_star * n])
    q = p_nu + p_n
    coupling = math.sqrt(4 * math.pi * ALPHA) * charge * f_v / m_v
    total = 0.0
    for i in range(3):
        eps = np.zeros(4)
        eps[i + 1] = 1.0
        current = P_RIGHT @ sigma_dot(q, eps) * 2.0 * d * coupling
        total += trace(slash(p_nu) @ current @ (slash(p_n) - m_n * EYE) @ bar(current)).real
    width = (total / 3.0) * p_star / (8.0 * math.pi * m_v**2)
    assert width == pytest.approx(float(vector_width(m_v, f_v, charge, m_n, d, ALPHA)), rel=1e-12)


def test_vector_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="m_n"):
        vector_width(0.775, 0.22, 0.7, -0.1, 1.0, ALPHA)
