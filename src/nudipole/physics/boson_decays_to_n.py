r"""Decays of on-shell W and Z bosons into the heavy neutral lepton: W -> l N, Z -> nu N.

The LHC source of N in the electroweak scenarios (W. Liu, Y. Zhang, EPJC 83 (2023) 568,
arXiv:2302.02081, "Testing neutrino dipole portal by long-lived particle detectors at the LHC";
scenarios A-D of :mod:`nudipole.physics.couplings`). The paper's own width formulas could not be
consulted here: everything below is *derived here* from the Lagrangian of the code base, checked
against explicit Dirac-matrix matrix elements in ``tests/physics/test_boson_decays_to_n.py``.

Model and normalisation
-----------------------
Exactly the vertices of :mod:`nudipole.physics.decay_ew` (talk: Y. Zhang, BESIII New Physics
Forum 2024; Zhang & Liu, PRD 107 (2023) 095031, arXiv:2301.06050, Eq. 2), per flavour alpha::

    L ⊃ d_W lbar_L sigma^{mu nu} W^-_{mu nu} N - d_Z nubar_L sigma^{mu nu} Z_{mu nu} N + h.c.

(abelian parts of the field strengths, d in GeV^-1). For a vector V of momentum k entering the
vertex with polarisation eps, V_{mu nu} -> -i (k_mu eps_nu - k_nu eps_mu) and the vertex is
2 d ubar_f P_R sigma^{mu nu} k_mu eps_nu v_N (f = l^- or nu, N-bar outgoing), the same factor
2 d as in :func:`nudipole.physics.decay_ew.width_lepton_w`. The first term gives W^- -> l^- Nbar
and Z -> nu Nbar, its Hermitian conjugate the CP images W^+ -> l^+ N and Z -> nubar N. The sign
of d (and the minus sign in front of d_Z) never enters a width or a single-channel angular
distribution.

Spin-summed matrix element (derived here)
-----------------------------------------
With k.eps = 0, k_mu sigma^{mu nu} eps_nu = i kslash epsslash, and the P_R ... P_L sandwich
removes every term odd in the masses, so for a given polarisation

    |M|^2 = -4 d^2 Tr[pslash_f kslash epsslash pslash_N kslash eps*slash P_L].

Summed over the three polarisations (-g + k k / M^2; the k k term drops out because
k_mu sigma^{mu nu} k_nu = 0) and over the fermion spins,

    sum |M|^2 = 4 d^2 [M^4 + M^2 (m^2 + m_f^2) - 2 (m^2 - m_f^2)^2],           (1)

m = m_N, m_f the charged-lepton (W) or neutrino (Z, 0) mass, M = M_W or M_Z. This is the
*same polynomial* as in N -> l W (decay_ew) up to the overall fermion-crossing sign: crossing
N(p) -> l(p_l) W(k) into W(k) -> l(p_l) Nbar(p') sends p -> -p', k -> -k, leaves the three
invariants p.k, p.p_l, k.p_l unchanged as functions of the masses, and u ubar = pslash + m ->
v vbar = pslash' - m = -((-p')slash + m) gives the sign. Hence

    Gamma(N -> l W)   = (1/2) (-sum|M|^2) lambda^{1/2} / (16 pi m^3),
    Gamma(W -> l Nbar) = (1/3) (+sum|M|^2) lambda^{1/2} / (16 pi M^3),

one polynomial, one Källén factor lambda = lambda(M^2, m^2, m_f^2); the two differ only by the
spin average (1/2 vs 1/3) and the parent mass in the phase space. In factorised form (all terms
non-negative in the physical region m + m_f < M),

    T = M^2 - (m + m_f)^2,   U = M^2 - (m - m_f)^2,   lambda = T U,
    R = 2 M^2 m m_f + (m - m_f)^2 T = M^2 (m^2 + m_f^2) - (m^2 - m_f^2)^2,
    sum |M|^2 = 4 d^2 (3 R + lambda),

    Gamma(W^- -> l^- Nbar) = Gamma(W^+ -> l^+ N)
        = d_W^2 lambda^{1/2} (3 R + lambda) / (12 pi M_W^3)                     (2)
        -> d_W^2 (M_W^2 - m^2)^2 (M_W^2 + 2 m^2) / (12 pi M_W^3)   for m_l -> 0

(the m_l -> 0 form is PHYSICS.md §10, *derived* there). For the Z (m_f = 0, d_W -> d_Z, M_W ->
M_Z) one charge state is d_Z^2 M_Z^3 (1 - y)^2 (1 + 2 y) / (12 pi), y = m^2 / M_Z^2, which is
:func:`nudipole.physics.z_pole.width_z_to_nu_nbar` (PHYSICS.md §3, reused here); Z -> nu Nbar
+ nubar N is twice that. All widths vanish like lambda^{1/2} at m = M - m_f.

Majorana N: W^- -> l^- N comes from the first operator only (the conjugate one makes l^+), so
its width is (2); Z -> nu N and Z -> nubar N are the two terms, together twice one Dirac charge
state. The widths here therefore hold for Dirac and Majorana N alike.

Helicity amplitudes and angular distributions (derived here)
------------------------------------------------------------
V at rest, spin quantised along an axis z (its direction of flight for helicity states), N-bar
emitted at polar angle theta* from z, c = cos theta*. In the Jacob-Wick helicity formalism
(M. Jacob, G.C. Wick, Ann. Phys. 7 (1959) 404) the decay amplitude for V helicity h is
A_lambda d^1_{h, lambda}(theta*) with lambda = lambda_Nbar - lambda_f along the N-bar direction.
The polarised traces evaluated with eps_0 = (0, 0, 0, 1), eps_{+-} = -+(0, 1, +-i, 0)/sqrt2 give

    |M|^2_{h=0}  = 4 d^2 [R + lambda c^2],
    |M|^2_{h=+-1} = 4 d^2 [R + lambda (1 - c^2)/2 +- lambda^{1/2} (m^2 - m_f^2) c],

which is the helicity form with decay-helicity weights (the rate into lambda = -1, 0, +1)

    w_{+-1} = [R +- lambda^{1/2} (m^2 - m_f^2)] / (3 R + lambda),
    w_0     = (R + lambda) / (3 R + lambda),                                   (3)

w_{+1} w_{-1} = 4 m^2 m_f^2 M^4 / (3 R + lambda)^2 >= 0 (so both are non-negative). The
normalised densities dGamma / (Gamma dcos theta*), from the d^1 functions of the PDG review
"Clebsch-Gordan coefficients, spherical harmonics, and d functions", are

    h = +-1:  f = (3/2) [w_{+-1} (1 + c)^2/4 + w_{-+1} (1 - c)^2/4 + w_0 (1 - c^2)/2],
    h =  0 :  f = (3/2) [w_0 c^2 + (w_{+1} + w_{-1}) (1 - c^2)/2].              (4)

For the CP images (N from W^+ -> l^+ N or Z -> nubar N, angle of N) w_{+1} and w_{-1} are
exchanged (checked against the matrix element of the conjugate operator). Each helicity state
gives the same total width, as rotational invariance requires.

Massless limit: w_0 = M^2 / (M^2 + 2 m^2), w_{+1} = 2 m^2 / (M^2 + 2 m^2), w_{-1} = 0 (m_f = 0).
The dipole flips chirality, so for m -> 0 the fermion and the anti-fermion have equal helicity
and the pair has J_z = 0 along the decay axis: a transverse V decays like sin^2 theta*.

Consequences for the LHC source
-------------------------------
* **Unpolarised W or Z: N is emitted isotropically**, exactly (sum_h |d^1_{h lambda}|^2 = 1), for
  any masses and either charge.
* **LO q qbar' -> W** (massless quarks, gamma^mu P_L couplings, derived here and checked against
  the full q qbar' -> W -> l Nbar matrix element): the W has J_z = -1 along the *quark*
  direction, for W^+ (u dbar) and W^- (d ubar) alike. With z the quark direction:
  W^- -> l^- Nbar has A_FB(Nbar) = -(3/4)(w_{+1} - w_{-1}) = -(3/2) lambda^{1/2} (m^2 - m_l^2)
  / (3 R + lambda), and W^+ -> l^+ N the opposite sign; for m_l = 0, |A_FB| = (3/2) y / (1 + 2 y),
  y = m^2 / M_W^2: 2.3e-4, 0.023, 0.33 at m_N = 1, 10, 50 GeV (electron). The asymmetry is
  small below ~10 GeV; the *shape* is not: for m_N << M_W the density is (3/4) sin^2 theta*,
  not the isotropic 1/2. Along the axis it vanishes on one side (exactly, for m_l = 0) and is
  (3/2) w_{+1} = 3 y / (1 + 2 y) on the other: 9.3e-4 times the isotropic 1/2 at m_N = 1 GeV
  (electron), 0.090 times at 10 GeV.
* **LO q qbar -> Z**: J_z = -1 along the quark with weight g_L^2, +1 with g_R^2 (same argument;
  tested with the full u ubar -> Z -> nu Nbar matrix element); summed over Z -> nu Nbar and
  Z -> nubar N the linear terms cancel for each helicity, so only the sin^2-like shape remains.
* So the W/Z source must track the boson polarisation axis (at least transverse versus
  unpolarised, at LO the beam axis): it decides the N direction for detectors near the beam
  line in the W/Z frame (FASER-2, FACET), whereas the forward-backward asymmetry can be
  neglected below ~10 GeV. How much the lab-frame acceptance changes depends on the W/Z
  transverse momentum and must be evaluated with the spectra.

Branching ratios
----------------
Br = Gamma / Gamma_V with the PDG total widths of ``particle`` (:data:`nudipole.constants.GAMMA_W`,
:data:`nudipole.constants.GAMMA_Z`). The new channel is not added to the total: the measured
widths would contain it, and Br is only used where it is tiny (Br / d^2 ~ 6e3 GeV^2 for the W).
Per flavour alpha and per W charge for the W; Z -> nu_alpha Nbar + nubar_alpha N for the Z (sum
the flavours with sum_alpha d_Z^alpha^2).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.sm import SM, SMParameters
from nudipole.physics.z_pole import width_z_to_nu_nbar

#: Helicity of a W from LO q qbar' -> W along the quark direction (both W charges).
LO_W_HELICITY_ALONG_QUARK: int = -1

ZState = Literal["nbar", "n", "sum"]


def _masses(m_n: ArrayLike) -> FloatArray:
    m = np.asarray(m_n, dtype=float)
    if np.any(m < 0.0) or np.any(~np.isfinite(m)):
        raise ValueError("HNL mass must be finite and >= 0")
    return m


def _check_fermion_mass(m_f: float) -> float:
    value = float(m_f)
    if not value >= 0.0:
        raise ValueError(f"fermion mass must be >= 0, got {m_f}")
    return value


def _invariants(
    m: FloatArray, m_f: float, m_v: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(open, lambda, R, 3 R + lambda) of the module docstring; lambda = R = 0 where closed."""
    t = m_v**2 - (m + m_f) ** 2
    open_ = t > 0.0
    t = np.where(open_, t, 0.0)
    u = m_v**2 - (m - m_f) ** 2
    lam = t * u
    r = np.where(open_, 2.0 * m_v**2 * m * m_f + (m - m_f) ** 2 * t, 0.0)
    return np.asarray(open_), np.asarray(lam), np.asarray(r), np.asarray(3.0 * r + lam)


