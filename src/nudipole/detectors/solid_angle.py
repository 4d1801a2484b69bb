"""Solid angle of a far-detector volume seen from the interaction point."""

from __future__ import annotations

import math

from nudipole.detectors.box import Box
from nudipole.detectors.shapes import Shape
from nudipole.detectors.vertical_cylinder import VerticalCylinder


def _rectangle_solid_angle(u1: float, u2: float, v1: float, v2: float, h: float) -> float:
    """Solid angle (sr) of the rectangle [u1, u2] x [v1, v2] in the plane at distance |h|.

    Derived: the right rectangle [0, u] x [0, v] whose corner is the foot of the perpendicular
    subtends integral dx dy |h| / (x^2 + y^2 + h^2)^(3/2) = atan(u v / (|h| sqrt(u^2 + v^2 +
    h^2))); this is odd in u and in v, so inclusion-exclusion over the four corners gives any
    rectangle. Zero if h = 0 (the plane contains the origin).
    """
    if h == 0.0:
        return 0.0

    def corner(u: float, v: float) -> float:
        return math.atan(u * v / (abs(h) * math.sqrt(u * u + v * v + h * h)))

    return corner(u2, v2) - corner(u1, v2) - corner(u2, v1) + corner(u1, v1)


def solid_angle_fraction(shape: Shape) -> float:
    """Fraction of the full solid angle 4 pi whose rays from the origin hit the volume.

    Axisymmetric shapes (derived): every theta inside the polar window hits for all phi, so
    the fraction is (cos theta_lo - cos theta_hi) / 2. Box (derived): a ray from an outside
    origin crosses the surface twice, so the fraction is the sum of the six face solid angles
    (:func:`_rectangle_solid_angle`) over 8 pi; with the origin on the surface each hitting
    ray crosses once (over 4 pi); with the origin inside it is 1. A vertical cylinder:
    :meth:`~nudipole.detectors.vertical_cylinder.VerticalCylinder.solid_angle_fraction`.
    """
    if isinstance(shape, VerticalCylinder):
        return shape.solid_angle_fraction()
    if not isinstance(shape, Box):
        lo, hi = shape.polar_window()
        return 0.5 * (math.cos(lo) - math.cos(hi))
    b = shape
    inside = b.x_min < 0.0 < b.x_max and b.y_min < 0.0 < b.y_max and b.z_min < 0.0 < b.z_max
    if inside:
        return 1.0
    closed = b.x_min <= 0.0 <= b.x_max and b.y_min <= 0.0 <= b.y_max and b.z_min <= 0.0 <= b.z_max
    total = 0.0
    for h in (b.z_min, b.z_max):
        total += abs(_rectangle_solid_angle(b.x_min, b.x_max, b.y_min, b.y_max, h))
    for h in (b.x_min, b.x_max):
        total += abs(_rectangle_solid_angle(b.y_min, b.y_max, b.z_min, b.z_max, h))
    for h in (b.y_min, b.y_max):
        total += abs(_rectangle_solid_angle(b.x_min, b.x_max, b.z_min, b.z_max, h))
    return total / (4.0 * math.pi if closed else 8.0 * math.pi)
