"""A vertical cylinder (axis parallel to y, such as the ANUBIS shaft above ATLAS): the exact
segment of a ray from the interaction point inside it, its polar window, its azimuthal
quadrature and its solid angle.

Coordinates as for the other far-detector volumes (:mod:`nudipole.detectors.base`): the
interaction point at the origin, z along the beam, x horizontal and transverse to the beam, y
vertical (up). The volume is the open set

    (x - x_center)^2 + (z - z_center)^2 < radius^2,   y_min < y < y_max,

lengths in metres. A ray t u(theta, phi), u = (sin theta cos phi, sin theta sin phi,
cos theta), t >= 0, meets this convex volume in one segment [l_in, l_out]; a miss is
l_in = l_out = 0 (never NaN or inf), as for the other shapes.

Method (derived here; checked against ray marching, fine azimuthal scans and Monte Carlo in
``tests/detectors/test_vertical_cylinder.py``)
------------------------------------------------------------------------------------------
* Segment: the y slab y_min < t u_y < y_max is an interval of t (slab method); the lateral
  condition is h^2 t^2 - 2 b t + d0 < 0 with h^2 = u_x^2 + u_z^2, b = u_x x_c + u_z z_c,
  d0 = x_c^2 + z_c^2 - R^2, the interval between its roots when b^2 - h^2 d0 > 0 (roots in the
  cancellation-free form q / h^2 and d0 / q, q = b + sign(b) sqrt(b^2 - h^2 d0)).
* Polar window: theta = atan2(sqrt(x^2 + y^2), z) has no stationary point in the volume off the
  beam axis, and on a vertical line it is monotonic in |y|; its extremes therefore lie on the rim
  circles y = y_min, y = y_max, on the circle y = 0 if the volume straddles the plane of the
  beam, or are 0 / pi if the beam axis crosses the volume. Each circle is scanned and its
  extremes refined by a bounded Brent search (to about 1e-12 rad).
* Azimuthal quadrature at fixed theta. l_in and l_out are analytic in phi except where the ray
  (a) grazes the lateral surface: its horizontal projection, of direction angle beta from the
  z axis (tan beta = sin theta cos phi / cos theta), is tangent to the circle, beta = beta_c
  +- asin(R / D) with D = hypot(x_c, z_c) and beta_c = atan2(x_c, z_c), so
  cos phi = cos theta tan(beta) / sin theta;
  (b) passes through a rim circle y = y_r. It reaches y_r at t = y_r / (sin theta sin phi),
  where (y_r cos phi - x_c sin phi)^2 + (y_r cot theta - z_c sin phi)^2 = R^2 sin^2 phi. With
  cos phi = (1 - T^2)/(1 + T^2), sin phi = 2T/(1 + T^2) and the factor
  sin^2 theta (1 + T^2)^2 / y_r^2 this is the quartic T^4 + A3 T^3 + A2 T^2 + A1 T + 1 = 0,
  A3 = 4 s (x_c s - z_c c) / y_r, A2 = 2 (c^2 - s^2) + 4 d0 s^2 / y_r^2,
  A1 = -4 s (x_c s + z_c c) / y_r (s, c = sin, cos theta), solved as the eigenvalues of its
  companion matrix;
  (c) runs parallel to the caps (phi = 0, pi).
  Between consecutive such azimuths the ray misses throughout or hits with fixed entry and exit
  surfaces (tested at the midpoint). Candidates that are not real break points (roots with
  t < 0, nearly real complex pairs) only split a piece, which is harmless. Each hit piece is
  cut in two halves with n Gauss-Legendre nodes each. The lateral roots carry
  sqrt(b^2 - h^2 d0), which has a simple zero at a grazing azimuth phi_t, so a half whose outer
  end is within twice its length of a grazing azimuth (at its end, or just outside the piece,
  when the piece ends at a rim nearby) is integrated in u = sqrt(|phi - phi_t|): the integrand
  is analytic in u and the rule converges as for a smooth function (with n = 4 the phi
  average of exp(-l_in/lambda) - exp(-l_out/lambda) is good to about 1e-5 for the ANUBIS
  shaft, see the tests; plain Gauss-Legendre in phi gives a few per cent there).
* Solid angle: (1/2) integral sin(theta) F(theta) dtheta over the window, F the hit fraction of
  the azimuth (exact from the pieces), by adaptive quadrature between the polar angles at
  which pieces appear or vanish.

The ANUBIS shaft (``experiments/data/anubis.toml``): R = 9 m, axis at x = 0, z = 14 m,
24 < y < 80 m (Bauer, Brandt, Lee, Ohm, arXiv:1909.13022; Hirsch & Wang, PRD 101 (2020)
055034, arXiv:2001.04750; DDC, Domingo, Günther, Kim, Wang, arXiv:2308.07371).
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, NamedTuple

import numpy as np
import numpy.typing as npt

from nudipole.detectors.base import (
    _angles,
    _check_order,
    _check_positive,
    _check_theta,
    _coerce_fields,
    _finish,
    _slab,
)
from nudipole.numerics import minimize_bounded
from nudipole.physics._types import ArrayLike, FloatArray

if TYPE_CHECKING:
    from nudipole.detectors.azimuthal import AzimuthalNodes

__all__ = ["VerticalCylinder"]

_TWO_PI = 2.0 * math.pi
#: Points per circle scanned for the extremes of the polar angle before refinement.
_CIRCLE_SCAN = 1440
#: A quartic root counts as real if |Im T| <= _IMAG_TOL (1 + |Re T|); nearly real pairs are
#: kept on purpose (an extra break point is harmless, a missing one is not).
_IMAG_TOL = 1.0e-6
#: A half-piece is integrated in u = sqrt(|phi - phi_t|) if a grazing azimuth phi_t lies within
#: this many half-piece lengths beyond its outer end.
_GRAZE_REACH = 2.0
#: Azimuths (rad) closer than this are the same break point written twice (rounding).
_SAME_AZIMUTH = 1.0e-9


@dataclass(frozen=True)
class VerticalCylinder:
    """Cylinder with a vertical axis: (x - x_center)^2 + (z - z_center)^2 < radius^2 and
    y_min < y < y_max (metres; z along the beam, y up, the interaction point at the origin).

    Parameters
    ----------
    radius
        Radius (m), positive.
    x_center, z_center
        Horizontal position of the axis (m): across the beam (x) and along it (z).
    y_min, y_max
        Vertical extent (m), y_min < y_max.

    Notes
    -----
    Implements the far-detector shape interface (``segment``, ``polar_window``,
    ``azimuthally_symmetric``) and, since it is neither symmetric about the beam axis nor a
    box, carries its own :meth:`azimuthal_nodes` and :meth:`solid_angle_fraction`.
    """

    radius: float
    x_center: float
    z_center: float
    y_min: float
    y_max: float
    azimuthally_symmetric: ClassVar[bool] = False

    def __post_init__(self) -> None:
        _coerce_fields(self)
        _check_positive(self, "radius")
        _check_order(self, "y_min", "y_max")

    # -----------------------------------------------------------------------------------------
    # segment

    def segment(self, theta: ArrayLike, phi: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Distances (l_in, l_out) in metres at which the ray (theta, phi) enters and leaves.

        Parameters
        ----------
        theta, phi
            Polar angle to the beam axis in [0, pi] and azimuth (rad); broadcast together.

        Returns
        -------
        tuple of numpy.ndarray
            Entry and exit distances (m) of the ray {t u(theta, phi) : t >= 0}, exact; a miss,
            a graze or a ray in a cap plane gives l_in = l_out = 0.
        """
        t, p = _angles(theta, phi)
        s = np.sin(t)
        l_in, l_out = _slab(self.y_min, self.y_max, s * np.sin(p))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            lat_lo, lat_hi = self._lateral(s * np.cos(p), np.cos(t))
            l_in = np.maximum(np.maximum(l_in, lat_lo), 0.0)
            l_out = np.minimum(l_out, lat_hi)
        return _finish(l_in, l_out)

    def _lateral(self, dx: FloatArray, dz: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Interval of t inside the infinite vertical cylinder; (+inf, -inf) when empty."""
        xc, zc = self.x_center, self.z_center
        h2 = dx * dx + dz * dz
        bq = dx * xc + dz * zc
        d0 = self._d0()
        disc = bq * bq - h2 * d0
        q = bq + np.copysign(np.sqrt(np.maximum(disc, 0.0)), bq)
        r1 = q / h2
        r2 = d0 / q
        crossing = disc > 0.0
        lo = np.where(crossing, np.minimum(r1, r2), np.inf)
        hi = np.where(crossing, np.maximum(r1, r2), -np.inf)
        # a vertical ray stays on the line x = z = 0: inside for all t iff that line is
        vertical = h2 == 0.0
        lo = np.where(vertical, -np.inf if d0 < 0.0 else np.inf, lo)
        hi = np.where(vertical, np.inf if d0 < 0.0 else -np.inf, hi)
        return lo, hi

    def _d0(self) -> float:
        """x_c^2 + z_c^2 - R^2 (m^2): negative iff the vertical line through the IP is inside."""
        return (self.x_center - self.radius) * (self.x_center + self.radius) + self.z_center**2

    # -----------------------------------------------------------------------------------------
    # polar window

    def polar_window(self) -> tuple[float, float]:
        """Closure (theta_lo, theta_hi) in rad of the polar angles of the volume's points.

        Every ray that hits has its polar angle inside; the bounds are attained (to about
        1e-12 rad). Derivation in the module docstring.
        """
        return _polar_window(self.radius, self.x_center, self.z_center, self.y_min, self.y_max)

    # -----------------------------------------------------------------------------------------
    # azimuthal quadrature

    def azimuthal_nodes(self, theta: ArrayLike, n: int) -> AzimuthalNodes:
        """Azimuthal quadrature at fixed polar angles, with the contract of
        :func:`nudipole.detectors.azimuthal.azimuthal_nodes` for a box.

        Parameters
        ----------
        theta
            1-D array of polar angles (rad) in [0, pi].
        n
            Gauss-Legendre nodes per half of each smooth hit piece of the azimuth.

        Returns
        -------
        AzimuthalNodes
            Arrays (n_theta, 2 K n), K the largest number of hit pieces at any of the angles
            (at least 1 slot): node azimuths ``phi`` (rad, in [-pi, pi)), ``weight`` (fraction
            of the full azimuth; a row sums to the fraction of the azimuth that hits),
            ``l_in``, ``l_out`` (m, :meth:`segment` at the node). Unused slots have zero
            weight and l_in = l_out = 0. For f smooth in (l_in, l_out), sum_j weight_j f_j
            approximates (1 / 2 pi) times the integral of f over the hitting azimuths.
        """
        from nudipole.detectors.azimuthal import AzimuthalNodes

        t = np.asarray(theta, dtype=float)
        if t.ndim != 1:
            raise ValueError(f"theta has shape {t.shape}; pass a 1-D array of polar angles")
        _check_theta(t)
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"n = {n!r} must be a positive integer (nodes per azimuthal piece)")
        n = int(n)
        halves = self._halves(t)
        counts = np.bincount(halves.row, minlength=t.size)
        n_slots = max(int(counts.max()) if counts.size else 0, 2)
        out = [np.zeros((t.size, n_slots * n)) for _ in range(4)]
        if halves.row.size:
            x, w = np.polynomial.legendre.leggauss(n)
            u = halves.u_mid[:, None] + halves.u_half[:, None] * x[None, :]
            phi = halves.origin[:, None] + halves.sign[:, None] * np.where(
                halves.in_u[:, None], u * u, u
            )
            dphi = np.where(halves.in_u[:, None], 2.0 * u, 1.0)
            weight = (halves.u_half[:, None] * w[None, :]) * dphi / _TWO_PI
            l_in, l_out = self.segment(t[halves.row][:, None], phi)
            first = np.cumsum(counts) - counts
            slot = np.arange(halves.row.size) - first[halves.row]
            cols = slot[:, None] * n + np.arange(n)[None, :]
            rows = np.broadcast_to(halves.row[:, None], cols.shape)
            out[0][rows, cols] = np.mod(phi + math.pi, _TWO_PI) - math.pi
            out[1][rows, cols] = np.where(l_out > l_in, weight, 0.0)
            out[2][rows, cols] = l_in
            out[3][rows, cols] = l_out
        return AzimuthalNodes(*out)

    def hit_fraction(self, theta: ArrayLike) -> FloatArray:
        """Fraction of the azimuth whose rays hit, at each polar angle of a 1-D array (rad);
        exact from the break points of :meth:`azimuthal_nodes`."""
        t = np.asarray(theta, dtype=float)
        if t.ndim != 1:
            raise ValueError(f"theta has shape {t.shape}; pass a 1-D array of polar angles")
        _check_theta(t)
        pieces = self._pieces(t)
        frac = np.bincount(pieces.row, weights=2.0 * pieces.half, minlength=t.size)
        return np.asarray(frac / _TWO_PI, dtype=float)

    def _pieces(self, t: FloatArray) -> _Pieces:
        """Hit pieces of the azimuth at each polar angle (row, midpoint, half-width, rad) and
        the grazing azimuths of each row."""
        s = np.sin(t)
        c = np.cos(t)
        graze = self._grazing_azimuths(s, c)
        cand = np.concatenate(
            [np.zeros((t.size, 1)), np.full((t.size, 1), math.pi), graze, self._rim_azimuths(s, c)],
            axis=1,
        )
        cand = np.mod(cand + math.pi, _TWO_PI) - math.pi  # NaN stays NaN
        cand.sort(axis=1)  # NaN last
        k = np.count_nonzero(np.isfinite(cand), axis=1)  # >= 2: 0 and pi are always there
        rows = np.arange(t.size)
        nxt = np.full_like(cand, np.nan)
        nxt[:, :-1] = cand[:, 1:]
        nxt[rows, k - 1] = cand[rows, 0] + _TWO_PI
        valid = np.arange(cand.shape[1])[None, :] < k[:, None]
        half = 0.5 * (nxt - cand)
        r_idx, c_idx = np.nonzero(valid & (half > 0.0))
        mid = 0.5 * (cand + nxt)[r_idx, c_idx]
        half = half[r_idx, c_idx]
        l_in, l_out = self.segment(t[r_idx], mid)
        hit = l_out > l_in
        return _Pieces(r_idx[hit], mid[hit], half[hit], graze)

    def _halves(self, t: FloatArray) -> _Halves:
        """Each hit piece cut in two; the quadrature variable of each half (see module
        docstring): u = phi - origin (sign +1) or u^2 = sign (phi - origin) near a graze."""
        pieces = self._pieces(t)
        row = np.repeat(pieces.row, 2)
        mid = np.repeat(pieces.mid, 2)
        half = np.repeat(0.5 * pieces.half, 2)
        side = np.tile(np.array([-1.0, 1.0]), pieces.row.size)  # -1: left half, +1: right half
        outer = mid + side * 2.0 * half  # the end of the piece this half touches
        # distance from the outer end to the nearest grazing azimuth beyond it
        graze = pieces.graze[row]
        with np.errstate(invalid="ignore"):
            # (a graze that coincides with the end up to rounding is at distance 0, not 2 pi)
            beyond = np.mod(side[:, None] * (graze - outer[:, None]) + _SAME_AZIMUTH, _TWO_PI)
            beyond = np.maximum(beyond - _SAME_AZIMUTH, 0.0)
        beyond = np.where(np.isfinite(beyond), beyond, np.inf)
        dist = beyond.min(axis=1) if beyond.shape[1] else np.full(row.size, np.inf)
        in_u = dist <= _GRAZE_REACH * 2.0 * half
        # in u: phi = origin + sign u^2, origin the grazing azimuth, sign = -side
        # (a left half has its graze on the left: phi = origin + u^2, u from the outer end)
        origin_u = outer + side * dist
        u_outer = np.sqrt(np.where(in_u, dist, 0.0))
        u_inner = np.sqrt(np.where(in_u, dist + 2.0 * half, 0.0))
        # plain: phi = (mid + side half) + x half, i.e. origin = mid + side half, u in [-h, h]
        origin = np.where(in_u, origin_u, mid + side * half)
        sign = np.where(in_u, -side, 1.0)
        u_mid = np.where(in_u, 0.5 * (u_outer + u_inner), 0.0)
        u_half = np.where(in_u, 0.5 * (u_inner - u_outer), half)
        return _Halves(row, origin, sign, u_mid, u_half, in_u)

    def _grazing_azimuths(self, s: FloatArray, c: FloatArray) -> FloatArray:
        """Azimuths (n_theta, 4) at which the ray grazes the lateral surface, NaN if none."""
        dist = math.hypot(self.x_center, self.z_center)
        if not dist > self.radius:
            return np.full((s.size, 0), np.nan)
        beta_c = math.atan2(self.x_center, self.z_center)
        delta = math.asin(self.radius / dist)
        cols = []
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for beta in (beta_c - delta, beta_c + delta):
                cphi = c * math.tan(beta) / s
                ok = np.isfinite(cphi) & (np.abs(cphi) <= 1.0)
                ang = np.where(ok, np.arccos(np.clip(cphi, -1.0, 1.0)), np.nan)
                cols += [ang, -ang]
        return np.stack(cols, axis=1)

    def _rim_azimuths(self, s: FloatArray, c: FloatArray) -> FloatArray:
        """Azimuths (n_theta, 8) at which the ray may pass through a rim circle, NaN-padded."""
        cols = []
        d0 = self._d0()
        for y_r in (self.y_min, self.y_max):
            if y_r == 0.0 or s.size == 0:
                continue  # a cap in the plane of the IP: only phi = 0, pi matter
            comp = np.zeros((s.size, 4, 4))
            comp[:, 0, 0] = -4.0 * s * (self.x_center * s - self.z_center * c) / y_r
            comp[:, 0, 1] = -(2.0 * (c * c - s * s) + 4.0 * d0 * s * s / (y_r * y_r))
            comp[:, 0, 2] = 4.0 * s * (self.x_center * s + self.z_center * c) / y_r
            comp[:, 0, 3] = -1.0
            comp[:, 1, 0] = comp[:, 2, 1] = comp[:, 3, 2] = 1.0
            roots = np.linalg.eigvals(comp)
            real = np.abs(roots.imag) <= _IMAG_TOL * (1.0 + np.abs(roots.real))
            cols.append(np.where(real, 2.0 * np.arctan(roots.real), np.nan))
        return np.concatenate(cols, axis=1) if cols else np.full((s.size, 0), np.nan)

    # -----------------------------------------------------------------------------------------
    # solid angle

    def solid_angle_fraction(self) -> float:
        """Fraction of the full solid angle 4 pi whose rays from the origin hit the volume.

        (1/2) integral over the polar window of sin(theta) times :meth:`hit_fraction`, by
        adaptive quadrature (relative accuracy about 1e-10); 1 if the origin is inside.
        """
        return _solid_angle(self.radius, self.x_center, self.z_center, self.y_min, self.y_max)


class _Pieces(NamedTuple):
    """Hit pieces of the azimuth (theta index, midpoint, half-width) and, per theta row, the
    grazing azimuths (n_theta, G), NaN where there is none."""

    row: npt.NDArray[np.intp]
    mid: FloatArray
    half: FloatArray
    graze: FloatArray


class _Halves(NamedTuple):
    """Halves of the hit pieces: phi = origin + sign * (u^2 if in_u else u), u in
    [u_mid - u_half, u_mid + u_half]."""

    row: npt.NDArray[np.intp]
    origin: FloatArray
    sign: FloatArray
    u_mid: FloatArray
    u_half: FloatArray
    in_u: npt.NDArray[np.bool_]


# ---------------------------------------------------------------------------------------------
# polar window and solid angle (cached on the dimensions: the reach asks several times)


def _circle_theta(radius: float, xc: float, zc: float, y: float, psi: FloatArray) -> FloatArray:
    """Polar angle (rad) of the points (xc + R cos psi, y, zc + R sin psi)."""
    return np.asarray(
        np.arctan2(np.hypot(xc + radius * np.cos(psi), y), zc + radius * np.sin(psi)), dtype=float
    )


def _circle_extremes(
    radius: float, xc: float, zc: float, y: float, local: bool
) -> tuple[list[float], list[float]]:
    """Minima and maxima of the polar angle along the circle at height y: the global ones
    (``local`` False; the three best samples refined) or every local one (True), in rad."""
    psi = np.linspace(0.0, _TWO_PI, _CIRCLE_SCAN, endpoint=False)
    step = _TWO_PI / _CIRCLE_SCAN
    th = _circle_theta(radius, xc, zc, y, psi)
    out: tuple[list[float], list[float]] = ([], [])
    for sign, found in ((1.0, out[0]), (-1.0, out[1])):
        v = sign * th
        if local:
            picks = np.flatnonzero((v <= np.roll(v, 1)) & (v <= np.roll(v, -1)))
        else:
            picks = np.argsort(v)[:3]

        def signed_theta(p: float, sign: float = sign) -> float:
            return sign * float(_circle_theta(radius, xc, zc, y, np.asarray(p)))

        for k in picks:
            _, best = minimize_bounded(
                signed_theta, float(psi[k] - step), float(psi[k] + step), xatol=1e-12
            )
            found.append(sign * min(best, float(v[k])))
    return out


def _circle_heights(y_min: float, y_max: float) -> list[float]:
    return [y_min, y_max] + ([0.0] if y_min < 0.0 < y_max else [])


@lru_cache(maxsize=64)
def _polar_window(
    radius: float, xc: float, zc: float, y_min: float, y_max: float
) -> tuple[float, float]:
    """See :meth:`VerticalCylinder.polar_window`."""
    if (xc - radius) * (xc + radius) + zc * zc <= 0.0 and y_min <= 0.0 <= y_max:
        return 0.0, math.pi  # the IP in the closed volume: points near it in every direction
    lo, hi = math.pi, 0.0
    for y in _circle_heights(y_min, y_max):
        minima, maxima = _circle_extremes(radius, xc, zc, y, local=False)
        lo = min(lo, *minima)
        hi = max(hi, *maxima)
    # the beam axis (x = y = 0) through the closed volume: theta = 0 and/or pi are attained
    if y_min <= 0.0 <= y_max and abs(xc) <= radius:
        half = math.sqrt((radius - xc) * (radius + xc))
        if zc + half > 0.0:
            lo = 0.0
        if zc - half < 0.0:
            hi = math.pi
    return max(lo, 0.0), min(hi, math.pi)


@lru_cache(maxsize=64)
def _solid_angle(radius: float, xc: float, zc: float, y_min: float, y_max: float) -> float:
    """See :meth:`VerticalCylinder.solid_angle_fraction`."""
    shape = VerticalCylinder(radius, xc, zc, y_min, y_max)
    if shape._d0() < 0.0 and y_min < 0.0 < y_max:
        return 1.0  # the origin is inside
    lo, hi = shape.polar_window()
    # pieces appear or vanish (the hit fraction has kinks) at the local extremes of theta on
    # the circles and where a grazing ray touches the lateral surface at a rim
    cuts = {lo, hi}
    for y in _circle_heights(y_min, y_max):
        minima, maxima = _circle_extremes(radius, xc, zc, y, local=True)
        cuts.update(v for v in (*minima, *maxima) if lo < v < hi)
    dist = math.hypot(xc, zc)
    if dist > radius:
        beta_c = math.atan2(xc, zc)
        delta = math.asin(radius / dist)
        reach = math.sqrt((dist - radius) * (dist + radius))
        for beta in (beta_c - delta, beta_c + delta):
            for y_r in (y_min, y_max):
                th = math.atan2(math.hypot(reach * math.sin(beta), y_r), reach * math.cos(beta))
                if lo < th < hi:
                    cuts.add(th)

    from scipy import integrate  # here, not at import: `import nudipole` stays light

    def integrand(th: float) -> float:
        return 0.5 * math.sin(th) * float(shape.hit_fraction(np.array([th]))[0])

    edges = sorted(cuts)
    total = 0.0
    with warnings.catch_warnings():
        # a kink not among the cuts (e.g. where the full azimuth stops hitting when the beam
        # axis runs through the volume) only makes quad subdivide more; the result is checked
        # against a fine theta scan and Monte Carlo in the tests (agreement to 1e-9)
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        for a, b in itertools.pairwise(edges):
            val, _ = integrate.quad(integrand, a, b, limit=200, epsabs=1e-14, epsrel=1e-10)
            total += val
    return total
