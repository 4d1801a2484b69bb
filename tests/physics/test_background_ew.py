"""SM background e+ e- -> nu nubar gamma at LEP/CEPC energies (nudipole.physics.background_ew).

Formula under test (PHYSICS.md §5 "near the Z pole", with the exact t-channel W; module doc):

    d^2 sigma / dx dz = (2 alpha/pi) [(1 - x/2)^2 + x^2 z^2/4] / [x (1 - z^2)] sigma_0(s (1 - x)),
    sigma_0(s) = G_F^2 s/(12 pi) [N_nu (g_V^2+g_A^2)|A|^2 + 2 (g_V+g_A) Re(A) f_1 + 2 f_2],
    A = -M_Z^2 / (s - M_Z^2 + i M_Z Gamma(s)),  f_1, f_2 the t-channel W propagator factors
    (f_1 = f_2 = 1: the PHYSICS.md contact form).

Independent checks (``background_ew_reference.py``, no ``nudipole`` import; it reuses the
verified contact-limit reference ``background_reference.py``):

* sigma_0 against the explicit 2 -> 2 |M|^2 with Z and W propagators (round-off agreement);
* the low-energy limit against :mod:`nudipole.physics.background`, with the O(s/M^2) propagator
  corrections expanded independently (check (a));
* the Z-pole Breit-Wigner peak (check (b));
* the radiator against the explicit 2 -> 3 |M|^2 with the full Z propagator, the t-channel W and
  photon emission from the W (gauge invariance checked), including the radiative return to the Z
  (check (c));
* the DELPHI LEP2 single-photon acceptance against DELPHI's SM prediction (check (d)).

Physical inputs are explicit numbers (PDG-like), independent of ``nudipole.constants``, except in
the DELPHI comparison, which tests the package defaults.
"""

from __future__ import annotations

from dataclasses import replace

import background_ew_reference as ref
import background_reference as ref0
import numpy as np
import pytest
from scipy import integrate

from nudipole.physics import background as contact
from nudipole.physics.background_ew import (
    d2sigma_dx_dcos,
    dsigma_dx,
    sigma0_ew,
    sigma0_parts,
    sigma_monophoton,
    w_exchange_factors,
    x_radiative_return,
    z_propagator,
)
from nudipole.physics.sm import SMParameters
from nudipole.units import PICOBARN_IN_GEV_M2

SIN2W = 0.23153
G_FERMI = 1.1663788e-5  # GeV^-2
ALPHA = 1.0 / 137.035999
M_Z = 91.1876  # GeV
GAMMA_Z = 2.4952  # GeV
M_W = 80.377  # GeV
G_V = -0.5 + 2.0 * SIN2W
G_A = -0.5

EW = {"sin2w": SIN2W, "g_fermi": G_FERMI, "m_z": M_Z, "gamma_z": GAMMA_Z, "m_w": M_W}
EWA = {**EW, "alpha": ALPHA}
#: The same inputs for nudipole (Gamma_W and alpha_s do not enter the background).
SMR = SMParameters(
    alpha0=ALPHA, g_fermi=G_FERMI, m_z=M_Z, gamma_z=GAMMA_Z, m_w=M_W, gamma_w=2.085,
    sin2w=SIN2W, alpha_s=0.118,
)  # fmt: skip

#: (x, z) points as in test_background_me.py.
POINTS = [(0.05, 0.0), (0.1, -0.9), (0.3, 0.5), (0.5, -0.3), (0.7, 0.9), (0.9, 0.1), (0.2, -0.6)]


# ---------------------------------------------------------------------------------------------
# sigma_0: W factors and the explicit 2 -> 2 matrix element
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "s",
    [
        1.0,
        10.58**2,
        2 * M_W**2 / 20.0 * 0.999,
        2 * M_W**2 / 20.0 * 1.001,
        2 * M_W**2,
        240.0**2,
        1e6,
    ],
)
def test_w_exchange_factors_vs_quadrature(s: float) -> None:
    """f_1, f_2 (closed form for a = 2 M_W^2/s < 20, power series above) == their defining
    integrals (3/8) Int (1+c)^2 B^k dc, B = M_W^2/(M_W^2 + s(1-c)/2), by adaptive quadrature;
    relative 1e-12, on both sides of the switch a = 20."""
    b = lambda c: M_W**2 / (M_W**2 + s * (1.0 - c) / 2.0)  # noqa: E731
    kw = {"epsabs": 0.0, "epsrel": 1e-13}
    e1 = 0.375 * integrate.quad(lambda c: (1 + c) ** 2 * b(c), -1, 1, **kw)[0]
    e2 = 0.375 * integrate.quad(lambda c: (1 + c) ** 2 * b(c) ** 2, -1, 1, **kw)[0]
    f1, f2 = w_exchange_factors(s, SMR)
    assert float(f1) == pytest.approx(e1, rel=1e-12)
    assert float(f2) == pytest.approx(e2, rel=1e-12)


