"""Tests of nudipole.physics.production_ew: e+ e- -> N nubar through gamma, Z and W dipoles.

The reference is an explicit Dirac-matrix matrix element built here (it does not use the helicity
amplitudes of the module): external spinors are any basis {w_i} with sum_i w_i wbar_i equal to the
spin-sum matrix (p-slash + m, p-slash - m, or a spin projector (p-slash + m)(1 + gamma5 s-slash)/2),
obtained from the eigen-decomposition of the Hermitian matrix P gamma^0. Summing |M|^2 over such
bases is the spin sum, with every interference term (s-channel gamma/Z against t-channel W) and
the relative signs of the Lagrangian

    L ⊃ nubar_L [d_gamma F - d_Z Z] sigma N + d_W lbar_L W^- sigma N + h.c.
    L_SM ⊃ -e Q_e ebar gamma e A - eta (g/c_w) ebar gamma (g_L P_L + g_R P_R) e Z
           - (g/sqrt2)(nubar gamma P_L e W^+ + h.c.)

built in. Feynman rules: dipole vertex 2 d_V q_mu sigma^{mu nu} P_L (q the boson momentum into
the vertex; d_V = d_gamma, -d_Z, d_W), SM vertices i x (coefficient), propagators
-i g / (q^2 - M^2 + i M Gamma). The Fermi sign between the s-type [vbar(p2) .. u(p1)][ubar .. v]
and t-type [ubar .. u(p1)][vbar(p2) .. v] spinor orderings is fixed by SM e+ e- -> nu_e nubar_e,
where W exchange must add +1 to g_L (constructive; PHYSICS.md §5).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import pytest
from dirac_algebra import GAMMA, GAMMA5, METRIC
from hypothesis import given, settings
from hypothesis import strategies as st
from matrix_element_reference import (
    P_LEFT,
    P_RIGHT,
    build_momenta,
    sigma_contracted,
    slash,
)

from nudipole.constants import ALPHA_EM, GAMMA_Z, M_W, M_Z, SIN2_THETA_W
from nudipole.physics import polarization_ew as _pol
from nudipole.physics import production
from nudipole.physics import production_ew as _prod
from nudipole.physics.production_ew import electron_z_couplings, z_propagator_ratio
from nudipole.physics.sm import SM, EWScheme
from nudipole.physics.z_pole import width_z_to_nu_nbar

#: The reference matrix element below is written with e = sqrt(4 pi alpha(0)), g = e / s_w,
#: g_Z = g / c_w: the ``alpha0`` electroweak scheme. The functions under test are used in it;
#: the other schemes are tested against it in test_schemes_rescale_the_alpha0_amplitudes.
SM_A0 = replace(SM, scheme=EWScheme.ALPHA0)
dsigma_dcos_ew = partial(_prod.dsigma_dcos_ew, sm=SM_A0)
dsigma_dcos_pieces = partial(_prod.dsigma_dcos_pieces, sm=SM_A0)
sigma_ew = partial(_prod.sigma_ew, sm=SM_A0)
sigma_pieces = partial(_prod.sigma_pieces, sm=SM_A0)
polarization_ew = partial(_pol.polarization_ew, sm=SM_A0)
photon_density_polarization = partial(_pol.photon_density_polarization, sm=SM_A0)

SW2 = SIN2_THETA_W
SW = np.sqrt(SW2)
CW = np.sqrt(1.0 - SW2)
E_CHARGE = np.sqrt(4.0 * np.pi * ALPHA_EM)
G_WEAK = E_CHARGE / SW
#: Scenario II of arXiv:2301.06050 (d_B = 0) at sin^2 = 0.2315: d_Z/d_gamma, d_W/d_gamma.
SCEN2 = (1.0 / np.tan(np.arcsin(SW)), np.sqrt(2.0) / SW)
D0 = 1.0e-4  # GeV^-1; all checks are either ratios or absolute with this normalisation
ID4 = np.eye(4, dtype=complex)
PIECES = ("gamma", "z", "gamma_z", "w", "gamma_w", "z_w")
RTOL = 1.0e-10

# --------------------------------------------------------------------------------------------
# Reference matrix element (explicit Dirac matrices, spinor bases from spin-sum matrices)
# --------------------------------------------------------------------------------------------


def _basis(proj: np.ndarray) -> np.ndarray:
    """Spinors w_i (columns, [..., 4, 4]) with sum_i w_i wbar_i = proj (proj gamma0 must be PSD)."""
    h = proj @ GAMMA[0]
    h = 0.5 * (h + np.conj(np.swapaxes(h, -1, -2)))
    vals, vecs = np.linalg.eigh(h)
    scale = np.max(np.abs(vals), axis=-1, keepdims=True)
    assert np.all(vals > -1e-12 * scale), "spin-sum matrix times gamma0 is not PSD"
    return vecs * np.sqrt(np.clip(vals, 0.0, None))[..., None, :]


def _bar_rows(w: np.ndarray) -> np.ndarray:
    """Dirac adjoints of the basis columns, as rows [..., i, 4]."""
    return np.conj(np.swapaxes(w, -1, -2)) @ GAMMA[0]


def _mink(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("...m,mn,...n->...", a, METRIC, b)


def _current(row: np.ndarray, vertex: np.ndarray, col: np.ndarray) -> np.ndarray:
    """C^nu[..., i, j] = row_i vertex^nu col_j for vertex[..., nu, 4, 4] (or [nu, 4, 4])."""
    return np.einsum("...ia,...nab,...bj->...nij", row, vertex, col, optimize=True)


def _contract(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x^nu g_{nu nu} y^nu with independent spinor indices: [..., i, j] x [..., k, l]."""
    return np.einsum("n,...nij,...nkl->...ijkl", np.diag(METRIC), x, y, optimize=True)


