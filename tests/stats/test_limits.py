"""The upper-limit solver against closed forms (seed Sec. II statistics)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.stats import (
    DELTA_CHI2_95,
    Statistic,
    limit_spread,
    per_point_statistic,
    solve_upper_limit,
)


def _one(rate: float, acc: float, kappa: float, b: float) -> tuple[np.ndarray, ...]:
    return (
        np.array([[rate]]),
        np.array([[[acc]]]),
        np.array([[[kappa]]]),
        np.array([b]),
    )


def test_delta_chi2() -> None:
    assert pytest.approx(2.7055, abs=1e-4) == DELTA_CHI2_95  # seed: 2.71


@given(st.floats(1e8, 1e14), st.floats(1e-3, 1.0), st.floats(0.0, 1e7))
@settings(max_examples=60)
def test_prompt_regime_closed_form(rate: float, acc: float, b: float) -> None:
    """Prompt decays: S = A d^2; S^2/(S+B) = D gives S = (D + sqrt(D^2 + 4 D B))/2."""
    r, w, k, bb = _one(rate, acc, 1e30, b)
    d95 = solve_upper_limit(r, w, k, bb)[0]
    s = 0.5 * (DELTA_CHI2_95 + np.sqrt(DELTA_CHI2_95**2 + 4 * DELTA_CHI2_95 * b))
    assert d95 == pytest.approx(np.sqrt(s / (rate * acc)), rel=1e-7)


def test_long_lived_regime_closed_form() -> None:
    """Long-lived: S = A kappa d^4 (P_dec ~ L/l_dec, the curve bends up, PHYSICS.md §4)."""
    rate, acc, kappa, b = 1e12, 0.3, 1e-3, 1e4
    r, w, k, bb = _one(rate, acc, kappa, b)
    d95 = solve_upper_limit(r, w, k, bb)[0]
    s = 0.5 * (DELTA_CHI2_95 + np.sqrt(DELTA_CHI2_95**2 + 4 * DELTA_CHI2_95 * b))
    expected = (s / (rate * acc * kappa)) ** 0.25
    assert kappa * expected**2 < 1e-6  # indeed long-lived at the limit
    assert d95 == pytest.approx(expected, rel=1e-5)


def test_sum_over_points_and_no_sensitivity() -> None:
    # Two identical points: chi^2 doubles -> same as one point with threshold/2.
    rate = np.array([[1e12, 1e12], [0.0, 0.0]])
    w = np.full((2, 2, 1), 0.2)
    k = np.full((2, 2, 1), 1e30)
    b = np.array([1e5, 1e5])
    d_two = solve_upper_limit(rate, w, k, b)
    d_one = solve_upper_limit(
        rate[:1, :1], w[:1, :1], k[:1, :1], b[:1], threshold=DELTA_CHI2_95 / 2
    )
    assert d_two[0] == pytest.approx(d_one[0], rel=1e-8)
    assert np.isnan(d_two[1])


def test_asimov_close_to_chi2_when_background_dominated() -> None:
    r, w, k, bb = _one(1e12, 0.3, 1e30, 1e8)
    d_chi2 = solve_upper_limit(r, w, k, bb, Statistic.CHI2)[0]
    d_asimov = solve_upper_limit(r, w, k, bb, Statistic.ASIMOV)[0]
    assert d_asimov == pytest.approx(d_chi2, rel=1e-3)
    # background-free: Asimov q = 2 S -> S = Delta/2, chi2 q = S -> S = Delta
    r, w, k, bb = _one(1e12, 0.3, 1e30, 0.0)
    s_asimov = 1e12 * 0.3 * solve_upper_limit(r, w, k, bb, Statistic.ASIMOV)[0] ** 2
    assert s_asimov == pytest.approx(DELTA_CHI2_95 / 2, rel=1e-7)


@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_statistics_non_negative_and_monotonic(s: float, b: float) -> None:
    for stat in Statistic:
        q1 = per_point_statistic(s, b, stat)
        q2 = per_point_statistic(s * 1.1 + 1e-3, b, stat)
        assert q1 >= 0
        assert q2 >= q1


def test_limit_spread_scales_with_batch_scatter() -> None:
    rng = np.random.default_rng(2)
    n_b = 8
    rate = np.array([[1e12]])
    acc = 0.3 * (1 + 0.02 * rng.standard_normal(n_b))
    w = acc.reshape(1, 1, n_b, 1)
    k = np.full_like(w, 1e30)
    b = np.array([1e6])
    d95 = solve_upper_limit(rate, w.mean(axis=2), k.mean(axis=2), b)
    err = limit_spread(d95, rate, w, k, b)
    # d ~ acc^(-1/2): relative error = 0.5 * std(acc)/mean/sqrt(n)
    expected = 0.5 * np.std(acc, ddof=1) / acc.mean() / np.sqrt(n_b)
    assert err[0] / d95[0] == pytest.approx(expected, rel=0.05)


def test_delta_chi2_95_is_scipys_chi2_quantile() -> None:
    """The written-out threshold is scipy's chi^2_1 quantile at 0.90, to the last bit."""
    from scipy.stats import chi2

    from nudipole.stats import DELTA_CHI2_95

    assert float(chi2.ppf(0.90, df=1)) == DELTA_CHI2_95


def test_bins_empty_at_every_mass_do_not_change_the_limit() -> None:
    """The solver drops ln-kappa bins with no weight at any mass (the fixed-length templates
    fill one bin of 16); the limits are those with every bin kept."""
    rng = np.random.default_rng(11)
    rate = rng.uniform(1e6, 1e8, (6, 3))
    weight = np.zeros((6, 3, 16))
    kappa = np.ones((6, 3, 16))
    weight[..., [2, 7]] = rng.uniform(0.01, 0.3, (6, 3, 2))
    kappa[..., [2, 7]] = rng.uniform(1e2, 1e6, (6, 3, 2))
    kappa[..., 9] = 5.0  # an empty bin with a kappa of its own
    b = rng.uniform(1.0, 100.0, 3)
    full = solve_upper_limit(rate, weight, kappa, b)
    kept = solve_upper_limit(rate, weight[..., [2, 7]], kappa[..., [2, 7]], b)
    assert np.all(np.isfinite(full))
    np.testing.assert_array_equal(full, kept)


def test_newton_converges_in_a_few_steps_for_every_mass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where rounding leaves Q a hair below the threshold at the solution, the bracket's lower
    end sits on it and the last (tiny) Newton step lands on that end; that is convergence, not
    a reason to bisect the whole bracket (which took 40 steps for half of BESIII's masses)."""
    from nudipole.stats import limits

    calls: list[int] = []
    original = limits._statistic_and_slope

    def counted(t: np.ndarray, *args: object, **kwargs: object) -> tuple[np.ndarray, np.ndarray]:
        calls.append(t.size)
        return original(t, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(limits, "_statistic_and_slope", counted)
    rng = np.random.default_rng(2)
    n = 400
    rate = rng.uniform(1e4, 1e9, (n, 5))
    weight = rng.uniform(0.0, 0.2, (n, 5, 4))
    kappa = np.exp(rng.uniform(np.log(1e2), np.log(1e9), (n, 5, 4)))
    d95 = solve_upper_limit(rate, weight, kappa, rng.uniform(1.0, 1e4, 5))
    assert np.all(np.isfinite(d95))
    assert len(calls) <= 15
