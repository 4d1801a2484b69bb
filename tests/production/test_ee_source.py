"""Signal event generation: photon kinematics against an explicit four-vector construction,
weights, and Monte Carlo versus quadrature acceptance."""

import numpy as np
import pytest

from nudipole.kinematics.lorentz import boost
from nudipole.kinematics.sampling import monte_carlo_nodes, quadrature_nodes, sobol_nodes
from nudipole.physics.angular import PhotonAngular
from nudipole.physics.production import n_energy_cm, n_momentum_cm
from nudipole.production.ee_source import generate


def test_photon_matches_explicit_four_vectors() -> None:
    """Rebuild the photon with general boosts (rest frame -> CM -> lab) and compare."""
    s, m, beta = 10.58**2, 2.0, 3 / 11
    nodes = monte_carlo_nodes(np.random.default_rng(3), 200)
    ev = generate(s, m, beta, PhotonAngular.ISOTROPIC, nodes)
    e_n, p_n = float(n_energy_cm(s, m)), float(n_momentum_cm(s, m))
    for i in range(0, 200, 17):
        z, c, phi = nodes.cos_n[i], nodes.cos_star[i], nodes.phi_star[i]
        st, ss = np.sqrt(1 - z**2), np.sqrt(1 - c**2)
        n_dir = np.array([st, 0.0, z])
        x_ax = np.array([z, 0.0, -st])
        y_ax = np.array([0.0, 1.0, 0.0])
        k_dir = ss * np.cos(phi) * x_ax + ss * np.sin(phi) * y_ax + c * n_dir
        k_rest = np.concatenate([[m / 2], m / 2 * k_dir])
        k_cm = boost(k_rest, p_n / e_n * n_dir)
        k_lab = boost(k_cm, np.array([0.0, 0.0, beta]))
        assert ev.e_cm[i] == pytest.approx(k_cm[0], rel=1e-12)
        assert ev.cos_cm[i] == pytest.approx(k_cm[3] / k_cm[0], abs=1e-12)
        assert ev.e_lab[i] == pytest.approx(k_lab[0], rel=1e-12)
        assert ev.cos_lab[i] == pytest.approx(k_lab[3] / k_lab[0], abs=1e-12)
        n_lab = boost(np.concatenate([[e_n], p_n * n_dir]), np.array([0.0, 0.0, beta]))
        assert ev.n_momentum_lab[i] == pytest.approx(np.linalg.norm(n_lab[1:]), rel=1e-12)


def test_photon_energy_range() -> None:
    s, m = 16.0, 1.5
    ev = generate(
        s, m, 0.0, PhotonAngular.SPIN_CORRELATED, monte_carlo_nodes(np.random.default_rng(0), 5000)
    )
    e_n, p_n = float(n_energy_cm(s, m)), float(n_momentum_cm(s, m))
    assert ev.e_cm.min() >= (e_n - p_n) / 2 - 1e-12
    assert ev.e_cm.max() <= (e_n + p_n) / 2 + 1e-12


@pytest.mark.parametrize("angular", list(PhotonAngular))
def test_weights_normalised(angular: PhotonAngular) -> None:
    s, m = 16.0, 1.0
    q = generate(s, m, 0.0, angular, quadrature_nodes(24, 24, 12))
    assert q.weight.sum() == pytest.approx(1.0, rel=1e-12)
    mc = generate(s, m, 0.0, angular, monte_carlo_nodes(np.random.default_rng(1), 40000))
    assert mc.weight.sum() == pytest.approx(1.0, abs=0.01)


def test_spin_correlation_makes_photons_softer() -> None:
    # PHYSICS.md §3: with P_N > 0 photons go backward in the N frame, hence softer in the CM.
    s, m = 16.0, 0.5
    nodes = quadrature_nodes(32, 32, 8)
    iso = generate(s, m, 0.0, PhotonAngular.ISOTROPIC, nodes)
    spin = generate(s, m, 0.0, PhotonAngular.SPIN_CORRELATED, nodes)
    assert np.sum(spin.weight * spin.e_cm) < np.sum(iso.weight * iso.e_cm)
    # isotropic: mean photon energy = E_N / 2
    assert np.sum(iso.weight * iso.e_cm) == pytest.approx(float(n_energy_cm(s, m)) / 2, rel=1e-10)


@pytest.mark.parametrize("angular", [PhotonAngular.SPIN_CORRELATED, PhotonAngular.ISOTROPIC])
def test_monte_carlo_and_quadrature_acceptance_agree(angular: PhotonAngular) -> None:
    """The acceptance of a Belle II-like window by MC, Sobol and quadrature agree within the
    stated errors (MC: binomial-like standard error; quadrature: difference to a finer grid)."""
    s, m, beta = 10.58**2, 1.0, 3 / 11

    def accepted(ev) -> np.ndarray:
        theta = np.degrees(np.arccos(ev.cos_lab))
        return (theta > 40) & (theta < 120) & (ev.e_cm > 2.5)

    q1 = generate(s, m, beta, angular, quadrature_nodes(64, 64, 32))
    q2 = generate(s, m, beta, angular, quadrature_nodes(96, 96, 48))
    a_q1 = np.sum(q1.weight * accepted(q1))
    a_q2 = np.sum(q2.weight * accepted(q2))
    err_q = abs(a_q2 - a_q1)
    n = 200_000
    mc = generate(s, m, beta, angular, monte_carlo_nodes(np.random.default_rng(11), n))
    terms = mc.weight * n * accepted(mc)
    a_mc = terms.mean()
    err_mc = terms.std(ddof=1) / np.sqrt(n)
    assert err_mc / a_mc < 0.01
    assert abs(a_mc - a_q2) < 3 * np.hypot(err_mc, err_q)
    sob = generate(s, m, beta, angular, sobol_nodes(np.random.default_rng(5), 2**16))
    assert np.sum(sob.weight * accepted(sob)) == pytest.approx(
        a_q2, abs=3 * np.hypot(err_mc, err_q)
    )


def test_above_threshold_rejected() -> None:
    with pytest.raises(ValueError, match="outside"):
        generate(4.0, 2.5, 0.0, PhotonAngular.ISOTROPIC, quadrature_nodes(4, 4, 4))
