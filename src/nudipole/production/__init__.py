"""Sources of the heavy neutral lepton: for a mass, N momenta in the lab with weights per d^2.

``ee_source``
    e+ e- -> N nubar + Nbar nu at a fixed sqrt(s) (BESIII, Belle II, STCF, LEP, CEPC): weighted
    N and photon kinematics in the CM and the lab, the N polarisation carried into N -> nu gamma.
``meson_source``
    N from forward meson decays at the LHC (far detectors): deterministic N rays into the
    detector's polar window, built from ``spectra`` (FORESEE tables), ``meson_table``
    (channels), ``meson_rates`` (Br/d^2, N energies in the parent frame) and ``absorber``
    (where pi+-, K+- can decay); ``pythia_spectra`` makes new tables with Pythia 8. Its parent
    nodes and tables are in ``meson_parents``, the (parent group, E*, cos theta*) combinations
    that can reach the detector in ``node_combos``.
"""
