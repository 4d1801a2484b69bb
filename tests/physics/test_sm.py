"""The Standard-Model parameter set (nudipole.physics.sm.SMParameters)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from nudipole import constants
from nudipole.physics.sm import SIN2W_RANGE, SM, SMParameters

NUMERIC_FIELDS = (
    "alpha0", "g_fermi", "m_z", "gamma_z", "m_w", "gamma_w", "sin2w", "alpha_s",
    "delta_alpha_lep_mz", "delta_alpha_had5_mz",
)  # fmt: skip


def test_defaults_equal_the_constants() -> None:
    expected = {
        "alpha0": constants.ALPHA_EM,
        "g_fermi": constants.G_FERMI,
        "m_z": constants.M_Z,
        "gamma_z": constants.GAMMA_Z,
        "m_w": constants.M_W,
        "gamma_w": constants.GAMMA_W,
        "sin2w": constants.SIN2_THETA_W,
        "alpha_s": constants.ALPHA_S_MZ,
        "delta_alpha_lep_mz": constants.DELTA_ALPHA_LEP_MZ,
        "delta_alpha_had5_mz": constants.DELTA_ALPHA_HAD5_MZ,
    }
    for name, value in expected.items():
        assert getattr(SM, name) == value, name
    assert SMParameters.default() == SM
    assert SM.sin_w == pytest.approx(math.sqrt(constants.SIN2_THETA_W), rel=1e-15)
    assert SM.cos_w**2 + SM.sin_w**2 == pytest.approx(1.0, rel=1e-15)


def test_is_immutable_and_hashable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SM.sin2w = 0.3  # type: ignore[misc]
    changed = dataclasses.replace(SM, sin2w=0.2293)
    assert changed.sin2w == 0.2293
    assert SM.sin2w == constants.SIN2_THETA_W  # the default is untouched
    assert hash(changed) != hash(SM)
    assert {SM: 1}[SMParameters.default()] == 1


@pytest.mark.parametrize("name", NUMERIC_FIELDS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0])
def test_rejects_non_finite_and_negative_values(name: str, bad: float) -> None:
    with pytest.raises(ValueError, match=name if name != "sin2w" else "--sin2w"):
        dataclasses.replace(SM, **{name: bad})


@pytest.mark.parametrize("name", ["alpha0", "g_fermi", "m_z", "gamma_z", "m_w", "gamma_w"])
def test_rejects_zero_couplings_masses_and_widths(name: str) -> None:
    with pytest.raises(ValueError, match=rf"{name} = 0\.0 must be > 0"):
        dataclasses.replace(SM, **{name: 0.0})


def test_range_checks_name_what_was_given() -> None:
    lo, hi = SIN2W_RANGE
    for bad in (0.5 * lo, 0.5 * (1.0 + hi), 1.2):
        with pytest.raises(ValueError, match=rf"--sin2w {bad:g}: sin\^2\(theta_w\) must lie"):
            dataclasses.replace(SM, sin2w=bad)
    with pytest.raises(ValueError, match=r"alpha0 = 1\.5 must be < 1"):
        dataclasses.replace(SM, alpha0=1.5)
    assert dataclasses.replace(SM, alpha_s=0.0).alpha_s == 0.0  # QCD factor switched off
    with pytest.raises(TypeError, match="m_z must be a number, got '91'"):
        dataclasses.replace(SM, m_z="91")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a number, got True"):
        dataclasses.replace(SM, alpha_s=True)
