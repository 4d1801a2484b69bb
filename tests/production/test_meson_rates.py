"""Tests of nudipole.production.meson_rates: Br per d^2 and parent-frame energy nodes.

Published numbers: the orientation values of PHYSICS.md §10 (Br/d^2 at small m_N, one charge
state; the talk / Barducci et al., PRD 108 (2023) 115009); the f_V form of the vector width
against the Br(V -> e+ e-) form; regressions of the derived formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nudipole.constants import ALPHA_EM, G_FERMI
from nudipole.physics.mesons import max_energy, vector_width
from nudipole.production.meson_rates import (
    br_error_estimate,
    br_per_d2,
    energy_nodes,
    energy_nodes_many,
)
from nudipole.production.meson_table import (
    CHANNELS,
    FLAVOURS,
    FORM_FACTORS,
    allowed,
    channel_info,
    lepton_mass,
)

#: The vector channels (the f_V data checks are in test_meson_table.py).
VECTORS = ("rho", "omega", "phi", "jpsi", "upsilon")
MASSES = (0.0, 1e-3, 0.01, 0.05, 0.1, 0.3, 0.5, 0.9, 1.5, 1.9, 3.0, 5.0)


@pytest.mark.parametrize("name", VECTORS)
def test_vector_width_forms_agree(name: str) -> None:
    """f_V form / Gamma_total against the Br(V -> ee) form used for br_per_d2. They differ by
    the f_V - Gamma_ee agreement (test_meson_table.py) and by PDG's own Br_ee x Gamma_tot vs
    Gamma_ee (omega +7.2 %, Upsilon -3.7 %); all within 7 %."""
    info = channel_info(name)
    m_n = 0.1
    via_fv = (
        float(vector_width(info.mass, info.decay_constant, info.charge_factor, m_n, 1.0, ALPHA_EM))
        / info.width
    )
    assert via_fv == pytest.approx(br_per_d2(name, m_n, "e"), rel=0.07)


# PHYSICS.md §10: Br/d^2 [GeV^2] at small m_N, one charge state ("estimates for orientation").
PHYSICS_MD = {
    "pi0": 7.6e-5,
    "eta": 5.0e-4,
    "rho": 3.1e-4,
    "omega": 4.9e-4,
    "phi": 3.4e-3,
    "jpsi": 6.2,
    "upsilon": 23.0,
}


@pytest.mark.parametrize(("name", "value"), list(PHYSICS_MD.items()))
def test_physics_md_orientation_numbers(name: str, value: float) -> None:
    for m_n in (0.0, 1e-3):
        assert br_per_d2(name, m_n, "e") == pytest.approx(value, rel=0.05)


def test_charged_light_limit_and_flavours() -> None:
    """pi -> gamma e Nbar at m_N -> 0: G_F^2 |V|^2 f^2 m^5 / (384 pi^3 Gamma) up to O(m_e^2/m^2)."""
    info = channel_info("pi")
    assert info.decay_constant is not None
    assert info.ckm is not None
    limit = (
        G_FERMI**2
        * info.ckm**2
        * info.decay_constant**2
        * info.mass**5
        / (384 * math.pi**3 * info.width)
    )
    assert br_per_d2("pi", 0.0, "e") == pytest.approx(limit, rel=1e-4)
    # no helicity suppression: e and mu comparable where phase space allows
    assert br_per_d2("K", 0.01, "mu") / br_per_d2("K", 0.01, "e") == pytest.approx(0.94, abs=0.02)
    assert br_per_d2("B", 0.01, "tau") / br_per_d2("B", 0.01, "e") == pytest.approx(0.80, abs=0.02)


# Regression of this implementation (derived formulas; inputs of data/mesons.toml), m_N = 0.01.
CHARGED_AT_10_MEV = {
    ("pi", "e"): 3.630e-4,
    ("pi", "mu"): 9.501e-6,
    ("K", "e"): 7.696e-3,
    ("K", "mu"): 7.253e-3,
    ("D", "e"): 9.371e-4,
    ("D", "mu"): 9.365e-4,
    ("D", "tau"): 1.328e-7,
    ("Ds", "e"): 1.521e-2,
    ("Ds", "mu"): 1.520e-2,
    ("Ds", "tau"): 3.229e-5,
    ("B", "e"): 5.692e-5,
    ("B", "mu"): 5.692e-5,
    ("B", "tau"): 4.529e-5,
}


@pytest.mark.parametrize(("key", "value"), list(CHARGED_AT_10_MEV.items()))
def test_charged_regression(key: tuple[str, str], value: float) -> None:
    assert br_per_d2(key[0], 0.01, key[1]) == pytest.approx(value, rel=1e-3)


def test_closed_channels_are_zero() -> None:
    cases = [
        ("pi0", 0.2, "e"),
        ("eta", 0.6, "e"),
        ("rho", 0.8, "e"),
        ("upsilon", 9.5, "e"),
        ("pi", 0.14, "e"),
        ("pi", 0.04, "mu"),
        ("pi", 0.0, "tau"),
        ("K", 0.0, "tau"),
        ("D", 0.1, "tau"),
        ("B", 3.6, "tau"),
    ]
    for name, m_n, flavour in cases:
        assert not allowed(name, m_n, flavour)
        assert br_per_d2(name, m_n, flavour) == 0.0
        assert br_error_estimate(name, m_n, flavour) == 0.0
        energies, weights = energy_nodes(name, m_n, flavour)
        assert energies.size == 0
        assert weights.size == 0


def test_energy_nodes_sum_to_br_and_stay_in_range() -> None:
    for name in CHANNELS:
        info = channel_info(name)
        for flavour in FLAVOURS:
            recoil = lepton_mass(flavour) if info.kind == "charged-pseudoscalar" else 0.0
            for m_n in MASSES:
                for form_factor in FORM_FACTORS:
                    energies, weights = energy_nodes(name, m_n, flavour, form_factor)
                    br = br_per_d2(name, m_n, flavour, form_factor)
                    if not allowed(name, m_n, flavour):
                        assert br == 0.0
                        assert energies.size == 0
                        continue
                    assert br > 0.0
                    assert float(np.sum(weights)) == pytest.approx(br, rel=1e-12)
                    assert np.all(weights >= 0.0)
                    e_max = float(max_energy(info.mass, recoil, m_n))
                    tol = 1e-12 * info.mass
                    assert np.all(energies >= m_n - tol), (name, m_n)
                    assert np.all(energies <= e_max + tol), (name, m_n)
                    if info.kind == "vector":
                        assert energies.shape == (1,)
                        assert energies[0] == pytest.approx(e_max, rel=1e-14)


def test_quadrature_error_estimates() -> None:
    for name in CHANNELS:
        for flavour in FLAVOURS:
            for m_n in (0.0, 0.01, 0.1, 0.5, 1.5):
                for form_factor in FORM_FACTORS:
                    if not allowed(name, m_n, flavour):
                        continue
                    br = br_per_d2(name, m_n, flavour, form_factor)
                    estimate = br_error_estimate(name, m_n, flavour, form_factor)
                    fine = br_per_d2(name, m_n, flavour, form_factor, order=128)
                    assert estimate <= 1e-6 * br, (name, flavour, m_n, form_factor)
                    assert abs(br - fine) <= 10.0 * estimate + 1e-10 * br
    # the consumer's cheaper rule (12 q^2 nodes) is still good to the per-mille level
    for name, flavour in (("B", "e"), ("Ds", "tau"), ("pi", "mu"), ("eta", "e")):
        coarse = br_per_d2(name, 0.01, flavour, order=12)
        assert coarse == pytest.approx(br_per_d2(name, 0.01, flavour), rel=1e-4)


# VMD / point-like ratio of Br (regression of this implementation with the cited pole
# parameters: eta single pole Lambda = 0.731 GeV; eta' BESIII Lambda = 0.802, gamma = 0.113).
VMD_RATIOS = {
    ("pi0", 0.01): 1.0143,
    ("pi0", 0.1): 1.0498,
    ("eta", 0.01): 1.3209,
    ("eta", 0.1): 1.4231,
    ("eta", 0.3): 2.1059,
    ("etap", 0.01): 3.6014,
    ("etap", 0.1): 3.9224,
    ("etap", 0.3): 6.7529,
}


@pytest.mark.parametrize(("key", "ratio"), list(VMD_RATIOS.items()))
def test_vmd_over_point_ratios(key: tuple[str, float], ratio: float) -> None:
    name, m_n = key
    got = br_per_d2(name, m_n, "e", "vmd") / br_per_d2(name, m_n, "e", "point")
    assert got == pytest.approx(ratio, rel=1e-4)


def test_form_factor_only_affects_neutral_pseudoscalars() -> None:
    for name in ("rho", "jpsi", "K", "B"):
        assert br_per_d2(name, 0.1, "e", "vmd") == br_per_d2(name, 0.1, "e", "point")


@pytest.mark.parametrize("form_factor", ["point", "vmd"])
def test_energy_nodes_are_bounded_by_the_rule_orders(form_factor: str) -> None:
    """What a source pays per channel and mass: one node for a two-body decay, at most
    3 ``order`` x ``angular_order`` for a three-body one (2 ``order`` panels in q^2, 3 with
    a form factor's peak), none for a closed channel (the time of all channels is measured
    by benchmarks/lhc_benchmark.py, not here)."""
    for name in CHANNELS:
        e, w = energy_nodes(name, 0.1, "mu", form_factor=form_factor, order=6, angular_order=5)
        assert e.shape == w.shape
        kind = channel_info(name).kind
        if not allowed(name, 0.1, "mu"):
            assert e.size == 0
        elif kind == "vector":
            assert e.size == 1
        else:
            assert 5 <= e.size <= 3 * 6 * 5
            assert e.size % 5 == 0  # whole q^2 nodes times the angular rule


def test_bad_inputs_raise_in_rates() -> None:
    with pytest.raises(ValueError, match="flavour='tauon'"):
        br_per_d2("pi", 0.01, "tauon")
    with pytest.raises(ValueError, match="form_factor='dipole'"):
        energy_nodes("eta", 0.01, "e", form_factor="dipole")
    with pytest.raises(ValueError, match="m_n=nan"):
        br_per_d2("rho", float("nan"), "e")


@pytest.mark.parametrize(
    ("name", "flavour", "form_factor"),
    [("pi0", "e", "point"), ("etap", "e", "vmd"), ("K", "mu", "point"), ("Ds", "tau", "point")],
)
def test_energy_nodes_for_many_masses_equal_one_at_a_time(
    name: str, flavour: str, form_factor: str
) -> None:
    # one array pass over the masses: the same nodes and weights as mass by mass, closed
    # masses (above the threshold) included as empty rules
    masses = np.geomspace(1e-3, 6.0, 17)
    many = energy_nodes_many(name, masses, flavour, form_factor)
    assert len(many) == masses.size
    opened = 0
    for m, (e, w) in zip(masses, many, strict=True):
        e1, w1 = energy_nodes(name, float(m), flavour, form_factor)
        assert e.shape == e1.shape
        np.testing.assert_allclose(e, e1, rtol=1e-13)
        np.testing.assert_allclose(w, w1, rtol=1e-12, atol=0.0)
        opened += e.size > 0
    assert 0 < opened < masses.size


def test_prefetched_energy_rules_equal_the_rules_of_one_mass() -> None:
    from nudipole.production import meson_source as ms
    from nudipole.production import source_rules as rules

    opts = ms.SourceOptions(n_energy=3)
    masses = [0.0123, 0.234, 1.5]
    ms.prefetch_energy_rules(("eta", "B", "rho", "W"), masses, "e", opts)
    for name in ("eta", "B", "rho"):
        for m in masses:
            got = ms.energy_rule(name, m, "e", opts)
            e, w = energy_nodes(name, m, "e")
            want = rules._compress(e, w, 3)
            for a, b in zip(got, want, strict=True):
                np.testing.assert_allclose(a, b, rtol=1e-12)
                assert not a.flags.writeable
