"""Decay-vertex geometry: path in the fiducial cylinder and sampled decay positions."""

import numpy as np
import pytest

from nudipole.kinematics.geometry import decay_positions, path_length_in_cylinder
from nudipole.physics.decay import decay_probability


def test_path_length_cases() -> None:
    r, z0, z1 = 1.25, -1.02, 1.96
    assert path_length_in_cylinder(0.0, r, z0, z1) == pytest.approx(r)
    assert path_length_in_cylinder(1.0, r, z0, z1) == pytest.approx(z1)
    assert path_length_in_cylinder(-1.0, r, z0, z1) == pytest.approx(-z0)
    c = np.cos(np.radians(60))
    assert path_length_in_cylinder(c, r, z0, z1) == pytest.approx(r / np.sin(np.radians(60)))
    c = np.cos(np.radians(20))
    assert path_length_in_cylinder(c, r, z0, z1) == pytest.approx(z1 / c)


def test_path_length_at_subnormal_cosines() -> None:
    """A cosine of 1e-306 ends on the barrel without an overflow warning (found by the
    property test of the prompt-limit kappa floor)."""
    got = path_length_in_cylinder(np.array([2.2e-306, -2.2e-306, 5e-324]), 1.0, -1.0, 1.0)
    np.testing.assert_allclose(got, 1.0)


def test_bad_cylinder() -> None:
    with pytest.raises(ValueError, match="cylinder"):
        path_length_in_cylinder(0.3, 1.0, 0.5, 2.0)


def test_sampled_vertices_inside_fraction_is_decay_probability() -> None:
    """MC decay positions from the exponential law land inside the cylinder with probability
    1 - exp(-L/l_dec), the analytic factor used by the lab-volume decay model."""
    rng = np.random.default_rng(7)
    r, z0, z1 = 0.81, -1.2, 1.2
    for cos_t, mean in ((0.3, 0.5), (0.9, 2.0), (-0.7, 0.2)):
        n = 200_000
        pos = decay_positions(rng, np.full(n, cos_t), mean)
        inside = (pos[:, 0] < r) & (pos[:, 1] > z0) & (pos[:, 1] < z1)
        expected = float(decay_probability(path_length_in_cylinder(cos_t, r, z0, z1), mean))
        assert inside.mean() == pytest.approx(
            expected, abs=4 * np.sqrt(expected * (1 - expected) / n)
        )
