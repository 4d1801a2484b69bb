"""Electroweak decays of the heavy neutral lepton: N -> nu Z(*), N -> l W(*), total width.

Model (talk: Y. Zhang, BESIII New Physics Forum 2024; Zhang & Liu, PRD 107 (2023) 095031,
arXiv:2301.06050), per active flavour k, d in GeV^-1::

    L ⊃ d_gamma nubar_L sigma_{mu nu} F^{mu nu} N - d_Z nubar_L sigma_{mu nu} Z^{mu nu} N
        + d_W lbar_L sigma^{mu nu} W^-_{mu nu} N + h.c.

Only the abelian part of the field strengths enters the decays at tree level.

Channels
--------
``nu gamma``
    Gamma(N -> nu gamma) = d_gamma^2 m^3 / (4 pi) (seed Eq. 4), :func:`decay.width_nu_gamma`.
``nu Z(*)``
    N -> nu f fbar through a real or virtual Z, integrated over the whole q^2 range for every m
    (:func:`width_nu_z_offshell`). Above M_Z it contains the on-shell decay N -> nu Z, so it
    is *not* added to :func:`width_nu_z`; the latter is offered for display only.
``l W(*)``
    N -> l f fbar' through a real or virtual W (:func:`width_lepton_w_offshell`), idem.

The total width is therefore smooth across m = M_Z and m = M_W + m_l and nothing is counted
twice. Majorana N: every channel is doubled (N decays to a final state and to its charge
conjugate), as in :func:`nudipole.physics.decay.width_nu_gamma`.

Three-body factorisation (PHYSICS.md §2, *derived*)
---------------------------------------------------
The dipole vertex is transverse: q_mu sigma^{mu nu} q_nu = 0, so the q^mu q^nu part of the
massive-vector propagator drops out and, for any final-state masses,

    dGamma/dq^2 = (1/pi) Gamma_2(N -> X V; M_V^2 -> q^2) sqrt(q^2) Gamma(V* -> f fbar')(q^2)
                  / [(q^2 - M_V^2)^2 + M_V^2 Gamma_V^2],

where sqrt(q^2) Gamma(V* -> f fbar') is the width of a vector of mass sqrt(q^2) with the SM
couplings (:func:`~nudipole.physics.vector_boson.vector_spectral_width`). With the PDG
total width Gamma_V in the propagator, the narrow-width limit is Gamma_2 x sum_f Br(V -> f
fbar'), where the tree-level partial widths with the (1 + alpha_s/pi) QCD factor give
sum_f Br within 1 % (Z) and 3 % (W) of 1.

Neglected, all small: interference between the Z* and W* diagrams for identical final states
(e.g. nu_e e+ e-), identical-neutrino exchange in N -> nu_k nu_k nubar_k, N -> nu gamma* ->
nu f fbar (an O(alpha/pi) radiative correction to ``nu gamma``), and electroweak loops.

Hadrons at small q^2
--------------------
The fermion pairs of Z* and W*, with the hadronic thresholds for light quarks and their
justification, are in :mod:`nudipole.physics.vector_boson`. None of this matters for
Br(N -> nu gamma): for m << M_Z the three-body widths are d_V^2 G_F C m^7 /
(240 sqrt2 pi^3 M_V^2), a fraction ~ G_F m^4 / M_V^2 of Gamma(nu gamma) (numbers there).

Integration
-----------
Each channel is integrated from its own threshold to (m - m_l)^2 (so thresholds never fall
inside a quadrature panel) with Gauss-Legendre nodes on two panels: below M^2 + 10 M Gamma in
theta, q^2 = M^2 + M Gamma tan(theta), which removes the Breit-Wigner peak from the integrand
exactly (the arctan is taken in difference form, so light N, whose theta range is tiny and far
below the pole, keep full precision); above it in ln(q^2 - M^2), which flattens the
1/(q^2 - M^2)^2 tail of heavy N. With the default 48 nodes per panel the result agrees with
adaptive quadrature to < 1e-6 from m = 0.1 GeV to 3 TeV. Vectorised over m_N; the widths are
d^2 times a coupling-independent integral, so scans in d need one evaluation per mass.

Quark and lepton masses come from the PDG tables of ``particle`` (ids 1-6, 11, 13, 15;
MS-bar masses for u, d, s, c, b: running versus pole mass is irrelevant here, it moves
thresholds far below M_Z where the three-body widths are negligible). CKM magnitudes and
alpha_s(M_Z) are cited entries of ``data/constants.toml``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from nudipole.model import DipoleCouplings, Flavour, Nature
from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.physics.decay import width_nu_gamma
from nudipole.physics.sm import SM, SMParameters
from nudipole.physics.vector_boson import (
    FermionPair,
    channel_arrays,
    lepton_mass,
    pair_spectral,
    sqrt_kallen,
    w_star_channels,
    z_star_channels,
)

#: Keys of :func:`partial_widths`.
CHANNELS: tuple[str, str, str] = ("nu gamma", "nu Z(*)", "l W(*)")

_DEFAULT_NODES = 48

IndexArray = npt.NDArray[np.intp]


def _nature_factor(nature: Nature) -> float:
    return 2.0 if nature is Nature.MAJORANA else 1.0


def _check_masses(m_n: ArrayLike) -> FloatArray:
    m = np.asarray(m_n, dtype=float)
    if not np.all(m > 0.0):
        raise ValueError("HNL mass must be positive")
    return m


def _two_body_unit(m: FloatArray, m_lepton: float, q2: FloatArray) -> FloatArray:
    """Gamma(N -> l V) / d^2 for a vector of squared mass q2 (Dirac), GeV^3. See width_lepton_w."""
    ml2 = m_lepton**2
    m2 = m * m
    poly = 2.0 * (m2 - ml2) ** 2 - q2 * (m2 + ml2) - q2 * q2
    root = np.maximum(m2 - q2, 0.0) if m_lepton == 0.0 else sqrt_kallen(m2, ml2, q2)
    return np.asarray(root * np.maximum(poly, 0.0) / (8.0 * np.pi * m**3), dtype=float)


def width_nu_z(
    m_n: ArrayLike, d_z: ArrayLike, nature: Nature = Nature.DIRAC, *, sm: SMParameters = SM
) -> FloatArray:
    """On-shell Gamma(N -> nu Z) in GeV (talk; PHYSICS.md §2).

    Gamma = d_Z^2 (m^2 - M_Z^2)^2 (2 m^2 + M_Z^2) / (8 pi m^3) Theta(m > M_Z), Dirac;
    Majorana x 2. For display and for the narrow-width check only: the total width uses
    :func:`width_nu_z_offshell`, which contains this decay.

    Parameters
    ----------
    m_n
        m_N in GeV.
    d_z
        Z dipole coupling d_Z in GeV^-1.
    nature
        Dirac or Majorana.
    sm
        Standard-Model inputs (the Z mass ``sm.m_z`` in GeV).
    """
    m = _check_masses(m_n)
    dz = np.asarray(d_z, dtype=float)
    width = dz**2 * _two_body_unit(m, 0.0, np.asarray(sm.m_z**2, dtype=float))
    return np.asarray(_nature_factor(nature) * width, dtype=float)


def width_lepton_w(
    m_n: ArrayLike,
    d_w: ArrayLike,
    m_lepton: float,
    nature: Nature = Nature.DIRAC,
    *,
    sm: SMParameters = SM,
) -> FloatArray:
    r"""On-shell Gamma(N -> l^- W^+) in GeV (*derived*; corrects the talk's slide).

    For the vertex d_W lbar_L sigma^{mu nu} N W^-_{mu nu} (abelian part of W_{mu nu}), with
    k the W momentum, M = 2 d_W ubar_l P_R sigma^{mu nu} k_mu eps*_nu u_N. The k^mu k^nu/M_W^2
    term of the polarisation sum drops out (sigma^{mu nu} k_mu k_nu = 0) and the chiral
    projector kills every term odd in the masses, so

        sum |M|^2 = 4 d_W^2 [2 (m^2 - m_l^2)^2 - M_W^2 (m^2 + m_l^2) - M_W^4],

        Gamma = d_W^2 lambda^{1/2}(m^2, m_l^2, M_W^2)
                x [2 (m^2 - m_l^2)^2 - M_W^2 (m^2 + m_l^2) - M_W^4] / (8 pi m^3)
                x Theta(m > M_W + m_l)            (Dirac; Majorana x 2).

    The bracket equals (m^2 - M_W^2)(2 m^2 + M_W^2) + m_l^2 (2 m_l^2 - 4 m^2 - M_W^2). For
    m_l -> 0 this is exactly the talk's Gamma(N -> nu Z) with d_Z -> d_W, M_Z -> M_W; for
    M_W -> 0 it is d_W^2 (m^2 - m_l^2)^3 / (4 pi m^3), the photon-like width. Checked in the
    tests against Dirac traces built from explicit gamma matrices.

    The talk's slide reads d_W^2/(8 pi m^3) sqrt((m^2 - (M_W - m_l)^2)(m^2 + (M_W - m_l)^2))
    x (2 m_l^2 (2 m_l^2 - 4 m^2 - M_W^2) + (m^2 - M_W^2)(2 m^2 + M_W^2)). We read the square
    root as the Källén factor sqrt((m^2 - (M_W - m_l)^2)(m^2 - (M_W + m_l)^2)) (the printed
    second factor would not vanish at the threshold m = M_W + m_l that the slide's own Theta
    function imposes), and the lepton-mass term with coefficient 1, not 2: with 2 the
    bracket turns negative just above threshold for a heavy lepton, and the matrix element
    gives 1. The two readings differ by O(m_l^2 / M_W^2) < 5e-4 (tau), so the talk's numbers
    are unaffected.

    Parameters
    ----------
    m_n
        m_N in GeV.
    d_w
        W dipole coupling d_W in GeV^-1.
    m_lepton
        Charged-lepton mass m_l in GeV (see :func:`lepton_mass`).
    nature
        Dirac or Majorana.
    sm
        Standard-Model inputs (the W mass ``sm.m_w`` in GeV).
    """
    m = _check_masses(m_n)
    dw = np.asarray(d_w, dtype=float)
    width = dw**2 * _two_body_unit(m, float(m_lepton), np.asarray(sm.m_w**2, dtype=float))
    return np.asarray(_nature_factor(nature) * width, dtype=float)


@lru_cache(maxsize=8)
def _gauss_legendre(n_nodes: int) -> tuple[FloatArray, FloatArray]:
    nodes, weights = np.polynomial.legendre.leggauss(n_nodes)
    return np.asarray(nodes, dtype=float), np.asarray(weights, dtype=float)


#: The q^2 integral switches from the arctan to the logarithmic mapping at M^2 + K M Gamma.
_TAIL_SPLIT = 10.0


def _three_body_unit(
    m: FloatArray,
    m_lepton: float,
    channels: Sequence[FermionPair],
    m_v: float,
    gamma_v: float,
    n_nodes: int,
    g_fermi: float,
) -> FloatArray:
    """Dirac Gamma(N -> l V* -> l f fbar') / d^2 in GeV^3, integrated over q^2.

    ``g_fermi`` normalises the V* -> f fbar' widths (G_F M_V^2 = g_V^2 / (4 sqrt2), PHYSICS.md
    §2, :func:`~nudipole.physics.vector_boson.vector_spectral_width`).

    Two panels per (m_N, channel), each with ``n_nodes`` Gauss-Legendre nodes:
    [q2_min, M^2 + K M Gamma] in theta = arctan((q^2 - M^2)/(M Gamma)), which flattens the
    Breit-Wigner peak, and [M^2 + K M Gamma, q2_max] in u = ln(q^2 - M^2), which flattens the
    1/(q^2 - M^2)^2 tail of heavy N (K = 10). Closed (m_N, channel, panel) combinations are
    skipped.
    """
    m_flat = m.reshape(-1)
    colour, c_v2, c_a2, m1, m2, thr = (col[:, 0] for col in channel_arrays(channels, 1))
    lo = np.broadcast_to(thr**2, (m_flat.size, len(channels)))
    hi = np.maximum((m_flat[:, None] - m_lepton) ** 2, lo)  # empty interval -> zero width
    mg = m_v * gamma_v
    split = m_v**2 + _TAIL_SPLIT * mg
    u, w = _gauss_legendre(n_nodes)
    per_channel = np.zeros(hi.shape)

    def integrand(rows: IndexArray, cols: IndexArray, q2: FloatArray) -> FloatArray:
        c = cols[:, None]
        spec = colour[c] * pair_spectral(q2, c_v2[c], c_a2[c], m1[c], m2[c], thr[c])
        return _two_body_unit(m_flat[rows][:, None], m_lepton, q2) * spec

    # Panel 1: arctan mapping on [lo, min(hi, split)].
    lo1, hi1 = np.minimum(lo, split), np.minimum(hi, split)
    rows, cols = np.nonzero(hi1 > lo1)
    if rows.size:
        a, b = lo1[rows, cols][:, None], hi1[rows, cols][:, None]
        x_a, x_b = (a - m_v**2) / mg, (b - m_v**2) / mg
        # theta_b - theta_a without cancellation (theta = arctan x lies in (-pi/2, pi/2)).
        delta = np.arctan2((b - a) / mg, 1.0 + x_a * x_b)
        t = 0.5 * delta * (1.0 + u)
        sin_t, cos_t = np.sin(t), np.cos(t)
        q2 = np.minimum(a + mg * (1.0 + x_a**2) * sin_t / (cos_t - x_a * sin_t), b)
        # dq^2 / [(q^2 - M^2)^2 + M^2 Gamma^2] = dtheta / (M Gamma)
        panel = integrand(rows, cols, q2) @ w * 0.5 * delta[:, 0] / mg
        np.add.at(per_channel, (rows, cols), panel)

    # Panel 2: logarithmic mapping on [max(lo, split), hi].
    lo2 = np.maximum(lo, split)
    rows, cols = np.nonzero(hi > lo2)
    if rows.size:
        a, b = lo2[rows, cols][:, None], hi[rows, cols][:, None]
        length = np.log1p((b - a) / (a - m_v**2))
        r = (a - m_v**2) * np.exp(0.5 * length * (1.0 + u))  # q^2 - M^2
        q2 = np.minimum(m_v**2 + r, b)
        weight = r / (r * r + mg**2)
        panel = (integrand(rows, cols, q2) * weight) @ w * 0.5 * length[:, 0]
        np.add.at(per_channel, (rows, cols), panel)

    const = g_fermi * m_v**2 / (6.0 * math.sqrt(2.0) * np.pi)
    return np.asarray(const * per_channel.sum(axis=1).reshape(m.shape) / np.pi, dtype=float)


def width_nu_z_offshell(
    m_n: ArrayLike,
    d_z: ArrayLike,
    nature: Nature = Nature.DIRAC,
    *,
    channels: Sequence[FermionPair] | None = None,
    sm: SMParameters = SM,
    hadronic_thresholds: bool = True,
    n_nodes: int = _DEFAULT_NODES,
) -> FloatArray:
    """Gamma(N -> nu Z(*) -> nu f fbar) in GeV, summed over f, for every m_N (*derived*).

    dGamma/dq^2 = (1/pi) Gamma_2(N -> nu Z; M_Z^2 -> q^2) sqrt(q^2) Gamma(Z* -> f fbar)(q^2)
    / [(q^2 - M_Z^2)^2 + M_Z^2 Gamma_Z^2] (PHYSICS.md §2), integrated from each channel's
    threshold to m^2. Contains the on-shell N -> nu Z for m > M_Z (narrow-width limit
    :func:`width_nu_z` x sum_f Br(Z -> f fbar)); do not add the two. Light N:
    d_Z^2 G_F C m^7 / (240 sqrt2 pi^3 M_Z^2), C = sum_f N_c (g_V^2 + g_A^2) over open channels.

    Parameters
    ----------
    m_n
        m_N in GeV (any shape).
    d_z
        d_Z in GeV^-1 (broadcast against m_n).
    nature
        Dirac or Majorana (x 2).
    channels
        Final states; default :func:`z_star_channels` (sm, hadronic_thresholds).
    sm
        Standard-Model inputs: sin^2(theta_w) and alpha_s of :func:`z_star_channels` (when
        ``channels`` is None), the Z mass and total width of the propagator (GeV) and the
        Z four-fermion constant (G_F; ``fermi_neutral`` of the scheme).
    hadronic_thresholds
        Input of :func:`z_star_channels` when ``channels`` is None.
    n_nodes
        Gauss-Legendre nodes in the Breit-Wigner-mapped variable.
    """
    m = _check_masses(m_n)
    chans = z_star_channels(sm, hadronic_thresholds) if channels is None else channels
    unit = _three_body_unit(m, 0.0, chans, sm.m_z, sm.gamma_z, n_nodes, sm.fermi_neutral)
    return np.asarray(_nature_factor(nature) * np.asarray(d_z, float) ** 2 * unit, dtype=float)


def width_lepton_w_offshell(
    m_n: ArrayLike,
    d_w: ArrayLike,
    m_lepton: float,
    nature: Nature = Nature.DIRAC,
    *,
    channels: Sequence[FermionPair] | None = None,
    sm: SMParameters = SM,
    hadronic_thresholds: bool = True,
    n_nodes: int = _DEFAULT_NODES,
) -> FloatArray:
    """Gamma(N -> l W(*) -> l f fbar') in GeV, summed over f fbar', for every m_N (*derived*).

    As :func:`width_nu_z_offshell` with Gamma_2 = :func:`width_lepton_w` (M_W^2 -> q^2,
    charged-lepton mass kept) and sqrt(q^2) Gamma(W* -> f fbar') of :func:`w_star_channels`,
    q^2 from each channel's threshold to (m - m_l)^2. Contains the on-shell N -> l W.

    Parameters
    ----------
    m_n
        m_N in GeV (any shape).
    d_w
        d_W in GeV^-1 (broadcast against m_n).
    m_lepton
        Mass in GeV of the charged lepton l the dipole couples to (:func:`lepton_mass`).
    nature
        Dirac or Majorana (x 2: l^- W^+ and l^+ W^-).
    channels
        Final states; default :func:`w_star_channels` (sm, hadronic_thresholds).
    sm
        Standard-Model inputs: alpha_s of :func:`w_star_channels` (when ``channels`` is None),
        the W mass and total width of the propagator (GeV) and the W four-fermion constant
        (G_F; ``fermi_charged`` of the scheme).
    hadronic_thresholds
        Input of :func:`w_star_channels` when ``channels`` is None.
    n_nodes
        Gauss-Legendre nodes in the Breit-Wigner-mapped variable.
    """
    m = _check_masses(m_n)
    chans = w_star_channels(sm, hadronic_thresholds) if channels is None else channels
    unit = _three_body_unit(
        m, float(m_lepton), chans, sm.m_w, sm.gamma_w, n_nodes, sm.fermi_charged
    )
    return np.asarray(_nature_factor(nature) * np.asarray(d_w, float) ** 2 * unit, dtype=float)


def partial_widths(
    m_n: ArrayLike,
    couplings: Mapping[Flavour, DipoleCouplings],
    nature: Nature = Nature.DIRAC,
    *,
    sm: SMParameters = SM,
    hadronic_thresholds: bool = True,
    n_nodes: int = _DEFAULT_NODES,
) -> dict[str, FloatArray]:
    """Partial widths of N in GeV, keys :data:`CHANNELS`, summed over flavours.

    - ``"nu gamma"``: sum_k Gamma(N -> nu_k gamma), :func:`decay.width_nu_gamma` (seed Eq. 4);
    - ``"nu Z(*)"``: sum_k :func:`width_nu_z_offshell` with d_Z^k (the nu_k are massless, so
      this is (sum_k d_Z^k^2) times one integral);
    - ``"l W(*)"``: sum_k :func:`width_lepton_w_offshell` with d_W^k and m_{l_k}.

    Each already includes the on-shell two-body decay where open (module docstring). Different
    flavours give different final states and do not interfere. Majorana: all x 2.

    Parameters
    ----------
    m_n
        m_N in GeV (any shape; every output has this shape).
    couplings
        Flavour -> :class:`DipoleCouplings` (GeV^-1); missing flavours couple with zero.
    nature
        Dirac or Majorana.
    sm
        Standard-Model inputs: sin^2 theta_w in the Z couplings to fermions, alpha_s in the
        (1 + alpha_s/pi) factor of the quark channels (0 switches it off), boson masses,
        widths and G_F.
    hadronic_thresholds
        Quark pairs only above the two-meson thresholds (default) or from 2 m_q (partonic).
    n_nodes
        Gauss-Legendre nodes of the q^2 integrals.
    """
    m = _check_masses(m_n)
    cs = [couplings[f] for f in Flavour if f in couplings]
    dg2 = sum(c.d_gamma**2 for c in cs)
    dz2 = sum(c.d_z**2 for c in cs)
    widths = {
        "nu gamma": width_nu_gamma(m, math.sqrt(dg2), nature),
        "nu Z(*)": np.zeros_like(m),
        "l W(*)": np.zeros_like(m),
    }
    if dz2 > 0.0:
        widths["nu Z(*)"] = width_nu_z_offshell(
            m,
            math.sqrt(dz2),
            nature,
            sm=sm,
            hadronic_thresholds=hadronic_thresholds,
            n_nodes=n_nodes,
        )
    for flavour, c in couplings.items():
        if c.d_w != 0.0:
            widths["l W(*)"] = widths["l W(*)"] + width_lepton_w_offshell(
                m,
                c.d_w,
                lepton_mass(flavour),
                nature,
                sm=sm,
                hadronic_thresholds=hadronic_thresholds,
                n_nodes=n_nodes,
            )
    return {key: np.asarray(value, dtype=float) for key, value in widths.items()}


def total_width(
    m_n: ArrayLike,
    couplings: Mapping[Flavour, DipoleCouplings],
    nature: Nature = Nature.DIRAC,
    *,
    sm: SMParameters = SM,
    hadronic_thresholds: bool = True,
    n_nodes: int = _DEFAULT_NODES,
) -> FloatArray:
    """Total width Gamma_N in GeV: the sum of :func:`partial_widths` (same arguments)."""
    widths = partial_widths(
        m_n,
        couplings,
        nature,
        sm=sm,
        hadronic_thresholds=hadronic_thresholds,
        n_nodes=n_nodes,
    )
    return np.asarray(sum(widths.values()), dtype=float)


def branching_ratios(
    m_n: ArrayLike,
    couplings: Mapping[Flavour, DipoleCouplings],
    nature: Nature = Nature.DIRAC,
    *,
    sm: SMParameters = SM,
    hadronic_thresholds: bool = True,
    n_nodes: int = _DEFAULT_NODES,
) -> dict[str, FloatArray]:
    """Branching ratios of N, keys :data:`CHANNELS` (same arguments as :func:`partial_widths`).

    NaN where the total width vanishes (no open channel: N is stable there, e.g. only d_W^tau
    and m_N < m_tau). Majorana and Dirac branching ratios coincide.
    """
    return width_and_branching_ratios(
        m_n, couplings, nature, sm=sm, hadronic_thresholds=hadronic_thresholds, n_nodes=n_nodes
    )[1]


def width_and_branching_ratios(
    m_n: ArrayLike,
    couplings: Mapping[Flavour, DipoleCouplings],
    nature: Nature = Nature.DIRAC,
    *,
    sm: SMParameters = SM,
    hadronic_thresholds: bool = True,
    n_nodes: int = _DEFAULT_NODES,
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """(:func:`total_width`, :func:`branching_ratios`) from one evaluation of the partial
    widths (same arguments as :func:`partial_widths`)."""
    widths = partial_widths(
        m_n,
        couplings,
        nature,
        sm=sm,
        hadronic_thresholds=hadronic_thresholds,
        n_nodes=n_nodes,
    )
    total = np.asarray(sum(widths.values()), dtype=float)
    positive = total > 0.0
    out = {}
    for key, value in widths.items():
        ratio = np.full_like(total, np.nan)
        np.divide(value, total, out=ratio, where=positive)
        out[key] = ratio
    return total, out


def branching_ratio_nu_gamma(
    m_n: ArrayLike,
    couplings: Mapping[Flavour, DipoleCouplings],
    nature: Nature = Nature.DIRAC,
    *,
    sm: SMParameters = SM,
    hadronic_thresholds: bool = True,
    n_nodes: int = _DEFAULT_NODES,
) -> FloatArray:
    """Br(N -> nu gamma) (talk's definition with all channels; see :func:`branching_ratios`)."""
    return branching_ratios(
        m_n,
        couplings,
        nature,
        sm=sm,
        hadronic_thresholds=hadronic_thresholds,
        n_nodes=n_nodes,
    )["nu gamma"]
