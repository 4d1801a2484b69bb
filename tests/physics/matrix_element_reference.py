"""Reference |M|^2 (explicit Dirac matrices) for e+ e- -> gamma* -> N nubar, N -> nu gamma.

This module is test infrastructure only. It does not import ``nudipole``: it is an independent
check of the spin-correlated photon angular distribution implemented in
:mod:`nudipole.physics.production` and :mod:`nudipole.physics.angular`.

Model
-----
Seed paper: Zhang, Song, Ding, Chen, PLB 829 (2022) 137116, arXiv:2204.07802, Eq. 1,

    L  ⊃  d  nubar_L sigma_{mu nu} F^{mu nu} N  +  h.c.,
    sigma_{mu nu} = (i/2) [gamma_mu, gamma_nu],

with N a Dirac fermion of mass m, nu massless and massless electrons with the QED vertex
-i e gamma^mu. Writing nubar_L = nubar P_R, the Hermitian conjugate term is
d Nbar sigma_{mu nu} P_L nu F^{mu nu}. With F^{mu nu} = d^mu A^nu - d^nu A^mu, an incoming photon
of momentum q gives the vertex factor ∝ sigma^{mu nu} q_mu eps_nu, an outgoing photon of
momentum k gives ∝ sigma^{alpha beta} k_alpha eps*_beta. Overall constants (couplings, i's, the
photon propagator 1/s, the narrow-width factor) are dropped: only shapes are compared.

Channels (narrow-width approximation, on-shell N propagator numerator)
---------------------------------------------------------------------
``N`` channel:   e-(p1) e+(p2) -> gamma*(q) -> N(pN) nubar(k2),  N(pN) -> nu(k1) gamma(kg)

    M = [ubar(k1) S_dec^beta eps*_beta P_R (pN-slash + m) S_prod^nu P_L v(k2)] J_nu,

``Nbar`` channel: e-(p1) e+(p2) -> gamma*(q) -> Nbar(pN) nu(k2), Nbar(pN) -> nubar(k1) gamma(kg)

    M = [ubar(k2) P_R S_prod^nu (pN-slash - m) S_dec^beta eps*_beta P_L v(k1)] J_nu,

with S_prod^nu = q_mu sigma^{mu nu}, S_dec^beta = kg_alpha sigma^{alpha beta},
J^nu = vbar(p2) gamma^nu u(p1). Sums over spins use u ubar = p-slash (massless), the photon
polarisation sum -g_{beta beta'} (allowed since the dipole vertex is gauge invariant:
kg_beta S_dec^beta = 0) and the unpolarised lepton tensor Tr[p2-slash gamma^nu p1-slash gamma^nu'].
The beam average (1/4) is a constant and is dropped.

Frames
------
CM frame, e- beam along +z: p1 = (E, 0, 0, E), p2 = (E, 0, 0, -E), E = sqrt(s)/2. The N (or Nbar)
flies at polar angle theta_N, azimuth 0: n = (sin theta_N, 0, cos theta_N), z_N = cos theta_N.
Its rest frame is reached from the CM by a pure boost along n. Helicity axes in the rest frame:
z' = n, y' = (z_hat x n)/|z_hat x n| = +y, x' = y' x z' = (cos theta_N, 0, -sin theta_N). The
photon direction in the rest frame is (sin t* cos f*, sin t* sin f*, cos t*) in (x', y', z').

Gamma matrices in the Dirac representation; metric g = diag(1, -1, -1, -1).
"""

from __future__ import annotations

import numpy as np
from dirac_algebra import GAMMA, GAMMA5, METRIC

P_LEFT = 0.5 * (np.eye(4) - GAMMA5)
P_RIGHT = 0.5 * (np.eye(4) + GAMMA5)
#: sigma^{mu nu} = (i/2)[gamma^mu, gamma^nu], shape (4, 4, 4, 4): SIGMA[mu, nu] is a 4x4 matrix.
SIGMA = 0.5j * (np.einsum("mab,nbc->mnac", GAMMA, GAMMA) - np.einsum("nab,mbc->mnac", GAMMA, GAMMA))


