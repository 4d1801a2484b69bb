"""Far-detector shapes (nudipole.detectors.cylinders, .box, .base): exact ray segments against
brute-force ray marching, polar windows, and input validation.

Detector dimensions: PHYSICS.md §10 (FASER-2, FACET, MAPP-2, from the talk).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from detector_reference import (
    ALL_SHAPES,
    AROUND_IP,
    CENTRAL,
    FACET,
    FASER2,
    MAPP2,
    SQUARE,
    STRADDLE,
    WIDE,
    assert_matches_march,
    azimuth,
    directions,
    inside,
    rays_near_window,
    shapes,
    unit,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.detectors import (
    BeamAxisAnnulus,
    BeamAxisCylinder,
    Box,
    CentralCylinder,
    Shape,
    azimuthal_nodes,
)
from nudipole.kinematics.geometry import path_length_in_cylinder

# ---------------------------------------------------------------------------------------------
# segments


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=lambda s: repr(s))
def test_segment_matches_ray_marching_fixed_seed(shape: Shape) -> None:
    rng = np.random.default_rng(20240508)
    theta, phi = rays_near_window(shape, rng, 300)
    assert_matches_march(shape, theta, phi, n_steps=6000)


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
