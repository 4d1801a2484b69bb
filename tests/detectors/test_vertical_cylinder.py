"""Vertical cylinder (ANUBIS shaft): exact ray segments against ray marching and hand values,
the polar window against sampled points, the azimuthal quadrature against fine phi scans, the
volume recovered from the segments, the solid angle against Monte Carlo and exact values, and
input validation.

ANUBIS: radius 9 m, axis at x = 0, z = 14 m, 24 < y < 80 m (arXiv:1909.13022,
arXiv:2001.04750, DDC arXiv:2308.07371; experiments/data/anubis.toml).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import integrate

import nudipole.detectors as detectors
from nudipole.detectors.vertical_cylinder import VerticalCylinder

ANUBIS = VerticalCylinder(radius=9.0, x_center=0.0, z_center=14.0, y_min=24.0, y_max=80.0)
#: straddles the horizontal plane of the beam, off the axis
STRADDLE = VerticalCylinder(2.0, 5.0, 10.0, -3.0, 4.0)
#: the beam axis runs through it (theta_lo = 0)
ON_AXIS = VerticalCylinder(3.0, 1.0, 20.0, -2.0, 2.0)
#: the interaction point inside (every ray starts inside)
AROUND_IP = VerticalCylinder(5.0, 1.0, 2.0, -3.0, 3.0)
#: behind the IP and above the beam
BACKWARD = VerticalCylinder(4.0, -3.0, -10.0, 2.0, 12.0)
#: bottom cap in the horizontal plane of the IP
CAP_AT_IP = VerticalCylinder(2.0, 0.0, 6.0, 0.0, 5.0)
#: the vertical line through the IP inside the cylinder, the IP below it (no grazing rays)
ABOVE_IP = VerticalCylinder(5.0, 1.0, 2.0, 3.0, 10.0)

ALL = [ANUBIS, STRADDLE, ON_AXIS, AROUND_IP, BACKWARD, CAP_AT_IP, ABOVE_IP]


# ---------------------------------------------------------------------------------------------
# independent brute force (written from the definition of the volume)


def inside(c: VerticalCylinder, p: np.ndarray) -> np.ndarray:
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    return (
        ((x - c.x_center) ** 2 + (z - c.z_center) ** 2 < c.radius**2)
        & (c.y_min < y)
        & (y < c.y_max)
    )


def directions(theta: np.ndarray, phi: np.ndarray) -> np.ndarray:
    s = np.sin(theta)
    return np.stack([s * np.cos(phi), s * np.sin(phi), np.cos(theta)], axis=-1)


def far_distance(c: VerticalCylinder) -> float:
    return math.hypot(
        abs(c.x_center) + c.radius, max(abs(c.y_min), abs(c.y_max)), abs(c.z_center) + c.radius
    )


def march(
    c: VerticalCylinder, theta: np.ndarray, phi: np.ndarray, n_steps: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """(any inside, first inside t, last inside t, length inside, step) along each ray."""
    hi = 1.001 * far_distance(c)
    step = hi / n_steps
    t = (np.arange(n_steps) + 0.5) * step
    u = directions(theta, phi)
    ins = inside(c, t[None, :, None] * u[:, None, :])
    first = t[np.argmax(ins, axis=1)]
    last = t[n_steps - 1 - np.argmax(ins[:, ::-1], axis=1)]
    return np.asarray(ins.any(axis=1)), first, last, ins.sum(axis=1) * step, step


def random_rays(c: VerticalCylinder, rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """Half of the rays aimed at random points of the volume, the rest near its window."""
    lo, hi = c.polar_window()
    theta = rng.uniform(max(lo - 0.05, 0.0), min(hi + 0.05, math.pi), n)
    phi = rng.uniform(-math.pi, math.pi, n)
    pts = sample_points(c, rng, n // 2)
    theta[: n // 2] = np.arctan2(np.hypot(pts[:, 0], pts[:, 1]), pts[:, 2])
    phi[: n // 2] = np.arctan2(pts[:, 1], pts[:, 0])
    return theta, phi


def sample_points(c: VerticalCylinder, rng: np.random.Generator, n: int) -> np.ndarray:
    """Uniform points inside the volume (polar sampling of the disc, uniform height)."""
    r = c.radius * np.sqrt(rng.uniform(0.0, 1.0, n))
    a = rng.uniform(0.0, 2 * math.pi, n)
    return np.stack(
        [c.x_center + r * np.cos(a), rng.uniform(c.y_min, c.y_max, n), c.z_center + r * np.sin(a)],
        axis=1,
    )


# ---------------------------------------------------------------------------------------------
# segments


@pytest.mark.parametrize("shape", ALL, ids=repr)
def test_segment_matches_ray_marching(shape: VerticalCylinder) -> None:
    rng = np.random.default_rng(20240909)
    theta, phi = random_rays(shape, rng, 400)
    l_in, l_out = shape.segment(theta, phi)
    assert np.all(np.isfinite(l_in))
    assert np.all(np.isfinite(l_out))
    miss = ~(l_out > l_in)
    assert np.all(l_in[miss] == 0.0)
    assert np.all(l_out[miss] == 0.0)
    hit, first, last, length, step = march(shape, theta, phi, 20_000)
    tol = 1.01 * step
    assert np.all(length[miss] <= 2 * tol)
    clear = l_out - l_in > 3 * step
    assert np.count_nonzero(clear) > 100
    assert np.all(hit[clear])
    np.testing.assert_array_less(np.abs(first[clear] - l_in[clear]), tol)
    np.testing.assert_array_less(np.abs(last[clear] - l_out[clear]), tol)
    np.testing.assert_array_less(np.abs(length - (l_out - l_in)), 2 * tol)


def seg(shape: VerticalCylinder, theta: float, phi: float) -> tuple[float, float]:
    l_in, l_out = shape.segment(theta, phi)
    return float(l_in), float(l_out)


def test_segment_hand_values() -> None:
    """Rays in the plane x = 0 (phi = pi/2) through the ANUBIS shaft: the ray is at height
    t sin(theta) and at z = t cos(theta); the shaft spans 5 < z < 23 m, 24 < y < 80 m."""
    # aimed at (0, 40, 14): enters through the bottom cap (y = 24), leaves through the far wall
    th = math.atan2(40.0, 14.0)
    l_in, l_out = ANUBIS.segment(th, math.pi / 2)
    assert float(l_in) == pytest.approx(24.0 / math.sin(th), rel=1e-14)
    assert float(l_out) == pytest.approx(23.0 / math.cos(th), rel=1e-14)
    # aimed at (0, 70, 6): enters through the near wall (z = 5), leaves through the top
    th = math.atan2(70.0, 6.0)
    l_in, l_out = ANUBIS.segment(th, math.pi / 2)
    assert float(l_in) == pytest.approx(5.0 / math.cos(th), rel=1e-14)
    assert float(l_out) == pytest.approx(80.0 / math.sin(th), rel=1e-14)
    # straight up: the line x = z = 0 is 14 m from the axis, outside the 9 m radius
    assert seg(ANUBIS, math.pi / 2, math.pi / 2) == (0.0, 0.0)
    # straight up through ABOVE_IP, whose disc contains the vertical line through the IP
    l_in, l_out = ABOVE_IP.segment(math.pi / 2, math.pi / 2)
    assert (float(l_in), float(l_out)) == (3.0, 10.0)
    # the IP inside: every ray starts at 0; along +z it leaves where z = 2 + sqrt(25 - 1)
    l_in, l_out = AROUND_IP.segment(0.0, 0.0)
    assert float(l_in) == 0.0
    assert float(l_out) == pytest.approx(2.0 + math.sqrt(24.0), rel=1e-14)
    # a ray in the plane of a cap that contains the IP misses (open volume)
    assert seg(CAP_AT_IP, math.atan2(1.0, 6.0), 0.0) == (0.0, 0.0)
    # below the shaft, downward, backward: misses
    assert seg(ANUBIS, 0.9, -math.pi / 2) == (0.0, 0.0)
    assert seg(ANUBIS, math.pi - 0.9, math.pi / 2) == (0.0, 0.0)


def test_segment_broadcasts() -> None:
    theta = np.array([[1.0], [1.1], [1.2]])
    phi = np.array([1.4, 1.5, 1.6, 1.7])
    l_in, l_out = ANUBIS.segment(theta, phi)
    assert l_in.shape == l_out.shape == (3, 4)
    one_in, one_out = ANUBIS.segment(1.1, 1.6)
    assert float(one_in) == l_in[1, 2]
    assert float(one_out) == l_out[1, 2]


@st.composite
def cylinders(draw: st.DrawFn) -> VerticalCylinder:
    coord = st.floats(-20.0, 20.0, allow_nan=False)
    # a floor or roof within rounding of the IP's plane (|y| ~ 1e-308) lets rays along the beam
    # (theta = 0, pi; y = t sin(theta) sin(phi) ~ 1e-16 t) count as inside by rounding alone
    y0 = draw(coord.filter(lambda v: abs(v) > 1e-3))
    y1 = y0 + draw(st.floats(0.2, 30.0))
    assume(abs(y1) > 1e-3)
    return VerticalCylinder(draw(st.floats(0.2, 10.0)), draw(coord), draw(coord), y0, y1)


@settings(max_examples=150, deadline=None)
@given(shape=cylinders(), theta=st.floats(0.0, math.pi), phi=st.floats(-math.pi, math.pi))
def test_segment_invariants(shape: VerticalCylinder, theta: float, phi: float) -> None:
    """0 <= l_in < l_out on a hit, (0, 0) otherwise; a hit lies in the polar window and the
    midpoint of its segment is inside the volume."""
    l_in, l_out = (float(v) for v in shape.segment(theta, phi))
    assert math.isfinite(l_in)
    assert math.isfinite(l_out)
    if l_out > l_in:
        assert l_in >= 0.0
        lo, hi = shape.polar_window()
        assert lo - 1e-9 <= theta <= hi + 1e-9
        if l_out - l_in > 1e-9 * far_distance(shape):  # not a rounding sliver at the IP
            mid = 0.5 * (l_in + l_out) * directions(np.array(theta), np.array(phi))
            assert bool(inside(shape, mid))
    else:
        assert l_in == l_out == 0.0


# ---------------------------------------------------------------------------------------------
# polar window


@pytest.mark.parametrize("shape", ALL, ids=repr)
def test_polar_window_is_tight(shape: VerticalCylinder) -> None:
    """Sampled points of the volume (and of its rim circles) lie in the window and reach its
    edges; rays just outside the window miss at every azimuth."""
    rng = np.random.default_rng(7)
    lo, hi = shape.polar_window()
    pts = sample_points(shape, rng, 200_000)
    th = np.arctan2(np.hypot(pts[:, 0], pts[:, 1]), pts[:, 2])
    assert np.all(th >= lo - 1e-12)
    assert np.all(th <= hi + 1e-12)
    # the extremes sit on the boundary: sample the two rims and the y = 0 circle densely
    a = np.linspace(0.0, 2 * math.pi, 200_001)
    rims = [
        np.arctan2(
            np.hypot(shape.x_center + shape.radius * np.cos(a), y),
            shape.z_center + shape.radius * np.sin(a),
        )
        for y in (shape.y_min, shape.y_max, *((0.0,) if shape.y_min < 0 < shape.y_max else ()))
    ]
    edge = np.concatenate(rims)
    assert min(edge.min(), lo) == pytest.approx(lo, abs=1e-9) or lo == 0.0
    assert max(edge.max(), hi) == pytest.approx(hi, abs=1e-9) or hi == math.pi
    assert edge.min() >= lo - 1e-12
    assert edge.max() <= hi + 1e-12
    eps = 1e-6
    ph = np.linspace(-math.pi, math.pi, 20_001)
    for t in (lo - eps, hi + eps):
        if 0.0 <= t <= math.pi:
            l_in, l_out = shape.segment(t, ph)
            assert not np.any(l_out > l_in)
            assert shape.hit_fraction(np.array([t]))[0] == 0.0


def test_polar_window_published_geometry() -> None:
    # ANUBIS: the nearest edge is (0, 24, 23), the farthest (0, 80, 5)
    assert ANUBIS.polar_window() == pytest.approx(
        (math.atan2(24.0, 23.0), math.atan2(80.0, 5.0)), abs=1e-12
    )
    assert ON_AXIS.polar_window()[0] == 0.0
    assert AROUND_IP.polar_window() == (0.0, math.pi)
    # the IP on the surface (here on the bottom cap and on the wall): every polar angle
    assert VerticalCylinder(1.0, 1.0, 0.0, 0.0, 1.0).polar_window() == (0.0, math.pi)


# ---------------------------------------------------------------------------------------------
# azimuthal quadrature


def scan_average(
    shape: VerticalCylinder, theta: float, lambdas: np.ndarray, n_phi: int
) -> tuple[np.ndarray, float]:
    """Midpoint-rule phi average of e^(-l_in/lam) - e^(-l_out/lam), and the hit fraction."""
    ph = -math.pi + (np.arange(n_phi) + 0.5) * (2 * math.pi / n_phi)
    l_in, l_out = shape.segment(theta, ph)
    hit = l_out > l_in
    a, b = l_in[hit][None, :], l_out[hit][None, :]
    f = np.exp(-a / lambdas[:, None]) * -np.expm1(-(b - a) / lambdas[:, None])
    return f.sum(axis=1) / n_phi, float(hit.mean())


def quad_average(
    shape: VerticalCylinder, theta: np.ndarray, lambdas: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    nodes = shape.azimuthal_nodes(theta, n)
    f = np.exp(-nodes.l_in[:, None, :] / lambdas[None, :, None]) * -np.expm1(
        -(nodes.l_out - nodes.l_in)[:, None, :] / lambdas[None, :, None]
    )
    return np.sum(nodes.weight[:, None, :] * f, axis=2), nodes.weight.sum(axis=1)


@pytest.mark.parametrize("shape", ALL, ids=repr)
def test_quadrature_matches_fine_phi_scan(shape: VerticalCylinder) -> None:
    """Decay lengths from 1/10 to 100 times the distance of the volume; 2^21 scan points."""
    lo, hi = shape.polar_window()
    thetas = lo + (hi - lo) * np.array([0.013, 0.2, 0.37, 0.5, 0.61, 0.83, 0.97])
    scale = 0.5 * far_distance(shape)
    lambdas = scale * np.array([0.1, 1.0, 10.0, 100.0])
    quad16, frac16 = quad_average(shape, thetas, lambdas, 16)
    quad4, _ = quad_average(shape, thetas, lambdas, 4)
    for i, th in enumerate(thetas):
        ref, ref_fraction = scan_average(shape, float(th), lambdas, 2**21)
        assert ref_fraction > 0.0
        np.testing.assert_allclose(quad16[i], ref, rtol=1e-6, atol=0.0)
        np.testing.assert_allclose(quad4[i], ref, rtol=3e-3, atol=0.0)
        assert frac16[i] == pytest.approx(ref_fraction, abs=4 / 2**21)
        assert shape.hit_fraction(np.array([th]))[0] == pytest.approx(frac16[i], abs=1e-14)


def test_anubis_default_rule_is_good_to_a_few_1e4() -> None:
    """The meson source uses 4 nodes per piece (SourceOptions.n_azimuth): for the shaft the
    average of the decay probability is good to 5e-4 at every polar angle of the window."""
    lo, hi = ANUBIS.polar_window()
    thetas = np.linspace(lo, hi, 41)[1:-1]
    lambdas = np.array([5.0, 50.0, 500.0, 5e4])
    quad4, _ = quad_average(ANUBIS, thetas, lambdas, 4)
    quad32, _ = quad_average(ANUBIS, thetas, lambdas, 32)
    np.testing.assert_allclose(quad4, quad32, rtol=5e-4, atol=0.0)


@pytest.mark.parametrize("shape", ALL, ids=repr)
def test_nodes_are_on_the_segment(shape: VerticalCylinder) -> None:
    lo, hi = shape.polar_window()
    th = np.linspace(lo, hi, 25)
    nodes = shape.azimuthal_nodes(th, 6)
    assert nodes.phi.shape == nodes.weight.shape == nodes.l_in.shape == (25, nodes.phi.shape[1])
    assert nodes.phi.shape[1] % 6 == 0
    assert np.all(nodes.weight >= 0.0)
    assert np.all((nodes.phi >= -math.pi) & (nodes.phi < math.pi))
    used = nodes.weight > 0.0
    l_in, l_out = shape.segment(np.broadcast_to(th[:, None], nodes.phi.shape), nodes.phi)
    np.testing.assert_allclose(nodes.l_in[used], l_in[used], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(nodes.l_out[used], l_out[used], rtol=1e-12, atol=1e-12)
    assert np.all(nodes.l_out[used] > nodes.l_in[used])
    assert np.all(nodes.l_in[~used] == 0.0)
    assert np.all(nodes.l_out[~used] == 0.0)
    # (at the window edges a sliver of 1e-8 rad may lose a node to rounding in segment())
    np.testing.assert_allclose(nodes.weight.sum(axis=1), shape.hit_fraction(th), atol=1e-8)


def test_nodes_without_hits_and_empty_input() -> None:
    nodes = ANUBIS.azimuthal_nodes(np.array([0.1, 3.0]), 4)
    assert nodes.weight.shape == (2, 8)
    assert np.all(nodes.weight == 0.0)
    assert np.all(nodes.l_out == 0.0)
    empty = ANUBIS.azimuthal_nodes(np.zeros(0), 4)
    assert empty.weight.shape == (0, 8)
    assert ANUBIS.hit_fraction(np.zeros(0)).shape == (0,)


def test_azimuthal_nodes_type_is_the_shared_one() -> None:
    nodes = ANUBIS.azimuthal_nodes(np.array([1.0]), 4)
    assert isinstance(nodes, detectors.AzimuthalNodes)


# ---------------------------------------------------------------------------------------------
# volume and solid angle


@pytest.mark.parametrize("shape", [ANUBIS, STRADDLE, BACKWARD, ABOVE_IP], ids=repr)
def test_volume_from_the_segments(shape: VerticalCylinder) -> None:
    """integral dOmega (l_out^3 - l_in^3) / 3 = pi R^2 (y_max - y_min): the segments and the
    azimuthal quadrature reproduce the volume (polar angles by adaptive quadrature)."""
    lo, hi = shape.polar_window()

    def per_theta(th: float) -> float:
        nodes = shape.azimuthal_nodes(np.array([th]), 16)
        cube = (nodes.l_out**3 - nodes.l_in**3) / 3.0
        return 2 * math.pi * math.sin(th) * float(np.sum(nodes.weight * cube))

    cuts = np.linspace(lo, hi, 9)
    total = sum(
        integrate.quad(per_theta, a, b, limit=200, epsrel=1e-9)[0]
        for a, b in itertools.pairwise(cuts)
    )
    volume = math.pi * shape.radius**2 * (shape.y_max - shape.y_min)
    assert total == pytest.approx(volume, rel=2e-6)


def test_volume_monte_carlo() -> None:
    """Points uniform in the bounding box: the fraction inside is pi/4 (disc in its square)."""
    rng = np.random.default_rng(1909)
    c = ANUBIS
    n = 1_000_000
    lo = np.array([c.x_center - c.radius, c.y_min, c.z_center - c.radius])
    hi = np.array([c.x_center + c.radius, c.y_max, c.z_center + c.radius])
    p = float(np.mean(inside(c, rng.uniform(lo, hi, (n, 3)))))
    assert p == pytest.approx(math.pi / 4, abs=4 * math.sqrt(p * (1 - p) / n))


@pytest.mark.parametrize("shape", ALL, ids=repr)
def test_solid_angle_monte_carlo(shape: VerticalCylinder) -> None:
    """Isotropic directions (numpy Generator, fixed seed) in a polar band around the window:
    the fraction that hits, via the segments."""
    lo, hi = shape.polar_window()
    c_lo, c_hi = math.cos(min(hi + 0.05, math.pi)), math.cos(max(lo - 0.05, 0.0))
    rng = np.random.default_rng(2001)
    n = 1_000_000
    th = np.arccos(rng.uniform(c_lo, c_hi, n))
    l_in, l_out = shape.segment(th, rng.uniform(-math.pi, math.pi, n))
    p = float(np.mean(l_out > l_in))
    band = 0.5 * (c_hi - c_lo)
    sigma = band * math.sqrt(max(p * (1 - p), 1e-12) / n)
    assert shape.solid_angle_fraction() == pytest.approx(band * p, abs=4 * sigma + 1e-12)


@pytest.mark.parametrize("shape", [ANUBIS, ON_AXIS, CAP_AT_IP], ids=repr)
def test_solid_angle_is_integral_of_the_hit_fraction(shape: VerticalCylinder) -> None:
    lo, hi = shape.polar_window()
    n = 200_000
    th = lo + (np.arange(n) + 0.5) * ((hi - lo) / n)
    ref = 0.5 * float(np.sum(np.sin(th) * shape.hit_fraction(th))) * (hi - lo) / n
    assert shape.solid_angle_fraction() == pytest.approx(ref, rel=1e-7)


def test_solid_angle_exact_values() -> None:
    # a cylinder right above the IP, its axis through it: the cone onto the bottom disc
    above = VerticalCylinder(3.0, 0.0, 0.0, 4.0, 10.0)
    assert above.solid_angle_fraction() == pytest.approx(0.5 * (1.0 - 4.0 / 5.0), rel=1e-9)
    assert AROUND_IP.solid_angle_fraction() == 1.0


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: VerticalCylinder(0.0, 0.0, 14.0, 24.0, 80.0), "radius"),
        (lambda: VerticalCylinder(-9.0, 0.0, 14.0, 24.0, 80.0), "radius"),
        (lambda: VerticalCylinder(9.0, 0.0, 14.0, 80.0, 24.0), "y_min"),
        (lambda: VerticalCylinder(9.0, 0.0, 14.0, 24.0, 24.0), "y_min"),
        (lambda: VerticalCylinder(float("nan"), 0.0, 14.0, 24.0, 80.0), "radius"),
        (lambda: VerticalCylinder(9.0, float("inf"), 14.0, 24.0, 80.0), "x_center"),
        (lambda: VerticalCylinder(9.0, 0.0, "14", 24.0, 80.0), "z_center"),  # type: ignore[arg-type]
        (lambda: VerticalCylinder(9.0, 0.0, 14.0, True, 80.0), "y_min"),
    ],
)
def test_bad_shapes_raise_one_line_errors(make: object, field: str) -> None:
    with pytest.raises(ValueError, match=field) as info:
        make()  # type: ignore[operator]
    assert "\n" not in str(info.value)


def test_fields_are_floats_frozen_and_hashable() -> None:
    shape = VerticalCylinder(9, 0, 14, 24, 80)
    assert isinstance(shape.radius, float)
    assert shape == ANUBIS
    assert hash(shape) == hash(ANUBIS)  # the meson source caches the detector grid on it
    assert not shape.azimuthally_symmetric
    with pytest.raises(AttributeError):
        shape.radius = 2.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda: ANUBIS.segment(-0.1, 0.0), "theta"),
        (lambda: ANUBIS.segment(np.array([0.1, 3.5]), 0.0), "theta"),
        (lambda: ANUBIS.segment(1.0, float("nan")), "phi"),
        (lambda: ANUBIS.azimuthal_nodes(np.zeros((2, 2)), 4), "theta"),
        (lambda: ANUBIS.azimuthal_nodes(np.array([4.0]), 4), "theta"),
        (lambda: ANUBIS.azimuthal_nodes(np.array([1.0]), 0), "n"),
        (lambda: ANUBIS.azimuthal_nodes(np.array([1.0]), 2.5), "n"),  # type: ignore[arg-type]
        (lambda: ANUBIS.azimuthal_nodes(np.array([1.0]), True), "n"),
        (lambda: ANUBIS.hit_fraction(np.zeros((2, 2))), "theta"),
    ],
)
def test_bad_angles_raise_one_line_errors(call: object, word: str) -> None:
    with pytest.raises(ValueError, match=word) as info:
        call()  # type: ignore[operator]
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------------------------------------
# integration with the shared quadrature (pending)


def test_shared_azimuthal_nodes_dispatch_to_the_shape() -> None:
    th = np.linspace(*ANUBIS.polar_window(), 9)[1:-1]
    shared = detectors.azimuthal_nodes(ANUBIS, th, 4)
    own = ANUBIS.azimuthal_nodes(th, 4)
    np.testing.assert_allclose(shared.weight.sum(axis=1), own.weight.sum(axis=1), rtol=1e-12)
