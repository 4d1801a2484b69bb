"""Production of the heavy neutral lepton N in meson decays through the photon dipole.

Model (seed Eq. 1; PHYSICS.md §1), N Dirac, one active flavour, d in GeV^-1::

    L ⊃ d nubar_L sigma_{mu nu} F^{mu nu} N + h.c.,   nubar_L = nubar P_R.

A photon of momentum q (flowing into the vertex) turning into nu(p_1) Nbar(p_2) gives the current
``J^nu = 2 d ubar(p_1) P_R sigma^{mu nu} q_mu v(p_2)``; a real photon (k, eps) radiated from a
nubar line gives ``2 d P_R sigma^{mu nu} k_mu eps*_nu``. The factor 2 is fixed by
Gamma(N -> nu gamma) = d^2 m^3 / (4 pi) (seed Eq. 4), which the tests re-derive from the same
vertex. Every width below is for ONE charge state: the listed parent decaying to Nbar (its
CP image gives N at the same rate).

Channels and modules
--------------------
* :mod:`~nudipole.physics.mesons.vector`: V -> nu Nbar (rho0, omega, phi, J/psi, Upsilon(1S)),
  two-body;
* :mod:`~nudipole.physics.mesons.neutral`: P0 -> gamma nu Nbar (pi0, eta, eta') through the
  anomaly vertex and a transition form factor;
* :mod:`~nudipole.physics.mesons.charged`: P- -> gamma l- Nbar (pi, K, D, D_s, B) by W
  exchange, the dipole on the virtual nubar line;
* :mod:`~nudipole.physics.mesons.phase_space`: the Källén function, the energy of N in the
  parent rest frame, the mapped Gauss-Legendre quadrature in q^2 and the weighted
  parent-frame energy nodes of the three-body decays.

Each module's docstring derives its formulas; every public name is re-exported here, so
``from nudipole.physics.mesons import vector_width`` works. Tests: tests/physics/test_meson_*.py
(explicit Dirac traces, Dalitz-plot Monte Carlo, scipy quadrature).
"""

from nudipole.physics.mesons.charged import (
    charged_pseudoscalar_d2width,
    charged_pseudoscalar_dwidth_dq2,
    charged_pseudoscalar_msq,
    charged_pseudoscalar_width,
)
from nudipole.physics.mesons.neutral import (
    FormFactorSq,
    neutral_pseudoscalar_br,
    neutral_pseudoscalar_br_point,
    neutral_pseudoscalar_d2br,
    neutral_pseudoscalar_dbr_dq2,
    neutral_pseudoscalar_msq,
    pgg_coupling,
    vmd_form_factor_sq,
)
from nudipole.physics.mesons.phase_space import (
    DEFAULT_ANGULAR_ORDER,
    DEFAULT_Q2_ORDER,
    THRESHOLD_SPAN,
    DoubleDifferential,
    kallen,
    max_energy,
    parent_frame_energy,
    parent_frame_energy_nodes,
    parent_frame_energy_nodes_many,
    parent_frame_rate_error,
    q2_quadrature,
)
from nudipole.physics.mesons.vector import (
    vector_br_over_br_ee,
    vector_energy,
    vector_width,
    vector_width_ee,
)

__all__ = [
    "DEFAULT_ANGULAR_ORDER",
    "DEFAULT_Q2_ORDER",
    "THRESHOLD_SPAN",
    "DoubleDifferential",
    "FormFactorSq",
    "charged_pseudoscalar_d2width",
    "charged_pseudoscalar_dwidth_dq2",
    "charged_pseudoscalar_msq",
    "charged_pseudoscalar_width",
    "kallen",
    "max_energy",
    "neutral_pseudoscalar_br",
    "neutral_pseudoscalar_br_point",
    "neutral_pseudoscalar_d2br",
    "neutral_pseudoscalar_dbr_dq2",
    "neutral_pseudoscalar_msq",
    "parent_frame_energy",
    "parent_frame_energy_nodes",
    "parent_frame_energy_nodes_many",
    "parent_frame_rate_error",
    "pgg_coupling",
    "q2_quadrature",
    "vector_br_over_br_ee",
    "vector_energy",
    "vector_width",
    "vector_width_ee",
    "vmd_form_factor_sq",
]
