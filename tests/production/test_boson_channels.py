"""The W/Z channel catalogue (nudipole.production.boson_channels) and the channel dispatch of
the far-detector source (nudipole.production.channels)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nudipole.constants import GAMMA_W, GAMMA_Z, M_W, M_Z
from nudipole.physics.boson_decays_to_n import width_w_to_lepton_n
from nudipole.physics.couplings import CouplingRatios, scenario_ratios
from nudipole.physics.z_pole import width_z_to_nu_nbar
from nudipole.production import boson_channels as bc
from nudipole.production import channels as ch
from nudipole.production.boson_spectra import boson_cross_section
from nudipole.production.meson_table import CHANNELS, lepton_mass


def test_catalogue_and_parts() -> None:
    assert bc.BOSON_CHANNELS == ("W", "Z")
    assert bc.boson_parts("W") == ("W+", "W-")
    assert bc.boson_parts("Z") == ("Z",)
    assert bc.boson_part("W+").pdgid == 24
    assert bc.boson_part("W-").pdgid == -24
    assert bc.boson_part("Z").pdgid == 23
    assert bc.boson_part("W+").mass == M_W
    assert bc.boson_part("Z").mass == M_Z
    assert bc.boson_part("W-").ctau_m == 0.0
    with pytest.raises(ValueError, match="unknown boson part"):
        bc.boson_part("W")
    with pytest.raises(ValueError, match="unknown W/Z channel"):
        bc.boson_parts("W+")


def test_two_body_energy() -> None:
    """E* = (M^2 + m_N^2 - m_l^2) / (2 M) (W), (M^2 + m_N^2) / (2 M) (Z)."""
    m = 3.0
    m_tau = lepton_mass("tau")
    assert bc.n_energy("W+", m, "tau") == pytest.approx(
        (M_W**2 + m**2 - m_tau**2) / (2 * M_W), rel=1e-14
    )
    assert bc.n_energy("Z", m, "tau") == pytest.approx((M_Z**2 + m**2) / (2 * M_Z), rel=1e-14)
    assert bc.recoil_mass("Z", "tau") == 0.0
    assert bc.recoil_mass("W-", "mu") == lepton_mass("mu")


def test_thresholds() -> None:
    m_tau = lepton_mass("tau")
    assert bc.boson_allowed("W", M_W - m_tau - 1e-6, "tau")
    assert not bc.boson_allowed("W", M_W - m_tau + 1e-6, "tau")
    assert bc.boson_allowed("W+", M_W - 0.01, "e")
    assert bc.boson_allowed("Z", M_Z - 1e-6, "tau")
    assert not bc.boson_allowed("Z", M_Z, "e")
    assert bc.br_per_dv2("W+", M_W, "e") == 0.0
    e_star, w = bc.energy_rule("W+", M_W, "e", scenario_ratios("C", 0.23))
    assert e_star.size == w.size == 0


def test_weights_per_dgamma2() -> None:
    """Br / d_V^2 x (d_V/d_gamma)^2; the Z's Br holds both charge states (no factor 2)."""
    ratios = CouplingRatios(dz_over_dgamma=-11.6, dw_over_dgamma=-13.7)
    m = 1.0
    br_w = float(width_w_to_lepton_n(m, 1.0, lepton_mass("mu"))) / GAMMA_W
    assert bc.br_per_dv2("W-", m, "mu") == pytest.approx(br_w, rel=1e-14)
    assert bc.weight_per_dgamma2("W+", m, "mu", ratios) == pytest.approx(13.7**2 * br_w)
    br_z = 2.0 * float(width_z_to_nu_nbar(m, 1.0)) / GAMMA_Z
    assert bc.br_per_dv2("Z", m, "mu") == pytest.approx(br_z, rel=1e-14)
    e_star, w = bc.energy_rule("Z", m, "mu", ratios)
    assert w[0] == pytest.approx(11.6**2 * br_z, rel=1e-14)
    assert e_star[0] == pytest.approx((M_Z**2 + m**2) / (2 * M_Z))
    # light N: Gamma(W -> l N) / d_W^2 -> M_W^3 / (12 pi) (boson_decays_to_n, Eq. 2)
    assert bc.br_per_dv2("W+", 1e-4, "e") == pytest.approx(
        M_W**3 / (12 * math.pi) / GAMMA_W, rel=1e-6
    )
    # scenario A has d_W = 0: no W source
    e_star, w = bc.energy_rule("W+", m, "mu", scenario_ratios("A", 0.23))
    assert e_star.size == 0