def test_w_exchange_factors_at_lep2_energies() -> None:
    """How bad the contact W is: f_2 (the W^2 term) at sqrt(s) = 160 / 240 / 360 GeV is
    0.37 / 0.22 / 0.12 (documented in the module), f_1 0.58 / 0.41 / 0.27; both -> 1 as s -> 0."""
    f1, f2 = w_exchange_factors(np.array([0.0, 160.0, 240.0, 360.0]) ** 2, SMR)
    np.testing.assert_allclose(f1, [1.0, 0.576, 0.413, 0.271], atol=2e-3)
    np.testing.assert_allclose(f2, [1.0, 0.373, 0.220, 0.117], atol=2e-3)


@pytest.mark.parametrize("sqrt_s", [10.58, 91.1876, 160.0, 240.0, 360.0])
@pytest.mark.parametrize("width", ["running", "fixed"])
def test_sigma0_matches_explicit_2to2(sqrt_s: float, width: str) -> None:
    """sigma0_ew == sum over flavours of the explicit 2 -> 2 |M|^2 cross section (Z propagator for
    all three, t-channel W propagator and its interference for nu_e), relative 1e-12.

    Also the contact-W option == the reference with M_W -> infinity (W as a point interaction).
    """
    s = sqrt_s**2
    kw = {**EW, "width": width}
    exact = ref.sigma_22_flavour(s, flavour="e", **kw) + 2 * ref.sigma_22_flavour(
        s, flavour="mu", **kw
    )
    assert float(sigma0_ew(s, width=width, sm=SMR)) == pytest.approx(exact, rel=1e-12)
    kw_c = {**kw, "m_w": np.inf}
    exact_c = ref.sigma_22_flavour(s, flavour="e", **kw_c) + 2 * ref.sigma_22_flavour(
        s, flavour="mu", **kw_c
    )
    got_c = float(sigma0_ew(s, width=width, w_exchange="contact", sm=SMR))
    assert got_c == pytest.approx(exact_c, rel=1e-12)


def test_contact_option_is_the_physics_md_formula() -> None:
    """w_exchange="contact", width="fixed" is literally PHYSICS.md §5 near the Z pole:
    G_F^2 s'/(12 pi)[3 (g_V^2+g_A^2)|A|^2 + 2 (g_V+g_A) Re A + 2], A = -M_Z^2/(s'-M_Z^2+i M_Z G_Z).
    """
    s = np.array([30.0, 91.0, 150.0, 240.0]) ** 2
    a = -(M_Z**2) / (s - M_Z**2 + 1j * M_Z * GAMMA_Z)
    expected = (
        G_FERMI**2
        * s
        / (12 * np.pi)
        * (3 * (G_V**2 + G_A**2) * np.abs(a) ** 2 + 2 * (G_V + G_A) * a.real + 2)
    )
    got = sigma0_ew(s, w_exchange="contact", width="fixed", sm=SMR)
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=0.0)


# ---------------------------------------------------------------------------------------------
# Check (a): the low-energy (contact) limit
# ---------------------------------------------------------------------------------------------


