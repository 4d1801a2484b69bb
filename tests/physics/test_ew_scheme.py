"""One electroweak input scheme for signal, SM background and published-limit conversions.

Issue 12 §1: the Z couplings of the signal, the SM background and the Br -> sigma conversion of
L3's Z -> gamma + invisible limit must use one Gamma(Z -> e+ e-); the photon exchange must use
the QED coupling at its scale. The schemes are in :mod:`nudipole.physics.sm`.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy import integrate

from nudipole import constants
from nudipole.experiments.schema import LimitSpec
from nudipole.physics import background, background_ew, production_ew
from nudipole.physics.sm import SM, EWScheme, SMParameters, leptonic_vacuum_polarization
from nudipole.physics.z_pole import sigma_z_peak, width_z_to_electrons, width_z_to_nu_nbar
from nudipole.reach.model import make_model
from nudipole.reach.presets import DEFAULT, PAPER
from nudipole.reach.scan_setup import excluded_signal

#: PDG (R. L. Workman et al., PTEP 2022 083C01, Z boson listings): Gamma_ee = 83.91 +- 0.12 MeV.
PDG_GAMMA_EE = 83.91e-3
L3_BR = 3.2e-6  # L3, PLB 412 (1997) 201: Br(Z -> gamma + invisible) < 3.2e-6

#: Parameter sets: the three schemes and modified inputs (so that a coupling read anywhere
#: else than from ``sm`` would show up).
SM_VARIANTS = [
    *(replace(SM, scheme=s) for s in EWScheme),
    replace(SM, g_fermi=1.2 * SM.g_fermi),
    replace(SM, scheme=EWScheme.ALPHA0, alpha0=1.0 / 120.0, sin2w=0.25),
    replace(SM, m_z=95.0, gamma_z=3.0, sin2w=0.2293),
]


def _l3_limit() -> LimitSpec:
    return LimitSpec(type="z-branching-ratio", value=L3_BR)


@pytest.mark.parametrize("sm", SM_VARIANTS, ids=lambda sm: f"{sm.scheme}-{sm.g_fermi:.3g}")
def test_signal_background_and_l3_conversion_share_gamma_ee(sm: SMParameters) -> None:
    """At sqrt(s) = M_Z: sigma^Z of e+e- -> N nubar = 12 pi Gamma_ee Gamma(Z -> nu Nbar) /
    (M_Z^2 Gamma_Z^2) (the issue's identity), the SM background's Z term = 12 pi Gamma_ee
    Gamma_inv / (M_Z^2 Gamma_Z^2) and L3's excluded cross section = Br x 12 pi Gamma_ee /
    (M_Z^2 Gamma_Z), all with the one Gamma_ee = width_z_to_electrons(sm), for every scheme."""
    gamma_ee = width_z_to_electrons(sm)
    s = sm.m_z**2
    m_n, d_z = 20.0, 3.0e-5
    sigma_z = float(production_ew.sigma_pieces(s, m_n, 0.0, d_z, 0.0, sm=sm).z)
    peak = 12 * math.pi * gamma_ee * float(width_z_to_nu_nbar(m_n, d_z, sm))
    assert sigma_z == pytest.approx(peak / (sm.m_z**2 * sm.gamma_z**2), rel=1e-12)

    gamma_inv = 3 * sm.fermi_neutral * sm.m_z**3 / (12 * math.sqrt(2) * math.pi)
    z_term = float(background_ew.sigma0_parts(s, sm=sm).z)
    assert z_term == pytest.approx(
        12 * math.pi * gamma_ee * gamma_inv / (sm.m_z**2 * sm.gamma_z**2), rel=1e-12
    )

    model = make_model("e", "I").with_scheme(sm.scheme)
    model = replace(model, sm=sm)
    converted = excluded_signal(_l3_limit(), model)
    assert converted == pytest.approx(
        L3_BR * 12 * math.pi * gamma_ee / (sm.m_z**2 * sm.gamma_z), rel=1e-14
    )
    assert converted == pytest.approx(L3_BR * sigma_z_peak(sm), rel=1e-14)


def test_gamma_ee_of_the_schemes() -> None:
    """G_F schemes: Gamma_ee = 83.4 MeV, 0.6 % below the measured 83.91 MeV; alpha(0) scheme:
    78.3 MeV, 6.7 % below (the issue's 3 % inconsistency on d, sigma ~ d^2 Gamma_ee)."""
    gmu = width_z_to_electrons(SM)
    alpha0 = width_z_to_electrons(replace(SM, scheme=EWScheme.ALPHA0))
    assert width_z_to_electrons(replace(SM, scheme=EWScheme.GMU_ALPHA0)) == gmu
    assert gmu * 1e3 == pytest.approx(83.4, abs=0.05)
    assert alpha0 * 1e3 == pytest.approx(78.3, abs=0.05)
    assert gmu / PDG_GAMMA_EE - 1 == pytest.approx(-0.006, abs=0.001)
    assert alpha0 / PDG_GAMMA_EE - 1 == pytest.approx(-0.067, abs=0.001)
    # alpha0: every coupling from alpha(0), s_w: G_F derived = pi alpha / (sqrt2 s^2 c^2 M_Z^2)
    a0 = replace(SM, scheme=EWScheme.ALPHA0)
    assert a0.fermi_neutral == pytest.approx(
        math.pi * SM.alpha0 / (math.sqrt(2) * SM.sin2w * (1 - SM.sin2w) * SM.m_z**2), rel=1e-14
    )
    assert a0.fermi_charged == pytest.approx(
        math.pi * SM.alpha0 / (math.sqrt(2) * SM.sin2w * SM.m_w**2), rel=1e-14
    )
    assert SM.fermi_neutral == SM.fermi_charged == SM.g_fermi


@pytest.mark.parametrize("scheme", list(EWScheme))
def test_schemes_rescale_the_alpha0_amplitudes(scheme: EWScheme) -> None:
    """A scheme changes only the three couplings: sigma(scheme; d_gamma, d_Z, d_W) =
    (alpha/alpha(0)) sigma(alpha0; d_gamma, k_Z d_Z, k_W d_W) with k_V = r_V / r_V(alpha0) of
    production_ew.vertex_factors, for every piece, angle and the polarisation."""
    sm = replace(SM, scheme=scheme)
    a0 = replace(SM, scheme=EWScheme.ALPHA0)
    for sqrt_s, m_n in ((10.58, 1.0), (91.1876, 30.0), (240.0, 100.0)):
        s = sqrt_s**2
        alpha, r_z, r_w = production_ew.vertex_factors(s, sm)
        _, r_z0, r_w0 = production_ew.vertex_factors(s, a0)
        k_z, k_w = float(r_z / r_z0), float(r_w / r_w0)
        d = (1e-5, 2e-5, -3e-5)
        got = production_ew.sigma_pieces(s, m_n, *d, sm=sm)
        ref = production_ew.sigma_pieces(s, m_n, d[0], k_z * d[1], k_w * d[2], sm=a0)
        for name in got._fields:
            assert float(getattr(got, name)) == pytest.approx(
                float(alpha / SM.alpha0) * float(getattr(ref, name)), rel=1e-12
            ), (sqrt_s, name)
    if scheme is EWScheme.ALPHA0:
        assert (k_z, k_w) == pytest.approx((1.0, 1.0), rel=1e-14)
    else:  # G_F couplings are 3 % (Z) and 2 % (W) larger than the alpha(0) ones at the pole
        assert r_z0 == pytest.approx(1.0 / (SM.sin_w * SM.cos_w), rel=1e-14)


def test_running_alpha() -> None:
    """alpha(M_Z^2) is the cited on-shell value 1/128.94; alpha(0) in the other schemes; the
    leptonic one-loop closed form equals its integral (Peskin & Schroeder Eq. 7.91) above and
    below threshold and has the leading-log limit."""
    assert float(SM.alpha_photon(SM.m_z**2)) == pytest.approx(constants.ALPHA_MZ, rel=1e-12)
    assert pytest.approx(128.94, abs=0.01) == 1.0 / constants.ALPHA_MZ
    assert float(SM.alpha_photon(SM.m_z**2)) / SM.alpha0 == pytest.approx(1.0628, abs=1e-4)
    for scheme in (EWScheme.ALPHA0, EWScheme.GMU_ALPHA0):
        sm = replace(SM, scheme=scheme)
        assert np.all(sm.alpha_photon(np.array([16.0, 1e4])) == SM.alpha0)
    s = np.array([4.0, 10.58**2, 91.2**2, 240.0**2])
    alpha = SM.alpha_photon(s)
    assert np.all(np.diff(alpha) > 0)  # grows with the scale

    def integral(s: float, m: float) -> float:
        def f(x: float) -> float:
            return x * (1 - x) * math.log(abs(1 - x * (1 - x) * s / m**2))

        pts = None
        if s > 4 * m * m:
            r = 0.5 * (1 - math.sqrt(1 - 4 * m * m / s))
            pts = [r, 1 - r]
        value, _ = integrate.quad(f, 0, 1, points=pts, limit=200, epsabs=1e-15, epsrel=1e-12)
        return 2 * SM.alpha0 / math.pi * value

    m_tau = constants.pdg_mass_gev(15)
    for s_, m in ((100.0, m_tau), (4.0, m_tau), (1.0, m_tau), (1e4, 0.1057), (0.01, m_tau)):
        assert float(leptonic_vacuum_polarization(s_, m, SM.alpha0)) == pytest.approx(
            integral(s_, m), rel=1e-8
        )
    big = float(leptonic_vacuum_polarization(1e8, 1e-3, SM.alpha0))
    assert big == pytest.approx(SM.alpha0 / (3 * math.pi) * (math.log(1e14) - 5 / 3), rel=1e-12)


def test_contact_background_follows_the_scheme() -> None:
    """Low energy: G_F schemes keep the seed's G_F^2 s C_nu / (12 pi); alpha0 derives G_Z, G_W."""
    s = 10.58**2
    gf = float(background.sigma0_contact(s, SM))
    assert gf == pytest.approx(SM.g_fermi**2 * s * background.c_nu(SM) / (12 * math.pi), rel=1e-14)
    a0 = replace(SM, scheme=EWScheme.ALPHA0)
    assert float(background.sigma0_contact(s, a0)) / gf == pytest.approx(0.867, abs=0.002)
    heavy = replace(a0, m_z=1e6, m_w=1e6 * SM.m_w / SM.m_z)  # the same G_Z, G_W ratios at s -> 0
    ew = float(background_ew.sigma0_ew(s, sm=a0))
    assert ew / float(background.sigma0_contact(s, a0)) == pytest.approx(1.0, abs=0.01)
    assert heavy.fermi_neutral / heavy.fermi_charged == pytest.approx(
        a0.fermi_neutral / a0.fermi_charged, rel=1e-12
    )


def test_presets_choose_the_scheme() -> None:
    """default: one consistent scheme (gmu); paper: the seed's alpha(0) photon with G_F."""
    assert DEFAULT.ew_scheme is EWScheme.GMU
    assert PAPER.ew_scheme is EWScheme.GMU_ALPHA0
    assert SMParameters.default().scheme is EWScheme.GMU
    over = DEFAULT.with_overrides(ew_scheme=EWScheme.ALPHA0)
    assert over.name == "default[ew_scheme=alpha0]"
    model = make_model("mu", "II")
    assert model.with_scheme(EWScheme.ALPHA0).describe()["ew_scheme"] == "alpha0"
    with pytest.raises(ValueError, match="--ew-scheme bogus: unknown electroweak scheme"):
        replace(SM, scheme="bogus")
