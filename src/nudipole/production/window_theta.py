"""The theta* rule of a W/Z part seen by a detector under a small polar window (FASER-2,
FACET): per parent, Gauss-Legendre nodes on the theta* intervals whose N can reach the
window, instead of one fixed rule on [0, pi] shared by every parent.

Why. For a parent at polar angle theta_P, an N at lab angle alpha from the parent's direction
can reach the polar window [theta_lo, theta_hi] only if its cone about the parent meets it:
max(0, theta_P - theta_hi, theta_lo - theta_P) < alpha < theta_P + theta_hi. Under a window of
a few mrad that is a narrow band of alpha, hence of theta*, different for every parent; a
fixed rule in theta* samples each parent's band with whichever of its nodes fall inside, and
the count then jumps with the number of nodes (FASER-2's W/Z lower edges moved by up to 3 %
between 24, 32 and 48 nodes; docs/lhc-wz.md). Here each band gets its own nodes.

The map. In the parent frame the N has momentum p* = sqrt(E*^2 - m_N^2) (beta* = p*/E*) at
theta* to the parent's direction; in the lab (parent velocity beta, gamma)
tan alpha = beta* sin theta* / (gamma (beta* cos theta* + beta)) (the aberration of a massive
particle; e.g. Hagedorn, Relativistic Kinematics, ch. 7). For beta < beta* alpha rises from 0
to pi with theta*; for beta >= beta* it rises to alpha_max, tan alpha_max = beta* / (gamma
sqrt(beta^2 - beta*^2)) at cos theta* = -beta*/beta, and falls back to 0, so a band of alpha
has two preimages. Given alpha, cos theta* solves
(S^2 gamma^2 + C^2) beta*^2 c^2 + 2 S^2 gamma^2 beta* beta c + S^2 gamma^2 beta^2
- C^2 beta*^2 = 0 (S = sin alpha, C = cos alpha; the square of the relation), the root on the
branch asked for being the one whose alpha (recomputed) is alpha.

The rule. The band of alpha is split where the part of the cone inside the window changes
form (alpha = |theta_P - theta_lo|, |theta_P - theta_hi|, theta_P + theta_lo,
theta_P + theta_hi: the cone starts or stops crossing an edge of the window; there the
accepted phi* fraction has a square-root edge), each piece is mapped to theta*, and each
theta* interval [t1, t2] gets ``n`` Gauss-Legendre nodes in u on [-pi/2, pi/2] with
theta* = (t1 + t2)/2 + (t2 - t1)/2 sin u, which makes the square-root edges at both ends
smooth. The node weight is w_GL (pi/2) (t2 - t1)/2 cos u x sin theta* (the measure
d cos theta*) x the density of cos theta* x the E* weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nudipole.physics._types import FloatArray
from nudipole.production import boson_channels
from nudipole.production.angular_rules import gauss_legendre

IntArray = np.ndarray


@dataclass(frozen=True)
class WindowThetaRule:
    """The per-parent theta* rule of one W/Z part at one mass (module docstring): ``n``
    Gauss-Legendre nodes per theta* interval, the density of cos theta* of ``part`` for N of
    mass ``m_n`` (GeV) and ``flavour`` in the boson ``polarisation``
    (:func:`nudipole.production.boson_channels.cos_density`)."""

    part: str
    m_n: float
    flavour: str
    polarisation: str
    n: int

    def density(self, c: FloatArray) -> FloatArray:
        """Density of cos theta* (normalised to 1 on [-1, 1])."""
        return boson_channels.cos_density(self.part, c, self.m_n, self.flavour, self.polarisation)


def window_nodes(
    key: FloatArray,
    beta: FloatArray,
    gamma: FloatArray,
    e_star: FloatArray,
    e_weight: FloatArray,
    m_n: float,
    window: tuple[float, float],
    rule: WindowThetaRule,
    key_stride: float,
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """(parent, weight, N momentum GeV, cos(alpha/2), sin(alpha/2), sin(alpha)) of every node
    of the rule for the parents of a table (``key`` = stride x group + theta_P, groups of
    velocity ``beta``, ``gamma``) and the E* nodes (GeV, weights GeV^2 per d^2); the weight
    includes the density of cos theta*."""
    # numba is imported here, not with the package (start-up)
    from nudipole.production._window_kernel import window_nodes_kernel

    x, w = gauss_legendre(rule.n)
    parent, cos_s, weight, mom, cos_h, sin_h, sin_a = window_nodes_kernel(
        np.asarray(key, dtype=float),
        np.asarray(beta, dtype=float),
        np.asarray(gamma, dtype=float),
        np.asarray(e_star, dtype=float),
        np.asarray(e_weight, dtype=float),
        float(m_n),
        float(window[0]),
        float(window[1]),
        x,
        w,
        float(key_stride),
    )
    return parent, weight * rule.density(cos_s), mom, cos_h, sin_h, sin_a
