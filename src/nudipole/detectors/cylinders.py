"""Volumes around the beam axis: the cylinder (FASER-2), the annulus (FACET) and the fiducial
cylinder around an e+e- interaction point.

Each gives the exact segment [l_in, l_out] (metres) of a ray from the origin inside it (slab
method and conventions: :mod:`nudipole.detectors.base`): along the ray z = t cos(theta) and the
distance from the axis is t sin(theta), so both conditions are intervals of t.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from nudipole.detectors.base import (
    _angles,
    _check_order,
    _check_positive,
    _coerce_fields,
    _finish,
    _polar_window,
    _slab,
)
from nudipole.kinematics.geometry import path_length_in_cylinder
from nudipole.physics._types import ArrayLike, FloatArray


@dataclass(frozen=True)
class _SolidCylinder:
    """Fields and checks shared by the solid cylinders r < radius, z_min < z < z_max around the
    beam axis (:class:`BeamAxisCylinder`, :class:`CentralCylinder`); lengths in metres."""

    radius: float
    z_min: float
    z_max: float
    azimuthally_symmetric: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _coerce_fields(self)
        _check_positive(self, "radius")


def _beam_axis_segment(
    theta: ArrayLike, phi: ArrayLike, r_min: float | None, r_max: float, z_min: float, z_max: float
) -> tuple[FloatArray, FloatArray]:
    """(l_in, l_out) in metres of the ray (theta, phi) in r_min < r < r_max (r_min None: no
    inner bound), z_min < z < z_max: along the ray z = t cos(theta) and r = t sin(theta), so
    both are slabs in t (module docstring); t >= 0. A miss gives l_in = l_out = 0."""
    t, _ = _angles(theta, phi)
    c = np.cos(t)
    s = np.sin(t)
    l_in, l_out = _slab(z_min, z_max, c)
    with np.errstate(divide="ignore", over="ignore"):
        if r_min is not None:
            np.maximum(l_in, r_min / s, out=l_in)
        np.minimum(l_out, r_max / s, out=l_out)
    np.maximum(l_in, 0.0, out=l_in)
    return _finish(l_in, l_out)


@dataclass(frozen=True)
class BeamAxisCylinder(_SolidCylinder):
    """Solid cylinder r < radius, z_min < z < z_max around the beam axis (FASER-2-like).

    Lengths in metres. FASER-2 (PHYSICS.md §10): radius 1, z in [475, 480]. The z range may
    contain the interaction point (the ray then starts inside and l_in = 0).
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_order(self, "z_min", "z_max")

    def segment(self, theta: ArrayLike, phi: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Distances (l_in, l_out) in metres at which the ray (theta, phi) enters and leaves.

        Exact: z_min < t cos(theta) < z_max and t sin(theta) < radius, t >= 0 (slab method,
        module docstring). A miss gives l_in = l_out = 0. ``phi`` only sets the output shape.
        """
        return _beam_axis_segment(theta, phi, None, self.radius, self.z_min, self.z_max)

    def polar_window(self) -> tuple[float, float]:
        """Closure (theta_lo, theta_hi) of the polar angles that hit; every theta inside hits."""
        return _polar_window(0.0, self.radius, self.z_min, self.z_max)


@dataclass(frozen=True)
class BeamAxisAnnulus:
    """Hollow cylinder r_min < r < r_max, z_min < z < z_max around the beam axis (FACET-like).

    Lengths in metres. FACET (PHYSICS.md §10): r in [0.18, 0.5], z in [101, 119]. Needs
    0 < r_min < r_max (for r_min = 0 use :class:`BeamAxisCylinder`). Since the distance from
    the axis grows linearly along a ray from the origin, the ray meets the annulus in one piece.
    """

    r_min: float
    r_max: float
    z_min: float
    z_max: float
    azimuthally_symmetric: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _coerce_fields(self)
        if not self.r_min > 0.0:
            raise ValueError(
                f"BeamAxisAnnulus.r_min = {self.r_min} must be positive "
                "(use BeamAxisCylinder for a full cylinder)"
            )
        _check_order(self, "r_min", "r_max")
        _check_order(self, "z_min", "z_max")

    def segment(self, theta: ArrayLike, phi: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Distances (l_in, l_out) in metres at which the ray (theta, phi) enters and leaves.

        Exact: z_min < t cos(theta) < z_max and r_min < t sin(theta) < r_max, t >= 0. A miss
        gives l_in = l_out = 0; theta = 0 always misses (the ray runs inside the hole).
        """
        return _beam_axis_segment(theta, phi, self.r_min, self.r_max, self.z_min, self.z_max)

    def polar_window(self) -> tuple[float, float]:
        """Closure (theta_lo, theta_hi) of the polar angles that hit; every theta inside hits."""
        return _polar_window(self.r_min, self.r_max, self.z_min, self.z_max)


@dataclass(frozen=True)
class CentralCylinder(_SolidCylinder):
    """Fiducial cylinder r < radius, z_min < z < z_max around an e+e- interaction point.

    Lengths in metres (or any one unit), z_min < 0 < z_max, so every ray starts inside:
    l_in = 0 and l_out is :func:`nudipole.kinematics.geometry.path_length_in_cylinder` (called
    here, so the two agree exactly).
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.z_min < 0.0:
            raise ValueError(
                f"CentralCylinder.z_min = {self.z_min} must be negative (the IP is inside); "
                "use BeamAxisCylinder for a volume away from the IP"
            )
        if not self.z_max > 0.0:
            raise ValueError(
                f"CentralCylinder.z_max = {self.z_max} must be positive (the IP is inside); "
                "use BeamAxisCylinder for a volume away from the IP"
            )

    def segment(self, theta: ArrayLike, phi: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """(0, path_length_in_cylinder(cos theta, radius, z_min, z_max)) in metres."""
        t, _ = _angles(theta, phi)
        l_out = np.asarray(
            path_length_in_cylinder(np.cos(t), self.radius, self.z_min, self.z_max), dtype=float
        )
        return np.zeros_like(l_out), l_out

    def polar_window(self) -> tuple[float, float]:
        """Every direction hits: (0, pi)."""
        return 0.0, math.pi
