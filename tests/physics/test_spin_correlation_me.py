"""Independent check of the spin-correlated photon angular distribution against an explicit |M|^2.

The reference is ``matrix_element_reference.py`` (same directory): spin-summed |M|^2 of
e+ e- -> gamma* -> N nubar, N -> nu gamma (and the charge conjugate Nbar nu, Nbar -> nubar gamma)
from explicit Dirac-matrix traces in the narrow-width approximation, for the dipole Lagrangian of
Zhang et al., PLB 829 (2022) 137116, arXiv:2204.07802, Eq. 1. It shares no code with nudipole.

What is tested (frames: e- along +z, N in the xz-plane at cos(theta_N) = z, photon at (t*, f*) in
the N helicity frame z' = n, y' = z_hat x n / |.|, x' = y' x z'):

(a) summed over the decay angles, |M|^2 has the z-shape of seed Eq. 2 (``dsigma_dcos``);
(b) |M|^2 / [dsigma_dcos(z) * photon_angular_density(t*, f*, P_L(z), P_T(z))] is a constant,
    i.e. d sigma / dz dcos t* df* = dsigma_dcos * (1/4 pi)[1 - P_L cos t* - P_T sin t* cos f*]
    with no sin f* term, and P_L, P_T extracted by a fit agree with ``polarization_*``;
(c) the Nbar nu channel has the same |M|^2 point by point, hence the same density;
and the z-integrated cos t* distribution is (1/2)(1 - <P_L> cos t*), <P_L> = ``mean_helicity``.

|M|^2 is known only up to a z-independent constant (couplings, flux, width), so every comparison
is of shapes: ratios must be constant, fitted coefficients must match.
"""

from __future__ import annotations

import numpy as np
import pytest
from matrix_element_reference import METRIC, boost_along, build_momenta, msq_n, msq_nbar

from nudipole.physics.angular import photon_angular_density
from nudipole.physics.production import (
    dsigma_dcos,
    mean_helicity,
    polarization_longitudinal,
    polarization_transverse,
)

S = 10.58**2  # GeV^2, Belle II; only y = m^2 / s matters for the shapes
D_COUPLING = 1.0e-3  # GeV^-1, arbitrary (drops out of every ratio)
Y_VALUES = (0.01, 0.3, 0.8)
CHANNELS = {"N nubar": msq_n, "Nbar nu": msq_nbar}

#: Relative tolerance on "constant" ratios and on fitted polarisations. Observed round-off is
#: below 1e-12; the analytic forms are exact, so anything above 1e-10 is a real disagreement.
RTOL = 1.0e-10


def _mass(y: float) -> float:
    return float(np.sqrt(y * S))


def _relative_spread(ratio: np.ndarray) -> float:
    """max |ratio / mean(ratio) - 1|: zero for a constant."""
    return float(np.max(np.abs(ratio / np.mean(ratio) - 1.0)))


def _decay_angle_grid(n_cos: int = 4, n_phi: int = 6):
    """Quadrature over (cos t*, f*): Gauss-Legendre x uniform periodic, exact for |M|^2.

    For fixed production kinematics a spin-1/2 decay gives |M|^2 linear in the photon direction
    (1, cos t*, sin t* cos f*, sin t* sin f*), so this grid integrates it exactly.
    """
    cos_nodes, cos_weights = np.polynomial.legendre.leggauss(n_cos)
    phi_nodes = 2.0 * np.pi * (np.arange(n_phi) + 0.5) / n_phi
    phi_weights = np.full(n_phi, 2.0 * np.pi / n_phi)
    c, f = np.meshgrid(cos_nodes, phi_nodes, indexing="ij")
    w = np.outer(cos_weights, phi_weights)
    return c.ravel(), f.ravel(), w.ravel()


# --------------------------------------------------------------------------------------------
# The reference itself: its kinematics implement the stated frame conventions.
# --------------------------------------------------------------------------------------------


