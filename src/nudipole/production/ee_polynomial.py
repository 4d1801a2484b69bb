"""The e+ e- signal density as a polynomial in the N direction, and its azimuthal average.

The acceptance integrand of the cut-adapted rule (:mod:`nudipole.production.ee_rules`) is the
density a(z, c*) + b(z, c*) cos f* of :func:`~nudipole.production.ee_source.density_coefficients`
at z = cos theta_g cos alpha + sin theta_g sin alpha cos psi. With the photon-only production
(seed Eq. 2) it is a polynomial in z at fixed c*: with n = 3 / (2 (s + 2 m^2)) and
P = 1 (``spin-correlated``), 0 (``isotropic``),

    a = n [(s + m^2) - P c* (s - m^2)] - n [(s - m^2) - P c* (s + m^2)] z^2,
    b = -2 n sqrt(s) m sqrt(1 - c*^2) z sqrt(1 - z^2)                (spin-correlated, else 0)

(seed Eq. 2 times the photon density (1/4 pi)[1 - P_L cos t* - P_T sin t* cos f*] with P_L and
P_T of PHYSICS.md §3, :func:`nudipole.physics.production.polarization_longitudinal` and
``polarization_transverse``; ``one-minus-cos``: a = (1 - c*) x seed Eq. 2's shape, b = 0). In
general this module takes

    a = a0 + a1 z + a2 z^2,    b = (b0 + b1 z) sqrt(1 - z^2),                        (P)

the photon-only coefficients in closed form (:func:`photon_only_density`); for productions with Z
and W couplings it reads the coefficients off the density at three values of z (once per
energy and mass: the density is affine in c*) and checks the form at two more
(:func:`quadratic_density`), so that they use it wherever it holds (s-channel exchange) and
the node-by-node rule elsewhere (the W's t-channel propagator).

With cos f* = (z cos alpha - cos theta_g) / (sqrt(1 - z^2) sin alpha), the integrand (P) is a
polynomial of degree 2 in cos psi, and its average over psi in [0, pi] (<cos psi> = 0,
<cos^2 psi> = 1/2) is a polynomial of degree 2 in cos theta_g (:func:`psi_average`):

    <z> = cos theta_g cos alpha,  <z^2> = cos^2 theta_g cos^2 alpha + sin^2 theta_g sin^2 alpha / 2,
    <a + b cos f*> = d0 + d1 cos theta_g + d2 cos^2 theta_g,
    d0 = a0 + a2 sin^2 alpha / 2 + b1 cos alpha sin alpha / 2,
    d1 = a1 cos alpha - b0 sin alpha,
    d2 = a2 (cos^2 alpha - sin^2 alpha / 2) - 3 b1 cos alpha sin alpha / 2,

whose integral over a piece of the photon angle is elementary (:func:`piece_integral`,
:func:`moment_integral`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nudipole.physics._types import FloatArray
from nudipole.physics.angular import PhotonAngular
from nudipole.production.ee_source import ProductionShape, density_coefficients

#: The values of z at which the coefficients of (P) are read off, and at which they are checked.
_READ_Z = 0.5
_CHECK_Z = (-0.9, 0.8)
#: Largest relative mismatch of the form (P) at the check values (rounding is ~1e-15).
_CHECK_RTOL = 1.0e-9


@dataclass(frozen=True)
class QuadraticDensity:
    """Coefficients of a = a0 + a1 z + a2 z^2, b = (b0 + b1 z) sqrt(1 - z^2) (module
    docstring, form (P)), one per c* node."""

    a0: FloatArray
    a1: FloatArray
    a2: FloatArray
    b0: FloatArray
    b1: FloatArray

    def coefficients(self, z: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(a, b) at ``z`` (broadcast with the coefficients)."""
        root = np.sqrt(np.clip(1.0 - z * z, 0.0, None))
        return (
            np.asarray(self.a0 + (self.a1 + self.a2 * z) * z),
            np.asarray((self.b0 + self.b1 * z) * root),
        )