def _dipole(q: np.ndarray, d: float) -> np.ndarray:
    """Dipole vertex 2 d q_mu sigma^{mu nu} P_L, [..., nu, 4, 4]."""
    return 2.0 * d * sigma_contracted(q) @ P_LEFT


def _sm_vertex(c_left: float, c_right: float) -> np.ndarray:
    """i gamma^nu (c_L P_L + c_R P_R), [nu, 4, 4]."""
    return 1j * GAMMA @ (c_left * P_LEFT + c_right * P_RIGHT)


def _z_vertex_e(z_sign: int) -> np.ndarray:
    g_l, g_r = electron_z_couplings(replace(SM, sin2w=SW2))
    return _sm_vertex(-z_sign * G_WEAK / CW * g_l, -z_sign * G_WEAK / CW * g_r)


PHOTON_VERTEX_E = _sm_vertex(E_CHARGE, E_CHARGE)  # -e Q_e = +e
W_VERTEX = _sm_vertex(-G_WEAK / np.sqrt(2.0), 0.0)
FERMI_SIGN = -1.0  # relative sign of t-type to s-type orderings, fixed by the SM test below


def _propagator(q2: np.ndarray, mass: float, width: float) -> np.ndarray:
    return -1j / (q2 - mass**2 + 1j * mass * width)


def _amplitude_n(
    p1, p2, p_n, k, n_rows, *, d_gamma, d_z, d_w, z_sign=-1, e_projector=None
) -> np.ndarray:
    """iM[..., i1, i2, iN, ik] for e-(p1) e+(p2) -> N nubar(k) with N rows n_rows[..., iN, 4]."""
    pe = slash(p1) if e_projector is None else e_projector
    u1 = _basis(pe)
    v2 = _basis(slash(p2))
    vk = _basis(slash(k))
    v2bar = _bar_rows(v2)
    q = p1 + p2
    s = _mink(q, q)
    amp = 0.0
    # s-channel gamma and Z
    for vertex_e, d_v, mass, width in (
        (PHOTON_VERTEX_E, d_gamma, 0.0, 0.0),
        (_z_vertex_e(z_sign), -d_z, M_Z, GAMMA_Z),
    ):
        j = _current(v2bar, np.broadcast_to(vertex_e, (*s.shape, 4, 4, 4)), u1)  # [n, i2, i1]
        t = _current(n_rows, _dipole(q, d_v), vk)  # [n, iN, ik]
        amp = amp + (_propagator(s, mass, width)[..., None, None, None, None]) * np.swapaxes(
            _contract(j, t), -3, -4
        )
    # t-channel W: e-(p1) -> N, e+(p2) -> nubar(k)
    qt = p_n - p1
    x = _current(n_rows, _dipole(qt, d_w), u1)  # [n, iN, i1]
    y = _current(v2bar, np.broadcast_to(W_VERTEX, (*s.shape, 4, 4, 4)), vk)  # [n, i2, ik]
    prop_w = _propagator(_mink(qt, qt), M_W, 0.0)[..., None, None, None, None]
    amp_t = FERMI_SIGN * prop_w * np.einsum("...abcd->...bcad", _contract(x, y))  # -> i1 i2 iN ik
    return amp + amp_t


def _amplitude_nbar(p1, p2, p_n, k, n_cols, *, d_gamma, d_z, d_w, z_sign=-1) -> np.ndarray:
    """iM for e-(p1) e+(p2) -> Nbar(p_n) nu(k); Nbar columns n_cols[..., 4, iN] (v-type).

    Vertices from the non-conjugated terms: ubar_nu P_R 2 d q sigma v_N (gamma, Z) and
    vbar(p2) P_R 2 d_W q sigma v_N (W, e+ -> Nbar); e- -> nu through the SM W vertex.
    """
    u1 = _basis(slash(p1))
    v2 = _basis(slash(p2))
    uk = _basis(slash(k))
    v2bar = _bar_rows(v2)
    ukbar = _bar_rows(uk)
    q = p1 + p2
    s = _mink(q, q)

    def dip_r(qv, d):
        return 2.0 * d * P_RIGHT @ sigma_contracted(qv)

    amp = 0.0
    for vertex_e, d_v, mass, width in (
        (PHOTON_VERTEX_E, d_gamma, 0.0, 0.0),
        (_z_vertex_e(z_sign), -d_z, M_Z, GAMMA_Z),
    ):
        j = _current(v2bar, np.broadcast_to(vertex_e, (*s.shape, 4, 4, 4)), u1)  # [n, i2, i1]
        t = _current(ukbar, dip_r(q, d_v), n_cols)  # [n, ik, iN]
        amp = amp + _propagator(s, mass, width)[..., None, None, None, None] * np.einsum(
            "...abcd->...badc", _contract(j, t)
        )  # -> i1 i2 iN ik
    qt = p_n - p2  # W momentum into the Nbar vertex
    x = _current(v2bar, dip_r(qt, d_w), n_cols)  # [n, i2, iN]
    y = _current(ukbar, np.broadcast_to(W_VERTEX, (*s.shape, 4, 4, 4)), u1)  # [n, ik, i1]
    prop_w = _propagator(_mink(qt, qt), M_W, 0.0)[..., None, None, None, None]
    amp_t = FERMI_SIGN * prop_w * np.einsum("...abcd->...dabc", _contract(x, y))
    return amp + amp_t


def _momenta(s, m, z, cos_star=0.3, phi_star=0.7):
    return build_momenta(s, m, z, cos_star, phi_star)


