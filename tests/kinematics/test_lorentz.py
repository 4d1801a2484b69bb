"""Lorentz boosts preserve invariants; aberration and the Belle II frame."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudipole.kinematics.lorentz import (
    beams_boost,
    boost,
    boost_z,
    massless_cos_to_other_frame,
    minkowski_square,
)

comp = st.floats(-50, 50)
vel = st.floats(-0.57, 0.57)


@given(st.floats(0, 20), comp, comp, comp, vel, vel, vel)
def test_boost_preserves_invariant_mass(
    m: float, px: float, py: float, pz: float, bx: float, by: float, bz: float
) -> None:
    e = np.sqrt(m**2 + px**2 + py**2 + pz**2)
    p = np.array([e, px, py, pz])
    q = boost(p, np.array([bx, by, bz]))
    assert minkowski_square(q) == pytest.approx(m**2, abs=1e-9 * max(1.0, e**2))


def test_boost_of_particle_at_rest_gives_its_velocity() -> None:
    beta = np.array([0.1, -0.2, 0.3])
    q = boost(np.array([2.0, 0, 0, 0]), beta)
    assert q[1:] / q[0] == pytest.approx(beta)


def test_inverse_boost() -> None:
    rng = np.random.default_rng(1)
    p = rng.normal(size=(100, 4))
    p[:, 0] = np.abs(p[:, 0]) + np.linalg.norm(p[:, 1:], axis=1)
    beta = np.array([0.2, 0.1, -0.4])
    assert boost(boost(p, beta), -beta) == pytest.approx(p, abs=1e-12)


def test_belle2_frame() -> None:
    beta = beams_boost(7.0, 4.0)
    assert beta == pytest.approx(3 / 11)
    # The beams in the lab: boosting the CM beams (E = sqrt(s)/2 each) gives 7 and 4 GeV.
    half = np.sqrt(4 * 7.0 * 4.0) / 2
    e1, _ = boost_z(half, half, beta)
    e2, _ = boost_z(half, -half, beta)
    assert (e1, e2) == pytest.approx((7.0, 4.0))


@given(st.floats(-1, 1), st.floats(-0.9, 0.9))
def test_aberration_matches_explicit_boost(c: float, beta: float) -> None:
    s = np.sqrt(1 - c**2)
    p = np.array([1.0, s, 0.0, c])
    q = boost(p, np.array([0.0, 0.0, beta]))
    assert massless_cos_to_other_frame(c, beta) == pytest.approx(q[3] / q[0], abs=1e-12)
    # and back
    assert massless_cos_to_other_frame(
        massless_cos_to_other_frame(c, beta), -beta
    ) == pytest.approx(c, abs=1e-12)


def test_superluminal_boost_rejected() -> None:
    with pytest.raises(ValueError, match="beta"):
        boost(np.array([1.0, 0, 0, 0]), np.array([0.0, 0.0, 1.0]))