def test_heavy_bosons_reproduce_background_module() -> None:
    """M_Z, M_W -> 10^7 GeV: sigma_0 and d2sigma_dx_dcos == nudipole.physics.background (the
    contact-limit module, itself checked against an explicit |M|^2) to 1e-9, both width schemes
    and both W options, at sqrt(s) = 4 and 10.58 GeV and the 7 (x, z) points."""
    heavy = {"sm": replace(SMR, m_z=1e7, m_w=1e7)}
    xs = np.array([p[0] for p in POINTS])
    zs = np.array([p[1] for p in POINTS])
    for sqrt_s in (4.0, 10.58):
        s = sqrt_s**2
        ref_sigma = float(contact.sigma0_contact(s, SMR))
        ref_d2 = contact.d2sigma_dx_dcos(xs, zs, s, SMR)
        for width in ("running", "fixed"):
            for w_exchange in ("propagator", "contact"):
                opts = {**heavy, "width": width, "w_exchange": w_exchange}
                assert float(sigma0_ew(s, **opts)) == pytest.approx(ref_sigma, rel=1e-9)
                got = d2sigma_dx_dcos(xs, zs, s, **opts)
                np.testing.assert_allclose(got, ref_d2, rtol=1e-9, atol=0.0)


def _expected_ratio(s: float, width: str, w_exchange: str, order: int) -> float:
    """sigma0_ew / sigma0_contact expanded in r = s/M_Z^2, rho = s/M_W^2 (independent algebra).

    Running width, A = 1/(1 - r - i gamma r): Re A = 1 + r + (1 - gamma^2) r^2,
    |A|^2 = 1 + 2r + (3 - gamma^2) r^2. Fixed width, A = 1/(1 - r - i gamma): Re A = 1 + r
    - gamma^2, |A|^2 = 1 + 2r - gamma^2 (+ O(r^2)), gamma = Gamma_Z/M_Z. W factors from the
    series of (1 + y/a)^-k: f_1 = 1 - rho/4 + rho^2/10, f_2 = 1 - rho/2 + 3 rho^2/10.
    """
    r, rho, g2 = s / M_Z**2, s / M_W**2, (GAMMA_Z / M_Z) ** 2
    k = 1.0 if order >= 2 else 0.0
    if width == "running":
        re_a = 1 + r + k * (1 - g2) * r**2
        abs2 = 1 + 2 * r + k * (3 - g2) * r**2
    else:
        re_a = 1 + r - g2 + k * r**2
        abs2 = 1 + 2 * r - g2 + k * 3 * r**2
    if w_exchange == "propagator":
        f1 = 1 - rho / 4 + k * rho**2 / 10
        f2 = 1 - rho / 2 + k * 3 * rho**2 / 10
    else:
        f1 = f2 = 1.0
    c_nu = 3 * (G_V**2 + G_A**2) + 2 * (G_V + G_A) + 2
    return (3 * (G_V**2 + G_A**2) * abs2 + 2 * (G_V + G_A) * re_a * f1 + 2 * f2) / c_nu


@pytest.mark.parametrize("sqrt_s", [4.0, 10.58])
@pytest.mark.parametrize("width", ["running", "fixed"])
@pytest.mark.parametrize("w_exchange", ["propagator", "contact"])
def test_reduces_to_contact_with_expected_propagator_correction(
    sqrt_s: float, width: str, w_exchange: str
) -> None:
    """Check (a). R = sigma0_ew / background.sigma0_contact = 1 + O(s/M^2): R - 1 is
    -5.8e-4 (4 GeV) and -3.8e-3 (10.58 GeV) for the default options (+5.0e-4, +3.6e-3 with the
    contact W), so "reduces" means R / R_expected - 1 < 1e-4 with R_expected the independent
    expansion of the propagators. At second order in s/M^2 the agreement is < 1e-5 (third-order
    remainder); at first order < 1e-5 at 4 GeV and < 4e-4 at 10.58 GeV. The fixed width misses
    the contact limit by a constant -gamma^2 terms (+1.4e-4 in R), included in R_expected.
    The same ratio holds for d2sigma_dx_dcos at s' = s (1 - x) (7 (x, z) points).
    """
    s = sqrt_s**2
    opts = {"sm": SMR, "width": width, "w_exchange": w_exchange}
    ratio = float(sigma0_ew(s, **opts) / contact.sigma0_contact(s, SMR))
    assert abs(ratio / _expected_ratio(s, width, w_exchange, order=2) - 1) < 1e-5
    first = abs(ratio / _expected_ratio(s, width, w_exchange, order=1) - 1)
    assert first < (1e-5 if sqrt_s < 5 else 4e-4)
    if width == "running":
        assert abs(ratio - 1.0) > 1e-4  # the propagator effect is resolved, not hidden
    for x, z in POINTS:
        d2 = float(d2sigma_dx_dcos(x, z, s, **opts))
        d2_contact = float(contact.d2sigma_dx_dcos(x, z, s, SMR))
        expected = _expected_ratio(s * (1 - x), width, w_exchange, order=2)
        assert abs(d2 / d2_contact / expected - 1) < 1e-5


