"""Far-detector shapes: exact ray segments against brute-force ray marching, polar windows,
the azimuthal quadrature against a fine phi scan, solid angles, and input validation.

Detector dimensions: PHYSICS.md §10 (FASER-2, FACET, MAPP-2, from the talk).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.detectors import (
    BeamAxisAnnulus,
    BeamAxisCylinder,
    Box,
    CentralCylinder,
    Shape,
    azimuthal_nodes,
    solid_angle_fraction,
)
from nudipole.kinematics.geometry import path_length_in_cylinder

FASER2 = BeamAxisCylinder(radius=1.0, z_min=475.0, z_max=480.0)
FACET = BeamAxisAnnulus(r_min=0.18, r_max=0.5, z_min=101.0, z_max=119.0)
MAPP2 = Box(x_min=3.0, x_max=6.0, y_min=-2.0, y_max=1.0, z_min=48.0, z_max=61.0)
CENTRAL = CentralCylinder(radius=1.25, z_min=-1.02, z_max=1.96)
#: square box on the beam axis: at some angles only its four corners are hit (four phi arcs)
SQUARE = Box(-1.0, 1.0, -1.0, 1.0, 475.0, 480.0)
#: box around the interaction point (every ray starts inside)
AROUND_IP = Box(-1.0, 2.0, -3.0, 1.0, -2.0, 3.0)
#: off-axis box straddling z = 0 (rays near theta = pi/2, forward and backward)
STRADDLE = Box(0.5, 2.0, -1.0, 1.0, -3.0, 4.0)
#: wide thin box crossing above the axis: two phi arcs at some angles
WIDE = Box(-10.0, 10.0, 1.0, 2.0, 5.0, 8.0)

ALL_SHAPES: list[Shape] = [FASER2, FACET, MAPP2, CENTRAL, SQUARE, AROUND_IP, STRADDLE, WIDE]
BOXES = [MAPP2, SQUARE, AROUND_IP, STRADDLE, WIDE]


# ---------------------------------------------------------------------------------------------
# independent brute force


def directions(theta: np.ndarray, phi: np.ndarray) -> np.ndarray:
    st_ = np.sin(theta)
    return np.stack([st_ * np.cos(phi), st_ * np.sin(phi), np.cos(theta)], axis=-1)


def inside(shape: Shape, p: np.ndarray) -> np.ndarray:
    """Point-in-volume test (open volume) written from the definitions, not the module."""
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    if isinstance(shape, Box):
        return (
            (shape.x_min < x)
            & (x < shape.x_max)
            & (shape.y_min < y)
            & (y < shape.y_max)
            & (shape.z_min < z)
            & (z < shape.z_max)
        )
    r2 = x * x + y * y
    in_z = (shape.z_min < z) & (z < shape.z_max)
    if isinstance(shape, BeamAxisAnnulus):
        return in_z & (shape.r_min**2 < r2) & (r2 < shape.r_max**2)
    return in_z & (r2 < shape.radius**2)


def distance_range(shape: Shape) -> tuple[float, float]:
    """Smallest and largest distance from the origin to a point of the (closed) volume."""
    if isinstance(shape, Box):
        lows = np.array([shape.x_min, shape.y_min, shape.z_min])
        highs = np.array([shape.x_max, shape.y_max, shape.z_max])
        near = float(np.linalg.norm(np.clip(0.0, lows, highs)))
        far = float(np.linalg.norm(np.maximum(np.abs(lows), np.abs(highs))))
        return near, far
    r_lo = shape.r_min if isinstance(shape, BeamAxisAnnulus) else 0.0
    r_hi = shape.r_max if isinstance(shape, BeamAxisAnnulus) else shape.radius
    z_near = min(max(0.0, shape.z_min), shape.z_max)
    return math.hypot(r_lo, z_near), math.hypot(r_hi, max(abs(shape.z_min), abs(shape.z_max)))


def march(
    shape: Shape, theta: np.ndarray, phi: np.ndarray, n_steps: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Sample each ray at n_steps points between the nearest and farthest distance of the
    volume; return (any inside, first inside t, last inside t, inside length, step)."""
    near, far = distance_range(shape)
    lo, hi = 0.999 * near, 1.001 * far + 1e-9
    step = (hi - lo) / n_steps
    t = lo + (np.arange(n_steps) + 0.5) * step
    u = directions(np.asarray(theta, float), np.asarray(phi, float))
    hits, first, last, length = [], [], [], []
    for chunk in range(0, len(u), 64):
        uu = u[chunk : chunk + 64]
        ins = inside(shape, t[None, :, None] * uu[:, None, :])
        hits.append(ins.any(axis=1))
        first.append(t[np.argmax(ins, axis=1)])
        last.append(t[n_steps - 1 - np.argmax(ins[:, ::-1], axis=1)])
        length.append(ins.sum(axis=1) * step)
    return (
        np.concatenate(hits),
        np.concatenate(first),
        np.concatenate(last),
        np.concatenate(length),
        step,
    )


