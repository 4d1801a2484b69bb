"""Independent reference: tree-level e+ e- -> nu nubar (gamma) with Z and W propagators.

Test infrastructure only; does not import ``nudipole``. Extends ``background_reference`` (contact
limit) to LEP/CEPC energies, as an independent check of :mod:`nudipole.physics.background_ew`.

Amplitudes (massless electrons, Feynman rules as in ``background_reference``; the common factor
(G_F/sqrt2) e is pulled out and restored in the squared matrix elements):

* Z exchange, flavour l (two ISR graphs), the contact NC amplitude of ``background_reference``
  times the Z propagator relative to the contact limit,

      A(q^2) = M_Z^2 / (M_Z^2 - q^2 - i M_Z Gamma(q^2)),   q = q1 + q2 (nu nubar pair),

  with the running (Gamma(q^2) = q^2 Gamma_Z / M_Z) or fixed width.

* W exchange for nu_e, written in its own charge-retention order with the relative Wick sign -1
  (checked against the Fierzed contact form by the tests), three graphs in the Feynman gauge:

      D1 = P(q_b^2) [ubar(q1) G^mu S(p1 - k) eps-slash u(p1)] [vbar(p2) G_mu v(q2)]   (ISR e-)
      D2 = P(q_a^2) [ubar(q1) G^mu u(p1)] [vbar(p2) eps-slash S(k - p2) G_mu v(q2)]   (ISR e+)
      D3 = c3 P(q_a^2) P(q_b^2) / M_W^2 J1^alpha J2^beta V_{alpha beta rho} eps^rho  (W line)

  G^mu = gamma^mu (1 - gamma5), S(p) = p-slash / p^2, P(t) = M_W^2 / (M_W^2 - t) (spacelike
  W momenta q_a = p1 - q1, q_b = q_a - k = q2 - p2: no width), J1 = ubar(q1) G u(p1),
  J2 = vbar(p2) G v(q2), and the triple-gauge vertex for the W momentum q_a flowing in and q_b
  flowing out of it, photon k outgoing,

      V_{alpha beta rho} = g_{alpha beta} (q_a + q_b)_rho + g_{beta rho} (k - q_b)_alpha
                           - g_{rho alpha} (k + q_a)_beta.

  With massless fermions the Goldstone bosons do not couple to the fermion lines (no Goldstone
  graphs), and J1.q_a = J2.q_b = 0, so the q q / M_W^2 part of the unitary-gauge propagator drops
  out: Feynman and unitary gauge agree. The relative factor c3 = -1 is
  the one for which the sum D1 + D2 + D3 obeys the QED Ward identity (``ward_residual_w``; the
  opposite sign fails), i.e. it is fixed by gauge invariance and not put in by hand.

    M(nu_e) = A M_Z-graphs - (D1 + D2 + D3),     M(nu_mu, nu_tau) = A M_Z-graphs.

Phase space as in ``background_reference``: d^2 sigma / dx dz = x / (2048 pi^4) Int dOmega* <|M|^2>,
integrated over the pair-frame direction with Gauss-Legendre x uniform-phi nodes. The W
propagators make the integrand non-polynomial in n*; it is smooth (|t| bounded, M_W^2 - t > 0),
and the quadrature converges geometrically (checked in the tests by doubling the nodes).
Photon polarisations: the two transverse ones (valid since the Ward identity holds).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from background_reference import GAMMA_LOW, ONE, beams, lower, mdot, pair_nodes, slash, vertex
from dirac_algebra import GAMMA, GAMMA5, METRIC, PAULI

PAULI_ARR = np.array(PAULI)
#: gamma^mu (1 - gamma5), upper and lower index, shape (4, 4, 4).
G_UP = GAMMA @ (ONE - GAMMA5)
G_LOW = GAMMA_LOW @ (ONE - GAMMA5)


# ---------------------------------------------------------------------------------------------
# Vectorised spinors and kinematics
# ---------------------------------------------------------------------------------------------


def spinors(p: np.ndarray) -> np.ndarray:
    """Massless spinors sqrt(E) (chi_s, sigma.n chi_s), s = 1, 2, for p[..., 4]: [..., 2, 4].

    p-slash w = 0 and sum_s w_s wbar_s = p-slash: they serve both as u and as v.
    """
    p = np.asarray(p, dtype=float)
    energy = p[..., 0]
    n = p[..., 1:] / energy[..., None]
    sig_n = np.einsum("...i,iab->...ab", n, PAULI_ARR)  # [..., 2, 2]
    chi = np.eye(2, dtype=complex)  # chi[s] is the s-th basis spinor
    low = np.einsum("...ab,sb->...sa", sig_n, chi)
    up = np.broadcast_to(chi, low.shape)
    return np.sqrt(energy)[..., None, None] * np.concatenate([up, low], axis=-1)


def bar(w: np.ndarray) -> np.ndarray:
    """Dirac conjugate w^dagger gamma^0 of spinors w[..., 4]."""
    return np.conj(w) @ GAMMA[0]


def photon_momentum(x: float, z: float, s: float) -> np.ndarray:
    """Photon four-momentum, energy x sqrt(s)/2, polar angle arccos(z), azimuth 0."""
    e = x * np.sqrt(s) / 2.0
    return e * np.array([1.0, np.sqrt(1.0 - z * z), 0.0, z])


def transverse_polarisations(k: np.ndarray) -> np.ndarray:
    """Two real transverse polarisation vectors (shape (2, 4)) for photon momentum k."""
    n = k[1:] / k[0]
    e1 = np.cross(n, np.array([0.0, 1.0, 0.0]))
    if np.linalg.norm(e1) < 0.1:
        e1 = np.cross(n, np.array([1.0, 0.0, 0.0]))
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(n, e1)
    return np.array([np.concatenate([[0.0], e1]), np.concatenate([[0.0], e2])])


def z_factor(q2: float, m_z: float, gamma_z: float, width: str) -> complex:
    """A(q^2) = M_Z^2 / (M_Z^2 - q^2 - i M_Z Gamma(q^2)) (-> 1 for q^2 -> 0, running width)."""
    m_gamma = q2 * gamma_z / m_z if width == "running" else m_z * gamma_z
    return complex(m_z**2 / (m_z**2 - q2 - 1j * m_gamma))


def w_factor(t: np.ndarray, m_w: float) -> np.ndarray:
    """P(t) = M_W^2 / (M_W^2 - t); m_w = inf gives the contact limit 1."""
    if np.isinf(m_w):
        return np.ones_like(t)
    return m_w**2 / (m_w**2 - t)


# ---------------------------------------------------------------------------------------------
# 2 -> 3 amplitudes
# ---------------------------------------------------------------------------------------------


def amplitudes_23(
    p1: np.ndarray,
    p2: np.ndarray,
    k: np.ndarray,
    eps: np.ndarray,
    q1: np.ndarray,
    q2: np.ndarray,
    *,
    g_v: float,
    g_a: float,
    z_amp: complex,
    w_graphs: bool,
    m_w: float,
    c3: float = -1.0,
    include_wwg: bool = True,
) -> np.ndarray:
    """Amplitudes / ((G_F/sqrt2) e) for e-(p1) e+(p2) -> gamma(k, eps) nu(q1) nubar(q2).

    ``eps``: polarisation vectors [P, 4] (upper index; may be k itself for the Ward identity),
    q1, q2: [N, 4]. Returns [N, P, s1, s2, sq1, sq2] (spin labels of e-, e+, nu, nubar).
    ``z_amp``: the Z propagator factor A; ``w_graphs``: add -(D1 + D2 + D3) (nu_e).
    """
    u1 = spinors(p1)  # [s1, a]
    v2b = bar(spinors(p2))  # [s2, a]
    uq1b = bar(spinors(q1))  # [N, sq1, a]
    vq2 = spinors(q2)  # [N, sq2, a]
    eps_slash = slash(eps)  # [P, 4, 4]
    s_e = slash(p1 - k) / mdot(p1 - k, p1 - k)
    s_p = slash(k - p2) / mdot(k - p2, k - p2)

    # Z graphs: N_mu [vbar(p2) (Gam^mu S(p1-k) eps + eps S(k-p2) Gam^mu) u(p1)]
    gam = vertex(g_v, g_a)
    e_line = np.einsum("mab,bc,pcd->pmad", gam, s_e, eps_slash) + np.einsum(
        "pab,bc,mcd->pmad", eps_slash, s_p, gam
    )
    j_e = np.einsum("ya,pmab,xb->pmxy", v2b, e_line, u1)  # [P, mu, s1, s2]
    j_n = np.einsum("nia,mab,njb->nmij", uq1b, G_LOW, vq2)  # [N, mu(lower), sq1, sq2]
    amp = z_amp * np.einsum("pmxy,nmij->npxyij", j_e, j_n)
    if not w_graphs:
        return amp

    q_a = p1 - q1  # [N, 4], W momentum leaving the e- line
    q_b = q_a - k  # = q2 - p2
    p_a = w_factor(mdot(q_a, q_a), m_w)  # [N]
    p_b = w_factor(mdot(q_b, q_b), m_w)
    j1 = np.einsum("nia,mab,xb->nmix", uq1b, G_UP, u1)  # [N, mu(upper), sq1, s1]
    j2 = np.einsum("ya,mab,njb->nmyj", v2b, G_LOW, vq2)  # [N, mu(lower), s2, sq2]
    # D1: photon from the incoming e-, W carries q_b
    m1 = np.einsum("mab,bc,pcd->pmad", G_UP, s_e, eps_slash)
    j1_isr = np.einsum("nia,pmab,xb->npmix", uq1b, m1, u1)
    d1 = p_b[:, None, None, None, None, None] * np.einsum("npmix,nmyj->npxyij", j1_isr, j2)
    # D2: photon from the incoming e+, W carries q_a
    m2 = np.einsum("pab,bc,mcd->pmad", eps_slash, s_p, G_LOW)
    j2_isr = np.einsum("ya,pmab,njb->npmyj", v2b, m2, vq2)
    d2 = p_a[:, None, None, None, None, None] * np.einsum("nmix,npmyj->npxyij", j1, j2_isr)
    w_amp = d1 + d2
    if include_wwg:
        # D3: photon from the W line; V_{alpha beta rho} eps^rho with all Lorentz indices lower
        eps_low = lower(eps)  # [P, 4]
        dot_sum = mdot((q_a + q_b)[:, None, :], eps[None, :, :])  # [N, P]
        v_eps = (
            METRIC[None, None] * dot_sum[:, :, None, None]
            + np.einsum("na,pb->npab", lower(k - q_b), eps_low)
            - np.einsum("pa,nb->npab", eps_low, lower(k + q_a))
        )  # [N, P, alpha, beta]
        j2_up = np.einsum("mq,nqyj->nmyj", METRIC, j2)
        d3 = np.einsum("naix,npab,nbyj->npxyij", j1, v_eps, j2_up)
        coeff = c3 * p_a * p_b / m_w**2
        w_amp = w_amp + coeff[:, None, None, None, None, None] * d3
    return amp - w_amp


def ward_residual_w(
    p1: np.ndarray, p2: np.ndarray, k: np.ndarray, q1: np.ndarray, q2: np.ndarray, **kw: object
) -> float:
    """max |M(eps -> k/k0)| / max |M(eps transverse)| for the nu_e amplitude (QED Ward identity).

    Keyword arguments are passed to :func:`amplitudes_23` (g_v, g_a, z_amp, m_w, c3, ...).
    """
    with_k = amplitudes_23(p1, p2, k, (k / k[0])[None, :], q1, q2, w_graphs=True, **kw)  # type: ignore[arg-type]
    with_eps = amplitudes_23(p1, p2, k, transverse_polarisations(k), q1, q2, w_graphs=True, **kw)  # type: ignore[arg-type]
    return float(np.max(np.abs(with_k)) / np.max(np.abs(with_eps)))


# ---------------------------------------------------------------------------------------------
# Couplings and cross sections
# ---------------------------------------------------------------------------------------------

Flavour = Literal["e", "mu"]


def d2sigma_dx_dz_flavour(
    x: float,
    z: float,
    s: float,
    *,
    flavour: Flavour,
    sin2w: float,
    g_fermi: float,
    alpha: float,
    m_z: float,
    gamma_z: float,
    m_w: float,
    width: str = "running",
    include_wwg: bool = True,
    n_cos: int = 16,
    n_phi: int = 16,
) -> float:
    """d^2 sigma / dx dz (GeV^-2), one flavour ("e": Z + W graphs, "mu": Z only), explicit |M|^2.

    x / (2048 pi^4) * Int dOmega* (1/4) (G_F^2/2) e^2 sum |M|^2 over spins and the two
    transverse photon polarisations.
    """
    g_v = -0.5 + 2.0 * sin2w
    g_a = -0.5
    p1, p2 = beams(s)
    k = photon_momentum(x, z, s)
    q = p1 + p2 - k
    q1, q2, w = pair_nodes(q, n_cos, n_phi)
    amp = amplitudes_23(
        p1,
        p2,
        k,
        transverse_polarisations(k),
        q1,
        q2,
        g_v=g_v,
        g_a=g_a,
        z_amp=z_factor(float(mdot(q, q)), m_z, gamma_z, width),
        w_graphs=flavour == "e",
        m_w=m_w,
        include_wwg=include_wwg,
    )
    msq = np.sum(np.abs(amp) ** 2, axis=(1, 2, 3, 4, 5))
    e2 = 4.0 * np.pi * alpha
    msq = 0.25 * (g_fermi**2 / 2.0) * e2 * msq
    return float(x / (2048.0 * np.pi**4) * np.sum(w * msq))


def d2sigma_dx_dz(x: float, z: float, s: float, **kw: object) -> float:
    """Three flavours: nu_e (Z + W) + 2 x nu_mu (Z only), GeV^-2 (arguments as above)."""
    e = d2sigma_dx_dz_flavour(x, z, s, flavour="e", **kw)  # type: ignore[arg-type]
    mu = d2sigma_dx_dz_flavour(x, z, s, flavour="mu", **kw)  # type: ignore[arg-type]
    return e + 2.0 * mu


def amplitudes_22(
    p1: np.ndarray,
    p2: np.ndarray,
    q1: np.ndarray,
    q2: np.ndarray,
    *,
    g_v: float,
    g_a: float,
    z_amp: complex,
    w_graph: bool,
    m_w: float,
) -> np.ndarray:
    """Amplitudes / (G_F/sqrt2) of e-(p1) e+(p2) -> nu(q1) nubar(q2), [N, s1, s2, sq1, sq2].

    A [vbar(p2) Gam^mu u(p1)] N_mu  -  P((p1 - q1)^2) [ubar(q1) G^mu u(p1)] [vbar(p2) G_mu v(q2)].
    """
    u1 = spinors(p1)
    v2b = bar(spinors(p2))
    uq1b = bar(spinors(q1))
    vq2 = spinors(q2)
    j_e = np.einsum("ya,mab,xb->mxy", v2b, vertex(g_v, g_a), u1)
    j_n = np.einsum("nia,mab,njb->nmij", uq1b, G_LOW, vq2)
    amp = z_amp * np.einsum("mxy,nmij->nxyij", j_e, j_n)
    if w_graph:
        q_a = p1 - q1
        j1 = np.einsum("nia,mab,xb->nmix", uq1b, G_UP, u1)
        j2 = np.einsum("ya,mab,njb->nmyj", v2b, G_LOW, vq2)
        p_a = w_factor(mdot(q_a, q_a), m_w)
        amp = amp - p_a[:, None, None, None, None] * np.einsum("nmix,nmyj->nxyij", j1, j2)
    return amp


def sigma_22_flavour(
    s: float,
    *,
    flavour: Flavour,
    sin2w: float,
    g_fermi: float,
    m_z: float,
    gamma_z: float,
    m_w: float,
    width: str = "running",
    n_cos: int = 48,
) -> float:
    """sigma(e+ e- -> nu nubar), one flavour, GeV^-2: Int dOmega <|M|^2> / (64 pi^2 s).

    Gauss-Legendre in cos(theta) (non-polynomial for the W graph: n_cos = 48 converges to
    round-off up to sqrt(s) ~ 400 GeV), analytic in phi.
    """
    g_v = -0.5 + 2.0 * sin2w
    g_a = -0.5
    p1, p2 = beams(s)
    c, wts = np.polynomial.legendre.leggauss(n_cos)
    e = np.sqrt(s) / 2.0
    sn = np.sqrt(1.0 - c**2)
    q1 = e * np.stack([np.ones_like(c), sn, np.zeros_like(c), c], axis=-1)
    q2 = e * np.stack([np.ones_like(c), -sn, np.zeros_like(c), -c], axis=-1)
    amp = amplitudes_22(
        p1,
        p2,
        q1,
        q2,
        g_v=g_v,
        g_a=g_a,
        z_amp=z_factor(s, m_z, gamma_z, width),
        w_graph=flavour == "e",
        m_w=m_w,
    )
    msq = 0.25 * (g_fermi**2 / 2.0) * np.sum(np.abs(amp) ** 2, axis=(1, 2, 3, 4))
    return float(2.0 * np.pi * np.sum(wts * msq) / (64.0 * np.pi**2 * s))
