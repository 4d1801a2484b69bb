"""Far-detector volumes: the exact segment of a straight ray from the interaction point inside them.

A heavy neutral lepton N produced at the interaction point (the origin; z along the beam) flies
along the unit vector u(theta, phi) = (sin theta cos phi, sin theta sin phi, cos theta). It decays
inside a detector volume with probability exp(-L_in / lambda) - exp(-L_out / lambda), where
[L_in, L_out] is the part of the ray {t u : t >= 0} inside the volume (all volumes here are
convex, or, for the annulus, met by a ray from the origin in one piece, so the part is a single
segment). This module computes that segment exactly, vectorised over rays, and the azimuthal
quadrature that averages any smooth function of (L_in, L_out) over phi at fixed theta.

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
point is t sin theta, so the radial condition is also an interval of t. Everything else here
(polar windows, azimuthal break points, solid angles) is derived in the docstrings below and
checked against brute-force ray marching and Monte Carlo in ``tests/detectors/test_shapes.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import ClassVar, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt

from nudipole.kinematics.geometry import path_length_in_cylinder
from nudipole.physics._types import ArrayLike, FloatArray

__all__ = [
    "AzimuthalNodes",
    "BeamAxisAnnulus",
    "BeamAxisCylinder",
    "Box",
    "CentralCylinder",
    "Shape",
    "azimuthal_nodes",
    "solid_angle_fraction",
]

_TWO_PI = 2.0 * math.pi


# ---------------------------------------------------------------------------------------------
# validation helpers


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
    if z_max > 0.0:
        lo = math.atan2(rho_min, z_max)
    elif z_max < 0.0:
        lo = math.atan2(rho_max, z_max)
    else:
        lo = 0.5 * math.pi
    if z_min > 0.0:
        hi = math.atan2(rho_max, z_min)
    elif z_min < 0.0:
        hi = math.atan2(rho_min, z_min)
    else:
        hi = 0.5 * math.pi
    return lo, hi


# ---------------------------------------------------------------------------------------------
# shapes


@dataclass(frozen=True)
class BeamAxisCylinder:
    """Solid cylinder r < radius, z_min < z < z_max around the beam axis (FASER-2-like).

    Lengths in metres. FASER-2 (PHYSICS.md §10): radius 1, z in [475, 480]. The z range may
    contain the interaction point (the ray then starts inside and l_in = 0).
    """

    radius: float
    z_min: float
    z_max: float
    azimuthally_symmetric: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _coerce_fields(self)
        _check_positive(self, "radius")
        _check_order(self, "z_min", "z_max")

    def segment(self, theta: ArrayLike, phi: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Distances (l_in, l_out) in metres at which the ray (theta, phi) enters and leaves.

        Exact: z_min < t cos(theta) < z_max and t sin(theta) < radius, t >= 0 (slab method,
        module docstring). A miss gives l_in = l_out = 0. ``phi`` only sets the output shape.
        """
        t, _ = _angles(theta, phi)
        c = np.cos(t)
        s = np.sin(t)
        l_in, l_out = _slab(self.z_min, self.z_max, c)
        with np.errstate(divide="ignore", over="ignore"):
            np.minimum(l_out, self.radius / s, out=l_out)
        np.maximum(l_in, 0.0, out=l_in)
        return _finish(l_in, l_out)

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
        t, _ = _angles(theta, phi)
        c = np.cos(t)
        s = np.sin(t)
        l_in, l_out = _slab(self.z_min, self.z_max, c)
        with np.errstate(divide="ignore", over="ignore"):
            np.maximum(l_in, self.r_min / s, out=l_in)
            np.minimum(l_out, self.r_max / s, out=l_out)
        np.maximum(l_in, 0.0, out=l_in)
        return _finish(l_in, l_out)

    def polar_window(self) -> tuple[float, float]:
        """Closure (theta_lo, theta_hi) of the polar angles that hit; every theta inside hits."""
        return _polar_window(self.r_min, self.r_max, self.z_min, self.z_max)


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