def _flux_phase_space(s, m):
    """(1/4 spin average) x (s - m^2) / (32 pi s^2): d sigma / dz = this x sum |M|^2."""
    return 0.25 * (s - m**2) / (32.0 * np.pi * s**2)


def me_dsigma(s, m, z, couplings, *, z_sign=-1, charge_conjugate=False, e_projector=None):
    """d sigma / dz from the reference matrix element, GeV^-2."""
    d_gamma, d_z, d_w = couplings
    p1, p2, p_n, k, _, _ = _momenta(s, m, z)
    kw = {"d_gamma": d_gamma, "d_z": d_z, "d_w": d_w, "z_sign": z_sign}
    if charge_conjugate:
        cols = _basis(slash(p_n) - m * ID4)
        amp = _amplitude_nbar(p1, p2, p_n, k, cols, **kw)
    else:
        rows = _bar_rows(_basis(slash(p_n) + m * ID4))
        amp = _amplitude_n(p1, p2, p_n, k, rows, e_projector=e_projector, **kw)
    msq = np.sum(np.abs(amp) ** 2, axis=(-1, -2, -3, -4))
    return _flux_phase_space(s, m) * msq


def _scen(d_gamma, ratios=SCEN2):
    return (d_gamma, ratios[0] * d_gamma, ratios[1] * d_gamma)


# --------------------------------------------------------------------------------------------
# The reference: Fermi sign from the SM, and its gamma-only limit equals seed Eq. 2.
# --------------------------------------------------------------------------------------------


def _sm_nunubar_msq(s, z, *, with_w, fermi_sign):
    """sum |M|^2 for SM e+ e- -> nu_e nubar_e (Z in s, W in t), M_W = c_w M_Z (tree level)."""
    rs = np.sqrt(s)
    sin_t = np.sqrt(1.0 - z**2)
    p1 = np.stack([rs / 2 + 0 * z, 0 * z, 0 * z, rs / 2 + 0 * z], axis=-1)  # e- along +z
    p2 = np.stack([rs / 2 + 0 * z, 0 * z, 0 * z, -rs / 2 + 0 * z], axis=-1)
    k1 = np.stack([rs / 2 + 0 * z, rs / 2 * sin_t, 0 * z, rs / 2 * z], axis=-1)  # nu
    k2 = np.stack([rs / 2 + 0 * z, -rs / 2 * sin_t, 0 * z, -rs / 2 * z], axis=-1)  # nubar
    u1, v2, u3, v4 = (_basis(slash(p)) for p in (p1, p2, k1, k2))
    v2bar, u3bar = _bar_rows(v2), _bar_rows(u3)
    n = z.shape
    z_e = np.broadcast_to(_z_vertex_e(+1), (*n, 4, 4, 4))
    z_nu = np.broadcast_to(_sm_vertex(-G_WEAK / CW * 0.5, 0.0), (*n, 4, 4, 4))
    w_v = np.broadcast_to(W_VERTEX, (*n, 4, 4, 4))
    amp = _propagator(s + 0 * z, M_Z, 0.0)[..., None, None, None, None] * np.swapaxes(
        _contract(_current(v2bar, z_e, u1), _current(u3bar, z_nu, v4)), -3, -4
    )
    if with_w:
        qt = k1 - p1
        xy = _contract(_current(u3bar, w_v, u1), _current(v2bar, w_v, v4))
        prop = _propagator(_mink(qt, qt), CW * M_Z, 0.0)[..., None, None, None, None]
        amp = amp + fermi_sign * prop * np.einsum("...abcd->...bcad", xy)
    return np.sum(np.abs(amp) ** 2, axis=(-1, -2, -3, -4))


def test_reference_fermi_sign_from_sm_nu_e_pair_production():
    """SM e+ e- -> nu_e nubar_e at sqrt(s) = 0.5 GeV: W exchange turns g_L into g_L + 1.

    Integrated over angle, |M_Z + M_W|^2 / |M_Z|^2 = ((g_L + 1)^2 + g_R^2) / (g_L^2 + g_R^2) in
    the contact limit (PHYSICS.md §5, C_nu); the opposite Fermi sign would give (g_L - 1)^2.
    """
    s = 0.25
    nodes, weights = np.polynomial.legendre.leggauss(8)
    g_l, g_r = electron_z_couplings(replace(SM, sin2w=SW2))
    z_only = weights @ _sm_nunubar_msq(s, nodes, with_w=False, fermi_sign=FERMI_SIGN)
    both = weights @ _sm_nunubar_msq(s, nodes, with_w=True, fermi_sign=FERMI_SIGN)
    wrong = weights @ _sm_nunubar_msq(s, nodes, with_w=True, fermi_sign=-FERMI_SIGN)
    assert both / z_only == pytest.approx(((g_l + 1) ** 2 + g_r**2) / (g_l**2 + g_r**2), rel=1e-4)
    assert wrong / z_only == pytest.approx(((g_l - 1) ** 2 + g_r**2) / (g_l**2 + g_r**2), rel=1e-4)


def test_reference_photon_only_is_seed_eq2():
    """The reference with d_Z = d_W = 0 equals production.dsigma_dcos (absolute, 1e-10)."""
    z = np.linspace(-0.97, 0.97, 9)
    for rs, m in ((10.58, 3.0), (240.0, 120.0)):
        s = rs**2
        me = me_dsigma(s, m, z, (D0, 0.0, 0.0))
        assert np.allclose(me, production.dsigma_dcos(s, m, D0, z), rtol=RTOL, atol=0)


# --------------------------------------------------------------------------------------------
# d sigma / dz: every piece against the matrix element
# --------------------------------------------------------------------------------------------