def spin_summed_msq(
    m_n: ArrayLike, d: ArrayLike, m_fermion: float, m_v: float = SM.m_w
) -> FloatArray:
    """Spin- and polarisation-summed |M|^2 of V -> f Nbar through the dipole, GeV^2 (derived).

    sum |M|^2 = 4 d^2 [M^4 + M^2 (m^2 + m_f^2) - 2 (m^2 - m_f^2)^2]  (module docstring, Eq. 1),
    evaluated as a polynomial for *any* masses (no threshold), so that it can be compared with
    the crossed process N -> f V, whose spin sum is minus this polynomial.

    Parameters
    ----------
    m_n
        m_N in GeV.
    d
        Dipole coupling (d_W or d_Z) in GeV^-1.
    m_fermion
        Mass m_f of the charged lepton (W) or neutrino (Z, 0) in GeV.
    m_v
        Vector-boson mass M in GeV.

    Returns
    -------
    ndarray
        GeV^2, broadcast over ``m_n`` and ``d``.
    """
    m = np.asarray(m_n, dtype=float)
    mf = _check_fermion_mass(m_fermion)
    poly = m_v**4 + m_v**2 * (m**2 + mf**2) - 2.0 * (m**2 - mf**2) ** 2
    return np.asarray(4.0 * np.asarray(d, dtype=float) ** 2 * poly, dtype=float)