def photon_only_density(
    s: FloatArray, m_n: FloatArray, angular: PhotonAngular, cos_star: FloatArray
) -> QuadraticDensity:
    """The photon-only density (seed Eq. 2 times the photon angular density with P_L, P_T of
    PHYSICS.md §3) in the form (P), from the closed form of the module docstring:
    n = 3 / (2 (s + 2 m^2)), a0 = n [(s + m^2) - P c* (s - m^2)],
    a2 = -n [(s - m^2) - P c* (s + m^2)], b1 = -2 n sqrt(s) m sqrt(1 - c*^2) (spin-correlated;
    P = 1), P = 0 and b1 = 0 (isotropic); ``one-minus-cos``: (1 - c*) times the isotropic a.
    ``s`` (GeV^2), ``m_n`` (GeV) and ``cos_star`` broadcast together."""
    s_, m2 = np.asarray(s, dtype=float), np.asarray(m_n, dtype=float) ** 2
    c = np.asarray(cos_star, dtype=float)
    n = 1.5 / (s_ + 2.0 * m2)
    plus, minus = n * (s_ + m2), n * (s_ - m2)
    zero = np.zeros(np.broadcast_shapes(s_.shape, m2.shape, c.shape))
    if angular is PhotonAngular.SPIN_CORRELATED:
        root = np.sqrt(np.clip(1.0 - c * c, 0.0, None))
        return QuadraticDensity(
            a0=np.asarray(plus - c * minus + zero),
            a1=zero,
            a2=np.asarray(c * plus - minus + zero),
            b0=zero,
            b1=np.asarray(-2.0 * n * np.sqrt(s_ * m2) * root + zero),
        )
    scale = 1.0 - c if angular is PhotonAngular.ONE_MINUS_COS else 1.0
    return QuadraticDensity(
        a0=np.asarray(scale * plus + zero),
        a1=zero,
        a2=np.asarray(-scale * minus + zero),
        b0=zero,
        b1=zero,
    )


def quadratic_density(
    s: FloatArray,
    m_n: float | FloatArray,
    angular: PhotonAngular,
    cos_star: FloatArray,
    production: ProductionShape | None = None,
    conjugate_fraction: float = 0.5,
) -> QuadraticDensity | None:
    """The density of :func:`~nudipole.production.ee_source.density_coefficients` at c*
    ``cos_star`` in the form (P) of the module docstring, or None if it does not have that form.

    The density is ratio(z) [1 - P_L(z) c*] - ratio(z) P_T(z) sin t* cos f*
    (``ee_source._photon_coefficients``): affine in c* times sin t*, so it is read once per
    (s, m) pair at c* = 0 and 1, and checked at c* = -1/2. In z the coefficients are exact
    differences at z = -1/2, 0, 1/2; the form is checked at z = -0.9 and 0.8, to
    :data:`_CHECK_RTOL` of the largest density given. Arguments as for
    ``density_coefficients``; ``s`` and ``m_n`` one value or one per c* node.
    """
    h = _READ_Z
    zs = np.array([-h, 0.0, h, *_CHECK_Z])
    c = np.asarray(cos_star, dtype=float)
    s_all = np.broadcast_to(np.asarray(s, dtype=float), c.shape).ravel()
    m_all = np.broadcast_to(np.asarray(m_n, dtype=float), c.shape).ravel()
    # the distinct (s, m) pairs (as complex numbers: one sort)
    pairs, where = np.unique(s_all + 1j * m_all, return_inverse=True)
    a, b = {}, {}
    for c_star in (0.0, 1.0, -0.5):
        a[c_star], b_c = density_coefficients(
            pairs.real[:, None],
            pairs.imag[:, None],
            angular,
            np.broadcast_to(zs, (pairs.size, zs.size)),
            np.full((pairs.size, 1), c_star),
            production=production,
            conjugate_fraction=conjugate_fraction,
        )
        b[c_star] = np.broadcast_to(b_c, (pairs.size, zs.size)) / np.sqrt(1.0 - zs**2)
    f0 = np.broadcast_to(a[0.0], (pairs.size, zs.size))  # ratio
    f1 = f0 - a[1.0]  # ratio P_L
    g = b[0.0]  # -ratio P_T / sqrt(1 - z^2)
    # relative to the largest density of the call: where the density nearly vanishes (c* -> 1
    # with a fully polarised N) rounding alone is 1e-9 of the local value
    scale = float(np.max(np.abs(f0), initial=0.0) + np.max(np.abs(f1), initial=0.0))
    scale = _CHECK_RTOL * max(scale + float(np.max(np.abs(g), initial=0.0)), np.finfo(float).tiny)
    # affine in c* (and sin t* in b): the third c* agrees with the first two
    if np.any(np.abs(a[-0.5] - (f0 + 0.5 * f1)) > scale) or np.any(
        np.abs(b[-0.5] - np.sqrt(0.75) * g) > scale
    ):
        return None
    # a quadratic in z through z = -h, 0, h for f0 and f1, a line through -h, h for g
    quadratic = [
        (v[:, 1], (v[:, 2] - v[:, 0]) / (2 * h), (v[:, 2] + v[:, 0] - 2 * v[:, 1]) / (2 * h * h))
        for v in (f0, f1)
    ]
    linear = (0.5 * (g[:, 2] + g[:, 0]), (g[:, 2] - g[:, 0]) / (2.0 * h))
    for j, z in enumerate(_CHECK_Z, start=3):
        for (q0, q1, q2), v in zip(quadratic, (f0, f1), strict=True):
            if np.any(np.abs(q0 + (q1 + q2 * z) * z - v[:, j]) > scale):
                return None
        if np.any(np.abs(linear[0] + linear[1] * z - g[:, j]) > scale):
            return None
    # per c* node: a = f0 - c* f1, b = sin t* g
    idx = where.reshape(c.shape)
    sin_star = np.sqrt(np.clip(1.0 - c * c, 0.0, None))
    (p0, p1, p2), (r0, r1, r2) = quadratic
    return QuadraticDensity(
        a0=np.asarray(p0[idx] - c * r0[idx]),
        a1=np.asarray(p1[idx] - c * r1[idx]),
        a2=np.asarray(p2[idx] - c * r2[idx]),
        b0=np.asarray(sin_star * linear[0][idx]),
        b1=np.asarray(sin_star * linear[1][idx]),
    )


