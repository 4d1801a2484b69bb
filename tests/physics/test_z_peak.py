"""Z-pole normalisation used by the L3 branching-ratio limit (reach.scan_setup.excluded_signal)."""

from __future__ import annotations

import pytest

from nudipole.physics.z_pole import sigma_z_peak, width_z_to_electrons
from nudipole.units import gev_m2_to_pb

# PDG (R. L. Workman et al., PTEP 2022 083C01, Z boson listings): Gamma_ee = 83.91 +- 0.12 MeV,
# sigma_had^0 = 41.481 +- 0.033 nb, R_l = Gamma_had / Gamma_ll = 20.767.
PDG_GAMMA_EE = 83.91e-3
PDG_SIGMA_HAD0_NB = 41.481
PDG_GAMMA_HAD_OVER_GAMMA_EE = 20.767


def test_tree_level_gamma_ee_within_one_percent_of_pdg() -> None:
    assert width_z_to_electrons() == pytest.approx(PDG_GAMMA_EE, rel=0.01)


def test_peak_cross_section_times_hadronic_fraction_is_sigma_had0() -> None:
    """sigma(e+e- -> Z -> hadrons) at the pole = sigma_peak x Gamma_had / Gamma_Z."""
    from nudipole.constants import GAMMA_Z

    gamma_had = PDG_GAMMA_HAD_OVER_GAMMA_EE * PDG_GAMMA_EE
    sigma_had = gev_m2_to_pb(sigma_z_peak()) * 1e-3 * gamma_had / GAMMA_Z
    assert sigma_had == pytest.approx(PDG_SIGMA_HAD0_NB, rel=0.015)
