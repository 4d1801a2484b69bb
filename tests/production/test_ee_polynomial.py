"""The e+ e- signal density in polynomial form and its exact azimuthal and polar integrals
(:mod:`nudipole.production.ee_polynomial`): against the density of ``ee_source`` node by node,
a fine trapezoid rule in the azimuth and Gauss-Legendre in the photon angle."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.model import Flavour
from nudipole.physics.angular import PhotonAngular
from nudipole.production.ee_polynomial import (
    QuadraticDensity,
    chebyshev_density,
    cosine_moments,
    moment_integral,
    photon_only_density,
    piece_integral,
    psi_average,
    quadratic_density,
)
from nudipole.production.ee_source import density_coefficients
from nudipole.reach.model import CouplingModel, CouplingRatios

RNG_SEED = 20261130


def _random_points(n: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(RNG_SEED)
    sqrt_s = rng.uniform(2.0, 11.0, n)
    m = sqrt_s * rng.uniform(0.001, 0.99, n)
    return sqrt_s**2, m, rng.uniform(-1.0, 1.0, n), rng.uniform(-1.0, 1.0, n)


@pytest.mark.parametrize("angular", list(PhotonAngular))
def test_photon_only_closed_form_is_the_density(angular: PhotonAngular) -> None:
    s, m, z, c = _random_points(2000)
    a, b = density_coefficients(s, m, angular, z, c)  # type: ignore[arg-type]
    a_form, b_form = photon_only_density(s, m, angular, c).coefficients(z)
    assert np.allclose(a_form, a, rtol=1e-12, atol=1e-14)
    assert np.allclose(b_form, b, rtol=1e-12, atol=1e-14)
    if angular is not PhotonAngular.SPIN_CORRELATED:
        assert not np.any(b_form)


@pytest.mark.parametrize("angular", list(PhotonAngular))
def test_coefficients_read_off_the_density_match_the_closed_form(angular: PhotonAngular) -> None:
    s, m, _, c = _random_points(500)
    read = quadratic_density(s, m, angular, c)
    exact = photon_only_density(s, m, angular, c)
    assert read is not None
    for name in ("a0", "a1", "a2", "b0", "b1"):
        assert np.allclose(getattr(read, name), getattr(exact, name), rtol=1e-11, atol=1e-13)


def test_s_channel_electroweak_density_is_polynomial_and_w_exchange_is_not() -> None:
    """With Z exchange only (muon flavour: no t-channel W) the density has the form (P) and the
    coefficients reproduce it at other z; the electron flavour's W propagator 1/(t - M_W^2)
    does not, and the check says so (None: the node rule is used)."""
    s = np.full(40, 91.19**2)
    c = np.linspace(-0.97, 0.97, 40)
    angular = PhotonAngular.SPIN_CORRELATED
    mu = CouplingModel(Flavour.MU, CouplingRatios(0.8, 1.2))
    q = quadratic_density(s, 12.0, angular, c, production=mu)
    assert q is not None
    z = np.linspace(-0.99, 0.99, 7)[:, None]
    a, b = density_coefficients(s, 12.0, angular, z, c, production=mu)
    a_form, b_form = q.coefficients(z)
    scale = np.abs(a).max() + np.abs(b).max()
    assert np.allclose(a_form, a, rtol=0, atol=1e-10 * scale)
    assert np.allclose(b_form, b, rtol=0, atol=1e-10 * scale)
    electron = CouplingModel(Flavour.E, CouplingRatios(0.8, 1.2))
    assert quadratic_density(s, 12.0, angular, c, production=electron) is None


def _numerical_psi_average(
    q: QuadraticDensity, cos_theta: float, cos_a: float, sin_a: float, n: int = 4096
) -> float:
    """The average of a + b cos f* over psi in [0, pi] by the trapezoid rule with z(psi) and
    cos f*(psi) of the rule's map (ee_rules module docstring)."""
    psi = np.linspace(0.0, np.pi, n + 1)
    sin_t = np.sqrt(1.0 - cos_theta**2)
    z = cos_theta * cos_a + sin_t * sin_a * np.cos(psi)
    cos_f = (z * cos_a - cos_theta) / (np.sqrt(1.0 - z**2) * sin_a)
    a, b = q.coefficients(z)
    f = a + b * cos_f
    w = np.full(n + 1, 1.0 / n)
    w[[0, -1]] *= 0.5
    return float(np.sum(w * f))