CONFIGS = [
    # sqrt(s), m_N, (d_gamma, d_Z, d_W), z_sign
    (91.1876, 20.0, _scen(D0), -1),
    (120.0, 40.0, (D0, -0.7 * D0, 1.3 * D0), -1),
    (160.0, 10.0, _scen(D0), -1),
    (240.0, 150.0, _scen(-D0), +1),
    (360.0, 60.0, (D0, 2.0 * D0, -3.0 * D0), +1),
]


def _me_pieces(s, m, z, couplings, z_sign, charge_conjugate=False):
    """The six pieces from the reference by switching couplings on and off."""
    d_g, d_z, d_w = couplings

    def me(c):
        return me_dsigma(s, m, z, c, z_sign=z_sign, charge_conjugate=charge_conjugate)

    g, zz, w = me((d_g, 0, 0)), me((0, d_z, 0)), me((0, 0, d_w))
    return {
        "gamma": g,
        "z": zz,
        "w": w,
        "gamma_z": me((d_g, d_z, 0)) - g - zz,
        "gamma_w": me((d_g, 0, d_w)) - g - w,
        "z_w": me((0, d_z, d_w)) - zz - w,
        "total": me(couplings),
    }


@pytest.mark.parametrize(("rs", "m", "couplings", "z_sign"), CONFIGS)
def test_pieces_match_matrix_element(rs, m, couplings, z_sign):
    """Each of the six pieces and the total equal the reference (absolute, 1e-10 of the total)."""
    s = rs**2
    z = np.linspace(-0.98, 0.98, 11)
    ref = _me_pieces(s, m, z, couplings, z_sign)
    got = dsigma_dcos_pieces(s, m, z, *couplings, z_sign=z_sign)
    scale = np.max(ref["total"])
    for name in PIECES:
        assert np.max(np.abs(getattr(got, name) - ref[name])) < RTOL * scale, name
    assert np.allclose(got.total, ref["total"], rtol=RTOL, atol=0)
    assert np.allclose(dsigma_dcos_ew(s, m, z, *couplings, z_sign=z_sign), got.total, rtol=1e-14)


def test_w_interferes_with_gamma_and_z():
    """The t-channel W interferes: gamma_w and z_w are nonzero in the ME and are not small.

    Scenario II, electron flavour, m_N = 10 GeV: (gamma_w + z_w) / w = -0.76 at 160 GeV,
    -0.44 at 240 GeV, -0.30 at 360 GeV (destructive for d_gamma d_W > 0).
    """
    z = np.linspace(-0.9, 0.9, 7)
    s = 240.0**2
    ref = _me_pieces(s, 10.0, z, _scen(D0), -1)
    assert np.all(ref["gamma_w"] < -0.05 * ref["total"])
    pieces = sigma_pieces(s, 10.0, *_scen(D0))
    assert (pieces.gamma_w + pieces.z_w) / pieces.w == pytest.approx(-0.440, abs=2e-3)


def test_charge_conjugate_channel_is_cp_image():
    """Nbar nu from its own reference ME equals d sigma / dz of N nubar at -z (1e-10)."""
    z = np.linspace(-0.95, 0.95, 9)
    for rs, m, couplings, z_sign in CONFIGS[:3]:
        s = rs**2
        ref = me_dsigma(s, m, z, couplings, z_sign=z_sign, charge_conjugate=True)
        got = dsigma_dcos_ew(s, m, z, *couplings, z_sign=z_sign, charge_conjugate=True)
        assert np.allclose(got, ref, rtol=RTOL, atol=0)
        assert np.allclose(got, dsigma_dcos_ew(s, m, -z, *couplings, z_sign=z_sign), rtol=1e-14)


def test_z_sign_convention_scenario_ii_decouples_right_handed_electrons():
    """Scenario II (d_B = 0, pure SU(2) operator, talk's d_Z = d_gamma cot) with d_W switched off.

    At s >> M_Z^2 gamma + Z exchange is W^3 exchange, which e-_R does not feel. The reference
    with an e-_R beam projector shows that this holds for z_sign = -1 only (the module default);
    z_sign = +1 (PDG Z orientation) leaves e-_R with most of the rate.
    """
    s = 3000.0**2
    z = np.linspace(-0.9, 0.9, 5)
    couplings = (D0, SCEN2[0] * D0, 0.0)
    p1 = _momenta(s, 50.0, z)[0]
    right = P_RIGHT @ slash(p1)
    for z_sign, bound in ((-1, 2e-3), (+1, None)):
        full = me_dsigma(s, 50.0, z, couplings, z_sign=z_sign)
        e_r = me_dsigma(s, 50.0, z, couplings, z_sign=z_sign, e_projector=right)
        if bound is None:
            assert np.all(e_r / full > 0.5)
        else:
            assert np.all(e_r / full < bound)


# --------------------------------------------------------------------------------------------
# Integrated cross sections
# --------------------------------------------------------------------------------------------


def _slide(s, m, d_gamma, d_z, d_w, sin2w=SW2):
    """The talk's slide (arXiv:2301.06050), powers restored as PHYSICS.md §3 says."""
    sw, cw = np.sqrt(sin2w), np.sqrt(1 - sin2w)
    a = ALPHA_EM
    den = GAMMA_Z**2 * M_Z**2 + (M_Z**2 - s) ** 2
    common = (s - m**2) ** 2 * (s + 2 * m**2)
    ratio = M_W**2 / (-(m**2) + M_W**2 + s)
    return {
        "gamma": a * d_gamma**2 * common / (3 * s**3),
        "z": a * d_z**2 * common * (8 * sin2w**2 - 4 * sin2w + 1) / (24 * cw**2 * sin2w * s * den),
        "gamma_z": a
        * d_gamma
        * d_z
        * common
        * (1 - 4 * sin2w)
        * (M_Z**2 - s)
        / (6 * cw * sw * s**2 * den),
        "w": a
        * d_w**2
        / (2 * sin2w * s)
        * (-2 * s - (2 * M_W**2 + s) * np.log(ratio) + m**2 * (ratio + 1)),
    }