def assert_matches_march(shape: Shape, theta: np.ndarray, phi: np.ndarray, n_steps: int) -> None:
    l_in, l_out = shape.segment(theta, phi)
    assert np.all(np.isfinite(l_in))
    assert np.all(np.isfinite(l_out))
    miss = ~(l_out > l_in)
    assert np.all(l_in[miss] == 0.0)
    assert np.all(l_out[miss] == 0.0)
    hit, first, last, length, step = march(shape, theta, phi, n_steps)
    tol = 1.01 * step
    # a miss may only disagree on a graze shorter than the step
    assert np.all(length[miss] <= 2 * tol)
    clear = l_out - l_in > 3 * step
    assert np.all(hit[clear])
    np.testing.assert_array_less(np.abs(first[clear] - l_in[clear]), tol)
    np.testing.assert_array_less(np.abs(last[clear] - l_out[clear]), tol)
    np.testing.assert_array_less(np.abs(length - (l_out - l_in)), 2 * tol)


def rays_near_window(
    shape: Shape, rng: np.random.Generator, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Random rays, mostly aimed near the shape (polar window widened by 10%), some anywhere."""
    lo, hi = shape.polar_window()
    pad = 0.1 * (hi - lo)
    theta = rng.uniform(max(lo - pad, 0.0), min(hi + pad, math.pi), n)
    theta[: n // 5] = np.arccos(rng.uniform(-1.0, 1.0, n // 5))
    phi = rng.uniform(-math.pi, math.pi, n)
    if isinstance(shape, Box):
        # half of them at azimuths of points inside the box
        pts = rng.uniform(
            [shape.x_min, shape.y_min, shape.z_min], [shape.x_max, shape.y_max, shape.z_max], (n, 3)
        )
        phi[n // 2 :] = np.arctan2(pts[n // 2 :, 1], pts[n // 2 :, 0])
    return theta, phi


# ---------------------------------------------------------------------------------------------
# segments


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=lambda s: repr(s))
def test_segment_matches_ray_marching_fixed_seed(shape: Shape) -> None:
    rng = np.random.default_rng(20240508)
    theta, phi = rays_near_window(shape, rng, 300)
    assert_matches_march(shape, theta, phi, n_steps=6000)


finite = st.floats(-20.0, 20.0, allow_nan=False)
width = st.floats(0.2, 15.0, allow_nan=False)
unit = st.floats(0.0, 1.0)
azimuth = st.floats(-math.pi, math.pi)


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    kind = draw(st.sampled_from(["box", "cylinder", "annulus", "central"]))
    z0 = draw(finite)
    z1 = z0 + draw(width)
    if kind == "box":
        x0, y0 = draw(finite), draw(finite)
        return Box(x0, x0 + draw(width), y0, y0 + draw(width), z0, z1)
    if kind == "cylinder":
        return BeamAxisCylinder(draw(width), z0, z1)
    if kind == "annulus":
        r0 = draw(st.floats(0.05, 10.0))
        return BeamAxisAnnulus(r0, r0 + draw(width), z0, z1)
    return CentralCylinder(draw(width), -draw(width), draw(width))


@settings(max_examples=120, deadline=None)
@given(shape=shapes(), u=unit, phi=azimuth)
def test_segment_matches_ray_marching_property(shape: Shape, u: float, phi: float) -> None:
    """Random volume, one ray with theta inside its polar window (or any, for central ones)."""
    lo, hi = shape.polar_window()
    theta = np.array([lo + u * (hi - lo)])
    assert_matches_march(shape, theta, np.array([phi]), n_steps=4000)


@settings(max_examples=60, deadline=None)
@given(shape=shapes(), theta=st.floats(0.0, math.pi), phi=azimuth)
def test_segment_invariants(shape: Shape, theta: float, phi: float) -> None:
    """0 <= l_in < l_out on a hit, (0, 0) on a miss, never NaN; hits only inside the window;
    the midpoint of the segment is inside the volume."""
    l_in, l_out = (float(v) for v in shape.segment(theta, phi))
    assert math.isfinite(l_in)
    assert math.isfinite(l_out)
    if l_out > l_in:
        assert l_in >= 0.0
        lo, hi = shape.polar_window()
        assert lo - 1e-12 <= theta <= hi + 1e-12
        mid = 0.5 * (l_in + l_out) * directions(np.array(theta), np.array(phi))
        if l_out - l_in > 1e-9 * max(1.0, l_out):
            assert bool(inside(shape, mid))
    else:
        assert l_in == 0.0
        assert l_out == 0.0


def test_segment_special_rays() -> None:
    # theta = 0: along the axis
    assert [float(v) for v in FASER2.segment(0.0, 1.3)] == [475.0, 480.0]
    assert [float(v) for v in SQUARE.segment(0.0, -2.0)] == [475.0, 480.0]
    assert [float(v) for v in FACET.segment(0.0, 0.0)] == [0.0, 0.0]  # runs inside the hole
    assert [float(v) for v in MAPP2.segment(0.0, 0.0)] == [0.0, 0.0]
    assert [float(v) for v in CENTRAL.segment(0.0, 0.0)] == [0.0, 1.96]
    assert [float(v) for v in CENTRAL.segment(math.pi, 0.0)] == [0.0, pytest.approx(1.02)]
    # backward and sideways rays miss forward detectors
    th = np.concatenate([[math.pi / 2, math.pi], np.linspace(math.pi / 2, math.pi, 50)])
    th, ph = np.meshgrid(th, np.linspace(-math.pi, math.pi, 37))
    for shape in (FASER2, FACET, MAPP2, SQUARE, WIDE):
        l_in, l_out = shape.segment(th, ph)
        assert l_in.shape == th.shape
        assert np.all(l_in == 0.0)
        assert np.all(l_out == 0.0)


def test_segment_analytic_values() -> None:
    # MAPP-2 at phi = 0 exactly (ray parallel to the y faces, inside the y slab): through
    # (4, 0, 55), in by the front face z = 48 and out by the back face z = 61
    th = math.atan(4.0 / 55.0)
    l_in, l_out = MAPP2.segment(th, 0.0)
    assert float(l_in) == pytest.approx(48.0 / math.cos(th), rel=1e-14)
    assert float(l_out) == pytest.approx(61.0 / math.cos(th), rel=1e-14)
    # through (6, 0, 50): in by the front face (x = 5.76 at z = 48), out by the face x = 6
    th = math.atan(6.0 / 50.0)
    l_in, l_out = MAPP2.segment(th, 0.0)
    assert float(l_in) == pytest.approx(48.0 / math.cos(th), rel=1e-14)
    assert float(l_out) == pytest.approx(6.0 / math.sin(th), rel=1e-14)
    # ray in the plane of a face (y = 0 face, phi = 0): misses by the open-volume convention
    assert [float(v) for v in Box(3.0, 6.0, 0.0, 1.0, 48.0, 61.0).segment(th, 0.0)] == [0.0, 0.0]
    # FACET: enters through the front face and leaves through the back one ...
    th = math.atan(0.3 / 110.0)
    l_in, l_out = FACET.segment(th, 2.0)
    assert float(l_in) == pytest.approx(101.0 / math.cos(th), rel=1e-14)
    assert float(l_out) == pytest.approx(119.0 / math.cos(th), rel=1e-14)
    # ... or through the outer radius; and enters through the inner radius
    th = math.atan(0.45 / 105.0)
    assert float(FACET.segment(th, 0.0)[1]) == pytest.approx(0.5 / math.sin(th), rel=1e-14)
    th = math.atan(0.18 / 110.0)
    l_in, l_out = FACET.segment(th, 0.0)
    assert float(l_in) == pytest.approx(0.18 / math.sin(th), rel=1e-14)
    assert float(l_out) == pytest.approx(119.0 / math.cos(th), rel=1e-14)


def test_rays_starting_inside() -> None:
    rng = np.random.default_rng(5)
    th = np.concatenate([[0.0, math.pi / 2, math.pi], np.arccos(rng.uniform(-1, 1, 500))])
    ph = rng.uniform(-math.pi, math.pi, th.size)
    # a beam-axis cylinder around the IP is the central cylinder, by a different formula
    l_in, l_out = BeamAxisCylinder(1.25, -1.02, 1.96).segment(th, ph)
    c_in, c_out = CENTRAL.segment(th, ph)
    assert np.all(l_in == 0.0)
    assert np.all(c_in == 0.0)
    np.testing.assert_allclose(l_out, c_out, rtol=1e-13)
    # box around the IP: l_in = 0 always; l_out along the axes
    l_in, l_out = AROUND_IP.segment(th, ph)
    assert np.all(l_in == 0.0)
    assert np.all(l_out > 0.0)
    axes = AROUND_IP.segment(
        np.array([0.0, math.pi, math.pi / 2, math.pi / 2, math.pi / 2, math.pi / 2]),
        np.array([0.0, 0.0, 0.0, math.pi, math.pi / 2, -math.pi / 2]),
    )[1]
    np.testing.assert_allclose(axes, [3.0, 2.0, 2.0, 1.0, 1.0, 3.0], rtol=1e-14)


def test_central_cylinder_is_path_length_in_cylinder() -> None:
    rng = np.random.default_rng(11)
    th = np.concatenate([[0.0, math.pi / 2, math.pi], rng.uniform(0.0, math.pi, 2000)])
    for shape in (CENTRAL, CentralCylinder(0.81, -1.2, 1.2), CentralCylinder(3.0, -0.5, 7.0)):
        l_in, l_out = shape.segment(th, rng.uniform(-math.pi, math.pi, th.size))
        expected = path_length_in_cylinder(np.cos(th), shape.radius, shape.z_min, shape.z_max)
        assert np.array_equal(l_out, expected)
        assert np.all(l_in == 0.0)


def test_segment_broadcasts_theta_and_phi() -> None:
    th = np.linspace(0.05, 0.13, 7)[:, None]
    ph = np.linspace(-0.5, 0.3, 5)[None, :]
    l_in, l_out = MAPP2.segment(th, ph)
    assert l_in.shape == l_out.shape == (7, 5)
    assert float(MAPP2.segment(th[3, 0], ph[0, 2])[1]) == l_out[3, 2]
    assert FASER2.segment(np.zeros(4), 0.0)[0].shape == (4,)


# ---------------------------------------------------------------------------------------------
# polar windows


def test_polar_windows_published_geometry() -> None:
    assert FASER2.polar_window() == (0.0, pytest.approx(math.atan(1.0 / 475.0), rel=1e-15))
    lo, hi = FACET.polar_window()
    assert lo == pytest.approx(math.atan(0.18 / 119.0), rel=1e-15)
    assert hi == pytest.approx(math.atan(0.5 / 101.0), rel=1e-15)
    lo, hi = MAPP2.polar_window()
    # smallest angle on the edge x = 3, z = 61 at y = 0 (not a corner), largest at the
    # corner (6, -2, 48)
    assert lo == pytest.approx(math.atan(3.0 / 61.0), rel=1e-15)
    assert hi == pytest.approx(math.atan(math.hypot(6.0, 2.0) / 48.0), rel=1e-15)
    assert CENTRAL.polar_window() == (0.0, math.pi)
    assert AROUND_IP.polar_window() == (0.0, math.pi)


def test_mapp2_lower_bound_is_below_the_corners() -> None:
    """A corner-only window would prune rays that hit MAPP-2."""
    corner_lo = math.atan(math.hypot(3.0, 1.0) / 61.0)
    th = 0.5 * (MAPP2.polar_window()[0] + corner_lo)
    l_in, l_out = MAPP2.segment(th, 0.0)
    assert float(l_out) > float(l_in)


def edge_points(shape: Shape, n: int) -> np.ndarray:
    """n points on each edge of the volume (the extreme polar angles lie on edges); for the
    axisymmetric volumes the edges of the (r, z) rectangle, in the plane y = 0."""
    s = np.linspace(0.0, 1.0, n)

    def seg(a: tuple[float, float, float], b: tuple[float, float, float]) -> np.ndarray:
        return np.array(a)[None, :] + s[:, None] * (np.array(b) - np.array(a))[None, :]

    if isinstance(shape, Box):
        x0, x1, y0, y1 = shape.x_min, shape.x_max, shape.y_min, shape.y_max
        z0, z1 = shape.z_min, shape.z_max
        out = []
        for a in (0, 1):
            for b in (0, 1):
                y, z = (y0, y1)[a], (z0, z1)[b]
                out.append(seg((x0, y, z), (x1, y, z)))
                x = (x0, x1)[a]
                out.append(seg((x, y0, z), (x, y1, z)))
                y = (y0, y1)[b]
                out.append(seg((x, y, z0), (x, y, z1)))
        return np.concatenate(out)
    r0 = shape.r_min if isinstance(shape, BeamAxisAnnulus) else 0.0
    r1 = shape.r_max if isinstance(shape, BeamAxisAnnulus) else shape.radius
    z0, z1 = shape.z_min, shape.z_max
    return np.concatenate(
        [
            seg((r0, 0, z0), (r1, 0, z0)),
            seg((r0, 0, z1), (r1, 0, z1)),
            seg((r0, 0, z0), (r0, 0, z1)),
            seg((r1, 0, z0), (r1, 0, z1)),
        ]
    )


def volume_points(shape: Shape, rng: np.random.Generator, n: int) -> np.ndarray:
    """Uniformly random points of the box, or of the (r, z) rectangle at random azimuth."""
    if isinstance(shape, Box):
        return rng.uniform(
            [shape.x_min, shape.y_min, shape.z_min], [shape.x_max, shape.y_max, shape.z_max], (n, 3)
        )
    r0 = shape.r_min if isinstance(shape, BeamAxisAnnulus) else 0.0
    r1 = shape.r_max if isinstance(shape, BeamAxisAnnulus) else shape.radius
    r = rng.uniform(r0, r1, n)
    ph = rng.uniform(-math.pi, math.pi, n)
    return np.stack([r * np.cos(ph), r * np.sin(ph), rng.uniform(shape.z_min, shape.z_max, n)], 1)


@pytest.mark.parametrize("shape", [FASER2, FACET, MAPP2, SQUARE, STRADDLE, WIDE], ids=repr)
def test_polar_window_is_tight(shape: Shape) -> None:
    """Every point of the volume lies inside the window, and points on its edges reach both
    ends; just outside the window nothing is hit, just inside something is."""
    lo, hi = shape.polar_window()
    pts = volume_points(shape, np.random.default_rng(3), 100_000)
    edges = edge_points(shape, 200_001)
    theta = np.arctan2(np.hypot(pts[:, 0], pts[:, 1]), pts[:, 2])
    theta_e = np.arctan2(np.hypot(edges[:, 0], edges[:, 1]), edges[:, 2])
    assert np.all(theta >= lo - 1e-12)
    assert np.all(theta <= hi + 1e-12)
    if lo > 0.0:
        assert theta_e.min() == pytest.approx(lo, abs=1e-9)
    else:  # the beam axis runs through the volume
        assert float(np.subtract(*shape.segment(0.0, 0.0)[::-1])) > 0.0
    assert theta_e.max() == pytest.approx(hi, abs=1e-9)
    eps = 1e-6 * (hi - lo)
    ph = np.linspace(-math.pi, math.pi, 20_001)
    for th, hits in ((lo - eps, False), (hi + eps, False), (lo + eps, True), (hi - eps, True)):
        if not 0.0 <= th <= math.pi:
            continue
        weight = azimuthal_nodes(shape, np.array([th]), 8).weight.sum()
        assert bool(weight > 0.0) == hits
        if not hits:
            l_in, l_out = shape.segment(th, ph)
            assert not np.any(l_out > l_in)


# ---------------------------------------------------------------------------------------------
# azimuthal quadrature


def scan_average(
    shape: Shape, theta: float, lambdas: np.ndarray, n_phi: int
) -> tuple[np.ndarray, float]:
    """Midpoint-rule phi average of e^(-l_in/lam) - e^(-l_out/lam) and the hit fraction.

    The full circle is scanned with n_phi points; if the hits then lie within less than half
    the circle, that arc is scanned again with n_phi points."""

    def scan(lo: float, hi: float) -> tuple[np.ndarray, float, np.ndarray]:
        ph = lo + (np.arange(n_phi) + 0.5) * ((hi - lo) / n_phi)
        l_in, l_out = shape.segment(theta, ph)
        hit = l_out > l_in
        a, b = l_in[hit][None, :], l_out[hit][None, :]
        lam = lambdas[:, None]
        f = np.exp(-a / lam) * -np.expm1(-(b - a) / lam)
        norm = (hi - lo) / (2 * math.pi) / n_phi
        return f.sum(axis=1) * norm, float(hit.sum() * norm), ph[hit]

    ref, fraction, hit_phi = scan(-math.pi, math.pi)
    if hit_phi.size:
        # the largest gap between hits (cyclically); the hits lie on the complementary arc
        gaps = np.diff(np.append(hit_phi, hit_phi[0] + 2 * math.pi))
        i = int(np.argmax(gaps))
        if gaps[i] > math.pi:
            step = 2 * math.pi / n_phi
            start = hit_phi[(i + 1) % hit_phi.size]
            end = hit_phi[i] + (0.0 if i + 1 == hit_phi.size else 2 * math.pi)
            ref, fraction, _ = scan(start - 2 * step, end + 2 * step)
    return ref, fraction


def quad_average(
    shape: Shape, theta: np.ndarray, lambdas: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    nodes = azimuthal_nodes(shape, theta, n)
    f = np.exp(-nodes.l_in[:, None, :] / lambdas[None, :, None]) * -np.expm1(
        -(nodes.l_out - nodes.l_in)[:, None, :] / lambdas[None, :, None]
    )
    return np.sum(nodes.weight[:, None, :] * f, axis=2), nodes.weight.sum(axis=1)


QUADRATURE_CASES = [
    # (shape, polar angles, decay lengths in metres)
    (MAPP2, np.linspace(*MAPP2.polar_window(), 9)[1:-1], np.array([1.0, 5.0, 50.0, 5e3])),
    (SQUARE, np.arctan(np.array([0.5, 1.05, 1.2, 1.38]) / 475.0), np.array([10.0, 100.0, 1e4])),
    (WIDE, np.array([0.3, 0.45, 0.6, 0.9]), np.array([0.5, 5.0, 500.0])),
    (STRADDLE, np.array([0.3, 1.2, math.pi / 2, 2.0, 2.9]), np.array([0.3, 3.0, 300.0])),
    (AROUND_IP, np.array([0.0, 0.7, 1.5, 2.5, math.pi]), np.array([0.5, 5.0, 500.0])),
]


@pytest.mark.parametrize(("shape", "theta", "lambdas"), QUADRATURE_CASES, ids=lambda v: repr(v))
def test_box_quadrature_matches_fine_phi_scan(
    shape: Box, theta: np.ndarray, lambdas: np.ndarray
) -> None:
    quad, fraction = quad_average(shape, theta, lambdas, 16)
    for i, th in enumerate(theta):
        ref, ref_fraction = scan_average(shape, float(th), lambdas, 2**17)
        assert ref_fraction > 0.0
        np.testing.assert_allclose(quad[i], ref, rtol=1e-6, atol=0.0)
        assert fraction[i] == pytest.approx(ref_fraction, abs=20 / 2**17)


def test_square_box_has_four_arcs_at_the_corners() -> None:
    """Between the inscribed and circumscribed angle of the back face only the corners are hit."""
    nodes = azimuthal_nodes(SQUARE, np.array([math.atan(1.3 / 475.0)]), 4)
    assert np.count_nonzero(nodes.weight) >= 4 * 4
    hit_phi = nodes.phi[nodes.weight > 0]
    corners = np.array([-3, -1, 1, 3]) * math.pi / 4
    assert np.all(np.min(np.abs(hit_phi[:, None] - corners[None, :]), axis=1) < 0.3)


@pytest.mark.parametrize("n", [1, 5, 16])
@pytest.mark.parametrize("shape", BOXES, ids=repr)
def test_box_nodes_are_on_the_segment(shape: Box, n: int) -> None:
    """l_in, l_out at the nodes equal segment() there; weights are non-negative, padding is
    zero, phi in [-pi, pi)."""
    rng = np.random.default_rng(9)
    lo, hi = shape.polar_window()
    theta = np.concatenate([rng.uniform(lo, hi, 200), [0.0, math.pi / 2, math.pi]])
    nodes = azimuthal_nodes(shape, theta, n)
    assert nodes.phi.shape == nodes.weight.shape == nodes.l_in.shape == nodes.l_out.shape
    assert nodes.phi.shape[0] == theta.size
    assert nodes.phi.shape[1] % n == 0
    assert np.all(nodes.weight >= 0.0)
    assert np.all((nodes.phi >= -math.pi) & (nodes.phi < math.pi))
    pad = nodes.weight == 0.0
    assert np.all(nodes.l_in[pad] == 0.0)
    assert np.all(nodes.l_out[pad] == 0.0)
    assert np.all(nodes.phi[pad] == 0.0)
    l_in, l_out = shape.segment(np.broadcast_to(theta[:, None], nodes.phi.shape), nodes.phi)
    used = ~pad
    scale = np.maximum(1.0, l_out[used])
    np.testing.assert_array_less(np.abs(nodes.l_in[used] - l_in[used]) / scale, 1e-13)
    np.testing.assert_array_less(np.abs(nodes.l_out[used] - l_out[used]) / scale, 1e-13)
    # the azimuthal fraction does not depend on the number of nodes
    np.testing.assert_allclose(
        nodes.weight.sum(axis=1), azimuthal_nodes(shape, theta, 3).weight.sum(axis=1), atol=1e-14
    )


@pytest.mark.parametrize("shape", [MAPP2, STRADDLE, WIDE, SQUARE], ids=repr)
def test_box_nodes_at_the_window_edges_carry_nothing(shape: Box) -> None:
    """Exactly at an end of the polar window away from the axis the hit set has measure zero:
    whatever sliver rounding leaves (crossings near a tangency move by ~sqrt(eps)) has
    negligible weight and path length."""
    ends = [th for th in shape.polar_window() if 0.0 < th < math.pi]
    nodes = azimuthal_nodes(shape, np.array(ends), 16)
    assert np.sum(nodes.weight) < 1e-6
    assert np.sum(nodes.weight * (nodes.l_out - nodes.l_in)) < 1e-12


def test_box_on_axis_at_theta_zero_is_one_full_piece() -> None:
    nodes = azimuthal_nodes(SQUARE, np.array([0.0]), 16)
    assert nodes.weight.sum() == pytest.approx(1.0, rel=1e-14)
    np.testing.assert_allclose(nodes.l_in[nodes.weight > 0], 475.0, rtol=1e-15)
    np.testing.assert_allclose(nodes.l_out[nodes.weight > 0], 480.0, rtol=1e-15)


def test_nodes_without_hits_and_empty_input() -> None:
    nodes = azimuthal_nodes(MAPP2, np.array([0.0, 0.01, 2.0, math.pi]), 16)
    assert nodes.weight.shape == (4, 16)
    for arr in nodes:
        assert np.all(arr == 0.0)
    for shape in (MAPP2, FASER2):
        empty = azimuthal_nodes(shape, np.array([]), 16)
        assert empty.weight.shape[0] == 0
        assert shape.segment(np.array([]), 0.0)[0].shape == (0,)


@pytest.mark.parametrize("shape", [FASER2, FACET, CENTRAL], ids=repr)
def test_axisymmetric_nodes_are_one_node(shape: Shape) -> None:
    lo, hi = shape.polar_window()
    theta = np.linspace(max(lo - 0.1 * hi, 0.0), min(1.1 * hi, math.pi), 101)
    nodes = azimuthal_nodes(shape, theta, 16)
    assert nodes.weight.shape == (101, 1)
    l_in, l_out = shape.segment(theta, 0.0)
    np.testing.assert_array_equal(nodes.weight[:, 0], (l_out > l_in).astype(float))
    np.testing.assert_array_equal(nodes.l_in[:, 0], l_in)
    np.testing.assert_array_equal(nodes.l_out[:, 0], l_out)
    assert np.all(nodes.phi == 0.0)


@st.composite
def box_and_theta(draw: st.DrawFn) -> tuple[Box, float]:
    shape = draw(shapes().filter(lambda s: isinstance(s, Box)))
    assert isinstance(shape, Box)
    lo, hi = shape.polar_window()
    return shape, lo + draw(st.floats(0.02, 0.98)) * (hi - lo)


@settings(max_examples=40, deadline=None)
@given(case=box_and_theta())
def test_box_quadrature_property(case: tuple[Box, float]) -> None:
    """Random box and polar angle: the azimuthal fraction and the phi average of the decay
    probability (decay length = size of the box) agree with a phi scan."""
    shape, theta = case
    size = np.array([shape.z_max - shape.z_min])
    quad, fraction = quad_average(shape, np.array([theta]), size, 16)
    ref, ref_fraction = scan_average(shape, theta, size, 2**16)
    assert fraction[0] == pytest.approx(ref_fraction, abs=30 / 2**16)
    # A face plane passing (nearly) through the origin is seen edge-on: f jumps, or nearly,
    # at its azimuth, so the midpoint scan converges only as step / arc, and l = offset /
    # (u . n) has a pole just outside the piece, which slows Gauss-Legendre down (documented
    # in azimuthal_nodes); otherwise both are accurate to ~1e-8 here.
    coords = np.abs([shape.x_min, shape.x_max, shape.y_min, shape.y_max, shape.z_min, shape.z_max])
    edge_on = bool(coords.min() <= 1e-2 * coords.max())
    assert quad[0, 0] == pytest.approx(ref[0], rel=1e-2 if edge_on else 1e-5, abs=1e-14)


quarter = st.integers(-80, 80).map(lambda k: k / 4)
quarter_width = st.integers(1, 60).map(lambda k: k / 4)


@st.composite
def grid_boxes(draw: st.DrawFn) -> Box:
    """Boxes with corners on a 0.25 m grid: faces through the origin (offset 0) occur, faces
    at 1e-5 m from it (ill-conditioned: l = offset / (u . n) with both tiny) do not."""
    x0, y0, z0 = draw(quarter), draw(quarter), draw(quarter)
    return Box(x0, x0 + draw(quarter_width), y0, y0 + draw(quarter_width), z0, z0 + draw(width))


@settings(max_examples=60, deadline=None)
@given(shape=grid_boxes(), theta=st.lists(st.floats(0.0, math.pi), min_size=1, max_size=5))
def test_box_nodes_property(shape: Box, theta: list[float]) -> None:
    """Any box, any polar angles: finite nodes lying on segment(), weights summing to at most
    one, and zero weight outside the polar window."""
    th = np.array(theta)
    nodes = azimuthal_nodes(shape, th, 6)
    for arr in nodes:
        assert np.all(np.isfinite(arr))
    total = nodes.weight.sum(axis=1)
    assert np.all(total <= 1.0 + 1e-12)
    lo, hi = shape.polar_window()
    assert np.all(total[(th < lo) | (th > hi)] == 0.0)
    # rounding can leave a sliver of width ~sqrt(eps) at an exact tangency, where segment()
    # may say "miss": such nodes carry weights ~1e-10; compare the others exactly
    used = nodes.weight > 1e-9
    assert np.sum(nodes.weight[(nodes.weight > 0.0) & ~used]) < 1e-6
    l_in, l_out = shape.segment(np.broadcast_to(th[:, None], nodes.phi.shape), nodes.phi)
    scale = np.maximum(1.0, np.abs(l_out[used]))
    assert np.all(np.abs(nodes.l_in[used] - l_in[used]) / scale <= 1e-11)
    assert np.all(np.abs(nodes.l_out[used] - l_out[used]) / scale <= 1e-11)


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


# ---------------------------------------------------------------------------------------------
# bad input


BAD_SHAPES = [
    (lambda: BeamAxisCylinder(0.0, 475.0, 480.0), "radius"),
    (lambda: BeamAxisCylinder(-1.0, 475.0, 480.0), "radius"),
    (lambda: BeamAxisCylinder(1.0, 480.0, 475.0), "z_min"),
    (lambda: BeamAxisCylinder(1.0, 475.0, 475.0), "z_min"),
    (lambda: BeamAxisCylinder(float("nan"), 475.0, 480.0), "radius"),
    (lambda: BeamAxisCylinder(1.0, 475.0, float("inf")), "z_max"),
    (lambda: BeamAxisCylinder("1", 475.0, 480.0), "radius"),  # type: ignore[arg-type]
    (lambda: BeamAxisCylinder(True, 475.0, 480.0), "radius"),
    (lambda: BeamAxisAnnulus(0.0, 0.5, 101.0, 119.0), "r_min"),
    (lambda: BeamAxisAnnulus(0.5, 0.18, 101.0, 119.0), "r_min"),
    (lambda: BeamAxisAnnulus(0.18, 0.5, 119.0, 101.0), "z_min"),
    (lambda: Box(6.0, 3.0, -2.0, 1.0, 48.0, 61.0), "x_min"),
    (lambda: Box(3.0, 6.0, 1.0, -2.0, 48.0, 61.0), "y_min"),
    (lambda: Box(3.0, 6.0, -2.0, 1.0, 61.0, 48.0), "z_min"),
    (lambda: Box(3.0, 6.0, -2.0, float("nan"), 48.0, 61.0), "y_max"),
    (lambda: CentralCylinder(1.0, 0.5, 2.0), "z_min"),
    (lambda: CentralCylinder(1.0, -0.5, 0.0), "z_max"),
    (lambda: CentralCylinder(0.0, -0.5, 1.0), "radius"),
]


@pytest.mark.parametrize(("make", "field"), BAD_SHAPES)
def test_bad_shapes_raise_one_line_errors(make: object, field: str) -> None:
    with pytest.raises(ValueError, match=field) as info:
        make()  # type: ignore[operator]
    assert "\n" not in str(info.value)


def test_fields_are_floats_and_frozen() -> None:
    shape = BeamAxisCylinder(1, 475, 480)
    assert isinstance(shape.z_min, float)
    assert shape == FASER2
    with pytest.raises(AttributeError):
        shape.radius = 2.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda: FASER2.segment(-0.1, 0.0), "theta"),
        (lambda: MAPP2.segment(np.array([0.1, 3.5]), 0.0), "theta"),
        (lambda: FACET.segment(float("nan"), 0.0), "theta"),
        (lambda: MAPP2.segment(0.1, float("inf")), "phi"),
        (lambda: CENTRAL.segment(0.1, np.array([0.0, float("nan")])), "phi"),
        (lambda: azimuthal_nodes(MAPP2, np.zeros((2, 2)), 16), "theta"),
        (lambda: azimuthal_nodes(MAPP2, np.array([4.0]), 16), "theta"),
        (lambda: azimuthal_nodes(MAPP2, np.array([0.1]), 0), "n"),
        (lambda: azimuthal_nodes(MAPP2, np.array([0.1]), 2.5), "n"),
        (lambda: azimuthal_nodes(FASER2, np.array([0.1]), True), "n"),
    ],
)
def test_bad_angles_raise_one_line_errors(call: object, word: str) -> None:
    with pytest.raises(ValueError, match=word) as info:
        call()  # type: ignore[operator]
    assert "\n" not in str(info.value)
