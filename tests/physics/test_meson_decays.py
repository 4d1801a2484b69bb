"""Tests of nudipole.physics.meson_decays: HNL production in meson decays via the photon dipole.

Independent checks: matrix elements built from explicit 4x4 gamma matrices (``dirac_algebra``),
an explicit Levi-Civita tensor and explicit photon polarisation vectors at random phase-space
points; the vertex normalisation anchored on Gamma(N -> nu gamma) (seed Eq. 4) and
Gamma(P -> gamma gamma); widths from a Monte Carlo over the Dalitz plot in (m12^2, m23^2)
(PDG kinematics review, dGamma = |M|^2 dm12^2 dm23^2 / (256 pi^3 M^3)), which does not use the
talk's (q^2, cos theta) phase-space factor; q^2 integrals against scipy.integrate.quad.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from dirac_algebra import GAMMA, GAMMA5, METRIC
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from nudipole.physics.meson_decays import (
    charged_pseudoscalar_d2width,
    charged_pseudoscalar_dwidth_dq2,
    charged_pseudoscalar_msq,
    charged_pseudoscalar_width,
    kallen,
    max_energy,
    neutral_pseudoscalar_br,
    neutral_pseudoscalar_br_point,
    neutral_pseudoscalar_d2br,
    neutral_pseudoscalar_dbr_dq2,
    neutral_pseudoscalar_msq,
    parent_frame_energy,
    parent_frame_energy_nodes,
    parent_frame_rate_error,
    pgg_coupling,
    q2_quadrature,
    vector_br_over_br_ee,
    vector_energy,
    vector_width,
    vector_width_ee,
    vmd_form_factor_sq,
)

ALPHA = 1.0 / 137.035999
G_F = 1.1663788e-5  # GeV^-2, explicit for the trace checks
EYE = np.eye(4)
P_LEFT = 0.5 * (EYE - GAMMA5)
P_RIGHT = 0.5 * (EYE + GAMMA5)
#: SIGMA[mu, nu] = (i/2)[gamma^mu, gamma^nu]
SIGMA = 0.5j * (np.einsum("mab,nbc->mnac", GAMMA, GAMMA) - np.einsum("nab,mbc->mnac", GAMMA, GAMMA))


def _levi_civita() -> np.ndarray:
    """eps^{0123} = +1, fully antisymmetric (the overall sign drops out of |M|^2)."""
    eps = np.zeros((4, 4, 4, 4))
    for perm in itertools.permutations(range(4)):
        inversions = sum(perm[i] > perm[j] for i in range(4) for j in range(i + 1, 4))
        eps[perm] = (-1.0) ** inversions
    return eps


LEVI = _levi_civita()


# --------------------------------------------------------------------- explicit kinematics


def _low(p: np.ndarray) -> np.ndarray:
    return np.asarray(p) @ METRIC


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("...m,...m->...", _low(a), b)


def _slash(p: np.ndarray) -> np.ndarray:
    return np.einsum("...m,mab->...ab", _low(p), GAMMA)


def _bar(x: np.ndarray) -> np.ndarray:
    return GAMMA[0] @ np.conj(np.swapaxes(x, -1, -2)) @ GAMMA[0]


def _trace(x: np.ndarray) -> np.ndarray:
    return np.einsum("...aa->...", x)


def _boost(p: np.ndarray, velocity: np.ndarray) -> np.ndarray:
    """Boost four-vectors p[..., 4] by the velocity 3-vector (rest frame -> moving frame)."""
    b2 = np.sum(velocity**2, axis=-1, keepdims=True)
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(velocity * p[..., 1:], axis=-1, keepdims=True)
    energy = gamma * (p[..., :1] + bp)
    coef = np.where(b2 > 0.0, (gamma - 1.0) * bp / np.where(b2 > 0.0, b2, 1.0), 0.0)
    vec = p[..., 1:] + (coef + gamma * p[..., :1]) * velocity
    return np.concatenate([energy, vec], axis=-1)


def _random_rotations(rng: np.random.Generator, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(n, 3, 3)))
    q = q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[:, None, :]
    return q


def _dalitz_momenta(
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
    rot = _random_rotations(rng, n)
    v1 = np.einsum("nij,nj->ni", rot, v1)
    v3 = np.einsum("nij,nj->ni", rot, v3)
    v2 = -v1 - v3
    k1 = np.concatenate([e1[:, None], v1], axis=-1)
    k3 = np.concatenate([e3[:, None], v3], axis=-1)
    e2 = np.sqrt(m2**2 + np.sum(v2**2, axis=-1))
    k2 = np.concatenate([e2[:, None], v2], axis=-1)
    return k1, k2, k3, inside


def _photon_polarisations(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two real transverse polarisation four-vectors (0, e) with e . k = 0, batch [..., 4]."""
    n = k[..., 1:] / np.linalg.norm(k[..., 1:], axis=-1, keepdims=True)
    helper = np.where(np.abs(n[..., :1]) < 0.9, [1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    e1 = np.cross(n, helper)
    e1 /= np.linalg.norm(e1, axis=-1, keepdims=True)
    e2 = np.cross(n, e1)
    zero = np.zeros((*k.shape[:-1], 1))
    return np.concatenate([zero, e1], axis=-1), np.concatenate([zero, e2], axis=-1)


def _angle_in_rest_frame(p_n: np.ndarray, q: np.ndarray) -> np.ndarray:
    """cos of the angle of p_n in the q rest frame to the q flight direction (parent frame)."""
    q_dir = q[..., 1:] / np.linalg.norm(q[..., 1:], axis=-1, keepdims=True)
    rest = _boost(p_n, -q[..., 1:] / q[..., :1])
    return np.sum(rest[..., 1:] * q_dir, axis=-1) / np.linalg.norm(rest[..., 1:], axis=-1)


# --------------------------------------------------------------------- explicit |M|^2


def _sigma_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sigma^{mu nu} a_mu b_nu for batches of four-vectors (upper indices), [..., 4, 4]."""
    return np.einsum("mnab,...m,...n->...ab", SIGMA, _low(a), _low(b))


def _msq_neutral_trace(
    k: np.ndarray, p_nu: np.ndarray, p_n: np.ndarray, m_n: float, g: float, d: float
) -> np.ndarray:
    """sum |M|^2 of P0 -> gamma(k) nu Nbar: g eps^{mu nu a b} eps*_mu k_a q_b (1/q^2) J_nu with
    J_nu = 2 d ubar(nu) P_R sigma_{l nu} q^l v(Nbar), traces over spins, explicit pol. vectors."""
    q = p_nu + p_n
    q2 = _dot(q, q)
    total = np.zeros(k.shape[:-1])
    for eps in _photon_polarisations(k):
        e_vec = np.einsum("mnab,...m,...a,...b->...n", LEVI, _low(eps), _low(k), _low(q))
        current = P_RIGHT @ _sigma_dot(q, e_vec)
        amp = _slash(p_nu) @ current @ (_slash(p_n) - m_n * EYE) @ _bar(current)
        total += _trace(amp).real
    return (g * 2.0 * d / q2) ** 2 * total


def _msq_charged_trace(
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
    q2 = _dot(q, q)
    total = np.zeros(k.shape[:-1])
    for eps in _photon_polarisations(k):
        chain = _slash(p) @ (EYE - GAMMA5) @ _slash(q) @ P_RIGHT @ _sigma_dot(k, eps)
        amp = (_slash(p_l) + m_l * EYE) @ chain @ (_slash(p_n) - m_n * EYE) @ _bar(chain)
        total += _trace(amp).real
    return (G_F / math.sqrt(2.0) * v * f_p * 2.0 * d / q2) ** 2 * total


# --------------------------------------------------------------------- vertex normalisation


def test_dipole_vertex_normalisation_reproduces_seed_width() -> None:
    """The vertex 2d P_R sigma^{ab} k_a eps*_b gives Gamma(N -> nu gamma) = d^2 m^3/(4 pi)."""
    m, d = 0.7, 1.3
    k = np.array([m / 2, 0.0, 0.0, m / 2])
    p_nu = np.array([m / 2, 0.0, 0.0, -m / 2])
    p_n = np.array([m, 0.0, 0.0, 0.0])
    total = 0.0
    for eps in _photon_polarisations(k):
        vertex = 2.0 * d * P_RIGHT @ _sigma_dot(k, eps)
        total += _trace(_slash(p_nu) @ vertex @ (_slash(p_n) + m * EYE) @ _bar(vertex)).real
    width = 0.5 * total / (2.0 * m) / (8.0 * math.pi)  # spin average, 2-body phase space
    assert width == pytest.approx(d**2 * m**3 / (4.0 * math.pi), rel=1e-12)


def test_pgg_coupling_matches_two_photon_width() -> None:
    """Gamma(P -> gamma gamma) from the explicit eps-tensor amplitude equals g^2 m^3/(64 pi)."""
    m, width = 0.5479, 5.2e-7
    g = float(pgg_coupling(m, width))
    k1 = np.array([m / 2, 0.3, -0.1, 0.0])
    k1[1:] *= (m / 2) / np.linalg.norm(k1[1:])
    k2 = np.concatenate([[m / 2], -k1[1:]])
    total = 0.0
    for e1 in _photon_polarisations(k1):
        for e2 in _photon_polarisations(k2):
            amp = g * np.einsum("mnab,m,n,a,b->", LEVI, _low(e1), _low(e2), _low(k1), _low(k2))
            total += amp**2
    assert 0.5 * total / (2.0 * m) / (8.0 * math.pi) == pytest.approx(width, rel=1e-12)


# --------------------------------------------------------------------- V -> nu Nbar


@settings(max_examples=60, deadline=None)
@given(
    m_v=st.floats(0.1, 12.0),
    frac=st.floats(0.0, 0.999),
    f_v=st.floats(0.05, 1.0),
    charge=st.sampled_from([1 / math.sqrt(2), 1 / (3 * math.sqrt(2)), -1 / 3, 2 / 3]),
)
def test_vector_width_over_ee_is_the_ratio_form(
    m_v: float, frac: float, f_v: float, charge: float
) -> None:
    m_n = frac * m_v
    width = vector_width(m_v, f_v, charge, m_n, 0.3, ALPHA)
    ratio = width / vector_width_ee(m_v, f_v, charge, ALPHA)
    assert ratio == pytest.approx(float(vector_br_over_br_ee(m_v, m_n, 0.3, ALPHA)), rel=1e-12)


def test_vector_width_talk_polynomial_and_threshold() -> None:
    m_v, f_v, charge, d = 0.775, 0.22, 1 / math.sqrt(2), 2.0
    x = np.linspace(0.0, 0.99, 7)
    m_n = np.sqrt(x) * m_v
    talk = (
        f_v**2
        * m_v
        * 4
        * math.pi
        * ALPHA
        * charge**2
        * d**2
        / (12 * math.pi)
        * ((1 - x) * (1 + x - 2 * x**2))
    )
    np.testing.assert_allclose(vector_width(m_v, f_v, charge, m_n, d, ALPHA), talk, rtol=1e-12)
    assert float(vector_width(m_v, f_v, charge, m_v, d, ALPHA)) == 0.0
    assert float(vector_br_over_br_ee(m_v, 1.2 * m_v, d, ALPHA)) == 0.0
    assert float(vector_energy(m_v, 0.3)) == pytest.approx((m_v**2 + 0.09) / (2 * m_v))


def test_vector_width_matches_dirac_trace() -> None:
    """V -> gamma* -> nu Nbar: amplitude (e Q f_V m_V / m_V^2) eps_V . J, averaged over the three
    V polarisations (explicit vectors in the V rest frame)."""
    m_v, f_v, charge, m_n, d = 1.0195, 0.229, -1 / 3, 0.41, 0.8
    p_star = (m_v**2 - m_n**2) / (2 * m_v)
    n = np.array([0.3, -0.5, 0.81])
    n /= np.linalg.norm(n)
    p_nu = np.concatenate([[p_star], -p_star * n])
    p_n = np.concatenate([[math.sqrt(p_star**2 + m_n**2)], p_star * n])
    q = p_nu + p_n
    coupling = math.sqrt(4 * math.pi * ALPHA) * charge * f_v / m_v
    total = 0.0
    for i in range(3):
        eps = np.zeros(4)
        eps[i + 1] = 1.0
        current = P_RIGHT @ _sigma_dot(q, eps) * 2.0 * d * coupling
        total += _trace(_slash(p_nu) @ current @ (_slash(p_n) - m_n * EYE) @ _bar(current)).real
    width = (total / 3.0) * p_star / (8.0 * math.pi * m_v**2)
    assert width == pytest.approx(float(vector_width(m_v, f_v, charge, m_n, d, ALPHA)), rel=1e-12)


# --------------------------------------------------------------------- P0 -> gamma nu Nbar


@pytest.mark.parametrize(("m_p", "m_n"), [(0.1349768, 0.0), (0.547862, 0.12), (0.95778, 0.6)])
def test_neutral_msq_matches_dirac_trace(m_p: float, m_n: float) -> None:
    rng = np.random.default_rng(11)
    g, d = 0.025, 0.9
    n = 60
    q2 = rng.uniform(m_n**2, m_p**2, n)
    q2 = np.where(q2 > 1e-6, q2, 1e-3)
    # q = (nu Nbar) recoils against the photon; build in the q rest frame and boost.
    dirs = rng.normal(size=(n, 3))
    dirs /= np.linalg.norm(dirs, axis=-1, keepdims=True)
    p_q = (m_p**2 - q2) / (2 * m_p)
    q = np.concatenate([np.sqrt(q2 + p_q**2)[:, None], p_q[:, None] * dirs], axis=-1)
    k = np.concatenate([p_q[:, None], -p_q[:, None] * dirs], axis=-1)
    dec = rng.normal(size=(n, 3))
    dec /= np.linalg.norm(dec, axis=-1, keepdims=True)
    p_star = (q2 - m_n**2) / (2 * np.sqrt(q2))
    p_n_rest = np.concatenate([np.sqrt(p_star**2 + m_n**2)[:, None], p_star[:, None] * dec], -1)
    p_nu_rest = np.concatenate([p_star[:, None], -p_star[:, None] * dec], -1)
    velocity = q[:, 1:] / q[:, :1]
    p_n = _boost(p_n_rest, velocity)
    p_nu = _boost(p_nu_rest, velocity)
    cos_theta = _angle_in_rest_frame(p_n, q)
    explicit = _msq_neutral_trace(k, p_nu, p_n, m_n, g, d)
    analytic = neutral_pseudoscalar_msq(m_p, g, m_n, d, _dot(q, q), cos_theta)
    np.testing.assert_allclose(analytic, explicit, rtol=1e-10)


def test_neutral_point_reduces_to_closed_form() -> None:
    """c-integral of dBr/dq^2 dc = PHYSICS.md §10 dBr/dq^2; the transverse-gamma* shape."""
    m_p, br, m_n, d = 0.547862, 0.3936, 0.2, 1.0
    for q2 in (0.05, 0.12, 0.29):
        integral = integrate.quad(
            lambda c, q2=q2: float(neutral_pseudoscalar_d2br(m_p, br, m_n, d, q2, c)), -1, 1
        )[0]
        y = m_n**2 / q2
        physics_md = (
            br * d**2 / (6 * math.pi**2) * (1 - q2 / m_p**2) ** 3 * (1 - y) ** 2 * (1 + 2 * y)
        )
        assert integral == pytest.approx(physics_md, rel=1e-12)
        assert float(neutral_pseudoscalar_dbr_dq2(m_p, br, m_n, d, q2)) == pytest.approx(
            physics_md, rel=1e-13
        )
        # shape in c: (1 - c^2) q^2 + (1 + c^2) m_N^2 (the brief's expectation), verified
        c = np.array([-0.7, 0.0, 0.4, 1.0])
        shape = neutral_pseudoscalar_d2br(m_p, br, m_n, d, q2, c)
        expected = (1 - c**2) * q2 + (1 + c**2) * m_n**2
        np.testing.assert_allclose(shape / shape[1], expected / expected[1], rtol=1e-13)
    assert float(neutral_pseudoscalar_d2br(m_p, br, m_n, d, 0.01, 0.0)) == 0.0  # q^2 < m_N^2
    assert float(neutral_pseudoscalar_dbr_dq2(m_p, br, m_n, d, 0.31)) == 0.0  # q^2 > m_P^2


def test_neutral_massless_limit() -> None:
    """Br -> Br(gamma gamma) d^2 m_P^2 / (24 pi^2) at m_N -> 0 (PHYSICS.md §10)."""
    m_p, br, d = 0.1349768, 0.98823, 1.0
    limit = br * d**2 * m_p**2 / (24 * math.pi**2)
    assert float(neutral_pseudoscalar_br_point(m_p, br, 0.0, d)) == pytest.approx(limit, rel=1e-14)
    assert float(neutral_pseudoscalar_br(m_p, br, 0.0, d)) == pytest.approx(limit, rel=1e-12)
    small = float(neutral_pseudoscalar_br_point(m_p, br, 1e-4, d))
    mu = (1e-4 / m_p) ** 2  # leading correction: bracket = 1/4 - 3 mu + O(mu^2 ln mu)
    assert small == pytest.approx(limit * (1.0 - 12.0 * mu), rel=1e-9)


@pytest.mark.parametrize("frac", [0.0, 1e-3, 0.05, 0.3, 0.6, 0.75, 0.95, 0.999])
def test_neutral_point_closed_form_vs_quad(frac: float) -> None:
    m_p, br, d = 0.95778, 0.02307, 1.0
    m_n = frac * m_p
    reference = integrate.quad(
        lambda q2: float(neutral_pseudoscalar_dbr_dq2(m_p, br, m_n, d, q2)),
        m_n**2,
        m_p**2,
        points=[4.0 * m_n**2, 100.0 * m_n**2] if 0.0 < m_n < 0.1 * m_p else None,
        epsabs=0.0,
        epsrel=1e-12,
        limit=400,
    )[0]
    closed = float(neutral_pseudoscalar_br_point(m_p, br, m_n, d))
    assert closed == pytest.approx(reference, rel=1e-9)
    assert float(neutral_pseudoscalar_br(m_p, br, m_n, d)) == pytest.approx(reference, rel=1e-9)


def test_neutral_br_vectorised_and_closed() -> None:
    m_p, br = 0.547862, 0.3936
    masses = np.array([0.0, 0.01, 0.3, 0.6])
    got = neutral_pseudoscalar_br(m_p, br, masses, 2.0)
    expected = [float(neutral_pseudoscalar_br_point(m_p, br, m, 2.0)) for m in masses]
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0.0)
    assert got[-1] == 0.0


def test_neutral_vmd_form_factor_with_peak_hint_vs_quad() -> None:
    m_p, br, pole, width = 0.95778, 0.02307, 0.802, 0.113

    def ff(q2: np.ndarray) -> np.ndarray:
        return vmd_form_factor_sq(q2, pole, width)

    for m_n in (0.0, 0.01, 0.3, 0.85):
        reference = integrate.quad(
            lambda q2, m_n=m_n: float(
                neutral_pseudoscalar_dbr_dq2(m_p, br, m_n, 1.0, q2, ff(np.asarray(q2)))
            ),
            m_n**2,
            m_p**2,
            points=[pole**2] if m_n < pole else None,
            epsabs=0.0,
            epsrel=1e-12,
            limit=400,
        )[0]
        got = float(neutral_pseudoscalar_br(m_p, br, m_n, 1.0, ff, 32, (pole**2, pole * width)))
        assert got == pytest.approx(reference, rel=1e-7)


def test_vmd_form_factor_normalisation_and_slope() -> None:
    assert float(vmd_form_factor_sq(0.0, 0.8, 0.11)) == pytest.approx(1.0, rel=1e-15)
    h = 1e-6
    slope = (float(vmd_form_factor_sq(h, 0.8, 0.11)) - 1.0) / h
    assert slope == pytest.approx(2.0 / (0.8**2 + 0.11**2), rel=1e-5)
    q2 = np.array([0.0, 0.1, 0.3])
    np.testing.assert_allclose(vmd_form_factor_sq(q2, 0.73), 1 / (1 - q2 / 0.73**2) ** 2)
    with pytest.raises(ValueError, match="pole_mass"):
        vmd_form_factor_sq(0.1, -0.7)
    with pytest.raises(ValueError, match="pole_width"):
        vmd_form_factor_sq(0.1, 0.7, -0.1)


# --------------------------------------------------------------------- P- -> gamma l- Nbar

CHARGED_CASES = [
    # (m_P, f_P, |V|, m_l, m_N)
    (0.13957039, 0.1302, 0.97435, 0.000511, 0.05),
    (0.13957039, 0.1302, 0.97435, 0.1056584, 0.02),
    (0.493677, 0.1557, 0.225, 0.1056584, 0.25),
    (1.96835, 0.2499, 0.97349, 1.77693, 0.1),
    (5.27941, 0.1894, 0.00369, 0.000511, 2.5),
]


@pytest.mark.parametrize(("m_p", "f_p", "v", "m_l", "m_n"), CHARGED_CASES)
def test_charged_msq_matches_dirac_trace(
    m_p: float, f_p: float, v: float, m_l: float, m_n: float
) -> None:
    rng = np.random.default_rng(7)
    d, n = 1.7, 60
    q2 = rng.uniform(m_n**2, (m_p - m_l) ** 2, n)
    dirs = rng.normal(size=(n, 3))
    dirs /= np.linalg.norm(dirs, axis=-1, keepdims=True)
    p_q = np.sqrt(kallen(m_p**2, q2, m_l**2)) / (2 * m_p)
    q = np.concatenate([np.sqrt(q2 + p_q**2)[:, None], p_q[:, None] * dirs], axis=-1)
    p_l = np.concatenate([np.sqrt(m_l**2 + p_q**2)[:, None], -p_q[:, None] * dirs], axis=-1)
    dec = rng.normal(size=(n, 3))
    dec /= np.linalg.norm(dec, axis=-1, keepdims=True)
    p_star = (q2 - m_n**2) / (2 * np.sqrt(q2))
    p_n_rest = np.concatenate([np.sqrt(p_star**2 + m_n**2)[:, None], p_star[:, None] * dec], -1)
    k_rest = np.concatenate([p_star[:, None], -p_star[:, None] * dec], -1)
    velocity = q[:, 1:] / q[:, :1]
    p_n = _boost(p_n_rest, velocity)
    k = _boost(k_rest, velocity)
    cos_theta = _angle_in_rest_frame(p_n, q)
    explicit = _msq_charged_trace(p_l, k, p_n, m_l, m_n, f_p, v, d)
    analytic = charged_pseudoscalar_msq(m_p, f_p, v, m_l, m_n, d, _dot(q, q), cos_theta, G_F)
    # 1e-10 relative; points suppressed far below the typical |M|^2 keep the trace's absolute
    # rounding (~1e-16 of the largest terms), hence the small absolute floor.
    np.testing.assert_allclose(analytic, explicit, rtol=1e-10, atol=1e-13 * np.max(explicit))


def test_charged_dq2_is_the_cos_integral_and_masks() -> None:
    m_p, f_p, v, m_l, m_n = 1.86966, 0.2127, 0.22486, 0.1056584, 0.3
    for q2 in (0.2, 1.0, 2.5):
        integral = integrate.quad(
            lambda c, q2=q2: float(
                charged_pseudoscalar_d2width(m_p, f_p, v, m_l, m_n, 1.0, q2, c, G_F)
            ),
            -1,
            1,
        )[0]
        assert float(
            charged_pseudoscalar_dwidth_dq2(m_p, f_p, v, m_l, m_n, 1.0, q2, G_F)
        ) == pytest.approx(integral, rel=1e-12)
    assert float(charged_pseudoscalar_dwidth_dq2(m_p, f_p, v, m_l, m_n, 1.0, 0.05, G_F)) == 0.0
    assert float(charged_pseudoscalar_dwidth_dq2(m_p, f_p, v, m_l, m_n, 1.0, 3.2, G_F)) == 0.0
    # no helicity suppression: m_l -> 0 leaves a finite width
    assert float(charged_pseudoscalar_width(m_p, f_p, v, 0.0, m_n, 1.0, G_F)) > 0.0


def test_charged_massless_limit() -> None:
    """m_l = m_N = 0: Gamma = G_F^2 |V|^2 f^2 d^2 m_P^5 / (384 pi^3) (derived from the |M|^2)."""
    m_p, f_p, v, d = 0.13957039, 0.1302, 0.97435, 0.5
    expected = G_F**2 * v**2 * f_p**2 * d**2 * m_p**5 / (384 * math.pi**3)
    got = float(charged_pseudoscalar_width(m_p, f_p, v, 0.0, 0.0, d, G_F))
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("m_p", "f_p", "v", "m_l", "m_n"), CHARGED_CASES)
def test_charged_width_vs_quad(m_p: float, f_p: float, v: float, m_l: float, m_n: float) -> None:
    reference = integrate.quad(
        lambda q2: float(charged_pseudoscalar_dwidth_dq2(m_p, f_p, v, m_l, m_n, 1.0, q2, G_F)),
        m_n**2,
        (m_p - m_l) ** 2,
        epsabs=0.0,
        epsrel=1e-12,
        limit=400,
    )[0]
    got = float(charged_pseudoscalar_width(m_p, f_p, v, m_l, m_n, 1.0, G_F))
    assert got == pytest.approx(reference, rel=1e-9)
    closed = charged_pseudoscalar_width(m_p, f_p, v, m_l, np.array([m_p - m_l, 10.0]), 1.0, G_F)
    np.testing.assert_array_equal(closed, [0.0, 0.0])


# --------------------------------------------------------------------- Monte Carlo widths


def _dalitz_mc(
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
    k1, k2, k3, inside = _dalitz_momenta(big_m, masses, m12sq, m23sq, rng)
    values = np.where(inside, msq(k1, k2, k3), 0.0)  # type: ignore[operator]
    area = (hi12 - lo12) * (hi23 - lo23)
    weights = values * area / (256 * math.pi**3 * big_m**3) / n
    return float(weights.sum()), float(weights.std() * math.sqrt(n)), weights, k2[:, 0]


def test_neutral_width_monte_carlo_and_mean_energy() -> None:
    """P0 -> nu(1) Nbar(2) gamma(3): MC of the explicit |M|^2 over the Dalitz plot reproduces
    Gamma = Gamma(gamma gamma) x Br/Br(gamma gamma) and the mean N energy of the nodes."""
    m_p, m_n, g, d = 0.547862, 0.2, 0.025, 1.0

    def msq(k1: np.ndarray, k2: np.ndarray, k3: np.ndarray) -> np.ndarray:
        return _msq_neutral_trace(k3, k1, k2, m_n, g, d)

    gamma_mc, err, weights, energy = _dalitz_mc(m_p, (0.0, m_n, 0.0), msq, 40_000, 3)
    gamma_gg = g**2 * m_p**3 / (64 * math.pi)
    expected = gamma_gg * float(neutral_pseudoscalar_br_point(m_p, 1.0, m_n, d))
    assert err / gamma_mc < 0.01
    assert abs(gamma_mc - expected) < 4 * err
    nodes, w = parent_frame_energy_nodes(
        m_p,
        0.0,
        m_n,
        lambda q2, c: neutral_pseudoscalar_d2br(m_p, 1.0, m_n, d, q2, c),
    )
    mean_nodes = float(np.sum(nodes * w) / np.sum(w))
    mean_mc = float(np.sum(energy * weights) / np.sum(weights))
    assert mean_nodes == pytest.approx(mean_mc, rel=0.01)


@pytest.mark.parametrize(
    ("m_p", "f_p", "v", "m_l", "m_n"),
    [(1.96835, 0.2499, 0.97349, 0.1056584, 0.4), (0.493677, 0.1557, 0.225, 0.000511, 0.1)],
)
def test_charged_width_monte_carlo_and_mean_energy(
    m_p: float, f_p: float, v: float, m_l: float, m_n: float
) -> None:
    """P- -> l(1) Nbar(2) gamma(3): MC of the explicit |M|^2 reproduces the width and the
    mean N energy of the nodes (which checks the orientation of cos theta)."""
    d = 1.0

    def msq(k1: np.ndarray, k2: np.ndarray, k3: np.ndarray) -> np.ndarray:
        return _msq_charged_trace(k1, k3, k2, m_l, m_n, f_p, v, d)

    gamma_mc, err, weights, energy = _dalitz_mc(m_p, (m_l, m_n, 0.0), msq, 40_000, 5)
    expected = float(charged_pseudoscalar_width(m_p, f_p, v, m_l, m_n, d, G_F))
    assert err / gamma_mc < 0.01
    assert abs(gamma_mc - expected) < 4 * err
    nodes, w = parent_frame_energy_nodes(
        m_p,
        m_l,
        m_n,
        lambda q2, c: charged_pseudoscalar_d2width(m_p, f_p, v, m_l, m_n, d, q2, c, G_F),
    )
    assert float(np.sum(w)) == pytest.approx(expected, rel=1e-8)
    mean_nodes = float(np.sum(nodes * w) / np.sum(w))
    mean_mc = float(np.sum(energy * weights) / np.sum(weights))
    assert mean_nodes == pytest.approx(mean_mc, rel=0.01)
    # the orientation of theta matters: the mirrored distribution (c -> -c) is ~20 % harder
    mirror_nodes, mirror_w = parent_frame_energy_nodes(
        m_p,
        m_l,
        m_n,
        lambda q2, c: charged_pseudoscalar_d2width(m_p, f_p, v, m_l, m_n, d, q2, -c, G_F),
    )
    mean_mirror = float(np.sum(mirror_nodes * mirror_w) / np.sum(mirror_w))
    assert mean_mirror / mean_mc - 1.0 > 0.1


# --------------------------------------------------------------------- quadrature and energies


def test_parent_frame_energy_matches_boosted_vectors() -> None:
    rng = np.random.default_rng(2)
    m_p, m_r, m_n, n = 1.96835, 0.1056584, 0.4, 20
    q2 = rng.uniform(m_n**2, (m_p - m_r) ** 2, n)
    p_q = np.sqrt(kallen(m_p**2, q2, m_r**2)) / (2 * m_p)
    dirs = np.tile([0.0, 0.0, 1.0], (n, 1))
    q = np.concatenate([np.sqrt(q2 + p_q**2)[:, None], p_q[:, None] * dirs], axis=-1)
    dec = rng.normal(size=(n, 3))
    dec /= np.linalg.norm(dec, axis=-1, keepdims=True)
    p_star = (q2 - m_n**2) / (2 * np.sqrt(q2))
    p_n_rest = np.concatenate([np.sqrt(p_star**2 + m_n**2)[:, None], p_star[:, None] * dec], -1)
    p_n = _boost(p_n_rest, q[:, 1:] / q[:, :1])
    np.testing.assert_allclose(
        parent_frame_energy(m_p, m_r, m_n, q2, dec[:, 2]), p_n[:, 0], rtol=1e-12
    )


def test_q2_quadrature_integrates_and_broadcasts() -> None:
    q2, w = q2_quadrature(np.array([[0.0], [0.01]]), np.array([[1.0], [2.0]]), 24)
    assert q2.shape == w.shape == (2, 1, 48)  # threshold (log) panel + linear panel
    moments = np.sum(w * q2**2, axis=-1)[:, 0]
    np.testing.assert_allclose(moments, [1 / 3, (8 - 1e-6) / 3], rtol=1e-12)
    q2_e, w_e = q2_quadrature(0.3, 0.3, 8)
    assert np.all(w_e == 0.0)
    assert np.all(np.isfinite(q2_e))
    # Lorentzian hint: exact-ish for a Breit-Wigner
    centre, half = 0.64, 0.09
    nodes, weights = q2_quadrature(1e-4, 0.92, 16, (centre, half))
    assert nodes.shape == (48,)
    bw = 1.0 / ((nodes - centre) ** 2 + half**2)
    exact = (math.atan((0.92 - centre) / half) - math.atan((1e-4 - centre) / half)) / half
    assert float(np.sum(weights * bw)) == pytest.approx(exact, rel=1e-12)


def test_energy_nodes_range_sum_and_error_estimate() -> None:
    m_p, m_l, m_n = 5.27941, 0.000511, 0.01

    def rate(q2: np.ndarray, c: np.ndarray) -> np.ndarray:
        return charged_pseudoscalar_d2width(m_p, 0.1894, 0.00369, m_l, m_n, 1.0, q2, c, G_F)

    nodes, w = parent_frame_energy_nodes(m_p, m_l, m_n, rate, 24, 5)
    assert nodes.shape == w.shape == (240,)  # two q^2 panels of 24 nodes, 5 in cos theta
    assert np.all(nodes > m_n)
    assert np.all(nodes < float(max_energy(m_p, m_l, m_n)))
    assert np.all(w >= 0.0)
    total = float(charged_pseudoscalar_width(m_p, 0.1894, 0.00369, m_l, m_n, 1.0, G_F, 24))
    assert float(np.sum(w)) == pytest.approx(total, rel=1e-13)
    err = parent_frame_rate_error(m_p, m_l, m_n, rate, 24)
    exact = float(charged_pseudoscalar_width(m_p, 0.1894, 0.00369, m_l, m_n, 1.0, G_F, 200))
    assert abs(total - exact) <= 1.5 * err + 1e-14 * exact
    empty = parent_frame_energy_nodes(m_p, m_p, 0.1, rate)
    assert empty[0].size == 0
    assert empty[1].size == 0


@settings(max_examples=40, deadline=None)
@given(m_p=st.floats(0.1, 6.0), r_frac=st.floats(0.0, 0.9), n_frac=st.floats(0.0, 0.99))
def test_energy_nodes_stay_in_kinematic_range(m_p: float, r_frac: float, n_frac: float) -> None:
    m_r = r_frac * m_p
    m_n = n_frac * (m_p - m_r)
    nodes, w = parent_frame_energy_nodes(m_p, m_r, m_n, lambda q2, c: 1.0 + c**2 + 0.0 * q2, 16, 3)
    tol = 1e-12 * m_p
    assert np.all(nodes >= m_n - tol)
    assert np.all(nodes <= float(max_energy(m_p, m_r, m_n)) + tol)
    area = 8.0 / 3.0 * ((m_p - m_r) ** 2 - m_n**2)
    assert float(np.sum(w)) == pytest.approx(area, rel=1e-12)


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="m_n"):
        vector_width(0.775, 0.22, 0.7, -0.1, 1.0, ALPHA)
    with pytest.raises(ValueError, match="m_p"):
        neutral_pseudoscalar_br(0.0, 1.0, 0.1, 1.0)
    with pytest.raises(ValueError, match="order"):
        q2_quadrature(0.0, 1.0, 1)
    with pytest.raises(ValueError, match="peak"):
        q2_quadrature(0.0, 1.0, 8, (0.5, 0.0))
    with pytest.raises(ValueError, match="angular_order"):
        parent_frame_energy_nodes(1.0, 0.0, 0.1, lambda q2, c: q2 + c, 8, 0)
