"""Reference kinematics and |M|^2 (explicit Dirac matrices) for HNL production in meson decays.

Test infrastructure only; it does not import ``nudipole``. Matrix elements are built from
explicit 4x4 gamma matrices (``dirac_algebra``), an explicit Levi-Civita tensor and explicit
photon polarisation vectors; three-body widths come from a flat Monte Carlo over the Dalitz plot
in (m12^2, m23^2) (PDG kinematics review, dGamma = |M|^2 dm12^2 dm23^2 / (256 pi^3 M^3)), which
does not use the talk's (q^2, cos theta) phase-space factor. Used by tests/physics/test_meson_*.py
to check :mod:`nudipole.physics.mesons`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from dirac_algebra import GAMMA, GAMMA5, METRIC

ALPHA = 1.0 / 137.035999
G_F = 1.1663788e-5  # GeV^-2, explicit for the trace checks
EYE = np.eye(4)
P_LEFT = 0.5 * (EYE - GAMMA5)
P_RIGHT = 0.5 * (EYE + GAMMA5)
#: SIGMA[mu, nu] = (i/2)[gamma^mu, gamma^nu]
SIGMA = 0.5j * (np.einsum("mab,nbc->mnac", GAMMA, GAMMA) - np.einsum("nab,mbc->mnac", GAMMA, GAMMA))


def levi_civita() -> np.ndarray:
    """eps^{0123} = +1, fully antisymmetric (the overall sign drops out of |M|^2)."""
    eps = np.zeros((4, 4, 4, 4))
    for perm in itertools.permutations(range(4)):
        inversions = sum(perm[i] > perm[j] for i in range(4) for j in range(i + 1, 4))
        eps[perm] = (-1.0) ** inversions
    return eps


LEVI = levi_civita()


# --------------------------------------------------------------------- explicit kinematics


def low(p: np.ndarray) -> np.ndarray:
    return np.asarray(p) @ METRIC


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("...m,...m->...", low(a), b)


def slash(p: np.ndarray) -> np.ndarray:
    return np.einsum("...m,mab->...ab", low(p), GAMMA)


def bar(x: np.ndarray) -> np.ndarray:
    return GAMMA[0] @ np.conj(np.swapaxes(x, -1, -2)) @ GAMMA[0]


def trace(x: np.ndarray) -> np.ndarray:
    return np.einsum("...aa->...", x)


def boost(p: np.ndarray, velocity: np.ndarray) -> np.ndarray:
    """Boost four-vectors p[..., 4] by the velocity 3-vector (rest frame -> moving frame)."""
    b2 = np.sum(velocity**2, axis=-1, keepdims=True)
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(velocity * p[..., 1:], axis=-1, keepdims=True)
    energy = gamma * (p[..., :1] + bp)
    coef = np.where(b2 > 0.0, (gamma - 1.0) * bp / np.where(b2 > 0.0, b2, 1.0), 0.0)
    vec = p[..., 1:] + (coef + gamma * p[..., :1]) * velocity
    return np.concatenate([energy, vec], axis=-1)


def random_rotations(rng: np.random.Generator, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(n, 3, 3)))
    q = q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[:, None, :]
    return q


def dalitz_momenta(
    big_m: float,
    masses: tuple[float, float, float],
    m12sq: np.ndarray,
    m23sq: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parent-frame four-momenta of particles 1, 2, 3 from Dalitz invariants, randomly rotated,
    and a mask of points inside the Dalitz region (outside points are filled with dummies)."""
    m1, m2, m3 = masses
    m13sq = big_m**2 + m1**2 + m2**2 + m3**2 - m12sq - m23sq
    e1 = (big_m**2 + m1**2 - m23sq) / (2.0 * big_m)
    e3 = (big_m**2 + m3**2 - m12sq) / (2.0 * big_m)
    p1 = np.sqrt(np.maximum(e1**2 - m1**2, 0.0))
    p3 = np.sqrt(np.maximum(e3**2 - m3**2, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        cos13 = (2.0 * e1 * e3 + m1**2 + m3**2 - m13sq) / (2.0 * p1 * p3)
    inside = (e1 > m1) & (e3 > m3) & (big_m - e1 - e3 > m2) & (np.abs(cos13) < 1.0)
    cos13 = np.where(inside, cos13, 0.5)
    sin13 = np.sqrt(1.0 - cos13**2)
    n = m12sq.size
    zeros = np.zeros(n)
    v3 = np.stack([zeros, zeros, p3], axis=-1)
    v1 = np.stack([p1 * sin13, zeros, p1 * cos13], axis=-1)
    rot = random_rotations(rng, n)
    v1 = np.einsum("nij,nj->ni", rot, v1)
    v3 = np.einsum("nij,nj->ni", rot, v3)
    v2 = -v1 - v3
    k1 = np.concatenate([e1[:, None], v1], axis=-1)
    k3 = np.concatenate([e3[:, None], v3], axis=-1)
    e2 = np.sqrt(m2**2 + np.sum(v2**2, axis=-1))
    k2 = np.concatenate([e2[:, None], v2], axis=-1)
    return k1, k2, k3, inside


def photon_polarisations(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two real transverse polarisation four-vectors (0, e) with e . k = 0, batch [..., 4]."""
    n = k[..., 1:] / np.linalg.norm(k[..., 1:], axis=-1, keepdims=True)
    helper = np.where(np.abs(n[..., :1]) < 0.9, [1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    e1 = np.cross(n, helper)
    e1 /= np.linalg.norm(e1, axis=-1, keepdims=True)
    e2 = np.cross(n, e1)
    zero = np.zeros((*k.shape[:-1], 1))
    return np.concatenate([zero, e1], axis=-1), np.concatenate([zero, e2], axis=-1)


def angle_in_rest_frame(p_n: np.ndarray, q: np.ndarray) -> np.ndarray:
    """cos of the angle of p_n in the q rest frame to the q flight direction (parent frame)."""
    q_dir = q[..., 1:] / np.linalg.norm(q[..., 1:], axis=-1, keepdims=True)
    rest = boost(p_n, -q[..., 1:] / q[..., :1])
    return np.sum(rest[..., 1:] * q_dir, axis=-1) / np.linalg.norm(rest[..., 1:], axis=-1)


def decay_at_rest(
    q: np.ndarray, q2: np.ndarray, m_n: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """q -> N (mass m_n) + a massless partner, isotropic in the q rest frame (q^2 = ``q2``),
    boosted with q: (N, partner, cos theta of N in the q rest frame to the q flight direction),
    batches [n, 4]."""
    n = q.shape[0]
    dec = rng.normal(size=(n, 3))
    dec /= np.linalg.norm(dec, axis=-1, keepdims=True)
    p_star = (q2 - m_n**2) / (2 * np.sqrt(q2))
    p_n_rest = np.concatenate([np.sqrt(p_star**2 + m_n**2)[:, None], p_star[:, None] * dec], -1)
    partner_rest = np.concatenate([p_star[:, None], -p_star[:, None] * dec], -1)
    velocity = q[:, 1:] / q[:, :1]
    p_n = boost(p_n_rest, velocity)
    return p_n, boost(partner_rest, velocity), angle_in_rest_frame(p_n, q)


# --------------------------------------------------------------------- explicit |M|^2


def sigma_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sigma^{mu nu} a_mu b_nu for batches of four-vectors (upper indices), [..., 4, 4]."""
    return np.einsum("mnab,...m,...n->...ab", SIGMA, low(a), low(b))


def msq_neutral_trace(
    k: np.ndarray, p_nu: np.ndarray, p_n: np.ndarray, m_n: float, g: float, d: float
) -> np.ndarray:
    """sum |M|^2 of P0 -> gamma(k) nu Nbar: g eps^{mu nu a b} eps*_mu k_a q_b (1/q^2) J_nu with
    J_nu = 2 d ubar(nu) P_R sigma_{l nu} q^l v(Nbar), traces over spins, explicit pol. vectors."""
    q = p_nu + p_n
    q2 = dot(q, q)
    total = np.zeros(k.shape[:-1])
    for eps in photon_polarisations(k):
        e_vec = np.einsum("mnab,...m,...a,...b->...n", LEVI, low(eps), low(k), low(q))
        current = P_RIGHT @ sigma_dot(q, e_vec)
        amp = slash(p_nu) @ current @ (slash(p_n) - m_n * EYE) @ bar(current)
        total += trace(amp).real
    return (g * 2.0 * d / q2) ** 2 * total


def msq_charged_trace(
    p_l: np.ndarray,
    k: np.ndarray,
    p_n: np.ndarray,
    m_l: float,
    m_n: float,
    f_p: float,
    v: float,
    d: float,
) -> np.ndarray:
    """sum |M|^2 of P-(p) -> l-(p_l) gamma(k) Nbar(p_n) with W exchange and the dipole on the
    nubar line: (G_F/sqrt2) V f_P (2d/q^2) ubar(l) p-slash (1 - g5) q-slash P_R sigma^{ab} k_a
    eps*_b v(Nbar), without using the simplification of the module docstring."""
    q = p_n + k
    p = p_l + q
    q2 = dot(q, q)
    total = np.zeros(k.shape[:-1])
    for eps in photon_polarisations(k):
        chain = slash(p) @ (EYE - GAMMA5) @ slash(q) @ P_RIGHT @ sigma_dot(k, eps)
        amp = (slash(p_l) + m_l * EYE) @ chain @ (slash(p_n) - m_n * EYE) @ bar(chain)
        total += trace(amp).real
    return (G_F / math.sqrt(2.0) * v * f_p * 2.0 * d / q2) ** 2 * total


def dalitz_mc(
    big_m: float,
    masses: tuple[float, float, float],
    msq: object,
    n: int,
    seed: int,
) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Width from a flat Monte Carlo over the (m12^2, m23^2) rectangle: (Gamma, its error,
    per-point weights, N energies E_2). ``msq(k1, k2, k3)`` is the explicit |M|^2."""
    rng = np.random.default_rng(seed)
    m1, m2, m3 = masses
    lo12, hi12 = (m1 + m2) ** 2, (big_m - m3) ** 2
    lo23, hi23 = (m2 + m3) ** 2, (big_m - m1) ** 2
    m12sq = rng.uniform(lo12, hi12, n)
    m23sq = rng.uniform(lo23, hi23, n)
    k1, k2, k3, inside = dalitz_momenta(big_m, masses, m12sq, m23sq, rng)
    values = np.where(inside, msq(k1, k2, k3), 0.0)  # type: ignore[operator]
    area = (hi12 - lo12) * (hi23 - lo23)
    weights = values * area / (256 * math.pi**3 * big_m**3) / n
    return float(weights.sum()), float(weights.std() * math.sqrt(n)), weights, k2[:, 0]
