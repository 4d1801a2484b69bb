"""Brent's methods in one variable: a root in a sign-changing bracket and a minimum in an
interval, without derivatives.

Written from R. P. Brent, *Algorithms for Minimization without Derivatives* (Prentice-Hall,
1973): ch. 4 (procedure *zero*: bisection safeguarding secant and inverse quadratic
interpolation) and ch. 5 (procedure *localmin*: golden-section search safeguarding
parabolic interpolation). Both converge as the references do (scipy's ``brentq`` and
``minimize_scalar(method="bounded")``, which implement the same procedures; compared in
``tests/numerics/test_brent.py``), and they are here so that the band solve does not import
``scipy.optimize`` (0.2-0.3 s of start-up, mostly ``scipy.linalg`` and ``numpy.f2py`` that
it pulls in): the far-detector part of ``nudipole headline`` then starts that much sooner.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

#: Machine epsilon of a double (2^-52).
_EPS = sys.float_info.epsilon
#: (3 - sqrt 5) / 2: the golden-section fraction of an interval (Brent 1973, ch. 5).
_GOLDEN = 0.5 * (3.0 - math.sqrt(5.0))


class NotBracketedError(ValueError):
    """f has the same sign at both ends of the interval given to :func:`root_bracketed`."""


class NoConvergenceError(RuntimeError):
    """The iteration limit was reached before the tolerance (a discontinuous or NaN f)."""


def root_bracketed(
    f: Callable[[float], float],
    a: float,
    b: float,
    xtol: float = 1e-12,
    rtol: float = 4.0 * _EPS,
    maxiter: int = 100,
) -> float:
    """A root of ``f`` in [a, b], where f(a) and f(b) differ in sign (Brent 1973, ch. 4).

    Each step takes the secant or inverse quadratic interpolation through the last three
    points when it falls well inside the bracket and shrinks it fast enough, else bisects;
    the bracket [b, c] always holds a sign change, so the root is found to the tolerance
    whatever f does between evaluations.

    Parameters
    ----------
    f
        The function (any float in, float out).
    a, b
        Ends of the bracket (either order).
    xtol, rtol
        The root is returned once it is known to within xtol + rtol |x| (absolute units of
        x; ``rtol`` at least 4 machine epsilons, as below that the bracket cannot shrink).
    maxiter
        Most evaluations after the two at the ends.

    Returns
    -------
    float
        The end of the final bracket at which |f| is smaller (an exact zero if one was hit).

    Raises
    ------
    NotBracketedError
        f(a) and f(b) have the same sign (or one is NaN).
    NoConvergenceError
        ``maxiter`` steps did not reach the tolerance.
    ValueError
        ``xtol`` <= 0, ``rtol`` < 4 eps or ``maxiter`` < 1.
    """
    if not (xtol > 0.0 and rtol >= 4.0 * _EPS and maxiter >= 1):
        raise ValueError(
            f"xtol={xtol!r}, rtol={rtol!r}, maxiter={maxiter!r}: need xtol > 0, "
            f"rtol >= {4.0 * _EPS:.3g} and maxiter >= 1"
        )
    fa = f(a)
    fb = f(b)
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    if not (fa * fb < 0.0):
        raise NotBracketedError(
            f"f({a!r}) = {fa!r} and f({b!r}) = {fb!r} do not differ in sign: no root bracketed"
        )
    # b: the best estimate; c: the other end of the bracket (f(b), f(c) differ in sign);
    # a: the previous b. d: the last step, e: the one before (for the acceptance test).
    c, fc = a, fa
    d = e = b - a
    for _ in range(maxiter):
        if (fb > 0.0) == (fc > 0.0):
            c, fc = a, fa
            d = e = b - a
        if abs(fc) < abs(fb):
            # keep b the end with the smaller |f|
            a, fa = b, fb
            b, fb = c, fc
            c, fc = a, fa
        tol = 0.5 * (xtol + rtol * abs(b))
        half = 0.5 * (c - b)
        if abs(half) <= tol or fb == 0.0:
            return b
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:
                # secant through a and b
                p = 2.0 * half * s
                q = 1.0 - s
            else:
                # inverse quadratic through a, b and c
                q = fa / fc
                r = fb / fc
                p = s * (2.0 * half * q * (q - r) - (b - a) * (r - 1.0))
                q = (q - 1.0) * (r - 1.0) * (s - 1.0)
            if p > 0.0:
                q = -q
            else:
                p = -p
            # accept the interpolation if it lands inside the bracket, clear of its far
            # end, and the step is less than half the one before last
            if 2.0 * p < min(3.0 * half * q - abs(tol * q), abs(e * q)):
                e = d
                d = p / q
            else:
                d = e = half
        else:
            d = e = half
        a, fa = b, fb
        b += d if abs(d) > tol else math.copysign(tol, half)
        fb = f(b)
    raise NoConvergenceError(
        f"no root to xtol={xtol!r}, rtol={rtol!r} within {maxiter} evaluations "
        f"(last bracket [{min(b, c)!r}, {max(b, c)!r}])"
    )


def minimize_bounded(
    f: Callable[[float], float],
    a: float,
    b: float,
    xatol: float = 1e-5,
    maxiter: int = 500,
) -> tuple[float, float]:
    """A local minimum of ``f`` in [a, b] (Brent 1973, ch. 5).

    Starts at the golden-section point; each step takes the parabola through the three best
    points when its minimum falls inside the interval and the step is less than half the
    one before last, else a golden-section step into the larger part. Never evaluates f
    closer to a or b than the tolerance. For a unimodal f this is the minimum.

    Parameters
    ----------
    f
        The function.
    a, b
        The interval (a < b).
    xatol
        Absolute tolerance on x: the minimum is known to within about 2 (sqrt(eps) |x| +
        xatol / 3) (scipy's ``minimize_scalar(method="bounded")`` uses the same measure).
    maxiter
        Most evaluations.

    Returns
    -------
    (x, f(x))
        The best point found and its value.

    Raises
    ------
    ValueError
        Not a < b (finite), xatol <= 0 or maxiter < 1.
    """
    if not (math.isfinite(a) and math.isfinite(b) and a < b):
        raise ValueError(f"interval [{a!r}, {b!r}]: need finite a < b")
    if not (xatol > 0.0 and maxiter >= 1):
        raise ValueError(f"xatol={xatol!r}, maxiter={maxiter!r}: need xatol > 0 and maxiter >= 1")
    sqrt_eps = math.sqrt(_EPS)
    # x: the best point so far; w: the second best; v: the previous w
    x = w = v = a + _GOLDEN * (b - a)
    fx = fw = fv = f(x)
    d = e = 0.0
    for _ in range(maxiter - 1):
        mid = 0.5 * (a + b)
        tol1 = sqrt_eps * abs(x) + xatol / 3.0
        tol2 = 2.0 * tol1
        if abs(x - mid) <= tol2 - 0.5 * (b - a):
            break
        golden = True
        if abs(e) > tol1:
            # parabola through x, w and v
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = 2.0 * (q - r)
            if q > 0.0:
                p = -p
            q = abs(q)
            e_prev = e
            e = d
            if abs(p) < abs(0.5 * q * e_prev) and q * (a - x) < p < q * (b - x):
                d = p / q
                u = x + d
                # not too close to the ends
                if u - a < tol2 or b - u < tol2:
                    d = math.copysign(tol1, mid - x)
                golden = False
        if golden:
            e = (a - x) if x >= mid else (b - x)
            d = _GOLDEN * e
        u = x + (d if abs(d) >= tol1 else math.copysign(tol1, d))
        fu = f(u)
        if fu <= fx:
            if u >= x:
                a = x
            else:
                b = x
            v, fv = w, fw
            w, fw = x, fx
            x, fx = u, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv = w, fw
                w, fw = u, fu
            elif fu <= fv or v in (x, w):
                v, fv = u, fu
    return x, fx
