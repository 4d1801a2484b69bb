"""Independent reference: explicit tree-level |M|^2 for e+ e- -> nu nubar (gamma), contact limit.

This module is test infrastructure only. It does not import ``nudipole``: it is an independent
check of the factorised (initial-state radiator x sigma_0(s')) background formula implemented in
:mod:`nudipole.physics.background` (PHYSICS.md §5). The irreducible background is the one of the
seed paper, Zhang et al., PLB 829 (2022) 137116, arXiv:2204.07802.

Model
-----
Four-fermion contact interaction (sqrt(s) << M_Z, M_W), one neutrino flavour l at a time,

    L = -(G_F/sqrt2) [nubar_l gamma^mu (1 - gamma5) nu_l] [ebar gamma_mu (g_V - g_A gamma5) e],

with the electron neutral-current couplings g_V = -1/2 + 2 sin^2(theta_w), g_A = -1/2. For l = e
the W-exchange operator -(G_F/sqrt2) [nubar_e gamma^mu (1-gamma5) e][ebar gamma_mu (1-gamma5) nu_e]
is Fierz-rearranged into the same form, i.e. g_V -> g_V + 1, g_A -> g_A + 1 (checked at amplitude
level by :func:`fierz_amplitudes`). Photon emission from the W line is of relative order
s / M_W^2 and is dropped, as is everything beyond the contact limit.

Amplitude for e-(p1) e+(p2) -> gamma(k) nu(q1) nubar(q2), massless electrons, QED vertex
-i e Q gamma^rho with Q = -1 (common to both diagrams, so it only sets an overall phase):

    M = (G_F/sqrt2) e  N_mu  vbar(p2) E^{mu rho} u(p1)  eps*_rho(k),
    N_mu = ubar(q1) gamma_mu (1 - gamma5) v(q2),
    E^{mu rho} = Gamma^mu (p1-slash - k-slash) gamma^rho / (-2 p1.k)        (emission off e-)
               + gamma^rho (k-slash - p2-slash) Gamma^mu / (-2 p2.k),       (emission off e+)
    Gamma^mu = gamma^mu (g_V - g_A gamma5).

Spin sums u ubar = v vbar = p-slash (massless), photon polarisation sum -g_{rho sigma} (the QED
current is conserved: k_rho vbar E^{mu rho} u = 0, checked by :func:`ward_residual` and by the
explicit-polarisation sum in :func:`msq_23_explicit_pol`), average 1/4 over beam spins.

Phase space
-----------
d^2 sigma / dx dz = (1/2s) * [s x / (32 pi^2)] * [1/(32 pi^2)] * Integral dOmega* <|M|^2>
                  = x / (2048 pi^4) * Integral dOmega* <|M|^2>,

from d^3k / ((2pi)^3 2E) = s x dx dz dphi / (64 pi^3) (the photon azimuth gives 2 pi) and the
massless two-body phase space of the nu nubar pair, dPhi_2 = dOmega* / (32 pi^2), with Omega* the
neutrino direction in the pair rest frame. At fixed photon momentum <|M|^2> is a quadratic
polynomial in the unit vector n* (q1, q2 are linear in n*), so a 3-point Gauss-Legendre rule in
cos(theta*) times a >= 3-point uniform rule in phi* integrates it exactly.

Conventions: Dirac representation, metric diag(1, -1, -1, -1), gamma5 = i g0 g1 g2 g3; CM frame
with the e- beam along +z, photon in the xz-plane at polar angle theta_gamma (z = cos theta_gamma).
"""

from __future__ import annotations

import numpy as np
from dirac_algebra import GAMMA, GAMMA5, METRIC, PAULI

ONE = np.eye(4, dtype=complex)
#: gamma_mu (lower index), shape (4, 4, 4).
GAMMA_LOW = np.einsum("mn,nab->mab", METRIC, GAMMA)


# ---------------------------------------------------------------------------------------------
# Dirac algebra helpers
# ---------------------------------------------------------------------------------------------


def lower(p: np.ndarray) -> np.ndarray:
    """Lower the Lorentz index of four-vectors p[..., mu]."""
    return np.asarray(p) @ METRIC


def mdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Minkowski product a.b for a[..., 4], b[..., 4]."""
    return np.sum(lower(a) * b, axis=-1)


def slash(p: np.ndarray) -> np.ndarray:
    """p-slash = gamma^mu p_mu for p[..., 4] (contravariant); returns [..., 4, 4]."""
    return np.einsum("...m,mab->...ab", lower(p), GAMMA)


def dirac_bar(x: np.ndarray) -> np.ndarray:
    """Dirac adjoint of a matrix, gamma^0 X^dagger gamma^0, for X[..., 4, 4]."""
    return GAMMA[0] @ np.conj(np.swapaxes(x, -1, -2)) @ GAMMA[0]


def vertex(g_v: float, g_a: float) -> np.ndarray:
    """Gamma^mu = gamma^mu (g_V - g_A gamma5), shape (4(mu, upper), 4, 4)."""
    return GAMMA @ (g_v * ONE - g_a * GAMMA5)


def massless_spinors(p: np.ndarray) -> np.ndarray:
    """Two massless spinors w_s(p) = sqrt(E) (chi_s, sigma.p_hat chi_s), s = 1, 2 (Dirac rep.).

    They satisfy p-slash w = 0 and sum_s w_s wbar_s = p-slash, so they serve both as u(p) and as
    v(p) for a massless fermion (any basis with the right spin sum gives the same spin-summed
    |M|^2). ``p`` is a single four-vector; returns shape (2, 4).
    """
    p = np.asarray(p, dtype=float)
    energy = p[0]
    n = p[1:] / energy
    sig_n = sum(n[i] * PAULI[i] for i in range(3))
    out = []
    for chi in (np.array([1.0, 0.0], complex), np.array([0.0, 1.0], complex)):
        out.append(np.sqrt(energy) * np.concatenate([chi, sig_n @ chi]))
    return np.array(out)


def spinor_bar(w: np.ndarray) -> np.ndarray:
    """Dirac conjugate wbar = w^dagger gamma^0 of spinors w[..., 4]."""
    return np.conj(w) @ GAMMA[0]


# ---------------------------------------------------------------------------------------------
# Kinematics
# ---------------------------------------------------------------------------------------------


def beams(s: float) -> tuple[np.ndarray, np.ndarray]:
    """CM beam momenta p1 (e-, along +z) and p2 (e+)."""
    e = np.sqrt(s) / 2.0
    return np.array([e, 0.0, 0.0, e]), np.array([e, 0.0, 0.0, -e])


def photon_momentum(x: float, z: float, s: float) -> np.ndarray:
    """Photon four-momentum, energy x sqrt(s)/2, polar angle arccos(z), azimuth 0."""
    e = x * np.sqrt(s) / 2.0
    return e * np.array([1.0, np.sqrt(1.0 - z * z), 0.0, z])


def boost_from_rest(p_rest: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Boost four-vectors p_rest[..., 4] from the rest frame of q (timelike) to the frame of q."""
    mass = np.sqrt(mdot(q, q))
    beta = q[1:] / q[0]
    gamma = q[0] / mass
    b2 = beta @ beta
    e_star = p_rest[..., 0]
    p3 = p_rest[..., 1:]
    bp = p3 @ beta
    energy = gamma * (e_star + bp)
    coeff = np.where(b2 > 0.0, (gamma - 1.0) / np.where(b2 > 0.0, b2, 1.0), 0.0)
    p3_new = p3 + (coeff * bp + gamma * e_star)[..., None] * beta
    return np.concatenate([energy[..., None], p3_new], axis=-1)


