"""The e+ e- source: e+ e- -> N nubar (and Nbar nu), N -> nu gamma, at a fixed sqrt(s).

For a mass it gives weighted events with the N momentum in the lab (for the decay-vertex
geometry) and the photon four-momentum in the CM and the lab (for the cuts); the weights are
normalised to 1, and the rate per d^2 is sigma(e+ e- -> N nubar)(d = 1) of
:mod:`nudipole.physics.production` (or the electroweak model), applied by
:mod:`nudipole.reach.signal`. The meson source of the far detectors is
:mod:`nudipole.production.meson_source`.

The N is produced at CM polar angle theta_N (azimuth 0: every cut and the detector are
symmetric about the beam), decays in its helicity frame (axes as in
:func:`nudipole.physics.production.polarization_transverse`) and the photon is boosted to the
CM and then along the beam axis to the laboratory. Each node carries the weight
2 p(z_N) x 4 pi W(c*, f* | z_N), the ratio of the physical density (seed Eq. 2 normalised,
times the photon angular density) to the uniform one, so that the weighted mean of an
indicator is the acceptance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nudipole.kinematics.sampling import Nodes
from nudipole.physics._types import FloatArray
from nudipole.physics.angular import PhotonAngular, polarization_vector
from nudipole.physics.production import n_energy_cm, n_momentum_cm


@dataclass(frozen=True)
class SignalEvents:
    """Weighted signal events at one (sqrt(s), m_N).

    Attributes
    ----------
    weight
        Node weight x physical/uniform density ratio; ``sum(weight)`` is 1 up to integration error.
    e_cm, cos_cm
        Photon energy (GeV) and polar cosine in the CM frame (z along the e- beam).
    e_lab, cos_lab
        The same in the laboratory.
    n_momentum_lab, n_cos_lab
        |p_N| (GeV) and polar cosine of N in the laboratory (for the decay-vertex geometry).
    """

    weight: FloatArray
    e_cm: FloatArray
    cos_cm: FloatArray
    e_lab: FloatArray
    cos_lab: FloatArray
    n_momentum_lab: FloatArray
    n_cos_lab: FloatArray


class ProductionShape(Protocol):
    """Production model with Z/W couplings (e.g. :class:`nudipole.reach.model.CouplingModel`).

    Cross sections at unit d_gamma in GeV^-2; ``charge_conjugate`` selects Nbar nu, whose
    angle argument is that of Nbar.
    """

    @property
    def photon_only(self) -> bool: ...

    def sigma_unit(self, s: FloatArray, m_n: FloatArray | float) -> FloatArray: ...

    def dsigma_unit(
        self, s: FloatArray, m_n: FloatArray | float, cos_theta: FloatArray, charge_conjugate: bool
    ) -> FloatArray: ...

    def photon_polarization(
        self, s: FloatArray, m_n: FloatArray | float, cos_theta: FloatArray, charge_conjugate: bool
    ) -> tuple[FloatArray, FloatArray]: ...


def production_density_ratio(
    s: float | FloatArray, m_n: float | FloatArray, cos_n: FloatArray
) -> FloatArray:
    """2 p(z) with p(z) the normalised shape of seed Eq. 2: 3 f(z) / (2 (s + 2 m^2)),
    f(z) = (1 - z^2) s + (1 + z^2) m^2 (its integral over [-1, 1] is 4 (s + 2 m^2) / 3)."""
    m2 = m_n**2
    f = (1.0 - cos_n**2) * s + (1.0 + cos_n**2) * m2
    return np.asarray(1.5 * f / (s + 2.0 * m2))


def _ew_coefficients(
    production: ProductionShape,
    s: FloatArray,
    m_n: float | FloatArray,
    angular: PhotonAngular,
    cos_n: FloatArray,
    cos_star: FloatArray,
    conjugate_fraction: float,
) -> tuple[FloatArray, FloatArray]:
    """Density ratio x 4 pi x photon density as a + b cos f*, averaged over the two charge
    states.

    N nubar and Nbar nu share the nodes (the kinematics is the same with theta the angle of
    N or of Nbar); with Z exchange their angular distributions and polarisations differ
    (z -> -z), so each gets its own weight, mixed with ``conjugate_fraction`` (0.5 for both).
    """
    shape = np.broadcast_shapes(np.shape(s), np.shape(cos_n), np.shape(cos_star))
    s_arr = np.broadcast_to(np.asarray(s, dtype=float), shape)
    z = np.broadcast_to(cos_n, shape)
    # sigma once per energy point (and mass), not per node
    if np.ndim(m_n) == 0:
        s_unique, where = np.unique(s_arr, return_inverse=True)
        norm = np.asarray(production.sigma_unit(s_unique, m_n))[where.reshape(shape)]
    else:  # one mass per node (all masses of a scan at once)
        m_n = np.broadcast_to(np.asarray(m_n, dtype=float), shape)
        # the (s, m) pairs as complex numbers: one sort (a row-wise unique costs 5x more)
        pairs, where = np.unique(s_arr.ravel() + 1j * np.ravel(m_n), return_inverse=True)
        norm = np.asarray(production.sigma_unit(pairs.real, pairs.imag))[where.reshape(shape)]
    a = np.zeros(shape)
    b = np.zeros(shape)
    for conj, frac in ((False, 1.0 - conjugate_fraction), (True, conjugate_fraction)):
        if frac == 0.0:
            continue
        ratio = 2.0 * production.dsigma_unit(s_arr, m_n, z, conj) / norm
        if angular is PhotonAngular.SPIN_CORRELATED:
            p_l, p_t = production.photon_polarization(s_arr, m_n, z, conj)
        else:
            p_l, p_t = polarization_vector(angular, s_arr, m_n, z)
        a_part, b_part = _photon_coefficients(ratio, cos_star, p_l, p_t)
        a = a + frac * a_part
        b = b + frac * b_part
    return np.asarray(a), np.asarray(b)


def _photon_coefficients(
    ratio: FloatArray, cos_star: FloatArray, p_l: FloatArray, p_t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``ratio`` x 4 pi x photon density as a + b cos f*: the density of
    :func:`nudipole.physics.angular.photon_angular_density` (PHYSICS.md §2-3),
    (1/4 pi)[1 - P_L cos t* - P_T sin t* cos f*], is linear in cos f*."""
    sin_star = np.sqrt(np.clip(1.0 - np.asarray(cos_star) ** 2, 0.0, None))
    return (
        np.asarray(ratio * (1.0 - p_l * cos_star)),
        np.asarray(-ratio * p_t * sin_star),
    )