# ---------------------------------------------------------------------------------------------
# Check (b): the Z pole
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", ["running", "fixed"])
def test_z_pole_breit_wigner_peak(width: str) -> None:
    """Check (b). At s = M_Z^2 the Z term equals 12 pi Gamma_ee Gamma_inv / (M_Z^2 Gamma_Z^2) with
    Gamma_ee = G_F M_Z^3 (g_V^2+g_A^2)/(6 sqrt2 pi), Gamma_inv = 3 G_F M_Z^3/(12 sqrt2 pi) (same
    couplings) to 1e-10, in both width schemes; A(M_Z^2) = i M_Z / Gamma_Z."""
    s = M_Z**2
    gamma_ee = G_FERMI * M_Z**3 * (G_V**2 + G_A**2) / (6 * np.sqrt(2) * np.pi)
    gamma_inv = 3 * G_FERMI * M_Z**3 / (12 * np.sqrt(2) * np.pi)
    peak = 12 * np.pi * gamma_ee * gamma_inv / (M_Z**2 * GAMMA_Z**2)
    parts = sigma0_parts(s, width=width, sm=SMR)  # type: ignore[arg-type]
    assert float(parts.z) == pytest.approx(peak, rel=1e-10)
    a = complex(z_propagator(s, SMR, width=width))  # type: ignore[arg-type]
    assert a == pytest.approx(1j * M_Z / GAMMA_Z, rel=1e-12)
    # on the pole Re A = 0: the interference vanishes, the rest is the nu_e W term
    assert abs(float(parts.interference)) < 1e-12 * float(parts.z)
    assert float(parts.w) / float(parts.z) < 2e-3


# ---------------------------------------------------------------------------------------------
# Check (c): explicit 2 -> 3 matrix element with Z and W propagators
# ---------------------------------------------------------------------------------------------


def test_reference_gauge_invariance_fixes_wwgamma_sign() -> None:
    """The nu_e amplitude (Z graphs + W ISR graphs + photon from the W) obeys the QED Ward
    identity (residual < 1e-12) only with the triple-gauge graph and with c3 = -1: c3 = +1 or
    dropping it fails by > 1e-2 (the check is not vacuous). Two kinematic points, 240 GeV."""
    s = 240.0**2
    p1, p2 = ref0.beams(s)
    for x, z in [(0.4, 0.3), (0.8, -0.7)]:
        k = ref.photon_momentum(x, z, s)
        q1, q2, _ = ref0.pair_nodes(p1 + p2 - k, 3, 3)
        kw = {"g_v": G_V, "g_a": G_A, "z_amp": 0.3 + 0.2j, "m_w": M_W}
        assert ref.ward_residual_w(p1, p2, k, q1, q2, c3=-1.0, **kw) < 1e-12
        assert ref.ward_residual_w(p1, p2, k, q1, q2, c3=+1.0, **kw) > 1e-2
        assert ref.ward_residual_w(p1, p2, k, q1, q2, include_wwg=False, **kw) > 1e-2


def test_reference_reduces_to_contact_reference() -> None:
    """M_W -> infinity, M_Z -> 10^9 GeV: the new reference == the verified contact-limit reference
    (background_reference, Fierzed nu_e) for nu_e and nu_mu, 2 -> 3 and 2 -> 2, relative 1e-10."""
    s = 10.58**2
    kw = {**EWA, "m_z": 1e9, "m_w": np.inf}
    for flavour, (g_v, g_a) in (("e", (G_V + 1, G_A + 1)), ("mu", (G_V, G_A))):
        for x, z in POINTS[:3]:
            new = ref.d2sigma_dx_dz_flavour(x, z, s, flavour=flavour, n_cos=4, n_phi=6, **kw)  # type: ignore[arg-type]
            old = ref0.d2sigma_dx_dz_flavour(
                x, z, s, g_v=g_v, g_a=g_a, g_fermi=G_FERMI, alpha=ALPHA
            )
            assert new == pytest.approx(old, rel=1e-10)
        kw22 = {k: v for k, v in kw.items() if k != "alpha"}
        new22 = ref.sigma_22_flavour(s, flavour=flavour, **kw22)  # type: ignore[arg-type]
        assert new22 == pytest.approx(
            ref0.sigma_22(s, g_v=g_v, g_a=g_a, g_fermi=G_FERMI), rel=1e-10
        )