def psi_average(
    density: QuadraticDensity, cos_alpha: FloatArray, sin_alpha: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(d0, d1, d2): the average of a + b cos f* over the N azimuth psi in [0, pi] about a
    photon at the CM angle theta_g, d0 + d1 cos theta_g + d2 cos^2 theta_g (module docstring),
    for the photon at the angle alpha to N (``cos_alpha``, ``sin_alpha``)."""
    ca, sa = cos_alpha, sin_alpha
    cs = ca * sa
    return (
        np.asarray(density.a0 + 0.5 * density.a2 * sa * sa + 0.5 * density.b1 * cs),
        np.asarray(density.a1 * ca - density.b0 * sa),
        np.asarray(density.a2 * (ca * ca - 0.5 * sa * sa) - 1.5 * density.b1 * cs),
    )


def cosine_moments(cos_from: FloatArray, cos_to: FloatArray) -> FloatArray:
    """(..., 3) the integrals of 1, x and x^2 over x from ``cos_from`` to ``cos_to``: what a
    piece of the photon CM cosine contributes to :func:`moment_integral`."""
    u, v = np.asarray(cos_from, dtype=float), np.asarray(cos_to, dtype=float)
    return np.stack([v - u, 0.5 * (v * v - u * u), (v * v * v - u * u * u) / 3.0], axis=-1)


def moment_integral(
    d0: FloatArray, d1: FloatArray, d2: FloatArray, moments: FloatArray
) -> FloatArray:
    """int (d0 + d1 x + d2 x^2) dx / 2 over the accepted photon CM cosines x, from their
    :func:`cosine_moments` (summed over the pieces, ``moments`` (..., 3)): the psi-averaged
    density of :func:`psi_average` over those photon polar angles with the measure
    sin theta_g dtheta_g / 2."""
    m = np.asarray(moments, dtype=float)
    return np.asarray(0.5 * (d0 * m[..., 0] + d1 * m[..., 1] + d2 * m[..., 2]))


def piece_integral(
    d0: FloatArray, d1: FloatArray, d2: FloatArray, cos_from: FloatArray, cos_to: FloatArray
) -> FloatArray:
    """:func:`moment_integral` over one piece of the photon CM cosine, from ``cos_from`` to
    ``cos_to`` (``cos_from`` < ``cos_to``)."""
    return moment_integral(d0, d1, d2, cosine_moments(cos_from, cos_to))


#: Degrees of the Chebyshev series tried for a density that is not polynomial in z
#: (:func:`chebyshev_density`): the W's t-channel propagator has its pole at
#: 1 + M_W^2 / (sqrt(s) p_N)-ish in z, so the series converges geometrically; at LEP and CEPC
#: energies 24 to 64 terms reach the check's 1e-9 (the smallest that does is used).
CHEBYSHEV_DEGREES = (16, 24, 32, 48, 64, 96)


@dataclass(frozen=True)
class ChebyshevDensity:
    """The density as ratio(z)[1 - P_L(z) c*] - ratio(z) P_T(z) sin t* cos f* with the three
    functions of z as Chebyshev series (:func:`chebyshev_density`): ``coefficients`` (P, 3,
    n + 1) for f0 = ratio, f1 = ratio P_L and g = -ratio P_T / sqrt(1 - z^2) per (s, m) pair,
    ``pair`` the pair of each c* node."""

    coefficients: FloatArray
    pair: np.ndarray

    def per_node(self, cos_star: FloatArray) -> FloatArray:
        """(V, 2, n + 1): the series of a = f0 - c* f1 and of b / (sin t* ...) = sin t* g at
        each c* node, so that a + b cos f* = A(z) + B(z)(z cos alpha - cos theta_g) / sin
        alpha."""
        c = np.asarray(cos_star, dtype=float).ravel()[:, None]
        own = self.coefficients[self.pair.ravel()]
        sin_star = np.sqrt(np.clip(1.0 - c * c, 0.0, None))
        return np.ascontiguousarray(
            np.stack([own[:, 0] - c * own[:, 1], sin_star * own[:, 2]], axis=1)
        )


def chebyshev_density(
    s: FloatArray,
    m_n: FloatArray,
    angular: PhotonAngular,
    cos_star: FloatArray,
    production: ProductionShape | None = None,
    conjugate_fraction: float = 0.5,
) -> ChebyshevDensity | None:
    """The density of :func:`~nudipole.production.ee_source.density_coefficients` as three
    Chebyshev series in z per (s, m) pair (:class:`ChebyshevDensity`), for a production that is
    not polynomial in z (the electron flavour's t-channel W), or None where no degree of
    :data:`CHEBYSHEV_DEGREES` reproduces it.

    The series interpolates at the Chebyshev points of the first kind; it is accepted where it
    equals the density at the n points halfway between them (in angle) to 1e-9 of the largest
    density, and where the density is affine in c* (read at c* = 0 and 1, checked at -1/2),
    as :func:`quadratic_density` checks. ``s``, ``m_n`` one value or one per c* node.
    """
    c = np.asarray(cos_star, dtype=float)
    s_all = np.broadcast_to(np.asarray(s, dtype=float), c.shape).ravel()
    m_all = np.broadcast_to(np.asarray(m_n, dtype=float), c.shape).ravel()
    pairs, where = np.unique(s_all + 1j * m_all, return_inverse=True)

    def functions(z: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, float]:
        """f0, f1, g at ``z`` per pair, (P, Z) each, and the worst miss of the c*-affinity."""
        a, b = {}, {}
        for c_star in (0.0, 1.0, -0.5):
            a_c, b_c = density_coefficients(
                pairs.real[:, None], pairs.imag[:, None], angular,
                np.broadcast_to(z, (pairs.size, z.size)), np.full((pairs.size, 1), c_star),
                production=production, conjugate_fraction=conjugate_fraction,
            )  # fmt: skip
            a[c_star] = np.broadcast_to(a_c, (pairs.size, z.size))
            b[c_star] = np.broadcast_to(b_c, (pairs.size, z.size)) / np.sqrt(1.0 - z**2)
        f0, f1, g = a[0.0], a[0.0] - a[1.0], b[0.0]
        miss = max(
            float(np.max(np.abs(a[-0.5] - (f0 + 0.5 * f1)), initial=0.0)),
            float(np.max(np.abs(b[-0.5] - np.sqrt(0.75) * g), initial=0.0)),
        )
        return f0, f1, g, miss

    for degree in CHEBYSHEV_DEGREES:
        n = degree + 1
        angle = np.pi * (np.arange(n) + 0.5) / n
        f0, f1, g, miss = functions(np.cos(angle))
        values = np.stack([f0, f1, g], axis=1)  # (P, 3, n)
        scale = _CHECK_RTOL * max(float(np.max(np.abs(values), initial=0.0)), np.finfo(float).tiny)
        if miss > scale:
            return None  # not affine in c*: no series in z alone will do
        # c_j = (2 / n) sum_k f(x_k) cos(j angle_k), c_0 halved
        coefficients = (2.0 / n) * values @ np.cos(np.outer(angle, np.arange(n)))
        coefficients[..., 0] *= 0.5
        halfway = np.pi * np.arange(1, n) / n
        c0, c1, cg, _ = functions(np.cos(halfway))
        series = np.polynomial.chebyshev.chebval(
            np.cos(halfway), np.moveaxis(coefficients, -1, 0)
        )  # (P, 3, n - 1)
        if np.all(np.abs(series - np.stack([c0, c1, cg], axis=1)) <= scale):
            return ChebyshevDensity(coefficients, where.reshape(c.shape))
    return None
