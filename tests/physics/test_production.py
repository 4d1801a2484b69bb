"""Tests of nudipole.physics.production (seed Eqs. 2-3 and the N polarisation)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import quad

from nudipole.physics.production import (
    dsigma_dcos,
    mean_helicity,
    n_energy_cm,
    n_momentum_cm,
    polarization_longitudinal,
    polarization_transverse,
    sigma,
)

fractions = st.floats(1e-4, 0.999)


@given(fractions, st.floats(1.0, 200.0))
def test_eq2_integrates_to_eq3(y: float, s: float) -> None:
    m = np.sqrt(y * s)
    total, _ = quad(lambda z: float(dsigma_dcos(s, m, 1e-5, z)), -1, 1, epsabs=0, epsrel=1e-11)
    assert total == pytest.approx(float(sigma(s, m, 1e-5)), rel=1e-9)


@given(fractions, st.floats(1e-9, 1e-3))
def test_sigma_proportional_to_d2(y: float, d: float) -> None:
    s = 16.0
    m = np.sqrt(y * s)
    assert sigma(s, m, 2 * d) == pytest.approx(4 * sigma(s, m, d), rel=1e-12)
    assert sigma(s, m, d) >= 0


def test_sigma_light_n_independent_of_energy() -> None:
    # Seed after Eq. 3: for m << sqrt(s), sigma -> alpha d^2 / 3 independent of s.
    from nudipole.constants import ALPHA_EM

    for s in (4.0, 16.0, 112.0):
        assert sigma(s, 1e-4, 1.0) == pytest.approx(ALPHA_EM / 3, rel=1e-6)


def test_threshold() -> None:
    assert sigma(4.0, 2.0, 1.0) == 0.0
    assert sigma(4.0, 2.5, 1.0) == 0.0
    assert dsigma_dcos(4.0, 2.5, 1.0, 0.3) == 0.0


def test_two_body_kinematics() -> None:
    s, m = 16.0, 1.3
    e, p = n_energy_cm(s, m), n_momentum_cm(s, m)
    assert e**2 - p**2 == pytest.approx(m**2, rel=1e-12)
    assert e + p == pytest.approx(np.sqrt(s), rel=1e-12)  # the neutrino carries p


@given(fractions)
def test_mean_helicity_is_average_of_p_long(y: float) -> None:
    s = 10.0
    m = np.sqrt(y * s)
    num, _ = quad(
        lambda z: float(dsigma_dcos(s, m, 1, z) * polarization_longitudinal(s, m, z)), -1, 1
    )
    den = float(sigma(s, m, 1))
    assert num / den == pytest.approx(float(mean_helicity(s, m)), abs=1e-9)


@given(fractions, st.floats(-1, 1))
def test_polarisation_is_physical(y: float, z: float) -> None:
    s = 10.0
    m = np.sqrt(y * s)
    p_l = polarization_longitudinal(s, m, z)
    p_t = polarization_transverse(s, m, z)
    assert p_l**2 + p_t**2 <= 1 + 1e-12


def test_transverse_polarisation_averages_to_zero_and_threshold_limit() -> None:
    s, m = 10.0, 1.0
    num, _ = quad(
        lambda z: float(dsigma_dcos(s, m, 1, z) * polarization_transverse(s, m, z)), -1, 1
    )
    assert abs(num) < 1e-14
    # Near threshold N is at rest and the gamma* (J_z = +-1 along the beam) leaves the N spin
    # along the beam axis: P -> -cos(theta_N) z_beam. In the helicity axes
    # x' = (cos t, 0, -sin t), z' = (sin t, 0, cos t), z_beam = (-sin t, cos t) in (x', z').
    m = np.sqrt(s) * (1 - 1e-7)
    for z in (-0.6, 0.2, 0.9):
        sin_t = np.sqrt(1 - z**2)
        p_vec = np.array([polarization_transverse(s, m, z), polarization_longitudinal(s, m, z)])
        expected = -z * np.array([-sin_t, z])
        assert p_vec == pytest.approx(expected, abs=1e-5)


def test_massless_limit_fully_polarised() -> None:
    assert mean_helicity(100.0, 1e-6) == pytest.approx(1.0)
    assert polarization_longitudinal(100.0, 1e-6, 0.3) == pytest.approx(1.0)