def pair_nodes(
    q: np.ndarray, n_cos: int = 4, n_phi: int = 6
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Neutrino momenta for a product quadrature over the pair-rest-frame direction n*.

    Gauss-Legendre in cos(theta*) (n_cos nodes) times a uniform rule in phi* (n_phi nodes).
    Returns q1[N, 4], q2[N, 4] (CM frame) and weights w[N] with sum(w) = 4 pi (so that
    sum w f = Integral dOmega* f exactly for polynomials of low enough degree in n*).
    """
    c, wc = np.polynomial.legendre.leggauss(n_cos)
    phi = 2.0 * np.pi * (np.arange(n_phi) + 0.5) / n_phi
    cc, pp = np.meshgrid(c, phi, indexing="ij")
    ww = np.outer(wc, np.full(n_phi, 2.0 * np.pi / n_phi))
    sn = np.sqrt(1.0 - cc**2)
    n = np.stack([sn * np.cos(pp), sn * np.sin(pp), cc], axis=-1).reshape(-1, 3)
    half_m = 0.5 * np.sqrt(mdot(q, q))
    ones = np.ones((n.shape[0], 1))
    q1_rest = np.concatenate([half_m * ones, half_m * n], axis=-1)
    q2_rest = np.concatenate([half_m * ones, -half_m * n], axis=-1)
    return boost_from_rest(q1_rest, q), boost_from_rest(q2_rest, q), ww.reshape(-1)


# ---------------------------------------------------------------------------------------------
# Fermion strings and tensors
# ---------------------------------------------------------------------------------------------


def electron_string(
    p1: np.ndarray, p2: np.ndarray, k: np.ndarray, g_v: float, g_a: float
) -> np.ndarray:
    """E^{mu rho} (both indices upper), shape (4, 4, 4, 4): the two ISR diagrams (module doc)."""
    gam = vertex(g_v, g_a)
    prop1 = slash(p1 - k) / (-2.0 * mdot(p1, k))
    prop2 = slash(k - p2) / (-2.0 * mdot(p2, k))
    d1 = np.einsum("mab,bc,rcd->mrad", gam, prop1, GAMMA)
    d2 = np.einsum("rab,bc,mcd->mrad", GAMMA, prop2, gam)
    return d1 + d2


def electron_tensor_23(
    p1: np.ndarray, p2: np.ndarray, k: np.ndarray, g_v: float, g_a: float
) -> np.ndarray:
    """T^{mu nu} = sum_{rho sigma} (-g_{rho sigma}) Tr[p2-sl E^{mu rho} p1-sl Ebar^{nu sigma}].

    Spin- and photon-polarisation-summed electron line of the 2 -> 3 process; shape (4, 4).
    """
    e_str = electron_string(p1, p2, k, g_v, g_a)
    e_bar = dirac_bar(e_str)
    t = np.einsum("ij,mrjk,kl,nsli->mrns", slash(p2), e_str, slash(p1), e_bar)
    return np.einsum("rs,mrns->mn", -METRIC, t)


def electron_tensor_22(p1: np.ndarray, p2: np.ndarray, g_v: float, g_a: float) -> np.ndarray:
    """L^{mu nu} = Tr[p2-slash Gamma^mu p1-slash Gammabar^nu] for e-(p1) e+(p2) -> (current)."""
    gam = vertex(g_v, g_a)
    return np.einsum("ij,mjk,kl,nli->mn", slash(p2), gam, slash(p1), dirac_bar(gam))


def neutrino_tensor(q1: np.ndarray, q2: np.ndarray) -> np.ndarray:
    """N_{mu nu} = Tr[q1-slash gamma_mu (1-g5) q2-slash bar(gamma_nu (1-g5))], lower indices.

    q1 = nu, q2 = nubar, arrays [..., 4]; returns [..., 4, 4].
    """
    cur = GAMMA_LOW @ (ONE - GAMMA5)
    return np.einsum("...ij,mjk,...kl,nli->...mn", slash(q1), cur, slash(q2), dirac_bar(cur))


# ---------------------------------------------------------------------------------------------
# Squared matrix elements (spin-averaged, polarisation-summed)
# ---------------------------------------------------------------------------------------------


def msq_22(
    p1: np.ndarray,
    p2: np.ndarray,
    q1: np.ndarray,
    q2: np.ndarray,
    *,
    g_v: float,
    g_a: float,
    g_fermi: float,
) -> np.ndarray:
    """<|M|^2> for e-(p1) e+(p2) -> nu(q1) nubar(q2), one flavour with couplings (g_V, g_A)."""
    lep = electron_tensor_22(p1, p2, g_v, g_a)
    nu = neutrino_tensor(q1, q2)
    total = np.einsum("mn,...mn->...", lep, nu)
    return 0.25 * (g_fermi**2 / 2.0) * np.real(total)


def msq_23(
    p1: np.ndarray,
    p2: np.ndarray,
    k: np.ndarray,
    q1: np.ndarray,
    q2: np.ndarray,
    *,
    g_v: float,
    g_a: float,
    g_fermi: float,
    alpha: float,
) -> np.ndarray:
    """<|M|^2> for e-(p1) e+(p2) -> gamma(k) nu(q1) nubar(q2) (traces, -g polarisation sum)."""
    t = electron_tensor_23(p1, p2, k, g_v, g_a)
    nu = neutrino_tensor(q1, q2)
    total = np.einsum("mn,...mn->...", t, nu)
    e2 = 4.0 * np.pi * alpha
    return 0.25 * (g_fermi**2 / 2.0) * e2 * np.real(total)


def photon_polarisations(k: np.ndarray) -> np.ndarray:
    """Two real transverse polarisation vectors (shape (2, 4)) for a photon of momentum k."""
    n = k[1:] / k[0]
    trial = np.array([0.0, 1.0, 0.0]) if abs(n[1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    e1 = np.cross(n, trial)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(n, e1)
    return np.array([np.concatenate([[0.0], e1]), np.concatenate([[0.0], e2])])


def msq_23_explicit_pol(
    p1: np.ndarray,
    p2: np.ndarray,
    k: np.ndarray,
    q1: np.ndarray,
    q2: np.ndarray,
    *,
    g_v: float,
    g_a: float,
    g_fermi: float,
    alpha: float,
) -> float:
    """Same as :func:`msq_23` for a single point, but from explicit spinor amplitudes summed over
    all 16 spin states and the two physical (transverse) photon polarisations only."""
    e_str = electron_string(p1, p2, k, g_v, g_a)
    cur = GAMMA_LOW @ (ONE - GAMMA5)
    u1 = massless_spinors(p1)
    v2b = spinor_bar(massless_spinors(p2))
    u_q1b = spinor_bar(massless_spinors(q1))
    v_q2 = massless_spinors(q2)
    total = 0.0
    for eps in photon_polarisations(k):
        e_eps = np.einsum("mrab,r->mab", e_str, lower(eps))  # eps real: eps* = eps
        j_e = np.einsum("ca,mab,db->mcd", v2b, e_eps, u1)  # [mu, spin e+, spin e-]
        j_n = np.einsum("ca,mab,db->mcd", u_q1b, cur, v_q2)  # [mu(lower), spin nu, spin nubar]
        amp = np.einsum("mcd,mef->cdef", j_e, j_n)
        total += float(np.sum(np.abs(amp) ** 2))
    e2 = 4.0 * np.pi * alpha
    return 0.25 * (g_fermi**2 / 2.0) * e2 * total


def ward_residual(p1: np.ndarray, p2: np.ndarray, k: np.ndarray, g_v: float, g_a: float) -> float:
    """max |vbar(p2) E^{mu rho} k_rho u(p1)| / max |vbar(p2) E^{mu rho} eps_rho u(p1)|."""
    e_str = electron_string(p1, p2, k, g_v, g_a)
    u1 = massless_spinors(p1)
    v2b = spinor_bar(massless_spinors(p2))
    with_k = np.einsum("ca,mrab,r,db->mcd", v2b, e_str, lower(k) / k[0], u1)
    eps = photon_polarisations(k)[0]
    with_eps = np.einsum("ca,mrab,r,db->mcd", v2b, e_str, lower(eps), u1)
    return float(np.max(np.abs(with_k)) / np.max(np.abs(with_eps)))


# ---------------------------------------------------------------------------------------------
# Fierz check (amplitude level)
# ---------------------------------------------------------------------------------------------


def fierz_amplitudes(
    p1: np.ndarray, p2: np.ndarray, q1: np.ndarray, q2: np.ndarray, g_v: float, g_a: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Amplitudes (all 16 spin labels) of e-(p1) e+(p2) -> nu_e(q1) nubar_e(q2), G_F/sqrt2 = 1.

    Returns (A_Z, A_W, A_shifted): ``A_Z`` is the NC amplitude with (g_V, g_A), ``A_W`` the
    W-exchange (charged-current) amplitude written in its own charge-retention order,

        A_W = - [ubar(q1) gamma^mu (1-g5) u(p1)] [vbar(p2) gamma_mu (1-g5) v(q2)],

    the overall minus being the relative Wick sign between the (nubar nu)(ebar e) and the
    (nubar e)(ebar nu) contractions of the external states (as between s- and t-channel Bhabha
    graphs), and ``A_shifted`` the NC-form amplitude with (g_V + 1, g_A + 1). A_Z + A_W ==
    A_shifted is the Fierz statement used for nu_e.
    """
    cur_up = GAMMA @ (ONE - GAMMA5)
    cur_low = GAMMA_LOW @ (ONE - GAMMA5)
    u1 = massless_spinors(p1)
    v2b = spinor_bar(massless_spinors(p2))
    uq1b = spinor_bar(massless_spinors(q1))
    vq2 = massless_spinors(q2)

    def nc(gv: float, ga: float) -> np.ndarray:
        j_n = np.einsum("ai,mij,bj->mab", uq1b, cur_low, vq2)  # [mu, nu spin, nubar spin]
        j_e = np.einsum("ci,mij,dj->mcd", v2b, vertex(gv, ga), u1)  # [mu, e+ spin, e- spin]
        return np.einsum("mab,mcd->abcd", j_n, j_e)

    j_a = np.einsum("ai,mij,dj->mad", uq1b, cur_up, u1)  # ubar(q1) G^mu u(p1)
    j_b = np.einsum("ci,mij,bj->mcb", v2b, cur_low, vq2)  # vbar(p2) G_mu v(q2)
    a_w = -np.einsum("mad,mcb->abcd", j_a, j_b)
    return nc(g_v, g_a), a_w, nc(g_v + 1.0, g_a + 1.0)


# ---------------------------------------------------------------------------------------------
# Cross sections
# ---------------------------------------------------------------------------------------------


def flavour_couplings(sin2w: float) -> list[tuple[float, float]]:
    """(g_V, g_A) for nu_e (Z + Fierzed W), nu_mu, nu_tau (Z only)."""
    g_v = -0.5 + 2.0 * sin2w
    g_a = -0.5
    return [(g_v + 1.0, g_a + 1.0), (g_v, g_a), (g_v, g_a)]


def sigma_22(s: float, *, g_v: float, g_a: float, g_fermi: float, n_cos: int = 8) -> float:
    """sigma(e+ e- -> nu nubar) for one flavour from :func:`msq_22`, GeV^-2.

    dsigma/dOmega = <|M|^2> / (64 pi^2 s), integrated with Gauss-Legendre in cos(theta) (the
    integrand is a quadratic polynomial in cos(theta): exact) and analytically in phi.
    """
    p1, p2 = beams(s)
    c, w = np.polynomial.legendre.leggauss(n_cos)
    e = np.sqrt(s) / 2.0
    sn = np.sqrt(1.0 - c**2)
    q1 = e * np.stack([np.ones_like(c), sn, np.zeros_like(c), c], axis=-1)
    q2 = e * np.stack([np.ones_like(c), -sn, np.zeros_like(c), -c], axis=-1)
    m2 = msq_22(p1, p2, q1, q2, g_v=g_v, g_a=g_a, g_fermi=g_fermi)
    return float(2.0 * np.pi * np.sum(w * m2) / (64.0 * np.pi**2 * s))


def d2sigma_dx_dz_flavour(
    x: float,
    z: float,
    s: float,
    *,
    g_v: float,
    g_a: float,
    g_fermi: float,
    alpha: float,
    n_cos: int = 4,
    n_phi: int = 6,
) -> float:
    """d^2 sigma / dx dz (GeV^-2) for e+ e- -> nu nubar gamma, one flavour, explicit 2 -> 3 |M|^2.

    x / (2048 pi^4) * Integral dOmega* <|M|^2> (module docstring), the pair-frame integral done by
    the product quadrature of :func:`pair_nodes`.
    """
    p1, p2 = beams(s)
    k = photon_momentum(x, z, s)
    q = p1 + p2 - k
    q1, q2, w = pair_nodes(q, n_cos, n_phi)
    m2 = msq_23(p1, p2, k, q1, q2, g_v=g_v, g_a=g_a, g_fermi=g_fermi, alpha=alpha)
    return float(x / (2048.0 * np.pi**4) * np.sum(w * m2))


def d2sigma_dx_dz_reference(
    x: float,
    z: float,
    s: float,
    *,
    sin2w: float,
    g_fermi: float,
    alpha: float,
    n_cos: int = 4,
    n_phi: int = 6,
) -> float:
    """Three flavours summed incoherently (nu_e with Fierzed W exchange), GeV^-2."""
    return sum(
        d2sigma_dx_dz_flavour(
            x, z, s, g_v=gv, g_a=ga, g_fermi=g_fermi, alpha=alpha, n_cos=n_cos, n_phi=n_phi
        )
        for gv, ga in flavour_couplings(sin2w)
    )
