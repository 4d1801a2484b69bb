"""Properties of the SM nu nubar gamma background formula (PHYSICS.md §5).

The independent matrix-element check is in test_background_me.py.
"""

from dataclasses import replace

import numpy as np
import pytest

from nudipole.physics.background import c_nu, d2sigma_dx_dcos, sigma0_contact
from nudipole.physics.sm import SM


def test_c_nu_value() -> None:
    # PHYSICS.md §5: C_nu ~ 1.679 for sin^2 theta_w ~ 0.2312.
    assert c_nu(replace(SM, sin2w=0.2312)) == pytest.approx(1.679, abs=2e-3)
    # Without the W piece (pure NC, three flavours) it would be 3 (gV^2 + gA^2):
    g_v = -0.5 + 2 * 0.2312
    assert c_nu(replace(SM, sin2w=0.2312)) - 3 * (g_v**2 + 0.25) == pytest.approx(
        2 * (g_v - 0.5) + 2
    )


def test_sigma0_scales_linearly_with_s() -> None:
    assert sigma0_contact(20.0) == pytest.approx(2 * sigma0_contact(10.0), rel=1e-14)


def test_soft_limit_is_eikonal() -> None:
    s, x = 16.0, 1e-7
    for z in (-0.8, 0.0, 0.5):
        eikonal = (2 / 137.035999) / np.pi / (x * (1 - z**2)) * sigma0_contact(s)
        assert d2sigma_dx_dcos(x, z, s, replace(SM, alpha0=1 / 137.035999)) == pytest.approx(
            eikonal, rel=1e-6
        )


def test_zero_outside_physical_region_and_symmetric() -> None:
    assert d2sigma_dx_dcos(1.2, 0.1, 16.0) == 0.0
    assert d2sigma_dx_dcos(0.3, 1.0, 16.0) == 0.0
    assert d2sigma_dx_dcos(0.3, 0.4, 16.0) == pytest.approx(d2sigma_dx_dcos(0.3, -0.4, 16.0))
    assert d2sigma_dx_dcos(0.5, 0.2, 16.0) > 0