def test_reference_momenta_follow_the_frame_conventions():
    """Conservation, on-shell masses, and the photon angles recovered in the N helicity frame."""
    rng = np.random.default_rng(11)
    m = _mass(0.3)
    z = rng.uniform(-0.99, 0.99, 50)
    c = rng.uniform(-1.0, 1.0, 50)
    f = rng.uniform(0.0, 2.0 * np.pi, 50)
    p1, p2, p_n, k2, k1, kg = build_momenta(S, m, z, c, f)

    def mass2(p):
        return np.einsum("...m,mn,...n->...", p, METRIC, p)

    scale = S
    assert np.max(np.abs(p1 + p2 - p_n - k2)) < 1e-12 * np.sqrt(scale)
    assert np.max(np.abs(p_n - k1 - kg)) < 1e-12 * np.sqrt(scale)
    assert np.max(np.abs(mass2(p_n) - m**2)) < 1e-12 * scale
    for massless in (p1, p2, k1, k2, kg):
        assert np.max(np.abs(mass2(massless))) < 1e-12 * scale
    assert np.allclose(p1[..., 3], np.sqrt(S) / 2.0, rtol=1e-14)  # e- along +z
    assert np.allclose(p_n[..., 3] / np.linalg.norm(p_n[..., 1:], axis=-1), z, rtol=0, atol=1e-14)
    assert np.all(p_n[..., 1] > 0.0)  # azimuth 0
    assert np.all(p_n[..., 2] == 0.0)

    # Boost the photon back to the N rest frame and read (t*, f*) off the helicity axes.
    n = p_n[..., 1:] / np.linalg.norm(p_n[..., 1:], axis=-1, keepdims=True)
    beta = np.linalg.norm(p_n[..., 1:], axis=-1) / p_n[..., 0]
    kg_rest = boost_along(kg, n, -beta)
    direction = kg_rest[..., 1:] / kg_rest[..., :1]
    y_axis = np.cross([0.0, 0.0, 1.0], n)
    y_axis /= np.linalg.norm(y_axis, axis=-1, keepdims=True)
    x_axis = np.cross(y_axis, n)
    assert np.allclose(x_axis, np.stack([z, 0 * z, -np.sqrt(1 - z**2)], axis=-1), atol=1e-14)
    assert np.allclose(kg_rest[..., 0], m / 2.0, rtol=1e-12)
    assert np.allclose(np.sum(direction * n, axis=-1), c, rtol=0, atol=1e-12)
    phi = np.arctan2(np.sum(direction * y_axis, axis=-1), np.sum(direction * x_axis, axis=-1))
    assert np.allclose(np.mod(phi - f + np.pi, 2.0 * np.pi) - np.pi, 0.0, atol=1e-12)


# --------------------------------------------------------------------------------------------
# (a) Production-angle shape of seed Eq. 2.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize("y", Y_VALUES)
def test_decay_summed_me_has_the_eq2_shape(y, channel):
    """Integral of |M|^2 over the photon rest-frame angles / dsigma_dcos(z): constant to 1e-10."""
    m = _mass(y)
    z_values = np.linspace(-0.995, 0.995, 15)
    c, f, w = _decay_angle_grid()
    msq = CHANNELS[channel](S, m, z_values[:, None], c[None, :], f[None, :])
    integrated = msq @ w
    ratio = integrated / dsigma_dcos(S, m, D_COUPLING, z_values)
    assert _relative_spread(ratio) < RTOL


# --------------------------------------------------------------------------------------------
# (b), (c) Fully differential factorisation dsigma_dcos * photon_angular_density.
# --------------------------------------------------------------------------------------------


