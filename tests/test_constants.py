"""The CODATA values written out in nudipole.constants are scipy.constants', and the PDG values
particle's, to the last bit."""

import math

import scipy.constants as sc

from nudipole import constants


def test_codata_values_are_scipys() -> None:
    assert constants.CODATA["fine_structure"] == sc.fine_structure
    for name, value in constants.CODATA.items():
        if name != "fine_structure":
            assert value == sc.physical_constants[name][0], name


def test_derived_constants_as_computed_from_scipy() -> None:
    mev_to_gev = sc.mega / sc.giga
    hbarc = sc.physical_constants["reduced Planck constant times c in MeV fm"][0]
    m_e = sc.physical_constants["electron mass energy equivalent in MeV"][0]
    assert float(sc.fine_structure) == constants.ALPHA_EM
    assert float(sc.physical_constants["Fermi coupling constant"][0]) == constants.G_FERMI
    assert float(hbarc) * mev_to_gev * sc.femto == constants.HBARC_GEV_M
    assert float(m_e) * mev_to_gev == constants.M_ELECTRON


def test_pdg_values_are_particles() -> None:
    """The [pdg] table of data/constants.toml is particle's PDG table (a new PDG edition in
    particle fails here: copy its values and cite the edition)."""
    from particle import Particle

    meson_parents = {111, 221, 331, 113, 223, 333, 443, 553, -211, -321, -411, -431, -521}
    assert set(constants.PDG_TABLE["mass"]) == {11, 13, 15, 23, 24} | meson_parents
    assert set(constants.PDG_TABLE["width"]) == {23, 24} | meson_parents
    assert set(constants.PDG_TABLE["ctau"]) == meson_parents
    for attribute, table in constants.PDG_TABLE.items():
        for pdgid, value in table.items():
            assert value == getattr(Particle.from_pdgid(pdgid), attribute), (attribute, pdgid)
    assert Particle.from_pdgid(23).mass * 1e-3 == constants.M_Z
    assert Particle.from_pdgid(24).width * 1e-3 == constants.GAMMA_W
    # in the units nudipole uses: GeV, metres
    assert constants.pdg_width_gev(-211) == Particle.from_pdgid(-211).width * 1e-3
    assert constants.pdg_ctau_m(-321) == Particle.from_pdgid(-321).ctau * 1e-3


def test_other_pdg_ids_come_from_particle() -> None:
    from particle import Particle

    assert 5 not in constants.PDG_TABLE["mass"]
    assert constants.pdg_mass_gev(5) == Particle.from_pdgid(5).mass * 1e-3
    assert 321 not in constants.PDG_TABLE["ctau"]
    assert constants.pdg_ctau_m(321) == Particle.from_pdgid(321).ctau * 1e-3
    assert constants.pdg_ctau_m(22) == math.inf  # a stable particle