@dataclass(frozen=True)
class CentralCylinder:
    """Fiducial cylinder r < radius, z_min < z < z_max around an e+e- interaction point.

    Lengths in metres (or any one unit), z_min < 0 < z_max, so every ray starts inside:
    l_in = 0 and l_out is :func:`nudipole.kinematics.geometry.path_length_in_cylinder` (called
    here, so the two agree exactly).
    """

    radius: float
    z_min: float
    z_max: float
    azimuthally_symmetric: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _coerce_fields(self)
        _check_positive(self, "radius")
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


Shape: TypeAlias = BeamAxisCylinder | BeamAxisAnnulus | Box | CentralCylinder


# ---------------------------------------------------------------------------------------------
# azimuthal quadrature


class AzimuthalNodes(NamedTuple):
    """Azimuthal quadrature at fixed polar angles; all arrays (n_theta, n_nodes).

    ``weight`` are fractions of 2 pi: sum_j weight[i, j] is the fraction of the azimuth whose
    rays hit at theta[i], and sum_j weight[i, j] f(l_in[i, j], l_out[i, j]) is
    (1/2 pi) * integral dphi f(l_in(theta_i, phi), l_out(theta_i, phi)) for f vanishing on
    misses. Unused (padding) nodes have phi = weight = l_in = l_out = 0. ``phi`` in [-pi, pi),
    ``l_in``/``l_out`` in metres.
    """

    phi: FloatArray
    weight: FloatArray
    l_in: FloatArray
    l_out: FloatArray


def azimuthal_nodes(shape: Shape, theta: ArrayLike, n: int) -> AzimuthalNodes:
    """Quadrature nodes in phi for the azimuthal average of f(l_in, l_out) at each theta.

    Parameters
    ----------
    shape
        The detector volume (lengths in metres).
    theta
        1-D array of polar angles in radians, in [0, pi].
    n
        Gauss-Legendre nodes per smooth piece of the azimuth (ignored by axisymmetric shapes).

    Returns
    -------
    AzimuthalNodes
        Arrays of shape (n_theta, 1) for azimuthally symmetric shapes (one node at phi = 0,
        weight 1 on a hit and 0 otherwise) and (n_theta, K n) for a :class:`Box`, where K is the
        largest number of smooth hit pieces at any of the given theta (unused slots padded
        with zero weight).

    Notes
    -----
    Box (derived). At fixed theta the entry and exit faces, and whether the ray hits, can only
    change at an azimuth where the ray passes through one of the 12 edges. The edge points
    with polar angle theta are found in closed form: on an edge parallel to z through the
    corner (x_a, y_a) at z = rho_a cot(theta) (azimuth atan2(y_a, x_a), if that z is on the
    edge); on an edge parallel to x at (y_a, z_a) where x^2 + y_a^2 = (z_a tan theta)^2 with
    z_a tan(theta) > 0 (two points, x = +-sqrt(...), if on the edge), and likewise for edges
    parallel to y. Between consecutive break points the ray either misses throughout or hits
    with fixed entry and exit faces (tested at the midpoint), so l_in and l_out are analytic
    there, l = plane offset / (u . normal), and an n-point Gauss-Legendre rule on each hit piece
    is accurate to high order: with n = 16 the phi average of exp(-l_in/lambda) -
    exp(-l_out/lambda) for MAPP-2 agrees with a fine phi scan to better than 1e-6 (tests).
    It converges more slowly only if a face plane passes very close to the interaction point
    (relative to the box size) and that face is met at nearly grazing azimuths, which puts a
    pole of offset / (u . normal) just outside a piece: a box touching the IP; raise n there.
    """
    t = np.asarray(theta, dtype=float)
    if t.ndim != 1:
        raise ValueError(f"theta has shape {t.shape}; pass a 1-D array of polar angles")
    _check_theta(t)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n = {n!r} must be a positive integer (nodes per azimuthal piece)")
    if isinstance(shape, Box):
        # subnormal or extreme angles may overflow intermediates (e.g. r^2); results are masked
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return _box_nodes(shape, t, int(n))
    l_in, l_out = shape.segment(t, 0.0)
    weight = (l_out > l_in).astype(float)
    return AzimuthalNodes(np.zeros((t.size, 1)), weight[:, None], l_in[:, None], l_out[:, None])


