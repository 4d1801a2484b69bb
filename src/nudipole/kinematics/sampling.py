"""Integration nodes over the signal phase space (production angle, photon direction).

The signal acceptance is an integral over z_N = cos(theta_N) in [-1, 1], the photon polar
cosine c* in the N helicity frame in [-1, 1] and its azimuth f* in [0, 2 pi). A
:class:`Nodes` object holds points and weights such that ``sum(weight * g(point))``
approximates the average of ``g`` over that box (uniform measure). Three rules:

* :func:`monte_carlo_nodes`: independent uniform points from an explicit
  ``numpy.random.Generator`` (weights 1/n, error from the sample variance);
* :func:`sobol_nodes`: scrambled Sobol points (randomised quasi-Monte Carlo);
* :func:`quadrature_nodes`: a deterministic Gauss-Legendre x Gauss-Legendre x midpoint grid.

The default e+ e- integration is not a box rule: it is the cut-adapted rule of
:mod:`nudipole.production.ee_rules`, built from the composite Gauss-Kronrod rules here
(:func:`gauss_kronrod`, :func:`composite_gauss_kronrod`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nudipole.physics._types import FloatArray


@dataclass(frozen=True)
class Nodes:
    """Points (z_N, c*, f*) and weights on [-1,1] x [-1,1] x [0, 2 pi); weights sum to one."""

    cos_n: FloatArray
    cos_star: FloatArray
    phi_star: FloatArray
    weight: FloatArray
    rule: str

    def __len__(self) -> int:
        return int(self.weight.size)


def _from_unit_cube(u: FloatArray, rule: str) -> Nodes:
    n = u.shape[0]
    return Nodes(
        cos_n=2.0 * u[:, 0] - 1.0,
        cos_star=2.0 * u[:, 1] - 1.0,
        phi_star=2.0 * np.pi * u[:, 2],
        weight=np.full(n, 1.0 / n),
        rule=rule,
    )


def monte_carlo_nodes(rng: np.random.Generator, n: int) -> Nodes:
    """``n`` uniform random points drawn from ``rng``."""
    if n < 1:
        raise ValueError("number of Monte Carlo events must be at least 1")
    return _from_unit_cube(rng.random((n, 3)), "monte-carlo")


def sobol_nodes(rng: np.random.Generator, n: int) -> Nodes:
    """``n`` scrambled Sobol points (rounded up to a power of two), scrambled with ``rng``."""
    if n < 1:
        raise ValueError("number of quasi-Monte Carlo events must be at least 1")
    from scipy.stats import qmc  # here, not at import: scipy.stats costs 0.5 s

    m = int(np.ceil(np.log2(n)))
    sampler = qmc.Sobol(d=3, scramble=True, seed=rng)
    return _from_unit_cube(np.asarray(sampler.random_base2(m), dtype=float), "sobol")


def quadrature_nodes(n_cos_n: int = 48, n_cos_star: int = 48, n_phi: int = 24) -> Nodes:
    """Product rule: Gauss-Legendre in z_N and c*, midpoint (exact for trigonometric
    polynomials of degree < n_phi) in f*."""
    if min(n_cos_n, n_cos_star, n_phi) < 1:
        raise ValueError("quadrature orders must be positive")
    z, wz = np.polynomial.legendre.leggauss(n_cos_n)
    c, wc = np.polynomial.legendre.leggauss(n_cos_star)
    phi = 2.0 * np.pi * (np.arange(n_phi) + 0.5) / n_phi
    wphi = np.full(n_phi, 1.0 / n_phi)
    zz, cc, pp = np.meshgrid(z, c, phi, indexing="ij")
    ww = (wz[:, None, None] / 2.0) * (wc[None, :, None] / 2.0) * wphi[None, None, :]
    return Nodes(
        cos_n=zz.ravel(),
        cos_star=cc.ravel(),
        phi_star=pp.ravel(),
        weight=ww.ravel(),
        rule="quadrature",
    )


#: 15-point Gauss-Kronrod rule on [-1, 1] (abscissae >= 0; the rule is symmetric) and the
#: weights of its embedded 7-point Gauss rule (at the odd-indexed abscissae), from QUADPACK
#: dqk15 (R. Piessens, E. de Doncker-Kapenga, C. Ueberhuber, D. Kahaner, QUADPACK, Springer
#: 1983). tests/kinematics/test_sampling.py checks them against numpy's Gauss-Legendre rule
#: and the Kronrod rule's exactness for polynomials of degree 22.
_GK15_X = (
    0.991455371120812639206854697526329,
    0.949107912342758524526189684047851,
    0.864864423359769072789712788640926,
    0.741531185599394439863864773280788,
    0.586087235467691130294144845693013,
    0.405845151377397166906606412076961,
    0.207784955007898467600689403773245,
    0.0,
)
_GK15_WK = (
    0.022935322010529224963732008058970,
    0.063092092629978553290700663189204,
    0.104790010322250183839876322541518,
    0.140653259715525918745189590510238,
    0.169004726639267902826583426598550,
    0.190350578064785409913256402421014,
    0.204432940075298892414161999234649,
    0.209482141084727828012999174891714,
)
_G7_W = (
    0.129484966168869693270611432679082,
    0.279705391489276667901467771423780,
    0.381830050505118944950369775488975,
    0.417959183673469387755102040816327,
)


#: 7-point Gauss-Kronrod rule (abscissae >= 0) and its embedded 3-point Gauss rule
#: (Kronrod 1965; tabulated e.g. by Laurie, Math. Comp. 66 (1997) 1133); checked like GK15.
_GK7_X = (
    0.960491268708020283423507092629080,
    0.774596669241483377035853079956480,
    0.434243749346802558002071502844628,
    0.0,
)
_GK7_WK = (
    0.104656226026467265193823857192073,
    0.268488089868333440728569280666710,
    0.401397414775962222905051818618432,
    0.450916538658474142345110087045571,
)
_G3_W = (0.555555555555555555555555555555556, 0.888888888888888888888888888888889)


def gauss_kronrod(points: int = 15) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The ``points``-point Gauss-Kronrod rule (7 or 15) on [-1, 1] with its embedded Gauss
    rule (3 or 7 points): abscissae (increasing), Kronrod weights, Gauss weights (zero at the
    Kronrod-only abscissae). Sources as for :data:`_GK15_X` and :data:`_GK7_X`."""
    xs: tuple[float, ...]
    wks: tuple[float, ...]
    wgs: tuple[float, ...]
    if points == 15:
        xs, wks, wgs = _GK15_X, _GK15_WK, _G7_W
    elif points == 3:  # Gauss-Legendre 3 = Kronrod extension of the midpoint rule
        xs, wks, wgs = (float(np.sqrt(0.6)), 0.0), (5.0 / 9.0, 8.0 / 9.0), (2.0,)
    elif points == 7:
        xs, wks, wgs = _GK7_X, _GK7_WK, _G3_W
    else:
        raise ValueError("Gauss-Kronrod rules of 3, 7 or 15 points are available")
    half = np.asarray(xs)
    n = half.size
    x = np.concatenate([-half[:-1], half[::-1]])
    wk_half = np.asarray(wks)
    wk = np.concatenate([wk_half[:-1], wk_half[::-1]])
    wg_half = np.zeros(n)
    wg_half[1::2] = wgs
    wg = np.concatenate([wg_half[:-1], wg_half[::-1]])
    return x, wk, wg


