"""Tests of nudipole.physics.decay (seed Eqs. 4-6)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudipole.constants import natural_to_metres
from nudipole.model import Nature
from nudipole.physics.decay import decay_length, decay_probability, lifetime, width_nu_gamma

masses = st.floats(1e-3, 100.0)
couplings = st.floats(1e-12, 1e-2)


def test_width_value_seed_eq4() -> None:
    # d = 1e-5 GeV^-1, m = 1 GeV: Gamma = 1e-10 / (4 pi) GeV.
    assert width_nu_gamma(1.0, 1e-5) == pytest.approx(1e-10 / (4 * np.pi), rel=1e-14)


@given(masses, couplings)
def test_width_positive_and_scales_as_d2_m3(m: float, d: float) -> None:
    w = width_nu_gamma(m, d)
    assert w >= 0
    assert width_nu_gamma(m, 2 * d) == pytest.approx(4 * w, rel=1e-12)
    assert width_nu_gamma(2 * m, d) == pytest.approx(8 * w, rel=1e-12)


def test_majorana_width_is_twice_dirac() -> None:
    assert width_nu_gamma(0.5, 1e-6, Nature.MAJORANA) == pytest.approx(
        2 * width_nu_gamma(0.5, 1e-6, Nature.DIRAC), rel=1e-14
    )


def test_decay_length_seed_eq6() -> None:
    # Seed Eq. 6: l_dec = 4 pi sqrt(E^2 - m^2) / (d^2 m^4).
    m, d, e = 0.3, 1e-5, 4.0
    p = np.sqrt(e**2 - m**2)
    expected = 4 * np.pi * p / (d**2 * m**4)
    assert decay_length(p, m, width_nu_gamma(m, d)) == pytest.approx(expected, rel=1e-12)
    # and c tau: lifetime times c in the rest frame (p = m * beta gamma = m -> l = c tau)
    assert decay_length(m, m, width_nu_gamma(m, d)) == pytest.approx(lifetime(width_nu_gamma(m, d)))


def test_decay_length_in_metres_order_of_magnitude() -> None:
    # m = 1 GeV, d = 1e-5 GeV^-1, p = 5 GeV: l = 5 * 4 pi / 1e-10 GeV^-1 ~ 1.2e-4 m.
    l_gev = decay_length(5.0, 1.0, width_nu_gamma(1.0, 1e-5))
    assert natural_to_metres(float(l_gev)) == pytest.approx(
        5 * 4 * np.pi / 1e-10 * 1.97327e-16, rel=1e-5
    )


def test_decay_probability_limits() -> None:
    assert decay_probability(1e-9, 1.0) == pytest.approx(1e-9, rel=1e-6)  # long-lived: P ~ l/l_dec
    assert decay_probability(50.0, 1.0) == pytest.approx(1.0)
    assert decay_probability(1.0, 1.0) == pytest.approx(1 - np.exp(-1.0))