def width_vector_to_fermion_n(
    m_n: ArrayLike, d: ArrayLike, m_fermion: float, m_v: float
) -> FloatArray:
    """Gamma(V -> f Nbar) of one charge state through a dipole d, GeV (derived, Eq. 2).

    Gamma = d^2 lambda^{1/2}(M^2, m^2, m_f^2) (3 R + lambda) / (12 pi M^3), R = M^2 (m^2 + m_f^2)
    - (m^2 - m_f^2)^2, zero for m_N >= M - m_f. Equal for the CP image V -> fbar N.

    Parameters
    ----------
    m_n
        m_N in GeV (>= 0).
    d
        Dipole coupling in GeV^-1.
    m_fermion
        Mass of the accompanying fermion in GeV.
    m_v
        Mass of the decaying vector in GeV.

    Returns
    -------
    ndarray
        Width in GeV, broadcast over ``m_n`` and ``d``.
    """
    m = _masses(m_n)
    mf = _check_fermion_mass(m_fermion)
    open_, lam, _, total = _invariants(m, mf, m_v)
    unit = np.where(open_, np.sqrt(lam) * total / (12.0 * np.pi * m_v**3), 0.0)
    return np.asarray(np.asarray(d, dtype=float) ** 2 * unit, dtype=float)


def width_w_to_lepton_n(
    m_n: ArrayLike, d_w: ArrayLike, m_lepton: float, *, sm: SMParameters = SM
) -> FloatArray:
    """Gamma(W^- -> l^- Nbar) = Gamma(W^+ -> l^+ N) in GeV (derived; module docstring Eq. 2).

    Gamma = d_W^2 lambda^{1/2}(M_W^2, m^2, m_l^2) [M_W^4 + M_W^2 (m^2 + m_l^2) - 2 (m^2 - m_l^2)^2]
    / (12 pi M_W^3); for m_l -> 0, d_W^2 (M_W^2 - m^2)^2 (M_W^2 + 2 m^2) / (12 pi M_W^3)
    (PHYSICS.md §10). Crossing of :func:`nudipole.physics.decay_ew.width_lepton_w` (same
    vertex, same spin-summed polynomial up to sign). One W charge, one flavour; Dirac or
    Majorana N alike.

    Parameters
    ----------
    m_n
        m_N in GeV (>= 0); zero width for m_N >= M_W - m_l.
    d_w
        W dipole coupling d_W^alpha in GeV^-1.
    m_lepton
        Mass of the charged lepton l_alpha in GeV
        (:func:`nudipole.physics.vector_boson.lepton_mass`).
    sm
        Standard-Model inputs (the W mass ``sm.m_w`` in GeV).

    Returns
    -------
    ndarray
        Width in GeV.
    """
    return width_vector_to_fermion_n(m_n, d_w, m_lepton, sm.m_w)