@settings(max_examples=60, deadline=None)
@given(
    coeffs=st.lists(st.floats(-2.0, 2.0), min_size=5, max_size=5),
    cos_theta=st.floats(-0.95, 0.95),
    alpha=st.floats(0.05, 3.09),
)
def test_psi_average_matches_the_azimuthal_integral(
    coeffs: list[float], cos_theta: float, alpha: float
) -> None:
    q = QuadraticDensity(*(np.asarray(x) for x in coeffs))
    ca, sa = np.cos(alpha), np.sin(alpha)
    d0, d1, d2 = psi_average(q, np.asarray(ca), np.asarray(sa))
    exact = float(d0 + d1 * cos_theta + d2 * cos_theta**2)
    assert exact == pytest.approx(_numerical_psi_average(q, cos_theta, ca, sa), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    d=st.lists(st.floats(-3.0, 3.0), min_size=3, max_size=3),
    ends=st.lists(st.floats(-1.0, 1.0), min_size=2, max_size=2, unique=True),
)
def test_piece_integral_matches_gauss_legendre_in_the_angle(
    d: list[float], ends: list[float]
) -> None:
    """int sin(theta) dtheta / 2 over the piece, by 12-point Gauss-Legendre in theta."""
    u, v = sorted(ends)
    x, w = np.polynomial.legendre.leggauss(12)
    t_lo, t_hi = np.arccos(v), np.arccos(u)
    theta = 0.5 * (t_lo + t_hi) + 0.5 * (t_hi - t_lo) * x
    c = np.cos(theta)
    numeric = 0.25 * (t_hi - t_lo) * np.sum(w * np.sin(theta) * (d[0] + d[1] * c + d[2] * c**2))
    value = piece_integral(np.asarray(d[0]), np.asarray(d[1]), np.asarray(d[2]),
                           np.asarray(u), np.asarray(v))  # fmt: skip
    assert float(value) == pytest.approx(numeric, abs=1e-12)


def test_whole_sphere_average_is_the_normalisation() -> None:
    """Over all photon directions and c*, the density integrates to 1 (it is the physical
    density over the uniform one): psi average, then cos theta_g in [-1, 1], then c*."""
    x, w = np.polynomial.legendre.leggauss(40)
    s, m = 10.58**2, 3.0
    gamma = (s + m**2) / (2.0 * np.sqrt(s) * m)
    bg = (s - m**2) / (2.0 * np.sqrt(s) * m)
    beta = bg / gamma
    cos_a = (x + beta) / (1.0 + beta * x)
    sin_a = np.sqrt(1.0 - x**2) / (gamma * (1.0 + beta * x))
    for angular in PhotonAngular:
        q = photon_only_density(np.asarray(s), np.asarray(m), angular, x)
        d0, d1, d2 = psi_average(q, cos_a, sin_a)
        per_c = piece_integral(d0, d1, d2, np.full_like(x, -1.0), np.ones_like(x))
        assert 0.5 * np.sum(w * per_c) == pytest.approx(1.0, rel=1e-12)


def test_the_check_is_relative_to_the_largest_density() -> None:
    """At c* -> 1 a fully polarised light N emits almost no photon forward-backward: the local
    density is 1e-7 of the largest and rounding is 1e-9 of it; the form still holds."""
    mu = CouplingModel(Flavour.MU, CouplingRatios(0.8, 1.2))
    c = np.array([-0.99788, 0.0676, 0.9999997982503765])
    q = quadratic_density(np.full(3, 91.2**2), 0.0115, PhotonAngular.SPIN_CORRELATED, c,
                          production=mu)  # fmt: skip
    assert q is not None