def _random_points(seed: int, n: int = 200):
    rng = np.random.default_rng(seed)
    z = rng.uniform(-1.0, 1.0, n)
    c = rng.uniform(-1.0, 1.0, n)
    f = rng.uniform(0.0, 2.0 * np.pi, n)
    return z, c, f


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize("y", Y_VALUES)
def test_fully_differential_me_factorises(y, channel):
    """|M|^2 / [dsigma_dcos * W(t*, f* | z)] is constant over random (z, t*, f*) (rel. 1e-10).

    Also checks that the test is sensitive: flipping the sign of P_T (or dropping it) breaks
    the constancy by far more than the tolerance.
    """
    m = _mass(y)
    z, c, f = _random_points(seed=int(1000 * y) + len(channel))
    msq = CHANNELS[channel](S, m, z, c, f)
    p_long = polarization_longitudinal(S, m, z)
    p_trans = polarization_transverse(S, m, z)
    rate = dsigma_dcos(S, m, D_COUPLING, z)

    spread = _relative_spread(msq / (rate * photon_angular_density(c, f, p_long, p_trans)))
    assert spread < RTOL, f"max relative deviation from constant: {spread:.3e}"

    for wrong_trans in (-p_trans, 0.0 * p_trans):
        wrong = _relative_spread(msq / (rate * photon_angular_density(c, f, p_long, wrong_trans)))
        assert wrong > 1.0e-3


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize("y", Y_VALUES)
def test_fitted_polarisation_matches_production(y, channel):
    """Fit |M|^2 = A [1 - a cos t* - b sin t* cos f* - c sin t* sin f*] at fixed z.

    Expect a = P_L(z), b = P_T(z), c = 0 (absolute tolerance 1e-10). This pins down the sign and
    magnitude of P_T independently of the ratio test, and excludes a sin f* term.
    """
    m = _mass(y)
    z_values = np.array([-0.93, -0.6, -0.2, 0.0, 0.35, 0.7, 0.97])
    c, f, _ = _decay_angle_grid(n_cos=5, n_phi=7)
    sin_t = np.sqrt(1.0 - c**2)
    design = np.stack([np.ones_like(c), c, sin_t * np.cos(f), sin_t * np.sin(f)], axis=-1)
    msq = CHANNELS[channel](S, m, z_values[:, None], c[None, :], f[None, :])
    coefficients, *_ = np.linalg.lstsq(design, msq.T, rcond=None)
    norm = coefficients[0]
    fitted_long = -coefficients[1] / norm
    fitted_trans = -coefficients[2] / norm
    fitted_sin_phi = -coefficients[3] / norm
    # the four-parameter form must describe |M|^2 exactly
    residual = msq.T - design @ coefficients
    assert np.max(np.abs(residual)) < RTOL * np.max(np.abs(msq))

    assert np.allclose(fitted_long, polarization_longitudinal(S, m, z_values), rtol=0, atol=RTOL)
    assert np.allclose(fitted_trans, polarization_transverse(S, m, z_values), rtol=0, atol=RTOL)
    assert np.allclose(fitted_sin_phi, 0.0, rtol=0, atol=RTOL)


@pytest.mark.parametrize("y", Y_VALUES)
def test_nbar_channel_equals_n_channel_pointwise(y):
    """CP: |M|^2(Nbar nu) = |M|^2(N nubar) at the same (z, t*, f*), hence the same W (1e-10)."""
    m = _mass(y)
    z, c, f = _random_points(seed=7)
    ratio = msq_nbar(S, m, z, c, f) / msq_n(S, m, z, c, f)
    assert np.allclose(ratio, 1.0, rtol=0, atol=RTOL)


# --------------------------------------------------------------------------------------------
# Production-angle-averaged photon distribution.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize("y", Y_VALUES)
def test_z_integrated_cos_star_distribution(y, channel):
    """Integral of |M|^2 over z and f*, normalised: (1/2)(1 - mean_helicity cos t*) to 1e-10.

    The z-integrand is a polynomial of degree 2 in z times (1, sqrt(1 - z^2)); the sqrt(1 - z^2)
    term multiplies cos f* and vanishes on the periodic f* grid, so Gauss-Legendre in z is exact.
    """
    m = _mass(y)
    z_nodes, z_weights = np.polynomial.legendre.leggauss(6)
    cos_nodes = np.linspace(-1.0, 1.0, 9)
    n_phi = 6
    phi_nodes = 2.0 * np.pi * (np.arange(n_phi) + 0.5) / n_phi
    zz, cc, ff = np.meshgrid(z_nodes, cos_nodes, phi_nodes, indexing="ij")
    msq = CHANNELS[channel](S, m, zz, cc, ff)
    density = np.einsum("i,ijk->j", z_weights, msq) * (2.0 * np.pi / n_phi)
    # normalise with the exact integral of the (linear in cos t*) density: 2 * value at 0
    density = density / (density[len(cos_nodes) // 2] * 2.0)
    expected = 0.5 * (1.0 - mean_helicity(S, m) * cos_nodes)
    assert np.allclose(density, expected, rtol=0, atol=RTOL)