def width_z_to_nu_n(m_n: ArrayLike, d_z: ArrayLike, *, sm: SMParameters = SM) -> FloatArray:
    """Gamma(Z -> nu_alpha Nbar) + Gamma(Z -> nubar_alpha N) in GeV (PHYSICS.md §3, derived).

    Twice :func:`nudipole.physics.z_pole.width_z_to_nu_nbar`, d_Z^2 M_Z^3 (1 - y)^2 (1 + 2 y)
    / (12 pi) per charge state, y = m^2 / M_Z^2; equal to :func:`width_vector_to_fermion_n` with
    m_f = 0 (tested). Dirac or Majorana N alike (module docstring).

    Parameters
    ----------
    m_n
        m_N in GeV (>= 0); zero for m_N >= M_Z.
    d_z
        Z dipole coupling d_Z^alpha in GeV^-1.
    sm
        Standard-Model inputs (the Z mass ``sm.m_z`` in GeV).

    Returns
    -------
    ndarray
        Width in GeV.
    """
    m = _masses(m_n)
    return np.asarray(2.0 * width_z_to_nu_nbar(m, d_z, sm), dtype=float)


def branching_ratio_w_to_lepton_n(
    m_n: ArrayLike,
    d_w: ArrayLike,
    m_lepton: float,
    *,
    sm: SMParameters = SM,
) -> FloatArray:
    """Br(W^- -> l^- Nbar) = Br(W^+ -> l^+ N) = Gamma / Gamma_W, dimensionless.

    Gamma from :func:`width_w_to_lepton_n`, Gamma_W the PDG total width (``particle``).

    Parameters
    ----------
    m_n
        m_N in GeV.
    d_w
        W dipole coupling in GeV^-1.
    m_lepton
        Charged-lepton mass in GeV.
    sm
        Standard-Model inputs (W mass and total width ``sm.m_w``, ``sm.gamma_w`` in GeV).

    Returns
    -------
    ndarray
        Branching ratio per W charge and flavour.
    """
    return np.asarray(width_w_to_lepton_n(m_n, d_w, m_lepton, sm=sm) / sm.gamma_w, dtype=float)


