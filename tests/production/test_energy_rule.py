"""Gauss rules of a discrete measure (nudipole.production.energy_rule)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.production.energy_rule import gauss_rule, gauss_rule_numpy
from nudipole.production.meson_rates import energy_nodes


def test_uniform_measure_gives_gauss_legendre() -> None:
    # A fine midpoint rule of the uniform measure on [-1, 1]: its n-point Gauss rule tends to
    # Gauss-Legendre (nodes and weights) as the measure is refined.
    m = 20000
    x = -1.0 + (np.arange(m) + 0.5) * (2.0 / m)
    w = np.full(m, 2.0 / m)
    for n in (1, 2, 4, 6):
        gx, gw = gauss_rule(x, w, n)
        lx, lw = np.polynomial.legendre.leggauss(n)
        np.testing.assert_allclose(gx, lx, atol=2e-7)
        np.testing.assert_allclose(gw, lw, atol=2e-7)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(20, 300),
)
def test_moments_exact_to_degree_2n_minus_1(n: int, seed: int, size: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.3, 2.0, size)
    w = rng.uniform(0.0, 1.0, size)
    gx, gw = gauss_rule(x, w, n)
    assert gx.size == n
    assert np.all(gw > 0.0)
    assert np.all((gx >= x.min()) & (gx <= x.max()))
    for k in range(2 * n):
        exact = np.dot(w, x**k)
        assert np.dot(gw, gx**k) == pytest.approx(exact, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 8), seed=st.integers(0, 2**32 - 1), size=st.integers(1, 200))
def test_compiled_rule_equals_numpy_steps(n: int, seed: int, size: int) -> None:
    # the compiled kernel and the NumPy reference: the same algorithm, so the same rule to
    # rounding (zero weights dropped, ties and small supports included)
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0.1, 3.0, size), 1 if seed % 2 else 12)
    w = np.where(rng.random(size) < 0.2, 0.0, rng.uniform(0.0, 1.0, size))
    if not np.any(w > 0.0):
        w[0] = 1.0
    gx, gw = gauss_rule(x, w, n)
    rx, rw = gauss_rule_numpy(x, w, n)
    np.testing.assert_allclose(gx, rx, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gw, rw, rtol=1e-10, atol=1e-12 * float(w.sum()))


def test_small_support_returned_unchanged() -> None:
    x = np.array([2.0, 1.0, 2.0])
    w = np.array([1.0, 3.0, 0.5])
    gx, gw = gauss_rule(x, w, 4)
    np.testing.assert_allclose(gx, [1.0, 2.0])
    np.testing.assert_allclose(gw, [3.0, 1.5])


@pytest.mark.parametrize(
    ("nodes", "weights", "n", "match"),
    [
        (np.ones(3), np.ones(2), 2, "equal length"),
        (np.ones(3), np.zeros(3), 2, "no positive weight"),
        (np.ones(3), np.ones(3), 0, "positive integer"),
    ],
)
def test_bad_input(nodes: np.ndarray, weights: np.ndarray, n: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        gauss_rule(nodes, weights, n)


@pytest.mark.parametrize(("channel", "m_n"), [("pi0", 0.01), ("eta", 0.2), ("D", 0.5)])
def test_decay_distribution_keeps_branching_ratio_and_mean(channel: str, m_n: float) -> None:
    e, w = energy_nodes(channel, m_n, "e")
    gx, gw = gauss_rule(e, w, 4)
    assert gw.sum() == pytest.approx(w.sum(), rel=1e-12)
    assert np.dot(gw, gx) == pytest.approx(np.dot(w, e), rel=1e-12)
    # the mean N momentum, sqrt(E*^2 - m^2) (not a polynomial: a square-root edge at E* = m):
    # 4 nodes to 3e-4 (measured 0.4-1.9e-4), 8 nodes to 2e-6 (0.2-0.9e-6)
    p = np.sqrt(np.maximum(e**2 - m_n**2, 0.0))
    for n, tol in ((4, 3e-4), (8, 2e-6)):
        gx, gw = gauss_rule(e, w, n)
        gp = np.sqrt(np.maximum(gx**2 - m_n**2, 0.0))
        assert np.dot(gw, gp) == pytest.approx(np.dot(w, p), rel=tol)
