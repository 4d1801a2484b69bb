"""Decay-vertex geometry: path length of N inside a cylindrical fiducial volume.

The lab-frame decay model (PHYSICS.md §4, the "better model"): N leaves the interaction
point along its lab direction and must decay inside a cylinder of radius R coaxial with the
beams, between z_min < 0 < z_max, for its photon to be seen. The probability is
1 - exp(-L / l_dec) with L the path length to the cylinder surface and l_dec = p_lab/(m Gamma).
"""

from __future__ import annotations

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray


def path_length_in_cylinder(
    cos_theta: ArrayLike, radius: float, z_min: float, z_max: float
) -> FloatArray:
    """Distance from the origin to the surface of the cylinder along polar cosine ``cos_theta``.

    Lengths in any one unit. Requires radius > 0 and z_min < 0 < z_max.
    """
    if radius <= 0.0 or not z_min < 0.0 < z_max:
        raise ValueError("cylinder needs radius > 0 and z_min < 0 < z_max")
    c = np.asarray(cos_theta, dtype=float)
    sin_t = np.sqrt(np.clip(1.0 - c**2, 0.0, None))
    # (a subnormal cosine overflows to inf: the path then ends on the barrel, as it should)
    with np.errstate(divide="ignore", over="ignore"):
        radial = np.where(sin_t > 0.0, radius / np.where(sin_t > 0.0, sin_t, 1.0), np.inf)
        end = np.where(c > 0.0, z_max / np.where(c > 0.0, c, 1.0), np.inf)
        end = np.where(c < 0.0, z_min / np.where(c < 0.0, c, 1.0), end)
    return np.asarray(np.minimum(radial, end))


def sample_decay_distance(
    rng: np.random.Generator, mean_decay_length: ArrayLike, size: int | None = None
) -> FloatArray:
    """Decay distances from the exponential law with the given mean (same unit as the mean)."""
    return np.asarray(rng.exponential(np.asarray(mean_decay_length, dtype=float), size=size))


def decay_positions(
    rng: np.random.Generator, cos_theta: ArrayLike, mean_decay_length: ArrayLike
) -> FloatArray:
    """Decay vertices (r_T, z) for N flying at polar cosine ``cos_theta`` from the origin."""
    c = np.asarray(cos_theta, dtype=float)
    dist = sample_decay_distance(rng, np.broadcast_to(mean_decay_length, c.shape))
    sin_t = np.sqrt(np.clip(1.0 - c**2, 0.0, None))
    return np.stack([dist * sin_t, dist * c], axis=-1)
