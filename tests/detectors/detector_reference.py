"""Far-detector shapes for the tests of nudipole.detectors, and an independent brute force.

Test infrastructure only: the published detectors (PHYSICS.md §10: FASER-2, FACET, MAPP-2, from
the talk) and boxes that exercise the azimuthal break points; point-in-volume tests and ray
marching written from the definitions of the volumes (not from the modules); a hypothesis
strategy of random volumes.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from nudipole.detectors import BeamAxisAnnulus, BeamAxisCylinder, Box, CentralCylinder, Shape

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
# random volumes


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
