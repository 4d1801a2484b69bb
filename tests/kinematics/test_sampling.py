"""Integration rules: the tabulated Gauss-Kronrod constants against numpy's Gauss-Legendre rule
and their polynomial exactness, and the composite rule on panels."""

import numpy as np
import pytest

from nudipole.kinematics.sampling import composite_gauss_kronrod, gauss_kronrod


@pytest.mark.parametrize(("points", "gauss"), [(3, 1), (7, 3), (15, 7)])
def test_embedded_gauss_rule_is_gauss_legendre(points: int, gauss: int) -> None:
    x, _, wg = gauss_kronrod(points)
    xg, wgl = np.polynomial.legendre.leggauss(gauss)
    used = wg > 0
    np.testing.assert_allclose(x[used], xg, atol=1e-15)
    np.testing.assert_allclose(wg[used], wgl, rtol=1e-15)


@pytest.mark.parametrize(("points", "degree"), [(3, 5), (7, 11), (15, 23)])
def test_kronrod_rule_exact_to_its_degree(points: int, degree: int) -> None:
    """A (2n+1)-point Kronrod extension of n-point Gauss is exact to degree 3n+1 (n odd:
    3n+2 by symmetry); one degree more it is not."""
    x, wk, _ = gauss_kronrod(points)
    exact = [(1 - (-1) ** (d + 1)) / (d + 1) for d in range(degree + 2)]
    for d in range(degree + 1):
        assert np.sum(wk * x**d) == pytest.approx(exact[d], abs=1e-14)
    assert abs(np.sum(wk * x ** (degree + 1)) - exact[degree + 1]) > 1e-10


def test_composite_rule_on_panels() -> None:
    edges = np.array([[-1.0, -0.2, -0.2, 0.5, 1.0], [0.0, 0.1, 0.3, 0.6, 2.0]])
    x, wk, wg = composite_gauss_kronrod(edges, 7)
    assert x.shape == wk.shape == wg.shape == (2, 28)
    np.testing.assert_allclose(wk.sum(axis=1), [2.0, 2.0], rtol=1e-14)
    np.testing.assert_allclose(wg.sum(axis=1), [2.0, 2.0], rtol=1e-14)
    # a function with a kink at a panel edge is integrated exactly piecewise
    f = np.abs(x + 0.2) ** 3
    np.testing.assert_allclose(np.sum(wk[0] * f[0]), (0.8**4 + 1.2**4) / 4, rtol=1e-14)
    assert np.all(wk[0][7:14] == 0.0)  # the zero-width panel has zero weights
