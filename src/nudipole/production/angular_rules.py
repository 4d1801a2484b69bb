"""Angular quadrature rules of the far-detector count: Gauss-Legendre nodes, the polar angle
from sin^2(theta/2) by the arcsin series, and the phi* rules of the meson source (module
docstring of :mod:`nudipole.production.meson_source`)."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from nudipole.physics._types import FloatArray


@lru_cache(maxsize=64)
def gauss_legendre(n: int) -> tuple[FloatArray, FloatArray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (cached, read-only)."""
    x, w = np.polynomial.legendre.leggauss(n)
    out = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    for arr in out:
        arr.setflags(write=False)
    return out


#: Largest sin^2(theta/2) for which theta is taken from the arcsin series (theta < 0.45).
SERIES_MAX = 0.05


def arcsin_series_terms(x_max: float) -> FloatArray | None:
    """Coefficients a_n of arcsin(y) = y sum_n a_n y^(2n) (Abramowitz & Stegun 4.4.40),
    a_0 = 1, a_n = a_(n-1) (2n-1)^2 / (2n (2n+1)), enough terms that the remainder is below
    1e-17 relative for y^2 <= x_max; None when x_max is too large for the series."""
    if not x_max <= SERIES_MAX:
        return None
    coef = [1.0]
    while coef[-1] * x_max ** (len(coef) - 1) > 1e-17 or len(coef) < 2:
        n = len(coef)
        coef.append(coef[-1] * (2 * n - 1) ** 2 / (2 * n * (2 * n + 1)))
    return np.asarray(coef)


def polar_angle(sin2_half: FloatArray, coef: FloatArray | None) -> FloatArray:
    """theta = 2 arcsin(sqrt(x)) of x = sin^2(theta/2) in [0, 1] (series when ``coef``)."""
    y = np.sqrt(sin2_half)
    if coef is None:
        np.minimum(y, 1.0, out=y)  # rounding may put x a little above 1
        np.arcsin(y, out=y)
        y *= 2.0
        return y
    acc: FloatArray = sin2_half * (2.0 * float(coef[-1]))
    for a in coef[-2:0:-1]:
        acc += 2.0 * float(a)
        acc *= sin2_half
    acc += 2.0 * float(coef[0])
    acc *= y
    return acc


def azimuth_rules(s_hi: float, n_phi: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The phi* rule of the compiled count for a window up to sin^2(theta_hi/2) = s_hi: the
    arcsin series coefficients (empty: use arcsin), and the ``n_phi`` Gauss-Legendre nodes as
    fractions of an interval of psi = phi*/2 with their weights / pi."""
    coef = arcsin_series_terms(s_hi * (1.0 + 1e-9))
    x_p, wx_p = gauss_legendre(n_phi)
    return (
        coef if coef is not None else np.empty(0),
        0.5 * (x_p + 1.0),
        wx_p / math.pi,
    )
