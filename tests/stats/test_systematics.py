"""Background uncertainty in the statistics (issue 12 §3): the profiled Asimov exclusion
statistic, the chi^2 with a background variance, and the gamma-averaged Poisson CLs limit,
against their limits (B -> 0, sigma_b -> 0, S << B), an independent numerical maximisation of
the likelihood, and toy Monte Carlo experiments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize_scalar
from scipy.special import xlogy

from nudipole.stats import DELTA_CHI2_95, Statistic, solve_upper_limit
from nudipole.stats.asimov import exclusion_q, exclusion_slope, h
from nudipole.stats.chi2 import chi2_q, chi2_slope
from nudipole.stats.poisson import (
    background_median,
    cls_signal_limit,
    expected_signal_limit,
    marginal_cdf,
)

signals = st.floats(1e-3, 1e5)
backgrounds = st.floats(1e-3, 1e7)
uncertainties = st.floats(0.0, 1.0)


def _on_off_q(s: float, b: float, v: float) -> float:
    """-2 ln lambda(s) on the Asimov data n = b, m = tau b of Pois(n|s+b') Pois(m|tau b'),
    tau = b/v, by numerical maximisation over b' (independent of the closed form)."""
    tau = b / v

    def nll(mu: float, bp: float) -> float:
        return -(b * math.log(mu + bp) - (mu + bp) + tau * b * math.log(tau * bp) - tau * bp)

    best = minimize_scalar(
        lambda bp: nll(s, bp),
        bounds=(1e-9 * b, 2.0 * b + s),
        method="bounded",
        options={"xatol": 1e-12 * b},
    )
    return 2.0 * (float(best.fun) - nll(0.0, b))


@pytest.mark.parametrize(
    ("s", "b", "r"), [(3.0, 10.0, 0.1), (50.0, 1e3, 0.05), (100.0, 5.0, 0.5), (20.0, 40.0, 1.0)]
)
def test_profiled_asimov_is_the_on_off_likelihood_ratio(s: float, b: float, r: float) -> None:
    assert exclusion_q(s, b, (r * b) ** 2) == pytest.approx(_on_off_q(s, b, (r * b) ** 2), rel=1e-8)


def _z_excl_km_squared(s: float, b: float, db: float) -> float:
    """Z^KM_excl squared as Kumar & Martin (PRD 92 (2015) 115018, arXiv:1510.03456) write it
    and Bhattiprolu, Martin, Wells (EPJC 81 (2021) 123, arXiv:2009.07249) quote it:
    2 {s - b ln[(b+s+x)/2b] - (b^2/db^2) ln[(b-s+x)/2b]} - (b+s-x)(1 + b/db^2),
    x = sqrt((s+b)^2 - 4 s b db^2/(b + db^2)); db the absolute background uncertainty."""
    v = db * db
    x = math.sqrt((s + b) ** 2 - 4.0 * s * b * v / (b + v))
    logs = s - b * math.log((b + s + x) / (2 * b)) - (b * b / v) * math.log((b - s + x) / (2 * b))
    return 2.0 * logs - (b + s - x) * (1.0 + b / v)


@pytest.mark.parametrize(
    ("s", "b", "r"),
    [(5.0, 10.0, 0.1), (3.0, 0.9, 0.2), (50.0, 886.0, 0.05), (300.0, 1.1e4, 0.01), (20, 40, 1)],
)
def test_closed_form_is_kumar_martin(s: float, b: float, r: float) -> None:
    """The h-form of stats/asimov.py is Z^KM_excl^2 (rearranged for accuracy only). The direct
    form cancels digits at large b, so the cases stay where it keeps 1e-9."""
    assert exclusion_q(s, b, (r * b) ** 2) == pytest.approx(
        _z_excl_km_squared(s, b, r * b), rel=1e-9
    )


@given(signals, backgrounds)
def test_known_background_limit(s: float, b: float) -> None:
    """sigma_b -> 0: the known-background statistics of the seed and of Cowan et al."""
    known = 2.0 * b * h(s / b)
    assert exclusion_q(s, b, 0.0) == pytest.approx(known, rel=1e-12)
    assert exclusion_q(s, b, (1e-7 * b) ** 2) == pytest.approx(known, rel=1e-6, abs=1e-300)
    assert chi2_q(s, b, 0.0) == pytest.approx(s**2 / (s + b), rel=1e-14)