def test_reference_pair_quadrature_converged() -> None:
    """The W propagators make the pair-frame integrand non-polynomial: 10x10 and 24x24 nodes agree
    to 1e-6 relative at 240 GeV (hard photon, largest propagator variation)."""
    s = 240.0**2
    for x, z in [(0.5, -0.3), (0.95, 0.1)]:
        coarse = ref.d2sigma_dx_dz(x, z, s, n_cos=10, n_phi=10, **EWA)
        fine = ref.d2sigma_dx_dz(x, z, s, n_cos=24, n_phi=24, **EWA)
        assert coarse == pytest.approx(fine, rel=1e-6)


@pytest.mark.parametrize("sqrt_s", [91.2, 160.0, 240.0])
def test_z_exchange_factorises_exactly_on_resonance(sqrt_s: float) -> None:
    """For Z exchange only (nu_mu, nu_tau) radiator x sigma_0 is exact at tree level also with the
    Z propagator (the propagator depends only on s' = (q1 + q2)^2): explicit |M|^2 == formula to
    1e-9, including the radiative-return point x_Z = 1 - M_Z^2/s."""
    s = sqrt_s**2
    pts = [*POINTS[:4], (float(x_radiative_return(s, SMR)) + 1e-3, 0.4)]
    for x, z in pts:
        if x <= 0.0:
            continue
        me = ref.d2sigma_dx_dz_flavour(x, z, s, flavour="mu", n_cos=4, n_phi=6, **EWA)
        one_flavour = float(
            d2sigma_dx_dcos(x, z, s, n_nu=1, sm=SMR) - d2sigma_dx_dcos(x, z, s, n_nu=0, sm=SMR)
        )
        assert me == pytest.approx(one_flavour, rel=1e-9)


#: Explicit |M|^2 / radiator formula, three flavours (n = 12 pair nodes), CM frame:
#:
#:   sqrt(s)  z    x=0.02  0.05   0.1    0.2    0.35   0.5    0.65   0.8    0.95   x_Z
#:    91.2   0.0   1.000  1.000  1.000  1.001  0.999  0.982  0.933  0.864  1.068   -
#:    91.2   0.9   1.000  1.000  1.000  1.000  1.000  0.996  0.987  0.976  1.044   -
#:   160     0.0   1.000  0.999  0.994  0.978  0.942  0.919  0.979  1.050  1.427  0.9995
#:   160     0.9   1.000  1.000  0.999  0.996  0.988  0.983  0.996  1.006  1.208  0.9999
#:   240     0.0   1.000  0.997  0.986  0.945  0.840  0.716  0.640  0.786  1.519  0.9992
#:   240     0.9   1.000  0.999  0.997  0.989  0.966  0.931  0.898  0.933  1.346  0.9997
#:
#: All of the difference is nu_e (W graphs); nu_mu, nu_tau agree to round-off.
ME_TABLE_X = [0.05, 0.1, 0.35, 0.65, 0.95]


@pytest.mark.parametrize("sqrt_s", [91.2, 160.0, 240.0])
def test_radiator_vs_explicit_matrix_element(sqrt_s: float) -> None:
    """Check (c). Stated tolerances of the radiator (W propagator) vs the full tree-level 2 -> 3:

    * soft photons, x <= 0.1: within 1.5 % (0.5 % for x <= 0.05);
    * radiative-return peak x = x_Z: within 0.2 % (the Z term, exact, dominates);
    * hard photons at large angle, 0.1 < x <= 0.8: within 40 % (worst: -36 % at 240 GeV,
      x = 0.65, z = 0; the t-channel W sees the photon's momentum transfer and the photon can
      come from the W line);
    * x = 0.95 (s' -> 0, small rate): the formula is low by up to 60 % (1 < ratio < 1.7).
    """
    s = sqrt_s**2
    x_z = float(x_radiative_return(s, SMR))
    for z in (0.0, 0.9):
        for x in [*ME_TABLE_X, *([x_z] if x_z > 0.1 else [])]:
            me = ref.d2sigma_dx_dz(x, z, s, n_cos=10, n_phi=10, **EWA)
            ratio = me / float(d2sigma_dx_dcos(x, z, s, sm=SMR))
            if x == x_z:
                assert abs(ratio - 1) < 2e-3
            elif x <= 0.05:
                assert abs(ratio - 1) < 5e-3
            elif x <= 0.1:
                assert abs(ratio - 1) < 1.5e-2
            elif x <= 0.8:
                assert abs(ratio - 1) < 0.4
            else:
                assert 1.0 < ratio < 1.7