def _edge_azimuths(box: Box, s: FloatArray, c: FloatArray) -> FloatArray:
    """Sorted azimuths (n_theta, n_cand) at which the rays of polar angle theta cross a box
    edge, NaN-padded at the end of each row. Formulas in :func:`azimuthal_nodes` (Notes).
    Rays along the axis or in the plane z = 0 give inf/NaN intermediates, masked out."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return _edge_azimuths_impl(box, s, c)


def _edge_azimuths_impl(box: Box, s: FloatArray, c: FloatArray) -> FloatArray:
    n_theta = s.size
    fixed_cols: list[tuple[npt.NDArray[np.intp], float]] = []
    # crossing points (rows, y, x) on the edges parallel to x or y
    pts: list[tuple[npt.NDArray[np.intp], FloatArray, FloatArray]] = []
    cot = c / s
    tan = s / c
    # edges parallel to z through the corners (x_a, y_a): z = rho_a cot(theta) on the edge
    for xa in (box.x_min, box.x_max):
        for ya in (box.y_min, box.y_max):
            rho = math.hypot(xa, ya)
            if rho == 0.0:
                continue
            idx = np.flatnonzero((cot >= box.z_min / rho) & (cot <= box.z_max / rho))
            if idx.size:
                fixed_cols.append((idx, math.atan2(ya, xa)))
    # edges parallel to x at (y_a, z_a) and to y at (x_a, z_a): the points at distance
    # r = z_a tan(theta) > 0 from the axis, free coordinate +-sqrt(r^2 - fixed^2) on the edge
    for z_a in (box.z_min, box.z_max):
        r = z_a * tan
        for fixed_lo, fixed_hi, free_lo, free_hi, free_is_x in (
            (box.y_min, box.y_max, box.x_min, box.x_max, True),
            (box.x_min, box.x_max, box.y_min, box.y_max, False),
        ):
            for fixed in (fixed_lo, fixed_hi):
                # sign +1 needs sqrt(r^2 - fixed^2) in [max(free_lo, 0), free_hi], sign -1 in
                # [max(-free_hi, 0), -free_lo]; as bounds on r (no squares of r: they underflow)
                for sign, near, far in ((1.0, free_lo, free_hi), (-1.0, -free_hi, -free_lo)):
                    if far < 0.0:
                        continue
                    r_lo = math.hypot(max(near, 0.0), fixed)
                    r_hi = math.hypot(far, fixed)
                    idx = np.flatnonzero((r > 0.0) & (r >= r_lo) & (r <= r_hi))
                    if not idx.size:
                        continue
                    rr = r[idx]
                    q = fixed / rr  # in [-1, 1] on these rows
                    free = sign * rr * np.sqrt(np.maximum((1.0 - q) * (1.0 + q), 0.0))
                    other = np.full(idx.size, fixed)
                    pts.append((idx, other, free) if free_is_x else (idx, free, other))
    n_col = len(fixed_cols) + len(pts)
    cand = np.full((n_theta, max(n_col, 1)), np.nan)
    for j, (idx, azimuth) in enumerate(fixed_cols):
        cand[idx, j] = azimuth
    if pts:
        angles = np.arctan2(
            np.concatenate([p[1] for p in pts]), np.concatenate([p[2] for p in pts])
        )
        at = 0
        for j, (idx, _, _) in enumerate(pts, start=len(fixed_cols)):
            cand[idx, j] = angles[at : at + idx.size]
            at += idx.size
    cand.sort(axis=1)  # NaN last
    return cand


class _Pieces(NamedTuple):
    """Smooth hit pieces of the azimuth (see :func:`_box_pieces`), one entry per piece."""

    row: npt.NDArray[np.intp]
    mid: FloatArray
    half: FloatArray
    coef_in: tuple[FloatArray, FloatArray, FloatArray, FloatArray]
    coef_out: tuple[FloatArray, FloatArray, FloatArray, FloatArray]


# face codes: 0, 1, 2 = planes x, y, z = const; 3 = the origin (ray starts inside, l_in = 0)
_IS_X = np.array([1.0, 0.0, 0.0, 0.0])
_IS_Y = np.array([0.0, 1.0, 0.0, 0.0])
_IS_Z = np.array([0.0, 0.0, 1.0, 0.0])
_IS_ORIGIN = np.array([0.0, 0.0, 0.0, 1.0])


def _box_pieces(box: Box, theta: FloatArray) -> _Pieces:
    """Smooth hit pieces of the azimuth for each theta (derived, see :func:`azimuthal_nodes`).

    For each piece: the theta index ``row``, its midpoint and half-width in phi, and for the
    entry and the exit the coefficients (off, P, Q, C) with l = off / (P cos d + Q sin d + C)
    at phi = mid + d (u . normal of the face: s cos phi, s sin phi, cos theta, or 1 with
    off = 0 for a ray starting inside). Pieces are ordered by row, then by phi.
    """
    s_all = np.sin(theta)
    c_all = np.cos(theta)
    cand = _edge_azimuths(box, s_all, c_all)
    k = np.count_nonzero(cand == cand, axis=1)
    none = k == 0  # no break point: one piece, the full circle
    cand[none, 0] = -math.pi
    k[none] = 1
    # piece i of a row runs from cand[i] to cand[i + 1]; the last one wraps to cand[0] + 2 pi
    lo = cand[np.arange(cand.shape[1])[None, :] < k[:, None]]  # row by row
    ends = np.cumsum(k)
    hi = np.empty_like(lo)
    hi[:-1] = lo[1:]
    hi[ends - 1] = lo[ends - k] + _TWO_PI
    row = np.repeat(np.arange(theta.size), k)
    mid = 0.5 * (lo + hi)
    half = 0.5 * (hi - lo)
    s = s_all[row]
    c = c_all[row]
    cm = np.cos(mid)
    sm = np.sin(mid)

    # classify each piece at its midpoint: the entry is the largest of the slab entries and
    # t = 0 (face 3), the exit the smallest slab exit; a NaN bound (ray in a face plane)
    # propagates through maximum/minimum and makes the piece a miss, as in segment()
    n_mid = mid.size
    dx = s * cm
    dy = s * sm
    best_in = np.zeros(n_mid)
    best_out = np.full(n_mid, np.inf)
    face_in = np.full(n_mid, 3, dtype=np.intp)
    face_out = np.zeros(n_mid, dtype=np.intp)
    for face, (lo_b, hi_b, d) in enumerate(
        ((box.x_min, box.x_max, dx), (box.y_min, box.y_max, dy), (box.z_min, box.z_max, c))
    ):
        t_a, t_b = _slab(lo_b, hi_b, d)
        face_in[t_a > best_in] = face
        face_out[t_b < best_out] = face
        np.maximum(best_in, t_a, out=best_in)
        np.minimum(best_out, t_b, out=best_out)
    hit = np.flatnonzero((best_out > best_in) & (half > 0.0))

    face_in = face_in[hit]
    face_out = face_out[hit]
    s, c, cm, sm = s[hit], c[hit], cm[hit], sm[hit]
    dx, dy = dx[hit], dy[hit]
    lows = np.array([box.x_min, box.y_min, box.z_min, 0.0])
    highs = np.array([box.x_max, box.y_max, box.z_max, 0.0])
    coef = []
    for faces, forward_plane, backward_plane in (
        (face_in, lows, highs),
        (face_out, highs, lows),
    ):
        is_x = _IS_X[faces]
        is_y = _IS_Y[faces]
        is_z = _IS_Z[faces]
        # the direction component along the face normal, at the midpoint (its sign picks the
        # near or the far plane of the slab)
        d_face = dx * is_x + dy * is_y + c * is_z
        off = np.where(d_face > 0.0, forward_plane[faces], backward_plane[faces])
        # s cos(m + d) = (s cm) cos d - (s sm) sin d;  s sin(m + d) = (s sm) cos d + (s cm) sin d
        p = s * (cm * is_x + sm * is_y)
        q = s * (cm * is_y - sm * is_x)
        cc = c * is_z + _IS_ORIGIN[faces]
        coef.append((off, p, q, cc))
    return _Pieces(row[hit], mid[hit], half[hit], coef[0], coef[1])


#: Half-widths (rad) up to which cos is taken as sqrt(1 - sin^2) on the nodes (|d| < 1.2
#: keeps cos > 0.36, so the relative error stays below 1e-15).
_SQRT_COS_MAX = 1.2


#: Polar angles handled together in :func:`_box_nodes`: small enough that the work arrays
#: stay in cache (a pure speed setting; results do not depend on it).
_CHUNK = 2048


def _box_nodes(box: Box, theta: FloatArray, n: int) -> AzimuthalNodes:
    n_theta = theta.size
    chunks = [slice(i, min(i + _CHUNK, n_theta)) for i in range(0, max(n_theta, 1), _CHUNK)]
    pieces = [_box_pieces(box, theta[sl]) for sl in chunks]
    n_slots = max([int(np.bincount(p.row).max()) for p in pieces if p.row.size], default=1)
    out = AzimuthalNodes(*(np.empty((n_theta, n_slots * n)) for _ in range(4)))
    # Gauss-Legendre nodes on [-1, 1] (numpy returns them symmetric: x_j = -x_{n-1-j}), so
    # cos d and sin d are needed on the positive half only
    x, w = np.polynomial.legendre.leggauss(n)
    for sl, piece in zip(chunks, pieces, strict=True):
        _fill_box_nodes(piece, sl.stop - sl.start, n_slots, x, w, out, sl)
    return out


def _fill_box_nodes(
    pieces: _Pieces,
    n_rows: int,
    n_slots: int,
    x: FloatArray,
    w: FloatArray,
    out: AzimuthalNodes,
    rows: slice,
) -> None:
    """Write the nodes of ``pieces`` (rows 0..n_rows-1 of a chunk) into ``out[rows]``.

    Computed node-major, arrays (n, n_piece), so that numpy's inner loops run over pieces.
    """
    n = x.size
    row, mid, half = pieces.row, pieces.mid, pieces.half
    n_piece = row.size
    n_half = n // 2
    arg = x[n - n_half :, None] * half[None, :]
    sin_d = np.sin(arg)
    cos_d = np.sqrt(1.0 - sin_d * sin_d)
    wide = np.flatnonzero(half > _SQRT_COS_MAX)
    if wide.size:
        cos_d[:, wide] = np.cos(arg[:, wide])

    # padded layout: slot j of row r holds the j-th hit piece of that row, or the zero row
    counts = np.bincount(row, minlength=n_rows)
    first = np.cumsum(counts) - counts
    gather = np.full(n_rows * n_slots, n_piece)
    gather[row * n_slots + (np.arange(n_piece) - first[row])] = np.arange(n_piece)
    node_major = np.empty((n, n_piece))
    piece_major = np.empty((n_piece + 1, n))
    piece_major[n_piece] = 0.0

    def put(target: FloatArray) -> None:
        piece_major[:n_piece] = node_major.T
        np.take(
            piece_major,
            gather,
            axis=0,
            out=target[rows].reshape(n_rows * n_slots, n),
            mode="clip",
        )

    for (off, p, q, cc), target in ((pieces.coef_in, out.l_in), (pieces.coef_out, out.l_out)):
        even = cos_d * p
        even += cc
        odd = sin_d * q
        np.subtract(even, odd, out=node_major[n_half - 1 :: -1][:n_half])
        np.add(even, odd, out=node_major[n - n_half :])
        if n % 2:
            node_major[n_half] = p + cc
        np.divide(off, node_major, out=node_major)
        put(target)
    np.multiply(x[:, None], half[None, :], out=node_major)
    node_major += mid
    np.subtract(node_major, _TWO_PI, out=node_major, where=node_major >= math.pi)
    put(out.phi)
    np.multiply((0.5 * w)[:, None], (half / math.pi)[None, :], out=node_major)
    put(out.weight)


# ---------------------------------------------------------------------------------------------
# solid angle


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
    ray crosses once (over 4 pi); with the origin inside it is 1.
    """
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