def density_coefficients(
    s: float | FloatArray,
    m_n: float | FloatArray,
    angular: PhotonAngular,
    cos_n: FloatArray,
    cos_star: FloatArray,
    production: ProductionShape | None = None,
    conjugate_fraction: float = 0.5,
) -> tuple[FloatArray, FloatArray]:
    """Physical / uniform density at (z_N, c*, f*) as a(z_N, c*) + b(z_N, c*) cos f*.

    The density is 2 p(z_N) x 4 pi W(c*, f* | z_N) (module docstring): the production shape
    (seed Eq. 2, or the electroweak d sigma / d cos theta) times the photon angular density
    (1/4 pi)[1 - P_L cos t* - P_T sin t* cos f*] (PHYSICS.md §2-3), which is linear in
    cos f*. Arrays broadcast together; arguments as for :func:`generate`.
    """
    if production is None or production.photon_only:
        p_l, p_t = polarization_vector(angular, s, m_n, cos_n)
        return _photon_coefficients(production_density_ratio(s, m_n, cos_n), cos_star, p_l, p_t)
    return _ew_coefficients(
        production,
        np.asarray(s, dtype=float),
        m_n,
        angular,
        cos_n,
        cos_star,
        conjugate_fraction,
    )


def generate(
    s: float | FloatArray,
    m_n: float,
    beta_cm: float,
    angular: PhotonAngular,
    nodes: Nodes,
    production: ProductionShape | None = None,
    conjugate_fraction: float = 0.5,
) -> SignalEvents:
    """Build photon kinematics and weights for all ``nodes``.

    Parameters
    ----------
    s
        CM energy squared, GeV^2: one value, or one per node (several energy points at once).
    m_n
        N mass, GeV (must be below sqrt(s)).
    beta_cm
        Velocity of the CM frame along +z in the lab (0 for symmetric beams).
    angular
        Photon angular model in the N rest frame.
    nodes
        Integration nodes (Monte Carlo, Sobol or quadrature).
    production
        Production with Z/W couplings; None (or a photon-only model) uses seed Eq. 2 and the
        photon-only polarisation, identical for both charge states.
    conjugate_fraction
        Share of the Nbar nu channel (0.5: both charge states; 0: N nubar only). Used only with
        a ``production`` that is not photon-only.
    """
    s_min = float(np.min(s))
    if not 0.0 < m_n < np.sqrt(s_min):
        raise ValueError(f"m_N = {m_n} GeV is outside (0, sqrt(s) = {np.sqrt(s_min):.4g} GeV)")
    z = nodes.cos_n
    sin_n = np.sqrt(np.clip(1.0 - z**2, 0.0, None))
    e_n = n_energy_cm(s, m_n)
    p_n = n_momentum_cm(s, m_n)
    gamma_n, beta_gamma_n = e_n / m_n, p_n / m_n

    a, b = density_coefficients(s, m_n, angular, z, nodes.cos_star, production, conjugate_fraction)
    weight = nodes.weight * (a + b * np.cos(nodes.phi_star))

    # Photon in the N rest frame, helicity-frame components (energy m/2).
    half_m = 0.5 * m_n
    c_star = nodes.cos_star
    s_star = np.sqrt(np.clip(1.0 - c_star**2, 0.0, None))
    k_x = half_m * s_star * np.cos(nodes.phi_star)
    k_par = half_m * c_star
    # Boost along the N direction (z' axis) to the CM.
    e_cm = gamma_n * half_m + beta_gamma_n * k_par
    k_par_cm = gamma_n * k_par + beta_gamma_n * half_m
    # Rotate helicity axes to CM axes: x' = (cos t, 0, -sin t), z' = (sin t, 0, cos t).
    kz_cm = -sin_n * k_x + z * k_par_cm
    cos_cm = kz_cm / e_cm

    gamma_b = 1.0 / np.sqrt(1.0 - beta_cm**2)
    e_lab = gamma_b * (e_cm + beta_cm * kz_cm)
    kz_lab = gamma_b * (kz_cm + beta_cm * e_cm)
    cos_lab = kz_lab / e_lab

    # N in the lab.
    pz_n_cm = p_n * z
    pz_n_lab = gamma_b * (pz_n_cm + beta_cm * e_n)
    pt_n = p_n * sin_n
    p_n_lab = np.sqrt(pz_n_lab**2 + pt_n**2)
    n_cos_lab = np.divide(pz_n_lab, p_n_lab, out=np.ones_like(p_n_lab), where=p_n_lab > 0)

    return SignalEvents(
        weight=np.asarray(weight),
        e_cm=np.asarray(e_cm),
        cos_cm=np.asarray(np.clip(cos_cm, -1.0, 1.0)),
        e_lab=np.asarray(e_lab),
        cos_lab=np.asarray(np.clip(cos_lab, -1.0, 1.0)),
        n_momentum_lab=np.asarray(p_n_lab),
        n_cos_lab=np.asarray(n_cos_lab),
    )