@pytest.mark.parametrize("sqrt_s", [160.0, 240.0])
def test_radiative_return_peak(sqrt_s: float) -> None:
    """Check (c), radiative return: at fixed z = 0.5 the explicit 2 -> 3 spectrum, scanned on
    x = x_Z + k h/4 (h = M_Z Gamma_Z / s, the peak's half width in x, k = -6..6), is largest at
    k = 0, i.e. at x_Z = 1 - M_Z^2/s (0.675 at 160 GeV, 0.856 at 240 GeV) to within h/8, as
    is the formula's; the peak is > 20 times the spectrum at x_Z +- 0.1. The formula agrees with
    the |M|^2 to 0.2 % on the peak and to 3 % across it (max. deviation 0.9 % at 160 GeV, 2.5 % at
    240 GeV, at x_Z -+ 1.5 h, antisymmetric: the nu_e interference term ~ Re A).
    """
    s = sqrt_s**2
    x_z = float(x_radiative_return(s, SMR))
    h = M_Z * GAMMA_Z / s
    ks = np.arange(-6, 7)
    xs = x_z + ks * h / 4
    me = np.array([ref.d2sigma_dx_dz(x, 0.5, s, n_cos=8, n_phi=8, **EWA) for x in xs])
    assert ks[np.argmax(me)] == 0
    formula = d2sigma_dx_dcos(xs, 0.5, s, sm=SMR)
    assert ks[np.argmax(formula)] == 0
    ratio = me / formula
    assert abs(ratio[6] - 1) < 2e-3
    # off the peak the nu_e Z-W interference (~ Re A, extremal at x_Z -+ h) is only approximate
    assert np.max(np.abs(ratio - 1)) < 3e-2
    for x_off in (x_z - 0.1, x_z + 0.1):
        assert me[6] > 20 * ref.d2sigma_dx_dz(x_off, 0.5, s, n_cos=8, n_phi=8, **EWA)


# ---------------------------------------------------------------------------------------------
# Check (d): DELPHI LEP2 single-photon acceptance
# ---------------------------------------------------------------------------------------------

#: DELPHI, Eur. Phys. J. C 38 (2005) 395 (hep-ex/0406019): HPC single photons, <sqrt(s)> =
#: 205.4 GeV, 45 < theta < 135 deg, 0.06 < x_gamma < 1.1; SM prediction for nu nubar gamma(gamma).
DELPHI_SQRT_S = 205.4
DELPHI_SM_PB = 1.61
DELPHI_COS = float(np.cos(np.pi / 4))


def _delphi_sigma_pb(**kw: object) -> float:
    return (
        sigma_monophoton(
            DELPHI_SQRT_S**2,
            x_min=0.06,
            x_max=1.1,
            cos_min=-DELPHI_COS,
            cos_max=DELPHI_COS,
            **kw,  # type: ignore[arg-type]
        )
        / PICOBARN_IN_GEV_M2
    )


def test_delphi_acceptance_vs_sm_prediction() -> None:
    """Check (d). sigma(nu nubar gamma) in the DELPHI HPC acceptance with the package defaults:
    1.474 pb vs DELPHI's SM 1.61 pb (ratio 0.916), within the stated 15 %. What is missing is
    mostly higher-order QED (multiple ISR, virtual corrections, nu nubar gamma gamma), which the
    generator behind the 1.61 pb includes; the radiator itself is 3 % above the exact tree-level
    2 -> 3 here (test_delphi_acceptance_explicit_matrix_element). The PHYSICS.md contact-W form
    gives 2.58 pb (ratio 1.60) and is excluded."""
    sigma = _delphi_sigma_pb()
    assert sigma / DELPHI_SM_PB == pytest.approx(0.916, abs=0.005)
    assert abs(sigma / DELPHI_SM_PB - 1) < 0.15
    contact_w = _delphi_sigma_pb(w_exchange="contact", width="fixed")
    assert contact_w / DELPHI_SM_PB > 1.5


