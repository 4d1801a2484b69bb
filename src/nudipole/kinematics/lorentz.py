"""Lorentz boosts and invariants for four-vectors as arrays ``(..., 4) = (E, px, py, pz)``."""

from __future__ import annotations

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray


def minkowski_square(p: ArrayLike) -> FloatArray:
    """p^2 = E^2 - |p|^2 for arrays of shape (..., 4)."""
    q = np.asarray(p, dtype=float)
    return np.asarray(q[..., 0] ** 2 - np.sum(q[..., 1:] ** 2, axis=-1))


def boost(p: ArrayLike, beta: ArrayLike) -> FloatArray:
    """Boost four-vectors ``p`` (..., 4) by velocity ``beta`` (..., 3), |beta| < 1.

    Active boost: a particle at rest in the original frame acquires velocity ``beta``. The
    standard formula E' = gamma (E + beta.p), p' = p + [(gamma - 1)(beta.p)/beta^2 + gamma E] beta
    (e.g. Jackson, Classical Electrodynamics, Eq. 11.19 with beta -> -beta).
    """
    q = np.asarray(p, dtype=float)
    b = np.asarray(beta, dtype=float)
    b2 = np.sum(b**2, axis=-1)
    if np.any(b2 >= 1.0):
        raise ValueError("boost velocity must satisfy |beta| < 1")
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(b * q[..., 1:], axis=-1)
    # (gamma - 1)/beta^2 = gamma^2/(gamma + 1): finite as beta -> 0.
    coef = gamma**2 / (gamma + 1.0) * bp + gamma * q[..., 0]
    out = np.empty(np.broadcast_shapes(q.shape, (*b.shape[:-1], 4)))
    out[..., 0] = gamma * (q[..., 0] + bp)
    out[..., 1:] = q[..., 1:] + coef[..., None] * b
    return out


def boost_z(energy: ArrayLike, pz: ArrayLike, beta: float) -> tuple[FloatArray, FloatArray]:
    """Boost (E, p_z) along z with velocity ``beta``: the CM -> lab step of a collider."""
    gamma = 1.0 / np.sqrt(1.0 - beta**2)
    e = np.asarray(energy, dtype=float)
    z = np.asarray(pz, dtype=float)
    return np.asarray(gamma * (e + beta * z)), np.asarray(gamma * (z + beta * e))


def massless_cos_to_other_frame(cos_theta: ArrayLike, beta: float) -> FloatArray:
    """Polar-angle cosine of a massless particle after a boost ``beta`` along z.

    cos' = (cos + beta) / (1 + beta cos) (aberration formula).
    """
    c = np.asarray(cos_theta, dtype=float)
    return np.asarray((c + beta) / (1.0 + beta * c))


def beams_boost(e_minus: float, e_plus: float) -> float:
    """Velocity of the CM frame in the lab for e- (+z) and e+ (-z) beams of massless electrons.

    beta = (E_- - E_+) / (E_- + E_+); e.g. Belle II 7 GeV on 4 GeV: beta = 3/11.
    """
    if e_minus <= 0.0 or e_plus <= 0.0:
        raise ValueError("beam energies must be positive")
    return (e_minus - e_plus) / (e_minus + e_plus)