def branching_ratio_z_to_nu_n(
    m_n: ArrayLike, d_z: ArrayLike, *, sm: SMParameters = SM
) -> FloatArray:
    """Br(Z -> nu_alpha Nbar + nubar_alpha N) = Gamma / Gamma_Z, dimensionless.

    Gamma from :func:`width_z_to_nu_n` (both charge states), Gamma_Z the PDG total width.

    Parameters
    ----------
    m_n
        m_N in GeV.
    d_z
        Z dipole coupling in GeV^-1.
    sm
        Standard-Model inputs (Z mass and total width ``sm.m_z``, ``sm.gamma_z`` in GeV).

    Returns
    -------
    ndarray
        Branching ratio per flavour, both charge states.
    """
    return np.asarray(width_z_to_nu_n(m_n, d_z, sm=sm) / sm.gamma_z, dtype=float)


def decay_helicity_weights(
    m_n: ArrayLike, m_fermion: float, m_v: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Decay-helicity weights (w_{-1}, w_0, w_{+1}) of V -> f Nbar (derived, Eq. 3).

    w_lambda is the fraction of the rate with lambda = lambda_Nbar - lambda_f (helicities along
    the N-bar direction in the V frame): w_{+-1} = [R +- lambda^{1/2} (m^2 - m_f^2)] / (3 R +
    lambda), w_0 = (R + lambda) / (3 R + lambda). The smaller of w_{+-1} is evaluated from
    w_{+1} w_{-1} = 4 m^2 m_f^2 M^4 / (3 R + lambda)^2 to avoid cancellation. For the CP image
    V -> fbar N (angle of N) exchange w_{+1} and w_{-1}. Closed channels (m_N >= M - m_f) return
    1/3 each (isotropic), so that products with their zero width stay finite.

    Parameters
    ----------
    m_n
        m_N in GeV.
    m_fermion
        Mass of the accompanying fermion (charged lepton or neutrino) in GeV.
    m_v
        Vector-boson mass in GeV.

    Returns
    -------
    tuple of ndarray
        (w_{-1}, w_0, w_{+1}), dimensionless, summing to 1.
    """
    m = _masses(m_n)
    mf = _check_fermion_mass(m_fermion)
    open_, lam, r, total = _invariants(m, mf, m_v)
    den = np.where(open_, total, 1.0)
    delta = (m - mf) * (m + mf)
    big = r + np.sqrt(lam) * np.abs(delta)  # the larger of the two numerators
    product = 4.0 * m**2 * mf**2 * m_v**4
    small = np.divide(product, big, out=np.zeros_like(big), where=big > 0.0)
    w_big, w_small = big / den, small / den
    w_plus = np.where(delta >= 0.0, w_big, w_small)
    w_minus = np.where(delta >= 0.0, w_small, w_big)
    w_zero = (r + lam) / den
    third = 1.0 / 3.0
    return (
        np.asarray(np.where(open_, w_minus, third), dtype=float),
        np.asarray(np.where(open_, w_zero, third), dtype=float),
        np.asarray(np.where(open_, w_plus, third), dtype=float),
    )


def _check_helicity(helicity: ArrayLike) -> FloatArray:
    h = np.asarray(helicity)
    # three comparisons, not np.isin (whose set machinery costs ~0.1 ms per call)
    if not np.all((h == -1) | (h == 0) | (h == 1)):
        raise ValueError("vector-boson helicity must be -1, 0 or +1")
    return np.asarray(h, dtype=float)


def _check_cos(cos_theta: ArrayLike) -> FloatArray:
    c = np.asarray(cos_theta, dtype=float)
    if np.any(np.abs(c) > 1.0):
        raise ValueError("cos(theta*) must lie in [-1, 1]")
    return c


def angular_density(
    cos_theta: ArrayLike,
    helicity: ArrayLike,
    m_n: ArrayLike,
    m_fermion: float,
    m_v: float,
    *,
    n_is_antiparticle: bool = True,
) -> FloatArray:
    """dGamma / (Gamma dcos theta*) of N in the rest frame of a polarised V (derived, Eq. 4).

    h = +-1: (3/2) [w_{+-1} (1 + c)^2/4 + w_{-+1} (1 - c)^2/4 + w_0 (1 - c^2)/2];
    h = 0: (3/2) [w_0 c^2 + (w_{+1} + w_{-1}) (1 - c^2)/2], with the weights of
    :func:`decay_helicity_weights` (exchanged for the CP image). Normalised to 1 on [-1, 1];
    the average over h = -1, 0, +1 is 1/2 (isotropic).

    Parameters
    ----------
    cos_theta
        cos theta*, angle between the N (or N-bar) momentum in the V rest frame and the V spin
        quantisation axis (its direction of flight for helicity states).
    helicity
        V helicity (spin projection on that axis): -1, 0 or +1 (array allowed).
    m_n
        m_N in GeV.
    m_fermion
        Mass of the accompanying fermion in GeV.
    m_v
        Vector-boson mass in GeV.
    n_is_antiparticle
        True: V -> f Nbar (W^- -> l^- Nbar, Z -> nu Nbar; the operator as written), angle of
        N-bar. False: the CP image (W^+ -> l^+ N, Z -> nubar N), angle of N.

    Returns
    -------
    ndarray
        Density per unit cos theta*, broadcast over all array arguments.
    """
    c = _check_cos(cos_theta)
    h = _check_helicity(helicity)
    w_minus, w_zero, w_plus = decay_helicity_weights(m_n, m_fermion, m_v)
    if not n_is_antiparticle:
        w_minus, w_plus = w_plus, w_minus
    w_same = np.where(h > 0.0, w_plus, w_minus)  # w_{h} for h = +-1
    w_opposite = np.where(h > 0.0, w_minus, w_plus)
    transverse = 0.375 * (w_same * (1.0 + c) ** 2 + w_opposite * (1.0 - c) ** 2) + 0.75 * (
        w_zero * (1.0 - c**2)
    )
    longitudinal = 1.5 * w_zero * c**2 + 0.75 * (w_plus + w_minus) * (1.0 - c**2)
    return np.asarray(np.where(h == 0.0, longitudinal, transverse), dtype=float)


def angular_density_w(
    cos_theta: ArrayLike,
    m_n: ArrayLike,
    m_lepton: float,
    helicity: ArrayLike = LO_W_HELICITY_ALONG_QUARK,
    *,
    w_charge: int = -1,
    sm: SMParameters = SM,
) -> FloatArray:
    """Density of cos theta* of N (W^+) or N-bar (W^-) in the rest frame of a polarised W.

    :func:`angular_density` with m_f = m_l, M = M_W. Default helicity -1: the LO q qbar' -> W
    polarisation when theta* is measured from the quark direction (module docstring); there the
    forward-backward asymmetry is :func:`forward_backward_asymmetry_w`.

    Parameters
    ----------
    cos_theta
        cos theta*, angle to the W spin axis (direction of flight, or the quark at LO).
    m_n
        m_N in GeV.
    m_lepton
        Charged-lepton mass in GeV.
    helicity
        W helicity -1, 0, +1 along that axis.
    w_charge
        -1: W^- -> l^- Nbar (angle of N-bar); +1: W^+ -> l^+ N (angle of N).
    sm
        Standard-Model inputs (the W mass ``sm.m_w`` in GeV).

    Returns
    -------
    ndarray
        dGamma / (Gamma dcos theta*), dimensionless.
    """
    if w_charge not in (-1, 1):
        raise ValueError(f"w_charge must be -1 or +1, got {w_charge}")
    return angular_density(
        cos_theta, helicity, m_n, m_lepton, sm.m_w, n_is_antiparticle=(w_charge == -1)
    )


def angular_density_z(
    cos_theta: ArrayLike,
    m_n: ArrayLike,
    helicity: ArrayLike,
    *,
    state: ZState = "sum",
    sm: SMParameters = SM,
) -> FloatArray:
    """Density of cos theta* of N / N-bar in the rest frame of a polarised Z (Eq. 4, m_f = 0).

    Parameters
    ----------
    cos_theta
        cos theta*, angle to the Z spin axis.
    m_n
        m_N in GeV.
    helicity
        Z helicity -1, 0, +1 along that axis.
    state
        ``"nbar"``: Z -> nu Nbar (angle of N-bar); ``"n"``: Z -> nubar N (angle of N);
        ``"sum"``: both with their equal widths (average of the two), symmetric in c.
    sm
        Standard-Model inputs (the Z mass ``sm.m_z`` in GeV).

    Returns
    -------
    ndarray
        dGamma / (Gamma dcos theta*), dimensionless.
    """
    m_z = sm.m_z
    if state == "nbar":
        return angular_density(cos_theta, helicity, m_n, 0.0, m_z, n_is_antiparticle=True)
    if state == "n":
        return angular_density(cos_theta, helicity, m_n, 0.0, m_z, n_is_antiparticle=False)
    if state == "sum":
        both = angular_density(cos_theta, helicity, m_n, 0.0, m_z) + angular_density(
            cos_theta, helicity, m_n, 0.0, m_z, n_is_antiparticle=False
        )
        return np.asarray(0.5 * both, dtype=float)
    raise ValueError(f"state must be 'nbar', 'n' or 'sum', got {state!r}")


def forward_backward_asymmetry(
    helicity: ArrayLike,
    m_n: ArrayLike,
    m_fermion: float,
    m_v: float,
    *,
    n_is_antiparticle: bool = True,
) -> FloatArray:
    """A_FB = [N(c > 0) - N(c < 0)] / N of :func:`angular_density` (derived).

    A_FB = (3/4) h (w_{+1} - w_{-1}) = (3/2) h lambda^{1/2} (m^2 - m_f^2) / (3 R + lambda) for
    V -> f Nbar, the opposite sign for the CP image; 0 for h = 0.

    Parameters
    ----------
    helicity
        V helicity -1, 0, +1.
    m_n
        m_N in GeV.
    m_fermion
        Mass of the accompanying fermion in GeV.
    m_v
        Vector-boson mass in GeV.
    n_is_antiparticle
        As in :func:`angular_density`.

    Returns
    -------
    ndarray
        Dimensionless asymmetry in [-1, 1].
    """
    h = _check_helicity(helicity)
    w_minus, _, w_plus = decay_helicity_weights(m_n, m_fermion, m_v)
    sign = 1.0 if n_is_antiparticle else -1.0
    return np.asarray(0.75 * sign * h * (w_plus - w_minus), dtype=float)


def forward_backward_asymmetry_w(
    m_n: ArrayLike,
    m_lepton: float,
    helicity: ArrayLike = LO_W_HELICITY_ALONG_QUARK,
    *,
    w_charge: int = -1,
    sm: SMParameters = SM,
) -> FloatArray:
    """A_FB of N-bar (W^-) or N (W^+) about the W spin axis; default the LO W (h = -1).

    For m_l -> 0 and h = -1 along the quark: A_FB = -/+ (3/2) y / (1 + 2 y), y = m^2 / M_W^2,
    for W^- / W^+ (module docstring).

    Parameters
    ----------
    m_n
        m_N in GeV.
    m_lepton
        Charged-lepton mass in GeV.
    helicity
        W helicity along the axis.
    w_charge
        -1 (W^- -> l^- Nbar) or +1 (W^+ -> l^+ N).
    sm
        Standard-Model inputs (the W mass ``sm.m_w`` in GeV).

    Returns
    -------
    ndarray
        Dimensionless asymmetry.
    """
    if w_charge not in (-1, 1):
        raise ValueError(f"w_charge must be -1 or +1, got {w_charge}")
    return forward_backward_asymmetry(
        helicity, m_n, m_lepton, sm.m_w, n_is_antiparticle=(w_charge == -1)
    )