@pytest.mark.parametrize("part", ["W+", "W-", "Z"])
@pytest.mark.parametrize("m_n", [0.01, 1.0, 30.0, 70.0])
def test_cos_density_is_normalised(part: str, m_n: float) -> None:
    x, w = np.polynomial.legendre.leggauss(16)
    for pol in ("lo", "unpolarised"):
        assert float(np.dot(w, bc.cos_density(part, x, m_n, "e", pol))) == pytest.approx(1.0)
    assert np.all(bc.cos_density(part, x, m_n, "tau", "unpolarised") == 0.5)


def test_lo_density_is_transverse_and_charge_mirrored() -> None:
    """Light N: (3/4) sin^2 theta* about the flight direction; W+ (N) and W- (Nbar) mirror
    each other (c -> -c); the Z density summed over both charge states is even in c."""
    c = np.linspace(-1.0, 1.0, 41)
    for part in ("W+", "W-", "Z"):
        np.testing.assert_allclose(bc.cos_density(part, c, 1e-3, "e"), 0.75 * (1 - c**2), atol=2e-9)
    plus = bc.cos_density("W+", c, 20.0, "mu")
    minus = bc.cos_density("W-", c, 20.0, "mu")
    np.testing.assert_allclose(plus, minus[::-1], rtol=1e-12)
    assert not np.allclose(plus, minus)  # the forward-backward term at 20 GeV
    z = bc.cos_density("Z", c, 20.0, "mu")
    np.testing.assert_allclose(z, z[::-1], rtol=1e-12)


def test_part_tables_both_hemispheres_normalised() -> None:
    for part in ("W+", "W-", "Z"):
        (fwd, f_back), (bwd, b_back) = bc.part_tables(part, "pythia")
        assert (f_back, b_back) == (False, True)
        total = fwd.total_pb + bwd.total_pb
        xs = boson_cross_section(bc.boson_part(part).pdgid).sigma_pb
        assert total == pytest.approx(xs, rel=1e-12)
    with pytest.raises(ValueError, match="W/Z table set"):
        bc.part_tables("Z", "nlo")


def test_channel_dispatch() -> None:
    assert (*CHANNELS, "W", "Z") == ch.ALL_CHANNELS
    assert ch.channel_parts("pi") == ("pi",)
    assert ch.channel_parts("W") == ("W+", "W-")
    assert ch.parent_mass("W") == M_W
    assert ch.parent_mass("Z") == M_Z
    assert ch.part_info("W-").pdgid == -24
    assert ch.part_info("eta").pdgid == 221
    assert ch.part_allowed("W", 1.0, "tau")
    assert not ch.part_allowed("pi0", 1.0, "tau")
    assert ch.channel_source("Z") == "wz"
    assert ch.channel_source("B") == "mesons"
    assert ch.parse_sources(None) == ("mesons",)
    assert ch.parse_sources("wz,mesons") == ("mesons", "wz")
    assert ch.parse_sources(["wz"]) == ("wz",)
    for bad, match in ((",", "no source"), ("foo", "unknown source"), ("mesons,bar", "bar")):
        with pytest.raises(ValueError, match=match):
            ch.parse_sources(bad)
    with pytest.raises(ValueError, match="unknown channel"):
        ch.channel_parts("Wplus")


@pytest.mark.parametrize("part", ["W+", "W-", "Z"])
@pytest.mark.parametrize("pol", ["lo", "unpolarised"])
def test_cos_density_many_is_cos_density_at_each_mass(part: str, pol: str) -> None:
    c = np.linspace(-1.0, 1.0, 9)
    masses = [0.0, 0.01, 1.5, 9.0]
    many = bc.cos_density_many(part, c, masses, "tau", pol)
    assert many.shape == (len(masses), c.size)
    for m, row in zip(masses, many, strict=True):
        np.testing.assert_array_equal(row, bc.cos_density(part, c, m, "tau", pol))
    with pytest.raises(ValueError, match="masses"):
        bc.cos_density_many(part, c, [0.1, -1.0], "tau", pol)
