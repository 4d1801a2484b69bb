"""Tests of the photon angular models (PHYSICS.md §2-3)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.integrate import dblquad

from nudipole.physics.angular import PhotonAngular, photon_angular_density, polarization_vector


@given(st.floats(-1, 1), st.floats(-1, 1))
def test_density_normalised_and_non_negative(p_l: float, p_t: float) -> None:
    norm = np.hypot(p_l, p_t)
    if norm > 1:
        p_l, p_t = p_l / norm, p_t / norm
    total, _ = dblquad(
        lambda phi, c: float(photon_angular_density(c, phi, p_l, p_t)), -1, 1, 0, 2 * np.pi
    )
    assert total == pytest.approx(1.0, rel=1e-8)
    c = np.linspace(-1, 1, 41)[:, None]
    phi = np.linspace(0, 2 * np.pi, 41)[None, :]
    assert np.all(photon_angular_density(c, phi, p_l, p_t) >= -1e-15)


def test_mean_cos_is_minus_p_over_3() -> None:
    # <cos t*> = -P_L / 3 for (1/4 pi)(1 - P_L cos t*)
    p_l = 0.6
    mean, _ = dblquad(
        lambda phi, c: float(c * photon_angular_density(c, phi, p_l, 0.0)), -1, 1, 0, 2 * np.pi
    )
    assert mean == pytest.approx(-p_l / 3, rel=1e-8)


def test_models() -> None:
    s, m, z = 16.0, 1.0, np.array([-0.5, 0.0, 0.7])
    p_l, p_t = polarization_vector(PhotonAngular.ISOTROPIC, s, m, z)
    assert np.all(p_l == 0)
    assert np.all(p_t == 0)
    p_l, p_t = polarization_vector(PhotonAngular.ONE_MINUS_COS, s, m, z)
    assert np.all(p_l == 1)
    assert np.all(p_t == 0)
    p_l, p_t = polarization_vector(PhotonAngular.SPIN_CORRELATED, s, m, z)
    assert p_l.shape == z.shape
    assert np.all(np.abs(p_l) <= 1)
    assert p_t[1] == 0.0
    assert p_t[0] < 0 < p_t[2]