def gauss_kronrod_15() -> tuple[FloatArray, FloatArray, FloatArray]:
    """The 15-point Gauss-Kronrod rule on [-1, 1] with its embedded 7-point Gauss rule.

    Returns
    -------
    x, w_kronrod, w_gauss
        15 abscissae (increasing), the Kronrod weights (exact for polynomials of degree 22)
        and the Gauss weights on the same abscissae (zero at the 8 Kronrod-only points; exact
        to degree 13). Source: QUADPACK dqk15 (Piessens et al. 1983).
    """
    return gauss_kronrod(15)


def composite_gauss_kronrod(
    edges: FloatArray, points: int = 15
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The ``points``-point Gauss-Kronrod rule (7 or 15) on every panel between consecutive
    ``edges``.

    Parameters
    ----------
    edges
        (..., E + 1) non-decreasing panel edges along the last axis; a zero-width panel gets
        zero weights.

    Returns
    -------
    x, w_kronrod, w_gauss
        (..., points E) abscissae and the weights of the composite Kronrod and embedded Gauss
        rules (each summing to edges[..., -1] - edges[..., 0]).
    """
    xk, wk, wg = gauss_kronrod(points)
    e = np.asarray(edges, dtype=float)
    mid = 0.5 * (e[..., 1:] + e[..., :-1])
    half = 0.5 * (e[..., 1:] - e[..., :-1])
    shape = (*e.shape[:-1], points * (e.shape[-1] - 1))
    x = (mid[..., None] + half[..., None] * xk).reshape(shape)
    return (
        np.asarray(x),
        np.asarray((half[..., None] * wk).reshape(shape)),
        np.asarray((half[..., None] * wg).reshape(shape)),
    )