@pytest.mark.parametrize(
    ("rs", "m"),
    [(rs, m) for rs in (10.58, 91.1876, 160.0, 240.0, 360.0) for m in (0.0, 5.0, 60.0) if m < rs],
)
def test_integrated_pieces_against_the_talk(rs, m):
    """sigma^gamma, sigma^Z equal the slide (1e-12); sigma^{gamma Z} equals it for z_sign = +1 and
    is its negative for the default z_sign = -1; sigma^W equals it for m_N -> 0 only."""
    s = rs**2
    couplings = (D0, 1.833 * D0, 2.953 * D0)
    slide = _slide(s, m, *couplings)
    ours = sigma_pieces(s, m, *couplings)
    pdg = sigma_pieces(s, m, *couplings, z_sign=+1)
    assert ours.gamma == pytest.approx(slide["gamma"], rel=1e-12)
    assert ours.z == pytest.approx(slide["z"], rel=1e-12)
    assert pdg.gamma_z == pytest.approx(slide["gamma_z"], rel=1e-12)
    assert ours.gamma_z == pytest.approx(-slide["gamma_z"], rel=1e-12)
    if m == 0.0 and rs > 50.0:  # the slide's own form cancels badly at small s / M_W^2
        assert ours.w == pytest.approx(slide["w"], rel=1e-12)


def test_sigma_w_mass_dependence_differs_from_the_talk():
    """At finite m_N the slide's sigma^W is larger than the matrix element's (derived) value.

    Ratios ours/slide (m_N = 50 GeV): 0.339 at 91.19 GeV, 0.887 at 240 GeV. Near threshold ours
    falls like a^4 (a = s - m^2: |M|^2 ~ a^3 from the massless nubar spinor and the dipole
    momentum, times phase space a; the ME tests confirm the amplitude); the slide's falls like
    a^2 (it tends to alpha d_W^2 m^2 a^2 / (4 s_w^2 s M_W^4)).
    """
    couplings = (D0, 0.0, D0)
    for rs, expected in ((91.1876, 0.3395), (240.0, 0.8868)):
        ratio = sigma_pieces(rs**2, 50.0, *couplings).w / _slide(rs**2, 50.0, *couplings)["w"]
        assert ratio == pytest.approx(expected, abs=5e-4)
    m = 100.0
    a = np.array([1e-2, 2e-2])
    ours = sigma_pieces(m**2 + a, m, *couplings).w
    slide = _slide(m**2 + a, m, *couplings)["w"]
    assert ours[1] / ours[0] == pytest.approx(16.0, rel=1e-3)
    assert slide[1] / slide[0] == pytest.approx(4.0, rel=1e-3)


@pytest.mark.parametrize(("rs", "m", "couplings", "z_sign"), CONFIGS)
def test_integrals_of_dsigma_equal_sigma(rs, m, couplings, z_sign):
    """Gauss-Legendre (200 nodes) of every piece equals the closed form (1e-10)."""
    s = rs**2
    nodes, weights = np.polynomial.legendre.leggauss(200)
    diff = dsigma_dcos_pieces(s, m, nodes, *couplings, z_sign=z_sign)
    closed = sigma_pieces(s, m, *couplings, z_sign=z_sign)
    scale = float(closed.total)
    for name in PIECES:
        assert float(weights @ getattr(diff, name)) == pytest.approx(
            float(getattr(closed, name)), abs=RTOL * scale
        ), name
    assert float(sigma_ew(s, m, *couplings, z_sign=z_sign)) == pytest.approx(scale, rel=1e-14)


def test_t_channel_series_branch_is_continuous():
    """Low energies use the series for the t-channel integrals: compare with quadrature."""
    nodes, weights = np.polynomial.legendre.leggauss(60)
    for rs in (2.0, 4.0, 10.58, 17.0, 18.5):  # x = s / M_W^2 crosses 0.05 near 18 GeV
        diff = dsigma_dcos_pieces(rs**2, 0.5, nodes, *_scen(D0))
        closed = sigma_pieces(rs**2, 0.5, *_scen(D0))
        for name in ("w", "gamma_w", "z_w"):
            assert float(weights @ getattr(diff, name)) == pytest.approx(
                float(getattr(closed, name)), rel=1e-11
            ), (rs, name)


def test_threshold_and_validation():
    couplings = _scen(D0)
    assert float(sigma_ew(100.0, 10.0, *couplings)) == 0.0
    assert float(dsigma_dcos_ew(100.0, 11.0, 0.2, *couplings)) == 0.0
    with pytest.raises(ValueError, match="z_sign"):
        sigma_ew(1e4, 1.0, *couplings, z_sign=0)
    with pytest.raises(ValueError, match="sin"):
        sigma_ew(1e4, 1.0, *couplings, sm=replace(SM, sin2w=1.2))


