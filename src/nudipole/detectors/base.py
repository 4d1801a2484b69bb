"""Conventions, input checks and the slab method shared by the far-detector shapes.

A heavy neutral lepton N produced at the interaction point (the origin; z along the beam) flies
along the unit vector u(theta, phi) = (sin theta cos phi, sin theta sin phi, cos theta). The
shapes (:mod:`nudipole.detectors.cylinders`, :mod:`nudipole.detectors.box`) give the part
[L_in, L_out] of the ray {t u : t >= 0} inside their volume; the helpers here are what they share.

Conventions
-----------
* Lengths in metres (they come from the experiment TOML files); the caller converts them to
  GeV^-1 with :data:`nudipole.constants.HBARC_GEV_M`. Angles in radians, theta in [0, pi].
* Volumes are open sets: a ray that only grazes the surface, or lies in the plane of a face,
  misses (a set of rays of measure zero either way).
* "No hit" is encoded as ``l_in = l_out = 0`` exactly; outputs never contain NaN or inf, so
  ``exp(-l_in/lambda) - exp(-l_out/lambda)`` is 0 for a miss without any masking.

Method
------
Each volume is an intersection of "slabs" {lo < n.x < hi}; along the ray n.x = t (n.u), so each
slab is an interval of t and the segment is the intersection of those intervals with t >= 0 (the
slab method of T. L. Kay and J. T. Kajiya, "Ray tracing complex scenes", SIGGRAPH '86, Comput.
Graph. 20(4) 269). For a cylinder or annulus around the beam axis the radial distance of the ray
point is t sin theta, so the radial condition is also an interval of t. Everything else (polar
windows, azimuthal break points, solid angles) is derived in the docstrings of the shape,
azimuthal and solid-angle modules and checked against brute-force ray marching and Monte Carlo
in ``tests/detectors/``.
"""

from __future__ import annotations

import math
from dataclasses import fields

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray


def _coerce_fields(obj: object) -> None:
    """Turn every dataclass field into a finite float, or raise a one-line ValueError."""
    name = type(obj).__name__
    for f in fields(obj):  # type: ignore[arg-type]
        raw = getattr(obj, f.name)
        if isinstance(raw, bool) or not isinstance(raw, int | float | np.integer | np.floating):
            raise ValueError(f"{name}.{f.name} = {raw!r} is not a number; give a length in metres")
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(f"{name}.{f.name} = {raw!r} is not finite; give a length in metres")
        object.__setattr__(obj, f.name, value)


def _check_order(obj: object, lo: str, hi: str) -> None:
    a, b = getattr(obj, lo), getattr(obj, hi)
    if not a < b:
        raise ValueError(
            f"{type(obj).__name__}.{lo} = {a} must be smaller than {hi} = {b}; fix or swap them"
        )


def _check_positive(obj: object, name: str) -> None:
    value = getattr(obj, name)
    if not value > 0.0:
        raise ValueError(f"{type(obj).__name__}.{name} = {value} must be positive (metres)")


def _angles(theta: ArrayLike, phi: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Polar and azimuthal angles as float arrays of one broadcast shape, validated."""
    t = np.asarray(theta, dtype=float)
    p = np.asarray(phi, dtype=float)
    _check_theta(t)
    if not np.all(np.isfinite(p)):
        bad = p[~np.isfinite(p)].flat[0]
        raise ValueError(f"phi = {bad} is not finite; pass azimuthal angles in radians")
    tb, pb = np.broadcast_arrays(t, p)
    return tb, pb


def _check_theta(t: FloatArray) -> None:
    if not (np.all(t >= 0.0) and np.all(t <= math.pi)):
        bad = t[~((t >= 0.0) & (t <= math.pi))].flat[0]
        raise ValueError(f"theta = {bad} is outside [0, pi]; pass polar angles in radians")


def _slab(lo: float, hi: float, d: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Interval of t with lo < t d < hi, as (entry, exit); empty when entry >= exit.

    d = 0 gives (-inf, inf) if lo < 0 < hi and an empty interval otherwise (a NaN bound when the
    ray lies in a face plane, which the final ``exit > entry`` test treats as a miss).
    """
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        a = lo / d
        b = hi / d
    # asarray keeps 0-d results arrays (not numpy scalars) so that ``out=`` works on them
    return np.asarray(np.minimum(a, b)), np.asarray(np.maximum(a, b))


def _finish(l_in: FloatArray, l_out: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Encode a miss (l_out <= l_in, or NaN from a ray in a face plane) as l_in = l_out = 0."""
    hit = l_out > l_in
    return np.where(hit, l_in, 0.0), np.where(hit, l_out, 0.0)


def _polar_window(
    rho_min: float, rho_max: float, z_min: float, z_max: float
) -> tuple[float, float]:
    """Closure of the polar angles of the points of {rho_min <= rho <= rho_max} x [z_min, z_max].

    Derived: theta = atan2(rho, z) has d theta/dz = -rho/(rho^2 + z^2) <= 0 and d theta/d rho
    = z/(rho^2 + z^2), so the smallest theta sits on the far plane z_max (at rho_min if
    z_max > 0, at rho_max if z_max < 0, and tends to pi/2 if z_max = 0) and the largest on the
    near plane z_min (at rho_max if z_min > 0, at rho_min if z_min < 0, pi/2 if z_min = 0). For
    an axis-aligned box the cross-section is the same at every z, so this holds with rho_min,
    rho_max the distances of its (x, y) rectangle from the beam axis.
    """
    return _plane_angle(z_max, rho_min, rho_max), _plane_angle(z_min, rho_max, rho_min)


def _plane_angle(z: float, rho_if_ahead: float, rho_if_behind: float) -> float:
    """atan2(rho, z) on the plane at ``z``: at ``rho_if_ahead`` if z > 0, at ``rho_if_behind``
    if z < 0, and pi/2 if z = 0 (see :func:`_polar_window`)."""
    if z > 0.0:
        return math.atan2(rho_if_ahead, z)
    if z < 0.0:
        return math.atan2(rho_if_behind, z)
    return 0.5 * math.pi
