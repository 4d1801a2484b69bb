"""Integration nodes over the signal phase space (production angle, photon direction).

The signal acceptance is an integral over z_N = cos(theta_N) in [-1, 1], the photon polar
cosine c* in the N helicity frame in [-1, 1] and its azimuth f* in [0, 2 pi). A
:class:`Nodes` object holds points and weights such that ``sum(weight * g(point))``
approximates the average of ``g`` over that box (uniform measure). Three rules:

* :func:`monte_carlo_nodes`: independent uniform points from an explicit
  ``numpy.random.Generator`` (weights 1/n, error from the sample variance);
* :func:`sobol_nodes`: scrambled Sobol points (randomised quasi-Monte Carlo);
* :func:`quadrature_nodes`: a deterministic Gauss-Legendre x Gauss-Legendre x midpoint grid.
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