@pytest.mark.parametrize("sqrt_s", [91.19, 200.0, 240.0, 365.0])
def test_chebyshev_series_reproduce_the_w_exchange_density(sqrt_s: float) -> None:
    """The electron flavour's density (t-channel W) as three Chebyshev series in z per (s, m)
    pair equals the density at random (z, c*) to 1e-8 of its largest value."""
    model = CouplingModel(Flavour.E, CouplingRatios(0.8, 1.2))
    rng = np.random.default_rng(4)
    m = np.repeat(np.geomspace(0.01, 0.99 * sqrt_s, 7), 3)
    c = rng.uniform(-1.0, 1.0, m.size)
    s = np.full(m.size, sqrt_s**2)
    series = chebyshev_density(s, m, PhotonAngular.SPIN_CORRELATED, c, production=model)
    assert series is not None
    z = rng.uniform(-0.999, 0.999, 40)
    a, b = density_coefficients(s[:, None], m[:, None], PhotonAngular.SPIN_CORRELATED, z[None, :],
                                c[:, None], production=model)  # fmt: skip
    per_node = series.per_node(c)  # A(z) and B(z), b = B(z) sqrt(1 - z^2)
    a_series = np.polynomial.chebyshev.chebval(z, np.moveaxis(per_node[:, 0], -1, 0))
    b_series = np.polynomial.chebyshev.chebval(z, np.moveaxis(per_node[:, 1], -1, 0))
    scale = np.abs(a).max()
    assert np.allclose(a_series, a, rtol=0.0, atol=1e-8 * scale)
    assert np.allclose(b_series * np.sqrt(1.0 - z**2), b, rtol=0.0, atol=1e-8 * scale)


def test_chebyshev_series_of_a_polynomial_density_is_exact() -> None:
    s = np.full(6, 10.58**2)
    m = np.linspace(0.1, 9.0, 6)
    c = np.linspace(-0.9, 0.9, 6)
    series = chebyshev_density(s, m, PhotonAngular.SPIN_CORRELATED, c)
    assert series is not None
    exact = photon_only_density(s, m, PhotonAngular.SPIN_CORRELATED, c)
    z = np.linspace(-0.95, 0.95, 9)
    per_node = series.per_node(c)
    a_series = np.polynomial.chebyshev.chebval(z, np.moveaxis(per_node[:, 0], -1, 0))
    a_exact = exact.a0[:, None] + (exact.a1[:, None] + exact.a2[:, None] * z) * z
    assert np.allclose(a_series, a_exact, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("angular", list(PhotonAngular))
def test_compiled_photon_only_sums_are_the_numpy_expressions(angular: PhotonAngular) -> None:
    # density -> psi average -> moment integral -> per-group sums with the Kronrod and Gauss
    # weights, in one compiled pass: the same numbers as the NumPy chain, node by node
    from nudipole.production import _ee_polynomial_kernel as kernel
    from nudipole.reach.rule_templates import _ANGULAR_CODE

    assert _ANGULAR_CODE == {
        PhotonAngular.SPIN_CORRELATED: kernel.SPIN_CORRELATED,
        PhotonAngular.ISOTROPIC: kernel.ISOTROPIC,
        PhotonAngular.ONE_MINUS_COS: kernel.ONE_MINUS_COS,
    }
    rng = np.random.default_rng(11)
    n_g, n_v = 7, 400
    s_g = rng.uniform(9.0, 25.0, n_g)
    m_g = rng.uniform(0.0, 2.5, n_g)
    group = np.sort(rng.integers(0, n_g - 1, n_v))  # the last group has no node
    c = rng.uniform(-1.0, 1.0, n_v)
    alpha = rng.uniform(0.0, np.pi, n_v)
    lo = rng.uniform(-1.0, 1.0, n_v)
    hi = np.minimum(lo + rng.uniform(0.0, 1.0, n_v), 1.0)
    moments = cosine_moments(lo, hi)
    wk, wg = rng.uniform(0.0, 0.1, n_v), rng.uniform(0.0, 0.1, n_v)
    acc_k, acc_g = kernel.photon_only_sums(
        _ANGULAR_CODE[angular], s_g, m_g, group, c, np.cos(alpha), np.sin(alpha), moments, wk, wg
    )
    density = photon_only_density(s_g[group], m_g[group], angular, c)
    d0, d1, d2 = psi_average(density, np.cos(alpha), np.sin(alpha))
    part = moment_integral(d0, d1, d2, moments)
    want_k = 0.5 * np.bincount(group, weights=part * wk, minlength=n_g)
    want_g = 0.5 * np.bincount(group, weights=part * wg, minlength=n_g)
    np.testing.assert_array_equal(acc_k, want_k)
    np.testing.assert_array_equal(acc_g, want_g)
    assert acc_k[-1] == acc_g[-1] == 0.0
    assert np.all(acc_k[:-1] != 0.0)
