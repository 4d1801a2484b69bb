"""Solid angles of nudipole.detectors.solid_angle: exact values, Monte Carlo, and the integral of
the azimuthal weights.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from detector_reference import AROUND_IP, CENTRAL, FACET, FASER2, MAPP2, SQUARE, STRADDLE, WIDE

from nudipole.detectors import Box, Shape, azimuthal_nodes, solid_angle_fraction

# ---------------------------------------------------------------------------------------------
# solid angle


def test_solid_angle_exact_values() -> None:
    # the face of a cube seen from its centre: 1/6 of the sphere
    assert solid_angle_fraction(Box(1.0, 3.0, -1.0, 1.0, -1.0, 1.0)) == pytest.approx(1 / 6)
    assert solid_angle_fraction(AROUND_IP) == 1.0
    assert solid_angle_fraction(CENTRAL) == 1.0
    # origin at the centre of a face: the half space in front
    assert solid_angle_fraction(Box(0.0, 1.0, -1.0, 1.0, -1.0, 1.0)) == pytest.approx(0.5)
    assert solid_angle_fraction(FASER2) == pytest.approx(
        0.5 * (1.0 - 1.0 / math.hypot(1.0, 475.0) * 475.0), rel=1e-12
    )


@pytest.mark.parametrize("shape", [FASER2, FACET, MAPP2, STRADDLE, WIDE], ids=repr)
def test_solid_angle_monte_carlo(shape: Shape) -> None:
    """Isotropic directions in a polar band around the window: fraction that hits."""
    lo, hi = shape.polar_window()
    c_lo, c_hi = math.cos(min(hi * 1.05, math.pi)), math.cos(lo * 0.95)
    rng = np.random.default_rng(17)
    n = 400_000
    th = np.arccos(rng.uniform(c_lo, c_hi, n))
    l_in, l_out = shape.segment(th, rng.uniform(-math.pi, math.pi, n))
    p = float(np.mean(l_out > l_in))
    band = 0.5 * (c_hi - c_lo)
    assert solid_angle_fraction(shape) == pytest.approx(
        band * p, abs=4 * band * math.sqrt(p * (1 - p) / n)
    )


@pytest.mark.parametrize("shape", [MAPP2, SQUARE, STRADDLE], ids=repr)
def test_solid_angle_is_integral_of_azimuthal_weights(shape: Box) -> None:
    """(1/2) integral dtheta sin(theta) sum_j w_j(theta) over the window, with the window split
    where the azimuthal fraction has kinks (corner angles, edge tangencies)."""
    lo, hi = shape.polar_window()
    xs = (shape.x_min, shape.x_max)
    ys = (shape.y_min, shape.y_max)
    zs = (shape.z_min, shape.z_max)
    cuts = [math.atan2(math.hypot(x, y), z) for x in xs for y in ys for z in zs]
    cuts += [math.atan2(abs(v), z) for v in (*xs, *ys) for z in zs]
    cuts = sorted({c for c in cuts if lo < c < hi} | {lo, hi})
    x, w = np.polynomial.legendre.leggauss(200)
    total = 0.0
    for a, b in itertools.pairwise(cuts):
        th = 0.5 * (a + b) + 0.5 * (b - a) * x
        frac = azimuthal_nodes(shape, th, 16).weight.sum(axis=1)
        total += 0.5 * (b - a) * np.sum(w * frac * np.sin(th)) / 2
    assert total == pytest.approx(solid_angle_fraction(shape), rel=1e-6)
