"""The CODATA values written out in nudipole.constants are scipy.constants', to the last bit."""

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