@given(signals, uncertainties)
def test_background_free_limit(s: float, r: float) -> None:
    """B -> 0: q -> 2 S (Asimov) and chi^2 -> S whatever the relative uncertainty."""
    for b in (1e-9 * s, 0.0):
        assert exclusion_q(s, b, (r * b) ** 2) == pytest.approx(2.0 * s, rel=1e-6)
        assert chi2_q(s, b, (r * b) ** 2) == pytest.approx(s, rel=1e-8)


@given(st.floats(1e3, 1e8), st.floats(1e-3, 1.0))
def test_gaussian_limit(b: float, r: float) -> None:
    """S << B: both statistics are S^2/(B + Delta_B^2), the Gaussian significance squared."""
    v = (r * b) ** 2
    s = 1e-3 * math.sqrt(b + v)
    assert exclusion_q(s, b, v) == pytest.approx(s**2 / (b + v), rel=5e-3)
    assert chi2_q(s, b, v) == pytest.approx(s**2 / (b + v), rel=5e-3)


@given(signals, backgrounds, st.floats(1e-3, 1.0))
def test_uncertainty_only_weakens(s: float, b: float, r: float) -> None:
    """Profiling a nuisance parameter can only lower the likelihood ratio."""
    v = (r * b) ** 2
    assert exclusion_q(s, b, v) <= exclusion_q(s, b, 0.0) * (1 + 1e-12)
    assert chi2_q(s, b, v) <= chi2_q(s, b, 0.0)
    assert exclusion_q(s * 1.01, b, v) >= exclusion_q(s, b, v)


@given(st.floats(1e-2, 1e4), st.floats(1e-2, 1e5), uncertainties)
@settings(max_examples=60)
def test_slopes_are_derivatives(s: float, b: float, r: float) -> None:
    v = (r * b) ** 2
    e = 1e-5 * s
    for q, slope in ((exclusion_q, exclusion_slope), (chi2_q, chi2_slope)):
        numeric = (q(s + e, b, v) - q(s - e, b, v)) / (2 * e)
        assert slope(s, b, v) == pytest.approx(numeric, rel=1e-4, abs=1e-12)


@given(st.floats(1e-300, 1e300), st.floats(1e-300, 1e300), st.floats(0.0, 1e300))
@settings(max_examples=200)
def test_chi2_slope_at_any_scale(s: float, b: float, v: float) -> None:
    """No overflow or underflow warning (pytest turns them into errors) and the slope's
    bounds 0 <= dchi2/dS <= 2 hold from 1e-300 to 1e300 events (a background of 1e300 once
    overflowed S (S + 2 B), a tiny one underflowed (S + B)^2)."""
    slope = float(chi2_slope(s, b, v))
    assert 0.0 <= slope <= 2.0
    assert slope == pytest.approx((s / (s + b + v)) * ((s + 2 * (b + v)) / (s + b + v)))


@given(st.floats(1e8, 1e14), st.floats(1e-3, 1.0), st.floats(0.0, 1e7), uncertainties)
@settings(max_examples=60)
def test_solver_prompt_closed_form_with_variance(rate: float, acc: float, b: float, r: float):
    """chi^2 = S^2/(S + B + v) = Delta: S = (Delta + sqrt(Delta^2 + 4 Delta (B + v)))/2."""
    d95 = solve_upper_limit(
        np.array([[rate]]),
        np.array([[[acc]]]),
        np.array([[[1e30]]]),
        np.array([b]),
        uncertainty=r,
    )[0]
    rest = b + (r * b) ** 2
    s = 0.5 * (DELTA_CHI2_95 + math.sqrt(DELTA_CHI2_95**2 + 4 * DELTA_CHI2_95 * rest))
    assert d95 == pytest.approx(math.sqrt(s / (rate * acc)), rel=1e-7)


def test_solver_asimov_matches_closed_form() -> None:
    rate, acc, b, r = 1e12, 0.3, 5e4, 0.02
    d95 = solve_upper_limit(
        np.array([[rate]]),
        np.array([[[acc]]]),
        np.array([[[1e30]]]),
        np.array([b]),
        Statistic.ASIMOV,
        uncertainty=r,
    )[0]
    s = rate * acc * d95**2
    assert exclusion_q(s, b, (r * b) ** 2) == pytest.approx(DELTA_CHI2_95, rel=1e-8)


