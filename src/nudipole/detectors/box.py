"""Axis-aligned box volume (MAPP-2): the exact segment of a ray from the origin inside it.

Slab method and conventions: :mod:`nudipole.detectors.base`. Its azimuthal quadrature is in
:mod:`nudipole.detectors.azimuthal`, its solid angle in :mod:`nudipole.detectors.solid_angle`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from nudipole.detectors.base import (
    _angles,
    _check_order,
    _coerce_fields,
    _finish,
    _polar_window,
    _slab,
)
from nudipole.physics._types import ArrayLike, FloatArray


@dataclass(frozen=True)
class Box:
    """Axis-aligned box x_min < x < x_max, y_min < y < y_max, z_min < z < z_max (MAPP-2-like).

    Lengths in metres; the box may sit off the beam axis or contain the interaction point.
    MAPP-2 (PHYSICS.md §10): x in [3, 6], y in [-2, 1], z in [48, 61].
    """

    x_min: float
    x_max: float
    y_min: float
    y_max: float
    z_min: float
    z_max: float
    azimuthally_symmetric: ClassVar[bool] = False

    def __post_init__(self) -> None:
        _coerce_fields(self)
        _check_order(self, "x_min", "x_max")
        _check_order(self, "y_min", "y_max")
        _check_order(self, "z_min", "z_max")

    def segment(self, theta: ArrayLike, phi: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Distances (l_in, l_out) in metres at which the ray (theta, phi) enters and leaves.

        Exact slab method (module docstring) on the three axis slabs and t >= 0. Rays exactly
        parallel to a face are inside that slab for all t if the origin's coordinate lies
        strictly between its bounds, and miss otherwise. A miss gives l_in = l_out = 0.
        """
        t, p = _angles(theta, phi)
        s = np.sin(t)
        l_in, l_out = _slab(self.z_min, self.z_max, np.cos(t))
        np.maximum(l_in, 0.0, out=l_in)
        for lo, hi, d in (
            (self.x_min, self.x_max, s * np.cos(p)),
            (self.y_min, self.y_max, s * np.sin(p)),
        ):
            a, b = _slab(lo, hi, d)
            np.maximum(l_in, a, out=l_in)
            np.minimum(l_out, b, out=l_out)
        return _finish(l_in, l_out)

    def _rho_range(self) -> tuple[float, float]:
        """Smallest and largest distance from the beam axis over the (x, y) rectangle."""
        near_x = min(max(0.0, self.x_min), self.x_max)
        near_y = min(max(0.0, self.y_min), self.y_max)
        far = max(
            math.hypot(x, y) for x in (self.x_min, self.x_max) for y in (self.y_min, self.y_max)
        )
        return math.hypot(near_x, near_y), far

    def polar_window(self) -> tuple[float, float]:
        """Closure (theta_lo, theta_hi) of the polar angles that hit (for pruning).

        Tight, but not from the corners alone: for an off-axis box whose y range contains 0
        (MAPP-2) the smallest angle is at the edge point (x_min, 0, z_max), atan(3/61) for
        MAPP-2, below every corner's angle. See :func:`_polar_window` for the derivation.
        """
        rho_min, rho_max = self._rho_range()
        return _polar_window(rho_min, rho_max, self.z_min, self.z_max)