def test_sigma_monophoton_quadrature() -> None:
    """sigma_monophoton (adaptive, split at the peak) == an independent fixed Gauss-Legendre rule
    in phi, s' = M_Z^2 + M_Z Gamma_Z tan(phi) (flattens the Breit-Wigner), 400 nodes, of
    dsigma_dx, to 1e-7; and dsigma_dx == d2sigma_dx_dcos integrated over z numerically (1e-10)."""
    s = DELPHI_SQRT_S**2
    cut = {"cos_min": -DELPHI_COS, "cos_max": DELPHI_COS}
    mg = M_Z * GAMMA_Z
    lo, hi = np.arctan(-(M_Z**2) / mg), np.arctan((s * 0.94 - M_Z**2) / mg)
    u, w = np.polynomial.legendre.leggauss(400)
    phi = 0.5 * (hi - lo) * u + 0.5 * (hi + lo)
    x = 1 - (M_Z**2 + mg * np.tan(phi)) / s
    jac = 0.5 * (hi - lo) * w * mg / np.cos(phi) ** 2 / s
    fixed = float(np.sum(jac * dsigma_dx(x, s, **cut, sm=SMR)))
    assert sigma_monophoton(s, x_min=0.06, **cut, sm=SMR) == pytest.approx(fixed, rel=1e-7)
    for xv in (0.1, x_z := float(x_radiative_return(s, SMR)), 0.5 * (1 + x_z)):
        num = integrate.quad(
            lambda z, xv=xv: float(d2sigma_dx_dcos(xv, z, s, sm=SMR)),
            -DELPHI_COS,
            DELPHI_COS,
            epsabs=0.0,
            epsrel=1e-12,
        )[0]
        assert float(dsigma_dx(xv, s, **cut, sm=SMR)) == pytest.approx(num, rel=1e-10)


def test_delphi_acceptance_explicit_matrix_element() -> None:
    """The same acceptance with the exact tree-level 2 -> 3 |M|^2 instead of the radiator for
    nu_e (nu_mu, nu_tau are exact): sigma_ME = sigma_formula + Int (ME_e - formula_e) dx dz, the
    correction integrated with Gauss-Legendre in phi (s' = M_Z^2 + 10 M_Z Gamma_Z tan phi, 24
    nodes) x 3 nodes in |z| (the integrand is even in z) x 6x6 pair nodes. Result 1.428 pb
    (adaptive reference integration: 1.4284), ME / formula = 0.969 +- 0.002 (quadrature),
    i.e. 0.887 of DELPHI's 1.61 pb."""
    s = DELPHI_SQRT_S**2
    zg, wz = np.polynomial.legendre.leggauss(3)
    zg, wz = 0.5 * DELPHI_COS * (zg + 1), DELPHI_COS * wz  # |z| in [0, c], times 2
    mg = 10.0 * M_Z * GAMMA_Z
    lo, hi = np.arctan(-(M_Z**2) / mg), np.arctan((s * 0.94 - M_Z**2) / mg)
    u, wu = np.polynomial.legendre.leggauss(24)
    phi = 0.5 * (hi - lo) * u + 0.5 * (hi + lo)
    xs = 1 - (M_Z**2 + mg * np.tan(phi)) / s
    wx = 0.5 * (hi - lo) * wu * mg / np.cos(phi) ** 2 / s
    correction = 0.0
    for x, w1 in zip(xs, wx, strict=True):
        for z, w2 in zip(zg, wz, strict=True):
            me = ref.d2sigma_dx_dz_flavour(x, z, s, flavour="e", n_cos=6, n_phi=6, **EWA)
            correction += w1 * w2 * (me - float(d2sigma_dx_dcos(x, z, s, n_nu=1, sm=SMR)))
    formula = sigma_monophoton(s, x_min=0.06, cos_min=-DELPHI_COS, cos_max=DELPHI_COS, sm=SMR)
    ratio = (formula + correction) / formula
    assert ratio == pytest.approx(0.969, abs=2e-3)
    assert (formula + correction) / PICOBARN_IN_GEV_M2 / DELPHI_SM_PB == pytest.approx(
        0.887, abs=5e-3
    )
