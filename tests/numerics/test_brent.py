"""Brent's root and minimum in one variable (nudipole.numerics.brent): analytic roots and
minima, the stated tolerances, the references (scipy's brentq and bounded minimize_scalar,
the same procedures), and bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize_scalar

from nudipole.numerics import (
    NoConvergenceError,
    NotBracketedError,
    minimize_bounded,
    root_bracketed,
)


def test_root_of_cubic_is_exact_to_tolerance() -> None:
    # x^3 - 2 has its real root at 2^(1/3)
    root = root_bracketed(lambda x: x**3 - 2.0, 0.0, 3.0, xtol=1e-14, rtol=1e-15)
    assert root == pytest.approx(2.0 ** (1.0 / 3.0), abs=2e-14)


def test_root_bracket_in_either_order_and_zero_at_an_end() -> None:
    assert root_bracketed(math.cos, 3.0, 0.0, xtol=1e-13) == pytest.approx(math.pi / 2, abs=1e-13)
    assert root_bracketed(lambda x: x - 1.0, 1.0, 5.0) == 1.0
    assert root_bracketed(lambda x: x - 5.0, 1.0, 5.0) == 5.0


def test_root_of_step_function_is_the_jump() -> None:
    # no interpolation helps; bisection still brackets the sign change to the tolerance
    calls = []

    def step(x: float) -> float:
        calls.append(x)
        return -1.0 if x < 0.3 else 1.0

    root = root_bracketed(step, 0.0, 1.0, xtol=1e-10, rtol=1e-15)
    assert abs(root - 0.3) <= 1e-10
    assert len(calls) <= 2 + 40  # about one bisection per bit


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-3.0, 3.0),
    st.floats(0.01, 5.0),
    st.floats(0.01, 5.0),
    st.integers(1, 5),
    st.sampled_from([1e-4, 1e-9, 1e-13]),
)
def test_root_within_tolerance_and_as_scipy(
    c: float, left: float, right: float, power: int, xtol: float
) -> None:
    def f(x: float) -> float:
        # odd in (x - c), monotonic: one root at c
        y = x - c
        return math.copysign(abs(y) ** power, y) + 0.1 * y**3 + 0.01 * math.sin(y)

    a, b = c - left, c + right
    calls: list[float] = []

    def counted(x: float) -> float:
        calls.append(x)
        return f(x)

    root = root_bracketed(counted, a, b, xtol=xtol, rtol=1e-12)
    mine = len(calls)
    calls.clear()
    reference = brentq(counted, a, b, xtol=xtol, rtol=1e-12)
    # within the stated tolerance of the true root (a bracket of that width holds it)
    assert abs(root - c) <= xtol + 1e-12 * abs(c) + 1e-15
    assert abs(root - reference) <= xtol + 1e-12 * abs(c) + 1e-15
    # the same procedure: as many evaluations as the reference, give or take one
    assert abs(mine - len(calls)) <= 1


def test_root_errors() -> None:
    with pytest.raises(NotBracketedError, match="do not differ in sign"):
        root_bracketed(lambda x: x * x + 1.0, -1.0, 1.0)
    with pytest.raises(NotBracketedError):
        root_bracketed(lambda x: math.nan, -1.0, 1.0)
    with pytest.raises(ValueError, match="need xtol > 0"):
        root_bracketed(lambda x: x, -1.0, 1.0, xtol=0.0)
    with pytest.raises(ValueError, match="rtol >="):
        root_bracketed(lambda x: x, -1.0, 1.0, rtol=1e-17)
    with pytest.raises(NoConvergenceError, match="within 3 evaluations"):
        root_bracketed(lambda x: -1.0 if x < 0.123456 else 1.0, 0.0, 1.0, xtol=1e-12, maxiter=3)
    # NotBracketedError is a ValueError (callers that caught scipy's ValueError still do)
    assert issubclass(NotBracketedError, ValueError)


def test_minimum_of_parabola_and_of_cosine() -> None:
    x, fx = minimize_bounded(lambda x: (x - 0.7) ** 2 + 3.0, -2.0, 5.0, xatol=1e-10)
    assert x == pytest.approx(0.7, abs=1e-7)  # sqrt(eps) |x| sets the floor, as documented
    assert fx == pytest.approx(3.0, abs=1e-14)
    x, fx = minimize_bounded(math.cos, 2.0, 4.0, xatol=1e-9)
    assert x == pytest.approx(math.pi, abs=1e-7)
    assert fx == pytest.approx(-1.0, abs=1e-14)


def test_minimum_at_an_end_stays_inside() -> None:
    # a monotonic function: the minimum is at the end, approached to the tolerance and
    # never evaluated beyond it
    seen: list[float] = []

    def f(x: float) -> float:
        seen.append(x)
        return x

    x, _ = minimize_bounded(f, 1.0, 2.0, xatol=1e-6)
    assert 1.0 < x < 1.0 + 1e-5
    assert all(1.0 < s < 2.0 for s in seen)


@settings(max_examples=200, deadline=None)
@given(st.floats(-3.0, 3.0), st.floats(0.1, 10.0), st.floats(0.01, 3.0), st.floats(0.01, 3.0))
@example(0.37109375, 0.125, 0.01, 0.01)  # the minimum at the interval's left end
def test_minimum_as_scipy(c: float, scale: float, left: float, right: float) -> None:
    def f(x: float) -> float:
        y = x - c
        return scale * y * y + 0.3 * y**4 - 0.01 * math.cos(x)

    a, b = c - left, c + right
    x, fx = minimize_bounded(f, a, b, xatol=1e-8)
    reference = minimize_scalar(f, bounds=(a, b), method="bounded", options={"xatol": 1e-8})
    tol = 2.0 * (1.5e-8 * abs(x) + 1e-8 / 3.0)
    assert abs(x - reference.x) <= 2.0 * tol
    # no worse than the reference by more than |f'| over that distance (a minimum at an end
    # of the interval, approached by both to the tolerance, has f' != 0 there)
    reach = max(left, right)
    slope = 2.0 * scale * reach + 1.2 * reach**3 + 0.01
    assert fx <= reference.fun + 2.0 * tol * slope
    assert f(x) == fx


def test_minimum_errors() -> None:
    with pytest.raises(ValueError, match="need finite a < b"):
        minimize_bounded(abs, 1.0, 1.0)
    with pytest.raises(ValueError, match="need finite a < b"):
        minimize_bounded(abs, 0.0, math.inf)
    with pytest.raises(ValueError, match="need xatol > 0"):
        minimize_bounded(abs, 0.0, 1.0, xatol=0.0)