# --------------------------------------------------------------------------------------------
# Z pole: Breit-Wigner and the partial width
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("m", [0.0, 10.0, 45.0, 80.0])
def test_sigma_z_at_the_pole_is_breit_wigner(m):
    """sigma^Z(sqrt s = M_Z) = 12 pi Gamma_ee Gamma(Z -> nu Nbar) / (M_Z^2 Gamma_Z^2) (1e-10).

    Gamma_ee = G_F M_Z^3 (g_V^2 + g_A^2) / (6 sqrt2 pi) with the same couplings, i.e. the tree
    level G_F = pi alpha / (sqrt2 s_w^2 c_w^2 M_Z^2).
    """
    g_fermi = np.pi * ALPHA_EM / (np.sqrt(2.0) * SW2 * CW**2 * M_Z**2)
    g_v, g_a = -0.5 + 2.0 * SW2, -0.5
    gamma_ee = g_fermi * M_Z**3 * (g_v**2 + g_a**2) / (6.0 * np.sqrt(2.0) * np.pi)
    d_z = 3.0e-5
    peak = 12.0 * np.pi * gamma_ee * width_z_to_nu_nbar(m, d_z) / (M_Z**2 * GAMMA_Z**2)
    assert float(sigma_pieces(M_Z**2, m, 0.0, d_z, 0.0).z) == pytest.approx(peak, rel=1e-10)
    assert abs(complex(z_propagator_ratio(M_Z**2))) == pytest.approx(M_Z / GAMMA_Z, rel=1e-14)


def test_z_width_against_matrix_element():
    """Gamma(Z -> N nubar) from |2 d_Z q_mu sigma^{mu nu} eps_nu|^2, Z at rest (1e-12)."""
    d_z = 2.0e-5
    for m in (0.0, 30.0, 70.0):
        p_abs = (M_Z**2 - m**2) / (2.0 * M_Z)
        q = np.array([M_Z, 0.0, 0.0, 0.0])
        p_n = np.array([np.sqrt(p_abs**2 + m**2), 0.3 * p_abs, 0.0, np.sqrt(0.91) * p_abs])
        k = q - p_n
        rows = _bar_rows(_basis(slash(p_n) + m * ID4))
        t = _current(rows, _dipole(q, -d_z), _basis(slash(k)))  # [nu, iN, ik]
        msq = np.einsum("n,nij->", -np.diag(METRIC), np.abs(t) ** 2)
        width = msq / 3.0 * p_abs / (8.0 * np.pi * M_Z**2)
        assert width == pytest.approx(float(width_z_to_nu_nbar(m, d_z)), rel=1e-12)
    assert float(width_z_to_nu_nbar(M_Z, d_z)) == 0.0


# --------------------------------------------------------------------------------------------
# Limits: gamma-only at low energy, W dominance at high energy, negligible W at the pole
# --------------------------------------------------------------------------------------------


def test_photon_only_limit_is_production_module():
    """d_Z = d_W = 0 reproduces production.py exactly (cross sections and polarisations)."""
    z = np.linspace(-1.0, 1.0, 13)
    for s, m in ((16.0, 1.2), (240.0**2, 100.0)):
        assert np.allclose(dsigma_dcos_ew(s, m, z, D0, 0, 0), production.dsigma_dcos(s, m, D0, z))
        assert float(sigma_ew(s, m, D0, 0, 0)) == pytest.approx(float(production.sigma(s, m, D0)))
        p_l, p_t, p_n = polarization_ew(s, m, z, D0, 0.0, 0.0)
        assert np.allclose(p_l, production.polarization_longitudinal(s, m, z), atol=1e-14)
        assert np.allclose(p_t, production.polarization_transverse(s, m, z), atol=1e-14)
        assert np.allclose(p_n, 0.0, atol=1e-14)
        for cc in (False, True):
            d_l, d_t = photon_density_polarization(s, m, z, D0, 0, 0, charge_conjugate=cc)
            assert np.allclose(d_l, production.polarization_longitudinal(s, m, z), atol=1e-14)
            assert np.allclose(d_t, production.polarization_transverse(s, m, z), atol=1e-14)


def test_gamma_dominates_well_below_the_z():
    """sqrt(s) = 4 GeV, scenario-I-like d_Z = -0.545 d_gamma, d_W = 0: |Z pieces| < 1e-3 gamma.

    Observed: z / gamma = 4.4e-6, |gamma_z| / gamma = 3.1e-4 (the W of scenario II would
    interfere at the 1 % level here: gamma_w / gamma = -0.89e-2 at m_N = 1 GeV).
    """
    s = 16.0
    pieces = sigma_pieces(s, 1.0, D0, -0.545 * D0, 0.0)
    assert pieces.z / pieces.gamma < 1e-5
    assert abs(pieces.gamma_z) / pieces.gamma < 1e-3
    assert float(pieces.total) == pytest.approx(float(production.sigma(s, 1.0, D0)), rel=1e-3)
    scen2 = sigma_pieces(s, 1.0, *_scen(D0))
    assert scen2.gamma_w / scen2.gamma == pytest.approx(-0.89e-2, rel=0.01)


@pytest.mark.parametrize("rs", [240.0, 360.0])
def test_w_dominates_far_above_the_z(rs):
    """Electron flavour, d_Z = 1.83 d_gamma, d_W = 2.95 d_gamma, m_N = 10 GeV: sigma^W is the
    largest piece, above gamma + Z + gamma Z together (w / total = 1.61 at 240, 1.36 at 360)."""
    pieces = sigma_pieces(rs**2, 10.0, D0, 1.83 * D0, 2.95 * D0)
    s_channel = pieces.gamma + pieces.z + pieces.gamma_z
    assert pieces.w > 10.0 * s_channel
    assert pieces.w > float(pieces.total)  # the interference with gamma and Z is destructive


def test_w_negligible_at_the_z_pole():
    """sqrt(s) = 91.19 GeV, same couplings: sigma^W / sigma^Z = 4.0e-3 (m_N = 0) to 1.5e-3
    (m_N = 50 GeV); |gamma_w + z_w| / sigma^Z < 2.5e-3."""
    for m in (0.0, 10.0, 50.0):
        pieces = sigma_pieces(91.19**2, m, D0, 1.83 * D0, 2.95 * D0)
        assert pieces.w / pieces.z < 1e-2
        assert abs(pieces.gamma_w + pieces.z_w) / pieces.z < 2.5e-3


