"""Binning the decay factor in kappa keeps S(d) exact to < 0.1 % (reach/signal.py docstring)."""

import numpy as np
import pytest

from nudipole.experiments import load_experiment
from nudipole.experiments.selections import Frame, Photons, combined_mask
from nudipole.kinematics.sampling import monte_carlo_nodes
from nudipole.production.ee_source import generate
from nudipole.reach.presets import DEFAULT, PAPER
from nudipole.reach.signal import _kappa, build_templates, concatenate_nodes
from nudipole.units import inverse_pb_to_natural


@pytest.mark.parametrize("mass", [0.02, 0.1, 0.5])
def test_binned_decay_factor_matches_event_sum(mass: float) -> None:
    exp = load_experiment("belle2")
    sel = exp.selection("bbg")
    nodes = monte_carlo_nodes(np.random.default_rng(4), 20000)
    s = 10.58**2
    ev = generate(s, mass, exp.beta, DEFAULT.photon_angular, nodes)
    passed = combined_mask(
        sel.cuts, Photons(ev.e_cm, ev.cos_cm, ev.e_lab, ev.cos_lab), Frame(10.58, exp.beta)
    )
    w = np.where(passed, ev.weight, 0.0)
    k = _kappa(ev, exp, DEFAULT, np.full(w.shape, s), mass)
    lumi = inverse_pb_to_natural(50e6)
    tpl = build_templates(
        exp, sel, DEFAULT, np.array([10.58]), np.array([lumi]), mass, concatenate_nodes([nodes], 8)
    )
    w_b = tpl.weight.mean(axis=1)[0]
    k_b = np.divide(
        (tpl.weight * tpl.kappa).sum(axis=1)[0],
        tpl.weight.sum(axis=1)[0],
        out=np.ones_like(w_b),
        where=tpl.weight.sum(axis=1)[0] > 0,
    )
    assert w_b.sum() == pytest.approx(w.sum(), rel=1e-12)
    # scan d across the transition from long-lived to prompt
    for d2 in np.exp(np.linspace(np.log(0.01 / k.max()), np.log(100 / k.min()), 25)):
        exact = np.sum(w * -np.expm1(-k * d2))
        binned = np.sum(w_b * -np.expm1(-k_b * d2))
        assert binned == pytest.approx(exact, rel=1e-3)


def test_fixed_length_model_has_one_kappa() -> None:
    exp = load_experiment("stcf")
    nodes = concatenate_nodes([monte_carlo_nodes(np.random.default_rng(1), 4096)], 8)
    tpl = build_templates(
        exp, exp.selection(), PAPER, np.array([4.0]), np.array([1e10]), 0.3, nodes
    )
    k = tpl.kappa[tpl.weight > 0]
    assert np.allclose(k, k[0], rtol=1e-12)
    # paper kappa: L m Gamma(d=1)/p_cm with l_D = 0.8 m
    from nudipole.constants import metres_to_natural
    from nudipole.physics.production import n_momentum_cm

    expected = metres_to_natural(0.8) * 0.3 * 0.3**3 / (4 * np.pi) / float(n_momentum_cm(16.0, 0.3))
    assert k[0] == pytest.approx(expected, rel=1e-12)