def lower(p: np.ndarray) -> np.ndarray:
    """Lower the Lorentz index of four-vectors p[..., mu]."""
    return np.asarray(p) @ METRIC


def slash(p: np.ndarray) -> np.ndarray:
    """p-slash = gamma^mu p_mu for p[..., 4] (contravariant), returns [..., 4, 4]."""
    return np.einsum("...m,mab->...ab", lower(p), GAMMA)


def dirac_bar(x: np.ndarray) -> np.ndarray:
    """Dirac adjoint of a matrix: gamma^0 X^dagger gamma^0, for X[..., 4, 4]."""
    return GAMMA[0] @ np.conj(np.swapaxes(x, -1, -2)) @ GAMMA[0]


def sigma_contracted(k: np.ndarray) -> np.ndarray:
    """S^nu = k_mu sigma^{mu nu} for k[..., 4]; returns [..., 4(nu, upper), 4, 4]."""
    return np.einsum("...m,mnab->...nab", lower(k), SIGMA)


def lepton_tensor(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """L^{nu nu'} = Tr[p2-slash gamma^nu p1-slash gamma^nu'] for massless e-(p1), e+(p2)."""
    s2 = slash(p2)
    s1 = slash(p1)
    return np.einsum("...ab,nbc,...cd,mda->...nm", s2, GAMMA, s1, GAMMA)


def boost_along(p_rest: np.ndarray, n: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Pure boost of four-vectors p_rest[..., 4] by velocity beta along the unit vector n[..., 3].

    A negative beta gives the inverse boost (CM -> rest frame).
    """
    gamma = 1.0 / np.sqrt(1.0 - beta**2)
    e_star = p_rest[..., 0]
    p3 = p_rest[..., 1:]
    p_par = np.sum(p3 * n, axis=-1)
    energy = gamma * (e_star + beta * p_par)
    p_par_new = gamma * (p_par + beta * e_star)
    p3_new = p3 + ((p_par_new - p_par)[..., None]) * n
    return np.concatenate([energy[..., None], p3_new], axis=-1)


def build_momenta(s, m, z_n, cos_star, phi_star):
    """CM four-momenta (p1, p2, pN, k2, k1, kg), each of shape [..., 4].

    p1 = e-, p2 = e+, pN = N (or Nbar), k2 = the recoiling (anti)neutrino of production,
    k1 = the (anti)neutrino from the decay, kg = the photon. Conventions as in the module
    docstring: e- along +z, N in the xz-plane (x > 0) at cos(theta_N) = z_n, photon at
    (t*, f*) in the N helicity frame (z' = n, y' = +y, x' = (cos theta_N, 0, -sin theta_N)).
    """
    z_n, cos_star, phi_star = np.broadcast_arrays(
        np.asarray(z_n, float), np.asarray(cos_star, float), np.asarray(phi_star, float)
    )
    shape = z_n.shape
    rs = np.sqrt(s)
    e_beam = rs / 2.0
    zeros = np.zeros(shape)
    ones = np.ones(shape)
    p1 = np.stack([e_beam * ones, zeros, zeros, e_beam * ones], axis=-1)
    p2 = np.stack([e_beam * ones, zeros, zeros, -e_beam * ones], axis=-1)

    sin_n = np.sqrt(1.0 - z_n**2)
    n = np.stack([sin_n, zeros, z_n], axis=-1)
    x_axis = np.stack([z_n, zeros, -sin_n], axis=-1)
    y_axis = np.stack([zeros, ones, zeros], axis=-1)
    p_abs = (s - m**2) / (2.0 * rs)
    e_n = (s + m**2) / (2.0 * rs)
    p_n = np.concatenate([(e_n * ones)[..., None], p_abs * n], axis=-1)
    k2 = np.concatenate([(p_abs * ones)[..., None], -p_abs * n], axis=-1)

    sin_star = np.sqrt(1.0 - cos_star**2)
    direction = (
        (sin_star * np.cos(phi_star))[..., None] * x_axis
        + (sin_star * np.sin(phi_star))[..., None] * y_axis
        + cos_star[..., None] * n
    )
    half_m = m / 2.0
    kg_rest = np.concatenate([(half_m * ones)[..., None], half_m * direction], axis=-1)
    k1_rest = np.concatenate([(half_m * ones)[..., None], -half_m * direction], axis=-1)
    beta = p_abs / e_n
    kg = boost_along(kg_rest, n, beta)
    k1 = boost_along(k1_rest, n, beta)
    return p1, p2, p_n, k2, k1, kg


def _contract(fermion_string: np.ndarray, left: np.ndarray, right: np.ndarray, lep: np.ndarray):
    """Sum_{beta beta' nu nu'} (-g_{beta beta'}) g_{nu nu} g_{nu' nu'} L^{nu nu'} Tr[...].

    ``fermion_string``[..., beta, nu, 4, 4] is X^{beta nu}; the spin-summed squared fermion line is
    Tr[left X^{beta nu} right Xbar^{beta' nu'}] with left/right the external spin sums.
    """
    x_bar = dirac_bar(fermion_string)
    # T[b, n, b', n'] = Tr[left X^{b n} right Xbar^{b' n'}]
    t = np.einsum(
        "...ij,...bnjk,...kl,...cmli->...bncm", left, fermion_string, right, x_bar, optimize=True
    )
    pol = -METRIC  # sum_pol eps*_b eps_b' = -g_{b b'}
    lep_low = np.einsum("na,...ab,bm->...nm", METRIC, lep, METRIC)  # L_{nu nu'}
    total = np.einsum("bc,...nm,...bncm->...", pol, lep_low, t)
    return total


def msq_n(s, m, z_n, cos_star, phi_star) -> np.ndarray:
    """Spin-summed |M|^2 (arbitrary normalisation) for e+e- -> N nubar, N -> nu gamma."""
    p1, p2, p_n, k2, k1, kg = build_momenta(s, m, z_n, cos_star, phi_star)
    q = p1 + p2
    s_prod = sigma_contracted(q)  # [..., nu, 4, 4]
    s_dec = sigma_contracted(kg)  # [..., beta, 4, 4]
    prop = slash(p_n) + m * np.eye(4)
    x = np.einsum(
        "...bij,jk,...kl,...nlm,mo->...bnio", s_dec, P_RIGHT, prop, s_prod, P_LEFT, optimize=True
    )
    total = _contract(x, slash(k1), slash(k2), lepton_tensor(p1, p2))
    return _real(total)


def msq_nbar(s, m, z_n, cos_star, phi_star) -> np.ndarray:
    """Spin-summed |M|^2 (arbitrary normalisation) for e+e- -> Nbar nu, Nbar -> nubar gamma.

    Here pN is the Nbar momentum, k2 the prompt neutrino and k1 the antineutrino from the decay.
    """
    p1, p2, p_n, k2, k1, kg = build_momenta(s, m, z_n, cos_star, phi_star)
    q = p1 + p2
    s_prod = sigma_contracted(q)
    s_dec = sigma_contracted(kg)
    prop = slash(p_n) - m * np.eye(4)
    # X^{beta nu} = P_R S_prod^nu (pN-slash - m) S_dec^beta P_L, sandwiched as ubar(k2) X v(k1)
    x = np.einsum(
        "ij,...njk,...kl,...blm,mo->...bnio", P_RIGHT, s_prod, prop, s_dec, P_LEFT, optimize=True
    )
    total = _contract(x, slash(k2), slash(k1), lepton_tensor(p1, p2))
    return _real(total)


def _real(total: np.ndarray) -> np.ndarray:
    """Return the real part after checking that the imaginary part is round-off."""
    scale = np.max(np.abs(total)) if np.size(total) else 1.0
    if np.max(np.abs(np.imag(total)), initial=0.0) > 1e-10 * scale:
        raise ArithmeticError("|M|^2 has a non-negligible imaginary part")
    return np.real(total)