# --------------------------------------------------------------------------------------------
# Polarisation against the matrix element
# --------------------------------------------------------------------------------------------


def _spin_vectors(p_n, m, z):
    """Four-vectors s^mu of rest-frame spin along x', y', z' (helicity frame of production.py)."""
    sin_t = np.sqrt(1.0 - z**2)
    zeros = np.zeros_like(z)
    n = np.stack([sin_t, zeros, z], axis=-1)
    x_axis = np.stack([z, zeros, -sin_t], axis=-1)
    y_axis = np.stack([zeros, np.ones_like(z), zeros], axis=-1)
    p_abs = np.linalg.norm(p_n[..., 1:], axis=-1)
    e_n = p_n[..., 0]
    s_x = np.concatenate([zeros[..., None], x_axis], axis=-1)
    s_y = np.concatenate([zeros[..., None], y_axis], axis=-1)
    s_z = np.concatenate([(p_abs / m)[..., None], (e_n / m)[..., None] * n], axis=-1)
    return s_x, s_y, s_z


def _me_polarisation(s, m, z, couplings, z_sign, charge_conjugate=False):
    """(P_L, P_T, P_N) from rates with spin projectors (p-slash +- m)(1 + gamma5 s-slash)/2."""
    p1, p2, p_n, k, _, _ = _momenta(s, m, z)
    kw = {"d_gamma": couplings[0], "d_z": couplings[1], "d_w": couplings[2], "z_sign": z_sign}
    out = []
    for s_vec in _spin_vectors(p_n, m, z):
        rates = []
        for sign in (1.0, -1.0):
            spin = 0.5 * (ID4 + sign * GAMMA5 @ slash(s_vec))
            if charge_conjugate:  # v vbar = (p-slash - m)(1 + gamma5 s-slash)/2, s = Nbar spin
                cols = _basis((slash(p_n) - m * ID4) @ spin)
                amp = _amplitude_nbar(p1, p2, p_n, k, cols, **kw)
            else:
                rows = _bar_rows(_basis((slash(p_n) + m * ID4) @ spin))
                amp = _amplitude_n(p1, p2, p_n, k, rows, **kw)
            rates.append(np.sum(np.abs(amp) ** 2, axis=(-1, -2, -3, -4)))
        out.append((rates[0] - rates[1]) / (rates[0] + rates[1]))
    p_x, p_y, p_z = out
    return p_z, p_x, p_y


POL_CONFIGS = [
    (91.1876, 30.0, _scen(D0), -1),  # Z pole: Im(chi) large, P_N appears with the W
    (100.0, 60.0, (D0, 3.0 * D0, 4.0 * D0), -1),
    (240.0, 150.0, _scen(D0), -1),
    (160.0, 90.0, (-D0, 1.0 * D0, 2.0 * D0), +1),
]


@pytest.mark.parametrize(("rs", "m", "couplings", "z_sign"), POL_CONFIGS)
@pytest.mark.parametrize("charge_conjugate", [False, True])
def test_polarisation_matches_spin_projector_me(rs, m, couplings, z_sign, charge_conjugate):
    """(P_L, P_T, P_N) of N (and of Nbar) equal the projector ME (absolute 1e-10)."""
    s = rs**2
    z = np.array([-0.9, -0.5, -0.1, 0.2, 0.6, 0.95])
    ref = _me_polarisation(s, m, z, couplings, z_sign, charge_conjugate)
    got = polarization_ew(s, m, z, *couplings, z_sign=z_sign, charge_conjugate=charge_conjugate)
    for r, g in zip(ref, got, strict=True):
        assert np.allclose(g, r, rtol=0, atol=RTOL)
    if rs == 91.1876:  # the normal polarisation is really there
        assert np.max(np.abs(got[2])) > 1e-3


def _photon_polarisations(kg):
    """Two real transverse polarisation four-vectors (0, e) with e . k_gamma = 0, [.., 2, 4].

    The dipole decay vertex is gauge invariant (k_alpha k_beta sigma^{alpha beta} = 0), so the
    two physical polarisations give the same sum as -g.
    """
    k3 = kg[..., 1:] / np.linalg.norm(kg[..., 1:], axis=-1, keepdims=True)
    trial = np.broadcast_to(np.array([0.0, 1.0, 0.0]), k3.shape)
    e1 = np.cross(trial, k3)
    e1 /= np.linalg.norm(e1, axis=-1, keepdims=True)
    e2 = np.cross(k3, e1)
    zeros = np.zeros((*k3.shape[:-1], 1))
    return np.stack(
        [np.concatenate([zeros, e1], axis=-1), np.concatenate([zeros, e2], axis=-1)], axis=-2
    )


def _decay_vertex(kg):
    """kg_alpha sigma^{alpha beta} eps*_beta for the two polarisations, [.., 2, 4, 4]."""
    eps_low = _photon_polarisations(kg) @ METRIC
    return np.einsum("...bac,...pb->...pac", sigma_contracted(kg), eps_low)


def _decay_rows_n(k1, kg, p_n, m):
    """N line for N -> nu(k1) gamma(kg): rows ubar(k1) S_dec.eps* P_R (pN-slash + m), [.., 8, 4]."""
    nu_rows = _bar_rows(_basis(slash(k1)))  # [.., i, 4]
    chain = _decay_vertex(kg) @ P_RIGHT @ (slash(p_n) + m * ID4)[..., None, :, :]
    rows = np.einsum("...ia,...pac->...pic", nu_rows, chain)
    return rows.reshape(*rows.shape[:-3], 8, 4)