def _toy_q(s: float, n: np.ndarray, m: np.ndarray, tau: float) -> np.ndarray:
    """One-sided q(s) of each toy (n, m) of the on/off experiment: -2 ln lambda(s), zero
    where the best-fit signal exceeds s (Cowan et al. Eq. 14)."""
    a = 1.0 + tau
    lin = a * s - n - m
    b_cond = (-lin + np.sqrt(lin**2 + 4.0 * a * m * s)) / (2.0 * a)
    s_hat = n - m / tau

    def nll(mu: np.ndarray, bp: np.ndarray) -> np.ndarray:
        return mu + bp + tau * bp - xlogy(n, mu + bp) - xlogy(m, tau * bp)

    q = 2.0 * (nll(np.full_like(b_cond, s), b_cond) - nll(s_hat, m / tau))
    return np.where(s_hat > s, 0.0, np.maximum(q, 0.0))


def test_toy_monte_carlo_median_and_size() -> None:
    """Toy experiments (seeded) of the on/off counting experiment with B = 400, 5 %
    uncertainty (Delta_B = 20, tau = 1): the Asimov S95 has q >= Delta in half of the
    background-only toys (median exclusion), and the threshold Delta rejects the true signal
    S95 in 5 % of the signal toys (the size of the test with the profiled nuisance)."""
    rng = np.random.default_rng(20220415)
    b, r, n_toys = 400.0, 0.05, 40_000
    v = (r * b) ** 2
    tau = b / v
    s95 = brentq(lambda s: exclusion_q(s, b, v) - DELTA_CHI2_95, 1e-6, 10 * b)
    n = rng.poisson(b, n_toys).astype(float)
    m = rng.poisson(tau * b, n_toys).astype(float)
    q_bkg = _toy_q(s95, n, m, tau)
    assert np.median(q_bkg) == pytest.approx(DELTA_CHI2_95, rel=0.05)
    n_sig = rng.poisson(s95 + b, n_toys).astype(float)
    m_sig = rng.poisson(tau * b, n_toys).astype(float)
    size = np.mean(_toy_q(s95, n_sig, m_sig, tau) >= DELTA_CHI2_95)
    assert size == pytest.approx(0.05, abs=0.006)
    # without the profile the same toys reject far too often: the uncertainty matters here
    s_known = brentq(lambda s: exclusion_q(s, b, 0.0) - DELTA_CHI2_95, 1e-6, 10 * b)
    assert s95 > 1.3 * s_known


@pytest.mark.parametrize(("b", "r"), [(0.9, 0.3), (5.0, 0.5), (30.0, 0.1)])
def test_marginal_cdf_against_toys(b: float, r: float) -> None:
    """The gamma-averaged count distribution against sampled b' ~ Gamma, n ~ Pois(S + b')."""
    rng = np.random.default_rng(7)
    s, n_toys = 2.0, 200_000
    k = 1.0 / r**2
    counts = rng.poisson(s + rng.gamma(k, b / k, n_toys))
    for n in range(int(s + b) + 4):
        empirical = np.mean(counts <= n)
        assert marginal_cdf(n, s, b, r) == pytest.approx(empirical, abs=4e-3)


@pytest.mark.parametrize("r", [0.0, 0.01, 0.05, 0.5, 1.0])
def test_poisson_background_free_is_three_events(r: float) -> None:
    """N >= 3 at B = 0 (2.996 = -ln 0.05) whatever the uncertainty."""
    assert expected_signal_limit(0.0, uncertainty=r) == pytest.approx(-math.log(0.05), rel=1e-10)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 50.0), st.integers(0, 40), st.floats(0.0, 1.0))
def test_poisson_cls_solves_its_defining_equation(b: float, n: int, r: float) -> None:
    s = cls_signal_limit(b, n, uncertainty=r)
    ratio = marginal_cdf(n, s, b, r) / marginal_cdf(n, 0.0, b, r)
    assert ratio == pytest.approx(0.05, rel=1e-7)


def test_poisson_uncertainty_continuity_and_effect() -> None:
    """r -> 0 recovers the Poisson limit; at fixed median count, more uncertainty needs more
    signal; and the median count is that of the negative binomial."""
    for b in (0.9, 3.0, 12.0):
        assert expected_signal_limit(b, uncertainty=1e-6) == pytest.approx(
            expected_signal_limit(b), rel=1e-9
        )
    assert background_median(100.0, 0.05) == background_median(100.0)
    limits = [expected_signal_limit(100.0, uncertainty=r) for r in (0.0, 0.01, 0.05, 0.1)]
    assert np.all(np.diff(limits) > 0)


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan, math.inf])
def test_poisson_refuses_bad_uncertainty(bad: float) -> None:
    with pytest.raises(ValueError, match="relative background uncertainty"):
        expected_signal_limit(1.0, uncertainty=bad)