def _decay_cols_nbar(k1, kg, p_n, m):
    """Nbar line for Nbar -> nubar(k1) gamma: columns (pN-slash - m) S_dec.eps* P_L v(k1)."""
    nubar = _basis(slash(k1))  # [.., 4, i]
    chain = (slash(p_n) - m * ID4)[..., None, :, :] @ _decay_vertex(kg) @ P_LEFT
    cols = np.einsum("...pac,...ci->...pai", chain, nubar)
    return np.moveaxis(cols, -3, -2).reshape(*cols.shape[:-3], 4, 8)


@pytest.mark.parametrize("charge_conjugate", [False, True])
@pytest.mark.parametrize(("rs", "m", "couplings", "z_sign"), POL_CONFIGS[:3])
def test_photon_distribution_from_two_to_three_me(rs, m, couplings, z_sign, charge_conjugate):
    """Full e+ e- -> N nubar -> nu gamma nubar (and the Nbar nu channel) in the narrow width.

    At fixed z, |M|^2 = A [1 - a cos t* - b sin t* cos f* - c sin t* sin f*] with (a, b) equal to
    photon_density_polarization (what photon_angular_density takes) and A(z) proportional to
    d sigma / dz. For N the sin f* coefficient c is P_N; for Nbar it is -P_N(Nbar).
    """
    s = rs**2
    z_values = np.array([-0.8, -0.3, 0.1, 0.5, 0.9])
    cos_nodes, _ = np.polynomial.legendre.leggauss(4)
    phis = 2.0 * np.pi * (np.arange(5) + 0.5) / 5
    c, f = (x.ravel() for x in np.meshgrid(cos_nodes, phis, indexing="ij"))
    zz, cc, ff = np.broadcast_arrays(z_values[:, None], c[None, :], f[None, :])
    p1, p2, p_n, k2, k1, kg = build_momenta(s, m, zz, cc, ff)
    kw = {"d_gamma": couplings[0], "d_z": couplings[1], "d_w": couplings[2], "z_sign": z_sign}
    if charge_conjugate:
        amp = _amplitude_nbar(p1, p2, p_n, k2, _decay_cols_nbar(k1, kg, p_n, m), **kw)
    else:
        amp = _amplitude_n(p1, p2, p_n, k2, _decay_rows_n(k1, kg, p_n, m), **kw)
    msq = np.sum(np.abs(amp) ** 2, axis=(-1, -2, -3, -4))  # [z, angles]
    sin_t = np.sqrt(1.0 - c**2)
    design = np.stack([np.ones_like(c), c, sin_t * np.cos(f), sin_t * np.sin(f)], axis=-1)
    coef, *_ = np.linalg.lstsq(design, msq.T, rcond=None)
    assert np.max(np.abs(msq.T - design @ coef)) < RTOL * np.max(msq)
    norm = coef[0]
    p_l, p_t = photon_density_polarization(
        s, m, z_values, *couplings, z_sign=z_sign, charge_conjugate=charge_conjugate
    )
    assert np.allclose(-coef[1] / norm, p_l, rtol=0, atol=RTOL)
    assert np.allclose(-coef[2] / norm, p_t, rtol=0, atol=RTOL)
    _, _, p_n_pol = polarization_ew(
        s, m, z_values, *couplings, z_sign=z_sign, charge_conjugate=charge_conjugate
    )
    expected_c = -p_n_pol if charge_conjugate else p_n_pol
    assert np.allclose(-coef[3] / norm, expected_c, rtol=0, atol=RTOL)
    rate = dsigma_dcos_ew(
        s, m, z_values, *couplings, z_sign=z_sign, charge_conjugate=charge_conjugate
    )
    ratio = norm / rate
    assert np.max(np.abs(ratio / ratio.mean() - 1.0)) < RTOL


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

couplings_st = st.tuples(*(st.floats(-5.0, 5.0) for _ in range(3)))


@settings(max_examples=60, deadline=None)
@given(
    st.floats(2.0, 500.0),
    st.floats(0.0, 0.99),
    couplings_st,
    st.floats(-1.0, 1.0),
    st.sampled_from([-1, 1]),
)
def test_dsigma_nonnegative_and_polarisation_physical(rs, y, ratios, z, z_sign):
    s = rs**2
    m = np.sqrt(y * s)
    couplings = tuple(r * D0 for r in ratios)
    pieces = dsigma_dcos_pieces(s, m, z, *couplings, z_sign=z_sign)
    assert float(pieces.total) >= -1e-12 * float(pieces.gamma + pieces.z + pieces.w)
    if float(pieces.total) > 1e-30:
        p = polarization_ew(s, m, z, *couplings, z_sign=z_sign)
        assert float(p[0] ** 2 + p[1] ** 2 + p[2] ** 2) <= 1.0 + 1e-9


@settings(max_examples=40, deadline=None)
@given(st.floats(2.0, 500.0), st.floats(0.0, 0.99), couplings_st, st.floats(1e-3, 1e3))
def test_sigma_scales_as_d_squared(rs, y, ratios, scale):
    s = rs**2
    m = np.sqrt(y * s)
    couplings = tuple(r * D0 for r in ratios)
    scaled = tuple(scale * c for c in couplings)
    base = sigma_pieces(s, m, *couplings)
    big = sigma_pieces(s, m, *scaled)
    for name in PIECES:
        assert float(getattr(big, name)) == pytest.approx(
            scale**2 * float(getattr(base, name)), rel=1e-12, abs=1e-300
        )
